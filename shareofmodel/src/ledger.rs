//! A local record of what was uploaded, so that a re-run of the same inputs skips what is
//! already there: one JSON object per line, appended as each request succeeds.
//!
//! Appending whole lines and syncing each one means a crash loses at most the line being
//! written; a torn or unreadable line is skipped with a warning when the ledger is opened,
//! never fatal.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::progress::hex;
use crate::{Error, Problem};

/// What the ledger remembers of one created asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LedgerEntry {
    /// The workspace it was created in.
    pub workspace_id: Uuid,
    /// `text` or `file`.
    pub kind: String,
    /// The text asset's name, or the file's name as sent.
    pub name: String,
    /// For files, the canonical path it was read from.
    pub path: Option<PathBuf>,
    /// SHA-256 of the content (the text, or the file's bytes as sent), lowercase hex.
    pub sha256: String,
    /// Size in bytes of the content.
    pub size: u64,
    /// For files, the modification time when it was sent (seconds and nanoseconds since the
    /// Unix epoch), which lets an unchanged file be recognised without reading it again.
    pub modified: Option<(u64, u32)>,
    /// The tags it was created with, sorted.
    pub tags: Vec<String>,
    /// The asset the server created.
    pub asset_id: Uuid,
    /// When it was recorded (RFC 3339).
    pub recorded_at: String,
}

/// A ledger file, loaded, and open for appending.
#[derive(Debug)]
pub struct Ledger {
    path: PathBuf,
    entries: Vec<LedgerEntry>,
    skipped_lines: usize,
}

impl Ledger {
    /// Opens (or creates) the ledger at `path`. Lines that cannot be read (a torn last line
    /// after a crash) are skipped and counted, see [`skipped_lines`](Self::skipped_lines).
    pub fn open(path: impl Into<PathBuf>) -> Result<Self, Error> {
        let path = path.into();
        let config = |problem: String| Error::config(format!("ledger {}", path.display()), problem);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| config(format!("its folder cannot be created: {e}")))?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)
            .map_err(|e| config(format!("cannot be opened: {e}; give a writable path")))?;
        let mut entries = Vec::new();
        let mut skipped_lines = 0;
        for line in std::io::BufReader::new(file).split(b'\n') {
            let line = line.map_err(|e| config(format!("cannot be read: {e}")))?;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match serde_json::from_slice::<LedgerEntry>(&line) {
                Ok(entry) => entries.push(entry),
                Err(_) => skipped_lines += 1,
            }
        }
        if skipped_lines > 0 {
            tracing::warn!(
                ledger = %path.display(),
                skipped_lines,
                "skipped unreadable ledger lines (a torn write after a crash?)"
            );
        }
        Ok(Self {
            path,
            entries,
            skipped_lines,
        })
    }

    /// Where the ledger lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every entry read or appended.
    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    /// How many unreadable lines were skipped when it was opened.
    pub fn skipped_lines(&self) -> usize {
        self.skipped_lines
    }

    /// Appends one entry as one line, synced to disk before returning.
    pub(crate) fn append(&mut self, entry: LedgerEntry) -> Result<(), Error> {
        let mut line = serde_json::to_vec(&entry)
            .map_err(|e| Error::config(format!("ledger {}", self.path.display()), e.to_string()))?;
        line.push(b'\n');
        let mut write = || -> std::io::Result<()> {
            use std::io::{Read, Seek, SeekFrom};
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .append(true)
                .open(&self.path)?;
            // A torn last line (a crash mid-write) must not swallow this one: start afresh.
            let length = file.metadata()?.len();
            if length > 0 {
                let mut last = [0u8; 1];
                file.seek(SeekFrom::Start(length - 1))?;
                file.read_exact(&mut last)?;
                if last[0] != b'\n' {
                    line.insert(0, b'\n');
                }
            }
            file.write_all(&line)?;
            file.sync_data()
        };
        write().map_err(|e| {
            Error::config(
                format!("ledger {}", self.path.display()),
                format!(
                    "cannot be written: {e}; the asset {} was created but is not recorded",
                    entry.asset_id
                ),
            )
        })?;
        self.entries.push(entry);
        Ok(())
    }

    /// The entry for a text asset with this name, content and tags, if any.
    pub(crate) fn find_text(
        &self,
        workspace_id: Uuid,
        name: &str,
        content: &str,
        tags: &[String],
    ) -> Option<&LedgerEntry> {
        let sha = sha256_hex(content.as_bytes());
        let tags = sorted(tags);
        self.entries.iter().rev().find(|e| {
            e.workspace_id == workspace_id
                && e.kind == "text"
                && e.name == name
                && e.sha256 == sha
                && e.tags == tags
        })
    }

    /// The entry for a file with this name, tags and content, if any. An entry for the same
    /// path, size and modification time is trusted without reading the file; one with the
    /// same size but another time is compared by hashing the file (one read, no upload).
    pub(crate) fn find_file(
        &self,
        workspace_id: Uuid,
        path: &Path,
        name: &str,
        tags: &[String],
    ) -> Result<Option<&LedgerEntry>, Problem> {
        let metadata = std::fs::metadata(path).map_err(|e| Problem::Unreadable {
            reason: e.to_string(),
        })?;
        let canonical = std::fs::canonicalize(path).ok();
        let modified = modified(&metadata);
        let tags = sorted(tags);
        let candidates: Vec<&LedgerEntry> = self
            .entries
            .iter()
            .rev()
            .filter(|e| {
                e.workspace_id == workspace_id
                    && e.kind == "file"
                    && e.name == name
                    && e.size == metadata.len()
                    && e.tags == tags
            })
            .collect();
        if let Some(entry) = candidates
            .iter()
            .find(|e| e.path == canonical && e.modified == modified && modified.is_some())
        {
            return Ok(Some(entry));
        }
        if candidates.is_empty() {
            return Ok(None);
        }
        let sha = hash_file(path)?;
        Ok(candidates.into_iter().find(|e| e.sha256 == sha))
    }
}

