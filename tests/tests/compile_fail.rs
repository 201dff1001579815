//! Compile-fail cases of the derive, one per file in `ui/`, each named after the
//! error, with the expected compiler output committed next to it (`.stderr`).
//! Re-bless with `TRYBUILD=overwrite cargo test -p dynaschema-tests --test compile_fail`.

#[test]
fn derive_errors() {
    // trybuild compiles the cases in its own project under the target directory;
    // point the derive's relative schema paths back at this crate.
    // SAFETY: set before any other thread of this single-test binary reads the environment.
    unsafe { std::env::set_var("DYNASCHEMA_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR")) };
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
}
