//! One table through three versions of its schema (`schemas/evolution-v*.toml`):
//! the same structs, v2 adding an index on `User`, v3 moving `Order` to a new key.

/// Version 1 of the schema.
pub mod v1 {
    use dynaschema::Entity;

    /// A user; `visits` is what concurrent writers increment.
    #[derive(Entity, Clone, Debug, PartialEq)]
    #[entity(schema = "schemas/evolution-v1.toml")]
    pub struct User {
        pub user_id: String,
        pub email: String,
        pub name: String,
        pub visits: u64,
    }

    /// An order of a user.
    #[derive(Entity, Clone, Debug, PartialEq)]
    #[entity(schema = "schemas/evolution-v1.toml")]
    pub struct Order {
        pub user_id: String,
        pub order_id: String,
        pub placed_at: String,
        pub total: i64,
    }

    /// A product.
    #[derive(Entity, Clone, Debug, PartialEq)]
    #[entity(schema = "schemas/evolution-v1.toml")]
    pub struct Product {
        pub product_id: String,
        pub name: String,
    }

    dynaschema::include_schema!(pub evolution_v1);
}

/// Version 2 of the schema.
pub mod v2 {
    use dynaschema::Entity;

    /// A user; `visits` is what concurrent writers increment.
    #[derive(Entity, Clone, Debug, PartialEq)]
    #[entity(schema = "schemas/evolution-v2.toml")]
    pub struct User {
        pub user_id: String,
        pub email: String,
        pub name: String,
        pub visits: u64,
    }

    /// An order of a user.
    #[derive(Entity, Clone, Debug, PartialEq)]
    #[entity(schema = "schemas/evolution-v2.toml")]
    pub struct Order {
        pub user_id: String,
        pub order_id: String,
        pub placed_at: String,
        pub total: i64,
    }

    /// A product; v1 stored `title` as `name` (schema version 2 upgrades it).
    #[derive(Entity, Clone, Debug, PartialEq)]
    #[entity(schema = "schemas/evolution-v2.toml", upgrade = upgrade_product)]
    pub struct Product {
        pub product_id: String,
        pub title: String,
    }

    /// Items of schema version 0 and 1 have `name` where version 2 has `title`.
    fn upgrade_product(
        item: &mut dynaschema::Item,
        from: u32,
    ) -> Result<(), dynaschema::DecodeError> {
        if from < 2
            && let Some(name) = item.remove("name")
        {
            item.insert("title".into(), name);
        }
        Ok(())
    }

    dynaschema::include_schema!(pub evolution_v2);
}

/// Version 3 of the schema.
pub mod v3 {
    use dynaschema::Entity;

    /// A user; `visits` is what concurrent writers increment.
    #[derive(Entity, Clone, Debug, PartialEq)]
    #[entity(schema = "schemas/evolution-v3.toml")]
    pub struct User {
        pub user_id: String,
        pub email: String,
        pub name: String,
        pub visits: u64,
    }

    /// An order of a user.
    #[derive(Entity, Clone, Debug, PartialEq)]
    #[entity(schema = "schemas/evolution-v3.toml")]
    pub struct Order {
        pub user_id: String,
        pub order_id: String,
        pub placed_at: String,
        pub total: i64,
    }

    /// A product.
    #[derive(Entity, Clone, Debug, PartialEq)]
    #[entity(schema = "schemas/evolution-v3.toml")]
    pub struct Product {
        pub product_id: String,
        pub name: String,
    }

    dynaschema::include_schema!(pub evolution_v3);
}
