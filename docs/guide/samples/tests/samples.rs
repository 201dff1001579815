//! Every server-side sample of the guide, run against DynamoDB Local: what the guide
//! shows is what runs.

use chrono::{TimeZone, Utc};
use dynaschema::Error;
use guide_samples::{Account, Order, Product, User, guide};
use ulid::Ulid;

// ANCHOR: testing
/// A table of its own on this test process's DynamoDB Local (started on first use,
/// installed with npm the first time; a test fails, saying what is missing, if it
/// cannot start).
async fn table() -> guide::Table {
    let server = dynaschema::local::DynamoDbLocal::shared()
        .unwrap_or_else(|e| panic!("DynamoDB Local could not start: {e}"));
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("guide-{}-{n}", std::process::id());
    let table = guide::Table::new(server.client(), name);
    table.create_table().await.expect("create the table");
    table
}

#[tokio::test]
async fn a_user_is_found_by_email_in_any_casing() {
    let table = table().await;
    table.put(&user("ada")).await.unwrap();
    let found = table.user_by_email("ADA@example.com").all().await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].user_id, "ada");
}
// ANCHOR_END: testing

fn user(id: &str) -> User {
    User {
        user_id: id.into(),
        email: format!("{id}@example.com"),
        name: id.to_uppercase(),
        created_at: None,
        updated_at: None,
    }
}

fn order(user_id: &str, day: u32, total_cents: i64) -> Order {
    Order {
        user_id: user_id.into(),
        order_id: Ulid::from_parts(1_767_000_000_000 + u64::from(day), u128::from(day)),
        placed_at: Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap(),
        total_cents,
        status: "placed".into(),
    }
}

fn product(id: &str, category: &str, price_cents: i64) -> Product {
    Product {
        product_id: id.into(),
        category: category.into(),
        name: id.to_uppercase(),
        price_cents,
    }
}

#[tokio::test]
async fn the_patterns_chapter_runs() {
    let table = table().await;
    table.put(&user("ada")).await.unwrap();
    for (day, total) in [(2, 1_998), (10, 4_500), (20, 500)] {
        table.put(&order("ada", day, total)).await.unwrap();
    }
    for (id, category, price) in [
        ("kettle", "kitchen", 1_998),
        ("mug", "kitchen", 500),
        ("teapot", "tea", 3_000),
    ] {
        table.put(&product(id, category, price)).await.unwrap();
    }
    guide_samples::patterns(&table).await.unwrap();
    // What the samples read, checked here too.
    let both = table.user_with_orders("ada").await.unwrap();
    assert_eq!(both.user.map(|u| u.user_id).as_deref(), Some("ada"));
    assert_eq!(both.orders.len(), 3);
    let kitchen = table
        .products_in_category("kitchen", &1_000)
        .all()
        .await
        .unwrap();
    assert_eq!(
        kitchen
            .iter()
            .map(|p| p.product_id.as_str())
            .collect::<Vec<_>>(),
        ["kettle"]
    );
    let since = Utc.with_ymd_and_hms(2026, 11, 15, 0, 0, 0).unwrap();
    let late = table
        .user_orders("ada")
        .placed_at_gte(&since)
        .all()
        .await
        .unwrap();
    assert_eq!(
        late.iter().map(|o| o.total_cents).collect::<Vec<_>>(),
        [500]
    );
    let order_id = order("ada", 10, 0).order_id;
    let by_id = table.order_by_id(&order_id).all().await.unwrap();
    assert_eq!(by_id.len(), 1);
    assert_eq!(by_id[0].total_cents, 4_500);
}

#[tokio::test]
async fn the_writes_chapter_runs() {
    let table = table().await;
    guide_samples::writes(&table).await.unwrap();
    let session = table
        .get_session("s-1")
        .await
        .unwrap()
        .expect("the session");
    assert!(session.expires_at.0 > dynaschema::EpochSeconds::now().0);
}

#[tokio::test]
async fn a_transfer_moves_the_balance_or_nothing() {
    let table = table().await;
    for (id, balance) in [("alice", 100), ("bob", 0)] {
        let account = Account {
            account_id: id.into(),
            balance,
            version: 0,
        };
        table.put(&account).await.unwrap();
    }
    guide_samples::transfer(&table, "alice", "bob", 30)
        .await
        .unwrap();
    let balance = |id: &'static str| {
        let table = &table;
        async move { table.get_account(id).await.unwrap().unwrap().balance }
    };
    assert_eq!((balance("alice").await, balance("bob").await), (70, 30));
    let err = guide_samples::transfer(&table, "alice", "bob", 500)
        .await
        .unwrap_err();
    let Error::TransactionCanceled { reasons } = &err else {
        panic!("{err:?}")
    };
    assert!(reasons[0].is_condition_failed(), "{reasons:?}");
    assert_eq!((balance("alice").await, balance("bob").await), (70, 30));
}

#[tokio::test]
async fn batches_write_and_read_every_item_once() {
    let table = table().await;
    let products: Vec<Product> = (0..260)
        .map(|i| {
            product(
                &format!("p{i:04}"),
                if i % 2 == 0 { "kitchen" } else { "tea" },
                i,
            )
        })
        .collect();
    let read = guide_samples::batches(&table, &products).await.unwrap();
    assert_eq!(read, products);
    // The scan sample sees them all too.
    let all = table.all_products().all().await.unwrap();
    assert_eq!(all.len(), 260);
}

#[tokio::test]
async fn pages_carry_on_from_their_cursor_and_a_tampered_cursor_is_refused() {
    let table =
        guide_samples::with_signed_cursors(table().await, b"an application secret of 32 byte");
    for day in 1..=25 {
        table.put(&order("ada", day, i64::from(day))).await.unwrap();
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let (orders, next) = guide_samples::orders_page(&table, "ada", cursor.as_deref())
            .await
            .unwrap();
        seen.extend(orders.into_iter().map(|o| o.total_cents));
        match next {
            Some(next) => cursor = Some(next),
            None => break,
        }
        assert!(seen.len() <= 25, "pages do not end");
    }
    assert_eq!(seen, (1..=25).rev().collect::<Vec<i64>>());

    let (_, next) = guide_samples::orders_page(&table, "ada", None)
        .await
        .unwrap();
    let mut tampered = next.expect("a second page");
    tampered.replace_range(..1, if tampered.starts_with('A') { "B" } else { "A" });
    let err = guide_samples::orders_page(&table, "ada", Some(&tampered))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
}

#[test]
fn the_keys_chapter_runs() {
    guide_samples::keys().unwrap();
}
