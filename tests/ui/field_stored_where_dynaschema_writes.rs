// `_wt` (the write token), the entity attribute and the schema version attribute
// are written by dynaschema itself: a field stored there would be overwritten.
#[derive(dynaschema::Entity)]
#[entity(schema = "ui/dynaschema.toml")]
pub struct User {
    pub user_id: String,
    pub email: String,
    #[entity(rename = "_wt")]
    pub token: String,
    #[entity(rename = "_sv")]
    pub shape: u32,
}

fn main() {}
