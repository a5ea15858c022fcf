//! Shared test harness: the real `dmctl` binary, an in-process local hub on ephemeral ports,
//! simple MQTT devices that answer direct methods, and snapshot text with the unstable parts
//! (keys, ports, times, ids) filtered out.
//!
//! Every `dmctl` run gets a clean environment (no inherited connection string, profile or
//! config file), so a developer's own settings can never leak into a test.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;
use std::time::Duration;

use iothub_auth::ConnectionString;
use iothub_emulator::{HubConfig, RunningHub};
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS, TlsConfiguration, Transport};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use serde_json::Value;

/// Environment variables `dmctl` reads that must not come from the developer's shell.
const CLEARED_ENV: &[&str] = &[
    "IOTHUB_CONNECTION_STRING",
    "DMCTL_PROFILE",
    "DMCTL_CA_FILE",
    "DMCTL_OUTPUT",
    "DMCTL_LOG",
    "DMCTL_CONFIG",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "NO_COLOR",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    // Under `sudo cargo test`, `hub serve` would otherwise become the invoking user.
    "SUDO_UID",
    "SUDO_GID",
    "SUDO_USER",
];

/// A `dmctl` command with a clean environment and a private (empty) config directory.
pub struct Dmctl {
    /// The command being built.
    pub cmd: assert_cmd::Command,
    /// Private config directory (kept alive with the command).
    pub config_dir: Arc<tempfile::TempDir>,
}

/// A `dmctl` command with `args`, isolated from the developer's settings.
pub fn dmctl(args: &[&str]) -> Dmctl {
    dmctl_with_config(args, Arc::new(tempfile::tempdir().unwrap()))
}

/// Like [`dmctl`], sharing `config_dir` between runs (profile tests).
pub fn dmctl_with_config(args: &[&str], config_dir: Arc<tempfile::TempDir>) -> Dmctl {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_dmctl"));
    for var in CLEARED_ENV {
        cmd.env_remove(var);
    }
    cmd.env("XDG_CONFIG_HOME", config_dir.path());
    cmd.env("XDG_DATA_HOME", config_dir.path().join("data"));
    cmd.env("XDG_STATE_HOME", config_dir.path().join("state"));
    cmd.timeout(Duration::from_secs(120));
    cmd.args(args);
    Dmctl { cmd, config_dir }
}

impl Dmctl {
    /// Sets an environment variable for the run.
    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.env(key, value);
        self
    }

    /// Feeds `input` on stdin.
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.cmd.write_stdin(input);
        self
    }

    /// Runs and returns the raw output.
    pub fn output(mut self) -> Output {
        self.cmd.output().expect("dmctl runs")
    }

    /// Runs and returns the exit code, stdout and stderr.
    pub fn run(self) -> Run {
        Run::from(self.output())
    }
}

/// What one run produced.
#[derive(Debug)]
pub struct Run {
    /// The exit code (`-1` when killed by a signal).
    pub code: i32,
    /// stdout as text.
    pub stdout: String,
    /// stderr as text.
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// stdout parsed as one JSON document.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// stdout parsed as JSON lines.
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("line is not JSON ({e}): {line}"))
            })
            .collect()
    }

    /// Exit code, stdout and stderr as one text, for snapshots; `replace` pairs are applied
    /// first (exact strings such as temporary paths), then [`filters`] by the snapshot macro.
    pub fn snapshot_text(&self, replace: &[(&str, &str)]) -> String {
        let mut text = format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        for (from, to) in replace {
            if !from.is_empty() {
                text = text.replace(from, to);
            }
        }
        text
    }

    /// Asserts the exit code, showing the output when it differs.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "unexpected exit code\n--- stdout\n{}--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// Regex filters for everything that changes between runs.
pub fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"SharedAccessKey=[A-Za-z0-9+/=]+", "SharedAccessKey=[KEY]"),
        (
            r#""(primaryKey|secondaryKey)": "[^"]*""#,
            r#""$1": "[KEY]""#,
        ),
        (r"sig=[A-Za-z0-9%]+", "sig=[SIG]"),
        (r"se=\d+", "se=[EXPIRY]"),
        (r#""expiry": \d+"#, r#""expiry": [EXPIRY]"#),
        (r"localhost:\d+", "localhost:[PORT]"),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
        (r"--(https|mqtt)-port \d+", "--$1-port [PORT]"),
        (r#""(etag|deviceEtag)": "[^"]*""#, r#""$1": "[ETAG]""#),
        (r#""generationId": "[^"]*""#, r#""generationId": "[GEN]""#),
        (
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?",
            "[TIME]",
        ),
        (r"\b(just now|\d+[smhd] ago|in \d+[smhd])", "[AGO]"),
        (
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "[UUID]",
        ),
        (r"\(\d+(\.\d+)?m?s\)", "([ELAPSED])"),
        // Column widths follow the filtered values; keep the columns, not the exact spacing.
        (r"(\S)  +", "$1  "),
        (r"(?m) +$", ""),
    ]
}

/// Snapshots `$text` (from [`Run::snapshot_text`]) under `$name` with [`filters`].
#[macro_export]
macro_rules! snap {
    ($name:expr, $text:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        for (from, to) in $crate::support::filters() {
            settings.add_filter(from, to);
        }
        settings.bind(|| insta::assert_snapshot!($name, $text));
    }};
}

