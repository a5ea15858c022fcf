//! The agent's configuration: a TOML file, every option of which is also a flag or an
//! environment variable.
//!
//! Devices are provisioned by images and scripts, so the file is strict: an unknown key is an
//! error naming its path (`connection.tokn_ttl`), because a typo that silently falls back to a
//! default is the kind of mistake that only shows up in the field. Precedence is flag, then
//! environment, then file, then default. Secrets never live in the file itself: the device
//! connection string comes from the environment or from its own owner-only file, so the config
//! file can stay world-readable. Failures are [`DmError`]s that name the offending key or file,
//! never a secret.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::connection::credentials::{self, DeviceIdentity};
use crate::connection::{ConnectionSettings, Endpoint, ReconnectPolicy};
use crate::error::DmError;

/// Where `dm-agent run` looks for its configuration when `--config` is not given.
pub const DEFAULT_CONFIG_PATH: &str = "/etc/dm-agent/config.toml";

/// How the agent reaches the hub's MQTT endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum TransportKind {
    /// MQTT over TLS, port 8883.
    #[default]
    Mqtt,
    /// MQTT over a secure WebSocket, port 443 (for networks that only let HTTPS out).
    Websocket,
}

/// Which providers act on the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    /// The real system: systemd, apt, `NetworkManager`, ...
    #[default]
    Linux,
    /// Everything happens inside `agent.sandbox_dir` (demos, tests).
    Sandbox,
}

/// The whole configuration file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Which hub and which device.
    pub hub: HubSection,
    /// How the connection behaves.
    pub connection: ConnectionSection,
    /// Where the agent keeps state and which providers it uses.
    pub agent: AgentSection,
    /// The local busy-lease socket.
    pub leases: LeasesSection,
    /// Logging.
    pub log: LogSection,
    /// What the agent downloads and runs: transport, publisher keys, preflight user.
    pub artifacts: ArtifactsSection,
}

/// `[artifacts]`: how `dm.agent.update`, `dm.apps.install` and certificate downloads are
/// checked before anything is written into place or run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ArtifactsSection {
    /// Allow plain `http` artefact URLs (default false: https only).
    pub allow_http: bool,
    /// Trusted publisher keys (minisign public keys, or raw 32-byte Ed25519 keys in base64).
    /// When any is set, artefacts need a minisign signature by one of them.
    pub trusted_keys: Vec<String>,
    /// The user an agent running as root runs a new binary's preflight as; empty keeps root.
    pub preflight_user: String,
}

impl Default for ArtifactsSection {
    fn default() -> Self {
        Self {
            allow_http: false,
            trusted_keys: Vec::new(),
            preflight_user: crate::artifacts::DEFAULT_PREFLIGHT_USER.to_owned(),
        }
    }
}

/// `[hub]`: the device identity and how to trust the hub.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HubSection {
    /// A file holding the device connection string (mode 0600).
    pub connection_string_file: Option<PathBuf>,
    /// The hub host name, when the identity is given as host + device + key file.
    pub host_name: Option<String>,
    /// The device id, with `host_name`.
    pub device_id: Option<String>,
    /// A file holding the base64 device key (mode 0600).
    pub key_file: Option<PathBuf>,
    /// Where to connect when it is not the hub itself (a local hub, IoT Edge); may carry a port.
    pub gateway_host_name: Option<String>,
    /// X.509 authentication: the device certificate (PEM).
    pub x509_cert_file: Option<PathBuf>,
    /// X.509 authentication: the device key (PEM, mode 0600).
    pub x509_key_file: Option<PathBuf>,
    /// An extra CA certificate (PEM) to trust besides the system's, e.g. a local hub's.
    pub ca_file: Option<PathBuf>,
}

/// `[connection]`: transport, token lifetime, keep-alive and reconnection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConnectionSection {
    /// `mqtt` (TLS, 8883) or `websocket` (WSS, 443).
    pub transport: TransportKind,
    /// Overrides the port (8883 for MQTT, 443 for WebSocket).
    pub port: Option<u16>,
    /// Overrides the whole WebSocket URL (`wss://host:port/$iothub/websocket`).
    pub websocket_url: Option<String>,
    /// Lifetime of each SAS token; the agent renews at 80 % of it.
    #[serde(with = "duration_text")]
    pub token_ttl: Duration,
    /// MQTT keep-alive interval.
    #[serde(with = "duration_text")]
    pub keep_alive: Duration,
    /// First delay before reconnecting after a failure.
    #[serde(with = "duration_text")]
    pub reconnect_initial_delay: Duration,
    /// The longest delay between reconnection attempts.
    #[serde(with = "duration_text")]
    pub reconnect_max_delay: Duration,
}

