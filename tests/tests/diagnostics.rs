//! Schema diagnostics: every mistake in a file is reported in one run, at its
//! line and column, and rendered through miette.

use dynaschema_codegen::diagnostics::{Severity, SourceFile};

fn check(name: &str, text: &str) -> dynaschema_codegen::diagnostics::Diagnostics {
    dynaschema_codegen::parse(SourceFile::new(name, text))
        .expect_err("the schema has planted mistakes")
}

#[test]
fn every_planted_mistake_is_reported_once_at_its_place() {
    let text = include_str!("../fixtures/planted-mistakes.toml");
    let diagnostics = check("planted-mistakes.toml", text);
    let found: Vec<(String, &str)> = diagnostics
        .items()
        .iter()
        .map(|d| (diagnostics.location(d), d.code))
        .collect();
    let expected = [
        ("planted-mistakes.toml:5:1", "schema::unknown-key"),
        ("planted-mistakes.toml:12:24", "schema::bad-placeholder"),
        ("planted-mistakes.toml:13:8", "schema::unknown-index"),
        (
            "planted-mistakes.toml:16:52",
            "schema::placeholder-not-segment",
        ),
        ("planted-mistakes.toml:22:18", "check::collection-partition"),
        ("planted-mistakes.toml:25:7", "schema::unknown-entity"),
        ("planted-mistakes.toml:29:9", "schema::unknown-index"),
        ("planted-mistakes.toml:33:1", "schema::unknown-key"),
    ];
    let expected: Vec<(String, &str)> = expected.iter().map(|(l, c)| (l.to_string(), *c)).collect();
    assert_eq!(found, expected, "\n{}", diagnostics.to_plain());
    insta::assert_snapshot!("planted_mistakes_plain", diagnostics.to_plain());
    insta::assert_snapshot!("planted_mistakes_rendered", diagnostics.render());
}

#[test]
fn suggestions_name_the_nearest_valid_name() {
    let diagnostics = check(
        "planted-mistakes.toml",
        include_str!("../fixtures/planted-mistakes.toml"),
    );
    let help: Vec<Option<&str>> = diagnostics
        .items()
        .iter()
        .map(|d| d.help.as_deref())
        .collect();
    assert_eq!(help[0], Some("did you mean `entity_attribute`?"));
    assert_eq!(help[2], Some("did you mean `gsi1`?"));
    assert_eq!(help[5], Some("did you mean `User`?"));
    assert_eq!(help[6], Some("did you mean `gsi1`?"));
    assert_eq!(help[7], Some("did you mean `description`?"));
}

#[test]
fn a_toml_syntax_error_is_reported_with_its_place() {
    let diagnostics = check(
        "broken.toml",
        "[table]\nname = \"App\npartition_key = \"pk\"\n",
    );
    assert_eq!(diagnostics.items()[0].code, "schema::syntax");
    assert!(
        diagnostics
            .location(&diagnostics.items()[0])
            .starts_with("broken.toml:2:")
    );
}

#[test]
fn a_wrong_value_type_is_reported_with_its_place() {
    let diagnostics = check("types.toml", "[table]\nname = \"App\"\npartition_key = 5\n");
    assert_eq!(diagnostics.items()[0].code, "schema::shape");
    assert_eq!(
        diagnostics.location(&diagnostics.items()[0]),
        "types.toml:3:17"
    );
}

#[test]
fn pattern_kind_mistakes_are_each_reported() {
    let text = r#"
[table]
name = "App"
partition_key = "pk"

[entities.User]
primary = { pk = "USER#{user_id}", sk = "X" }

[patterns.both]
get = "User"
query = "User"

[patterns.lonely]
collection = ["User"]
"#;
    let diagnostics = check("kinds.toml", text);
    let codes: Vec<&str> = diagnostics.items().iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            "schema::sort-key-without-attribute",
            "schema::pattern-kind",
            "schema::collection-size"
        ],
        "\n{}",
        diagnostics.to_plain()
    );
}

#[test]
fn the_examples_have_no_findings() {
    for path in [
        "../schema-examples/shop/dynaschema.toml",
        "../schema-examples/ecommerce/dynaschema.toml",
        "../schema-examples/big-time-deals/dynaschema.toml",
        "../schema-examples/version-control/dynaschema.toml",
        "../schema-examples/online-shop/dynaschema.toml",
    ] {
        let checked = dynaschema_codegen::load(path).unwrap_or_else(|e| panic!("{e}"));
        assert!(checked.warnings.is_empty(), "{path}: {}", checked.warnings);
    }
}

