//! `shareofmodel-sandbox`: serves the sandbox on loopback until Ctrl-C.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use shareofmodel_sandbox::{ResponseShape, Sandbox, SandboxConfig, TokenField};
use uuid::Uuid;

/// A local stand-in for the Share Of Model asset API, on 127.0.0.1.
///
/// Prints `SHAREOFMODEL_*=...` lines to export, then serves until Ctrl-C. Set RUST_LOG=debug
/// to see one line per request.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Port on 127.0.0.1; 0 lets the system choose a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// The key clients must send (default: a random `som_sandbox_...` key).
    #[arg(long)]
    api_key: Option<String>,

    /// The organization id to serve (default: random).
    #[arg(long)]
    organization_id: Option<Uuid>,

    /// The workspace id to serve (default: random).
    #[arg(long)]
    workspace_id: Option<Uuid>,

    /// Body of a successful create: one object for one asset and an array otherwise (auto),
    /// always an array, or always the first asset.
    #[arg(long, default_value = "auto", value_parser = clap::builder::PossibleValuesParser::new(ResponseShape::NAMES))]
    response_shape: String,

    /// An OpenAPI document to serve instead of the built-in openapi.yaml.
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,

    /// The property of the token exchange's answer that carries the token.
    #[arg(long, default_value = "access", value_parser = clap::builder::PossibleValuesParser::new(TokenField::NAMES))]
    token_field: String,

    /// How long an issued token is accepted, in seconds.
    #[arg(long, default_value_t = 900, value_name = "SECONDS")]
    token_ttl: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();

    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("shareofmodel-sandbox: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let shape: ResponseShape = args.response_shape.parse()?;
    let token_field: TokenField = args.token_field.parse()?;
    let mut config = SandboxConfig::default()
        .bind(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port)))
        .response_shape(shape)
        .token_field(token_field)
        .token_ttl(Duration::from_secs(args.token_ttl));
    if let Some(key) = args.api_key {
        config = config.api_key(key);
    }
    if let Some(id) = args.organization_id {
        config = config.organization_id(id);
    }
    if let Some(id) = args.workspace_id {
        config = config.workspace_id(id);
    }
    if let Some(path) = &args.spec {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the spec {}: {e}", path.display()))?;
        config = config.spec_yaml(text);
    }

    let sandbox = Sandbox::start(config).await.map_err(|e| e.to_string())?;

    // Printed, not logged: the key is meant for the person who started the sandbox.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "export SHAREOFMODEL_BASE_URL={}", sandbox.base_url());
    let _ = writeln!(out, "export SHAREOFMODEL_API_KEY={}", sandbox.api_key());
    let _ = writeln!(
        out,
        "export SHAREOFMODEL_ORGANIZATION_ID={}",
        sandbox.organization_id()
    );
    let _ = writeln!(
        out,
        "export SHAREOFMODEL_WORKSPACE_ID={}",
        sandbox.workspace_id()
    );
    let _ = out.flush();
    drop(out);
    eprintln!(
        "shareofmodel-sandbox: serving on {} until Ctrl-C",
        sandbox.base_url()
    );

    tokio::signal::ctrl_c()
        .await
        .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))?;
    sandbox.shutdown().await;
    Ok(())
}
