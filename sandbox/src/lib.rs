//! A loopback HTTP server that behaves like the Share Of Model asset API, for tests and demos.
//!
//! It reads every wire fact it enforces (paths, field names, limits, accepted media types, the
//! form style of text items) from `openapi.yaml` at start-up, validates requests against them,
//! answers with Django REST Framework style bodies, and records what it received so that tests
//! can assert on the wire.
//!
//! ```no_run
//! use shareofmodel_sandbox::{Sandbox, SandboxConfig};
//!
//! # async fn demo() -> Result<(), shareofmodel_sandbox::SandboxError> {
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! let url = format!(
//!     "{}/v1/organizations/{}/workspaces/{}/assets",
//!     sandbox.base_url(),
//!     sandbox.organization_id(),
//!     sandbox.workspace_id(),
//! );
//! // ... send requests to `url` with `Authorization: Bearer {sandbox.api_key()}` ...
//! # let _ = url;
//! for request in sandbox.requests() {
//!     println!("{} {} -> {}", request.method, request.path, request.status);
//! }
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # Tokens
//!
//! When the spec has `create_access_token` (`POST /v1/auth/token`), the sandbox exchanges its
//! key for a random opaque token: `{"api_key": KEY}` → 200 `{"access": TOKEN, "expires_in":
//! 900}` (the field is [`SandboxConfig::token_field`], the lifetime
//! [`SandboxConfig::token_ttl`]). API routes then accept the key, raw or as `Bearer KEY`, and
//! `Bearer TOKEN` while the token lives. An expired token (see [`Sandbox::expire_tokens`]) is
//! answered 401 `{"detail": "Given token not valid for any token type", "code":
//! "token_not_valid"}`, a wrong key on the exchange 401 `{"detail": "No active account found
//! with the given credentials"}`. [`Sandbox::token_exchanges`] counts the tokens issued. Tokens
//! are redacted from the recordings and logs like the key.
//!
//! # Faults
//!
//! Tests script what the network or the server does to the next requests of an operation with
//! [`Sandbox::push_faults`]: a [`Fault`] per request, in order, then normal service. Faulted
//! requests are recorded too ([`RecordedRequest::fault`]; `status` 0 when nothing was
//! answered), and [`Sandbox::created_count`] says whether anything was created anyway.
//!
//! ```no_run
//! use std::time::Duration;
//! use shareofmodel_sandbox::{Fault, FaultBody, Sandbox, SandboxConfig};
//!
//! # async fn demo() -> Result<(), shareofmodel_sandbox::SandboxError> {
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! sandbox.push_faults(
//!     "create_assets",
//!     [
//!         // A busy server, then a connection lost after the assets were stored.
//!         Fault::Status {
//!             status: 503,
//!             retry_after: Some("1".into()),
//!             body: FaultBody::detail("Service temporarily unavailable."),
//!         },
//!         Fault::ResetAfterBody { create: true },
//!         Fault::Stall { duration: Duration::from_secs(30) },
//!     ],
//! )?;
//! // ... a client uploads four times: 503, a connection reset, a timeout, then 201 ...
//! for request in sandbox.requests() {
//!     println!("{} {:?}", request.status, request.fault); // 503, 0, 0 (client gone), 201
//! }
//! // Three stored, not one: the reset and the stalled create went through.
//! println!("{}", sandbox.created_count());
//! # Ok(())
//! # }
//! ```
//!
//! The sandbox speaks HTTP/1.1 only; the connection-level faults drop the whole connection.
//!
//! # Decisions
//!
//! Where the documentation leaves the server's behaviour open:
//! - Created assets come in order: the text items, then the files.
//! - A file's `content` is the empty string; its `content_type` comes from its bytes (`image/*`
//!   → `image`, `video/*` → `video`, documents such as PDF, DOC, DOCX → `text`).
//! - A file part's declared type must be in the spec's accepted list. A part sent as
//!   `application/octet-stream` or without a type is sniffed instead; content the sniffer
//!   recognises must be accepted too and wins over the declared type.
//! - `thumbnail_url` is the content URL for images and empty otherwise.
//! - Unknown parts, unknown keys in a text item, unknown keys in the archive body and in the
//!   token request are refused with a 400 naming them, where the real server might drop them
//!   silently.
//! - Tokens are opaque strings, not JWTs; a token sent without `Bearer ` is refused.

#![deny(missing_docs)]

mod conn;
mod create;
mod disposition;
mod drf;
mod error;
mod fault;
mod record;
mod server;
mod spec;
mod store;
mod token;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

pub use error::SandboxError;
pub use fault::{Fault, FaultBody};
pub use record::{AuthorizationSeen, CredentialSeen, REDACTED, RecordedPart, RecordedRequest};
pub use store::StoredAsset;
pub use token::TokenField;

use server::{Data, Shared};

/// The user every asset is created by.
pub const SANDBOX_USER_ID: Uuid = Uuid::from_u128(0x5a9d_b0c5_0000_4000_8000_0000_0000_0001);

/// The email the list call shows when asked for creators' emails.
pub const SANDBOX_USER_EMAIL: &str = "sandbox@example.invalid";

/// How long [`Sandbox::shutdown`] waits for open connections before closing them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// How long an issued token lives unless configured otherwise (Simple JWT's default).
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);

/// The body of a successful create call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ResponseShape {
    /// One object when exactly one asset was created, an array otherwise.
    #[default]
    Auto,
    /// Always an array.
    AlwaysArray,
    /// Always one object: the first asset created.
    AlwaysObject,
}

