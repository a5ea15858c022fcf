//! Load benchmark of the local IoT Hub (not a test): direct-method round trips through the real
//! HTTPS REST API to devices on MQTT/TLS, and how many device connections one hub process holds
//! and what each costs in memory.
//!
//! Everything runs on 127.0.0.1 against an emulator started in this process on ephemeral ports
//! with a temporary data directory. The devices and the REST load driver run in child processes
//! (this executable re-executed with `--clients` / `--service`), so the memory, descriptors and
//! CPU time read from `/proc` for this process are the hub's alone. Every phase is bounded in
//! calls and time, and the whole run stops by itself.
//!
//! ```text
//! cargo bench -p iothub-emulator --bench hub               # full run (about 4 minutes)
//! cargo bench -p iothub-emulator --bench hub -- --quick    # smoke run (about 30 seconds)
//! cargo bench -p iothub-emulator --bench hub -- --connections 5000 --rounds 5 --seconds 5
//! cargo bench -p iothub-emulator --bench hub -- --quick --phases reported,report-methods
//! ```
//!
//! Phases (`--phases`, comma-separated, all by default): `capacity` (connection memory),
//! `methods` (direct methods to devices that answer at once), `report-methods` (devices that
//! report state before answering, as dm-agent does: every call is also a twin write) and
//! `reported` (devices sending reported patches back to back).
//!
//! Results go to stdout as Markdown (see `BENCHMARKS.md`); progress goes to stderr.

mod child;
mod fleet;
mod procfs;
mod service;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use iothub_emulator::{HubConfig, RunningHub};

use crate::fleet::{DeviceMode, Fleet, FleetSpec, Ready};
use crate::procfs::ProcStatus;
use crate::service::{Load, LoadDriver, LoadSpec, Service, Summary};

/// The bench's error: a message naming what failed.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The device counts of the direct-method matrix.
const METHOD_DEVICES: [usize; 3] = [1, 100, 1000];
/// The device counts of the reported-patch phase.
const REPORTING_DEVICES: [usize; 2] = [100, 1000];
/// The service-side concurrency levels of the direct-method matrix.
const CONCURRENCY: [usize; 2] = [16, 64];
/// Upper bound on calls in one cell, whatever the duration.
const MAX_CALLS_PER_CELL: u64 = 2_000_000;
/// The whole run gives up after this long.
const RUN_LIMIT: Duration = Duration::from_secs(20 * 60);
/// How long a fleet may take to connect.
const CONNECT_LIMIT: Duration = Duration::from_secs(300);

/// What to run, from the command line.
#[derive(Debug, Clone)]
struct Options {
    quick: bool,
    /// Device connections for the capacity phase.
    connections: usize,
    /// How many times the capacity phase connects and disconnects the whole fleet (a plateau
    /// in memory across rounds tells allocator retention from a leak).
    rounds: usize,
    /// Measured duration of each direct-method cell.
    cell: Duration,
    /// Unmeasured warm-up before each cell (fills the HTTPS pool, wakes the devices).
    warmup: Duration,
    /// Wait after the capacity fleet connected before the "settled" memory sample: idle
    /// `spawn_blocking` threads (used for authentication) are reaped after 10 s.
    settle: Duration,
    /// Which phases run.
    phases: Phases,
}

/// The phases a run includes.
#[derive(Debug, Clone, Copy)]
struct Phases {
    capacity: bool,
    methods: bool,
    report_methods: bool,
    reported: bool,
}

impl Phases {
    const ALL: Self = Self {
        capacity: true,
        methods: true,
        report_methods: true,
        reported: true,
    };

