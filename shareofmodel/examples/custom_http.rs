//! Uses a `reqwest::Client` you configure yourself: a proxy, your own timeouts, TLS roots...
//! Credentials and retries still come from this crate.
//!
//! ```text
//! cargo run --example custom_http
//! ```

#[path = "common/mod.rs"]
mod common;

use std::process::ExitCode;
use std::time::Duration;

use shareofmodel::{Auth, Client, RetryPolicy};

#[tokio::main]
async fn main() -> ExitCode {
    common::init_logging();
    common::finish(run().await)
}

async fn run() -> Result<(), String> {
    // The sandbox (or configured server) only provides the address and ids here.
    let target = common::target().await?;
    let base_url = target.client.base_url().to_owned();
    let key = std::env::var(shareofmodel::ENV_API_KEY).ok();

    let http = reqwest::Client::builder()
        // With a corporate proxy: .proxy(reqwest::Proxy::https("http://proxy.internal:3128")?)
        .no_proxy()
        .connect_timeout(Duration::from_secs(5))
        // No `timeout` or `read_timeout` here: both would cut long uploads short. The client
        // applies its own idle timeout (ClientBuilder::idle_timeout) on top.
        .user_agent("campaign-uploader/1.0")
        .build()
        .map_err(|e| e.to_string())?;

    let auth = match key {
        Some(key) => Auth::api_key(key),
        // The sandbox's key, as the example's target uses it.
        None => sandbox_auth(&target)?,
    };
    let client = Client::builder(base_url)
        .reqwest_client(http)
        .auth(auth)
        .retry(RetryPolicy::default().max_attempts(6))
        .build()
        .map_err(|e| e.to_string())?;

    let assets = client
        .list_assets(target.organization_id, target.workspace_id, false)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "{} assets, listed through a custom reqwest client",
        assets.len()
    );
    Ok(())
}

/// The sandbox's key, sent as the API reference's samples send a key.
fn sandbox_auth(target: &common::Target) -> Result<Auth, String> {
    target
        .sandbox_key()
        .map(Auth::authorization)
        .ok_or_else(|| "no key: set SHAREOFMODEL_API_KEY".to_owned())
}
