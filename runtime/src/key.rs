//! Key encoding: how field values become the segments of synthetic keys such as
//! `USER#{user_id}` or `ORDER#{created_at}#{order_id}`.
//!
//! The encoding is a correctness property, not a detail:
//!
//! * **Injective and reversible.** Segments are joined with `#`. A string value's `#`
//!   and `%` are percent-escaped (`%23`, `%25`), so an encoded segment never contains
//!   the delimiter and [`decode_segments`] recovers exactly the values encoded:
//!   `("A#", "B")` and `("A", "#B")` give `A%23#B` and `A#%23B`.
//! * **Prefixes end at a segment boundary.** A `begins_with` prefix built from whole
//!   segments ends with `#`, so `ORDER#1#` never matches `ORDER#10#…`.
//! * **Order-preserving numbers and timestamps.** Integers are zero-padded to the
//!   width of their type; signed integers are offset by 2^(bits-1) first, so string
//!   order equals numeric order (`-1` encodes as `09223372036854775807` for `i64`).
//!   Timestamps are UTC RFC 3339 with nine fraction digits, years 0000–9999.
//! * **Nothing is case-folded; empty segments are refused** ([`KeyErrorReason::EmptySegment`]).
//! * **Sizes are checked before sending**: 2,048 bytes for a partition key, 1,024 for a
//!   sort key.
//!
//! ```
//! use dynaschema::key::{KeySegment, decode_segments};
//!
//! let mut key = String::from("ORDER#");
//! "a#b".encode_segment(&mut key).unwrap();
//! key.push('#');
//! 42_u32.encode_segment(&mut key).unwrap();
//! assert_eq!(key, "ORDER#a%23b#0000000042");
//! assert_eq!(decode_segments(&key).unwrap(), ["ORDER", "a#b", "0000000042"]);
//! assert_eq!(u32::decode_segment("0000000042").unwrap(), 42);
//! ```

use std::borrow::Cow;
use std::marker::PhantomData;

use aws_sdk_dynamodb::types::AttributeValue;
use dynaschema_core::{Case, TimeBucket};

use crate::error::{KeyError, KeyErrorReason};

/// The delimiter between the segments of a synthetic key.
pub const DELIMITER: char = '#';
/// The escape character of string segments.
pub const ESCAPE: char = '%';
/// DynamoDB's limit on a partition key value, in UTF-8 bytes.
pub const MAX_PARTITION_KEY_BYTES: usize = 2048;
/// DynamoDB's limit on a sort key value, in UTF-8 bytes.
pub const MAX_SORT_KEY_BYTES: usize = 1024;

/// Why a segment could not be encoded or decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegmentError {
    /// Empty values are refused: they would make prefixes ambiguous.
    Empty,
    /// The value has no key encoding (e.g. a year beyond 9999).
    Unencodable(String),
    /// The text is not an encoding this type produces.
    Malformed(String),
}

impl From<SegmentError> for KeyErrorReason {
    fn from(e: SegmentError) -> Self {
        match e {
            SegmentError::Empty => KeyErrorReason::EmptySegment,
            SegmentError::Unencodable(m) | SegmentError::Malformed(m) => {
                KeyErrorReason::Unencodable(m)
            }
        }
    }
}

/// A type whose values can fill a `{placeholder}` of a key template.
///
/// Implemented for `String`/`str`, all integer types, `bool`, and (default features)
/// `chrono::DateTime<Utc>`, `uuid::Uuid` and `ulid::Ulid`. Floats are deliberately not
/// key segments: their text form is not order-preserving and `0.1 + 0.2` style
/// rounding makes equality lookups unreliable.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a key segment",
    label = "used in a key template, so this type must implement `dynaschema::key::KeySegment`",
    note = "key segments: String, integers, bool, chrono::DateTime<Utc>, uuid::Uuid, ulid::Ulid (floats are not: their text does not sort or compare reliably)"
)]
pub trait KeySegment {
    /// The owned type [`decode_segment`](Self::decode_segment) returns (`String` for `str`).
    type Owned;

