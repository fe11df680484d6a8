//! Keeping provided credentials until shortly before they expire.
//!
//! Every request asks for credentials, so the answer is cached: requests read
//! it under a read lock that is never held across an `await`. When it is
//! missing or within the refresh margin of its expiry, one task at a time
//! (a `tokio` mutex) asks the provider; the others wait for that answer and
//! find it in the cache, so any number of concurrent requests cause one
//! fetch. Credentials without an expiry are kept for good. If a refresh
//! fails while the cached credentials are still valid, they are used on and
//! the refresh is tried again a little later, so a metadata service that is
//! briefly away does not fail requests.
//!
//! Expiry times come as wall-clock times; the cache also measures them on
//! tokio's monotonic clock from the moment the credentials arrived, and
//! treats a time as passed when either clock says so. The client's other
//! times (deadlines, attempt timeouts, waits between attempts) are on that
//! same clock, so a test can move it on (`tokio::time::advance`) and see the
//! exact schedule without waiting for it.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::credentials::{Credentials, CredentialsError};
use super::provider::ProvideCredentials;

/// How long before expiry credentials are replaced: the official SDKs' 40
/// minutes, which also covers any plausible clock skew with the gateway.
pub(crate) const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(40 * 60);
/// Credentials that arrive already inside the margin are used this long
/// (never past their expiry) before asking again, so a source that hands out
/// short-lived credentials is not asked before every request.
const MIN_REUSE: Duration = Duration::from_secs(60);
/// After a failed refresh with valid credentials still cached, the next try
/// waits this long.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);

/// Where a client's credentials come from.
#[derive(Clone, Debug)]
pub(crate) enum CredentialsSource {
    /// Given once, never change.
    Fixed(Arc<Credentials>),
    /// Asked of a provider, cached.
    Provided(CredentialsCache),
}

impl CredentialsSource {
    /// The credentials to sign the next request with.
    pub(crate) async fn get(&self) -> Result<Arc<Credentials>, CredentialsError> {
        match self {
            Self::Fixed(credentials) => Ok(credentials.clone()),
            Self::Provided(cache) => cache.get().await,
        }
    }

    /// The credentials, when they are fixed.
    pub(crate) fn fixed(&self) -> Option<&Credentials> {
        match self {
            Self::Fixed(credentials) => Some(credentials),
            Self::Provided(_) => None,
        }
    }
}

/// A provider and its cached answer; clones share both.
#[derive(Clone)]
pub(crate) struct CredentialsCache {
    inner: Arc<Inner>,
}

struct Inner {
    provider: Arc<dyn ProvideCredentials>,
    margin: Duration,
    current: RwLock<Option<Cached>>,
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Cached {
    credentials: Arc<Credentials>,
    /// When to ask again (`None`: never).
    refresh_at: Option<Moment>,
    /// When the credentials expire (`None`: never).
    expires: Option<Moment>,
}

/// The time read on both clocks the cache trusts: the wall clock, in which
/// expiry times are given, and tokio's monotonic clock (which a test may
/// pause and move on).
#[derive(Clone, Copy)]
struct Now {
    wall: DateTime<Utc>,
    steady: tokio::time::Instant,
}

impl Now {
    fn read() -> Self {
        Self {
            wall: Utc::now(),
            steady: tokio::time::Instant::now(),
        }
    }

    fn after(self, duration: Duration) -> Moment {
        let wall = self
            .wall
            .checked_add_signed(chrono_duration(duration))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        Moment::at(wall, self)
    }
}

/// A moment of the wall clock, and the same moment on the monotonic clock as
/// measured when it was set. It has passed when either clock says so: a wall
/// clock set back does not keep credentials past their time, and a monotonic
/// clock stopped while the machine slept does not either.
#[derive(Clone, Copy)]
struct Moment {
    wall: DateTime<Utc>,
    /// `None`: too far ahead for the monotonic clock to reach.
    steady: Option<tokio::time::Instant>,
}

impl Moment {
    fn at(wall: DateTime<Utc>, now: Now) -> Self {
        let ahead = (wall - now.wall).to_std().unwrap_or(Duration::ZERO);
        Self {
            wall,
            steady: now.steady.checked_add(ahead),
        }
    }

    fn passed(self, now: Now) -> bool {
        now.wall >= self.wall || self.steady.is_some_and(|at| now.steady >= at)
    }

