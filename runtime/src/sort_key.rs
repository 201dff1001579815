//! Sort key conditions of query patterns, built step by step by the generated
//! builders (`table.user_orders(&id).created_at_gte(&t)`), one code path for both
//! kinds of sort key:
//!
//! * a **template** key (`ORDER#{created_at}#{order_id}`): one string attribute whose
//!   value segments are fixed or compared left to right ([`Template`]);
//! * a **multi-attribute** key (`sort_key = ["round", "table"]`): up to four typed
//!   attributes, equality on leading ones and one other condition on the next
//!   ([`MultiAttribute`], see [`crate::multi_attribute`]).
//!
//! [`SortKey`] is the builder; a step ([`SegmentStep`], [`AttributeStep`]) says
//! which segment or attribute a method narrows; the result is a
//! [`SortKeyCondition`].
//!
//! How a template's segments become one DynamoDB key condition that selects exactly
//! the items whose segment values satisfy it, and nothing of another entity beyond
//! what the discriminator filters out:
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
//!   bound is dropped from results ([`SortKeyCondition::excluded`]).
//!
//! ```
//! use dynaschema::Comparison;
//! use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
//! use dynaschema::query::SortCondition;
//! use dynaschema::sort_key::{SegmentStep, SortKey};
//!
//! // `ORDER#{created_at}#{order_id}`: orders with `created_at` >= 2026.
//! const CREATED_AT: SegmentStep = SegmentStep::new("created_at", &[], false);
//! let condition = SortKey::template("Order", "sk", &["ORDER"])
//!     .compare(&CREATED_AT, Comparison::GreaterOrEqual, &2026_u32)
//!     .unwrap();
//! let text = |s: &str| AttributeValue::S(s.to_owned());
//! assert_eq!(
//!     condition.conditions(),
//!     [("sk", SortCondition::Between(text("ORDER#0000002026#"), text("ORDER$")))],
//! );
//! assert_eq!(condition.excluded(), None);
//! ```

use aws_sdk_dynamodb::types::AttributeValue;
use dynaschema_core::{Case, Comparison};

use crate::error::{KeyError, KeyErrorReason};
use crate::key::{Cased, KeyRole, KeySegment, KeyWriter};

/// A condition on a sort key attribute. Built by generated pattern methods from typed
/// values; see [`crate::sort_key`] for how comparisons of template segments are
/// encoded. `V` is the compared value: the key text for template keys, an
/// [`AttributeValue`] for multi-attribute keys.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SortCondition<V = String> {
    /// `sk <op> value`: `=`, `<`, `<=`, `>`, `>=` (a key condition has no `<>`).
    Compare(Comparison, V),
    /// `begins_with(sk, prefix)`; prefixes built by dynaschema end at a segment boundary.
    BeginsWith(V),
    /// `sk BETWEEN low AND high` (inclusive).
    Between(V, V),
    /// Nothing can match (e.g. `between(high, low)`); no request is sent.
    Nothing,
}

impl<V> SortCondition<V> {
    /// `sk = value`.
    pub fn equals(value: V) -> Self {
        SortCondition::Compare(Comparison::Equal, value)
    }

    /// The same condition on converted values.
    pub fn map<W>(self, mut f: impl FnMut(V) -> W) -> SortCondition<W> {
        match self {
            SortCondition::Compare(op, v) => SortCondition::Compare(op, f(v)),
            SortCondition::BeginsWith(v) => SortCondition::BeginsWith(f(v)),
            SortCondition::Between(low, high) => SortCondition::Between(f(low), f(high)),
            SortCondition::Nothing => SortCondition::Nothing,
        }
    }

    /// The condition's text with `name` and `value` placeholders (`high` is the upper
    /// bound of `BETWEEN`).
    pub(crate) fn write(&self, out: &mut String, name: &str, value: &str, high: &str) {
        use std::fmt::Write as _;
        let _ = match self {
            SortCondition::Compare(op, _) => write!(out, "{name} {op} {value}"),
            // Never sent: a query that can match nothing is answered without a request.
            SortCondition::Nothing => write!(out, "{name} = {value}"),
            SortCondition::BeginsWith(_) => write!(out, "begins_with({name}, {value})"),
            SortCondition::Between(..) => write!(out, "{name} BETWEEN {value} AND {high}"),
        };
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        let (first, second) = match self {
            SortCondition::Between(low, high) => (Some(low), Some(high)),
            SortCondition::Compare(_, v) | SortCondition::BeginsWith(v) => (Some(v), None),
            SortCondition::Nothing => (None, None),
        };
        first.into_iter().chain(second)
    }
}

