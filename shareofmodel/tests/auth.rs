//! Credentials against the sandbox: the API-key exchange, the shared token cache, the one
//! refresh on 401, and secrets that never show in errors, Debug output or logs.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use shareofmodel::{Auth, Client, Error};
use shareofmodel_sandbox::{CredentialSeen, Fault, FaultBody, Sandbox, SandboxConfig, TokenField};

const KEY: &str = "som_live_Zk3y-0123456789abcdef";

async fn sandbox_with(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config.api_key(KEY)).await.unwrap()
}

fn key_client(sandbox: &Sandbox, key: &str) -> Client {
    Client::builder(sandbox.base_url())
        .auth(Auth::api_key(key))
        .build()
        .unwrap()
}

async fn list(client: &Client, sandbox: &Sandbox) -> Result<usize, Error> {
    client
        .list_assets(sandbox.organization_id(), sandbox.workspace_id(), false)
        .await
        .map(|a| a.len())
}

#[tokio::test]
async fn an_api_key_is_exchanged_once_and_the_token_is_sent_as_bearer() {
    for field in [
        TokenField::Access,
        TokenField::AccessToken,
        TokenField::Token,
    ] {
        let sandbox = sandbox_with(SandboxConfig::default().token_field(field)).await;
        let client = key_client(&sandbox, KEY);
        list(&client, &sandbox).await.unwrap();
        list(&client, &sandbox).await.unwrap();
        assert_eq!(sandbox.token_exchanges(), 1, "{field:?}");
        let lists: Vec<_> = sandbox
            .requests()
            .into_iter()
            .filter(|r| r.operation.as_deref() == Some("list_assets"))
            .collect();
        assert_eq!(lists.len(), 2);
        for request in lists {
            assert_eq!(request.credential, CredentialSeen::Token, "{field:?}");
            assert_eq!(request.status, 200);
        }
    }
}

