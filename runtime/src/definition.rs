//! The table's shape as the schema declares it: keys, indexes and options. The
//! generated `DEFINITION` is one of these; the SDK's `CreateTable` input, the plan of
//! `Table::apply` and the CLI's table definitions are read from it.

use aws_sdk_dynamodb::types::{
    AttributeDefinition, GlobalSecondaryIndex, KeySchemaElement, KeyType,
    Projection as SdkProjection, ProjectionType, ScalarAttributeType,
};

/// The type of a key attribute, as DynamoDB's `AttributeDefinitions` declare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    /// `S`: compared as UTF-8 bytes.
    String,
    /// `N`: compared as numbers.
    Number,
}

impl ScalarType {
    /// The SDK's name for it.
    pub fn sdk(self) -> ScalarAttributeType {
        match self {
            ScalarType::String => ScalarAttributeType::S,
            ScalarType::Number => ScalarAttributeType::N,
        }
    }

    /// `"string"` or `"number"`, as the schema writes it.
    pub const fn name(self) -> &'static str {
        match self {
            ScalarType::String => "string",
            ScalarType::Number => "number",
        }
    }
}

/// One attribute of an index key: its name and type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyAttribute {
    /// The attribute name.
    pub name: &'static str,
    /// Its type.
    pub kind: ScalarType,
}

impl KeyAttribute {
    /// A string attribute: how every synthetic (template) key is stored.
    pub const fn string(name: &'static str) -> Self {
        Self {
            name,
            kind: ScalarType::String,
        }
    }

    /// A number attribute.
    pub const fn number(name: &'static str) -> Self {
        Self {
            name,
            kind: ScalarType::Number,
        }
    }
}

/// A table as the schema declares it: key attributes, discriminator, indexes.
///
/// The build step generates one as `DEFINITION` in the schema's module; it is the
/// source for [`Table::create_table`](crate::Table::create_table) and for the attribute names every request uses.
///
/// ```
/// use dynaschema::{IndexDefinition, Projection, TableDefinition, TableOptions};
/// use dynaschema::native_key::KeyAttribute;
///
/// static APP: TableDefinition = TableDefinition {
///     name: "App",
///     partition_key: "pk",
///     sort_key: Some("sk"),
///     entity_attribute: "_et",
///     indexes: &[IndexDefinition {
///         name: "gsi1",
///         partition_key: &[KeyAttribute::string("gsi1pk")],
///         sort_key: &[KeyAttribute::string("gsi1sk")],
///         projection: Projection::All,
///         capacity: None,
///         local: false,
///     }],
///     entities: &["User", "Order"],
///     options: TableOptions::DEFAULT,
/// };
/// assert_eq!(APP.index("gsi1").unwrap().partition_key[0].name, "gsi1pk");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDefinition {
    /// The logical name in the schema (the physical name is given at runtime).
    pub name: &'static str,
    /// The table's partition key attribute.
    pub partition_key: &'static str,
    /// The table's sort key attribute, if it has one.
    pub sort_key: Option<&'static str>,
    /// The attribute holding each item's entity name.
    pub entity_attribute: &'static str,
    /// The global secondary indexes.
    pub indexes: &'static [IndexDefinition],
    /// The names of the schema's entities.
    pub entities: &'static [&'static str],
    /// TTL, streams, backups, billing and the rest.
    pub options: TableOptions,
}

/// A table's settings beyond its keys, as the schema declares them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableOptions {
    /// The attribute holding each item's expiry time (epoch seconds).
    pub ttl_attribute: Option<&'static str>,
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
    /// Tags.
    pub tags: &'static [(&'static str, &'static str)],
    /// Regions of global-table replicas (not created by [`Table::create_table`](crate::Table::create_table):
    /// replicas are infrastructure, made by the CLI's table definitions).
    pub replicas: &'static [&'static str],
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
        tags: &[],
        replicas: &[],
    };
}

/// What each stream record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    pub(crate) fn sdk(self) -> aws_sdk_dynamodb::types::StreamViewType {
        use aws_sdk_dynamodb::types::StreamViewType;
        match self {
            StreamView::KeysOnly => StreamViewType::KeysOnly,
            StreamView::NewImage => StreamViewType::NewImage,
            StreamView::OldImage => StreamViewType::OldImage,
            StreamView::NewAndOldImages => StreamViewType::NewAndOldImages,
        }
    }

    /// A stream of this view, enabled.
    pub(crate) fn specification(self) -> aws_sdk_dynamodb::types::StreamSpecification {
        aws_sdk_dynamodb::types::StreamSpecification::builder()
            .stream_enabled(true)
            .stream_view_type(self.sdk())
            .build()
            .expect("enabled is set")
    }
}

