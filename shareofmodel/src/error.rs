//! The crate's one error type, and the mapping from the generated client's errors into it.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use shareofmodel_client::ResponseValue;
use shareofmodel_client::multipart::create_assets;
use shareofmodel_client::progenitor_client;
use shareofmodel_client::types::ApiError;

use crate::retry;

/// How many bytes of an unexpected response body an error keeps.
const SNIPPET_BYTES: usize = 512;

/// How much of an undocumented error response is read to look for a JSON error body.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// How much of an undocumented success response is read to decode it anyway.
const SUCCESS_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// The response header that carries the server's request id, when it sends one.
const REQUEST_ID_HEADER: &str = "x-request-id";

/// Everything that can go wrong in this crate. Each variant says what failed, on which input,
/// and what to do about it; none ever contains a credential.
///
/// Whether a failed request may be sent again is part of the variant: only
/// [`Error::RateLimited`] and connection failures ([`Error::Transport`] with
/// [`TransportKind::Connect`], [`Error::Timeout`] with [`TimeoutPhase::Connect`]) are safe for an
/// upload, and the client already retries those within its [`RetryPolicy`](crate::RetryPolicy).
/// After [`Error::OutcomeUnknown`], list the workspace's assets before sending again.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input was refused before anything was sent.
    #[error("{input}: {problem}")]
    InvalidInput {
        /// Which input.
        input: Input,
        /// What is wrong with it, and how to fix it.
        problem: Problem,
    },

    /// The server refused the request as invalid (400), with Django REST Framework's field
    /// errors parsed.
    #[error("{operation}: the server rejected the request{}; fix the inputs named and send again{}", said(.detail.as_deref(), .errors), rid(.request_id.as_deref()))]
    Rejected {
        /// The operation, e.g. `create_assets`.
        operation: &'static str,
        /// The body's `detail` message, when it has one.
        detail: Option<String>,
        /// The per-field messages (`field` is `None` for `non_field_errors`).
        errors: Vec<FieldError>,
        /// The server's `x-request-id`, when it sent one.
        request_id: Option<String>,
    },

    /// The credentials were refused (401). `after_refresh` tells that a freshly exchanged
    /// token was refused too, so the API key itself is rejected.
    #[error("{operation}: the server refused the credentials{}; {}{}", said(.detail.as_deref(), &[]), if *.after_refresh { "a freshly exchanged token was refused too, so the API key is rejected: check it (console → API keys) and that it is not revoked" } else { "check the API key or token: it is missing, wrong or expired" }, rid(.request_id.as_deref()))]
    Unauthorized {
        /// The operation.
        operation: &'static str,
        /// The body's `detail` message.
        detail: Option<String>,
        /// Whether the client had just exchanged the key for a new token.
        after_refresh: bool,
        /// The server's `x-request-id`, when it sent one.
        request_id: Option<String>,
    },

    /// The credentials lack the permission (403).
    #[error("{operation}: the credentials lack permission for this organization or workspace{}; use a key with the needed role (workspace editor or higher to create){}", said(.detail.as_deref(), &[]), rid(.request_id.as_deref()))]
    Forbidden {
        /// The operation.
        operation: &'static str,
        /// The body's `detail` message.
        detail: Option<String>,
        /// The server's `x-request-id`, when it sent one.
        request_id: Option<String>,
    },

    /// The organization, workspace or asset does not exist (404).
    #[error("{operation}: not found{}; check the organization, workspace and asset ids{}", said(.detail.as_deref(), &[]), rid(.request_id.as_deref()))]
    NotFound {
        /// The operation.
        operation: &'static str,
        /// The body's `detail` message.
        detail: Option<String>,
        /// The server's `x-request-id`, when it sent one.
        request_id: Option<String>,
    },

    /// The request body is larger than the server accepts (413). Nothing was created.
    #[error("{operation}: the request is too large for the server; send fewer or smaller files per upload{}", rid(.request_id.as_deref()))]
    PayloadTooLarge {
        /// The operation.
        operation: &'static str,
        /// The server's `x-request-id`, when it sent one.
        request_id: Option<String>,
    },

    /// The server asked to wait (429, or 503 with `Retry-After`) for longer than the retry
    /// policy allows, or more often than it allows. Nothing was created.
    #[error("{operation}: the server asked to slow down ({status}){}; nothing was created, so send again {}{}", retry_after.map(|d| format!(" and to wait {} s", d.as_secs_f64().ceil())).unwrap_or_default(), retry_after.map(|_| "after that delay").unwrap_or("later"), rid(.request_id.as_deref()))]
    RateLimited {
        /// The operation.
        operation: &'static str,
        /// 429 or 503.
        status: StatusCode,
        /// The delay the server asked for, when it said one that could be read.
        retry_after: Option<Duration>,
        /// The server's `x-request-id`, when it sent one.
        request_id: Option<String>,
    },

    /// The server failed (5xx) on an operation that changes nothing, or whose repetition is
    /// harmless.
    #[error("{operation}: the server failed ({status}){}; retry later{}", said(.detail.as_deref(), &[]), rid(.request_id.as_deref()))]
    Server {
        /// The operation.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The body's `detail` message, or the start of a non-JSON body.
        detail: Option<String>,
        /// The server's `x-request-id`, when it sent one.
        request_id: Option<String>,
    },

    /// The request was sent, but whether the server acted on it is unknown (the connection
    /// broke or went idle after the body was sent, or the server failed with 500, 502, 503
    /// without `Retry-After` or 504). The client never repeats such a request by itself.
    #[error("{operation}: {cause}; the server may or may not have created {}: list the workspace's assets before sending again, or you may create duplicates{}", concerned(.inputs), rid(.request_id.as_deref()))]
    OutcomeUnknown {
        /// The operation.
        operation: &'static str,
        /// What happened.
        cause: String,
        /// The status, when the server answered with one.
        status: Option<StatusCode>,
        /// The inputs the request carried (text asset names, file paths).
        inputs: Vec<String>,
        /// The server's `x-request-id`, when it sent one.
        request_id: Option<String>,
    },

    /// No answer in time on an operation whose outcome does not matter (listing), or no
    /// connection in time (nothing was sent).
    #[error("{operation}: {}", match .phase { TimeoutPhase::Connect => "no connection could be made in time, so nothing was sent; check the base URL and network, or raise the connect timeout", TimeoutPhase::Idle => "the server stopped sending or reading for longer than the read timeout; retry, or raise the read timeout" })]
    Timeout {
        /// The operation.
        operation: &'static str,
        /// Whether connecting or waiting on an open connection timed out.
        phase: TimeoutPhase,
    },

    /// The server answered with another error status and a JSON error body.
    #[error("{operation}: the server answered {status}{}; {}{}", said(.detail.as_deref(), .errors), status_hint(*.status), rid(.request_id.as_deref()))]
    Http {
        /// The operation.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The body's `detail` message, when it has one.
        detail: Option<String>,
        /// The per-field messages.
        errors: Vec<FieldError>,
        /// The server's `x-request-id`, when it sent one.
        request_id: Option<String>,
    },

    /// The server answered with a status or body the API does not document (an HTML page
    /// from a proxy, say).
    #[error(
        "{operation}: the server answered {status} with a response the API does not document{}{}; body starts with: {body_snippet:?}. Check the base URL and any proxy in between",
        content_type.as_deref().map(|t| format!(" ({t})")).unwrap_or_default(),
        rid(.request_id.as_deref()),
    )]
    UnexpectedResponse {
        /// The operation.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The response's `Content-Type`.
        content_type: Option<String>,
        /// The first bytes of the body (up to 512), as text.
        body_snippet: String,
        /// The server's `x-request-id`, when it sent one.
        request_id: Option<String>,
    },

    /// A success response whose body could not be decoded. For an upload, the server did
    /// create the assets.
    #[error(
        "{operation}: the server answered {status} but its response could not be decoded ({problem}); body starts with: {body_snippet:?}. {}",
        if *.operation == create_assets::OPERATION_ID { "The assets were created: list the workspace's assets to see them, and do not send again" } else { "The API may have changed: check for a newer version of this crate" }
    )]
    InvalidResponse {
        /// The operation.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// What the decoder said.
        problem: String,
        /// The first bytes of the body (up to 512), as text.
        body_snippet: String,
    },

    /// The request could not be sent, or its response could not be received.
    #[error("{operation}: {message}; {}", kind.hint())]
    Transport {
        /// The operation.
        operation: &'static str,
        /// What failed, from the HTTP stack (URLs removed).
        message: String,
        /// When it failed.
        kind: TransportKind,
    },

    /// The client is configured wrongly.
    #[error("{setting}: {problem}")]
    Config {
        /// The setting concerned, e.g. `SHAREOFMODEL_API_KEY` or `base URL`.
        setting: String,
        /// What is wrong, and how to fix it.
        problem: String,
    },
}

