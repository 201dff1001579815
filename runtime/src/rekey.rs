//! Conditioned rewrites and moves of stored items, shared by the migration and, during
//! a re-key (`previous_primary` in the schema), by every write by key: an item at its
//! previous primary key is moved to its new one before the write.

use std::collections::HashMap;
use std::future::Future;

use aws_sdk_dynamodb::types::{AttributeValue, ReturnConsumedCapacity};

use crate::attribute::Item;
use crate::entity::Entity;
use crate::error::{Error, Result, from_sdk};
use crate::table::Table;

/// Moves `stored` to `wanted`'s key: one transaction deleting it at its key (if it
/// is unchanged since read) and putting `wanted` where no item is yet.
pub(crate) async fn move_stored<E: Entity>(
    table: &Table,
    stored: &Item,
    wanted: Item,
) -> std::result::Result<f64, Written> {
    use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
    use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem};
    let condition = unchanged::<E>(table, stored).map_err(Written::Failed)?;
    let definition = table.definition();
    let build = |e: aws_sdk_dynamodb::error::BuildError| {
        Written::Failed(Error::Transaction(crate::error::TransactionError::Build(
            e.to_string(),
        )))
    };
    let delete = Delete::builder()
        .table_name(table.name())
        .set_key(Some(key_of(table, stored)))
        .condition_expression(&condition.expression)
        .set_expression_attribute_names(Some(condition.names.clone()))
        .set_expression_attribute_values(Some(condition.values.clone()))
        .build()
        .map_err(build)?;
    let put = Put::builder()
        .table_name(table.name())
        .set_item(Some(wanted))
        .condition_expression("attribute_not_exists(#pk)")
        .expression_attribute_names("#pk", definition.partition_key.as_ref())
        .build()
        .map_err(build)?;
    let items = [
        TransactWriteItem::builder().delete(delete).build(),
        TransactWriteItem::builder().put(put).build(),
    ];
    // One token for every attempt: a retried transaction that landed is not
    // applied twice.
    let token = crate::request::new_token();
    write_with_backoff(|| async {
        let output = table
            .client()
            .transact_write_items()
            .set_transact_items(Some(items.to_vec()))
            .client_request_token(&token)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .map_err(|e| {
                let failed = |position: usize| match e.as_service_error() {
                    Some(TransactWriteItemsError::TransactionCanceledException(c)) => c
                        .cancellation_reasons()
                        .get(position)
                        .is_some_and(|r| r.code() == Some("ConditionalCheckFailed")),
                    _ => false,
                };
                if failed(0) {
                    // The old item changed: read again.
                    Written::Conflict
                } else if failed(1) {
                    Written::Taken
                } else {
                    Written::Failed(from_sdk("TransactWriteItems", E::NAME, e))
                }
            })?;
        Ok(output
            .consumed_capacity()
            .iter()
            .filter_map(|c| c.capacity_units())
            .sum())
    })
    .await
}

/// A move of `stored` found its new key (`new_key`) taken. An item of `E` there
/// was written since the schema changed, by code that knows the new key: it is the
/// current one and `stored` a stale copy, deleted if unchanged since read (the
/// units written, or a conflict). `None` when the new key holds another entity's
/// item: nothing is deleted.
pub(crate) async fn drop_stale_copy<E: Entity>(
    table: &Table,
    stored: &Item,
    new_key: &Item,
) -> std::result::Result<Option<f64>, Written> {
    let current = consistent_get::<E>(table, new_key)
        .await
        .map_err(Written::Failed)?;
    let entity_attribute: &str = &table.definition().entity_attribute;
    let ours = current
        .as_ref()
        .and_then(|item| item.get(entity_attribute))
        .and_then(|v| v.as_s().ok())
        .is_some_and(|name| name == E::NAME);
    if !ours {
        // Gone meanwhile (the next attempt moves `stored`) or another entity's.
        return match current {
            None => Err(Written::Conflict),
            Some(_) => Ok(None),
        };
    }
    let condition = unchanged::<E>(table, stored).map_err(Written::Failed)?;
    write_with_backoff(|| async {
        let output = table
            .client()
            .delete_item()
            .table_name(table.name())
            .set_key(Some(key_of(table, stored)))
            .condition_expression(&condition.expression)
            .set_expression_attribute_names(Some(condition.names.clone()))
            .set_expression_attribute_values(Some(condition.values.clone()))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .map_err(|e| as_written(from_sdk("DeleteItem", E::NAME, e)))?;
        Ok(units(output.consumed_capacity()))
    })
    .await
    .map(Some)
}

