//! A schema as documentation: an entity/key table, an access-pattern table with the
//! equivalent DynamoDB request of every pattern, and (in HTML) example items laid
//! out by partition, as NoSQL Workbench's aggregate view shows them.
//!
//! ```
//! use dynaschema_codegen::{diagnostics::SourceFile, docs};
//!
//! let checked = dynaschema_codegen::parse(SourceFile::new("dynaschema.toml", r#"
//! [table]
//! name = "App"
//! partition_key = "pk"
//! sort_key = "sk"
//!
//! [entities.User]
//! primary = { pk = "USER#{user_id}", sk = "PROFILE" }
//!
//! [patterns.get_user]
//! get = "User"
//! "#)).unwrap();
//! let markdown = docs::markdown(&checked.schema);
//! assert!(markdown.contains("| `User` |  | `USER#{user_id}` | `PROFILE` |"));
//! let items = docs::example_items(&checked.schema);
//! assert_eq!(items[0].get("pk"), Some("USER#user1"));
//! let html = docs::html(&checked.schema, &items);
//! assert!(html.contains("USER#user1"));
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use crate::schema::template::{KeyTemplate, Segment};
use crate::schema::{
    AccessPattern, Entity, EntityKeys, Index, Order, PatternKind, Projection, ScalarType, Schema,
};

/// One access pattern, described for people.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PatternDoc {
    /// The pattern's name (the generated method's).
    pub name: String,
    /// What it is for, if the schema says.
    pub description: Option<String>,
    /// `GetItem`, `Query` or `Scan`, with the entities read.
    pub operation: String,
    /// The index read (`table` for the table's own key).
    pub index: String,
    /// The key condition, in DynamoDB's syntax with the templates as values.
    pub key_condition: String,
    /// The method's parameters.
    pub parameters: Vec<String>,
    /// The equivalent DynamoDB request; `{name}` stands for a parameter's value.
    /// (A `serde_json::Value` has string keys only, so it always serializes: the
    /// renderers' `expect("JSON values serialize")` cannot fail.)
    pub request: Value,
}

fn index_label(index: &Index) -> String {
    if index.is_primary() {
        "table".to_owned()
    } else {
        index.name.clone()
    }
}

/// The value of a template key attribute, as the request JSON writes it.
fn string_value(text: &str) -> Value {
    json!({ "S": text })
}