/// Which wait timed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Establishing the connection: nothing was sent.
    Connect,
    /// Waiting on an open connection for the server to read or answer.
    Idle,
}

impl Error {
    pub(crate) fn config(setting: impl Into<String>, problem: impl Into<String>) -> Self {
        Self::Config {
            setting: setting.into(),
            problem: problem.into(),
        }
    }

    pub(crate) fn invalid(input: Input, problem: Problem) -> Self {
        Self::InvalidInput { input, problem }
    }

    /// A short name of the variant, for logs.
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Self::InvalidInput { .. } => "invalid_input",
            Self::Rejected { .. } => "rejected",
            Self::Unauthorized { .. } => "unauthorized",
            Self::Forbidden { .. } => "forbidden",
            Self::NotFound { .. } => "not_found",
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::RateLimited { .. } => "rate_limited",
            Self::Server { .. } => "server",
            Self::OutcomeUnknown { .. } => "outcome_unknown",
            Self::Timeout { .. } => "timeout",
            Self::Http { .. } => "http",
            Self::UnexpectedResponse { .. } => "unexpected_response",
            Self::InvalidResponse { .. } => "invalid_response",
            Self::Transport { .. } => "transport",
            Self::Config { .. } => "config",
        }
    }

    /// The HTTP status, when the error comes from a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Rejected { .. } => Some(StatusCode::BAD_REQUEST),
            Self::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            Self::Forbidden { .. } => Some(StatusCode::FORBIDDEN),
            Self::NotFound { .. } => Some(StatusCode::NOT_FOUND),
            Self::PayloadTooLarge { .. } => Some(StatusCode::PAYLOAD_TOO_LARGE),
            Self::RateLimited { status, .. }
            | Self::Server { status, .. }
            | Self::Http { status, .. }
            | Self::UnexpectedResponse { status, .. }
            | Self::InvalidResponse { status, .. } => Some(*status),
            Self::OutcomeUnknown { status, .. } => *status,
            _ => None,
        }
    }

    /// The server's request id, when the error comes from a response that carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Rejected { request_id, .. }
            | Self::Unauthorized { request_id, .. }
            | Self::Forbidden { request_id, .. }
            | Self::NotFound { request_id, .. }
            | Self::PayloadTooLarge { request_id, .. }
            | Self::RateLimited { request_id, .. }
            | Self::Server { request_id, .. }
            | Self::OutcomeUnknown { request_id, .. }
            | Self::Http { request_id, .. }
            | Self::UnexpectedResponse { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// Whether the server may have acted on the request although it failed: the one case
    /// where sending it again can create duplicates.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Self::OutcomeUnknown { .. })
    }

    /// Attaches the inputs an unknown outcome concerns.
    pub(crate) fn with_inputs(mut self, labels: impl FnOnce() -> Vec<String>) -> Self {
        if let Self::OutcomeUnknown { inputs, .. } = &mut self {
            *inputs = labels();
        }
        self
    }
}

