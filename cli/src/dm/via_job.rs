//! `--via-job`: a typed command sent as one IoT Hub job, for fleets too large for one laptop.
//!
//! The command's validated request becomes the job's payload (`scheduleDeviceMethod`, or
//! `scheduleUpdateTwin` for a desired-state change), so the hub does the fan-out. dmctl then
//! follows the job with the same poll loop as `dmctl job wait`, reads every device's row from
//! `devices.jobs` and judges each device's answer with the same code as a direct call
//! (`exec::judge_answer`): the outcome table, the JSON shapes and the exit codes are those of
//! a client-side fan-out. A method that answers 202 is only started by the job; with `--wait`
//! each operation is then followed to its end as in a fan-out.
//!
//! The hub, not dmctl, resolves a `--query` target, so the devices' manifests are not checked
//! first: a device whose agent lacks the method answers it with an error, which counts the
//! same (exit 7).

use std::collections::HashMap;

use dm_contract::Method;
use iothub_model::{DeviceJob, ErrorCode, JobRequest, JobResponse, JobType, Twin};
use serde_json::{Value, json};
use tokio::time::Instant;

use super::exec::{self, DmResult, Plan, Sent, ViaJob};
use super::hub::Hub;
use super::plan::{Action, DesiredChange, redact};
use super::wait::Awaited;
use crate::cmd::job::{self as jobs, DeviceFate, Followed};
use crate::context::Context;
use crate::exit::{CliError, Exit};
use crate::fleet::{self, confirm_fleet, run_fleet};
use crate::printer::{OutputFormat, Printer};

/// How long the hub may run the job (the SDKs' default).
const MAX_EXECUTION_SECS: u64 = 3600;

/// Runs `plan` as one job: builds and confirms it, creates it, follows it and reports every
/// device like a fleet run.
pub async fn execute<H: Hub>(
    ctx: &Context,
    hub: &H,
    plan: &Plan,
    via: &ViaJob,
) -> Result<Exit, CliError> {
    let started = Instant::now();
    let printer = &ctx.printer;
    let job_id = jobs::new_job_id();
    let mut request = job_request(plan, via, &job_id)?;
    let target = &plan.target;
    let named =
        target.device.is_some() || !target.devices.is_empty() || target.devices_from.is_some();
    let (condition, named) = if let (Some(query), false) = (&target.query, named) {
        (jobs::job_condition(query)?, None)
    } else {
        let ids = target
            .resolve(|query| async move { hub.query_device_ids(&query).await })
            .await?;
        (fleet::ids_condition(&ids), Some(ids))
    };
    let count = match &named {
        Some(ids) => ids.len(),
        None => {
            jobs::matching_devices(|query| async move { hub.query(&query).await }, &condition)
                .await?
        }
    };
    request.query_condition = Some(condition);

    if plan.dry_run {
        let document = dry_job(plan, &request)?;
        match printer.format() {
            OutputFormat::Table => printer.line(&format!(
                "{} {} {}",
                document["method"].as_str().unwrap_or_default(),
                document["path"].as_str().unwrap_or_default(),
                document["body"]
            ))?,
            OutputFormat::Json => printer.json(&document)?,
            OutputFormat::Jsonl => printer.json_line(&document)?,
        }
        printer.info(format!(
            "dry run: the job would run on the {count} device{} the target matches now; nothing was sent",
            plural(count)
        ));
        return Ok(Exit::Ok);
    }
    if count == 0 {
        printer.warn("no devices matched the target; no job was created");
        return Ok(Exit::Ok);
    }
    if plan.action.is_disruptive() {
        let what = match &plan.action {
            Action::Call(call) => call.method().name(),
            _ => "change",
        };
        confirm_fleet(printer, ctx.yes, count, &format!("send {what} as a job"))?;
    }

    let job = hub.create_job(&request).await?;
    printer.info(format!(
        "created job '{job_id}' for {count} device{} (`dmctl job show {job_id}` shows it from anywhere)",
        plural(count)
    ));
    if via.start.is_some() && plan.wait.is_none() {
        jobs::print_job(printer, &job, None)?;
        printer.info(format!(
            "the hub starts it at {}; follow it with `dmctl job wait {job_id}`",
            request.start_time.as_deref().unwrap_or("the start time")
        ));
        return Ok(Exit::Ok);
    }

    let spinner = printer.spinner(jobs::job_progress(&job));
    let followed = tokio::select! {
        biased;
        () = crate::interrupt::requested() => {
            spinner.finish_and_clear();
            return Err(CliError::new(
                Exit::Interrupted,
                format!("interrupted; job '{job_id}' goes on in the hub"),
            )
            .with_hint(format!(
                "follow it with `dmctl job wait {job_id}`, or stop it with `dmctl job cancel {job_id}`"
            )));
        }
        followed = jobs::follow_job(
            plan.wait.map(|t| t.saturating_sub(started.elapsed())),
            || hub.job(&job_id),
            |job| spinner.set_message(jobs::job_progress(job)),
        ) => followed,
    };
    spinner.finish_and_clear();
    let job = match followed? {
        Followed::Final(job) => job,
        Followed::TimedOut(job) => return Err(jobs::job_timed_out(&job)),
    };

    let rows = device_rows(hub, &job_id).await?;
    let ids = named.unwrap_or_else(|| {
        let mut ids: Vec<String> = rows.keys().cloned().collect();
        ids.sort();
        ids
    });
    let deadline = plan.wait.map(|t| started + t);
    let (rows, job) = (&rows, &job);
    let report = run_fleet(
        printer,
        ids,
        usize::from(target.concurrency),
        |device_id| async move {
            device_result(
                printer,
                hub,
                plan,
                job,
                rows.get(&device_id),
                &device_id,
                deadline,
            )
            .await
        },
    )
    .await?;
    let exit = report.finish(printer, DmResult::summary)?;
    printer.info(format!("job '{job_id}' {}", job.status.as_str()));
    Ok(exit)
}

