//! The validated schema: what the generators see. Every name here has been resolved
//! (entities and indexes are referred to by position), every template parsed, and
//! every rule of [`crate::check`] has passed.

use std::sync::Arc;

use crate::diagnostics::{SourceFile, Span};
use crate::schema::template::KeyTemplate;

/// A validated schema.
#[derive(Debug, Clone)]
pub struct Schema {
    /// The file it came from.
    pub source: Arc<SourceFile>,
    /// `[table]`.
    pub table: Table,
    /// The table's own key (always first, named `primary`) and its GSIs.
    pub indexes: Vec<Index>,
    /// `[entities.*]`, sorted by name.
    pub entities: Vec<Entity>,
    /// `[patterns.*]`, sorted by name.
    pub patterns: Vec<AccessPattern>,
}

/// The name the table's own key goes by in entity and pattern declarations.
pub const PRIMARY: &str = "primary";

/// `[table]`.
#[derive(Debug, Clone)]
pub struct Table {
    /// The logical name (the physical one is given at runtime).
    pub name: String,
    /// The attribute storing each item's entity name.
    pub entity_attribute: String,
    /// The attribute storing the schema version of entities that declare one.
    pub schema_version_attribute: String,
    /// TTL, streams, backups, billing and the rest.
    pub options: TableOptions,
    /// Where `[table]` is.
    pub span: Span,
}

pub use crate::schema::raw::{Capacity, StreamView, TableClass};

/// How the table is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    /// On-demand.
    OnDemand,
    /// Provisioned capacity of the table (each GSI has its own).
    Provisioned(Capacity),
}

/// The table's settings beyond its keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableOptions {
    /// The TTL attribute.
    pub ttl_attribute: Option<String>,
    /// The stream, if enabled.
    pub stream: Option<StreamView>,
    /// Point-in-time recovery.
    pub point_in_time_recovery: bool,
    /// Billing.
    pub billing: Billing,
    /// Deletion protection.
    pub deletion_protection: bool,
    /// Table class.
    pub table_class: TableClass,
    /// Tags, by key.
    pub tags: Vec<(String, String)>,
    /// Replica regions of a global table.
    pub replicas: Vec<String>,
}

/// Whether an index is the table's own key or a GSI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    /// The table's primary key.
    Primary,
    /// A global secondary index.
    Global,
    /// A local secondary index: the table's partition key, another sort key.
    Local,
}

/// Which attributes an index projects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Projection {
    /// Every attribute.
    All,
    /// Only key attributes.
    KeysOnly,
    /// Key attributes and these.
    Include(Vec<String>),
}

/// The table's key or a secondary index.
#[derive(Debug, Clone)]
pub struct Index {
    /// `primary` or the GSI's name.
    pub name: String,
    /// Primary or global.
    pub kind: IndexKind,
    /// Partition key attribute (of a multi-attribute key: the first one; see
    /// [`native`](Self::native)).
    pub partition_key: String,
    /// Sort key attribute (of a multi-attribute key: the first one).
    pub sort_key: Option<String>,
    /// The typed attributes of a multi-attribute key; `None` for a template key.
    pub native: Option<NativeKey>,
    /// Projection (always `All` for the primary index).
    pub projection: Projection,
    /// Provisioned capacity (GSIs of provisioned tables).
    pub capacity: Option<Capacity>,
    /// Where it is declared.
    pub span: Span,
}

/// A multi-attribute (native) index key: attributes holding the entities' own
/// typed values, compared by DynamoDB as numbers or strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeKey {
    /// Partition key attributes (1 to 4).
    pub partition: Vec<KeyAttribute>,
    /// Sort key attributes (0 to 4), compared left to right.
    pub sort: Vec<KeyAttribute>,
}

/// One attribute of a multi-attribute key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAttribute {
    /// Its name.
    pub name: String,
    /// Its type.
    pub kind: ScalarKind,
}

pub use crate::schema::raw::ScalarKind;

impl Index {
    /// The key attributes with their types, partition ones and sort ones: one
    /// string attribute each for a template key, up to four typed ones each for a
    /// multi-attribute key.
    pub fn key_parts(&self) -> (Vec<KeyAttribute>, Vec<KeyAttribute>) {
        match &self.native {
            Some(native) => (native.partition.clone(), native.sort.clone()),
            None => {
                let string = |name: &String| KeyAttribute {
                    name: name.clone(),
                    kind: ScalarKind::String,
                };
                (
                    vec![string(&self.partition_key)],
                    self.sort_key.iter().map(string).collect(),
                )
            }
        }
    }