    fn parse(list: &str) -> Result<Self, Error> {
        let mut phases = Self {
            capacity: false,
            methods: false,
            report_methods: false,
            reported: false,
        };
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "capacity" => phases.capacity = true,
                "methods" => phases.methods = true,
                "report-methods" => phases.report_methods = true,
                "reported" => phases.reported = true,
                other => {
                    return Err(format!(
                        "unknown phase '{other}' (expected capacity, methods, report-methods, reported)"
                    )
                    .into());
                }
            }
        }
        Ok(phases)
    }
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, Error> {
        let quick = args.iter().any(|a| a == "--quick");
        let mut options = if quick {
            Self {
                quick,
                connections: 1000,
                rounds: 2,
                cell: Duration::from_secs(2),
                warmup: Duration::from_millis(500),
                settle: Duration::from_secs(2),
                phases: Phases::ALL,
            }
        } else {
            Self {
                quick,
                connections: 10_000,
                rounds: 3,
                cell: Duration::from_secs(10),
                warmup: Duration::from_secs(1),
                settle: Duration::from_secs(12),
                phases: Phases::ALL,
            }
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                // `cargo bench` passes `--bench` to harness-less targets.
                "--quick" | "--bench" => {}
                "--connections" => {
                    let value = args.next().ok_or("--connections needs a number")?;
                    options.connections = value
                        .parse()
                        .map_err(|e| format!("--connections '{value}': {e}"))?;
                }
                "--rounds" => {
                    let value = args.next().ok_or("--rounds needs a number")?;
                    options.rounds = value
                        .parse()
                        .map_err(|e| format!("--rounds '{value}': {e}"))?;
                }
                "--seconds" => {
                    let value = args.next().ok_or("--seconds needs a number")?;
                    options.cell = Duration::from_secs(
                        value
                            .parse()
                            .map_err(|e| format!("--seconds '{value}': {e}"))?,
                    );
                }
                "--phases" => {
                    let value = args.next().ok_or("--phases needs a list")?;
                    options.phases = Phases::parse(value)?;
                }
                other => {
                    return Err(format!(
                        "unknown argument '{other}' (expected --quick, --connections N, --rounds N, --seconds S, --phases LIST)"
                    )
                    .into());
                }
            }
        }
        if options.connections == 0 || options.rounds == 0 {
            return Err("--connections and --rounds must be at least 1".into());
        }
        Ok(options)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` always passes `--bench`; no arguments at all means `cargo test --benches`
    // (or `--all-targets`) is running this target, and a multi-minute load run has no place in
    // a test run.
    if args.is_empty() {
        eprintln!(
            "hub bench: nothing to do without arguments; run `cargo bench -p iothub-emulator --bench hub` (add `-- --quick` for a short run)"
        );
        return ExitCode::SUCCESS;
    }
    let outcome = if args.first().is_some_and(|a| a == "--clients") {
        fleet::child_main(&args[1..])
    } else if args.first().is_some_and(|a| a == "--service") {
        service::child_main(&args[1..])
    } else {
        Options::parse(&args).and_then(|options| {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("building the runtime: {e}"))?;
            runtime.block_on(async {
                tokio::time::timeout(RUN_LIMIT, run(&options))
                    .await
                    .map_err(|_| format!("the bench did not finish within {RUN_LIMIT:?}"))?
            })
        })
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hub bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The capacity phase's measurements.
struct Capacity {
    requested: usize,
    ready: Ready,
    /// What the hub's session registry counted once the fleet was ready.
    registered: usize,
    before: ProcStatus,
    after: ProcStatus,
    settled: ProcStatus,
    after_disconnect: ProcStatus,
    /// Until the hub's session registry was empty, and until the store recorded every device
    /// as disconnected.
    disconnect_time: Stopped,
    /// RSS with the same fleet connected again (settled) and after it left, for rounds 2 to
    /// `--rounds`: a plateau means freed memory is reused (it stays mapped with the
    /// allocator), steady growth would mean a leak.
    later_rounds: Vec<(ProcStatus, ProcStatus)>,
    /// Devices the store recorded as connected once the fleet was ready.
    recorded: u64,
    /// CPU spent connecting the fleet, by the hub and by the devices.
    connect_cpu: CpuUse,
    /// Descriptors open in the hub process before and with the fleet connected.
    fds_before: usize,
    fds_connected: usize,
    /// The device process, for comparison (not part of the hub's numbers).
    client: Option<ProcStatus>,
}

/// How long the hub took to let go of a fleet that left.
#[derive(Debug, Clone, Copy)]
struct Stopped {
    sessions: Duration,
    persisted: Duration,
}

/// One measured cell of the direct-method matrix.
struct Cell {
    /// What the devices do with a call.
    mode: DeviceMode,
    load: Load,
    result: Summary,
    /// CPU used during the cell by the hub and by the devices (the REST client's is in
    /// `result`).
    cpu: CpuUse,
}

/// One measured row of the reported-patch phase.
struct Reporting {
    devices: usize,
    result: Summary,
    cpu: CpuUse,
    /// How the hub's store grouped the writes over the row.
    commits: iothub_emulator::store::CommitStats,
}

/// CPU time the hub process and the device process used over one phase.
#[derive(Debug, Clone, Copy)]
struct CpuUse {
    /// This process, which runs nothing but the hub while it is measured.
    hub: Duration,
    /// The device process.
    devices: Duration,
}

/// Measures the CPU this process and the device process use from `start` until `finish`.
struct CpuMeter {
    pid: Option<u32>,
    hub: Duration,
    devices: Duration,
}

impl CpuMeter {
    fn start(devices_pid: Option<u32>) -> Result<Self, Error> {
        Ok(Self {
            pid: devices_pid,
            hub: procfs::cpu_time(None)?,
            devices: devices_pid.map_or(Ok(Duration::ZERO), |p| procfs::cpu_time(Some(p)))?,
        })
    }

    fn finish(&self) -> Result<CpuUse, Error> {
        let devices = self
            .pid
            .map_or(Ok(Duration::ZERO), |p| procfs::cpu_time(Some(p)))?;
        Ok(CpuUse {
            hub: procfs::cpu_time(None)?.saturating_sub(self.hub),
            devices: devices.saturating_sub(self.devices),
        })
    }
}

/// Shared state of a run: the hub and the files its helper processes read.
struct Bench {
    hub: RunningHub,
    /// One `id token` line per device, for the device fleet.
    credentials: PathBuf,
    /// The service SAS token, for the load driver.
    token_path: PathBuf,
    options: Options,
}

async fn run(options: &Options) -> Result<(), Error> {
    // Each process holds one descriptor per connection (the hub's sockets here, the devices'
    // in the child, which inherits the limit), plus a few dozen of its own.
    let needed = options.connections as u64 + 256;
    if let Some(limit) = procfs::open_files_limit()?
        && limit < needed
    {
        return Err(format!(
            "{} connections need about {needed} open files per process but the limit is {limit}: \
                 run `ulimit -n {needed}` (or higher) first, or pass a smaller --connections",
            options.connections
        )
        .into());
    }
    let dir = tempfile::tempdir().map_err(|e| format!("creating a temp data dir: {e}"))?;
    let hub = iothub_emulator::start(HubConfig::new(dir.path()).ephemeral())
        .await
        .map_err(|e| format!("starting the emulator: {e}"))?;
    let owner = hub
        .service_connection_string("iothubowner")
        .map_err(|e| format!("reading the iothubowner policy: {e}"))?;
    // Valid for longer than the bench may run; the hub checks expiry on every request.
    let token = owner
        .generate_token(iothub_auth::unix_now(), (RUN_LIMIT * 2).as_secs())
        .map_err(|e| format!("signing the service token: {e}"))?
        .expose()
        .to_string();
    let token_path = dir.path().join("service-token");
    std::fs::write(&token_path, &token)
        .map_err(|e| format!("writing the service token file: {e}"))?;
    let service = Service::new(hub.https_addr(), &hub.ca_pem(), token, 1)?;

    let roster = options.connections.max(METHOD_DEVICES[2]);
    let load_at_start = procfs::load_average()?;
    eprintln!("creating {roster} devices through the bulk registry API…");
    let started = Instant::now();
    let creds = service
        .create_devices(&hub.host_name(), roster, RUN_LIMIT * 2)
        .await?;
    let create_time = started.elapsed();
    let credentials = dir.path().join("bench-devices.txt");
    fleet::write_credentials(&credentials, &creds)?;
    drop((creds, service));

    let bench = Bench {
        hub,
        credentials,
        token_path,
        options: options.clone(),
    };
    // One device, a few calls: loads the TLS and SQLite paths once so the capacity baseline is
    // not charged for one-off setup.
    eprintln!("warming up…");
    let (fleet, _) = bench.fleet(1, DeviceMode::Echo).await?;
    let warm = Load {
        devices: 1,
        concurrency: 4,
        duration: options.warmup,
        max_calls: MAX_CALLS_PER_CELL,
    };
    let mut driver = bench.driver(warm, Duration::ZERO)?;
    driver.started(CONNECT_LIMIT).await?;
    driver.finished(CONNECT_LIMIT).await?;
    bench.stop(fleet).await?;

    let capacity = if options.phases.capacity {
        Some(bench.capacity().await?)
    } else {
        None
    };
    let mut cells = Vec::new();
    let mut matrix = Vec::new();
    if options.phases.methods {
        matrix.extend(METHOD_DEVICES.map(|d| (DeviceMode::Echo, d)));
    }
    if options.phases.report_methods {
        matrix.push((DeviceMode::ReportFirst, METHOD_DEVICES[2]));
    }
    for (mode, devices) in matrix {
        let (fleet, ready) = bench.fleet(devices, mode).await?;
        eprintln!(
            "{devices} device(s) connected in {:.2} s; driving direct methods…",
            ready.elapsed.as_secs_f64()
        );
        for concurrency in CONCURRENCY {
            let load = Load {
                devices,
                concurrency,
                duration: options.cell,
                max_calls: MAX_CALLS_PER_CELL,
            };
            let mut driver = bench.driver(load, options.warmup)?;
            driver.started(CONNECT_LIMIT).await?;
            let meter = CpuMeter::start(fleet.pid())?;
            let result = driver.finished(options.cell + CONNECT_LIMIT).await?;
            let cpu = meter.finish()?;
            eprintln!(
                "  devices={devices} concurrency={concurrency} ({mode:?}): {:.0} calls/s, {} errors",
                result.rate(),
                result.errors
            );
            cells.push(Cell {
                mode,
                load,
                result,
                cpu,
            });
        }
        bench.stop(fleet).await?;
    }

    let mut reporting = Vec::new();
    if options.phases.reported {
        for devices in REPORTING_DEVICES {
            reporting.push(bench.reporting(devices).await?);
        }
    }

    let load_at_end = procfs::load_average()?;
    print!(
        "{}",
        report(
            options,
            roster,
            create_time,
            capacity.as_ref(),
            &cells,
            &reporting,
            (&load_at_start, &load_at_end)
        )
    );
    bench
        .hub
        .shutdown()
        .await
        .map_err(|e| format!("stopping the emulator: {e}"))?;
    drop(dir);
    Ok(())
}

impl Bench {
    /// Starts a device process with the first `count` devices and waits until all are
    /// connected and subscribed.
    async fn fleet(&self, count: usize, mode: DeviceMode) -> Result<(Fleet, Ready), Error> {
        let spec = FleetSpec {
            mqtt: self.hub.mqtt_addr(),
            host: self.hub.host_name(),
            ca_path: self.hub.ca_pem_path().to_path_buf(),
            credentials_path: self.credentials.clone(),
            count,
            deadline: RUN_LIMIT,
            mode,
        };
        let mut fleet = Fleet::spawn(&spec)?;
        let ready = fleet.ready(CONNECT_LIMIT, count >= 1000).await?;
        if ready.failed > 0 {
            return Err(format!(
                "{} of {count} devices could not connect; first error: {}",
                ready.failed,
                ready.first_error.as_deref().unwrap_or("(none recorded)")
            )
            .into());
        }
        Ok((fleet, ready))
    }

    /// Stops a device process and waits until the hub has closed all its sessions and the
    /// store shows every device disconnected, so the next phase starts from an idle hub (the
    /// disconnect writes would otherwise queue ahead of the next fleet's connects).
    async fn stop(&self, fleet: Fleet) -> Result<Stopped, Error> {
        let started = Instant::now();
        fleet.stop().await?;
        let limit = Duration::from_secs(120);
        let connections = self.hub.hub().connections();
        while connections.connected_count() > 0 {
            if started.elapsed() > limit {
                return Err(format!(
                    "the hub still counts {} connected sessions {limit:?} after the devices left",
                    connections.connected_count()
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let sessions = started.elapsed();
        loop {
            let recorded = self.recorded_connected().await?;
            if recorded == 0 {
                break;
            }
            if started.elapsed() > limit {
                return Err(format!(
                    "the registry still shows {recorded} devices connected {limit:?} after they left"
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(Stopped {
            sessions,
            persisted: started.elapsed(),
        })
    }

    /// How many devices the store records as `Connected`.
    ///
    /// Asked of SQLite directly, on a read-only connection of its own, rather than through
    /// `Hub::read`: that would deserialize every identity inside the hub process and leave
    /// tens of MiB in the allocator, distorting the memory figures this bench exists for.
    async fn recorded_connected(&self) -> Result<u64, Error> {
        let db = self.hub.hub().config().data_dir.join("hub.db");
        tokio::task::spawn_blocking(move || {
            let conn = rusqlite::Connection::open_with_flags(
                &db,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )?;
            conn.query_row(
                "SELECT count(*) FROM identities WHERE module_id = '' \
                 AND json_extract(record, '$.registry.connectionState') = 'Connected'",
                [],
                |row| row.get::<_, u64>(0),
            )
        })
        .await
        .map_err(|e| format!("reading the registry: {e}"))?
        .map_err(|e| format!("reading the registry's connection states: {e}").into())
    }

    /// Starts a load helper for `load`, after `warmup` of unmeasured calls.
    fn driver(&self, load: Load, warmup: Duration) -> Result<LoadDriver, Error> {
        LoadDriver::spawn(&LoadSpec {
            https: self.hub.https_addr(),
            ca_path: self.hub.ca_pem_path().to_path_buf(),
            token_path: self.token_path.clone(),
            load,
            warmup,
        })
    }

    /// Connects `devices` devices that send reported patches back to back for one cell's time
    /// and measures the rate, the CPU per patch and how the store grouped the commits.
    async fn reporting(&self, devices: usize) -> Result<Reporting, Error> {
        let mode = DeviceMode::ReportLoop(self.options.cell);
        let (mut fleet, _) = self.fleet(devices, mode).await?;
        // The devices start as soon as they are all connected, which is when `ready` returned.
        let meter = CpuMeter::start(fleet.pid())?;
        let store = self.hub.hub().store();
        let before = store.commit_stats();
        let result = fleet.reported(self.options.cell + CONNECT_LIMIT).await?;
        let cpu = meter.finish()?;
        let after = store.commit_stats();
        eprintln!(
            "  {devices} devices reporting: {:.0} patches/s, {} errors",
            result.rate(),
            result.errors
        );
        self.stop(fleet).await?;
        Ok(Reporting {
            devices,
            result,
            cpu,
            commits: iothub_emulator::store::CommitStats {
                writes: after.writes - before.writes,
                commits: after.commits - before.commits,
            },
        })
    }

    /// Connects `options.connections` devices at once and measures the hub's memory; then
    /// does it again after they all left.
    async fn capacity(&self) -> Result<Capacity, Error> {
        let requested = self.options.connections;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let before = procfs::status(None)?;
        let fds_before = procfs::open_fds()?;
        eprintln!(
            "connecting {requested} devices (hub RSS before: {} MiB)…",
            before.rss_kib / 1024
        );
        let hub_cpu = procfs::cpu_time(None)?;
        let (fleet, ready) = self.fleet(requested, DeviceMode::Echo).await?;
        let connect_cpu = CpuUse {
            hub: procfs::cpu_time(None)?.saturating_sub(hub_cpu),
            // The device process started for this phase, so all its CPU so far is connecting.
            devices: fleet
                .pid()
                .map_or(Ok(Duration::ZERO), |p| procfs::cpu_time(Some(p)))?,
        };
        let registered = self.hub.hub().connections().connected_count();
        let after = procfs::status(None)?;
        let fds_connected = procfs::open_fds()?;
        // The hub records the connection before it sends CONNACK, so this must match; it also
        // proves the probe used to wait for disconnects reads the right thing.
        let recorded = self.recorded_connected().await?;
        if recorded != registered as u64 {
            return Err(format!(
                "{registered} sessions are registered but the store records {recorded} devices as connected"
            )
            .into());
        }
        eprintln!(
            "{} devices connected in {:.2} s; letting idle threads settle for {:?}…",
            ready.connected,
            ready.elapsed.as_secs_f64(),
            self.options.settle
        );
        tokio::time::sleep(self.options.settle).await;
        let settled = procfs::status(None)?;
        let client = fleet.pid().and_then(|pid| procfs::status(Some(pid)).ok());
        // Every session must still be there after the wait, or the memory is not theirs.
        let still = self.hub.hub().connections().connected_count();
        if still != registered {
            return Err(format!(
                "the hub dropped sessions while idle: {registered} registered, {still} left"
            )
            .into());
        }
        eprintln!("disconnecting…");
        let disconnect_time = self.stop(fleet).await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let after_disconnect = procfs::status(None)?;

        let mut later_rounds = Vec::new();
        for round in 2..=self.options.rounds {
            eprintln!("connecting the {requested} devices again (round {round})…");
            let (fleet, _) = self.fleet(requested, DeviceMode::Echo).await?;
            tokio::time::sleep(self.options.settle).await;
            let connected = procfs::status(None)?;
            self.stop(fleet).await?;
            tokio::time::sleep(Duration::from_secs(1)).await;
            later_rounds.push((connected, procfs::status(None)?));
        }
        Ok(Capacity {
            requested,
            ready,
            registered,
            before,
            after,
            settled,
            after_disconnect,
            disconnect_time,
            later_rounds,
            recorded,
            connect_cpu,
            fds_before,
            fds_connected,
            client,
        })
    }
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", as_f64(kib) / 1024.0)
}

#[expect(
    clippy::cast_precision_loss,
    reason = "counts and sizes in KiB stay far below 2^52"
)]
fn as_f64(n: u64) -> f64 {
    n as f64
}

/// KiB per connection of the growth from `before` to `after`, over `n` connections.
fn per_connection(before: u64, after: u64, n: usize) -> String {
    if n == 0 {
        return "n/a".to_string();
    }
    let grown = as_f64(after) - as_f64(before);
    format!("{:.1} KiB", grown / as_f64(n as u64))
}

/// CPU microseconds per operation; CPU time is sampled at 10 ms, so small totals are coarse.
fn per_op_us(cpu: Duration, ops: u64) -> String {
    if ops == 0 {
        return "n/a".to_string();
    }
    format!("{:.0}", cpu.as_secs_f64() * 1e6 / as_f64(ops))
}

/// Microseconds as milliseconds with two decimals.
fn ms(us: Option<u64>) -> String {
    us.map_or_else(
        || "n/a".to_string(),
        |v| format!("{:.2}", as_f64(v) / 1000.0),
    )
}

fn report(
    options: &Options,
    roster: usize,
    create_time: Duration,
    capacity: Option<&Capacity>,
    cells: &[Cell],
    reporting: &[Reporting],
    load: (&str, &str),
) -> String {
    let mut out = String::new();
    let mode = if options.quick { " (--quick)" } else { "" };
    let _ = writeln!(out, "\n## Results{mode}\n");
    let _ = writeln!(
        out,
        "Load average (1/5/15 min) at start: {}; at end: {}.\n",
        load.0, load.1
    );
    let _ = writeln!(
        out,
        "Registered {roster} devices with the bulk registry API (100 per request) in {:.2} s.\n",
        create_time.as_secs_f64()
    );

    let _ = writeln!(
        out,
        "### Direct methods (HTTPS REST → MQTT/TLS device → back)\n"
    );
    let _ = writeln!(
        out,
        "| connected devices | device | concurrency | calls | errors | round trips/s | p50 ms | p99 ms | max ms | CPU µs/call: hub | devices | REST client |"
    );
    let _ = writeln!(
        out,
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for cell in cells {
        let r = &cell.result;
        let device = match cell.mode {
            DeviceMode::ReportFirst => "reports, then answers",
            _ => "answers",
        };
        let _ = writeln!(
            out,
            "| {} | {device} | {} | {} | {} | {:.0} | {} | {} | {} | {} | {} | {} |",
            cell.load.devices,
            cell.load.concurrency,
            r.ok,
            r.errors,
            r.rate(),
            ms(r.p50_us),
            ms(r.p99_us),
            ms(r.max_us),
            per_op_us(cell.cpu.hub, r.ok),
            per_op_us(cell.cpu.devices, r.ok),
            per_op_us(r.cpu, r.ok),
        );
    }
    for cell in cells {
        if let Some(e) = &cell.result.first_error {
            let _ = writeln!(
                out,
                "\nFirst error with {} devices at concurrency {}: {e}",
                cell.load.devices, cell.load.concurrency
            );
        }
    }

    if !reporting.is_empty() {
        let _ = writeln!(
            out,
            "\n### Reported patches (MQTT/TLS device → hub → durable commit → 204)\n"
        );
        let _ = writeln!(
            out,
            "| reporting devices | patches | errors | patches/s | p50 ms | p99 ms | max ms | writes per commit | CPU µs/patch: hub | devices |"
        );
        let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for row in reporting {
            let r = &row.result;
            let per_commit = if row.commits.commits == 0 {
                "n/a".to_string()
            } else {
                format!(
                    "{:.1}",
                    as_f64(row.commits.writes) / as_f64(row.commits.commits)
                )
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.0} | {} | {} | {} | {per_commit} | {} | {} |",
                row.devices,
                r.ok,
                r.errors,
                r.rate(),
                ms(r.p50_us),
                ms(r.p99_us),
                ms(r.max_us),
                per_op_us(row.cpu.hub, r.ok),
                per_op_us(row.cpu.devices, r.ok),
            );
            if let Some(e) = &r.first_error {
                let _ = writeln!(out, "\nFirst error with {} devices: {e}", row.devices);
            }
        }
    }

    let Some(c) = capacity else { return out };
    let n = c.registered;
    let _ = writeln!(out, "\n### Connection capacity (one hub process)\n");
    let _ = writeln!(out, "| measure | value |");
    let _ = writeln!(out, "|---|---:|");
    let _ = writeln!(out, "| connections requested | {} |", c.requested);
    let _ = writeln!(
        out,
        "| connected and subscribed (device side) | {} |",
        c.ready.connected
    );
    let _ = writeln!(out, "| sessions registered in the hub | {n} |");
    let _ = writeln!(
        out,
        "| time to connect all ({} handshakes in flight) | {:.2} s ({:.0} connections/s) |",
        fleet::CONNECTS_IN_FLIGHT,
        c.ready.elapsed.as_secs_f64(),
        as_f64(c.ready.connected as u64) / c.ready.elapsed.as_secs_f64().max(1e-9)
    );
    let _ = writeln!(
        out,
        "| CPU per connection (TLS handshake, SAS check, CONNECT, SUBSCRIBE): hub / devices | {} / {} µs |",
        per_op_us(c.connect_cpu.hub, n as u64),
        per_op_us(c.connect_cpu.devices, n as u64)
    );
    let _ = writeln!(
        out,
        "| devices the store records as Connected | {} |",
        c.recorded
    );
    let _ = writeln!(
        out,
        "| hub RSS before | {} ({} threads) |",
        mib(c.before.rss_kib),
        c.before.threads
    );
    let _ = writeln!(
        out,
        "| hub RSS right after connecting | {} ({} threads) |",
        mib(c.after.rss_kib),
        c.after.threads
    );
    let _ = writeln!(
        out,
        "| hub RSS after {:?} idle | {} ({} threads) |",
        options.settle,
        mib(c.settled.rss_kib),
        c.settled.threads
    );
    let _ = writeln!(
        out,
        "| hub memory per connection, settled ((after − before) / n) | {} |",
        per_connection(c.before.rss_kib, c.settled.rss_kib, n)
    );
    let _ = writeln!(
        out,
        "| hub memory per connection, right after connecting | {} |",
        per_connection(c.before.rss_kib, c.after.rss_kib, n)
    );
    let _ = writeln!(out, "| hub peak RSS (VmHWM) | {} |", mib(c.settled.hwm_kib));
    let _ = writeln!(
        out,
        "| hub open file descriptors, before → connected | {} → {} |",
        c.fds_before, c.fds_connected
    );
    let _ = writeln!(
        out,
        "| after the devices left: sessions closed / store shows all disconnected | {:.2} s / {:.2} s |",
        c.disconnect_time.sessions.as_secs_f64(),
        c.disconnect_time.persisted.as_secs_f64()
    );
    let _ = writeln!(
        out,
        "| hub RSS after all disconnected | {} |",
        mib(c.after_disconnect.rss_kib)
    );
    for (round, (connected, left)) in (2..).zip(&c.later_rounds) {
        let _ = writeln!(
            out,
            "| round {round}: hub RSS with all connected again (settled) / after they left | {} / {} |",
            mib(connected.rss_kib),
            mib(left.rss_kib)
        );
    }
    if let Some(client) = c.client {
        let _ = writeln!(
            out,
            "| device process RSS (not included above) | {} |",
            mib(client.rss_kib)
        );
    }
    out
}
