//! The one owner of stdout, stderr and progress display.
//!
//! Every command writes through a [`Printer`] so the output rules hold everywhere without each
//! command re-implementing them: stdout carries only data (a table for people, one JSON
//! document or JSON lines for programs); messages, progress and errors go to stderr with the
//! `dmctl:` prefix; colour and progress appear only on a terminal (and never with
//! `--output json`); writes never panic on a closed pipe (the error travels up and `main`
//! turns it into exit 0).

use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use comfy_table::{Cell, ContentArrangement, Table, presets};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use serde_json::Value;

use crate::env_vars;
use crate::exit::CliError;

/// The `--output` formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// Tables and text for people.
    #[default]
    Table,
    /// One JSON document on stdout.
    Json,
    /// One JSON value per line (per item, or per device for fleet commands).
    Jsonl,
}

/// How chatty stderr is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    /// `-q`: errors only.
    Quiet,
    /// Errors, warnings and short status messages.
    Normal,
    /// `-v` (or more): also details such as hub tracking ids.
    Verbose(u8),
}

/// The terminal facts a printer depends on, detected once at start-up.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    /// stdout is a terminal.
    pub stdout_tty: bool,
    /// stderr is a terminal.
    pub stderr_tty: bool,
    /// `NO_COLOR` is set to something non-empty.
    pub no_color: bool,
    /// The terminal's width in columns, when stdout is a terminal that reports one. Some
    /// terminals (serial consoles, some CI runners) report 0, which is treated as unknown.
    pub columns: Option<u16>,
}

impl Terminal {
    /// Detects the real terminal.
    pub fn detect() -> Self {
        let stdout_tty = io::stdout().is_terminal();
        Self {
            stdout_tty,
            stderr_tty: io::stderr().is_terminal(),
            no_color: std::env::var_os(env_vars::NO_COLOR).is_some_and(|v| !v.is_empty()),
            columns: if stdout_tty {
                Table::new().width()
            } else {
                None
            },
        }
    }
}

/// Where one of a printer's streams goes.
#[derive(Debug, Clone, Default)]
enum Sink {
    /// The process's own stdout or stderr.
    #[default]
    Process,
    /// A buffer: a command run in-process by a test ([`Printer::capturing`]).
    Buffer(Arc<Mutex<Vec<u8>>>),
}

impl Sink {
    /// Writes `parts` in one go; `stdout` picks the process stream.
    fn write(&self, stdout: bool, parts: &[&[u8]]) -> io::Result<()> {
        match self {
            Self::Process if stdout => write_all(&mut io::stdout().lock(), parts),
            Self::Process => write_all(&mut io::stderr().lock(), parts),
            Self::Buffer(buffer) => {
                let mut buffer = buffer.lock().unwrap_or_else(PoisonError::into_inner);
                for part in parts {
                    buffer.extend_from_slice(part);
                }
                Ok(())
            }
        }
    }

    fn text(&self) -> String {
        match self {
            Self::Process => String::new(),
            Self::Buffer(buffer) => {
                String::from_utf8_lossy(&buffer.lock().unwrap_or_else(PoisonError::into_inner))
                    .into_owned()
            }
        }
    }
}

fn write_all(out: &mut impl Write, parts: &[&[u8]]) -> io::Result<()> {
    for part in parts {
        out.write_all(part)?;
    }
    out.flush()
}

/// What a [`Printer::capturing`] printer wrote, readable while and after the command runs.
#[derive(Debug, Clone)]
pub struct Captured {
    stdout: Sink,
    stderr: Sink,
}

impl Captured {
    /// Everything written to stdout so far.
    pub fn stdout(&self) -> String {
        self.stdout.text()
    }

    /// Everything written to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.text()
    }
}

/// Writes data to stdout and messages, errors and progress to stderr.
#[derive(Debug)]
pub struct Printer {
    /// The `--output` format.
    format: OutputFormat,
    /// `-q` / `-v`.
    verbosity: Verbosity,
    /// Terminal facts from start-up.
    terminal: Terminal,
    /// Whether spinners and bars may be drawn.
    progress: bool,
    /// Every progress bar is added here, so stdout writes can suspend them cleanly.
    multi: MultiProgress,
    /// Where data goes.
    stdout: Sink,
    /// Where messages and errors go.
    stderr: Sink,
}

