//! The Lambda handlers invoked as Lambda invokes them: with recorded events (an API
//! Gateway HTTP API request, a DynamoDB stream batch) deserialized into
//! `aws_lambda_events` types, against a table on DynamoDB Local.

use aws_lambda_events::encodings::Body;
use aws_lambda_events::event::apigw::{ApiGatewayV2httpRequest, ApiGatewayV2httpResponse};
use aws_lambda_events::event::dynamodb::Event;
use lambda_example::{Totals, orders};
use lambda_runtime::{Context, LambdaEvent};
use serde_json::{Value, json};

/// A table of its own on the process's DynamoDB Local.
async fn table() -> orders::Table {
    let server = dynaschema::local::DynamoDbLocal::shared().unwrap_or_else(|e| {
        panic!("DynamoDB Local is required for this test and could not start: {e}")
    });
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let name = format!(
        "lambda-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let table = orders::Table::new(server.client(), name);
    table.create_table().await.expect("create the table");
    table
}

/// The recorded API Gateway request with another route, path, query and body.
fn request(
    route: &str,
    customer_id: &str,
    query: Value,
    body: Option<&str>,
) -> LambdaEvent<ApiGatewayV2httpRequest> {
    let mut event: Value =
        serde_json::from_str(include_str!("events/api-request.json")).expect("recorded event");
    let (method, path) = route.split_once(' ').expect("METHOD /path");
    let raw_path = format!("/prod{}", path.replace("{customer_id}", customer_id));
    event["routeKey"] = json!(route);
    event["requestContext"]["routeKey"] = json!(route);
    event["requestContext"]["http"]["method"] = json!(method);
    event["requestContext"]["http"]["path"] = json!(raw_path);
    event["rawPath"] = json!(raw_path);
    event["pathParameters"] = json!({ "customer_id": customer_id });
    if query != Value::Null {
        event["queryStringParameters"] = query;
    }
    event["body"] = body.map_or(Value::Null, |b| json!(b));
    LambdaEvent::new(
        serde_json::from_value(event).expect("an API Gateway v2 request"),
        Context::default(),
    )
}

/// Invokes the API handler; returns the status and the JSON body.
async fn call(table: &orders::Table, event: LambdaEvent<ApiGatewayV2httpRequest>) -> (i64, Value) {
    let response: ApiGatewayV2httpResponse = lambda_example::api(table, event)
        .await
        .expect("the handler answers");
    assert_eq!(response.headers["content-type"], "application/json");
    let Some(Body::Text(body)) = response.body else {
        panic!("a text body: {:?}", response.body)
    };
    (
        response.status_code,
        serde_json::from_str(&body).expect("a JSON body"),
    )
}

/// Creates customer `ada` through the API, as a client would: 200.
async fn put_ada(table: &orders::Table, name: &str) {
    let body = format!(r#"{{"name": "{name}", "email": "ada@example.com"}}"#);
    let put = request(
        "PUT /customers/{customer_id}",
        "ada",
        Value::Null,
        Some(&body),
    );
    assert_eq!(call(table, put).await.0, 200);
}

#[tokio::test]
async fn the_recorded_request_places_an_order_for_a_known_customer() {
    let table = table().await;
    let event: LambdaEvent<ApiGatewayV2httpRequest> = LambdaEvent::new(
        serde_json::from_str(include_str!("events/api-request.json")).unwrap(),
        Context::default(),
    );
    // The customer is unknown yet: 404, and nothing is written.
    let (status, body) = call(&table, event.clone()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("no customer \"ada\""))
    );
    assert!(table.customer_orders("ada").all().await.unwrap().is_empty());

    put_ada(&table, "Ada Lovelace").await;
    let (status, body) = call(&table, event).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["total_cents"], 1998);
    assert_eq!(body["status"], "placed");
    let stored = table.customer_orders("ada").all().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].order_id.to_string(),
        body["order_id"].as_str().unwrap()
    );
}

