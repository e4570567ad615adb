//! `shareofmodel-bench`: the pieces `cargo xtask bench` runs, one process each.
//!
//! - `sink`: a loopback server that reads and discards any request body and answers 201 with
//!   one minimal asset per part it saw;
//! - `wrapper`, `reqwest`: upload one file through the wrapper, or through plain reqwest with a
//!   streamed multipart body, and print throughput and peak RSS as one JSON line;
//! - `texts`: many text assets through `send_batched`, and print the wall time.
//!
//! Every URL must be on 127.0.0.1; nothing here talks to any other host.

mod clients;
mod sink;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Loopback benchmarks of the Share Of Model wrapper")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve on 127.0.0.1: read and discard bodies, answer 201 with minimal assets. Prints
    /// its base URL on stdout.
    Sink {
        /// Added before each answer, after the body was read.
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// 0 lets the system choose a free port.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Read bodies at most this fast, in KiB/s (0: as fast as possible), to model a slow
        /// link: bytes keep moving, slowly.
        #[arg(long, default_value_t = 0)]
        throttle_kib_s: u64,
    },
    /// Upload one file through the wrapper (`send`); prints a JSON line.
    Wrapper {
        #[arg(long)]
        url: String,
        #[arg(long)]
        file: PathBuf,
        /// Attach a no-op progress callback (to measure its cost).
        #[arg(long)]
        progress: bool,
        /// The wrapper's idle timeout (`ClientBuilder::idle_timeout`), if not its default.
        #[arg(long)]
        read_timeout_ms: Option<u64>,
    },
    /// Upload one file through plain reqwest (`Part::stream_with_length`); prints a JSON line.
    Reqwest {
        #[arg(long)]
        url: String,
        #[arg(long)]
        file: PathBuf,
        /// The size of each read from the file, in KiB.
        #[arg(long, default_value_t = 64)]
        read_kib: usize,
    },
    /// Upload text assets through the wrapper (`send_batched`); prints a JSON line.
    Texts {
        #[arg(long)]
        url: String,
        #[arg(long, default_value_t = 200)]
        count: usize,
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Sink {
            latency_ms,
            port,
            throttle_kib_s,
        } => sink::run(latency_ms, port, throttle_kib_s).await,
        Command::Wrapper {
            url,
            file,
            progress,
            read_timeout_ms,
        } => clients::wrapper(&url, &file, progress, read_timeout_ms).await,
        Command::Reqwest {
            url,
            file,
            read_kib,
        } => clients::plain_reqwest(&url, &file, read_kib).await,
        Command::Texts {
            url,
            count,
            concurrency,
        } => clients::texts(&url, count, concurrency).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("shareofmodel-bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}
