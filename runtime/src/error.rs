//! The one error type of dynaschema, with a typed variant per failure an application
//! may want to handle differently.

use std::fmt;

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};

/// The result type of every fallible dynaschema operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a dynaschema operation.
///
/// Match on the variants rather than on messages: the variants are stable, the
/// messages are for people.
///
/// ```
/// use dynaschema::Error;
///
/// fn describe(err: &Error) -> &'static str {
///     match err {
///         Error::ConditionalCheckFailed { .. } => "somebody else got there first",
///         Error::Decode(_) => "an item does not match its struct",
///         Error::Key(_) | Error::Encode(_) => "refused before sending",
///         Error::Service(e) if e.code() == Some("ResourceNotFoundException") => "no such table",
///         _ => "other",
///     }
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A write's condition did not hold (for example `put(..).if_absent()` on an
    /// existing item). DynamoDB's `ConditionalCheckFailedException`.
    #[error("{operation} of {entity}: the condition did not hold")]
    ConditionalCheckFailed {
        /// The entity written.
        entity: &'static str,
        /// The operation, e.g. `PutItem`.
        operation: &'static str,
        /// The item as it was when the condition failed (DynamoDB's
        /// `ReturnValuesOnConditionCheckFailure = ALL_OLD`), if there was one; read it
        /// as the entity with [`Error::old_item`].
        old: Option<Box<crate::Item>>,
    },
    /// An update that cannot be applied as asked; nothing was sent.
    #[error(transparent)]
    Update(#[from] UpdateError),
    /// A request over one of DynamoDB's limits; nothing was sent.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// A transaction that cannot be sent as built; nothing was sent.
    #[error(transparent)]
    Transaction(#[from] TransactionError),
    /// DynamoDB cancelled a transaction: nothing of it was written. One reason per
    /// action, in the order the actions were added (code `None` for the actions that
    /// were not the cause).
    #[error("transaction cancelled: {}", reasons.iter().filter(|r| r.code != CancelCode::None).map(|r| format!("action {} ({}): {}", r.position, r.entity, r.code)).collect::<Vec<_>>().join("; "))]
    TransactionCanceled {
        /// Per action, why (or `None`).
        reasons: Vec<CancelReason>,
    },
    /// An item read from DynamoDB does not fit its Rust type.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// An item could not be turned into DynamoDB attributes; nothing was sent.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// A key could not be built from the given values; nothing was sent.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A pagination cursor could not be read.
    #[error("invalid cursor: {reason}")]
    InvalidCursor {
        /// Why the cursor was refused.
        reason: &'static str,
    },
    /// A query of a sharded partition found items where the schema's shard count
    /// does not put them: the count changed and the items were not rewritten (see
    /// [`shard`](crate::shard)). Nothing wrong was returned.
    #[error(
        "pattern `{pattern}`: {detail}: the shard count of `{index}` ({count}) is not the one the items were written with; rewrite them with the migration (`Table::migrate`) before reading"
    )]
    ShardCountChanged {
        /// The pattern queried.
        pattern: &'static str,
        /// Its index.
        index: &'static str,
        /// The schema's shard count.
        count: u32,
        /// What was found.
        detail: String,
    },
    /// DynamoDB (or the connection to it) reported an error.
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// A batch request left keys unprocessed after every retry; nothing is silently
    /// dropped: the keys are listed.
    #[error("{operation}: {} key(s) still unprocessed after {attempts} attempts", keys.len())]
    Unprocessed {
        /// The operation, e.g. `BatchGetItem`.
        operation: &'static str,
        /// How many requests were sent.
        attempts: u32,
        /// The keys DynamoDB did not process (or that were in a chunk whose request
        /// failed): exactly what was not read or written.
        keys: Vec<crate::Item>,
        /// The error that stopped a chunk, when one did (else the attempts ran out).
        cause: Option<Box<Error>>,
    },
    /// A stream record that is not a DynamoDB change record.
    #[error("invalid stream record: {reason}")]
    InvalidStreamRecord {
        /// What is wrong with it.
        reason: String,
    },
    /// A batch that cannot be sent as built; nothing was sent.
    #[error(transparent)]
    Batch(#[from] BatchError),
    /// Table administration waited past its deadline
    /// ([`Table::with_wait_timeout`](crate::Table::with_wait_timeout)) for DynamoDB.
    #[error("table `{table}`: gave up after {waited:?} waiting for {waiting_for}")]
    Timeout {
        /// The physical table.
        table: String,
        /// What it was waiting for, e.g. "index `gsi1` to be deleted".
        waiting_for: String,
        /// How long it waited.
        waited: std::time::Duration,
    },
    /// A migration ([`Table::migrate`](crate::Table::migrate)) that cannot go on: its
    /// checkpoint is unreadable or belongs to another migration, or an item kept
    /// changing under it.
    #[error("migration of {entity}: {reason}")]
    Migration {
        /// The entity migrated.
        entity: &'static str,
        /// What stopped it.
        reason: String,
    },
    /// A plan given to [`Table::apply`](crate::Table::apply) that does not belong to
    /// the table (made for another table or schema, or naming an index the schema
    /// does not have); nothing was sent.
    #[error("invalid plan: {reason}")]
    InvalidPlan {
        /// What does not match.
        reason: String,
    },
}