impl Printer {
    /// A printer for the given options. Progress is drawn only when stderr is a terminal,
    /// `--no-progress` was not given and the output is not a single JSON document.
    pub fn new(
        format: OutputFormat,
        verbosity: Verbosity,
        no_progress: bool,
        terminal: Terminal,
    ) -> Self {
        let progress = terminal.stderr_tty
            && !no_progress
            && format != OutputFormat::Json
            && verbosity != Verbosity::Quiet;
        let target = if progress {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        Self {
            format,
            verbosity,
            terminal,
            progress,
            multi: MultiProgress::with_draw_target(target),
            stdout: Sink::Process,
            stderr: Sink::Process,
        }
    }

    /// A printer whose stdout and stderr go to buffers instead of the process's streams, as
    /// when they are not terminals (no colour, no progress): a test runs a command in-process
    /// through [`crate::run`] and reads what it printed from the [`Captured`].
    pub fn capturing(format: OutputFormat, verbosity: Verbosity) -> (Self, Captured) {
        let terminal = Terminal {
            stdout_tty: false,
            stderr_tty: false,
            no_color: true,
            columns: None,
        };
        let mut printer = Self::new(format, verbosity, true, terminal);
        let captured = Captured {
            stdout: Sink::Buffer(Arc::default()),
            stderr: Sink::Buffer(Arc::default()),
        };
        printer.stdout = captured.stdout.clone();
        printer.stderr = captured.stderr.clone();
        (printer, captured)
    }

    /// The `--output` format.
    pub fn format(&self) -> OutputFormat {
        self.format
    }

    /// `-q` / `-v`.
    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    /// Whether `-v` was given.
    pub fn is_verbose(&self) -> bool {
        matches!(self.verbosity, Verbosity::Verbose(_))
    }

    /// Whether stdout is a terminal.
    pub fn stdout_is_tty(&self) -> bool {
        self.terminal.stdout_tty
    }

    /// Whether stderr is a terminal (for interactive prompts).
    pub fn stderr_is_tty(&self) -> bool {
        self.terminal.stderr_tty
    }

    fn stderr_color(&self) -> bool {
        self.terminal.stderr_tty && !self.terminal.no_color
    }

    /// Writes `text` plus a newline to stdout (suspending progress bars meanwhile).
    pub fn line(&self, text: &str) -> io::Result<()> {
        self.multi
            .suspend(|| self.stdout.write(true, &[text.as_bytes(), b"\n"]))
    }

    /// Writes `bytes` to stdout as they are (a generated script, a downloaded file).
    pub fn raw(&self, bytes: &[u8]) -> io::Result<()> {
        self.multi.suspend(|| self.stdout.write(true, &[bytes]))
    }

    /// Writes `value` as one pretty JSON document.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> io::Result<()> {
        let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
        self.line(&text)
    }

    /// Writes `value` as one compact JSON line.
    pub fn json_line<T: Serialize + ?Sized>(&self, value: &T) -> io::Result<()> {
        let text = serde_json::to_string(value).map_err(io::Error::other)?;
        self.line(&text)
    }

    /// Prints one object: a JSON document (`json`), one line (`jsonl`) or `table()`'s table.
    pub fn object<T: Serialize + ?Sized>(
        &self,
        value: &T,
        table: impl FnOnce() -> Table,
    ) -> io::Result<()> {
        match self.format {
            OutputFormat::Json => self.json(value),
            OutputFormat::Jsonl => self.json_line(value),
            OutputFormat::Table => self.table(&table()),
        }
    }

    /// Prints a JSON-shaped result in every format: compact in `jsonl`, pretty otherwise
    /// (for results such as a method's answer, whose shape has no natural table).
    pub fn document<T: Serialize + ?Sized>(&self, value: &T) -> io::Result<()> {
        match self.format {
            OutputFormat::Jsonl => self.json_line(value),
            OutputFormat::Json | OutputFormat::Table => self.json(value),
        }
    }

