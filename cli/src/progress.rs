//! Progress bars for an upload: one per file whose bytes are going out, and one overall
//! (bytes, rate, ETA), driven by the wrapper's `on_progress` callback.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use shareofmodel::{Progress, ProgressEvent};

const OVERALL: &str = "{spinner} {percent:>3}% [{bar:30}] {binary_bytes}/{binary_total_bytes} \
                       {binary_bytes_per_sec} ETA {eta} {msg}";
const FILE: &str = "  {percent:>3}% [{bar:20}] {binary_bytes}/{binary_total_bytes} {wide_msg}";

/// The bars of every command, drawn on stderr, and only when both stderr and stdout are
/// terminals: piped or redirected output gets no control sequences, and a command whose output
/// goes to a file or a program is most likely run by a script, which has no use for them.
/// Logs go through it too (see `logging`).
pub fn multi() -> MultiProgress {
    let target = if std::io::stderr().is_terminal() && std::io::stdout().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    MultiProgress::with_draw_target(target)
}

/// The bars of one upload.
pub struct UploadBars {
    multi: MultiProgress,
    overall: ProgressBar,
    /// Bars of files with bytes still to send, by the file's position in the upload.
    files: Mutex<HashMap<usize, ProgressBar>>,
    /// How each file is shown, by position.
    names: Vec<String>,
}

fn style(template: &str) -> ProgressStyle {
    // The templates are constants; should one ever be wrong, a plain bar beats failing.
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

impl UploadBars {
    /// `total` is the byte count of every file; `names` shows each file in its bar.
    pub fn new(multi: &MultiProgress, total: u64, names: Vec<String>) -> Arc<Self> {
        let overall = multi.add(ProgressBar::new(total).with_style(style(OVERALL)));
        overall.enable_steady_tick(Duration::from_millis(200));
        Arc::new(Self {
            multi: multi.clone(),
            overall,
            files: Mutex::new(HashMap::new()),
            names,
        })
    }

    /// The `on_progress` callback. It runs on the upload's tasks, so it only moves bars.
    pub fn update(&self, progress: &Progress) {
        self.overall.set_length(progress.total);
        self.overall.set_position(progress.sent);
        self.overall.set_message(format!(
            "{}/{} requests",
            progress.requests_done, progress.requests_total
        ));
        if let ProgressEvent::FileBytes { file, sent, total } = progress.event {
            // A poisoned lock only means another callback panicked; the map is still usable.
            let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
            if sent >= total {
                if let Some(bar) = files.remove(&file) {
                    bar.finish_and_clear();
                    self.multi.remove(&bar);
                }
                return;
            }
            let bar = files.entry(file).or_insert_with(|| {
                let bar = ProgressBar::new(total)
                    .with_style(style(FILE))
                    .with_message(self.names.get(file).cloned().unwrap_or_default());
                // File bars above the overall one, which stays at the bottom.
                self.multi.insert_before(&self.overall, bar)
            });
            // A file sent again (after a 429, say) starts over: the bar follows.
            bar.set_position(sent);
        }
    }

    /// Leaves the overall bar's last frame on screen and clears the rest.
    pub fn finish(&self) {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        for (_, bar) in files.drain() {
            bar.finish_and_clear();
            self.multi.remove(&bar);
        }
        self.overall.finish();
        if !self.multi.is_hidden() {
            // The last frame stays, and leaves the cursor at its end: what is printed next
            // (the table) starts on a line of its own.
            eprintln!();
        }
    }

    /// Clears every bar: nothing was sent (the inputs were refused).
    pub fn clear(&self) {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        for (_, bar) in files.drain() {
            bar.finish_and_clear();
        }
        self.overall.finish_and_clear();
    }
}
