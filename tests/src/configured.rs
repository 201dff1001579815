//! A table with every option of `[table]` (see `schemas/configured.toml`).

use dynaschema::Entity;

/// A session that expires.
#[derive(Entity, Clone, Debug, PartialEq)]
#[entity(schema = "schemas/configured.toml")]
pub struct Session {
    pub id: String,
    pub user: String,
    pub expires_at: u64,
}

dynaschema::include_schema!(pub configured);
