//! The runtime's modules form layers a newcomer can guess, and no import cycle:
//! each module uses only modules of its own layer or below, and within a layer the
//! uses form no cycle. Read from the source: every `crate::module` outside comments
//! and test modules is a use. See docs/layers.md.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Bottom to top.
const LAYERS: &[(&str, &[&str])] = &[
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
            "native_key",
            "scan",
        ],
    ),
    ("administration", &["apply", "migrate"]),
];

/// Module name -> the crate modules its source names.
fn uses(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).unwrap();
            let module = relative
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_owned();
            if module == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            let used = out.entry(module.clone()).or_default();
            for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for (at, _) in line.match_indices("crate::") {
                    if at > 0 && line.as_bytes()[at - 1] == b'$' {
                        continue; // `$crate::` in a macro names the crate, not a module
                    }
                    let name: String = line[at + "crate::".len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != module {
                        used.insert(name);
                    }
                }
            }
        }
    }
    out
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

#[test]
fn every_module_uses_only_its_layer_and_those_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let uses = uses(&src);
    let mut problems = Vec::new();
    for (module, used) in &uses {
        let Some(layer) = layer_of(module) else {
            problems.push(format!("`{module}` is in no layer: add it to LAYERS"));
            continue;
        };
        for other in used {
            match layer_of(other) {
                Some(l) if l > layer => problems.push(format!(
                    "`{module}` ({}) uses `{other}` ({}), a layer above",
                    LAYERS[layer].0, LAYERS[l].0
                )),
                _ => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_modules_form_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let uses = uses(&src);
    // Depth-first search for a back edge, reporting the cycle it closes.
    fn visit<'a>(
        module: &'a str,
        uses: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|m| *m == module) {
            let mut cycle: Vec<String> = path[at..].iter().map(|m| m.to_string()).collect();
            cycle.push(module.to_owned());
            return Some(cycle);
        }
        if !done.insert(module) {
            return None;
        }
        path.push(module);
        for next in uses.get(module).into_iter().flatten() {
            if uses.contains_key(next.as_str())
                && let Some(cycle) = visit(next, uses, path, done)
            {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for module in uses.keys() {
        if let Some(cycle) = visit(module, &uses, &mut Vec::new(), &mut done) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
    // The check sees the modules it should: a rename would otherwise pass silently.
    assert!(uses["item"].contains("table") && uses["migrate"].contains("rekey"));
}
