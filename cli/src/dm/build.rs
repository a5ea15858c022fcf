//! From parsed arguments to a [`Plan`]: the dm-contract request or desired change each typed
//! command means, validated by the contract's own rules before anything is sent.

use std::time::Duration;

use dm_contract::{
    AgentUpdateRequest, AppControlRequest, AppInstallRequest, AppKind, AppListRequest,
    AppRemoveRequest, AppRequest, ArtifactUrl, CertInstallRequest, CertListRequest, CertRef,
    CertStore, ContractError, Delivery, DiagnosticsCollectRequest, EmptyRequest,
    FactoryResetRequest, RebootRequest, RebootSchedule, Request, Secret, Section, TimeDesired,
    TimeOfDay, UpdatePolicy, UpdatesInstallRequest, Validate, WifiAddRequest, WifiRemoveRequest,
    WifiSecurity, check,
};
use iothub_model::method::{
    MAX_CONNECT_TIMEOUT_SECS, MAX_RESPONSE_TIMEOUT_SECS, MIN_RESPONSE_TIMEOUT_SECS,
};
use jiff::{Timestamp, ToSpan as _, Zoned};
use serde_json::{Value, json};

use super::args::{
    AgentCommand, AppKindArg, AppsCommand, BusyCommand, CallTimeouts, CertsCommand, DmTarget,
    LogsCommand, PolicyArg, RebootCommand, RebootNowArgs, RebootScheduleArgs, SecurityArg,
    StoreArg, TimeCommand, UpdatesCommand, WaitOptions, WifiCommand,
};
use super::exec::{Plan, ViaJob};
use super::plan::{Action, Call, DesiredChange, Timeouts};
use super::prompt;
use crate::args::Command;
use crate::exit::CliError;

/// The plan of a typed command (everything but `simulate` and `demo`).
pub fn plan(command: Command) -> Result<Plan, CliError> {
    match command {
        Command::Reboot(args) => match args.command {
            Some(RebootCommand::Schedule(schedule)) => reboot_schedule(schedule),
            None => reboot_now(args.now, Timestamp::now()),
        },
        Command::FactoryReset(args) => {
            let request = FactoryResetRequest {
                // Replaced by each target's own id when sent.
                confirm_device_id: first_device(&args.dm).unwrap_or_else(|| "device".to_owned()),
                clear_tpm: args.clear_tpm,
                wipe_data: args.wipe_data,
                force: args.disruption.force,
                postpone: args.disruption.postpone,
            };
            let mut plan = call(
                &args.dm,
                Request::FactoryReset(request),
                &args.timeouts,
                Some(&args.wait),
            )?;
            plan.confirm = args.confirm;
            Ok(plan)
        }
        Command::Apps(args) => apps(args.command),
        Command::Updates(args) => updates(args.command),
        Command::Certs(args) => certs(args.command),
        Command::Time(args) => match args.command {
            TimeCommand::Show(a) => {
                call(&a.dm, Request::TimeGet(EmptyRequest {}), &a.timeouts, None)
            }
            TimeCommand::Set(a) => {
                let desired = TimeDesired {
                    time_zone: a.time_zone,
                    ntp_servers: (!a.ntp.is_empty()).then_some(a.ntp),
                };
                desired.validate().map_err(invalid)?;
                Ok(desired_merge(
                    &a.dm,
                    Section::Time,
                    to_value(&desired)?,
                    &a.wait,
                ))
            }
        },
        Command::Wifi(args) => wifi(args.command),
        Command::Logs(args) => match args.command {
            LogsCommand::Collect(a) => {
                let since = a.since.map(|d| ago(Timestamp::now(), d)).transpose()?;
                let request = DiagnosticsCollectRequest {
                    journal: !a.no_journal,
                    units: a.units,
                    paths: a.paths,
                    since,
                    until: None,
                    max_bytes: a.max_bytes,
                    delivery: if a.upload {
                        Delivery::Upload
                    } else {
                        Delivery::Auto
                    },
                };
                let mut plan = call(
                    &a.dm,
                    Request::DiagnosticsCollect(request),
                    &a.timeouts,
                    Some(&a.wait),
                )?;
                // Logs asked for in a file are wanted now: follow an upload to its end.
                if a.out.is_some() && plan.wait.is_none() {
                    plan.wait = Some(a.wait.timeout);
                }
                plan.out = a.out;
                Ok(plan)
            }
        },
        Command::Info(args) => call(
            &args.call.dm,
            Request::InfoGet(EmptyRequest {}),
            &args.call.timeouts,
            None,
        ),
        Command::ReportAll(args) => call(
            &args.call.dm,
            Request::ReportAll(EmptyRequest {}),
            &args.call.timeouts,
            None,
        ),
        Command::Busy(args) => match args.command {
            BusyCommand::Show(a) => Ok(read(a.target, Section::Busy)),
        },
        Command::Agent(args) => match args.command {
            AgentCommand::Update(a) => {
                let request = AgentUpdateRequest {
                    url: ArtifactUrl::new(a.url),
                    sha256: a.sha256,
                    version: a.version,
                    allow_downgrade: a.allow_downgrade,
                    signature: a.signature.as_deref().map(read_signature).transpose()?,
                };
                call(
                    &a.dm,
                    Request::AgentUpdate(request),
                    &a.timeouts,
                    Some(&a.wait),
                )
            }
        },
        _ => Err(CliError::failure(
            "internal: not a typed device-management command",
        )),
    }
}