    /// Appends this value's encoding to `out`. The encoding never contains [`DELIMITER`].
    fn encode_segment(&self, out: &mut String) -> Result<(), SegmentError>;

    /// Parses one segment as produced by [`encode_segment`](Self::encode_segment).
    fn decode_segment(segment: &str) -> Result<Self::Owned, SegmentError>;
}

impl KeySegment for str {
    type Owned = String;

    fn encode_segment(&self, out: &mut String) -> Result<(), SegmentError> {
        if self.is_empty() {
            return Err(SegmentError::Empty);
        }
        let mut rest = self;
        // A byte scan: both characters are ASCII, and a char-set pattern costs
        // several times more per byte.
        let special = |s: &str| s.bytes().position(|b| b == b'#' || b == b'%');
        while let Some(at) = special(rest) {
            out.push_str(&rest[..at]);
            out.push_str(if rest.as_bytes()[at] == b'#' {
                "%23"
            } else {
                "%25"
            });
            rest = &rest[at + 1..];
        }
        out.push_str(rest);
        Ok(())
    }

    fn decode_segment(segment: &str) -> Result<String, SegmentError> {
        if segment.is_empty() {
            return Err(SegmentError::Empty);
        }
        let mut out = String::with_capacity(segment.len());
        let mut rest = segment;
        while let Some(at) = rest.find(ESCAPE) {
            out.push_str(&rest[..at]);
            match rest.get(at..at + 3) {
                Some("%23") => out.push(DELIMITER),
                Some("%25") => out.push(ESCAPE),
                _ => {
                    return Err(SegmentError::Malformed(format!(
                        "bad escape in {segment:?}"
                    )));
                }
            }
            rest = &rest[at + 3..];
        }
        if rest.contains(DELIMITER) {
            return Err(SegmentError::Malformed(format!(
                "unescaped `#` in {segment:?}"
            )));
        }
        out.push_str(rest);
        Ok(out)
    }
}

impl KeySegment for String {
    type Owned = String;

    fn encode_segment(&self, out: &mut String) -> Result<(), SegmentError> {
        self.as_str().encode_segment(out)
    }

    fn decode_segment(segment: &str) -> Result<String, SegmentError> {
        str::decode_segment(segment)
    }
}

impl<T: KeySegment + ?Sized> KeySegment for &T {
    type Owned = T::Owned;

    fn encode_segment(&self, out: &mut String) -> Result<(), SegmentError> {
        (**self).encode_segment(out)
    }

    fn decode_segment(segment: &str) -> Result<T::Owned, SegmentError> {
        T::decode_segment(segment)
    }
}

fn push_padded(out: &mut String, digits: &str, width: usize) {
    out.extend(std::iter::repeat_n('0', width - digits.len()));
    out.push_str(digits);
}

fn parse_fixed<T: std::str::FromStr>(
    segment: &str,
    width: usize,
    what: &str,
) -> Result<T, SegmentError> {
    if segment.len() != width || !segment.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SegmentError::Malformed(format!(
            "{segment:?} is not a {width}-digit {what} segment"
        )));
    }
    segment
        .parse()
        .map_err(|_| SegmentError::Malformed(format!("{segment:?} is out of range for {what}")))
}

macro_rules! unsigned_segment {
    ($($t:ty => $width:expr),*) => {$(
        impl KeySegment for $t {
            type Owned = $t;
            fn encode_segment(&self, out: &mut String) -> Result<(), SegmentError> {
                push_padded(out, itoa::Buffer::new().format(*self), $width);
                Ok(())
            }
            fn decode_segment(segment: &str) -> Result<$t, SegmentError> {
                parse_fixed(segment, $width, stringify!($t))
            }
        }
    )*};
}
unsigned_segment!(u8 => 3, u16 => 5, u32 => 10, u64 => 20, u128 => 39, usize => 20);

