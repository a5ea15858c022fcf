//! Running a rollout: waves in order, each device's operation sent and followed with the same
//! code a typed command uses (`dm::exec::send` then `complete`), its outcome written to its
//! twin tags, and the whole stopped when failures cross the threshold.
//!
//! The engine keeps no state of its own between runs: it starts by reading every device record
//! of the rollout from the hub (one query), so a run after a crash, on another machine, or
//! after `resume` continues exactly where the records say. A device whose operation was sent
//! but not confirmed is followed again by its recorded operation id, never sent twice. With
//! `--via-job` a wave is sent as IoT Hub jobs instead (module `jobs`), recorded by job id.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use dm_contract::{Method, OperationId};
use futures::StreamExt as _;
use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;
use tokio::time::Instant;

use super::spec::{DeviceRecord, Outcome, RolloutSpec};
use super::store::{Request, Status};
use super::window::Window;
use crate::dm::exec::{self, DmResult, Plan, Sent};
use crate::dm::hub::Hub;
use crate::dm::plan::Action;
use crate::dm::wait::Awaited;
use crate::exit::{CliError, Exit};
use crate::printer::Printer;

mod jobs;

pub use jobs::{MAX_CONDITION_LEN, id_chunks};

/// How the runner learns what the operator asks and tells where it stands.
pub trait Control: Sync {
    /// The operator's current request.
    fn request(&self) -> Result<Request, CliError>;
    /// Records the rollout's status (the wave is counted from 1).
    fn report(&self, status: Status, wave: usize, reason: Option<&str>) -> Result<(), CliError>;
}

/// Pauses of the runner; tests shorten them.
#[derive(Debug, Clone, Copy)]
pub struct Pacing {
    /// How often a paused or waiting runner looks at the control file again.
    pub poll: Duration,
    /// First pause before sending again to a busy (or throttled) device; doubles each time.
    pub busy_first: Duration,
    /// Longest such pause.
    pub busy_max: Duration,
    /// How many times the success condition is evaluated before a device counts as failing
    /// it (reported properties reach the hub a moment after the operation's envelope).
    pub success_reads: u32,
}

