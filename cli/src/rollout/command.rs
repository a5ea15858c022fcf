//! `dmctl rollout start|status|list|pause|resume|abort`.
//!
//! `start` decides everything before touching a device: the operation after `--` is parsed by
//! the same clap tree and built into the same [`Plan`] as the typed command (so every flag and
//! every contract rule applies), the target and success conditions are parsed as IoT Hub
//! queries, the window is parsed, the target is resolved and split into waves. Only then is the
//! plan saved and run.

use std::collections::HashMap;
use std::sync::Mutex;

use clap::Parser as _;
use jiff::Timestamp;
use serde_json::{Value, json};

use super::engine::{self, Control, Engine, Finish, Pacing};
use super::spec::{self, DeviceRecord, RolloutSpec, build_waves};
use super::store::{self, LocalRollout, Request, Status, Store};
use super::window::Window;
use crate::args::{Cli, Command, RolloutCommand, RolloutStartArgs, RolloutStatusArgs};
use crate::context::Context;
use crate::dm::exec::Plan;
use crate::dm::hub::{Hub, ServiceHub};
use crate::dm::plan::{Action, dry_request};
use crate::dm::via_job;
use crate::exit::{CliError, Exit};
use crate::fleet::{confirm_fleet, device_query};
use crate::printer::{OutputFormat, Printer};

/// The device id the operation after `--` is parsed with: typed commands require a target, a
/// rollout supplies its own.
const PLACEHOLDER: &str = "rollout-target-placeholder";

/// Global options that must come before `--`: after it they would silently change nothing.
const GLOBAL_FLAGS: &[&str] = &[
    "--hub",
    "--profile",
    "--ca-file",
    "--output",
    "-o",
    "--verbose",
    "-v",
    "--quiet",
    "-q",
    "--no-progress",
    "--yes",
    "-y",
];

/// Runs a `dmctl rollout` command.
pub async fn run(ctx: &Context, command: RolloutCommand) -> Result<Exit, CliError> {
    let store = Store::open_default()?;
    match command {
        RolloutCommand::Start(args) => start(ctx, &store, &args).await,
        RolloutCommand::Status(args) => status(ctx, &store, &args).await,
        RolloutCommand::List => list(&ctx.printer, &store),
        RolloutCommand::Pause(args) => pause_or_abort(ctx, &store, &args.name, Request::Pause),
        RolloutCommand::Abort(args) => pause_or_abort(ctx, &store, &args.name, Request::Abort),
        RolloutCommand::Resume(args) => resume(ctx, &store, &args.name).await,
    }
}

/// Parses and builds the typed command after `--`, exactly as `dmctl <command>` would.
pub fn parse_operation(tokens: &[String]) -> Result<Plan, CliError> {
    if let Some(flag) = tokens
        .iter()
        .find(|t| GLOBAL_FLAGS.contains(&t.split('=').next().unwrap_or(t)))
    {
        return Err(CliError::usage(format!(
            "{flag} after `--` would be part of the rolled-out command; put global options before `--`"
        )));
    }
    let mut argv = vec!["dmctl".to_owned()];
    argv.extend(tokens.iter().cloned());
    argv.extend(["--device".to_owned(), PLACEHOLDER.to_owned()]);
    let cli = Cli::try_parse_from(&argv).map_err(|e| {
        let text = e.to_string();
        let first = text
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ");
        CliError::usage(format!("the command after `--`: {first}"))
            .with_hint("it is a typed command without a target, e.g. `-- reboot` or `-- apps install NAME --url URL --sha256 HEX`; `dmctl help COMMAND` shows its flags")
    })?;
    if !cli.command.is_dm() || matches!(cli.command, Command::Simulate(_) | Command::Demo(_)) {
        return Err(CliError::usage(format!(
            "the command after `--` ({}) is not a typed device-management command",
            tokens.first().map_or("", String::as_str)
        ))
        .with_hint("rollouts run reboot, factory-reset, apps, updates, certs, time, wifi, logs, info, report-all and agent update"));
    }
    let plan = crate::dm::build::plan(cli.command)?;
    let target = &plan.target;
    if target.devices != [PLACEHOLDER] || target.devices_from.is_some() || target.query.is_some() {
        return Err(CliError::usage(
            "the command after `--` names devices; a rollout's devices come from --target",
        ));
    }
    if plan.dry_run {
        return Err(CliError::usage(
            "--dry-run goes before `--` (dmctl rollout start NAME --dry-run ... -- COMMAND)",
        ));
    }
    if plan.out.is_some() {
        return Err(CliError::usage(
            "--out cannot be used in a rollout: collect logs with `dmctl logs collect` instead",
        ));
    }
    if matches!(plan.action, Action::Read(_)) {
        return Err(CliError::usage(
            "the command after `--` only reads; a rollout changes devices",
        ));
    }
    if let Some(via) = &plan.via_job {
        // What one job payload cannot carry is refused now, not at the first wave.
        via_job::job_request(&plan, via, "rollout-check")?;
    }
    Ok(plan)
}