macro_rules! signed_segment {
    ($($t:ty as $u:ty => $width:expr),*) => {$(
        impl KeySegment for $t {
            type Owned = $t;
            fn encode_segment(&self, out: &mut String) -> Result<(), SegmentError> {
                // Flipping the sign bit maps MIN..=MAX onto 0..=UMAX in order.
                let biased = (*self as $u) ^ (1 << (<$u>::BITS - 1));
                push_padded(out, itoa::Buffer::new().format(biased), $width);
                Ok(())
            }
            fn decode_segment(segment: &str) -> Result<$t, SegmentError> {
                let biased: $u = parse_fixed(segment, $width, stringify!($t))?;
                Ok((biased ^ (1 << (<$u>::BITS - 1))) as $t)
            }
        }
    )*};
}
signed_segment!(i8 as u8 => 3, i16 as u16 => 5, i32 as u32 => 10, i64 as u64 => 20, i128 as u128 => 39, isize as u64 => 20);

impl KeySegment for bool {
    type Owned = bool;
    fn encode_segment(&self, out: &mut String) -> Result<(), SegmentError> {
        out.push_str(if *self { "true" } else { "false" });
        Ok(())
    }
    fn decode_segment(segment: &str) -> Result<bool, SegmentError> {
        match segment {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(SegmentError::Malformed(format!(
                "{other:?} is not a bool segment"
            ))),
        }
    }
}

/// The fixed-width text of a timestamp, used both in keys and in attributes:
/// `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`.
#[cfg(feature = "chrono")]
pub(crate) fn timestamp_text(t: &chrono::DateTime<chrono::Utc>) -> Result<String, &'static str> {
    let mut out = String::with_capacity(30);
    write_timestamp(&mut out, t)?;
    Ok(out)
}

/// Appends [`timestamp_text`] to `out`. Written digit by digit: chrono's `format`
/// interprets its pattern on every call, which made it the largest cost of
/// encoding an item with a timestamp (BENCHMARKS.md).
#[cfg(feature = "chrono")]
fn write_timestamp(
    out: &mut String,
    t: &chrono::DateTime<chrono::Utc>,
) -> Result<(), &'static str> {
    use chrono::{Datelike, Timelike};
    let year = t.year();
    if !(0..=9999).contains(&year) {
        return Err("timestamps must lie in the years 0000 to 9999 to encode with a fixed width");
    }
    let digits = |out: &mut String, value: u32, width: usize| {
        let mut buf = [b'0'; 9];
        let mut v = value;
        for slot in buf[..width].iter_mut().rev() {
            *slot = b'0' + (v % 10) as u8;
            v /= 10;
        }
        out.extend(buf[..width].iter().map(|&b| char::from(b)));
    };
    // A leap second is nanoseconds past 1e9, written as second 60 as chrono does.
    let (second, nanos) = match t.nanosecond() {
        n if n >= 1_000_000_000 => (60, n - 1_000_000_000),
        n => (t.second(), n),
    };
    digits(out, year as u32, 4);
    out.push('-');
    digits(out, t.month(), 2);
    out.push('-');
    digits(out, t.day(), 2);
    out.push('T');
    digits(out, t.hour(), 2);
    out.push(':');
    digits(out, t.minute(), 2);
    out.push(':');
    digits(out, second, 2);
    out.push('.');
    digits(out, nanos, 9);
    out.push('Z');
    Ok(())
}

#[cfg(feature = "chrono")]
impl KeySegment for chrono::DateTime<chrono::Utc> {
    type Owned = Self;
    fn encode_segment(&self, out: &mut String) -> Result<(), SegmentError> {
        write_timestamp(out, self).map_err(|m| SegmentError::Unencodable(m.into()))
    }
    fn decode_segment(segment: &str) -> Result<Self, SegmentError> {
        if segment.len() != 30 {
            return Err(SegmentError::Malformed(format!(
                "{segment:?} is not a timestamp segment"
            )));
        }
        chrono::DateTime::parse_from_rfc3339(segment)
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|_| SegmentError::Malformed(format!("{segment:?} is not a timestamp segment")))
    }
}

