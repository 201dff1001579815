//! The `dynaschema` command, thin over [`dynaschema_codegen`].
//!
//! Exit codes: 0 when all is well, 1 when the schema has findings (errors, or
//! warnings with `--deny-warnings`), 2 for usage and I/O errors.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use dynaschema_codegen::diagnostics::{Diagnostics, Severity};
use dynaschema_codegen::schema::{self, LoadError};

/// Access-pattern-first DynamoDB: check a single-table schema.
#[derive(Debug, Parser)]
#[command(
    name = "dynaschema",
    version,
    after_help = "Example:\n  dynaschema check schema/dynaschema.toml --deny-warnings"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a schema: every error and warning of the build, with source snippets.
    #[command(
        after_help = "Examples:\n  dynaschema check\n  dynaschema check app/dynaschema.toml --deny-warnings\n  dynaschema check --format json > findings.json"
    )]
    Check {
        /// The schema file.
        #[arg(default_value = "dynaschema.toml")]
        schema: PathBuf,
        /// Exit with 1 on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// How findings are printed.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Rendered with source snippets.
    Human,
    /// One JSON object, for machines.
    Json,
}

/// Runs the command line `args` (the program name first); returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Check {
            schema,
            deny_warnings,
            format,
        } => check(&schema, deny_warnings, format),
    }
}

fn check(path: &std::path::Path, deny_warnings: bool, format: Format) -> ExitCode {
    let (findings, failed) = match schema::load(path) {
        Ok(checked) => {
            let failed = deny_warnings && !checked.warnings.is_empty();
            (checked.warnings, failed)
        }
        Err(LoadError::Invalid(diagnostics)) => (diagnostics, true),
        Err(e @ LoadError::Io { .. }) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match format {
        Format::Human => {
            if findings.is_empty() {
                println!("{}: no findings", path.display());
            } else {
                print!("{}", findings.render());
            }
        }
        Format::Json => println!("{}", json(&findings, path)),
    }
    ExitCode::from(u8::from(failed))
}

/// The findings as JSON: `{ "schema", "errors", "warnings", "findings": [..] }`.
fn json(findings: &Diagnostics, path: &std::path::Path) -> String {
    let items: Vec<serde_json::Value> = findings
        .items()
        .iter()
        .map(|d| {
            let (line, column) = d
                .span
                .as_ref()
                .map(|s| findings.source().line_col(s.start))
                .unzip();
            serde_json::json!({
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "code": d.code,
                "message": d.message,
                "line": line,
                "column": column,
                "label": d.label,
                "help": d.help,
            })
        })
        .collect();
    let count = |s| findings.items().iter().filter(|d| d.severity == s).count();
    serde_json::to_string_pretty(&serde_json::json!({
        "schema": path.display().to_string(),
        "errors": count(Severity::Error),
        "warnings": count(Severity::Warning),
        "findings": items,
    }))
    .expect("JSON values serialize")
}
