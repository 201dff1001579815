//! Sharded keys: one logical partition spread over several physical ones, so that
//! its writes are not throttled at one partition's throughput.
//!
//! A GSI partition that every item of an entity shares (`PRODUCTS`, a status) takes
//! every write of that entity, and DynamoDB serves one partition at about 1,000
//! writes/s however large the table. A schema shards it:
//!
//! ```toml
//! [entities.Product]
//! primary = { pk = "PRODUCT#{product_id}", sk = "PRODUCT" }
//! gsi1 = { pk = "PRODUCTS#{shard}", sk = "{price_cents}#{product_id}", shards = { count = 8, of = ["product_id"] } }
//! ```
//!
//! Every write stores the item under `PRODUCTS#0` .. `PRODUCTS#7`, the shard being
//! [`shard_of`] the `of` fields' encoded values: the same item always lands in the
//! same shard, on every platform and version (it is stored data). A pattern on the
//! index queries all shards concurrently (at most [`FAN_OUT_CONCURRENCY`] requests at
//! once) and merges their results into the pattern's sort order, so the application
//! sees one partition: sort conditions, filters, [`limit`](crate::Query::limit),
//! [`page_size`](crate::Query::page_size), [`stream`](crate::Query::stream) (one page
//! per shard in memory) and [`page`](crate::Query::page), whose cursor holds every
//! shard's position and is signed like any cursor.
//!
//! **A changed shard count** is a re-key of the index: the items must be rewritten
//! (the migration does it, as for any derived attribute). Until then a query
//! refuses to return wrong results: it fails with
//! [`Error::ShardCountChanged`] when an item sits in
//! a shard its keys do not hash to (the count grew) or when the shard after the last
//! one holds items (the count shrank). The second check costs one `Query` of
//! `Limit = 1` per fan-out query, sent with the first pages.

use std::collections::VecDeque;

use aws_sdk_dynamodb::types::AttributeValue;
use futures::StreamExt as _;

use crate::attribute::Item;
use crate::cursor::Cursor;
use crate::error::{Error, KeyError, Result};
use crate::key::KeySegment;

pub use dynaschema_core::shard_of;

/// How many shards a fan-out query reads at once.
pub const FAN_OUT_CONCURRENCY: usize = 8;

/// Collects the encoded values of a sharded key's `of` fields, for [`shard_of`].
/// Generated code drives it.
#[doc(hidden)]
#[derive(Debug)]
pub struct ShardHash {
    entity: &'static str,
    text: String,
    error: Option<KeyError>,
}

impl ShardHash {
    /// No value yet.
    pub fn new(entity: &'static str) -> Self {
        Self {
            entity,
            text: String::new(),
            error: None,
        }
    }

    /// Adds the value of `field`, encoded as in a key.
    pub fn value<T: KeySegment + ?Sized>(mut self, field: &'static str, value: &T) -> Self {
        if self.error.is_none() {
            if !self.text.is_empty() {
                self.text.push(crate::key::DELIMITER);
            }
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

    /// The shard, out of `count`.
    pub fn finish(self, count: u32) -> std::result::Result<u32, KeyError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(shard_of(&self.text, count)),
        }
    }
}

/// Where one entity's shard fields are stored, so that a read can recompute an
/// item's shard from its keys: `(key attribute, segment position)` per `of` field.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct ShardCheck {
    /// The entity (its discriminator value).
    pub entity: &'static str,
    /// Where each `of` field's encoded value is, in order.
    pub sources: &'static [(&'static str, usize)],
}

impl ShardCheck {
    /// The shard `item`'s keys hash to, out of `count`; `None` when a key is missing
    /// or has fewer segments (not an item of this entity's shape).
    fn shard_of(&self, item: &Item, count: u32) -> Option<u32> {
        let mut text = String::new();
        for (i, (attribute, segment)) in self.sources.iter().enumerate() {
            let Some(AttributeValue::S(key)) = item.get(*attribute) else {
                return None;
            };
            if i > 0 {
                text.push(crate::key::DELIMITER);
            }
            text.push_str(key.split(crate::key::DELIMITER).nth(*segment)?);
        }
        Some(shard_of(&text, count))
    }
}