/// An entry for a text asset just created.
pub(crate) fn text_entry(
    workspace_id: Uuid,
    name: &str,
    content: &str,
    tags: &[String],
    asset_id: Uuid,
) -> LedgerEntry {
    LedgerEntry {
        workspace_id,
        kind: "text".to_owned(),
        name: name.to_owned(),
        path: None,
        sha256: sha256_hex(content.as_bytes()),
        size: content.len() as u64,
        modified: None,
        tags: sorted(tags),
        asset_id,
        recorded_at: chrono::Utc::now().to_rfc3339(),
    }
}

/// An entry for a file just created, with the hash computed while it was sent.
pub(crate) fn file_entry(
    workspace_id: Uuid,
    path: Option<&Path>,
    name: &str,
    sha256: String,
    size: u64,
    tags: &[String],
    asset_id: Uuid,
) -> LedgerEntry {
    let metadata = path.and_then(|p| std::fs::metadata(p).ok());
    LedgerEntry {
        workspace_id,
        kind: "file".to_owned(),
        name: name.to_owned(),
        path: path.and_then(|p| std::fs::canonicalize(p).ok()),
        sha256,
        size,
        modified: metadata.as_ref().and_then(modified),
        tags: sorted(tags),
        asset_id,
        recorded_at: chrono::Utc::now().to_rfc3339(),
    }
}

fn sorted(tags: &[String]) -> Vec<String> {
    let mut tags = tags.to_vec();
    tags.sort();
    tags.dedup();
    tags
}

fn modified(metadata: &std::fs::Metadata) -> Option<(u64, u32)> {
    let at = metadata.modified().ok()?;
    let since = at.duration_since(SystemTime::UNIX_EPOCH).ok()?;
    Some((since.as_secs(), since.subsec_nanos()))
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hash_file(path: &Path) -> Result<String, Problem> {
    let mut file = std::fs::File::open(path).map_err(|e| Problem::Unreadable {
        reason: e.to_string(),
    })?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let read =
            std::io::Read::read(&mut file, &mut buffer).map_err(|e| Problem::Unreadable {
                reason: e.to_string(),
            })?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_torn_last_line_is_skipped_and_appends_still_land() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        let ws = Uuid::new_v4();
        let mut ledger = Ledger::open(&path).unwrap();
        ledger
            .append(text_entry(ws, "a", "x", &["t".to_owned()], Uuid::new_v4()))
            .unwrap();
        drop(ledger);
        // A crash in the middle of the next line.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"workspace_id\":\"")
            .unwrap();

        let mut ledger = Ledger::open(&path).unwrap();
        assert_eq!(ledger.entries().len(), 1);
        assert_eq!(ledger.skipped_lines(), 1);
        assert!(ledger.find_text(ws, "a", "x", &["t".to_owned()]).is_some());
        assert!(ledger.find_text(ws, "a", "y", &["t".to_owned()]).is_none());
        ledger
            .append(text_entry(ws, "b", "y", &[], Uuid::new_v4()))
            .unwrap();
        let ledger = Ledger::open(&path).unwrap();
        assert_eq!(
            ledger.entries().len(),
            2,
            "the torn line did not swallow the next"
        );
    }
}
