//! The wrapper against a sandbox that misbehaves on purpose: for each fault, the error variant,
//! the number of requests the server saw, and the number of assets it created.

mod common;

use common::{fixture_path, sandbox};

use std::time::{Duration, Instant};

use shareofmodel::{
    Auth, Client, Error, Input, ItemOutcome, RetryPolicy, TimeoutPhase, TransportKind,
};
use shareofmodel_sandbox::{Fault, FaultBody, Sandbox};

const CREATE: &str = "create_assets";

/// A client with quick backoff, so that retries do not slow the suite.
fn client_with(sandbox: &Sandbox, read_timeout: Duration) -> Client {
    Client::builder(sandbox.base_url())
        .auth(Auth::authorization(sandbox.api_key()))
        .idle_timeout(read_timeout)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap()
}

fn client(sandbox: &Sandbox) -> Client {
    client_with(sandbox, Duration::from_secs(10))
}

/// Uploads one text asset and one image, after queueing `faults` on the create operation.
async fn upload_with(
    sandbox: &Sandbox,
    client: &Client,
    faults: Vec<Fault>,
) -> Result<usize, Error> {
    sandbox.push_faults(CREATE, faults).unwrap();
    client
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .text("Tagline", "Made to be seen")
        .file(fixture_path("poster.png"))
        .send()
        .await
        .map(|assets| assets.len())
}

fn status(status: u16, retry_after: Option<&str>, body: FaultBody) -> Fault {
    Fault::Status {
        status,
        retry_after: retry_after.map(str::to_owned),
        body,
    }
}

#[tokio::test]
async fn retry_after_zero_then_success_creates_once() {
    let sandbox = sandbox().await;
    let created = upload_with(
        &sandbox,
        &client(&sandbox),
        vec![status(
            503,
            Some("0"),
            FaultBody::detail("Down for a moment"),
        )],
    )
    .await
    .unwrap();
    assert_eq!(created, 2);
    assert_eq!(sandbox.requests().len(), 2);
    assert_eq!(sandbox.created_count(), 2);
    // The replay was rebuilt from the sources: the same parts and bytes as the file on disk.
    let replay = sandbox.last_request().unwrap();
    let part = replay.parts_named("files").next().unwrap();
    let bytes = std::fs::read(fixture_path("poster.png")).unwrap();
    assert_eq!(part.length, bytes.len() as u64);
}

#[tokio::test]
async fn rate_limits_are_waited_out_with_dates_and_garbage() {
    let sandbox = sandbox().await;
    let past = "Wed, 21 Oct 2015 07:28:00 GMT";
    let created = upload_with(
        &sandbox,
        &client(&sandbox),
        vec![
            status(429, Some(past), FaultBody::detail("Slow down")),
            status(429, Some("soon, maybe"), FaultBody::Empty),
            status(429, None, FaultBody::Empty),
        ],
    )
    .await
    .unwrap();
    assert_eq!(created, 2);
    assert_eq!(sandbox.requests().len(), 4);
    assert_eq!(sandbox.created_count(), 2);
}

#[tokio::test]
async fn a_long_retry_after_is_returned_not_slept() {
    let sandbox = sandbox().await;
    let started = Instant::now();
    let error = upload_with(
        &sandbox,
        &client(&sandbox),
        vec![status(
            429,
            Some("120"),
            FaultBody::detail("Quota exceeded"),
        )],
    )
    .await
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    match &error {
        Error::RateLimited {
            retry_after,
            status,
            ..
        } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(120)));
            assert_eq!(status.as_u16(), 429);
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("120"), "{error}");
    assert_eq!(sandbox.requests().len(), 1);
    assert_eq!(sandbox.created_count(), 0);
}

#[tokio::test]
async fn attempts_are_capped() {
    let sandbox = sandbox().await;
    let faults = (0..6)
        .map(|_| status(503, Some("0"), FaultBody::Empty))
        .collect();
    let client = Client::builder(sandbox.base_url())
        .auth(Auth::authorization(sandbox.api_key()))
        .retry(RetryPolicy::default().max_attempts(3))
        .build()
        .unwrap();
    let error = upload_with(&sandbox, &client, faults).await.unwrap_err();
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    assert_eq!(sandbox.requests().len(), 3);
    assert_eq!(sandbox.created_count(), 0);
}

