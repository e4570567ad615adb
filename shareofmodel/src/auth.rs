//! Credentials: a [`Secret`] that never prints, and the [`Auth`] scheme that sends it.

use std::fmt;

use reqwest::header::HeaderValue;

use crate::Error;

/// A credential (an API key or an access token).
///
/// Its `Debug` and `Display` both print `Secret(***)`, so it can sit in structs that are logged
/// or formatted without leaking. The only way to read it is [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The credential itself. Keep the result out of logs and error messages.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the credential is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// How requests authenticate: the value of the `Authorization` header.
///
/// - [`Auth::api_key`], as the authentication guide describes: the key is exchanged at
///   `POST /v1/auth/token` for a short-lived access token, sent as `Bearer <token>`. The token
///   is cached and shared by every request of the client; when the server answers 401 on it,
///   the client exchanges the key once more (one exchange however many requests are in
///   flight) and sends the request again, once.
/// - [`Auth::bearer`]: an access token you obtained yourself.
/// - [`Auth::authorization`]: a raw header value, sent as-is, as the API reference's curl
///   samples send an API key (`Authorization: <api-key>`).
///
/// Header values are marked sensitive, so `reqwest` never prints them either.
#[derive(Clone, PartialEq, Eq)]
pub struct Auth(pub(crate) Scheme);

// Private, so that a later scheme (exchanging an API key for a JWT) is an added variant and not
// a breaking change.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Scheme {
    Authorization(Secret),
    Bearer(Secret),
    ApiKey(Secret),
}

impl Auth {
    /// Sends `value` unchanged as the `Authorization` header, as the API reference's samples
    /// do with an API key.
    pub fn authorization(value: impl Into<Secret>) -> Self {
        Self(Scheme::Authorization(trimmed(value.into())))
    }

    /// Sends `Authorization: Bearer <token>`.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Self(Scheme::Bearer(trimmed(token.into())))
    }

    /// Exchanges the API key for an access token (and again when it expires), and sends
    /// `Authorization: Bearer <token>`, as the authentication guide describes.
    pub fn api_key(key: impl Into<Secret>) -> Self {
        Self(Scheme::ApiKey(trimmed(key.into())))
    }

    /// Whether this scheme exchanges an API key for tokens.
    pub(crate) fn exchanges(&self) -> bool {
        matches!(self.0, Scheme::ApiKey(_))
    }

    /// The credential this scheme sends.
    pub fn secret(&self) -> &Secret {
        match &self.0 {
            Scheme::Authorization(secret) | Scheme::Bearer(secret) | Scheme::ApiKey(secret) => {
                secret
            }
        }
    }

    /// The `Authorization` header value, marked sensitive.
    ///
    /// Fails (without quoting the credential) when it is empty or holds characters that an
    /// HTTP header cannot carry, and for [`Auth::api_key`], whose header value is a token that
    /// only the client's exchange knows.
    pub fn header_value(&self) -> Result<HeaderValue, Error> {
        self.check()?;
        match &self.0 {
            Scheme::Authorization(secret) => sensitive(secret.expose()),
            Scheme::Bearer(token) => bearer_value(token.expose()),
            Scheme::ApiKey(_) => Err(Error::config(
                "credentials",
                "an API key is exchanged for a token by the client itself, so it has no fixed \
                 header value; use Auth::bearer with a token, or let Client send the requests",
            )),
        }
    }

    /// Refuses an empty credential or one an HTTP header (or the exchange body) cannot carry.
    pub(crate) fn check(&self) -> Result<(), Error> {
        let secret = self.secret().expose();
        if secret.trim().is_empty() {
            return Err(Error::config(
                "credentials",
                "the credential is empty; pass your API key or access token",
            ));
        }
        sensitive(secret).map(drop)
    }
}

/// Surrounding whitespace is never part of a credential (it comes from files and environment
/// variables), and a server would not see it either.
fn trimmed(secret: Secret) -> Secret {
    let value = secret.expose();
    if value.trim().len() == value.len() {
        secret
    } else {
        Secret::new(value.trim())
    }
}

/// `Bearer <token>`, marked sensitive.
pub(crate) fn bearer_value(token: &str) -> Result<HeaderValue, Error> {
    sensitive(&format!("Bearer {token}"))
}

fn sensitive(text: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(text).map_err(|_| {
        Error::config(
            "credentials",
            "the credential holds characters an HTTP header cannot carry (control \
             characters or non-ASCII); check that it was copied whole and without line breaks",
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Scheme::Authorization(secret) => {
                f.debug_tuple("Auth::Authorization").field(secret).finish()
            }
            Scheme::Bearer(secret) => f.debug_tuple("Auth::Bearer").field(secret).finish(),
            Scheme::ApiKey(secret) => f.debug_tuple("Auth::ApiKey").field(secret).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let auth = Auth::bearer("s3cr3t-key");
        assert_eq!(format!("{}", auth.secret()), "Secret(***)");
        assert_eq!(format!("{auth:?}"), "Auth::Bearer(Secret(***))");
        let value = auth.header_value().unwrap();
        assert!(value.is_sensitive());
        assert_eq!(value.to_str().unwrap(), "Bearer s3cr3t-key");
        assert!(!format!("{value:?}").contains("s3cr3t"));
        let padded = Auth::authorization(" k3y-with-newline\n");
        assert_eq!(padded.secret().expose(), "k3y-with-newline");
    }

    #[test]
    fn raw_authorization_is_sent_as_is() {
        let value = Auth::authorization("abc").header_value().unwrap();
        assert_eq!(value.to_str().unwrap(), "abc");
    }

    #[test]
    fn bad_credentials_do_not_leak() {
        for auth in [
            Auth::authorization("line\nbreak-s3cr3t"),
            Auth::bearer("  "),
        ] {
            let err = auth.header_value().unwrap_err();
            assert!(!format!("{err} {err:?}").contains("s3cr3t"));
        }
    }
}
