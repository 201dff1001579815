//! Batches: `BatchGetItem` and `BatchWriteItem`, chunked, de-duplicated, several
//! chunks in flight, and never silently partial.
//!
//! Keys go in chunks of 100 (reads) or 25 (writes, at most 16 MB); requests DynamoDB
//! leaves unprocessed are sent again after an exponential backoff with full jitter, a
//! bounded number of times, and whatever is still unprocessed (or in a chunk whose
//! request failed) is an [`Error::Unprocessed`] listing exactly those keys.
//!
//! ```no_run
//! # use dynaschema::Entity;
//! # #[derive(Entity, Clone, Debug, PartialEq)]
//! # #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
//! # pub struct Product { pub product_id: String, pub category: String, pub name: String, pub price_cents: u64 }
//! # async fn demo(table: &dynaschema::Table, products: Vec<Product>) -> dynaschema::Result<()> {
//! table.batch_write().put_all(&products).concurrency(4).await?;
//! let keys = products.iter().map(|p| p.primary_key());
//! let read: Vec<Product> = table.batch_get(keys).await?;
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::future::IntoFuture;

use aws_sdk_dynamodb::types::{
    AttributeValue, DeleteRequest, KeysAndAttributes, PutRequest, WriteRequest,
};
use futures::{StreamExt as _, stream};
use tracing::Instrument as _;

use crate::attribute::Item;
use crate::entity::Entity;
use crate::error::{BatchError, Error, Result, from_sdk};
use crate::key::Key;
use crate::limits::item_size;
use crate::request::{BoxFuture, backoff, is_transient};
use crate::table::Table;

/// DynamoDB's limit on keys in one `BatchGetItem`.
pub const MAX_BATCH_GET_KEYS: usize = 100;
/// DynamoDB's limit on requests in one `BatchWriteItem`.
pub const MAX_BATCH_WRITES: usize = 25;
/// DynamoDB's limit on the size of one `BatchWriteItem`.
pub const MAX_BATCH_WRITE_BYTES: usize = 16 * 1024 * 1024;
/// Sends of one chunk before its leftovers are an error.
pub const MAX_ATTEMPTS: u32 = 8;
/// Chunks in flight at once, by default.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// The primary key of `item` (an index item always carries the table's keys).
fn table_key(table: &Table, item: &Item) -> Option<Item> {
    let definition = table.definition();
    let mut key = Item::with_capacity(2);
    for attribute in definition.key_attributes() {
        key.insert(attribute.to_owned(), item.get(attribute)?.clone());
    }
    Some(key)
}

/// A hashable identity of a primary key, in `out`: each key attribute's type, the
/// length of its value and the value, in one string (one allocation per key, none
/// when `out` is reused).
fn identity_into(table: &Table, key: &Item, out: &mut String) {
    fn push(out: &mut String, tag: char, value: &str) {
        out.push(tag);
        out.push_str(itoa::Buffer::new().format(value.len()));
        out.push(':');
        out.push_str(value);
    }
    out.clear();
    for attribute in table.definition().key_attributes() {
        match key.get(attribute) {
            Some(AttributeValue::S(s)) => push(out, 'S', s),
            Some(AttributeValue::N(n)) => push(out, 'N', n),
            Some(other) => push(out, '?', &format!("{other:?}")),
            None => out.push('-'),
        }
    }
}

/// [`identity_into`] a new string.
fn identity(table: &Table, key: &Item) -> String {
    let mut out = String::with_capacity(32);
    identity_into(table, key, &mut out);
    out
}

/// What one chunk left: keys not processed after every attempt, and the error that
/// stopped it, if any.
struct Leftovers {
    keys: Vec<Item>,
    attempts: u32,
    error: Option<Error>,
}

