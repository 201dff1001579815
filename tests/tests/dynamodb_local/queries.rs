//! Query patterns: key conditions, order, sparse indexes, entity filtering,
//! collections, pagination.

use chrono::{Duration, TimeZone, Utc};
use dynaschema::{Cursor, Error};
use dynaschema_tests::{Document, Note, Reading, Revision, testbed, testbed_table};
use futures::TryStreamExt as _;

fn at(minutes: i64) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap() + Duration::minutes(minutes)
}

#[tokio::test]
async fn query_on_a_gsi_returns_the_partition_newest_first() {
    let table = testbed_table().await;
    for (i, owner) in ["ada", "ada", "alan", "ada"].iter().enumerate() {
        table
            .put(&Document::sample(&format!("d{i}"), owner, at(i as i64)))
            .await
            .unwrap();
    }
    let docs = table.documents_by_owner("ada").all().await.unwrap();
    let ids: Vec<&str> = docs.iter().map(|d| d.doc_id.as_str()).collect();
    assert_eq!(ids, ["d3", "d1", "d0"]);
    let oldest_first = table
        .documents_by_owner("ada")
        .reverse()
        .all()
        .await
        .unwrap();
    assert_eq!(oldest_first.first().unwrap().doc_id, "d0");
    assert!(
        table
            .documents_by_owner("nobody")
            .all()
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn an_item_whose_index_field_is_none_is_not_in_the_sparse_index() {
    let table = testbed_table().await;
    let tagged = Document::sample("tagged", "ada", at(0));
    let mut untagged = Document::sample("untagged", "ada", at(1));
    untagged.tag = None;
    table.put(&tagged).await.unwrap();
    table.put(&untagged).await.unwrap();

    let in_index = table.documents_by_tag("rust").all().await.unwrap();
    assert_eq!(in_index, vec![tagged]);

    // The untagged item carries no by_tag attributes at all.
    let raw = dynaschema_tests::raw_item(table.client(), table.name(), "DOC#untagged", "DOC")
        .await
        .unwrap();
    assert!(
        !raw.contains_key("gsi2pk") && !raw.contains_key("gsi2sk"),
        "{raw:?}"
    );
    assert!(raw.contains_key("gsi1pk") && raw.contains_key("gsi1sk"));
}

#[tokio::test]
async fn a_query_never_decodes_another_entity_sharing_the_partition() {
    let table = testbed_table().await;
    table
        .put(&Document::sample("d", "ada", at(0)))
        .await
        .unwrap();
    for note_id in [2, 1] {
        table
            .put(&Note {
                doc_id: "d".into(),
                note_id,
                text: format!("note {note_id}"),
            })
            .await
            .unwrap();
    }
    for revision in [10, 9, 100] {
        table
            .put(&Revision {
                doc_id: "d".into(),
                revision,
            })
            .await
            .unwrap();
    }
    // `revisions` has no sort key prefix: DynamoDB returns the document and the
    // notes too, and they are skipped, not decoded as revisions.
    let revisions = table.revisions("d").all().await.unwrap();
    let numbers: Vec<u64> = revisions.iter().map(|r| r.revision).collect();
    assert_eq!(numbers, [9, 10, 100]);

    // `document_notes` narrows by the `NOTE#` prefix.
    let notes = table.document_notes("d").all().await.unwrap();
    let ids: Vec<u32> = notes.iter().map(|n| n.note_id).collect();
    assert_eq!(ids, [1, 2]);
}

#[tokio::test]
async fn a_collection_groups_the_partition_by_entity() {
    let table = testbed_table().await;
    let doc = Document::sample("d", "ada", at(0));
    table.put(&doc).await.unwrap();
    let notes: Vec<Note> = (1..=3)
        .map(|note_id| Note {
            doc_id: "d".into(),
            note_id,
            text: "x".into(),
        })
        .collect();
    for note in &notes {
        table.put(note).await.unwrap();
    }
    // Not a member: must be left out, not mistaken for one.
    table
        .put(&Revision {
            doc_id: "d".into(),
            revision: 1,
        })
        .await
        .unwrap();

    let result = table.document_with_notes("d").await.unwrap();
    assert_eq!(result.document, Some(doc));
    assert_eq!(result.notes, notes);

    let empty = table.document_with_notes("missing").await.unwrap();
    assert_eq!(empty.document, None);
    assert!(empty.notes.is_empty());
}

#[tokio::test]
async fn signed_integer_sort_keys_sort_numerically() {
    let table = testbed_table().await;
    let values = [5, -1, 0, i32::MIN, 42, -300, i32::MAX, 7];
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
    let read: Vec<i32> = table
        .readings("s")
        .all()
        .await
        .unwrap()
        .iter()
        .map(|r| r.value)
        .collect();
    let mut sorted = values.to_vec();
    sorted.sort();
    assert_eq!(read, sorted);
}

async fn put_notes(
    table: &dynaschema_tests::testbed::Table,
    doc_id: &str,
    count: u32,
) -> Vec<Note> {
    let notes: Vec<Note> = (0..count)
        .map(|note_id| Note {
            doc_id: doc_id.into(),
            note_id,
            text: "n".repeat(10),
        })
        .collect();
    for note in &notes {
        table.put(note).await.unwrap();
    }
    notes
}

#[tokio::test]
async fn the_stream_pages_through_every_item_in_order() {
    let table = testbed_table().await;
    let notes = put_notes(&table, "d", 230).await;
    // limit(n) on a stream caps the total; without it every page is read.
    let all: Vec<Note> = table
        .document_notes("d")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, notes);
    let first_50: Vec<Note> = table
        .document_notes("d")
        .limit(50)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first_50, notes[..50]);
}