/// [`crate::fleet::check_condition`], naming the flag.
fn check_condition(flag: &str, condition: &str) -> Result<(), CliError> {
    crate::fleet::check_condition(condition).map_err(|e| CliError::usage(format!("{flag} {e}")))
}

fn parse_window(text: Option<&str>) -> Result<Option<Window>, CliError> {
    text.map(|w| {
        w.parse::<Window>()
            .map_err(|e| CliError::usage(format!("--window: {e}")))
    })
    .transpose()
}

async fn start(ctx: &Context, store: &Store, args: &RolloutStartArgs) -> Result<Exit, CliError> {
    let printer = &ctx.printer;
    spec::check_name(&args.name).map_err(CliError::usage)?;
    let plan = parse_operation(&args.operation)?;
    check_condition("--target", &args.target)?;
    if let Some(success) = &args.success {
        check_condition("--success", success)?;
    }
    let window = parse_window(args.window.as_deref())?;
    let hub = ServiceHub::new(ctx.client()?.clone());
    let mut devices = hub.query_device_ids(&device_query(&args.target)).await?;
    devices.sort();
    devices.dedup();
    if devices.is_empty() {
        return Err(CliError::new(
            Exit::NotFound,
            format!("--target \"{}\" matches no device", args.target),
        ));
    }
    let spec = RolloutSpec {
        name: args.name.clone(),
        target: args.target.clone(),
        operation: args.operation.clone(),
        waves: build_waves(&devices, args.canary, &args.waves, args.batch),
        bake_secs: args.bake.as_secs(),
        max_failures: args.max_failures,
        success: args.success.clone(),
        window: args.window.clone(),
        concurrency: args.concurrency,
        timeout_secs: args.timeout.as_secs().max(1),
    };
    let hash = spec.hash();
    if args.dry_run {
        print_dry_run(printer, &hub, &spec, &hash, &plan).await?;
        return Ok(Exit::Ok);
    }
    if let Some(local) = store.load(&spec.name)? {
        if local.hash != hash {
            return Err(CliError::new(
                Exit::Conflict,
                format!(
                    "a rollout named '{}' with another plan ({}) exists on this machine; this one is {hash}",
                    spec.name, local.hash
                ),
            )
            .with_hint(format!(
                "`dmctl rollout status {}` shows it; pick another name for a new rollout",
                spec.name
            )));
        }
        if local.status == Status::Aborted {
            return Err(aborted_error(&spec.name));
        }
        printer.info(format!(
            "rollout {}: same plan as before; resuming it",
            spec.name
        ));
    }
    if plan.action.is_disruptive() {
        confirm_fleet(
            printer,
            ctx.yes,
            spec.total(),
            &format!("roll out {}", plan.action.name()),
        )?;
    }
    audit(ctx, "start", &spec.name, &hash)?;
    let now = Timestamp::now();
    let local = LocalRollout {
        spec,
        hash,
        status: Status::Running,
        reason: None,
        wave: 1,
        created: now,
        updated: now,
    };
    execute(ctx, store, &hub, local, &plan, window).await
}

/// Appends a rollout action to the audit trail before it is taken. Pause, resume and abort may
/// run where no hub is configured (they write a local control file): the hub is then unknown.
fn audit(ctx: &Context, action: &str, name: &str, plan: &str) -> Result<(), CliError> {
    let hub = ctx
        .client()
        .map_or_else(|_| "unknown".to_owned(), |c| c.host_name().to_owned());
    crate::audit::AuditLog::new(crate::audit::default_path()?, &hub)
        .rollout_action(action, name, plan)
}

fn aborted_error(name: &str) -> CliError {
    CliError::usage(format!(
        "rollout '{name}' was aborted; an aborted rollout does not start again"
    ))
    .with_hint("start a new rollout under another name for the devices still to do")
}

fn busy_error(name: &str) -> CliError {
    CliError::new(
        Exit::Conflict,
        format!("rollout '{name}' is already running in another process"),
    )
    .with_hint(format!(
        "`dmctl rollout status {name}` follows it; `dmctl rollout pause|abort {name}` controls it"
    ))
}

