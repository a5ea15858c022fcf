//! The operation book: every long operation's envelope, its cancel signal and its target lock.
//!
//! Envelopes are persisted (`operations.json`) on every change, so after a restart the agent
//! knows which operations were cut short (reported `failed`/`interrupted`) and which reboot it
//! was waiting for. The target lock makes two operations on the same thing (two reboots, two
//! installs of one app) a 409 `conflict` instead of a race.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};

use dm_contract::{
    MAX_FINISHED_OPERATIONS_PER_SECTION, OperationId, OperationState, OperationStatus, Operations,
    Section, error_code, operations_to_prune,
};
use jiff::Timestamp;
use tokio::sync::watch;

use crate::error::{DmError, DmResult};
use crate::state::StateDir;

/// The state document of the book.
const OPERATIONS_FILE: &str = "operations.json";

/// Every envelope, by section, plus what live operations need.
pub(crate) struct OperationBook {
    state: StateDir,
    inner: Mutex<Book>,
}

#[derive(Default)]
struct Book {
    sections: BTreeMap<Section, Operations>,
    /// Cancel signals of operations that have not started.
    cancels: HashMap<OperationId, watch::Sender<bool>>,
    /// Target key → the operation holding it.
    targets: HashMap<String, OperationId>,
}

/// A new operation: its envelope and the receiver that fires when it is cancelled.
pub(crate) struct Created {
    pub status: OperationStatus,
    pub cancelled: watch::Receiver<bool>,
}

