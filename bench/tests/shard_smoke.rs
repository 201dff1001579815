//! The sharding benchmark in smoke mode (`shard-bench --quick`), so it keeps
//! building and running with the test suite. No time or ratio is asserted (the
//! figures are in BENCHMARKS.md, from a full release run).

use std::process::Command;

#[test]
fn the_sharding_benchmark_runs_every_part() {
    let output = Command::new(env!("CARGO_BIN_EXE_shard-bench"))
        .arg("--quick")
        .output()
        .expect("run shard-bench");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "shard-bench --quick failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for row in [
        "| one partition (`EVENTS`) |",
        "| 8 shards (`EVENTS#0..7`) |",
        "| 8 shards, fan-out and merge |",
        "| `stream()` (one 1 MB page per shard at most) |",
    ] {
        assert!(stdout.contains(row), "no `{row}` row in:\n{stdout}");
    }
}
