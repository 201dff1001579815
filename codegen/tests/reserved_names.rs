//! The names the identifier rule reserves come from the code that declares them:
//! the runtime's `Table` methods (which the generated `Table` reaches through
//! `Deref`) and the methods every query builder gets from the runtime's macro.
//! A method added there without being listed in `names` fails here.

use std::collections::BTreeSet;

use dynaschema_codegen::names::{QUERY_BUILDER_METHODS, RUNTIME_TABLE_METHODS};

fn runtime_sources() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime/src");
    let mut out = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
    }
    out
}

#[test]
fn every_public_method_of_the_runtime_table_is_reserved() {
    let mut methods = BTreeSet::new();
    for (path, text) in runtime_sources() {
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        for item in file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let is_table = block.trait_.is_none()
                && matches!(&*block.self_ty, syn::Type::Path(p)
                    if p.path.segments.last().is_some_and(|s| s.ident == "Table"));
            if !is_table {
                continue;
            }
            for item in block.items {
                if let syn::ImplItem::Fn(f) = item
                    && matches!(f.vis, syn::Visibility::Public(_))
                {
                    methods.insert(f.sig.ident.to_string());
                }
            }
        }
    }
    let listed: BTreeSet<String> = RUNTIME_TABLE_METHODS
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(
        methods.contains("get") && methods.contains("plan"),
        "{methods:?}"
    );
    assert_eq!(
        methods, listed,
        "names::RUNTIME_TABLE_METHODS must list exactly the runtime Table's public methods"
    );
}

#[test]
fn every_query_builder_method_is_reserved() {
    let lib = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../runtime/src/lib.rs"
    ))
    .unwrap();
    let start = lib
        .find("macro_rules! __query_builder_methods")
        .expect("the builder macro");
    let body = &lib[start..];
    let end = body.find("\n}\n").expect("the macro's end");
    let mut methods = BTreeSet::new();
    for line in body[..end].lines() {
        let line = line.trim_start();
        let rest = line
            .strip_prefix("pub async fn ")
            .or_else(|| line.strip_prefix("pub fn "));
        if let Some(rest) = rest {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            methods.insert(name);
        }
    }
    // The builder's own `query()`, emitted by the generator.
    methods.insert("query".to_owned());
    let listed: BTreeSet<String> = QUERY_BUILDER_METHODS
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(methods, listed);
    let golden = include_str!("golden/shop.rs");
    assert!(
        golden.contains("pub fn query("),
        "the generator emits `query`"
    );
}