impl Default for Pacing {
    fn default() -> Self {
        Self {
            poll: Duration::from_secs(1),
            busy_first: Duration::from_secs(2),
            busy_max: Duration::from_secs(30),
            success_reads: 5,
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    /// Every wave ran; some devices may have failed within the threshold.
    Completed {
        /// Devices that failed.
        failed: usize,
    },
    /// Failures crossed `--max-failures`; the reason says how many.
    Stopped(String),
    /// The operator aborted it.
    Aborted,
}

/// One rollout run.
pub struct Engine<'a, H> {
    /// The hub.
    pub hub: &'a H,
    /// Messages go here (stderr).
    pub printer: &'a Printer,
    /// The plan.
    pub spec: &'a RolloutSpec,
    /// The plan's hash.
    pub hash: String,
    /// The operation, built and validated from `spec.operation` as the typed command would.
    pub plan: &'a Plan,
    /// The operator's requests and the status file.
    pub control: &'a dyn Control,
    /// The maintenance window, parsed from `spec.window`.
    pub window: Option<Window>,
    /// Pauses.
    pub pacing: Pacing,
}

/// A query string literal: `'it''s'` is not IoT Hub syntax, `\'` is.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Reads every device record of rollout `name` from the hub, by device id.
pub async fn read_records<H: Hub>(
    hub: &H,
    name: &str,
) -> Result<HashMap<String, DeviceRecord>, CliError> {
    let path = format!("tags.{}.{name}", super::spec::TAG);
    let rows = hub
        .query(&format!(
            "SELECT deviceId, {path} AS rollout FROM devices WHERE IS_DEFINED({path})"
        ))
        .await?;
    let mut records = HashMap::new();
    for row in rows {
        let Some(id) = row.get("deviceId").and_then(Value::as_str) else {
            continue;
        };
        let record: DeviceRecord = row
            .get("rollout")
            .cloned()
            .and_then(|v| serde_json::from_value(v).ok())
            .ok_or_else(|| {
                CliError::new(
                    Exit::Conflict,
                    format!("device '{id}': {path} is not a dmctl rollout record"),
                )
                .with_hint("another tool wrote that tag; pick another rollout name")
            })?;
        records.insert(id.to_owned(), record);
    }
    Ok(records)
}

/// Failures so far.
#[derive(Debug, Default)]
struct Tally {
    /// Devices the rollout started (sent, succeeded or failed).
    started: usize,
    /// Devices that failed.
    failed: usize,
}

impl<H: Hub> Engine<'_, H> {
    /// Runs the rollout from where the hub's records say it is.
    pub async fn run(&self) -> Result<Finish, CliError> {
        let mut records = read_records(self.hub, &self.spec.name).await?;
        if let Some((id, other)) = records.iter().find(|(_, r)| r.plan != self.hash) {
            return Err(CliError::new(
                Exit::Conflict,
                format!(
                    "rollout '{}' already ran another plan on device '{id}' (plan {}, this one is {})",
                    self.spec.name, other.plan, self.hash
                ),
            )
            .with_hint(
                "a resume must use the same operation, target, waves and limits; start a new rollout under another name",
            ));
        }
        let tally = Mutex::new(Tally {
            started: records.len(),
            failed: records
                .values()
                .filter(|r| r.outcome == Outcome::Failed)
                .count(),
        });
        let waves = self.spec.waves.len();
        for (index, wave) in self.spec.waves.iter().enumerate() {
            let number = index + 1;
            let todo: Vec<&String> = wave
                .iter()
                .filter(|id| records.get(*id).is_none_or(|r| r.outcome == Outcome::Sent))
                .collect();
            if todo.is_empty() {
                continue;
            }
            if let Some(reason) = self.crossed(&tally) {
                return self.stop(number, reason);
            }
            let begun = wave.iter().any(|id| records.contains_key(id));
            if !begun && !self.gate(number).await? {
                self.control
                    .report(Status::Aborted, number, Some("aborted by the operator"))?;
                return Ok(Finish::Aborted);
            }
            self.control.report(Status::Running, number, None)?;
            self.printer.info(format!(
                "rollout {}: wave {number}/{waves}: {} devices",
                self.spec.name,
                todo.len()
            ));
            let done = match &self.plan.via_job {
                Some(via) => {
                    self.run_wave_jobs(via, number, &todo, &records, &tally)
                        .await?
                }
                None => self.run_wave(number, &todo, &records, &tally).await,
            };
            let (succeeded, failed) = done.iter().fold((0, 0), |(s, f), (_, r)| {
                if r.outcome == Outcome::Succeeded {
                    (s + 1, f)
                } else {
                    (s, f + 1)
                }
            });
            let untouched = todo.len() - done.len();
            records.extend(done);
            self.printer.info(format!(
                "rollout {}: wave {number}/{waves}: {succeeded} succeeded, {failed} failed{}",
                self.spec.name,
                if untouched > 0 {
                    format!(", {untouched} not started")
                } else {
                    String::new()
                }
            ));
            if untouched > 0 && self.control.request()? == Request::Abort {
                self.control
                    .report(Status::Aborted, number, Some("aborted by the operator"))?;
                return Ok(Finish::Aborted);
            }
            if let Some(reason) = self.crossed(&tally) {
                return self.stop(number, reason);
            }
            if number < waves && self.spec.bake_secs > 0 {
                if !self.bake(number).await? {
                    self.control.report(
                        Status::Aborted,
                        number + 1,
                        Some("aborted by the operator"),
                    )?;
                    return Ok(Finish::Aborted);
                }
                self.recheck(number, &mut records, &tally).await?;
                if let Some(reason) = self.crossed(&tally) {
                    return self.stop(number, reason);
                }
            }
        }
        let failed = lock(&tally).failed;
        self.control.report(
            Status::Completed,
            waves,
            (failed > 0)
                .then(|| format!("{failed} devices failed"))
                .as_deref(),
        )?;
        Ok(Finish::Completed { failed })
    }

    fn crossed(&self, tally: &Mutex<Tally>) -> Option<String> {
        let tally = lock(tally);
        self.spec
            .max_failures
            .crossed_by(tally.failed, tally.started)
            .then(|| {
                format!(
                    "{} of {} devices started have failed, more than --max-failures {}",
                    tally.failed, tally.started, self.spec.max_failures
                )
            })
    }

    fn stop(&self, wave: usize, reason: String) -> Result<Finish, CliError> {
        self.printer
            .warn(format!("rollout {}: stopped: {reason}", self.spec.name));
        self.control.report(Status::Stopped, wave, Some(&reason))?;
        Ok(Finish::Stopped(reason))
    }

    /// Holds before wave `number` while paused or outside the window. `false`: aborted.
    async fn gate(&self, number: usize) -> Result<bool, CliError> {
        let mut said = None;
        loop {
            let (status, reason) = match self.control.request()? {
                Request::Abort => return Ok(false),
                Request::Pause => (
                    Status::Paused,
                    format!(
                        "paused before wave {number}; `dmctl rollout resume {}` continues",
                        self.spec.name
                    ),
                ),
                Request::Run => match &self.window {
                    Some(window) if !window.contains(Timestamp::now()) => {
                        let opens = window.next_open(Timestamp::now());
                        (
                            Status::Waiting,
                            format!(
                                "wave {number} waits for the window '{window}' (opens {opens})"
                            ),
                        )
                    }
                    _ => return Ok(true),
                },
            };
            if said.as_ref() != Some(&reason) {
                self.printer
                    .info(format!("rollout {}: {reason}", self.spec.name));
                self.control.report(status, number, Some(&reason))?;
                said = Some(reason);
            }
            tokio::time::sleep(self.pacing.poll).await;
        }
    }

