//! Access-pattern coverage: which declared patterns a test run executed.
//!
//! When the environment variable [`DYNASCHEMA_COVERAGE`](ENV) names a file, every
//! execution of a generated access-pattern method appends one line to it:
//!
//! ```text
//! {"table":"Shop","pattern":"user_orders"}
//! ```
//!
//! `table` is the schema's table name (`[table] name`, not the physical table the
//! handle points at, so tests on throwaway tables count), `pattern` the pattern's
//! name. A get counts when it is sent, a query or scan when its first page is
//! requested (later pages of the same run do not count again), a collection once.
//!
//! Lines are written with one `write` on a file opened for appending, so parallel
//! tests and several processes (a test that runs the application binary, say) can
//! share one file without losing or interleaving records. When the variable is not
//! set, recording costs one check of an already-initialized flag.
//!
//! `dynaschema coverage --schema dynaschema.toml FILE` then lists every declared
//! pattern with its count and fails, naming them, when some were never executed:
//!
//! ```sh
//! export DYNASCHEMA_COVERAGE="$PWD/target/dynaschema-coverage.jsonl"
//! rm -f "$DYNASCHEMA_COVERAGE"
//! cargo test
//! dynaschema coverage --schema dynaschema.toml "$DYNASCHEMA_COVERAGE"
//! ```

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::sync::OnceLock;

/// The environment variable naming the file records are appended to.
pub const ENV: &str = "DYNASCHEMA_COVERAGE";

/// The open file, or `None` when recording is off; decided on first use.
static SINK: OnceLock<Option<File>> = OnceLock::new();

fn sink() -> Option<&'static File> {
    SINK.get_or_init(|| {
        let path = std::env::var_os(ENV).filter(|p| !p.is_empty())?;
        match OpenOptions::new().create(true).append(true).open(&path) {
            Ok(file) => Some(file),
            Err(error) => {
                // The user asked for coverage: say loudly that none will be recorded
                // (the coverage check will then name every pattern as unexercised).
                eprintln!(
                    "dynaschema: {ENV}={} cannot be opened for appending ({error}); access-pattern coverage is not recorded",
                    path.to_string_lossy()
                );
                None
            }
        }
    })
    .as_ref()
}

/// Records one execution of `pattern` of the schema whose table is `table`.
pub(crate) fn record(table: &str, pattern: &str) {
    let Some(mut file) = sink() else {
        return;
    };
    if pattern.is_empty() {
        return;
    }
    let line = format!(
        "{{\"table\":{},\"pattern\":{}}}\n",
        json_string(table),
        json_string(pattern)
    );
    // One write of a short line to an O_APPEND file: atomic with respect to other
    // appenders, in this process and others.
    if let Err(error) = file.write_all(line.as_bytes()) {
        eprintln!("dynaschema: writing to {ENV} failed ({error}); coverage is incomplete");
    }
}

/// `s` as a JSON string literal. Table and pattern names are plain identifiers, but
/// the record must stay valid JSON whatever they hold.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::json_string;

    #[test]
    fn names_are_json_strings() {
        assert_eq!(json_string("Shop"), "\"Shop\"");
        assert_eq!(json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
    }
}
