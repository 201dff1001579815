//! The code generator on structured random schemas (`dynaschema_tests::schema_gen`):
//! every schema gets diagnostics, or a generated module that parses as Rust and
//! declares each identifier once per scope; nothing panics. The suite runs 2,000
//! cases; `cargo run -p dynaschema-tests --bin schema-fuzz` runs 100,000 and more.

use dynaschema_tests::schema_gen::{check_generated, schema};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

proptest! {
    #![proptest_config(Config { cases: 2_000, failure_persistence: None, ..Config::default() })]

    #[test]
    fn generated_schemas_get_diagnostics_or_code_that_parses(s in schema()) {
        let toml = s.toml();
        if let Err(failure) = check_generated(&toml) {
            prop_assert!(false, "{failure:?}\n--- schema ---\n{toml}");
        }
    }
}

/// The property would hold vacuously if every schema were refused: a fixed sample
/// must hold valid schemas, keywords among their names.
#[test]
fn the_generator_makes_valid_schemas_with_keywords() {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let strategy = schema();
    let (mut valid, mut raw) = (0, 0);
    for _ in 0..500 {
        let toml = strategy.new_tree(&mut runner).unwrap().current().toml();
        if let Some(schema) = check_generated(&toml).unwrap() {
            valid += 1;
            let source = dynaschema_codegen::generate::module_source(&schema, &Default::default());
            raw += usize::from(source.contains("r#"));
        }
    }
    println!("{valid} of 500 schemas valid, {raw} of them with raw identifiers");
    assert!(valid >= 50, "{valid} of 500 valid");
    assert!(raw >= 10, "{raw} of {valid} valid schemas use a keyword");
}
