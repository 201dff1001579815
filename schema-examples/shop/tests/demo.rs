//! The README's first command, `cargo run -p shop-example`, as a test: the demo
//! binary prints the result of every access pattern, on the embedded server by
//! default and on the server `DYNAMODB_ENDPOINT` names otherwise.

use std::process::Command;

const PATTERNS: [&str; 8] = [
    "get_user",
    "user_by_email",
    "user_orders",
    "order_by_id",
    "user_with_orders",
    "get_product",
    "products_by_category",
    "products_by_category_min_price",
];

fn run_demo(endpoint: Option<&str>) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shop-example"));
    command.env_remove("DYNAMODB_ENDPOINT");
    if let Some(endpoint) = endpoint {
        command.env("DYNAMODB_ENDPOINT", endpoint);
    }
    let output = command.output().expect("run the demo");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "the demo failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for pattern in PATTERNS {
        assert!(
            stdout.contains(pattern),
            "no result for `{pattern}` in:\n{stdout}"
        );
    }
    for result in [
        "Ada Lovelace <ada@example.com>",
        "orders: 3",
        "Kettle (1998 cents)",
    ] {
        assert!(stdout.contains(result), "missing {result:?} in:\n{stdout}");
    }
    stdout
}

#[test]
fn the_demo_prints_every_pattern_on_the_embedded_server() {
    let stdout = run_demo(None);
    assert!(
        stdout.contains("Started an embedded DynamoDB server"),
        "{stdout}"
    );
}

#[test]
fn the_demo_uses_the_server_dynamodb_endpoint_names() {
    let server = dynaschema::local::DynamoDbLocal::shared().unwrap_or_else(|e| {
        panic!("DynamoDB Local is required for this test and could not start: {e}")
    });
    let stdout = run_demo(Some(server.endpoint()));
    assert!(
        stdout.contains(&format!(
            "Using the DynamoDB endpoint {}",
            server.endpoint()
        )),
        "{stdout}"
    );
}
