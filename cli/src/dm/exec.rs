//! Running a typed command's [`Action`] on its target devices and reporting what happened.
//!
//! For each device the steps are the same whatever the command: read the twin, check the
//! agent's manifest (refusing locally with "not supported on this device"), then either print
//! the request (`--dry-run`) or send it, read the device's answer by its real status code, and
//! with `--wait` follow the operation's envelope to its final state. Keeping one path for every
//! command is what makes exit codes mean the same thing everywhere: 5 offline, 6 timed out,
//! 7 the device said no, 8 busy.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use dm_contract::{
    AgentManifest, BusyReport, DiagnosticsResult, ErrorBody, Method, MethodReply, NAMESPACE,
    OperationState, OperationStatus, Request, Section, UpdatesReport, error_code, read_section,
    reported_properties,
};
use serde::Serialize;
use serde_json::Value;

use super::hub::Hub;
use super::plan::{Action, DesiredChange, DryRequest, dry_request};
use super::prompt::{self, Confirmation};
use super::render::{self, View};
use super::support::{self, Refusal};
use super::wait::{self, Awaited, PollPolicy, WaitError};
use crate::context::Context;
use crate::exit::{CliError, Exit};
use crate::fleet::{DeviceOutcome, TargetArgs, Track, confirm_fleet, note_awaiting, note_sent};
use crate::printer::{OutputFormat, Printer};

/// Everything a typed command decided from its arguments.
#[derive(Debug, Clone)]
pub struct Plan {
    /// What to do on each device.
    pub action: Action,
    /// Which devices.
    pub target: TargetArgs,
    /// Print instead of sending.
    pub dry_run: bool,
    /// `--wait --timeout`: how long to follow the operation.
    pub wait: Option<Duration>,
    /// `factory-reset --confirm`.
    pub confirm: Option<String>,
    /// `logs collect --out`.
    pub out: Option<PathBuf>,
    /// `--via-job`: send it as one IoT Hub job instead of device by device.
    pub via_job: Option<ViaJob>,
}

/// `--via-job [--start TIME]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViaJob {
    /// When the hub starts the job (`--start`); now when absent.
    pub start: Option<jiff::Timestamp>,
}

/// One device's result, as JSON output shows it (`result` of a fleet line).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DmResult {
    /// The method (`dm.reboot`), or `desired.dm.<section>` / `reported.dm.<section>`.
    pub action: String,
    /// The device's method status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// A 200 answer's payload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    /// The operation: `{id, state}` when accepted, the whole envelope after `--wait`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<Value>,
    /// The desired `$version` a patch produced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired_version: Option<u64>,
    /// A reported section that was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported: Option<Value>,
    /// Where collected logs were written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
    /// The request `--dry-run` would have sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<DryRequest>,
    /// The IoT Hub job that carried the call (`--via-job`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// The method, for rendering.
    #[serde(skip)]
    pub method: Option<Method>,
    /// The final envelope, for rendering.
    #[serde(skip)]
    pub envelope: Option<OperationStatus>,
    /// The section read, for rendering.
    #[serde(skip)]
    pub section: Option<Section>,
}

impl DmResult {
    pub(crate) fn new(action: &Action) -> Self {
        Self {
            action: action.name(),
            method: match action {
                Action::Call(call) => Some(call.method()),
                _ => None,
            },
            ..Self::default()
        }
    }

    /// One line for the per-device table of a fleet run.
    pub fn summary(&self) -> String {
        if let Some(request) = &self.request {
            return request.line();
        }
        if let Some(op) = &self.envelope {
            return render::operation_summary(op);
        }
        if let Some(file) = &self.file {
            return format!("written to {}", file.display());
        }
        if let (Some(method), Some(status), Some(result)) = (self.method, self.status, &self.result)
            && let Ok(reply) = MethodReply::from_response(status, result)
        {
            return render::reply_summary(method, &reply);
        }
        if let Some(op) = &self.operation {
            let state = op
                .get("state")
                .and_then(Value::as_str)
                .unwrap_or("accepted");
            let id = op.get("id").and_then(Value::as_str).unwrap_or("?");
            return format!("{state} (operation {id})");
        }
        if let Some(version) = self.desired_version {
            return format!("desired version {version}");
        }
        if let (Some(section), Some(reported)) = (self.section, &self.reported) {
            return section_summary(section, reported);
        }
        if let Some(job) = &self.job_id {
            return format!("done (job {job})");
        }
        "done".to_owned()
    }
}

