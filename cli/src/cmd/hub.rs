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

use iothub_emulator::{EmulatorError, Endpoint, HubConfig, Listeners};
use iothub_model::ErrorCode;
use serde_json::json;
use tokio::net::TcpListener;

use crate::args::{HubConnectionStringArgs, HubContainerSasArgs, HubLocation, HubServeArgs};
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

/// The host name `hub serve` uses when not told.
const DEFAULT_HOST: &str = "localhost";
/// The HTTPS port `hub serve` uses when not told (the SDKs' only port).
const DEFAULT_HTTPS_PORT: u16 = 443;
/// The MQTT port `hub serve` uses when not told (the SDKs' only port).
const DEFAULT_MQTT_PORT: u16 = 8883;

impl HubLocation {
    /// `--data-dir`, or the default under the user's data directory (under sudo, the invoking
    /// user's: see [`privileges`]).
    pub fn data_dir(&self) -> Result<PathBuf, CliError> {
        match &self.data_dir {
            Some(dir) => Ok(dir.clone()),
            None => match privileges::invoking_user()? {
                Some(user) => Ok(user.data_dir),
                None => config::default_data_dir(),
            },
        }
    }

    /// Where clients reach the hub in `data_dir`: the flags, else what the hub recorded when it
    /// started (`endpoint.json`), else the defaults `hub serve` uses.
    pub fn endpoint(&self, data_dir: &Path) -> Result<Endpoint, CliError> {
        let recorded = Endpoint::read(data_dir).map_err(|e| match e {
            EmulatorError::Io { error: source, .. }
                if source.kind() == io::ErrorKind::PermissionDenied =>
            {
                config::permission_denied(data_dir, source)
            }
            other => CliError::failure(format!("local hub in {}: {other}", data_dir.display()))
                .with_source(other),
        })?;
        Ok(Endpoint {
            host_name: self
                .hostname
                .clone()
                .or_else(|| recorded.as_ref().map(|r| r.host_name.clone()))
                .unwrap_or_else(|| DEFAULT_HOST.to_owned()),
            https_port: self
                .https_port
                .or(recorded.as_ref().map(|r| r.https_port))
                .unwrap_or(DEFAULT_HTTPS_PORT),
            mqtt_port: self
                .mqtt_port
                .or(recorded.as_ref().map(|r| r.mqtt_port))
                .unwrap_or(DEFAULT_MQTT_PORT),
        })
    }
}

/// The `HostName` service clients use for `endpoint`.
pub fn service_host(endpoint: &Endpoint) -> String {
    host_with_port(&endpoint.host_name, endpoint.https_port, DEFAULT_HTTPS_PORT)
}

