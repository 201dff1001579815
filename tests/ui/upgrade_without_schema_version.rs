// `upgrade` upgrades items stored at an older `schema_version`: an entity without
// one has nothing to upgrade from.
#[derive(dynaschema::Entity)]
#[entity(schema = "ui/dynaschema.toml", upgrade = upgrade_user)]
pub struct User {
    pub user_id: String,
    pub email: String,
}

fn upgrade_user(_: &mut dynaschema::Item, _: u32) -> Result<(), dynaschema::DecodeError> {
    Ok(())
}

fn main() {}