#[tokio::test]
async fn concurrent_requests_share_one_exchange() {
    let sandbox = sandbox_with(SandboxConfig::default()).await;
    let client = key_client(&sandbox, KEY);
    let calls = (0..8).map(|_| list(&client, &sandbox));
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(sandbox.token_exchanges(), 1);

    // After expiry, the 401s of all in-flight requests lead to one new exchange.
    sandbox.expire_tokens();
    let calls = (0..8).map(|_| list(&client, &sandbox));
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(sandbox.token_exchanges(), 2);
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_upload_replayed() {
    let sandbox = sandbox_with(SandboxConfig::default()).await;
    let client = key_client(&sandbox, KEY);
    list(&client, &sandbox).await.unwrap();
    sandbox.expire_tokens();

    let created = client
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .text("After expiry", "still works")
        .send()
        .await
        .unwrap();
    assert_eq!(created.len(), 1);
    assert_eq!(sandbox.token_exchanges(), 2);
    assert_eq!(sandbox.created_count(), 1);
    let creates: Vec<_> = sandbox
        .requests()
        .into_iter()
        .filter(|r| r.operation.as_deref() == Some("create_assets"))
        .map(|r| (r.status, r.credential))
        .collect();
    assert_eq!(
        creates,
        [
            (401, CredentialSeen::ExpiredToken),
            (201, CredentialSeen::Token)
        ]
    );
}

#[tokio::test]
async fn a_second_401_says_the_key_is_rejected() {
    let sandbox = sandbox_with(SandboxConfig::default()).await;
    let client = key_client(&sandbox, KEY);
    let refused = || Fault::Status {
        status: 401,
        retry_after: None,
        body: FaultBody::detail("Given token not valid for any token type"),
    };
    sandbox
        .push_faults("list_assets", [refused(), refused()])
        .unwrap();
    let error = list(&client, &sandbox).await.unwrap_err();
    match &error {
        Error::Unauthorized { after_refresh, .. } => assert!(after_refresh),
        other => panic!("{other:?}"),
    }
    assert!(
        error.to_string().contains("the API key is rejected"),
        "{error}"
    );
    assert_eq!(sandbox.token_exchanges(), 2);
}

#[tokio::test]
async fn a_wrong_key_fails_the_exchange_clearly() {
    let sandbox = sandbox_with(SandboxConfig::default()).await;
    let client = key_client(&sandbox, "som_live_not-the-right-key-42");
    let error = list(&client, &sandbox).await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Unauthorized {
                operation: "create_access_token",
                after_refresh: true,
                ..
            } | Error::Rejected {
                operation: "create_access_token",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(sandbox.token_exchanges(), 0);
    // Nothing else was attempted.
    assert!(
        sandbox
            .requests()
            .iter()
            .all(|r| r.operation.as_deref() == Some("create_access_token"))
    );
}

#[tokio::test]
async fn fixed_credentials_never_exchange() {
    let sandbox = sandbox_with(SandboxConfig::default()).await;
    for auth in [Auth::authorization(KEY), Auth::bearer(KEY)] {
        let client = Client::builder(sandbox.base_url())
            .auth(auth)
            .build()
            .unwrap();
        list(&client, &sandbox).await.unwrap();
    }
    assert_eq!(sandbox.token_exchanges(), 0);
    let seen: Vec<_> = sandbox.requests().iter().map(|r| r.credential).collect();
    assert_eq!(seen, [CredentialSeen::ApiKey, CredentialSeen::ApiKey]);
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every message, Debug output and log line of a run through success, refresh, rejection and
/// faults: neither the key nor any token appears.
#[tokio::test(flavor = "current_thread")]
async fn no_secret_in_any_error_debug_or_log() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sandbox = sandbox_with(SandboxConfig::default()).await;
    let mut seen = Vec::new();

    // An exchanged key: success, expiry and refresh, a doubly refused token.
    let client = key_client(&sandbox, KEY);
    seen.push(format!("{client:?}"));
    client
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .text("t", "c")
        .send()
        .await
        .unwrap();
    sandbox.expire_tokens();
    list(&client, &sandbox).await.unwrap();
    let refused = || Fault::Status {
        status: 401,
        retry_after: None,
        body: FaultBody::Json(serde_json::json!({ "detail": format!("Bad key {KEY}") })),
    };
    sandbox
        .push_faults("list_assets", [refused(), refused()])
        .unwrap();
    let error = list(&client, &sandbox).await.unwrap_err();
    seen.push(format!("{error} {error:?}"));

    // A token obtained by hand, used as a bearer token, and echoed by a failing server.
    let token: serde_json::Value = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{}/v1/auth/token", sandbox.base_url()))
        .json(&serde_json::json!({ "api_key": KEY }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access"].as_str().unwrap().to_owned();
    let bearer = Client::builder(sandbox.base_url())
        .auth(Auth::bearer(token.clone()))
        .build()
        .unwrap();
    seen.push(format!("{bearer:?}"));
    // (A client redacts the secrets it holds: this one holds the token, not the key.)
    for body in [
        FaultBody::Json(serde_json::json!({ "detail": format!("token {token} is bad") })),
        FaultBody::Html(format!("<p>{token}</p>")),
    ] {
        sandbox
            .push_faults(
                "create_assets",
                [Fault::Status {
                    status: 500,
                    retry_after: None,
                    body,
                }],
            )
            .unwrap();
        let error = bearer
            .upload(sandbox.organization_id(), sandbox.workspace_id())
            .text("t", "c")
            .send()
            .await
            .unwrap_err();
        seen.push(format!("{error} {error:?}"));
    }
    // The key client holds the key and its current token: both are redacted when echoed.
    sandbox
        .push_faults(
            "create_assets",
            [Fault::Status {
                status: 502,
                retry_after: None,
                body: FaultBody::Html(format!("<p>{KEY}</p>")),
            }],
        )
        .unwrap();
    let error = client
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .text("t", "c")
        .send()
        .await
        .unwrap_err();
    seen.push(format!("{error} {error:?}"));
    sandbox
        .push_faults(
            "list_assets",
            [Fault::Stall {
                duration: Duration::from_secs(3),
            }],
        )
        .unwrap();
    let slow = Client::builder(sandbox.base_url())
        .auth(Auth::bearer(token.clone()))
        .idle_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = list(&slow, &sandbox).await.unwrap_err();
    seen.push(format!("{error} {error:?}"));

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("exchanged the API key"),
        "logs were captured: {logs}"
    );
    assert!(logs.contains("request failed"), "{logs}");
    let everything = format!("{}\n{logs}", seen.join("\n"));
    assert!(!everything.contains(KEY), "the key leaked:\n{everything}");
    assert!(
        !everything.contains(&token),
        "the token leaked:\n{everything}"
    );
}

/// Answers every connection with `response` (raw HTTP) and counts them.
async fn raw_server(response: String) -> (String, Arc<Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = vec![0u8; 4096];
            let read = socket.read(&mut buffer).await.unwrap_or(0);
            log.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&buffer[..read]).into_owned());
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (url, seen)
}

#[tokio::test]
async fn redirects_are_never_followed_with_credentials() {
    let (elsewhere, stolen) = raw_server(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 20\r\nconnection: close\r\n\r\n{\"access\": \"stolen\"}".to_owned(),
    )
    .await;
    let (url, _) = raw_server(format!(
        "HTTP/1.1 307 Temporary Redirect\r\nlocation: {elsewhere}/steal\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    ))
    .await;
    let client = Client::builder(url)
        .auth(Auth::api_key(KEY))
        .build()
        .unwrap();
    let error = client
        .list_assets(uuid::Uuid::new_v4(), uuid::Uuid::new_v4(), false)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::UnexpectedResponse { .. }),
        "{error:?}"
    );
    assert!(stolen.lock().unwrap().is_empty(), "the key went elsewhere");
}

#[tokio::test]
async fn a_stalled_exchange_times_out_within_the_idle_limit() {
    let sandbox = sandbox_with(SandboxConfig::default()).await;
    sandbox
        .push_faults(
            "create_access_token",
            [Fault::Stall {
                duration: Duration::from_secs(30),
            }],
        )
        .unwrap();
    let client = Client::builder(sandbox.base_url())
        .auth(Auth::api_key(KEY))
        .idle_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let error = list(&client, &sandbox).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(
            error,
            Error::Timeout {
                operation: "create_access_token",
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn odd_token_lifetimes_neither_panic_nor_defeat_the_cache() {
    // A lifetime too large to add to a clock reading is no expiry.
    let body = "{\"access\": \"tok-123456\", \"expires_in\": 18446744073709551615}";
    let (url, seen) = raw_server(format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    ))
    .await;
    let client = Client::builder(url)
        .auth(Auth::api_key(KEY))
        .build()
        .unwrap();
    client.authenticate().await.unwrap();
    client.authenticate().await.unwrap();
    assert_eq!(seen.lock().unwrap().len(), 1);

    // A short lifetime is still shared by concurrent requests.
    let sandbox = sandbox_with(SandboxConfig::default().token_ttl(Duration::from_secs(20))).await;
    let client = key_client(&sandbox, KEY);
    let calls = (0..6).map(|_| list(&client, &sandbox));
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(sandbox.token_exchanges(), 1);
}