fn first_device(dm: &DmTarget) -> Option<String> {
    dm.target.devices.first().cloned()
}

/// `--signature FILE|STRING`: the text of a minisign `.minisig` file, given inline or as the
/// file's path. Checked here so a wrong file is a usage error before anything is sent.
fn read_signature(arg: &str) -> Result<String, CliError> {
    let text = if arg.starts_with("untrusted comment:") {
        arg.to_owned()
    } else {
        let path = arg.strip_prefix('@').unwrap_or(arg);
        let meta = std::fs::metadata(path).map_err(|e| {
            CliError::usage(format!(
                "--signature: cannot read `{path}` ({e}); give a minisign .minisig file or its text"
            ))
        })?;
        if meta.len() > check::MAX_SIGNATURE_LEN as u64 {
            return Err(CliError::usage(format!(
                "--signature: `{path}` is larger than {} bytes; is it a .minisig file?",
                check::MAX_SIGNATURE_LEN
            )));
        }
        std::fs::read_to_string(path).map_err(|e| {
            CliError::usage(format!(
                "--signature: cannot read `{path}` ({e}); give a minisign .minisig file or its text"
            ))
        })?
    };
    check::signature("signature", &text)
        .map_err(|e| CliError::usage(format!("--signature: {e}")).with_source(e))?;
    Ok(text)
}

/// A contract rule broken by the arguments: a usage error naming the wire field.
fn invalid(err: ContractError) -> CliError {
    CliError::usage(err.to_string()).with_source(err)
}

fn to_value<T: serde::Serialize>(value: &T) -> Result<Value, CliError> {
    serde_json::to_value(value).map_err(|e| CliError::failure(format!("internal: {e}")))
}

fn timeouts(t: &CallTimeouts) -> Timeouts {
    Timeouts {
        response_secs: t.response_timeout,
        connect_secs: t.connect_timeout,
    }
}

fn wait_of(wait: Option<&WaitOptions>) -> Option<Duration> {
    wait.filter(|w| w.wait).map(|w| w.timeout)
}

/// The hub refuses method timeouts outside its ranges; say so in terms of the flag.
fn check_seconds(flag: &str, value: u32, min: u32, max: u32) -> Result<(), CliError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(CliError::usage(format!(
            "{flag} {value} is out of range: the hub accepts {min} to {max} seconds"
        )))
    }
}

/// A method-call plan; checks the hub's timeout ranges and the request's contract rules.
fn call(
    dm: &DmTarget,
    request: Request,
    t: &CallTimeouts,
    wait: Option<&WaitOptions>,
) -> Result<Plan, CliError> {
    let t = timeouts(t);
    check_seconds(
        "--response-timeout",
        t.response_secs,
        MIN_RESPONSE_TIMEOUT_SECS,
        MAX_RESPONSE_TIMEOUT_SECS,
    )?;
    check_seconds(
        "--connect-timeout",
        t.connect_secs,
        0,
        MAX_CONNECT_TIMEOUT_SECS,
    )?;
    let call = Call::new(request, t).map_err(invalid)?;
    Ok(Plan {
        action: Action::Call(call),
        target: dm.target.clone(),
        dry_run: dm.dry_run,
        wait: wait_of(wait),
        confirm: None,
        out: None,
        via_job: via_job(dm),
    })
}

