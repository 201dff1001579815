//! Conversion between Rust values and DynamoDB [`AttributeValue`]s.
//!
//! [`Attribute`] is implemented for the types a `#[derive(Entity)]` struct may hold:
//! strings, every integer type, `f64`/`f32`, `bool`, `Option<T>`, `Vec<T>`,
//! `HashSet`/`BTreeSet` of strings or numbers (string and number sets),
//! `HashMap`/`BTreeMap<String, T>`, nested structs deriving [`Attribute`](derive@crate::Attribute),
//! and, behind default features, `chrono::DateTime<Utc>`, `uuid::Uuid` and `ulid::Ulid`.
//!
//! Absent values are not stored: `None` and empty sets write no attribute (DynamoDB
//! rejects empty sets, and absent attributes keep sparse indexes sparse). Reading an
//! absent or `NULL` attribute gives `None` or an empty set.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasher, Hash};

use aws_sdk_dynamodb::types::AttributeValue;

use crate::error::AttributeError;

/// A DynamoDB item: attribute name to value.
pub type Item = HashMap<String, AttributeValue>;

/// A Rust type that can be stored as one DynamoDB attribute.
///
/// ```
/// use dynaschema::Attribute;
/// use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
///
/// let stored = 42_u32.encode().unwrap();
/// assert_eq!(stored, Some(AttributeValue::N("42".into())));
/// assert_eq!(u32::decode(stored).unwrap(), 42);
/// assert_eq!(Option::<u32>::decode(None).unwrap(), None);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored as a DynamoDB attribute",
    label = "this field's type does not implement `dynaschema::Attribute`",
    note = "supported: String, integers, f32/f64, bool, Option, Vec, HashSet/BTreeSet of strings or numbers, HashMap/BTreeMap<String, _>, chrono::DateTime<Utc>, Uuid, Ulid, and structs deriving `dynaschema::Attribute`"
)]
pub trait Attribute: Sized {
    /// Encodes the value. `Ok(None)` means "store no attribute" (a `None` option, an
    /// empty set).
    fn encode(&self) -> Result<Option<AttributeValue>, AttributeError>;

    /// Decodes a stored value; `None` when the attribute is absent from the item.
    fn decode(value: Option<AttributeValue>) -> Result<Self, AttributeError>;
}

/// The DynamoDB type letter of a value, for error messages.
pub(crate) fn type_name(value: &AttributeValue) -> &'static str {
    match value {
        AttributeValue::S(_) => "S",
        AttributeValue::N(_) => "N",
        AttributeValue::B(_) => "B",
        AttributeValue::Bool(_) => "BOOL",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::M(_) => "M",
        AttributeValue::L(_) => "L",
        AttributeValue::Ss(_) => "SS",
        AttributeValue::Ns(_) => "NS",
        AttributeValue::Bs(_) => "BS",
        _ => "an unknown type",
    }
}

/// Takes the value out of `value`, treating `NULL` like absence.
fn present(value: Option<AttributeValue>) -> Option<AttributeValue> {
    match value {
        Some(AttributeValue::Null(_)) | None => None,
        other => other,
    }
}

fn wrong(expected: &'static str, found: &AttributeValue) -> AttributeError {
    AttributeError::WrongType {
        expected,
        found: type_name(found),
    }
}

impl Attribute for String {
    fn encode(&self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(AttributeValue::S(self.clone())))
    }

    fn decode(value: Option<AttributeValue>) -> Result<Self, AttributeError> {
        const EXPECTED: &str = "string (S)";
        match present(value) {
            Some(AttributeValue::S(s)) => Ok(s),
            Some(other) => Err(wrong(EXPECTED, &other)),
            None => Err(AttributeError::Missing { expected: EXPECTED }),
        }
    }
}

impl Attribute for bool {
    fn encode(&self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(AttributeValue::Bool(*self)))
    }

    fn decode(value: Option<AttributeValue>) -> Result<Self, AttributeError> {
        const EXPECTED: &str = "boolean (BOOL)";
        match present(value) {
            Some(AttributeValue::Bool(b)) => Ok(b),
            Some(other) => Err(wrong(EXPECTED, &other)),
            None => Err(AttributeError::Missing { expected: EXPECTED }),
        }
    }
}

/// Reads the digits of an `N` attribute.
fn number(value: Option<AttributeValue>, expected: &'static str) -> Result<String, AttributeError> {
    match present(value) {
        Some(AttributeValue::N(n)) => Ok(n),
        Some(other) => Err(wrong(expected, &other)),
        None => Err(AttributeError::Missing { expected }),
    }
}

