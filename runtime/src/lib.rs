//! Access-pattern-first DynamoDB for Rust.
//!
//! A team writes its single-table design down once, in `dynaschema.toml`: the table,
//! its indexes, the entities with their key templates (`USER#{user_id}`), and the
//! named access patterns the application needs. Structs carry `#[derive(Entity)]`;
//! `build.rs` turns the schema into a module with a typed table handle, one method per
//! access pattern, collection result types and the table definition. This crate runs
//! it all on [`aws-sdk-dynamodb`](aws_sdk_dynamodb).
//!
//! # A tour
//!
//! `dynaschema.toml`:
//!
//! ```toml
//! [table]
//! name = "Shop"
//! partition_key = "pk"
//! sort_key = "sk"
//! entity_attribute = "_et"
//!
//! [indexes.gsi1]
//! partition_key = "gsi1pk"
//! sort_key = "gsi1sk"
//!
//! [entities.User]
//! primary = { pk = "USER#{user_id}", sk = "PROFILE" }
//! gsi1 = { pk = "EMAIL#{email}", sk = "USER" }
//!
//! [patterns.user_by_email]
//! query = "User"
//! index = "gsi1"
//! ```
//!
//! `build.rs` (with `dynaschema-codegen` as a build dependency):
//!
//! ```no_run
//! fn main() {
//!     dynaschema_codegen::Builder::new()
//!         .compile("dynaschema.toml")
//!         .unwrap_or_else(|e| panic!("{e}"));
//! }
//! ```
//!
//! The application:
//!
//! ```no_run
//! use dynaschema::Entity;
//!
//! #[derive(Entity, Clone, Debug, PartialEq)]
//! # #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
//! pub struct User {
//!     pub user_id: String,
//!     pub email: String,
//!     pub name: String,
//! #   pub tags: std::collections::BTreeSet<String>,
//! #   pub address: Option<Address>,
//! }
//! # #[derive(dynaschema::Attribute, Clone, Debug, PartialEq)]
//! # pub struct Address { street: String, city: String, #[entity(rename = "zip")] postal_code: String }
//! # #[derive(Entity)] #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
//! # pub struct Order { user_id: String, order_id: ulid::Ulid, created_at: chrono::DateTime<chrono::Utc>, total_cents: i64 }
//! # #[derive(Entity)] #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
//! # pub struct Product { product_id: String, category: String, price_cents: i64 }
//!
//! // The module build.rs generated from dynaschema.toml:
//! // dynaschema::include_schema!(pub shop);
//! # dynaschema::include_schema!(pub shop, file = concat!(env!("CARGO_MANIFEST_DIR"), "/../codegen/tests/golden/shop.rs"));
//!
//! # async fn demo(client: dynaschema::aws_sdk_dynamodb::Client) -> dynaschema::Result<()> {
//! let table = shop::Table::new(client, "prod-shop");
//! let user = User {
//!     user_id: "u1".into(),
//!     email: "ada@example.com".into(),
//!     name: "Ada".into(),
//! #   tags: Default::default(), address: None,
//! };
//! table.put(&user).if_absent().await?;
//! let again: Option<User> = table.get(User::key("u1")).await?;
//! let by_email: Vec<User> = table.user_by_email("ada@example.com").all().await?;
//! # Ok(()) }
//! # fn main() {}
//! ```
//!
//! A complete, runnable design lives in `schema-examples/shop` of the repository;
//! the user guide (`docs/guide`) starts from `cargo new`.
//!
//! # Connecting
//!
//! The table takes an `aws_sdk_dynamodb::Client`. Build it with `aws-config`, which
//! reads credentials, region and endpoint the way every AWS SDK does: the
//! environment (`AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL_DYNAMODB`, ...),
//! `~/.aws` profiles and SSO, web identity, ECS and instance roles:
//!
//! ```no_run
//! # dynaschema::include_schema!(pub shop, file = concat!(env!("CARGO_MANIFEST_DIR"), "/../codegen/tests/golden/shop.rs"));
//! # #[derive(dynaschema::Entity)] #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
//! # pub struct User { user_id: String, email: String, name: String, tags: std::collections::BTreeSet<String>, address: Option<Address> }
//! # #[derive(dynaschema::Attribute)]
//! # pub struct Address { street: String, city: String, #[entity(rename = "zip")] postal_code: String }
//! # #[derive(dynaschema::Entity)] #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
//! # pub struct Order { user_id: String, order_id: ulid::Ulid, created_at: chrono::DateTime<chrono::Utc>, total_cents: i64 }
//! # #[derive(dynaschema::Entity)] #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
//! # pub struct Product { product_id: String, category: String, price_cents: i64 }
//! # async fn demo() {
//! let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
//! let client = dynaschema::aws_sdk_dynamodb::Client::new(&config);
//! let table = shop::Table::new(client, "shop-prod");
//! # let _ = table; }
//! # fn main() {}
//! ```
//!
//! For tests and local runs, [`local::client`] is a client of a server on this
//! machine (DynamoDB Local, `dynaschema local`) with the dummy credentials they accept.
//!
//! # Features
//!
//! * `chrono`, `uuid`, `ulid` (default): those types as attributes and key segments.
//! * `local`: [`local::DynamoDbLocal`], AWS's DynamoDB Local for tests (Java 17, npm).
//! * `embedded`: [`local::Embedded`], an in-process DynamoDB-API server.

