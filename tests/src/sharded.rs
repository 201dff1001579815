//! Write-sharded keys (see `schemas/sharded-8.toml`): one hot GSI partition spread
//! over 8 shards. The same table read with its shard count changed (16, 4) is what
//! `sharded_16` and `sharded_4` are for.

macro_rules! sharded_schema {
    ($module:ident, $file:tt, $doc:literal) => {
        #[doc = $doc]
        pub mod $module {
            use dynaschema::Entity;

            /// An event of the feed.
            #[derive(Entity, Clone, Debug, PartialEq)]
            #[entity(schema = $file)]
            pub struct Event {
                pub event_id: String,
                pub at: u32,
                /// A user's word for a field: `type`.
                pub r#type: String,
                pub data: String,
            }

            /// A notice of the timeline.
            #[derive(Entity, Clone, Debug, PartialEq)]
            #[entity(schema = $file)]
            pub struct Notice {
                pub notice_id: String,
                pub text: String,
            }

            dynaschema::include_schema!(pub $module);
        }
    };
}

sharded_schema!(sharded_8, "schemas/sharded-8.toml", "The schema: 8 shards.");
sharded_schema!(
    sharded_16,
    "schemas/sharded-16.toml",
    "The same table, its shard count raised to 16 without a migration."
);
sharded_schema!(
    sharded_4,
    "schemas/sharded-4.toml",
    "The same table, its shard count lowered to 4 without a migration."
);

/// Time buckets (`schemas/buckets.toml`): a day's readings in one partition.
pub mod buckets {
    use dynaschema::Entity;

    /// A sensor reading.
    #[derive(Entity, Clone, Debug, PartialEq)]
    #[entity(schema = "schemas/buckets.toml")]
    pub struct Reading {
        pub reading_id: String,
        pub at: chrono::DateTime<chrono::Utc>,
        pub value: i64,
    }

    dynaschema::include_schema!(pub buckets);
}
