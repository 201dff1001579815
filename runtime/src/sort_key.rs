//! Sort key conditions over a typed prefix of a template's segments.
//!
//! A query pattern's sort key template, e.g. `ORDER#{created_at}#{order_id}`, allows
//! conditions on its value segments in order: fix `created_at` (then `order_id` may be
//! fixed or compared too), or compare `created_at` (`between`, `<`, `<=`, `>`, `>=`).
//! This module turns such a condition into one DynamoDB key condition that selects
//! exactly the items whose segment values satisfy it, and nothing of another entity
//! beyond what the discriminator filters out:
//!
//! * Every key of the entity below the fixed part starts with a prefix `P` ending in
//!   `#` (e.g. `ORDER#`), so the entity's range is `[P, P')` with `P'` = `P` with its
//!   final `#` replaced by `$`, the next character.
//! * Segments are compared at segment boundaries: a value segment that is followed by
//!   more segments is compared as `enc(v)#`, so `ORDER#1#…` is below `ORDER#10#…`
//!   exactly when `1#` is below `10#`. For integers, timestamps, UUIDs and ULIDs this is
//!   their natural order; for strings it is the byte order of the escaped text at a
//!   segment boundary.
//! * Comparisons stay inside the entity's range with `BETWEEN`. A strict `<` on the
//!   final segment cannot be written as an inclusive bound, so the one key equal to the
//!   bound is dropped from results ([`KeyCondition::excluded`]).
//!
//! ```
//! use dynaschema::sort_key::{Comparison, SortKeyPrefix};
//! use dynaschema::query::SortCondition;
//!
//! // `ORDER#{created_at}#{order_id}`: orders with `created_at` >= 2026.
//! let (condition, excluded) = SortKeyPrefix::new("Order", "sk")
//!     .literal("ORDER")
//!     .compare("created_at", Comparison::AtLeast, &2026_u32, false)
//!     .unwrap();
//! assert_eq!(condition, SortCondition::Between("ORDER#0000002026#".into(), "ORDER$".into()));
//! assert_eq!(excluded, None);
//! ```

use crate::error::KeyError;
use crate::key::{KeyRole, KeySegment, KeyWriter};
pub use crate::query::{KeyCondition, SortCondition};

/// A comparison of one value segment with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `< v`
    Below,
    /// `<= v`
    AtMost,
    /// `> v`
    Above,
    /// `>= v`
    AtLeast,
}

/// The fixed part of a sort key: the template's leading literals and the value
/// segments fixed so far. Generated pattern builders drive it.
#[derive(Debug, Clone)]
pub struct SortKeyPrefix {
    entity: &'static str,
    attribute: &'static str,
    /// Whole segments, each followed by `#`; empty when nothing is fixed.
    text: Result<String, KeyError>,
}

impl SortKeyPrefix {
    /// An empty prefix of `attribute` of `entity`.
    pub fn new(entity: &'static str, attribute: &'static str) -> Self {
        Self {
            entity,
            attribute,
            text: Ok(String::new()),
        }
    }

