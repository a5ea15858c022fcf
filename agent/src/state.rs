//! The agent's state directory: small JSON documents written atomically.
//!
//! The schedule, the operation history, the applied desired version and the busy leases must
//! survive restarts and power loss. Each document is written to a temporary file in the same
//! directory, flushed to disk, renamed over the old one, and the directory itself is flushed, so
//! after a crash a reader finds either the old or the new document, never a torn one.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{DmError, DmResult};

/// Writes `bytes` to `path` atomically and durably (temp file, fsync, rename, fsync directory).
///
/// The file is created with `mode` (e.g. `0o600` for anything private).
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> DmResult<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| {
        DmError::io(
            "cannot write",
            path,
            std::io::Error::other("the path has no file name"),
        )
    })?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}-{}",
        name.to_string_lossy(),
        std::process::id(),
        rand::random::<u32>()
    ));
    let result = (|| {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&tmp)
            .map_err(|e| DmError::io("cannot create", &tmp, e))?;
        file.write_all(bytes)
            .map_err(|e| DmError::io("cannot write", &tmp, e))?;
        file.sync_all()
            .map_err(|e| DmError::io("cannot flush", &tmp, e))?;
        drop(file);
        fs::rename(&tmp, path).map_err(|e| DmError::io("cannot replace", path, e))?;
        // The rename is only durable once the directory entry is on disk.
        fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| DmError::io("cannot flush directory", dir, e))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The agent's state directory.
#[derive(Debug, Clone)]
pub struct StateDir {
    /// The directory.
    root: PathBuf,
}

impl StateDir {
    /// Opens (creating with mode 0700 if needed) the state directory at `root`.
    pub fn open(root: impl Into<PathBuf>) -> DmResult<Self> {
        let root = root.into();
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&root)
            .map_err(|e| DmError::io("cannot create state directory", &root, e))?;
        Ok(Self { root })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The path of document `name` (e.g. `operations.json`).
    pub fn file(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Reads document `name`; `Ok(None)` when it does not exist.
    pub fn load<T: DeserializeOwned>(&self, name: &str) -> DmResult<Option<T>> {
        let path = self.file(name);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(DmError::io("cannot read", path, e)),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| DmError::CorruptState {
                path,
                detail: e.to_string(),
            })
    }

    /// Reads document `name`, falling back to the default when it is missing or corrupt; a
    /// corrupt file is moved aside (`<name>.corrupt`) and logged, so one bad file cannot keep
    /// the agent from starting.
    pub fn load_or_default<T: DeserializeOwned + Default>(&self, name: &str) -> T {
        match self.load(name) {
            Ok(Some(value)) => value,
            Ok(None) => T::default(),
            Err(err) => {
                tracing::warn!(error = %err, "starting from an empty state document");
                if matches!(err, DmError::CorruptState { .. }) {
                    let path = self.file(name);
                    let _ = fs::rename(&path, path.with_extension("corrupt"));
                }
                T::default()
            }
        }
    }

    /// Writes document `name` atomically (mode 0600).
    pub fn store<T: Serialize>(&self, name: &str, value: &T) -> DmResult<()> {
        let bytes = serde_json::to_vec_pretty(value).map_err(|e| DmError::CorruptState {
            path: self.file(name),
            detail: e.to_string(),
        })?;
        write_atomic(&self.file(name), &bytes, 0o600)
    }

    /// Deletes document `name` (absent is fine).
    pub fn remove(&self, name: &str) -> DmResult<()> {
        let path = self.file(name);
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(DmError::io("cannot delete", path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    #[test]
    fn documents_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let state = StateDir::open(dir.path().join("state")).unwrap();
        assert_eq!(state.load::<Vec<u32>>("a.json").unwrap(), None);
        state.store("a.json", &vec![1, 2, 3]).unwrap();
        state.store("a.json", &vec![4]).unwrap();
        let reopened = StateDir::open(dir.path().join("state")).unwrap();
        assert_eq!(reopened.load::<Vec<u32>>("a.json").unwrap(), Some(vec![4]));
        let mode = fs::metadata(reopened.file("a.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = fs::metadata(reopened.path()).unwrap().permissions().mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        // No temporary files are left behind.
        let names: Vec<_> = fs::read_dir(reopened.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["a.json"]);
    }

    #[test]
    fn corrupt_documents_are_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let state = StateDir::open(dir.path()).unwrap();
        fs::write(state.file("b.json"), "{not json").unwrap();
        assert!(matches!(
            state.load::<Vec<u32>>("b.json"),
            Err(DmError::CorruptState { .. })
        ));
        let value: Vec<u32> = state.load_or_default("b.json");
        assert!(value.is_empty());
        assert!(state.file("b.corrupt").exists());
        assert!(!state.file("b.json").exists());
    }
}
