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
//! Decisions where the documentation leaves the server's behaviour open:
//! - Created assets come in order: the text items, then the files.
//! - A file's `content` is the empty string; its `content_type` comes from its bytes (`image/*`
//!   → `image`, `video/*` → `video`, documents such as PDF, DOC, DOCX → `text`).
//! - A file part's declared type must be in the spec's accepted list. A part sent as
//!   `application/octet-stream` or without a type is sniffed instead; content the sniffer
//!   recognises must be accepted too and wins over the declared type.
//! - `thumbnail_url` is the content URL for images and empty otherwise.
//! - Unknown parts, unknown keys in a text item and unknown keys in the archive body are
//!   refused with a 400 naming them, where the real server might drop them silently.

#![deny(missing_docs)]

mod create;
mod disposition;
mod drf;
mod error;
mod record;
mod server;
mod spec;
mod store;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

pub use error::SandboxError;
pub use record::{AuthorizationSeen, REDACTED, RecordedPart, RecordedRequest};
pub use store::StoredAsset;

use server::{Data, Shared};

/// The user every asset is created by.
pub const SANDBOX_USER_ID: Uuid = Uuid::from_u128(0x5a9d_b0c5_0000_4000_8000_0000_0000_0001);

/// The email the list call shows when asked for creators' emails.
pub const SANDBOX_USER_EMAIL: &str = "sandbox@example.invalid";

/// How long [`Sandbox::shutdown`] waits for open connections before closing them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

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
}

/// A running sandbox. Cheap to clone; every clone controls the same server, which stops on
/// [`Sandbox::shutdown`] or when the last clone is dropped.
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Arc<Shared>,
    stop: Mutex<Option<oneshot::Sender<()>>>,
    task: Mutex<Option<JoinHandle<std::io::Result<()>>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(stop) = take(&self.stop) {
            let _ = stop.send(());
        }
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
        });

        let app = server::router(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        tracing::info!(base_url = %shared.base_url, "sandbox listening");
        Ok(Sandbox {
            inner: Arc::new(Inner {
                shared,
                stop: Mutex::new(Some(stop)),
                task: Mutex::new(Some(task)),
            }),
        })
    }

    /// Stops accepting connections and waits (up to a few seconds) for open ones to finish.
    /// Every clone of the handle is then stopped; calling it again does nothing.
    pub async fn shutdown(&self) {
        if let Some(stop) = take(&self.inner.stop) {
            let _ = stop.send(());
        }
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

    /// The key clients must send, raw or as `Bearer <key>`.
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

    /// Forgets the recorded requests and resets [`Sandbox::created_count`]; the stored assets
    /// stay.
    pub fn clear_records(&self) {
        let mut data = self.shared().data();
        data.requests.clear();
        data.created = 0;
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
