//! Running one operation on many devices: target selection, bounded concurrency, backing off
//! when the hub throttles, progress, per-device results and the fleet exit code.
//!
//! Every command that takes a target (`method invoke`, `twin patch`, the typed DM commands)
//! goes through here, so they all select devices the same way (`--device` repeated,
//! `--devices-from`, `--query`), print the same result shapes (a table, one JSON document, or
//! one JSON line per device as it finishes) and exit the same way (0 all ok, 10 some failed).
//!
//! The output shape depends on how devices were selected, not on how many matched: a single
//! `--device` gives the command's own output, anything else gives fleet results, so a script's
//! parser does not break when a query happens to match one device.

use std::collections::HashSet;
use std::future::Future;
use std::hash::BuildHasher as _;
use std::io::{self, BufRead as _};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use clap::Args;
use futures::StreamExt as _;
use serde::Serialize;
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::exit::{CliError, Exit};
use crate::printer::{OutputFormat, Printer};

/// Devices worked on at once when `--concurrency` is not given: enough to hide per-call
/// latency, well below the hub's per-unit throttles for twin and method calls.
pub const DEFAULT_CONCURRENCY: u16 = 16;

/// How many times one device's operation is retried after the hub throttled it.
const MAX_THROTTLE_RETRIES: u32 = 6;
/// First back-off after a 429; doubles per retry up to [`MAX_BACKOFF`].
const BASE_BACKOFF: Duration = Duration::from_secs(1);
/// Longest single back-off.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Which devices a command works on.
#[derive(Debug, Clone, Default, Args)]
#[group(skip)]
#[command(group(
    clap::ArgGroup::new("target")
        .required(true)
        .multiple(true)
        .args(["device", "devices", "devices_from", "query"])
))]
pub struct TargetArgs {
    /// One device id (or use --device, which may be repeated)
    #[arg(
        value_name = "DEVICE",
        conflicts_with_all = ["devices", "devices_from", "query"]
    )]
    pub device: Option<String>,
    /// Device id (repeat for several devices)
    #[arg(long = "device", short = 'd', value_name = "ID")]
    pub devices: Vec<String>,
    /// Read device ids from FILE, one per line ('-' reads stdin; '#' starts a comment)
    #[arg(long, value_name = "FILE|-")]
    pub devices_from: Option<String>,
    /// Select devices with a query condition, e.g. "WHERE tags.site = 'lab'" (all pages)
    #[arg(long = "query", value_name = "WHERE ...")]
    pub query: Option<String>,
    /// How many devices to work on at once
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY, value_name = "N",
          value_parser = crate::args::parse_concurrency)]
    pub concurrency: u16,
}

impl TargetArgs {
    /// One device (the positional `DEVICE` or one `--device`) and nothing else: the command
    /// prints its own single-device output.
    pub fn single(&self) -> Option<&str> {
        match (
            self.device.as_deref(),
            self.devices.as_slice(),
            &self.devices_from,
            &self.query,
        ) {
            (Some(one), [], None, None) => Some(one),
            (None, [one], None, None) => Some(one.as_str()),
            _ => None,
        }
    }

    /// The `SELECT` that resolves `--query`, if given: `SELECT deviceId FROM devices WHERE ...`.
    pub fn device_query(&self) -> Option<String> {
        self.query.as_deref().map(device_query)
    }

    /// The device ids, in the order given, without duplicates: `--device`s, then the file,
    /// then the query's matches (fetched with `run_query`, which gets [`device_query`]'s text).
    pub async fn resolve<Q, F>(&self, run_query: Q) -> Result<Vec<String>, CliError>
    where
        Q: FnOnce(String) -> F,
        F: Future<Output = Result<Vec<String>, CliError>>,
    {
        let mut ids: Vec<String> = self.device.iter().chain(&self.devices).cloned().collect();
        if let Some(source) = &self.devices_from {
            ids.extend(read_device_list(source)?);
        }
        if let Some(query) = self.device_query() {
            ids.extend(run_query(query).await?);
        }
        let mut seen = HashSet::new();
        ids.retain(|id| seen.insert(id.clone()));
        for id in &ids {
            iothub_model::validate_device_id(id)
                .map_err(|e| CliError::usage(format!("device id '{id}': {e}")))?;
        }
        Ok(ids)
    }
}

