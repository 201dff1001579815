// Compiles dynaschema.toml into the module `include_schema!` includes. A mistake in
// the schema fails the build with its line and column.
fn main() {
    dynaschema_codegen::Builder::new()
        .compile("dynaschema.toml")
        .unwrap_or_else(|e| panic!("{e}"));
}
