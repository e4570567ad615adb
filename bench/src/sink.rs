//! The sink: reads every body to the end and throws it away, then answers 201 with a minimal
//! valid `Asset` per text asset or file part found in the body's first 64 KiB.
//!
//! Only the first 64 KiB are kept and looked at (the part headers of a large file come before
//! its bytes), so the cost per byte is one pass of hyper's own reads.

use std::io::Write;
use std::net::Ipv4Addr;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde_json::{Value, json};

/// How much of each body is kept to find its parts.
const HEAD_BYTES: usize = 64 * 1024;

#[derive(Clone)]
struct Sink {
    latency: Duration,
    /// Bytes per second, when throttled.
    throttle: Option<u64>,
}

pub async fn run(latency_ms: u64, port: u16, throttle_kib_s: u64) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
    let address = listener.local_addr()?;
    let app = Router::new()
        .fallback(handle)
        .layer(DefaultBodyLimit::disable())
        .with_state(Sink {
            latency: Duration::from_millis(latency_ms),
            throttle: (throttle_kib_s > 0).then_some(throttle_kib_s * 1024),
        });
    let mut stdout = std::io::stdout();
    writeln!(stdout, "http://{address}")?;
    stdout.flush()?;
    axum::serve(listener, app).await.context("the sink failed")
}

async fn handle(State(sink): State<Sink>, headers: HeaderMap, body: Body) -> Response {
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(boundary_of);
    let mut head = Vec::with_capacity(HEAD_BYTES);
    let mut stream = body.into_data_stream();
    let started = tokio::time::Instant::now();
    let mut read = 0u64;
    while let Some(frame) = stream.next().await {
        match frame {
            Ok(chunk) => {
                read += chunk.len() as u64;
                if let Some(rate) = sink.throttle {
                    let due = Duration::from_secs_f64(read as f64 / rate as f64);
                    tokio::time::sleep_until(started + due).await;
                }
                let room = HEAD_BYTES - head.len();
                if room > 0 {
                    head.extend_from_slice(&chunk[..room.min(chunk.len())]);
                }
            }
            Err(error) => {
                return (StatusCode::BAD_REQUEST, format!("body: {error}")).into_response();
            }
        }
    }
    if !sink.latency.is_zero() {
        tokio::time::sleep(sink.latency).await;
    }
    let mut assets: Vec<Value> = boundary
        .map(|boundary| parts_of(&head, &boundary))
        .unwrap_or_default()
        .into_iter()
        .map(|part| asset(&part.name, part.kind))
        .collect();
    if assets.is_empty() {
        assets.push(asset("unknown", "text"));
    }
    (
        StatusCode::CREATED,
        [(header::CONTENT_TYPE, "application/json")],
        Value::Array(assets).to_string(),
    )
        .into_response()
}

/// A minimal valid `Asset` (openapi.yaml): the required fields, and a few optional ones.
fn asset(name: &str, kind: &str) -> Value {
    let id = uuid::Uuid::new_v4();
    json!({
        "id": id,
        "name": name,
        "content_url": format!("http://127.0.0.1/bench/{id}"),
        "content_type": kind,
        "content": "",
        "tags": [],
        "is_archived": false,
        "is_deleted": false,
    })
}

fn boundary_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.trim().split_once('=')?;
        key.eq_ignore_ascii_case("boundary")
            .then(|| value.trim_matches('"').to_owned())
    })
}

#[derive(Debug, PartialEq)]
struct Part {
    name: String,
    kind: &'static str,
}

/// The text assets (`assets`, one JSON object per part) and files (`files`) among the parts
/// that start within `head`, in order.
fn parts_of(head: &[u8], boundary: &str) -> Vec<Part> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut parts = Vec::new();
    let Some(first) = find(head, delimiter) else {
        return parts;
    };
    let mut rest = &head[first + delimiter.len()..];
    while !rest.starts_with(b"--") {
        let Some(header_end) = find(rest, b"\r\n\r\n") else {
            break;
        };
        let headers = String::from_utf8_lossy(&rest[..header_end]);
        let body_start = header_end + 4;
        let next = find(&rest[body_start..], delimiter);
        let body = &rest[body_start..next.map_or(rest.len(), |n| body_start + n)];
        let mut name = None;
        let mut filename = None;
        let mut media_type = "";
        for line in headers.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            if key.trim().eq_ignore_ascii_case("content-disposition") {
                for param in value.split(';').skip(1) {
                    if let Some((key, value)) = param.trim().split_once('=') {
                        let value = value.trim_matches('"').to_owned();
                        match key {
                            "name" => name = Some(value),
                            "filename" => filename = Some(value),
                            _ => {}
                        }
                    }
                }
            } else if key.trim().eq_ignore_ascii_case("content-type") {
                media_type = value.trim();
            }
        }
        match name.as_deref() {
            Some("files") => parts.push(Part {
                name: filename.unwrap_or_else(|| "file".to_owned()),
                kind: if media_type.starts_with("image/") {
                    "image"
                } else if media_type.starts_with("video/") {
                    "video"
                } else {
                    "text"
                },
            }),
            Some("assets") => parts.push(Part {
                name: serde_json::from_slice::<Value>(body)
                    .ok()
                    .and_then(|v| v.get("name").and_then(Value::as_str).map(str::to_owned))
                    .unwrap_or_else(|| "text".to_owned()),
                kind: "text",
            }),
            _ => {}
        }
        match next {
            Some(n) => rest = &rest[body_start + n + delimiter.len()..],
            None => break,
        }
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_texts_and_files_and_skips_tags() {
        let body = b"--xyz\r\nContent-Disposition: form-data; name=\"assets\"\r\nContent-Type: application/json\r\n\r\n{\"name\":\"A\",\"content\":\"a\"}\r\n\
--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"clip.mp4\"\r\nContent-Type: video/mp4\r\n\r\n\x00\x01--x\r\n\
--xyz\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nsummer\r\n--xyz--\r\n";
        assert_eq!(
            parts_of(body, "xyz"),
            vec![
                Part {
                    name: "A".into(),
                    kind: "text"
                },
                Part {
                    name: "clip.mp4".into(),
                    kind: "video"
                },
            ]
        );
    }

    #[test]
    fn a_file_cut_off_by_the_head_still_counts() {
        let body = b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.mp4\"\r\nContent-Type: video/mp4\r\n\r\n\x00\x00\x00";
        assert_eq!(parts_of(body, "b").len(), 1);
    }

    #[test]
    fn boundary_from_content_type() {
        assert_eq!(
            boundary_of("multipart/form-data; boundary=\"abc\"").as_deref(),
            Some("abc")
        );
        assert_eq!(boundary_of("application/json"), None);
    }
}
