//! The compiler side of [dynaschema](https://docs.rs/dynaschema): reads a schema file
//! into a validated model, checks it, and generates Rust from the model. One library
//! shared by `build.rs` ([`Builder`]), the derive macros ([`derive`](mod@derive)) and the CLI.
//!
//! The flow, for a schema file:
//!
//! 1. [`parse`]: TOML syntax, shape (serde, spans kept), meaning ([`schema::lower`]),
//!    cross-entity rules ([`check`]). Every stage collects all of its findings into
//!    [`diagnostics::Diagnostics`], rendered with `file:line:col` and source snippets.
//! 2. [`generate::module_source`]: the module `build.rs` writes to `OUT_DIR`.
//! 3. [`derive::entity`]: the `Entity` impl of one struct, checked against the same model.
//!
//! ```
//! use dynaschema_codegen::diagnostics::SourceFile;
//!
//! let checked = dynaschema_codegen::parse(SourceFile::new("dynaschema.toml", r#"
//! [table]
//! name = "App"
//! partition_key = "pk"
//! sort_key = "sk"
//!
//! [entities.User]
//! primary = { pk = "USER#{user_id}", sk = "PROFILE" }
//!
//! [patterns.get_user]
//! get = "User"
//! "#)).unwrap();
//! assert_eq!(checked.schema.entities[0].name, "User");
//! ```

//! # Features
//!
//! - `cli`: what the `dynaschema` command needs beyond `build.rs` and the derive —
//!   the JSON Schema of the schema file ([`schema::json_schema`], schemars), the
//!   emitters ([`docs`], [`table_json`], [`terraform`], [`workbench`], serde_json)
//!   and miette's graphical renderer. Without it (as `build.rs` and the derive use
//!   this crate) diagnostics render as `file:line:col` with the source line and a
//!   caret, and the crate builds without those dependencies (BENCHMARKS.md, the
//!   cost of adopting).

#![warn(missing_docs)]
// Examples of build.rs show the whole file, `fn main` included.
#![allow(clippy::needless_doctest_main)]
// A `Diagnostic` (message, label, help, related places) is the error path of a
// compiler that reports it to a person: its size costs nothing that matters.
#![allow(clippy::result_large_err)]

mod builder;
pub mod check;
pub mod derive;
pub mod diagnostics;
pub mod diff;
#[cfg(feature = "cli")]
pub mod docs;
pub mod generate;
mod keys;
pub mod names;
pub mod schema;
#[cfg(feature = "cli")]
pub mod table_json;
#[cfg(feature = "cli")]
pub mod terraform;
mod tokens;
#[cfg(feature = "cli")]
pub mod workbench;

pub use check::{LoadError, load, parse};

pub use builder::{BuildError, Builder};
