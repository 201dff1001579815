//! The shop example against DynamoDB Local: every pattern returns the right items,
//! and the stored items carry exactly the keys the schema's templates prescribe.

use std::collections::{BTreeMap, HashMap};

use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
use dynaschema_tests::{client, unique_table_name};
use shop_example::{dataset, run, seed, shop};

/// Every item of the table, read with the plain SDK (no dynaschema decoding).
async fn scan_all(table: &shop::Table) -> Vec<HashMap<String, AttributeValue>> {
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let page = table
            .client()
            .scan()
            .table_name(table.name())
            .set_exclusive_start_key(start)
            .send()
            .await
            .unwrap();
        items.extend(page.items.unwrap_or_default());
        start = page.last_evaluated_key;
        if start.is_none() {
            return items;
        }
    }
}

fn s(value: &AttributeValue) -> &str {
    value.as_s().expect("a string attribute")
}

#[tokio::test]
async fn stored_items_carry_exactly_the_keys_of_their_templates() {
    let table = shop::Table::new(client(), unique_table_name("shop"));
    table.create_table().await.unwrap();
    let data = dataset();
    seed(&table, &data).await.unwrap();

    // The expected keys, written out by hand from dynaschema.toml: not computed by
    // the library under test.
    let key_attributes = ["pk", "sk", "gsi1pk", "gsi1sk", "_et"];
    let mut expected: Vec<BTreeMap<&str, String>> = Vec::new();
    for user in &data.users {
        expected.push(BTreeMap::from([
            ("pk", format!("USER#{}", user.user_id)),
            ("sk", "PROFILE".into()),
            ("gsi1pk", format!("EMAIL#{}", user.email.to_lowercase())),
            ("gsi1sk", "USER".into()),
            ("_et", "User".into()),
        ]));
    }
    for order in &data.orders {
        expected.push(BTreeMap::from([
            ("pk", format!("USER#{}", order.user_id)),
            (
                "sk",
                format!(
                    "ORDER#{}#{}",
                    order.created_at.format("%Y-%m-%dT%H:%M:%S.000000000Z"),
                    order.order_id
                ),
            ),
            ("gsi1pk", format!("ORDER#{}", order.order_id)),
            ("gsi1sk", "ORDER".into()),
            ("_et", "Order".into()),
        ]));
    }
    for product in &data.products {
        expected.push(BTreeMap::from([
            ("pk", format!("PRODUCT#{}", product.product_id)),
            ("sk", "PRODUCT".into()),
            ("gsi1pk", format!("CATEGORY#{}", product.category)),
            ("gsi1sk", format!("PRODUCT#{}", product.product_id)),
            ("_et", "Product".into()),
        ]));
    }

    let items = scan_all(&table).await;
    // Besides the keys and the discriminator, an item holds only its struct's fields.
    let fields: BTreeMap<&str, &[&str]> = BTreeMap::from([
        ("User", &["user_id", "email", "name", "tags", "address"][..]),
        (
            "Order",
            &["user_id", "order_id", "created_at", "total_cents", "lines"][..],
        ),
        (
            "Product",
            &["product_id", "category", "name", "price_cents"][..],
        ),
    ]);
    for item in &items {
        let entity = s(&item["_et"]);
        for name in item.keys() {
            assert!(
                key_attributes.contains(&name.as_str()) || fields[entity].contains(&name.as_str()),
                "{entity} item has a stray attribute `{name}`: {item:?}"
            );
        }
    }
    let mut stored: Vec<BTreeMap<&str, String>> = items
        .iter()
        .map(|item| {
            key_attributes
                .iter()
                .filter_map(|name| item.get(*name).map(|v| (*name, s(v).to_owned())))
                .collect()
        })
        .collect();
    stored.sort();
    expected.sort();
    assert_eq!(stored, expected);
}

#[tokio::test]
async fn the_example_runs_every_pattern_and_gets_the_right_items() {
    let table = shop::Table::new(client(), unique_table_name("shop"));
    table.create_table().await.unwrap();
    let data = dataset();
    seed(&table, &data).await.unwrap();

    let ada = &data.users[0];
    assert_eq!(table.get_user("ada").await.unwrap().as_ref(), Some(ada));
    assert_eq!(
        table.user_by_email("alan@example.com").all().await.unwrap(),
        vec![data.users[1].clone()]
    );
    // `EMAIL#{email|lower}`: the lookup does not depend on how the address is typed.
    assert_eq!(
        table.user_by_email("Alan@Example.COM").all().await.unwrap(),
        vec![data.users[1].clone()]
    );
    let mut newest_first = data.orders.clone();
    newest_first.sort_by_key(|o| std::cmp::Reverse(o.created_at));
    assert_eq!(table.user_orders("ada").all().await.unwrap(), newest_first);
    let since = data.orders[1].created_at;
    assert_eq!(
        table
            .user_orders("ada")
            .created_at_gte(&since)
            .all()
            .await
            .unwrap(),
        newest_first[..2]
    );
    assert_eq!(
        table
            .order_by_id(&data.orders[1].order_id)
            .all()
            .await
            .unwrap(),
        vec![data.orders[1].clone()]
    );
    let both = table.user_with_orders("ada").await.unwrap();
    assert_eq!(both.user.as_ref(), Some(ada));
    let mut oldest_first = data.orders.clone();
    oldest_first.sort_by_key(|o| o.created_at);
    assert_eq!(both.orders, oldest_first);
    assert_eq!(
        table.get_product("p-mug").await.unwrap().as_ref(),
        Some(&data.products[1])
    );
    assert_eq!(
        table.products_by_category("kitchen").all().await.unwrap(),
        data.products[..2]
    );
    assert_eq!(
        table
            .products_by_category_min_price("kitchen", &1_000)
            .all()
            .await
            .unwrap(),
        data.products[..1]
    );

    let report = run(&table).await.unwrap();
    for expected in [
        "Ada Lovelace <ada@example.com>",
        "Alan Turing",
        "page 1: 2 orders, next cursor: true",
        "page 2: 1 orders",
        "orders: 3",
        "Teapot (3000 cents)",
    ] {
        assert!(
            report.contains(expected),
            "missing {expected:?} in:\n{report}"
        );
    }

    // Seeding again is refused item by item rather than silently overwriting.
    let err = seed(&table, &data).await.unwrap_err();
    assert!(
        matches!(err, dynaschema::Error::ConditionalCheckFailed { .. }),
        "{err:?}"
    );
}
