//! Jobs v2: a direct method or a twin update fanned out, at a scheduled time, to every device
//! matching a query condition (protocol reference §D.5).
//!
//! Jobs and their per-device rows live in the store, so they survive restarts and are
//! queryable as `devices.jobs`. A single scheduler task starts jobs when their `startTime`
//! comes and runs each one's devices with bounded concurrency, honouring cancellation and
//! `maxExecutionTimeInSeconds`.
//!
//! Restart policy: a job that was running when the emulator stopped **resumes** on the next
//! start. Devices it had not reached yet are processed then; a device whose operation was in
//! flight at the moment of the stop is marked failed (`JobInterrupted`) rather than retried,
//! because the device may already have executed the method and a second reboot is worse than a
//! visible failure.

use std::collections::HashSet;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use iothub_model::query::{DeviceJobError, DeviceJobOutcome, DeviceMethodResponse};
use iothub_model::{
    DeviceJob, DeviceJobStatistics, DeviceJobStatus, ErrorCode, JobRequest, JobResponse, JobStatus,
    JobType, validate_job_id, validate_method,
};
use serde_json::Value;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::error::EmulatorError;
use crate::hub::Hub;
use crate::identity::Identity;
use crate::registry::{self, Now};
use crate::store::Tx;
use crate::twins::ServiceTwinWrite;

/// `maxExecutionTimeInSeconds` when the request leaves it out (the Node SDK's default).
pub(crate) const DEFAULT_MAX_EXECUTION_SECS: u64 = 3600;
/// How many devices of one job are worked on at once (S1 runs 10 device operations a second).
const DEVICE_CONCURRENCY: usize = 10;
/// How long the scheduler sleeps when nothing is scheduled (it is woken on every change).
const IDLE_WAIT: Duration = Duration::from_secs(3600);

fn invalid(message: impl Into<String>) -> EmulatorError {
    EmulatorError::hub(ErrorCode::ArgumentInvalid, message)
}

fn corrupt(e: impl std::fmt::Display) -> EmulatorError {
    EmulatorError::Corrupt(e.to_string())
}

fn parse_time(field: &str, text: &str) -> Result<jiff::Timestamp, EmulatorError> {
    jiff::Timestamp::from_str(text.trim())
        .map_err(|e| invalid(format!("{field} '{text}' is not an ISO 8601 UTC time: {e}")))
}

fn format_time(t: jiff::Timestamp) -> String {
    iothub_model::format_timestamp(t.as_nanosecond())
}

fn now_timestamp() -> jiff::Timestamp {
    jiff::Timestamp::now()
}

fn job_not_found(job_id: &str) -> EmulatorError {
    EmulatorError::hub(
        ErrorCode::JobNotFound,
        format!("Job '{job_id}' does not exist."),
    )
}

fn load_job(tx: &Tx<'_>, job_id: &str) -> Result<JobResponse, EmulatorError> {
    let doc = tx
        .job(job_id)?
        .filter(|doc| !crate::bulkio::is_import_export(doc))
        .ok_or_else(|| job_not_found(job_id))?;
    serde_json::from_value(doc).map_err(corrupt)
}

/// The scheduled (v2) jobs' documents: the jobs table also holds import/export (v1) jobs.
fn v2_docs(tx: &Tx<'_>) -> Result<Vec<Value>, EmulatorError> {
    Ok(tx
        .jobs()?
        .into_iter()
        .filter(|doc| !crate::bulkio::is_import_export(doc))
        .collect())
}

fn store_job(tx: &Tx<'_>, job: &JobResponse, created_ms: i64) -> Result<(), EmulatorError> {
    tx.put_job(
        &job.job_id,
        created_ms,
        &serde_json::to_value(job).map_err(corrupt)?,
    )
}

fn device_rows(tx: &Tx<'_>, job_id: &str) -> Result<Vec<DeviceJob>, EmulatorError> {
    tx.device_jobs_of(job_id)?
        .into_iter()
        .map(|v| serde_json::from_value(v).map_err(corrupt))
        .collect()
}

fn store_row(tx: &Tx<'_>, row: &DeviceJob) -> Result<(), EmulatorError> {
    tx.put_device_job(
        &row.job_id,
        &row.device_id,
        None,
        &serde_json::to_value(row).map_err(corrupt)?,
    )
}

