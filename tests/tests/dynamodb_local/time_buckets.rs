//! Time buckets (`schemas/buckets.toml`): `pk = "DAY#{at|day}"` puts each UTC day's
//! readings in one partition; the pattern takes a timestamp and reads its day.

use chrono::{DateTime, TimeZone, Utc};
use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
use dynaschema_tests::sharded::buckets::{Reading, buckets::Table};
use dynaschema_tests::{client, raw_item, unique_table_name};

fn at(day: u32, h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, h, m, s).unwrap()
}

#[tokio::test]
async fn a_day_bucket_puts_each_days_items_in_one_partition_in_time_order() {
    let table = Table::new(client(), unique_table_name("buckets"));
    table.create_table().await.unwrap();
    let times = [
        at(1, 23, 59, 59),
        at(2, 0, 0, 0),
        at(2, 12, 0, 0),
        at(2, 23, 59, 59),
        at(3, 0, 0, 0),
    ];
    for (i, t) in times.iter().enumerate().rev() {
        table
            .put(&Reading {
                reading_id: format!("r{i}"),
                at: *t,
                value: i as i64,
            })
            .await
            .unwrap();
    }
    let item = raw_item(table.client(), table.name(), "READING#r2", "READING")
        .await
        .unwrap();
    assert_eq!(item["gsi1pk"], AttributeValue::S("DAY#2026-12-02".into()));
    assert_eq!(
        item["gsi1sk"],
        AttributeValue::S("2026-12-02T12:00:00.000000000Z#r2".into())
    );
    // Any instant of the day reads the day, in time order, and nothing of the
    // days around it.
    let day = table
        .readings_of_day(&at(2, 8, 30, 0))
        .query()
        .all()
        .await
        .unwrap();
    let ids: Vec<&str> = day.iter().map(|r| r.reading_id.as_str()).collect();
    assert_eq!(ids, ["r1", "r2", "r3"]);
    // Narrowed by the whole timestamp in the sort key.
    let afternoon = table
        .readings_of_day(&at(2, 0, 0, 0))
        .at_gte(&at(2, 12, 0, 0))
        .all()
        .await
        .unwrap();
    let ids: Vec<&str> = afternoon.iter().map(|r| r.reading_id.as_str()).collect();
    assert_eq!(ids, ["r2", "r3"]);
    // An update of the timestamp moves the item to its new day's partition.
    let f = Reading::fields();
    table
        .update(Reading::key("r2"))
        .set(&f.at, &at(3, 9, 0, 0))
        .await
        .unwrap();
    let item = raw_item(table.client(), table.name(), "READING#r2", "READING")
        .await
        .unwrap();
    assert_eq!(item["gsi1pk"], AttributeValue::S("DAY#2026-12-03".into()));
    let next = table
        .readings_of_day(&at(3, 0, 0, 0))
        .query()
        .all()
        .await
        .unwrap();
    let ids: Vec<&str> = next.iter().map(|r| r.reading_id.as_str()).collect();
    assert_eq!(ids, ["r4", "r2"]);
    // The index key function takes the timestamp and keeps its day.
    let key = Reading::gsi1_key(&at(3, 9, 0, 0), "r2");
    assert_eq!(key.partition().unwrap().1, "DAY#2026-12-03");
}
