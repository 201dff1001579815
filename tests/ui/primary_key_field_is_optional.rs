// Every item needs a primary key, so its fields cannot be optional.
#[derive(dynaschema::Entity)]
#[entity(schema = "ui/dynaschema.toml")]
pub struct User {
    pub user_id: Option<String>,
    pub email: String,
}

fn main() {}
