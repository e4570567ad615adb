//! Uploads files, one text asset and a tag, then prints each created asset.
//!
//! ```text
//! cargo run --example upload -- FILE...
//! ```
//!
//! With `SHAREOFMODEL_BASE_URL`, `SHAREOFMODEL_API_KEY`, `SHAREOFMODEL_ORGANIZATION_ID` and
//! `SHAREOFMODEL_WORKSPACE_ID` all set, it talks to that server. With none of them set, it
//! starts the sandbox on 127.0.0.1 and uploads there. `RUST_LOG=info` shows one line per request.

use std::process::ExitCode;

use shareofmodel::{Auth, Client, Uuid};
use shareofmodel_sandbox::{Sandbox, SandboxConfig};

const ENV_ORGANIZATION_ID: &str = "SHAREOFMODEL_ORGANIZATION_ID";
const ENV_WORKSPACE_ID: &str = "SHAREOFMODEL_WORKSPACE_ID";

/// Where to upload: a configured server, or a sandbox this process runs.
struct Target {
    client: Client,
    organization_id: Uuid,
    workspace_id: Uuid,
    // Kept alive for the duration of the upload.
    _sandbox: Option<Sandbox>,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();

    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() || files.iter().any(|f| f == "-h" || f == "--help") {
        eprintln!("usage: cargo run --example upload -- FILE...");
        return ExitCode::from(2);
    }

    match run(files).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(files: Vec<String>) -> Result<(), String> {
    let target = target().await?;

    let mut upload = target
        .client
        .upload(target.organization_id, target.workspace_id)
        .text("Tagline", "Summer 2027: \"made to be seen\" ☀️")
        .tag("example");
    for file in files {
        upload = upload.file(file);
    }
    let created = upload.send().await.map_err(|e| e.to_string())?;

    for asset in created {
        println!("{}\t{}\t{}", asset.id, asset.name, asset.content_type);
    }
    Ok(())
}

async fn target() -> Result<Target, String> {
    let names = [
        shareofmodel::ENV_BASE_URL,
        shareofmodel::ENV_API_KEY,
        ENV_ORGANIZATION_ID,
        ENV_WORKSPACE_ID,
    ];
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| std::env::var_os(name).is_none_or(|v| v.is_empty()))
        .collect();

    if missing.len() == names.len() {
        let sandbox = Sandbox::start(SandboxConfig::default())
            .await
            .map_err(|e| format!("could not start the sandbox: {e}"))?;
        eprintln!(
            "no SHAREOFMODEL_* configuration: uploading to a sandbox started at {} (set {} to use a real server)",
            sandbox.base_url(),
            names.join(", ")
        );
        let client = Client::builder(sandbox.base_url())
            .auth(Auth::authorization(sandbox.api_key()))
            .build()
            .map_err(|e| e.to_string())?;
        return Ok(Target {
            client,
            organization_id: sandbox.organization_id(),
            workspace_id: sandbox.workspace_id(),
            _sandbox: Some(sandbox),
        });
    }
    if !missing.is_empty() {
        return Err(format!(
            "{} not set; set all of {} to use a server, or none to use the sandbox",
            missing.join(", "),
            names.join(", ")
        ));
    }

    Ok(Target {
        client: Client::from_env().map_err(|e| e.to_string())?,
        organization_id: uuid_var(ENV_ORGANIZATION_ID)?,
        workspace_id: uuid_var(ENV_WORKSPACE_ID)?,
        _sandbox: None,
    })
}

fn uuid_var(name: &str) -> Result<Uuid, String> {
    let value = std::env::var(name).map_err(|_| format!("{name} is not valid UTF-8"))?;
    value
        .trim()
        .parse()
        .map_err(|e| format!("{name} is not a UUID ({e})"))
}
