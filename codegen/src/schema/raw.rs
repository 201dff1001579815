//! The schema file as written: serde types that mirror the TOML, with spans.
//! Nothing here is validated; [`super::lower`] turns it into the model.
//!
//! The same types generate the file's JSON Schema ([`json_schema`]), so editors
//! (taplo, Even Better TOML) complete and check exactly what the parser reads; their
//! doc comments become the editor's hover text.

use std::collections::BTreeMap;

#[cfg(feature = "cli")]
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

/// A dynaschema single-table design: the table, its indexes, the entities stored in
/// it and the access patterns the application needs.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "cli", derive(JsonSchema))]
#[cfg_attr(
    feature = "cli",
    schemars(title = "dynaschema schema", deny_unknown_fields)
)]
pub struct RawSchema {
    /// The table.
    #[cfg_attr(feature = "cli", schemars(with = "RawTable"))]
    pub table: Spanned<RawTable>,
    /// Global secondary indexes, by name.
    #[serde(default)]
    #[cfg_attr(feature = "cli", schemars(with = "BTreeMap<String, RawIndex>"))]
    pub indexes: BTreeMap<String, Spanned<RawIndex>>,
    /// Entities, by name (the name of the struct deriving `Entity`).
    #[serde(default)]
    #[cfg_attr(feature = "cli", schemars(with = "BTreeMap<String, RawEntity>"))]
    pub entities: BTreeMap<String, Spanned<RawEntity>>,
    /// Access patterns, by name (the name of the generated method).
    #[serde(default)]
    #[cfg_attr(feature = "cli", schemars(with = "BTreeMap<String, RawPattern>"))]
    pub patterns: BTreeMap<String, Spanned<RawPattern>>,
}

/// The table: its key attributes and the attribute naming each item's entity.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "cli", derive(JsonSchema))]
#[cfg_attr(feature = "cli", schemars(deny_unknown_fields))]
pub struct RawTable {
    /// Logical table name; the generated module is named after it.
    #[cfg_attr(feature = "cli", schemars(with = "String"))]
    pub name: Spanned<String>,
    /// Partition key attribute name.
    #[cfg_attr(feature = "cli", schemars(with = "String"))]
    pub partition_key: Spanned<String>,
    /// Sort key attribute name.
    #[cfg_attr(feature = "cli", schemars(with = "Option<String>"))]
    pub sort_key: Option<Spanned<String>>,
    /// Discriminator attribute (default `_et`).
    #[cfg_attr(feature = "cli", schemars(with = "Option<String>"))]
    pub entity_attribute: Option<Spanned<String>>,
    /// The attribute holding the schema version of entities that declare one
    /// (default `_sv`).
    #[cfg_attr(feature = "cli", schemars(with = "Option<String>"))]
    pub schema_version_attribute: Option<Spanned<String>>,
    /// The attribute holding each item's expiry time (epoch seconds); DynamoDB deletes
    /// items after it.
    #[cfg_attr(feature = "cli", schemars(with = "Option<String>"))]
    pub ttl_attribute: Option<Spanned<String>>,
    /// The DynamoDB stream of item changes, by what each record holds.
    pub stream: Option<RawStreamView>,
    /// Continuous backups with point-in-time recovery.
    #[serde(default)]
    pub point_in_time_recovery: bool,
    /// `"pay_per_request"` (default), or provisioned capacity `{ read = 5, write = 5 }`.
    #[cfg_attr(feature = "cli", schemars(with = "Option<RawBilling>"))]
    pub billing: Option<Spanned<RawBilling>>,
    /// Refuse `DeleteTable` until this is turned off.
    #[serde(default)]
    pub deletion_protection: bool,
    /// The table class.
    pub table_class: Option<RawTableClass>,
    /// Tags on the table.
    #[cfg_attr(feature = "cli", schemars(with = "Option<BTreeMap<String, String>>"))]
    pub tags: Option<Spanned<BTreeMap<String, String>>>,
    /// Regions of global-table replicas, e.g. `["eu-west-1"]`.
    #[serde(default)]
    #[cfg_attr(feature = "cli", schemars(with = "Vec<String>"))]
    pub replicas: Vec<Spanned<String>>,
}

/// A secondary index's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "cli", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RawIndexKind {
    /// A global secondary index.
    Global,
    /// A local secondary index.
    Local,
}