/// Takes the lock, saves the plan and runs it; prints the final status.
async fn execute<H: Hub>(
    ctx: &Context,
    store: &Store,
    hub: &H,
    local: LocalRollout,
    plan: &Plan,
    window: Option<Window>,
) -> Result<Exit, CliError> {
    let name = local.spec.name.clone();
    let Some(_lock) = store.lock(&name)? else {
        return Err(busy_error(&name));
    };
    store.save(&local)?;
    store.set_request(&name, Request::Run)?;
    let spec = local.spec.clone();
    let control = FileControl {
        store,
        local: Mutex::new(local.clone()),
    };
    let engine = Engine {
        hub,
        printer: &ctx.printer,
        spec: &spec,
        hash: local.hash.clone(),
        plan,
        control: &control,
        window,
        pacing: Pacing::default(),
    };
    let finish = engine.run().await?;
    let records = engine::read_records(hub, &name).await?;
    let local = control
        .local
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    print_status(&ctx.printer, &name, Some(&local), &records, false)?;
    Ok(match finish {
        Finish::Completed { failed: 0 } => {
            ctx.printer.info(format!(
                "rollout {name}: completed, {} devices",
                spec.total()
            ));
            Exit::Ok
        }
        Finish::Completed { failed } => {
            ctx.printer.info(format!(
                "rollout {name}: completed; {failed} of {} devices failed (within --max-failures {})",
                spec.total(),
                spec.max_failures
            ));
            Exit::PartialFailure
        }
        Finish::Stopped(reason) => {
            return Err(CliError::new(
                Exit::PartialFailure,
                format!("rollout {name} stopped: {reason}; the devices it had not reached were left untouched"),
            )
            .with_hint(format!(
                "`dmctl rollout status {name}` lists the failures and their reasons"
            )));
        }
        Finish::Aborted => {
            return Err(CliError::new(
                Exit::Failure,
                format!(
                    "rollout {name} aborted; the devices it had not reached were left untouched"
                ),
            ));
        }
    })
}

/// The running process's side of the control files.
struct FileControl<'a> {
    /// The store.
    store: &'a Store,
    /// The plan and status, saved on every change.
    local: Mutex<LocalRollout>,
}

impl Control for FileControl<'_> {
    fn request(&self) -> Result<Request, CliError> {
        let name = self
            .local
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .spec
            .name
            .clone();
        self.store.request(&name)
    }

    fn report(&self, status: Status, wave: usize, reason: Option<&str>) -> Result<(), CliError> {
        let mut local = self
            .local
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        local.status = status;
        local.wave = wave;
        local.reason = reason.map(str::to_owned);
        local.updated = Timestamp::now();
        self.store.save(&local)
    }
}

async fn resume(ctx: &Context, store: &Store, name: &str) -> Result<Exit, CliError> {
    let Some(local) = store.load(name)? else {
        return Err(store::not_found(name));
    };
    if local.status == Status::Aborted {
        return Err(aborted_error(name));
    }
    if store.is_running(name)? {
        audit(ctx, "resume", name, &local.hash)?;
        store.set_request(name, Request::Run)?;
        ctx.printer.info(format!(
            "rollout {name}: resumed; the process running it continues with the next wave"
        ));
        return Ok(Exit::Ok);
    }
    if local.spec.hash() != local.hash {
        return Err(CliError::failure(format!(
            "the saved plan of rollout '{name}' was changed after it started; refusing to resume it"
        )));
    }
    let plan = parse_operation(&local.spec.operation)?;
    let window = parse_window(local.spec.window.as_deref())?;
    let hub = ServiceHub::new(ctx.client()?.clone());
    audit(ctx, "resume", name, &local.hash)?;
    ctx.printer.info(format!(
        "rollout {name}: resuming from the devices' twin tags"
    ));
    execute(ctx, store, &hub, local, &plan, window).await
}

fn pause_or_abort(
    ctx: &Context,
    store: &Store,
    name: &str,
    request: Request,
) -> Result<Exit, CliError> {
    let Some(mut local) = store.load(name)? else {
        return Err(store::not_found(name));
    };
    if local.status.is_final() {
        ctx.printer.info(format!(
            "rollout {name} is already {}; nothing to do",
            local.status.name()
        ));
        return Ok(Exit::Ok);
    }
    let action = if request == Request::Abort {
        "abort"
    } else {
        "pause"
    };
    audit(ctx, action, name, &local.hash)?;
    store.set_request(name, request)?;
    let running = store.is_running(name)?;
    match request {
        Request::Pause if running => ctx.printer.info(format!(
            "rollout {name}: pausing; the wave in progress finishes, then it holds until `dmctl rollout resume {name}`"
        )),
        Request::Pause => {
            local.status = Status::Paused;
            local.reason = Some("paused while no process was running it".to_owned());
            local.updated = Timestamp::now();
            store.save(&local)?;
            ctx.printer.info(format!(
                "rollout {name}: paused (no process is running it; `dmctl rollout resume {name}` runs it)"
            ));
        }
        Request::Abort if running => ctx.printer.info(format!(
            "rollout {name}: aborting; no device is started from now on (operations already sent are followed to their end)"
        )),
        Request::Abort => {
            local.status = Status::Aborted;
            local.reason = Some("aborted by the operator".to_owned());
            local.updated = Timestamp::now();
            store.save(&local)?;
            ctx.printer.info(format!("rollout {name}: aborted"));
        }
        Request::Run => {}
    }
    Ok(Exit::Ok)
}

