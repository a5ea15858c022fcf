//! The Linux backends behind the dispatcher, with the recording runner: the exact commands and
//! files each method and desired section touches (CI has no systemd), and the manifest built
//! from the tools found.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::sync::Arc;

use crate::core_common::{DEVICE_ID, FakeTransport, write};
use dm_agent::Agent;
use dm_agent::providers::LinuxOptions;
use dm_agent::runner::{Output, RecordingRunner};
use serde_json::{Value, json};

struct Linux {
    client: Agent,
    transport: Arc<FakeTransport>,
    runner: RecordingRunner,
    root: tempfile::TempDir,
    n: std::sync::atomic::AtomicU32,
}

impl Linux {
    fn new(prepare: impl FnOnce(&Path, &RecordingRunner)) -> Self {
        let root = tempfile::tempdir().unwrap();
        write(&root.path().join("proc/stat"), b"btime 1740809529\n");
        let runner = RecordingRunner::new();
        prepare(root.path(), &runner);
        let transport = FakeTransport::new();
        let client = Agent::builder(transport.clone())
            .device_id(DEVICE_ID)
            .state_dir(root.path().join("var/lib/dm-agent"))
            .linux(Arc::new(runner.clone()))
            .linux_options(LinuxOptions {
                root: root.path().to_owned(),
                ..LinuxOptions::default()
            })
            .build()
            .unwrap();
        Self {
            client,
            transport,
            runner,
            root,
            n: std::sync::atomic::AtomicU32::default(),
        }
    }

    async fn call(&self, name: &str, payload: Value) -> (u16, Value) {
        let rid = format!(
            "r{}",
            self.n.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        assert!(
            self.client
                .handle_method(&rid, name, payload.to_string().as_bytes())
                .await
        );
        self.transport.answer(&rid).await
    }

    async fn run(&self, name: &str, section: &str, payload: Value) -> Value {
        let (status, body) = self.call(name, payload).await;
        assert_eq!(status, 202, "{name}: {body}");
        self.transport
            .final_envelope(section, body["operationId"].as_str().unwrap())
            .await
    }

    /// The commands run since the last call, leaving out read-only probes of unit state.
    fn take(&self) -> Vec<String> {
        let lines = self.runner.lines();
        self.runner.clear();
        lines
    }
}

#[tokio::test]
async fn the_manifest_lists_only_what_this_device_can_do() {
    let device =
        Linux::new(|_, runner| runner.without(&["nmcli", "apt-get", "update-ca-certificates"]));
    let manifest = device.client.manifest();
    let inactive: Vec<(&str, &str)> = manifest
        .providers
        .iter()
        .filter(|(_, p)| !p.active)
        .map(|(s, p)| (s.as_str(), p.reason.as_deref().unwrap()))
        .collect();
    assert_eq!(
        inactive,
        [
            ("certificates", "update-ca-certificates was not found"),
            (
                "factoryReset",
                "no factory-reset hook is installed at /etc/dm-agent/factory-reset"
            ),
            ("network", "NetworkManager (nmcli) was not found"),
            (
                "updates",
                "apt-get was not found and no update hook is configured"
            ),
        ]
    );
    for (name, payload) in [
        ("dm.wifi.list", json!({})),
        ("dm.updates.scan", json!({})),
        ("dm.certificates.list", json!({})),
        ("dm.factoryReset", json!({"confirmDeviceId": DEVICE_ID})),
    ] {
        let (status, body) = device.call(name, payload).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (501, Some("notSupported")),
            "{name}"
        );
    }
    assert!(
        device.take().is_empty(),
        "an inactive provider runs nothing"
    );
    device.client.report_all().await;
    let agent = &device.transport.reported()["dm"]["agent"];
    assert_eq!(agent["providers"]["network"]["active"], false);
    assert_eq!(agent["providers"]["reboot"]["backend"], "linux");
}

#[tokio::test]
async fn app_methods_run_systemctl_and_apt() {
    let device = Linux::new(|_, runner| {
        runner.answer(
            "systemctl show",
            Output::ok("LoadState=loaded\nActiveState=active\nUnitFileState=enabled\n"),
        );
        runner.answer(
            "dpkg-query -W -f=${Version} plc-bridge",
            Output::ok("2.4.1"),
        );
    });
    let envelope = device
        .run("dm.apps.restart", "apps", json!({"name": "plc-bridge"}))
        .await;
    assert_eq!(
        envelope["result"],
        json!({"name": "plc-bridge", "kind": "package", "version": "2.4.1", "state": "active", "enabled": true})
    );
    assert!(
        device
            .take()
            .contains(&"systemctl restart plc-bridge.service".to_owned())
    );
    let (status, _) = device
        .call("dm.apps.disable", json!({"name": "plc-bridge.service"}))
        .await;
    assert_eq!(status, 200);
    assert!(
        device
            .take()
            .contains(&"systemctl disable plc-bridge.service".to_owned())
    );
    device
        .run("dm.apps.remove", "apps", json!({"name": "plc-bridge"}))
        .await;
    let lines = device.take();
    assert_eq!(
        lines.last().unwrap(),
        "DEBIAN_FRONTEND=noninteractive apt-get remove -y plc-bridge"
    );
}