/// The conditions a sort key builder ends with: one per narrowed sort key attribute
/// (a template key has one attribute), and for a strict `<` on a template's last
/// segment the one key to drop from results.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SortKeyCondition {
    pub(crate) conditions: Vec<(&'static str, SortCondition<AttributeValue>)>,
    pub(crate) excluded: Option<String>,
}

impl SortKeyCondition {
    /// No condition on the sort key: the whole partition.
    pub fn none() -> Self {
        Self::default()
    }

    /// One condition on a template sort key attribute.
    pub fn template(attribute: &'static str, condition: SortCondition) -> Self {
        Self {
            conditions: vec![(attribute, condition.map(AttributeValue::S))],
            excluded: None,
        }
    }

    /// The conditions, by attribute, left to right.
    pub fn conditions(&self) -> &[(&'static str, SortCondition<AttributeValue>)] {
        &self.conditions
    }

    /// The sort key value dropped from results, if any (see the module docs).
    pub fn excluded(&self) -> Option<&str> {
        self.excluded.as_deref()
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Template {}
    impl Sealed for super::MultiAttribute {}
}

/// A kind of sort key: [`Template`] or [`MultiAttribute`]. What is fixed so far is
/// its `State`; each builder method names the segment or attribute it narrows with
/// a `Step`.
pub trait SortKeyKind: sealed::Sealed {
    /// The segment or attribute a builder method narrows.
    type Step: std::fmt::Debug + 'static;
    /// What the builder has fixed so far.
    type State: Clone + std::fmt::Debug;

    /// `begins_with` on the step's text (string segments and attributes only).
    fn begins_with(
        entity: &'static str,
        state: Self::State,
        step: &Self::Step,
        text: &str,
    ) -> Result<SortKeyCondition, KeyError>;

    /// The conditions fixed so far and nothing more.
    fn finish(state: Self::State) -> Result<SortKeyCondition, KeyError>;
}

/// How a sort key of kind `Self` fixes and compares values of type `T`: template
/// segments take [`KeySegment`]s, multi-attribute keys
/// [`KeyAttributeValue`](crate::multi_attribute::KeyAttributeValue)s.
pub trait Narrow<T: ?Sized>: SortKeyKind {
    /// `step = value`, and more steps may follow.
    fn fix(
        entity: &'static str,
        state: Self::State,
        step: &Self::Step,
        value: &T,
    ) -> Result<Self::State, KeyError>;

    /// `step = value` on the last step.
    fn equals(
        entity: &'static str,
        state: Self::State,
        step: &Self::Step,
        value: &T,
    ) -> Result<SortKeyCondition, KeyError>;

    /// `step <op> value`.
    fn compare(
        entity: &'static str,
        state: Self::State,
        step: &Self::Step,
        comparison: Comparison,
        value: &T,
    ) -> Result<SortKeyCondition, KeyError>;

    /// `low <= step <= high`; nothing when `low > high` (DynamoDB refuses such a
    /// `BETWEEN`).
    fn between(
        entity: &'static str,
        state: Self::State,
        step: &Self::Step,
        low: &T,
        high: &T,
    ) -> Result<SortKeyCondition, KeyError>;
}

/// A query's sort key, narrowed step by step. Generated pattern builders drive it,
/// offering at each step only what the key's order allows next.
#[derive(Debug, Clone)]
pub struct SortKey<K: SortKeyKind> {
    entity: &'static str,
    state: Result<K::State, KeyError>,
}

impl<K: SortKeyKind> SortKey<K> {
    /// `step = value`, and more steps may follow.
    pub fn fix<T: ?Sized>(self, step: &K::Step, value: &T) -> Self
    where
        K: Narrow<T>,
    {
        let entity = self.entity;
        Self {
            entity,
            state: self.state.and_then(|s| K::fix(entity, s, step, value)),
        }
    }

    /// `step = value` on the key's last step.
    pub fn equals<T: ?Sized>(self, step: &K::Step, value: &T) -> Result<SortKeyCondition, KeyError>
    where
        K: Narrow<T>,
    {
        K::equals(self.entity, self.state?, step, value)
    }

    /// `step <op> value`. `<>` is not a key condition:
    /// [`KeyErrorReason::NotAKeyCondition`].
    pub fn compare<T: ?Sized>(
        self,
        step: &K::Step,
        comparison: Comparison,
        value: &T,
    ) -> Result<SortKeyCondition, KeyError>
    where
        K: Narrow<T>,
    {
        K::compare(self.entity, self.state?, step, comparison, value)
    }

    /// `low <= step <= high`, both included; nothing when `low > high`.
    pub fn between<T: ?Sized>(
        self,
        step: &K::Step,
        low: &T,
        high: &T,
    ) -> Result<SortKeyCondition, KeyError>
    where
        K: Narrow<T>,
    {
        K::between(self.entity, self.state?, step, low, high)
    }

    /// `begins_with` of the step's text: the fixed segments and the start of the
    /// next one (`ORDER#STATUS#SHIP` for statuses starting with `SHIP`).
    pub fn begins_with(self, step: &K::Step, text: &str) -> Result<SortKeyCondition, KeyError> {
        K::begins_with(self.entity, self.state?, step, text)
    }

    /// The conditions fixed so far: `begins_with` of the fixed segments of a
    /// template, equalities on the fixed attributes of a multi-attribute key.
    pub fn finish(self) -> Result<SortKeyCondition, KeyError> {
        K::finish(self.state?)
    }
}

fn not_a_key_condition(entity: &'static str, attribute: &str, comparison: Comparison) -> KeyError {
    KeyError {
        entity,
        attribute: attribute.to_owned(),
        reason: KeyErrorReason::NotAKeyCondition(comparison),
    }
}

// ---------------------------------------------------------------------------------
// Template keys

/// A template sort key: one string attribute of `#`-separated segments.
#[derive(Debug)]
pub enum Template {}

/// A value segment of a template sort key, with the literal segments after it.
#[derive(Debug, Clone, Copy)]
pub struct SegmentStep {
    field: &'static str,
    case: Option<Case>,
    trailing: &'static [&'static str],
    last: bool,
}

impl SegmentStep {
    /// The segment filled by `field`, followed by the literal segments `trailing`;
    /// `last` when no value segment follows.
    pub const fn new(field: &'static str, trailing: &'static [&'static str], last: bool) -> Self {
        Self {
            field,
            case: None,
            trailing,
            last,
        }
    }

    /// The segment's text in `case` (`{field|lower}`).
    pub const fn cased(mut self, case: Case) -> Self {
        self.case = Some(case);
        self
    }

    /// Whether nothing at all follows the segment: it is compared as the key's end.
    fn ends_key(&self) -> bool {
        self.last && self.trailing.is_empty()
    }

    fn write<T: KeySegment + ?Sized>(&self, writer: KeyWriter, value: &T) -> KeyWriter {
        match self.case {
            None => writer.value(self.field, value),
            Some(case) => writer.value(self.field, &Cased::new(value, case)),
        }
    }
}

/// What a template sort key has fixed: its attribute and whole segments, each
/// followed by `#` (empty when nothing is fixed).
#[derive(Debug, Clone)]
pub struct TemplatePrefix {
    attribute: &'static str,
    text: String,
}

impl TemplatePrefix {
    fn writer(&self, entity: &'static str) -> KeyWriter {
        KeyWriter::resume(entity, self.attribute, KeyRole::Sort, self.text.clone())
    }

