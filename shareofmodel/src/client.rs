//! The [`Client`], its [`ClientBuilder`], and the JSON operations.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use shareofmodel_client::ResponseValue;
use shareofmodel_client::hooks::Hooks;
use shareofmodel_client::progenitor_client;
use shareofmodel_client::types::{ApiError, Asset, AssetArchiveRequest};
use tracing::Instrument;
use uuid::Uuid;

use crate::credentials::{CredentialHook, Credentials};
use crate::error::{Redactor, Success, finish};
use crate::{Auth, Error, RetryPolicy, TimeoutPhase, TransportKind, Upload};

/// The production base URL, used when none is configured.
///
/// The generated client does not expose the spec's `servers` entry, so this restates it (it is
/// the URL of every sample in the API reference).
pub const DEFAULT_BASE_URL: &str = "https://api.shareofmodel.ai";

/// The environment variable [`Client::from_env`] reads the base URL from.
pub const ENV_BASE_URL: &str = "SHAREOFMODEL_BASE_URL";

/// The environment variable [`Client::from_env`] reads the API key from.
pub const ENV_API_KEY: &str = "SHAREOFMODEL_API_KEY";

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Configures a [`Client`]; start with [`Client::builder`] or [`ClientBuilder::from_env`].
///
/// The client has a connect timeout (10 s by default) and an idle timeout (60 s by default),
/// but no timeout on a whole request: an upload of large files takes as long as it takes, as
/// long as bytes keep moving.
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    auth: Option<Auth>,
    connect_timeout: Option<Duration>,
    idle_timeout: Option<Duration>,
    user_agent: Option<String>,
    reqwest_client: Option<reqwest::Client>,
    retry: RetryPolicy,
    allow_insecure_http: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &without_credentials(&self.base_url))
            .field("auth", &self.auth)
            .field("connect_timeout", &self.connect_timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("user_agent", &self.user_agent)
            .field(
                "reqwest_client",
                &self.reqwest_client.as_ref().map(|_| "custom"),
            )
            .field("retry", &self.retry)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish()
    }
}

impl ClientBuilder {
    fn new(base_url: String) -> Self {
        Self {
            base_url,
            auth: None,
            connect_timeout: None,
            idle_timeout: None,
            user_agent: None,
            reqwest_client: None,
            retry: RetryPolicy::default(),
            allow_insecure_http: false,
        }
    }

    /// A builder configured from the environment:
    /// - `SHAREOFMODEL_BASE_URL`, the base URL (default [`DEFAULT_BASE_URL`]);
    /// - `SHAREOFMODEL_API_KEY`, required, exchanged for access tokens ([`Auth::api_key`]).
    ///
    /// Fails with [`Error::Config`] naming the variable that is missing or unreadable.
    pub fn from_env() -> Result<Self, Error> {
        let base_url = env_var(ENV_BASE_URL)?
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let key = match env_var(ENV_API_KEY)? {
            None => {
                return Err(Error::config(
                    ENV_API_KEY,
                    "is not set; set it to your Share Of Model API key (console → API keys)",
                ));
            }
            Some(key) if key.trim().is_empty() => {
                return Err(Error::config(
                    ENV_API_KEY,
                    "is set but empty; set it to your Share Of Model API key",
                ));
            }
            Some(key) => key,
        };
        Ok(Self::new(base_url).auth(Auth::api_key(key)))
    }

