//! Schema evolution on DynamoDB Local: a table written under v1 of its schema, then
//! read and migrated under v2 (a new index on `User`: a backfill; products at schema
//! version 2: an upgrade) or v3 (`Order` moved to a new sort key: a re-key). See
//! `schemas/evolution-v*.toml`.
//!
//! A binary of its own, with its own DynamoDB Local: run inside the big
//! `dynamodb_local` binary, the kill and throttling tests twice waited forever on a
//! `verify` scan of the shared server after the rest had finished (the server itself
//! still answered other clients); alone, or with the fault tests, they never did.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use dynaschema::Error;
use dynaschema_tests::evolution::{v1, v2, v3};
use dynaschema_tests::fault_proxy::{FaultProxy, Faults};
use dynaschema_tests::{client, server, unique_table_name};

fn user(i: usize) -> v1::User {
    v1::User {
        user_id: format!("u{i:05}"),
        email: format!("user{i}@example.com"),
        name: format!("User {i}"),
        visits: 0,
    }
}

fn order(i: usize) -> v1::Order {
    v1::Order {
        user_id: format!("u{:05}", i % 500),
        order_id: format!("o{i:05}"),
        placed_at: format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
        total: i as i64,
    }
}

fn product(i: usize) -> v1::Product {
    v1::Product {
        product_id: format!("p{i:05}"),
        name: format!("Product {i}"),
    }
}

/// A v1 table with `users` users, `orders` orders and `products` products.
async fn v1_table(users: usize, orders: usize, products: usize) -> v1::evolution_v1::Table {
    let table = v1::evolution_v1::Table::new(client(), unique_table_name("evolution"));
    table.create_table().await.expect("create the table");
    let users: Vec<_> = (0..users).map(user).collect();
    let orders: Vec<_> = (0..orders).map(order).collect();
    let products: Vec<_> = (0..products).map(product).collect();
    table
        .batch_write()
        .put_all(&users)
        .put_all(&orders)
        .put_all(&products)
        .concurrency(8)
        .await
        .expect("write v1 items");
    table
}

/// Every item of `table`, read with the plain SDK (consistent, every page).
async fn all_items(table: &str) -> Vec<dynaschema::Item> {
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let page = client()
            .scan()
            .table_name(table)
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await
            .unwrap();
        items.extend(page.items.unwrap_or_default());
        match page.last_evaluated_key {
            Some(key) if !key.is_empty() => start = Some(key),
            _ => return items,
        }
    }
}

async fn item_count(table: &str) -> usize {
    all_items(table).await.len()
}

