//! Names from the schema become Rust identifiers: keywords work as raw
//! identifiers, path keywords and clashes between generated names are diagnostics
//! at their place in the file, never a build script panicking on bad tokens.

use dynaschema_codegen::diagnostics::SourceFile;
use dynaschema_codegen::generate::{Options, module_source};

const TABLE: &str = "[table]\nname = \"App\"\npartition_key = \"pk\"\nsort_key = \"sk\"\n\n";

/// Each finding as `line:col code`, with the plain rendering on failure.
fn findings(text: &str) -> Vec<String> {
    let text = format!("{TABLE}{text}");
    match dynaschema_codegen::parse(SourceFile::new("names.toml", text)) {
        Ok(checked) => checked
            .warnings
            .items()
            .iter()
            .map(|d| format!("{} {}", checked.warnings.location(d), d.code))
            .collect(),
        Err(diagnostics) => diagnostics
            .items()
            .iter()
            .map(|d| format!("{} {}", diagnostics.location(d), d.code))
            .collect(),
    }
}

fn generated(text: &str) -> String {
    let checked =
        dynaschema_codegen::parse(SourceFile::new("names.toml", format!("{TABLE}{text}")))
            .unwrap_or_else(|e| panic!("{}", e.to_plain()));
    module_source(&checked.schema, &Options::default())
}

#[test]
fn keywords_become_raw_identifiers_everywhere() {
    let source = generated(
        r#"
[entities.Order]
primary = { pk = "USER#{type}", sk = "ORDER#{ref}#{match}" }

[patterns.match]
query = "Order"
filter = "total > {in}"

[patterns.loop]
get = "Order"

[entities.Note]
primary = { pk = "USER#{type}", sk = "NOTE#{id}" }

[patterns.type]
collection = ["Order", "Note"]
"#,
    );
    for expected in [
        "pub fn r#match(",
        "r#type: &super::__dynaschema_Order!(\"type\")",
        "r#in: &super::__dynaschema_Order!(\"total\")",
        "pub fn r#ref(",
        "pub fn ref_between(",
        "pub fn r#loop(",
        "pub async fn r#type(",
        "pub struct Type",
        "pub struct MatchQueryByRef",
    ] {
        assert!(
            source.contains(expected),
            "{expected} missing from\n{source}"
        );
    }
}

#[test]
fn path_keywords_are_refused_where_they_are_written() {
    let found = findings(
        r#"[entities.User]
primary = { pk = "USER#{self}", sk = "P#{super}" }

[entities.Self]
primary = { pk = "SELF#{id}", sk = "S" }

[patterns.crate]
get = "User"

[patterns.users]
query = "User"
filter = "age > {Self}"
"#,
    );
    assert_eq!(
        found,
        [
            "names.toml:7:24 schema::keyword-name",
            "names.toml:7:41 schema::keyword-name",
            "names.toml:9:1 schema::keyword-name",
            "names.toml:12:1 schema::keyword-name",
            "names.toml:17:17 schema::keyword-name",
        ]
    );
}

#[test]
fn a_keyword_table_name_is_refused() {
    let text = "[table]\nname = \"Match\"\npartition_key = \"pk\"\n\n[entities.User]\nprimary = { pk = \"USER#{id}\" }\n";
    let diagnostics = dynaschema_codegen::parse(SourceFile::new("names.toml", text)).unwrap_err();
    let codes: Vec<_> = diagnostics.items().iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["schema::keyword-name"],
        "{}",
        diagnostics.to_plain()
    );
    assert_eq!(
        diagnostics.location(&diagnostics.items()[0]),
        "names.toml:2:8"
    );
}

#[test]
fn names_reserved_for_generated_code_are_refused() {
    let found = findings(
        "[entities.User]\nprimary = { pk = \"USER#{__id}\", sk = \"P\" }\n[patterns.__users]\nget = \"User\"\n",
    );
    assert_eq!(
        found,
        [
            "names.toml:7:24 schema::reserved-name",
            "names.toml:8:1 schema::reserved-name"
        ]
    );
}

