//! The DynamoDB Book's e-commerce design (chapter 19) on dynaschema: see
//! `dynaschema.toml` for the table and its access patterns.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use dynaschema::{Attribute, Entity};
use ulid::Ulid;

dynaschema::include_schema!(pub ecommerce);

/// A customer; addresses are a map on the item, keyed by a name like "home".
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Customer {
    pub username: String,
    pub email: String,
    pub name: String,
    pub addresses: BTreeMap<String, Address>,
}

/// A postal address.
#[derive(Attribute, Clone, Debug, PartialEq)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub state: String,
}

/// The item that reserves an email address for one customer.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct CustomerEmail {
    pub email: String,
    pub username: String,
}

/// An order; its ULID sorts by creation time.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Order {
    pub username: String,
    pub order_id: Ulid,
    pub created_at: DateTime<Utc>,
    pub status: String,
    pub amount_cents: i64,
    pub number_items: u32,
}

/// One line of an order.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct OrderItem {
    pub order_id: Ulid,
    pub item_id: String,
    pub description: String,
    pub price_cents: i64,
    pub quantity: u32,
}

/// Signs a customer up: the customer and the email reservation, each only if absent,
/// so a taken username or email is refused.
///
/// Both writes should be one transaction (the book uses `TransactWriteItems`); until
/// dynaschema has transactions, the email is reserved first so a failure leaves no
/// customer without its email.
pub async fn sign_up(table: &ecommerce::Table, customer: &Customer) -> dynaschema::Result<()> {
    table
        .put(&CustomerEmail {
            email: customer.email.clone(),
            username: customer.username.clone(),
        })
        .if_absent()
        .await?;
    table.put(customer).if_absent().await
}

/// Places an order with its items.
pub async fn place_order(
    table: &ecommerce::Table,
    order: &Order,
    items: &[OrderItem],
) -> dynaschema::Result<()> {
    table.put(order).if_absent().await?;
    for item in items {
        table.put(item).if_absent().await?;
    }
    Ok(())
}