/// The scenario: users written before `gsi2` existed are not in it until
/// the migration writes their `gsi2pk`/`gsi2sk`; then the new pattern finds every
/// one, `verify` reports nothing and no item was added or lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_new_index_is_backfilled_for_twenty_thousand_items_of_three_entities() {
    let old = v1_table(10_000, 6_000, 4_000).await;
    let table = v2::evolution_v2::Table::new(client(), old.name());
    let plan = table.plan().await.unwrap();
    table.apply(&plan, false).await.unwrap();
    // The drift: the index exists, the users are not in it.
    assert!(
        table
            .user_by_email("user7@example.com")
            .all()
            .await
            .unwrap()
            .is_empty()
    );
    let before = table.verify::<v2::User>().await.unwrap();
    assert_eq!(before.scanned, 10_000);
    assert_eq!(before.drifted.len(), 10_000);
    assert_eq!(before.drifted[0].1, ["gsi2pk", "gsi2sk"]);

    let dry = table
        .migrate::<v2::User>()
        .segments(4)
        .dry_run()
        .await
        .unwrap();
    assert_eq!((dry.rewritten, dry.moved, dry.unchanged), (10_000, 0, 0));
    assert_eq!(
        table.verify::<v2::User>().await.unwrap().drifted.len(),
        10_000,
        "a dry run wrote"
    );

    let report = table.migrate::<v2::User>().segments(4).await.unwrap();
    assert_eq!(report.scanned, 10_000, "{report}");
    assert_eq!(report.rewritten, 10_000, "{report}");
    assert!(report.failed.is_empty(), "{report}");
    for i in [0, 7, 4_321, 9_999] {
        let found = table
            .user_by_email(&format!("user{i}@example.com"))
            .all()
            .await
            .unwrap();
        assert_eq!(found.len(), 1, "user {i}");
        assert_eq!(found[0].user_id, format!("u{i:05}"));
    }
    assert_eq!(table.verify::<v2::User>().await.unwrap().drifted.len(), 0);
    // The other entities had nothing to change.
    let orders = table.migrate::<v2::Order>().segments(2).await.unwrap();
    assert_eq!(
        (orders.scanned, orders.unchanged, orders.rewritten),
        (6_000, 6_000, 0)
    );
    assert_eq!(item_count(table.name()).await, 20_000);
    // v2's other patterns read what v1 wrote.
    assert_eq!(
        table.get_user("u00007").await.unwrap().unwrap().email,
        "user7@example.com"
    );
    assert_eq!(table.user_orders("u00007").all().await.unwrap().len(), 12);
    assert_eq!(table.order_by_id("o00007").all().await.unwrap().len(), 1);
    // Running it again changes nothing.
    let again = table.migrate::<v2::User>().segments(4).await.unwrap();
    assert_eq!((again.unchanged, again.rewritten), (10_000, 0));
}

/// v3 moves every order to `ORDER#{placed_at}#{order_id}`: each is then at its new
/// key, none at the old one, and the count is unchanged. v3 declares the old
/// template as `previous_primary`, so `get` finds every order before, during and
/// after the move: a reader getting orders all through the migration misses none.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_changed_primary_template_moves_five_thousand_items() {
    let old = v1_table(1, 5_000, 0).await;
    assert_eq!(
        old.get_user("u00000").await.unwrap().unwrap().name,
        "User 0"
    );
    assert_eq!(old.user_orders("u00042").all().await.unwrap().len(), 10);
    assert_eq!(old.order_by_id("o00042").all().await.unwrap().len(), 1);
    let table = Arc::new(v3::evolution_v3::Table::new(client(), old.name()));
    assert_eq!(
        table.get_user("u00000").await.unwrap().unwrap().name,
        "User 0"
    );
    assert_eq!(
        table.verify::<v3::Order>().await.unwrap().drifted.len(),
        5_000
    );
    // Before the move: every order is read at its previous key.
    for i in (0..5_000).step_by(50) {
        let o = order(i);
        let found = table.get_order(&o.user_id, &o.placed_at, &o.order_id).await;
        assert_eq!(found.unwrap().map(|f| f.total), Some(o.total), "order {i}");
    }
    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let (table, stop) = (table.clone(), stop.clone());
        tokio::spawn(async move {
            let (mut reads, mut missed) = (0_u64, Vec::new());
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let o = order(i % 5_000);
                let found = table
                    .get_order(&o.user_id, &o.placed_at, &o.order_id)
                    .consistent()
                    .await
                    .unwrap();
                if found.map(|f| f.total) != Some(o.total) {
                    missed.push(i % 5_000);
                }
                reads += 1;
                i += 37;
            }
            (reads, missed)
        })
    };
    let report = table
        .migrate::<v3::Order>()
        .segments(4)
        .page_size(200)
        .await
        .unwrap();
    stop.store(true, Ordering::Relaxed);
    let (reads, missed) = reader.await.unwrap();
    assert!(reads > 0);
    assert_eq!(
        missed,
        Vec::<usize>::new(),
        "gets that missed an order during the move"
    );
    eprintln!("re-key: {reads} gets during the move, 0 missed ({report})");
    assert_eq!((report.moved, report.rewritten), (5_000, 0), "{report}");
    for i in [0, 1, 2_500, 4_999] {
        let o = order(i);
        let moved = table
            .get_order(&o.user_id, &o.placed_at, &o.order_id)
            .await
            .unwrap();
        assert_eq!(
            moved.map(|m| m.total),
            Some(o.total),
            "order {i} at its new key"
        );
        let gone = old
            .get(v1::Order::key(&o.user_id, &o.order_id))
            .consistent()
            .await
            .unwrap();
        assert!(gone.is_none(), "order {i} left at its old key");
    }
    assert_eq!(table.verify::<v3::Order>().await.unwrap().drifted.len(), 0);
    assert_eq!(item_count(table.name()).await, 5_001);
    // The index key did not change: the order lookup still finds it.
    let by_id = table.order_by_id("o00042").all().await.unwrap();
    assert_eq!(by_id.len(), 1);
    let of_user = table.user_orders("u00042").all().await.unwrap();
    assert_eq!(of_user.len(), 10);
}

