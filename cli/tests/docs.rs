//! `dynaschema docs`: writes the Markdown or HTML page into the folder asked for,
//! lays out the items of a file when given one, and refuses a bad items file.

use std::path::PathBuf;
use std::process::{Command, Output};

const SHOP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemas/shop.toml");

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dynaschema-docs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn docs(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dynaschema"))
        .arg("docs")
        .arg(SHOP)
        .args(args)
        .output()
        .expect("run dynaschema docs")
}

#[test]
fn markdown_and_html_are_written_into_the_folder() {
    let dir = out_dir("both");
    let out = dir.to_str().unwrap();
    let output = docs(&["--out", out]);
    assert!(output.status.success(), "{output:?}");
    let markdown = std::fs::read_to_string(dir.join("index.md")).unwrap();
    assert!(markdown.starts_with("# Shop\n"));
    assert!(markdown.contains("| [`user_orders`](#user-orders) | Query `Order` |"));

    let output = docs(&["--format", "html", "--out", out]);
    assert!(output.status.success(), "{output:?}");
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(html.contains(r#"<td class="partition" rowspan="2">USER#user1</td>"#));
}

#[test]
fn html_lays_out_the_items_of_a_scan_output() {
    let dir = out_dir("items");
    std::fs::create_dir_all(&dir).unwrap();
    let items = dir.join("scan.json");
    std::fs::write(
        &items,
        r#"{"Items": [
            {"pk": {"S": "USER#ada"}, "sk": {"S": "PROFILE"}, "_et": {"S": "User"}, "name": {"S": "Ada"}},
            {"pk": {"S": "USER#ada"}, "sk": {"S": "ORDER#2026#o1"}, "_et": {"S": "Order"}, "total": {"N": "42"}}
        ], "Count": 2}"#,
    )
    .unwrap();
    let output = docs(&[
        "--format",
        "html",
        "--items",
        items.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{output:?}");
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(html.contains(r#"<td class="partition" rowspan="2">USER#ada</td>"#));
    assert!(html.contains("<b>total</b> 42"));
    assert!(
        !html.contains("USER#user1"),
        "no example items when a file is given"
    );
}

#[test]
fn a_bad_items_file_is_refused_naming_it() {
    let dir = out_dir("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let items = dir.join("items.json");
    std::fs::write(&items, r#"{"pk": "not a list"}"#).unwrap();
    let output = docs(&[
        "--format",
        "html",
        "--items",
        items.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("items.json: expected a JSON array of items"),
        "{stderr}"
    );
    assert!(!dir.join("index.html").exists());
}
