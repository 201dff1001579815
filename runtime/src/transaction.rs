//! [`Transaction`]: `TransactWriteItems` across entity types, all or nothing.
//!
//! ```no_run
//! # use dynaschema::Entity;
//! # #[derive(Entity, Clone, Debug, PartialEq)]
//! # #[entity(schema = "../tests/dynaschema.toml")]
//! # pub struct Account { pub account_id: String, pub owner: String, pub balance: i64, #[entity(version)] pub version: u64 }
//! # async fn demo(table: &dynaschema::Table) -> dynaschema::Result<()> {
//! // Move 10 from one account to another: both or neither.
//! let f = Account::fields();
//! table
//!     .transaction()
//!     .update(Account::key("alice"), |u| {
//!         u.add(&f.balance, &-10).condition(f.balance.ge(&10))
//!     })
//!     .update(Account::key("bob"), |u| u.add(&f.balance, &10))
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! Checked before sending: at most 100 actions, at most 4 MB, no two actions on one
//! item, every item and expression within DynamoDB's limits. One
//! `ClientRequestToken` is set per transaction, so the SDK's retries of it are
//! idempotent. A cancelled transaction is [`Error::TransactionCanceled`] with one
//! [`CancelReason`] per action, in the order the actions were added.

use std::future::IntoFuture;

use aws_sdk_dynamodb::types::{
    ConditionCheck, Delete as SdkDelete, Put as SdkPut, ReturnValuesOnConditionCheckFailure,
    TransactWriteItem, Update as SdkUpdate,
};
use tracing::Instrument as _;

use crate::attribute::Item;
use crate::entity::Entity;
use crate::error::{
    CancelCode, CancelReason, Error, LimitError, Result, TransactionError, from_sdk,
};
use crate::expr::Condition;
use crate::item::{Delete, Put};
use crate::key::Key;
use crate::limits::{MAX_TRANSACTION_ACTIONS, MAX_TRANSACTION_BYTES, item_size};
use crate::request::{BoxFuture, Rendered, new_token, with_condition};
use crate::table::Table;
use crate::update::Update;

/// One action, ready to send.
struct Action {
    entity: &'static str,
    key: Item,
    size: usize,
    item: TransactWriteItem,
}

/// A write transaction; `.await` it. Built by [`Table::transaction`].
#[must_use = "a transaction does nothing until it is awaited"]
pub struct Transaction<'t> {
    table: &'t Table,
    actions: Vec<Action>,
    error: Option<Error>,
    token: Option<String>,
}

impl<'t> Transaction<'t> {
    pub(crate) fn new(table: &'t Table) -> Self {
        Self {
            table,
            actions: Vec::new(),
            error: None,
            token: None,
        }
    }

    fn push(mut self, action: Result<Action>) -> Self {
        match action {
            Ok(a) => self.actions.push(a),
            Err(e) if self.error.is_none() => self.error = Some(e),
            Err(_) => {}
        }
        self
    }

    fn key_of(&self, item: &Item) -> Item {
        let definition = self.table.definition();
        definition
            .key_attributes()
            .filter_map(|k| item.get(k).map(|v| (k.to_owned(), v.clone())))
            .collect()
    }

    /// Puts `item` (checking its version if the entity is versioned).
    pub fn put<E: Entity>(self, item: &E) -> Self {
        self.put_with(item, |p| p)
    }

