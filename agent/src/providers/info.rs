//! Device info: OS, kernel, CPU, memory, disks, boot time and uptime.
//!
//! Values the agent cannot read are left out, never filled with placeholders, so an operator
//! can tell "unknown" from a real value.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dm_contract::{Backend, DeviceInfo, DiskInfo, ProviderStatus};
use futures::future::BoxFuture;
use jiff::Timestamp;

use super::{active, read_text, under};
use crate::error::DmResult;
use crate::runner::{Command, Runner};

/// The agent's own version, reported in the info and the manifest.
pub const AGENT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Collects the device inventory.
pub trait InfoProvider: Send + Sync + 'static {
    /// Whether the provider can serve, and its backend.
    fn status(&self) -> ProviderStatus;
    /// The inventory now.
    fn collect(&self) -> BoxFuture<'_, DmResult<DeviceInfo>>;
}

/// `KEY=value` pairs of an os-release file (quotes removed).
pub fn parse_os_release(text: &str) -> std::collections::HashMap<String, String> {
    text.lines()
        .filter_map(|line| {
            let (k, v) = line.trim().split_once('=')?;
            if k.starts_with('#') {
                return None;
            }
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(v);
            Some((k.to_owned(), v.replace("\\\"", "\"")))
        })
        .collect()
}

/// CPU model and logical CPU count from `/proc/cpuinfo` (x86 `model name`, ARM `Model` or
/// `Hardware`).
pub fn parse_cpuinfo(text: &str) -> (Option<String>, Option<u32>) {
    let mut model = None;
    let mut fallback = None;
    let mut count = 0_u32;
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        match key {
            "processor" => count += 1,
            "model name" | "Model" if model.is_none() && !value.is_empty() => {
                model = Some(value.to_owned());
            }
            "Hardware" | "CPU part" if fallback.is_none() && !value.is_empty() => {
                fallback = Some(value.to_owned());
            }
            _ => {}
        }
    }
    (model.or(fallback), (count > 0).then_some(count))
}

/// `MemTotal` and `MemAvailable` of `/proc/meminfo`, in bytes.
pub fn parse_meminfo(text: &str) -> (Option<u64>, Option<u64>) {
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kib| kib * 1024)
    };
    (field("MemTotal"), field("MemAvailable"))
}

/// `df -P -B1` output: mount, size and available bytes per line.
pub fn parse_df(text: &str) -> Vec<DiskInfo> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.len() < 6 {
                return None;
            }
            Some(DiskInfo {
                mount: cols[5..].join(" "),
                total_bytes: cols[1].parse().ok()?,
                available_bytes: cols[3].parse().ok()?,
            })
        })
        .collect()
}

