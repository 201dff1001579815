//! The user guide (`docs/guide`) cannot drift from what it documents: the schema
//! reference lists exactly the keys of `dynaschema.schema.json`, every Rust sample is
//! included from a crate that CI compiles (and whose tests run it), and every
//! included file and anchor exists. (mdBook builds it and headless Chromium opens
//! every page in `.ci/run`.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn guide() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/guide")
}

fn chapter(name: &str) -> String {
    let path = guide().join("src").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json_schema() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dynaschema.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The keys in the first column of the table after each `<!-- schema: Def -->` marker.
fn documented_keys(text: &str) -> Vec<(String, BTreeSet<String>)> {
    let mut sections = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(def) = line
            .strip_prefix("<!-- schema: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        else {
            continue;
        };
        let keys = lines[i + 1..]
            .iter()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .skip(2) // the header and its rule
            .map(|row| {
                let cell = row.split('|').nth(1).expect("a first cell").trim();
                cell.trim_matches('`').to_owned()
            })
            .filter(|key| !key.starts_with('<')) // `<index>`: any index's name
            .collect();
        sections.push((def.to_owned(), keys));
    }
    sections
}

#[test]
fn the_schema_reference_lists_exactly_the_keys_of_the_json_schema() {
    let schema = json_schema();
    let defs = schema["$defs"].as_object().unwrap();
    let reference = chapter("schema-reference.md");
    let sections = documented_keys(&reference);
    let mut covered = BTreeSet::new();
    for (def, keys) in &sections {
        let properties: BTreeSet<String> = defs
            .get(def)
            .unwrap_or_else(|| panic!("the reference names `{def}`, which the JSON Schema lacks"))
            ["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(
            keys, &properties,
            "the reference's `{def}` table lists other keys than the JSON Schema"
        );
        covered.insert(def.clone());
    }
    // Every definition with keys has its table.
    for (name, def) in defs {
        if def.get("properties").is_some() {
            assert!(
                covered.contains(name),
                "no table in the reference for `{name}`"
            );
        }
    }
    // The top level is the four tables, each with its section.
    for top in schema["properties"].as_object().unwrap().keys() {
        assert!(
            reference.contains(&format!("## `[{top}")),
            "no section for `[{top}]`"
        );
    }
    // Every value of every enumeration is spelt somewhere in the reference.
    for (name, def) in defs {
        for value in enumerated(def) {
            assert!(
                reference.contains(&format!("\"{value}\"")),
                "`{name}` value \"{value}\" is not in the reference"
            );
        }
    }
}

/// The string values a definition allows, if it is an enumeration.
fn enumerated(def: &serde_json::Value) -> Vec<String> {
    let mut values = Vec::new();
    if let Some(list) = def.get("enum").and_then(|e| e.as_array()) {
        values.extend(list.iter().filter_map(|v| v.as_str().map(str::to_owned)));
    }
    if let Some(value) = def.get("const").and_then(|c| c.as_str()) {
        values.push(value.to_owned());
    }
    for key in ["oneOf", "anyOf"] {
        for variant in def
            .get(key)
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            values.extend(enumerated(variant));
        }
    }
    values
}

/// Every chapter the summary lists.
fn chapters() -> Vec<String> {
    let summary = chapter("SUMMARY.md");
    let mut names = Vec::new();
    for piece in summary.split("](").skip(1) {
        let name = piece.split(')').next().unwrap();
        names.push(name.to_owned());
    }
    assert!(names.len() >= 14, "{names:?}");
    names
}

#[test]
fn every_chapter_file_is_in_the_summary_and_every_summary_entry_exists() {
    let listed: BTreeSet<String> = chapters().into_iter().collect();
    let mut files = BTreeSet::new();
    for entry in std::fs::read_dir(guide().join("src")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".md") && name != "SUMMARY.md" {
            files.insert(name);
        }
    }
    assert_eq!(listed, files);
}

#[test]
fn every_rust_sample_is_included_from_a_compiled_crate_and_every_include_resolves() {
    let compiled = [
        "../getting-started/",
        "../samples/",
        "../../../schema-examples/lambda/",
        "../../../schema-examples/shop/",
    ];
    let mut includes = 0;
    for name in chapters() {
        let text = chapter(&name);
        let mut in_rust = false;
        let mut block: Vec<String> = Vec::new();
        for line in text.lines() {
            if let Some(info) = line.strip_prefix("```") {
                if in_rust {
                    assert!(
                        block.len() == 1 && block[0].starts_with("{{#include "),
                        "{name}: a Rust block must be one {{{{#include}}}} of compiled code, found {block:?}"
                    );
                    assert!(
                        compiled
                            .iter()
                            .any(|dir| block[0]["{{#include ".len()..].starts_with(dir)),
                        "{name}: {} is not in a compiled crate",
                        block[0]
                    );
                    in_rust = false;
                } else {
                    in_rust = info.starts_with("rust");
                    block.clear();
                }
                continue;
            }
            if in_rust {
                block.push(line.to_owned());
            }
        }
        for piece in text.split("{{#include ").skip(1) {
            let target = piece.split("}}").next().unwrap().trim();
            let (file, anchor) = match target.split_once(':') {
                Some((file, anchor)) => (file, Some(anchor)),
                None => (target, None),
            };
            let path = guide().join("src").join(file);
            let content = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{name}: includes {}: {e}", path.display()));
            if let Some(anchor) = anchor {
                for marker in [format!("ANCHOR: {anchor}"), format!("ANCHOR_END: {anchor}")] {
                    assert!(
                        content.contains(&marker),
                        "{name}: {file} has no `{marker}`"
                    );
                }
            }
            includes += 1;
        }
    }
    assert!(includes >= 20, "{includes} includes");
}
