// DynamoDB refuses consistent reads of global secondary indexes: a pattern on one
// has no `consistent()`, on its query or its builder. (Local indexes and the table do.)
async fn reads(table: &dynaschema_tests::testbed::Table) {
    let _ = table.documents_by_tag("rust").consistent().all().await;
    let _ = table.documents_by_owner("ada").consistent().all().await;
    let _ = table.document_notes_by_text("d").consistent().all().await;
}

fn main() {}
