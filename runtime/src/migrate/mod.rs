//! Bringing stored items in line with the schema: [`Table::migrate`] rewrites every
//! item of an entity to what the current schema derives from its fields (index key
//! attributes, the primary key, the schema version), and [`Table::verify`] reports
//! the items that differ.
//!
//! A schema change that `dynaschema diff` classes as *needs-backfill* (an index
//! template added or changed) or *needs-rekey* (a primary template changed) leaves
//! items written before it without what the schema now derives. Only the
//! application knows its entity types, so the migration runs from its code, e.g. a
//! `migrate` binary run by the deploy pipeline after `dynaschema apply`:
//!
//! ```no_run
//! # use dynaschema::Entity;
//! # #[derive(Entity, Clone, Debug, PartialEq)]
//! # #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
//! # pub struct User { pub user_id: String, pub email: String, pub name: String }
//! # async fn demo(table: &dynaschema::Table) -> dynaschema::Result<()> {
//! let report = table
//!     .migrate::<User>()
//!     .segments(4)
//!     .checkpoint("migrate-user.checkpoint")
//!     .max_write_units(200.0)
//!     .await?;
//! println!("{report}");
//! assert_eq!(table.verify::<User>().await?.drifted.len(), 0);
//! # Ok(()) }
//! ```
//!
//! How each item is rewritten:
//! - It is read with a consistent parallel scan (one segment per task), decoded as
//!   `E` and encoded again; attributes of the stored item that the schema does not
//!   derive are kept, except index key attributes (an index the entity no longer
//!   fills must lose them).
//! - An item whose primary key is unchanged is put back with a condition that it is
//!   unchanged since it was read (its version and write token for versioned
//!   entities, every attribute otherwise); one whose primary key changed moves, in one
//!   transaction deleting it at the old key (same condition) and putting it where no
//!   item is yet. A write that finds the item changed re-reads it and tries again: a
//!   concurrent write is never lost, and the conflict is counted.
//! - Writes and reads can be held to a capacity budget (consumed capacity units per
//!   second, as DynamoDB reports them); throttled requests back off and retry.
//! - With a checkpoint file, each segment's position is saved after every page, so
//!   a killed run continues where it stopped; a finished one returns at once. Every
//!   step is idempotent: running a migration again finds nothing to change.
//!
//! While a migration runs, items not yet rewritten are missing from new indexes
//! (backfill) or still at their old key (re-key): patterns on them see the old
//! state until the run finishes and `verify` reports nothing.

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::{AttributeValue, ReturnConsumedCapacity};

use crate::attribute::Item;
use crate::entity::Entity;
use crate::error::{Error, Result, from_sdk};
use crate::rekey::{
    Written, as_written, consistent_get, derive, drop_stale_copy, key_of, move_stored, unchanged,
    units, with_backoff, write_with_backoff,
};
use crate::request::BoxFuture;
use crate::table::Table;

mod all;
mod checkpoint;
mod progress;

pub use all::{MigrateAll, MigrationReports};

use checkpoint::Checkpoint;

/// How a migration went: see [`Table::migrate`].
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct MigrationReport {
    /// Items of the entity read.
    pub scanned: u64,
    /// Items of any entity the scan went through (DynamoDB's `ScannedCount`).
    pub examined: u64,
    /// Items already as the schema derives them.
    pub unchanged: u64,
    /// Items rewritten in place (or that would be, in a dry run).
    pub rewritten: u64,
    /// Items moved to a new primary key (or that would be, in a dry run).
    pub moved: u64,
    /// Items found at their old key whose new key already held them (written there
    /// since the schema changed): the stale copy at the old key was deleted.
    pub superseded: u64,
    /// Writes that found the item changed since it was read; each was read again
    /// and retried.
    pub conflicts: u64,
    /// Items that could not be read as the entity, with their primary key and why.
    pub failed: Vec<(Item, String)>,
    /// Read capacity units consumed.
    pub read_units: f64,
    /// Write capacity units consumed.
    pub write_units: f64,
    /// Whether this run only counted (nothing was written).
    pub dry_run: bool,
    /// Whether a checkpoint said the migration had finished before (nothing was read).
    pub already_done: bool,
    /// How long it ran.
    pub elapsed: Duration,
}

