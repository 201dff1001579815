//! Filters of query patterns against DynamoDB Local: every filter form, typed
//! parameters, renamed attributes, and bad values refused before sending.

use std::collections::HashSet;

use chrono::{Duration, TimeZone, Utc};
use dynaschema::Error;
use dynaschema_tests::{Document, client, testbed, testbed_table, unique_table_name};

fn at(hours: i64) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap() + Duration::hours(hours)
}

fn ids(docs: &[Document]) -> Vec<&str> {
    docs.iter().map(|d| d.doc_id.as_str()).collect()
}

/// A change to the base document.
type Change = Box<dyn Fn(&mut Document)>;

/// Documents of `ada` that differ in exactly the attributes the filter reads.
async fn documents(table: &testbed::Table) {
    let mut base = Document::sample("base", "ada", at(0));
    base.pages = 10;
    base.title = "Alpha".into();
    base.labels = HashSet::new();
    base.keywords = vec![];
    base.tiny = 0;
    let variants: Vec<(&str, Change)> = vec![
        ("title-a", Box::new(|_| {})),
        (
            "title-prefix",
            Box::new(|d| d.title = "Beta version".into()),
        ),
        (
            "label",
            Box::new(|d| {
                d.title = "Gamma".into();
                d.labels = HashSet::from(["urgent".to_owned()]);
            }),
        ),
        (
            "many-keywords",
            Box::new(|d| {
                d.title = "Delta".into();
                d.keywords = vec!["a".into(), "b".into(), "c".into()];
            }),
        ),
        ("no-match", Box::new(|d| d.title = "Epsilon".into())),
        ("too-long", Box::new(|d| d.pages = 500)),
        ("no-body", Box::new(|d| d.body = None)),
        ("tiny", Box::new(|d| d.tiny = 7)),
    ];
    for (i, (id, change)) in variants.iter().enumerate() {
        let mut doc = base.clone();
        doc.doc_id = (*id).into();
        doc.created_at = at(i as i64);
        change(&mut doc);
        table.put(&doc).await.unwrap();
    }
}

#[tokio::test]
async fn every_filter_form_selects_the_right_items() {
    let table = testbed_table().await;
    documents(&table).await;
    let matching = table
        .owner_documents_matching("ada", &1, &100, "Alpha", "Omega", "Beta", "urgent", 2, &7)
        .all()
        .await
        .unwrap();
    // Newest first; `no-match`, `too-long`, `no-body` and `tiny` are filtered out.
    assert_eq!(
        ids(&matching),
        ["many-keywords", "label", "title-prefix", "title-a"]
    );
}

#[tokio::test]
async fn filters_combine_with_sort_key_conditions_and_limits() {
    let table = testbed_table().await;
    documents(&table).await;
    let query = || {
        table.owner_documents_matching("ada", &1, &100, "Alpha", "Omega", "Beta", "urgent", 2, &7)
    };
    let early = query().created_at_lte(&at(1)).all().await.unwrap();
    assert_eq!(ids(&early), ["title-prefix", "title-a"]);
    // DynamoDB limits before filtering; the stream reads on until it has enough.
    let two = query().limit(2).all().await.unwrap();
    assert_eq!(ids(&two), ["many-keywords", "label"]);
}

#[tokio::test]
async fn a_filter_on_a_constant_sort_key_pattern() {
    let table = testbed_table().await;
    let mut published = Document::sample("p", "ada", at(0));
    published.tag = None;
    table.put(&published).await.unwrap();
    let mut draft = published.clone();
    draft.doc_id = "q".into();
    draft.published = false;
    table.put(&draft).await.unwrap();
    assert_eq!(
        ids(&table.document_if("p", &true).all().await.unwrap()),
        ["p"]
    );
    assert!(
        table
            .document_if("q", &true)
            .all()
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        ids(&table.document_if("q", &false).all().await.unwrap()),
        ["q"]
    );
    // `not attribute_exists(tag)`: a tagged document is filtered out.
    let tagged = Document::sample("t", "ada", at(0));
    table.put(&tagged).await.unwrap();
    assert!(
        table
            .document_if("t", &true)
            .all()
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn an_unencodable_filter_value_is_refused_before_sending() {
    let missing = testbed::Table::new(client(), unique_table_name("never-created"));
    // The label is compared through `contains` with any attribute value: a NaN is not one.
    let err = missing
        .owner_documents_matching("ada", &1, &100, "a", "b", "c", &f64::NAN, 2, &7)
        .all()
        .await
        .unwrap_err();
    let Error::Encode(encode) = err else {
        panic!("expected an encode error, got {err:?}")
    };
    assert_eq!(
        (encode.entity, encode.attribute.as_str()),
        ("Document", "label")
    );
}
