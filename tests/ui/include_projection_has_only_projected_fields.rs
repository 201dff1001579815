// `by_title` projects the keys, `title`, `body_text`, `labels` and `reviewer`:
// `pages` is not in its projection struct.
async fn pages(table: &dynaschema_tests::testbed::Table) -> Option<u32> {
    let titles = table.document_titles("ada").all().await.ok()?;
    Some(titles[0].pages)
}

fn main() {}