impl Default for ConnectionSection {
    fn default() -> Self {
        Self {
            transport: TransportKind::Mqtt,
            port: None,
            websocket_url: None,
            token_ttl: Duration::from_secs(3600),
            keep_alive: Duration::from_secs(60),
            reconnect_initial_delay: Duration::from_secs(1),
            reconnect_max_delay: Duration::from_secs(60),
        }
    }
}

/// `[agent]`: state and providers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AgentSection {
    /// The state directory (schedule, queued reports, operations, leases).
    pub state_dir: PathBuf,
    /// `linux` or `sandbox`.
    pub backend: BackendKind,
    /// The directory the sandbox providers act in (required with `backend = "sandbox"`).
    pub sandbox_dir: Option<PathBuf>,
    /// The device owner's factory-reset script; factory reset is unavailable unless it exists,
    /// is executable and only its owner can change it.
    pub factory_reset_hook: PathBuf,
    /// A command implementing OS updates where apt is absent (`HOOK scan`, `HOOK install
    /// SPEC...`, `HOOK pending-reboot`).
    pub update_hook: Option<PathBuf>,
    /// Directories `dm.diagnostics.collect` may read log files from.
    pub log_roots: Vec<String>,
    /// Mount points whose sizes the device info reports.
    pub disk_mounts: Vec<String>,
    /// The agent binary `dm.agent.update` replaces (the previous one is kept next to it as
    /// `<path>.previous`); absent means the running executable.
    pub binary_path: Option<PathBuf>,
    /// The systemd unit `dm.agent.update` restarts to run the new binary.
    pub service_unit: String,
}

impl Default for AgentSection {
    fn default() -> Self {
        Self {
            state_dir: PathBuf::from("/var/lib/dm-agent"),
            backend: BackendKind::Linux,
            sandbox_dir: None,
            factory_reset_hook: PathBuf::from("/etc/dm-agent/factory-reset"),
            update_hook: None,
            log_roots: vec!["/var/log".to_owned()],
            disk_mounts: vec!["/".to_owned()],
            binary_path: None,
            service_unit: "dm-agent.service".to_owned(),
        }
    }
}

/// `[leases]`: the busy-lease socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LeasesSection {
    /// The Unix socket applications use to take busy leases.
    pub socket: PathBuf,
    /// The group that owns the socket (its members may hold the device busy).
    pub group: Option<String>,
}

impl Default for LeasesSection {
    fn default() -> Self {
        Self {
            socket: PathBuf::from("/run/dm-agent/busy.sock"),
            group: None,
        }
    }
}

/// `[log]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogSection {
    /// `error`, `warn`, `info`, `debug`, `trace`, or a `tracing` filter such as
    /// `info,dm_agent::connection=debug`.
    pub level: String,
}

impl Default for LogSection {
    fn default() -> Self {
        Self {
            level: "info".to_owned(),
        }
    }
}

