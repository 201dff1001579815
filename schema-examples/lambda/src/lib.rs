//! The seed's customers and orders served from AWS Lambda: [`api`] answers API
//! Gateway HTTP API requests, [`stream`] keeps each customer's [`Totals`] from the
//! table's DynamoDB stream. Both compile the one `dynaschema.toml` of this crate; the
//! binaries `api` and `stream` wrap them in `lambda_runtime` (deploy with
//! `cargo lambda`, see the guide's "Streams and Lambda" chapter).
//!
//! Each handler is a plain `async fn` of the table and the event, so a test calls it
//! with a recorded event against DynamoDB Local (`tests/handlers.rs`).

use std::collections::BTreeSet;

use aws_lambda_events::encodings::Body;
use aws_lambda_events::event::apigw::{ApiGatewayV2httpRequest, ApiGatewayV2httpResponse};
use aws_lambda_events::event::dynamodb::Event;
use dynaschema::stream::Change;
use dynaschema::{Cursor, Entity};
use lambda_runtime::LambdaEvent;
use serde_json::{Value, json};
use ulid::Ulid;

dynaschema::include_schema!(pub orders);

/// A customer's profile.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Customer {
    pub customer_id: String,
    pub name: String,
    pub email: String,
}

/// An order. Its id is a ULID, so newer orders sort after older ones.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Order {
    pub customer_id: String,
    pub order_id: Ulid,
    pub total_cents: i64,
    /// `status` is a DynamoDB reserved word; dynaschema always uses placeholders.
    pub status: String,
}

/// A customer's order count and total, written only by [`stream`].
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Totals {
    pub customer_id: String,
    pub order_count: u64,
    pub total_cents: i64,
}

/// The most orders one `GET .../orders` returns.
pub const MAX_PAGE: usize = 100;

/// The API handler: API Gateway HTTP API (payload 2.0) routes
///
/// - `PUT /customers/{customer_id}` with `{"name": .., "email": ..}`
/// - `GET /customers/{customer_id}`
/// - `POST /customers/{customer_id}/orders` with `{"total_cents": ..}` (201, the order)
/// - `GET /customers/{customer_id}/orders?limit=&cursor=` (a page, newest first, and
///   the cursor of the next)
/// - `GET /customers/{customer_id}/totals`
///
/// A bad request is a 400 naming what is wrong, an unknown customer a 404; a failure
/// of DynamoDB is the handler's error (Lambda logs it; API Gateway answers 500).
pub async fn api(
    table: &orders::Table,
    event: LambdaEvent<ApiGatewayV2httpRequest>,
) -> Result<ApiGatewayV2httpResponse, lambda_runtime::Error> {
    let request = event.payload;
    let route = request.route_key.as_deref().unwrap_or_default();
    let Some(customer_id) = request.path_parameters.get("customer_id").cloned() else {
        return Ok(respond(
            404,
            json!({ "error": format!("no route {route:?}") }),
        ));
    };
    let body = || -> Result<Value, String> {
        let text = request.body.as_deref().unwrap_or_default();
        serde_json::from_str(text).map_err(|e| format!("the body is not JSON: {e}"))
    };
    let response = match route {
        "PUT /customers/{customer_id}" => {
            let body = match body() {
                Ok(body) => body,
                Err(message) => return Ok(bad_request(&message)),
            };
            let (Some(name), Some(email)) = (body["name"].as_str(), body["email"].as_str()) else {
                return Ok(bad_request("`name` and `email` (strings) are required"));
            };
            let customer = Customer {
                customer_id,
                name: name.to_owned(),
                email: email.to_owned(),
            };
            table.put(&customer).await?;
            respond(200, customer_json(&customer))
        }
        "GET /customers/{customer_id}" => match table.get_customer(&customer_id).await? {
            Some(customer) => respond(200, customer_json(&customer)),
            None => not_found(&customer_id),
        },
        "POST /customers/{customer_id}/orders" => {
            let body = match body() {
                Ok(body) => body,
                Err(message) => return Ok(bad_request(&message)),
            };
            let Some(total_cents) = body["total_cents"].as_i64().filter(|t| *t >= 0) else {
                return Ok(bad_request(
                    "`total_cents` (a whole number, 0 or more) is required",
                ));
            };
            if table.get_customer(&customer_id).await?.is_none() {
                return Ok(not_found(&customer_id));
            }
            let order = Order {
                customer_id,
                order_id: Ulid::new(),
                total_cents,
                status: "placed".to_owned(),
            };
            // A new id is never taken; `if_absent` makes sure nothing is overwritten.
            table.put(&order).if_absent().await?;
            respond(201, order_json(&order))
        }
        "GET /customers/{customer_id}/orders" => {
            let query = &request.query_string_parameters;
            let limit = match query.first("limit").map(str::parse::<usize>) {
                None => 20,
                Some(Ok(n)) if (1..=MAX_PAGE).contains(&n) => n,
                Some(_) => return Ok(bad_request("`limit` must be 1 to 100")),
            };
            let cursor = match query.first("cursor").map(str::parse::<Cursor>) {
                None => None,
                Some(Ok(cursor)) => Some(cursor),
                Some(Err(e)) => return Ok(bad_request(&format!("bad `cursor`: {e}"))),
            };
            let page = match table
                .customer_orders(&customer_id)
                .limit(limit)
                .page(cursor.as_ref())
                .await
            {
                Ok(page) => page,
                Err(e @ dynaschema::Error::InvalidCursor { .. }) => {
                    return Ok(bad_request(&format!("bad `cursor`: {e}")));
                }
                Err(e) => return Err(e.into()),
            };
            respond(
                200,
                json!({
                    "orders": page.items.iter().map(order_json).collect::<Vec<_>>(),
                    "next": page.next.map(|c| c.to_string()),
                }),
            )
        }
        "GET /customers/{customer_id}/totals" => {
            let totals = table.get_totals(&customer_id).await?.unwrap_or(Totals {
                customer_id,
                order_count: 0,
                total_cents: 0,
            });
            respond(
                200,
                json!({
                    "customer_id": totals.customer_id,
                    "order_count": totals.order_count,
                    "total_cents": totals.total_cents,
                }),
            )
        }
        _ => respond(404, json!({ "error": format!("no route {route:?}") })),
    };
    Ok(response)
}

