//! Multi-attribute index keys: DynamoDB's native composite keys.
//!
//! A global secondary index may name up to four attributes as its partition key and
//! up to four as its sort key (`partition_key = ["tenant_id", "region"]` in the
//! schema). The attributes are ordinary item attributes with their own types, so an
//! entity needs no synthetic `TENANT#..#REGION#..` string: DynamoDB compares numbers
//! as numbers and strings as strings. A query names every partition attribute with
//! `=`, then sort attributes left to right: equality on a prefix of them and at most
//! one other condition (`<`, `between`, `begins_with`, ...) on the next.
//!
//! [`NativeKey`] is what a field of such an attribute must implement.
//!
//! ```
//! use dynaschema::native_key::{NativeKey, ScalarType};
//! use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
//!
//! assert_eq!(<u32 as NativeKey>::TYPE, ScalarType::Number);
//! assert_eq!(7_u32.to_key_value().unwrap(), AttributeValue::N("7".into()));
//! assert_eq!("eu".to_key_value().unwrap(), AttributeValue::S("eu".into()));
//! assert!("".to_key_value().is_err(), "DynamoDB refuses empty key strings");
//! ```

use aws_sdk_dynamodb::types::AttributeValue;

use crate::attribute::Attribute;
use crate::error::{AttributeError, KeyErrorReason};

pub use crate::definition::{KeyAttribute, ScalarType};

/// A type whose values can be an attribute of a multi-attribute index key.
///
/// Strings, integers, and (default features) `chrono::DateTime<Utc>` (fixed-width
/// RFC 3339, so text order is time order), `uuid::Uuid` and `ulid::Ulid`. Floats are
/// not keys (equality on them is unreliable), nor are `bool`s (DynamoDB keys are
/// strings, numbers or binary).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an attribute of a multi-attribute index key",
    label = "named in a multi-attribute index key, so this type must implement `dynaschema::native_key::NativeKey`",
    note = "multi-attribute key attributes: String, integers, chrono::DateTime<Utc>, uuid::Uuid, ulid::Ulid"
)]
pub trait NativeKey {
    /// The attribute type DynamoDB stores it as.
    const TYPE: ScalarType;

    /// The owned type [`from_key_value`](Self::from_key_value) returns (`String` for `str`).
    type Owned;

    /// Reads a stored key attribute back.
    fn from_key_value(value: AttributeValue) -> Result<Self::Owned, AttributeError>;

    /// The stored value. Empty strings are refused: DynamoDB rejects them in keys.
    fn to_key_value(&self) -> Result<AttributeValue, KeyErrorReason>;
}

impl NativeKey for str {
    const TYPE: ScalarType = ScalarType::String;
    type Owned = String;

    fn from_key_value(value: AttributeValue) -> Result<String, AttributeError> {
        String::decode(Some(value))
    }

    fn to_key_value(&self) -> Result<AttributeValue, KeyErrorReason> {
        if self.is_empty() {
            return Err(KeyErrorReason::EmptySegment);
        }
        Ok(AttributeValue::S(self.to_owned()))
    }
}

impl NativeKey for String {
    const TYPE: ScalarType = ScalarType::String;
    type Owned = String;

    fn from_key_value(value: AttributeValue) -> Result<String, AttributeError> {
        String::decode(Some(value))
    }

    fn to_key_value(&self) -> Result<AttributeValue, KeyErrorReason> {
        self.as_str().to_key_value()
    }
}

/// Types stored through their [`Attribute`] encoding, which is already the key's.
macro_rules! via_attribute {
    ($kind:ident: $($t:ty),* $(,)?) => {$(
        impl NativeKey for $t {
            const TYPE: ScalarType = ScalarType::$kind;
            type Owned = $t;

            fn from_key_value(value: AttributeValue) -> Result<$t, AttributeError> {
                <$t as Attribute>::decode(Some(value))
            }

            fn to_key_value(&self) -> Result<AttributeValue, KeyErrorReason> {
                match Attribute::encode(self) {
                    Ok(Some(value)) => Ok(value),
                    Ok(None) => Err(KeyErrorReason::EmptySegment),
                    Err(e) => Err(KeyErrorReason::Unencodable(e.to_string())),
                }
            }
        }
    )*};
}

via_attribute!(Number: u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);
#[cfg(feature = "chrono")]
via_attribute!(String: chrono::DateTime<chrono::Utc>);
#[cfg(feature = "uuid")]
via_attribute!(String: uuid::Uuid);
#[cfg(feature = "ulid")]
via_attribute!(String: ulid::Ulid);

/// The value of key attribute `attribute` of `entity`, checked against DynamoDB's
/// size limits for a partition (2,048 bytes) or sort (1,024 bytes) key attribute.
pub(crate) fn key_value<T: NativeKey + ?Sized>(
    entity: &'static str,
    attribute: &'static str,
    partition: bool,
    value: &T,
) -> Result<AttributeValue, crate::error::KeyError> {
    let error = |reason| crate::error::KeyError {
        entity,
        attribute: attribute.to_owned(),
        reason,
    };
    let value = value.to_key_value().map_err(error)?;
    let limit = if partition { 2048 } else { 1024 };
    if let AttributeValue::S(s) = &value
        && s.len() > limit
    {
        return Err(error(KeyErrorReason::TooLong {
            size: s.len(),
            limit,
        }));
    }
    Ok(value)
}

