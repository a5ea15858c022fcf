//! `dmctl ops`: the operations the agents report, followed, shown and cancelled by id.
//!
//! A long operation outlives the command that started it: after Ctrl-C or `--timeout` it goes
//! on on the device, and sending the command again would start a second one (or be refused
//! with 409 while the first holds its target). Every long operation has an id and an envelope
//! at `reported.dm.<section>.operations.<id>` (see dm-contract), so these commands work from
//! the twin alone: `list` and `show` read it, `wait` follows an envelope with the same poll loop
//! and exit codes as `--wait` (it never sends anything), and `cancel` sends
//! `dm.operations.cancel` only when the envelope says the operation can still be cancelled.

use std::time::Duration;

use dm_contract::{
    CancelRequest, Method, MethodReply, OperationId, OperationState, OperationStatus, Request,
    Section, error_code, find_operation_anywhere, reported_properties,
};
use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use super::args::{OpsCancelArgs, OpsCommand, OpsListArgs, OpsShowArgs, OpsWaitArgs};
use super::exec::{
    device_error, finish_operation, follow, ops_wait_command, refusal, resume_args, show,
};
use super::hub::Hub;
use super::plan::{Call, Timeouts};
use super::render::{self, View};
use super::support;
use super::wait::{self, Awaited, read_operations};
use crate::context::Context;
use crate::exit::{CliError, Exit};
use crate::fleet::{DeviceOutcome, FleetReport, TargetArgs, run_fleet};
use crate::printer::{OutputFormat, Printer};

/// How long `wait` and `cancel` look for an envelope that is not in the twin yet: an agent
/// reports a new operation right after its 202 answer, so a resume that follows Ctrl-C at once
/// may read the twin a moment before the envelope lands.
const APPEAR_WITHIN: Duration = Duration::from_secs(3);

/// One operation envelope with the section it was reported in.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionOperation {
    /// The section (`reboot`, `apps`, ...).
    #[serde(serialize_with = "section_name")]
    pub section: Section,
    /// The envelope, as the agent reported it.
    #[serde(flatten)]
    pub operation: OperationStatus,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `serialize_with` passes a reference
fn section_name<S: serde::Serializer>(section: &Section, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(section.name())
}

/// Every envelope in a twin's reported `dm` sections, oldest request first.
pub fn operations(twin: &Value) -> Result<Vec<SectionOperation>, dm_contract::ContractError> {
    let mut all = Vec::new();
    let Some(reported) = reported_properties(twin) else {
        return Ok(all);
    };
    for section in Section::ALL.into_iter().filter(|s| s.has_operations()) {
        if let Some(ops) = read_operations(reported, section)? {
            all.extend(
                ops.into_values()
                    .map(|operation| SectionOperation { section, operation }),
            );
        }
    }
    all.sort_by(|a, b| {
        (a.operation.requested_at, a.operation.id.as_str())
            .cmp(&(b.operation.requested_at, b.operation.id.as_str()))
    });
    Ok(all)
}

/// Runs `dmctl ops ...`.
pub async fn run<H: Hub>(ctx: &Context, hub: &H, command: &OpsCommand) -> Result<Exit, CliError> {
    match command {
        OpsCommand::List(args) => list(ctx, hub, args).await,
        OpsCommand::Show(args) => show_one(ctx, hub, args).await,
        OpsCommand::Wait(args) => wait_for(ctx, hub, args).await,
        OpsCommand::Cancel(args) => cancel(ctx, hub, args).await,
    }
}

async fn resolve<H: Hub>(hub: &H, target: &TargetArgs) -> Result<Vec<String>, CliError> {
    target
        .resolve(|query| async move { hub.query_device_ids(&query).await })
        .await
}

/// The twin of a device with a dm agent, or the reason it has none.
async fn agent_twin<H: Hub>(hub: &H, device_id: &str) -> Result<Value, CliError> {
    let twin = hub
        .twin(device_id)
        .await
        .map_err(|e| e.context(format!("device '{device_id}'")))?;
    support::manifest(&twin).map_err(|r| refusal(device_id, &r))?;
    Ok(twin)
}

fn malformed(device_id: &str, err: &dm_contract::ContractError) -> CliError {
    CliError::new(Exit::DeviceError, format!("device '{device_id}': {err}"))
}