/// The methods `dynaschema::Table` has, which the generated `Table` reaches
/// through `Deref`: a pattern of the same name would hide one silently.
#[test]
fn patterns_cannot_shadow_the_table_methods() {
    for name in dynaschema_codegen::names::RUNTIME_TABLE_METHODS
        .iter()
        .chain(dynaschema_codegen::names::TABLE_METHODS)
    {
        let found = findings(&format!(
            "[entities.User]\nprimary = {{ pk = \"USER#{{id}}\", sk = \"P\" }}\n[patterns.{name}]\nget = \"User\"\n"
        ));
        assert_eq!(
            found,
            ["names.toml:8:1 schema::reserved-pattern-name"],
            "pattern `{name}`"
        );
    }
}

#[test]
fn sort_fields_cannot_shadow_the_builder_methods() {
    for name in dynaschema_codegen::names::QUERY_BUILDER_METHODS {
        let found = findings(&format!(
            "[entities.Event]\nprimary = {{ pk = \"E#{{id}}\", sk = \"AT#{{{name}}}\" }}\n[patterns.events]\nquery = \"Event\"\n"
        ));
        assert_eq!(
            found,
            ["names.toml:7:37 check::name-clash"],
            "field `{name}`"
        );
    }
}

#[test]
fn two_declarations_of_one_generated_name_point_at_both() {
    let text = format!(
        "{TABLE}[entities.User]\nprimary = {{ pk = \"USER#{{id}}\", sk = \"P\" }}\n\
         [entities.Order]\nprimary = {{ pk = \"USER#{{id}}\", sk = \"O#{{n}}\" }}\n\
         [patterns.user_data]\ncollection = [\"User\", \"Order\"]\n[patterns.user__data]\ncollection = [\"User\", \"Order\"]\n"
    );
    let diagnostics = dynaschema_codegen::parse(SourceFile::new("names.toml", text)).unwrap_err();
    let plain = diagnostics.to_plain();
    assert_eq!(diagnostics.items().len(), 1, "{plain}");
    let clash = &diagnostics.items()[0];
    assert_eq!(clash.code, "check::name-clash");
    assert_eq!(diagnostics.location(clash), "names.toml:12:1", "{plain}");
    assert_eq!(clash.related.len(), 1);
    let (line, _) = diagnostics.source().line_col(clash.related[0].0.start);
    assert_eq!(line, 10, "{plain}");
    assert!(plain.contains("would both be `UserData`"), "{plain}");
}

#[test]
fn entity_items_the_derive_adds_are_checked_too() {
    // `{Entity}{Index}Projection` of `A` on `b_c` and of `AB` on `c`.
    let found = findings(
        "[indexes.b_c]\npartition_key = \"g1pk\"\nprojection = { include = [\"x\"] }\n\
         [indexes.cc_]\npartition_key = \"g2pk\"\nprojection = { include = [\"x\"] }\n\
         [entities.A]\nprimary = { pk = \"A#{id}\", sk = \"A\" }\nb_c = { pk = \"A#{id}\" }\n\
         [entities.AB]\nprimary = { pk = \"AB#{id}\", sk = \"AB\" }\ncc_ = { pk = \"AB#{id}\" }\n",
    );
    assert!(
        found.iter().all(|f| !f.contains("name-clash")),
        "different names: {found:?}"
    );
    let found = findings(
        "[indexes.bc_d]\npartition_key = \"g1pk\"\nprojection = { include = [\"x\"] }\n\
         [indexes.d__]\npartition_key = \"g2pk\"\nprojection = { include = [\"x\"] }\n\
         [entities.A]\nprimary = { pk = \"A#{id}\", sk = \"A\" }\nbc_d = { pk = \"A#{id}\" }\n\
         [entities.ABc]\nprimary = { pk = \"ABC#{id}\", sk = \"ABC\" }\nd__ = { pk = \"ABC#{id}\" }\n",
    );
    assert!(
        found.iter().any(|f| f.ends_with("check::name-clash")),
        "`ABcDProjection` twice: {found:?}"
    );
}

#[test]
fn a_filter_parameter_named_like_a_key_field_clashes() {
    let found = findings(
        "[entities.User]\nprimary = { pk = \"USER#{id}\", sk = \"P#{n}\" }\n[patterns.users]\nquery = \"User\"\nfilter = \"age > {id}\"\n",
    );
    assert_eq!(found, ["names.toml:10:17 check::name-clash"]);
}