/// What each stream record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "cli", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", schemars(rename = "StreamView"))]
pub enum RawStreamView {
    /// Only the key attributes of the changed item.
    KeysOnly,
    /// The item as it is after the change.
    NewImage,
    /// The item as it was before the change.
    OldImage,
    /// Both images.
    NewAndOldImages,
}

/// The table class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "cli", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", schemars(rename = "TableClass"))]
pub enum RawTableClass {
    /// DynamoDB Standard (the default).
    Standard,
    /// DynamoDB Standard-Infrequent Access.
    StandardInfrequentAccess,
}

/// Billing mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "cli", derive(JsonSchema))]
#[serde(untagged)]
pub enum RawBilling {
    /// `"pay_per_request"`: on-demand.
    OnDemand(OnDemand),
    /// Provisioned capacity units.
    Provisioned(RawCapacity),
}

/// On-demand billing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "cli", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OnDemand {
    /// Pay per request.
    PayPerRequest,
}

/// Provisioned read and write capacity units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "cli", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "cli", schemars(rename = "Capacity"))]
pub struct RawCapacity {
    /// Read capacity units.
    pub read: u64,
    /// Write capacity units.
    pub write: u64,
}

/// A secondary index: global (the default) or local.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "cli", derive(JsonSchema))]
#[cfg_attr(feature = "cli", schemars(deny_unknown_fields))]
pub struct RawIndex {
    /// `"global"` (default): its own partition key; `"local"`: the table's partition
    /// key with another sort key, created with the table.
    pub kind: Option<RawIndexKind>,
    /// Partition key (global indexes only): one attribute name, whose string values
    /// entities build from key templates; or a list of 1 to 4 attribute names, a
    /// multi-attribute key whose values are the entities' own fields.
    #[cfg_attr(feature = "cli", schemars(with = "Option<KeyAttributesSchema>"))]
    pub partition_key: Option<Spanned<toml::Value>>,
    /// Sort key: one attribute name (a template key), or with a multi-attribute
    /// partition key, 1 to 4 attribute names compared left to right.
    #[cfg_attr(feature = "cli", schemars(with = "Option<KeyAttributesSchema>"))]
    pub sort_key: Option<Spanned<toml::Value>>,
    /// Types of multi-attribute key attributes that are not strings, e.g.
    /// `{ round = "number" }`.
    #[cfg_attr(
        feature = "cli",
        schemars(with = "Option<BTreeMap<String, RawScalarKind>>")
    )]
    pub attribute_types: Option<Spanned<BTreeMap<String, RawScalarKind>>>,
    /// `"all"`, `"keys_only"` or `{ include = [..] }`; read in lowering so that a wrong
    /// shape gets a specific message.
    #[cfg_attr(feature = "cli", schemars(with = "Option<ProjectionSchema>"))]
    pub projection: Option<Spanned<toml::Value>>,
    /// Provisioned capacity of the index (required with provisioned billing).
    #[cfg_attr(feature = "cli", schemars(with = "Option<RawCapacity>"))]
    pub capacity: Option<Spanned<RawCapacity>>,
}

/// `[entities.NAME]`: one key template pair per index the entity appears in, keyed
/// by index name (`primary` for the table itself), plus `description`.
#[derive(Debug, Default)]
pub struct RawEntity {
    /// What it is for.
    pub description: Option<Spanned<String>>,
    /// The entity's schema version, stored on each item.
    pub schema_version: Option<Spanned<i64>>,
    /// The primary template items had before a re-key: reads fall back to it and
    /// writes move the item first, until the migration has moved every item.
    pub previous_primary: Option<Spanned<RawKeys>>,
    /// Key templates by index name.
    pub keys: Vec<(String, Spanned<RawKeys>)>,
}

/// The entity table mixes fixed keys with index names, so it is read by hand; the
/// values still go through serde (and keep their spans).
impl<'de> Deserialize<'de> for RawEntity {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawEntity;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table of key templates by index name, e.g. `primary = { pk = \"USER#{user_id}\" }`")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawEntity, A::Error> {
                let mut entity = RawEntity::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "description" {
                        entity.description = Some(map.next_value()?);
                    } else if key == "schema_version" {
                        entity.schema_version = Some(map.next_value()?);
                    } else if key == "previous_primary" {
                        entity.previous_primary = Some(map.next_value()?);
                    } else {
                        entity.keys.push((key, map.next_value()?));
                    }
                }
                Ok(entity)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// An entity's key templates on one index, e.g. `{ pk = "USER#{user_id}", sk = "PROFILE" }`:
