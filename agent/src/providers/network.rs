//! Wi-Fi profiles as `NetworkManager` keyfiles.
//!
//! A passphrase must never reach a command line (`/proc/*/cmdline` is world-readable), a log or
//! the twin. So the agent writes the profile as a keyfile (mode 0600, in the directory
//! `NetworkManager` reads) and asks `NetworkManager` to load it; reports carry only ids and SSIDs.
//! The sandbox writes the same keyfiles under `<sandbox>/etc/NetworkManager/`, which is what
//! makes the two backends one state machine.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dm_contract::{Backend, ProviderStatus, WifiAddRequest, WifiProfile, WifiSecurity};
use futures::future::BoxFuture;

use super::{active, inactive, not_active, under};
use crate::error::{DmError, DmResult};
use crate::runner::{Command, Runner, run_checked};

/// Where `NetworkManager` reads system connections, relative to the root.
const CONNECTIONS_DIR: &str = "/etc/NetworkManager/system-connections";

/// Lists, adds and removes Wi-Fi profiles.
pub trait NetworkProvider: Send + Sync + 'static {
    /// Whether the provider can serve, and its backend.
    fn status(&self) -> ProviderStatus;
    /// The Wi-Fi profiles.
    fn list(&self) -> BoxFuture<'_, DmResult<Vec<WifiProfile>>>;
    /// Adds a profile, or replaces the one with the same SSID (keeping its id).
    fn add<'a>(&'a self, request: &'a WifiAddRequest) -> BoxFuture<'a, DmResult<WifiProfile>>;
    /// Removes the profile `id`, or every profile of `ssid`; returns what was removed.
    fn remove<'a>(
        &'a self,
        id: Option<&'a str>,
        ssid: Option<&'a str>,
    ) -> BoxFuture<'a, DmResult<Vec<WifiProfile>>>;
}

/// Wi-Fi profiles as keyfiles, loaded by `nmcli` on Linux.
pub struct KeyfileWifi {
    /// The keyfile directory.
    dir: PathBuf,
    /// `nmcli` on Linux; `None` in the sandbox.
    nmcli: Option<Arc<dyn Runner>>,
    /// Probe result.
    status: ProviderStatus,
}

/// A keyfile read back: the profile plus its file.
struct Keyfile {
    profile: WifiProfile,
    path: PathBuf,
}

impl KeyfileWifi {
    /// `NetworkManager`'s keyfiles under `root`; needs `nmcli` and the directory.
    pub fn linux(runner: Arc<dyn Runner>, root: &Path) -> Self {
        let dir = under(root, CONNECTIONS_DIR);
        let status = if !runner.has_program("nmcli") {
            inactive(Backend::Linux, "NetworkManager (nmcli) was not found")
        } else if !dir.is_dir() {
            inactive(Backend::Linux, format!("{CONNECTIONS_DIR} does not exist"))
        } else {
            active(Backend::Linux)
        };
        Self {
            dir,
            nmcli: Some(runner),
            status,
        }
    }

    /// Keyfiles under `<sandbox>/etc/NetworkManager/system-connections`.
    pub fn sandbox(sandbox: &Path) -> Self {
        Self {
            dir: under(sandbox, CONNECTIONS_DIR),
            nmcli: None,
            status: active(Backend::Sandbox),
        }
    }

    fn read_all(&self) -> DmResult<Vec<Keyfile>> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(DmError::io("cannot list", &self.dir, e)),
        };
        let mut files = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "nmconnection") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if let Some(profile) = parse_keyfile(&text) {
                files.push(Keyfile { profile, path });
            }
        }
        files.sort_by(|a, b| {
            a.profile
                .ssid
                .cmp(&b.profile.ssid)
                .then_with(|| a.profile.id.cmp(&b.profile.id))
        });
        Ok(files)
    }

    async fn active_ids(&self) -> Vec<String> {
        let Some(runner) = &self.nmcli else {
            return Vec::new();
        };
        let command = Command::new(
            "nmcli",
            ["-t", "-f", "UUID", "connection", "show", "--active"],
        );
        match run_checked(runner.as_ref(), command).await {
            Ok(out) => out
                .stdout_text()
                .lines()
                .map(|l| l.trim().to_owned())
                .collect(),
            Err(err) => {
                tracing::debug!(error = %err, "cannot tell which Wi-Fi profile is active");
                Vec::new()
            }
        }
    }

    async fn nmcli(&self, args: &[&str]) -> DmResult<()> {
        if let Some(runner) = &self.nmcli {
            run_checked(runner.as_ref(), Command::new("nmcli", args.iter().copied())).await?;
        }
        Ok(())
    }
}

