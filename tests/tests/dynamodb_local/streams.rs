//! Stream records decoded into the schema's entity enum: from a recorded Lambda
//! event, and from a real stream of DynamoDB Local read with the Streams API.

use aws_lambda_events::event::dynamodb::Event;
use aws_sdk_dynamodbstreams::types::ShardIteratorType;
use dynaschema::stream::{Change, ChangeKind};
use dynaschema_tests::configured::{Session, configured};
use dynaschema_tests::testbed::AnyEntity;
use dynaschema_tests::{Account, Tally, client, server, unique_table_name};

/// A Lambda-style handler: what a function subscribed to the table's stream does
/// with each event (here, it describes each change).
fn handle(event: &Event) -> dynaschema::Result<Vec<String>> {
    let mut log = Vec::new();
    for record in &event.records {
        let change = Change::from_lambda(record, AnyEntity::from_item)?;
        log.push(match (change.kind, change.old, change.new) {
            (ChangeKind::Insert, _, Some(AnyEntity::Account(a))) => {
                format!("opened {} with {}", a.account_id, a.balance)
            }
            (ChangeKind::Modify, Some(AnyEntity::Account(old)), Some(AnyEntity::Account(new))) => {
                format!("{}: {} -> {}", new.account_id, old.balance, new.balance)
            }
            (ChangeKind::Remove, Some(AnyEntity::Tally(t)), None) => {
                format!("removed tally {} at {}", t.tally_id, t.count)
            }
            (kind, None, None) => format!("{kind:?} of an item of no known entity"),
            (kind, _, _) => format!("{kind:?} of another entity"),
        });
    }
    Ok(log)
}

#[test]
fn a_recorded_lambda_event_decodes_into_entities_with_both_images() {
    let event: Event =
        serde_json::from_str(include_str!("../../fixtures/stream-event.json")).unwrap();
    assert_eq!(
        handle(&event).unwrap(),
        [
            "opened a1 with 10",
            "a1: 10 -> 25",
            "removed tally t1 at 3",
            "Insert of an item of no known entity",
        ]
    );
    // The typed values, not only their text.
    let change = Change::from_lambda(&event.records[1], AnyEntity::from_item).unwrap();
    let Some(AnyEntity::Account(new)) = change.new else {
        panic!()
    };
    assert_eq!(
        new,
        Account {
            account_id: "a1".into(),
            owner: "ada".into(),
            balance: 25,
            version: 2
        }
    );
    assert_eq!(change.keys["pk"].as_s().unwrap(), "ACCOUNT#a1");
    let remove = Change::from_lambda(&event.records[2], AnyEntity::from_item).unwrap();
    assert_eq!(
        remove
            .old
            .map(|t| matches!(t, AnyEntity::Tally(Tally { count: 3, .. }))),
        Some(true)
    );
}

#[test]
fn a_record_that_does_not_fit_its_entity_is_a_decode_error() {
    let mut event: Event =
        serde_json::from_str(include_str!("../../fixtures/stream-event.json")).unwrap();
    event.records[0].change.new_image.insert(
        "balance".into(),
        serde_dynamo::AttributeValue::S("ten".into()),
    );
    let Err(err) = Change::from_lambda(&event.records[0], AnyEntity::from_item) else {
        panic!("decoded a record that does not fit its entity")
    };
    assert!(
        matches!(&err, dynaschema::Error::Decode(e) if e.attribute == "balance"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_real_stream_of_dynamodb_local_decodes_every_change() {
    let table = configured::Table::new(client(), unique_table_name("stream"));
    table.create_table().await.unwrap();
    let mut session = Session {
        id: "s1".into(),
        user: "ada".into(),
        expires_at: 1_800_000_000,
    };
    table.put(&session).await.unwrap();
    session.expires_at += 3600;
    table.put(&session).await.unwrap();
    table.delete(Session::key("s1")).await.unwrap();

    let described = table
        .client()
        .describe_table()
        .table_name(table.name())
        .send()
        .await
        .unwrap();
    let arn = described
        .table()
        .and_then(|t| t.latest_stream_arn())
        .expect("the table has a stream")
        .to_owned();
    let streams = aws_sdk_dynamodbstreams::Client::from_conf(
        aws_sdk_dynamodbstreams::Config::builder()
            .behavior_version(aws_sdk_dynamodbstreams::config::BehaviorVersion::latest())
            .endpoint_url(server().endpoint())
            .region(aws_sdk_dynamodbstreams::config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_dynamodbstreams::config::Credentials::new(
                "local", "local", None, None, "test",
            ))
            .build(),
    );
    let stream = streams
        .describe_stream()
        .stream_arn(&arn)
        .send()
        .await
        .unwrap();
    let mut changes = Vec::new();
    for shard in stream.stream_description().unwrap().shards() {
        let mut iterator = streams
            .get_shard_iterator()
            .stream_arn(&arn)
            .shard_id(shard.shard_id().unwrap())
            .shard_iterator_type(ShardIteratorType::TrimHorizon)
            .send()
            .await
            .unwrap()
            .shard_iterator;
        while let Some(it) = iterator.take() {
            let page = streams
                .get_records()
                .shard_iterator(it)
                .send()
                .await
                .unwrap();
            if page.records().is_empty() {
                break;
            }
            for record in page.records() {
                let data = record.dynamodb().unwrap();
                // The Streams SDK's attribute values, through serde_dynamo, into the
                // DynamoDB SDK's.
                let item = |image: Option<
                    &std::collections::HashMap<
                        String,
                        aws_sdk_dynamodbstreams::types::AttributeValue,
                    >,
                >| {
                    image.map(|i| {
                        let i: serde_dynamo::Item = i.clone().into();
                        dynaschema::Item::from(i)
                    })
                };
                let change = Change::from_images(
                    record.event_name().unwrap().as_str(),
                    item(data.keys()).unwrap_or_default(),
                    item(data.old_image()),
                    item(data.new_image()),
                    configured::AnyEntity::from_item,
                )
                .unwrap();
                changes.push(change);
            }
            iterator = page.next_shard_iterator;
        }
    }
    let summary: Vec<(ChangeKind, Option<u64>, Option<u64>)> = changes
        .iter()
        .map(|c| {
            let expiry = |e: &Option<configured::AnyEntity>| match e {
                Some(configured::AnyEntity::Session(s)) => Some(s.expires_at),
                _ => None,
            };
            (c.kind, expiry(&c.old), expiry(&c.new))
        })
        .collect();
    assert_eq!(
        summary,
        [
            (ChangeKind::Insert, None, Some(1_800_000_000)),
            (ChangeKind::Modify, Some(1_800_000_000), Some(1_800_003_600)),
            (ChangeKind::Remove, Some(1_800_003_600), None),
        ]
    );
    assert_eq!(changes[2].keys["pk"].as_s().unwrap(), "SESSION#s1");
}
