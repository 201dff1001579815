//! The [`Entity`] trait: a Rust struct stored as one kind of item in a single table.

use crate::attribute::Item;
use crate::error::DecodeError;
use crate::key::Key;

/// A struct stored as items of one entity type of the schema.
///
/// Implemented by `#[derive(Entity)]`, which reads the schema file and generates the
/// item conversion, the derived key attributes of every index the entity takes part
/// in, the discriminator, and typed key functions (`User::key(..)`).
///
/// ```
/// use dynaschema::{Entity, Attribute};
///
/// // `dynaschema.toml` next to this crate's Cargo.toml declares `[entities.User]`.
/// # /*
/// #[derive(Entity, Clone, Debug, PartialEq)]
/// # */
/// # #[derive(Entity, Clone, Debug, PartialEq)]
/// # #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
/// pub struct User {
///     pub user_id: String,
///     pub email: String,
///     pub name: String,
/// }
///
/// let user = User { user_id: "u1".into(), email: "a@example.com".into(), name: "Ada".into() };
/// let item = user.to_item().unwrap();
/// assert_eq!(item["pk"].as_s().unwrap(), "USER#u1");
/// assert_eq!(item["_et"].as_s().unwrap(), "User");
/// assert_eq!(User::from_item(item).unwrap(), user);
/// assert_eq!(user.primary_key(), User::key("u1"));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an entity: it does not derive `dynaschema::Entity`",
    label = "the schema declares this entity",
    note = "add `#[derive(dynaschema::Entity)]` to the struct (next to `include_schema!`, or where `Builder::entity_path` says)"
)]
pub trait Entity: EntityMeta + Sized + Send + Sync + 'static {
    /// The entity's name in the schema, stored in the discriminator attribute.
    const NAME: &'static str;

    /// The full item: fields, derived key attributes of every index whose template
    /// can be filled, and the discriminator. Fails with [`Error::Encode`](crate::Error::Encode)
    /// or [`Error::Key`](crate::Error::Key) when a value cannot be stored.
    fn to_item(&self) -> crate::Result<Item>;

    /// Reads an item. Fails if the item's discriminator names another entity, so an
    /// item is never decoded as the wrong type. An item stored at an older
    /// `schema_version` goes through the entity's upgrade first
    /// (`#[entity(upgrade = path)]`); one of a newer version is a
    /// [`NewerSchemaVersion`](crate::error::AttributeError::NewerSchemaVersion) error.
    fn from_item(item: Item) -> Result<Self, DecodeError>;

    /// This item's primary key.
    fn primary_key(&self) -> Key<Self>;

    /// The item's version, for a versioned entity (`#[entity(version)]`).
    fn version(&self) -> Option<u64> {
        None
    }

    /// The schema version this struct writes on every item (`schema_version` of the
    /// entity in the schema), if it declares one.
    const SCHEMA_VERSION: Option<u32> = None;

    /// The schema version stored on `item`, if any.
    ///
    /// ```
    /// # use dynaschema::{Entity, Item};
    /// # fn is_old<E: Entity>(item: &Item) -> bool {
    /// matches!(E::stored_schema_version(item), Some(v) if Some(v) < E::SCHEMA_VERSION)
    /// # }
    /// ```
    fn stored_schema_version(item: &Item) -> Option<u32> {
        let _ = item;
        None
    }
}

/// What the runtime reads of an entity beyond its conversions: its key fields,
/// maintained attributes and upgrade. Implemented by `#[derive(Entity)]` next to
/// [`Entity`]; not for applications to implement or call.
#[doc(hidden)]
pub trait EntityMeta {
    /// Attribute names of the fields the primary key is built from.
    const PRIMARY_KEY_FIELDS: &'static [&'static str] = &[];

    /// Attribute names of the fields secondary index keys are built from.
    const INDEX_KEY_FIELDS: &'static [&'static str] = &[];

    /// Whether the schema declares a `previous_primary` for the entity (a re-key is
    /// under way): every write by key first moves the item from its previous key.
    const REKEYING: bool = false;

    /// The version attribute of an entity with `#[entity(version)]`: checked and bumped
    /// by every write.
    const VERSION_ATTRIBUTE: Option<&'static str> = None;

    /// The attribute of the field set when the item is first written
    /// (`#[entity(created_at)]`).
    const CREATED_AT_ATTRIBUTE: Option<&'static str> = None;

    /// The attribute of the field set on every write (`#[entity(updated_at)]`).
    const UPDATED_AT_ATTRIBUTE: Option<&'static str> = None;

    /// The attribute where a versioned write stores a random token of that write, so
    /// that a write the SDK retried recognises its own earlier attempt.
    const WRITE_TOKEN_ATTRIBUTE: &'static str = "_wt";

    /// The derived index key attributes an update must write, given the item's
    /// primary key (`key`: its fields are read from there), the new values of the key
    /// fields it sets (`values`, by attribute name) and the optional key fields it
    /// removes: `Some` to set an attribute, `None` to remove it (the item leaves a
    /// sparse index). Refuses an update that sets only part of a key.
    fn index_keys_for_update(
        key: &Item,
        values: &Item,
        removed: &[&'static str],
    ) -> crate::Result<
        Vec<(
            &'static str,
            Option<aws_sdk_dynamodb::types::AttributeValue>,
        )>,
    > {
        let _ = (key, values, removed);
        Ok(Vec::new())
    }

    /// Brings an item stored at an older schema version to the struct's, in place:
    /// [`Entity::from_item`] calls it first, so every read path (get, queries,
    /// collections, scans, batch gets, stream records, migrations) reads old items
    /// as the current struct. For an entity with a `schema_version`: an item of a
    /// newer version is a
    /// [`NewerSchemaVersion`](crate::error::AttributeError::NewerSchemaVersion) error;
    /// one of an older version goes through the function named by
    /// `#[entity(upgrade = path)]` (a `fn(&mut Item, u32) -> Result<(), DecodeError>`
    /// given the stored version, 0 when the item has none), then carries the current
    /// version. Without `upgrade`, older items are decoded as they are.
    fn upgrade_item(item: &mut Item) -> Result<(), DecodeError> {
        let _ = item;
        Ok(())
    }
}
