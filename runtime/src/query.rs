//! Queries: one access pattern's key condition, run page by page.

use aws_sdk_dynamodb::types::AttributeValue;
use futures::{Stream, StreamExt as _, TryStreamExt as _, stream};
use tracing::Instrument as _;

use crate::attribute::Item;
use crate::cursor::Cursor;
use crate::entity::Entity;
use crate::error::{Error, KeyError, Result, from_sdk_read};
use crate::filter::Filter;
use crate::multi_attribute::{KeyAttributeValue, key_value};
pub use crate::sort_key::SortCondition;
use crate::sort_key::SortKeyCondition;
use crate::table::Table;

/// The key condition of a query: equality on the partition key attribute(s) and
/// conditions on the sort key attribute(s). Expression strings depend only on this
/// structure, never on values: names and values always travel as placeholders.
///
/// A template (synthetic string) key has one partition and at most one sort
/// condition; a [multi-attribute key](crate::multi_attribute) has one equality per
/// partition attribute, then equalities on leading sort attributes and at most one
/// other condition on the next.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyCondition {
    partition: Vec<(&'static str, AttributeValue)>,
    sort: SortKeyCondition,
}

impl KeyCondition {
    /// `partition_attribute = value`, for a template key.
    pub fn partition(attribute: &'static str, value: String) -> Self {
        Self::empty().and_partition(attribute, AttributeValue::S(value))
    }

    /// No condition yet: add one equality per partition attribute with
    /// [`and_partition`](Self::and_partition).
    pub fn empty() -> Self {
        Self {
            partition: Vec::new(),
            sort: SortKeyCondition::none(),
        }
    }

    /// Adds `attribute = value` on a partition key attribute.
    pub fn and_partition(mut self, attribute: &'static str, value: AttributeValue) -> Self {
        self.partition.push((attribute, value));
        self
    }

    /// Adds a condition on a template sort key.
    pub fn sort(self, attribute: &'static str, condition: SortCondition) -> Self {
        self.and_sort(SortKeyCondition::template(attribute, condition))
    }

    /// Adds the conditions a [`SortKey`](crate::sort_key::SortKey) builder ended with.
    pub fn and_sort(mut self, sort: SortKeyCondition) -> Self {
        self.sort.conditions.extend(sort.conditions);
        if sort.excluded.is_some() {
            self.sort.excluded = sort.excluded;
        }
        self
    }

    /// The same condition on another partition of a template key (a shard of a
    /// sharded partition).
    fn in_partition(&self, value: &str) -> Self {
        let mut condition = self.clone();
        if let Some((_, partition)) = condition.partition.first_mut() {
            *partition = AttributeValue::S(value.to_owned());
        }
        condition
    }

    /// The sort key value dropped from results, if any.
    pub fn excluded(&self) -> Option<&str> {
        self.sort.excluded()
    }

    /// The `KeyConditionExpression`: `#pk = :pk`, `#pk1 = :pk1`, ... for the
    /// partition attributes, then `#sk`, `#sk1`, ... for the sort attributes.
    pub fn expression(&self) -> String {
        let mut out = String::new();
        for i in 0..self.partition.len() {
            if i > 0 {
                out.push_str(" AND ");
            }
            let n = suffix(i);
            out.push_str(&format!("#pk{n} = :pk{n}"));
        }
        for (j, (_, condition)) in self.sort.conditions.iter().enumerate() {
            let n = suffix(j);
            out.push_str(" AND ");
            condition.write(
                &mut out,
                &format!("#sk{n}"),
                &format!(":sk{n}"),
                &format!(":skhi{n}"),
            );
        }
        out
    }

