//! Following a device-management operation in the reported twin until it reaches a final state.
//!
//! A 202 answer only says the agent *accepted* the work; what happened is reported later in the
//! operation's status envelope under `reported.dm.<section>.operations.<id>`. The Windows client
//! never let an operator see that outcome, which is why `--wait` exists: it polls the twin (the
//! service side has no change feed) with a growing interval, so a slow reboot costs a handful of
//! twin reads rather than hundreds, and stops on `succeeded`, `failed` or `rejected`.
//!
//! Desired-state changes are followed the same way: the agent reports a `dm.<section>.apply`
//! envelope carrying the desired `$version` it applied. A factory reset may wipe the agent's own
//! store (and the envelope with it), so it also counts as done when
//! `reported.dm.factoryReset.lastResetAt` moves past the value read before the request was sent.

use std::future::Future;
use std::time::Duration;

use dm_contract::{
    ContractError, FactoryResetReport, OperationId, OperationState, OperationStatus, Operations,
    Section, apply_op, find_operation, read_section, reported_properties,
};
use jiff::Timestamp;
use serde_json::Value;
use tokio::time::Instant;

/// What `--wait` follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Awaited {
    /// The operation a 202 answer named, under the method's section.
    Operation {
        /// The section whose `operations` map holds the envelope.
        section: Section,
        /// The id from the 202 answer.
        id: OperationId,
    },
    /// The agent applying a desired-state change: the first `dm.<section>.apply` envelope whose
    /// `desiredVersion` is at least the version the patch produced (a later patch may be applied
    /// together with ours, so a higher version covers it).
    Apply {
        /// The desired section that was patched.
        section: Section,
        /// The desired `$version` the hub returned for the patch.
        desired_version: u64,
    },
    /// A factory reset: its envelope, or proof that the device came back reset.
    FactoryReset {
        /// The id from the 202 answer.
        id: OperationId,
        /// `reported.dm.factoryReset.lastResetAt` as read before sending, if any.
        previous_reset: Option<Timestamp>,
    },
}

/// Where an awaited operation stands in one twin snapshot.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// Not final yet; the state when the envelope exists.
    Pending(Option<OperationState>),
    /// Final: the envelope (possibly synthesized, for a factory reset that wiped it).
    Final(Box<OperationStatus>),
}

impl Awaited {
    /// The section whose reported state this follows.
    pub fn section(&self) -> Section {
        match self {
            Awaited::Operation { section, .. } | Awaited::Apply { section, .. } => *section,
            Awaited::FactoryReset { .. } => Section::FactoryReset,
        }
    }

    /// Reads one twin snapshot (service view, device view or bare reported properties).
    pub fn check(&self, twin: &Value) -> Result<Progress, ContractError> {
        match self {
            Awaited::Operation { section, id } => {
                Ok(progress_of(find_operation(twin, *section, id.as_str())?))
            }
            Awaited::Apply {
                section,
                desired_version,
            } => Ok(progress_of(find_apply(twin, *section, *desired_version)?)),
            Awaited::FactoryReset { id, previous_reset } => {
                let found = find_operation(twin, Section::FactoryReset, id.as_str())?;
                if let Some(op) = &found
                    && op.is_final()
                {
                    return Ok(Progress::Final(Box::new(op.clone())));
                }
                if let Some(reset_at) = last_reset_at(twin)?
                    && previous_reset.is_none_or(|before| reset_at > before)
                {
                    return Ok(Progress::Final(Box::new(reset_envelope(
                        id.clone(),
                        found,
                        reset_at,
                    ))));
                }
                Ok(progress_of(found))
            }
        }
    }
}

fn progress_of(found: Option<OperationStatus>) -> Progress {
    match found {
        Some(op) if op.is_final() => Progress::Final(Box::new(op)),
        Some(op) => Progress::Pending(Some(op.state)),
        None => Progress::Pending(None),
    }
}

/// The apply envelope with the smallest `desiredVersion` at or above `version`.
fn find_apply(
    twin: &Value,
    section: Section,
    version: u64,
) -> Result<Option<OperationStatus>, ContractError> {
    let Some(reported) = reported_properties(twin) else {
        return Ok(None);
    };
    let Some(operations) = read_operations(reported, section)? else {
        return Ok(None);
    };
    let op_name = apply_op(section);
    Ok(operations
        .into_values()
        .filter(|op| op.op == op_name && op.desired_version.is_some_and(|v| v >= version))
        .min_by_key(|op| op.desired_version))
}