impl Error {
    /// The item a failed condition found, read as `E`: `None` when there was no item
    /// (or the error is another one).
    ///
    /// ```no_run
    /// # use dynaschema::{Entity, Error};
    /// # fn demo<E: Entity>(err: Error) {
    /// if let Some(Ok(current)) = err.old_item::<E>() {
    ///     // Somebody else's write won: `current` is what is stored now.
    /// }
    /// # }
    /// ```
    pub fn old_item<E: crate::Entity>(&self) -> Option<Result<E, DecodeError>> {
        match self {
            Error::ConditionalCheckFailed {
                old: Some(item), ..
            } => Some(E::from_item((**item).clone())),
            _ => None,
        }
    }
}

/// Why one action of a cancelled transaction failed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CancelReason {
    /// The action's position in the transaction.
    pub position: usize,
    /// The entity it writes or checks.
    pub entity: &'static str,
    /// DynamoDB's code: [`CancelCode::None`] for the actions that were not the cause.
    pub code: CancelCode,
    /// DynamoDB's message.
    pub message: Option<String>,
    /// The item as it was, when its condition failed.
    pub old: Option<Box<crate::Item>>,
}

impl CancelReason {
    /// Whether this action's condition did not hold.
    pub fn is_condition_failed(&self) -> bool {
        self.code == CancelCode::ConditionalCheckFailed
    }

    /// The item this action's failed condition found, read as `E`.
    pub fn old_item<E: crate::Entity>(&self) -> Option<Result<E, DecodeError>> {
        self.old.as_ref().map(|item| E::from_item((**item).clone()))
    }
}

/// DynamoDB's reason code for one action of a cancelled transaction
/// (`CancellationReasons[i].Code`).
///
/// ```
/// use dynaschema::CancelCode;
///
/// assert_eq!(CancelCode::from_code("TransactionConflict"), CancelCode::TransactionConflict);
/// assert_eq!(CancelCode::from_code("SomethingNew"), CancelCode::Other("SomethingNew".into()));
/// assert_eq!(CancelCode::ConditionalCheckFailed.to_string(), "ConditionalCheckFailed");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CancelCode {
    /// `None`: this action was not the cause; another action's reason is.
    None,
    /// `ConditionalCheckFailed`: the action's condition did not hold.
    ConditionalCheckFailed,
    /// `TransactionConflict`: another transaction or write was working on the item.
    TransactionConflict,
    /// `ItemCollectionSizeLimitExceeded`: a partition of a table with a local index
    /// would grow past 10 GB.
    ItemCollectionSizeLimitExceeded,
    /// `ProvisionedThroughputExceeded`: the table or an index is out of capacity.
    ProvisionedThroughputExceeded,
    /// `ThrottlingError`: DynamoDB throttled the request (e.g. while scaling).
    ThrottlingError,
    /// `ValidationError`: the action is invalid (e.g. an item too large).
    ValidationError,
    /// A code this version of dynaschema does not know.
    Other(String),
}

impl CancelCode {
    /// The code as DynamoDB writes it (`None` when it sends none).
    pub fn from_code(code: &str) -> Self {
        match code {
            "None" => Self::None,
            "ConditionalCheckFailed" => Self::ConditionalCheckFailed,
            "TransactionConflict" => Self::TransactionConflict,
            "ItemCollectionSizeLimitExceeded" => Self::ItemCollectionSizeLimitExceeded,
            "ProvisionedThroughputExceeded" => Self::ProvisionedThroughputExceeded,
            "ThrottlingError" => Self::ThrottlingError,
            "ValidationError" => Self::ValidationError,
            other => Self::Other(other.to_owned()),
        }
    }

