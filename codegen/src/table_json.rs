//! A schema's table as the DynamoDB API's JSON inputs: `CreateTable` (what
//! `aws dynamodb create-table --cli-input-json` reads) and the companion
//! `UpdateTimeToLive` and `UpdateContinuousBackups` inputs.
//!
//! ```
//! use dynaschema_codegen::{diagnostics::SourceFile, table_json};
//!
//! let checked = dynaschema_codegen::parse(SourceFile::new("dynaschema.toml", r#"
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
        let (partition, sort) = index.key_parts();
        let names = |attributes: Vec<crate::schema::KeyAttribute>| -> Vec<String> {
            attributes.into_iter().map(|a| a.name).collect()
        };
        let (partition, sort) = (names(partition), names(sort));
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
            "StreamViewType": stream_view_type(view),
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

/// The API's name of a stream view type.
pub(crate) fn stream_view_type(view: StreamView) -> &'static str {
    match view {
        StreamView::KeysOnly => "KEYS_ONLY",
        StreamView::NewImage => "NEW_IMAGE",
        StreamView::OldImage => "OLD_IMAGE",
        StreamView::NewAndOldImages => "NEW_AND_OLD_IMAGES",
    }
}

/// A CloudFormation template (JSON) declaring the schema's table: an
/// `AWS::DynamoDB::Table`, or an `AWS::DynamoDB::GlobalTable` when the schema
/// declares replicas (point-in-time recovery, tags, table class and deletion
/// protection then apply to every replica). The physical name is the template's
/// `TableName` parameter, `table_name` by default; the outputs are the table's name,
/// ARN and (with a stream) stream ARN.
///
/// A global table's replicas must include the region the stack is deployed in.
///
/// ```
/// use dynaschema_codegen::{diagnostics::SourceFile, table_json};
///
/// let checked = dynaschema_codegen::parse(SourceFile::new("dynaschema.toml", r#"
/// [table]
/// name = "App"
/// partition_key = "pk"
/// sort_key = "sk"
/// ttl_attribute = "expires"
///
/// [entities.User]
/// primary = { pk = "USER#{user_id}", sk = "PROFILE" }
/// "#)).unwrap();
/// let template = table_json::cloudformation(&checked.schema, "app-prod");
/// let table = &template["Resources"]["Table"];
/// assert_eq!(table["Type"], "AWS::DynamoDB::Table");
/// assert_eq!(table["Properties"]["TimeToLiveSpecification"]["AttributeName"], "expires");
/// assert_eq!(template["Parameters"]["TableName"]["Default"], "app-prod");
/// ```
pub fn cloudformation(schema: &Schema, table_name: &str) -> Value {
    let options = &schema.table.options;
    let mut properties = create_table(schema, table_name);
    let global = !options.replicas.is_empty();
    properties["TableName"] = json!({ "Ref": "TableName" });
    if let Some(view) = options.stream {
        properties["StreamSpecification"] = json!({ "StreamViewType": stream_view_type(view) });
    }
    if let Some(attribute) = &options.ttl_attribute {
        properties["TimeToLiveSpecification"] =
            json!({ "AttributeName": attribute, "Enabled": true });
    }
    let pitr = json!({ "PointInTimeRecoveryEnabled": true });
    let mut resource = if global {
        // Settings a GlobalTable keeps per replica, and capacity split into the
        // replicas' reads and the table's (auto-scaled) writes.
        let object = properties.as_object_mut().expect("an object");
        let tags = object.remove("Tags");
        let class = object.remove("TableClass");
        let protection = object.remove("DeletionProtectionEnabled");
        let write_settings = |capacity: Capacity| {
            json!({ "WriteCapacityAutoScalingSettings": {
                "MinCapacity": capacity.write,
                "MaxCapacity": capacity.write,
                "TargetTrackingScalingPolicyConfiguration": { "TargetValue": 70 },
            }})
        };
        let mut replica_gsis = Vec::new();
        if let Some(Value::Array(gsis)) = object.get_mut("GlobalSecondaryIndexes") {
            for gsi in gsis {
                let gsi = gsi.as_object_mut().expect("an object");
                if let Some(throughput) = gsi.remove("ProvisionedThroughput") {
                    let capacity = Capacity {
                        read: throughput["ReadCapacityUnits"].as_u64().unwrap_or(1),
                        write: throughput["WriteCapacityUnits"].as_u64().unwrap_or(1),
                    };
                    gsi.insert(
                        "WriteProvisionedThroughputSettings".into(),
                        write_settings(capacity),
                    );
                    replica_gsis.push(json!({
                        "IndexName": gsi["IndexName"],
                        "ReadProvisionedThroughputSettings": { "ReadCapacityUnits": capacity.read },
                    }));
                }
            }
        }
        let mut read = None;
        if let Billing::Provisioned(capacity) = options.billing {
            object.remove("ProvisionedThroughput");
            object.insert(
                "WriteProvisionedThroughputSettings".into(),
                write_settings(capacity),
            );
            read = Some(capacity.read);
        }
        let replicas = options
            .replicas
            .iter()
            .map(|region| {
                let mut replica = json!({ "Region": region });
                if options.point_in_time_recovery {
                    replica["PointInTimeRecoverySpecification"] = pitr.clone();
                }
                for (key, value) in [
                    ("Tags", &tags),
                    ("TableClass", &class),
                    ("DeletionProtectionEnabled", &protection),
                ] {
                    if let Some(value) = value {
                        replica[key] = value.clone();
                    }
                }
                if let Some(read) = read {
                    replica["ReadProvisionedThroughputSettings"] =
                        json!({ "ReadCapacityUnits": read });
                }
                if !replica_gsis.is_empty() {
                    replica["GlobalSecondaryIndexes"] = Value::Array(replica_gsis.clone());
                }
                replica
            })
            .collect();
        object.insert("Replicas".into(), Value::Array(replicas));
        json!({ "Type": "AWS::DynamoDB::GlobalTable", "Properties": properties })
    } else {
        if options.point_in_time_recovery {
            properties["PointInTimeRecoverySpecification"] = pitr;
        }
        json!({ "Type": "AWS::DynamoDB::Table", "Properties": properties })
    };
    // Deleting the stack or replacing the resource keeps the data.
    resource["DeletionPolicy"] = json!("Retain");
    resource["UpdateReplacePolicy"] = json!("Retain");
    let mut outputs = json!({
        "TableName": { "Description": "The table's name.", "Value": { "Ref": "Table" } },
        "TableArn": { "Description": "The table's ARN.", "Value": { "Fn::GetAtt": ["Table", "Arn"] } },
    });
    if options.stream.is_some() {
        outputs["StreamArn"] = json!({
            "Description": "The table's stream ARN.",
            "Value": { "Fn::GetAtt": ["Table", "StreamArn"] },
        });
    }
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!("The {} table, as its dynaschema schema declares it.", schema.table.name),
        "Parameters": {
            "TableName": {
                "Type": "String",
                "Default": table_name,
                "Description": "The physical table name.",
            },
        },
        "Resources": { "Table": resource },
        "Outputs": outputs,
    })
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
