// The filter reads `price`, but the struct calls it `price_cents`: the error names
// the schema's line and suggests the field.
#[derive(dynaschema::Entity)]
#[entity(schema = "ui/filter-schema.toml")]
pub struct Product {
    pub category: String,
    pub product_id: String,
    pub price_cents: i64,
}

fn main() {}
