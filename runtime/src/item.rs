//! Single-item operations: [`Get`], [`Put`] and [`Delete`], and the [`Table`]
//! methods that start them.

use std::future::IntoFuture;

use aws_sdk_dynamodb::error::ProvideErrorMetadata as _;
use aws_sdk_dynamodb::types::AttributeValue;
use tracing::Instrument as _;

use crate::attribute::Item;
use crate::entity::Entity;
use crate::error::{Result, from_sdk, from_sdk_read};
use crate::expr::Condition;
use crate::key::Key;
use crate::request::{Attempts, BoxFuture, Rendered, record_capacity, with_condition};
use crate::table::Table;

impl Table {
    /// Reads one item by its primary key; `None` if there is none.
    ///
    /// An item stored under that key by another entity is a [`Error::Decode`](crate::Error::Decode), never
    /// a value of the wrong type.
    pub fn get<E: Entity>(&self, key: Key<E>) -> Get<'_, E> {
        Get {
            table: self,
            key,
            consistent: false,
            pattern: None,
        }
    }

    /// Writes `item`, replacing any item with the same primary key unless
    /// [`if_absent`](Put::if_absent) is called.
    pub fn put<'a, E: Entity>(&'a self, item: &'a E) -> Put<'a, E> {
        Put {
            table: self,
            item,
            if_absent: false,
            condition: None,
            moving: false,
        }
    }

    /// Deletes the item at `key` (a no-op if there is none, unless
    /// [`if_exists`](Delete::if_exists) is called).
    pub fn delete<E: Entity>(&self, key: Key<E>) -> Delete<'_, E> {
        Delete {
            table: self,
            key,
            if_exists: false,
            condition: None,
            version: None,
        }
    }
}

/// A `GetItem` request; `.await` it.
#[must_use = "a request does nothing until it is awaited"]
pub struct Get<'t, E> {
    table: &'t Table,
    key: Key<E>,
    consistent: bool,
    pattern: Option<&'static str>,
}

impl<E: Entity> Get<'_, E> {
    /// Reads with strong consistency (sees every write acknowledged before it).
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }

    /// Names the access pattern this read serves, for tracing, coverage and errors.
    #[doc(hidden)]
    pub fn pattern(mut self, name: &'static str) -> Self {
        self.pattern = Some(name);
        self
    }

    async fn send(self) -> Result<Option<E>> {
        let key = self.key.to_attributes()?;
        if let Some(pattern) = self.pattern {
            crate::coverage::record(&self.table.definition.name, pattern);
        }
        let span = tracing::debug_span!(
            "dynaschema.get",
            table = %self.table.name,
            entity = E::NAME,
            pattern = self.pattern.unwrap_or_default(),
            consumed_capacity = tracing::field::Empty,
        );
        let output = self
            .table
            .client
            .get_item()
            .table_name(self.table.name.as_ref())
            .set_key(Some(key))
            .consistent_read(self.consistent)
            .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total)
            .send()
            .instrument(span.clone())
            .await
            .map_err(|e| from_sdk_read("GetItem", self.pattern, e))?;
        record_capacity(&span, output.consumed_capacity());
        match output.item {
            Some(item) => Ok(Some(E::from_item(item)?)),
            None => self.previous(span).await,
        }
    }

    /// During a re-key (`previous_primary` in the schema), an item not yet at its
    /// new key is read at its previous one; and if it is at neither, at the new key
    /// again, since a migration may have moved it between the two reads (items only
    /// move from the previous key to the new one).
    async fn previous(self, span: tracing::Span) -> Result<Option<E>> {
        let Some(previous) = self.key.previous_attributes() else {
            return Ok(None);
        };
        let read = |key: Item| {
            self.table
                .client
                .get_item()
                .table_name(self.table.name.as_ref())
                .set_key(Some(key))
                .consistent_read(self.consistent)
                .send()
                .instrument(span.clone())
        };
        let output = read(previous?)
            .await
            .map_err(|e| from_sdk_read("GetItem", self.pattern, e))?;
        let entity_attribute: &str = &self.table.definition.entity_attribute;
        match output.item {
            // Another entity's item at the old key is not this one.
            Some(item)
                if item
                    .get(entity_attribute)
                    .and_then(|v| v.as_s().ok())
                    .map(String::as_str)
                    == Some(E::NAME) =>
            {
                return Ok(Some(E::from_item(item)?));
            }
            _ => {}
        }
        let output = read(self.key.to_attributes()?)
            .await
            .map_err(|e| from_sdk_read("GetItem", self.pattern, e))?;
        output
            .item
            .map(E::from_item)
            .transpose()
            .map_err(Into::into)
    }
}

