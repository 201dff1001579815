//! [`Table`]: a DynamoDB table described by a schema, and the single-item operations.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::ProvideErrorMetadata as _;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, GlobalSecondaryIndex, KeySchemaElement, KeyType,
    Projection as SdkProjection, ProjectionType,
};
use tracing::Instrument as _;

use crate::attribute::Item;
use crate::entity::Entity;
use crate::error::{Result, from_sdk};
use crate::expr::Condition;
use crate::key::Key;
use crate::native_key::KeyAttribute;
use aws_sdk_dynamodb::types::AttributeValue;

/// What [`Table::create_table`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CreatedTable {
    /// Declared settings the server does not implement (e.g. `point_in_time_recovery`
    /// on DynamoDB Local); empty on DynamoDB itself.
    pub unsupported: Vec<&'static str>,
}

/// A table as the schema declares it: key attributes, discriminator, indexes.
///
/// The build step generates one as `DEFINITION` in the schema's module; it is the
/// source for [`Table::create_table`] and for the attribute names every request uses.
///
/// ```
/// use dynaschema::{IndexDefinition, Projection, TableDefinition, TableOptions};
/// use dynaschema::native_key::KeyAttribute;
///
/// static APP: TableDefinition = TableDefinition {
///     name: "App",
///     partition_key: "pk",
///     sort_key: Some("sk"),
///     entity_attribute: "_et",
///     indexes: &[IndexDefinition {
///         name: "gsi1",
///         partition_key: &[KeyAttribute::string("gsi1pk")],
///         sort_key: &[KeyAttribute::string("gsi1sk")],
///         projection: Projection::All,
///         capacity: None,
///         local: false,
///     }],
///     entities: &["User", "Order"],
///     options: TableOptions::DEFAULT,
/// };
/// assert_eq!(APP.index("gsi1").unwrap().partition_key[0].name, "gsi1pk");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDefinition {
    /// The logical name in the schema (the physical name is given at runtime).
    pub name: &'static str,
    /// The table's partition key attribute.
    pub partition_key: &'static str,
    /// The table's sort key attribute, if it has one.
    pub sort_key: Option<&'static str>,
    /// The attribute holding each item's entity name.
    pub entity_attribute: &'static str,
    /// The global secondary indexes.
    pub indexes: &'static [IndexDefinition],
    /// The names of the schema's entities.
    pub entities: &'static [&'static str],
    /// TTL, streams, backups, billing and the rest.
    pub options: TableOptions,
}

/// A table's settings beyond its keys, as the schema declares them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableOptions {
    /// The attribute holding each item's expiry time (epoch seconds).
    pub ttl_attribute: Option<&'static str>,
    /// The stream of item changes, if enabled.
    pub stream: Option<StreamView>,
    /// Continuous backups with point-in-time recovery.
    pub point_in_time_recovery: bool,
    /// Billing mode.
    pub billing: Billing,
    /// Deletion protection.
    pub deletion_protection: bool,
    /// Table class.
    pub table_class: TableClass,
    /// Tags.
    pub tags: &'static [(&'static str, &'static str)],
    /// Regions of global-table replicas (not created by [`Table::create_table`]:
    /// replicas are infrastructure, made by the CLI's table definitions).
    pub replicas: &'static [&'static str],
}

impl TableOptions {
    /// On-demand billing and nothing else.
    pub const DEFAULT: Self = Self {
        ttl_attribute: None,
        stream: None,
        point_in_time_recovery: false,
        billing: Billing::OnDemand,
        deletion_protection: false,
        table_class: TableClass::Standard,
        tags: &[],
        replicas: &[],
    };
}

/// What each stream record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamView {
    /// The key attributes only.
    KeysOnly,
    /// The item after the change.
    NewImage,
    /// The item before the change.
    OldImage,
    /// Both.
    NewAndOldImages,
}

impl StreamView {
    pub(crate) fn sdk(self) -> aws_sdk_dynamodb::types::StreamViewType {
        use aws_sdk_dynamodb::types::StreamViewType;
        match self {
            StreamView::KeysOnly => StreamViewType::KeysOnly,
            StreamView::NewImage => StreamViewType::NewImage,
            StreamView::OldImage => StreamViewType::OldImage,
            StreamView::NewAndOldImages => StreamViewType::NewAndOldImages,
        }
    }

