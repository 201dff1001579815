//! The table's shape as a schema declares it.
//!
//! Names are `Cow<'static, str>` and lists `Cow<'static, [T]>`: the generated
//! `DEFINITION` is a `&'static` one made of string literals (no allocation, no
//! initialisation at run time), while the CLI and the emitters build one at run time
//! from a schema they read (owned values, no leaks).

use std::borrow::Cow;

/// The type of a key attribute, as DynamoDB's `AttributeDefinitions` declare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarType {
    /// `S`: compared as UTF-8 bytes.
    String,
    /// `N`: compared as numbers.
    Number,
}

impl ScalarType {
    /// `"string"` or `"number"`, as the schema writes it.
    pub const fn name(self) -> &'static str {
        match self {
            ScalarType::String => "string",
            ScalarType::Number => "number",
        }
    }

    /// DynamoDB's code for it: `"S"` or `"N"`.
    pub const fn code(self) -> &'static str {
        match self {
            ScalarType::String => "S",
            ScalarType::Number => "N",
        }
    }
}

/// One attribute of an index key: its name and type.
///
/// A template key (`gsi1pk = "EMAIL#{email}"`) is one string attribute; a
/// multi-attribute key names up to four typed attributes for its partition and four
/// for its sort key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyAttribute {
    /// The attribute name.
    pub name: Cow<'static, str>,
    /// Its type.
    pub kind: ScalarType,
}

impl KeyAttribute {
    /// A string attribute: how every template key is stored.
    pub const fn string(name: &'static str) -> Self {
        Self {
            name: Cow::Borrowed(name),
            kind: ScalarType::String,
        }
    }

    /// A number attribute.
    pub const fn number(name: &'static str) -> Self {
        Self {
            name: Cow::Borrowed(name),
            kind: ScalarType::Number,
        }
    }
}

/// A table as the schema declares it: key attributes, discriminator, indexes and
/// options.
///
/// The build step generates one as `DEFINITION` in the schema's module; the runtime
/// creates, plans and queries the table from it, and the CLI's table definitions
/// (`CreateTable`, CloudFormation, Terraform) are written from it.
///
/// ```
/// use std::borrow::Cow;
/// use dynaschema_core::{
///     IndexDefinition, IndexKind, KeyAttribute, Projection, TableDefinition, TableOptions,
/// };
///
/// const APP: TableDefinition = TableDefinition {
///     name: Cow::Borrowed("App"),
///     partition_key: Cow::Borrowed("pk"),
///     sort_key: Some(Cow::Borrowed("sk")),
///     entity_attribute: Cow::Borrowed("_et"),
///     indexes: Cow::Borrowed(&[IndexDefinition {
///         name: Cow::Borrowed("gsi1"),
///         kind: IndexKind::Global,
///         partition_key: Cow::Borrowed(&[KeyAttribute::string("gsi1pk")]),
///         sort_key: Cow::Borrowed(&[KeyAttribute::string("gsi1sk")]),
///         projection: Projection::All,
///         capacity: None,
///     }]),
///     entities: Cow::Borrowed(&[Cow::Borrowed("User"), Cow::Borrowed("Order")]),
///     options: TableOptions::DEFAULT,
/// };
/// assert_eq!(APP.index("gsi1").unwrap().partition_key[0], KeyAttribute::string("gsi1pk"));
/// assert_eq!(APP.attribute_definitions().len(), 4);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDefinition {
    /// The logical name in the schema (the physical name is given at runtime).
    pub name: Cow<'static, str>,
    /// The table's partition key attribute (a string).
    pub partition_key: Cow<'static, str>,
    /// The table's sort key attribute (a string), if it has one.
    pub sort_key: Option<Cow<'static, str>>,
    /// The attribute holding each item's entity name.
    pub entity_attribute: Cow<'static, str>,
    /// The secondary indexes, global and local.
    pub indexes: Cow<'static, [IndexDefinition]>,
    /// The names of the schema's entities.
    pub entities: Cow<'static, [Cow<'static, str>]>,
    /// TTL, streams, backups, billing and the rest.
    pub options: TableOptions,
}

impl TableDefinition {
    /// The index called `name`.
    pub fn index(&self, name: &str) -> Option<&IndexDefinition> {
        self.indexes.iter().find(|i| i.name == name)
    }

    /// The table's own key attributes (strings): partition, then sort.
    pub fn key_attributes(&self) -> impl Iterator<Item = &str> {
        std::iter::once(&*self.partition_key).chain(self.sort_key.as_deref())
    }

