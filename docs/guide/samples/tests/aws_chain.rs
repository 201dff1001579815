//! The guide's `table_on_aws` sample with the default chain configured as a user
//! configures it: `AWS_ENDPOINT_URL_DYNAMODB`, region and credentials in the
//! environment (here pointing at DynamoDB Local; there is no network).
//! The only test of its binary, so setting the environment races with nothing.

#[tokio::test]
async fn the_aws_sample_takes_endpoint_region_and_credentials_from_the_environment() {
    let server = dynaschema::local::DynamoDbLocal::shared()
        .unwrap_or_else(|e| panic!("DynamoDB Local could not start: {e}"));
    let vars = [
        ("AWS_ENDPOINT_URL_DYNAMODB", server.endpoint()),
        ("AWS_ACCESS_KEY_ID", "local"),
        ("AWS_SECRET_ACCESS_KEY", "local"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    for (key, value) in vars {
        // SAFETY: this binary's one test, on a current-thread runtime: no other
        // thread reads the environment.
        unsafe { std::env::set_var(key, value) };
    }
    let name = format!("guide-aws-{}", std::process::id());
    let table = guide_samples::table_on_aws(&name).await;
    table.create_table().await.unwrap();
    // The same table, seen through the local client (same dummy key and region).
    let local = guide_samples::table_on_local(server.endpoint(), &name);
    let ada = guide_samples::User {
        user_id: "ada".into(),
        email: "ada@example.com".into(),
        name: "Ada".into(),
        created_at: None,
        updated_at: None,
    };
    local.put(&ada).await.unwrap();
    let read = table
        .get_user("ada")
        .await
        .unwrap()
        .expect("written through the other client");
    assert_eq!(read.name, "Ada");
}
