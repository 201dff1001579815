//! Single-item operations: put, get, delete, with and without conditions.

use chrono::{TimeZone, Utc};
use dynaschema::Error;
use dynaschema_tests::{Document, Note, testbed_table};

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
                operation: "PutItem"
            }
        ),
        "{err:?}"
    );
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
        "Document",
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
