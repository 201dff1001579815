//! dynaschema against the tools a team would pick instead — ElectroDB and
//! DynamoDB-Toolbox on Node.js, modyne in Rust — and the raw SDK, doing the same
//! workloads against the same server in one run, with each client's own CPU time per
//! operation.
//!
//! ```text
//! cargo run --release -p dynaschema-bench --bin peers                   # full run (minutes)
//! cargo run --release -p dynaschema-bench --bin peers -- --quick        # smoke: tiny sizes, one round
//! cargo run --release -p dynaschema-bench --bin peers -- --server local # or embedded
//! cargo run --release -p dynaschema-bench --bin peers -- --serve FILE   # the embedded server alone
//! ```
//!
//! Every client runs in a child process of its own, one per round (this binary with
//! `--client raw|dynaschema|modyne`, or `node bench/peers/peers.mjs --client
//! electrodb|toolbox`), so that what the client costs is measured apart from the
//! server (the embedded server runs in this, the parent, process). A child seeds its
//! own data untimed, then runs each workload and reports its wall time and its
//! process's user + system CPU time across the workload (`getrusage`, Node's
//! `process.cpuUsage()`): start-up and module loading are outside. A warm-up round
//! comes first and is not counted; then the clients' order rotates from round to
//! round, and the report gives medians.
//!
//! The Node peers need `npm ci` in `bench/peers` (their versions are pinned by its
//! package-lock.json); this binary runs it when `node_modules` is missing, and says
//! so on stdout when Node.js or npm is missing (they are then left out, not the run).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use dynaschema_bench::modyne_peer::{self, CustomerWithOrdersQuery, Db, GroupSmalls};
use dynaschema_bench::raw::{
    raw_batch_get, raw_batch_put, raw_customer_with_orders, raw_get_small, raw_put_small,
    raw_query, small_key,
};
use dynaschema_bench::{Customer, Item, Order, Small, bench};
use modyne::{EntityExt, ProjectionExt};

/// Sizes of one run.
#[derive(Clone, Copy, Debug)]
struct Sizes {
    rounds: usize,
    singles: usize,
    query_items: usize,
    query_repeats: usize,
    orders: usize,
    collection_repeats: usize,
    batch_items: usize,
}

const FULL: Sizes = Sizes {
    rounds: 5,
    singles: 1_000,
    query_items: 500,
    query_repeats: 20,
    orders: 50,
    collection_repeats: 100,
    batch_items: 10_000,
};

const QUICK: Sizes = Sizes {
    rounds: 1,
    singles: 5,
    query_items: 30,
    query_repeats: 2,
    orders: 5,
    collection_repeats: 2,
    batch_items: 60,
};

impl Sizes {
    /// The sizes as the children take them: `singles,query_items,...`.
    fn arg(&self) -> String {
        format!(
            "{},{},{},{},{},{}",
            self.singles,
            self.query_items,
            self.query_repeats,
            self.orders,
            self.collection_repeats,
            self.batch_items
        )
    }

    fn parse(arg: &str) -> Self {
        let n: Vec<usize> = arg
            .split(',')
            .map(|n| n.parse().expect("--sizes: six numbers"))
            .collect();
        let [
            singles,
            query_items,
            query_repeats,
            orders,
            collection_repeats,
            batch_items,
        ] = n[..]
        else {
            panic!("--sizes: six numbers, found {arg}");
        };
        Sizes {
            rounds: 1,
            singles,
            query_items,
            query_repeats,
            orders,
            collection_repeats,
            batch_items,
        }
    }
}

/// The workloads, in the order a child runs them: name, and what one unit is.
const WORKLOADS: [(&str, &str, &str); 6] = [
    ("put", "put", "puts"),
    ("get", "get", "gets"),
    ("query", "query", "queries"),
    ("collection", "query", "queries"),
    ("batch_put", "item", "items"),
    ("batch_get", "item", "items"),
];

fn describe(workload: &str, sizes: Sizes) -> String {
    match workload {
        "put" => format!("put, sequential ({} per round)", sizes.singles),
        "get" => format!("get, sequential ({} per round)", sizes.singles),
        "query" => format!("query of {} items, all pages", sizes.query_items),
        "collection" => format!("collection: a customer and {} orders", sizes.orders),
        "batch_put" => format!("batch write of {}", sizes.batch_items),
        _ => format!("batch get of {}", sizes.batch_items),
    }
}