fn list(printer: &Printer, store: &Store) -> Result<Exit, CliError> {
    let rollouts = store.list()?;
    let mut rows = Vec::new();
    for local in &rollouts {
        let running = store.is_running(&local.spec.name)?;
        rows.push(json!({
            "name": local.spec.name,
            "status": status_name(local.status, running),
            "wave": local.wave,
            "waves": local.spec.waves.len(),
            "devices": local.spec.total(),
            "plan": local.hash,
            "updated": local.updated.to_string(),
        }));
    }
    printer.list(&rows, |rows| {
        let mut table = printer.new_table(["NAME", "STATUS", "WAVE", "DEVICES", "PLAN", "UPDATED"]);
        for row in rows {
            let text = |key: &str| match &row[key] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            table.add_row([
                text("name"),
                text("status"),
                format!("{}/{}", text("wave"), text("waves")),
                text("devices"),
                text("plan"),
                text("updated"),
            ]);
        }
        table
    })?;
    if rollouts.is_empty() {
        printer.info("no rollouts on this machine");
    }
    Ok(Exit::Ok)
}

/// The status shown: a `running` status whose process is gone is `interrupted`.
pub fn status_name(status: Status, running: bool) -> &'static str {
    match status {
        Status::Running | Status::Waiting | Status::Paused if !running => {
            if status == Status::Paused {
                "paused"
            } else {
                "interrupted"
            }
        }
        other => other.name(),
    }
}

async fn status(ctx: &Context, store: &Store, args: &RolloutStatusArgs) -> Result<Exit, CliError> {
    spec::check_name(&args.name).map_err(CliError::usage)?;
    let hub = ServiceHub::new(ctx.client()?.clone());
    loop {
        let local = store.load(&args.name)?;
        let records = engine::read_records(&hub, &args.name).await?;
        if local.is_none() && records.is_empty() {
            return Err(store::not_found(&args.name));
        }
        let running = store.is_running(&args.name)?;
        print_status(&ctx.printer, &args.name, local.as_ref(), &records, running)?;
        let done = !running && local.as_ref().is_none_or(|l| l.status.is_final());
        if !args.watch || done {
            return Ok(Exit::Ok);
        }
        tokio::time::sleep(args.interval).await;
    }
}

/// The exact call the plan sends to `device_id`, secrets redacted.
fn call_line(plan: &Plan, device_id: &str, twin: &Value) -> Result<Value, CliError> {
    let request =
        dry_request(&plan.action, device_id, twin).map_err(|e| CliError::usage(e.to_string()))?;
    serde_json::to_value(&request).map_err(|e| CliError::failure(format!("internal: {e}")))
}

