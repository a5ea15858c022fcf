//! Where the hub connection comes from: `--hub`, the environment, or a saved profile.
//!
//! Resolution is lazy (nothing is read until a command needs the hub) and follows one
//! documented precedence: `--hub` flag > `--profile` flag > `IOTHUB_CONNECTION_STRING` >
//! `DMCTL_PROFILE` > the config file's current profile. A profile either stores a connection
//! string or points at a local hub's data directory, whose `ca.pem` is then trusted and whose
//! policy key is read from the hub's store at use time (so no key is copied into the config).
//! The config file holds secrets, so it is written with owner-only permissions.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use iothub_auth::ConnectionString;
use serde::{Deserialize, Serialize};

use crate::args::Secret;
use crate::env_vars;
use crate::exit::{CliError, Exit};

/// The policy a data-directory profile uses when none is named.
pub const DEFAULT_POLICY: &str = "iothubowner";

/// `config.toml`.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The profile used when none is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    /// Saved profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One saved hub connection.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// A hub connection string (secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub: Option<String>,
    /// A local hub's data directory: `ca.pem` is trusted, the key comes from its store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    /// `HostName` for a data-directory profile (`localhost`, `localhost:8443`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Shared access policy for a data-directory profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// An extra CA certificate to trust.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("hub", &self.hub.as_ref().map(|_| "<redacted>"))
            .field("data_dir", &self.data_dir)
            .field("host", &self.host)
            .field("policy", &self.policy)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

/// Where a connection setting came from: a flag or the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag.
    Flag,
    /// An environment variable.
    Env,
}

/// What the command line and environment say about the connection, before any file is read.
#[derive(Debug, Clone, Default)]
pub struct ConnectionInputs {
    /// `--hub` / `IOTHUB_CONNECTION_STRING`.
    pub hub: Option<(Secret, Origin)>,
    /// `--profile` / `DMCTL_PROFILE`.
    pub profile: Option<(String, Origin)>,
    /// `--ca-file` / `DMCTL_CA_FILE`.
    pub ca_file: Option<PathBuf>,
    /// The config file (`DMCTL_CONFIG`, or the XDG location); `None` when no home is known.
    pub config_path: Option<PathBuf>,
}

/// Where the resolved connection string came from (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `--hub`.
    Flag,
    /// `IOTHUB_CONNECTION_STRING`.
    Env,
    /// A profile of the config file.
    Profile(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag => f.write_str("--hub"),
            Source::Env => write!(f, "{}", env_vars::IOTHUB_CONNECTION_STRING),
            Source::Profile(name) => write!(f, "profile '{name}'"),
        }
    }
}

/// A resolved hub connection.
#[derive(Debug, Clone)]
pub struct Connection {
    /// The connection string (its `Debug`/`Display` redact the key).
    pub connection_string: ConnectionString,
    /// An extra CA certificate (PEM file) to trust; read only when a client is built.
    pub ca_file: Option<PathBuf>,
    /// Where the string came from.
    pub source: Source,
}

/// The default config file: `$DMCTL_CONFIG`, else `$XDG_CONFIG_HOME/dmctl/config.toml`, else
/// `~/.config/dmctl/config.toml` (the platform config dir on Windows).
pub fn default_config_path() -> Option<PathBuf> {
    if let Some(path) = non_empty_env(env_vars::DMCTL_CONFIG) {
        return Some(PathBuf::from(path));
    }
    let base = match non_empty_env(env_vars::XDG_CONFIG_HOME).map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => dir,
        _ => {
            let dirs = directories::BaseDirs::new()?;
            if cfg!(windows) {
                dirs.config_dir().to_path_buf()
            } else {
                dirs.home_dir().join(".config")
            }
        }
    };
    Some(base.join("dmctl").join("config.toml"))
}

/// dmctl's state directory: `$XDG_STATE_HOME/dmctl`, else `~/.local/state/dmctl` (the
/// platform data dir on Windows). Rollout plans live here; they may hold secrets, so the
/// directory is created 0700 by [`create_private_dir`].
pub fn default_state_dir() -> Result<PathBuf, CliError> {
    let base = match non_empty_env(env_vars::XDG_STATE_HOME).map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => dir,
        _ => {
            let dirs = directories::BaseDirs::new().ok_or_else(|| {
                CliError::usage("cannot find a home directory for dmctl's state")
                    .with_hint(format!("set {}", env_vars::XDG_STATE_HOME))
            })?;
            if cfg!(windows) {
                dirs.data_local_dir().to_path_buf()
            } else {
                dirs.home_dir().join(".local").join("state")
            }
        }
    };
    Ok(base.join("dmctl"))
}

