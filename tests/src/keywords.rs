//! The skill card's items with the names users really write (see
//! `schemas/keywords.toml`): `type` is the discriminator and a field, patterns are
//! Rust keywords.

use dynaschema::Entity;

/// `{ pk: "USER#123", sk: "PROFILE", name: "John", type: "User" }`.
#[derive(Entity, Clone, Debug, PartialEq)]
#[entity(schema = "schemas/keywords.toml")]
pub struct User {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub status: String,
}

/// `{ pk: "USER#123", sk: "ORDER#001", total: 99.99, type: "Order" }`; its
/// reference is the field `r#ref`, `{ref}` in the schema.
#[derive(Entity, Clone, Debug, PartialEq)]
#[entity(schema = "schemas/keywords.toml")]
pub struct Order {
    pub user_id: String,
    pub r#ref: String,
    pub total: f64,
    pub data: Option<String>,
}

/// A product whose `type` field (stored as `product_type`: `type` is the
/// discriminator's attribute) is its `GSI1` partition.
#[derive(Entity, Clone, Debug, PartialEq)]
#[entity(schema = "schemas/keywords.toml")]
pub struct Product {
    pub product_id: String,
    #[entity(rename = "product_type")]
    pub r#type: String,
    pub price: i64,
    pub status: String,
    pub data: String,
}

/// The skill card's balance transfer: `SET amount = amount - :amt`.
#[derive(Entity, Clone, Debug, PartialEq)]
#[entity(schema = "schemas/keywords.toml")]
pub struct Account {
    pub account_id: String,
    pub amount: i64,
    #[entity(version)]
    pub version: u64,
}

dynaschema::include_schema!(pub keywords);
