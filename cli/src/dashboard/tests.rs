//! The dashboard at the model level: a fake hub answers its queries and calls, keys drive the
//! model, and every view and dialog is drawn on ratatui's test backend at 80×24 and at a large
//! size, then compared with a file snapshot.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dm_contract::AgentManifest;
use iothub_model::CloudToDeviceMethod;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};
use tokio::sync::mpsc::unbounded_channel;

use super::actions::ActionKind;
use super::app::{perform, silent_printer};
use super::model::{ActionState, BACKGROUND_EVERY, Effect, Model, Msg, Overlay, Screen};
use super::rollouts;
use super::source::{FleetSource, Page};
use super::view::{self, Theme};
use crate::dm::hub::{DeviceAnswer, Hub};
use crate::exit::{CliError, Exit};
use crate::rollout::spec::{Amount, RolloutSpec};
use crate::rollout::store::{LocalRollout, Status, Store};

/// The instant every snapshot is drawn at.
const NOW: &str = "2026-03-01T12:00:00Z";

fn now() -> jiff::Timestamp {
    NOW.parse().unwrap()
}

/// `NOW` minus `seconds`, as the hub writes it.
fn ago(seconds: i64) -> String {
    (now() - jiff::SignedDuration::from_secs(seconds)).to_string()
}

/// How the fake hub fails every query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    Unreachable,
    Throttled,
}

/// A hub in memory: projected rows for queries, twins for reads, a reboot that succeeds at once.
#[derive(Default)]
struct FakeHub {
    /// Rows as the fleet projection returns them, in registry order.
    rows: Vec<Value>,
    /// Twins by device id.
    twins: Mutex<BTreeMap<String, Value>>,
    /// Every query text received.
    queries: Mutex<Vec<String>>,
    /// When set, every query fails this way.
    failure: Option<Failure>,
    /// Method calls received.
    calls: Mutex<Vec<(String, String)>>,
    /// Rows of the rollout records query (`deviceId`, `rollouts`).
    rollout_rows: Vec<Value>,
}

impl FakeHub {
    fn with_devices(specs: &[(&str, bool)]) -> Self {
        let mut hub = Self::default();
        for (i, (id, connected)) in specs.iter().enumerate() {
            hub.add(id, *connected, i);
        }
        hub
    }

    fn add(&mut self, id: &str, connected: bool, i: usize) {
        let i = i64::try_from(i).expect("a test fleet's index fits in i64");
        let boot = ago(3600 * (i + 1));
        let mut row = json!({
            "deviceId": id,
            "connectionState": if connected { "Connected" } else { "Disconnected" },
            "connectionStateUpdatedTime": ago(600 + 60 * i),
            "lastActivityTime": ago(30 + i),
            "agentVersion": "0.1.0",
            "contractVersion": 2,
            "lastBootTime": boot,
            "desiredVersion": 3,
            "desiredDm": {"time": {"timeZone": "Europe/Paris"}},
            "rep_time_timeZone": if i % 3 == 1 { "UTC" } else { "Europe/Paris" },
            "ops_time": {"d3-time": {"id": "d3-time", "op": "dm.time.apply", "state": if i % 3 == 2 { "failed" } else { "succeeded" },
                "requestedAt": ago(900), "finishedAt": ago(899), "desiredVersion": 3,
                "error": if i % 3 == 2 { json!({"code": "unknownTimeZone", "message": "no such zone"}) } else { Value::Null }}},
        });
        if i % 3 != 2 {
            row["ops_time"]["d3-time"]
                .as_object_mut()
                .unwrap()
                .remove("error");
        }
        if i == 0 {
            row["leases"] = json!([{"id": "fw", "holder": "plc-bridge", "reason": "firmware flash", "acquiredAt": ago(60), "expiresAt": ago(-300)}]);
            row["ops_reboot"] = json!({"r1": {"id": "r1", "op": "dm.reboot", "state": "postponed", "requestedAt": ago(50)}});
        }
        let mut manifest = serde_json::to_value(AgentManifest::new("0.1.0")).unwrap();
        manifest["methods"] = json!(["dm.reboot", "dm.info.get", "dm.time.get", "dm.updates.scan"]);
        manifest["sections"] = json!(["agent", "busy", "reboot", "time", "updates", "info"]);
        let twin = json!({
            "deviceId": id,
            "etag": "AAAA",
            "connectionState": row["connectionState"],
            "tags": {"site": "lab", "ring": "canary"},
            "properties": {
                "desired": {"dm": {"time": {"timeZone": "Europe/Paris"}}, "$version": 3},
                "reported": {"dm": {
                    "agent": manifest,
                    "busy": {"leases": row.get("leases").cloned().unwrap_or(json!([]))},
                    "reboot": {"lastBootTime": boot, "operations": row.get("ops_reboot").cloned().unwrap_or(json!({}))},
                    "time": {"timeZone": row["rep_time_timeZone"], "operations": row["ops_time"]},
                }, "$version": 9},
            },
        });
        self.twins.lock().unwrap().insert(id.to_owned(), twin);
        self.rows.push(row);
    }

