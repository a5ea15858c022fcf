//! Drawing the model: the fleet table, the device view, the dialogs and the status line.
//!
//! Only the rows on screen are turned into widgets, whatever the number of devices read, so a
//! 10,000-device fleet draws as fast as a small one. Nothing here depends on colour: selection is
//! reverse video and states are words, so `NO_COLOR` (no colour at all) loses no information, and
//! the layout is planned for 80×24 first, with extra columns on wider terminals.

use std::fmt::Write as _;
use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Wrap};
use serde_json::Value;

use super::actions::ActionKind;
use super::fleet::{Compliance, ComplianceCounts, FleetRow, NO_DESIRED_STATE};
use super::model::{ActionState, Column, HubProblem, Model, Overlay, Screen};
use crate::cmd::twin::{DiffState, diff_sections};
use crate::printer::relative_time_from;

/// Colours, or none (`NO_COLOR`, or not wanted).
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// Whether to use colour at all.
    pub color: bool,
}

impl Theme {
    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    // Methods on the theme (not free functions) so every style a view uses comes from one place,
    // though emphasis does not depend on colour being on.
    #[allow(clippy::unused_self)]
    fn bold(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    #[allow(clippy::unused_self)]
    fn selected(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    fn compliance(self, c: Option<Compliance>) -> Style {
        match c {
            Some(Compliance::InSync) => self.fg(Color::Green),
            Some(Compliance::Pending) => self.fg(Color::Yellow),
            Some(Compliance::Drifted | Compliance::Failed) => self.fg(Color::Red),
            None => Style::default(),
        }
    }

    fn connection(self, connected: bool) -> Style {
        if connected {
            self.fg(Color::Green)
        } else {
            self.fg(Color::Red)
        }
    }
}

/// Terminals at least this wide get one compliance column per desired section.
const WIDE: u16 = 120;

/// Draws the whole screen; records how many table rows fit in the model (for paging).
pub fn render(frame: &mut Frame<'_>, model: &mut Model, theme: Theme, now: jiff::Timestamp) {
    let area = frame.area();
    let actions = recent_actions(model, 3);
    let [header, body, strip, status] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(u16::try_from(actions.len()).unwrap_or(3)),
        Constraint::Length(1),
    ])
    .areas(area);
    match model.screen.clone() {
        Screen::Fleet => {
            render_fleet_header(frame, model, theme, header);
            render_fleet(frame, model, theme, now, body);
        }
        Screen::Device(id) => {
            render_device_header(frame, model, theme, &id, header, now);
            render_device(frame, model, theme, now, body);
        }
        Screen::Rollouts => {
            render_rollouts_header(frame, model, theme, header);
            render_rollouts(frame, model, theme, body);
        }
    }
    let lines: Vec<Line<'_>> = actions
        .into_iter()
        .map(|(device, label, state)| action_line(theme, Some(&device), &label, &state))
        .collect();
    frame.render_widget(Paragraph::new(lines), strip);
    render_status(frame, model, theme, status);
    if let Some(overlay) = model.overlay.clone() {
        render_overlay(frame, model, theme, &overlay, area);
    }
}

fn recent_actions(model: &Model, n: usize) -> Vec<(String, String, ActionState)> {
    let skip = model.actions.len().saturating_sub(n);
    model
        .actions
        .iter()
        .skip(skip)
        .map(|a| (a.device_id.clone(), a.label.clone(), a.state.clone()))
        .collect()
}

/// `device: label: state · outcome`; without the device on the device's own screen.
fn action_line(
    theme: Theme,
    device: Option<&str>,
    label: &str,
    state: &ActionState,
) -> Line<'static> {
    let (word, style, text) = match state {
        ActionState::Running => ("running", theme.fg(Color::Yellow), ""),
        ActionState::Succeeded(s) => ("succeeded", theme.fg(Color::Green), s.as_str()),
        ActionState::Failed(s) => ("failed", theme.fg(Color::Red), s.as_str()),
    };
    // The outcome line often starts with the state itself (`succeeded (agent 1 -> 2)`): say it
    // once.
    let text = text
        .strip_prefix(word)
        .filter(|rest| rest.is_empty() || rest.starts_with([' ', ':', ',']))
        .map_or(text, |rest| rest.trim_start_matches([' ', ':', ',']));
    Line::from(vec![
        Span::raw(match device {
            Some(device) => format!("{device}: {label}: "),
            None => format!("  {label}: "),
        }),
        Span::styled(word, style.add_modifier(Modifier::BOLD)),
        Span::raw(if text.is_empty() {
            String::new()
        } else {
            format!(" · {text}")
        }),
    ])
}

