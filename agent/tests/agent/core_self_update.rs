//! `dm.agent.update` end to end inside the client: the sandbox backend (download, checksum,
//! preflight, swap, simulated restart, new version in the manifest) and the Linux backend with
//! the recording runner (exact commands and files, and the settling on the next start,
//! including the rollback when the agent comes back as another version).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::core_common::{DEVICE_ID, Device, FakeTransport, serve, sha256, write};
use dm_agent::Agent;
use dm_agent::leases::AcquireRequest;
use dm_agent::providers::LinuxOptions;
use dm_agent::providers::info::AGENT_VERSION;
use dm_agent::runner::{Output, RecordingRunner};
use serde_json::{Value, json};

/// A "binary" for the sandbox: a script answering `--version` like the agent does.
fn script(version: &str) -> Vec<u8> {
    format!("#!/bin/sh\necho \"dm-agent {version}\"\n").into_bytes()
}

async fn request_for(body: &[u8], version: &str) -> Value {
    let base = serve(body.to_vec()).await;
    json!({"url": format!("{base}/dm-agent?sig=SECRET"), "sha256": sha256(body), "version": version})
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn previous(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".previous");
    PathBuf::from(name)
}

fn downloads_left(state: &Path) -> usize {
    std::fs::read_dir(state.join("downloads")).map_or(0, Iterator::count)
}

#[tokio::test]
async fn sandbox_update_restarts_the_agent_as_the_new_version() {
    let device = Device::new();
    let binary = device.path("usr/bin/dm-agent");
    let original = read(&binary);
    let boot_before = device.path("run/boot-time");
    let boot_before = read(&boot_before);
    let new = script("0.9.1");
    let request = request_for(&new, "0.9.1").await;

    let envelope = device.run("dm.agent.update", "agentUpdate", request).await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    assert_eq!(envelope["op"], "dm.agent.update");
    assert_eq!(
        envelope["result"],
        json!({"version": "0.9.1", "previousVersion": AGENT_VERSION})
    );
    assert_eq!(read(&binary), new);
    assert_eq!(read(&previous(&binary)), original);
    assert_eq!(downloads_left(&device.state), 0);

    let reported = device.transport.reported();
    assert_eq!(reported["dm"]["agent"]["version"], "0.9.1");
    assert_eq!(
        reported["dm"]["agentUpdate"]["previousVersion"],
        AGENT_VERSION
    );
    assert!(reported["dm"]["agentUpdate"]["lastUpdateAt"].is_string());
    assert_eq!(reported["dm"]["info"]["agentVersion"], "0.9.1");
    assert_eq!(device.client.manifest().version, "0.9.1");
    let text = reported.to_string();
    assert!(!text.contains("SECRET"), "the signed URL leaked: {text}");
    // Only the agent restarted: the device's boot time did not move.
    assert_eq!(read(&device.path("run/boot-time")), boot_before);

    // The version survives a restart of the (simulated) agent.
    device.client.shutdown().await;
    let again = Device::in_dir(device.dir.clone());
    assert_eq!(again.client.manifest().version, "0.9.1");
    let (status, info) = again.call("dm.info.get", json!({})).await;
    assert_eq!(
        (status, info["agentVersion"].as_str()),
        (200, Some("0.9.1"))
    );
}

#[tokio::test]
async fn a_bad_checksum_fails_and_replaces_nothing() {
    let device = Device::new();
    let binary = device.path("usr/bin/dm-agent");
    let original = read(&binary);
    let mut request = request_for(&script("0.9.1"), "0.9.1").await;
    request["sha256"] = json!(sha256(b"something else"));

    let envelope = device.run("dm.agent.update", "agentUpdate", request).await;
    assert_eq!(envelope["state"], "failed", "{envelope}");
    assert_eq!(envelope["error"]["code"], "checksumMismatch");
    assert_eq!(read(&binary), original);
    assert!(!previous(&binary).exists());
    assert_eq!(downloads_left(&device.state), 0, "the download is deleted");
    assert_eq!(device.client.manifest().version, AGENT_VERSION);
}

