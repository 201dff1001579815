// Update values are typed by the field's path: `pages` is a number, and only
// optional fields can be removed.
use dynaschema_tests::{testbed, Document};

async fn wrong(table: &testbed::Table) {
    let f = Document::fields();
    let _ = table.update(Document::key("d")).set(&f.pages, "twelve").await;
    let _ = table.update(Document::key("d")).remove(&f.title).await;
}

fn main() {}
