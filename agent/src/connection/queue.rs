//! The on-disk queue of reported-property patches.
//!
//! A patch the agent reports must reach the hub even if the connection is down, the hub
//! restarts, or the device loses power before the hub acknowledges it. Each patch is one file
//! (`{sequence}.json`, written atomically and flushed) in the queue directory; the sender sends
//! the oldest, and only deletes it once the hub answered. File names sort by sequence, so the
//! order survives restarts.
//!
//! A device offline for long keeps reporting; to stay bounded the queue folds a new patch into
//! the newest queued one once it holds [`MAX_QUEUED`] entries. Twin patches compose (a later
//! value replaces an earlier one, `null` deletes), so the hub ends in the same state. The oldest
//! entry is never rewritten: it may be on the wire.

use std::collections::VecDeque;
use std::fs;
use std::os::unix::fs::DirBuilderExt as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{DmError, DmResult};
use crate::state::write_atomic;

/// Entries kept before new patches are folded into the newest one.
pub const MAX_QUEUED: usize = 256;

/// One queued patch.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Its sequence number (the file name).
    pub seq: u64,
    /// The reported patch.
    pub patch: Value,
}

/// The queue, mirrored in memory.
#[derive(Debug)]
pub struct ReportQueue {
    /// The directory holding one file per entry.
    dir: PathBuf,
    /// The entries, oldest first.
    entries: VecDeque<Entry>,
    /// The sequence number of the next entry.
    next_seq: u64,
    /// The fold threshold.
    max_entries: usize,
}

fn file_name(seq: u64) -> String {
    format!("{seq:020}.json")
}

impl ReportQueue {
    /// Opens (creating) the queue in `dir`, loading what a previous run left. A file that is
    /// not a JSON patch cannot be sent; it is moved aside (`.corrupt`) and logged.
    pub fn open(dir: impl Into<PathBuf>) -> DmResult<Self> {
        let dir = dir.into();
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|e| DmError::io("cannot create the report queue", &dir, e))?;
        let mut entries = Vec::new();
        let listing = fs::read_dir(&dir).map_err(|e| DmError::io("cannot list", &dir, e))?;
        for item in listing {
            let item = item.map_err(|e| DmError::io("cannot list", &dir, e))?;
            let name = item.file_name();
            let name = name.to_string_lossy();
            let path = item.path();
            if name.starts_with('.') && name.contains(".tmp-") {
                // A write interrupted by a crash: it was never acknowledged to the caller.
                let _ = fs::remove_file(&path);
                continue;
            }
            let Some(seq) = name
                .strip_suffix(".json")
                .and_then(|s| s.parse::<u64>().ok())
            else {
                continue;
            };
            let parsed = fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    serde_json::from_slice::<Value>(&bytes).map_err(|e| e.to_string())
                });
            match parsed {
                Ok(patch) if patch.is_object() => entries.push(Entry { seq, patch }),
                Ok(_) | Err(_) => {
                    tracing::error!(file = %path.display(), "a queued reported patch is unreadable; moving it aside");
                    let _ = fs::rename(&path, path.with_extension("corrupt"));
                }
            }
        }
        entries.sort_by_key(|e| e.seq);
        let next_seq = entries.last().map_or(1, |e| e.seq + 1);
        Ok(Self {
            dir,
            entries: entries.into(),
            next_seq,
            max_entries: MAX_QUEUED,
        })
    }

    /// The same queue folding at `max` entries (tests).
    #[must_use]
    pub fn with_max_entries(mut self, max: usize) -> Self {
        self.max_entries = max.max(2);
        self
    }

    /// How many patches wait.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The oldest patch.
    pub fn front(&self) -> Option<&Entry> {
        self.entries.front()
    }

    /// Appends `patch` durably (it is on disk when this returns).
    pub fn push(&mut self, patch: Value) -> DmResult<()> {
        if self.entries.len() >= self.max_entries
            && self.entries.len() >= 2
            && let Some(tail) = self.entries.back()
            && let Some(folded) = compose(&tail.patch, &patch)
        {
            let seq = tail.seq;
            self.write(seq, &folded)?;
            if let Some(tail) = self.entries.back_mut() {
                tail.patch = folded;
            }
            return Ok(());
        }
        let seq = self.next_seq;
        self.write(seq, &patch)?;
        self.next_seq += 1;
        self.entries.push_back(Entry { seq, patch });
        Ok(())
    }

    fn write(&self, seq: u64, patch: &Value) -> DmResult<()> {
        let bytes = serde_json::to_vec(patch).map_err(|e| DmError::CorruptState {
            path: self.dir.join(file_name(seq)),
            detail: e.to_string(),
        })?;
        write_atomic(&self.dir.join(file_name(seq)), &bytes, 0o600)
    }

    /// Deletes entry `seq` once the hub has it (a no-op if it is not queued). The entry leaves
    /// the queue even if its file cannot be deleted, so a failing disk cannot make the sender
    /// repeat it forever; the error says the file may come back after a restart.
    pub fn remove(&mut self, seq: u64) -> DmResult<()> {
        let Some(index) = self.entries.iter().position(|e| e.seq == seq) else {
            return Ok(());
        };
        self.entries.remove(index);
        let path = self.dir.join(file_name(seq));
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(DmError::io("cannot delete", path, e)),
        }
        // Without this a power cut could bring the entry back and send it twice, which is
        // harmless for a merge patch but would reorder it behind newer ones.
        fs::File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| DmError::io("cannot flush directory", &self.dir, e))
    }

    /// How many entries a queue directory holds, without opening it for writing (for
    /// `dm-agent status`); 0 when it does not exist.
    pub fn count(dir: &Path) -> usize {
        fs::read_dir(dir).map_or(0, |listing| {
            listing
                .filter_map(Result::ok)
                .filter(|e| {
                    let name = e.file_name();
                    let name = name.to_string_lossy();
                    name.strip_suffix(".json")
                        .is_some_and(|s| s.parse::<u64>().is_ok())
                })
                .count()
        })
    }
}

