//! The dashboard's state and how keys and hub answers change it, with no terminal and no
//! network: a key or an answer goes in, [`Effect`]s (hub reads, actions, quit) come out, and the
//! runtime ([`super::app`]) performs them and feeds the answers back as [`Msg`]s.
//!
//! Keeping the state pure makes every view and dialog testable with a fake hub and ratatui's
//! test backend, and keeps the query budget in one place: every effect that queries the hub is
//! charged here before it is emitted.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;

use super::actions::ActionKind;
use super::fleet::{self, ConnectionCounts, FleetRow};
use super::rollouts::{self, LocalPlan, Records, RolloutSummary};
use super::source::{Budget, Page};
use crate::exit::{CliError, Exit};

/// The rows read but not on screen are read again every this many ticks (the rows on screen:
/// every tick).
pub const BACKGROUND_EVERY: u64 = 4;

/// Rows per background refresh query (an `IN` list of ids).
pub const BACKGROUND_BATCH: usize = 100;

/// A sortable column of the fleet table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Device id.
    Device,
    /// Connection state and since when.
    Connection,
    /// Last activity.
    Activity,
    /// Agent version and contract.
    Agent,
    /// Last boot.
    Boot,
    /// Operations running.
    Running,
    /// Busy leases.
    Busy,
    /// Worst compliance.
    Compliance,
}

impl Column {
    /// Every column, in display order.
    pub const ALL: [Column; 8] = [
        Column::Device,
        Column::Connection,
        Column::Activity,
        Column::Agent,
        Column::Boot,
        Column::Running,
        Column::Busy,
        Column::Compliance,
    ];

    /// The header.
    pub fn title(self) -> &'static str {
        match self {
            Column::Device => "DEVICE",
            Column::Connection => "CONNECTION",
            Column::Activity => "ACTIVITY",
            Column::Agent => "AGENT",
            Column::Boot => "BOOT",
            Column::Running => "OPS",
            Column::Busy => "BUSY",
            Column::Compliance => "DM",
        }
    }

    fn compare(self, a: &FleetRow, b: &FleetRow) -> Ordering {
        match self {
            Column::Device => a.device_id.cmp(&b.device_id),
            Column::Connection => a
                .connected()
                .cmp(&b.connected())
                .then_with(|| a.connection_since.cmp(&b.connection_since)),
            Column::Activity => a.last_activity.cmp(&b.last_activity),
            Column::Agent => a.agent_version.cmp(&b.agent_version),
            Column::Boot => a.last_boot.cmp(&b.last_boot),
            Column::Running => a.running.len().cmp(&b.running.len()),
            Column::Busy => a.leases.len().cmp(&b.leases.len()),
            Column::Compliance => a.worst().cmp(&b.worst()),
        }
    }
}

/// Which screen is showing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// The fleet table.
    Fleet,
    /// One device.
    Device(String),
    /// The rollouts found in the hub's tags and on this machine, with their waves.
    Rollouts,
}

/// The rollouts screen's state.
#[derive(Debug, Default)]
pub struct RolloutsView {
    /// What the screen shows: the last complete read.
    pub shown: Vec<RolloutSummary>,
    /// Whether a complete read has arrived yet.
    pub read: bool,
    /// A page of the hub's records is being read.
    pub loading: bool,
    /// Why the last read failed (the hub's or the local store's message).
    pub error: Option<String>,
    /// The plans stored on this machine, as last read.
    pub local: Vec<LocalPlan>,
    /// Lines scrolled down.
    pub scroll: u16,
    /// Records of the read in progress, or of the last one once complete (shown when its last
    /// page arrives).
    partial: Records,
    /// The next page of the read in progress, when the budget held it back.
    owed: Option<String>,
    /// Which read this is; answers of older reads are dropped.
    generation: u64,
}

/// A dialog or input bar over the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// The key list.
    Help,
    /// Typing an IoT Hub query condition.
    Filter(String),
    /// Typing a quick search over device ids.
    Search(String),
    /// Choosing an action; the index of the highlighted one.
    Actions(usize),
    /// Typing the arguments an action needs (`apps restart NAME`).
    Arguments {
        /// The action.
        action: ActionKind,
        /// What was typed.
        input: String,
    },
    /// Confirming an action.
    Confirm(Confirm),
}