    /// Every attribute a key of the table or of an index names, with its type, each
    /// once, sorted by name: what `CreateTable`'s `AttributeDefinitions` declare.
    pub fn attribute_definitions(&self) -> Vec<(&str, ScalarType)> {
        let mut out: Vec<(&str, ScalarType)> = self
            .key_attributes()
            .map(|name| (name, ScalarType::String))
            .collect();
        for index in self.indexes.iter() {
            for attribute in index.key_attributes() {
                if !out.iter().any(|(name, _)| *name == attribute.name) {
                    out.push((&attribute.name, attribute.kind));
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(b.0));
        out
    }

    /// The global secondary indexes.
    pub fn global_indexes(&self) -> impl Iterator<Item = &IndexDefinition> {
        self.indexes.iter().filter(|i| i.kind == IndexKind::Global)
    }

    /// The local secondary indexes.
    pub fn local_indexes(&self) -> impl Iterator<Item = &IndexDefinition> {
        self.indexes.iter().filter(|i| i.kind == IndexKind::Local)
    }
}

/// A table's settings beyond its keys, as the schema declares them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableOptions {
    /// The attribute holding each item's expiry time (epoch seconds).
    pub ttl_attribute: Option<Cow<'static, str>>,
    /// The stream of item changes, if enabled.
    pub stream: Option<StreamView>,
    /// Continuous backups with point-in-time recovery.
    pub point_in_time_recovery: bool,
    /// Billing mode.
    pub billing: Billing,
    /// Deletion protection.
    pub deletion_protection: bool,
    /// Table class.
    pub table_class: TableClass,
    /// Tags, as (key, value).
    pub tags: Cow<'static, [(Cow<'static, str>, Cow<'static, str>)]>,
    /// Regions of global-table replicas (infrastructure: the runtime's
    /// `create_table` makes none; the CLI's CloudFormation declares them).
    pub replicas: Cow<'static, [Cow<'static, str>]>,
}

impl TableOptions {
    /// On-demand billing and nothing else.
    pub const DEFAULT: Self = Self {
        ttl_attribute: None,
        stream: None,
        point_in_time_recovery: false,
        billing: Billing::OnDemand,
        deletion_protection: false,
        table_class: TableClass::Standard,
        tags: Cow::Borrowed(&[]),
        replicas: Cow::Borrowed(&[]),
    };
}

impl Default for TableOptions {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What each stream record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamView {
    /// The key attributes only.
    KeysOnly,
    /// The item after the change.
    NewImage,
    /// The item before the change.
    OldImage,
    /// Both.
    NewAndOldImages,
}

impl StreamView {
    /// DynamoDB's name for it: `KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE`,
    /// `NEW_AND_OLD_IMAGES`.
    pub const fn code(self) -> &'static str {
        match self {
            StreamView::KeysOnly => "KEYS_ONLY",
            StreamView::NewImage => "NEW_IMAGE",
            StreamView::OldImage => "OLD_IMAGE",
            StreamView::NewAndOldImages => "NEW_AND_OLD_IMAGES",
        }
    }
}

/// How a table is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Billing {
    /// On-demand, per request.
    OnDemand,
    /// Provisioned capacity of the table (each GSI declares its own).
    Provisioned(Capacity),
}

impl Billing {
    /// DynamoDB's name for it: `PAY_PER_REQUEST` or `PROVISIONED`.
    pub const fn code(self) -> &'static str {
        match self {
            Billing::OnDemand => "PAY_PER_REQUEST",
            Billing::Provisioned(_) => "PROVISIONED",
        }
    }
}

/// Provisioned read and write capacity units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Capacity {
    /// Read capacity units.
    pub read: u64,
    /// Write capacity units.
    pub write: u64,
}

/// The table class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableClass {
    /// DynamoDB Standard.
    Standard,
    /// DynamoDB Standard-Infrequent Access.
    StandardInfrequentAccess,
}

impl TableClass {
    /// DynamoDB's name for it: `STANDARD` or `STANDARD_INFREQUENT_ACCESS`.
    pub const fn code(self) -> &'static str {
        match self {
            TableClass::Standard => "STANDARD",
            TableClass::StandardInfrequentAccess => "STANDARD_INFREQUENT_ACCESS",
        }
    }
}

/// Whether a secondary index is global or local.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexKind {
    /// A global secondary index: its own partition key, eventually consistent reads,
    /// addable and removable at any time.
    Global,
    /// A local secondary index: the table's partition key and another sort key,
    /// created with the table.
    Local,
}

/// A secondary index of a [`TableDefinition`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDefinition {
    /// The index name, as DynamoDB knows it.
    pub name: Cow<'static, str>,
    /// Global or local.
    pub kind: IndexKind,
    /// The index's partition key attributes: one string attribute for a template
    /// key, up to four typed attributes for a multi-attribute key.
    pub partition_key: Cow<'static, [KeyAttribute]>,
    /// The index's sort key attributes: none, one string attribute for a template
    /// key, or up to four typed attributes.
    pub sort_key: Cow<'static, [KeyAttribute]>,
    /// Which attributes the index holds.
    pub projection: Projection,
    /// Provisioned capacity (GSIs of provisioned tables).
    pub capacity: Option<Capacity>,
}

impl IndexDefinition {
    /// Every key attribute, partition ones first.
    pub fn key_attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        self.partition_key.iter().chain(self.sort_key.iter())
    }
}

/// Which attributes an index holds besides its keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Projection {
    /// Every attribute.
    All,
    /// Only the table's and the index's key attributes.
    KeysOnly,
    /// The keys plus the named attributes.
    Include(Cow<'static, [Cow<'static, str>]>),
}

impl Projection {
    /// DynamoDB's name for it: `ALL`, `KEYS_ONLY` or `INCLUDE`.
    pub const fn code(&self) -> &'static str {
        match self {
            Projection::All => "ALL",
            Projection::KeysOnly => "KEYS_ONLY",
            Projection::Include(_) => "INCLUDE",
        }
    }
}
