//! [`Update`]: `UpdateItem` with typed paths, keeping derived key attributes in step.

use std::future::IntoFuture;

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, ReturnValuesOnConditionCheckFailure};
use tracing::Instrument as _;

use crate::attribute::{Attribute, Item};
use crate::entity::Entity;
use crate::error::{EncodeError, Error, Result, UpdateError, from_sdk};
use crate::expr::{
    Action, Actions, AttributeSet, Condition, Numeric, Operand, Path, Placeholders, RawPathPublic,
};
use crate::key::Key;
use crate::request::BoxFuture;
use crate::table::Table;

/// An `UpdateItem` of an existing item of `E`; `.await` it for the item as updated.
///
/// Build it with [`Table::update`] and the entity's typed paths (`E::fields()`):
///
/// ```no_run
/// # use dynaschema::Entity;
/// # #[derive(Entity, Clone, Debug, PartialEq)]
/// # #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
/// # pub struct Product { pub product_id: String, pub category: String, pub name: String, pub price_cents: u64 }
/// # async fn demo(table: &dynaschema::Table) -> dynaschema::Result<()> {
/// let f = Product::fields();
/// let product = table
///     .update(Product::key("p1"))
///     .set(&f.name, "Kettle, steel")
///     .increment(&f.price_cents, &100)
///     .condition(f.price_cents.lt(&10_000))
///     .await?;
/// # Ok(()) }
/// ```
///
/// The item must exist and be an `E` (the update is conditioned on it). Setting a
/// field that an index key is built from rewrites that key's attributes too (every
/// field of the key must then be set: the new key is computed before sending).
/// Setting a primary key field moves the item, which is a read and a transaction
/// rather than one `UpdateItem`: it is refused with [`UpdateError::MovesItem`] unless
/// the update says [`moving`](Self::moving).
#[must_use = "a request does nothing until it is awaited"]
pub struct Update<'t, E> {
    table: &'t Table,
    key: Key<E>,
    actions: Actions,
    condition: Option<Condition<E>>,
    version: Option<u64>,
    /// The write token a versioned update stores, to recognise its own retried write.
    write_token: Option<AttributeValue>,
    /// The caller allows a primary key change (a move).
    moving: bool,
}

impl<'t, E: Entity> Update<'t, E> {
    pub(crate) fn new(table: &'t Table, key: Key<E>) -> Self {
        Self {
            table,
            key,
            actions: Actions::default(),
            condition: None,
            version: None,
            write_token: None,
            moving: false,
        }
    }

