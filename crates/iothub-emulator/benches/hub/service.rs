//! The service side of the bench: bulk device creation and direct-method load over the hub's
//! real HTTPS REST API, as `dmctl` or a service SDK would call it.
//!
//! The load runs in a helper process (this bench re-executed with `--service`), so that the
//! REST client's TLS and HTTP work is not counted as the hub's CPU. It warms up, prints
//! `start`, runs the measured load, and prints one `result` line (preceded by an `error` line
//! when a call failed).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use iothub_auth::{ConnectionString, SharedAccessKey};
use std::net::SocketAddr;
use std::path::PathBuf;

use serde_json::{Value, json};

use crate::Error;
use crate::child::Helper;
use crate::fleet::DeviceCredential;
use crate::procfs;

const API: &str = "api-version=2021-04-12";

/// The bulk registry API's limit on devices per request.
const BULK_CHUNK: usize = 100;

/// A pooled HTTPS client holding a service token for `iothubowner`.
pub struct Service {
    http: reqwest::Client,
    base: String,
    /// `SharedAccessSignature sr=…`; a secret, never printed.
    token: String,
}

impl Service {
    /// A client for the hub at `https` trusting `ca_pem`, sending `token` (a service SAS
    /// token) and keeping up to `pool` idle connections.
    pub fn new(https: SocketAddr, ca_pem: &str, token: String, pool: usize) -> Result<Self, Error> {
        let ca = reqwest::Certificate::from_pem(ca_pem.as_bytes())
            .map_err(|e| format!("parsing the hub CA: {e}"))?;
        let http = reqwest::Client::builder()
            .tls_certs_only([ca])
            .resolve("localhost", https)
            .no_proxy()
            .pool_max_idle_per_host(pool)
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| format!("building the HTTPS client: {e}"))?;
        Ok(Self {
            http,
            base: format!("https://localhost:{}", https.port()),
            token,
        })
    }

    /// Registers `count` devices named `bench-00000…` through the bulk registry API, with keys
    /// made here, and returns each device's MQTT password (a SAS token valid for `ttl`).
    pub async fn create_devices(
        &self,
        host: &str,
        count: usize,
        ttl: Duration,
    ) -> Result<Vec<DeviceCredential>, Error> {
        let now = iothub_auth::unix_now();
        let mut devices = Vec::with_capacity(count);
        let ids: Vec<String> = (0..count).map(device_id).collect();
        for chunk in ids.chunks(BULK_CHUNK) {
            let mut body = Vec::with_capacity(chunk.len());
            for id in chunk {
                let primary = SharedAccessKey::generate();
                let secondary = SharedAccessKey::generate();
                body.push(json!({
                    "id": id,
                    "importMode": "create",
                    "authentication": {
                        "type": "sas",
                        "symmetricKey": {
                            "primaryKey": primary.to_base64(),
                            "secondaryKey": secondary.to_base64(),
                        },
                    },
                }));
                let token = ConnectionString::for_device(host, id, primary)
                    .generate_token(now, ttl.as_secs())
                    .map_err(|e| format!("signing a token for {id}: {e}"))?
                    .expose()
                    .to_string();
                devices.push(DeviceCredential {
                    id: id.clone(),
                    token,
                });
            }
            let response = self
                .http
                .post(format!("{}/devices?{API}", self.base))
                .header("authorization", &self.token)
                .header("content-type", "application/json; charset=utf-8")
                .body(Value::Array(body).to_string())
                .send()
                .await
                .map_err(|e| format!("bulk create request: {e}"))?;
            let status = response.status();
            let text = response
                .text()
                .await
                .map_err(|e| format!("bulk create response: {e}"))?;
            if !status.is_success() {
                return Err(format!("bulk create answered {status}: {text}").into());
            }
        }
        Ok(devices)
    }

    /// Invokes method `ping` on `device` with `{"seq": seq}` and checks that the answer is the
    /// device's own: status 200 and the same payload echoed back.
    async fn ping(&self, device: &str, seq: u64) -> Result<(), Error> {
        let body = json!({
            "methodName": "ping",
            "payload": {"seq": seq},
            "responseTimeoutInSeconds": 30,
        });
        let response = self
            .http
            .post(format!("{}/twins/{device}/methods?{API}", self.base))
            .header("authorization", &self.token)
            .header("content-type", "application/json; charset=utf-8")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| format!("method request to {device}: {e}"))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| format!("method response from {device}: {e}"))?;
        if !status.is_success() {
            return Err(format!(
                "method on {device} answered {status}: {}",
                String::from_utf8_lossy(&bytes)
            )
            .into());
        }
        let answer: Value = serde_json::from_slice(&bytes)
            .map_err(|e| format!("method answer from {device} is not JSON: {e}"))?;
        if answer["status"] != json!(200) || answer["payload"] != json!({"seq": seq}) {
            return Err(format!("method on {device} got someone else's answer: {answer}").into());
        }
        Ok(())
    }
}

