//! `dmctl wait --target "WHERE ..." --until "CONDITION"`: until every targeted device
//! satisfies a condition, or the timeout.
//!
//! The hub does the counting, so the condition means what it means on the real service and a
//! poll costs two `COUNT()` queries however large the fleet: the devices matching the target,
//! and those matching the target *and* the condition
//! (`SELECT COUNT() FROM devices WHERE (target) AND (until)`). The devices still missing are the
//! difference. The target is counted again at every poll because it moves: a device that joins
//! it while dmctl waits (a tag written by someone else, a device created) must be waited for
//! too, and one that leaves it no longer holds the count up. (`NOT (until)` cannot be counted directly: in the IoT Hub query language a
//! comparison with a missing property is undefined, and `NOT` of undefined selects nothing, so a
//! device that has not reported at all would look done.) Polls back off from one second to
//! fifteen while nothing changes and start again quickly when the count moves; a throttled
//! query (the client already honoured the hub's `Retry-After`) waits longer and goes on. Only
//! at the timeout are ids fetched, to name the stragglers.

use std::collections::HashSet;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use super::conjunction;
use crate::context::Context;
use crate::dm::hub::{Hub, ServiceHub};
use crate::exit::{CliError, Exit};
use crate::fleet::{bare_condition, check_condition};
use crate::printer::OutputFormat;

/// First and longest pause between polls.
const FIRST_POLL: Duration = Duration::from_secs(1);
const LONGEST_POLL: Duration = Duration::from_secs(15);

/// `dmctl wait` arguments.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  dmctl wait --target \"WHERE tags.site = 'plant-4'\" --until \"properties.reported.dm.apps.web.version = '2.1.0'\" --timeout 30m\n\nExit: 0 every targeted device satisfies the condition, 6 timed out (the stragglers are listed on stdout)."
)]
pub struct WaitArgs {
    /// The devices: an IoT Hub query condition ("WHERE ..." or a bare condition; "*" for all)
    #[arg(long, value_name = "CONDITION")]
    pub target: String,
    /// The condition every targeted device must satisfy (evaluated by the hub)
    #[arg(long, value_name = "CONDITION")]
    pub until: String,
    /// Give up after this long (exit 6, listing the devices not there yet)
    #[arg(long, value_name = "DURATION", value_parser = crate::args::parse_duration, default_value = "10m")]
    pub timeout: Duration,
}

/// The outcome, for `-o json`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Waited {
    target: String,
    until: String,
    /// Devices in the target.
    targeted: u64,
    /// Devices not satisfying the condition at the end.
    remaining: u64,
    /// Their ids (only at a timeout).
    stragglers: Vec<String>,
    /// Queries sent while polling (the count of the target included).
    queries: u64,
}

/// The hub's answer to a `SELECT COUNT() AS n` query.
async fn count<H: Hub>(hub: &H, condition: &str) -> Result<u64, CliError> {
    let rows = hub
        .query(&format!("SELECT COUNT() AS n FROM devices{condition}"))
        .await?;
    Ok(rows
        .first()
        .and_then(|row| row.get("n"))
        .and_then(Value::as_u64)
        .unwrap_or(0))
}

/// Runs `dmctl wait`.
pub async fn run(ctx: &Context, args: &WaitArgs) -> Result<Exit, CliError> {
    check_condition(&args.target).map_err(|e| CliError::usage(format!("--target {e}")))?;
    check_condition(&args.until).map_err(|e| CliError::usage(format!("--until {e}")))?;
    let Some(until) = bare_condition(&args.until) else {
        return Err(CliError::usage(
            "--until needs a condition; \"*\" is always true",
        ));
    };
    let hub = ServiceHub::new(ctx.client()?.clone());
    let waited = poll(&hub, ctx, args, bare_condition(&args.target), until).await?;
    let printer = &ctx.printer;
    if printer.format() != OutputFormat::Table {
        printer.document(&waited)?;
    }
    if waited.remaining == 0 {
        printer.info(format!(
            "all {} targeted device{} satisfy {}",
            waited.targeted,
            if waited.targeted == 1 { "" } else { "s" },
            args.until.trim()
        ));
        return Ok(Exit::Ok);
    }
    if printer.format() == OutputFormat::Table {
        let mut table = printer.new_table(["DEVICE"]);
        for id in &waited.stragglers {
            table.add_row([id.clone()]);
        }
        printer.table(&table)?;
    }
    Err(CliError::new(
        Exit::TimedOut,
        format!(
            "timed out after {}: {} of {} targeted devices do not satisfy {}",
            humantime::format_duration(args.timeout),
            waited.remaining,
            waited.targeted,
            args.until.trim()
        ),
    )
    .with_hint(
        "the devices listed on stdout are not there yet; `dmctl twin diff DEVICE` shows why",
    ))
}

async fn poll<H: Hub>(
    hub: &H,
    ctx: &Context,
    args: &WaitArgs,
    target: Option<&str>,
    until: &str,
) -> Result<Waited, CliError> {
    let printer = &ctx.printer;
    let deadline = tokio::time::Instant::now() + args.timeout;
    let all = conjunction([target]);
    let both = conjunction([target, Some(until)]);
    let mut queries = 0;
    let mut pause = FIRST_POLL;
    let mut last: Option<(u64, u64)> = None;
    loop {
        queries += 2;
        let counted = match count(hub, &all).await {
            Ok(n) => count(hub, &both).await.map(|satisfied| (n, satisfied)),
            Err(e) => Err(e),
        };
        match counted {
            Ok((targeted, satisfied)) => {
                let remaining = targeted.saturating_sub(satisfied);
                if last != Some((remaining, targeted)) {
                    printer.info(format!(
                        "{remaining} of {targeted} device{} not yet satisfying the condition",
                        if targeted == 1 { "" } else { "s" }
                    ));
                    if last.is_some() {
                        pause = FIRST_POLL;
                    }
                    last = Some((remaining, targeted));
                }
                if remaining == 0 {
                    return Ok(Waited {
                        target: args.target.clone(),
                        until: args.until.clone(),
                        targeted,
                        remaining,
                        stragglers: Vec::new(),
                        queries,
                    });
                }
            }
            Err(e) if e.exit() == Exit::Throttled => {
                printer.detail(format!(
                    "throttled by the hub; polling less often: {}",
                    e.message()
                ));
                pause = LONGEST_POLL;
            }
            Err(e) => return Err(e),
        }
        let now = tokio::time::Instant::now();
        if now >= deadline {
            break;
        }
        tokio::time::sleep(pause.min(deadline - now)).await;
        pause = (pause * 3 / 2).min(LONGEST_POLL);
    }
    // The stragglers: the target's ids less those that satisfy the condition.
    let all = hub
        .query_device_ids(&format!("SELECT deviceId FROM devices{all}"))
        .await?;
    let done: HashSet<String> = hub
        .query_device_ids(&format!("SELECT deviceId FROM devices{both}"))
        .await?
        .into_iter()
        .collect();
    let stragglers: Vec<String> = all
        .iter()
        .filter(|id| !done.contains(*id))
        .cloned()
        .collect();
    Ok(Waited {
        target: args.target.clone(),
        until: args.until.clone(),
        targeted: all.len() as u64,
        remaining: stragglers.len() as u64,
        stragglers,
        queries: queries + 2,
    })
}