impl fmt::Display for MigrationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.already_done {
            return write!(f, "already done (the checkpoint says so): nothing read");
        }
        let verb = if self.dry_run {
            "would rewrite"
        } else {
            "rewrote"
        };
        write!(
            f,
            "scanned {}, {verb} {}, moved {}, superseded {}, unchanged {}, conflicts {}, failed {} in {:.1?} ({:.1} RCU, {:.1} WCU)",
            self.scanned,
            self.rewritten,
            self.moved,
            self.superseded,
            self.unchanged,
            self.conflicts,
            self.failed.len(),
            self.elapsed,
            self.read_units,
            self.write_units,
        )
    }
}

/// Progress of a running migration, given to [`Migration::on_progress`] after every
/// page; its `Display` is one log line.
///
/// ```
/// # use dynaschema::migrate::Progress;
/// # fn log(progress: &Progress) {
/// if let Some(eta) = progress.eta() {
///     println!("{progress} (done in about {}s)", eta.as_secs());
/// }
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Progress {
    /// The entity migrated.
    pub entity: &'static str,
    /// Items of the entity read so far.
    pub scanned: u64,
    /// Items of any entity the scan has gone through so far (DynamoDB's
    /// `ScannedCount`): the measure of how far the scan is.
    pub examined: u64,
    /// The table's item count when the run started, as `DescribeTable` reported it
    /// (DynamoDB updates it about every six hours, so it is an estimate).
    pub table_items: Option<u64>,
    /// Items rewritten or moved so far.
    pub written: u64,
    /// Conflicts so far.
    pub conflicts: u64,
    /// Segments finished, of `segments`.
    pub segments_done: u32,
    /// Segments in all.
    pub segments: u32,
    /// Time since the run started.
    pub elapsed: Duration,
}

impl Progress {
    /// How far the scan is, from 0 to 1: items examined of the table's item count
    /// (1 once every segment is done). `None` without an item count.
    pub fn fraction(&self) -> Option<f64> {
        if self.segments_done >= self.segments {
            return Some(1.0);
        }
        let total = self.table_items.filter(|&n| n > 0)?;
        Some((self.examined as f64 / total as f64).min(1.0))
    }

    /// Items examined per second so far.
    pub fn rate(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.examined as f64 / seconds
        } else {
            0.0
        }
    }

    /// The time left at the rate so far, if the fraction is known.
    pub fn eta(&self) -> Option<Duration> {
        let fraction = self.fraction()?;
        if fraction >= 1.0 {
            return Some(Duration::ZERO);
        }
        if fraction <= 0.0 {
            return None;
        }
        let left = self.elapsed.as_secs_f64() * (1.0 - fraction) / fraction;
        Duration::try_from_secs_f64(left).ok()
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: examined {}", self.entity, self.examined)?;
        match (self.table_items, self.fraction()) {
            (Some(total), Some(fraction)) => {
                write!(f, " of ~{total} items ({:.0}%)", fraction * 100.0)?
            }
            _ => write!(f, " items")?,
        }
        write!(
            f,
            ", {} {}, {} written, {} conflicts, {:.0} items/s",
            self.scanned,
            self.entity,
            self.written,
            self.conflicts,
            self.rate()
        )?;
        match self.eta() {
            Some(eta) if self.segments_done < self.segments => {
                write!(f, ", ETA {}s", eta.as_secs())
            }
            _ if self.segments_done >= self.segments => write!(f, ", done"),
            _ => Ok(()),
        }
    }
}

type ProgressFn<'t> = Arc<dyn Fn(&Progress) + Send + Sync + 't>;

/// How a migration runs: the settings of [`Migration`] and [`MigrateAll`].
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) segments: u32,
    pub(crate) page_size: Option<i32>,
    pub(crate) dry_run: bool,
    pub(crate) checkpoint: Option<PathBuf>,
    pub(crate) max_write_units: Option<f64>,
    pub(crate) max_read_units: Option<f64>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            segments: 1,
            page_size: None,
            dry_run: false,
            checkpoint: None,
            max_write_units: None,
            max_read_units: None,
        }
    }
}

/// A migration of the items of `E`: built by [`Table::migrate`], run by `.await`.
#[must_use = "a migration does nothing until it is awaited"]
pub struct Migration<'t, E> {
    table: &'t Table,
    options: Options,
    progress: Option<ProgressFn<'t>>,
    entity: PhantomData<fn() -> E>,
}

