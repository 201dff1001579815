//! `Builder`: warnings fail the build only when denied; output is written only when
//! it changes, so unchanged schemas do not trigger rebuilds.

use std::path::PathBuf;

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("dynaschema-builder-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const WITH_WARNING: &str = r#"
[table]
name = "App"
partition_key = "pk"
sort_key = "sk"

[indexes.unused]
partition_key = "gsi1pk"
sort_key = "gsi1sk"

[entities.User]
primary = { pk = "USER#{id}", sk = "PROFILE" }

[patterns.get_user]
get = "User"
"#;

#[test]
fn warnings_fail_the_build_only_when_denied() {
    let dir = scratch("deny");
    let schema = dir.join("dynaschema.toml");
    std::fs::write(&schema, WITH_WARNING).unwrap();
    let out = dir.join("out");
    let written = dynaschema_codegen::Builder::new()
        .out_dir(&out)
        .compile(&schema)
        .unwrap();
    assert_eq!(written, out.join("app.rs"));
    let err = dynaschema_codegen::Builder::new()
        .out_dir(&out)
        .deny_warnings(true)
        .compile(&schema)
        .unwrap_err();
    assert!(
        matches!(err, dynaschema_codegen::BuildError::Warnings(_)),
        "{err}"
    );
    assert!(err.to_string().contains("check::unused-index"), "{err}");
}

#[test]
fn unchanged_output_is_not_rewritten() {
    let dir = scratch("unchanged");
    let schema = dir.join("dynaschema.toml");
    std::fs::write(&schema, WITH_WARNING).unwrap();
    let builder = dynaschema_codegen::Builder::new().out_dir(dir.join("out"));
    let path = builder.compile(&schema).unwrap();
    let first = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    builder.compile(&schema).unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), first);
}

#[test]
fn errors_are_rendered_with_their_place() {
    let dir = scratch("errors");
    let schema = dir.join("dynaschema.toml");
    std::fs::write(
        &schema,
        WITH_WARNING.replace("get = \"User\"", "get = \"Usr\""),
    )
    .unwrap();
    let err = dynaschema_codegen::Builder::new()
        .out_dir(dir.join("out"))
        .compile(&schema)
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("`Usr` is not an entity of this schema"),
        "{text}"
    );
    assert!(text.contains("dynaschema.toml:15:7"), "{text}");
}

#[test]
fn a_bad_entity_path_is_an_error_not_a_panic() {
    let dir = scratch("entity-path");
    let schema = dir.join("dynaschema.toml");
    std::fs::write(&schema, WITH_WARNING).unwrap();
    for bad in ["", "crate::", "a b", "::", "1model", "crate::model!"] {
        let err = dynaschema_codegen::Builder::new()
            .entity_path(bad)
            .out_dir(dir.join("out"))
            .compile(&schema)
            .unwrap_err();
        assert!(
            matches!(&err, dynaschema_codegen::BuildError::EntityPath { path, .. } if path == bad),
            "{bad:?}: {err}"
        );
    }
    // A later good path wins.
    dynaschema_codegen::Builder::new()
        .entity_path("a b")
        .entity_path("crate::model")
        .out_dir(dir.join("out"))
        .compile(&schema)
        .unwrap();
}
