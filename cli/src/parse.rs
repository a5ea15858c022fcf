//! Parsing the command line without building the whole command tree.
//!
//! `Cli::command()` builds every command, subcommand and argument `dmctl` has (several hundred
//! clap `Arg`s with their help text) before it looks at the first word; a call that runs one
//! command needs one branch of it. [`parse`] therefore first parses with a *pruned* tree: the
//! global options plus only the command named by the first positional word, built from the same
//! derive code as the full tree. Whatever the pruned parse cannot settle by itself — help, a
//! usage error, a missing subcommand, an alias, `help`, completions — is parsed again with the
//! full tree, so every message clap prints comes from the full tree and stays identical; only a
//! successful parse (and `--version`) is taken from the pruned one.
//!
//! A successful pruned parse is the full tree's result: the pruned tree is the full tree with
//! the other top-level commands left out, the first positional word selects the command in both,
//! and the same `FromArgMatches` code turns the matches into a [`Cli`].

use std::ffi::{OsStr, OsString};

use clap::{ArgMatches, Args as _, CommandFactory as _, FromArgMatches as _, Subcommand as _};

use crate::args::{
    Cli, CompletionsArgs, ConfigCommand, DeviceCommand, GlobalArgs, HubCommand, JobCommand,
    MethodCommand, ProfileCommand, QueryArgs, RolloutCommand, TokenArgs, TwinCommand,
};
use crate::dm::args as dm;

/// What [`parse`] settled.
#[derive(Debug)]
pub enum Parsed {
    /// A command to run, with the matches it came from (for value sources).
    Run(Box<Cli>, ArgMatches),
    /// Help, version or a usage error for clap to print.
    Clap(clap::Error),
}

/// What `dmctl --version` and `dmctl -V` print: clap's version text for the tree (`name
/// version`, a newline), which a test checks against the full tree's.
pub const VERSION_TEXT: &str = concat!("dmctl ", env!("CARGO_PKG_VERSION"), "\n");

/// Whether the command line is `dmctl --version` or `dmctl -V` and nothing else: the one call
/// answered before any clap command is built ([`VERSION_TEXT`]). Scripts run it to check that
/// dmctl is there, so it should cost what starting the process costs; any other form (with
/// options, `--version` after a command) goes through clap.
pub fn is_version_request(args: &[OsString]) -> bool {
    matches!(args, [_, flag] if flag == "--version" || flag == "-V")
}

/// Parses `args` (including the program name), building only the part of the command tree the
/// command line uses when that is enough.
pub fn parse(args: Vec<OsString>) -> Parsed {
    if let Some(parsed) = parse_pruned(&args) {
        return parsed;
    }
    parse_full(args)
}

/// The whole tree, as `Cli::parse` would.
pub fn parse_full(args: Vec<OsString>) -> Parsed {
    let matches = match Cli::command().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(err) => return Parsed::Clap(err),
    };
    match Cli::from_arg_matches(&matches) {
        Ok(cli) => Parsed::Run(Box::new(cli), matches),
        Err(err) => Parsed::Clap(err),
    }
}

/// The pruned parse: `Some` only for a result the full tree would give too.
fn parse_pruned(args: &[OsString]) -> Option<Parsed> {
    let name = first_positional(args);
    let mut command =
        GlobalArgs::augment_args(clap::Command::new("dmctl").version(env!("CARGO_PKG_VERSION")))
            .subcommand_required(true);
    if let Some(name) = name {
        command = command.subcommand(subcommand(name.to_str()?)?);
    }
    match command.try_get_matches_from(args) {
        Ok(matches) => match Cli::from_arg_matches(&matches) {
            Ok(cli) => Some(Parsed::Run(Box::new(cli), matches)),
            Err(_) => None,
        },
        // The version text is the name and version alone, the same in both trees.
        Err(err) if err.kind() == clap::error::ErrorKind::DisplayVersion => Some(Parsed::Clap(err)),
        Err(_) => None,
    }
}

/// The first word that is neither an option nor a global option's value: the command's name.
/// A wrong guess costs only time — the pruned parse then fails and the full tree is used.
fn first_positional(args: &[OsString]) -> Option<&OsStr> {
    let globals = GlobalArgs::augment_args(clap::Command::new("dmctl"));
    let takes_value = |arg: &clap::Arg| arg.get_action().takes_values();
    let long_with_value = |long: &str| {
        globals
            .get_arguments()
            .any(|arg| takes_value(arg) && arg.get_long() == Some(long))
    };
    let short_with_value = |short: char| {
        globals
            .get_arguments()
            .any(|arg| takes_value(arg) && arg.get_short() == Some(short))
    };
    let mut words = args.iter().skip(1);
    while let Some(word) = words.next() {
        let text = word.to_str()?;
        if text == "--" {
            return None;
        }
        if let Some(long) = text.strip_prefix("--") {
            if !long.contains('=') && long_with_value(long) {
                words.next();
            }
        } else if let Some(shorts) = text.strip_prefix('-').filter(|s| !s.is_empty()) {
            // A cluster such as `-vq` or `-ojson`: a value-taking short consumes the rest of
            // the word, or the next word if it is last.
            for (at, short) in shorts.char_indices() {
                if short_with_value(short) {
                    if at + short.len_utf8() == shorts.len() {
                        words.next();
                    }
                    break;
                }
            }
        } else {
            return Some(word);
        }
    }
    None
}

