//! Turning the global flags into a client, an organization and a workspace, or into the
//! in-process sandbox.

use clap::ArgMatches;
use clap::parser::ValueSource;
use shareofmodel::{Auth, Client, DEFAULT_BASE_URL, Secret, Uuid};
use shareofmodel_sandbox::{Sandbox, SandboxConfig};

use crate::args::Global;
use crate::failure::Failure;

/// Where requests go.
pub struct Target {
    pub client: Client,
    pub organization: Uuid,
    pub workspace: Uuid,
    /// Kept alive for as long as the command runs: dropping it stops the server.
    sandbox: Option<Sandbox>,
}

impl Target {
    /// Stops the in-process sandbox, if any, letting open connections finish.
    pub async fn close(self) {
        if let Some(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
    }
}

const SETTINGS: [(&str, &str); 6] = [
    ("base_url", "--base-url"),
    ("organization", "--organization"),
    ("workspace", "--workspace"),
    ("api_key", "--api-key"),
    ("token", "--token"),
    ("authorization", "--authorization"),
];

/// The client for the flags given. `matches` tells a flag from an environment variable: with
/// `--sandbox`, settings from the environment are ignored (a shell set up for the real API
/// must still be able to run the demo) but flags are refused, since they would be ignored.
pub async fn connect(global: &Global, matches: &ArgMatches) -> Result<Target, Failure> {
    if global.sandbox {
        let given: Vec<&str> = SETTINGS
            .iter()
            .filter(|(id, _)| source(matches, id) == Some(ValueSource::CommandLine))
            .map(|(_, flag)| *flag)
            .collect();
        if !given.is_empty() {
            return Err(Failure::usage(format!(
                "--sandbox runs against a local sandbox, so {} cannot be used with it; drop one or the other",
                given.join(", ")
            )));
        }
        return start_sandbox().await;
    }

    let organization = global.organization.ok_or_else(|| {
        Failure::usage(
            "no organization: pass --organization UUID or set SHAREOFMODEL_ORGANIZATION_ID (or try --sandbox)",
        )
    })?;
    let workspace = global.workspace.ok_or_else(|| {
        Failure::usage(
            "no workspace: pass --workspace UUID or set SHAREOFMODEL_WORKSPACE_ID (or try --sandbox)",
        )
    })?;
    let auth = auth(global, matches)?;
    let base_url = global
        .base_url
        .clone()
        .filter(|url| !url.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
    let client = Client::builder(base_url)
        .auth(auth)
        .user_agent(user_agent())
        .build()
        .map_err(|e| Failure::from_error(&e))?;
    tracing::info!(base_url = client.base_url(), %organization, %workspace, "configured");
    Ok(Target {
        client,
        organization,
        workspace,
        sandbox: None,
    })
}

fn source(matches: &ArgMatches, id: &str) -> Option<ValueSource> {
    // Global flags may be given after the subcommand: look in every level.
    let mut current = Some(matches);
    let mut found = None;
    while let Some(m) = current {
        // `try_contains_id` first: `value_source` panics (in debug builds) on an unknown id.
        if m.try_contains_id(id).unwrap_or(false)
            && let Some(source) = m.value_source(id)
        {
            // The deepest level that saw the flag wins, as clap's own propagation does.
            if found != Some(ValueSource::CommandLine) {
                found = Some(source);
            }
        }
        current = m.subcommand().map(|(_, sub)| sub);
    }
    found
}

/// One credential: a flag wins over the environment; two flags, or two variables and no flag,
/// are refused rather than guessed between.
fn auth(global: &Global, matches: &ArgMatches) -> Result<Auth, Failure> {
    type Make = fn(Secret) -> Auth;
    let candidates: [(&str, &str, Option<&Secret>, Make); 3] = [
        (
            "api_key",
            "--api-key",
            global.api_key.as_ref(),
            Auth::api_key,
        ),
        ("token", "--token", global.token.as_ref(), Auth::bearer),
        (
            "authorization",
            "--authorization",
            global.authorization.as_ref(),
            Auth::authorization,
        ),
    ];
    let set: Vec<_> = candidates
        .iter()
        .filter_map(|(id, flag, value, make)| {
            value.map(|v| (source(matches, id), *flag, v.clone(), *make))
        })
        .collect();
    let flags: Vec<_> = set
        .iter()
        .filter(|(source, ..)| *source == Some(ValueSource::CommandLine))
        .collect();
    let all: Vec<_> = set.iter().collect();
    let chosen = match (flags.as_slice(), all.as_slice()) {
        ([one], _) | ([], [one]) => *one,
        ([], []) => {
            return Err(Failure::usage(
                "no credentials: pass --api-key KEY or set SHAREOFMODEL_API_KEY (or use --token, --authorization, or --sandbox)",
            ));
        }
        ([], several) | (several, _) => {
            let names: Vec<&str> = several.iter().map(|(_, flag, ..)| *flag).collect();
            return Err(Failure::usage(format!(
                "several credentials given ({}): give only one",
                names.join(", ")
            )));
        }
    };
    Ok((chosen.3)(chosen.2.clone()))
}

fn user_agent() -> String {
    format!("som/{}", env!("CARGO_PKG_VERSION"))
}

async fn start_sandbox() -> Result<Target, Failure> {
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .map_err(|e| Failure {
            // A setup problem found before any request: a usage-class error.
            exit: crate::failure::Exit::Usage,
            message: format!("the sandbox could not start: {e}"),
        })?;
    // The sandbox exchanges its key for tokens, as the real API does.
    let client = Client::builder(sandbox.base_url())
        .auth(Auth::api_key(sandbox.api_key()))
        .user_agent(user_agent())
        .build()
        .map_err(|e| Failure::from_error(&e))?;
    eprintln!(
        "som: using a sandbox at {} (organization {}, workspace {}); what it stores is gone when som exits",
        sandbox.base_url(),
        sandbox.organization_id(),
        sandbox.workspace_id()
    );
    Ok(Target {
        client,
        organization: sandbox.organization_id(),
        workspace: sandbox.workspace_id(),
        sandbox: Some(sandbox),
    })
}