    /// The name and value placeholders of [`expression`](Self::expression).
    fn placeholders(&self) -> Placeholders {
        let mut names = Vec::new();
        let mut values = Vec::new();
        for (i, (attribute, value)) in self.partition.iter().enumerate() {
            let n = suffix(i);
            names.push((format!("#pk{n}"), *attribute));
            values.push((format!(":pk{n}"), value.clone()));
        }
        for (j, (attribute, condition)) in self.sort.conditions.iter().enumerate() {
            let n = suffix(j);
            names.push((format!("#sk{n}"), *attribute));
            for (k, value) in condition.values().enumerate() {
                let placeholder = if k == 0 {
                    format!(":sk{n}")
                } else {
                    format!(":skhi{n}")
                };
                values.push((placeholder, value.clone()));
            }
        }
        (names, values)
    }

    /// Whether the condition can match nothing, so no request is needed.
    fn is_empty(&self) -> bool {
        self.sort
            .conditions
            .iter()
            .any(|(_, c)| matches!(c, SortCondition::Nothing))
    }

    /// The attribute of the last sort condition, where an excluded value applies.
    fn last_sort_attribute(&self) -> Option<&'static str> {
        self.sort.conditions.last().map(|(attribute, _)| *attribute)
    }
}

/// The partition condition of a query on a multi-attribute index: one equality per
/// partition attribute. Built by generated pattern methods.
#[doc(hidden)]
#[derive(Debug)]
pub struct MultiAttributePartition {
    entity: &'static str,
    condition: std::result::Result<KeyCondition, KeyError>,
}

impl MultiAttributePartition {
    /// No attribute yet.
    pub fn new(entity: &'static str) -> Self {
        Self {
            entity,
            condition: Ok(KeyCondition::empty()),
        }
    }

    /// `attribute = value`.
    pub fn value<T: KeyAttributeValue + ?Sized>(
        mut self,
        attribute: &'static str,
        value: &T,
    ) -> Self {
        let entity = self.entity;
        self.condition = self.condition.and_then(|c| {
            Ok(c.and_partition(attribute, key_value(entity, attribute, true, value)?))
        });
        self
    }

    /// The condition.
    pub fn finish(self) -> std::result::Result<KeyCondition, KeyError> {
        self.condition
    }
}

/// Name placeholders with their attributes, value placeholders with their values.
type Placeholders = (Vec<(String, &'static str)>, Vec<(String, AttributeValue)>);

/// `""` for the first placeholder of a kind, then `1`, `2`, ...
fn suffix(i: usize) -> String {
    if i == 0 { String::new() } else { i.to_string() }
}

/// Turns one raw item of a query page into a result, or skips it (`Ok(None)`) when it
/// belongs to another entity.
pub type Decoder<T> = fn(Item, &'static str) -> Result<Option<T>>;

/// Decodes items of entity `E`, skipping items whose discriminator names another
/// entity: a partition shared by several entities never yields a wrong-typed value.
pub fn decode_entity<E: Entity>(item: Item, entity_attribute: &'static str) -> Result<Option<E>> {
    match item.get(entity_attribute) {
        Some(AttributeValue::S(name)) if name == E::NAME => Ok(Some(E::from_item(item)?)),
        _ => Ok(None),
    }
}

/// Everything of a pattern's query but the sort key condition; generated pattern
/// builders finish it into a [`Query`] once the condition is known.
#[doc(hidden)]
pub struct PatternQuery<'t, T, R = Strong> {
    /// The table.
    pub table: &'t Table,
    /// The pattern's name.
    pub pattern: &'static str,
    /// The entity queried.
    pub entity: &'static str,
    /// The GSI, if any.
    pub index: Option<&'static str>,
    /// The partition condition.
    pub partition: std::result::Result<KeyCondition, KeyError>,
    /// The pattern's declared order.
    pub ascending: bool,
    /// How items are decoded.
    pub decode: Decoder<T>,
    /// The pattern's filter.
    pub filter: Option<Filter>,
    /// Whether pages are completed with `BatchGetItem` (`fetch = "items"`).
    pub fetch_items: bool,
    /// The shards of a sharded partition, all read and merged.
    pub fan_out: Option<crate::shard::FanOut>,
    /// Which reads the index allows.
    pub consistency: std::marker::PhantomData<fn() -> R>,
}

impl<'t, T: Send + 't, R: 't> PatternQuery<'t, T, R> {
    /// The query with the conditions a sort key builder ended with.
    pub fn finish(
        self,
        sort: std::result::Result<crate::sort_key::SortKeyCondition, KeyError>,
    ) -> Query<'t, T, R> {
        let condition = self
            .partition
            .clone()
            .and_then(|partition| Ok(partition.and_sort(sort?)));
        self.into_query(condition)
    }

    fn into_query(self, condition: std::result::Result<KeyCondition, KeyError>) -> Query<'t, T, R> {
        let query =
            Query::with_consistency(self.table, self.pattern, self.index, condition, self.decode)
                .ascending(self.ascending);
        let query = if self.fetch_items {
            query.fetch_items(self.entity)
        } else {
            query
        };
        let query = match self.fan_out {
            Some(fan_out) => query.fan_out(fan_out),
            None => query,
        };
        match self.filter {
            Some(filter) => query.filter(filter),
            None => query,
        }
    }
}