/// The `operations` map of a reported section, ignoring the section's other fields (which a
/// newer agent may shape differently).
pub fn read_operations(
    reported: &Value,
    section: Section,
) -> Result<Option<Operations>, ContractError> {
    #[derive(serde::Deserialize)]
    struct OnlyOperations {
        #[serde(default)]
        operations: Operations,
    }
    Ok(read_section::<OnlyOperations>(reported, section)?.map(|s| s.operations))
}

fn last_reset_at(twin: &Value) -> Result<Option<Timestamp>, ContractError> {
    let Some(reported) = reported_properties(twin) else {
        return Ok(None);
    };
    Ok(
        read_section::<FactoryResetReport>(reported, Section::FactoryReset)?
            .and_then(|r| r.last_reset_at),
    )
}

/// `reported.dm.factoryReset.lastResetAt` of a twin, for [`Awaited::FactoryReset`].
pub fn previous_reset(twin: &Value) -> Option<Timestamp> {
    last_reset_at(twin).ok().flatten()
}

/// The envelope standing in for a reset whose own envelope was wiped with the agent's store.
fn reset_envelope(
    id: OperationId,
    found: Option<OperationStatus>,
    reset_at: Timestamp,
) -> OperationStatus {
    let mut op = found.unwrap_or_else(|| {
        OperationStatus::pending(id, dm_contract::METHOD_FACTORY_RESET, reset_at)
    });
    // The agent records the new boot's time as `lastResetAt` and reports it just before the
    // final envelope: the stand-in carries the result the envelope would have, so a wait that
    // sees the section first prints the same thing.
    let result = serde_json::to_value(dm_contract::RebootResult {
        boot_time: reset_at,
    })
    .ok();
    op.succeed(reset_at, result);
    op
}

/// How often the twin is read while waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollPolicy {
    /// The first pause after sending.
    pub first: Duration,
    /// The longest pause between reads.
    pub max: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        // Most operations of the sandbox and of a healthy device finish within a second or two;
        // reboots and installs take minutes, where a read every 5 s is plenty.
        Self {
            first: Duration::from_millis(200),
            max: Duration::from_secs(5),
        }
    }
}

impl PollPolicy {
    fn next(self, current: Duration) -> Duration {
        (current * 3 / 2).min(self.max)
    }
}

/// Why waiting stopped without a final state: an outcome the caller turns into a
/// [`CliError`](crate::exit::CliError) (the crate's error type) with the device named.
#[derive(Debug)]
pub enum WaitError<E> {
    /// The deadline passed; the last state seen, if the envelope had appeared.
    TimedOut {
        /// How long was waited.
        waited: Duration,
        /// The last state seen.
        last: Option<OperationState>,
    },
    /// Reading the twin failed.
    Fetch(E),
    /// The twin holds an envelope that does not follow the contract.
    Malformed(ContractError),
}

impl<E> From<ContractError> for WaitError<E> {
    fn from(e: ContractError) -> Self {
        Self::Malformed(e)
    }
}

impl<E: std::fmt::Display> std::fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TimedOut { waited, last } => write!(
                f,
                "timed out after {}{}",
                humantime::format_duration(*waited),
                state_suffix(*last)
            ),
            Self::Fetch(e) => e.fmt(f),
            Self::Malformed(e) => e.fmt(f),
        }
    }
}

fn state_suffix(state: Option<OperationState>) -> String {
    state.map_or_else(
        || " (the operation has not been reported yet)".to_owned(),
        |s| format!(" (last state: {s})"),
    )
}

/// What one look at something being waited for found.
#[derive(Debug)]
pub enum Look<T, S> {
    /// It is done: polling stops with this.
    Done(T),
    /// Not yet; what was seen (kept as the last state for a timeout).
    NotYet(S),
}

/// Why [`poll_until`] stopped without [`Look::Done`].
#[derive(Debug)]
pub enum PollStop<S, E> {
    /// The timeout passed; the last [`Look::NotYet`] seen, if any look answered.
    TimedOut(Option<S>),
    /// A look failed.
    Failed(E),
}

