//! Failure paths: decode errors, wrong entities, service errors, and bad input
//! refused before anything is sent.

use chrono::{TimeZone, Utc};
use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
use dynaschema::{AttributeError, Error, KeyErrorReason};
use dynaschema_tests::{Document, Note, client, testbed, testbed_table, unique_table_name};

fn day() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap()
}

/// A handle on a table that does not exist: any request that reaches the server
/// fails with `ResourceNotFoundException`, so any other error proves the request
/// was refused before it was sent.
fn missing_table() -> testbed::Table {
    testbed::Table::new(client(), unique_table_name("never-created"))
}

#[tokio::test]
async fn a_stored_attribute_of_the_wrong_type_names_entity_attribute_and_types() {
    let table = testbed_table().await;
    let mut item = Document::sample("d", "ada", day()).to_item_for_test();
    item.insert("pages".into(), AttributeValue::S("twelve".into()));
    table
        .client()
        .put_item()
        .table_name(table.name())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    let err = table.get(Document::key("d")).await.unwrap_err();
    let Error::Decode(decode) = err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(decode.entity, "Document");
    assert_eq!(decode.attribute, "pages");
    assert_eq!(
        decode.reason,
        AttributeError::WrongType {
            expected: "u32 (N)",
            found: "S"
        }
    );
}

#[tokio::test]
async fn a_nested_decode_error_names_the_full_path() {
    let table = testbed_table().await;
    let mut item = Document::sample("d", "ada", day()).to_item_for_test();
    let AttributeValue::M(reviewer) = item.get_mut("reviewer").unwrap() else {
        panic!()
    };
    reviewer.insert("name".into(), AttributeValue::N("1".into()));
    table
        .client()
        .put_item()
        .table_name(table.name())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    let Err(Error::Decode(decode)) = table.get(Document::key("d")).await else {
        panic!()
    };
    assert_eq!(decode.attribute, "reviewer.name");
}

#[tokio::test]
async fn a_missing_required_attribute_is_a_decode_error() {
    let table = testbed_table().await;
    let mut item = Document::sample("d", "ada", day()).to_item_for_test();
    item.remove("title");
    table
        .client()
        .put_item()
        .table_name(table.name())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    let Err(Error::Decode(decode)) = table.get(Document::key("d")).await else {
        panic!()
    };
    assert_eq!(decode.attribute, "title");
    assert!(matches!(decode.reason, AttributeError::Missing { .. }));
}

#[tokio::test]
async fn getting_another_entitys_item_is_a_decode_error_not_a_wrong_value() {
    let table = testbed_table().await;
    table
        .put(&Note {
            doc_id: "d".into(),
            note_id: 1,
            text: "t".into(),
        })
        .await
        .unwrap();
    let forged = dynaschema::Key::<Document>::new(
        ("pk".into(), "DOC#d".into()),
        Some(("sk".into(), "NOTE#0000000001".into())),
    );
    let Err(Error::Decode(decode)) = table.get(forged).await else {
        panic!()
    };
    assert_eq!(decode.entity, "Document");
    assert_eq!(decode.attribute, "kind");
}

#[tokio::test]
async fn a_missing_table_is_a_service_error_with_its_code() {
    let err = missing_table().get(Document::key("d")).await.unwrap_err();
    let Error::Service(service) = err else {
        panic!("expected a service error, got {err:?}")
    };
    assert_eq!(service.code(), Some("ResourceNotFoundException"));
    assert_eq!(service.operation(), "GetItem");
    let err = missing_table()
        .documents_by_owner("ada")
        .all()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Service(s) if s.code() == Some("ResourceNotFoundException")),
        "{err:?}"
    );
}

