//! Diagnostics: collect the journal and log files, newest entries kept, size-capped.
//!
//! Files are read only inside an allow-list of directories. A request path is checked twice:
//! lexically against the allow-list (`..` is already refused by the contract), then after
//! resolving symbolic links, so a link inside `/var/log` pointing at `/etc/shadow` is refused
//! too; files found while walking a directory get the same check.
//!
//! A check on a path says nothing about what a later `open` of the same path finds: whoever
//! can write in a log directory could swap a checked file for a link between the two. So each
//! file is opened without following a final link (`O_NOFOLLOW`, and `O_NONBLOCK` so a FIFO
//! cannot hang the agent), and what was opened is checked, not the path: it must be a regular
//! file, and the kernel's name for the open descriptor must still be the checked path. Only
//! then is it read, from that descriptor.

use std::io::{Read as _, Seek as _, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dm_contract::{Backend, DiagnosticsCollectRequest, ProviderStatus};
use futures::future::BoxFuture;
use jiff::Timestamp;

use super::{active, under};
use crate::error::{DmError, DmResult};
use crate::runner::{Command, Runner, run_checked};

/// How deep a requested directory is walked.
const MAX_WALK_DEPTH: usize = 4;
/// The most files one collection reads.
const MAX_FILES: usize = 256;
/// Rotated, compressed logs are skipped: their bytes are not text.
const COMPRESSED: [&str; 5] = ["gz", "xz", "bz2", "zst", "lz4"];

/// Collected log text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Collected {
    /// The text (newest last).
    pub text: Vec<u8>,
    /// Whether older content was dropped to fit the cap.
    pub truncated: bool,
}

impl Collected {
    /// Appends `more`, then keeps only the newest `cap` bytes. Takes `more` by value so the
    /// first block moves in instead of being copied: a 64 MiB collection is then held once,
    /// not three times (file block, file set, journal + files).
    fn append(&mut self, more: Collected, cap: usize) {
        if self.text.is_empty() {
            self.text = more.text;
        } else {
            self.text.extend_from_slice(&more.text);
        }
        self.truncated |= more.truncated;
        self.cap(cap);
    }

    fn cap(&mut self, cap: usize) {
        if self.text.len() > cap {
            let cut = self.text.len() - cap;
            // Start at a line boundary when one is near, so the first line is whole.
            let start = self.text[cut..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(cut, |p| cut + p + 1);
            let start = if start - cut > 4096 || start >= self.text.len() {
                cut
            } else {
                start
            };
            self.text.drain(..start);
            self.truncated = true;
        }
    }
}

/// Reads logs.
pub trait DiagnosticsProvider: Send + Sync + 'static {
    /// Whether the provider can serve, and its backend.
    fn status(&self) -> ProviderStatus;
    /// Whether a journal can be read here.
    fn has_journal(&self) -> bool;
    /// Journal entries (optionally of `units`) between `since` and `until`, newest `cap` bytes.
    fn journal<'a>(
        &'a self,
        units: &'a [String],
        since: Option<Timestamp>,
        until: Option<Timestamp>,
        cap: usize,
    ) -> BoxFuture<'a, DmResult<Collected>>;
    /// The files a request path names, after the allow-list and symlink checks.
    fn resolve(&self, field: &str, path: &str) -> DmResult<Vec<PathBuf>>;
}

/// Runs a whole `dm.diagnostics.collect` request: the journal (if asked), then the files,
/// capped at `cap` bytes with the newest content kept.
pub async fn collect(
    provider: &dyn DiagnosticsProvider,
    request: &DiagnosticsCollectRequest,
    cap: usize,
) -> DmResult<Collected> {
    // Resolve every path first: a refused path must fail the request before any work.
    let mut files = Vec::new();
    for (i, path) in request.paths.iter().enumerate() {
        files.extend(provider.resolve(&format!("paths[{i}]"), path)?);
    }
    if request.journal && !provider.has_journal() && request.paths.is_empty() {
        return Err(DmError::NotSupported(
            "this device has no journal (journalctl was not found); ask for `paths` with `journal: false`".into(),
        ));
    }
    let mut out = Collected::default();
    if request.journal && provider.has_journal() {
        let journal = provider
            .journal(&request.units, request.since, request.until, cap)
            .await?;
        out.append(journal, cap);
    }
    let since = request.since;
    let collected = super::blocking(move || read_files(&files, since, cap)).await?;
    out.append(collected, cap);
    Ok(out)
}

