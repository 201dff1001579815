//! Shared pieces of dynaschema's test suite: the test-bed entities (see
//! `dynaschema.toml` in this crate) and the server harness.
//!
//! Every test that needs DynamoDB gets its own table on one DynamoDB Local per test
//! process, started on first use. If the server cannot start, the test fails with the
//! reason; nothing is skipped.
//!
//! `DYNASCHEMA_TEST_ENDPOINT=<url>` runs the suite against that server instead (the
//! embedded server of `dynaschema local --embedded`, a DynamoDB Local of your own,
//! moto, ScyllaDB Alternator, or `https://dynamodb.<region>.amazonaws.com` for a
//! sandbox account), with credentials and region from AWS's default chain; a loopback
//! endpoint without `AWS_ACCESS_KEY_ID` or `AWS_PROFILE` gets the local servers' dummy
//! credentials. `DYNASCHEMA_TEST_SERVER` names what it is (`dynamodb-local`,
//! `embedded`, `aws`, ...) for the tests whose outcome the server decides; see
//! [`TestServer::kind`]. `cargo run -p dynaschema-tests --bin delete-test-tables`
//! deletes the tables a run left there.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Utc};
use dynaschema::aws_sdk_dynamodb::Client;
use dynaschema::local::DynamoDbLocal;
use dynaschema::{Attribute, Entity};

dynaschema::include_schema!(pub testbed);

pub mod configured;
pub mod evolution;
pub mod fault_proxy;
pub mod keywords;
pub mod layers;
pub mod schema_gen;
pub mod sharded;
pub mod tournament;

/// Every attribute type the derive supports, a sparse index (`tag`) and a
/// timestamp in a sort key.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Document {
    pub doc_id: String,
    pub owner: String,
    pub created_at: DateTime<Utc>,
    pub tag: Option<String>,
    pub title: String,
    #[entity(rename = "body_text")]
    pub body: Option<String>,
    pub pages: u32,
    pub delta: i64,
    pub tiny: i8,
    pub big: u128,
    pub score: f64,
    pub published: bool,
    pub keywords: Vec<String>,
    pub labels: HashSet<String>,
    pub sizes: BTreeSet<i32>,
    pub counts: BTreeMap<String, u64>,
    pub extra: HashMap<String, String>,
    pub reviewer: Option<Person>,
    pub editors: Vec<Person>,
    pub uuid: uuid::Uuid,
    pub ulid: ulid::Ulid,
}

/// An account with optimistic locking.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Account {
    pub account_id: String,
    pub owner: String,
    pub balance: i64,
    /// 0 for an item never written; each write stores the next version.
    #[entity(version)]
    pub version: u64,
}

/// Timestamps kept by dynaschema, and an expiry DynamoDB's TTL reads.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Post {
    pub post_id: String,
    pub title: String,
    /// Set when first written.
    #[entity(created_at)]
    pub created_at: Option<DateTime<Utc>>,
    /// Set on every write.
    #[entity(updated_at)]
    pub updated_at: Option<DateTime<Utc>>,
    /// Stored as epoch seconds under the table's `ttl_attribute`.
    pub expires: Option<dynaschema::EpochSeconds>,
}

/// A counter without a version: concurrent read-modify-writes lose updates.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Tally {
    pub tally_id: String,
    pub count: u64,
}

/// The table's one settings item: its keys are literals, so no field is a key.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Settings {
    pub data: String,
    pub r#type: String,
}

/// A nested map.
#[derive(Attribute, Clone, Debug, PartialEq)]
pub struct Person {
    pub name: String,
    pub since: Option<DateTime<Utc>>,
}

/// Shares `Document`'s partition.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Note {
    pub doc_id: String,
    pub note_id: u32,
    pub text: String,
}

/// Its sort key has no literal prefix.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Revision {
    pub doc_id: String,
    pub revision: u64,
}

/// Signed integers and UUIDs in keys.
#[derive(Entity, Clone, Debug, PartialEq)]
pub struct Reading {
    pub sensor: String,
    pub value: i32,
    pub reading_id: uuid::Uuid,
}

impl Document {
    /// A document with every optional part filled (`tag` included).
    pub fn sample(doc_id: &str, owner: &str, created_at: DateTime<Utc>) -> Self {
        Self {
            doc_id: doc_id.into(),
            owner: owner.into(),
            created_at,
            tag: Some("rust".into()),
            title: format!("Document {doc_id}"),
            body: Some("Lorem ipsum — ünïcödé #1 %20".into()),
            pages: 12,
            delta: -42,
            tiny: -128,
            // 38 nines: the most significant digits DynamoDB stores.
            big: 10_u128.pow(38) - 1,
            score: 0.1 + 0.2,
            published: true,
            keywords: vec!["a".into(), "b#c".into()],
            labels: HashSet::from(["x".to_owned(), "y".to_owned()]),
            sizes: BTreeSet::from([-1, 0, 7]),
            counts: BTreeMap::from([("views".to_owned(), 10), ("likes".to_owned(), 0)]),
            extra: HashMap::new(),
            reviewer: Some(Person {
                name: "Grace".into(),
                since: Some(created_at),
            }),
            editors: vec![Person {
                name: "Linus".into(),
                since: None,
            }],
            uuid: uuid::Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0),
            ulid: ulid::Ulid::from_parts(1_700_000_000_000, 7),
        }
    }
}