fn desired_merge(dm: &DmTarget, section: Section, value: Value, wait: &WaitOptions) -> Plan {
    desired(dm, DesiredChange::Merge { section, value }, wait)
}

fn desired(dm: &DmTarget, change: DesiredChange, wait: &WaitOptions) -> Plan {
    Plan {
        action: Action::Desired(change),
        target: dm.target.clone(),
        dry_run: dm.dry_run,
        wait: wait_of(Some(wait)),
        confirm: None,
        out: None,
        via_job: via_job(dm),
    }
}

fn via_job(dm: &DmTarget) -> Option<ViaJob> {
    dm.via_job.then_some(ViaJob { start: dm.start })
}

fn read(target: crate::fleet::TargetArgs, section: Section) -> Plan {
    Plan {
        action: Action::Read(section),
        target,
        dry_run: false,
        wait: None,
        confirm: None,
        out: None,
        via_job: None,
    }
}

/// `now - duration`, as an instant.
fn ago(now: Timestamp, duration: Duration) -> Result<Timestamp, CliError> {
    let span = jiff::SignedDuration::try_from(duration)
        .map_err(|_| CliError::usage("--since is too long ago"))?;
    now.checked_sub(span)
        .map_err(|_| CliError::usage("--since is too long ago"))
}

// ---------------------------------------------------------------------------------------------
// reboot

fn reboot_now(args: RebootNowArgs, now: Timestamp) -> Result<Plan, CliError> {
    let delay = match (&args.delay, &args.at) {
        (Some(delay), _) => Some(delay.as_secs()),
        (None, Some(at)) => Some(seconds_until(at, now)?),
        (None, None) => None,
    };
    let delay_seconds = delay
        .map(|secs| {
            u32::try_from(secs).map_err(|_| CliError::usage("the reboot delay is too long"))
        })
        .transpose()?;
    if let Some(secs) = delay_seconds
        && secs > dm_contract::MAX_REBOOT_DELAY_SECONDS
    {
        return Err(CliError::usage(format!(
            "a reboot can be delayed by at most 1 day (asked: {})",
            humantime::format_duration(Duration::from_secs(u64::from(secs)))
        ))
        .with_hint("for a later reboot use `dmctl reboot schedule --single TIME`"));
    }
    let request = RebootRequest {
        delay_seconds,
        reason: args.reason,
        force: args.disruption.force,
        postpone: args.disruption.postpone,
    };
    call(
        &args.dm,
        Request::Reboot(request),
        &args.timeouts,
        Some(&args.wait),
    )
}

/// Seconds from `now` until `--at TIME`: an RFC 3339 instant, or `HH:MM`, the next such time
/// of day in the operator's own time zone.
fn seconds_until(at: &str, now: Timestamp) -> Result<u64, CliError> {
    let when = if let Ok(instant) = at.parse::<Timestamp>() {
        instant
    } else if let Ok(time) = TimeOfDay::parse("--at", at) {
        next_local(&now.to_zoned(jiff::tz::TimeZone::system()), time)?
    } else {
        return Err(CliError::usage(format!(
            "--at '{at}' is neither an RFC 3339 time (2025-03-01T02:00:00Z) nor HH:MM"
        )));
    };
    let secs = when.as_second() - now.as_second();
    if secs <= 0 {
        return Err(CliError::usage(format!("--at {when} is in the past")));
    }
    Ok(secs.unsigned_abs())
}

/// The next instant after `now` whose local time of day is `time`.
fn next_local(now: &Zoned, time: TimeOfDay) -> Result<Timestamp, CliError> {
    let civil = now.date().at(
        i8::try_from(time.hour()).unwrap_or(0),
        i8::try_from(time.minute()).unwrap_or(0),
        0,
        0,
    );
    let bad = |e: jiff::Error| CliError::usage(format!("--at {time}: {e}"));
    let today = civil.to_zoned(now.time_zone().clone()).map_err(bad)?;
    if today.timestamp() > now.timestamp() {
        return Ok(today.timestamp());
    }
    let tomorrow = today.checked_add(1.day()).map_err(bad)?;
    Ok(tomorrow.timestamp())
}

