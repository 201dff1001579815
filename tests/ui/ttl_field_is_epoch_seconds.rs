// The table's `ttl_attribute` is `expires_at`: DynamoDB reads it as epoch seconds,
// so a text timestamp there would never expire anything.
use dynaschema::Entity;

#[derive(Entity)]
#[entity(schema = "schemas/configured.toml")]
pub struct Session {
    pub id: String,
    pub user: String,
    pub expires_at: String,
}

fn main() {}
