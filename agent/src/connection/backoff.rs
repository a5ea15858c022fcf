//! The retry state of one connection (or one twin request loop): how many attempts failed,
//! and the next delay from the workspace's one backoff schedule, [`iothub_model::Backoff`]
//! (capped exponential, full jitter), so a fleet that lost its hub comes back spread out.

use std::time::Duration;

use rand::Rng;

/// The shape of the backoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReconnectPolicy {
    /// The window of the first retry.
    pub initial_delay: Duration,
    /// The largest window.
    pub max_delay: Duration,
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        Self {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
        }
    }
}

/// The retry state of one connection.
#[derive(Debug, Clone)]
pub struct Backoff {
    policy: ReconnectPolicy,
    /// Failed attempts since the last success.
    attempts: u32,
}

impl Backoff {
    /// A fresh backoff (the next delay is in the first window).
    pub fn new(policy: ReconnectPolicy) -> Self {
        Self {
            policy,
            attempts: 0,
        }
    }

    /// Failed attempts since the last [`Backoff::reset`].
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Forgets past failures.
    pub fn reset(&mut self) {
        self.attempts = 0;
    }

    /// The longest delay of the policy, for failures that waiting longer cannot fix sooner.
    pub fn max_delay(&self) -> Duration {
        self.policy.max_delay
    }

    fn schedule(&self) -> iothub_model::Backoff {
        iothub_model::Backoff::new(self.policy.initial_delay, self.policy.max_delay)
    }

    /// The nominal window of the next attempt: `initial * 2^attempts`, capped.
    pub fn window(&self) -> Duration {
        self.schedule().ceiling(self.attempts.saturating_add(1))
    }

    /// The delay before the next attempt, drawn from `[0, window]`, and counts the attempt.
    pub fn next_delay(&mut self, rng: &mut impl Rng) -> Duration {
        self.attempts = self.attempts.saturating_add(1);
        self.schedule().delay(self.attempts, rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng as _;

    fn policy() -> ReconnectPolicy {
        ReconnectPolicy {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
        }
    }

    #[test]
    fn delays_grow_then_stay_under_the_cap() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut backoff = Backoff::new(policy());
        let windows: Vec<u64> = (0..10)
            .map(|_| {
                let window = backoff.window();
                let delay = backoff.next_delay(&mut rng);
                assert!(delay <= window, "{delay:?} vs {window:?}");
                window.as_secs()
            })
            .collect();
        assert_eq!(windows, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
        for _ in 0..1000 {
            assert!(backoff.next_delay(&mut rng) <= Duration::from_secs(60));
        }
        backoff.reset();
        assert_eq!(backoff.window(), Duration::from_secs(1));
    }

    #[test]
    fn delays_are_spread_out() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let delays: std::collections::BTreeSet<Duration> = (0..50)
            .map(|_| {
                let mut b = Backoff::new(policy());
                for _ in 0..6 {
                    b.next_delay(&mut rng);
                }
                b.next_delay(&mut rng)
            })
            .collect();
        assert!(
            delays.len() > 40,
            "50 devices should not retry in lockstep: {delays:?}"
        );
    }
}
