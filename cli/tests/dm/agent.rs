//! Typed commands against real dm agents (dm-agent with sandbox providers) connected to the
//! local hub: the main path of every command family, `--wait` across reboots and resets, and a
//! busy lease taken by an application on the device.

use std::time::Duration;

use dm_agent::connection::{ConnectionSettings, DeviceIdentity};
use dm_agent::daemon::{Backend, DaemonConfig};
use dm_agent::leases::{AcquireRequest, Leases};
use dmctl::dm::simulation::{SimulateOptions, SimulatedDevices, Simulation};
use serde_json::Value;

use crate::dm_snap;
use crate::support::Hub;

/// Simulated devices `{prefix}1..={count}`, connected and with their manifests reported.
pub(crate) struct Fleet {
    simulation: Simulation,
    _sandboxes: tempfile::TempDir,
}

pub(crate) fn simulate(hub: &Hub, prefix: &str, count: usize) -> Fleet {
    // The test package servers speak plain http on 127.0.0.1.
    simulate_with(hub, prefix, count, |options| {
        options.artifacts.allow_http = true;
    })
}

/// Like [`simulate`], with the simulation's options changed by `change` first.
pub(crate) fn simulate_with(
    hub: &Hub,
    prefix: &str,
    count: usize,
    change: impl FnOnce(&mut SimulateOptions),
) -> Fleet {
    let sandboxes = tempfile::tempdir().unwrap();
    let mut options = SimulateOptions::new(
        SimulatedDevices::Service {
            connection_string: Box::new(hub.connection_string.parse().unwrap()),
            count,
            prefix: prefix.to_owned(),
            create: true,
        },
        sandboxes.path(),
    );
    options.ca_pem = Some(hub.hub().ca_pem().into_bytes());
    options.gateway_host_name = Some(hub.hub().gateway_host_name());
    options.reboot_downtime = Duration::from_millis(500);
    change(&mut options);
    let simulation = hub.runtime.block_on(async {
        let simulation = Simulation::start(options).await.unwrap();
        assert!(simulation.wait_connected(Duration::from_secs(30)).await);
        simulation
    });
    for id in simulation.device_ids() {
        wait_for_manifest(hub, &id);
    }
    Fleet {
        simulation,
        _sandboxes: sandboxes,
    }
}

impl Fleet {
    pub(crate) fn stop(self, hub: &Hub) {
        hub.runtime.block_on(self.simulation.stop());
    }
}

