//! `som assets upload --ledger`: re-runs send only what is new, and a run killed mid-way
//! leaves a ledger the next run loads and finishes from, without duplicates.

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use common::{Env, fixture_folder, json};
use shareofmodel_sandbox::Fault;

#[test]
fn a_folder_uploaded_twice_is_sent_once() {
    let env = Env::start();
    let folder = fixture_folder();
    let ledger = folder.path().join(".ledger.jsonl");
    let upload = || {
        env.som()
            .args(["--json", "assets", "upload"])
            .arg(folder.path())
            .arg("--ledger")
            .arg(&ledger)
            .args(["--tag", "summer"])
            .output()
            .unwrap()
    };

    let first = upload();
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    let created = json(&first.stdout)["created"].as_array().unwrap().len();
    assert_eq!(created, 7);

    let second = upload();
    assert_eq!(second.status.code(), Some(0), "{second:?}");
    let report = json(&second.stdout);
    assert_eq!(report["created"].as_array().unwrap().len(), 0);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 7);
    assert_eq!(report["requests"], 0);
    assert_eq!(env.assets().len(), 7, "nothing sent twice");

    // One changed file: only it is sent.
    let path = folder.path().join("poster.png");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"v2");
    std::fs::write(&path, bytes).unwrap();
    let third = upload();
    let report = json(&third.stdout);
    let names: Vec<&str> = report["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["poster.png"]);
    assert_eq!(env.assets().len(), 8);

    // --force sends everything again.
    let forced = env
        .som()
        .args(["--json", "assets", "upload"])
        .arg(folder.path())
        .arg("--ledger")
        .arg(&ledger)
        .args(["--tag", "summer", "--force"])
        .output()
        .unwrap();
    assert_eq!(json(&forced.stdout)["created"].as_array().unwrap().len(), 7);
}

#[test]
fn a_run_killed_mid_way_is_finished_by_the_next_without_duplicates() {
    let env = Env::start();
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.jsonl");
    let texts: Vec<String> = (0..12)
        .map(|i| format!("--text=Variant {i:02}=Copy {i}"))
        .collect();

    // The first request (10 texts) goes through; the second hangs mid-body, and the process
    // is killed while it waits.
    env.sandbox
        .push_faults(
            "create_assets",
            [
                Fault::WrongContentType { create: true },
                Fault::StallMidBody {
                    after_bytes: 16,
                    duration: Duration::from_secs(60),
                },
            ],
        )
        .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_som"))
        .env_remove("SHAREOFMODEL_API_KEY")
        .env_remove("RUST_LOG")
        .env("SHAREOFMODEL_BASE_URL", env.sandbox.base_url())
        .env(
            "SHAREOFMODEL_ORGANIZATION_ID",
            env.sandbox.organization_id().to_string(),
        )
        .env(
            "SHAREOFMODEL_WORKSPACE_ID",
            env.sandbox.workspace_id().to_string(),
        )
        .env("SHAREOFMODEL_TOKEN", env.sandbox.api_key())
        .args(["assets", "upload", "--concurrency", "1", "--ledger"])
        .arg(&ledger)
        .args(&texts)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::fs::read_to_string(&ledger)
        .map(|t| t.lines().count())
        .unwrap_or(0)
        < 10
    {
        assert!(
            Instant::now() < deadline,
            "the first request was never recorded"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(env.assets().len(), 10);

    // As if the kill had also torn a line being written.
    std::fs::OpenOptions::new()
        .append(true)
        .open(&ledger)
        .unwrap()
        .write_all(b"{\"workspace_id\": \"")
        .unwrap();

    env.sandbox.clear_faults();
    let rerun = env
        .som()
        .args(["--json", "assets", "upload", "--ledger"])
        .arg(&ledger)
        .args(&texts)
        .output()
        .unwrap();
    assert_eq!(rerun.status.code(), Some(0), "{rerun:?}");
    let report = json(&rerun.stdout);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 10);
    assert_eq!(report["created"].as_array().unwrap().len(), 2);
    assert!(String::from_utf8_lossy(&rerun.stderr).contains("unreadable line"));

    let mut names: Vec<String> = env.assets().into_iter().map(|a| a.name).collect();
    names.sort();
    let expected: Vec<String> = (0..12).map(|i| format!("Variant {i:02}")).collect();
    assert_eq!(names, expected, "each input exactly once");
}