fn reboot_schedule(args: RebootScheduleArgs) -> Result<Plan, CliError> {
    let value = if args.clear {
        json!({ "schedule": null })
    } else {
        let daily = args
            .daily
            .as_deref()
            .map(|d| TimeOfDay::parse("schedule.daily", d))
            .transpose()
            .map_err(invalid)?;
        let schedule = RebootSchedule {
            single: args.single,
            daily,
            time_zone: args.time_zone,
        };
        schedule
            .validate()
            .map_err(|e| invalid(e.within("schedule")))?;
        // The schedule becomes exactly what was given: absent parts are cleared (a merge patch
        // would otherwise keep an old daily time next to a new single one).
        json!({ "schedule": {
            "single": schedule.single,
            "daily": schedule.daily,
            "timeZone": schedule.time_zone,
        }})
    };
    Ok(desired_merge(&args.dm, Section::Reboot, value, &args.wait))
}

// ---------------------------------------------------------------------------------------------
// apps

fn apps(command: AppsCommand) -> Result<Plan, CliError> {
    match command {
        AppsCommand::List(a) => {
            let request = AppListRequest {
                kind: a.kind.map(|k| match k {
                    AppKindArg::Unit => AppKind::Unit,
                    AppKindArg::Package => AppKind::Package,
                }),
                filter: a.filter,
                limit: a.limit,
            };
            call(&a.dm, Request::AppsList(request), &a.timeouts, None)
        }
        AppsCommand::Install(a) => {
            let request = AppInstallRequest {
                name: a.name,
                url: ArtifactUrl::new(a.url),
                sha256: a.sha256,
                version: a.version,
                enable: !a.no_enable,
                start: !a.no_start,
                allow_downgrade: a.allow_downgrade,
                signature: a.signature.as_deref().map(read_signature).transpose()?,
            };
            call(
                &a.dm,
                Request::AppsInstall(request),
                &a.timeouts,
                Some(&a.wait),
            )
        }
        AppsCommand::Remove(a) => {
            let request = AppRemoveRequest {
                name: a.name,
                purge: a.purge,
                force: a.disruption.force,
                postpone: a.disruption.postpone,
            };
            call(
                &a.dm,
                Request::AppsRemove(request),
                &a.timeouts,
                Some(&a.wait),
            )
        }
        AppsCommand::Start(a) => call(
            &a.dm,
            Request::AppsStart(AppRequest { name: a.name }),
            &a.timeouts,
            Some(&a.wait),
        ),
        AppsCommand::Enable(a) => call(
            &a.dm,
            Request::AppsEnable(AppRequest { name: a.name }),
            &a.timeouts,
            Some(&a.wait),
        ),
        AppsCommand::Disable(a) => call(
            &a.dm,
            Request::AppsDisable(AppRequest { name: a.name }),
            &a.timeouts,
            Some(&a.wait),
        ),
        AppsCommand::Stop(a) => {
            let request = AppControlRequest {
                name: a.name,
                force: a.disruption.force,
                postpone: a.disruption.postpone,
            };
            call(
                &a.dm,
                Request::AppsStop(request),
                &a.timeouts,
                Some(&a.wait),
            )
        }
        AppsCommand::Restart(a) => {
            let request = AppControlRequest {
                name: a.name,
                force: a.disruption.force,
                postpone: a.disruption.postpone,
            };
            call(
                &a.dm,
                Request::AppsRestart(request),
                &a.timeouts,
                Some(&a.wait),
            )
        }
    }
}

// ---------------------------------------------------------------------------------------------
// updates