    /// A stream of this view, enabled.
    pub(crate) fn specification(self) -> aws_sdk_dynamodb::types::StreamSpecification {
        aws_sdk_dynamodb::types::StreamSpecification::builder()
            .stream_enabled(true)
            .stream_view_type(self.sdk())
            .build()
            .expect("enabled is set")
    }
}

/// How a table is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    /// On-demand, per request.
    OnDemand,
    /// Provisioned capacity of the table (each GSI declares its own).
    Provisioned(Capacity),
}

/// Provisioned read and write capacity units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    /// Read capacity units.
    pub read: u64,
    /// Write capacity units.
    pub write: u64,
}

/// The table class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableClass {
    /// DynamoDB Standard.
    Standard,
    /// DynamoDB Standard-Infrequent Access.
    StandardInfrequentAccess,
}

pub(crate) fn throughput(capacity: Capacity) -> aws_sdk_dynamodb::types::ProvisionedThroughput {
    let units = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    aws_sdk_dynamodb::types::ProvisionedThroughput::builder()
        .read_capacity_units(units(capacity.read))
        .write_capacity_units(units(capacity.write))
        .build()
        .expect("both units are set")
}

/// A global secondary index of a [`TableDefinition`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDefinition {
    /// The index name, as DynamoDB knows it.
    pub name: &'static str,
    /// The index's partition key attributes: one string attribute for a template
    /// key, up to four typed attributes for a [multi-attribute key](crate::native_key).
    pub partition_key: &'static [KeyAttribute],
    /// The index's sort key attributes: none, one string attribute for a template
    /// key, or up to four typed attributes.
    pub sort_key: &'static [KeyAttribute],
    /// Which attributes the index holds.
    pub projection: Projection,
    /// Provisioned capacity (GSIs of provisioned tables).
    pub capacity: Option<Capacity>,
    /// A local secondary index (the table's partition key, created with the table).
    pub local: bool,
}

/// Which attributes an index holds besides its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Projection {
    /// Every attribute.
    All,
    /// Only the table's and the index's key attributes.
    KeysOnly,
    /// The keys plus the named attributes.
    Include(&'static [&'static str]),
}

impl IndexDefinition {
    /// The key schema: partition attributes as `HASH`, sort attributes as `RANGE`.
    pub(crate) fn key_schema(&self) -> Vec<KeySchemaElement> {
        key_schema(
            self.partition_key.iter().map(|a| a.name),
            self.sort_key.iter().map(|a| a.name),
        )
    }

    pub(crate) fn sdk_projection(&self) -> SdkProjection {
        let projection = match self.projection {
            Projection::All => SdkProjection::builder().projection_type(ProjectionType::All),
            Projection::KeysOnly => {
                SdkProjection::builder().projection_type(ProjectionType::KeysOnly)
            }
            Projection::Include(names) => names.iter().fold(
                SdkProjection::builder().projection_type(ProjectionType::Include),
                |p, n| p.non_key_attributes(*n),
            ),
        };
        projection.build()
    }

    /// The index as `CreateTable` and `UpdateTable` declare a GSI.
    pub(crate) fn global_secondary_index(&self) -> GlobalSecondaryIndex {
        GlobalSecondaryIndex::builder()
            .index_name(self.name)
            .set_key_schema(Some(self.key_schema()))
            .projection(self.sdk_projection())
            .set_provisioned_throughput(self.capacity.map(throughput))
            .build()
            .expect("name, key schema and projection are set")
    }
}

pub(crate) fn attribute_definition(attribute: KeyAttribute) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(attribute.name)
        .attribute_type(attribute.kind.sdk())
        .build()
        .expect("name and type are set")
}

impl TableDefinition {
    /// The index called `name`.
    pub fn index(&self, name: &str) -> Option<&IndexDefinition> {
        self.indexes.iter().find(|i| i.name == name)
    }
}

fn key_schema<'a>(
    partition: impl IntoIterator<Item = &'a str>,
    sort: impl IntoIterator<Item = &'a str>,
) -> Vec<KeySchemaElement> {
    let element = |name: &str, key_type| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(key_type)
            .build()
            .expect("name and key type are set")
    };
    partition
        .into_iter()
        .map(|p| element(p, KeyType::Hash))
        .chain(sort.into_iter().map(|s| element(s, KeyType::Range)))
        .collect()
}