    /// The credentials every request carries.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// How long establishing a connection may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long a request may make no progress (default 60 s): no file bytes going out while
    /// uploading, then no answer once everything is sent. There is no timeout on a whole
    /// request. (reqwest's own read timeout would not do: it also runs while a large body is
    /// still being sent, and cuts slow uploads short.)
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default `shareofmodel-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// When and how often failed requests are sent again (see [`RetryPolicy`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Allows a plain `http://` base URL to a host other than this machine. Without it,
    /// [`build`](Self::build) refuses one, since credentials would travel in clear text.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Sends every request with this `reqwest::Client` (a proxy, custom TLS roots...).
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`: reqwest follows
    /// redirects by default, which would carry credentials and uploads to wherever a server
    /// points.
    ///
    /// Credentials ([`auth`](Self::auth)) and retries still apply. A built `reqwest::Client`
    /// cannot be changed, so the timeouts and the user agent cannot: configure them on it
    /// yourself; combining this with [`connect_timeout`](Self::connect_timeout) or
    /// [`user_agent`](Self::user_agent) makes
    /// [`build`](Self::build) fail rather than silently ignore them. Avoid a total request
    /// timeout on it (`reqwest::ClientBuilder::timeout`): it would cut long uploads short.
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.reqwest_client = Some(client);
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// The base URL must be an absolute `http` or `https` URL without credentials, query or
    /// fragment; it may have a path prefix. A trailing `/` is ignored.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = normalize_base_url(&self.base_url)?;

        let http = match self.reqwest_client {
            Some(client) => {
                let mut conflicts = Vec::new();
                if self.connect_timeout.is_some() {
                    conflicts.push("connect_timeout");
                }
                if self.user_agent.is_some() {
                    conflicts.push("user_agent");
                }
                if !conflicts.is_empty() {
                    return Err(Error::config(
                        "reqwest_client",
                        format!(
                            "a custom reqwest client is used as it is, so {} cannot be applied to it; \
                             configure them on the reqwest client and drop them from this builder",
                            conflicts.join(", ")
                        ),
                    ));
                }
                client
            }
            None => {
                let builder = reqwest::Client::builder()
                    // A redirect would carry the credentials (and an upload) to wherever the
                    // server says; the API documents none.
                    .redirect(reqwest::redirect::Policy::none())
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .user_agent(self.user_agent.clone().unwrap_or_else(|| {
                        format!("shareofmodel-rust/{}", env!("CARGO_PKG_VERSION"))
                    }));
                if let Some(agent) = &self.user_agent
                    && reqwest::header::HeaderValue::from_str(agent).is_err()
                {
                    return Err(Error::config(
                        "user_agent",
                        "holds characters an HTTP header cannot carry; use printable ASCII",
                    ));
                }
                builder.build().map_err(|e| {
                    Error::config(
                        "HTTP client",
                        format!("could not be created: {}", e.without_url()),
                    )
                })?
            }
        };

        if !self.allow_insecure_http && !is_secure_or_local(&base_url) {
            return Err(Error::config(
                "base URL",
                "uses plain http to a host other than this machine, so credentials would travel \
                 in clear text; use https, or call ClientBuilder::allow_insecure_http(true)",
            ));
        }

        let credentials = Credentials::new(self.auth)?;
        let hooks = Hooks::new(CredentialHook(credentials.clone()));
        Ok(Client {
            inner: Arc::new(Inner {
                api: shareofmodel_client::Client::new_with_client(&base_url, http.clone(), hooks),
                // The exchange must not carry a stale token.
                exchanger: shareofmodel_client::Client::new_with_client(
                    &base_url,
                    http,
                    Hooks::none(),
                ),
                base_url,
                credentials,
                retry: self.retry,
                idle_timeout: self.idle_timeout.unwrap_or(DEFAULT_IDLE_TIMEOUT),
            }),
        })
    }
}

/// The URL as given, its user and password (which `build` refuses) hidden.
fn without_credentials(raw: &str) -> String {
    match reqwest::Url::parse(raw.trim()) {
        Ok(mut url) if !url.username().is_empty() || url.password().is_some() => {
            let _ = url.set_username("***");
            let _ = url.set_password(None);
            url.to_string()
        }
        Ok(_) => raw.to_owned(),
        Err(_) if raw.contains('@') => "(unparsable URL with credentials)".to_owned(),
        Err(_) => raw.to_owned(),
    }
}

/// `https`, or `http` to this machine (loopback), where nothing travels over a network.
fn is_secure_or_local(base_url: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(base_url) else {
        return false;
    };
    let host = url.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    url.scheme() == "https" || loopback
}

fn env_var(name: &str) -> Result<Option<String>, Error> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(Error::config(name, "is not valid UTF-8; set it again"))
        }
    }
}

fn normalize_base_url(raw: &str) -> Result<String, Error> {
    const SETTING: &str = "base URL";
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| {
        Error::config(
            SETTING,
            format!("is not a valid absolute URL ({e}); give one like {DEFAULT_BASE_URL}"),
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::config(
            SETTING,
            format!(
                "uses the scheme `{}`; only http and https are supported",
                url.scheme()
            ),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::config(SETTING, "has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(
            SETTING,
            "contains credentials; remove them from the URL and use ClientBuilder::auth",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(SETTING, "must not have a query or fragment"));
    }
    // The generated client appends `/v1/...` to the base URL as it is.
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// A client of the Share Of Model API. Cheap to clone: clones share one connection pool.
///
/// ```no_run
/// # async fn demo() -> Result<(), shareofmodel::Error> {
/// use shareofmodel::{Auth, Client};
///
/// let client = Client::builder("https://api.shareofmodel.ai")
///     .auth(Auth::bearer("<access token>"))
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    api: shareofmodel_client::Client,
    exchanger: shareofmodel_client::Client,
    base_url: String,
    credentials: Arc<Credentials>,
    retry: RetryPolicy,
    idle_timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.credentials.auth())
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder for a client of the API at `base_url` (for example [`DEFAULT_BASE_URL`]).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url.into())
    }

    /// A client configured from `SHAREOFMODEL_BASE_URL` and `SHAREOFMODEL_API_KEY`; see
    /// [`ClientBuilder::from_env`].
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The generated client, for every operation of the API. Its requests carry this client's
    /// credentials (for an API key that is exchanged, once [`authenticate`](Self::authenticate)
    /// has run), connect timeout and user agent; they are not retried, and the idle timeout
    /// (the wrapper's own watchdog) does not apply to them.
    pub fn api(&self) -> &shareofmodel_client::Client {
        &self.inner.api
    }

    /// Makes sure credentials are in force: for [`Auth::api_key`], exchanges the key unless a
    /// valid token is cached. The wrapper's own operations do this by themselves.
    pub async fn authenticate(&self) -> Result<(), Error> {
        self.inner
            .credentials
            .ensure(&self.inner.exchanger)
            .await
            .map(drop)
    }

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Starts an upload of text assets and files to a workspace; see [`Upload`].
    pub fn upload(&self, organization_id: Uuid, workspace_id: Uuid) -> Upload {
        Upload::new(self.clone(), organization_id, workspace_id)
    }

    /// Every asset of a workspace. `include_email` asks for each creator's email.
    pub async fn list_assets(
        &self,
        organization_id: Uuid,
        workspace_id: Uuid,
        include_email: bool,
    ) -> Result<Vec<Asset>, Error> {
        const OPERATION: &str = "list_assets";
        let span = request_span(OPERATION, organization_id, workspace_id);
        self.run(
            OPERATION,
            &Activity::default(),
            || async {
                Ok(self
                    .api()
                    .list_assets(&organization_id, &workspace_id, Some(include_email))
                    .await)
            },
            |_| None,
        )
        .instrument(span)
        .await
    }

    /// Archives the assets with these ids; returns the asset the server answers with (the API
    /// documents a single asset).
    pub async fn archive_assets(
        &self,
        organization_id: Uuid,
        workspace_id: Uuid,
        asset_ids: impl IntoIterator<Item = Uuid>,
    ) -> Result<Asset, Error> {
        const OPERATION: &str = "archive_assets";
        let body = AssetArchiveRequest {
            assets_ids: asset_ids.into_iter().map(|id| id.to_string()).collect(),
        };
        if body.assets_ids.is_empty() {
            return Err(Error::invalid(
                crate::Input::Request,
                crate::Problem::Other {
                    message: "no asset id given; pass at least one id to archive".to_owned(),
                },
            ));
        }
        let span = request_span(OPERATION, organization_id, workspace_id);
        self.run(
            OPERATION,
            &Activity::default(),
            || async {
                Ok(self
                    .api()
                    .archive_assets(&organization_id, &workspace_id, &body)
                    .await)
            },
            |_| None,
        )
        .instrument(span)
        .await
    }

    pub(crate) fn redactor(&self) -> Redactor {
        self.inner.credentials.redactor()
    }

    /// Sends a request built by `send` (once per attempt, so a form is rebuilt from its
    /// sources each time), retrying only where the server cannot have acted on it.
    pub(crate) async fn run<T, F, Fut>(
        &self,
        operation: &'static str,
        activity: &Activity,
        mut send: F,
        decode_hint: fn(&[u8]) -> Option<String>,
    ) -> Result<T, Error>
    where
        T: DeserializeOwned,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Generated<T>, Error>>,
    {
        let policy = self.inner.retry;
        let mut attempt = 0u32;
        let mut waited = Duration::ZERO;
        let mut refreshed = false;
        loop {
            attempt += 1;
            let (error, generation) = match self
                .attempt(operation, activity, &mut send, decode_hint)
                .await
            {
                Ok(success) => return Ok(success.value),
                Err(pair) => pair,
            };

            // A refused token that this client exchanged: exchange once more, send once more.
            if let Error::Unauthorized {
                after_refresh: false,
                ..
            } = &error
                && self.inner.credentials.exchanges()
            {
                if refreshed {
                    return Err(mark_refreshed(error));
                }
                if let Some(generation) = generation {
                    self.inner.credentials.invalidate(generation);
                }
                refreshed = true;
                attempt -= 1;
                tracing::info!(
                    operation,
                    reason = "the access token was refused (401)",
                    delay_ms = 0u64,
                    "exchanging the API key again, then retrying"
                );
                continue;
            }

            let delay = match &error {
                Error::RateLimited {
                    retry_after: Some(delay),
                    ..
                } if *delay > policy.max_retry_after => return Err(error),
                Error::RateLimited { retry_after, .. } => {
                    retry_after.unwrap_or_else(|| policy.backoff(attempt))
                }
                Error::Transport {
                    kind: TransportKind::Connect,
                    ..
                }
                | Error::Timeout {
                    phase: TimeoutPhase::Connect,
                    ..
                } => policy.backoff(attempt),
                _ => return Err(error),
            };
            if attempt >= policy.max_attempts
                || waited.saturating_add(delay) > policy.max_total_backoff
            {
                return Err(error);
            }
            tracing::info!(
                operation,
                attempt,
                reason = error.kind_name(),
                status = error.status().map(|s| s.as_u16()),
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retrying: the server cannot have acted on the request"
            );
            tokio::time::sleep(delay).await;
            waited = waited.saturating_add(delay);
        }
    }

    /// One attempt: credentials, the request, its outcome and one log line. On failure, also
    /// the generation of the credentials the request carried.
    async fn attempt<T, F, Fut>(
        &self,
        operation: &'static str,
        activity: &Activity,
        send: &mut F,
        decode_hint: fn(&[u8]) -> Option<String>,
    ) -> Result<Success<T>, (Error, Option<u64>)>
    where
        T: DeserializeOwned,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Generated<T>, Error>>,
    {
        // The exchange (or the wait for another request's) is bounded by the idle limit too.
        activity.touch();
        let ensure = self.inner.credentials.ensure(&self.inner.exchanger);
        let generation = tokio::select! {
            generation = ensure => generation.map_err(|e| (e, None))?,
            () = activity.stalled(self.inner.idle_timeout) => {
                return Err((
                    Error::Timeout {
                        operation: crate::credentials::EXCHANGE,
                        phase: TimeoutPhase::Idle,
                    },
                    None,
                ));
            }
        };
        let started = Instant::now();
        activity.touch();
        let exchange = async {
            let response = send().await?;
            finish(operation, &self.redactor(), response, decode_hint).await
        };
        // The whole exchange, answer included, races the idle watchdog; dropping it on
        // timeout closes the connection.
        let result = tokio::select! {
            result = exchange => result,
            () = activity.stalled(self.inner.idle_timeout) => Err(idle_error(operation)),
        };
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match &result {
            Ok(success) => tracing::info!(
                status = success.status.as_u16(),
                duration_ms,
                request_id = success.request_id.as_deref(),
                "request completed"
            ),
            Err(error) => {
                tracing::info!(
                    status = error.status().map(|s| s.as_u16()),
                    duration_ms,
                    request_id = error.request_id(),
                    error = error.kind_name(),
                    "request failed"
                );
                tracing::debug!(error = %error, "request failure");
            }
        }
        result.map_err(|e| (e, Some(generation)))
    }
}