/// Every option as a flag and an environment variable; they win over the file.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct Overrides {
    /// The device connection string (prefer the variable or a file: flags show in `ps`).
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            env = "DM_AGENT_CONNECTION_STRING",
            hide_env_values = true,
            value_name = "STRING"
        )
    )]
    pub connection_string: Option<String>,
    /// A file holding the device connection string, mode 0600 (`hub.connection_string_file`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_CONNECTION_STRING_FILE", value_name = "FILE")
    )]
    pub connection_string_file: Option<PathBuf>,
    /// The hub host name, with --device-id and a key (`hub.host_name`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_HOST_NAME", value_name = "HOST")
    )]
    pub host_name: Option<String>,
    /// The device id (`hub.device_id`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_DEVICE_ID", value_name = "ID")
    )]
    pub device_id: Option<String>,
    /// A file holding the base64 device key, mode 0600 (`hub.key_file`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_KEY_FILE", value_name = "FILE")
    )]
    pub key_file: Option<PathBuf>,
    /// Where to connect when it is not the hub itself (`hub.gateway_host_name`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_GATEWAY_HOST_NAME", value_name = "HOST[:PORT]")
    )]
    pub gateway_host_name: Option<String>,
    /// The device's X.509 certificate, PEM (`hub.x509_cert_file`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_X509_CERT_FILE", value_name = "FILE")
    )]
    pub x509_cert_file: Option<PathBuf>,
    /// The device's X.509 private key, PEM, mode 0600 (`hub.x509_key_file`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_X509_KEY_FILE", value_name = "FILE")
    )]
    pub x509_key_file: Option<PathBuf>,
    /// An extra CA certificate to trust, PEM (`hub.ca_file`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_CA_FILE", value_name = "FILE")
    )]
    pub ca_file: Option<PathBuf>,
    /// MQTT over TLS (8883) or over WebSocket (443) (`connection.transport`).
    #[cfg_attr(feature = "cli", arg(long, env = "DM_AGENT_TRANSPORT", value_enum))]
    pub transport: Option<TransportKind>,
    /// Overrides the port (`connection.port`).
    #[cfg_attr(feature = "cli", arg(long, env = "DM_AGENT_PORT"))]
    pub port: Option<u16>,
    /// Overrides the WebSocket URL (`connection.websocket_url`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_WEBSOCKET_URL", value_name = "URL")
    )]
    pub websocket_url: Option<String>,
    /// Lifetime of each SAS token, e.g. `1h` (`connection.token_ttl`).
    #[cfg_attr(feature = "cli", arg(long, env = "DM_AGENT_TOKEN_TTL", value_parser = parse_duration_arg, value_name = "DURATION"))]
    pub token_ttl: Option<Duration>,
    /// MQTT keep-alive, e.g. `60s` (`connection.keep_alive`).
    #[cfg_attr(feature = "cli", arg(long, env = "DM_AGENT_KEEP_ALIVE", value_parser = parse_duration_arg, value_name = "DURATION"))]
    pub keep_alive: Option<Duration>,
    /// First delay before reconnecting (`connection.reconnect_initial_delay`).
    #[cfg_attr(feature = "cli", arg(long, env = "DM_AGENT_RECONNECT_INITIAL_DELAY", value_parser = parse_duration_arg, value_name = "DURATION"))]
    pub reconnect_initial_delay: Option<Duration>,
    /// Longest delay between reconnection attempts (`connection.reconnect_max_delay`).
    #[cfg_attr(feature = "cli", arg(long, env = "DM_AGENT_RECONNECT_MAX_DELAY", value_parser = parse_duration_arg, value_name = "DURATION"))]
    pub reconnect_max_delay: Option<Duration>,
    /// The state directory (`agent.state_dir`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_STATE_DIR", value_name = "DIR")
    )]
    pub state_dir: Option<PathBuf>,
    /// Act on this system, or inside the sandbox directory (`agent.backend`).
    #[cfg_attr(feature = "cli", arg(long, env = "DM_AGENT_BACKEND", value_enum))]
    pub backend: Option<BackendKind>,
    /// The sandbox directory (`agent.sandbox_dir`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_SANDBOX_DIR", value_name = "DIR")
    )]
    pub sandbox_dir: Option<PathBuf>,
    /// The device owner's factory-reset script (`agent.factory_reset_hook`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_FACTORY_RESET_HOOK", value_name = "FILE")
    )]
    pub factory_reset_hook: Option<PathBuf>,
    /// The OS update command where apt is absent (`agent.update_hook`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_UPDATE_HOOK", value_name = "FILE")
    )]
    pub update_hook: Option<PathBuf>,
    /// Directories log collection may read, comma-separated (`agent.log_roots`).
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            env = "DM_AGENT_LOG_ROOTS",
            value_delimiter = ',',
            value_name = "DIR,..."
        )
    )]
    pub log_roots: Option<Vec<String>>,
    /// Mount points the device info reports, comma-separated (`agent.disk_mounts`).
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            env = "DM_AGENT_DISK_MOUNTS",
            value_delimiter = ',',
            value_name = "DIR,..."
        )
    )]
    pub disk_mounts: Option<Vec<String>>,
    /// The agent binary self-updates replace; default: the running executable
    /// (`agent.binary_path`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_BINARY_PATH", value_name = "FILE")
    )]
    pub binary_path: Option<PathBuf>,
    /// The systemd unit self-updates restart (`agent.service_unit`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_SERVICE_UNIT", value_name = "UNIT")
    )]
    pub service_unit: Option<String>,
    /// The busy-lease socket (`leases.socket`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_LEASE_SOCKET", value_name = "PATH")
    )]
    pub lease_socket: Option<PathBuf>,
    /// The group owning the busy-lease socket (`leases.group`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_LEASE_GROUP", value_name = "GROUP")
    )]
    pub lease_group: Option<String>,
    /// Log level or tracing filter (`log.level`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_LOG", value_name = "FILTER")
    )]
    pub log_level: Option<String>,
    /// Allow plain http artefact URLs (`artifacts.allow_http`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_ALLOW_HTTP", value_name = "BOOL")
    )]
    pub allow_http: Option<bool>,
    /// Trusted publisher keys, comma-separated: minisign public keys (`RW…`) or raw Ed25519
    /// keys in base64 (`artifacts.trusted_keys`).
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            env = "DM_AGENT_TRUSTED_KEYS",
            value_delimiter = ',',
            value_name = "KEY,..."
        )
    )]
    pub trusted_keys: Option<Vec<String>>,
    /// The user a root agent runs preflights as; empty keeps root (`artifacts.preflight_user`).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "DM_AGENT_PREFLIGHT_USER", value_name = "USER")
    )]
    pub preflight_user: Option<String>,
}