/// Reads files oldest-modified first (so the newest end up last), each as a `==> path <==`
/// block, keeping only what fits in `cap`.
fn read_files(files: &[PathBuf], since: Option<Timestamp>, cap: usize) -> DmResult<Collected> {
    let mut dated: Vec<(std::time::SystemTime, &PathBuf)> = files
        .iter()
        .filter_map(|p| Some((p.metadata().ok()?.modified().ok()?, p)))
        .filter(|(modified, _)| {
            since.is_none_or(|s| Timestamp::try_from(*modified).is_ok_and(|m| m >= s))
        })
        .collect();
    dated.sort();
    let mut out = Collected::default();
    for (_, path) in dated {
        let (mut file, len) = open_checked(path)?;
        let cap_u64 = u64::try_from(cap).unwrap_or(u64::MAX);
        let mut block = Collected::default();
        if len > cap_u64 {
            file.seek(SeekFrom::Start(len - cap_u64))
                .map_err(|e| DmError::io("cannot read", path, e))?;
            block.truncated = true;
        }
        let header = format!("==> {} <==\n", path.display());
        // Sized up front: growing by doubling would briefly hold two copies of a large log.
        block
            .text
            .reserve_exact(header.len() + usize::try_from(len.min(cap_u64)).unwrap_or(cap) + 1);
        block.text.extend_from_slice(header.as_bytes());
        file.take(cap_u64)
            .read_to_end(&mut block.text)
            .map_err(|e| DmError::io("cannot read", path, e))?;
        if !block.text.ends_with(b"\n") {
            block.text.push(b'\n');
        }
        out.append(block, cap);
    }
    Ok(out)
}

/// Opens a resolved, checked `path` for reading and checks what was opened: a regular file
/// that is still `path` (no final link followed, no directory on the way swapped for a link).
/// Returns the file and its length.
fn open_checked(path: &Path) -> DmResult<(std::fs::File, u64)> {
    use std::os::fd::AsRawFd as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let changed = |what: &str| DmError::PathNotAllowed {
        field: "paths".to_owned(),
        reason: format!(
            "`{}` {what} after it was checked; it was not read",
            path.display()
        ),
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NOFOLLOW | nix::libc::O_NONBLOCK | nix::libc::O_NOCTTY)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(nix::libc::ELOOP) {
                changed("became a symbolic link")
            } else {
                DmError::io("cannot open", path, e)
            }
        })?;
    let meta = file
        .metadata()
        .map_err(|e| DmError::io("cannot read", path, e))?;
    if !meta.is_file() {
        return Err(changed("is no longer a regular file"));
    }
    // The kernel's own name for the descriptor: a directory on the way swapped for a link
    // shows here even though the last component was not a link.
    match std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())) {
        Ok(real) if real != path => {
            tracing::warn!(checked = %path.display(), opened = %real.display(), "a log path changed between its check and its open");
            return Err(changed("now leads elsewhere"));
        }
        Ok(_) => {}
        Err(e) => {
            tracing::debug!(error = %e, "no /proc/self/fd: only the last path component is protected");
        }
    }
    Ok((file, meta.len()))
}

/// Logs from the journal (journalctl, or the sandbox's journal file) and from files under an
/// allow-list.
pub struct FileDiagnostics {
    /// Backend reported in the manifest.
    backend: Backend,
    /// File-system root (`/`, or the sandbox).
    root: PathBuf,
    /// Allowed directories, absolute as seen from `root`.
    log_roots: Vec<String>,
    /// `journalctl` on Linux (when found).
    journalctl: Option<Arc<dyn Runner>>,
    /// The sandbox's journal file.
    journal_file: Option<PathBuf>,
}

impl FileDiagnostics {
    /// The Linux backend: `journalctl` if found, files under `log_roots`.
    pub fn linux(runner: Arc<dyn Runner>, root: &Path, log_roots: &[String]) -> Self {
        let journalctl = runner.has_program("journalctl").then_some(runner);
        Self {
            backend: Backend::Linux,
            root: root.to_owned(),
            log_roots: log_roots.to_vec(),
            journalctl,
            journal_file: None,
        }
    }