/// A pattern's sharded partition: the partition value of every shard. Built by the
/// generated pattern methods.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct FanOut {
    pub(crate) count: u32,
    /// Shards `0..count`, then shard `count` (probed for items: a shrunk count).
    pub(crate) values: std::result::Result<Vec<String>, KeyError>,
    pub(crate) checks: &'static [ShardCheck],
}

impl FanOut {
    /// `count` shards whose partition value `value(shard)` builds; `checks` say
    /// where each member entity's shard fields are stored.
    pub fn new(
        count: u32,
        value: impl Fn(u32) -> std::result::Result<String, KeyError>,
        checks: &'static [ShardCheck],
    ) -> Self {
        Self {
            count,
            values: (0..=count).map(value).collect(),
            checks,
        }
    }

    /// How many shards.
    pub fn count(&self) -> u32 {
        self.count
    }
}

/// Where a shard's reading stands.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Position {
    /// Not read yet.
    Start,
    /// After this key.
    After(Item),
    /// Read to the end.
    Done,
}

impl Position {
    pub(crate) fn start_key(&self) -> Option<Item> {
        match self {
            Position::After(key) => Some(key.clone()),
            Position::Start | Position::Done => None,
        }
    }
}

/// Every shard's position, as one cursor: attribute `"{shard}/{name}"` per key
/// attribute of a shard read part-way, `"{shard}/"` for a shard read to its end.
pub(crate) fn positions_to_cursor(
    positions: &[Position],
    binding: &[u8],
    secret: Option<&[u8]>,
) -> Option<Cursor> {
    if positions.iter().all(|p| *p == Position::Done) {
        return None;
    }
    let mut flat = Item::new();
    for (shard, position) in positions.iter().enumerate() {
        match position {
            Position::Start => {}
            Position::Done => {
                flat.insert(format!("{shard}/"), AttributeValue::S(String::new()));
            }
            Position::After(key) => {
                for (name, value) in key {
                    flat.insert(format!("{shard}/{name}"), value.clone());
                }
            }
        }
    }
    if flat.is_empty() {
        // Nothing read yet: the next page starts where this one did.
        flat.insert("start".to_owned(), AttributeValue::S(String::new()));
    }
    Some(Cursor::from_key_signed(&flat, binding, secret))
}

/// The positions a cursor of [`positions_to_cursor`] holds, for `count` shards.
pub(crate) fn positions_from_cursor(
    cursor: &Cursor,
    count: u32,
    binding: &[u8],
    secret: Option<&[u8]>,
) -> Result<Vec<Position>> {
    let flat = cursor.to_key_checked(binding, secret)?;
    let invalid = |reason| Error::InvalidCursor { reason };
    let mut positions = vec![Position::Start; count as usize];
    for (name, value) in flat {
        if name == "start" {
            continue;
        }
        let (shard, attribute) = name
            .split_once('/')
            .ok_or(invalid("not a cursor of a sharded pattern"))?;
        let shard: usize = shard
            .parse()
            .map_err(|_| invalid("not a cursor of a sharded pattern"))?;
        let position = positions
            .get_mut(shard)
            .ok_or(invalid("names a shard this pattern does not have"))?;
        if attribute.is_empty() {
            *position = Position::Done;
            continue;
        }
        match position {
            Position::Start => {
                *position = Position::After(Item::from([(attribute.to_owned(), value)]))
            }
            Position::After(key) => {
                key.insert(attribute.to_owned(), value);
            }
            Position::Done => return Err(invalid("a shard both read to its end and part-way")),
        }
    }
    Ok(positions)
}

/// A page of one shard: its raw items, where the next page starts, and the
/// capacity it consumed.
pub(crate) type ShardPage = (Vec<Item>, Option<Item>, f64);

