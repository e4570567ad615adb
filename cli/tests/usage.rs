//! With `--json`, even a usage error is one JSON document on stdout.

mod common;

use common::{json, som};

#[test]
fn usage_errors_are_json_documents_with_json() {
    for args in [
        vec!["--json", "assets", "upload", "--bogus"],
        vec!["--json"],
        vec!["--json", "assets", "list", "--organization", "not-a-uuid"],
    ] {
        let output = som().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let document = json(&output.stdout);
        assert_eq!(document["exit_code"], 2, "{args:?}");
        assert!(!document["error"].as_str().unwrap().is_empty(), "{args:?}");
    }
    // Without --json, stdout stays empty.
    let output = som()
        .args(["assets", "upload", "--bogus"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
}

#[test]
fn hidden_names_that_are_not_utf8_are_still_hidden() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let png = std::fs::read(common::fixtures_dir().join("poster.png")).unwrap();
    std::fs::write(
        dir.path()
            .join(std::ffi::OsStr::from_bytes(b".\xffhidden.png")),
        &png,
    )
    .unwrap();
    let hidden_dir = dir.path().join(std::ffi::OsStr::from_bytes(b".\xffdir"));
    std::fs::create_dir(&hidden_dir).unwrap();
    std::fs::write(hidden_dir.join("inner.png"), &png).unwrap();
    std::fs::write(dir.path().join("visible.png"), &png).unwrap();
    let output = som()
        .args(["--json", "assets", "upload", "--dry-run"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let inputs = json(&output.stdout)["inputs"].as_array().unwrap().clone();
    assert_eq!(inputs.len(), 1);
    assert!(
        inputs[0]["input"]
            .as_str()
            .unwrap()
            .ends_with("visible.png")
    );
}
