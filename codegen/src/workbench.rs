//! NoSQL Workbench data models (format 3.0) to and from the schema.
//!
//! [`export`] writes the table, its GSIs and one facet per entity with example items
//! made from the key templates (the [`docs`](crate::docs) examples). [`import`]
//! reads a model — facets with their items, as Workbench and the aws-samples models
//! hold them — and infers each facet's key templates from its items: a `#`-separated
//! segment that is the same in every item and has no digit is a literal, any other
//! is a placeholder named after the attribute holding the same value (cased
//! `|lower` / `|upper` when the key holds it cased), or after the literal before it
//! (`c#12345` -> `C#{c_id}`). Access patterns are not part of a Workbench model;
//! the imported schema lists none, for the user to declare.
//!
//! ```
//! use dynaschema_codegen::{diagnostics::SourceFile, workbench};
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
//! let model = workbench::export(&checked.schema, "Nov 30, 2026, 03:00 AM").unwrap();
//! assert_eq!(model["ModelMetadata"]["Version"], "3.0");
//! let toml = workbench::import(&model).unwrap();
//! assert!(toml.contains(r#"primary = { pk = "USER#{user_id}", sk = "PROFILE" }"#));
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use crate::docs::{Item, example_items};
use crate::names::{snake_case, upper_camel};
use crate::schema::{Billing, Projection, ScalarType, Schema};

/// Why a model cannot be exported or imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkbenchError {
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for WorkbenchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for WorkbenchError {}

fn error(message: impl Into<String>) -> WorkbenchError {
    WorkbenchError {
        message: message.into(),
    }
}

fn key_attribute(name: &str, kind: ScalarType) -> Value {
    json!({
        "AttributeName": name,
        "AttributeType": match kind { ScalarType::String => "S", ScalarType::Number => "N" },
    })
}

fn typed(value: &str, kind: ScalarType) -> Value {
    match kind {
        ScalarType::String => json!({ "S": value }),
        ScalarType::Number => json!({ "N": value }),
    }
}

/// The schema as a NoSQL Workbench data model (format 3.0), `date` its creation
/// and modification date as Workbench writes them (`Nov 30, 2026, 03:00 AM`).
///
/// # Errors
/// When an index has a multi-attribute key, which Workbench models cannot hold.
/// Local secondary indexes are left out (Workbench models have none).
pub fn export(schema: &Schema, date: &str) -> Result<Value, WorkbenchError> {
    if let Some(index) = schema.indexes.iter().find(|i| {
        i.multi_attribute
            .as_ref()
            .is_some_and(|n| n.partition.len() > 1 || n.sort.len() > 1)
    }) {
        return Err(error(format!(
            "index `{}` has a multi-attribute key, which a NoSQL Workbench model cannot hold",
            index.name
        )));
    }
    let primary = schema.primary();
    let kinds: BTreeMap<String, ScalarType> = schema
        .indexes
        .iter()
        .flat_map(|i| i.key_attributes())
        .map(|a| (a.name.into_owned(), a.kind))
        .collect();
    let kind = |name: &str| kinds.get(name).copied().unwrap_or(ScalarType::String);
    let table_keys: Vec<&str> = std::iter::once(primary.partition_key.as_str())
        .chain(primary.sort_key.as_deref())
        .collect();
    let items = example_items(schema);
    let typed_item = |item: &Item| -> Value {
        Value::Object(
            item.attributes
                .iter()
                .map(|(name, value)| (name.clone(), typed(value, kind(name))))
                .collect(),
        )
    };
    let mut non_key: Vec<String> = Vec::new();
    let mut facets = Vec::new();
    for entity in &schema.entities {
        let own: Vec<&Item> = items
            .iter()
            .filter(|i| i.get(&schema.table.entity_attribute) == Some(entity.name.as_str()))
            .collect();
        let mut attributes: Vec<String> = Vec::new();
        for item in &own {
            for (name, _) in &item.attributes {
                if !table_keys.contains(&name.as_str()) && !attributes.contains(name) {
                    attributes.push(name.clone());
                }
            }
        }
        for name in &attributes {
            if !non_key.contains(name) {
                non_key.push(name.clone());
            }
        }
        let mut alias = json!({ "PartitionKeyAlias": primary.partition_key });
        if let Some(sk) = &primary.sort_key {
            alias["SortKeyAlias"] = json!(sk);
        }
        facets.push(json!({
            "FacetName": entity.name,
            "KeyAttributeAlias": alias,
            "TableData": own.iter().map(|i| typed_item(i)).collect::<Vec<_>>(),
            "NonKeyAttributes": attributes,
            "DataAccess": { "MySql": {} },
        }));
    }
    let mut keys =
        json!({ "PartitionKey": key_attribute(&primary.partition_key, ScalarType::String) });
    if let Some(sk) = &primary.sort_key {
        keys["SortKey"] = key_attribute(sk, ScalarType::String);
    }
    let gsis: Vec<Value> = schema
        .indexes
        .iter()
        .filter(|i| i.is_global())
        .map(|index| {
            let attributes = index.key_attributes();
            let mut keys =
                json!({ "PartitionKey": key_attribute(&attributes[0].name, attributes[0].kind) });
            if let Some(sort) = attributes.get(1) {
                keys["SortKey"] = key_attribute(&sort.name, sort.kind);
            }
            let projection = match &index.projection {
                Projection::All => json!({ "ProjectionType": "ALL" }),
                Projection::KeysOnly => json!({ "ProjectionType": "KEYS_ONLY" }),
                Projection::Include(names) => {
                    json!({ "ProjectionType": "INCLUDE", "NonKeyAttributes": names })
                }
            };
            let mut gsi =
                json!({ "IndexName": index.name, "KeyAttributes": keys, "Projection": projection });
            if let Some(capacity) = index.capacity {
                gsi["ProvisionedThroughput"] = json!({
                    "ReadCapacityUnits": capacity.read,
                    "WriteCapacityUnits": capacity.write,
                });
            }
            gsi
        })
        .collect();
    let mut table = json!({
        "TableName": schema.table.name,
        "KeyAttributes": keys,
        "NonKeyAttributes": non_key
            .iter()
            .map(|n| key_attribute(n, kind(n)))
            .collect::<Vec<_>>(),
        "TableFacets": facets,
        "GlobalSecondaryIndexes": gsis,
        "TableData": items.iter().map(typed_item).collect::<Vec<_>>(),
        "DataAccess": { "MySql": {} },
    });
    match schema.table.options.billing {
        Billing::OnDemand => table["BillingMode"] = json!("PAY_PER_REQUEST"),
        Billing::Provisioned(capacity) => {
            table["BillingMode"] = json!("PROVISIONED");
            table["ProvisionedCapacitySettings"] = json!({
                "ProvisionedThroughput": {
                    "ReadCapacityUnits": capacity.read,
                    "WriteCapacityUnits": capacity.write,
                },
            });
        }
    }
    Ok(json!({
        "ModelName": schema.table.name,
        "ModelMetadata": {
            "Author": "",
            "DateCreated": date,
            "DateLastModified": date,
            "Description": format!("The {} table, exported by dynaschema.", schema.table.name),
            "AWSService": "Amazon DynamoDB",
            "Version": "3.0",
        },
        "DataModel": [table],
    }))
}

