//! The peer benchmark in smoke mode (`peers --quick`: tiny sizes, one round), so it
//! keeps building and running with the test suite: every client — the raw SDK,
//! dynaschema, modyne, and, where Node.js and npm are present, ElectroDB and
//! DynamoDB-Toolbox — does every workload on both servers and checks what it read.
//! No time is asserted: the figures are in BENCHMARKS.md, from full release runs.

use std::process::Command;

#[test]
fn the_peer_benchmark_runs_every_client_and_workload_on_both_servers() {
    let output = Command::new(env!("CARGO_BIN_EXE_peers"))
        .arg("--quick")
        .output()
        .expect("run peers");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "peers --quick failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let node = Command::new("node").arg("--version").output().is_ok()
        && Command::new("npm").arg("--version").output().is_ok();
    let mut clients = vec!["raw SDK, hand-written", "dynaschema", "modyne 0.3"];
    if node {
        clients.extend(["ElectroDB 3 (Node.js)", "DynamoDB-Toolbox 2 (Node.js)"]);
    } else {
        assert!(
            stdout.contains("Node.js peers left out"),
            "without Node.js the run must say so:\n{stdout}"
        );
    }
    for server in ["DynamoDB Local", "embedded"] {
        for workload in [
            "put, sequential",
            "get, sequential",
            "query of",
            "collection: a customer and",
            "batch write of",
            "batch get of",
        ] {
            for client in &clients {
                assert!(
                    stdout
                        .lines()
                        .any(|l| l.starts_with(&format!("| {server}: {workload}"))
                            && l.contains(&format!("| {client} |"))),
                    "no `{workload}` row for {client} on {server} in:\n{stdout}"
                );
            }
        }
    }
}