fn render_fleet_header(frame: &mut Frame<'_>, model: &Model, theme: Theme, area: Rect) {
    let mut first = vec![Span::styled("dmctl dashboard", theme.bold())];
    match &model.counts {
        Some(c) => {
            first.push(Span::raw(format!(
                " · {} device{}: ",
                c.total,
                if c.total == 1 { "" } else { "s" }
            )));
            first.push(Span::styled(
                format!("{} connected", c.connected),
                theme.connection(true),
            ));
            first.push(Span::raw(", "));
            first.push(Span::styled(
                format!("{} disconnected", c.disconnected),
                theme.connection(false),
            ));
        }
        // A refused filter has nothing to count (the second line says why).
        None if model.filter_error.is_some() => {}
        None if model.problem.is_some() => first.push(Span::raw(" · not counted yet")),
        None => first.push(Span::raw(" · counting…")),
    }
    // Compliance is judged from the rows read (the hub counts only connection states), so the
    // counts say over how many.
    let counts = ComplianceCounts::of(&model.rows);
    let mut second = Vec::new();
    if !model.rows.is_empty() {
        second.push(Span::raw(format!("{} read: ", model.rows.len())));
        for (n, word) in counts.words() {
            let style = match word {
                w if w == NO_DESIRED_STATE => Style::default(),
                w if w == Compliance::InSync.label() => theme.compliance(Some(Compliance::InSync)),
                w if w == Compliance::Pending.label() => {
                    theme.compliance(Some(Compliance::Pending))
                }
                _ => theme.compliance(Some(Compliance::Failed)),
            };
            second.push(Span::styled(format!("{n} {word}"), style));
            second.push(Span::raw(", "));
        }
        second.pop();
        second.push(Span::raw(" · "));
    }
    second.push(Span::styled("filter ", theme.bold()));
    match &model.condition {
        Some(c) => second.push(Span::raw(format!("WHERE {c}"))),
        None => second.push(Span::raw("all devices")),
    }
    if !model.search.is_empty() {
        second.push(Span::raw(format!(" · find \"{}\"", model.search)));
    }
    if let Some(err) = &model.filter_error {
        second.push(Span::styled(
            format!(" · refused: {}", err.message),
            theme.fg(Color::Red),
        ));
    }
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}

/// The width of the device column and whether the per-section columns fit.
fn layout_widths(width: u16) -> (u16, bool) {
    let wide = width >= WIDE;
    // mark(2) + connection(11) activity(8) agent(9) boot(8) ops(9) busy(4) dm(7) + 8 gaps
    let fixed: u16 = 2 + 11 + 8 + 9 + 8 + 9 + 4 + 7 + 8 + if wide { 3 * 8 } else { 0 };
    (width.saturating_sub(fixed).clamp(8, 48), wide)
}

