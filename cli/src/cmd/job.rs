//! `dmctl job ...`: scheduled jobs (`/jobs/v2`), which let the hub fan a direct method or a
//! twin update out to every device matching a condition, even devices that are offline now.
//!
//! A job's own statistics count a device whose method answered 400 as a success (the hub only
//! knows the call was delivered), so `show`, `wait` and `create --wait` read every device's row
//! from `devices.jobs` and judge it the way a fleet run judges a device: a method status ≥ 400
//! or a failed row is a failure. The exit code follows the fleet rule: 0 when every device
//! succeeded, 10 when some failed, and the shared class when all failed for one reason (7 when
//! every device answered with an error); a failed or cancelled job is 1, giving up is 6.

use std::hash::BuildHasher as _;
use std::time::Duration;

use iothub_client::model::{
    CloudToDeviceMethod, DeviceJob, DeviceJobStatus, ErrorCode, JobRequest, JobResponse, JobStatus,
    JobType, Twin, validate_job_id, validate_method,
};
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::args::{JobCommand, JobCreateArgs, JobKind, JobListArgs, JobStatusFilter, JobWaitArgs};
use crate::cmd::device::time_cell;
use crate::cmd::input::{one_stdin, read_json, read_object};
use crate::context::Context;
use crate::dm::wait::{Look, PollPolicy, PollStop, poll_until};
use crate::exit::{CliError, Exit};
use crate::fleet::{DeviceOutcome, FleetReport, confirm_fleet};
use crate::printer::{OutputFormat, Printer, cell_text, rfc3339};

/// Runs `dmctl job ...`.
pub async fn run(ctx: &Context, command: &JobCommand) -> Result<Exit, CliError> {
    match command {
        JobCommand::Create(args) => create(ctx, args).await,
        JobCommand::Show(args) => {
            let job = get(ctx, &args.job).await?;
            let devices = JobDevices::read(ctx, &job).await?;
            print_job(&ctx.printer, &job, Some(&devices))?;
            if job.status == JobStatus::Completed {
                Ok(devices.exit())
            } else {
                Ok(Exit::Ok)
            }
        }
        JobCommand::List(args) => list(ctx, args).await,
        JobCommand::Cancel(args) => {
            let job = ctx
                .client()?
                .cancel_job(&args.job)
                .await
                .map_err(|e| CliError::from(e).context(format!("job '{}'", args.job)))?;
            print_job(&ctx.printer, &job, None)?;
            ctx.printer
                .info(format!("job '{}' is {}", args.job, job.status.as_str()));
            Ok(Exit::Ok)
        }
        JobCommand::Wait(args) => wait(ctx, args).await,
    }
}

async fn get(ctx: &Context, job_id: &str) -> Result<JobResponse, CliError> {
    ctx.client()?
        .get_job(job_id)
        .await
        .map_err(|e| CliError::from(e).context(format!("job '{job_id}'")))
}

/// `ok/failed/running/pending of total`, or `-` before the hub has counted.
pub(crate) fn device_counts(job: &JobResponse) -> String {
    job.device_job_statistics.map_or_else(
        || "-".to_owned(),
        |s| {
            format!(
                "{} ok, {} failed, {} running, {} pending of {}",
                s.succeeded_count, s.failed_count, s.running_count, s.pending_count, s.device_count
            )
        },
    )
}

fn time_text(text: Option<&str>) -> String {
    time_cell(&text.map_or(Value::Null, rfc3339))
}

