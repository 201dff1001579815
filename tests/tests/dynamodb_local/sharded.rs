//! Write-sharded keys on DynamoDB Local (`schemas/sharded-8.toml`): 10,000 events
//! of one logical partition stored over 8 shards, read back by fan-out queries that
//! must return each item exactly once, in the pattern's order, whatever the sort
//! condition, filter, limit or page size.

use std::sync::OnceLock;

use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
use dynaschema::{Cursor, Error};
use dynaschema_tests::sharded::{sharded_4, sharded_8, sharded_16};
use dynaschema_tests::{client, raw_item, unique_table_name};
use futures::TryStreamExt as _;
use sharded_8::{Event, Notice};

const EVENTS: u32 = 10_000;
const SECRET: &[u8] = b"a 32-byte application secret....";

fn event(at: u32) -> Event {
    Event {
        event_id: format!("ev-{at:05}"),
        at,
        r#type: if at.is_multiple_of(2) { "even" } else { "odd" }.to_owned(),
        data: format!("event #{at}"),
    }
}

/// One table of 10,000 events and 3 notices, shared by the read-only tests of this
/// file (writing it takes seconds; each test reads it its own way).
async fn feed_table() -> sharded_8::sharded_8::Table {
    static NAME: OnceLock<String> = OnceLock::new();
    static READY: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    let name = NAME.get_or_init(|| unique_table_name("sharded"));
    let table = sharded_8::sharded_8::Table::new(client(), name.clone()).with_cursor_key(SECRET);
    READY
        .get_or_init(|| async {
            table
                .create_table()
                .await
                .expect("create the sharded table");
            let events: Vec<Event> = (0..EVENTS).map(event).collect();
            table
                .batch_write()
                .put_all(&events)
                .concurrency(8)
                .await
                .expect("write 10,000 events");
            for i in 0..3 {
                table
                    .put(&Notice {
                        notice_id: format!("n{i}"),
                        text: format!("notice {i}"),
                    })
                    .await
                    .expect("put a notice");
            }
        })
        .await;
    table
}

