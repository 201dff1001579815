//! End to end: dynaschema against the raw aws-sdk-dynamodb calls hand-written for
//! the same work, on DynamoDB Local and on the embedded server. Every workload runs
//! both ways in each round, the order alternating between rounds, and the report
//! gives each side's median and the ratio of medians.
//!
//! ```text
//! cargo run --release -p dynaschema-bench --bin e2e              # full run (minutes)
//! cargo run --release -p dynaschema-bench --bin e2e -- --quick   # smoke: tiny sizes, one round
//! cargo run --release -p dynaschema-bench --bin e2e -- --server embedded
//! ```
//!
//! Memory: `--memory` (or `--memory-only`) runs a query in child processes —
//! 10,000 items streamed, 100,000 streamed, 100,000 collected — and reports each
//! child's peak RSS.

use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use dynaschema_bench::raw::{
    raw_batch_get, raw_batch_put, raw_customer_with_orders, raw_get_small, raw_put_small,
    raw_query, small_key,
};
use dynaschema_bench::{Customer, Item, Order, Small, bench};
use futures::TryStreamExt;

/// Sizes of one run.
#[derive(Clone, Copy)]
struct Sizes {
    rounds: usize,
    singles: usize,
    query_items: usize,
    query_repeats: usize,
    orders: usize,
    batch_items: usize,
    sequential_puts: usize,
    memory_items: usize,
}

const FULL: Sizes = Sizes {
    rounds: 5,
    singles: 300,
    query_items: 500,
    query_repeats: 10,
    orders: 50,
    batch_items: 10_000,
    sequential_puts: 2_000,
    memory_items: 100_000,
};

const QUICK: Sizes = Sizes {
    rounds: 1,
    singles: 5,
    query_items: 30,
    query_repeats: 1,
    orders: 5,
    batch_items: 60,
    sequential_puts: 10,
    memory_items: 500,
};