    fn min(self, other: Self) -> Self {
        Self {
            wall: self.wall.min(other.wall),
            steady: match (self.steady, other.steady) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
        }
    }
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("provider", &self.inner.provider)
            .field("refresh_margin", &self.inner.margin)
            .finish_non_exhaustive()
    }
}

impl CredentialsCache {
    pub(crate) fn new(provider: Arc<dyn ProvideCredentials>, margin: Duration) -> Self {
        Self {
            inner: Arc::new(Inner {
                provider,
                margin,
                current: RwLock::new(None),
                refresh: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// The same provider behind a new, empty cache with another margin.
    pub(crate) fn with_margin(&self, margin: Duration) -> Self {
        Self::new(self.inner.provider.clone(), margin)
    }

    fn cached(&self) -> Option<Cached> {
        self.inner
            .current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn fresh(&self, now: Now) -> Option<Arc<Credentials>> {
        self.cached()
            .filter(|c| c.refresh_at.is_none_or(|at| !at.passed(now)))
            .map(|c| c.credentials)
    }

    fn store(&self, cached: Cached) {
        *self
            .inner
            .current
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(cached);
    }

    pub(crate) async fn get(&self) -> Result<Arc<Credentials>, CredentialsError> {
        if let Some(credentials) = self.fresh(Now::read()) {
            return Ok(credentials);
        }
        let _refreshing = self.inner.refresh.lock().await;
        // Whoever held the lock before may have refreshed already.
        if let Some(credentials) = self.fresh(Now::read()) {
            return Ok(credentials);
        }
        let result = self.inner.provider.provide_credentials().await;
        // Read after the answer, so a slow source does not shorten the time
        // its credentials are kept on the monotonic clock.
        let now = Now::read();
        match result {
            Ok(credentials) => {
                let expires = credentials.expires_at();
                let refresh_at =
                    expires.map(|e| Moment::at(refresh_time(now.wall, e, self.inner.margin), now));
                let credentials = Arc::new(credentials);
                self.store(Cached {
                    credentials: credentials.clone(),
                    refresh_at,
                    expires: expires.map(|e| Moment::at(e, now)),
                });
                Ok(credentials)
            }
            Err(error) => {
                let still_valid = self
                    .cached()
                    .filter(|c| c.expires.is_some_and(|e| !e.passed(now)));
                let Some(old) = still_valid else {
                    return Err(error);
                };
                tracing::warn!(error = %error, "credentials could not be refreshed; using the cached ones until they expire");
                let retry = now.after(RETRY_AFTER_FAILURE);
                let credentials = old.credentials.clone();
                self.store(Cached {
                    refresh_at: Some(old.expires.map_or(retry, |e| retry.min(e))),
                    ..old
                });
                Ok(credentials)
            }
        }
    }
}

/// When credentials that expire at `expires` should be replaced: `margin`
/// before; for credentials that arrive already inside the margin, a little
/// later (see [`MIN_REUSE`]), but never after they expire.
fn refresh_time(now: DateTime<Utc>, expires: DateTime<Utc>, margin: Duration) -> DateTime<Utc> {
    let planned = expires
        .checked_sub_signed(chrono_duration(margin))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    if planned > now {
        planned
    } else {
        now.checked_add_signed(chrono_duration(MIN_REUSE))
            .unwrap_or(expires)
            .min(expires)
    }
}

fn chrono_duration(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::AccessKeyCredentials;
    use crate::auth::provider::ProvideFuture;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Hands out credentials valid for `valid` on the first call, then fails.
    #[derive(Debug)]
    struct OnceThenDown {
        calls: AtomicUsize,
        valid: Duration,
    }

    impl ProvideCredentials for OnceThenDown {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            let call = self.calls.fetch_add(1, Ordering::SeqCst);
            let result = if call == 0 {
                Ok(Credentials::AccessKey(
                    AccessKeyCredentials::new("AK", "SK")
                        .unwrap()
                        .with_expiry(Utc::now() + chrono_duration(self.valid)),
                ))
            } else {
                Err(CredentialsError::NotLoaded("source away".into()))
            };
            Box::pin(std::future::ready(result))
        }
    }

    #[test]
    fn credentials_are_replaced_forty_minutes_before_they_expire() {
        let now = Utc::now();
        let minutes = |m: i64| chrono::Duration::minutes(m);
        assert_eq!(DEFAULT_REFRESH_MARGIN, Duration::from_secs(2400));
        assert_eq!(
            refresh_time(now, now + minutes(41), DEFAULT_REFRESH_MARGIN),
            now + minutes(1)
        );
        // Arrived inside the margin (or exactly at it): used for MIN_REUSE,
        // not replaced before every request.
        for expires in [now + minutes(39), now + minutes(40)] {
            assert_eq!(
                refresh_time(now, expires, DEFAULT_REFRESH_MARGIN),
                now + minutes(1)
            );
        }
        // ... but never past their expiry.
        let soon = now + chrono::Duration::seconds(20);
        assert_eq!(refresh_time(now, soon, DEFAULT_REFRESH_MARGIN), soon);
    }

    #[test]
    fn the_cache_shows_its_provider_and_margin_and_no_credentials() {
        let provider = Arc::new(OnceThenDown {
            calls: AtomicUsize::new(0),
            valid: Duration::from_secs(3600),
        });
        let cache = CredentialsCache::new(provider, DEFAULT_REFRESH_MARGIN);
        assert_eq!(
            format!("{cache:?}"),
            "CredentialsCache { provider: OnceThenDown { calls: 0, valid: 3600s }, \
             refresh_margin: 2400s, .. }"
        );
    }

    /// The cache on tokio's paused clock: the times below are exact, and the
    /// test takes no real time.
    #[tokio::test(start_paused = true)]
    async fn a_failed_refresh_keeps_valid_credentials_and_waits_before_trying_again() {
        let provider = Arc::new(OnceThenDown {
            calls: AtomicUsize::new(0),
            valid: Duration::from_millis(3_600_000 + 1_500),
        });
        let cache = CredentialsCache::new(provider.clone(), Duration::from_secs(3600));
        let first = cache.get().await.unwrap().expires_at();
        tokio::time::advance(Duration::from_millis(1_499)).await;
        cache.get().await.unwrap();
        assert_eq!(
            provider.calls.load(Ordering::SeqCst),
            1,
            "before the margin"
        );
        // Inside the margin: the refresh fails, the old credentials serve on.
        tokio::time::advance(Duration::from_millis(1)).await;
        assert_eq!(cache.get().await.unwrap().expires_at(), first);
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
        // And the source is asked again only after RETRY_AFTER_FAILURE.
        tokio::time::advance(RETRY_AFTER_FAILURE - Duration::from_millis(1)).await;
        cache.get().await.unwrap();
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
        tokio::time::advance(Duration::from_millis(1)).await;
        cache.get().await.unwrap();
        assert_eq!(provider.calls.load(Ordering::SeqCst), 3);

        // Past the expiry on the monotonic clock (the wall clock has not
        // moved): nothing valid is left, and the failure is the caller's.
        tokio::time::advance(Duration::from_secs(3600)).await;
        assert!(cache.get().await.unwrap_err().is_not_loaded());
        assert_eq!(provider.calls.load(Ordering::SeqCst), 4);

        // With nothing valid cached, the failure is the caller's.
        let provider = Arc::new(OnceThenDown {
            calls: AtomicUsize::new(1),
            valid: Duration::ZERO,
        });
        let cache = CredentialsCache::new(provider, Duration::from_secs(60));
        assert!(cache.get().await.unwrap_err().is_not_loaded());
    }

    #[test]
    fn a_moment_has_passed_when_either_clock_says_so() {
        let now = Now::read();
        let moment = now.after(Duration::from_secs(10));
        assert!(!moment.passed(now));
        let later_steady = Now {
            steady: now.steady + Duration::from_secs(10),
            ..now
        };
        assert!(moment.passed(later_steady));
        let later_wall = Now {
            wall: now.wall + chrono::Duration::seconds(10),
            ..now
        };
        assert!(moment.passed(later_wall));
        // Too far ahead for either clock: never passes, and nothing panics.
        let far = now.after(Duration::MAX);
        assert!(!far.passed(later_steady) && !far.passed(later_wall));
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn refreshes_a_margin_before_expiry_but_not_in_a_loop() {
        let margin = Duration::from_secs(600);
        // Plenty of time left: the margin before expiry.
        assert_eq!(refresh_time(at(0), at(3600), margin), at(3000));
        assert_eq!(refresh_time(at(0), at(602), margin), at(2));
        // Already inside the margin: reused for a minute.
        assert_eq!(refresh_time(at(0), at(300), margin), at(60));
        // Never past the expiry.
        assert_eq!(refresh_time(at(0), at(30), margin), at(30));
    }
}