#[cfg(feature = "uuid")]
impl KeySegment for uuid::Uuid {
    type Owned = Self;
    fn encode_segment(&self, out: &mut String) -> Result<(), SegmentError> {
        out.push_str(
            self.hyphenated()
                .encode_lower(&mut uuid::Uuid::encode_buffer()),
        );
        Ok(())
    }
    fn decode_segment(segment: &str) -> Result<Self, SegmentError> {
        // Only the canonical form this crate writes, so one UUID has one key.
        match uuid::Uuid::try_parse(segment) {
            Ok(u) if segment.len() == 36 && !segment.bytes().any(|b| b.is_ascii_uppercase()) => {
                Ok(u)
            }
            _ => Err(SegmentError::Malformed(format!(
                "{segment:?} is not a UUID segment"
            ))),
        }
    }
}

#[cfg(feature = "ulid")]
impl KeySegment for ulid::Ulid {
    type Owned = Self;
    fn encode_segment(&self, out: &mut String) -> Result<(), SegmentError> {
        out.push_str(self.array_to_str(&mut [0; ulid::ULID_LEN]));
        Ok(())
    }
    fn decode_segment(segment: &str) -> Result<Self, SegmentError> {
        match ulid::Ulid::from_string(segment) {
            Ok(u) if u.to_string() == segment => Ok(u),
            _ => Err(SegmentError::Malformed(format!(
                "{segment:?} is not a ULID segment"
            ))),
        }
    }
}

/// A key segment value with an explicit casing, from a `{field|lower}` or
/// `{field|upper}` placeholder: the encoded text is lower- or upper-cased, so keys do
/// not depend on how a value was typed. Decoding gives the cased text.
///
/// ```
/// use dynaschema::key::{Cased, KeySegment};
///
/// let mut key = String::new();
/// Cased::lower("Ada@Example.COM").encode_segment(&mut key).unwrap();
/// assert_eq!(key, "ada@example.com");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Cased<'a, T: ?Sized> {
    value: &'a T,
    case: Case,
}

impl<'a, T: ?Sized> Cased<'a, T> {
    /// `value`'s encoding in `case`.
    pub fn new(value: &'a T, case: Case) -> Self {
        Self { value, case }
    }

    /// Lower-cases `value`'s encoding.
    pub fn lower(value: &'a T) -> Self {
        Self::new(value, Case::Lower)
    }

    /// Upper-cases `value`'s encoding.
    pub fn upper(value: &'a T) -> Self {
        Self::new(value, Case::Upper)
    }
}

impl<T: KeySegment + ?Sized> KeySegment for Cased<'_, T> {
    type Owned = T::Owned;

    fn encode_segment(&self, out: &mut String) -> Result<(), SegmentError> {
        let mut text = String::new();
        self.value.encode_segment(&mut text)?;
        // Escapes (`%23`, `%25`) are digits, unchanged by casing.
        out.push_str(&self.case.apply(&text));
        Ok(())
    }

    fn decode_segment(segment: &str) -> Result<T::Owned, SegmentError> {
        T::decode_segment(segment)
    }
}

/// A timestamp type whose values a `{field|day}` placeholder (or `hour`, `month`,
/// `year`) can reduce to their time bucket.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be reduced to a time bucket",
    label = "a `{{field|day}}`-style placeholder holds this field",
    note = "time buckets (`hour`, `day`, `month`, `year`) are of `chrono::DateTime<Utc>` fields"
)]
pub trait TimeBucketed {
    /// Appends the bucket of this value (`2026-12-03` for a day) to `out`.
    fn encode_bucket(&self, bucket: TimeBucket, out: &mut String) -> Result<(), SegmentError>;
}