/// Which DynamoDB-API server the suite runs against, where its behaviour differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerKind {
    /// AWS's DynamoDB Local (the default: the suite starts it).
    DynamoDbLocal,
    /// dynaschema's embedded server (dynoxide), `dynaschema local --embedded`.
    Embedded,
    /// DynamoDB itself, or any other server named by `DYNASCHEMA_TEST_SERVER`.
    Other,
}

/// The server of this test process: DynamoDB Local, started on first use, or the one
/// `DYNASCHEMA_TEST_ENDPOINT` names.
#[derive(Debug)]
pub struct TestServer {
    endpoint: String,
    /// The default chain's configuration, or `None` for the local servers' dummy
    /// credentials.
    config: Option<dynaschema::aws_sdk_dynamodb::Config>,
    kind: ServerKind,
}

impl TestServer {
    /// The endpoint URL.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// A new client for the server. Each test has its own Tokio runtime, and a
    /// client's pooled connections belong to the runtime that opened them, so
    /// clients are never shared between tests.
    pub fn client(&self) -> Client {
        match &self.config {
            None => dynaschema::local::client(&self.endpoint),
            // A fresh HTTP client (and pool) per client: see above.
            Some(config) => {
                let mut builder = config.to_builder();
                builder.set_http_client(None);
                Client::from_conf(builder.build())
            }
        }
    }

    /// Which server this is.
    pub fn kind(&self) -> ServerKind {
        self.kind
    }

    fn from_env(endpoint: String) -> Self {
        let kind = match std::env::var("DYNASCHEMA_TEST_SERVER").as_deref() {
            Ok("dynamodb-local") => ServerKind::DynamoDbLocal,
            Ok("embedded") => ServerKind::Embedded,
            _ => ServerKind::Other,
        };
        let loopback = endpoint.starts_with("http://127.")
            || endpoint.starts_with("http://localhost")
            || endpoint.starts_with("http://[::1]");
        let configured = ["AWS_ACCESS_KEY_ID", "AWS_PROFILE"]
            .iter()
            .any(|v| std::env::var_os(v).is_some());
        let config = if loopback && !configured {
            None
        } else {
            // The default chain is async; load it on a thread of its own, so this
            // works from a test's runtime and outside any.
            let url = endpoint.clone();
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime to load the AWS configuration");
                let config = runtime.block_on(
                    aws_config::defaults(aws_config::BehaviorVersion::latest())
                        .endpoint_url(url)
                        .load(),
                );
                dynaschema::aws_sdk_dynamodb::Config::new(&config)
            })
            .join()
            .map(Some)
            .expect("load the AWS configuration")
        };
        Self {
            endpoint,
            config,
            kind,
        }
    }
}

/// The process-wide test server; panics with the reason if it cannot start.
pub fn server() -> &'static TestServer {
    static SERVER: std::sync::OnceLock<TestServer> = std::sync::OnceLock::new();
    SERVER.get_or_init(|| match std::env::var("DYNASCHEMA_TEST_ENDPOINT") {
        Ok(endpoint) if !endpoint.is_empty() => TestServer::from_env(endpoint),
        _ => {
            let local = DynamoDbLocal::shared().unwrap_or_else(|e| {
                panic!("DynamoDB Local is required for this test and could not start: {e}")
            });
            TestServer {
                endpoint: local.endpoint().to_owned(),
                config: None,
                kind: ServerKind::DynamoDbLocal,
            }
        }
    })
}

/// A client for the process-wide test server.
pub fn client() -> Client {
    server().client()
}

/// The prefix every table the suite creates starts with, so that
/// `delete-test-tables` can find them on a shared server.
pub const TABLE_PREFIX: &str = "dstest-";

/// A table name no other test in any process uses.
pub fn unique_table_name(prefix: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{TABLE_PREFIX}{prefix}-{}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        ulid::Ulid::new().to_string().to_lowercase()
    )
}

/// The item at `pk`/`sk` of `table`, read with the plain SDK (no dynaschema
/// decoding), to check what is stored.
pub async fn raw_item(
    client: &Client,
    table: &str,
    pk: &str,
    sk: &str,
) -> Option<dynaschema::Item> {
    use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
    client
        .get_item()
        .table_name(table)
        .key("pk", AttributeValue::S(pk.into()))
        .key("sk", AttributeValue::S(sk.into()))
        .consistent_read(true)
        .send()
        .await
        .expect("GetItem")
        .item
}

/// A new, empty test-bed table on DynamoDB Local.
pub async fn testbed_table() -> testbed::Table {
    let table = testbed::Table::new(client(), unique_table_name("testbed"));
    table
        .create_table()
        .await
        .expect("create the test-bed table");
    table
}