/// What a generated operation returns.
pub(crate) type Generated<T> = Result<ResponseValue<T>, progenitor_client::Error<ApiError>>;

/// No progress for longer than the idle timeout: for an upload the server may have acted on
/// what it received, for the rest a plain timeout.
fn idle_error(operation: &'static str) -> Error {
    if operation == shareofmodel_client::multipart::create_assets::OPERATION_ID {
        Error::OutcomeUnknown {
            operation,
            cause: "nothing moved for longer than the idle timeout (the server stopped reading or \
                    answering)"
                .to_owned(),
            status: None,
            inputs: Vec::new(),
            request_id: None,
        }
    } else {
        Error::Timeout {
            operation,
            phase: TimeoutPhase::Idle,
        }
    }
}

/// When a request last made progress, for the idle watchdog.
///
/// TODO: progress is counted when file chunks are handed to the HTTP stack, not when bytes
/// leave the socket, so (a) in-memory parts (text assets) never count, and (b) once the last
/// chunk is handed over, the few MiB the kernel buffers still have to drain within the idle
/// limit: a link slower than about 85 KiB/s needs a longer `idle_timeout` than 60 s. Counting
/// at the socket needs a custom connector. Batched requests also share one watchdog clock.
#[derive(Debug)]
pub(crate) struct Activity {
    epoch: Instant,
    last_ms: std::sync::atomic::AtomicU64,
}

