//! Deletes the tables a test run left on the server of `DYNASCHEMA_TEST_ENDPOINT`
//! (every table whose name starts with `dstest-`), for runs against a server that
//! outlives them: a sandbox account, a shared DynamoDB Local, Alternator.
//!
//! `DYNASCHEMA_TEST_ENDPOINT=https://dynamodb.eu-west-1.amazonaws.com cargo run -p dynaschema-tests --bin delete-test-tables`

use dynaschema_tests::{TABLE_PREFIX, client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = client();
    let mut start: Option<String> = None;
    let mut deleted = 0;
    loop {
        let page = client
            .list_tables()
            .set_exclusive_start_table_name(start.take())
            .send()
            .await?;
        for name in page.table_names() {
            if !name.starts_with(TABLE_PREFIX) {
                continue;
            }
            if client.delete_table().table_name(name).send().await.is_err() {
                // Tests of deletion protection leave it on: turn it off, then delete.
                client
                    .update_table()
                    .table_name(name)
                    .deletion_protection_enabled(false)
                    .send()
                    .await?;
                client.delete_table().table_name(name).send().await?;
            }
            deleted += 1;
        }
        match page.last_evaluated_table_name() {
            Some(last) => start = Some(last.to_owned()),
            None => break,
        }
    }
    println!(
        "deleted {deleted} test tables at {}",
        dynaschema_tests::server().endpoint()
    );
    Ok(())
}