/// A consistent `GetItem` of the item at `key`, retried while throttled.
pub(crate) async fn consistent_get<E: Entity>(table: &Table, key: &Item) -> Result<Option<Item>> {
    with_backoff(|| async {
        let output = table
            .client()
            .get_item()
            .table_name(table.name())
            .set_key(Some(key.clone()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| from_sdk("GetItem", E::NAME, e))?;
        Ok(output.item)
    })
    .await
}

/// During a re-key (`previous_primary` in the schema): moves the item of `E` at
/// `key`'s previous primary key to `key`, if it is there, so that a write by key
/// finds the item where the schema now puts it. The move is the migration's
/// (conditioned on the item being unchanged, retried on a conflict); an item
/// already at `key` makes the old copy stale, and it is deleted.
pub(crate) async fn move_from_previous<E: Entity>(
    table: &Table,
    key: &crate::key::Key<E>,
) -> Result<()> {
    let Some(previous) = key.previous_attributes() else {
        return Ok(());
    };
    let previous = previous?;
    let entity_attribute: &str = &table.definition().entity_attribute;
    let failed = |reason: String| Error::Migration {
        entity: E::NAME,
        reason,
    };
    for _attempt in 0..32 {
        let Some(stored) = consistent_get::<E>(table, &previous).await? else {
            return Ok(());
        };
        if stored.get(entity_attribute).and_then(|v| v.as_s().ok()) != Some(&E::NAME.to_owned()) {
            // Another entity's item at the old key: not this one.
            return Ok(());
        }
        let wanted = derive::<E>(table, &stored).map_err(failed)?;
        let new_key = key_of(table, &wanted);
        let written = match move_stored::<E>(table, &stored, wanted).await {
            Err(Written::Taken) => drop_stale_copy::<E>(table, &stored, &new_key)
                .await
                .map(|units| units.unwrap_or_default()),
            other => other,
        };
        match written {
            Ok(_) => {
                tracing::debug!(table = %table.name(), entity = E::NAME, "moved from the previous primary key");
                return Ok(());
            }
            // Changed since read (a delete never reports its key taken): read again.
            Err(Written::Conflict | Written::Taken) => continue,
            Err(Written::Failed(e)) => return Err(e),
        }
    }
    Err(failed(
        "an item at its previous primary key kept changing under 32 attempts to move it".into(),
    ))
}

/// A write's error as the migration sees it: a failed condition is a conflict.
pub(crate) fn as_written(e: Error) -> Written {
    match classify(&e) {
        Outcome::Conflict => Written::Conflict,
        _ => Written::Failed(e),
    }
}

/// The capacity units a request consumed (0 when not reported).
pub(crate) fn units(consumed: Option<&aws_sdk_dynamodb::types::ConsumedCapacity>) -> f64 {
    consumed.and_then(|c| c.capacity_units()).unwrap_or(0.0)
}

pub(crate) enum Written {
    /// The item changed since it was read.
    Conflict,
    /// A move found its new key taken.
    Taken,
    Failed(Error),
}

pub(crate) enum Outcome {
    Conflict,
    Throttled,
    Other,
}

pub(crate) fn classify(e: &Error) -> Outcome {
    match e {
        Error::ConditionalCheckFailed { .. } => Outcome::Conflict,
        Error::Service(s)
            if matches!(
                s.code(),
                Some(
                    "ProvisionedThroughputExceededException"
                        | "ThrottlingException"
                        | "RequestLimitExceeded"
                        | "InternalServerError"
                )
            ) =>
        {
            Outcome::Throttled
        }
        _ => Outcome::Other,
    }
}

/// Sends a write (`send`) again with backoff while it fails with throttling (10
/// retries); a conflict or any other error ends it.
pub(crate) async fn write_with_backoff<F, Fut>(send: F) -> std::result::Result<f64, Written>
where
    F: Fn() -> Fut,
    Fut: Future<Output = std::result::Result<f64, Written>>,
{
    let mut attempt = 0;
    loop {
        match send().await {
            Err(Written::Failed(e))
                if matches!(classify(&e), Outcome::Throttled) && attempt < 10 =>
            {
                attempt += 1;
                tokio::time::sleep(crate::request::backoff(attempt)).await;
            }
            other => return other,
        }
    }
}

/// Retries `f` with backoff while it fails with throttling (10 attempts).
pub(crate) async fn with_backoff<T, F, Fut>(f: F) -> Result<T>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut attempt = 0;
    loop {
        match f().await {
            Err(e) if matches!(classify(&e), Outcome::Throttled) && attempt < 10 => {
                attempt += 1;
                tokio::time::sleep(crate::request::backoff(attempt)).await;
            }
            other => return other,
        }
    }
}

