// A struct deriving Entity must be declared in the schema.
#[derive(dynaschema::Entity)]
#[entity(schema = "ui/dynaschema.toml")]
pub struct Usr {
    pub user_id: String,
    pub email: String,
}

fn main() {}
