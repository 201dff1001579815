// `{user_id}` in the schema names no field: the error is on the struct and names
// the schema's line and column.
#[derive(dynaschema::Entity)]
#[entity(schema = "ui/dynaschema.toml")]
pub struct User {
    pub id: String,
    pub email: String,
}

fn main() {}
