//! `dynaschema apply`: brings a live table in line with the schema.

use std::process::ExitCode;

/// A client for `endpoint`: credentials and region from `AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` and `AWS_REGION` when set (a real
/// DynamoDB endpoint), the local servers' dummy ones otherwise.
fn client(endpoint: &str) -> dynaschema::aws_sdk_dynamodb::Client {
    use dynaschema::aws_sdk_dynamodb::config::{Credentials, Region};
    let local = dynaschema::local::client(endpoint);
    let (Ok(key), Ok(secret)) = (
        std::env::var("AWS_ACCESS_KEY_ID"),
        std::env::var("AWS_SECRET_ACCESS_KEY"),
    ) else {
        return local;
    };
    let region = std::env::var("AWS_REGION")
        .or_else(|_| std::env::var("AWS_DEFAULT_REGION"))
        .unwrap_or_else(|_| "us-east-1".to_owned());
    let token = std::env::var("AWS_SESSION_TOKEN").ok();
    let config = local
        .config()
        .to_builder()
        .region(Region::new(region))
        .credentials_provider(Credentials::new(key, secret, token, None, "environment"))
        .build();
    dynaschema::aws_sdk_dynamodb::Client::from_conf(config)
}

/// Options of `dynaschema apply`.
pub(crate) struct Options<'a> {
    pub endpoint: &'a str,
    pub table: &'a str,
    pub dry_run: bool,
    pub allow_destructive: bool,
    pub wait_timeout: std::time::Duration,
}

pub(crate) fn run(path: &std::path::Path, options: &Options<'_>) -> ExitCode {
    let checked = match crate::load(path) {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    // The table handle takes the definition for the program's life, which for a
    // command is this run: one allocation, never freed before exit.
    let definition: &'static dynaschema::TableDefinition =
        Box::leak(Box::new(checked.schema.definition()));
    let schema = &checked.schema;
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let table = dynaschema::Table::new(client(options.endpoint), options.table, definition)
        .with_wait_timeout(options.wait_timeout);
    println!(
        "table `{}` (schema `{}`) at {}",
        options.table, definition.name, options.endpoint
    );
    let result = runtime.block_on(async {
        let plan = table.plan().await?;
        if plan.is_empty() {
            println!("  up to date: nothing to change");
        }
        if options.dry_run {
            for change in &plan.changes {
                let mark = if !change.is_possible() {
                    "!"
                } else if change.is_destructive() {
                    "-"
                } else {
                    "+"
                };
                println!("  {mark} {change}");
            }
            for setting in &plan.unsupported {
                println!("  ? {setting}: the server cannot report or change it");
            }
            println!("dry run: nothing was changed");
            return Ok(plan.changes.iter().any(|c| !c.is_possible()));
        }
        let applied = table.apply(&plan, options.allow_destructive).await?;
        for change in &applied.done {
            println!("  done: {change}");
        }
        for change in &applied.skipped {
            if change.is_possible() {
                println!("  skipped: {change} (destructive: pass --allow-destructive)");
            } else {
                println!("  not done: {change}");
            }
        }
        for setting in &applied.unsupported {
            println!("  not done: {setting}: the server does not implement it");
        }
        let backfill = backfill_needed(&table, schema, &plan, &applied).await?;
        Ok::<_, dynaschema::Error>(!applied.skipped.is_empty() || backfill)
    });
    match result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// After indexes were added to a table that already held items: which entities'
/// items lack the derived attributes the new indexes read, printed with what to do.
/// `true` when the table is not yet in line with the schema (exit 1).
async fn backfill_needed(
    table: &dynaschema::Table,
    schema: &dynaschema_codegen::schema::Schema,
    plan: &dynaschema::apply::Plan,
    applied: &dynaschema::apply::Applied,
) -> dynaschema::Result<bool> {
    use dynaschema::apply::Change;
    if plan.changes.contains(&Change::CreateTable) {
        // A new table holds no items written before.
        return Ok(false);
    }
    let mut needed = Vec::new();
    for change in &applied.done {
        if let Change::AddIndex { index } | Change::ReplaceIndex { index, .. } = change {
            let (entities, attributes) =
                dynaschema_codegen::diff::backfill_for_index(schema, index);
            if !entities.is_empty() {
                needed.push((index.to_string(), entities, attributes));
            }
        }
    }
    if needed.is_empty() {
        return Ok(false);
    }
    // One item read tells an empty table (nothing to backfill) from one with items.
    match table
        .client()
        .scan()
        .table_name(table.name())
        .limit(1)
        .send()
        .await
    {
        Ok(scanned) if scanned.count() == 0 && scanned.last_evaluated_key().is_none() => {
            return Ok(false);
        }
        Ok(_) => {}
        Err(e) => eprintln!(
            "warning: cannot tell whether the table holds items (Scan: {}); assuming it does",
            dynaschema::aws_sdk_dynamodb::error::DisplayErrorContext(&e)
        ),
    }
    let quote = |names: &[String]| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (index, entities, attributes) in &needed {
        println!(
            "  backfill needed: `{index}` reads {}, which items of {} written before this change do not have: \
             patterns on `{index}` miss them until a migration writes them",
            quote(attributes),
            quote(entities)
        );
    }
    println!(
        "the table is not yet in line with the schema: run the schema's migration for {} \
         (see `dynaschema diff` for what changed)",
        quote(
            &needed
                .iter()
                .flat_map(|(_, e, _)| e.clone())
                .collect::<Vec<_>>()
        )
    );
    Ok(true)
}