/// Creates `dir` (and its parents) with the last component readable by the owner only.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        // An existing directory keeps its mode unless it is tightened here.
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
    }
    #[cfg(not(unix))]
    {
        fs::create_dir_all(dir)
    }
}

/// The local hub's default data directory: `dmctl/hub` under the user's data directory.
pub fn default_data_dir() -> Result<PathBuf, CliError> {
    directories::ProjectDirs::from("", "", "dmctl")
        .map(|dirs| dirs.data_dir().join("hub"))
        .ok_or_else(|| {
            CliError::usage("cannot find a home directory for the local hub's data")
                .with_hint("pass --data-dir DIR")
        })
}

fn non_empty_env(name: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

impl ConfigFile {
    /// Reads the config file; a missing file is an empty config.
    pub fn load(path: &Path) -> Result<Self, CliError> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(CliError::io(format!("config file {}", path.display()), e)),
        };
        toml::from_str(&text)
            .map_err(|e| {
                // toml's message quotes the offending line, which may hold a connection string:
                // report only where the problem is.
                let place = e
                    .span()
                    .map(|span| {
                        let line = text[..span.start.min(text.len())].lines().count().max(1);
                        format!(" at line {line}")
                    })
                    .unwrap_or_default();
                CliError::usage(format!(
                    "config file {} is not valid{place}",
                    path.display()
                ))
                .with_hint("fix or remove the file; `dmctl profile add` rewrites it")
            })
            .and_then(|config: Self| {
                config.check_private(path)?;
                Ok(config)
            })
    }

    /// Refuses a file holding hub keys that other users can read: the keys must be treated as
    /// leaked, and using them silently would hide that (as ssh refuses a readable private key).
    /// `save` writes the file 0600, so only a file changed by hand or copied in is refused.
    #[cfg(unix)]
    fn check_private(&self, path: &Path) -> Result<(), CliError> {
        use std::os::unix::fs::PermissionsExt as _;
        if !self.profiles.values().any(|p| p.hub.is_some()) {
            return Ok(());
        }
        let mode = fs::metadata(path)
            .map_err(|e| CliError::io(format!("config file {}", path.display()), e))?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            let file = path.display();
            return Err(CliError::usage(format!(
                "config file {file} holds hub keys and other users can read it (mode {mode:03o})"
            ))
            .with_hint(format!(
                "run `chmod 600 {file}`, and rotate the keys if others may have read them"
            )));
        }
        Ok(())
    }

    /// No Unix permissions to check.
    #[cfg(not(unix))]
    #[allow(clippy::unnecessary_wraps, reason = "the same signature as on Unix")]
    fn check_private(&self, _path: &Path) -> Result<(), CliError> {
        Ok(())
    }

    /// Writes the config file atomically, readable only by the owner (it holds secrets).
    pub fn save(&self, path: &Path) -> Result<(), CliError> {
        let text = toml::to_string_pretty(self)
            .map_err(|e| CliError::failure(format!("cannot serialise the config: {e}")))?;
        let text = format!(
            "# dmctl configuration: saved hub connections. Holds secrets; keep it private.\n{text}"
        );
        let what = || format!("config file {}", path.display());
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(|e| CliError::io(what(), e))?;
        }
        let tmp = path.with_extension("toml.tmp");
        write_private(&tmp, text.as_bytes()).map_err(|e| CliError::io(what(), e))?;
        fs::rename(&tmp, path).map_err(|e| CliError::io(what(), e))
    }
}

/// Writes `bytes` to `path`, readable by the owner only (0600 on Unix).
#[cfg(unix)]
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // `mode` applies only when the file is created: a leftover temporary file keeps its own.
    file.set_permissions(fs::Permissions::from_mode(0o600))?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Writes `bytes` to `path` (no Unix permissions to set).
#[cfg(not(unix))]
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    fs::write(path, bytes)
}

fn no_connection_error() -> CliError {
    CliError::usage("no hub connection string").with_hint(format!(
        "pass --hub, set {}, or save one with `dmctl profile add NAME` (a local hub: `dmctl profile add local --data-dir DIR`)",
        env_vars::IOTHUB_CONNECTION_STRING
    ))
}

