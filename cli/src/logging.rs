//! `tracing` logs on stderr, drawn around the progress bars rather than through them.

use std::io::{self, IsTerminal, Write};

use indicatif::MultiProgress;
use tracing_subscriber::EnvFilter;

/// Sets up logging for `-v` (`verbosity` 1), `-vv` (2) or `-vvv` (3 and more). Without `-v`,
/// `RUST_LOG` is honoured, and nothing is logged when it is unset: `som` reports outcomes
/// itself, and a stray warning line would break the progress bars.
pub fn init(verbosity: u8, bars: MultiProgress) {
    const OURS: &str = "som,shareofmodel,shareofmodel_sandbox";
    let directives = |level: &str| {
        OURS.split(',')
            .map(|target| format!("{target}={level}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let filter = match verbosity {
        0 => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("off")),
        // The HTTP stack's own logs only from -vvv: they drown the request lines.
        1 => EnvFilter::new(format!("warn,{}", directives("info"))),
        2 => EnvFilter::new(format!("warn,{}", directives("debug"))),
        _ => EnvFilter::new("trace"),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(io::stderr().is_terminal())
        .with_writer(move || BarSafeStderr(bars.clone()))
        .try_init();
}

/// Writes to stderr with the bars lifted for the duration, so that a log line does not land
/// in the middle of a bar (when no bar is drawn, it just writes).
struct BarSafeStderr(MultiProgress);

impl Write for BarSafeStderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.suspend(|| io::stderr().lock().write_all(buf))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}