impl<'t, E: Entity> IntoFuture for Get<'t, E> {
    type Output = Result<Option<E>>;
    type IntoFuture = BoxFuture<'t, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A `PutItem` request; `.await` it.
#[must_use = "a request does nothing until it is awaited"]
pub struct Put<'a, E> {
    table: &'a Table,
    item: &'a E,
    if_absent: bool,
    condition: Option<Condition<E>>,
    /// Writing a moved item: its version is bumped but not checked at the new key.
    moving: bool,
}

impl<E: Entity> Put<'_, E> {
    /// Writes only if no item has this primary key; otherwise the put fails with
    /// [`Error::ConditionalCheckFailed`](crate::Error::ConditionalCheckFailed) and the stored item is left as it was.
    pub fn if_absent(mut self) -> Self {
        self.if_absent = true;
        self
    }

    /// A put of an item moved to a new primary key (see [`Table::move_item`]).
    pub(crate) fn moving(mut self) -> Self {
        self.moving = true;
        self.if_absent = true;
        self
    }

    /// Writes only if `condition` holds on the stored item (an absent item has no
    /// attributes); otherwise fails with
    /// [`Error::ConditionalCheckFailed`](crate::Error::ConditionalCheckFailed)
    /// carrying the stored item.
    pub fn condition(mut self, condition: Condition<E>) -> Self {
        Condition::and_into(&mut self.condition, condition);
        self
    }

    /// The item to write (version bumped) and its condition, checked.
    pub(crate) fn prepare(self) -> Result<(Item, Option<Rendered>)> {
        // Fails with `Error::Key` for an unencodable key, before anything is sent.
        let mut item = self.item.to_item()?;
        let pk: &str = &self.table.definition.partition_key;
        let mut condition = self.condition;
        let mut and = |c: Condition<E>| Condition::and_into(&mut condition, c);
        if self.if_absent {
            and(Condition::attribute_not_exists(pk));
        }
        // Optimistic locking: version 0 is a new item; version v replaces version v
        // and stores v + 1.
        if let (Some(attribute), Some(version)) = (E::VERSION_ATTRIBUTE, self.item.version()) {
            if !self.moving {
                and(if version == 0 {
                    Condition::attribute_not_exists(pk)
                } else {
                    Condition::attribute_equals(attribute, AttributeValue::N(version.to_string()))
                });
            }
            item.insert(
                attribute.to_owned(),
                AttributeValue::N((version + 1).to_string()),
            );
            item.insert(
                E::WRITE_TOKEN_ATTRIBUTE.to_owned(),
                AttributeValue::S(crate::request::new_token()),
            );
        }
        // Maintained timestamps: `updated_at` is now; `created_at` is now unless the
        // item already says when it was created.
        if E::UPDATED_AT_ATTRIBUTE.is_some() || E::CREATED_AT_ATTRIBUTE.is_some() {
            let now = crate::attribute::now_value();
            if let Some(attribute) = E::UPDATED_AT_ATTRIBUTE {
                item.extend(now.clone().map(|v| (attribute.to_owned(), v)));
            }
            if let Some(attribute) = E::CREATED_AT_ATTRIBUTE
                && !item.contains_key(attribute)
            {
                item.extend(now.map(|v| (attribute.to_owned(), v)));
            }
        }
        crate::limits::check_item::<E>(&item)?;
        let condition = condition.map(|c| Rendered::condition(&c)).transpose()?;
        Ok((item, condition))
    }

    async fn send(self) -> Result<()> {
        let table = self.table;
        if E::REKEYING {
            crate::rekey::move_from_previous(table, &self.item.primary_key()).await?;
        }
        let (item, condition) = self.prepare()?;
        let span = tracing::debug_span!(
            "dynaschema.put",
            table = %table.name,
            entity = E::NAME,
            consumed_capacity = tracing::field::Empty,
        );
        let request = table
            .client
            .put_item()
            .table_name(table.name.as_ref())
            .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total);
        let Some(condition) = condition else {
            // Unconditional: no condition can fail against an earlier attempt of this
            // write, so neither the attempt count nor a copy of the item is needed
            // (together they cost a tenth of a local round trip; BENCHMARKS.md).
            let output = request
                .set_item(Some(item))
                .send()
                .instrument(span.clone())
                .await
                .map_err(|e| from_sdk("PutItem", E::NAME, e))?;
            record_capacity(&span, output.consumed_capacity());
            return Ok(());
        };
        let request = with_condition!(request.set_item(Some(item.clone())), condition);
        let attempts = Attempts::default();
        let result = request
            .customize()
            .interceptor(attempts.clone())
            .send()
            .instrument(span.clone())
            .await;
        match result {
            Ok(output) => {
                record_capacity(&span, output.consumed_capacity());
                Ok(())
            }
            Err(e) => {
                let old = e.as_service_error().and_then(|s| match s {
                    aws_sdk_dynamodb::operation::put_item::PutItemError::ConditionalCheckFailedException(c) => c.item().cloned(),
                    _ => None,
                });
                // A write the SDK retried (after a timeout or a 500) whose earlier
                // attempt landed finds its own item: the write happened, the condition
                // "failed" only against itself.
                let own = |old: &Item| match E::VERSION_ATTRIBUTE {
                    // A versioned write is recognised by its token.
                    Some(_) => {
                        old.get(E::WRITE_TOKEN_ATTRIBUTE) == item.get(E::WRITE_TOKEN_ATTRIBUTE)
                    }
                    None => *old == item,
                };
                if attempts.count() > 1 && old.as_ref().is_some_and(own) {
                    return Ok(());
                }
                Err(crate::error::with_old_item(
                    from_sdk("PutItem", E::NAME, e),
                    old,
                ))
            }
        }
    }
}