/// One top-level command as `Cli::command()` builds it (same derive code, same settings that
/// affect parsing); `None` for a name that is not a command (an alias, `help`, a typo).
fn subcommand(name: &str) -> Option<clap::Command> {
    type Augment = fn(clap::Command) -> clap::Command;
    // `true`: a command with subcommands, which the derive requires (showing help without one).
    let (name, nested, augment): (&'static str, bool, Augment) = match name {
        "device" => ("device", true, DeviceCommand::augment_subcommands),
        "twin" => ("twin", true, TwinCommand::augment_subcommands),
        "method" => ("method", true, MethodCommand::augment_subcommands),
        "query" => ("query", false, QueryArgs::augment_args),
        "job" => ("job", true, JobCommand::augment_subcommands),
        "config" => ("config", true, ConfigCommand::augment_subcommands),
        "status" => (
            "status",
            false,
            crate::cmd::status::StatusArgs::augment_args,
        ),
        "dashboard" => (
            "dashboard",
            false,
            crate::dashboard::DashboardArgs::augment_args,
        ),
        "token" => ("token", false, TokenArgs::augment_args),
        "reboot" => ("reboot", false, dm::RebootArgs::augment_args),
        "factory-reset" => ("factory-reset", false, dm::FactoryResetArgs::augment_args),
        "apps" => ("apps", false, dm::AppsArgs::augment_args),
        "updates" => ("updates", false, dm::UpdatesArgs::augment_args),
        "certs" => ("certs", false, dm::CertsArgs::augment_args),
        "time" => ("time", false, dm::TimeArgs::augment_args),
        "wifi" => ("wifi", false, dm::WifiArgs::augment_args),
        "logs" => ("logs", false, dm::LogsArgs::augment_args),
        "info" => ("info", false, dm::InfoArgs::augment_args),
        "report-all" => ("report-all", false, dm::ReportAllArgs::augment_args),
        "busy" => ("busy", false, dm::BusyArgs::augment_args),
        "agent" => ("agent", false, dm::AgentArgs::augment_args),
        "ops" => ("ops", true, dm::OpsCommand::augment_subcommands),
        "rollout" => ("rollout", true, RolloutCommand::augment_subcommands),
        "plan" => ("plan", false, crate::desired::PlanArgs::augment_args),
        "apply" => ("apply", false, crate::desired::ApplyArgs::augment_args),
        "wait" => ("wait", false, crate::desired::wait::WaitArgs::augment_args),
        "audit" => ("audit", false, crate::audit::AuditArgs::augment_args),
        "hub" => ("hub", true, HubCommand::augment_subcommands),
        "simulate" => ("simulate", false, dm::SimulateArgs::augment_args),
        "demo" => ("demo", false, dm::DemoArgs::augment_args),
        "profile" => ("profile", true, ProfileCommand::augment_subcommands),
        "completions" => ("completions", false, CompletionsArgs::augment_args),
        _ => return None,
    };
    let command = clap::Command::new(name);
    Some(augment(if nested {
        command
            .subcommand_required(true)
            .arg_required_else_help(true)
    } else {
        command
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    /// The arguments and subcommands of a built command, recursively, as text.
    fn shape(command: &clap::Command) -> String {
        let mut args: Vec<String> = command
            .get_arguments()
            .map(|arg| {
                format!(
                    "{}:{:?}:{:?}:{:?}:{}:{}",
                    arg.get_id(),
                    arg.get_long(),
                    arg.get_short(),
                    arg.get_num_args(),
                    arg.is_required_set(),
                    arg.is_global_set()
                )
            })
            .collect();
        args.sort();
        let mut out = format!(
            "{} [{}] required-sub={}\n",
            command.get_name(),
            args.join(" "),
            command.is_subcommand_required_set()
        );
        for sub in command.get_subcommands() {
            for line in shape(sub).lines() {
                out = format!("{out}  {line}\n");
            }
        }
        out
    }

    #[test]
    fn every_command_has_a_pruned_form_that_parses_like_the_full_tree() {
        let mut full = Cli::command();
        full.build();
        for expected in full.get_subcommands() {
            let name = expected.get_name();
            if name == "help" {
                assert!(subcommand(name).is_none());
                continue;
            }
            let Some(pruned) = subcommand(name) else {
                panic!("`dmctl {name}` has no pruned form in parse::subcommand");
            };
            let mut pruned = GlobalArgs::augment_args(clap::Command::new("dmctl"))
                .subcommand_required(true)
                .subcommand(pruned);
            pruned.build();
            let pruned = pruned.find_subcommand(name).unwrap();
            // Help subcommands are generated for the full tree's help only.
            let strip = |text: String| {
                text.lines()
                    .filter(|line| !line.trim_start().starts_with("help ["))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert_eq!(
                strip(shape(pruned)),
                strip(shape(expected)),
                "`dmctl {name}` differs"
            );
        }
    }

    #[test]
    fn successful_parses_equal_the_full_tree() {
        let lines: &[&[&str]] = &[
            &["dmctl", "device", "show", "dev1"],
            &["dmctl", "-o", "json", "device", "show", "dev1"],
            &["dmctl", "-ojson", "-v", "device", "list", "--top", "3"],
            &[
                "dmctl",
                "--output=json",
                "method",
                "invoke",
                "-d",
                "d1",
                "-n",
                "echo",
            ],
            &["dmctl", "--profile", "device", "twin", "show", "-d", "x"],
            &[
                "dmctl",
                "-vv",
                "query",
                "SELECT * FROM devices",
                "-o",
                "json",
            ],
            &["dmctl", "reboot", "-d", "d1", "--yes"],
            &["dmctl", "factory-reset", "-d", "d1"],
            &["dmctl", "hub", "connection-string"],
            &["dmctl", "completions", "bash"],
            &["dmctl", "token", "--ttl", "2h"],
        ];
        for line in lines {
            let full = parse_full(os(line));
            let pruned = parse_pruned(&os(line));
            match (&full, &pruned) {
                (Parsed::Run(a, am), Some(Parsed::Run(b, bm))) => {
                    assert_eq!(format!("{a:?}"), format!("{b:?}"), "{line:?}");
                    for id in ["hub", "profile", "output"] {
                        assert_eq!(am.value_source(id), bm.value_source(id), "{line:?}");
                    }
                }
                _ => panic!("{line:?}: full {full:?}, pruned {pruned:?}"),
            }
        }
    }

    #[test]
    fn help_errors_and_unknown_words_are_left_to_the_full_tree() {
        let lines: &[&[&str]] = &[
            &["dmctl"],
            &["dmctl", "--help"],
            &["dmctl", "device", "-h"],
            &["dmctl", "device"],
            &["dmctl", "device", "show"],
            &["dmctl", "device", "show", "d", "--bogus"],
            &["dmctl", "help", "device"],
            &["dmctl", "devcie", "show", "d"],
            &["dmctl", "-o", "yaml", "device", "show", "d"],
            &["dmctl", "--", "device"],
        ];
        for line in lines {
            assert!(parse_pruned(&os(line)).is_none(), "{line:?}");
        }
    }

    #[test]
    fn version_is_the_full_trees_text() {
        let Some(Parsed::Clap(pruned)) = parse_pruned(&os(&["dmctl", "--version"])) else {
            panic!("--version is answered by the pruned tree");
        };
        let Parsed::Clap(full) = parse_full(os(&["dmctl", "--version"])) else {
            panic!("--version is not a command");
        };
        assert_eq!(pruned.to_string(), full.to_string());
        assert_eq!(pruned.kind(), full.kind());
    }

    #[test]
    fn the_version_answered_without_clap_is_clap_s_text() {
        for flag in ["--version", "-V"] {
            let line = os(&["dmctl", flag]);
            assert!(is_version_request(&line));
            let Parsed::Clap(full) = parse_full(line) else {
                panic!("{flag} is not a command");
            };
            assert_eq!(full.kind(), clap::error::ErrorKind::DisplayVersion);
            assert_eq!(full.to_string(), VERSION_TEXT, "{flag}");
        }
        for line in [
            &["dmctl"][..],
            &["dmctl", "--version", "device"],
            &["dmctl", "-o", "json", "--version"],
            &["dmctl", "device", "--version"],
            &["dmctl", "--versions"],
            &["dmctl", "-v"],
        ] {
            assert!(!is_version_request(&os(line)), "{line:?}");
        }
    }

    #[test]
    fn the_command_word_is_found_past_global_options() {
        let find = |line: &[&str]| {
            first_positional(&os(line)).map(|word| word.to_string_lossy().into_owned())
        };
        assert_eq!(
            find(&["dmctl", "--hub", "x", "device"]),
            Some("device".into())
        );
        assert_eq!(find(&["dmctl", "--hub=x", "device"]), Some("device".into()));
        assert_eq!(find(&["dmctl", "-vo", "json", "twin"]), Some("twin".into()));
        assert_eq!(find(&["dmctl", "-ojson", "twin"]), Some("twin".into()));
        assert_eq!(find(&["dmctl", "-q", "--yes", "job"]), Some("job".into()));
        assert_eq!(find(&["dmctl", "--ca-file", "device"]), None);
        assert_eq!(find(&["dmctl", "--", "device"]), None);
    }
}