/// Sends one chunk of keys until every key is read or the attempts are spent.
async fn get_chunk(
    table: &Table,
    entity: &'static str,
    keys: Vec<Item>,
    consistent: bool,
    found: &mut Vec<Item>,
) -> Leftovers {
    let mut pending = keys;
    let mut attempts = 0;
    while !pending.is_empty() && attempts < MAX_ATTEMPTS {
        if attempts > 0 {
            tokio::time::sleep(backoff(attempts)).await;
        }
        attempts += 1;
        let request = KeysAndAttributes::builder()
            .set_keys(Some(pending.clone()))
            .consistent_read(consistent)
            .build()
            .expect("keys are set");
        let output = match table
            .client()
            .batch_get_item()
            .request_items(table.name(), request)
            .send()
            .instrument(tracing::debug_span!("dynaschema.batch_get", table = %table.name(), entity))
            .await
        {
            Ok(output) => output,
            // Throttling, 5xx and broken connections outlasting the SDK's own
            // retries: this chunk's keys are sent again, within the attempts.
            Err(e) if is_transient(&e) && attempts < MAX_ATTEMPTS => continue,
            Err(e) => {
                return Leftovers {
                    keys: pending,
                    attempts,
                    error: Some(from_sdk("BatchGetItem", entity, e)),
                };
            }
        };
        found.extend(
            output
                .responses
                .unwrap_or_default()
                .remove(table.name())
                .unwrap_or_default(),
        );
        pending = output
            .unprocessed_keys
            .unwrap_or_default()
            .remove(table.name())
            .map(|k| k.keys)
            .unwrap_or_default();
    }
    Leftovers {
        keys: pending,
        attempts,
        error: None,
    }
}

/// One chunk's outcome: its items decoded, each with its key's position, and what
/// it left unread.
type Chunk<T> = (Result<Vec<(usize, T)>>, Leftovers);