#[tokio::test]
async fn a_binary_of_another_version_or_that_does_not_run_never_replaces_the_agent() {
    let device = Device::new();
    let binary = device.path("usr/bin/dm-agent");
    let original = read(&binary);

    let other = request_for(&script("0.9.2"), "0.9.1").await;
    let envelope = device.run("dm.agent.update", "agentUpdate", other).await;
    assert_eq!(envelope["state"], "failed", "{envelope}");
    assert_eq!(envelope["error"]["code"], "preflightFailed");
    let message = envelope["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("dm-agent 0.9.2") && message.contains("not version 0.9.1"),
        "{message}"
    );

    let broken = request_for(b"#!/bin/sh\nexit 3\n", "0.9.1").await;
    let envelope = device.run("dm.agent.update", "agentUpdate", broken).await;
    assert_eq!(envelope["state"], "failed", "{envelope}");
    assert_eq!(envelope["error"]["code"], "preflightFailed");
    assert!(
        envelope["error"]["message"]
            .as_str()
            .unwrap()
            .contains("does not run on this device"),
        "{envelope}"
    );

    assert_eq!(read(&binary), original);
    assert!(!previous(&binary).exists());
    assert_eq!(downloads_left(&device.state), 0);
    assert_eq!(device.client.manifest().version, AGENT_VERSION);
}

#[tokio::test]
async fn busy_leases_do_not_hold_a_self_update() {
    let device = Device::new();
    device
        .client
        .leases()
        .acquire(AcquireRequest {
            id: Some("flash-fw".into()),
            holder: "plc-bridge".into(),
            reason: "firmware flash".into(),
            ttl_seconds: 3600,
        })
        .unwrap();
    let request = request_for(&script("0.9.1"), "0.9.1").await;
    let envelope = device.run("dm.agent.update", "agentUpdate", request).await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    let (status, body) = device
        .call(
            "dm.agent.update",
            json!({"url": "https://x.example/a", "sha256": "0".repeat(64), "version": "1", "force": true}),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("force")));
}

/// A Linux device under a temporary root, its agent binary at `/usr/bin/dm-agent`.
struct Linux {
    client: Agent,
    transport: Arc<FakeTransport>,
    runner: RecordingRunner,
    root: Arc<tempfile::TempDir>,
}

impl Linux {
    fn start(root: Arc<tempfile::TempDir>, runner: RecordingRunner) -> Self {
        Self::with_settings(root, runner, crate::core_common::test_settings())
    }

    fn with_settings(
        root: Arc<tempfile::TempDir>,
        runner: RecordingRunner,
        settings: dm_agent::client::Settings,
    ) -> Self {
        let transport = FakeTransport::new();
        let client = Agent::builder(transport.clone())
            .settings(settings)
            .device_id(DEVICE_ID)
            .state_dir(root.path().join("var/lib/dm-agent"))
            .linux(Arc::new(runner.clone()))
            .linux_options(LinuxOptions {
                root: root.path().to_owned(),
                agent_binary: Some("/usr/bin/dm-agent".into()),
                agent_unit: "dm-agent.service".into(),
                ..LinuxOptions::default()
            })
            .build()
            .unwrap();
        Self {
            client,
            transport,
            runner,
            root,
        }
    }

    fn binary(&self) -> PathBuf {
        self.root.path().join("usr/bin/dm-agent")
    }

    fn downloads(&self) -> PathBuf {
        self.root.path().join("var/lib/dm-agent/downloads")
    }
}

