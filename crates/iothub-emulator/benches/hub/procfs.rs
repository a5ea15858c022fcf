//! Memory, threads, descriptors and CPU time of a process, and the machine's load, from `/proc`.
//!
//! Resident set size is what the operating system actually charges the hub for its
//! connections (allocator caches and thread stacks included), which is the number an operator
//! sizing a machine needs; no allocator statistics crate would give that.

use std::time::Duration;

use crate::Error;

/// One snapshot of a process's `/proc/{pid}/status`.
#[derive(Debug, Clone, Copy)]
pub struct ProcStatus {
    /// `VmRSS`: resident memory now, in KiB.
    pub rss_kib: u64,
    /// `VmHWM`: the peak resident memory so far, in KiB.
    pub hwm_kib: u64,
    /// `Threads`: threads in the process.
    pub threads: u64,
}

/// Reads the status of `pid`, or of this process when `None`.
pub fn status(pid: Option<u32>) -> Result<ProcStatus, Error> {
    let path = pid.map_or_else(
        || "/proc/self/status".to_string(),
        |p| format!("/proc/{p}/status"),
    );
    let text = std::fs::read_to_string(&path).map_err(|e| format!("reading {path}: {e}"))?;
    let field = |name: &str| -> Result<u64, Error> {
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("{path} has no numeric `{name}` line").into())
    };
    Ok(ProcStatus {
        rss_kib: field("VmRSS")?,
        hwm_kib: field("VmHWM")?,
        threads: field("Threads")?,
    })
}

/// How many file descriptors this process has open (`/proc/self/fd`).
pub fn open_fds() -> Result<usize, Error> {
    let entries =
        std::fs::read_dir("/proc/self/fd").map_err(|e| format!("listing /proc/self/fd: {e}"))?;
    Ok(entries.count())
}

/// The soft limit on open files (`Max open files` in `/proc/self/limits`); `None` when
/// unlimited.
pub fn open_files_limit() -> Result<Option<u64>, Error> {
    let text = std::fs::read_to_string("/proc/self/limits")
        .map_err(|e| format!("reading /proc/self/limits: {e}"))?;
    let soft = text
        .lines()
        .find_map(|line| line.strip_prefix("Max open files"))
        .and_then(|rest| rest.split_whitespace().next())
        .ok_or("/proc/self/limits has no `Max open files` line")?;
    if soft == "unlimited" {
        return Ok(None);
    }
    soft.parse()
        .map(Some)
        .map_err(|e| format!("`Max open files` soft limit '{soft}': {e}").into())
}

/// CPU time (user + system, all threads, including exited ones) used by `pid`, or by this
/// process when `None`. CPU per operation is the bench's contention-proof figure: wall-clock
/// rates on a shared 2-core machine move with whatever else runs, CPU cost per call does not.
pub fn cpu_time(pid: Option<u32>) -> Result<Duration, Error> {
    /// `/proc/*/stat` counts in `USER_HZ` ticks, which Linux fixes at 100 for user space.
    const TICKS_PER_SEC: u64 = 100;
    let path = pid.map_or_else(
        || "/proc/self/stat".to_string(),
        |p| format!("/proc/{p}/stat"),
    );
    let text = std::fs::read_to_string(&path).map_err(|e| format!("reading {path}: {e}"))?;
    // The command name (field 2) may contain spaces; the numeric fields follow its last ')'.
    let after_name = text
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| format!("{path} has no command name"))?;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 (utime) and 15 (stime) of stat(5), counted from 3 (state) here.
    let ticks = |index: usize| -> Result<u64, Error> {
        fields
            .get(index)
            .and_then(|f| f.parse().ok())
            .ok_or_else(|| format!("{path} field {} is not a number", index + 3).into())
    };
    let total = ticks(11)? + ticks(12)?;
    Ok(Duration::from_millis(total * 1000 / TICKS_PER_SEC))
}

/// The 1, 5 and 15 minute load averages, as `/proc/loadavg` prints them.
pub fn load_average() -> Result<String, Error> {
    let text = std::fs::read_to_string("/proc/loadavg")
        .map_err(|e| format!("reading /proc/loadavg: {e}"))?;
    Ok(text
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" "))
}
