//! The one seam through which Linux backends run system commands.
//!
//! Every command a Linux backend runs goes through [`Runner`], so tests can replace the process
//! spawner with [`RecordingRunner`] and assert the exact command lines a backend would run on a
//! device (CI has no systemd, apt or `NetworkManager`). Commands are argument vectors, never shell
//! strings, so a name from the cloud cannot become shell syntax; and no secret is ever put on a
//! command line (other users can read `/proc/*/cmdline`), so command lines are safe to log.

use std::collections::{BTreeSet, VecDeque};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use futures::future::BoxFuture;
use tokio::io::AsyncReadExt as _;

use crate::error::{DmError, DmResult};

/// One command: a program and its arguments (no shell involved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The program, looked up on `PATH` when not absolute.
    pub program: String,
    /// The arguments.
    pub args: Vec<String>,
    /// Extra environment variables.
    pub env: Vec<(String, String)>,
    /// Keep only the last this-many bytes of standard output (log collection can be huge).
    pub stdout_limit: Option<usize>,
    /// Run as this user instead of the agent's own (the agent must be root to switch).
    pub run_as: Option<RunAs>,
}

/// A user a command runs as: the process switches to its uid and primary gid, and (when the
/// agent is root) drops every supplementary group, before the program starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunAs {
    /// The user's name (for messages).
    pub name: String,
    /// Its uid.
    pub uid: u32,
    /// Its primary gid.
    pub gid: u32,
}

impl Command {
    /// A command from a program and its arguments.
    pub fn new<I, S>(program: impl Into<String>, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            program: program.into(),
            args: args.into_iter().map(Into::into).collect(),
            env: Vec::new(),
            stdout_limit: None,
            run_as: None,
        }
    }

    /// Runs the command as `user` (see [`RunAs`]).
    #[must_use]
    pub fn run_as(mut self, user: Option<RunAs>) -> Self {
        self.run_as = user;
        self
    }

    /// Adds an environment variable.
    #[must_use]
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Keeps only the newest `limit` bytes of standard output.
    #[must_use]
    pub fn stdout_limit(mut self, limit: usize) -> Self {
        self.stdout_limit = Some(limit);
        self
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (key, value) in &self.env {
            write!(f, "{key}={value} ")?;
        }
        f.write_str(&self.program)?;
        for arg in &self.args {
            write!(f, " {arg}")?;
        }
        Ok(())
    }
}

/// What a finished command produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// The exit code; `None` when killed by a signal.
    pub status: Option<i32>,
    /// Standard output (its tail, when the command set a limit).
    pub stdout: Vec<u8>,
    /// Standard error.
    pub stderr: Vec<u8>,
    /// Whether standard output was cut to the command's limit.
    pub stdout_truncated: bool,
}

impl Output {
    /// Exit code 0 with this standard output.
    pub fn ok(stdout: impl Into<Vec<u8>>) -> Self {
        Self {
            status: Some(0),
            stdout: stdout.into(),
            ..Self::default()
        }
    }

    /// A failure with this exit code and standard error.
    pub fn failed(code: i32, stderr: impl Into<Vec<u8>>) -> Self {
        Self {
            status: Some(code),
            stderr: stderr.into(),
            ..Self::default()
        }
    }

    /// Whether the command exited with 0.
    pub fn success(&self) -> bool {
        self.status == Some(0)
    }

    /// Standard output as text (lossy).
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// Runs system commands for the Linux backends.
pub trait Runner: Send + Sync + 'static {
    /// Runs `command` to completion and returns its output, whatever its exit code.
    fn run(&self, command: Command) -> BoxFuture<'_, DmResult<Output>>;

    /// Whether `program` can be run here (found on `PATH`, or an existing absolute path).
    /// Backends call this at start-up to decide what they support.
    fn has_program(&self, program: &str) -> bool;
}

/// Runs `command` and turns a non-zero exit into [`DmError::Command`].
pub async fn run_checked(runner: &dyn Runner, command: Command) -> DmResult<Output> {
    let line = command.to_string();
    let output = runner.run(command).await?;
    if output.success() {
        return Ok(output);
    }
    Err(DmError::Command {
        command: line,
        status: output.status.map_or_else(
            || "killed by a signal".to_owned(),
            |c| format!("exit code {c}"),
        ),
        stderr: tail_lines(&String::from_utf8_lossy(&output.stderr), 3),
    })
}

/// The last `n` non-empty lines of `text`, joined with `; ` (for error messages).
fn tail_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let start = lines.len().saturating_sub(n);
    let joined = lines[start..].join("; ");
    if joined.is_empty() {
        "no error output".to_owned()
    } else {
        joined
    }
}

/// Spawns real processes.
#[derive(Debug, Default, Clone)]
pub struct SystemRunner;

impl SystemRunner {
    /// A runner for the host.
    pub fn new() -> Self {
        Self
    }
}

impl Runner for SystemRunner {
    fn run(&self, command: Command) -> BoxFuture<'_, DmResult<Output>> {
        Box::pin(async move {
            let spawn_error = |source| DmError::Spawn {
                program: command.program.clone(),
                error: source,
            };
            let mut process = tokio::process::Command::new(&command.program);
            if let Some(user) = &command.run_as {
                // std clears the supplementary groups itself when a root process sets a uid.
                process.uid(user.uid).gid(user.gid);
            }
            let mut child = process
                .args(&command.args)
                .envs(command.env.iter().map(|(k, v)| (k, v)))
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .kill_on_drop(true)
                .spawn()
                .map_err(spawn_error)?;
            let stdout = child.stdout.take();
            let stderr = child.stderr.take();
            let limit = command.stdout_limit.unwrap_or(usize::MAX);
            let (out, err) = tokio::join!(read_tail(stdout, limit), read_tail(stderr, 64 * 1024));
            let status = child.wait().await.map_err(spawn_error)?;
            let (stdout, stdout_truncated) = out.map_err(spawn_error)?;
            let (stderr, _) = err.map_err(spawn_error)?;
            Ok(Output {
                status: status.code(),
                stdout,
                stderr,
                stdout_truncated,
            })
        })
    }

    fn has_program(&self, program: &str) -> bool {
        find_program(program).is_some()
    }
}

