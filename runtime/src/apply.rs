//! Bringing a live table in line with its schema: [`Table::plan`] compares what
//! DynamoDB describes with the [`TableDefinition`], and
//! [`Table::apply`] makes the changes — creating the table if it is absent, adding
//! missing GSIs one `UpdateTable` at a time (waiting for each to be `ACTIVE`, as
//! DynamoDB requires), and updating TTL, point-in-time recovery, the stream and
//! deletion protection. Nothing is deleted (an index, backups, a stream) unless the
//! caller allows destructive changes; what cannot be changed in place (the table's
//! key, its local secondary indexes) is reported, never attempted.
//!
//! ```no_run
//! # async fn demo(table: dynaschema::Table) -> dynaschema::Result<()> {
//! let plan = table.plan().await?;
//! for change in &plan.changes {
//!     println!("{change}");
//! }
//! let applied = table.apply(&plan, false).await?;
//! assert!(applied.skipped.iter().all(|c| c.is_destructive() || !c.is_possible()));
//! # Ok(()) }
//! ```
//!
//! The CLI's `dynaschema apply --endpoint URL --table NAME [--dry-run]
//! [--allow-destructive]` runs exactly this.

use std::collections::BTreeSet;
use std::fmt;

use aws_sdk_dynamodb::error::ProvideErrorMetadata as _;
use aws_sdk_dynamodb::types::{
    GlobalSecondaryIndexUpdate, KeySchemaElement, KeyType, TableDescription, TimeToLiveStatus,
};
use tracing::Instrument as _;

use crate::definition::{
    Billing, IndexDefinition, IndexKind, StreamView, TableClass, TableDefinition,
    attribute_definition, global_secondary_index, index_key_schema, key_schema,
    local_secondary_index, projection, stream_specification, throughput,
};
use crate::error::{Result, from_sdk};
use crate::table::Table;

/// One difference between the live table and its definition, and what fixes it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// The table does not exist: `CreateTable` (with its GSIs, LSIs, stream, TTL, PITR).
    CreateTable,
    /// A declared GSI is missing: `UpdateTable` creating it.
    AddIndex {
        /// The index.
        index: &'static str,
    },
    /// The table has a GSI the schema does not declare. Destructive.
    RemoveIndex {
        /// The index.
        index: String,
    },
    /// A GSI's key or projection differs from the schema: delete and re-create it.
    /// Destructive (queries on it fail until it is back-filled).
    ReplaceIndex {
        /// The index.
        index: &'static str,
        /// What differs.
        reason: String,
    },
    /// Turn TTL on for the declared attribute (off first for another attribute).
    EnableTtl {
        /// The declared attribute.
        attribute: &'static str,
        /// The attribute TTL is on for now, if any.
        previous: Option<String>,
    },
    /// The table has TTL on an attribute the schema does not declare: turn it off.
    DisableTtl {
        /// The attribute.
        attribute: String,
    },
    /// Turn point-in-time recovery on.
    EnablePointInTimeRecovery,
    /// Turn point-in-time recovery off. Destructive: the continuous backups go.
    DisablePointInTimeRecovery,
    /// Turn the stream on with the declared view (off first when another view is
    /// on: destructive then, consumers must move to the new stream).
    EnableStream {
        /// The declared view.
        view: StreamView,
        /// The view on now, if any.
        previous: Option<StreamView>,
    },
    /// Turn the stream off. Destructive: its consumers lose it.
    DisableStream,
    /// Turn deletion protection on or off.
    DeletionProtection {
        /// Whether it is to be on.
        enabled: bool,
    },
    /// A difference no API call can fix (the table's key, a local secondary index):
    /// the table must be re-created and its items copied.
    Incompatible {
        /// What differs.
        what: String,
    },
}

impl Change {
    /// Whether the change loses something: an index, backups, a stream.
    pub fn is_destructive(&self) -> bool {
        matches!(
            self,
            Change::RemoveIndex { .. }
                | Change::ReplaceIndex { .. }
                | Change::DisablePointInTimeRecovery
                | Change::DisableStream
                | Change::EnableStream {
                    previous: Some(_),
                    ..
                }
        )
    }

