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

pub use dynaschema_core::{
    Billing, Capacity, IndexDefinition, IndexKind, KeyAttribute, Projection, ScalarType,
    StreamView, TableClass, TableDefinition, TableOptions,
};

/// The table's key or a secondary index.
#[derive(Debug, Clone)]
pub struct Index {
    /// `primary` or the index's name.
    pub name: String,
    /// Global or local for a secondary index; `None` for the table's own key.
    pub secondary: Option<IndexKind>,
    /// Partition key attribute (of a multi-attribute key: the first one; see
    /// [`multi_attribute`](Self::multi_attribute)).
    pub partition_key: String,
    /// Sort key attribute (of a multi-attribute key: the first one).
    pub sort_key: Option<String>,
    /// The typed attributes of a multi-attribute key; `None` for a template key.
    pub multi_attribute: Option<MultiAttributeKey>,
    /// Projection (always `All` for the primary index).
    pub projection: Projection,
    /// Provisioned capacity (GSIs of provisioned tables).
    pub capacity: Option<Capacity>,
    /// Where it is declared.
    pub span: Span,
}

/// A multi-attribute index key: attributes holding the entities' own typed values,
/// compared by DynamoDB as numbers or strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiAttributeKey {
    /// Partition key attributes (1 to 4).
    pub partition: Vec<KeyAttribute>,
    /// Sort key attributes (0 to 4), compared left to right.
    pub sort: Vec<KeyAttribute>,
}

impl Index {
    /// Whether this is the table's own key.
    pub fn is_primary(&self) -> bool {
        self.secondary.is_none()
    }

    /// Whether this is a global secondary index.
    pub fn is_global(&self) -> bool {
        self.secondary == Some(IndexKind::Global)
    }

    /// Whether this is a local secondary index.
    pub fn is_local(&self) -> bool {
        self.secondary == Some(IndexKind::Local)
    }

    /// The key attributes with their types, partition ones and sort ones: one
    /// string attribute each for a template key, up to four typed ones each for a
    /// multi-attribute key.
    pub fn key_parts(&self) -> (Vec<KeyAttribute>, Vec<KeyAttribute>) {
        match &self.multi_attribute {
            Some(key) => (key.partition.clone(), key.sort.clone()),
            None => {
                let string = |name: &String| KeyAttribute {
                    name: name.clone().into(),
                    kind: ScalarType::String,
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

    /// The index as a [`TableDefinition`] lists it; `None` for the table's own key.
    pub fn definition(&self) -> Option<IndexDefinition> {
        let (partition, sort) = self.key_parts();
        Some(IndexDefinition {
            name: self.name.clone().into(),
            kind: self.secondary?,
            partition_key: partition.into(),
            sort_key: sort.into(),
            projection: self.projection.clone(),
            capacity: self.capacity,
        })
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
    /// The table's shape: keys, indexes, options. The one description of the table
    /// that the generated `DEFINITION`, the runtime, the CLI and every emitter
    /// (`CreateTable`, CloudFormation, Terraform) read.
    pub fn definition(&self) -> TableDefinition {
        let primary = self.primary();
        TableDefinition {
            name: self.table.name.clone().into(),
            partition_key: primary.partition_key.clone().into(),
            sort_key: primary.sort_key.clone().map(Into::into),
            entity_attribute: self.table.entity_attribute.clone().into(),
            indexes: self
                .indexes
                .iter()
                .filter_map(Index::definition)
                .collect::<Vec<_>>()
                .into(),
            entities: self
                .entities
                .iter()
                .map(|e| e.name.clone().into())
                .collect::<Vec<_>>()
                .into(),
            options: self.table.options.clone(),
        }
    }

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