    /// The encoded bound for `value` in `step`, compared at a segment boundary.
    fn bound<T: KeySegment + ?Sized>(
        &self,
        entity: &'static str,
        step: &SegmentStep,
        value: &T,
    ) -> Result<String, KeyError> {
        step.write(self.writer(entity), value).finish()
    }

    fn one(&self, condition: SortCondition) -> SortKeyCondition {
        SortKeyCondition::template(self.attribute, condition)
    }

    /// The top of the entity's range below the prefix: the prefix with its final `#`
    /// replaced by `$` (`ORDER#` -> `ORDER$`); `None` when the prefix is empty.
    fn range_end(&self) -> Option<String> {
        self.text.strip_suffix('#').map(|p| format!("{p}$"))
    }
}

impl SortKey<Template> {
    /// The sort key `attribute` of `entity`, its template's leading literal segments
    /// fixed.
    pub fn template(
        entity: &'static str,
        attribute: &'static str,
        literals: &[&'static str],
    ) -> Self {
        let writer = literals.iter().fold(
            KeyWriter::new(entity, attribute, KeyRole::Sort),
            |w, literal| w.literal(literal),
        );
        let text = if literals.is_empty() {
            Ok(String::new())
        } else {
            writer.finish_prefix()
        };
        Self {
            entity,
            state: text.map(|text| TemplatePrefix { attribute, text }),
        }
    }
}

impl SortKeyKind for Template {
    type Step = SegmentStep;
    type State = TemplatePrefix;

