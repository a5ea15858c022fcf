//! The real `dm-agent` daemon killed with SIGKILL in the middle of long operations (an app
//! install, a self-update, a log upload), then started again on the same state directory
//! (issue 13, HARDENING.md § Crash durability).
//!
//! What a device owner must be able to rely on: the operation's envelope ends in a final state
//! that says what happened (`failed` with `interrupted`, or `succeeded` when the work had
//! finished), nothing is installed half way without that being reported, the operation is not
//! run a second time, and every state document still parses.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{TestHub, eventually};
use crate::core_common::sha256;
use crate::e2e_cli::{agent, status};

const WITHIN: Duration = Duration::from_secs(30);

/// An artefact server that answers every request with the headers of a large file, sends the
/// first bytes, and then never finishes: a download is in flight for as long as the test wants.
/// Returns the base URL and the number of requests it received.
async fn stalling_server() -> (String, Arc<AtomicUsize>) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&requests);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let counted = Arc::clone(&counted);
            tokio::spawn(async move {
                let mut buf = vec![0_u8; 4096];
                let _ = stream.read(&mut buf).await;
                counted.fetch_add(1, Ordering::SeqCst);
                let head = "HTTP/1.1 200 OK\r\ncontent-length: 1048576\r\n\r\n";
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&[7_u8; 4096]).await;
                // Hold the connection open without another byte until the client goes away.
                let _ = stream.read(&mut buf).await;
            });
        }
    });
    (format!("http://{addr}"), requests)
}

/// A `dm-agent run` daemon of device `id` in `dir` (state and sandbox inside), plain-http
/// artefacts allowed for the local artefact server.
pub(crate) fn start_daemon(hub: &TestHub, id: &str, dir: &Path) -> Daemon {
    start_daemon_with(hub, &hub.device(id).expose_secret(), dir, &[])
}

/// [`start_daemon`] with its own connection string (e.g. a `GatewayHostName` pointing at a
/// fault proxy) and extra `DM_AGENT_*` settings.
pub(crate) fn start_daemon_with(
    hub: &TestHub,
    connection_string: &str,
    dir: &Path,
    env: &[(&str, &str)],
) -> Daemon {
    let child = agent()
        .arg("run")
        .arg("--ca-file")
        .arg(hub.hub.ca_pem_path())
        .args(["--backend", "sandbox", "--sandbox-dir"])
        .arg(dir.join("sandbox"))
        .arg("--state-dir")
        .arg(dir.join("state"))
        .arg("--lease-socket")
        .arg(dir.join("busy.sock"))
        .env("DM_AGENT_CONNECTION_STRING", connection_string)
        .env("DM_AGENT_ALLOW_HTTP", "true")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Daemon(Some(child))
}

/// A daemon process, killed when dropped so a failing test leaves none running.
pub(crate) struct Daemon(Option<Child>);

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub(crate) async fn wait_connected(dir: &Path) {
    let state = dir.join("state");
    eventually(WITHIN, "the daemon to connect", || {
        let state = state.clone();
        async move { (status(&state)["connection"]["state"] == "connected").then_some(()) }
    })
    .await;
}

/// SIGKILL, then reap.
pub(crate) async fn kill(mut daemon: Daemon) {
    let mut child = daemon.0.take().expect("a running daemon");
    child.kill().unwrap();
    tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Every state document (`*.json` in the state directory, the offline queue included) parses:
/// the kill tore none of them.
fn assert_state_intact(dir: &Path) {
    let state = dir.join("state");
    let documents: Vec<PathBuf> = files(&state)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert!(
        !documents.is_empty(),
        "the agent keeps its state in {}",
        state.display()
    );
    for path in documents {
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            serde_json::from_slice::<Value>(&bytes).is_ok(),
            "{} is torn: {}",
            path.display(),
            String::from_utf8_lossy(&bytes)
        );
    }
}

/// Waits for envelope `op` of `section` to reach a final state and returns it.
pub(crate) async fn final_envelope(hub: &TestHub, id: &str, section: &str, op: &str) -> Value {
    final_envelope_within(WITHIN, hub, id, section, op).await
}

/// [`final_envelope`], waiting at most `within`.
pub(crate) async fn final_envelope_within(
    within: Duration,
    hub: &TestHub,
    id: &str,
    section: &str,
    op: &str,
) -> Value {
    eventually(
        within,
        &format!("{section} operation {op} to end"),
        || async {
            let envelope = hub.reported(id).await["dm"][section]["operations"][op].clone();
            matches!(
                envelope["state"].as_str(),
                Some("succeeded" | "failed" | "rejected")
            )
            .then_some(envelope)
        },
    )
    .await
}

/// Starts `method` (a 202 long operation) and waits until the stalling server holds its
/// download; returns the operation id.
async fn start_stalled(
    hub: &TestHub,
    id: &str,
    method: &str,
    payload: Value,
    requests: &AtomicUsize,
) -> String {
    let (code, accepted) = hub.call(id, method, payload).await;
    assert_eq!(code, 202, "{method}: {accepted}");
    let op = accepted["operationId"].as_str().unwrap().to_owned();
    eventually(WITHIN, "the download to start", || async {
        (requests.load(Ordering::SeqCst) == 1).then_some(())
    })
    .await;
    op
}

