//! `som assets upload` against the sandbox.

mod common;

use std::collections::BTreeSet;

use common::{Env, FIXTURES, fixture_folder, fixtures_dir, json, som, text};
use predicates::prelude::*;
use shareofmodel_sandbox::SandboxConfig;

#[test]
fn a_folder_uploads_exactly_its_visible_files() {
    let env = Env::start();
    let dir = fixture_folder();
    let output = env
        .som()
        .args(["assets", "upload", "--tag", "summer-2027"])
        .arg(dir.path())
        .args(["--text", "Tagline=Made for summer."])
        .output()
        .unwrap();
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");

    let stored: Vec<(String, String)> = env
        .assets()
        .iter()
        .map(|a| (a.name.clone(), a.content_type.clone()))
        .collect();
    let mut expected = vec![("Tagline".to_owned(), "text".to_owned())];
    expected.extend(FIXTURES.iter().map(|(n, t)| (n.to_string(), t.to_string())));
    // Texts go in their own request, which may finish first or last: compare as sets, then
    // check the files came in the sorted order.
    assert_eq!(
        stored.iter().cloned().collect::<BTreeSet<_>>(),
        expected.iter().cloned().collect::<BTreeSet<_>>(),
        "{stderr}"
    );
    let files: Vec<&str> = stored
        .iter()
        .filter(|(n, _)| n != "Tagline")
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(files, FIXTURES.map(|(n, _)| n));
    assert!(env.assets().iter().all(|a| a.tags == ["summer-2027"]));

    // The table of created assets names each one; the mismatch of the misnamed file is noted.
    for asset in env.assets() {
        let row = stdout
            .lines()
            .find(|l| l.starts_with(&asset.id.to_string()))
            .unwrap_or_else(|| panic!("no row for {}:\n{stdout}", asset.name));
        assert!(
            row.contains(&asset.name) && row.contains(&asset.content_type),
            "{row}"
        );
    }
    assert!(
        stderr.contains("misnamed-photo.txt: its extension says text/plain"),
        "{stderr}"
    );
    assert!(
        stderr.contains("created 8 assets in 2 requests"),
        "{stderr}"
    );
    // stderr is not a terminal here: no progress bar was drawn.
    assert!(
        !stderr.contains('\r') && !stderr.contains("\x1b["),
        "{stderr:?}"
    );
}

