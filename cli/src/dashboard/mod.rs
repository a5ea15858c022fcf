//! `dmctl dashboard`: the fleet in the terminal, fast on a large hub.
//!
//! The dashboard is a view over the same library calls as the commands, not a second client:
//! rows come from the projected fleet query `dmctl status` uses ([`fleet`]), read a page at a
//! time through [`source::FleetSource`]; actions are the typed commands' plans, sent through the
//! same [`Hub`](crate::dm::hub::Hub) seam ([`actions`]). The state is a pure [`model::Model`]
//! that keys and hub answers update, drawn by [`view`] and driven by [`app`], so views and
//! dialogs are tested with a fake hub and ratatui's test backend, and the binary end to end
//! through a pseudo-terminal.
//!
//! Screens: the fleet table, one device, and the rollouts with their waves ([`rollouts`]: the
//! records in `tags.dmRollouts` read with one projected query, joined with the plans stored on
//! this machine).

pub mod actions;
pub mod app;
pub mod fleet;
pub mod model;
pub mod rollouts;
pub mod source;
pub mod view;

#[cfg(test)]
mod tests;

use std::io::IsTerminal as _;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use crate::args::parse_duration;
use crate::context::Context;
use crate::dm::hub::ServiceHub;
use crate::env_vars;
use crate::exit::{CliError, Exit};

/// `dmctl dashboard`
#[derive(Debug, Clone, Args)]
pub struct DashboardArgs {
    /// Start filtered to the devices this query condition selects, e.g. "WHERE tags.site =
    /// 'lab'" (change it with `/`)
    #[arg(long, value_name = "WHERE ...")]
    pub target: Option<String>,
    /// How often the rows on screen (or the open device) are read again
    #[arg(long, default_value = "15s", value_parser = parse_duration, value_name = "DURATION")]
    pub interval: Duration,
    /// Queries per minute the dashboard may spend at most (one S1 unit allows 20 for every
    /// client of the hub together; each refresh costs 2)
    #[arg(long, default_value_t = 10, value_name = "N",
          value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub query_budget: u32,
    /// Devices read per query page (more are read as you scroll)
    #[arg(long, default_value_t = 200, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub page_size: u32,
}

/// Runs `dmctl dashboard`.
pub async fn run(ctx: &Context, args: &DashboardArgs) -> Result<Exit, CliError> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(CliError::usage("dmctl dashboard needs a terminal")
            .with_hint("for scripts and logs, `dmctl status` prints the same fleet view"));
    }
    let condition = args
        .target
        .as_deref()
        .and_then(crate::fleet::bare_condition)
        .map(str::to_owned);
    let hub = Arc::new(ServiceHub::new(ctx.client()?.clone()));
    let model = model::Model::new(condition, args.page_size, args.query_budget);
    let no_color = std::env::var_os(env_vars::NO_COLOR).is_some_and(|v| !v.is_empty());
    let theme = view::Theme { color: !no_color };
    app::run(hub, model, theme, args.interval).await?;
    Ok(Exit::Ok)
}