/// Whether an item is stored at `key` (a consistent read with the plain SDK).
async fn stored_at(table: &str, key: dynaschema::Key<impl Sized>) -> Option<dynaschema::Item> {
    client()
        .get_item()
        .table_name(table)
        .set_key(Some(key.to_attributes().unwrap()))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
}

/// During a re-key, a write by key finds the item where it is: update, delete and
/// put move a not-yet-moved order to its new key first (so `if_absent` still sees
/// it, and no copy is left behind); an old copy written back by code that still
/// runs the old schema is the stale one, and the migration deletes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writes_during_a_rekey_find_the_item_where_it_is() {
    let old = v1_table(1, 1_000, 0).await;
    let table = v3::evolution_v3::Table::new(client(), old.name());
    let name = table.name().to_owned();
    let v3_order = |i: usize| {
        let o = order(i);
        v3::Order {
            user_id: o.user_id,
            order_id: o.order_id,
            placed_at: o.placed_at,
            total: o.total,
        }
    };
    let new_key = |i: usize| {
        let o = order(i);
        v3::Order::key(&o.user_id, &o.placed_at, &o.order_id)
    };
    let old_key = |i: usize| {
        let o = order(i);
        v1::Order::key(&o.user_id, &o.order_id)
    };
    let f = v3::Order::fields();

    // An update moves the order, then updates it.
    let updated = table
        .update(new_key(0))
        .add(&f.total, &1_000)
        .await
        .unwrap();
    assert_eq!(updated.total, 1_000);
    assert!(stored_at(&name, new_key(0)).await.is_some());
    assert!(stored_at(&name, old_key(0)).await.is_none());
    // Orders 0 (moved) and 500 (not yet) of one user: the query sees each once.
    let of_user = table.user_orders("u00000").all().await.unwrap();
    let mut totals: Vec<i64> = of_user.iter().map(|o| o.total).collect();
    totals.sort();
    assert_eq!(totals, [500, 1_000]);

    // A delete removes the order wherever it is.
    table.delete(new_key(1)).if_exists().await.unwrap();
    assert!(stored_at(&name, new_key(1)).await.is_none());
    assert!(stored_at(&name, old_key(1)).await.is_none());
    assert!(table.get(new_key(1)).await.unwrap().is_none());

    // `if_absent` sees the order at its old key: refused, nothing overwritten.
    let mut other = v3_order(2);
    other.total = -2;
    let refused = table.put(&other).if_absent().await.unwrap_err();
    assert!(refused.is_condition_failed(), "{refused}");
    assert_eq!(table.get(new_key(2)).await.unwrap().unwrap().total, 2);
    assert!(stored_at(&name, old_key(2)).await.is_none());

    // A plain put replaces it, leaving no copy at the old key.
    let mut replaced = v3_order(3);
    replaced.total = 333;
    table.put(&replaced).await.unwrap();
    assert_eq!(table.get(new_key(3)).await.unwrap().unwrap().total, 333);
    assert!(stored_at(&name, old_key(3)).await.is_none());

    // Old code writes order 4 back at its old key after new code moved it.
    let mut current = v3_order(4);
    current.total = 44;
    table.put(&current).await.unwrap();
    old.put(&order(4)).await.unwrap();
    assert!(stored_at(&name, old_key(4)).await.is_some());
    // Reads see the one at the new key.
    assert_eq!(table.get(new_key(4)).await.unwrap().unwrap().total, 44);

    let report = table.migrate::<v3::Order>().segments(2).await.unwrap();
    // 1,000 orders, one deleted, four moved by the writes above; order 4's stale
    // copy is dropped.
    assert_eq!(report.moved, 995, "{report}");
    assert_eq!(report.superseded, 1, "{report}");
    assert!(report.failed.is_empty(), "{report}");
    assert_eq!(table.get(new_key(4)).await.unwrap().unwrap().total, 44);
    assert!(stored_at(&name, old_key(4)).await.is_none());
    assert_eq!(table.verify::<v3::Order>().await.unwrap().drifted.len(), 0);
    assert_eq!(item_count(&name).await, 1 + 999);
}