    /// Whether an API call can make it.
    pub fn is_possible(&self) -> bool {
        !matches!(self, Change::Incompatible { .. })
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::CreateTable => f.write_str("create the table"),
            Change::AddIndex { index } => write!(f, "add GSI `{index}`"),
            Change::RemoveIndex { index } => {
                write!(f, "delete GSI `{index}` (the schema does not declare it)")
            }
            Change::ReplaceIndex { index, reason } => {
                write!(f, "replace GSI `{index}` ({reason})")
            }
            Change::EnableTtl {
                attribute,
                previous: None,
            } => write!(f, "turn TTL on, attribute `{attribute}`"),
            Change::EnableTtl {
                attribute,
                previous: Some(previous),
            } => write!(f, "move TTL from attribute `{previous}` to `{attribute}`"),
            Change::DisableTtl { attribute } => {
                write!(
                    f,
                    "turn TTL off (on `{attribute}`, which the schema does not declare)"
                )
            }
            Change::EnablePointInTimeRecovery => f.write_str("turn point-in-time recovery on"),
            Change::DisablePointInTimeRecovery => {
                f.write_str("turn point-in-time recovery off (its backups are deleted)")
            }
            Change::EnableStream {
                view,
                previous: None,
            } => write!(f, "turn the stream on, {}", view.code()),
            Change::EnableStream {
                view,
                previous: Some(previous),
            } => write!(
                f,
                "change the stream from {} to {} (a new stream; consumers must move)",
                previous.code(),
                view.code()
            ),
            Change::DisableStream => f.write_str("turn the stream off"),
            Change::DeletionProtection { enabled: true } => {
                f.write_str("turn deletion protection on")
            }
            Change::DeletionProtection { enabled: false } => {
                f.write_str("turn deletion protection off")
            }
            Change::Incompatible { what } => write!(
                f,
                "cannot change in place: {what} (re-create the table and copy its items)"
            ),
        }
    }
}

/// What [`Table::plan`] found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Plan {
    /// The physical table the plan was made for: [`Table::apply`] refuses it for
    /// another table.
    pub table: String,
    /// The schema (table definition) the plan was made from.
    pub schema: String,
    /// The changes, in the order [`Table::apply`] makes them.
    pub changes: Vec<Change>,
    /// Settings the server cannot report or change (DynamoDB Local has no
    /// point-in-time recovery); empty on DynamoDB itself.
    pub unsupported: Vec<&'static str>,
}

impl Plan {
    /// Whether the table already is as declared.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// What [`Table::apply`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Applied {
    /// The changes made, in order.
    pub done: Vec<Change>,
    /// The changes not made: destructive ones not allowed, and impossible ones.
    pub skipped: Vec<Change>,
    /// Declared settings the server does not implement.
    pub unsupported: Vec<&'static str>,
}

type Keys = Vec<(String, KeyType)>;

fn declared_keys(partition: &[&str], sort: &[&str]) -> Keys {
    partition
        .iter()
        .map(|a| ((*a).to_owned(), KeyType::Hash))
        .chain(sort.iter().map(|a| ((*a).to_owned(), KeyType::Range)))
        .collect()
}

fn index_keys(index: &IndexDefinition) -> Keys {
    fn names(attributes: &[crate::definition::KeyAttribute]) -> Vec<&str> {
        attributes.iter().map(|a| &*a.name).collect()
    }
    declared_keys(&names(&index.partition_key), &names(&index.sort_key))
}

fn live_keys(schema: &[KeySchemaElement]) -> Keys {
    schema
        .iter()
        .map(|k| (k.attribute_name().to_owned(), k.key_type().clone()))
        .collect()
}

fn show(keys: &Keys) -> String {
    let names: Vec<&str> = keys.iter().map(|(n, _)| n.as_str()).collect();
    names.join(", ")
}

