//! Batch reads and writes: chunked, de-duplicated, several chunks in flight, and a
//! typed error listing exactly what was not done.

use dynaschema::{BatchError, Error};
use dynaschema_tests::{Account, Tally, client, testbed, testbed_table};

fn tallies(n: usize) -> Vec<Tally> {
    (0..n)
        .map(|i| Tally {
            tally_id: format!("t{i:05}"),
            count: i as u64,
        })
        .collect()
}

#[tokio::test]
async fn a_batch_write_and_read_of_thousands_of_items_does_each_once() {
    let table = testbed_table().await;
    let items = tallies(2_000);
    table
        .batch_write()
        .put_all(&items)
        .concurrency(8)
        .await
        .unwrap();
    // Read back in key order, with duplicates and missing keys in the request.
    let mut keys: Vec<_> = items.iter().map(|t| Tally::key(&t.tally_id)).collect();
    keys.push(Tally::key("t00007"));
    keys.push(Tally::key("missing"));
    let read = table.batch_get(keys).consistent().await.unwrap();
    assert_eq!(read, items);

    // Delete every other one in a batch; the rest remain.
    let mut deletes = table.batch_write();
    for t in items.iter().step_by(2) {
        deletes = deletes.delete(Tally::key(&t.tally_id));
    }
    deletes.await.unwrap();
    let left = table
        .batch_get(items.iter().map(|t| Tally::key(&t.tally_id)))
        .consistent()
        .concurrency(2)
        .await
        .unwrap();
    let expected: Vec<Tally> = items.iter().skip(1).step_by(2).cloned().collect();
    assert_eq!(left, expected);
}

#[tokio::test]
async fn two_writes_of_one_key_in_a_batch_keep_the_last() {
    let table = testbed_table().await;
    let first = Tally {
        tally_id: "dup".into(),
        count: 1,
    };
    let second = Tally {
        tally_id: "dup".into(),
        count: 2,
    };
    table.batch_write().put(&first).put(&second).await.unwrap();
    assert_eq!(
        table.get(Tally::key("dup")).consistent().await.unwrap(),
        Some(second)
    );
    table
        .batch_write()
        .put(&first)
        .delete(Tally::key("dup"))
        .await
        .unwrap();
    assert_eq!(
        table.get(Tally::key("dup")).consistent().await.unwrap(),
        None
    );
}

#[tokio::test]
async fn versioned_items_are_refused_in_a_batch_write() {
    let table = testbed_table().await;
    let account = Account {
        account_id: "a".into(),
        owner: "ada".into(),
        balance: 1,
        version: 0,
    };
    let err = table
        .batch_write()
        .put(&tallies(1)[0])
        .put(&account)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Batch(BatchError::Versioned { entity: "Account" })
        ),
        "{err:?}"
    );
    // Nothing of the batch was written.
    assert_eq!(
        table.get(Tally::key("t00000")).consistent().await.unwrap(),
        None
    );
}

#[tokio::test]
async fn a_failed_batch_lists_exactly_the_keys_not_written() {
    // A table that does not exist: every chunk fails, and every key is listed.
    let table = testbed::Table::new(client(), "no-such-table");
    let items = tallies(60);
    let err = table.batch_write().put_all(&items).await.unwrap_err();
    let Error::Unprocessed {
        operation,
        keys,
        cause,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*operation, "BatchWriteItem");
    let mut listed: Vec<String> = keys
        .iter()
        .map(|k| k["pk"].as_s().unwrap().clone())
        .collect();
    listed.sort();
    let expected: Vec<String> = items
        .iter()
        .map(|t| format!("TALLY#{}", t.tally_id))
        .collect();
    assert_eq!(listed, expected);
    assert!(
        matches!(cause.as_deref(), Some(Error::Service(e)) if e.code() == Some("ResourceNotFoundException")),
        "{cause:?}"
    );
    let err = table
        .batch_get(items.iter().map(|t| Tally::key(&t.tally_id)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Unprocessed { operation: "BatchGetItem", keys, .. } if keys.len() == 60),
        "{err:?}"
    );
}
