//! What the sandbox saw on the wire, for tests to assert on.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::Serialize;

/// What replaces the credentials in recorded headers.
pub const REDACTED: &str = "<redacted>";

/// One request the sandbox received on any route except its own `/sandbox/…` routes.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The path, exactly as received (still percent-encoded).
    pub path: String,
    /// The raw query string without `?`, when there was one.
    pub query: Option<String>,
    /// `HTTP/1.1`, `HTTP/2.0`, ...
    pub http_version: String,
    /// Every header in the order received; the credentials header's secret is [`REDACTED`]
    /// (a `Bearer ` prefix is kept, so the scheme stays visible).
    pub headers: Vec<(String, String)>,
    /// How the credentials were sent.
    pub authorization: AuthorizationSeen,
    /// Which secret the credentials carried: the key, a token the sandbox issued, or neither.
    pub credential: CredentialSeen,
    /// The `Content-Length` header's value, when it was sent and was a number.
    pub content_length: Option<u64>,
    /// Whether the body came with `Transfer-Encoding: chunked`.
    pub chunked: bool,
    /// The operationId the route belongs to, `None` for unknown routes.
    pub operation: Option<String>,
    /// The status the sandbox answered; `0` when it sent no response at all (a [`crate::Fault`]
    /// dropped the connection, or the request was cut short by the client or a shutdown).
    pub status: u16,
    /// The multipart parts in order, when the body was read as multipart. A request rejected
    /// before its body was read (no credentials, unknown workspace...) has `None`.
    pub parts: Option<Vec<RecordedPart>>,
    /// A non-multipart body that was read (the archive call's JSON), as text.
    pub body: Option<String>,
    /// The JSON the sandbox answered with (issued tokens replaced by [`REDACTED`]). Under a
    /// fault that mangles the answer ([`crate::Fault::TruncatedJson`],
    /// [`crate::Fault::WrongContentType`]) it is the document before mangling.
    pub response: Option<serde_json::Value>,
    /// The [`crate::Fault`] applied to this request, as its `Display` text (for example
    /// `status(503)` or `reset_after_body(create=true)`); `None` for a normal request.
    pub fault: Option<String>,
}

impl RecordedRequest {
    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The recorded parts named `name`, in order.
    pub fn parts_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a RecordedPart> {
        self.parts
            .iter()
            .flatten()
            .filter(move |p| p.name.as_deref() == Some(name))
    }
}

/// How the credentials header was sent. The secret itself is never kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorizationSeen {
    /// No credentials header.
    Missing,
    /// The value without a scheme (as the reference's curl sample sends it).
    Raw {
        /// Whether it was the sandbox's key.
        valid: bool,
    },
    /// `Bearer <value>`.
    Bearer {
        /// Whether the value was the sandbox's key or a live token it issued.
        valid: bool,
    },
}

/// Which secret the credentials header carried. The secret itself is never kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CredentialSeen {
    /// No credentials header.
    Missing,
    /// The sandbox's API key.
    ApiKey,
    /// A token the sandbox issued that had not expired.
    Token,
    /// A token the sandbox issued that had expired (or was expired by
    /// [`crate::Sandbox::expire_tokens`]).
    ExpiredToken,
    /// Anything else.
    Unknown,
}

/// One part of a multipart body, as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RecordedPart {
    /// The `name` parameter of its `Content-Disposition` (a `name*=` form is decoded).
    pub name: Option<String>,
    /// The `filename` parameter, unquoted and unescaped; UTF-8 is kept as sent.
    pub filename: Option<String>,
    /// The raw `Content-Disposition` header (invalid UTF-8 replaced).
    pub content_disposition: Option<String>,
    /// The raw `Content-Type` header of the part.
    pub content_type: Option<String>,
    /// Every header of the part, in order.
    pub headers: Vec<(String, String)>,
    /// Number of bytes of the part's body.
    pub length: u64,
    /// SHA-256 of the part's body, lowercase hex.
    pub sha256: String,
    /// The body as text, for parts that are not files and are valid UTF-8.
    pub text: Option<String>,
}

/// Filled by handlers while the recording middleware waits for the response.
#[derive(Debug, Clone, Default)]
pub(crate) struct Slot(Arc<Mutex<SlotData>>);

#[derive(Debug, Default)]
pub(crate) struct SlotData {
    /// What the middleware saw of the request head; taken (once) when the request is recorded.
    pub draft: Option<(RecordedRequest, Instant)>,
    pub operation: Option<String>,
    pub parts: Option<Vec<RecordedPart>>,
    pub body: Option<String>,
    pub response: Option<serde_json::Value>,
    pub fault: Option<String>,
    /// Set by a fault with `create: false`: process the request as usual but store nothing.
    pub dry_run: bool,
}

impl Slot {
    pub fn with<R>(&self, f: impl FnOnce(&mut SlotData) -> R) -> R {
        f(&mut self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub fn dry_run(&self) -> bool {
        self.with(|d| d.dry_run)
    }
}

/// Lowercase hex of a digest.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