/// The confirmation dialog: the exact call, for how many devices, typed confirmation.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    /// The action.
    pub action: ActionKind,
    /// Its arguments beyond the target.
    pub extra: Vec<String>,
    /// The devices it goes to.
    pub devices: Vec<String>,
    /// The equivalent `dmctl` command line.
    pub command_line: String,
    /// The `--dry-run` line for the first device: `None` while it is being built, `Err` when
    /// the device's agent or the arguments refuse it (nothing can be sent then).
    pub dry_run: Option<Result<String, String>>,
    /// What the operator typed (for disruptive actions).
    pub typed: String,
}

impl Confirm {
    /// What must be typed to go ahead with a disruptive action: the device id, or the number
    /// of devices for several. `None` when `y` is enough.
    pub fn required(&self) -> Option<String> {
        if !self.action.disruptive() {
            return None;
        }
        Some(match self.devices.as_slice() {
            [one] => one.clone(),
            many => many.len().to_string(),
        })
    }

    /// Whether the dialog allows sending now.
    pub fn ready(&self) -> bool {
        matches!(self.dry_run, Some(Ok(_)))
            && self.required().is_none_or(|r| r == self.typed.trim())
    }
}

/// An action sent from the dashboard and its progress.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionRun {
    /// The device.
    pub device_id: String,
    /// The command line it is the same as.
    pub label: String,
    /// Where it stands.
    pub state: ActionState,
    /// When it was sent.
    pub started: Instant,
}

/// Where an action stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionState {
    /// Sent; following the operation.
    Running,
    /// Done; the outcome in one line.
    Succeeded(String),
    /// Refused, failed or timed out; the message.
    Failed(String),
}

/// A problem talking to the hub, shown in the status line until the next good answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubProblem {
    /// The hub could not be reached or answered with an error.
    Unreachable(String),
    /// The hub throttled the dashboard's queries.
    Throttled,
}

/// A filter condition the hub rejected, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    /// The hub's message.
    pub message: String,
    /// Character offset in the condition, when the hub gave one.
    pub position: Option<usize>,
}

/// One device's details, as read from its twin.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    /// The device.
    pub device_id: String,
    /// Its twin, once read.
    pub twin: Option<Value>,
    /// Why the last read failed.
    pub error: Option<String>,
    /// Lines scrolled down.
    pub scroll: u16,
}

/// Something the runtime must do for the model.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Count and read the first page of the fleet (`generation` tags the answers).
    Reload {
        /// Which read this is; answers of older reads are dropped.
        generation: u64,
        /// The condition (`None`: every device).
        condition: Option<String>,
        /// Rows per page.
        page_size: u32,
    },
    /// Read the next page.
    LoadMore {
        /// Which read it continues.
        generation: u64,
        /// The condition.
        condition: Option<String>,
        /// The continuation token.
        continuation: String,
        /// Rows per page.
        page_size: u32,
    },
    /// Read these rows again (the ones on screen, or a batch of the others) and, when
    /// `counts`, the counts.
    Refresh {
        /// The condition, for the counts.
        condition: Option<String>,
        /// The rows to read again.
        ids: Vec<String>,
        /// Whether to count the fleet again too (with the rows on screen, not with a batch).
        counts: bool,
    },
    /// Read one device's twin.
    LoadTwin(String),
    /// Read a page of the rollout records in the hub's tags (the first when `continuation` is
    /// `None`).
    LoadRollouts {
        /// Which read this is.
        generation: u64,
        /// The continuation token.
        continuation: Option<String>,
    },
    /// Read the rollout plans stored on this machine (files, no query).
    LoadLocalPlans,
    /// Build the dry-run line of an action for the confirmation dialog.
    DryRun {
        /// The action.
        action: ActionKind,
        /// Its arguments.
        extra: Vec<String>,
        /// The devices.
        devices: Vec<String>,
    },
    /// Send an action; `first` is the index of its first device's entry in `actions`.
    Run {
        /// The action.
        action: ActionKind,
        /// Its arguments.
        extra: Vec<String>,
        /// The devices, in the order of their entries.
        devices: Vec<String>,
        /// Index of the first entry in [`Model::actions`].
        first: usize,
    },
    /// Leave.
    Quit,
}

