//! Logs to standard error in the form the reader expects: journald priorities under systemd,
//! plain text in a pipe, colour on a terminal.
//!
//! Under systemd, standard error is a journal stream (`JOURNAL_STREAM` names it); a `<N>`
//! prefix on each line sets its priority, so `journalctl -p warning` works, and the journal
//! adds its own timestamps. The filter can be changed while running (the agent's log level is
//! a device-management setting).

use std::io::IsTerminal as _;
use std::os::fd::AsFd as _;
use std::os::unix::fs::MetadataExt as _;

use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{Registry, reload};

/// Changes the log filter of the running process.
#[derive(Clone)]
pub struct LogControl {
    handle: reload::Handle<Targets, Registry>,
}

impl std::fmt::Debug for LogControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogControl").finish_non_exhaustive()
    }
}

impl LogControl {
    /// Replaces the filter (`debug`, or `info,dm_agent=debug`).
    pub fn set(&self, filter: &str) -> Result<(), String> {
        let filter = parse_filter(filter)?;
        self.handle.reload(filter).map_err(|e| e.to_string())
    }
}

/// Parses a filter: a level (`debug`) or comma-separated `target=level` directives with an
/// optional default level (`info,dm_agent=debug`).
///
/// `Targets` rather than `EnvFilter`: the agent's filters only name targets and levels, and
/// `EnvFilter`'s span and field matching links a regex engine that a device never uses (the
/// agent's size is its idle memory, see `agent/BENCHMARKS.md`).
///
/// Empty directives are dropped (`"info,"`): `Targets` would read one as the empty target, a
/// prefix of every target, at `trace`. A filter with no directive at all is an error.
pub fn parse_filter(filter: &str) -> Result<Targets, String> {
    let directives: Vec<&str> = filter
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect();
    if directives.is_empty() {
        return Err("the log filter is empty".to_owned());
    }
    // A target is a module path; `Targets` would take anything before `=` (or a bare word that
    // is no level) as one, so a mistyped filter such as `loud[` must be refused here.
    let is_target = |t: &str| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '-' | '.'))
    };
    if let Some(bad) = directives
        .iter()
        .find(|d| !is_target(d.split_once('=').map_or(**d, |(target, _)| target)))
    {
        return Err(format!("`{bad}` is not a level or `target=level`"));
    }
    directives.join(",").parse().map_err(|e| format!("{e}"))
}

/// How lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `<N>target: message fields`, for the journal.
    Journal,
    /// Timestamped text, coloured on a terminal.
    Text {
        /// Whether to use ANSI colours.
        ansi: bool,
    },
}

/// The style for this process's standard error.
pub fn detect() -> Style {
    if stderr_is_journal(std::env::var("JOURNAL_STREAM").ok().as_deref()) {
        Style::Journal
    } else {
        Style::Text {
            ansi: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

/// `JOURNAL_STREAM` is `device:inode` of the stream systemd connected; it is inherited by
/// children whose stderr goes elsewhere, so it only counts when it matches our stderr.
fn stderr_is_journal(journal_stream: Option<&str>) -> bool {
    let Some((dev, ino)) = journal_stream.and_then(|v| v.split_once(':')) else {
        return false;
    };
    let (Ok(dev), Ok(ino)) = (dev.parse::<u64>(), ino.parse::<u64>()) else {
        return false;
    };
    let Ok(fd) = std::io::stderr().as_fd().try_clone_to_owned() else {
        return false;
    };
    std::fs::File::from(fd)
        .metadata()
        .is_ok_and(|m| m.dev() == dev && m.ino() == ino)
}

/// Installs the global subscriber. `filter` was validated with the configuration.
pub fn init(filter: &str, style: Style) -> LogControl {
    let filter = parse_filter(filter).unwrap_or_else(|_| Targets::new().with_default(Level::INFO));
    let (filter, handle) = reload::Layer::new(filter);
    let registry = tracing_subscriber::registry().with(filter);
    let installed = match style {
        Style::Journal => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_ansi(false)
                    .event_format(JournalFormat),
            )
            .try_init(),
        Style::Text { ansi } => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_ansi(ansi),
            )
            .try_init(),
    };
    // Only fails when a subscriber is already installed (tests); that one stays.
    let _ = installed;
    LogControl { handle }
}

/// The syslog priority of a level (`sd-daemon(3)`).
fn priority(level: Level) -> u8 {
    match level {
        Level::ERROR => 3,
        Level::WARN => 4,
        Level::INFO => 6,
        Level::DEBUG | Level::TRACE => 7,
    }
}

/// One line per event: `<N>target: message key=value ...`.
struct JournalFormat;

impl<S, N> FormatEvent<S, N> for JournalFormat
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> std::fmt::Result {
        let meta = event.metadata();
        write!(writer, "<{}>{}: ", priority(*meta.level()), meta.target())?;
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_follow_syslog() {
        assert_eq!(
            [
                Level::ERROR,
                Level::WARN,
                Level::INFO,
                Level::DEBUG,
                Level::TRACE
            ]
            .map(priority),
            [3, 4, 6, 7, 7]
        );
    }

    #[test]
    fn filters_are_levels_and_target_directives() {
        use tracing::level_filters::LevelFilter;
        let filter = parse_filter(" debug ").unwrap();
        assert_eq!(filter.default_level(), Some(LevelFilter::DEBUG));
        let filter = parse_filter("info,dm_agent=trace,rumqttc=off").unwrap();
        assert_eq!(filter.default_level(), Some(LevelFilter::INFO));
        assert!(filter.would_enable("dm_agent::client", &Level::TRACE));
        assert!(!filter.would_enable("rumqttc::state", &Level::ERROR));
        assert!(!filter.would_enable("hyper", &Level::DEBUG));
        // A trailing comma is not a directive enabling everything at trace.
        let filter = parse_filter("warn, ").unwrap();
        assert!(!filter.would_enable("dm_agent", &Level::INFO));
        for bad in [
            "",
            " , ",
            "dm_agent=loud",
            "a=b=c",
            "loud[",
            "=info",
            "dm agent=info",
        ] {
            assert!(parse_filter(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn a_journal_stream_that_is_not_our_stderr_is_ignored() {
        assert!(!stderr_is_journal(None));
        assert!(!stderr_is_journal(Some("garbage")));
        assert!(!stderr_is_journal(Some("1:1")));
    }
}