/// One page of results and where the next one starts.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page, in key order.
    pub items: Vec<T>,
    /// Pass to [`Query::page`] for the next page; `None` on the last page.
    pub next: Option<Cursor>,
    /// The read capacity units the page's `Query` consumed, as DynamoDB reports them
    /// (`ReturnConsumedCapacity = TOTAL`); also recorded on the request's tracing span.
    pub consumed_capacity: f64,
}

/// A query of one access pattern, built by the generated pattern method
/// (`table.user_orders(&user_id)`); consume it with [`stream`](Self::stream),
/// [`page`](Self::page) or [`all`](Self::all).
///
/// ```no_run
/// # use dynaschema::{Query, Entity};
/// # use futures::TryStreamExt;
/// # async fn demo<E: Entity + std::fmt::Debug>(query: impl Fn() -> Query<'static, E>) -> dynaschema::Result<()> {
/// // Every item, one page in memory at a time:
/// let mut items = query().stream();
/// while let Some(item) = items.try_next().await? {
///     println!("{item:?}");
/// }
/// // Pages of twenty items, and a cursor for the next page:
/// let page = query().page_size(20).page(None).await?;
/// if let Some(next) = page.next {
///     let _more = query().page_size(20).page(Some(&next)).await?;
/// }
/// // The first hundred items, read twenty at a time:
/// let first = query().limit(100).page_size(20).all().await?;
/// # Ok(()) }
/// ```
#[must_use = "a query does nothing until it is consumed"]
pub struct Query<'t, T, R = Strong> {
    table: &'t Table,
    pattern: &'static str,
    index: Option<&'static str>,
    condition: std::result::Result<KeyCondition, KeyError>,
    ascending: bool,
    limit: Option<usize>,
    page_size: Option<usize>,
    consistent: bool,
    filter: Option<Filter>,
    /// The entity whose full items each page reads with `BatchGetItem`, if any.
    fetch_items: Option<&'static str>,
    /// A sharded partition's shards: every one is read and the results merged.
    fan_out: Option<crate::shard::FanOut>,
    decode: Decoder<T>,
    consistency: std::marker::PhantomData<fn() -> R>,
}

/// Reads of the table or a local index: [`Query::consistent`] is available.
#[derive(Debug)]
pub enum Strong {}

/// Reads of a global secondary index: eventually consistent only, so a query there
/// has no [`consistent`](Query::consistent) (DynamoDB would refuse it).
#[derive(Debug)]
pub enum Eventual {}

impl<T, R> std::fmt::Debug for Query<'_, T, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Query")
            .field("table", &self.table.name())
            .field("pattern", &self.pattern)
            .field("index", &self.index)
            .field("condition", &self.condition)
            .field("ascending", &self.ascending)
            .field("limit", &self.limit)
            .field("page_size", &self.page_size)
            .field("filter", &self.filter)
            .field(
                "shards",
                &self.fan_out.as_ref().map(crate::shard::FanOut::count),
            )
            .finish_non_exhaustive()
    }
}

