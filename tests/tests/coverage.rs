//! Access-pattern coverage recording (`DYNASCHEMA_COVERAGE`), end to end: several
//! processes, each running patterns concurrently on DynamoDB Local, append to one
//! file; every record survives whole and each execution counts once.

use std::collections::BTreeMap;
use std::process::{Command, Output};

use dynaschema_tests::{Document, Note, server, testbed_table};

const WRITER: &str = env!("CARGO_BIN_EXE_coverage-writer");
const PROCESSES: usize = 3;
const ROUNDS: usize = 40;

fn writer(endpoint: &str, table: &str, coverage: Option<&std::path::Path>) -> std::process::Child {
    let mut command = Command::new(WRITER);
    command.args([endpoint, table, &ROUNDS.to_string()]);
    command.env_remove(dynaschema::coverage::ENV);
    if let Some(path) = coverage {
        command.env(dynaschema::coverage::ENV, path);
    }
    command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start coverage-writer")
}

fn succeeded(output: Output) -> Output {
    assert!(
        output.status.success(),
        "coverage-writer failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A test-bed table holding what the writer reads: documents d1 and d2 of ada, two
/// notes on d1.
async fn seeded() -> dynaschema_tests::testbed::Table {
    let table = testbed_table().await;
    let created = chrono::Utc::now();
    for id in ["d1", "d2"] {
        table
            .put(&Document::sample(id, "ada", created))
            .await
            .unwrap();
    }
    for note_id in [1, 2] {
        table
            .put(&Note {
                doc_id: "d1".into(),
                note_id,
                text: "a note".into(),
            })
            .await
            .unwrap();
    }
    table
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_processes_record_every_execution_once() {
    let table = seeded().await;
    let dir = std::env::temp_dir().join(format!("dynaschema-coverage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("coverage.jsonl");
    let _ = std::fs::remove_file(&file);

    let children: Vec<_> = (0..PROCESSES)
        .map(|_| writer(server().endpoint(), table.name(), Some(&file)))
        .collect();
    for child in children {
        succeeded(child.wait_with_output().unwrap());
    }

    let text = std::fs::read_to_string(&file).unwrap();
    let mut counts = BTreeMap::<(String, String), usize>::new();
    for line in text.lines() {
        let record: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("a torn or invalid record {line:?}: {e}"));
        let field = |name: &str| record[name].as_str().unwrap().to_owned();
        *counts
            .entry((field("table"), field("pattern")))
            .or_default() += 1;
    }
    let expected = PROCESSES * ROUNDS;
    let key = |pattern: &str| ("Testbed".to_owned(), pattern.to_owned());
    assert_eq!(
        counts,
        BTreeMap::from([
            // Each round: one get, one query read as two pages, one three-segment scan.
            (key("all_notes"), expected),
            (key("documents_by_owner"), expected),
            (key("get_document"), expected),
        ]),
        "records are keyed by the schema's table name, not the physical {}",
        table.name()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_coverage_file_is_reported_and_the_program_runs_on() {
    let table = seeded().await;
    let missing = std::env::temp_dir().join("dynaschema-no-such-dir/coverage.jsonl");
    let output = succeeded(
        writer(server().endpoint(), table.name(), Some(&missing))
            .wait_with_output()
            .unwrap(),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("DYNASCHEMA_COVERAGE") && stderr.contains("cannot be opened"),
        "no report of the unwritable file in: {stderr}"
    );
    assert!(!missing.exists());
}