pub(crate) fn print_job(
    printer: &Printer,
    job: &JobResponse,
    devices: Option<&JobDevices>,
) -> Result<(), CliError> {
    if printer.format() != OutputFormat::Table {
        // The job as the hub returns it, plus what dmctl learnt from `devices.jobs`.
        let mut value = serde_json::to_value(job).map_err(std::io::Error::other)?;
        if let (Some(devices), Value::Object(map)) = (devices, &mut value) {
            map.insert("deviceOutcomes".into(), devices.counts_json());
            map.insert("failedDevices".into(), devices.failed_json());
        }
        if printer.format() == OutputFormat::Jsonl {
            printer.json_line(&value)?;
        } else {
            printer.json(&value)?;
        }
        return Ok(());
    }
    let mut rows = vec![
        ("job", job.job_id.clone()),
        ("type", job.type_.as_str().to_owned()),
        ("status", job.status.as_str().to_owned()),
        (
            "devices",
            devices.map_or_else(|| device_counts(job), JobDevices::counts_text),
        ),
        (
            "condition",
            job.query_condition
                .clone()
                .unwrap_or_else(|| "-".to_owned()),
        ),
        ("created", time_text(job.created_time.as_deref())),
        ("start", time_text(job.start_time.as_deref())),
        ("end", time_text(job.end_time.as_deref())),
    ];
    if let Some(method) = &job.cloud_to_device_method {
        rows.insert(2, ("method", method.method_name.clone()));
    }
    if let Some(reason) = job.failure_reason.as_ref().filter(|r| !r.is_empty()) {
        rows.push(("failure", reason.clone()));
    }
    if let Some(message) = job.status_message.as_ref().filter(|m| !m.is_empty()) {
        rows.push(("message", message.clone()));
    }
    printer.table(&printer.fields_table(rows))?;
    if let Some(devices) = devices.filter(|d| d.failed() > 0) {
        let mut table = printer.new_table(["FAILED DEVICE", "STATUS", "DETAIL"]);
        for failure in devices.failures() {
            table.add_row([
                failure.device_id.clone(),
                failure.status.clone(),
                failure.detail.clone(),
            ]);
        }
        printer.line("")?;
        printer.table(&table)?;
    }
    Ok(())
}

/// How one device fared in a job, judged as a fleet run judges a device.
#[derive(Debug)]
pub(crate) enum DeviceFate {
    /// The method answered < 400, or the twin was updated.
    Succeeded,
    /// The device answered with a status ≥ 400.
    Answered(i32, Value),
    /// The hub could not complete the device's part (offline, timed out, cancelled).
    Failed(String, String),
    /// Not finished yet.
    Unfinished,
}

/// A failed device as it is shown: id, status (method status or hub error code), detail.
#[derive(Debug)]
struct Failure {
    device_id: String,
    status: String,
    detail: String,
    json: Value,
    error: CliError,
}

/// The per-device rows of one job (`SELECT * FROM devices.jobs WHERE jobId = ...`).
#[derive(Debug, Default)]
pub(crate) struct JobDevices {
    rows: Vec<(String, DeviceFate)>,
}

impl JobDevices {
    async fn read(ctx: &Context, job: &JobResponse) -> Result<Self, CliError> {
        // Ids the hub accepted are letters, digits and `-`; anything else cannot have rows.
        if validate_job_id(&job.job_id).is_err() {
            return Ok(Self::default());
        }
        let query = device_rows_query(&job.job_id);
        let rows: Vec<DeviceJob> = ctx
            .client()?
            .query_as(query)
            .page_size(iothub_client::MAX_PAGE_SIZE)
            .collect_all()
            .await
            .map_err(|e| {
                CliError::from(e).context(format!("reading the devices of job '{}'", job.job_id))
            })?;
        Ok(Self::from_rows(rows))
    }

    fn from_rows(rows: Vec<DeviceJob>) -> Self {
        let mut rows: Vec<(String, DeviceFate)> = rows
            .into_iter()
            .map(|row| {
                let fate = fate(&row);
                (row.device_id, fate)
            })
            .collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        Self { rows }
    }

    fn count(&self, pick: impl Fn(&DeviceFate) -> bool) -> usize {
        self.rows.iter().filter(|(_, fate)| pick(fate)).count()
    }

    fn succeeded(&self) -> usize {
        self.count(|f| matches!(f, DeviceFate::Succeeded))
    }

    fn answered_error(&self) -> usize {
        self.count(|f| matches!(f, DeviceFate::Answered(..)))
    }

    fn hub_failed(&self) -> usize {
        self.count(|f| matches!(f, DeviceFate::Failed(..)))
    }

    fn unfinished(&self) -> usize {
        self.count(|f| matches!(f, DeviceFate::Unfinished))
    }

    fn failed(&self) -> usize {
        self.answered_error() + self.hub_failed()
    }

    fn counts_text(&self) -> String {
        format!(
            "{} total: {} succeeded, {} answered with an error, {} failed, {} unfinished",
            self.rows.len(),
            self.succeeded(),
            self.answered_error(),
            self.hub_failed(),
            self.unfinished()
        )
    }