/// A local hub running in-process on ephemeral ports, with its own runtime and data directory.
pub struct Hub {
    /// Runs the hub and the test devices.
    pub runtime: tokio::runtime::Runtime,
    /// The running hub (stopped on drop).
    pub running: Option<RunningHub>,
    /// The data directory.
    pub dir: tempfile::TempDir,
    /// The owner policy's connection string.
    pub connection_string: String,
    /// `ca.pem`.
    pub ca_file: PathBuf,
}

impl Hub {
    /// Starts a hub.
    pub fn start() -> Self {
        Self::start_with(|_| {})
    }

    /// Starts a hub after `configure` adjusts its configuration.
    pub fn start_with(configure: impl FnOnce(&mut HubConfig)) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let test_support::LocalHub { hub, data: dir } =
            runtime.block_on(test_support::LocalHub::start_with(configure));
        let connection_string = hub
            .service_connection_string("iothubowner")
            .unwrap()
            .expose_secret();
        let ca_file = hub.ca_pem_path().to_path_buf();
        Self {
            runtime,
            running: Some(hub),
            dir,
            connection_string,
            ca_file,
        }
    }

    /// The running hub.
    pub fn hub(&self) -> &RunningHub {
        self.running.as_ref().expect("hub running")
    }

    /// `dmctl args` against this hub (connection string and CA from the environment).
    pub fn dmctl(&self, args: &[&str]) -> Dmctl {
        dmctl(args)
            .env("IOTHUB_CONNECTION_STRING", &self.connection_string)
            .env("DMCTL_CA_FILE", &self.ca_file)
    }

    /// `dmctl args` run in-process: parsed and run by the library exactly as the binary does,
    /// with the connection from this hub and the output captured instead of a process spawned
    /// (for tests that need neither the process nor its environment).
    pub fn dmctl_in_process(&self, args: &[&str]) -> Run {
        use dmctl::config::{ConnectionInputs, Origin};
        use dmctl::printer::{Printer, Verbosity};

        let argv = std::iter::once("dmctl").chain(args.iter().copied());
        let dmctl::parse::Parsed::Run(cli, _) = dmctl::parse::parse(argv.map(Into::into).collect())
        else {
            panic!("`dmctl {}` does not parse", args.join(" "));
        };
        let (printer, captured) = Printer::capturing(cli.global.output, Verbosity::Normal);
        let inputs = ConnectionInputs {
            hub: Some((self.connection_string.parse().unwrap(), Origin::Env)),
            ca_file: Some(self.ca_file.clone()),
            ..ConnectionInputs::default()
        };
        let ctx = dmctl::context::Context::new(printer, inputs, cli.global.yes);
        let code = match dmctl::run(&ctx, cli.command) {
            Ok(exit) => exit.code(),
            Err(err) => {
                ctx.printer.error(&err);
                err.exit().code()
            }
        };
        Run {
            code: i32::from(code),
            stdout: captured.stdout(),
            stderr: captured.stderr(),
        }
    }

    /// The real `dmctl` as a plain process (for tests that signal it), with the same clean
    /// environment as [`Hub::dmctl`] and its config and state under `home`.
    pub fn dmctl_process(&self, args: &[&str], home: &Path) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dmctl"));
        for var in CLEARED_ENV {
            cmd.env_remove(var);
        }
        cmd.env("XDG_CONFIG_HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("IOTHUB_CONNECTION_STRING", &self.connection_string)
            .env("DMCTL_CA_FILE", &self.ca_file)
            .args(args);
        cmd
    }

    /// The data directory as text (for replacing in snapshots).
    pub fn dir_text(&self) -> String {
        self.dir.path().display().to_string()
    }

    /// Registers `device_id` (through the hub's own store, not through dmctl).
    pub fn create_device(&self, device_id: &str) -> ConnectionString {
        self.hub()
            .device_connection_string(device_id, true)
            .expect("device registered")
    }

    /// Registers and connects a device whose methods are answered by `answer(name, payload)`
    /// with `(status, payload)`; `None` leaves the call unanswered (for timeouts).
    pub fn connect_device(
        &self,
        device_id: &str,
        answer: impl Fn(&str, &Value) -> Option<(i32, Value)> + Send + Sync + 'static,
    ) -> Device {
        let cs = self.create_device(device_id);
        let ca_pem = self.hub().ca_pem();
        let port = self.hub().mqtt_addr().port();
        let host = self.hub().host_name();
        self.runtime
            .block_on(Device::connect(cs, &host, port, &ca_pem, Arc::new(answer)))
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        if let Some(hub) = self.running.take() {
            let _ = self.runtime.block_on(hub.shutdown());
        }
    }
}