/// Resolves the connection: see the module docs for the precedence. Reads the config file
/// only when no flag or variable settles it, and never the CA file (see [`Connection::ca_pem`]).
pub fn resolve(inputs: &ConnectionInputs) -> Result<Connection, CliError> {
    let explicit_ca = inputs.ca_file.clone();
    let from_string = |secret: &Secret, source: Source| -> Result<Connection, CliError> {
        let connection_string = parse_connection_string(secret.expose(), &source)?;
        Ok(Connection {
            connection_string,
            ca_file: explicit_ca.clone(),
            source,
        })
    };

    if let Some((secret, Origin::Flag)) = &inputs.hub {
        if let Some((_, Origin::Flag)) = &inputs.profile {
            return Err(CliError::usage(
                "--hub and --profile cannot be used together",
            ));
        }
        return from_string(secret, Source::Flag);
    }
    let profile_flag = inputs
        .profile
        .as_ref()
        .filter(|(_, origin)| *origin == Origin::Flag);
    if let Some((name, _)) = profile_flag {
        return from_profile(inputs, name, explicit_ca);
    }
    if let Some((secret, _)) = &inputs.hub {
        return from_string(secret, Source::Env);
    }
    if let Some((name, _)) = &inputs.profile {
        return from_profile(inputs, name, explicit_ca);
    }
    let Some(path) = &inputs.config_path else {
        return Err(no_connection_error());
    };
    let config = ConfigFile::load(path)?;
    match config.current {
        Some(name) => from_profile_in(&config.profiles, &name, path, explicit_ca),
        None => Err(no_connection_error()),
    }
}

fn from_profile(
    inputs: &ConnectionInputs,
    name: &str,
    explicit_ca: Option<PathBuf>,
) -> Result<Connection, CliError> {
    let path = inputs.config_path.as_deref().ok_or_else(|| {
        CliError::usage(format!(
            "profile '{name}' cannot be read: no config file location"
        ))
        .with_hint(format!("set {} or HOME", env_vars::XDG_CONFIG_HOME))
    })?;
    let config = ConfigFile::load(path)?;
    from_profile_in(&config.profiles, name, path, explicit_ca)
}

fn from_profile_in(
    profiles: &BTreeMap<String, Profile>,
    name: &str,
    path: &Path,
    explicit_ca: Option<PathBuf>,
) -> Result<Connection, CliError> {
    let profile = profiles.get(name).ok_or_else(|| {
        let known: Vec<&str> = profiles.keys().map(String::as_str).collect();
        let hint = if known.is_empty() {
            "add one with `dmctl profile add NAME`".to_owned()
        } else {
            format!("known profiles: {}", known.join(", "))
        };
        CliError::usage(format!("no profile named '{name}' in {}", path.display())).with_hint(hint)
    })?;
    let source = Source::Profile(name.to_owned());
    let connection_string = match (&profile.hub, &profile.data_dir) {
        (Some(hub), _) => parse_connection_string(hub, &source)?,
        (None, Some(dir)) => local_hub_connection_string(
            dir,
            profile.policy.as_deref().unwrap_or(DEFAULT_POLICY),
            profile.host.as_deref().unwrap_or("localhost"),
        )
        .map_err(|e| e.context(format!("profile '{name}'")))?,
        (None, None) => {
            return Err(CliError::usage(format!(
                "profile '{name}' has neither a connection string nor a data directory"
            ))
            .with_hint(format!(
                "re-add it with `dmctl profile add {name} --force ...`"
            )));
        }
    };
    let ca_file = explicit_ca
        .or_else(|| profile.ca_file.clone())
        .or_else(|| profile.data_dir.as_ref().map(|dir| dir.join("ca.pem")));
    Ok(Connection {
        connection_string,
        ca_file,
        source,
    })
}

/// Checks that `data_dir` holds a local hub this user can read: "no local hub" only when there
/// is none, "permission denied" (with the path) when it belongs to someone else.
pub fn check_local_hub(data_dir: &Path) -> Result<(), CliError> {
    let db = data_dir.join("hub.db");
    match fs::metadata(&db) {
        Ok(meta) if meta.is_file() => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            Err(permission_denied(data_dir, e))
        }
        Ok(_) | Err(_) => Err(CliError::new(
            Exit::NotFound,
            format!("no local hub in {}", data_dir.display()),
        )
        .with_hint(format!(
            "start one with `dmctl hub serve --data-dir {}`",
            data_dir.display()
        ))),
    }
}

