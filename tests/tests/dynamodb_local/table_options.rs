//! `create_table` applies every table option of the schema; DynamoDB Local reports
//! them back.

use dynaschema::aws_sdk_dynamodb::types::{BillingMode, StreamViewType, TimeToLiveStatus};
use dynaschema_tests::configured::{Session, configured};
use dynaschema_tests::{ServerKind, client, server, unique_table_name};

#[tokio::test]
async fn create_table_applies_every_option() {
    let table = configured::Table::new(client(), unique_table_name("configured"));
    let created = table.create_table().await.unwrap();
    // DynamoDB Local and the embedded server have no continuous backups; DynamoDB
    // enables them.
    let unsupported: &[&str] = match server().kind() {
        ServerKind::DynamoDbLocal | ServerKind::Embedded => &["point_in_time_recovery"],
        ServerKind::Other => &[],
    };
    assert_eq!(created.unsupported, unsupported);
    let described = table
        .client()
        .describe_table()
        .table_name(table.name())
        .send()
        .await
        .unwrap();
    let t = described.table().unwrap();

    let billing = t
        .billing_mode_summary()
        .and_then(|b| b.billing_mode())
        .cloned();
    assert!(
        matches!(billing, None | Some(BillingMode::Provisioned)),
        "{billing:?}"
    );
    let throughput = t.provisioned_throughput().unwrap();
    assert_eq!(
        (
            throughput.read_capacity_units(),
            throughput.write_capacity_units()
        ),
        (Some(5), Some(3))
    );
    let gsi = &t.global_secondary_indexes()[0];
    let gsi_throughput = gsi.provisioned_throughput().unwrap();
    assert_eq!(
        (
            gsi_throughput.read_capacity_units(),
            gsi_throughput.write_capacity_units()
        ),
        (Some(2), Some(1))
    );

    let stream = t.stream_specification().unwrap();
    assert!(stream.stream_enabled());
    assert_eq!(
        stream.stream_view_type(),
        Some(&StreamViewType::NewAndOldImages)
    );
    assert_eq!(t.deletion_protection_enabled(), Some(true));

    let ttl = table
        .client()
        .describe_time_to_live()
        .table_name(table.name())
        .send()
        .await
        .unwrap();
    let ttl = ttl.time_to_live_description().unwrap();
    assert_eq!(ttl.attribute_name(), Some("expires_at"));
    assert_eq!(ttl.time_to_live_status(), Some(&TimeToLiveStatus::Enabled));

    // The definition carries the tags into CreateTable. DynamoDB Local accepts them
    // but cannot list them back (`UnknownOperationException`); the embedded server
    // and DynamoDB itself list exactly them.
    let tags: Vec<(&str, &str)> = configured::DEFINITION
        .options
        .tags
        .iter()
        .map(|(k, v)| (&**k, &**v))
        .collect();
    assert_eq!(tags, [("env", "test"), ("team", "orders")]);
    let arn = t.table_arn().unwrap();
    let listed = table
        .client()
        .list_tags_of_resource()
        .resource_arn(arn)
        .send()
        .await;
    match server().kind() {
        ServerKind::DynamoDbLocal => {
            let code = listed
                .as_ref()
                .err()
                .and_then(|e| e.as_service_error())
                .and_then(|e| e.meta().code());
            assert_eq!(
                code,
                Some("UnknownOperationException"),
                "DynamoDB Local now lists tags: assert them"
            );
        }
        ServerKind::Embedded | ServerKind::Other => {
            let listed = listed.expect("ListTagsOfResource");
            let mut stored: Vec<(&str, &str)> =
                listed.tags().iter().map(|t| (t.key(), t.value())).collect();
            stored.sort();
            assert_eq!(stored, tags);
        }
    }

    // Deletion protection holds.
    let refused = table
        .client()
        .delete_table()
        .table_name(table.name())
        .send()
        .await;
    assert!(
        refused.is_err(),
        "deletion protection did not stop DeleteTable"
    );

    // Items round-trip on the configured table.
    let session = Session {
        id: "s1".into(),
        user: "ada".into(),
        expires_at: 1_900_000_000,
    };
    table.put(&session).await.unwrap();
    assert_eq!(
        table.sessions_of_user("ada").all().await.unwrap(),
        vec![session]
    );
}