/// A DynamoDB table of a schema: the SDK client, the physical table name and the
/// schema's [`TableDefinition`].
///
/// The generated table handle (e.g. `app::Table`) wraps one and dereferences to it,
/// so [`get`](Self::get), [`put`](Self::put) and [`delete`](Self::delete) are
/// available there next to the access patterns. Cloning is cheap.
///
/// ```no_run
/// # async fn demo(client: dynaschema::aws_sdk_dynamodb::Client, definition: &'static dynaschema::TableDefinition) -> dynaschema::Result<()> {
/// let table = dynaschema::Table::new(client, "prod-app", definition);
/// table.create_table().await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Table {
    client: Client,
    name: Arc<str>,
    definition: &'static TableDefinition,
    cursor_key: Option<Arc<[u8]>>,
    wait_timeout: std::time::Duration,
}

/// How long [`Table::create_table`] and [`Table::apply`] wait for the table and its
/// indexes to become `ACTIVE` (or an index to be deleted) unless
/// [`Table::with_wait_timeout`] says otherwise: long enough for DynamoDB to build a
/// GSI over a sizeable table, short enough that a stuck deploy fails.
pub const DEFAULT_WAIT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30 * 60);

impl Table {
    /// A handle on the physical table `name`, laid out as `definition` says.
    pub fn new(
        client: Client,
        name: impl Into<String>,
        definition: &'static TableDefinition,
    ) -> Self {
        Self {
            client,
            name: Arc::from(name.into()),
            definition,
            cursor_key: None,
            wait_timeout: DEFAULT_WAIT_TIMEOUT,
        }
    }