fn statistics(rows: &[DeviceJob]) -> DeviceJobStatistics {
    let mut stats = DeviceJobStatistics {
        device_count: rows.len() as u64,
        ..DeviceJobStatistics::default()
    };
    for row in rows {
        match row.status {
            DeviceJobStatus::Completed => stats.succeeded_count += 1,
            DeviceJobStatus::Failed | DeviceJobStatus::Canceled => stats.failed_count += 1,
            DeviceJobStatus::Running => stats.running_count += 1,
            _ => stats.pending_count += 1,
        }
    }
    stats
}

/// A job as `GET /jobs/v2/{id}` returns it, with statistics from its device rows.
fn with_statistics(tx: &Tx<'_>, mut job: JobResponse) -> Result<JobResponse, EmulatorError> {
    job.device_job_statistics = Some(statistics(&device_rows(tx, &job.job_id)?));
    Ok(job)
}

fn is_active(status: JobStatus) -> bool {
    matches!(
        status,
        JobStatus::Queued | JobStatus::Scheduled | JobStatus::Running | JobStatus::Enqueued
    )
}

/// The validated twin update of a `scheduleUpdateTwin` job.
fn twin_write(job: &JobResponse) -> Result<ServiceTwinWrite, EmulatorError> {
    let twin = job.update_twin.as_ref().ok_or_else(|| {
        EmulatorError::hub(
            ErrorCode::ArgumentNull,
            "updateTwin is required for a scheduleUpdateTwin job",
        )
    })?;
    let body = serde_json::to_value(twin).map_err(corrupt)?;
    let write = ServiceTwinWrite::from_body(&body)?;
    let check = |section, patch: &Option<serde_json::Map<String, Value>>| {
        patch.as_ref().map_or(Ok(()), |p| {
            iothub_model::validate_patch(section, &Value::Object(p.clone()))
                .map_err(|e| EmulatorError::hub(e.error_code(), format!("updateTwin: {e}")))
        })
    };
    check(iothub_model::TwinSection::Tags, &write.tags)?;
    check(iothub_model::TwinSection::Desired, &write.desired)?;
    Ok(write)
}

/// Creates a job (`PUT /jobs/v2/{id}`); it starts at its `startTime`.
pub(crate) fn create(
    hub: &Hub,
    job_id: &str,
    request: JobRequest,
) -> Result<JobResponse, EmulatorError> {
    validate_job_id(job_id).map_err(|e| EmulatorError::hub(e.error_code(), e.to_string()))?;
    if !request.job_id.is_empty() && request.job_id != job_id {
        return Err(invalid(format!(
            "jobId '{}' in the body does not match '{job_id}' in the request path",
            request.job_id
        )));
    }
    let condition = request
        .query_condition
        .clone()
        .ok_or_else(|| EmulatorError::hub(ErrorCode::ArgumentNull, "queryCondition is required"))?;
    crate::query::parse_condition(&condition)
        .map_err(|e| invalid(format!("queryCondition: {e}")))?;
    let now = now_timestamp();
    let start = match &request.start_time {
        Some(text) => parse_time("startTime", text)?,
        None => now,
    };
    let max_secs = request
        .max_execution_time_in_seconds
        .unwrap_or(DEFAULT_MAX_EXECUTION_SECS);
    if max_secs == 0 {
        return Err(invalid("maxExecutionTimeInSeconds must be at least 1"));
    }
    let mut job = JobResponse {
        job_id: job_id.to_string(),
        query_condition: Some(condition),
        created_time: Some(format_time(now)),
        start_time: Some(format_time(start)),
        end_time: None,
        max_execution_time_in_seconds: Some(max_secs),
        type_: request.type_,
        cloud_to_device_method: None,
        update_twin: None,
        status: JobStatus::Queued,
        failure_reason: None,
        status_message: None,
        device_job_statistics: Some(DeviceJobStatistics::default()),
    };
    match request.type_ {
        JobType::ScheduleDeviceMethod => {
            let method = request.cloud_to_device_method.ok_or_else(|| {
                EmulatorError::hub(
                    ErrorCode::ArgumentNull,
                    "cloudToDeviceMethod is required for a scheduleDeviceMethod job",
                )
            })?;
            validate_method(&method).map_err(|e| {
                EmulatorError::hub(e.error_code(), format!("cloudToDeviceMethod: {e}"))
            })?;
            job.cloud_to_device_method = Some(method);
        }
        JobType::ScheduleUpdateTwin => {
            job.update_twin = request.update_twin;
            twin_write(&job)?;
        }
        other => {
            return Err(invalid(format!(
                "job type '{}' cannot be scheduled; use scheduleDeviceMethod or scheduleUpdateTwin",
                other.as_str()
            )));
        }
    }
    let limit = hub.config().max_concurrent_jobs;
    let created = hub.store().with_tx(|tx| {
        if tx.job(job_id)?.is_some() {
            return Err(EmulatorError::hub(
                ErrorCode::JobAlreadyExists,
                format!("A job with ID '{job_id}' already exists."),
            ));
        }
        let active = v2_docs(tx)?
            .into_iter()
            .filter_map(|doc| serde_json::from_value::<JobResponse>(doc).ok())
            .filter(|j| is_active(j.status))
            .count();
        if active >= limit {
            return Err(EmulatorError::hub(
                ErrorCode::JobQuotaExceeded,
                format!("{active} jobs are active; this hub allows {limit} at a time."),
            ));
        }
        let created_ms = now.as_millisecond();
        store_job(tx, &job, created_ms)?;
        Ok(job)
    })?;
    hub.jobs_changed.notify_one();
    Ok(created)
}