/// Why a live index differs from its definition, if it does.
fn index_difference(
    index: &IndexDefinition,
    keys: &Keys,
    projection: Option<&aws_sdk_dynamodb::types::Projection>,
    live_types: &[(String, String)],
) -> Option<String> {
    let declared = index_keys(index);
    if declared != *keys {
        return Some(format!(
            "key ({}) is declared as ({})",
            show(keys),
            show(&declared)
        ));
    }
    for attribute in index.key_attributes() {
        let declared = attribute.kind.code();
        if let Some((_, live)) = live_types.iter().find(|(n, _)| *n == attribute.name)
            && live != declared
        {
            return Some(format!(
                "key attribute `{}` is of type {live}, declared {declared}",
                attribute.name,
            ));
        }
    }
    let live_type = projection
        .and_then(|p| p.projection_type())
        .map(|t| t.as_str())
        .unwrap_or("ALL");
    let live_names: BTreeSet<&str> = projection
        .map(|p| p.non_key_attributes().iter().map(String::as_str).collect())
        .unwrap_or_default();
    let declared_type = index.projection.code();
    let declared_names: BTreeSet<&str> = match &index.projection {
        crate::definition::Projection::Include(names) => names.iter().map(|n| &**n).collect(),
        _ => BTreeSet::new(),
    };
    if live_type != declared_type || live_names != declared_names {
        return Some(format!(
            "projection {live_type} {live_names:?} is declared as {declared_type} {declared_names:?}"
        ));
    }
    None
}

impl Table {
    /// Compares the live table with the definition: the changes [`apply`](Self::apply)
    /// would make. Reads only (`DescribeTable`, `DescribeTimeToLive`,
    /// `DescribeContinuousBackups`).
    pub async fn plan(&self) -> Result<Plan> {
        let def = self.definition();
        let mut plan = Plan {
            table: self.name().to_owned(),
            schema: def.name.to_string(),
            ..Plan::default()
        };
        let described = self
            .client()
            .describe_table()
            .table_name(self.name())
            .send()
            .await;
        let table = match described {
            Ok(output) => output
                .table
                .unwrap_or_else(|| TableDescription::builder().build()),
            Err(e) if e.code() == Some("ResourceNotFoundException") => {
                plan.changes.push(Change::CreateTable);
                return Ok(plan);
            }
            Err(e) => return Err(from_sdk("DescribeTable", &def.name, e)),
        };
        self.plan_keys(def, &table, &mut plan);
        self.plan_ttl(def, &mut plan).await?;
        self.plan_pitr(def, &mut plan).await?;
        let live_view = table
            .stream_specification()
            .filter(|s| s.stream_enabled())
            .and_then(|s| s.stream_view_type())
            .map(|v| {
                use aws_sdk_dynamodb::types::StreamViewType as V;
                match v {
                    V::KeysOnly => StreamView::KeysOnly,
                    V::NewImage => StreamView::NewImage,
                    V::OldImage => StreamView::OldImage,
                    _ => StreamView::NewAndOldImages,
                }
            });
        match (live_view, def.options.stream) {
            (live, Some(view)) if live != Some(view) => plan.changes.push(Change::EnableStream {
                view,
                previous: live,
            }),
            (Some(_), None) => plan.changes.push(Change::DisableStream),
            _ => {}
        }
        let protected = table.deletion_protection_enabled().unwrap_or(false);
        if protected != def.options.deletion_protection {
            plan.changes.push(Change::DeletionProtection {
                enabled: def.options.deletion_protection,
            });
        }
        Ok(plan)
    }