    /// DynamoDB's name for it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::None => "None",
            Self::ConditionalCheckFailed => "ConditionalCheckFailed",
            Self::TransactionConflict => "TransactionConflict",
            Self::ItemCollectionSizeLimitExceeded => "ItemCollectionSizeLimitExceeded",
            Self::ProvisionedThroughputExceeded => "ProvisionedThroughputExceeded",
            Self::ThrottlingError => "ThrottlingError",
            Self::ValidationError => "ValidationError",
            Self::Other(code) => code,
        }
    }

    /// Whether retrying the transaction may succeed: a conflict or throttling, not a
    /// failed condition or an invalid action.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::TransactionConflict | Self::ProvisionedThroughputExceeded | Self::ThrottlingError
        )
    }
}

impl fmt::Display for CancelCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a batch was refused before sending.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// A batch write cannot check a version: write versioned items one by one or in a
    /// transaction.
    #[error(
        "{entity} is versioned: a batch write cannot check its version; use put or a transaction"
    )]
    Versioned {
        /// The entity.
        entity: &'static str,
    },
}

/// Why a transaction was refused before sending.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransactionError {
    /// No action.
    #[error("a transaction needs at least one action")]
    Empty,
    /// Two actions on one item; DynamoDB refuses that.
    #[error("transaction actions {first} and {second} both act on one {entity} item")]
    SameItem {
        /// The entity.
        entity: &'static str,
        /// The first action's position.
        first: usize,
        /// The second action's position.
        second: usize,
    },
    /// The SDK refused to build a request.
    #[error("transaction: {0}")]
    Build(String),
}

/// Why an update was refused before sending.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UpdateError {
    /// The update changes a field of the primary key: that moves the item.
    #[error(
        "update of {entity}: `{field}` is part of the primary key: changing it moves the item, which `table.update(..)` does on its own, but not inside a transaction"
    )]
    PrimaryKeyField {
        /// The entity.
        entity: &'static str,
        /// The field's attribute.
        field: String,
    },
    /// The update sets a field of the primary key without
    /// [`Update::moving`](crate::Update::moving): that would move the item.
    #[error(
        "update of {entity}: `{field}` is part of the primary key: setting it moves the item (a read and a transaction, not one UpdateItem); call `.moving()` on the update to allow that"
    )]
    MovesItem {
        /// The entity.
        entity: &'static str,
        /// The field's attribute.
        field: String,
    },
    /// The update changes a field that an index key is built from, but not every field
    /// of that key, so the new key cannot be computed.
    #[error("update of {entity}: `{field}` is part of index `{index}`'s key, which also needs {}; set them too", missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", "))]
    IncompleteIndexKey {
        /// The entity.
        entity: &'static str,
        /// The index.
        index: &'static str,
        /// The field set.
        field: String,
        /// The other fields of the key.
        missing: Vec<&'static str>,
    },
    /// The update changes a key field by arithmetic or in part, so its new value (and
    /// the key built from it) is unknown before the write.
    #[error(
        "update of {entity}: `{field}` is part of an index key; `set` it to its new value instead"
    )]
    KeyFieldNotSet {
        /// The entity.
        entity: &'static str,
        /// The field's attribute.
        field: String,
    },
    /// The version attribute is maintained by dynaschema.
    #[error(
        "update of {entity}: `{field}` is the version attribute; it is checked with `if_version` and bumped on every write"
    )]
    VersionField {
        /// The entity.
        entity: &'static str,
        /// The attribute.
        field: String,
    },
    /// Two actions of one update touch the same path, or one a part of the other;
    /// DynamoDB refuses that.
    #[error(
        "update of {entity}: `{first}` and `{second}` overlap; one update can change a path once"
    )]
    OverlappingPaths {
        /// The entity.
        entity: &'static str,
        /// One path.
        first: String,
        /// The other.
        second: String,
    },
    /// An update that moves the item (it changes the primary key) with an action that
    /// cannot be applied to the item as read.
    #[error("update of {entity}: {reason}")]
    Unsupported {
        /// The entity.
        entity: &'static str,
        /// Why.
        reason: String,
    },
    /// An update with no action.
    #[error("update of {entity}: nothing to update")]
    Empty {
        /// The entity.
        entity: &'static str,
    },
}