/// One job with its statistics (`GET /jobs/v2/{id}`).
///
/// For the id of an import/export (v1) job it answers that job with status `unknown` and no
/// details, which is how the Azure CLI learns to read it from `GET /jobs/{id}` instead
/// (protocol reference §H.2).
pub(crate) fn get(hub: &Hub, job_id: &str) -> Result<JobResponse, EmulatorError> {
    hub.store().with_tx(|tx| {
        if tx
            .job(job_id)?
            .is_some_and(|doc| crate::bulkio::is_import_export(&doc))
        {
            return Ok(JobResponse {
                job_id: job_id.to_string(),
                query_condition: None,
                created_time: None,
                start_time: None,
                end_time: None,
                max_execution_time_in_seconds: None,
                type_: JobType::Unknown,
                cloud_to_device_method: None,
                update_twin: None,
                status: JobStatus::Unknown,
                failure_reason: None,
                status_message: None,
                device_job_statistics: None,
            });
        }
        with_statistics(tx, load_job(tx, job_id)?)
    })
}

/// Cancels a job (`POST /jobs/v2/{id}/cancel`). Devices not yet reached are marked canceled;
/// operations already sent are not recalled. Cancelling a finished job changes nothing.
pub(crate) fn cancel(hub: &Hub, job_id: &str) -> Result<JobResponse, EmulatorError> {
    let job = hub.store().with_tx(|tx| {
        let mut job = load_job(tx, job_id)?;
        if !job.status.is_terminal() {
            let now = Now::current();
            job.status = JobStatus::Cancelled;
            job.end_time = Some(now.timestamp.clone());
            let created_ms = created_ms_of(&job);
            store_job(tx, &job, created_ms)?;
            for mut row in device_rows(tx, job_id)? {
                if matches!(
                    row.status,
                    DeviceJobStatus::Pending | DeviceJobStatus::Scheduled
                ) {
                    row.status = DeviceJobStatus::Canceled;
                    row.last_updated_date_time_utc = Some(now.timestamp.clone());
                    row.end_time_utc = Some(now.timestamp.clone());
                    store_row(tx, &row)?;
                }
            }
        }
        with_statistics(tx, job)
    })?;
    hub.jobs_changed.notify_one();
    Ok(job)
}

fn created_ms_of(job: &JobResponse) -> i64 {
    job.created_time
        .as_deref()
        .and_then(|t| jiff::Timestamp::from_str(t).ok())
        .map_or(0, jiff::Timestamp::as_millisecond)
}