/// The key attributes (name, value template, type) selecting one partition of an
/// index, and the sort key's narrowing (attribute, `=` or `begins_with`, value).
type Narrowing = Option<(String, &'static str, String)>;

fn partition_of(index: &Index, keys: &EntityKeys) -> Vec<(String, String, ScalarType)> {
    match &index.multi_attribute {
        Some(key) => key
            .partition
            .iter()
            .zip(keys.partition.fields())
            .map(|(a, f)| (a.name.to_string(), format!("{{{}}}", f.name), a.kind))
            .collect(),
        None => vec![(
            index.partition_key.clone(),
            keys.partition.text.clone(),
            ScalarType::String,
        )],
    }
}

/// How the generated method narrows the sort key by default: to the constant sort
/// key, or to its literal prefix.
fn sort_narrowing(index: &Index, keys: &EntityKeys) -> Narrowing {
    if index.multi_attribute.is_some() {
        return None;
    }
    let (template, attribute) = (keys.sort.as_ref()?, index.sort_key.as_ref()?);
    if template.is_constant() {
        Some((attribute.clone(), "=", template.text.clone()))
    } else {
        let prefix = template.literal_prefix();
        (!prefix.is_empty()).then(|| {
            (
                attribute.clone(),
                "begins_with",
                format!("{}#", prefix.join("#")),
            )
        })
    }
}

fn attribute_value(kind: ScalarType, text: &str) -> Value {
    match kind {
        ScalarType::String => json!({ "S": text }),
        ScalarType::Number => json!({ "N": text }),
    }
}

fn field_names(templates: &[&KeyTemplate]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for template in templates {
        for field in template.fields() {
            if !names.contains(&field.name) {
                names.push(field.name.clone());
            }
        }
    }
    names
}

/// Every access pattern of the schema, described.
pub fn patterns(schema: &Schema) -> Vec<PatternDoc> {
    schema.patterns.iter().map(|p| pattern(schema, p)).collect()
}

fn pattern(schema: &Schema, pattern: &AccessPattern) -> PatternDoc {
    let table = &schema.table.name;
    let doc = |operation: String, index: &Index, key_condition, parameters, request| PatternDoc {
        name: pattern.name.clone(),
        description: pattern.description.clone(),
        operation,
        index: index_label(index),
        key_condition,
        parameters,
        request,
    };
    match &pattern.kind {
        PatternKind::Get { entity } => {
            let entity = &schema.entities[*entity];
            let keys = entity.primary();
            let primary = schema.primary();
            let mut key = Map::new();
            key.insert(
                primary.partition_key.clone(),
                string_value(&keys.partition.text),
            );
            let mut condition = format!("{} = \"{}\"", primary.partition_key, keys.partition.text);
            if let (Some(attribute), Some(sort)) = (&primary.sort_key, &keys.sort) {
                key.insert(attribute.clone(), string_value(&sort.text));
                let _ = write!(condition, " AND {attribute} = \"{}\"", sort.text);
            }
            let templates: Vec<&KeyTemplate> = keys.templates().collect();
            doc(
                format!("GetItem `{}`", entity.name),
                primary,
                condition,
                field_names(&templates),
                json!({ "TableName": table, "Key": key }),
            )
        }
        PatternKind::Query {
            entity,
            index,
            order,
            filter,
            ..
        } => {
            let entity = &schema.entities[*entity];
            let keys = entity.keys_on(*index).expect("validated");
            let index = &schema.indexes[*index];
            let (condition, mut request, mut parameters) =
                query_request(schema, index, keys, sort_narrowing(index, keys));
            if *order == Order::Descending {
                request["ScanIndexForward"] = json!(false);
            }
            if let Some(filter) = filter {
                add_filter(&mut request, filter, &mut parameters);
            }
            doc(
                format!("Query `{}`", entity.name),
                index,
                condition,
                parameters,
                request,
            )
        }
        PatternKind::Collection { entities, index } => {
            let names: Vec<String> = entities
                .iter()
                .map(|&e| format!("`{}`", schema.entities[e].name))
                .collect();
            let first = &schema.entities[entities[0]];
            let keys = first.keys_on(*index).expect("validated");
            let index = &schema.indexes[*index];
            let (condition, request, parameters) = query_request(schema, index, keys, None);
            doc(
                format!("Query collection {}", names.join(", ")),
                index,
                condition,
                parameters,
                request,
            )
        }
        PatternKind::Scan {
            entity,
            index,
            segments,
            filter,
        } => {
            let entity = &schema.entities[*entity];
            let index = &schema.indexes[*index];
            let mut request = json!({
                "TableName": table,
                "FilterExpression": "#et = :et",
                "ExpressionAttributeNames": { "#et": schema.table.entity_attribute },
                "ExpressionAttributeValues": { ":et": string_value(&entity.name) },
            });
            if !index.is_primary() {
                request["IndexName"] = json!(index.name);
            }
            if *segments > 1 {
                request["TotalSegments"] = json!(segments);
                request["Segment"] = json!("{0..segments}");
            }
            let mut parameters = Vec::new();
            if let Some(filter) = filter {
                add_filter(&mut request, filter, &mut parameters);
            }
            doc(
                format!("Scan `{}`", entity.name),
                index,
                "(none: reads every item)".to_owned(),
                parameters,
                request,
            )
        }
    }
}

/// A `Query` request on one partition of `index`, optionally narrowed by sort key.
fn query_request(
    schema: &Schema,
    index: &Index,
    keys: &EntityKeys,
    narrowing: Narrowing,
) -> (String, Value, Vec<String>) {
    let mut names = Map::new();
    let mut values = Map::new();
    let mut expression = Vec::new();
    let mut condition = Vec::new();
    let partition = partition_of(index, keys);
    let single = partition.len() == 1;
    for (i, (attribute, value, kind)) in partition.iter().enumerate() {
        let (name, placeholder) = if single {
            ("#pk".to_owned(), ":pk".to_owned())
        } else {
            (format!("#pk{i}"), format!(":pk{i}"))
        };
        expression.push(format!("{name} = {placeholder}"));
        condition.push(format!("{attribute} = \"{value}\""));
        names.insert(name, json!(attribute));
        values.insert(placeholder, attribute_value(*kind, value));
    }
    if let Some((attribute, operator, value)) = narrowing {
        if operator == "=" {
            expression.push("#sk = :sk".to_owned());
            condition.push(format!("{attribute} = \"{value}\""));
        } else {
            expression.push("begins_with(#sk, :sk)".to_owned());
            condition.push(format!("begins_with({attribute}, \"{value}\")"));
        }
        names.insert("#sk".to_owned(), json!(attribute));
        values.insert(":sk".to_owned(), string_value(&value));
    }
    let mut request = json!({
        "TableName": schema.table.name,
        "KeyConditionExpression": expression.join(" AND "),
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    });
    if !index.is_primary() {
        request["IndexName"] = json!(index.name);
    }
    let parameters = field_names(&[&keys.partition]);
    (condition.join(" AND "), request, parameters)
}

fn add_filter(
    request: &mut Value,
    filter: &crate::schema::filter::Filter,
    parameters: &mut Vec<String>,
) {
    let expression = filter.expression();
    request["FilterExpression"] = json!(match request["FilterExpression"].as_str() {
        Some(existing) => format!("{existing} AND ({expression})"),
        None => expression,
    });
    let names = request["ExpressionAttributeNames"]
        .as_object_mut()
        .expect("an object");
    for (i, field) in filter.fields.iter().enumerate() {
        names.insert(format!("#f{i}"), json!(field.name));
    }
    let values = request["ExpressionAttributeValues"]
        .as_object_mut()
        .expect("an object");
    for (i, (param, _)) in filter.params.iter().enumerate() {
        values.insert(format!(":f{i}"), json!(format!("{{{}}}", param.name)));
        parameters.push(param.name.clone());
    }
}

/// An item to show: attribute names and display values, key attributes first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Item {
    /// The attributes, in display order.
    pub attributes: Vec<(String, String)>,
}