impl<'t, T: Send + 't> Query<'t, T> {
    /// A query for generated code (collections); applications call the pattern
    /// methods instead.
    #[doc(hidden)]
    pub fn new(
        table: &'t Table,
        pattern: &'static str,
        index: Option<&'static str>,
        condition: std::result::Result<KeyCondition, KeyError>,
        decode: Decoder<T>,
    ) -> Self {
        Self::with_consistency(table, pattern, index, condition, decode)
    }

    /// Reads with strong consistency. Only queries of the table and of local indexes
    /// have it: DynamoDB refuses consistent reads of global secondary indexes.
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }
}

impl<'t, T: Send + 't, R: 't> Query<'t, T, R> {
    /// A query for generated code, of an index with consistency `R`.
    #[doc(hidden)]
    pub fn with_consistency(
        table: &'t Table,
        pattern: &'static str,
        index: Option<&'static str>,
        condition: std::result::Result<KeyCondition, KeyError>,
        decode: Decoder<T>,
    ) -> Self {
        Self {
            table,
            pattern,
            index,
            condition,
            ascending: true,
            limit: None,
            page_size: None,
            consistent: false,
            filter: None,
            fetch_items: None,
            fan_out: None,
            decode,
            consistency: std::marker::PhantomData,
        }
    }

    /// Reads the full items of `entity` of a page with `BatchGetItem`, for indexes
    /// that project only some attributes (`fetch = "items"` in the schema).
    #[doc(hidden)]
    pub fn fetch_items(mut self, entity: &'static str) -> Self {
        self.fetch_items = Some(entity);
        self
    }

    /// Reads every shard of a sharded partition and merges them in key order.
    #[doc(hidden)]
    pub fn fan_out(mut self, fan_out: crate::shard::FanOut) -> Self {
        self.fan_out = Some(fan_out);
        self
    }