fn section_summary(section: Section, reported: &Value) -> String {
    match section {
        Section::Busy => {
            let leases = serde_json::from_value::<BusyReport>(reported.clone())
                .map(|b| b.leases.len())
                .unwrap_or_default();
            if leases == 0 {
                "idle".to_owned()
            } else {
                format!("{leases} busy leases")
            }
        }
        Section::Updates => serde_json::from_value::<UpdatesReport>(reported.clone())
            .map(|u| {
                format!(
                    "{} available ({} security){}",
                    u.available_count,
                    u.security_count,
                    if u.pending_reboot {
                        ", reboot pending"
                    } else {
                        ""
                    }
                )
            })
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Runs `plan`: resolves the target, asks for confirmation where needed, works on every
/// device, prints the results and returns the exit class.
pub async fn execute<H: Hub>(ctx: &Context, hub: &H, plan: &Plan) -> Result<Exit, CliError> {
    if let Some(via) = &plan.via_job {
        return super::via_job::execute(ctx, hub, plan, via).await;
    }
    let printer = &ctx.printer;
    let single = plan.target.single().is_some();
    let read = TwinRead::of(&plan.action);
    let mut twins = HashMap::new();
    let run = match (&read, single) {
        (TwinRead::Projection(projection), false) => {
            let (run, rows) = {
                let rows = std::sync::Mutex::new(Vec::new());
                let run = plan
                    .target
                    .start_run_select(printer, &hub.host_name(), projection, |query| {
                        let rows = &rows;
                        async move {
                            let found = hub.query(&query).await?;
                            let ids = row_ids(&found);
                            *rows
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner) = found;
                            Ok(ids)
                        }
                    })
                    .await?;
                (
                    run,
                    rows.into_inner()
                        .unwrap_or_else(std::sync::PoisonError::into_inner),
                )
            };
            let section = TwinRead::section(&plan.action);
            twins.extend(partial_twins(rows, section));
            let missing: Vec<String> = run
                .devices
                .iter()
                .filter(|id| !twins.contains_key(*id))
                .cloned()
                .collect();
            twins.extend(read_twins(hub, projection, section, &missing).await?);
            run
        }
        _ => {
            plan.target
                .start_run(printer, &hub.host_name(), |query| async move {
                    hub.query_device_ids(&query).await
                })
                .await?
        }
    };
    confirm(ctx, plan, &run.devices)?;

    if single && let [device_id] = run.devices.as_slice() {
        let track = Track::new(device_id, None);
        let result = tokio::select! {
            biased;
            result = track.scope(on_device(printer, hub, plan, device_id, true)) => result?,
            () = crate::interrupt::requested() => {
                return Err(interrupted_single(device_id, plan, &track));
            }
        };
        print_single(printer, device_id, &result)?;
        return Ok(Exit::Ok);
    }
    let collects_logs =
        matches!(&plan.action, Action::Call(call) if call.method() == Method::DiagnosticsCollect);
    match &plan.out {
        Some(dir) if !plan.dry_run => std::fs::create_dir_all(dir)
            .map_err(|e| CliError::io(format!("output directory {}", dir.display()), e))?,
        None if collects_logs && printer.format() == OutputFormat::Table && !plan.dry_run => {
            // A fleet table has one line per device: the logs themselves would be lost.
            return Err(
                CliError::usage("logs from several devices need somewhere to go")
                    .with_hint("pass --out DIR (one DEVICE.log each), or --output json/jsonl"),
            );
        }
        _ => {}
    }
    let concurrency = usize::from(plan.target.concurrency);
    let twins = &twins;
    let report = run
        .reports_sends()
        .run(printer, concurrency, |device_id| async move {
            let twin = twins.get(&device_id).cloned();
            let sent = send_with(hub, plan, &device_id, twin).await?;
            match plan.wait {
                Some(timeout) => {
                    complete(printer, hub, plan, &device_id, sent, timeout, false).await
                }
                None => Ok(sent.out),
            }
        })
        .await?;
    report.finish(printer, DmResult::summary)
}

/// How a fleet run reads what it needs of each target's twin before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TwinRead {
    /// Every target's parts in the query that resolves the target (or in a few queries by
    /// id): this projection, with `deviceId`.
    Projection(String),
    /// The whole twin of each device just before its call: the change is computed from the
    /// current desired state and guarded by the twin's etag, which must be fresh.
    Each,
}

/// The alias the manifest gets in a projection.
const AGENT_ALIAS: &str = "dmAgent";
/// The alias of the one other reported section an action reads.
const SECTION_ALIAS: &str = "dmSection";

