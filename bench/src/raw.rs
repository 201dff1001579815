//! The raw aws-sdk-dynamodb calls a team writes by hand for the benchmarks'
//! workloads: the baseline every other client is measured against (bins `e2e` and
//! `peers`).

use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeValue, KeysAndAttributes, PutRequest, ReturnConsumedCapacity, WriteRequest,
};
use futures::{StreamExt, stream};

use crate::{Customer, Item, Order, Small};

/// Hand-written: puts `items` with BatchWriteItem, `in_flight` chunks of 25 at once,
/// resending unprocessed items.
pub async fn raw_batch_put(client: &Client, table: &str, items: Vec<Item>, in_flight: usize) {
    let chunks: Vec<Vec<Item>> = items.chunks(25).map(<[Item]>::to_vec).collect();
    stream::iter(chunks)
        .map(|chunk| async move {
            let mut requests: Vec<WriteRequest> = chunk
                .into_iter()
                .map(|item| {
                    WriteRequest::builder()
                        .put_request(PutRequest::builder().set_item(Some(item)).build().unwrap())
                        .build()
                })
                .collect();
            while !requests.is_empty() {
                let output = client
                    .batch_write_item()
                    .request_items(table, requests)
                    .send()
                    .await
                    .expect("BatchWriteItem");
                requests = output
                    .unprocessed_items
                    .and_then(|mut u| u.remove(table))
                    .unwrap_or_default();
            }
        })
        .buffer_unordered(in_flight)
        .collect::<Vec<()>>()
        .await;
}

/// Hand-written: reads `keys` with BatchGetItem, `in_flight` chunks of 100 at once.
pub async fn raw_batch_get(
    client: &Client,
    table: &str,
    keys: Vec<Item>,
    in_flight: usize,
) -> usize {
    let chunks: Vec<Vec<Item>> = keys.chunks(100).map(<[Item]>::to_vec).collect();
    let found: Vec<usize> = stream::iter(chunks)
        .map(|chunk| async move {
            let mut keys = chunk;
            let mut found = 0;
            while !keys.is_empty() {
                let output = client
                    .batch_get_item()
                    .request_items(
                        table,
                        KeysAndAttributes::builder()
                            .set_keys(Some(keys))
                            .build()
                            .unwrap(),
                    )
                    .send()
                    .await
                    .expect("BatchGetItem");
                for item in output
                    .responses
                    .and_then(|mut r| r.remove(table))
                    .unwrap_or_default()
                {
                    Small::from_item_by_hand(item).expect("a small item");
                    found += 1;
                }
                keys = output
                    .unprocessed_keys
                    .and_then(|mut u| u.remove(table))
                    .map(|k| k.keys)
                    .unwrap_or_default();
            }
            found
        })
        .buffer_unordered(in_flight)
        .collect()
        .await;
    found.into_iter().sum()
}

pub fn small_key(group: &str, id: &str) -> Item {
    HashMap::from([
        ("pk".to_owned(), AttributeValue::S(format!("GROUP#{group}"))),
        ("sk".to_owned(), AttributeValue::S(format!("SMALL#{id}"))),
    ])
}

/// Hand-written: every item of one partition, page by page.
pub async fn raw_query(client: &Client, table: &str, pk: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let output = client
            .query()
            .table_name(table)
            .key_condition_expression("#pk = :pk")
            .expression_attribute_names("#pk", "pk")
            .expression_attribute_values(":pk", AttributeValue::S(pk.to_owned()))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .set_exclusive_start_key(start)
            .send()
            .await
            .expect("Query");
        items.extend(output.items.unwrap_or_default());
        start = output.last_evaluated_key.filter(|k| !k.is_empty());
        if start.is_none() {
            return items;
        }
    }
}

/// Hand-written: PutItem of one small item.
pub async fn raw_put_small(client: &Client, table: &str, small: &Small) {
    client
        .put_item()
        .table_name(table)
        .set_item(Some(small.to_item_by_hand()))
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .send()
        .await
        .expect("PutItem");
}

/// Hand-written: GetItem of one small item, decoded.
pub async fn raw_get_small(client: &Client, table: &str, group: &str, id: &str) -> Small {
    let output = client
        .get_item()
        .table_name(table)
        .set_key(Some(small_key(group, id)))
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .send()
        .await
        .expect("GetItem");
    Small::from_item_by_hand(output.item.expect("found")).expect("decodes")
}

/// Hand-written: a customer and its orders, one Query (all pages), each item decoded
/// by its entity discriminator `_et`.
pub async fn raw_customer_with_orders(
    client: &Client,
    table: &str,
    customer_id: &str,
) -> (Option<Customer>, Vec<Order>) {
    let items = raw_query(client, table, &format!("CUSTOMER#{customer_id}")).await;
    let (mut customer, mut orders) = (None, Vec::new());
    for item in items {
        match item
            .get("_et")
            .and_then(|v| v.as_s().ok())
            .map(String::as_str)
        {
            Some("Customer") => {
                customer = Some(Customer::from_item_by_hand(item).expect("decodes"));
            }
            Some("Order") => orders.push(Order::from_item_by_hand(item).expect("decodes")),
            _ => {}
        }
    }
    (customer, orders)
}
