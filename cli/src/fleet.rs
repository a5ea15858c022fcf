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
use std::fmt::Write as _;
use std::future::Future;
use std::io::{self, BufRead as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Args;
use futures::StreamExt as _;
use serde::Serialize;
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::exit::{CliError, Exit};
use crate::journal::{self, Journal};
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
        .args(["device", "devices", "devices_from", "query", "resume"])
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
    /// Continue the interrupted fleet run of this same command: only the devices it never
    /// sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)
    #[arg(long)]
    pub resume: bool,
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
        self.resolve_select("deviceId", run_query).await
    }

    /// [`resolve`](Self::resolve) with `projection` selected by the query instead of
    /// `deviceId` alone (it must include `deviceId`), so a caller can read what it needs of
    /// every target in the same paged query that finds them.
    async fn resolve_select<Q, F>(
        &self,
        projection: &str,
        run_query: Q,
    ) -> Result<Vec<String>, CliError>
    where
        Q: FnOnce(String) -> F,
        F: Future<Output = Result<Vec<String>, CliError>>,
    {
        if self.resume {
            return Err(CliError::usage(
                "--resume continues an interrupted run of a command that changes devices; this one only reads",
            )
            .with_hint("run it again without --resume"));
        }
        let mut ids: Vec<String> = self.device.iter().chain(&self.devices).cloned().collect();
        if let Some(source) = &self.devices_from {
            ids.extend(read_device_list(source)?);
        }
        if let Some(condition) = &self.query {
            ids.extend(run_query(device_select(condition, projection)).await?);
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

impl TargetArgs {
    /// Starts a run: the devices to work on, with the journal that makes it resumable.
    ///
    /// A single `--device` has no journal (there is nothing to continue). With `--resume`, the
    /// devices are the interrupted run's that were never sent anything, and what the run had
    /// done is said on stderr; a different command, or another hub, is refused. `hub` is the
    /// hub's host name, part of the run's identity.
    pub async fn start_run<Q, F>(
        &self,
        printer: &Printer,
        hub: &str,
        run_query: Q,
    ) -> Result<FleetRun, CliError>
    where
        Q: FnOnce(String) -> F,
        F: Future<Output = Result<Vec<String>, CliError>>,
    {
        self.start_run_select(printer, hub, "deviceId", run_query)
            .await
    }

    /// [`start_run`](Self::start_run) whose `--query` selects `projection` (which must
    /// include `deviceId`): the typed commands read every target's manifest in the query that
    /// resolves the target, instead of one twin read per device.
    pub async fn start_run_select<Q, F>(
        &self,
        printer: &Printer,
        hub: &str,
        projection: &str,
        run_query: Q,
    ) -> Result<FleetRun, CliError>
    where
        Q: FnOnce(String) -> F,
        F: Future<Output = Result<Vec<String>, CliError>>,
    {
        let args = journal::run_args();
        if self.resume {
            let dir = journal::journal_dir()?;
            let (journal, progress) = Journal::resume(&dir, hub, &args)?;
            let ok = progress.done.iter().filter(|(_, ok)| *ok).count();
            printer.info(format!(
                "resuming the run started {}: {} of {} devices done before ({} ok, {} failed), \
                 {} sent the call without a known outcome (not sent again), {} left",
                journal.header().started_at,
                progress.done.len(),
                journal.header().devices.len(),
                ok,
                progress.done.len() - ok,
                progress.sent.len(),
                progress.remaining.len(),
            ));
            return Ok(FleetRun {
                devices: progress.remaining.clone(),
                journal: JournalState::Open(Arc::new(journal)),
                args,
                resumed: Some(progress),
                reports_sends: false,
            });
        }
        let devices = self.resolve_select(projection, run_query).await?;
        let journal = if self.single().is_some() {
            JournalState::None
        } else {
            JournalState::Planned {
                hub: hub.to_owned(),
            }
        };
        Ok(FleetRun {
            devices,
            journal,
            args,
            resumed: None,
            reports_sends: false,
        })
    }
}

/// Whether and how a run keeps its journal.
#[derive(Debug)]
enum JournalState {
    /// No journal (one device, or it could not be written).
    None,
    /// Written when the run starts, after the confirmations.
    Planned {
        /// The hub's host name.
        hub: String,
    },
    /// Open (a resumed run, or one that started).
    Open(Arc<Journal>),
}

/// A fleet run about to start: see [`TargetArgs::start_run`] and [`FleetRun::run`].
#[derive(Debug)]
pub struct FleetRun {
    /// The devices this run works on.
    pub devices: Vec<String>,
    journal: JournalState,
    args: Vec<String>,
    resumed: Option<journal::Progress>,
    reports_sends: bool,
}

impl FleetRun {
    /// The operation calls [`note_sent`] just before it sends anything, so a device whose turn
    /// had started but who was sent nothing counts as not reached when interrupted (without
    /// this, a started device may have been sent the call).
    #[must_use]
    pub fn reports_sends(mut self) -> Self {
        self.reports_sends = true;
        self
    }

    /// Runs `operation` on every device like [`run_fleet`], keeping the journal, and on Ctrl-C
    /// stops, says which devices were sent the call, which answered and which were not reached,
    /// writes the ones not reached to a file and returns an error (exit 130) whose hint is the
    /// command that continues with only those. A finished run removes its journal. A resumed
    /// run's report also lists the devices that had failed, or had no known outcome, before.
    pub async fn run<T, F, Fut>(
        self,
        printer: &Printer,
        concurrency: usize,
        operation: F,
    ) -> Result<FleetReport<T>, CliError>
    where
        T: Serialize,
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, CliError>>,
    {
        self.run_until(
            printer,
            concurrency,
            crate::interrupt::requested(),
            operation,
        )
        .await
    }

    async fn run_until<T, F, Fut>(
        self,
        printer: &Printer,
        concurrency: usize,
        interrupt: impl Future<Output = ()>,
        operation: F,
    ) -> Result<FleetReport<T>, CliError>
    where
        T: Serialize,
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, CliError>>,
    {
        let journal = match self.journal {
            JournalState::None => None,
            JournalState::Open(journal) => Some(journal),
            JournalState::Planned { hub } => {
                let created = journal::journal_dir().and_then(|dir| {
                    Journal::create(&dir, &hub, self.args.clone(), self.devices.clone())
                });
                match created {
                    Ok((journal, replaced)) => {
                        if replaced {
                            printer.warn(
                                "an interrupted run of this same command was not resumed: this \
                                 run starts over on every device (--resume would have continued it)",
                            );
                        }
                        Some(Arc::new(journal))
                    }
                    Err(err) => {
                        printer.warn(format!(
                            "this run keeps no journal and cannot be resumed: {}",
                            err.message()
                        ));
                        None
                    }
                }
            }
        };
        let tracks = Tracks::new(&self.devices, journal.as_ref(), self.reports_sends);
        let result = run_tracked(
            printer,
            self.devices,
            concurrency,
            &tracks,
            interrupt,
            &operation,
        )
        .await?;
        let Some(mut report) = result else {
            return Err(interrupted(
                printer,
                &tracks,
                journal.as_deref(),
                &self.args,
            ));
        };
        if let Some(previous) = &self.resumed {
            let mut earlier = Vec::new();
            for (device, op) in &previous.sent {
                let (what, hint) = match op {
                    Some(op) => (
                        format!(
                            "was sent the call before the interruption (operation {op}); not sent again"
                        ),
                        format!("dmctl ops wait --device {device} {op}"),
                    ),
                    None => (
                        "was sent the call before the interruption, with no answer; not sent again"
                            .to_owned(),
                        format!("dmctl ops list --device {device}"),
                    ),
                };
                earlier.push(DeviceOutcome {
                    device_id: device.clone(),
                    result: Err(CliError::new(Exit::TimedOut, what).with_hint(hint)),
                });
            }
            earlier.extend(
                previous
                    .done
                    .iter()
                    .filter(|(_, ok)| !ok)
                    .map(|(device, _)| DeviceOutcome {
                        device_id: device.clone(),
                        result: Err(CliError::new(
                            Exit::Failure,
                            "failed in the interrupted run; not sent again",
                        )),
                    }),
            );
            if printer.format() == OutputFormat::Jsonl {
                for outcome in &earlier {
                    printer.json_line(&outcome.to_json())?;
                }
            }
            earlier.append(&mut report.outcomes);
            report.outcomes = earlier;
        }
        // The tracks hold the journal too; it can only be closed once they are gone.
        drop(tracks);
        if let Some(journal) = journal
            && let Ok(journal) = Arc::try_unwrap(journal)
        {
            journal.finish();
        }
        Ok(report)
    }
}

tokio::task_local! {
    /// The device whose operation is running, for [`note_sent`].
    static CURRENT: Arc<Track>;
}

/// Where one device of a run stands, as far as dmctl knows.
#[derive(Debug)]
pub struct Track {
    device: String,
    started: std::sync::atomic::AtomicBool,
    sent: std::sync::atomic::AtomicBool,
    done: std::sync::atomic::AtomicBool,
    operation: Mutex<Option<String>>,
    awaiting: Mutex<Option<String>>,
    journal: Option<Arc<Journal>>,
}

impl Track {
    /// A device nothing has happened to yet.
    pub fn new(device: &str, journal: Option<Arc<Journal>>) -> Arc<Self> {
        Arc::new(Self {
            device: device.to_owned(),
            started: false.into(),
            sent: false.into(),
            done: false.into(),
            operation: Mutex::new(None),
            awaiting: Mutex::new(None),
            journal,
        })
    }

    /// Runs `work` with this device as the one [`note_sent`] reports on.
    pub async fn scope<R>(self: &Arc<Self>, work: impl Future<Output = R>) -> R {
        CURRENT.scope(Arc::clone(self), work).await
    }

    /// Whether the call was sent (or may have been).
    pub fn was_sent(&self) -> bool {
        self.sent.load(Ordering::SeqCst)
    }

    /// The operation the device accepted, if known.
    pub fn operation(&self) -> Option<String> {
        self.operation
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// What `dmctl ops wait --device D` needs after it to follow the operation again.
    pub fn awaiting(&self) -> Option<String> {
        self.awaiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn mark_sent(&self, operation: Option<&str>) {
        self.sent.store(true, Ordering::SeqCst);
        if let Some(op) = operation {
            *self
                .operation
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(op.to_owned());
            *self
                .awaiting
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(op.to_owned());
        }
        if let Some(journal) = &self.journal {
            journal.sent(&self.device, operation);
        }
    }
}

/// Records, for the device whose operation is running, that the call is being sent now (and
/// with `operation`, which operation the device accepted). Outside a run it does nothing.
pub fn note_sent(operation: Option<&str>) {
    let _ = CURRENT.try_with(|track| track.mark_sent(operation));
}

/// Records, for the device whose operation is running, what `dmctl ops wait --device D`
/// needs to follow it (a desired-state change has no operation id until the agent reports it).
pub fn note_awaiting(resume: String) {
    let _ = CURRENT.try_with(|track| {
        *track
            .awaiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(resume);
    });
}

/// Every device's [`Track`] in a run, in order.
struct Tracks {
    all: Vec<Arc<Track>>,
    reports_sends: bool,
}

impl Tracks {
    fn new(devices: &[String], journal: Option<&Arc<Journal>>, reports_sends: bool) -> Self {
        Self {
            all: devices
                .iter()
                .map(|d| Track::new(d, journal.cloned()))
                .collect(),
            reports_sends,
        }
    }
}

/// At most this many device ids are listed per line when a run is interrupted.
const LISTED: usize = 20;

fn list(devices: &[String]) -> String {
    let mut text = devices
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if devices.len() > LISTED {
        let _ = write!(text, ", … ({} more)", devices.len() - LISTED);
    }
    text
}

/// Says what an interrupted run had done and builds its error (exit 130).
fn interrupted(
    printer: &Printer,
    tracks: &Tracks,
    journal: Option<&Journal>,
    args: &[String],
) -> CliError {
    let (mut answered, mut sent, mut not_reached) = (Vec::new(), Vec::new(), Vec::new());
    for track in &tracks.all {
        if track.done.load(Ordering::SeqCst) {
            answered.push(track.device.clone());
        } else if track.was_sent()
            || (!tracks.reports_sends && track.started.load(Ordering::SeqCst))
        {
            sent.push(match track.operation() {
                Some(op) => format!("{} (operation {op})", track.device),
                None => track.device.clone(),
            });
        } else {
            not_reached.push(track.device.clone());
        }
    }
    printer.info(format!(
        "interrupted: {} of {} devices answered, {} were sent the call without an answer yet, {} were not reached",
        answered.len(),
        tracks.all.len(),
        sent.len(),
        not_reached.len()
    ));
    if !answered.is_empty() {
        printer.info(format!("answered: {}", list(&answered)));
    }
    if !sent.is_empty() {
        printer.info(format!(
            "sent the call, no answer seen (it goes on on the device; `dmctl ops list --device ID` shows it): {}",
            list(&sent)
        ));
    }
    if !not_reached.is_empty() {
        printer.info(format!(
            "not reached (nothing sent): {}",
            list(&not_reached)
        ));
    }
    let mut err = CliError::new(
        Exit::Interrupted,
        format!(
            "interrupted; {} devices were not reached",
            not_reached.len()
        ),
    );
    if not_reached.is_empty() {
        return err.with_hint("every device was sent the call; nothing is left to continue");
    }
    let file: Option<PathBuf> = journal.and_then(|j| match j.write_remaining(&not_reached) {
        Ok(path) => Some(path),
        Err(e) => {
            printer.warn(format!(
                "cannot write the list of devices not reached: {}",
                e.message()
            ));
            None
        }
    });
    if let Some(file) = file {
        let rest = journal::shell_line(&journal::with_devices_from(args, &file));
        let mut resume = args.to_vec();
        resume.push("--resume".to_owned());
        let resume = journal::shell_line(&resume);
        printer.info(format!(
            "the devices not reached are listed in {}",
            file.display()
        ));
        err = err.with_hint(format!(
            "continue with only the devices not reached: `{rest}` (or `{resume}`, which also reports the others)"
        ));
    }
    err
}

/// `SELECT deviceId FROM devices WHERE <condition>`; the leading `WHERE` is optional and `*`
/// selects every device.
pub fn device_query(condition: &str) -> String {
    device_select(condition, "deviceId")
}

/// `SELECT <projection> FROM devices WHERE <condition>`, with [`device_query`]'s reading of
/// the condition.
pub fn device_select(condition: &str, projection: &str) -> String {
    match bare_condition(condition) {
        None => format!("SELECT {projection} FROM devices"),
        Some(rest) => format!("SELECT {projection} FROM devices WHERE {rest}"),
    }
}

/// The condition an operator gave (`--target`, `--until`, the dashboard's filter), as dmctl
/// reads it everywhere: without a leading `WHERE`, and `None` for every device (empty, `*`, or
/// a bare `WHERE`).
pub fn bare_condition(text: &str) -> Option<&str> {
    let text = text.trim();
    let rest = match text.get(..5) {
        Some(head)
            if head.eq_ignore_ascii_case("where")
                && text[5..].chars().next().is_none_or(char::is_whitespace) =>
        {
            text[5..].trim_start()
        }
        _ => text,
    };
    (!rest.is_empty() && rest != "*").then_some(rest)
}

/// Checks a query condition the way the hub parses it, before anything is sent; the error
/// points into the condition as the operator typed it ([`locate_in_condition`]).
pub fn check_condition(condition: &str) -> Result<(), String> {
    let query = device_query(condition);
    iothub_emulator::query::parse(&query)
        .map(|_| ())
        .map_err(|e| {
            // Positions count in the condition as shown, without its optional `WHERE`.
            let (shown, message) = match bare_condition(condition) {
                Some(bare) => (bare, locate_in_condition(&e.to_string(), &query, bare).0),
                None => (condition, e.to_string()),
            };
            format!("\"{shown}\" is not a valid IoT Hub query condition: {message}")
        })
}

/// A query error re-expressed in the condition the operator typed.
///
/// The hub counts positions in, and names the token it stopped at from, the whole query dmctl
/// composed around the condition (`SELECT <projection> FROM devices WHERE <condition> GROUP BY
/// …`). Shown as is, an unfinished condition (`deviceId =`) was reported "at position 67:
/// expected an expression but found 'GROUP'", text the operator never typed. Here a position
/// inside the condition becomes relative to it, and one past its end says so. Returns the message
/// to show and the character offset in the condition, when the hub gave a position inside or at
/// the end of it (the local hub says `syntax error at position N`; other messages pass
/// unchanged).
pub fn locate_in_condition(message: &str, query: &str, condition: &str) -> (String, Option<usize>) {
    const AT: &str = "at position ";
    let unchanged = || (message.to_owned(), None);
    let Some(at) = message.to_ascii_lowercase().find(AT) else {
        return unchanged();
    };
    let digits_at = at + AT.len();
    let digits: String = message[digits_at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let Ok(position) = digits.parse::<usize>() else {
        return unchanged();
    };
    let Some(byte) = query.find(&format!(" WHERE {condition}")) else {
        return unchanged();
    };
    let start = query[..byte + " WHERE ".len()].chars().count();
    let len = condition.chars().count();
    let Some(relative) = position.checked_sub(start) else {
        // In dmctl's own text before the condition: nothing the operator can point at.
        return unchanged();
    };
    let (head, tail) = (&message[..at], &message[digits_at + digits.len()..]);
    if relative < len {
        // Where the hub wanted its query to end, the operator's condition had to end.
        let tail = tail.replace("expected end of query", "expected the end of the condition");
        return (format!("{head}{AT}{relative}{tail}"), Some(relative));
    }
    // Past the condition's end: what the hub found there is dmctl's text (or the query's end).
    let tail = if tail.contains("expected end of query") {
        // The condition parsed and went on (`… GROUP BY x`) into the clause dmctl adds.
        ": a condition cannot carry a clause of its own (such as GROUP BY); give the WHERE condition alone".to_owned()
    } else {
        match tail.find("but found ") {
            Some(found) => format!("{}but found the end of the condition", &tail[..found]),
            None => tail.to_owned(),
        }
    };
    (
        format!("{head}at the end of the condition (position {len}){tail}"),
        Some(len),
    )
}

/// [`locate_in_condition`] for an error of the hub's answer to `query`.
pub fn error_in_condition(err: CliError, query: &str, condition: Option<&str>) -> CliError {
    match condition {
        Some(condition) => {
            let (message, _) = locate_in_condition(err.message(), query, condition);
            err.with_message(message)
        }
        None => err,
    }
}

/// `deviceId IN ['a', 'b', ...]`: a query condition naming exactly `devices` (quotes and
/// backslashes escaped as the query language reads them).
pub fn ids_condition(devices: &[String]) -> String {
    let quoted: Vec<String> = devices
        .iter()
        .map(|id| format!("'{}'", id.replace('\\', "\\\\").replace('\'', "\\'")))
        .collect();
    format!("deviceId IN [{}]", quoted.join(", "))
}

/// Longest `deviceId IN [...]` condition [`ids_conditions`] puts in one query (the hub
/// limits a query's length).
pub const MAX_IDS_CONDITION: usize = 4000;

/// [`ids_condition`]s naming every one of `devices`, in order, each shorter than
/// [`MAX_IDS_CONDITION`] (a few hundred ids each), so reading many devices by id takes a few
/// queries instead of one request per device.
pub fn ids_conditions(devices: &[String]) -> Vec<String> {
    let mut conditions = Vec::new();
    let mut start = 0;
    while start < devices.len() {
        let mut end = start;
        let mut length = 0;
        while end < devices.len()
            && (end == start || length + devices[end].len() + 4 < MAX_IDS_CONDITION)
        {
            length += devices[end].len() + 4;
            end += 1;
        }
        conditions.push(ids_condition(&devices[start..end]));
        start = end;
    }
    conditions
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

/// The workspace's one backoff ([`iothub_model::Backoff`]: capped exponential, full jitter),
/// so devices throttled together do not retry together. `attempt` counts from 0.
fn backoff(attempt: u32) -> Duration {
    iothub_model::Backoff::new(BASE_BACKOFF, MAX_BACKOFF)
        .delay(attempt.saturating_add(1), &mut rand::rng())
}

/// Runs `operation` on every device in `targets`, at most `concurrency` at a time.
///
/// A device throttled by the hub (exit class 9) is retried after a back-off, and every other
/// device pauses too until then; other errors are that device's result. With `--output
/// jsonl`, each device's result is printed as soon as it is known. A progress bar with ok /
/// failed / pending counts is shown on a terminal. Call [`FleetReport::finish`] to print the
/// rest and get the exit class. On Ctrl-C it stops and says which devices were reached (exit
/// 130); [`FleetRun::run`] does the same with a journal and a way to continue.
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
    let tracks = Tracks::new(&targets, None, false);
    let interrupt = crate::interrupt::requested();
    match run_tracked(
        printer,
        targets,
        concurrency,
        &tracks,
        interrupt,
        &operation,
    )
    .await?
    {
        Some(report) => Ok(report),
        None => Err(interrupted(printer, &tracks, None, &[])),
    }
}

/// The run loop: `None` when `interrupt` completed first (the devices' [`Track`]s say how far
/// each got; operations still running are dropped).
async fn run_tracked<T, F, Fut>(
    printer: &Printer,
    targets: Vec<String>,
    concurrency: usize,
    tracks: &Tracks,
    interrupt: impl Future<Output = ()>,
    operation: &F,
) -> Result<Option<FleetReport<T>>, CliError>
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
    let throttle_ref = &throttle;
    let reports_sends = tracks.reports_sends;

    let mut results = futures::stream::iter(targets.into_iter().zip(&tracks.all).enumerate())
        .map(|(index, (device_id, track))| async move {
            track.started.store(true, Ordering::SeqCst);
            if !reports_sends {
                track.mark_sent(None);
            }
            let mut attempt = 0;
            let result = loop {
                throttle_ref.wait().await;
                match track.scope(operation(device_id.clone())).await {
                    Err(err) if err.exit() == Exit::Throttled && attempt < MAX_THROTTLE_RETRIES => {
                        let delay = backoff(attempt);
                        tracing::debug!(device = %device_id, ?delay, "throttled; backing off");
                        throttle_ref.push_back(delay);
                        attempt += 1;
                    }
                    other => break other,
                }
            };
            track.done.store(true, Ordering::SeqCst);
            if let Some(journal) = &track.journal {
                journal.done(&device_id, result.is_ok());
            }
            (index, DeviceOutcome { device_id, result })
        })
        .buffer_unordered(concurrency.max(1));

    let mut outcomes: Vec<Option<DeviceOutcome<T>>> = (0..total).map(|_| None).collect();
    let mut interrupt = std::pin::pin!(interrupt);
    loop {
        let next = tokio::select! {
            biased;
            () = &mut interrupt => {
                bar.finish_and_clear();
                return Ok(None);
            }
            next = results.next() => next,
        };
        let Some((index, outcome)) = next else { break };
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
    Ok(Some(FleetReport {
        outcomes: outcomes.into_iter().flatten().collect(),
    }))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicU32;

    use super::*;

    #[test]
    fn query_errors_point_into_the_condition_the_operator_typed() {
        let condition = "tags.site = 'lab' AND (";
        let page = crate::dashboard::fleet::fleet_query(Some(condition));
        let start = page.len() - condition.len();
        // Inside the condition: the position becomes relative to it.
        let message = format!(
            "ArgumentInvalid: syntax error at position {}: unexpected 'AND'",
            start + 18
        );
        assert_eq!(
            locate_in_condition(&message, &page, condition),
            (
                "ArgumentInvalid: syntax error at position 18: unexpected 'AND'".to_owned(),
                Some(18)
            )
        );
        // Past its end, in the count query: the hub stopped at dmctl's `GROUP BY`.
        let count = crate::dashboard::fleet::count_query(Some("deviceId ="));
        let at = count.find(" GROUP BY").unwrap() + 1;
        let message =
            format!("syntax error at position {at}: expected an expression but found 'GROUP'");
        assert_eq!(
            locate_in_condition(&message, &count, "deviceId ="),
            (
                "syntax error at the end of the condition (position 10): expected an expression but found the end of the condition".to_owned(),
                Some(10)
            )
        );
        // Past its end, in the page query: the query's own end.
        let page = crate::dashboard::fleet::fleet_query(Some("deviceId ="));
        let message = format!(
            "syntax error at position {}: expected an expression but found end of query",
            page.chars().count()
        );
        assert_eq!(
            locate_in_condition(&message, &page, "deviceId =").1,
            Some(10)
        );
        // Messages without a position, or pointing before the condition, pass unchanged.
        assert_eq!(
            locate_in_condition("something else", &page, "deviceId ="),
            ("something else".to_owned(), None)
        );
        assert_eq!(
            locate_in_condition("syntax error at position 3: x", &page, "deviceId =").1,
            None
        );
    }
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
            resume: false,
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
        // Two back-offs with full jitter (the workspace's one backoff): each anywhere up to its
        // bound, 1 s then 2 s; on paused time the elapsed time is exactly their sum.
        assert!(
            started.elapsed() <= Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
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

    #[tokio::test]
    async fn an_interrupted_run_keeps_what_it_did_and_lists_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let args = ids(&["reboot", "--query", "*", "--wait"]);
        let devices = ids(&["a", "b", "c"]);
        let (journal, _) =
            Journal::create(dir.path(), "hub", args.clone(), devices.clone()).unwrap();
        let run = FleetRun {
            devices,
            journal: JournalState::Open(Arc::new(journal)),
            args: args.clone(),
            resumed: None,
            reports_sends: true,
        };
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let tx = Mutex::new(Some(tx));
        let tx = &tx;
        let err = run
            .run_until(
                &printer(OutputFormat::Json),
                1,
                async {
                    let _ = rx.await;
                },
                |id| async move {
                    note_sent(Some(&format!("op-{id}")));
                    if id == "a" {
                        return Ok(());
                    }
                    // b is sent and never answers; Ctrl-C comes while it waits.
                    if let Some(tx) = tx.lock().unwrap().take() {
                        let _ = tx.send(());
                    }
                    std::future::pending::<Result<(), CliError>>().await
                },
            )
            .await
            .unwrap_err();
        assert_eq!(err.exit(), Exit::Interrupted);
        assert!(
            err.message().contains("1 devices were not reached"),
            "{err}"
        );
        let hint = err.hint().unwrap();
        assert!(
            hint.contains("dmctl reboot --wait --devices-from "),
            "{hint}"
        );
        assert!(
            hint.contains("dmctl reboot --query '*' --wait --resume"),
            "{hint}"
        );
        let file = dir.path().join(format!(
            "{}",
            std::fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .find(|e| e.file_name().to_string_lossy().ends_with(".remaining.txt"))
                .unwrap()
                .file_name()
                .to_string_lossy()
        ));
        assert_eq!(std::fs::read_to_string(file).unwrap(), "c\n");

        let (_, progress) = Journal::resume(dir.path(), "hub", &args).unwrap();
        assert_eq!(progress.done, [("a".to_owned(), true)]);
        assert_eq!(progress.sent, [("b".to_owned(), Some("op-b".to_owned()))]);
        assert_eq!(progress.remaining, ids(&["c"]));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        for attempt in 0..10 {
            let d = backoff(attempt);
            let ceiling = (BASE_BACKOFF * (1 << attempt)).min(MAX_BACKOFF);
            assert!(d <= ceiling, "{attempt}: {d:?}");
        }
    }
}
