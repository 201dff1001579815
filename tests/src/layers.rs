//! The module layers of a crate, read from its source: every `crate::module` outside
//! comments and test modules is a use of that module. `tests/tests/layers.rs` holds
//! the runtime's and the generator's layers to them (see docs/layers.md).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A crate's layers, bottom to top: each a name and its top-level modules.
pub type Layers = &'static [(&'static str, &'static [&'static str])];

/// Module name -> the crate modules its source names.
pub fn uses(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
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

/// Every use of a module in a higher layer, and every module in no layer.
pub fn upward_uses(src: &Path, layers: Layers) -> Vec<String> {
    let layer_of = |module: &str| layers.iter().position(|(_, m)| m.contains(&module));
    let mut problems = Vec::new();
    for (module, used) in &uses(src) {
        let Some(layer) = layer_of(module) else {
            problems.push(format!("`{module}` is in no layer"));
            continue;
        };
        for other in used {
            if let Some(l) = layer_of(other).filter(|&l| l > layer) {
                problems.push(format!(
                    "`{module}` ({}) uses `{other}` ({}), a layer above",
                    layers[layer].0, layers[l].0
                ));
            }
        }
    }
    problems
}

/// An import cycle among the crate's modules, if there is one, as the modules on it.
pub fn cycle(src: &Path) -> Option<Vec<String>> {
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
    let uses = uses(src);
    let mut done = BTreeSet::new();
    uses.keys()
        .find_map(|module| visit(module, &uses, &mut Vec::new(), &mut done))
}
