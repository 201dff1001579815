//! `dynaschema apply` against DynamoDB Local: creates, is a no-op the second time,
//! adds exactly a new GSI, updates TTL and the stream, deletes only when allowed,
//! and reports what cannot change in place.

use std::path::{Path, PathBuf};
use std::process::Command;

use dynaschema::aws_sdk_dynamodb::Client;
use dynaschema::local::DynamoDbLocal;

fn server() -> &'static DynamoDbLocal {
    DynamoDbLocal::shared().unwrap_or_else(|e| {
        panic!("DynamoDB Local is required for this test and could not start: {e}")
    })
}

/// A table name no other test uses.
fn table_name(prefix: &str) -> String {
    format!(
        "apply-{prefix}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

/// A schema with the table's GSIs `gsi1` and those of `extra`, each keyed for the one
/// entity, plus `table_options` lines under `[table]`.
fn schema(dir: &Path, name: &str, table_options: &str, extra: &[&str]) -> PathBuf {
    let mut text = format!(
        "[table]\nname = \"Applied\"\npartition_key = \"pk\"\nsort_key = \"sk\"\n{table_options}\n\
         [indexes.gsi1]\npartition_key = \"gsi1pk\"\nsort_key = \"gsi1sk\"\n"
    );
    for index in extra {
        text.push_str(&format!(
            "\n[indexes.{index}]\npartition_key = \"{index}pk\"\nsort_key = \"{index}sk\"\nprojection = \"keys_only\"\n"
        ));
    }
    text.push_str(
        "\n[entities.Thing]\nprimary = { pk = \"THING#{id}\", sk = \"THING\" }\ngsi1 = { pk = \"KIND#{kind}\", sk = \"THING#{id}\" }\n",
    );
    for index in extra {
        text.push_str(&format!(
            "{index} = {{ pk = \"OWNER#{{owner}}\", sk = \"THING#{{id}}\" }}\n"
        ));
    }
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dynaschema-apply-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `dynaschema apply`; returns exit code and stdout (stderr on failure too).
fn apply(schema: &Path, table: &str, flags: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_dynaschema"))
        .arg("apply")
        .arg(schema)
        .args(["--endpoint", server().endpoint(), "--table", table])
        .args(flags)
        .env_remove("AWS_ACCESS_KEY_ID")
        .output()
        .expect("run dynaschema apply");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

/// The lines after the header: the changes reported.
fn changes(output: &str) -> Vec<&str> {
    output.lines().skip(1).map(str::trim).collect()
}

/// Runs `dynaschema apply` and asserts its exit code and the changes it reports.
#[track_caller]
fn expect_apply(schema: &Path, table: &str, flags: &[&str], code: i32, expected: &[&str]) {
    let (actual, out) = apply(schema, table, flags);
    assert_eq!((actual, changes(&out)), (code, expected.to_vec()), "{out}");
}

fn client() -> Client {
    server().client()
}

async fn gsi_names(table: &str) -> Vec<String> {
    let described = client()
        .describe_table()
        .table_name(table)
        .send()
        .await
        .unwrap();
    let mut names: Vec<String> = described
        .table()
        .unwrap()
        .global_secondary_indexes()
        .iter()
        .map(|g| g.index_name().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

async fn exists(table: &str) -> bool {
    exists_for(&client(), table).await
}

#[tokio::test]
async fn a_dry_run_changes_nothing_then_apply_creates_and_a_second_run_is_a_no_op() {
    let dir = temp_dir("create");
    let path = schema(&dir, "base", "", &[]);
    let table = table_name("create");

    let (code, out) = apply(&path, &table, &["--dry-run"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        changes(&out),
        ["+ create the table", "dry run: nothing was changed"]
    );
    assert!(!exists(&table).await, "a dry run created the table");

    expect_apply(&path, &table, &[], 0, &["done: create the table"]);
    assert_eq!(gsi_names(&table).await, ["gsi1"]);

    let before = client()
        .describe_table()
        .table_name(&table)
        .send()
        .await
        .unwrap();
    expect_apply(&path, &table, &[], 0, &["up to date: nothing to change"]);
    let after = client()
        .describe_table()
        .table_name(&table)
        .send()
        .await
        .unwrap();
    assert_eq!(
        before.table().unwrap().global_secondary_indexes(),
        after.table().unwrap().global_secondary_indexes()
    );
}

#[tokio::test]
async fn adding_a_gsi_to_the_schema_adds_exactly_that_gsi() {
    let dir = temp_dir("add");
    let table = table_name("add");
    let (code, out) = apply(&schema(&dir, "base", "", &[]), &table, &[]);
    assert_eq!(code, 0, "{out}");
    let gsi1_before = client()
        .describe_table()
        .table_name(&table)
        .send()
        .await
        .unwrap();

    let grown = schema(&dir, "grown", "", &["gsi2"]);
    expect_apply(&grown, &table, &[], 0, &["done: add GSI `gsi2`"]);
    assert_eq!(gsi_names(&table).await, ["gsi1", "gsi2"]);
    let described = client()
        .describe_table()
        .table_name(&table)
        .send()
        .await
        .unwrap();
    let gsi = |d: &dynaschema::aws_sdk_dynamodb::operation::describe_table::DescribeTableOutput,
               name: &str| {
        d.table()
            .unwrap()
            .global_secondary_indexes()
            .iter()
            .find(|g| g.index_name() == Some(name))
            .cloned()
            .unwrap()
    };
    let gsi2 = gsi(&described, "gsi2");
    assert_eq!(
        gsi2.key_schema()
            .iter()
            .map(|k| (k.attribute_name(), k.key_type().as_str()))
            .collect::<Vec<_>>(),
        [("gsi2pk", "HASH"), ("gsi2sk", "RANGE")]
    );
    assert_eq!(
        gsi2.projection()
            .unwrap()
            .projection_type()
            .unwrap()
            .as_str(),
        "KEYS_ONLY"
    );
    assert_eq!(gsi2.index_status().unwrap().as_str(), "ACTIVE");
    assert_eq!(
        gsi(&gsi1_before, "gsi1").index_arn(),
        gsi(&described, "gsi1").index_arn(),
        "gsi1 untouched"
    );

    expect_apply(&grown, &table, &[], 0, &["up to date: nothing to change"]);
}

#[tokio::test]
async fn ttl_and_stream_are_turned_on_as_declared() {
    let dir = temp_dir("options");
    let table = table_name("options");
    let (code, out) = apply(&schema(&dir, "base", "", &[]), &table, &[]);
    assert_eq!(code, 0, "{out}");
    let options =
        "ttl_attribute = \"expires\"\nstream = \"new_and_old_images\"\ndeletion_protection = true";
    let configured = schema(&dir, "configured", options, &[]);
    expect_apply(
        &configured,
        &table,
        &[],
        0,
        &[
            "done: turn TTL on, attribute `expires`",
            "done: turn the stream on, NEW_AND_OLD_IMAGES",
            "done: turn deletion protection on",
        ],
    );
    let ttl = client()
        .describe_time_to_live()
        .table_name(&table)
        .send()
        .await
        .unwrap();
    let ttl = ttl.time_to_live_description().unwrap();
    assert_eq!(ttl.attribute_name(), Some("expires"));
    assert_eq!(ttl.time_to_live_status().unwrap().as_str(), "ENABLED");
    let described = client()
        .describe_table()
        .table_name(&table)
        .send()
        .await
        .unwrap();
    let stream = described.table().unwrap().stream_specification().unwrap();
    assert!(stream.stream_enabled());
    assert_eq!(
        stream.stream_view_type().unwrap().as_str(),
        "NEW_AND_OLD_IMAGES"
    );

    expect_apply(
        &configured,
        &table,
        &[],
        0,
        &["up to date: nothing to change"],
    );
    // Turning protection off again lets the test server drop the table later.
    expect_apply(
        &schema(
            &dir,
            "plain",
            "ttl_attribute = \"expires\"\nstream = \"new_and_old_images\"",
            &[],
        ),
        &table,
        &[],
        0,
        &["done: turn deletion protection off"],
    );
}

#[tokio::test]
async fn deleting_needs_allow_destructive() {
    let dir = temp_dir("destructive");
    let table = table_name("destructive");
    let options = "stream = \"keys_only\"";
    let (code, out) = apply(&schema(&dir, "wide", options, &["gsi2"]), &table, &[]);
    assert_eq!(code, 0, "{out}");

    let narrow = schema(&dir, "narrow", "", &[]);
    expect_apply(
        &narrow,
        &table,
        &[],
        1,
        &[
            "skipped: delete GSI `gsi2` (the schema does not declare it) (destructive: pass --allow-destructive)",
            "skipped: turn the stream off (destructive: pass --allow-destructive)",
        ],
    );
    assert_eq!(
        gsi_names(&table).await,
        ["gsi1", "gsi2"],
        "nothing was deleted"
    );

    expect_apply(
        &narrow,
        &table,
        &["--allow-destructive"],
        0,
        &[
            "done: delete GSI `gsi2` (the schema does not declare it)",
            "done: turn the stream off",
        ],
    );
    assert_eq!(gsi_names(&table).await, ["gsi1"]);
}

#[tokio::test]
async fn a_changed_table_key_is_reported_not_attempted() {
    let dir = temp_dir("incompatible");
    let table = table_name("incompatible");
    let (code, out) = apply(&schema(&dir, "base", "", &[]), &table, &[]);
    assert_eq!(code, 0, "{out}");
    let rekeyed = dir.join("rekeyed.toml");
    std::fs::write(
        &rekeyed,
        std::fs::read_to_string(dir.join("base.toml"))
            .unwrap()
            .replace("sort_key = \"sk\"", "sort_key = \"rk\""),
    )
    .unwrap();
    expect_apply(
        &rekeyed,
        &table,
        &[],
        1,
        &[
            "not done: cannot change in place: the table's key is (pk, sk), the schema declares (pk, rk) (re-create the table and copy its items)",
        ],
    );
}

#[test]
fn an_unreachable_endpoint_is_an_error_naming_the_call() {
    let dir = temp_dir("unreachable");
    let output = Command::new(env!("CARGO_BIN_EXE_dynaschema"))
        .arg("apply")
        .arg(schema(&dir, "base", "", &[]))
        .args(["--endpoint", "http://127.0.0.1:9", "--table", "nowhere"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: DescribeTable failed"),
        "{stderr}"
    );
}

#[test]
fn the_definition_made_at_run_time_is_the_one_the_build_generates() {
    let load = |path: &str| dynaschema_codegen::load(path).unwrap().schema;
    for (path, generated) in [
        (
            "../schema-examples/shop/dynaschema.toml",
            shop_example::shop::DEFINITION,
        ),
        (
            "../schema-examples/ecommerce/dynaschema.toml",
            ecommerce_example::ecommerce::DEFINITION,
        ),
        (
            "../schema-examples/big-time-deals/dynaschema.toml",
            big_time_deals_example::big_time_deals::DEFINITION,
        ),
        (
            "../schema-examples/online-shop/dynaschema.toml",
            online_shop_example::online_shop::DEFINITION,
        ),
        (
            "../schema-examples/version-control/dynaschema.toml",
            version_control_example::version_control::DEFINITION,
        ),
    ] {
        assert_eq!(&load(path).definition(), generated, "{path}");
    }
}

/// The scenario that used to report `done` and exit 0: a table with items gains a
/// GSI that `Thing` fills from derived attributes its items do not have yet.
#[tokio::test]
async fn adding_a_gsi_to_a_table_with_items_says_a_backfill_is_needed() {
    use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
    let dir = temp_dir("backfill");
    let table = table_name("backfill");
    expect_apply(
        &schema(&dir, "base", "", &[]),
        &table,
        &[],
        0,
        &["done: create the table"],
    );
    client()
        .put_item()
        .table_name(&table)
        .item("pk", AttributeValue::S("THING#1".into()))
        .item("sk", AttributeValue::S("THING".into()))
        .item("_et", AttributeValue::S("Thing".into()))
        .item("kind", AttributeValue::S("box".into()))
        .item("owner", AttributeValue::S("ada".into()))
        .send()
        .await
        .unwrap();
    let grown = schema(&dir, "grown", "", &["gsi2"]);
    expect_apply(
        &grown,
        &table,
        &[],
        1,
        &[
            "done: add GSI `gsi2`",
            "backfill needed: `gsi2` reads `gsi2pk`, `gsi2sk`, which items of `Thing` written before this change do not have: patterns on `gsi2` miss them until a migration writes them",
            "the table is not yet in line with the schema: run the schema's migration for `Thing` (see `dynaschema diff` for what changed)",
        ],
    );
    assert_eq!(gsi_names(&table).await, ["gsi1", "gsi2"]);
}

/// An AWS config and credentials file pair with one profile, `sandbox`: its own
/// access key and region. Returns the environment that points the SDK at them and
/// clears every other source of credentials and region.
fn aws_files(dir: &Path) -> Vec<(&'static str, String)> {
    let config = dir.join("config");
    let credentials = dir.join("credentials");
    std::fs::write(&config, "[profile sandbox]\nregion = eu-west-1\n").unwrap();
    std::fs::write(
        &credentials,
        "[sandbox]\naws_access_key_id = sandboxkey\naws_secret_access_key = sandboxsecret\n",
    )
    .unwrap();
    vec![
        ("AWS_CONFIG_FILE", config.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            credentials.display().to_string(),
        ),
        // No instance metadata lookups on this machine (they would only time out).
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
    ]
}

/// Runs `dynaschema apply` with exactly `env` of the AWS environment variables.
fn apply_with_env(schema: &Path, flags: &[&str], env: &[(&str, String)]) -> (i32, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dynaschema"));
    command.arg("apply").arg(schema).args(flags);
    for (key, _) in std::env::vars() {
        if key.starts_with("AWS_") {
            command.env_remove(key);
        }
    }
    command.envs(env.iter().map(|(k, v)| (k, v)));
    let output = command.output().expect("run dynaschema apply");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

/// A client of DynamoDB Local as `access_key` in `region`: DynamoDB Local keeps one
/// set of tables per access key and region, so which client sees a table tells
/// which credentials and region created it.
fn client_as(access_key: &str, region: &str) -> Client {
    use dynaschema::aws_sdk_dynamodb::config::{Credentials, Region};
    let config = server()
        .client()
        .config()
        .to_builder()
        .region(Region::new(region.to_owned()))
        .credentials_provider(Credentials::new(access_key, "secret", None, None, "test"))
        .build();
    Client::from_conf(config)
}

async fn exists_for(client: &Client, table: &str) -> bool {
    client
        .describe_table()
        .table_name(table)
        .send()
        .await
        .is_ok()
}

#[tokio::test]
async fn a_profile_gives_apply_its_credentials_and_region_and_region_overrides_it() {
    let dir = temp_dir("profile");
    let env = aws_files(&dir);
    let path = schema(&dir, "base", "", &[]);
    let endpoint = server().endpoint();

    let table = table_name("profile");
    let flags = [
        "--profile",
        "sandbox",
        "--endpoint",
        endpoint,
        "--table",
        &table,
    ];
    let (code, out) = apply_with_env(&path, &flags, &env);
    assert_eq!(code, 0, "{out}");
    assert!(exists_for(&client_as("sandboxkey", "eu-west-1"), &table).await);
    assert!(
        !exists_for(&client(), &table).await,
        "made with the local dummy key"
    );
    assert!(!exists_for(&client_as("sandboxkey", "us-east-1"), &table).await);

    let table = table_name("region");
    let flags = [
        "--profile",
        "sandbox",
        "--region",
        "ap-south-1",
        "--endpoint",
        endpoint,
        "--table",
        &table,
    ];
    let (code, out) = apply_with_env(&path, &flags, &env);
    assert_eq!(code, 0, "{out}");
    assert!(exists_for(&client_as("sandboxkey", "ap-south-1"), &table).await);
    assert!(!exists_for(&client_as("sandboxkey", "eu-west-1"), &table).await);

    // AWS_PROFILE is the same thing as --profile.
    let table = table_name("aws-profile");
    let mut with_profile = env.clone();
    with_profile.push(("AWS_PROFILE", "sandbox".to_owned()));
    let flags = ["--endpoint", endpoint, "--table", &table];
    let (code, out) = apply_with_env(&path, &flags, &with_profile);
    assert_eq!(code, 0, "{out}");
    assert!(exists_for(&client_as("sandboxkey", "eu-west-1"), &table).await);
}

#[tokio::test]
async fn environment_credentials_are_used_even_for_a_loopback_endpoint() {
    let dir = temp_dir("env-credentials");
    let path = schema(&dir, "base", "", &[]);
    let table = table_name("env");
    let mut env = aws_files(&dir);
    env.extend([
        ("AWS_ACCESS_KEY_ID", "envkey".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "envsecret".to_owned()),
        ("AWS_REGION", "eu-central-1".to_owned()),
    ]);
    let flags = ["--endpoint", server().endpoint(), "--table", &table];
    let (code, out) = apply_with_env(&path, &flags, &env);
    assert_eq!(code, 0, "{out}");
    assert!(exists_for(&client_as("envkey", "eu-central-1"), &table).await);
    assert!(!exists_for(&client(), &table).await);
}

#[test]
fn a_missing_profile_or_region_is_one_clear_error_before_any_request() {
    let dir = temp_dir("missing-profile");
    let env = aws_files(&dir);
    let path = schema(&dir, "base", "", &[]);
    // No endpoint: the region's real endpoint, which is never reached (no network).
    let flags = ["--profile", "nope", "--region", "eu-west-1", "--table", "t"];
    let (code, out) = apply_with_env(&path, &flags, &env);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("error: no AWS credentials"), "{out}");
    assert!(out.contains("nope"), "the profile is named: {out}");
    assert!(out.contains("--profile"), "says what to do: {out}");

    let flags = ["--table", "t"];
    let (code, out) = apply_with_env(&path, &flags, &env);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("error: no AWS region: pass --region"), "{out}");
}