/// After the restart: the envelope is `failed`/`interrupted`, the download it left is gone, the
/// state is intact, and the artefact was not fetched again (the operation did not run twice).
async fn assert_interrupted(
    hub: &TestHub,
    id: &str,
    dir: &Path,
    section: &str,
    op: &str,
    requests: &AtomicUsize,
) {
    let envelope = final_envelope(hub, id, section, op).await;
    assert_eq!(envelope["state"], "failed", "{envelope}");
    assert_eq!(envelope["error"]["code"], "interrupted", "{envelope}");
    let message = envelope["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("stopped while"),
        "says what happened: {envelope}"
    );
    assert!(envelope["finishedAt"].is_string(), "{envelope}");
    assert_state_intact(dir);
    let leftovers = files(&dir.join("state/downloads"));
    assert!(
        leftovers.is_empty(),
        "partial downloads left behind: {leftovers:?}"
    );
    assert_eq!(
        requests.load(Ordering::SeqCst),
        1,
        "the interrupted operation was started again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_install_killed_mid_download_is_reported_interrupted_and_installs_nothing() {
    let hub = TestHub::start().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let (base, requests) = stalling_server().await;
    let daemon = start_daemon(&hub, "crash-apps", dir);
    wait_connected(dir).await;

    let install = json!({"name": "plc-bridge", "url": format!("{base}/plc-bridge.deb"),
                         "sha256": sha256(b"the real package"), "version": "2.4.1"});
    let op = start_stalled(&hub, "crash-apps", "dm.apps.install", install, &requests).await;
    kill(daemon).await;
    assert_state_intact(dir);
    assert!(
        !dir.join("sandbox/apps/plc-bridge").exists(),
        "nothing installed by the killed agent"
    );

    let daemon = start_daemon(&hub, "crash-apps", dir);
    wait_connected(dir).await;
    assert_interrupted(&hub, "crash-apps", dir, "apps", &op, &requests).await;
    assert!(!dir.join("sandbox/apps/plc-bridge").exists());
    let (code, listed) = hub.call("crash-apps", "dm.apps.list", json!({})).await;
    assert_eq!(code, 200, "{listed}");
    assert!(
        !listed.to_string().contains("plc-bridge"),
        "the app is not listed as installed: {listed}"
    );
    kill(daemon).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_update_killed_mid_download_is_reported_interrupted_and_keeps_the_old_binary() {
    let hub = TestHub::start().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let (base, requests) = stalling_server().await;
    let daemon = start_daemon(&hub, "crash-update", dir);
    wait_connected(dir).await;
    let binary = dir.join("sandbox/usr/bin/dm-agent");
    let before = std::fs::read(&binary).expect("the sandbox agent binary");

    let update = json!({"url": format!("{base}/dm-agent"), "sha256": sha256(b"new agent"),
                        "version": "99.0.0"});
    let op = start_stalled(&hub, "crash-update", "dm.agent.update", update, &requests).await;
    kill(daemon).await;
    assert_state_intact(dir);
    assert_eq!(
        std::fs::read(&binary).unwrap(),
        before,
        "the binary is untouched"
    );

    let daemon = start_daemon(&hub, "crash-update", dir);
    wait_connected(dir).await;
    assert_interrupted(&hub, "crash-update", dir, "agentUpdate", &op, &requests).await;
    assert_eq!(std::fs::read(&binary).unwrap(), before);
    let reported = hub.reported("crash-update").await;
    assert_eq!(
        reported["dm"]["agent"]["version"],
        env!("CARGO_PKG_VERSION"),
        "the agent still reports the version it runs: {reported}"
    );
    kill(daemon).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_uploads_killed_at_random_points_end_in_a_state_that_matches_the_hub() {
    let hub = TestHub::start().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let log = dir.join("sandbox/var/log/gateway/gw.log");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    let text = (0..20_000).fold(String::new(), |mut text, i| {
        let _ = writeln!(text, "{i:06} gateway: polled 12 sensors");
        text
    });
    std::fs::write(&log, text).unwrap();

    // Kill points from right after the 202 to well into the upload.
    for (round, delay_ms) in [0_u64, 40, 150, 500, 3000].into_iter().enumerate() {
        let daemon = start_daemon(&hub, "crash-logs", dir);
        wait_connected(dir).await;
        let (code, accepted) = hub
            .call(
                "crash-logs",
                "dm.diagnostics.collect",
                json!({"delivery": "upload", "journal": false, "paths": ["/var/log/gateway"]}),
            )
            .await;
        assert_eq!(code, 202, "{accepted}");
        let op = accepted["operationId"].as_str().unwrap().to_owned();
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        kill(daemon).await;
        assert_state_intact(dir);

        let daemon = start_daemon(&hub, "crash-logs", dir);
        wait_connected(dir).await;
        let envelope = final_envelope(&hub, "crash-logs", "diagnostics", &op).await;
        let uploads = hub.hub.hub().file_uploads().unwrap();
        match envelope["state"].as_str() {
            Some("succeeded") => {
                // Done before the kill: the hub holds the bundle and heard it completed.
                let blob = envelope["result"]["upload"]["blobName"]
                    .as_str()
                    .unwrap_or_else(|| panic!("round {round}: no blob in {envelope}"));
                assert!(
                    uploads.iter().any(|u| u.blob_name == blob
                        && u.completion.as_ref().is_some_and(|c| c.is_success)),
                    "round {round}: reported uploaded, but the hub has no completed {blob}: {envelope}"
                );
            }
            _ => {
                // Cut short: said so. (A bundle the hub finished receiving just before the kill
                // may exist; the envelope then under-reports, never over-reports.)
                assert_eq!(
                    envelope["error"]["code"], "interrupted",
                    "round {round}: {envelope}"
                );
            }
        }
        eprintln!(
            "crash: log upload killed {delay_ms} ms after the 202 -> {}",
            envelope["state"]
        );
        kill(daemon).await;
    }
}