#[cfg(feature = "cli")]
fn parse_duration_arg(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text).map_err(|e| e.to_string())
}

/// A configuration with its flag/env overrides and the inline connection string (which has no
/// place in the file).
#[derive(Clone, Default)]
pub struct AgentConfig {
    /// The merged options.
    pub config: Config,
    /// A connection string given by flag or environment.
    connection_string: Option<String>,
}

impl std::fmt::Debug for AgentConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgentConfig")
            .field("config", &self.config)
            .field(
                "connection_string",
                &self.connection_string.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl Config {
    /// Parses TOML text; `origin` names the file in errors.
    pub fn from_toml(text: &str, origin: &Path) -> Result<Self, DmError> {
        let parse_error = |message: String| DmError::ConfigParse {
            path: origin.to_owned(),
            message,
        };
        let deserializer = toml::de::Deserializer::parse(text)
            .map_err(|e| parse_error(one_line(&e.to_string())))?;
        let config: Self = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let path = e.path().to_string();
            let inner = one_line(&e.inner().to_string());
            if path.is_empty() || path == "." {
                parse_error(inner)
            } else {
                parse_error(format!("`{path}`: {inner}"))
            }
        })?;
        config.validate()?;
        Ok(config)
    }

    /// Reads and parses the file at `path`.
    pub fn load(path: &Path) -> Result<Self, DmError> {
        let text = std::fs::read_to_string(path).map_err(|source| DmError::Io {
            action: "cannot read the configuration",
            path: path.to_owned(),
            error: source,
        })?;
        Self::from_toml(&text, path)
    }

    /// Checks values the types cannot.
    pub fn validate(&self) -> Result<(), DmError> {
        let c = &self.connection;
        if c.token_ttl < Duration::from_secs(5) || c.token_ttl > Duration::from_secs(365 * 86_400) {
            return Err(DmError::invalid_setting(
                "connection.token_ttl",
                "must be between 5 s and 365 days",
            ));
        }
        if c.keep_alive < Duration::from_secs(5) || c.keep_alive > Duration::from_secs(1177) {
            return Err(DmError::invalid_setting(
                "connection.keep_alive",
                "must be between 5 s and 1177 s (the hub's client maximum)",
            ));
        }
        if c.reconnect_initial_delay.is_zero() {
            return Err(DmError::invalid_setting(
                "connection.reconnect_initial_delay",
                "must be more than zero",
            ));
        }
        if c.reconnect_max_delay < c.reconnect_initial_delay {
            return Err(DmError::invalid_setting(
                "connection.reconnect_max_delay",
                "must not be shorter than `connection.reconnect_initial_delay`",
            ));
        }
        if c.port == Some(0) {
            return Err(DmError::invalid_setting("connection.port", "must not be 0"));
        }
        if let Some(url) = &c.websocket_url {
            check_websocket_url(url)?;
        }
        for (key, dirs) in [
            ("agent.log_roots", &self.agent.log_roots),
            ("agent.disk_mounts", &self.agent.disk_mounts),
        ] {
            if let Some(bad) = dirs.iter().find(|d| !d.starts_with('/')) {
                return Err(DmError::invalid_setting(
                    key,
                    format!("`{bad}` is not an absolute path"),
                ));
            }
        }
        if let Some(path) = &self.agent.binary_path
            && !path.is_absolute()
        {
            return Err(DmError::invalid_setting(
                "agent.binary_path",
                format!("`{}` is not an absolute path", path.display()),
            ));
        }
        if dm_contract::check::name("agent.service_unit", &self.agent.service_unit).is_err() {
            return Err(DmError::invalid_setting(
                "agent.service_unit",
                format!(
                    "`{}` is not a systemd unit name (letters, digits and `. _ @ : + -`)",
                    self.agent.service_unit
                ),
            ));
        }
        if self.agent.backend == BackendKind::Sandbox && self.agent.sandbox_dir.is_none() {
            return Err(DmError::Config(
                "`agent.backend = \"sandbox\"` needs `agent.sandbox_dir`".to_owned(),
            ));
        }
        self.artifact_policy()?;
        let user = &self.artifacts.preflight_user;
        if !user.is_empty()
            && !user
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            return Err(DmError::invalid_setting(
                crate::artifacts::PREFLIGHT_USER_KEY,
                format!("`{user}` is not a user name (letters, digits, `_ - .`)"),
            ));
        }
        // Only the command line applies `log.level`; an embedding application owns its logging.
        #[cfg(feature = "cli")]
        if crate::cli::logging::parse_filter(&self.log.level).is_err() {
            return Err(DmError::invalid_setting(
                "log.level",
                format!(
                    "`{}` is not a level (error, warn, info, debug, trace) or a tracing filter",
                    self.log.level
                ),
            ));
        }
        Ok(())
    }
}

