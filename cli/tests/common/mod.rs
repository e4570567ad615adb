//! What the CLI tests share: a sandbox on loopback, the `som` binary aimed at it, fixtures.

#![allow(dead_code)] // Each test file uses its own part of this module.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use shareofmodel_sandbox::{Sandbox, SandboxConfig, StoredAsset};

/// The accepted fixtures, as the sandbox names and classifies them once uploaded.
pub const FIXTURES: [(&str, &str); 7] = [
    ("affiche été 2027.png", "image"),
    ("brief.pdf", "text"),
    ("clip.mp4", "video"),
    ("logo", "image"),
    ("misnamed-photo.txt", "image"),
    ("photo.jpg", "image"),
    ("poster.png", "image"),
];

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// A sandbox serving on 127.0.0.1, with the runtime that drives it (the tests themselves are
/// synchronous: they run the `som` binary and wait for it).
pub struct Env {
    pub sandbox: Sandbox,
    runtime: tokio::runtime::Runtime,
}

impl Env {
    pub fn start() -> Self {
        Self::with_config(SandboxConfig::default())
    }

    pub fn with_config(config: SandboxConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime for the sandbox");
        let sandbox = runtime
            .block_on(Sandbox::start(config))
            .expect("the sandbox starts");
        Self { sandbox, runtime }
    }

    /// `som` aimed at the sandbox: base URL, ids and the key (as a bearer token, from the
    /// environment, as a user would export it; `--sandbox` runs exercise the key exchange).
    pub fn som(&self) -> Command {
        let mut cmd = som();
        cmd.env("SHAREOFMODEL_BASE_URL", self.sandbox.base_url())
            .env(
                "SHAREOFMODEL_ORGANIZATION_ID",
                self.sandbox.organization_id().to_string(),
            )
            .env(
                "SHAREOFMODEL_WORKSPACE_ID",
                self.sandbox.workspace_id().to_string(),
            )
            .env("SHAREOFMODEL_TOKEN", self.sandbox.api_key());
        cmd
    }

    pub fn assets(&self) -> Vec<StoredAsset> {
        self.sandbox.assets()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        self.runtime.block_on(self.sandbox.shutdown());
    }
}

/// The `som` binary with none of the caller's configuration: nothing a developer exported can
/// send a test to another server, and logs stay off.
pub fn som() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_som"));
    for var in [
        "SHAREOFMODEL_BASE_URL",
        "SHAREOFMODEL_ORGANIZATION_ID",
        "SHAREOFMODEL_WORKSPACE_ID",
        "SHAREOFMODEL_API_KEY",
        "SHAREOFMODEL_TOKEN",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    // A base URL no test reaches, so that a missing setting can only fail locally.
    cmd.env("SHAREOFMODEL_BASE_URL", "http://127.0.0.1:9");
    cmd
}

/// A folder with the accepted fixtures, and hidden things that must be skipped.
pub fn fixture_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, _) in FIXTURES {
        std::fs::copy(fixtures_dir().join(name), dir.path().join(name)).expect("copy a fixture");
    }
    std::fs::copy(
        fixtures_dir().join("poster.png"),
        dir.path().join(".hidden.png"),
    )
    .expect("copy a hidden file");
    std::fs::create_dir(dir.path().join(".cache")).expect("a hidden folder");
    std::fs::copy(
        fixtures_dir().join("photo.jpg"),
        dir.path().join(".cache/thumb.jpg"),
    )
    .expect("copy into a hidden folder");
    dir
}

pub fn json(output: &[u8]) -> serde_json::Value {
    serde_json::from_slice(output).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}):\n{}",
            String::from_utf8_lossy(output)
        )
    })
}

pub fn text(output: &[u8]) -> String {
    String::from_utf8_lossy(output).into_owned()
}
