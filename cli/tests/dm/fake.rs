//! Typed commands against devices whose agent part is scripted by the test: each device reports a
//! capability manifest and answers methods exactly as told, and the test writes the operation
//! envelopes itself. This pins every outcome class (5 offline, 6 timed out, 7 device error or
//! refusal, 8 busy, 10 partial) without depending on how a real agent happens to behave.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dm_contract::{AgentManifest, Method};
use serde_json::{Value, json};

use crate::snap;
use crate::support::{Device, Hub, Run};

/// Every method call a scripted device received.
type Calls = Arc<Mutex<Vec<(String, Value)>>>;

/// A device playing the agent.
struct Agent {
    device: Device,
    calls: Calls,
}

impl Agent {
    fn calls(&self) -> Vec<(String, Value)> {
        self.calls.lock().unwrap().clone()
    }
}

/// A manifest listing `methods` (all sections, sandbox providers active).
fn manifest(methods: &[Method]) -> Value {
    let mut manifest = AgentManifest::new("0.1.0");
    manifest.methods = methods.iter().map(|m| m.name().to_owned()).collect();
    serde_json::to_value(manifest).unwrap()
}

/// Connects `id`, answering methods with `answer`, and reports `manifest` when given.
fn agent(
    hub: &Hub,
    id: &str,
    manifest: Option<Value>,
    answer: impl Fn(&str, &Value) -> Option<(i32, Value)> + Send + Sync + 'static,
) -> Agent {
    let calls: Calls = Arc::default();
    let seen = Arc::clone(&calls);
    let device = hub.connect_device(id, move |name, payload| {
        seen.lock()
            .unwrap()
            .push((name.to_owned(), payload.clone()));
        answer(name, payload)
    });
    if let Some(manifest) = manifest {
        report(hub, &device, id, &json!({"dm": {"agent": manifest}}));
    }
    Agent { device, calls }
}

/// An agent that knows every method.
fn full_agent(
    hub: &Hub,
    id: &str,
    answer: impl Fn(&str, &Value) -> Option<(i32, Value)> + Send + Sync + 'static,
) -> Agent {
    agent(hub, id, Some(manifest(Method::ALL)), answer)
}

fn client(hub: &Hub) -> iothub_client::ServiceClient {
    iothub_client::ClientBuilder::from_connection_string(&hub.connection_string)
        .unwrap()
        .add_root_ca_pem(hub.hub().ca_pem().as_bytes())
        .build()
        .unwrap()
}

fn twin(hub: &Hub, id: &str) -> Value {
    let client = client(hub);
    let twin = hub.runtime.block_on(client.get_twin(id)).unwrap();
    serde_json::to_value(twin).unwrap()
}

