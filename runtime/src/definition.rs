//! The table's shape as the schema declares it ([`TableDefinition`], defined once in
//! `dynaschema-core` and re-exported here), and its mapping to the SDK's `CreateTable`
//! and `UpdateTable` inputs. The generated `DEFINITION` is a `TableDefinition`; the
//! plan of `Table::apply` and the CLI's table definitions are read from it.

use aws_sdk_dynamodb::types::{
    AttributeDefinition, GlobalSecondaryIndex, KeySchemaElement, KeyType, LocalSecondaryIndex,
    Projection as SdkProjection, ProjectionType, ProvisionedThroughput, ScalarAttributeType,
    StreamSpecification, StreamViewType,
};
pub use dynaschema_core::{
    Billing, Capacity, IndexDefinition, IndexKind, KeyAttribute, Projection, ScalarType,
    StreamView, TableClass, TableDefinition, TableOptions,
};

/// The SDK's name for a key attribute type.
pub(crate) fn scalar_type(kind: ScalarType) -> ScalarAttributeType {
    match kind {
        ScalarType::String => ScalarAttributeType::S,
        ScalarType::Number => ScalarAttributeType::N,
    }
}

pub(crate) fn stream_view_type(view: StreamView) -> StreamViewType {
    match view {
        StreamView::KeysOnly => StreamViewType::KeysOnly,
        StreamView::NewImage => StreamViewType::NewImage,
        StreamView::OldImage => StreamViewType::OldImage,
        StreamView::NewAndOldImages => StreamViewType::NewAndOldImages,
    }
}

// The SDK's builders fail only when a required member is missing; every `expect`
// below follows the setter of each member the builder requires, so none can fail.

/// A stream of this view, enabled.
pub(crate) fn stream_specification(view: StreamView) -> StreamSpecification {
    StreamSpecification::builder()
        .stream_enabled(true)
        .stream_view_type(stream_view_type(view))
        .build()
        .expect("enabled is set")
}

pub(crate) fn throughput(capacity: Capacity) -> ProvisionedThroughput {
    let units = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    ProvisionedThroughput::builder()
        .read_capacity_units(units(capacity.read))
        .write_capacity_units(units(capacity.write))
        .build()
        .expect("both units are set")
}

/// An index's key schema: partition attributes as `HASH`, sort attributes as `RANGE`.
pub(crate) fn index_key_schema(index: &IndexDefinition) -> Vec<KeySchemaElement> {
    key_schema(
        index.partition_key.iter().map(|a| &*a.name),
        index.sort_key.iter().map(|a| &*a.name),
    )
}

pub(crate) fn projection(projection: &Projection) -> SdkProjection {
    let builder = match projection {
        Projection::All => SdkProjection::builder().projection_type(ProjectionType::All),
        Projection::KeysOnly => SdkProjection::builder().projection_type(ProjectionType::KeysOnly),
        Projection::Include(names) => names.iter().fold(
            SdkProjection::builder().projection_type(ProjectionType::Include),
            |p, n| p.non_key_attributes(n.as_ref()),
        ),
    };
    builder.build()
}

/// A global index as `CreateTable` and `UpdateTable` declare it.
pub(crate) fn global_secondary_index(index: &IndexDefinition) -> GlobalSecondaryIndex {
    GlobalSecondaryIndex::builder()
        .index_name(index.name.as_ref())
        .set_key_schema(Some(index_key_schema(index)))
        .projection(projection(&index.projection))
        .set_provisioned_throughput(index.capacity.map(throughput))
        .build()
        .expect("name, key schema and projection are set")
}

/// A local index as `CreateTable` declares it.
pub(crate) fn local_secondary_index(index: &IndexDefinition) -> LocalSecondaryIndex {
    LocalSecondaryIndex::builder()
        .index_name(index.name.as_ref())
        .set_key_schema(Some(index_key_schema(index)))
        .projection(projection(&index.projection))
        .build()
        .expect("name, key schema and projection are set")
}

pub(crate) fn attribute_definition(name: &str, kind: ScalarType) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(scalar_type(kind))
        .build()
        .expect("name and type are set")
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
