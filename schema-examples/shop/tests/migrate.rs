//! The `migrate` binary, as a deploy pipeline runs it: on a table whose users lost
//! their `gsi1` attributes (as if written before the index), a dry run says what
//! would change and exits 1; the migration backfills them, prints progress lines to
//! standard error and exits 0 once `verify` finds nothing left; a second run
//! changes nothing. On DynamoDB Local.

use std::process::{Command, Output};

use dynaschema::Entity as _;
use dynaschema::local::DynamoDbLocal;

fn migrate(endpoint: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_migrate"))
        .env("DYNAMODB_ENDPOINT", endpoint)
        .args(args)
        .output()
        .expect("run the migrate binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_migrate_binary_backfills_and_verifies() {
    let server = DynamoDbLocal::shared().unwrap_or_else(|e| panic!("DynamoDB Local: {e}"));
    let client = server.client();
    let table = shop_example::shop::Table::new(client.clone(), "shop-migrate");
    table.create_table().await.unwrap();
    let data = shop_example::dataset();
    shop_example::seed(&table, &data).await.unwrap();
    // Drift: the users lose what `gsi1` needs.
    for user in &data.users {
        let key = user.primary_key().to_attributes().unwrap();
        client
            .update_item()
            .table_name(table.name())
            .set_key(Some(key))
            .update_expression("REMOVE gsi1pk, gsi1sk")
            .send()
            .await
            .unwrap();
    }
    let users = data.users.len();
    assert!(users > 0);
    assert!(
        table
            .user_by_email(&data.users[0].email)
            .all()
            .await
            .unwrap()
            .is_empty()
    );

    let dry = migrate(
        server.endpoint(),
        &["shop-migrate", "--dry-run", "--segments", "2"],
    );
    let stdout = text(&dry.stdout);
    assert_eq!(
        dry.status.code(),
        Some(1),
        "{stdout}\n{}",
        text(&dry.stderr)
    );
    assert!(
        stdout.contains(&format!("dry run: {users} item(s) would change")),
        "{stdout}"
    );

    let checkpoints = std::env::temp_dir().join(format!("shop-migrate-{}", std::process::id()));
    let dir = checkpoints.to_str().unwrap();
    let run = migrate(
        server.endpoint(),
        &["shop-migrate", "--checkpoint-dir", dir, "--max-wcu", "1000"],
    );
    let (stdout, stderr) = (text(&run.stdout), text(&run.stderr));
    assert_eq!(run.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("User: scanned {users}, rewrote {users},")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("verify User: {users} scanned, 0 drifted")),
        "{stdout}"
    );
    // Not a terminal: plain progress lines, the last saying done.
    assert!(stderr.contains("User: examined "), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("Order: ") && l.ends_with(", done")),
        "{stderr}"
    );
    for entity in ["User", "Order", "Product"] {
        assert!(
            checkpoints
                .join(format!("shop-migrate.{entity}.checkpoint"))
                .exists()
        );
    }
    let found = table
        .user_by_email(&data.users[0].email)
        .all()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);

    // The checkpoints say it is done; without them it finds nothing to change.
    let again = migrate(
        server.endpoint(),
        &["shop-migrate", "--checkpoint-dir", dir],
    );
    assert_eq!(again.status.code(), Some(0));
    assert!(
        text(&again.stdout).contains("User: already done"),
        "{}",
        text(&again.stdout)
    );
    std::fs::remove_dir_all(&checkpoints).unwrap();
    let fresh = migrate(server.endpoint(), &["shop-migrate"]);
    let stdout = text(&fresh.stdout);
    assert_eq!(fresh.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(&format!("User: scanned {users}, rewrote 0,")),
        "{stdout}"
    );

    let bad = migrate(server.endpoint(), &["shop-migrate", "--segments", "many"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("--segments: `many` is not a valid value"));
}
