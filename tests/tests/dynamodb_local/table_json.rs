//! `dynaschema table` output: every schema's `CreateTable` JSON, sent as it is to
//! DynamoDB Local (as `aws dynamodb create-table --cli-input-json` would), creates a
//! table whose description shows exactly the declared keys and indexes.

use dynaschema_codegen::table_json;
use dynaschema_tests::{client, server, unique_table_name};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// Sends a DynamoDB API request with a JSON body over plain HTTP; DynamoDB Local
/// accepts any credentials.
async fn call(target: &str, body: &Value) -> (u16, String) {
    let endpoint = server().endpoint().trim_start_matches("http://").to_owned();
    let body = serde_json::to_vec(body).unwrap();
    let mut stream = tokio::net::TcpStream::connect(&endpoint).await.unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {endpoint}\r\nContent-Type: application/x-amz-json-1.0\r\n\
         X-Amz-Target: DynamoDB_20120810.{target}\r\nX-Amz-Date: 20260101T000000Z\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}

/// An index: name, key schema, projection type.
type IndexShape = (String, Vec<(String, String)>, String);

fn keys(schema: &Value) -> Vec<(String, String)> {
    schema
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["AttributeName"].as_str().unwrap().to_owned(),
                k["KeyType"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_schemas_create_table_json_creates_exactly_its_table() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let schemas = [
        "schema-examples/shop/dynaschema.toml",
        "schema-examples/ecommerce/dynaschema.toml",
        "schema-examples/big-time-deals/dynaschema.toml",
        "schema-examples/version-control/dynaschema.toml",
        "schema-examples/online-shop/dynaschema.toml",
        "tests/dynaschema.toml",
        "tests/schemas/tournament.toml",
        "tests/schemas/configured.toml",
    ];
    for file in schemas {
        let checked = dynaschema_codegen::load(root.join(file)).unwrap();
        let name = unique_table_name("json");
        let input = table_json::create_table(&checked.schema.definition(), &name);
        let (status, response) = call("CreateTable", &input).await;
        assert_eq!(status, 200, "{file}: {response}");

        let described = client()
            .describe_table()
            .table_name(&name)
            .send()
            .await
            .unwrap();
        let t = described.table().unwrap();
        let key_schema = |k: &[dynaschema::aws_sdk_dynamodb::types::KeySchemaElement]| {
            k.iter()
                .map(|e| {
                    (
                        e.attribute_name().to_owned(),
                        e.key_type().as_str().to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            key_schema(t.key_schema()),
            keys(&input["KeySchema"]),
            "{file}"
        );
        let mut declared: Vec<IndexShape> = Vec::new();
        for list in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
            for index in input[list].as_array().into_iter().flatten() {
                declared.push((
                    index["IndexName"].as_str().unwrap().to_owned(),
                    keys(&index["KeySchema"]),
                    index["Projection"]["ProjectionType"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                ));
            }
        }
        let mut created: Vec<IndexShape> = t
            .global_secondary_indexes()
            .iter()
            .map(|i| {
                (
                    i.index_name().unwrap().to_owned(),
                    key_schema(i.key_schema()),
                    i.projection()
                        .unwrap()
                        .projection_type()
                        .unwrap()
                        .as_str()
                        .to_owned(),
                )
            })
            .chain(t.local_secondary_indexes().iter().map(|i| {
                (
                    i.index_name().unwrap().to_owned(),
                    key_schema(i.key_schema()),
                    i.projection()
                        .unwrap()
                        .projection_type()
                        .unwrap()
                        .as_str()
                        .to_owned(),
                )
            }))
            .collect();
        declared.sort();
        created.sort();
        assert_eq!(created, declared, "{file}");
        // And the declared ones are the schema's.
        let names: Vec<&str> = declared.iter().map(|(n, _, _)| n.as_str()).collect();
        let mut expected: Vec<&str> = checked.schema.indexes[1..]
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        expected.sort();
        assert_eq!(names, expected, "{file}");
        if let Some(ttl) = table_json::update_time_to_live(&checked.schema.definition(), &name) {
            let (status, response) = call("UpdateTimeToLive", &ttl).await;
            assert_eq!(status, 200, "{file}: {response}");
        }
    }
}
