//! The upload engine on loopback: batching, lengths, readers, progress.

mod common;

use common::{client, fixture_path, sandbox, sha256_hex};

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use futures_util::StreamExt;
use shareofmodel::api::multipart::create_assets;
use shareofmodel::{Auth, Client, Error, Input, Problem, Progress, ProgressEvent};

#[tokio::test]
async fn twenty_five_text_assets_become_three_requests_in_order() {
    let sandbox = sandbox().await;
    let mut upload = client(&sandbox)
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .tag("batch")
        .concurrency(1);
    for i in 0..25 {
        upload = upload.text(format!("Variant {i:02}"), format!("Copy {i}"));
    }
    let report = upload.send_batched().await.unwrap();

    assert_eq!(report.requests, 3);
    assert!(report.is_complete());
    let requests = sandbox.requests();
    let sizes: Vec<usize> = requests
        .iter()
        .map(|r| r.parts_named(create_assets::assets::NAME).count())
        .collect();
    assert_eq!(sizes, [10, 10, 5]);
    // In order, within and across requests.
    let sent: Vec<String> = requests
        .iter()
        .flat_map(|r| r.parts_named(create_assets::assets::NAME))
        .map(|p| {
            let item: serde_json::Value = serde_json::from_str(p.text.as_deref().unwrap()).unwrap();
            item["name"].as_str().unwrap().to_owned()
        })
        .collect();
    let expected: Vec<String> = (0..25).map(|i| format!("Variant {i:02}")).collect();
    assert_eq!(sent, expected);
    let created: Vec<&str> = report.created().map(|a| a.name.as_str()).collect();
    assert_eq!(created, expected);
    for (index, item) in report.items.iter().enumerate() {
        assert!(matches!(&item.input, Input::TextAsset { index: i, .. } if *i == index));
        assert_eq!(item.request, index / 10);
    }
    assert_eq!(sandbox.created_count(), 25);
}

#[tokio::test]
async fn batched_files_keep_their_types_and_report_mismatches() {
    let sandbox = sandbox().await;
    let report = client(&sandbox)
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .file(fixture_path("poster.png"))
        .file(fixture_path("misnamed-photo.txt"))
        .send_batched()
        .await
        .unwrap();
    assert_eq!(report.requests, 1);
    assert_eq!(report.items[0].media_type.as_deref(), Some("image/png"));
    assert_eq!(report.items[0].extension_disagrees, None);
    assert_eq!(report.items[1].media_type.as_deref(), Some("image/jpeg"));
    assert_eq!(
        report.items[1].extension_disagrees.as_deref(),
        Some("text/plain")
    );
}

#[tokio::test]
async fn a_bad_input_in_a_batch_stops_everything_before_sending() {
    let sandbox = sandbox().await;
    let mut upload = client(&sandbox).upload(sandbox.organization_id(), sandbox.workspace_id());
    for i in 0..15 {
        upload = upload.text(format!("ok {i}"), "fine");
    }
    let error = upload
        .text("n".repeat(300), "too long a name")
        .send_batched()
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            Error::InvalidInput {
                input: Input::TextAsset { index: 15, .. },
                problem: Problem::TooLong { .. }
            }
        ),
        "{error}"
    );
    assert!(sandbox.requests().is_empty());
}

#[tokio::test]
async fn a_reader_is_spooled_and_sent_with_a_length() {
    let sandbox = sandbox().await;
    let bytes = std::fs::read(fixture_path("photo.jpg")).unwrap();
    // A pipe-like reader: its length is not known up front.
    let (mut writer, reader) = tokio::io::duplex(4096);
    let payload = bytes.clone();
    let feeder = tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        writer.write_all(&payload).await.unwrap();
    });
    let created = client(&sandbox)
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .reader("from-a-pipe.jpg", reader)
        .send()
        .await
        .unwrap();
    feeder.await.unwrap();

    assert_eq!(created[0].name, "from-a-pipe.jpg");
    let request = sandbox.last_request().unwrap();
    assert!(!request.chunked);
    assert!(request.content_length.is_some());
    let part = request.parts_named("files").next().unwrap();
    assert_eq!(part.content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(part.sha256, sha256_hex(&bytes));
}

#[tokio::test]
async fn a_reader_without_spooling_is_refused() {
    let sandbox = sandbox().await;
    let error = client(&sandbox)
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .reader("pipe.png", &b"\x89PNG"[..])
        .spool_readers(false)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            Error::InvalidInput {
                problem: Problem::UnknownLength,
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("spool_readers(true)"), "{error}");
    assert!(sandbox.requests().is_empty());
}

