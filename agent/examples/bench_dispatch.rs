//! Measures the agent the way it runs on a device: a real `dm-agent run` process (sandbox
//! providers) connected to a local hub started here, driven from the service side.
//!
//! Prints, as Markdown: the binary's size, direct-method round-trip latency through the hub
//! (service call → hub → MQTT → agent → answer → service), the daemon's idle resident
//! memory and CPU use, and how long a log bundle upload through IoT Hub file upload takes
//! (`dm.diagnostics.collect` with `delivery: upload`: collect, gzip, create upload, PUT,
//! notify, envelope reported) with the agent's peak memory.
//!
//! ```text
//! cargo build --release -p dm-agent
//! cargo run --release -p dm-agent --example bench_dispatch -- [BINARY] [CALLS] [IDLE_SECONDS]
//! ```
//!
//! Defaults: `target/release/dm-agent`, 300 calls per method, 60 s idle.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use iothub_client::model::CloudToDeviceMethod;
use serde_json::json;

/// CPU time (user + system) of `pid` in clock ticks, and its resident set in KiB.
fn sample(pid: u32) -> anyhow::Result<(u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name (which may contain spaces) start after the last ')'.
    let after = stat.rsplit_once(')').context("odd /proc/pid/stat")?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: u64 = fields.get(11).context("utime")?.parse()?;
    let stime: u64 = fields.get(12).context("stime")?.parse()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .context("VmRSS")?
        .parse()?;
    Ok((utime + stime, rss))
}