fn print_status(
    printer: &Printer,
    name: &str,
    local: Option<&LocalRollout>,
    records: &HashMap<String, DeviceRecord>,
    running: bool,
) -> Result<(), CliError> {
    let (waves, failures) = engine::summarize(local.map(|l| &l.spec), records);
    let status = local.map_or("unknown (plan not on this machine)", |l| {
        status_name(l.status, running)
    });
    let next = waves.iter().find(|w| w.pending > 0 || w.sent > 0).map(|w| {
        format!(
            "wave {} ({} devices not finished)",
            w.wave,
            w.pending + w.sent
        )
    });
    let operation = local
        .and_then(|l| parse_operation(&l.spec.operation).ok())
        .map(|p| p.action.name());
    let plan_hash = local
        .map(|l| l.hash.clone())
        .or_else(|| records.values().next().map(|r| r.plan.clone()));
    let document = json!({
        "name": name,
        "status": status,
        "reason": local.and_then(|l| l.reason.clone()),
        "plan": plan_hash,
        "operation": operation,
        "target": local.map(|l| l.spec.target.clone()),
        "success": local.and_then(|l| l.spec.success.clone()),
        "maxFailures": local.map(|l| l.spec.max_failures.to_string()),
        "waves": waves,
        "failures": failures,
        "next": next,
    });
    match printer.format() {
        OutputFormat::Json => printer.json(&document)?,
        OutputFormat::Jsonl => printer.json_line(&document)?,
        OutputFormat::Table => {
            let text = |v: &Value| match v {
                Value::String(s) => s.clone(),
                Value::Null => "-".to_owned(),
                other => other.to_string(),
            };
            let fields = [
                "name",
                "status",
                "reason",
                "plan",
                "operation",
                "target",
                "success",
                "maxFailures",
                "next",
            ];
            let table = printer.fields_table(
                fields
                    .iter()
                    .filter(|f| !document[**f].is_null())
                    .map(|f| (*f, text(&document[*f]))),
            );
            printer.table(&table)?;
            printer.line("")?;
            let mut table =
                printer.new_table(["WAVE", "DEVICES", "PENDING", "SENT", "SUCCEEDED", "FAILED"]);
            for w in &waves {
                table.add_row([
                    w.wave.to_string(),
                    w.devices.to_string(),
                    w.pending.to_string(),
                    w.sent.to_string(),
                    w.succeeded.to_string(),
                    w.failed.to_string(),
                ]);
            }
            printer.table(&table)?;
            if !failures.is_empty() {
                printer.line("")?;
                let mut table = printer.new_table(["FAILED DEVICE", "WAVE", "REASON"]);
                for f in &failures {
                    table.add_row([f.device_id.clone(), f.wave.to_string(), f.reason.clone()]);
                }
                printer.table(&table)?;
            }
        }
    }
    Ok(())
}

async fn print_dry_run<H: Hub>(
    printer: &Printer,
    hub: &H,
    spec: &RolloutSpec,
    hash: &str,
    plan: &Plan,
) -> Result<(), CliError> {
    let first = spec
        .waves
        .first()
        .and_then(|w| w.first())
        .cloned()
        .unwrap_or_default();
    // Changes computed from the current state (updates approve) need the device's twin.
    let twin = hub.twin(&first).await.unwrap_or(Value::Null);
    let (request, line) = match &plan.via_job {
        // Each wave is one job (or more, for a long list of ids): the first wave's first job.
        Some(via) => {
            let mut job = via_job::job_request(plan, via, "JOB-ID")?;
            let ids = spec.waves.first().cloned().unwrap_or_default();
            let chunk = engine::id_chunks(&ids, engine::MAX_CONDITION_LEN)
                .into_iter()
                .next()
                .unwrap_or_default();
            job.query_condition = Some(crate::fleet::ids_condition(&chunk));
            job.max_execution_time_in_seconds = Some(spec.timeout_secs);
            let document = via_job::dry_job(plan, &job)?;
            let line = format!(
                "{} {} {}",
                document["method"].as_str().unwrap_or_default(),
                document["path"].as_str().unwrap_or_default(),
                document["body"]
            );
            (document, line)
        }
        None => (
            call_line(plan, &first, &twin)?,
            dry_request(&plan.action, &first, &twin)
                .map(|r| r.line())
                .unwrap_or_default(),
        ),
    };
    match printer.format() {
        OutputFormat::Json | OutputFormat::Jsonl => {
            let document = json!({
                "name": spec.name,
                "plan": hash,
                "devices": spec.total(),
                "maxFailures": spec.max_failures.to_string(),
                "success": spec.success,
                "window": spec.window,
                "bakeSeconds": spec.bake_secs,
                "timeoutSeconds": spec.timeout_secs,
                "waves": spec.waves.iter().enumerate().map(|(i, ids)| json!({
                    "wave": i + 1,
                    "devices": ids,
                })).collect::<Vec<_>>(),
                "request": request,
            });
            if printer.format() == OutputFormat::Json {
                printer.json(&document)?;
            } else {
                printer.json_line(&document)?;
            }
        }
        OutputFormat::Table => {
            let mut table = printer.new_table(["WAVE", "COUNT", "DEVICES"]);
            for (i, ids) in spec.waves.iter().enumerate() {
                table.add_row([(i + 1).to_string(), ids.len().to_string(), ids.join(", ")]);
            }
            printer.table(&table)?;
            printer.line("")?;
            printer.line(&line)?;
            printer.info(format!(
                "rollout {} (plan {hash}): {} devices in {} waves; {}; nothing was sent",
                spec.name,
                spec.total(),
                spec.waves.len(),
                if plan.via_job.is_some() {
                    "each wave is sent as the job above, with its own devices and a new job id"
                } else {
                    "each device gets the call above with its own id"
                }
            ));
        }
    }
    Ok(())
}
