//! The key-for-token exchange: issued tokens, their lifetimes, and the handler.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::drf::{self, Errors};
use crate::record::{REDACTED, Slot};
use crate::server::{Shared, json_body, reply};
use crate::spec;

/// The property of the token exchange's answer that carries the access token. The spec allows
/// several, so clients must accept each; this picks the one the sandbox sends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenField {
    /// `access`, as Django REST Framework Simple JWT names it.
    #[default]
    Access,
    /// `access_token`, as OAuth 2.0 names it.
    AccessToken,
    /// `token`.
    Token,
}

impl TokenField {
    /// The names [`FromStr`] accepts, which are also the property names on the wire.
    pub const NAMES: [&'static str; 3] = ["access", "access_token", "token"];

    /// The property name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            TokenField::Access => "access",
            TokenField::AccessToken => "access_token",
            TokenField::Token => "token",
        }
    }
}

impl FromStr for TokenField {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "access" => Ok(TokenField::Access),
            "access_token" => Ok(TokenField::AccessToken),
            "token" => Ok(TokenField::Token),
            other => Err(format!(
                "unknown token field {other:?}; use one of {}",
                TokenField::NAMES.join(", ")
            )),
        }
    }
}

/// What a token is, as far as the sandbox knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenState {
    Live,
    Expired,
    Unknown,
}

/// Tokens issued so far. Expired ones are kept so that they are told apart from made-up values
/// (Simple JWT answers them differently) and stay redacted in the recordings.
#[derive(Default)]
pub(crate) struct Tokens {
    /// Token → when it expires (`None`: a lifetime too long to represent, so never).
    issued: HashMap<String, Option<Instant>>,
    exchanges: usize,
}

impl Tokens {
    pub fn state(&self, token: &str) -> TokenState {
        match self.issued.get(token) {
            None => TokenState::Unknown,
            Some(Some(expiry)) if Instant::now() >= *expiry => TokenState::Expired,
            Some(_) => TokenState::Live,
        }
    }

    pub fn expire_all(&mut self) {
        let now = Instant::now();
        for expiry in self.issued.values_mut() {
            *expiry = Some(now);
        }
    }

    pub fn exchanges(&self) -> usize {
        self.exchanges
    }

    pub fn reset_exchanges(&mut self) {
        self.exchanges = 0;
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.issued.keys().map(String::as_str)
    }

    fn issue(&mut self, token: String, ttl: Duration) {
        self.issued.insert(token, Instant::now().checked_add(ttl));
        self.exchanges += 1;
    }
}

/// Simple JWT's answer to wrong credentials on its token view.
const WRONG_KEY: &str = "No active account found with the given credentials";

/// `POST /v1/auth/token` (path and method from the spec): a valid key → a fresh token.
pub(crate) async fn exchange(
    State(shared): State<Arc<Shared>>,
    Extension(slot): Extension<Slot>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    slot.with(|d| d.operation = Some(spec::TOKEN_OP.to_owned()));
    let Some(rules) = &shared.api.token else {
        // The route only exists when the spec has the operation.
        return reply(&slot, StatusCode::NOT_FOUND, drf::detail(drf::NOT_FOUND));
    };
    let value = match json_body(&shared, &slot, &headers, &body) {
        Ok(value) => value,
        Err(response) => return response,
    };

    let field = rules.key_field.as_str();
    let mut errors = Errors::default();
    let Value::Object(object) = value else {
        errors.field("non_field_errors", drf::not_a_dict(&value));
        return reply(&slot, StatusCode::BAD_REQUEST, errors.into_value());
    };
    for key in object.keys().filter(|k| *k != field) {
        errors.field(
            &shared.redact(key),
            format!("Unknown field; this operation takes `{field}`."),
        );
    }
    let mut messages = Vec::new();
    match object.get(field) {
        None => messages.push(drf::REQUIRED.to_owned()),
        Some(Value::Null) => messages.push(drf::NULL.to_owned()),
        Some(Value::String(key)) => {
            drf::check_len(
                key,
                rules.key_rule.min_len,
                rules.key_rule.max_len,
                &mut messages,
            );
        }
        Some(_) => messages.push(drf::NOT_A_STRING.to_owned()),
    }
    for message in messages {
        errors.field(field, message);
    }
    if !errors.is_empty() {
        return reply(&slot, StatusCode::BAD_REQUEST, errors.into_value());
    }
    if object.get(field).and_then(Value::as_str) != Some(shared.api_key.as_str()) {
        return reply(&slot, StatusCode::UNAUTHORIZED, drf::detail(WRONG_KEY));
    }

    // Opaque and unguessable; 256 random bits from two v4 UUIDs.
    let token = format!(
        "som_tok_{}{}",
        Uuid::new_v4().simple(),
        Uuid::new_v4().simple()
    );
    if !slot.dry_run() {
        shared.tokens().issue(token.clone(), shared.token_ttl);
    }
    let mut answer = Map::new();
    answer.insert(shared.token_field.name().to_owned(), Value::from(token));
    if shared.token_expires_in && rules.response_props.iter().any(|p| p == "expires_in") {
        // Rounded up, so that a client never keeps a token past its end.
        let secs = shared.token_ttl.as_secs() + u64::from(shared.token_ttl.subsec_nanos() > 0);
        answer.insert("expires_in".to_owned(), Value::from(secs));
    }
    let mut recorded = answer.clone();
    recorded.insert(shared.token_field.name().to_owned(), Value::from(REDACTED));
    slot.with(|d| d.response = Some(Value::Object(recorded)));
    (rules.success, axum::Json(Value::Object(answer))).into_response()
}
