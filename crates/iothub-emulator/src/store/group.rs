//! Group commit: many writes share one SQLite transaction and one `fsync`.
//!
//! Every write used to be its own `IMMEDIATE` transaction committed with `synchronous=FULL`, so
//! writers queued behind each other's `fsync` under the store's lock: a fleet of devices
//! reporting state (as dm-agent does before it answers a method) was bounded by the disk's sync
//! rate. Here, writers that arrive while another one holds the connection join one open
//! transaction, each inside its own savepoint, and the last writer in line commits for all of
//! them. Nobody returns before the commit that holds its write has finished, so the caller's
//! acknowledgement (PUBACK, `$iothub/twin/res` 204, a REST answer) still means "durable".
//!
//! - A write whose closure fails is rolled back to its savepoint alone; its neighbours commit.
//! - If SQLite itself loses the transaction (I/O error, a failed `COMMIT`), every write of that
//!   batch gets the error: none of them was acknowledged, none of them is kept.
//! - Writes run one at a time on the one connection, in lock order; a device session sends its
//!   next reported patch only after the previous one was answered, so per-device order holds
//!   and twin versions increase by one per patch.
//! - No writer thread: the caller's own (blocking-pool) thread runs its closure, which may
//!   borrow from the caller; a channel to a dedicated thread would need `'static` closures and
//!   a second hop per write.
//!
//! Who commits: a counter of writers waiting for the connection is raised before they lock it.
//! A writer that finds the counter at zero after its own step commits the batch; otherwise it
//! leaves the batch open for the next one and waits for the batch's outcome. The last writer of
//! a burst therefore always commits, and the batch holds every write that arrived while the
//! previous `fsync` ran.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use rusqlite::Connection;

use super::Tx;
use crate::error::EmulatorError;

/// How a batch's commit ended, shared by all its writers.
#[derive(Default)]
struct Outcome {
    done: Mutex<Option<Result<(), String>>>,
    cv: Condvar,
}

impl Outcome {
    fn set(&self, result: Result<(), String>) {
        *self.done.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
        self.cv.notify_all();
    }

    fn wait(&self) -> Result<(), String> {
        let mut done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(result) = done.as_ref() {
                return result.clone();
            }
            done = self.cv.wait(done).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// The open transaction and who is in it.
struct Batch {
    outcome: Arc<Outcome>,
    /// Committed with `synchronous=FULL` (waits for `fsync`); `false` for a batch of activity
    /// writes only, committed with `synchronous=NORMAL`.
    durable: bool,
}

/// The write connection and its open batch.
struct Writer {
    conn: Connection,
    open: Option<Batch>,
    /// The connection's current `synchronous` setting (it can only change between
    /// transactions).
    sync_full: bool,
}

/// The store's single write connection with group commit.
pub(super) struct GroupWriter {
    writer: Mutex<Writer>,
    /// Writers between "I want the connection" and "I have it".
    waiting: AtomicUsize,
    /// Writes kept (their closure succeeded) and commits made, for [`GroupWriter::stats`].
    writes: AtomicU64,
    commits: AtomicU64,
}

/// How well writes were grouped: writes kept and commits that carried them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CommitStats {
    /// Writes whose closure succeeded (each in some commit, or refused with its batch).
    pub writes: u64,
    /// Transactions committed (successfully or not).
    pub commits: u64,
}

impl GroupWriter {
    /// Takes over `conn`, which must have no open transaction and `synchronous=FULL`.
    pub(super) fn new(conn: Connection) -> Self {
        Self {
            writer: Mutex::new(Writer {
                conn,
                open: None,
                sync_full: true,
            }),
            waiting: AtomicUsize::new(0),
            writes: AtomicU64::new(0),
            commits: AtomicU64::new(0),
        }
    }

    /// Writes and commits so far.
    pub(super) fn stats(&self) -> CommitStats {
        CommitStats {
            writes: self.writes.load(Ordering::Relaxed),
            commits: self.commits.load(Ordering::Relaxed),
        }
    }