    /// The table's key, its GSIs and LSIs.
    fn plan_keys(&self, def: &'static TableDefinition, table: &TableDescription, plan: &mut Plan) {
        let declared = declared_keys(&[&def.partition_key], def.sort_key.as_deref().as_slice());
        let live = live_keys(table.key_schema());
        if declared != live {
            plan.changes.push(Change::Incompatible {
                what: format!(
                    "the table's key is ({}), the schema declares ({})",
                    show(&live),
                    show(&declared)
                ),
            });
        }
        let live_types: Vec<(String, String)> = table
            .attribute_definitions()
            .iter()
            .map(|a| {
                (
                    a.attribute_name().to_owned(),
                    a.attribute_type().as_str().to_owned(),
                )
            })
            .collect();
        let gsis = table.global_secondary_indexes();
        let lsis = table.local_secondary_indexes();
        let mut removals = Vec::new();
        let mut additions = Vec::new();
        for index in def.indexes.iter() {
            if index.kind == IndexKind::Local {
                let live = lsis
                    .iter()
                    .find(|l| l.index_name() == Some(&index.name))
                    .map(|l| (live_keys(l.key_schema()), l.projection()));
                let difference = match live {
                    None => Some("it is missing".to_owned()),
                    Some((keys, projection)) => {
                        index_difference(index, &keys, projection, &live_types)
                    }
                };
                if let Some(difference) = difference {
                    plan.changes.push(Change::Incompatible {
                        what: format!("local secondary index `{}`: {difference}", index.name),
                    });
                }
                continue;
            }
            let live = gsis
                .iter()
                .find(|g| g.index_name() == Some(&index.name))
                .map(|g| (live_keys(g.key_schema()), g.projection()));
            match live {
                None => additions.push(Change::AddIndex { index: &index.name }),
                Some((keys, projection)) => {
                    if let Some(reason) = index_difference(index, &keys, projection, &live_types) {
                        removals.push(Change::ReplaceIndex {
                            index: &index.name,
                            reason,
                        });
                    }
                }
            }
        }
        for gsi in gsis {
            let name = gsi.index_name().unwrap_or_default();
            if def.index(name).is_none() {
                removals.push(Change::RemoveIndex {
                    index: name.to_owned(),
                });
            }
        }
        for lsi in lsis {
            let name = lsi.index_name().unwrap_or_default();
            if def.index(name).is_none() {
                plan.changes.push(Change::Incompatible {
                    what: format!("local secondary index `{name}` is not declared"),
                });
            }
        }
        // Deletions first: a replaced index is deleted before it is created again.
        plan.changes.extend(removals);
        plan.changes.extend(additions);
    }

