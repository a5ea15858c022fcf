//! Wall time of `dmctl method invoke` and `dmctl twin show` against the local hub, beside the
//! same calls made by a script using the official Python service SDK (`azure-iot-hub`), in one
//! run on one machine.
//!
//! Each sample is one whole process run, because that is what a shell script pays per call:
//! start-up, TLS handshake, token signing, the request and the exit. The Python SDK is also
//! measured warm (many calls in one process) to show how much of its time is start-up.
//!
//! Run: `bash tests/interop/setup.sh` once (the SDK venv), then
//! `cargo bench -p dmctl --bench dmctl` (add `-- --runs 10` for a quicker run). The local hub
//! runs in-process on ephemeral ports with one MQTT device answering the `echo` method.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

const DEVICE: &str = "bench-dev";

fn main() {
    let mut runs = 20usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            runs = args
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(runs)
                .max(3);
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let python = root.join("target/interop/venv/bin/python");
    let script = root.join("cli/benches/sdk_call.py");

    let hub = support::Hub::start();
    let _device = hub.connect_device(DEVICE, |name, payload| {
        (name == "echo").then(|| (200, json!({"echo": payload})))
    });
    let dmctl = |operation: &str| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dmctl"));
        match operation {
            "method" => cmd.args(["method", "invoke", "-d", DEVICE, "-n", "echo", "-o", "json"]),
            _ => cmd.args(["twin", "show", "-d", DEVICE, "-o", "json"]),
        };
        cmd.env("IOTHUB_CONNECTION_STRING", &hub.connection_string)
            .env("DMCTL_CA_FILE", &hub.ca_file)
            .env_remove("DMCTL_CONFIG")
            .env_remove("HTTPS_PROXY")
            .env_remove("https_proxy");
        cmd
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

    let mut rows = Vec::new();
    for operation in ["method", "twin"] {
        let label = if operation == "method" {
            "method invoke (echo)"
        } else {
            "twin show"
        };
        rows.push((format!("dmctl {label}"), sample(runs, || dmctl(operation))));
        if python.is_file() {
            rows.push((
                format!("Python SDK script, {label}"),
                sample(runs, || sdk(operation, &[])),
            ));
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
        // Nearest-rank percentile: `percent` of the samples are at or below it.
        let pick = |percent: usize| samples[((samples.len() - 1) * percent).div_ceil(100)];
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            samples.len(),
            ms(pick(50)),
            ms(pick(90)),
            ms(samples[0]),
            ms(samples[samples.len() - 1])
        );
    }
}

/// Runs `make()` once to warm caches, then `runs` times, timing each whole process.
fn sample(runs: usize, make: impl Fn() -> Command) -> Vec<Duration> {
    let check = |output: std::process::Output| {
        assert!(
            output.status.success(),
            "benchmark call failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    check(make().output().expect("process runs"));
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            let output = make().output().expect("process runs");
            let elapsed = start.elapsed();
            check(output);
            elapsed
        })
        .collect()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
