//! `dmctl status`: the dashboard's fleet view without interaction, for scripts and for a terminal
//! left open.
//!
//! It reads the same projected query and `GROUP BY` counts as the dashboard
//! ([`crate::dashboard::fleet`]), prints one row per device (a table, one JSON document with the
//! counts, or JSON lines ending with a counts line) and exits 0 only when every targeted device
//! is connected and every desired dm section it has is in sync, so CI can gate a rollout on it.
//! Otherwise it exits 10, the code for "part of the fleet is not where it should be".

use std::time::Duration;

use clap::Args;
use serde::Serialize;
use serde_json::json;

use crate::args::parse_duration;
use crate::context::Context;
use crate::dashboard::fleet::{Compliance, ComplianceCounts, ConnectionCounts, FleetRow};
use crate::dashboard::source::read_fleet;
use crate::dm::hub::ServiceHub;
use crate::exit::{CliError, Exit};
use crate::printer::{OutputFormat, Printer, relative_time};

/// `dmctl status`
#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    /// Only the devices this query condition selects, e.g. "WHERE tags.site = 'lab'" (default:
    /// every device)
    #[arg(long, value_name = "WHERE ...")]
    pub target: Option<String>,
    /// Read and print again every --interval (redrawn in place on a terminal) until Ctrl-C
    #[arg(long)]
    pub watch: bool,
    /// How often --watch reads the fleet (each read costs two queries or more: one count, one
    /// per 1,000 devices)
    #[arg(long, default_value = "10s", value_parser = parse_duration, value_name = "DURATION",
          requires = "watch")]
    pub interval: Duration,
}

/// What the status of a fleet counts.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusCounts {
    /// Devices by connection state, counted by the hub (`GROUP BY connectionState`).
    #[serde(flatten)]
    pub connection: ConnectionCounts,
    /// Devices by their worst desired section.
    pub compliance: ComplianceCounts,
    /// Devices connected with every managed section in sync.
    pub healthy: u64,
    /// Devices that are not.
    pub unhealthy: u64,
}

impl StatusCounts {
    /// Counts `rows`, with the hub's connection counts.
    pub fn new(rows: &[FleetRow], connection: ConnectionCounts) -> Self {
        let healthy = rows.iter().filter(|r| r.healthy()).count() as u64;
        Self {
            connection,
            compliance: ComplianceCounts::of(rows),
            healthy,
            unhealthy: rows.len() as u64 - healthy,
        }
    }

    /// One line for people: `3 devices: 2 connected, 1 disconnected; 2 in sync, 1 pending`.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self
            .compliance
            .words()
            .into_iter()
            .map(|(n, word)| format!("{n} {word}"))
            .collect();
        let compliance = if parts.is_empty() {
            String::new()
        } else {
            format!("; {}", parts.join(", "))
        };
        format!(
            "{} device{}: {} connected, {} disconnected{compliance}",
            self.connection.total,
            if self.connection.total == 1 { "" } else { "s" },
            self.connection.connected,
            self.connection.disconnected,
        )
    }
}

/// Runs `dmctl status`.
pub async fn run(ctx: &Context, args: &StatusArgs) -> Result<Exit, CliError> {
    let condition = args
        .target
        .as_deref()
        .and_then(crate::fleet::bare_condition);
    // Empty, or a bare `WHERE`: a slip, not "every device" (that is `*`, or no --target).
    if args.target.as_deref().is_some_and(|t| t.trim() != "*") && condition.is_none() {
        return Err(CliError::usage("--target has no condition")
            .with_hint("give a query condition such as \"WHERE tags.site = 'lab'\", or leave --target out for every device"));
    }
    let hub = ServiceHub::new(ctx.client()?.clone());
    loop {
        let spinner = if args.watch {
            indicatif::ProgressBar::hidden()
        } else {
            ctx.printer.spinner("reading the fleet")
        };
        let read = read_fleet(&hub, condition).await;
        spinner.finish_and_clear();
        let (rows, connection, spent) = read.map_err(|e| match condition {
            Some(c) => e.context(format!("--target ({c})")),
            None => e,
        })?;
        let counts = StatusCounts::new(&rows, connection);
        if args.watch && ctx.printer.format() == OutputFormat::Table && ctx.printer.stdout_is_tty()
        {
            // Home and clear, so the table redraws in place.
            ctx.printer.raw(b"\x1b[H\x1b[2J")?;
        }
        print(&ctx.printer, &rows, &counts)?;
        ctx.printer.detail(format!("{spent} queries"));
        if !args.watch {
            if rows.is_empty() {
                ctx.printer.warn(match condition {
                    Some(c) => format!("no device matches {c}"),
                    None => "the hub has no devices".to_owned(),
                });
            }
            return Ok(if counts.unhealthy == 0 {
                Exit::Ok
            } else {
                Exit::PartialFailure
            });
        }
        tokio::time::sleep(args.interval).await;
    }
}

fn print(printer: &Printer, rows: &[FleetRow], counts: &StatusCounts) -> Result<(), CliError> {
    match printer.format() {
        OutputFormat::Json => printer.json(&json!({"counts": counts, "devices": rows}))?,
        OutputFormat::Jsonl => {
            for row in rows {
                printer.json_line(row)?;
            }
            printer.json_line(&json!({"counts": counts}))?;
        }
        OutputFormat::Table => {
            let mut table = printer.new_table([
                "DEVICE",
                "CONNECTION",
                "ACTIVITY",
                "AGENT",
                "BOOT",
                "RUNNING",
                "BUSY",
                "REBOOT",
                "UPDATES",
                "TIME",
            ]);
            for row in rows {
                table.add_row(cells(row));
            }
            printer.table(&table)?;
            printer.info(counts.summary());
        }
    }
    Ok(())
}

/// A device's table cells, in the order of the headers above.
fn cells(row: &FleetRow) -> Vec<String> {
    let time = |t: &Option<String>| {
        t.as_deref()
            .map_or_else(|| "never".to_owned(), relative_time)
    };
    let connection = match &row.connection_since {
        Some(since) => format!("{} {}", row.connection_state, relative_time(since)),
        None => row.connection_state.clone(),
    };
    let agent = match (&row.agent_version, row.contract_version) {
        (Some(v), Some(c)) => format!("{v} (v{c})"),
        (Some(v), None) => v.clone(),
        _ => "-".to_owned(),
    };
    let running = match row.running.as_slice() {
        [] => "-".to_owned(),
        [one] => format!("{} {}", one.op, one.state),
        many => format!("{} operations", many.len()),
    };
    let busy = match row.leases.as_slice() {
        [] => "-".to_owned(),
        [one] => one.holder.clone(),
        many => format!("{} leases", many.len()),
    };
    let section = |name: &str| {
        row.compliance
            .get(name)
            .map_or("-", |c: &Compliance| c.label())
            .to_owned()
    };
    vec![
        row.device_id.clone(),
        connection,
        time(&row.last_activity),
        agent,
        time(&row.last_boot),
        running,
        busy,
        section("reboot"),
        section("updates"),
        section("time"),
    ]
}