    /// Waits the bake time after wave `number`. `false`: aborted meanwhile.
    async fn bake(&self, number: usize) -> Result<bool, CliError> {
        let reason = format!(
            "baking {} after wave {number}",
            humantime::format_duration(Duration::from_secs(self.spec.bake_secs))
        );
        self.printer
            .info(format!("rollout {}: {reason}", self.spec.name));
        self.control
            .report(Status::Waiting, number + 1, Some(&reason))?;
        let until = Instant::now() + Duration::from_secs(self.spec.bake_secs);
        while Instant::now() < until {
            if self.control.request()? == Request::Abort {
                return Ok(false);
            }
            tokio::time::sleep(self.pacing.poll.min(until - Instant::now())).await;
        }
        Ok(true)
    }

    /// After the bake: every succeeded device of waves `1..=number` must still satisfy the
    /// success condition; one that does not has regressed and counts as failed.
    async fn recheck(
        &self,
        number: usize,
        records: &mut HashMap<String, DeviceRecord>,
        tally: &Mutex<Tally>,
    ) -> Result<(), CliError> {
        let Some(condition) = &self.spec.success else {
            return Ok(());
        };
        let ids: Vec<&String> = self.spec.waves[..number]
            .iter()
            .flatten()
            .filter(|id| {
                records
                    .get(*id)
                    .is_some_and(|r| r.outcome == Outcome::Succeeded)
            })
            .collect();
        let mut holding = std::collections::HashSet::new();
        for chunk in ids.chunks(100) {
            let list = chunk
                .iter()
                .map(|id| quote(id))
                .collect::<Vec<_>>()
                .join(", ");
            let rows = self
                .hub
                .query(&format!(
                    "SELECT deviceId FROM devices WHERE deviceId IN [{list}] AND ({condition})"
                ))
                .await?;
            holding.extend(
                rows.iter()
                    .filter_map(|r| r.get("deviceId").and_then(Value::as_str))
                    .map(str::to_owned),
            );
        }
        for id in ids {
            if holding.contains(id) {
                continue;
            }
            let Some(record) = records.get(id).cloned() else {
                continue;
            };
            let regressed = DeviceRecord {
                outcome: Outcome::Failed,
                time: Timestamp::now(),
                reason: Some(format!(
                    "regressed: no longer satisfies --success ({condition}) after the bake"
                )),
                ..record
            };
            self.printer.warn(format!(
                "rollout {}: device '{id}' regressed during the bake",
                self.spec.name
            ));
            self.write(id, &regressed).await?;
            lock(tally).failed += 1;
            records.insert(id.clone(), regressed);
        }
        Ok(())
    }

    /// Runs one wave on `todo`; returns the final record of every device it started. Devices
    /// not started (threshold crossed, or aborted) are left untouched.
    async fn run_wave(
        &self,
        number: usize,
        todo: &[&String],
        records: &HashMap<String, DeviceRecord>,
        tally: &Mutex<Tally>,
    ) -> Vec<(String, DeviceRecord)> {
        let deadline = Instant::now() + Duration::from_secs(self.spec.timeout_secs);
        let stop = AtomicBool::new(false);
        let stop = &stop;
        let mut results = futures::stream::iter(todo.iter().copied())
            .map(|id| async move {
                let previous = records.get(id).cloned();
                if previous.is_none() {
                    if stop.load(Ordering::SeqCst)
                        || self.control.request().ok() == Some(Request::Abort)
                    {
                        stop.store(true, Ordering::SeqCst);
                        return None;
                    }
                    lock(tally).started += 1;
                }
                Some((
                    id.clone(),
                    self.on_device(number, id, previous, deadline).await,
                ))
            })
            .buffer_unordered(usize::from(self.spec.concurrency.max(1)));
        let mut done = Vec::new();
        while let Some(result) = results.next().await {
            let Some((id, record)) = result else { continue };
            if record.outcome == Outcome::Failed {
                self.printer.warn(format!(
                    "rollout {}: device '{id}' failed: {}",
                    self.spec.name,
                    record.reason.as_deref().unwrap_or("no reason given")
                ));
                lock(tally).failed += 1;
                if self.crossed(tally).is_some() {
                    stop.store(true, Ordering::SeqCst);
                }
            }
            done.push((id, record));
        }
        done
    }

