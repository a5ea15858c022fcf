//! The journal of a fleet run, so an interrupted run can be continued without repeating a
//! device.
//!
//! A fleet run over hundreds of devices can be stopped by Ctrl-C, a lost SSH session or a
//! crash. Running the command again would send the operation again to every device that already
//! had it (a second reboot, a 409 from a busy agent). So every fleet run writes, as it goes, which
//! devices it selected, which were sent the call and which answered, to
//! `$XDG_STATE_HOME/dmctl/journal/<key>.jsonl` (directory 0700, file 0600: device ids and the
//! command line are operational data). `--resume` reads it back and continues with the devices
//! that were never sent anything. A run that finishes removes its journal.
//!
//! The key is a digest of the hub and the command line without presentation flags (`-o`, `-q`,
//! `-v`, `--no-progress`, `--yes`, `--resume`), so `--resume` only ever continues the same
//! operation on the same hub; anything else is refused and the interrupted runs are named.
//! Connection strings never reach the journal: `--hub`'s value is dropped.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::exit::{CliError, Exit};

/// The journal format's version.
const VERSION: u32 = 1;

/// The first line of a journal: what the run was.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    /// Format version.
    pub v: u32,
    /// The hub's host name.
    pub hub: String,
    /// The command line ([`run_args`]).
    pub args: Vec<String>,
    /// When the run started.
    pub started_at: Timestamp,
    /// Every device the run selected, in order.
    pub devices: Vec<String>,
}

/// One thing that happened to one device.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Event {
    device: String,
    /// `sent` (the call left dmctl) or `done` (the device's outcome is known).
    #[serde(rename = "event")]
    what: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    operation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ok: Option<bool>,
}

/// What an interrupted run had done, as read back by `--resume`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    /// Devices whose outcome is known, and whether it was a success.
    pub done: Vec<(String, bool)>,
    /// Devices that were sent the call with no known outcome, with the operation id if the
    /// device had accepted it.
    pub sent: Vec<(String, Option<String>)>,
    /// Devices never sent anything.
    pub remaining: Vec<String>,
}

/// An open journal, appended to as the run goes.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
    header: Header,
}

/// The command line that identifies a run: the arguments after the program name, without the
/// flags that only change how results are shown, without `--resume`, and without `--hub`'s
/// value (a secret).
pub fn run_args() -> Vec<String> {
    normalize(std::env::args().skip(1))
}

fn normalize(args: impl Iterator<Item = String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--resume" | "-q" | "--quiet" | "--no-progress" | "-y" | "--yes" | "--verbose" => {}
            "-o" | "--output" | "--hub" => {
                args.next();
            }
            a if a.starts_with("--output=") || a.starts_with("--hub=") => {}
            a if a.starts_with("-v") && a[1..].chars().all(|c| c == 'v') => {}
            a if a.starts_with("-o") && a.len() > 2 && !a.starts_with("--") => {}
            _ => out.push(arg),
        }
    }
    out
}

/// The command line as a shell would take it back (arguments quoted where needed).
pub fn shell_line(args: &[String]) -> String {
    let mut line = String::from("dmctl");
    for arg in args {
        line.push(' ');
        line.push_str(&shell_quote(arg));
    }
    line
}

/// `arg` quoted for a POSIX shell when it holds anything but safe characters.
pub fn shell_quote(arg: &str) -> String {
    let safe = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if safe {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// `args` with the target options (`--device`/`-d`, `--devices-from`, `--query`, `--resume`)
/// replaced by `--devices-from FILE`: the command that continues with only the devices in FILE.
pub fn with_devices_from(args: &[String], file: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--device" | "-d" | "--devices-from" | "--query" => {
                iter.next();
            }
            a if a.starts_with("--device=")
                || a.starts_with("--devices-from=")
                || a.starts_with("--query=")
                || (a.starts_with("-d") && a.len() > 2 && !a.starts_with("--")) => {}
            _ => out.push(arg.clone()),
        }
    }
    out.push("--devices-from".to_owned());
    out.push(file.display().to_string());
    out
}

/// `$XDG_STATE_HOME/dmctl/journal`, else `~/.local/state/dmctl/journal`.
pub fn journal_dir() -> Result<PathBuf, CliError> {
    Ok(crate::config::default_state_dir()?.join("journal"))
}