/// `: what the server said` for a message, or nothing.
fn said(detail: Option<&str>, errors: &[FieldError]) -> String {
    let mut parts: Vec<String> = detail.map(str::to_owned).into_iter().collect();
    parts.extend(errors.iter().map(FieldError::to_string));
    if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join("; "))
    }
}

fn rid(request_id: Option<&str>) -> String {
    request_id
        .map(|id| format!(" (request id {id})"))
        .unwrap_or_default()
}

fn concerned(inputs: &[String]) -> String {
    if inputs.is_empty() {
        "what it was sent".to_owned()
    } else {
        format!("the assets for {}", inputs.join(", "))
    }
}

fn status_hint(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400..=499 => "fix the request as the message says and send again",
        _ => "see the message above",
    }
}

/// One message of an error body: `field` is the field path (`tags[0]`, `assets[1].name`), or
/// `None` for errors not tied to a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field path, `None` for `non_field_errors`.
    pub field: Option<String>,
    /// The server's message.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Where a request failed on the way, which says whether the server may have acted on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection could be made: the server received nothing, so sending again is safe.
    Connect,
    /// The request body could not be produced (a file read failed mid-upload), so the request
    /// was cut short and the server cannot have accepted it.
    Body,
    /// Anything else after the connection was made, on an operation that changes nothing.
    Other,
}