    /// How long table administration ([`create_table`](Self::create_table),
    /// [`apply`](Self::apply)) waits for DynamoDB to report the table and its
    /// indexes `ACTIVE`, or a deleted index gone, before it returns
    /// [`Error::Timeout`](crate::Error::Timeout). Default:
    /// [`DEFAULT_WAIT_TIMEOUT`] (30 minutes).
    ///
    /// ```no_run
    /// # fn demo(table: dynaschema::Table) {
    /// let table = table.with_wait_timeout(std::time::Duration::from_secs(120));
    /// # }
    /// ```
    pub fn with_wait_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.wait_timeout = timeout;
        self
    }

    /// `Err(Timeout)` once the wait that began at `started` is over its deadline.
    pub(crate) fn check_deadline(
        &self,
        started: std::time::Instant,
        waiting_for: impl FnOnce() -> String,
    ) -> Result<()> {
        if started.elapsed() >= self.wait_timeout {
            return Err(crate::Error::Timeout {
                table: self.name.to_string(),
                waiting_for: waiting_for(),
                waited: started.elapsed(),
            });
        }
        Ok(())
    }

    /// Signs every pagination cursor this table hands out with `key` (HMAC-SHA256),
    /// bound to the query that produced it (pattern, condition, parameters), and
    /// accepts back only cursors it signed for the same query: a tampered, forged or
    /// foreign cursor is [`Error::InvalidCursor`](crate::Error::InvalidCursor). Use a
    /// secret of 32 random bytes, the same across the application's instances.
    ///
    /// ```no_run
    /// # fn demo(table: dynaschema::Table, secret: &[u8]) {
    /// let table = table.with_cursor_key(secret);
    /// # }
    /// ```
    pub fn with_cursor_key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.cursor_key = Some(Arc::from(key.as_ref()));
        self
    }

    /// The key cursors are signed with, if any.
    pub(crate) fn cursor_key(&self) -> Option<&[u8]> {
        self.cursor_key.as_deref()
    }

    /// The SDK client, for anything dynaschema does not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The physical table name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The schema's description of the table.
    pub fn definition(&self) -> &'static TableDefinition {
        self.definition
    }

    /// Creates the table as the definition says — key schema, GSIs, billing,
    /// stream, deletion protection, table class, tags — waits until DynamoDB reports
    /// it `ACTIVE`, then turns on TTL and point-in-time recovery if declared.
    /// Replicas of a global table are not created here.
    ///
    /// A setting the server does not implement at all (DynamoDB Local has no
    /// point-in-time recovery) is listed in [`CreatedTable::unsupported`], not an error.
    pub async fn create_table(&self) -> Result<CreatedTable> {
        let def = self.definition;
        let mut attributes: Vec<KeyAttribute> = vec![KeyAttribute::string(def.partition_key)];
        attributes.extend(def.sort_key.map(KeyAttribute::string));
        for index in def.indexes {
            attributes.extend(index.partition_key);
            attributes.extend(index.sort_key);
        }
        attributes.sort_unstable_by_key(|a| a.name);
        attributes.dedup_by_key(|a| a.name);
        let options = &def.options;
        let mut request = self
            .client
            .create_table()
            .table_name(self.name.as_ref())
            .set_key_schema(Some(key_schema([def.partition_key], def.sort_key)));
        request = match options.billing {
            Billing::OnDemand => {
                request.billing_mode(aws_sdk_dynamodb::types::BillingMode::PayPerRequest)
            }
            Billing::Provisioned(capacity) => request
                .billing_mode(aws_sdk_dynamodb::types::BillingMode::Provisioned)
                .provisioned_throughput(throughput(capacity)),
        };
        if let Some(view) = options.stream {
            request = request.stream_specification(view.specification());
        }
        if options.deletion_protection {
            request = request.deletion_protection_enabled(true);
        }
        if options.table_class == TableClass::StandardInfrequentAccess {
            request =
                request.table_class(aws_sdk_dynamodb::types::TableClass::StandardInfrequentAccess);
        }
        for (key, value) in options.tags {
            request = request.tags(
                aws_sdk_dynamodb::types::Tag::builder()
                    .key(*key)
                    .value(*value)
                    .build()
                    .expect("key and value are set"),
            );
        }
        for attribute in attributes {
            request = request.attribute_definitions(attribute_definition(attribute));
        }
        for index in def.indexes {
            if index.local {
                request = request.local_secondary_indexes(
                    aws_sdk_dynamodb::types::LocalSecondaryIndex::builder()
                        .index_name(index.name)
                        .set_key_schema(Some(index.key_schema()))
                        .projection(index.sdk_projection())
                        .build()
                        .expect("name, key schema and projection are set"),
                );
            } else {
                request = request.global_secondary_indexes(index.global_secondary_index());
            }
        }
        request
            .send()
            .instrument(tracing::debug_span!("dynaschema.create_table", table = %self.name))
            .await
            .map_err(|e| from_sdk("CreateTable", def.name, e))?;
        self.wait_until_active().await?;
        if let Some(attribute) = options.ttl_attribute {
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
                .map_err(|e| from_sdk("DescribeTable", self.definition.name, e))?;
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

    /// Reads one item by its primary key; `None` if there is none.
    ///
    /// An item stored under that key by another entity is a [`Error::Decode`](crate::Error::Decode), never
    /// a value of the wrong type.
    pub fn get<E: Entity>(&self, key: Key<E>) -> Get<'_, E> {
        Get {
            table: self,
            key,
            consistent: false,
            pattern: None,
        }
    }

    /// Writes `item`, replacing any item with the same primary key unless
    /// [`if_absent`](Put::if_absent) is called.
    pub fn put<'a, E: Entity>(&'a self, item: &'a E) -> Put<'a, E> {
        Put {
            table: self,
            item,
            if_absent: false,
            condition: None,
            moving: false,
        }
    }

    /// Reads the items of `E` at `keys` with `BatchGetItem`: see
    /// [`BatchGet`](crate::BatchGet).
    pub fn batch_get<E: Entity>(
        &self,
        keys: impl IntoIterator<Item = Key<E>>,
    ) -> crate::batch::BatchGet<'_, E> {
        crate::batch::BatchGet::new(self, keys.into_iter().collect())
    }

    /// Puts and deletes items of any entities with `BatchWriteItem`: see
    /// [`BatchWrite`](crate::BatchWrite).
    pub fn batch_write(&self) -> crate::batch::BatchWrite<'_> {
        crate::batch::BatchWrite::new(self)
    }

    /// Moves an item to a new primary key: one transaction deleting the item at
    /// `from` (it must exist as an `E`, at `item`'s version for a versioned entity) and
    /// putting `item` where no item is yet. This is how a primary key field changes:
    /// [`update`](Self::update) refuses it.
    ///
    /// ```no_run
    /// # use dynaschema::Entity;
    /// # #[derive(Entity, Clone, Debug, PartialEq)]
    /// # #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
    /// # pub struct User { pub user_id: String, pub email: String, pub name: String }
    /// # async fn demo(table: &dynaschema::Table, mut user: User) -> dynaschema::Result<()> {
    /// let old_key = user.primary_key();
    /// user.user_id = "u-renamed".into();
    /// table.move_item(old_key, &user).await?;
    /// # Ok(()) }
    /// ```
    pub fn move_item<'a, E: Entity>(
        &'a self,
        from: Key<E>,
        item: &'a E,
    ) -> crate::transaction::Transaction<'a> {
        let version = item.version();
        self.transaction()
            .delete_with(from, move |d| match version {
                Some(v) => d.if_exists().if_version(v),
                None => d.if_exists(),
            })
            .put_with(item, |p| p.moving())
    }

    /// A write transaction across entity types: see [`Transaction`](crate::Transaction).
    pub fn transaction(&self) -> crate::transaction::Transaction<'_> {
        crate::transaction::Transaction::new(self)
    }

    /// Updates the item of `E` at `key` with typed actions (see [`Update`](crate::update::Update));
    /// `.await` it for the item as stored after the update.
    pub fn update<E: Entity>(&self, key: Key<E>) -> crate::update::Update<'_, E> {
        crate::update::Update::new(self, key)
    }

    /// Deletes the item at `key` (a no-op if there is none, unless
    /// [`if_exists`](Delete::if_exists) is called).
    pub fn delete<E: Entity>(&self, key: Key<E>) -> Delete<'_, E> {
        Delete {
            table: self,
            key,
            if_exists: false,
            condition: None,
            version: None,
        }
    }
}

pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A `GetItem` request; `.await` it.
#[must_use = "a request does nothing until it is awaited"]
pub struct Get<'t, E> {
    table: &'t Table,
    key: Key<E>,
    consistent: bool,
    pattern: Option<&'static str>,
}

impl<E: Entity> Get<'_, E> {
    /// Reads with strong consistency (sees every write acknowledged before it).
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }

    /// Names the access pattern this read serves, for tracing.
    #[doc(hidden)]
    pub fn pattern(mut self, name: &'static str) -> Self {
        self.pattern = Some(name);
        self
    }

    async fn send(self) -> Result<Option<E>> {
        let key = self.key.to_attributes()?;
        if let Some(pattern) = self.pattern {
            crate::coverage::record(self.table.definition.name, pattern);
        }
        let span = tracing::debug_span!(
            "dynaschema.get",
            table = %self.table.name,
            entity = E::NAME,
            pattern = self.pattern.unwrap_or_default(),
            consumed_capacity = tracing::field::Empty,
        );
        let output = self
            .table
            .client
            .get_item()
            .table_name(self.table.name.as_ref())
            .set_key(Some(key))
            .consistent_read(self.consistent)
            .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total)
            .send()
            .instrument(span.clone())
            .await
            .map_err(|e| from_sdk("GetItem", E::NAME, e))?;
        record_capacity(&span, output.consumed_capacity());
        match output.item {
            Some(item) => Ok(Some(E::from_item(item)?)),
            None => self.previous(span).await,
        }
    }

    /// During a re-key (`previous_primary` in the schema), an item not yet at its
    /// new key is read at its previous one; and if it is at neither, at the new key
    /// again, since a migration may have moved it between the two reads (items only
    /// move from the previous key to the new one).
    async fn previous(self, span: tracing::Span) -> Result<Option<E>> {
        let Some(previous) = self.key.previous_attributes() else {
            return Ok(None);
        };
        let read = |key: Item| {
            self.table
                .client
                .get_item()
                .table_name(self.table.name.as_ref())
                .set_key(Some(key))
                .consistent_read(self.consistent)
                .send()
                .instrument(span.clone())
        };
        let output = read(previous?)
            .await
            .map_err(|e| from_sdk("GetItem", E::NAME, e))?;
        let entity_attribute = self.table.definition.entity_attribute;
        match output.item {
            // Another entity's item at the old key is not this one.
            Some(item)
                if item
                    .get(entity_attribute)
                    .and_then(|v| v.as_s().ok())
                    .map(String::as_str)
                    == Some(E::NAME) =>
            {
                return Ok(Some(E::from_item(item)?));
            }
            _ => {}
        }
        let output = read(self.key.to_attributes()?)
            .await
            .map_err(|e| from_sdk("GetItem", E::NAME, e))?;
        output
            .item
            .map(E::from_item)
            .transpose()
            .map_err(Into::into)
    }
}

