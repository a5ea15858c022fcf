//! Busy leases: applications on the device say "not now" to disruptive operations.
//!
//! A lease has an id, a holder, a reason and an expiry. A disruptive operation (reboot, factory
//! reset, app stop/restart/remove, update install) checks them before it starts: it is refused
//! with 409 and `retryAfter`, or postponed until the leases end when the caller asked, or runs
//! anyway with `force`. Expired leases never block, so a crashed application cannot hold the
//! device forever; the TTL is capped for the same reason.
//!
//! The same [`Leases`] value serves the library API (an application embedding the client), the
//! local Unix socket ([`server`]) and the dispatcher, and is persisted in the state directory so
//! a lease survives an agent restart.

pub mod cli;
pub mod client;
pub mod protocol;
pub mod server;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use dm_contract::check;
use dm_contract::{BusyLease, BusyReport, MAX_REPORTED_ITEMS};
use jiff::{SignedDuration, Timestamp};
use tokio::sync::watch;

use crate::error::{DmError, DmResult};
use crate::state::StateDir;

/// The longest TTL a lease may ask for: one day. Longer holds must renew, so a dead holder
/// releases the device within a day at worst.
pub const MAX_LEASE_TTL_SECONDS: u32 = 86_400;
/// The most leases held at once (they are all reported in the twin).
pub const MAX_LEASES: usize = MAX_REPORTED_ITEMS;
/// The state document holding the leases.
const LEASES_FILE: &str = "leases.json";

/// Where "now" comes from; tests substitute a manual clock.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// What an application asks for when it takes a lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcquireRequest {
    /// A lease id of the holder's choosing (re-acquiring one's own id renews it); `None` lets
    /// the agent pick one.
    pub id: Option<String>,
    /// Who holds it (the application's name).
    pub holder: String,
    /// Why, shown to operators in the 409 answer and in the twin.
    pub reason: String,
    /// Seconds until the lease expires unless renewed, 1 to [`MAX_LEASE_TTL_SECONDS`].
    pub ttl_seconds: u32,
}

/// The set of busy leases on this device. Cheap to clone; clones share the set.
#[derive(Clone)]
pub struct Leases {
    inner: Arc<Inner>,
}

struct Inner {
    /// Leases by id, expired ones included until the next change prunes them.
    map: Mutex<BTreeMap<String, BusyLease>>,
    /// Where the set is persisted, if anywhere.
    store: Option<StateDir>,
    /// Bumped on every change, so waiters and reporters wake up.
    changed: watch::Sender<u64>,
    /// The clock.
    clock: Clock,
}

impl std::fmt::Debug for Leases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Leases")
            .field("held", &self.lock().len())
            .finish_non_exhaustive()
    }
}

impl Default for Leases {
    fn default() -> Self {
        Self::new()
    }
}

impl Leases {
    /// An empty, in-memory lease set.
    pub fn new() -> Self {
        Self::build(None, BTreeMap::new(), Arc::new(Timestamp::now))
    }

    /// A lease set persisted in `state` (`leases.json`), loading the leases still active.
    pub fn persistent(state: &StateDir) -> Self {
        let stored: Vec<BusyLease> = state.load_or_default(LEASES_FILE);
        let map = stored.into_iter().map(|l| (l.id.clone(), l)).collect();
        let leases = Self::build(Some(state.clone()), map, Arc::new(Timestamp::now));
        leases.prune();
        leases
    }

    /// The same set with another clock (for tests of expiry).
    #[must_use]
    pub fn with_clock(self, clock: Clock) -> Self {
        let map = std::mem::take(&mut *self.lock());
        Self::build(self.inner.store.clone(), map, clock)
    }