fn updates(command: UpdatesCommand) -> Result<Plan, CliError> {
    match command {
        UpdatesCommand::Show(a) => Ok(read(a.target, Section::Updates)),
        UpdatesCommand::Policy(a) => {
            let policy = match a.policy {
                PolicyArg::Manual => UpdatePolicy::Manual,
                PolicyArg::ApprovedOnly => UpdatePolicy::ApprovedOnly,
                PolicyArg::Security => UpdatePolicy::Security,
                PolicyArg::Automatic => UpdatePolicy::Automatic,
            };
            Ok(desired_merge(
                &a.dm,
                Section::Updates,
                json!({ "policy": policy }),
                &a.wait,
            ))
        }
        UpdatesCommand::Approve(a) => {
            for (i, package) in a.packages.iter().enumerate() {
                check::package_spec(&format!("approved[{i}]"), package).map_err(invalid)?;
            }
            let change = DesiredChange::Approve {
                packages: a.packages,
                replace: a.replace,
            };
            Ok(desired(&a.dm, change, &a.wait))
        }
        UpdatesCommand::Scan(a) => call(
            &a.dm,
            Request::UpdatesScan(EmptyRequest {}),
            &a.timeouts,
            Some(&a.wait),
        ),
        UpdatesCommand::Install(a) => {
            let request = UpdatesInstallRequest {
                packages: a.packages,
                reboot_if_required: a.reboot_if_required,
                force: a.disruption.force,
                postpone: a.disruption.postpone,
            };
            call(
                &a.dm,
                Request::UpdatesInstall(request),
                &a.timeouts,
                Some(&a.wait),
            )
        }
    }
}

// ---------------------------------------------------------------------------------------------
// certs

fn store(arg: StoreArg) -> CertStore {
    match arg {
        StoreArg::Trust => CertStore::Trust,
        StoreArg::Client => CertStore::Client,
    }
}

fn certs(command: CertsCommand) -> Result<Plan, CliError> {
    match command {
        CertsCommand::List(a) => call(
            &a.dm,
            Request::CertificatesList(CertListRequest {
                store: a.store.map(store),
            }),
            &a.timeouts,
            None,
        ),
        CertsCommand::Install(a) => {
            let pem = a
                .pem
                .as_deref()
                .map(|path| prompt::read_secret(Some(path), "PEM", "--pem"))
                .transpose()?;
            let request = CertInstallRequest {
                store: store(a.store),
                url: a.url.map(ArtifactUrl::new),
                sha256: a.sha256,
                pem: pem.map(|p| Secret::new(format!("{}\n", p.expose()))),
                signature: a.signature.as_deref().map(read_signature).transpose()?,
            };
            call(
                &a.dm,
                Request::CertificatesInstall(request),
                &a.timeouts,
                Some(&a.wait),
            )
        }
        CertsCommand::Remove(a) => {
            let cert = cert_ref(&a.thumbprint, a.store)?;
            call(&a.dm, Request::CertificatesRemove(cert), &a.timeouts, None)
        }
        CertsCommand::Show(a) => {
            let cert = cert_ref(&a.thumbprint, a.store)?;
            call(&a.dm, Request::CertificatesShow(cert), &a.timeouts, None)
        }
    }
}

fn cert_ref(thumbprint: &str, store_arg: StoreArg) -> Result<CertRef, CliError> {
    let thumbprint = check::normalize_thumbprint("thumbprint", thumbprint).map_err(invalid)?;
    Ok(CertRef {
        store: store(store_arg),
        thumbprint,
    })
}

// ---------------------------------------------------------------------------------------------
// wifi

