//! `som assets list` and `som assets archive`, and the global flags.

mod common;

use common::{Env, json, som, text};
use predicates::prelude::*;

#[test]
fn list_and_archive_round_trip() {
    let env = Env::start();
    let output = env
        .som()
        .args(["--json", "assets", "upload", "--tag", "q3"])
        .args([
            "--text",
            "Tagline=Made for summer.",
            "--text",
            "Claim=Cool all day.",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let created = json(&output.stdout);
    let ids: Vec<String> = created["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2);

    // Listed, not archived, with their tags.
    let listed = json(
        &env.som()
            .args(["assets", "list", "--json"])
            .output()
            .unwrap()
            .stdout,
    );
    let assets = listed["assets"].as_array().unwrap();
    assert_eq!(assets.len(), 2);
    for asset in assets {
        assert!(ids.contains(&asset["id"].as_str().unwrap().to_owned()));
        assert_eq!(asset["is_archived"], false);
        assert_eq!(asset["tags"], serde_json::json!(["q3"]));
    }

    // Archive the first (the flag after the subcommand works as well as before it).
    env.som()
        .args(["assets", "archive", &ids[0]])
        .assert()
        .success()
        .stdout(predicate::str::contains(ids[0].as_str()));
    let archived = env
        .sandbox
        .asset(ids[0].parse().unwrap())
        .expect("the asset is still there");
    assert!(archived.is_archived);

    // The table shows it archived, the other not; --include-email adds the creator.
    let output = env
        .som()
        .args(["assets", "list", "--include-email"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let table = text(&output.stdout);
    let row = |id: &str| {
        table
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("no row for {id}:\n{table}"))
            .to_owned()
    };
    assert!(table.starts_with("ID "), "{table}");
    assert!(
        table.lines().next().unwrap().contains("CREATED BY"),
        "{table}"
    );
    assert!(
        row(&ids[0]).contains(" yes ") && row(&ids[0]).contains("q3"),
        "{table}"
    );
    assert!(row(&ids[1]).contains(" no "), "{table}");
    assert!(
        row(&ids[1]).contains(shareofmodel_sandbox::SANDBOX_USER_EMAIL),
        "{table}"
    );

    // An unknown id: the server's 4xx, exit 1, one line, JSON error document on stdout.
    let output = env
        .som()
        .args([
            "--json",
            "assets",
            "archive",
            "00000000-0000-4000-8000-000000000000",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stderr).lines().count(),
        1,
        "{}",
        text(&output.stderr)
    );
    assert_eq!(json(&output.stdout)["exit_code"], 1);
}

#[test]
fn the_raw_authorization_flag_and_wrong_credentials() {
    let env = Env::start();
    // As the API reference's curl samples send the key: the raw header value.
    env.som()
        .env_remove("SHAREOFMODEL_TOKEN")
        .args(["assets", "list", "--authorization", env.sandbox.api_key()])
        .assert()
        .success();
    // A wrong token: the wrapper's message, on one line, exit 1, and the token nowhere.
    env.som()
        .env("SHAREOFMODEL_TOKEN", "not-the-key-1234")
        .args(["assets", "list"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("refused the credentials")
                .and(predicate::str::contains("not-the-key-1234").not()),
        );
    // Two credentials on the command line are refused rather than guessed between.
    env.som()
        .args(["assets", "list", "--token", "a", "--authorization", "b"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give only one"));
}

#[test]
fn sandbox_flag_needs_no_configuration() {
    let output = som()
        .args(["--sandbox", "--json", "assets", "upload"])
        .arg(common::fixtures_dir().join("poster.png"))
        .args(["--text", "Tagline=Made for summer."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report = json(&output.stdout);
    let names: Vec<&str> = report["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Tagline", "poster.png"]);
    // Flags that --sandbox would ignore are refused.
    som()
        .args([
            "--sandbox",
            "--base-url",
            "http://127.0.0.1:9",
            "assets",
            "list",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--base-url cannot be used with it",
        ));
}

#[test]
fn usage_errors_exit_2_with_the_fix_and_secrets_stay_hidden() {
    // Missing settings name the flag and the variable.
    som()
        .args(["assets", "list", "--token", "t"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no organization: pass --organization UUID or set SHAREOFMODEL_ORGANIZATION_ID",
        ));
    som()
        .args(["assets", "upload", "--text", "no equals sign"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("NAME=CONTENT"));
    som()
        .args(["assets", "archive", "not-a-uuid"])
        .assert()
        .code(2);
    // The environment's credentials never show in --help.
    som()
        .env("SHAREOFMODEL_API_KEY", "som_live_supersecret")
        .env("SHAREOFMODEL_TOKEN", "tok_supersecret")
        .args(["assets", "upload", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("--api-key")
                .and(predicate::str::contains("supersecret").not()),
        );
}