/// A model's table: its name, key attributes and GSIs, as the import needs them.
struct Keys {
    partition: String,
    sort: Option<String>,
}

fn keys_of(value: &Value, what: &str) -> Result<Keys, WorkbenchError> {
    let name = |key: &str| value[key]["AttributeName"].as_str().map(str::to_owned);
    Ok(Keys {
        partition: name("PartitionKey").ok_or_else(|| {
            error(format!(
                "{what}: no KeyAttributes.PartitionKey.AttributeName"
            ))
        })?,
        sort: name("SortKey"),
    })
}

/// The text of an item's attribute, for strings and numbers.
fn text(item: &Map<String, Value>, attribute: &str) -> Option<String> {
    let value = item.get(attribute)?;
    match value {
        Value::Object(typed) => typed
            .get("S")
            .or_else(|| typed.get("N"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A placeholder or literal inferred for one key segment.
fn infer_template(
    attribute: &str,
    key_attributes: &[&str],
    items: &[&Map<String, Value>],
    names: &mut BTreeMap<String, Vec<String>>,
) -> Option<String> {
    let values: Vec<String> = items
        .iter()
        .map(|i| text(i, attribute))
        .collect::<Option<_>>()?;
    let split: Vec<Vec<&str>> = values.iter().map(|v| v.split('#').collect()).collect();
    let width = split.first()?.len();
    if split.iter().any(|s| s.len() != width) {
        // Items of one facet disagree on the key's shape: take it as one field.
        return Some(format!(
            "{{{}}}",
            placeholder(attribute, None, &values, key_attributes, items, names)
        ));
    }
    let mut segments = Vec::with_capacity(width);
    for position in 0..width {
        let column: Vec<String> = split.iter().map(|s| s[position].to_owned()).collect();
        let constant = column.iter().all(|v| *v == column[0]);
        if constant && !column[0].chars().any(|c| c.is_ascii_digit()) && !column[0].is_empty() {
            segments.push(column[0].clone());
        } else {
            let before = (position > 0).then(|| split[0][position - 1]);
            segments.push(format!(
                "{{{}}}",
                placeholder(attribute, before, &column, key_attributes, items, names)
            ));
        }
    }
    Some(segments.join("#"))
}

/// A placeholder for a key segment holding `column` (one value per item): the
/// attribute (not a key) holding the same values; else a name already standing for
/// the same values in this entity's keys; else one named after the literal before
/// the segment (`c#123` -> `c_id`), or after the key attribute.
fn placeholder(
    key_attribute: &str,
    before: Option<&str>,
    column: &[String],
    key_attributes: &[&str],
    items: &[&Map<String, Value>],
    names: &mut BTreeMap<String, Vec<String>>,
) -> String {
    let attributes: Vec<&String> = items[0]
        .keys()
        .filter(|a| !key_attributes.contains(&a.as_str()))
        .collect();
    for (case, apply) in [
        ("", (|s: &str| s.to_owned()) as fn(&str) -> String),
        ("|lower", |s: &str| s.to_lowercase()),
        ("|upper", |s: &str| s.to_uppercase()),
    ] {
        for attribute in &attributes {
            let same = items
                .iter()
                .zip(column)
                .all(|(item, value)| text(item, attribute).is_some_and(|v| apply(&v) == *value));
            if same {
                let name = identifier(attribute);
                names.insert(name.clone(), column.to_vec());
                return format!("{name}{case}");
            }
        }
    }
    if let Some((name, _)) = names.iter().find(|(_, values)| values.as_slice() == column) {
        return name.clone();
    }
    let stem = before
        .map(identifier)
        .filter(|s| !s.is_empty())
        .map_or_else(|| identifier(key_attribute), |s| format!("{s}_id"));
    let mut name = stem.clone();
    let mut n = 2;
    // One name, one value: a name already standing for other values gets a suffix.
    while names.contains_key(&name) {
        name = format!("{stem}_{n}");
        n += 1;
    }
    names.insert(name.clone(), column.to_vec());
    name
}

/// A Rust field name for an attribute name.
fn identifier(attribute: &str) -> String {
    let snake = snake_case(attribute);
    let mut name: String = snake
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// A TOML string literal.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML key: bare when it can be.
fn toml_key(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        s.to_owned()
    } else {
        toml_string(s)
    }
}

/// The `ProvisionedThroughput` of GSI `index` of `table`, or `null`.
fn gsis_capacity(table: &Value, index: &str) -> Value {
    table["GlobalSecondaryIndexes"]
        .as_array()
        .and_then(|gsis| gsis.iter().find(|g| g["IndexName"] == index))
        .map_or(Value::Null, |g| g["ProvisionedThroughput"].clone())
}

/// The schema (TOML) of the first table of a NoSQL Workbench model.
///
/// # Errors
/// When the model has no table, no key attributes, or no facets to infer entities
/// from.
pub fn import(model: &Value) -> Result<String, WorkbenchError> {
    let table = model["DataModel"]
        .as_array()
        .and_then(|tables| tables.first())
        .ok_or_else(|| error("the model has no DataModel[0] table"))?;
    let name = table["TableName"]
        .as_str()
        .ok_or_else(|| error("DataModel[0] has no TableName"))?;
    let keys = keys_of(&table["KeyAttributes"], "DataModel[0]")?;
    let facets = table["TableFacets"].as_array().cloned().unwrap_or_default();
    if facets.is_empty() {
        return Err(error(
            "the model has no TableFacets: entities and their key templates are inferred from each facet's items",
        ));
    }
    let gsis: Vec<(String, Keys, &Value)> = table["GlobalSecondaryIndexes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|g| {
            let index = g["IndexName"]
                .as_str()
                .ok_or_else(|| error("a GSI has no IndexName"))?;
            Ok((
                index.to_owned(),
                keys_of(&g["KeyAttributes"], index)?,
                &g["Projection"],
            ))
        })
        .collect::<Result<_, WorkbenchError>>()?;
    // The attribute naming each item's facet, if the model has one.
    let entity_attribute = facets
        .iter()
        .flat_map(|f| f["TableData"].as_array().cloned().unwrap_or_default())
        .next()
        .and_then(|first| {
            first
                .as_object()?
                .keys()
                .find(|attribute| {
                    facets.iter().all(|f| {
                        let facet = f["FacetName"].as_str().unwrap_or_default();
                        f["TableData"].as_array().is_none_or(|items| {
                            items.iter().all(|i| {
                                i.as_object()
                                    .and_then(|i| text(i, attribute))
                                    .is_some_and(|v| v == facet)
                            })
                        })
                    })
                })
                .cloned()
        });

    let mut out = String::new();
    let description = model["ModelMetadata"]["Description"]
        .as_str()
        .filter(|d| !d.is_empty());
    let _ = writeln!(
        out,
        "# Imported from the NoSQL Workbench model `{}` by `dynaschema import workbench`.",
        model["ModelName"].as_str().unwrap_or(name)
    );
    if let Some(description) = description {
        let _ = writeln!(out, "# {description}");
    }
    out.push_str("# Key templates were inferred from each facet's items: check them, then declare\n# the access patterns ([patterns.NAME]).\n\n[table]\n");
    let _ = writeln!(out, "name = {}", toml_string(name));
    let _ = writeln!(out, "partition_key = {}", toml_string(&keys.partition));
    if let Some(sort) = &keys.sort {
        let _ = writeln!(out, "sort_key = {}", toml_string(sort));
    }
    if let Some(attribute) = &entity_attribute {
        let _ = writeln!(out, "entity_attribute = {}", toml_string(attribute));
    }
    if table["BillingMode"] == "PROVISIONED" {
        let throughput = &table["ProvisionedCapacitySettings"]["ProvisionedThroughput"];
        if let (Some(read), Some(write)) = (
            throughput["ReadCapacityUnits"].as_u64(),
            throughput["WriteCapacityUnits"].as_u64(),
        ) {
            let _ = writeln!(out, "billing = {{ read = {read}, write = {write} }}");
        }
    }
    for (index, index_keys, projection) in &gsis {
        let _ = writeln!(out, "\n[indexes.{}]", toml_key(index));
        let _ = writeln!(
            out,
            "partition_key = {}",
            toml_string(&index_keys.partition)
        );
        if let Some(sort) = &index_keys.sort {
            let _ = writeln!(out, "sort_key = {}", toml_string(sort));
        }
        match projection["ProjectionType"].as_str() {
            Some("KEYS_ONLY") => out.push_str("projection = \"keys_only\"\n"),
            Some("INCLUDE") => {
                let names: Vec<String> = projection["NonKeyAttributes"]
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(Value::as_str)
                    .map(toml_string)
                    .collect();
                let _ = writeln!(out, "projection = {{ include = [{}] }}", names.join(", "));
            }
            _ => {}
        }
        let throughput = &gsis_capacity(table, index);
        if let (Some(read), Some(write)) = (
            throughput["ReadCapacityUnits"].as_u64(),
            throughput["WriteCapacityUnits"].as_u64(),
        ) {
            let _ = writeln!(out, "capacity = {{ read = {read}, write = {write} }}");
        }
    }
    for facet in &facets {
        let facet_name = facet["FacetName"]
            .as_str()
            .ok_or_else(|| error("a facet has no FacetName"))?;
        let items: Vec<&Map<String, Value>> = facet["TableData"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_object)
            .collect();
        // The entity name is the discriminator value: keep the facet's name as the
        // items hold it, when it is an identifier.
        let entity = if crate::schema::template::is_identifier(facet_name) {
            facet_name.to_owned()
        } else {
            upper_camel(&identifier(facet_name))
        };
        if items.is_empty() {
            let _ = writeln!(
                out,
                "\n# Facet `{facet_name}` has no items to infer its keys from: declare `{entity}` by hand."
            );
            continue;
        }
        let key_attributes: Vec<&str> = std::iter::once(keys.partition.as_str())
            .chain(keys.sort.as_deref())
            .chain(gsis.iter().flat_map(|(_, k, _)| {
                std::iter::once(k.partition.as_str()).chain(k.sort.as_deref())
            }))
            .collect();
        let mut names = BTreeMap::new();
        let mut template =
            |attribute: &str| infer_template(attribute, &key_attributes, &items, &mut names);
        let pk = template(&keys.partition).ok_or_else(|| {
            error(format!(
                "facet `{facet_name}`: an item has no `{}`",
                keys.partition
            ))
        })?;
        let sk = keys.sort.as_deref().map(&mut template);
        let _ = writeln!(out, "\n[entities.{entity}]");
        let primary = match &sk {
            Some(Some(sk)) => format!("{{ pk = {}, sk = {} }}", toml_string(&pk), toml_string(sk)),
            _ => format!("{{ pk = {} }}", toml_string(&pk)),
        };
        let _ = writeln!(out, "primary = {primary}");
        for (index, index_keys, _) in &gsis {
            let Some(pk) = template(&index_keys.partition) else {
                continue;
            };
            let sk = match index_keys.sort.as_deref() {
                Some(attribute) => match template(attribute) {
                    Some(sk) => format!(", sk = {}", toml_string(&sk)),
                    None => continue,
                },
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "{} = {{ pk = {}{sk} }}",
                toml_key(index),
                toml_string(&pk)
            );
        }
    }
    Ok(out)
}
