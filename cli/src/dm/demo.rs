//! `dmctl demo`: the whole system on one machine, in seconds, with no Azure account.
//!
//! It starts a local hub on ephemeral ports in a temporary directory, a few simulated devices
//! (real dm agents with sandbox providers), and a tiny HTTP server holding one app package, then
//! runs a short tour of real commands — the same `dmctl` binary, as a user would type them —
//! and shows their output. Everything it started is gone when it ends.
//!
//! The tour runs each step as a child `dmctl` process rather than calling functions: that is the
//! honest version of "what a user would see" (parsing, output and exit codes included), and the
//! connection string reaches the children through the environment, never their command line.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use iothub_emulator::{HubConfig, RunningHub};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use super::args::DemoArgs;
use super::simulation::{SimulateOptions, SimulatedDevices, Simulation};
use crate::context::Context;
use crate::env_vars;
use crate::exit::{CliError, Exit};
use crate::printer::{OutputFormat, Printer};

/// Device ids are `demo-1`, `demo-2`, ...
const PREFIX: &str = "demo-";
/// How long a simulated reboot keeps a device offline.
const REBOOT_DOWNTIME: Duration = Duration::from_secs(1);
/// How long the devices get to connect and report their manifests.
const READY_WITHIN: Duration = Duration::from_secs(30);
/// The app the tour installs.
const APP: &str = "hello-dm";
/// The package's file name on the artifact server.
const PACKAGE: &str = "hello-dm_1.0.0_all.deb";

/// Runs `dmctl demo`.
pub async fn run(ctx: &Context, args: &DemoArgs) -> Result<Exit, CliError> {
    let printer = &ctx.printer;
    let dir = tempfile::Builder::new()
        .prefix("dmctl-demo-")
        .tempdir()
        .map_err(|e| CliError::io("a temporary directory for the demo", e))?;
    printer.info("starting a local IoT Hub and simulated devices (nothing leaves this machine)");

    let hub = iothub_emulator::start(HubConfig::new(dir.path().join("hub")).ephemeral())
        .await
        .map_err(|e| {
            CliError::failure(format!("the local hub did not start: {e}")).with_source(e)
        })?;
    let result = tour(printer, &hub, dir.path(), args).await;
    if let Err(e) = hub.shutdown().await {
        printer.warn(format!("the local hub did not stop cleanly: {e}"));
    }
    result
}

async fn tour(
    printer: &Printer,
    hub: &RunningHub,
    dir: &Path,
    args: &DemoArgs,
) -> Result<Exit, CliError> {
    let service = hub
        .service_connection_string("iothubowner")
        .map_err(|e| CliError::failure(format!("local hub: {e}")))?;
    let ca_file = hub.ca_pem_path().to_path_buf();

    let (package_url, sha256, server) = serve_package(package_bytes()).await?;

    let mut options = SimulateOptions::new(
        SimulatedDevices::Service {
            connection_string: Box::new(service.clone()),
            count: usize::try_from(args.devices).unwrap_or(1),
            prefix: PREFIX.to_owned(),
            create: true,
        },
        dir.join("devices"),
    );
    options.ca_pem = Some(hub.ca_pem().into_bytes());
    options.gateway_host_name = Some(hub.gateway_host_name());
    options.reboot_downtime = REBOOT_DOWNTIME;
    // The demo serves its package over plain http on 127.0.0.1; its devices allow that, as a
    // device configured with `artifacts.allow_http = true` would.
    options.artifacts.allow_http = true;
    let simulation = Simulation::start(options).await?;
    let ready = wait_ready(hub, &service, &simulation).await;

    let result = match ready {
        Ok(()) => {
            let first = format!("{PREFIX}1");
            let steps: Vec<Vec<String>> = vec![
                words(&["device", "list"]),
                words(&["info", "--device", &first]),
                words(&[
                    "time",
                    "set",
                    "--device",
                    &first,
                    "--tz",
                    "Europe/Paris",
                    "--wait",
                ]),
                words(&[
                    "twin",
                    "diff",
                    "--device",
                    &first,
                    "--path",
                    "dm.time.timeZone",
                    "--all",
                ]),
                words(&["reboot", "--device", &first, "--reason", "demo", "--wait"]),
                words(&[
                    "apps",
                    "install",
                    APP,
                    "--device",
                    &first,
                    "--url",
                    &package_url,
                    "--sha256",
                    &sha256,
                    "--wait",
                ]),
                words(&["apps", "list", "--device", &first, "--filter", APP]),
                words(&["logs", "collect", "--device", &first, "--upload", "--wait"]),
                words(&["info", "--query", "*"]),
            ];
            run_steps(printer, &service.expose_secret(), &ca_file, &steps).await
        }
        Err(e) => Err(e),
    };
    simulation.stop().await;
    server.abort();
    if result.is_ok() {
        printer.info(
            "that was the tour; run your own hub with `dmctl hub serve` and devices with `dmctl simulate --create`",
        );
    }
    result.map(|()| Exit::Ok)
}

