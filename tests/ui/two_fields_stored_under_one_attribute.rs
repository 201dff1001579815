// Two fields under one attribute: the later would overwrite the earlier.
#[derive(dynaschema::Entity)]
#[entity(schema = "ui/dynaschema.toml")]
pub struct User {
    pub user_id: String,
    pub email: String,
    pub name: String,
    #[entity(rename = "name")]
    pub display_name: String,
}

fn main() {}