#[cfg(feature = "chrono")]
impl TimeBucketed for chrono::DateTime<chrono::Utc> {
    fn encode_bucket(&self, bucket: TimeBucket, out: &mut String) -> Result<(), SegmentError> {
        let mut text = String::with_capacity(30);
        self.encode_segment(&mut text)?;
        out.push_str(bucket.of_rfc3339(&text));
        Ok(())
    }
}

impl<T: TimeBucketed + ?Sized> TimeBucketed for &T {
    fn encode_bucket(&self, bucket: TimeBucket, out: &mut String) -> Result<(), SegmentError> {
        (**self).encode_bucket(bucket, out)
    }
}

/// A timestamp reduced to its time bucket, for `{field|day}`-style placeholders: the
/// start of its RFC 3339 form (`2026-12-03` for a day), so buckets sort in time
/// order. Decoding gives the bucket's text.
///
/// ```
/// # #[cfg(feature = "chrono")] {
/// use chrono::{TimeZone, Utc};
/// use dynaschema::key::{Bucketed, KeySegment};
/// use dynaschema::TimeBucket;
///
/// let at = Utc.with_ymd_and_hms(2026, 12, 3, 14, 5, 9).unwrap();
/// let mut key = String::new();
/// Bucketed::new(&at, TimeBucket::Day).encode_segment(&mut key).unwrap();
/// assert_eq!(key, "2026-12-03");
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Bucketed<'a, T: ?Sized> {
    value: &'a T,
    bucket: TimeBucket,
}

impl<'a, T: ?Sized> Bucketed<'a, T> {
    /// `value`'s `bucket`.
    pub fn new(value: &'a T, bucket: TimeBucket) -> Self {
        Self { value, bucket }
    }
}

impl<T: TimeBucketed + ?Sized> KeySegment for Bucketed<'_, T> {
    type Owned = String;

    fn encode_segment(&self, out: &mut String) -> Result<(), SegmentError> {
        self.value.encode_bucket(self.bucket, out)
    }

    fn decode_segment(segment: &str) -> Result<String, SegmentError> {
        str::decode_segment(segment)
    }
}

/// Splits an encoded key into its decoded segments (literals and values alike, as
/// strings). The inverse of joining [`KeySegment::encode_segment`] outputs with `#`.
pub fn decode_segments(key: &str) -> Result<Vec<String>, SegmentError> {
    key.split(DELIMITER).map(str::decode_segment).collect()
}

/// Which key attribute of an index a value is for; decides the size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRole {
    /// The partition (hash) key: at most 2,048 bytes.
    Partition,
    /// The sort (range) key: at most 1,024 bytes.
    Sort,
}

impl KeyRole {
    /// DynamoDB's size limit for this role, in UTF-8 bytes.
    pub fn limit(self) -> usize {
        match self {
            Self::Partition => MAX_PARTITION_KEY_BYTES,
            Self::Sort => MAX_SORT_KEY_BYTES,
        }
    }
}

/// Builds one synthetic key string from a template's literal and value segments.
/// Generated code drives it; applications use the typed key functions instead.
#[doc(hidden)]
#[derive(Debug)]
pub struct KeyWriter {
    entity: &'static str,
    attribute: &'static str,
    role: KeyRole,
    text: String,
    error: Option<KeyError>,
}

impl KeyWriter {
    /// Starts a key for `attribute` of `entity`.
    pub fn new(entity: &'static str, attribute: &'static str, role: KeyRole) -> Self {
        Self {
            entity,
            attribute,
            role,
            text: String::with_capacity(48),
            error: None,
        }
    }