impl<'t, E: Entity> IntoFuture for Get<'t, E> {
    type Output = Result<Option<E>>;
    type IntoFuture = BoxFuture<'t, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A `PutItem` request; `.await` it.
#[must_use = "a request does nothing until it is awaited"]
pub struct Put<'a, E> {
    table: &'a Table,
    item: &'a E,
    if_absent: bool,
    condition: Option<Condition<E>>,
    /// Writing a moved item: its version is bumped but not checked at the new key.
    moving: bool,
}

impl<E: Entity> Put<'_, E> {
    /// Writes only if no item has this primary key; otherwise the put fails with
    /// [`Error::ConditionalCheckFailed`](crate::Error::ConditionalCheckFailed) and the stored item is left as it was.
    pub fn if_absent(mut self) -> Self {
        self.if_absent = true;
        self
    }

    /// A put of an item moved to a new primary key (see [`Table::move_item`]).
    pub(crate) fn moving(mut self) -> Self {
        self.moving = true;
        self.if_absent = true;
        self
    }

    /// Writes only if `condition` holds on the stored item (an absent item has no
    /// attributes); otherwise fails with
    /// [`Error::ConditionalCheckFailed`](crate::Error::ConditionalCheckFailed)
    /// carrying the stored item.
    pub fn condition(mut self, condition: Condition<E>) -> Self {
        Condition::and_into(&mut self.condition, condition);
        self
    }

    /// The item to write (version bumped) and its condition, checked.
    pub(crate) fn prepare(self) -> Result<(Item, Option<Rendered>)> {
        // Fails with `Error::Key` for an unencodable key, before anything is sent.
        let mut item = self.item.to_item()?;
        let pk = self.table.definition.partition_key;
        let mut condition = self.condition;
        let mut and = |c: Condition<E>| Condition::and_into(&mut condition, c);
        if self.if_absent {
            and(Condition::attribute_not_exists(pk));
        }
        // Optimistic locking: version 0 is a new item; version v replaces version v
        // and stores v + 1.
        if let (Some(attribute), Some(version)) = (E::VERSION_ATTRIBUTE, self.item.version()) {
            if !self.moving {
                and(if version == 0 {
                    Condition::attribute_not_exists(pk)
                } else {
                    Condition::attribute_equals(attribute, AttributeValue::N(version.to_string()))
                });
            }
            item.insert(
                attribute.to_owned(),
                AttributeValue::N((version + 1).to_string()),
            );
            item.insert(
                E::WRITE_TOKEN_ATTRIBUTE.to_owned(),
                AttributeValue::S(crate::transaction::new_token()),
            );
        }
        // Maintained timestamps: `updated_at` is now; `created_at` is now unless the
        // item already says when it was created.
        if E::UPDATED_AT_ATTRIBUTE.is_some() || E::CREATED_AT_ATTRIBUTE.is_some() {
            let now = crate::attribute::now_value();
            if let Some(attribute) = E::UPDATED_AT_ATTRIBUTE {
                item.extend(now.clone().map(|v| (attribute.to_owned(), v)));
            }
            if let Some(attribute) = E::CREATED_AT_ATTRIBUTE
                && !item.contains_key(attribute)
            {
                item.extend(now.map(|v| (attribute.to_owned(), v)));
            }
        }
        crate::limits::check_item::<E>(&item)?;
        let condition = condition.map(|c| Rendered::condition(&c)).transpose()?;
        Ok((item, condition))
    }

    async fn send(self) -> Result<()> {
        let table = self.table;
        if E::REKEYING {
            crate::migrate::move_from_previous(table, &self.item.primary_key()).await?;
        }
        let (item, condition) = self.prepare()?;
        let span = tracing::debug_span!(
            "dynaschema.put",
            table = %table.name,
            entity = E::NAME,
            consumed_capacity = tracing::field::Empty,
        );
        let request = table
            .client
            .put_item()
            .table_name(table.name.as_ref())
            .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total);
        let Some(condition) = condition else {
            // Unconditional: no condition can fail against an earlier attempt of this
            // write, so neither the attempt count nor a copy of the item is needed
            // (together they cost a tenth of a local round trip; BENCHMARKS.md).
            let output = request
                .set_item(Some(item))
                .send()
                .instrument(span.clone())
                .await
                .map_err(|e| from_sdk("PutItem", E::NAME, e))?;
            record_capacity(&span, output.consumed_capacity());
            return Ok(());
        };
        let request = with_condition!(request.set_item(Some(item.clone())), condition);
        let attempts = Attempts::default();
        let result = request
            .customize()
            .interceptor(attempts.clone())
            .send()
            .instrument(span.clone())
            .await;
        match result {
            Ok(output) => {
                record_capacity(&span, output.consumed_capacity());
                Ok(())
            }
            Err(e) => {
                let old = e.as_service_error().and_then(|s| match s {
                    aws_sdk_dynamodb::operation::put_item::PutItemError::ConditionalCheckFailedException(c) => c.item().cloned(),
                    _ => None,
                });
                // A write the SDK retried (after a timeout or a 500) whose earlier
                // attempt landed finds its own item: the write happened, the condition
                // "failed" only against itself.
                let own = |old: &Item| match E::VERSION_ATTRIBUTE {
                    // A versioned write is recognised by its token.
                    Some(_) => {
                        old.get(E::WRITE_TOKEN_ATTRIBUTE) == item.get(E::WRITE_TOKEN_ATTRIBUTE)
                    }
                    None => *old == item,
                };
                if attempts.count() > 1 && old.as_ref().is_some_and(own) {
                    return Ok(());
                }
                Err(crate::error::with_old_item(
                    from_sdk("PutItem", E::NAME, e),
                    old,
                ))
            }
        }
    }
}