#[tokio::test]
async fn orders_are_listed_newest_first_a_page_at_a_time_with_a_cursor() {
    let table = table().await;
    put_ada(&table, "Ada").await;
    let mut placed = Vec::new();
    for total in 1..=5 {
        let body = format!(r#"{{"total_cents": {total}}}"#);
        let post = request(
            "POST /customers/{customer_id}/orders",
            "ada",
            Value::Null,
            Some(&body),
        );
        let (status, order) = call(&table, post).await;
        assert_eq!(status, 201);
        placed.push(order["order_id"].as_str().unwrap().to_owned());
        // ULIDs made in one millisecond are not ordered; space them out.
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    placed.reverse();

    let mut seen = Vec::new();
    let mut query = json!({ "limit": "2" });
    loop {
        let get = request(
            "GET /customers/{customer_id}/orders",
            "ada",
            query.clone(),
            None,
        );
        let (status, page) = call(&table, get).await;
        assert_eq!(status, 200, "{page}");
        let orders = page["orders"].as_array().unwrap();
        assert!(orders.len() <= 2);
        seen.extend(
            orders
                .iter()
                .map(|o| o["order_id"].as_str().unwrap().to_owned()),
        );
        match page["next"].as_str() {
            Some(next) => query = json!({ "limit": "2", "cursor": next }),
            None => break,
        }
        assert!(seen.len() <= 5, "pagination does not end");
    }
    assert_eq!(seen, placed);
}

#[tokio::test]
async fn bad_requests_are_400s_that_say_what_is_wrong_and_write_nothing() {
    let table = table().await;
    let cases = [
        (
            "PUT /customers/{customer_id}",
            Value::Null,
            Some("{not json"),
            "the body is not JSON",
        ),
        (
            "PUT /customers/{customer_id}",
            Value::Null,
            Some(r#"{"name": 1}"#),
            "`name` and `email`",
        ),
        (
            "POST /customers/{customer_id}/orders",
            Value::Null,
            Some(r#"{"total_cents": -5}"#),
            "`total_cents`",
        ),
        (
            "POST /customers/{customer_id}/orders",
            Value::Null,
            None,
            "the body is not JSON",
        ),
        (
            "GET /customers/{customer_id}/orders",
            json!({ "limit": "0" }),
            None,
            "`limit` must be 1 to 100",
        ),
        (
            "GET /customers/{customer_id}/orders",
            json!({ "limit": "lots" }),
            None,
            "`limit` must be 1 to 100",
        ),
        (
            "GET /customers/{customer_id}/orders",
            json!({ "cursor": "garbage!" }),
            None,
            "bad `cursor`",
        ),
    ];
    for (route, query, body, expected) in cases {
        let (status, answer) = call(&table, request(route, "ada", query, body)).await;
        assert_eq!(status, 400, "{route}: {answer}");
        let message = answer["error"].as_str().unwrap();
        assert!(message.contains(expected), "{route}: {message}");
    }
    let (status, _) = call(
        &table,
        request("DELETE /customers/{customer_id}", "ada", Value::Null, None),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(table.get_customer("ada").await.unwrap(), None);
}

fn stream_event() -> LambdaEvent<Event> {
    LambdaEvent::new(
        serde_json::from_str(include_str!("events/stream-event.json")).expect("recorded event"),
        Context::default(),
    )
}

#[tokio::test]
async fn the_stream_handler_recomputes_totals_and_a_redelivered_batch_changes_nothing() {
    let table = table().await;
    // What the table holds when the batch arrives: ada has two orders, alan none
    // (the batch removes his only one).
    put_ada(&table, "Ada").await;
    for total in [1998, 4500] {
        let body = format!(r#"{{"total_cents": {total}}}"#);
        let post = request(
            "POST /customers/{customer_id}/orders",
            "ada",
            Value::Null,
            Some(&body),
        );
        assert_eq!(call(&table, post).await.0, 201);
    }

    let expected = vec![
        Totals {
            customer_id: "ada".into(),
            order_count: 2,
            total_cents: 6498,
        },
        Totals {
            customer_id: "alan".into(),
            order_count: 0,
            total_cents: 0,
        },
    ];
    let report = lambda_example::stream(&table, stream_event())
        .await
        .unwrap();
    assert_eq!(
        report.updated, expected,
        "the customer and the unknown item are ignored"
    );
    // Lambda retries a batch after a failure: the same records again.
    let again = lambda_example::stream(&table, stream_event())
        .await
        .unwrap();
    assert_eq!(again.updated, expected);
    assert_eq!(
        table.get_totals("ada").await.unwrap(),
        Some(expected[0].clone())
    );

    let get = request(
        "GET /customers/{customer_id}/totals",
        "ada",
        Value::Null,
        None,
    );
    assert_eq!(
        call(&table, get).await,
        (
            200,
            json!({ "customer_id": "ada", "order_count": 2, "total_cents": 6498 })
        )
    );
}

#[tokio::test]
async fn a_record_that_cannot_be_decoded_fails_the_batch_so_lambda_retries_it() {
    let table = table().await;
    let mut event: Value = serde_json::from_str(include_str!("events/stream-event.json")).unwrap();
    // An order whose total is not a number: the schema's decoding refuses it.
    event["Records"][0]["dynamodb"]["NewImage"]["total_cents"] = json!({ "S": "lots" });
    let event = LambdaEvent::new(serde_json::from_value(event).unwrap(), Context::default());
    let error = lambda_example::stream(&table, event).await.unwrap_err();
    assert!(error.to_string().contains("total_cents"), "{error}");
    assert_eq!(
        table.get_totals("ada").await.unwrap(),
        None,
        "nothing written"
    );
}