#[tokio::test]
async fn pages_continue_from_their_cursor_until_the_end() {
    let table = testbed_table().await;
    let notes = put_notes(&table, "d", 25).await;
    let mut seen = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let mut pages = 0;
    loop {
        let page = table
            .document_notes("d")
            .page_size(10)
            .page(cursor.as_ref())
            .await
            .unwrap();
        assert!(page.items.len() <= 10);
        seen.extend(page.items);
        pages += 1;
        // Cursors survive a trip through text, as they would to a client and back.
        match page.next {
            Some(next) => cursor = Some(next.to_string().parse().unwrap()),
            None => break,
        }
        assert!(pages < 10, "pagination does not end");
    }
    assert_eq!(seen, notes);
    // Each page reports the read capacity its Query consumed.
    let page = table
        .document_notes("d")
        .limit(10)
        .page(None)
        .await
        .unwrap();
    assert!(page.consumed_capacity > 0.0, "{}", page.consumed_capacity);
}

/// `limit` is what one call returns at most (in all, or in the page); `page_size`
/// how many items each request asks DynamoDB for. A stream of pages of 7 reads every
/// item; a limit below the page size caps the page; `limit(0)` reads nothing.
#[tokio::test]
async fn limit_caps_a_call_and_page_size_sizes_its_requests() {
    let table = testbed_table().await;
    let notes = put_notes(&table, "d", 40).await;
    let q = || table.document_notes("d");
    let paged: Vec<Note> = q().page_size(7).all().await.unwrap();
    assert_eq!(paged, notes);
    let capped: Vec<Note> = q().page_size(7).limit(20).all().await.unwrap();
    assert_eq!(capped, notes[..20]);
    let page = q().page_size(7).page(None).await.unwrap();
    assert_eq!(page.items, notes[..7]);
    let page = q().page_size(7).limit(3).page(None).await.unwrap();
    assert_eq!(page.items, notes[..3]);
    let next = page.next.expect("more after 3");
    let rest = q().page_size(7).page(Some(&next)).await.unwrap();
    assert_eq!(rest.items, notes[3..10]);
    let none = q().limit(0).page(Some(&next)).await.unwrap();
    assert!(none.items.is_empty());
    assert_eq!(none.next.as_ref(), Some(&next), "limit(0) moves no cursor");
    assert!(q().limit(0).all().await.unwrap().is_empty());
    // Scans take the same settings.
    let scanned = table
        .all_notes()
        .page_size(7)
        .limit(12)
        .all()
        .await
        .unwrap();
    assert_eq!(scanned.len(), 12);
}

#[tokio::test]
async fn a_malformed_cursor_is_a_typed_error() {
    let table = testbed_table().await;
    assert!(matches!(
        "%%%".parse::<Cursor>(),
        Err(Error::InvalidCursor { .. })
    ));
    assert!(matches!(
        "AAAA".parse::<Cursor>(),
        Err(Error::InvalidCursor { .. })
    ));
    // A well-formed cursor naming another table's key is refused by the server.
    let foreign: Cursor = "AVMAAAACcGsAAAAGVVNFUiMx".parse().unwrap();
    let err = table
        .document_notes("d")
        .page(Some(&foreign))
        .await
        .unwrap_err();
    match err {
        Error::Service(e) => assert_eq!(e.code(), Some("ValidationException")),
        other => panic!("expected a ValidationException, got {other:?}"),
    }
}

#[tokio::test]
async fn signed_cursors_are_accepted_only_by_the_query_that_made_them() {
    let table = testbed_table()
        .await
        .with_cursor_key(b"a 32-byte application secret....");
    let notes = put_notes(&table, "d", 25).await;
    put_notes(&table, "e", 5).await;
    // Paging works as with plain cursors, through text and back.
    let mut seen = Vec::new();
    let mut cursor: Option<Cursor> = None;
    loop {
        let page = table
            .document_notes("d")
            .limit(10)
            .page(cursor.as_ref())
            .await
            .unwrap();
        seen.extend(page.items);
        match page.next {
            Some(next) => cursor = Some(next.to_string().parse().unwrap()),
            None => break,
        }
    }
    assert_eq!(seen, notes);

    let first = table
        .document_notes("d")
        .limit(10)
        .page(None)
        .await
        .unwrap();
    let next = first.next.unwrap();
    // The same pattern with another parameter: a foreign cursor.
    let err = table
        .document_notes("e")
        .page(Some(&next))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
    // A tampered cursor: one character changed.
    let text = next.to_string();
    let mut bytes = text.clone().into_bytes();
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    let tampered: Cursor = String::from_utf8(bytes).unwrap().parse().unwrap();
    let err = table
        .document_notes("d")
        .page(Some(&tampered))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
    // Another application key, or none, refuses it; an unsigned cursor is refused
    // by a table that signs.
    let other = testbed::Table::new(table.client().clone(), table.name())
        .with_cursor_key(b"another secret");
    let err = other
        .document_notes("d")
        .page(Some(&next))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
    let unsigned = testbed::Table::new(table.client().clone(), table.name());
    let err = unsigned
        .document_notes("d")
        .page(Some(&next))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
    let plain = unsigned
        .document_notes("d")
        .limit(10)
        .page(None)
        .await
        .unwrap()
        .next
        .unwrap();
    let err = table
        .document_notes("d")
        .page(Some(&plain))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
}
