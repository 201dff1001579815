//! `dynaschema init` writes a starter schema that passes `check`, and never
//! overwrites.

use std::process::Command;

fn dynaschema(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dynaschema"))
        .args(args)
        .output()
        .expect("run dynaschema");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn init_writes_a_schema_that_passes_check_and_never_overwrites() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("init-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let dir_text = dir.display().to_string();
    let (code, stdout, _) = dynaschema(&["init", &dir_text]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("dynaschema_codegen::Builder::new()"),
        "{stdout}"
    );
    let schema = dir.join("dynaschema.toml");
    let text = std::fs::read_to_string(&schema).unwrap();
    assert!(text.starts_with("#:schema ./dynaschema.schema.json\n"));
    assert_eq!(
        std::fs::read_to_string(dir.join("dynaschema.schema.json")).unwrap(),
        dynaschema_codegen::schema::json_schema()
    );
    let (code, stdout, _) =
        dynaschema(&["check", &schema.display().to_string(), "--deny-warnings"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.ends_with("no findings\n"), "{stdout}");

    std::fs::write(&schema, "# mine\n").unwrap();
    let (code, _, stderr) = dynaschema(&["init", &dir_text]);
    assert_eq!(code, 2);
    assert!(stderr.contains("exists; nothing was written"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&schema).unwrap(), "# mine\n");
}