    fn counts_json(&self) -> Value {
        json!({
            "total": self.rows.len(),
            "succeeded": self.succeeded(),
            "answeredWithError": self.answered_error(),
            "failed": self.hub_failed(),
            "unfinished": self.unfinished(),
        })
    }

    fn failures(&self) -> Vec<Failure> {
        self.rows
            .iter()
            .filter_map(|(device_id, fate)| match fate {
                DeviceFate::Answered(status, payload) => Some(Failure {
                    device_id: device_id.clone(),
                    status: status.to_string(),
                    detail: cell_text(payload, 80),
                    json: json!({"deviceId": device_id, "status": status, "payload": payload}),
                    error: CliError::new(
                        Exit::for_device_status(*status),
                        format!("the device answered {status}"),
                    ),
                }),
                DeviceFate::Failed(code, description) => Some(Failure {
                    device_id: device_id.clone(),
                    status: code.clone(),
                    detail: description.clone(),
                    json: json!({
                        "deviceId": device_id,
                        "error": {"code": code, "description": description},
                    }),
                    error: CliError::new(
                        ErrorCode::from_name(code).map_or(Exit::Failure, Exit::for_hub_code),
                        description.clone(),
                    ),
                }),
                DeviceFate::Succeeded | DeviceFate::Unfinished => None,
            })
            .collect()
    }

    fn failed_json(&self) -> Value {
        Value::Array(self.failures().into_iter().map(|f| f.json).collect())
    }

    /// The fleet exit rule over the finished devices.
    fn exit(&self) -> Exit {
        let mut outcomes: Vec<DeviceOutcome<()>> = self
            .failures()
            .into_iter()
            .map(|f| DeviceOutcome {
                device_id: f.device_id,
                result: Err(f.error),
            })
            .collect();
        outcomes.extend((0..self.succeeded()).map(|_| DeviceOutcome {
            device_id: String::new(),
            result: Ok(()),
        }));
        FleetReport { outcomes }.exit()
    }
}

/// Judges one `devices.jobs` row.
pub(crate) fn fate(row: &DeviceJob) -> DeviceFate {
    match row.status {
        DeviceJobStatus::Completed => match row
            .outcome
            .as_ref()
            .and_then(|o| o.device_method_response.as_ref())
        {
            Some(response) if response.status >= 400 => {
                DeviceFate::Answered(response.status, response.payload.clone())
            }
            _ => DeviceFate::Succeeded,
        },
        DeviceJobStatus::Failed => {
            let (code, description) = row.error.as_ref().map_or_else(
                || ("failed".to_owned(), String::new()),
                |e| (e.code.clone(), e.description.clone()),
            );
            DeviceFate::Failed(code, description)
        }
        DeviceJobStatus::Canceled => {
            DeviceFate::Failed("cancelled".to_owned(), "cancelled with the job".to_owned())
        }
        _ => DeviceFate::Unfinished,
    }
}

/// A fresh job id: `dmctl-` plus time and randomness (letters, digits and `-` only).
pub(crate) fn new_job_id() -> String {
    let millis = jiff::Timestamp::now().as_millisecond();
    let random = std::collections::hash_map::RandomState::new().hash_one(millis) & 0xffff_ffff;
    format!("dmctl-{millis}-{random:08x}")
}

/// A job's query condition: the text after an optional leading `WHERE`.
pub(crate) fn job_condition(text: &str) -> Result<String, CliError> {
    let text = text.trim();
    let condition = text
        .get(..6)
        .filter(|head| head.eq_ignore_ascii_case("where "))
        .map_or(text, |_| text[6..].trim_start());
    if condition.is_empty() {
        return Err(
            CliError::usage("--query is empty").with_hint("use --query '*' for every device")
        );
    }
    Ok(condition.to_owned())
}

