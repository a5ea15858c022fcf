//! The two commands that bring their own devices: `dmctl demo` (the README's quick start) and
//! `dmctl simulate`.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::{Hub, dmctl};

#[test]
fn demo_runs_the_whole_tour_and_exits_0() {
    let run = dmctl(&["demo"]).run();
    run.assert_code(0);
    // Library and in-process agent logs stay below the default verbosity: only dmctl speaks.
    assert!(
        !run.stderr.contains("WARN") && !run.stderr.contains("ERROR"),
        "a log line on stderr:\n{}",
        run.stderr
    );
    let steps = [
        "$ dmctl device list",
        "$ dmctl info --device demo-1",
        "$ dmctl time set --device demo-1 --tz Europe/Paris --wait",
        "$ dmctl twin diff --device demo-1 --path dm.time.timeZone --all",
        "$ dmctl reboot --device demo-1 --reason demo --wait",
        "$ dmctl apps install hello-dm --device demo-1 --url http://127.0.0.1:",
        "$ dmctl apps list --device demo-1 --filter hello-dm",
        "$ dmctl logs collect --device demo-1 --upload --wait",
        "blob",
        "demo-1/logs-",
        "$ dmctl info --query '*'",
    ];
    let mut rest = run.stdout.as_str();
    for step in steps {
        let at = rest
            .find(step)
            .unwrap_or_else(|| panic!("missing step {step:?} in:\n{}", run.stdout));
        rest = &rest[at + step.len()..];
    }
    // Each device shows in the registry and answers the fleet-wide info.
    for id in ["demo-1", "demo-2", "demo-3"] {
        assert!(
            run.stdout.matches(id).count() >= 2,
            "{id} missing:\n{}",
            run.stdout
        );
    }
    let rows: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .map(|line| line.split_whitespace().collect())
        .collect();
    let succeeded = rows
        .iter()
        .filter(|r| *r == &["state", "succeeded"])
        .count();
    assert_eq!(
        succeeded, 4,
        "time set, reboot, install and the log upload:\n{}",
        run.stdout
    );
    let in_sync = [
        "dm.time.timeZone",
        "Europe/Paris",
        "Europe/Paris",
        "in",
        "sync",
    ];
    assert!(rows.iter().any(|r| r == &in_sync), "{}", run.stdout);
    assert!(
        run.stderr.contains("3 devices: all succeeded"),
        "{}",
        run.stderr
    );
}

#[test]
fn simulate_serves_devices_until_terminated() {
    let hub = Hub::start();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dmctl"))
        .args([
            "simulate",
            "--count",
            "2",
            "--prefix",
            "lab-",
            "--create",
            "--gateway",
        ])
        .arg(hub.hub().gateway_host_name())
        .env("IOTHUB_CONNECTION_STRING", &hub.connection_string)
        .env("DMCTL_CA_FILE", &hub.ca_file)
        .env_remove("DMCTL_PROFILE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut connected = false;
    for line in stderr.lines() {
        let line = line.unwrap();
        if line.contains("simulated devices connected") {
            connected = true;
            break;
        }
    }
    assert!(connected, "the devices never connected");

    // Their agents answer like any device (once each has reported its manifest).
    let mut answered = false;
    for _ in 0..100 {
        let run = hub
            .dmctl(&[
                "report-all",
                "--query",
                "WHERE deviceId IN ['lab-1', 'lab-2']",
            ])
            .run();
        if run.code == 0 {
            assert!(
                run.stderr.contains("2 devices: all succeeded"),
                "{}",
                run.stderr
            );
            answered = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(answered, "the simulated devices never answered");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0));
    let listed = std::io::read_to_string(stdout).unwrap();
    assert_eq!(listed, "DEVICE\nlab-1\nlab-2\n");
}

#[test]
fn simulate_names_missing_devices_without_create() {
    let hub = Hub::start();
    let run = hub
        .dmctl(&["simulate", "--count", "1", "--prefix", "ghost-"])
        .run();
    run.assert_code(4);
    assert!(run.stderr.contains("ghost-1"), "{}", run.stderr);
    assert!(run.stderr.contains("--create"), "{}", run.stderr);
}

/// Reads stderr until the line that says how the devices' first connections went; without
/// one, everything `simulate` said, so a failure shows why.
fn connection_outcome(stderr: impl std::io::Read) -> String {
    let mut seen = String::new();
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        if line.contains("connected") {
            return line;
        }
        seen.push_str(&line);
        seen.push('\n');
    }
    seen
}

#[test]
fn simulate_takes_the_mqtt_endpoint_from_the_connection_strings_gateway() {
    let hub = Hub::start();
    // HostName carries the HTTPS port; the MQTT port is only in GatewayHostName, as a local
    // hub's connection string gives it. No --gateway.
    let cs = format!(
        "{};GatewayHostName={}",
        hub.connection_string,
        hub.hub().gateway_host_name()
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_dmctl"))
        .args(["simulate", "--count", "1", "--prefix", "gw-", "--create"])
        .env("IOTHUB_CONNECTION_STRING", &cs)
        .env("DMCTL_CA_FILE", &hub.ca_file)
        .env_remove("DMCTL_PROFILE")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let outcome = connection_outcome(child.stderr.take().unwrap());
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        outcome.contains("1 simulated devices connected"),
        "{outcome}"
    );
}