/// A hub answer or a clock tick, fed back into the model.
#[derive(Debug)]
pub enum Msg {
    /// The counts of a read.
    Counts {
        /// Which read.
        generation: u64,
        /// The hub's answer.
        result: Result<ConnectionCounts, CliError>,
    },
    /// A page of a read.
    Page {
        /// Which read.
        generation: u64,
        /// The hub's answer.
        result: Result<Page, CliError>,
    },
    /// Rows read again, and fresh counts when asked.
    Refreshed(Result<(Vec<Value>, Option<ConnectionCounts>), CliError>),
    /// A twin.
    Twin {
        /// The device.
        device_id: String,
        /// The hub's answer.
        result: Result<Value, CliError>,
    },
    /// A page of rollout records.
    RolloutsPage {
        /// Which read.
        generation: u64,
        /// The hub's answer.
        result: Result<Page, CliError>,
    },
    /// The rollout plans on this machine.
    LocalPlans(Result<Vec<LocalPlan>, CliError>),
    /// The dry-run line of a confirmation dialog.
    DryRun {
        /// The action it was built for.
        action: ActionKind,
        /// Its arguments.
        extra: Vec<String>,
        /// Its devices.
        devices: Vec<String>,
        /// The line, or why the call cannot be sent.
        result: Result<String, CliError>,
    },
    /// One device's action ended.
    ActionDone {
        /// Its entry in [`Model::actions`].
        index: usize,
        /// The outcome line, or the error.
        result: Result<String, CliError>,
    },
}

/// The dashboard's whole state.
#[derive(Debug)]
pub struct Model {
    /// The applied filter condition (`None`: every device).
    pub condition: Option<String>,
    /// Why the hub refused the last filter.
    pub filter_error: Option<FilterError>,
    /// Quick search over the loaded ids.
    pub search: String,
    /// The rows read so far, in the hub's order.
    pub rows: Vec<FleetRow>,
    /// The token for the next page, when there is one.
    pub continuation: Option<String>,
    /// A page is being read.
    pub loading: bool,
    /// The hub's counts for the condition.
    pub counts: Option<ConnectionCounts>,
    /// Sort column and whether descending; `None` keeps the hub's order.
    pub sort: Option<(Column, bool)>,
    /// The highlighted row, as an index into [`Model::visible`].
    pub selected: usize,
    /// First row shown.
    pub offset: usize,
    /// Marked devices (actions go to them when any).
    pub marked: BTreeSet<String>,
    /// The screen.
    pub screen: Screen,
    /// The open device's details.
    pub detail: Option<Detail>,
    /// The rollouts screen.
    pub rollouts: RolloutsView,
    /// The dialog over the screen.
    pub overlay: Option<Overlay>,
    /// Actions sent in this session, oldest first.
    pub actions: Vec<ActionRun>,
    /// The last problem with the hub.
    pub problem: Option<HubProblem>,
    /// The query budget.
    pub budget: Budget,
    /// Rows per page read.
    pub page_size: u32,
    /// Rows of the table on screen (set by the view from the terminal size).
    pub page_rows: usize,
    /// A refresh was due but the budget was spent: it runs when the budget allows.
    pub refresh_owed: bool,
    /// The current read.
    generation: u64,
    /// Ticks on the fleet screen so far.
    ticks: u64,
    /// Refreshes sent and not answered yet.
    refreshing: u32,
    /// Where the next background batch starts, among the rows not on screen.
    background_cursor: usize,
    /// Effects not yet taken by the runtime.
    effects: Vec<Effect>,
}

impl Model {
    /// A model over every device (or `condition`), reading `page_size` rows per page within
    /// `queries_per_minute`. Emits the first read.
    pub fn new(condition: Option<String>, page_size: u32, queries_per_minute: u32) -> Self {
        let mut model = Self {
            condition,
            filter_error: None,
            search: String::new(),
            rows: Vec::new(),
            continuation: None,
            loading: false,
            counts: None,
            sort: None,
            selected: 0,
            offset: 0,
            marked: BTreeSet::new(),
            screen: Screen::Fleet,
            detail: None,
            rollouts: RolloutsView::default(),
            overlay: None,
            actions: Vec::new(),
            problem: None,
            budget: Budget::new(queries_per_minute),
            page_size: page_size.clamp(1, iothub_client::MAX_PAGE_SIZE),
            page_rows: 10,
            refresh_owed: false,
            generation: 0,
            ticks: 0,
            refreshing: 0,
            background_cursor: 0,
            effects: Vec::new(),
        };
        model.reload(Instant::now());
        model
    }

    /// Takes the effects emitted so far.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// Indices into [`Model::rows`] of the rows shown: matching the quick search, sorted.
    pub fn visible(&self) -> Vec<usize> {
        let needle = self.search.to_lowercase();
        let mut indices: Vec<usize> = (0..self.rows.len())
            .filter(|&i| {
                needle.is_empty() || self.rows[i].device_id.to_lowercase().contains(&needle)
            })
            .collect();
        if let Some((column, descending)) = self.sort {
            indices.sort_by(|&a, &b| {
                let order = column.compare(&self.rows[a], &self.rows[b]);
                if descending { order.reverse() } else { order }
            });
        }
        indices
    }

