//! A rollout wave sent as IoT Hub jobs (`rollout start … -- COMMAND --via-job`): the hub fans
//! the operation out, dmctl decides what happens between waves exactly as it does for a
//! client-side wave.
//!
//! A wave's devices go into jobs whose condition names them (`deviceId IN [...]`), in chunks
//! that keep each condition under the hub's limit on a query expression. The chunks run one
//! after the other: a hub on S1 runs one job at a time, and the failure threshold is checked
//! between them. Before a job is created every device it will reach gets its rollout record,
//! `sent`, naming the job id; so a rollout killed at any point and resumed (here or on another
//! machine) finds the job by that id in the tags and follows it instead of sending again. A
//! job that a killed run recorded but never created is created then.
//!
//! Each device's row in `devices.jobs` is judged by the same code as a typed `--via-job`
//! command ([`via_job::device_result`], which is `exec::judge_answer` then `exec::complete`),
//! then the success condition is checked: the outcomes are a client-side wave's. A device that
//! answered busy (409) is sent again in a follow-up job within the wave's time, then counts as
//! failed. An abort cancels the running job: the devices it had not reached keep no record, as
//! the devices of a client-side wave that were never started.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use futures::StreamExt as _;
use iothub_model::{DeviceJob, DeviceJobStatus, JobResponse};
use jiff::Timestamp;
use tokio::time::Instant;

use super::{Engine, Tally, lock, retryable};
use crate::cmd::job as jobs;
use crate::dm::exec::ViaJob;
use crate::dm::hub::Hub;
use crate::dm::via_job;
use crate::exit::{CliError, Exit};
use crate::fleet::ids_condition;
use crate::rollout::spec::{DeviceRecord, Outcome, TAG};
use crate::rollout::store::Request;

/// Longest `queryCondition` given to one job. The hub takes query expressions of up to 8,192
/// characters (IoT Hub query language limits); the margin covers the `SELECT * FROM devices
/// WHERE` it evaluates the condition in.
pub const MAX_CONDITION_LEN: usize = 8000;

/// How long a cancelled job, and the calls it had already made, are followed before its
/// unfinished rows are judged as they stand.
const CANCEL_GRACE: Duration = Duration::from_secs(30);

/// Where a job's devices come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// A previous run recorded the job in the devices' tags: it may exist in the hub already.
    Recorded,
    /// New devices of this wave.
    Fresh,
    /// Devices that answered busy, sent again.
    Retry,
}

/// One job of a wave.
#[derive(Debug)]
struct Batch {
    /// The job id, recorded in the devices' tags before the job is created.
    job_id: String,
    /// Its devices.
    devices: Vec<String>,
    /// Where they come from.
    origin: Origin,
}

/// Why dmctl cancelled a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cancelled {
    /// It ended by itself.
    No,
    /// The operator aborted the rollout.
    Aborted,
    /// The wave's time ran out.
    TimedOut,
}

/// One device of a finished job.
enum Judged {
    /// Its outcome, recorded.
    Done(DeviceRecord),
    /// Busy: worth sending again; the error says why.
    Busy(CliError),
    /// The job was cancelled before it reached the device: no record, as if never started.
    Untouched,
}