impl Config {
    /// The artefact rules of `[artifacts]`, with every trusted key parsed (a bad one is named
    /// by its index).
    pub fn artifact_policy(&self) -> Result<crate::artifacts::ArtifactPolicy, DmError> {
        let a = &self.artifacts;
        let trusted_keys = a
            .trusted_keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                crate::artifacts::TrustedKey::parse(key).map_err(|reason| {
                    DmError::invalid_setting(
                        format!("{}[{i}]", crate::artifacts::TRUSTED_KEYS_KEY),
                        reason,
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(crate::artifacts::ArtifactPolicy {
            allow_http: a.allow_http,
            trusted_keys,
            preflight_user: Some(a.preflight_user.clone()).filter(|u| !u.is_empty()),
        })
    }
}

fn check_websocket_url(url: &str) -> Result<(), DmError> {
    let rest = url.strip_prefix("wss://").ok_or_else(|| {
        DmError::invalid_setting("connection.websocket_url", "must start with `wss://`")
    })?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(DmError::invalid_setting(
            "connection.websocket_url",
            "has no host",
        ));
    }
    Ok(())
}

/// The first line of a parser message (toml's messages carry a multi-line source excerpt).
fn one_line(message: &str) -> String {
    let lines: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    match lines.as_slice() {
        [] => String::new(),
        [only] => (*only).to_owned(),
        // toml: "TOML parse error at line 3, column 1", the excerpt, then the reason last.
        [first, .., last] => format!("{last} ({})", first.trim_start_matches("TOML parse error ")),
    }
}

impl AgentConfig {
    /// Loads `path` (or [`DEFAULT_CONFIG_PATH`] when it exists and no path is given), then
    /// applies the overrides.
    pub fn load(path: Option<&Path>, overrides: &Overrides) -> Result<Self, DmError> {
        let config = match path {
            Some(path) => Config::load(path)?,
            None if Path::new(DEFAULT_CONFIG_PATH).exists() => {
                Config::load(Path::new(DEFAULT_CONFIG_PATH))?
            }
            None => Config::default(),
        };
        Self::from_parts(config, overrides)
    }

    /// Applies `overrides` to `config` and validates the result.
    pub fn from_parts(mut config: Config, o: &Overrides) -> Result<Self, DmError> {
        fn set<T: Clone>(slot: &mut T, value: Option<&T>) {
            if let Some(v) = value {
                *slot = v.clone();
            }
        }
        fn set_opt<T: Clone>(slot: &mut Option<T>, value: Option<&T>) {
            if let Some(v) = value {
                *slot = Some(v.clone());
            }
        }
        let h = &mut config.hub;
        set_opt(
            &mut h.connection_string_file,
            o.connection_string_file.as_ref(),
        );
        set_opt(&mut h.host_name, o.host_name.as_ref());
        set_opt(&mut h.device_id, o.device_id.as_ref());
        set_opt(&mut h.key_file, o.key_file.as_ref());
        set_opt(&mut h.gateway_host_name, o.gateway_host_name.as_ref());
        set_opt(&mut h.x509_cert_file, o.x509_cert_file.as_ref());
        set_opt(&mut h.x509_key_file, o.x509_key_file.as_ref());
        set_opt(&mut h.ca_file, o.ca_file.as_ref());
        let c = &mut config.connection;
        set(&mut c.transport, o.transport.as_ref());
        set_opt(&mut c.port, o.port.as_ref());
        set_opt(&mut c.websocket_url, o.websocket_url.as_ref());
        set(&mut c.token_ttl, o.token_ttl.as_ref());
        set(&mut c.keep_alive, o.keep_alive.as_ref());
        set(
            &mut c.reconnect_initial_delay,
            o.reconnect_initial_delay.as_ref(),
        );
        set(&mut c.reconnect_max_delay, o.reconnect_max_delay.as_ref());
        let a = &mut config.agent;
        set(&mut a.state_dir, o.state_dir.as_ref());
        set(&mut a.backend, o.backend.as_ref());
        set_opt(&mut a.sandbox_dir, o.sandbox_dir.as_ref());
        set(&mut a.factory_reset_hook, o.factory_reset_hook.as_ref());
        set_opt(&mut a.update_hook, o.update_hook.as_ref());
        set(&mut a.log_roots, o.log_roots.as_ref());
        set(&mut a.disk_mounts, o.disk_mounts.as_ref());
        set_opt(&mut a.binary_path, o.binary_path.as_ref());
        set(&mut a.service_unit, o.service_unit.as_ref());
        set(&mut config.leases.socket, o.lease_socket.as_ref());
        set_opt(&mut config.leases.group, o.lease_group.as_ref());
        set(&mut config.log.level, o.log_level.as_ref());
        let artifacts = &mut config.artifacts;
        set(&mut artifacts.allow_http, o.allow_http.as_ref());
        set(&mut artifacts.trusted_keys, o.trusted_keys.as_ref());
        set(&mut artifacts.preflight_user, o.preflight_user.as_ref());
        config.validate()?;
        Ok(Self {
            config,
            connection_string: o.connection_string.clone(),
        })
    }

    /// Resolves the device identity: a connection string (flag/env, or `hub.connection_string_file`),
    /// or `hub.host_name` + `hub.device_id` with `hub.key_file` or the X.509 files. Reads the
    /// secret files, refusing ones readable by others.
    pub fn device_identity(&self) -> Result<DeviceIdentity, DmError> {
        let h = &self.config.hub;
        let x509 = match (&h.x509_cert_file, &h.x509_key_file) {
            (Some(cert), Some(key)) => Some(credentials::read_x509(cert, key)?),
            (None, None) => None,
            _ => {
                return Err(DmError::Config(
                    "X.509 authentication needs both `hub.x509_cert_file` and `hub.x509_key_file`"
                        .to_owned(),
                ));
            }
        };
        let from_string = match (&self.connection_string, &h.connection_string_file) {
            (Some(_), Some(_)) => {
                return Err(DmError::invalid_setting(
                    "hub.connection_string_file",
                    "a connection string is also given by flag or environment; use one",
                ));
            }
            (Some(text), None) => Some(credentials::parse_connection_string(
                text,
                "the connection string from --connection-string/DM_AGENT_CONNECTION_STRING",
            )?),
            (None, Some(path)) => {
                let text = credentials::read_secret_text(path, "connection string file")?;
                Some(credentials::parse_connection_string(
                    &text,
                    &format!("the connection string in `{}`", path.display()),
                )?)
            }
            (None, None) => None,
        };
        let mut identity = if let Some(cs) = from_string {
            if h.host_name.is_some() || h.device_id.is_some() || h.key_file.is_some() {
                return Err(DmError::invalid_setting(
                    "hub",
                    "give either a connection string or `host_name` + `device_id` + `key_file`, not both",
                ));
            }
            DeviceIdentity::from_connection_string(cs, x509)?
        } else {
            let (Some(host), Some(device)) = (&h.host_name, &h.device_id) else {
                return Err(DmError::Config(
                    "no device identity: set DM_AGENT_CONNECTION_STRING, `hub.connection_string_file`, or `hub.host_name` + `hub.device_id` with `hub.key_file` or the X.509 files".to_owned(),
                ));
            };
            check_id("hub.device_id", device)?;
            match (&h.key_file, x509) {
                (Some(_), Some(_)) => {
                    return Err(DmError::invalid_setting(
                        "hub.key_file",
                        "give either a key file or the X.509 files, not both",
                    ));
                }
                (Some(key_file), None) => {
                    DeviceIdentity::with_key(host, device, credentials::read_key_file(key_file)?)
                }
                (None, Some((cert_pem, key_pem))) => DeviceIdentity {
                    host_name: host.clone(),
                    device_id: device.clone(),
                    gateway_host_name: None,
                    auth: credentials::DeviceAuth::X509 { cert_pem, key_pem },
                },
                (None, None) => {
                    return Err(DmError::Config(
                        "`hub.device_id` needs `hub.key_file` or `hub.x509_cert_file` + `hub.x509_key_file`".to_owned(),
                    ));
                }
            }
        };
        if let Some(gateway) = &h.gateway_host_name {
            identity.gateway_host_name = Some(gateway.clone());
        }
        Ok(identity)
    }

    /// The settings of the hub connection.
    pub fn connection_settings(&self) -> Result<ConnectionSettings, DmError> {
        let identity = self.device_identity()?;
        let c = &self.config.connection;
        let endpoint = match c.transport {
            TransportKind::Mqtt => {
                let (host, port) = identity.mqtt_endpoint(c.port)?;
                Endpoint::Tls { host, port }
            }
            TransportKind::Websocket => Endpoint::WebSocket {
                url: match &c.websocket_url {
                    Some(url) => url.clone(),
                    None => identity.websocket_url(c.port)?,
                },
            },
        };
        let ca_pem = match &self.config.hub.ca_file {
            Some(path) => Some(std::fs::read(path).map_err(|source| DmError::Io {
                action: "cannot read the CA file",
                path: path.clone(),
                error: source,
            })?),
            None => None,
        };
        let mut settings = ConnectionSettings::new(identity, &self.config.agent.state_dir)?;
        settings.endpoint = endpoint;
        settings.ca_pem = ca_pem;
        settings.token_ttl = c.token_ttl;
        settings.keep_alive = c.keep_alive;
        settings.reconnect = ReconnectPolicy {
            initial_delay: c.reconnect_initial_delay,
            max_delay: c.reconnect_max_delay,
        };
        Ok(settings)
    }
}

/// Device ids: up to 128 characters of letters, digits and `-.%_*?!(),:=@$'+`; the MQTT
/// client id and the user name are built from it, so a `/` or a space would break both.
fn check_id(key: &str, id: &str) -> Result<(), DmError> {
    let ok = !id.is_empty()
        && id.len() <= 128
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.%_*?!(),:=@$'+".contains(c));
    if ok {
        Ok(())
    } else {
        Err(DmError::invalid_setting(
            key,
            format!("`{id}` is not a device id (1 to 128 letters, digits or -.%_*?!(),:=@$'+)"),
        ))
    }
}

/// The commented default configuration printed by `dm-agent config print-default`.
///
/// The same file is the Debian package's `/etc/dm-agent/config.toml` (a conffile), so the
/// packaged configuration and the printed one cannot drift apart.
pub const DEFAULT_CONFIG_TOML: &str = include_str!("../default-config.toml");

/// Durations as human-readable text (`"90s"`, `"1h"`).
mod duration_text {
    use std::time::Duration;

    use serde::{Deserialize as _, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        value: &Duration,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&humantime::format_duration(*value))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Duration, D::Error> {
        let text = String::deserialize(deserializer)?;
        humantime::parse_duration(&text).map_err(|e| {
            serde::de::Error::custom(format!(
                "`{text}` is not a duration like \"90s\" or \"1h\": {e}"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    fn parse(text: &str) -> Result<Config, DmError> {
        Config::from_toml(text, Path::new("agent.toml"))
    }

    #[test]
    fn the_printed_default_parses_back_to_the_default() {
        assert_eq!(parse(DEFAULT_CONFIG_TOML).unwrap(), Config::default());
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_path() {
        let err = parse("[connection]\ntokn_ttl = \"30s\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("agent.toml: "), "{err}");
        assert!(err.contains("connection.tokn_ttl"), "{err}");
        let err = parse("[hubb]\n").unwrap_err().to_string();
        assert!(err.contains("hubb"), "{err}");
        let err = parse("[hub]\ndevice_idd = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("hub.device_idd"), "{err}");
    }

    #[test]
    fn artifact_settings_are_checked_and_bad_keys_are_named() {
        let config = Config::default();
        let policy = config.artifact_policy().unwrap();
        assert!(!policy.allow_http, "http is off by default");
        assert!(policy.trusted_keys.is_empty());
        assert_eq!(policy.preflight_user.as_deref(), Some("nobody"));
        let keypair = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
        let key = keypair.pk.to_base64();
        let config = parse(&format!(
            "[artifacts]\nallow_http = true\ntrusted_keys = [\"{key}\"]\npreflight_user = \"\"\n"
        ))
        .unwrap();
        let policy = config.artifact_policy().unwrap();
        assert!(policy.allow_http);
        assert_eq!(policy.trusted_keys.len(), 1);
        assert_eq!(policy.preflight_user, None, "an empty user keeps root");
        let err = parse(&format!(
            "[artifacts]\ntrusted_keys = [\"{key}\", \"bogus!\"]\n"
        ))
        .unwrap_err()
        .to_string();
        assert!(err.contains("artifacts.trusted_keys[1]"), "{err}");
        let err = parse("[artifacts]\npreflight_user = \"no body\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("artifacts.preflight_user"), "{err}");
        let err = parse("[artifacts]\nallow_htp = true\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("artifacts.allow_htp"), "{err}");
    }

    #[test]
    fn self_update_settings_are_checked() {
        let config = parse(
            "[agent]\nbinary_path = \"/opt/dm/bin/dm-agent\"\nservice_unit = \"edge-dm.service\"\n",
        )
        .unwrap();
        assert_eq!(
            config.agent.binary_path.as_deref(),
            Some(Path::new("/opt/dm/bin/dm-agent"))
        );
        assert_eq!(config.agent.service_unit, "edge-dm.service");
        let err = parse("[agent]\nbinary_path = \"bin/dm-agent\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("agent.binary_path"), "{err}");
        let err = parse("[agent]\nservice_unit = \"dm agent; reboot\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("agent.service_unit"), "{err}");
    }

    #[test]
    fn wrong_types_and_values_name_the_key() {
        let err = parse("[connection]\nport = \"eighty\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("connection.port"), "{err}");
        let err = parse("[connection]\ntoken_ttl = \"soon\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("connection.token_ttl") && err.contains("soon"),
            "{err}"
        );
        let err = parse("[connection]\ntoken_ttl = \"1s\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("connection.token_ttl"), "{err}");
        let err = parse("[connection]\ntransport = \"carrier-pigeon\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("connection.transport"), "{err}");
        let err = parse("[connection]\nwebsocket_url = \"http://x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("websocket_url"), "{err}");
        let err = parse("[agent]\nbackend = \"sandbox\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("sandbox_dir"), "{err}");
        let err = parse("[log]\nlevel = \"loud[\"\n").unwrap_err().to_string();
        assert!(err.contains("log.level"), "{err}");
        let err = parse("[connection]\nreconnect_initial_delay = \"2m\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("reconnect_max_delay"), "{err}");
    }

    #[test]
    fn flags_and_environment_override_the_file() {
        let file =
            parse("[connection]\ntoken_ttl = \"2h\"\nport = 9000\n[agent]\nstate_dir = \"/a\"\n")
                .unwrap();
        let overrides = Overrides {
            token_ttl: Some(Duration::from_secs(30)),
            state_dir: Some(PathBuf::from("/b")),
            ..Overrides::default()
        };
        let merged = AgentConfig::from_parts(file, &overrides).unwrap();
        assert_eq!(merged.config.connection.token_ttl, Duration::from_secs(30));
        assert_eq!(
            merged.config.connection.port,
            Some(9000),
            "untouched keys keep the file's value"
        );
        assert_eq!(merged.config.agent.state_dir, PathBuf::from("/b"));
        let bad = Overrides {
            keep_alive: Some(Duration::from_secs(1)),
            ..Overrides::default()
        };
        assert!(AgentConfig::from_parts(Config::default(), &bad).is_err());
    }

    #[test]
    fn identity_from_a_connection_string_file_and_its_endpoint() {
        let dir = tempfile::tempdir().unwrap();
        let cs = dir.path().join("cs");
        std::fs::write(
            &cs,
            "HostName=myhub.azure-devices.net;DeviceId=sensor-042;SharedAccessKey=cGFzc3dvcmQ=;GatewayHostName=localhost:18883\n",
        )
        .unwrap();
        std::fs::set_permissions(&cs, std::fs::Permissions::from_mode(0o600)).unwrap();
        let mut config = Config::default();
        config.hub.connection_string_file = Some(cs.clone());
        let agent = AgentConfig::from_parts(config.clone(), &Overrides::default()).unwrap();
        let settings = agent.connection_settings().unwrap();
        assert_eq!(settings.identity.device_id, "sensor-042");
        assert_eq!(
            settings.endpoint,
            Endpoint::Tls {
                host: "localhost".into(),
                port: 18883
            }
        );
        config.connection.transport = TransportKind::Websocket;
        config.connection.websocket_url = Some("wss://localhost:8443/$iothub/websocket".into());
        let agent = AgentConfig::from_parts(config.clone(), &Overrides::default()).unwrap();
        assert_eq!(
            agent.connection_settings().unwrap().endpoint,
            Endpoint::WebSocket {
                url: "wss://localhost:8443/$iothub/websocket".into()
            }
        );
        // The same string readable by others is refused.
        std::fs::set_permissions(&cs, std::fs::Permissions::from_mode(0o644)).unwrap();
        let agent = AgentConfig::from_parts(config, &Overrides::default()).unwrap();
        assert!(matches!(
            agent.device_identity(),
            Err(DmError::InsecureFile { .. })
        ));
    }

    #[test]
    fn identity_errors_are_specific_and_secret_free() {
        let none = AgentConfig::from_parts(Config::default(), &Overrides::default()).unwrap();
        assert!(
            none.device_identity()
                .unwrap_err()
                .to_string()
                .contains("no device identity")
        );
        let overrides = Overrides {
            connection_string: Some(
                "HostName=h;DeviceId=d;SharedAccessKey=c2VjcmV0IQ==;Bogus=1".into(),
            ),
            ..Overrides::default()
        };
        let agent = AgentConfig::from_parts(Config::default(), &overrides).unwrap();
        let err = agent.device_identity().unwrap_err().to_string();
        assert!(err.contains("Bogus"), "{err}");
        assert!(!err.contains("c2VjcmV0IQ=="), "{err}");
        assert!(!format!("{agent:?}").contains("c2VjcmV0IQ=="));
        let mut config = Config::default();
        config.hub.host_name = Some("h".into());
        config.hub.device_id = Some("a/b".into());
        config.hub.key_file = Some("/nonexistent".into());
        let agent = AgentConfig::from_parts(config, &Overrides::default()).unwrap();
        assert!(
            agent
                .device_identity()
                .unwrap_err()
                .to_string()
                .contains("hub.device_id")
        );
    }
}
