// A multi-attribute key attribute declared a number has no `_begins_with`.
async fn rounds(table: &dynaschema_tests::tournament::tournament::Table) {
    let _ = table.region_matches("worlds", "eu").round_begins_with("1").all().await;
}

fn main() {}