/// Polls the twin until `ready` holds (reported patches are acknowledged asynchronously).
fn wait_twin(hub: &Hub, id: &str, ready: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..200 {
        let twin = twin(hub, id);
        if ready(&twin) {
            return twin;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!(
        "twin of {id} never reached the expected state: {}",
        twin(hub, id)
    );
}

/// Reports `patch` and waits until every leaf of it shows in the twin.
fn report(hub: &Hub, device: &Device, id: &str, patch: &Value) {
    device.report(hub, patch);
    wait_twin(hub, id, |twin| {
        contains(&twin["properties"]["reported"], patch)
    });
}

fn contains(have: &Value, want: &Value) -> bool {
    match (have, want) {
        (Value::Object(have), Value::Object(want)) => want
            .iter()
            .all(|(k, v)| have.get(k).is_some_and(|h| contains(h, v))),
        (have, want) => have == want,
    }
}

fn accepted(id: &str) -> (i32, Value) {
    (202, json!({"operationId": id, "state": "pending"}))
}

fn envelope(id: &str, op: &str, state: &str, extra: &Value) -> Value {
    let mut v = json!({"id": id, "op": op, "state": state, "requestedAt": "2025-03-01T10:00:00Z"});
    if matches!(state, "running" | "succeeded" | "failed") {
        v["startedAt"] = json!("2025-03-01T10:00:01Z");
    }
    if matches!(state, "succeeded" | "failed" | "rejected") {
        v["finishedAt"] = json!("2025-03-01T10:00:05Z");
    }
    if let (Some(v), Some(extra)) = (v.as_object_mut(), extra.as_object()) {
        v.extend(extra.clone());
    }
    v
}

/// Runs `args` in a thread while the test plays the device's part.
fn spawn(hub: &Hub, args: &[&str]) -> std::thread::JoinHandle<Run> {
    let cmd = hub.dmctl(args);
    std::thread::spawn(move || cmd.run())
}

fn info_payload() -> Value {
    json!({"hostname": "sensor-042", "osId": "debian", "osVersion": "12",
           "osPrettyName": "Debian GNU/Linux 12 (bookworm)", "kernel": "6.1.0-31-arm64",
           "arch": "aarch64", "cpuModel": "Cortex-A72", "cpuCount": 4,
           "memoryTotalBytes": 4_124_225_536_u64, "memoryAvailableBytes": 3_011_022_848_u64,
           "agentVersion": "0.1.0"})
}

#[test]
fn info_shows_the_inventory_and_its_json_parses_back() {
    let hub = Hub::start();
    let _d = full_agent(&hub, "d1", |name, _| {
        (name == "dm.info.get").then(|| (200, info_payload()))
    });
    let run = hub.dmctl(&["info", "-d", "d1"]).run();
    run.assert_code(0);
    snap!("info_table", run.snapshot_text(&[]));

    let run = hub.dmctl(&["info", "-d", "d1", "-o", "json"]).run();
    run.assert_code(0);
    let doc = run.json();
    assert_eq!(doc["deviceId"], "d1");
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["result"]["action"], "dm.info.get");
    assert_eq!(doc["result"]["status"], 200);
    assert_eq!(doc["result"]["result"], info_payload());
}

#[test]
fn dry_run_prints_the_exact_call_and_sends_nothing() {
    let hub = Hub::start();
    let d = full_agent(&hub, "d1", |_, _| Some(accepted("never")));
    let run = hub
        .dmctl(&[
            "reboot",
            "-d",
            "d1",
            "--in",
            "5m",
            "--reason",
            "kernel update",
            "--dry-run",
        ])
        .run();
    run.assert_code(0);
    snap!("reboot_dry_run", run.snapshot_text(&[]));

    let run = hub
        .dmctl(&[
            "wifi",
            "add",
            "Plant 4",
            "-d",
            "d1",
            "--passphrase-file",
            "-",
            "--dry-run",
            "-o",
            "json",
        ])
        .stdin("correct horse battery\n")
        .run();
    run.assert_code(0);
    assert!(!run.stdout.contains("correct horse"), "{}", run.stdout);
    assert!(!run.stderr.contains("correct horse"), "{}", run.stderr);
    let request = &run.json()["result"]["request"];
    assert_eq!(request["method"], "POST");
    assert_eq!(request["path"], "/twins/d1/methods");
    assert_eq!(
        request["body"]["payload"],
        json!({"ssid": "Plant 4", "security": "wpa2Psk", "passphrase": "<redacted>"})
    );
    assert!(d.calls().is_empty(), "a dry run sent {:?}", d.calls());
}

#[test]
fn the_secret_is_sent_but_never_shown() {
    let hub = Hub::start();
    let d = full_agent(&hub, "d1", |name, payload| {
        (name == "dm.wifi.add").then(|| {
            (200, json!({"id": "p-1", "ssid": payload["ssid"], "security": "wpa2Psk", "autoConnect": true}))
        })
    });
    let run = hub
        .dmctl(&[
            "wifi",
            "add",
            "Plant 4",
            "-d",
            "d1",
            "--passphrase-file",
            "-",
        ])
        .stdin("correct horse battery\n")
        .run();
    run.assert_code(0);
    assert!(!run.stdout.contains("correct horse") && !run.stderr.contains("correct horse"));
    snap!("wifi_add", run.snapshot_text(&[]));
    let calls = d.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].1["passphrase"], "correct horse battery");

    // No terminal and no file: refused before anything is sent.
    let run = hub.dmctl(&["wifi", "add", "Plant 4", "-d", "d1"]).run();
    run.assert_code(2);
    assert!(run.stderr.contains("--passphrase-file"), "{}", run.stderr);
    assert_eq!(d.calls().len(), 1);
}