fn operation_id(text: &str) -> Result<OperationId, CliError> {
    OperationId::new(text).map_err(|e| CliError::usage(format!("operation id '{text}': {e}")))
}

fn section_arg(name: &str) -> Result<Section, CliError> {
    let known = || {
        Section::ALL
            .into_iter()
            .filter(|s| s.has_operations())
            .map(Section::name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    Section::from_name(name)
        .ok()
        .filter(|s| s.has_operations())
        .ok_or_else(|| {
            CliError::usage(format!(
                "--section {name}: not a section with operations (one of {})",
                known()
            ))
        })
}

/// Prints a command's result for one device the way typed commands do.
fn print_json<T: Serialize>(printer: &Printer, device_id: &str, value: &T) -> Result<(), CliError> {
    let outcome = DeviceOutcome {
        device_id: device_id.to_owned(),
        result: Ok(value),
    };
    match printer.format() {
        OutputFormat::Jsonl => printer.json_line(&outcome.to_json())?,
        _ => printer.json(&outcome.to_json())?,
    }
    Ok(())
}

fn time(at: Option<Timestamp>, now: Timestamp) -> String {
    at.map_or_else(String::new, |t| render::relative(t, now))
}

fn error_text(op: &OperationStatus) -> String {
    op.error
        .as_ref()
        .map_or_else(String::new, |e| format!("{}: {}", e.code, e.message))
}

// ---------------------------------------------------------------------------------------------
// list

/// What `ops list` reports per device.
#[derive(Debug, Clone, Serialize)]
struct Listed {
    operations: Vec<SectionOperation>,
}

async fn list<H: Hub>(ctx: &Context, hub: &H, args: &OpsListArgs) -> Result<Exit, CliError> {
    let printer = &ctx.printer;
    let section = args.section.as_deref().map(section_arg).transpose()?;
    let devices = resolve(hub, &args.target).await?;
    let read = |device_id: String| async move {
        let twin = agent_twin(hub, &device_id).await?;
        let mut operations = operations(&twin).map_err(|e| malformed(&device_id, &e))?;
        operations.retain(|o| {
            section.is_none_or(|s| o.section == s) && !(args.unfinished && o.operation.is_final())
        });
        Ok::<_, CliError>(Listed { operations })
    };
    if let (Some(_), [device_id]) = (args.target.single(), devices.as_slice()) {
        let listed = read(device_id.clone()).await?;
        if printer.format() != OutputFormat::Table {
            print_json(printer, device_id, &listed)?;
        } else if listed.operations.is_empty() {
            printer.info(format!("{device_id}: no operations reported"));
        } else {
            list_table(printer, false, &[(device_id.clone(), listed)])?;
        }
        return Ok(Exit::Ok);
    }
    let report = run_fleet(printer, devices, usize::from(args.target.concurrency), read).await?;
    if printer.format() != OutputFormat::Table {
        return report.finish(printer, |_| String::new());
    }
    let listed: Vec<(String, Listed)> = report
        .outcomes
        .iter()
        .filter_map(|o| {
            o.result
                .as_ref()
                .ok()
                .map(|l| (o.device_id.clone(), l.clone()))
        })
        .collect();
    if listed.iter().any(|(_, l)| !l.operations.is_empty()) {
        list_table(printer, true, &listed)?;
    }
    fleet_failures(printer, &report);
    Ok(report.exit())
}

fn list_table(
    printer: &Printer,
    with_device: bool,
    listed: &[(String, Listed)],
) -> Result<(), CliError> {
    let now = Timestamp::now();
    let mut headers = vec![
        "ID",
        "OP",
        "SECTION",
        "STATE",
        "REQUESTED",
        "STARTED",
        "FINISHED",
        "ERROR",
    ];
    if with_device {
        headers.insert(0, "DEVICE");
    }
    let mut table = printer.new_table(headers);
    for (device_id, l) in listed {
        for o in &l.operations {
            let op = &o.operation;
            let mut row = vec![
                op.id.to_string(),
                op.op.clone(),
                o.section.name().to_owned(),
                op.state.as_str().to_owned(),
                render::relative(op.requested_at, now),
                time(op.started_at, now),
                time(op.finished_at, now),
                error_text(op),
            ];
            if with_device {
                row.insert(0, device_id.clone());
            }
            table.add_row(row);
        }
    }
    printer.table(&table)?;
    Ok(())
}

/// The failed devices of a fleet `ops` command, on stderr, and the summary line.
fn fleet_failures<T>(printer: &Printer, report: &FleetReport<T>) {
    for outcome in &report.outcomes {
        if let Err(err) = &outcome.result {
            printer.info(format!("{}: {}", outcome.device_id, err.message()));
        }
    }
    if report.outcomes.is_empty() {
        printer.warn("no devices matched the target");
    } else {
        printer.info(format!(
            "{} devices: {} succeeded, {} failed",
            report.outcomes.len(),
            report.succeeded(),
            report.failed()
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// show

async fn find<H: Hub>(
    hub: &H,
    device_id: &str,
    id: &OperationId,
    patience: Duration,
) -> Result<(Value, SectionOperation), CliError> {
    let started = tokio::time::Instant::now();
    loop {
        let twin = agent_twin(hub, device_id).await?;
        if let Some((section, operation)) =
            find_operation_anywhere(&twin, id.as_str()).map_err(|e| malformed(device_id, &e))?
        {
            return Ok((twin, SectionOperation { section, operation }));
        }
        if started.elapsed() >= patience {
            return Err(CliError::new(
                Exit::NotFound,
                format!("device '{device_id}' reports no operation '{id}'"),
            )
            .with_hint(format!(
                "the agent keeps the last {} finished operations per section; `dmctl ops list --device {device_id}` shows what it reports",
                dm_contract::MAX_FINISHED_OPERATIONS_PER_SECTION
            )));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn envelope_view(found: &SectionOperation, now: Timestamp) -> View {
    let mut view = render::operation_view(&found.operation, now);
    // The section and start time are what `ops` adds to `--wait`'s view of an envelope.
    view.rows
        .insert(2, vec!["section".into(), found.section.name().into()]);
    if let Some(at) = found.operation.started_at {
        view.rows
            .insert(5, vec!["started".into(), render::relative(at, now)]);
    }
    if let Some(progress) = found.operation.progress {
        view.field("progress", Some(format!("{progress}%")));
    }
    view
}

async fn show_one<H: Hub>(ctx: &Context, hub: &H, args: &OpsShowArgs) -> Result<Exit, CliError> {
    let printer = &ctx.printer;
    let id = operation_id(&args.operation)?;
    let devices = resolve(hub, &args.target).await?;
    let id = &id;
    let read = |device_id: String| async move {
        find(hub, &device_id, id, Duration::ZERO)
            .await
            .map(|(_, found)| found)
    };
    if let (Some(_), [device_id]) = (args.target.single(), devices.as_slice()) {
        let found = read(device_id.clone()).await?;
        if printer.format() == OutputFormat::Table {
            show(printer, &envelope_view(&found, Timestamp::now()))?;
        } else {
            print_json(printer, device_id, &found)?;
        }
        return Ok(Exit::Ok);
    }
    let report = run_fleet(printer, devices, usize::from(args.target.concurrency), read).await?;
    report.finish(printer, |found| render::operation_summary(&found.operation))
}

// ---------------------------------------------------------------------------------------------
// wait

/// The final envelopes `ops wait` saw on one device.
#[derive(Debug, Clone, Serialize)]
struct Waited {
    operations: Vec<SectionOperation>,
}

impl Waited {
    fn summary(&self) -> String {
        match self.operations.as_slice() {
            [] => "nothing to wait for".to_owned(),
            [one] => format!(
                "{} {}",
                one.operation.id,
                render::operation_summary(&one.operation)
            ),
            many => format!("{} operations finished", many.len()),
        }
    }
}

/// What to follow on one device.
fn awaited_for(twin: &Value, found: &SectionOperation) -> Awaited {
    if found.section == Section::FactoryReset {
        Awaited::FactoryReset {
            id: found.operation.id.clone(),
            previous_reset: wait::previous_reset(twin),
        }
    } else {
        Awaited::Operation {
            section: found.section,
            id: found.operation.id.clone(),
        }
    }
}

async fn wait_one<H: Hub>(
    printer: &Printer,
    hub: &H,
    device_id: &str,
    args: &OpsWaitArgs,
    single: bool,
) -> Result<Waited, CliError> {
    let mut awaited = Vec::new();
    if let (Some(section), Some(version)) = (&args.section, args.desired_version) {
        agent_twin(hub, device_id).await?;
        awaited.push(Awaited::Apply {
            section: section_arg(section)?,
            desired_version: version,
        });
    } else if let Some(id) = &args.operation {
        let (twin, found) = find(hub, device_id, &operation_id(id)?, APPEAR_WITHIN).await?;
        awaited.push(awaited_for(&twin, &found));
    } else {
        let twin = agent_twin(hub, device_id).await?;
        for found in operations(&twin).map_err(|e| malformed(device_id, &e))? {
            if !found.operation.is_final() {
                awaited.push(awaited_for(&twin, &found));
            }
        }
    }
    let deadline = tokio::time::Instant::now() + args.timeout;
    let mut done = Vec::new();
    let mut failure = None;
    for awaited in &awaited {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let what = match awaited {
            Awaited::Apply {
                section,
                desired_version,
            } => format!(
                "{} (desired version {desired_version})",
                dm_contract::apply_op(*section)
            ),
            other => format!("operation {}", resume_args(other)),
        };
        let op = follow(printer, hub, device_id, awaited, &what, left, single).await?;
        // Every operation is followed to its end before the device's outcome is decided.
        if let Err(err) = finish_operation(device_id, &what, &op) {
            failure.get_or_insert(err);
        }
        done.push(SectionOperation {
            section: awaited.section(),
            operation: op,
        });
    }
    match failure {
        Some(err) => Err(err),
        None => Ok(Waited { operations: done }),
    }
}

async fn wait_for<H: Hub>(ctx: &Context, hub: &H, args: &OpsWaitArgs) -> Result<Exit, CliError> {
    let printer = &ctx.printer;
    if args.operation.is_none() && args.desired_version.is_none() && args.target.single().is_some()
    {
        printer.detail("no operation id: waiting for every operation not finished yet");
    }
    if let Some(section) = &args.section {
        section_arg(section)?;
    }
    let devices = resolve(hub, &args.target).await?;
    if let (Some(_), [device_id]) = (args.target.single(), devices.as_slice()) {
        let result = tokio::select! {
            biased;
            result = wait_one(printer, hub, device_id, args, true) => result?,
            () = crate::interrupt::requested() => {
                let resume = match (&args.operation, &args.section, args.desired_version) {
                    (Some(id), _, _) => id.clone(),
                    (None, Some(section), Some(version)) => {
                        format!("--section {section} --desired-version {version}")
                    }
                    _ => String::new(),
                };
                return Err(CliError::new(
                    Exit::Interrupted,
                    format!("interrupted; the operation goes on on device '{device_id}'"),
                )
                .with_hint(format!(
                    "follow it again (nothing is sent): `{}`",
                    ops_wait_command(device_id, &resume).trim_end()
                )));
            }
        };
        if printer.format() == OutputFormat::Table {
            match result.operations.as_slice() {
                [] => printer.info(format!("{device_id}: no operation is unfinished")),
                [one] => show(printer, &envelope_view(one, Timestamp::now()))?,
                _ => list_table(
                    printer,
                    false,
                    &[(
                        device_id.clone(),
                        Listed {
                            operations: result.operations.clone(),
                        },
                    )],
                )?,
            }
        } else {
            print_json(printer, device_id, &result)?;
        }
        return Ok(Exit::Ok);
    }
    let report = run_fleet(
        printer,
        devices,
        usize::from(args.target.concurrency),
        |device_id| async move { wait_one(printer, hub, &device_id, args, false).await },
    )
    .await?;
    report.finish(printer, Waited::summary)
}

// ---------------------------------------------------------------------------------------------
// cancel

/// What `ops cancel` did on one device.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Cancelled {
    /// Always `cancelled` (the other outcomes are errors with their own exit code).
    outcome: &'static str,
    /// The final envelope the agent answered with.
    operation: OperationStatus,
}

async fn cancel_one<H: Hub>(
    hub: &H,
    device_id: &str,
    id: &OperationId,
    timeouts: Timeouts,
) -> Result<Cancelled, CliError> {
    let twin = agent_twin(hub, device_id).await?;
    support::check_method(&twin, Method::OperationsCancel).map_err(|r| refusal(device_id, &r))?;
    let found =
        find_operation_anywhere(&twin, id.as_str()).map_err(|e| malformed(device_id, &e))?;
    let now = Timestamp::now();
    if let Some((_, op)) = &found {
        if op.is_final() {
            return Err(CliError::new(
                Exit::Conflict,
                format!(
                    "operation {id} on device '{device_id}' already finished: {} {}; nothing was sent",
                    render::operation_summary(op),
                    time(op.finished_at, now)
                ),
            ));
        }
        if op.state == OperationState::Running {
            return Err(CliError::new(
                Exit::Conflict,
                format!(
                    "operation {id} ({}) on device '{device_id}' is running (started {}) and cannot be cancelled; nothing was sent",
                    op.op,
                    time(op.started_at, now)
                ),
            )
            .with_hint(format!(
                "only pending or postponed operations can be cancelled; follow it with `{}`",
                ops_wait_command(device_id, id.as_str())
            )));
        }
    }
    let call = Call::new(
        Request::OperationsCancel(CancelRequest {
            operation_id: id.clone(),
        }),
        timeouts,
    )
    .map_err(|e| CliError::usage(e.to_string()))?;
    let body = call
        .body_for(device_id)
        .map_err(|e| CliError::usage(e.to_string()))?;
    let answer = hub
        .invoke(device_id, &body)
        .await
        .map_err(|e| e.context(format!("device '{device_id}'")))?;
    let status = u16::try_from(answer.status).unwrap_or(500);
    let bad = |reason: String| {
        CliError::new(
            Exit::DeviceError,
            format!(
                "device '{device_id}' answered dm.operations.cancel in a way the dm contract does not allow: {reason}"
            ),
        )
    };
    match MethodReply::from_response(status, &answer.payload).map_err(|e| bad(e.to_string()))? {
        MethodReply::Done(value) => {
            let operation: OperationStatus =
                serde_json::from_value(value).map_err(|e| bad(e.to_string()))?;
            Ok(Cancelled {
                outcome: "cancelled",
                operation,
            })
        }
        MethodReply::Error { status, body } if body.code == error_code::NOT_FOUND => {
            Err(CliError::new(
                Exit::NotFound,
                format!(
                    "device '{device_id}' has no operation '{id}' ({status} {}: {})",
                    body.code, body.message
                ),
            )
            .with_hint(format!(
                "`dmctl ops list --device {device_id}` shows the operations it reports"
            )))
        }
        MethodReply::Error { status, body } => Err(device_error(
            device_id,
            Method::OperationsCancel,
            status,
            &body,
        )),
        MethodReply::Accepted(_) => Err(bad("202 for a method that answers at once".to_owned())),
    }
}

async fn cancel<H: Hub>(ctx: &Context, hub: &H, args: &OpsCancelArgs) -> Result<Exit, CliError> {
    let printer = &ctx.printer;
    let id = operation_id(&args.operation)?;
    let timeouts = Timeouts {
        response_secs: args.timeouts.response_timeout,
        connect_secs: args.timeouts.connect_timeout,
    };
    let devices = resolve(hub, &args.target).await?;
    let id = &id;
    if let (Some(_), [device_id]) = (args.target.single(), devices.as_slice()) {
        let cancelled = cancel_one(hub, device_id, id, timeouts).await?;
        if printer.format() == OutputFormat::Table {
            show(
                printer,
                &render::operation_view(&cancelled.operation, Timestamp::now()),
            )?;
            printer.info(format!("{device_id}: operation {id} cancelled"));
        } else {
            print_json(printer, device_id, &cancelled)?;
        }
        return Ok(Exit::Ok);
    }
    let report = run_fleet(
        printer,
        devices,
        usize::from(args.target.concurrency),
        |device_id| async move { cancel_one(hub, &device_id, id, timeouts).await },
    )
    .await?;
    report.finish(printer, |c| format!("{} ({})", c.outcome, c.operation.op))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_section_is_listed_oldest_first_with_its_section() {
        let twin = json!({"properties": {"reported": {"dm": {
            "reboot": {"operations": {
                "r2": {"id": "r2", "op": "dm.reboot", "state": "pending", "requestedAt": "2025-03-01T10:05:00Z"}
            }},
            "apps": {"managed": [], "operations": {
                "a1": {"id": "a1", "op": "dm.apps.install", "state": "failed", "requestedAt": "2025-03-01T10:00:00Z",
                       "finishedAt": "2025-03-01T10:00:05Z", "error": {"code": "checksumMismatch", "message": "bad"}}
            }},
            "agent": {"version": "1"}
        }}}});
        let ops = operations(&twin).unwrap();
        let seen: Vec<(&str, Section)> = ops
            .iter()
            .map(|o| (o.operation.id.as_str(), o.section))
            .collect();
        assert_eq!(seen, [("a1", Section::Apps), ("r2", Section::Reboot)]);
        let as_json = serde_json::to_value(&ops).unwrap();
        assert_eq!(as_json[0]["section"], "apps");
        assert_eq!(as_json[0]["error"]["code"], "checksumMismatch");
        assert_eq!(as_json[1]["state"], "pending");
    }

    /// A hub with one device whose twin is fixed; it counts the methods sent.
    struct OneDevice {
        twin: Value,
        sent: std::sync::atomic::AtomicUsize,
    }

    impl Hub for OneDevice {
        async fn twin(&self, _: &str) -> Result<Value, CliError> {
            Ok(self.twin.clone())
        }

        async fn invoke(
            &self,
            _: &str,
            call: &iothub_model::CloudToDeviceMethod,
        ) -> Result<super::super::hub::DeviceAnswer, CliError> {
            self.sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            assert_eq!(call.method_name, "dm.operations.cancel");
            assert_eq!(call.payload, json!({"operationId": "r1"}));
            Ok(super::super::hub::DeviceAnswer {
                status: 200,
                payload: json!({"id": "r1", "op": "dm.reboot", "state": "rejected",
                    "requestedAt": "2025-03-01T10:00:00Z", "finishedAt": "2025-03-01T10:01:00Z",
                    "error": {"code": "cancelled", "message": "cancelled by dm.operations.cancel"}}),
            })
        }

        async fn patch_twin(&self, _: &str, _: &Value, _: Option<&str>) -> Result<Value, CliError> {
            Err(CliError::failure("ops never patches"))
        }

        async fn query_device_ids(&self, _: &str) -> Result<Vec<String>, CliError> {
            Ok(Vec::new())
        }

        async fn query(&self, _: &str) -> Result<Vec<Value>, CliError> {
            Ok(Vec::new())
        }

        async fn uploaded_blob(&self, _: &str) -> Result<Option<Vec<u8>>, CliError> {
            Ok(None)
        }
    }

    fn device_with(state: &str) -> OneDevice {
        let mut op = json!({"id": "r1", "op": "dm.reboot", "state": state,
            "requestedAt": "2025-03-01T10:00:00Z"});
        if state != "pending" {
            op["startedAt"] = json!("2025-03-01T10:00:01Z");
        }
        if state == "succeeded" {
            op["finishedAt"] = json!("2025-03-01T10:00:09Z");
        }
        OneDevice {
            twin: json!({"deviceId": "d1", "properties": {"reported": {"dm": {
                "agent": {"version": "0.1.0", "contractVersion": 1,
                          "methods": ["dm.reboot", "dm.operations.cancel"],
                          "sections": ["agent", "busy", "reboot"],
                          "providers": {"reboot": {"backend": "sandbox", "active": true}}},
                "reboot": {"operations": {"r1": op}}
            }}}}),
            sent: 0.into(),
        }
    }

    #[tokio::test]
    async fn only_pending_or_postponed_operations_are_sent_a_cancel() {
        let id = OperationId::new("r1").unwrap();
        for (state, says) in [("running", "is running"), ("succeeded", "already finished")] {
            let hub = device_with(state);
            let err = cancel_one(&hub, "d1", &id, Timeouts::default())
                .await
                .unwrap_err();
            assert_eq!(err.exit(), Exit::Conflict, "{state}");
            assert!(err.message().contains(says), "{state}: {err}");
            assert!(err.message().contains("nothing was sent"), "{state}: {err}");
            assert_eq!(hub.sent.load(std::sync::atomic::Ordering::SeqCst), 0);
        }
        let hub = device_with("pending");
        let cancelled = cancel_one(&hub, "d1", &id, Timeouts::default())
            .await
            .unwrap();
        assert_eq!(cancelled.operation.state, OperationState::Rejected);
        assert_eq!(hub.sent.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[test]
    fn unknown_sections_and_ids_are_usage_errors() {
        assert_eq!(section_arg("reboot").unwrap(), Section::Reboot);
        let err = section_arg("busy").unwrap_err();
        assert_eq!(err.exit(), Exit::Usage);
        assert!(err.message().contains("apps"), "{}", err.message());
        assert_eq!(operation_id("a.b").unwrap_err().exit(), Exit::Usage);
    }
}
