//! [`Table`]: the handle on a DynamoDB table laid out as a schema says. The
//! operations add their methods to it from their own modules (`item`: get, put,
//! delete; `update`, `batch`, `transaction`, `query`, `scan`; `apply`: create,
//! plan, apply; `migrate`), so this module depends on none of them.

use std::sync::Arc;

use aws_sdk_dynamodb::Client;

use crate::error::Result;

pub use crate::definition::{
    Billing, Capacity, IndexDefinition, IndexKind, KeyAttribute, Projection, ScalarType,
    StreamView, TableClass, TableDefinition, TableOptions,
};

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
    pub(crate) client: Client,
    pub(crate) name: Arc<str>,
    pub(crate) definition: &'static TableDefinition,
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
}