    /// Puts `item` with the options of [`Put`]: `|p| p.if_absent()`,
    /// `|p| p.condition(..)`.
    pub fn put_with<E: Entity>(
        self,
        item: &E,
        options: impl for<'a> FnOnce(Put<'a, E>) -> Put<'a, E>,
    ) -> Self {
        let action = options(self.table.put(item))
            .prepare()
            .and_then(|(item, condition)| {
                let size = item_size(&item) + condition.as_ref().map_or(0, rendered_size);
                let mut put = SdkPut::builder()
                    .table_name(self.table.name())
                    .set_item(Some(item.clone()));
                if let Some(c) = condition {
                    put = with_condition!(put, c);
                }
                Ok(Action {
                    entity: E::NAME,
                    key: self.key_of(&item),
                    size,
                    item: TransactWriteItem::builder()
                        .put(put.build().map_err(build_error)?)
                        .build(),
                })
            });
        self.push(action)
    }

    /// Updates the item at `key` with the actions and conditions of [`Update`].
    pub fn update<E: Entity>(
        self,
        key: Key<E>,
        actions: impl for<'a> FnOnce(Update<'a, E>) -> Update<'a, E>,
    ) -> Self {
        let attributes = key.to_attributes();
        let action = actions(self.table.update(key))
            .to_expressions()
            .and_then(|e| {
                let key = attributes?;
                let size = item_size(&key)
                    + e.update.len()
                    + e.condition.len()
                    + e.names
                        .iter()
                        .map(|(p, n)| p.len() + n.len())
                        .sum::<usize>()
                    + e.values
                        .iter()
                        .map(|(p, v)| p.len() + crate::limits::value_size(v))
                        .sum::<usize>();
                let update = SdkUpdate::builder()
                    .table_name(self.table.name())
                    .set_key(Some(key.clone()))
                    .update_expression(e.update)
                    .condition_expression(e.condition)
                    .set_expression_attribute_names(Some(e.names.into_iter().collect()))
                    .set_expression_attribute_values(Some(e.values.into_iter().collect()))
                    .return_values_on_condition_check_failure(
                        ReturnValuesOnConditionCheckFailure::AllOld,
                    )
                    .build()
                    .map_err(build_error)?;
                Ok(Action {
                    entity: E::NAME,
                    key,
                    size,
                    item: TransactWriteItem::builder().update(update).build(),
                })
            });
        self.push(action)
    }

    /// Deletes the item at `key`.
    pub fn delete<E: Entity>(self, key: Key<E>) -> Self {
        self.delete_with(key, |d| d)
    }

    /// Deletes the item at `key` with the options of [`Delete`]: `|d| d.if_exists()`,
    /// `|d| d.if_version(3)`, `|d| d.condition(..)`.
    pub fn delete_with<E: Entity>(
        self,
        key: Key<E>,
        options: impl for<'a> FnOnce(Delete<'a, E>) -> Delete<'a, E>,
    ) -> Self {
        let action = options(self.table.delete(key))
            .prepare()
            .and_then(|(key, condition)| {
                let size = item_size(&key) + condition.as_ref().map_or(0, rendered_size);
                let mut delete = SdkDelete::builder()
                    .table_name(self.table.name())
                    .set_key(Some(key.clone()));
                if let Some(c) = condition {
                    delete = with_condition!(delete, c);
                }
                Ok(Action {
                    entity: E::NAME,
                    key,
                    size,
                    item: TransactWriteItem::builder()
                        .delete(delete.build().map_err(build_error)?)
                        .build(),
                })
            });
        self.push(action)
    }

    /// Requires `condition` of the item at `key` without writing it.
    pub fn check<E: Entity>(self, key: Key<E>, condition: Condition<E>) -> Self {
        let action = key.to_attributes().map_err(Error::from).and_then(|key| {
            let c = Rendered::condition(&condition)?;
            let size = item_size(&key) + rendered_size(&c);
            let check = ConditionCheck::builder()
                .table_name(self.table.name())
                .set_key(Some(key.clone()));
            let check = with_condition!(check, c).build().map_err(build_error)?;
            Ok(Action {
                entity: E::NAME,
                key,
                size,
                item: TransactWriteItem::builder().condition_check(check).build(),
            })
        });
        self.push(action)
    }

    /// The idempotency token (`ClientRequestToken`, at most 36 characters): the same
    /// token within 10 minutes makes DynamoDB apply the transaction once. One is
    /// generated per transaction when none is given.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Checks the transaction as a whole against DynamoDB's rules.
    fn check_limits(&self) -> Result<()> {
        let entity = self.actions.first().map_or("transaction", |a| a.entity);
        if self.actions.is_empty() {
            return Err(TransactionError::Empty.into());
        }
        if self.actions.len() > MAX_TRANSACTION_ACTIONS {
            return Err(LimitError {
                entity,
                what: "the transaction".into(),
                size: self.actions.len(),
                limit: MAX_TRANSACTION_ACTIONS,
                unit: "actions",
            }
            .into());
        }
        let size: usize = self.actions.iter().map(|a| a.size).sum();
        if size > MAX_TRANSACTION_BYTES {
            return Err(LimitError {
                entity,
                what: "the transaction".into(),
                size,
                limit: MAX_TRANSACTION_BYTES,
                unit: "bytes",
            }
            .into());
        }
        for (i, a) in self.actions.iter().enumerate() {
            if let Some(j) = self.actions[i + 1..].iter().position(|b| b.key == a.key) {
                return Err(TransactionError::SameItem {
                    entity: a.entity,
                    first: i,
                    second: i + 1 + j,
                }
                .into());
            }
        }
        Ok(())
    }

    async fn send(mut self) -> Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.check_limits()?;
        let entities: Vec<&'static str> = self.actions.iter().map(|a| a.entity).collect();
        let token = self.token.take().unwrap_or_else(new_token);
        let items: Vec<TransactWriteItem> = self.actions.into_iter().map(|a| a.item).collect();
        self.table
            .client()
            .transact_write_items()
            .set_transact_items(Some(items))
            .client_request_token(token)
            .send()
            .instrument(tracing::debug_span!(
                "dynaschema.transaction",
                table = %self.table.name(),
                actions = entities.len(),
            ))
            .await
            .map_err(|e| {
                use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
                let reasons = match e.as_service_error() {
                    Some(TransactWriteItemsError::TransactionCanceledException(c)) => Some(
                        c.cancellation_reasons()
                            .iter()
                            .enumerate()
                            .map(|(position, r)| CancelReason {
                                position,
                                entity: entities.get(position).copied().unwrap_or("?"),
                                code: CancelCode::from_code(r.code().unwrap_or("None")),
                                message: r.message().map(str::to_owned),
                                old: r.item().cloned().map(Box::new),
                            })
                            .collect(),
                    ),
                    _ => None,
                };
                match reasons {
                    Some(reasons) => Error::TransactionCanceled { reasons },
                    None => from_sdk("TransactWriteItems", entities[0], e),
                }
            })?;
        Ok(())
    }
}

