//! The user guide's Rust samples. The guide includes them by anchor (`{{#include
//! ../samples/src/lib.rs:put}}`), so every sample it shows compiles here, and
//! `tests/samples.rs` runs each against DynamoDB Local.

use chrono::{DateTime, Utc};
use dynaschema::{Cursor, Entity, EpochSeconds};
use futures::TryStreamExt;
use ulid::Ulid;

// ANCHOR: include
dynaschema::include_schema!(pub guide);
// ANCHOR_END: include

// ANCHOR: entities
/// A customer.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct User {
    pub user_id: String,
    pub email: String,
    pub name: String,
    /// Set by dynaschema when the item is first written.
    #[entity(created_at)]
    pub created_at: Option<DateTime<Utc>>,
    /// Set by dynaschema on every write.
    #[entity(updated_at)]
    pub updated_at: Option<DateTime<Utc>>,
}

/// An order, in its user's partition.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Order {
    pub user_id: String,
    pub order_id: Ulid,
    pub placed_at: DateTime<Utc>,
    pub total_cents: i64,
    /// `status` is a DynamoDB reserved word: dynaschema always uses placeholders.
    pub status: String,
}

/// A product of the catalogue.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Product {
    pub product_id: String,
    pub category: String,
    pub name: String,
    pub price_cents: i64,
}

/// A balance with optimistic locking.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Account {
    pub account_id: String,
    pub balance: i64,
    /// 0 for an account never written; every write stores the next version.
    #[entity(version)]
    pub version: u64,
}

/// A login session that DynamoDB's TTL deletes after `expires_at`.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Session {
    pub session_id: String,
    pub user_id: String,
    /// Under the table's `ttl_attribute`: stored as epoch seconds.
    pub expires_at: EpochSeconds,
}
// ANCHOR_END: entities

// ANCHOR: client_aws
/// The table in your AWS account: credentials, region and endpoint from AWS's
/// default chain (environment, `~/.aws` profiles and SSO, web identity, ECS and
/// instance roles), as every AWS SDK and the AWS CLI read them.
pub async fn table_on_aws(table_name: &str) -> guide::Table {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = dynaschema::aws_sdk_dynamodb::Client::new(&config);
    guide::Table::new(client, table_name)
}
// ANCHOR_END: client_aws

// ANCHOR: client_local
/// The table on a local server (`dynaschema local`, DynamoDB Local, the embedded
/// server): its endpoint and the dummy credentials local servers accept.
pub fn table_on_local(endpoint: &str, table_name: &str) -> guide::Table {
    guide::Table::new(dynaschema::local::client(endpoint), table_name)
}
// ANCHOR_END: client_local

/// Gets, queries, collections, filters and scans.
pub async fn patterns(table: &guide::Table) -> dynaschema::Result<()> {
    // ANCHOR: get
    // One method per `get` pattern; its arguments are the key's fields, typed as
    // on the struct.
    let ada: Option<User> = table.get_user("ada").await?;
    // The same read by key, consistent (not for global secondary indexes).
    let same = table.get(User::key("ada")).consistent().await?;
    assert_eq!(ada, same);
    // ANCHOR_END: get

    // ANCHOR: query
    // `EMAIL#{email|lower}`: the key lower-cases the address, so any casing finds it.
    let by_email: Vec<User> = table.user_by_email("Ada@Example.com").all().await?;
    // Newest first, as the pattern declares; at most 10.
    let recent: Vec<Order> = table.user_orders("ada").limit(10).all().await?;
    // ANCHOR_END: query
    assert_eq!(by_email.len(), 1);
    assert!(!recent.is_empty());

    // ANCHOR: sort_conditions
    // Sort conditions over the sort key `ORDER#{placed_at}#{order_id}`: only the
    // conditions its segment order allows exist as methods.
    let since: DateTime<Utc> = "2026-11-15T00:00:00Z".parse().expect("a date");
    let november_second_half: Vec<Order> =
        table.user_orders("ada").placed_at_gte(&since).all().await?;
    // ANCHOR_END: sort_conditions
    assert!(november_second_half.iter().all(|o| o.placed_at >= since));

    // ANCHOR: collection
    // A user and their orders in one Query: the generated struct has an `Option`
    // for the one profile and a `Vec` for the orders.
    let both: guide::UserWithOrders = table.user_with_orders("ada").await?;
    if let Some(user) = &both.user {
        println!("{} has {} orders", user.name, both.orders.len());
    }
    // ANCHOR_END: collection

    // ANCHOR: filter
    // `filter = "price_cents >= {min_price}"`: the key selects the category, the
    // filter the price; `{min_price}` is typed as `price_cents` is.
    let kitchen: Vec<Product> = table.products_in_category("kitchen", &1_000).all().await?;
    // ANCHOR_END: filter
    assert!(kitchen.iter().all(|p| p.price_cents >= 1_000));

    // ANCHOR: scan
    // Only declared scans exist; `segments = 2` reads two segments in parallel.
    let mut products = table.all_products().stream();
    while let Some(product) = products.try_next().await? {
        println!("{}: {} cents", product.name, product.price_cents);
    }
    // ANCHOR_END: scan
    Ok(())
}