/// The stream handler: for every customer whose orders an event's records touch
/// (inserted, changed or removed), recomputes [`Totals`] from the orders themselves.
///
/// Recomputing rather than adding each record's amount makes the handler
/// idempotent: Lambda delivers a batch again after a failure, and records of one
/// customer may arrive in several batches; a re-delivered or late record only
/// recomputes the same sum. It reads the customer's orders once per batch. Items
/// of no known entity (written by other tools) are ignored; a record that cannot be
/// decoded fails the batch, so Lambda retries it (and, with a configured
/// on-failure destination, keeps it).
// ANCHOR: stream
pub async fn stream(
    table: &orders::Table,
    event: LambdaEvent<Event>,
) -> Result<StreamReport, lambda_runtime::Error> {
    let mut customers = BTreeSet::new();
    for record in &event.payload.records {
        let change = Change::from_lambda(record, orders::AnyEntity::from_item)?;
        for image in [change.old, change.new].into_iter().flatten() {
            if let orders::AnyEntity::Order(order) = image {
                customers.insert(order.customer_id);
            }
        }
    }
    let mut report = StreamReport::default();
    for customer_id in customers {
        let orders = table.customer_orders(&customer_id).all().await?;
        let totals = Totals {
            order_count: orders.len() as u64,
            total_cents: orders.iter().map(|o| o.total_cents).sum(),
            customer_id,
        };
        table.put(&totals).await?;
        report.updated.push(totals);
    }
    Ok(report)
}
// ANCHOR_END: stream

/// What [`stream`] did with one event.
#[derive(Debug, Default, PartialEq)]
pub struct StreamReport {
    /// The totals written, one per customer the event's orders belong to.
    pub updated: Vec<Totals>,
}

fn customer_json(customer: &Customer) -> Value {
    json!({ "customer_id": customer.customer_id, "name": customer.name, "email": customer.email })
}

fn order_json(order: &Order) -> Value {
    json!({
        "customer_id": order.customer_id,
        "order_id": order.order_id.to_string(),
        "total_cents": order.total_cents,
        "status": order.status,
    })
}

fn bad_request(message: &str) -> ApiGatewayV2httpResponse {
    respond(400, json!({ "error": message }))
}

fn not_found(customer_id: &str) -> ApiGatewayV2httpResponse {
    respond(
        404,
        json!({ "error": format!("no customer {customer_id:?}") }),
    )
}

/// A JSON response.
fn respond(status: i64, body: Value) -> ApiGatewayV2httpResponse {
    let mut response = ApiGatewayV2httpResponse::default();
    response.status_code = status;
    response.headers.insert(
        "content-type",
        aws_lambda_events::http::HeaderValue::from_static("application/json"),
    );
    response.body = Some(Body::Text(body.to_string()));
    response
}

/// The table handle of a Lambda function: a client from AWS's default chain (the
/// function's role, region from the environment Lambda sets) and the table named by
/// the `TABLE_NAME` environment variable. `DYNAMODB_ENDPOINT` points it at another
/// server (`cargo lambda watch` against `dynaschema local`).
// ANCHOR: table_from_env
pub async fn table_from_env() -> Result<orders::Table, lambda_runtime::Error> {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Ok(endpoint) = std::env::var("DYNAMODB_ENDPOINT") {
        loader = loader.endpoint_url(endpoint);
    }
    let config = loader.load().await;
    let name =
        std::env::var("TABLE_NAME").map_err(|_| "set TABLE_NAME to the DynamoDB table's name")?;
    Ok(orders::Table::new(
        aws_sdk_dynamodb::Client::new(&config),
        name,
    ))
}
// ANCHOR_END: table_from_env
