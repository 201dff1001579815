//! Runs access patterns of the test bed, for `tests/coverage.rs`: that test starts
//! several of these processes at once with `DYNASCHEMA_COVERAGE` set and counts
//! the records they leave.
//!
//! Usage: `coverage-writer ENDPOINT TABLE ROUNDS`. Each round, run concurrently with
//! the others: `get_document("d1")`, `documents_by_owner("ada")` read as two pages of
//! one item (a continued query: one record), and the three-segment scan `all_notes`.

use dynaschema_tests::testbed;
use futures::future::try_join_all;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> dynaschema::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, endpoint, table, rounds] = args.as_slice() else {
        panic!("usage: coverage-writer ENDPOINT TABLE ROUNDS");
    };
    let rounds: usize = rounds.parse().expect("ROUNDS is a number");
    let table = testbed::Table::new(dynaschema::local::client(endpoint), table.as_str());
    try_join_all((0..rounds).map(|_| async {
        let document = table.get_document("d1").await?;
        assert!(document.is_some(), "d1 is seeded");
        let first = table.documents_by_owner("ada").limit(1).page(None).await?;
        let second = table
            .documents_by_owner("ada")
            .limit(1)
            .page(first.next.as_ref())
            .await?;
        assert_eq!((first.items.len(), second.items.len()), (1, 1));
        let notes = table.all_notes().all().await?;
        assert_eq!(notes.len(), 2);
        Ok::<_, dynaschema::Error>(())
    }))
    .await?;
    Ok(())
}