/// This process's user + system CPU time.
fn cpu_time() -> Duration {
    // SAFETY: getrusage writes the struct it is given; a zeroed rusage is valid.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// The workloads a child runs: every one, or those of `--only a,b` (for profiling
/// one workload by hand: the seeding still runs).
static ONLY: std::sync::OnceLock<Option<Vec<String>>> = std::sync::OnceLock::new();

/// Runs one workload and prints its line: `RESULT name units wall_secs cpu_secs`.
async fn timed(name: &str, units: usize, work: impl Future<Output = ()>) {
    if let Some(Some(only)) = ONLY.get()
        && !only.iter().any(|w| w == name)
    {
        return;
    }
    let (start, cpu) = (Instant::now(), cpu_time());
    work.await;
    let (wall, cpu) = (start.elapsed(), cpu_time() - cpu);
    println!(
        "RESULT {name} {units} {:.6} {:.6}",
        wall.as_secs_f64(),
        cpu.as_secs_f64()
    );
}

/// The keys of one round's data, per client: each writes and reads its own.
struct Names {
    singles: String,
    query: String,
    customer: String,
    batch: String,
}

impl Names {
    fn new(client: &str, round: usize) -> Self {
        Names {
            singles: format!("{client}-r{round}"),
            query: format!("{client}-q"),
            customer: format!("{client}-c"),
            batch: format!("{client}-b{round}"),
        }
    }
}

fn orders_of(customer: &str, n: usize) -> Vec<Order> {
    (0..n).map(|i| Order::sample(customer, i)).collect()
}

/// Child: the raw SDK, every call and decoding written by hand.
async fn child_raw(client: &Client, table: &str, names: &Names, sizes: Sizes) {
    let group: Vec<Item> = (0..sizes.query_items)
        .map(|i| Small::sample(&names.query, i).to_item_by_hand())
        .collect();
    raw_batch_put(client, table, group, 4).await;
    let customer = Customer {
        customer_id: names.customer.clone(),
        name: "Ada".into(),
    };
    let mut items = vec![customer.to_item_by_hand()];
    items.extend(
        orders_of(&names.customer, sizes.orders)
            .iter()
            .map(Order::to_item_by_hand),
    );
    raw_batch_put(client, table, items, 4).await;

    timed("put", sizes.singles, async {
        for i in 0..sizes.singles {
            raw_put_small(client, table, &Small::sample(&names.singles, i)).await;
        }
    })
    .await;
    timed("get", sizes.singles, async {
        for i in 0..sizes.singles {
            let id = Small::sample(&names.singles, i).id;
            raw_get_small(client, table, &names.singles, &id).await;
        }
    })
    .await;
    timed("query", sizes.query_repeats, async {
        for _ in 0..sizes.query_repeats {
            let items = raw_query(client, table, &format!("GROUP#{}", names.query)).await;
            let decoded: Vec<Small> = items
                .into_iter()
                .map(|i| Small::from_item_by_hand(i).expect("decodes"))
                .collect();
            assert_eq!(decoded.len(), sizes.query_items);
        }
    })
    .await;
    timed("collection", sizes.collection_repeats, async {
        for _ in 0..sizes.collection_repeats {
            let (customer, orders) = raw_customer_with_orders(client, table, &names.customer).await;
            assert!(customer.is_some());
            assert_eq!(orders.len(), sizes.orders);
        }
    })
    .await;
    timed("batch_put", sizes.batch_items, async {
        let items: Vec<Item> = (0..sizes.batch_items)
            .map(|i| Small::sample(&names.batch, i).to_item_by_hand())
            .collect();
        raw_batch_put(client, table, items, 4).await;
    })
    .await;
    timed("batch_get", sizes.batch_items, async {
        let keys = (0..sizes.batch_items)
            .map(|i| small_key(&names.batch, &Small::sample(&names.batch, i).id))
            .collect();
        assert_eq!(
            raw_batch_get(client, table, keys, 4).await,
            sizes.batch_items
        );
    })
    .await;
}

/// Child: dynaschema, the generated table and patterns.
async fn child_dynaschema(client: &Client, table: &str, names: &Names, sizes: Sizes) {
    let table = bench::Table::new(client.clone(), table);
    let group: Vec<Small> = (0..sizes.query_items)
        .map(|i| Small::sample(&names.query, i))
        .collect();
    table.batch_write().put_all(&group).await.expect("seed");
    let customer = Customer {
        customer_id: names.customer.clone(),
        name: "Ada".into(),
    };
    let orders = orders_of(&names.customer, sizes.orders);
    let seed = table.batch_write().put(&customer).put_all(&orders);
    seed.await.expect("seed");

    timed("put", sizes.singles, async {
        for i in 0..sizes.singles {
            table
                .put(&Small::sample(&names.singles, i))
                .await
                .expect("put");
        }
    })
    .await;
    timed("get", sizes.singles, async {
        for i in 0..sizes.singles {
            let id = Small::sample(&names.singles, i).id;
            let found = table.get_small(&names.singles, &id).await.expect("get");
            assert!(found.is_some());
        }
    })
    .await;
    timed("query", sizes.query_repeats, async {
        for _ in 0..sizes.query_repeats {
            let items = table.group_smalls(&names.query).all().await.expect("query");
            assert_eq!(items.len(), sizes.query_items);
        }
    })
    .await;
    timed("collection", sizes.collection_repeats, async {
        for _ in 0..sizes.collection_repeats {
            let found = table
                .customer_with_orders(&names.customer)
                .await
                .expect("collection");
            assert!(found.customer.is_some());
            assert_eq!(found.orders.len(), sizes.orders);
        }
    })
    .await;
    timed("batch_put", sizes.batch_items, async {
        let items: Vec<Small> = (0..sizes.batch_items)
            .map(|i| Small::sample(&names.batch, i))
            .collect();
        table
            .batch_write()
            .put_all(&items)
            .await
            .expect("batch_write");
    })
    .await;
    timed("batch_get", sizes.batch_items, async {
        let keys = (0..sizes.batch_items)
            .map(|i| Small::key(&names.batch, &Small::sample(&names.batch, i).id));
        let items = table.batch_get(keys).await.expect("batch_get");
        assert_eq!(items.len(), sizes.batch_items);
    })
    .await;
}

/// Child: modyne (`dynaschema_bench::modyne_peer`).
async fn child_modyne(client: &Client, table: &str, names: &Names, sizes: Sizes) {
    let db = &Db {
        name: table.to_owned(),
        client: client.clone(),
    };
    let group: Vec<Small> = (0..sizes.query_items)
        .map(|i| Small::sample(&names.query, i))
        .collect();
    modyne_peer::batch_put(db, group, 4).await;
    let customer = Customer {
        customer_id: names.customer.clone(),
        name: "Ada".into(),
    };
    customer.put().execute(db).await.expect("seed");
    modyne_peer::batch_put(db, orders_of(&names.customer, sizes.orders), 4).await;

    timed("put", sizes.singles, async {
        for i in 0..sizes.singles {
            Small::sample(&names.singles, i)
                .put()
                .execute(db)
                .await
                .expect("put");
        }
    })
    .await;
    timed("get", sizes.singles, async {
        for i in 0..sizes.singles {
            let id = Small::sample(&names.singles, i).id;
            let output = Small::get((&names.singles, &id))
                .execute(db)
                .await
                .expect("get");
            Small::from_item(output.item.expect("found")).expect("decodes");
        }
    })
    .await;
    timed("query", sizes.query_repeats, async {
        for _ in 0..sizes.query_repeats {
            let group = GroupSmalls {
                group: &names.query,
            };
            let items = modyne_peer::query_all(db, &group).await.expect("query");
            assert_eq!(items.len(), sizes.query_items);
        }
    })
    .await;
    timed("collection", sizes.collection_repeats, async {
        for _ in 0..sizes.collection_repeats {
            let query = CustomerWithOrdersQuery {
                customer_id: &names.customer,
            };
            let found = modyne_peer::query_all(db, &query)
                .await
                .expect("collection");
            assert!(found.customer.is_some());
            assert_eq!(found.orders.len(), sizes.orders);
        }
    })
    .await;
    timed("batch_put", sizes.batch_items, async {
        let items: Vec<Small> = (0..sizes.batch_items)
            .map(|i| Small::sample(&names.batch, i))
            .collect();
        modyne_peer::batch_put(db, items, 4).await;
    })
    .await;
    timed("batch_get", sizes.batch_items, async {
        let keys = (0..sizes.batch_items)
            .map(|i| (names.batch.clone(), Small::sample(&names.batch, i).id))
            .collect();
        let items = modyne_peer::batch_get_smalls(db, keys, 4).await;
        assert_eq!(items.len(), sizes.batch_items);
    })
    .await;
}

/// A client child's side: one round of every workload.
fn child(args: &[String]) {
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .unwrap_or_else(|| panic!("{name} is required"))
            .clone()
    };
    let (client_name, endpoint, table) = (arg("--client"), arg("--endpoint"), arg("--table"));
    let round: usize = arg("--round").parse().expect("--round: a number");
    let sizes = Sizes::parse(&arg("--sizes"));
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(|list| list.split(',').map(str::to_owned).collect());
    ONLY.set(only).expect("set once");
    // One thread, as a Lambda function's handler and the Node peers have.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    runtime.block_on(async {
        let client = dynaschema::local::client(&endpoint);
        let names = Names::new(&client_name, round);
        match client_name.as_str() {
            "raw" => child_raw(&client, &table, &names, sizes).await,
            "dynaschema" => child_dynaschema(&client, &table, &names, sizes).await,
            "modyne" => child_modyne(&client, &table, &names, sizes).await,
            other => panic!("unknown client {other}"),
        }
    });
}

