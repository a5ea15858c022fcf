//! Query benchmark of the local IoT Hub (not a test): paging through the queries the dashboard
//! and the fleet commands send, over a registry of 10,000 devices with realistic twins.
//!
//! ```text
//! cargo bench -p iothub-emulator --bench query                  # 10,000 devices
//! cargo bench -p iothub-emulator --bench query -- --devices 2000
//! ```
//!
//! The hub runs in this process on a temporary data directory. Devices are written straight into
//! the store through the registry's own functions (a device, its tags, a dm-agent-like reported
//! section with a manifest, a third of them connected), in transactions of 500, so setting up
//! does not dominate the run. Each query is then paged to the end through [`Hub::query`] (what
//! `POST /devices/query` runs, without HTTP) at the dashboard's page sizes, timing the first
//! page, the slowest further page and the whole set. Each query is also run through the
//! algorithm the hub used before keyset continuations ("before": every page re-reads and
//! re-evaluates every twin, then cuts its slice), rebuilt here from the same public functions,
//! so both columns come from one build and one sitting. The "before" column pages a query only
//! while its cumulative time stays under a budget and extrapolates beyond it (marked `~`).
//!
//! Results go to stdout as Markdown (see `BENCHMARKS.md`); progress goes to stderr.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use iothub_emulator::hub::{Hub, QueryPage, page};
use iothub_emulator::registry::{self, Now};
use iothub_emulator::twins::{self, ServiceTwinWrite};
use iothub_emulator::{EmulatorError, HubConfig, Identity, query};
use serde_json::{Value, json};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Deployment rings, one per device in turn.
const RINGS: [&str; 3] = ["canary", "early", "broad"];
/// Agent versions, one per device in turn.
const VERSIONS: [&str; 3] = ["1.4.0", "1.4.1", "1.5.0"];
/// Devices per setup transaction.
const BATCH: usize = 500;
/// How long the "before" column may spend on one query before it extrapolates.
const BEFORE_BUDGET: Duration = Duration::from_secs(20);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` always passes `--bench`; no arguments means `cargo test --benches` (or
    // `--all-targets`) is running this target, and a benchmark has no place in a test run.
    if args.is_empty() {
        eprintln!(
            "query bench: nothing to do without arguments; run `cargo bench -p iothub-emulator --bench query`"
        );
        return ExitCode::SUCCESS;
    }
    // `cargo bench` passes `--bench`; only `--devices N` is ours.
    let devices = args
        .iter()
        .position(|a| a == "--devices")
        .and_then(|i| args.get(i + 1))
        .map_or(Ok(10_000), |n| n.parse::<usize>())
        .unwrap_or_else(|_| {
            eprintln!("--devices takes a number");
            std::process::exit(2)
        });
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("starting the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(devices)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("query bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One query of the matrix: what it is, its text, the page size it is read with.
struct Case {
    what: &'static str,
    text: String,
    page_size: usize,
}

/// Timings of one query paged to the end.
struct Run {
    rows: usize,
    pages: usize,
    first: Duration,
    slowest_further: Duration,
    whole: Duration,
    /// Set when the run stopped early and `whole` is extrapolated from the pages read.
    extrapolated: bool,
}

async fn run(devices: usize) -> Result<(), Error> {
    let dir = tempfile::tempdir()?;
    let running = iothub_emulator::start(HubConfig::new(dir.path()).ephemeral()).await?;
    let hub = running.hub().clone();
    eprintln!("writing {devices} devices…");
    let started = Instant::now();
    populate(&hub, devices)?;
    let stored: usize = hub.read(|tx| {
        tx.identities(false)
            .map(|all| all.iter().map(|(_, _, r)| twin_bytes(r)).sum())
    })?;
    eprintln!(
        "wrote {devices} devices in {:?} ({} bytes of twin JSON each on average)",
        started.elapsed(),
        stored / devices.max(1)
    );

    let visible: Vec<String> = (0..18).map(device_id).collect();
    let in_list = visible
        .iter()
        .map(|id| format!("'{id}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let dashboard = "SELECT deviceId, connectionState, lastActivityTime, \
        properties.reported.dm.agent.version AS agentVersion, \
        properties.reported.dm.agent.contractVersion AS contractVersion, \
        properties.reported.dm.reboot.lastBootTime AS lastBootTime, \
        properties.desired.dm AS desiredDm FROM devices";
    let cases = [
        Case {
            what: "`SELECT * FROM devices`",
            text: "SELECT * FROM devices".into(),
            page_size: 100,
        },
        Case {
            what: "`SELECT * FROM devices` (pages of 1,000)",
            text: "SELECT * FROM devices".into(),
            page_size: 1000,
        },
        Case {
            what: "projection `deviceId, properties.reported.dm.agent`",
            text: "SELECT deviceId, properties.reported.dm.agent FROM devices".into(),
            page_size: 1000,
        },
        Case {
            what: "dashboard projection (pages of 200)",
            text: dashboard.into(),
            page_size: 200,
        },
        Case {
            what: "`WHERE tags.site = 'site-3'` (1 in 10)",
            text: "SELECT * FROM devices WHERE tags.site = 'site-3'".into(),
            page_size: 100,
        },
        Case {
            what: "`WHERE STARTSWITH(deviceId, 'bench-001')` (100)",
            text: "SELECT * FROM devices WHERE STARTSWITH(deviceId, 'bench-001')".into(),
            page_size: 100,
        },
        Case {
            what: "dashboard rows on screen `deviceId IN [18 ids]`",
            text: format!("{dashboard} WHERE deviceId IN [{in_list}]"),
            page_size: 1000,
        },
        Case {
            what: "`WHERE connectionState = 'Connected'` projected",
            text:
                "SELECT deviceId, lastActivityTime FROM devices WHERE connectionState = 'Connected'"
                    .into(),
            page_size: 1000,
        },
        Case {
            what: "`GROUP BY connectionState` count",
            text: "SELECT COUNT() AS n, connectionState FROM devices GROUP BY connectionState"
                .into(),
            page_size: 1000,
        },
        Case {
            what: "`GROUP BY properties.reported.dm.agent.version` count",
            text: "SELECT COUNT() AS n, properties.reported.dm.agent.version AS v FROM devices \
                   GROUP BY properties.reported.dm.agent.version"
                .into(),
            page_size: 1000,
        },
    ];

    let mut out = String::new();
    let _ = writeln!(
        out,
        "| query ({devices} devices) | page size | rows | pages | first page: before → after | slowest further page: before → after | whole set: before → after |"
    );
    out.push_str("|---|---|---|---|---|---|---|\n");
    for case in &cases {
        // Warm the page cache and the statement cache once, untimed.
        hub.query(&case.text, None, case.page_size)?;
        let after = page_through(&case.text, case.page_size, None, |t, c, n| {
            hub.query(t, c, n)
        })?;
        let before = page_through(
            &case.text,
            case.page_size,
            Some((BEFORE_BUDGET, after.rows)),
            |t, c, n| query_before(&hub, t, c, n),
        )?;
        if !before.extrapolated && before.rows != after.rows {
            return Err(format!(
                "{}: {} rows before, {} after",
                case.what, before.rows, after.rows
            )
            .into());
        }
        eprintln!("{}: done", case.what);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} → {} | {} → {} | {}{} → {} |",
            case.what,
            case.page_size,
            after.rows,
            after.pages,
            ms(before.first),
            ms(after.first),
            ms(before.slowest_further),
            ms(after.slowest_further),
            if before.extrapolated { "~" } else { "" },
            ms(before.whole),
            ms(after.whole),
        );
    }
    print!("{out}");
    running.shutdown().await?;
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn twin_bytes(record: &iothub_emulator::store::IdentityRecord) -> usize {
    serde_json::to_string(record).map_or(0, |s| s.len())
}

/// Pages `text` to the end through `query`, timing each page. With a `budget` (and the number
/// of rows the query returns), stops once the time spent exceeds it and extrapolates the whole
/// set from the pages read.
fn page_through(
    text: &str,
    page_size: usize,
    budget: Option<(Duration, usize)>,
    query: impl Fn(&str, Option<&str>, usize) -> Result<QueryPage, EmulatorError>,
) -> Result<Run, Error> {
    let mut run = Run {
        rows: 0,
        pages: 0,
        first: Duration::ZERO,
        slowest_further: Duration::ZERO,
        whole: Duration::ZERO,
        extrapolated: false,
    };
    let mut continuation: Option<String> = None;
    loop {
        let started = Instant::now();
        let page = query(text, continuation.as_deref(), page_size)?;
        let took = started.elapsed();
        run.whole += took;
        if run.pages == 0 {
            run.first = took;
        } else {
            run.slowest_further = run.slowest_further.max(took);
        }
        run.pages += 1;
        run.rows += page.items.len();
        continuation = page.continuation;
        let Some(_) = &continuation else { break };
        if let Some((budget, total_rows)) = budget
            && run.whole > budget
        {
            // Every page of the old algorithm costs about the same (a full evaluation), so the
            // rest is estimated from the average page so far.
            let pages = total_rows.div_ceil(page_size).max(1);
            let per_page = run.whole / u32::try_from(run.pages).unwrap_or(u32::MAX);
            run.whole = per_page * u32::try_from(pages).unwrap_or(u32::MAX);
            run.rows = total_rows;
            run.pages = pages;
            run.extrapolated = true;
            break;
        }
    }
    Ok(run)
}

/// The query path as it was before keyset continuations: every page builds every twin,
/// evaluates the whole query and cuts its slice by offset.
fn query_before(
    hub: &Hub,
    text: &str,
    continuation: Option<&str>,
    page_size: usize,
) -> Result<QueryPage, EmulatorError> {
    let parsed = query::parse(text)
        .map_err(|e| EmulatorError::hub(iothub_model::ErrorCode::ArgumentInvalid, e.to_string()))?;
    let docs = hub.read(|tx| {
        tx.identities(parsed.source() == query::Source::Modules)?
            .into_iter()
            .map(|(d, m, record)| {
                registry::twin_wire(
                    &Identity {
                        device_id: d,
                        module_id: m,
                    },
                    &record,
                )
            })
            .collect::<Result<Vec<_>, _>>()
    })?;
    let rows = parsed
        .execute(docs)
        .map_err(|e| EmulatorError::hub(iothub_model::ErrorCode::ArgumentInvalid, e.to_string()))?;
    page(text, rows, continuation, page_size, parsed.item_type())
}

fn device_id(i: usize) -> String {
    format!("bench-{i:05}")
}

/// Writes `count` devices with tags, a desired section and a dm-agent-like reported section.
fn populate(hub: &Hub, count: usize) -> Result<(), Error> {
    let ids: Vec<usize> = (0..count).collect();
    for chunk in ids.chunks(BATCH) {
        hub.transact(|tx, now| {
            for &i in chunk {
                let id = device_id(i);
                let device: iothub_model::Device = serde_json::from_value(json!({"deviceId": id}))
                    .map_err(|e| EmulatorError::Corrupt(e.to_string()))?;
                // New devices with no session: their effects have nothing to act on.
                let _ = registry::put_device(tx, &id, &device, None, now)?;
                let identity = Identity::device(id.clone());
                let write = ServiceTwinWrite::from_body(&json!({
                    "tags": {
                        "site": format!("site-{}", i % 10),
                        "ring": RINGS[i % 3],
                        "owner": {"team": "fleet", "contact": "ops@example.com"},
                    },
                    "properties": {"desired": {"dm": {"time": {"timeZone": "UTC"},
                        "telemetry": {"interval": 60}}}},
                }))?;
                let _ = registry::write_twin(tx, &identity, &write, false, None, now)?;
                let Some(mut record) = tx.identity(&id, None)? else {
                    return Err(EmulatorError::Corrupt(format!("{id} vanished")));
                };
                twins::patch_reported(&mut record.twin, &reported(i, now), &now.timestamp)?;
                if i % 3 == 0
                    && let Some(doc) = record.registry.as_object_mut()
                {
                    doc.insert("connectionState".into(), Value::from("Connected"));
                }
                tx.put_identity(&id, None, &record)?;
            }
            Ok(((), registry::Effects::default()))
        })?;
    }
    Ok(())
}

/// A reported section shaped like dm-agent's: the agent and its manifest, the boot, the
/// sections' state and recent operations.
fn reported(i: usize, now: &Now) -> Value {
    let operation = |n: usize, kind: &str| {
        json!({
            "id": format!("op-{i}-{n}"),
            "kind": kind,
            "state": "succeeded",
            "started": now.timestamp,
            "ended": now.timestamp,
            "result": {"code": 0, "message": "done"},
        })
    };
    json!({
        "dm": {
            "agent": {
                "version": VERSIONS[i % 3],
                "contractVersion": "1.0",
                "manifest": {
                    "sections": ["reboot", "time", "logs", "apps", "updates", "info", "busy"],
                    "operations": ["reboot", "factoryReset", "collectLogs", "appRestart",
                        "appsList", "scanUpdates", "applyUpdates", "agentUpdate", "timeSync",
                        "info"],
                    "limits": {"maxLogBytes": 10_485_760, "maxConcurrentOperations": 2},
                    "platform": {"os": "linux", "arch": "aarch64", "kernel": "6.6.31"},
                },
            },
            "reboot": {"lastBootTime": now.timestamp, "operations": [operation(1, "reboot")]},
            "time": {"timeZone": "UTC", "ntpServer": "pool.ntp.org", "synced": true},
            "logs": {"operations": [operation(2, "collectLogs"), operation(3, "collectLogs")]},
            "apps": {"installed": [
                {"name": "collector", "version": "2.1.0", "state": "running"},
                {"name": "gateway", "version": "0.9.3", "state": "running"},
            ]},
            "updates": {"available": 0, "lastScan": now.timestamp},
            "busy": {"leases": []},
        },
        "telemetry": {"interval": 60},
    })
}