/// The one poll-until-done loop of dmctl (typed commands' `--wait`, `ops wait`, `job wait`):
/// pauses, looks, and repeats with pauses growing by [`PollPolicy`] until `look` says done, a
/// look fails, or `timeout` (if any) has passed.
///
/// `on_pending` sees every not-yet answer (for a spinner's message). It pauses before the first
/// look: a caller that wants an immediate look makes it before calling. Uses tokio's clock, so
/// tests run it with paused time.
pub async fn poll_until<T, S, E, F, Fut>(
    timeout: Option<Duration>,
    policy: PollPolicy,
    mut look: F,
    mut on_pending: impl FnMut(&S),
) -> Result<T, PollStop<S, E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Look<T, S>, E>>,
{
    let deadline = timeout.map(|t| Instant::now() + t);
    let mut pause = policy.first;
    let mut last = None;
    loop {
        match deadline {
            Some(deadline) => {
                let now = Instant::now();
                if now >= deadline {
                    return Err(PollStop::TimedOut(last));
                }
                tokio::time::sleep(pause.min(deadline - now)).await;
            }
            None => tokio::time::sleep(pause).await,
        }
        match look().await.map_err(PollStop::Failed)? {
            Look::Done(done) => return Ok(done),
            Look::NotYet(seen) => {
                on_pending(&seen);
                last = Some(seen);
            }
        }
        pause = policy.next(pause);
    }
}