/// The `GatewayHostName` devices use for MQTT at `endpoint`.
pub fn gateway_host(endpoint: &Endpoint) -> String {
    host_with_port(&endpoint.host_name, endpoint.mqtt_port, DEFAULT_MQTT_PORT)
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

/// Runs `dmctl hub serve` until Ctrl-C or SIGTERM.
///
/// Under sudo (to bind 443 and 8883) the hub binds its ports as root and then runs as the user
/// who invoked sudo, in that user's data directory, so `dmctl hub connection-string` works for
/// them afterwards without root and nothing in the directory belongs to root.
pub async fn serve(args: &HubServeArgs, printer: &Printer) -> Result<Exit, CliError> {
    let location = &args.location;
    let invoking = privileges::invoking_user()?;
    let data_dir = location.data_dir()?;
    let host = location
        .hostname
        .clone()
        .unwrap_or_else(|| DEFAULT_HOST.to_owned());
    let https_port = location.https_port.unwrap_or(DEFAULT_HTTPS_PORT);
    let mqtt_port = location.mqtt_port.unwrap_or(DEFAULT_MQTT_PORT);
    let mut config = HubConfig::new(&data_dir);
    config.hub_name.clone_from(&host);
    config.https_port = https_port;
    config.mqtt_port = mqtt_port;
    config.throttling = args.throttling;
    config.allow_insecure_permissions = args.allow_insecure_permissions;
    config.configuration_interval = args.configuration_interval;
    config.limits.max_connections = usize::try_from(args.max_connections).unwrap_or(usize::MAX);

    let shutdown = super::shutdown_signal()?;
    let https = bind(SocketAddr::new(args.bind, https_port), "HTTPS").await?;
    let mqtt = bind(SocketAddr::new(args.bind, mqtt_port), "MQTT").await?;
    if let Some(user) = &invoking {
        privileges::become_user(user)?;
        printer.info(format!(
            "ports bound as root; serving as {} (who ran sudo)",
            user.name
        ));
    }
    let https_port = https.local_addr().map_or(https_port, |a| a.port());
    let mqtt_port = mqtt.local_addr().map_or(mqtt_port, |a| a.port());
    // A directory the hub will refuse is refused before the banner says where it listens (as
    // the serving user: under sudo, after the switch). The hub checks again when it opens it.
    if !args.allow_insecure_permissions && data_dir.exists() {
        iothub_emulator::datadir::check_private(&data_dir, false)
            .map_err(|e| emulator_error(e, &data_dir))?;
    }

    printer.info(format!(
        "local IoT Hub: https://{} (REST, MQTT over WebSocket) and mqtts://{}",
        host_with_port(&host, https_port, DEFAULT_HTTPS_PORT),
        host_with_port(&host, mqtt_port, DEFAULT_MQTT_PORT),
    ));
    printer.info(format!(
        "data in {}; clients trust {}",
        data_dir.display(),
        data_dir.join("ca.pem").display()
    ));
    // The hub records its host name and ports in the data directory, so the command needs
    // nothing but the directory (and not even that when it is the default).
    let mut cs_command = "dmctl hub connection-string".to_owned();
    if location.data_dir.is_some() {
        let _ = write!(cs_command, " --data-dir {}", data_dir.display());
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
        EmulatorError::InsecurePermissions { path, .. } => {
            let hint = format!(
                "run `chmod 700 {}`, or start with --allow-insecure-permissions",
                path.display()
            );
            CliError::failure(e.to_string())
                .with_hint(hint)
                .with_source(e)
        }
        EmulatorError::Io { error: source, .. }
            if source.kind() == io::ErrorKind::PermissionDenied =>
        {
            CliError::failure(format!("permission denied: {e}"))
                .with_hint("the data directory belongs to another user; pass --data-dir DIR")
                .with_source(e)
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
    config::check_local_hub(&data_dir)?;
    let endpoint = location.endpoint(&data_dir)?;
    let cs = match &args.device {
        None => {
            config::local_hub_connection_string(&data_dir, &args.policy, &service_host(&endpoint))?
        }
        Some(device) => {
            iothub_model::validate_device_id(device)
                .map_err(|e| CliError::usage(format!("--device '{device}': {e}")))?;
            iothub_emulator::connection_string_for_device(
                &data_dir,
                device,
                args.create,
                &service_host(&endpoint),
                Some(&gateway_host(&endpoint)),
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

/// Runs `dmctl hub container-sas`: a SAS URI for a container of the local hub's storage, signed
/// from the data directory (no server needed), for import/export jobs and storage clients.
pub fn container_sas(args: &HubContainerSasArgs, printer: &Printer) -> Result<Exit, CliError> {
    let location = &args.location;
    let data_dir = location.data_dir()?;
    config::check_local_hub(&data_dir)?;
    let endpoint = location.endpoint(&data_dir)?;
    iothub_emulator::files::validate_container_name(&args.container)
        .map_err(|e| CliError::usage(format!("CONTAINER: {e}")))?;
    if args.permissions.is_empty() || !args.permissions.chars().all(|c| "racwdl".contains(c)) {
        return Err(CliError::usage(format!(
            "--permissions '{}': use letters of racwdl (read, add, create, write, delete, list)",
            args.permissions
        )));
    }
    if let Some(blob) = &args.blob {
        iothub_emulator::files::validate_blob_name(blob)
            .map_err(|e| CliError::usage(format!("--blob '{blob}': {e}")))?;
    }
    let uri = iothub_emulator::bulkio::container_sas_uri_for(
        &data_dir,
        &service_host(&endpoint),
        &args.container,
        &args.permissions,
        args.ttl,
    )
    .map_err(|e| emulator_error(e, &data_dir))?;
    let uri = match (&args.blob, uri.split_once('?')) {
        (Some(blob), Some((base, query))) => format!("{base}/{blob}?{query}"),
        _ => uri,
    };
    // Printing the SAS is this command's purpose; it goes to stdout only.
    match printer.format() {
        OutputFormat::Table => printer.line(&uri)?,
        format => {
            let value = json!({"uri": uri, "caFile": data_dir.join("ca.pem")});
            if format == OutputFormat::Json {
                printer.json(&value)?;
            } else {
                printer.json_line(&value)?;
            }
        }
    }
    Ok(Exit::Ok)
}

/// `hub serve` under sudo: the README runs `sudo dmctl hub serve` because the SDKs only dial
/// 443 and 8883, but a hub running as root would keep its keys in root's home (out of the
/// user's reach) and hold root for no reason after binding. So when root was started by sudo
/// for another user, the hub uses that user's data directory and becomes that user once its
/// ports are bound.
pub mod privileges {
    use std::path::PathBuf;

    use crate::exit::CliError;

    /// The user who ran sudo.
    #[derive(Debug, Clone)]
    pub struct InvokingUser {
        /// Their login name.
        pub name: String,
        /// Their user id.
        pub uid: u32,
        /// Their primary group id.
        pub gid: u32,
        /// Their default data directory for the local hub.
        pub data_dir: PathBuf,
    }

    /// The user who ran sudo, when this process is root started by sudo (`SUDO_UID`) for a
    /// user other than root; `None` otherwise.
    #[cfg(unix)]
    pub fn invoking_user() -> Result<Option<InvokingUser>, CliError> {
        use nix::unistd::{Uid, User, geteuid};
        if !geteuid().is_root() {
            return Ok(None);
        }
        let Some(uid) = std::env::var("SUDO_UID")
            .ok()
            .and_then(|v| v.trim().parse::<u32>().ok())
            .filter(|&uid| uid != 0)
        else {
            return Ok(None);
        };
        let user = User::from_uid(Uid::from_raw(uid))
            .map_err(|e| CliError::failure(format!("cannot look up SUDO_UID {uid}: {e}")))?
            .ok_or_else(|| {
                CliError::failure(format!("SUDO_UID {uid} names no user"))
                    .with_hint("pass --data-dir DIR")
            })?;
        // `sudo -E` keeps the user's own XDG_DATA_HOME; plain sudo drops it.
        let base = std::env::var_os("XDG_DATA_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .unwrap_or_else(|| user.dir.join(".local").join("share"));
        Ok(Some(InvokingUser {
            name: user.name,
            uid,
            gid: user.gid.as_raw(),
            data_dir: base.join("dmctl").join("hub"),
        }))
    }

    /// Not applicable off Unix.
    #[cfg(not(unix))]
    pub fn invoking_user() -> Result<Option<InvokingUser>, CliError> {
        Ok(None)
    }

    /// Drops root for `user`: their groups, their group, then their user id (in that order:
    /// once the user id is gone, the groups cannot change).
    #[cfg(unix)]
    pub fn become_user(user: &InvokingUser) -> Result<(), CliError> {
        use nix::unistd::{Gid, Uid, initgroups, setgid, setuid};
        let failed = |what: &str, e: nix::Error| {
            CliError::failure(format!("cannot switch to user {}: {what}: {e}", user.name))
        };
        let name = std::ffi::CString::new(user.name.clone())
            .map_err(|_| CliError::failure(format!("user name {:?} has a NUL", user.name)))?;
        let gid = Gid::from_raw(user.gid);
        initgroups(&name, gid).map_err(|e| failed("initgroups", e))?;
        setgid(gid).map_err(|e| failed("setgid", e))?;
        setuid(Uid::from_raw(user.uid)).map_err(|e| failed("setuid", e))?;
        Ok(())
    }

    /// Not applicable off Unix.
    #[cfg(not(unix))]
    pub fn become_user(_user: &InvokingUser) -> Result<(), CliError> {
        Ok(())
    }
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
