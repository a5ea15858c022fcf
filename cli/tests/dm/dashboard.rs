//! `dmctl dashboard` as a person uses it: the real binary in a pseudo-terminal, against the local
//! hub with real simulated agents, its output parsed by a terminal emulator (vt100) and read
//! from the screen.

use std::io::{Read as _, Write as _};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use crate::agent::simulate;
use crate::support::Hub;

/// The dashboard running in a pseudo-terminal.
struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn std::io::Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _config: tempfile::TempDir,
}

impl Screen {
    /// Starts `dmctl dashboard args` on a `cols`×`rows` terminal, with its state directory (the
    /// local rollout plans) at `state`.
    fn start(hub: &Hub, args: &[&str], cols: u16, rows: u16, state: &std::path::Path) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let config = tempfile::tempdir().unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dmctl"));
        cmd.arg("dashboard");
        cmd.args(args);
        cmd.env_clear();
        cmd.env("TERM", "xterm-256color");
        cmd.env("NO_COLOR", "1");
        cmd.env("IOTHUB_CONNECTION_STRING", &hub.connection_string);
        cmd.env("DMCTL_CA_FILE", &hub.ca_file);
        cmd.env("XDG_CONFIG_HOME", config.path());
        cmd.env("XDG_DATA_HOME", config.path().join("data"));
        cmd.env("XDG_STATE_HOME", state);
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        {
            let parser = Arc::clone(&parser);
            std::thread::spawn(move || {
                // Keeps the master side open for as long as the reader runs.
                let _master = pair.master;
                let mut buf = [0u8; 8192];
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    parser.lock().unwrap().process(&buf[..n]);
                }
            });
        }
        Self {
            parser,
            writer,
            child,
            _config: config,
        }
    }

    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // One key at a time is how a person types; the dashboard redraws between keys.
        std::thread::sleep(Duration::from_millis(30));
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(&c.to_string());
        }
    }

    /// Waits until the screen satisfies `ready`, and returns it.
    fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        self.wait_until(what, ready, Duration::from_secs(60))
    }

    /// [`Screen::wait_for`] for the benchmark, where a debug-built hub may take minutes.
    fn wait_long(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        self.wait_until(what, ready, Duration::from_secs(600))
    }

    fn wait_until(&self, what: &str, ready: impl Fn(&str) -> bool, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let text = self.text();
            if ready(&text) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "gave up waiting for {what}; the screen shows:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The table rows of the fleet screen (lines under the header that start with a mark column).
fn table_ids(text: &str) -> Vec<String> {
    text.lines()
        .skip(3)
        .filter_map(|line| line.get(2..)?.split_whitespace().next())
        .filter(|word| word.starts_with("dash-"))
        .map(str::to_owned)
        .collect()
}

/// `last boot 2026-…Z (…)` on the device screen.
fn boot_time(text: &str) -> Option<String> {
    let line = text.lines().find(|l| l.starts_with("last boot "))?;
    line.split_whitespace().nth(2).map(str::to_owned)
}

#[test]
fn dashboard_filters_opens_a_device_reboots_it_and_quits() {
    let hub = Hub::start();
    let fleet = simulate(&hub, "dash-", 3);
    // A rollout run from this machine before the dashboard opens: its plan in the state
    // directory, its per-device records in the twins' tags.
    let state = tempfile::tempdir().unwrap();
    let run = hub
        .dmctl(&[
            "rollout", "start", "info_all", "--target", "*", "--canary", "1", "--", "info",
        ])
        .env("XDG_STATE_HOME", state.path())
        .run();
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let mut screen = Screen::start(
        &hub,
        &["--interval", "1s", "--query-budget", "600"],
        80,
        24,
        state.path(),
    );

    let first = screen.wait_for("the fleet", |t| {
        table_ids(t).len() == 3 && t.contains("3 connected")
    });
    eprintln!("fleet screen:\n{first}");

    // The rollouts screen: the rollout, its status from the plan, its devices from the tags.
    screen.send("w");
    let rollouts = screen.wait_for("the rollouts screen", |t| {
        t.contains("info_all") && t.contains("completed") && t.contains("3/3")
    });
    eprintln!("rollouts screen:\n{rollouts}");
    screen.send("\x1b");
    screen.wait_for("the fleet again", |t| table_ids(t).len() == 3);

    // Filter to one device with an IoT Hub condition.
    screen.send("/");
    screen.wait_for("the filter bar", |t| t.contains("WHERE condition"));
    screen.type_text("deviceId = 'dash-2'");
    screen.send("\r");
    let filtered = screen.wait_for("the filtered fleet", |t| table_ids(t) == ["dash-2"]);
    assert!(
        filtered.contains("filter WHERE deviceId = 'dash-2'"),
        "{filtered}"
    );

    // Open it.
    screen.send("\r");
    let device = screen.wait_for("the device screen", |t| {
        t.contains("device dash-2") && boot_time(t).is_some() && t.contains("manifest")
    });
    eprintln!("device screen:\n{device}");
    let boot_before = boot_time(&device).unwrap();

    // Reboot it through the confirmation dialog, typing the id.
    screen.send("a");
    screen.wait_for("the actions menu", |t| {
        t.contains("reboot") && t.contains("on dash-2")
    });
    screen.send("b");
    let dialog = screen.wait_for("the dry-run line", |t| {
        t.contains("POST /twins/dash-2/methods")
    });
    eprintln!("confirmation dialog:\n{dialog}");
    assert!(
        dialog.contains("dmctl reboot --device dash-2 --wait"),
        "{dialog}"
    );
    screen.type_text("dash-2");
    screen.send("\r");
    screen.wait_for("the reboot to succeed", |t| {
        t.contains("dash-2: reboot --wait: succeeded")
    });
    let after = screen.wait_for("the new boot time", |t| {
        boot_time(t).is_some_and(|b| b != boot_before)
    });
    eprintln!("after the reboot:\n{after}");

    // Quit: exit 0, and the terminal is handed back.
    screen.send("q");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = screen.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the dashboard did not quit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit {}", status.exit_code());
    fleet.stop(&hub);
}

#[test]
fn dashboard_without_a_terminal_points_to_status() {
    let hub = Hub::start();
    let run = hub.dmctl(&["dashboard"]).run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("needs a terminal"), "{}", run.stderr);
    assert!(run.stderr.contains("dmctl status"), "{}", run.stderr);
}

