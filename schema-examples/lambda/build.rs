fn main() {
    dynaschema_codegen::Builder::new()
        .compile("dynaschema.toml")
        .unwrap_or_else(|e| panic!("{e}"));
}