/// Items whose stored attributes differ from what the schema derives: see
/// [`Table::verify`].
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct VerifyReport {
    /// Items of the entity read.
    pub scanned: u64,
    /// Each differing item's primary key and the attributes that differ (missing,
    /// stale or left over).
    pub drifted: Vec<(Item, Vec<String>)>,
    /// Items that could not be read as the entity, with their primary key and why.
    pub failed: Vec<(Item, String)>,
}

impl Table {
    /// A migration of every item of `E` to what the current schema derives: see
    /// the [module docs](crate::migrate).
    pub fn migrate<E: Entity>(&self) -> Migration<'_, E> {
        Migration {
            table: self,
            options: Options::default(),
            progress: None,
            entity: PhantomData,
        }
    }

    /// Every item of `E` whose stored attributes differ from what the schema
    /// derives from its fields: 0 after a finished migration. Reads only.
    ///
    /// ```no_run
    /// # use dynaschema::Entity;
    /// # #[derive(Entity, Clone, Debug, PartialEq)]
    /// # #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
    /// # pub struct User { pub user_id: String, pub email: String, pub name: String }
    /// # async fn demo(table: &dynaschema::Table) -> dynaschema::Result<()> {
    /// let report = table.verify::<User>().await?;
    /// assert!(report.drifted.is_empty(), "{} users to migrate", report.drifted.len());
    /// # Ok(()) }
    /// ```
    pub async fn verify<E: Entity>(&self) -> Result<VerifyReport> {
        let mut report = VerifyReport::default();
        let mut start = None;
        loop {
            let page = scan_page::<E>(self, 0, 1, None, start.take()).await?;
            for stored in page.items {
                report.scanned += 1;
                match derive::<E>(self, &stored) {
                    Ok(wanted) if wanted == stored => {}
                    Ok(wanted) => {
                        let mut differs: Vec<String> = wanted
                            .iter()
                            .filter(|(k, v)| stored.get(*k) != Some(v))
                            .map(|(k, _)| k.clone())
                            .chain(stored.keys().filter(|k| !wanted.contains_key(*k)).cloned())
                            .collect();
                        differs.sort();
                        report.drifted.push((key_of(self, &stored), differs));
                    }
                    Err(reason) => report.failed.push((key_of(self, &stored), reason)),
                }
            }
            match page.next {
                Some(next) => start = Some(next),
                None => return Ok(report),
            }
        }
    }
}

impl<'t, E: Entity> Migration<'t, E> {
    /// Scans with `n` parallel segments (default 1), one task each.
    pub fn segments(mut self, n: u32) -> Self {
        self.options.segments = n.max(1);
        self
    }

    /// Reads at most `n` items per scan page (DynamoDB's `Limit`): a checkpoint is
    /// saved after every page.
    pub fn page_size(mut self, n: u32) -> Self {
        self.options.page_size = Some(i32::try_from(n.max(1)).unwrap_or(i32::MAX));
        self
    }

    /// Counts what would change without writing anything.
    pub fn dry_run(mut self) -> Self {
        self.options.dry_run = true;
        self
    }

    /// Saves each segment's position to `path` after every page and, when `path`
    /// exists, continues from it (a finished migration's checkpoint makes the run
    /// return at once). Delete the file to run the migration again from the start.
    pub fn checkpoint(mut self, path: impl Into<PathBuf>) -> Self {
        self.options.checkpoint = Some(path.into());
        self
    }

    /// Holds writes to `units` write capacity units per second, as DynamoDB reports
    /// them consumed.
    pub fn max_write_units(mut self, units: f64) -> Self {
        self.options.max_write_units = Some(units);
        self
    }

    /// Holds reads to `units` read capacity units per second.
    pub fn max_read_units(mut self, units: f64) -> Self {
        self.options.max_read_units = Some(units);
        self
    }

