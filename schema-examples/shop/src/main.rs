//! Runs every access pattern of the shop schema and prints what each returned.
//!
//! With `DYNAMODB_ENDPOINT` set (e.g. `http://127.0.0.1:8000`) it uses that server;
//! otherwise it starts an embedded DynamoDB-API server in the process.

use dynaschema::local::EndpointOrEmbedded;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = EndpointOrEmbedded::from_env()?;
    if server.is_embedded() {
        println!(
            "Started an embedded DynamoDB server at {} (set DYNAMODB_ENDPOINT to use another)",
            server.endpoint()
        );
    } else {
        println!("Using the DynamoDB endpoint {}", server.endpoint());
    }
    let client = server.client();
    let table_name = format!(
        "shop-example-{}",
        ulid::Ulid::new().to_string().to_lowercase()
    );
    let table = shop_example::shop::Table::new(client, &table_name);
    table.create_table().await?;
    println!("Created table {table_name}\n");
    shop_example::seed(&table, &shop_example::dataset()).await?;
    print!("{}", shop_example::run(&table).await?);
    Ok(())
}