/// One shard of a fan-out read: its position and the items read but not yet taken.
#[derive(Debug)]
pub(crate) struct ShardReader {
    /// Where the items taken end: the next page's cursor.
    pub(crate) taken: Position,
    /// Where the next request starts.
    next: Position,
    buffer: VecDeque<Item>,
}

impl ShardReader {
    fn new(position: Position) -> Self {
        Self {
            taken: position.clone(),
            next: position,
            buffer: VecDeque::new(),
        }
    }

    fn needs_read(&self) -> bool {
        self.buffer.is_empty() && self.next != Position::Done
    }
}

/// The k-way merge of a fan-out query: each shard's items arrive in key order, and
/// the merge always takes the item that comes first in the query's order among the
/// shards' next items, so it must hold the next item of every shard not read to its
/// end ([`ready`](Self::ready)) before it takes one.
#[derive(Debug)]
pub(crate) struct Merge {
    pub(crate) shards: Vec<ShardReader>,
    /// The attribute items are ordered by (the index's sort key), if any.
    order_by: Option<&'static str>,
    /// The key attributes of an item (its position in a shard).
    key_attributes: Vec<String>,
    ascending: bool,
}

impl Merge {
    pub(crate) fn new(
        positions: Vec<Position>,
        order_by: Option<&'static str>,
        key_attributes: Vec<String>,
        ascending: bool,
    ) -> Self {
        Self {
            shards: positions.into_iter().map(ShardReader::new).collect(),
            order_by,
            key_attributes,
            ascending,
        }
    }

    /// Whether every shard has its next item at hand, or is read to its end.
    pub(crate) fn ready(&self) -> bool {
        !self.shards.iter().any(ShardReader::needs_read)
    }

    /// The shards that must be read before the merge can go on.
    pub(crate) fn to_read(&self) -> Vec<(usize, Option<Item>)> {
        self.shards
            .iter()
            .enumerate()
            .filter(|(_, s)| s.needs_read())
            .map(|(i, s)| (i, s.next.start_key()))
            .collect()
    }

    /// Stores the page read from `shard`.
    pub(crate) fn fill(&mut self, shard: usize, items: Vec<Item>, last: Option<Item>) {
        let reader = &mut self.shards[shard];
        reader.buffer.extend(items);
        reader.next = last.map_or(Position::Done, Position::After);
        if reader.buffer.is_empty() {
            reader.taken = reader.next.clone();
        }
    }

    /// Reads every shard that needs it, at most [`FAN_OUT_CONCURRENCY`] at once;
    /// returns the capacity the reads consumed.
    pub(crate) async fn read<F, Fut>(&mut self, read: F) -> Result<f64>
    where
        F: Fn(usize, Option<Item>) -> Fut,
        Fut: std::future::Future<Output = Result<ShardPage>>,
    {
        let pages: Vec<(usize, Result<ShardPage>)> = futures::stream::iter(self.to_read())
            .map(|(shard, start)| {
                let page = read(shard, start);
                async move { (shard, page.await) }
            })
            .buffer_unordered(FAN_OUT_CONCURRENCY)
            .collect()
            .await;
        let mut consumed = 0.0;
        for (shard, page) in pages {
            let (items, last, capacity) = page?;
            consumed += capacity;
            self.fill(shard, items, last);
        }
        Ok(consumed)
    }

    /// Takes the next item in the query's order and the shard it came from; `None`
    /// when every shard is read to its end. Call only when [`ready`](Self::ready).
    pub(crate) fn take(&mut self) -> Option<(Item, usize)> {
        let order_by = self.order_by;
        let mut best: Option<(usize, &str)> = None;
        for (i, shard) in self.shards.iter().enumerate() {
            let Some(head) = shard.buffer.front() else {
                continue;
            };
            let value = sort_of(order_by, head);
            let better = match best {
                None => true,
                // Ties go to the lower shard: a stable order across pages.
                Some((_, b)) if self.ascending => value < b,
                Some((_, b)) => value > b,
            };
            if better {
                best = Some((i, value));
            }
        }
        let (i, _) = best?;
        let reader = &mut self.shards[i];
        let item = reader.buffer.pop_front()?;
        reader.taken = if reader.buffer.is_empty() {
            reader.next.clone()
        } else {
            Position::After(
                self.key_attributes
                    .iter()
                    .filter_map(|a| item.get(a).map(|v| (a.clone(), v.clone())))
                    .collect(),
            )
        };
        Some((item, i))
    }