    /// Prints a list: a JSON array (`json`), one line per item (`jsonl`) or `table()`'s table.
    pub fn list<T: Serialize>(
        &self,
        items: &[T],
        table: impl FnOnce(&[T]) -> Table,
    ) -> io::Result<()> {
        match self.format {
            OutputFormat::Json => self.json(items),
            OutputFormat::Jsonl => items.iter().try_for_each(|item| self.json_line(item)),
            OutputFormat::Table => self.table(&table(items)),
        }
    }

    /// A table with `headers`, styled for where stdout goes: borders on a terminal, plain
    /// aligned columns (easy to `grep`/`awk`) otherwise.
    pub fn new_table<I, S>(&self, headers: I) -> Table
    where
        I: IntoIterator<Item = S>,
        S: Into<Cell>,
    {
        let mut table = self.styled_table();
        table.set_header(headers);
        self.pad_plain(&mut table);
        table
    }

    /// A two-column table of `field: value` pairs (one object shown for people).
    pub fn fields_table<K: AsRef<str>>(
        &self,
        rows: impl IntoIterator<Item = (K, String)>,
    ) -> Table {
        let mut table = self.styled_table();
        for (field, value) in rows {
            table.add_row([field.as_ref().to_owned(), value]);
        }
        self.pad_plain(&mut table);
        table
    }

    fn styled_table(&self) -> Table {
        let mut table = Table::new();
        if self.terminal.stdout_tty {
            table.load_style(presets::UTF8_BORDERS_ONLY);
            match self.terminal.columns {
                // Wrap to the terminal's width.
                Some(columns) if columns > 0 => {
                    table
                        .set_width(columns)
                        .set_content_arrangement(ContentArrangement::Dynamic);
                }
                // A width of 0 (or none) would squeeze every cell to one character per line.
                _ => {
                    table.set_content_arrangement(ContentArrangement::Disabled);
                }
            }
        } else {
            table
                .load_style(presets::NOTHING)
                .force_no_tty()
                .set_content_arrangement(ContentArrangement::Disabled);
        }
        table
    }

    /// Plain tables: no padding before the first column, two spaces between columns.
    fn pad_plain(&self, table: &mut Table) {
        if self.terminal.stdout_tty {
            return;
        }
        let columns = table.column_count();
        for (index, column) in table.column_iter_mut().enumerate() {
            let right = if index + 1 == columns { 0 } else { 2 };
            column.set_padding((0, right));
        }
    }

    /// Writes a table to stdout. Plain tables lose trailing spaces.
    pub fn table(&self, table: &Table) -> io::Result<()> {
        if self.terminal.stdout_tty {
            self.line(&table.to_string())
        } else {
            self.line(&table.trim_fmt())
        }
    }

    /// `dmctl: message` on stderr, unless `-q`.
    pub fn info(&self, message: impl AsRef<str>) {
        if self.verbosity != Verbosity::Quiet {
            self.stderr_line(&format!("dmctl: {}", message.as_ref()));
        }
    }

    /// `dmctl: message` on stderr, only with `-v`.
    pub fn detail(&self, message: impl AsRef<str>) {
        if self.is_verbose() {
            self.stderr_line(&format!("dmctl: {}", message.as_ref()));
        }
    }

    /// `dmctl: warning: message` on stderr, unless `-q`.
    pub fn warn(&self, message: impl AsRef<str>) {
        if self.verbosity != Verbosity::Quiet {
            let prefix = self.paint("dmctl: warning:", "33;1");
            self.stderr_line(&format!("{prefix} {}", message.as_ref()));
        }
    }

