//! When and how long to wait before repeating a request.
//!
//! IoT Hub throttles aggressively (§G: 100 registry operations a minute on S1) and answers 429 or
//! 503 instead of queueing forever, so a client that gives up on the first 429 is useless for
//! fleet work. Backoff is capped exponential with full jitter so that many clients throttled at
//! the same moment do not come back in lockstep; an explicit `Retry-After` from the hub wins.

use std::time::Duration;

/// Retry settings for transient failures (429, 503, refused or reset connections).
///
/// Requests that are safe to repeat (reads, queries, deletes, conditional writes) are retried up
/// to [`max_attempts`](Self::max_attempts) times in total. Creations, bulk operations and direct
/// methods are repeated only when the caller opts in, except when the connection was refused, in
/// which case nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    retry_throttled: bool,
}

impl Default for RetryPolicy {
    /// 5 attempts, 200 ms base delay, 10 s cap, `Retry-After` honoured up to 60 s, throttled
    /// answers retried.
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            retry_throttled: true,
        }
    }
}

impl RetryPolicy {
    /// The default policy (see [`Default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// A policy that never retries.
    pub fn none() -> Self {
        Self::default().max_attempts(1)
    }

    /// Total attempts including the first (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The delay bound of the first retry; each further retry doubles it.
    #[must_use]
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The largest delay bound computed by the exponential backoff.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest `Retry-After` honoured; longer requests are shortened to this.
    #[must_use]
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// Whether a throttled answer (429) is repeated here (the default) or returned at once.
    ///
    /// Turn it off when the caller has its own throttle layer, e.g. one that pauses a whole
    /// fleet: stacked, the two layers multiply the requests a throttled hub receives. 503 and
    /// connection failures are still retried.
    #[must_use]
    pub fn retry_throttled(mut self, retry: bool) -> Self {
        self.retry_throttled = retry;
        self
    }

    /// Whether throttled answers (429) are retried (see [`Self::retry_throttled`]).
    pub fn retries_throttled(&self) -> bool {
        self.retry_throttled
    }

    /// Total attempts including the first.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// How long to wait before retry number `retry` (1 for the first retry).
    ///
    /// With a `Retry-After` the wait is exactly that (capped); otherwise it is uniformly random
    /// in `0..=min(max_delay, base_delay * 2^(retry-1))` ("full jitter").
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after {
            return after.min(self.max_retry_after);
        }
        iothub_model::Backoff::new(self.base_delay, self.max_delay).delay(retry, &mut rand::rng())
    }
}

/// Parses `Retry-After` as delay-seconds (the form the hub uses). HTTP dates are ignored, which
/// falls back to the computed backoff.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jittered_delay_stays_under_the_exponential_bound_and_cap() {
        let policy = RetryPolicy::new()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(1));
        for _ in 0..200 {
            assert!(policy.delay(1, None) <= Duration::from_millis(100));
            assert!(policy.delay(3, None) <= Duration::from_millis(400));
            assert!(policy.delay(10, None) <= Duration::from_secs(1));
            assert!(policy.delay(u32::MAX, None) <= Duration::from_secs(1));
        }
    }

    #[test]
    fn jitter_varies() {
        let policy = RetryPolicy::new().base_delay(Duration::from_secs(1));
        let first = policy.delay(4, None);
        assert!((0..50).any(|_| policy.delay(4, None) != first));
    }

    #[test]
    fn retry_after_wins_and_is_capped() {
        let policy = RetryPolicy::new().max_retry_after(Duration::from_secs(5));
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(3600))),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn attempts_never_drop_below_one() {
        assert_eq!(RetryPolicy::new().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::default().attempts(), 5);
    }

    #[test]
    fn retry_after_parsing() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("1.5"), None);
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after(""), None);
    }
}