/// Starts an update to `version` whose binary answers `--version` with `reports`; returns the
/// device once the agent asked systemd for its restart, and the operation id.
async fn linux_update_until_restart(version: &str, reports: &str) -> (Linux, String, Vec<u8>) {
    let root = Arc::new(tempfile::tempdir().unwrap());
    write(&root.path().join("proc/stat"), b"btime 1740809529\n");
    write(&root.path().join("usr/bin/dm-agent"), b"old agent");
    let device = Linux::start(root, RecordingRunner::new());
    device.runner.answer(
        &device.downloads().display().to_string(),
        Output::ok(format!("dm-agent {reports}\n")),
    );
    let new = b"\x7fELF new agent".to_vec();
    let request = request_for(&new, version).await;
    assert!(
        device
            .client
            .handle_method("r1", "dm.agent.update", request.to_string().as_bytes())
            .await
    );
    let (status, body) = device.transport.answer("r1").await;
    assert_eq!(status, 202, "{body}");
    let id = body["operationId"].as_str().unwrap().to_owned();
    let doc = device
        .transport
        .reported_until("the update running", |doc| {
            doc["dm"]["agentUpdate"]["operations"][&id]["state"] == "running"
        })
        .await;
    assert!(doc["dm"]["agentUpdate"]["operations"][&id]["startedAt"].is_string());
    // Running is reported before the restart; wait for the restart itself.
    let deadline = tokio::time::Instant::now() + crate::core_common::WAIT;
    while !device
        .runner
        .lines()
        .iter()
        .any(|l| l.starts_with("systemctl --no-block restart"))
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no restart: {:?}",
            device.runner.lines()
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    (device, id, new)
}

#[tokio::test]
async fn linux_update_swaps_the_binary_restarts_the_unit_and_succeeds_on_the_next_start() {
    let (device, id, new) = linux_update_until_restart(AGENT_VERSION, AGENT_VERSION).await;
    let lines = device.runner.lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let downloads = device.downloads().display().to_string();
    assert!(
        lines[0].starts_with(&downloads) && lines[0].ends_with(".bin --version"),
        "the preflight runs the download: {lines:?}"
    );
    assert_eq!(lines[1], "systemctl --no-block restart dm-agent.service");
    assert_eq!(read(&device.binary()), new);
    assert_eq!(read(&previous(&device.binary())), b"old agent");
    let state = read(&device.root.path().join("var/lib/dm-agent/client.json"));
    let state: Value = serde_json::from_slice(&state).unwrap();
    assert_eq!(state["pendingAgentUpdate"]["opId"], id.as_str());
    assert_eq!(state["pendingAgentUpdate"]["toVersion"], AGENT_VERSION);

    // systemd stops this agent and starts the new one over the same state.
    device.client.shutdown().await;
    let next = Linux::start(device.root.clone(), RecordingRunner::new());
    let envelope = next.transport.final_envelope("agentUpdate", &id).await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    assert_eq!(
        envelope["result"],
        json!({"version": AGENT_VERSION, "previousVersion": AGENT_VERSION})
    );
    assert_eq!(read(&next.binary()), new);
    assert_eq!(
        read(&previous(&next.binary())),
        b"old agent",
        "kept for later"
    );
    let lines = next.runner.lines();
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("systemctl") || l.contains("--version")),
        "settling neither restarts nor probes again: {lines:?}"
    );
}

#[tokio::test]
async fn linux_agent_back_as_another_version_fails_and_rolls_back() {
    let (device, id, new) = linux_update_until_restart("9.9.9", "9.9.9").await;
    assert_eq!(read(&device.binary()), new);
    device.client.shutdown().await;

    // The unit came back running this build, not 9.9.9.
    let next = Linux::start(device.root.clone(), RecordingRunner::new());
    let envelope = next.transport.final_envelope("agentUpdate", &id).await;
    assert_eq!(envelope["state"], "failed", "{envelope}");
    assert_eq!(envelope["error"]["code"], "versionMismatch");
    let message = envelope["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!(
            "the agent restarted as {AGENT_VERSION}, not 9.9.9"
        )),
        "{message}"
    );
    assert_eq!(read(&next.binary()), b"old agent", "rolled back");
    assert!(!previous(&next.binary()).exists());
    let state: Value = serde_json::from_slice(&read(
        &next.root.path().join("var/lib/dm-agent/client.json"),
    ))
    .unwrap();
    assert!(
        state.get("pendingAgentUpdate").is_none_or(Value::is_null),
        "{state}"
    );
}