impl Item {
    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn set(&mut self, name: &str, value: String) {
        if self.get(name).is_none() {
            self.attributes.push((name.to_owned(), value));
        }
    }

    /// An item from JSON: plain values (`"pk": "USER#1"`) or DynamoDB's typed ones
    /// (`"pk": {"S": "USER#1"}`).
    pub fn from_json(object: &Map<String, Value>) -> Self {
        Self {
            attributes: object
                .iter()
                .map(|(name, value)| (name.clone(), display(value)))
                .collect(),
        }
    }
}

/// A JSON value as text, DynamoDB's type wrappers unwrapped.
fn display(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(map) if map.len() == 1 => {
            let (kind, inner) = map.iter().next().expect("one entry");
            match (kind.as_str(), inner) {
                ("S" | "N" | "B", Value::String(s)) => s.clone(),
                ("BOOL" | "NULL", v) => v.to_string(),
                ("SS" | "NS" | "BS" | "L", Value::Array(items)) => {
                    let items: Vec<String> = items.iter().map(display).collect();
                    format!("[{}]", items.join(", "))
                }
                ("M", Value::Object(_)) => display(inner),
                _ => value.to_string(),
            }
        }
        other => other.to_string(),
    }
}

/// An example value of a field in the `n`th example item. A field some key cases
/// (`{email|lower}`) gets a capitalized value, so the casing shows in the key.
fn example_value(field: &str, n: usize, kind: ScalarType, cased: bool) -> String {
    if kind == ScalarType::Number {
        return n.to_string();
    }
    if field.ends_with("_at") || field.contains("date") || field.contains("time") {
        return format!("2026-01-{n:02}T12:00:00.000000000Z");
    }
    let stem = field.trim_end_matches("_id");
    if cased {
        let mut chars = stem.chars();
        let first = chars.next().map(|c| c.to_ascii_uppercase());
        format!("{}{}{n}", first.unwrap_or_default(), chars.as_str())
    } else {
        format!("{stem}{n}")
    }
}