/// `SELECT deviceId FROM devices WHERE <condition>`; the leading `WHERE` is optional and `*`
/// selects every device.
pub fn device_query(condition: &str) -> String {
    let condition = condition.trim();
    let rest = condition
        .get(..6)
        .filter(|head| head.eq_ignore_ascii_case("where "))
        .map_or(condition, |_| condition[6..].trim_start());
    if rest.is_empty() || rest == "*" {
        "SELECT deviceId FROM devices".to_owned()
    } else {
        format!("SELECT deviceId FROM devices WHERE {rest}")
    }
}

/// Reads device ids, one per line; blank lines and `#` comments are skipped.
fn read_device_list(source: &str) -> Result<Vec<String>, CliError> {
    let parse = |text: &str| -> Vec<String> {
        text.lines()
            .map(|line| line.split('#').next().unwrap_or("").trim())
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect()
    };
    if source == "-" {
        let mut ids = Vec::new();
        for line in io::stdin().lock().lines() {
            let line = line.map_err(|e| CliError::io("stdin", e))?;
            ids.extend(parse(&line));
        }
        Ok(ids)
    } else {
        let text = std::fs::read_to_string(Path::new(source))
            .map_err(|e| CliError::io(format!("device list {source}"), e))?;
        Ok(parse(&text))
    }
}

/// Refuses a destructive operation on more than one device without `--yes`, and says the
/// count either way.
pub fn confirm_fleet(
    printer: &Printer,
    yes: bool,
    count: usize,
    action: &str,
) -> Result<(), CliError> {
    if count <= 1 {
        return Ok(());
    }
    if !yes {
        return Err(
            CliError::usage(format!("this would {action} on {count} devices"))
                .with_hint("check the target, then pass --yes to go ahead"),
        );
    }
    printer.info(format!("{action} on {count} devices"));
    Ok(())
}

/// One device's result.
#[derive(Debug)]
pub struct DeviceOutcome<T> {
    /// The device.
    pub device_id: String,
    /// What the operation returned for it.
    pub result: Result<T, CliError>,
}

impl<T: Serialize> DeviceOutcome<T> {
    /// The JSON form: `{"deviceId", "ok": true, "result"}` or `{"deviceId", "ok": false,
    /// "error": {"exitCode", "message", "hint"?, "hubErrorCode"?}}`.
    pub fn to_json(&self) -> Value {
        match &self.result {
            Ok(value) => json!({
                "deviceId": self.device_id,
                "ok": true,
                "result": serde_json::to_value(value).unwrap_or(Value::Null),
            }),
            Err(err) => {
                let mut error = json!({
                    "exitCode": err.exit().code(),
                    "message": err.message(),
                });
                if let (Some(hint), Some(map)) = (err.hint(), error.as_object_mut()) {
                    map.insert("hint".into(), Value::from(hint));
                }
                // The same field a single command's JSON error carries.
                if let (Some(code), Some(map)) = (err.hub_code(), error.as_object_mut()) {
                    map.insert("hubErrorCode".into(), Value::from(code));
                }
                json!({"deviceId": self.device_id, "ok": false, "error": error})
            }
        }
    }
}

/// All devices' results, in the order the devices were given.
#[derive(Debug)]
pub struct FleetReport<T> {
    /// One entry per device.
    pub outcomes: Vec<DeviceOutcome<T>>,
}

impl<T> FleetReport<T> {
    /// How many devices succeeded.
    pub fn succeeded(&self) -> usize {
        self.outcomes.iter().filter(|o| o.result.is_ok()).count()
    }