    /// Allows the update to set fields of the primary key: the item then moves. It is
    /// read (consistently), the actions are applied to it, and one transaction
    /// deletes it at its key (if unchanged since the read and the update's condition
    /// holds) and puts the result at its new key (where no item may be yet).
    /// Without `moving`, such an update is refused before anything is sent.
    ///
    /// ```no_run
    /// # use dynaschema::Entity;
    /// # #[derive(Entity, Clone, Debug, PartialEq)]
    /// # #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
    /// # pub struct User { pub user_id: String, pub email: String, pub name: String }
    /// # async fn demo(table: &dynaschema::Table) -> dynaschema::Result<()> {
    /// let f = User::fields();
    /// let renamed = table
    ///     .update(User::key("u-old"))
    ///     .set(&f.user_id, "u-new")
    ///     .moving()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn moving(mut self) -> Self {
        self.moving = true;
        self
    }

    /// `SET path = value`. Setting an `Option` field to `None` removes it.
    pub fn set<T: Attribute, V: Operand<T> + ?Sized>(
        mut self,
        path: &Path<E, T>,
        value: &V,
    ) -> Self {
        self.actions.push(path, |p| {
            let stored = value
                .stored()
                .map_err(|reason| EncodeError::new(E::NAME, &p.display(), reason))?;
            Ok(match stored {
                Some(v) => Action::Set(p, v),
                None => Action::Remove(p),
            })
        });
        self
    }

    /// `SET path = if_not_exists(path, value)`: sets the value only where there is none.
    pub fn set_if_absent<T: Attribute, V: Operand<T> + ?Sized>(
        mut self,
        path: &Path<E, T>,
        value: &V,
    ) -> Self {
        self.actions.push(path, |p| {
            let v = value
                .operand()
                .map_err(|reason| EncodeError::new(E::NAME, &p.display(), reason))?;
            Ok(Action::SetIfNotExists(p, v))
        });
        self
    }

    /// `REMOVE path` of an optional field.
    pub fn remove<T>(mut self, path: &Path<E, Option<T>>) -> Self {
        self.actions.push(path, |p| Ok(Action::Remove(p)));
        self
    }

    /// `ADD path value`: adds to a number, starting from 0 when it is absent. An
    /// integer result that would not fit the field's type fails the update's
    /// condition instead of storing an item that cannot be read back.
    pub fn add<T: Numeric>(mut self, path: &Path<E, T>, value: &T) -> Self {
        self.fits(path, T::add_bound(value, false), true);
        self.actions.push(path, |p| {
            Ok(Action::Add(p, crate::expr::encode(path, value)?))
        });
        self
    }

    /// `SET path = path + value` (the number must exist); guarded like [`add`](Self::add).
    pub fn increment<T: Numeric>(mut self, path: &Path<E, T>, value: &T) -> Self {
        self.fits(path, T::add_bound(value, false), false);
        self.actions.push(path, |p| {
            Ok(Action::Arithmetic(
                p,
                "+",
                crate::expr::encode(path, value)?,
            ))
        });
        self
    }

    /// `SET path = path - value` (the number must exist); guarded like [`add`](Self::add).
    pub fn decrement<T: Numeric>(mut self, path: &Path<E, T>, value: &T) -> Self {
        self.fits(path, T::add_bound(value, true), false);
        self.actions.push(path, |p| {
            Ok(Action::Arithmetic(
                p,
                "-",
                crate::expr::encode(path, value)?,
            ))
        });
        self
    }

    /// Conditions the update on an arithmetic result fitting the field's type.
    fn fits<T: ?Sized>(
        &mut self,
        path: &Path<E, T>,
        bound: Option<(&'static str, AttributeValue)>,
        or_absent: bool,
    ) {
        if let Some((op, value)) = bound {
            let path = RawPathPublic::from_path(path);
            Condition::and_into(
                &mut self.condition,
                Condition::bound(&path, op, value, or_absent),
            );
        }
    }

    /// `ADD path members`: adds members to a set (an empty set adds nothing).
    pub fn add_to_set<T: AttributeSet>(mut self, path: &Path<E, T>, members: &T) -> Self {
        if let Ok(None) = members.encode() {
            return self;
        }
        self.actions.push(path, |p| {
            Ok(Action::Add(p, crate::expr::encode(path, members)?))
        });
        self
    }

    /// `DELETE path members`: removes members from a set.
    pub fn remove_from_set<T: AttributeSet>(mut self, path: &Path<E, T>, members: &T) -> Self {
        if let Ok(None) = members.encode() {
            return self;
        }
        self.actions.push(path, |p| {
            Ok(Action::Delete(p, crate::expr::encode(path, members)?))
        });
        self
    }

    /// `SET path = list_append(path, items)`: appends to a list (creating it).
    pub fn append<T: Attribute>(mut self, path: &Path<E, Vec<T>>, items: &[T]) -> Self {
        self.actions.push(path, |p| {
            let list = encode_list::<E, T>(&p, items)?;
            Ok(Action::Append(p, list, false))
        });
        self
    }

    /// `SET path = list_append(items, path)`: prepends to a list (creating it).
    pub fn prepend<T: Attribute>(mut self, path: &Path<E, Vec<T>>, items: &[T]) -> Self {
        self.actions.push(path, |p| {
            let list = encode_list::<E, T>(&p, items)?;
            Ok(Action::Append(p, list, true))
        });
        self
    }

    /// Updates only if `condition` holds as well; otherwise fails with
    /// [`Error::ConditionalCheckFailed`] carrying the stored item.
    pub fn condition(mut self, condition: Condition<E>) -> Self {
        Condition::and_into(&mut self.condition, condition);
        self
    }

    /// For a versioned entity (`#[entity(version)]`): updates only if the stored
    /// version is `version`. Every update of a versioned entity bumps the version.
    pub fn if_version(mut self, version: u64) -> Self {
        self.version = Some(version);
        self
    }

    /// Checks the actions against the entity's keys and version, and adds the actions
    /// that keep derived key attributes in step.
    /// The error of an update that would move the item without [`moving`](Self::moving).
    fn refuse_move(&self) -> UpdateError {
        let field = self
            .actions
            .actions
            .iter()
            .map(|a| a.path().attribute())
            .find(|a| E::PRIMARY_KEY_FIELDS.contains(a))
            .unwrap_or_default();
        UpdateError::MovesItem {
            entity: E::NAME,
            field: field.to_owned(),
        }
    }

    /// Whether an action sets a field of the primary key: the update moves the item.
    fn moves(&self) -> bool {
        self.actions
            .actions
            .iter()
            .any(|a| E::PRIMARY_KEY_FIELDS.contains(&a.path().attribute()))
    }

    /// An update that changes the primary key: the item is read (consistently), the
    /// actions are applied to it in memory, and one transaction deletes it at its key
    /// (conditioned on it being unchanged since the read, and on the update's own
    /// condition) and puts the result at its new key (where nothing may be yet).
    async fn send_move(mut self) -> Result<E> {
        if let Some(e) = self.actions.error.take() {
            return Err(e.into());
        }
        let table = self.table;
        for action in &self.actions.actions {
            let attribute = action.path().attribute();
            refuse_version_field::<E>(attribute)?;
            if E::PRIMARY_KEY_FIELDS.contains(&attribute)
                && !matches!(action, Action::Set(p, _) if p.is_attribute())
            {
                return Err(UpdateError::KeyFieldNotSet {
                    entity: E::NAME,
                    field: action.path().display(),
                }
                .into());
            }
        }
        let key = self.key.to_attributes()?;
        let stored = table
            .client()
            .get_item()
            .table_name(table.name())
            .set_key(Some(key.clone()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| from_sdk("GetItem", E::NAME, e))?
            .item
            .filter(|i| {
                i.get(&*table.definition().entity_attribute)
                    .and_then(|v| v.as_s().ok())
                    == Some(&E::NAME.to_owned())
            });
        let Some(stored) = stored else {
            return Err(Error::ConditionalCheckFailed {
                entity: E::NAME,
                operation: "UpdateItem",
                old: None,
            });
        };
        let mut moved = stored.clone();
        for action in &self.actions.actions {
            crate::expr::apply(&mut moved, action).map_err(|reason| {
                Error::Update(UpdateError::Unsupported {
                    entity: E::NAME,
                    reason,
                })
            })?;
        }
        let item = E::from_item(moved)?;
        let new_key = item.primary_key();
        let version = E::VERSION_ATTRIBUTE
            .and_then(|a| stored.get(a))
            .and_then(|v| v.as_n().ok())
            .and_then(|n| n.parse::<u64>().ok());
        if let (Some(expected), Some(current)) = (self.version, version)
            && expected != current
        {
            return Err(Error::ConditionalCheckFailed {
                entity: E::NAME,
                operation: "UpdateItem",
                old: Some(Box::new(stored)),
            });
        }
        // The old item as read: its version, or every attribute, must be unchanged.
        let mut unchanged: Option<Condition<E>> = None;
        let mut check = |c: Condition<E>| Condition::and_into(&mut unchanged, c);
        match (E::VERSION_ATTRIBUTE, version) {
            (Some(attribute), Some(v)) => check(Condition::attribute_equals(
                attribute,
                AttributeValue::N(v.to_string()),
            )),
            _ => {
                for (name, value) in &stored {
                    check(Condition::named_equals(name.clone(), value.clone()));
                }
            }
        }
        let user = self.condition.take();
        table
            .transaction()
            .delete_with(self.key, move |d| {
                let d = match unchanged {
                    Some(c) => d.condition(c),
                    None => d,
                };
                match user {
                    Some(c) => d.condition(c),
                    None => d,
                }
            })
            .put_with(&item, |p| p.moving())
            .await
            .map_err(|e| match e {
                Error::TransactionCanceled { reasons }
                    if reasons.first().is_some_and(|r| r.is_condition_failed()) =>
                {
                    Error::ConditionalCheckFailed {
                        entity: E::NAME,
                        operation: "UpdateItem",
                        old: reasons[0].old.clone(),
                    }
                }
                other => other,
            })?;
        table
            .get(new_key)
            .consistent()
            .await?
            .ok_or(Error::ConditionalCheckFailed {
                entity: E::NAME,
                operation: "UpdateItem",
                old: None,
            })
    }

    fn complete_actions(&mut self) -> Result<()> {
        if let Some(e) = self.actions.error.take() {
            return Err(e.into());
        }
        if self.actions.actions.is_empty() {
            return Err(UpdateError::Empty { entity: E::NAME }.into());
        }
        let actions = &self.actions.actions;
        for (i, a) in actions.iter().enumerate() {
            if let Some(b) = actions[i + 1..]
                .iter()
                .find(|b| a.path().overlaps(b.path()))
            {
                return Err(UpdateError::OverlappingPaths {
                    entity: E::NAME,
                    first: a.path().display(),
                    second: b.path().display(),
                }
                .into());
            }
        }
        let mut values = Item::new();
        let mut removed: Vec<&'static str> = Vec::new();
        for action in &self.actions.actions {
            let path = action.path();
            let attribute = path.attribute();
            refuse_version_field::<E>(attribute)?;
            if E::PRIMARY_KEY_FIELDS.contains(&attribute) {
                return Err(UpdateError::PrimaryKeyField {
                    entity: E::NAME,
                    field: attribute.to_owned(),
                }
                .into());
            }
            if E::INDEX_KEY_FIELDS.contains(&attribute) {
                match action {
                    Action::Set(p, v) if p.is_attribute() => {
                        values.insert(attribute.to_owned(), v.clone());
                    }
                    Action::Remove(p) if p.is_attribute() => removed.push(attribute),
                    _ => {
                        return Err(UpdateError::KeyFieldNotSet {
                            entity: E::NAME,
                            field: path.display(),
                        }
                        .into());
                    }
                }
            }
        }
        let key = self.key.to_attributes()?;
        for (attribute, value) in E::index_keys_for_update(&key, &values, &removed)? {
            let path = RawPathPublic::top(attribute);
            self.actions.actions.push(match value {
                Some(v) => Action::Set(path, v),
                None => Action::Remove(path),
            });
        }
        let touched: Vec<&'static str> = self
            .actions
            .actions
            .iter()
            .map(|a| a.path().attribute())
            .collect();
        if let Some(now) = crate::attribute::now_value() {
            if let Some(attribute) = E::UPDATED_AT_ATTRIBUTE.filter(|a| !touched.contains(a)) {
                let action = Action::Set(RawPathPublic::top(attribute), now.clone());
                self.actions.actions.push(action);
            }
            if let Some(attribute) = E::CREATED_AT_ATTRIBUTE.filter(|a| !touched.contains(a)) {
                let action = Action::SetIfNotExists(RawPathPublic::top(attribute), now);
                self.actions.actions.push(action);
            }
        }
        if let Some(attribute) = E::VERSION_ATTRIBUTE {
            self.actions.actions.push(Action::Add(
                RawPathPublic::top(attribute),
                AttributeValue::N("1".into()),
            ));
            let token = AttributeValue::S(crate::request::new_token());
            self.write_token = Some(token.clone());
            self.actions.actions.push(Action::Set(
                RawPathPublic::top(E::WRITE_TOKEN_ATTRIBUTE),
                token,
            ));
        }
        Ok(())
    }

    /// The request as it would be sent, without sending it: the update and condition
    /// expressions with their placeholders, after every check (for logging, tests and
    /// transactions).
    pub fn to_expressions(mut self) -> Result<Expressions> {
        self.complete_actions()?;
        let definition = self.table.definition();
        // The item exists and is an `E`: an update never creates a partial item.
        let mut condition = Condition::<E>::attribute_equals(
            &definition.entity_attribute,
            AttributeValue::S(E::NAME.to_owned()),
        );
        if let (Some(attribute), Some(version)) = (E::VERSION_ATTRIBUTE, self.version) {
            condition = condition.and(Condition::attribute_equals(
                attribute,
                AttributeValue::N(version.to_string()),
            ));
        }
        if let Some(user) = self.condition.take() {
            condition = condition.and(user);
        }
        let mut placeholders = Placeholders::default();
        let update = self.actions.render(&mut placeholders);
        let condition = condition.render_into(&mut placeholders)?;
        crate::limits::check_expression::<E>("the update expression", &update)?;
        crate::limits::check_expression::<E>("the condition expression", &condition)?;
        let (names, values) = placeholders.into_parts();
        Ok(Expressions {
            update,
            condition,
            names,
            values,
            write_token: self.write_token,
        })
    }

    async fn send(self) -> Result<E> {
        crate::rekey::move_from_previous(self.table, &self.key).await?;
        if self.moves() {
            if !self.moving {
                return Err(self.refuse_move().into());
            }
            return self.send_move().await;
        }
        let key = self.key.to_attributes()?;
        let table = self.table;
        let Expressions {
            update,
            condition,
            names,
            values,
            write_token,
        } = self.to_expressions()?;
        let span = tracing::debug_span!(
            "dynaschema.update",
            table = %table.name(),
            entity = E::NAME,
            consumed_capacity = tracing::field::Empty,
        );
        let attempts = crate::request::Attempts::default();
        let output = table
            .client()
            .update_item()
            .table_name(table.name())
            .set_key(Some(key))
            .update_expression(update)
            .condition_expression(condition)
            .set_expression_attribute_names(Some(names.into_iter().collect()))
            .set_expression_attribute_values(Some(values.into_iter().collect()))
            .return_values(ReturnValue::AllNew)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total)
            .customize()
            .interceptor(attempts.clone())
            .send()
            .instrument(span.clone())
            .await;
        let output = match output {
            Ok(output) => output,
            Err(e) => {
                let old = e.as_service_error().and_then(|s| match s {
                    aws_sdk_dynamodb::operation::update_item::UpdateItemError::ConditionalCheckFailedException(c) => c.item().cloned(),
                    _ => None,
                });
                // A versioned update the SDK retried whose earlier attempt landed finds
                // its own write token: the update happened; the stored item is its result.
                if let (Some(old), Some(token)) = (&old, &write_token)
                    && attempts.count() > 1
                    && old.get(E::WRITE_TOKEN_ATTRIBUTE) == Some(token)
                {
                    return Ok(E::from_item(old.clone())?);
                }
                return Err(crate::error::with_old_item(
                    from_sdk("UpdateItem", E::NAME, e),
                    old,
                ));
            }
        };
        crate::request::record_capacity(&span, output.consumed_capacity());
        Ok(E::from_item(output.attributes.unwrap_or_default())?)
    }
}