/// A client the parent runs: its name, and how its child is started.
struct Peer {
    name: &'static str,
    label: &'static str,
    node: bool,
}

const PEERS: [Peer; 5] = [
    Peer {
        name: "raw",
        label: "raw SDK, hand-written",
        node: false,
    },
    Peer {
        name: "dynaschema",
        label: "dynaschema",
        node: false,
    },
    Peer {
        name: "modyne",
        label: "modyne 0.3",
        node: false,
    },
    Peer {
        name: "electrodb",
        label: "ElectroDB 3 (Node.js)",
        node: true,
    },
    Peer {
        name: "toolbox",
        label: "DynamoDB-Toolbox 2 (Node.js)",
        node: true,
    },
];

fn peers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("peers")
}

/// Whether the Node peers can run: Node.js present and `bench/peers/node_modules`
/// installed (by `npm ci`, when npm is present). Says why not on stdout.
fn node_ready() -> bool {
    let dir = peers_dir();
    if Command::new("node").arg("--version").output().is_err() {
        println!("Node.js peers left out: `node` was not found on PATH.");
        return false;
    }
    if dir.join("node_modules").is_dir() {
        return true;
    }
    match Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .status()
    {
        Ok(status) if status.success() => true,
        Ok(status) => panic!("`npm ci` in {} failed: {status}", dir.display()),
        Err(_) => {
            println!("Node.js peers left out: `npm` was not found on PATH to install them.");
            false
        }
    }
}