#[tokio::test]
async fn linux_preflight_mismatch_never_touches_the_binary_or_systemd() {
    let root = Arc::new(tempfile::tempdir().unwrap());
    write(&root.path().join("proc/stat"), b"btime 1740809529\n");
    write(&root.path().join("usr/bin/dm-agent"), b"old agent");
    let device = Linux::start(root, RecordingRunner::new());
    device.runner.answer(
        &device.downloads().display().to_string(),
        Output::ok("dm-agent 2.0.0\n"),
    );
    let request = request_for(b"new agent", "2.0.1").await;
    assert!(
        device
            .client
            .handle_method("r1", "dm.agent.update", request.to_string().as_bytes())
            .await
    );
    let (status, body) = device.transport.answer("r1").await;
    assert_eq!(status, 202, "{body}");
    let envelope = device
        .transport
        .final_envelope("agentUpdate", body["operationId"].as_str().unwrap())
        .await;
    assert_eq!(envelope["error"]["code"], "preflightFailed", "{envelope}");
    assert_eq!(read(&device.binary()), b"old agent");
    assert!(!previous(&device.binary()).exists());
    let lines = device.runner.lines();
    assert_eq!(lines.len(), 1, "only the preflight ran: {lines:?}");
    assert!(lines[0].ends_with(" --version"), "{lines:?}");
}

// ---------------------------------------------------------------------------------------------
// Artefact rules: transport, downgrades, publisher signatures, the preflight's user.

/// Test settings with the artefact policy changed by `change`.
fn settings_with(
    change: impl FnOnce(&mut dm_agent::artifacts::ArtifactPolicy),
) -> dm_agent::client::Settings {
    let mut settings = crate::core_common::test_settings();
    change(&mut settings.artifacts);
    settings
}

/// A sandbox device with the artefact policy changed by `change`.
fn device_with(change: impl FnOnce(&mut dm_agent::artifacts::ArtifactPolicy)) -> Device {
    Device::with_settings(
        Arc::new(tempfile::tempdir().unwrap()),
        settings_with(change),
    )
}

/// A trusted key as the configuration names it (`RW…`).
fn trusted(keypair: &minisign::KeyPair) -> dm_agent::artifacts::TrustedKey {
    dm_agent::artifacts::TrustedKey::parse(&keypair.pk.to_base64()).unwrap()
}

/// The `.minisig` text of `data` signed by `keypair`, as `minisign -S` writes it.
fn sign(keypair: &minisign::KeyPair, data: &[u8]) -> String {
    minisign::sign(
        Some(&keypair.pk),
        &keypair.sk,
        std::io::Cursor::new(data),
        Some("file:dm-agent"),
        None,
    )
    .unwrap()
    .into_string()
}

/// Runs an update and returns its final envelope, asserting nothing was replaced when it failed.
async fn update(device: &Device, request: Value) -> Value {
    let binary = device.path("usr/bin/dm-agent");
    let before = read(&binary);
    let envelope = device.run("dm.agent.update", "agentUpdate", request).await;
    if envelope["state"] != "succeeded" {
        assert_eq!(
            read(&binary),
            before,
            "a refused update replaced the binary"
        );
        assert!(!previous(&binary).exists());
        assert_eq!(downloads_left(&device.state), 0, "the download is deleted");
        assert_eq!(device.client.manifest().version, AGENT_VERSION);
    }
    envelope
}

#[tokio::test]
async fn plain_http_is_refused_unless_the_configuration_allows_it() {
    let device = device_with(|p| p.allow_http = false);
    let request = request_for(&script("0.9.1"), "0.9.1").await;
    let envelope = update(&device, request.clone()).await;
    assert_eq!(envelope["state"], "failed", "{envelope}");
    assert_eq!(envelope["error"]["code"], "insecureUrl");
    let message = envelope["error"]["message"].as_str().unwrap();
    assert!(message.contains("artifacts.allow_http"), "{message}");
    assert!(!message.contains("SECRET"), "{message}");

    let allowed = device_with(|p| p.allow_http = true);
    let envelope = update(&allowed, request).await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
}

