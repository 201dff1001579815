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
