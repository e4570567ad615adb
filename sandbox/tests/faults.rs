//! Scripted faults, seen from a plain HTTP client on loopback.

mod common;

use std::error::Error as _;
use std::time::{Duration, Instant};

use common::*;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use shareofmodel_sandbox::{Fault, FaultBody, RecordedRequest, Sandbox, SandboxError};

const CREATE: &str = "create_assets";

fn text_form() -> Form {
    Form::new().part("assets", json_item("Tagline", "Made for summer."))
}

/// A form with one PNG file of `len` bytes (the poster, padded), so the client is still
/// uploading when a fault strikes.
fn big_form(len: usize) -> (Form, Vec<u8>) {
    let mut bytes = fixture("poster.png");
    bytes.resize(len, 0x5a);
    let part = Part::bytes(bytes.clone())
        .file_name("big.png")
        .mime_str("image/png")
        .unwrap();
    (Form::new().part("files", part), bytes)
}

async fn send(sandbox: &Sandbox, form: Form) -> reqwest::Result<reqwest::Response> {
    client()
        .post(assets_url(sandbox))
        .header("Authorization", bearer(sandbox))
        .multipart(form)
        .send()
        .await
}

/// Every error of the source chain, as text.
fn chain(error: &reqwest::Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        out.push_str(" <- ");
        out.push_str(&e.to_string());
        source = e.source();
    }
    out
}

/// The I/O error kind deepest in the chain, if any.
fn io_kind(error: &reqwest::Error) -> Option<std::io::ErrorKind> {
    let mut kind = None;
    let mut source = error.source();
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            kind = Some(io.kind());
        }
        source = e.source();
    }
    kind
}

/// Waits (up to 3 s) until the sandbox has recorded `n` requests.
async fn recorded(sandbox: &Sandbox, n: usize) -> Vec<RecordedRequest> {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let requests = sandbox.requests();
        if requests.len() >= n || Instant::now() > deadline {
            return requests;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The asset ids of a create answer (one object or an array).
fn ids(body: &Value) -> Vec<String> {
    match body {
        Value::Array(items) => items.iter().flat_map(ids).collect(),
        other => other["id"]
            .as_str()
            .map(str::to_owned)
            .into_iter()
            .collect(),
    }
}

#[tokio::test]
async fn status_faults_answer_in_sequence_then_service_resumes() {
    let sandbox = start().await;
    let proxy_page = "<html><head><title>502 Bad Gateway</title></head>\
                      <body><center><h1>502 Bad Gateway</h1></center></body></html>";
    sandbox
        .push_faults(
            CREATE,
            [
                Fault::Status {
                    status: 503,
                    retry_after: Some("2".to_owned()),
                    body: FaultBody::detail("Service temporarily unavailable."),
                },
                Fault::Status {
                    status: 502,
                    retry_after: None,
                    body: FaultBody::Html(proxy_page.to_owned()),
                },
                Fault::Status {
                    status: 500,
                    retry_after: None,
                    body: FaultBody::Raw {
                        content_type: "text/plain".to_owned(),
                        bytes: b"oops".to_vec(),
                    },
                },
                Fault::Status {
                    status: 504,
                    retry_after: None,
                    body: FaultBody::Empty,
                },
            ],
        )
        .unwrap();
    assert_eq!(sandbox.pending_faults(), 4);

    let r = send(&sandbox, text_form()).await.unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "2");
    assert_eq!(r.headers()["content-type"], "application/json");
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"detail": "Service temporarily unavailable."})
    );

    let r = send(&sandbox, text_form()).await.unwrap();
    assert_eq!(r.status(), 502);
    assert!(r.headers().get("retry-after").is_none());
    assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(r.text().await.unwrap(), proxy_page);

    let r = send(&sandbox, text_form()).await.unwrap();
    assert_eq!(r.status(), 500);
    assert_eq!(r.headers()["content-type"], "text/plain");
    assert_eq!(r.text().await.unwrap(), "oops");

    let r = send(&sandbox, text_form()).await.unwrap();
    assert_eq!(r.status(), 504);
    assert!(r.headers().get("content-type").is_none());
    assert_eq!(r.headers()["content-length"], "0");
    assert_eq!(r.bytes().await.unwrap().len(), 0);
    assert_eq!(sandbox.created_count(), 0);

    // The queue is empty: normal service.
    assert_eq!(sandbox.pending_faults(), 0);
    let r = send(&sandbox, text_form()).await.unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(sandbox.created_count(), 1);

    let requests = sandbox.requests();
    let seen: Vec<(u16, Option<&str>, Option<&str>)> = requests
        .iter()
        .map(|r| (r.status, r.fault.as_deref(), r.operation.as_deref()))
        .collect();
    assert_eq!(
        seen,
        [
            (503, Some("status(503)"), Some(CREATE)),
            (502, Some("status(502)"), Some(CREATE)),
            (500, Some("status(500)"), Some(CREATE)),
            (504, Some("status(504)"), Some(CREATE)),
            (201, None, Some(CREATE)),
        ]
    );
    // The body was read but not parsed; the JSON answer is kept.
    assert_eq!(requests[0].parts, None);
    assert_eq!(
        requests[0].response,
        Some(json!({"detail": "Service temporarily unavailable."}))
    );
    assert!(requests[4].parts.is_some());
}

