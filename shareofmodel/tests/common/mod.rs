//! What the wrapper's integration tests share: fixtures, a sandbox on loopback, a client for it.

#![allow(dead_code)] // Each test file uses its own part of this module.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use shareofmodel::{Auth, Client};
use shareofmodel_sandbox::{Sandbox, SandboxConfig};

pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(name)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default())
        .await
        .expect("the sandbox starts")
}

/// A client sending the sandbox's key as-is, as the reference's curl samples do.
pub fn client(sandbox: &Sandbox) -> Client {
    Client::builder(sandbox.base_url())
        .auth(Auth::authorization(sandbox.api_key()))
        .build()
        .expect("a client")
}

pub async fn sandbox_and_client() -> (Sandbox, Client) {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    (sandbox, client)
}