fn ats(events: &[Event]) -> Vec<u32> {
    events.iter().map(|e| e.at).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_write_stores_the_item_in_the_shard_its_id_hashes_to() {
    let table = feed_table().await;
    for at in [0, 1, 2, 4_321, 9_999] {
        let e = event(at);
        let item = raw_item(
            table.client(),
            table.name(),
            &format!("EVENT#{}", e.event_id),
            "EVENT",
        )
        .await
        .expect("stored");
        let shard = dynaschema::shard::shard_of(&e.event_id, 8);
        assert_eq!(item["gsi1pk"], AttributeValue::S(format!("EVENTS#{shard}")));
        assert_eq!(
            item["gsi1sk"],
            AttributeValue::S(format!("E#{at:010}#{}", e.event_id))
        );
    }
    // The documented hash, on stored data: FNV-1a 64 of `ev-00000` modulo 8.
    assert_eq!(dynaschema::shard::shard_of("ev-00000", 8), 7);
    // A get by id reads the table's own key: no shard involved.
    assert_eq!(table.get_event("ev-00042").await.unwrap(), Some(event(42)));
    // Single puts write the same shard.
    let mut changed = event(7);
    changed.data = "changed".into();
    table.put(&changed).await.unwrap();
    let item = raw_item(table.client(), table.name(), "EVENT#ev-00007", "EVENT")
        .await
        .unwrap();
    assert_eq!(
        item["gsi1pk"],
        AttributeValue::S(format!(
            "EVENTS#{}",
            dynaschema::shard::shard_of("ev-00007", 8)
        ))
    );
    table.put(&event(7)).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fan_out_query_returns_every_item_once_in_order_both_ways() {
    let table = feed_table().await;
    let ascending = table.feed().query().all().await.unwrap();
    assert_eq!(ats(&ascending), (0..EVENTS).collect::<Vec<_>>());
    let descending = table.latest().query().all().await.unwrap();
    assert_eq!(ats(&descending), (0..EVENTS).rev().collect::<Vec<_>>());
    let reversed = table.feed().query().reverse().all().await.unwrap();
    assert_eq!(reversed, descending);
    // `stream` reads page by page: the same items.
    let streamed: Vec<Event> = table
        .feed()
        .query()
        .page_size(100)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, ascending);
}

#[tokio::test(flavor = "multi_thread")]
async fn sort_conditions_and_filters_apply_to_every_shard() {
    let table = feed_table().await;
    let between = table.feed().at_between(&2_000, &2_999).all().await.unwrap();
    assert_eq!(ats(&between), (2_000..3_000).collect::<Vec<_>>());
    let from = table.latest().at_gte(&9_990).all().await.unwrap();
    assert_eq!(ats(&from), (9_990..EVENTS).rev().collect::<Vec<_>>());
    let one = table.feed().at(&1_234).all().await.unwrap();
    assert_eq!(ats(&one), [1_234]);
    let odd = table.feed_of_type("odd").query().all().await.unwrap();
    assert_eq!(ats(&odd), (1..EVENTS).step_by(2).collect::<Vec<_>>());
    let odd_late = table.feed_of_type("odd").at_gt(&9_980).all().await.unwrap();
    assert_eq!(
        ats(&odd_late),
        (9_981..EVENTS).step_by(2).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn limit_takes_the_first_items_of_the_merged_order() {
    let table = feed_table().await;
    let first = table.feed().query().limit(123).all().await.unwrap();
    assert_eq!(ats(&first), (0..123).collect::<Vec<_>>());
    let last = table
        .latest()
        .query()
        .limit(5)
        .page_size(2)
        .all()
        .await
        .unwrap();
    assert_eq!(ats(&last), (9_995..EVENTS).rev().collect::<Vec<_>>());
    let page = table.feed().query().limit(40).page(None).await.unwrap();
    assert_eq!(ats(&page.items), (0..40).collect::<Vec<_>>());
}

/// A small deterministic generator: the page sizes are random but the same on
/// every run, so a failure can be replayed.
fn page_sizes(seed: u64) -> impl Iterator<Item = usize> {
    let mut state = seed;
    std::iter::repeat_with(move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        1 + (state >> 33) as usize % 400
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_of_random_sizes_skip_and_repeat_nothing_across_shards() {
    let table = feed_table().await;
    let mut seen = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let mut pages = 0;
    for size in page_sizes(14) {
        let page = table
            .feed()
            .query()
            .page_size(size)
            .page(cursor.as_ref())
            .await
            .unwrap();
        pages += 1;
        let remaining = EVENTS as usize - seen.len();
        assert_eq!(
            page.items.len(),
            size.min(remaining),
            "page {pages} of size {size}"
        );
        seen.extend(ats(&page.items));
        match page.next {
            // Through text and back, as an API would hand it out.
            Some(next) => cursor = Some(next.to_string().parse().unwrap()),
            None => break,
        }
    }
    assert!(pages >= 50, "{pages} pages");
    assert_eq!(seen, (0..EVENTS).collect::<Vec<_>>());

    // Descending with a filter: the odd events, newest first.
    let mut seen = Vec::new();
    let mut cursor: Option<Cursor> = None;
    for size in page_sizes(7) {
        let page = table
            .feed_of_type("odd")
            .query()
            .reverse()
            .page_size(size)
            .page(cursor.as_ref())
            .await
            .unwrap();
        seen.extend(ats(&page.items));
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, (1..EVENTS).step_by(2).rev().collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tampered_or_foreign_multi_shard_cursor_is_refused() {
    let table = feed_table().await;
    let page = table.feed().query().page_size(10).page(None).await.unwrap();
    let next = page.next.expect("more pages");
    let text = next.to_string();
    let mut bytes = text.into_bytes();
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    let tampered: Cursor = String::from_utf8(bytes).unwrap().parse().unwrap();
    let err = table
        .feed()
        .query()
        .page_size(10)
        .page(Some(&tampered))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
    // Another pattern, or another order, does not take it either.
    let err = table
        .feed_of_type("odd")
        .query()
        .page(Some(&next))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
    let err = table.latest().query().page(Some(&next)).await.unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
    // The genuine one continues exactly after the first page.
    let second = table
        .feed()
        .query()
        .page_size(10)
        .page(Some(&next))
        .await
        .unwrap();
    assert_eq!(ats(&second.items), (10..20).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_collection_of_sharded_members_reads_every_shard() {
    let table = feed_table().await;
    let timeline = table.timeline().await.unwrap();
    assert_eq!(timeline.events.len(), EVENTS as usize);
    assert_eq!(ats(&timeline.events), (0..EVENTS).collect::<Vec<_>>());
    let mut notices: Vec<&str> = timeline
        .notices
        .iter()
        .map(|n| n.notice_id.as_str())
        .collect();
    notices.sort_unstable();
    assert_eq!(notices, ["n0", "n1", "n2"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_shard_count_without_migration_is_an_error_not_wrong_results() {
    let name = unique_table_name("resharded");
    let table = sharded_8::sharded_8::Table::new(client(), name.clone());
    table.create_table().await.unwrap();
    let events: Vec<Event> = (0..200).map(event).collect();
    table.batch_write().put_all(&events).await.unwrap();

    // Raised to 16: items sit in shards their ids no longer hash to.
    let grown = sharded_16::sharded_16::Table::new(client(), name.clone());
    let err = grown.feed().query().all().await.unwrap_err();
    assert!(
        matches!(err, Error::ShardCountChanged { count: 16, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("migrat"), "{err}");
    // Lowered to 4: shards 4 to 7 are not read, but the probe past the last shard
    // finds their items.
    let shrunk = sharded_4::sharded_4::Table::new(client(), name.clone());
    let err = shrunk.feed().query().page(None).await.unwrap_err();
    assert!(
        matches!(err, Error::ShardCountChanged { count: 4, .. }),
        "{err:?}"
    );
    let err = shrunk
        .latest()
        .query()
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ShardCountChanged { count: 4, .. }),
        "{err:?}"
    );

    // The migration rewrites the items whose shard changed (about half: a hash
    // modulo 16 keeps its value modulo 8 for the other half); then the new count
    // reads everything.
    let report = grown.migrate::<sharded_16::Event>().await.unwrap();
    assert_eq!(report.rewritten + report.unchanged, 200, "{report:?}");
    assert!((50..150).contains(&report.rewritten), "{report:?}");
    let all = grown.feed().query().all().await.unwrap();
    assert_eq!(
        all.iter().map(|e| e.at).collect::<Vec<_>>(),
        (0..200).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn updates_and_transactions_write_the_shard_like_puts() {
    let table = sharded_8::sharded_8::Table::new(client(), unique_table_name("sharded-writes"));
    table.create_table().await.unwrap();
    for at in 0..20 {
        table.put(&event(at)).await.unwrap();
    }
    // An update of an index key field rewrites both index keys: the item keeps the
    // shard of its id and moves in the partition's order.
    let f = Event::fields();
    table
        .update(Event::key("ev-00003"))
        .set(&f.at, &100)
        .await
        .unwrap();
    let item = raw_item(table.client(), table.name(), "EVENT#ev-00003", "EVENT")
        .await
        .unwrap();
    let shard = dynaschema::shard::shard_of("ev-00003", 8);
    assert_eq!(item["gsi1pk"], AttributeValue::S(format!("EVENTS#{shard}")));
    assert_eq!(
        item["gsi1sk"],
        AttributeValue::S("E#0000000100#ev-00003".into())
    );
    // A transaction's put writes the shard as well.
    table.transaction().put(&event(50)).await.unwrap();
    let item = raw_item(table.client(), table.name(), "EVENT#ev-00050", "EVENT")
        .await
        .unwrap();
    let shard = dynaschema::shard::shard_of("ev-00050", 8);
    assert_eq!(item["gsi1pk"], AttributeValue::S(format!("EVENTS#{shard}")));
    let mut expected: Vec<u32> = (0..20).filter(|&at| at != 3).collect();
    expected.extend([50, 100]);
    assert_eq!(ats(&table.feed().query().all().await.unwrap()), expected);
}
