//! The runtime's and the generator's modules form layers a newcomer can guess, and
//! no import cycle: each module uses only modules of its own layer or below, and the
//! uses form no cycle. See docs/layers.md and `dynaschema_tests::layers`.

use std::path::Path;

use dynaschema_tests::layers::{Layers, cycle, upward_uses, uses};

const RUNTIME: Layers = &[
    (
        "foundations",
        &[
            "error",
            "key",
            "attribute",
            "entity",
            "expr",
            "filter",
            "limits",
            "cursor",
            "coverage",
            "stream",
            "local",
            "definition",
            "multi_attribute",
            "shard",
        ],
    ),
    ("plumbing", &["request", "table"]),
    (
        "operations",
        &[
            "rekey",
            "item",
            "update",
            "transaction",
            "batch",
            "query",
            "sort_key",
            "scan",
        ],
    ),
    ("administration", &["apply", "migrate"]),
];

const CODEGEN: Layers = &[
    ("foundations", &["diagnostics", "names", "tokens"]),
    ("schema language", &["schema"]),
    ("generation", &["keys", "generate"]),
    ("checks", &["check"]),
    (
        "consumers",
        &[
            "derive",
            "builder",
            "diff",
            "docs",
            "table_json",
            "terraform",
            "workbench",
        ],
    ),
];

fn src(krate: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("src")
}

#[test]
fn every_runtime_module_uses_only_its_layer_and_those_below() {
    let problems = upward_uses(&src("runtime"), RUNTIME);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_runtime_modules_form_no_cycle() {
    assert_eq!(cycle(&src("runtime")), None);
    // The scan sees the modules it should: a rename would otherwise pass silently.
    let uses = uses(&src("runtime"));
    assert!(uses["item"].contains("table") && uses["migrate"].contains("rekey"));
}

#[test]
fn every_generator_module_uses_only_its_layer_and_those_below() {
    let problems = upward_uses(&src("codegen"), CODEGEN);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_generator_modules_form_no_cycle() {
    assert_eq!(cycle(&src("codegen")), None);
    let uses = uses(&src("codegen"));
    assert!(uses["check"].contains("generate") && uses["derive"].contains("check"));
}
