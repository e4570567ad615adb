//! `cargo xtask bench`: loopback benchmarks of the wrapper (issue 8). Not tests: it measures
//! and reports, and never fails because a target was missed.
//!
//! - P1: one large generated file uploaded through the wrapper, `curl -F` and plain reqwest
//!   (streamed multipart, 64 KiB reads), against the same sink; throughput of each, and the
//!   wrapper's peak RSS (VmHWM) for a 10 MiB and the large file, one process per upload.
//! - P2: 200 text assets through `send_batched` with concurrency 4 against a sink adding 50 ms
//!   per request; wall time against the ideal ceil(20 / 4) × 50 ms.
//!
//! Everything runs on 127.0.0.1: the sinks are `shareofmodel-bench sink` processes started
//! here, and killed (by their own handles) at the end. By default each sink and each client
//! is pinned to the same core with `taskset`, since on a small machine they otherwise compete
//! for CPU with each other and with whatever else runs.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};

use crate::workspace_root;

const MIB: u64 = 1024 * 1024;
const SMALL_MIB: u64 = 10;
const TEXTS: usize = 200;
const CONCURRENCY: usize = 4;
const LATENCY_MS: u64 = 50;
/// The spec's maximum of text assets per request, which `send_batched` groups by.
const TEXTS_PER_REQUEST: usize = 10;
/// Any ids: the sink accepts every path.
const ASSETS_PATH: &str = "/v1/organizations/3c90c3cc-0d44-4b50-8888-8dd25736052a/workspaces/7f1e2d3c-4b5a-4968-8776-655443322110/assets";
const PROXY_VARIABLES: [&str; 8] = [
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
];

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Size of the large file of P1, in MiB (1024 for the figures; less for a quick run).
    #[arg(long, default_value_t = 1024)]
    size_mib: u64,
    /// Pin each sink and each client to the same core with `taskset` (the default).
    #[arg(long, overrides_with = "no_pin")]
    pin: bool,
    /// Let the scheduler place sinks and clients on any core.
    #[arg(long, overrides_with = "pin")]
    no_pin: bool,
    /// The core to pin to (default: the last one).
    #[arg(long)]
    cpu: Option<usize>,
    /// Runs of each measurement; the table shows the median (peak RSS: the maximum).
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

/// How child processes are started: pinned to one core, or not.
struct Launcher {
    bin: PathBuf,
    cpu: Option<usize>,
}

impl Launcher {
    fn command(&self, program: &Path) -> Command {
        let mut command = match self.cpu {
            Some(cpu) => {
                let mut command = Command::new("taskset");
                command.arg("-c").arg(cpu.to_string()).arg(program);
                command
            }
            None => Command::new(program),
        };
        // Nothing may go through a proxy: every URL is on 127.0.0.1.
        for variable in PROXY_VARIABLES {
            command.env_remove(variable);
        }
        command
    }

    fn bench(&self) -> Command {
        self.command(&self.bin)
    }

    fn pinning(&self) -> String {
        match self.cpu {
            Some(cpu) => format!("taskset -c {cpu} (client and sink on one core)"),
            None => "none (scheduler's choice)".to_owned(),
        }
    }
}

/// The sinks started here, killed when dropped.
struct Sinks(Vec<Child>);