/// An update's expressions as sent: see [`Update::to_expressions`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Expressions {
    /// The `UpdateExpression`.
    pub update: String,
    /// The `ConditionExpression`.
    pub condition: String,
    /// `ExpressionAttributeNames`.
    pub names: Vec<(String, String)>,
    /// `ExpressionAttributeValues`.
    pub values: Vec<(String, AttributeValue)>,
    write_token: Option<AttributeValue>,
}

/// The version attribute is dynaschema's to write: an action on it is refused.
fn refuse_version_field<E: Entity>(attribute: &str) -> Result<()> {
    if Some(attribute) == E::VERSION_ATTRIBUTE {
        return Err(UpdateError::VersionField {
            entity: E::NAME,
            field: attribute.to_owned(),
        }
        .into());
    }
    Ok(())
}

fn encode_list<E: Entity, T: Attribute>(
    path: &RawPathPublic,
    items: &[T],
) -> std::result::Result<AttributeValue, EncodeError> {
    let mut list = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let value = item.encode().map_err(|reason| {
            EncodeError::new(E::NAME, &format!("{}[{i}]", path.display()), reason)
        })?;
        list.push(value.unwrap_or(AttributeValue::Null(true)));
    }
    Ok(AttributeValue::L(list))
}

impl<'t, E: Entity> IntoFuture for Update<'t, E> {
    type Output = Result<E>;
    type IntoFuture = BoxFuture<'t, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Error {
    /// Whether this is a failed condition.
    pub fn is_condition_failed(&self) -> bool {
        matches!(self, Error::ConditionalCheckFailed { .. })
    }
}

impl Table {
    /// Updates the item of `E` at `key` with typed actions (see [`Update`]);
    /// `.await` it for the item as stored after the update.
    pub fn update<E: Entity>(&self, key: Key<E>) -> crate::update::Update<'_, E> {
        crate::update::Update::new(self, key)
    }
}