/// "8 shards of `event_id`": how a sharded key spreads its partition, for the
/// tables of keys.
fn shards_note(keys: &EntityKeys) -> Option<String> {
    let shards = keys.partition.shards.as_ref()?;
    let of: Vec<String> = shards
        .of
        .iter()
        .map(|s| format!("`{}`", s.field.name))
        .collect();
    Some(format!(
        "{} shards of {}, read by fan-out queries",
        shards.count,
        of.join(", ")
    ))
}

fn render(template: &KeyTemplate, value: &dyn Fn(&str) -> String) -> String {
    let parts: Vec<String> = template
        .segments
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => l.clone(),
            Segment::Field(f) => {
                let v = value(&f.name);
                match (f.case, f.bucket) {
                    (_, Some(bucket)) => bucket.of_rfc3339(&v).to_owned(),
                    (Some(case), None) => case.apply(&v),
                    (None, None) => v,
                }
            }
            Segment::Shard(_) => match &template.shards {
                Some(shards) => {
                    let of: Vec<String> = shards
                        .of
                        .iter()
                        .map(|s| {
                            let v = value(&s.field.name);
                            s.field.case.map_or_else(|| v.clone(), |c| c.apply(&v))
                        })
                        .collect();
                    dynaschema_core::shard_of(&of.join("#"), shards.count).to_string()
                }
                None => "0".to_owned(),
            },
        })
        .collect();
    parts.join("#")
}

/// Example items made from the templates: two of each entity, a field having the
/// same value in every entity's first item (so entities sharing a partition, a user
/// and their orders, land in one), key attributes and the key fields themselves.
pub fn example_items(schema: &Schema) -> Vec<Item> {
    let mut items = Vec::new();
    for n in 1..=2 {
        for entity in &schema.entities {
            items.push(example_item(schema, entity, n));
        }
    }
    items
}

fn example_item(schema: &Schema, entity: &Entity, n: usize) -> Item {
    // A field filling a number attribute of a multi-attribute key is a number.
    let kind_of = |field: &str| {
        entity
            .keys
            .iter()
            .filter_map(|k| Some((k, schema.indexes[k.index].multi_attribute.as_ref()?)))
            .flat_map(|(k, key)| {
                let attributes = key.partition.iter().chain(&key.sort);
                attributes.zip(k.templates().flat_map(KeyTemplate::fields))
            })
            .find(|(_, f)| f.name == field)
            .map_or(ScalarType::String, |(a, _)| a.kind)
    };
    let cased = |field: &str| {
        entity
            .keys
            .iter()
            .flat_map(|k| k.templates())
            .flat_map(KeyTemplate::fields)
            .any(|f| f.name == field && f.case.is_some())
    };
    let value = |field: &str| example_value(field, n, kind_of(field), cased(field));
    let mut item = Item::default();
    let mut fields = Vec::new();
    for keys in &entity.keys {
        let index = &schema.indexes[keys.index];
        if let Some(key) = &index.multi_attribute {
            // Each key attribute holds its field's value (under another name when
            // the field is stored as something else).
            let attributes = key.partition.iter().chain(&key.sort);
            for (attribute, field) in attributes.zip(keys.templates().flat_map(KeyTemplate::fields))
            {
                item.set(&attribute.name, value(&field.name));
                fields.push(field.name.clone());
            }
            continue;
        }
        item.set(&index.partition_key, render(&keys.partition, &value));
        if let (Some(attribute), Some(sort)) = (&index.sort_key, &keys.sort) {
            item.set(attribute, render(sort, &value));
        }
        fields.extend(
            keys.templates()
                .flat_map(KeyTemplate::fields)
                .map(|f| f.name.clone()),
        );
    }
    item.set(&schema.table.entity_attribute, entity.name.clone());
    for field in fields {
        item.set(&field, value(&field));
    }
    item
}