/// Jobs filtered by type and status (`GET /jobs/v2/query?jobType=&jobStatus=`), oldest first.
pub(crate) fn query(
    hub: &Hub,
    job_type: Option<&str>,
    job_status: Option<&str>,
) -> Result<Vec<Value>, EmulatorError> {
    let wanted_type = job_type
        .map(|t| {
            let parsed: JobType = serde_json::from_value(Value::from(t)).map_err(corrupt)?;
            if parsed == JobType::Unknown && !t.eq_ignore_ascii_case("unknown") {
                return Err(invalid(format!("jobType '{t}' is not a job type")));
            }
            Ok(parsed)
        })
        .transpose()?;
    let wanted_status = job_status
        .map(|s| {
            let parsed: JobStatus = serde_json::from_value(Value::from(s)).map_err(corrupt)?;
            if parsed == JobStatus::Unknown && !s.eq_ignore_ascii_case("unknown") {
                return Err(invalid(format!("jobStatus '{s}' is not a job status")));
            }
            Ok(parsed)
        })
        .transpose()?;
    hub.store().with_tx(|tx| {
        let mut out = Vec::new();
        for doc in v2_docs(tx)? {
            let job: JobResponse = serde_json::from_value(doc).map_err(corrupt)?;
            if wanted_type.is_some_and(|t| t != job.type_)
                || wanted_status.is_some_and(|s| s != job.status)
            {
                continue;
            }
            let job = with_statistics(tx, job)?;
            out.push(serde_json::to_value(job).map_err(corrupt)?);
        }
        Ok(out)
    })
}

/// Runs store work off the async runtime.
async fn blocking<T: Send + 'static>(
    hub: &Arc<Hub>,
    f: impl FnOnce(&Hub) -> Result<T, EmulatorError> + Send + 'static,
) -> Result<T, EmulatorError> {
    let hub = Arc::clone(hub);
    tokio::task::spawn_blocking(move || f(&hub))
        .await
        .map_err(|e| EmulatorError::hub(ErrorCode::ServerError, format!("job task failed: {e}")))?
}

/// What the scheduler found in the store.
struct Due {
    /// Jobs to run now (newly started, or running when the emulator last stopped).
    start: Vec<JobResponse>,
    /// The earliest start time still in the future.
    next: Option<jiff::Timestamp>,
}

fn find_due(hub: &Hub, executing: &HashSet<String>) -> Result<Due, EmulatorError> {
    let now = now_timestamp();
    hub.store().with_tx(|tx| {
        let mut due = Due {
            start: Vec::new(),
            next: None,
        };
        for doc in v2_docs(tx)? {
            let mut job: JobResponse = serde_json::from_value(doc).map_err(corrupt)?;
            if !is_active(job.status) || executing.contains(&job.job_id) {
                continue;
            }
            let start = job
                .start_time
                .as_deref()
                .map_or(Ok(now), |t| parse_time("startTime", t))?;
            if job.status == JobStatus::Running || start <= now {
                job.status = JobStatus::Running;
                store_job(tx, &job, created_ms_of(&job))?;
                due.start.push(job);
            } else {
                if job.status != JobStatus::Scheduled {
                    job.status = JobStatus::Scheduled;
                    store_job(tx, &job, created_ms_of(&job))?;
                }
                due.next = Some(due.next.map_or(start, |n: jiff::Timestamp| n.min(start)));
            }
        }
        Ok(due)
    })
}

/// The scheduler: starts due jobs until `shutdown`. Jobs still running at shutdown are resumed
/// by the next start (see the module documentation).
pub(crate) async fn run(hub: Arc<Hub>, shutdown: CancellationToken) {
    if let Err(e) = blocking(&hub, crate::bulkio::fail_interrupted).await {
        tracing::error!(error = %e, "could not mark interrupted import/export jobs failed");
    }
    let mut executing: HashSet<String> = HashSet::new();
    let mut tasks: JoinSet<String> = JoinSet::new();
    loop {
        while let Some(done) = tasks.try_join_next() {
            if let Ok(job_id) = done {
                executing.remove(&job_id);
            }
        }
        let snapshot = executing.clone();
        let wait = match blocking(&hub, move |hub| find_due(hub, &snapshot)).await {
            Ok(due) => {
                for job in due.start {
                    executing.insert(job.job_id.clone());
                    let hub = Arc::clone(&hub);
                    let shutdown = shutdown.clone();
                    tasks.spawn(async move {
                        let id = job.job_id.clone();
                        execute(hub, job, shutdown).await;
                        id
                    });
                }
                due.next.map_or(IDLE_WAIT, |next| {
                    let millis = (next.as_millisecond() - now_timestamp().as_millisecond()).max(0);
                    Duration::from_millis(u64::try_from(millis).unwrap_or(0))
                })
            }
            Err(e) => {
                tracing::error!(error = %e, "job scheduler could not read the store");
                Duration::from_secs(1)
            }
        };
        tokio::select! {
            () = shutdown.cancelled() => break,
            () = hub.jobs_changed.notified() => {}
            () = tokio::time::sleep(wait) => {}
            Some(done) = tasks.join_next(), if !tasks.is_empty() => {
                if let Ok(job_id) = done {
                    executing.remove(&job_id);
                }
            }
        }
    }
    // Let running jobs observe the shutdown and record where they stopped.
    while tasks.join_next().await.is_some() {}
}

