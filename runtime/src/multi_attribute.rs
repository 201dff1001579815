//! Multi-attribute keys: an index key made of up to four of the items' own attributes.
//!
//! A global secondary index may name up to four attributes as its partition key and
//! up to four as its sort key (`partition_key = ["tenant_id", "region"]` in the
//! schema). The attributes are ordinary item attributes with their own types, so an
//! entity needs no synthetic `TENANT#..#REGION#..` string: DynamoDB compares numbers
//! as numbers and strings as strings. A query names every partition attribute with
//! `=`, then sort attributes left to right: equality on a prefix of them and at most
//! one other condition (`<`, `between`, `begins_with`, ...) on the next.
//!
//! [`KeyAttributeValue`] is what a field of such an attribute must implement. Queries
//! narrow the sort attributes with the same builder as template keys
//! ([`crate::sort_key`]).
//!
//! ```
//! use dynaschema::multi_attribute::KeyAttributeValue;
//! use dynaschema::ScalarType;
//! use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
//!
//! assert_eq!(<u32 as KeyAttributeValue>::TYPE, ScalarType::Number);
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
    label = "named in a multi-attribute index key, so this type must implement `dynaschema::multi_attribute::KeyAttributeValue`",
    note = "multi-attribute key attributes: String, integers, chrono::DateTime<Utc>, uuid::Uuid, ulid::Ulid"
)]
pub trait KeyAttributeValue {
    /// The attribute type DynamoDB stores it as.
    const TYPE: ScalarType;

    /// The owned type [`from_key_value`](Self::from_key_value) returns (`String` for `str`).
    type Owned;

    /// Reads a stored key attribute back.
    fn from_key_value(value: AttributeValue) -> Result<Self::Owned, AttributeError>;

    /// The stored value. Empty strings are refused: DynamoDB rejects them in keys.
    fn to_key_value(&self) -> Result<AttributeValue, KeyErrorReason>;
}

impl KeyAttributeValue for str {
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

impl KeyAttributeValue for String {
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
        impl KeyAttributeValue for $t {
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
pub(crate) fn key_value<T: KeyAttributeValue + ?Sized>(
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
