//! Transactions: several entities written all or nothing, cancellation reasons by
//! position, the rules DynamoDB enforces checked before sending, and concurrent
//! transfers keeping their sum.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use dynaschema::{CancelCode, Error, TransactionError};
use dynaschema_tests::{Account, Document, Tally, testbed, testbed_table};

async fn open(table: &testbed::Table, id: &str, balance: i64) {
    table
        .put(&Account {
            account_id: id.into(),
            owner: id.into(),
            balance,
            version: 0,
        })
        .await
        .unwrap();
}

async fn balance(table: &testbed::Table, id: &str) -> i64 {
    table
        .get(Account::key(id))
        .consistent()
        .await
        .unwrap()
        .unwrap()
        .balance
}

fn transfer<'t>(
    table: &'t testbed::Table,
    from: &str,
    to: &str,
    amount: i64,
) -> dynaschema::Transaction<'t> {
    let f = Account::fields();
    table
        .transaction()
        .update(Account::key(from), |u| {
            u.add(&f.balance, &-amount).condition(f.balance.ge(&amount))
        })
        .update(Account::key(to), |u| u.add(&f.balance, &amount))
}

#[tokio::test]
async fn a_transfer_moves_a_balance_all_or_nothing() {
    let table = testbed_table().await;
    open(&table, "alice", 100).await;
    open(&table, "bob", 0).await;
    transfer(&table, "alice", "bob", 30).await.unwrap();
    assert_eq!(
        (balance(&table, "alice").await, balance(&table, "bob").await),
        (70, 30)
    );

    // Not enough money: cancelled, the reason at the first action's position, with
    // the item its condition found; the other action has no reason; nothing changed.
    let err = transfer(&table, "alice", "bob", 500).await.unwrap_err();
    let Error::TransactionCanceled { reasons } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(reasons.len(), 2);
    assert!(reasons[0].is_condition_failed(), "{reasons:?}");
    assert_eq!(reasons[0].entity, "Account");
    let alice: Account = reasons[0].old_item().unwrap().unwrap();
    assert_eq!(alice.balance, 70);
    assert_eq!(reasons[1].code, CancelCode::None);
    assert_eq!(
        (balance(&table, "alice").await, balance(&table, "bob").await),
        (70, 30)
    );
    // Every update bumps the version of the versioned entity.
    let alice = table
        .get(Account::key("alice"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(alice.version, 2);
}

#[tokio::test]
async fn one_transaction_writes_several_entities_or_none() {
    let table = testbed_table().await;
    open(&table, "acc", 5).await;
    table
        .put(&Tally {
            tally_id: "old".into(),
            count: 1,
        })
        .await
        .unwrap();
    let day = Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap();
    let doc = Document::sample("tx", "ada", day);
    let a = Account::fields();
    // A failing check cancels every other action.
    let err = table
        .transaction()
        .put_with(&doc, |p| p.if_absent())
        .delete(Tally::key("old"))
        .check(Account::key("acc"), a.balance.gt(&100))
        .await
        .unwrap_err();
    let Error::TransactionCanceled { reasons } = &err else {
        panic!("{err:?}")
    };
    let codes: Vec<&CancelCode> = reasons.iter().map(|r| &r.code).collect();
    assert_eq!(
        codes,
        [
            &CancelCode::None,
            &CancelCode::None,
            &CancelCode::ConditionalCheckFailed
        ]
    );
    assert_eq!(
        table.get(Document::key("tx")).consistent().await.unwrap(),
        None
    );
    assert!(
        table
            .get(Tally::key("old"))
            .consistent()
            .await
            .unwrap()
            .is_some()
    );

    table
        .transaction()
        .put_with(&doc, |p| p.if_absent())
        .delete_with(Tally::key("old"), |d| d.if_exists())
        .check(Account::key("acc"), a.balance.eq(&5))
        .await
        .unwrap();
    assert_eq!(
        table.get(Document::key("tx")).consistent().await.unwrap(),
        Some(doc)
    );
    assert_eq!(
        table.get(Tally::key("old")).consistent().await.unwrap(),
        None
    );
}

#[tokio::test]
async fn a_versioned_put_in_a_transaction_checks_the_version() {
    let table = testbed_table().await;
    open(&table, "v", 1).await;
    let stale = Account {
        account_id: "v".into(),
        owner: "v".into(),
        balance: 9,
        version: 0,
    };
    let err = table.transaction().put(&stale).await.unwrap_err();
    assert!(
        matches!(&err, Error::TransactionCanceled { reasons } if reasons[0].is_condition_failed()),
        "{err:?}"
    );
    let current = Account {
        version: 1,
        ..stale
    };
    table.transaction().put(&current).await.unwrap();
    let stored = table
        .get(Account::key("v"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.balance, stored.version), (9, 2));
}

#[tokio::test]
async fn transactions_dynamodb_would_refuse_are_refused_before_sending() {
    let table = testbed_table().await;
    let err = table.transaction().await.unwrap_err();
    assert!(
        matches!(err, Error::Transaction(TransactionError::Empty)),
        "{err:?}"
    );

    let f = Account::fields();
    let err = table
        .transaction()
        .update(Account::key("a"), |u| u.add(&f.balance, &1))
        .check(Account::key("b"), f.balance.ge(&0))
        .delete(Account::key("a"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transaction(TransactionError::SameItem {
                entity: "Account",
                first: 0,
                second: 2
            })
        ),
        "{err:?}"
    );

    let mut many = table.transaction();
    for i in 0..101 {
        many = many.delete(Tally::key(&format!("t{i}")));
    }
    let err = many.await.unwrap_err();
    assert!(
        matches!(&err, Error::Limit(l) if l.size == 101 && l.limit == 100 && l.unit == "actions"),
        "{err:?}"
    );

    // An action that cannot be built reports its own error.
    let err = table
        .transaction()
        .update(Account::key("a"), |u| u.set(&f.account_id, "b"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Update(_)), "{err:?}");

    // Over 4 MB in all: ten items of 390 KB each.
    let day = Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap();
    let mut big = table.transaction();
    for i in 0..11 {
        let mut doc = Document::sample(&format!("big{i}"), "ada", day);
        doc.body = Some("x".repeat(390_000));
        big = big.put(&doc);
    }
    let err = big.await.unwrap_err();
    assert!(
        matches!(&err, Error::Limit(l) if l.unit == "bytes" && l.limit == 4 * 1024 * 1024),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_item_over_400_kb_is_refused_before_sending() {
    let table = testbed_table().await;
    let day = Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap();
    let mut doc = Document::sample("huge", "ada", day);
    doc.body = Some("x".repeat(410_000));
    let err = table.put(&doc).await.unwrap_err();
    match &err {
        Error::Limit(l) => {
            assert_eq!((l.entity, l.limit, l.unit), ("Document", 409_600, "bytes"));
            assert!(l.size > 410_000, "{l}");
            assert!(l.what.contains("body_text"), "{l}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        table.get(Document::key("huge")).consistent().await.unwrap(),
        None
    );
    // Just under the limit is written (DynamoDB agrees with the computed size).
    doc.body = Some("x".repeat(408_000));
    table.put(&doc).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_transfers_keep_the_total() {
    const ACCOUNTS: usize = 4;
    const TRANSFERS: usize = 32;
    let table = Arc::new(testbed_table().await);
    for i in 0..ACCOUNTS {
        open(&table, &format!("acct{i}"), 100).await;
    }
    let mut tasks = Vec::new();
    for t in 0..TRANSFERS {
        let table = table.clone();
        tasks.push(tokio::spawn(async move {
            let from = format!("acct{}", t % ACCOUNTS);
            let to = format!("acct{}", (t * 7 + 1) % ACCOUNTS);
            if from == to {
                return false;
            }
            let amount = (t % 5 + 1) as i64 * 10;
            // Conflicting transactions are cancelled by DynamoDB; retry those.
            loop {
                match transfer(&table, &from, &to, amount).await {
                    Ok(()) => return true,
                    Err(Error::TransactionCanceled { reasons })
                        if reasons
                            .iter()
                            .any(|r| r.code == CancelCode::TransactionConflict) =>
                    {
                        continue;
                    }
                    Err(Error::TransactionCanceled { reasons })
                        if reasons[0].is_condition_failed() =>
                    {
                        return false;
                    }
                    Err(e) => panic!("{e}"),
                }
            }
        }));
    }
    let mut done = 0;
    for task in tasks {
        if task.await.unwrap() {
            done += 1;
        }
    }
    let mut total = 0;
    for i in 0..ACCOUNTS {
        let b = balance(&table, &format!("acct{i}")).await;
        assert!(b >= 0, "acct{i} went negative: {b}");
        total += b;
    }
    assert_eq!(total, 100 * ACCOUNTS as i64, "after {done} transfers");
    assert!(done > 0);
}

#[tokio::test]
async fn move_item_changes_a_primary_key_in_one_transaction() {
    let table = testbed_table().await;
    let mut tally = Tally {
        tally_id: "old".into(),
        count: 4,
    };
    table.put(&tally).await.unwrap();
    tally.tally_id = "new".into();
    table.move_item(Tally::key("old"), &tally).await.unwrap();
    assert_eq!(
        table.get(Tally::key("old")).consistent().await.unwrap(),
        None
    );
    assert_eq!(
        table.get(Tally::key("new")).consistent().await.unwrap(),
        Some(tally.clone())
    );
    // Onto an existing item, or from a missing one: cancelled, nothing changes.
    table
        .put(&Tally {
            tally_id: "taken".into(),
            count: 0,
        })
        .await
        .unwrap();
    let mut onto = tally.clone();
    onto.tally_id = "taken".into();
    let err = table.move_item(Tally::key("new"), &onto).await.unwrap_err();
    assert!(
        matches!(&err, Error::TransactionCanceled { reasons } if reasons[1].is_condition_failed()),
        "{err:?}"
    );
    assert!(
        table
            .get(Tally::key("new"))
            .consistent()
            .await
            .unwrap()
            .is_some()
    );

    // A versioned item moves at its version, and is bumped.
    open(&table, "acc", 7).await;
    let mut account = table
        .get(Account::key("acc"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    account.account_id = "acc2".into();
    let mut stale = account.clone();
    stale.version = 0;
    let err = table
        .move_item(Account::key("acc"), &stale)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TransactionCanceled { reasons } if reasons[0].is_condition_failed()),
        "{err:?}"
    );
    table
        .move_item(Account::key("acc"), &account)
        .await
        .unwrap();
    let moved = table
        .get(Account::key("acc2"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!((moved.balance, moved.version), (7, 2));
    assert_eq!(
        table.get(Account::key("acc")).consistent().await.unwrap(),
        None
    );
}
