//! "Big Time Deals" from The DynamoDB Book (chapter 20) on dynaschema: see
//! `dynaschema.toml` for the table and its access patterns.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use dynaschema::Entity;
use ulid::Ulid;

dynaschema::include_schema!(pub big_time_deals);

/// A deal; its ULID sorts by creation time, and `day` (`YYYY-MM-DD`) partitions the
/// by-day indexes.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Deal {
    pub deal_id: Ulid,
    pub title: String,
    pub link: String,
    pub price_cents: i64,
    pub brand: String,
    pub category: String,
    pub day: String,
    pub created_at: DateTime<Utc>,
}

/// A brand, keyed by its upper-cased name.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Brand {
    pub name: String,
    pub logo_url: String,
    pub likes: u64,
}

/// A category, keyed by its upper-cased name, with its featured deals.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Category {
    pub name: String,
    pub featured_deals: BTreeSet<String>,
}

/// A message to a user; `unread_id` (the message id while unread) puts it in the
/// sparse `UserIndex`.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Message {
    pub username: String,
    pub message_id: Ulid,
    pub subject: String,
    pub unread_id: Option<Ulid>,
}

impl Message {
    /// A new, unread message.
    pub fn unread(username: &str, message_id: Ulid, subject: &str) -> Self {
        Self {
            username: username.into(),
            message_id,
            subject: subject.into(),
            unread_id: Some(message_id),
        }
    }

    /// The message marked read: it leaves the unread index.
    pub fn read(mut self) -> Self {
        self.unread_id = None;
        self
    }
}

/// The day of a timestamp, as deals are partitioned.
pub fn day_of(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}
