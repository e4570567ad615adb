//! Scripted faults: what a flaky network, proxy or server does to a request, on demand.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde_json::Value;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::conn::Conn;
use crate::record::Slot;
use crate::server::{Shared, finish};

/// Something to do to one request instead of (or on top of) serving it normally. Queue faults
/// with [`crate::Sandbox::push_faults`]; each request of the operation takes the next one.
///
/// A fault applies before authentication and validation, as a proxy or a failing server would.
/// Where a fault lets the request be processed, `create: true` processes it normally (assets
/// are created and stored) and `create: false` processes it without storing anything (the
/// answer is what a create would have answered). Every faulted request is recorded, with
/// [`crate::RecordedRequest::fault`] set and `status` 0 when nothing was answered.
///
/// The connection-level faults drop the whole HTTP/1.1 connection the request came on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Reads the whole body, creates nothing, and answers `status` with `body` and, when given,
    /// a `Retry-After` header (seconds or an HTTP date, sent as is).
    Status {
        /// The status code, 200 to 599.
        status: u16,
        /// The `Retry-After` header's value.
        retry_after: Option<String>,
        /// The answer's body.
        body: FaultBody,
    },
    /// Answers without reading the body, then closes the connection, as a server refusing an
    /// upload early (413, 401) does. The client is typically still sending: depending on
    /// timing, it reads the answer or sees the connection reset.
    EarlyResponse {
        /// The status code, 200 to 599.
        status: u16,
        /// The answer's body.
        body: FaultBody,
    },
    /// Drops the connection (RST) right after the request head, reading no body and answering
    /// nothing.
    ResetBeforeBody,
    /// Reads `after_bytes` bytes of the body, then drops the connection (RST).
    ResetMidBody {
        /// How many body bytes to read first.
        after_bytes: u64,
    },
    /// Reads the whole body, processes it (see `create`), then drops the connection (RST)
    /// without answering: the client cannot know whether the assets were created.
    ResetAfterBody {
        /// Whether the processing stores what it creates.
        create: bool,
    },
    /// Reads and processes the body normally (assets are created), then waits `duration` before
    /// answering; a client with a shorter timeout gives up although the work was done. When the
    /// client closes the connection first, the request ends unanswered (recorded with status 0);
    /// a wait still running at shutdown drops the connection. `Duration::MAX` never answers.
    Stall {
        /// How long to hold the answer back.
        duration: Duration,
    },
    /// Reads `after_bytes` bytes of the body, stops reading for `duration`, then carries on
    /// normally.
    StallMidBody {
        /// How many body bytes to read before the pause.
        after_bytes: u64,
        /// How long to stop reading.
        duration: Duration,
    },
    /// Reads the body at about `bytes_per_sec`, then answers normally.
    SlowRead {
        /// The reading rate, at least 1.
        bytes_per_sec: u64,
    },
    /// Processes the request (see `create`) and answers with its normal status and
    /// `Content-Type: application/json`, but only the first half of the JSON document (with a
    /// matching `Content-Length`, so the HTTP message is complete and the JSON is not).
    TruncatedJson {
        /// Whether the processing stores what it creates.
        create: bool,
    },
    /// Processes the request (see `create`) and answers normally, but with
    /// `Content-Type: text/plain`.
    WrongContentType {
        /// Whether the processing stores what it creates.
        create: bool,
    },
}

/// The body of a [`Fault::Status`] or [`Fault::EarlyResponse`] answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultBody {
    /// A JSON document (`application/json`), such as a Django REST Framework
    /// `{"detail": "..."}`.
    Json(Value),
    /// An HTML page (`text/html; charset=utf-8`), such as a proxy's 502 page.
    Html(String),
    /// Any bytes with the given `Content-Type`.
    Raw {
        /// The `Content-Type` header's value.
        content_type: String,
        /// The body.
        bytes: Vec<u8>,
    },
    /// No body at all.
    Empty,
}

