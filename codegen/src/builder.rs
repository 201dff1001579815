//! [`Builder`]: the `build.rs` entry point.

use std::path::{Path, PathBuf};

use crate::check::LoadError;
use crate::generate::{Options, module_source};
use crate::names::snake_case;

/// Compiles a schema file into a Rust module in `OUT_DIR`, for `build.rs`.
///
/// ```no_run
/// // build.rs
/// fn main() {
///     dynaschema_codegen::Builder::new()
///         .compile("dynaschema.toml")
///         .unwrap_or_else(|e| panic!("{e}"));
/// }
/// ```
///
/// and in the crate, where the entity structs are, `dynaschema::include_schema!(pub app);`
/// (`app` is the table name in snake case).
///
/// The module is written to `$OUT_DIR/dynaschema/<module>.rs`, formatted and only
/// when its content changed (so unchanged schemas do not trigger rebuilds), and
/// `cargo:rerun-if-changed` is emitted for the schema file. Errors are returned with
/// every finding rendered (file, line, column, source snippet); warnings are printed
/// as `cargo:warning` lines.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    options: Options,
    /// An `entity_path` that is not a Rust path, reported by `compile`.
    bad_entity_path: Option<(String, String)>,
    out_dir: Option<PathBuf>,
    deny_warnings: bool,
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The schema could not be read or has errors.
    #[error(transparent)]
    Schema(#[from] LoadError),
    /// The schema has warnings and [`Builder::deny_warnings`] is set.
    #[error("{0}")]
    Warnings(crate::diagnostics::Diagnostics),
    /// The module could not be written.
    #[error("cannot write {path}: {error}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        error: std::io::Error,
    },
    /// [`Builder::entity_path`] was given something that is not a Rust path.
    #[error(
        "entity_path `{path}` is not a Rust path ({reason}); write it as in a `use`, e.g. `crate::model` or `super`"
    )]
    EntityPath {
        /// The path as given.
        path: String,
        /// Why it does not parse.
        reason: String,
    },
    /// `OUT_DIR` is not set (not running under cargo) and no output directory was given.
    #[error("OUT_DIR is not set: run from build.rs, or call Builder::out_dir")]
    NoOutDir,
}

impl Builder {
    /// A builder with default options.
    pub fn new() -> Self {
        Self::default()
    }

    /// The path through which generated code names the entity structs. Default:
    /// `super`, the module where `include_schema!` is invoked.
    ///
    /// ```
    /// let builder = dynaschema_codegen::Builder::new().entity_path("crate::model");
    /// ```
    ///
    /// A `path` that is not a Rust path makes [`compile`](Self::compile) return
    /// [`BuildError::EntityPath`].
    pub fn entity_path(mut self, path: &str) -> Self {
        match syn::parse_str(path) {
            Ok(parsed) => {
                self.options.entity_path = parsed;
                self.bad_entity_path = None;
            }
            Err(e) => self.bad_entity_path = Some((path.to_owned(), e.to_string())),
        }
        self
    }

    /// Where to write the module instead of `$OUT_DIR/dynaschema`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Fail the build on warnings too.
    pub fn deny_warnings(mut self, deny: bool) -> Self {
        self.deny_warnings = deny;
        self
    }

    /// Reads, checks and compiles `schema` (relative to the crate's manifest
    /// directory when run by cargo). Returns the path of the written module.
    pub fn compile(&self, schema: impl AsRef<Path>) -> Result<PathBuf, BuildError> {
        if let Some((path, reason)) = &self.bad_entity_path {
            return Err(BuildError::EntityPath {
                path: path.clone(),
                reason: reason.clone(),
            });
        }
        let schema_path = schema.as_ref();
        let full_path = match std::env::var_os("CARGO_MANIFEST_DIR") {
            Some(dir) if schema_path.is_relative() => PathBuf::from(dir).join(schema_path),
            _ => schema_path.to_path_buf(),
        };
        println!("cargo:rerun-if-changed={}", full_path.display());
        let source_text = std::fs::read_to_string(&full_path).map_err(|error| LoadError::Io {
            path: full_path.display().to_string(),
            error,
        })?;
        let source =
            crate::diagnostics::SourceFile::new(schema_path.display().to_string(), source_text);
        let checked = crate::check::parse(source).map_err(LoadError::Invalid)?;
        for line in checked.warnings.to_plain().lines() {
            println!("cargo:warning={line}");
        }
        if self.deny_warnings && !checked.warnings.is_empty() {
            return Err(BuildError::Warnings(checked.warnings));
        }
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => PathBuf::from(std::env::var_os("OUT_DIR").ok_or(BuildError::NoOutDir)?)
                .join("dynaschema"),
        };
        let module = snake_case(&checked.schema.table.name);
        let path = out_dir.join(format!("{module}.rs"));
        let source = module_source(&checked.schema, &self.options);
        write_if_changed(&path, &source)?;
        Ok(path)
    }
}

fn write_if_changed(path: &Path, contents: &str) -> Result<(), BuildError> {
    let io = |error| BuildError::Io {
        path: path.display().to_string(),
        error,
    };
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(path, contents).map_err(io)
}