    /// Every shard's position after the items taken.
    pub(crate) fn positions(&self) -> Vec<Position> {
        self.shards.iter().map(|s| s.taken.clone()).collect()
    }
}

/// The value `item` is ordered by: its `order_by` attribute's text (template keys
/// are strings), or nothing.
fn sort_of<'a>(order_by: Option<&str>, item: &'a Item) -> &'a str {
    match order_by.and_then(|a| item.get(a)) {
        Some(AttributeValue::S(s) | AttributeValue::N(s)) => s,
        _ => "",
    }
}

/// Checks that `item`, read from `shard`, hashes there with `count` shards.
pub(crate) fn check_item(
    fan_out: &FanOut,
    item: &Item,
    shard: usize,
    entity_attribute: &str,
    pattern: &'static str,
    index: Option<&'static str>,
) -> Result<()> {
    let Some(AttributeValue::S(entity)) = item.get(entity_attribute) else {
        return Ok(());
    };
    let Some(check) = fan_out.checks.iter().find(|c| c.entity == entity) else {
        return Ok(());
    };
    match check.shard_of(item, fan_out.count) {
        Some(expected) if expected as usize != shard => Err(Error::ShardCountChanged {
            pattern,
            index: index.unwrap_or_default(),
            count: fan_out.count,
            detail: format!(
                "an `{entity}` item is in shard {shard}, but its keys hash to shard {expected} of {}",
                fan_out.count
            ),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(sk: &str) -> Item {
        Item::from([
            ("pk".to_owned(), AttributeValue::S(format!("P#{sk}"))),
            ("sk".to_owned(), AttributeValue::S(sk.to_owned())),
        ])
    }

    #[test]
    fn merges_shards_in_order_and_tracks_positions() {
        let mut merge = Merge::new(
            vec![Position::Start; 3],
            Some("sk"),
            vec!["pk".into(), "sk".into()],
            true,
        );
        assert!(!merge.ready());
        merge.fill(0, vec![item("a"), item("d")], None);
        merge.fill(1, vec![item("b")], Some(item("b")));
        merge.fill(2, vec![], None);
        assert!(merge.ready());
        let (first, shard) = merge.take().unwrap();
        assert_eq!((first, shard), (item("a"), 0));
        assert_eq!(merge.take().unwrap().1, 1);
        // Shard 1 must be read again before `d` can be taken.
        assert!(!merge.ready());
        assert_eq!(merge.to_read(), vec![(1, Some(item("b")))]);
        let positions = merge.positions();
        assert_eq!(positions[0], Position::After(item("a")));
        assert_eq!(positions[1], Position::After(item("b")));
        assert_eq!(positions[2], Position::Done);
    }

    #[test]
    fn a_cursor_round_trips_every_position() {
        let positions = vec![
            Position::Start,
            Position::After(item("x#1")),
            Position::Done,
        ];
        let cursor = positions_to_cursor(&positions, b"b", Some(b"secret")).unwrap();
        assert_eq!(
            positions_from_cursor(&cursor, 3, b"b", Some(b"secret")).unwrap(),
            positions
        );
        // Another count, or another binding, is refused.
        assert!(positions_from_cursor(&cursor, 1, b"b", Some(b"secret")).is_err());
        assert!(positions_from_cursor(&cursor, 3, b"other", Some(b"secret")).is_err());
        assert!(positions_to_cursor(&[Position::Done, Position::Done], b"b", None).is_none());
    }
}