/// How a table is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    /// On-demand, per request.
    OnDemand,
    /// Provisioned capacity of the table (each GSI declares its own).
    Provisioned(Capacity),
}

/// Provisioned read and write capacity units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    /// Read capacity units.
    pub read: u64,
    /// Write capacity units.
    pub write: u64,
}

/// The table class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableClass {
    /// DynamoDB Standard.
    Standard,
    /// DynamoDB Standard-Infrequent Access.
    StandardInfrequentAccess,
}

pub(crate) fn throughput(capacity: Capacity) -> aws_sdk_dynamodb::types::ProvisionedThroughput {
    let units = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    aws_sdk_dynamodb::types::ProvisionedThroughput::builder()
        .read_capacity_units(units(capacity.read))
        .write_capacity_units(units(capacity.write))
        .build()
        .expect("both units are set")
}

/// A global secondary index of a [`TableDefinition`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDefinition {
    /// The index name, as DynamoDB knows it.
    pub name: &'static str,
    /// The index's partition key attributes: one string attribute for a template
    /// key, up to four typed attributes for a [multi-attribute key](crate::native_key).
    pub partition_key: &'static [KeyAttribute],
    /// The index's sort key attributes: none, one string attribute for a template
    /// key, or up to four typed attributes.
    pub sort_key: &'static [KeyAttribute],
    /// Which attributes the index holds.
    pub projection: Projection,
    /// Provisioned capacity (GSIs of provisioned tables).
    pub capacity: Option<Capacity>,
    /// A local secondary index (the table's partition key, created with the table).
    pub local: bool,
}

/// Which attributes an index holds besides its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Projection {
    /// Every attribute.
    All,
    /// Only the table's and the index's key attributes.
    KeysOnly,
    /// The keys plus the named attributes.
    Include(&'static [&'static str]),
}

impl IndexDefinition {
    /// The key schema: partition attributes as `HASH`, sort attributes as `RANGE`.
    pub(crate) fn key_schema(&self) -> Vec<KeySchemaElement> {
        key_schema(
            self.partition_key.iter().map(|a| a.name),
            self.sort_key.iter().map(|a| a.name),
        )
    }

    pub(crate) fn sdk_projection(&self) -> SdkProjection {
        let projection = match self.projection {
            Projection::All => SdkProjection::builder().projection_type(ProjectionType::All),
            Projection::KeysOnly => {
                SdkProjection::builder().projection_type(ProjectionType::KeysOnly)
            }
            Projection::Include(names) => names.iter().fold(
                SdkProjection::builder().projection_type(ProjectionType::Include),
                |p, n| p.non_key_attributes(*n),
            ),
        };
        projection.build()
    }

    /// The index as `CreateTable` and `UpdateTable` declare a GSI.
    pub(crate) fn global_secondary_index(&self) -> GlobalSecondaryIndex {
        GlobalSecondaryIndex::builder()
            .index_name(self.name)
            .set_key_schema(Some(self.key_schema()))
            .projection(self.sdk_projection())
            .set_provisioned_throughput(self.capacity.map(throughput))
            .build()
            .expect("name, key schema and projection are set")
    }
}

pub(crate) fn attribute_definition(attribute: KeyAttribute) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(attribute.name)
        .attribute_type(attribute.kind.sdk())
        .build()
        .expect("name and type are set")
}

impl TableDefinition {
    /// The index called `name`.
    pub fn index(&self, name: &str) -> Option<&IndexDefinition> {
        self.indexes.iter().find(|i| i.name == name)
    }
}

pub(crate) fn key_schema<'a>(
    partition: impl IntoIterator<Item = &'a str>,
    sort: impl IntoIterator<Item = &'a str>,
) -> Vec<KeySchemaElement> {
    let element = |name: &str, key_type| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(key_type)
            .build()
            .expect("name and key type are set")
    };
    partition
        .into_iter()
        .map(|p| element(p, KeyType::Hash))
        .chain(sort.into_iter().map(|s| element(s, KeyType::Range)))
        .collect()
}