impl OperationBook {
    /// Loads the book from the state directory.
    pub(crate) fn load(state: &StateDir) -> Self {
        let stored: BTreeMap<String, Operations> = state.load_or_default(OPERATIONS_FILE);
        let sections = stored
            .into_iter()
            .filter_map(|(name, ops)| Some((Section::from_name(&name).ok()?, ops)))
            .collect();
        Self {
            state: state.clone(),
            inner: Mutex::new(Book {
                sections,
                ..Book::default()
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Book> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn persist(&self, book: &Book) {
        let stored: BTreeMap<&str, &Operations> = book
            .sections
            .iter()
            .map(|(s, ops)| (s.name(), ops))
            .collect();
        if let Err(err) = self.state.store(OPERATIONS_FILE, &stored) {
            tracing::warn!(error = %err, "could not persist the operation history");
        }
    }

    /// A fresh operation id: `20250301T101500Z-7f3a`.
    pub(crate) fn new_id(now: Timestamp) -> OperationId {
        let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
        OperationId::new(format!("{stamp}-{:04x}", rand::random::<u16>()))
            .expect("a UTC timestamp and hex digits always form a valid operation id")
    }

    /// Records a new operation, taking `target` if given.
    pub(crate) fn create(
        &self,
        section: Section,
        mut status: OperationStatus,
        target: Option<&str>,
    ) -> DmResult<Created> {
        let mut book = self.lock();
        if let Some(target) = target {
            if let Some(holder) = book.targets.get(target) {
                return Err(DmError::Conflict(format!(
                    "operation `{holder}` on {target} is still in progress"
                )));
            }
            book.targets.insert(target.to_owned(), status.id.clone());
        }
        // An id is reused only by a re-applied desired version: start it afresh.
        status.error = None;
        let (tx, rx) = watch::channel(false);
        book.cancels.insert(status.id.clone(), tx);
        book.sections
            .entry(section)
            .or_default()
            .insert(status.id.clone(), status.clone());
        self.persist(&book);
        Ok(Created {
            status,
            cancelled: rx,
        })
    }

    /// Moves a pending or postponed operation to `running`; `None` if it was cancelled (or is
    /// otherwise no longer waiting).
    pub(crate) fn start(
        &self,
        section: Section,
        id: &OperationId,
        now: Timestamp,
    ) -> Option<OperationStatus> {
        let mut book = self.lock();
        let status = book.sections.get_mut(&section)?.get_mut(id)?;
        if !matches!(
            status.state,
            OperationState::Pending | OperationState::Postponed
        ) {
            return None;
        }
        status.start(now);
        let status = status.clone();
        book.cancels.remove(id);
        self.persist(&book);
        Some(status)
    }

    /// Marks a waiting operation postponed; `None` if it is no longer waiting.
    pub(crate) fn postpone(&self, section: Section, id: &OperationId) -> Option<OperationStatus> {
        let mut book = self.lock();
        let status = book.sections.get_mut(&section)?.get_mut(id)?;
        if !matches!(
            status.state,
            OperationState::Pending | OperationState::Postponed
        ) {
            return None;
        }
        status.postpone();
        let status = status.clone();
        self.persist(&book);
        Some(status)
    }

    /// Cancels a pending or postponed operation (`rejected`/`cancelled`), wherever it is.
    pub(crate) fn cancel(
        &self,
        id: &OperationId,
        now: Timestamp,
    ) -> DmResult<(Section, OperationStatus)> {
        let mut book = self.lock();
        let (section, status) = book
            .sections
            .iter_mut()
            .find_map(|(s, ops)| ops.get_mut(id).map(|op| (*s, op)))
            .ok_or_else(|| DmError::NotFound(format!("no operation `{id}`")))?;
        if !matches!(
            status.state,
            OperationState::Pending | OperationState::Postponed
        ) {
            let state = serde_json::to_value(status.state).ok();
            return Err(DmError::Conflict(format!(
                "operation `{id}` is {}; only pending or postponed operations can be cancelled",
                state
                    .as_ref()
                    .and_then(|s| s.as_str())
                    .unwrap_or("past that point")
            )));
        }
        status.reject(
            now,
            error_code::CANCELLED,
            "cancelled by dm.operations.cancel",
        );
        let status = status.clone();
        if let Some(tx) = book.cancels.remove(id) {
            let _ = tx.send(true);
        }
        book.targets.retain(|_, holder| holder != id);
        self.persist(&book);
        Ok((section, status))
    }

    /// Finishes an operation: stores its final envelope, frees its target, and returns the ids
    /// to prune from the twin (which are dropped from the book too).
    pub(crate) fn finish(&self, section: Section, status: &OperationStatus) -> Vec<OperationId> {
        let mut book = self.lock();
        book.cancels.remove(&status.id);
        book.targets.retain(|_, holder| *holder != status.id);
        let ops = book.sections.entry(section).or_default();
        ops.insert(status.id.clone(), status.clone());
        let prune = operations_to_prune(ops, MAX_FINISHED_OPERATIONS_PER_SECTION);
        for id in &prune {
            ops.remove(id);
        }
        self.persist(&book);
        prune
    }

    /// Frees the target of an operation that stays unfinished on purpose (a reboot waiting for
    /// the device to come back).
    pub(crate) fn release_target(&self, id: &OperationId) {
        let mut book = self.lock();
        book.targets.retain(|_, holder| holder != id);
        book.cancels.remove(id);
    }

    /// Every unfinished envelope.
    pub(crate) fn unfinished(&self) -> Vec<(Section, OperationStatus)> {
        self.lock()
            .sections
            .iter()
            .flat_map(|(s, ops)| {
                ops.values()
                    .filter(|op| !op.is_final())
                    .map(|op| (*s, op.clone()))
            })
            .collect()
    }

    /// One envelope.
    pub(crate) fn get(&self, section: Section, id: &OperationId) -> Option<OperationStatus> {
        self.lock().sections.get(&section)?.get(id).cloned()
    }

    /// Every envelope, by section.
    #[cfg(test)]
    pub(crate) fn all(&self) -> BTreeMap<Section, Operations> {
        self.lock().sections.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2025-03-01T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn targets_conflict_until_finished_and_cancel_rules() {
        let dir = tempfile::tempdir().unwrap();
        let state = StateDir::open(dir.path()).unwrap();
        let book = OperationBook::load(&state);
        let id = OperationBook::new_id(now());
        assert!(id.as_str().starts_with("20250301T100000Z-"));
        let op = OperationStatus::pending(id.clone(), "dm.reboot", now());
        let created = book
            .create(Section::Reboot, op.clone(), Some("power"))
            .unwrap();
        let other = OperationStatus::pending(OperationBook::new_id(now()), "dm.reboot", now());
        assert_eq!(
            book.create(Section::Reboot, other, Some("power"))
                .err()
                .unwrap()
                .status(),
            409
        );
        let (section, cancelled) = book.cancel(&id, now()).unwrap();
        assert_eq!(section, Section::Reboot);
        assert_eq!(cancelled.state, OperationState::Rejected);
        assert!(*created.cancelled.borrow());
        assert_eq!(book.cancel(&id, now()).unwrap_err().status(), 409);
        assert_eq!(
            book.cancel(&OperationId::new("nope").unwrap(), now())
                .unwrap_err()
                .status(),
            404
        );
        assert!(
            book.start(Section::Reboot, &id, now()).is_none(),
            "a cancelled operation never starts"
        );
        // The target is free again.
        let third = OperationStatus::pending(OperationBook::new_id(now()), "dm.reboot", now());
        book.create(Section::Reboot, third, Some("power")).unwrap();
    }

    #[test]
    fn finished_history_is_pruned_and_the_book_survives_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let state = StateDir::open(dir.path()).unwrap();
        let book = OperationBook::load(&state);
        let mut pruned = Vec::new();
        for i in 0..5 {
            let id = OperationId::new(format!("op{i}")).unwrap();
            let at: Timestamp = format!("2025-03-01T10:0{i}:00Z").parse().unwrap();
            let op = OperationStatus::pending(id.clone(), "dm.apps.install", at);
            book.create(Section::Apps, op, None).unwrap();
            let mut running = book.start(Section::Apps, &id, at).unwrap();
            running.succeed(at, None);
            pruned.extend(book.finish(Section::Apps, &running));
        }
        assert_eq!(
            pruned,
            [
                OperationId::new("op0").unwrap(),
                OperationId::new("op1").unwrap()
            ]
        );
        let running =
            OperationStatus::pending(OperationId::new("live").unwrap(), "dm.apps.install", now());
        book.create(Section::Apps, running, None).unwrap();
        let reloaded = OperationBook::load(&state);
        assert_eq!(reloaded.all()[&Section::Apps].len(), 4);
        assert_eq!(reloaded.unfinished().len(), 1);
    }
}