    /// The highlighted device.
    pub fn selected_row(&self) -> Option<&FleetRow> {
        self.visible().get(self.selected).map(|&i| &self.rows[i])
    }

    /// The devices an action goes to: the marked ones, else the open or highlighted one.
    pub fn action_targets(&self) -> Vec<String> {
        if !self.marked.is_empty() {
            return self.marked.iter().cloned().collect();
        }
        match &self.screen {
            Screen::Device(id) => vec![id.clone()],
            Screen::Fleet => self
                .selected_row()
                .map(|r| vec![r.device_id.clone()])
                .unwrap_or_default(),
            Screen::Rollouts => Vec::new(),
        }
    }

    /// Whether every page has been read.
    pub fn complete(&self) -> bool {
        self.continuation.is_none() && !self.loading
    }

    /// Starts a new read (counts and first page) if the budget allows two queries.
    fn reload(&mut self, now: Instant) {
        if !self.budget.try_spend(2, now) {
            self.refresh_owed = true;
            return;
        }
        self.generation += 1;
        self.loading = true;
        self.continuation = None;
        self.effects.push(Effect::Reload {
            generation: self.generation,
            condition: self.condition.clone(),
            page_size: self.page_size,
        });
    }

    /// Reads the next page when the highlight is within a screen of the end of what is loaded.
    fn load_more_if_near_end(&mut self, now: Instant) {
        if self.loading || !self.search.is_empty() {
            return;
        }
        let Some(token) = self.continuation.clone() else {
            return;
        };
        if self.selected + self.page_rows * 2 < self.rows.len() {
            return;
        }
        if !self.budget.try_spend(1, now) {
            return;
        }
        self.loading = true;
        self.effects.push(Effect::LoadMore {
            generation: self.generation,
            condition: self.condition.clone(),
            continuation: token,
            page_size: self.page_size,
        });
    }

    /// The interval elapsed: refresh what is on screen, within the budget.
    pub fn on_tick(&mut self, now: Instant) {
        match &self.screen {
            Screen::Device(id) => {
                let id = id.clone();
                self.effects.push(Effect::LoadTwin(id));
            }
            // Nothing read yet (the first read failed, or the fleet was empty): read the first
            // page again rather than only counting, so the rows appear once the hub answers.
            Screen::Fleet if self.rows.is_empty() && self.filter_error.is_none() => {
                if !self.loading {
                    self.reload(now);
                }
            }
            Screen::Fleet => {
                self.refresh_visible(now);
                self.refresh_background(now);
            }
            Screen::Rollouts => self.read_rollouts(now),
        }
    }

    /// Opens the rollouts screen and reads the rollouts.
    pub fn open_rollouts(&mut self, now: Instant) {
        self.screen = Screen::Rollouts;
        self.rollouts.scroll = 0;
        self.read_rollouts(now);
    }

    /// Reads the rollouts again: the local plans, and the hub's records from the first page,
    /// or from the page a spent budget held back.
    fn read_rollouts(&mut self, now: Instant) {
        if self.rollouts.loading {
            return;
        }
        self.effects.push(Effect::LoadLocalPlans);
        let continuation = self.rollouts.owed.clone();
        if !self.budget.try_spend(1, now) {
            self.refresh_owed = true;
            return;
        }
        self.refresh_owed = false;
        if continuation.is_none() {
            self.rollouts.generation += 1;
            self.rollouts.partial.clear();
        }
        self.rollouts.owed = None;
        self.rollouts.loading = true;
        self.effects.push(Effect::LoadRollouts {
            generation: self.rollouts.generation,
            continuation,
        });
    }

    fn on_rollouts_page(&mut self, generation: u64, result: Result<Page, CliError>, now: Instant) {
        if generation != self.rollouts.generation {
            return;
        }
        self.rollouts.loading = false;
        let page = match result {
            Ok(page) => page,
            Err(err) => {
                // The read starts again from the top next time.
                self.rollouts.partial.clear();
                self.rollouts.owed = None;
                if err.exit() == Exit::Throttled {
                    self.problem = Some(HubProblem::Throttled);
                } else {
                    self.rollouts.error = Some(err.message().to_owned());
                }
                return;
            }
        };
        self.problem = None;
        rollouts::add_page(&mut self.rollouts.partial, &page.rows);
        if let Some(token) = page.continuation.filter(|_| !page.rows.is_empty()) {
            self.rollouts.owed = Some(token);
            // Within the budget, the next page at once; otherwise at the next tick.
            if self.budget.used(now) < self.budget.per_minute() {
                self.read_rollouts(now);
            }
        } else {
            self.rollouts.shown = rollouts::summarize(&self.rollouts.partial, &self.rollouts.local);
            self.rollouts.read = true;
            self.rollouts.error = None;
        }
    }