impl ResponseShape {
    /// The names [`FromStr`] accepts.
    pub const NAMES: [&'static str; 3] = ["auto", "always-array", "always-object"];
}

impl FromStr for ResponseShape {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(ResponseShape::Auto),
            "always-array" => Ok(ResponseShape::AlwaysArray),
            "always-object" => Ok(ResponseShape::AlwaysObject),
            other => Err(format!(
                "unknown response shape {other:?}; use one of {}",
                ResponseShape::NAMES.join(", ")
            )),
        }
    }
}

/// How to start a [`Sandbox`]. Every setting has a default.
#[derive(Clone)]
pub struct SandboxConfig {
    api_key: Option<String>,
    organization_id: Option<Uuid>,
    workspace_id: Option<Uuid>,
    response_shape: ResponseShape,
    spec_yaml: Option<String>,
    bind: SocketAddr,
    token_field: TokenField,
    token_ttl: Duration,
    token_expires_in: bool,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            api_key: None,
            organization_id: None,
            workspace_id: None,
            response_shape: ResponseShape::Auto,
            spec_yaml: None,
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            token_field: TokenField::Access,
            token_ttl: DEFAULT_TOKEN_TTL,
            token_expires_in: true,
        }
    }
}

// By hand, so that the key never reaches a log through `{:?}`.
impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("api_key", &self.api_key.as_ref().map(|_| REDACTED))
            .field("organization_id", &self.organization_id)
            .field("workspace_id", &self.workspace_id)
            .field("response_shape", &self.response_shape)
            .field("spec_yaml", &self.spec_yaml.as_ref().map(|s| s.len()))
            .field("bind", &self.bind)
            .field("token_field", &self.token_field)
            .field("token_ttl", &self.token_ttl)
            .field("token_expires_in", &self.token_expires_in)
            .finish()
    }
}

impl SandboxConfig {
    /// The key clients must send (default: `som_sandbox_` and 32 random hex digits).
    #[must_use]
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The one organization the sandbox knows (default: a random UUID).
    #[must_use]
    pub fn organization_id(mut self, id: Uuid) -> Self {
        self.organization_id = Some(id);
        self
    }

    /// The one workspace the sandbox knows (default: a random UUID).
    #[must_use]
    pub fn workspace_id(mut self, id: Uuid) -> Self {
        self.workspace_id = Some(id);
        self
    }

    /// The body shape of a successful create call (default: [`ResponseShape::Auto`]).
    #[must_use]
    pub fn response_shape(mut self, shape: ResponseShape) -> Self {
        self.response_shape = shape;
        self
    }

    /// Serve this OpenAPI document instead of the workspace's `openapi.yaml`.
    #[must_use]
    pub fn spec_yaml(mut self, yaml: impl Into<String>) -> Self {
        self.spec_yaml = Some(yaml.into());
        self
    }

    /// Where to listen (default `127.0.0.1:0`, a free port). Only loopback addresses are allowed.
    #[must_use]
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// The property of the token exchange's answer that carries the token (default
    /// [`TokenField::Access`]). The spec's response schema must declare it.
    #[must_use]
    pub fn token_field(mut self, field: TokenField) -> Self {
        self.token_field = field;
        self
    }

