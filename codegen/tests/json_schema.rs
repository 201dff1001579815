//! `dynaschema.schema.json` (the schema file's JSON Schema, for editors) is generated
//! from the types that parse the file and must be committed up to date.
//! Re-bless with `DYNASCHEMA_BLESS=1 cargo test -p dynaschema-codegen --test json_schema`.

use std::path::Path;

#[test]
fn the_committed_json_schema_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dynaschema.schema.json");
    let generated = dynaschema_codegen::schema::json_schema();
    if std::env::var_os("DYNASCHEMA_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "dynaschema.schema.json is out of date with the schema types; re-bless with \
         `DYNASCHEMA_BLESS=1 cargo test -p dynaschema-codegen --test json_schema`"
    );
}

#[test]
fn the_json_schema_knows_every_key_the_parser_reads() {
    let schema: serde_json::Value =
        serde_json::from_str(&dynaschema_codegen::schema::json_schema()).unwrap();
    let properties = |definition: &str| -> Vec<String> {
        let mut keys: Vec<String> = schema["$defs"][definition]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{definition} has properties"))
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(
        properties("RawTable"),
        [
            "billing",
            "deletion_protection",
            "entity_attribute",
            "name",
            "partition_key",
            "point_in_time_recovery",
            "replicas",
            "schema_version_attribute",
            "sort_key",
            "stream",
            "table_class",
            "tags",
            "ttl_attribute"
        ]
    );
    assert_eq!(properties("RawKeys"), ["pk", "shards", "sk"]);
    assert_eq!(properties("Shards"), ["count", "of"]);
    assert_eq!(
        properties("RawPattern"),
        [
            "collection",
            "description",
            "fetch",
            "filter",
            "get",
            "index",
            "order",
            "query",
            "scan",
            "segments"
        ]
    );
    assert_eq!(schema["$defs"]["RawTable"]["additionalProperties"], false);
}