    fn fail(&self) -> Option<CliError> {
        self.failure.map(|f| match f {
            Failure::Unreachable => CliError::failure(
                "cannot reach the hub at https://hub.example:443/: connection refused",
            ),
            Failure::Throttled => {
                CliError::new(Exit::Throttled, "the hub throttled the request (429)")
            }
        })
    }
}

impl Hub for FakeHub {
    async fn twin(&self, device_id: &str) -> Result<Value, CliError> {
        self.twins
            .lock()
            .unwrap()
            .get(device_id)
            .cloned()
            .ok_or_else(|| CliError::new(Exit::NotFound, format!("device '{device_id}' not found")))
    }

    async fn invoke(
        &self,
        device_id: &str,
        call: &CloudToDeviceMethod,
    ) -> Result<DeviceAnswer, CliError> {
        self.calls
            .lock()
            .unwrap()
            .push((device_id.to_owned(), call.method_name.clone()));
        // The reboot succeeds at once, with a new boot time.
        let mut twins = self.twins.lock().unwrap();
        let twin = twins.get_mut(device_id).unwrap();
        let reboot = twin.pointer_mut("/properties/reported/dm/reboot").unwrap();
        reboot["lastBootTime"] = json!(NOW);
        reboot["operations"]["op-1"] = json!({"id": "op-1", "op": "dm.reboot", "state": "succeeded",
            "requestedAt": NOW, "startedAt": NOW, "finishedAt": NOW});
        Ok(DeviceAnswer {
            status: 202,
            payload: json!({"operationId": "op-1", "state": "running"}),
        })
    }

    async fn patch_twin(&self, _: &str, _: &Value, _: Option<&str>) -> Result<Value, CliError> {
        Err(CliError::failure("the fake hub takes no patches"))
    }

    async fn query_device_ids(&self, _: &str) -> Result<Vec<String>, CliError> {
        Err(CliError::failure("the fake hub resolves no targets"))
    }

    async fn query(&self, _: &str) -> Result<Vec<Value>, CliError> {
        Err(CliError::failure(
            "the fake hub answers only paged fleet queries",
        ))
    }

    async fn uploaded_blob(&self, _: &str) -> Result<Option<Vec<u8>>, CliError> {
        Ok(None)
    }
}

impl FleetSource for FakeHub {
    async fn query_page(
        &self,
        query: &str,
        continuation: Option<&str>,
        page_size: u32,
    ) -> Result<Page, CliError> {
        self.queries.lock().unwrap().push(query.to_owned());
        if let Some(err) = self.fail() {
            return Err(err);
        }
        if query == rollouts::query() {
            let start: usize = continuation.map_or(0, |c| c.parse().unwrap());
            let end = (start + page_size as usize).min(self.rollout_rows.len());
            return Ok(Page {
                rows: self.rollout_rows[start..end].to_vec(),
                continuation: (end < self.rollout_rows.len()).then(|| end.to_string()),
            });
        }
        // The hub's own parser: its errors, positions included, are what a filter meets.
        if let Err(e) = iothub_emulator::query::parse(query) {
            return Err(CliError::usage(format!("ArgumentInvalid (400004): {e}")));
        }
        let selected: Vec<&Value> = self
            .rows
            .iter()
            .filter(|row| {
                let id = row["deviceId"].as_str().unwrap();
                match query.split_once(" WHERE ") {
                    None => true,
                    Some((_, condition)) => condition.contains(&format!("'{id}'")),
                }
            })
            .collect();
        if query.starts_with("SELECT COUNT()") {
            let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
            for row in &selected {
                *counts
                    .entry(row["connectionState"].as_str().unwrap())
                    .or_default() += 1;
            }
            return Ok(Page {
                rows: counts
                    .into_iter()
                    .map(|(state, n)| json!({"n": n, "connectionState": state}))
                    .collect(),
                continuation: None,
            });
        }
        let start: usize = continuation.map_or(0, |c| c.parse().unwrap());
        let end = (start + page_size as usize).min(selected.len());
        Ok(Page {
            rows: selected[start..end].iter().map(|v| (*v).clone()).collect(),
            continuation: (end < selected.len()).then(|| end.to_string()),
        })
    }
}