/// Resolves a job's devices on its first run; on a resumed run, marks devices that were in
/// flight at the stop as failed and returns the ones still to do.
fn prepare_rows(hub: &Hub, job: &JobResponse) -> Result<Vec<String>, EmulatorError> {
    let now = Now::current();
    hub.store().with_tx(|tx| {
        let existing = device_rows(tx, &job.job_id)?;
        if existing.is_empty() {
            let condition = crate::query::parse_condition(
                job.query_condition.as_deref().unwrap_or("*"),
            )
            .map_err(|e| invalid(format!("queryCondition: {e}")))?;
            let mut targets = Vec::new();
            for (device_id, _, record) in tx.identities(false)? {
                let twin = registry::twin_wire(&Identity::device(device_id.clone()), &record)?;
                if condition.matches(&twin) {
                    store_row(
                        tx,
                        &DeviceJob {
                            device_id: device_id.clone(),
                            job_id: job.job_id.clone(),
                            job_type: job.type_,
                            status: DeviceJobStatus::Pending,
                            start_time_utc: job.start_time.clone(),
                            end_time_utc: None,
                            created_date_time_utc: Some(now.timestamp.clone()),
                            last_updated_date_time_utc: Some(now.timestamp.clone()),
                            outcome: None,
                            error: None,
                        },
                    )?;
                    targets.push(device_id);
                }
            }
            return Ok(targets);
        }
        let mut targets = Vec::new();
        for mut row in existing {
            match row.status {
                DeviceJobStatus::Running => {
                    finish_row(
                        &mut row,
                        &now,
                        Err(("JobInterrupted", "The emulator stopped while the operation was in flight; it was not retried.".to_string())),
                    );
                    store_row(tx, &row)?;
                }
                DeviceJobStatus::Pending | DeviceJobStatus::Scheduled => {
                    targets.push(row.device_id.clone());
                }
                _ => {}
            }
        }
        Ok(targets)
    })
}

