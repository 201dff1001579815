//! Arbitrary bytes as the schema file: parsing, checking and generation never
//! panic and never hang; a schema without errors generates a module that parses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    dynaschema_fuzz_common::run(&text);
});

#[path = "common.rs"]
mod dynaschema_fuzz_common;
