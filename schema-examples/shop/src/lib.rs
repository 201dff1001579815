//! The seed single-table design: users, their orders and products in one DynamoDB
//! table (see `dynaschema.toml`). [`seed`] writes a small data set and [`run`]
//! executes every access pattern of the schema and reports what each returned.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use chrono::{DateTime, TimeZone, Utc};
use dynaschema::{Attribute, Entity};
use ulid::Ulid;

dynaschema::include_schema!(pub shop);

/// A customer's profile.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct User {
    pub user_id: String,
    pub email: String,
    pub name: String,
    /// Stored as a string set; an empty set is stored as no attribute.
    pub tags: BTreeSet<String>,
    pub address: Option<Address>,
}

/// A postal address, stored as a map inside the user item.
#[derive(Attribute, Clone, Debug, PartialEq)]
pub struct Address {
    pub street: String,
    pub city: String,
    #[entity(rename = "zip")]
    pub postal_code: String,
}

/// An order placed by a user.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Order {
    pub user_id: String,
    pub order_id: Ulid,
    pub created_at: DateTime<Utc>,
    pub total_cents: i64,
    pub lines: Vec<OrderLine>,
}

/// One line of an order.
#[derive(Attribute, Clone, Debug, PartialEq)]
pub struct OrderLine {
    pub product_id: String,
    pub quantity: u32,
    pub price_cents: i64,
}

/// A product in the catalogue.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Product {
    pub product_id: String,
    pub category: String,
    pub name: String,
    pub price_cents: i64,
}

/// The data [`seed`] writes: two users, three orders of the first, three products.
pub struct Dataset {
    pub users: Vec<User>,
    pub orders: Vec<Order>,
    pub products: Vec<Product>,
}

/// A fixed, readable data set (fixed ids and dates, so runs print the same thing).
pub fn dataset() -> Dataset {
    let day = |d: u32| {
        Utc.with_ymd_and_hms(2026, 11, d, 9, 30, 0)
            .single()
            .expect("valid date")
    };
    let order_id = |n: u128| Ulid::from_parts(1_767_000_000_000 + n as u64, n);
    let line = |product_id: &str, quantity, price_cents| OrderLine {
        product_id: product_id.into(),
        quantity,
        price_cents,
    };
    Dataset {
        users: vec![
            User {
                user_id: "ada".into(),
                email: "ada@example.com".into(),
                name: "Ada Lovelace".into(),
                tags: BTreeSet::from(["vip".to_owned()]),
                address: Some(Address {
                    street: "12 St James's Square".into(),
                    city: "London".into(),
                    postal_code: "SW1Y 4JH".into(),
                }),
            },
            User {
                user_id: "alan".into(),
                email: "alan@example.com".into(),
                name: "Alan Turing".into(),
                tags: BTreeSet::new(),
                address: None,
            },
        ],
        orders: vec![
            Order {
                user_id: "ada".into(),
                order_id: order_id(1),
                created_at: day(2),
                total_cents: 1_998,
                lines: vec![line("p-kettle", 1, 1_998)],
            },
            Order {
                user_id: "ada".into(),
                order_id: order_id(2),
                created_at: day(10),
                total_cents: 4_500,
                lines: vec![line("p-mug", 3, 500), line("p-teapot", 1, 3_000)],
            },
            Order {
                user_id: "ada".into(),
                order_id: order_id(3),
                created_at: day(20),
                total_cents: 500,
                lines: vec![line("p-mug", 1, 500)],
            },
        ],
        products: vec![
            Product {
                product_id: "p-kettle".into(),
                category: "kitchen".into(),
                name: "Kettle".into(),
                price_cents: 1_998,
            },
            Product {
                product_id: "p-mug".into(),
                category: "kitchen".into(),
                name: "Mug".into(),
                price_cents: 500,
            },
            Product {
                product_id: "p-teapot".into(),
                category: "tea".into(),
                name: "Teapot".into(),
                price_cents: 3_000,
            },
        ],
    }
}

/// Writes the [`dataset`] (each item only if absent, so a rerun is refused rather
/// than silently overwriting).
pub async fn seed(table: &shop::Table, data: &Dataset) -> dynaschema::Result<()> {
    for user in &data.users {
        table.put(user).if_absent().await?;
    }
    for order in &data.orders {
        table.put(order).if_absent().await?;
    }
    for product in &data.products {
        table.put(product).if_absent().await?;
    }
    Ok(())
}

