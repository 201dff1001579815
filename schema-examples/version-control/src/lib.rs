//! A GitHub-like version-control model on dynaschema: see `dynaschema.toml`.

use chrono::{DateTime, Utc};
use dynaschema::Entity;

dynaschema::include_schema!(pub version_control);

/// A user or organization.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Account {
    pub username: String,
    pub name: String,
}

/// A repository, listed under its owner by last update.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Repo {
    pub owner: String,
    pub repo: String,
    pub description: String,
    pub updated_at: DateTime<Utc>,
}

/// An issue; its number sorts numerically within the repository and within a status.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Issue {
    pub owner: String,
    pub repo: String,
    pub number: u32,
    pub title: String,
    pub status: String,
}

/// A pull request.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct PullRequest {
    pub owner: String,
    pub repo: String,
    pub number: u32,
    pub title: String,
    pub status: String,
}

/// An account starring a repository, readable from both sides.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Star {
    pub owner: String,
    pub repo: String,
    pub username: String,
    pub starred_at: DateTime<Utc>,
}
