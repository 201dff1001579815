//! Key templates: `USER#{user_id}`, `ORDER#{created_at}#{order_id}`.
//!
//! A template is a `#`-separated list of segments. Each segment is either a literal
//! (any text without `#`, `{`, `}`) or exactly one `{field}` placeholder. A
//! placeholder always fills a whole segment: that is what makes the runtime's key
//! encoding injective and its `begins_with` prefixes end at segment boundaries.
//!
//! A placeholder may case its value explicitly, `{email|lower}` or `{code|upper}`, for
//! keys that must not depend on how a value was typed. Casing is never implied.

use crate::diagnostics::{Diagnostic, Span};

/// One segment of a key template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text written as is, e.g. `USER`.
    Literal(String),
    /// A value taken from a field, e.g. `{user_id}`.
    Field(FieldRef),
    /// The shard number of a sharded key (`{shard}` in a template whose key declares
    /// `shards`): a stable hash of the named fields modulo the shard count. Its span
    /// is the placeholder's.
    Shard(Span),
}

/// A `{placeholder}` and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRef {
    /// The field name.
    pub name: String,
    /// The placeholder's span in the schema file (including braces).
    pub span: Span,
    /// Explicit casing of the value in the key (`{email|lower}`); never implied.
    pub case: Option<Case>,
    /// The time bucket a timestamp is reduced to (`{created_at|day}`).
    pub bucket: Option<TimeBucket>,
}

pub use dynaschema_core::{Case, TimeBucket};

/// A parsed key template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyTemplate {
    /// The template as written.
    pub text: String,
    /// Its segments, in order.
    pub segments: Vec<Segment>,
    /// The template string's span in the schema file.
    pub span: Span,
    /// How the `{shard}` segment is computed, for a sharded partition template.
    pub shards: Option<Shards>,
}

/// A sharded key's `shards = { count = 8, of = ["product_id"] }`: its partition's
/// `{shard}` segment is [`dynaschema_core::shard_of`] of the named fields' encoded
/// segments, so one logical partition is spread over `count` physical ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shards {
    /// How many shards (2 to 100).
    pub count: u32,
    /// The fields hashed, in order, each with where its encoded segment is stored.
    pub of: Vec<ShardSource>,
    /// Where `shards` is declared.
    pub span: Span,
}

/// One field a shard is computed from, and where its encoded value is stored (so
/// a read can recompute an item's shard from its keys alone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardSource {
    /// The field, with the casing of the placeholder it is read from.
    pub field: FieldRef,
    /// The key attribute holding it.
    pub attribute: String,
    /// Its position among the `#`-separated segments of that attribute's value.
    pub segment: usize,
}

impl KeyTemplate {
    /// Parses `text`, whose content starts at byte `content_start` of the file (for
    /// placeholder spans); `span` is the whole string's span. Returns every problem.
    pub fn parse(
        text: &str,
        span: Span,
        content_start: Option<usize>,
    ) -> Result<Self, Vec<Diagnostic>> {
        let mut segments = Vec::new();
        let mut errors = Vec::new();
        let mut offset = 0;
        // Byte spans inside the string are exact only when the TOML string has no
        // escapes; otherwise point at the whole string.
        let place = |start: usize, len: usize| match content_start {
            Some(base) => base + start..base + start + len,
            None => span.clone(),
        };
        if text.is_empty() {
            errors.push(Diagnostic::error(
                "schema::empty-template",
                "a key template cannot be empty",
                span.clone(),
                "empty template",
            ));
        }
        for part in text.split('#') {
            let here = place(offset, part.len().max(1));
            if let Some(inner) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                let (inner, modifier) = match inner.split_once('|') {
                    Some((name, modifier)) => (name, Some(modifier)),
                    None => (inner, None),
                };
                // `Some((case, bucket))` when the modifier is known.
                let modifiers = match modifier {
                    None => Some((None, None)),
                    Some("lower") => Some((Some(Case::Lower), None)),
                    Some("upper") => Some((Some(Case::Upper), None)),
                    Some(other) => match TimeBucket::from_name(other) {
                        Some(bucket) => Some((None, Some(bucket))),
                        None => {
                            errors.push(
                                Diagnostic::error(
                                    "schema::placeholder-modifier",
                                    format!("`{other}` is not a modifier of a placeholder"),
                                    here.clone(),
                                    "unknown modifier",
                                )
                                .with_help("casing: `lower`, `upper`; time buckets of a timestamp: `hour`, `day`, `month`, `year`")
                                .suggest(other, ["lower", "upper", "hour", "day", "month", "year"]),
                            );
                            None
                        }
                    },
                };
                if let Some(problem) = name_problem(inner, "field", here.clone()) {
                    errors.push(problem);
                } else if is_identifier(inner) {
                    if let Some((case, bucket)) = modifiers {
                        segments.push(Segment::Field(FieldRef {
                            name: inner.to_owned(),
                            span: here,
                            case,
                            bucket,
                        }));
                    }
                } else {
                    errors.push(
                        Diagnostic::error(
                            "schema::bad-placeholder",
                            format!("`{{{inner}}}` is not a placeholder: a field name is a Rust identifier"),
                            here,
                            "not a field name",
                        )
                        .with_help("write the name of the struct field, e.g. `{user_id}`"),
                    );
                }
            } else if part.contains(['{', '}']) {
                errors.push(
                    Diagnostic::error(
                        "schema::placeholder-not-segment",
                        format!("`{part}` mixes text and a placeholder in one segment"),
                        here,
                        "a placeholder must fill a whole `#`-separated segment",
                    )
                    .with_help(
                        "separate the text and the placeholder with `#`, e.g. `V#{version}`",
                    ),
                );
            } else if part.is_empty() && !text.is_empty() {
                errors.push(Diagnostic::error(
                    "schema::empty-segment",
                    format!("the template `{text}` has an empty segment"),
                    here,
                    "nothing between two `#`, or at an end",
                ));
            } else if !part.is_empty() {
                segments.push(Segment::Literal(part.to_owned()));
            }
            offset += part.len() + 1;
        }
        for (i, segment) in segments.iter().enumerate() {
            if let Segment::Field(field) = segment {
                let repeated = segments[..i]
                    .iter()
                    .any(|s| matches!(s, Segment::Field(f) if f.name == field.name));
                if repeated {
                    errors.push(Diagnostic::error(
                        "schema::repeated-placeholder",
                        format!("`{{{}}}` appears twice in `{text}`", field.name),
                        field.span.clone(),
                        "repeated placeholder",
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(Self {
                text: text.to_owned(),
                segments,
                span,
                shards: None,
            })
        } else {
            Err(errors)
        }
    }

    /// The placeholders, in order.
    pub fn fields(&self) -> impl Iterator<Item = &FieldRef> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Field(f) => Some(f),
            Segment::Literal(_) | Segment::Shard(_) => None,
        })
    }

