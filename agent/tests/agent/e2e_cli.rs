//! The `dm-agent` binary: configuration errors, and a real daemon run against the local hub
//! with `busy` and `status` talking to it.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::common::{TestHub, eventually};
use serde_json::{Value, json};

const WITHIN: Duration = Duration::from_secs(30);

pub(crate) fn agent() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dm-agent"));
    // Nothing from the developer's environment may leak into the test.
    for (key, _) in std::env::vars() {
        if key.starts_with("DM_AGENT_") || key == "JOURNAL_STREAM" || key == "NOTIFY_SOCKET" {
            command.env_remove(key);
        }
    }
    command
}

pub(crate) fn run(command: &mut Command) -> Output {
    command.output().unwrap()
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn unknown_configuration_keys_are_rejected_with_their_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("agent.toml");
    std::fs::write(
        &file,
        "[connection]\ntransport = \"mqtt\"\ntokn_ttl = \"30s\"\n",
    )
    .unwrap();
    let out = run(agent().arg("run").arg("--config").arg(&file));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("agent.toml"), "{stderr}");
    assert!(stderr.contains("connection.tokn_ttl"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn the_printed_default_configuration_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(agent().args(["config", "print-default"]));
    assert!(out.status.success());
    let file = dir.path().join("default.toml");
    std::fs::write(&file, &out.stdout).unwrap();
    // The default names no identity; with one from the environment it checks out.
    let out = run(agent()
        .args(["config", "check", "--config"])
        .arg(&file)
        .env(
            "DM_AGENT_CONNECTION_STRING",
            "HostName=h.azure-devices.net;DeviceId=dev-9;SharedAccessKey=c2VjcmV0IQ==",
        ));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("dev-9") && stdout.contains("mqtts://h.azure-devices.net:8883"),
        "{stdout}"
    );
    assert!(!stdout.contains("c2VjcmV0IQ=="));
}

#[test]
fn a_key_file_readable_by_others_stops_the_agent() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("device.key");
    std::fs::write(&key, "c2VjcmV0IQ==").unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(agent()
        .args([
            "config",
            "check",
            "--host-name",
            "h",
            "--device-id",
            "d",
            "--key-file",
        ])
        .arg(&key));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("chmod 600") && stderr.contains("device.key"),
        "{stderr}"
    );
    assert!(!stderr.contains("c2VjcmV0IQ=="));
}