impl FaultBody {
    /// `{"detail": message}`, as Django REST Framework words its errors.
    pub fn detail(message: impl Into<String>) -> FaultBody {
        FaultBody::Json(crate::drf::detail(message))
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Status { status, .. } => write!(f, "status({status})"),
            Fault::EarlyResponse { status, .. } => write!(f, "early_response({status})"),
            Fault::ResetBeforeBody => f.write_str("reset_before_body"),
            Fault::ResetMidBody { after_bytes } => {
                write!(f, "reset_mid_body(after_bytes={after_bytes})")
            }
            Fault::ResetAfterBody { create } => write!(f, "reset_after_body(create={create})"),
            Fault::Stall { duration } => write!(f, "stall(duration={duration:?})"),
            Fault::StallMidBody {
                after_bytes,
                duration,
            } => write!(
                f,
                "stall_mid_body(after_bytes={after_bytes}, duration={duration:?})"
            ),
            Fault::SlowRead { bytes_per_sec } => {
                write!(f, "slow_read(bytes_per_sec={bytes_per_sec})")
            }
            Fault::TruncatedJson { create } => write!(f, "truncated_json(create={create})"),
            Fault::WrongContentType { create } => {
                write!(f, "wrong_content_type(create={create})")
            }
        }
    }
}

impl Fault {
    /// Why the sandbox could not carry this fault out, checked when it is queued so that
    /// serving it never fails.
    pub(crate) fn check(&self) -> Result<(), String> {
        let status = |s: u16| {
            if (200..=599).contains(&s) {
                Ok(())
            } else {
                Err(format!(
                    "status {s} is not a final HTTP status (200 to 599)"
                ))
            }
        };
        let body = |b: &FaultBody| match b {
            FaultBody::Raw { content_type, .. } => HeaderValue::from_str(content_type)
                .map(drop)
                .map_err(|_| format!("content type {content_type:?} is not a header value")),
            _ => Ok(()),
        };
        match self {
            Fault::Status {
                status: s,
                retry_after,
                body: b,
            } => {
                status(*s)?;
                body(b)?;
                if let Some(value) = retry_after {
                    HeaderValue::from_str(value)
                        .map_err(|_| format!("Retry-After {value:?} is not a header value"))?;
                }
                Ok(())
            }
            Fault::EarlyResponse { status: s, body: b } => {
                status(*s)?;
                body(b)
            }
            Fault::SlowRead { bytes_per_sec: 0 } => {
                Err("a rate of 0 bytes per second never ends; use Fault::StallMidBody".to_owned())
            }
            _ => Ok(()),
        }
    }
}

/// Queued faults, per operationId and for any operation.
#[derive(Default)]
pub(crate) struct FaultQueues {
    by_operation: HashMap<String, VecDeque<Fault>>,
    any: VecDeque<Fault>,
}

impl FaultQueues {
    pub fn push(&mut self, operation: Option<&str>, faults: Vec<Fault>) {
        match operation {
            Some(op) => self
                .by_operation
                .entry(op.to_owned())
                .or_default()
                .extend(faults),
            None => self.any.extend(faults),
        }
    }

    /// The operation's own queue first, then the one for any operation.
    fn pop(&mut self, operation: &str) -> Option<Fault> {
        self.by_operation
            .get_mut(operation)
            .and_then(VecDeque::pop_front)
            .or_else(|| self.any.pop_front())
    }

    pub fn len(&self) -> usize {
        self.any.len() + self.by_operation.values().map(VecDeque::len).sum::<usize>()
    }

    pub fn clear(&mut self) {
        self.by_operation.clear();
        self.any.clear();
    }
}

/// The state of [`inject`]: which operation its route serves.
#[derive(Clone)]
pub(crate) struct Injector {
    pub shared: Arc<Shared>,
    pub operation: &'static str,
}

