//! The schema file as written: serde types that mirror the TOML, with spans.
//! Nothing here is validated; [`super::lower`] turns it into the model.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// The whole file.
#[derive(Debug, Deserialize)]
pub struct RawSchema {
    /// `[table]`.
    pub table: Spanned<RawTable>,
    #[serde(default)]
    /// `[indexes.*]`.
    pub indexes: BTreeMap<String, Spanned<RawIndex>>,
    #[serde(default)]
    /// `[entities.*]`.
    pub entities: BTreeMap<String, Spanned<RawEntity>>,
    #[serde(default)]
    /// `[patterns.*]`.
    pub patterns: BTreeMap<String, Spanned<RawPattern>>,
}

/// `[table]`
#[derive(Debug, Deserialize)]
pub struct RawTable {
    /// Logical table name; the generated module is named after it.
    pub name: Spanned<String>,
    /// Partition key attribute name.
    pub partition_key: Spanned<String>,
    /// Sort key attribute name.
    pub sort_key: Option<Spanned<String>>,
    /// Discriminator attribute (default `_et`).
    pub entity_attribute: Option<Spanned<String>>,
}

/// `[indexes.NAME]`
#[derive(Debug, Deserialize)]
pub struct RawIndex {
    /// Partition key attribute name.
    pub partition_key: Spanned<String>,
    /// Sort key attribute name.
    pub sort_key: Option<Spanned<String>>,
    /// `"all"`, `"keys_only"` or `{ include = [..] }`; read in lowering so that a wrong
    /// shape gets a specific message.
    pub projection: Option<Spanned<toml::Value>>,
}

/// `[entities.NAME]`: one key template pair per index the entity appears in, keyed
/// by index name (`primary` for the table itself), plus `description`.
#[derive(Debug, Default)]
pub struct RawEntity {
    /// What it is for.
    pub description: Option<Spanned<String>>,
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

/// `{ pk = "..", sk = ".." }`
#[derive(Debug, Deserialize)]
pub struct RawKeys {
    /// Partition key template.
    pub pk: Spanned<String>,
    /// Sort key template.
    pub sk: Option<Spanned<String>>,
}

/// `[patterns.NAME]`: exactly one of `get`, `query`, `collection`.
#[derive(Debug, Deserialize)]
pub struct RawPattern {
    /// `GetItem` of this entity.
    pub get: Option<Spanned<String>>,
    /// `Query` of this entity.
    pub query: Option<Spanned<String>>,
    /// One `Query` of these entities sharing a partition.
    pub collection: Option<Spanned<Vec<Spanned<String>>>>,
    /// The index (default: the table's primary key).
    pub index: Option<Spanned<String>>,
    /// `ascending`/`oldest_first` (default) or `descending`/`newest_first`.
    pub order: Option<Spanned<String>>,
    /// What it is for.
    pub description: Option<Spanned<String>>,
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
