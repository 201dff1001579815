//! Request plumbing shared by every operation: boxed futures, the SDK attempt
//! counter, rendered conditions, consumed capacity, idempotency tokens, backoff.
//! A leaf: it depends on no operation.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::entity::Entity;
use crate::error::Result;
use crate::expr::Condition;

pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Counts the attempts the SDK makes for one request (its retries included).
#[derive(Debug, Clone, Default)]
pub(crate) struct Attempts(Arc<std::sync::atomic::AtomicU32>);

impl Attempts {
    pub(crate) fn count(&self) -> u32 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl aws_sdk_dynamodb::config::Intercept for Attempts {
    fn name(&self) -> &'static str {
        "dynaschema::Attempts"
    }

    fn read_before_attempt(
        &self,
        _: &aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef<'_>,
        _: &aws_sdk_dynamodb::config::RuntimeComponents,
        _: &mut aws_sdk_dynamodb::config::ConfigBag,
    ) -> std::result::Result<(), aws_sdk_dynamodb::error::BoxError> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

/// Sets a [`Rendered`] condition on any SDK request builder (they share the method
/// names, not a trait), asking for the stored item when it fails.
macro_rules! with_condition {
    ($builder:expr, $condition:expr) => {{
        let c: $crate::request::Rendered = $condition;
        $builder
            .condition_expression(c.text)
            .set_expression_attribute_names(Some(c.names.into_iter().collect()))
            .set_expression_attribute_values(
                (!c.values.is_empty()).then(|| c.values.into_iter().collect()),
            )
            .return_values_on_condition_check_failure(
                aws_sdk_dynamodb::types::ReturnValuesOnConditionCheckFailure::AllOld,
            )
    }};
}
pub(crate) use with_condition;

/// A rendered condition expression with its placeholders.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rendered {
    pub(crate) text: String,
    pub(crate) names: Vec<(String, String)>,
    pub(crate) values: Vec<(String, AttributeValue)>,
}

impl Rendered {
    /// Renders and checks a condition (DynamoDB's 4 KB expression limit).
    pub(crate) fn condition<E: Entity>(condition: &Condition<E>) -> Result<Self> {
        let mut placeholders = crate::expr::Placeholders::default();
        let text = condition.render_into(&mut placeholders)?;
        crate::limits::check_expression::<E>("the condition expression", &text)?;
        let (names, values) = placeholders.into_parts();
        Ok(Self {
            text,
            names,
            values,
        })
    }
}

/// Records the capacity a request consumed on its span (`ReturnConsumedCapacity = TOTAL`).
pub(crate) fn record_capacity(
    span: &tracing::Span,
    consumed: Option<&aws_sdk_dynamodb::types::ConsumedCapacity>,
) {
    if let Some(units) = consumed.and_then(|c| c.capacity_units()) {
        span.record("consumed_capacity", units);
    }
}

/// A fresh idempotency token: 32 hex digits from the process's random hasher keys,
/// the time and a counter.
pub(crate) fn new_token() -> String {
    use std::hash::{BuildHasher as _, Hasher as _};
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut parts = [0_u64; 2];
    for (i, part) in parts.iter_mut().enumerate() {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        hasher.write_u64(COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        hasher.write_usize(i);
        *part = hasher.finish();
    }
    format!("{:016x}{:016x}", parts[0], parts[1])
}

/// The wait before attempt `attempt` (1-based retries): exponential backoff with
/// full jitter, uniformly random in `[0, min(2 s, 25 ms * 2^attempt))`.
pub(crate) fn backoff(attempt: u32) -> Duration {
    use std::hash::{BuildHasher as _, Hasher as _};
    let cap = Duration::from_millis(25)
        .saturating_mul(1 << attempt.min(16))
        .min(Duration::from_secs(2));
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(attempt);
    let random = hasher.finish();
    cap.mul_f64((random >> 11) as f64 / (1_u64 << 53) as f64)
}

/// Whether an error may pass if the request is sent again: throttling, server
/// errors, and connections that broke or timed out.
pub(crate) fn is_transient<E, R>(error: &aws_sdk_dynamodb::error::SdkError<E, R>) -> bool
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata,
{
    use aws_sdk_dynamodb::error::{ProvideErrorMetadata as _, SdkError};
    match error {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(_) => matches!(
            error.code(),
            Some(
                "ThrottlingException"
                    | "ProvisionedThroughputExceededException"
                    | "RequestLimitExceeded"
                    | "InternalServerError"
                    | "ServiceUnavailable"
            )
        ),
        _ => false,
    }
}
