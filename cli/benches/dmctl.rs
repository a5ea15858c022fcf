//! Wall time of `dmctl method invoke`, `dmctl device show` and `dmctl twin show` against the
//! local hub, beside `curl` sending the same pre-signed request and a script using the official
//! Python service SDK (`azure-iot-hub`), in one run on one machine; and `dmctl --version`
//! beside `/bin/true` (the cost of starting the process at all).
//!
//! Each sample is one whole process run, because that is what a shell script pays per call:
//! start-up, TLS handshake, token signing, the request and the exit. The commands compared run
//! in turn (A B A B ...), and the ratio of each pair of runs is reported, so a machine that
//! slows down during the run does not favour either side. The Python SDK is also measured warm
//! (many calls in one process) to show how much of its time is start-up.
//!
//! Run: `bash tests/interop/setup.sh` once (the SDK venv, optional), then
//! `cargo bench -p dmctl --bench dmctl` (add `-- --runs 10` for a quicker run, `-- --dmctl PATH`
//! to measure another build of dmctl with the same harness). The local hub
//! runs in-process on ephemeral ports with one MQTT device answering the `echo` method.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

const DEVICE: &str = "bench-dev";
const API_VERSION: &str = "2021-04-12";

/// Makes one run's command.
type Maker<'a> = Box<dyn Fn() -> Command + 'a>;