#[tokio::test]
async fn server_failures_after_sending_are_never_retried() {
    for (code, body) in [
        (500, FaultBody::detail("Internal error")),
        (
            502,
            FaultBody::Html("<html><body><h1>502 Bad Gateway</h1></body></html>".to_owned()),
        ),
        (503, FaultBody::Empty),
        (504, FaultBody::Empty),
    ] {
        let sandbox = sandbox().await;
        let error = upload_with(&sandbox, &client(&sandbox), vec![status(code, None, body)])
            .await
            .unwrap_err();
        match &error {
            Error::OutcomeUnknown { status, inputs, .. } => {
                assert_eq!(status.map(|s| s.as_u16()), Some(code));
                assert_eq!(inputs.len(), 2, "{inputs:?}");
                assert!(inputs[0].contains("Tagline") && inputs[1].contains("poster.png"));
            }
            other => panic!("{code}: {other:?}"),
        }
        let message = error.to_string();
        assert!(message.contains("list the workspace's assets"), "{message}");
        if code == 502 {
            assert!(
                message.contains("502 Bad Gateway"),
                "the HTML is quoted: {message}"
            );
        }
        assert_eq!(sandbox.requests().len(), 1, "{code}");
        assert_eq!(sandbox.created_count(), 0);
    }
}

