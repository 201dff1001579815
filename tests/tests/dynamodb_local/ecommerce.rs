//! The DynamoDB Book's e-commerce design (schema-examples/ecommerce): every access
//! pattern returns the right items from DynamoDB Local.

use std::collections::BTreeMap;

use chrono::{Duration, TimeZone, Utc};
use dynaschema::Error;
use dynaschema_tests::{client, unique_table_name};
use ecommerce_example::{Address, Customer, Order, OrderItem, ecommerce, place_order, sign_up};
use ulid::Ulid;

fn customer(username: &str, email: &str) -> Customer {
    Customer {
        username: username.into(),
        email: email.into(),
        name: format!("{username}'s name"),
        addresses: BTreeMap::from([(
            "home".into(),
            Address {
                street: "1 Main St".into(),
                city: "Omaha".into(),
                state: "NE".into(),
            },
        )]),
    }
}

fn order(username: &str, n: u64) -> (Order, Vec<OrderItem>) {
    let created_at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::days(n as i64);
    let order = Order {
        username: username.into(),
        order_id: Ulid::from_parts(created_at.timestamp_millis() as u64, u128::from(n)),
        created_at,
        status: "PLACED".into(),
        amount_cents: 1_000 * n as i64,
        number_items: 2,
    };
    let items = (0..2)
        .map(|i| OrderItem {
            order_id: order.order_id,
            item_id: format!("item-{n}-{i}"),
            description: format!("thing {i}"),
            price_cents: 500 * n as i64,
            quantity: 1,
        })
        .collect();
    (order, items)
}

async fn table() -> ecommerce::Table {
    let table = ecommerce::Table::new(client(), unique_table_name("ecommerce"));
    table.create_table().await.unwrap();
    table
}

#[tokio::test]
async fn customers_are_unique_by_username_and_by_email() {
    let table = table().await;
    let alex = customer("alex", "alex@example.com");
    sign_up(&table, &alex).await.unwrap();
    assert_eq!(
        table.get_customer("alex").await.unwrap(),
        Some(alex.clone())
    );
    // The email reservation is found however the address is typed.
    assert_eq!(
        table
            .customer_email("ALEX@Example.com")
            .await
            .unwrap()
            .map(|e| e.username),
        Some("alex".into())
    );

    let taken_email = sign_up(&table, &customer("other", "Alex@Example.com"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            taken_email,
            Error::ConditionalCheckFailed {
                entity: "CustomerEmail",
                ..
            }
        ),
        "{taken_email:?}"
    );
    let taken_username = sign_up(&table, &customer("alex", "new@example.com"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            taken_username,
            Error::ConditionalCheckFailed {
                entity: "Customer",
                ..
            }
        ),
        "{taken_username:?}"
    );
    assert_eq!(table.get_customer("other").await.unwrap(), None);
}

#[tokio::test]
async fn a_customer_with_orders_and_an_order_with_items() {
    let table = table().await;
    let alex = customer("alex", "alex@example.com");
    sign_up(&table, &alex).await.unwrap();
    sign_up(&table, &customer("blake", "blake@example.com"))
        .await
        .unwrap();
    let mut placed = Vec::new();
    for n in 1..=3 {
        let (order, items) = order("alex", n);
        place_order(&table, &order, &items).await.unwrap();
        placed.push((order, items));
    }
    let (blakes, blakes_items) = order("blake", 9);
    place_order(&table, &blakes, &blakes_items).await.unwrap();

    let with_orders = table.customer_with_orders("alex").await.unwrap();
    assert_eq!(with_orders.customer, Some(alex));
    let orders: Vec<Order> = placed.iter().map(|(o, _)| o.clone()).collect();
    assert_eq!(with_orders.orders, orders);

    let newest_first: Vec<Order> = orders.iter().rev().cloned().collect();
    assert_eq!(
        table.customer_orders("alex").all().await.unwrap(),
        newest_first
    );
    assert_eq!(
        table.customer_orders("alex").limit(1).all().await.unwrap(),
        newest_first[..1]
    );

    let (second, second_items) = &placed[1];
    let with_items = table.order_with_items(&second.order_id).await.unwrap();
    assert_eq!(with_items.order.as_ref(), Some(second));
    assert_eq!(&with_items.order_items, second_items);

    let item = &second_items[1];
    assert_eq!(
        table
            .get_order_item(&item.order_id, &item.item_id)
            .await
            .unwrap()
            .as_ref(),
        Some(item)
    );
}
