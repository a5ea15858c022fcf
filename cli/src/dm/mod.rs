//! The typed device-management commands (reboot, factory-reset, apps, updates, certs, time,
//! wifi, logs, info, report-all, busy), `simulate` and `demo`.
//!
//! Raw method calls and twin patches already exist (`method invoke`, `twin patch`); these
//! commands exist because a typed command can do what a raw call cannot: check the request
//! against the dm contract before sending it, refuse an operation the device's agent does not
//! support, print the exact call with `--dry-run`, and follow the operation to its real outcome
//! with `--wait`. The flow is arguments → [`build::plan`] → [`exec::execute`] on every target.

pub mod args;
pub mod build;
pub mod demo;
pub mod exec;
pub mod hub;
pub mod ops;
pub mod plan;
pub mod prompt;
pub mod render;
pub mod simulate;
pub mod simulation;
pub mod support;
pub mod via_job;
pub mod wait;

use crate::args::Command;
use crate::context::Context;
use crate::exit::{CliError, Exit};

/// Runs one typed device-management command, `simulate` or `demo`.
pub async fn run(ctx: &Context, command: Command) -> Result<Exit, CliError> {
    match command {
        Command::Simulate(args) => simulate::run(ctx, &args).await,
        Command::Demo(args) => demo::run(ctx, &args).await,
        Command::Ops(command) => {
            let hub = hub::ServiceHub::new(ctx.client_for(command.target())?);
            ops::run(ctx, &hub, &command).await
        }
        command => {
            let plan = build::plan(command)?;
            let hub = hub::ServiceHub::new(ctx.client_for(&plan.target)?);
            // Boxed: a typed command's future is large (clippy::large_futures).
            Box::pin(exec::execute(ctx, &hub, &plan)).await
        }
    }
}