fn first_line(path: &Path) -> Option<String> {
    read_text(path)
        .ok()
        .flatten()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

fn fill_os(info: &mut DeviceInfo, root: &Path) {
    let text = read_text(&under(root, "/etc/os-release"))
        .ok()
        .flatten()
        .or_else(|| {
            read_text(&under(root, "/usr/lib/os-release"))
                .ok()
                .flatten()
        });
    if let Some(text) = text {
        let os = parse_os_release(&text);
        info.os_id = os.get("ID").cloned();
        info.os_version = os.get("VERSION_ID").cloned();
        info.os_pretty_name = os.get("PRETTY_NAME").cloned();
    }
}

fn fill_hardware(info: &mut DeviceInfo, proc_root: &Path) {
    if let Some(text) = read_text(&under(proc_root, "/proc/cpuinfo")).ok().flatten() {
        (info.cpu_model, info.cpu_count) = parse_cpuinfo(&text);
    }
    if let Some(text) = read_text(&under(proc_root, "/proc/meminfo")).ok().flatten() {
        (info.memory_total_bytes, info.memory_available_bytes) = parse_meminfo(&text);
    }
}

fn uptime(boot: Option<Timestamp>) -> Option<u64> {
    let secs = Timestamp::now().duration_since(boot?).as_secs();
    u64::try_from(secs).ok()
}

/// Reads `/proc`, `/etc/os-release`, `uname -m` and `df` on a Linux device.
pub struct LinuxInfo {
    /// Runs `uname` and `df`.
    runner: Arc<dyn Runner>,
    /// File-system root.
    root: PathBuf,
    /// Mount points to report.
    mounts: Vec<String>,
}

impl LinuxInfo {
    /// Info from `root`, with disks for `mounts`.
    pub fn new(runner: Arc<dyn Runner>, root: &Path, mounts: &[String]) -> Self {
        Self {
            runner,
            root: root.to_owned(),
            mounts: mounts.to_vec(),
        }
    }
}

impl InfoProvider for LinuxInfo {
    fn status(&self) -> ProviderStatus {
        active(Backend::Linux)
    }

    fn collect(&self) -> BoxFuture<'_, DmResult<DeviceInfo>> {
        Box::pin(async move {
            let mut info = DeviceInfo {
                hostname: first_line(&under(&self.root, "/proc/sys/kernel/hostname"))
                    .or_else(|| first_line(&under(&self.root, "/etc/hostname"))),
                kernel: first_line(&under(&self.root, "/proc/sys/kernel/osrelease")),
                agent_version: Some(AGENT_VERSION.to_owned()),
                ..DeviceInfo::default()
            };
            fill_os(&mut info, &self.root);
            fill_hardware(&mut info, &self.root);
            if let Ok(out) = self.runner.run(Command::new("uname", ["-m"])).await
                && out.success()
            {
                info.arch = Some(out.stdout_text().trim().to_owned()).filter(|a| !a.is_empty());
            }
            if !self.mounts.is_empty() {
                let mut args = vec!["-P".to_owned(), "-B1".to_owned()];
                args.extend(self.mounts.iter().cloned());
                if let Ok(out) = self.runner.run(Command::new("df", args)).await {
                    // df exits 1 when one mount is missing but still reports the others.
                    info.disks = parse_df(&out.stdout_text());
                }
            }
            info.boot_time = read_text(&under(&self.root, "/proc/stat"))
                .ok()
                .flatten()
                .and_then(|t| super::reboot::parse_btime(&t));
            info.uptime_seconds = read_text(&under(&self.root, "/proc/uptime"))
                .ok()
                .flatten()
                .and_then(|t| t.split_whitespace().next()?.parse::<f64>().ok())
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(|s| {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let whole = s as u64;
                    whole
                })
                .or_else(|| uptime(info.boot_time));
            Ok(info)
        })
    }
}

/// The sandbox's info: its own os-release, host name and boot time; the host's CPU and memory.
pub struct SandboxInfo {
    /// The sandbox.
    dir: PathBuf,
    /// Host name to report.
    hostname: Option<String>,
}

impl SandboxInfo {
    /// Info for the sandbox in `dir` (seeding a sandbox os-release).
    pub fn new(dir: &Path, hostname: Option<String>) -> DmResult<Self> {
        let os_release = dir.join("etc/os-release");
        if !os_release.exists() {
            super::ensure_dir(&dir.join("etc"))?;
            let text = "PRETTY_NAME=\"dmctl sandbox (Debian GNU/Linux 12 compatible)\"\nID=dmctl-sandbox\nID_LIKE=debian\nVERSION_ID=\"12\"\n";
            crate::state::write_atomic(&os_release, text.as_bytes(), 0o644)?;
        }
        Ok(Self {
            dir: dir.to_owned(),
            hostname,
        })
    }
}

impl InfoProvider for SandboxInfo {
    fn status(&self) -> ProviderStatus {
        active(Backend::Sandbox)
    }

