// Every entity the schema declares needs `#[derive(Entity)]`: the generated module
// names the struct that lacks it.
use chrono::{DateTime, Utc};
use dynaschema::Entity;
use ulid::Ulid;

dynaschema::include_schema!(
    shop,
    file = concat!(env!("DYNASCHEMA_MANIFEST_DIR"), "/../codegen/tests/golden/shop.rs")
);

// Declared in the schema, but without the derive.
pub struct User {
    pub user_id: String,
    pub email: String,
    pub name: String,
}

#[derive(Entity)]
#[entity(schema = "../schema-examples/shop/dynaschema.toml")]
pub struct Order {
    pub user_id: String,
    pub order_id: Ulid,
    pub created_at: DateTime<Utc>,
    pub total_cents: i64,
}

#[derive(Entity)]
#[entity(schema = "../schema-examples/shop/dynaschema.toml")]
pub struct Product {
    pub product_id: String,
    pub category: String,
    pub name: String,
    pub price_cents: i64,
}

fn main() {}
