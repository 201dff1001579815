//! `diff`: each kind of schema change gets its class, with the entities and the
//! attributes a backfill must write.

use dynaschema_codegen::diagnostics::SourceFile;
use dynaschema_codegen::diff::{ChangeClass, SchemaChange, diff, highest};

const V1: &str = r#"
[table]
name = "App"
partition_key = "pk"
sort_key = "sk"

[indexes.gsi1]
partition_key = "gsi1pk"
sort_key = "gsi1sk"

[indexes.by_region]
partition_key = ["tenant", "region"]

[indexes.lsi1]
kind = "local"
sort_key = "lsi1sk"

[entities.User]
primary = { pk = "USER#{user_id}", sk = "PROFILE" }
gsi1 = { pk = "TEAM#{team}", sk = "USER#{user_id}" }

[entities.Site]
primary = { pk = "SITE#{site_id}", sk = "SITE" }
by_region = { pk = ["{tenant}", "{region}"] }
lsi1 = { sk = "AT#{opened}" }

[patterns.get_user]
get = "User"
"#;

fn changes(edit: impl Fn(&str) -> String) -> Vec<SchemaChange> {
    let old = dynaschema_codegen::parse(SourceFile::new("v1.toml", V1)).unwrap();
    let new = dynaschema_codegen::parse(SourceFile::new("v2.toml", edit(V1)))
        .unwrap_or_else(|e| panic!("{}", e.to_plain()));
    diff(&old.schema, &new.schema)
}

fn classes(changes: &[SchemaChange]) -> Vec<(&'static str, ChangeClass)> {
    changes.iter().map(|c| (c.code, c.class)).collect()
}

#[test]
fn the_same_schema_has_no_changes() {
    assert!(changes(|s| s.to_owned()).is_empty());
    // Comments and descriptions concern nobody's items.
    assert!(
        changes(|s| s.replace(
            "[patterns.get_user]",
            "# users\n[patterns.get_user]\ndescription = \"x\""
        ))
        .is_empty()
    );
}

#[test]
fn an_index_template_added_to_an_entity_needs_a_backfill_of_its_attributes() {
    let c = changes(|s| {
        s.replace("primary = { pk = \"SITE#{site_id}\", sk = \"SITE\" }", "primary = { pk = \"SITE#{site_id}\", sk = \"SITE\" }\ngsi1 = { pk = \"TEAM#{team}\", sk = \"SITE#{site_id}\" }")
    });
    assert_eq!(
        classes(&c),
        [("diff::index-template-added", ChangeClass::NeedsBackfill)]
    );
    assert_eq!(c[0].entities, ["Site"]);
    assert_eq!(c[0].attributes, ["gsi1pk", "gsi1sk"]);
}

#[test]
fn a_changed_or_removed_index_template_needs_a_backfill() {
    let c = changes(|s| s.replace("TEAM#{team}", "TEAM#{team|lower}"));
    assert_eq!(
        classes(&c),
        [("diff::index-template-changed", ChangeClass::NeedsBackfill)]
    );
    let c = changes(|s| {
        s.replace(
            "gsi1 = { pk = \"TEAM#{team}\", sk = \"USER#{user_id}\" }\n",
            "",
        )
    });
    assert_eq!(
        classes(&c),
        [("diff::index-template-removed", ChangeClass::NeedsBackfill)]
    );
}

#[test]
fn a_multi_attribute_key_of_the_items_own_fields_needs_no_backfill() {
    let c = changes(|s| {
        s.replace(
            "primary = { pk = \"USER#{user_id}\", sk = \"PROFILE\" }",
            "primary = { pk = \"USER#{user_id}\", sk = \"PROFILE\" }\nby_region = { pk = [\"{tenant}\", \"{home}\"] }",
        )
    });
    // `tenant` is stored as itself; `home` is copied into `region` by dynaschema.
    assert_eq!(
        classes(&c),
        [("diff::index-template-added", ChangeClass::NeedsBackfill)]
    );
    assert_eq!(c[0].attributes, ["region"]);
    let c = changes(|s| {
        s.replace(
            "primary = { pk = \"USER#{user_id}\", sk = \"PROFILE\" }",
            "primary = { pk = \"USER#{user_id}\", sk = \"PROFILE\" }\nby_region = { pk = [\"{tenant}\", \"{region}\"] }",
        )
    });
    assert_eq!(
        classes(&c),
        [("diff::index-template-added", ChangeClass::Compatible)]
    );
}