    /// The sort key attribute.
    pub fn attribute(&self) -> &'static str {
        self.attribute
    }

    fn writer(&self) -> Result<KeyWriter, KeyError> {
        let text = self.text.clone()?;
        Ok(KeyWriter::resume(
            self.entity,
            self.attribute,
            KeyRole::Sort,
            text,
        ))
    }

    fn push(mut self, step: impl FnOnce(KeyWriter) -> KeyWriter) -> Self {
        self.text = self.writer().and_then(|w| step(w).finish_prefix());
        self
    }

    /// Appends a literal segment.
    pub fn literal(self, literal: &'static str) -> Self {
        self.push(|w| w.literal(literal))
    }

    /// Fixes the next value segment.
    pub fn value<T: KeySegment + ?Sized>(self, field: &'static str, value: &T) -> Self {
        self.push(|w| w.value(field, value))
    }

    /// `begins_with(prefix)`, or no sort condition when nothing is fixed.
    pub fn begins_with(&self) -> Result<Option<SortCondition>, KeyError> {
        let text = self.text.clone()?;
        Ok((!text.is_empty()).then_some(SortCondition::BeginsWith(text)))
    }

    /// `begins_with` of the fixed segments followed by the start of the next segment's
    /// text (`ORDER#STATUS#SHIP` for statuses starting with `SHIP`): a partial segment,
    /// for text fields.
    pub fn begins_with_text<T: KeySegment + ?Sized>(
        &self,
        field: &'static str,
        text: &T,
    ) -> Result<SortCondition, KeyError> {
        Ok(SortCondition::BeginsWith(self.bound(field, text)?))
    }

    /// `sk = prefix + value + trailing literals`: the last value segment fixed.
    pub fn equals<T: KeySegment + ?Sized>(
        &self,
        field: &'static str,
        value: &T,
        trailing: &[&'static str],
    ) -> Result<SortCondition, KeyError> {
        let writer = trailing
            .iter()
            .fold(self.writer()?.value(field, value), |w, l| w.literal(l));
        Ok(SortCondition::Equals(writer.finish()?))
    }

    /// The encoded bound for `value` compared at a segment boundary.
    fn bound<T: KeySegment + ?Sized>(
        &self,
        field: &'static str,
        value: &T,
    ) -> Result<String, KeyError> {
        let writer = self.writer()?.value(field, value);
        writer.finish()
    }

    /// The top of the entity's range below the prefix: the prefix with its final `#`
    /// replaced by `$` (`ORDER#` -> `ORDER$`); `None` when the prefix is empty.
    fn range_end(prefix: &str) -> Option<String> {
        prefix.strip_suffix('#').map(|p| format!("{p}$"))
    }

    /// A comparison of the next value segment. `last` says whether the segment ends
    /// the key (no segment follows it). Returns the condition and, for a strict `<` on
    /// the last segment, the one key to drop from results.
    pub fn compare<T: KeySegment + ?Sized>(
        &self,
        field: &'static str,
        comparison: Comparison,
        value: &T,
        last: bool,
    ) -> Result<(SortCondition, Option<String>), KeyError> {
        let prefix = self.text.clone()?;
        let v = self.bound(field, value)?;
        // `at` = the value at a segment boundary; `after` = the least key above every
        // key whose segment equals the value.
        let (at, after) = if last {
            (v.clone(), format!("{v}\0"))
        } else {
            (format!("{v}#"), format!("{v}$"))
        };
        let Some(end) = Self::range_end(&prefix) else {
            // No literal prefix: the entity spans the partition, native comparisons.
            return Ok(match comparison {
                Comparison::Below => (SortCondition::Less(at), None),
                Comparison::AtMost if last => (SortCondition::LessOrEqual(at), None),
                Comparison::AtMost => (SortCondition::Less(after), None),
                Comparison::Above if last => (SortCondition::Greater(at), None),
                Comparison::Above => (SortCondition::GreaterOrEqual(after), None),
                Comparison::AtLeast => (SortCondition::GreaterOrEqual(at), None),
            });
        };
        Ok(match comparison {
            Comparison::Below if last => (SortCondition::Between(prefix, at.clone()), Some(at)),
            Comparison::Below => (SortCondition::Between(prefix, at), None),
            Comparison::AtMost if last => (SortCondition::Between(prefix, at), None),
            Comparison::AtMost => (SortCondition::Between(prefix, after), None),
            Comparison::Above => (SortCondition::Between(after, end), None),
            Comparison::AtLeast => (SortCondition::Between(at, end), None),
        })
    }

    /// `low <= segment <= high`; `None` when `low > high` (nothing can match, and
    /// DynamoDB refuses such a `BETWEEN`).
    pub fn between<T: KeySegment + ?Sized>(
        &self,
        field: &'static str,
        low: &T,
        high: &T,
        last: bool,
    ) -> Result<Option<SortCondition>, KeyError> {
        let low = self.bound(field, low)?;
        let high = self.bound(field, high)?;
        let (low, high) = if last {
            (low, high)
        } else {
            (format!("{low}#"), format!("{high}$"))
        };
        Ok((low <= high).then_some(SortCondition::Between(low, high)))
    }
}

/// Text that can start a text segment: implemented for `str` (and `String`) as a
/// prefix of `str` segments only, so `{field}_begins_with` compiles for text fields and
/// nowhere else.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot start a `{T}` segment",
    note = "`_begins_with` takes the start of a text segment; other segments are compared with `_gte`/`_lt` or fixed"
)]
pub trait TextPrefix<T: ?Sized> {
    /// The text.
    fn as_text(&self) -> &str;
}

impl TextPrefix<str> for str {
    fn as_text(&self) -> &str {
        self
    }
}

impl TextPrefix<str> for String {
    fn as_text(&self) -> &str {
        self
    }
}