#[test]
fn the_test_bed_has_exactly_its_deliberate_warnings() {
    // `Revision`'s sort key starts with a field so that tests can show foreign items
    // being skipped: the checks must say so, and nothing else.
    let checked = dynaschema_codegen::load("dynaschema.toml").unwrap_or_else(|e| panic!("{e}"));
    let text = &checked.schema.source.text;
    // The 1-based line of the line that starts with `start`.
    let line = |start: &str| {
        text.lines()
            .position(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no line starts with {start:?}"))
            + 1
    };
    let found: Vec<(String, &str)> = checked
        .warnings
        .items()
        .iter()
        .map(|d| (checked.warnings.location(d), d.code))
        .collect();
    let revision_key = line(r#"primary = { pk = "DOC#{doc_id}", sk = "{revision}" }"#);
    let revisions = line("[patterns.revisions]");
    let document_if = line("[patterns.document_if]");
    let expected = vec![
        (
            format!("dynaschema.toml:{revision_key}:11"),
            "check::key-collision",
        ),
        (
            format!("dynaschema.toml:{revisions}:1"),
            "check::prefix-overlap",
        ),
        (
            format!("dynaschema.toml:{revisions}:1"),
            "check::prefix-overlap",
        ),
        // `document_if` reads sort key `DOC`, which a revision numbered "DOC" would have.
        (
            format!("dynaschema.toml:{document_if}:1"),
            "check::prefix-overlap",
        ),
    ];
    assert_eq!(found, expected, "\n{}", checked.warnings.to_plain());
}

#[test]
fn every_planted_design_mistake_is_reported_at_its_place() {
    let diagnostics = check(
        "design-mistakes.toml",
        include_str!("../fixtures/design-mistakes.toml"),
    );
    let found: Vec<(String, &str, Severity)> = diagnostics
        .items()
        .iter()
        .map(|d| (diagnostics.location(d), d.code, d.severity))
        .collect();
    let expected = [
        (
            "design-mistakes.toml:20:11",
            "check::key-collision",
            Severity::Error,
        ),
        (
            "design-mistakes.toml:24:11",
            "check::key-collision",
            Severity::Warning,
        ),
        (
            "design-mistakes.toml:24:11",
            "check::key-collision",
            Severity::Warning,
        ),
    ];
    let expected: Vec<(String, &str, Severity)> = expected
        .iter()
        .map(|(l, c, s)| (l.to_string(), *c, *s))
        .collect();
    assert_eq!(found, expected, "\n{}", diagnostics.to_plain());
    insta::assert_snapshot!("design_mistakes_errors", diagnostics.render());
}

#[test]
fn design_warnings_are_reported_once_the_errors_are_fixed() {
    let fixed = include_str!("../fixtures/design-mistakes.toml").replace(
        "[entities.Customer]\nprimary = { pk = \"USER#{customer_id}\", sk = \"PROFILE\" }",
        "",
    );
    let checked = dynaschema_codegen::parse(SourceFile::new("design-mistakes.toml", fixed))
        .unwrap_or_else(|e| panic!("{e}"));
    let found: Vec<(String, &str)> = checked
        .warnings
        .items()
        .iter()
        .map(|d| (checked.warnings.location(d), d.code))
        .collect();
    let expected = [
        ("design-mistakes.toml:10:1", "check::unused-index"),
        ("design-mistakes.toml:16:15", "check::hot-partition"),
        ("design-mistakes.toml:23:11", "check::key-collision"),
        ("design-mistakes.toml:29:1", "check::prefix-overlap"),
        ("design-mistakes.toml:32:1", "check::filter-only"),
        ("design-mistakes.toml:40:15", "check::hot-partition"),
    ];
    let expected: Vec<(String, &str)> = expected.iter().map(|(l, c)| (l.to_string(), *c)).collect();
    assert_eq!(found, expected, "\n{}", checked.warnings.to_plain());
    insta::assert_snapshot!("design_mistakes_warnings", checked.warnings.render());
}

#[test]
fn table_option_mistakes_are_each_reported() {
    let text = r#"[table]
name = "App"
partition_key = "pk"
sort_key = "sk"
ttl_attribute = "sk"
billing = { read = 0, write = 5 }
tags = { "aws:team" = "x" }
replicas = ["eu-west-1", "Europe"]

[indexes.gsi1]
partition_key = "gsi1pk"

[indexes.gsi2]
partition_key = "gsi2pk"
capacity = { read = 1, write = 1 }

[entities.User]
primary = { pk = "USER#{id}", sk = "PROFILE" }
gsi1 = { pk = "EMAIL#{email}" }
gsi2 = { pk = "NAME#{name}" }
"#;
    let diagnostics = check("options.toml", text);
    let found: Vec<(String, &str)> = diagnostics
        .items()
        .iter()
        .map(|d| (diagnostics.location(d), d.code))
        .collect();
    let expected = [
        ("options.toml:5:17", "schema::ttl-attribute"),
        ("options.toml:6:11", "schema::capacity"),
        ("options.toml:7:8", "schema::tags"),
        ("options.toml:8:26", "schema::replica-region"),
        ("options.toml:10:1", "schema::capacity"),
    ];
    let expected: Vec<(String, &str)> = expected.iter().map(|(l, c)| (l.to_string(), *c)).collect();
    assert_eq!(found, expected, "\n{}", diagnostics.to_plain());
}

#[test]
fn the_configured_schema_has_no_findings() {
    let checked =
        dynaschema_codegen::load("schemas/configured.toml").unwrap_or_else(|e| panic!("{e}"));
    assert!(checked.warnings.is_empty(), "{}", checked.warnings);
}

#[test]
fn local_index_mistakes_are_each_reported() {
    let text = r#"[table]
name = "App"
partition_key = "pk"
sort_key = "sk"

[indexes.lsi1]
kind = "local"
partition_key = "other"
sort_key = "lsi1sk"

[indexes.lsi2]
kind = "local"

[indexes.lsi3]
kind = "local"
sort_key = "lsi3sk"

[entities.User]
primary = { pk = "USER#{id}", sk = "PROFILE" }
lsi3 = { pk = "X#{id}", sk = "NAME#{name}" }
"#;
    let diagnostics = check("lsi.toml", text);
    let found: Vec<(String, &str)> = diagnostics
        .items()
        .iter()
        .map(|d| (diagnostics.location(d), d.code))
        .collect();
    let expected = [
        ("lsi.toml:8:17", "schema::local-index-partition"),
        ("lsi.toml:11:1", "schema::local-index"),
        ("lsi.toml:20:15", "schema::local-index-partition"),
    ];
    let expected: Vec<(String, &str)> = expected.iter().map(|(l, c)| (l.to_string(), *c)).collect();
    assert_eq!(found, expected, "\n{}", diagnostics.to_plain());
}

#[test]
fn an_unknown_placeholder_modifier_suggests_the_valid_ones() {
    let text = "[table]\nname = \"App\"\npartition_key = \"pk\"\n\n[entities.User]\nprimary = { pk = \"EMAIL#{email|lowercase}\" }\n";
    let diagnostics = check("case.toml", text);
    let d = &diagnostics.items()[0];
    assert_eq!(
        (diagnostics.location(d).as_str(), d.code),
        ("case.toml:6:25", "schema::placeholder-modifier")
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `lower`?"));
}

#[test]
fn partial_projections_serve_queries_but_no_filters_or_collections() {
    let text = r#"[table]
name = "App"
partition_key = "pk"
sort_key = "sk"

[indexes.keys]
partition_key = "gsi1pk"
sort_key = "gsi1sk"
projection = { include = ["name"] }

[indexes.full]
partition_key = "gsi2pk"
sort_key = "gsi2sk"

[entities.User]
primary = { pk = "USER#{id}", sk = "PROFILE" }
keys = { pk = "ALL#{team}", sk = "USER#{id}" }
full = { pk = "TEAM#{team}", sk = "USER#{id}" }

[entities.Team]
primary = { pk = "TEAM#{team}", sk = "TEAM" }
keys = { pk = "ALL#{team}", sk = "TEAM" }
full = { pk = "TEAM#{team}", sk = "TEAM" }

[patterns.filtered_projection]
query = "User"
index = "keys"
filter = "name = {name}"

[patterns.needless_fetch]
query = "User"
index = "full"
fetch = "items"

[patterns.team_members]
collection = ["Team", "User"]
index = "keys"
"#;
    let diagnostics = check("projection.toml", text);
    let found: Vec<(String, &str)> = diagnostics
        .items()
        .iter()
        .map(|d| (diagnostics.location(d), d.code))
        .collect();
    let expected = [
        // A filter sees only the projection: refused without `fetch` (and with it).
        ("projection.toml:28:10", "schema::fetch"),
        ("projection.toml:33:9", "schema::fetch"),
        ("projection.toml:37:9", "schema::partial-projection"),
    ];
    let expected: Vec<(String, &str)> = expected.iter().map(|(l, c)| (l.to_string(), *c)).collect();
    assert_eq!(found, expected, "\n{}", diagnostics.to_plain());
}
