//! Sort key conditions of query patterns against DynamoDB Local: each typed
//! condition returns exactly the matching items, in the pattern's order.

use chrono::{Duration, TimeZone, Utc};
use dynaschema::Error;
use dynaschema_tests::{
    Document, Note, Reading, Revision, client, testbed, testbed_table, unique_table_name,
};

fn at(hours: i64) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap() + Duration::hours(hours)
}

/// Ada's documents at hours 0..10 (ids `d0`..`d9`), and two of another owner.
async fn documents(table: &testbed::Table) {
    for h in 0..10 {
        table
            .put(&Document::sample(&format!("d{h}"), "ada", at(h)))
            .await
            .unwrap();
    }
    for h in [3, 20] {
        table
            .put(&Document::sample(&format!("x{h}"), "alan", at(h)))
            .await
            .unwrap();
    }
}

fn ids(docs: &[Document]) -> Vec<&str> {
    docs.iter().map(|d| d.doc_id.as_str()).collect()
}

#[tokio::test]
async fn a_middle_segment_is_compared_in_the_patterns_order() {
    let table = testbed_table().await;
    documents(&table).await;
    let by_owner = || table.documents_by_owner("ada");
    // Newest first, as the pattern declares.
    assert_eq!(
        ids(&by_owner()
            .created_at_between(&at(2), &at(5))
            .all()
            .await
            .unwrap()),
        ["d5", "d4", "d3", "d2"]
    );
    assert_eq!(
        ids(&by_owner().created_at_gt(&at(7)).all().await.unwrap()),
        ["d9", "d8"]
    );
    assert_eq!(
        ids(&by_owner().created_at_gte(&at(7)).all().await.unwrap()),
        ["d9", "d8", "d7"]
    );
    assert_eq!(
        ids(&by_owner().created_at_lt(&at(2)).all().await.unwrap()),
        ["d1", "d0"]
    );
    assert_eq!(
        ids(&by_owner().created_at_lte(&at(2)).all().await.unwrap()),
        ["d2", "d1", "d0"]
    );
    assert_eq!(
        ids(&by_owner()
            .created_at_gte(&at(7))
            .reverse()
            .all()
            .await
            .unwrap()),
        ["d7", "d8", "d9"]
    );
    assert!(
        by_owner()
            .created_at_gt(&at(9))
            .all()
            .await
            .unwrap()
            .is_empty()
    );
    // Limits apply after the condition.
    assert_eq!(
        ids(&by_owner()
            .created_at_lte(&at(6))
            .limit(2)
            .all()
            .await
            .unwrap()),
        ["d6", "d5"]
    );
}

#[tokio::test]
async fn fixing_segments_narrows_to_a_prefix_then_to_one_key() {
    let table = testbed_table().await;
    documents(&table).await;
    // A second document at hour 4.
    table
        .put(&Document::sample("d4b", "ada", at(4)))
        .await
        .unwrap();
    let at_four = table
        .documents_by_owner("ada")
        .created_at(&at(4))
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&at_four), ["d4b", "d4"]);
    let one = table
        .documents_by_owner("ada")
        .created_at(&at(4))
        .doc_id("d4")
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&one), ["d4"]);
    let after = table
        .documents_by_owner("ada")
        .created_at(&at(4))
        .doc_id_gt("d4")
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&after), ["d4b"]);
}

#[tokio::test]
async fn the_last_segment_is_compared_exactly() {
    let table = testbed_table().await;
    for note_id in 0..10 {
        table
            .put(&Note {
                doc_id: "d".into(),
                note_id,
                text: "n".into(),
            })
            .await
            .unwrap();
    }
    // Items of other entities in the same partition, on both sides of `NOTE#`.
    table
        .put(&Document::sample("d", "ada", at(0)))
        .await
        .unwrap();
    table
        .put(&Revision {
            doc_id: "d".into(),
            revision: 1,
        })
        .await
        .unwrap();
    let by_doc = || table.document_notes("d");
    async fn notes(query: dynaschema::Query<'_, Note>) -> Vec<u32> {
        query
            .all()
            .await
            .unwrap()
            .iter()
            .map(|n| n.note_id)
            .collect()
    }
    assert_eq!(notes(by_doc().note_id_lt(&3)).await, [0, 1, 2]);
    assert_eq!(notes(by_doc().note_id_lte(&3)).await, [0, 1, 2, 3]);
    assert_eq!(notes(by_doc().note_id_gt(&7)).await, [8, 9]);
    assert_eq!(notes(by_doc().note_id_gte(&7)).await, [7, 8, 9]);
    assert_eq!(notes(by_doc().note_id_between(&4, &6)).await, [4, 5, 6]);
    assert_eq!(notes(by_doc().note_id(&5)).await, [5]);
    assert_eq!(notes(by_doc().note_id_lt(&0)).await, Vec::<u32>::new());
}

#[tokio::test]
async fn an_empty_range_sends_nothing() {
    // The table does not exist: a request would fail with ResourceNotFoundException.
    let missing = testbed::Table::new(client(), unique_table_name("never-created"));
    let none = missing
        .document_notes("d")
        .note_id_between(&7, &3)
        .all()
        .await
        .unwrap();
    assert!(none.is_empty());
    let err = missing
        .document_notes("d")
        .note_id_between(&3, &7)
        .all()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Service(s) if s.code() == Some("ResourceNotFoundException")),
        "{err:?}"
    );
}

#[tokio::test]
async fn without_a_literal_prefix_comparisons_cover_the_partition() {
    let table = testbed_table().await;
    let values = [-300, -1, 0, 5, 42];
    for (i, value) in values.iter().enumerate() {
        table
            .put(&Reading {
                sensor: "s".into(),
                value: *value,
                reading_id: uuid::Uuid::from_u128(i as u128),
            })
            .await
            .unwrap();
    }
    let values_of = |readings: Vec<Reading>| readings.iter().map(|r| r.value).collect::<Vec<_>>();
    assert_eq!(
        values_of(table.readings("s").value_lt(&0).all().await.unwrap()),
        [-300, -1]
    );
    assert_eq!(
        values_of(table.readings("s").value_gte(&0).all().await.unwrap()),
        [0, 5, 42]
    );
    assert_eq!(
        values_of(
            table
                .readings("s")
                .value_between(&-1, &5)
                .all()
                .await
                .unwrap()
        ),
        [-1, 0, 5]
    );
    assert_eq!(
        values_of(table.readings("s").value(&5).all().await.unwrap()),
        [5]
    );

    // `{revision}` alone: `>` also reaches the document and notes of the partition,
    // which are skipped, never decoded as revisions.
    table
        .put(&Document::sample("d", "ada", at(0)))
        .await
        .unwrap();
    for revision in [1, 10, 100] {
        table
            .put(&Revision {
                doc_id: "d".into(),
                revision,
            })
            .await
            .unwrap();
    }
    let revisions: Vec<u64> = table
        .revisions("d")
        .revision_gt(&1)
        .all()
        .await
        .unwrap()
        .iter()
        .map(|r| r.revision)
        .collect();
    assert_eq!(revisions, [10, 100]);
}

#[tokio::test]
async fn an_empty_value_in_a_condition_is_refused_before_sending() {
    let missing = testbed::Table::new(client(), unique_table_name("never-created"));
    let err = missing
        .documents_by_owner("ada")
        .created_at(&at(0))
        .doc_id_gt("")
        .all()
        .await
        .unwrap_err();
    let Error::Key(key) = err else {
        panic!("expected a key error, got {err:?}")
    };
    assert_eq!(key.attribute, "doc_id");
}