/// Performs the model's effects against `hub` until it has none left.
async fn settle(model: &mut Model, hub: &FakeHub) {
    settle_at(model, hub, None, Instant::now()).await;
}

/// [`settle`] with local rollout plans and at a given instant (budget tests run a simulated
/// clock).
async fn settle_at(model: &mut Model, hub: &FakeHub, plans: Option<&Store>, now: Instant) {
    let printer = silent_printer();
    for _ in 0..50 {
        let effects: Vec<Effect> = model
            .take_effects()
            .into_iter()
            .filter(|e| *e != Effect::Quit)
            .collect();
        if effects.is_empty() {
            return;
        }
        let (tx, mut rx) = unbounded_channel();
        for effect in effects {
            perform(hub, &printer, plans, effect, &tx).await;
        }
        drop(tx);
        while let Some(msg) = rx.recv().await {
            model.on_msg(msg, now);
        }
    }
    panic!("the model never settled");
}

fn key(model: &mut Model, code: KeyCode) {
    model.on_key(KeyEvent::new(code, KeyModifiers::NONE), Instant::now());
}

fn type_text(model: &mut Model, text: &str) {
    for c in text.chars() {
        key(model, KeyCode::Char(c));
    }
}

/// The screen as text, one line per row, trailing spaces trimmed.
fn draw(model: &mut Model, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| view::render(frame, model, Theme { color: false }, now()))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buffer[(x, y)].symbol());
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

fn snap(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    // The spend depends on how many queries this test made in the last minute.
    settings.add_filter(r"queries \d+/", "queries [N]/");
    settings.bind(|| insta::assert_snapshot!(name, text));
}

fn fleet() -> FakeHub {
    FakeHub::with_devices(&[
        ("sensor-001", true),
        ("sensor-002", true),
        ("sensor-003", false),
        (
            "gateway-hall-b-line-4-plc-bridge-with-a-very-long-device-identifier",
            true,
        ),
        ("sensor-005", true),
        ("sensor-006", false),
    ])
}

async fn opened(hub: &FakeHub) -> Model {
    let mut model = Model::new(None, 100, 1000);
    settle(&mut model, hub).await;
    model
}

#[tokio::test]
async fn the_fleet_view_at_80x24_and_large() {
    let hub = fleet();
    let mut model = opened(&hub).await;
    key(&mut model, KeyCode::Char(' '));
    key(&mut model, KeyCode::Down);
    snap("fleet_80x24", &draw(&mut model, 80, 24));
    snap("fleet_160x40", &draw(&mut model, 160, 40));
    // One count and one projected page: no whole twins.
    let queries = hub.queries.lock().unwrap().clone();
    assert_eq!(queries.len(), 2, "{queries:?}");
    assert!(
        queries
            .iter()
            .any(|q| q.contains("GROUP BY connectionState"))
    );
    assert!(queries.iter().all(|q| !q.contains('*')));
}

#[tokio::test]
async fn sorting_and_quick_search_reorder_and_narrow_the_rows() {
    let hub = fleet();
    let mut model = opened(&hub).await;
    key(&mut model, KeyCode::Char('s')); // device ↑
    key(&mut model, KeyCode::Char('s')); // connection ↑
    let first = model.selected_row().unwrap().device_id.clone();
    assert!(first == "sensor-003" || first == "sensor-006", "{first}");
    key(&mut model, KeyCode::Char('f'));
    type_text(&mut model, "00");
    snap("search_80x24", &draw(&mut model, 80, 24));
    key(&mut model, KeyCode::Enter);
    assert_eq!(model.visible().len(), 5);
    assert!(model.overlay.is_none());
}

#[tokio::test]
async fn an_empty_fleet_says_so() {
    let hub = FakeHub::default();
    let mut model = opened(&hub).await;
    snap("fleet_empty_80x24", &draw(&mut model, 80, 24));
}

