//! The typed operations the dashboard can send, as the `dmctl` command lines they are.
//!
//! An action is not a second implementation: it is parsed by the same clap tree as the command
//! line, planned by [`crate::dm::build::plan`] and sent by [`crate::dm::exec::on_device`], so the
//! confirmation dialog can show the exact call (the `--dry-run` line of the same plan) and the
//! outcome reads the same as the command's.

use std::path::PathBuf;

use clap::Parser as _;

use crate::args::Cli;
use crate::dm::build;
use crate::dm::exec::{DmResult, Plan};
use crate::exit::CliError;

/// A typed operation offered in the actions menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    /// `dmctl reboot --wait`.
    Reboot,
    /// `dmctl info`.
    Info,
    /// `dmctl logs collect --upload --wait`.
    LogsUpload,
    /// `dmctl apps list`.
    AppsList,
    /// `dmctl apps restart NAME --wait`.
    AppsRestart,
    /// `dmctl time show`.
    Time,
    /// `dmctl updates scan --wait`.
    UpdatesScan,
    /// `dmctl agent update --url U --sha256 H --version V --wait`.
    AgentUpdate,
}

impl ActionKind {
    /// Every action, in menu order.
    pub const ALL: [ActionKind; 8] = [
        ActionKind::Reboot,
        ActionKind::Info,
        ActionKind::LogsUpload,
        ActionKind::AppsList,
        ActionKind::AppsRestart,
        ActionKind::Time,
        ActionKind::UpdatesScan,
        ActionKind::AgentUpdate,
    ];

    /// The menu key.
    pub fn key(self) -> char {
        match self {
            ActionKind::Reboot => 'b',
            ActionKind::Info => 'i',
            ActionKind::LogsUpload => 'l',
            ActionKind::AppsList => 'p',
            ActionKind::AppsRestart => 'R',
            ActionKind::Time => 't',
            ActionKind::UpdatesScan => 'u',
            ActionKind::AgentUpdate => 'U',
        }
    }

    /// What the menu says.
    pub fn title(self) -> &'static str {
        match self {
            ActionKind::Reboot => "reboot",
            ActionKind::Info => "device info",
            ActionKind::LogsUpload => "collect logs (upload)",
            ActionKind::AppsList => "list apps",
            ActionKind::AppsRestart => "restart an app",
            ActionKind::Time => "show time",
            ActionKind::UpdatesScan => "scan for updates",
            ActionKind::AgentUpdate => "update the agent",
        }
    }

    /// The command's words before the target.
    fn words(self) -> &'static [&'static str] {
        match self {
            ActionKind::Reboot => &["reboot"],
            ActionKind::Info => &["info"],
            ActionKind::LogsUpload => &["logs", "collect", "--upload"],
            ActionKind::AppsList => &["apps", "list"],
            ActionKind::AppsRestart => &["apps", "restart"],
            ActionKind::Time => &["time", "show"],
            ActionKind::UpdatesScan => &["updates", "scan"],
            ActionKind::AgentUpdate => &["agent", "update"],
        }
    }

    /// Whether the command follows the operation with `--wait`.
    fn waits(self) -> bool {
        matches!(
            self,
            ActionKind::Reboot
                | ActionKind::LogsUpload
                | ActionKind::AppsRestart
                | ActionKind::UpdatesScan
                | ActionKind::AgentUpdate
        )
    }

    /// Whether the typed command treats it as disruptive (the contract's disruptive methods,
    /// and the agent's replacement): the dialog then wants the device id typed.
    pub fn disruptive(self) -> bool {
        matches!(
            self,
            ActionKind::Reboot | ActionKind::AppsRestart | ActionKind::AgentUpdate
        )
    }

    /// What to type as arguments, for actions that need some.
    pub fn argument_hint(self) -> Option<&'static str> {
        match self {
            ActionKind::AppsRestart => Some("NAME (the app's unit or package)"),
            ActionKind::AgentUpdate => Some("--url URL --sha256 HEX --version VERSION"),
            _ => None,
        }
    }

    /// The typed argument text as words (split on white space).
    pub fn arguments(self, input: &str) -> Vec<String> {
        input.split_whitespace().map(str::to_owned).collect()
    }

    /// The command line without the target: `reboot --wait`, `apps restart web --wait`.
    pub fn label(self, extra: &[String]) -> String {
        self.argv(extra, &[]).join(" ")
    }

    /// The arguments after `dmctl`.
    fn argv(self, extra: &[String], devices: &[String]) -> Vec<String> {
        let mut argv: Vec<String> = self.words().iter().map(|w| (*w).to_owned()).collect();
        argv.extend(extra.iter().cloned());
        for device in devices {
            argv.push("--device".to_owned());
            argv.push(device.clone());
        }
        if self.waits() {
            argv.push("--wait".to_owned());
        }
        argv
    }

    /// The equivalent `dmctl` command line, as a person would type it.
    pub fn command_line(self, extra: &[String], devices: &[String]) -> String {
        let words: Vec<String> = self
            .argv(extra, devices)
            .into_iter()
            .map(|w| quote(&w))
            .collect();
        format!("dmctl {}", words.join(" "))
    }

    /// The plan of the command line, exactly as `dmctl` would build it.
    pub fn plan(self, extra: &[String], devices: &[String]) -> Result<Plan, CliError> {
        let mut argv = vec!["dmctl".to_owned()];
        argv.extend(self.argv(extra, devices));
        let cli = Cli::try_parse_from(&argv).map_err(|e| {
            // clap's message up to its usage line: what is wrong and which argument.
            let text = e.to_string();
            let words: Vec<&str> = text
                .lines()
                .take_while(|l| !l.starts_with("Usage:"))
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            CliError::usage(words.join(" ").trim_start_matches("error: ").to_owned())
        })?;
        let mut plan = build::plan(cli.command)?;
        if self == ActionKind::LogsUpload && plan.out.is_none() {
            // The bundle is fetched back (from the local hub) so its contents can be listed:
            // one device's bundle goes to a file, several to one file each in the directory.
            let dir = bundle_dir();
            std::fs::create_dir_all(&dir)
                .map_err(|e| CliError::io(format!("directory {}", dir.display()), e))?;
            plan.out = Some(match devices {
                [one] => dir.join(format!("{}.tar.gz", file_name(one))),
                _ => dir,
            });
        }
        Ok(plan)
    }
}

