//! The data directory: who may read it, and the endpoint record clients read from it.
//!
//! `hub.db` holds every key of the hub (policies, devices) and `ca-key.pem` signs certificates
//! that clients trust, so the directory is the owner's alone: created 0700, its secret files
//! 0600, and a server refuses to start on an existing directory other users can enter unless
//! told to ([`HubConfig::allow_insecure_permissions`](crate::HubConfig)). SQLite creates
//! `hub.db-wal` and `hub.db-shm` with the database file's mode, so creating `hub.db` 0600 keeps
//! them private too.
//!
//! `endpoint.json` records the host name and ports a running hub serves, so that tools reading
//! the directory (`dmctl hub connection-string`) print connection strings that reach it instead
//! of guessing the default ports.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::EmulatorError;

/// The files in the data directory that hold secrets (keys, or the store of them).
pub const SECRET_FILES: [&str; 5] = [
    "hub.db",
    "hub.db-wal",
    "hub.db-shm",
    "ca-key.pem",
    "server-key.pem",
];

/// The name of the endpoint record in the data directory.
pub const ENDPOINT_FILE: &str = "endpoint.json";

/// The mode bits that let anyone but the owner in.
#[cfg(unix)]
const OTHERS: u32 = 0o077;

/// Creates `dir` (and missing parents) with the directory itself private to its owner; an
/// existing empty directory (nothing to protect yet) is made private too.
pub fn create_private_dir(dir: &Path) -> Result<(), EmulatorError> {
    if dir.is_dir() {
        return tighten_if_empty(dir);
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(EmulatorError::io("creating data directory", parent))?;
    }
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(dir) {
        Ok(()) => Ok(()),
        // Another process created it in between: it is checked like any existing directory.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(EmulatorError::io("creating data directory", dir)(e)),
    }
}

/// Makes `dir` 0700 if others can enter it and it is empty.
fn tighten_if_empty(dir: &Path) -> Result<(), EmulatorError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let meta = fs::metadata(dir).map_err(EmulatorError::io("reading", dir))?;
        if meta.permissions().mode() & OTHERS == 0 {
            return Ok(());
        }
        let empty = fs::read_dir(dir)
            .map_err(EmulatorError::io("reading", dir))?
            .next()
            .is_none();
        if empty {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
                .map_err(EmulatorError::io("restricting permissions of", dir))?;
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Checks that only the owner can enter `dir`, and makes the secret files in it 0600.
///
/// A directory open to others that already holds something (keys may have been read) is
/// refused, with the `chmod` that fixes it, unless `allow_insecure` is set, in which case it is
/// logged as a warning. An empty one (just made with `mkdir` under the usual umask) has nothing
/// to protect yet and is made 0700. Secret files are tightened rather than refused: doing so
/// takes nothing away from their owner.
pub fn check_private(dir: &Path, allow_insecure: bool) -> Result<(), EmulatorError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        tighten_if_empty(dir)?;
        let meta = fs::metadata(dir).map_err(EmulatorError::io("reading", dir))?;
        let mode = meta.permissions().mode() & 0o7777;
        if mode & OTHERS != 0 {
            if !allow_insecure {
                return Err(EmulatorError::InsecurePermissions {
                    path: dir.to_path_buf(),
                    mode,
                });
            }
            tracing::warn!(
                path = %dir.display(),
                mode = format_args!("{mode:04o}"),
                "the data directory holds the hub's keys but other users can enter it"
            );
        }
        for name in SECRET_FILES {
            restrict_file(&dir.join(name))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (dir, allow_insecure);
    Ok(())
}

/// Makes `path` readable and writable by its owner only, when it exists.
pub fn restrict_file(path: &Path) -> Result<(), EmulatorError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        match fs::symlink_metadata(path) {
            Ok(meta) if meta.is_file() && meta.permissions().mode() & OTHERS != 0 => {
                fs::set_permissions(path, fs::Permissions::from_mode(0o600))
                    .map_err(EmulatorError::io("restricting permissions of", path))?;
            }
            _ => {}
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates `path` empty with mode 0600 if it does not exist (so SQLite opens a private file).
pub fn create_private_file(path: &Path) -> Result<(), EmulatorError> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map(drop)
        .map_err(EmulatorError::io("creating", path))
}

/// Writes `contents` to `path` atomically (temporary file, flush, rename) with `mode`.
pub fn write_atomic(path: &Path, contents: &[u8], mode: u32) -> Result<(), EmulatorError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.tmp-{}", uuid::Uuid::new_v4().simple()));
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let written = options.open(&temp).and_then(|mut file| {
        file.write_all(contents)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| fs::rename(&temp, path));
    if let Err(e) = renamed {
        let _ = fs::remove_file(&temp);
        return Err(EmulatorError::io("writing", path)(e));
    }
    Ok(())
}

/// Where a running hub can be reached, as recorded in its data directory by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// The host name clients use (the hub name, e.g. `localhost`).
    pub host_name: String,
    /// The port HTTPS (REST, MQTT over WebSocket) listens on.
    pub https_port: u16,
    /// The port MQTT over TLS listens on.
    pub mqtt_port: u16,
}

impl Endpoint {
    /// The path of the record in `data_dir`.
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(ENDPOINT_FILE)
    }

    /// Records `self` in `data_dir`, replacing any previous record in one step.
    pub fn write(&self, data_dir: &Path) -> Result<(), EmulatorError> {
        let text = serde_json::to_vec_pretty(self)
            .map_err(|e| EmulatorError::Config(format!("endpoint record: {e}")))?;
        write_atomic(&Self::path(data_dir), &text, 0o644)
    }

    /// The record in `data_dir`: `None` when no server has recorded one, an error when it
    /// cannot be read (permission denied names the path) or is not a record.
    pub fn read(data_dir: &Path) -> Result<Option<Self>, EmulatorError> {
        let path = Self::path(data_dir);
        let text = match fs::read(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(EmulatorError::io("reading", path)(e)),
        };
        serde_json::from_slice(&text)
            .map(Some)
            .map_err(|e| EmulatorError::Corrupt(format!("{}: {e}", path.display())))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_directory_is_private_and_a_loose_one_is_refused_unless_allowed() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/b/hub");
        create_private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        check_private(&dir, false).unwrap();

        // Empty, it has nothing to protect yet: made private.
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        check_private(&dir, false).unwrap();
        assert_eq!(mode(&dir), 0o700);

        fs::write(dir.join("hub.db"), "").unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        let refused = check_private(&dir, false).unwrap_err().to_string();
        assert!(refused.contains(&dir.display().to_string()), "{refused}");
        assert!(refused.contains("chmod 700"), "{refused}");
        check_private(&dir, true).unwrap();
    }

    #[test]
    fn secret_files_are_tightened() {
        let dir = tempfile::tempdir().unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
        let db = dir.path().join("hub.db");
        fs::write(&db, "").unwrap();
        fs::set_permissions(&db, fs::Permissions::from_mode(0o644)).unwrap();
        check_private(dir.path(), false).unwrap();
        assert_eq!(mode(&db), 0o600);
    }

    #[test]
    fn the_endpoint_record_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Endpoint::read(dir.path()).unwrap(), None);
        let endpoint = Endpoint {
            host_name: "localhost".into(),
            https_port: 18443,
            mqtt_port: 18883,
        };
        endpoint.write(dir.path()).unwrap();
        assert_eq!(Endpoint::read(dir.path()).unwrap(), Some(endpoint));
    }
}
