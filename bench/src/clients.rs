//! The clients: each does one upload and prints one JSON line with what it measured.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use serde_json::json;
use shareofmodel::{Auth, Client, Uuid};
use tokio_util::io::ReaderStream;

const ORGANIZATION: Uuid = Uuid::from_u128(0x3c90_c3cc_0d44_4b50_8888_8dd2_5736_052a);
const WORKSPACE: Uuid = Uuid::from_u128(0x7f1e_2d3c_4b5a_4968_8776_6554_4332_2110);
const KEY: &str = "som_bench_key";
const MIB: f64 = 1024.0 * 1024.0;

fn loopback_only(url: &str) -> Result<()> {
    let parsed = reqwest::Url::parse(url).with_context(|| format!("bad URL {url}"))?;
    if parsed.host_str() != Some("127.0.0.1") {
        bail!("the benchmark only talks to 127.0.0.1, not {url}");
    }
    Ok(())
}

fn client(url: &str, read_timeout_ms: Option<u64>) -> Result<Client> {
    loopback_only(url)?;
    let mut builder = Client::builder(url).auth(Auth::authorization(KEY));
    if let Some(ms) = read_timeout_ms {
        builder = builder.idle_timeout(std::time::Duration::from_millis(ms));
    }
    Ok(builder.build()?)
}

/// Uploads `file` through the wrapper, in one request.
pub async fn wrapper(
    url: &str,
    file: &Path,
    progress: bool,
    read_timeout_ms: Option<u64>,
) -> Result<()> {
    let client = client(url, read_timeout_ms)?;
    let bytes = std::fs::metadata(file)?.len();
    let mut upload = client.upload(ORGANIZATION, WORKSPACE).file(file);
    if progress {
        upload = upload.on_progress(|p| {
            std::hint::black_box(p);
        });
    }
    let started = Instant::now();
    let created = upload.send().await?;
    let secs = started.elapsed().as_secs_f64();
    ensure!(
        created.len() == 1,
        "expected one asset, got {}",
        created.len()
    );
    print_upload("wrapper", bytes, secs)
}

/// Uploads `file` with plain reqwest: a `tokio::fs::File` read `read_kib` KiB at a time, as a
/// part of known length.
pub async fn plain_reqwest(url: &str, file: &Path, read_kib: usize) -> Result<()> {
    loopback_only(url)?;
    let http = reqwest::Client::builder().no_proxy().build()?;
    let name = file
        .file_name()
        .context("no file name")?
        .to_string_lossy()
        .into_owned();
    let started = Instant::now();
    let opened = tokio::fs::File::open(file).await?;
    let bytes = opened.metadata().await?.len();
    let body = reqwest::Body::wrap_stream(ReaderStream::with_capacity(opened, read_kib * 1024));
    let part = reqwest::multipart::Part::stream_with_length(body, bytes)
        .file_name(name)
        .mime_str("video/mp4")?;
    let form = reqwest::multipart::Form::new().part("files", part);
    let response = http
        .post(format!(
            "{url}/v1/organizations/{ORGANIZATION}/workspaces/{WORKSPACE}/assets"
        ))
        .header(reqwest::header::AUTHORIZATION, KEY)
        .multipart(form)
        .send()
        .await?;
    let status = response.status();
    response.bytes().await?;
    let secs = started.elapsed().as_secs_f64();
    ensure!(status == reqwest::StatusCode::CREATED, "status {status}");
    print_upload("reqwest", bytes, secs)
}

fn print_upload(client: &str, bytes: u64, secs: f64) -> Result<()> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    println!(
        "{}",
        json!({
            "client": client,
            "bytes": bytes,
            "secs": secs,
            "mib_s": bytes as f64 / MIB / secs,
            "vmhwm_kib": status_kib(&status, "VmHWM"),
            "vmrss_kib": status_kib(&status, "VmRSS"),
            "cpu_s": cpu_s(),
        })
    );
    Ok(())
}

/// CPU time of this process so far, every thread together, in seconds (nanosecond
/// resolution, from /proc/self/task/*/schedstat; tokio's blocking threads are still alive).
fn cpu_s() -> Option<f64> {
    let mut nanos = 0u64;
    for entry in std::fs::read_dir("/proc/self/task").ok()? {
        let text = std::fs::read_to_string(entry.ok()?.path().join("schedstat")).ok()?;
        nanos += text.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(nanos as f64 / 1e9)
}

/// A `kB` figure of /proc/self/status.
fn status_kib(status: &str, key: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        rest.trim().trim_end_matches("kB").trim().parse().ok()
    })
}

/// Uploads `count` text assets through `send_batched` with `concurrency` requests in flight.
pub async fn texts(url: &str, count: usize, concurrency: usize) -> Result<()> {
    let client = client(url, None)?;
    let mut upload = client
        .upload(ORGANIZATION, WORKSPACE)
        .concurrency(concurrency);
    for i in 0..count {
        upload = upload.text(
            format!("Variant {i}"),
            format!("Copy number {i}: made for summer."),
        );
    }
    let started = Instant::now();
    let report = upload.send_batched().await?;
    let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
    let created = report.created().count();
    ensure!(
        report.is_complete(),
        "{} of {count} text assets were not reported created",
        count - created
    );
    println!(
        "{}",
        json!({
            "client": "texts",
            "count": count,
            "concurrency": concurrency,
            "requests": report.requests,
            "created": created,
            "wall_ms": wall_ms,
        })
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_proc_status_figures() {
        let status = "Name:\tx\nVmHWM:\t   10240 kB\nVmRSS:\t    9000 kB\n";
        assert_eq!(status_kib(status, "VmHWM"), Some(10240));
        assert_eq!(status_kib(status, "VmRSS"), Some(9000));
        assert_eq!(status_kib(status, "VmPeak"), None);
    }
}