/// Where uploaded log bundles fetched back by the dashboard are written.
pub fn bundle_dir() -> PathBuf {
    std::env::temp_dir().join(format!("dmctl-dashboard-{}", std::process::id()))
}

/// A device id as a file name.
fn file_name(device_id: &str) -> String {
    device_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// One line for an action's outcome: the command's own summary, plus the bundle's file list for
/// an uploaded log bundle fetched back.
pub fn outcome(result: &DmResult) -> String {
    let mut line = result.summary();
    if let Some(file) = &result.file
        && let Ok(names) = bundle_entries(file)
    {
        line = format!("{line}; bundle: {}", names.join(", "));
    }
    line
}

/// The file names in a `.tar.gz` bundle.
fn bundle_entries(path: &std::path::Path) -> std::io::Result<Vec<String>> {
    let file = std::fs::File::open(path)?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut names = Vec::new();
    for entry in archive.entries()? {
        let entry = entry?;
        names.push(entry.path()?.display().to_string());
    }
    Ok(names)
}

/// A word quoted for a POSIX shell when it needs it.
fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_parses_into_a_plan_for_one_and_several_devices() {
        for action in ActionKind::ALL {
            let extra: Vec<String> = match action {
                ActionKind::AppsRestart => action.arguments("web"),
                ActionKind::AgentUpdate => action.arguments(
                    "--url https://example.com/a --sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 --version 1.2.0",
                ),
                _ => Vec::new(),
            };
            for devices in [
                vec!["d1".to_owned()],
                vec!["d1".to_owned(), "d2".to_owned()],
            ] {
                let plan = action
                    .plan(&extra, &devices)
                    .unwrap_or_else(|e| panic!("{action:?}: {}", e.message()));
                assert_eq!(plan.target.devices, devices);
                assert_eq!(plan.wait.is_some(), action.waits(), "{action:?}");
                assert_eq!(
                    plan.action.is_disruptive(),
                    action.disruptive(),
                    "{action:?}"
                );
            }
        }
    }

    #[test]
    fn command_lines_are_what_a_person_would_type() {
        assert_eq!(
            ActionKind::Reboot.command_line(&[], &["sim 1".into()]),
            "dmctl reboot --device 'sim 1' --wait"
        );
        assert_eq!(
            ActionKind::AppsRestart.label(&["web".into()]),
            "apps restart web --wait"
        );
    }

    #[test]
    fn missing_arguments_are_a_usage_error_naming_them() {
        let err = ActionKind::AppsRestart
            .plan(&[], &["d1".into()])
            .unwrap_err();
        assert!(err.message().contains("NAME"), "{}", err.message());
    }
}