    fn begins_with(
        entity: &'static str,
        state: TemplatePrefix,
        step: &SegmentStep,
        text: &str,
    ) -> Result<SortKeyCondition, KeyError> {
        let prefix = state.bound(entity, step, text)?;
        Ok(state.one(SortCondition::BeginsWith(prefix)))
    }

    fn finish(state: TemplatePrefix) -> Result<SortKeyCondition, KeyError> {
        Ok(if state.text.is_empty() {
            SortKeyCondition::none()
        } else {
            let prefix = state.text.clone();
            state.one(SortCondition::BeginsWith(prefix))
        })
    }
}

impl<T: KeySegment + ?Sized> Narrow<T> for Template {
    fn fix(
        entity: &'static str,
        state: TemplatePrefix,
        step: &SegmentStep,
        value: &T,
    ) -> Result<TemplatePrefix, KeyError> {
        let writer = step
            .trailing
            .iter()
            .fold(step.write(state.writer(entity), value), |w, literal| {
                w.literal(literal)
            });
        Ok(TemplatePrefix {
            attribute: state.attribute,
            text: writer.finish_prefix()?,
        })
    }

    fn equals(
        entity: &'static str,
        state: TemplatePrefix,
        step: &SegmentStep,
        value: &T,
    ) -> Result<SortKeyCondition, KeyError> {
        let writer = step
            .trailing
            .iter()
            .fold(step.write(state.writer(entity), value), |w, literal| {
                w.literal(literal)
            });
        Ok(state.one(SortCondition::equals(writer.finish()?)))
    }

    fn compare(
        entity: &'static str,
        state: TemplatePrefix,
        step: &SegmentStep,
        comparison: Comparison,
        value: &T,
    ) -> Result<SortKeyCondition, KeyError> {
        use Comparison::*;
        if comparison == Equal && step.last {
            return Self::equals(entity, state, step, value);
        }
        let last = step.ends_key();
        let v = state.bound(entity, step, value)?;
        // `at` = the value at a segment boundary; `after` = the least key above every
        // key whose segment equals the value.
        let (at, after) = if last {
            (v.clone(), format!("{v}\0"))
        } else {
            (format!("{v}#"), format!("{v}$"))
        };
        let prefix = state.text.clone();
        let mut excluded = None;
        let condition = match (comparison, state.range_end()) {
            (NotEqual, _) => return Err(not_a_key_condition(entity, step.field, comparison)),
            // A middle segment equal to the value: every key continuing it.
            (Equal, _) => SortCondition::Between(at, after),
            // No literal prefix: the entity spans the partition, plain comparisons.
            (LessOrEqual, None) if !last => SortCondition::Compare(Less, after),
            (Greater, None) if !last => SortCondition::Compare(GreaterOrEqual, after),
            (_, None) => SortCondition::Compare(comparison, at),
            // Inside the entity's range `[prefix, end)`.
            (Less, Some(_)) => {
                if last {
                    excluded = Some(at.clone());
                }
                SortCondition::Between(prefix, at)
            }
            (LessOrEqual, Some(_)) if last => SortCondition::Between(prefix, at),
            (LessOrEqual, Some(_)) => SortCondition::Between(prefix, after),
            (Greater, Some(end)) => SortCondition::Between(after, end),
            (GreaterOrEqual, Some(end)) => SortCondition::Between(at, end),
        };
        let mut out = state.one(condition);
        out.excluded = excluded;
        Ok(out)
    }

