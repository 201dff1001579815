//! NoSQL Workbench models: every example exports and imports back to an equivalent
//! schema, and a model in the shape of aws-samples' facet models imports into a
//! schema that passes `check`, its key templates inferred from the items.

use std::path::Path;

use dynaschema_codegen::diagnostics::SourceFile;
use dynaschema_codegen::schema::{self, Schema};
use dynaschema_codegen::workbench;

fn load(path: &str) -> Schema {
    dynaschema_codegen::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join(path))
        .unwrap_or_else(|e| panic!("{e}"))
        .schema
}

fn parse(toml: &str) -> Schema {
    dynaschema_codegen::parse(SourceFile::new("imported.toml", toml.to_owned()))
        .unwrap_or_else(|d| panic!("{}\n{toml}", d.render()))
        .schema
}

/// What a Workbench model holds of a schema: table keys, the entity attribute, GSIs
/// (keys and projection) and each entity's key templates on each index.
fn modelled(schema: &Schema) -> String {
    let mut out = format!(
        "table {} {:?} {:?} entity attribute {}\n",
        schema.table.name,
        schema.primary().partition_key,
        schema.primary().sort_key,
        schema.table.entity_attribute
    );
    for index in schema.indexes.iter().filter(|i| i.is_global()) {
        out.push_str(&format!(
            "index {} {:?} {:?}\n",
            index.name,
            index
                .key_attributes()
                .iter()
                .map(|a| &a.name)
                .collect::<Vec<_>>(),
            index.projection
        ));
    }
    let mut entities: Vec<String> = schema
        .entities
        .iter()
        .map(|e| {
            let keys: Vec<String> = e
                .keys
                .iter()
                .filter(|k| !schema.indexes[k.index].is_local())
                .map(|k| {
                    let templates: Vec<&str> = k.templates().map(|t| t.text.as_str()).collect();
                    format!("{}={}", schema.indexes[k.index].name, templates.join(" / "))
                })
                .collect();
            format!("entity {} {}", e.name, keys.join(", "))
        })
        .collect();
    entities.sort();
    out + &entities.join("\n")
}

#[test]
fn every_example_survives_export_then_import() {
    for path in [
        "schema-examples/shop/dynaschema.toml",
        "schema-examples/ecommerce/dynaschema.toml",
        "schema-examples/big-time-deals/dynaschema.toml",
        "schema-examples/version-control/dynaschema.toml",
        "schema-examples/online-shop/dynaschema.toml",
        "tests/dynaschema.toml",
        "tests/schemas/configured.toml",
    ] {
        let original = load(path);
        let model = workbench::export(&original, "Nov 30, 2026, 03:00 AM").unwrap();
        assert_eq!(model["ModelMetadata"]["Version"], "3.0");
        let facets = model["DataModel"][0]["TableFacets"].as_array().unwrap();
        assert_eq!(
            facets.len(),
            original.entities.len(),
            "{path}: one facet per entity"
        );
        let imported = parse(&workbench::import(&model).unwrap());
        assert_eq!(modelled(&imported), modelled(&original), "{path}");
    }
}

#[test]
fn multi_attribute_keys_cannot_be_exported() {
    let error = workbench::export(&load("tests/schemas/tournament.toml"), "").unwrap_err();
    assert!(error.message.contains("multi-attribute key"), "{error}");
}

#[test]
fn a_facet_model_in_the_aws_samples_shape_imports() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../cli/tests/workbench/online-shop-facets.json"
    );
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let toml = workbench::import(&model).unwrap();
    let schema = parse(&toml);
    assert_eq!(schema.table.name, "OnlineShop");
    assert_eq!(
        schema.table.entity_attribute, "EntityType",
        "the facet-naming attribute"
    );
    let keys = |entity: &str| -> Vec<String> {
        let e = schema.entity(entity).unwrap();
        e.keys
            .iter()
            .map(|k| {
                let t: Vec<&str> = k.templates().map(|t| t.text.as_str()).collect();
                format!("{}: {}", schema.indexes[k.index].name, t.join(" / "))
            })
            .collect()
    };
    // Literals as the items write them; fields named by the literal before them.
    assert_eq!(keys("customer"), ["primary: c#{c_id} / c#{c_id}"]);
    assert_eq!(
        keys("warehouseItem"),
        ["primary: p#{p_id} / w#{w_id}", "GSI2: w#{w_id} / p#{p_id}"]
    );
    // The same values are the same field across indexes.
    assert_eq!(
        keys("orderItem"),
        [
            "primary: o#{o_id} / p#{p_id}",
            "GSI1: p#{p_id} / {gsi1_sk}",
            "GSI2: c#{c_id} / p#{gsi1_sk}"
        ]
    );
    let gsi2 = schema.indexes.iter().find(|i| i.name == "GSI2").unwrap();
    assert_eq!(gsi2.projection, schema::Projection::KeysOnly);
    assert!(
        schema.entity("shipment").is_none(),
        "no items, no keys to infer"
    );
    assert!(toml.contains("Facet `shipment` has no items"));
}

#[test]
fn a_key_holding_an_attribute_cased_is_a_cased_placeholder() {
    let model = serde_json::json!({
        "ModelName": "M",
        "DataModel": [{
            "TableName": "T",
            "KeyAttributes": { "PartitionKey": { "AttributeName": "pk", "AttributeType": "S" } },
            "TableFacets": [{
                "FacetName": "User",
                "TableData": [
                    { "pk": { "S": "EMAIL#ada@example.com" }, "email": { "S": "Ada@Example.com" } },
                    { "pk": { "S": "EMAIL#bo@example.com" }, "email": { "S": "bo@example.com" } },
                ],
            }],
        }],
    });
    let toml = workbench::import(&model).unwrap();
    assert!(
        toml.contains(r#"primary = { pk = "EMAIL#{email|lower}" }"#),
        "{toml}"
    );
    parse(&toml);
}

#[test]
fn a_model_without_facets_is_refused() {
    let model = serde_json::json!({
        "DataModel": [{
            "TableName": "T",
            "KeyAttributes": { "PartitionKey": { "AttributeName": "pk", "AttributeType": "S" } },
            "TableFacets": [],
        }],
    });
    let error = workbench::import(&model).unwrap_err();
    assert!(error.message.contains("no TableFacets"), "{error}");
}
