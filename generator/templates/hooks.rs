//! A hook every request runs through just before it is sent, for what the spec cannot make
//! progenitor do: set credentials that change over time (an exchanged access token), add
//! tracing headers. It is the client's "inner" value, so that code outside this crate can
//! provide it (progenitor's `ClientHooks` can only be implemented inside the crate).

use std::fmt;
use std::sync::Arc;

/// Adjusts a request just before it is sent. Implement it outside this crate and hand it to
/// [`Client::new_with_client`](crate::Client::new_with_client) through [`Hooks::new`].
pub trait RequestHook: Send + Sync + 'static {
    /// Called once per attempt, with the request fully built (method, URL, headers, body).
    fn before_send(&self, request: &mut reqwest::Request);
}

/// The hook a [`Client`](crate::Client) runs; [`Hooks::none`] (the default) runs nothing.
#[derive(Clone, Default)]
pub struct Hooks {
    hook: Option<Arc<dyn RequestHook>>,
}

impl Hooks {
    /// Runs `hook` before every request.
    pub fn new(hook: impl RequestHook) -> Self {
        Self {
            hook: Some(Arc::new(hook)),
        }
    }

    /// Runs nothing.
    pub fn none() -> Self {
        Self::default()
    }
}

// The hook may hold credentials: never print it.
impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("installed", &self.hook.is_some())
            .finish()
    }
}

/// Runs the installed hook, if any; the generated operations call this.
pub(crate) fn apply(hooks: &Hooks, request: &mut reqwest::Request) {
    if let Some(hook) = &hooks.hook {
        hook.before_send(request);
    }
}
