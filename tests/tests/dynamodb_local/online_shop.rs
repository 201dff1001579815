//! AWS's online-shop design (schema-examples/online-shop): each of its 16 access
//! patterns returns the right items from DynamoDB Local.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use dynaschema_tests::{client, unique_table_name};
use online_shop_example::*;

struct Shop {
    table: online_shop::Table,
    day1: DateTime<Utc>,
    day2: DateTime<Utc>,
}

/// Two customers, two products, two warehouses; order o1 (ana, day 1: lamp ×2, desk ×1,
/// invoiced, shipped from w1 in one shipment) and order o2 (ben, day 2: lamp ×1).
async fn shop() -> Shop {
    let table = online_shop::Table::new(client(), unique_table_name("online-shop"));
    table.create_table().await.unwrap();
    let day1 = Utc.with_ymd_and_hms(2020, 6, 21, 10, 0, 0).unwrap();
    let day2 = day1 + Duration::days(1);
    for (id, name) in [("ana", "Ana"), ("ben", "Ben")] {
        table
            .put(&Customer {
                customer_id: id.into(),
                name: name.into(),
                email: format!("{id}@example.com"),
            })
            .await
            .unwrap();
    }
    for (id, price) in [("lamp", 2_500), ("desk", 10_000)] {
        table
            .put(&Product {
                product_id: id.into(),
                name: id.into(),
                price_cents: price,
            })
            .await
            .unwrap();
    }
    for (id, city) in [("w1", "Dublin"), ("w2", "Cork")] {
        table
            .put(&Warehouse {
                warehouse_id: id.into(),
                city: city.into(),
            })
            .await
            .unwrap();
    }
    for (product, warehouse, quantity) in [("lamp", "w1", 40), ("lamp", "w2", 5), ("desk", "w1", 3)]
    {
        table
            .put(&WarehouseItem {
                product_id: product.into(),
                warehouse_id: warehouse.into(),
                quantity,
            })
            .await
            .unwrap();
    }
    let item = |order: &str, product: &str, customer: &str, at, quantity| OrderItem {
        order_id: order.into(),
        product_id: product.into(),
        customer_id: customer.into(),
        ordered_at: at,
        quantity,
        price_cents: 100,
    };
    table
        .put(&Order {
            order_id: "o1".into(),
            customer_id: "ana".into(),
            ordered_at: day1,
        })
        .await
        .unwrap();
    table
        .put(&item("o1", "lamp", "ana", day1, 2))
        .await
        .unwrap();
    table
        .put(&item("o1", "desk", "ana", day1, 1))
        .await
        .unwrap();
    table
        .put(&Order {
            order_id: "o2".into(),
            customer_id: "ben".into(),
            ordered_at: day2,
        })
        .await
        .unwrap();
    table
        .put(&item("o2", "lamp", "ben", day2, 1))
        .await
        .unwrap();
    let payments = BTreeMap::from([
        (
            "gift_card".to_owned(),
            Payment {
                amount_cents: 1_000,
                reference: "GC-1".into(),
            },
        ),
        (
            "credit_card".to_owned(),
            Payment {
                amount_cents: 14_000,
                reference: "CC-9".into(),
            },
        ),
    ]);
    table
        .put(&Invoice {
            order_id: "o1".into(),
            invoice_id: "i1".into(),
            customer_id: "ana".into(),
            invoiced_at: day1,
            amount_cents: 15_000,
            payments,
        })
        .await
        .unwrap();
    table
        .put(&Shipment {
            order_id: "o1".into(),
            shipment_id: "s1".into(),
            warehouse_id: "w1".into(),
            address: "1 Main St".into(),
        })
        .await
        .unwrap();
    for (product, quantity) in [("lamp", 2), ("desk", 1)] {
        table
            .put(&ShipmentItem {
                order_id: "o1".into(),
                shipment_id: "s1".into(),
                product_id: product.into(),
                quantity,
            })
            .await
            .unwrap();
    }
    Shop { table, day1, day2 }
}

