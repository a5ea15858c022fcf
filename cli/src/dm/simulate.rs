//! `dmctl simulate`: a fleet of simulated devices, each a full dm agent in this process.
//!
//! Developing a back end, a dashboard or a fleet script against real agent behaviour should not
//! need real devices. Every simulated device is dm-agent itself (same dispatcher, same MQTT
//! connection) with sandbox providers acting inside a directory, so what `dmctl` sees is exactly
//! what a Linux device would answer; a reboot drops the device offline for a moment.

use std::path::PathBuf;
use std::time::Duration;

use dm_agent::DmError;
use dm_agent::simulate::{SimulateOptions, SimulatedDevices, Simulation};

use super::args::SimulateArgs;
use crate::context::Context;
use crate::exit::{CliError, Exit};

/// How long to wait for every device's first connection before saying so.
const CONNECT_WITHIN: Duration = Duration::from_secs(30);

/// Runs `dmctl simulate` until Ctrl-C (or SIGTERM).
pub async fn run(ctx: &Context, args: &SimulateArgs) -> Result<Exit, CliError> {
    let printer = &ctx.printer;
    let connection = ctx.connection()?;
    let count = usize::try_from(args.count).unwrap_or(usize::MAX);
    // Sandboxes live as long as the simulation; a temporary one goes away with it.
    let temp;
    let sandbox_root: PathBuf = if let Some(dir) = &args.sandbox_dir {
        dir.clone()
    } else {
        temp = tempfile::Builder::new()
            .prefix("dmctl-simulate-")
            .tempdir()
            .map_err(|e| CliError::io("a temporary sandbox directory", e))?;
        temp.path().to_path_buf()
    };
    let mut options = SimulateOptions::new(
        SimulatedDevices::Service {
            connection_string: Box::new(connection.connection_string.clone()),
            count,
            prefix: args.prefix.clone(),
            create: args.create,
        },
        &sandbox_root,
    );
    options.ca_pem = connection.ca_pem()?;
    options.gateway_host_name.clone_from(&args.gateway);
    options.failures.clone_from(&args.fail);
    options.artifacts.allow_http = args.allow_http_artifacts;
    options.artifacts.trusted_keys = args
        .trusted_keys
        .iter()
        .map(|key| {
            dm_agent::artifacts::TrustedKey::parse(key)
                .map_err(|reason| CliError::usage(format!("--trusted-key {reason}")))
        })
        .collect::<Result<_, _>>()?;

    let simulation = Simulation::start(options)
        .await
        .map_err(|e| simulate_error(e, &args.prefix))?;
    let ids = simulation.device_ids();
    printer.list(&ids, |ids| {
        let mut table = printer.new_table(["DEVICE"]);
        for id in ids {
            table.add_row([id.as_str()]);
        }
        table
    })?;
    if simulation.wait_connected(CONNECT_WITHIN).await {
        printer.info(format!(
            "{} simulated devices connected (sandboxes in {}); Ctrl-C stops them",
            ids.len(),
            sandbox_root.display()
        ));
    } else {
        printer.warn(format!(
            "{} of {} simulated devices connected so far; the others keep retrying (Ctrl-C stops them)",
            simulation.connected(),
            ids.len()
        ));
    }
    shutdown_signal().await;
    printer.info("stopping the simulated devices");
    simulation.stop().await;
    Ok(Exit::Ok)
}

/// Ctrl-C, or SIGTERM on Unix.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// A simulation failure in the user's terms.
pub fn simulate_error(err: DmError, prefix: &str) -> CliError {
    match err {
        DmError::Service { device, source } => {
            CliError::from(*source).context(format!("device '{device}'"))
        }
        DmError::NotFound(message) => CliError::new(Exit::NotFound, message).with_hint(format!(
            "pass --create to register the missing {prefix}N devices"
        )),
        DmError::Config(message) => CliError::usage(message),
        other => CliError::failure(other.to_string()).with_source(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulation_failures_get_the_exit_code_of_who_can_fix_them() {
        let missing = simulate_error(
            DmError::NotFound("device `sim-2` does not exist".into()),
            "sim-",
        );
        assert_eq!(missing.exit(), Exit::NotFound);
        assert_eq!(missing.message(), "device `sim-2` does not exist");
        assert!(
            missing
                .hint()
                .is_some_and(|h| h.contains("--create") && h.contains("sim-N"))
        );

        let bad_option = simulate_error(
            DmError::Config("the device count must be at least 1".into()),
            "sim-",
        );
        assert_eq!(bad_option.exit(), Exit::Usage);
        assert_eq!(bad_option.message(), "the device count must be at least 1");

        let one_device = simulate_error(
            DmError::Tls("the CA file is not PEM".into()).for_device("sim-1"),
            "sim-",
        );
        assert_eq!(one_device.exit(), Exit::Failure);
        assert_eq!(
            one_device.message(),
            "device `sim-1`: TLS: the CA file is not PEM"
        );
    }
}