/// A type stored as a DynamoDB number (`N`), and therefore also usable in a number set.
pub trait Number: Sized {
    /// What a decode error says the type expected, e.g. `i32 (N)`.
    const EXPECTED: &'static str;
    /// The decimal text DynamoDB stores.
    fn to_number(&self) -> Result<String, AttributeError>;
    /// Parses DynamoDB's decimal text.
    fn from_number(text: &str) -> Result<Self, AttributeError>;
}

/// DynamoDB stores at most 38 significant digits.
pub const MAX_SIGNIFICANT_DIGITS: usize = 38;

/// Significant digits of an integer's decimal text: leading sign and zeros, and
/// trailing zeros, do not count (DynamoDB stores `1000` as `1E+3`).
fn significant_digits(text: &str) -> usize {
    text.trim_start_matches('-')
        .trim_start_matches('0')
        .trim_end_matches('0')
        .len()
}

macro_rules! integer {
    ($($t:ty),*) => {$(
        impl Number for $t {
            const EXPECTED: &'static str = concat!(stringify!($t), " (N)");
            fn to_number(&self) -> Result<String, AttributeError> {
                let text = itoa::Buffer::new().format(*self).to_owned();
                // Only 128-bit values can exceed it (a constant condition otherwise).
                if <$t>::BITS > 64 && significant_digits(&text) > MAX_SIGNIFICANT_DIGITS {
                    return Err(AttributeError::Unrepresentable(
                        "DynamoDB numbers have at most 38 significant digits",
                    ));
                }
                Ok(text)
            }
            fn from_number(text: &str) -> Result<Self, AttributeError> {
                text.parse().map_err(|_| AttributeError::invalid(Self::EXPECTED, text))
            }
        }
    )*};
}
integer!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

macro_rules! float {
    ($($t:ty),*) => {$(
        impl Number for $t {
            const EXPECTED: &'static str = concat!(stringify!($t), " (N)");
            fn to_number(&self) -> Result<String, AttributeError> {
                if !self.is_finite() {
                    return Err(AttributeError::Unrepresentable(
                        "DynamoDB numbers cannot be NaN or infinite",
                    ));
                }
                // DynamoDB's range: 1E-130 to 9.9999999999999999999999999999999999999E+125.
                let magnitude = f64::from(self.abs());
                if magnitude >= 1e126 || (magnitude != 0.0 && magnitude < 1e-130) {
                    return Err(AttributeError::Unrepresentable(
                        "DynamoDB numbers lie between 1E-130 and 9.99E+125 in magnitude",
                    ));
                }
                Ok(ryu::Buffer::new().format_finite(*self).to_owned())
            }
            fn from_number(text: &str) -> Result<Self, AttributeError> {
                text.parse().map_err(|_| AttributeError::invalid(Self::EXPECTED, text))
            }
        }
    )*};
}
float!(f32, f64);

macro_rules! number_attribute {
    ($($t:ty),*) => {$(
        impl Attribute for $t {
            fn encode(&self) -> Result<Option<AttributeValue>, AttributeError> {
                Ok(Some(AttributeValue::N(self.to_number()?)))
            }
            fn decode(value: Option<AttributeValue>) -> Result<Self, AttributeError> {
                Self::from_number(&number(value, <$t as Number>::EXPECTED)?)
            }
        }
    )*};
}
number_attribute!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64
);

impl<T: Attribute> Attribute for Option<T> {
    fn encode(&self) -> Result<Option<AttributeValue>, AttributeError> {
        match self {
            Some(inner) => inner.encode(),
            None => Ok(None),
        }
    }

    fn decode(value: Option<AttributeValue>) -> Result<Self, AttributeError> {
        match present(value) {
            Some(v) => T::decode(Some(v)).map(Some),
            None => Ok(None),
        }
    }
}

impl<T: Attribute> Attribute for Box<T> {
    fn encode(&self) -> Result<Option<AttributeValue>, AttributeError> {
        (**self).encode()
    }

    fn decode(value: Option<AttributeValue>) -> Result<Self, AttributeError> {
        T::decode(value).map(Box::new)
    }
}

fn nested(path: String, error: AttributeError) -> AttributeError {
    AttributeError::Nested {
        path,
        error: Box::new(error),
    }
}