#[test]
fn json_output_matches_what_the_sandbox_stored() {
    let env = Env::start();
    let dir = fixture_folder();
    let output = env
        .som()
        .args(["--json", "assets", "upload"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report = json(&output.stdout);

    let created = report["created"].as_array().expect("created is an array");
    let reported: BTreeSet<(String, String, String)> = created
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or_default().to_owned(),
                c["name"].as_str().unwrap_or_default().to_owned(),
                c["content_type"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let stored: BTreeSet<(String, String, String)> = env
        .assets()
        .iter()
        .map(|a| (a.id.to_string(), a.name.clone(), a.content_type.clone()))
        .collect();
    assert_eq!(reported, stored);
    assert_eq!(created.len(), FIXTURES.len());
    assert_eq!(report["failed"], serde_json::json!([]));
    assert_eq!(report["requests"], 1);
    let misnamed = created
        .iter()
        .find(|c| c["name"] == "misnamed-photo.txt")
        .expect("the misnamed photo was created");
    assert_eq!(misnamed["media_type"], "image/jpeg");
    assert_eq!(misnamed["extension_disagrees"], "text/plain");
}

#[test]
fn dry_run_sends_nothing_and_lists_the_inputs() {
    let env = Env::start();
    let dir = fixture_folder();
    let output = env
        .som()
        .args(["assets", "upload", "--dry-run", "--tag", "summer-2027"])
        .arg(dir.path())
        .args(["--text", "Tagline=Made for summer."])
        .output()
        .unwrap();
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        env.sandbox.requests().is_empty(),
        "{:?}",
        env.sandbox.requests()
    );
    assert!(env.assets().is_empty());
    for (name, media_type, size) in [
        ("Tagline", "-", "16 B"),
        ("poster.png", "image/png", "16.80 KiB"),
        ("clip.mp4", "video/mp4", "11.24 KiB"),
        ("brief.pdf", "application/pdf", "2.47 KiB"),
        ("logo", "image/png", "2.39 KiB"),
        ("misnamed-photo.txt", "image/jpeg", "27.80 KiB"),
    ] {
        let row = stdout
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} is not listed:\n{stdout}"));
        assert!(row.contains(media_type) && row.contains(size), "{row}");
    }
    assert!(
        !stdout.contains(".hidden") && !stdout.contains("thumb.jpg"),
        "{stdout}"
    );

    // No configuration at all, and --json: still a full local check, still nothing sent.
    let output = som()
        .args(["--json", "assets", "upload", "--dry-run"])
        .arg(dir.path().join("poster.png"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let plan = json(&output.stdout);
    assert_eq!(plan["dry_run"], true);
    assert_eq!(plan["inputs"][0]["name"], "poster.png");
    assert_eq!(plan["inputs"][0]["media_type"], "image/png");
    assert_eq!(plan["inputs"][0]["size"], 17204);

    // A dry run fails like the real upload on a bad input, before any request.
    let output = env
        .som()
        .args(["assets", "upload", "--dry-run"])
        .arg(common::fixtures_dir().join("empty.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("empty.txt"),
        "{}",
        text(&output.stderr)
    );
    assert!(env.sandbox.requests().is_empty());
}

#[test]
fn a_tag_of_256_characters_is_refused_before_sending() {
    let env = Env::start();
    let tag = "t".repeat(256);
    env.som()
        .args(["assets", "upload", "--tag", &tag])
        .arg(common::fixtures_dir().join("poster.png"))
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::starts_with("som: error: tag \"tttt")
                .and(predicate::str::contains("(tags[0])"))
                .and(predicate::str::contains(
                    "256 characters long but at most 255",
                ))
                .and(predicate::str::contains("shorten it"))
                .and(
                    predicate::str::ends_with("\n")
                        .and(predicate::function(|s: &str| s.lines().count() == 1)),
                ),
        );
    assert!(env.sandbox.requests().is_empty());
}

/// The sandbox serves a spec that wants at least 3 text assets per request, where the client
/// (generated from the real spec) sends up to 10: of 12 texts, the first request (10) is
/// accepted and the second (2) is refused by the server, after local validation passed.
fn strict_sandbox() -> Env {
    let spec = std::fs::read_to_string(common::fixtures_dir().join("../openapi.yaml")).unwrap();
    let from = "minItems: 1\n          maxItems: 10";
    assert_eq!(
        spec.matches(from).count(),
        1,
        "the spec's text asset limits moved"
    );
    Env::with_config(SandboxConfig::default().spec_yaml(spec.replace(from, "minItems: 3")))
}

fn twelve_texts(cmd: &mut assert_cmd::Command) -> &mut assert_cmd::Command {
    cmd.args(["assets", "upload", "--concurrency", "2"]);
    for i in 1..=12 {
        cmd.arg("--text")
            .arg(format!("Variant {i:02}=Copy number {i}"));
    }
    cmd
}

#[test]
fn a_partial_failure_exits_1_and_lists_exactly_the_failed_inputs() {
    let env = strict_sandbox();
    let output = twelve_texts(env.som().arg("--json")).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report = json(&output.stdout);
    let failed: Vec<&str> = report["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["input"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(failed, ["Variant 11", "Variant 12"]);
    for f in report["failed"].as_array().unwrap() {
        assert_eq!(f["outcome"], "not_created");
        assert!(f["error"].as_str().unwrap().contains("at least 3"), "{f}");
    }
    assert_eq!(report["created"].as_array().unwrap().len(), 10);
    assert_eq!(report["requests"], 2);
    let stored: BTreeSet<String> = env.assets().into_iter().map(|a| a.name).collect();
    let expected: BTreeSet<String> = (1..=10).map(|i| format!("Variant {i:02}")).collect();
    assert_eq!(stored, expected);

    // Without --json: the failures table on stderr has one row per failed input, no more.
    let output = twelve_texts(&mut env.som()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    let rows: Vec<&str> = stderr
        .lines()
        .skip_while(|l| !l.starts_with("FAILED INPUT"))
        .skip(1)
        .take_while(|l| !l.starts_with("som:"))
        .collect();
    assert_eq!(rows.len(), 2, "{stderr}");
    assert!(
        rows[0].starts_with("Variant 11 ") && rows[1].starts_with("Variant 12 "),
        "{stderr}"
    );
    assert!(
        stderr.contains("som: 2 of 12 inputs failed (10 created in 2 requests)"),
        "{stderr}"
    );
    assert_eq!(
        text(&output.stdout).lines().count(),
        11,
        "header and 10 created rows"
    );
}

#[test]
fn text_files_and_globs() {
    let env = Env::start();
    let dir = fixture_folder();
    env.som()
        .args([
            "assets",
            "upload",
            "--include",
            "*.png",
            "--exclude",
            "poster*",
        ])
        .arg(dir.path())
        .arg("--text-file")
        .arg(common::fixtures_dir().join("tagline.txt"))
        .assert()
        .success();
    let names: BTreeSet<String> = env.assets().into_iter().map(|a| a.name).collect();
    assert_eq!(
        names,
        BTreeSet::from(["affiche été 2027.png".to_owned(), "tagline.txt".to_owned()])
    );
    let tagline = env
        .assets()
        .into_iter()
        .find(|a| a.name == "tagline.txt")
        .unwrap();
    assert_eq!(
        tagline.content,
        std::fs::read_to_string(common::fixtures_dir().join("tagline.txt")).unwrap()
    );

    // Unaccepted files in a folder stop everything, each named on its own line with how to
    // leave it out, and nothing is sent.
    for name in ["brief.txt", "empty.txt"] {
        std::fs::copy(common::fixtures_dir().join(name), dir.path().join(name)).unwrap();
    }
    env.sandbox.clear_records();
    let output = env
        .som()
        .args(["assets", "upload"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with("som: error: file ") && lines[0].contains("brief.txt"),
        "{stderr}"
    );
    assert!(
        lines[0].contains("text/plain") && lines[0].ends_with("--exclude GLOB"),
        "{stderr}"
    );
    assert!(
        lines[1].contains("empty.txt") && lines[1].contains("empty (0 bytes)"),
        "{stderr}"
    );
    assert!(env.sandbox.requests().is_empty());
}

#[test]
fn a_dry_run_checks_what_batching_will_send() {
    // Twelve text assets are two requests for a real run, so a dry run must accept them too.
    let env = Env::start();
    let texts: Vec<String> = (0..12)
        .map(|i| format!("--text=Line {i}=Copy {i}"))
        .collect();
    let output = env
        .som()
        .args(["--json", "assets", "upload", "--dry-run"])
        .args(&texts)
        .arg(fixtures_dir().join("misnamed-photo.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report = json(&output.stdout);
    let inputs = report["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 13);
    assert_eq!(
        inputs[12]["media_type"], "image/jpeg",
        "as the wrapper decides it"
    );
    assert!(env.sandbox.requests().is_empty());
}