    fn build(store: Option<StateDir>, map: BTreeMap<String, BusyLease>, clock: Clock) -> Self {
        let (changed, _) = watch::channel(0);
        Self {
            inner: Arc::new(Inner {
                map: Mutex::new(map),
                store,
                changed,
                clock,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, BusyLease>> {
        self.inner
            .map
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn now(&self) -> Timestamp {
        (self.inner.clock)()
    }

    /// Takes (or, for the holder's own id, renews) a lease.
    pub fn acquire(&self, request: AcquireRequest) -> DmResult<BusyLease> {
        check::name("holder", &request.holder)?;
        check::text("reason", &request.reason, check::MAX_TEXT_LEN)?;
        check_ttl(request.ttl_seconds)?;
        if let Some(id) = &request.id {
            check_lease_id(id)?;
        }
        let now = self.now();
        let expires_at = now + SignedDuration::from_secs(i64::from(request.ttl_seconds));
        let lease = {
            let mut map = self.lock();
            map.retain(|_, l| l.expires_at > now);
            let id = match request.id {
                Some(id) => {
                    if let Some(held) = map.get(&id)
                        && held.holder != request.holder
                    {
                        return Err(DmError::Conflict(format!(
                            "lease `{id}` is held by `{}`",
                            held.holder
                        )));
                    }
                    id
                }
                None => loop {
                    let id = format!("{}-{:04x}", request.holder, rand::random::<u16>());
                    if !map.contains_key(&id) {
                        break id;
                    }
                },
            };
            if !map.contains_key(&id) && map.len() >= MAX_LEASES {
                return Err(DmError::Conflict(format!(
                    "{MAX_LEASES} leases are already held; release one first"
                )));
            }
            let acquired_at = map.get(&id).map_or(now, |l| l.acquired_at);
            let lease = BusyLease {
                id: id.clone(),
                holder: request.holder,
                reason: request.reason,
                acquired_at,
                expires_at,
            };
            map.insert(id, lease.clone());
            lease
        };
        tracing::info!(lease = %lease.id, holder = %lease.holder, reason = %lease.reason, until = %lease.expires_at, "busy lease taken");
        self.changed();
        Ok(lease)
    }

    /// Extends lease `id` to expire `ttl_seconds` from now.
    pub fn renew(&self, id: &str, ttl_seconds: u32) -> DmResult<BusyLease> {
        check_ttl(ttl_seconds)?;
        let now = self.now();
        let lease = {
            let mut map = self.lock();
            map.retain(|_, l| l.expires_at > now);
            let lease = map
                .get_mut(id)
                .ok_or_else(|| DmError::NotFound(format!("no active lease `{id}`")))?;
            lease.expires_at = now + SignedDuration::from_secs(i64::from(ttl_seconds));
            lease.clone()
        };
        self.changed();
        Ok(lease)
    }

    /// Releases lease `id`; `false` when no such lease was active.
    pub fn release(&self, id: &str) -> bool {
        let now = self.now();
        let removed = {
            let mut map = self.lock();
            let removed = map.remove(id).is_some_and(|l| l.expires_at > now);
            map.retain(|_, l| l.expires_at > now);
            removed
        };
        if removed {
            tracing::info!(lease = %id, "busy lease released");
        }
        self.changed();
        removed
    }

    /// The leases active now, by id.
    pub fn list(&self) -> Vec<BusyLease> {
        let now = self.now();
        self.lock()
            .values()
            .filter(|l| l.expires_at > now)
            .cloned()
            .collect()
    }

    /// `reported.dm.busy`.
    pub fn report(&self) -> BusyReport {
        BusyReport {
            leases: self.list(),
        }
    }

    /// Seconds until every active lease has expired, or `None` when the device is not busy.
    pub fn retry_after(&self) -> Option<u32> {
        self.report().retry_after(self.now())
    }

    /// The message of a 409 `busy` answer: who holds the device and why.
    pub fn busy_message(&self) -> Option<String> {
        let leases = self.list();
        let latest = leases.iter().max_by_key(|l| l.expires_at)?;
        let others = leases.len() - 1;
        let mut message = format!(
            "busy lease `{}` held by `{}`: {}",
            latest.id, latest.holder, latest.reason
        );
        if others > 0 {
            let _ = write!(message, " (and {others} more)");
        }
        Some(message)
    }

    /// A receiver that sees a new value whenever the set changes.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.inner.changed.subscribe()
    }

    /// Returns once no lease is active (at once when none is). Expiry needs no event: the wait
    /// wakes up when the last lease is due to expire.
    pub async fn wait_until_free(&self) {
        let mut changes = self.subscribe();
        loop {
            let Some(retry) = self.retry_after() else {
                return;
            };
            let nap = std::time::Duration::from_secs(u64::from(retry.max(1)));
            tokio::select! {
                () = tokio::time::sleep(nap) => {}
                res = changes.changed() => {
                    if res.is_err() {
                        tokio::time::sleep(nap).await;
                    }
                }
            }
        }
    }

    /// Drops expired leases (and persists the result).
    pub fn prune(&self) {
        let now = self.now();
        let before = self.lock().len();
        self.lock().retain(|_, l| l.expires_at > now);
        if self.lock().len() != before {
            self.changed();
        }
    }

    fn changed(&self) {
        if let Some(store) = &self.inner.store {
            let snapshot: Vec<BusyLease> = self.lock().values().cloned().collect();
            if let Err(err) = store.store(LEASES_FILE, &snapshot) {
                tracing::warn!(error = %err, "could not persist busy leases");
            }
        }
        self.inner.changed.send_modify(|v| *v = v.wrapping_add(1));
    }
}

fn check_ttl(ttl_seconds: u32) -> DmResult<()> {
    Ok(check::range(
        "ttlSeconds",
        ttl_seconds,
        1,
        MAX_LEASE_TTL_SECONDS,
    )?)
}

fn check_lease_id(id: &str) -> DmResult<()> {
    if id.is_empty()
        || id.len() > 64
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err(dm_contract::ContractError::invalid(
            "id",
            "must be 1 to 64 characters from letters, digits, `_`, `-` and `.`",
        )
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicI64, Ordering};

    fn manual_clock(start: &str) -> (Clock, Arc<AtomicI64>) {
        let base: Timestamp = start.parse().unwrap();
        let offset = Arc::new(AtomicI64::new(0));
        let o = offset.clone();
        (
            Arc::new(move || base + SignedDuration::from_secs(o.load(Ordering::SeqCst))),
            offset,
        )
    }

    fn req(id: Option<&str>, holder: &str, ttl: u32) -> AcquireRequest {
        AcquireRequest {
            id: id.map(str::to_owned),
            holder: holder.into(),
            reason: "flashing firmware".into(),
            ttl_seconds: ttl,
        }
    }

    #[test]
    fn expired_leases_never_block() {
        let (clock, offset) = manual_clock("2025-03-01T10:00:00Z");
        let leases = Leases::new().with_clock(clock);
        leases.acquire(req(Some("flash"), "plc", 60)).unwrap();
        leases.acquire(req(None, "ui", 120)).unwrap();
        assert_eq!(leases.retry_after(), Some(120));
        assert!(leases.busy_message().unwrap().contains("(and 1 more)"));
        offset.store(61, Ordering::SeqCst);
        assert_eq!(leases.list().len(), 1);
        assert_eq!(leases.retry_after(), Some(59));
        offset.store(120, Ordering::SeqCst);
        assert_eq!(leases.retry_after(), None);
        assert!(leases.list().is_empty());
        assert!(leases.busy_message().is_none());
    }

    #[test]
    fn ids_belong_to_their_holder_and_renewal_extends() {
        let (clock, offset) = manual_clock("2025-03-01T10:00:00Z");
        let leases = Leases::new().with_clock(clock);
        let first = leases.acquire(req(Some("flash"), "plc", 60)).unwrap();
        let err = leases.acquire(req(Some("flash"), "other", 60)).unwrap_err();
        assert_eq!(err.status(), 409);
        offset.store(30, Ordering::SeqCst);
        let again = leases.acquire(req(Some("flash"), "plc", 60)).unwrap();
        assert_eq!(
            again.acquired_at, first.acquired_at,
            "re-acquiring keeps the start"
        );
        assert_eq!(leases.retry_after(), Some(60));
        let renewed = leases.renew("flash", 300).unwrap();
        assert_eq!(renewed.expires_at, "2025-03-01T10:05:30Z".parse().unwrap());
        assert_eq!(leases.renew("nope", 10).unwrap_err().status(), 404);
        assert!(leases.release("flash"));
        assert!(!leases.release("flash"));
    }

    #[test]
    fn bad_requests_name_the_field() {
        let leases = Leases::new();
        for (r, field) in [
            (req(None, "plc", 0), "ttlSeconds"),
            (req(None, "plc", MAX_LEASE_TTL_SECONDS + 1), "ttlSeconds"),
            (req(None, "-x", 10), "holder"),
            (req(Some("a b"), "plc", 10), "id"),
        ] {
            assert_eq!(leases.acquire(r).unwrap_err().field(), Some(field));
        }
        let mut r = req(None, "plc", 10);
        r.reason = "line\nbreak".into();
        assert_eq!(leases.acquire(r).unwrap_err().field(), Some("reason"));
    }

    #[test]
    fn the_number_of_leases_is_capped() {
        let leases = Leases::new();
        for i in 0..MAX_LEASES {
            leases
                .acquire(req(Some(&format!("l{i}")), "plc", 60))
                .unwrap();
        }
        assert_eq!(
            leases.acquire(req(None, "plc", 60)).unwrap_err().status(),
            409
        );
    }

    #[test]
    fn leases_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let state = StateDir::open(dir.path()).unwrap();
        let leases = Leases::persistent(&state);
        leases.acquire(req(Some("flash"), "plc", 600)).unwrap();
        leases.acquire(req(Some("short"), "plc", 600)).unwrap();
        leases.release("short");
        let reloaded = Leases::persistent(&state);
        let ids: Vec<_> = reloaded.list().into_iter().map(|l| l.id).collect();
        assert_eq!(ids, ["flash"]);
    }

    #[tokio::test]
    async fn waiting_ends_when_the_lease_is_released() {
        let leases = Leases::new();
        leases.acquire(req(Some("flash"), "plc", 3600)).unwrap();
        let waiter = tokio::spawn({
            let leases = leases.clone();
            async move { leases.wait_until_free().await }
        });
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        leases.release("flash");
        tokio::time::timeout(std::time::Duration::from_secs(5), waiter)
            .await
            .unwrap()
            .unwrap();
    }
}