/// Reads the items at `keys`, `concurrency` chunks at a time, and decodes each with
/// `decode` as its chunk arrives (while other chunks are in flight). Returns them in
/// the order of the keys; a key given twice is read once, missing items are left out.
///
/// Each key's identity is computed once, and keys move into their chunk uncopied:
/// the hand-written pipeline of the benchmarks does no more (BENCHMARKS.md).
async fn get_items<T>(
    table: &Table,
    entity: &'static str,
    keys: Vec<Item>,
    consistent: bool,
    concurrency: usize,
    decode: impl Fn(Item) -> Result<T>,
) -> Result<Vec<T>> {
    // Position of each distinct key, in first-seen order.
    let mut position: HashMap<String, usize> = HashMap::with_capacity(keys.len());
    let mut unique = Vec::with_capacity(keys.len());
    for key in keys {
        let next = position.len();
        if let std::collections::hash_map::Entry::Vacant(slot) =
            position.entry(identity(table, &key))
        {
            slot.insert(next);
            unique.push(key);
        }
    }
    let mut chunks: Vec<Vec<Item>> = Vec::with_capacity(unique.len().div_ceil(MAX_BATCH_GET_KEYS));
    let mut rest = unique.into_iter();
    loop {
        let chunk: Vec<Item> = rest.by_ref().take(MAX_BATCH_GET_KEYS).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    let (position, decode) = (&position, &decode);
    let results: Vec<Chunk<T>> = stream::iter(chunks)
        .map(|chunk| async move {
            let mut found = Vec::new();
            let leftovers = get_chunk(table, entity, chunk, consistent, &mut found).await;
            let mut id = String::new();
            let decoded = found
                .into_iter()
                .filter_map(|item| {
                    identity_into(table, &item, &mut id);
                    let at = *position.get(id.as_str())?;
                    Some(decode(item).map(|value| (at, value)))
                })
                .collect();
            (decoded, leftovers)
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    let mut slots: Vec<Option<T>> = std::iter::repeat_with(|| None)
        .take(position.len())
        .collect();
    let mut missing = Vec::new();
    let mut attempts = 0;
    let mut error = None;
    for (decoded, leftovers) in results {
        for (at, value) in decoded? {
            slots[at] = Some(value);
        }
        attempts = attempts.max(leftovers.attempts);
        missing.extend(leftovers.keys);
        error = error.or(leftovers.error);
    }
    if !missing.is_empty() {
        return Err(Error::Unprocessed {
            operation: "BatchGetItem",
            attempts,
            keys: missing,
            cause: error.map(Box::new),
        });
    }
    Ok(slots.into_iter().flatten().collect())
}

/// The full items behind `index_items`, in the same order. Items deleted since the
/// index was read are left out.
pub(crate) async fn get_full_items(
    table: &Table,
    entity: &'static str,
    index_items: Vec<Item>,
    consistent: bool,
) -> Result<Vec<Item>> {
    let keys: Vec<Item> = index_items
        .iter()
        .filter_map(|item| table_key(table, item))
        .collect();
    get_items(table, entity, keys, consistent, DEFAULT_CONCURRENCY, Ok).await
}

/// A `BatchGetItem` of items of `E`; `.await` it for the items found, in the order of
/// the keys (duplicates read once, missing items left out).
#[must_use = "a request does nothing until it is awaited"]
pub struct BatchGet<'t, E> {
    table: &'t Table,
    keys: Vec<Key<E>>,
    consistent: bool,
    concurrency: usize,
}

impl<'t, E: Entity> BatchGet<'t, E> {
    pub(crate) fn new(table: &'t Table, keys: Vec<Key<E>>) -> Self {
        Self {
            table,
            keys,
            consistent: false,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }

    /// Reads with strong consistency.
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }

    /// Chunks of 100 keys in flight at once (default 4).
    pub fn concurrency(mut self, chunks: usize) -> Self {
        self.concurrency = chunks.max(1);
        self
    }

    async fn send(self) -> Result<Vec<E>> {
        let keys: Vec<Item> = self
            .keys
            .into_iter()
            .map(Key::into_attributes)
            .collect::<std::result::Result<_, _>>()?;
        get_items(
            self.table,
            E::NAME,
            keys,
            self.consistent,
            self.concurrency,
            |item| Ok(E::from_item(item)?),
        )
        .await
    }
}

impl<'t, E: Entity> IntoFuture for BatchGet<'t, E> {
    type Output = Result<Vec<E>>;
    type IntoFuture = BoxFuture<'t, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// One write of a batch.
struct Write {
    size: usize,
    request: WriteRequest,
}

impl Write {
    /// The put's item or the delete's key: what the write's key is read from.
    fn keyed(&self) -> Option<&Item> {
        match (self.request.put_request(), self.request.delete_request()) {
            (Some(put), _) => Some(put.item()),
            (None, Some(delete)) => Some(delete.key()),
            (None, None) => None,
        }
    }
}

/// A `BatchWriteItem` of puts and deletes, of any entities; `.await` it. Built by
/// [`Table::batch_write`].
///
/// Puts of a versioned entity are refused (a batch cannot check a version); two
/// writes of one key keep the last one (DynamoDB refuses duplicates in a batch).
#[must_use = "a request does nothing until it is awaited"]
pub struct BatchWrite<'t> {
    table: &'t Table,
    writes: Vec<Write>,
    error: Option<Error>,
    concurrency: usize,
}

impl<'t> BatchWrite<'t> {
    pub(crate) fn new(table: &'t Table) -> Self {
        Self {
            table,
            writes: Vec::new(),
            error: None,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }

    fn fail(&mut self, error: Error) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Puts `item`, replacing any item with its key.
    pub fn put<E: Entity>(mut self, item: &E) -> Self {
        if E::VERSION_ATTRIBUTE.is_some() {
            self.fail(BatchError::Versioned { entity: E::NAME }.into());
            return self;
        }
        let item = match item.to_item() {
            Ok(item) => item,
            Err(e) => {
                self.fail(e);
                return self;
            }
        };
        let size = match crate::limits::check_item::<E>(&item) {
            Ok(size) => size,
            Err(e) => {
                self.fail(e.into());
                return self;
            }
        };
        self.writes.push(Write {
            size,
            request: WriteRequest::builder()
                .put_request(
                    PutRequest::builder()
                        .set_item(Some(item))
                        .build()
                        .expect("item is set"),
                )
                .build(),
        });
        self
    }

    /// Puts every item of `items`.
    pub fn put_all<'i, E: Entity>(mut self, items: impl IntoIterator<Item = &'i E>) -> Self {
        for item in items {
            self = self.put(item);
        }
        self
    }

    /// Deletes the item at `key`.
    pub fn delete<E: Entity>(mut self, key: Key<E>) -> Self {
        if E::VERSION_ATTRIBUTE.is_some() {
            self.fail(BatchError::Versioned { entity: E::NAME }.into());
            return self;
        }
        match key.to_attributes() {
            Ok(key) => self.writes.push(Write {
                size: item_size(&key),
                request: WriteRequest::builder()
                    .delete_request(
                        DeleteRequest::builder()
                            .set_key(Some(key))
                            .build()
                            .expect("key is set"),
                    )
                    .build(),
            }),
            Err(e) => self.fail(e.into()),
        }
        self
    }

    /// Chunks of 25 writes in flight at once (default 4).
    pub fn concurrency(mut self, chunks: usize) -> Self {
        self.concurrency = chunks.max(1);
        self
    }

    async fn send(mut self) -> Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let table = self.table;
        // The last write of each key wins, in the order given. Each key's identity is
        // computed once.
        let ids: Vec<String> = self
            .writes
            .iter()
            .map(|w| w.keyed().map(|k| identity(table, k)).unwrap_or_default())
            .collect();
        let mut last: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            last.insert(id, i);
        }
        let keep: Vec<bool> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| last.get(id.as_str()) == Some(&i))
            .collect();
        drop(last);
        let writes: Vec<Write> = self
            .writes
            .into_iter()
            .zip(keep)
            .filter_map(|(w, keep)| keep.then_some(w))
            .collect();
        let mut chunks: Vec<Vec<Write>> = Vec::new();
        let mut size = 0;
        for w in writes {
            match chunks.last_mut() {
                Some(chunk)
                    if chunk.len() < MAX_BATCH_WRITES && size + w.size <= MAX_BATCH_WRITE_BYTES =>
                {
                    size += w.size;
                    chunk.push(w);
                }
                _ => {
                    size = w.size;
                    chunks.push(vec![w]);
                }
            }
        }
        let results: Vec<Leftovers> = stream::iter(chunks)
            .map(|chunk| write_chunk(table, chunk))
            .buffer_unordered(self.concurrency)
            .collect()
            .await;
        let mut missing = Vec::new();
        let mut attempts = 0;
        let mut error = None;
        for leftovers in results {
            attempts = attempts.max(leftovers.attempts);
            missing.extend(leftovers.keys);
            error = error.or(leftovers.error);
        }
        if !missing.is_empty() {
            return Err(Error::Unprocessed {
                operation: "BatchWriteItem",
                attempts,
                keys: missing,
                cause: error.map(Box::new),
            });
        }
        Ok(())
    }
}

