//! AWS's online-shop design on dynaschema: see `dynaschema.toml`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use dynaschema::{Attribute, Entity};

dynaschema::include_schema!(pub online_shop);

/// A customer.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Customer {
    pub customer_id: String,
    pub name: String,
    pub email: String,
}

/// A product.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Product {
    pub product_id: String,
    pub name: String,
    pub price_cents: i64,
}

/// A warehouse.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Warehouse {
    pub warehouse_id: String,
    pub city: String,
}

/// How many of a product a warehouse holds.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct WarehouseItem {
    pub product_id: String,
    pub warehouse_id: String,
    pub quantity: u32,
}

/// An order.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Order {
    pub order_id: String,
    pub customer_id: String,
    pub ordered_at: DateTime<Utc>,
}

/// A product in an order.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct OrderItem {
    pub order_id: String,
    pub product_id: String,
    pub customer_id: String,
    pub ordered_at: DateTime<Utc>,
    pub quantity: u32,
    pub price_cents: i64,
}

/// An order's invoice.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Invoice {
    pub order_id: String,
    pub invoice_id: String,
    pub customer_id: String,
    pub invoiced_at: DateTime<Utc>,
    pub amount_cents: i64,
    /// Payments by method, e.g. "gift_card", "credit_card".
    pub payments: BTreeMap<String, Payment>,
}

/// One payment of an invoice.
#[derive(Attribute, Clone, Debug, PartialEq)]
pub struct Payment {
    pub amount_cents: i64,
    pub reference: String,
}

/// A shipment of (part of) an order from one warehouse.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Shipment {
    pub order_id: String,
    pub shipment_id: String,
    pub warehouse_id: String,
    pub address: String,
}

/// A product in a shipment.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct ShipmentItem {
    pub order_id: String,
    pub shipment_id: String,
    pub product_id: String,
    pub quantity: u32,
}
