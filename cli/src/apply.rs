//! `dynaschema apply`: brings a live table in line with the schema.

use std::process::ExitCode;

/// Where `apply` connects, and as whom.
pub(crate) struct Connection<'a> {
    /// `--endpoint`: a DynamoDB-API endpoint instead of the region's.
    pub endpoint: Option<&'a str>,
    /// `--profile`: a profile of `~/.aws/config` (SSO, assume-role and
    /// `credential_process` profiles included).
    pub profile: Option<&'a str>,
    /// `--region`: overrides the environment's and the profile's region.
    pub region: Option<&'a str>,
}

impl Connection<'_> {
    /// Whether the endpoint is a server on this machine (DynamoDB Local, `dynaschema
    /// local`), which accepts any credentials.
    fn is_loopback(&self) -> bool {
        let Some(endpoint) = self.endpoint else {
            return false;
        };
        let host = endpoint
            .split_once("://")
            .map_or(endpoint, |(_, rest)| rest)
            .split(['/', '?'])
            .next()
            .unwrap_or_default();
        let host = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => host.rsplit_once(':').map_or(host, |(h, _)| h),
        };
        host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// Where the requests go, for the header line.
    pub(crate) fn describe(&self) -> String {
        match self.endpoint {
            Some(endpoint) => endpoint.to_owned(),
            None => "the region's DynamoDB endpoint".to_owned(),
        }
    }

    /// A client: AWS's default chain (environment, `--profile` or `AWS_PROFILE`,
    /// SSO, web identity, ECS and instance roles) for credentials and region, as the
    /// AWS CLI does. A loopback endpoint with none of `--profile`, `AWS_PROFILE`
    /// and `AWS_ACCESS_KEY_ID` gets the local servers' dummy credentials, the ones
    /// `dynaschema::local::client` uses (DynamoDB Local keeps one set of tables per
    /// access key and region), so `apply` and an application under test see the
    /// same tables.
    pub(crate) async fn client(&self) -> Result<dynaschema::aws_sdk_dynamodb::Client, String> {
        use aws_config::{BehaviorVersion, Region};
        use dynaschema::aws_sdk_dynamodb::config::ProvideCredentials;
        if let Some(endpoint) = self.endpoint.filter(|_| {
            self.is_loopback()
                && self.profile.is_none()
                && std::env::var_os("AWS_ACCESS_KEY_ID").is_none()
                && std::env::var_os("AWS_PROFILE").is_none()
        }) {
            return Ok(dynaschema::local::client(endpoint));
        }
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(profile) = self.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = self.region {
            loader = loader.region(Region::new(region.to_owned()));
        }
        if let Some(endpoint) = self.endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        let config = loader.load().await;
        if config.region().is_none() {
            return Err(
                "no AWS region: pass --region, set AWS_REGION, or give the profile a \
                        `region`"
                    .to_owned(),
            );
        }
        // Resolve the credentials now, so a missing or expired login is one clear
        // line rather than the first request's failure.
        let Some(provider) = config.credentials_provider() else {
            return Err("no AWS credentials provider could be configured".to_owned());
        };
        if let Err(e) = provider.provide_credentials().await {
            let mut message = format!("no AWS credentials: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            message.push_str(
                " (set AWS_PROFILE or pass --profile, run `aws sso login` for an SSO profile, \
                 or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)",
            );
            return Err(message);
        }
        Ok(dynaschema::aws_sdk_dynamodb::Client::new(&config))
    }
}

/// Options of `dynaschema apply`.
pub(crate) struct Options<'a> {
    pub connection: Connection<'a>,
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
    let client = match runtime.block_on(options.connection.client()) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let table = dynaschema::Table::new(client, options.table, definition)
        .with_wait_timeout(options.wait_timeout);
    println!(
        "table `{}` (schema `{}`) at {}",
        options.table,
        definition.name,
        options.connection.describe()
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