    fn refresh_visible(&mut self, now: Instant) {
        // A refused filter would be refused again: wait for the operator to fix it. A refresh
        // still in flight (a slow hub) is not doubled: its answer is as fresh as a new one.
        if self.loading || self.filter_error.is_some() || self.refreshing > 0 {
            return;
        }
        let ids: Vec<String> = self
            .visible()
            .into_iter()
            .skip(self.offset)
            .take(self.page_rows)
            .map(|i| self.rows[i].device_id.clone())
            .collect();
        let cost = if ids.is_empty() { 1 } else { 2 };
        if !self.budget.try_spend(cost, now) {
            self.refresh_owed = true;
            return;
        }
        self.refresh_owed = false;
        self.refreshing += 1;
        self.effects.push(Effect::Refresh {
            condition: self.condition.clone(),
            ids,
            counts: true,
        });
    }

    /// Every [`BACKGROUND_EVERY`] ticks, one query reads again a batch of the rows read but not
    /// on screen, round robin, when the budget has room after the rows on screen: those change
    /// on screen only when scrolled to, so they can be older.
    fn refresh_background(&mut self, now: Instant) {
        self.ticks += 1;
        if self.loading
            || self.filter_error.is_some()
            || self.refreshing > 1
            || !self.ticks.is_multiple_of(BACKGROUND_EVERY)
        {
            return;
        }
        let visible = self.visible();
        let on_screen: BTreeSet<usize> = visible
            .iter()
            .skip(self.offset)
            .take(self.page_rows)
            .copied()
            .collect();
        let off_screen: Vec<usize> = (0..self.rows.len())
            .filter(|i| !on_screen.contains(i))
            .collect();
        if off_screen.is_empty() {
            return;
        }
        let start = self.background_cursor % off_screen.len();
        let ids: Vec<String> = off_screen
            .iter()
            .cycle()
            .skip(start)
            .take(BACKGROUND_BATCH.min(off_screen.len()))
            .map(|&i| self.rows[i].device_id.clone())
            .collect();
        if !self.budget.try_spend(1, now) {
            return;
        }
        self.background_cursor = start + ids.len();
        self.refreshing += 1;
        self.effects.push(Effect::Refresh {
            condition: self.condition.clone(),
            ids,
            counts: false,
        });
    }

