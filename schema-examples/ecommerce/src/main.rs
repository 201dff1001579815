//! Signs a customer up, places two orders and reads them back through every access
//! pattern, on the embedded server (or `DYNAMODB_ENDPOINT`).

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use dynaschema::local::EndpointOrEmbedded;
use ecommerce_example::{Address, Customer, Order, OrderItem, ecommerce, place_order, sign_up};
use ulid::Ulid;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = EndpointOrEmbedded::from_env()?;
    let client = server.client();
    let table = ecommerce::Table::new(
        client,
        format!("ecommerce-{}", Ulid::new().to_string().to_lowercase()),
    );
    table.create_table().await?;

    let customer = Customer {
        username: "alexdebrie".into(),
        email: "alex@example.com".into(),
        name: "Alex DeBrie".into(),
        addresses: BTreeMap::from([(
            "home".into(),
            Address {
                street: "111 1st Street".into(),
                city: "Omaha".into(),
                state: "NE".into(),
            },
        )]),
    };
    sign_up(&table, &customer).await?;
    for (n, day) in [(1_u128, 3), (2, 9)] {
        let order = Order {
            username: customer.username.clone(),
            order_id: Ulid::from_parts(1_767_000_000_000 + n as u64, n),
            created_at: Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap(),
            status: "PLACED".into(),
            amount_cents: 3_000 * n as i64,
            number_items: 1,
        };
        let item = OrderItem {
            order_id: order.order_id,
            item_id: format!("item-{n}"),
            description: format!("Book {n}"),
            price_cents: 3_000 * n as i64,
            quantity: 1,
        };
        place_order(&table, &order, &[item]).await?;
    }

    let with_orders = table.customer_with_orders("alexdebrie").await?;
    println!(
        "customer_with_orders: {} with {} orders",
        with_orders.customer.map(|c| c.name).unwrap_or_default(),
        with_orders.orders.len()
    );
    let orders = table.customer_orders("alexdebrie").all().await?;
    println!(
        "customer_orders (newest first): {:?}",
        orders
            .iter()
            .map(|o| o.created_at.date_naive())
            .collect::<Vec<_>>()
    );
    let newest = &orders[0];
    let with_items = table.order_with_items(&newest.order_id).await?;
    println!("order_with_items: {} items", with_items.order_items.len());
    println!(
        "customer_email: {:?}",
        table
            .customer_email("ALEX@example.com")
            .await?
            .map(|e| e.username)
    );
    Ok(())
}