/// The single patch equivalent to applying `first` then `second`, or `None` when no merge
/// patch can express it: a key that `first` deletes or sets to a non-object and `second` sets
/// to an object would have to *replace* whatever the hub held before, but a merge patch can
/// only merge into it.
pub fn compose(first: &Value, second: &Value) -> Option<Value> {
    match (first, second) {
        (Value::Object(a), Value::Object(b)) => {
            let mut out = a.clone();
            for (key, later) in b {
                let merged = match (out.get(key), later) {
                    (Some(earlier), Value::Object(_)) if !earlier.is_object() => return None,
                    (Some(earlier @ Value::Object(_)), Value::Object(_)) => {
                        compose(earlier, later)?
                    }
                    _ => later.clone(),
                };
                out.insert(key.clone(), merged);
            }
            Some(Value::Object(out))
        }
        _ => Some(second.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entries_survive_a_restart_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut queue = ReportQueue::open(dir.path()).unwrap();
        for i in 0..5 {
            queue.push(json!({"dm": {"n": i}})).unwrap();
        }
        let first = queue.front().unwrap().seq;
        queue.remove(first).unwrap();
        drop(queue);
        let mut queue = ReportQueue::open(dir.path()).unwrap();
        let seen: Vec<Value> = std::iter::from_fn(|| {
            let e = queue.front()?.clone();
            queue.remove(e.seq).unwrap();
            Some(e.patch["dm"]["n"].clone())
        })
        .collect();
        assert_eq!(seen, [json!(1), json!(2), json!(3), json!(4)]);
        assert_eq!(ReportQueue::count(dir.path()), 0);
        // Sequence numbers keep growing after a restart, so order holds across runs.
        queue.push(json!({"x": 1})).unwrap();
        assert!(queue.front().unwrap().seq > first);
    }

    #[test]
    fn unreadable_and_interrupted_files_do_not_block_the_queue() {
        let dir = tempfile::tempdir().unwrap();
        let mut queue = ReportQueue::open(dir.path()).unwrap();
        queue.push(json!({"a": 1})).unwrap();
        queue.push(json!({"b": 2})).unwrap();
        drop(queue);
        std::fs::write(dir.path().join(file_name(1)), b"{torn").unwrap();
        std::fs::write(dir.path().join(".00000000000000000003.json.tmp-1-2"), b"{").unwrap();
        let queue = ReportQueue::open(dir.path()).unwrap();
        assert_eq!(queue.len(), 1);
        assert_eq!(queue.front().unwrap().patch, json!({"b": 2}));
        assert!(dir.path().join(format!("{:020}.corrupt", 1)).exists());
        assert!(
            !dir.path()
                .join(".00000000000000000003.json.tmp-1-2")
                .exists()
        );
    }

    #[test]
    fn a_full_queue_folds_new_patches_into_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let mut queue = ReportQueue::open(dir.path()).unwrap().with_max_entries(3);
        queue.push(json!({"dm": {"a": 1}})).unwrap();
        queue.push(json!({"dm": {"b": 1}})).unwrap();
        queue.push(json!({"dm": {"c": {"x": 1}}})).unwrap();
        queue
            .push(json!({"dm": {"c": {"y": 2}, "b": null}}))
            .unwrap();
        queue.push(json!({"dm": {"c": {"x": 3}}})).unwrap();
        assert_eq!(queue.len(), 3);
        assert_eq!(ReportQueue::count(dir.path()), 3);
        let reopened = ReportQueue::open(dir.path()).unwrap();
        let patches: Vec<Value> = reopened.entries.iter().map(|e| e.patch.clone()).collect();
        assert_eq!(
            patches,
            [
                json!({"dm": {"a": 1}}),
                json!({"dm": {"b": 1}}),
                json!({"dm": {"c": {"x": 3, "y": 2}, "b": null}}),
            ]
        );
    }

    #[test]
    fn composition_matches_applying_in_turn() {
        assert_eq!(
            compose(
                &json!({"a": {"b": 1, "c": 2}}),
                &json!({"a": {"c": null, "d": 4}, "e": 5})
            ),
            Some(json!({"a": {"b": 1, "c": null, "d": 4}, "e": 5}))
        );
        assert_eq!(compose(&json!({"a": 1}), &json!({"a": {"b": 1}})), None);
        assert_eq!(
            compose(&json!({"a": {"b": 1}}), &json!({"a": 7})),
            Some(json!({"a": 7}))
        );
        assert_eq!(compose(&json!({"a": null}), &json!({"a": {"b": 1}})), None);
    }
}