fn main() {
    let mut runs = 20usize;
    // Another build of dmctl to measure with the same harness (e.g. the previous commit's).
    let mut binary = PathBuf::from(env!("CARGO_BIN_EXE_dmctl"));
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            runs = args
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(runs)
                .max(3);
        } else if arg == "--dmctl" {
            binary = args.next().map(PathBuf::from).expect("--dmctl PATH");
        }
    }
    let binary = &binary;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let python = root.join("target/interop/venv/bin/python");
    let script = root.join("cli/benches/sdk_call.py");

    let hub = support::Hub::start();
    let _device = hub.connect_device(DEVICE, |name, payload| {
        (name == "echo").then(|| (200, json!({"echo": payload})))
    });
    let dmctl = |operation: &str| {
        let mut cmd = Command::new(binary);
        match operation {
            "method" => cmd.args(["method", "invoke", "-d", DEVICE, "-n", "echo", "-o", "json"]),
            "device" => cmd.args(["device", "show", DEVICE, "-o", "json"]),
            _ => cmd.args(["twin", "show", "-d", DEVICE, "-o", "json"]),
        };
        dmctl_env(cmd, &hub)
    };
    let sdk = |operation: &str, extra: &[&str]| {
        let mut cmd = Command::new(&python);
        cmd.arg(&script)
            .args([operation, DEVICE])
            .args(extra)
            .env("IOTHUB_CONNECTION_STRING", &hub.connection_string)
            .env("REQUESTS_CA_BUNDLE", &hub.ca_file)
            .env_remove("HTTPS_PROXY")
            .env_remove("https_proxy");
        cmd
    };

    // The same requests for curl, pre-signed once: what a script that already holds a token and
    // shells out to curl pays per call.
    let token = {
        let output = dmctl_env(Command::new(binary), &hub)
            .args(["token", "--ttl", "2h"])
            .output()
            .expect("dmctl token runs");
        assert!(output.status.success(), "dmctl token failed");
        String::from_utf8(output.stdout)
            .expect("token is text")
            .trim()
            .to_owned()
    };
    let base = format!("https://{}", hub.hub().host_name());
    let curl = |operation: &str| {
        let mut cmd = Command::new("curl");
        cmd.args(["-sS", "--fail-with-body", "--cacert"])
            .arg(&hub.ca_file)
            .args(["-H", &format!("Authorization: {token}")]);
        match operation {
            "method" => cmd
                .args(["-H", "Content-Type: application/json"])
                .args(["--data", r#"{"methodName":"echo","payload":null}"#])
                .arg(format!(
                    "{base}/twins/{DEVICE}/methods?api-version={API_VERSION}"
                )),
            _ => cmd.arg(format!("{base}/devices/{DEVICE}?api-version={API_VERSION}")),
        };
        cmd.env_remove("HTTPS_PROXY").env_remove("https_proxy");
        cmd
    };
    let have_curl = Command::new("curl").arg("--version").output().is_ok();
    if !have_curl {
        eprintln!("note: curl not found; the curl rows are left out");
    }

    // Each group's commands run in turn (A B C A B C ...), so a change in the machine's speed
    // during the run affects them alike; the ratio of each pair is reported too.
    let mut groups: Vec<(&str, Vec<(String, Maker<'_>)>)> = Vec::new();
    for (operation, label) in [
        ("method", "method invoke (echo)"),
        ("device", "device show"),
        ("twin", "twin show"),
    ] {
        let mut group: Vec<(String, Maker<'_>)> =
            vec![(format!("dmctl {label}"), Box::new(move || dmctl(operation)))];
        if have_curl && operation != "twin" {
            group.push((
                format!("curl, same pre-signed request, {label}"),
                Box::new(move || curl(operation)),
            ));
        }
        if python.is_file() && operation != "device" {
            group.push((
                format!("Python SDK script, {label}"),
                Box::new(move || sdk(operation, &[])),
            ));
        }
        groups.push((label, group));
    }
    groups.push((
        "start-up",
        vec![
            (
                "dmctl --version".to_owned(),
                Box::new(|| {
                    let mut cmd = Command::new(binary);
                    cmd.arg("--version");
                    cmd
                }),
            ),
            (
                "/bin/true".to_owned(),
                Box::new(|| Command::new("/bin/true")),
            ),
        ],
    ));

    let mut rows = Vec::new();
    let mut ratios = Vec::new();
    for (label, group) in &groups {
        let samples = sample_in_turn(runs, group);
        if samples.len() > 1 {
            // Pair by pair: the first command over each of the others.
            for (name, other) in group.iter().zip(&samples).skip(1).map(|((n, _), s)| (n, s)) {
                let mut pairs: Vec<f64> = samples[0]
                    .iter()
                    .zip(other)
                    .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
                    .collect();
                pairs.sort_by(f64::total_cmp);
                ratios.push((format!("{} / {name}", group[0].0), pairs));
            }
        }
        for ((name, _), samples) in group.iter().zip(samples) {
            rows.push((name.clone(), samples));
        }
        if *label != "start-up" && python.is_file() && *label != "device show" {
            let operation = if label.starts_with("method") {
                "method"
            } else {
                "twin"
            };
            let output = sdk(operation, &["--loop", &runs.to_string()])
                .output()
                .expect("python runs");
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let millis: Vec<f64> = serde_json::from_slice(&output.stdout).expect("timings");
            // The first call includes the SDK's connection set-up; the rest are warm.
            let warm = millis
                .iter()
                .skip(1)
                .map(|ms| Duration::from_secs_f64(ms / 1000.0))
                .collect();
            rows.push((format!("Python SDK in-process (warm), {label}"), warm));
        }
    }
    if !python.is_file() {
        eprintln!(
            "note: {} not found; run `bash tests/interop/setup.sh` to include the Python SDK",
            python.display()
        );
    }

    println!("| Call | Samples | Median | p90 | Min | Max |");
    println!("|---|---|---|---|---|---|");
    for (name, mut samples) in rows {
        samples.sort();
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            samples.len(),
            ms(percentile(&samples, 50)),
            ms(percentile(&samples, 90)),
            ms(samples[0]),
            ms(samples[samples.len() - 1])
        );
    }
    println!();
    println!("| Ratio, run by run | Pairs | Median | Min | Max |");
    println!("|---|---|---|---|---|");
    for (name, pairs) in ratios {
        println!(
            "| {name} | {} | {:.2} | {:.2} | {:.2} |",
            pairs.len(),
            percentile(&pairs, 50),
            pairs[0],
            pairs[pairs.len() - 1]
        );
    }
}

/// Nearest-rank percentile of sorted samples: `percent` of them are at or below it.
fn percentile<T: Copy>(sorted: &[T], percent: usize) -> T {
    sorted[((sorted.len() - 1) * percent).div_ceil(100)]
}

/// The environment every `dmctl` run of the bench gets: the local hub and its CA, no proxy, no
/// config file.
fn dmctl_env(mut cmd: Command, hub: &support::Hub) -> Command {
    cmd.env("IOTHUB_CONNECTION_STRING", &hub.connection_string)
        .env("DMCTL_CA_FILE", &hub.ca_file)
        .env_remove("DMCTL_CONFIG")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy");
    cmd
}

/// Runs each command of `group` once to warm caches, then all of them in turn `runs` times,
/// timing each whole process; one list of samples per command.
fn sample_in_turn(runs: usize, group: &[(String, Maker<'_>)]) -> Vec<Vec<Duration>> {
    let check = |name: &str, output: std::process::Output| {
        assert!(
            output.status.success(),
            "benchmark call {name} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    for (name, make) in group {
        check(name, make().output().expect("process runs"));
    }
    let mut samples = vec![Vec::with_capacity(runs); group.len()];
    for _ in 0..runs {
        for ((name, make), samples) in group.iter().zip(&mut samples) {
            let mut cmd = make();
            cmd.stdout(Stdio::null()).stderr(Stdio::piped());
            let start = Instant::now();
            let output = cmd.output().expect("process runs");
            samples.push(start.elapsed());
            check(name, output);
        }
    }
    samples
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
