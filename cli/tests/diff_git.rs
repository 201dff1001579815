//! `dynaschema diff --from-git`: the old schema is the committed one, as CI runs it
//! (`dynaschema diff --from-git origin/main --deny breaking`).

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn the_committed_schema_is_the_old_one() {
    let dir = std::env::temp_dir().join(format!("dynaschema-diff-git-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("app")).unwrap();
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/diff");
    std::fs::copy(schemas.join("v1.toml"), dir.join("app/dynaschema.toml")).unwrap();
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "v1"]);
    std::fs::copy(
        schemas.join("backfill.toml"),
        dir.join("app/dynaschema.toml"),
    )
    .unwrap();

    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_dynaschema"))
            .current_dir(&dir)
            .args(args)
            .output()
            .unwrap()
    };
    // REV: the new schema's own path at REV.
    let out = run(&[
        "diff",
        "--from-git",
        "HEAD",
        "app/dynaschema.toml",
        "--deny",
        "needs-backfill",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("needs-backfill: global index `gsi2` added"),
        "{stdout}"
    );
    // Not denied: exit 0.
    let out = run(&[
        "diff",
        "--from-git",
        "HEAD",
        "app/dynaschema.toml",
        "--deny",
        "breaking",
    ]);
    assert_eq!(out.status.code(), Some(0));
    // REV:PATH, from the repository root.
    let out = run(&[
        "diff",
        "--from-git",
        "HEAD:app/dynaschema.toml",
        "app/dynaschema.toml",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["highest"], "needs-backfill");
    assert_eq!(json["old"], "HEAD:app/dynaschema.toml");
    // A revision that does not exist is an error (2), naming git's complaint.
    let out = run(&["diff", "--from-git", "nope", "app/dynaschema.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("git show nope:"));
    let _ = std::fs::remove_dir_all(&dir);
}