/// The name of the `index`th bench device.
pub fn device_id(index: usize) -> String {
    format!("bench-{index:05}")
}

/// One cell of the direct-method matrix.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    /// Spread the calls round-robin over the first `devices` devices.
    pub devices: usize,
    /// Calls in flight at once.
    pub concurrency: usize,
    /// Stop after this long…
    pub duration: Duration,
    /// …or after this many calls, whichever comes first.
    pub max_calls: u64,
}

/// What a load run measured.
#[derive(Debug, Clone)]
pub struct LoadResult {
    /// Calls answered correctly.
    pub ok: u64,
    /// Calls that failed (any reason).
    pub errors: u64,
    /// The first failure, if any.
    pub first_error: Option<String>,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Latencies of the correct calls, sorted, in microseconds.
    pub latencies_us: Vec<u64>,
}

impl LoadResult {
    /// The latency at `per_mille`/1000 (nearest rank: the smallest sample with at least that
    /// share of samples at or below it), in microseconds; `None` without samples.
    fn quantile_us(&self, per_mille: u64) -> Option<u64> {
        let n = self.latencies_us.len() as u64;
        let rank = (per_mille * n).div_ceil(1000).max(1);
        let index = usize::try_from(rank - 1).ok()?;
        self.latencies_us.get(index).copied()
    }
}

/// What the parent learns of a load run: the helper's `result` line.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Calls answered correctly.
    pub ok: u64,
    /// Calls that failed.
    pub errors: u64,
    /// The first failure, if any.
    pub first_error: Option<String>,
    /// Wall time of the measured run.
    pub elapsed: Duration,
    /// Median latency, in microseconds.
    pub p50_us: Option<u64>,
    /// 99th percentile latency, in microseconds.
    pub p99_us: Option<u64>,
    /// Slowest call, in microseconds.
    pub max_us: Option<u64>,
    /// CPU the load driver itself used during the measured run.
    pub cpu: Duration,
}

impl Summary {
    /// Summarizes a run; `cpu` is what the measuring process used meanwhile.
    pub fn of(result: &LoadResult, cpu: Duration) -> Self {
        Self {
            ok: result.ok,
            errors: result.errors,
            first_error: result.first_error.clone(),
            elapsed: result.elapsed,
            p50_us: result.quantile_us(500),
            p99_us: result.quantile_us(990),
            max_us: result.latencies_us.last().copied(),
            cpu,
        }
    }

