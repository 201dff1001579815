// Unknown derive options are reported with the valid ones.
#[derive(dynaschema::Entity)]
#[entity(schema = "ui/dynaschema.toml", nmae = "User")]
pub struct User {
    pub user_id: String,
    pub email: String,
}

fn main() {}