#[tokio::test]
async fn faults_are_queued_per_operation_or_for_any() {
    let sandbox = start().await;
    let unavailable = |status| Fault::Status {
        status,
        retry_after: None,
        body: FaultBody::Empty,
    };
    sandbox
        .push_faults("list_assets", [unavailable(503)])
        .unwrap();
    // Another operation's queue is left alone.
    assert_eq!(send(&sandbox, text_form()).await.unwrap().status(), 201);
    let list = || {
        client()
            .get(assets_url(&sandbox))
            .header("Authorization", bearer(&sandbox))
            .send()
    };
    assert_eq!(list().await.unwrap().status(), 503);
    assert_eq!(list().await.unwrap().status(), 200);

    // The operation's own queue goes first, then the one for any operation.
    sandbox
        .push_faults_any([unavailable(502), unavailable(504)])
        .unwrap();
    sandbox
        .push_faults("list_assets", [unavailable(500)])
        .unwrap();
    assert_eq!(list().await.unwrap().status(), 500);
    assert_eq!(send(&sandbox, text_form()).await.unwrap().status(), 502);
    // Unknown routes take no fault.
    let r = client()
        .get(format!("{}/v1/nowhere", sandbox.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(list().await.unwrap().status(), 504);
    assert_eq!(sandbox.pending_faults(), 0);

    sandbox.push_faults(CREATE, [unavailable(503)]).unwrap();
    sandbox.clear_faults();
    assert_eq!(send(&sandbox, text_form()).await.unwrap().status(), 201);

    // Scripts are checked when queued; nothing of a refused script is queued.
    let err = sandbox
        .push_faults("create_asset", [unavailable(503)])
        .unwrap_err();
    assert!(
        matches!(&err, SandboxError::UnknownOperation { operation, .. } if operation == "create_asset"),
        "{err}"
    );
    assert!(
        err.to_string().contains("create_assets, list_assets"),
        "{err}"
    );
    let err = sandbox
        .push_faults(CREATE, [unavailable(503), unavailable(99)])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the fault status(99) cannot be served: status 99 is not a final HTTP status (200 to 599)"
    );
    let err = sandbox
        .push_faults_any([Fault::Status {
            status: 503,
            retry_after: Some("1\n2".to_owned()),
            body: FaultBody::Empty,
        }])
        .unwrap_err();
    assert!(matches!(err, SandboxError::InvalidFault { .. }), "{err}");
    assert!(
        sandbox
            .push_faults_any([Fault::SlowRead { bytes_per_sec: 0 }])
            .is_err()
    );
    assert_eq!(sandbox.pending_faults(), 0);
}

#[tokio::test]
async fn an_early_response_arrives_while_the_client_is_still_uploading() {
    let sandbox = start().await;
    sandbox
        .push_faults(
            CREATE,
            [Fault::EarlyResponse {
                status: 413,
                body: FaultBody::detail("Request entity too large."),
            }],
        )
        .unwrap();
    let (form, _) = big_form(4 << 20);
    let r = send(&sandbox, form).await.unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(r.headers()["connection"], "close");
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"detail": "Request entity too large."})
    );

    let request = sandbox.last_request().unwrap();
    assert_eq!(request.status, 413);
    assert_eq!(request.fault.as_deref(), Some("early_response(413)"));
    assert_eq!(request.parts, None);
    assert_eq!(request.content_length.map(|l| l > 4 << 20), Some(true));
    assert_eq!(sandbox.created_count(), 0);

    // The next upload, on a new connection, goes through.
    let (form, _) = big_form(4 << 20);
    assert_eq!(send(&sandbox, form).await.unwrap().status(), 201);
    assert_eq!(sandbox.created_count(), 1);
}