fn render_fleet(
    frame: &mut Frame<'_>,
    model: &mut Model,
    theme: Theme,
    now: jiff::Timestamp,
    area: Rect,
) {
    let visible = model.visible();
    // One line for the column headers.
    model.page_rows = usize::from(area.height.saturating_sub(1)).max(1);
    if model.selected >= model.offset + model.page_rows {
        model.offset = model.selected + 1 - model.page_rows;
    }
    if visible.is_empty() {
        let text = if model.loading {
            "reading the fleet…".to_owned()
        } else if let Some(problem) = &model.problem {
            // Not "no devices": nothing could be read.
            match problem {
                HubProblem::Throttled => {
                    "the hub throttled the read: it is tried again at the next refresh".to_owned()
                }
                HubProblem::Unreachable(_) => {
                    "cannot read the fleet (see below): it is tried again at the next refresh, r \
                     tries now"
                        .to_owned()
                }
            }
        } else if model.filter_error.is_some() {
            "the hub refused the filter: press / to fix it".to_owned()
        } else if !model.search.is_empty() {
            format!(
                "no device id loaded contains \"{}\" (f to change, esc in the search clears it)",
                model.search
            )
        } else if model.condition.is_some() {
            "no device matches the filter (/ to change it)".to_owned()
        } else {
            "the hub has no devices yet".to_owned()
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let (device_width, wide) = layout_widths(area.width);
    let mut titles: Vec<String> = vec![String::new()];
    for column in Column::ALL {
        let mut title = column.title().to_owned();
        if let Some((sorted, descending)) = model.sort
            && sorted == column
        {
            title.push(if descending { '↓' } else { '↑' });
        }
        titles.push(title);
    }
    if wide {
        titles.extend(["REBOOT", "UPDATES", "TIME"].map(str::to_owned));
    }
    let mut widths = vec![
        Constraint::Length(2),
        Constraint::Length(device_width),
        Constraint::Length(11),
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Length(4),
        Constraint::Length(7),
    ];
    if wide {
        widths.extend([Constraint::Length(8); 3]);
    }
    let rows: Vec<Row<'_>> = visible
        .iter()
        .enumerate()
        .skip(model.offset)
        .take(model.page_rows)
        .map(|(position, &index)| {
            let row = &model.rows[index];
            let marked = model.marked.contains(&row.device_id);
            let mut r = Row::new(fleet_cells(row, marked, device_width, wide, theme, now));
            if position == model.selected {
                r = r.style(theme.selected());
            }
            r
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(Row::new(titles).style(theme.bold()))
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn fleet_cells(
    row: &FleetRow,
    marked: bool,
    device_width: u16,
    wide: bool,
    theme: Theme,
    now: jiff::Timestamp,
) -> Vec<Cell<'static>> {
    let ago = |t: &Option<String>| {
        t.as_deref()
            .map_or_else(|| "never".to_owned(), |t| relative_time_from(t, now))
    };
    let short = |t: &Option<String>| ago(t).replace(" ago", "");
    let state = if row.connected() { "online" } else { "offline" };
    // The hub may not say since when (the local hub leaves it out before a first change).
    let connection = match &row.connection_since {
        Some(_) => format!("{state} {}", short(&row.connection_since)),
        None => state.to_owned(),
    };
    let agent = match (&row.agent_version, row.contract_version) {
        (Some(v), Some(c)) => format!("{v} v{c}"),
        (Some(v), None) => v.clone(),
        _ => "-".to_owned(),
    };
    let ops = match row.running.as_slice() {
        [] => "-".to_owned(),
        [one] => one.state.clone(),
        many => format!("{} ops", many.len()),
    };
    let busy = if row.leases.is_empty() {
        "-".to_owned()
    } else {
        row.leases.len().to_string()
    };
    let worst = row.worst();
    let mut cells = vec![
        Cell::from(if marked { "* " } else { "  " }),
        Cell::from(truncate(&row.device_id, usize::from(device_width))),
        Cell::from(connection).style(theme.connection(row.connected())),
        Cell::from(ago(&row.last_activity)),
        Cell::from(agent),
        Cell::from(ago(&row.last_boot)),
        Cell::from(ops),
        Cell::from(busy),
        Cell::from(worst.map_or("-", Compliance::label)).style(theme.compliance(worst)),
    ];
    if wide {
        for section in ["reboot", "updates", "time"] {
            let c = row.compliance.get(section).copied();
            cells.push(Cell::from(c.map_or("-", Compliance::label)).style(theme.compliance(c)));
        }
    }
    cells
}

/// `text` cut to `max` characters, with `…` when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn render_rollouts_header(frame: &mut Frame<'_>, model: &Model, theme: Theme, area: Rect) {
    let shown = &model.rollouts.shown;
    let active = shown.iter().filter(|r| r.active).count();
    let mut first = vec![Span::styled("dmctl dashboard · rollouts", theme.bold())];
    if model.rollouts.read {
        first.push(Span::raw(format!(
            " · {} found, {active} not finished",
            shown.len()
        )));
    }
    let mut second = vec![Span::raw(
        "from the devices' tags.dmRollouts and the plans on this machine",
    )];
    if let Some(error) = &model.rollouts.error {
        second = vec![Span::styled(
            format!("last read failed: {error}"),
            theme.fg(Color::Red),
        )];
    }
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}

fn render_rollouts(frame: &mut Frame<'_>, model: &Model, theme: Theme, area: Rect) {
    let view = &model.rollouts;
    if view.shown.is_empty() {
        let text = if view.read {
            "no rollout in the hub's tags or on this machine (dmctl rollout start … begins one)"
        } else {
            "reading the rollouts…"
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    // name, status(11) operation(op) wave(5) done(11) failed(6) and 5 gaps
    let op_width: usize = if area.width >= WIDE { 40 } else { 18 };
    let name_width = usize::from(area.width)
        .saturating_sub(11 + op_width + 5 + 11 + 6 + 5)
        .clamp(10, 48);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{:<name_width$} {:<11} {:<op_width$} {:<5} {:<11} {}",
            "ROLLOUT", "STATUS", "OPERATION", "WAVE", "SUCCEEDED", "FAILED"
        ),
        theme.bold(),
    ))];
    for rollout in &view.shown {
        let status_style = match rollout.status.as_str() {
            "completed" => theme.fg(Color::Green),
            "stopped" | "aborted" | "interrupted" => theme.fg(Color::Red),
            _ => theme.fg(Color::Yellow),
        };
        let wave = rollout.current_wave.map_or_else(
            || "done".to_owned(),
            |w| format!("{w}/{}", rollout.waves.len()),
        );
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{:<name_width$} ",
                truncate(&rollout.name, name_width)
            )),
            Span::styled(
                format!("{:<11} ", truncate(&rollout.status, 11)),
                status_style,
            ),
            Span::raw(format!(
                "{:<op_width$} {:<5} {:<11} {}",
                truncate(rollout.operation.as_deref().unwrap_or("-"), op_width),
                wave,
                format!("{}/{}", rollout.succeeded(), rollout.devices()),
                rollout.failed()
            )),
        ]));
        if let Some(reason) = &rollout.reason {
            lines.push(Line::from(format!("  {reason}")));
        }
        // A rollout finished cleanly is one line; one still going, or one with failures (a
        // stopped one above all), shows its waves and why devices failed.
        if !rollout.active && rollout.failed() == 0 {
            continue;
        }
        for w in &rollout.waves {
            let mut parts = Vec::new();
            for (n, word) in [
                (w.succeeded, "succeeded"),
                (w.sent, "sent"),
                (w.failed, "failed"),
                (w.pending, "pending"),
            ] {
                if n > 0 {
                    parts.push(format!("{n} {word}"));
                }
            }
            let current = if rollout.current_wave == Some(w.wave) {
                '▸'
            } else {
                ' '
            };
            let devices = format!(
                "{} device{}:",
                w.devices,
                if w.devices == 1 { "" } else { "s" }
            );
            lines.push(Line::from(format!(
                "  {current} wave {:<3} {devices:>14} {}",
                w.wave,
                if parts.is_empty() {
                    "-".to_owned()
                } else {
                    parts.join(", ")
                }
            )));
        }
        for failure in rollout.failures.iter().take(5) {
            lines.push(Line::from(Span::styled(
                format!(
                    "    failed {} (wave {}): {}",
                    failure.device_id, failure.wave, failure.reason
                ),
                theme.fg(Color::Red),
            )));
        }
        if rollout.failures.len() > 5 {
            lines.push(Line::from(format!(
                "    … {} more failed (dmctl rollout status {})",
                rollout.failures.len() - 5,
                rollout.name
            )));
        }
    }
    frame.render_widget(Paragraph::new(lines).scroll((view.scroll, 0)), area);
}