/// Which access pattern a failed request served, as its service error says.
fn failed_pattern(result: Result<impl std::fmt::Debug, Error>) -> (Option<&'static str>, String) {
    match result {
        Err(Error::Service(service)) => {
            assert_eq!(service.code(), Some("ResourceNotFoundException"));
            (service.pattern(), service.to_string())
        }
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_service_error_names_the_pattern_whose_request_failed() {
    let table = missing_table();
    // A collection reads several entities: its error names the pattern, not them.
    let (pattern, message) =
        failed_pattern(table.document_with_notes("d").await.map(|c| c.notes.len()));
    assert_eq!(pattern, Some("document_with_notes"));
    assert!(
        message.starts_with(
            "Query of pattern `document_with_notes` failed: ResourceNotFoundException"
        ),
        "{message}"
    );
    let (pattern, _) = failed_pattern(table.documents_by_owner("ada").all().await);
    assert_eq!(pattern, Some("documents_by_owner"));
    let (pattern, _) = failed_pattern(table.all_notes().all().await);
    assert_eq!(pattern, Some("all_notes"));
    let (pattern, _) = failed_pattern(table.get_document("d").await);
    assert_eq!(pattern, Some("get_document"));
    // A get by key serves no declared pattern.
    let (pattern, message) = failed_pattern(table.get(Document::key("d")).await);
    assert_eq!(pattern, None);
    assert!(message.starts_with("GetItem failed: "), "{message}");
}

#[tokio::test]
async fn an_empty_key_segment_is_refused_before_sending() {
    let table = missing_table();
    let err = table.get(Document::key("")).await.unwrap_err();
    let Error::Key(key) = err else {
        panic!("expected a key error, got {err:?}")
    };
    assert_eq!((key.entity, key.attribute.as_str()), ("Document", "doc_id"));
    assert_eq!(key.reason, KeyErrorReason::EmptySegment);

    let err = table.documents_by_owner("").all().await.unwrap_err();
    assert!(matches!(err, Error::Key(_)), "{err:?}");
    let err = table
        .put(&Document::sample("", "ada", day()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Key(_)), "{err:?}");
}

#[tokio::test]
async fn an_oversized_key_is_refused_before_sending() {
    let table = missing_table();
    let long = "x".repeat(2100);
    let Err(Error::Key(key)) = table.get(Document::key(&long)).await else {
        panic!()
    };
    assert_eq!(key.attribute, "pk");
    assert_eq!(
        key.reason,
        KeyErrorReason::TooLong {
            size: 2104,
            limit: 2048
        }
    );

    // 1,020 bytes fit a partition key but not a sort key (`NOTE#` + 1,020 > 1,024).
    let mut doc = Document::sample("d", &"o".repeat(1020), day());
    doc.doc_id = "y".repeat(1000);
    let Err(Error::Key(key)) = table.put(&doc).await else {
        panic!()
    };
    assert_eq!(key.attribute, "gsi1sk");
    assert!(matches!(
        key.reason,
        KeyErrorReason::TooLong { limit: 1024, .. }
    ));
}

#[tokio::test]
async fn a_non_finite_number_is_refused_before_sending() {
    let table = missing_table();
    let mut doc = Document::sample("d", "ada", day());
    doc.score = f64::NAN;
    let err = table.put(&doc).await.unwrap_err();
    let Error::Encode(encode) = err else {
        panic!("expected an encode error, got {err:?}")
    };
    assert_eq!(
        (encode.entity, encode.attribute.as_str()),
        ("Document", "score")
    );

    // 39 significant digits: more than DynamoDB stores.
    let mut doc = Document::sample("d", "ada", day());
    doc.big = u128::MAX;
    let Err(Error::Encode(encode)) = table.put(&doc).await else {
        panic!()
    };
    assert_eq!(encode.attribute, "big");
    assert!(matches!(encode.reason, AttributeError::Unrepresentable(_)));
}

/// Test helper: the item as the derive writes it.
trait ToItemForTest {
    fn to_item_for_test(&self) -> dynaschema::Item;
}

impl<E: dynaschema::Entity> ToItemForTest for E {
    fn to_item_for_test(&self) -> dynaschema::Item {
        self.to_item().unwrap()
    }
}
