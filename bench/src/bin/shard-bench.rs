//! The sharding benchmark: what write sharding buys a hot partition, and what its
//! fan-out reads cost.
//!
//! 1. **Writes under a per-partition limit.** The loopback fault proxy
//!    (`dynaschema_tests::fault_proxy`) answers `ProvisionedThroughputExceededException`
//!    past a number of writes per second per `gsi1pk` value, as DynamoDB does per
//!    partition. N events are written by batch writes (8 in flight; what a batch
//!    leaves unprocessed after its 8 attempts is written again) into one hot
//!    partition (`EVENTS`) and into the same partition sharded 8 ways
//!    (`EVENTS#{shard}`): throughput and throttled writes of each.
//! 2. **Fan-out reads.** The same N events read back by the `feed` pattern, from one
//!    partition and from 8 shards merged in order, rounds interleaved: items/s.
//! 3. **Memory.** The peak of heap allocated while streaming M events over 8 shards
//!    (a counting allocator), against collecting them all.
//!
//! ```text
//! cargo run --release -p dynaschema-bench --bin shard-bench            # 20,000 / 100,000 events
//! cargo run -p dynaschema-bench --bin shard-bench -- --quick           # smoke: 1,000 / 2,000
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use dynaschema::aws_sdk_dynamodb::Client;
use dynaschema_tests::fault_proxy::{FaultProxy, Faults, PartitionLimit};
use futures::TryStreamExt as _;

/// Counts the bytes allocated now and at most since the last [`reset_peak`].
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Starts a new peak at the current allocation; returns the current allocation.
fn reset_peak() -> usize {
    let now = CURRENT.load(Ordering::Relaxed);
    PEAK.store(now, Ordering::Relaxed);
    now
}

mod hot {
    use dynaschema::Entity;

    /// An event, in one hot partition.
    #[derive(Entity, Clone, Debug, PartialEq)]
    #[entity(schema = "schemas/shard-hot.toml")]
    pub struct Event {
        pub event_id: String,
        pub at: u32,
        pub data: String,
    }

    dynaschema::include_schema!(pub shard_hot);
}

mod sharded {
    use dynaschema::Entity;

    /// An event, in 8 shards.
    #[derive(Entity, Clone, Debug, PartialEq)]
    #[entity(schema = "schemas/shard-sharded.toml")]
    pub struct Event {
        pub event_id: String,
        pub at: u32,
        pub data: String,
    }

    dynaschema::include_schema!(pub shard_sharded);
}

/// Writes per second per partition value the proxy allows. DynamoDB's is about
/// 1,000; this is scaled down so that on a local server the limit, not the server,
/// bounds the hot partition's writes (8 shards need 8 times the server's speed).
const PARTITION_LIMIT: u32 = 200;
const IN_FLIGHT: usize = 8;

fn data(at: u32) -> String {
    format!("event {at}: {}", "x".repeat(100))
}

/// Writes events `0..n` with batch writes (`IN_FLIGHT` requests at once), writing
/// again the events a batch left unprocessed after its own retries, until all have
/// landed. `write` writes the events of the given `at`s and returns those it could
/// not. Returns the elapsed time and how many batch writes ended with leftovers.
async fn write_all<F, Fut>(n: u32, write: F) -> (Duration, u64)
where
    F: Fn(Vec<u32>) -> Fut,
    Fut: std::future::Future<Output = Vec<u32>>,
{
    let started = Instant::now();
    let mut left: Vec<u32> = (0..n).collect();
    let mut incomplete = 0;
    while !left.is_empty() {
        left = write(left).await;
        if !left.is_empty() {
            incomplete += 1;
        }
    }
    (started.elapsed(), incomplete)
}

/// The `at` of each event a batch left unprocessed (its key is `EVENT#ev-000123`).
fn unprocessed(result: dynaschema::Result<()>) -> Vec<u32> {
    match result {
        Ok(()) => Vec::new(),
        Err(dynaschema::Error::Unprocessed { keys, .. }) => keys
            .iter()
            .filter_map(|key| {
                key.get("pk")?
                    .as_s()
                    .ok()?
                    .strip_prefix("EVENT#ev-")?
                    .parse()
                    .ok()
            })
            .collect(),
        Err(e) => panic!("batch write: {e}"),
    }
}

