//! The migration benchmark: backfilling a new index's attributes on N users,
//! `Table::migrate` against a hand-written parallel scan + conditional `PutItem`
//! loop with the same segments and the same safety (each write conditioned on every
//! attribute being as read), on DynamoDB Local, rounds interleaved with alternating
//! order; medians and the ratio of items/s. Also the capacity units consumed.
//!
//! ```text
//! cargo run --release -p dynaschema-bench --bin migrate-bench      # 10,000 users, 5 rounds
//! cargo run -p dynaschema-bench --bin migrate-bench -- --quick     # smoke: 200 users, 1 round
//! ```

use std::collections::HashMap;
use std::time::{Duration, Instant};

use dynaschema::aws_sdk_dynamodb::Client;
use dynaschema::aws_sdk_dynamodb::types::AttributeValue;

mod v1 {
    use dynaschema::Entity;

    /// A user as v1 stores it.
    #[derive(Entity, Clone, Debug, PartialEq)]
    #[entity(schema = "schemas/migrate-v1.toml")]
    pub struct User {
        pub user_id: String,
        pub email: String,
        pub name: String,
        pub visits: u64,
    }

    dynaschema::include_schema!(pub migrate_v1);
}

mod v2 {
    use dynaschema::Entity;

    /// The same user under v2, which adds `gsi2`.
    #[derive(Entity, Clone, Debug, PartialEq)]
    #[entity(schema = "schemas/migrate-v2.toml")]
    pub struct User {
        pub user_id: String,
        pub email: String,
        pub name: String,
        pub visits: u64,
    }

    dynaschema::include_schema!(pub migrate_v2);
}

const SEGMENTS: u32 = 4;

/// A v2 table holding `n` users written by v1 (no `gsi2` attributes), the index
/// created.
async fn fresh(client: &Client, n: usize, round: usize, which: &str) -> v2::migrate_v2::Table {
    let name = format!("bench-migrate-{which}-{round}-{}", std::process::id());
    let old = v1::migrate_v1::Table::new(client.clone(), name.as_str());
    old.create_table().await.expect("create the table");
    let users: Vec<v1::User> = (0..n)
        .map(|i| v1::User {
            user_id: format!("u{i:06}"),
            email: format!("user{i}@example.com"),
            name: format!("User {i}"),
            visits: i as u64,
        })
        .collect();
    old.batch_write()
        .put_all(&users)
        .concurrency(8)
        .await
        .expect("write users");
    let table = v2::migrate_v2::Table::new(client.clone(), name.as_str());
    let plan = table.plan().await.expect("plan");
    table.apply(&plan, false).await.expect("add gsi2");
    table
}

/// The loop a team would write by hand: a consistent parallel scan of the users,
/// each given `gsi2pk`/`gsi2sk` and put back on the condition that every attribute
/// is as read. Returns the write units consumed.
async fn hand_written(client: &Client, table: &str) -> f64 {
    let segments = (0..SEGMENTS).map(|segment| async move {
        let mut units = 0.0;
        let mut start = None;
        loop {
            let page = client
                .scan()
                .table_name(table)
                .filter_expression("#et = :et")
                .expression_attribute_names("#et", "_et")
                .expression_attribute_values(":et", AttributeValue::S("User".into()))
                .consistent_read(true)
                .total_segments(SEGMENTS as i32)
                .segment(segment as i32)
                .set_exclusive_start_key(start)
                .send()
                .await
                .expect("scan");
            for stored in page.items() {
                let Some(AttributeValue::S(email)) = stored.get("email") else {
                    continue;
                };
                let mut item = stored.clone();
                item.insert("gsi2pk".into(), AttributeValue::S(format!("EMAIL#{email}")));
                item.insert("gsi2sk".into(), AttributeValue::S("USER".into()));
                let mut names = HashMap::new();
                let mut values = HashMap::new();
                let mut parts = vec!["attribute_exists(#k)".to_owned()];
                names.insert("#k".to_owned(), "pk".to_owned());
                for (i, (name, value)) in stored.iter().enumerate() {
                    names.insert(format!("#a{i}"), name.clone());
                    values.insert(format!(":a{i}"), value.clone());
                    parts.push(format!("#a{i} = :a{i}"));
                }
                let output = client
                    .put_item()
                    .table_name(table)
                    .set_item(Some(item))
                    .condition_expression(parts.join(" AND "))
                    .set_expression_attribute_names(Some(names))
                    .set_expression_attribute_values(Some(values))
                    .return_consumed_capacity(
                        dynaschema::aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total,
                    )
                    .send()
                    .await
                    .expect("put");
                units += output
                    .consumed_capacity()
                    .and_then(|c| c.capacity_units())
                    .unwrap_or(0.0);
            }
            match page.last_evaluated_key {
                Some(key) if !key.is_empty() => start = Some(key),
                _ => return units,
            }
        }
    });
    futures::future::join_all(segments).await.into_iter().sum()
}