impl Drop for Sinks {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

struct SinkProcess {
    url: String,
    pid: u32,
}

impl Sinks {
    fn start(&mut self, launcher: &Launcher, latency_ms: u64) -> Result<SinkProcess> {
        let mut child = launcher
            .bench()
            .args([
                "sink",
                "--port",
                "0",
                "--latency-ms",
                &latency_ms.to_string(),
            ])
            .stdout(Stdio::piped())
            .spawn()
            .context("cannot start the sink")?;
        let stdout = child.stdout.take().context("no stdout")?;
        // `taskset` execs the sink, so this is the sink's own process id.
        let pid = child.id();
        self.0.push(child);
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let url = line.trim().to_owned();
        ensure!(
            url.starts_with("http://127.0.0.1:"),
            "the sink printed {url:?} instead of its loopback URL"
        );
        Ok(SinkProcess { url, pid })
    }
}

pub fn run(args: &BenchArgs) -> Result<ExitCode> {
    ensure!(args.size_mib > 0, "--size-mib must be at least 1");
    ensure!(args.runs > 0, "--runs must be at least 1");
    let root = workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        })
        .unwrap_or_else(|| root.join("target"));
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let cpu = if args.no_pin {
        None
    } else {
        Some(args.cpu.unwrap_or(cores - 1))
    };

    eprintln!("building shareofmodel-bench (release)...");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "-p", "shareofmodel-bench"])
        .current_dir(&root)
        .status()
        .context("cannot run cargo")?;
    ensure!(status.success(), "building shareofmodel-bench failed");
    let launcher = Launcher {
        bin: target.join("release").join("shareofmodel-bench"),
        cpu,
    };
    for (tool, flag) in [("curl", "--version"), ("taskset", "--version")] {
        if tool == "taskset" && cpu.is_none() {
            continue;
        }
        let found = Command::new(tool)
            .arg(flag)
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ensure!(
            found,
            "`{tool}` is needed by the benchmark and was not found"
        );
    }

    let dir = target.join("bench");
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let large = dir.join(format!("upload-{}mib.mp4", args.size_mib));
    let small = dir.join(format!("upload-{SMALL_MIB}mib.mp4"));
    for (path, mib) in [(&large, args.size_mib), (&small, SMALL_MIB)] {
        ensure_file(path, mib * MIB)?;
        // Every client then reads from the page cache, none from the disk.
        warm(path)?;
    }
    let load_before = load_average();

    let mut sinks = Sinks(Vec::new());
    let fast = sinks.start(&launcher, 0)?;
    let slow = sinks.start(&launcher, LATENCY_MS)?;
    eprintln!(
        "sinks at {} and {} (+{LATENCY_MS} ms); pinning: {}",
        fast.url,
        slow.url,
        launcher.pinning()
    );

    let mut wrapper = Vec::new();
    let mut curl = Vec::new();
    let mut reqwest = Vec::new();
    let mut rss_large = Vec::new();
    let mut rss_small = Vec::new();
    let bytes = fs::metadata(&large)?.len();
    for run in 0..args.runs {
        // A different order each run, so no client always goes first.
        for turn in 0..3 {
            match (run + turn) % 3 {
                0 => {
                    let (sample, out) = measure(fast.pid, bytes, || {
                        client(&launcher, "wrapper", &fast.url, &large)
                    })?;
                    rss_large.push(number(&out, "vmhwm_kib")? / 1024.0);
                    wrapper.push(sample);
                }
                1 => curl
                    .push(measure(fast.pid, bytes, || run_curl(&launcher, &fast.url, &large))?.0),
                _ => reqwest.push(
                    measure(fast.pid, bytes, || {
                        client(&launcher, "reqwest", &fast.url, &large)
                    })?
                    .0,
                ),
            }
        }
        let out = client(&launcher, "wrapper", &fast.url, &small)?;
        rss_small.push(number(&out, "vmhwm_kib")? / 1024.0);
        eprintln!(
            "run {}: MiB/s wall (per CPU-second of client + sink): wrapper {}, curl {}, reqwest {}",
            run + 1,
            wrapper[run],
            curl[run],
            reqwest[run]
        );
    }

    let mut walls = Vec::new();
    for _ in 0..args.runs {
        let out = run_json(launcher.bench().args([
            "texts",
            "--url",
            &slow.url,
            "--count",
            &TEXTS.to_string(),
            "--concurrency",
            &CONCURRENCY.to_string(),
        ]))?;
        walls.push(number(&out, "wall_ms")?);
    }
    drop(sinks);
    let load_after = load_average();

    let figures = Figures {
        size_mib: args.size_mib,
        wrapper: Summary::of(&wrapper),
        curl: Summary::of(&curl),
        reqwest: Summary::of(&reqwest),
        rss_small: max(&rss_small),
        rss_large: max(&rss_large),
        wall_ms: median(&walls),
        ideal_ms: (TEXTS.div_ceil(TEXTS_PER_REQUEST).div_ceil(CONCURRENCY) as u64 * LATENCY_MS)
            as f64,
    };
    figures.print_table(
        &launcher.pinning(),
        args.runs,
        cores,
        load_before,
        load_after,
    );
    let mut line = figures.json(&launcher.pinning());
    line["runs"] = json!(args.runs);
    line["cores"] = json!(cores);
    line["loadavg_1m_before"] = json!(load_before);
    line["loadavg_1m_after"] = json!(load_after);
    for (name, samples) in [
        ("wrapper", &wrapper),
        ("curl", &curl),
        ("reqwest", &reqwest),
    ] {
        let walls: Vec<f64> = samples.iter().map(|s| s.mib_s).collect();
        let cpus: Vec<f64> = samples.iter().map(Sample::mib_per_cpu_s).collect();
        line[format!("p1_mib_s_{name}_runs")] = json!(round_all(&walls));
        line[format!("p1_mib_per_cpu_s_{name}_runs")] = json!(round_all(&cpus));
    }
    line["p2_wall_ms_runs"] = json!(round_all(&walls));
    println!("{line}");
    Ok(ExitCode::SUCCESS)
}