    /// The sandbox backend: `<sandbox>/var/log` (with the sandbox journal in it).
    pub fn sandbox(sandbox: &Path) -> Self {
        Self {
            backend: Backend::Sandbox,
            root: sandbox.to_owned(),
            log_roots: vec!["/var/log".to_owned()],
            journalctl: None,
            journal_file: Some(sandbox.join("var/log/journal.log")),
        }
    }

    fn not_allowed(&self, field: &str, reason: &str) -> DmError {
        DmError::PathNotAllowed {
            field: field.to_owned(),
            reason: format!(
                "{reason}; this agent reads logs only under {}",
                self.log_roots.join(", ")
            ),
        }
    }

    /// Walks `dir` (bounded), returning regular, uncompressed files inside `allowed`.
    fn walk(dir: &Path, allowed: &Path, depth: usize, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if out.len() >= MAX_FILES {
                return;
            }
            let Ok(real) = path.canonicalize() else {
                continue;
            };
            if !real.starts_with(allowed) {
                tracing::warn!(path = %path.display(), "skipping a link that leaves the log directory");
                continue;
            }
            if real.is_dir() {
                if depth < MAX_WALK_DEPTH {
                    Self::walk(&real, allowed, depth + 1, out);
                }
            } else if real.is_file()
                && real
                    .extension()
                    .is_none_or(|e| !COMPRESSED.iter().any(|c| e == *c))
            {
                out.push(real);
            }
        }
    }
}

impl DiagnosticsProvider for FileDiagnostics {
    fn status(&self) -> ProviderStatus {
        active(self.backend)
    }

    fn has_journal(&self) -> bool {
        self.journalctl.is_some() || self.journal_file.is_some()
    }