    /// Applies the pattern's filter.
    #[doc(hidden)]
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filter = Some(filter);
        self
    }

    /// Sets the order: ascending (`true`) or descending sort key.
    #[doc(hidden)]
    pub fn ascending(mut self, ascending: bool) -> Self {
        self.ascending = ascending;
        self
    }

    /// Reverses the pattern's declared order.
    pub fn reverse(mut self) -> Self {
        self.ascending = !self.ascending;
        self
    }

    /// At most `n` items from this call: in all for [`stream`](Self::stream) and
    /// [`all`](Self::all), in the page for [`page`](Self::page). DynamoDB is asked
    /// for no more than are still needed.
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }

    /// Asks DynamoDB for at most `n` items per request (its `Limit`): the size of a
    /// [`page`](Self::page), and of each page [`stream`](Self::stream) and
    /// [`all`](Self::all) read, so a stream holds at most `n` items at a time.
    /// Default: as many as fit DynamoDB's 1 MB page.
    pub fn page_size(mut self, n: usize) -> Self {
        self.page_size = Some(n.max(1));
        self
    }

    /// DynamoDB's `Limit` for the next request, `remaining` items still wanted.
    fn request_limit(&self, remaining: Option<usize>) -> Option<usize> {
        match (self.page_size, remaining) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Sends one `Query` request. Returns the decoded items of this entity and the
    /// key to continue from.
    async fn fetch(
        &self,
        start: Option<Item>,
        limit: Option<usize>,
    ) -> Result<(Vec<T>, Option<Item>, f64)> {
        let condition = self.condition.as_ref().map_err(|e| Error::Key(e.clone()))?;
        let (raw_items, last, consumed) = self.fetch_raw(condition, start, limit).await?;
        let mut items = Vec::with_capacity(raw_items.len());
        for item in raw_items {
            if let Some(value) = self.decode_raw(condition, item)? {
                items.push(value);
            }
        }
        Ok((items, last, consumed))
    }

    /// Sends one `Query` request with `condition`: the raw items (full items when
    /// the pattern fetches them), the key to continue from and the capacity used.
    async fn fetch_raw(
        &self,
        condition: &KeyCondition,
        start: Option<Item>,
        limit: Option<usize>,
    ) -> Result<(Vec<Item>, Option<Item>, f64)> {
        let definition = self.table.definition();
        if start.is_none() {
            crate::coverage::record(&definition.name, self.pattern);
        }
        let mut request = self
            .table
            .client()
            .query()
            .table_name(self.table.name())
            .set_index_name(self.index.map(str::to_owned))
            .key_condition_expression(condition.expression())
            .scan_index_forward(self.ascending)
            .consistent_read(self.consistent)
            .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total)
            .set_exclusive_start_key(start)
            .set_limit(limit.map(|n| i32::try_from(n).unwrap_or(i32::MAX)));
        if let Some(filter) = &self.filter {
            filter.check()?;
        }
        if condition.is_empty() {
            return Ok((Vec::new(), None, 0.0));
        }
        if let Some(filter) = &self.filter {
            request = request.filter_expression(filter.expression());
            for (placeholder, attribute) in filter.names() {
                request = request.expression_attribute_names(*placeholder, *attribute);
            }
            for (placeholder, value) in filter.values() {
                request = request.expression_attribute_values(*placeholder, value.clone());
            }
        }
        let (names, values) = condition.placeholders();
        for (placeholder, attribute) in names {
            request = request.expression_attribute_names(placeholder, attribute);
        }
        for (placeholder, value) in values {
            request = request.expression_attribute_values(placeholder, value);
        }
        let span = tracing::debug_span!(
            "dynaschema.query",
            table = %self.table.name(),
            pattern = self.pattern,
            index = self.index.unwrap_or_default(),
            consumed_capacity = tracing::field::Empty,
        );
        let output = request
            .send()
            .instrument(span.clone())
            .await
            .map_err(|e| from_sdk_read("Query", Some(self.pattern), e))?;
        let consumed = output
            .consumed_capacity()
            .and_then(|c| c.capacity_units())
            .unwrap_or(0.0);
        span.record("consumed_capacity", consumed);
        let mut raw_items = output.items.unwrap_or_default();
        if let Some(entity) = self.fetch_items {
            // The index holds only some attributes: read the items themselves, one
            // BatchGetItem per page. Index reads cannot be consistent, item reads can.
            raw_items = crate::batch::get_full_items(self.table, entity, raw_items, false)
                .await
                .map_err(|e| crate::error::in_pattern(e, Some(self.pattern)))?;
        }
        Ok((
            raw_items,
            output.last_evaluated_key.filter(|k| !k.is_empty()),
            consumed,
        ))
    }

    /// One raw item as a result: `None` for the excluded sort key value and for
    /// items of other entities.
    fn decode_raw(&self, condition: &KeyCondition, item: Item) -> Result<Option<T>> {
        let excluded = condition.excluded().zip(condition.last_sort_attribute());
        if let Some((value, attribute)) = excluded
            && matches!(item.get(attribute), Some(AttributeValue::S(sk)) if sk == value)
        {
            return Ok(None);
        }
        (self.decode)(item, &self.table.definition().entity_attribute)
    }

    /// One page: up to [`page_size`](Self::page_size) (and [`limit`](Self::limit))
    /// items, one DynamoDB page if neither is set, starting at `cursor`, and the
    /// cursor of the next page.
    ///
    /// A page may hold fewer items than the page size while `next` is `Some`:
    /// DynamoDB stops a page at 1 MB, and items of other entities sharing the key
    /// range are skipped.
    pub async fn page(self, cursor: Option<&Cursor>) -> Result<Page<T>> {
        if self.fan_out.is_some() {
            return self.fan_out_page(cursor).await;
        }
        let binding = self.binding();
        let secret = self.table.cursor_key();
        let start = cursor
            .map(|c| c.to_key_checked(&binding, secret))
            .transpose()?;
        let limit = self.request_limit(self.limit);
        if limit == Some(0) {
            // Nothing wanted (`limit(0)`): nothing read, the same position next.
            return Ok(Page {
                items: Vec::new(),
                consumed_capacity: 0.0,
                next: cursor.cloned(),
            });
        }
        let (items, last, consumed_capacity) = self.fetch(start, limit).await?;
        Ok(Page {
            items,
            consumed_capacity,
            next: last
                .as_ref()
                .map(|key| Cursor::from_key_signed(key, &binding, secret)),
        })
    }

    /// What a signed cursor is bound to: the pattern, index, order, key condition and
    /// filter with every parameter value.
    fn binding(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut text = |s: &str| {
            out.extend_from_slice(&(s.len() as u64).to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        };
        text(self.pattern);
        text(self.index.unwrap_or_default());
        text(if self.ascending { "asc" } else { "desc" });
        if let Ok(condition) = &self.condition {
            text(&condition.expression());
            let (names, values) = condition.placeholders();
            for (placeholder, name) in names {
                text(&placeholder);
                text(name);
            }
            for (placeholder, value) in values {
                text(&placeholder);
                text(&crate::cursor::canonical(&value));
            }
        }
        if let Some(filter) = &self.filter {
            text(filter.expression());
            for (placeholder, value) in filter.values() {
                text(placeholder);
                text(&crate::cursor::canonical(value));
            }
        }
        if let Some(fan_out) = &self.fan_out {
            text("shards");
            for value in fan_out.values.iter().flatten() {
                text(value);
            }
        }
        out
    }

    /// Every item, as a stream that requests the next page only when the current
    /// one has been consumed, so at most one page is held in memory (one page per
    /// shard for a [sharded](crate::shard) partition). A page is DynamoDB's 1 MB
    /// unless [`page_size`](Self::page_size) says fewer items: set it to bound the
    /// memory of a long stream.
    pub fn stream(self) -> impl Stream<Item = Result<T>> + Send + 't {
        if self.fan_out.is_some() {
            return self.fan_out_stream();
        }
        struct State<'t, T, R> {
            query: Query<'t, T, R>,
            start: Option<Item>,
            remaining: Option<usize>,
            done: bool,
        }
        let remaining = self.limit;
        let state = State {
            query: self,
            start: None,
            remaining,
            done: false,
        };
        stream::try_unfold(state, |mut state| async move {
            if state.done || state.remaining == Some(0) {
                return Ok::<_, Error>(None);
            }
            let limit = state.query.request_limit(state.remaining);
            let (mut items, last, _) = state.query.fetch(state.start.take(), limit).await?;
            if let Some(remaining) = &mut state.remaining {
                items.truncate(*remaining);
                *remaining -= items.len();
            }
            state.done = last.is_none();
            state.start = last;
            Ok(Some((stream::iter(items.into_iter().map(Ok)), state)))
        })
        .try_flatten()
        .boxed()
    }

    /// Every item (up to [`limit`](Self::limit)), collected into a `Vec`.
    pub async fn all(self) -> Result<Vec<T>> {
        if self.fan_out.is_some() {
            return self.stream().try_collect().await;
        }
        // Page by page, as `stream` reads, each page's items moved in at once (not
        // one by one through the stream: BENCHMARKS.md, client CPU).
        let mut remaining = self.limit;
        let mut start = None;
        let mut all = Vec::new();
        while remaining != Some(0) {
            let limit = self.request_limit(remaining);
            let (mut items, last, _) = self.fetch(start.take(), limit).await?;
            if let Some(remaining) = &mut remaining {
                items.truncate(*remaining);
                *remaining -= items.len();
            }
            if all.is_empty() {
                all = items;
            } else {
                all.append(&mut items);
            }
            match last {
                Some(last) => start = Some(last),
                None => break,
            }
        }
        Ok(all)
    }
}