/// Runs every access pattern of the schema against `table` (seeded with
/// [`dataset`]) and returns a report, one section per pattern.
pub async fn run(table: &shop::Table) -> dynaschema::Result<String> {
    let mut out = String::new();
    let data = dataset();
    let newest = data
        .orders
        .iter()
        .max_by_key(|o| o.created_at)
        .expect("orders");

    let user = table.get_user("ada").await?;
    section(
        &mut out,
        "get_user(\"ada\")",
        user.iter().map(|u| format!("{} <{}>", u.name, u.email)),
    );

    // The key lower-cases the address (`EMAIL#{email|lower}`), so any casing finds it.
    let by_email = table.user_by_email("Alan@Example.com").all().await?;
    section(
        &mut out,
        "user_by_email(\"Alan@Example.com\")",
        by_email.iter().map(|u| u.name.clone()),
    );

    let orders = table.user_orders("ada").all().await?;
    section(
        &mut out,
        "user_orders(\"ada\")  [newest first]",
        orders.iter().map(|o| {
            format!(
                "{} {} {:>6} cents",
                o.created_at.date_naive(),
                o.order_id,
                o.total_cents
            )
        }),
    );

    let since = data.orders[1].created_at;
    let recent = table
        .user_orders("ada")
        .created_at_gte(&since)
        .all()
        .await?;
    section(
        &mut out,
        &format!(
            "user_orders(\"ada\").created_at_gte({})",
            since.date_naive()
        ),
        recent
            .iter()
            .map(|o| format!("{} {}", o.created_at.date_naive(), o.order_id)),
    );

    let page = table.user_orders("ada").page_size(2).page(None).await?;
    let rest = match &page.next {
        Some(cursor) => {
            table
                .user_orders("ada")
                .page_size(2)
                .page(Some(cursor))
                .await?
                .items
        }
        None => Vec::new(),
    };
    section(
        &mut out,
        "user_orders(\"ada\"), two per page",
        [
            format!(
                "page 1: {} orders, next cursor: {}",
                page.items.len(),
                page.next.is_some()
            ),
            format!("page 2: {} orders", rest.len()),
        ],
    );

    let by_id = table.order_by_id(&newest.order_id).all().await?;
    section(
        &mut out,
        &format!("order_by_id({})", newest.order_id),
        by_id
            .iter()
            .map(|o| format!("{} of user {}", o.order_id, o.user_id)),
    );

    let both = table.user_with_orders("ada").await?;
    section(
        &mut out,
        "user_with_orders(\"ada\")",
        [
            format!(
                "user: {}",
                both.user.as_ref().map_or("none", |u| u.name.as_str())
            ),
            format!("orders: {}", both.orders.len()),
        ],
    );

    let product = table.get_product("p-teapot").await?;
    section(
        &mut out,
        "get_product(\"p-teapot\")",
        product
            .iter()
            .map(|p| format!("{} ({} cents)", p.name, p.price_cents)),
    );

    let kitchen = table.products_by_category("kitchen").all().await?;
    section(
        &mut out,
        "products_by_category(\"kitchen\")",
        kitchen
            .iter()
            .map(|p| format!("{} ({} cents)", p.name, p.price_cents)),
    );

    let from_1000 = table
        .products_by_category_min_price("kitchen", &1_000)
        .all()
        .await?;
    section(
        &mut out,
        "products_by_category_min_price(\"kitchen\", 1000)",
        from_1000
            .iter()
            .map(|p| format!("{} ({} cents)", p.name, p.price_cents)),
    );

    let missing = table.get_user("nobody").await?;
    section(
        &mut out,
        "get_user(\"nobody\")",
        missing.iter().map(|u| u.name.clone()),
    );
    Ok(out)
}

fn section(out: &mut String, title: &str, lines: impl IntoIterator<Item = String>) {
    let _ = writeln!(out, "{title}");
    let mut any = false;
    for line in lines {
        let _ = writeln!(out, "  {line}");
        any = true;
    }
    if !any {
        let _ = writeln!(out, "  (nothing)");
    }
}