    /// How long an issued token is accepted (default [`DEFAULT_TOKEN_TTL`], 15 minutes).
    #[must_use]
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// Whether the token exchange's answer says `expires_in` (default `true`, when the spec's
    /// response schema declares it); `false` imitates a server that leaves it out.
    #[must_use]
    pub fn token_expires_in(mut self, send: bool) -> Self {
        self.token_expires_in = send;
        self
    }
}

/// A running sandbox. Cheap to clone; every clone controls the same server, which stops on
/// [`Sandbox::shutdown`] or when the last clone is dropped.
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Arc<Shared>,
    stop: CancellationToken,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.stop.cancel();
        // Aborting the server task aborts every connection task it owns.
        if let Some(task) = take(&self.task) {
            task.abort();
        }
    }
}

fn take<T>(slot: &Mutex<Option<T>>) -> Option<T> {
    slot.lock().unwrap_or_else(|e| e.into_inner()).take()
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url())
            .field("organization_id", &self.organization_id())
            .field("workspace_id", &self.workspace_id())
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Loads the spec, binds the socket and starts serving in the background. Must be called
    /// inside a Tokio runtime.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        let api = spec::Api::from_yaml(config.spec_yaml.as_deref().unwrap_or(spec::DEFAULT_SPEC))?;
        if let Some(exchange) = &api.token
            && !exchange
                .response_props
                .iter()
                .any(|p| p == config.token_field.name())
        {
            return Err(SandboxError::SpecUnsupported {
                what: "token response schema".to_owned(),
                location: format!("paths.{}.responses", exchange.path),
                reason: format!(
                    "it does not declare `{}`, the configured token field",
                    config.token_field.name()
                ),
            });
        }
        if !config.bind.ip().is_loopback() {
            return Err(SandboxError::NotLoopback { addr: config.bind });
        }
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|source| SandboxError::Bind {
                addr: config.bind,
                source,
            })?;
        let local = listener.local_addr().map_err(|source| SandboxError::Bind {
            addr: config.bind,
            source,
        })?;
        let dir = tempfile::Builder::new()
            .prefix("shareofmodel-sandbox-")
            .tempdir()
            .map_err(|source| SandboxError::TempDir { source })?;

        let shared = Arc::new(Shared {
            api,
            api_key: config
                .api_key
                .unwrap_or_else(|| format!("som_sandbox_{}", Uuid::new_v4().simple())),
            organization_id: config.organization_id.unwrap_or_else(Uuid::new_v4),
            workspace_id: config.workspace_id.unwrap_or_else(Uuid::new_v4),
            user_id: SANDBOX_USER_ID,
            user_email: SANDBOX_USER_EMAIL.to_owned(),
            response_shape: config.response_shape,
            base_url: format!("http://{local}"),
            dir,
            data: Mutex::new(Data::default()),
            token_field: config.token_field,
            token_ttl: config.token_ttl,
            token_expires_in: config.token_expires_in,
            tokens: Mutex::default(),
            faults: Mutex::default(),
        });

        // axum panics on route templates it cannot take (a `:` segment, two templates that
        // differ only in parameter names); that is a spec the sandbox cannot serve, not a crash.
        let routing = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            server::router(shared.clone())
        }));
        let app = routing.map_err(|panic| SandboxError::SpecUnsupported {
            what: "paths".to_owned(),
            location: "paths".to_owned(),
            reason: format!(
                "the router refused them ({}); use plain `{{name}}` parameters, the same names for \
                 the same path, and no segment starting with `:` or `*`",
                panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("unknown reason")
            ),
        })?;
        let stop = CancellationToken::new();
        let task = tokio::spawn(conn::serve(listener, app, stop.clone()));
        tracing::info!(base_url = %shared.base_url, "sandbox listening");
        Ok(Sandbox {
            inner: Arc::new(Inner {
                shared,
                stop,
                task: Mutex::new(Some(task)),
            }),
        })
    }

    /// Stops accepting connections and waits (up to a few seconds) for open ones to finish
    /// their current request; scripted waits ([`Fault::Stall`] and the like) end at once.
    /// Every clone of the handle is then stopped; calling it again does nothing.
    pub async fn shutdown(&self) {
        self.inner.stop.cancel();
        if let Some(mut task) = take(&self.inner.task)
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }

    fn shared(&self) -> &Shared {
        &self.inner.shared
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.shared().base_url
    }

    /// The address the sandbox listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.base_url()
            .trim_start_matches("http://")
            .parse()
            .expect("the base URL is built from the bound address")
    }

    /// The key clients must send, raw or as `Bearer <key>`, or exchange for a token.
    pub fn api_key(&self) -> &str {
        &self.shared().api_key
    }

    /// The organization the sandbox serves.
    pub fn organization_id(&self) -> Uuid {
        self.shared().organization_id
    }

    /// The workspace the sandbox serves.
    pub fn workspace_id(&self) -> Uuid {
        self.shared().workspace_id
    }

    /// Every request recorded so far (since the last [`Sandbox::clear_records`]), in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared().data().requests.clone()
    }

    /// The last request recorded.
    pub fn last_request(&self) -> Option<RecordedRequest> {
        self.shared().data().requests.last().cloned()
    }

    /// Every asset the sandbox holds, in creation order (archived ones included).
    pub fn assets(&self) -> Vec<StoredAsset> {
        self.shared().data().assets.clone()
    }

    /// One asset by id.
    pub fn asset(&self, id: Uuid) -> Option<StoredAsset> {
        self.shared()
            .data()
            .assets
            .iter()
            .find(|a| a.id == id)
            .cloned()
    }

    /// The number of assets created (since the last [`Sandbox::clear_records`]).
    pub fn created_count(&self) -> usize {
        self.shared().data().created
    }

    /// Forgets the recorded requests and resets [`Sandbox::created_count`] and
    /// [`Sandbox::token_exchanges`]; the stored assets, issued tokens and queued faults stay.
    pub fn clear_records(&self) {
        let mut data = self.shared().data();
        data.requests.clear();
        data.created = 0;
        drop(data);
        self.shared().tokens().reset_exchanges();
    }

    /// The number of successful token exchanges (tokens issued) since the start or the last
    /// [`Sandbox::clear_records`]. Refused exchanges are only in [`Sandbox::requests`].
    pub fn token_exchanges(&self) -> usize {
        self.shared().tokens().exchanges()
    }

    /// Expires every token issued so far: their next use is answered 401
    /// `{"detail": "Given token not valid for any token type", "code": "token_not_valid"}`.
    /// Tokens issued afterwards live as configured.
    pub fn expire_tokens(&self) {
        self.shared().tokens().expire_all();
    }

    /// Queues `faults` for the operation `operation` (an operationId such as
    /// `"create_assets"`): each request of that operation takes the next one, in order, before
    /// any queued with [`Sandbox::push_faults_any`]; with none queued, requests are served
    /// normally. Nothing is queued if any fault is refused.
    pub fn push_faults(
        &self,
        operation: &str,
        faults: impl IntoIterator<Item = Fault>,
    ) -> Result<(), SandboxError> {
        if !spec::OPERATIONS.contains(&operation) {
            return Err(SandboxError::UnknownOperation {
                operation: operation.to_owned(),
                known: spec::OPERATIONS.join(", "),
            });
        }
        self.queue(Some(operation), faults)
    }

    /// Queues `faults` for whichever API request comes next, of any operation (requests to
    /// unknown routes take none).
    pub fn push_faults_any(
        &self,
        faults: impl IntoIterator<Item = Fault>,
    ) -> Result<(), SandboxError> {
        self.queue(None, faults)
    }

    fn queue(
        &self,
        operation: Option<&str>,
        faults: impl IntoIterator<Item = Fault>,
    ) -> Result<(), SandboxError> {
        let faults: Vec<Fault> = faults.into_iter().collect();
        for fault in &faults {
            fault.check().map_err(|reason| SandboxError::InvalidFault {
                fault: fault.to_string(),
                reason,
            })?;
        }
        self.shared().faults().push(operation, faults);
        Ok(())
    }

    /// How many queued faults no request has taken yet.
    pub fn pending_faults(&self) -> usize {
        self.shared().faults().len()
    }

    /// Drops every queued fault.
    pub fn clear_faults(&self) {
        self.shared().faults().clear();
    }

    /// The stored bytes of an asset: the uploaded file, or a text item's content as UTF-8.
    /// Reads the file from disk (blocking, briefly).
    pub fn asset_bytes(&self, id: Uuid) -> Option<Vec<u8>> {
        let asset = self.asset(id)?;
        match &asset.path {
            Some(path) => std::fs::read(path).ok(),
            None => Some(asset.content.into_bytes()),
        }
    }
}