impl TransportKind {
    fn hint(self) -> &'static str {
        match self {
            Self::Connect => {
                "nothing reached the server; check the base URL and your network, then retry"
            }
            Self::Body => {
                "the request was cut short, so the server cannot have accepted it; fix the file and retry"
            }
            Self::Other => "retry; if it persists, check the base URL and any proxy",
        }
    }
}

/// The input an [`Error::InvalidInput`] is about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Input {
    /// The request as a whole.
    Request,
    /// A file, by position among the upload's files and the path (or name) it was given as.
    File {
        /// Position among the upload's files, from 0.
        index: usize,
        /// The path as given, or the filename for in-memory files.
        name: String,
    },
    /// A plain-text asset, by position and name.
    TextAsset {
        /// Position among the upload's text assets, from 0.
        index: usize,
        /// Its name as given.
        name: String,
    },
    /// A tag, by position and value.
    Tag {
        /// Position among the upload's tags, from 0.
        index: usize,
        /// The tag as given.
        value: String,
    },
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Request => f.write_str("upload"),
            // A path is shown whole: its end (the file name) is what tells files apart.
            Self::File { index, name } => {
                write!(f, "file {name:?} ({}[{index}])", create_assets::files::NAME)
            }
            Self::TextAsset { index, name } => write!(
                f,
                "text asset {:?} ({}[{index}])",
                shorten(name),
                create_assets::assets::NAME
            ),
            Self::Tag { index, value } => write!(
                f,
                "tag {:?} ({}[{index}])",
                shorten(value),
                create_assets::tags::NAME
            ),
        }
    }
}

/// How a file's media type was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaTypeSource {
    /// Given by the caller (`file_as`, `bytes_as`).
    Override,
    /// Sniffed from the first bytes of the content.
    Content,
    /// Guessed from the filename's extension.
    Extension,
    /// Nothing else applied: `application/octet-stream`.
    Default,
}

impl fmt::Display for MediaTypeSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Override => "as given",
            Self::Content => "detected from its content",
            Self::Extension => "guessed from its extension",
            Self::Default => "its content and extension are not recognised",
        })
    }
}

