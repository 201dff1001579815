// A pattern on a keys-only index returns the key fields, not the entity: a field that
// is not in a key template does not exist on the result.
async fn titles(table: &dynaschema_tests::testbed::Table) {
    let keys = table.document_page_keys("ada").all().await.unwrap();
    let _ = &keys[0].title;
}

fn main() {}
