//! The runtime under injected faults (`dynaschema_tests::fault_proxy`): throttling,
//! 500s, connection resets, partial batches, writes that land but are answered with a
//! 500. Every item ends written and read exactly once, or the error lists exactly
//! what is missing.

use std::sync::atomic::Ordering;

use dynaschema::Error;
use dynaschema_tests::fault_proxy::{FaultProxy, Faults};
use dynaschema_tests::{Account, Tally, server, testbed, testbed_table};

fn tallies(n: usize) -> Vec<Tally> {
    (0..n)
        .map(|i| Tally {
            tally_id: format!("t{i:05}"),
            count: i as u64,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_items_through_faults_are_written_and_read_exactly_once() {
    let direct = testbed_table().await;
    let proxy = FaultProxy::start(
        server().endpoint(),
        Faults {
            throttle: 40,
            error_500: 40,
            reset: 20,
            partial_batch: 250,
            write_then_500: 40,
            ..Faults::default()
        },
        0x5eed,
    )
    .await;
    let faulty = testbed::Table::new(proxy.client(), direct.name());
    let items = tallies(10_000);
    faulty
        .batch_write()
        .put_all(&items)
        .concurrency(4)
        .await
        .unwrap();
    // Written exactly once: read back without the proxy, every item, as written.
    let keys = || items.iter().map(|t| Tally::key(&t.tally_id));
    let stored = direct.batch_get(keys()).consistent().await.unwrap();
    assert_eq!(stored, items);
    // Read exactly once through the faults: every item, once, in key order.
    let read = faulty.batch_get(keys()).consistent().await.unwrap();
    assert_eq!(read.len(), items.len());
    assert_eq!(read, items);
    let injected = &proxy.injected;
    for (name, count) in [
        ("throttle", &injected.throttle),
        ("500", &injected.error_500),
        ("reset", &injected.reset),
        ("partial batch", &injected.partial_batch),
        ("write then 500", &injected.write_then_500),
    ] {
        assert!(count.load(Ordering::Relaxed) > 0, "no {name} was injected");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_that_never_go_through_are_listed_exactly() {
    let direct = testbed_table().await;
    let proxy = FaultProxy::start(
        server().endpoint(),
        Faults {
            throttle: 30,
            partial_batch: 200,
            // Every key ending in 7 is answered as unprocessed, every time.
            never_write_suffix: Some("7"),
            ..Faults::default()
        },
        7,
    )
    .await;
    let faulty = testbed::Table::new(proxy.client(), direct.name());
    let items = tallies(300);
    let err = faulty.batch_write().put_all(&items).await.unwrap_err();
    let Error::Unprocessed { keys, attempts, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*attempts, dynaschema::batch::MAX_ATTEMPTS);
    let mut listed: Vec<String> = keys
        .iter()
        .map(|k| k["pk"].as_s().unwrap().clone())
        .collect();
    listed.sort();
    let expected: Vec<String> = items
        .iter()
        .map(|t| format!("TALLY#{}", t.tally_id))
        .filter(|pk| pk.ends_with('7'))
        .collect();
    assert_eq!(listed, expected);
    // Exactly those are missing; everything else was written.
    let stored = direct
        .batch_get(items.iter().map(|t| Tally::key(&t.tally_id)))
        .consistent()
        .await
        .unwrap();
    let written: Vec<Tally> = items
        .iter()
        .filter(|t| !t.tally_id.ends_with('7'))
        .cloned()
        .collect();
    assert_eq!(stored, written);
}

#[tokio::test]
async fn a_versioned_put_that_landed_before_a_500_is_not_a_false_conflict() {
    let direct = testbed_table().await;
    let proxy = FaultProxy::start(
        server().endpoint(),
        Faults {
            write_then_500_first: 1,
            ..Faults::default()
        },
        1,
    )
    .await;
    let client = proxy.client();
    // Retries are configured explicitly (a client built from `Config::builder()` has
    // none otherwise, aws-sdk-rust#1389): the SDK's standard mode, 3 attempts.
    let retry = client
        .config()
        .retry_config()
        .expect("a retry config is set");
    assert_eq!(retry.max_attempts(), 3);
    let faulty = testbed::Table::new(client, direct.name());
    let account = Account {
        account_id: "once".into(),
        owner: "ada".into(),
        balance: 5,
        version: 0,
    };
    // The first attempt is written and answered with a 500; the SDK retries, the
    // retry's condition (no item yet) fails against the item the first attempt
    // wrote: that is this write, reported as done.
    faulty.put(&account).await.unwrap();
    assert_eq!(proxy.injected.write_then_500.load(Ordering::Relaxed), 1);
    let stored = direct
        .get(Account::key("once"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.balance, stored.version), (5, 1));
    // Another writer's item is still a conflict.
    let err = faulty.put(&account).await.unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
}

#[tokio::test]
async fn a_versioned_update_or_delete_that_landed_before_a_500_is_not_a_false_conflict() {
    let direct = testbed_table().await;
    direct
        .put(&Account {
            account_id: "u".into(),
            owner: "ada".into(),
            balance: 1,
            version: 0,
        })
        .await
        .unwrap();
    let faults = Faults {
        write_then_500_first: 1,
        ..Faults::default()
    };
    let proxy = FaultProxy::start(server().endpoint(), faults, 2).await;
    let faulty = testbed::Table::new(proxy.client(), direct.name());
    let f = Account::fields();
    // Landed, answered 500, retried: the retry's version check fails against the
    // update's own write (recognised by its write token), which is returned.
    let updated = faulty
        .update(Account::key("u"))
        .add(&f.balance, &10)
        .if_version(1)
        .await
        .unwrap();
    assert_eq!(proxy.injected.write_then_500.load(Ordering::Relaxed), 1);
    assert_eq!((updated.balance, updated.version), (11, 2));
    let stored = direct
        .get(Account::key("u"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored, updated);
    // The same for a versioned delete: its retry finds no item.
    let proxy = FaultProxy::start(server().endpoint(), faults, 3).await;
    let faulty = testbed::Table::new(proxy.client(), direct.name());
    faulty
        .delete(Account::key("u"))
        .if_version(2)
        .await
        .unwrap();
    assert_eq!(proxy.injected.write_then_500.load(Ordering::Relaxed), 1);
    assert_eq!(
        direct.get(Account::key("u")).consistent().await.unwrap(),
        None
    );
    // Without a retry, a stale version is still a conflict.
    direct
        .put(&Account {
            account_id: "u".into(),
            owner: "ada".into(),
            balance: 1,
            version: 0,
        })
        .await
        .unwrap();
    let err = direct
        .update(Account::key("u"))
        .add(&f.balance, &1)
        .if_version(5)
        .await
        .unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
}