/// The medians of one client's samples.
struct Summary {
    /// MiB/s, wall clock.
    wall: f64,
    /// MiB per CPU-second of client + sink.
    cpu: f64,
}

impl Summary {
    fn of(samples: &[Sample]) -> Self {
        let walls: Vec<f64> = samples.iter().map(|s| s.mib_s).collect();
        let cpus: Vec<f64> = samples.iter().map(Sample::mib_per_cpu_s).collect();
        Self {
            wall: median(&walls),
            cpu: median(&cpus),
        }
    }
}

struct Figures {
    size_mib: u64,
    wrapper: Summary,
    curl: Summary,
    reqwest: Summary,
    rss_small: f64,
    rss_large: f64,
    wall_ms: f64,
    ideal_ms: f64,
}

impl Figures {
    fn json(&self, pinning: &str) -> Value {
        json!({
            "p1_size_mib": self.size_mib,
            "p1_mib_s_wrapper": round(self.wrapper.wall),
            "p1_mib_s_curl": round(self.curl.wall),
            "p1_mib_s_reqwest": round(self.reqwest.wall),
            "p1_ratio_vs_curl": round(self.wrapper.wall / self.curl.wall),
            "p1_ratio_vs_reqwest": round(self.wrapper.wall / self.reqwest.wall),
            "p1_mib_per_cpu_s_wrapper": round(self.wrapper.cpu),
            "p1_mib_per_cpu_s_curl": round(self.curl.cpu),
            "p1_mib_per_cpu_s_reqwest": round(self.reqwest.cpu),
            "p1_cpu_ratio_vs_curl": round(self.wrapper.cpu / self.curl.cpu),
            "p1_cpu_ratio_vs_reqwest": round(self.wrapper.cpu / self.reqwest.cpu),
            "p1_rss_mib_10m": round(self.rss_small),
            "p1_rss_mib_1g": round(self.rss_large),
            "p2_wall_ms": round(self.wall_ms),
            "p2_ideal_ms": self.ideal_ms,
            "p2_ratio_vs_ideal": round(self.wall_ms / self.ideal_ms),
            "pinning": pinning,
        })
    }

