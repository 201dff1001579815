//! Opaque pagination cursors handed to callers between pages.

use std::fmt;
use std::str::FromStr;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::attribute::Item;
use crate::error::Error;

/// Where the next page of a query starts: DynamoDB's `LastEvaluatedKey`, encoded as
/// URL-safe text that can be handed to a client and sent back.
///
/// ```
/// use dynaschema::Cursor;
///
/// // A cursor for `pk = "USER#1"`, as a previous page returned it.
/// let cursor: Cursor = "AVMAAAACcGsAAAAGVVNFUiMx".parse().unwrap();
/// assert_eq!(cursor.to_string(), "AVMAAAACcGsAAAAGVVNFUiMx");
/// assert!("not base64!".parse::<Cursor>().is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Cursor(String);

const VERSION: u8 = 1;

impl Cursor {
    /// Encodes a `LastEvaluatedKey`. Attributes are sorted by name, so one key has
    /// one cursor.
    pub(crate) fn from_key(key: &Item) -> Self {
        let mut names: Vec<&String> = key.keys().collect();
        names.sort();
        let mut bytes = vec![VERSION];
        for name in names {
            let (tag, value): (u8, &[u8]) = match &key[name] {
                AttributeValue::S(s) => (b'S', s.as_bytes()),
                AttributeValue::N(n) => (b'N', n.as_bytes()),
                AttributeValue::B(b) => (b'B', b.as_ref()),
                // Key attributes are S, N or B by DynamoDB's rules.
                _ => continue,
            };
            bytes.push(tag);
            for part in [name.as_bytes(), value] {
                bytes.extend_from_slice(&(part.len() as u32).to_be_bytes());
                bytes.extend_from_slice(part);
            }
        }
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Decodes back into an `ExclusiveStartKey`.
    pub(crate) fn to_key(&self) -> Result<Item, Error> {
        let invalid = |reason| Error::InvalidCursor { reason };
        let bytes = URL_SAFE_NO_PAD
            .decode(&self.0)
            .map_err(|_| invalid("not URL-safe base64"))?;
        let (&version, mut rest) = bytes.split_first().ok_or(invalid("empty"))?;
        if version != VERSION {
            return Err(invalid("unknown cursor version"));
        }
        let take = |rest: &mut &[u8]| -> Result<Vec<u8>, Error> {
            let (len, tail) = rest.split_first_chunk::<4>().ok_or(invalid("truncated"))?;
            let len = u32::from_be_bytes(*len) as usize;
            if tail.len() < len {
                return Err(invalid("truncated"));
            }
            let (part, tail) = tail.split_at(len);
            *rest = tail;
            Ok(part.to_vec())
        };
        let mut key = Item::new();
        while let Some((&tag, tail)) = rest.split_first() {
            rest = tail;
            let name =
                String::from_utf8(take(&mut rest)?).map_err(|_| invalid("name is not UTF-8"))?;
            let value = take(&mut rest)?;
            let text =
                || String::from_utf8(value.clone()).map_err(|_| invalid("value is not UTF-8"));
            let value = match tag {
                b'S' => AttributeValue::S(text()?),
                b'N' => AttributeValue::N(text()?),
                b'B' => AttributeValue::B(Blob::new(value)),
                _ => return Err(invalid("unknown attribute type")),
            };
            key.insert(name, value);
        }
        if key.is_empty() {
            return Err(invalid("no key attributes"));
        }
        Ok(key)
    }

    /// The cursor's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cursor({})", self.0)
    }
}

impl FromStr for Cursor {
    type Err = Error;

    /// Parses and validates a cursor's text.
    fn from_str(s: &str) -> Result<Self, Error> {
        let cursor = Self(s.to_owned());
        cursor.to_key()?;
        Ok(cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_key_attributes() {
        let key = Item::from([
            ("pk".to_owned(), AttributeValue::S("USER#1".into())),
            ("sk".to_owned(), AttributeValue::S("ORDER#%23#x".into())),
            ("n".to_owned(), AttributeValue::N("12".into())),
            ("b".to_owned(), AttributeValue::B(Blob::new(vec![0, 255]))),
        ]);
        let cursor = Cursor::from_key(&key);
        let parsed: Cursor = cursor.to_string().parse().unwrap();
        assert_eq!(parsed.to_key().unwrap(), key);
    }

    #[test]
    fn truncated_cursors_are_refused() {
        let key = Item::from([("pk".to_owned(), AttributeValue::S("USER#1".into()))]);
        let text = Cursor::from_key(&key).to_string();
        let cut = &text[..text.len() - 2];
        assert!(matches!(
            cut.parse::<Cursor>(),
            Err(Error::InvalidCursor { .. })
        ));
    }
}
