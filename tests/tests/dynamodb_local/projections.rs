//! Queries on an index that projects only keys read the full items with one
//! BatchGetItem per page, in the index's order.

use chrono::{TimeZone, Utc};
use dynaschema_tests::{Document, testbed_table};
use futures::TryStreamExt as _;

#[tokio::test]
async fn a_keys_only_index_returns_full_items_in_index_order() {
    let table = testbed_table().await;
    let day = Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap();
    let mut docs = Vec::new();
    for (i, pages) in [25_u32, 5, 15, 10, 20].iter().enumerate() {
        let mut doc = Document::sample(&format!("d{i}"), "ada", day);
        doc.pages = *pages;
        table.put(&doc).await.unwrap();
        docs.push(doc);
    }
    let mut other = Document::sample("x", "alan", day);
    other.pages = 12;
    table.put(&other).await.unwrap();

    let mut by_pages = docs.clone();
    by_pages.sort_by_key(|d| d.pages);
    // Full documents (every attribute), not the index's keys.
    assert_eq!(
        table.documents_by_pages("ada").all().await.unwrap(),
        by_pages
    );
    let from_ten = table
        .documents_by_pages("ada")
        .pages_gte(&10)
        .all()
        .await
        .unwrap();
    assert_eq!(from_ten, by_pages[1..]);
    // Page by page (two items a page): every page is completed, in order.
    let streamed: Vec<Document> = table
        .documents_by_pages("ada")
        .limit(2)
        .page(None)
        .await
        .unwrap()
        .items;
    assert_eq!(streamed, by_pages[..2]);
    let all: Vec<Document> = table
        .documents_by_pages("ada")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, by_pages);
}

#[tokio::test]
async fn a_keys_only_pattern_returns_the_key_fields_without_reading_items() {
    use dynaschema_tests::testbed::DocumentByPagesKeys;
    let table = testbed_table().await;
    let day = Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap();
    for (id, pages) in [("b#1", 7_u32), ("a%2", 30)] {
        let mut doc = Document::sample(id, "ada", day);
        doc.pages = pages;
        table.put(&doc).await.unwrap();
    }
    let keys: Vec<DocumentByPagesKeys> = table.document_page_keys("ada").all().await.unwrap();
    let read: Vec<(&str, &str, u32)> = keys
        .iter()
        .map(|k| (k.doc_id.as_str(), k.owner.as_str(), k.pages))
        .collect();
    // Escaped values (`#`, `%`) and integers decode back to what was written.
    assert_eq!(read, [("b#1", "ada", 7), ("a%2", "ada", 30)]);
    let from_ten = table
        .document_page_keys("ada")
        .pages_gte(&10)
        .all()
        .await
        .unwrap();
    assert_eq!(from_ten.len(), 1);
    assert_eq!(from_ten[0].doc_id, "a%2");
}

#[tokio::test]
async fn an_include_pattern_returns_the_key_fields_and_the_included_fields() {
    use dynaschema_tests::testbed::DocumentByTitleProjection;
    let table = testbed_table().await;
    let day = Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap();
    let mut b = Document::sample("d2", "ada", day);
    b.title = "Beta".into();
    b.body = None;
    let mut a = Document::sample("d1", "ada", day);
    a.title = "Alpha".into();
    for doc in [&b, &a, &Document::sample("x", "alan", day)] {
        table.put(doc).await.unwrap();
    }
    let got: Vec<DocumentByTitleProjection> = table.document_titles("ada").all().await.unwrap();
    assert_eq!(got.len(), 2);
    // Key fields from the keys, in index order (title, then id)...
    let keys: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|p| (p.title.as_str(), p.doc_id.as_str(), p.owner.as_str()))
        .collect();
    assert_eq!(keys, [("Alpha", "d1", "ada"), ("Beta", "d2", "ada")]);
    // ...and the included attributes that are fields, with their own types: a renamed
    // field (`body` stored as `body_text`), a set, a nested map, an absent option.
    assert_eq!(got[0].body, a.body);
    assert_eq!(got[0].labels, a.labels);
    assert_eq!(got[0].reviewer, a.reviewer);
    assert_eq!(got[1].body, None);
    // Sort conditions work as on any pattern of the template.
    let from_b = table
        .document_titles("ada")
        .title_begins_with("B")
        .all()
        .await
        .unwrap();
    assert_eq!(from_b.len(), 1);
    assert_eq!(from_b[0].doc_id, "d2");
    // `fetch = "items"` on the same index reads the whole documents.
    assert_eq!(
        table.documents_by_title("ada").all().await.unwrap(),
        [a.clone(), b.clone()]
    );
}