/// Reads `dm-agent status --json`.
pub(crate) fn status(state: &Path) -> Value {
    let out = run(agent().args(["status", "--json", "--state-dir"]).arg(state));
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_serves_the_hub_and_its_lease_socket() {
    let hub = TestHub::start().await;
    let dir = tempfile::tempdir().unwrap();
    let ca = hub.hub.ca_pem_path().to_owned();
    let state = dir.path().join("state");
    let socket = dir.path().join("busy.sock");
    let cs = hub.device("daemon-1").expose_secret();
    let daemon = agent()
        .arg("run")
        .arg("--ca-file")
        .arg(&ca)
        .args(["--backend", "sandbox", "--sandbox-dir"])
        .arg(dir.path().join("sandbox"))
        .arg("--state-dir")
        .arg(&state)
        .arg("--lease-socket")
        .arg(&socket)
        .env("DM_AGENT_CONNECTION_STRING", &cs)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    eventually(WITHIN, "the daemon to connect", || {
        let state = state.clone();
        async move { (status(&state)["connection"]["state"] == "connected").then_some(()) }
    })
    .await;
    let (code, info) = hub.call("daemon-1", "dm.info.get", json!({})).await;
    assert_eq!(code, 200, "{info}");

    // An application takes a lease over the socket; the twin shows it.
    let out = run(agent().args(["busy", "--socket"]).arg(&socket).args([
        "acquire", "--holder", "e2e", "--reason", "testing", "--ttl", "5m",
    ]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lease_id = text(&out.stdout).trim().to_owned();
    assert!(lease_id.starts_with("e2e"), "{lease_id}");
    let out = run(agent()
        .args(["busy", "--json", "--socket"])
        .arg(&socket)
        .arg("list"));
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed["leases"][0]["id"], lease_id.as_str());
    eventually(WITHIN, "the lease in the twin", || async {
        (hub.reported("daemon-1").await["dm"]["busy"]["leases"][0]["id"] == lease_id.as_str())
            .then_some(())
    })
    .await;
    // A disruptive method is now refused with 409 busy.
    let (code, body) = hub.call("daemon-1", "dm.reboot", json!({})).await;
    assert_eq!((code, body["code"].as_str()), (409, Some("busy")), "{body}");
    let out = run(agent()
        .args(["busy", "--socket"])
        .arg(&socket)
        .args(["release", &lease_id]));
    assert!(out.status.success());
    let out = run(agent()
        .args(["busy", "--socket"])
        .arg(&socket)
        .args(["release", &lease_id]));
    assert_eq!(out.status.code(), Some(4), "releasing twice: no such lease");

    let report = status(&state);
    assert_eq!(report["connection"]["deviceId"], "daemon-1");
    assert!(report["connection"]["desiredVersion"].is_u64(), "{report}");

    // SIGTERM stops it cleanly; the status says so and no secret was logged.
    let stopped = Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let exit = tokio::task::spawn_blocking(move || daemon.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.status.success(), "{}", text(&exit.stderr));
    assert_eq!(status(&state)["connection"]["state"], "stopped");
    let logs = text(&exit.stderr);
    assert!(logs.contains("connected to the hub"), "{logs}");
    let key = cs
        .split("SharedAccessKey=")
        .nth(1)
        .unwrap()
        .split(';')
        .next()
        .unwrap();
    assert!(!logs.contains(key), "the device key was logged");
    assert!(
        !logs.contains("SharedAccessSignature"),
        "a token was logged"
    );
    assert!(!socket.exists(), "the lease socket is removed on exit");
}

/// Starts `dm-agent run` for `device` of `hub` with the sandbox providers under `dir`, trusting
/// the hub through what `trust` adds (`--ca-file`, `SSL_CERT_FILE`…); its log (with the trust
/// store's debug events) goes to `dir/agent.log`.
fn spawn_daemon(
    hub: &TestHub,
    device: &str,
    dir: &Path,
    trust: impl FnOnce(&mut Command),
) -> std::process::Child {
    let mut command = agent();
    command
        .arg("run")
        .args(["--backend", "sandbox", "--sandbox-dir"])
        .arg(dir.join("sandbox"))
        .arg("--state-dir")
        .arg(dir.join("state"))
        .arg("--lease-socket")
        .arg(dir.join("busy.sock"))
        .env(
            "DM_AGENT_CONNECTION_STRING",
            hub.device(device).expose_secret(),
        )
        .args(["--log-level", "info,iothub_tls=debug"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("agent.log")).unwrap());
    trust(&mut command);
    command.spawn().unwrap()
}

/// A PEM file holding a CA that signed nothing the hub presents.
fn unrelated_ca(dir: &Path) -> std::path::PathBuf {
    let ca = rcgen::generate_simple_self_signed(vec!["unrelated CA".to_owned()]).unwrap();
    let path = dir.join("unrelated-ca.pem");
    std::fs::write(&path, ca.cert.pem()).unwrap();
    path
}

/// Which CA file a trust test gives the agent.
#[derive(Clone, Copy)]
enum CaFile {
    None,
    Unrelated,
    TheHubs,
}

/// The platform's trust store is what `rustls-native-certs` reads (`SSL_CERT_FILE`,
/// `SSL_CERT_DIR`, then the system's bundle): a device trusting its hub through it connects
/// without `hub.ca_file`, and with a `hub.ca_file` that does not verify the hub (the store is
/// then read at the handshake). With a `hub.ca_file` that verifies the hub, the store is never
/// read: that is most of an idle agent's heap on a small device (agent/BENCHMARKS.md).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_trusts_the_hub_through_the_platform_store() {
    let hub = TestHub::start().await;
    let empty_dir = tempfile::tempdir().unwrap();
    for (device, ca_file, reads_the_store) in [
        ("platform-only", CaFile::None, true),
        ("platform-and-ca", CaFile::Unrelated, true),
        ("ca-file-first", CaFile::TheHubs, false),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let unrelated = unrelated_ca(dir.path());
        let mut daemon = spawn_daemon(&hub, device, dir.path(), |command| {
            command
                .env("SSL_CERT_FILE", hub.hub.ca_pem_path())
                .env("SSL_CERT_DIR", empty_dir.path());
            match ca_file {
                CaFile::None => {}
                CaFile::Unrelated => {
                    command.arg("--ca-file").arg(&unrelated);
                }
                CaFile::TheHubs => {
                    command.arg("--ca-file").arg(hub.hub.ca_pem_path());
                }
            }
        });
        let state = dir.path().join("state");
        eventually(WITHIN, "the daemon to connect", || {
            let state = state.clone();
            async move { (status(&state)["connection"]["state"] == "connected").then_some(()) }
        })
        .await;
        let (code, info) = hub.call(device, "dm.info.get", json!({})).await;
        assert_eq!(code, 200, "{info}");
        daemon.kill().unwrap();
        daemon.wait().unwrap();
        let log = std::fs::read_to_string(dir.path().join("agent.log")).unwrap();
        assert_eq!(
            log.contains("read the platform trust store"),
            reads_the_store,
            "{device}: {log}"
        );
    }
}

/// Neither the CA file nor the platform's store verifies the hub: the daemon does not connect
/// and its status names the certificate as the cause.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_hub_is_refused_and_named() {
    let hub = TestHub::start().await;
    let dir = tempfile::tempdir().unwrap();
    let empty_bundle = dir.path().join("empty.pem");
    std::fs::write(&empty_bundle, "").unwrap();
    let empty_dir = tempfile::tempdir().unwrap();
    let unrelated = unrelated_ca(dir.path());
    let mut daemon = spawn_daemon(&hub, "untrusted", dir.path(), |command| {
        command
            .arg("--ca-file")
            .arg(&unrelated)
            .env("SSL_CERT_FILE", &empty_bundle)
            .env("SSL_CERT_DIR", empty_dir.path());
    });
    let state = dir.path().join("state");
    let why = eventually(WITHIN, "the refused certificate in the status", || {
        let state = state.clone();
        async move {
            let status = status(&state);
            status["connection"]["lastError"]
                .as_str()
                .map(str::to_owned)
        }
    })
    .await;
    assert!(why.to_lowercase().contains("certificate"), "{why}");
    assert_ne!(status(&state)["connection"]["state"], "connected");
    daemon.kill().unwrap();
    daemon.wait().unwrap();
}
