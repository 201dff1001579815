//! `cargo run -p ecommerce-example` runs every access pattern on the embedded server.

#[test]
fn the_demo_runs_every_pattern() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ecommerce-example"))
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
        "customer_with_orders: Alex DeBrie with 2 orders",
        "customer_orders (newest first): [2026-11-09, 2026-11-03]",
        "order_with_items: 1 items",
        "customer_email: Some(\"alexdebrie\")",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
}