    /// Correct round trips per second.
    pub fn rate(&self) -> f64 {
        to_f64(self.ok) / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// `ok errors elapsed-µs p50-µs p99-µs max-µs cpu-µs`, `-` for a missing latency.
    pub fn to_line(&self) -> String {
        let opt = |v: Option<u64>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
        format!(
            "{} {} {} {} {} {} {}",
            self.ok,
            self.errors,
            self.elapsed.as_micros(),
            opt(self.p50_us),
            opt(self.p99_us),
            opt(self.max_us),
            self.cpu.as_micros()
        )
    }

    /// Reads a line written by [`Summary::to_line`].
    pub fn parse(line: &str, first_error: Option<String>) -> Result<Self, Error> {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [ok, errors, elapsed, p50, p99, max, cpu] = fields[..] else {
            return Err(
                format!("the load driver's result line has the wrong shape: '{line}'").into(),
            );
        };
        let number = |v: &str| -> Result<u64, Error> {
            v.parse()
                .map_err(|e| format!("the load driver's result '{v}' in '{line}': {e}").into())
        };
        let latency = |v: &str| -> Result<Option<u64>, Error> {
            if v == "-" {
                Ok(None)
            } else {
                number(v).map(Some)
            }
        };
        Ok(Self {
            ok: number(ok)?,
            errors: number(errors)?,
            first_error,
            elapsed: Duration::from_micros(number(elapsed)?),
            p50_us: latency(p50)?,
            p99_us: latency(p99)?,
            max_us: latency(max)?,
            cpu: Duration::from_micros(number(cpu)?),
        })
    }
}

#[expect(
    clippy::cast_precision_loss,
    reason = "counts and microseconds in a bench stay far below 2^52"
)]
fn to_f64(n: u64) -> f64 {
    n as f64
}

/// Runs `load` against the devices `ids[..load.devices]`: `concurrency` workers each send one
/// call at a time, taking the next device in turn, until the duration or call budget is spent.
async fn drive(service: &Arc<Service>, ids: &Arc<[String]>, load: Load) -> LoadResult {
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + load.duration;
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..load.concurrency {
        let (service, ids, next) = (Arc::clone(service), Arc::clone(ids), Arc::clone(&next));
        let devices = load.devices.min(ids.len()).max(1);
        workers.spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut first_error = None;
            while Instant::now() < deadline {
                let seq = next.fetch_add(1, Ordering::Relaxed);
                if seq >= load.max_calls {
                    break;
                }
                let index = usize::try_from(seq).unwrap_or(0) % devices;
                let sent = Instant::now();
                match service.ping(&ids[index], seq).await {
                    Ok(()) => latencies
                        .push(u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX)),
                    Err(e) => {
                        errors += 1;
                        first_error.get_or_insert_with(|| e.to_string());
                    }
                }
            }
            (latencies, errors, first_error)
        });
    }
    let mut result = LoadResult {
        ok: 0,
        errors: 0,
        first_error: None,
        elapsed: Duration::ZERO,
        latencies_us: Vec::new(),
    };
    while let Some(joined) = workers.join_next().await {
        match joined {
            Ok((latencies, errors, first_error)) => {
                result.latencies_us.extend(latencies);
                result.errors += errors;
                if result.first_error.is_none() {
                    result.first_error = first_error;
                }
            }
            Err(e) => {
                result.errors += 1;
                result
                    .first_error
                    .get_or_insert_with(|| format!("a load worker failed: {e}"));
            }
        }
    }
    result.elapsed = started.elapsed();
    result.ok = result.latencies_us.len() as u64;
    result.latencies_us.sort_unstable();
    result
}

/// Everything the load helper needs, passed on its command line (the token by file, so it does
/// not show in the process list).
pub struct LoadSpec {
    /// Where the hub serves HTTPS.
    pub https: SocketAddr,
    /// The hub's CA certificate (PEM file).
    pub ca_path: PathBuf,
    /// A file holding the service SAS token.
    pub token_path: PathBuf,
    /// The measured load.
    pub load: Load,
    /// Unmeasured load first: fills the connection pool and wakes every device.
    pub warmup: Duration,
}

impl LoadSpec {
    fn to_args(&self) -> Vec<String> {
        vec![
            "--service".into(),
            self.https.to_string(),
            self.ca_path.display().to_string(),
            self.token_path.display().to_string(),
            self.load.devices.to_string(),
            self.load.concurrency.to_string(),
            self.load.duration.as_millis().to_string(),
            self.load.max_calls.to_string(),
            self.warmup.as_millis().to_string(),
        ]
    }

