//! What adversarial servers and inputs must not achieve: leaking the key, slipping bad input
//! past the checks, or passing a changing file off as a clean upload.

mod common;

use common::{fixture_path, sandbox_and_client as sandbox};

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use shareofmodel::{Auth, Client, Error, Input, Problem, ProgressEvent, TransportKind};
use shareofmodel_sandbox::Sandbox;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Answers one connection with `response` (raw HTTP), after reading the request head.
async fn one_shot(response: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && socket.read(&mut byte).await.unwrap_or(0) == 1 {
            head.push(byte[0]);
        }
        let _ = socket.write_all(&response).await;
        let _ = socket.shutdown().await;
    });
    url
}

fn http(status: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    out.into_bytes()
}

/// Whether `text` holds any 10-character piece of `secret`.
fn leaks(text: &str, secret: &str) -> bool {
    let chars: Vec<char> = secret.chars().collect();
    chars
        .windows(10)
        .any(|w| text.contains(&w.iter().collect::<String>()))
}

#[tokio::test]
async fn echoed_keys_never_reach_errors() {
    let key = "sk/live\"SECRET-0123456789";
    let escaped = serde_json::to_string(key).unwrap();
    let escaped = escaped.trim_matches('"');
    let slashed = escaped.replace('/', "\\/");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "key as a field name",
            http(
                "400 Bad Request",
                &[("content-type", "application/json")],
                &format!("{{\"{escaped}\": [\"unknown field\"]}}"),
            ),
        ),
        (
            "key as request id",
            http(
                "500 Internal Server Error",
                &[("x-request-id", key)],
                "oops",
            ),
        ),
        (
            "key in content type",
            http(
                "418 I'm a teapot",
                &[("content-type", &format!("text/plain; k={key}"))],
                "short and stout",
            ),
        ),
        (
            "key cut by the snippet",
            http(
                "500 Internal Server Error",
                &[],
                &format!("{}{key}", "x".repeat(500)),
            ),
        ),
        (
            "key escaped in a body",
            http(
                "200 OK",
                &[("content-type", "application/json")],
                &format!("[{{\"echo\": \"{slashed}\"}}]"),
            ),
        ),
        (
            "key in detail",
            http(
                "401 Unauthorized",
                &[("content-type", "application/json")],
                &format!("{{\"detail\": \"Invalid key {escaped}\"}}"),
            ),
        ),
    ];
    for (case, response) in cases {
        let url = one_shot(response).await;
        // Padded as a key read from a file would be: the server sees it trimmed.
        let client = Client::builder(url)
            .auth(Auth::authorization(format!(" {key}\n")))
            .build()
            .unwrap();
        let error = client
            .list_assets(uuid::Uuid::new_v4(), uuid::Uuid::new_v4(), false)
            .await
            .expect_err(case);
        let text = format!("{error} | {error:?} | {client:?}");
        assert!(!leaks(&text, key), "{case}: {text}");
    }
}

#[tokio::test]
async fn names_and_media_types_are_checked_before_sending() {
    let (sandbox, client) = sandbox().await;
    let png = std::fs::read(fixture_path("poster.png")).unwrap();
    let new = || client.upload(sandbox.organization_id(), sandbox.workspace_id());
    let refused = |result: Result<Vec<shareofmodel::Asset>, Error>| match result {
        Err(Error::InvalidInput { input, problem }) => (input, problem),
        other => panic!("expected InvalidInput, got {other:?}"),
    };

    let long = format!("{}.png", "n".repeat(300));
    let (_, problem) = refused(new().bytes(long, png.clone()).send().await);
    assert!(
        matches!(
            problem,
            Problem::TooLong {
                property: Some("file name"),
                max: 255,
                actual: 304
            }
        ),
        "{problem}"
    );

    for bad in [
        "image/png; a",
        "image/png; =x",
        "image/png;charset=\"x",
        "image/png\r\nX: y",
    ] {
        let (input, problem) = refused(new().bytes_as("a.png", bad, png.clone()).send().await);
        assert!(matches!(input, Input::File { index: 0, .. }));
        assert_eq!(
            problem,
            Problem::InvalidMediaType {
                media_type: bad.to_owned()
            }
        );
        assert!(!problem.to_string().contains('\r'), "{problem}");
    }

    for bad in [
        ".",
        "..",
        "C:\\Users\\me\\poster.png",
        "a\\b.png",
        "dir/x.png",
    ] {
        let (_, problem) = refused(new().bytes(bad, png.clone()).send().await);
        assert_eq!(problem, Problem::FileNameNotABaseName, "{bad}");
    }

    let error = client
        .archive_assets(sandbox.organization_id(), sandbox.workspace_id(), [])
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    assert!(sandbox.requests().is_empty());
}

/// A file of `size` bytes that starts as a PNG.
fn png_file(dir: &Path, size: usize) -> PathBuf {
    let path = dir.join("changing.png");
    let mut data = std::fs::read(fixture_path("poster.png")).unwrap();
    data.resize(size, 7);
    std::fs::write(&path, data).unwrap();
    path
}

async fn upload_while(change: impl Fn(&Path) + Send + Sync + 'static) -> (Sandbox, Error) {
    let (sandbox, client) = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let path = png_file(dir.path(), 4 * 1024 * 1024);
    let changed = Arc::new(AtomicBool::new(false));
    let target = path.clone();
    let error = client
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .file(&path)
        .on_progress(move |p| {
            if matches!(p.event, ProgressEvent::FileBytes { .. })
                && !changed.swap(true, Ordering::SeqCst)
            {
                change(&target);
            }
        })
        .send()
        .await
        .expect_err("a file that changes size mid-upload fails");
    (sandbox, error)
}

#[tokio::test]
async fn a_file_that_shrinks_or_grows_mid_upload_fails_as_cut_short() {
    let shrink = |path: &Path| {
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .unwrap()
            .set_len(1000)
            .unwrap();
    };
    let grow = |path: &Path| {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
        file.write_all(&vec![1u8; 1024 * 1024]).unwrap();
    };
    let (sandbox, error) = upload_while(shrink).await;
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportKind::Body,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("shrank"), "{error}");
    assert_eq!(sandbox.created_count(), 0);

    let (sandbox, error) = upload_while(grow).await;
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportKind::Body,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("grew"), "{error}");
    assert_eq!(sandbox.created_count(), 0);
}
