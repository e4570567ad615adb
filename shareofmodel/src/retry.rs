//! When a failed request is sent again, and how long the client waits first.
//!
//! A create is not idempotent: the API has no idempotency key, so a request is repeated only
//! when the server cannot have acted on it. That is when it asked to wait (429, or 503 with
//! `Retry-After`), when no connection could be made, and once after a 401 on an access token
//! the client exchanged itself (the token expired; a new one is fetched first).

use std::time::{Duration, SystemTime};

/// Limits on automatic retries. The default allows 4 attempts and 2 minutes of waiting in all,
/// and refuses to wait more than 60 s for a single `Retry-After` (a longer one is returned as
/// [`Error::RateLimited`](crate::Error::RateLimited) with the delay).
///
/// ```
/// use std::time::Duration;
/// use shareofmodel::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(6)
///     .max_total_backoff(Duration::from_secs(300));
/// let never = RetryPolicy::none();
/// # let _ = (patient, never);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) max_total_backoff: Duration,
    pub(crate) max_retry_after: Duration,
    pub(crate) initial_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            max_total_backoff: Duration::from_secs(120),
            max_retry_after: Duration::from_secs(60),
            initial_backoff: Duration::from_millis(250),
        }
    }
}

impl RetryPolicy {
    /// No automatic retry at all (a 401 on an exchanged token is still refreshed once).
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How many times one request may be sent in all, including the first (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The most time spent waiting between attempts of one request, summed.
    pub fn max_total_backoff(mut self, total: Duration) -> Self {
        self.max_total_backoff = total;
        self
    }

    /// The longest `Retry-After` the client waits for; above it, the call returns
    /// [`Error::RateLimited`](crate::Error::RateLimited) carrying the delay instead of sleeping.
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// The first wait when the server gave no usable delay; it doubles at each attempt.
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// The wait before attempt `attempt + 1` when the server said nothing usable: doubling
    /// from the initial backoff, capped at 8 s.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(5);
        self.initial_backoff
            .saturating_mul(factor)
            .min(Duration::from_secs(8))
    }
}

/// A `Retry-After` value: delay-seconds or an HTTP-date. `None` for anything else, which the
/// caller replaces by its own bounded backoff.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::from(date);
    // A date in the past means "now".
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        assert_eq!(parse_retry_after("0"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let soon = chrono::Utc::now() + chrono::Duration::seconds(90);
        let header = soon.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let parsed = parse_retry_after(&header).unwrap();
        assert!(parsed > Duration::from_secs(85) && parsed <= Duration::from_secs(90));
        for garbage in ["", "soon", "-1", "1.5", "9999999999999999999999"] {
            assert_eq!(parse_retry_after(garbage), None, "{garbage:?}");
        }
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff(1), Duration::from_millis(250));
        assert_eq!(policy.backoff(2), Duration::from_millis(500));
        assert_eq!(policy.backoff(3), Duration::from_secs(1));
        assert_eq!(policy.backoff(30), Duration::from_secs(8));
        assert_eq!(RetryPolicy::none().max_attempts, 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).max_attempts, 1);
    }
}
