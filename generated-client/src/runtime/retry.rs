//! When and how long to wait before trying a request again.
//!
//! Like the AWS and Google Rust SDKs (and unlike the official Huawei SDKs,
//! which default to no retries): idempotent requests are retried on 429, 500,
//! 502, 503, 504 and on connection errors and timeouts, with exponential
//! backoff and full jitter, a bounded number of attempts and a bounded total
//! time. `Retry-After` is honoured, capped. Other statuses are never retried.

use std::time::Duration;

/// Retry settings. [`RetryPolicy::default`] makes up to 3 attempts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, including the first (1 disables retries).
    pub max_attempts: u32,
    /// Upper bound of the first backoff; doubled for each later attempt.
    pub initial_backoff: Duration,
    /// Largest backoff between two attempts.
    pub max_backoff: Duration,
    /// Largest `Retry-After` honoured; a longer one ends the retries.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The default policy with `attempts` attempts in all (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Backoff after attempt `attempt` failed (1 for the first attempt):
    /// the backoff before the next one.
    pub(crate) fn backoff_after(&self, attempt: u32) -> Duration {
        self.backoff(attempt + 1)
    }

    /// Backoff before attempt `next` (2 for the first retry): a random
    /// duration between zero and `initial * 2^(next-2)`, capped ("full
    /// jitter", so many clients throttled together spread out).
    pub fn backoff(&self, next: u32) -> Duration {
        let exponent = next.saturating_sub(2).min(20);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// Whether a transport error is worth another attempt.
pub fn retryable_error(error: &reqwest::Error) -> bool {
    // No credentials, or a body over the limit: another attempt would end
    // the same way.
    if super::failure::find(error).is_some() {
        return false;
    }
    // `is_body`/`is_decode`: the connection broke while the body was read
    // (reqwest reports a body cut short as a decode error of the stream; the
    // JSON is decoded later, outside the retry loop).
    error.is_connect()
        || error.is_timeout()
        || error.is_request()
        || error.is_body()
        || error.is_decode()
}

/// Parses `Retry-After`: delay seconds or an HTTP date.
pub fn retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (date.with_timezone(&chrono::Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_spreads_over_the_doubling_ceiling() {
        let policy = RetryPolicy::default();
        for (next, ceiling) in [
            (2, Duration::from_millis(200)),
            (4, Duration::from_millis(800)),
            (40, Duration::from_secs(10)),
        ] {
            let draws: Vec<Duration> = (0..1000).map(|_| policy.backoff(next)).collect();
            let max = *draws.iter().max().unwrap();
            let min = *draws.iter().min().unwrap();
            assert!(max <= ceiling, "attempt {next}: {max:?} above {ceiling:?}");
            // Full jitter: the whole range is used, not a fixed or zero wait.
            assert!(
                max > ceiling / 2,
                "attempt {next}: largest of 1000 draws {max:?}"
            );
            assert!(
                min < ceiling / 2,
                "attempt {next}: smallest of 1000 draws {min:?}"
            );
            let distinct: std::collections::BTreeSet<_> = draws.iter().collect();
            assert!(
                distinct.len() > 900,
                "attempt {next}: {} distinct draws",
                distinct.len()
            );
        }
    }

    #[test]
    fn a_policy_takes_the_attempts_asked_for_and_at_least_one() {
        let base = RetryPolicy {
            initial_backoff: Duration::from_millis(7),
            ..RetryPolicy::default()
        };
        let five = base.clone().with_max_attempts(5);
        assert_eq!(five.max_attempts, 5);
        // Only the attempts change.
        assert_eq!(five.initial_backoff, Duration::from_millis(7));
        assert_eq!(base.clone().with_max_attempts(0).max_attempts, 1);
        assert_eq!(RetryPolicy::disabled().max_attempts, 1);
    }

    #[test]
    fn the_backoff_after_an_attempt_is_the_one_before_the_next() {
        let policy = RetryPolicy::default();
        // After the third attempt the ceiling is 4 x 200 ms: draws reach
        // past twice the initial backoff and never past the ceiling.
        let draws: Vec<Duration> = (0..1000).map(|_| policy.backoff_after(3)).collect();
        let max = *draws.iter().max().unwrap();
        assert!(max <= Duration::from_millis(800), "{max:?}");
        assert!(max > Duration::from_millis(400), "{max:?}");
        let first: Vec<Duration> = (0..1000).map(|_| policy.backoff_after(1)).collect();
        assert!(first.iter().all(|d| *d <= Duration::from_millis(200)));
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Mon, 23 Nov 2026 10:00:05 GMT", now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(retry_after("soon", now), None);
    }
}
