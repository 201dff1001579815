// A float cannot be a key segment: the error is on the field's type.
#[derive(dynaschema::Entity)]
#[entity(schema = "ui/dynaschema.toml")]
pub struct Reading {
    pub sensor: String,
    pub value: f64,
}

fn main() {}