/// Puts, updates, conditions, locking, timestamps and TTL.
pub async fn writes(table: &guide::Table) -> dynaschema::Result<()> {
    // ANCHOR: put
    let grace = User {
        user_id: "grace".into(),
        email: "grace@example.com".into(),
        name: "Grace Hopper".into(),
        created_at: None, // set by the put
        updated_at: None,
    };
    // Refused with `Error::ConditionalCheckFailed` if the user exists.
    table.put(&grace).if_absent().await?;
    let err = table.put(&grace).if_absent().await.unwrap_err();
    assert!(err.is_condition_failed());
    // ANCHOR_END: put

    // ANCHOR: update
    // Typed paths: a misspelt field or a value of the wrong type does not compile.
    let f = User::fields();
    let renamed: User = table
        .update(User::key("grace"))
        .set(&f.name, "Rear Admiral Grace Hopper")
        .condition(f.email.eq("grace@example.com"))
        .await?; // the item as stored after the update
    // ANCHOR_END: update
    assert_eq!(renamed.name, "Rear Admiral Grace Hopper");
    assert!(renamed.created_at.is_some() && renamed.updated_at >= renamed.created_at);

    // ANCHOR: locking
    // Version 0 creates; each write stores the next version and checks the last.
    table
        .put(&Account {
            account_id: "a1".into(),
            balance: 100,
            version: 0,
        })
        .await?;
    let mut account = table.get_account("a1").await?.expect("just written");
    assert_eq!(account.version, 1);
    account.balance += 50;
    table.put(&account).await?; // replaces version 1, stores version 2
    // A writer still holding version 1 loses, and learns what is stored now.
    account.version = 1;
    let err = table.put(&account).await.unwrap_err();
    let stored: Account = err.old_item().expect("the stored item").expect("decodes");
    assert_eq!((stored.version, stored.balance), (2, 150));
    // ANCHOR_END: locking

    // ANCHOR: ttl
    let session = Session {
        session_id: "s-1".into(),
        user_id: "grace".into(),
        expires_at: EpochSeconds::from_secs(EpochSeconds::now().0 + 3_600),
    };
    table.put(&session).await?;
    // ANCHOR_END: ttl
    Ok(())
}

// ANCHOR: transfer
/// The skill card's balance transfer: both updates or neither, and never below zero.
pub async fn transfer(
    table: &guide::Table,
    from: &str,
    to: &str,
    amount: i64,
) -> dynaschema::Result<()> {
    let f = Account::fields();
    table
        .transaction()
        .update(Account::key(from), |u| {
            u.add(&f.balance, &-amount).condition(f.balance.ge(&amount))
        })
        .update(Account::key(to), |u| u.add(&f.balance, &amount))
        .await
}
// ANCHOR_END: transfer

/// Batch writes and reads.
pub async fn batches(
    table: &guide::Table,
    products: &[Product],
) -> dynaschema::Result<Vec<Product>> {
    // ANCHOR: batch
    // Chunks of 25 writes, several in flight, unprocessed items sent again with
    // backoff; what never goes through is `Error::Unprocessed` naming the keys.
    table.batch_write().put_all(products).concurrency(4).await?;
    // Chunks of 100 keys; items come back in key order, missing ones left out.
    let keys = products.iter().map(|p| Product::key(&p.product_id));
    let read: Vec<Product> = table.batch_get(keys).await?;
    // ANCHOR_END: batch
    Ok(read)
}

// ANCHOR: pages
/// One page of a user's orders for an API response: the items and the cursor of
/// the next page, as text for the client to send back.
pub async fn orders_page(
    table: &guide::Table,
    user_id: &str,
    cursor: Option<&str>,
) -> dynaschema::Result<(Vec<Order>, Option<String>)> {
    // A cursor from a client is checked before anything is sent.
    let cursor: Option<Cursor> = cursor.map(str::parse).transpose()?;
    let page = table
        .user_orders(user_id)
        .limit(20)
        .page(cursor.as_ref())
        .await?;
    Ok((page.items, page.next.map(|c| c.to_string())))
}
// ANCHOR_END: pages

// ANCHOR: signed
/// A table handle whose cursors are signed: a cursor a client altered, or one of
/// another query, is `Error::InvalidCursor` before anything is sent.
pub fn with_signed_cursors(table: guide::Table, secret: &[u8]) -> guide::Table {
    table.with_cursor_key(secret)
}
// ANCHOR_END: signed

/// How keys are written (the keys chapter).
pub fn keys() -> Result<(), dynaschema::KeyError> {
    // ANCHOR: keys
    // A key as DynamoDB's `Key` parameter takes it; `text` reads one attribute.
    let text = |item: &dynaschema::Item, name: &str| item[name].as_s().cloned().unwrap_or_default();
    // `USER#{user_id}` / `PROFILE`: a `#` in a value is escaped, so keys never collide.
    let user = User::key("a#b").to_attributes()?;
    assert_eq!(
        (text(&user, "pk"), text(&user, "sk")),
        ("USER#a%23b".into(), "PROFILE".into())
    );
    // `EMAIL#{email|lower}` on gsi1: the template cases the value, nothing else does.
    let by_email = User::gsi1_key("Ada@Example.COM").to_attributes()?;
    assert_eq!(text(&by_email, "gsi1pk"), "EMAIL#ada@example.com");
    // Timestamps are UTC with nine fraction digits, so string order is time order.
    let placed_at: DateTime<Utc> = "2026-11-02T09:30:00+01:00".parse().expect("a date");
    let order_id: Ulid = "01KK8A0E8X6W8Y7D1V9ZB4S2M3".parse().expect("a ULID");
    let order = Order::key("ada", &placed_at, &order_id).to_attributes()?;
    assert_eq!(
        text(&order, "sk"),
        "ORDER#2026-11-02T08:30:00.000000000Z#01KK8A0E8X6W8Y7D1V9ZB4S2M3"
    );
    // ANCHOR_END: keys
    Ok(())
}