impl<T: Attribute> Attribute for Vec<T> {
    fn encode(&self) -> Result<Option<AttributeValue>, AttributeError> {
        let mut list = Vec::with_capacity(self.len());
        for (i, element) in self.iter().enumerate() {
            // A `None` inside a list keeps its position as NULL.
            let value = element.encode().map_err(|e| nested(format!("[{i}]"), e))?;
            list.push(value.unwrap_or(AttributeValue::Null(true)));
        }
        Ok(Some(AttributeValue::L(list)))
    }

    fn decode(value: Option<AttributeValue>) -> Result<Self, AttributeError> {
        const EXPECTED: &str = "list (L)";
        match present(value) {
            Some(AttributeValue::L(list)) => list
                .into_iter()
                .enumerate()
                .map(|(i, v)| T::decode(Some(v)).map_err(|e| nested(format!("[{i}]"), e)))
                .collect(),
            Some(other) => Err(wrong(EXPECTED, &other)),
            None => Err(AttributeError::Missing { expected: EXPECTED }),
        }
    }
}

/// A type that can be a member of a DynamoDB set: strings (`SS`) or numbers (`NS`).
pub trait SetMember: Sized {
    /// Builds the set attribute from its members' texts.
    fn to_set(members: Vec<String>) -> AttributeValue;
    /// The members' texts of a stored set, or the error naming what was expected.
    fn from_set(value: AttributeValue) -> Result<Vec<String>, AttributeError>;
    /// The member's text.
    fn to_member(&self) -> Result<String, AttributeError>;
    /// Parses a member's text.
    fn from_member(text: String) -> Result<Self, AttributeError>;
}

impl SetMember for String {
    fn to_set(members: Vec<String>) -> AttributeValue {
        AttributeValue::Ss(members)
    }
    fn from_set(value: AttributeValue) -> Result<Vec<String>, AttributeError> {
        match value {
            AttributeValue::Ss(members) => Ok(members),
            other => Err(wrong("string set (SS)", &other)),
        }
    }
    fn to_member(&self) -> Result<String, AttributeError> {
        Ok(self.clone())
    }
    fn from_member(text: String) -> Result<Self, AttributeError> {
        Ok(text)
    }
}

macro_rules! number_set_member {
    ($($t:ty),*) => {$(
        impl SetMember for $t {
            fn to_set(members: Vec<String>) -> AttributeValue {
                AttributeValue::Ns(members)
            }
            fn from_set(value: AttributeValue) -> Result<Vec<String>, AttributeError> {
                match value {
                    AttributeValue::Ns(members) => Ok(members),
                    other => Err(wrong("number set (NS)", &other)),
                }
            }
            fn to_member(&self) -> Result<String, AttributeError> {
                self.to_number()
            }
            fn from_member(text: String) -> Result<Self, AttributeError> {
                Self::from_number(&text)
            }
        }
    )*};
}
number_set_member!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

fn encode_set<'a, T: SetMember + 'a>(
    members: impl ExactSizeIterator<Item = &'a T>,
) -> Result<Option<AttributeValue>, AttributeError> {
    if members.len() == 0 {
        // DynamoDB rejects empty sets; an empty set is stored as no attribute.
        return Ok(None);
    }
    let texts = members.map(T::to_member).collect::<Result<Vec<_>, _>>()?;
    Ok(Some(T::to_set(texts)))
}

fn decode_set<T: SetMember, C: FromIterator<T> + Default>(
    value: Option<AttributeValue>,
) -> Result<C, AttributeError> {
    match present(value) {
        Some(v) => T::from_set(v)?.into_iter().map(T::from_member).collect(),
        None => Ok(C::default()),
    }
}

impl<T: SetMember + Eq + Hash, S: BuildHasher + Default> Attribute for HashSet<T, S> {
    fn encode(&self) -> Result<Option<AttributeValue>, AttributeError> {
        encode_set(self.iter())
    }
    fn decode(value: Option<AttributeValue>) -> Result<Self, AttributeError> {
        decode_set(value)
    }
}

impl<T: SetMember + Ord> Attribute for BTreeSet<T> {
    fn encode(&self) -> Result<Option<AttributeValue>, AttributeError> {
        encode_set(self.iter())
    }
    fn decode(value: Option<AttributeValue>) -> Result<Self, AttributeError> {
        decode_set(value)
    }
}

fn encode_map<'a, T: Attribute + 'a>(
    entries: impl ExactSizeIterator<Item = (&'a String, &'a T)>,
) -> Result<Option<AttributeValue>, AttributeError> {
    let mut map = HashMap::with_capacity(entries.len());
    for (key, value) in entries {
        if let Some(v) = value.encode().map_err(|e| nested(format!(".{key}"), e))? {
            map.insert(key.clone(), v);
        }
    }
    Ok(Some(AttributeValue::M(map)))
}

