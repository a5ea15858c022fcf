//! The operation status envelope: one shape for the outcome of every long operation.
//!
//! The Windows client reported a bare `lastChange` with no id, so concurrent requests overwrote
//! each other and nobody could tell which command a `completed` belonged to. Here every long
//! operation gets an id, returned in the 202 answer, and its envelope lives at
//! `reported.dm.<section>.operations.<id>` until pruned, so `dmctl --wait` can follow exactly
//! the operation it started.

use std::collections::BTreeMap;
use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::check::{self, Validate};
use crate::{ContractError, Section};

/// The most finished envelopes kept per section; older finished ones are deleted with `null`.
///
/// Why 3: `properties.reported` is capped at 32 KB for the whole twin (application keys
/// included). Eight sections carry operations; at 3 finished envelopes of at most ~1 KB each
/// (with [`MAX_RESULT_BYTES`]) the worst case stays near 24 KB, typically far less.
/// Unfinished envelopes are never pruned.
pub const MAX_FINISHED_OPERATIONS_PER_SECTION: usize = 3;

/// The largest serialized `result` an envelope may carry in the twin, in bytes. Bigger results
/// (inventories, logs) go in the method's 200 answer or through file upload.
pub const MAX_RESULT_BYTES: usize = 512;

/// The longest operation id, in characters.
pub const MAX_OPERATION_ID_LEN: usize = 64;

/// An operation id: 1 to 64 characters from `A-Z a-z 0-9 _ -`, so it is a legal twin key.
///
/// The agent assigns it (e.g. `20250301T101500Z-7f3a`); `dmctl` gets it in the 202 answer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OperationId(String);

impl OperationId {
    /// Checks and wraps an id.
    pub fn new(id: impl Into<String>) -> Result<Self, ContractError> {
        let id = id.into();
        if id.is_empty()
            || id.len() > MAX_OPERATION_ID_LEN
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        {
            return Err(ContractError::invalid(
                "operationId",
                format!(
                    "must be 1 to {MAX_OPERATION_ID_LEN} characters from letters, digits, `_` and `-`"
                ),
            ));
        }
        Ok(Self(id))
    }

    /// The id as a string (also its twin key).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OperationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for OperationId {
    type Error = ContractError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<OperationId> for String {
    fn from(value: OperationId) -> Self {
        value.0
    }
}

/// Where an operation stands. The set is frozen for the `dm` namespace: a new state would be a
/// breaking change, because an older `dmctl --wait` could not tell whether it is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OperationState {
    /// Accepted, not started yet.
    Pending,
    /// Started.
    Running,
    /// Postponed by a busy lease; starts when the lease ends (or expires).
    Postponed,
    /// Finished and did what was asked.
    Succeeded,
    /// Finished and did not do what was asked; `error` says why.
    Failed,
    /// Refused before starting (busy, cancelled, invalid desired state); `error` says why.
    Rejected,
}

impl OperationState {
    /// Whether the operation is over; `dmctl --wait` stops on a final state.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Rejected)
    }

    /// The wire name (`"pending"`, `"succeeded"`, ...), as users see it in the twin: the one
    /// rendering dmctl and the agent print.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Running => "running",
            Self::Postponed => "postponed",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Rejected => "rejected",
        }
    }
}

impl fmt::Display for OperationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an operation failed or was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationError {
    /// A machine code from [`crate::error_code`] (or a provider-specific camelCase code).
    pub code: String,
    /// A sentence for people; never contains secrets.
    pub message: String,
}

/// The status envelope of one long operation, at `reported.dm.<section>.operations.<id>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationStatus {
    /// The operation id (also its key in the `operations` map).
    pub id: OperationId,
    /// What was asked: the method name (`dm.reboot`), or `dm.<section>.apply` for
    /// reconciling desired state (see [`apply_op`]).
    pub op: String,
    /// Where the operation stands.
    pub state: OperationState,
    /// When the agent received the request (UTC).
    pub requested_at: Timestamp,
    /// When work started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Timestamp>,
    /// When the operation reached a final state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<Timestamp>,
    /// The desired `$version` being applied, for operations triggered by desired state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_version: Option<u64>,
    /// Why it failed or was rejected; present exactly when the state is `failed` or `rejected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<OperationError>,
    /// Percent done, 0 to 100, when the provider can tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<u8>,
    /// A small result (at most [`MAX_RESULT_BYTES`] serialized), typed per method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
}

