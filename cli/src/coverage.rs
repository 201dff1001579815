//! `dynaschema coverage`: which declared access patterns a test run executed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dynaschema_codegen::schema::model::Schema;

/// Counts the records of `files` that belong to `schema`'s table, by pattern name.
fn count(schema: &Schema, files: &[PathBuf]) -> Result<BTreeMap<String, u64>, String> {
    let mut counts = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| {
            format!(
                "cannot read {}: {e} (was {} set while the tests ran?)",
                file.display(),
                dynaschema::coverage::ENV
            )
        })?;
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let record: serde_json::Value = serde_json::from_str(line).map_err(|e| {
                format!(
                    "{}:{}: not a coverage record: {e}",
                    file.display(),
                    number + 1
                )
            })?;
            let field = |name| record.get(name).and_then(serde_json::Value::as_str);
            let (Some(table), Some(pattern)) = (field("table"), field("pattern")) else {
                return Err(format!(
                    "{}:{}: a coverage record needs string fields `table` and `pattern`",
                    file.display(),
                    number + 1
                ));
            };
            if table == schema.table.name {
                *counts.entry(pattern.to_owned()).or_insert(0) += 1;
            }
        }
    }
    Ok(counts)
}

/// Prints every pattern of the schema at `path` with its count; exit 1 when some
/// declared pattern was never executed.
pub(crate) fn run(path: &Path, files: &[PathBuf]) -> ExitCode {
    let checked = match crate::load(path) {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    let schema = &checked.schema;
    let mut counts = match count(schema, files) {
        Ok(counts) => counts,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let width = schema
        .patterns
        .iter()
        .map(|p| p.name.len())
        .max()
        .unwrap_or(0);
    let mut missing = Vec::new();
    for pattern in &schema.patterns {
        let n = counts.remove(&pattern.name).unwrap_or(0);
        let note = if n == 0 { "  never executed" } else { "" };
        println!("  {:width$}  {n:>6}{note}", pattern.name);
        if n == 0 {
            missing.push(pattern.name.as_str());
        }
    }
    let declared = schema.patterns.len();
    println!(
        "{} ({}): {} of {declared} access patterns executed",
        schema.table.name,
        path.display(),
        declared - missing.len()
    );
    for (stale, n) in &counts {
        eprintln!(
            "warning: `{stale}` was executed {n} {} but `{}` declares no such pattern (a build from an older schema?)",
            if *n == 1 { "time" } else { "times" },
            path.display()
        );
    }
    if missing.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "error: {} of `{}` never executed: {}",
            if missing.len() == 1 {
                "access pattern"
            } else {
                "access patterns"
            },
            schema.table.name,
            missing.join(", ")
        );
        ExitCode::from(1)
    }
}