pub(crate) fn wait_for_manifest(hub: &Hub, id: &str) {
    for _ in 0..300 {
        let run = hub.dmctl(&["busy", "show", "-d", id, "-o", "json"]).run();
        if run.code == 0 {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{id} never reported its agent manifest");
}

/// Runs each step in order and returns the transcript: the command, then what it printed.
fn transcript(hub: &Hub, steps: &[&[&str]]) -> String {
    let mut text = String::new();
    for step in steps {
        let run = hub.dmctl(step).run();
        let line = format!("$ dmctl {}\n{}\n", step.join(" "), run.snapshot_text(&[]));
        text.push_str(&line.replace(&hub.dir_text(), "[HUB_DIR]"));
    }
    text
}

fn json_of(hub: &Hub, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.extend(["-o", "json"]);
    let run = hub.dmctl(&args).run();
    run.assert_code(0);
    run.json()
}

#[test]
fn apps_install_control_and_remove_on_a_simulated_device() {
    let hub = Hub::start();
    let fleet = simulate(&hub, "app-", 1);
    let (url, sha256, server) = hub
        .runtime
        .block_on(dmctl::dm::demo::serve_package(
            b"plc-bridge 2.4.1\n".to_vec(),
        ))
        .unwrap();
    let text = transcript(
        &hub,
        &[
            &[
                "apps",
                "install",
                "plc-bridge",
                "-d",
                "app-1",
                "--url",
                &url,
                "--sha256",
                &sha256,
                "--wait",
            ],
            &["apps", "list", "-d", "app-1", "--filter", "plc"],
            &["apps", "stop", "plc-bridge", "-d", "app-1", "--wait"],
            &["apps", "disable", "plc-bridge", "-d", "app-1"],
            &["apps", "start", "plc-bridge", "-d", "app-1", "--wait"],
            &["apps", "enable", "plc-bridge", "-d", "app-1"],
            &["apps", "restart", "plc-bridge", "-d", "app-1", "--wait"],
            &[
                "apps",
                "remove",
                "plc-bridge",
                "-d",
                "app-1",
                "--purge",
                "--wait",
            ],
            &["apps", "list", "-d", "app-1", "--filter", "plc"],
            &["apps", "enable", "plc-bridge", "-d", "app-1"],
        ],
    );
    dm_snap!("agent_apps", text);

    // A wrong digest is caught by the device, and reported as the operation's failure.
    let wrong = "0".repeat(64);
    let run = hub
        .dmctl(&[
            "apps", "install", "other", "-d", "app-1", "--url", &url, "--sha256", &wrong, "--wait",
        ])
        .run();
    run.assert_code(7);
    assert!(run.stderr.contains("checksumMismatch"), "{}", run.stderr);
    server.abort();
    fleet.stop(&hub);
}

#[test]
fn settings_certificates_updates_and_logs_on_a_simulated_device() {
    let hub = Hub::start();
    let fleet = simulate(&hub, "cfg-", 1);
    let ca = hub.ca_file.display().to_string();
    let mut text = transcript(
        &hub,
        &[
            &["time", "show", "-d", "cfg-1"],
            &[
                "time",
                "set",
                "-d",
                "cfg-1",
                "--tz",
                "Europe/Paris",
                "--ntp",
                "0.pool.ntp.org",
                "--wait",
            ],
            &["time", "show", "-d", "cfg-1"],
            &[
                "reboot",
                "schedule",
                "-d",
                "cfg-1",
                "--daily",
                "03:30",
                "--tz",
                "Europe/Paris",
                "--wait",
            ],
            &[
                "certs", "install", "-d", "cfg-1", "--store", "trust", "--pem", &ca, "--wait",
            ],
            &["certs", "list", "-d", "cfg-1", "--store", "trust"],
            &["updates", "scan", "-d", "cfg-1", "--wait"],
            &["updates", "policy", "security", "-d", "cfg-1", "--wait"],
            &["updates", "approve", "openssl", "-d", "cfg-1", "--wait"],
            &["updates", "show", "-d", "cfg-1"],
            &["updates", "install", "openssl", "-d", "cfg-1", "--wait"],
            &[
                "logs",
                "collect",
                "-d",
                "cfg-1",
                "--since",
                "1h",
                "--max-bytes",
                "4096",
            ],
            // The agent reads logs only under its allowed roots (400 → exit 7); a `..` never
            // leaves dmctl (exit 2).
            &["logs", "collect", "-d", "cfg-1", "--path", "/etc/shadow"],
            &[
                "logs",
                "collect",
                "-d",
                "cfg-1",
                "--path",
                "/var/log/../etc",
            ],
            &["report-all", "-d", "cfg-1"],
            &["busy", "show", "-d", "cfg-1"],
        ],
    );
    let listed = json_of(&hub, &["certs", "list", "-d", "cfg-1", "--store", "trust"]);
    let thumbprint = listed["result"]["result"]["certificates"][0]["thumbprint"]
        .as_str()
        .unwrap()
        .to_owned();
    text.push_str(&transcript(
        &hub,
        &[
            &[
                "certs",
                "show",
                &thumbprint,
                "-d",
                "cfg-1",
                "--store",
                "trust",
            ],
            &[
                "certs",
                "remove",
                &thumbprint,
                "-d",
                "cfg-1",
                "--store",
                "trust",
            ],
            &[
                "certs",
                "show",
                &thumbprint,
                "-d",
                "cfg-1",
                "--store",
                "trust",
            ],
        ],
    ));
    dm_snap!("agent_settings", text);

    // The passphrase goes to the device and nowhere else: not to the output, not to the twin.
    let run = hub
        .dmctl(&[
            "wifi",
            "add",
            "Plant 4",
            "-d",
            "cfg-1",
            "--passphrase-file",
            "-",
            "--priority",
            "10",
        ])
        .stdin("correct horse battery\n")
        .run();
    run.assert_code(0);
    let listed = json_of(&hub, &["wifi", "list", "-d", "cfg-1"]);
    assert_eq!(listed["result"]["result"]["profiles"][0]["ssid"], "Plant 4");
    let twin = hub
        .dmctl(&["twin", "show", "-d", "cfg-1", "-o", "json"])
        .run();
    assert!(twin.stdout.contains("Plant 4"), "the profile is reported");
    assert!(
        !twin.stdout.contains("correct horse"),
        "the passphrase reached the twin"
    );
    let removed = json_of(
        &hub,
        &["wifi", "remove", "-d", "cfg-1", "--ssid", "Plant 4"],
    );
    assert_eq!(removed["result"]["result"]["removed"][0]["ssid"], "Plant 4");
    fleet.stop(&hub);
}

/// The files of a `.tar.gz`, with their contents.
fn untar(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read as _;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    archive
        .entries()
        .unwrap()
        .map(|entry| {
            let mut entry = entry.unwrap();
            let name = entry.path().unwrap().display().to_string();
            let mut content = Vec::new();
            entry.read_to_end(&mut content).unwrap();
            (name, content)
        })
        .collect()
}

#[test]
fn uploaded_log_bundles_are_fetched_from_the_local_hub_into_out() {
    let hub = Hub::start();
    let fleet = simulate(&hub, "up-", 2);
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("up-1.tgz");
    let file_text = file.to_str().unwrap();

    // One device: --out implies following the upload to its end, then the bundle is fetched.
    let run = hub
        .dmctl(&[
            "logs", "collect", "-d", "up-1", "--upload", "--out", file_text,
        ])
        .run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let files = untar(&std::fs::read(&file).unwrap());
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["logs.txt", "collect.json"]);
    let info: Value = serde_json::from_slice(&files[1].1).unwrap();
    assert_eq!(info["deviceId"], "up-1");
    assert_eq!(info["bytes"].as_u64().unwrap(), files[0].1.len() as u64);
    // The bundle is the blob the hub recorded, and the hub heard the upload finish.
    let uploads = hub.hub().hub().file_uploads().unwrap();
    let upload = uploads.iter().find(|u| u.device_id == "up-1").unwrap();
    assert_eq!(
        std::fs::read(hub.hub().hub().blob_path(&upload.blob_name)).unwrap(),
        std::fs::read(&file).unwrap()
    );
    assert!(upload.completion.as_ref().unwrap().is_success);

    // Several devices: DIR/<device>.tar.gz each, and the JSON result names the blob.
    let dir = out.path().join("fleet");
    let run = hub
        .dmctl(&[
            "logs",
            "collect",
            "-d",
            "up-1",
            "-d",
            "up-2",
            "--upload",
            "--out",
            dir.to_str().unwrap(),
            "-o",
            "jsonl",
        ])
        .run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    for id in ["up-1", "up-2"] {
        let bundle = std::fs::read(dir.join(format!("{id}.tar.gz"))).unwrap();
        assert_eq!(untar(&bundle)[0].0, "logs.txt");
    }
    for line in run.stdout.lines() {
        let row: Value = serde_json::from_str(line).unwrap();
        let blob = row["result"]["result"]["upload"]["blobName"]
            .as_str()
            .unwrap();
        assert!(
            blob.starts_with(&format!("{}/logs-", row["deviceId"].as_str().unwrap())),
            "{row}"
        );
        assert!(!line.contains("sig="), "a SAS reached the output: {line}");
    }
    fleet.stop(&hub);
}

#[test]
fn reboot_and_factory_reset_wait_until_the_device_is_back() {
    let hub = Hub::start();
    let fleet = simulate(&hub, "rb-", 2);
    let before = json_of(&hub, &["info", "-d", "rb-1"])["result"]["result"]["bootTime"].clone();
    let rebooted = json_of(
        &hub,
        &["reboot", "-d", "rb-1", "--reason", "kernel", "--wait"],
    );
    let op = &rebooted["result"]["operation"];
    assert_eq!(op["state"], "succeeded");
    assert_eq!(op["op"], "dm.reboot");
    let after = json_of(&hub, &["info", "-d", "rb-1"])["result"]["result"]["bootTime"].clone();
    assert_ne!(before, after, "the device booted again");
    assert_eq!(op["result"]["bootTime"], after);

    let text = transcript(
        &hub,
        &[
            &["reboot", "-d", "rb-1", "--in", "1", "--wait"],
            &[
                "factory-reset",
                "-d",
                "rb-2",
                "--yes",
                "--confirm",
                "rb-2",
                "--wait",
            ],
            &["reboot", "-d", "rb-1", "-d", "rb-2", "--yes", "--wait"],
        ],
    );
    dm_snap!("agent_reboots", text);

    // Once the agents stop, the hub has no one to deliver to: exit 5, with the hint.
    fleet.stop(&hub);
    for _ in 0..100 {
        let twin = hub
            .dmctl(&["twin", "show", "-d", "rb-1", "-o", "json"])
            .run();
        if twin.stdout.contains("Disconnected") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let run = hub.dmctl(&["info", "-d", "rb-1"]).run();
    run.assert_code(5);
    assert!(run.stderr.contains("DeviceNotOnline"), "{}", run.stderr);
    assert!(run.stderr.contains("--connect-timeout"), "{}", run.stderr);
}

/// One agent whose busy leases the test holds, as an application on the device would.
struct BusyDevice {
    leases: Leases,
    stop: tokio::sync::watch::Sender<bool>,
    _dir: tempfile::TempDir,
}

fn busy_device(hub: &Hub, id: &str) -> BusyDevice {
    let cs = hub.create_device(id);
    let dir = tempfile::tempdir().unwrap();
    let mut identity = DeviceIdentity::from_connection_string(cs, None).unwrap();
    identity.gateway_host_name = Some(hub.hub().gateway_host_name());
    let state = dir.path().join("state");
    let mut settings = ConnectionSettings::new(identity, &state).unwrap();
    settings.ca_pem = Some(hub.hub().ca_pem().into_bytes());
    let leases = Leases::new();
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let mut config = DaemonConfig::new(
        settings,
        Backend::Sandbox {
            dir: dir.path().join("sandbox"),
            reboot_downtime: None,
        },
    );
    config.leases = Some(leases.clone());
    hub.runtime.block_on(async {
        tokio::spawn(dm_agent::daemon::run(config, async move {
            let _ = stopped.wait_for(|s| *s).await;
        }));
    });
    wait_for_manifest(hub, id);
    BusyDevice {
        leases,
        stop,
        _dir: dir,
    }
}

#[test]
fn a_busy_lease_refuses_postpones_or_yields_to_force() {
    let hub = Hub::start();
    let device = busy_device(&hub, "busy-1");
    device
        .leases
        .acquire(AcquireRequest {
            id: Some("flash-fw".into()),
            holder: "plc-bridge".into(),
            reason: "firmware flash in progress".into(),
            ttl_seconds: 600,
        })
        .unwrap();
    for _ in 0..100 {
        let busy = json_of(&hub, &["busy", "show", "-d", "busy-1"]);
        if busy["result"]["reported"]["leases"][0]["id"] == "flash-fw" {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let text = transcript(
        &hub,
        &[
            &["busy", "show", "-d", "busy-1"],
            &["reboot", "-d", "busy-1"],
            &["reboot", "-d", "busy-1", "--force", "--wait"],
            &[
                "reboot",
                "-d",
                "busy-1",
                "--postpone",
                "--wait",
                "--timeout",
                "2s",
            ],
            // The postponed reboot still waits for the lease: a second one is a conflict.
            &["reboot", "-d", "busy-1", "--force"],
        ],
    );
    dm_snap!("agent_busy", text);
    let _ = device.stop.send(true);
}