/// One workload's timings: per round, dynaschema's and the raw SDK's.
struct Measured {
    name: String,
    unit: &'static str,
    per_round: usize,
    ours: Vec<Duration>,
    raw: Vec<Duration>,
    raw_name: &'static str,
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

impl Measured {
    fn report(&self) {
        let (ours, raw) = (median(&self.ours), median(&self.raw));
        let rate = |d: Duration| self.per_round as f64 / d.as_secs_f64();
        println!(
            "| {} | {:.0} {unit}/s | {:.0} {unit}/s ({}) | {:.2} |",
            self.name,
            rate(ours),
            rate(raw),
            self.raw_name,
            rate(ours) / rate(raw),
            unit = self.unit,
        );
    }
}

/// Runs `ours` and `raw` once per round, alternating which goes first.
async fn compare<A, B, FA, FB>(
    sizes: Sizes,
    name: impl Into<String>,
    unit: &'static str,
    per_round: usize,
    raw_name: &'static str,
    mut ours: A,
    mut raw: B,
) -> Measured
where
    A: FnMut(usize) -> FA,
    B: FnMut(usize) -> FB,
    FA: Future<Output = ()>,
    FB: Future<Output = ()>,
{
    let mut measured = Measured {
        name: name.into(),
        unit,
        per_round,
        ours: Vec::new(),
        raw: Vec::new(),
        raw_name,
    };
    for round in 0..sizes.rounds {
        for side in [round % 2, 1 - round % 2] {
            let start = Instant::now();
            if side == 0 {
                ours(round).await;
                measured.ours.push(start.elapsed());
            } else {
                raw(round).await;
                measured.raw.push(start.elapsed());
            }
        }
    }
    measured
}

async fn run(server: &str, client: Client, sizes: Sizes) -> Vec<Measured> {
    let name = format!("bench-{}", std::process::id());
    let table = bench::Table::new(client.clone(), name.clone());
    table.create_table().await.expect("create the table");
    let raw_table = name.as_str();
    let client = &client;
    let table = &table;
    let mut results = Vec::new();

    // Single operations.
    let singles = sizes.singles;
    results.push(
        compare(
            sizes,
            format!("{server}: put (sequential)"),
            "ops",
            singles,
            "PutItem",
            |round| async move {
                for i in 0..singles {
                    let item = Small::sample("singles", round * singles + i);
                    table.put(&item).await.expect("put");
                }
            },
            |round| async move {
                for i in 0..singles {
                    let item = Small::sample("singles-raw", round * singles + i);
                    raw_put_small(client, raw_table, &item).await;
                }
            },
        )
        .await,
    );
    results.push(
        compare(
            sizes,
            format!("{server}: get (get_small)"),
            "ops",
            singles,
            "GetItem",
            |round| async move {
                for i in 0..singles {
                    let id = Small::sample("singles", round * singles + i).id;
                    let found = table.get_small("singles", &id).await.expect("get");
                    assert!(found.is_some());
                }
            },
            |round| async move {
                for i in 0..singles {
                    let id = Small::sample("singles-raw", round * singles + i).id;
                    raw_get_small(client, raw_table, "singles-raw", &id).await;
                }
            },
        )
        .await,
    );

    // A 500-item query.
    let group: Vec<Small> = (0..sizes.query_items)
        .map(|i| Small::sample("g500", i))
        .collect();
    table
        .batch_write()
        .put_all(&group)
        .await
        .expect("seed the query");
    let repeats = sizes.query_repeats;
    let expected = sizes.query_items;
    results.push(
        compare(
            sizes,
            format!("{server}: query of {expected} items (group_smalls)"),
            "items",
            expected * repeats,
            "Query",
            |_| async move {
                for _ in 0..repeats {
                    let items = table.group_smalls("g500").all().await.expect("query");
                    assert_eq!(items.len(), expected);
                }
            },
            |_| async move {
                for _ in 0..repeats {
                    let items = raw_query(client, raw_table, "GROUP#g500").await;
                    let decoded: Vec<Small> = items
                        .into_iter()
                        .map(|i| Small::from_item_by_hand(i).expect("decodes"))
                        .collect();
                    assert_eq!(decoded.len(), expected);
                }
            },
        )
        .await,
    );

    // A collection: a customer and its orders.
    let orders = sizes.orders;
    let customer = Customer {
        customer_id: "c1".into(),
        name: "Ada".into(),
    };
    let mut writes = table.batch_write().put(&customer);
    let placed: Vec<Order> = (0..orders).map(|i| Order::sample("c1", i)).collect();
    writes = writes.put_all(&placed);
    writes.await.expect("seed the collection");
    results.push(
        compare(
            sizes,
            format!("{server}: collection, customer and {orders} orders"),
            "queries",
            repeats,
            "Query + decode by _et",
            |_| async move {
                for _ in 0..repeats {
                    let found = table.customer_with_orders("c1").await.expect("collection");
                    assert_eq!(found.orders.len(), orders);
                }
            },
            |_| async move {
                for _ in 0..repeats {
                    let (customer, found) = raw_customer_with_orders(client, raw_table, "c1").await;
                    assert!(customer.is_some());
                    assert_eq!(found.len(), orders);
                }
            },
        )
        .await,
    );

    // Batches.
    let n = sizes.batch_items;
    results.push(
        compare(
            sizes,
            format!("{server}: batch_put of {n}"),
            "items",
            n,
            "BatchWriteItem, 4 in flight",
            |round| async move {
                let items: Vec<Small> = (0..n)
                    .map(|i| Small::sample(&format!("b{round}"), i))
                    .collect();
                table
                    .batch_write()
                    .put_all(&items)
                    .await
                    .expect("batch_write");
            },
            |round| async move {
                let items: Vec<Item> = (0..n)
                    .map(|i| Small::sample(&format!("braw{round}"), i).to_item_by_hand())
                    .collect();
                raw_batch_put(client, raw_table, items, 4).await;
            },
        )
        .await,
    );
    let sequential = sizes.sequential_puts;
    results.push(
        compare(
            sizes,
            format!("{server}: batch_put vs sequential PutItem, {sequential} items"),
            "items",
            sequential,
            "PutItem, one at a time",
            |round| async move {
                let items: Vec<Small> = (0..sequential)
                    .map(|i| Small::sample(&format!("s{round}"), i))
                    .collect();
                table
                    .batch_write()
                    .put_all(&items)
                    .await
                    .expect("batch_write");
            },
            |round| async move {
                for i in 0..sequential {
                    client
                        .put_item()
                        .table_name(raw_table)
                        .set_item(Some(
                            Small::sample(&format!("sraw{round}"), i).to_item_by_hand(),
                        ))
                        .send()
                        .await
                        .expect("PutItem");
                }
            },
        )
        .await,
    );
    results.push(
        compare(
            sizes,
            format!("{server}: batch_get of {n}"),
            "items",
            n,
            "BatchGetItem, 4 in flight",
            |round| async move {
                let group = format!("b{round}");
                let keys = (0..n).map(|i| Small::key(&group, &Small::sample(&group, i).id));
                let items = table.batch_get(keys).await.expect("batch_get");
                assert_eq!(items.len(), n);
            },
            |round| async move {
                let group = format!("braw{round}");
                let keys = (0..n)
                    .map(|i| small_key(&group, &Small::sample(&group, i).id))
                    .collect();
                assert_eq!(raw_batch_get(client, raw_table, keys, 4).await, n);
            },
        )
        .await,
    );
    table
        .client()
        .delete_table()
        .table_name(raw_table)
        .send()
        .await
        .expect("drop the table");
    results
}

/// Peak resident set size of this process, from `/proc/self/status`.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Child side of `--memory`: reads the partition streamed or collected and prints
/// the item count and this process's peak RSS.
async fn memory_child(endpoint: &str, table: &str, mode: &str, group: &str) {
    let table = bench::Table::new(dynaschema::local::client(endpoint), table);
    let count = if mode == "stream" {
        let mut count = 0_usize;
        let mut items = table.group_smalls(group).stream();
        while let Some(item) = items.try_next().await.expect("query") {
            std::hint::black_box(item);
            count += 1;
        }
        count
    } else {
        table.group_smalls(group).all().await.expect("query").len()
    };
    println!("{count} {}", peak_rss_kib());
}

async fn memory(server: &str, endpoint: &str, client: Client, sizes: Sizes) {
    let name = format!("bench-mem-{}", std::process::id());
    let table = bench::Table::new(client, name.clone());
    table.create_table().await.expect("create the table");
    // The same query over a tenth of the items: a flat stream peaks as high.
    for (group, n) in [
        ("mem", sizes.memory_items),
        ("mem10", sizes.memory_items / 10),
    ] {
        let items: Vec<Small> = (0..n).map(|i| Small::sample(group, i)).collect();
        table
            .batch_write()
            .put_all(&items)
            .await
            .expect("seed the memory query");
    }
    let exe = std::env::current_exe().expect("this binary");
    for (mode, group) in [("stream", "mem10"), ("stream", "mem"), ("collect", "mem")] {
        let output = std::process::Command::new(&exe)
            .args(["--memory-child", endpoint, &name, mode, group])
            .output()
            .expect("run the memory child");
        let text = String::from_utf8_lossy(&output.stdout);
        let mut parts = text.split_whitespace();
        let (count, rss) = (parts.next().unwrap_or("?"), parts.next().unwrap_or("?"));
        println!("| {server}: {mode} a {count}-item query | peak RSS {rss} KiB |");
    }
    table
        .client()
        .delete_table()
        .table_name(&name)
        .send()
        .await
        .expect("drop the table");
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, endpoint, table, mode, group] = args.as_slice()
        && flag == "--memory-child"
    {
        memory_child(endpoint, table, mode, group).await;
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let only_memory = args.iter().any(|a| a == "--memory-only");
    let with_memory = only_memory || args.iter().any(|a| a == "--memory");
    let server = args
        .iter()
        .position(|a| a == "--server")
        .and_then(|i| args.get(i + 1))
        .map_or("both", String::as_str);
    let sizes = if quick { QUICK } else { FULL };
    println!(
        "| workload | dynaschema (median of {}) | raw SDK | ratio |\n|---|---|---|---|",
        sizes.rounds
    );
    if matches!(server, "both" | "local") {
        let local = dynaschema::local::DynamoDbLocal::shared()
            .unwrap_or_else(|e| panic!("DynamoDB Local could not start: {e}"));
        if !only_memory {
            for m in run("DynamoDB Local", local.client(), sizes).await {
                m.report();
            }
        }
        if with_memory || quick {
            memory("DynamoDB Local", local.endpoint(), local.client(), sizes).await;
        }
    }
    if matches!(server, "both" | "embedded") {
        let embedded = dynaschema::local::Embedded::start()
            .unwrap_or_else(|e| panic!("the embedded server could not start: {e}"));
        if !only_memory {
            for m in run("embedded", embedded.client(), sizes).await {
                m.report();
            }
        }
        if with_memory || quick {
            memory("embedded", embedded.endpoint(), embedded.client(), sizes).await;
        }
    }
}