fn decode_map<T: Attribute, C: FromIterator<(String, T)>>(
    value: Option<AttributeValue>,
) -> Result<C, AttributeError> {
    const EXPECTED: &str = "map (M)";
    match present(value) {
        Some(AttributeValue::M(map)) => map
            .into_iter()
            .map(|(k, v)| match T::decode(Some(v)) {
                Ok(v) => Ok((k, v)),
                Err(e) => Err(nested(format!(".{k}"), e)),
            })
            .collect(),
        Some(other) => Err(wrong(EXPECTED, &other)),
        None => Err(AttributeError::Missing { expected: EXPECTED }),
    }
}

impl<T: Attribute, S: BuildHasher + Default> Attribute for HashMap<String, T, S> {
    fn encode(&self) -> Result<Option<AttributeValue>, AttributeError> {
        encode_map(self.iter())
    }
    fn decode(value: Option<AttributeValue>) -> Result<Self, AttributeError> {
        decode_map(value)
    }
}

impl<T: Attribute> Attribute for BTreeMap<String, T> {
    fn encode(&self) -> Result<Option<AttributeValue>, AttributeError> {
        encode_map(self.iter())
    }
    fn decode(value: Option<AttributeValue>) -> Result<Self, AttributeError> {
        decode_map(value)
    }
}

/// Implements [`Attribute`] for a type stored as a string with a fixed text form.
macro_rules! text_attribute {
    ($t:ty, $expected:literal, $to:expr, $from:expr) => {
        impl Attribute for $t {
            fn encode(&self) -> Result<Option<AttributeValue>, AttributeError> {
                let to: fn(&$t) -> Result<String, AttributeError> = $to;
                Ok(Some(AttributeValue::S(to(self)?)))
            }
            fn decode(value: Option<AttributeValue>) -> Result<Self, AttributeError> {
                let from: fn(&str) -> Option<$t> = $from;
                let text = String::decode(value).map_err(|e| match e {
                    AttributeError::Missing { .. } => AttributeError::Missing {
                        expected: $expected,
                    },
                    AttributeError::WrongType { found, .. } => AttributeError::WrongType {
                        expected: $expected,
                        found,
                    },
                    other => other,
                })?;
                from(&text).ok_or_else(|| AttributeError::invalid($expected, &text))
            }
        }
    };
}

#[cfg(feature = "chrono")]
text_attribute!(
    chrono::DateTime<chrono::Utc>,
    "RFC 3339 UTC timestamp (S)",
    |t| crate::key::timestamp_text(t).map_err(AttributeError::Unrepresentable),
    |s| chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
);

#[cfg(feature = "uuid")]
text_attribute!(
    uuid::Uuid,
    "UUID (S)",
    |u| Ok(u.hyphenated().to_string()),
    |s| { uuid::Uuid::parse_str(s).ok() }
);

