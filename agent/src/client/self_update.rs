//! The state machine of `dm.agent.update`, shared by every backend.
//!
//! The agent replaces the very process that reports the outcome, so the operation is written to
//! the state directory before the restart and settled by whichever agent runs next: the same
//! process for the sandbox (its restart is a dropped connection), a new one on a device. The
//! steps are ordered so that a bad artefact never replaces the running binary: download and
//! SHA-256 first, then a preflight that runs the new binary with `--version` and insists on the
//! requested version, and only then the atomic swap that keeps `<path>.previous` for a rollback.

use std::path::PathBuf;
use std::sync::Arc;

use dm_contract::{
    AgentUpdateRequest, AgentUpdateResult, METHOD_AGENT_UPDATE, MethodResponse, OperationId,
    Section, error_code,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{DOWNLOADS_DIR, Inner, OpSpec, Outcome};
use crate::artifacts::ArtifactPolicy;
use crate::error::{DmError, DmResult};
use crate::providers::agent_update::{
    AgentUpdater, Restart, install_binary, previous_path, probe_version, reports_version,
    restore_previous, stage_for_preflight,
};
use crate::providers::info::AGENT_VERSION;

/// What self-update remembers across restarts (part of `client.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct AgentUpdateMemory {
    /// A self-update in flight (settled at the next start).
    pub pending_agent_update: Option<PendingAgentUpdate>,
    /// The last successful self-update.
    pub last_agent_update: Option<LastAgentUpdate>,
}

/// The largest agent binary `dm.agent.update` downloads (also bounded by
/// [`Settings::download_limit`](super::Settings::download_limit)).
pub(crate) const AGENT_DOWNLOAD_LIMIT: u64 = 128 * 1024 * 1024;

/// A self-update that has replaced the binary and restarted (or is restarting) the agent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PendingAgentUpdate {
    /// The operation waiting for the restart.
    pub op_id: OperationId,
    /// The version that ran before.
    pub from_version: String,
    /// The version the agent must run as afterwards.
    pub to_version: String,
}

/// The last successful self-update (`reported.dm.agentUpdate`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LastAgentUpdate {
    /// The version that ran before it.
    pub previous_version: String,
    /// When it was confirmed.
    pub at: Timestamp,
}

impl Inner {
    /// The version of the agent running now, as the manifest and the device info report it.
    pub(crate) fn agent_version(&self) -> String {
        self.providers
            .agent_update
            .running_version()
            .unwrap_or_else(|err| {
                tracing::warn!(error = %err, "cannot read the running agent version");
                AGENT_VERSION.to_owned()
            })
    }

    /// Accepts `dm.agent.update`. Not disruptive (only the agent restarts), and one at a time.
    pub(crate) fn accept_agent_update(
        self: &Arc<Self>,
        request: AgentUpdateRequest,
    ) -> MethodResponse {
        let mut spec = OpSpec::new(
            METHOD_AGENT_UPDATE,
            Section::AgentUpdate,
            self.settings.operation_timeout,
        );
        spec.target = Some("agent".into());
        tracing::warn!(target: "audit", version = %request.version, url = %request.url, "agent self-update requested");
        self.accept(
            spec,
            Box::new(move |inner: Arc<Inner>, id: OperationId| {
                let work: futures::future::BoxFuture<'static, DmResult<Outcome>> =
                    Box::pin(async move { inner.update_agent(id, request).await });
                work
            }),
        )
    }

