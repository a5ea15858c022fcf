//! Re-running this bench executable as a helper process (the device fleet, the REST load
//! driver), and the line protocol the parent reads from it.
//!
//! Helpers live in their own processes so the hub process holds nothing but the hub: its memory,
//! descriptors and CPU time can then be read from `/proc` without the clients' share. A helper
//! reports on stdout one line at a time and exits when its stdin closes, so it never outlives
//! the bench (and `kill_on_drop` covers a parent that fails half-way).

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

use crate::Error;

/// A running helper process.
pub struct Helper {
    /// What it is, for error messages.
    what: &'static str,
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Lines<BufReader<ChildStdout>>,
}

impl Helper {
    /// Starts this executable with `args` (the first one selects the helper's mode).
    pub fn spawn(what: &'static str, args: &[String]) -> Result<Self, Error> {
        let exe =
            std::env::current_exe().map_err(|e| format!("locating the bench executable: {e}"))?;
        let mut child = Command::new(exe)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("starting the {what} process: {e}"))?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| format!("the {what} process has no stdout pipe"))?;
        Ok(Self {
            what,
            child,
            stdin,
            stdout: BufReader::new(stdout).lines(),
        })
    }

    /// The process id, for reading its memory and CPU time.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Reads lines until one starts with `prefix` and returns the rest of it; `on_other` sees
    /// every other line (progress reports).
    pub async fn wait_for(
        &mut self,
        prefix: &str,
        timeout: Duration,
        mut on_other: impl FnMut(&str),
    ) -> Result<String, Error> {
        let what = self.what;
        let wait = async {
            loop {
                let line = self
                    .stdout
                    .next_line()
                    .await
                    .map_err(|e| format!("reading the {what} process's output: {e}"))?
                    .ok_or_else(|| format!("the {what} process exited before saying '{prefix}'"))?;
                match line.strip_prefix(prefix) {
                    Some(rest) => return Ok::<String, Error>(rest.trim_start().to_string()),
                    None => on_other(&line),
                }
            }
        };
        tokio::time::timeout(timeout, wait)
            .await
            .map_err(|_| format!("the {what} process did not say '{prefix}' within {timeout:?}"))?
    }

    /// Closes the helper's stdin (its signal to finish) and waits for it to exit; kills it if
    /// it does not within 30 s.
    pub async fn stop(mut self) -> Result<(), Error> {
        drop(self.stdin.take());
        if tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .is_err()
        {
            self.child
                .kill()
                .await
                .map_err(|e| format!("killing the {} process: {e}", self.what))?;
        }
        Ok(())
    }
}

/// Resolves when this process's stdin closes: a helper's signal that the parent is done with
/// it (or gone).
pub async fn stdin_closed() {
    use tokio::io::AsyncReadExt;
    let mut stdin = tokio::io::stdin();
    let mut buf = [0u8; 64];
    while let Ok(n) = stdin.read(&mut buf).await {
        if n == 0 {
            break;
        }
    }
}
