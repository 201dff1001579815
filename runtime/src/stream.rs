//! DynamoDB Streams records, decoded into the schema's entities.
//!
//! A stream record says what happened to one item (`INSERT`, `MODIFY`, `REMOVE`) and,
//! depending on the stream's view type, carries the item before and after. [`Change`]
//! holds them decoded, typically as the generated `AnyEntity` enum, so a handler
//! matches on entity types instead of reading attribute maps:
//!
//! ```
//! use dynaschema::stream::{Change, ChangeKind};
//! use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
//!
//! // Any decoder of items works; generated modules have `AnyEntity::from_item`.
//! fn name(item: dynaschema::Item) -> Result<Option<String>, dynaschema::DecodeError> {
//!     Ok(item.get("name").and_then(|v| v.as_s().ok()).cloned())
//! }
//! let new = [("name".to_owned(), AttributeValue::S("Ada".into()))].into();
//! let change = Change::from_images("INSERT", Default::default(), None, Some(new), name).unwrap();
//! assert_eq!(change.kind, ChangeKind::Insert);
//! assert_eq!(change.new.as_deref(), Some("Ada"));
//! assert_eq!(change.old, None);
//! ```
//!
//! With the `lambda` feature, [`Change::from_lambda`] reads the records of AWS Lambda's
//! DynamoDB event (`aws_lambda_events::event::dynamodb::Event`).

use crate::attribute::Item;
use crate::error::{DecodeError, Error};

/// What happened to the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A new item was written.
    Insert,
    /// An existing item was changed.
    Modify,
    /// The item was deleted (by a request or by TTL).
    Remove,
}

/// One stream record, decoded.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Change<T> {
    /// What happened.
    pub kind: ChangeKind,
    /// The item's primary key attributes.
    pub keys: Item,
    /// The item before the change (`OLD_IMAGE` / `NEW_AND_OLD_IMAGES` streams;
    /// `None` for an insert, or an item of no known entity).
    pub old: Option<T>,
    /// The item after the change (`NEW_IMAGE` / `NEW_AND_OLD_IMAGES` streams;
    /// `None` for a remove, or an item of no known entity).
    pub new: Option<T>,
}

impl<T> Change<T> {
    /// A change from its event name (`INSERT`, `MODIFY`, `REMOVE`), keys and images,
    /// each image decoded by `decode` (e.g. `AnyEntity::from_item`). An image that is
    /// absent or empty is `None`; one `decode` does not recognise is `None` too.
    pub fn from_images(
        event_name: &str,
        keys: Item,
        old: Option<Item>,
        new: Option<Item>,
        decode: impl Fn(Item) -> Result<Option<T>, DecodeError>,
    ) -> Result<Self, Error> {
        let kind = match event_name {
            "INSERT" => ChangeKind::Insert,
            "MODIFY" => ChangeKind::Modify,
            "REMOVE" => ChangeKind::Remove,
            _ => {
                return Err(Error::InvalidStreamRecord {
                    reason: format!("unknown event name {event_name:?}"),
                });
            }
        };
        let image = |item: Option<Item>| match item.filter(|i| !i.is_empty()) {
            Some(item) => decode(item),
            None => Ok(None),
        };
        Ok(Self {
            kind,
            keys,
            old: image(old)?,
            new: image(new)?,
        })
    }

    /// A record of AWS Lambda's DynamoDB event, decoded by `decode` (e.g.
    /// `app::AnyEntity::from_item`).
    ///
    /// ```no_run
    /// use aws_lambda_events::event::dynamodb::Event;
    /// use dynaschema::stream::{Change, ChangeKind};
    ///
    /// # fn decode(item: dynaschema::Item) -> Result<Option<String>, dynaschema::DecodeError> { Ok(None) }
    /// // In a Lambda function: `async fn handler(event: LambdaEvent<Event>)`.
    /// fn handle(event: &Event) -> dynaschema::Result<()> {
    ///     for record in &event.records {
    ///         let change = Change::from_lambda(record, decode)?;
    ///         if change.kind == ChangeKind::Remove {
    ///             println!("removed: {:?}", change.old);
    ///         }
    ///     }
    ///     Ok(())
    /// }
    /// ```
    #[cfg(feature = "lambda")]
    pub fn from_lambda(
        record: &aws_lambda_events::event::dynamodb::EventRecord,
        decode: impl Fn(Item) -> Result<Option<T>, DecodeError>,
    ) -> Result<Self, Error> {
        let convert = |item: &serde_dynamo::Item| -> Item { item.clone().into() };
        Self::from_images(
            &record.event_name,
            convert(&record.change.keys),
            Some(convert(&record.change.old_image)),
            Some(convert(&record.change.new_image)),
            decode,
        )
    }
}