async fn create(ctx: &Context, args: &JobCreateArgs) -> Result<Exit, CliError> {
    one_stdin(&[
        ("--payload", args.payload.as_deref()),
        ("--desired", args.desired.as_deref()),
        ("--tags", args.tags.as_deref()),
    ])?;
    let job_id = args.id.clone().unwrap_or_else(new_job_id);
    validate_job_id(&job_id).map_err(|e| CliError::usage(format!("--id '{job_id}': {e}")))?;
    let mut request = JobRequest {
        job_id: job_id.clone(),
        type_: JobType::ScheduleDeviceMethod,
        cloud_to_device_method: None,
        update_twin: None,
        query_condition: Some(job_condition(&args.condition)?),
        start_time: args.start.map(|t| t.to_string()),
        max_execution_time_in_seconds: args.max_execution_time.map(|d| d.as_secs().max(1)),
    };
    if let Some(method) = &args.method {
        let payload = match &args.payload {
            Some(text) => read_json("--payload", text)?,
            None => Value::Null,
        };
        let mut call = CloudToDeviceMethod::new(method.clone(), payload);
        call.response_timeout_in_seconds = args.response_timeout;
        call.connect_timeout_in_seconds = args.connect_timeout;
        validate_method(&call).map_err(|e| CliError::usage(e.to_string()))?;
        request.cloud_to_device_method = Some(call);
    } else {
        let mut patch = Twin {
            etag: Some("*".to_owned()),
            ..Twin::default()
        };
        if let Some(desired) = &args.desired {
            patch.properties.desired = Value::Object(read_object("--desired", desired)?);
        }
        if let Some(tags) = &args.tags {
            patch.tags = Some(read_object("--tags", tags)?);
        }
        request.type_ = JobType::ScheduleUpdateTwin;
        request.update_twin = Some(patch);
    }
    let condition = request.query_condition.clone().unwrap_or_default();
    let client = ctx.client()?;
    let count = matching_devices(
        |query| async move {
            client
                .query(query)
                .collect_all()
                .await
                .map_err(CliError::from)
        },
        &condition,
    )
    .await?;
    ctx.printer.info(format!(
        "the query matches {count} device{} now",
        if count == 1 { "" } else { "s" }
    ));
    let action = match &args.method {
        Some(method) => format!("schedule method '{method}'"),
        None => "schedule a twin update".to_owned(),
    };
    confirm_fleet(&ctx.printer, ctx.yes, count, &action)?;
    let job = ctx
        .client()?
        .create_job(&request)
        .await
        .map_err(|e| CliError::from(e).context(format!("job '{job_id}'")))?;
    if !args.wait {
        print_job(&ctx.printer, &job, None)?;
        ctx.printer.info(format!(
            "created job '{job_id}'; follow it with `dmctl job wait {job_id}`"
        ));
        return Ok(Exit::Ok);
    }
    wait_for(ctx, &job_id, args.timeout).await
}

/// How many devices a job condition matches now (`SELECT COUNT() ...`, run by `run_query`),
/// so a job that would touch several devices can be confirmed first.
pub(crate) async fn matching_devices<Q, F>(run_query: Q, condition: &str) -> Result<usize, CliError>
where
    Q: FnOnce(String) -> F,
    F: std::future::Future<Output = Result<Vec<Value>, CliError>>,
{
    let query = if condition == "*" {
        "SELECT COUNT() AS numberOfDevices FROM devices".to_owned()
    } else {
        format!("SELECT COUNT() AS numberOfDevices FROM devices WHERE {condition}")
    };
    let rows = run_query(query)
        .await
        .map_err(|e| e.context(format!("--query ({condition})")))?;
    Ok(rows
        .first()
        .and_then(|row| row.get("numberOfDevices"))
        .and_then(Value::as_u64)
        .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX)))
}

async fn list(ctx: &Context, args: &JobListArgs) -> Result<Exit, CliError> {
    let kind = args.kind.map(|k| match k {
        JobKind::Method => JobType::ScheduleDeviceMethod,
        JobKind::Twin => JobType::ScheduleUpdateTwin,
    });
    let status = args.status.map(|s| match s {
        JobStatusFilter::Queued => JobStatus::Queued,
        JobStatusFilter::Scheduled => JobStatus::Scheduled,
        JobStatusFilter::Running => JobStatus::Running,
        JobStatusFilter::Completed => JobStatus::Completed,
        JobStatusFilter::Failed => JobStatus::Failed,
        JobStatusFilter::Cancelled => JobStatus::Cancelled,
    });
    let jobs = ctx
        .client()?
        .query_jobs(kind, status)
        .collect_all()
        .await
        .map_err(|e| CliError::from(e).context("listing jobs"))?;
    ctx.printer.list(&jobs, |jobs| {
        let mut table = ctx
            .printer
            .new_table(["JOB", "TYPE", "STATUS", "DEVICES", "CREATED"]);
        for job in jobs {
            table.add_row([
                job.job_id.clone(),
                job.type_.as_str().to_owned(),
                job.status.as_str().to_owned(),
                device_counts(job),
                time_text(job.created_time.as_deref()),
            ]);
        }
        table
    })?;
    if jobs.is_empty() {
        ctx.printer.info("no jobs");
    }
    Ok(Exit::Ok)
}