/// Sends one chunk of writes until every write is processed or the attempts are
/// spent; the keys of the writes left.
async fn write_chunk(table: &Table, chunk: Vec<Write>) -> Leftovers {
    let mut pending: Vec<WriteRequest> = chunk.into_iter().map(|w| w.request).collect();
    let mut attempts = 0;
    while !pending.is_empty() && attempts < MAX_ATTEMPTS {
        if attempts > 0 {
            tokio::time::sleep(backoff(attempts)).await;
        }
        attempts += 1;
        let output = match table
            .client()
            .batch_write_item()
            .request_items(table.name(), pending.clone())
            .send()
            .instrument(tracing::debug_span!("dynaschema.batch_write", table = %table.name(), writes = pending.len()))
            .await
        {
            Ok(output) => output,
            Err(e) if is_transient(&e) && attempts < MAX_ATTEMPTS => continue,
            Err(e) => {
                return Leftovers {
                    keys: pending.iter().filter_map(|r| write_key(table, r)).collect(),
                    attempts,
                    error: Some(from_sdk("BatchWriteItem", "batch", e)),
                };
            }
        };
        pending = output
            .unprocessed_items
            .unwrap_or_default()
            .remove(table.name())
            .unwrap_or_default();
    }
    Leftovers {
        keys: pending.iter().filter_map(|r| write_key(table, r)).collect(),
        attempts,
        error: None,
    }
}

/// The primary key a write request writes.
fn write_key(table: &Table, request: &WriteRequest) -> Option<Item> {
    if let Some(put) = request.put_request() {
        return table_key(table, put.item());
    }
    request.delete_request().map(|d| d.key().clone())
}

impl<'t> IntoFuture for BatchWrite<'t> {
    type Output = Result<()>;
    type IntoFuture = BoxFuture<'t, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Table {
    /// Reads the items of `E` at `keys` with `BatchGetItem`: see
    /// [`BatchGet`].
    pub fn batch_get<E: Entity>(
        &self,
        keys: impl IntoIterator<Item = Key<E>>,
    ) -> crate::batch::BatchGet<'_, E> {
        crate::batch::BatchGet::new(self, keys.into_iter().collect())
    }

    /// Puts and deletes items of any entities with `BatchWriteItem`: see
    /// [`BatchWrite`].
    pub fn batch_write(&self) -> crate::batch::BatchWrite<'_> {
        crate::batch::BatchWrite::new(self)
    }
}
