//! Updates with typed paths, conditions on every write, optimistic locking, and
//! concurrent writers.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use dynaschema::{Error, UpdateError};
use dynaschema_tests::{Account, Document, Person, Tally, raw_item, testbed_table};

fn day(d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, d, 9, 0, 0).unwrap()
}

#[tokio::test]
async fn update_applies_typed_actions_and_returns_the_new_item() {
    let table = testbed_table().await;
    let doc = Document::sample("d1", "ada", day(1));
    table.put(&doc).await.unwrap();
    let f = Document::fields();
    let updated = table
        .update(Document::key("d1"))
        .set(&f.body, &Some("Renamed".to_owned()))
        .add(&f.delta, &5)
        .increment(&f.tiny, &2)
        .add_to_set(&f.labels, &HashSet::from(["z".to_owned()]))
        .remove_from_set(&f.sizes, &BTreeSet::from([0, 99]))
        .append(&f.keywords, &["c".to_owned()])
        .prepend(
            &f.editors,
            &[Person {
                name: "Barbara".into(),
                since: None,
            }],
        )
        .set(&f.reviewer.then(|r| r.name), "Grace Hopper")
        .add(&f.counts.key("views"), &1)
        .set_if_absent(&f.counts.key("shares"), &3)
        .await
        .unwrap();
    let mut expected = doc.clone();
    expected.body = Some("Renamed".into());
    expected.delta += 5;
    expected.tiny += 2;
    expected.labels.insert("z".to_owned());
    expected.sizes.remove(&0);
    expected.keywords.push("c".into());
    expected.editors.insert(
        0,
        Person {
            name: "Barbara".into(),
            since: None,
        },
    );
    expected.reviewer.as_mut().unwrap().name = "Grace Hopper".into();
    *expected.counts.get_mut("views").unwrap() += 1;
    expected.counts.insert("shares".into(), 3);
    assert_eq!(updated, expected);
    assert_eq!(
        table.get(Document::key("d1")).consistent().await.unwrap(),
        Some(expected)
    );
}