    /// One device: send (or pick up what was sent before), follow, check success, record.
    async fn on_device(
        &self,
        wave: usize,
        id: &str,
        previous: Option<DeviceRecord>,
        deadline: Instant,
    ) -> DeviceRecord {
        let mut record = previous.unwrap_or_else(|| DeviceRecord {
            name: self.spec.name.clone(),
            plan: self.hash.clone(),
            wave,
            outcome: Outcome::Sent,
            time: Timestamp::now(),
            reason: None,
            operation: None,
            desired_version: None,
            job: None,
        });
        let result = self.drive(id, &mut record, deadline).await;
        record.time = Timestamp::now();
        match result {
            Ok(()) => {
                record.outcome = Outcome::Succeeded;
                record.reason = None;
            }
            Err(err) => {
                record.outcome = Outcome::Failed;
                record.reason = Some(match err.hint() {
                    Some(hint) => format!("{} (hint: {hint})", err.message()),
                    None => err.message().to_owned(),
                });
            }
        }
        self.record_outcome(id, &record).await;
        record
    }

    async fn drive(
        &self,
        id: &str,
        record: &mut DeviceRecord,
        deadline: Instant,
    ) -> Result<(), CliError> {
        let mut resumed = self.resumed(record);
        let mut pause = self.pacing.busy_first;
        loop {
            let sent = match resumed.take() {
                Some(sent) => sent,
                None => match exec::send(self.hub, self.plan, id).await {
                    Ok(sent) => {
                        record.operation = sent
                            .out
                            .operation
                            .as_ref()
                            .and_then(|op| op.get("id"))
                            .and_then(Value::as_str)
                            .map(str::to_owned);
                        record.desired_version = sent.out.desired_version;
                        record.outcome = Outcome::Sent;
                        record.time = Timestamp::now();
                        self.write(id, record).await?;
                        sent
                    }
                    Err(err) if retryable(&err) => {
                        pause = self.retry_after(err, pause, deadline).await?;
                        continue;
                    }
                    Err(err) => return Err(err),
                },
            };
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(CliError::new(
                    Exit::TimedOut,
                    format!(
                        "device '{id}': the wave's time (--timeout) ran out before the operation ended"
                    ),
                ));
            }
            match exec::complete(
                self.printer,
                self.hub,
                self.plan,
                id,
                sent,
                remaining,
                false,
            )
            .await
            {
                Ok(_) => break,
                Err(err) if retryable(&err) => {
                    pause = self.retry_after(err, pause, deadline).await?;
                }
                Err(err) => return Err(err),
            }
        }
        self.check_success(id).await
    }

    /// Sleeps before trying a busy device again, or gives up when the wave's time would run
    /// out first: a busy device counts as failed, never as succeeded.
    async fn retry_after(
        &self,
        err: CliError,
        pause: Duration,
        deadline: Instant,
    ) -> Result<Duration, CliError> {
        if Instant::now() + pause >= deadline {
            return Err(CliError::new(
                err.exit(),
                format!(
                    "{} (still busy when the wave's time ran out)",
                    err.message()
                ),
            ));
        }
        tokio::time::sleep(pause).await;
        Ok((pause * 2).min(self.pacing.busy_max))
    }

    /// What a previous run sent to this device and did not see finish, to follow again.
    fn resumed(&self, record: &DeviceRecord) -> Option<Sent> {
        if record.outcome != Outcome::Sent {
            return None;
        }
        let mut out = DmResult {
            action: self.plan.action.name(),
            ..DmResult::default()
        };
        let awaited = match &self.plan.action {
            Action::Call(call) => {
                let id = OperationId::new(record.operation.clone()?).ok()?;
                out.method = Some(call.method());
                out.operation = Some(serde_json::json!({"id": id.as_str()}));
                if call.method() == Method::FactoryReset {
                    Awaited::FactoryReset {
                        id,
                        previous_reset: None,
                    }
                } else {
                    Awaited::Operation {
                        section: call.method().section()?,
                        id,
                    }
                }
            }
            Action::Desired(change) => {
                out.desired_version = record.desired_version;
                Awaited::Apply {
                    section: change.section(),
                    desired_version: record.desired_version?,
                }
            }
            Action::Read(_) => return None,
        };
        Some(Sent {
            out,
            awaited: Some(awaited),
        })
    }

    /// The success condition, evaluated by the hub on this device's twin.
    async fn check_success(&self, id: &str) -> Result<(), CliError> {
        let Some(condition) = &self.spec.success else {
            return Ok(());
        };
        let query = format!(
            "SELECT deviceId FROM devices WHERE deviceId = {} AND ({condition})",
            quote(id)
        );
        for read in 0..self.pacing.success_reads.max(1) {
            if read > 0 {
                tokio::time::sleep(self.pacing.poll).await;
            }
            if !self.hub.query(&query).await?.is_empty() {
                return Ok(());
            }
        }
        Err(CliError::new(
            Exit::DeviceError,
            format!(
                "device '{id}': the operation succeeded but the device does not satisfy --success ({condition})"
            ),
        ))
    }

    /// Writes a device's final outcome to its tags, or says it could not: the outcome stands
    /// either way (the device did what it did); only its record in the hub is missing.
    async fn record_outcome(&self, id: &str, record: &DeviceRecord) {
        if let Err(err) = self.write(id, record).await {
            self.printer.warn(format!(
                "rollout {}: device '{id}': {} could not be recorded in its tags: {}",
                self.spec.name,
                record.outcome.name(),
                err.message()
            ));
        }
    }

    async fn write(&self, id: &str, record: &DeviceRecord) -> Result<(), CliError> {
        self.hub
            .patch_twin(id, &record.patch(), None)
            .await
            .map(|_| ())
            .map_err(|e| e.context(format!("device '{id}': recording the rollout state")))
    }
}

