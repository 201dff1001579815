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
}