#[tokio::test]
async fn desired_time_runs_timedatectl_and_writes_the_timesyncd_drop_in() {
    let device = Linux::new(|root, runner| {
        write(&root.join("usr/share/zoneinfo/Europe/Paris"), b"TZif");
        runner.answer(
            "timedatectl show",
            Output::ok("Timezone=Europe/Paris\nNTPSynchronized=yes\n"),
        );
    });
    device
        .client
        .handle_full_twin(&json!({"desired": {"dm": {"time": {"timeZone": "Europe/Paris", "ntpServers": ["ntp.plant.example.com"]}}, "$version": 4}}))
        .await;
    assert_eq!(
        device.transport.final_envelope("time", "d4-time").await["state"],
        "succeeded"
    );
    let lines = device.take();
    let changes: Vec<&String> = lines
        .iter()
        .filter(|l| {
            !l.starts_with("timedatectl show")
                && !l.starts_with("systemctl show")
                && !l.starts_with("uname")
                && !l.starts_with("df")
                && !l.starts_with("nmcli")
                && !l.starts_with("dpkg-query")
        })
        .collect();
    assert_eq!(
        changes,
        [
            "timedatectl set-timezone Europe/Paris",
            "systemctl restart systemd-timesyncd"
        ]
    );
    let drop_in = std::fs::read_to_string(
        device
            .root
            .path()
            .join("etc/systemd/timesyncd.conf.d/dm-agent.conf"),
    )
    .unwrap();
    assert!(drop_in.contains("NTP=ntp.plant.example.com"));
    let reported = device
        .transport
        .reported_until("the synchronized clock", |d| {
            d["dm"]["time"]["ntpSynchronized"] == true
        })
        .await;
    assert_eq!(reported["dm"]["time"]["timeZone"], "Europe/Paris");
}

#[tokio::test]
async fn factory_reset_runs_the_owner_hook_then_reboots() {
    let device = Linux::new(|root, _| {
        let hook = root.join("etc/dm-agent/factory-reset");
        write(&hook, b"#!/bin/sh\nexit 0\n");
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o700)).unwrap();
    });
    let (status, body) = device
        .call(
            "dm.factoryReset",
            json!({"confirmDeviceId": DEVICE_ID, "clearTpm": true}),
        )
        .await;
    assert_eq!(status, 202);
    let id = body["operationId"].as_str().unwrap().to_owned();
    device
        .transport
        .reported_until("the reset waiting for the boot", |d| {
            d["dm"]["factoryReset"]["operations"][&id]["state"] == "running"
        })
        .await;
    for _ in 0..3000 {
        if device
            .runner
            .lines()
            .iter()
            .any(|l| l == "systemctl reboot")
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let lines: Vec<String> = device
        .take()
        .into_iter()
        .filter(|l| {
            !l.starts_with("systemctl show")
                && !l.starts_with("uname")
                && !l.starts_with("df")
                && !l.starts_with("nmcli")
                && !l.starts_with("timedatectl")
                && !l.starts_with("dpkg-query")
        })
        .collect();
    assert_eq!(
        lines,
        [
            "/etc/dm-agent/factory-reset --clear-tpm",
            "systemctl reboot"
        ]
    );
}

#[tokio::test]
async fn diagnostics_and_info_use_journalctl_uname_and_df() {
    let device = Linux::new(|root, runner| {
        write(&root.join("var/log/syslog"), b"Mar 01 kernel: ready\n");
        runner.answer(
            "journalctl",
            Output::ok("2025-03-01T10:00:00+0000 sensor-042 plc-bridge[812]: connected to PLC\n"),
        );
        runner.answer("uname -m", Output::ok("aarch64\n"));
        runner.answer("df", Output::ok("Filesystem 1-blocks Used Available Capacity Mounted on\n/dev/root 1000 400 600 40% /\n"));
    });
    let (status, body) = device
        .call(
            "dm.diagnostics.collect",
            json!({"units": ["plc-bridge.service"], "paths": ["/var/log/syslog"]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let content = body["content"].as_str().unwrap();
    assert!(content.contains("connected to PLC") && content.contains("kernel: ready"));
    assert!(
        device
            .take()
            .contains(&"journalctl --no-pager -q -o short-iso -u plc-bridge.service".to_owned())
    );
    let (status, info) = device.call("dm.info.get", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(info["arch"], "aarch64");
    assert_eq!(
        info["disks"],
        json!([{"mount": "/", "totalBytes": 1000, "availableBytes": 600}])
    );
    assert_eq!(info["bootTime"], "2025-03-01T06:12:09Z");
}
