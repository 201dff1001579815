//! Single-item operations: put, get, delete, with and without conditions.

use chrono::{TimeZone, Utc};
use dynaschema::Error;
use dynaschema_tests::{Document, Note, Settings, testbed_table};

fn day(d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, d, 12, 0, 0).unwrap()
}

#[tokio::test]
async fn put_then_get_round_trips_every_attribute_type() {
    let table = testbed_table().await;
    let doc = Document::sample("d1", "ada", day(1));
    table.put(&doc).await.unwrap();
    let read = table.get(Document::key("d1")).await.unwrap();
    assert_eq!(read, Some(doc.clone()));
    // The generated pattern method reads the same item.
    assert_eq!(
        table.get_document("d1").consistent().await.unwrap(),
        Some(doc)
    );
}

#[tokio::test]
async fn optional_and_empty_values_round_trip() {
    let table = testbed_table().await;
    let mut doc = Document::sample("d2", "ada", day(2));
    doc.tag = None;
    doc.body = None;
    doc.reviewer = None;
    doc.labels.clear();
    doc.sizes.clear();
    doc.keywords.clear();
    doc.counts.clear();
    table.put(&doc).await.unwrap();
    assert_eq!(table.get(Document::key("d2")).await.unwrap(), Some(doc));
}

/// An entity whose keys are all literals (no field is a key) has a get pattern
/// without parameters and writes at its one key.
#[tokio::test]
async fn an_entity_with_literal_keys_is_read_by_a_pattern_without_parameters() {
    let table = testbed_table().await;
    assert_eq!(table.settings().await.unwrap(), None);
    let settings = Settings {
        data: "dark mode".into(),
        r#type: "ui".into(),
    };
    table.put(&settings).await.unwrap();
    assert_eq!(table.settings().consistent().await.unwrap(), Some(settings));
    assert_eq!(Settings::key().partition().unwrap().1, "SETTINGS");
}

#[tokio::test]
async fn get_of_a_missing_item_is_none() {
    let table = testbed_table().await;
    assert_eq!(table.get(Document::key("nope")).await.unwrap(), None);
}

#[tokio::test]
async fn put_replaces_and_if_absent_refuses_an_existing_item() {
    let table = testbed_table().await;
    let first = Document::sample("d3", "ada", day(3));
    table.put(&first).if_absent().await.unwrap();

    let mut second = first.clone();
    second.title = "changed".into();
    let err = table.put(&second).if_absent().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ConditionalCheckFailed {
                entity: "Document",
                operation: "PutItem",
                ..
            }
        ),
        "{err:?}"
    );
    // The error carries the stored item, readable as the entity.
    assert_eq!(err.old_item::<Document>().unwrap().unwrap(), first);
    // The refused write changed nothing.
    assert_eq!(table.get(Document::key("d3")).await.unwrap(), Some(first));

    table.put(&second).await.unwrap();
    assert_eq!(table.get(Document::key("d3")).await.unwrap(), Some(second));
}

#[tokio::test]
async fn delete_removes_and_if_exists_refuses_a_missing_item() {
    let table = testbed_table().await;
    let doc = Document::sample("d4", "ada", day(4));
    table.put(&doc).await.unwrap();
    table.delete(Document::key("d4")).if_exists().await.unwrap();
    assert_eq!(table.get(Document::key("d4")).await.unwrap(), None);

    // Plain delete of a missing item is a no-op, `if_exists` is an error.
    table.delete(Document::key("d4")).await.unwrap();
    let err = table
        .delete(Document::key("d4"))
        .if_exists()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::ConditionalCheckFailed {
                operation: "DeleteItem",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn delete_if_exists_refuses_an_item_of_another_entity_at_the_key() {
    let table = testbed_table().await;
    let note = Note {
        doc_id: "d5".into(),
        note_id: 1,
        text: "hello".into(),
    };
    table.put(&note).await.unwrap();
    // A Document key forged onto the note's key: the condition names the entity.
    let forged = dynaschema::Key::<Document>::new(
        ("pk".into(), "DOC#d5".into()),
        Some(("sk".into(), "NOTE#0000000001".into())),
    );
    let err = table.delete(forged).if_exists().await.unwrap_err();
    assert!(
        matches!(err, Error::ConditionalCheckFailed { .. }),
        "{err:?}"
    );
    assert_eq!(table.get(Note::key("d5", &1)).await.unwrap(), Some(note));
}

#[tokio::test]
async fn a_schema_version_is_stored_on_each_item_and_readable_before_decoding() {
    use dynaschema::Entity as _;
    use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
    let table = testbed_table().await;
    let note = Note {
        doc_id: "d".into(),
        note_id: 1,
        text: "versioned".into(),
    };
    table.put(&note).await.unwrap();
    let read = |sk: &'static str| {
        let table = &table;
        async move {
            dynaschema_tests::raw_item(table.client(), table.name(), "DOC#d", sk)
                .await
                .unwrap()
        }
    };
    let item = read("NOTE#0000000001").await;
    assert_eq!(item["_sv"], AttributeValue::N("3".into()));
    assert_eq!(Note::SCHEMA_VERSION, Some(3));
    assert_eq!(Note::stored_schema_version(&item), Some(3));

    // An item written before versions existed has none, and still decodes.
    let mut old = item.clone();
    old.remove("_sv");
    old.insert("sk".into(), AttributeValue::S("NOTE#0000000002".into()));
    old.insert("note_id".into(), AttributeValue::N("2".into()));
    table
        .client()
        .put_item()
        .table_name(table.name())
        .set_item(Some(old))
        .send()
        .await
        .unwrap();
    let old = read("NOTE#0000000002").await;
    assert_eq!(Note::stored_schema_version(&old), None);
    assert_eq!(Note::from_item(old).unwrap().note_id, 2);
    // Entities without a declared version report none.
    assert_eq!(Document::SCHEMA_VERSION, None);
}