    /// How many devices failed.
    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.succeeded()
    }

    /// 0 when every device succeeded (or none was selected); 10 when some failed; when every
    /// device failed for the same reason, that reason's code (all offline: 5).
    pub fn exit(&self) -> Exit {
        let mut classes = self
            .outcomes
            .iter()
            .filter_map(|o| o.result.as_ref().err().map(CliError::exit));
        let Some(first) = classes.next() else {
            return Exit::Ok;
        };
        if self.succeeded() == 0 && classes.all(|c| c == first) {
            first
        } else {
            Exit::PartialFailure
        }
    }
}

impl<T: Serialize> FleetReport<T> {
    /// Prints the results for the output format and returns the exit class: a table of every
    /// device (`detail` describes a success) for `table`, one document for `json`, and for
    /// `jsonl` nothing more (lines were streamed as devices finished). A summary line goes to
    /// stderr.
    pub fn finish(
        &self,
        printer: &Printer,
        detail: impl Fn(&T) -> String,
    ) -> Result<Exit, CliError> {
        match printer.format() {
            OutputFormat::Json => printer.json(&json!({
                "summary": {
                    "total": self.outcomes.len(),
                    "succeeded": self.succeeded(),
                    "failed": self.failed(),
                },
                "results": self.outcomes.iter().map(DeviceOutcome::to_json).collect::<Vec<_>>(),
            }))?,
            OutputFormat::Jsonl => {}
            OutputFormat::Table => {
                if !self.outcomes.is_empty() {
                    let mut table = printer.new_table(["DEVICE", "RESULT", "DETAIL"]);
                    for outcome in &self.outcomes {
                        let (result, text) = match &outcome.result {
                            Ok(value) => ("ok".to_owned(), detail(value)),
                            Err(err) => (format!("failed ({})", err.exit().code()), {
                                match err.hint() {
                                    Some(hint) => format!("{} (hint: {hint})", err.message()),
                                    None => err.message().to_owned(),
                                }
                            }),
                        };
                        table.add_row([outcome.device_id.clone(), result, text]);
                    }
                    printer.table(&table)?;
                }
            }
        }
        if self.outcomes.is_empty() {
            printer.warn("no devices matched the target");
        } else if self.failed() == 0 {
            printer.info(format!("{} devices: all succeeded", self.outcomes.len()));
        } else {
            printer.info(format!(
                "{} devices: {} succeeded, {} failed",
                self.outcomes.len(),
                self.succeeded(),
                self.failed()
            ));
        }
        Ok(self.exit())
    }
}

/// Shared state of a fleet run: when everyone may call the hub again after a 429.
struct Throttle {
    /// No device starts a call before this instant.
    resume_at: Mutex<Option<Instant>>,
}

impl Throttle {
    async fn wait(&self) {
        let until = *self
            .resume_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
    }

    fn push_back(&self, delay: Duration) {
        let until = Instant::now() + delay;
        let mut resume = self
            .resume_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if resume.is_none_or(|current| current < until) {
            *resume = Some(until);
        }
    }
}

/// Exponential back-off with "full jitter": a random delay up to the capped exponential, so
/// devices throttled together do not retry together.
fn backoff(device_id: &str, attempt: u32) -> Duration {
    let ceiling = BASE_BACKOFF
        .saturating_mul(1u32 << attempt.min(16))
        .min(MAX_BACKOFF);
    let random = std::collections::hash_map::RandomState::new().hash_one((device_id, attempt));
    let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
    // At least half the ceiling, so a retry never comes immediately.
    Duration::from_millis(millis / 2 + random % (millis / 2 + 1))
}