fn rendered_size(c: &Rendered) -> usize {
    c.text.len()
        + c.names
            .iter()
            .map(|(p, n)| p.len() + n.len())
            .sum::<usize>()
        + c.values
            .iter()
            .map(|(p, v)| p.len() + crate::limits::value_size(v))
            .sum::<usize>()
}

fn build_error(e: aws_sdk_dynamodb::error::BuildError) -> Error {
    Error::Transaction(TransactionError::Build(e.to_string()))
}

impl<'t> IntoFuture for Transaction<'t> {
    type Output = Result<()>;
    type IntoFuture = BoxFuture<'t, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Table {
    /// Moves an item to a new primary key: one transaction deleting the item at
    /// `from` (it must exist as an `E`, at `item`'s version for a versioned entity) and
    /// putting `item` where no item is yet. This is how a primary key field changes:
    /// [`update`](Self::update) refuses it.
    ///
    /// ```no_run
    /// # use dynaschema::Entity;
    /// # #[derive(Entity, Clone, Debug, PartialEq)]
    /// # #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
    /// # pub struct User { pub user_id: String, pub email: String, pub name: String }
    /// # async fn demo(table: &dynaschema::Table, mut user: User) -> dynaschema::Result<()> {
    /// let old_key = user.primary_key();
    /// user.user_id = "u-renamed".into();
    /// table.move_item(old_key, &user).await?;
    /// # Ok(()) }
    /// ```
    pub fn move_item<'a, E: Entity>(
        &'a self,
        from: Key<E>,
        item: &'a E,
    ) -> crate::transaction::Transaction<'a> {
        let version = item.version();
        self.transaction()
            .delete_with(from, move |d| match version {
                Some(v) => d.if_exists().if_version(v),
                None => d.if_exists(),
            })
            .put_with(item, |p| p.moving())
    }

    /// A write transaction across entity types: see [`Transaction`].
    pub fn transaction(&self) -> crate::transaction::Transaction<'_> {
        crate::transaction::Transaction::new(self)
    }
}