/// What is wrong with an input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The request has neither text assets nor files.
    NothingToSend {
        /// The fields of which at least one must carry a value.
        fields: &'static [&'static str],
    },
    /// A list has more items than one request allows.
    TooManyItems {
        /// The field.
        field: &'static str,
        /// The most allowed.
        max: usize,
        /// How many were given.
        actual: usize,
    },
    /// A non-empty list has fewer items than the minimum.
    TooFewItems {
        /// The field.
        field: &'static str,
        /// The fewest allowed.
        min: usize,
        /// How many were given.
        actual: usize,
    },
    /// A value is longer than allowed (counted in characters).
    TooLong {
        /// The property of the item (`name`, `content`), `None` for plain values such as tags.
        property: Option<&'static str>,
        /// The most characters allowed.
        max: usize,
        /// Its length in characters.
        actual: usize,
    },
    /// A value is shorter than allowed (counted in characters).
    TooShort {
        /// The property of the item, `None` for plain values.
        property: Option<&'static str>,
        /// The fewest characters allowed.
        min: usize,
        /// Its length in characters.
        actual: usize,
    },
    /// A required property is missing.
    MissingProperty {
        /// The property.
        property: &'static str,
    },
    /// The file's media type is not one the API accepts.
    MediaTypeNotAccepted {
        /// The file's media type.
        media_type: String,
        /// How it was decided.
        determined_by: MediaTypeSource,
        /// What the API accepts.
        accepted: &'static [&'static str],
    },
    /// The given media type is not a valid `type/subtype`.
    InvalidMediaType {
        /// The value given.
        media_type: String,
    },
    /// Nothing exists at the path.
    NotFound,
    /// The path is a directory or another kind of non-regular file.
    NotAFile {
        /// What it is instead, e.g. `a directory`.
        kind: &'static str,
    },
    /// The file exists but cannot be opened or read.
    Unreadable {
        /// The operating system's reason.
        reason: String,
    },
    /// The file has zero bytes.
    EmptyFile,
    /// The path has no final file name component (e.g. `..` or `/`).
    NoFileName,
    /// The file name is not valid UTF-8, so it cannot be sent as a filename.
    FileNameNotUtf8,
    /// The file name contains a control character (CR, LF, NUL, ...).
    FileNameControlCharacter {
        /// The character.
        character: char,
    },
    /// An in-memory file's name is empty or contains a path separator.
    FileNameNotABaseName,
    /// A reader's length is unknown and spooling it to a temporary file was turned off.
    UnknownLength,
    /// A rule of the API not listed above (from a newer generated client).
    Other {
        /// The rule's own message.
        message: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = |property: &Option<&str>| match property {
            Some(property) => format!("its {property}"),
            None => "it".to_owned(),
        };
        match self {
            Self::NothingToSend { fields } => write!(
                f,
                "nothing to send: add at least one of {} (a text asset or a file)",
                fields.join(", ")
            ),
            Self::TooManyItems { field, max, actual } => write!(
                f,
                "{actual} {field} given but at most {max} are allowed in one request; split them over several uploads"
            ),
            Self::TooFewItems { field, min, actual } => write!(
                f,
                "{actual} {field} given but at least {min} are needed when any are given"
            ),
            Self::TooLong {
                property,
                max,
                actual,
            } => write!(
                f,
                "{} is {actual} characters long but at most {max} are allowed; shorten it",
                what(property)
            ),
            Self::TooShort {
                property,
                min,
                actual,
            } => write!(
                f,
                "{} is {actual} characters long but at least {min} are needed",
                what(property)
            ),
            Self::MissingProperty { property } => write!(f, "its {property} is missing"),
            Self::MediaTypeNotAccepted {
                media_type,
                determined_by,
                accepted,
            } => {
                write!(
                    f,
                    "its media type is {media_type:?} ({determined_by}), which the API does not \
                     accept; convert it to one of: {}",
                    accepted.join(", ")
                )?;
                if media_type.starts_with("text/") {
                    f.write_str("; or send its text as a text asset (Upload::text)")?;
                }
                Ok(())
            }
            Self::InvalidMediaType { media_type } => write!(
                f,
                "{media_type:?} is not a valid media type; give one like image/png"
            ),
            Self::NotFound => f.write_str("no such file; check the path"),
            Self::NotAFile { kind } => {
                write!(f, "this is {kind}, not a regular file; give a file's path")
            }
            Self::Unreadable { reason } => write!(
                f,
                "the file cannot be read ({reason}); check its permissions"
            ),
            Self::EmptyFile => f.write_str(
                "the file is empty (0 bytes); the API cannot create an asset from nothing",
            ),
            Self::NoFileName => f.write_str("the path does not end in a file name"),
            Self::FileNameNotUtf8 => {
                f.write_str("the file name is not valid UTF-8 and cannot be sent; rename the file")
            }
            Self::FileNameControlCharacter { character } => write!(
                f,
                "the file name contains the control character U+{:04X}, which cannot be sent; rename the file",
                u32::from(*character)
            ),
            Self::UnknownLength => f.write_str(
                "its length is unknown and spooling is off; the API needs a Content-Length, so \
                 turn spooling on (Upload::spool_readers(true)) or give a file path",
            ),
            Self::FileNameNotABaseName => {
                f.write_str("give a file name (not empty, without `/`), not a path")
            }
            Self::Other { message } => f.write_str(message),
        }
    }
}

/// At most 40 characters of a user-supplied value, for messages.
fn shorten(value: &str) -> String {
    const MAX: usize = 40;
    if value.chars().count() <= MAX {
        value.to_owned()
    } else {
        let mut out: String = value.chars().take(MAX).collect();
        out.push('…');
        out
    }
}

/// Replaces every credential wherever a server may have echoed it.
#[derive(Clone, Default)]
pub(crate) struct Redactor(pub Vec<String>);

impl Redactor {
    /// Replaces every form of every secret a server may echo: as given, trimmed, and escaped
    /// the way JSON escapes it (`"`, `\\`, and `/` as `\\/`). Secrets shorter than 4
    /// characters are not real credentials, and replacing them would garble every message.
    pub fn apply(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.0 {
            for form in forms(secret) {
                if form.chars().count() >= 4 {
                    out = out.replace(&form, "***");
                }
            }
        }
        out
    }

    /// The first bytes of a body as text, with the secrets removed before it is cut (a cut
    /// secret would no longer be recognised).
    pub fn snippet(&self, body: &[u8]) -> String {
        snippet(self.apply(&String::from_utf8_lossy(body)).as_bytes())
    }
}