impl NetworkProvider for KeyfileWifi {
    fn status(&self) -> ProviderStatus {
        self.status.clone()
    }

    fn list(&self) -> BoxFuture<'_, DmResult<Vec<WifiProfile>>> {
        Box::pin(async move {
            if !self.status.active {
                return Err(not_active(&self.status, "network"));
            }
            let active_ids = self.active_ids().await;
            Ok(self
                .read_all()?
                .into_iter()
                .map(|k| {
                    let mut p = k.profile;
                    p.active = active_ids.contains(&p.id);
                    p
                })
                .collect())
        })
    }

    fn add<'a>(&'a self, request: &'a WifiAddRequest) -> BoxFuture<'a, DmResult<WifiProfile>> {
        Box::pin(async move {
            if !self.status.active {
                return Err(not_active(&self.status, "network"));
            }
            let existing = self.read_all()?;
            let same = existing.iter().find(|k| k.profile.ssid == request.ssid);
            let id = same.map_or_else(
                || uuid::Uuid::new_v4().to_string(),
                |k| k.profile.id.clone(),
            );
            let profile = WifiProfile {
                id: id.clone(),
                ssid: request.ssid.clone(),
                security: request.security,
                hidden: request.hidden,
                auto_connect: request.auto_connect,
                priority: request.priority,
                active: false,
            };
            let passphrase = request.passphrase.as_ref().map(dm_contract::Secret::expose);
            let text = render_keyfile(&profile, passphrase);
            super::ensure_dir(&self.dir)?;
            let path = same.map_or_else(
                || self.dir.join(format!("dm-{id}.nmconnection")),
                |k| k.path.clone(),
            );
            crate::state::write_atomic(&path, text.as_bytes(), 0o600)?;
            self.nmcli(&["connection", "load", &path.to_string_lossy()])
                .await?;
            tracing::info!(ssid = %profile.ssid, id = %profile.id, replaced = same.is_some(), "Wi-Fi profile written");
            Ok(profile)
        })
    }

    fn remove<'a>(
        &'a self,
        id: Option<&'a str>,
        ssid: Option<&'a str>,
    ) -> BoxFuture<'a, DmResult<Vec<WifiProfile>>> {
        Box::pin(async move {
            if !self.status.active {
                return Err(not_active(&self.status, "network"));
            }
            let mut removed = Vec::new();
            for keyfile in self.read_all()? {
                let hit = id.is_some_and(|id| keyfile.profile.id == id)
                    || ssid.is_some_and(|s| keyfile.profile.ssid == s);
                if hit {
                    std::fs::remove_file(&keyfile.path)
                        .map_err(|e| DmError::io("cannot remove", &keyfile.path, e))?;
                    removed.push(keyfile.profile);
                }
            }
            if !removed.is_empty() {
                self.nmcli(&["connection", "reload"]).await?;
            }
            Ok(removed)
        })
    }
}

/// Escapes a keyfile value the way `GKeyFile` reads it back.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            ' ' if i == 0 => out.push_str("\\s"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('s') => out.push(' '),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The keyfile for a profile. The passphrase appears here and nowhere else.
fn render_keyfile(profile: &WifiProfile, passphrase: Option<&str>) -> String {
    let mut text = format!(
        "[connection]\nid={}\nuuid={}\ntype=wifi\nautoconnect={}\n",
        escape(&profile.ssid),
        profile.id,
        profile.auto_connect
    );
    if let Some(priority) = profile.priority {
        let _ = writeln!(text, "autoconnect-priority={priority}");
    }
    let _ = writeln!(
        text,
        "\n[wifi]\nmode=infrastructure\nssid={}",
        escape(&profile.ssid)
    );
    if profile.hidden {
        text.push_str("hidden=true\n");
    }
    let key_mgmt = match profile.security {
        WifiSecurity::Open => None,
        WifiSecurity::Wpa2Psk => Some("wpa-psk"),
        WifiSecurity::Wpa3Sae => Some("sae"),
    };
    if let (Some(key_mgmt), Some(psk)) = (key_mgmt, passphrase) {
        let _ = writeln!(
            text,
            "\n[wifi-security]\nkey-mgmt={key_mgmt}\npsk={}",
            escape(psk)
        );
    }
    text.push_str("\n[ipv4]\nmethod=auto\n\n[ipv6]\nmethod=auto\n");
    text
}