/// The file name stem of a run's journal.
fn key(hub: &str, args: &[String]) -> String {
    let mut digest = Sha256::new();
    digest.update(hub.as_bytes());
    for arg in args {
        digest.update([0]);
        digest.update(arg.as_bytes());
    }
    digest
        .finalize()
        .iter()
        .take(10)
        .fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

/// Creates `dir` (and parents) and makes it private to the user.
fn private_dir(dir: &Path) -> Result<(), CliError> {
    let what = || format!("journal directory {}", dir.display());
    fs::create_dir_all(dir).map_err(|e| CliError::io(what(), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| CliError::io(what(), e))?;
    }
    Ok(())
}

/// Opens `path` for writing, readable by the user only.
fn private_file(path: &Path, append: bool) -> Result<File, CliError> {
    let mut options = OpenOptions::new();
    options.create(true);
    if append {
        options.append(true);
    } else {
        options.write(true).truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options
        .open(path)
        .map_err(|e| CliError::io(format!("journal {}", path.display()), e))
}

impl Journal {
    /// Starts the journal of a new run in `dir`. An interrupted run of the same command is
    /// replaced (the caller warns: this run starts over).
    pub fn create(
        dir: &Path,
        hub: &str,
        args: Vec<String>,
        devices: Vec<String>,
    ) -> Result<(Self, bool), CliError> {
        private_dir(dir)?;
        let path = dir.join(format!("{}.jsonl", key(hub, &args)));
        let replaced = path.exists();
        let header = Header {
            v: VERSION,
            hub: hub.to_owned(),
            args,
            started_at: Timestamp::now(),
            devices,
        };
        let mut file = private_file(&path, false)?;
        let line = serde_json::to_string(&header)
            .map_err(|e| CliError::failure(format!("internal: journal header: {e}")))?;
        writeln!(file, "{line}")
            .map_err(|e| CliError::io(format!("journal {}", path.display()), e))?;
        Ok((
            Self {
                path,
                file: Mutex::new(file),
                header,
            },
            replaced,
        ))
    }

    /// Opens the interrupted run of this exact command on this hub, and what it had done.
    /// Refuses, naming the interrupted runs there are, when there is none for this command.
    pub fn resume(dir: &Path, hub: &str, args: &[String]) -> Result<(Self, Progress), CliError> {
        let path = dir.join(format!("{}.jsonl", key(hub, args)));
        if !path.exists() {
            return Err(no_such_run(dir, hub, args));
        }
        let (header, events) = read(&path)?;
        if header.args != args || header.hub != hub {
            return Err(no_such_run(dir, hub, args));
        }
        let mut done: HashMap<&str, bool> = HashMap::new();
        let mut sent: HashMap<&str, Option<String>> = HashMap::new();
        for event in &events {
            match event.what.as_str() {
                "done" => {
                    done.insert(event.device.as_str(), event.ok.unwrap_or(false));
                }
                "sent" => {
                    let op = sent.entry(event.device.as_str()).or_default();
                    if event.operation.is_some() {
                        op.clone_from(&event.operation);
                    }
                }
                _ => {}
            }
        }
        let mut progress = Progress::default();
        for device in &header.devices {
            if let Some(ok) = done.get(device.as_str()) {
                progress.done.push((device.clone(), *ok));
            } else if let Some(op) = sent.get(device.as_str()) {
                progress.sent.push((device.clone(), op.clone()));
            } else {
                progress.remaining.push(device.clone());
            }
        }
        let file = private_file(&path, true)?;
        Ok((
            Self {
                path,
                file: Mutex::new(file),
                header,
            },
            progress,
        ))
    }

    /// The run's header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Where the journal is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn append(&self, event: &Event) {
        let Ok(line) = serde_json::to_string(event) else {
            return;
        };
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // A journal that cannot be written only costs the ability to resume; the run itself
        // goes on, and the failure is visible with -v.
        if let Err(e) = writeln!(file, "{line}").and_then(|()| file.flush()) {
            tracing::warn!(journal = %self.path.display(), error = %e, "cannot write the fleet journal");
        }
    }

    /// Records that `device` was sent the call (and, once known, the operation it started).
    pub fn sent(&self, device: &str, operation: Option<&str>) {
        self.append(&Event {
            device: device.to_owned(),
            what: "sent".to_owned(),
            operation: operation.map(str::to_owned),
            ok: None,
        });
    }

    /// Records `device`'s outcome.
    pub fn done(&self, device: &str, ok: bool) {
        self.append(&Event {
            device: device.to_owned(),
            what: "done".to_owned(),
            operation: None,
            ok: Some(ok),
        });
    }

    /// Writes `devices` one per line next to the journal, for `--devices-from`.
    pub fn write_remaining(&self, devices: &[String]) -> Result<PathBuf, CliError> {
        let path = self.path.with_extension("remaining.txt");
        let mut file = private_file(&path, false)?;
        let mut text = String::new();
        for device in devices {
            text.push_str(device);
            text.push('\n');
        }
        file.write_all(text.as_bytes())
            .map_err(|e| CliError::io(format!("device list {}", path.display()), e))?;
        Ok(path)
    }

    /// The run finished: its journal (and any list of remaining devices) goes away.
    pub fn finish(self) {
        let _ = fs::remove_file(self.path.with_extension("remaining.txt"));
        let _ = fs::remove_file(&self.path);
    }
}

fn read(path: &Path) -> Result<(Header, Vec<Event>), CliError> {
    let file =
        File::open(path).map_err(|e| CliError::io(format!("journal {}", path.display()), e))?;
    let mut lines = BufReader::new(file).lines();
    let bad = || {
        CliError::new(
            Exit::Failure,
            format!("the journal {} is not readable", path.display()),
        )
        .with_hint("run the command without --resume to start over")
    };
    let first = lines.next().ok_or_else(bad)?.map_err(|_| bad())?;
    let header: Header = serde_json::from_str(&first).map_err(|_| bad())?;
    if header.v != VERSION {
        return Err(bad());
    }
    // A line cut short by a crash is the last one; skip what does not parse.
    let events = lines
        .map_while(Result::ok)
        .filter_map(|line| serde_json::from_str(&line).ok())
        .collect();
    Ok((header, events))
}

/// "Nothing to resume for this command", naming the interrupted runs that do exist.
fn no_such_run(dir: &Path, hub: &str, args: &[String]) -> CliError {
    let mut runs: Vec<Header> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
        .filter_map(|e| read(&e.path()).ok().map(|(h, _)| h))
        .collect();
    runs.sort_by_key(|h| std::cmp::Reverse(h.started_at));
    let this = shell_line(args);
    if runs.is_empty() {
        return CliError::usage(format!(
            "--resume: there is no interrupted fleet run to resume (`{this}`)"
        ))
        .with_hint("run the command without --resume");
    }
    let mut listed = String::new();
    for run in runs.iter().take(5) {
        let _ = write!(
            listed,
            "\n  {} (hub {}, started {})",
            shell_line(&run.args),
            run.hub,
            run.started_at
        );
    }
    let reason = if runs.iter().any(|h| h.args == args) {
        format!("the interrupted run of `{this}` was on another hub than {hub}")
    } else {
        format!("no interrupted run has exactly these arguments (`{this}`)")
    };
    CliError::usage(format!(
        "--resume continues only the same command on the same hub: {reason}; interrupted runs:{listed}"
    ))
    .with_hint("run one of them again exactly, with --resume, or this one without --resume")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn presentation_flags_and_secrets_do_not_change_the_run() {
        let args = normalize(
            strings(&[
                "reboot",
                "--query",
                "tags.x = 1",
                "-o",
                "json",
                "--yes",
                "--hub",
                "HostName=h;SharedAccessKey=k",
                "--wait",
                "-vv",
                "--resume",
                "--output=jsonl",
                "-ojson",
            ])
            .into_iter(),
        );
        assert_eq!(
            args,
            strings(&["reboot", "--query", "tags.x = 1", "--wait"])
        );
    }

    #[test]
    fn the_continue_command_names_only_the_file() {
        let args = strings(&[
            "reboot",
            "-d",
            "a",
            "--device",
            "b",
            "--query=x",
            "--devices-from",
            "f",
            "-dc",
            "--wait",
        ]);
        let line = shell_line(&with_devices_from(&args, Path::new("/tmp/rest list.txt")));
        assert_eq!(
            line,
            "dmctl reboot --wait --devices-from '/tmp/rest list.txt'"
        );
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn a_resumed_run_knows_what_was_done_sent_and_left() {
        let dir = tempfile::tempdir().unwrap();
        let args = strings(&["reboot", "--query", "*", "--wait"]);
        let (journal, replaced) = Journal::create(
            dir.path(),
            "hub.example",
            args.clone(),
            strings(&["a", "b", "c", "d"]),
        )
        .unwrap();
        assert!(!replaced);
        journal.sent("a", None);
        journal.sent("a", Some("op-a"));
        journal.done("a", true);
        journal.sent("b", None);
        journal.sent("c", Some("op-c"));
        journal.done("d", false);
        drop(journal);

        let (_, progress) = Journal::resume(dir.path(), "hub.example", &args).unwrap();
        assert_eq!(
            progress,
            Progress {
                done: vec![("a".into(), true), ("d".into(), false)],
                sent: vec![("b".into(), None), ("c".into(), Some("op-c".into()))],
                remaining: vec![],
            }
        );

        // Another command, or the same one on another hub, is refused and the run is named.
        let other = Journal::resume(dir.path(), "hub.example", &strings(&["reboot", "--wait"]))
            .unwrap_err();
        assert_eq!(other.exit(), Exit::Usage);
        assert!(
            other.message().contains("dmctl reboot --query '*' --wait"),
            "{other}"
        );
        let elsewhere = Journal::resume(dir.path(), "other.example", &args).unwrap_err();
        assert!(elsewhere.message().contains("another hub"), "{elsewhere}");
    }

    #[cfg(unix)]
    #[test]
    fn the_journal_is_private() {
        use std::os::unix::fs::PermissionsExt as _;
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("dmctl").join("journal");
        let (journal, _) = Journal::create(&dir, "h", strings(&["info"]), strings(&["a"])).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(journal.path()), 0o600);
        let rest = journal.write_remaining(&strings(&["a"])).unwrap();
        assert_eq!(mode(&rest), 0o600);
        let path = journal.path().to_path_buf();
        journal.finish();
        assert!(!path.exists() && !rest.exists());
    }
}