impl<'a, E: Entity> IntoFuture for Put<'a, E> {
    type Output = Result<()>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A `DeleteItem` request; `.await` it.
#[must_use = "a request does nothing until it is awaited"]
pub struct Delete<'t, E> {
    table: &'t Table,
    key: Key<E>,
    if_exists: bool,
    condition: Option<Condition<E>>,
    version: Option<u64>,
}

impl<E: Entity> Delete<'_, E> {
    /// Deletes only if an item of this entity exists at the key; otherwise fails with
    /// [`Error::ConditionalCheckFailed`](crate::Error::ConditionalCheckFailed).
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }

    /// Deletes only if `condition` holds on the stored item; otherwise fails with
    /// [`Error::ConditionalCheckFailed`](crate::Error::ConditionalCheckFailed)
    /// carrying it.
    pub fn condition(mut self, condition: Condition<E>) -> Self {
        Condition::and_into(&mut self.condition, condition);
        self
    }

    /// For a versioned entity: deletes only if the stored version is `version`.
    pub fn if_version(mut self, version: u64) -> Self {
        self.version = Some(version);
        self
    }

    /// The key and the condition, checked.
    pub(crate) fn prepare(self) -> Result<(Item, Option<Rendered>)> {
        let key = self.key.to_attributes()?;
        let mut condition = self.condition;
        let mut and = |c: Condition<E>| Condition::and_into(&mut condition, c);
        if self.if_exists {
            and(Condition::attribute_equals(
                &self.table.definition.entity_attribute,
                AttributeValue::S(E::NAME.into()),
            ));
        }
        if let (Some(attribute), Some(version)) = (E::VERSION_ATTRIBUTE, self.version) {
            and(Condition::attribute_equals(
                attribute,
                AttributeValue::N(version.to_string()),
            ));
        }
        let condition = condition.map(|c| Rendered::condition(&c)).transpose()?;
        Ok((key, condition))
    }

    async fn send(self) -> Result<()> {
        let table = self.table;
        crate::rekey::move_from_previous(table, &self.key).await?;
        let (key, condition) = self.prepare()?;
        let has_condition = condition.is_some();
        let mut request = table
            .client
            .delete_item()
            .table_name(table.name.as_ref())
            .set_key(Some(key));
        if let Some(condition) = condition {
            request = with_condition!(request, condition);
        }
        let span = tracing::debug_span!(
            "dynaschema.delete",
            table = %table.name,
            entity = E::NAME,
            consumed_capacity = tracing::field::Empty,
        );
        let attempts = Attempts::default();
        let result = request
            .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total)
            .customize()
            .interceptor(attempts.clone())
            .send()
            .instrument(span.clone())
            .await;
        match result {
            Ok(output) => {
                record_capacity(&span, output.consumed_capacity());
                Ok(())
            }
            Err(e) => {
                let old = e.as_service_error().and_then(|s| match s {
                    aws_sdk_dynamodb::operation::delete_item::DeleteItemError::ConditionalCheckFailedException(c) => c.item().cloned(),
                    _ => None,
                });
                let condition_failed = e.code() == Some("ConditionalCheckFailedException");
                // A conditioned delete the SDK retried that finds no item: its earlier
                // attempt deleted it.
                if condition_failed && attempts.count() > 1 && old.is_none() && has_condition {
                    return Ok(());
                }
                Err(crate::error::with_old_item(
                    from_sdk("DeleteItem", E::NAME, e),
                    old,
                ))
            }
        }
    }
}

impl<'t, E: Entity> IntoFuture for Delete<'t, E> {
    type Output = Result<()>;
    type IntoFuture = BoxFuture<'t, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