    fn between(
        entity: &'static str,
        state: TemplatePrefix,
        step: &SegmentStep,
        low: &T,
        high: &T,
    ) -> Result<SortKeyCondition, KeyError> {
        let low = state.bound(entity, step, low)?;
        let high = state.bound(entity, step, high)?;
        let (low, high) = if step.ends_key() {
            (low, high)
        } else {
            (format!("{low}#"), format!("{high}$"))
        };
        Ok(state.one(if low <= high {
            SortCondition::Between(low, high)
        } else {
            SortCondition::Nothing
        }))
    }
}

// ---------------------------------------------------------------------------------
// Multi-attribute keys

/// A multi-attribute sort key: up to four typed attributes, compared left to right.
#[derive(Debug)]
pub enum MultiAttribute {}

/// An attribute of a multi-attribute sort key.
#[derive(Debug, Clone, Copy)]
pub struct AttributeStep {
    attribute: &'static str,
}

impl AttributeStep {
    /// The sort key attribute `attribute`.
    pub const fn new(attribute: &'static str) -> Self {
        Self { attribute }
    }
}

/// The conditions a multi-attribute sort key has so far, left to right.
pub type AttributeConditions = Vec<(&'static str, SortCondition<AttributeValue>)>;

impl SortKey<MultiAttribute> {
    /// A multi-attribute sort key of `entity` with nothing fixed yet.
    pub fn multi_attribute(entity: &'static str) -> Self {
        Self {
            entity,
            state: Ok(Vec::new()),
        }
    }
}

impl SortKeyKind for MultiAttribute {
    type Step = AttributeStep;
    type State = AttributeConditions;

    fn begins_with(
        entity: &'static str,
        mut state: AttributeConditions,
        step: &AttributeStep,
        text: &str,
    ) -> Result<SortKeyCondition, KeyError> {
        let value = crate::multi_attribute::key_value(entity, step.attribute, false, text)?;
        state.push((step.attribute, SortCondition::BeginsWith(value)));
        Self::finish(state)
    }

    fn finish(state: AttributeConditions) -> Result<SortKeyCondition, KeyError> {
        Ok(SortKeyCondition {
            conditions: state,
            excluded: None,
        })
    }
}

impl<T> Narrow<T> for MultiAttribute
where
    T: crate::multi_attribute::KeyAttributeValue + PartialOrd + ?Sized,
{
    fn fix(
        entity: &'static str,
        mut state: AttributeConditions,
        step: &AttributeStep,
        value: &T,
    ) -> Result<AttributeConditions, KeyError> {
        let value = crate::multi_attribute::key_value(entity, step.attribute, false, value)?;
        state.push((step.attribute, SortCondition::equals(value)));
        Ok(state)
    }

    fn equals(
        entity: &'static str,
        state: AttributeConditions,
        step: &AttributeStep,
        value: &T,
    ) -> Result<SortKeyCondition, KeyError> {
        Self::finish(Self::fix(entity, state, step, value)?)
    }

    fn compare(
        entity: &'static str,
        mut state: AttributeConditions,
        step: &AttributeStep,
        comparison: Comparison,
        value: &T,
    ) -> Result<SortKeyCondition, KeyError> {
        if !comparison.is_key_condition() {
            return Err(not_a_key_condition(entity, step.attribute, comparison));
        }
        let value = crate::multi_attribute::key_value(entity, step.attribute, false, value)?;
        state.push((step.attribute, SortCondition::Compare(comparison, value)));
        Self::finish(state)
    }

    fn between(
        entity: &'static str,
        mut state: AttributeConditions,
        step: &AttributeStep,
        low: &T,
        high: &T,
    ) -> Result<SortKeyCondition, KeyError> {
        let empty = low > high;
        let low = crate::multi_attribute::key_value(entity, step.attribute, false, low)?;
        let high = crate::multi_attribute::key_value(entity, step.attribute, false, high)?;
        state.push((
            step.attribute,
            if empty {
                SortCondition::Nothing
            } else {
                SortCondition::Between(low, high)
            },
        ));
        Self::finish(state)
    }
}

/// Text that can start a text segment or attribute: implemented for `str` (and
/// `String`) as a prefix of `str` fields only, so `{field}_begins_with` compiles for
/// text fields and nowhere else.
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
