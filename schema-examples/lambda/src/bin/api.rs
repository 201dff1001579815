//! The API function: `cargo lambda build --release --bin api`.

use lambda_runtime::{LambdaEvent, service_fn};

// ANCHOR: main
#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    // One client and table handle for the life of the execution environment.
    let table = lambda_example::table_from_env().await?;
    let table = &table;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<_>| async move {
        lambda_example::api(table, event).await
    }))
    .await
}
// ANCHOR_END: main