    /// Continues a key from already-written whole segments (with or without the
    /// trailing delimiter a prefix has).
    pub fn resume(
        entity: &'static str,
        attribute: &'static str,
        role: KeyRole,
        mut text: String,
    ) -> Self {
        if text.ends_with(DELIMITER) {
            text.pop();
        }
        Self {
            entity,
            attribute,
            role,
            text,
            error: None,
        }
    }

    fn delimit(&mut self) {
        if !self.text.is_empty() {
            self.text.push(DELIMITER);
        }
    }

    /// Appends a literal segment from the schema (already validated at build time).
    pub fn literal(mut self, literal: &'static str) -> Self {
        self.delimit();
        self.text.push_str(literal);
        self
    }

    /// Appends a value segment filled by `field`.
    pub fn value<T: KeySegment + ?Sized>(mut self, field: &'static str, value: &T) -> Self {
        if self.error.is_none() {
            self.delimit();
            if let Err(e) = value.encode_segment(&mut self.text) {
                self.error = Some(KeyError {
                    entity: self.entity,
                    attribute: field.to_owned(),
                    reason: e.into(),
                });
            }
        }
        self
    }

    /// Appends the shard segment, computed by a `ShardHash` of the sharded key's
    /// fields (or the error encoding one of them).
    pub fn shard(mut self, shard: Result<u32, KeyError>) -> Self {
        if self.error.is_none() {
            match shard {
                Ok(shard) => return self.shard_number(shard),
                Err(e) => self.error = Some(e),
            }
        }
        self
    }

    /// Appends a given shard number as the shard segment (the queries that read
    /// every shard).
    pub fn shard_number(mut self, shard: u32) -> Self {
        if self.error.is_none() {
            use std::fmt::Write as _;
            self.delimit();
            let _ = write!(self.text, "{shard}");
        }
        self
    }

    /// Ends a complete key, checking its size.
    pub fn finish(self) -> Result<String, KeyError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let limit = self.role.limit();
        if self.text.len() > limit {
            return Err(KeyError {
                entity: self.entity,
                attribute: self.attribute.to_owned(),
                reason: KeyErrorReason::TooLong {
                    size: self.text.len(),
                    limit,
                },
            });
        }
        Ok(self.text)
    }

    /// Ends a `begins_with` prefix: whole segments followed by the delimiter, so the
    /// prefix cannot match a longer value in its last segment.
    pub fn finish_prefix(mut self) -> Result<String, KeyError> {
        self.text.push(DELIMITER);
        self.finish()
    }
}

