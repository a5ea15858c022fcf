//! `dmctl hub serve` and `dmctl hub connection-string`: the local IoT Hub.
//!
//! `serve` wraps `iothub_emulator::run` with the things a person at a terminal needs: a
//! default data directory, readable start-up lines (where it listens, which CA to trust, how
//! to get a connection string) and a clean shutdown on Ctrl-C or SIGTERM. `connection-string`
//! reads the hub's store directly, so it works whether or not the server is running.

use std::fmt::Write as _;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use iothub_emulator::{EmulatorError, HubConfig, Listeners};
use iothub_model::ErrorCode;
use serde_json::json;
use tokio::net::TcpListener;

use crate::args::{HubConnectionStringArgs, HubLocation, HubServeArgs};
use crate::config;
use crate::exit::{CliError, Exit};
use crate::printer::{OutputFormat, Printer};

/// `host`, or `host:port` when `port` is not the protocol's default.
pub fn host_with_port(host: &str, port: u16, default: u16) -> String {
    if port == default {
        host.to_owned()
    } else {
        format!("{host}:{port}")
    }
}

impl HubLocation {
    /// `--data-dir`, or the default under the user's data directory.
    pub fn data_dir(&self) -> Result<PathBuf, CliError> {
        match &self.data_dir {
            Some(dir) => Ok(dir.clone()),
            None => config::default_data_dir(),
        }
    }

    /// The `HostName` service clients use.
    pub fn service_host(&self) -> String {
        host_with_port(&self.hostname, self.https_port, 443)
    }

    /// The `GatewayHostName` devices use for MQTT.
    pub fn gateway_host(&self) -> String {
        host_with_port(&self.hostname, self.mqtt_port, 8883)
    }
}

async fn bind(addr: SocketAddr, what: &str) -> Result<TcpListener, CliError> {
    TcpListener::bind(addr).await.map_err(|e| {
        let hint = match e.kind() {
            io::ErrorKind::PermissionDenied => Some(format!(
                "ports below 1024 need root or CAP_NET_BIND_SERVICE; pick another with --{}-port",
                what.to_lowercase()
            )),
            io::ErrorKind::AddrInUse => Some(format!(
                "another process listens on port {}; stop it or pick another with --{}-port",
                addr.port(),
                what.to_lowercase()
            )),
            _ => None,
        };
        let err = CliError::failure(format!("cannot listen for {what} on {addr}: {e}"));
        match hint {
            Some(hint) => err.with_hint(hint),
            None => err,
        }
        .with_source(e)
    })
}

/// Registers for Ctrl-C and SIGTERM now (so a signal that arrives while the hub starts is not
/// lost to the default action) and returns a future that resolves on either.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, CliError> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let register = |kind: SignalKind| {
            signal(kind).map_err(|e| {
                CliError::failure(format!("cannot install signal handlers: {e}")).with_source(e)
            })
        };
        let mut interrupt = register(SignalKind::interrupt())?;
        let mut terminate = register(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

/// Runs `dmctl hub serve` until Ctrl-C or SIGTERM.
pub async fn serve(args: &HubServeArgs, printer: &Printer) -> Result<Exit, CliError> {
    let location = &args.location;
    let data_dir = location.data_dir()?;
    let mut config = HubConfig::new(&data_dir);
    config.hub_name.clone_from(&location.hostname);
    config.https_port = location.https_port;
    config.mqtt_port = location.mqtt_port;
    config.throttling = args.throttling;

    let shutdown = shutdown_signal()?;
    let https = bind(SocketAddr::new(args.bind, location.https_port), "HTTPS").await?;
    let mqtt = bind(SocketAddr::new(args.bind, location.mqtt_port), "MQTT").await?;
    let https_port = https.local_addr().map_or(location.https_port, |a| a.port());
    let mqtt_port = mqtt.local_addr().map_or(location.mqtt_port, |a| a.port());
    let host = &location.hostname;

    printer.info(format!(
        "local IoT Hub: https://{} (REST, MQTT over WebSocket) and mqtts://{}",
        host_with_port(host, https_port, 443),
        host_with_port(host, mqtt_port, 8883),
    ));
    printer.info(format!(
        "data in {}; clients trust {}",
        data_dir.display(),
        data_dir.join("ca.pem").display()
    ));
    let mut cs_command = format!(
        "dmctl hub connection-string --data-dir {}",
        data_dir.display()
    );
    if https_port != 443 {
        let _ = write!(cs_command, " --https-port {https_port}");
    }
    if host != "localhost" {
        let _ = write!(cs_command, " --hostname {host}");
    }
    printer.info(format!("service connection string: `{cs_command}`"));
    printer.info("stop with Ctrl-C");

    iothub_emulator::run(Listeners { https, mqtt }, config, shutdown)
        .await
        .map_err(|e| emulator_error(e, &data_dir))?;
    printer.info("local IoT Hub stopped");
    Ok(Exit::Ok)
}

fn emulator_error(e: EmulatorError, data_dir: &Path) -> CliError {
    match &e {
        EmulatorError::Hub { code, message } | EmulatorError::Method { code, message, .. } => {
            let exit = Exit::for_hub_code(*code);
            let mut err = CliError::new(exit, message.clone());
            if *code == ErrorCode::DeviceNotFound {
                err = err.with_hint("pass --create to register it");
            }
            err.with_source(e)
        }
        _ => CliError::failure(format!("local hub in {}: {e}", data_dir.display())).with_source(e),
    }
}

/// Runs `dmctl hub connection-string`.
pub fn connection_string(
    args: &HubConnectionStringArgs,
    printer: &Printer,
) -> Result<Exit, CliError> {
    let location = &args.location;
    let data_dir = location.data_dir()?;
    let cs = match &args.device {
        None => {
            config::local_hub_connection_string(&data_dir, &args.policy, &location.service_host())?
        }
        Some(device) => {
            iothub_model::validate_device_id(device)
                .map_err(|e| CliError::usage(format!("--device '{device}': {e}")))?;
            if !data_dir.join("hub.db").is_file() {
                // Same message and hint as for a service string.
                config::local_hub_connection_string(&data_dir, &args.policy, "localhost")?;
            }
            iothub_emulator::connection_string_for_device(
                &data_dir,
                device,
                args.create,
                &location.service_host(),
                Some(&location.gateway_host()),
            )
            .map_err(|e| emulator_error(e, &data_dir).context(format!("device '{device}'")))?
        }
    };
    // Printing the secret is this command's purpose; it goes to stdout only.
    match printer.format() {
        OutputFormat::Table => printer.line(&cs.expose_secret())?,
        format => {
            let value = json!({
                "connectionString": cs.expose_secret(),
                "caFile": data_dir.join("ca.pem"),
            });
            if format == OutputFormat::Json {
                printer.json(&value)?;
            } else {
                printer.json_line(&value)?;
            }
        }
    }
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ports_are_left_out_of_host_names() {
        assert_eq!(host_with_port("localhost", 443, 443), "localhost");
        assert_eq!(host_with_port("localhost", 8443, 443), "localhost:8443");
        assert_eq!(host_with_port("hub.local", 8883, 8883), "hub.local");
    }
}