type RowResult = Result<Option<DeviceMethodResponse>, (&'static str, String)>;

fn finish_row(row: &mut DeviceJob, now: &Now, result: RowResult) {
    row.last_updated_date_time_utc = Some(now.timestamp.clone());
    row.end_time_utc = Some(now.timestamp.clone());
    match result {
        Ok(response) => {
            row.status = DeviceJobStatus::Completed;
            row.outcome = response.map(|r| DeviceJobOutcome {
                device_method_response: Some(r),
            });
        }
        Err((code, description)) => {
            row.status = DeviceJobStatus::Failed;
            row.error = Some(DeviceJobError {
                code: code.to_string(),
                description,
            });
        }
    }
}

/// Updates one device row inside a transaction, unless the job was cancelled meanwhile.
/// Returns false when the job is no longer running (cancelled), so the caller stops.
fn update_row(
    hub: &Hub,
    job_id: &str,
    device_id: &str,
    f: impl FnOnce(&mut DeviceJob, &Now),
) -> Result<bool, EmulatorError> {
    let now = Now::current();
    hub.store().with_tx(|tx| {
        let job = load_job(tx, job_id)?;
        let rows = device_rows(tx, job_id)?;
        let Some(mut row) = rows.into_iter().find(|r| r.device_id == device_id) else {
            return Ok(false);
        };
        if job.status != JobStatus::Running && row.status != DeviceJobStatus::Running {
            return Ok(false);
        }
        f(&mut row, &now);
        store_row(tx, &row)?;
        Ok(true)
    })
}

fn error_pair(e: &EmulatorError) -> (&'static str, String) {
    let message = match e {
        EmulatorError::Hub { message, .. } | EmulatorError::Method { message, .. } => {
            message.clone()
        }
        other => other.to_string(),
    };
    (e.code().name(), message)
}

/// Runs the job's operation on one device.
async fn run_device(hub: &Arc<Hub>, job: &JobResponse, device_id: &str) -> RowResult {
    let identity = Identity::device(device_id.to_string());
    match job.type_ {
        JobType::ScheduleDeviceMethod => {
            let Some(method) = job.cloud_to_device_method.clone() else {
                return Err(("ArgumentNull", "the job has no cloudToDeviceMethod".into()));
            };
            if !hub.method_target_is_live(&identity) {
                let target = identity.clone();
                blocking(hub, move |hub| hub.check_method_target(&target))
                    .await
                    .map_err(|e| error_pair(&e))?;
            }
            let result = hub
                .invoke_method(&identity, &method)
                .await
                .map_err(|e| error_pair(&e))?;
            Ok(Some(DeviceMethodResponse {
                status: result.status,
                payload: result.payload,
            }))
        }
        JobType::ScheduleUpdateTwin => {
            let write = twin_write(job).map_err(|e| error_pair(&e))?;
            blocking(hub, move |hub| {
                hub.transact(|tx, now| {
                    let (_, effects) =
                        registry::write_twin(tx, &identity, &write, false, None, now)?;
                    Ok(((), effects))
                })
            })
            .await
            .map_err(|e| error_pair(&e))?;
            Ok(None)
        }
        other => Err((
            "InvalidOperation",
            format!("job type '{}' cannot run", other.as_str()),
        )),
    }
}

/// Processes one device: marks it running, runs the operation, records the outcome.
async fn process_device(hub: Arc<Hub>, job: Arc<JobResponse>, device_id: String) {
    let job_id = job.job_id.clone();
    let started = {
        let (job_id, device_id) = (job_id.clone(), device_id.clone());
        blocking(&hub, move |hub| {
            update_row(hub, &job_id, &device_id, |row, now| {
                row.status = DeviceJobStatus::Running;
                row.start_time_utc = Some(now.timestamp.clone());
            })
        })
        .await
    };
    match started {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::error!(job = %crate::logsafe::Escaped(&job_id), device = %crate::logsafe::Escaped(&device_id), error = %e, "could not start device job");
            return;
        }
    }
    let result = run_device(&hub, &job, &device_id).await;
    let recorded = blocking(&hub, move |hub| {
        update_row(hub, &job_id, &device_id, |row, now| {
            finish_row(row, now, result);
        })
    })
    .await;
    if let Err(e) = recorded {
        tracing::error!(error = %e, "could not record a device job outcome");
    }
}

/// Finishes a job: `completed`, or `failed` with `failure` as the reason; devices not reached
/// are marked failed. A job cancelled meanwhile keeps its `cancelled` status.
fn finish_job(hub: &Hub, job_id: &str, failure: Option<String>) -> Result<(), EmulatorError> {
    let now = Now::current();
    hub.store().with_tx(|tx| {
        let mut job = load_job(tx, job_id)?;
        if job.status != JobStatus::Running {
            return Ok(());
        }
        for mut row in device_rows(tx, job_id)? {
            if !matches!(
                row.status,
                DeviceJobStatus::Completed | DeviceJobStatus::Failed | DeviceJobStatus::Canceled
            ) {
                finish_row(
                    &mut row,
                    &now,
                    Err((
                        "JobExpired",
                        "The job reached maxExecutionTimeInSeconds before this device was done."
                            .to_string(),
                    )),
                );
                store_row(tx, &row)?;
            }
        }
        job.end_time = Some(now.timestamp.clone());
        job.status = if failure.is_some() {
            JobStatus::Failed
        } else {
            JobStatus::Completed
        };
        job.failure_reason = failure;
        store_job(tx, &job, created_ms_of(&job))
    })
}