#[test]
fn simulate_stops_and_names_the_fix_when_the_port_is_not_mqtt() {
    let hub = Hub::start();
    // The gateway given as the HTTPS endpoint (a user's mistake: HostName=localhost:<HTTPS
    // port>), so the devices would speak MQTT to the HTTPS listener. (Without --gateway,
    // simulate finds this local hub's MQTT port in its endpoint record beside the CA file.)
    let https = hub.hub().host_name();
    let run = hub
        .dmctl(&[
            "simulate",
            "--count",
            "1",
            "--prefix",
            "https-",
            "--create",
            "--gateway",
            &https,
        ])
        .run();
    run.assert_code(2);
    assert!(run.stderr.contains("not MQTT"), "{}", run.stderr);
    assert!(run.stderr.contains("--gateway"), "{}", run.stderr);
    assert!(!run.stderr.contains("SharedAccessKey"), "{}", run.stderr);
}

#[test]
fn simulate_removes_its_temporary_sandboxes_on_sigterm_while_devices_connect() {
    let hub = Hub::start();
    let tmp = tempfile::tempdir().unwrap();
    // Port 1 refuses connections: the devices keep retrying, so SIGTERM arrives while
    // `simulate` still waits for them.
    let mut child = Command::new(env!("CARGO_BIN_EXE_dmctl"))
        .args([
            "simulate",
            "--count",
            "2",
            "--prefix",
            "term-",
            "--create",
            "--gateway",
            "127.0.0.1:1",
        ])
        .env("IOTHUB_CONNECTION_STRING", &hub.connection_string)
        .env("DMCTL_CA_FILE", &hub.ca_file)
        .env("TMPDIR", tmp.path())
        .env_remove("DMCTL_PROFILE")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The device list is printed once the sandboxes exist and the agents start.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert_eq!(first, "DEVICE\n");
    let sandboxes = || {
        std::fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("dmctl-simulate-")
            })
            .count()
    };
    assert_eq!(sandboxes(), 1, "the temporary sandbox root exists");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert_eq!(sandboxes(), 0, "the temporary sandboxes were left behind");
}

/// The README flow on ports other than 443/8883, typed as a user types it: `dmctl hub serve
/// --https-port … --mqtt-port …`, `export IOTHUB_CONNECTION_STRING="$(dmctl hub
/// connection-string)"`, `dmctl simulate --count 3 --create`. The policy string names only the
/// HTTPS endpoint; simulate finds the MQTT port the hub recorded (it used to speak MQTT to the
/// HTTPS port and stop with "not MQTT").
#[test]
fn the_readme_flow_on_other_ports_connects_the_simulated_devices() {
    readme_flow_on_other_ports(None);
}

/// The same with the hub's data directory somewhere else (`--data-dir`): the record is found
/// beside the CA file the user trusts.
#[test]
fn the_readme_flow_with_a_data_dir_connects_the_simulated_devices() {
    readme_flow_on_other_ports(Some("elsewhere"));
}

fn readme_flow_on_other_ports(data_dir: Option<&str>) {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let hub_dir = data_dir.map_or_else(|| data.join("dmctl/hub"), |d| home.path().join(d));
    let hub_dir_text = hub_dir.display().to_string();
    let location: Vec<&str> = match data_dir {
        Some(_) => vec!["--data-dir", &hub_dir_text],
        None => Vec::new(),
    };
    let user = |args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dmctl"));
        cmd.args(args)
            .args(&location)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", &data)
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_STATE_HOME", home.path().join("state"));
        cmd
    };
    let mut serve = user(&["hub", "serve", "--https-port", "0", "--mqtt-port", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut banner = BufReader::new(serve.stderr.take().unwrap());
    let mut seen = String::new();
    while !seen.contains("IoT Hub emulator listening") {
        assert!(
            banner.read_line(&mut seen).unwrap() > 0,
            "hub serve ended early:\n{seen}"
        );
    }
    let printed = user(&["hub", "connection-string"]).output().unwrap();
    assert!(printed.status.success(), "{printed:?}");
    let cs = String::from_utf8(printed.stdout).unwrap().trim().to_owned();
    assert!(!cs.contains("GatewayHostName"), "{cs}");
    let mut simulate = Command::new(env!("CARGO_BIN_EXE_dmctl"));
    simulate
        .args(["simulate", "--count", "3", "--create"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", &data)
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("IOTHUB_CONNECTION_STRING", &cs)
        .env("DMCTL_CA_FILE", hub_dir.join("ca.pem"));
    let mut simulate = simulate
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let outcome = connection_outcome(simulate.stderr.take().unwrap());
    let _ = simulate.kill();
    let _ = simulate.wait();
    let _ = serve.kill();
    let _ = serve.wait();
    assert!(
        outcome.contains("3 simulated devices connected"),
        "{outcome}"
    );
}
