use dynaschema::Entity;

// The module generated from dynaschema.toml: `app::Table`, one method per pattern.
dynaschema::include_schema!(app);

#[derive(Entity, Debug)]
struct User {
    user_id: String,
    name: String,
    email: String,
}

#[derive(Entity, Debug)]
struct Order {
    user_id: String,
    order_id: String,
    total_cents: i64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Credentials, region and endpoint from the environment, your AWS profile or
    // the instance's role: the same chain as the AWS CLI.
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = dynaschema::aws_sdk_dynamodb::Client::new(&config);
    let table_name = std::env::var("TABLE_NAME").unwrap_or_else(|_| "my-service-dev".into());
    let table = app::Table::new(client, table_name);

    let ada = User {
        user_id: "ada".into(),
        name: "Ada Lovelace".into(),
        email: "ada@example.com".into(),
    };
    table.put(&ada).await?;
    for (order_id, total_cents) in [("0001", 1_998), ("0002", 4_500), ("0003", 500)] {
        let order = Order {
            user_id: "ada".into(),
            order_id: order_id.into(),
            total_cents,
        };
        table.put(&order).await?;
    }

    let user = table.get_user("ada").await?;
    println!("get_user: {user:?}");
    for order in table.user_orders("ada").all().await? {
        println!("user_orders: {} {} cents", order.order_id, order.total_cents);
    }
    Ok(())
}