/// Route middleware: applies the operation's next fault, if any, around the handler.
pub(crate) async fn inject(
    State(injector): State<Injector>,
    request: Request,
    next: Next,
) -> Response {
    let Injector { shared, operation } = injector;
    let Some(fault) = shared.faults().pop(operation) else {
        return next.run(request).await;
    };
    // Both are put there by the server for every request; defaults keep a misuse harmless.
    let slot = request
        .extensions()
        .get::<Slot>()
        .cloned()
        .unwrap_or_default();
    let conn = request.extensions().get::<Conn>().cloned();
    slot.with(|d| {
        d.operation = Some(operation.to_owned());
        d.fault = Some(fault.to_string());
    });
    tracing::debug!(operation, fault = %fault, "injecting a fault");
    let stop = conn
        .as_ref()
        .map(|c| c.stopping().clone())
        .unwrap_or_default();

    match fault {
        Fault::Status {
            status,
            retry_after,
            body,
        } => {
            drain(request.into_body(), u64::MAX).await;
            let mut response = canned(&slot, status, &body);
            if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
                response.headers_mut().insert(RETRY_AFTER, value);
            }
            response
        }
        Fault::EarlyResponse { status, body } => {
            // The body stays unread; hyper closes the connection after this answer because of
            // `Connection: close` (and the kernel resets it if unread bytes are pending).
            drop(request);
            let mut response = canned(&slot, status, &body);
            response
                .headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
            response
        }
        Fault::ResetBeforeBody => reset(&shared, &slot, conn).await,
        Fault::ResetMidBody { after_bytes } => {
            drain(request.into_body(), after_bytes).await;
            reset(&shared, &slot, conn).await
        }
        Fault::ResetAfterBody { create } => {
            let _ = process(request, next, &slot, create).await;
            reset(&shared, &slot, conn).await
        }
        Fault::Stall { duration } => {
            let response = next.run(request).await;
            if pause_until(Instant::now().checked_add(duration), &stop).await {
                response
            } else {
                reset(&shared, &slot, conn).await
            }
        }
        Fault::StallMidBody {
            after_bytes,
            duration,
        } => {
            let request =
                request.map(|body| paced(body, Pace::StallAt(after_bytes, duration), stop));
            next.run(request).await
        }
        Fault::SlowRead { bytes_per_sec } => {
            let request = request.map(|body| paced(body, Pace::Rate(bytes_per_sec), stop));
            next.run(request).await
        }
        Fault::TruncatedJson { create } => {
            let response = process(request, next, &slot, create).await;
            let (mut parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            parts.headers.remove(CONTENT_LENGTH);
            parts
                .headers
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            Response::from_parts(parts, Body::from(bytes.slice(..bytes.len() / 2)))
        }
        Fault::WrongContentType { create } => {
            let mut response = process(request, next, &slot, create).await;
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
            response
        }
    }
}

/// Runs the handler; with `create: false`, as a dry run that stores nothing.
async fn process(request: Request, next: Next, slot: &Slot, create: bool) -> Response {
    if !create {
        slot.with(|d| d.dry_run = true);
    }
    next.run(request).await
}