    fn print_table(
        &self,
        pinning: &str,
        runs: usize,
        cores: usize,
        load_before: f64,
        load_after: f64,
    ) {
        let verdict = |met: bool| if met { "met" } else { "MISSED" };
        let vs_curl = self.wrapper.wall / self.curl.wall;
        let vs_reqwest = self.wrapper.wall / self.reqwest.wall;
        let cpu_vs_curl = self.wrapper.cpu / self.curl.cpu;
        let cpu_vs_reqwest = self.wrapper.cpu / self.reqwest.cpu;
        let spread = (self.rss_large - self.rss_small).abs();
        let ratio = self.wall_ms / self.ideal_ms;
        let mut out = std::io::stdout().lock();
        let rows = [
            (
                format!("P1 wrapper, {} MiB", self.size_mib),
                format!("{:.0} MiB/s", self.wrapper.wall),
                String::new(),
                "",
            ),
            (
                "P1 curl -F".to_owned(),
                format!("{:.0} MiB/s", self.curl.wall),
                String::new(),
                "",
            ),
            (
                "P1 plain reqwest (64 KiB reads)".to_owned(),
                format!("{:.0} MiB/s", self.reqwest.wall),
                String::new(),
                "",
            ),
            (
                "P1 wrapper / curl".to_owned(),
                format!("{vs_curl:.2}"),
                "≥ 1.00".to_owned(),
                verdict(vs_curl >= 1.0),
            ),
            (
                "P1 wrapper / reqwest".to_owned(),
                format!("{vs_reqwest:.2}"),
                "≥ 0.95".to_owned(),
                verdict(vs_reqwest >= 0.95),
            ),
            (
                "P1 MiB per CPU-s: wrapper".to_owned(),
                format!("{:.0}", self.wrapper.cpu),
                String::new(),
                "",
            ),
            (
                "P1 MiB per CPU-s: curl".to_owned(),
                format!("{:.0}", self.curl.cpu),
                String::new(),
                "",
            ),
            (
                "P1 MiB per CPU-s: reqwest".to_owned(),
                format!("{:.0}", self.reqwest.cpu),
                String::new(),
                "",
            ),
            (
                "P1 per CPU-s, wrapper / curl".to_owned(),
                format!("{cpu_vs_curl:.2}"),
                "≥ 1.00".to_owned(),
                verdict(cpu_vs_curl >= 1.0),
            ),
            (
                "P1 per CPU-s, wrapper / reqwest".to_owned(),
                format!("{cpu_vs_reqwest:.2}"),
                "≥ 0.95".to_owned(),
                verdict(cpu_vs_reqwest >= 0.95),
            ),
            (
                format!("P1 wrapper peak RSS, {SMALL_MIB} MiB file"),
                format!("{:.1} MiB", self.rss_small),
                "≤ 32 MiB".to_owned(),
                verdict(self.rss_small <= 32.0),
            ),
            (
                format!("P1 wrapper peak RSS, {} MiB file", self.size_mib),
                format!("{:.1} MiB", self.rss_large),
                "≤ 32 MiB".to_owned(),
                verdict(self.rss_large <= 32.0),
            ),
            (
                "P1 peak RSS difference".to_owned(),
                format!("{spread:.1} MiB"),
                "≤ 4 MiB".to_owned(),
                verdict(spread <= 4.0),
            ),
            (
                format!("P2 {TEXTS} texts, +{LATENCY_MS} ms, concurrency {CONCURRENCY}"),
                format!("{:.0} ms", self.wall_ms),
                format!("ideal {:.0} ms", self.ideal_ms),
                "",
            ),
            (
                "P2 wall / ideal".to_owned(),
                format!("{ratio:.2}"),
                "≤ 1.20".to_owned(),
                verdict(ratio <= 1.2),
            ),
        ];
        let _ = writeln!(
            out,
            "\npinning: {pinning}; {cores} cores; median of {runs} run(s) (peak RSS: maximum); \
             load average (1 min) {load_before:.2} before, {load_after:.2} after; \
             MiB per CPU-s = file MiB / CPU seconds of client + sink\n"
        );
        let _ = writeln!(
            out,
            "| {:<40} | {:>12} | {:>12} | {:<6} |",
            "measure", "value", "target", "result"
        );
        let _ = writeln!(out, "|{:-<42}|{:->14}|{:->14}|{:-<8}|", "", "", "", "");
        for (measure, value, target, result) in rows {
            let _ = writeln!(
                out,
                "| {measure:<40} | {value:>12} | {target:>12} | {result:<6} |"
            );
        }
        let _ = writeln!(out);
    }
}