/// Each workload's measurements, per client: wall times and CPU times.
#[derive(Default)]
struct Samples {
    units: usize,
    wall: Vec<f64>,
    cpu: Vec<f64>,
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

/// Runs one child and adds its results.
fn run_child(
    peer: &Peer,
    endpoint: &str,
    table: &str,
    round: usize,
    sizes: Sizes,
    samples: &mut BTreeMap<(String, String), Samples>,
) {
    let mut command = if peer.node {
        let mut command = Command::new("node");
        command.arg(peers_dir().join("peers.mjs"));
        command
    } else {
        Command::new(std::env::current_exe().expect("this binary"))
    };
    let output = command
        .args([
            "--client",
            peer.name,
            "--endpoint",
            endpoint,
            "--table",
            table,
        ])
        .args(["--round", &round.to_string(), "--sizes", &sizes.arg()])
        .output()
        .unwrap_or_else(|e| panic!("could not start the {} client: {e}", peer.name));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the {} client failed ({}):\n{stdout}\n{}",
        peer.name,
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let mut seen = 0;
    for line in stdout.lines().filter_map(|l| l.strip_prefix("RESULT ")) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [workload, units, wall, cpu] = parts[..] else {
            panic!("{}: a bad RESULT line: {line}", peer.name);
        };
        let entry = samples
            .entry((peer.name.to_owned(), workload.to_owned()))
            .or_default();
        entry.units = units.parse().expect("units");
        entry.wall.push(wall.parse().expect("wall seconds"));
        entry.cpu.push(cpu.parse().expect("CPU seconds"));
        seen += 1;
    }
    assert_eq!(
        seen,
        WORKLOADS.len(),
        "{} reported {seen} of {} workloads:\n{stdout}",
        peer.name,
        WORKLOADS.len()
    );
}