/// Markdown: the table, its indexes, the entity/key table and the pattern table,
/// then each pattern's request.
pub fn markdown(schema: &Schema) -> String {
    let mut out = String::new();
    let cell = |s: &str| s.replace('|', "\\|");
    let code = |s: &str| format!("`{}`", cell(s));
    let _ = writeln!(out, "# {}\n", schema.table.name);
    let _ = writeln!(out, "{}\n", overview(schema));
    let secondary: Vec<(usize, &Index)> = schema
        .indexes
        .iter()
        .enumerate()
        .filter(|(_, i)| !i.is_primary())
        .collect();
    out.push_str("## Entities\n\n| Entity | Description | ");
    let primary = schema.primary();
    let _ = write!(out, "{} |", primary.partition_key);
    if let Some(sk) = &primary.sort_key {
        let _ = write!(out, " {sk} |");
    }
    for (_, index) in &secondary {
        let _ = write!(out, " {} |", index.name);
    }
    out.push('\n');
    let columns = 3 + usize::from(primary.sort_key.is_some()) + secondary.len();
    out.push_str(&"|---".repeat(columns));
    out.push_str("|\n");
    for entity in &schema.entities {
        let keys = entity.primary();
        let _ = write!(
            out,
            "| {} | {} | {} |",
            code(&entity.name),
            cell(entity.description.as_deref().unwrap_or_default()),
            code(&keys.partition.text)
        );
        if primary.sort_key.is_some() {
            let sort = keys.sort.as_ref().map_or(String::new(), |s| code(&s.text));
            let _ = write!(out, " {sort} |");
        }
        for (position, _) in &secondary {
            let text = entity.keys_on(*position).map_or(String::new(), |k| {
                let text = k
                    .templates()
                    .map(|t| code(&t.text))
                    .collect::<Vec<_>>()
                    .join(" / ");
                match shards_note(k) {
                    Some(note) => format!("{text} ({note})"),
                    None => text,
                }
            });
            let _ = write!(out, " {text} |");
        }
        out.push('\n');
    }
    out.push_str(
        "\n## Access patterns\n\n`{name}` in a key stands for the method's parameter `name`.\n\n",
    );
    out.push_str("| Pattern | Operation | Index | Key condition | Parameters | Description |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    let docs = patterns(schema);
    for p in &docs {
        let parameters: Vec<String> = p.parameters.iter().map(|n| code(n)).collect();
        let _ = writeln!(
            out,
            "| [`{}`](#{}) | {} | {} | {} | {} | {} |",
            p.name,
            p.name.replace('_', "-"),
            cell(&p.operation),
            code(&p.index),
            code(&p.key_condition),
            parameters.join(", "),
            cell(p.description.as_deref().unwrap_or_default())
        );
    }
    for p in &docs {
        let _ = writeln!(out, "\n### {}\n", p.name);
        if let Some(description) = &p.description {
            let _ = writeln!(out, "{description}\n");
        }
        let _ = writeln!(
            out,
            "```json\n{}\n```",
            serde_json::to_string_pretty(&p.request).expect("JSON values serialize")
        );
    }
    out
}

fn overview(schema: &Schema) -> String {
    let primary = schema.primary();
    let mut text = format!(
        "Table `{}`: partition key `{}`",
        schema.table.name, primary.partition_key
    );
    if let Some(sk) = &primary.sort_key {
        let _ = write!(text, ", sort key `{sk}`");
    }
    let _ = write!(
        text,
        "; each item's entity in `{}`.",
        schema.table.entity_attribute
    );
    for index in schema.indexes.iter().filter(|i| !i.is_primary()) {
        let keys: Vec<String> = index
            .key_attributes()
            .iter()
            .map(|a| format!("`{}`", a.name))
            .collect();
        let kind = if index.is_local() { "LSI" } else { "GSI" };
        let projection = match &index.projection {
            Projection::All => "all attributes".to_owned(),
            Projection::KeysOnly => "keys only".to_owned(),
            Projection::Include(names) => format!("keys and {}", names.join(", ")),
        };
        let _ = write!(
            text,
            "\n{kind} `{}`: {} ({projection}).",
            index.name,
            keys.join(", ")
        );
    }
    text
}

/// `s` escaped for HTML, its `code spans` as `<code>`.
fn inline(s: &str) -> String {
    escape(s)
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_owned()
            }
        })
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The key attribute names of `index`: partition ones, then sort ones.
fn key_names(index: &Index) -> (Vec<String>, Vec<String>) {
    let (partition, sort) = index.key_parts();
    let names = |attributes: Vec<crate::schema::KeyAttribute>| {
        attributes
            .into_iter()
            .map(|a| a.name.into_owned())
            .collect()
    };
    (names(partition), names(sort))
}

