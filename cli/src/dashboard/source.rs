//! Reading the fleet: one page of a query at a time, through the same client as every command,
//! and the query budget that keeps the dashboard within the hub's quota.
//!
//! The typed commands' [`Hub`] seam has no paged query (a command resolves its whole target at
//! once), so the fleet view adds exactly one read, [`FleetSource::query_page`], next to it. Writes
//! still go only through [`Hub`], so an action from the dashboard is the same call a command
//! makes.

use std::collections::VecDeque;
use std::future::Future;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::fleet::{self, ConnectionCounts, FleetRow};
use crate::dm::hub::{Hub, ServiceHub};
use crate::exit::CliError;

/// One page of query rows and the token for the next one (`None` on the last page).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The rows, as the hub returned them.
    pub rows: Vec<Value>,
    /// The continuation token for the next page.
    pub continuation: Option<String>,
}

/// A hub the fleet view can read: the typed commands' [`Hub`] plus paged queries.
pub trait FleetSource: Hub {
    /// The page of `query` after `continuation` (the first page when `None`), of at most
    /// `page_size` rows.
    fn query_page(
        &self,
        query: &str,
        continuation: Option<&str>,
        page_size: u32,
    ) -> impl Future<Output = Result<Page, CliError>> + Send;
}

impl FleetSource for ServiceHub {
    async fn query_page(
        &self,
        query: &str,
        continuation: Option<&str>,
        page_size: u32,
    ) -> Result<Page, CliError> {
        let mut paged = self
            .client()
            .query(query.to_owned())
            .page_size(page_size.clamp(1, iothub_client::MAX_PAGE_SIZE));
        if let Some(token) = continuation {
            paged = paged.continue_from(token.to_owned());
        }
        match paged.next_page().await.map_err(CliError::from)? {
            Some(page) => Ok(Page {
                rows: page.items,
                continuation: page.continuation,
            }),
            None => Ok(Page::default()),
        }
    }
}

/// The whole fleet (or the devices `condition` selects): every row, all pages of 1,000, plus
/// the hub's connection counts; returns how many queries it spent.
pub async fn read_fleet<S: FleetSource>(
    source: &S,
    condition: Option<&str>,
) -> Result<(Vec<FleetRow>, ConnectionCounts, u32), CliError> {
    let count_query = fleet::count_query(condition);
    let counts_page = source
        .query_page(&count_query, None, iothub_client::MAX_PAGE_SIZE)
        .await
        .map_err(|e| crate::fleet::error_in_condition(e, &count_query, condition))?;
    let counts = ConnectionCounts::from_rows(&counts_page.rows);
    let mut spent = 1;
    let query = fleet::fleet_query(condition);
    let mut rows = Vec::new();
    let mut continuation: Option<String> = None;
    loop {
        let page = source
            .query_page(
                &query,
                continuation.as_deref(),
                iothub_client::MAX_PAGE_SIZE,
            )
            .await
            .map_err(|e| crate::fleet::error_in_condition(e, &query, condition))?;
        spent += 1;
        rows.extend(page.rows.iter().map(FleetRow::from_projection));
        match page.continuation {
            Some(token) if !page.rows.is_empty() => continuation = Some(token),
            _ => break,
        }
    }
    Ok((rows, counts, spent))
}

/// Queries allowed per rolling minute, and the ones spent in the last minute.
///
/// A real S1 unit allows 20 queries per minute (S3: 1,000), shared by everything using the hub;
/// the dashboard takes a configurable share and never more, so leaving it open on a production
/// hub cannot throttle the hub's other clients.
#[derive(Debug, Clone)]
pub struct Budget {
    /// Queries allowed per rolling minute.
    per_minute: u32,
    /// When each query of the last minute was sent.
    spent: VecDeque<Instant>,
}

impl Budget {
    /// A budget of `per_minute` queries (at least one).
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute: per_minute.max(1),
            spent: VecDeque::new(),
        }
    }

    fn expire(&mut self, now: Instant) {
        while self
            .spent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
        {
            self.spent.pop_front();
        }
    }

    /// Records `count` queries at `now` if they fit in the budget; `false` (nothing recorded)
    /// otherwise.
    pub fn try_spend(&mut self, count: u32, now: Instant) -> bool {
        self.expire(now);
        let used = u32::try_from(self.spent.len()).unwrap_or(u32::MAX);
        if used.saturating_add(count) > self.per_minute {
            return false;
        }
        for _ in 0..count {
            self.spent.push_back(now);
        }
        true
    }

    /// Queries spent in the minute before `now`.
    pub fn used(&mut self, now: Instant) -> u32 {
        self.expire(now);
        u32::try_from(self.spent.len()).unwrap_or(u32::MAX)
    }

    /// Queries allowed per minute.
    pub fn per_minute(&self) -> u32 {
        self.per_minute
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_refuses_what_does_not_fit_and_frees_after_a_minute() {
        let start = Instant::now();
        let mut budget = Budget::new(3);
        assert!(budget.try_spend(2, start));
        assert!(!budget.try_spend(2, start));
        assert!(budget.try_spend(1, start));
        assert_eq!(budget.used(start), 3);
        assert!(!budget.try_spend(1, start + Duration::from_secs(59)));
        assert!(budget.try_spend(1, start + Duration::from_secs(60)));
        assert_eq!(budget.used(start + Duration::from_secs(60)), 1);
    }
}
