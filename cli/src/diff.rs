//! `dynaschema diff`: what changed between two versions of a schema, classified by
//! what each change asks of the stored items (see `dynaschema_codegen::diff`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dynaschema_codegen::diagnostics::{Diagnostic, Diagnostics, Severity, SourceFile};
use dynaschema_codegen::diff::{ChangeClass, SchemaChange, diff, highest};
use dynaschema_codegen::schema::Checked;

use crate::Format;

/// Where the old schema comes from.
pub(crate) enum Old {
    /// A file.
    File(PathBuf),
    /// `REV[:PATH]` of the git repository the new schema is in.
    Git(String),
}

/// Options of `dynaschema diff`.
pub(crate) struct Options {
    pub old: Old,
    pub new: PathBuf,
    pub format: Format,
    pub deny: Option<ChangeClass>,
}

fn parse(name: String, text: String) -> Result<Checked, ExitCode> {
    dynaschema_codegen::parse(SourceFile::new(name, text)).map_err(|diagnostics| {
        eprint!("{}", diagnostics.render());
        ExitCode::from(2)
    })
}

fn read(path: &Path) -> Result<Checked, ExitCode> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!("error: cannot read {}: {e}", path.display());
        ExitCode::from(2)
    })?;
    parse(path.display().to_string(), text)
}

/// The schema at `spec` (`REV` or `REV:PATH`) of the repository `new` is in; PATH
/// defaults to `new`'s own path.
fn from_git(spec: &str, new: &Path) -> Result<Checked, ExitCode> {
    let (rev, path) = match spec.split_once(':') {
        Some((rev, path)) => (rev.to_owned(), path.to_owned()),
        None => {
            let name = new
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (spec.to_owned(), format!("./{name}"))
        }
    };
    let dir = match new.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(&dir)
        .args(["show", &format!("{rev}:{path}")])
        .output()
        .map_err(|e| {
            eprintln!("error: cannot run git: {e}");
            ExitCode::from(2)
        })?;
    if !output.status.success() {
        eprintln!(
            "error: `git show {rev}:{path}` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
        return Err(ExitCode::from(2));
    }
    let text = String::from_utf8(output.stdout).map_err(|_| {
        eprintln!("error: {rev}:{path} is not UTF-8");
        ExitCode::from(2)
    })?;
    parse(format!("{rev}:{path}"), text)
}

pub(crate) fn run(options: &Options) -> ExitCode {
    let new = match read(&options.new) {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    let old = match &options.old {
        Old::File(path) => read(path),
        Old::Git(spec) => from_git(spec, &options.new),
    };
    let old = match old {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    let changes = diff(&old.schema, &new.schema);
    match options.format {
        Format::Human => print!("{}", human(&old, &new, &changes)),
        Format::Json => println!("{}", json(&old, &new, &changes)),
    }
    match (options.deny, highest(&changes)) {
        (Some(deny), Some(found)) if found >= deny => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

/// Each change rendered at its place: in the new file, or (for what the new one no
/// longer has) in the old file; then a count per class.
fn human(old: &Checked, new: &Checked, changes: &[SchemaChange]) -> String {
    let mut in_new = Diagnostics::new(new.schema.source.clone());
    let mut in_old = Diagnostics::new(old.schema.source.clone());
    for change in changes {
        let (target, span) = match (&change.new_span, &change.old_span) {
            (Some(span), _) => (&mut in_new, span.clone()),
            (None, Some(span)) => (&mut in_old, span.clone()),
            (None, None) => continue,
        };
        let mut diagnostic = Diagnostic::error(
            change.code,
            format!("{}: {}", change.class, change.message),
            span,
            change.class.as_str(),
        )
        .with_help(&change.action);
        if change.class != ChangeClass::Breaking {
            diagnostic.severity = Severity::Warning;
        }
        target.push(diagnostic);
    }
    let mut out = String::new();
    if changes.is_empty() {
        out.push_str("no changes that concern the table or its items\n");
        return out;
    }
    for rendered in [&in_new, &in_old] {
        if !rendered.is_empty() {
            out.push_str(&rendered.render_findings());
        }
    }
    let counts: Vec<String> = ChangeClass::ALL
        .iter()
        .filter_map(|class| {
            let n = changes.iter().filter(|c| c.class == *class).count();
            (n > 0).then(|| format!("{n} {class}"))
        })
        .collect();
    out.push_str(&format!(
        "{} change(s): {}\n",
        changes.len(),
        counts.join(", ")
    ));
    out
}

fn json(old: &Checked, new: &Checked, changes: &[SchemaChange]) -> String {
    let place = |source: &SourceFile, span: &Option<std::ops::Range<usize>>| {
        span.as_ref().map(|s| {
            let (line, column) = source.line_col(s.start);
            serde_json::json!({ "file": source.name, "line": line, "column": column })
        })
    };
    let items: Vec<serde_json::Value> = changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "class": c.class.as_str(),
                "code": c.code,
                "message": c.message,
                "action": c.action,
                "old": place(&old.schema.source, &c.old_span),
                "new": place(&new.schema.source, &c.new_span),
                "entities": c.entities,
                "attributes": c.attributes,
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "old": old.schema.source.name,
        "new": new.schema.source.name,
        "highest": highest(changes).map(ChangeClass::as_str),
        "changes": items,
    }))
    // Values built by `json!` from strings and numbers always serialize.
    .expect("JSON values serialize")
}