#[tokio::test]
async fn resets_before_and_mid_body_are_connection_resets() {
    let sandbox = start().await;
    sandbox
        .push_faults(
            CREATE,
            [
                Fault::ResetBeforeBody,
                Fault::ResetMidBody {
                    after_bytes: 64 * 1024,
                },
            ],
        )
        .unwrap();
    for expected in ["reset_before_body", "reset_mid_body(after_bytes=65536)"] {
        let (form, _) = big_form(1 << 20);
        let err = send(&sandbox, form).await.unwrap_err();
        assert!(err.is_request(), "{expected}: {}", chain(&err));
        assert!(!err.is_timeout());
        assert_eq!(
            io_kind(&err),
            Some(std::io::ErrorKind::ConnectionReset),
            "{expected}: {}",
            chain(&err)
        );
        let request = sandbox.last_request().unwrap();
        assert_eq!(request.fault.as_deref(), Some(expected));
        assert_eq!(request.status, 0);
        assert_eq!(request.response, None);
        assert_eq!(request.parts, None);
    }
    assert_eq!(sandbox.requests().len(), 2);
    assert_eq!(sandbox.created_count(), 0);
    assert!(sandbox.assets().is_empty());
}

#[tokio::test]
async fn a_reset_after_the_body_leaves_the_outcome_unknown() {
    let sandbox = start().await;
    sandbox
        .push_faults(
            CREATE,
            [
                Fault::ResetAfterBody { create: true },
                Fault::ResetAfterBody { create: false },
            ],
        )
        .unwrap();
    let (form, bytes) = big_form(256 * 1024);
    let err = send(&sandbox, form).await.unwrap_err();
    assert!(err.is_request(), "{}", chain(&err));
    assert_eq!(io_kind(&err), Some(std::io::ErrorKind::ConnectionReset));
    // The client got nothing, yet the asset exists.
    assert_eq!(sandbox.created_count(), 1);
    let asset = &sandbox.assets()[0];
    assert_eq!(asset.name, "big.png");
    assert_eq!(sandbox.asset_bytes(asset.id).unwrap(), bytes);
    let request = sandbox.last_request().unwrap();
    assert_eq!(request.status, 0);
    assert_eq!(
        request.fault.as_deref(),
        Some("reset_after_body(create=true)")
    );
    // Fully read and parsed, and what would have been answered is kept.
    assert_eq!(request.parts.as_ref().map(Vec::len), Some(1));
    assert_eq!(
        request.response.as_ref().map(ids),
        Some(vec![asset.id.to_string()])
    );

    // `create: false`: read and processed, but nothing stored.
    let (form, _) = big_form(256 * 1024);
    let err = send(&sandbox, form).await.unwrap_err();
    assert_eq!(io_kind(&err), Some(std::io::ErrorKind::ConnectionReset));
    assert_eq!(sandbox.created_count(), 1);
    assert_eq!(sandbox.assets().len(), 1);
    let request = sandbox.last_request().unwrap();
    assert_eq!(
        request.fault.as_deref(),
        Some("reset_after_body(create=false)")
    );
    assert_eq!(request.parts.as_ref().map(Vec::len), Some(1));
    assert_eq!(sandbox.requests().len(), 2);
}

