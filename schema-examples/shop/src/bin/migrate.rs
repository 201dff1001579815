//! The deploy step after `dynaschema apply`: brings every item of the shop table in
//! line with the schema (index keys, primary keys, schema versions) and checks that
//! nothing is left to change. Only the application has its entity types, so this
//! binary belongs to it; copy it into yours and change the schema module's name.
//!
//! ```text
//! DYNAMODB_ENDPOINT=http://127.0.0.1:8000 \
//!   cargo run --release -p shop-example --bin migrate -- TABLE \
//!   [--dry-run] [--segments N] [--max-wcu UNITS] [--max-rcu UNITS] [--checkpoint-dir DIR]
//! ```
//!
//! Progress goes to standard error (a bar on a terminal, a line every 5 seconds in a
//! pipeline's log), each entity's report to standard output. Exit status 0 when
//! `verify` finds every item as the schema derives it afterwards, 1 when some are
//! not (or, with `--dry-run`, when some would change), 2 on bad arguments.

use std::process::ExitCode;

use dynaschema::local::EndpointOrEmbedded;

struct Args {
    table: String,
    dry_run: bool,
    segments: u32,
    max_wcu: Option<f64>,
    max_rcu: Option<f64>,
    checkpoint_dir: Option<String>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        table: String::new(),
        dry_run: false,
        segments: 4,
        max_wcu: None,
        max_rcu: None,
        checkpoint_dir: None,
    };
    fn value<T: std::str::FromStr>(flag: &str, v: Option<String>) -> Result<T, String> {
        let v = v.ok_or_else(|| format!("{flag} needs a value"))?;
        v.parse()
            .map_err(|_| format!("{flag}: `{v}` is not a valid value"))
    }
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dry-run" => parsed.dry_run = true,
            "--segments" => parsed.segments = value("--segments", args.next())?,
            "--max-wcu" => parsed.max_wcu = Some(value("--max-wcu", args.next())?),
            "--max-rcu" => parsed.max_rcu = Some(value("--max-rcu", args.next())?),
            "--checkpoint-dir" => {
                parsed.checkpoint_dir = Some(value("--checkpoint-dir", args.next())?)
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            table if parsed.table.is_empty() => parsed.table = table.to_owned(),
            extra => return Err(format!("unexpected argument {extra}")),
        }
    }
    if parsed.table.is_empty() {
        return Err("the table name is missing".into());
    }
    Ok(parsed)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!(
                "migrate: {e}\nusage: migrate TABLE [--dry-run] [--segments N] [--max-wcu UNITS] \
                 [--max-rcu UNITS] [--checkpoint-dir DIR]"
            );
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("migrate: {e}");
            ExitCode::from(1)
        }
    }
}

/// Whether the table is in line with the schema afterwards.
async fn run(args: Args) -> Result<bool, Box<dyn std::error::Error>> {
    if std::env::var_os("DYNAMODB_ENDPOINT").is_none() {
        return Err("set DYNAMODB_ENDPOINT to the server holding the table".into());
    }
    let server = EndpointOrEmbedded::from_env()?;
    let table = shop_example::shop::Table::new(server.client(), &args.table);
    // ANCHOR: migrate
    let mut migration = table.migrate_all().segments(args.segments).show_progress();
    if args.dry_run {
        migration = migration.dry_run();
    }
    if let Some(units) = args.max_wcu {
        migration = migration.max_write_units(units);
    }
    if let Some(units) = args.max_rcu {
        migration = migration.max_read_units(units);
    }
    if let Some(dir) = &args.checkpoint_dir {
        migration = migration.checkpoint_dir(dir);
    }
    let reports = migration.await?;
    print!("{reports}");
    if args.dry_run {
        let changes: u64 = reports.0.iter().map(|(_, r)| r.rewritten + r.moved).sum();
        println!("dry run: {changes} item(s) would change");
        return Ok(changes == 0 && reports.is_clean());
    }
    let mut in_line = reports.is_clean();
    for (entity, report) in table.verify_all().await? {
        println!(
            "verify {entity}: {} scanned, {} drifted, {} unreadable",
            report.scanned,
            report.drifted.len(),
            report.failed.len()
        );
        for (key, attributes) in report.drifted.iter().take(5) {
            println!("  {key:?}: {}", attributes.join(", "));
        }
        in_line &= report.drifted.is_empty() && report.failed.is_empty();
    }
    // ANCHOR_END: migrate
    Ok(in_line)
}