impl TwinRead {
    fn of(action: &Action) -> Self {
        let agent = format!(
            "deviceId, properties.reported.{NAMESPACE}.{} AS {AGENT_ALIAS}",
            Section::Agent.name()
        );
        let with = |section: Section| {
            TwinRead::Projection(format!(
                "{agent}, properties.reported.{NAMESPACE}.{} AS {SECTION_ALIAS}",
                section.name()
            ))
        };
        match action {
            Action::Desired(DesiredChange::Approve { replace: false, .. }) => TwinRead::Each,
            Action::Call(call) if call.method() == Method::FactoryReset => {
                with(Section::FactoryReset)
            }
            Action::Read(section) if *section != Section::Agent => with(*section),
            _ => TwinRead::Projection(agent),
        }
    }

    /// The reported section read besides the manifest, if any.
    fn section(action: &Action) -> Option<Section> {
        match action {
            Action::Call(call) if call.method() == Method::FactoryReset => {
                Some(Section::FactoryReset)
            }
            Action::Read(section) if *section != Section::Agent => Some(*section),
            _ => None,
        }
    }
}

fn row_ids(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .filter_map(|row| row.get("deviceId").and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

/// Projected rows as twins holding only what was projected, in the service twin's shape, so
/// the manifest checks read them as they read a whole twin.
fn partial_twins(
    rows: Vec<Value>,
    section: Option<Section>,
) -> impl Iterator<Item = (String, Value)> {
    rows.into_iter().filter_map(move |row| {
        let Value::Object(mut row) = row else {
            return None;
        };
        let Some(Value::String(id)) = row.remove("deviceId") else {
            return None;
        };
        let mut dm = serde_json::Map::new();
        if let Some(agent) = row.remove(AGENT_ALIAS) {
            dm.insert(Section::Agent.name().to_owned(), agent);
        }
        if let (Some(section), Some(value)) = (section, row.remove(SECTION_ALIAS)) {
            dm.insert(section.name().to_owned(), value);
        }
        let twin = serde_json::json!({
            "deviceId": id,
            "properties": {"reported": {NAMESPACE: dm}},
        });
        Some((id, twin))
    })
}

/// Reads the projection for `devices` (targets not found by a query: named ones, a file, a
/// resumed run) with `deviceId IN [...]` queries, a few hundred ids each. A device the hub
/// does not return is left out: its own twin read then says why (not found).
async fn read_twins<H: Hub>(
    hub: &H,
    projection: &str,
    section: Option<Section>,
    devices: &[String],
) -> Result<HashMap<String, Value>, CliError> {
    let mut twins = HashMap::new();
    for condition in crate::fleet::ids_conditions(devices) {
        let rows = hub
            .query(&crate::fleet::device_select(&condition, projection))
            .await?;
        twins.extend(partial_twins(rows, section));
    }
    Ok(twins)
}

/// The confirmations a plan needs before anything is sent.
fn confirm(ctx: &Context, plan: &Plan, devices: &[String]) -> Result<(), CliError> {
    if plan.dry_run {
        return Ok(());
    }
    let is_reset =
        matches!(&plan.action, Action::Call(call) if call.method() == Method::FactoryReset);
    if is_reset && devices.len() > 1 && plan.confirm.is_some() {
        return Err(
            CliError::usage("--confirm names one device, but the target selects several")
                .with_hint(
                    "with several devices, --yes confirms the reset of each (by its own id)",
                ),
        );
    }
    if plan.action.is_disruptive() {
        let what = match &plan.action {
            Action::Call(call) => call.method().name(),
            _ => "change",
        };
        confirm_fleet(
            &ctx.printer,
            ctx.yes,
            devices.len(),
            &format!("send {what}"),
        )?;
    }
    if is_reset && let [device_id] = devices {
        match prompt::confirm_reset(device_id, ctx.yes, plan.confirm.as_deref())? {
            Confirmation::Confirmed => {}
            Confirmation::Mismatch => {
                return Err(CliError::usage(format!(
                    "the id typed does not match '{device_id}'; nothing was sent"
                )));
            }
        }
    }
    Ok(())
}

/// Works on one device: read, check, send (or print), wait.
pub async fn on_device<H: Hub>(
    printer: &Printer,
    hub: &H,
    plan: &Plan,
    device_id: &str,
    single: bool,
) -> Result<DmResult, CliError> {
    let sent = send(hub, plan, device_id).await?;
    match plan.wait {
        Some(timeout) => complete(printer, hub, plan, device_id, sent, timeout, single).await,
        None => Ok(sent.out),
    }
}

/// What was sent to one device: the result so far and, when the device accepted work that
/// runs on, what to follow to learn its outcome. Split from following so that a rollout can
/// record the operation (in the device's tags) between the two, and follow it again after a
/// restart instead of sending it twice.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The result so far (the answer, the operation id, the desired version).
    pub out: DmResult,
    /// The operation to follow, if the work goes on after the answer.
    pub awaited: Option<Awaited>,
}

/// Reads the device's twin, checks its manifest, then sends the plan's action (or, with
/// `--dry-run`, describes it). Does not wait for the operation.
pub async fn send<H: Hub>(hub: &H, plan: &Plan, device_id: &str) -> Result<Sent, CliError> {
    send_with(hub, plan, device_id, None).await
}

/// [`send`] with the parts of the twin a fleet run already read for this device (see
/// [`TwinRead`]); without them the twin is read first.
async fn send_with<H: Hub>(
    hub: &H,
    plan: &Plan,
    device_id: &str,
    twin: Option<Value>,
) -> Result<Sent, CliError> {
    let in_device = |e: CliError| e.context(format!("device '{device_id}'"));
    let twin = match twin {
        Some(twin) => twin,
        None => hub.twin(device_id).await.map_err(in_device)?,
    };
    let mut out = DmResult::new(&plan.action);
    let mut awaited = None;
    match &plan.action {
        Action::Call(call) => {
            let method = call.method();
            support::check_method(&twin, method).map_err(|r| refusal(device_id, &r))?;
            if plan.dry_run {
                out.request = Some(dry(&plan.action, device_id, &twin)?);
                return Ok(Sent { out, awaited });
            }
            let previous_reset = wait::previous_reset(&twin);
            let body = call
                .body_for(device_id)
                .map_err(|e| CliError::usage(e.to_string()))?;
            note_sent(None);
            let answer = hub
                .invoke(device_id, &body)
                .await
                .map_err(|e| in_device(e.for_connect_timeout(body.connect_timeout_in_seconds)))?;
            awaited = judge_answer(
                plan,
                device_id,
                answer.status,
                &answer.payload,
                previous_reset,
                &mut out,
            )?;
        }
        Action::Desired(change) => {
            let section = change.section();
            support::check_section(&twin, section).map_err(|r| refusal(device_id, &r))?;
            if plan.dry_run {
                out.request = Some(dry(&plan.action, device_id, &twin)?);
                return Ok(Sent { out, awaited });
            }
            // A change computed from the current value must not overwrite a concurrent one.
            let etag = match change {
                DesiredChange::Approve { replace: false, .. } => {
                    twin.get("etag").and_then(Value::as_str)
                }
                _ => None,
            };
            note_sent(None);
            let patched = hub
                .patch_twin(device_id, &change.patch_for(&twin), etag)
                .await
                .map_err(|e| {
                    let e = in_device(e);
                    if etag.is_some() && e.exit() == Exit::Conflict {
                        e.with_hint("someone changed the device's desired state meanwhile; run the command again")
                    } else {
                        e
                    }
                })?;
            let version = dm_contract::desired_version(&patched).ok_or_else(|| {
                CliError::failure(format!(
                    "device '{device_id}': the hub's answer to the patch has no desired $version"
                ))
            })?;
            out.desired_version = Some(version);
            note_awaiting(format!("--section {section} --desired-version {version}"));
            awaited = Some(Awaited::Apply {
                section,
                desired_version: version,
            });
        }
        Action::Read(section) => {
            support::manifest(&twin).map_err(|r| refusal(device_id, &r))?;
            if plan.dry_run {
                out.request = Some(dry(&plan.action, device_id, &twin)?);
                return Ok(Sent { out, awaited });
            }
            out.section = Some(*section);
            out.reported = Some(read_reported(&twin, *section));
        }
    }
    Ok(Sent { out, awaited })
}

/// Reads a device's answer to the plan's method (`status`, `payload`) by its real status
/// code, as sent directly or as a job's per-device outcome: a 200 is the result, an error
/// status the device's error, a 202 the operation to follow (returned).
pub(crate) fn judge_answer(
    plan: &Plan,
    device_id: &str,
    status: i32,
    payload: &Value,
    previous_reset: Option<jiff::Timestamp>,
    out: &mut DmResult,
) -> Result<Option<Awaited>, CliError> {
    let Action::Call(call) = &plan.action else {
        return Ok(None);
    };
    let method = call.method();
    let status = u16::try_from(status)
        .map_err(|_| malformed(device_id, method, &format!("status {status}")))?;
    let reply = MethodReply::from_response(status, payload)
        .map_err(|e| malformed(device_id, method, &e.to_string()))?;
    out.status = Some(status);
    match reply {
        MethodReply::Done(value) => {
            out.result = Some(value);
            save_logs(plan, device_id, out)?;
            Ok(None)
        }
        MethodReply::Error { status, body } => Err(device_error(device_id, method, status, &body)),
        MethodReply::Accepted(accepted) => {
            note_sent(Some(accepted.operation_id.as_str()));
            out.operation = Some(serde_json::json!({
                "id": accepted.operation_id,
                "state": accepted.state.as_str(),
            }));
            Ok(Some(match method {
                Method::FactoryReset => Awaited::FactoryReset {
                    id: accepted.operation_id.clone(),
                    previous_reset,
                },
                _ => Awaited::Operation {
                    // Every method that answers 202 names its section (a
                    // dm-contract invariant, tested there).
                    section: method.section().ok_or_else(|| {
                        malformed(
                            device_id,
                            method,
                            &format!("{method} has no section to report in"),
                        )
                    })?,
                    id: accepted.operation_id.clone(),
                },
            }))
        }
    }
}

/// Follows what [`send`] started to its final state, for at most `timeout`: a final state
/// other than `succeeded` is an error, and an agent update must show the new version.
pub async fn complete<H: Hub>(
    printer: &Printer,
    hub: &H,
    plan: &Plan,
    device_id: &str,
    sent: Sent,
    timeout: Duration,
    single: bool,
) -> Result<DmResult, CliError> {
    let Sent { mut out, awaited } = sent;
    let Some(awaited) = awaited else {
        return Ok(out);
    };
    let what = match &awaited {
        Awaited::Operation { id, .. } | Awaited::FactoryReset { id, .. } => {
            format!("{} (operation {id})", out.action)
        }
        Awaited::Apply {
            section,
            desired_version,
        } => format!(
            "{} (desired version {desired_version})",
            dm_contract::apply_op(*section)
        ),
    };
    let op = follow(printer, hub, device_id, &awaited, &what, timeout, single).await?;
    finish_operation(device_id, &what, &op)?;
    if let Action::Call(call) = &plan.action {
        if let Request::AgentUpdate(update) = &call.request {
            confirm_agent_version(hub, device_id, &update.version).await?;
        }
        if call.method() == Method::DiagnosticsCollect
            && let Some(result) = &op.result
        {
            out.result = Some(result.clone());
        }
    }
    out.operation = serde_json::to_value(&op).ok();
    out.envelope = Some(op);
    save_upload(printer, hub, plan, device_id, &mut out).await?;
    Ok(out)
}

/// An answer the dm contract does not allow.
fn malformed(device_id: &str, method: Method, reason: &str) -> CliError {
    CliError::new(
        Exit::DeviceError,
        format!(
            "device '{device_id}' answered {method} in a way the dm contract does not allow: {reason}"
        ),
    )
}

fn dry(action: &Action, device_id: &str, twin: &Value) -> Result<DryRequest, CliError> {
    dry_request(action, device_id, twin).map_err(|e| CliError::usage(e.to_string()))
}

/// A reported section as clean JSON (typed where the contract knows it, without `$metadata`).
fn read_reported(twin: &Value, section: Section) -> Value {
    let Some(reported) = reported_properties(twin) else {
        return Value::Null;
    };
    let typed = match section {
        Section::Busy => read_section::<BusyReport>(reported, section)
            .ok()
            .map(|r| serde_json::to_value(r.unwrap_or_default())),
        Section::Updates => read_section::<UpdatesReport>(reported, section)
            .ok()
            .map(|r| serde_json::to_value(r.unwrap_or_default())),
        Section::Agent => read_section::<AgentManifest>(reported, section)
            .ok()
            .flatten()
            .map(serde_json::to_value),
        _ => None,
    };
    match typed {
        Some(Ok(value)) => value,
        _ => dm_contract::section_value(reported, section)
            .cloned()
            .unwrap_or(Value::Null),
    }
}

/// Follows an operation, with a spinner when this is the only device.
pub(crate) async fn follow<H: Hub>(
    printer: &Printer,
    hub: &H,
    device_id: &str,
    awaited: &Awaited,
    what: &str,
    timeout: Duration,
    single: bool,
) -> Result<OperationStatus, CliError> {
    let spinner = if single {
        printer.spinner(format!("{device_id}: waiting for {what}"))
    } else {
        indicatif::ProgressBar::hidden()
    };
    let result = wait::wait_for(
        awaited,
        timeout,
        PollPolicy::default(),
        || async {
            match hub.section_look(device_id, awaited.section()).await {
                // Throttled: look again later; the operation was sent and must not be re-sent.
                Err(e) if e.exit() == Exit::Throttled => {
                    tracing::debug!(device = device_id, "twin read throttled while waiting");
                    Ok(None)
                }
                read => read.map(Some),
            }
        },
        |state| {
            if let Some(state) = state {
                spinner.set_message(format!("{device_id}: {what} is {}", state.as_str()));
            }
        },
    )
    .await;
    spinner.finish_and_clear();
    result.map_err(|e| match e {
        WaitError::TimedOut { waited, last } => {
            let still = last.map_or_else(
                || "the device has not reported it yet".to_owned(),
                |s| format!("it is still {}", s.as_str()),
            );
            CliError::new(
                Exit::TimedOut,
                format!(
                    "device '{device_id}': gave up waiting for {what} after {} ({still})",
                    humantime::format_duration(waited)
                ),
            )
            .with_hint(match (last, awaited) {
                (Some(OperationState::Postponed), Awaited::Operation { id, .. }) => format!(
                    "a busy lease holds it back and it runs when the lease ends; to drop it: \
                     dmctl method invoke --device {device_id} --name dm.operations.cancel \
                     --payload '{{\"operationId\": \"{id}\"}}'"
                ),
                _ => format!(
                    "the operation goes on without dmctl; wait longer (nothing is sent again): \
                     `{}`",
                    ops_wait_command(device_id, &resume_args(awaited))
                ),
            })
        }
        WaitError::Fetch(err) => err.context(format!("device '{device_id}'")),
        WaitError::Malformed(err) => {
            CliError::new(Exit::DeviceError, format!("device '{device_id}': {err}"))
        }
    })
}

/// What `dmctl ops wait --device D` needs after it to follow `awaited` again.
pub fn resume_args(awaited: &Awaited) -> String {
    match awaited {
        Awaited::Operation { id, .. } | Awaited::FactoryReset { id, .. } => id.to_string(),
        Awaited::Apply {
            section,
            desired_version,
        } => format!("--section {section} --desired-version {desired_version}"),
    }
}

/// The command that follows an operation again without sending anything.
pub fn ops_wait_command(device_id: &str, resume: &str) -> String {
    format!(
        "dmctl ops wait --device {} {resume}",
        crate::journal::shell_quote(device_id)
    )
}

/// Ctrl-C during a one-device command: what had been sent, and how to follow it from here.
fn interrupted_single(device_id: &str, plan: &Plan, track: &Track) -> CliError {
    let what = plan.action.name();
    if !track.was_sent() {
        return CliError::new(
            Exit::Interrupted,
            format!("interrupted; nothing was sent to device '{device_id}'"),
        );
    }
    match track.awaiting() {
        Some(resume) => CliError::new(
            Exit::Interrupted,
            format!(
                "interrupted; {what} goes on on device '{device_id}' ({})",
                if resume.starts_with("--") {
                    resume.clone()
                } else {
                    format!("operation {resume}")
                }
            ),
        )
        .with_hint(format!(
            "follow it to the end (nothing is sent again): `{}`",
            ops_wait_command(device_id, &resume)
        )),
        None => CliError::new(
            Exit::Interrupted,
            format!(
                "interrupted after sending {what} to device '{device_id}', before its answer arrived"
            ),
        )
        .with_hint(format!(
            "`dmctl ops list --device {}` shows whether it started; do not send it again blindly",
            crate::journal::shell_quote(device_id)
        )),
    }
}

/// Turns a final envelope that is not `succeeded` into the matching error.
/// After a successful `dm.agent.update`: the device's manifest must show the version asked for.
/// The agent reports its manifest before the envelope, so the first read normally shows it; a
/// few more reads cover a hub that applies the two patches out of order.
async fn confirm_agent_version<H: Hub>(
    hub: &H,
    device_id: &str,
    version: &str,
) -> Result<(), CliError> {
    const READS: u32 = 5;
    let mut shown = None;
    for read in 0..READS {
        if read > 0 {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        let twin = hub
            .twin(device_id)
            .await
            .map_err(|e| e.context(format!("device '{device_id}'")))?;
        shown = support::manifest(&twin).ok().map(|m| m.version);
        if shown.as_deref() == Some(version) {
            return Ok(());
        }
    }
    Err(CliError::new(
        Exit::DeviceError,
        format!(
            "device '{device_id}': dm.agent.update succeeded, but the device's manifest reports agent version {}, not {version}",
            shown.as_deref().unwrap_or("(none)")
        ),
    )
    .with_hint("`dmctl info --device ID` shows what the agent reports now"))
}

pub(crate) fn finish_operation(
    device_id: &str,
    what: &str,
    op: &OperationStatus,
) -> Result<(), CliError> {
    if op.state == OperationState::Succeeded {
        return Ok(());
    }
    let (code, message) = op
        .error
        .as_ref()
        .map_or(("failed", "no reason given"), |e| {
            (e.code.as_str(), e.message.as_str())
        });
    let exit = match (op.state, code) {
        (OperationState::Rejected, error_code::BUSY | error_code::CONFLICT) => Exit::Conflict,
        _ => Exit::DeviceError,
    };
    Err(CliError::new(
        exit,
        format!(
            "device '{device_id}': {what} {}: {code}: {message}",
            op.state.as_str()
        ),
    ))
}

/// A device's error answer in the user's terms, with the exit class of its status.
pub(crate) fn device_error(
    device_id: &str,
    method: Method,
    status: u16,
    body: &ErrorBody,
) -> CliError {
    let mut err = CliError::new(
        Exit::for_device_status(i32::from(status)),
        format!(
            "device '{device_id}' answered {method} with {status} {}: {}",
            body.code, body.message
        ),
    );
    let hint = match body.code.as_str() {
        error_code::BUSY => Some(match body.retry_after {
            Some(secs) => format!(
                "an application holds a busy lease for about {secs}s more; retry then, pass --postpone to run when it ends, or --force"
            ),
            None => {
                "an application holds a busy lease; pass --postpone to run when it ends, or --force"
                    .to_owned()
            }
        }),
        error_code::NOT_SUPPORTED => Some(
            "the agent's provider for this is inactive on the device; `dmctl info` shows its state"
                .to_owned(),
        ),
        error_code::UNKNOWN_METHOD => {
            Some("the device's agent does not implement this method; update dm-agent".to_owned())
        }
        _ => body
            .field
            .as_ref()
            .map(|field| format!("the device refused the field `{field}`")),
    };
    if let Some(hint) = hint {
        err = err.with_hint(hint);
    }
    err
}

/// A manifest refusal: the device cannot take the operation (exit 7, as if it had answered
/// 501, so a script sees the same class whether the refusal was local or remote). A device no
/// dm-agent has reported on is not found (4): there is no agent to answer, and nothing was sent.
pub(crate) fn refusal(device_id: &str, refusal: &Refusal) -> CliError {
    let err = match refusal {
        Refusal::NoAgent => CliError::new(
            Exit::NotFound,
            format!(
                "no dm-agent has reported on device '{device_id}' (reported.dm.agent is absent); nothing was sent"
            ),
        ),
        _ => CliError::new(
            Exit::DeviceError,
            format!("device '{device_id}': {refusal}"),
        ),
    };
    match refusal.hint() {
        Some(hint) => err.with_hint(hint),
        None => err,
    }
}

/// Writes inline logs to `--out` (a file for one device, `DIR/<device>.log` for several).
fn save_logs(plan: &Plan, device_id: &str, out: &mut DmResult) -> Result<(), CliError> {
    let (Some(target), Some(Method::DiagnosticsCollect)) = (&plan.out, out.method) else {
        return Ok(());
    };
    let Some(content) = out
        .result
        .as_ref()
        .and_then(|r| serde_json::from_value::<DiagnosticsResult>(r.clone()).ok())
        .and_then(|d| d.content)
    else {
        return Ok(());
    };
    let path = if plan.target.single().is_some() {
        target.clone()
    } else {
        target.join(format!("{}.log", file_safe(device_id)))
    };
    write_file(&path, content.as_bytes())?;
    if let Some(Value::Object(map)) = out.result.as_mut() {
        map.remove("content");
    }
    out.file = Some(path);
    Ok(())
}

/// Writes an uploaded log bundle to `--out` (a file for one device, `DIR/<device>.tar.gz` for
/// several) when the hub can serve it (the local hub); for a real storage account it says how
/// to fetch the blob instead.
async fn save_upload<H: Hub>(
    printer: &Printer,
    hub: &H,
    plan: &Plan,
    device_id: &str,
    out: &mut DmResult,
) -> Result<(), CliError> {
    let (Some(target), Some(Method::DiagnosticsCollect)) = (&plan.out, out.method) else {
        return Ok(());
    };
    let Some(upload) = out
        .result
        .as_ref()
        .and_then(|r| serde_json::from_value::<DiagnosticsResult>(r.clone()).ok())
        .and_then(|d| d.upload)
    else {
        return Ok(());
    };
    let Some(url) = upload.url.as_deref() else {
        printer.info(format!(
            "{device_id}: the logs were uploaded as blob {} of the hub's storage container; nothing was written to {}",
            upload.blob_name,
            target.display()
        ));
        return Ok(());
    };
    let Some(bytes) = hub.uploaded_blob(url).await? else {
        printer.info(format!(
            "{device_id}: the logs were uploaded to {url}; read them with your storage credentials, e.g. \
             `az storage blob download --blob-url {url} --auth-mode login --file FILE` (nothing was written to {})",
            target.display()
        ));
        return Ok(());
    };
    let path = if plan.target.single().is_some() {
        target.clone()
    } else {
        target.join(format!("{}.tar.gz", file_safe(device_id)))
    };
    write_file(&path, &bytes)?;
    out.file = Some(path);
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes).map_err(|e| CliError::io(format!("{}", path.display()), e))
}

/// A device id as a file name: device ids may hold `/`-free punctuation only, but be safe.
fn file_safe(device_id: &str) -> String {
    device_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Prints one device's result as the command's own output.
fn print_single(printer: &Printer, device_id: &str, result: &DmResult) -> Result<(), CliError> {
    match printer.format() {
        OutputFormat::Json => {
            let outcome = DeviceOutcome {
                device_id: device_id.to_owned(),
                result: Ok(result.clone()),
            };
            printer.json(&outcome.to_json())?;
        }
        OutputFormat::Jsonl => {
            let outcome = DeviceOutcome {
                device_id: device_id.to_owned(),
                result: Ok(result.clone()),
            };
            printer.json_line(&outcome.to_json())?;
        }
        OutputFormat::Table => print_view(printer, device_id, result)?,
    }
    Ok(())
}

fn print_view(printer: &Printer, device_id: &str, result: &DmResult) -> Result<(), CliError> {
    let now = jiff::Timestamp::now();
    if let Some(request) = &result.request {
        printer.line(&request.line())?;
        return Ok(());
    }
    if let Some(file) = &result.file {
        printer.info(format!("{device_id}: logs written to {}", file.display()));
        return Ok(());
    }
    if result.method == Some(Method::DiagnosticsCollect)
        && let Some(content) = result
            .result
            .as_ref()
            .and_then(|r| serde_json::from_value::<DiagnosticsResult>(r.clone()).ok())
            .and_then(|d| d.content)
    {
        if content.is_empty() {
            printer.info(format!("{device_id}: no log entries matched"));
        } else {
            // Logs are data: printed as they are, so `dmctl logs collect ... | grep` works.
            printer.line(content.trim_end_matches('\n'))?;
        }
        return Ok(());
    }
    if let Some(op) = &result.envelope {
        return show(printer, &render::operation_view(op, now));
    }
    if let Some(op) = &result.operation {
        let id = op.get("id").and_then(Value::as_str).unwrap_or("?");
        let state = op.get("state").and_then(Value::as_str).unwrap_or("pending");
        let mut view = View::fields();
        view.field("operation", Some(id.to_owned()))
            .field("state", Some(state.to_owned()));
        show(printer, &view)?;
        printer.info(format!(
            "{device_id}: {} accepted; add --wait to follow it to the end",
            result.action
        ));
        return Ok(());
    }
    if let (Some(method), Some(value)) = (result.method, &result.result) {
        return match render::result_view(method, value, now) {
            Some(view) => {
                show(printer, &view)?;
                if view.is_empty()
                    && let Some(what) = render::empty_list_name(method)
                {
                    printer.info(format!("{device_id}: no {what}"));
                }
                Ok(())
            }
            None => Ok(printer.json(value)?),
        };
    }
    if let Some(version) = result.desired_version {
        let mut view = View::fields();
        view.field("patched", Some(result.action.clone()))
            .field("desired version", Some(version.to_string()));
        show(printer, &view)?;
        printer.info(format!(
            "{device_id}: the agent applies it when it sees the change; add --wait to follow it"
        ));
        return Ok(());
    }
    if let (Some(section), Some(reported)) = (result.section, &result.reported) {
        let wrapped = serde_json::json!({ dm_contract::NAMESPACE: { section.name(): reported } });
        return match render::section_view(section, &wrapped, now) {
            Some(view) if view.is_empty() && section == Section::Busy => {
                printer.info(format!("{device_id}: no busy leases"));
                Ok(())
            }
            Some(view) => show(printer, &view),
            None => Ok(printer.json(reported)?),
        };
    }
    Ok(())
}

pub(crate) fn show(printer: &Printer, view: &View) -> Result<(), CliError> {
    let mut table = printer.new_table(view.headers.iter().map(String::as_str));
    for row in &view.rows {
        table.add_row(row.iter().map(String::as_str));
    }
    printer.table(&table)?;
    Ok(())
}