fn products<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    let mut ids: Vec<String> = items.iter().map(|i| id(i).to_owned()).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn entities_inventory_and_the_order_item_collection() {
    let Shop { table, .. } = shop().await;
    assert_eq!(
        table.get_customer("ana").await.unwrap().map(|c| c.name),
        Some("Ana".into())
    );
    assert_eq!(
        table
            .get_product("desk")
            .await
            .unwrap()
            .map(|p| p.price_cents),
        Some(10_000)
    );
    assert_eq!(
        table.get_warehouse("w2").await.unwrap().map(|w| w.city),
        Some("Cork".into())
    );

    let inventory = table.product_inventory("lamp").all().await.unwrap();
    assert_eq!(
        inventory
            .iter()
            .map(|i| (i.warehouse_id.as_str(), i.quantity))
            .collect::<Vec<_>>(),
        [("w1", 40), ("w2", 5)]
    );

    let details = table.order_details("o1").await.unwrap();
    assert_eq!(details.order.map(|o| o.customer_id), Some("ana".into()));
    assert_eq!(
        products(&details.order_items, |i| &i.product_id),
        ["desk", "lamp"]
    );
    assert_eq!(details.invoices.len(), 1);
    assert_eq!(details.shipments.len(), 1);
    assert_eq!(
        products(&details.shipment_items, |i| &i.product_id),
        ["desk", "lamp"]
    );

    assert_eq!(
        products(&table.order_products("o1").all().await.unwrap(), |i| &i
            .product_id),
        ["desk", "lamp"]
    );
    assert_eq!(
        table.order_invoice("o1").all().await.unwrap()[0].invoice_id,
        "i1"
    );
    assert_eq!(
        table.order_shipments("o1").all().await.unwrap()[0].shipment_id,
        "s1"
    );
    assert!(table.order_invoice("o2").all().await.unwrap().is_empty());
}

#[tokio::test]
async fn date_ranges_invoices_shipments_and_warehouses() {
    let Shop { table, day1, day2 } = shop().await;
    let whole = |day: DateTime<Utc>| (day - Duration::hours(10), day + Duration::hours(13));
    let (from, to) = whole(day1);
    let lamp_day1 = table
        .product_orders("lamp")
        .ordered_at_between(&from, &to)
        .all()
        .await
        .unwrap();
    assert_eq!(
        lamp_day1
            .iter()
            .map(|i| i.order_id.as_str())
            .collect::<Vec<_>>(),
        ["o1"]
    );
    let lamp_both = table
        .product_orders("lamp")
        .ordered_at_between(&from, &(day2 + Duration::hours(1)))
        .all()
        .await
        .unwrap();
    assert_eq!(
        lamp_both
            .iter()
            .map(|i| i.order_id.as_str())
            .collect::<Vec<_>>(),
        ["o1", "o2"]
    );

    let invoice = table.invoice("i1").all().await.unwrap();
    let payments: Vec<&str> = invoice[0].payments.keys().map(String::as_str).collect();
    assert_eq!(payments, ["credit_card", "gift_card"]);

    let detail = table.shipment_detail("s1").await.unwrap();
    assert_eq!(detail.shipment.map(|s| s.warehouse_id), Some("w1".into()));
    assert_eq!(
        products(&detail.shipment_items, |i| &i.product_id),
        ["desk", "lamp"]
    );

    assert_eq!(
        table.warehouse_shipments("w1").all().await.unwrap().len(),
        1
    );
    assert!(
        table
            .warehouse_shipments("w2")
            .all()
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        products(&table.warehouse_inventory("w1").all().await.unwrap(), |i| {
            &i.product_id
        }),
        ["desk", "lamp"]
    );

    assert_eq!(
        table
            .customer_invoices("ana")
            .invoiced_at_between(&from, &to)
            .all()
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        table
            .customer_invoices("ana")
            .invoiced_at_gt(&to)
            .all()
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        products(
            &table
                .customer_products("ana")
                .ordered_at_between(&from, &to)
                .all()
                .await
                .unwrap(),
            |i| &i.product_id
        ),
        ["desk", "lamp"]
    );
    let (from2, to2) = whole(day2);
    assert!(
        table
            .customer_products("ana")
            .ordered_at_between(&from2, &to2)
            .all()
            .await
            .unwrap()
            .is_empty()
    );
}