fn forms(secret: &str) -> Vec<String> {
    let mut forms = vec![secret.to_owned(), secret.trim().to_owned()];
    if let Ok(json) = serde_json::to_string(secret) {
        let escaped = json.trim_matches('"').to_owned();
        forms.push(escaped.replace('/', "\\/"));
        forms.push(escaped);
    }
    // Longest first, so that a longer form is not half-replaced by a shorter one.
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    forms.dedup();
    forms
}

/// What a successful call yields, with what the log line needs.
pub(crate) struct Success<T> {
    pub value: T,
    pub status: StatusCode,
    pub request_id: Option<String>,
}

/// Turns a generated call's result into the wrapper's, reading what an error body has to say.
///
/// A success status the API does not document (a `200` where `201` is documented) whose body
/// decodes as the documented type is accepted: the server did the work, and failing would
/// invite a retry that repeats it.
pub(crate) async fn finish<T: DeserializeOwned>(
    operation: &'static str,
    redact: &Redactor,
    result: Result<ResponseValue<T>, progenitor_client::Error<ApiError>>,
    decode_hint: fn(&[u8]) -> Option<String>,
) -> Result<Success<T>, Error> {
    use progenitor_client::Error as E;
    let err = match result {
        Ok(value) => {
            let status = value.status();
            let request_id = request_id(value.headers(), redact);
            return Ok(Success {
                value: value.into_inner(),
                status,
                request_id,
            });
        }
        Err(err) => err,
    };
    Err(match err {
        E::ErrorResponse(value) => {
            let status = value.status();
            let headers = value.headers().clone();
            let body = value.into_inner();
            from_status(operation, status, &headers, Body::Json(body), redact)
        }
        E::InvalidResponsePayload(bytes, error) => Error::InvalidResponse {
            operation,
            // progenitor only decodes documented success bodies, and does not keep the
            // status: for a create that is 201, for the others 200.
            status: if operation == create_assets::OPERATION_ID {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            },
            problem: redact.apply(&decode_hint(&bytes).unwrap_or_else(|| error.to_string())),
            body_snippet: redact.snippet(&bytes),
        },
        E::UnexpectedResponse(response) => {
            return unexpected(operation, redact, response).await;
        }
        E::ResponseBodyError(error) if operation == create_assets::OPERATION_ID => {
            // The status was a success: the assets exist, only their description was lost.
            Error::InvalidResponse {
                operation,
                status: StatusCode::CREATED,
                problem: redact.apply(&describe(&error)),
                body_snippet: String::new(),
            }
        }
        E::CommunicationError(error) | E::ResponseBodyError(error) | E::InvalidUpgrade(error) => {
            transport(operation, redact, error)
        }
        E::InvalidRequest(message) | E::Custom(message) => {
            Error::config("request", redact.apply(&message))
        }
    })
}

/// An error body: decoded by the generated client, or raw bytes read here.
enum Body {
    Json(ApiError),
    Raw {
        bytes: Vec<u8>,
        content_type: Option<String>,
    },
}

/// The error a status stands for, whatever the body.
fn from_status(
    operation: &'static str,
    status: StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: Body,
    redact: &Redactor,
) -> Error {
    let request_id = request_id(headers, redact);
    let (api_error, raw) = match body {
        Body::Json(api_error) => (Some(api_error), None),
        Body::Raw {
            bytes,
            content_type,
        } => match serde_json::from_slice::<ApiError>(&bytes) {
            Ok(api_error) => (Some(api_error), None),
            Err(_) => (None, Some((bytes, content_type))),
        },
    };
    let detail = api_error
        .as_ref()
        .and_then(|e| e.detail.as_deref())
        .map(|d| redact.apply(d));
    let creates = operation == create_assets::OPERATION_ID;
    let retry_after = headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok());

    match status.as_u16() {
        400 if api_error.is_some() => Error::Rejected {
            operation,
            detail,
            errors: field_errors(api_error.as_ref(), redact),
            request_id,
        },
        401 => Error::Unauthorized {
            operation,
            detail,
            after_refresh: false,
            request_id,
        },
        403 => Error::Forbidden {
            operation,
            detail,
            request_id,
        },
        404 => Error::NotFound {
            operation,
            detail,
            request_id,
        },
        413 => Error::PayloadTooLarge {
            operation,
            request_id,
        },
        429 => Error::RateLimited {
            operation,
            status,
            retry_after: retry_after.and_then(retry::parse_retry_after),
            request_id,
        },
        503 if retry_after.is_some() => Error::RateLimited {
            operation,
            status,
            retry_after: retry_after.and_then(retry::parse_retry_after),
            request_id,
        },
        500..=599 if creates => Error::OutcomeUnknown {
            operation,
            cause: format!(
                "the server failed ({status}){}",
                detail
                    .map(|d| format!(": {d}"))
                    .or_else(|| raw.as_ref().map(|(bytes, _)| format!(
                        "; body starts with: {:?}",
                        redact.snippet(bytes)
                    )))
                    .unwrap_or_default()
            ),
            status: Some(status),
            inputs: Vec::new(),
            request_id,
        },
        500..=599 => Error::Server {
            operation,
            status,
            detail: detail.or_else(|| raw.as_ref().map(|(bytes, _)| redact.snippet(bytes))),
            request_id,
        },
        _ => match (api_error, raw) {
            (Some(api_error), _) => Error::Http {
                operation,
                status,
                detail,
                errors: field_errors(Some(&api_error), redact),
                request_id,
            },
            (None, Some((bytes, content_type))) => Error::UnexpectedResponse {
                operation,
                status,
                content_type,
                body_snippet: redact.snippet(&bytes),
                request_id,
            },
            (None, None) => Error::UnexpectedResponse {
                operation,
                status,
                content_type: None,
                body_snippet: String::new(),
                request_id,
            },
        },
    }
}