async fn wait(ctx: &Context, args: &JobWaitArgs) -> Result<Exit, CliError> {
    wait_for(ctx, &args.job, args.timeout).await
}

/// How often `job wait` reads the job: jobs run for seconds to hours, so the reads thin out to
/// one every 5 s.
const JOB_POLL: PollPolicy = PollPolicy {
    first: Duration::from_millis(500),
    max: Duration::from_secs(5),
};

/// Polls a job until it is final (or `timeout` passes), then prints it and maps its outcome
/// to an exit class.
async fn wait_for(
    ctx: &Context,
    job_id: &str,
    timeout: Option<Duration>,
) -> Result<Exit, CliError> {
    let started = Instant::now();
    let spinner = ctx.printer.spinner(format!("waiting for job '{job_id}'"));
    let show = |job: &JobResponse| {
        spinner.set_message(format!(
            "job '{job_id}' {}: {}",
            job.status.as_str(),
            device_counts(job)
        ));
    };
    // A job that has already finished answers at once, before the first pause.
    let first = get(ctx, job_id).await?;
    show(&first);
    let look = || async move {
        let job = get(ctx, job_id).await?;
        Ok::<_, CliError>(if job.status.is_terminal() {
            Look::Done(job)
        } else {
            Look::NotYet(job)
        })
    };
    let job = if first.status.is_terminal() {
        first
    } else {
        let left = timeout.map(|t| t.saturating_sub(started.elapsed()));
        match poll_until(left, JOB_POLL, look, show).await {
            Ok(job) => job,
            Err(PollStop::Failed(e)) => return Err(e),
            Err(PollStop::TimedOut(last)) => {
                spinner.finish_and_clear();
                let job = last.unwrap_or(first);
                print_job(&ctx.printer, &job, None)?;
                return Err(CliError::new(
                    Exit::TimedOut,
                    format!(
                        "job '{job_id}' is still {} after the timeout",
                        job.status.as_str()
                    ),
                )
                .with_hint(format!("keep following it with `dmctl job wait {job_id}`")));
            }
        }
    };
    spinner.finish_and_clear();
    let devices = JobDevices::read(ctx, &job).await?;
    print_job(&ctx.printer, &job, Some(&devices))?;
    match job.status {
        JobStatus::Completed if devices.failed() == 0 => {
            ctx.printer.info(format!(
                "job '{job_id}' completed: {} devices succeeded",
                devices.succeeded()
            ));
            Ok(Exit::Ok)
        }
        JobStatus::Completed => {
            ctx.printer.info(format!(
                "job '{job_id}' completed; {} of {} devices failed",
                devices.failed(),
                devices.rows.len()
            ));
            Ok(devices.exit())
        }
        JobStatus::Cancelled => Err(CliError::failure(format!("job '{job_id}' was cancelled"))),
        _ => Err(CliError::failure(format!(
            "job '{job_id}' failed{}",
            job.failure_reason
                .as_deref()
                .filter(|r| !r.is_empty())
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ))),
    }
}

/// `job 'ID' running: 3 ok, ...`, for a spinner.
pub(crate) fn job_progress(job: &JobResponse) -> String {
    format!(
        "job '{}' {}: {}",
        job.job_id,
        job.status.as_str(),
        device_counts(job)
    )
}

/// Giving up on a job that is not final yet (exit 6): it goes on in the hub.
pub(crate) fn job_timed_out(job: &JobResponse) -> CliError {
    CliError::new(
        Exit::TimedOut,
        format!(
            "job '{}' is still {} after the timeout",
            job.job_id,
            job.status.as_str()
        ),
    )
    .with_hint(format!(
        "keep following it with `dmctl job wait {}`",
        job.job_id
    ))
}

/// Where following a job ended.
#[derive(Debug)]
pub(crate) enum Followed {
    /// The job is completed, failed or cancelled.
    Final(JobResponse),
    /// The timeout passed first; the job as last read.
    TimedOut(JobResponse),
}

