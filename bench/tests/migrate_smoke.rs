//! The migration benchmark in smoke mode (`migrate-bench --quick`), so it keeps building
//! and running with the test suite. No time is asserted (BENCHMARKS.md has the
//! figures from a full release run).

use std::process::Command;

#[test]
fn the_migration_benchmark_runs() {
    let output = Command::new(env!("CARGO_BIN_EXE_migrate-bench"))
        .arg("--quick")
        .output()
        .expect("run migrate-bench");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "migrate-bench --quick failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("| DynamoDB Local: migrate 200 users") && stdout.contains(" WCU/s |"),
        "{stdout}"
    );
}