fn twin_row<'a>(model: &'a Model, id: &str) -> Option<&'a FleetRow> {
    model.rows.iter().find(|r| r.device_id == id)
}

fn render_device_header(
    frame: &mut Frame<'_>,
    model: &Model,
    theme: Theme,
    id: &str,
    area: Rect,
    now: jiff::Timestamp,
) {
    let twin = model.detail.as_ref().and_then(|d| d.twin.as_ref());
    let state = twin
        .and_then(|t| t.get("connectionState"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| twin_row(model, id).map(|r| r.connection_state.clone()))
        .unwrap_or_else(|| "?".to_owned());
    let reported = twin.and_then(dm_contract::reported_properties);
    let boot = reported
        .and_then(|r| r.pointer("/dm/reboot/lastBootTime"))
        .and_then(Value::as_str)
        .map_or_else(
            || "-".to_owned(),
            |t| format!("{t} ({})", relative_time_from(t, now)),
        );
    let agent = reported
        .and_then(|r| r.pointer("/dm/agent/version"))
        .and_then(Value::as_str)
        .unwrap_or("-");
    let first = Line::from(vec![
        Span::styled(format!("device {id}"), theme.bold()),
        Span::raw(" · "),
        Span::styled(
            state.clone(),
            theme.connection(state.eq_ignore_ascii_case("connected")),
        ),
        Span::raw(format!(" · agent {agent}")),
    ]);
    let second = Line::from(format!("last boot {boot}"));
    frame.render_widget(Paragraph::new(vec![first, second]), area);
}

fn render_device(
    frame: &mut Frame<'_>,
    model: &Model,
    theme: Theme,
    now: jiff::Timestamp,
    area: Rect,
) {
    let Some(detail) = &model.detail else {
        return;
    };
    let Some(twin) = &detail.twin else {
        let text = detail.error.as_ref().map_or_else(
            || "reading the twin…".to_owned(),
            |e| format!("cannot read the twin: {e}"),
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    };
    let lines = device_lines(model, twin, theme, now, area.width);
    frame.render_widget(Paragraph::new(lines).scroll((detail.scroll, 0)), area);
}

fn heading(theme: Theme, text: &str) -> Line<'static> {
    Line::from(Span::styled(
        text.to_owned(),
        theme.bold().add_modifier(Modifier::UNDERLINED),
    ))
}

fn device_lines(
    model: &Model,
    twin: &Value,
    theme: Theme,
    now: jiff::Timestamp,
    width: u16,
) -> Vec<Line<'static>> {
    let empty = Value::Null;
    let desired = dm_contract::desired_properties(twin)
        .and_then(|d| d.get("dm"))
        .unwrap_or(&empty);
    let reported_all = dm_contract::reported_properties(twin);
    let reported = reported_all.and_then(|r| r.get("dm")).unwrap_or(&empty);
    let mut lines = Vec::new();
    if let Some(error) = model.detail.as_ref().and_then(|d| d.error.as_ref()) {
        lines.push(Line::from(Span::styled(
            format!("last read failed: {error}"),
            theme.fg(Color::Red),
        )));
    }

    // Desired vs reported, for the desired paths (reported-only state is the device's own).
    lines.push(heading(theme, "desired vs reported (dm)"));
    let half = usize::from(width.saturating_sub(4) / 3).max(12);
    let diff: Vec<_> = diff_sections(desired, reported)
        .into_iter()
        .filter(|r| r.state != DiffState::ReportedOnly && !r.path.contains('$'))
        .collect();
    if diff.is_empty() {
        lines.push(Line::from("  no desired dm state"));
    }
    for row in diff {
        let (mark, style) = match row.state {
            DiffState::InSync => ("=", theme.fg(Color::Green)),
            DiffState::Differs => ("≠", theme.fg(Color::Red)),
            _ => ("?", theme.fg(Color::Yellow)),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::raw(format!("{:<w$} ", truncate(&row.path, half), w = half)),
            Span::raw(format!(
                "{:<w$} ",
                truncate(&compact(&row.desired), half),
                w = half
            )),
            Span::styled(truncate(&compact(&row.reported), half), style),
        ]));
    }

    lines.push(heading(theme, "operations"));
    let mut ops: Vec<(String, Value)> = Vec::new();
    if let Value::Object(sections) = reported {
        for (name, section) in sections {
            if let Some(Value::Object(map)) = section.get("operations") {
                for op in map.values() {
                    ops.push((name.clone(), op.clone()));
                }
            }
        }
    }
    let requested = |op: &Value| {
        op.get("requestedAt")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    ops.sort_by_key(|(_, op)| std::cmp::Reverse(requested(op)));
    if ops.is_empty() {
        lines.push(Line::from("  none reported"));
    }
    for (section, op) in ops.iter().take(12) {
        let text = |k: &str| op.get(k).and_then(Value::as_str).unwrap_or("-").to_owned();
        let state = text("state");
        let style = match state.as_str() {
            "succeeded" => theme.fg(Color::Green),
            "failed" | "rejected" => theme.fg(Color::Red),
            _ => theme.fg(Color::Yellow),
        };
        let when = |k: &str| {
            op.get(k)
                .and_then(Value::as_str)
                .map_or_else(|| "-".to_owned(), |t| relative_time_from(t, now))
        };
        let mut spans = vec![
            Span::raw(format!("  {section:<12} {:<18} ", text("op"))),
            Span::styled(format!("{state:<9}"), style),
            Span::raw(format!(
                " requested {} finished {}",
                when("requestedAt"),
                when("finishedAt")
            )),
        ];
        if let Some(error) = op.get("error") {
            spans.push(Span::styled(
                format!(" · {}", compact(error.get("message").unwrap_or(error))),
                theme.fg(Color::Red),
            ));
        } else if let Some(result) = op.get("result") {
            spans.push(Span::raw(format!(" · {}", truncate(&compact(result), 60))));
        }
        lines.push(Line::from(spans));
        lines.push(Line::from(format!("    id {}", text("id"))));
    }

    lines.push(heading(theme, "manifest"));
    match reported.get("agent") {
        Some(agent) => {
            let version = agent.get("version").map_or_else(|| "-".to_owned(), compact);
            let contract = agent
                .get("contractVersion")
                .map_or_else(|| "-".to_owned(), compact);
            lines.push(Line::from(format!(
                "  agent {version}, contract v{contract}"
            )));
            let list = |k: &str| {
                agent
                    .get(k)
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .unwrap_or_default()
            };
            lines.push(Line::from(format!("  sections: {}", list("sections"))));
            lines.push(Line::from(format!("  methods: {}", list("methods"))));
            if let Some(Value::Object(providers)) = agent.get("providers") {
                let text: Vec<String> = providers
                    .iter()
                    .map(|(name, p)| {
                        let backend = p.get("backend").and_then(Value::as_str).unwrap_or("?");
                        let active = p.get("active").and_then(Value::as_bool).unwrap_or(false);
                        format!("{name}={backend}{}", if active { "" } else { "(off)" })
                    })
                    .collect();
                lines.push(Line::from(format!("  providers: {}", text.join(" "))));
            }
        }
        None => lines.push(Line::from("  no dm agent manifest reported")),
    }

    lines.push(heading(theme, "busy leases"));
    match reported.pointer("/busy/leases").and_then(Value::as_array) {
        Some(leases) if !leases.is_empty() => {
            for lease in leases {
                let text = |k: &str| {
                    lease
                        .get(k)
                        .and_then(Value::as_str)
                        .unwrap_or("-")
                        .to_owned()
                };
                lines.push(Line::from(format!(
                    "  {} · {} · ends {}",
                    text("holder"),
                    text("reason"),
                    relative_time_from(&text("expiresAt"), now)
                )));
            }
        }
        _ => lines.push(Line::from("  none")),
    }

    lines.push(heading(theme, "method results (this session)"));
    let id = model.detail.as_ref().map_or("", |d| d.device_id.as_str());
    let mine: Vec<_> = model.actions.iter().filter(|a| a.device_id == id).collect();
    if mine.is_empty() {
        lines.push(Line::from("  none yet (a: actions)"));
    }
    for run in mine.iter().rev().take(5) {
        lines.push(action_line(theme, None, &run.label, &run.state));
    }

    lines.push(heading(theme, "tags"));
    match twin.get("tags") {
        Some(Value::Object(tags)) if !tags.is_empty() => {
            for (key, value) in tags {
                lines.push(Line::from(format!(
                    "  {key}: {}",
                    truncate(&compact(value), 70)
                )));
            }
        }
        _ => lines.push(Line::from("  none")),
    }
    lines
}

