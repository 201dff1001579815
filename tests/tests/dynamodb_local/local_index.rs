//! A local secondary index: the table's partition, another sort key.

use dynaschema_tests::{Note, testbed_table};

#[tokio::test]
async fn a_local_index_orders_a_partition_by_another_key() {
    let table = testbed_table().await;
    for (note_id, text) in [(1, "cherry"), (2, "apple"), (3, "banana"), (4, "apple")] {
        table
            .put(&Note {
                doc_id: "d".into(),
                note_id,
                text: text.into(),
            })
            .await
            .unwrap();
    }
    table
        .put(&Note {
            doc_id: "other".into(),
            note_id: 9,
            text: "apple".into(),
        })
        .await
        .unwrap();
    let texts = |notes: Vec<Note>| {
        notes
            .into_iter()
            .map(|n| (n.text, n.note_id))
            .collect::<Vec<_>>()
    };

    let all = table
        .document_notes_by_text("d")
        .consistent()
        .all()
        .await
        .unwrap();
    assert_eq!(
        texts(all),
        [
            ("apple".into(), 2),
            ("apple".into(), 4),
            ("banana".into(), 3),
            ("cherry".into(), 1)
        ]
    );
    let apples = table
        .document_notes_by_text("d")
        .text("apple")
        .all()
        .await
        .unwrap();
    assert_eq!(texts(apples), [("apple".into(), 2), ("apple".into(), 4)]);
    let from_b = table
        .document_notes_by_text("d")
        .text_gte("b")
        .all()
        .await
        .unwrap();
    assert_eq!(texts(from_b), [("banana".into(), 3), ("cherry".into(), 1)]);

    // The item carries the local index's sort key, derived from its fields.
    let raw = dynaschema_tests::raw_item(table.client(), table.name(), "DOC#d", "NOTE#0000000003")
        .await
        .unwrap();
    assert_eq!(raw["lsi1sk"].as_s().unwrap(), "TEXT#banana#0000000003");
}

#[tokio::test]
async fn a_text_segment_can_be_matched_by_its_start() {
    let table = testbed_table().await;
    for (note_id, text) in [(1, "banana"), (2, "band"), (3, "apple"), (4, "ban#ner")] {
        table
            .put(&Note {
                doc_id: "d".into(),
                note_id,
                text: text.into(),
            })
            .await
            .unwrap();
    }
    let texts = |notes: Vec<Note>| notes.into_iter().map(|n| n.text).collect::<Vec<_>>();
    let ban = table
        .document_notes_by_text("d")
        .text_begins_with("ban")
        .all()
        .await
        .unwrap();
    assert_eq!(texts(ban), ["ban#ner", "banana", "band"]);
    // A `#` in the prefix is escaped like the stored text: it never ends the segment.
    let escaped = table
        .document_notes_by_text("d")
        .text_begins_with("ban#")
        .all()
        .await
        .unwrap();
    assert_eq!(texts(escaped), ["ban#ner"]);
    assert!(
        table
            .document_notes_by_text("d")
            .text_begins_with("cherry")
            .all()
            .await
            .unwrap()
            .is_empty()
    );
}