/// The `op` of an operation that applies `desired.dm.<section>`: `dm.<section>.apply`.
///
/// It is not a callable method; [`crate::Method::from_name`] rejects it.
pub fn apply_op(section: Section) -> String {
    format!("{}.{}.apply", crate::NAMESPACE, section.name())
}

impl OperationStatus {
    /// A new envelope in state `pending`.
    pub fn pending(id: OperationId, op: impl Into<String>, requested_at: Timestamp) -> Self {
        Self {
            id,
            op: op.into(),
            state: OperationState::Pending,
            requested_at,
            started_at: None,
            finished_at: None,
            desired_version: None,
            error: None,
            progress: None,
            result: None,
        }
    }

    /// Whether the operation is over.
    pub fn is_final(&self) -> bool {
        self.state.is_final()
    }

    /// Moves to `running` at `now`.
    pub fn start(&mut self, now: Timestamp) {
        self.state = OperationState::Running;
        self.started_at = Some(now);
    }

    /// Moves to `postponed` (a busy lease holds it back).
    pub fn postpone(&mut self) {
        self.state = OperationState::Postponed;
    }

    /// Moves to `succeeded` at `now` with an optional result.
    pub fn succeed(&mut self, now: Timestamp, result: Option<Value>) {
        self.state = OperationState::Succeeded;
        self.finished_at = Some(now);
        self.error = None;
        self.progress = Some(100);
        self.result = result;
    }

    /// Moves to `failed` at `now`.
    pub fn fail(&mut self, now: Timestamp, code: impl Into<String>, message: impl Into<String>) {
        self.finish_with_error(OperationState::Failed, now, code.into(), message.into());
    }

    /// Moves to `rejected` at `now`.
    pub fn reject(&mut self, now: Timestamp, code: impl Into<String>, message: impl Into<String>) {
        self.finish_with_error(OperationState::Rejected, now, code.into(), message.into());
    }

    fn finish_with_error(
        &mut self,
        state: OperationState,
        now: Timestamp,
        code: String,
        message: String,
    ) {
        self.state = state;
        self.finished_at = Some(now);
        self.error = Some(OperationError { code, message });
    }

    /// When the envelope last changed state, for ordering history.
    fn last_change(&self) -> Timestamp {
        self.finished_at
            .or(self.started_at)
            .unwrap_or(self.requested_at)
    }
}