#[tokio::test]
async fn an_html_error_page_on_a_list_is_not_a_json_error() {
    let sandbox = sandbox().await;
    sandbox
        .push_faults(
            "list_assets",
            [status(
                502,
                None,
                FaultBody::Html("<h1>Bad Gateway</h1>".to_owned()),
            )],
        )
        .unwrap();
    let error = client(&sandbox)
        .list_assets(sandbox.organization_id(), sandbox.workspace_id(), false)
        .await
        .unwrap_err();
    match &error {
        Error::Server { status, detail, .. } => {
            assert_eq!(status.as_u16(), 502);
            assert_eq!(detail.as_deref(), Some("<h1>Bad Gateway</h1>"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn early_answers_mid_upload_are_typed() {
    let sandbox = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.png");
    let mut data = std::fs::read(fixture_path("poster.png")).unwrap();
    data.resize(8 * 1024 * 1024, 0);
    std::fs::write(&big, &data).unwrap();

    for (code, expect) in [(413u16, "payload_too_large"), (401, "unauthorized")] {
        sandbox
            .push_faults(
                CREATE,
                [Fault::EarlyResponse {
                    status: code,
                    body: FaultBody::detail("No"),
                }],
            )
            .unwrap();
        let before = sandbox.requests().len();
        let error = client(&sandbox)
            .upload(sandbox.organization_id(), sandbox.workspace_id())
            .file(&big)
            .send()
            .await
            .unwrap_err();
        let kind = match &error {
            Error::PayloadTooLarge { .. } => "payload_too_large",
            Error::Unauthorized { .. } => "unauthorized",
            // The kernel may reset before the answer is read (the fault's docs say so).
            Error::OutcomeUnknown { .. } => expect,
            other => panic!("{code}: {other:?}"),
        };
        assert_eq!(kind, expect);
        assert_eq!(sandbox.requests().len(), before + 1);
        assert_eq!(sandbox.created_count(), 0);
    }
}

#[tokio::test]
async fn resets_leave_the_outcome_unknown_and_are_not_retried() {
    for (fault, created) in [
        (Fault::ResetBeforeBody, 0),
        (Fault::ResetMidBody { after_bytes: 100 }, 0),
        (Fault::ResetAfterBody { create: false }, 0),
        (Fault::ResetAfterBody { create: true }, 2),
    ] {
        let sandbox = sandbox().await;
        let label = fault.to_string();
        let error = upload_with(&sandbox, &client(&sandbox), vec![fault])
            .await
            .unwrap_err();
        assert!(error.outcome_unknown(), "{label}: {error:?}");
        assert_eq!(sandbox.requests().len(), 1, "{label}");
        assert_eq!(sandbox.created_count(), created, "{label}");
    }
}

#[tokio::test]
async fn a_stalled_server_times_out_within_the_idle_limit() {
    let sandbox = sandbox().await;
    let started = Instant::now();
    let error = upload_with(
        &sandbox,
        &client_with(&sandbox, Duration::from_millis(300)),
        vec![Fault::Stall {
            duration: Duration::from_secs(5),
        }],
    )
    .await
    .unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    assert!(
        matches!(&error, Error::OutcomeUnknown { cause, .. } if cause.contains("idle timeout")),
        "{error:?}"
    );
    // The stalled request is recorded once the server notices the client left.
    let deadline = Instant::now() + Duration::from_secs(5);
    while sandbox.requests().is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(sandbox.requests().len(), 1);
    // The server did the work before stalling: exactly once.
    assert_eq!(sandbox.created_count(), 2);

    // Listing is harmless to repeat: a plain timeout.
    sandbox
        .push_faults(
            "list_assets",
            [Fault::Stall {
                duration: Duration::from_secs(5),
            }],
        )
        .unwrap();
    let error = client_with(&sandbox, Duration::from_millis(300))
        .list_assets(sandbox.organization_id(), sandbox.workspace_id(), false)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                phase: TimeoutPhase::Idle,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_stall_mid_body_times_out_too() {
    let sandbox = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.png");
    let mut data = std::fs::read(fixture_path("poster.png")).unwrap();
    data.resize(16 * 1024 * 1024, 0);
    std::fs::write(&big, &data).unwrap();
    sandbox
        .push_faults(
            CREATE,
            [Fault::StallMidBody {
                after_bytes: 1024 * 1024,
                duration: Duration::from_secs(5),
            }],
        )
        .unwrap();
    let started = Instant::now();
    let error = client_with(&sandbox, Duration::from_millis(400))
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .file(&big)
        .send()
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(error.outcome_unknown(), "{error:?}");
    assert_eq!(sandbox.created_count(), 0);
}

#[tokio::test]
async fn a_slow_server_is_not_cut_off_by_a_total_deadline() {
    // 24 MiB read at 4 MiB/s takes about 6 s, twice the idle limit: it succeeds because bytes
    // keep moving. (The kernel's socket buffers absorb a few MiB at once, after which the
    // client waits for the server to drain them: the idle limit must exceed that tail.)
    let sandbox = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("slow.png");
    let mut data = std::fs::read(fixture_path("poster.png")).unwrap();
    data.resize(24 * 1024 * 1024, 1);
    std::fs::write(&path, &data).unwrap();
    sandbox
        .push_faults(
            CREATE,
            [Fault::SlowRead {
                bytes_per_sec: 4 * 1024 * 1024,
            }],
        )
        .unwrap();
    let started = Instant::now();
    let created = client_with(&sandbox, Duration::from_secs(3))
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .file(&path)
        .send()
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed > Duration::from_secs(4), "{elapsed:?}");
    assert_eq!(created.len(), 1);
    assert_eq!(sandbox.created_count(), 1);
}

#[tokio::test]
async fn a_truncated_201_says_the_assets_exist() {
    let sandbox = sandbox().await;
    let error = upload_with(
        &sandbox,
        &client(&sandbox),
        vec![Fault::TruncatedJson { create: true }],
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidResponse { status, .. } if status.as_u16() == 201),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("The assets were created"),
        "{error}"
    );
    assert_eq!(sandbox.requests().len(), 1);
    assert_eq!(sandbox.created_count(), 2);
}

#[tokio::test]
async fn a_wrong_content_type_on_a_201_is_still_a_success() {
    let sandbox = sandbox().await;
    let created = upload_with(
        &sandbox,
        &client(&sandbox),
        vec![Fault::WrongContentType { create: true }],
    )
    .await
    .unwrap();
    assert_eq!(created, 2);
    assert_eq!(sandbox.created_count(), 2);
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    // A port nothing listens on: bound, then closed.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder(url)
        .auth(Auth::authorization("key-never-sent"))
        .retry(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(20)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client
        .upload(uuid::Uuid::new_v4(), uuid::Uuid::new_v4())
        .text("t", "c")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{error:?}"
    );
    // Two backoffs of 20 and 40 ms.
    assert!(started.elapsed() >= Duration::from_millis(60));
    assert!(
        error.to_string().contains("nothing reached the server"),
        "{error}"
    );
}

#[tokio::test]
async fn one_failed_request_of_three_is_reported_input_by_input() {
    let sandbox = sandbox().await;
    // Requests are sent in order with concurrency 1: the second one fails.
    sandbox
        .push_faults(
            CREATE,
            [
                Fault::WrongContentType { create: true },
                status(
                    400,
                    None,
                    FaultBody::Json(serde_json::json!({"non_field_errors": ["Quota reached."]})),
                ),
            ],
        )
        .unwrap();
    let mut upload = client(&sandbox)
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .concurrency(1);
    for i in 0..25 {
        upload = upload.text(format!("Variant {i:02}"), format!("Copy {i}"));
    }
    let report = upload.send_batched().await.unwrap();
    assert_eq!(report.requests, 3);
    let failed: Vec<usize> = report
        .failures()
        .map(|item| match &item.input {
            Input::TextAsset { index, .. } => *index,
            other => panic!("{other}"),
        })
        .collect();
    assert_eq!(failed, (10..20).collect::<Vec<_>>());
    for item in report.failures() {
        match &item.outcome {
            ItemOutcome::NotCreated(error) => {
                assert!(
                    matches!(error.as_ref(), Error::Rejected { .. }),
                    "{error:?}"
                );
                assert!(error.to_string().contains("Quota reached."), "{error}");
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(report.created().count(), 15);
    assert_eq!(sandbox.created_count(), 15);
    assert_eq!(sandbox.requests().len(), 3);
}