/// A static HTML page: the tables of [`markdown`], then for the table and each
/// index the `items` that index holds, grouped by partition like NoSQL Workbench's
/// aggregate view. No scripts; one inline style sheet.
pub fn html(schema: &Schema, items: &[Item]) -> String {
    let mut out = String::new();
    let title = escape(&schema.table.name);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}: dynaschema</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    for line in overview(schema).lines() {
        let _ = writeln!(out, "<p>{}</p>", inline(line));
    }
    out.push_str(
        "<h2>Entities</h2>\n<table class=\"grid\"><thead><tr><th>Entity</th><th>Description</th>",
    );
    for index in &schema.indexes {
        let _ = write!(out, "<th>{}</th>", escape(&index_label(index)));
    }
    out.push_str("</tr></thead><tbody>\n");
    for entity in &schema.entities {
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td>",
            escape(&entity.name),
            inline(entity.description.as_deref().unwrap_or_default())
        );
        for (position, _) in schema.indexes.iter().enumerate() {
            let text = entity.keys_on(position).map_or(String::new(), |k| {
                let text = k
                    .templates()
                    .map(|t| format!("<code>{}</code>", escape(&t.text)))
                    .collect::<Vec<_>>()
                    .join("<br>");
                match shards_note(k) {
                    Some(note) => format!("{text}<br><small>{}</small>", escape(&note)),
                    None => text,
                }
            });
            let _ = write!(out, "<td>{text}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n<h2>Access patterns</h2>\n<table class=\"grid\"><thead><tr><th>Pattern</th><th>Operation</th><th>Index</th><th>Key condition</th><th>Parameters</th><th>Request</th></tr></thead><tbody>\n");
    for p in patterns(schema) {
        let description = p
            .description
            .as_deref()
            .map(|d| format!("<div class=\"note\">{}</div>", inline(d)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr id=\"{name}\"><td><code>{name}</code>{description}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td><details><summary>JSON</summary><pre>{}</pre></details></td></tr>",
            inline(&p.operation),
            escape(&p.index),
            escape(&p.key_condition),
            escape(&p.parameters.join(", ")),
            escape(&serde_json::to_string_pretty(&p.request).expect("JSON values serialize")),
            name = escape(&p.name),
        );
    }
    out.push_str("</tbody></table>\n");
    for index in &schema.indexes {
        aggregate_view(&mut out, schema, index, items);
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Whether `index` holds attribute `name` of its items.
fn projects(schema: &Schema, index: &Index, name: &str) -> bool {
    let table_key = schema
        .primary()
        .key_attributes()
        .iter()
        .any(|a| a.name == name);
    match &index.projection {
        Projection::All => true,
        Projection::KeysOnly => table_key,
        Projection::Include(names) => table_key || names.iter().any(|n| n == name),
    }
}

/// One index's items, grouped by partition.
fn aggregate_view(out: &mut String, schema: &Schema, index: &Index, items: &[Item]) {
    let (partition, sort) = key_names(index);
    let value = |item: &Item, names: &[String]| -> Option<String> {
        let values: Option<Vec<&str>> = names.iter().map(|n| item.get(n)).collect();
        values.map(|v| v.join(" · "))
    };
    let mut groups: BTreeMap<String, Vec<(String, &Item)>> = BTreeMap::new();
    for item in items {
        let (Some(p), Some(s)) = (value(item, &partition), value(item, &sort)) else {
            continue;
        };
        groups.entry(p).or_default().push((s, item));
    }
    let heading = if index.is_primary() {
        "Items by partition".to_owned()
    } else {
        format!("Index <code>{}</code> by partition", escape(&index.name))
    };
    let _ = write!(
        out,
        "<h2>{heading}</h2>\n<table class=\"aggregate\" data-index=\"{}\"><thead><tr><th>{}</th><th>{}</th><th>Entity</th><th>Attributes</th></tr></thead><tbody>\n",
        escape(&index_label(index)),
        escape(&partition.join(" · ")),
        escape(&sort.join(" · ")),
    );
    if groups.is_empty() {
        out.push_str("<tr><td colspan=\"4\">no items</td></tr>\n");
    }
    let keys: Vec<&String> = partition.iter().chain(&sort).collect();
    for (partition_value, mut rows) in groups {
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        let span = rows.len();
        for (i, (sort_value, item)) in rows.into_iter().enumerate() {
            out.push_str("<tr>");
            if i == 0 {
                let _ = write!(
                    out,
                    "<td class=\"partition\" rowspan=\"{span}\">{}</td>",
                    escape(&partition_value)
                );
            }
            let entity = if projects(schema, index, &schema.table.entity_attribute) {
                item.get(&schema.table.entity_attribute).unwrap_or_default()
            } else {
                ""
            };
            let attributes: Vec<String> = item
                .attributes
                .iter()
                .filter(|(n, _)| !keys.contains(&n) && *n != schema.table.entity_attribute)
                .filter(|(n, _)| projects(schema, index, n))
                .map(|(n, v)| {
                    format!(
                        "<span class=\"attr\"><b>{}</b> {}</span>",
                        escape(n),
                        escape(v)
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "<td class=\"sort\">{}</td><td class=\"entity\">{}</td><td>{}</td></tr>",
                escape(&sort_value),
                escape(entity),
                attributes.join(" ")
            );
        }
    }
    out.push_str("</tbody></table>\n");
}

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2330}\
h1{margin-top:0}h2{margin-top:2rem;border-bottom:1px solid #d8dde6;padding-bottom:.25rem}\
table{border-collapse:collapse;margin:.5rem 0;width:100%}\
th,td{border:1px solid #c9d1dc;padding:.35rem .55rem;text-align:left;vertical-align:top}\
th{background:#eef2f7}code{font-size:13px}.note{color:#5a6475;font-size:12px}\
pre{margin:.25rem 0;font-size:12px;white-space:pre-wrap}\
.aggregate td.partition{background:#e7f0fd;font-weight:600;font-family:monospace}\
.aggregate td.sort{font-family:monospace;background:#f6f9fd}\
.aggregate td.entity{color:#6a4fb3;font-weight:600}\
.attr{display:inline-block;margin:0 .6rem .15rem 0;font-family:monospace;font-size:12px}\
.attr b{color:#5a6475;font-weight:500}";