    /// Download, check, preflight, swap, restart; then settle, or leave it to the next start.
    async fn update_agent(
        &self,
        id: OperationId,
        request: AgentUpdateRequest,
    ) -> DmResult<Outcome> {
        let updater = self.providers.agent_update.clone();
        let from_version = updater.running_version()?;
        let policy = &self.settings.artifacts;
        crate::artifacts::check_downgrade(
            "the running agent",
            &from_version,
            &request.version,
            request.allow_downgrade,
        )?;
        let download = super::download::download(
            &self.https,
            &request.url,
            &request.sha256,
            &self.state.file(DOWNLOADS_DIR),
            "bin",
            AGENT_DOWNLOAD_LIMIT.min(self.settings.download_limit),
            self.settings.operation_timeout,
            policy,
        )
        .await?;
        let installed = async {
            verify_signature(policy, &download, request.signature.clone()).await?;
            preflight_and_install(updater.as_ref(), &download, &request.version, policy).await
        }
        .await;
        let _ = tokio::fs::remove_file(&download).await;
        installed?;
        tracing::warn!(target: "audit", from = %from_version, to = %request.version, "agent binary replaced; restarting");
        self.mem_update(|m| {
            m.agent_update.pending_agent_update = Some(PendingAgentUpdate {
                op_id: id,
                from_version,
                to_version: request.version.clone(),
            });
        });
        match updater.restart().await {
            Ok(Restart::Done) => self.settle_agent_update().await,
            Ok(Restart::Pending { grace }) => {
                // The service manager stops this process; the next start settles the operation.
                tokio::time::sleep(grace).await;
                let rollback = rollback(updater.as_ref()).await;
                self.mem_update(|m| m.agent_update.pending_agent_update = None);
                Err(DmError::failed(
                    error_code::RESTART_FAILED,
                    format!(
                        "the agent was still running {} s after asking for its restart{rollback}",
                        grace.as_secs()
                    ),
                ))
            }
            Err(err) => {
                let rollback = rollback(updater.as_ref()).await;
                self.mem_update(|m| m.agent_update.pending_agent_update = None);
                Err(DmError::failed(
                    error_code::RESTART_FAILED,
                    format!("the agent could not restart: {err}{rollback}"),
                ))
            }
        }
    }

    /// Settles the self-update in flight against the version running now: the requested one
    /// succeeds; any other fails and `<path>.previous` is put back.
    async fn settle_agent_update(&self) -> DmResult<Outcome> {
        let Some(pending) = self.mem(|m| m.agent_update.pending_agent_update.clone()) else {
            return Err(DmError::failed(
                error_code::INTERNAL,
                "no agent update was in flight",
            ));
        };
        let running = self.providers.agent_update.running_version();
        if running.as_ref().is_ok_and(|v| *v == pending.to_version) {
            let now = Timestamp::now();
            self.mem_update(|m| {
                m.agent_update.pending_agent_update = None;
                m.agent_update.last_agent_update = Some(LastAgentUpdate {
                    previous_version: pending.from_version.clone(),
                    at: now,
                });
            });
            tracing::info!(from = %pending.from_version, to = %pending.to_version, "agent self-update confirmed");
            // The manifest first: once the envelope says `succeeded`, the twin already shows the
            // new version.
            for section in [Section::Agent, Section::AgentUpdate, Section::Info] {
                self.report_section(section).await;
            }
            return Ok(Outcome::Done(
                serde_json::to_value(AgentUpdateResult {
                    version: pending.to_version,
                    previous_version: pending.from_version,
                })
                .ok(),
            ));
        }
        let running = running.unwrap_or_else(|err| format!("an unreadable version ({err})"));
        let rollback = rollback(self.providers.agent_update.as_ref()).await;
        self.mem_update(|m| m.agent_update.pending_agent_update = None);
        tracing::warn!(%running, expected = %pending.to_version, "agent self-update failed: wrong version after the restart");
        Err(DmError::failed(
            error_code::VERSION_MISMATCH,
            format!(
                "the agent restarted as {running}, not {}{rollback}",
                pending.to_version
            ),
        ))
    }

