// `_begins_with` takes the start of a text segment: on a number segment it is refused.
async fn notes(table: &dynaschema_tests::testbed::Table) {
    let _ = table.document_notes("d").note_id_begins_with("1").all().await;
}

fn main() {}