fn clock_ticks() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let binary = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "target/release/dm-agent".into()),
    );
    let calls: usize = args.next().map_or(Ok(300), |a| a.parse())?;
    let idle_secs: u64 = args.next().map_or(Ok(60), |a| a.parse())?;
    let size = std::fs::metadata(&binary)
        .with_context(|| format!("no agent binary at {}", binary.display()))?
        .len();

    let data = tempfile::tempdir()?;
    let hub =
        iothub_emulator::start(iothub_emulator::HubConfig::new(data.path()).ephemeral()).await?;
    let device = hub.device_connection_string("bench-1", true)?;
    let service_cs = hub.service_connection_string("iothubowner")?;
    let service = iothub_client::ServiceClient::builder(&service_cs.expose_secret())?
        .add_root_ca_pem(hub.ca_pem().as_bytes())
        .build()?;

    let work = tempfile::tempdir()?;
    let state = work.path().join("state");
    let mut daemon = Command::new(&binary)
        .arg("run")
        .arg("--ca-file")
        .arg(hub.ca_pem_path())
        .args(["--backend", "sandbox", "--sandbox-dir"])
        .arg(work.path().join("sandbox"))
        .arg("--state-dir")
        .arg(&state)
        .arg("--lease-socket")
        .arg(work.path().join("busy.sock"))
        .args(["--log-level", "warn"])
        .env("DM_AGENT_CONNECTION_STRING", device.expose_secret())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?;
    let pid = daemon.id();

    let connected = async {
        loop {
            let status = dm_agent::connection::ConnectionStatus::read(&state);
            if status.is_some_and(|s| s.state == dm_agent::connection::LinkState::Connected) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    if tokio::time::timeout(Duration::from_secs(30), connected)
        .await
        .is_err()
    {
        let _ = daemon.kill();
        bail!("the agent did not connect");
    }

    println!("| measure | value |");
    println!("|---|---|");
    #[allow(clippy::cast_precision_loss)]
    let size_mib = size as f64 / (1024.0 * 1024.0);
    println!("| release binary size | {size} bytes ({size_mib:.1} MiB) |");

    for method in ["dm.info.get", "app.unknown"] {
        let call = CloudToDeviceMethod::new(method, json!({}));
        // Warm up connections and caches.
        for _ in 0..10 {
            service.invoke_device_method("bench-1", &call).await?;
        }
        let mut times = Vec::with_capacity(calls);
        for _ in 0..calls {
            let start = Instant::now();
            let answer = service.invoke_device_method("bench-1", &call).await?;
            times.push(start.elapsed());
            if method == "dm.info.get" && answer.status != 200 {
                bail!("{method} answered {}", answer.status);
            }
        }
        times.sort();
        println!(
            "| `{method}` round trip over {calls} calls (min / median / p95 / max) | {} / {} / {} / {} ms |",
            ms(times[0]),
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            ms(times[times.len() - 1])
        );
    }

    // Let the burst settle, then measure a quiet period.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (cpu_before, _) = sample(pid)?;
    tokio::time::sleep(Duration::from_secs(idle_secs)).await;
    let (cpu_after, rss) = sample(pid)?;
    #[allow(clippy::cast_precision_loss)]
    let cpu = (cpu_after - cpu_before) as f64 / clock_ticks() as f64;
    #[allow(clippy::cast_precision_loss)]
    let percent = cpu / idle_secs as f64 * 100.0;
    println!("| idle RSS (connected, after the calls) | {rss} KiB |");
    println!("| idle CPU over {idle_secs} s | {cpu:.2} s ({percent:.3} %) |");

    // Log bundles, after the idle sample (an upload's buffers stay with the allocator).
    let logs = work.path().join("sandbox/var/log/bench");
    std::fs::create_dir_all(&logs)?;
    for mib in [1_usize, 16, 64] {
        // Lines that differ (sequence, readings), so gzip has real work, as with real logs.
        let mut text = String::with_capacity(mib * 1024 * 1024 + 128);
        let mut seq: u64 = 0;
        while text.len() < mib * 1024 * 1024 {
            seq += 1;
            let _ = writeln!(
                text,
                "2026-11-26T10:{:02}:{:02}.{:03}Z gateway[812]: seq {seq} polled {} sensors, {} changed, queue {}, t={}.{}C",
                (seq / 60_000) % 60,
                (seq / 1000) % 60,
                seq % 1000,
                seq % 17,
                seq.wrapping_mul(2_654_435_761) % 7,
                seq.wrapping_mul(40_503) % 113,
                20 + seq.wrapping_mul(97) % 9,
                seq.wrapping_mul(31) % 10
            );
        }
        std::fs::write(logs.join("gateway.log"), &text)?;
        let call = CloudToDeviceMethod::new(
            "dm.diagnostics.collect",
            json!({"delivery": "upload", "journal": false, "paths": ["/var/log/bench"],
                   "maxBytes": 64 * 1024 * 1024}),
        );
        let start = Instant::now();
        let answer = service.invoke_device_method("bench-1", &call).await?;
        if answer.status != 202 {
            bail!(
                "the upload was not accepted: {} {}",
                answer.status,
                answer.payload
            );
        }
        let op = answer.payload["operationId"]
            .as_str()
            .context("no operation id")?
            .to_owned();
        let envelope = loop {
            let twin = service.get_twin("bench-1").await?;
            let reported = serde_json::to_value(&twin.properties)?;
            let envelope = reported["reported"]["dm"]["diagnostics"]["operations"][&op].clone();
            if matches!(envelope["state"].as_str(), Some("succeeded" | "failed")) {
                break envelope;
            }
            if start.elapsed() > Duration::from_secs(300) {
                bail!("the upload did not finish in 300 s");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let elapsed = start.elapsed();
        if envelope["state"] != "succeeded" {
            bail!("the upload failed: {envelope}");
        }
        let blob = envelope["result"]["upload"]["blobName"]
            .as_str()
            .context("no blob name")?;
        let stored = std::fs::metadata(hub.hub().blob_path(blob))?.len();
        let peak = std::fs::read_to_string(format!("/proc/{pid}/status"))?
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next())
            .map_or(0, |v| v.parse::<u64>().unwrap_or(0));
        #[allow(clippy::cast_precision_loss)]
        let rate = text.len() as f64 / (1024.0 * 1024.0) / elapsed.as_secs_f64();
        println!(
            "| log upload, {mib} MiB of text (call to envelope `succeeded`) | {} ms ({rate:.1} MiB/s of logs); bundle {stored} bytes; agent peak RSS so far {peak} KiB |",
            ms(elapsed)
        );
    }

    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let _ = daemon.wait();
    hub.shutdown().await?;
    Ok(())
}