async fn unexpected<T: DeserializeOwned>(
    operation: &'static str,
    redact: &Redactor,
    mut response: reqwest::Response,
) -> Result<Success<T>, Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|t| redact.apply(t));
    let limit = if status.is_success() {
        SUCCESS_BODY_LIMIT
    } else {
        ERROR_BODY_LIMIT
    };

    let mut body = Vec::new();
    let mut complete = true;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    complete = false;
                    break;
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(error) if body.is_empty() && !status.is_success() => {
                return Err(transport(operation, redact, error));
            }
            Err(_) => {
                complete = false;
                break;
            }
        }
    }

    if status.is_success() {
        if complete && let Ok(value) = serde_json::from_slice::<T>(&body) {
            tracing::warn!(
                operation,
                status = status.as_u16(),
                "the server answered with a success status the API does not document; the body was accepted"
            );
            return Ok(Success {
                value,
                status,
                request_id: request_id(&headers, redact),
            });
        }
        return Err(Error::UnexpectedResponse {
            operation,
            status,
            content_type,
            body_snippet: redact.snippet(&body),
            request_id: request_id(&headers, redact),
        });
    }
    Err(from_status(
        operation,
        status,
        &headers,
        Body::Raw {
            bytes: body,
            content_type,
        },
        redact,
    ))
}

fn field_errors(body: Option<&ApiError>, redact: &Redactor) -> Vec<FieldError> {
    let Some(body) = body else {
        return Vec::new();
    };
    let mut errors = Vec::new();
    for message in &body.non_field_errors {
        errors.push(FieldError {
            field: None,
            message: redact.apply(message),
        });
    }
    for (field, value) in &body.extra {
        flatten(field.clone(), value, 0, &mut errors, redact);
    }
    errors
}

/// DRF error bodies nest: `{"tags": {"0": ["..."]}}`, `{"assets": [{}, {"name": ["..."]}]}`.
fn flatten(
    path: String,
    value: &serde_json::Value,
    depth: usize,
    out: &mut Vec<FieldError>,
    redact: &Redactor,
) {
    use serde_json::Value;
    const MAX_DEPTH: usize = 8;
    let push = |out: &mut Vec<FieldError>, message: String| {
        out.push(FieldError {
            field: Some(redact.apply(&path)),
            message: redact.apply(&message),
        });
    };
    match value {
        Value::String(message) => push(out, message.clone()),
        _ if depth >= MAX_DEPTH => push(out, value.to_string()),
        Value::Array(items) if items.iter().all(|i| i.is_string()) => {
            for item in items {
                push(out, item.as_str().unwrap_or_default().to_owned());
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                flatten(format!("{path}[{index}]"), item, depth + 1, out, redact);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let child = if key.bytes().all(|b| b.is_ascii_digit()) && !key.is_empty() {
                    format!("{path}[{key}]")
                } else if key == "non_field_errors" {
                    path.clone()
                } else {
                    format!("{path}.{key}")
                };
                flatten(child, item, depth + 1, out, redact);
            }
        }
        Value::Null => {}
        other => push(out, other.to_string()),
    }
}