/// Eight writers increment users' `visits` while the migration rewrites them: the
/// migration's writes are conditioned on the item being unchanged, so no increment
/// is lost; the ones that got there first are counted as conflicts.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_lose_nothing_to_a_migration() {
    let old = v1_table(2_000, 0, 0).await;
    let table = Arc::new(v2::evolution_v2::Table::new(client(), old.name()));
    let plan = table.plan().await.unwrap();
    table.apply(&plan, false).await.unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let increments = Arc::new(AtomicU64::new(0));
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (table, stop, increments) = (table.clone(), stop.clone(), increments.clone());
            tokio::spawn(async move {
                let f = v2::User::fields();
                let mut i = w * 250;
                while !stop.load(Ordering::Relaxed) {
                    let id = format!("u{:05}", i % 2_000);
                    table
                        .update(v2::User::key(&id))
                        .add(&f.visits, &1)
                        .await
                        .unwrap();
                    increments.fetch_add(1, Ordering::Relaxed);
                    i += 7;
                }
            })
        })
        .collect();
    let report = table
        .migrate::<v2::User>()
        .segments(4)
        .page_size(100)
        .await
        .unwrap();
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    assert_eq!(report.rewritten, 2_000, "{report}");
    let total: u64 = all_items(table.name())
        .await
        .iter()
        .filter_map(|item| item.get("visits"))
        .map(|v| v.as_n().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(
        total,
        increments.load(Ordering::Relaxed),
        "lost updates ({report})"
    );
    assert!(increments.load(Ordering::Relaxed) > 0);
    assert_eq!(table.verify::<v2::User>().await.unwrap().drifted.len(), 0);
    eprintln!(
        "concurrent writers: {} increments, {} conflicts",
        increments.load(Ordering::Relaxed),
        report.conflicts
    );
}

/// A migration through throttling and 500s finishes with nothing left to do.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_migration_through_throttling_finishes() {
    let old = v1_table(300, 0, 0).await;
    let direct = v2::evolution_v2::Table::new(client(), old.name());
    let plan = direct.plan().await.unwrap();
    direct.apply(&plan, false).await.unwrap();
    let proxy = FaultProxy::start(
        server().endpoint(),
        Faults {
            throttle: 100,
            error_500: 30,
            ..Faults::default()
        },
        0x3161,
    )
    .await;
    let faulty = v2::evolution_v2::Table::new(proxy.client(), old.name());
    let report = faulty.migrate::<v2::User>().segments(2).await.unwrap();
    assert_eq!(report.scanned, 300, "{report}");
    assert!(proxy.injected.throttle.load(Ordering::Relaxed) > 0);
    assert_eq!(direct.verify::<v2::User>().await.unwrap().drifted.len(), 0);
}