/// Peak and current resident memory of a process, in KiB, from `/proc`.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// The spend the status line shows: `queries N/…`.
fn queries_spent(text: &str) -> Option<u32> {
    let at = text.find("queries ")? + "queries ".len();
    text[at..].split('/').next()?.parse().ok()
}

/// The benchmark in BENCHMARKS.md (dashboard section): 10,000 devices registered on the local
/// hub (with tags and a desired time zone, none connected), then the real binary in an 80×24
/// pseudo-terminal. Prints figures; asserts only that the screens appear.
///
/// `cargo test --release -p dmctl --test dm bench_dashboard_10k -- --ignored --nocapture`
#[test]
#[ignore = "a benchmark: run it by name with --ignored"]
fn bench_dashboard_10k() {
    use iothub_model::{ExportImportDevice, ImportMode};

    const DEVICES: usize = 10_000;
    let hub = Hub::start();
    let started = Instant::now();
    hub.runtime.block_on(async {
        let client = iothub_client::ClientBuilder::from_connection_string(&hub.connection_string)
            .unwrap()
            .add_root_ca_pem(hub.hub().ca_pem().as_bytes())
            .build()
            .unwrap();
        let ids: Vec<String> = (0..DEVICES).map(|i| format!("bench-{i:05}")).collect();
        for chunk in ids.chunks(100) {
            let devices: Vec<ExportImportDevice> = chunk
                .iter()
                .map(|id| {
                    let mut device: ExportImportDevice =
                        serde_json::from_value(serde_json::json!({
                            "id": id,
                            "tags": {"site": "lab", "ring": "canary"},
                            "properties": {"desired": {"dm": {"time": {"timeZone": "UTC"}}}},
                        }))
                        .unwrap();
                    device.import_mode = Some(ImportMode::Create);
                    device
                })
                .collect();
            let result = client.bulk_registry(&devices).await.unwrap();
            assert!(result.is_successful, "{result:?}");
        }
    });
    eprintln!("registered {DEVICES} devices in {:?}", started.elapsed());

    // What the hub itself takes for each query the dashboard sends (the floor under the
    // dashboard's figures): the count, a first page of 200, a page of 1,000, the visible rows.
    hub.runtime.block_on(async {
        let client = iothub_client::ClientBuilder::from_connection_string(&hub.connection_string)
            .unwrap()
            .add_root_ca_pem(hub.hub().ca_pem().as_bytes())
            .build()
            .unwrap();
        let visible: Vec<String> = (0..18).map(|i| format!("bench-{i:05}")).collect();
        for (what, query, size) in [
            (
                "GROUP BY count",
                dmctl::dashboard::fleet::count_query(None),
                1000,
            ),
            (
                "first page of 200",
                dmctl::dashboard::fleet::fleet_query(None),
                200,
            ),
            (
                "page of 1,000",
                dmctl::dashboard::fleet::fleet_query(None),
                1000,
            ),
            (
                "18 rows on screen (IN list)",
                dmctl::dashboard::fleet::rows_query(&visible),
                1000,
            ),
        ] {
            let started = Instant::now();
            let page = client
                .query(query)
                .page_size(size)
                .next_page()
                .await
                .unwrap()
                .unwrap();
            eprintln!(
                "hub alone: {what}: {} rows in {:?}",
                page.items.len(),
                started.elapsed()
            );
        }
    });

    for (cols, rows) in [(80u16, 24u16), (200, 60)] {
        let started = Instant::now();
        let state = tempfile::tempdir().unwrap();
        let mut screen = Screen::start(
            &hub,
            &["--interval", "2s", "--query-budget", "600"],
            cols,
            rows,
            state.path(),
        );
        screen.wait_long("the first rows", |t| t.contains("bench-00000"));
        let first_rows = started.elapsed();
        let first = screen.wait_long("the first full screen", |t| {
            t.contains("bench-00000") && t.contains(&format!("{DEVICES} devices"))
        });
        let first_screen = started.elapsed();
        let pid = screen.child.process_id().unwrap();
        let (peak, _) = memory_kib(pid);
        eprintln!(
            "{cols}x{rows}: first rows after {first_rows:?}, first full screen (rows and counts) \
             after {first_screen:?}, peak RSS {peak} KiB"
        );
        if cols == 80 {
            eprintln!("{first}");
        }
        // Spend over refreshes of the rows on screen: each tick costs 2 (count + IN list).
        let before = queries_spent(&first).unwrap();
        std::thread::sleep(Duration::from_millis(6500));
        let after = queries_spent(&screen.text()).unwrap();
        eprintln!(
            "{cols}x{rows}: queries spent in 6.5 s of refreshes at 2 s: {}",
            after.saturating_sub(before)
        );
        // Hold PageDown until 1,000 rows are read: pages of 200 are read as the highlight
        // nears the end of what is loaded.
        let paging = Instant::now();
        let deadline = paging + Duration::from_secs(600);
        let read = |t: &str| -> usize {
            t.lines()
                .last()
                .and_then(|l| l.split_whitespace().next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        while read(&screen.text()) < 1000 {
            assert!(Instant::now() < deadline, "{}", screen.text());
            screen.send("\x1b[6~");
        }
        let (peak, rss) = memory_kib(pid);
        eprintln!(
            "{cols}x{rows}: 1,000 rows read by paging down in {:?}; peak RSS {peak} KiB, now {rss} KiB; status line: {}",
            paging.elapsed(),
            screen.text().lines().last().unwrap_or_default().trim_end()
        );
        screen.send("q");
        let _ = screen.child.wait();
    }

    // dmctl status over the whole fleet, for comparison (all pages of 1,000).
    for _ in 0..2 {
        let started = Instant::now();
        let run = hub.dmctl(&["status", "-o", "json"]).run();
        eprintln!(
            "dmctl status -o json over {DEVICES}: exit {} in {:?}, {} bytes",
            run.code,
            started.elapsed(),
            run.stdout.len()
        );
    }
}
