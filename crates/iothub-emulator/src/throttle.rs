//! Optional S1-tier throttling of the service API (off by default).
//!
//! Clients that will meet a real hub's throttles (protocol reference §G) need to see them
//! locally: the hub first queues excess requests ("traffic shaping") and only then answers
//! 429001. Each category is a GCRA limiter — a request is admitted at its theoretical arrival
//! time — with a burst allowance; a request that would wait longer than [`MAX_QUEUE`] is refused.

use std::sync::Mutex;
use std::time::Duration;

use iothub_model::ErrorCode;
use tokio::time::Instant;

use crate::error::EmulatorError;

/// The longest a request is held in the queue before it is refused with 429001.
pub(crate) const MAX_QUEUE: Duration = Duration::from_secs(5);

/// What a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Category {
    /// Identity registry operations: 100/min.
    Registry,
    /// Queries: 20/min.
    Query,
    /// Twin reads: 100/s.
    TwinRead,
    /// Twin updates: 50/s.
    TwinUpdate,
    /// Direct methods: 160 KB/s metered in 4 KB units, i.e. 40 small calls/s.
    Methods,
    /// Jobs operations: 100/min.
    Jobs,
    /// File upload initiations: 1.67/s.
    FileUpload,
}

impl Category {
    const ALL: [Category; 7] = [
        Category::Registry,
        Category::Query,
        Category::TwinRead,
        Category::TwinUpdate,
        Category::Methods,
        Category::Jobs,
        Category::FileUpload,
    ];

    /// (requests per second, burst) for one S1 unit.
    fn limits(self) -> (f64, u32) {
        match self {
            Category::Registry | Category::Jobs => (100.0 / 60.0, 10),
            Category::Query => (20.0 / 60.0, 5),
            Category::TwinRead => (100.0, 100),
            Category::TwinUpdate => (50.0, 50),
            Category::Methods => (40.0, 40),
            Category::FileUpload => (100.0 / 60.0, 5),
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }

    fn name(self) -> &'static str {
        match self {
            Category::Registry => "identity registry operations",
            Category::Query => "queries",
            Category::TwinRead => "twin reads",
            Category::TwinUpdate => "twin updates",
            Category::Methods => "direct methods",
            Category::Jobs => "jobs operations",
            Category::FileUpload => "file upload initiations",
        }
    }
}

/// The limiters of all categories.
#[derive(Debug)]
pub(crate) struct Throttle {
    /// Per category: the theoretical arrival time of the next request.
    next: Mutex<[Option<Instant>; 7]>,
}

impl Default for Throttle {
    fn default() -> Self {
        Self::new()
    }
}

impl Throttle {
    /// Limiters with nothing consumed.
    pub(crate) fn new() -> Self {
        Self {
            next: Mutex::new([None; 7]),
        }
    }

    /// Waits until a request of `category` may proceed, or refuses it with 429001 when that
    /// would take longer than [`MAX_QUEUE`].
    pub(crate) async fn admit(&self, category: Category) -> Result<(), EmulatorError> {
        let (rate, burst) = category.limits();
        let interval = Duration::from_secs_f64(1.0 / rate);
        let tolerance = interval * burst.saturating_sub(1);
        let now = Instant::now();
        let wait = {
            let mut next = self
                .next
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let slot = &mut next[category.index()];
            let tat = slot.map_or(now, |t| t.max(now));
            // Admitted at `tat - tolerance`; the burst lets that be in the past.
            let admit_at = tat.checked_sub(tolerance).unwrap_or(now).max(now);
            let wait = admit_at - now;
            if wait > MAX_QUEUE {
                return Err(EmulatorError::hub(
                    ErrorCode::ThrottlingException,
                    format!(
                        "Throttled: {} are limited to {rate:.2}/s on this hub (S1). Retry later.",
                        category.name()
                    ),
                ));
            }
            *slot = Some(tat + interval);
            wait
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn bursts_pass_then_requests_queue_then_are_refused() {
        let throttle = Throttle::new();
        let start = Instant::now();
        for _ in 0..10 {
            throttle.admit(Category::Registry).await.unwrap();
        }
        assert_eq!(Instant::now(), start, "the burst is admitted at once");
        throttle.admit(Category::Registry).await.unwrap();
        assert!(Instant::now() > start, "the next request is queued");
        // Fill the queue: with 0.6 s per request, a 5 s queue holds about 8 more.
        let mut refused = None;
        for i in 0..20 {
            let t = &throttle;
            // Requests arrive together: admit without awaiting the earlier ones' sleeps.
            let admitted = tokio::time::timeout(Duration::ZERO, t.admit(Category::Registry)).await;
            if let Ok(Err(e)) = admitted {
                refused = Some((i, e));
                break;
            }
        }
        let (_, err) = refused.expect("a full queue refuses requests");
        assert_eq!(err.code(), ErrorCode::ThrottlingException);
        assert!(err.to_string().contains("identity registry"), "{err}");
        // Other categories are independent.
        throttle.admit(Category::TwinRead).await.unwrap();
    }
}
