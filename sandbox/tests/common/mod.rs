//! Helpers shared by the integration tests: a loopback sandbox and a client for it.

#![allow(dead_code)]

use std::path::PathBuf;

use reqwest::multipart::{Form, Part};
use sha2::{Digest, Sha256};
use shareofmodel_sandbox::{Sandbox, SandboxConfig};

pub async fn start() -> Sandbox {
    start_with(SandboxConfig::default()).await
}

pub async fn start_with(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.expect("the sandbox starts")
}

/// A client that never goes through a proxy: every request stays on loopback.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a client")
}

pub fn assets_url(sandbox: &Sandbox) -> String {
    format!(
        "{}/v1/organizations/{}/workspaces/{}/assets",
        sandbox.base_url(),
        sandbox.organization_id(),
        sandbox.workspace_id()
    )
}

pub fn archive_url(sandbox: &Sandbox) -> String {
    format!("{}/archive", assets_url(sandbox))
}

pub fn bearer(sandbox: &Sandbox) -> String {
    format!("Bearer {}", sandbox.api_key())
}

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(name)
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A json-parts text item: one `application/json` part.
pub fn json_item(name: &str, content: &str) -> Part {
    let json = serde_json::json!({ "name": name, "content": content }).to_string();
    Part::text(json).mime_str("application/json").unwrap()
}

pub fn file_part(fixture_name: &str, mime: &str) -> Part {
    Part::bytes(fixture(fixture_name))
        .file_name(fixture_name.to_owned())
        .mime_str(mime)
        .unwrap()
}

/// Sends a create call with valid credentials.
pub async fn create(sandbox: &Sandbox, form: Form) -> reqwest::Response {
    client()
        .post(assets_url(sandbox))
        .header("Authorization", bearer(sandbox))
        .multipart(form)
        .send()
        .await
        .expect("the sandbox answers")
}

/// Sends a create call and returns (status, JSON body).
pub async fn create_json(sandbox: &Sandbox, form: Form) -> (u16, serde_json::Value) {
    let response = create(sandbox, form).await;
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

/// The workspace's spec with the text items switched to `drf-indexed`.
pub fn drf_indexed_spec() -> String {
    let text =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml"))
            .unwrap();
    assert!(text.contains("x-form-style: json-parts"));
    text.replace("x-form-style: json-parts", "x-form-style: drf-indexed")
}