/// A re-key through throttling, 500s and moves that land but are answered with a
/// 500: a move is a transaction sent again with its token, and one that finds its
/// item gone re-reads it, so every order ends at its new key exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rekey_through_throttling_moves_every_item_once() {
    let old = v1_table(1, 400, 0).await;
    let proxy = FaultProxy::start(
        server().endpoint(),
        Faults {
            throttle: 100,
            error_500: 30,
            write_then_500: 50,
            ..Faults::default()
        },
        0x3162,
    )
    .await;
    let faulty = v3::evolution_v3::Table::new(proxy.client(), old.name());
    let report = faulty.migrate::<v3::Order>().segments(2).await.unwrap();
    assert_eq!(report.scanned, 400, "{report}");
    assert!(report.failed.is_empty(), "{report}");
    assert!(proxy.injected.throttle.load(Ordering::Relaxed) > 0);
    assert!(proxy.injected.error_500.load(Ordering::Relaxed) > 0);
    assert!(proxy.injected.write_then_500.load(Ordering::Relaxed) > 0);
    let direct = v3::evolution_v3::Table::new(client(), old.name());
    assert_eq!(direct.verify::<v3::Order>().await.unwrap().drifted.len(), 0);
    assert_eq!(item_count(direct.name()).await, 401);
    for i in [0, 199, 399] {
        let o = order(i);
        let moved = direct
            .get_order(&o.user_id, &o.placed_at, &o.order_id)
            .await;
        assert_eq!(moved.unwrap().map(|m| m.total), Some(o.total), "order {i}");
    }
}

/// A checkpoint records each segment's position; a finished migration's checkpoint
/// makes a re-run return at once, and one of another migration is refused.
#[tokio::test]
async fn a_checkpoint_is_kept_per_migration() {
    let old = v1_table(300, 0, 0).await;
    let table = v2::evolution_v2::Table::new(client(), old.name());
    let dir = std::env::temp_dir().join(format!("dynaschema-checkpoint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}.checkpoint", table.name()));
    let _ = std::fs::remove_file(&path);
    let report = table
        .migrate::<v2::User>()
        .segments(3)
        .page_size(40)
        .checkpoint(&path)
        .await
        .unwrap();
    assert_eq!(report.rewritten, 300);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text.lines().skip(1).collect::<Vec<_>>(),
        ["done", "done", "done"],
        "{text}"
    );
    let again = table
        .migrate::<v2::User>()
        .segments(3)
        .checkpoint(&path)
        .await
        .unwrap();
    assert!(again.already_done && again.scanned == 0, "{again}");
    // Another entity, or another segment count, cannot use it.
    for err in [
        table
            .migrate::<v2::Order>()
            .segments(3)
            .checkpoint(&path)
            .await
            .unwrap_err(),
        table
            .migrate::<v2::User>()
            .segments(2)
            .checkpoint(&path)
            .await
            .unwrap_err(),
    ] {
        assert!(matches!(err, Error::Migration { .. }), "{err:?}");
    }
}