#[tokio::test]
async fn setting_a_sparse_key_field_moves_the_item_in_and_out_of_its_index() {
    let table = testbed_table().await;
    let mut doc = Document::sample("d2", "ada", day(2));
    doc.tag = Some("red".into());
    table.put(&doc).await.unwrap();
    let f = Document::fields();
    // `by_tag` is `TAG#{tag}` / `DOC#{doc_id}`: `doc_id` comes from the key updated.
    table
        .update(Document::key("d2"))
        .set(&f.tag, &Some("blue".to_owned()))
        .await
        .unwrap();
    let stored = raw_item(table.client(), table.name(), "DOC#d2", "DOC")
        .await
        .unwrap();
    assert_eq!(stored["gsi2pk"].as_s().unwrap(), "TAG#blue");
    assert_eq!(stored["gsi2sk"].as_s().unwrap(), "DOC#d2");
    assert!(
        table
            .documents_by_tag("red")
            .all()
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(table.documents_by_tag("blue").all().await.unwrap().len(), 1);
    // Removing the tag takes the item out of the sparse index.
    table
        .update(Document::key("d2"))
        .remove(&f.tag)
        .await
        .unwrap();
    let stored = raw_item(table.client(), table.name(), "DOC#d2", "DOC")
        .await
        .unwrap();
    assert!(!stored.contains_key("tag"));
    assert!(!stored.contains_key("gsi2pk") && !stored.contains_key("gsi2sk"));
    assert!(
        table
            .documents_by_tag("blue")
            .all()
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn an_index_key_changes_only_with_every_field_it_is_built_from() {
    let table = testbed_table().await;
    let doc = Document::sample("d3", "ada", day(3));
    table.put(&doc).await.unwrap();
    let f = Document::fields();
    // `owner` is in `by_owner` (with `created_at`) and `by_pages` (with `pages`).
    let err = table
        .update(Document::key("d3"))
        .set(&f.owner, "alan")
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Update(UpdateError::IncompleteIndexKey { index: "by_owner", missing, .. })
                if missing == &["created_at"]
        ),
        "{err:?}"
    );
    // Nothing was written.
    assert_eq!(
        table.get(Document::key("d3")).consistent().await.unwrap(),
        Some(doc.clone())
    );
    let moved = table
        .update(Document::key("d3"))
        .set(&f.owner, "alan")
        .set(&f.created_at, &day(9))
        .set(&f.pages, &77)
        .set(&f.title, "Moved")
        .await
        .unwrap();
    assert_eq!(moved.owner, "alan");
    let stored = raw_item(table.client(), table.name(), "DOC#d3", "DOC")
        .await
        .unwrap();
    let expected = Document {
        owner: "alan".into(),
        created_at: day(9),
        pages: 77,
        title: "Moved".into(),
        ..doc.clone()
    }
    .to_item_for_test();
    for attribute in ["gsi1pk", "gsi1sk", "gsi3pk", "gsi3sk", "gsi4pk", "gsi4sk"] {
        assert_eq!(
            stored.get(attribute),
            expected.get(attribute),
            "{attribute}"
        );
    }
    assert_eq!(
        table.documents_by_owner("alan").all().await.unwrap().len(),
        1
    );
    assert!(
        table
            .documents_by_owner("ada")
            .all()
            .await
            .unwrap()
            .is_empty()
    );
}

/// `Entity::to_item`, named for what the test compares it with.
trait ToItemForTest {
    fn to_item_for_test(&self) -> dynaschema::Item;
}

impl<E: dynaschema::Entity> ToItemForTest for E {
    fn to_item_for_test(&self) -> dynaschema::Item {
        self.to_item().unwrap()
    }
}

#[tokio::test]
async fn updates_that_cannot_keep_keys_right_are_refused_before_sending() {
    let table = testbed_table().await;
    let doc = Document::sample("d4", "ada", day(4));
    table.put(&doc).await.unwrap();
    let f = Document::fields();
    // Inside a transaction, a primary key change cannot move the item.
    let err = table
        .transaction()
        .update(Document::key("d4"), |u| u.set(&f.doc_id, "d5"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Update(UpdateError::PrimaryKeyField { field, .. }) if field == "doc_id"),
        "{err:?}"
    );
    let err = table
        .update(Document::key("d4"))
        .increment(&f.pages, &1)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Update(UpdateError::KeyFieldNotSet { field, .. }) if field == "pages"),
        "{err:?}"
    );
    let err = table
        .update(Document::key("d4"))
        .add_to_set(&f.labels, &HashSet::from(["z".to_owned()]))
        .remove_from_set(&f.labels, &HashSet::from(["x".to_owned()]))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Update(UpdateError::OverlappingPaths { first, second, .. }) if first == "labels" && second == "labels"),
        "{err:?}"
    );
    let err = table
        .update(Document::key("d4"))
        .set(&f.reviewer, &None)
        .set(&f.reviewer.then(|r| r.name), "x")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Update(UpdateError::OverlappingPaths { .. })),
        "{err:?}"
    );
    // Arithmetic that would leave the field's type fails its condition instead of
    // storing an item that cannot be read back (`tiny` is an i8 at -128).
    let err = table
        .update(Document::key("d4"))
        .decrement(&f.tiny, &1)
        .await
        .unwrap_err();
    assert_eq!(err.old_item::<Document>().unwrap().unwrap(), doc);
    let err = table
        .update(Document::key("d4"))
        .add(&f.tiny, &-1)
        .await
        .unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    let err = table.update(Document::key("d4")).await.unwrap_err();
    assert!(
        matches!(&err, Error::Update(UpdateError::Empty { .. })),
        "{err:?}"
    );
    // A value DynamoDB cannot store is refused too, naming the path.
    let err = table
        .update(Document::key("d4"))
        .set(&f.score, &f64::NAN)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Encode(e) if e.attribute == "score"),
        "{err:?}"
    );
    assert_eq!(
        table.get(Document::key("d4")).consistent().await.unwrap(),
        Some(doc)
    );
}