/// How a test device answers a method: `(name, payload) -> Some((status, payload))`.
pub type Answer = Arc<dyn Fn(&str, &Value) -> Option<(i32, Value)> + Send + Sync>;

/// A device connected over MQTT/TLS that answers direct methods and can report properties.
pub struct Device {
    /// The MQTT client.
    pub client: AsyncClient,
}

impl Device {
    async fn connect(
        cs: ConnectionString,
        host: &str,
        port: u16,
        ca_pem: &str,
        answer: Answer,
    ) -> Self {
        let device_id = cs.device_id.clone().expect("device string");
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
            roots.add(cert.unwrap()).unwrap();
        }
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        let mut opts = MqttOptions::new(device_id.clone(), "localhost", port);
        opts.set_transport(Transport::tls_with_config(TlsConfiguration::Rustls(
            Arc::new(tls),
        )));
        let token = cs.generate_token(iothub_auth::unix_now(), 3600).unwrap();
        opts.set_credentials(
            format!("{host}/{device_id}/?api-version=2021-04-12"),
            token.expose(),
        );
        opts.set_keep_alive(Duration::from_secs(60));
        let (client, mut eventloop) = AsyncClient::new(opts, 64);
        loop {
            match eventloop.poll().await {
                Ok(Event::Incoming(Packet::ConnAck(_))) => break,
                Ok(_) => {}
                Err(e) => panic!("device {device_id} could not connect: {e}"),
            }
        }
        for topic in ["$iothub/methods/POST/#", "$iothub/twin/res/#"] {
            client.subscribe(topic, QoS::AtLeastOnce).await.unwrap();
        }
        let (suback_tx, mut suback_rx) = tokio::sync::mpsc::unbounded_channel();
        let responder = client.clone();
        tokio::spawn(async move {
            loop {
                match eventloop.poll().await {
                    Ok(Event::Incoming(Packet::SubAck(_))) => {
                        let _ = suback_tx.send(());
                    }
                    Ok(Event::Incoming(Packet::Publish(p))) => {
                        let Some(rest) = p.topic.strip_prefix("$iothub/methods/POST/") else {
                            continue;
                        };
                        let (name, query) = rest.split_once("/?").unwrap_or((rest, ""));
                        let rid = query
                            .split('&')
                            .find_map(|kv| kv.strip_prefix("$rid="))
                            .unwrap_or_default()
                            .to_owned();
                        let payload: Value =
                            serde_json::from_slice(&p.payload).unwrap_or(Value::Null);
                        if let Some((status, body)) = answer(name, &payload) {
                            let topic = format!("$iothub/methods/res/{status}/?$rid={rid}");
                            let _ = responder
                                .publish(topic, QoS::AtLeastOnce, false, body.to_string())
                                .await;
                        }
                    }
                    Ok(_) => {}
                    Err(_) => return,
                }
            }
        });
        for _ in 0..2 {
            tokio::time::timeout(Duration::from_secs(20), suback_rx.recv())
                .await
                .expect("SUBACK in time");
        }
        Self { client }
    }

    /// Publishes a reported-properties patch (the hub acknowledges asynchronously).
    pub fn report(&self, hub: &Hub, patch: &Value) {
        hub.runtime.block_on(async {
            self.client
                .publish(
                    "$iothub/twin/PATCH/properties/reported/?$rid=1",
                    QoS::AtLeastOnce,
                    false,
                    patch.to_string(),
                )
                .await
                .unwrap();
        });
    }
}

/// A path as text.
pub fn path_text(path: &Path) -> String {
    path.display().to_string()
}

/// A plain-HTTP server answering every request with the same canned response, for error
/// classes the local hub cannot be made to produce on demand (throttling). Point `dmctl` at it
/// with `DMCTL_HUB_ENDPOINT`. Counts the requests it served.
pub struct CannedServer {
    /// `http://127.0.0.1:{port}`.
    pub url: String,
    /// Requests answered so far.
    pub hits: Arc<std::sync::atomic::AtomicUsize>,
}

impl CannedServer {
    /// Serves `status` with `headers` and `body` until the test ends.
    pub fn start(status: u16, headers: &[(&str, &str)], body: &str) -> Self {
        use std::io::{BufRead as _, BufReader, Read as _, Write as _};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mut response = format!(
            "HTTP/1.1 {status} Canned\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        for (name, value) in headers {
            let _ = write!(response, "{name}: {value}\r\n");
        }
        response.push_str("\r\n");
        response.push_str(body);
        let hits = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = Arc::clone(&hits);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let _ = stream.write_all(response.as_bytes());
            }
        });
        Self { url, hits }
    }
}
