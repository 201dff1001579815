//! DynamoDB-API servers on loopback, for tests, demos and development: AWS's
//! DynamoDB Local (feature `local`) and an embedded in-process server (feature
//! `embedded`), plus [`client`] to talk to either.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! // A server you started yourself, e.g. `java -jar DynamoDBLocal.jar -inMemory -port 8000`;
//! // with the `local` feature, `DynamoDbLocal::shared()` starts one for you.
//! let client = dynaschema::local::client("http://127.0.0.1:8000");
//! client.list_tables().send().await?;
//! # Ok(()) }
//! ```

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region, retry::RetryConfig};

/// A client for a DynamoDB-API server at `endpoint` (e.g. `http://127.0.0.1:8000`),
/// with fixed dummy credentials, region `us-east-1` and the SDK's standard retries
/// set explicitly (a client built from `Config::builder()` has no retries otherwise).
///
/// ```
/// let client = dynaschema::local::client("http://127.0.0.1:8000");
/// assert_eq!(client.config().region().unwrap().as_ref(), "us-east-1");
/// ```
pub fn client(endpoint: &str) -> Client {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "local",
            "local",
            None,
            None,
            "dynaschema-local",
        ))
        .retry_config(RetryConfig::standard())
        .build();
    Client::from_conf(config)
}

/// Why a local server could not be started. The message says what is missing and
/// how to fix it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct LocalServerError {
    message: String,
}

impl LocalServerError {
    #[cfg_attr(not(any(feature = "local", feature = "embedded")), allow(dead_code))]
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

#[cfg(feature = "local")]
mod dynamodb_local;
#[cfg(feature = "local")]
pub use dynamodb_local::{DynamoDbLocal, NPM_PACKAGE};

#[cfg(feature = "embedded")]
mod embedded;
#[cfg(feature = "embedded")]
pub use embedded::{Embedded, EndpointOrEmbedded};
