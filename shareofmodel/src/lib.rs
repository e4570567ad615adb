//! A Rust client for the [Share Of Model](https://docs.shareofmodel.ai) API.
//!
//! ```no_run
//! use shareofmodel::{Client, Uuid};
//!
//! # async fn demo() -> Result<(), shareofmodel::Error> {
//! // SHAREOFMODEL_API_KEY (and optionally SHAREOFMODEL_BASE_URL) configure the client.
//! let client = Client::from_env()?;
//! let organization: Uuid = "3c90c3cc-0d44-4b50-8888-8dd25736052a".parse().unwrap();
//! let workspace: Uuid = "7f1e2d3c-4b5a-4968-8776-655443322110".parse().unwrap();
//!
//! let created = client
//!     .upload(organization, workspace)
//!     .text("Tagline", "Made for summer.")
//!     .file("poster.png")
//!     .file("clip.mp4")
//!     .tag("summer-2027")
//!     .send()
//!     .await?;
//! for asset in &created {
//!     println!("{} {} {}", asset.id, asset.name, asset.content_type);
//! }
//!
//! let all = client.list_assets(organization, workspace, false).await?;
//! client
//!     .archive_assets(organization, workspace, all.iter().map(|a| a.id))
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! This crate adds ergonomics on top of the generated client [`api`] (re-exported):
//!
//! - a [`ClientBuilder`] with credentials that never print ([`Secret`], [`Auth`]: an API key
//!   exchanged for cached tokens, a token, or a raw header), an idle timeout instead of a total
//!   deadline, and retries only where nothing can have been created ([`RetryPolicy`]);
//! - an [`Upload`] builder that takes text, files on disk (streamed with their length), bytes
//!   and readers (spooled), decides each file's media type, and checks every limit of the API
//!   before sending anything; [`Upload::send`] makes one request, [`Upload::send_batched`]
//!   as many as needed, with a per-input [`BatchReport`], progress ([`Upload::on_progress`],
//!   [`Progress`]), reconciliation of unknown outcomes ([`Reconcile`]) and a [`Ledger`] that
//!   makes re-runs skip what was already created;
//! - one [`Error`] type whose messages say what failed and what to do.
//!
//! Runnable examples live in the repository's `shareofmodel/examples/` (a folder with progress,
//! bytes and readers, list and archive, a custom `reqwest::Client`, the sandbox in your tests).
//!
//! Every wire fact (paths, field names, limits, accepted media types) comes from the generated
//! client; [`Client::api`] gives its operations directly, already authenticated.
//!
//! Logging uses `tracing`: one span per request (`shareofmodel_request`, with the operation, the
//! organization and workspace ids, and for uploads the number of files and bytes), and one INFO
//! event when it completes, with the status and duration. Credentials are never logged, and
//! bodies only at DEBUG.

#![deny(missing_docs)]

mod auth;
mod batch;
mod client;
mod credentials;
mod error;
mod ledger;
mod media;
mod progress;
mod retry;
mod upload;

pub use auth::{Auth, Secret};
pub use batch::{
    BATCH_BYTES, BATCH_FILES, BatchReport, FileCheck, ItemOutcome, ItemReport, Reconcile,
};
pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, ENV_API_KEY, ENV_BASE_URL};
pub use error::{Error, FieldError, Input, MediaTypeSource, Problem, TimeoutPhase, TransportKind};
pub use ledger::{Ledger, LedgerEntry};
pub use progress::{Progress, ProgressEvent};
pub use retry::RetryPolicy;
pub use upload::Upload;

/// The generated client: every operation and type of the API.
pub use shareofmodel_client as api;
pub use shareofmodel_client::types::{Asset, ContentTypeEnum};
pub use uuid::Uuid;
