//! `dmctl simulate`: a fleet of simulated devices, each a full dm agent in this process.
//!
//! Developing a back end, a dashboard or a fleet script against real agent behaviour should not
//! need real devices. Every simulated device is dm-agent itself (same dispatcher, same MQTT
//! connection) with sandbox providers acting inside a directory, so what `dmctl` sees is exactly
//! what a Linux device would answer; a reboot drops the device offline for a moment.

use std::path::PathBuf;
use std::time::Duration;

use super::args::SimulateArgs;
use super::simulation::{SimulateOptions, SimulatedDevices, Simulation};
use crate::cmd::shutdown_signal;
use crate::context::Context;
use crate::exit::{CliError, Exit};

/// How long to wait for every device's first connection before saying so.
const CONNECT_WITHIN: Duration = Duration::from_secs(30);
/// How often start-up looks whether the devices reach something that is not MQTT.
const MISDIRECTED_POLL: Duration = Duration::from_millis(200);

/// Runs `dmctl simulate` until Ctrl-C (or SIGTERM).
pub async fn run(ctx: &Context, args: &SimulateArgs) -> Result<Exit, CliError> {
    // Signals are taken over first: a SIGTERM while the devices start must still remove the
    // temporary sandboxes, not kill the process with them left behind.
    let shutdown = shutdown_signal()?;
    tokio::pin!(shutdown);
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
    options.gateway_host_name = args
        .gateway
        .clone()
        .or_else(|| local_hub_gateway(connection));
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

    let simulation = tokio::select! {
        simulation = Simulation::start(options) => simulation?,
        () = &mut shutdown => return Ok(Exit::Interrupted),
    };
    let ids = simulation.device_ids();
    printer.list(&ids, |ids| {
        let mut table = printer.new_table(["DEVICE"]);
        for id in ids {
            table.add_row([id.as_str()]);
        }
        table
    })?;
    let started = tokio::select! {
        started = wait_started(&simulation) => Some(started),
        () = &mut shutdown => None,
    };
    let Some(started) = started else {
        printer.info("stopping the simulated devices");
        simulation.stop().await;
        return Ok(Exit::Ok);
    };
    match started {
        Started::Connected => printer.info(format!(
            "{} simulated devices connected (sandboxes in {}); Ctrl-C stops them",
            ids.len(),
            sandbox_root.display()
        )),
        Started::Partly => printer.warn(format!(
            "{} of {} simulated devices connected so far; the others keep retrying (Ctrl-C stops them)",
            simulation.connected(),
            ids.len()
        )),
        Started::Misdirected(why) => {
            simulation.stop().await;
            return Err(CliError::usage(why).with_hint(
                "pass the hub's MQTT port with --gateway HOST:PORT (a local hub: its --mqtt-port), or put GatewayHostName=HOST:PORT in the connection string",
            ));
        }
    }
    shutdown.await;
    printer.info("stopping the simulated devices");
    simulation.stop().await;
    Ok(Exit::Ok)
}

/// Where the devices of the local hub that the connection string names open MQTT, when the
/// string does not say (`GatewayHostName`): a policy string from `dmctl hub connection-string`
/// carries only the HTTPS endpoint (service clients would send HTTPS to a gateway), so the
/// README flow on other ports (`hub serve --https-port 18443 --mqtt-port 18883`) reads the MQTT
/// port the hub recorded in its data directory: the one holding the trusted CA file (a local
/// hub's `ca.pem`, also what a `--data-dir` profile uses), else the default one, when that hub
/// is the one the string names.
fn local_hub_gateway(connection: &crate::config::Connection) -> Option<String> {
    let host = &connection.connection_string.host_name;
    if connection.connection_string.gateway_host_name.is_some() {
        return None;
    }
    let beside_ca = connection
        .ca_file
        .as_deref()
        .and_then(std::path::Path::parent)
        .map(std::path::Path::to_path_buf);
    let candidates = beside_ca
        .into_iter()
        .chain(crate::config::default_data_dir().ok());
    for data_dir in candidates {
        let Ok(Some(endpoint)) = iothub_emulator::Endpoint::read(&data_dir) else {
            continue;
        };
        if !crate::cmd::hub::service_host(&endpoint).eq_ignore_ascii_case(host) {
            continue;
        }
        let gateway = crate::cmd::hub::gateway_host(&endpoint);
        if gateway == *host {
            return None;
        }
        tracing::info!(%gateway, data_dir = %data_dir.display(), "MQTT endpoint from the local hub's endpoint record");
        return Some(gateway);
    }
    None
}

/// How the devices' first connections went.
enum Started {
    /// All connected.
    Connected,
    /// Some did not within [`CONNECT_WITHIN`]; they keep retrying.
    Partly,
    /// The endpoint is not an MQTT one: retrying cannot help.
    Misdirected(String),
}

/// Waits for every device to connect, stopping early when the endpoint turns out not to speak
/// MQTT.
async fn wait_started(simulation: &Simulation) -> Started {
    let misdirected = async {
        loop {
            if let Some(why) = simulation.misdirected() {
                return why;
            }
            tokio::time::sleep(MISDIRECTED_POLL).await;
        }
    };
    tokio::select! {
        connected = simulation.wait_connected(CONNECT_WITHIN) => {
            if connected { Started::Connected } else { Started::Partly }
        }
        why = misdirected => Started::Misdirected(why),
    }
}
