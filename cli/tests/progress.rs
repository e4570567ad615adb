//! The progress bars, under a pseudo-terminal.

mod common;

use std::process::{Command, Stdio};

use common::{Env, text};

/// Quotes `s` for `sh`.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Runs `shell` under a pseudo-terminal (`script`), configured for the sandbox of `env`; its
/// stdout is what the terminal showed.
fn under_a_terminal(shell: &str, env: &Env) -> std::process::Output {
    Command::new("script")
        .args(["-qec", shell, "/dev/null"])
        .env_remove("RUST_LOG")
        .env_remove("SHAREOFMODEL_API_KEY")
        .env_remove("SHAREOFMODEL_BASE_URL")
        .env(
            "SHAREOFMODEL_ORGANIZATION_ID",
            env.sandbox.organization_id().to_string(),
        )
        .env(
            "SHAREOFMODEL_WORKSPACE_ID",
            env.sandbox.workspace_id().to_string(),
        )
        .env("SHAREOFMODEL_TOKEN", env.sandbox.api_key())
        .stdin(Stdio::null())
        .output()
        .expect("script runs")
}

#[test]
fn the_overall_bar_ends_at_100_percent_of_the_total() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let env = Env::start();
    let dir = tempfile::tempdir().unwrap();
    // 8 MiB that the sandbox and the wrapper take for a PNG (its content starts like one).
    let big = dir.path().join("big.png");
    let mut bytes = std::fs::read(common::fixtures_dir().join("poster.png")).unwrap();
    bytes.resize(8 * 1024 * 1024, 0);
    std::fs::write(&big, &bytes).unwrap();

    let som = std::path::Path::new(env!("CARGO_BIN_EXE_som"));
    // A fixed size, so that the bars are laid out the same on any machine.
    let shell = format!(
        "stty cols 160 rows 40; {} --base-url {} assets upload {}",
        quoted(&som.display().to_string()),
        quoted(env.sandbox.base_url()),
        quoted(&big.display().to_string()),
    );
    let output = under_a_terminal(&shell, &env);
    let transcript = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{transcript}");
    assert_eq!(env.assets().len(), 1);
    assert_eq!(env.assets()[0].size, 8 * 1024 * 1024);

    // The last frame of the overall bar: 100% of the total bytes, every request done.
    let frames: Vec<&str> = transcript
        .split(['\r', '\n'])
        .filter(|l| l.contains("requests"))
        .collect();
    let last = frames
        .last()
        .unwrap_or_else(|| panic!("no bar drawn:\n{transcript:?}"));
    assert!(last.contains("100%"), "{last:?}");
    assert!(last.contains("8.00 MiB/8.00 MiB"), "{last:?}");
    assert!(last.contains("1/1 requests"), "{last:?}");
    // Then the table, on a line of its own.
    assert!(
        transcript.lines().any(|l| l.starts_with("ID ")),
        "{transcript:?}"
    );

    // With stdout redirected (a script at work), stderr is still the terminal but no bar is
    // drawn: only the summary line.
    let table = dir.path().join("table.txt");
    let output = under_a_terminal(
        &format!("{shell} > {}", quoted(&table.display().to_string())),
        &env,
    );
    let transcript = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{transcript}");
    assert!(
        !transcript.contains("MiB") && !transcript.contains('%'),
        "{transcript:?}"
    );
    assert!(
        transcript.contains("som: created 1 asset in 1 request"),
        "{transcript:?}"
    );
    assert!(std::fs::read_to_string(&table).unwrap().contains("big.png"));
}
