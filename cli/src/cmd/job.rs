//! `dmctl job ...`: scheduled jobs (`/jobs/v2`), which let the hub fan a direct method or a
//! twin update out to every device matching a condition, even devices that are offline now.
//!
//! `wait` turns a job's final state into the exit-code table: completed with no failed device
//! is 0, completed with some failed devices is 10 (partial), failed or cancelled is 1, and
//! giving up is 6.

use std::hash::BuildHasher as _;
use std::time::Duration;

use iothub_client::model::{
    CloudToDeviceMethod, JobRequest, JobResponse, JobStatus, JobType, Twin, validate_job_id,
    validate_method,
};
use serde_json::Value;
use tokio::time::Instant;

use crate::args::{JobCommand, JobCreateArgs, JobKind, JobListArgs, JobStatusFilter, JobWaitArgs};
use crate::cmd::device::time_cell;
use crate::cmd::input::{one_stdin, read_json, read_object};
use crate::context::Context;
use crate::exit::{CliError, Exit};
use crate::printer::{Printer, rfc3339};

/// Runs `dmctl job ...`.
pub async fn run(ctx: &Context, command: &JobCommand) -> Result<Exit, CliError> {
    match command {
        JobCommand::Create(args) => create(ctx, args).await,
        JobCommand::Show(args) => {
            let job = get(ctx, &args.job).await?;
            print_job(&ctx.printer, &job)?;
            Ok(Exit::Ok)
        }
        JobCommand::List(args) => list(ctx, args).await,
        JobCommand::Cancel(args) => {
            let job = ctx
                .client()?
                .cancel_job(&args.job)
                .await
                .map_err(|e| CliError::from(e).context(format!("job '{}'", args.job)))?;
            print_job(&ctx.printer, &job)?;
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
fn device_counts(job: &JobResponse) -> String {
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

fn print_job(printer: &Printer, job: &JobResponse) -> Result<(), CliError> {
    printer.object(job, || {
        let mut rows = vec![
            ("job", job.job_id.clone()),
            ("type", job.type_.as_str().to_owned()),
            ("status", job.status.as_str().to_owned()),
            ("devices", device_counts(job)),
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
        printer.fields_table(rows)
    })?;
    Ok(())
}

/// A fresh job id: `dmctl-` plus time and randomness (letters, digits and `-` only).
fn new_job_id() -> String {
    let millis = jiff::Timestamp::now().as_millisecond();
    let random = std::collections::hash_map::RandomState::new().hash_one(millis) & 0xffff_ffff;
    format!("dmctl-{millis}-{random:08x}")
}

/// A job's query condition: the text after an optional leading `WHERE`.
fn job_condition(text: &str) -> Result<String, CliError> {
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
    let job = ctx
        .client()?
        .create_job(&request)
        .await
        .map_err(|e| CliError::from(e).context(format!("job '{job_id}'")))?;
    if !args.wait {
        print_job(&ctx.printer, &job)?;
        ctx.printer.info(format!(
            "created job '{job_id}'; follow it with `dmctl job wait {job_id}`"
        ));
        return Ok(Exit::Ok);
    }
    wait_for(ctx, &job_id, args.timeout).await
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

/// Polls a job until it is final (or `timeout` passes), then prints it and maps its outcome
/// to an exit class.
async fn wait_for(
    ctx: &Context,
    job_id: &str,
    timeout: Option<Duration>,
) -> Result<Exit, CliError> {
    let deadline = timeout.map(|t| Instant::now() + t);
    let spinner = ctx.printer.spinner(format!("waiting for job '{job_id}'"));
    let mut delay = Duration::from_millis(500);
    let job = loop {
        let job = get(ctx, job_id).await?;
        spinner.set_message(format!(
            "job '{job_id}' {}: {}",
            job.status.as_str(),
            device_counts(&job)
        ));
        if job.status.is_terminal() {
            break job;
        }
        if let Some(deadline) = deadline {
            let now = Instant::now();
            if now >= deadline {
                spinner.finish_and_clear();
                print_job(&ctx.printer, &job)?;
                return Err(CliError::new(
                    Exit::TimedOut,
                    format!(
                        "job '{job_id}' is still {} after the timeout",
                        job.status.as_str()
                    ),
                )
                .with_hint(format!("keep following it with `dmctl job wait {job_id}`")));
            }
            tokio::time::sleep(delay.min(deadline - now)).await;
        } else {
            tokio::time::sleep(delay).await;
        }
        delay = (delay * 2).min(Duration::from_secs(5));
    };
    spinner.finish_and_clear();
    print_job(&ctx.printer, &job)?;
    let failed = job.device_job_statistics.map_or(0, |s| s.failed_count);
    match job.status {
        JobStatus::Completed if failed == 0 => {
            ctx.printer.info(format!("job '{job_id}' completed"));
            Ok(Exit::Ok)
        }
        JobStatus::Completed => {
            ctx.printer.info(format!(
                "job '{job_id}' completed; {failed} devices failed (see `dmctl query \"SELECT * FROM devices.jobs WHERE devices.jobs.jobId = '{job_id}'\"`)"
            ));
            Ok(Exit::PartialFailure)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_job_ids_are_valid() {
        let id = new_job_id();
        assert!(validate_job_id(&id).is_ok(), "{id}");
        assert!(id.starts_with("dmctl-"));
    }

    #[test]
    fn conditions_drop_a_leading_where() {
        assert_eq!(job_condition("WHERE tags.a = 1").unwrap(), "tags.a = 1");
        assert_eq!(job_condition("*").unwrap(), "*");
        assert!(job_condition("  ").is_err());
    }
}