    /// The error lines: `dmctl: message`, then `hint: ...`, then (with `-v`) the tracking id.
    /// With `-o json`/`jsonl` the error is one JSON object on one line instead
    /// ([`CliError::to_json`]), so a script reading JSON gets JSON on both streams.
    pub fn error(&self, error: &CliError) {
        if self.format != OutputFormat::Table {
            self.stderr_line(&error.to_json().to_string());
            return;
        }
        let prefix = self.paint("dmctl:", "31;1");
        self.stderr_line(&format!("{prefix} {}", error.message()));
        if let Some(hint) = error.hint() {
            let label = self.paint("hint:", "36;1");
            self.stderr_line(&format!("{label} {hint}"));
        }
        if self.is_verbose() {
            if let Some(id) = error.tracking_id() {
                self.stderr_line(&format!("dmctl: hub tracking id: {id}"));
            }
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                self.stderr_line(&format!("dmctl: caused by: {cause}"));
                source = cause.source();
            }
        }
    }

    /// Wraps `text` in an ANSI style when stderr takes colour.
    fn paint(&self, text: &str, sgr: &str) -> String {
        if self.stderr_color() {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn stderr_line(&self, text: &str) {
        self.multi.suspend(|| {
            // Nothing sensible is left to do when stderr itself is gone.
            let _ = self.stderr.write(false, &[text.as_bytes(), b"\n"]);
        });
    }

    /// A spinner with `message` on stderr; invisible when progress is off.
    pub fn spinner(&self, message: impl Into<String>) -> ProgressBar {
        if !self.progress {
            return ProgressBar::hidden();
        }
        let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let bar = self
            .multi
            .add(ProgressBar::new_spinner().with_style(style))
            .with_message(message.into());
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }

    /// A bar of `len` steps on stderr; invisible when progress is off.
    pub fn bar(&self, len: u64) -> ProgressBar {
        if !self.progress {
            return ProgressBar::hidden();
        }
        let style = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        let bar = self.multi.add(ProgressBar::new(len).with_style(style));
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }
}

/// A hub timestamp in tables: relative to now ("5m ago", "in 2h"), or "never" for the hub's
/// zero time. Text that is not a timestamp is shown as it is.
pub fn relative_time(text: &str) -> String {
    relative_time_from(text, jiff::Timestamp::now())
}

/// [`relative_time`] against a given `now` (for tests).
pub fn relative_time_from(text: &str, now: jiff::Timestamp) -> String {
    let Some(time) = parse_timestamp(text) else {
        return if is_zero_time(text) {
            "never".to_owned()
        } else {
            text.to_owned()
        };
    };
    let seconds = now.as_second() - time.as_second();
    let (magnitude, future) = (seconds.unsigned_abs(), seconds < 0);
    if magnitude < 5 {
        return "just now".to_owned();
    }
    let amount = match magnitude {
        m if m < 60 => format!("{m}s"),
        m if m < 3600 => format!("{}m", m / 60),
        m if m < 86_400 => format!("{}h", m / 3600),
        m => format!("{}d", m / 86_400),
    };
    if future {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

/// A hub timestamp for JSON output: RFC 3339 in UTC, `null` for the hub's zero time, and the
/// original text when it does not parse (never dropped).
pub fn rfc3339(text: &str) -> Value {
    match parse_timestamp(text) {
        Some(time) => Value::String(time.to_string()),
        None if is_zero_time(text) => Value::Null,
        None => Value::String(text.to_owned()),
    }
}

/// The hub writes "never" as year 1, with or without a `Z`.
fn is_zero_time(text: &str) -> bool {
    text.starts_with("0001-01-01")
}

/// Parses the hub's timestamps: RFC 3339, or a civil time without offset (which the hub
/// means as UTC). Year 1 counts as "no time".
fn parse_timestamp(text: &str) -> Option<jiff::Timestamp> {
    if is_zero_time(text) {
        return None;
    }
    let text = text.trim();
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(ts);
    }
    let civil: jiff::civil::DateTime = text.parse().ok()?;
    civil
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// A JSON value for a table cell: strings bare, `null` as `-`, everything else compact JSON,
/// cut at `max` characters so one big object does not blow up a table.
pub fn cell_text(value: &Value, max: usize) -> String {
    let text = match value {
        Value::Null => "-".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > max {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> jiff::Timestamp {
        "2026-01-01T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_capturing_printer_keeps_data_and_messages_apart() {
        let (printer, captured) = Printer::capturing(OutputFormat::Table, Verbosity::Normal);
        printer.line("data").unwrap();
        printer.info("working");
        printer.detail("only with -v");
        printer.error(&CliError::usage("bad").with_hint("do better"));
        printer.raw(b"raw").unwrap();
        assert_eq!(captured.stdout(), "data\nraw");
        assert_eq!(
            captured.stderr(),
            "dmctl: working\ndmctl: bad\nhint: do better\n"
        );
    }

    #[test]
    fn relative_times_read_naturally() {
        assert_eq!(
            relative_time_from("2026-01-01T11:59:58Z", now()),
            "just now"
        );
        assert_eq!(relative_time_from("2026-01-01T11:59:30Z", now()), "30s ago");
        assert_eq!(relative_time_from("2026-01-01T11:55:00Z", now()), "5m ago");
        assert_eq!(
            relative_time_from("2026-01-01T09:00:00.1234567Z", now()),
            "3h ago"
        );
        assert_eq!(relative_time_from("2025-12-30T12:00:00Z", now()), "2d ago");
        assert_eq!(relative_time_from("2026-01-01T14:00:00Z", now()), "in 2h");
        // The hub's civil form means UTC.
        assert_eq!(relative_time_from("2026-01-01T11:00:00", now()), "1h ago");
        assert_eq!(relative_time_from("0001-01-01T00:00:00", now()), "never");
        assert_eq!(relative_time_from("0001-01-01T00:00:00Z", now()), "never");
        assert_eq!(relative_time_from("soon", now()), "soon");
    }

    #[test]
    fn json_times_are_rfc3339_utc() {
        assert_eq!(
            rfc3339("2026-01-01T11:00:00.5Z"),
            Value::String("2026-01-01T11:00:00.5Z".into())
        );
        assert_eq!(
            rfc3339("2026-01-01T11:00:00"),
            Value::String("2026-01-01T11:00:00Z".into())
        );
        assert_eq!(rfc3339("0001-01-01T00:00:00"), Value::Null);
        assert_eq!(rfc3339("garbage"), Value::String("garbage".into()));
    }

    #[test]
    fn cells_are_compact_and_cut() {
        assert_eq!(cell_text(&Value::Null, 10), "-");
        assert_eq!(cell_text(&serde_json::json!("abc"), 10), "abc");
        assert_eq!(cell_text(&serde_json::json!({"a": 1}), 10), "{\"a\":1}");
        assert_eq!(cell_text(&serde_json::json!("abcdefghijkl"), 5), "abcd…");
    }

    #[test]
    fn a_terminal_reporting_zero_columns_gets_unwrapped_tables() {
        for columns in [Some(0), None] {
            let terminal = Terminal {
                stdout_tty: true,
                stderr_tty: false,
                no_color: true,
                columns,
            };
            let printer = Printer::new(OutputFormat::Table, Verbosity::Normal, false, terminal);
            let mut table = printer.new_table(["DEVICE", "STATUS"]);
            table.force_no_tty();
            table.add_row(["sensor-0001", "enabled"]);
            let text = table.to_string();
            assert!(text.contains("sensor-0001"), "{columns:?}:\n{text}");
            assert_eq!(text.lines().count(), 5, "{columns:?}:\n{text}");
        }
        // A real width still wraps.
        let terminal = Terminal {
            stdout_tty: true,
            stderr_tty: false,
            no_color: true,
            columns: Some(20),
        };
        let printer = Printer::new(OutputFormat::Table, Verbosity::Normal, false, terminal);
        let mut table = printer.new_table(["DEVICE", "STATUS"]);
        table.force_no_tty();
        table.add_row(["a-rather-long-device-identifier", "enabled"]);
        assert!(table.to_string().lines().all(|l| l.chars().count() <= 20));
    }

    #[test]
    fn plain_tables_have_no_borders_or_trailing_spaces() {
        let terminal = Terminal {
            stdout_tty: false,
            stderr_tty: false,
            no_color: true,
            columns: None,
        };
        let printer = Printer::new(OutputFormat::Table, Verbosity::Normal, false, terminal);
        let mut table = printer.new_table(["DEVICE", "STATUS"]);
        table.add_row(["dev-1", "enabled"]);
        table.add_row(["d2", "disabled"]);
        assert_eq!(
            table.trim_fmt(),
            "DEVICE  STATUS\ndev-1   enabled\nd2      disabled"
        );
    }
}
