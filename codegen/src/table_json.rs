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
//! let input = table_json::create_table(&checked.schema.definition(), "app-prod");
//! assert_eq!(input["TableName"], "app-prod");
//! assert_eq!(input["KeySchema"][0]["AttributeName"], "pk");
//! assert_eq!(input["BillingMode"], "PAY_PER_REQUEST");
//! ```

use serde_json::{Value, json};

use crate::schema::{Billing, Capacity, IndexDefinition, Projection, TableClass, TableDefinition};

fn key_schema<'a>(
    partition: impl IntoIterator<Item = &'a str>,
    sort: impl IntoIterator<Item = &'a str>,
) -> Value {
    let hash = partition
        .into_iter()
        .map(|a| json!({ "AttributeName": a, "KeyType": "HASH" }));
    let range = sort
        .into_iter()
        .map(|a| json!({ "AttributeName": a, "KeyType": "RANGE" }));
    Value::Array(hash.chain(range).collect())
}

fn throughput(capacity: Capacity) -> Value {
    json!({ "ReadCapacityUnits": capacity.read, "WriteCapacityUnits": capacity.write })
}

fn projection(projection: &Projection) -> Value {
    match projection {
        Projection::Include(names) => {
            json!({ "ProjectionType": projection.code(), "NonKeyAttributes": names })
        }
        _ => json!({ "ProjectionType": projection.code() }),
    }
}

fn index(index: &IndexDefinition) -> Value {
    let mut out = json!({
        "IndexName": index.name,
        "KeySchema": key_schema(
            index.partition_key.iter().map(|a| &*a.name),
            index.sort_key.iter().map(|a| &*a.name),
        ),
        "Projection": projection(&index.projection),
    });
    if let Some(capacity) = index.capacity {
        out["ProvisionedThroughput"] = throughput(capacity);
    }
    out
}

/// The `CreateTable` input of the table `definition`, named `table_name`.
pub fn create_table(definition: &TableDefinition, table_name: &str) -> Value {
    let options = &definition.options;
    let mut input = json!({
        "TableName": table_name,
        "AttributeDefinitions": definition.attribute_definitions().iter().map(|(name, kind)| json!({
            "AttributeName": name,
            "AttributeType": kind.code(),
        })).collect::<Vec<_>>(),
        "KeySchema": key_schema([&*definition.partition_key], definition.sort_key.as_deref()),
    });
    let gsis: Vec<Value> = definition.global_indexes().map(index).collect();
    if !gsis.is_empty() {
        input["GlobalSecondaryIndexes"] = Value::Array(gsis);
    }
    let lsis: Vec<Value> = definition.local_indexes().map(index).collect();
    if !lsis.is_empty() {
        input["LocalSecondaryIndexes"] = Value::Array(lsis);
    }
    input["BillingMode"] = json!(options.billing.code());
    if let Billing::Provisioned(capacity) = options.billing {
        input["ProvisionedThroughput"] = throughput(capacity);
    }
    if let Some(view) = options.stream {
        input["StreamSpecification"] = json!({
            "StreamEnabled": true,
            "StreamViewType": view.code(),
        });
    }
    if options.deletion_protection {
        input["DeletionProtectionEnabled"] = json!(true);
    }
    if options.table_class == TableClass::StandardInfrequentAccess {
        input["TableClass"] = json!(options.table_class.code());
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
/// let template = table_json::cloudformation(&checked.schema.definition(), "app-prod");
/// let table = &template["Resources"]["Table"];
/// assert_eq!(table["Type"], "AWS::DynamoDB::Table");
/// assert_eq!(table["Properties"]["TimeToLiveSpecification"]["AttributeName"], "expires");
/// assert_eq!(template["Parameters"]["TableName"]["Default"], "app-prod");
/// ```
pub fn cloudformation(definition: &TableDefinition, table_name: &str) -> Value {
    let options = &definition.options;
    let mut properties = create_table(definition, table_name);
    let global = !options.replicas.is_empty();
    properties["TableName"] = json!({ "Ref": "TableName" });
    if let Some(view) = options.stream {
        properties["StreamSpecification"] = json!({ "StreamViewType": view.code() });
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
        "Description": format!("The {} table, as its dynaschema schema declares it.", definition.name),
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

/// The `UpdateTimeToLive` input, when the table declares a TTL attribute.
pub fn update_time_to_live(definition: &TableDefinition, table_name: &str) -> Option<Value> {
    let attribute = definition.options.ttl_attribute.as_ref()?;
    Some(json!({
        "TableName": table_name,
        "TimeToLiveSpecification": { "Enabled": true, "AttributeName": attribute },
    }))
}

/// The `UpdateContinuousBackups` input, when the table asks for point-in-time
/// recovery.
pub fn update_continuous_backups(definition: &TableDefinition, table_name: &str) -> Option<Value> {
    definition.options.point_in_time_recovery.then(|| {
        json!({
            "TableName": table_name,
            "PointInTimeRecoverySpecification": { "PointInTimeRecoveryEnabled": true },
        })
    })
}
