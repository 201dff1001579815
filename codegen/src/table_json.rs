//! A schema's table as the DynamoDB API's JSON inputs: `CreateTable` (what
//! `aws dynamodb create-table --cli-input-json` reads) and the companion
//! `UpdateTimeToLive` and `UpdateContinuousBackups` inputs.
//!
//! ```
//! use dynaschema_codegen::{diagnostics::SourceFile, schema, table_json};
//!
//! let checked = schema::parse(SourceFile::new("dynaschema.toml", r#"
//! [table]
//! name = "App"
//! partition_key = "pk"
//! sort_key = "sk"
//!
//! [entities.User]
//! primary = { pk = "USER#{user_id}", sk = "PROFILE" }
//! "#)).unwrap();
//! let input = table_json::create_table(&checked.schema, "app-prod");
//! assert_eq!(input["TableName"], "app-prod");
//! assert_eq!(input["KeySchema"][0]["AttributeName"], "pk");
//! assert_eq!(input["BillingMode"], "PAY_PER_REQUEST");
//! ```

use serde_json::{Value, json};

use crate::schema::{
    Billing, Capacity, IndexKind, Projection, ScalarKind, Schema, StreamView, TableClass,
};

fn key_schema(partition: &[String], sort: &[String]) -> Value {
    let hash = partition
        .iter()
        .map(|a| json!({ "AttributeName": a, "KeyType": "HASH" }));
    let range = sort
        .iter()
        .map(|a| json!({ "AttributeName": a, "KeyType": "RANGE" }));
    Value::Array(hash.chain(range).collect())
}

fn throughput(capacity: Capacity) -> Value {
    json!({ "ReadCapacityUnits": capacity.read, "WriteCapacityUnits": capacity.write })
}

fn projection(projection: &Projection) -> Value {
    match projection {
        Projection::All => json!({ "ProjectionType": "ALL" }),
        Projection::KeysOnly => json!({ "ProjectionType": "KEYS_ONLY" }),
        Projection::Include(names) => {
            json!({ "ProjectionType": "INCLUDE", "NonKeyAttributes": names })
        }
    }
}

/// The `CreateTable` input of the schema's table, named `table_name`.
pub fn create_table(schema: &Schema, table_name: &str) -> Value {
    let primary = schema.primary();
    let mut attributes: Vec<(String, ScalarKind)> = Vec::new();
    let mut gsis = Vec::new();
    let mut lsis = Vec::new();
    for index in &schema.indexes {
        for a in index.key_attributes() {
            if !attributes.iter().any(|(n, _)| *n == a.name) {
                attributes.push((a.name, a.kind));
            }
        }
        let (partition, sort): (Vec<String>, Vec<String>) = match &index.native {
            Some(n) => (
                n.partition.iter().map(|a| a.name.clone()).collect(),
                n.sort.iter().map(|a| a.name.clone()).collect(),
            ),
            None => (
                vec![index.partition_key.clone()],
                index.sort_key.iter().cloned().collect(),
            ),
        };
        let mut definition = json!({
            "IndexName": index.name,
            "KeySchema": key_schema(&partition, &sort),
            "Projection": projection(&index.projection),
        });
        match index.kind {
            IndexKind::Primary => {}
            IndexKind::Global => {
                if let Some(capacity) = index.capacity {
                    definition["ProvisionedThroughput"] = throughput(capacity);
                }
                gsis.push(definition);
            }
            IndexKind::Local => lsis.push(definition),
        }
    }
    attributes.sort_by(|a, b| a.0.cmp(&b.0));
    let options = &schema.table.options;
    let mut input = json!({
        "TableName": table_name,
        "AttributeDefinitions": attributes.iter().map(|(name, kind)| json!({
            "AttributeName": name,
            "AttributeType": match kind { ScalarKind::String => "S", ScalarKind::Number => "N" },
        })).collect::<Vec<_>>(),
        "KeySchema": key_schema(
            std::slice::from_ref(&primary.partition_key),
            &primary.sort_key.iter().cloned().collect::<Vec<_>>(),
        ),
    });
    if !gsis.is_empty() {
        input["GlobalSecondaryIndexes"] = Value::Array(gsis);
    }
    if !lsis.is_empty() {
        input["LocalSecondaryIndexes"] = Value::Array(lsis);
    }
    match options.billing {
        Billing::OnDemand => input["BillingMode"] = json!("PAY_PER_REQUEST"),
        Billing::Provisioned(capacity) => {
            input["BillingMode"] = json!("PROVISIONED");
            input["ProvisionedThroughput"] = throughput(capacity);
        }
    }
    if let Some(view) = options.stream {
        input["StreamSpecification"] = json!({
            "StreamEnabled": true,
            "StreamViewType": match view {
                StreamView::KeysOnly => "KEYS_ONLY",
                StreamView::NewImage => "NEW_IMAGE",
                StreamView::OldImage => "OLD_IMAGE",
                StreamView::NewAndOldImages => "NEW_AND_OLD_IMAGES",
            },
        });
    }
    if options.deletion_protection {
        input["DeletionProtectionEnabled"] = json!(true);
    }
    if options.table_class == TableClass::StandardInfrequentAccess {
        input["TableClass"] = json!("STANDARD_INFREQUENT_ACCESS");
    }
    if !options.tags.is_empty() {
        input["Tags"] = Value::Array(
            options
                .tags
                .iter()
                .map(|(k, v)| json!({ "Key": k, "Value": v }))
                .collect(),
        );
    }
    input
}

/// The `UpdateTimeToLive` input, when the schema declares a TTL attribute.
pub fn update_time_to_live(schema: &Schema, table_name: &str) -> Option<Value> {
    let attribute = schema.table.options.ttl_attribute.as_ref()?;
    Some(json!({
        "TableName": table_name,
        "TimeToLiveSpecification": { "Enabled": true, "AttributeName": attribute },
    }))
}

/// The `UpdateContinuousBackups` input, when the schema asks for point-in-time
/// recovery.
pub fn update_continuous_backups(schema: &Schema, table_name: &str) -> Option<Value> {
    schema.table.options.point_in_time_recovery.then(|| {
        json!({
            "TableName": table_name,
            "PointInTimeRecoverySpecification": { "PointInTimeRecoveryEnabled": true },
        })
    })
}