fn wifi(command: WifiCommand) -> Result<Plan, CliError> {
    match command {
        WifiCommand::List(a) => call(&a.dm, Request::WifiList(EmptyRequest {}), &a.timeouts, None),
        WifiCommand::Add(a) => {
            let security = match a.security {
                SecurityArg::Open => WifiSecurity::Open,
                SecurityArg::Wpa2Psk => WifiSecurity::Wpa2Psk,
                SecurityArg::Wpa3Sae => WifiSecurity::Wpa3Sae,
            };
            let passphrase = match (security, &a.passphrase_file) {
                (WifiSecurity::Open, None) => None,
                (_, source) => Some(prompt::read_secret(
                    source.as_deref(),
                    "passphrase",
                    "--passphrase-file",
                )?),
            };
            let request = WifiAddRequest {
                ssid: a.ssid,
                security,
                passphrase,
                hidden: a.hidden,
                auto_connect: !a.no_auto_connect,
                priority: a.priority,
            };
            call(&a.dm, Request::WifiAdd(request), &a.timeouts, None)
        }
        WifiCommand::Remove(a) => call(
            &a.dm,
            Request::WifiRemove(WifiRemoveRequest {
                id: a.id,
                ssid: a.ssid,
            }),
            &a.timeouts,
            None,
        ),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;
    use crate::args::Cli;

    fn plan_of(args: &[&str]) -> Result<Plan, CliError> {
        let cli = Cli::try_parse_from(std::iter::once("dmctl").chain(args.iter().copied()))
            .unwrap_or_else(|e| panic!("{args:?}: {e}"));
        plan(cli.command)
    }

    fn payload(plan: &Plan) -> Value {
        match &plan.action {
            Action::Call(call) => call.body_for("d1").unwrap().payload,
            other => panic!("not a call: {other:?}"),
        }
    }

    #[test]
    fn reboot_in_becomes_a_delay() {
        let plan = plan_of(&["reboot", "-d", "d1", "--in", "5m", "--reason", "kernel"]).unwrap();
        assert_eq!(
            payload(&plan),
            json!({"delaySeconds": 300, "reason": "kernel"})
        );
        assert_eq!(plan.wait, None);
        let plan = plan_of(&["reboot", "-d", "d1", "--wait", "--timeout", "2m"]).unwrap();
        assert_eq!(plan.wait, Some(Duration::from_secs(120)));
        assert_eq!(payload(&plan), json!({}));
    }

    #[test]
    fn reboot_delays_over_a_day_point_to_the_schedule() {
        let err = plan_of(&["reboot", "-d", "d1", "--in", "2d"]).unwrap_err();
        assert!(err.to_string().contains("at most 1 day"), "{err}");
        assert!(err.hint().unwrap().contains("reboot schedule"));
    }

    #[test]
    fn reboot_at_an_instant() {
        let now: Timestamp = "2025-03-01T10:00:00Z".parse().unwrap();
        assert_eq!(seconds_until("2025-03-01T10:05:00Z", now).unwrap(), 300);
        assert!(seconds_until("2025-03-01T09:00:00Z", now).is_err());
        assert!(seconds_until("tomorrow", now).is_err());
    }

    #[test]
    fn next_local_time_wraps_to_tomorrow() {
        let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
        let now = "2025-03-01T10:00:00Z"
            .parse::<Timestamp>()
            .unwrap()
            .to_zoned(tz);
        // 11:00 in Paris is 10:00 UTC: already passed at 10:00:00 UTC, so tomorrow.
        let at = next_local(&now, TimeOfDay::new(11, 0).unwrap()).unwrap();
        assert_eq!(at.to_string(), "2025-03-02T10:00:00Z");
        let at = next_local(&now, TimeOfDay::new(12, 30).unwrap()).unwrap();
        assert_eq!(at.to_string(), "2025-03-01T11:30:00Z");
    }

    #[test]
    fn force_and_postpone_cannot_be_combined() {
        assert!(
            Cli::try_parse_from(["dmctl", "reboot", "-d", "d1", "--force", "--postpone"]).is_err()
        );
    }

    #[test]
    fn schedule_sets_exactly_what_was_given() {
        let plan = plan_of(&[
            "reboot",
            "schedule",
            "-d",
            "d1",
            "--daily",
            "03:30",
            "--tz",
            "Europe/Paris",
        ])
        .unwrap();
        let Action::Desired(change) = &plan.action else {
            panic!()
        };
        assert_eq!(
            change.patch_for(&Value::Null),
            json!({"properties": {"desired": {"dm": {"reboot": {"schedule": {
                "single": null, "daily": "03:30", "timeZone": "Europe/Paris"}}}}}})
        );
        let plan = plan_of(&["reboot", "schedule", "-d", "d1", "--clear"]).unwrap();
        let Action::Desired(change) = &plan.action else {
            panic!()
        };
        assert_eq!(change.value_for(&Value::Null), json!({"schedule": null}));
        let err = plan_of(&["reboot", "schedule", "-d", "d1", "--daily", "3:30"]).unwrap_err();
        assert!(err.to_string().contains("schedule.daily"), "{err}");
        let err = plan_of(&[
            "reboot",
            "schedule",
            "-d",
            "d1",
            "--daily",
            "03:30",
            "--tz",
            "Paris France",
        ])
        .unwrap_err();
        assert!(err.to_string().contains("schedule.timeZone"), "{err}");
    }

    #[test]
    fn contract_rules_are_checked_before_sending() {
        let err = plan_of(&[
            "apps",
            "install",
            "plc",
            "-d",
            "d1",
            "--url",
            "ftp://x.example/a.deb",
            "--sha256",
            "00",
        ])
        .unwrap_err();
        assert!(err.to_string().starts_with("invalid `url`"), "{err}");
        let err = plan_of(&["apps", "start", "-d", "d1", "--", "-rf"]).unwrap_err();
        assert!(err.to_string().starts_with("invalid `name`"), "{err}");
        let err = plan_of(&["apps", "list", "-d", "d1", "--limit", "0"]).unwrap_err();
        assert!(err.to_string().contains("`limit`"), "{err}");
        // The hub's timeout range is checked while parsing, in the same words everywhere.
        let err = Cli::try_parse_from(["dmctl", "info", "-d", "d1", "--response-timeout", "1"])
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("must be between 5 and 300 seconds"),
            "{err}"
        );
    }

    #[test]
    fn thumbprints_are_normalized() {
        let colon = "AB:".repeat(31) + "AB";
        let plan = plan_of(&["certs", "show", &colon, "--store", "trust", "-d", "d1"]).unwrap();
        assert_eq!(payload(&plan)["thumbprint"], "ab".repeat(32));
    }

    #[test]
    fn time_set_patches_desired_time() {
        let plan = plan_of(&[
            "time",
            "set",
            "-d",
            "d1",
            "--tz",
            "Europe/Paris",
            "--ntp",
            "0.pool.ntp.org",
        ])
        .unwrap();
        let Action::Desired(change) = &plan.action else {
            panic!()
        };
        assert_eq!(
            change.value_for(&Value::Null),
            json!({"timeZone": "Europe/Paris", "ntpServers": ["0.pool.ntp.org"]})
        );
        assert!(plan_of(&["time", "set", "-d", "d1", "--ntp", "bad host!"]).is_err());
    }

    #[test]
    fn open_wifi_needs_no_passphrase_and_secured_reads_a_file() {
        let plan = plan_of(&["wifi", "add", "Cafe", "--security", "open", "-d", "d1"]).unwrap();
        assert_eq!(payload(&plan), json!({"ssid": "Cafe", "security": "open"}));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("psk");
        std::fs::write(&file, "correct horse battery\n").unwrap();
        let plan = plan_of(&[
            "wifi",
            "add",
            "Plant 4",
            "-d",
            "d1",
            "--passphrase-file",
            file.to_str().unwrap(),
            "--priority",
            "-5",
        ])
        .unwrap();
        let body = payload(&plan);
        assert_eq!(body["passphrase"], "correct horse battery");
        assert_eq!(body["priority"], -5);
    }

    #[test]
    fn logs_since_is_an_instant_in_the_past() {
        let now: Timestamp = "2025-03-01T10:00:00Z".parse().unwrap();
        assert_eq!(
            ago(now, Duration::from_secs(3600)).unwrap().to_string(),
            "2025-03-01T09:00:00Z"
        );
        let plan = plan_of(&[
            "logs",
            "collect",
            "-d",
            "d1",
            "--unit",
            "ssh.service",
            "--upload",
        ])
        .unwrap();
        assert_eq!(
            payload(&plan),
            json!({"units": ["ssh.service"], "delivery": "upload"})
        );
    }

    #[test]
    fn factory_reset_keeps_its_confirmation() {
        let plan = plan_of(&[
            "factory-reset",
            "-d",
            "d1",
            "--confirm",
            "d1",
            "--wipe-data",
            "--force",
        ])
        .unwrap();
        assert_eq!(plan.confirm.as_deref(), Some("d1"));
        assert_eq!(
            payload(&plan),
            json!({"confirmDeviceId": "d1", "wipeData": true, "force": true})
        );
    }

    #[test]
    fn updates_policy_and_approve() {
        let plan = plan_of(&["updates", "policy", "approved-only", "-d", "d1"]).unwrap();
        let Action::Desired(change) = &plan.action else {
            panic!()
        };
        assert_eq!(
            change.value_for(&Value::Null),
            json!({"policy": "approvedOnly"})
        );
        assert!(plan_of(&["updates", "approve", "bad name", "-d", "d1"]).is_err());
    }
}