#![warn(missing_docs)]
// Examples of build.rs show the whole file, `fn main` included.
#![allow(clippy::needless_doctest_main)]

pub mod apply;
pub mod attribute;
pub mod batch;
pub mod coverage;
pub mod cursor;
pub mod definition;
pub mod entity;
pub mod error;
pub mod expr;
pub mod filter;
mod item;
pub mod key;
pub mod limits;
pub mod local;
pub mod migrate;
pub mod multi_attribute;
pub mod query;
mod rekey;
mod request;
pub mod scan;
pub mod shard;
pub mod sort_key;
pub mod stream;
pub mod table;
pub mod transaction;
pub mod update;

pub use apply::CreatedTable;
pub use attribute::{Attribute, EpochSeconds, Item};
pub use batch::{BatchGet, BatchWrite};
pub use cursor::Cursor;
pub use definition::{
    Billing, Capacity, IndexDefinition, IndexKind, KeyAttribute, Projection, ScalarType,
    StreamView, TableClass, TableDefinition, TableOptions,
};
pub use dynaschema_core::{Comparison, TimeBucket};
pub use entity::Entity;
pub use error::{
    AttributeError, BatchError, CancelCode, CancelReason, DecodeError, EncodeError, Error,
    KeyError, KeyErrorReason, LimitError, Result, ServiceError, TransactionError, UpdateError,
};
pub use expr::{Condition, Path};
pub use item::{Delete, Get, Put};
pub use key::{Key, KeySegment};
pub use query::{Page, Query};
pub use scan::Scan;
pub use table::{DEFAULT_WAIT_TIMEOUT, Table};
pub use transaction::Transaction;
pub use update::Update;

/// Derives [`Entity`] for a struct declared as an entity of the schema.
///
/// The derive reads the schema file (`dynaschema.toml` next to the crate's
/// `Cargo.toml`, or `#[entity(schema = "path")]`), checks the struct against the
/// entity's key templates, and generates the item conversion, the derived key
/// attributes and typed key functions: `key(..)` for the primary key, taking one
/// argument per template placeholder, each typed by the field it fills.
///
/// Attributes:
/// * `#[entity(name = "Order")]` on the struct: the entity's name in the schema
///   (default: the struct's name).
/// * `#[entity(schema = "path/to/dynaschema.toml")]` on the struct, relative to the
///   crate's `Cargo.toml`.
/// * `#[entity(rename = "attr")]` on a field: the attribute name (default: the field name).
///
/// See [`Entity`] for an example.
pub use dynaschema_macros::Entity;

/// Derives [`Attribute`] for a struct stored as a map (`M`) inside an entity.
///
/// ```
/// use dynaschema::Attribute;
///
/// #[derive(Attribute, Clone, Debug, PartialEq)]
/// pub struct Address {
///     pub city: String,
///     #[entity(rename = "zip")]
///     pub postal_code: Option<String>,
/// }
///
/// let address = Address { city: "Lyon".into(), postal_code: None };
/// let stored = address.encode().unwrap();
/// assert_eq!(Address::decode(stored).unwrap(), address);
/// ```
pub use dynaschema_macros::Attribute;

pub use aws_sdk_dynamodb;