    async fn plan_ttl(&self, def: &'static TableDefinition, plan: &mut Plan) -> Result<()> {
        let described = self
            .client()
            .describe_time_to_live()
            .table_name(self.name())
            .send()
            .await
            .map_err(|e| from_sdk("DescribeTimeToLive", &def.name, e))?;
        let live = described.time_to_live_description().and_then(|d| {
            matches!(
                d.time_to_live_status(),
                Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)
            )
            .then(|| d.attribute_name().unwrap_or_default().to_owned())
        });
        match (live, def.options.ttl_attribute.as_deref()) {
            (live, Some(attribute)) if live.as_deref() != Some(attribute) => {
                plan.changes.push(Change::EnableTtl {
                    attribute,
                    previous: live,
                });
            }
            (Some(attribute), None) => plan.changes.push(Change::DisableTtl { attribute }),
            _ => {}
        }
        Ok(())
    }

    async fn plan_pitr(&self, def: &'static TableDefinition, plan: &mut Plan) -> Result<()> {
        let described = self
            .client()
            .describe_continuous_backups()
            .table_name(self.name())
            .send()
            .await;
        let enabled = match described {
            Ok(output) => output
                .continuous_backups_description()
                .and_then(|d| d.point_in_time_recovery_description())
                .and_then(|p| p.point_in_time_recovery_status())
                .is_some_and(|s| s.as_str() == "ENABLED"),
            Err(e) if e.code() == Some("UnknownOperationException") => {
                if def.options.point_in_time_recovery {
                    plan.unsupported.push("point_in_time_recovery");
                }
                return Ok(());
            }
            Err(e) => return Err(from_sdk("DescribeContinuousBackups", &def.name, e)),
        };
        match (enabled, def.options.point_in_time_recovery) {
            (false, true) => plan.changes.push(Change::EnablePointInTimeRecovery),
            (true, false) => plan.changes.push(Change::DisablePointInTimeRecovery),
            _ => {}
        }
        Ok(())
    }

    /// Makes the changes of `plan` (from [`plan`](Self::plan)) in order, each
    /// waiting until DynamoDB reports the table and its indexes `ACTIVE`. Destructive
    /// changes are made only with `allow_destructive`; the others are
    /// [skipped](Applied::skipped), as are impossible ones.
    ///
    /// A plan made for another table or schema is refused
    /// ([`Error::InvalidPlan`](crate::Error::InvalidPlan)) before anything is sent,
    /// as is one naming an index the definition does not have.
    pub async fn apply(&self, plan: &Plan, allow_destructive: bool) -> Result<Applied> {
        let def = self.definition();
        if plan.table != self.name() || plan.schema != def.name {
            return Err(crate::Error::InvalidPlan {
                reason: format!(
                    "the plan was made for table `{}` of schema `{}`, not `{}` of `{}`",
                    plan.table,
                    plan.schema,
                    self.name(),
                    def.name
                ),
            });
        }
        for change in &plan.changes {
            if let Change::AddIndex { index } | Change::ReplaceIndex { index, .. } = change
                && def.index(index).is_none()
            {
                return Err(crate::Error::InvalidPlan {
                    reason: format!("index `{index}` is not in the schema `{}`", def.name),
                });
            }
        }
        let mut applied = Applied {
            unsupported: plan.unsupported.clone(),
            ..Applied::default()
        };
        for change in &plan.changes {
            if !change.is_possible() || (change.is_destructive() && !allow_destructive) {
                applied.skipped.push(change.clone());
                continue;
            }
            match change {
                Change::CreateTable => {
                    let created = self.create_table().await?;
                    applied.unsupported.extend(created.unsupported);
                }
                Change::AddIndex { index } => self.create_index(def, index).await?,
                Change::RemoveIndex { index } => self.delete_index(def, index).await?,
                Change::ReplaceIndex { index, .. } => {
                    self.delete_index(def, index).await?;
                    self.create_index(def, index).await?;
                }
                Change::EnableTtl {
                    attribute,
                    previous,
                } => {
                    if let Some(previous) = previous {
                        self.set_ttl(def, previous, false).await?;
                    }
                    self.set_ttl(def, attribute, true).await?;
                }
                Change::DisableTtl { attribute } => self.set_ttl(def, attribute, false).await?,
                Change::EnablePointInTimeRecovery | Change::DisablePointInTimeRecovery => {
                    let enabled = matches!(change, Change::EnablePointInTimeRecovery);
                    if !self.set_pitr(def, enabled).await? {
                        applied.unsupported.push("point_in_time_recovery");
                        continue;
                    }
                }
                Change::EnableStream { view, previous } => {
                    if previous.is_some() {
                        self.disable_stream(def).await?;
                    }
                    self.update_table(def, |r| r.stream_specification(stream_specification(*view)))
                        .await?;
                }
                Change::DisableStream => self.disable_stream(def).await?,
                Change::DeletionProtection { enabled } => {
                    self.update_table(def, |r| r.deletion_protection_enabled(*enabled))
                        .await?;
                }
                // Never possible: skipped above.
                Change::Incompatible { .. } => continue,
            }
            applied.done.push(change.clone());
        }
        Ok(applied)
    }

    /// One `UpdateTable`, then waits for `ACTIVE`.
    async fn update_table(
        &self,
        def: &'static TableDefinition,
        request: impl FnOnce(
            aws_sdk_dynamodb::operation::update_table::builders::UpdateTableFluentBuilder,
        )
            -> aws_sdk_dynamodb::operation::update_table::builders::UpdateTableFluentBuilder,
    ) -> Result<()> {
        request(self.client().update_table().table_name(self.name()))
            .send()
            .await
            .map_err(|e| from_sdk("UpdateTable", &def.name, e))?;
        self.wait_until_active().await
    }

    async fn create_index(&self, def: &'static TableDefinition, name: &str) -> Result<()> {
        let index = def.index(name).ok_or_else(|| crate::Error::InvalidPlan {
            reason: format!("index `{name}` is not in the schema `{}`", def.name),
        })?;
        let create = aws_sdk_dynamodb::types::CreateGlobalSecondaryIndexAction::builder()
            .index_name(index.name.as_ref())
            .set_key_schema(Some(index_key_schema(index)))
            .projection(projection(&index.projection))
            .set_provisioned_throughput(index.capacity.map(throughput))
            .build()
            .expect("name, key schema and projection are set");
        let attributes = index
            .key_attributes()
            .map(|a| attribute_definition(&a.name, a.kind))
            .collect();
        self.update_table(def, |r| {
            r.set_attribute_definitions(Some(attributes))
                .global_secondary_index_updates(
                    GlobalSecondaryIndexUpdate::builder().create(create).build(),
                )
        })
        .await
    }

    async fn delete_index(&self, def: &'static TableDefinition, name: &str) -> Result<()> {
        let delete = aws_sdk_dynamodb::types::DeleteGlobalSecondaryIndexAction::builder()
            .index_name(name)
            .build()
            .expect("name is set");
        self.client()
            .update_table()
            .table_name(self.name())
            .global_secondary_index_updates(
                GlobalSecondaryIndexUpdate::builder().delete(delete).build(),
            )
            .send()
            .await
            .map_err(|e| from_sdk("UpdateTable", &def.name, e))?;
        // Until the index is gone, another index update is refused.
        let mut delay = std::time::Duration::from_millis(20);
        let started = std::time::Instant::now();
        loop {
            let described = self
                .client()
                .describe_table()
                .table_name(self.name())
                .send()
                .await
                .map_err(|e| from_sdk("DescribeTable", &def.name, e))?;
            let present = described.table().is_some_and(|t| {
                t.global_secondary_indexes()
                    .iter()
                    .any(|g| g.index_name() == Some(name))
            });
            if !present {
                return self.wait_until_active().await;
            }
            self.check_deadline(started, || format!("index `{name}` to be deleted"))?;
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(std::time::Duration::from_secs(5));
        }
    }

    async fn disable_stream(&self, def: &'static TableDefinition) -> Result<()> {
        let off = aws_sdk_dynamodb::types::StreamSpecification::builder()
            .stream_enabled(false)
            .build()
            .expect("enabled is set");
        self.update_table(def, |r| r.stream_specification(off))
            .await
    }

    pub(crate) async fn set_ttl(
        &self,
        def: &'static TableDefinition,
        attribute: &str,
        enabled: bool,
    ) -> Result<()> {
        self.client()
            .update_time_to_live()
            .table_name(self.name())
            .time_to_live_specification(
                aws_sdk_dynamodb::types::TimeToLiveSpecification::builder()
                    .enabled(enabled)
                    .attribute_name(attribute)
                    .build()
                    .expect("enabled and attribute are set"),
            )
            .send()
            .await
            .map_err(|e| from_sdk("UpdateTimeToLive", &def.name, e))?;
        Ok(())
    }

    /// Turns point-in-time recovery on or off; `false` when the server does not
    /// implement it (DynamoDB Local), which is logged, not an error.
    pub(crate) async fn set_pitr(
        &self,
        def: &'static TableDefinition,
        enabled: bool,
    ) -> Result<bool> {
        let result = self
            .client()
            .update_continuous_backups()
            .table_name(self.name())
            .point_in_time_recovery_specification(
                aws_sdk_dynamodb::types::PointInTimeRecoverySpecification::builder()
                    .point_in_time_recovery_enabled(enabled)
                    .build()
                    .expect("enabled is set"),
            )
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e) if e.code() == Some("UnknownOperationException") => {
                tracing::warn!(table = %self.name(), "the server does not implement UpdateContinuousBackups: point-in-time recovery is unchanged");
                Ok(false)
            }
            Err(e) => Err(from_sdk("UpdateContinuousBackups", &def.name, e)),
        }
    }
}