    /// Calls `f` after every page with the progress so far (for a progress bar or
    /// log lines; `tracing` events are emitted either way).
    pub fn on_progress(mut self, f: impl Fn(&Progress) + Send + Sync + 't) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// Shows progress on standard error: a progress bar when it is a terminal and
    /// the `progress` feature (indicatif) is on, otherwise a [`Progress`] line every
    /// 5 seconds and one at the end, as a deploy pipeline's log wants them.
    pub fn show_progress(self) -> Self {
        let display = progress::Display::new();
        self.on_progress(move |p| display.update(p))
    }

    async fn run(self) -> Result<MigrationReport> {
        let started = Instant::now();
        let table_items = table_items(self.table).await;
        let checkpoint = match &self.options.checkpoint {
            Some(path) => Checkpoint::load(path, self.table, E::NAME, self.options.segments)
                .map_err(|reason| Error::Migration {
                    entity: E::NAME,
                    reason,
                })?,
            None => Checkpoint::fresh(self.options.segments),
        };
        if checkpoint.positions.iter().all(|p| p.done)
            && self.options.checkpoint.is_some()
            && checkpoint.loaded
        {
            return Ok(MigrationReport {
                already_done: true,
                ..MigrationReport::default()
            });
        }
        let state = Shared {
            report: Mutex::new(MigrationReport {
                dry_run: self.options.dry_run,
                ..MigrationReport::default()
            }),
            checkpoint: Mutex::new(checkpoint),
            table_items,
            writes: self
                .options
                .max_write_units
                .map(|r| Mutex::new(Budget::new(r))),
            reads: self
                .options
                .max_read_units
                .map(|r| Mutex::new(Budget::new(r))),
            started,
        };
        let segments = (0..self.options.segments).map(|segment| self.segment(segment, &state));
        futures::future::try_join_all(segments).await?;
        let mut report = state.report.into_inner().unwrap_or_else(|e| e.into_inner());
        report.elapsed = started.elapsed();
        tracing::info!(table = %self.table.name(), entity = E::NAME, %report, "migration finished");
        Ok(report)
    }

    async fn segment(&self, segment: u32, state: &Shared) -> Result<()> {
        let mut start = {
            let checkpoint = state.checkpoint.lock().unwrap_or_else(|e| e.into_inner());
            let position = &checkpoint.positions[segment as usize];
            if position.done {
                return Ok(());
            }
            position.start.clone()
        };
        loop {
            let page = with_backoff(|| {
                scan_page::<E>(
                    self.table,
                    segment,
                    self.options.segments,
                    self.options.page_size,
                    start.clone(),
                )
            })
            .await?;
            state.spend(&state.reads, page.read_units).await;
            let mut done = PageCounts {
                read_units: page.read_units,
                examined: page.examined,
                ..PageCounts::default()
            };
            for stored in page.items {
                self.item(stored, &mut done, state).await?;
            }
            let finished = page.next.is_none();
            let progress = {
                let mut report = state.report.lock().unwrap_or_else(|e| e.into_inner());
                done.add_to(&mut report);
                let mut checkpoint = state.checkpoint.lock().unwrap_or_else(|e| e.into_inner());
                let position = &mut checkpoint.positions[segment as usize];
                position.start = page.next.clone();
                position.done = finished;
                if let Some(path) = &self.options.checkpoint {
                    checkpoint
                        .save(path, self.table, E::NAME)
                        .map_err(|reason| Error::Migration {
                            entity: E::NAME,
                            reason,
                        })?;
                }
                Progress {
                    entity: E::NAME,
                    scanned: report.scanned,
                    examined: report.examined,
                    table_items: state.table_items,
                    written: report.rewritten + report.moved,
                    conflicts: report.conflicts,
                    segments_done: checkpoint.positions.iter().filter(|p| p.done).count() as u32,
                    segments: self.options.segments,
                    elapsed: state.started.elapsed(),
                }
            };
            tracing::debug!(
                table = %self.table.name(),
                entity = E::NAME,
                segment,
                scanned = progress.scanned,
                written = progress.written,
                conflicts = progress.conflicts,
                "migration page"
            );
            if let Some(f) = &self.progress {
                f(&progress);
            }
            match page.next {
                Some(next) => start = Some(next),
                None => return Ok(()),
            }
        }
    }

    /// Brings one stored item in line, re-reading and retrying when a concurrent
    /// write got there first.
    async fn item(&self, mut stored: Item, counts: &mut PageCounts, state: &Shared) -> Result<()> {
        counts.scanned += 1;
        for _attempt in 0..32 {
            let wanted = match derive::<E>(self.table, &stored) {
                Ok(wanted) => wanted,
                Err(reason) => {
                    counts.failed.push((key_of(self.table, &stored), reason));
                    return Ok(());
                }
            };
            if wanted == stored {
                counts.unchanged += 1;
                return Ok(());
            }
            let wanted_key = key_of(self.table, &wanted);
            let moves = wanted_key != key_of(self.table, &stored);
            if self.options.dry_run {
                *if moves {
                    &mut counts.moved
                } else {
                    &mut counts.rewritten
                } += 1;
                return Ok(());
            }
            let written = if moves {
                move_stored::<E>(self.table, &stored, wanted).await
            } else {
                self.rewrite(&stored, wanted).await
            };
            match written {
                Ok(units) => {
                    counts.write_units += units;
                    state.spend(&state.writes, units).await;
                    *if moves {
                        &mut counts.moved
                    } else {
                        &mut counts.rewritten
                    } += 1;
                    return Ok(());
                }
                Err(Written::Conflict) => {
                    counts.conflicts += 1;
                    match self.read(&stored).await? {
                        Some(current) => stored = current,
                        // Deleted meanwhile: nothing left to migrate.
                        None => return Ok(()),
                    }
                }
                Err(Written::Taken) => {
                    match drop_stale_copy::<E>(self.table, &stored, &wanted_key).await {
                        Ok(Some(units)) => {
                            counts.write_units += units;
                            state.spend(&state.writes, units).await;
                            counts.superseded += 1;
                            return Ok(());
                        }
                        Ok(None) => {
                            counts.failed.push((
                                key_of(self.table, &stored),
                                "its new key holds an item of another entity".to_owned(),
                            ));
                            return Ok(());
                        }
                        // Changed since read (a delete never reports its key taken).
                        Err(Written::Conflict | Written::Taken) => {
                            counts.conflicts += 1;
                            match self.read(&stored).await? {
                                Some(current) => stored = current,
                                None => return Ok(()),
                            }
                        }
                        Err(Written::Failed(e)) => return Err(e),
                    }
                }
                Err(Written::Failed(e)) => return Err(e),
            }
        }
        Err(Error::Migration {
            entity: E::NAME,
            reason: "an item kept changing under 32 attempts to rewrite it".into(),
        })
    }

    /// A consistent read of the item at `stored`'s key, as stored now.
    async fn read(&self, stored: &Item) -> Result<Option<Item>> {
        consistent_get::<E>(self.table, &key_of(self.table, stored)).await
    }

    async fn rewrite(&self, stored: &Item, wanted: Item) -> std::result::Result<f64, Written> {
        let condition = unchanged::<E>(self.table, stored).map_err(Written::Failed)?;
        write_with_backoff(|| async {
            let output = self
                .table
                .client()
                .put_item()
                .table_name(self.table.name())
                .set_item(Some(wanted.clone()))
                .condition_expression(&condition.expression)
                .set_expression_attribute_names(Some(condition.names.clone()))
                .set_expression_attribute_values(Some(condition.values.clone()))
                .return_consumed_capacity(ReturnConsumedCapacity::Total)
                .send()
                .await
                .map_err(|e| as_written(from_sdk("PutItem", E::NAME, e)))?;
            Ok(units(output.consumed_capacity()))
        })
        .await
    }
}

/// The table's item count as `DescribeTable` reports it, for progress; `None` if it
/// cannot be read (progress then has no fraction).
async fn table_items(table: &Table) -> Option<u64> {
    let described = table
        .client()
        .describe_table()
        .table_name(table.name())
        .send()
        .await
        .ok()?;
    described
        .table()?
        .item_count()
        .and_then(|n| u64::try_from(n).ok())
}

impl<'t, E: Entity> IntoFuture for Migration<'t, E> {
    type Output = Result<MigrationReport>;
    type IntoFuture = BoxFuture<'t, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

/// Counts of one page, added to the report under one lock.
#[derive(Default)]
struct PageCounts {
    scanned: u64,
    examined: u64,
    unchanged: u64,
    rewritten: u64,
    moved: u64,
    superseded: u64,
    conflicts: u64,
    failed: Vec<(Item, String)>,
    read_units: f64,
    write_units: f64,
}

impl PageCounts {
    fn add_to(self, report: &mut MigrationReport) {
        report.scanned += self.scanned;
        report.examined += self.examined;
        report.unchanged += self.unchanged;
        report.rewritten += self.rewritten;
        report.moved += self.moved;
        report.superseded += self.superseded;
        report.conflicts += self.conflicts;
        report.failed.extend(self.failed);
        report.read_units += self.read_units;
        report.write_units += self.write_units;
    }
}

struct Shared {
    report: Mutex<MigrationReport>,
    checkpoint: Mutex<Checkpoint>,
    table_items: Option<u64>,
    writes: Option<Mutex<Budget>>,
    reads: Option<Mutex<Budget>>,
    started: Instant,
}

impl Shared {
    /// Debits `units` from `budget` and waits until it is back in credit.
    async fn spend(&self, budget: &Option<Mutex<Budget>>, units: f64) {
        let Some(budget) = budget else { return };
        let wait = budget
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .debit(units, Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

/// A token bucket of capacity units: `rate` units a second, at most one second's
/// worth saved up. Pure (the caller gives the time), so it is tested with a
/// controlled clock.
#[derive(Debug, Clone)]
pub(crate) struct Budget {
    rate: f64,
    tokens: f64,
    last: Option<Instant>,
}

impl Budget {
    pub(crate) fn new(rate: f64) -> Self {
        let rate = if rate.is_finite() && rate > 0.0 {
            rate
        } else {
            f64::MAX
        };
        Self {
            rate,
            tokens: rate,
            last: None,
        }
    }

    /// Takes `units` at `now`; returns how long to wait before the next request so
    /// that the rate holds.
    pub(crate) fn debit(&mut self, units: f64, now: Instant) -> Duration {
        if let Some(last) = self.last {
            let refill = now.saturating_duration_since(last).as_secs_f64() * self.rate;
            self.tokens = (self.tokens + refill).min(self.rate);
        }
        self.last = Some(now);
        self.tokens -= units.max(0.0);
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.rate)
        }
    }
}

struct Page {
    items: Vec<Item>,
    examined: u64,
    next: Option<Item>,
    read_units: f64,
}

/// One consistent scan page of `E`'s items in `segment` of `segments`.
async fn scan_page<E: Entity>(
    table: &Table,
    segment: u32,
    segments: u32,
    limit: Option<i32>,
    start: Option<Item>,
) -> Result<Page> {
    let definition = table.definition();
    let mut request = table
        .client()
        .scan()
        .table_name(table.name())
        .filter_expression("#dynaschema_et = :dynaschema_et")
        .expression_attribute_names("#dynaschema_et", &*definition.entity_attribute)
        .expression_attribute_values(":dynaschema_et", AttributeValue::S(E::NAME.to_owned()))
        .consistent_read(true)
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .set_limit(limit)
        .set_exclusive_start_key(start);
    if segments > 1 {
        request = request
            .total_segments(i32::try_from(segments).unwrap_or(i32::MAX))
            .segment(i32::try_from(segment).unwrap_or(i32::MAX));
    }
    let output = request
        .send()
        .await
        .map_err(|e| from_sdk("Scan", E::NAME, e))?;
    Ok(Page {
        examined: u64::try_from(output.scanned_count()).unwrap_or_default(),
        read_units: units(output.consumed_capacity()),
        next: output.last_evaluated_key.filter(|k| !k.is_empty()),
        items: output.items.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_holds_the_rate_on_a_controlled_clock() {
        let t0 = Instant::now();
        let mut budget = Budget::new(10.0);
        // A second's worth is available at once.
        assert_eq!(budget.debit(10.0, t0), Duration::ZERO);
        // Then 5 more units must wait half a second.
        assert_eq!(budget.debit(5.0, t0), Duration::from_millis(500));
        // After that half second (and 0.5 s more), the debt is repaid and 5 more are free.
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(budget.debit(5.0, t1), Duration::ZERO);
        // Idle time saves up at most one second's worth.
        let t2 = t1 + Duration::from_secs(60);
        assert_eq!(budget.debit(10.0, t2), Duration::ZERO);
        assert_eq!(budget.debit(1.0, t2), Duration::from_millis(100));
        // Over 100 simulated seconds at 2 units a request, 500 requests fit.
        let mut budget = Budget::new(10.0);
        let mut now = t0;
        let mut requests = 0;
        while now < t0 + Duration::from_secs(100) {
            now += budget.debit(2.0, now);
            requests += 1;
        }
        assert!((500..=506).contains(&requests), "{requests}");
    }

    #[test]
    fn a_nonsense_rate_means_no_limit() {
        let t0 = Instant::now();
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let mut budget = Budget::new(rate);
            assert_eq!(budget.debit(1e9, t0), Duration::ZERO, "{rate}");
        }
    }
}