/// Includes the module that `dynaschema_codegen::Builder` generated in `build.rs`.
///
/// The module is named after the schema's table name in snake case (`name = "Shop"`
/// gives `shop`). Entity types are referred to as `super::EntityName`, so invoke the
/// macro in the module where the entity structs are (or are imported).
///
/// `include_schema!(pub shop)` includes `$OUT_DIR/dynaschema/shop.rs`. With
/// `Builder::out_dir`, name the file: `include_schema!(pub shop, file = "...")`.
///
/// ```no_run
/// # use dynaschema::Entity;
/// # #[derive(Entity)] #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
/// # pub struct User { user_id: String, email: String }
/// # #[derive(Entity)] #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
/// # pub struct Order { user_id: String, order_id: ulid::Ulid, created_at: chrono::DateTime<chrono::Utc> }
/// # #[derive(Entity)] #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
/// # pub struct Product { product_id: String, category: String, price_cents: i64 }
/// dynaschema::include_schema!(pub shop, file = concat!(env!("CARGO_MANIFEST_DIR"), "/../codegen/tests/golden/shop.rs"));
///
/// # fn demo(client: dynaschema::aws_sdk_dynamodb::Client) {
/// let table = shop::Table::new(client, "prod-shop");
/// # }
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! include_schema {
    ($vis:vis $name:ident) => {
        $crate::include_schema!($vis $name, file = concat!(env!("OUT_DIR"), "/dynaschema/", stringify!($name), ".rs"));
    };
    ($vis:vis $name:ident, file = $file:expr) => {
        #[doc = concat!("Access patterns and table definition generated from the `", stringify!($name), "` schema.")]
        // An application uses some of its schema's patterns, not necessarily all.
        #[allow(dead_code)]
        $vis mod $name {
            include!($file);
        }
    };
}

/// The methods every generated sort-key builder forwards to its
/// [`Query`](crate::Query), written once here instead of in each builder;
/// generated code only.
#[doc(hidden)]
#[macro_export]
macro_rules! __query_builder_methods {
    ($t:lifetime, $item:ty, strong) => {
        /// See [`Query::consistent`](::dynaschema::Query::consistent).
        pub fn consistent(self) -> ::dynaschema::Query<$t, $item> {
            self.query().consistent()
        }

        ::dynaschema::__query_builder_methods!($t, $item, @common ::dynaschema::query::Strong);
    };
    ($t:lifetime, $item:ty, eventual) => {
        ::dynaschema::__query_builder_methods!($t, $item, @common ::dynaschema::query::Eventual);
    };
    ($t:lifetime, $item:ty, @common $r:ty) => {
        /// See [`Query::limit`](::dynaschema::Query::limit).
        pub fn limit(self, n: usize) -> ::dynaschema::Query<$t, $item, $r> {
            self.query().limit(n)
        }

        /// See [`Query::page_size`](::dynaschema::Query::page_size).
        pub fn page_size(self, n: usize) -> ::dynaschema::Query<$t, $item, $r> {
            self.query().page_size(n)
        }

        /// See [`Query::reverse`](::dynaschema::Query::reverse).
        pub fn reverse(self) -> ::dynaschema::Query<$t, $item, $r> {
            self.query().reverse()
        }

        /// See [`Query::stream`](::dynaschema::Query::stream).
        pub fn stream(
            self,
        ) -> impl ::dynaschema::__private::Stream<Item = ::dynaschema::Result<$item>> + Send + $t {
            self.query().stream()
        }

        /// See [`Query::page`](::dynaschema::Query::page).
        pub async fn page(
            self,
            cursor: ::core::option::Option<&::dynaschema::Cursor>,
        ) -> ::dynaschema::Result<::dynaschema::Page<$item>> {
            self.query().page(cursor).await
        }

        /// See [`Query::all`](::dynaschema::Query::all).
        pub async fn all(self) -> ::dynaschema::Result<::std::vec::Vec<$item>> {
            self.query().all().await
        }
    };
}

