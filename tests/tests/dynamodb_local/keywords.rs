//! The skill card's single table with the names users really write
//! (`schemas/keywords.toml`): `type` as the discriminator and as a field (`r#type`,
//! `{type}` in a key), DynamoDB reserved words as fields, and every pattern named
//! after a Rust keyword. Every pattern runs here.

use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
use dynaschema_tests::keywords::{Account, Order, Product, User, keywords};
use dynaschema_tests::{client, raw_item, unique_table_name};

async fn seeded() -> keywords::Table {
    let table = keywords::Table::new(client(), unique_table_name("keywords"));
    table.create_table().await.expect("create the table");
    table
        .put(&User {
            user_id: "123".into(),
            name: "John".into(),
            email: "john@example.com".into(),
            status: "active".into(),
        })
        .await
        .unwrap();
    for (r#ref, total) in [("001", 99.99), ("002", 149.99)] {
        table
            .put(&Order {
                user_id: "123".into(),
                r#ref: r#ref.into(),
                total,
                data: None,
            })
            .await
            .unwrap();
    }
    for (id, price, status) in [("p1", 50, "live"), ("p2", 150, "live"), ("p3", 250, "gone")] {
        table
            .put(&Product {
                product_id: id.into(),
                r#type: "PRODUCT".into(),
                price,
                status: status.into(),
                data: "x".into(),
            })
            .await
            .unwrap();
    }
    table
}

#[tokio::test]
async fn items_carry_type_as_the_skill_card_writes_them() {
    let table = seeded().await;
    let user = raw_item(table.client(), table.name(), "USER#123", "PROFILE")
        .await
        .unwrap();
    assert_eq!(user.get("type"), Some(&AttributeValue::S("User".into())));
    assert_eq!(user.get("name"), Some(&AttributeValue::S("John".into())));
    let order = raw_item(table.client(), table.name(), "USER#123", "ORDER#001")
        .await
        .unwrap();
    assert_eq!(order.get("type"), Some(&AttributeValue::S("Order".into())));
    assert_eq!(
        order.get("gsi1pk"),
        Some(&AttributeValue::S("ORDER#001".into()))
    );
    assert_eq!(
        order.get("gsi1sk"),
        Some(&AttributeValue::S("USER#123".into()))
    );
    let product = raw_item(table.client(), table.name(), "PRODUCT#p1", "PRODUCT")
        .await
        .unwrap();
    // The field `type` is stored as `product_type`; `type` stays the discriminator.
    assert_eq!(
        product.get("type"),
        Some(&AttributeValue::S("Product".into()))
    );
    assert_eq!(
        product.get("product_type"),
        Some(&AttributeValue::S("PRODUCT".into()))
    );
    assert_eq!(
        product.get("gsi1pk"),
        Some(&AttributeValue::S("PRODUCT".into()))
    );
}

#[tokio::test]
async fn every_keyword_pattern_runs() {
    let table = seeded().await;

    // `ref`: GetItem.
    let user = table.r#ref("123").await.unwrap().unwrap();
    assert_eq!(user.name, "John");

    // `loop`: begins_with(sk, "ORDER#"), then narrowed by the field `ref`.
    let orders = table.r#loop("123").all().await.unwrap();
    let refs: Vec<&str> = orders.iter().map(|o| o.r#ref.as_str()).collect();
    assert_eq!(refs, ["001", "002"]);
    let one = table.r#loop("123").r#ref("002").all().await.unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].total, 149.99);
    let after = table.r#loop("123").ref_gt("001").all().await.unwrap();
    assert_eq!(after.len(), 1);

    // `yield`: the order lookup on GSI1.
    let by_ref = table.r#yield("001").all().await.unwrap();
    assert_eq!(by_ref.len(), 1);
    assert_eq!(by_ref[0].user_id, "123");

    // `match`: GSI1 partition `{type}` with the price filter (`in` is its parameter).
    let pricey = table.r#match("PRODUCT", &100).all().await.unwrap();
    let ids: Vec<&str> = pricey.iter().map(|p| p.product_id.as_str()).collect();
    assert_eq!(ids, ["p2", "p3"]);

    // `type`: the collection, a struct `Type`.
    let both: keywords::Type = table.r#type("123").await.unwrap();
    assert_eq!(both.user.map(|u| u.user_id), Some("123".into()));
    assert_eq!(both.orders.len(), 2);

    // `while`: a scan filtered on the reserved words `status` and `data`.
    let live = table.r#while("live", "x").all().await.unwrap();
    let mut ids: Vec<String> = live.into_iter().map(|p| p.product_id).collect();
    ids.sort();
    assert_eq!(ids, ["p1", "p2"]);

    // `move`: the skill card's balance transfer, then GetItem.
    for (id, amount) in [("1", 500), ("2", 0)] {
        table
            .put(&Account {
                account_id: id.into(),
                amount,
                version: 0,
            })
            .await
            .unwrap();
    }
    let f = Account::fields();
    table
        .transaction()
        .update(Account::key("1"), |u| {
            u.add(&f.amount, &-100).condition(f.amount.ge(&100))
        })
        .update(Account::key("2"), |u| u.add(&f.amount, &100))
        .await
        .unwrap();
    assert_eq!(table.r#move("1").await.unwrap().unwrap().amount, 400);
    assert_eq!(table.r#move("2").await.unwrap().unwrap().amount, 100);
}