#[tokio::test]
async fn a_stall_outlasts_a_short_client_timeout_after_creating() {
    let sandbox = start().await;
    sandbox
        .push_faults(
            CREATE,
            [
                Fault::Stall {
                    duration: Duration::from_millis(800),
                },
                Fault::Stall {
                    duration: Duration::from_millis(300),
                },
            ],
        )
        .unwrap();
    let started = Instant::now();
    let err = client()
        .post(assets_url(&sandbox))
        .header("Authorization", bearer(&sandbox))
        .timeout(Duration::from_millis(200))
        .multipart(text_form())
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{}", chain(&err));
    assert!(started.elapsed() < Duration::from_millis(700));
    // The work was done before the stall.
    assert_eq!(sandbox.created_count(), 1);
    // The server notices the client leave and drops the request: recorded, unanswered.
    let requests = recorded(&sandbox, 1).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].status, 0);
    assert_eq!(
        requests[0].response.as_ref().map(ids).map(|i| i.len()),
        Some(1)
    );
    assert_eq!(requests[0].fault.as_deref(), Some("stall(duration=800ms)"));

    // A patient client gets the answer, late.
    let started = Instant::now();
    let r = send(&sandbox, text_form()).await.unwrap();
    assert_eq!(r.status(), 201);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(sandbox.created_count(), 2);
}

#[tokio::test]
async fn a_stall_mid_body_pauses_the_upload() {
    let sandbox = start().await;
    sandbox
        .push_faults(
            CREATE,
            [
                Fault::StallMidBody {
                    after_bytes: 16 * 1024,
                    duration: Duration::from_millis(400),
                },
                Fault::StallMidBody {
                    after_bytes: 0,
                    duration: Duration::from_millis(600),
                },
            ],
        )
        .unwrap();
    let started = Instant::now();
    let (form, bytes) = big_form(64 * 1024);
    let r = send(&sandbox, form).await.unwrap();
    assert_eq!(r.status(), 201);
    assert!(started.elapsed() >= Duration::from_millis(400));
    let id = ids(&r.json().await.unwrap()).remove(0);
    assert_eq!(sandbox.asset_bytes(id.parse().unwrap()).unwrap(), bytes);
    assert_eq!(
        sandbox.last_request().unwrap().fault.as_deref(),
        Some("stall_mid_body(after_bytes=16384, duration=400ms)")
    );

    // A client with a short timeout gives up; the server drops the request unanswered.
    let (form, _) = big_form(64 * 1024);
    let err = client()
        .post(assets_url(&sandbox))
        .header("Authorization", bearer(&sandbox))
        .timeout(Duration::from_millis(150))
        .multipart(form)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{}", chain(&err));
    let requests = recorded(&sandbox, 2).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].status, 0);
    assert_eq!(
        requests[1].fault.as_deref(),
        Some("stall_mid_body(after_bytes=0, duration=600ms)")
    );
    assert_eq!(requests[1].response, None);
    assert_eq!(sandbox.created_count(), 1);
}