/// The partition condition of a query on a multi-attribute index: one equality per
/// partition attribute. Built by generated pattern methods.
#[doc(hidden)]
#[derive(Debug)]
pub struct NativePartition {
    entity: &'static str,
    condition: Result<crate::query::KeyCondition, crate::error::KeyError>,
}

impl NativePartition {
    /// No attribute yet.
    pub fn new(entity: &'static str) -> Self {
        Self {
            entity,
            condition: Ok(crate::query::KeyCondition::native()),
        }
    }

    /// `attribute = value`.
    pub fn value<T: NativeKey + ?Sized>(mut self, attribute: &'static str, value: &T) -> Self {
        let entity = self.entity;
        self.condition = self.condition.and_then(|c| {
            Ok(c.and_partition(attribute, key_value(entity, attribute, true, value)?))
        });
        self
    }

    /// The condition.
    pub fn finish(self) -> Result<crate::query::KeyCondition, crate::error::KeyError> {
        self.condition
    }
}

/// Conditions on the attributes of a multi-attribute sort key, left to right:
/// equalities on the leading attributes, then at most one other condition. Generated
/// pattern builders drive it, offering only what DynamoDB allows next.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct NativeSort {
    entity: &'static str,
    conditions: Result<Vec<(&'static str, SortCondition<AttributeValue>)>, crate::error::KeyError>,
}

use crate::query::SortCondition;
use crate::sort_key::Comparison;

impl NativeSort {
    /// Nothing fixed yet.
    pub fn new(entity: &'static str) -> Self {
        Self {
            entity,
            conditions: Ok(Vec::new()),
        }
    }

    fn push<T: NativeKey + ?Sized>(
        mut self,
        attribute: &'static str,
        value: &T,
        condition: fn(AttributeValue) -> SortCondition<AttributeValue>,
    ) -> Self {
        let entity = self.entity;
        self.conditions = self.conditions.and_then(|mut c| {
            c.push((
                attribute,
                condition(key_value(entity, attribute, false, value)?),
            ));
            Ok(c)
        });
        self
    }

    /// `attribute = value`, and more attributes may follow.
    pub fn fix<T: NativeKey + ?Sized>(self, attribute: &'static str, value: &T) -> Self {
        self.push(attribute, value, SortCondition::Equals)
    }

    /// The conditions so far.
    pub fn finish(
        self,
    ) -> Result<Vec<(&'static str, SortCondition<AttributeValue>)>, crate::error::KeyError> {
        self.conditions
    }

    /// `attribute = value` on the last sort attribute.
    pub fn equals<T: NativeKey + ?Sized>(
        self,
        attribute: &'static str,
        value: &T,
    ) -> Result<Vec<(&'static str, SortCondition<AttributeValue>)>, crate::error::KeyError> {
        self.fix(attribute, value).finish()
    }

    /// `attribute` compared with `value`.
    pub fn compare<T: NativeKey + ?Sized>(
        self,
        attribute: &'static str,
        comparison: Comparison,
        value: &T,
    ) -> Result<Vec<(&'static str, SortCondition<AttributeValue>)>, crate::error::KeyError> {
        let condition: fn(AttributeValue) -> SortCondition<AttributeValue> = match comparison {
            Comparison::Below => SortCondition::Less,
            Comparison::AtMost => SortCondition::LessOrEqual,
            Comparison::Above => SortCondition::Greater,
            Comparison::AtLeast => SortCondition::GreaterOrEqual,
        };
        self.push(attribute, value, condition).finish()
    }

    /// `begins_with(attribute, text)` (string attributes).
    pub fn begins_with<T: NativeKey + ?Sized>(
        self,
        attribute: &'static str,
        text: &T,
    ) -> Result<Vec<(&'static str, SortCondition<AttributeValue>)>, crate::error::KeyError> {
        self.push(attribute, text, SortCondition::BeginsWith)
            .finish()
    }

    /// `attribute BETWEEN low AND high`, both included; nothing when `low > high`
    /// (DynamoDB would refuse the request).
    pub fn between<T: NativeKey + PartialOrd + ?Sized>(
        self,
        attribute: &'static str,
        low: &T,
        high: &T,
    ) -> Result<Vec<(&'static str, SortCondition<AttributeValue>)>, crate::error::KeyError> {
        let entity = self.entity;
        let empty = low > high;
        let mut conditions = self.conditions?;
        let low = key_value(entity, attribute, false, low)?;
        let high = key_value(entity, attribute, false, high)?;
        conditions.push((
            attribute,
            if empty {
                SortCondition::Nothing
            } else {
                SortCondition::Between(low, high)
            },
        ));
        Ok(conditions)
    }
}
