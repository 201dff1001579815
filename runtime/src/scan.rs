//! Scans: reading a whole table (or index) for one entity, only where the schema
//! declares a `scan` pattern.

use aws_sdk_dynamodb::types::AttributeValue;
use futures::{Stream, StreamExt as _, TryStreamExt as _, stream};
use tracing::Instrument as _;

use crate::attribute::Item;
use crate::error::{Result, from_sdk_read};
use crate::filter::Filter;
use crate::query::Decoder;
use crate::table::Table;

/// A scan of one entity's items, built by a generated `scan` pattern method. The
/// entity is selected on the server (a filter on the entity attribute), so other
/// entities' items are not sent back; they are still read, and billed, by DynamoDB.
///
/// ```no_run
/// # use dynaschema::{Entity, Scan};
/// # use futures::TryStreamExt;
/// # async fn demo<E: Entity + std::fmt::Debug>(scan: Scan<'_, E>) -> dynaschema::Result<()> {
/// let mut items = scan.segments(4).stream();
/// while let Some(item) = items.try_next().await? {
///     println!("{item:?}");
/// }
/// # Ok(()) }
/// ```
#[must_use = "a scan does nothing until it is consumed"]
pub struct Scan<'t, T> {
    table: &'t Table,
    pattern: &'static str,
    entity: &'static str,
    index: Option<&'static str>,
    segments: u32,
    limit: Option<usize>,
    page_size: Option<usize>,
    consistent: bool,
    filter: Option<Filter>,
    decode: Decoder<T>,
}

impl<T> std::fmt::Debug for Scan<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scan")
            .field("table", &self.table.name())
            .field("pattern", &self.pattern)
            .field("entity", &self.entity)
            .field("segments", &self.segments)
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl<'t, T: Send + 't> Scan<'t, T> {
    /// A scan for generated code; applications call the pattern methods instead.
    #[doc(hidden)]
    pub fn new(
        table: &'t Table,
        pattern: &'static str,
        entity: &'static str,
        index: Option<&'static str>,
        decode: Decoder<T>,
    ) -> Self {
        Self {
            table,
            pattern,
            entity,
            index,
            segments: 1,
            limit: None,
            page_size: None,
            consistent: false,
            filter: None,
            decode,
        }
    }

    /// Applies the pattern's filter.
    #[doc(hidden)]
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filter = Some(filter);
        self
    }

    /// Scans in `n` parallel segments (DynamoDB's `TotalSegments`), each holding one
    /// page at a time. At least 1; the pattern's `segments` is the default.
    pub fn segments(mut self, n: u32) -> Self {
        self.segments = n.max(1);
        self
    }

    /// At most `n` items in all.
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }

    /// Asks DynamoDB for at most `n` items per request and segment (its `Limit`), so
    /// a stream holds at most `n` items per segment at a time. Default: as many as
    /// fit DynamoDB's 1 MB page.
    pub fn page_size(mut self, n: usize) -> Self {
        self.page_size = Some(n.max(1));
        self
    }

    /// Reads with strong consistency (not on global secondary indexes).
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }

    async fn fetch(&self, segment: u32, start: Option<Item>) -> Result<(Vec<T>, Option<Item>)> {
        if let Some(filter) = &self.filter {
            filter.check()?;
        }
        let definition = self.table.definition();
        if segment == 0 && start.is_none() {
            crate::coverage::record(&definition.name, self.pattern);
        }
        let entity_condition = "#dynaschema_et = :dynaschema_et";
        let expression = match &self.filter {
            Some(filter) => format!("{entity_condition} AND ({})", filter.expression()),
            None => entity_condition.to_owned(),
        };
        let mut request = self
            .table
            .client()
            .scan()
            .table_name(self.table.name())
            .set_index_name(self.index.map(str::to_owned))
            .filter_expression(expression)
            .expression_attribute_names("#dynaschema_et", &*definition.entity_attribute)
            .expression_attribute_values(
                ":dynaschema_et",
                AttributeValue::S(self.entity.to_owned()),
            )
            .consistent_read(self.consistent)
            .set_limit(
                self.page_size
                    .map(|n| i32::try_from(n.max(1)).unwrap_or(i32::MAX)),
            )
            .set_exclusive_start_key(start);
        if self.segments > 1 {
            let total = i32::try_from(self.segments).unwrap_or(i32::MAX);
            let segment = i32::try_from(segment).unwrap_or(i32::MAX);
            request = request.total_segments(total).segment(segment);
        }
        if let Some(filter) = &self.filter {
            for (placeholder, attribute) in filter.names() {
                request = request.expression_attribute_names(*placeholder, *attribute);
            }
            for (placeholder, value) in filter.values() {
                request = request.expression_attribute_values(*placeholder, value.clone());
            }
        }
        let output = request
            .send()
            .instrument(tracing::debug_span!(
                "dynaschema.scan",
                table = %self.table.name(),
                pattern = self.pattern,
                segment,
            ))
            .await
            .map_err(|e| from_sdk_read("Scan", Some(self.pattern), e))?;
        let mut items = Vec::with_capacity(output.items.as_ref().map_or(0, Vec::len));
        for item in output.items.unwrap_or_default() {
            if let Some(value) = (self.decode)(item, &definition.entity_attribute)? {
                items.push(value);
            }
        }
        Ok((items, output.last_evaluated_key.filter(|k| !k.is_empty())))
    }

    /// Every item, segments interleaved, each segment holding at most one page.
    pub fn stream(self) -> impl Stream<Item = Result<T>> + Send + 't
    where
        T: 't,
    {
        let limit = self.limit;
        let scan = std::sync::Arc::new(self);
        let segments = (0..scan.segments).map(|segment| {
            let scan = scan.clone();
            stream::try_unfold(
                (Some(None::<Item>), scan),
                move |(start, scan)| async move {
                    let Some(start) = start else {
                        return Ok::<_, crate::Error>(None);
                    };
                    let (items, last) = scan.fetch(segment, start).await?;
                    let next = last.map(Some);
                    Ok(Some((
                        stream::iter(items.into_iter().map(Ok)),
                        (next, scan),
                    )))
                },
            )
            .try_flatten()
            .boxed()
        });
        let all = stream::select_all(segments);
        match limit {
            Some(n) => all.take(n).boxed(),
            None => all.boxed(),
        }
    }

    /// Every item (up to [`limit`](Self::limit)), collected.
    pub async fn all(self) -> Result<Vec<T>>
    where
        T: 't,
    {
        self.stream().try_collect().await
    }
}