    /// Writers waiting for the connection (tests line writers up behind one another with it).
    #[cfg(test)]
    pub(super) fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Runs `f` as one write of a group-committed batch and returns once that batch is
    /// committed (`durable`: with `fsync`). `f`'s writes are undone alone when it fails.
    pub(super) fn write<T, E: From<EmulatorError>>(
        &self,
        durable: bool,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let mut w = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        self.waiting.fetch_sub(1, Ordering::SeqCst);

        // A durable write must not ride in a batch that commits without `fsync`: settle that
        // batch first (its commit is cheap).
        if durable && w.open.as_ref().is_some_and(|b| !b.durable) {
            self.commits.fetch_add(1, Ordering::Relaxed);
            Self::commit(&mut w);
        }
        let outcome = match &w.open {
            Some(batch) => Arc::clone(&batch.outcome),
            None => Self::begin(&mut w, durable)?,
        };

        if let Err(e) = w.conn.execute_batch("SAVEPOINT grp") {
            Self::fail(&mut w, &e.to_string());
            return Err(EmulatorError::from(e).into());
        }
        let result = catch_unwind(AssertUnwindSafe(|| f(&Tx(&w.conn))));
        let kept = matches!(result, Ok(Ok(_)));
        let settled = if kept {
            w.conn.execute_batch("RELEASE grp")
        } else {
            w.conn.execute_batch("ROLLBACK TO grp; RELEASE grp")
        };
        // SQLite rolls the whole transaction back on some errors (I/O, full disk): then the
        // batch is gone and none of its writes may be acknowledged.
        let lost = match settled {
            Err(e) => Some(e.to_string()),
            Ok(()) if w.conn.is_autocommit() => {
                Some("SQLite rolled the transaction back".to_string())
            }
            Ok(()) => None,
        };
        if kept {
            self.writes.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(reason) = &lost {
            Self::fail(&mut w, reason);
        } else if self.waiting.load(Ordering::SeqCst) == 0 {
            self.commits.fetch_add(1, Ordering::Relaxed);
            Self::commit(&mut w);
        }
        drop(w);

        let value = match result {
            Err(panic) => resume_unwind(panic),
            Ok(Err(e)) => return Err(e),
            Ok(Ok(value)) => value,
        };
        if let Some(reason) = lost {
            return Err(EmulatorError::Corrupt(format!("write not committed: {reason}")).into());
        }
        match outcome.wait() {
            Ok(()) => Ok(value),
            Err(reason) => {
                Err(EmulatorError::Corrupt(format!("write not committed: {reason}")).into())
            }
        }
    }

    /// Opens a batch; returns the outcome its writers wait on.
    fn begin(w: &mut MutexGuard<'_, Writer>, durable: bool) -> Result<Arc<Outcome>, EmulatorError> {
        if w.sync_full != durable {
            let level = if durable { "FULL" } else { "NORMAL" };
            w.conn.pragma_update(None, "synchronous", level)?;
            w.sync_full = durable;
        }
        w.conn.execute_batch("BEGIN IMMEDIATE")?;
        let outcome = Arc::new(Outcome::default());
        w.open = Some(Batch {
            outcome: Arc::clone(&outcome),
            durable,
        });
        Ok(outcome)
    }

    /// Commits the open batch and tells its writers.
    fn commit(w: &mut MutexGuard<'_, Writer>) {
        let Some(batch) = w.open.take() else { return };
        let result = w.conn.execute_batch("COMMIT").map_err(|e| {
            // A failed COMMIT may leave the transaction open; end it so the next batch starts
            // clean.
            if !w.conn.is_autocommit() {
                let _ = w.conn.execute_batch("ROLLBACK");
            }
            e.to_string()
        });
        if let Err(reason) = &result {
            tracing::error!(error = %reason, "group commit failed; the batch's writes are refused");
        }
        batch.outcome.set(result);
    }

    /// Ends the open batch without keeping it (SQLite already lost it, or it must go).
    fn fail(w: &mut MutexGuard<'_, Writer>, reason: &str) {
        let Some(batch) = w.open.take() else { return };
        if !w.conn.is_autocommit() {
            let _ = w.conn.execute_batch("ROLLBACK");
        }
        tracing::error!(error = %reason, "write transaction lost; the batch's writes are refused");
        batch.outcome.set(Err(reason.to_string()));
    }
}