#[test]
fn an_operation_the_manifest_does_not_list_is_refused_locally() {
    let hub = Hub::start();
    let d = agent(
        &hub,
        "d1",
        Some(manifest(&[Method::Reboot, Method::InfoGet])),
        |_, _| Some(accepted("never")),
    );
    let digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let run = hub
        .dmctl(&[
            "apps",
            "install",
            "plc-bridge",
            "-d",
            "d1",
            "--url",
            "https://artifacts.example.com/plc.deb",
            "--sha256",
            digest,
        ])
        .run();
    run.assert_code(7);
    snap!("apps_install_not_supported", run.snapshot_text(&[]));
    assert!(d.calls().is_empty());
}

#[test]
fn a_device_without_an_agent_is_refused() {
    let hub = Hub::start();
    let d = agent(&hub, "plain", None, |_, _| Some((200, json!({}))));
    let run = hub.dmctl(&["report-all", "-d", "plain"]).run();
    // Nothing was sent and no agent can answer: not found, not "the device answered".
    run.assert_code(4);
    snap!("report_all_no_agent", run.snapshot_text(&[]));
    assert!(d.calls().is_empty());

    let run = hub.dmctl(&["info", "-d", "nobody"]).run();
    run.assert_code(4);
}

#[test]
fn a_busy_device_exits_8_with_the_retry_hint() {
    let hub = Hub::start();
    let _d = full_agent(&hub, "d1", |_, _| {
        Some((
            409,
            json!({"code": "busy", "message": "busy lease `flash-fw` held by `plc-bridge`: firmware flash in progress", "retryAfter": 240}),
        ))
    });
    let run = hub.dmctl(&["reboot", "-d", "d1"]).run();
    run.assert_code(8);
    snap!("reboot_busy", run.snapshot_text(&[]));
}

#[test]
fn a_device_refusing_the_payload_exits_7() {
    let hub = Hub::start();
    let _d = full_agent(&hub, "d1", |_, _| {
        Some((
            400,
            json!({"code": "pathNotAllowed", "message": "`/etc/shadow` is outside the allowed log roots", "field": "paths[0]"}),
        ))
    });
    let run = hub
        .dmctl(&["logs", "collect", "-d", "d1", "--path", "/etc/shadow"])
        .run();
    run.assert_code(7);
    snap!("logs_collect_refused", run.snapshot_text(&[]));
}

#[test]
fn an_offline_device_exits_5_with_the_connect_timeout_hint() {
    let hub = Hub::start();
    let d = full_agent(&hub, "d1", |_, _| Some(accepted("never")));
    hub.runtime.block_on(d.device.client.disconnect()).unwrap();
    wait_twin(&hub, "d1", |t| t["connectionState"] == "Disconnected");
    let run = hub.dmctl(&["reboot", "-d", "d1"]).run();
    run.assert_code(5);
    snap!("reboot_offline", run.snapshot_text(&[]));
}

#[test]
fn wait_follows_the_envelope_to_success() {
    let hub = Hub::start();
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    let d = full_agent(&hub, "d1", move |name, _| {
        (name == "dm.reboot").then(|| {
            let _ = tx.lock().unwrap().send(());
            accepted("op-7")
        })
    });
    let running = spawn(&hub, &["reboot", "-d", "d1", "--wait", "--timeout", "60s"]);
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the reboot arrives");
    let ops = |state: &str, extra: Value| json!({"dm": {"reboot": {"operations": {"op-7": envelope("op-7", "dm.reboot", state, &extra)}}}});
    report(&hub, &d.device, "d1", &ops("running", json!({})));
    report(
        &hub,
        &d.device,
        "d1",
        &ops(
            "succeeded",
            json!({"progress": 100, "result": {"bootTime": "2025-03-01T10:02:13Z"}}),
        ),
    );
    let run = running.join().unwrap();
    run.assert_code(0);
    snap!("reboot_wait_succeeded", run.snapshot_text(&[]));

    // The same operation read back as JSON: the whole final envelope.
    let run = hub
        .dmctl(&["reboot", "-d", "d1", "--wait", "-o", "json"])
        .run();
    run.assert_code(0);
    let op = &run.json()["result"]["operation"];
    assert_eq!(op["state"], "succeeded");
    assert_eq!(op["result"]["bootTime"], "2025-03-01T10:02:13Z");
}