/// The call that creates `request`'s job, as `--dry-run` shows it (`method`, `path`, `body`),
/// the payload's secrets redacted. Rollouts show their waves' jobs with it.
pub(crate) fn dry_job(plan: &Plan, request: &JobRequest) -> Result<Value, CliError> {
    let mut body = serde_json::to_value(request)
        .map_err(|e| CliError::failure(format!("internal: job request: {e}")))?;
    if let (Action::Call(call), Some(payload)) = (
        &plan.action,
        body.pointer_mut("/cloudToDeviceMethod/payload"),
    ) {
        redact(&call.request, payload);
    }
    let path = format!("/jobs/v2/{}", request.job_id);
    Ok(json!({"method": "PUT", "path": path, "body": body}))
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// The job that carries `plan`'s action, without its condition. Refuses what one payload for
/// every device cannot express. A rollout builds each wave's job with it.
pub(crate) fn job_request(plan: &Plan, via: &ViaJob, job_id: &str) -> Result<JobRequest, CliError> {
    let no_job = |what: &str| {
        CliError::usage(format!(
            "{what}; --via-job sends one payload to every device"
        ))
        .with_hint("run it without --via-job")
    };
    if plan.out.is_some() {
        return Err(no_job(
            "--out writes each device's logs from its own answer",
        ));
    }
    let mut request = JobRequest {
        job_id: job_id.to_owned(),
        type_: JobType::ScheduleDeviceMethod,
        cloud_to_device_method: None,
        update_twin: None,
        query_condition: None,
        start_time: via.start.map(|t| t.to_string()),
        max_execution_time_in_seconds: Some(MAX_EXECUTION_SECS),
    };
    match &plan.action {
        Action::Call(call) => {
            if call.method() == Method::FactoryReset {
                return Err(no_job(
                    "factory-reset's confirmation names each device by its own id",
                ));
            }
            let body = call
                .body_for("")
                .map_err(|e| CliError::usage(e.to_string()))?;
            request.cloud_to_device_method = Some(body);
        }
        Action::Desired(DesiredChange::Approve { replace: false, .. }) => {
            return Err(CliError::usage(
                "`updates approve` adds to each device's own list; --via-job sends one payload to every device",
            )
            .with_hint("pass --replace to set the same list on every device, or run without --via-job"));
        }
        Action::Desired(change) => {
            let mut patch: Twin = serde_json::from_value(change.patch_for(&Value::Null))
                .map_err(|e| CliError::failure(format!("internal: twin patch: {e}")))?;
            // The hub requires an etag on a twin job; `*` applies it whatever the twin's.
            patch.etag = Some("*".to_owned());
            request.type_ = JobType::ScheduleUpdateTwin;
            request.update_twin = Some(patch);
        }
        Action::Read(_) => return Err(no_job("reading reported state sends nothing")),
    }
    Ok(request)
}

/// The job's per-device rows, by device id.
pub(crate) async fn device_rows<H: Hub>(
    hub: &H,
    job_id: &str,
) -> Result<HashMap<String, DeviceJob>, CliError> {
    let rows = hub
        .query(&jobs::device_rows_query(job_id))
        .await
        .map_err(|e| e.context(format!("reading the devices of job '{job_id}'")))?;
    rows.into_iter()
        .map(|row| {
            serde_json::from_value::<DeviceJob>(row)
                .map(|row| (row.device_id.clone(), row))
                .map_err(|e| {
                    CliError::failure(format!(
                        "job '{job_id}': a devices.jobs row the hub returned is not readable: {e}"
                    ))
                })
        })
        .collect()
}

/// One device's result from its job row, judged as a direct call is, then followed with
/// `--wait` as a fan-out follows it. A `--via-job` rollout judges its waves' devices with it.
pub(crate) async fn device_result<H: Hub>(
    printer: &Printer,
    hub: &H,
    plan: &Plan,
    job: &JobResponse,
    row: Option<&DeviceJob>,
    device_id: &str,
    deadline: Option<Instant>,
) -> Result<DmResult, CliError> {
    let job_id = &job.job_id;
    let Some(row) = row else {
        return Err(CliError::new(
            Exit::NotFound,
            format!("device '{device_id}': job '{job_id}' did not run on it (no such device?)"),
        )
        .with_hint("`dmctl device show ID` says whether the device exists"));
    };
    let mut out = DmResult::new(&plan.action);
    out.job_id = Some(job_id.clone());
    match jobs::fate(row) {
        DeviceFate::Failed(code, description) => {
            let exit = ErrorCode::from_name(&code).map_or(Exit::Failure, Exit::for_hub_code);
            let detail = if description.is_empty() {
                code
            } else {
                format!("{description} ({code})")
            };
            return Err(CliError::new(
                exit,
                format!("device '{device_id}': job '{job_id}': {detail}"),
            ));
        }
        DeviceFate::Unfinished => {
            return Err(CliError::new(
                Exit::Failure,
                format!(
                    "device '{device_id}': job '{job_id}' ended {} before its part on this device did ({})",
                    job.status.as_str(),
                    format!("{:?}", row.status).to_lowercase()
                ),
            ));
        }
        DeviceFate::Succeeded | DeviceFate::Answered(..) => {}
    }
    let awaited = match &plan.action {
        Action::Call(_) => {
            let response = row
                .outcome
                .as_ref()
                .and_then(|o| o.device_method_response.as_ref())
                .ok_or_else(|| {
                    CliError::new(
                        Exit::DeviceError,
                        format!(
                            "device '{device_id}': job '{job_id}' completed on it without the device's answer"
                        ),
                    )
                })?;
            exec::judge_answer(
                plan,
                device_id,
                response.status,
                &response.payload,
                None,
                &mut out,
            )?
        }
        Action::Desired(change) if deadline.is_some() => {
            // The job does not return the twin: the desired version to follow is read now (it
            // includes the job's change, and maybe a later one, which is the state to reach).
            let twin = hub
                .twin(device_id)
                .await
                .map_err(|e| e.context(format!("device '{device_id}'")))?;
            let version = dm_contract::desired_version(&twin).ok_or_else(|| {
                CliError::failure(format!(
                    "device '{device_id}': its twin has no desired $version"
                ))
            })?;
            out.desired_version = Some(version);
            Some(Awaited::Apply {
                section: change.section(),
                desired_version: version,
            })
        }
        Action::Desired(_) | Action::Read(_) => None,
    };
    let sent = Sent { out, awaited };
    match deadline {
        Some(deadline) => {
            let remaining = deadline.saturating_duration_since(Instant::now());
            exec::complete(printer, hub, plan, device_id, sent, remaining, false).await
        }
        None => Ok(sent.out),
    }
}