/// Fan-out queries: every shard of a sharded partition, merged in key order (see
/// [`crate::shard`]).
impl<'t, T: Send + 't, R: 't> Query<'t, T, R> {
    /// The shards and the key condition (of shard 0), or the error building them.
    /// Called only on the fan-out paths, which `page` and `stream` take when
    /// `fan_out` is set; the `InvalidCursor` for a missing one cannot be reached.
    fn fan_out_parts(&self) -> Result<(&crate::shard::FanOut, &KeyCondition, &[String])> {
        let fan_out = self.fan_out.as_ref().ok_or(Error::InvalidCursor {
            reason: "not a sharded pattern",
        })?;
        let condition = self.condition.as_ref().map_err(|e| Error::Key(e.clone()))?;
        let values = fan_out.values.as_ref().map_err(|e| Error::Key(e.clone()))?;
        Ok((fan_out, condition, values))
    }

    /// A merge of the shards from `positions`, in this query's order.
    fn new_merge(&self, positions: Vec<crate::shard::Position>) -> crate::shard::Merge {
        let definition = self.table.definition();
        let mut key_attributes: Vec<String> =
            definition.key_attributes().map(str::to_owned).collect();
        let mut order_by = definition.sort_key.as_deref();
        if let Some(index) = self.index.and_then(|name| definition.index(name)) {
            key_attributes.extend(index.key_attributes().map(|a| a.name.to_string()));
            order_by = index.sort_key.first().map(|a| &*a.name);
        }
        crate::shard::Merge::new(positions, order_by, key_attributes, self.ascending)
    }