    /// At start: settles a self-update the previous process started. Runs before the generic
    /// recovery, which would otherwise call it interrupted.
    pub(crate) async fn recover_agent_update(&self) {
        let Some(pending) = self.mem(|m| m.agent_update.pending_agent_update.clone()) else {
            return;
        };
        let outcome = self.settle_agent_update().await;
        let Some(mut status) = self.ops.get(Section::AgentUpdate, &pending.op_id) else {
            // History pruned: the record alone was settled.
            return;
        };
        if status.is_final() {
            return;
        }
        let now = Timestamp::now();
        match outcome {
            Ok(Outcome::Done(result)) => status.succeed(now, result),
            Ok(Outcome::AwaitingReboot) => status.fail(
                now,
                error_code::INTERRUPTED,
                "the agent restarted but the update was not settled",
            ),
            Err(err) => status.fail(now, err.code(), err.to_string()),
        }
        tracing::info!(operation = %status.id, state = ?status.state, "settled the agent update from before the restart");
        self.finish_envelope(Section::AgentUpdate, &status).await;
    }
}

/// Checks the publisher signature of a download against the configured keys (off the
/// runtime: it reads the whole file).
pub(crate) async fn verify_signature(
    policy: &ArtifactPolicy,
    download: &std::path::Path,
    signature: Option<String>,
) -> DmResult<()> {
    if policy.trusted_keys.is_empty() {
        return Ok(());
    }
    let policy = policy.clone();
    let path = download.to_owned();
    crate::providers::blocking(move || policy.verify_file(&path, signature.as_deref())).await
}

/// Runs the preflight on the download and, if it passes, swaps it in. An agent running as root
/// runs the new binary as the policy's unprivileged user, from a copy next to the binary it
/// would replace (that user cannot read the agent's state directory).
async fn preflight_and_install(
    updater: &dyn AgentUpdater,
    download: &std::path::Path,
    version: &str,
    policy: &ArtifactPolicy,
) -> DmResult<()> {
    use std::os::unix::fs::PermissionsExt as _;
    tokio::fs::set_permissions(download, std::fs::Permissions::from_mode(0o755))
        .await
        .map_err(|e| DmError::io("cannot make executable", download, e))?;
    let run_as = policy.preflight_identity()?;
    let staged = match &run_as {
        Some(user) => {
            let binary = updater.binary_path().to_owned();
            let new = download.to_owned();
            let staged =
                crate::providers::blocking(move || stage_for_preflight(&binary, &new)).await?;
            tracing::info!(user = %user.name, uid = user.uid, "running the new agent's preflight unprivileged");
            Some(staged)
        }
        None => None,
    };
    let probed = probe_version(
        updater.runner().as_ref(),
        staged.as_deref().unwrap_or(download),
        run_as.clone(),
    )
    .await;
    if let Some(staged) = &staged {
        let _ = tokio::fs::remove_file(staged).await;
    }
    let as_user = run_as
        .map(|u| format!(" (run as `{}`)", u.name))
        .unwrap_or_default();
    let output = probed.map_err(|e| {
        DmError::failed(
            error_code::PREFLIGHT_FAILED,
            format!("the new agent binary does not run on this device{as_user}: {e}"),
        )
    })?;
    if !reports_version(&output, version) {
        let shown: String = output
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("nothing")
            .chars()
            .take(120)
            .collect();
        return Err(DmError::failed(
            error_code::PREFLIGHT_FAILED,
            format!("the new agent binary reports `{shown}` for --version, not version {version}"),
        ));
    }
    let binary: PathBuf = updater.binary_path().to_owned();
    let new = download.to_owned();
    crate::providers::blocking(move || install_binary(&binary, &new)).await
}

/// Puts `<path>.previous` back; a note for the error message saying how that went.
async fn rollback(updater: &dyn AgentUpdater) -> String {
    let binary = updater.binary_path().to_owned();
    let previous = previous_path(&binary);
    match crate::providers::blocking(move || restore_previous(&binary)).await {
        Ok(()) => {
            tracing::warn!(restored = %previous.display(), "agent binary rolled back");
            format!(
                "; the previous binary was put back from `{}`",
                previous.display()
            )
        }
        Err(err) => {
            tracing::error!(error = %err, "agent binary rollback failed");
            format!("; rolling back failed: {err}")
        }
    }
}