/// `#`-separated segments, each a literal or one `{field}`. On a multi-attribute
/// index, one `"{field}"` per key attribute: `{ pk = ["{tenant}", "{region}"] }`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "cli", derive(JsonSchema))]
#[cfg_attr(feature = "cli", schemars(deny_unknown_fields))]
pub struct RawKeys {
    /// Partition key template (omitted on local indexes: they share the primary one).
    #[cfg_attr(feature = "cli", schemars(with = "Option<KeyAttributesSchema>"))]
    pub pk: Option<Spanned<toml::Value>>,
    /// Sort key template.
    #[cfg_attr(feature = "cli", schemars(with = "Option<KeyAttributesSchema>"))]
    pub sk: Option<Spanned<toml::Value>>,
    /// Write sharding of a hot partition on a global secondary index: the `{shard}`
    /// segment of `pk` is a stable hash of the `of` fields modulo `count`, and the
    /// index's patterns query every shard and merge the results in sort order.
    #[cfg_attr(feature = "cli", schemars(with = "Option<RawShards>"))]
    pub shards: Option<Spanned<RawShards>>,
}

/// `shards = { count = 8, of = ["product_id"] }`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "cli", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "cli", schemars(rename = "Shards"))]
pub struct RawShards {
    /// How many shards the partition is spread over (2 to 100): a query of the
    /// partition sends this many requests.
    #[cfg_attr(feature = "cli", schemars(with = "u32", range(min = 2, max = 100)))]
    pub count: Spanned<i64>,
    /// The fields the shard is computed from: fields of the entity's primary
    /// templates or of its sort template on the index (an item's identity, so its
    /// shard never changes).
    #[cfg_attr(feature = "cli", schemars(with = "Vec<String>", length(min = 1)))]
    pub of: Vec<Spanned<String>>,
}

/// The type of a multi-attribute key attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "cli", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", schemars(rename = "ScalarKind"))]
pub enum RawScalarKind {
    /// `S` (the default): compared as UTF-8 bytes.
    String,
    /// `N`: compared as numbers.
    Number,
}

/// One string, or a list of 1 to 4 strings.
#[cfg(feature = "cli")]
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // Describes the file for the JSON Schema only.
enum KeyAttributesSchema {
    /// One attribute (a template key) or one template.
    One(String),
    /// The attributes of a multi-attribute key, or their `"{field}"`s.
    Many(#[cfg_attr(feature = "cli", schemars(length(min = 1, max = 4)))] Vec<String>),
}

/// An access pattern: exactly one of `get`, `query`, `collection`, `scan`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "cli", derive(JsonSchema))]
#[cfg_attr(feature = "cli", schemars(deny_unknown_fields))]
pub struct RawPattern {
    /// `GetItem` of this entity.
    #[cfg_attr(feature = "cli", schemars(with = "Option<String>"))]
    pub get: Option<Spanned<String>>,
    /// `Query` of this entity.
    #[cfg_attr(feature = "cli", schemars(with = "Option<String>"))]
    pub query: Option<Spanned<String>>,
    /// `"items"`: on an index projecting only some attributes, read each page's full
    /// items with one `BatchGetItem`.
    #[cfg_attr(feature = "cli", schemars(with = "Option<FetchSchema>"))]
    pub fetch: Option<Spanned<String>>,
    /// A `Scan` of the whole table (or `index`) for this entity: the only way to read
    /// across partitions, so it is never implied.
    #[cfg_attr(feature = "cli", schemars(with = "Option<String>"))]
    pub scan: Option<Spanned<String>>,
    /// Parallel segments of a `scan` (default 1).
    #[cfg_attr(feature = "cli", schemars(with = "Option<u32>"))]
    pub segments: Option<Spanned<u32>>,
    /// One `Query` of these entities sharing a partition.
    #[cfg_attr(feature = "cli", schemars(with = "Option<Vec<String>>"))]
    pub collection: Option<Spanned<Vec<Spanned<String>>>>,
    /// The index (default: the table's primary key).
    #[cfg_attr(feature = "cli", schemars(with = "Option<String>"))]
    pub index: Option<Spanned<String>>,
    /// A filter applied to a query's items after the key condition, e.g.
    /// `price_cents >= {min_price}`; each `{param}` becomes a typed argument.
    #[cfg_attr(feature = "cli", schemars(with = "Option<String>"))]
    pub filter: Option<Spanned<String>>,
    /// `ascending`/`oldest_first` (default) or `descending`/`newest_first`.
    #[cfg_attr(feature = "cli", schemars(with = "Option<OrderSchema>"))]
    pub order: Option<Spanned<String>>,
    /// What it is for.
    #[cfg_attr(feature = "cli", schemars(with = "Option<String>"))]
    pub description: Option<Spanned<String>>,
}

/// `projection` as editors see it: `"all"`, `"keys_only"` or `{ include = [..] }`.
#[cfg(feature = "cli")]
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // Describes the file for the JSON Schema only.
enum ProjectionSchema {
    /// `"all"` (default): every attribute; `"keys_only"`: the table's and the index's keys.
    Named(NamedProjection),
    /// The keys and the listed attributes.
    Include {
        /// Attribute names projected besides the keys.
        include: Vec<String>,
    },
}

#[cfg(feature = "cli")]
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum NamedProjection {
    All,
    KeysOnly,
}

/// What a query on a partially projected index returns.
#[cfg(feature = "cli")]
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum FetchSchema {
    /// The full items, read with one `BatchGetItem` per page.
    Items,
}

/// A query's order.
#[cfg(feature = "cli")]
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum OrderSchema {
    /// Ascending sort key (the default).
    Ascending,
    /// Ascending sort key.
    OldestFirst,
    /// Descending sort key.
    Descending,
    /// Descending sort key.
    NewestFirst,
}

#[cfg(feature = "cli")]
impl JsonSchema for RawEntity {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RawEntity".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let keys = generator.subschema_for::<RawKeys>();
        schemars::json_schema!({
            "description": "An entity: its key templates by index name (`primary` for the table's own key), and a description.",
            "type": "object",
            "properties": {
                "description": { "type": "string", "description": "What the entity is." },
                "schema_version": { "type": "integer", "minimum": 1, "description": "The entity's schema version, stored on each item for migrations." },
                "primary": keys,
                "previous_primary": {
                    "allOf": [keys],
                    "description": "During a re-key: the primary template the items had before. Gets fall back to it and writes move the item first, until the migration has moved every item (then remove it). Its fields must be fields of `primary`."
                },
            },
            "required": ["primary"],
            "additionalProperties": keys,
        })
    }
}

