//! Problems found in a schema, collected (never stop-at-first) and rendered with
//! their place in the file: with source snippets (through miette's graphical
//! renderer with the `cli` feature), or one `file:line:col: severity: message` line
//! each for compilers and editors.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// A byte range in the schema file.
pub type Span = Range<usize>;

/// The schema file's name (as shown in messages) and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The name shown in messages, e.g. `dynaschema.toml`.
    pub name: String,
    /// The file's text.
    pub text: String,
}

impl SourceFile {
    /// A source file called `name` holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(Self {
            name: name.into(),
            text: text.into(),
        })
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The schema cannot be used as it is.
    Error,
    /// The schema works but probably not as intended.
    Warning,
}

/// One finding, with the place it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable identifier of the kind of finding, e.g. `schema::unknown-key`.
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where (if the finding has a place in the file).
    pub span: Option<Span>,
    /// The text shown under the marked place.
    pub label: String,
    /// How to fix it, when there is something specific to say.
    pub help: Option<String>,
    /// Other places the finding is about (the earlier declaration a name clashes
    /// with), each with its label.
    pub related: Vec<(Span, String)>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(
        code: &'static str,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            span: Some(span),
            label: label.into(),
            help: None,
            related: Vec::new(),
        }
    }

    /// A warning at `span`.
    pub fn warning(
        code: &'static str,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message, span, label)
        }
    }

    /// Adds another marked place, e.g. the declaration a name clashes with.
    pub fn also_at(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }

    /// Adds a suggestion.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds "did you mean `x`?" when `candidates` hold a name close to `wrong`,
    /// and otherwise lists what would have been valid.
    pub fn suggest<'a>(self, wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let candidates: Vec<&str> = candidates.into_iter().collect();
        if let Some(near) = closest(wrong, candidates.iter().copied()) {
            self.with_help(format!("did you mean `{near}`?"))
        } else if candidates.is_empty() {
            self
        } else {
            let list = candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.with_help(format!("expected one of {list}"))
        }
    }
}

/// The candidate closest to `wrong`, if any is close enough to be a likely typo.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wrong, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// All findings for one schema file, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    source: Arc<SourceFile>,
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No findings yet, for `source`.
    pub fn new(source: Arc<SourceFile>) -> Self {
        Self {
            source,
            items: Vec::new(),
        }
    }

    /// Records a finding.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// The findings, sorted by position in the file.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// The file the findings are about.
    pub fn source(&self) -> &Arc<SourceFile> {
        &self.source
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Whether there are no findings at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(crate) fn sort(&mut self) {
        self.items
            .sort_by_key(|d| (d.span.as_ref().map_or(usize::MAX, |s| s.start), d.severity));
    }

    /// `file:line:col` of a finding.
    pub fn location(&self, diagnostic: &Diagnostic) -> String {
        match &diagnostic.span {
            Some(span) => {
                let (line, col) = self.source.line_col(span.start);
                format!("{}:{line}:{col}", self.source.name)
            }
            None => self.source.name.clone(),
        }
    }

    /// One line per finding: `dynaschema.toml:12:7: error: message (label; help)`.
    pub fn to_plain(&self) -> String {
        let mut out = String::new();
        for d in &self.items {
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            out.push_str(&format!("{}: {severity}: {}", self.location(d), d.message));
            for (span, label) in &d.related {
                let (line, col) = self.source.line_col(span.start);
                out.push_str(&format!(" [{label} at {line}:{col}]"));
            }
            match (&d.label.is_empty(), &d.help) {
                (false, Some(help)) => out.push_str(&format!(" ({}; {help})", d.label)),
                (false, None) => out.push_str(&format!(" ({})", d.label)),
                (true, Some(help)) => out.push_str(&format!(" ({help})")),
                (true, None) => {}
            }
            out.push('\n');
        }
        out
    }

    /// Every finding rendered by miette with source snippets, without colors (for
    /// build logs and snapshots).
    pub fn render(&self) -> String {
        let mut out = self.render_findings();
        let errors = self
            .items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = self.items.len() - errors;
        out.push_str(&format!(
            "{}: {errors} error(s), {warnings} warning(s)\n",
            self.source.name
        ));
        out
    }
}

impl Diagnostics {
    /// Every finding rendered as [`render`](Self::render) does, without the count:
    /// through miette's graphical renderer with the `cli` feature, as
    /// [`render_snippets`](Self::render_snippets) without it.
    #[cfg(not(feature = "cli"))]
    pub fn render_findings(&self) -> String {
        self.render_snippets()
    }

