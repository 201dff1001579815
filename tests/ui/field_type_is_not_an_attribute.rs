// A field type without a DynamoDB representation is reported on the field.
#[derive(dynaschema::Entity)]
#[entity(schema = "ui/dynaschema.toml")]
pub struct User {
    pub user_id: String,
    pub email: String,
    pub seen: std::time::Instant,
}

fn main() {}