/// Runs one job to the end (or until shutdown, leaving it `running` to be resumed).
async fn execute(hub: Arc<Hub>, job: JobResponse, shutdown: CancellationToken) {
    let job_id = job.job_id.clone();
    // The clock starts at the scheduled time, or at creation for a start time in the past (the
    // documented sample schedules jobs in 2019); a resumed job keeps its original deadline.
    let parse = |t: Option<&str>| t.and_then(|t| jiff::Timestamp::from_str(t).ok());
    let started = match (
        parse(job.start_time.as_deref()),
        parse(job.created_time.as_deref()),
    ) {
        (Some(start), Some(created)) => start.max(created),
        (Some(t), None) | (None, Some(t)) => t,
        (None, None) => now_timestamp(),
    };
    let deadline = started.as_millisecond().saturating_add(
        i64::try_from(
            job.max_execution_time_in_seconds
                .unwrap_or(DEFAULT_MAX_EXECUTION_SECS)
                .saturating_mul(1000),
        )
        .unwrap_or(i64::MAX),
    );
    let remaining = Duration::from_millis(
        u64::try_from(deadline - now_timestamp().as_millisecond()).unwrap_or(0),
    );
    let job = Arc::new(job);
    let work = {
        let (hub, job) = (Arc::clone(&hub), Arc::clone(&job));
        async move {
            let targets = {
                let job = Arc::clone(&job);
                blocking(&hub, move |hub| prepare_rows(hub, &job)).await?
            };
            futures::stream::iter(targets)
                .for_each_concurrent(DEVICE_CONCURRENCY, |device_id| {
                    process_device(Arc::clone(&hub), Arc::clone(&job), device_id)
                })
                .await;
            Ok::<_, EmulatorError>(())
        }
    };
    let max_secs = job
        .max_execution_time_in_seconds
        .unwrap_or(DEFAULT_MAX_EXECUTION_SECS);
    let failure = tokio::select! {
        () = shutdown.cancelled() => return,
        outcome = tokio::time::timeout(remaining, work) => match outcome {
            Ok(Ok(())) => None,
            Ok(Err(e)) => {
                tracing::error!(job = %crate::logsafe::Escaped(&job_id), error = %e, "job failed to run");
                Some(format!("The job could not run: {e}"))
            }
            Err(_) => Some(format!(
                "The job did not finish within maxExecutionTimeInSeconds ({max_secs} s)."
            )),
        },
    };
    let id = job_id.clone();
    if let Err(e) = blocking(&hub, move |hub| finish_job(hub, &id, failure)).await {
        tracing::error!(job = %crate::logsafe::Escaped(&job_id), error = %e, "could not record the end of a job");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::HubConfig;
    use crate::connections::Connections;
    use serde_json::json;

    fn row(device: &str, status: DeviceJobStatus) -> DeviceJob {
        serde_json::from_value(json!({
            "deviceId": device, "jobId": "j", "jobType": "scheduleUpdateTwin",
            "status": status,
        }))
        .unwrap()
    }

    #[test]
    fn a_resumed_job_fails_in_flight_devices_and_keeps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let hub = Hub::open(
            HubConfig::new(dir.path()),
            Arc::new(Connections::new()),
            &[443],
        )
        .unwrap();
        let job: JobResponse = serde_json::from_value(json!({
            "jobId": "j", "type": "scheduleUpdateTwin", "status": "running", "queryCondition": "*",
            "updateTwin": {"tags": {"a": 1}},
        }))
        .unwrap();
        hub.store()
            .with_tx(|tx| {
                store_job(tx, &job, 0)?;
                store_row(tx, &row("in-flight", DeviceJobStatus::Running))?;
                store_row(tx, &row("waiting", DeviceJobStatus::Pending))?;
                store_row(tx, &row("done", DeviceJobStatus::Completed))?;
                Ok::<_, EmulatorError>(())
            })
            .unwrap();
        let todo = prepare_rows(&hub, &job).unwrap();
        assert_eq!(todo, vec!["waiting".to_string()]);
        let rows = hub.store().with_tx(|tx| device_rows(tx, "j")).unwrap();
        let by_id = |id: &str| rows.iter().find(|r| r.device_id == id).unwrap().clone();
        let interrupted = by_id("in-flight");
        assert_eq!(interrupted.status, DeviceJobStatus::Failed);
        assert_eq!(interrupted.error.unwrap().code, "JobInterrupted");
        assert_eq!(by_id("done").status, DeviceJobStatus::Completed);
        assert_eq!(by_id("waiting").status, DeviceJobStatus::Pending);
        let stats = statistics(&rows);
        assert_eq!(
            (
                stats.device_count,
                stats.failed_count,
                stats.succeeded_count,
                stats.pending_count
            ),
            (3, 1, 1, 1)
        );
    }
}
