//! A binary crate's use of a schema, as a new user writes one: private entity
//! structs, the generated module private, and only one of its seven patterns
//! called. CI's `cargo clippy --all-targets -- -D warnings` compiles it, so any
//! warning from the generated module or the derive (an unused pattern, key
//! function, `AnyEntity`, `with_cursor_key`, field paths) fails the build.
//!
//! Usage: `keywords-app ENDPOINT TABLE`: creates the table, writes a user, reads
//! it back with the pattern `ref` and prints its name.

use dynaschema::Entity;

#[derive(Entity, Clone, Debug, PartialEq)]
#[entity(schema = "schemas/keywords.toml")]
struct User {
    user_id: String,
    name: String,
    email: String,
    status: String,
}

#[derive(Entity, Clone, Debug, PartialEq)]
#[entity(schema = "schemas/keywords.toml")]
struct Order {
    user_id: String,
    r#ref: String,
    total: f64,
    data: Option<String>,
}

#[derive(Entity, Clone, Debug, PartialEq)]
#[entity(schema = "schemas/keywords.toml")]
struct Product {
    product_id: String,
    #[entity(rename = "product_type")]
    r#type: String,
    price: i64,
    status: String,
    data: String,
}

#[derive(Entity, Clone, Debug, PartialEq)]
#[entity(schema = "schemas/keywords.toml")]
struct Account {
    account_id: String,
    amount: i64,
    #[entity(version)]
    version: u64,
}

dynaschema::include_schema!(keywords);

#[tokio::main(flavor = "current_thread")]
async fn main() -> dynaschema::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, endpoint, name] = args.as_slice() else {
        eprintln!("usage: keywords-app ENDPOINT TABLE");
        std::process::exit(2);
    };
    let table = keywords::Table::new(dynaschema::local::client(endpoint), name.as_str());
    table.create_table().await?;
    let user = User {
        user_id: "123".into(),
        name: "John".into(),
        email: "john@example.com".into(),
        status: "active".into(),
    };
    table.put(&user).await?;
    let read = table.r#ref("123").await?;
    println!("{}", read.map(|u| u.name).unwrap_or_default());
    Ok(())
}