    /// Every key attribute with its type, partition ones first (template keys are
    /// strings).
    pub fn key_attributes(&self) -> Vec<KeyAttribute> {
        let (mut partition, sort) = self.key_parts();
        partition.extend(sort);
        partition
    }
}

/// `[entities.NAME]`.
#[derive(Debug, Clone)]
pub struct Entity {
    /// The entity's name, also the discriminator value and the default struct name.
    pub name: String,
    /// What it is, if the schema says.
    pub description: Option<String>,
    /// The schema version stored on each item, if declared.
    pub schema_version: Option<u32>,
    /// Its key templates, one entry per index it appears in; the primary first.
    pub keys: Vec<EntityKeys>,
    /// During a re-key, the primary templates its items had before
    /// (`previous_primary`): reads fall back to them, writes move the item first.
    pub previous_primary: Option<EntityKeys>,
    /// Where it is declared.
    pub span: Span,
}

/// An entity's key templates on one index.
#[derive(Debug, Clone)]
pub struct EntityKeys {
    /// Position of the index in [`Schema::indexes`].
    pub index: usize,
    /// The partition key template. On a multi-attribute index, one `{field}`
    /// segment per partition attribute, in order.
    pub partition: KeyTemplate,
    /// The sort key template (present exactly when the index has a sort key). On a
    /// multi-attribute index, one `{field}` segment per sort attribute.
    pub sort: Option<KeyTemplate>,
    /// Where the pair is declared.
    pub span: Span,
}

impl EntityKeys {
    /// Both templates, partition first.
    pub fn templates(&self) -> impl Iterator<Item = &KeyTemplate> {
        std::iter::once(&self.partition).chain(self.sort.as_ref())
    }
}

/// Sort order of a query's results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Ascending sort key (DynamoDB's default).
    Ascending,
    /// Descending sort key, e.g. newest first for timestamp keys.
    Descending,
}

/// What an access pattern does.
#[derive(Debug, Clone)]
pub enum PatternKind {
    /// `GetItem` of one entity by its full primary key.
    Get {
        /// Position in [`Schema::entities`].
        entity: usize,
    },
    /// `Query` of one entity's items in one partition of an index.
    Query {
        /// Position in [`Schema::entities`].
        entity: usize,
        /// Position in [`Schema::indexes`].
        index: usize,
        /// Result order.
        order: Order,
        /// A filter on the items the key condition selects.
        filter: Option<crate::schema::filter::Filter>,
        /// Whether each page's full items are read with `BatchGetItem` (the index
        /// projects only some attributes).
        fetch_items: bool,
    },
    /// A `Scan` of one entity's items across the table or an index.
    Scan {
        /// Position in [`Schema::entities`].
        entity: usize,
        /// Position in [`Schema::indexes`].
        index: usize,
        /// Parallel segments (1 when not declared).
        segments: u32,
        /// A filter on the scanned items.
        filter: Option<crate::schema::filter::Filter>,
    },
    /// One `Query` returning several entities that share a partition, grouped by type.
    Collection {
        /// Positions in [`Schema::entities`], in declaration order.
        entities: Vec<usize>,
        /// Position in [`Schema::indexes`].
        index: usize,
    },
}

/// `[patterns.NAME]`.
#[derive(Debug, Clone)]
pub struct AccessPattern {
    /// The pattern's name, which becomes the generated method's name.
    pub name: String,
    /// What it is for, if the schema says.
    pub description: Option<String>,
    /// What it does.
    pub kind: PatternKind,
    /// Where it is declared.
    pub span: Span,
}

impl Schema {
    /// The entity called `name`.
    pub fn entity(&self, name: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.name == name)
    }

    /// The table's primary index.
    pub fn primary(&self) -> &Index {
        &self.indexes[0]
    }
}

impl Entity {
    /// The entity's templates on index number `index`, if it appears there.
    pub fn keys_on(&self, index: usize) -> Option<&EntityKeys> {
        self.keys.iter().find(|k| k.index == index)
    }

    /// The entity's primary key templates.
    pub fn primary(&self) -> &EntityKeys {
        &self.keys[0]
    }
}