    fn from_args(args: &[String]) -> Result<Self, Error> {
        let [
            https,
            ca,
            token,
            devices,
            concurrency,
            duration,
            max_calls,
            warmup,
        ] = args
        else {
            return Err(format!(
                "--service takes 8 arguments (https-addr ca-path token-path devices concurrency duration-ms max-calls warmup-ms), got {}",
                args.len()
            )
            .into());
        };
        let number = |what: &str, v: &str| -> Result<u64, Error> {
            v.parse()
                .map_err(|e| format!("--service {what} '{v}': {e}").into())
        };
        Ok(Self {
            https: https
                .parse()
                .map_err(|e| format!("--service https address '{https}': {e}"))?,
            ca_path: ca.into(),
            token_path: token.into(),
            load: Load {
                devices: usize::try_from(number("devices", devices)?)?,
                concurrency: usize::try_from(number("concurrency", concurrency)?)?,
                duration: Duration::from_millis(number("duration", duration)?),
                max_calls: number("max-calls", max_calls)?,
            },
            warmup: Duration::from_millis(number("warmup", warmup)?),
        })
    }
}

/// The parent's handle on a running load helper.
pub struct LoadDriver(Helper);

impl LoadDriver {
    /// Starts the helper (this executable with `--service`); it begins warming up at once.
    pub fn spawn(spec: &LoadSpec) -> Result<Self, Error> {
        Helper::spawn("load driver", &spec.to_args()).map(Self)
    }

    /// Waits for the end of the warm-up: the measured run starts now.
    pub async fn started(&mut self, timeout: Duration) -> Result<(), Error> {
        self.0.wait_for("start", timeout, |_| {}).await.map(drop)
    }

    /// Waits for the measured run's summary, then for the helper to exit.
    pub async fn finished(mut self, timeout: Duration) -> Result<Summary, Error> {
        let mut first_error = None;
        let line = self
            .0
            .wait_for("result ", timeout, |other| {
                if let Some(e) = other.strip_prefix("error ") {
                    first_error.get_or_insert_with(|| e.to_string());
                }
            })
            .await?;
        let summary = Summary::parse(&line, first_error)?;
        self.0.stop().await?;
        Ok(summary)
    }
}

/// The load helper's entry point.
pub fn child_main(args: &[String]) -> Result<(), Error> {
    let spec = LoadSpec::from_args(args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("building the load driver's runtime: {e}"))?;
    runtime.block_on(async {
        let ca = std::fs::read_to_string(&spec.ca_path)
            .map_err(|e| format!("reading the hub CA {}: {e}", spec.ca_path.display()))?;
        let token = std::fs::read_to_string(&spec.token_path)
            .map_err(|e| format!("reading the service token file: {e}"))?
            .trim()
            .to_string();
        let service = Arc::new(Service::new(spec.https, &ca, token, spec.load.concurrency)?);
        let ids: Arc<[String]> = (0..spec.load.devices).map(device_id).collect();
        if !spec.warmup.is_zero() {
            let warm = drive(
                &service,
                &ids,
                Load {
                    duration: spec.warmup,
                    ..spec.load
                },
            )
            .await;
            if let Some(e) = warm.first_error {
                eprintln!(
                    "load driver: warm-up saw {} error(s); first: {e}",
                    warm.errors
                );
            }
        }
        println!("start");
        let cpu_before = procfs::cpu_time(None)?;
        let result = drive(&service, &ids, spec.load).await;
        let cpu = procfs::cpu_time(None)?.saturating_sub(cpu_before);
        let summary = Summary::of(&result, cpu);
        if let Some(e) = &summary.first_error {
            // One line: the parent reads line by line.
            println!("error {}", e.replace('\n', " "));
        }
        println!("result {}", summary.to_line());
        Ok(())
    })
}
