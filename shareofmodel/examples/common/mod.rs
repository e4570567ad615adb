//! What every example needs: a client, and an organization and workspace to work in.

use shareofmodel::{Auth, Client, Uuid};
use shareofmodel_sandbox::{Sandbox, SandboxConfig};

const ENV_ORGANIZATION_ID: &str = "SHAREOFMODEL_ORGANIZATION_ID";
const ENV_WORKSPACE_ID: &str = "SHAREOFMODEL_WORKSPACE_ID";

/// Where the example works: a configured server, or a sandbox this process runs.
pub struct Target {
    pub client: Client,
    pub organization_id: Uuid,
    pub workspace_id: Uuid,
    // Kept alive as long as the target is used.
    _sandbox: Option<Sandbox>,
}

impl Target {
    /// The sandbox's key, when the target is a sandbox.
    #[allow(dead_code)]
    pub fn sandbox_key(&self) -> Option<String> {
        self._sandbox.as_ref().map(|s| s.api_key().to_owned())
    }
}

/// Logs on stderr, quiet unless `RUST_LOG` says otherwise.
pub fn init_logging() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

/// With `SHAREOFMODEL_BASE_URL`, `SHAREOFMODEL_API_KEY`, `SHAREOFMODEL_ORGANIZATION_ID` and
/// `SHAREOFMODEL_WORKSPACE_ID` all set, that server (the key is exchanged for tokens); with
/// none of them set, a sandbox started on 127.0.0.1.
pub async fn target() -> Result<Target, String> {
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
            "no SHAREOFMODEL_* configuration: using a sandbox started at {} (set {} to use a real server)",
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

/// Runs an example's body and turns its error into a message and exit code 1.
pub fn finish(result: Result<(), String>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
