//! Upload progress: bytes sent per file and overall, requests done, for progress bars.

use std::fmt;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::client::Activity;

/// A snapshot of an upload's progress, handed to the callback of
/// [`Upload::on_progress`](crate::Upload::on_progress).
///
/// Byte counts are of file content handed to the connection (text assets and the multipart
/// framing are not counted). When a request is sent again (after a 429, say), its files start
/// over, so `sent` can go down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// What happened.
    pub event: ProgressEvent,
    /// File bytes sent so far, all files together.
    pub sent: u64,
    /// File bytes to send, all files together.
    pub total: u64,
    /// Requests answered so far (successfully or not).
    pub requests_done: usize,
    /// Requests the upload makes in all.
    pub requests_total: usize,
}

/// What a [`Progress`] snapshot reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProgressEvent {
    /// Bytes of a file went out.
    FileBytes {
        /// The file's position among the upload's files.
        file: usize,
        /// Its bytes sent so far.
        sent: u64,
        /// Its length.
        total: u64,
    },
    /// A request was answered.
    RequestDone,
}

pub(crate) type Callback = dyn Fn(&Progress) + Send + Sync;

/// Shared by the body streams of an upload; cheap when nobody listens.
pub(crate) struct Tracker {
    callback: Option<Arc<Callback>>,
    /// Touched by every chunk that goes out, for the idle watchdog.
    pub(crate) activity: Activity,
    file_sent: Vec<AtomicU64>,
    file_total: Vec<u64>,
    total: u64,
    sent: AtomicU64,
    requests_done: AtomicUsize,
    requests_total: AtomicUsize,
    /// SHA-256 of each file, computed as its bytes go out (only when asked: it costs CPU).
    hashers: Option<Vec<Mutex<Sha256>>>,
    digests: Vec<Mutex<Option<String>>>,
}

impl fmt::Debug for Tracker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tracker")
            .field("listening", &self.callback.is_some())
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

impl Tracker {
    pub(crate) fn new(callback: Option<Arc<Callback>>, file_total: Vec<u64>) -> Self {
        Self {
            callback,
            activity: Activity::default(),
            file_sent: file_total.iter().map(|_| AtomicU64::new(0)).collect(),
            total: file_total.iter().sum(),
            file_total,
            sent: AtomicU64::new(0),
            requests_done: AtomicUsize::new(0),
            requests_total: AtomicUsize::new(1),
            hashers: None,
            digests: Vec::new(),
        }
    }

    /// Hashes every file on its way out (for the ledger).
    pub(crate) fn hashing(mut self) -> Self {
        self.hashers = Some(self.file_total.iter().map(|_| Mutex::default()).collect());
        self.digests = self.file_total.iter().map(|_| Mutex::default()).collect();
        self
    }

    /// A file's length.
    pub(crate) fn file_total(&self, file: usize) -> u64 {
        self.file_total.get(file).copied().unwrap_or_default()
    }

    /// The SHA-256 (hex) of a file whose bytes all went out, when hashing.
    pub(crate) fn digest(&self, file: usize) -> Option<String> {
        self.digests
            .get(file)
            .and_then(|d| d.lock().unwrap_or_else(|e| e.into_inner()).clone())
    }

    /// A chunk of a file went out.
    pub(crate) fn chunk(&self, file: usize, bytes: &[u8]) {
        if let Some(hasher) = self.hashers.as_ref().and_then(|h| h.get(file)) {
            hasher
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .update(bytes);
        }
        self.file_bytes(file, bytes.len() as u64);
    }

    /// All of a file's bytes went out.
    pub(crate) fn file_done(&self, file: usize) {
        let Some(hasher) = self.hashers.as_ref().and_then(|h| h.get(file)) else {
            return;
        };
        let digest = std::mem::take(&mut *hasher.lock().unwrap_or_else(|e| e.into_inner()));
        if let Some(slot) = self.digests.get(file) {
            *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(hex(&digest.finalize()));
        }
    }

    pub(crate) fn set_requests(&self, total: usize) {
        self.requests_total.store(total, Ordering::Relaxed);
    }

    /// A file starts (again): what an earlier attempt counted (and hashed) for it is dropped.
    pub(crate) fn start_file(&self, file: usize) {
        if let Some(hasher) = self.hashers.as_ref().and_then(|h| h.get(file)) {
            *hasher.lock().unwrap_or_else(|e| e.into_inner()) = Sha256::new();
        }
        if let Some(slot) = self.file_sent.get(file) {
            let before = slot.swap(0, Ordering::Relaxed);
            self.sent.fetch_sub(before, Ordering::Relaxed);
        }
    }

    pub(crate) fn file_bytes(&self, file: usize, bytes: u64) {
        self.activity.touch();
        let Some(slot) = self.file_sent.get(file) else {
            return;
        };
        let file_sent = slot.fetch_add(bytes, Ordering::Relaxed) + bytes;
        let sent = self.sent.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.emit(
            ProgressEvent::FileBytes {
                file,
                sent: file_sent,
                total: self.file_total.get(file).copied().unwrap_or_default(),
            },
            sent,
        );
    }

    pub(crate) fn request_done(&self) {
        self.requests_done.fetch_add(1, Ordering::Relaxed);
        self.emit(
            ProgressEvent::RequestDone,
            self.sent.load(Ordering::Relaxed),
        );
    }

    fn emit(&self, event: ProgressEvent, sent: u64) {
        if let Some(callback) = &self.callback {
            callback(&Progress {
                event,
                sent,
                total: self.total,
                requests_done: self.requests_done.load(Ordering::Relaxed),
                requests_total: self.requests_total.load(Ordering::Relaxed),
            });
        }
    }
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn a_restarted_file_is_counted_once() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let tracker = Tracker::new(
            Some(Arc::new(move |p: &Progress| sink.lock().unwrap().push(*p))),
            vec![10, 5],
        );
        tracker.file_bytes(0, 4);
        tracker.start_file(0);
        tracker.file_bytes(0, 10);
        tracker.file_bytes(1, 5);
        tracker.request_done();
        let last = *seen.lock().unwrap().last().unwrap();
        assert_eq!((last.sent, last.total), (15, 15));
        assert_eq!((last.requests_done, last.requests_total), (1, 1));
        assert_eq!(last.event, ProgressEvent::RequestDone);
    }
}