#[tokio::test]
async fn progress_totals_equal_the_file_bytes_on_the_wire() {
    let sandbox = sandbox().await;
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let sink = seen.clone();
    let files = ["poster.png", "clip.mp4", "brief.pdf"];
    let mut upload = client(&sandbox)
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .text("t", "c")
        .on_progress(move |p| sink.lock().unwrap().push(*p));
    for file in files {
        upload = upload.file(fixture_path(file));
    }
    upload.send().await.unwrap();

    let on_wire: u64 = sandbox
        .last_request()
        .unwrap()
        .parts_named("files")
        .map(|p| p.length)
        .sum();
    let expected: u64 = files
        .iter()
        .map(|f| std::fs::metadata(fixture_path(f)).unwrap().len())
        .sum();
    assert_eq!(on_wire, expected);

    let seen = seen.lock().unwrap();
    let last = seen.last().unwrap();
    assert_eq!(last.event, ProgressEvent::RequestDone);
    assert_eq!((last.sent, last.total), (on_wire, on_wire));
    assert_eq!((last.requests_done, last.requests_total), (1, 1));
    // Per-file counts end at each file's length, and never go backwards here.
    for (index, file) in files.iter().enumerate() {
        let length = std::fs::metadata(fixture_path(file)).unwrap().len();
        let final_count = seen
            .iter()
            .filter_map(|p| match p.event {
                ProgressEvent::FileBytes { file, sent, total } if file == index => {
                    assert_eq!(total, length);
                    Some(sent)
                }
                _ => None,
            })
            .max();
        assert_eq!(final_count, Some(length), "{file}");
    }
    assert!(seen.windows(2).all(|w| w[0].sent <= w[1].sent));
}

/// A server that refuses chunked bodies with 411, and otherwise counts the body's bytes and
/// hashes them, then answers one asset.
async fn counting_sink() -> (String, Arc<AtomicU64>, Arc<Mutex<Option<(u64, u64)>>>) {
    let counted = Arc::new(AtomicU64::new(0));
    let last: Arc<Mutex<Option<(u64, u64)>>> = Arc::default();
    let (c, l) = (counted.clone(), last.clone());
    let app = axum::Router::new().fallback(move |headers: HeaderMap, body: Body| {
        let (counted, last) = (c.clone(), l.clone());
        async move {
            let Some(declared) = headers
                .get("content-length")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
            else {
                return (StatusCode::LENGTH_REQUIRED, "length required").into_response();
            };
            let mut stream = body.into_data_stream();
            let mut received = 0u64;
            while let Some(chunk) = stream.next().await {
                received += chunk.map(|c| c.len() as u64).unwrap_or(0);
            }
            counted.fetch_add(received, Ordering::Relaxed);
            *last.lock().unwrap() = Some((declared, received));
            let asset = serde_json::json!({
                "id": uuid::Uuid::new_v4(), "name": "big.mp4", "content_url": "",
                "content_type": "video", "content": "",
            });
            (StatusCode::CREATED, axum::Json(asset)).into_response()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, counted, last)
}

/// A 50 MiB file of non-repeating bytes (an MP4 header, so that it is sniffed as video).
fn big_file(dir: &Path) -> PathBuf {
    let path = dir.join("big.mp4");
    let mut data = std::fs::read(fixture_path("clip.mp4")).unwrap();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    while data.len() < 50 * 1024 * 1024 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        data.extend_from_slice(&state.to_le_bytes());
    }
    std::fs::write(&path, &data).unwrap();
    path
}

#[tokio::test]
async fn a_50_mib_file_goes_with_an_exact_content_length() {
    let dir = tempfile::tempdir().unwrap();
    let path = big_file(dir.path());
    let bytes = std::fs::read(&path).unwrap();

    // A server that refuses chunked bodies (411) still takes it, and the length it was told is
    // the length it got.
    let (url, counted, last) = counting_sink().await;
    let uploaded = Client::builder(&url)
        .auth(Auth::authorization("k"))
        .build()
        .unwrap()
        .upload(uuid::Uuid::new_v4(), uuid::Uuid::new_v4())
        .file(&path)
        .send()
        .await
        .expect("a server that answers 411 to chunked bodies accepts it");
    assert_eq!(uploaded.len(), 1);
    let (declared, received) = last.lock().unwrap().unwrap();
    assert_eq!(declared, received);
    assert!(
        received > bytes.len() as u64,
        "the body holds the file and the framing"
    );
    assert_eq!(counted.load(Ordering::Relaxed), received);

    // The sandbox parses it: the file part's bytes hash-match the file.
    let sandbox = sandbox().await;
    client(&sandbox)
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .file(&path)
        .send()
        .await
        .unwrap();
    let request = sandbox.last_request().unwrap();
    assert!(!request.chunked);
    let part = request.parts_named("files").next().unwrap();
    assert_eq!(part.length, bytes.len() as u64);
    assert_eq!(part.sha256, sha256_hex(&bytes));
}