/// Runs `operation` on every device in `targets`, at most `concurrency` at a time.
///
/// A device throttled by the hub (exit class 9) is retried after a back-off, and every other
/// device pauses too until then; other errors are that device's result. With `--output
/// jsonl`, each device's result is printed as soon as it is known. A progress bar with ok /
/// failed / pending counts is shown on a terminal. Call [`FleetReport::finish`] to print the
/// rest and get the exit class.
pub async fn run_fleet<T, F, Fut>(
    printer: &Printer,
    targets: Vec<String>,
    concurrency: usize,
    operation: F,
) -> Result<FleetReport<T>, CliError>
where
    T: Serialize,
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T, CliError>>,
{
    let total = targets.len();
    let bar = printer.bar(total as u64);
    let (ok, failed) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let update_bar = || {
        let (ok, failed) = (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
        bar.set_position((ok + failed) as u64);
        bar.set_message(format!(
            "ok {ok} · failed {failed} · pending {}",
            total - ok - failed
        ));
    };
    update_bar();
    let throttle = Throttle {
        resume_at: Mutex::new(None),
    };
    let (operation, throttle_ref) = (&operation, &throttle);

    let mut results = futures::stream::iter(targets.into_iter().enumerate())
        .map(|(index, device_id)| async move {
            let mut attempt = 0;
            let result = loop {
                throttle_ref.wait().await;
                match operation(device_id.clone()).await {
                    Err(err) if err.exit() == Exit::Throttled && attempt < MAX_THROTTLE_RETRIES => {
                        let delay = backoff(&device_id, attempt);
                        tracing::debug!(device = %device_id, ?delay, "throttled; backing off");
                        throttle_ref.push_back(delay);
                        attempt += 1;
                    }
                    other => break other,
                }
            };
            (index, DeviceOutcome { device_id, result })
        })
        .buffer_unordered(concurrency.max(1));

    let mut outcomes: Vec<Option<DeviceOutcome<T>>> = (0..total).map(|_| None).collect();
    while let Some((index, outcome)) = results.next().await {
        if outcome.result.is_ok() {
            ok.fetch_add(1, Ordering::Relaxed);
        } else {
            failed.fetch_add(1, Ordering::Relaxed);
        }
        update_bar();
        if printer.format() == OutputFormat::Jsonl {
            printer.json_line(&outcome.to_json())?;
        }
        outcomes[index] = Some(outcome);
    }
    bar.finish_and_clear();
    Ok(FleetReport {
        outcomes: outcomes.into_iter().flatten().collect(),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicU32;

    use super::*;
    use crate::printer::{Terminal, Verbosity};

    fn printer(format: OutputFormat) -> Printer {
        let terminal = Terminal {
            stdout_tty: false,
            stderr_tty: false,
            no_color: true,
            columns: None,
        };
        Printer::new(format, Verbosity::Quiet, true, terminal)
    }

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn query_conditions_become_device_queries() {
        assert_eq!(
            device_query("WHERE tags.site = 'lab'"),
            "SELECT deviceId FROM devices WHERE tags.site = 'lab'"
        );
        assert_eq!(
            device_query("status = 'enabled'"),
            "SELECT deviceId FROM devices WHERE status = 'enabled'"
        );
        assert_eq!(device_query("*"), "SELECT deviceId FROM devices");
        assert_eq!(
            device_query(" where  x = 1"),
            "SELECT deviceId FROM devices WHERE x = 1"
        );
    }

    #[tokio::test]
    async fn targets_merge_in_order_without_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ids.txt");
        std::fs::write(&file, "b\n\n# comment\nc  # trailing\na\n").unwrap();
        let args = TargetArgs {
            device: None,
            devices: ids(&["a", "b"]),
            devices_from: Some(file.display().to_string()),
            query: Some("tags.x = 1".into()),
            concurrency: 4,
        };
        let seen_query = Arc::new(Mutex::new(String::new()));
        let seen = Arc::clone(&seen_query);
        let resolved = args
            .resolve(|q| async move {
                *seen.lock().unwrap() = q;
                Ok(ids(&["d", "a"]))
            })
            .await
            .unwrap();
        assert_eq!(resolved, ids(&["a", "b", "c", "d"]));
        assert_eq!(
            *seen_query.lock().unwrap(),
            "SELECT deviceId FROM devices WHERE tags.x = 1"
        );
        assert_eq!(args.single(), None);
    }

    #[tokio::test]
    async fn invalid_ids_are_refused_before_anything_is_sent() {
        let args = TargetArgs {
            devices: ids(&["ok", "bad id"]),
            ..TargetArgs::default()
        };
        let err = args
            .resolve(|_| async { Ok(Vec::new()) })
            .await
            .unwrap_err();
        assert_eq!(err.exit(), Exit::Usage);
        assert!(err.to_string().contains("'bad id'"));
    }

    #[test]
    fn more_than_one_device_needs_yes() {
        let p = printer(OutputFormat::Table);
        assert!(confirm_fleet(&p, false, 1, "reboot").is_ok());
        let err = confirm_fleet(&p, false, 3, "reboot").unwrap_err();
        assert_eq!(err.exit(), Exit::Usage);
        assert!(err.to_string().contains("reboot on 3 devices"));
        assert!(confirm_fleet(&p, true, 3, "reboot").is_ok());
    }

    #[tokio::test]
    async fn results_keep_input_order_and_exit_reflects_failures() {
        let p = printer(OutputFormat::Json);
        let report = run_fleet(&p, ids(&["a", "b", "c"]), 2, |id| async move {
            if id == "b" {
                Err(CliError::new(Exit::NotConnected, "not connected"))
            } else {
                Ok(id.to_uppercase())
            }
        })
        .await
        .unwrap();
        let order: Vec<&str> = report
            .outcomes
            .iter()
            .map(|o| o.device_id.as_str())
            .collect();
        assert_eq!(order, ["a", "b", "c"]);
        assert_eq!((report.succeeded(), report.failed()), (2, 1));
        assert_eq!(report.exit(), Exit::PartialFailure);
        assert_eq!(
            report.outcomes[1].to_json(),
            json!({"deviceId": "b", "ok": false, "error": {"exitCode": 5, "message": "not connected"}})
        );
        assert_eq!(
            report.outcomes[0].to_json(),
            json!({"deviceId": "a", "ok": true, "result": "A"})
        );
    }

    #[tokio::test]
    async fn all_failing_for_one_reason_exits_with_that_reason() {
        let p = printer(OutputFormat::Json);
        let report: FleetReport<()> = run_fleet(&p, ids(&["a", "b"]), 2, |_| async {
            Err(CliError::new(Exit::NotConnected, "offline"))
        })
        .await
        .unwrap();
        assert_eq!(report.exit(), Exit::NotConnected);
        let empty: FleetReport<()> = FleetReport {
            outcomes: Vec::new(),
        };
        assert_eq!(empty.exit(), Exit::Ok);
    }

    #[tokio::test(start_paused = true)]
    async fn throttled_devices_back_off_and_retry() {
        let p = printer(OutputFormat::Json);
        let calls = AtomicU32::new(0);
        let started = Instant::now();
        let report = run_fleet(&p, ids(&["a"]), 1, |_| {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                if n < 2 {
                    Err(CliError::new(Exit::Throttled, "throttled"))
                } else {
                    Ok(n)
                }
            }
        })
        .await
        .unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert_eq!(report.exit(), Exit::Ok);
        // Two back-offs of at least half of 1 s and 2 s each.
        assert!(started.elapsed() >= Duration::from_millis(1500));
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_gives_up_after_the_retry_budget() {
        let p = printer(OutputFormat::Json);
        let calls = AtomicU32::new(0);
        let report: FleetReport<()> = run_fleet(&p, ids(&["a"]), 1, |_| {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(CliError::new(Exit::Throttled, "throttled")) }
        })
        .await
        .unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), MAX_THROTTLE_RETRIES + 1);
        assert_eq!(report.exit(), Exit::Throttled);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        for attempt in 0..10 {
            let d = backoff("dev", attempt);
            let ceiling = (BASE_BACKOFF * (1 << attempt)).min(MAX_BACKOFF);
            assert!(d >= ceiling / 2 && d <= ceiling, "{attempt}: {d:?}");
        }
    }
}