/// A JSON value on one line: strings bare, the rest compact JSON.
fn compact(value: &Value) -> String {
    match value {
        Value::Null => "-".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn render_status(frame: &mut Frame<'_>, model: &mut Model, theme: Theme, area: Rect) {
    let (used, budget) = model.spend(Instant::now());
    let mut parts: Vec<String> = Vec::new();
    if matches!(model.screen, Screen::Fleet) {
        let total = model.counts.as_ref().map(|c| c.total);
        let loaded = model.rows.len();
        let mut text = match total {
            Some(total) if model.complete() => format!("{loaded} of {total}"),
            Some(total) => format!("{loaded} of {total} read"),
            None => format!("{loaded} read"),
        };
        if !model.marked.is_empty() {
            let _ = write!(text, " · {} marked", model.marked.len());
        }
        parts.push(text);
    }
    if model.screen == Screen::Rollouts && model.rollouts.loading {
        parts.push("reading rollouts…".to_owned());
    }
    let mut spend = format!("queries {used}/{budget} a min");
    if model.refresh_owed {
        spend.push_str(" (budget spent, refresh waits)");
    }
    parts.push(spend);
    let rest = parts.join(" · ");
    let keys = " · ? help · q quit";
    // The problem takes the room left, so the spend stays visible on 80 columns.
    let room = usize::from(area.width)
        .saturating_sub(rest.chars().count() + keys.chars().count() + 3)
        .max(16);
    let problem = match &model.problem {
        Some(HubProblem::Throttled) => Some("hub throttled: waiting".to_owned()),
        Some(HubProblem::Unreachable(message)) => {
            Some(truncate(&format!("hub unreachable: {message}"), room))
        }
        None => None,
    };
    let mut spans = Vec::new();
    if let Some(problem) = problem {
        spans.push(Span::styled(
            problem,
            theme.fg(Color::Red).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(" · "));
    }
    spans.push(Span::raw(rest));
    spans.push(Span::styled(keys, theme.fg(Color::DarkGray)));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A box of `width`×`height` centred in `area` (clipped to it).
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

fn dialog(frame: &mut Frame<'_>, area: Rect, title: &str, lines: Vec<Line<'static>>) {
    let width = area.width.saturating_sub(4).min(76);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false }).block(
        Block::default()
            .borders(Borders::ALL)
            .title(format!(" {title} ")),
    );
    // As tall as the lines once wrapped (with the borders): a long message must not push the
    // dialog's last line (its keys) out of sight. `line_count` adds the block's top and bottom
    // but wraps at the width it is given, so it gets the width inside the side borders.
    let height = u16::try_from(paragraph.line_count(width.saturating_sub(2))).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(paragraph, rect);
}

fn render_overlay(
    frame: &mut Frame<'_>,
    model: &Model,
    theme: Theme,
    overlay: &Overlay,
    area: Rect,
) {
    match overlay {
        Overlay::Help => {
            let keys = [
                (
                    "↑ ↓ j k, PgUp PgDn",
                    "move (more devices are read as you go)",
                ),
                ("enter", "open the device"),
                ("esc", "back to the fleet / clear marks"),
                ("space", "mark or unmark a device"),
                ("a", "actions on the marked or selected devices"),
                ("/", "filter with an IoT Hub query condition"),
                ("f", "find: quick search over the device ids read"),
                ("s / S", "sort by the next column / reverse"),
                ("w", "rollouts and their waves (esc: back)"),
                ("r", "refresh now"),
                ("q", "quit"),
            ];
            let lines = keys
                .iter()
                .map(|(k, what)| {
                    Line::from(vec![
                        Span::styled(format!("{k:<20}"), theme.bold()),
                        Span::raw(*what),
                    ])
                })
                .collect();
            dialog(frame, area, "keys (any key closes)", lines);
        }
        Overlay::Filter(input) => {
            let mut lines = vec![
                Line::from(
                    "WHERE condition, e.g. tags.site = 'lab' AND connectionState = 'Connected'",
                ),
                Line::from(vec![
                    Span::styled("WHERE ", theme.bold()),
                    Span::raw(format!("{input}_")),
                ]),
            ];
            if let Some(err) = &model.filter_error {
                if let Some(position) = err.position {
                    lines.push(Line::from(Span::styled(
                        format!("{}^", " ".repeat(6 + position)),
                        theme.fg(Color::Red),
                    )));
                }
                lines.push(Line::from(Span::styled(
                    err.message.clone(),
                    theme.fg(Color::Red),
                )));
            }
            lines.push(Line::from(
                "enter applies (empty: every device) · esc cancels",
            ));
            dialog(frame, area, "filter", lines);
        }
        Overlay::Search(input) => {
            let lines = vec![
                Line::from(vec![
                    Span::styled("find ", theme.bold()),
                    Span::raw(format!("{input}_")),
                ]),
                Line::from(
                    "matches the device ids read so far as you type · enter keeps · esc clears",
                ),
            ];
            dialog(frame, area, "find", lines);
        }
        Overlay::Actions(index) => {
            let targets = model.action_targets();
            let mut lines = vec![Line::from(match targets.as_slice() {
                [one] => format!("on {one}"),
                many => format!("on {} marked devices", many.len()),
            })];
            for (i, action) in ActionKind::ALL.iter().enumerate() {
                let style = if i == *index {
                    theme.selected()
                } else {
                    Style::default()
                };
                lines.push(Line::from(Span::styled(
                    format!(" {}  {}", action.key(), action.title()),
                    style,
                )));
            }
            lines.push(Line::from("key or enter chooses · esc cancels"));
            dialog(frame, area, "actions", lines);
        }
        Overlay::Arguments { action, input } => {
            let lines = vec![
                Line::from(format!(
                    "{}: {}",
                    action.title(),
                    action.argument_hint().unwrap_or("")
                )),
                Line::from(format!("{input}_")),
                Line::from("enter goes on · esc cancels"),
            ];
            dialog(frame, area, "arguments", lines);
        }
        Overlay::Confirm(confirm) => {
            let count = confirm.devices.len();
            let mut lines = vec![
                Line::from(format!(
                    "{} on {count} device{}:",
                    confirm.action.title(),
                    if count == 1 { "" } else { "s" }
                )),
                Line::from(Span::styled(confirm.command_line.clone(), theme.bold())),
                Line::from("sends:"),
            ];
            match &confirm.dry_run {
                None => lines.push(Line::from("  (checking the device…)")),
                Some(Ok(line)) => lines.push(Line::from(format!("  {line}"))),
                Some(Err(message)) => lines.push(Line::from(Span::styled(
                    format!("  cannot send: {message}"),
                    theme.fg(Color::Red),
                ))),
            }
            if count > 1 {
                lines.push(Line::from(format!(
                    "  (the same to each of the {count} devices)"
                )));
            }
            match confirm.required() {
                Some(required) => {
                    let what = if count == 1 {
                        "the device id"
                    } else {
                        "the number of devices"
                    };
                    lines.push(Line::from(format!(
                        "disruptive: type {what} ({required}) and press enter"
                    )));
                    lines.push(Line::from(format!("> {}_", confirm.typed)));
                }
                None => lines.push(Line::from("y or enter sends · n or esc cancels")),
            }
            dialog(frame, area, "confirm", lines);
        }
    }
}
