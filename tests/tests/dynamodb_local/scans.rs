//! Declared scans: every item of one entity across partitions, in parallel segments.

use chrono::{TimeZone, Utc};
use dynaschema::Error;
use dynaschema_tests::{
    Document, Note, Revision, client, testbed, testbed_table, unique_table_name,
};

fn sorted(mut notes: Vec<Note>) -> Vec<(String, u32)> {
    notes.sort_by(|a, b| (&a.doc_id, a.note_id).cmp(&(&b.doc_id, b.note_id)));
    notes.into_iter().map(|n| (n.doc_id, n.note_id)).collect()
}

#[tokio::test]
async fn a_scan_reads_every_item_of_its_entity_and_nothing_else() {
    let table = testbed_table().await;
    let day = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let mut expected = Vec::new();
    for d in 0..5 {
        let doc_id = format!("d{d}");
        table
            .put(&Document::sample(&doc_id, "ada", day))
            .await
            .unwrap();
        table
            .put(&Revision {
                doc_id: doc_id.clone(),
                revision: 1,
            })
            .await
            .unwrap();
        for note_id in 0..10 {
            let text = "x".repeat(note_id as usize + 1);
            table
                .put(&Note {
                    doc_id: doc_id.clone(),
                    note_id,
                    text,
                })
                .await
                .unwrap();
            expected.push((doc_id.clone(), note_id));
        }
    }
    // Three segments by the schema, one on request: the same items.
    assert_eq!(sorted(table.all_notes().all().await.unwrap()), expected);
    assert_eq!(
        sorted(table.all_notes().segments(1).all().await.unwrap()),
        expected
    );
    assert_eq!(table.all_notes().limit(7).all().await.unwrap().len(), 7);

    // A filter: notes with at least 8 characters are note_id 7, 8 and 9 of each document.
    let long = sorted(table.long_notes(8).all().await.unwrap());
    let expected_long: Vec<(String, u32)> =
        expected.iter().filter(|(_, n)| *n >= 7).cloned().collect();
    assert_eq!(long, expected_long);
}

#[tokio::test]
async fn a_scan_of_a_missing_table_is_a_service_error() {
    let missing = testbed::Table::new(client(), unique_table_name("never-created"));
    let err = missing.all_notes().all().await.unwrap_err();
    assert!(
        matches!(&err, Error::Service(s) if s.code() == Some("ResourceNotFoundException")),
        "{err:?}"
    );
}