#[tokio::test]
async fn an_update_never_creates_an_item_and_reports_a_failed_condition_with_the_item() {
    let table = testbed_table().await;
    let f = Document::fields();
    let err = table
        .update(Document::key("missing"))
        .set(&f.body, &None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::ConditionalCheckFailed {
                operation: "UpdateItem",
                old: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        raw_item(table.client(), table.name(), "DOC#missing", "DOC")
            .await
            .is_none()
    );

    let doc = Document::sample("d6", "ada", day(6));
    table.put(&doc).await.unwrap();
    let err = table
        .update(Document::key("d6"))
        .set(&f.body, &None)
        .condition(f.pages.gt(&1_000).or(f.title.begins_with("Z")))
        .await
        .unwrap_err();
    assert_eq!(err.old_item::<Document>().unwrap().unwrap(), doc);
    let updated = table
        .update(Document::key("d6"))
        .set(&f.body, &Some("x".to_owned()))
        .condition(
            f.pages
                .between(&1, &1_000)
                .and(f.labels.contains(&"x".to_owned()))
                .and(f.keywords.size().eq(2))
                .and(f.tag.exists())
                .and(f.score.not_exists().not())
                .and(f.title.is_in(&[doc.title, "other".into()]))
                .and(f.tiny.ne(&0).not().not()),
        )
        .await
        .unwrap();
    assert_eq!(updated.body.as_deref(), Some("x"));
}

#[tokio::test]
async fn put_and_delete_take_conditions() {
    let table = testbed_table().await;
    let doc = Document::sample("d7", "ada", day(7));
    table.put(&doc).await.unwrap();
    let f = Document::fields();
    let mut changed = doc.clone();
    changed.title = "Changed".into();
    let err = table
        .put(&changed)
        .condition(f.title.eq("not the title"))
        .await
        .unwrap_err();
    assert_eq!(err.old_item::<Document>().unwrap().unwrap(), doc);
    table
        .put(&changed)
        .condition(f.title.eq(&doc.title))
        .await
        .unwrap();
    let err = table
        .delete(Document::key("d7"))
        .condition(f.pages.gt(&doc.pages))
        .await
        .unwrap_err();
    assert_eq!(err.old_item::<Document>().unwrap().unwrap(), changed);
    table
        .delete(Document::key("d7"))
        .condition(f.pages.eq(&doc.pages))
        .await
        .unwrap();
    assert_eq!(
        table.get(Document::key("d7")).consistent().await.unwrap(),
        None
    );
}

#[tokio::test]
async fn a_versioned_entity_checks_and_bumps_its_version_on_every_write() {
    let table = testbed_table().await;
    let mut account = Account {
        account_id: "a1".into(),
        owner: "ada".into(),
        balance: 10,
        version: 0,
    };
    // Version 0 creates; a second create of the same item conflicts.
    table.put(&account).await.unwrap();
    let err = table.put(&account).await.unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    let stored = table
        .get(Account::key("a1"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.version, 1);
    // A put of version 1 stores version 2.
    account.version = 1;
    account.balance = 20;
    table.put(&account).await.unwrap();
    let err = table.put(&account).await.unwrap_err();
    assert_eq!(err.old_item::<Account>().unwrap().unwrap().version, 2);

    let f = Account::fields();
    let updated = table
        .update(Account::key("a1"))
        .add(&f.balance, &5)
        .if_version(2)
        .await
        .unwrap();
    assert_eq!((updated.balance, updated.version), (25, 3));
    let err = table
        .update(Account::key("a1"))
        .add(&f.balance, &5)
        .if_version(2)
        .await
        .unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    // The version is dynaschema's to write.
    let err = table
        .update(Account::key("a1"))
        .set(&f.version, &9)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Update(UpdateError::VersionField { .. })),
        "{err:?}"
    );

    let err = table
        .delete(Account::key("a1"))
        .if_version(2)
        .await
        .unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    table
        .delete(Account::key("a1"))
        .if_version(3)
        .await
        .unwrap();
    assert_eq!(
        table.get(Account::key("a1")).consistent().await.unwrap(),
        None
    );
}

const WRITERS: usize = 32;

