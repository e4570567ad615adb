//! The crate's one error type, and the mapping from the generated client's errors into it.

use std::fmt;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use shareofmodel_client::ResponseValue;
use shareofmodel_client::multipart::create_assets;
use shareofmodel_client::progenitor_client;
use shareofmodel_client::types::ApiError;

use crate::Secret;

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

    /// The server answered with an error status and an error body it documents.
    #[error("{}", http_message(.operation, *.status, .detail.as_deref(), .code.as_deref(), .errors, .request_id.as_deref()))]
    Http {
        /// The operation, e.g. `create_assets`.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The body's `detail` message, when it has one.
        detail: Option<String>,
        /// The body's `code`, when it has one.
        code: Option<String>,
        /// The per-field messages (`field` is `None` for `non_field_errors`).
        errors: Vec<FieldError>,
        /// The server's `x-request-id`, when it sent one; quote it when reporting a problem.
        request_id: Option<String>,
    },

    /// The server answered with a status the API does not document and a body that is not a
    /// JSON error.
    #[error(
        "{operation}: the server answered {status} with a response the API does not document{}{}; body starts with: {body_snippet:?}",
        content_type.as_deref().map(|t| format!(" ({t})")).unwrap_or_default(),
        request_id.as_deref().map(|id| format!(", request id {id}")).unwrap_or_default(),
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

    /// A documented response whose body could not be decoded.
    #[error(
        "{operation}: the server's response could not be decoded ({problem}); body starts with: {body_snippet:?}. The API may have changed: check for a newer version of this crate"
    )]
    InvalidResponse {
        /// The operation.
        operation: &'static str,
        /// What the decoder said.
        problem: String,
        /// The first bytes of the body (up to 512), as text.
        body_snippet: String,
    },

    /// The request could not be sent, or its response could not be received.
    #[error("{operation}: {message}; {}", kind.hint(operation))]
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
            Self::Http { status, .. } | Self::UnexpectedResponse { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's request id, when the error comes from a response that carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Http { request_id, .. } | Self::UnexpectedResponse { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
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

/// When a request failed on the way, which says whether the server may have acted on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection could be made: the server received nothing, so a retry is safe.
    Connect,
    /// The connection went idle for longer than the read timeout.
    Timeout,
    /// The request body could not be produced (a file read failed mid-upload).
    Body,
    /// Anything else after the connection was made.
    Other,
}

impl TransportKind {
    fn hint(self, operation: &str) -> String {
        let creates = operation == create_assets::OPERATION_ID;
        match self {
            Self::Connect => {
                "nothing reached the server; check the base URL and your network, then retry"
                    .to_owned()
            }
            Self::Body => {
                "the request was cut short, so the server cannot have accepted it; fix the file and retry"
                    .to_owned()
            }
            Self::Timeout | Self::Other if creates => {
                "the server may or may not have created the assets: list them before retrying, \
                 or raise the read timeout for slow uploads"
                    .to_owned()
            }
            Self::Timeout => "the server did not answer in time; retry, or raise the read timeout".to_owned(),
            Self::Other => "retry; if it persists, check the base URL and any proxy".to_owned(),
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
            } => write!(
                f,
                "its media type is {media_type} ({determined_by}), which the API does not accept; \
                 convert it to one of: {}",
                accepted.join(", ")
            ),
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

fn http_message(
    operation: &str,
    status: StatusCode,
    detail: Option<&str>,
    code: Option<&str>,
    errors: &[FieldError],
    request_id: Option<&str>,
) -> String {
    let mut out = format!("{operation}: the server answered {status}");
    let mut said = Vec::new();
    if let Some(detail) = detail {
        said.push(match code {
            Some(code) => format!("{detail} ({code})"),
            None => detail.to_owned(),
        });
    }
    said.extend(errors.iter().map(FieldError::to_string));
    if !said.is_empty() {
        out.push_str(": ");
        out.push_str(&said.join("; "));
    }
    out.push_str("; ");
    out.push_str(status_hint(operation, status));
    if let Some(id) = request_id {
        out.push_str(&format!(" (request id {id})"));
    }
    out
}

fn status_hint(operation: &str, status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "fix the inputs named above and send again",
        401 => "check the credentials: the API key or token is missing, wrong or expired",
        403 => {
            "the credentials lack permission for this organization or workspace; use a key with the needed role"
        }
        404 => "check the organization, workspace and asset ids",
        408 | 504 if operation == create_assets::OPERATION_ID => {
            "the assets may or may not have been created: list them before retrying"
        }
        413 => "the request is too large; send fewer or smaller files per upload",
        429 => "too many requests; wait a little and retry",
        500..=599 if operation == create_assets::OPERATION_ID => {
            "the server failed, and the assets may or may not have been created: list them before retrying"
        }
        500..=599 => "the server failed; retry later",
        _ => "see the message above",
    }
}

/// Replaces the credential wherever a server may have echoed it.
#[derive(Clone, Copy)]
pub(crate) struct Redactor<'a>(pub Option<&'a Secret>);