    /// A key was pressed.
    pub fn on_key(&mut self, key: KeyEvent, now: Instant) {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.effects.push(Effect::Quit);
            return;
        }
        if let Some(overlay) = self.overlay.take() {
            self.on_overlay_key(overlay, key, now);
            return;
        }
        match key.code {
            KeyCode::Char('q') => self.effects.push(Effect::Quit),
            KeyCode::Char('?') => self.overlay = Some(Overlay::Help),
            KeyCode::Char('/') => {
                self.overlay = Some(Overlay::Filter(self.condition.clone().unwrap_or_default()));
            }
            KeyCode::Char('f') => self.overlay = Some(Overlay::Search(self.search.clone())),
            KeyCode::Char('a') => {
                if !self.action_targets().is_empty() {
                    self.overlay = Some(Overlay::Actions(0));
                }
            }
            KeyCode::Char('r') => match &self.screen {
                Screen::Fleet => self.reload(now),
                Screen::Device(id) => {
                    let id = id.clone();
                    self.effects.push(Effect::LoadTwin(id));
                }
                Screen::Rollouts => self.read_rollouts(now),
            },
            KeyCode::Char('w') if self.screen != Screen::Rollouts => self.open_rollouts(now),
            _ => match self.screen {
                Screen::Fleet => self.on_fleet_key(key, now),
                Screen::Device(_) => self.on_device_key(key),
                Screen::Rollouts => self.on_rollouts_key(key),
            },
        }
    }

    fn on_fleet_key(&mut self, key: KeyEvent, now: Instant) {
        let count = self.visible().len();
        let last = count.saturating_sub(1);
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => self.selected = (self.selected + 1).min(last),
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::PageDown => self.selected = (self.selected + self.page_rows).min(last),
            KeyCode::PageUp => self.selected = self.selected.saturating_sub(self.page_rows),
            KeyCode::Home | KeyCode::Char('g') => self.selected = 0,
            KeyCode::End | KeyCode::Char('G') => self.selected = last,
            KeyCode::Char(' ') => {
                if let Some(id) = self.selected_row().map(|r| r.device_id.clone()) {
                    if !self.marked.remove(&id) {
                        self.marked.insert(id);
                    }
                    self.selected = (self.selected + 1).min(last);
                }
            }
            KeyCode::Char('s') => {
                self.sort = match self.sort {
                    None => Some((Column::ALL[0], false)),
                    Some((column, _)) => {
                        let at = Column::ALL.iter().position(|c| *c == column).unwrap_or(0);
                        Column::ALL.get(at + 1).map(|c| (*c, false))
                    }
                };
            }
            KeyCode::Char('S') => {
                if let Some((column, descending)) = self.sort {
                    self.sort = Some((column, !descending));
                }
            }
            KeyCode::Enter => {
                if let Some(id) = self.selected_row().map(|r| r.device_id.clone()) {
                    self.open(id);
                }
            }
            KeyCode::Esc => self.marked.clear(),
            _ => {}
        }
        self.scroll_into_view();
        self.load_more_if_near_end(now);
    }

    fn on_device_key(&mut self, key: KeyEvent) {
        let Some(detail) = self.detail.as_mut() else {
            return;
        };
        match key.code {
            KeyCode::Esc | KeyCode::Backspace | KeyCode::Left => {
                self.screen = Screen::Fleet;
                self.detail = None;
            }
            KeyCode::Down | KeyCode::Char('j') => detail.scroll = detail.scroll.saturating_add(1),
            KeyCode::Up | KeyCode::Char('k') => detail.scroll = detail.scroll.saturating_sub(1),
            KeyCode::PageDown => detail.scroll = detail.scroll.saturating_add(10),
            KeyCode::PageUp => detail.scroll = detail.scroll.saturating_sub(10),
            KeyCode::Home => detail.scroll = 0,
            _ => {}
        }
    }

    fn on_rollouts_key(&mut self, key: KeyEvent) {
        let scroll = &mut self.rollouts.scroll;
        match key.code {
            KeyCode::Esc | KeyCode::Backspace | KeyCode::Left => self.screen = Screen::Fleet,
            KeyCode::Down | KeyCode::Char('j') => *scroll = scroll.saturating_add(1),
            KeyCode::Up | KeyCode::Char('k') => *scroll = scroll.saturating_sub(1),
            KeyCode::PageDown => *scroll = scroll.saturating_add(10),
            KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
            KeyCode::Home => *scroll = 0,
            _ => {}
        }
    }

    /// Opens a device's view and reads its twin.
    pub fn open(&mut self, device_id: String) {
        self.screen = Screen::Device(device_id.clone());
        self.detail = Some(Detail {
            device_id: device_id.clone(),
            twin: None,
            error: None,
            scroll: 0,
        });
        self.effects.push(Effect::LoadTwin(device_id));
    }

    fn scroll_into_view(&mut self) {
        let rows = self.page_rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
    }

    fn on_overlay_key(&mut self, overlay: Overlay, key: KeyEvent, now: Instant) {
        match overlay {
            Overlay::Help => {}
            Overlay::Filter(mut input) => match key.code {
                KeyCode::Esc => {}
                KeyCode::Enter => {
                    self.condition = crate::fleet::bare_condition(&input).map(str::to_owned);
                    self.filter_error = None;
                    // The old condition's counts and rows must not stay next to the new one
                    // (nor under a refused one).
                    self.counts = None;
                    self.rows.clear();
                    self.continuation = None;
                    self.selected = 0;
                    self.offset = 0;
                    self.reload(now);
                }
                KeyCode::Backspace => {
                    input.pop();
                    self.overlay = Some(Overlay::Filter(input));
                }
                KeyCode::Char(c) => {
                    input.push(c);
                    self.overlay = Some(Overlay::Filter(input));
                }
                _ => self.overlay = Some(Overlay::Filter(input)),
            },
            Overlay::Search(mut input) => {
                match key.code {
                    KeyCode::Esc => {
                        self.search.clear();
                        return;
                    }
                    KeyCode::Enter => return,
                    KeyCode::Backspace => {
                        input.pop();
                    }
                    KeyCode::Char(c) => input.push(c),
                    _ => {}
                }
                // The search applies as it is typed.
                self.search.clone_from(&input);
                self.selected = 0;
                self.offset = 0;
                self.overlay = Some(Overlay::Search(input));
            }
            Overlay::Actions(index) => {
                let last = ActionKind::ALL.len() - 1;
                match key.code {
                    KeyCode::Esc => {}
                    KeyCode::Down | KeyCode::Char('j') => {
                        self.overlay = Some(Overlay::Actions((index + 1).min(last)));
                    }
                    KeyCode::Up | KeyCode::Char('k') => {
                        self.overlay = Some(Overlay::Actions(index.saturating_sub(1)));
                    }
                    KeyCode::Enter => self.choose(ActionKind::ALL[index]),
                    KeyCode::Char(c) => {
                        if let Some(action) = ActionKind::ALL.iter().find(|a| a.key() == c) {
                            self.choose(*action);
                        } else {
                            self.overlay = Some(Overlay::Actions(index));
                        }
                    }
                    _ => self.overlay = Some(Overlay::Actions(index)),
                }
            }
            Overlay::Arguments { action, mut input } => match key.code {
                KeyCode::Esc => {}
                KeyCode::Enter => {
                    let extra = action.arguments(&input);
                    self.confirm(action, extra);
                }
                KeyCode::Backspace => {
                    input.pop();
                    self.overlay = Some(Overlay::Arguments { action, input });
                }
                KeyCode::Char(c) => {
                    input.push(c);
                    self.overlay = Some(Overlay::Arguments { action, input });
                }
                _ => self.overlay = Some(Overlay::Arguments { action, input }),
            },
            Overlay::Confirm(mut confirm) => match key.code {
                KeyCode::Esc => {}
                KeyCode::Enter => {
                    if confirm.ready() {
                        self.send(confirm);
                    } else {
                        self.overlay = Some(Overlay::Confirm(confirm));
                    }
                }
                KeyCode::Char('y') if confirm.required().is_none() => {
                    if confirm.ready() {
                        self.send(confirm);
                    } else {
                        self.overlay = Some(Overlay::Confirm(confirm));
                    }
                }
                KeyCode::Char('n') if confirm.required().is_none() => {}
                KeyCode::Backspace => {
                    confirm.typed.pop();
                    self.overlay = Some(Overlay::Confirm(confirm));
                }
                KeyCode::Char(c) if confirm.required().is_some() => {
                    confirm.typed.push(c);
                    self.overlay = Some(Overlay::Confirm(confirm));
                }
                _ => self.overlay = Some(Overlay::Confirm(confirm)),
            },
        }
    }

    fn choose(&mut self, action: ActionKind) {
        if action.argument_hint().is_some() {
            self.overlay = Some(Overlay::Arguments {
                action,
                input: String::new(),
            });
        } else {
            self.confirm(action, Vec::new());
        }
    }

    fn confirm(&mut self, action: ActionKind, extra: Vec<String>) {
        let devices = self.action_targets();
        if devices.is_empty() {
            return;
        }
        let command_line = action.command_line(&extra, &devices);
        self.effects.push(Effect::DryRun {
            action,
            extra: extra.clone(),
            devices: devices.clone(),
        });
        self.overlay = Some(Overlay::Confirm(Confirm {
            action,
            extra,
            devices,
            command_line,
            dry_run: None,
            typed: String::new(),
        }));
    }

    fn send(&mut self, confirm: Confirm) {
        let first = self.actions.len();
        let now = Instant::now();
        for device_id in &confirm.devices {
            self.actions.push(ActionRun {
                device_id: device_id.clone(),
                label: confirm.action.label(&confirm.extra),
                state: ActionState::Running,
                started: now,
            });
        }
        self.effects.push(Effect::Run {
            action: confirm.action,
            extra: confirm.extra,
            devices: confirm.devices,
            first,
        });
        self.marked.clear();
    }

    /// A hub answer arrived.
    pub fn on_msg(&mut self, msg: Msg, now: Instant) {
        match msg {
            Msg::Counts { generation, result } => {
                if generation != self.generation {
                    return;
                }
                match result {
                    Ok(counts) => {
                        self.counts = Some(counts);
                        self.problem = None;
                    }
                    // A condition the hub refuses is reported by the page's answer, with the
                    // position counted in that query.
                    Err(err) if err.exit() == Exit::Usage => {}
                    Err(err) => self.hub_failed(&err),
                }
            }
            Msg::Page { generation, result } => {
                if generation != self.generation {
                    return;
                }
                self.loading = false;
                match result {
                    Ok(page) => {
                        let first = self.rows.is_empty() || self.continuation.is_none();
                        let fresh: Vec<FleetRow> =
                            page.rows.iter().map(FleetRow::from_projection).collect();
                        if first {
                            self.rows = fresh;
                        } else {
                            self.rows.extend(fresh);
                        }
                        self.continuation = page.continuation.filter(|_| !page.rows.is_empty());
                        self.problem = None;
                        self.selected = self.selected.min(self.visible().len().saturating_sub(1));
                        self.load_more_if_near_end(now);
                    }
                    Err(err) => self.hub_failed(&err),
                }
            }
            Msg::Refreshed(result) => {
                self.refreshing = self.refreshing.saturating_sub(1);
                match result {
                    Ok((rows, counts)) => {
                        if counts.is_some() {
                            self.counts = counts;
                        }
                        self.problem = None;
                        for row in rows.iter().map(FleetRow::from_projection) {
                            if let Some(old) =
                                self.rows.iter_mut().find(|r| r.device_id == row.device_id)
                            {
                                *old = row;
                            }
                        }
                    }
                    Err(err) => self.hub_failed(&err),
                }
            }
            Msg::Twin { device_id, result } => {
                let Some(detail) = self.detail.as_mut().filter(|d| d.device_id == device_id) else {
                    return;
                };
                match result {
                    Ok(twin) => {
                        if let Some(row) = self.rows.iter_mut().find(|r| r.device_id == device_id) {
                            row.connection_state = twin
                                .get("connectionState")
                                .and_then(Value::as_str)
                                .unwrap_or(&row.connection_state)
                                .to_owned();
                        }
                        detail.twin = Some(twin);
                        detail.error = None;
                    }
                    Err(err) => detail.error = Some(err.message().to_owned()),
                }
            }
            Msg::RolloutsPage { generation, result } => {
                self.on_rollouts_page(generation, result, now);
            }
            Msg::LocalPlans(result) => match result {
                Ok(local) => {
                    self.rollouts.local = local;
                    // The hub's side as last read, with the plans' fresh status.
                    let complete = self.rollouts.owed.is_none() && !self.rollouts.loading;
                    if self.rollouts.read && complete {
                        self.rollouts.shown =
                            rollouts::summarize(&self.rollouts.partial, &self.rollouts.local);
                    }
                }
                Err(err) => self.rollouts.error = Some(err.message().to_owned()),
            },
            Msg::DryRun {
                action,
                extra,
                devices,
                result,
            } => {
                // Only into the dialog it was built for: a late answer for a dialog closed
                // since must not make another one look checked.
                if let Some(Overlay::Confirm(confirm)) = self.overlay.as_mut()
                    && confirm.action == action
                    && confirm.extra == extra
                    && confirm.devices == devices
                {
                    confirm.dry_run = Some(result.map_err(|e| e.message().to_owned()));
                }
            }
            Msg::ActionDone { index, result } => {
                let Some(run) = self.actions.get_mut(index) else {
                    return;
                };
                run.state = match result {
                    Ok(summary) => ActionState::Succeeded(summary),
                    Err(err) => ActionState::Failed(err.message().to_owned()),
                };
                // Show what the action changed at once.
                let device_id = run.device_id.clone();
                match &self.screen {
                    Screen::Device(open) if *open == device_id => {
                        self.effects.push(Effect::LoadTwin(device_id));
                    }
                    _ => self.refresh_visible(now),
                }
            }
        }
    }

    fn hub_failed(&mut self, err: &CliError) {
        self.loading = false;
        if err.exit() == Exit::Throttled {
            self.problem = Some(HubProblem::Throttled);
            return;
        }
        let is_filter = err.exit() == Exit::Usage
            || err.message().to_ascii_lowercase().contains("syntax")
            || err.message().contains("400");
        if let (true, Some(condition)) = (is_filter, self.condition.as_deref()) {
            let (message, position) = crate::fleet::locate_in_condition(
                err.message(),
                &fleet::fleet_query(Some(condition)),
                condition,
            );
            self.filter_error = Some(FilterError { message, position });
            return;
        }
        self.problem = Some(HubProblem::Unreachable(err.message().to_owned()));
    }

    /// Queries spent in the last minute and the budget, for the status line.
    pub fn spend(&mut self, now: Instant) -> (u32, u32) {
        (self.budget.used(now), self.budget.per_minute())
    }
}
