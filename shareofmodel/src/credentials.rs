//! The credentials a client's requests carry, and the cached access token of an exchanged key.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, HeaderValue};
use shareofmodel_client::hooks::RequestHook;
use shareofmodel_client::types::{TokenRequest, TokenRequestApiKey, TokenResponse};

use crate::auth::{Scheme, bearer_value};
use crate::error::{Redactor, finish};
use crate::{Auth, Error};

/// The operationId of the exchange, as the spec names it.
pub(crate) const EXCHANGE: &str = "create_access_token";

/// A token this close to its announced expiry is exchanged again before use.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);

/// The header value in force, shared with the request hook.
#[derive(Clone)]
struct Current {
    header: HeaderValue,
    /// Which exchange produced it (0 for fixed credentials).
    generation: u64,
    expires_at: Option<Instant>,
    issued_at: Option<Instant>,
    /// The token itself, kept to redact it should a server echo it.
    token: Option<String>,
}

pub(crate) struct Credentials {
    auth: Option<Auth>,
    current: RwLock<Option<Current>>,
    /// Held while exchanging, so that concurrent requests wait for one exchange.
    exchange: tokio::sync::Mutex<u64>,
}

impl Credentials {
    pub(crate) fn new(auth: Option<Auth>) -> Result<Arc<Self>, Error> {
        let current = match &auth {
            None => None,
            Some(auth) => {
                auth.check()?;
                match &auth.0 {
                    Scheme::ApiKey(_) => None,
                    _ => Some(Current {
                        header: auth.header_value()?,
                        generation: 0,
                        expires_at: None,
                        issued_at: None,
                        token: None,
                    }),
                }
            }
        };
        Ok(Arc::new(Self {
            auth,
            current: RwLock::new(current),
            exchange: tokio::sync::Mutex::new(0),
        }))
    }

    pub(crate) fn auth(&self) -> Option<&Auth> {
        self.auth.as_ref()
    }

    /// Whether a 401 can be cured by exchanging the key again.
    pub(crate) fn exchanges(&self) -> bool {
        self.auth.as_ref().is_some_and(Auth::exchanges)
    }

    /// Every secret a message must never show: the key and the token in force.
    pub(crate) fn redactor(&self) -> Redactor {
        let mut secrets: Vec<String> = self
            .auth
            .iter()
            .map(|a| a.secret().expose().to_owned())
            .collect();
        if let Some(token) = self.read().and_then(|c| c.token) {
            secrets.push(token);
        }
        Redactor(secrets)
    }

    fn read(&self) -> Option<Current> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn usable(current: &Option<Current>) -> Option<u64> {
        let current = current.as_ref()?;
        match (current.expires_at, current.issued_at) {
            // Renewed a little early, by at most a quarter of its lifetime (so that a short
            // lifetime still gets cached).
            (Some(at), Some(issued)) => {
                let margin = EXPIRY_MARGIN.min((at - issued) / 4);
                (Instant::now() + margin < at).then_some(current.generation)
            }
            _ => Some(current.generation),
        }
    }

    /// Makes sure a header is in force, exchanging the key if needed; returns the generation
    /// of the header requests will carry.
    pub(crate) async fn ensure(
        &self,
        exchanger: &shareofmodel_client::Client,
    ) -> Result<u64, Error> {
        if !self.exchanges() {
            return Ok(0);
        }
        if let Some(generation) = Self::usable(&self.read()) {
            return Ok(generation);
        }
        let mut last = self.exchange.lock().await;
        // Someone else may have exchanged while this task waited for the lock.
        if let Some(generation) = Self::usable(&self.read()) {
            return Ok(generation);
        }
        let generation = *last + 1;
        let fresh = self.exchange_key(exchanger, generation).await?;
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(fresh);
        *last = generation;
        Ok(generation)
    }

    /// Drops the token of `generation` after the server refused it, unless a newer one has
    /// replaced it already.
    pub(crate) fn invalidate(&self, generation: u64) {
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        if current.as_ref().is_some_and(|c| c.generation == generation) {
            *current = None;
        }
    }

    async fn exchange_key(
        &self,
        exchanger: &shareofmodel_client::Client,
        generation: u64,
    ) -> Result<Current, Error> {
        let Some(Auth(Scheme::ApiKey(key))) = &self.auth else {
            return Err(Error::config("credentials", "no API key to exchange"));
        };
        let api_key = TokenRequestApiKey::try_from(key.expose().to_owned())
            .map_err(|_| Error::config("credentials", "the API key is empty; pass your API key"))?;
        let body = TokenRequest { api_key };
        let redact = Redactor(vec![key.expose().to_owned()]);
        let started = Instant::now();
        let result = finish(
            EXCHANGE,
            &redact,
            exchanger.create_access_token(&body).await,
            |_| None,
        )
        .await;
        let response = match result {
            Ok(success) => success.value,
            Err(Error::Unauthorized {
                detail, request_id, ..
            }) => {
                return Err(Error::Unauthorized {
                    operation: EXCHANGE,
                    detail,
                    after_refresh: true,
                    request_id,
                });
            }
            Err(other) => return Err(other),
        };
        let token = token_of(&response).ok_or_else(|| Error::InvalidResponse {
            operation: EXCHANGE,
            status: reqwest::StatusCode::OK,
            problem: "the token exchange answered without `access`, `access_token` or `token`"
                .to_owned(),
            body_snippet: String::new(),
        })?;
        tracing::info!(
            generation,
            expires_in = response.expires_in,
            duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            "exchanged the API key for an access token"
        );
        Ok(Current {
            header: bearer_value(&token)?,
            generation,
            // An absurd lifetime is no expiry at all, not an overflow.
            expires_at: response
                .expires_in
                .and_then(|seconds| started.checked_add(Duration::from_secs(seconds))),
            issued_at: Some(started),
            token: Some(token),
        })
    }
}

/// The access token, under whichever name the server used: the response shape is not
/// documented, so `access` (Simple JWT), `access_token` (OAuth 2.0) and `token` are accepted.
fn token_of(response: &TokenResponse) -> Option<String> {
    [&response.access, &response.access_token, &response.token]
        .into_iter()
        .flatten()
        .find(|t| !t.trim().is_empty())
        .cloned()
}

/// Puts the header in force on every request the generated client sends.
pub(crate) struct CredentialHook(pub(crate) Arc<Credentials>);

impl RequestHook for CredentialHook {
    fn before_send(&self, request: &mut reqwest::Request) {
        if let Some(current) = self.0.read() {
            request.headers_mut().insert(AUTHORIZATION, current.header);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_token_name_is_accepted() {
        for field in ["access", "access_token", "token"] {
            let response: TokenResponse =
                serde_json::from_value(serde_json::json!({ field: "t0k" })).unwrap();
            assert_eq!(token_of(&response).as_deref(), Some("t0k"), "{field}");
        }
        let none: TokenResponse =
            serde_json::from_value(serde_json::json!({"refresh": "r", "jwt": "x"})).unwrap();
        assert_eq!(token_of(&none), None);
        let blank: TokenResponse =
            serde_json::from_value(serde_json::json!({"access": " ", "token": "t"})).unwrap();
        assert_eq!(token_of(&blank).as_deref(), Some("t"));
    }
}
