//! What every target runs on a schema text.

use dynaschema_codegen::diagnostics::SourceFile;
use dynaschema_codegen::generate::{Options, module_source};
use dynaschema_codegen::schema;

/// Parses and checks `text`; when it has no errors, generates the module (which
/// must parse: `module_source` asserts it) and renders every other output a CLI
/// user can ask for.
pub fn run(text: &str) {
    match schema::parse(SourceFile::new("fuzz.toml", text)) {
        Ok(checked) => {
            let source = module_source(&checked.schema, &Options::default());
            syn::parse_file(&source).expect("the generated module is Rust");
            let _ = checked.warnings.render();
            let _ = dynaschema_codegen::table_json::create_table(&checked.schema, "t");
            let _ = dynaschema_codegen::table_json::cloudformation(&checked.schema, "t");
        }
        Err(diagnostics) => {
            // Rendering points at spans: they must lie inside the text.
            let _ = diagnostics.render();
            let _ = diagnostics.to_plain();
        }
    }
}