/// A key attribute's name and its encoded (string) value, as a [`Key`] holds it; the
/// attribute's declaration is a [`crate::KeyAttribute`].
pub type EncodedKeyAttribute = (Cow<'static, str>, String);

/// Marks a [`Key`] of the table's primary index: what `get` and `delete` take.
#[derive(Debug)]
pub enum Primary {}

/// Marks a [`Key`] of a secondary index (e.g. from `User::gsi1_key(..)`): the index
/// attributes of an item, usable to inspect or compare, never to address an item.
#[derive(Debug)]
pub enum Secondary {}

/// The key of one item of entity `E` on an index: built by the entity's typed key
/// functions (e.g. `User::key(&user_id)` for the primary key, used by `get` and
/// `delete`; `User::gsi1_key(&email)` for an index).
///
/// A key whose values cannot be encoded (an empty segment, a key over DynamoDB's size
/// limit) carries the error and is refused by the operation before anything is sent.
///
/// ```
/// use dynaschema::{Entity, Key};
///
/// # #[derive(Entity, Clone, Debug, PartialEq)]
/// # #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
/// # pub struct User { pub user_id: String, pub email: String, pub name: String }
/// let key = User::key("42");
/// assert_eq!(key.partition().unwrap().1, "USER#42");
/// // The same key from attribute values encoded elsewhere:
/// let raw: Key<User> = Key::new(
///     ("pk".into(), "USER#42".into()),
///     Some(("sk".into(), "PROFILE".into())),
/// );
/// assert_eq!(raw, key);
/// ```
pub struct Key<E, I = Primary> {
    parts: Result<KeyParts, KeyError>,
    /// During a re-key (`previous_primary` in the schema): the key the item had
    /// under the previous primary template.
    previous: Option<Box<Result<KeyParts, KeyError>>>,
    entity: &'static str,
    marker: PhantomData<fn() -> (E, I)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct KeyParts {
    partition: EncodedKeyAttribute,
    sort: Option<EncodedKeyAttribute>,
}

impl KeyParts {
    fn to_attributes(&self) -> crate::Item {
        let mut map = crate::Item::with_capacity(2);
        map.insert(
            self.partition.0.to_string(),
            AttributeValue::S(self.partition.1.clone()),
        );
        if let Some((name, value)) = &self.sort {
            map.insert(name.to_string(), AttributeValue::S(value.clone()));
        }
        map
    }
}

impl<E: crate::Entity, I> Key<E, I> {
    /// A key of `E` from already-encoded attribute values (name, value): for keys
    /// read from elsewhere, e.g. a stream record. The typed key functions
    /// (`User::key(..)`) build keys from field values.
    pub fn new(partition: EncodedKeyAttribute, sort: Option<EncodedKeyAttribute>) -> Self {
        Self {
            parts: Ok(KeyParts { partition, sort }),
            previous: None,
            entity: E::NAME,
            marker: PhantomData,
        }
    }
}

impl<E, I> Key<E, I> {
    /// Builds a key from the results of encoding its attributes; generated code calls this.
    #[doc(hidden)]
    pub fn from_parts(
        entity: &'static str,
        partition: (&'static str, Result<String, KeyError>),
        sort: Option<(&'static str, Result<String, KeyError>)>,
    ) -> Self {
        let parts = (|| {
            let partition = (Cow::Borrowed(partition.0), partition.1?);
            let sort = match sort {
                Some((name, value)) => Some((Cow::Borrowed(name), value?)),
                None => None,
            };
            Ok(KeyParts { partition, sort })
        })();
        Self {
            parts,
            previous: None,
            entity,
            marker: PhantomData,
        }
    }

    /// Attaches the key the item had under the entity's previous primary template
    /// (`previous_primary`, during a re-key); generated code calls this.
    #[doc(hidden)]
    pub fn or_previously(mut self, previous: Self) -> Self {
        self.previous = Some(Box::new(previous.parts));
        self
    }

    /// During a re-key (`previous_primary` in the schema), the key the item had
    /// under the previous primary template, as attributes: gets fall back to it
    /// and writes move the item from it first.
    pub(crate) fn previous_attributes(&self) -> Option<Result<crate::Item, KeyError>> {
        let previous = self.previous.as_deref()?;
        Some(
            previous
                .as_ref()
                .map_err(Clone::clone)
                .map(KeyParts::to_attributes),
        )
    }

    /// The entity this key addresses.
    pub fn entity(&self) -> &'static str {
        self.entity
    }

    /// The partition key attribute, or why the key could not be built.
    pub fn partition(&self) -> Result<&EncodedKeyAttribute, &KeyError> {
        self.parts.as_ref().map(|p| &p.partition)
    }

    /// The sort key attribute (`None` for tables without one), or why the key could
    /// not be built.
    pub fn sort(&self) -> Result<Option<&EncodedKeyAttribute>, &KeyError> {
        self.parts.as_ref().map(|p| p.sort.as_ref())
    }

    /// The key as the attribute map DynamoDB's `Key` parameter takes.
    pub fn to_attributes(&self) -> Result<crate::Item, KeyError> {
        let parts = self.parts.as_ref().map_err(Clone::clone)?;
        Ok(parts.to_attributes())
    }

    /// [`to_attributes`](Self::to_attributes), moving the key's values instead of
    /// copying them.
    pub(crate) fn into_attributes(self) -> Result<crate::Item, KeyError> {
        let parts = self.parts?;
        let mut map = crate::Item::with_capacity(2);
        map.insert(
            parts.partition.0.to_string(),
            AttributeValue::S(parts.partition.1),
        );
        if let Some((name, value)) = parts.sort {
            map.insert(name.to_string(), AttributeValue::S(value));
        }
        Ok(map)
    }
}

impl<E, I> Clone for Key<E, I> {
    fn clone(&self) -> Self {
        Self {
            parts: self.parts.clone(),
            previous: self.previous.clone(),
            entity: self.entity,
            marker: PhantomData,
        }
    }
}

impl<E, I> std::fmt::Debug for Key<E, I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Key");
        d.field("entity", &self.entity);
        match &self.parts {
            Ok(parts) => d
                .field("partition", &parts.partition)
                .field("sort", &parts.sort),
            Err(e) => d.field("error", e),
        };
        if let Some(previous) = &self.previous {
            d.field("previous", previous);
        }
        d.finish()
    }
}

/// Keys are equal when they address the same item (a previous key is not compared).
impl<E, I> PartialEq for Key<E, I> {
    fn eq(&self, other: &Self) -> bool {
        self.entity == other.entity && self.parts == other.parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(v: &(impl KeySegment + ?Sized)) -> String {
        let mut s = String::new();
        v.encode_segment(&mut s).unwrap();
        s
    }

    #[test]
    fn signed_integers_sort_like_their_values() {
        assert_eq!(encode(&i64::MIN), "00000000000000000000");
        assert_eq!(encode(&-1_i64), "09223372036854775807");
        assert_eq!(encode(&0_i64), "09223372036854775808");
        assert_eq!(encode(&i64::MAX), "18446744073709551615");
        assert_eq!(encode(&-128_i8), "000");
        assert_eq!(encode(&127_i8), "255");
    }

    #[test]
    #[cfg(feature = "chrono")]
    fn timestamps_are_written_as_chrono_formats_them() {
        use chrono::{TimeZone, Utc};
        for (secs, nanos) in [
            (0_i64, 0_u32),
            (1_773_144_300, 5),
            (253_402_300_799, 999_999_999),
            (-62_167_219_200, 0),
            (1_483_228_799, 1_500_000_000),
        ] {
            let t = Utc.timestamp_opt(secs, nanos).unwrap();
            let text = super::timestamp_text(&t).unwrap();
            assert_eq!(text, t.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string());
            assert_eq!(text.len(), 30);
        }
    }

    #[test]
    fn escapes_delimiter_and_escape() {
        assert_eq!(encode("a#b%c"), "a%23b%25c");
        assert_eq!(str::decode_segment("a%23b%25c").unwrap(), "a#b%c");
        assert!(str::decode_segment("a%2").is_err());
        assert!(str::decode_segment("a%41").is_err());
    }

    #[test]
    fn empty_segments_are_refused() {
        let mut s = String::new();
        assert_eq!("".encode_segment(&mut s), Err(SegmentError::Empty));
        let key = KeyWriter::new("User", "pk", KeyRole::Partition)
            .literal("USER")
            .value("user_id", "")
            .finish();
        assert_eq!(key.unwrap_err().reason, KeyErrorReason::EmptySegment);
    }

    #[test]
    fn sizes_are_checked_per_role() {
        let long = "x".repeat(1020);
        let sort = KeyWriter::new("Order", "sk", KeyRole::Sort)
            .literal("ORDER")
            .value("order_id", long.as_str())
            .finish()
            .unwrap_err();
        assert_eq!(
            sort.reason,
            KeyErrorReason::TooLong {
                size: 1026,
                limit: 1024
            }
        );
        assert_eq!(sort.attribute, "sk");
        let partition = KeyWriter::new("Order", "pk", KeyRole::Partition)
            .literal("ORDER")
            .value("order_id", long.as_str())
            .finish();
        assert!(partition.is_ok());
    }
}