/// The local hub's data directory (or a file in it) is not this user's to read.
pub fn permission_denied(data_dir: &Path, e: io::Error) -> CliError {
    CliError::failure(format!(
        "permission denied reading the local hub in {}",
        data_dir.display()
    ))
    .with_hint(
        "the data directory is private to the user who started the hub: run as that user, or \
         pass --data-dir with a hub of yours",
    )
    .with_source(e)
}

/// The service connection string of the local hub in `data_dir` (read from its store).
pub fn local_hub_connection_string(
    data_dir: &Path,
    policy: &str,
    host: &str,
) -> Result<ConnectionString, CliError> {
    check_local_hub(data_dir)?;
    iothub_emulator::connection_string_for_policy(data_dir, policy, host).map_err(|e| {
        if let iothub_emulator::EmulatorError::Io { error: source, .. } = &e
            && source.kind() == io::ErrorKind::PermissionDenied
        {
            let source = io::Error::new(source.kind(), e.to_string());
            return permission_denied(data_dir, source);
        }
        let exit = match &e {
            iothub_emulator::EmulatorError::Hub { .. } => Exit::NotFound,
            _ => Exit::Failure,
        };
        let message = format!("local hub in {}: {e}", data_dir.display());
        CliError::new(exit, message).with_source(e)
    })
}

pub(crate) fn parse_connection_string(
    text: &str,
    source: &Source,
) -> Result<ConnectionString, CliError> {
    let trimmed = text.trim();
    let quoted = |c: char| trimmed.starts_with(c) || trimmed.ends_with(c);
    if quoted('"') || quoted('\'') {
        // Pasting `"HostName=...;..."` inside shell quotes keeps the inner quotes.
        return Err(CliError::usage(format!(
            "the connection string from {source} is wrapped in quotes"
        ))
        .with_hint(
            "remove the quotation marks that were pasted with it; the string starts with HostName=",
        ));
    }
    text.parse::<ConnectionString>().map_err(|e| {
        CliError::usage(format!("the connection string from {source} is invalid: {e}"))
            .with_hint("copy it again from the portal (`az iot hub connection-string show`) or from `dmctl hub connection-string`")
    })
}

impl Connection {
    /// The extra CA certificate's PEM bytes, if one is configured.
    pub fn ca_pem(&self) -> Result<Option<Vec<u8>>, CliError> {
        self.ca_file.as_deref().map(read_ca).transpose()
    }
}

