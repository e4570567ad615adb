//! `cargo xtask regen` and `check` as a maintainer runs them, on copies of the spec.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const SPEC: &str = include_str!("../../openapi.yaml");

fn xtask(args: &[&str], spec: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .expect("xtask runs")
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in walk(dir) {
        let relative = entry
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        files.push((relative, fs::read(&entry).unwrap()));
    }
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn regen_is_deterministic_and_check_agrees() {
    let temp = tempfile::tempdir().unwrap();
    let spec = temp.path().join("openapi.yaml");
    fs::write(&spec, SPEC).unwrap();
    let (a, b) = (temp.path().join("a"), temp.path().join("b"));

    assert!(xtask(&["regen"], &spec, &a).status.success());
    assert!(xtask(&["regen"], &spec, &b).status.success());
    let first = snapshot(&a);
    assert_eq!(first, snapshot(&b));
    assert_eq!(first.len(), 8);

    // Regenerating over an existing crate gives the same bytes, and leaves no staging dirs.
    assert!(xtask(&["regen"], &spec, &a).status.success());
    assert_eq!(first, snapshot(&a));
    let leftovers: Vec<_> = fs::read_dir(temp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let check = xtask(&["check"], &spec, &a);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn the_checked_in_client_is_what_the_checked_in_spec_generates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let check = xtask(
        &["check"],
        &root.join("openapi.yaml"),
        &root.join("generated-client"),
    );
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn check_fails_after_a_one_character_spec_edit() {
    let temp = tempfile::tempdir().unwrap();
    let spec = temp.path().join("openapi.yaml");
    let out = temp.path().join("client");
    fs::write(&spec, SPEC).unwrap();
    assert!(xtask(&["regen"], &spec, &out).status.success());

    let edited = SPEC.replacen("maxItems: 10", "maxItems: 11", 1);
    assert_ne!(edited, SPEC);
    fs::write(&spec, edited).unwrap();
    let check = xtask(&["check"], &spec, &out);
    assert!(!check.status.success());
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains("src/multipart.rs"), "{stderr}");
    assert!(
        stderr.contains("-        pub const MAX_ITEMS: usize = 10usize;"),
        "{stderr}"
    );
    assert!(
        stderr.contains("+        pub const MAX_ITEMS: usize = 11usize;"),
        "{stderr}"
    );
    assert!(stderr.contains("fix: run `cargo xtask regen`"), "{stderr}");
}

#[test]
fn check_reports_extra_and_missing_files() {
    let temp = tempfile::tempdir().unwrap();
    let spec = temp.path().join("openapi.yaml");
    let out = temp.path().join("client");
    fs::write(&spec, SPEC).unwrap();
    assert!(xtask(&["regen"], &spec, &out).status.success());
    fs::write(out.join("src/extra.rs"), "// hand-written\n").unwrap();
    fs::remove_file(out.join("src/lib.rs")).unwrap();

    let check = xtask(&["check"], &spec, &out);
    assert!(!check.status.success());
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        stderr.contains("  src/extra.rs") && stderr.contains("  src/lib.rs"),
        "{stderr}"
    );
}

#[test]
fn a_3_1_spec_fails_clearly_and_leaves_the_client_untouched() {
    let temp = tempfile::tempdir().unwrap();
    let spec = temp.path().join("openapi.yaml");
    let out = temp.path().join("client");
    fs::write(&spec, SPEC).unwrap();
    assert!(xtask(&["regen"], &spec, &out).status.success());
    let before = snapshot(&out);

    fs::write(&spec, SPEC.replacen("openapi: 3.0.3", "openapi: 3.1.0", 1)).unwrap();
    let regen = xtask(&["regen"], &spec, &out);
    assert!(!regen.status.success());
    let stderr = String::from_utf8_lossy(&regen.stderr);
    assert!(
        stderr.contains("only OpenAPI 3.0.x documents are supported"),
        "{stderr}"
    );
    assert_eq!(before, snapshot(&out));
}

#[test]
fn a_missing_spec_names_the_path() {
    let temp = tempfile::tempdir().unwrap();
    let spec = temp.path().join("nope.yaml");
    let regen = xtask(&["regen"], &spec, &temp.path().join("client"));
    assert!(!regen.status.success());
    let stderr = String::from_utf8_lossy(&regen.stderr);
    assert!(
        stderr.contains("cannot read the spec at") && stderr.contains("nope.yaml"),
        "{stderr}"
    );
    assert!(!temp.path().join("client").exists());
}

#[test]
fn diff_reports_spec_impact_and_semver_and_can_fail_on_breaking() {
    let temp = tempfile::tempdir().unwrap();
    let old = temp.path().join("old.yaml");
    let new = temp.path().join("new.yaml");
    fs::write(&old, SPEC).unwrap();
    fs::write(&new, SPEC.replacen("maxItems: 10", "maxItems: 5", 1)).unwrap();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("diff")
            .arg(&old)
            .arg(&new)
            .args(extra)
            .output()
            .expect("xtask runs")
    };

    let markdown = run(&[]);
    assert!(markdown.status.success());
    let text = String::from_utf8_lossy(&markdown.stdout);
    assert!(text.contains("**1 breaking, 0 compatible**"), "{text}");
    assert!(text.contains("maxItems 10 → 5"), "{text}");
    assert!(
        text.contains("## Rust API of `shareofmodel-client`: minor"),
        "{text}"
    );
    assert!(
        text.contains("const create_assets::assets::MAX_ITEMS`: its value changed (10 → 5)"),
        "{text}"
    );

    let json = run(&["--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["breaking"], 1);
    assert_eq!(value["semver"]["level"], "minor");

    assert!(!run(&["--fail-on", "breaking"]).status.success());
    let same = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["diff"])
        .arg(&old)
        .arg(&old)
        .args(["--fail-on", "breaking"])
        .output()
        .unwrap();
    assert!(same.status.success());
    assert!(String::from_utf8_lossy(&same.stdout).contains("patch (no public item changed)"));
}