impl Redactor<'_> {
    pub fn apply(&self, text: &str) -> String {
        match self.0 {
            Some(secret) if !secret.expose().is_empty() => text.replace(secret.expose(), "***"),
            _ => text.to_owned(),
        }
    }
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
    redact: Redactor<'_>,
    result: Result<ResponseValue<T>, progenitor_client::Error<ApiError>>,
    decode_hint: fn(&[u8]) -> Option<String>,
) -> Result<Success<T>, Error> {
    use progenitor_client::Error as E;
    let err = match result {
        Ok(value) => {
            let status = value.status();
            let request_id = request_id(value.headers());
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
            let request_id = request_id(value.headers());
            http_error(operation, status, request_id, value.into_inner(), redact)
        }
        E::InvalidResponsePayload(bytes, error) => Error::InvalidResponse {
            operation,
            problem: redact.apply(&decode_hint(&bytes).unwrap_or_else(|| error.to_string())),
            body_snippet: redact.apply(&snippet(&bytes)),
        },
        E::UnexpectedResponse(response) => {
            return unexpected(operation, redact, response).await;
        }
        E::CommunicationError(error) | E::ResponseBodyError(error) | E::InvalidUpgrade(error) => {
            transport(operation, redact, error)
        }
        E::InvalidRequest(message) | E::Custom(message) => {
            Error::config("request", redact.apply(&message))
        }
    })
}

async fn unexpected<T: DeserializeOwned>(
    operation: &'static str,
    redact: Redactor<'_>,
    mut response: reqwest::Response,
) -> Result<Success<T>, Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let request_id = request_id(&headers);
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
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
            Err(error) if body.is_empty() => return Err(transport(operation, redact, error)),
            Err(_) => {
                complete = false;
                break;
            }
        }
    }

    if complete
        && status.is_success()
        && let Ok(value) = serde_json::from_slice::<T>(&body)
    {
        tracing::warn!(
            operation,
            status = status.as_u16(),
            "the server answered with a success status the API does not document; the body was accepted"
        );
        return Ok(Success {
            value,
            status,
            request_id,
        });
    }
    if complete
        && !status.is_success()
        && let Ok(api_error) = serde_json::from_slice::<ApiError>(&body)
    {
        return Err(http_error(operation, status, request_id, api_error, redact));
    }
    Err(Error::UnexpectedResponse {
        operation,
        status,
        content_type,
        body_snippet: redact.apply(&snippet(&body)),
        request_id,
    })
}

fn http_error(
    operation: &'static str,
    status: StatusCode,
    request_id: Option<String>,
    body: ApiError,
    redact: Redactor<'_>,
) -> Error {
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
    Error::Http {
        operation,
        status,
        detail: body.detail.as_deref().map(|d| redact.apply(d)),
        code: body.code.as_deref().map(|c| redact.apply(c)),
        errors,
        request_id,
    }
}

/// DRF error bodies nest: `{"tags": {"0": ["..."]}}`, `{"assets": [{}, {"name": ["..."]}]}`.
fn flatten(
    path: String,
    value: &serde_json::Value,
    depth: usize,
    out: &mut Vec<FieldError>,
    redact: Redactor<'_>,
) {
    use serde_json::Value;
    const MAX_DEPTH: usize = 8;
    let push = |out: &mut Vec<FieldError>, message: String| {
        out.push(FieldError {
            field: Some(path.clone()),
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

pub(crate) fn transport(
    operation: &'static str,
    redact: Redactor<'_>,
    error: reqwest::Error,
) -> Error {
    let kind = if error.is_connect() {
        TransportKind::Connect
    } else if error.is_timeout() {
        TransportKind::Timeout
    } else if error.is_body() {
        TransportKind::Body
    } else {
        TransportKind::Other
    };
    let error = error.without_url();
    let mut parts = vec![error.to_string()];
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        source = cause.source();
    }
    Error::Transport {
        operation,
        message: redact.apply(&parts.join(": ")),
        kind,
    }
}

fn request_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
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
        let Error::Http { errors, .. } =
            http_error("op", StatusCode::BAD_REQUEST, None, body, Redactor(None))
        else {
            panic!("not an HTTP error");
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
        let secret = Secret::new("k3y");
        let body: ApiError =
            serde_json::from_value(serde_json::json!({"detail": "bad key k3y"})).unwrap();
        let err = http_error(
            "op",
            StatusCode::UNAUTHORIZED,
            None,
            body,
            Redactor(Some(&secret)),
        );
        assert!(!format!("{err} {err:?}").contains("k3y"));
    }
}
