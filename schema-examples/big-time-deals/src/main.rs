//! Posts deals and messages, then reads them through every access pattern, on the
//! embedded server (or `DYNAMODB_ENDPOINT`).

use std::collections::BTreeSet;

use big_time_deals_example::{Brand, Category, Deal, Message, big_time_deals, day_of};
use chrono::{Duration, TimeZone, Utc};
use dynaschema::local::EndpointOrEmbedded;
use ulid::Ulid;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = EndpointOrEmbedded::from_env()?;
    let client = server.client();
    let table = big_time_deals::Table::new(
        client,
        format!("deals-{}", Ulid::new().to_string().to_lowercase()),
    );
    table.create_table().await?;

    table
        .put(&Brand {
            name: "Acme".into(),
            logo_url: "https://example.com/acme.png".into(),
            likes: 0,
        })
        .await?;
    table
        .put(&Category {
            name: "Kitchen".into(),
            featured_deals: BTreeSet::new(),
        })
        .await?;
    let start = Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap();
    for (i, (brand, category)) in [
        ("Acme", "Kitchen"),
        ("acme", "Garden"),
        ("Zenith", "kitchen"),
    ]
    .iter()
    .enumerate()
    {
        let created_at = start + Duration::minutes(i as i64);
        let deal = Deal {
            deal_id: Ulid::from_parts(created_at.timestamp_millis() as u64, i as u128),
            title: format!("Deal {i}"),
            link: format!("https://example.com/deal/{i}"),
            price_cents: 999 + i as i64,
            brand: (*brand).into(),
            category: (*category).into(),
            day: day_of(created_at),
            created_at,
        };
        table.put(&deal).await?;
    }
    table
        .put(&Message::unread("alex", Ulid::from_parts(1, 1), "Welcome"))
        .await?;
    table
        .put(&Message::unread("alex", Ulid::from_parts(2, 2), "New deals").read())
        .await?;

    let day = day_of(start);
    let titles = |deals: Vec<Deal>| deals.into_iter().map(|d| d.title).collect::<Vec<_>>();
    println!(
        "deals_of_day: {:?}",
        titles(table.deals_of_day(&day).all().await?)
    );
    println!(
        "brand_deals_of_day(acme): {:?}",
        titles(table.brand_deals_of_day("acme", &day).all().await?)
    );
    println!(
        "category_deals_of_day(KITCHEN): {:?}",
        titles(table.category_deals_of_day("KITCHEN", &day).all().await?)
    );
    println!(
        "get_brand(ACME): {:?}",
        table.get_brand("ACME").await?.map(|b| b.name)
    );
    println!(
        "user_messages: {}",
        table.user_messages("alex").all().await?.len()
    );
    println!(
        "unread_messages: {:?}",
        table
            .unread_messages("alex")
            .all()
            .await?
            .into_iter()
            .map(|m| m.subject)
            .collect::<Vec<_>>()
    );
    Ok(())
}
