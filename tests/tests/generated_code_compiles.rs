//! "The generated module parses" also means "it compiles": a fixed sample of the
//! structured random schemas (`dynaschema_tests::schema_gen`), keywords among their
//! names, each compiled for real with `#[derive(Entity)]` structs by trybuild and
//! run. The sample is drawn from a fixed seed, so a failure names the same schema
//! every time; its files are kept under the target directory.

use std::fmt::Write as _;
use std::path::PathBuf;

use dynaschema_tests::schema_gen::{check_generated, entity_structs, schema};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

const SAMPLE: usize = 24;

#[test]
fn a_sample_of_generated_schemas_compiles_with_their_entities() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated-code-compiles");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[11; 32]),
    );
    let strategy = schema();
    let (mut cases, mut keywords, mut drawn) = (Vec::new(), 0, 0);
    while cases.len() < SAMPLE {
        drawn += 1;
        assert!(drawn < 10_000, "the generator makes too few valid schemas");
        let toml = strategy.new_tree(&mut runner).unwrap().current().toml();
        let Some(schema) = check_generated(&toml).unwrap() else {
            continue;
        };
        let n = cases.len();
        let schema_path = dir.join(format!("schema_{n:02}.toml"));
        std::fs::write(&schema_path, &toml).unwrap();
        let Some(structs) = entity_structs(&schema, &schema_path.display().to_string()) else {
            continue;
        };
        let module = dynaschema_codegen::generate::module_source(&schema, &Default::default());
        keywords += usize::from(module.contains("r#"));
        let module_path = dir.join(format!("module_{n:02}.rs"));
        std::fs::write(&module_path, &module).unwrap();
        let mut case = format!(
            "// Generated from {}.\n#![allow(dead_code)]\n\n",
            schema_path.display()
        );
        case.push_str(&structs);
        let _ = writeln!(
            case,
            "dynaschema::include_schema!(generated, file = {:?});\n\n\
             fn main() {{\n    let _ = &generated::DEFINITION;\n}}",
            module_path.display().to_string()
        );
        let case_path = dir.join(format!("case_{n:02}.rs"));
        std::fs::write(&case_path, case).unwrap();
        cases.push(case_path);
    }
    assert!(
        keywords >= SAMPLE / 3,
        "{keywords} of {SAMPLE} cases use a keyword"
    );
    let tests = trybuild::TestCases::new();
    for case in &cases {
        tests.pass(case);
    }
}
