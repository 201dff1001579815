//! Runs the v2 `User` migration of the evolution schema (see
//! `tests/tests/dynamodb_local/migrations.rs`), for the test that kills it with
//! SIGKILL and resumes it from its checkpoint.
//!
//! Usage: `migrate-worker ENDPOINT TABLE CHECKPOINT`. Prints the report's counts as
//! `scanned rewritten unchanged` on success.

use dynaschema_tests::evolution::v2;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> dynaschema::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, endpoint, table, checkpoint] = args.as_slice() else {
        eprintln!("usage: migrate-worker ENDPOINT TABLE CHECKPOINT");
        std::process::exit(2);
    };
    let table = v2::evolution_v2::Table::new(dynaschema::local::client(endpoint), table.as_str());
    let report = table
        .migrate::<v2::User>()
        .segments(4)
        .page_size(25)
        .checkpoint(checkpoint)
        .await?;
    println!(
        "{} {} {}",
        report.scanned, report.rewritten, report.unchanged
    );
    Ok(())
}