    /// Reads the shards the merge needs, `limit` items at most each.
    async fn read_shards(
        &self,
        merge: &mut crate::shard::Merge,
        limit: Option<usize>,
    ) -> Result<f64> {
        let (_, condition, values) = self.fan_out_parts()?;
        merge
            .read(|shard, start| {
                let condition = condition.in_partition(&values[shard]);
                async move { self.fetch_raw(&condition, start, limit).await }
            })
            .await
    }

    /// Fails when the shard after the last one holds items: the shard count shrank
    /// since they were written. One `Query` of `Limit = 1`.
    async fn probe_shards(&self) -> Result<f64> {
        let (fan_out, condition, values) = self.fan_out_parts()?;
        // The query's first request: the pattern ran, even if the check stops it.
        crate::coverage::record(&self.table.definition().name, self.pattern);
        let Some(((attribute, _), probe)) = condition.partition.first().zip(values.last()) else {
            return Ok(0.0);
        };
        let output = self
            .table
            .client()
            .query()
            .table_name(self.table.name())
            .set_index_name(self.index.map(str::to_owned))
            .key_condition_expression("#pk = :pk")
            .expression_attribute_names("#pk", *attribute)
            .expression_attribute_values(":pk", AttributeValue::S(probe.clone()))
            .limit(1)
            .select(aws_sdk_dynamodb::types::Select::Count)
            .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total)
            .send()
            .await
            .map_err(|e| from_sdk_read("Query", Some(self.pattern), e))?;
        if output.count > 0 {
            return Err(Error::ShardCountChanged {
                pattern: self.pattern,
                index: self.index.unwrap_or_default(),
                count: fan_out.count,
                detail: format!(
                    "partition `{probe}` (shard {}) holds items, past the last of {} shards",
                    fan_out.count, fan_out.count
                ),
            });
        }
        Ok(output
            .consumed_capacity()
            .and_then(|c| c.capacity_units())
            .unwrap_or(0.0))
    }

    /// The next raw item in order, checked and decoded: `None` when every shard is
    /// read to its end, `Some(None)` for an item that is not a result (another
    /// entity's, or the excluded sort key value).
    fn take_next(&self, merge: &mut crate::shard::Merge) -> Result<Option<Option<T>>> {
        let (fan_out, condition, _) = self.fan_out_parts()?;
        let Some((item, shard)) = merge.take() else {
            return Ok(None);
        };
        crate::shard::check_item(
            fan_out,
            &item,
            shard,
            &self.table.definition().entity_attribute,
            self.pattern,
            self.index,
        )?;
        Ok(Some(self.decode_raw(condition, item)?))
    }

    /// [`page`](Self::page) of a sharded partition: exactly the page size (or the
    /// limit) in merged order when that many remain; without either, the items
    /// merged before a shard's first page runs out.
    async fn fan_out_page(self, cursor: Option<&Cursor>) -> Result<Page<T>> {
        let count = self.fan_out_parts()?.0.count();
        let binding = self.binding();
        let secret = self.table.cursor_key();
        let positions = match cursor {
            Some(cursor) => crate::shard::positions_from_cursor(cursor, count, &binding, secret)?,
            None => vec![crate::shard::Position::Start; count as usize],
        };
        let wanted = self.request_limit(self.limit);
        if wanted == Some(0) || self.condition.as_ref().is_ok_and(KeyCondition::is_empty) {
            return Ok(Page {
                items: Vec::new(),
                consumed_capacity: 0.0,
                next: if wanted == Some(0) {
                    cursor.cloned()
                } else {
                    None
                },
            });
        }
        let mut merge = self.new_merge(positions);
        let mut consumed = 0.0;
        if cursor.is_none() {
            consumed += self.probe_shards().await?;
        }
        let mut items = Vec::new();
        let mut reads = 0;
        loop {
            if wanted.is_some_and(|n| items.len() >= n) {
                break;
            }
            if !merge.ready() {
                if wanted.is_none() && reads > 0 {
                    break;
                }
                let limit = wanted.map(|n| n - items.len());
                consumed += self.read_shards(&mut merge, limit).await?;
                reads += 1;
                continue;
            }
            match self.take_next(&mut merge)? {
                None => break,
                Some(Some(item)) => items.push(item),
                Some(None) => {}
            }
        }
        Ok(Page {
            items,
            consumed_capacity: consumed,
            next: crate::shard::positions_to_cursor(&merge.positions(), &binding, secret),
        })
    }

    /// [`stream`](Self::stream) of a sharded partition: one page per shard in
    /// memory at most.
    fn fan_out_stream(self) -> futures::stream::BoxStream<'t, Result<T>> {
        struct State<'t, T, R> {
            query: Query<'t, T, R>,
            merge: crate::shard::Merge,
            remaining: Option<usize>,
            probed: bool,
        }
        let count = match self.fan_out_parts() {
            Ok((fan_out, _, _)) => fan_out.count(),
            Err(e) => return stream::once(async move { Err(e) }).boxed(),
        };
        let empty = self.condition.as_ref().is_ok_and(KeyCondition::is_empty);
        let merge = self.new_merge(vec![crate::shard::Position::Start; count as usize]);
        let remaining = if empty { Some(0) } else { self.limit };
        let state = State {
            query: self,
            merge,
            remaining,
            probed: false,
        };
        stream::try_unfold(state, |mut state| async move {
            loop {
                if state.remaining == Some(0) {
                    return Ok(None);
                }
                if !state.probed {
                    state.query.probe_shards().await?;
                    state.probed = true;
                }
                if !state.merge.ready() {
                    let limit = state.query.request_limit(state.remaining);
                    state.query.read_shards(&mut state.merge, limit).await?;
                    continue;
                }
                match state.query.take_next(&mut state.merge)? {
                    None => return Ok(None),
                    Some(None) => {}
                    Some(Some(item)) => {
                        if let Some(remaining) = &mut state.remaining {
                            *remaining -= 1;
                        }
                        return Ok(Some((item, state)));
                    }
                }
            }
        })
        .boxed()
    }
}