/// Follows a job with dmctl's one poll loop ([`poll_until`], at `dmctl job wait`'s pace): reads
/// it with `get` at once and then until it is final or `timeout` passes, telling `progress`
/// each reading. The typed commands' `--via-job` follows their job with it.
pub(crate) async fn follow_job<G, F>(
    timeout: Option<Duration>,
    get: G,
    mut progress: impl FnMut(&JobResponse),
) -> Result<Followed, CliError>
where
    G: Fn() -> F,
    F: std::future::Future<Output = Result<JobResponse, CliError>>,
{
    let started = Instant::now();
    let first = get().await?;
    progress(&first);
    if first.status.is_terminal() {
        return Ok(Followed::Final(first));
    }
    let look = || {
        let job = get();
        async move {
            let job = job.await?;
            Ok::<_, CliError>(if job.status.is_terminal() {
                Look::Done(job)
            } else {
                Look::NotYet(job)
            })
        }
    };
    let left = timeout.map(|t| t.saturating_sub(started.elapsed()));
    match poll_until(left, JOB_POLL, look, progress).await {
        Ok(job) => Ok(Followed::Final(job)),
        Err(PollStop::Failed(e)) => Err(e),
        Err(PollStop::TimedOut(last)) => Ok(Followed::TimedOut(last.unwrap_or(first))),
    }
}

/// The query that lists a job's per-device rows.
pub(crate) fn device_rows_query(job_id: &str) -> String {
    format!("SELECT * FROM devices.jobs WHERE devices.jobs.jobId = '{job_id}'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_job_ids_are_valid() {
        let id = new_job_id();
        assert!(validate_job_id(&id).is_ok(), "{id}");
        assert!(id.starts_with("dmctl-"));
    }

    fn row(device: &str, status: &str, extra: Value) -> DeviceJob {
        let mut value = json!({"deviceId": device, "jobId": "j", "status": status});
        if let (Value::Object(map), Value::Object(more)) = (&mut value, extra) {
            map.extend(more);
        }
        serde_json::from_value(value).unwrap()
    }

    fn answered(device: &str, status: i32) -> DeviceJob {
        row(
            device,
            "completed",
            json!({"outcome": {"deviceMethodResponse": {"status": status, "payload": {"why": "no"}}}}),
        )
    }

    #[test]
    fn a_device_answering_400_is_a_failure_not_a_success() {
        let all_refused = JobDevices::from_rows(vec![answered("a", 400), answered("b", 500)]);
        assert_eq!((all_refused.succeeded(), all_refused.failed()), (0, 2));
        assert_eq!(all_refused.exit(), Exit::DeviceError);
        let failures = all_refused.failures();
        assert_eq!(failures[0].status, "400");
        assert_eq!(failures[0].detail, r#"{"why":"no"}"#);

        let some = JobDevices::from_rows(vec![answered("a", 200), answered("b", 400)]);
        assert_eq!(some.exit(), Exit::PartialFailure);
        assert_eq!(
            some.counts_text(),
            "2 total: 1 succeeded, 1 answered with an error, 0 failed, 0 unfinished"
        );

        let fine =
            JobDevices::from_rows(vec![answered("a", 200), row("b", "completed", json!({}))]);
        assert_eq!(fine.exit(), Exit::Ok);
    }

    #[test]
    fn failed_rows_keep_the_hub_error() {
        let offline = JobDevices::from_rows(vec![row(
            "a",
            "failed",
            json!({"error": {"code": "DeviceNotOnline", "description": "not connected"}}),
        )]);
        assert_eq!(offline.exit(), Exit::NotConnected);
        assert_eq!(
            offline.failed_json(),
            json!([{"deviceId": "a", "error": {"code": "DeviceNotOnline", "description": "not connected"}}])
        );
        let pending = JobDevices::from_rows(vec![row("a", "pending", json!({}))]);
        assert_eq!((pending.unfinished(), pending.exit()), (1, Exit::Ok));
    }

    #[test]
    fn conditions_drop_a_leading_where() {
        assert_eq!(job_condition("WHERE tags.a = 1").unwrap(), "tags.a = 1");
        assert_eq!(job_condition("*").unwrap(), "*");
        assert!(job_condition("  ").is_err());
    }
}
