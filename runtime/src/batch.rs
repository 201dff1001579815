//! `BatchGetItem` for reading full items behind a page of a partially projected index.
//!
//! Keys go in chunks of 100 (DynamoDB's limit); keys DynamoDB leaves unprocessed are
//! sent again with exponential backoff, a bounded number of times, and whatever is
//! still unprocessed is an [`Error::Unprocessed`] listing the keys, never a silent
//! omission.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
use tracing::Instrument as _;

use crate::attribute::Item;
use crate::error::{Error, Result, from_sdk};
use crate::table::Table;

/// DynamoDB's limit on keys in one `BatchGetItem`.
pub const MAX_BATCH_GET_KEYS: usize = 100;
const MAX_ATTEMPTS: u32 = 8;

/// The primary key of `item` (an index item always carries the table's keys).
fn table_key(table: &Table, item: &Item) -> Option<Item> {
    let definition = table.definition();
    let mut key = Item::with_capacity(2);
    for attribute in std::iter::once(definition.partition_key).chain(definition.sort_key) {
        key.insert(attribute.to_owned(), item.get(attribute)?.clone());
    }
    Some(key)
}

/// A hashable identity of a primary key.
fn identity(table: &Table, key: &Item) -> Vec<String> {
    let definition = table.definition();
    std::iter::once(definition.partition_key)
        .chain(definition.sort_key)
        .map(|attribute| match key.get(attribute) {
            Some(AttributeValue::S(s)) => format!("S{s}"),
            Some(AttributeValue::N(n)) => format!("N{n}"),
            Some(other) => format!("{other:?}"),
            None => String::new(),
        })
        .collect()
}

/// The full items behind `index_items`, in the same order. Items deleted since the
/// index was read are left out.
pub(crate) async fn get_full_items(
    table: &Table,
    entity: &'static str,
    index_items: Vec<Item>,
    consistent: bool,
) -> Result<Vec<Item>> {
    let keys: Vec<Item> = index_items
        .iter()
        .filter_map(|item| table_key(table, item))
        .collect();
    let mut found: HashMap<Vec<String>, Item> = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(MAX_BATCH_GET_KEYS) {
        let mut pending = chunk.to_vec();
        let mut attempts = 0;
        let mut delay = Duration::from_millis(25);
        while !pending.is_empty() {
            if attempts == MAX_ATTEMPTS {
                return Err(Error::Unprocessed {
                    operation: "BatchGetItem",
                    attempts,
                    keys: pending,
                });
            }
            if attempts > 0 {
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(2));
            }
            attempts += 1;
            let request = KeysAndAttributes::builder()
                .set_keys(Some(pending))
                .consistent_read(consistent)
                .build()
                .expect("keys are set");
            let output = table
                .client()
                .batch_get_item()
                .request_items(table.name(), request)
                .send()
                .instrument(
                    tracing::debug_span!("dynaschema.batch_get", table = %table.name(), entity),
                )
                .await
                .map_err(|e| from_sdk("BatchGetItem", entity, e))?;
            for item in output
                .responses
                .unwrap_or_default()
                .remove(table.name())
                .unwrap_or_default()
            {
                found.insert(identity(table, &item), item);
            }
            pending = output
                .unprocessed_keys
                .unwrap_or_default()
                .remove(table.name())
                .map(|k| k.keys)
                .unwrap_or_default();
        }
    }
    Ok(keys
        .iter()
        .filter_map(|key| found.remove(&identity(table, key)))
        .collect())
}
