//! The end-to-end benchmark in smoke mode (`e2e --quick`: tiny sizes, one round), so
//! it keeps building and running with the test suite. No time is asserted: the
//! figures are in BENCHMARKS.md, from full release runs.

use std::process::Command;

#[test]
fn the_e2e_benchmark_runs_every_workload_on_both_servers() {
    let output = Command::new(env!("CARGO_BIN_EXE_e2e"))
        .arg("--quick")
        .output()
        .expect("run e2e");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "e2e --quick failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for server in ["DynamoDB Local", "embedded"] {
        for workload in [
            "put (sequential)",
            "get (get_small)",
            "query of",
            "collection",
            "batch_put of",
            "batch_put vs sequential PutItem",
            "batch_get of",
            "stream a 50-item query",
            "stream a 500-item query",
            "collect a 500-item query",
        ] {
            assert!(
                stdout.contains(&format!("| {server}: {workload}")),
                "no `{workload}` row for {server} in:\n{stdout}"
            );
        }
    }
}