    fn collect(&self) -> BoxFuture<'_, DmResult<DeviceInfo>> {
        Box::pin(async move {
            let boot_time =
                first_line(&self.dir.join("run/boot-time")).and_then(|t| t.parse().ok());
            let mut info = DeviceInfo {
                hostname: self.hostname.clone(),
                kernel: first_line(Path::new("/proc/sys/kernel/osrelease")),
                arch: Some(std::env::consts::ARCH.to_owned()),
                boot_time,
                uptime_seconds: uptime(boot_time),
                agent_version: Some(AGENT_VERSION.to_owned()),
                ..DeviceInfo::default()
            };
            fill_os(&mut info, &self.dir);
            fill_hardware(&mut info, Path::new("/"));
            Ok(info)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{Output, RecordingRunner};

    #[test]
    fn parsers_read_real_world_files() {
        let os = parse_os_release(
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n# comment=x\n",
        );
        assert_eq!(os["PRETTY_NAME"], "Debian GNU/Linux 12 (bookworm)");
        assert_eq!(os["ID"], "debian");
        assert!(!os.contains_key("# comment"));
        let arm = "processor\t: 0\nBogoMIPS\t: 108.00\nCPU part\t: 0xd08\n\nprocessor\t: 1\n\nHardware\t: BCM2835\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n";
        assert_eq!(
            parse_cpuinfo(arm),
            (Some("Raspberry Pi 4 Model B Rev 1.4".into()), Some(2))
        );
        assert_eq!(
            parse_cpuinfo("processor : 0\nmodel name : Intel(R) Xeon(R)\n")
                .0
                .as_deref(),
            Some("Intel(R) Xeon(R)")
        );
        assert_eq!(
            parse_meminfo(
                "MemTotal:        4027564 kB\nMemFree: 1 kB\nMemAvailable:    2940452 kB\n"
            ),
            (Some(4_124_225_536), Some(3_011_022_848))
        );
        let df = "Filesystem     1-blocks        Used   Available Capacity Mounted on\n/dev/root   31254528000  9242624000 22011904000      30% /\n";
        assert_eq!(
            parse_df(df),
            [DiskInfo {
                mount: "/".into(),
                total_bytes: 31_254_528_000,
                available_bytes: 22_011_904_000
            }]
        );
    }

    #[tokio::test]
    async fn linux_info_reads_under_root_and_leaves_unknowns_out() {
        let root = tempfile::tempdir().unwrap();
        for (path, text) in [
            ("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
            ("proc/sys/kernel/hostname", "sensor-042\n"),
            ("proc/sys/kernel/osrelease", "6.1.0-31-arm64\n"),
            ("proc/stat", "btime 1740809529\n"),
            ("proc/uptime", "13671.52 50000.00\n"),
        ] {
            let p = root.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let runner = RecordingRunner::new();
        runner.answer("uname -m", Output::ok("aarch64\n"));
        runner.answer(
            "df",
            Output::failed(1, "df: /data: No such file or directory"),
        );
        let info = LinuxInfo::new(
            Arc::new(runner.clone()),
            root.path(),
            &["/".into(), "/data".into()],
        )
        .collect()
        .await
        .unwrap();
        assert_eq!(info.hostname.as_deref(), Some("sensor-042"));
        assert_eq!(info.os_id.as_deref(), Some("debian"));
        assert_eq!(info.kernel.as_deref(), Some("6.1.0-31-arm64"));
        assert_eq!(info.arch.as_deref(), Some("aarch64"));
        assert_eq!(
            info.boot_time,
            Some("2025-03-01T06:12:09Z".parse().unwrap())
        );
        assert_eq!(info.uptime_seconds, Some(13671));
        assert_eq!(
            info.cpu_model, None,
            "no cpuinfo under the root: absent, not a placeholder"
        );
        assert!(info.disks.is_empty());
        assert_eq!(info.agent_version.as_deref(), Some(AGENT_VERSION));
        assert_eq!(runner.lines(), ["uname -m", "df -P -B1 / /data"]);
    }
}