fn read_ca(path: &Path) -> Result<Vec<u8>, CliError> {
    let pem = fs::read(path).map_err(|e| {
        CliError::io(format!("CA file {}", path.display()), e)
            .with_hint("pass --ca-file with the local hub's ca.pem (in its data directory)")
    })?;
    if !pem
        .windows(b"-----BEGIN CERTIFICATE-----".len())
        .any(|w| w == b"-----BEGIN CERTIFICATE-----")
    {
        return Err(CliError::usage(format!(
            "CA file {} holds no PEM certificate",
            path.display()
        )));
    }
    Ok(pem)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HUB: &str =
        "HostName=h.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=cGFzc3dvcmQ=";
    const OTHER: &str =
        "HostName=other.azure-devices.net;SharedAccessKeyName=service;SharedAccessKey=cGFzc3dvcmQ=";

    fn secret(s: &str) -> Secret {
        s.parse().unwrap()
    }

    /// Writes a config file private to its owner, as `dmctl profile add` does.
    fn write_config(dir: &Path, text: &str) -> PathBuf {
        let path = dir.join("config.toml");
        write_private(&path, text.as_bytes()).unwrap();
        path
    }

    #[test]
    fn flag_beats_profile_beats_env_beats_current() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_config(
            dir.path(),
            &format!(
                "current = \"a\"\n[profiles.a]\nhub = \"{HUB}\"\n[profiles.b]\nhub = \"{OTHER}\"\n"
            ),
        );
        let base = ConnectionInputs {
            config_path: Some(path),
            ..ConnectionInputs::default()
        };
        let host = |inputs: &ConnectionInputs| resolve(inputs).unwrap().connection_string.host_name;

        assert_eq!(host(&base), "h.azure-devices.net");
        let env = ConnectionInputs {
            hub: Some((secret(OTHER), Origin::Env)),
            ..base.clone()
        };
        assert_eq!(host(&env), "other.azure-devices.net");
        assert_eq!(resolve(&env).unwrap().source, Source::Env);
        let profile_flag = ConnectionInputs {
            profile: Some(("a".into(), Origin::Flag)),
            ..env.clone()
        };
        assert_eq!(host(&profile_flag), "h.azure-devices.net");
        let env_profile = ConnectionInputs {
            profile: Some(("b".into(), Origin::Env)),
            ..base.clone()
        };
        assert_eq!(host(&env_profile), "other.azure-devices.net");
        let flag = ConnectionInputs {
            hub: Some((secret(OTHER), Origin::Flag)),
            profile: Some(("a".into(), Origin::Env)),
            ..base
        };
        assert_eq!(resolve(&flag).unwrap().source, Source::Flag);
        let both = ConnectionInputs {
            profile: Some(("a".into(), Origin::Flag)),
            ..flag
        };
        assert_eq!(resolve(&both).unwrap_err().exit(), Exit::Usage);
    }

    #[test]
    fn nothing_configured_is_a_usage_error_with_a_hint() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = ConnectionInputs {
            config_path: Some(dir.path().join("missing.toml")),
            ..ConnectionInputs::default()
        };
        let err = resolve(&inputs).unwrap_err();
        assert_eq!(err.exit(), Exit::Usage);
        assert!(err.hint().unwrap().contains("dmctl profile add"));
    }

    #[test]
    fn invalid_strings_and_configs_never_echo_the_secret() {
        let bad = "HostName=h;SharedAccessKeyName=p;SharedAccessKey=not*base64";
        let err = resolve(&ConnectionInputs {
            hub: Some((secret(bad), Origin::Flag)),
            ..ConnectionInputs::default()
        })
        .unwrap_err();
        assert!(!err.to_string().contains("not*base64"), "{err}");
        assert!(err.to_string().contains("SharedAccessKey"));

        let dir = tempfile::tempdir().unwrap();
        let path = write_config(
            dir.path(),
            "[profiles.a]\nhub = \"SharedAccessKey=c2VjcmV0\n",
        );
        let err = ConfigFile::load(&path).unwrap_err();
        assert!(!err.to_string().contains("c2VjcmV0"), "{err}");
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn unknown_profile_lists_the_known_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_config(dir.path(), &format!("[profiles.prod]\nhub = \"{HUB}\"\n"));
        let err = resolve(&ConnectionInputs {
            profile: Some(("dev".into(), Origin::Flag)),
            config_path: Some(path),
            ..ConnectionInputs::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("no profile named 'dev'"));
        assert_eq!(err.hint(), Some("known profiles: prod"));
    }

    #[test]
    fn explicit_ca_file_is_read_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let not_pem = dir.path().join("x.pem");
        fs::write(&not_pem, "hello").unwrap();
        let err = resolve(&ConnectionInputs {
            hub: Some((secret(HUB), Origin::Flag)),
            ca_file: Some(not_pem),
            ..ConnectionInputs::default()
        })
        .unwrap()
        .ca_pem()
        .unwrap_err();
        assert!(err.to_string().contains("holds no PEM certificate"));

        let err = resolve(&ConnectionInputs {
            hub: Some((secret(HUB), Origin::Flag)),
            ca_file: Some(dir.path().join("missing.pem")),
            ..ConnectionInputs::default()
        })
        .unwrap()
        .ca_pem()
        .unwrap_err();
        assert!(err.to_string().contains("missing.pem"));
    }

    #[cfg(unix)]
    #[test]
    fn saved_config_is_private_and_round_trips() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("config.toml");
        let mut config = ConfigFile {
            current: Some("a".into()),
            ..ConfigFile::default()
        };
        config.profiles.insert(
            "a".into(),
            Profile {
                hub: Some(HUB.into()),
                ..Profile::default()
            },
        );
        config.save(&path).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700, "the config directory is private");
        // A temporary file left world-readable by an interrupted save does not leak the next.
        let tmp = path.with_extension("toml.tmp");
        fs::write(&tmp, "").unwrap();
        fs::set_permissions(&tmp, fs::Permissions::from_mode(0o644)).unwrap();
        fs::remove_file(&path).unwrap();
        config.save(&path).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a leftover temporary file's mode is not kept");
        let back = ConfigFile::load(&path).unwrap();
        assert_eq!(back.current.as_deref(), Some("a"));
        assert_eq!(back.profiles["a"].hub.as_deref(), Some(HUB));
        assert!(!format!("{back:?}").contains("cGFzc3dvcmQ="));
    }
}