    /// Every finding as text, without miette's graphical renderer: the severity,
    /// code and message, `--> file:line:col`, the source line with the marked place and its
    /// label, each related place the same way, and the help.
    ///
    /// ```
    /// use dynaschema_codegen::diagnostics::{Diagnostic, Diagnostics, SourceFile};
    ///
    /// let source = SourceFile::new("dynaschema.toml", "[table]\nnmae = \"App\"\n");
    /// let mut diagnostics = Diagnostics::new(source);
    /// diagnostics.push(
    ///     Diagnostic::error("schema::unknown-key", "unknown key `nmae`", 8..12, "here")
    ///         .with_help("did you mean `name`?"),
    /// );
    /// assert_eq!(
    ///     diagnostics.render_snippets(),
    ///     "error[schema::unknown-key]: unknown key `nmae`\n  --> dynaschema.toml:2:1\n   |\n 2 | nmae = \"App\"\n   | ^^^^ here\n   = help: did you mean `name`?\n\n"
    /// );
    /// ```
    pub fn render_snippets(&self) -> String {
        let mut out = String::new();
        for d in &self.items {
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            out.push_str(&format!("{severity}[{}]: {}\n", d.code, d.message));
            match &d.span {
                Some(span) => {
                    let (line, _) = self.source.line_col(span.start);
                    let width = line.to_string().len() + 1;
                    out.push_str(&format!("{:width$}--> {}\n", "", self.location(d)));
                    out.push_str(&format!("{:width$} |\n", ""));
                    self.snippet(&mut out, span, &d.label, width);
                    for (span, label) in &d.related {
                        self.snippet(&mut out, span, label, width);
                    }
                    if let Some(help) = &d.help {
                        out.push_str(&format!("{:width$} = help: {help}\n", ""));
                    }
                }
                None => {
                    out.push_str(&format!("  --> {}\n", self.source.name));
                    if let Some(help) = &d.help {
                        out.push_str(&format!("   = help: {help}\n"));
                    }
                }
            }
            out.push('\n');
        }
        out
    }

    /// The line of `span` with carets under it and `label`, the gutter `width` wide.
    fn snippet(&self, out: &mut String, span: &Span, label: &str, width: usize) {
        let (line, col) = self.source.line_col(span.start);
        let text = self.source.text.lines().nth(line - 1).unwrap_or_default();
        let rest = text.chars().count().saturating_sub(col - 1);
        let marked = self
            .source
            .text
            .get(span.clone())
            .map_or(1, |s| s.lines().next().unwrap_or_default().chars().count())
            .clamp(1, rest.max(1));
        out.push_str(&format!("{line:>width$} | {text}\n"));
        out.push_str(&format!(
            "{:width$} | {:pad$}{} {label}\n",
            "",
            "",
            "^".repeat(marked),
            pad = col - 1
        ));
    }

    /// Every finding rendered as [`render`](Self::render) does, without the count.
    #[cfg(feature = "cli")]
    pub fn render_findings(&self) -> String {
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_width(100);
        let mut out = String::new();
        for d in &self.items {
            let report = Report {
                source: &self.source,
                diagnostic: d,
            };
            if handler.render_report(&mut out, &report).is_err() {
                out.push_str(&format!("{}: {}\n", self.location(d), d.message));
            }
            out.push('\n');
        }
        out
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for Diagnostics {}

/// One finding as a miette diagnostic.
#[cfg(feature = "cli")]
struct Report<'a> {
    source: &'a SourceFile,
    diagnostic: &'a Diagnostic,
}

#[cfg(feature = "cli")]
impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

#[cfg(feature = "cli")]
impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

#[cfg(feature = "cli")]
impl std::error::Error for Report<'_> {}

#[cfg(feature = "cli")]
impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.diagnostic.span.clone()?;
        let label = (!self.diagnostic.label.is_empty()).then(|| self.diagnostic.label.clone());
        let related = self.diagnostic.related.iter().map(|(span, label)| {
            miette::LabeledSpan::new_with_span(Some(label.clone()), span.clone())
        });
        Some(Box::new(
            std::iter::once(miette::LabeledSpan::new_primary_with_span(label, span)).chain(related),
        ))
    }
}

#[cfg(feature = "cli")]
impl miette::SourceCode for Report<'_> {
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        let contents =
            self.source
                .text
                .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.source.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line(),
            contents.column(),
            contents.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let source = SourceFile::new("s.toml", "a = 1\nbé = \"x\"\n");
        assert_eq!(source.line_col(0), (1, 1));
        assert_eq!(source.line_col(6), (2, 1));
        // `=` comes after `b`, the two-byte `é` and a space: byte 10, character column 4.
        assert_eq!(source.line_col(10), (2, 4));
    }

    #[test]
    fn suggests_near_names_and_lists_otherwise() {
        let d = Diagnostic::error("c", "m", 0..1, "l").suggest("primay", ["primary", "gsi1"]);
        assert_eq!(d.help.as_deref(), Some("did you mean `primary`?"));
        let d = Diagnostic::error("c", "m", 0..1, "l").suggest("zzz", ["primary", "gsi1"]);
        assert_eq!(d.help.as_deref(), Some("expected one of `primary`, `gsi1`"));
    }
}
