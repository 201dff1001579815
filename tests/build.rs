fn main() {
    dynaschema_codegen::Builder::new()
        .compile("dynaschema.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    dynaschema_codegen::Builder::new()
        .compile("schemas/configured.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    dynaschema_codegen::Builder::new()
        .compile("schemas/tournament.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    dynaschema_codegen::Builder::new()
        .compile("schemas/keywords.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    dynaschema_codegen::Builder::new()
        .compile("schemas/buckets.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    for count in [8, 16, 4] {
        dynaschema_codegen::Builder::new()
            .compile(format!("schemas/sharded-{count}.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    for version in ["v1", "v2", "v3"] {
        dynaschema_codegen::Builder::new()
            .compile(format!("schemas/evolution-{version}.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
}