#[tokio::test]
async fn a_lower_version_is_refused_unless_the_request_allows_a_downgrade() {
    let device = device_with(|_| {});
    let envelope = update(&device, request_for(&script("0.9.1"), "0.9.1").await).await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");

    let older = request_for(&script("0.9.0"), "0.9.0").await;
    let envelope = device
        .run("dm.agent.update", "agentUpdate", older.clone())
        .await;
    assert_eq!(envelope["state"], "failed", "{envelope}");
    assert_eq!(envelope["error"]["code"], "downgradeRefused");
    let message = envelope["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("0.9.0 is older than 0.9.1") && message.contains("allowDowngrade"),
        "{message}"
    );
    assert_eq!(device.client.manifest().version, "0.9.1");

    // A version that cannot be compared is refused the same way.
    let odd = request_for(&script("nightly"), "nightly").await;
    let envelope = device.run("dm.agent.update", "agentUpdate", odd).await;
    assert_eq!(envelope["error"]["code"], "downgradeRefused", "{envelope}");
    assert!(
        envelope["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cannot tell"),
        "{envelope}"
    );

    let mut allowed = older;
    allowed["allowDowngrade"] = json!(true);
    let envelope = device.run("dm.agent.update", "agentUpdate", allowed).await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    assert_eq!(device.client.manifest().version, "0.9.0");
}

#[tokio::test]
async fn with_trusted_keys_only_a_valid_signature_by_one_of_them_installs() {
    let publisher = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let stranger = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let device = device_with(|p| p.trusted_keys = vec![trusted(&publisher)]);
    let new = script("0.9.1");

    // Missing.
    let request = request_for(&new, "0.9.1").await;
    let envelope = update(&device, request.clone()).await;
    assert_eq!(envelope["error"]["code"], "signatureRequired", "{envelope}");
    assert!(
        envelope["error"]["message"]
            .as_str()
            .unwrap()
            .contains("artifacts.trusted_keys"),
        "{envelope}"
    );

    // By a key the device does not trust.
    let mut untrusted = request.clone();
    untrusted["signature"] = json!(sign(&stranger, &new));
    let envelope = update(&device, untrusted).await;
    assert_eq!(
        envelope["error"]["code"], "signatureUntrusted",
        "{envelope}"
    );

    // By the trusted key, but of another file (a tampered download).
    let mut wrong = request.clone();
    wrong["signature"] = json!(sign(&publisher, &script("0.6.6")));
    let envelope = update(&device, wrong).await;
    assert_eq!(envelope["error"]["code"], "signatureInvalid", "{envelope}");

    // A malformed signature never reaches the device's work: the contract refuses it.
    let mut garbage = request.clone();
    garbage["signature"] = json!("untrusted comment: x\nnot base64\n");
    let (status, body) = device.call("dm.agent.update", garbage).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("signature")),
        "{body}"
    );

    // Valid.
    let mut signed = request;
    signed["signature"] = json!(sign(&publisher, &new));
    let envelope = update(&device, signed).await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    assert_eq!(read(&device.path("usr/bin/dm-agent")), new);
}

#[tokio::test]
async fn a_raw_ed25519_key_checks_minisign_signatures_of_its_key() {
    use base64::Engine as _;
    let publisher = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let minisign_key = base64::engine::general_purpose::STANDARD
        .decode(publisher.pk.to_base64())
        .unwrap();
    let raw = base64::engine::general_purpose::STANDARD.encode(&minisign_key[10..]);
    let device = device_with(|p| {
        p.trusted_keys = vec![dm_agent::artifacts::TrustedKey::parse(&raw).unwrap()];
    });
    let new = script("0.9.1");
    let mut request = request_for(&new, "0.9.1").await;
    request["signature"] = json!(sign(&publisher, b"another file"));
    let envelope = update(&device, request.clone()).await;
    assert_eq!(envelope["state"], "failed", "{envelope}");
    request["signature"] = json!(sign(&publisher, &new));
    let envelope = update(&device, request).await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
}