/// Runs a bench client and returns the JSON line it printed.
fn client(launcher: &Launcher, which: &str, url: &str, file: &Path) -> Result<Value> {
    let mut command = launcher.bench();
    command.args([which, "--url", url, "--file"]).arg(file);
    run_json(&mut command)
}

fn run_json(command: &mut Command) -> Result<Value> {
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run {command:?}"))?;
    ensure!(output.status.success(), "{command:?} failed");
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().last().unwrap_or_default();
    serde_json::from_str(line).with_context(|| format!("{command:?} printed {text:?}"))
}

/// `curl -F`, timed by curl itself (`time_total`); returns `{"mib_s": ...}`.
fn run_curl(launcher: &Launcher, url: &str, file: &Path) -> Result<Value> {
    let path = file.to_str().context("the file path is not UTF-8")?;
    ensure!(
        !path.contains([';', ',', '"']),
        "curl -F cannot take the path {path}"
    );
    let bytes = fs::metadata(file)?.len();
    let output = launcher
        .command(Path::new("curl"))
        .args([
            "-sS",
            "-o",
            "/dev/null",
            "--noproxy",
            "*",
            "-H",
            "Authorization: som_bench_key",
            "-w",
            "%{http_code} %{time_total}",
            "-F",
            &format!("files=@{path};type=video/mp4"),
            &format!("{url}{ASSETS_PATH}"),
        ])
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run curl")?;
    ensure!(output.status.success(), "curl failed");
    let text = String::from_utf8_lossy(&output.stdout);
    let (code, secs) = text
        .trim()
        .split_once(' ')
        .with_context(|| format!("curl printed {text:?}"))?;
    ensure!(code == "201", "curl got status {code}");
    let secs: f64 = secs.parse().context("curl's time_total")?;
    Ok(json!({ "mib_s": bytes as f64 / MIB as f64 / secs }))
}

/// One upload: its throughput as the client timed it, and the CPU time the client and the sink
/// spent on it. On a shared machine the wall-clock figure moves with whatever else runs; MiB per
/// CPU-second of client + sink does not, and with both pinned to one core it is the throughput
/// the pair would reach alone on it.
#[derive(Debug, Clone, Copy)]
struct Sample {
    mib_s: f64,
    client_cpu_s: f64,
    sink_cpu_s: f64,
    mib: f64,
}

impl Sample {
    fn mib_per_cpu_s(&self) -> f64 {
        self.mib / (self.client_cpu_s + self.sink_cpu_s)
    }
}

impl std::fmt::Display for Sample {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.0} ({:.0})", self.mib_s, self.mib_per_cpu_s())
    }
}

/// Runs `upload` (one client process) and measures the CPU time it and the sink used.
fn measure(
    sink: u32,
    bytes: u64,
    upload: impl FnOnce() -> Result<Value>,
) -> Result<(Sample, Value)> {
    let children_before = children_cpu_s()?;
    let sink_before = process_cpu_s(sink)?;
    let out = upload()?;
    // Our clients report their own CPU time to the nanosecond; curl's comes from the kernel's
    // accounting of waited-for children, in 10 ms ticks.
    let client_cpu_s = match out.get("cpu_s").and_then(Value::as_f64) {
        Some(reported) => reported,
        None => children_cpu_s()? - children_before,
    };
    let sample = Sample {
        mib_s: number(&out, "mib_s")?,
        client_cpu_s,
        sink_cpu_s: process_cpu_s(sink)? - sink_before,
        mib: bytes as f64 / MIB as f64,
    };
    Ok((sample, out))
}