/// A request over one of DynamoDB's limits, refused before sending.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{entity}: {what} is {size} {unit}; DynamoDB allows {limit}")]
pub struct LimitError {
    /// The entity.
    pub entity: &'static str,
    /// What is over the limit, e.g. `the condition expression`.
    pub what: String,
    /// Its size.
    pub size: usize,
    /// DynamoDB's limit.
    pub limit: usize,
    /// What `size` and `limit` count: `bytes`, `actions`.
    pub unit: &'static str,
}

/// An item attribute whose stored value does not fit the Rust field it decodes into.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot decode {entity}: attribute `{attribute}`: {reason}")]
pub struct DecodeError {
    /// The entity (or nested type) being decoded.
    pub entity: &'static str,
    /// The attribute path, e.g. `address.city` or `tags[2]`.
    pub attribute: String,
    /// What was wrong.
    pub reason: AttributeError,
}

/// A field value that cannot be stored in DynamoDB.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot encode {entity}: attribute `{attribute}`: {reason}")]
pub struct EncodeError {
    /// The entity (or nested type) being encoded.
    pub entity: &'static str,
    /// The attribute path.
    pub attribute: String,
    /// What was wrong.
    pub reason: AttributeError,
}

/// Why one attribute value could not be converted, in either direction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AttributeError {
    /// The item was written at a schema version newer than this code knows: decoding
    /// it as this struct could misread it.
    #[error("stored at schema version {stored}, newer than this code's {known}")]
    NewerSchemaVersion {
        /// The version on the item.
        stored: u32,
        /// The version this struct is.
        known: u32,
    },
    /// A required attribute is absent (or NULL).
    #[error("missing, expected {expected}")]
    Missing {
        /// The DynamoDB type the field needs, e.g. `string (S)`.
        expected: &'static str,
    },
    /// The attribute has another DynamoDB type than the field needs.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// The DynamoDB type the field needs.
        expected: &'static str,
        /// The DynamoDB type stored (`S`, `N`, `M`, ...).
        found: &'static str,
    },
    /// The attribute has the right DynamoDB type but its value does not parse.
    #[error("expected {expected}, found {value:?}")]
    Invalid {
        /// What the field needs, e.g. `i32` or `RFC 3339 timestamp`.
        expected: &'static str,
        /// The stored value (truncated to 64 characters).
        value: String,
    },
    /// A value DynamoDB cannot store (e.g. a NaN or infinite float).
    #[error("{0}")]
    Unrepresentable(&'static str),
    /// An error inside a nested value; the path is carried by the outer error.
    #[error("{path}: {error}")]
    Nested {
        /// The path below the outer attribute, e.g. `.city` or `[2]`.
        path: String,
        /// The inner error.
        error: Box<AttributeError>,
    },
}

impl AttributeError {
    pub(crate) fn invalid(expected: &'static str, value: &str) -> Self {
        let value = match value.char_indices().nth(64) {
            Some((cut, _)) => format!("{}…", &value[..cut]),
            None => value.to_owned(),
        };
        Self::Invalid { expected, value }
    }

    /// Splits nested errors into a full attribute path and the innermost reason.
    fn flatten(self, mut path: String) -> (String, AttributeError) {
        match self {
            Self::Nested { path: inner, error } => {
                path.push_str(&inner);
                error.flatten(path)
            }
            other => (path, other),
        }
    }
}

impl DecodeError {
    /// A decode error for `attribute` of `entity`; nested paths are folded into
    /// `attribute` so the message names the exact place.
    pub fn new(entity: &'static str, attribute: &str, reason: AttributeError) -> Self {
        let (attribute, reason) = reason.flatten(attribute.to_owned());
        Self {
            entity,
            attribute,
            reason,
        }
    }
}

impl EncodeError {
    /// An encode error for `attribute` of `entity`; nested paths are folded in.
    pub fn new(entity: &'static str, attribute: &str, reason: AttributeError) -> Self {
        let (attribute, reason) = reason.flatten(attribute.to_owned());
        Self {
            entity,
            attribute,
            reason,
        }
    }
}