#[tokio::test]
async fn a_root_agent_runs_the_preflight_as_the_unprivileged_user() {
    use std::os::unix::fs::PermissionsExt as _;
    if !nix::unistd::geteuid().is_root() {
        // CI runs as root: there a skip would hide that the privilege drop went untested.
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run this test as root"
        );
        eprintln!(
            "skipped: the agent drops privileges only when it runs as root; run this test as root (.ci/run does)"
        );
        return;
    }
    let root = Arc::new(tempfile::tempdir().unwrap());
    // The binary's directory must be reachable by `nobody`, as /usr/bin is.
    for dir in [
        root.path().to_owned(),
        root.path().join("usr"),
        root.path().join("usr/bin"),
    ] {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    write(&root.path().join("proc/stat"), b"btime 1740809529\n");
    write(&root.path().join("usr/bin/dm-agent"), b"old agent");
    // The real system runs the preflight; the "new agent" tells who ran it.
    let runner = dm_agent::runner::SystemRunner::new();
    let transport = FakeTransport::new();
    let client = Agent::builder(transport.clone())
        .settings(settings_with(|p| p.preflight_user = Some("nobody".into())))
        .device_id(DEVICE_ID)
        .state_dir(root.path().join("var/lib/dm-agent"))
        .linux(Arc::new(runner))
        .linux_options(LinuxOptions {
            root: root.path().to_owned(),
            agent_binary: Some("/usr/bin/dm-agent".into()),
            agent_unit: "dm-agent-test-never-restarted.service".into(),
            ..LinuxOptions::default()
        })
        .build()
        .unwrap();
    let nobody = nix::unistd::User::from_name("nobody").unwrap().unwrap();
    // Reports the version only when it does not run as root: as root, the preflight fails.
    let probe = format!(
        "#!/bin/sh\nif [ \"$(id -u)\" = \"{}\" ]; then echo \"dm-agent 9.9.9\"; else echo \"dm-agent ran-as-$(id -u)\"; fi\n",
        nobody.uid
    );
    let request = request_for(probe.as_bytes(), "9.9.9").await;
    assert!(
        client
            .handle_method("r1", "dm.agent.update", request.to_string().as_bytes())
            .await
    );
    let (status, body) = transport.answer("r1").await;
    assert_eq!(status, 202, "{body}");
    let id = body["operationId"].as_str().unwrap().to_owned();
    // The preflight passed (it ran as nobody), so the agent swapped the binary and asked for
    // its restart; here the restart is what fails (no such unit, or no systemd at all), and the
    // old binary is put back.
    let envelope = transport.final_envelope("agentUpdate", &id).await;
    assert_eq!(envelope["error"]["code"], "restartFailed", "{envelope}");
    assert_eq!(read(&root.path().join("usr/bin/dm-agent")), b"old agent");
    let leftovers: Vec<_> = std::fs::read_dir(root.path().join("usr/bin"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("preflight"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "the preflight copy is removed: {leftovers:?}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn a_preflight_user_that_does_not_exist_refuses_to_run_the_binary_as_root() {
    if !nix::unistd::geteuid().is_root() {
        // CI runs as root: there a skip would hide that the privilege drop went untested.
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run this test as root"
        );
        eprintln!(
            "skipped: only a root agent switches users; run this test as root (.ci/run does)"
        );
        return;
    }
    let device = device_with(|p| p.preflight_user = Some("dm-no-such-user".into()));
    let envelope = update(&device, request_for(&script("0.9.1"), "0.9.1").await).await;
    assert_eq!(envelope["error"]["code"], "preflightFailed", "{envelope}");
    assert!(
        envelope["error"]["message"]
            .as_str()
            .unwrap()
            .contains("artifacts.preflight_user"),
        "{envelope}"
    );
}
