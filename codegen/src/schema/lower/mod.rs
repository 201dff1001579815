//! Raw schema to validated model. Every problem is recorded and lowering goes on, so
//! one run reports every mistake in the file.

use toml::Spanned;

mod entities;
mod indexes;
mod patterns;
mod table;

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::schema::model::*;
use crate::schema::raw::*;

/// Lowers `raw`; problems go to `diagnostics`. Returns the model even when there are
/// errors (with the bad parts left out), so later checks can still run.
pub fn lower(raw: RawSchema, diagnostics: &mut Diagnostics) -> Schema {
    let source = diagnostics.source().clone();
    let mut cx = Lowering {
        text: &source.text,
        diagnostics,
    };
    let table = cx.table(&raw.table);
    let indexes = cx.indexes(&raw.table, &raw.indexes);
    let entities = cx.entities(&raw.entities, &indexes);
    let declared: Vec<&str> = raw.entities.keys().map(String::as_str).collect();
    let patterns = cx.patterns(&raw.patterns, &entities, &declared, &indexes);
    Schema {
        source: source.clone(),
        table,
        indexes,
        entities,
        patterns,
    }
}

/// An index's key as written: one attribute, or a list.
enum KeySpec {
    One(Spanned<String>),
    Many(Vec<Spanned<String>>, Span),
}

struct Lowering<'a> {
    text: &'a str,
    diagnostics: &'a mut Diagnostics,
}

impl Lowering<'_> {
    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The byte where a TOML string's content starts, when its span maps one to one
    /// onto the value (no escapes).
    fn content_start(&self, s: &Spanned<String>) -> Option<usize> {
        let span = s.span();
        let written = self.text.get(span.clone())?;
        let inner = written.get(1..written.len().checked_sub(1)?)?;
        (inner == s.get_ref()).then_some(span.start + 1)
    }

    fn attribute_name(&mut self, what: &str, name: &Spanned<String>) {
        let len = name.get_ref().len();
        if len == 0 || len > 255 {
            self.error(Diagnostic::error(
                "schema::attribute-name",
                format!("{what} must be 1 to 255 bytes long"),
                name.span(),
                format!("{len} bytes"),
            ));
        }
    }
}
