//! DynamoDB's size limits, checked before sending.
//!
//! Item sizes are computed the way DynamoDB documents them: attribute names and
//! string values count their UTF-8 bytes, binary values their bytes, a number about
//! one byte per two significant digits plus one, `BOOL` and `NULL` one byte, lists and
//! maps 3 bytes plus one byte per element (and a map its keys), sets the sum of their
//! members.
//!
//! ```
//! use dynaschema::limits::item_size;
//! use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
//!
//! let item = [("name".to_owned(), AttributeValue::S("Ada".into()))].into();
//! assert_eq!(item_size(&item), 4 + 3);
//! ```

use aws_sdk_dynamodb::types::AttributeValue;

use crate::attribute::Item;
use crate::entity::Entity;
use crate::error::LimitError;

/// DynamoDB's maximum item size, in bytes.
pub const MAX_ITEM_BYTES: usize = 400 * 1024;

/// DynamoDB's maximum number of actions in one transaction.
pub const MAX_TRANSACTION_ACTIONS: usize = 100;

/// DynamoDB's maximum total size of one transaction, in bytes.
pub const MAX_TRANSACTION_BYTES: usize = 4 * 1024 * 1024;

/// The size of `item` as DynamoDB counts it.
pub fn item_size(item: &Item) -> usize {
    item.iter()
        .map(|(name, value)| name.len() + value_size(value))
        .sum()
}

/// The size of one attribute value as DynamoDB counts it.
pub fn value_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number_size(n),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::Ss(members) => members.iter().map(String::len).sum(),
        AttributeValue::Ns(members) => members.iter().map(|n| number_size(n)).sum(),
        AttributeValue::Bs(members) => members.iter().map(|b| b.as_ref().len()).sum(),
        AttributeValue::L(elements) => {
            3 + elements.iter().map(|v| 1 + value_size(v)).sum::<usize>()
        }
        AttributeValue::M(map) => {
            3 + map
                .iter()
                .map(|(k, v)| 1 + k.len() + value_size(v))
                .sum::<usize>()
        }
        _ => 0,
    }
}

/// One byte per two significant digits, plus one.
fn number_size(n: &str) -> usize {
    let mantissa = n.split(['e', 'E']).next().unwrap_or_default();
    // Significant digits: from the first non-zero digit to the last one, whatever
    // the sign and the decimal point between them.
    let digits = || mantissa.bytes().filter(u8::is_ascii_digit);
    let leading = digits().take_while(|d| *d == b'0').count();
    let trailing = digits().rev().take_while(|d| *d == b'0').count();
    let significant = digits().count().saturating_sub(leading + trailing).max(1);
    significant.div_ceil(2) + 1
}

/// DynamoDB's maximum nesting of lists and maps.
pub const MAX_DEPTH: usize = 32;

/// The nesting depth of a value: 0 for a scalar, 1 for a list or map of scalars.
pub fn depth(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::L(elements) => 1 + elements.iter().map(depth).max().unwrap_or(0),
        AttributeValue::M(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Refuses an item over 400 KB (naming the entity and its largest attribute), or
/// with an attribute nested deeper than 32 levels; its size when it fits.
pub(crate) fn check_item<E: Entity>(item: &Item) -> Result<usize, LimitError> {
    check_item_of(E::NAME, item)
}

fn check_item_of(entity: &'static str, item: &Item) -> Result<usize, LimitError> {
    if let Some((name, d)) = item
        .iter()
        .map(|(name, value)| (name, depth(value)))
        .find(|(_, d)| *d > MAX_DEPTH)
    {
        return Err(LimitError {
            entity,
            what: format!("the nesting of `{name}`"),
            size: d,
            limit: MAX_DEPTH,
            unit: "levels",
        });
    }
    let size = item_size(item);
    if size <= MAX_ITEM_BYTES {
        return Ok(size);
    }
    let largest = item
        .iter()
        .max_by_key(|(name, value)| name.len() + value_size(value))
        .map(|(name, value)| {
            format!(
                " (largest attribute: `{name}`, {} bytes)",
                name.len() + value_size(value)
            )
        })
        .unwrap_or_default();
    Err(LimitError {
        entity,
        what: format!("the item{largest}"),
        size,
        limit: MAX_ITEM_BYTES,
        unit: "bytes",
    })
}

/// DynamoDB's limit on each expression of a request (update, condition, filter).
pub(crate) const MAX_EXPRESSION_BYTES: usize = 4096;

/// Refuses an expression over DynamoDB's 4 KB limit before sending.
pub(crate) fn check_expression<E: Entity>(what: &str, expression: &str) -> crate::Result<()> {
    if expression.len() > MAX_EXPRESSION_BYTES {
        return Err(crate::error::LimitError {
            entity: E::NAME,
            what: what.to_owned(),
            size: expression.len(),
            limit: MAX_EXPRESSION_BYTES,
            unit: "bytes",
        }
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(levels: usize) -> AttributeValue {
        (0..levels).fold(AttributeValue::S("leaf".into()), |inner, i| {
            if i % 2 == 0 {
                AttributeValue::L(vec![inner])
            } else {
                AttributeValue::M([("k".to_owned(), inner)].into())
            }
        })
    }

    #[test]
    fn nesting_deeper_than_32_levels_is_refused() {
        assert_eq!(depth(&nested(32)), 32);
        let ok: Item = [("deep".to_owned(), nested(32))].into();
        assert!(check_item_of("Doc", &ok).is_ok());
        let too_deep: Item = [("deep".to_owned(), nested(33))].into();
        let err = check_item_of("Doc", &too_deep).unwrap_err();
        assert_eq!((err.size, err.limit, err.unit), (33, 32, "levels"));
        assert!(err.what.contains("deep"), "{err}");
    }

    #[test]
    fn sizes_follow_dynamodbs_rules() {
        assert_eq!(value_size(&AttributeValue::N("12345".into())), 4);
        assert_eq!(value_size(&AttributeValue::N("-0.00100".into())), 2);
        for (number, significant) in [
            ("0", 1),
            ("0.000", 1),
            ("100.50", 4),
            ("1e10", 1),
            ("-12.5E-3", 3),
            ("99999999999999999999999999999999999999", 38),
            ("1.0000000000000000000000000000000000001", 38),
        ] {
            assert_eq!(
                value_size(&AttributeValue::N(number.into())),
                usize::div_ceil(significant, 2) + 1,
                "{number}"
            );
        }
        assert_eq!(value_size(&AttributeValue::Bool(true)), 1);
        assert_eq!(
            value_size(&AttributeValue::L(vec![AttributeValue::S("ab".into())])),
            3 + 1 + 2
        );
        assert_eq!(
            value_size(&AttributeValue::M(
                [("k".to_owned(), AttributeValue::Null(true))].into()
            )),
            3 + 1 + 1 + 1
        );
        assert_eq!(
            value_size(&AttributeValue::Ss(vec!["a".into(), "bc".into()])),
            3
        );
    }
}
