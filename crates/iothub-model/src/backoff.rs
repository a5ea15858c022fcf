//! Capped exponential backoff with full jitter: the one retry schedule of the workspace.
//!
//! Thousands of devices lose the hub at the same moment when it restarts, and a fleet of calls
//! is throttled at the same moment when it hits a quota; if they all retried on one schedule
//! they would knock the hub over again. Each delay is drawn uniformly from zero to a ceiling
//! that doubles per retry up to a cap ("full jitter", which spreads retries best; see AWS's
//! "Exponential Backoff And Jitter"). The service client's request retries, the agent's
//! reconnects and twin retries, and dmctl's fleet rounds all draw from here.
//!
//! The random source is the caller's, so this stays free of I/O and tests can seed it.

use std::time::Duration;

use rand::Rng;

/// The shape of a backoff: the first ceiling and the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The ceiling of the first retry.
    pub base: Duration,
    /// The largest ceiling.
    pub max: Duration,
}

impl Backoff {
    /// A backoff starting at `base` and capped at `max`.
    pub const fn new(base: Duration, max: Duration) -> Self {
        Self { base, max }
    }

    /// The ceiling of retry number `retry` (1 for the first): `min(max, base * 2^(retry-1))`.
    pub fn ceiling(&self, retry: u32) -> Duration {
        self.base
            .saturating_mul(1u32 << retry.saturating_sub(1).min(20))
            .min(self.max)
    }

    /// The delay before retry number `retry`: uniform in `0..=ceiling(retry)`.
    pub fn delay(&self, retry: u32, rng: &mut impl Rng) -> Duration {
        let ceiling = u64::try_from(self.ceiling(retry).as_nanos()).unwrap_or(u64::MAX);
        if ceiling == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(rng.random_range(0..=ceiling))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng as _;

    #[test]
    fn ceilings_double_then_stay_at_the_cap() {
        let b = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));
        let ceilings: Vec<u64> = (1..=10).map(|r| b.ceiling(r).as_secs()).collect();
        assert_eq!(ceilings, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
        assert_eq!(b.ceiling(0), Duration::from_secs(1));
        assert_eq!(b.ceiling(u32::MAX), Duration::from_secs(60));
    }

    #[test]
    fn delays_stay_under_the_ceiling_and_use_the_whole_range() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let b = Backoff::new(Duration::from_millis(100), Duration::from_secs(1));
        let delays: Vec<Duration> = (0..2000).map(|_| b.delay(4, &mut rng)).collect();
        assert!(delays.iter().all(|d| *d <= Duration::from_millis(800)));
        // Full jitter: some retries come early, some late, not only in the upper half.
        assert!(delays.iter().any(|d| *d < Duration::from_millis(100)));
        assert!(delays.iter().any(|d| *d > Duration::from_millis(700)));
        assert_eq!(
            Backoff::new(Duration::ZERO, Duration::ZERO).delay(3, &mut rng),
            Duration::ZERO
        );
    }
}