/// Polls the twin through `fetch` until `awaited` is final or `timeout` has passed.
///
/// `fetch` answers `Ok(None)` for a look the hub declined for now (throttled): the wait goes on
/// at its growing interval, since the operation itself is unaffected. Failing the wait there
/// would let a fleet run retry the device and send its operation a second time.
///
/// `on_state` sees each new non-final state (for a spinner's message). Uses tokio's clock, so
/// tests can run it with paused time.
pub async fn wait_for<F, Fut, E>(
    awaited: &Awaited,
    timeout: Duration,
    policy: PollPolicy,
    mut fetch: F,
    mut on_state: impl FnMut(Option<OperationState>),
) -> Result<OperationStatus, WaitError<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<Value>, E>>,
{
    // The last state reported; an envelope that disappears again does not erase it.
    let mut last: Option<OperationState> = None;
    let polled = poll_until(
        Some(timeout),
        policy,
        || {
            let twin = fetch();
            async move {
                let Some(twin) = twin.await.map_err(WaitError::Fetch)? else {
                    return Ok(Look::NotYet(None));
                };
                Ok(match awaited.check(&twin)? {
                    Progress::Final(op) => Look::Done(*op),
                    Progress::Pending(state) => Look::NotYet(state),
                })
            }
        },
        |state: &Option<OperationState>| {
            if state.is_some() && *state != last {
                on_state(*state);
            }
            last = state.or(last);
        },
    )
    .await;
    polled.map_err(|stop| match stop {
        PollStop::TimedOut(_) => WaitError::TimedOut {
            waited: timeout,
            last,
        },
        PollStop::Failed(e) => e,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use serde_json::json;

    use super::*;

    fn id(s: &str) -> OperationId {
        OperationId::new(s).unwrap()
    }

    fn twin_with(section: &str, operations: &Value) -> Value {
        json!({"deviceId": "d1", "properties": {"desired": {"$version": 3}, "reported": {
            "dm": {section: {"operations": operations}}, "$version": 9}}})
    }

    fn envelope(id: &str, op: &str, state: &str) -> Value {
        let mut v =
            json!({"id": id, "op": op, "state": state, "requestedAt": "2025-03-01T10:00:00Z"});
        if matches!(state, "succeeded" | "failed" | "rejected") {
            v["finishedAt"] = json!("2025-03-01T10:00:05Z");
        }
        if matches!(state, "failed" | "rejected") {
            v["error"] = json!({"code": "failed", "message": "it broke"});
        }
        v
    }

    #[test]
    fn an_operation_is_pending_until_its_envelope_is_final() {
        let awaited = Awaited::Operation {
            section: Section::Apps,
            id: id("op-1"),
        };
        assert_eq!(
            awaited
                .check(&json!({"properties": {"reported": {}}}))
                .unwrap(),
            Progress::Pending(None)
        );
        let running = twin_with(
            "apps",
            &json!({"op-1": envelope("op-1", "dm.apps.install", "running")}),
        );
        assert_eq!(
            awaited.check(&running).unwrap(),
            Progress::Pending(Some(OperationState::Running))
        );
        let other_section = twin_with(
            "reboot",
            &json!({"op-1": envelope("op-1", "dm.reboot", "succeeded")}),
        );
        assert_eq!(
            awaited.check(&other_section).unwrap(),
            Progress::Pending(None)
        );
        let failed = twin_with(
            "apps",
            &json!({"op-1": envelope("op-1", "dm.apps.install", "failed")}),
        );
        let Progress::Final(op) = awaited.check(&failed).unwrap() else {
            panic!("failed is final")
        };
        assert_eq!(op.state, OperationState::Failed);
        assert_eq!(op.error.unwrap().message, "it broke");
    }

    #[test]
    fn apply_picks_the_first_version_covering_the_patch() {
        let mut old = envelope("d2-time", "dm.time.apply", "succeeded");
        old["desiredVersion"] = json!(2);
        let mut ours = envelope("d4-time", "dm.time.apply", "failed");
        ours["desiredVersion"] = json!(4);
        let mut later = envelope("d5-time", "dm.time.apply", "running");
        later["desiredVersion"] = json!(5);
        let twin = twin_with(
            "time",
            &json!({"d2-time": old, "d5-time": later, "d4-time": ours}),
        );
        let awaited = Awaited::Apply {
            section: Section::Time,
            desired_version: 3,
        };
        let Progress::Final(op) = awaited.check(&twin).unwrap() else {
            panic!("v4 covers v3 and is final")
        };
        assert_eq!(op.desired_version, Some(4));
        let not_yet = Awaited::Apply {
            section: Section::Time,
            desired_version: 5,
        };
        assert_eq!(
            not_yet.check(&twin).unwrap(),
            Progress::Pending(Some(OperationState::Running))
        );
        let future = Awaited::Apply {
            section: Section::Time,
            desired_version: 6,
        };
        assert_eq!(future.check(&twin).unwrap(), Progress::Pending(None));
    }

    #[test]
    fn a_reset_that_wiped_its_envelope_counts_once_last_reset_moves() {
        let before: Timestamp = "2025-02-01T00:00:00Z".parse().unwrap();
        let awaited = Awaited::FactoryReset {
            id: id("r1"),
            previous_reset: Some(before),
        };
        let unchanged = json!({"properties": {"reported": {"dm": {"factoryReset": {
            "lastResetAt": "2025-02-01T00:00:00Z"}}}}});
        assert_eq!(awaited.check(&unchanged).unwrap(), Progress::Pending(None));
        let moved = json!({"properties": {"reported": {"dm": {"factoryReset": {
            "lastResetAt": "2025-03-01T10:02:00Z"}}}}});
        let Progress::Final(op) = awaited.check(&moved).unwrap() else {
            panic!("a later reset is success")
        };
        assert_eq!(op.state, OperationState::Succeeded);
        assert_eq!(op.id, id("r1"));
        // The same result the agent's envelope carries: the new boot's time.
        assert_eq!(
            op.result,
            Some(json!({"bootTime": "2025-03-01T10:02:00Z"})),
            "a reset seen through its section still says when the device booted"
        );
        assert_eq!(
            previous_reset(&moved),
            Some("2025-03-01T10:02:00Z".parse().unwrap())
        );
        let first_ever = Awaited::FactoryReset {
            id: id("r1"),
            previous_reset: None,
        };
        assert!(matches!(
            first_ever.check(&moved).unwrap(),
            Progress::Final(_)
        ));
    }

    #[test]
    fn a_broken_envelope_is_reported_not_waited_on() {
        let twin = twin_with("apps", &json!({"op-1": {"id": "op-1", "state": "bogus"}}));
        let awaited = Awaited::Operation {
            section: Section::Apps,
            id: id("op-1"),
        };
        assert!(awaited.check(&twin).is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn waiting_stops_on_the_final_state_and_reports_changes() {
        let reads = Arc::new(AtomicUsize::new(0));
        let script = [
            json!({"properties": {"reported": {}}}),
            twin_with(
                "reboot",
                &json!({"op-9": envelope("op-9", "dm.reboot", "postponed")}),
            ),
            twin_with(
                "reboot",
                &json!({"op-9": envelope("op-9", "dm.reboot", "running")}),
            ),
            twin_with(
                "reboot",
                &json!({"op-9": envelope("op-9", "dm.reboot", "succeeded")}),
            ),
        ];
        let counter = Arc::clone(&reads);
        let mut seen = Vec::new();
        let op = wait_for(
            &Awaited::Operation {
                section: Section::Reboot,
                id: id("op-9"),
            },
            Duration::from_secs(60),
            PollPolicy::default(),
            || {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let twin = script[n.min(script.len() - 1)].clone();
                async move { Ok::<_, std::io::Error>(Some(twin)) }
            },
            |s| seen.push(s),
        )
        .await
        .unwrap();
        assert_eq!(op.state, OperationState::Succeeded);
        assert_eq!(reads.load(Ordering::SeqCst), 4);
        assert_eq!(
            seen,
            [
                Some(OperationState::Postponed),
                Some(OperationState::Running)
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn waiting_times_out_with_the_last_state() {
        let started = Instant::now();
        let err = wait_for(
            &Awaited::Operation {
                section: Section::Reboot,
                id: id("op-9"),
            },
            Duration::from_secs(30),
            PollPolicy::default(),
            || async {
                Ok::<_, std::io::Error>(Some(twin_with(
                    "reboot",
                    &json!({"op-9": envelope("op-9", "dm.reboot", "postponed")}),
                )))
            },
            |_| {},
        )
        .await
        .unwrap_err();
        let WaitError::TimedOut { waited, last } = &err else {
            panic!("expected a timeout, got {err}")
        };
        assert_eq!(*waited, Duration::from_secs(30));
        assert_eq!(*last, Some(OperationState::Postponed));
        assert_eq!(started.elapsed(), Duration::from_secs(30));
        assert_eq!(
            err.to_string(),
            "timed out after 30s (last state: postponed)"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn declined_looks_keep_the_wait_going_until_the_operation_ends() {
        // Two throttled reads (no twin), then the final envelope: the wait succeeds instead of
        // failing (a failed wait in a fleet run retries the device and re-sends its call).
        let reads = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&reads);
        let op = wait_for(
            &Awaited::Operation {
                section: Section::Reboot,
                id: id("op-9"),
            },
            Duration::from_secs(60),
            PollPolicy::default(),
            || {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                async move {
                    Ok::<_, std::io::Error>((n >= 2).then(|| {
                        twin_with(
                            "reboot",
                            &json!({"op-9": envelope("op-9", "dm.reboot", "succeeded")}),
                        )
                    }))
                }
            },
            |_| {},
        )
        .await
        .unwrap();
        assert_eq!(op.state, OperationState::Succeeded);
        assert_eq!(reads.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_read_ends_the_wait() {
        let err = wait_for(
            &Awaited::Operation {
                section: Section::Apps,
                id: id("op-1"),
            },
            Duration::from_secs(30),
            PollPolicy::default(),
            || async { Err::<Option<Value>, _>(std::io::Error::other("hub unreachable")) },
            |_| {},
        )
        .await
        .unwrap_err();
        assert!(matches!(err, WaitError::Fetch(_)));
    }

    #[tokio::test(start_paused = true)]
    async fn polling_without_a_timeout_runs_until_done_and_shows_each_look() {
        let started = Instant::now();
        let looks = AtomicUsize::new(0);
        let mut seen = Vec::new();
        let done = poll_until(
            None,
            PollPolicy {
                first: Duration::from_secs(1),
                max: Duration::from_secs(2),
            },
            || {
                let n = looks.fetch_add(1, Ordering::SeqCst);
                async move {
                    Ok::<_, std::io::Error>(if n == 3 {
                        Look::Done("finished")
                    } else {
                        Look::NotYet(n)
                    })
                }
            },
            |n: &usize| seen.push(*n),
        )
        .await
        .unwrap();
        assert_eq!(done, "finished");
        assert_eq!(seen, [0, 1, 2]);
        // Pauses of 1 s, 1.5 s, then the 2 s cap twice.
        assert_eq!(started.elapsed(), Duration::from_millis(6500));
    }

    #[tokio::test(start_paused = true)]
    async fn a_timed_out_poll_returns_the_last_look() {
        let stop = poll_until(
            Some(Duration::from_secs(10)),
            PollPolicy::default(),
            || async { Ok::<Look<(), _>, std::io::Error>(Look::NotYet("still running")) },
            |_| {},
        )
        .await
        .unwrap_err();
        assert!(matches!(stop, PollStop::TimedOut(Some("still running"))));
    }

    #[test]
    fn poll_interval_grows_to_its_cap() {
        let policy = PollPolicy::default();
        let mut pause = policy.first;
        for _ in 0..20 {
            pause = policy.next(pause);
        }
        assert_eq!(pause, policy.max);
    }
}