/// What generated code needs; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::attribute::{Attribute, Item, TimestampField, TtlValue};
    pub use crate::definition::{
        Billing, Capacity, IndexDefinition, IndexKind, KeyAttribute, Projection, ScalarType,
        StreamView, TableClass, TableDefinition, TableOptions,
    };
    pub use crate::entity::{Entity, EntityMeta};
    pub use crate::error::{AttributeError, DecodeError, EncodeError, Error, KeyError, Result};
    pub use crate::filter::{Filter, FilterValue};
    pub use crate::key::{
        Bucketed, Cased, Key, KeyRole, KeySegment, KeyWriter, Primary, Secondary,
    };
    pub use crate::multi_attribute::KeyAttributeValue;
    pub use crate::query::{
        KeyCondition, MultiAttributePartition, PatternQuery, Query, SortCondition, decode_entity,
    };
    pub use crate::scan::Scan;
    pub use crate::shard::{FanOut, ShardCheck, ShardHash};
    pub use crate::sort_key::{
        AttributeStep, MultiAttribute, SegmentStep, SortKey, SortKeyCondition, SortKeyKind,
        Template, TextPrefix,
    };
    pub use crate::table::Table;
    pub use aws_sdk_dynamodb::Client;
    pub use aws_sdk_dynamodb::types::AttributeValue;
    pub use dynaschema_core::{Case, Comparison, TimeBucket};
    pub use futures::Stream;
    pub use std::borrow::Cow;

    /// The type of the key field called by the name that hashes to `H`, as key
    /// functions and patterns take it (`str` for `String`), whether it fills a
    /// template segment or a multi-attribute key attribute. Lets code generated from
    /// the schema alone name the types of an entity's key fields; the derive checks
    /// the type's bounds on the field itself (`KeySegment` for a segment,
    /// `KeyAttributeValue + PartialOrd` for an attribute).
    pub trait KeyField<const H: u64> {
        /// The argument type.
        type Arg: ?Sized;
    }

    /// Reads a multi-attribute key attribute into a projection field, naming it on
    /// failure; `None` when the item does not have it.
    pub fn decode_key_attribute<T: KeyAttributeValue + ?Sized>(
        entity: &'static str,
        field: &'static str,
        attribute: &str,
        item: &Item,
    ) -> Option<Result<T::Owned, DecodeError>> {
        let value = item.get(attribute)?.clone();
        Some(T::from_key_value(value).map_err(|reason| DecodeError::new(entity, field, reason)))
    }

    /// The error for a key that does not have the entity's template shape.
    pub fn key_shape_error(entity: &'static str, attribute: &'static str) -> DecodeError {
        DecodeError::new(
            entity,
            attribute,
            AttributeError::invalid("a key of this entity's template", "another shape"),
        )
    }

    /// A multi-attribute key attribute's value, checked as DynamoDB checks keys.
    pub fn key_attribute_value<T: KeyAttributeValue + ?Sized>(
        entity: &'static str,
        attribute: &'static str,
        partition: bool,
        value: &T,
    ) -> Result<AttributeValue, KeyError> {
        crate::multi_attribute::key_value(entity, attribute, partition, value)
    }

    /// Fails to compile (with `message`) unless `T` is stored as `expected`: a field of
    /// a multi-attribute key attribute must have the type the schema declares for it.
    pub const fn assert_key_type<T: KeyAttributeValue + ?Sized>(
        expected: ScalarType,
        message: &str,
    ) {
        if T::TYPE as u8 != expected as u8 {
            panic!("{}", message);
        }
    }

    /// What the index whose name hashes to `H` (an `include` index) holds of this
    /// entity: a projection struct the derive emits next to the entity, since only it
    /// knows which included attributes are fields and their types.
    pub trait Projected<const H: u64> {
        /// The projection struct.
        type Projection;
        /// Reads an index item; `None` for items of other entities.
        fn decode_projection(
            item: Item,
            entity_attribute: &'static str,
        ) -> Result<Option<Self::Projection>, Error>;
    }

    /// The attribute name and parameter type of the field called by the name that
    /// hashes to `H`, for fields a schema filter reads.
    pub trait FilterField<const H: u64> {
        /// The type of a parameter compared with the field (`str` for `String`).
        type Arg: ?Sized + FilterValue;
        /// The field's attribute name.
        const ATTRIBUTE: &'static str;
    }

    /// Encodes `value` into `item` under `name`, unless it is absent.
    #[inline]
    pub fn encode_field<T: Attribute>(
        entity: &'static str,
        name: &'static str,
        value: &T,
        item: &mut Item,
    ) -> Result<(), EncodeError> {
        match value.encode() {
            Ok(Some(v)) => {
                item.insert(name.to_owned(), v);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(reason) => Err(EncodeError::new(entity, name, reason)),
        }
    }

    /// Takes the attribute `name` out of `item` and decodes it.
    #[inline]
    pub fn decode_field<T: Attribute>(
        entity: &'static str,
        name: &'static str,
        item: &mut Item,
    ) -> Result<T, DecodeError> {
        T::decode(item.remove(name)).map_err(|reason| DecodeError::new(entity, name, reason))
    }

    /// An upgrade of an item stored at an older schema version (`#[entity(upgrade)]`).
    pub type Upgrade = fn(&mut Item, u32) -> ::core::result::Result<(), DecodeError>;

    /// `EntityMeta::upgrade_item` of an entity at schema version `current`, whose
    /// versions are stored in `attribute`.
    pub fn upgrade_item(
        entity: &'static str,
        attribute: &'static str,
        current: u32,
        item: &mut Item,
        upgrade: Option<Upgrade>,
    ) -> ::core::result::Result<(), DecodeError> {
        let stored = match item.get(attribute) {
            Some(AttributeValue::N(n)) => n.parse::<u32>().ok(),
            _ => None,
        };
        match stored {
            Some(stored) if stored > current => Err(DecodeError {
                entity,
                attribute: attribute.to_owned(),
                reason: crate::error::AttributeError::NewerSchemaVersion {
                    stored,
                    known: current,
                },
            }),
            Some(stored) if stored == current => Ok(()),
            stored => match upgrade {
                Some(upgrade) => {
                    upgrade(item, stored.unwrap_or(0))?;
                    item.insert(attribute.to_owned(), AttributeValue::N(current.to_string()));
                    Ok(())
                }
                None => Ok(()),
            },
        }
    }

    /// Checks that `item`'s discriminator names `entity`.
    pub fn check_discriminator(
        entity: &'static str,
        attribute: &'static str,
        item: &Item,
    ) -> Result<(), DecodeError> {
        match item.get(attribute) {
            Some(AttributeValue::S(name)) if name == entity => Ok(()),
            Some(AttributeValue::S(name)) => Err(DecodeError::new(
                entity,
                attribute,
                AttributeError::invalid("this entity's name", name),
            )),
            Some(other) => Err(DecodeError::new(
                entity,
                attribute,
                AttributeError::WrongType {
                    expected: "string (S)",
                    found: crate::attribute::type_name(other),
                },
            )),
            None => Err(DecodeError::new(
                entity,
                attribute,
                AttributeError::Missing {
                    expected: "the entity discriminator (S)",
                },
            )),
        }
    }

    /// A nested struct's field error, as an error of the attribute holding the struct.
    pub fn nested_encode(e: EncodeError) -> AttributeError {
        AttributeError::Nested {
            path: format!(".{}", e.attribute),
            error: Box::new(e.reason),
        }
    }

    /// A nested struct's field error, as an error of the attribute holding the struct.
    pub fn nested_decode(e: DecodeError) -> AttributeError {
        AttributeError::Nested {
            path: format!(".{}", e.attribute),
            error: Box::new(e.reason),
        }
    }

    /// The map of an `M` attribute, for structs deriving `Attribute`.
    pub fn map_attribute(value: Option<AttributeValue>) -> Result<Item, AttributeError> {
        match value {
            Some(AttributeValue::M(map)) => Ok(map),
            Some(AttributeValue::Null(_)) | None => Err(AttributeError::Missing {
                expected: "map (M)",
            }),
            Some(other) => Err(AttributeError::WrongType {
                expected: "map (M)",
                found: crate::attribute::type_name(&other),
            }),
        }
    }

    /// The segments of the key attribute `attribute` of `item` that fill the `None`
    /// positions of `shape` (a template: `Some(literal)` or `None` for a field), still
    /// encoded; `None` when the key does not have the template's shape (an item of
    /// another entity).
    pub fn key_fields(item: &Item, attribute: &str, shape: &[Option<&str>]) -> Option<Vec<String>> {
        let Some(AttributeValue::S(key)) = item.get(attribute) else {
            return None;
        };
        let segments: Vec<&str> = key.split(crate::key::DELIMITER).collect();
        if segments.len() != shape.len() {
            return None;
        }
        let mut fields = Vec::new();
        for (segment, expected) in segments.iter().zip(shape) {
            match expected {
                Some(literal) if literal != segment => return None,
                Some(_) => {}
                None => fields.push((*segment).to_owned()),
            }
        }
        Some(fields)
    }

    /// Decodes one key segment into a projection field, naming it on failure.
    pub fn decode_key_field<T: KeySegment + ?Sized>(
        entity: &'static str,
        field: &'static str,
        segment: &str,
    ) -> Result<T::Owned, DecodeError> {
        T::decode_segment(segment).map_err(|e| {
            let reason = match e {
                crate::key::SegmentError::Empty => "empty".to_owned(),
                crate::key::SegmentError::Unencodable(m)
                | crate::key::SegmentError::Malformed(m) => m,
            };
            DecodeError::new(
                entity,
                field,
                AttributeError::invalid("a key segment", &reason),
            )
        })
    }

    /// A partition or sort key as an `S` attribute value, for generated key conditions.
    pub fn partition_condition(
        attribute: &'static str,
        value: Result<String, KeyError>,
    ) -> Result<KeyCondition, KeyError> {
        value.map(|v| KeyCondition::partition(attribute, v))
    }
}