#[tokio::test]
async fn an_unreachable_hub_and_a_throttled_one_show_in_the_status_line() {
    let mut hub = fleet();
    hub.failure = Some(Failure::Unreachable);
    let mut model = opened(&hub).await;
    snap("fleet_unreachable_80x24", &draw(&mut model, 80, 24));

    // Rows read before the hub started throttling stay on screen.
    let mut hub = fleet();
    let mut model = opened(&hub).await;
    hub.failure = Some(Failure::Throttled);
    model.on_tick(Instant::now());
    settle(&mut model, &hub).await;
    snap("fleet_throttled_80x24", &draw(&mut model, 80, 24));
}

#[tokio::test]
async fn a_refused_filter_shows_where_it_is_wrong() {
    let hub = fleet();
    let mut model = opened(&hub).await;
    key(&mut model, KeyCode::Char('/'));
    type_text(&mut model, "tags.site bad == 'lab'");
    key(&mut model, KeyCode::Enter);
    settle(&mut model, &hub).await;
    let err = model.filter_error.clone().expect("the filter is refused");
    assert_eq!(err.position, Some(10), "{err:?}");
    assert!(err.message.contains("at position 10"), "{err:?}");
    key(&mut model, KeyCode::Char('/'));
    snap("filter_error_80x24", &draw(&mut model, 80, 24));

    // An unfinished condition points at its end, in the operator's words (the hub stopped at
    // text dmctl added after it).
    for _ in 0.."tags.site bad == 'lab'".len() {
        key(&mut model, KeyCode::Backspace);
    }
    type_text(&mut model, "deviceId =");
    key(&mut model, KeyCode::Enter);
    settle(&mut model, &hub).await;
    let err = model.filter_error.clone().expect("the filter is refused");
    assert_eq!(err.position, Some(10), "{err:?}");
    // The message wraps over two lines; the dialog's keys stay on screen below it.
    key(&mut model, KeyCode::Char('/'));
    let screen = draw(&mut model, 80, 24);
    assert!(
        screen.contains("enter applies (empty: every device)"),
        "{screen}"
    );
    assert!(
        err.message
            .ends_with("at the end of the condition (position 10): expected an expression but found the end of the condition"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_filter_narrows_the_fleet_through_the_hub() {
    let hub = fleet();
    let mut model = opened(&hub).await;
    key(&mut model, KeyCode::Char('/'));
    type_text(&mut model, "deviceId = 'sensor-002'");
    snap("filter_typing_80x24", &draw(&mut model, 80, 24));
    key(&mut model, KeyCode::Enter);
    settle(&mut model, &hub).await;
    assert_eq!(model.rows.len(), 1);
    assert_eq!(model.condition.as_deref(), Some("deviceId = 'sensor-002'"));
}

#[tokio::test]
async fn help_and_the_actions_menu() {
    let hub = fleet();
    let mut model = opened(&hub).await;
    key(&mut model, KeyCode::Char('?'));
    snap("help_80x24", &draw(&mut model, 80, 24));
    key(&mut model, KeyCode::Char('x'));
    assert!(model.overlay.is_none());
    key(&mut model, KeyCode::Char('a'));
    snap("actions_80x24", &draw(&mut model, 80, 24));
}

#[tokio::test]
async fn the_device_view_shows_desired_and_reported_operations_manifest_leases_and_tags() {
    let hub = fleet();
    let mut model = opened(&hub).await;
    key(&mut model, KeyCode::Enter);
    settle(&mut model, &hub).await;
    assert_eq!(model.screen, Screen::Device("sensor-001".into()));
    snap("device_80x24", &draw(&mut model, 80, 24));
    snap("device_160x40", &draw(&mut model, 160, 40));
    key(&mut model, KeyCode::Esc);
    assert_eq!(model.screen, Screen::Fleet);
}

#[tokio::test]
async fn a_reboot_goes_through_the_confirmation_dialog_with_the_device_id_typed() {
    let hub = fleet();
    let mut model = opened(&hub).await;
    key(&mut model, KeyCode::Down);
    key(&mut model, KeyCode::Enter);
    settle(&mut model, &hub).await;
    key(&mut model, KeyCode::Char('a'));
    key(&mut model, KeyCode::Char('b'));
    settle(&mut model, &hub).await;
    let Some(Overlay::Confirm(confirm)) = &model.overlay else {
        panic!("no confirmation dialog: {:?}", model.overlay);
    };
    assert_eq!(
        confirm.command_line,
        "dmctl reboot --device sensor-002 --wait"
    );
    let line = confirm.dry_run.clone().unwrap().unwrap();
    assert!(line.starts_with("POST /twins/sensor-002/methods"), "{line}");
    assert!(line.contains("\"methodName\":\"dm.reboot\""), "{line}");
    snap("confirm_reboot_80x24", &draw(&mut model, 80, 24));
    // Enter does nothing until the id is typed.
    key(&mut model, KeyCode::Enter);
    assert!(matches!(model.overlay, Some(Overlay::Confirm(_))));
    type_text(&mut model, "sensor-00");
    key(&mut model, KeyCode::Enter);
    assert!(hub.calls.lock().unwrap().is_empty());
    type_text(&mut model, "2");
    key(&mut model, KeyCode::Enter);
    assert!(model.overlay.is_none());
    snap("reboot_running_80x24", &draw(&mut model, 80, 24));
    settle(&mut model, &hub).await;
    assert_eq!(
        hub.calls.lock().unwrap().clone(),
        vec![("sensor-002".to_owned(), "dm.reboot".to_owned())]
    );
    assert!(
        matches!(model.actions[0].state, ActionState::Succeeded(_)),
        "{:?}",
        model.actions
    );
    snap("reboot_done_device_80x24", &draw(&mut model, 80, 24));
}

#[tokio::test]
async fn marked_devices_get_the_action_and_a_non_disruptive_one_needs_only_y() {
    let hub = fleet();
    let mut model = opened(&hub).await;
    key(&mut model, KeyCode::Char(' '));
    key(&mut model, KeyCode::Char(' '));
    key(&mut model, KeyCode::Char('a'));
    key(&mut model, KeyCode::Char('t'));
    settle(&mut model, &hub).await;
    snap("confirm_time_marked_80x24", &draw(&mut model, 80, 24));
    let Some(Overlay::Confirm(confirm)) = &model.overlay else {
        panic!("no dialog");
    };
    assert_eq!(confirm.devices, vec!["sensor-001", "sensor-002"]);
    assert!(confirm.required().is_none());
}

#[tokio::test]
async fn ten_thousand_devices_open_with_one_page_and_read_more_as_the_operator_scrolls() {
    let mut hub = FakeHub::default();
    for i in 0..10_000 {
        hub.add(&format!("dev-{i:05}"), i % 7 != 0, i % 5);
    }
    let mut model = Model::new(None, 100, 1000);
    model.page_rows = 20;
    settle(&mut model, &hub).await;
    assert_eq!(model.rows.len(), 100);
    assert_eq!(model.counts.as_ref().unwrap().total, 10_000);
    let text = draw(&mut model, 80, 24);
    assert!(text.contains("100 of 10000 read"), "{text}");
    for _ in 0..5 {
        key(&mut model, KeyCode::PageDown);
        settle(&mut model, &hub).await;
    }
    assert!(
        model.rows.len() > 100 && model.rows.len() < 10_000,
        "{}",
        model.rows.len()
    );
    assert_eq!(
        hub.queries.lock().unwrap().len(),
        1 + model.rows.len() / 100
    );
}

#[tokio::test]
async fn the_budget_holds_refreshes_back() {
    let hub = fleet();
    let mut model = Model::new(None, 100, 3);
    settle(&mut model, &hub).await;
    let before = hub.queries.lock().unwrap().len();
    model.on_tick(Instant::now());
    model.on_tick(Instant::now());
    settle(&mut model, &hub).await;
    assert_eq!(
        hub.queries.lock().unwrap().len(),
        before,
        "a refresh costs 2; 1 was left"
    );
    assert!(model.refresh_owed);
    snap("budget_spent_80x24", &draw(&mut model, 80, 24));
}

#[tokio::test]
async fn a_refused_filter_leaves_no_count_of_the_previous_one() {
    let hub = fleet();
    let mut model = opened(&hub).await;
    assert_eq!(model.counts.as_ref().unwrap().total, 6);
    key(&mut model, KeyCode::Char('/'));
    type_text(&mut model, "tags.site bad == 'lab'");
    key(&mut model, KeyCode::Enter);
    settle(&mut model, &hub).await;
    assert!(model.filter_error.is_some());
    assert_eq!(model.counts, None, "the old filter's count stayed");
    let text = draw(&mut model, 80, 24);
    assert!(!text.contains("6 devices"), "{text}");
    assert!(text.contains("refused"), "{text}");
    // A tick does not send the refused condition again.
    let before = hub.queries.lock().unwrap().len();
    model.on_tick(Instant::now());
    settle(&mut model, &hub).await;
    assert_eq!(hub.queries.lock().unwrap().len(), before);
}

#[tokio::test]
async fn a_late_dry_run_answer_does_not_fill_another_dialog() {
    let hub = fleet();
    let mut model = opened(&hub).await;
    key(&mut model, KeyCode::Char('a'));
    key(&mut model, KeyCode::Char('t'));
    // The operator closes the time dialog before its check came back and opens a reboot.
    let stale: Vec<Effect> = model.take_effects();
    assert!(matches!(stale[..], [Effect::DryRun { .. }]), "{stale:?}");
    key(&mut model, KeyCode::Esc);
    key(&mut model, KeyCode::Char('a'));
    key(&mut model, KeyCode::Char('b'));
    model.on_msg(
        Msg::DryRun {
            action: ActionKind::ALL
                .iter()
                .copied()
                .find(|a| a.key() == 't')
                .unwrap(),
            extra: Vec::new(),
            devices: vec!["sensor-001".into()],
            result: Ok("GET /twins/sensor-001".into()),
        },
        Instant::now(),
    );
    let Some(Overlay::Confirm(confirm)) = &model.overlay else {
        panic!("no dialog");
    };
    assert_eq!(
        confirm.dry_run, None,
        "the time call's check filled the reboot dialog"
    );
    settle(&mut model, &hub).await;
    let Some(Overlay::Confirm(confirm)) = &model.overlay else {
        panic!("no dialog");
    };
    assert!(
        confirm
            .dry_run
            .as_ref()
            .unwrap()
            .as_ref()
            .unwrap()
            .contains("dm.reboot"),
        "{confirm:?}"
    );
}

fn rollout_record(name: &str, wave: usize, outcome: &str, reason: Option<&str>) -> Value {
    let mut record = json!({"name": name, "plan": "0123456789abcdef", "wave": wave,
        "outcome": outcome, "time": ago(120)});
    if let Some(reason) = reason {
        record["reason"] = json!(reason);
    }
    record
}

/// A hub where rollout `apps-web-2` is in its second wave (planned here, 3 waves of 1, 2 and 3
/// devices), `tz-paris` was run from another machine and finished with one failure, `reboot-all`
/// finished cleanly there, and a tag another tool wrote is ignored.
fn rollout_fleet(plans: &Store) -> FakeHub {
    let mut hub = fleet();
    hub.rollout_rows = vec![
        json!({"deviceId": "sensor-001", "rollouts": {
            "apps-web-2": rollout_record("apps-web-2", 1, "succeeded", None),
            "tz-paris": rollout_record("tz-paris", 1, "succeeded", None)}}),
        json!({"deviceId": "sensor-002", "rollouts": {
            "apps-web-2": rollout_record("apps-web-2", 2, "sent", None),
            "tz-paris": rollout_record("tz-paris", 1, "failed", Some("unknownTimeZone: no such zone")),
            "reboot-all": rollout_record("reboot-all", 1, "succeeded", None)}}),
        json!({"deviceId": "sensor-003", "rollouts": {
            "apps-web-2": rollout_record("apps-web-2", 2, "failed", Some("offline: the device did not answer within 30s")),
            "other-tool": {"anything": true}}}),
    ];
    let spec = RolloutSpec {
        name: "apps-web-2".into(),
        target: "WHERE tags.site = 'lab'".into(),
        operation: ["apps", "restart", "web"].map(str::to_owned).to_vec(),
        waves: vec![
            vec!["sensor-001".into()],
            vec!["sensor-002".into(), "sensor-003".into()],
            vec![
                "sensor-005".into(),
                "sensor-006".into(),
                "gateway-hall-b-line-4-plc-bridge-with-a-very-long-device-identifier".into(),
            ],
        ],
        bake_secs: 60,
        max_failures: Amount::Count(2),
        success: None,
        window: None,
        concurrency: 4,
        timeout_secs: 600,
    };
    let created: jiff::Timestamp = ago(600).parse().unwrap();
    plans
        .save(&LocalRollout {
            hash: spec.hash(),
            spec,
            status: Status::Paused,
            reason: Some("paused by the operator".into()),
            wave: 2,
            created,
            updated: created,
        })
        .unwrap();
    hub
}

#[tokio::test]
async fn the_rollouts_view_shows_rollouts_with_their_waves() {
    let dir = tempfile::tempdir().unwrap();
    let plans = Store::at(dir.path().join("rollouts"));
    let hub = rollout_fleet(&plans);
    let mut model = opened(&hub).await;
    key(&mut model, KeyCode::Char('?'));
    assert!(draw(&mut model, 80, 24).contains("rollouts and their waves"));
    key(&mut model, KeyCode::Esc);
    key(&mut model, KeyCode::Char('w'));
    assert_eq!(model.screen, Screen::Rollouts);
    settle_at(&mut model, &hub, Some(&plans), Instant::now()).await;
    let shown = &model.rollouts.shown;
    assert_eq!(
        shown.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["apps-web-2", "reboot-all", "tz-paris"]
    );
    assert_eq!(shown[0].status, "paused");
    assert_eq!(shown[0].current_wave, Some(2));
    assert_eq!(shown[0].devices(), 6);
    assert_eq!(shown[2].status, "in hub only");
    assert_eq!(shown[2].failed(), 1);
    // One projected query of the tags, no whole twins.
    let queries = hub.queries.lock().unwrap().clone();
    assert_eq!(queries.last().unwrap(), &rollouts::query());
    snap("rollouts_80x24", &draw(&mut model, 80, 24));
    snap("rollouts_160x40", &draw(&mut model, 160, 40));
    // Actions belong to devices, not to this screen; esc goes back.
    key(&mut model, KeyCode::Char('a'));
    assert!(model.overlay.is_none());
    key(&mut model, KeyCode::Esc);
    assert_eq!(model.screen, Screen::Fleet);
}

#[tokio::test]
async fn no_rollouts_and_an_unreachable_hub_on_the_rollouts_view() {
    let dir = tempfile::tempdir().unwrap();
    let plans = Store::at(dir.path().join("none"));
    let hub = fleet();
    let mut model = opened(&hub).await;
    key(&mut model, KeyCode::Char('w'));
    settle_at(&mut model, &hub, Some(&plans), Instant::now()).await;
    snap("rollouts_empty_80x24", &draw(&mut model, 80, 24));

    let mut hub = fleet();
    hub.failure = Some(Failure::Unreachable);
    let mut model = Model::new(None, 100, 1000);
    key(&mut model, KeyCode::Char('w'));
    settle_at(&mut model, &hub, Some(&plans), Instant::now()).await;
    let text = draw(&mut model, 80, 24);
    assert!(text.contains("last read failed"), "{text}");
}

#[tokio::test]
async fn large_screens_empty_fleets_errors_and_the_arguments_dialog() {
    let hub = FakeHub::default();
    let mut model = opened(&hub).await;
    snap("fleet_empty_160x40", &draw(&mut model, 160, 40));

    let mut hub = fleet();
    hub.failure = Some(Failure::Unreachable);
    let mut model = opened(&hub).await;
    snap("fleet_unreachable_160x40", &draw(&mut model, 160, 40));

    // The device view when its twin cannot be read.
    let mut hub = fleet();
    let mut model = opened(&hub).await;
    hub.failure = Some(Failure::Throttled);
    hub.twins.lock().unwrap().clear();
    key(&mut model, KeyCode::Enter);
    settle(&mut model, &hub).await;
    snap("device_unreadable_80x24", &draw(&mut model, 80, 24));

    // An action that takes arguments asks for them first.
    let hub = fleet();
    let mut model = opened(&hub).await;
    key(&mut model, KeyCode::Char('a'));
    let action = ActionKind::ALL
        .iter()
        .copied()
        .find(|a| a.argument_hint().is_some())
        .expect("an action with arguments");
    key(&mut model, KeyCode::Char(action.key()));
    assert!(matches!(model.overlay, Some(Overlay::Arguments { .. })));
    type_text(&mut model, "web");
    snap("arguments_80x24", &draw(&mut model, 80, 24));
}

/// Drives the fleet screen for ten simulated minutes of 15 s ticks (the operator paging down
/// now and then) over 1,000 devices, and checks the query load: never more than the budget in
/// any minute, projected rows and `GROUP BY` counts only, the rows on screen read again at every
/// tick and the others less often.
#[tokio::test]
async fn the_query_budget_holds_over_minutes_of_refreshes_and_scrolling() {
    const BUDGET: u32 = 10;
    let mut hub = FakeHub::default();
    for i in 0..1000 {
        hub.add(&format!("dev-{i:04}"), i % 4 != 0, i % 5);
    }
    let start = Instant::now();
    let mut model = Model::new(None, 100, BUDGET);
    model.page_rows = 20;
    let mut sent: Vec<(Duration, usize)> = Vec::new();
    let mut seen = 0;
    let mut record = |hub: &FakeHub, at: Duration| {
        let total = hub.queries.lock().unwrap().len();
        sent.push((at, total - seen));
        seen = total;
    };
    settle_at(&mut model, &hub, None, start).await;
    record(&hub, Duration::ZERO);
    let mut shown = std::collections::BTreeSet::new();
    // The last page-down is at tick 40: the rows it shows are then on screen for 4 ticks.
    let ticks = 44;
    for tick in 1..=ticks {
        let at = Duration::from_secs(15 * tick);
        let now = start + at;
        if tick % 5 == 0 {
            model.on_key(KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE), now);
        }
        model.on_tick(now);
        settle_at(&mut model, &hub, None, now).await;
        record(&hub, at);
        shown.extend(
            model.rows[model.offset..(model.offset + model.page_rows).min(model.rows.len())]
                .iter()
                .map(|r| r.device_id.clone()),
        );
    }
    for (i, (at, _)) in sent.iter().enumerate() {
        let in_minute: usize = sent[i..]
            .iter()
            .take_while(|(t, _)| *t < *at + Duration::from_secs(60))
            .map(|(_, n)| n)
            .sum();
        assert!(
            in_minute <= BUDGET as usize,
            "{in_minute} queries in the minute from {at:?}: {sent:?}"
        );
    }
    let queries = hub.queries.lock().unwrap().clone();
    for query in &queries {
        assert!(!query.contains('*'), "a query fetched whole twins: {query}");
        assert!(
            query.starts_with("SELECT deviceId, connectionState")
                || query.ends_with("GROUP BY connectionState"),
            "{query}"
        );
    }
    let row_reads: Vec<&String> = queries
        .iter()
        .filter(|q| q.contains("deviceId IN"))
        .collect();
    let on_screen = model.rows[model.offset].device_id.clone();
    let reads_of = |id: &str| {
        row_reads
            .iter()
            .filter(|q| q.contains(&format!("'{id}'")))
            .count()
    };
    // The first row on screen since the last page-down is read again at every tick; one far
    // below, never on screen, in a background batch.
    assert!(reads_of(&on_screen) >= 3, "{row_reads:?}");
    let never_shown: Vec<&str> = model
        .rows
        .iter()
        .map(|r| r.device_id.as_str())
        .filter(|id| !shown.contains(*id))
        .collect();
    assert!(
        never_shown.iter().any(|id| reads_of(id) >= 1),
        "no row off screen was read again"
    );
    let background = row_reads
        .iter()
        .filter(|q| q.matches('\'').count() > 2 * 20)
        .count();
    assert!(background >= 1, "no background batch");
    assert!(
        u64::try_from(background).unwrap() <= ticks / BACKGROUND_EVERY,
        "{background} background reads in {ticks} ticks"
    );
    // The spend is on the status line.
    let text = draw(&mut model, 80, 24);
    assert!(text.contains(&format!("/{BUDGET} a min")), "{text}");
}

#[tokio::test]
async fn the_fleet_appears_once_an_unreachable_hub_answers() {
    let mut hub = fleet();
    hub.failure = Some(Failure::Unreachable);
    let mut model = opened(&hub).await;
    let text = draw(&mut model, 80, 24);
    assert!(
        !text.contains("no devices"),
        "an unreachable hub is not an empty one:\n{text}"
    );
    hub.failure = None;
    model.on_tick(Instant::now());
    settle(&mut model, &hub).await;
    assert_eq!(model.rows.len(), 6);
    assert_eq!(model.problem, None);
    assert!(draw(&mut model, 80, 24).contains("6 of 6"));
}

#[tokio::test]
async fn a_slow_hub_gets_no_second_refresh_while_one_is_in_flight() {
    let hub = fleet();
    let mut model = opened(&hub).await;
    model.on_tick(Instant::now());
    // The hub has not answered yet: the next ticks send nothing more.
    let first = model.take_effects();
    assert!(matches!(first[..], [Effect::Refresh { .. }]), "{first:?}");
    model.on_tick(Instant::now());
    model.on_tick(Instant::now());
    assert_eq!(model.take_effects(), Vec::new());
    // Once it answers, the next tick refreshes again.
    let (tx, mut rx) = unbounded_channel();
    for effect in first {
        perform(&hub, &silent_printer(), None, effect, &tx).await;
    }
    drop(tx);
    while let Some(msg) = rx.recv().await {
        model.on_msg(msg, Instant::now());
    }
    model.on_tick(Instant::now());
    assert!(
        matches!(model.take_effects()[..], [Effect::Refresh { .. }]),
        "no refresh after the answer"
    );
}
