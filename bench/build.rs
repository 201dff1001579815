fn main() {
    dynaschema_codegen::Builder::new()
        .compile("dynaschema.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    for schema in [
        "schemas/migrate-v1.toml",
        "schemas/migrate-v2.toml",
        "schemas/shard-hot.toml",
        "schemas/shard-sharded.toml",
    ] {
        dynaschema_codegen::Builder::new()
            .compile(schema)
            .unwrap_or_else(|e| panic!("{e}"));
    }
}
