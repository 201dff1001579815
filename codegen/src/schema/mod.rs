//! Reading a schema file: TOML syntax, then shape (serde, with spans), then meaning
//! (names resolved, templates parsed), then the cross-entity rules of [`crate::check`].
//! Each stage reports every problem it finds; a stage runs only if the one before it
//! produced something to work on.

pub mod filter;
pub mod lower;
pub mod model;
pub mod raw;
pub mod template;

use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile, Span};
pub use model::*;
#[cfg(feature = "cli")]
pub use raw::json_schema;

/// A schema that passed every check, with the warnings found along the way.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The validated schema.
    pub schema: Schema,
    /// Warnings (never errors).
    pub warnings: Diagnostics,
}

/// Reads and lowers a schema file: TOML syntax, shape and every per-item rule, each
/// problem a diagnostic at its place. The schema comes back with the diagnostics so
/// far; [`crate::check::parse`] adds the cross-entity rules. `Err` when the file
/// is not TOML or not shaped like a schema (nothing to lower).
pub fn read(source: Arc<SourceFile>) -> Result<(Schema, Diagnostics), Diagnostics> {
    let mut diagnostics = Diagnostics::new(source.clone());
    let (root, syntax_errors) = toml::de::DeTable::parse_recoverable(&source.text);
    if !syntax_errors.is_empty() {
        for e in syntax_errors {
            diagnostics.push(Diagnostic::error(
                "schema::syntax",
                format!("invalid TOML: {}", e.message()),
                e.span().unwrap_or(0..0),
                "here",
            ));
        }
        diagnostics.sort();
        return Err(diagnostics);
    }
    let mut unknown: Vec<Vec<String>> = Vec::new();
    let deserializer = toml::de::Deserializer::from(root.clone());
    let raw: Result<raw::RawSchema, _> = serde_ignored::deserialize(deserializer, |path| {
        unknown.push(path_segments(&path));
    });
    let root = root.into_inner();
    for path in &unknown {
        diagnostics.push(unknown_key(&root, path));
    }
    let raw = match raw {
        Ok(raw) => raw,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                "schema::shape",
                e.message().to_owned(),
                e.span().unwrap_or(0..0),
                "here",
            ));
            diagnostics.sort();
            return Err(diagnostics);
        }
    };
    let schema = lower::lower(raw, &mut diagnostics);
    Ok((schema, diagnostics))
}

/// serde_ignored's path, without the wrapper segments `toml::Spanned` adds.
fn path_segments(path: &serde_ignored::Path<'_>) -> Vec<String> {
    path.to_string()
        .split('.')
        .filter(|s| !s.starts_with("$__serde_spanned"))
        .map(str::to_owned)
        .collect()
}

/// The valid keys of the table at `parent` (a path of keys from the root).
fn valid_keys(parent: &[String]) -> &'static [&'static str] {
    use raw::*;
    match parent {
        [] => fields_of::<RawSchema>(),
        [t] if t == "table" => fields_of::<RawTable>(),
        [i, _] if i == "indexes" => fields_of::<RawIndex>(),
        [e, _, _] if e == "entities" => fields_of::<RawKeys>(),
        [p, _] if p == "patterns" => fields_of::<RawPattern>(),
        _ => &[],
    }
}

fn unknown_key(root: &toml::de::DeTable<'_>, path: &[String]) -> Diagnostic {
    let (key, parent) = path.split_last().expect("an ignored key has a path");
    let span = key_span(root, path).unwrap_or(0..0);
    let where_ = if parent.is_empty() {
        "at the top level".to_owned()
    } else {
        format!("in `{}`", parent.join("."))
    };
    Diagnostic::error(
        "schema::unknown-key",
        format!("unknown key `{key}` {where_}"),
        span,
        "unknown key",
    )
    .suggest(key, valid_keys(parent).iter().copied())
}

/// The span of the key at `path`, found in the span-preserving parse tree.
fn key_span(root: &toml::de::DeTable<'_>, path: &[String]) -> Option<Span> {
    let mut table = root;
    let mut span = None;
    for (i, segment) in path.iter().enumerate() {
        let (key, value) = table.get_key_value(segment.as_str())?;
        span = Some(key.span());
        if i + 1 < path.len() {
            match value.get_ref() {
                toml::de::DeValue::Table(t) => table = t,
                _ => return None,
            }
        }
    }
    span
}
