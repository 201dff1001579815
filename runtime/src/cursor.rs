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
/// A cursor signed with the table's cursor key: the body, then an HMAC-SHA256 tag.
const VERSION_SIGNED: u8 = 2;
const TAG_BYTES: usize = 32;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

fn mac(key: &[u8], binding: &[u8], body: &[u8]) -> HmacSha256 {
    use hmac::{KeyInit as _, Mac as _};
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(&(binding.len() as u64).to_be_bytes());
    mac.update(binding);
    mac.update(body);
    mac
}

impl Cursor {
    /// Encodes a `LastEvaluatedKey`; with a cursor key, signed over the key and
    /// `binding` (what the query is: pattern, condition, parameters), so a cursor is
    /// only accepted back by the same query of the same application.
    pub(crate) fn from_key_signed(key: &Item, binding: &[u8], cursor_key: Option<&[u8]>) -> Self {
        let Some(secret) = cursor_key else {
            return Self::from_key(key);
        };
        use hmac::Mac as _;
        let mut bytes = Self::body(key);
        bytes[0] = VERSION_SIGNED;
        let tag = mac(secret, binding, &bytes[1..]).finalize().into_bytes();
        bytes.extend_from_slice(&tag);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Decodes a cursor this query handed out: signed and bound when the table has a
    /// cursor key (a tampered, foreign or unsigned cursor is refused), plain otherwise.
    pub(crate) fn to_key_checked(
        &self,
        binding: &[u8],
        cursor_key: Option<&[u8]>,
    ) -> Result<Item, Error> {
        let invalid = |reason| Error::InvalidCursor { reason };
        let bytes = URL_SAFE_NO_PAD
            .decode(&self.0)
            .map_err(|_| invalid("not URL-safe base64"))?;
        match (bytes.first(), cursor_key) {
            (Some(&VERSION_SIGNED), Some(secret)) => {
                use hmac::Mac as _;
                if bytes.len() < 1 + TAG_BYTES {
                    return Err(invalid("truncated"));
                }
                let (body, tag) = bytes[1..].split_at(bytes.len() - 1 - TAG_BYTES);
                mac(secret, binding, body)
                    .verify_slice(tag)
                    .map_err(|_| invalid("not signed for this query with this application's cursor key (tampered, or from another query)"))?;
                let mut plain = vec![VERSION];
                plain.extend_from_slice(body);
                Self(URL_SAFE_NO_PAD.encode(plain)).to_key()
            }
            (Some(&VERSION_SIGNED), None) => {
                Err(invalid("a signed cursor, but this table has no cursor key"))
            }
            (_, Some(_)) => Err(invalid(
                "not signed: this table only accepts cursors it signed",
            )),
            (_, None) => self.to_key(),
        }
    }

    /// Encodes a `LastEvaluatedKey`. Attributes are sorted by name, so one key has
    /// one cursor.
    pub(crate) fn from_key(key: &Item) -> Self {
        Self(URL_SAFE_NO_PAD.encode(Self::body(key)))
    }

    fn body(key: &Item) -> Vec<u8> {
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
        bytes
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

    /// Parses a cursor's text; a plain cursor is validated here, a signed one when a
    /// query checks its signature.
    fn from_str(s: &str) -> Result<Self, Error> {
        let cursor = Self(s.to_owned());
        let bytes = URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| Error::InvalidCursor {
                reason: "not URL-safe base64",
            })?;
        if bytes.first() != Some(&VERSION_SIGNED) {
            cursor.to_key()?;
        }
        Ok(cursor)
    }
}

/// A value as text that depends only on the value (map keys sorted), for binding
/// cursors to query parameters.
pub(crate) fn canonical(value: &AttributeValue) -> String {
    match value {
        AttributeValue::S(s) => format!("S{s:?}"),
        AttributeValue::N(n) => format!("N{n}"),
        AttributeValue::B(b) => format!("B{:?}", b.as_ref()),
        AttributeValue::Bool(b) => format!("BOOL{b}"),
        AttributeValue::Null(_) => "NULL".to_owned(),
        AttributeValue::Ss(v) => format!("SS{v:?}"),
        AttributeValue::Ns(v) => format!("NS{v:?}"),
        AttributeValue::Bs(v) => {
            format!("BS{:?}", v.iter().map(|b| b.as_ref()).collect::<Vec<_>>())
        }
        AttributeValue::L(v) => format!(
            "L[{}]",
            v.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        AttributeValue::M(m) => {
            let mut entries: Vec<(&String, &AttributeValue)> = m.iter().collect();
            entries.sort_by_key(|(k, _)| *k);
            format!(
                "M{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{k:?}:{}", canonical(v)))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        }
        other => format!("{other:?}"),
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
