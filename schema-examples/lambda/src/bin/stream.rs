//! The stream function, subscribed to the table's stream:
//! `cargo lambda build --release --bin stream`.

use lambda_runtime::{LambdaEvent, service_fn};

// ANCHOR: main
#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let table = lambda_example::table_from_env().await?;
    let table = &table;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<_>| async move {
        lambda_example::stream(table, event).await.map(|_| ())
    }))
    .await
}
// ANCHOR_END: main