/// The migration process killed with SIGKILL at three points, then run to the
/// end: it resumes from its checkpoint (it does not scan everything again), and at
/// the end nothing is left to migrate and no item was lost or added.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_migration_resumes_from_its_checkpoint() {
    let old = v1_table(3_000, 0, 0).await;
    let table = v2::evolution_v2::Table::new(client(), old.name());
    let plan = table.plan().await.unwrap();
    table.apply(&plan, false).await.unwrap();
    let dir = std::env::temp_dir().join(format!("dynaschema-killed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let checkpoint = dir.join(format!("{}.checkpoint", table.name()));
    let _ = std::fs::remove_file(&checkpoint);
    // The worker reaches DynamoDB Local through a loopback proxy that reads each
    // request whole before forwarding it: a kill mid-request then never leaves
    // DynamoDB Local with half a request (it stopped answering every later request
    // when that happened, here), as DynamoDB itself would not.
    let proxy = FaultProxy::start(server().endpoint(), Faults::default(), 7).await;
    let worker = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_migrate-worker"))
            .args([proxy.endpoint(), table.name()])
            .arg(&checkpoint)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start migrate-worker")
    };
    let mut kills = 0;
    for delay_ms in [60, 150, 90] {
        let mut child = worker();
        let written_before = std::fs::read_to_string(&checkpoint).unwrap_or_default();
        // Wait for a new checkpoint (progress since the last kill), then a while more.
        let started = std::time::Instant::now();
        while std::fs::read_to_string(&checkpoint).unwrap_or_default() == written_before {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(60),
                "no progress"
            );
            if child.try_wait().unwrap().is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            kills += 1;
        }
        child.wait().unwrap();
    }
    assert!(kills >= 1, "the worker finished before any kill");
    let left = table.verify::<v2::User>().await.unwrap().drifted.len();
    assert!(left < 3_000, "the killed runs made no progress");
    let output = worker().wait_with_output().unwrap();
    assert!(output.status.success());
    let counts: Vec<u64> = String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    // The final run read only what was left after the last checkpoint.
    assert!(
        counts[0] < 3_000,
        "resumed run scanned everything again: {counts:?}"
    );
    assert_eq!(table.verify::<v2::User>().await.unwrap().drifted.len(), 0);
    assert_eq!(item_count(table.name()).await, 3_000);
    eprintln!("killed {kills} times; {left} left after the kills; the last run: {counts:?}");
}

/// v2 stores products at schema version 2 (`title`, was `name`): v1 items read as
/// v2 structs through get, batch get, the entity enum (streams, collections) and
/// scans; the migration writes the upgraded form; an item of a version newer than
/// the code is a typed error, never a silent mis-decode.
#[tokio::test]
async fn older_items_are_upgraded_on_read_and_newer_ones_refused() {
    use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
    use dynaschema::error::AttributeError;
    let old = v1_table(0, 0, 50).await;
    let table = v2::evolution_v2::Table::new(client(), old.name());
    let got = table
        .get(v2::Product::key("p00007"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.title, "Product 7");
    let keys = (0..50).map(|i| v2::Product::key(&format!("p{i:05}")));
    let batch = table.batch_get(keys).await.unwrap();
    assert_eq!(batch.len(), 50);
    assert!(batch.iter().all(|p| p.title.starts_with("Product ")));
    let raw = dynaschema_tests::raw_item(table.client(), table.name(), "PRODUCT#p00001", "PRODUCT")
        .await
        .unwrap();
    match v2::evolution_v2::AnyEntity::from_item(raw).unwrap() {
        Some(v2::evolution_v2::AnyEntity::Product(p)) => assert_eq!(p.title, "Product 1"),
        _ => panic!("not a product"),
    }
    let report = table.migrate::<v2::Product>().await.unwrap();
    assert_eq!(report.rewritten, 50, "{report}");
    let stored =
        dynaschema_tests::raw_item(table.client(), table.name(), "PRODUCT#p00001", "PRODUCT")
            .await
            .unwrap();
    assert_eq!(
        stored.get("title"),
        Some(&AttributeValue::S("Product 1".into()))
    );
    assert_eq!(stored.get("_sv"), Some(&AttributeValue::N("2".into())));
    assert!(
        !stored.contains_key("name"),
        "the upgrade dropped `name`: {stored:?}"
    );
    assert_eq!(
        table.verify::<v2::Product>().await.unwrap().drifted.len(),
        0
    );
    // A version 3 item (newer code wrote it) is refused by version 2 code.
    let mut newer = stored.clone();
    newer.insert("_sv".into(), AttributeValue::N("3".into()));
    table
        .client()
        .put_item()
        .table_name(table.name())
        .set_item(Some(newer))
        .send()
        .await
        .unwrap();
    let err = table.get(v2::Product::key("p00001")).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        decode.reason,
        AttributeError::NewerSchemaVersion {
            stored: 3,
            known: 2
        }
    );
}