/// User + system time of the child processes this process has waited for, in seconds
/// (`cutime` + `cstime` of /proc/self/stat, in clock ticks of 1/100 s, USER_HZ on Linux).
fn children_cpu_s() -> Result<f64> {
    let stat = fs::read_to_string("/proc/self/stat").context("cannot read /proc/self/stat")?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let after = stat.rsplit_once(')').context("odd /proc/self/stat")?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // Fields 16 and 17 of proc(5), counted from 1 with pid and comm as 1 and 2.
    let ticks: u64 = fields
        .get(13..15)
        .context("short /proc/self/stat")?
        .iter()
        .map(|field| field.parse::<u64>().unwrap_or_default())
        .sum();
    Ok(ticks as f64 / 100.0)
}

/// CPU time of every thread of a process, in seconds (/proc/PID/task/*/schedstat, in ns).
fn process_cpu_s(pid: u32) -> Result<f64> {
    let tasks = format!("/proc/{pid}/task");
    let mut nanos = 0u64;
    for entry in fs::read_dir(&tasks).with_context(|| format!("cannot list {tasks}"))? {
        let Ok(text) = fs::read_to_string(entry?.path().join("schedstat")) else {
            continue; // a thread that just ended
        };
        nanos += text
            .split_whitespace()
            .next()
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or_default();
    }
    Ok(nanos as f64 / 1e9)
}

fn number(value: &Value, key: &str) -> Result<f64> {
    value
        .get(key)
        .and_then(Value::as_f64)
        .with_context(|| format!("no `{key}` in {value}"))
}

/// Writes `bytes` of non-constant content (an MP4 `ftyp` box, then xorshift output), unless
/// the file already has that size.
fn ensure_file(path: &Path, bytes: u64) -> Result<()> {
    if fs::metadata(path).is_ok_and(|m| m.len() == bytes) {
        return Ok(());
    }
    let started = Instant::now();
    let partial = path.with_extension("partial");
    let mut file = fs::File::create(&partial)
        .with_context(|| format!("cannot create {}", partial.display()))?;
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut buffer = vec![0u8; (4 * MIB) as usize];
    let mut written = 0u64;
    while written < bytes {
        for word in buffer.chunks_exact_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word.copy_from_slice(&state.to_le_bytes());
        }
        if written == 0 {
            // An MP4 signature, so that content sniffing agrees with the `.mp4` name.
            const FTYP: &[u8] = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41";
            buffer[..FTYP.len()].copy_from_slice(FTYP);
        }
        let take = (bytes - written).min(buffer.len() as u64) as usize;
        file.write_all(&buffer[..take])?;
        written += take as u64;
    }
    file.sync_all()?;
    drop(file);
    fs::rename(&partial, path)?;
    eprintln!(
        "generated {} ({} MiB) in {:.1} s",
        path.display(),
        bytes / MIB,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn warm(path: &Path) -> Result<()> {
    let mut file = fs::File::open(path)?;
    let mut buffer = vec![0u8; MIB as usize];
    while file.read(&mut buffer)? > 0 {}
    Ok(())
}

fn load_average() -> f64 {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        f64::midpoint(sorted[middle - 1], sorted[middle])
    }
}

fn max(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::NAN, f64::max)
}

fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn round_all(values: &[f64]) -> Vec<f64> {
    values.iter().copied().map(round).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn the_ideal_of_p2_is_250_ms() {
        let ideal = TEXTS.div_ceil(TEXTS_PER_REQUEST).div_ceil(CONCURRENCY) as u64 * LATENCY_MS;
        assert_eq!(ideal, 250);
    }

    #[test]
    fn generated_files_have_the_size_and_are_not_constant() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.mp4");
        ensure_file(&path, 5 * MIB + 3).unwrap();
        let bytes = fs::read(&path).unwrap();
        assert_eq!(bytes.len() as u64, 5 * MIB + 3);
        assert_eq!(&bytes[4..8], b"ftyp");
        assert_ne!(
            bytes[MIB as usize..][..4096],
            bytes[2 * MIB as usize..][..4096]
        );
    }
}