#[test]
fn a_primary_template_change_is_a_rekey() {
    let c = changes(|s| {
        s.replace(
            "USER#{user_id}\", sk = \"PROFILE\"",
            "USER#{user_id|lower}\", sk = \"PROFILE\"",
        )
    });
    assert_eq!(
        classes(&c),
        [("diff::primary-template", ChangeClass::NeedsRekey)]
    );
    assert_eq!(c[0].entities, ["User"]);
}

#[test]
fn schema_versions_up_are_upgrades_and_down_are_breaking() {
    let up = changes(|s| s.replace("[entities.User]\n", "[entities.User]\nschema_version = 2\n"));
    assert_eq!(
        classes(&up),
        [("diff::schema-version", ChangeClass::NeedsUpgrade)]
    );
    let old = dynaschema_codegen::parse(SourceFile::new(
        "v2.toml",
        V1.replace("[entities.User]\n", "[entities.User]\nschema_version = 3\n"),
    ))
    .unwrap();
    let new = dynaschema_codegen::parse(SourceFile::new(
        "v3.toml",
        V1.replace("[entities.User]\n", "[entities.User]\nschema_version = 2\n"),
    ))
    .unwrap();
    let down = diff(&old.schema, &new.schema);
    assert_eq!(
        classes(&down),
        [("diff::schema-version", ChangeClass::Breaking)]
    );
}

#[test]
fn table_keys_the_entity_attribute_and_local_indexes_are_breaking() {
    let c = changes(|s| s.replace("sort_key = \"sk\"", "sort_key = \"sort\""));
    assert!(classes(&c).contains(&("diff::table-key", ChangeClass::Breaking)));
    let c = changes(|s| {
        s.replace(
            "sort_key = \"sk\"\n",
            "sort_key = \"sk\"\nentity_attribute = \"type\"\n",
        )
    });
    assert_eq!(
        classes(&c),
        [("diff::entity-attribute", ChangeClass::Breaking)]
    );
    let c = changes(|s| s.replace("sort_key = \"lsi1sk\"", "sort_key = \"lsi2sk\""));
    assert_eq!(classes(&c), [("diff::index-key", ChangeClass::Breaking)]);
    assert_eq!(highest(&c), Some(ChangeClass::Breaking));
}

#[test]
fn a_new_index_no_entity_fills_and_table_options_are_compatible() {
    let c = changes(|s| {
        s.replace(
            "sort_key = \"sk\"\n",
            "sort_key = \"sk\"\nstream = \"new_image\"\n",
        ) + "\n[indexes.gsi9]\npartition_key = \"gsi9pk\"\n"
    });
    assert_eq!(
        classes(&c),
        [
            ("diff::table-options", ChangeClass::Compatible),
            ("diff::index-added", ChangeClass::Compatible)
        ]
    );
}

#[test]
fn a_removed_entity_is_breaking_and_reported_in_the_old_file() {
    let c = changes(|s| {
        let start = s.find("[entities.Site]").unwrap();
        let end = s.find("[patterns.get_user]").unwrap();
        format!("{}{}", &s[..start], &s[end..])
    });
    let removed: Vec<_> = c
        .iter()
        .filter(|c| c.code == "diff::entity-removed")
        .collect();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].class, ChangeClass::Breaking);
    assert!(removed[0].new_span.is_none() && removed[0].old_span.is_some());
}

#[test]
fn a_changed_shard_count_needs_the_items_rewritten() {
    let sharded = |s: &str, count: u32| {
        s.replace(
            "gsi1 = { pk = \"TEAM#{team}\", sk = \"USER#{user_id}\" }",
            &format!(
                "gsi1 = {{ pk = \"TEAM#{{team}}#{{shard}}\", sk = \"USER#{{user_id}}\", shards = {{ count = {count}, of = [\"user_id\"] }} }}"
            ),
        )
    };
    // Sharding a partition moves every item: a backfill of both index attributes.
    let c = changes(|s| sharded(s, 8));
    assert_eq!(
        classes(&c),
        [("diff::index-template-changed", ChangeClass::NeedsBackfill)]
    );
    assert_eq!(c[0].attributes, ["gsi1pk", "gsi1sk"]);
    // So does a changed count, and the change says so.
    let old = dynaschema_codegen::parse(SourceFile::new("v1.toml", sharded(V1, 8))).unwrap();
    let new = dynaschema_codegen::parse(SourceFile::new("v2.toml", sharded(V1, 16))).unwrap();
    let c = diff(&old.schema, &new.schema);
    assert_eq!(
        classes(&c),
        [("diff::index-template-changed", ChangeClass::NeedsBackfill)]
    );
    assert!(
        c[0].message.contains("(8 shards of `user_id`)")
            && c[0].message.contains("(16 shards of `user_id`)"),
        "{}",
        c[0].message
    );
}