/// What [`Table::create_table`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CreatedTable {
    /// Declared settings the server does not implement (e.g. `point_in_time_recovery`
    /// on DynamoDB Local); empty on DynamoDB itself.
    pub unsupported: Vec<&'static str>,
}

impl Table {
    /// Creates the table as the definition says — key schema, GSIs, billing,
    /// stream, deletion protection, table class, tags — waits until DynamoDB reports
    /// it `ACTIVE`, then turns on TTL and point-in-time recovery if declared.
    /// Replicas of a global table are not created here.
    ///
    /// A setting the server does not implement at all (DynamoDB Local has no
    /// point-in-time recovery) is listed in [`CreatedTable::unsupported`], not an error.
    pub async fn create_table(&self) -> Result<CreatedTable> {
        let def = self.definition;
        let options = &def.options;
        let mut request = self
            .client
            .create_table()
            .table_name(self.name.as_ref())
            .set_key_schema(Some(key_schema(
                [&*def.partition_key],
                def.sort_key.as_deref(),
            )));
        request = match options.billing {
            Billing::OnDemand => {
                request.billing_mode(aws_sdk_dynamodb::types::BillingMode::PayPerRequest)
            }
            Billing::Provisioned(capacity) => request
                .billing_mode(aws_sdk_dynamodb::types::BillingMode::Provisioned)
                .provisioned_throughput(throughput(capacity)),
        };
        if let Some(view) = options.stream {
            request = request.stream_specification(stream_specification(view));
        }
        if options.deletion_protection {
            request = request.deletion_protection_enabled(true);
        }
        if options.table_class == TableClass::StandardInfrequentAccess {
            request =
                request.table_class(aws_sdk_dynamodb::types::TableClass::StandardInfrequentAccess);
        }
        for (key, value) in options.tags.iter() {
            request = request.tags(
                aws_sdk_dynamodb::types::Tag::builder()
                    .key(key.as_ref())
                    .value(value.as_ref())
                    .build()
                    .expect("key and value are set"),
            );
        }
        for (name, kind) in def.attribute_definitions() {
            request = request.attribute_definitions(attribute_definition(name, kind));
        }
        for index in def.indexes.iter() {
            request = match index.kind {
                IndexKind::Local => request.local_secondary_indexes(local_secondary_index(index)),
                IndexKind::Global => {
                    request.global_secondary_indexes(global_secondary_index(index))
                }
            };
        }
        request
            .send()
            .instrument(tracing::debug_span!("dynaschema.create_table", table = %self.name))
            .await
            .map_err(|e| from_sdk("CreateTable", &def.name, e))?;
        self.wait_until_active().await?;
        if let Some(attribute) = options.ttl_attribute.as_deref() {
            self.set_ttl(def, attribute, true).await?;
        }
        let mut created = CreatedTable {
            unsupported: Vec::new(),
        };
        if options.point_in_time_recovery && !self.set_pitr(def, true).await? {
            created.unsupported.push("point_in_time_recovery");
        }
        Ok(created)
    }