fn format_rate(rate: f64) -> String {
    let whole = rate.round() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn format_cpu(seconds: f64) -> String {
    let micros = seconds * 1e6;
    if micros >= 1_000.0 {
        format!("{:.2} ms", micros / 1_000.0)
    } else {
        format!("{micros:.1} µs")
    }
}

async fn run(server: &str, endpoint: &str, client: Client, sizes: Sizes, peers: &[&Peer]) {
    let name = format!("peers-{}", std::process::id());
    let table = bench::Table::new(client, name.clone());
    table.create_table().await.expect("create the table");
    if sizes.rounds > 1 {
        // A warm-up round, not counted: DynamoDB Local's JIT, the page cache, the
        // table's first writes.
        let mut discarded = BTreeMap::new();
        for peer in peers {
            tokio::task::block_in_place(|| {
                run_child(peer, endpoint, &name, sizes.rounds, sizes, &mut discarded);
            });
        }
    }
    let mut samples = BTreeMap::new();
    for round in 0..sizes.rounds {
        for i in 0..peers.len() {
            let peer = peers[(i + round) % peers.len()];
            // The embedded server shares this runtime: block this thread only.
            tokio::task::block_in_place(|| {
                run_child(peer, endpoint, &name, round, sizes, &mut samples);
            });
        }
    }
    println!(
        "\n### {server}\n\n| workload | client | throughput (median of {}) | vs dynaschema | client CPU (median) | CPU vs raw SDK |\n|---|---|---|---|---|---|",
        sizes.rounds
    );
    for (workload, unit, units) in WORKLOADS {
        let stat = |peer: &str| {
            let s = &samples[&(peer.to_owned(), workload.to_owned())];
            let units = s.units as f64;
            (units / median(&s.wall), median(&s.cpu) / units)
        };
        let (ours, _) = stat("dynaschema");
        let (_, raw_cpu) = stat("raw");
        for peer in peers {
            let (rate, cpu) = stat(peer.name);
            println!(
                "| {server}: {} | {} | {} {units}/s | {:.2} | {} per {unit} | {:.2}x |",
                describe(workload, sizes),
                peer.label,
                format_rate(rate),
                rate / ours,
                format_cpu(cpu),
                cpu / raw_cpu
            );
        }
    }
    table
        .client()
        .delete_table()
        .table_name(&name)
        .send()
        .await
        .expect("drop the table");
}

/// `--serve FILE`: runs the embedded server until killed, with the benchmark table
/// `peers` created, its endpoint written to FILE: for bench/adoption.sh's start-up
/// measurement and for profiling one client by hand, e.g.
/// `valgrind --tool=callgrind peers --client dynaschema --endpoint URL --table peers
/// --round 0 --sizes 0,500,0,50,0,2000 --only batch_put`.
fn serve(file: &str) {
    let embedded = dynaschema::local::Embedded::start()
        .unwrap_or_else(|e| panic!("the embedded server could not start: {e}"));
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime")
        .block_on(bench::Table::new(embedded.client(), "peers").create_table())
        .expect("create the table");
    std::fs::write(file, embedded.endpoint()).expect("write the endpoint");
    loop {
        std::thread::park();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--client") {
        child(&args);
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--serve") {
        serve(args.get(i + 1).expect("--serve FILE"));
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let server = args
        .iter()
        .position(|a| a == "--server")
        .and_then(|i| args.get(i + 1))
        .map_or("both", String::as_str);
    let sizes = if quick { QUICK } else { FULL };
    let node = node_ready();
    let peers: Vec<&Peer> = PEERS.iter().filter(|p| node || !p.node).collect();
    println!(
        "Clients: {}. Sizes: {sizes:?}.",
        peers.iter().map(|p| p.label).collect::<Vec<_>>().join(", ")
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    runtime.block_on(async {
        if matches!(server, "both" | "local") {
            let local = dynaschema::local::DynamoDbLocal::shared()
                .unwrap_or_else(|e| panic!("DynamoDB Local could not start: {e}"));
            run(
                "DynamoDB Local",
                local.endpoint(),
                local.client(),
                sizes,
                &peers,
            )
            .await;
        }
        if matches!(server, "both" | "embedded") {
            let embedded = dynaschema::local::Embedded::start()
                .unwrap_or_else(|e| panic!("the embedded server could not start: {e}"));
            run(
                "embedded",
                embedded.endpoint(),
                embedded.client(),
                sizes,
                &peers,
            )
            .await;
        }
    });
}
