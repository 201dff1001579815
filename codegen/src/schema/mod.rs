//! Reading a schema file: TOML syntax, then shape (serde, with spans), then meaning
//! (names resolved, templates parsed), then the cross-entity rules of [`crate::check`].
//! Each stage reports every problem it finds; a stage runs only if the one before it
//! produced something to work on.

pub mod filter;
pub mod lower;
pub mod model;
pub mod raw;
pub mod template;

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile, Span};
pub use model::*;
pub use raw::json_schema;

/// A schema that passed every check, with the warnings found along the way.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The validated schema.
    pub schema: Schema,
    /// Warnings (never errors).
    pub warnings: Diagnostics,
}

/// Reads and checks the schema file at `path`. The name shown in messages is the
/// path as given.
pub fn load(path: impl AsRef<Path>) -> Result<Checked, LoadError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|error| LoadError::Io {
        path: path.display().to_string(),
        error,
    })?;
    parse(SourceFile::new(path.display().to_string(), text)).map_err(LoadError::Invalid)
}

/// Why a schema could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {path}: {error}")]
    Io {
        /// The path.
        path: String,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The file has errors.
    #[error("{0}")]
    Invalid(Diagnostics),
}

/// Parses and checks a schema's text.
///
/// ```
/// use dynaschema_codegen::{diagnostics::SourceFile, schema};
///
/// let source = SourceFile::new("dynaschema.toml", r#"
/// [table]
/// name = "App"
/// partition_key = "pk"
///
/// [entities.User]
/// primary = { pk = "USER#{user_id}" }
///
/// [patterns.get_user]
/// get = "Usr"
/// "#);
/// let errors = schema::parse(source).unwrap_err();
/// assert_eq!(errors.items()[0].code, "schema::unknown-entity");
/// assert!(errors.to_plain().starts_with("dynaschema.toml:10:7: error:"));
/// ```
pub fn parse(source: Arc<SourceFile>) -> Result<Checked, Diagnostics> {
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
    crate::check::run(&schema, &mut diagnostics);
    diagnostics.sort();
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(Checked {
            schema,
            warnings: diagnostics,
        })
    }
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