impl Validate for OperationStatus {
    fn validate(&self) -> Result<(), ContractError> {
        if let Some(progress) = self.progress {
            check::range("progress", progress, 0, 100)?;
        }
        if self.is_final() != self.finished_at.is_some() {
            return Err(ContractError::invalid(
                "finishedAt",
                "must be present exactly when the state is final",
            ));
        }
        let needs_error = matches!(
            self.state,
            OperationState::Failed | OperationState::Rejected
        );
        if needs_error != self.error.is_some() {
            return Err(ContractError::invalid(
                "error",
                "must be present exactly when the state is failed or rejected",
            ));
        }
        if let Some(result) = &self.result {
            let size = serde_json::to_vec(result).map_or(usize::MAX, |v| v.len());
            if size > MAX_RESULT_BYTES {
                return Err(ContractError::invalid(
                    "result",
                    format!(
                        "is {size} bytes; at most {MAX_RESULT_BYTES} fit in the twin, return more in the method answer"
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// An `operations` map as found in a reported section.
pub type Operations = BTreeMap<OperationId, OperationStatus>;

/// The ids to delete (patch with `null`) so that `operations` keeps at most `keep_finished`
/// finished envelopes: the oldest finished ones go first; unfinished ones always stay.
pub fn operations_to_prune(operations: &Operations, keep_finished: usize) -> Vec<OperationId> {
    let mut finished: Vec<&OperationStatus> =
        operations.values().filter(|op| op.is_final()).collect();
    // Newest first; the id breaks ties so the choice is stable across runs.
    finished.sort_by(|a, b| {
        b.last_change()
            .cmp(&a.last_change())
            .then_with(|| b.id.cmp(&a.id))
    });
    finished
        .into_iter()
        .skip(keep_finished)
        .map(|op| op.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_state_displays_as_its_wire_name() {
        for state in [
            OperationState::Pending,
            OperationState::Running,
            OperationState::Postponed,
            OperationState::Succeeded,
            OperationState::Failed,
            OperationState::Rejected,
        ] {
            assert_eq!(
                json!(state.to_string()),
                serde_json::to_value(state).unwrap()
            );
            assert_eq!(state.as_str(), state.to_string());
        }
    }

    fn id(s: &str) -> OperationId {
        OperationId::new(s).unwrap()
    }

    #[test]
    fn final_states() {
        use OperationState::*;
        for (state, fin) in [
            (Pending, false),
            (Running, false),
            (Postponed, false),
            (Succeeded, true),
            (Failed, true),
            (Rejected, true),
        ] {
            assert_eq!(state.is_final(), fin, "{state:?}");
        }
    }

    #[test]
    fn lifecycle_produces_valid_envelopes() {
        let mut op = OperationStatus::pending(id("op1"), "dm.reboot", ts("2025-03-01T10:00:00Z"));
        op.validate().unwrap();
        op.postpone();
        op.validate().unwrap();
        op.start(ts("2025-03-01T10:05:00Z"));
        assert!(!op.is_final());
        op.validate().unwrap();
        op.fail(
            ts("2025-03-01T10:06:00Z"),
            "rebootFailed",
            "systemctl reboot exited 1",
        );
        assert!(op.is_final());
        op.validate().unwrap();
        let wire = serde_json::to_value(&op).unwrap();
        assert_eq!(wire["state"], "failed");
        assert_eq!(wire["finishedAt"], "2025-03-01T10:06:00Z");
        assert_eq!(wire["error"]["code"], "rebootFailed");
        assert!(wire.get("desiredVersion").is_none());
    }

    #[test]
    fn validate_catches_inconsistent_envelopes() {
        let mut op = OperationStatus::pending(id("a"), "dm.reboot", ts("2025-03-01T10:00:00Z"));
        op.state = OperationState::Succeeded;
        assert_eq!(op.validate().unwrap_err().field(), Some("finishedAt"));
        op.finished_at = Some(ts("2025-03-01T10:01:00Z"));
        op.validate().unwrap();
        op.progress = Some(101);
        assert_eq!(op.validate().unwrap_err().field(), Some("progress"));
        op.progress = Some(100);
        op.error = Some(OperationError {
            code: "x".into(),
            message: "y".into(),
        });
        assert_eq!(op.validate().unwrap_err().field(), Some("error"));
        op.error = None;
        op.result = Some(json!({"blob": "x".repeat(MAX_RESULT_BYTES)}));
        assert_eq!(op.validate().unwrap_err().field(), Some("result"));
    }

    #[test]
    fn operation_ids_are_twin_keys() {
        assert!(OperationId::new("20250301T101500Z-7f3a").is_ok());
        assert!(OperationId::new("a".repeat(MAX_OPERATION_ID_LEN)).is_ok());
        for bad in [
            "",
            "a.b",
            "a b",
            "$a",
            "a/b",
            &"a".repeat(MAX_OPERATION_ID_LEN + 1),
        ] {
            assert!(OperationId::new(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_value::<OperationId>(json!("a.b")).is_err());
    }

    #[test]
    fn pruning_keeps_newest_finished_and_all_unfinished() {
        let mut ops = Operations::new();
        let mut add = |name: &str, finished: Option<&str>| {
            let mut op =
                OperationStatus::pending(id(name), "dm.apps.install", ts("2025-01-01T00:00:00Z"));
            if let Some(at) = finished {
                op.succeed(ts(at), None);
            }
            ops.insert(op.id.clone(), op);
        };
        add("old", Some("2025-01-01T01:00:00Z"));
        add("mid", Some("2025-01-01T02:00:00Z"));
        add("new", Some("2025-01-01T03:00:00Z"));
        add("newest", Some("2025-01-01T04:00:00Z"));
        add("running", None);
        assert_eq!(operations_to_prune(&ops, 3), vec![id("old")]);
        assert_eq!(
            operations_to_prune(&ops, 1),
            vec![id("new"), id("mid"), id("old")]
        );
        assert!(operations_to_prune(&ops, 4).is_empty());
        assert_eq!(operations_to_prune(&ops, 0).len(), 4);
    }

    #[test]
    fn apply_op_is_not_a_method() {
        let op = apply_op(Section::Time);
        assert_eq!(op, "dm.time.apply");
        assert!(crate::Method::from_name(&op).is_err());
    }
}
