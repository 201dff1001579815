//! The DynamoDB Book's "Big Time Deals" (schema-examples/big-time-deals): every access
//! pattern returns the right items from DynamoDB Local.

use std::collections::BTreeSet;

use big_time_deals_example::{Brand, Category, Deal, Message, big_time_deals, day_of};
use chrono::{Duration, TimeZone, Utc};
use dynaschema_tests::{client, unique_table_name};
use ulid::Ulid;

async fn table() -> big_time_deals::Table {
    let table = big_time_deals::Table::new(client(), unique_table_name("deals"));
    table.create_table().await.unwrap();
    table
}

fn deal(i: u64, brand: &str, category: &str, day_offset: i64) -> Deal {
    let created_at = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
        + Duration::days(day_offset)
        + Duration::minutes(i as i64);
    Deal {
        deal_id: Ulid::from_parts(created_at.timestamp_millis() as u64, u128::from(i)),
        title: format!("deal {i}"),
        link: format!("https://example.com/{i}"),
        price_cents: 100 * i as i64,
        brand: brand.into(),
        category: category.into(),
        day: day_of(created_at),
        created_at,
    }
}

fn ids(deals: &[Deal]) -> Vec<&str> {
    deals.iter().map(|d| d.title.as_str()).collect()
}

#[tokio::test]
async fn deals_by_day_brand_and_category_newest_first() {
    let table = table().await;
    let deals = [
        deal(1, "Acme", "Kitchen", 0),
        deal(2, "acme", "Garden", 0),
        deal(3, "Zenith", "KITCHEN", 0),
        deal(4, "Acme", "Kitchen", 1),
    ];
    for d in &deals {
        table.put(d).await.unwrap();
    }
    let day = deals[0].day.clone();
    assert_eq!(
        table.get_deal(&deals[3].deal_id).await.unwrap().as_ref(),
        Some(&deals[3])
    );
    assert_eq!(
        ids(&table.deals_of_day(&day).all().await.unwrap()),
        ["deal 3", "deal 2", "deal 1"]
    );
    assert_eq!(
        ids(&table.deals_of_day(&deals[3].day).all().await.unwrap()),
        ["deal 4"]
    );
    // Brand and category names are keyed upper-cased: any casing finds them.
    assert_eq!(
        ids(&table.brand_deals_of_day("ACME", &day).all().await.unwrap()),
        ["deal 2", "deal 1"]
    );
    assert_eq!(
        ids(&table.brand_deals_of_day("acme", &day).all().await.unwrap()),
        ["deal 2", "deal 1"]
    );
    assert_eq!(
        ids(&table
            .category_deals_of_day("kitchen", &day)
            .all()
            .await
            .unwrap()),
        ["deal 3", "deal 1"]
    );
    // The latest deal of the day, without reading the others.
    assert_eq!(
        ids(&table.deals_of_day(&day).limit(1).all().await.unwrap()),
        ["deal 3"]
    );
}

#[tokio::test]
async fn brands_and_categories_by_name_in_any_case() {
    let table = table().await;
    let brand = Brand {
        name: "Acme".into(),
        logo_url: "https://example.com/acme.png".into(),
        likes: 3,
    };
    let category = Category {
        name: "Kitchen".into(),
        featured_deals: BTreeSet::from(["d1".to_owned()]),
    };
    table.put(&brand).await.unwrap();
    table.put(&category).await.unwrap();
    assert_eq!(table.get_brand("acme").await.unwrap(), Some(brand));
    assert_eq!(table.get_category("KITCHEN").await.unwrap(), Some(category));
    assert_eq!(table.get_brand("Other").await.unwrap(), None);
}

#[tokio::test]
async fn unread_messages_are_a_sparse_index() {
    let table = table().await;
    let ids: Vec<Ulid> = (1..=4)
        .map(|n| Ulid::from_parts(n, u128::from(n)))
        .collect();
    let mut messages = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let message = Message::unread("alex", *id, &format!("message {n}"));
        // Messages 0 and 2 have been read.
        let message = if n % 2 == 0 { message.read() } else { message };
        table.put(&message).await.unwrap();
        messages.push(message);
    }
    table
        .put(&Message::unread("blake", ids[0], "other user"))
        .await
        .unwrap();

    let all = table.user_messages("alex").all().await.unwrap();
    assert_eq!(all, messages.iter().rev().cloned().collect::<Vec<_>>());
    let unread = table.unread_messages("alex").all().await.unwrap();
    assert_eq!(unread, vec![messages[3].clone(), messages[1].clone()]);

    // Reading a message takes it out of the index.
    table.put(&messages[3].clone().read()).await.unwrap();
    assert_eq!(
        table.unread_messages("alex").all().await.unwrap(),
        vec![messages[1].clone()]
    );
}