/// The error chain as one line, without URLs.
fn describe(error: &reqwest::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

pub(crate) fn transport(
    operation: &'static str,
    redact: &Redactor,
    error: reqwest::Error,
) -> Error {
    let error = error.without_url();
    let creates = operation == create_assets::OPERATION_ID;
    if error.is_connect() {
        if error.is_timeout() {
            return Error::Timeout {
                operation,
                phase: TimeoutPhase::Connect,
            };
        }
        return Error::Transport {
            operation,
            message: redact.apply(&describe(&error)),
            kind: TransportKind::Connect,
        };
    }
    if body_source_failed(&error) {
        return Error::Transport {
            operation,
            message: redact.apply(&describe(&error)),
            kind: TransportKind::Body,
        };
    }
    if creates {
        let cause = if error.is_timeout() {
            "the server went quiet for longer than the read timeout".to_owned()
        } else {
            format!("the connection failed: {}", redact.apply(&describe(&error)))
        };
        return Error::OutcomeUnknown {
            operation,
            cause,
            status: None,
            inputs: Vec::new(),
            request_id: None,
        };
    }
    if error.is_timeout() {
        return Error::Timeout {
            operation,
            phase: TimeoutPhase::Idle,
        };
    }
    Error::Transport {
        operation,
        message: redact.apply(&describe(&error)),
        kind: TransportKind::Other,
    }
}

/// Whether a body error came from our side (a file that could not be read), which means the
/// request was cut short and the server cannot have accepted it.
fn body_source_failed(error: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if cause.is::<crate::upload::SourceError>() {
            return true;
        }
        // An `io::Error` hides the error it wraps from `source()`; look inside it.
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io
                .get_ref()
                .is_some_and(|inner| inner.is::<crate::upload::SourceError>())
        {
            return true;
        }
        source = cause.source();
    }
    false
}

fn request_id(headers: &reqwest::header::HeaderMap, redact: &Redactor) -> Option<String> {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|id| redact.apply(id))
}

/// The first [`SNIPPET_BYTES`] of a body as text, cut on a character boundary.
fn snippet(body: &[u8]) -> String {
    let mut end = body.len().min(SNIPPET_BYTES);
    if end < body.len() {
        // Step back to the start of a UTF-8 sequence rather than cut one in half.
        while end > 0 && body[end] & 0xC0 == 0x80 {
            end -= 1;
        }
    }
    let text = String::from_utf8_lossy(&body[..end]).into_owned();
    if body.len() > SNIPPET_BYTES {
        format!("{text}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_drf_errors_flatten() {
        let body: ApiError = serde_json::from_value(serde_json::json!({
            "detail": "Bad",
            "non_field_errors": ["Nothing to create."],
            "tags": {"0": ["Too long."]},
            "assets": [{}, {"name": ["Required."]}],
        }))
        .unwrap();
        let Error::Rejected { errors, .. } = from_status(
            "op",
            StatusCode::BAD_REQUEST,
            &Default::default(),
            Body::Json(body),
            &Redactor::default(),
        ) else {
            panic!("not a rejection");
        };
        let rendered: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(
            rendered.contains(&"Nothing to create.".to_owned()),
            "{rendered:?}"
        );
        assert!(
            rendered.contains(&"tags[0]: Too long.".to_owned()),
            "{rendered:?}"
        );
        assert!(
            rendered.contains(&"assets[1].name: Required.".to_owned()),
            "{rendered:?}"
        );
    }

    #[test]
    fn snippets_cut_on_char_boundaries() {
        let body = "é".repeat(600);
        let s = snippet(body.as_bytes());
        assert!(s.ends_with('…'));
        assert!(!s.contains('\u{FFFD}'));
        assert!(s.len() <= SNIPPET_BYTES + '…'.len_utf8());
    }

    #[test]
    fn echoed_secrets_are_redacted() {
        let body: ApiError =
            serde_json::from_value(serde_json::json!({"detail": "bad key k3y-secret"})).unwrap();
        let err = from_status(
            "op",
            StatusCode::UNAUTHORIZED,
            &Default::default(),
            Body::Json(body),
            &Redactor(vec!["k3y-secret".to_owned()]),
        );
        assert!(matches!(err, Error::Unauthorized { .. }));
        assert!(!format!("{err} {err:?}").contains("k3y-secret"));
    }
}