async fn drop_table(client: &Client, table: &str) {
    let _ = client.delete_table().table_name(table).send().await;
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (users, rounds) = if quick { (200, 1) } else { (10_000, 5) };
    let local = dynaschema::local::DynamoDbLocal::shared()
        .unwrap_or_else(|e| panic!("DynamoDB Local could not start: {e}"));
    let client = local.client();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let (mut our_units, mut their_units) = (0.0, 0.0);
    for round in 0..rounds {
        // Alternate which goes first, so neither always meets a warmer server.
        for first in [round % 2 == 0, round % 2 != 0] {
            if first {
                let table = fresh(&client, users, round, "dynaschema").await;
                let started = Instant::now();
                let report = table
                    .migrate::<v2::User>()
                    .segments(SEGMENTS)
                    .await
                    .expect("migrate");
                ours.push(started.elapsed());
                our_units += report.write_units;
                assert_eq!(report.rewritten, users as u64, "{report}");
                assert!(
                    table
                        .verify::<v2::User>()
                        .await
                        .expect("verify")
                        .drifted
                        .is_empty()
                );
                drop_table(&client, table.name()).await;
            } else {
                let table = fresh(&client, users, round, "hand").await;
                let started = Instant::now();
                their_units += hand_written(&client, table.name()).await;
                theirs.push(started.elapsed());
                // The same result: nothing left for the schema to derive.
                assert!(
                    table
                        .verify::<v2::User>()
                        .await
                        .expect("verify")
                        .drifted
                        .is_empty()
                );
                drop_table(&client, table.name()).await;
            }
        }
    }
    let (ours, theirs) = (median(ours), median(theirs));
    let rate = |t: Duration| users as f64 / t.as_secs_f64();
    println!(
        "| workload | dynaschema (median of {rounds}) | hand-written | ratio (items/s) |\n|---|---|---|---|"
    );
    println!(
        "| DynamoDB Local: migrate {users} users (backfill gsi2, {SEGMENTS} segments) | {:.0} items/s ({:.2?}) | {:.0} items/s ({:.2?}) | {:.2} |",
        rate(ours),
        ours,
        rate(theirs),
        theirs,
        rate(ours) / rate(theirs)
    );
    println!(
        "| DynamoDB Local: write units consumed per round | {:.0} | {:.0} | |",
        our_units / rounds as f64,
        their_units / rounds as f64
    );
    // The budget: one more run held to 40% of the unbudgeted write rate, rounded to
    // 100 units; the rate it consumed, as DynamoDB reported it, against that budget.
    let unbudgeted = our_units / rounds as f64 / ours.as_secs_f64();
    let budget = ((unbudgeted * 0.4 / 100.0).round() * 100.0).max(100.0);
    let table = fresh(&client, users, rounds, "budget").await;
    let started = Instant::now();
    let report = table
        .migrate::<v2::User>()
        .segments(SEGMENTS)
        .max_write_units(budget)
        .await
        .expect("migrate with a budget");
    let elapsed = started.elapsed();
    assert_eq!(report.rewritten, users as u64, "{report}");
    drop_table(&client, table.name()).await;
    println!(
        "\n| budget (max_write_units) | consumed | elapsed | unbudgeted rate |\n|---|---|---|---|"
    );
    println!(
        "| {budget:.0} WCU/s | {:.0} WCU/s ({:.0} units) | {elapsed:.2?} | {unbudgeted:.0} WCU/s |",
        report.write_units / elapsed.as_secs_f64(),
        report.write_units,
    );
}