async fn drop_table(client: &Client, name: &str) {
    client
        .delete_table()
        .table_name(name)
        .send()
        .await
        .expect("delete the table");
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (writes, streamed, rounds) = if quick {
        (1_000, 2_000, 1)
    } else {
        (20_000, 100_000, 3)
    };
    let local = dynaschema::local::DynamoDbLocal::shared()
        .unwrap_or_else(|e| panic!("DynamoDB Local could not start: {e}"));
    let client = local.client();
    let pid = std::process::id();

    // 1. Writes through the per-partition limit.
    let faults = Faults {
        partition_limit: Some(PartitionLimit {
            attribute: "gsi1pk",
            writes_per_second: PARTITION_LIMIT,
        }),
        ..Faults::default()
    };
    println!(
        "| {writes} items by BatchWriteItem, {IN_FLIGHT} in flight, limit {PARTITION_LIMIT} writes/s per partition | elapsed | items/s | items throttled (sent back unprocessed) | batch writes given up after 8 attempts |\n|---|---|---|---|---|"
    );
    let hot_table = hot::shard_hot::Table::new(client.clone(), format!("bench-hot-{pid}"));
    hot_table.create_table().await.expect("create");
    let proxy = FaultProxy::start(local.endpoint(), faults, 1).await;
    let through = hot::shard_hot::Table::new(proxy.client(), hot_table.name());
    let (hot_time, hot_failed) = write_all(writes, |ats| {
        let events: Vec<hot::Event> = ats
            .into_iter()
            .map(|at| hot::Event {
                event_id: format!("ev-{at:06}"),
                at,
                data: data(at),
            })
            .collect();
        let table = &through;
        async move {
            unprocessed(
                table
                    .batch_write()
                    .put_all(&events)
                    .concurrency(IN_FLIGHT)
                    .await,
            )
        }
    })
    .await;
    let hot_throttled = proxy.injected.partition_throttle.load(Ordering::Relaxed);
    // More puts than one second's worth of the limit: the hot partition throttles.
    assert!(hot_throttled > 0, "the proxy throttled nothing");
    drop(proxy);
    let sharded_table =
        sharded::shard_sharded::Table::new(client.clone(), format!("bench-sharded-{pid}"));
    sharded_table.create_table().await.expect("create");
    let proxy = FaultProxy::start(local.endpoint(), faults, 1).await;
    let through = sharded::shard_sharded::Table::new(proxy.client(), sharded_table.name());
    let (sharded_time, sharded_failed) = write_all(writes, |ats| {
        let events: Vec<sharded::Event> = ats
            .into_iter()
            .map(|at| sharded::Event {
                event_id: format!("ev-{at:06}"),
                at,
                data: data(at),
            })
            .collect();
        let table = &through;
        async move {
            unprocessed(
                table
                    .batch_write()
                    .put_all(&events)
                    .concurrency(IN_FLIGHT)
                    .await,
            )
        }
    })
    .await;
    let sharded_throttled = proxy.injected.partition_throttle.load(Ordering::Relaxed);
    drop(proxy);
    let rate = |n: u32, t: Duration| f64::from(n) / t.as_secs_f64();
    println!(
        "| one partition (`EVENTS`) | {hot_time:.2?} | {:.0} | {hot_throttled} | {hot_failed} |",
        rate(writes, hot_time)
    );
    println!(
        "| 8 shards (`EVENTS#0..7`) | {sharded_time:.2?} | {:.0} | {sharded_throttled} | {sharded_failed} |",
        rate(writes, sharded_time)
    );
    println!(
        "| ratio (8 shards / one partition) | | {:.2} | | |",
        rate(writes, sharded_time) / rate(writes, hot_time)
    );

    // 2. Fan-out reads of the same items, rounds interleaved.
    let (mut one, mut fan) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        for first in [round % 2 == 0, round % 2 != 0] {
            let started = Instant::now();
            let n = if first {
                hot_table.feed().query().all().await.expect("read").len()
            } else {
                sharded_table
                    .feed()
                    .query()
                    .all()
                    .await
                    .expect("read")
                    .len()
            };
            assert_eq!(n, writes as usize);
            if first {
                one.push(started.elapsed());
            } else {
                fan.push(started.elapsed());
            }
        }
    }
    let (one, fan) = (median(one), median(fan));
    println!(
        "\n| read all {writes} events (`feed().query().all()`, median of {rounds}) | elapsed | items/s |\n|---|---|---|"
    );
    println!("| one partition | {one:.2?} | {:.0} |", rate(writes, one));
    println!(
        "| 8 shards, fan-out and merge | {fan:.2?} | {:.0} |",
        rate(writes, fan)
    );
    println!(
        "| ratio (8 shards / one partition) | | {:.2} |",
        rate(writes, fan) / rate(writes, one)
    );
    drop_table(&client, hot_table.name()).await;
    drop_table(&client, sharded_table.name()).await;

    // 3. Peak memory while streaming over 8 shards.
    let table = sharded::shard_sharded::Table::new(client.clone(), format!("bench-stream-{pid}"));
    table.create_table().await.expect("create");
    let events: Vec<sharded::Event> = (0..streamed)
        .map(|at| sharded::Event {
            event_id: format!("ev-{at:06}"),
            at,
            data: data(at),
        })
        .collect();
    table
        .batch_write()
        .put_all(&events)
        .concurrency(8)
        .await
        .expect("write events");
    drop(events);
    let stream_peak = |page_size: Option<usize>| {
        let table = &table;
        async move {
            let base = reset_peak();
            let query = table.feed().query();
            let query = match page_size {
                Some(n) => query.page_size(n),
                None => query,
            };
            let mut stream = query.stream();
            let (mut seen, mut last) = (0u32, None);
            while let Some(event) = stream.try_next().await.expect("stream") {
                assert!(last < Some(event.at), "out of order");
                last = Some(event.at);
                seen += 1;
            }
            drop(stream);
            assert_eq!(seen, streamed);
            PEAK.load(Ordering::Relaxed) - base
        }
    };
    let streaming_peak = stream_peak(None).await;
    let paged_peak = stream_peak(Some(100)).await;
    let base = reset_peak();
    let all = table.feed().query().all().await.expect("read");
    let collected_peak = PEAK.load(Ordering::Relaxed) - base;
    assert_eq!(all.len(), streamed as usize);
    drop(all);
    println!("\n| {streamed} events of ~160 bytes over 8 shards | client heap peak |\n|---|---|");
    println!(
        "| `stream()` (one 1 MB page per shard at most) | {:.1} MB |",
        streaming_peak as f64 / 1e6
    );
    println!(
        "| `page_size(100).stream()` (100 items per shard at most) | {:.1} MB |",
        paged_peak as f64 / 1e6
    );
    println!(
        "| `all()` (every item in a Vec) | {:.1} MB |",
        collected_peak as f64 / 1e6
    );
    drop_table(&client, table.name()).await;
}