impl<'a, E: Entity> IntoFuture for Put<'a, E> {
    type Output = Result<()>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A `DeleteItem` request; `.await` it.
#[must_use = "a request does nothing until it is awaited"]
pub struct Delete<'t, E> {
    table: &'t Table,
    key: Key<E>,
    if_exists: bool,
    condition: Option<Condition<E>>,
    version: Option<u64>,
}

impl<E: Entity> Delete<'_, E> {
    /// Deletes only if an item of this entity exists at the key; otherwise fails with
    /// [`Error::ConditionalCheckFailed`](crate::Error::ConditionalCheckFailed).
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }

    /// Deletes only if `condition` holds on the stored item; otherwise fails with
    /// [`Error::ConditionalCheckFailed`](crate::Error::ConditionalCheckFailed)
    /// carrying it.
    pub fn condition(mut self, condition: Condition<E>) -> Self {
        Condition::and_into(&mut self.condition, condition);
        self
    }

    /// For a versioned entity: deletes only if the stored version is `version`.
    pub fn if_version(mut self, version: u64) -> Self {
        self.version = Some(version);
        self
    }

    /// The key and the condition, checked.
    pub(crate) fn prepare(self) -> Result<(Item, Option<Rendered>)> {
        let key = self.key.to_attributes()?;
        let mut condition = self.condition;
        let mut and = |c: Condition<E>| Condition::and_into(&mut condition, c);
        if self.if_exists {
            and(Condition::attribute_equals(
                self.table.definition.entity_attribute,
                AttributeValue::S(E::NAME.into()),
            ));
        }
        if let (Some(attribute), Some(version)) = (E::VERSION_ATTRIBUTE, self.version) {
            and(Condition::attribute_equals(
                attribute,
                AttributeValue::N(version.to_string()),
            ));
        }
        let condition = condition.map(|c| Rendered::condition(&c)).transpose()?;
        Ok((key, condition))
    }

    async fn send(self) -> Result<()> {
        let table = self.table;
        crate::migrate::move_from_previous(table, &self.key).await?;
        let (key, condition) = self.prepare()?;
        let has_condition = condition.is_some();
        let mut request = table
            .client
            .delete_item()
            .table_name(table.name.as_ref())
            .set_key(Some(key));
        if let Some(condition) = condition {
            request = with_condition!(request, condition);
        }
        let span = tracing::debug_span!(
            "dynaschema.delete",
            table = %table.name,
            entity = E::NAME,
            consumed_capacity = tracing::field::Empty,
        );
        let attempts = Attempts::default();
        let result = request
            .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total)
            .customize()
            .interceptor(attempts.clone())
            .send()
            .instrument(span.clone())
            .await;
        match result {
            Ok(output) => {
                record_capacity(&span, output.consumed_capacity());
                Ok(())
            }
            Err(e) => {
                let old = e.as_service_error().and_then(|s| match s {
                    aws_sdk_dynamodb::operation::delete_item::DeleteItemError::ConditionalCheckFailedException(c) => c.item().cloned(),
                    _ => None,
                });
                let condition_failed = e.code() == Some("ConditionalCheckFailedException");
                // A conditioned delete the SDK retried that finds no item: its earlier
                // attempt deleted it.
                if condition_failed && attempts.count() > 1 && old.is_none() && has_condition {
                    return Ok(());
                }
                Err(crate::error::with_old_item(
                    from_sdk("DeleteItem", E::NAME, e),
                    old,
                ))
            }
        }
    }
}