/// Every writer reads the item, all wait for each other, then every writer writes
/// its read value + 1: the worst interleaving of read-modify-write, every time.
async fn read_all_then_write<T, R, W, RF, WF>(read: R, write: W) -> usize
where
    T: Send + 'static,
    R: Fn() -> RF + Send + Sync + 'static,
    W: Fn(T) -> WF + Send + Sync + 'static,
    RF: Future<Output = T> + Send,
    WF: Future<Output = bool> + Send,
{
    let barrier = Arc::new(tokio::sync::Barrier::new(WRITERS));
    let read = Arc::new(read);
    let write = Arc::new(write);
    let mut tasks = Vec::new();
    for _ in 0..WRITERS {
        let (barrier, read, write) = (barrier.clone(), read.clone(), write.clone());
        tasks.push(tokio::spawn(async move {
            let value = read().await;
            barrier.wait().await;
            write(value).await
        }));
    }
    let mut successes = 0;
    for task in tasks {
        if task.await.unwrap() {
            successes += 1;
        }
    }
    successes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_increments_of_a_versioned_item_lose_nothing() {
    let table = Arc::new(testbed_table().await);
    table
        .put(&Account {
            account_id: "hot".into(),
            owner: "ada".into(),
            balance: 0,
            version: 0,
        })
        .await
        .unwrap();
    let (reader, writer) = (table.clone(), table.clone());
    let successes = read_all_then_write(
        move || {
            let table = reader.clone();
            async move {
                table
                    .get(Account::key("hot"))
                    .consistent()
                    .await
                    .unwrap()
                    .unwrap()
            }
        },
        move |mut account: Account| {
            let table = writer.clone();
            async move {
                account.balance += 1;
                match table.put(&account).await {
                    Ok(()) => true,
                    Err(e) if e.is_condition_failed() => false,
                    Err(e) => panic!("{e}"),
                }
            }
        },
    )
    .await;
    let stored = table
        .get(Account::key("hot"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    // Every success is counted, no update is lost: all read the same version, so
    // exactly one write wins.
    assert_eq!(stored.balance, successes as i64);
    assert_eq!(successes, 1);
    assert_eq!(stored.version, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_increments_without_a_version_lose_updates() {
    // The control: the same writers on an unversioned item all "succeed", and all
    // but one of their increments are lost. This is what the versioned test prevents.
    let table = Arc::new(testbed_table().await);
    table
        .put(&Tally {
            tally_id: "hot".into(),
            count: 0,
        })
        .await
        .unwrap();
    let (reader, writer) = (table.clone(), table.clone());
    let successes = read_all_then_write(
        move || {
            let table = reader.clone();
            async move {
                table
                    .get(Tally::key("hot"))
                    .consistent()
                    .await
                    .unwrap()
                    .unwrap()
            }
        },
        move |mut tally: Tally| {
            let table = writer.clone();
            async move {
                tally.count += 1;
                table.put(&tally).await.unwrap();
                true
            }
        },
    )
    .await;
    let stored = table
        .get(Tally::key("hot"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(successes, WRITERS);
    assert!(
        stored.count < successes as u64,
        "{} of {successes}",
        stored.count
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_versioned_updates_with_retries_count_every_increment() {
    // Writers that retry on conflict (re-read, re-apply) all get through, and the
    // balance counts each of them exactly once.
    let table = Arc::new(testbed_table().await);
    table
        .put(&Account {
            account_id: "busy".into(),
            owner: "ada".into(),
            balance: 0,
            version: 0,
        })
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..WRITERS {
        let table = table.clone();
        tasks.push(tokio::spawn(async move {
            let f = Account::fields();
            loop {
                let current = table
                    .get(Account::key("busy"))
                    .consistent()
                    .await
                    .unwrap()
                    .unwrap();
                match table
                    .update(Account::key("busy"))
                    .add(&f.balance, &1)
                    .if_version(current.version)
                    .await
                {
                    Ok(_) => return,
                    Err(e) if e.is_condition_failed() => continue,
                    Err(e) => panic!("{e}"),
                }
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let stored = table
        .get(Account::key("busy"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.balance, WRITERS as i64);
    assert_eq!(stored.version, 1 + WRITERS as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_if_absent_creates_have_exactly_one_winner() {
    let table = Arc::new(testbed_table().await);
    let mut tasks = Vec::new();
    for i in 0..WRITERS {
        let table = table.clone();
        tasks.push(tokio::spawn(async move {
            let mut doc = Document::sample("contested", "ada", day(1));
            doc.title = format!("writer {i}");
            match table.put(&doc).if_absent().await {
                Ok(()) => Some(doc.title),
                Err(e) if e.is_condition_failed() => None,
                Err(e) => panic!("{e}"),
            }
        }));
    }
    let mut winners = Vec::new();
    for task in tasks {
        winners.extend(task.await.unwrap());
    }
    assert_eq!(winners.len(), 1, "{winners:?}");
    let stored = table
        .get(Document::key("contested"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.title, winners[0]);
}

#[tokio::test]
async fn timestamps_are_kept_and_the_ttl_is_epoch_seconds() {
    use dynaschema::EpochSeconds;
    use dynaschema_tests::Post;
    let table = testbed_table().await;
    let before = Utc::now();
    let post = Post {
        post_id: "p1".into(),
        title: "Hello".into(),
        created_at: None,
        updated_at: None,
        expires: Some(EpochSeconds::from_secs(1_900_000_000)),
    };
    table.put(&post).await.unwrap();
    let stored = table
        .get(Post::key("p1"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    let created = stored.created_at.unwrap();
    assert!(created >= before && created <= Utc::now(), "{created}");
    assert_eq!(stored.updated_at, Some(created));
    // DynamoDB's TTL reads a number of seconds.
    let raw = raw_item(table.client(), table.name(), "POST#p1", "POST")
        .await
        .unwrap();
    assert_eq!(raw["expires"].as_n().unwrap(), "1900000000");

    // An update moves `updated_at` and keeps `created_at`.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let f = Post::fields();
    let updated = table
        .update(Post::key("p1"))
        .set(&f.title, "Hello again")
        .await
        .unwrap();
    assert_eq!(updated.created_at, Some(created));
    assert!(updated.updated_at.unwrap() > created);
    // A put of the item as read keeps its creation time too.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    table.put(&updated).await.unwrap();
    let again = table
        .get(Post::key("p1"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.created_at, Some(created));
    assert!(again.updated_at > updated.updated_at);
}

#[tokio::test]
async fn an_update_of_a_primary_key_field_moves_the_item() {
    let table = testbed_table().await;
    let doc = Document::sample("d8", "ada", day(8));
    table.put(&doc).await.unwrap();
    let f = Document::fields();
    // Without `.moving()`, a primary key change is refused before anything is sent.
    let refused = table
        .update(Document::key("d8"))
        .set(&f.doc_id, "d9")
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, Error::Update(UpdateError::MovesItem { field, .. }) if field == "doc_id"),
        "{refused}"
    );
    assert!(
        refused.to_string().contains("call `.moving()`"),
        "{refused}"
    );
    assert_eq!(
        table.get(Document::key("d8")).consistent().await.unwrap(),
        Some(doc.clone())
    );
    let moved = table
        .update(Document::key("d8"))
        .set(&f.doc_id, "d9")
        .moving()
        .set(&f.body, &Some("moved".to_owned()))
        .add(&f.delta, &2)
        .append(&f.keywords, &["z".to_owned()])
        .await
        .unwrap();
    let expected = Document {
        doc_id: "d9".into(),
        body: Some("moved".into()),
        delta: doc.delta + 2,
        keywords: vec!["a".into(), "b#c".into(), "z".into()],
        ..doc.clone()
    };
    assert_eq!(moved, expected);
    assert_eq!(
        table.get(Document::key("d8")).consistent().await.unwrap(),
        None
    );
    // Every index key was rebuilt from the new id.
    let stored = raw_item(table.client(), table.name(), "DOC#d9", "DOC")
        .await
        .unwrap();
    let rebuilt = expected.to_item_for_test();
    for attribute in ["gsi1sk", "gsi2sk", "gsi3sk", "gsi4sk"] {
        assert_eq!(stored.get(attribute), rebuilt.get(attribute), "{attribute}");
    }
    let by_owner = table.documents_by_owner("ada").all().await.unwrap();
    assert_eq!(by_owner, std::slice::from_ref(&expected));

    // A failed condition moves nothing and returns the item.
    let err = table
        .update(Document::key("d9"))
        .set(&f.doc_id, "d10")
        .moving()
        .condition(f.pages.gt(&1_000))
        .await
        .unwrap_err();
    assert_eq!(err.old_item::<Document>().unwrap().unwrap(), expected);
    assert!(
        table
            .get(Document::key("d10"))
            .consistent()
            .await
            .unwrap()
            .is_none()
    );
    // Onto an existing item: cancelled, nothing moves.
    table
        .put(&Document::sample("taken", "ada", day(8)))
        .await
        .unwrap();
    let err = table
        .update(Document::key("d9"))
        .set(&f.doc_id, "taken")
        .moving()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TransactionCanceled { reasons } if reasons[1].is_condition_failed()),
        "{err:?}"
    );
    assert_eq!(
        table.get(Document::key("d9")).consistent().await.unwrap(),
        Some(expected)
    );
    // A missing item is a failed condition, as for any update.
    let err = table
        .update(Document::key("nothing"))
        .set(&f.doc_id, "x")
        .moving()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ConditionalCheckFailed { old: None, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_versioned_item_moves_at_its_version() {
    let table = testbed_table().await;
    table
        .put(&Account {
            account_id: "from".into(),
            owner: "ada".into(),
            balance: 3,
            version: 0,
        })
        .await
        .unwrap();
    let f = Account::fields();
    let err = table
        .update(Account::key("from"))
        .set(&f.account_id, "to")
        .moving()
        .if_version(7)
        .await
        .unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    let moved = table
        .update(Account::key("from"))
        .set(&f.account_id, "to")
        .moving()
        .add(&f.balance, &1)
        .if_version(1)
        .await
        .unwrap();
    assert_eq!(
        (moved.account_id.as_str(), moved.balance, moved.version),
        ("to", 4, 2)
    );
    assert_eq!(
        table.get(Account::key("from")).consistent().await.unwrap(),
        None
    );
}