/// Reads a Wi-Fi keyfile back into a profile (never the passphrase); `None` for other types.
fn parse_keyfile(text: &str) -> Option<WifiProfile> {
    let mut sections: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            name.clone_into(&mut current);
        } else if let Some((k, v)) = line.split_once('=') {
            sections
                .entry(current.clone())
                .or_default()
                .insert(k.trim().to_owned(), unescape(v));
        }
    }
    let connection = sections.get("connection")?;
    if !matches!(
        connection.get("type").map(String::as_str),
        Some("wifi" | "802-11-wireless")
    ) {
        return None;
    }
    let wifi = sections
        .get("wifi")
        .or_else(|| sections.get("802-11-wireless"));
    let security = sections
        .get("wifi-security")
        .or_else(|| sections.get("802-11-wireless-security"))
        .and_then(|s| s.get("key-mgmt"));
    Some(WifiProfile {
        id: connection.get("uuid")?.clone(),
        ssid: wifi
            .and_then(|w| w.get("ssid"))
            .or_else(|| connection.get("id"))?
            .clone(),
        security: match security.map(String::as_str) {
            Some("sae") => WifiSecurity::Wpa3Sae,
            Some(_) => WifiSecurity::Wpa2Psk,
            None => WifiSecurity::Open,
        },
        hidden: wifi
            .and_then(|w| w.get("hidden"))
            .is_some_and(|h| h == "true"),
        auto_connect: connection.get("autoconnect").is_none_or(|a| a != "false"),
        priority: connection
            .get("autoconnect-priority")
            .and_then(|p| p.parse().ok()),
        active: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{Output, RecordingRunner};
    use std::os::unix::fs::PermissionsExt as _;

    fn add_request(ssid: &str, pass: &str) -> WifiAddRequest {
        serde_json::from_value(serde_json::json!({
            "ssid": ssid, "security": "wpa2Psk", "passphrase": pass, "priority": 10
        }))
        .unwrap()
    }

    #[tokio::test]
    async fn linux_profiles_are_keyfiles_loaded_by_nmcli() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("etc/NetworkManager/system-connections")).unwrap();
        let runner = RecordingRunner::new();
        let wifi = KeyfileWifi::linux(Arc::new(runner.clone()), root.path());
        assert!(wifi.status().active);
        let profile = wifi
            .add(&add_request("Plant 4", "correct horse battery"))
            .await
            .unwrap();
        let path = root.path().join(format!(
            "etc/NetworkManager/system-connections/dm-{}.nmconnection",
            profile.id
        ));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("psk=correct horse battery\n") && text.contains("key-mgmt=wpa-psk"));
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let lines = runner.lines();
        assert_eq!(lines, [format!("nmcli connection load {}", path.display())]);
        assert!(
            !lines.iter().any(|l| l.contains("correct horse")),
            "no secret on a command line"
        );
        runner.answer(
            "nmcli -t -f UUID connection show --active",
            Output::ok(format!("{}\n", profile.id)),
        );
        let listed = wifi.list().await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].active);
        assert_eq!(listed[0].priority, Some(10));
        // Same SSID again: replaced in place, same id.
        let again = wifi
            .add(&add_request("Plant 4", "another passphrase"))
            .await
            .unwrap();
        assert_eq!(again.id, profile.id);
        assert_eq!(wifi.list().await.unwrap().len(), 1);
        runner.clear();
        let removed = wifi.remove(None, Some("Plant 4")).await.unwrap();
        assert_eq!(removed.len(), 1);
        assert!(!path.exists());
        assert_eq!(runner.lines(), ["nmcli connection reload"]);
        assert!(wifi.remove(Some("nope"), None).await.unwrap().is_empty());
    }

    #[test]
    fn keyfiles_round_trip_odd_ssids_and_skip_other_types() {
        let profile = WifiProfile {
            id: "6f1c2b9e-0d7a-4c55-9a39-1b2f3c4d5e6f".into(),
            ssid: " Café\\Bar".into(),
            security: WifiSecurity::Wpa3Sae,
            hidden: true,
            auto_connect: false,
            priority: Some(-5),
            active: false,
        };
        let parsed = parse_keyfile(&render_keyfile(&profile, Some("pa ss"))).unwrap();
        assert_eq!(parsed, profile);
        assert!(parse_keyfile("[connection]\nid=eth\nuuid=1\ntype=ethernet\n").is_none());
        let open = WifiProfile {
            security: WifiSecurity::Open,
            ..profile
        };
        assert!(!render_keyfile(&open, None).contains("wifi-security"));
    }

    #[test]
    fn linux_without_network_manager_is_inactive() {
        let runner = RecordingRunner::new();
        runner.without(&["nmcli"]);
        let wifi = KeyfileWifi::linux(Arc::new(runner), Path::new("/nonexistent"));
        assert!(wifi.status().reason.unwrap().contains("nmcli"));
    }
}
