//! Multi-attribute index keys (see `schemas/tournament.toml`).

use dynaschema::Entity;

/// A match: its own fields are the `by_bracket` and `by_winner` keys.
#[derive(Entity, Clone, Debug, PartialEq)]
#[entity(schema = "schemas/tournament.toml")]
pub struct Match {
    pub match_id: String,
    pub tournament_id: String,
    pub region: String,
    pub round: u32,
    pub bracket: String,
    /// Decided matches only: the others are not in `by_winner`.
    pub winner: Option<String>,
    pub played_at: chrono::DateTime<chrono::Utc>,
}

/// A sponsor of a tournament's region.
#[derive(Entity, Clone, Debug, PartialEq)]
#[entity(schema = "schemas/tournament.toml")]
pub struct Sponsor {
    pub sponsor_id: String,
    pub tournament_id: String,
    /// Stored as `market`, copied into the `region` key attribute.
    pub market: String,
    pub tier: u32,
    pub name: String,
}

dynaschema::include_schema!(pub tournament);