    fn journal<'a>(
        &'a self,
        units: &'a [String],
        since: Option<Timestamp>,
        until: Option<Timestamp>,
        cap: usize,
    ) -> BoxFuture<'a, DmResult<Collected>> {
        Box::pin(async move {
            if let Some(runner) = &self.journalctl {
                let mut args = vec![
                    "--no-pager".to_owned(),
                    "-q".to_owned(),
                    "-o".to_owned(),
                    "short-iso".to_owned(),
                ];
                if let Some(since) = since {
                    args.extend(["--since".to_owned(), format!("@{}", since.as_second())]);
                }
                if let Some(until) = until {
                    args.extend(["--until".to_owned(), format!("@{}", until.as_second())]);
                }
                for unit in units {
                    args.extend(["-u".to_owned(), unit.clone()]);
                }
                let out = run_checked(
                    runner.as_ref(),
                    Command::new("journalctl", args).stdout_limit(cap),
                )
                .await?;
                let mut collected = Collected {
                    text: out.stdout,
                    truncated: out.stdout_truncated,
                };
                collected.cap(cap);
                return Ok(collected);
            }
            let Some(file) = &self.journal_file else {
                return Err(DmError::NotSupported("no journal on this device".into()));
            };
            let text = super::read_text(file)?.unwrap_or_default();
            let mut kept = Vec::new();
            for line in text.lines() {
                let at = line
                    .split_whitespace()
                    .next()
                    .and_then(|t| t.parse::<Timestamp>().ok());
                if since.is_some_and(|s| at.is_none_or(|a| a < s))
                    || until.is_some_and(|u| at.is_none_or(|a| a >= u))
                {
                    continue;
                }
                let unit_ok = units.is_empty()
                    || units.iter().any(|u| {
                        let bare = u.strip_suffix(".service").unwrap_or(u);
                        line.contains(&format!(" {bare}:")) || line.contains(&format!(" {u}:"))
                    });
                if unit_ok {
                    kept.extend_from_slice(line.as_bytes());
                    kept.push(b'\n');
                }
            }
            let mut collected = Collected {
                text: kept,
                truncated: false,
            };
            collected.cap(cap);
            Ok(collected)
        })
    }

    fn resolve(&self, field: &str, path: &str) -> DmResult<Vec<PathBuf>> {
        dm_contract::check::absolute_path(field, path)?;
        let allowed = self
            .log_roots
            .iter()
            .find(|r| {
                let r = r.trim_end_matches('/');
                path == r || path.starts_with(&format!("{r}/"))
            })
            .ok_or_else(|| {
                self.not_allowed(
                    field,
                    &format!("`{path}` is outside the allowed directories"),
                )
            })?;
        let allowed_real = under(&self.root, allowed).canonicalize().map_err(|_| {
            DmError::NotFound(format!("the log directory {allowed} does not exist"))
        })?;
        let real = under(&self.root, path)
            .canonicalize()
            .map_err(|_| DmError::NotFound(format!("`{path}` does not exist")))?;
        if !real.starts_with(&allowed_real) {
            return Err(self.not_allowed(
                field,
                &format!("`{path}` resolves outside {allowed} through a symbolic link"),
            ));
        }
        if real.is_dir() {
            let mut files = Vec::new();
            Self::walk(&real, &allowed_real, 0, &mut files);
            Ok(files)
        } else if real.is_file() {
            Ok(vec![real])
        } else {
            Err(self.not_allowed(
                field,
                &format!("`{path}` is not a regular file or directory"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{Output, RecordingRunner};
    use std::fmt::Write as _;

    fn request(value: serde_json::Value) -> DiagnosticsCollectRequest {
        serde_json::from_value(value).unwrap()
    }

    fn fixture() -> (tempfile::TempDir, FileDiagnostics, RecordingRunner) {
        let root = tempfile::tempdir().unwrap();
        let logs = root.path().join("var/log");
        std::fs::create_dir_all(logs.join("app")).unwrap();
        std::fs::create_dir_all(root.path().join("etc")).unwrap();
        std::fs::write(root.path().join("etc/shadow"), "root:secret-hash\n").unwrap();
        std::fs::write(logs.join("app/app.log"), "line 1\nline 2\n").unwrap();
        std::fs::write(logs.join("app/app.log.1.gz"), [0x1f, 0x8b, 0]).unwrap();
        std::os::unix::fs::symlink(root.path().join("etc/shadow"), logs.join("app/shadow"))
            .unwrap();
        std::os::unix::fs::symlink(root.path().join("etc"), logs.join("etc-link")).unwrap();
        let runner = RecordingRunner::new();
        let diag = FileDiagnostics::linux(
            Arc::new(runner.clone()),
            root.path(),
            &["/var/log".to_owned()],
        );
        (root, diag, runner)
    }

    #[tokio::test]
    async fn journal_and_files_are_collected_with_the_exact_command() {
        let (_root, diag, runner) = fixture();
        runner.answer(
            "journalctl",
            Output::ok("2025-03-01T10:00:00+0000 dev plc-bridge[1]: up\n"),
        );
        let req = request(serde_json::json!({
            "units": ["plc-bridge.service"], "paths": ["/var/log/app"],
            "since": "2025-03-01T08:00:00Z", "until": "2025-03-01T09:00:00Z"
        }));
        let out = collect(&diag, &req, 1 << 20).await.unwrap();
        let text = String::from_utf8(out.text).unwrap();
        assert!(
            text.starts_with("2025-03-01T10:00:00+0000 dev plc-bridge[1]: up\n==> "),
            "{text}"
        );
        assert!(text.contains("app.log <==\nline 1\nline 2\n"), "{text}");
        assert!(
            !text.contains("secret-hash"),
            "a symlink out of /var/log is never followed"
        );
        assert!(!text.contains('\u{8b}'), "compressed logs are skipped");
        assert_eq!(
            runner.lines(),
            [
                "journalctl --no-pager -q -o short-iso --since @1740816000 --until @1740819600 -u plc-bridge.service"
            ]
        );
    }

    #[test]
    fn paths_outside_the_allow_list_are_refused() {
        let (_root, diag, _) = fixture();
        for (path, code) in [
            ("/etc/shadow", "pathNotAllowed"),
            ("/var/logs/x", "pathNotAllowed"),
            ("/var/log/app/shadow", "pathNotAllowed"),
            ("/var/log/etc-link/shadow", "pathNotAllowed"),
            ("/var/log/../etc/shadow", "invalidPayload"),
            ("/var/log/missing.log", "notFound"),
        ] {
            let err = diag.resolve("paths[0]", path).unwrap_err();
            assert_eq!(err.code(), code, "{path}: {err}");
        }
        let err = diag.resolve("paths[3]", "/etc/shadow").unwrap_err();
        assert_eq!(err.field(), Some("paths[3]"));
    }

    #[test]
    fn a_file_swapped_for_a_link_after_the_check_is_not_read() {
        let (root, diag, _) = fixture();
        let logs = root.path().join("var/log");
        std::fs::write(logs.join("app/late.log"), "harmless\n").unwrap();
        let files = diag.resolve("paths[0]", "/var/log/app/late.log").unwrap();
        assert_eq!(files.len(), 1);
        // The swap: between the check and the read, the file becomes a link out of /var/log.
        std::fs::remove_file(&files[0]).unwrap();
        std::os::unix::fs::symlink(root.path().join("etc/shadow"), &files[0]).unwrap();
        let err = read_files(&files, None, 1 << 20).unwrap_err();
        assert_eq!(err.code(), "pathNotAllowed", "{err}");
        assert!(err.to_string().contains("symbolic link"), "{err}");

        // A directory on the way swapped for a link is caught by what was opened.
        std::fs::create_dir_all(logs.join("svc")).unwrap();
        std::fs::write(logs.join("svc/shadow"), "ok\n").unwrap();
        let files = diag.resolve("paths[0]", "/var/log/svc/shadow").unwrap();
        std::fs::rename(logs.join("svc"), logs.join("svc.old")).unwrap();
        std::os::unix::fs::symlink(root.path().join("etc"), logs.join("svc")).unwrap();
        let err = read_files(&files, None, 1 << 20).unwrap_err();
        assert_eq!(err.code(), "pathNotAllowed", "{err}");
        assert!(!err.to_string().contains("secret-hash"));

        // A FIFO put in place of a file neither hangs the agent nor is read.
        std::fs::write(logs.join("app/pipe.log"), "x\n").unwrap();
        let files = diag.resolve("paths[0]", "/var/log/app/pipe.log").unwrap();
        std::fs::remove_file(&files[0]).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(&files[0])
            .status()
            .unwrap();
        assert!(made.success());
        let err = read_files(&files, None, 1 << 20).unwrap_err();
        assert_eq!(err.code(), "pathNotAllowed", "{err}");
    }

    #[tokio::test]
    async fn the_cap_keeps_the_newest_bytes() {
        let (root, diag, runner) = fixture();
        runner.without(&["journalctl"]);
        let diag_no_journal =
            FileDiagnostics::linux(Arc::new(runner), root.path(), &["/var/log".to_owned()]);
        let big: String = (0..2000).fold(String::new(), |mut s, i| {
            let _ = writeln!(s, "entry {i:05}");
            s
        });
        std::fs::write(root.path().join("var/log/big.log"), &big).unwrap();
        let req = request(serde_json::json!({"journal": false, "paths": ["/var/log/big.log"]}));
        let out = collect(&diag_no_journal, &req, 1024).await.unwrap();
        assert!(out.truncated);
        assert!(out.text.len() <= 1024);
        let text = String::from_utf8(out.text).unwrap();
        assert!(text.ends_with("entry 01999\n"));
        assert!(
            text.starts_with("entry "),
            "starts at a whole line: {text:.20}"
        );
        // Without a journal, a journal-only request is not supported.
        let journal_only = request(serde_json::json!({}));
        assert_eq!(
            collect(&diag_no_journal, &journal_only, 1024)
                .await
                .unwrap_err()
                .status(),
            501
        );
        let _ = diag;
    }

    #[tokio::test]
    async fn the_sandbox_journal_filters_by_unit_and_time() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("var/log")).unwrap();
        std::fs::write(
            dir.path().join("var/log/journal.log"),
            "2025-03-01T10:00:00Z sandbox apt: upgraded curl\n2025-03-01T11:00:00Z sandbox systemd: rebooting\n",
        )
        .unwrap();
        let diag = FileDiagnostics::sandbox(dir.path());
        let out = diag
            .journal(&["systemd".into()], None, None, 4096)
            .await
            .unwrap();
        assert_eq!(
            String::from_utf8(out.text).unwrap(),
            "2025-03-01T11:00:00Z sandbox systemd: rebooting\n"
        );
        let since = "2025-03-01T10:30:00Z".parse().ok();
        let out = diag.journal(&[], since, None, 4096).await.unwrap();
        assert!(String::from_utf8(out.text).unwrap().contains("rebooting"));
    }
}
