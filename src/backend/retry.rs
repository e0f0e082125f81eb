//! The retry policy shared by the HTTP backends.

use std::future::Future;
use std::time::{Duration, SystemTime};

use super::BackendError;

/// Exponential backoff with jitter, honouring `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, including the first (1 = never retry).
    pub max_attempts: u32,
    /// Delay before the first retry; doubled each time.
    pub base_delay: Duration,
    /// Ceiling on any one delay, including a server's `Retry-After`.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (1 = the first retry).
    ///
    /// A server's `Retry-After` wins, because it knows its own rate limits,
    /// but is capped at `max_delay` so a confused server cannot park a run
    /// for an hour. Otherwise "full jitter": a uniform draw from zero to the
    /// exponential ceiling, which spreads clients that failed together.
    pub fn delay_for(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        rng: &mut impl rand::Rng,
    ) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.max_delay);
        }
        let ceiling = self.backoff_ceiling(retry);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.random_range(0..=nanos))
    }

    /// The upper bound of the jittered wait before retry number `retry`:
    /// `base_delay * 2^(retry-1)`, never above `max_delay`.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }
}

/// Reads a `Retry-After` header: either whole seconds or an HTTP-date.
///
/// `now` is a parameter so the date form is testable. A date in the past
/// means "retry now" (zero); anything unreadable is ignored (`None`) and the
/// normal backoff applies.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// One failed attempt, with the server's `Retry-After` when it sent one.
#[derive(Debug)]
pub(crate) struct AttemptError {
    pub error: BackendError,
    pub retry_after: Option<Duration>,
    /// Not retried whatever the error: a timeout on a local server, which
    /// is still working on the request and would only queue a copy behind it.
    pub last: bool,
}

impl From<BackendError> for AttemptError {
    fn from(error: BackendError) -> Self {
        Self {
            error,
            retry_after: None,
            last: false,
        }
    }
}

/// Runs `attempt` until it succeeds, fails with a non-retryable error, or
/// the policy's attempts are spent (`RetriesExhausted`).
///
/// Callers make sure an attempt hands no body bytes to anyone before it
/// returns, so a retry never duplicates or truncates text.
pub(crate) async fn run_with_retries<T, F, Fut>(
    policy: &RetryPolicy,
    mut attempt: F,
) -> Result<T, BackendError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AttemptError>>,
{
    let max = policy.max_attempts.max(1);
    let mut made = 0;
    loop {
        made += 1;
        let AttemptError {
            error,
            retry_after,
            last,
        } = match attempt().await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        if last || !error.is_retryable() {
            return Err(error);
        }
        if made >= max {
            return Err(if max > 1 {
                BackendError::RetriesExhausted {
                    attempts: made,
                    last: Box::new(error),
                }
            } else {
                error
            });
        }
        let delay = policy.delay_for(made, retry_after, &mut rand::rng());
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
        }
    }

    #[test]
    fn backoff_ceiling_doubles_then_caps() {
        let p = policy();
        let ceilings: Vec<u128> = (1..=6).map(|r| p.backoff_ceiling(r).as_millis()).collect();
        assert_eq!(ceilings, vec![100, 200, 400, 800, 1000, 1000]);
        assert_eq!(p.backoff_ceiling(200), Duration::from_millis(1000));
    }

    #[test]
    fn jittered_delay_stays_within_bounds_and_varies() {
        let p = policy();
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for retry in 1..=6 {
            let draws: Vec<Duration> = (0..200)
                .map(|_| p.delay_for(retry, None, &mut rng))
                .collect();
            assert!(draws.iter().all(|d| *d <= p.backoff_ceiling(retry)));
            let distinct: std::collections::HashSet<_> = draws.iter().collect();
            assert!(distinct.len() > 100, "full jitter should spread delays");
        }
    }

    #[test]
    fn seeded_rng_makes_delays_reproducible() {
        let p = policy();
        let a: Vec<_> = {
            let mut rng = rand::rngs::StdRng::seed_from_u64(1);
            (1..=4).map(|r| p.delay_for(r, None, &mut rng)).collect()
        };
        let b: Vec<_> = {
            let mut rng = rand::rngs::StdRng::seed_from_u64(1);
            (1..=4).map(|r| p.delay_for(r, None, &mut rng)).collect()
        };
        assert_eq!(a, b);
    }

    #[test]
    fn retry_after_wins_but_is_capped() {
        let p = policy();
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        assert_eq!(
            p.delay_for(1, Some(Duration::from_millis(700)), &mut rng),
            Duration::from_millis(700)
        );
        assert_eq!(
            p.delay_for(1, Some(Duration::from_secs(3600)), &mut rng),
            Duration::from_millis(1000)
        );
    }

    #[test]
    fn parses_retry_after_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").expect("valid date");
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    #[tokio::test]
    async fn gives_up_with_attempt_count_on_retryable_errors() {
        let p = RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
        };
        let mut calls = 0;
        let err = run_with_retries(&p, || {
            calls += 1;
            async {
                Err::<(), _>(AttemptError::from(BackendError::Status {
                    status: 503,
                    url: "http://127.0.0.1/x".into(),
                    body: "busy".into(),
                }))
            }
        })
        .await
        .expect_err("always fails");
        assert_eq!(calls, 3);
        assert!(
            matches!(err, BackendError::RetriesExhausted { attempts: 3, .. }),
            "{err}"
        );
    }

    #[tokio::test]
    async fn never_retries_a_400() {
        let mut calls = 0;
        let err = run_with_retries(&policy(), || {
            calls += 1;
            async {
                Err::<(), _>(AttemptError::from(BackendError::Status {
                    status: 400,
                    url: "http://127.0.0.1/x".into(),
                    body: "bad".into(),
                }))
            }
        })
        .await
        .expect_err("fails");
        assert_eq!(calls, 1);
        assert!(matches!(err, BackendError::Status { status: 400, .. }));
    }

    #[tokio::test]
    async fn a_timeout_is_retried_unless_it_is_the_last_attempt_of_a_local_server() {
        let timeout = || BackendError::Timeout {
            url: "https://api.example.com/v1/chat/completions".into(),
            after: Duration::from_secs(1),
        };
        let p = RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
        };
        let mut calls = 0;
        let err = run_with_retries(&p, || {
            calls += 1;
            async { Err::<(), _>(AttemptError::from(timeout())) }
        })
        .await
        .expect_err("always times out");
        assert_eq!(calls, 3);
        assert!(
            matches!(err, BackendError::RetriesExhausted { .. }),
            "{err}"
        );

        let mut calls = 0;
        let err = run_with_retries(&p, || {
            calls += 1;
            async {
                Err::<(), _>(AttemptError {
                    last: true,
                    ..AttemptError::from(timeout())
                })
            }
        })
        .await
        .expect_err("times out");
        assert_eq!(calls, 1);
        assert!(matches!(err, BackendError::Timeout { .. }), "{err}");
    }
}