/// Reads a pipe to the end, keeping only its last `limit` bytes.
async fn read_tail<R: tokio::io::AsyncRead + Unpin>(
    pipe: Option<R>,
    limit: usize,
) -> std::io::Result<(Vec<u8>, bool)> {
    let Some(mut pipe) = pipe else {
        return Ok((Vec::new(), false));
    };
    let mut kept: VecDeque<u8> = VecDeque::new();
    let mut truncated = false;
    let mut buf = vec![0_u8; 16 * 1024];
    loop {
        let n = pipe.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        kept.extend(&buf[..n]);
        if kept.len() > limit {
            let excess = kept.len() - limit;
            kept.drain(..excess);
            truncated = true;
        }
    }
    Ok((kept.into(), truncated))
}

/// Looks `program` up like a shell would: an absolute path as is, otherwise on `PATH`.
pub fn find_program(program: &str) -> Option<PathBuf> {
    let is_exec = |p: &Path| {
        use std::os::unix::fs::PermissionsExt as _;
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if program.contains('/') {
        let path = PathBuf::from(program);
        return is_exec(&path).then_some(path);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| is_exec(p))
}

/// A fake runner for tests: records every command and answers from a script.
#[derive(Clone, Default)]
pub struct RecordingRunner {
    inner: Arc<Mutex<Recording>>,
}

impl fmt::Debug for RecordingRunner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordingRunner")
            .field("commands", &self.lock().commands.len())
            .finish()
    }
}

#[derive(Default)]
struct Recording {
    commands: Vec<Command>,
    answers: Vec<(String, Output)>,
    missing: BTreeSet<String>,
}

impl RecordingRunner {
    /// A runner on which every program exists and every command exits 0 without output.
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers commands whose line (as [`Command`]'s `Display` shows it) starts with `prefix`
    /// with `output`; the rule added last wins.
    pub fn answer(&self, prefix: &str, output: Output) {
        self.lock().answers.push((prefix.to_owned(), output));
    }

    /// Makes `programs` absent, as on a device without them.
    pub fn without(&self, programs: &[&str]) {
        self.lock()
            .missing
            .extend(programs.iter().map(|p| (*p).to_owned()));
    }

    /// Every command run so far, in order.
    pub fn commands(&self) -> Vec<Command> {
        self.lock().commands.clone()
    }

    /// Every command run so far, as lines.
    pub fn lines(&self) -> Vec<String> {
        self.lock()
            .commands
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Forgets the commands recorded so far (answers are kept).
    pub fn clear(&self) {
        self.lock().commands.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Recording> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Runner for RecordingRunner {
    fn run(&self, command: Command) -> BoxFuture<'_, DmResult<Output>> {
        let mut rec = self.lock();
        let result = if rec.missing.contains(&command.program) {
            Err(DmError::Spawn {
                program: command.program.clone(),
                error: std::io::Error::from(std::io::ErrorKind::NotFound),
            })
        } else {
            let line = command.to_string();
            Ok(rec
                .answers
                .iter()
                .rev()
                .find(|(prefix, _)| line.starts_with(prefix.as_str()))
                .map_or_else(|| Output::ok(Vec::new()), |(_, o)| o.clone()))
        };
        rec.commands.push(command);
        drop(rec);
        Box::pin(async move { result })
    }

    fn has_program(&self, program: &str) -> bool {
        !self.lock().missing.contains(program)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn system_runner_keeps_the_tail_of_stdout() {
        let runner = SystemRunner::new();
        let out = runner
            .run(Command::new("sh", ["-c", "printf 'abcdefghij'"]).stdout_limit(4))
            .await
            .unwrap();
        assert!(out.success());
        assert_eq!(out.stdout, b"ghij");
        assert!(out.stdout_truncated);
    }

    #[tokio::test]
    async fn run_checked_reports_exit_code_and_stderr() {
        let runner = SystemRunner::new();
        let err = run_checked(&runner, Command::new("sh", ["-c", "echo nope >&2; exit 3"]))
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("exit code 3") && text.contains("nope"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn missing_program_is_a_spawn_error() {
        let runner = SystemRunner::new();
        assert!(!runner.has_program("surely-not-a-program-dm"));
        assert!(runner.has_program("sh"));
        let err = runner
            .run(Command::new("surely-not-a-program-dm", [""; 0]))
            .await
            .unwrap_err();
        assert!(matches!(err, DmError::Spawn { .. }));
    }

    #[tokio::test]
    async fn recording_runner_scripts_answers_and_absent_programs() {
        let runner = RecordingRunner::new();
        runner.answer("systemctl is-active", Output::ok("active\n"));
        runner.without(&["nmcli"]);
        let out = runner
            .run(Command::new("systemctl", ["is-active", "a"]))
            .await
            .unwrap();
        assert_eq!(out.stdout_text(), "active\n");
        assert!(
            runner
                .run(Command::new("nmcli", ["general"]))
                .await
                .is_err()
        );
        assert!(!runner.has_program("nmcli"));
        assert_eq!(runner.lines(), ["systemctl is-active a", "nmcli general"]);
    }
}
