// `documents_by_owner` sorts by `DOC#{created_at}#{doc_id}`: `doc_id` can only be
// narrowed once `created_at` is fixed, so the method does not exist before that.
async fn newest(table: &dynaschema_tests::testbed::Table) {
    let _ = table.documents_by_owner("ada").doc_id_gt("d1").all().await;
}

// Fixing the last segment gives a finished query: nothing is left to narrow.
async fn tagged(table: &dynaschema_tests::testbed::Table) {
    let _ = table.document_notes("d").note_id(&1).note_id(&2);
}

fn main() {}
