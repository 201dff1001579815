//! `cargo run -p version-control-example` runs every access pattern on the embedded server.

#[test]
fn the_demo_runs_every_pattern() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_version-control-example"))
        .env_remove("DYNAMODB_ENDPOINT")
        .output()
        .expect("run the demo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for line in [
        "repo_with_issues: dynaschema with 3 issues",
        "repo_issues: [3, 2, 1]",
        "issues_by_status(open): [3, 1]",
        "pulls_by_status(OPEN): 1",
        r#"stargazers: ["ada"]"#,
        r#"starred_by(ada): ["dynaschema"]"#,
        r#"account_repos: ["dynaschema", "dynamodb-book"]"#,
        r#"get_account: Some("Alex DeBrie")"#,
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
}