impl Default for Activity {
    fn default() -> Self {
        Self {
            epoch: Instant::now(),
            last_ms: std::sync::atomic::AtomicU64::new(0),
        }
    }
}

impl Activity {
    /// Something moved now.
    pub(crate) fn touch(&self) {
        let now = u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms
            .store(now, std::sync::atomic::Ordering::Relaxed);
    }

    fn idle_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_ms.load(std::sync::atomic::Ordering::Relaxed));
        self.epoch.elapsed().saturating_sub(last)
    }

    /// Resolves once nothing has moved for `limit`.
    async fn stalled(&self, limit: Duration) {
        loop {
            let idle = self.idle_for();
            if idle >= limit {
                return;
            }
            tokio::time::sleep(limit - idle).await;
        }
    }
}

fn mark_refreshed(error: Error) -> Error {
    match error {
        Error::Unauthorized {
            operation,
            detail,
            request_id,
            ..
        } => Error::Unauthorized {
            operation,
            detail,
            after_refresh: true,
            request_id,
        },
        other => other,
    }
}

pub(crate) fn request_span(
    operation: &'static str,
    organization_id: Uuid,
    workspace_id: Uuid,
) -> tracing::Span {
    tracing::info_span!(
        "shareofmodel_request",
        operation,
        organization_id = %organization_id,
        workspace_id = %workspace_id,
        text_assets = tracing::field::Empty,
        files = tracing::field::Empty,
        file_bytes = tracing::field::Empty,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            normalize_base_url("https://x.test/api/").unwrap(),
            "https://x.test/api"
        );
        for bad in [
            "",
            "api.shareofmodel.ai",
            "ftp://x.test",
            "https://u:p@x.test",
            "https://x.test/?a=1",
        ] {
            let err = normalize_base_url(bad).unwrap_err();
            assert!(matches!(err, Error::Config { .. }), "{bad}: {err}");
            assert!(!err.to_string().contains(":p@"), "{err}");
        }
    }

    #[test]
    fn custom_reqwest_client_conflicts_are_refused() {
        let err = Client::builder("http://127.0.0.1:1")
            .auth(Auth::authorization("k3y"))
            .user_agent("mine/1.0")
            .reqwest_client(reqwest::Client::new())
            .build()
            .unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(
            text.contains("user_agent") && !text.contains("k3y"),
            "{text}"
        );
        // Credentials combine with a custom client: they are set per request.
        Client::builder("http://127.0.0.1:1")
            .auth(Auth::authorization("k3y"))
            .reqwest_client(reqwest::Client::new())
            .build()
            .unwrap();
    }

    #[test]
    fn builder_debug_hides_url_credentials() {
        let builder = Client::builder("https://user:hunter2@x.test/api");
        let text = format!("{builder:?}");
        assert!(
            !text.contains("hunter2") && text.contains("x.test"),
            "{text}"
        );
    }

    #[test]
    fn plain_http_is_for_this_machine_only() {
        for local in [
            "http://127.0.0.1:1",
            "http://localhost:8",
            "http://[::1]:9",
            "https://x.test",
        ] {
            assert!(is_secure_or_local(local), "{local}");
            Client::builder(local).build().unwrap();
        }
        for remote in [
            "http://api.shareofmodel.ai",
            "http://10.0.0.1",
            "http://127.0.0.1.nip.test",
        ] {
            assert!(!is_secure_or_local(remote), "{remote}");
            let err = Client::builder(remote).build().unwrap_err();
            assert!(err.to_string().contains("allow_insecure_http"), "{err}");
            Client::builder(remote)
                .allow_insecure_http(true)
                .build()
                .unwrap();
        }
    }
}
