//! Places an order, invoices and ships it, then prints what each access pattern returns,
//! on the embedded server (or `DYNAMODB_ENDPOINT`).

use std::collections::BTreeMap;

use chrono::{Duration, TimeZone, Utc};
use dynaschema::local::EndpointOrEmbedded;
use online_shop_example::*;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = EndpointOrEmbedded::from_env()?;
    let client = server.client();
    let table = online_shop::Table::new(
        client,
        format!(
            "online-shop-{}",
            ulid::Ulid::new().to_string().to_lowercase()
        ),
    );
    table.create_table().await?;
    let at = Utc.with_ymd_and_hms(2026, 6, 21, 10, 0, 0).unwrap();

    table
        .put(&Customer {
            customer_id: "12345".into(),
            name: "Ana".into(),
            email: "ana@example.com".into(),
        })
        .await?;
    table
        .put(&Product {
            product_id: "99887".into(),
            name: "Lamp".into(),
            price_cents: 2_500,
        })
        .await?;
    table
        .put(&Warehouse {
            warehouse_id: "w1".into(),
            city: "Dublin".into(),
        })
        .await?;
    table
        .put(&WarehouseItem {
            product_id: "99887".into(),
            warehouse_id: "w1".into(),
            quantity: 40,
        })
        .await?;
    table
        .put(&Order {
            order_id: "o1".into(),
            customer_id: "12345".into(),
            ordered_at: at,
        })
        .await?;
    table
        .put(&OrderItem {
            order_id: "o1".into(),
            product_id: "99887".into(),
            customer_id: "12345".into(),
            ordered_at: at,
            quantity: 2,
            price_cents: 2_500,
        })
        .await?;
    let payments = BTreeMap::from([(
        "gift_card".to_owned(),
        Payment {
            amount_cents: 1_000,
            reference: "GC-1".into(),
        },
    )]);
    table
        .put(&Invoice {
            order_id: "o1".into(),
            invoice_id: "55443".into(),
            customer_id: "12345".into(),
            invoiced_at: at,
            amount_cents: 5_000,
            payments,
        })
        .await?;
    table
        .put(&Shipment {
            order_id: "o1".into(),
            shipment_id: "98765".into(),
            warehouse_id: "w1".into(),
            address: "1 Main St".into(),
        })
        .await?;
    table
        .put(&ShipmentItem {
            order_id: "o1".into(),
            shipment_id: "98765".into(),
            product_id: "99887".into(),
            quantity: 2,
        })
        .await?;

    let details = table.order_details("o1").await?;
    println!(
        "order_details: order {}, {} item(s), {} invoice(s), {} shipment(s), {} shipment item(s)",
        details.order.is_some(),
        details.order_items.len(),
        details.invoices.len(),
        details.shipments.len(),
        details.shipment_items.len()
    );
    let day = (at - Duration::hours(10), at + Duration::hours(13));
    println!(
        "product_orders (that day): {}",
        table
            .product_orders("99887")
            .ordered_at_between(&day.0, &day.1)
            .all()
            .await?
            .len()
    );
    println!(
        "invoice payments: {:?}",
        table.invoice("55443").all().await?.first().map(|i| i
            .payments
            .keys()
            .cloned()
            .collect::<Vec<_>>())
    );
    println!(
        "warehouse_inventory: {:?}",
        table
            .warehouse_inventory("w1")
            .all()
            .await?
            .iter()
            .map(|i| i.quantity)
            .collect::<Vec<_>>()
    );
    println!(
        "customer_products (that day): {}",
        table
            .customer_products("12345")
            .ordered_at_between(&day.0, &day.1)
            .all()
            .await?
            .len()
    );
    Ok(())
}
