//! `cargo run -p big-time-deals-example` runs every access pattern on the embedded server.

#[test]
fn the_demo_runs_every_pattern() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_big-time-deals-example"))
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
        r#"deals_of_day: ["Deal 2", "Deal 1", "Deal 0"]"#,
        r#"brand_deals_of_day(acme): ["Deal 1", "Deal 0"]"#,
        r#"category_deals_of_day(KITCHEN): ["Deal 2", "Deal 0"]"#,
        r#"get_brand(ACME): Some("Acme")"#,
        "user_messages: 2",
        r#"unread_messages: ["Welcome"]"#,
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
}
