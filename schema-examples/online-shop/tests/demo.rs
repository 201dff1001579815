//! `cargo run -p online-shop-example` runs the access patterns on the embedded server.

#[test]
fn the_demo_runs() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_online-shop-example"))
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
        "order_details: order true, 1 item(s), 1 invoice(s), 1 shipment(s), 1 shipment item(s)",
        "product_orders (that day): 1",
        r#"invoice payments: Some(["gift_card"])"#,
        "warehouse_inventory: [40]",
        "customer_products (that day): 1",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
}
