//! How a downstream crate tests its own upload code against the sandbox: a real HTTP server
//! on 127.0.0.1, no network, and a record of what went over the wire.
//!
//! `cargo test --example sandbox_in_tests` runs the tests below; in your crate, put them in
//! `tests/` and add `shareofmodel-sandbox` and `tokio` (with `macros`) to `[dev-dependencies]`.

use shareofmodel::{Auth, Client, Error, Uuid};
use shareofmodel_sandbox::{Sandbox, SandboxConfig};

/// The code under test: your own function that uploads a campaign's copy.
async fn publish_copy(
    client: &Client,
    org: Uuid,
    workspace: Uuid,
    lines: &[&str],
) -> Result<usize, Error> {
    let mut upload = client.upload(org, workspace).tag("copy");
    for (i, line) in lines.iter().enumerate() {
        upload = upload.text(format!("Line {}", i + 1), *line);
    }
    Ok(upload.send_batched().await?.created().count())
}

/// A sandbox and a client for it, as a test sets them up.
async fn sandbox_and_client() -> (Sandbox, Client) {
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .expect("the sandbox starts on 127.0.0.1");
    let client = Client::builder(sandbox.base_url())
        .auth(Auth::authorization(sandbox.api_key()))
        .build()
        .expect("a client for the sandbox");
    (sandbox, client)
}

/// Run as an example, it does what the test checks, and prints it.
#[tokio::main]
async fn main() -> Result<(), Error> {
    let (sandbox, client) = sandbox_and_client().await;
    let created = publish_copy(
        &client,
        sandbox.organization_id(),
        sandbox.workspace_id(),
        &["Brighter days ahead.", "Made to be seen."],
    )
    .await?;
    println!(
        "{created} assets created in {} request(s); run `cargo test --example sandbox_in_tests` for the test",
        sandbox.requests().len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn copy_is_published_in_as_many_requests_as_needed() {
        let (sandbox, client) = sandbox_and_client().await;
        let lines: Vec<String> = (0..12).map(|i| format!("Line of copy {i}")).collect();
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();

        let created = publish_copy(
            &client,
            sandbox.organization_id(),
            sandbox.workspace_id(),
            &lines,
        )
        .await
        .unwrap();

        assert_eq!(created, 12);
        assert_eq!(sandbox.requests().len(), 2, "10 + 2 text assets");
        assert!(sandbox.assets().iter().all(|a| a.tags == ["copy"]));
    }
}
