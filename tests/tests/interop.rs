//! The official Azure IoT SDKs (Python and Node) against the local IoT Hub.
//!
//! The Python device SDK only dials 8883 and 443 and the Node service SDK only 443, so this binary
//! runs the hub on those fixed ports. All scenarios run in one test, in sequence, because two
//! hubs cannot share those ports; every other test in the workspace uses ephemeral ports. The SDKs
//! are installed into `target/interop` by `tests/interop/setup.sh` (run here, not by hand).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use iothub_emulator::{HubConfig, RunningHub};
use serde_json::Value;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn setup() -> PathBuf {
    let root = repo_root();
    let status = std::process::Command::new("bash")
        .arg(root.join("tests/interop/setup.sh"))
        .status()
        .expect("run tests/interop/setup.sh");
    assert!(status.success(), "tests/interop/setup.sh failed: {status}");
    root.join("target/interop")
}

/// Runs one scenario script and returns the JSON line it printed.
async fn scenario(hub: &RunningHub, program: &Path, script: &Path, name: &str) -> Value {
    let service = hub
        .service_connection_string("iothubowner")
        .expect("iothubowner policy")
        .expose_secret();
    let ca = hub.ca_pem_path();
    let child = tokio::process::Command::new(program)
        .arg(script)
        .arg(name)
        .env("IOTHUB_CONNECTION_STRING", service)
        .env("DMCTL_CA_FILE", ca)
        // Both service SDKs trust extra CAs only through these variables (protocol reference §F).
        .env("REQUESTS_CA_BUNDLE", ca)
        .env("NODE_EXTRA_CA_CERTS", ca)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", program.display()));
    let output = tokio::time::timeout(Duration::from_secs(150), child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("scenario {name} did not finish"))
        .expect("scenario output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "scenario {name} ({}) failed: {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        script.display(),
        output.status
    );
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .unwrap_or_else(|| panic!("scenario {name} printed no JSON:\n{stdout}\n{stderr}"));
    serde_json::from_str(line).unwrap_or_else(|e| panic!("scenario {name}: bad JSON {line}: {e}"))
}

fn nested_error_code(body: &str) -> Option<u64> {
    let outer: Value = serde_json::from_str(body).ok()?;
    let inner: Value = serde_json::from_str(outer["Message"].as_str()?).ok()?;
    inner["errorCode"].as_u64()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_sdks_work_against_the_local_hub() {
    let interop = setup();
    let root = repo_root();
    let python = interop.join("venv/bin/python");
    let py = root.join("tests/interop/py/interop.py");
    let node = PathBuf::from("node");
    let js = root.join("tests/interop/node/interop.js");

    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = HubConfig::new(dir.path());
    config.https_port = 443;
    config.mqtt_port = 8883;
    let hub = iothub_emulator::start(config)
        .await
        .expect("the hub starts on 443 and 8883 (run as root, nothing else on those ports)");

    // Python service SDK: registry CRUD and list.
    let r = scenario(&hub, &python, &py, "registry").await;
    assert_eq!(r["status_after_update"], "disabled", "{r}");
    assert_eq!(r["listed"], true, "{r}");
    assert_eq!(r["deleted_status"], 404, "{r}");
    assert_eq!(r["etag_changed"], true, "{r}");

    // Python device SDK over MQTT/TLS and over WebSocket: twin get, reported patch, desired patch.
    for transport in ["twin-mqtt", "twin-ws"] {
        let r = scenario(&hub, &python, &py, transport).await;
        assert_eq!(r["initial_desired_version"], 1, "{transport}: {r}");
        assert_eq!(r["reported_seen_by_service"], "1.0", "{transport}: {r}");
        assert_eq!(r["desired_patch"]["interval"], 5, "{transport}: {r}");
        assert!(r["desired_patch"]["$version"].as_u64().unwrap_or(0) >= 2, "{transport}: {r}");
        assert_eq!(r["connection_state"], "Connected", "{transport}: {r}");
    }

    // A direct method from the service SDK answered by the device SDK.
    let r = scenario(&hub, &python, &py, "method").await;
    assert_eq!(r["status"], 201, "{r}");
    assert_eq!(r["payload"]["echo"]["x"], 1, "{r}");
    assert_eq!(r["payload"]["name"], "dm.info", "{r}");

    // Offline (404103) and unanswered (504101) methods are errors for the service SDK.
    let r = scenario(&hub, &python, &py, "method-errors").await;
    assert_eq!(r["offline_status"], 404, "{r}");
    assert_eq!(
        nested_error_code(r["offline_body"].as_str().unwrap_or("")),
        Some(404_103),
        "{r}"
    );
    assert_eq!(r["timeout_status"], 504, "{r}");
    assert_eq!(
        nested_error_code(r["timeout_body"].as_str().unwrap_or("")),
        Some(504_101),
        "{r}"
    );

    // Query paging: 5 devices, pages of 2.
    let r = scenario(&hub, &python, &py, "query").await;
    assert_eq!(r["pages"], 3, "{r}");
    assert_eq!(r["seen"], r["expected"], "{r}");

    // A scheduled method job over several devices.
    let r = scenario(&hub, &python, &py, "job").await;
    assert_eq!(r["created_status"], "queued", "{r}");
    assert_eq!(r["status"], "completed", "{r}");
    assert_eq!(r["device_count"], 3, "{r}");
    assert_eq!(r["succeeded"], 3, "{r}");
    assert_eq!(r["called"], r["expected"], "{r}");

    // The Node SDKs: registry, MQTT and WebSocket devices, methods, query paging.
    if js.exists() {
        for name in [
            "registry",
            "twin-mqtt",
            "twin-ws",
            "method",
            "method-offline",
            "query",
        ] {
            let r = scenario(&hub, &node, &js, name).await;
            assert_eq!(r["ok"], true, "node {name}: {r}");
        }
    }

    hub.shutdown().await.expect("clean shutdown");
}
