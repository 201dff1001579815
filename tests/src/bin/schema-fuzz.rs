//! Runs the code generator on structured random schemas (see
//! `dynaschema_tests::schema_gen`) and reports what it saw:
//!
//! ```text
//! cargo run -p dynaschema-tests --bin schema-fuzz -- [CASES] [SEED]
//! ```
//!
//! CASES defaults to 100,000; SEED (a number) makes the run repeatable. Every
//! schema must get diagnostics or generate a module that parses and declares each
//! identifier once per scope; a panic or a failure prints the schema and exits 1.

use std::panic::AssertUnwindSafe;
use std::time::Instant;

use dynaschema_tests::schema_gen::{check_generated, schema};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cases: u64 = args
        .get(1)
        .map_or(100_000, |a| a.parse().expect("CASES is a number"));
    let seed: u64 = args.get(2).map_or_else(
        || {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs()
        },
        |a| a.parse().expect("SEED is a number"),
    );
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    );
    let strategy = schema();
    // Panics are counted and reported here, not printed by the default hook.
    std::panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let (mut valid, mut refused, mut failed) = (0u64, 0u64, 0u64);
    for case in 0..cases {
        let toml = strategy
            .new_tree(&mut runner)
            .expect("a schema")
            .current()
            .toml();
        match std::panic::catch_unwind(AssertUnwindSafe(|| check_generated(&toml))) {
            Ok(Ok(Some(_))) => valid += 1,
            Ok(Ok(None)) => refused += 1,
            Ok(Err(failure)) => {
                failed += 1;
                eprintln!("case {case}: {failure:?}\n--- schema ---\n{toml}");
            }
            Err(panic) => {
                failed += 1;
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                eprintln!("case {case}: panic: {message}\n--- schema ---\n{toml}");
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "schema-fuzz: seed {seed}: {cases} cases in {seconds:.1} s ({:.0}/s): {valid} generated, {refused} refused with diagnostics, {failed} failed",
        cases as f64 / seconds
    );
    if failed > 0 {
        std::process::exit(1);
    }
}