/// The JSON Schema of the schema file, for editors: committed as
/// `dynaschema.schema.json` and named in each schema's first line,
/// `#:schema ./dynaschema.schema.json`. (Feature `cli`.)
#[cfg(feature = "cli")]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawSchema);
    serde_json::to_string_pretty(&schema).expect("a JSON Schema serializes") + "\n"
}

/// The field names serde expects for `T`, read from its `Deserialize` impl so that
/// "did you mean" suggestions can never drift from the parser.
pub fn fields_of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct Probe<'a>(&'a mut &'static [&'static str]);

    #[derive(Debug)]
    struct Done;
    impl std::fmt::Display for Done {
        fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("probe")
        }
    }
    impl std::error::Error for Done {}
    impl serde::de::Error for Done {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Done
        }
    }

    impl<'de> serde::Deserializer<'de> for Probe<'_> {
        type Error = Done;
        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Done> {
            Err(Done)
        }
        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Done> {
            *self.0 = fields;
            Err(Done)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }

    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

// The file's words for the table's settings, as the table definition has them.

impl From<RawStreamView> for dynaschema_core::StreamView {
    fn from(view: RawStreamView) -> Self {
        match view {
            RawStreamView::KeysOnly => Self::KeysOnly,
            RawStreamView::NewImage => Self::NewImage,
            RawStreamView::OldImage => Self::OldImage,
            RawStreamView::NewAndOldImages => Self::NewAndOldImages,
        }
    }
}

impl From<RawTableClass> for dynaschema_core::TableClass {
    fn from(class: RawTableClass) -> Self {
        match class {
            RawTableClass::Standard => Self::Standard,
            RawTableClass::StandardInfrequentAccess => Self::StandardInfrequentAccess,
        }
    }
}

impl From<RawCapacity> for dynaschema_core::Capacity {
    fn from(capacity: RawCapacity) -> Self {
        Self {
            read: capacity.read,
            write: capacity.write,
        }
    }
}

impl From<RawScalarKind> for dynaschema_core::ScalarType {
    fn from(kind: RawScalarKind) -> Self {
        match kind {
            RawScalarKind::String => Self::String,
            RawScalarKind::Number => Self::Number,
        }
    }
}