impl<'t, E: Entity> IntoFuture for Delete<'t, E> {
    type Output = Result<()>;
    type IntoFuture = BoxFuture<'t, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Counts the attempts the SDK makes for one request (its retries included).
#[derive(Debug, Clone, Default)]
pub(crate) struct Attempts(Arc<std::sync::atomic::AtomicU32>);

impl Attempts {
    pub(crate) fn count(&self) -> u32 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl aws_sdk_dynamodb::config::Intercept for Attempts {
    fn name(&self) -> &'static str {
        "dynaschema::Attempts"
    }

    fn read_before_attempt(
        &self,
        _: &aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef<'_>,
        _: &aws_sdk_dynamodb::config::RuntimeComponents,
        _: &mut aws_sdk_dynamodb::config::ConfigBag,
    ) -> std::result::Result<(), aws_sdk_dynamodb::error::BoxError> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

/// Sets a [`Rendered`] condition on any SDK request builder (they share the method
/// names, not a trait), asking for the stored item when it fails.
macro_rules! with_condition {
    ($builder:expr, $condition:expr) => {{
        let c: $crate::table::Rendered = $condition;
        $builder
            .condition_expression(c.text)
            .set_expression_attribute_names(Some(c.names.into_iter().collect()))
            .set_expression_attribute_values(
                (!c.values.is_empty()).then(|| c.values.into_iter().collect()),
            )
            .return_values_on_condition_check_failure(
                aws_sdk_dynamodb::types::ReturnValuesOnConditionCheckFailure::AllOld,
            )
    }};
}
pub(crate) use with_condition;

/// A rendered condition expression with its placeholders.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rendered {
    pub(crate) text: String,
    pub(crate) names: Vec<(String, String)>,
    pub(crate) values: Vec<(String, AttributeValue)>,
}

impl Rendered {
    /// Renders and checks a condition (DynamoDB's 4 KB expression limit).
    pub(crate) fn condition<E: Entity>(condition: &Condition<E>) -> Result<Self> {
        let mut placeholders = crate::expr::Placeholders::default();
        let text = condition.render_into(&mut placeholders)?;
        crate::update::check_expression::<E>("the condition expression", &text)?;
        let (names, values) = placeholders.into_parts();
        Ok(Self {
            text,
            names,
            values,
        })
    }
}

/// Records the capacity a request consumed on its span (`ReturnConsumedCapacity = TOTAL`).
pub(crate) fn record_capacity(
    span: &tracing::Span,
    consumed: Option<&aws_sdk_dynamodb::types::ConsumedCapacity>,
) {
    if let Some(units) = consumed.and_then(|c| c.capacity_units()) {
        span.record("consumed_capacity", units);
    }
}
