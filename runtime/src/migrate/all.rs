//! [`MigrateAll`]: every entity of a schema migrated in turn, as a deploy step.

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;
use std::path::PathBuf;
use std::sync::Arc;

use super::{Migration, MigrationReport, Options, Progress, ProgressFn, progress};
use crate::entity::Entity;
use crate::error::Result;
use crate::request::BoxFuture;
use crate::table::Table;

type Runner = for<'a> fn(
    &'a Table,
    Options,
    Option<ProgressFn<'a>>,
) -> BoxFuture<'a, Result<MigrationReport>>;

fn run<'a, E: Entity>(
    table: &'a Table,
    options: Options,
    progress: Option<ProgressFn<'a>>,
) -> BoxFuture<'a, Result<MigrationReport>> {
    Box::pin(
        Migration::<E> {
            table,
            options,
            progress,
            entity: PhantomData,
        }
        .run(),
    )
}

/// A migration of several entities, one after another with the same settings: the
/// generated `Table::migrate_all()` lists every entity of the schema. `.await` it
/// for each entity's [`MigrationReport`].
///
/// This is the deploy step after `dynaschema apply`: a binary of the application
/// (only it has the entity types) that runs it, typically
///
/// ```no_run
/// # use dynaschema::Entity;
/// # #[derive(Entity, Clone, Debug, PartialEq)]
/// # #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
/// # pub struct User { pub user_id: String, pub email: String, pub name: String }
/// # async fn demo(table: &dynaschema::Table) -> dynaschema::Result<()> {
/// use dynaschema::migrate::MigrateAll;
///
/// // `shop::Table::migrate_all()` is this with every entity of the schema.
/// let reports = MigrateAll::new(table)
///     .entity::<User>()
///     .segments(4)
///     .checkpoint_dir("migration")
///     .max_write_units(500.0)
///     .show_progress()
///     .await?;
/// print!("{reports}");
/// assert!(reports.is_clean());
/// # Ok(()) }
/// ```
#[must_use = "a migration does nothing until it is awaited"]
pub struct MigrateAll<'t> {
    table: &'t Table,
    entities: Vec<(&'static str, Runner)>,
    options: Options,
    checkpoint_dir: Option<PathBuf>,
    progress: Option<ProgressFn<'t>>,
}

/// Each entity's report of a [`MigrateAll`], in the order they ran.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MigrationReports(pub Vec<(&'static str, MigrationReport)>);

impl MigrationReports {
    /// Whether no item failed to be read as its entity (the table is in line with
    /// the schema once a migration that wrote is clean).
    pub fn is_clean(&self) -> bool {
        self.0.iter().all(|(_, r)| r.failed.is_empty())
    }
}

impl fmt::Display for MigrationReports {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (entity, report) in &self.0 {
            writeln!(f, "{entity}: {report}")?;
        }
        Ok(())
    }
}

impl<'t> MigrateAll<'t> {
    /// A migration of no entity yet on `table`: add them with [`entity`](Self::entity).
    pub fn new(table: &'t Table) -> Self {
        Self {
            table,
            entities: Vec::new(),
            options: Options::default(),
            checkpoint_dir: None,
            progress: None,
        }
    }

    /// Adds `E` (migrated after those added before).
    pub fn entity<E: Entity>(mut self) -> Self {
        self.entities.push((E::NAME, run::<E>));
        self
    }

    /// See [`Migration::segments`].
    pub fn segments(mut self, n: u32) -> Self {
        self.options.segments = n.max(1);
        self
    }

    /// See [`Migration::page_size`].
    pub fn page_size(mut self, n: u32) -> Self {
        self.options.page_size = Some(i32::try_from(n.max(1)).unwrap_or(i32::MAX));
        self
    }

    /// See [`Migration::dry_run`].
    pub fn dry_run(mut self) -> Self {
        self.options.dry_run = true;
        self
    }

    /// Keeps one checkpoint per entity in `dir` (created if missing), named
    /// `TABLE.ENTITY.checkpoint`: a killed run continues where it stopped, and
    /// entities already finished return at once. See [`Migration::checkpoint`].
    pub fn checkpoint_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.checkpoint_dir = Some(dir.into());
        self
    }

    /// See [`Migration::max_write_units`]; the budget holds for each entity's run.
    pub fn max_write_units(mut self, units: f64) -> Self {
        self.options.max_write_units = Some(units);
        self
    }

    /// See [`Migration::max_read_units`].
    pub fn max_read_units(mut self, units: f64) -> Self {
        self.options.max_read_units = Some(units);
        self
    }

    /// See [`Migration::on_progress`]; [`Progress::entity`] says which entity.
    pub fn on_progress(mut self, f: impl Fn(&Progress) + Send + Sync + 't) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// See [`Migration::show_progress`]: one bar (or series of lines) per entity.
    pub fn show_progress(self) -> Self {
        let current = std::sync::Mutex::new(None::<(&'static str, progress::Display)>);
        self.on_progress(move |p| {
            let mut current = current.lock().unwrap_or_else(|e| e.into_inner());
            if current
                .as_ref()
                .is_none_or(|(entity, _)| *entity != p.entity)
            {
                *current = Some((p.entity, progress::Display::new()));
            }
            if let Some((_, display)) = current.as_ref() {
                display.update(p);
            }
        })
    }

    async fn run(self) -> Result<MigrationReports> {
        if let Some(dir) = &self.checkpoint_dir {
            std::fs::create_dir_all(dir).map_err(|e| crate::error::Error::Migration {
                entity: self.entities.first().map_or("", |(name, _)| name),
                reason: format!("checkpoint directory {}: {e}", dir.display()),
            })?;
        }
        let mut reports = Vec::with_capacity(self.entities.len());
        for (entity, runner) in &self.entities {
            let mut options = self.options.clone();
            options.checkpoint = self
                .checkpoint_dir
                .as_ref()
                .map(|dir| dir.join(format!("{}.{entity}.checkpoint", self.table.name())));
            let report = runner(self.table, options, self.progress.clone()).await?;
            reports.push((*entity, report));
        }
        Ok(MigrationReports(reports))
    }
}

impl<'t> IntoFuture for MigrateAll<'t> {
    type Output = Result<MigrationReports>;
    type IntoFuture = BoxFuture<'t, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