#[tokio::test]
async fn a_slow_read_paces_the_upload() {
    let sandbox = start().await;
    // 512 KiB at 1 MiB/s: about half a second.
    sandbox
        .push_faults(
            CREATE,
            [Fault::SlowRead {
                bytes_per_sec: 1 << 20,
            }],
        )
        .unwrap();
    let started = Instant::now();
    let (form, bytes) = big_form(512 * 1024);
    let r = send(&sandbox, form).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(r.status(), 201);
    assert!(elapsed >= Duration::from_millis(450), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    let id = ids(&r.json().await.unwrap()).remove(0);
    assert_eq!(sandbox.asset_bytes(id.parse().unwrap()).unwrap(), bytes);
    assert_eq!(
        sandbox.last_request().unwrap().fault.as_deref(),
        Some("slow_read(bytes_per_sec=1048576)")
    );

    // Without the fault the same upload is quicker.
    let started = Instant::now();
    let (form, _) = big_form(512 * 1024);
    assert_eq!(send(&sandbox, form).await.unwrap().status(), 201);
    assert!(started.elapsed() < elapsed);
}

#[tokio::test]
async fn truncated_json_is_cut_in_the_middle() {
    let sandbox = start().await;
    sandbox
        .push_faults(
            CREATE,
            [
                Fault::TruncatedJson { create: true },
                Fault::TruncatedJson { create: false },
            ],
        )
        .unwrap();
    for (create, created) in [(true, 1), (false, 1)] {
        let r = send(&sandbox, text_form()).await.unwrap();
        assert_eq!(r.status(), 201);
        assert_eq!(r.headers()["content-type"], "application/json");
        let declared: usize = r.headers()["content-length"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let body = r.bytes().await.unwrap();
        assert_eq!(body.len(), declared);
        assert!(serde_json::from_slice::<Value>(&body).is_err());

        // Exactly the first half of what would have been sent.
        let request = sandbox.last_request().unwrap();
        let full = request.response.as_ref().unwrap().to_string();
        assert_eq!(&body[..], &full.as_bytes()[..full.len() / 2]);
        assert_eq!(
            request.fault,
            Some(format!("truncated_json(create={create})"))
        );
        assert_eq!(sandbox.created_count(), created);
    }

    // The client's JSON decoding fails.
    sandbox
        .push_faults(CREATE, [Fault::TruncatedJson { create: false }])
        .unwrap();
    let err = send(&sandbox, text_form())
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap_err();
    assert!(err.is_decode(), "{}", chain(&err));
}

#[tokio::test]
async fn a_wrong_content_type_keeps_the_json() {
    let sandbox = start().await;
    sandbox
        .push_faults(
            CREATE,
            [
                Fault::WrongContentType { create: true },
                Fault::WrongContentType { create: false },
            ],
        )
        .unwrap();
    for create in [true, false] {
        let r = send(&sandbox, text_form()).await.unwrap();
        assert_eq!(r.status(), 201);
        assert_eq!(r.headers()["content-type"], "text/plain");
        let body: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
        assert_eq!(body["name"], "Tagline");
        let id = ids(&body).remove(0).parse().unwrap();
        // Stored only with `create: true`.
        assert_eq!(sandbox.asset(id).is_some(), create);
        assert_eq!(sandbox.last_request().unwrap().response, Some(body.clone()));
    }
    assert_eq!(sandbox.created_count(), 1);
}

#[tokio::test]
async fn the_token_exchange_takes_faults_too() {
    let sandbox = start().await;
    sandbox
        .push_faults(
            "create_access_token",
            [
                Fault::Status {
                    status: 429,
                    retry_after: Some("1".to_owned()),
                    body: FaultBody::detail("Request was throttled."),
                },
                Fault::ResetAfterBody { create: true },
            ],
        )
        .unwrap();
    let exchange = || {
        client()
            .post(format!("{}/v1/auth/token", sandbox.base_url()))
            .json(&json!({ "api_key": sandbox.api_key() }))
            .send()
    };
    let r = exchange().await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "1");
    assert_eq!(sandbox.token_exchanges(), 0);

    // Issued, but the client never saw it.
    let err = exchange().await.unwrap_err();
    assert_eq!(io_kind(&err), Some(std::io::ErrorKind::ConnectionReset));
    assert_eq!(sandbox.token_exchanges(), 1);
    let request = sandbox.last_request().unwrap();
    assert_eq!(request.response.unwrap()["access"], "<redacted>");
    assert!(!format!("{:?}", sandbox.requests()).contains(sandbox.api_key()));

    let r = exchange().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(sandbox.token_exchanges(), 2);
}

#[tokio::test]
async fn shutdown_ends_a_stalled_request_promptly() {
    let sandbox = start().await;
    sandbox
        .push_faults(
            CREATE,
            [Fault::Stall {
                duration: Duration::MAX,
            }],
        )
        .unwrap();
    let handle = sandbox.clone();
    let request = tokio::spawn(async move { send(&handle, text_form()).await });
    let deadline = Instant::now() + Duration::from_secs(2);
    while sandbox.created_count() == 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(sandbox.created_count(), 1);

    let started = Instant::now();
    sandbox.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(1));
    let err = request.await.unwrap().unwrap_err();
    assert_eq!(io_kind(&err), Some(std::io::ErrorKind::ConnectionReset));
    let recorded = sandbox.requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].status, 0);
    assert_eq!(
        recorded[0].fault.as_deref(),
        Some(format!("stall(duration={:?})", Duration::MAX).as_str())
    );
}