    /// The position of `field` among the template's value segments (fields and the
    /// shard): where the generated code decoding a key's fields finds it.
    pub fn value_slot(&self, field: &str) -> Option<usize> {
        self.segments
            .iter()
            .filter(|s| !matches!(s, Segment::Literal(_)))
            .position(|s| matches!(s, Segment::Field(f) if f.name == field))
    }

    /// The position of `field` among all `#`-separated segments.
    pub fn segment_of(&self, field: &str) -> Option<usize> {
        self.segments
            .iter()
            .position(|s| matches!(s, Segment::Field(f) if f.name == field))
    }

    /// Whether the template has a `{shard}` segment.
    pub fn is_sharded(&self) -> bool {
        self.segments.iter().any(|s| matches!(s, Segment::Shard(_)))
    }

    /// Whether the template has no placeholder (a `{shard}` is one: a sharded
    /// partition takes `count` values).
    pub fn is_constant(&self) -> bool {
        self.segments
            .iter()
            .all(|s| matches!(s, Segment::Literal(_)))
    }

    /// The literal segments before the first placeholder.
    pub fn literal_prefix(&self) -> Vec<&str> {
        self.segments
            .iter()
            .map_while(|s| match s {
                Segment::Literal(l) => Some(l.as_str()),
                Segment::Field(_) | Segment::Shard(_) => None,
            })
            .collect()
    }

    /// Whether two templates have the same shape: the same literals and the same
    /// placeholders in the same places.
    pub fn same_shape(&self, other: &Self) -> bool {
        self.segments.len() == other.segments.len()
            && self
                .segments
                .iter()
                .zip(&other.segments)
                .all(|pair| match pair {
                    (Segment::Literal(a), Segment::Literal(b)) => a == b,
                    (Segment::Field(a), Segment::Field(b)) => a.name == b.name,
                    (Segment::Shard(_), Segment::Shard(_)) => true,
                    _ => false,
                })
    }
}

/// Why the identifier `name` cannot name a `what` (a field, a pattern, an entity) in
/// generated code, as a diagnostic at `span`; `None` when it can. Keywords can, as
/// raw identifiers (`r#type`), except the path keywords, which Rust accepts nowhere
/// as a name; names starting with `__` are the generated code's own.
pub fn name_problem(name: &str, what: &str, span: Span) -> Option<Diagnostic> {
    if crate::names::PATH_KEYWORDS.contains(&name) {
        return Some(
            Diagnostic::error(
                "schema::keyword-name",
                format!("`{name}` cannot name a {what}: it is a Rust path keyword, not usable even as a raw identifier"),
                span,
                "a path keyword",
            )
            .with_help(format!(
                "choose another name, e.g. `{}_{what}`; other keywords such as `type` or `match` work (as `r#type`)",
                name.to_lowercase()
            )),
        );
    }
    if name.starts_with("__") {
        return Some(
            Diagnostic::error(
                "schema::reserved-name",
                format!("`{name}` cannot name a {what}: names starting with `__` are reserved for generated code"),
                span,
                "reserved prefix",
            )
            .with_help(format!("drop the leading underscores: `{}`", name.trim_start_matches('_'))),
        );
    }
    None
}

/// Whether `s` is a Rust identifier (ASCII, as struct fields in practice are).
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && s != "_"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<KeyTemplate, Vec<Diagnostic>> {
        KeyTemplate::parse(text, 0..text.len() + 2, Some(1))
    }

    #[test]
    fn splits_literals_and_placeholders() {
        let t = parse("ORDER#{created_at}#{order_id}").unwrap();
        assert_eq!(t.segments.len(), 3);
        assert_eq!(t.literal_prefix(), ["ORDER"]);
        let names: Vec<_> = t.fields().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["created_at", "order_id"]);
        // `{created_at}` starts after `"ORDER#`.
        assert_eq!(t.fields().next().unwrap().span, 7..19);
    }

    #[test]
    fn a_time_bucket_is_a_modifier_of_a_placeholder() {
        let t = parse("DAY#{at|day}").unwrap();
        let field = t.fields().next().unwrap();
        assert_eq!((field.case, field.bucket), (None, Some(TimeBucket::Day)));
        let errors = parse("DAY#{at|week}").unwrap_err();
        assert_eq!(errors[0].code, "schema::placeholder-modifier");
    }

    #[test]
    fn reports_every_problem() {
        let errors = parse("V{version}#{}##{a}#{a}").unwrap_err();
        let codes: Vec<_> = errors.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            [
                "schema::placeholder-not-segment",
                "schema::bad-placeholder",
                "schema::empty-segment",
                "schema::repeated-placeholder"
            ]
        );
    }
}