#[cfg(feature = "ulid")]
text_attribute!(ulid::Ulid, "ULID (S)", |u| Ok(u.to_string()), |s| {
    ulid::Ulid::from_string(s).ok()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_and_absent_decode_to_none() {
        assert_eq!(
            Option::<String>::decode(Some(AttributeValue::Null(true))),
            Ok(None)
        );
        assert_eq!(Option::<String>::decode(None), Ok(None));
    }

    #[test]
    fn empty_sets_are_not_stored_and_read_back_empty() {
        let empty: HashSet<String> = HashSet::new();
        assert_eq!(empty.encode(), Ok(None));
        assert_eq!(HashSet::<String>::decode(None), Ok(HashSet::new()));
    }

    #[test]
    fn non_finite_floats_are_refused() {
        assert!(matches!(
            f64::NAN.encode(),
            Err(AttributeError::Unrepresentable(_))
        ));
        assert!(matches!(
            f64::INFINITY.encode(),
            Err(AttributeError::Unrepresentable(_))
        ));
    }

    #[test]
    fn numbers_beyond_dynamodb_precision_or_range_are_refused() {
        assert!(matches!(
            u128::MAX.encode(),
            Err(AttributeError::Unrepresentable(_))
        ));
        assert!(matches!(
            i128::MIN.encode(),
            Err(AttributeError::Unrepresentable(_))
        ));
        let nines = 10_u128.pow(38) - 1;
        assert_eq!(
            nines.encode().unwrap(),
            Some(AttributeValue::N("9".repeat(38)))
        );
        // Trailing zeros are not significant: 10^38 is one digit of precision.
        assert!(10_u128.pow(38).encode().is_ok());
        assert!(matches!(
            1e300_f64.encode(),
            Err(AttributeError::Unrepresentable(_))
        ));
        assert!(matches!(
            1e-200_f64.encode(),
            Err(AttributeError::Unrepresentable(_))
        ));
        assert!(
            0.0_f64.encode().is_ok() && 1e125_f64.encode().is_ok() && 1e-130_f64.encode().is_ok()
        );
    }

    #[test]
    fn wrong_types_name_expected_and_found() {
        let err = i32::decode(Some(AttributeValue::S("x".into()))).unwrap_err();
        assert_eq!(
            err,
            AttributeError::WrongType {
                expected: "i32 (N)",
                found: "S"
            }
        );
        let err = u8::decode(Some(AttributeValue::N("300".into()))).unwrap_err();
        assert!(matches!(
            err,
            AttributeError::Invalid {
                expected: "u8 (N)",
                ..
            }
        ));
    }

    #[test]
    fn list_errors_carry_the_position() {
        let stored = AttributeValue::L(vec![
            AttributeValue::N("1".into()),
            AttributeValue::S("x".into()),
        ]);
        let err = Vec::<i64>::decode(Some(stored)).unwrap_err();
        let crate::DecodeError { attribute, .. } = crate::DecodeError::new("E", "scores", err);
        assert_eq!(attribute, "scores[1]");
    }
}

/// A point in time stored as a number of seconds since the Unix epoch: the form
/// DynamoDB's TTL reads (an item whose TTL attribute is in the past is deleted).
///
/// ```
/// use dynaschema::{Attribute, EpochSeconds};
/// use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
///
/// let expiry = EpochSeconds::from_secs(1_800_000_000);
/// assert_eq!(expiry.encode().unwrap(), Some(AttributeValue::N("1800000000".into())));
/// assert_eq!(EpochSeconds::decode(Some(AttributeValue::N("1800000000".into()))).unwrap(), expiry);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EpochSeconds(pub i64);

impl EpochSeconds {
    /// `secs` seconds after the epoch.
    pub fn from_secs(secs: i64) -> Self {
        Self(secs)
    }

    /// Now, to the second.
    pub fn now() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Self(secs)
    }

    /// `duration` from now, e.g. a session's expiry.
    pub fn in_(duration: std::time::Duration) -> Self {
        Self(Self::now().0.saturating_add(duration.as_secs() as i64))
    }
}

#[cfg(feature = "chrono")]
impl From<chrono::DateTime<chrono::Utc>> for EpochSeconds {
    fn from(t: chrono::DateTime<chrono::Utc>) -> Self {
        Self(t.timestamp())
    }
}

impl Attribute for EpochSeconds {
    fn encode(&self) -> Result<Option<AttributeValue>, AttributeError> {
        self.0.encode()
    }

    fn decode(value: Option<AttributeValue>) -> Result<Self, AttributeError> {
        i64::decode(value).map(Self)
    }
}

/// Types the table's TTL attribute can hold: epoch seconds as DynamoDB reads them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the TTL attribute: DynamoDB reads it as epoch seconds",
    label = "stored under the table's `ttl_attribute`",
    note = "use `dynaschema::EpochSeconds` (or an integer of seconds), optionally in an `Option`"
)]
pub trait TtlValue {}
impl TtlValue for EpochSeconds {}
impl TtlValue for u64 {}
impl TtlValue for i64 {}
impl TtlValue for u32 {}
impl<T: TtlValue> TtlValue for Option<T> {}

/// Types of fields that dynaschema keeps as timestamps (`#[entity(created_at)]`,
/// `#[entity(updated_at)]`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a maintained timestamp",
    note = "use `Option<chrono::DateTime<Utc>>` (None until written) or `chrono::DateTime<Utc>`"
)]
pub trait TimestampField {}
#[cfg(feature = "chrono")]
impl TimestampField for chrono::DateTime<chrono::Utc> {}
#[cfg(feature = "chrono")]
impl TimestampField for Option<chrono::DateTime<chrono::Utc>> {}

/// Now, as a maintained timestamp is stored.
pub(crate) fn now_value() -> Option<AttributeValue> {
    #[cfg(feature = "chrono")]
    {
        chrono::Utc::now().encode().ok().flatten()
    }
    #[cfg(not(feature = "chrono"))]
    {
        None
    }
}
