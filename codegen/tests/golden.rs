//! Golden files: the module `build.rs` generates for each example schema, committed
//! under `tests/golden/`, so a change to the generated code is visible in review.
//! Re-bless with `DYNASCHEMA_BLESS=1 cargo test -p dynaschema-codegen --test golden`.

use std::path::Path;

use dynaschema_codegen::generate::{Options, module_source};

fn check(schema_path: &str, golden: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let checked =
        dynaschema_codegen::load(root.join(schema_path)).unwrap_or_else(|e| panic!("{e}"));
    // Messages name the file as users write it, not by this machine's path.
    let mut schema = checked.schema;
    schema.source = dynaschema_codegen::diagnostics::SourceFile::new(
        "dynaschema.toml",
        schema.source.text.clone(),
    );
    let generated = module_source(&schema, &Options::default());
    let golden_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(golden);
    if std::env::var_os("DYNASCHEMA_BLESS").is_some() {
        std::fs::write(&golden_path, &generated).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&golden_path).unwrap_or_default();
    assert!(
        generated == expected,
        "{} is out of date: the generated module changed. Review the difference and re-bless with \
         `DYNASCHEMA_BLESS=1 cargo test -p dynaschema-codegen --test golden`",
        golden_path.display()
    );
}

#[test]
fn shop_example() {
    check("schema-examples/shop/dynaschema.toml", "shop.rs");
}

#[test]
fn test_bed() {
    check("tests/dynaschema.toml", "testbed.rs");
}

#[test]
fn configured_table() {
    check("tests/schemas/configured.toml", "configured.rs");
}

#[test]
fn ecommerce_example() {
    check("schema-examples/ecommerce/dynaschema.toml", "ecommerce.rs");
}

#[test]
fn big_time_deals_example() {
    check(
        "schema-examples/big-time-deals/dynaschema.toml",
        "big_time_deals.rs",
    );
}

#[test]
fn version_control_example() {
    check(
        "schema-examples/version-control/dynaschema.toml",
        "version_control.rs",
    );
}

#[test]
fn online_shop_example() {
    check(
        "schema-examples/online-shop/dynaschema.toml",
        "online_shop.rs",
    );
}

#[test]
fn multi_attribute_keys() {
    check("tests/schemas/tournament.toml", "tournament.rs");
    check("tests/schemas/keywords.toml", "keywords.rs");
}

#[test]
fn sharded_keys() {
    check("tests/schemas/sharded-8.toml", "sharded.rs");
}

#[test]
fn time_buckets() {
    check("tests/schemas/buckets.toml", "buckets.rs");
}