/// What the schema derives for `stored`: the entity's item, plus the stored
/// attributes it does not derive and that are no index's key (fields the struct
/// no longer has are kept; index attributes the entity no longer fills are not).
pub(crate) fn derive<E: Entity>(table: &Table, stored: &Item) -> std::result::Result<Item, String> {
    // Upgraded first (an older schema version), so attributes the upgrade dropped or
    // renamed are not kept from the stored item.
    let mut upgraded = stored.clone();
    E::upgrade_item(&mut upgraded).map_err(|e| e.to_string())?;
    let entity = E::from_item(upgraded.clone()).map_err(|e| e.to_string())?;
    let mut wanted = entity.to_item().map_err(|e| e.to_string())?;
    let definition = table.definition();
    let index_attribute = |name: &str| {
        definition
            .indexes
            .iter()
            .any(|i| i.key_attributes().any(|a| a.name == name))
    };
    for (name, value) in &upgraded {
        if !wanted.contains_key(name) && !index_attribute(name) {
            wanted.insert(name.clone(), value.clone());
        }
    }
    Ok(wanted)
}

/// The table's primary key attributes of `item`.
pub(crate) fn key_of(table: &Table, item: &Item) -> Item {
    let definition = table.definition();
    definition
        .key_attributes()
        .filter_map(|k| item.get(k).map(|v| (k.to_owned(), v.clone())))
        .collect()
}

pub(crate) struct Condition {
    pub(crate) expression: String,
    pub(crate) names: HashMap<String, String>,
    pub(crate) values: HashMap<String, AttributeValue>,
}

/// "The item is as it was read": its version and write token for a versioned
/// entity, every attribute otherwise.
pub(crate) fn unchanged<E: Entity>(table: &Table, stored: &Item) -> Result<Condition> {
    let mut names = HashMap::new();
    let mut values = HashMap::new();
    let mut parts = vec!["attribute_exists(#k)".to_owned()];
    names.insert(
        "#k".to_owned(),
        table.definition().partition_key.to_string(),
    );
    let checked: Vec<&String> = match E::VERSION_ATTRIBUTE {
        Some(version) if stored.contains_key(version) => stored
            .keys()
            .filter(|k| k.as_str() == version || k.as_str() == E::WRITE_TOKEN_ATTRIBUTE)
            .collect(),
        _ => stored.keys().collect(),
    };
    for (i, name) in checked.into_iter().enumerate() {
        names.insert(format!("#a{i}"), name.clone());
        values.insert(format!(":a{i}"), stored[name].clone());
        parts.push(format!("#a{i} = :a{i}"));
    }
    let expression = parts.join(" AND ");
    crate::limits::check_expression::<E>("ConditionExpression", &expression)?;
    Ok(Condition {
        expression,
        names,
        values,
    })
}
