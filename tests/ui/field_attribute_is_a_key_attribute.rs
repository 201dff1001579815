// Key attributes are derived from the templates; a field cannot be stored there.
#[derive(dynaschema::Entity)]
#[entity(schema = "ui/dynaschema.toml")]
pub struct User {
    pub user_id: String,
    pub email: String,
    #[entity(rename = "gsi1pk")]
    pub index_key: String,
}

fn main() {}