#[test]
fn wait_reports_a_failed_operation_with_exit_7() {
    let hub = Hub::start();
    let d = full_agent(&hub, "d1", |name, _| {
        (name == "dm.apps.install").then(|| accepted("op-9"))
    });
    report(
        &hub,
        &d.device,
        "d1",
        &json!({"dm": {"apps": {"operations": {"op-9": envelope("op-9", "dm.apps.install", "failed",
            &json!({"error": {"code": "checksumMismatch", "message": "the download's SHA-256 is 2c26b46b…, expected 9f86d081…"}}))}}}}),
    );
    let digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let run = hub
        .dmctl(&[
            "apps",
            "install",
            "plc",
            "-d",
            "d1",
            "--url",
            "https://a.example/plc.deb",
            "--sha256",
            digest,
            "--wait",
        ])
        .run();
    run.assert_code(7);
    snap!("apps_install_wait_failed", run.snapshot_text(&[]));
}

#[test]
fn wait_gives_up_with_exit_6() {
    let hub = Hub::start();
    let _d = full_agent(&hub, "d1", |_, _| Some(accepted("op-slow")));
    let run = hub
        .dmctl(&["updates", "scan", "-d", "d1", "--wait", "--timeout", "2s"])
        .run();
    run.assert_code(6);
    snap!("updates_scan_wait_timeout", run.snapshot_text(&[]));
}

#[test]
fn without_wait_the_operation_id_is_printed() {
    let hub = Hub::start();
    let _d = full_agent(&hub, "d1", |_, _| Some(accepted("op-1")));
    let run = hub
        .dmctl(&["apps", "restart", "plc", "-d", "d1", "--postpone"])
        .run();
    run.assert_code(0);
    snap!("apps_restart_accepted", run.snapshot_text(&[]));
}

#[test]
fn fleet_runs_report_each_device_and_exit_10_on_partial_failure() {
    let hub = Hub::start();
    let _a = full_agent(&hub, "a", |_, _| Some((200, info_payload())));
    let _b = full_agent(&hub, "b", |_, _| {
        Some((
            500,
            json!({"code": "failed", "message": "os-release is unreadable"}),
        ))
    });
    let run = hub.dmctl(&["info", "-d", "a", "-d", "b"]).run();
    run.assert_code(10);
    snap!("info_fleet_partial", run.snapshot_text(&[]));

    let run = hub
        .dmctl(&[
            "info",
            "--query",
            "WHERE deviceId IN ['a', 'b']",
            "-o",
            "jsonl",
        ])
        .run();
    run.assert_code(10);
    let mut lines = run.json_lines();
    lines.sort_by(|x, y| x["deviceId"].as_str().cmp(&y["deviceId"].as_str()));
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["ok"], true);
    assert_eq!(lines[0]["result"]["result"]["hostname"], "sensor-042");
    assert_eq!(lines[1]["ok"], false);
    assert_eq!(lines[1]["error"]["exitCode"], 7);
}

#[test]
fn disruptive_commands_on_several_devices_need_yes() {
    let hub = Hub::start();
    let a = full_agent(&hub, "a", |_, _| Some(accepted("op-a")));
    let b = full_agent(&hub, "b", |_, _| Some(accepted("op-b")));
    let run = hub.dmctl(&["reboot", "-d", "a", "-d", "b"]).run();
    run.assert_code(2);
    snap!("reboot_fleet_without_yes", run.snapshot_text(&[]));
    assert!(a.calls().is_empty() && b.calls().is_empty());

    let run = hub.dmctl(&["reboot", "-d", "a", "-d", "b", "--yes"]).run();
    run.assert_code(0);
    assert_eq!((a.calls().len(), b.calls().len()), (1, 1));
}

#[test]
fn factory_reset_is_confirmed_by_the_device_id() {
    let hub = Hub::start();
    let d = full_agent(&hub, "d1", |_, _| Some(accepted("op-r")));
    let _e = full_agent(&hub, "d2", |_, _| Some(accepted("op-r")));
    let run = hub.dmctl(&["factory-reset", "-d", "d1"]).run();
    run.assert_code(2);
    snap!("factory_reset_unconfirmed", run.snapshot_text(&[]));
    let run = hub
        .dmctl(&["factory-reset", "-d", "d1", "--yes", "--confirm", "d2"])
        .run();
    run.assert_code(2);
    let run = hub
        .dmctl(&[
            "factory-reset",
            "-d",
            "d1",
            "-d",
            "d2",
            "--confirm",
            "d1",
            "--yes",
        ])
        .run();
    run.assert_code(2);
    assert!(d.calls().is_empty());

    let run = hub
        .dmctl(&[
            "factory-reset",
            "-d",
            "d1",
            "--yes",
            "--confirm",
            "d1",
            "--wipe-data",
        ])
        .run();
    run.assert_code(0);
    assert_eq!(
        d.calls(),
        [(
            "dm.factoryReset".to_owned(),
            json!({"confirmDeviceId": "d1", "wipeData": true})
        )]
    );
}