/// Busy devices (409, or an operation rejected as busy) and hub throttling are worth another
/// try within the wave's time.
fn retryable(err: &CliError) -> bool {
    matches!(err.exit(), Exit::Conflict | Exit::Throttled)
}

fn lock(tally: &Mutex<Tally>) -> std::sync::MutexGuard<'_, Tally> {
    tally
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Counts of one wave for `rollout status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WaveCounts {
    /// The wave, from 1.
    pub wave: usize,
    /// Its devices (0 when the plan is not on this machine and the wave has no records).
    pub devices: usize,
    /// Not reached yet.
    pub pending: usize,
    /// Sent, outcome not known yet.
    pub sent: usize,
    /// Succeeded.
    pub succeeded: usize,
    /// Failed.
    pub failed: usize,
}

/// One failed device for `rollout status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    /// The device.
    pub device_id: String,
    /// Its wave.
    pub wave: usize,
    /// Why.
    pub reason: String,
}

/// Per-wave counts and failures, from the plan (when known) and the records.
pub fn summarize<S: std::hash::BuildHasher>(
    spec: Option<&RolloutSpec>,
    records: &HashMap<String, DeviceRecord, S>,
) -> (Vec<WaveCounts>, Vec<Failure>) {
    let mut waves: Vec<WaveCounts> = match spec {
        Some(spec) => spec
            .waves
            .iter()
            .enumerate()
            .map(|(i, ids)| WaveCounts {
                wave: i + 1,
                devices: ids.len(),
                pending: ids.iter().filter(|id| !records.contains_key(*id)).count(),
                ..WaveCounts::default()
            })
            .collect(),
        None => Vec::new(),
    };
    let mut failures = Vec::new();
    for (id, record) in records {
        let index = record.wave.saturating_sub(1);
        while waves.len() <= index {
            waves.push(WaveCounts {
                wave: waves.len() + 1,
                ..WaveCounts::default()
            });
        }
        let counts = &mut waves[index];
        if spec.is_none() {
            counts.devices += 1;
        }
        match record.outcome {
            Outcome::Sent => counts.sent += 1,
            Outcome::Succeeded => counts.succeeded += 1,
            Outcome::Failed => {
                counts.failed += 1;
                failures.push(Failure {
                    device_id: id.clone(),
                    wave: record.wave,
                    reason: record.reason.clone().unwrap_or_default(),
                });
            }
        }
    }
    failures.sort_by(|a, b| (a.wave, &a.device_id).cmp(&(b.wave, &b.device_id)));
    (waves, failures)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::atomic::AtomicUsize;

    use iothub_model::CloudToDeviceMethod;
    use serde_json::json;

    use super::*;
    use crate::dm::hub::DeviceAnswer;
    use crate::printer::{OutputFormat, Terminal, Verbosity};
    use crate::rollout::command::parse_operation;
    use crate::rollout::spec::{Amount, build_waves};

    /// How a fake device answers `dm.info.get`.
    #[derive(Debug, Clone, Copy)]
    enum Answer {
        Ok,
        Fail,
        /// 409 busy this many times, then 200.
        BusyFor(usize),
    }

    /// An in-memory hub whose queries are evaluated by the local hub's query engine.
    struct FakeHub {
        twins: Mutex<HashMap<String, Value>>,
        answers: HashMap<String, Answer>,
        calls: Mutex<HashMap<String, usize>>,
        invoked: AtomicUsize,
    }

    impl FakeHub {
        fn new(devices: &[(&str, Answer)]) -> Self {
            let twins = devices
                .iter()
                .map(|(id, _)| {
                    let twin = json!({
                        "deviceId": id,
                        "etag": "e",
                        "tags": {},
                        "properties": {"desired": {"$version": 1}, "reported": {"$version": 1, "dm": {
                            "agent": {"version": "0.1.0", "contractVersion": 1,
                                      "methods": ["dm.info.get"], "sections": ["agent", "info"],
                                      "providers": {}},
                            "info": {"firmware": if id.ends_with('9') { "1.0" } else { "2.0" }}
                        }}}
                    });
                    ((*id).to_owned(), twin)
                })
                .collect();
            Self {
                twins: Mutex::new(twins),
                answers: devices
                    .iter()
                    .map(|(id, a)| ((*id).to_owned(), *a))
                    .collect(),
                calls: Mutex::new(HashMap::new()),
                invoked: AtomicUsize::new(0),
            }
        }

        fn calls(&self, id: &str) -> usize {
            self.calls.lock().unwrap().get(id).copied().unwrap_or(0)
        }

        fn tag(&self, id: &str, name: &str) -> Option<Value> {
            self.twins.lock().unwrap()[id]["tags"][super::super::spec::TAG]
                .get(name)
                .cloned()
        }
    }

    fn merge(target: &mut Value, patch: &Value) {
        match (target, patch) {
            (Value::Object(t), Value::Object(p)) => {
                for (k, v) in p {
                    if v.is_null() {
                        t.remove(k);
                    } else {
                        merge(t.entry(k.clone()).or_insert(Value::Null), v);
                    }
                }
            }
            (t, p) => *t = p.clone(),
        }
    }

    impl Hub for FakeHub {
        async fn twin(&self, device_id: &str) -> Result<Value, CliError> {
            self.twins
                .lock()
                .unwrap()
                .get(device_id)
                .cloned()
                .ok_or_else(|| CliError::new(Exit::NotFound, "no such device"))
        }

        async fn invoke(
            &self,
            device_id: &str,
            _call: &CloudToDeviceMethod,
        ) -> Result<DeviceAnswer, CliError> {
            self.invoked.fetch_add(1, Ordering::SeqCst);
            let n = {
                let mut calls = self.calls.lock().unwrap();
                let n = calls.entry(device_id.to_owned()).or_default();
                *n += 1;
                *n
            };
            let (status, payload) = match self.answers[device_id] {
                Answer::Fail => (500, json!({"code": "internal", "message": "boom"})),
                Answer::BusyFor(times) if n <= times => (
                    409,
                    json!({"code": "busy", "message": "a lease is held", "retryAfter": 1}),
                ),
                Answer::Ok | Answer::BusyFor(_) => (200, json!({})),
            };
            Ok(DeviceAnswer { status, payload })
        }

        async fn patch_twin(
            &self,
            device_id: &str,
            patch: &Value,
            _etag: Option<&str>,
        ) -> Result<Value, CliError> {
            let mut twins = self.twins.lock().unwrap();
            let twin = twins.get_mut(device_id).unwrap();
            merge(twin, patch);
            Ok(twin.clone())
        }

        async fn query_device_ids(&self, query: &str) -> Result<Vec<String>, CliError> {
            Ok(self
                .query(query)
                .await?
                .iter()
                .filter_map(|r| r["deviceId"].as_str().map(str::to_owned))
                .collect())
        }

        async fn query(&self, query: &str) -> Result<Vec<Value>, CliError> {
            let parsed = iothub_emulator::query::parse(query)
                .map_err(|e| CliError::usage(format!("{query}: {e}")))?;
            let mut twins: Vec<Value> = self.twins.lock().unwrap().values().cloned().collect();
            twins.sort_by(|a, b| a["deviceId"].as_str().cmp(&b["deviceId"].as_str()));
            parsed
                .execute(twins)
                .map_err(|e| CliError::usage(e.to_string()))
        }

        async fn uploaded_blob(&self, _url: &str) -> Result<Option<Vec<u8>>, CliError> {
            Ok(None)
        }
    }

    /// The operator, in memory.
    struct Operator {
        request: Mutex<Request>,
        reports: Mutex<Vec<(Status, usize)>>,
        /// Pause once this many reports were made (pausing "between waves").
        pause_after_wave: Option<usize>,
    }

    impl Operator {
        fn new() -> Self {
            Self {
                request: Mutex::new(Request::Run),
                reports: Mutex::new(Vec::new()),
                pause_after_wave: None,
            }
        }
    }

    impl Control for Operator {
        fn request(&self) -> Result<Request, CliError> {
            Ok(*self.request.lock().unwrap())
        }

        fn report(&self, status: Status, wave: usize, _: Option<&str>) -> Result<(), CliError> {
            self.reports.lock().unwrap().push((status, wave));
            if status == Status::Running && self.pause_after_wave == Some(wave) {
                *self.request.lock().unwrap() = Request::Pause;
            }
            Ok(())
        }
    }

    fn printer() -> Printer {
        let terminal = Terminal {
            columns: None,
            stdout_tty: false,
            stderr_tty: false,
            no_color: true,
        };
        Printer::new(OutputFormat::Table, Verbosity::Quiet, true, terminal)
    }

    fn pacing() -> Pacing {
        Pacing {
            poll: Duration::from_millis(5),
            busy_first: Duration::from_millis(5),
            busy_max: Duration::from_millis(20),
            success_reads: 2,
        }
    }

    fn spec(hub: &FakeHub, waves: &[Amount], max_failures: Amount) -> RolloutSpec {
        let mut ids: Vec<String> = hub.answers.keys().cloned().collect();
        ids.sort();
        RolloutSpec {
            name: "r1".into(),
            target: "*".into(),
            operation: vec!["info".into()],
            waves: build_waves(&ids, Some(Amount::Count(1)), waves, None),
            bake_secs: 0,
            max_failures,
            success: None,
            window: None,
            concurrency: 1,
            timeout_secs: 5,
        }
    }

    async fn run(
        hub: &FakeHub,
        spec: &RolloutSpec,
        control: &Operator,
    ) -> Result<Finish, CliError> {
        let plan = parse_operation(&spec.operation).unwrap();
        let printer = printer();
        Engine {
            hub,
            printer: &printer,
            spec,
            hash: spec.hash(),
            plan: &plan,
            control,
            window: None,
            pacing: pacing(),
        }
        .run()
        .await
    }

    fn fleet(n: usize, answer: impl Fn(usize) -> Answer) -> Vec<(String, Answer)> {
        (1..=n).map(|i| (format!("d{i:02}"), answer(i))).collect()
    }

    fn hub_of(devices: &[(String, Answer)]) -> FakeHub {
        let refs: Vec<(&str, Answer)> = devices.iter().map(|(id, a)| (id.as_str(), *a)).collect();
        FakeHub::new(&refs)
    }

    #[tokio::test]
    async fn waves_run_in_order_and_every_device_is_recorded() {
        let hub = hub_of(&fleet(10, |_| Answer::Ok));
        let spec = spec(&hub, &[Amount::Percent(50.0)], Amount::Count(0));
        let operator = Operator::new();
        assert_eq!(
            run(&hub, &spec, &operator).await.unwrap(),
            Finish::Completed { failed: 0 }
        );
        let running: Vec<usize> = operator
            .reports
            .lock()
            .unwrap()
            .iter()
            .filter(|(s, _)| *s == Status::Running)
            .map(|(_, w)| *w)
            .collect();
        assert_eq!(running, [1, 2, 3]);
        let record = hub.tag("d01", "r1").unwrap();
        assert_eq!(record["outcome"], "succeeded");
        assert_eq!(record["wave"], 1);
        assert_eq!(record["plan"], spec.hash());
        assert_eq!(hub.tag("d10", "r1").unwrap()["wave"], 3);
        // A second run finds everything done and sends nothing again.
        let before = hub.invoked.load(Ordering::SeqCst);
        run(&hub, &spec, &Operator::new()).await.unwrap();
        assert_eq!(hub.invoked.load(Ordering::SeqCst), before);
    }

    #[tokio::test]
    async fn failures_past_the_threshold_stop_it_and_leave_the_rest_untouched() {
        // d03 and d04 fail; one failure is tolerated.
        let hub = hub_of(&fleet(10, |i| {
            if i == 3 || i == 4 {
                Answer::Fail
            } else {
                Answer::Ok
            }
        }));
        let spec = spec(&hub, &[Amount::Percent(50.0)], Amount::Count(1));
        let finish = run(&hub, &spec, &Operator::new()).await.unwrap();
        let Finish::Stopped(reason) = finish else {
            panic!("{finish:?}")
        };
        assert!(
            reason.contains("2 of 4 devices started have failed"),
            "{reason}"
        );
        assert_eq!(hub.tag("d03", "r1").unwrap()["outcome"], "failed");
        assert!(
            hub.tag("d03", "r1").unwrap()["reason"]
                .as_str()
                .unwrap()
                .contains("boom")
        );
        for id in ["d05", "d06", "d10"] {
            assert_eq!(hub.calls(id), 0, "{id} was called");
            assert!(hub.tag(id, "r1").is_none(), "{id} has a record");
        }
        // The stop is final for that plan: running it again stops before any new device.
        let again = run(&hub, &spec, &Operator::new()).await.unwrap();
        assert!(matches!(again, Finish::Stopped(_)));
        assert_eq!(hub.calls("d05"), 0);
    }

    #[tokio::test]
    async fn busy_devices_are_retried_within_the_wave_then_fail() {
        let hub = hub_of(&[
            ("d01".to_owned(), Answer::BusyFor(2)),
            ("d02".to_owned(), Answer::BusyFor(usize::MAX)),
        ]);
        let mut spec = spec(&hub, &[], Amount::Count(5));
        spec.timeout_secs = 1;
        assert_eq!(
            run(&hub, &spec, &Operator::new()).await.unwrap(),
            Finish::Completed { failed: 1 }
        );
        assert_eq!(hub.tag("d01", "r1").unwrap()["outcome"], "succeeded");
        assert_eq!(hub.calls("d01"), 3);
        let busy = hub.tag("d02", "r1").unwrap();
        assert_eq!(busy["outcome"], "failed");
        assert!(
            busy["reason"].as_str().unwrap().contains("still busy"),
            "{busy}"
        );
    }

    #[tokio::test]
    async fn the_success_condition_is_the_hubs_and_catches_a_wrong_value() {
        // d09 reports firmware 1.0, the others 2.0.
        let hub = hub_of(&fleet(10, |_| Answer::Ok));
        let mut spec = spec(&hub, &[], Amount::Count(3));
        spec.success = Some("properties.reported.dm.info.firmware = '2.0'".into());
        assert_eq!(
            run(&hub, &spec, &Operator::new()).await.unwrap(),
            Finish::Completed { failed: 1 }
        );
        let wrong = hub.tag("d09", "r1").unwrap();
        assert_eq!(wrong["outcome"], "failed");
        assert!(
            wrong["reason"].as_str().unwrap().contains("--success"),
            "{wrong}"
        );
        assert_eq!(hub.tag("d08", "r1").unwrap()["outcome"], "succeeded");
    }

    #[tokio::test]
    async fn a_different_plan_under_the_same_name_is_refused() {
        let hub = hub_of(&fleet(4, |_| Answer::Ok));
        let first = spec(&hub, &[], Amount::Count(0));
        run(&hub, &first, &Operator::new()).await.unwrap();
        let mut other = first.clone();
        other.concurrency = 2;
        let err = run(&hub, &other, &Operator::new()).await.unwrap_err();
        assert_eq!(err.exit(), Exit::Conflict);
        assert!(err.message().contains("another plan"), "{}", err.message());
    }

    #[tokio::test]
    async fn pause_holds_before_the_next_wave_and_abort_leaves_the_rest_untouched() {
        let hub = hub_of(&fleet(6, |_| Answer::Ok));
        let spec = spec(&hub, &[Amount::Percent(50.0)], Amount::Count(0));
        let mut operator = Operator::new();
        operator.pause_after_wave = Some(1);
        let operator = &operator;
        let hub = &hub;
        let spec = &spec;
        let running = run(hub, spec, operator);
        let operate = async {
            // Wait until the runner holds before wave 2, then abort.
            loop {
                if operator
                    .reports
                    .lock()
                    .unwrap()
                    .contains(&(Status::Paused, 2))
                {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            assert_eq!(hub.calls("d02"), 0, "wave 2 must not start while paused");
            *operator.request.lock().unwrap() = Request::Abort;
        };
        let (finish, ()) = tokio::join!(running, operate);
        assert_eq!(finish.unwrap(), Finish::Aborted);
        assert_eq!(hub.tag("d01", "r1").unwrap()["outcome"], "succeeded");
        for id in ["d02", "d03", "d06"] {
            assert_eq!(hub.calls(id), 0, "{id}");
            assert!(hub.tag(id, "r1").is_none(), "{id}");
        }
    }

    #[test]
    fn status_counts_waves_and_lists_failures() {
        let spec = RolloutSpec {
            name: "r1".into(),
            target: "*".into(),
            operation: vec!["info".into()],
            waves: vec![vec!["a".into()], vec!["b".into(), "c".into()]],
            bake_secs: 0,
            max_failures: Amount::Count(0),
            success: None,
            window: None,
            concurrency: 1,
            timeout_secs: 5,
        };
        let record = |wave, outcome, reason: Option<&str>| DeviceRecord {
            name: "r1".into(),
            plan: spec.hash(),
            wave,
            outcome,
            time: Timestamp::UNIX_EPOCH,
            reason: reason.map(str::to_owned),
            operation: None,
            desired_version: None,
            job: None,
        };
        let records = HashMap::from([
            ("a".to_owned(), record(1, Outcome::Succeeded, None)),
            ("b".to_owned(), record(2, Outcome::Failed, Some("boom"))),
        ]);
        let (waves, failures) = summarize(Some(&spec), &records);
        assert_eq!(waves[0].succeeded, 1);
        assert_eq!(
            (waves[1].devices, waves[1].pending, waves[1].failed),
            (2, 1, 1)
        );
        assert_eq!(failures[0].device_id, "b");
        let (remote, _) = summarize(None, &records);
        assert_eq!(
            remote.len(),
            2,
            "waves come from the records without the plan"
        );
    }
}
