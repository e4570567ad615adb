//! The assets the sandbox holds.

use std::path::PathBuf;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

/// One asset as the sandbox stores it.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct StoredAsset {
    /// The asset's id.
    pub id: Uuid,
    /// The text item's name, or the uploaded file's name.
    pub name: String,
    /// Where the sandbox serves the bytes: `{base_url}/sandbox/content/{id}`.
    pub content_url: String,
    /// `image`, `text` or `video` (the spec's enum).
    pub content_type: String,
    /// The text of a text item; empty for a file.
    pub content: String,
    /// Filled in responses only when the list call asks for emails.
    pub created_by_email: String,
    /// The content URL for images; empty for text and video (the sandbox makes no thumbnails).
    pub thumbnail_url: String,
    /// Set by the archive call.
    pub is_archived: bool,
    /// Always false: the API documents no delete operation.
    pub is_deleted: bool,
    /// The tags sent with the create call.
    pub tags: Vec<String>,
    /// When the sandbox created it.
    pub created_at: DateTime<Utc>,
    /// The sandbox's fixed user.
    pub created_by: Uuid,
    /// The media type the bytes are served with (sniffed from file content, or
    /// `text/plain; charset=utf-8` for text items).
    pub media_type: String,
    /// For files: the filename as sent. `None` for text items.
    pub file_name: Option<String>,
    /// Number of bytes stored.
    pub size: u64,
    /// SHA-256 of the stored bytes, lowercase hex.
    pub sha256: String,
    #[serde(skip)]
    pub(crate) path: Option<PathBuf>,
}

impl StoredAsset {
    /// The asset as the API returns it, limited to the properties the spec declares.
    /// `include_email` fills `created_by_email` (else it is `null`).
    pub fn to_json(&self, properties: &[String], include_email: bool) -> Value {
        let mut out = Map::new();
        for p in properties {
            let value = match p.as_str() {
                "id" => Value::from(self.id.to_string()),
                "name" => Value::from(self.name.clone()),
                "content_url" => Value::from(self.content_url.clone()),
                "content_type" => Value::from(self.content_type.clone()),
                "content" => Value::from(self.content.clone()),
                "created_by_email" if include_email => Value::from(self.created_by_email.clone()),
                "created_by_email" => Value::Null,
                "thumbnail_url" => Value::from(self.thumbnail_url.clone()),
                "is_archived" => Value::from(self.is_archived),
                "is_deleted" => Value::from(self.is_deleted),
                "tags" => Value::from(self.tags.clone()),
                "created_at" => {
                    Value::from(self.created_at.to_rfc3339_opts(SecondsFormat::Micros, true))
                }
                "created_by" => Value::from(self.created_by.to_string()),
                // The spec loader refuses properties outside this list.
                _ => continue,
            };
            out.insert(p.clone(), value);
        }
        Value::Object(out)
    }
}