    pub(crate) async fn wait_until_active(&self) -> Result<()> {
        use aws_sdk_dynamodb::types::TableStatus;
        let mut delay = std::time::Duration::from_millis(20);
        let started = std::time::Instant::now();
        loop {
            let described = self
                .client
                .describe_table()
                .table_name(self.name.as_ref())
                .send()
                .await
                .map_err(|e| from_sdk("DescribeTable", &self.definition.name, e))?;
            let table = described.table();
            let table_active = table.and_then(|t| t.table_status()) == Some(&TableStatus::Active);
            let indexes_active = table
                .map(|t| t.global_secondary_indexes())
                .unwrap_or_default()
                .iter()
                .all(|i| i.index_status() == Some(&aws_sdk_dynamodb::types::IndexStatus::Active));
            if table_active && indexes_active {
                return Ok(());
            }
            self.check_deadline(started, || {
                let status = table
                    .and_then(|t| t.table_status())
                    .map_or("unknown", |s| s.as_str());
                let pending: Vec<String> = table
                    .map(|t| t.global_secondary_indexes())
                    .unwrap_or_default()
                    .iter()
                    .filter(|i| {
                        i.index_status() != Some(&aws_sdk_dynamodb::types::IndexStatus::Active)
                    })
                    .map(|i| format!("`{}`", i.index_name().unwrap_or_default()))
                    .collect();
                let indexes = if pending.is_empty() {
                    String::new()
                } else {
                    format!("; indexes not yet ACTIVE: {}", pending.join(", "))
                };
                format!("the table to be ACTIVE (it is {status}{indexes})")
            })?;
            // Local servers are active at once; real DynamoDB takes seconds.
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(std::time::Duration::from_secs(2));
        }
    }
}