fn words(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Waits until every simulated device is connected and has reported its manifest, so the
/// first step does not race the agents' start-up.
async fn wait_ready(
    hub: &RunningHub,
    service: &iothub_auth::ConnectionString,
    simulation: &Simulation,
) -> Result<(), CliError> {
    let deadline = tokio::time::Instant::now() + READY_WITHIN;
    if !simulation.wait_connected(READY_WITHIN).await {
        return Err(CliError::new(
            Exit::TimedOut,
            format!(
                "only {} of {} simulated devices connected to the local hub",
                simulation.connected(),
                simulation.device_ids().len()
            ),
        ));
    }
    let client = iothub_client::ClientBuilder::from_parsed(service)
        .map_err(CliError::from)?
        .add_root_ca_pem(hub.ca_pem().as_bytes())
        .build()
        .map_err(CliError::from)?;
    for id in simulation.device_ids() {
        loop {
            let twin = client.get_twin(&id).await.map_err(CliError::from)?;
            let reported = twin.properties.reported.clone();
            let has_manifest = reported
                .get(dm_contract::NAMESPACE)
                .and_then(|dm| dm.get(dm_contract::SECTION_AGENT))
                .is_some_and(Value::is_object);
            if has_manifest {
                break;
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(CliError::new(
                    Exit::TimedOut,
                    format!("simulated device '{id}' did not report its agent manifest in time"),
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    Ok(())
}

/// Runs each step as `dmctl <step>`, showing the command first; stops at the first failure.
async fn run_steps(
    printer: &Printer,
    connection_string: &str,
    ca_file: &Path,
    steps: &[Vec<String>],
) -> Result<(), CliError> {
    let exe =
        std::env::current_exe().map_err(|e| CliError::io("the path of the dmctl executable", e))?;
    let format = match printer.format() {
        OutputFormat::Table => "table",
        OutputFormat::Json => "json",
        OutputFormat::Jsonl => "jsonl",
    };
    for step in steps {
        let shown = format!("$ dmctl {}", shell_words(step));
        // In JSON modes stdout belongs to the documents; the transcript goes to stderr.
        if printer.format() == OutputFormat::Table {
            printer.line("")?;
            printer.line(&shown)?;
        } else {
            printer.info(&shown);
        }
        let status = tokio::process::Command::new(&exe)
            .args(step)
            .args(["--output", format])
            .env(env_vars::IOTHUB_CONNECTION_STRING, connection_string)
            .env(env_vars::DMCTL_CA_FILE, ca_file)
            .env_remove(env_vars::DMCTL_PROFILE)
            .stdin(Stdio::null())
            .status()
            .await
            .map_err(|e| CliError::io(format!("running `{shown}`"), e))?;
        if !status.success() {
            let code = status.code().unwrap_or(1);
            let exit = Exit::ALL
                .into_iter()
                .find(|e| i32::from(e.code()) == code)
                .unwrap_or(Exit::Failure);
            return Err(CliError::new(
                exit,
                format!("the demo step `{shown}` failed (exit {code})"),
            ));
        }
    }
    Ok(())
}

/// A command line as a user would type it, quoting words a shell would split.
fn shell_words(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            if !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c))
            {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The demo's app package: a small, fixed file (the sandbox installs it by name; only its
/// SHA-256 matters to the protocol).
fn package_bytes() -> Vec<u8> {
    b"hello-dm 1.0.0: a demo package served by `dmctl demo` to its simulated devices\n".to_vec()
}

/// Serves `bytes` at `http://127.0.0.1:{port}/{PACKAGE}`; returns the URL, the bytes'
/// SHA-256 and the server task.
pub async fn serve_package(
    bytes: Vec<u8>,
) -> Result<(String, String, tokio::task::JoinHandle<()>), CliError> {
    let sha256 = Sha256::digest(&bytes)
        .iter()
        .fold(String::with_capacity(64), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        });
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .map_err(|e| CliError::io("the demo's package server", e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| CliError::io("the demo's package server", e))?;
    let app = axum::Router::new().route(
        &format!("/{PACKAGE}"),
        axum::routing::get(move || {
            let bytes = bytes.clone();
            async move { bytes }
        }),
    );
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((format!("http://{addr}/{PACKAGE}"), sha256, task))
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    use super::*;

    #[test]
    fn shown_commands_quote_what_a_shell_would_split() {
        assert_eq!(
            shell_words(&words(&["info", "--query", "*"])),
            "info --query '*'"
        );
        assert_eq!(
            shell_words(&words(&[
                "reboot",
                "--device",
                "demo-1",
                "--reason",
                "it's time"
            ])),
            r"reboot --device demo-1 --reason 'it'\''s time'"
        );
    }

    #[tokio::test]
    async fn the_package_server_serves_the_bytes_it_hashed() {
        let (url, sha256, task) = serve_package(b"abc".to_vec()).await.unwrap();
        assert_eq!(
            sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let port: u16 = url
            .trim_start_matches("http://127.0.0.1:")
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap();
        stream
            .write_all(
                format!("GET /{PACKAGE} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            )
            .await
            .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.ends_with("abc"), "{response}");
        task.abort();
    }
}