/// A key that cannot be built from the values given; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("key of {entity}: `{attribute}`: {reason}")]
pub struct KeyError {
    /// The entity whose key was being built.
    pub entity: &'static str,
    /// The key attribute (e.g. `pk`) or the field filling a segment (e.g. `user_id`).
    pub attribute: String,
    /// What was wrong.
    pub reason: KeyErrorReason,
}

/// Why a key could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyErrorReason {
    /// A segment value is empty; empty segments would make `begins_with` prefixes
    /// ambiguous, so they are refused.
    #[error("a key segment cannot be empty")]
    EmptySegment,
    /// The encoded key exceeds DynamoDB's limit (2,048 bytes for a partition key,
    /// 1,024 bytes for a sort key, UTF-8).
    #[error("encoded key is {size} bytes, the limit is {limit} bytes")]
    TooLong {
        /// Encoded size in bytes.
        size: usize,
        /// DynamoDB's limit in bytes.
        limit: usize,
    },
    /// A value cannot be encoded as a key segment (e.g. a timestamp outside years 0..=9999).
    #[error("{0}")]
    Unencodable(String),
    /// A comparison DynamoDB's key conditions do not have (`<>`).
    #[error("`{0}` cannot compare a key: DynamoDB's key conditions have no such operator")]
    NotAKeyCondition(dynaschema_core::Comparison),
}

/// An error reported by DynamoDB or by the SDK on the way there.
#[derive(Debug, thiserror::Error)]
#[error("{operation}{} failed: {}{}", .pattern.map(|p| format!(" of pattern `{p}`")).unwrap_or_default(), .code.as_deref().unwrap_or("no error code"), .message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
pub struct ServiceError {
    operation: &'static str,
    pattern: Option<&'static str>,
    code: Option<String>,
    message: Option<String>,
    #[source]
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl ServiceError {
    /// The DynamoDB operation that failed, e.g. `Query`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The access pattern whose request failed (a get, query, scan or collection of
    /// the schema), if the request was one.
    pub fn pattern(&self) -> Option<&'static str> {
        self.pattern
    }

    /// DynamoDB's error code, e.g. `ResourceNotFoundException` or
    /// `ProvisionedThroughputExceededException`; `None` for transport failures.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The server's message. Its wording differs between DynamoDB, DynamoDB Local
    /// and other servers: match on [`code`](Self::code) instead.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

/// Names the access pattern whose request failed in a service error.
pub(crate) fn in_pattern(err: Error, pattern: Option<&'static str>) -> Error {
    match err {
        Error::Service(mut e) => {
            e.pattern = e.pattern.or(pattern);
            Error::Service(e)
        }
        other => other,
    }
}

/// Maps the SDK error of a read (`GetItem`, `Query`, `Scan`: no condition) to
/// [`Error::Service`], naming the access pattern that sent it, if any.
pub(crate) fn from_sdk_read<E, R>(
    operation: &'static str,
    pattern: Option<&'static str>,
    err: SdkError<E, R>,
) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    let mut error = service_error(operation, err);
    error.pattern = pattern;
    Error::Service(error)
}

/// Attaches the item a failed condition found (`ALL_OLD`) to the error.
pub(crate) fn with_old_item(err: Error, item: Option<crate::Item>) -> Error {
    match err {
        Error::ConditionalCheckFailed {
            entity, operation, ..
        } => Error::ConditionalCheckFailed {
            entity,
            operation,
            old: item.map(Box::new),
        },
        other => other,
    }
}

/// Maps an SDK error to [`Error`], turning `ConditionalCheckFailedException` into
/// [`Error::ConditionalCheckFailed`].
pub(crate) fn from_sdk<E, R>(
    operation: &'static str,
    entity: &'static str,
    err: SdkError<E, R>,
) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    if err.code() == Some("ConditionalCheckFailedException") {
        return Error::ConditionalCheckFailed {
            entity,
            operation,
            old: None,
        };
    }
    Error::Service(service_error(operation, err))
}

fn service_error<E, R>(operation: &'static str, err: SdkError<E, R>) -> ServiceError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    ServiceError {
        operation,
        pattern: None,
        code: err.code().map(str::to_owned),
        message: err.message().map(str::to_owned),
        source: Box::new(err),
    }
}
