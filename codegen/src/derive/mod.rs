//! `#[derive(Entity)]` and `#[derive(Attribute)]`: parse (darling), check against the
//! schema, expand. The proc-macro crate only calls [`entity`] and [`attribute`].

mod entity;

mod fields;
pub mod input;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use darling::FromDeriveInput;
use proc_macro2::TokenStream;

use crate::diagnostics::SourceFile;
use crate::schema::Checked;

/// Expands `#[derive(Entity)]`. Errors come back as `compile_error!`s, all of them at
/// once, next to a minimal impl so that the rest of the crate does not drown in
/// follow-up errors.
pub fn entity(input: &syn::DeriveInput) -> TokenStream {
    let parsed = match input::EntityInput::from_derive_input(input) {
        Ok(parsed) => parsed,
        Err(e) => return e.write_errors(),
    };
    entity::expand(&parsed)
}

/// Expands `#[derive(Attribute)]` for a struct stored as a map.
pub fn attribute(input: &syn::DeriveInput) -> TokenStream {
    let parsed = match input::AttributeInput::from_derive_input(input) {
        Ok(parsed) => parsed,
        Err(e) => return e.write_errors(),
    };
    fields::expand_attribute(&parsed)
}

/// A schema as the derive sees it: the checked model, or the rendered errors.
pub(crate) struct LoadedSchema {
    pub path: PathBuf,
    pub result: Result<Checked, String>,
}

/// Loads the schema named by `#[entity(schema = ..)]` (default `dynaschema.toml`),
/// relative to the crate being compiled (or, if it is not there, to
/// `DYNASCHEMA_MANIFEST_DIR`). Parsed schemas are kept for the life of the
/// compiler process, keyed by path and content, so a crate with many entities
/// parses its schema once and an edited file is parsed again.
pub(crate) fn load_schema(relative: Option<&str>) -> Result<Arc<LoadedSchema>, String> {
    let relative = relative.unwrap_or("dynaschema.toml");
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .ok_or("CARGO_MANIFEST_DIR is not set: `#[derive(Entity)]` must be compiled by cargo")?;
    let mut path = PathBuf::from(manifest_dir).join(relative);
    // Tools that compile a crate's code from another directory (trybuild, for one)
    // can name the crate's directory in DYNASCHEMA_MANIFEST_DIR. It is only a
    // fallback, so crates that have their schema where it belongs are unaffected.
    if !path.exists()
        && let Some(fallback) = std::env::var_os("DYNASCHEMA_MANIFEST_DIR")
    {
        path = PathBuf::from(fallback).join(relative);
    }
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read the schema {} ({e}); put `dynaschema.toml` next to Cargo.toml or name it with \
             `#[entity(schema = \"path/to/dynaschema.toml\")]`",
            path.display()
        )
    })?;
    type Cache = Mutex<HashMap<(PathBuf, String), Arc<LoadedSchema>>>;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (path.clone(), text);
    if let Some(hit) = cache.lock().map_err(|e| e.to_string())?.get(&key) {
        return Ok(hit.clone());
    }
    let source = SourceFile::new(relative, key.1.clone());
    let result = crate::check::parse(source).map_err(|d| d.to_plain());
    let loaded = Arc::new(LoadedSchema { path, result });
    cache
        .lock()
        .map_err(|e| e.to_string())?
        .insert(key, loaded.clone());
    Ok(loaded)
}