#[test]
fn time_set_waits_for_the_agent_to_apply_the_desired_version() {
    let hub = Hub::start();
    let d = full_agent(&hub, "d1", |_, _| None);
    let running = spawn(
        &hub,
        &[
            "time",
            "set",
            "-d",
            "d1",
            "--tz",
            "Europe/Paris",
            "--wait",
            "--timeout",
            "60s",
        ],
    );
    let twin = wait_twin(&hub, "d1", |t| {
        t["properties"]["desired"]["dm"]["time"]["timeZone"] == "Europe/Paris"
    });
    let version = twin["properties"]["desired"]["$version"].as_u64().unwrap();
    let mut apply = envelope("d-time", "dm.time.apply", "succeeded", &json!({}));
    apply["desiredVersion"] = json!(version);
    report(
        &hub,
        &d.device,
        "d1",
        &json!({"dm": {"time": {"timeZone": "Europe/Paris", "operations": {"d-time": apply}}}}),
    );
    let run = running.join().unwrap();
    run.assert_code(0);
    snap!("time_set_wait", run.snapshot_text(&[]));
    assert!(
        d.calls().is_empty(),
        "time set is desired state, not a method"
    );
}

#[test]
fn busy_show_lists_the_live_leases() {
    let hub = Hub::start();
    let d = full_agent(&hub, "d1", |_, _| None);
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(600);
    report(
        &hub,
        &d.device,
        "d1",
        &json!({"dm": {"busy": {"leases": [{"id": "flash-fw", "holder": "plc-bridge",
            "reason": "firmware flash in progress", "acquiredAt": "2025-03-01T09:58:00Z",
            "expiresAt": later.to_string()}]}}}),
    );
    let run = hub.dmctl(&["busy", "show", "-d", "d1"]).run();
    run.assert_code(0);
    snap!("busy_show", run.snapshot_text(&[]));
}

#[test]
fn logs_are_printed_as_text_or_written_to_a_file() {
    let hub = Hub::start();
    let _d = full_agent(&hub, "d1", |_, _| {
        Some((
            200,
            json!({"bytes": 61, "content": "Mar 01 10:00:00 sensor-042 plc-bridge[812]: connected to PLC\n"}),
        ))
    });
    let run = hub
        .dmctl(&[
            "logs",
            "collect",
            "-d",
            "d1",
            "--unit",
            "plc-bridge.service",
            "--since",
            "1h",
        ])
        .run();
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        "Mar 01 10:00:00 sensor-042 plc-bridge[812]: connected to PLC\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d1.log");
    let run = hub
        .dmctl(&[
            "logs",
            "collect",
            "-d",
            "d1",
            "--out",
            file.to_str().unwrap(),
        ])
        .run();
    run.assert_code(0);
    assert_eq!(run.stdout, "");
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("connected to PLC")
    );

    // Several devices: one file each, and a table run without --out would lose the logs.
    let _e = full_agent(&hub, "d2", |_, _| {
        Some((200, json!({"bytes": 10, "content": "d2 booted\n"})))
    });
    let run = hub
        .dmctl(&["logs", "collect", "-d", "d1", "-d", "d2"])
        .run();
    run.assert_code(2);
    assert!(run.stderr.contains("--out DIR"), "{}", run.stderr);
    let out = dir.path().join("fleet");
    let out_text = out.to_str().unwrap();
    let run = hub
        .dmctl(&["logs", "collect", "-d", "d1", "-d", "d2", "--out", out_text])
        .run();
    run.assert_code(0);
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    assert_eq!(read("d2.log"), "d2 booted\n");
    assert!(read("d1.log").contains("connected to PLC"));
    assert!(run.stdout.contains("written to"), "{}", run.stdout);
}
