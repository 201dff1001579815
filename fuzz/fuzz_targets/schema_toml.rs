//! Arbitrary TOML documents as the schema file: tables and keys mostly drawn from
//! the schema language's own words (so the fuzzer reaches lowering, checks and
//! generation rather than stopping at syntax), values of every TOML type, key
//! templates and filters built from fragments. Same property as `schema_bytes`.
#![no_main]

use std::fmt::Write as _;

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod dynaschema_fuzz_common;

const KEYS: &[&str] = &[
    "name", "partition_key", "sort_key", "entity_attribute", "schema_version_attribute",
    "ttl_attribute", "stream", "billing", "projection", "include", "kind", "attribute_types",
    "primary", "pk", "sk", "gsi1", "lsi1", "by_type", "get", "query", "collection", "scan",
    "index", "order", "filter", "fetch", "segments", "description", "schema_version",
    "point_in_time_recovery", "deletion_protection", "table_class", "tags", "replicas",
    "read", "write", "type", "match", "self", "User", "Order", "limit", "page",
];

const WORDS: &[&str] = &[
    "USER", "ORDER", "#", "{", "}", "{user_id}", "{type}", "{match}", "{self}", "{a|lower}",
    "{a|title}", "{__x}", "pk", "sk", "gsi1pk", "_et", "all", "keys_only", "local", "global",
    "descending", "items", "new_and_old_images", "pay_per_request", "User", "Order", "primary",
    "gsi1", "price > {min}", "not attribute_exists(x)", "a between {lo} and {hi}", " and ",
    "(", ")", "size(tags) > {n}", "begins_with(name, {p})", "é", "",
];

fn word(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(1, 8)? {
        return u.arbitrary::<String>();
    }
    let n = u.int_in_range(1..=3)?;
    let mut out = String::new();
    for _ in 0..n {
        out.push_str(u.choose(WORDS)?);
    }
    Ok(out)
}

fn key(u: &mut Unstructured<'_>) -> Result<String> {
    let key = if u.ratio(1, 10)? {
        u.arbitrary::<String>()?
    } else {
        u.choose(KEYS)?.to_string()
    };
    Ok(format!("{key:?}"))
}

fn value(u: &mut Unstructured<'_>, depth: u32) -> Result<String> {
    let choice = if depth > 3 { u.int_in_range(0..=3)? } else { u.int_in_range(0..=5)? };
    Ok(match choice {
        0 => format!("{:?}", word(u)?),
        1 => u.arbitrary::<i64>()?.to_string(),
        2 => u.arbitrary::<bool>()?.to_string(),
        3 => format!("{:?}", u.arbitrary::<f64>()?.abs()).replace("inf", "1").replace("NaN", "0"),
        4 => {
            let n = u.int_in_range(0..=4)?;
            let items: Result<Vec<String>> = (0..n).map(|_| value(u, depth + 1)).collect();
            format!("[{}]", items?.join(", "))
        }
        _ => {
            let n = u.int_in_range(0..=4)?;
            let mut pairs = Vec::new();
            for _ in 0..n {
                pairs.push(format!("{} = {}", key(u)?, value(u, depth + 1)?));
            }
            format!("{{ {} }}", pairs.join(", "))
        }
    })
}

fn document(u: &mut Unstructured<'_>) -> Result<String> {
    let mut out = String::from("[table]\nname = \"App\"\npartition_key = \"pk\"\nsort_key = \"sk\"\n");
    for _ in 0..u.int_in_range(0..=3)? {
        let _ = writeln!(out, "{} = {}", key(u)?, value(u, 0)?);
    }
    for _ in 0..u.int_in_range(0..=8)? {
        let section = u.choose(&["indexes", "entities", "patterns", "table"])?;
        let _ = writeln!(out, "\n[{section}.{}]", key(u)?);
        for _ in 0..u.int_in_range(0..=5)? {
            let _ = writeln!(out, "{} = {}", key(u)?, value(u, 0)?);
        }
    }
    Ok(out)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    if let Ok(text) = document(&mut u) {
        dynaschema_fuzz_common::run(&text);
    }
});