/// Records the request as unanswered, then has the connection dropped. Never returns: the
/// connection's task drops this future along with the connection.
async fn reset(shared: &Shared, slot: &Slot, conn: Option<Conn>) -> Response {
    // Now, because the recording middleware will not get to run again.
    finish(shared, slot, 0);
    match conn {
        Some(conn) => {
            conn.reset();
            std::future::pending().await
        }
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A canned answer, noted for the recording.
fn canned(slot: &Slot, status: u16, body: &FaultBody) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (content_type, bytes) = match body {
        FaultBody::Json(value) => {
            slot.with(|d| d.response = Some(value.clone()));
            (
                Some("application/json".to_owned()),
                value.to_string().into_bytes(),
            )
        }
        FaultBody::Html(html) => (
            Some("text/html; charset=utf-8".to_owned()),
            html.clone().into_bytes(),
        ),
        FaultBody::Raw {
            content_type,
            bytes,
        } => (Some(content_type.clone()), bytes.clone()),
        FaultBody::Empty => (None, Vec::new()),
    };
    let mut response = (status, bytes).into_response();
    let headers = response.headers_mut();
    headers.remove(CONTENT_TYPE);
    if let Some(value) = content_type.and_then(|t| HeaderValue::from_str(&t).ok()) {
        headers.insert(CONTENT_TYPE, value);
    }
    response
}

/// Reads and discards up to `limit` body bytes (all of them with `u64::MAX`); a broken body
/// just ends the reading.
async fn drain(body: Body, limit: u64) {
    let mut stream = body.into_data_stream();
    let mut read = 0u64;
    while read < limit {
        match stream.next().await {
            Some(Ok(chunk)) => read = read.saturating_add(chunk.len() as u64),
            Some(Err(_)) | None => break,
        }
    }
}

/// Waits until `deadline` (`None`: too far to represent, so for ever); `false` if the sandbox
/// started shutting down first.
async fn pause_until(deadline: Option<Instant>, stop: &CancellationToken) -> bool {
    match deadline {
        Some(deadline) => tokio::select! {
            () = tokio::time::sleep_until(deadline) => true,
            () = stop.cancelled() => false,
        },
        None => {
            stop.cancelled().await;
            false
        }
    }
}

/// How [`paced`] hands the body on.
#[derive(Clone, Copy)]
enum Pace {
    /// About this many bytes per second.
    Rate(u64),
    /// Everything up to this many bytes, then nothing for the duration, then the rest.
    StallAt(u64, Duration),
}

struct Paced {
    inner: axum::body::BodyDataStream,
    pending: Bytes,
    read: u64,
    start: Instant,
    pace: Pace,
    stalled: bool,
    stop: CancellationToken,
}

/// The body, handed to the handler at the given pace. Hyper reads the socket only as the
/// handler asks for more, so the client's upload slows down in step (give or take hyper's and
/// the kernel's buffers).
fn paced(body: Body, pace: Pace, stop: CancellationToken) -> Body {
    let state = Paced {
        inner: body.into_data_stream(),
        pending: Bytes::new(),
        read: 0,
        start: Instant::now(),
        pace,
        stalled: false,
        stop,
    };
    Body::from_stream(futures::stream::unfold(state, |mut st| async move {
        // Pause once the first bytes are handed on, before asking hyper for more.
        if let Pace::StallAt(at, duration) = st.pace
            && !st.stalled
            && st.read >= at
        {
            st.stalled = true;
            if !pause_until(Instant::now().checked_add(duration), &st.stop).await {
                return Some((Err(shutting_down()), st));
            }
        }
        if st.pending.is_empty() {
            match st.inner.next().await? {
                Ok(chunk) => st.pending = chunk,
                Err(e) => return Some((Err(e), st)),
            }
        }
        let take = match st.pace {
            // Small pieces (about 50 ms' worth) keep the pace smooth.
            Pace::Rate(rate) => (rate / 20).clamp(1, 64 * 1024),
            Pace::StallAt(at, _) if !st.stalled => at - st.read,
            Pace::StallAt(..) => u64::MAX,
        };
        let take = usize::try_from(take)
            .unwrap_or(usize::MAX)
            .min(st.pending.len());
        let piece = st.pending.split_to(take);
        st.read = st.read.saturating_add(piece.len() as u64);
        if let Pace::Rate(rate) = st.pace {
            let due = Duration::try_from_secs_f64(st.read as f64 / rate.max(1) as f64)
                .ok()
                .and_then(|d| st.start.checked_add(d));
            if !pause_until(due, &st.stop).await {
                return Some((Err(shutting_down()), st));
            }
        }
        Some((Ok(piece), st))
    }))
}

fn shutting_down() -> axum::Error {
    axum::Error::new(std::io::Error::other("the sandbox is shutting down"))
}