/// Splits `ids` into lists whose `deviceId IN [...]` condition stays within `max_len`
/// characters (one id per list at least, whatever its length).
pub fn id_chunks(ids: &[String], max_len: usize) -> Vec<Vec<String>> {
    let empty = ids_condition(&[]).len();
    let mut chunks: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut len = empty;
    for id in ids {
        // The id quoted, and the ", " before it.
        let cost = ids_condition(std::slice::from_ref(id)).len() - empty + 2;
        if !current.is_empty() && len + cost > max_len {
            chunks.push(std::mem::take(&mut current));
            len = empty;
        }
        len += cost;
        current.push(id.clone());
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

impl<H: Hub> Engine<'_, H> {
    /// Runs one wave on `todo` as jobs; returns the final record of every device reached.
    /// Devices not reached (threshold crossed between jobs, or aborted) keep no record.
    pub(super) async fn run_wave_jobs(
        &self,
        via: &ViaJob,
        number: usize,
        todo: &[&String],
        records: &HashMap<String, DeviceRecord>,
        tally: &Mutex<Tally>,
    ) -> Result<Vec<(String, DeviceRecord)>, CliError> {
        // A start time still ahead holds every job until then; the wave's time counts from it.
        let start = via.start.filter(|t| *t > Timestamp::now());
        let held = start.map_or(Duration::ZERO, |t| {
            Duration::try_from(t.duration_since(Timestamp::now())).unwrap_or_default()
        });
        let deadline = Instant::now() + held + Duration::from_secs(self.spec.timeout_secs);

        let mut recorded: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut fresh = Vec::new();
        for id in todo {
            match records.get(*id) {
                Some(DeviceRecord {
                    outcome: Outcome::Sent,
                    job: Some(job),
                    ..
                }) => recorded.entry(job.clone()).or_default().push((*id).clone()),
                _ => fresh.push((*id).clone()),
            }
        }
        let mut queue: VecDeque<Batch> = recorded
            .into_iter()
            .map(|(job_id, devices)| Batch {
                job_id,
                devices,
                origin: Origin::Recorded,
            })
            .collect();
        queue.extend(
            id_chunks(&fresh, MAX_CONDITION_LEN)
                .into_iter()
                .map(|devices| Batch {
                    job_id: jobs::new_job_id(),
                    devices,
                    origin: Origin::Fresh,
                }),
        );

        let mut done = Vec::new();
        let mut busy: HashMap<String, CliError> = HashMap::new();
        let mut pause = self.pacing.busy_first;
        while let Some(batch) = queue.pop_front() {
            if batch.origin != Origin::Recorded {
                if self.control.request()? == Request::Abort || self.crossed(tally).is_some() {
                    break;
                }
                if batch.origin == Origin::Fresh {
                    lock(tally).started += batch.devices.len();
                }
                self.record_sent(number, &batch).await?;
            }
            let job = self.ensure_job(via, &batch, start, deadline).await?;
            let (job, cancelled) = self.follow(&job.job_id, deadline).await?;
            let mut rows = via_job::device_rows(self.hub, &job.job_id).await?;
            if cancelled != Cancelled::No {
                // A cancelled job is final at once, but the calls it had already made go on:
                // they are followed to their end, as a client-side wave follows what it sent.
                let until = Instant::now() + CANCEL_GRACE;
                while rows.values().any(|r| r.status == DeviceJobStatus::Running)
                    && Instant::now() < until
                {
                    tokio::time::sleep(self.pacing.poll).await;
                    rows = via_job::device_rows(self.hub, &job.job_id).await?;
                }
            }
            let (job, rows) = (&job, &rows);
            let judged: Vec<(String, Judged)> = futures::stream::iter(batch.devices.iter())
                .map(|id| async move {
                    let judged = self
                        .judge(number, job, rows.get(id), id, cancelled, deadline)
                        .await;
                    (id.clone(), judged)
                })
                .buffer_unordered(usize::from(self.spec.concurrency.max(1)))
                .collect()
                .await;
            let mut again = Vec::new();
            for (id, judged) in judged {
                match judged {
                    Judged::Done(record) => {
                        busy.remove(&id);
                        if record.outcome == Outcome::Failed {
                            self.printer.warn(format!(
                                "rollout {}: device '{id}' failed: {}",
                                self.spec.name,
                                record.reason.as_deref().unwrap_or("no reason given")
                            ));
                            lock(tally).failed += 1;
                        }
                        done.push((id, record));
                    }
                    Judged::Busy(err) => {
                        busy.insert(id.clone(), err);
                        again.push(id);
                    }
                    Judged::Untouched => {
                        busy.remove(&id);
                        {
                            let mut counts = lock(tally);
                            counts.started = counts.started.saturating_sub(1);
                        }
                        self.clear(&id).await?;
                    }
                }
            }
            if cancelled == Cancelled::Aborted {
                break;
            }
            if !again.is_empty() {
                if Instant::now() + pause < deadline {
                    self.printer.info(format!(
                        "rollout {}: {} busy device{} sent again in a new job",
                        self.spec.name,
                        again.len(),
                        if again.len() == 1 { "" } else { "s" }
                    ));
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(self.pacing.busy_max);
                    again.sort();
                    queue.extend(
                        id_chunks(&again, MAX_CONDITION_LEN)
                            .into_iter()
                            .map(|devices| Batch {
                                job_id: jobs::new_job_id(),
                                devices,
                                origin: Origin::Retry,
                            }),
                    );
                } else {
                    // No time left: busy counts as failed, never as succeeded.
                    for id in again {
                        let err = busy.remove(&id).unwrap_or_else(|| {
                            CliError::new(Exit::Conflict, format!("device '{id}' is busy"))
                        });
                        let record = self
                            .finish(
                                number,
                                &id,
                                Some(job.job_id.clone()),
                                Err(CliError::new(
                                    err.exit(),
                                    format!(
                                        "{} (still busy when the wave's time ran out)",
                                        err.message()
                                    ),
                                )),
                            )
                            .await;
                        self.printer.warn(format!(
                            "rollout {}: device '{id}' failed: {}",
                            self.spec.name,
                            record.reason.as_deref().unwrap_or_default()
                        ));
                        lock(tally).failed += 1;
                        done.push((id, record));
                    }
                }
            }
        }
        // Busy devices whose next job was never sent (abort, threshold): failed, as busy.
        let reached: HashSet<String> = done.iter().map(|(id, _)| id.clone()).collect();
        for (id, err) in busy {
            if reached.contains(&id) {
                continue;
            }
            let record = self
                .finish(
                    number,
                    &id,
                    None,
                    Err(CliError::new(
                        err.exit(),
                        format!("{} (still busy when the rollout stopped)", err.message()),
                    )),
                )
                .await;
            lock(tally).failed += 1;
            done.push((id, record));
        }
        Ok(done)
    }

    /// Writes `sent` records naming the batch's job on its devices, before the job exists.
    async fn record_sent(&self, wave: usize, batch: &Batch) -> Result<(), CliError> {
        let record = DeviceRecord {
            name: self.spec.name.clone(),
            plan: self.hash.clone(),
            wave,
            outcome: Outcome::Sent,
            time: Timestamp::now(),
            reason: None,
            operation: None,
            desired_version: None,
            job: Some(batch.job_id.clone()),
        };
        let record = &record;
        let written: Vec<Result<(), CliError>> = futures::stream::iter(batch.devices.iter())
            .map(|id| self.write(id, record))
            .buffer_unordered(usize::from(self.spec.concurrency.max(1)))
            .collect()
            .await;
        written.into_iter().collect()
    }

    /// Removes the device's record of this rollout: the job never reached it.
    async fn clear(&self, id: &str) -> Result<(), CliError> {
        let patch = serde_json::json!({ "tags": { TAG: { self.spec.name.clone(): null } } });
        self.hub
            .patch_twin(id, &patch, None)
            .await
            .map(|_| ())
            .map_err(|e| e.context(format!("device '{id}': removing its rollout record")))
    }

    /// The batch's job: the one a previous run created, or a new one. A hub that refuses the
    /// job leaves the devices without a record (nothing was sent to them).
    async fn ensure_job(
        &self,
        via: &ViaJob,
        batch: &Batch,
        start: Option<Timestamp>,
        deadline: Instant,
    ) -> Result<JobResponse, CliError> {
        if batch.origin == Origin::Recorded {
            match self.hub.job(&batch.job_id).await {
                Ok(job) => {
                    self.printer.info(format!(
                        "rollout {}: following job '{}' sent before to {} device{}",
                        self.spec.name,
                        batch.job_id,
                        batch.devices.len(),
                        if batch.devices.len() == 1 { "" } else { "s" }
                    ));
                    return Ok(job);
                }
                Err(e) if e.exit() == Exit::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        let mut request = via_job::job_request(self.plan, via, &batch.job_id)?;
        request.start_time = start.map(|t| t.to_string());
        request.query_condition = Some(ids_condition(&batch.devices));
        let left = deadline.saturating_duration_since(Instant::now());
        request.max_execution_time_in_seconds = Some(left.as_secs().max(1));
        let mut pause = self.pacing.busy_first;
        loop {
            match self.hub.create_job(&request).await {
                Ok(job) => {
                    self.printer.info(format!(
                        "rollout {}: job '{}' created for {} device{}",
                        self.spec.name,
                        batch.job_id,
                        batch.devices.len(),
                        if batch.devices.len() == 1 { "" } else { "s" }
                    ));
                    return Ok(job);
                }
                // Too many jobs on the hub right now: wait within the wave's time.
                Err(err) if retryable(&err) && Instant::now() + pause < deadline => {
                    self.printer.detail(format!(
                        "rollout {}: the hub did not take the job yet: {}",
                        self.spec.name,
                        err.message()
                    ));
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(self.pacing.busy_max);
                }
                Err(err) => {
                    // An answer lost on the way may hide a job the hub did create.
                    if let Ok(job) = self.hub.job(&batch.job_id).await {
                        return Ok(job);
                    }
                    for id in &batch.devices {
                        if let Err(e) = self.clear(id).await {
                            self.printer.warn(e.message());
                        }
                    }
                    return Err(err.context(format!(
                        "rollout {}: the wave's job was not created",
                        self.spec.name
                    )));
                }
            }
        }
    }

    /// Follows a job until it is final. An abort, or the wave's time running out, cancels it
    /// (devices it has not reached are left alone) and follows it a little longer.
    async fn follow(
        &self,
        job_id: &str,
        deadline: Instant,
    ) -> Result<(JobResponse, Cancelled), CliError> {
        let mut cancelled = Cancelled::No;
        let mut cancelled_at = None;
        let mut said = String::new();
        loop {
            let job = self.hub.job(job_id).await?;
            if job.status.is_terminal() {
                return Ok((job, cancelled));
            }
            let progress = jobs::job_progress(&job);
            if progress != said {
                self.printer
                    .detail(format!("rollout {}: {progress}", self.spec.name));
                said = progress;
            }
            match cancelled_at {
                None => {
                    let why = if self.control.request()? == Request::Abort {
                        Cancelled::Aborted
                    } else if Instant::now() >= deadline {
                        Cancelled::TimedOut
                    } else {
                        Cancelled::No
                    };
                    if why != Cancelled::No {
                        self.printer.info(format!(
                            "rollout {}: cancelling job '{job_id}' ({})",
                            self.spec.name,
                            if why == Cancelled::Aborted {
                                "aborted by the operator"
                            } else {
                                "the wave's time ran out"
                            }
                        ));
                        let job = self.hub.cancel_job(job_id).await?;
                        cancelled = why;
                        cancelled_at = Some(Instant::now());
                        if job.status.is_terminal() {
                            return Ok((job, cancelled));
                        }
                    }
                }
                Some(at) if at.elapsed() >= CANCEL_GRACE => return Ok((job, cancelled)),
                Some(_) => {}
            }
            tokio::time::sleep(self.pacing.poll).await;
        }
    }

    /// One device of a finished job: its row judged as a typed `--via-job` command judges it,
    /// its operation followed to the end, the success condition checked, the outcome recorded.
    async fn judge(
        &self,
        wave: usize,
        job: &JobResponse,
        row: Option<&DeviceJob>,
        id: &str,
        cancelled: Cancelled,
        deadline: Instant,
    ) -> Judged {
        let reached = row.is_some_and(|r| {
            !matches!(
                r.status,
                DeviceJobStatus::Pending | DeviceJobStatus::Scheduled | DeviceJobStatus::Canceled
            )
        });
        if !reached {
            match cancelled {
                Cancelled::Aborted => return Judged::Untouched,
                Cancelled::TimedOut => {
                    let err = CliError::new(
                        Exit::TimedOut,
                        format!(
                            "device '{id}': the wave's time (--timeout) ran out before job '{}' reached it",
                            job.job_id
                        ),
                    );
                    return Judged::Done(
                        self.finish(wave, id, Some(job.job_id.clone()), Err(err))
                            .await,
                    );
                }
                Cancelled::No => {}
            }
        }
        let result = match via_job::device_result(
            self.printer,
            self.hub,
            self.plan,
            job,
            row,
            id,
            Some(deadline),
        )
        .await
        {
            Ok(_) => self.check_success(id).await,
            Err(err) => Err(err),
        };
        match result {
            Err(err) if retryable(&err) => Judged::Busy(err),
            result => Judged::Done(
                self.finish(wave, id, Some(job.job_id.clone()), result)
                    .await,
            ),
        }
    }

    /// Records a device's outcome; a record that cannot be written is warned about (the outcome
    /// stands).
    async fn finish(
        &self,
        wave: usize,
        id: &str,
        job: Option<String>,
        result: Result<(), CliError>,
    ) -> DeviceRecord {
        let (outcome, reason) = match result {
            Ok(()) => (Outcome::Succeeded, None),
            Err(err) => (
                Outcome::Failed,
                Some(match err.hint() {
                    Some(hint) => format!("{} (hint: {hint})", err.message()),
                    None => err.message().to_owned(),
                }),
            ),
        };
        let record = DeviceRecord {
            name: self.spec.name.clone(),
            plan: self.hash.clone(),
            wave,
            outcome,
            time: Timestamp::now(),
            reason,
            operation: None,
            desired_version: None,
            job,
        };
        self.record_outcome(id, &record).await;
        record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_keep_each_condition_within_the_limit_and_every_id_once() {
        let ids: Vec<String> = (0..1000).map(|i| format!("device-{i:04}")).collect();
        let chunks = id_chunks(&ids, MAX_CONDITION_LEN);
        assert!(chunks.len() > 1, "1,000 ids do not fit one condition");
        for chunk in &chunks {
            assert!(ids_condition(chunk).len() <= MAX_CONDITION_LEN);
        }
        let joined: Vec<String> = chunks.concat();
        assert_eq!(joined, ids);
        // Full chunks: adding the next id would cross the limit.
        let first = &chunks[0];
        let mut more = first.clone();
        more.push(chunks[1][0].clone());
        assert!(ids_condition(&more).len() > MAX_CONDITION_LEN);
        assert_eq!(id_chunks(&[], 100), Vec::<Vec<String>>::new());
        let long = vec!["x".repeat(200)];
        assert_eq!(id_chunks(&long, 100), vec![long]);
    }
}
