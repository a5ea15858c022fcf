//! The [`Agent`]: the dispatcher for `dm.*` methods and the `dm` desired
//! sections.
//!
//! It is transport-agnostic: the daemon feeds it what arrives over its own MQTT connection, and
//! an application that already owns the device's connection (library mode) feeds it the same
//! way. It answers and reports only through the [`Transport`], so both modes behave the same.
//!
//! Nothing a cloud sends can crash it: payloads are bounded and parsed strictly before any
//! work, every method and every desired section runs in its own task with a timeout, and a
//! panicking provider becomes a 500 (or a failed envelope) instead of taking the agent down.

mod background;
mod desired;
mod download;
mod https;
pub mod inject;
mod methods;
mod ops;
mod payload;
mod report;
pub mod schedule;
mod self_update;
mod upload;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use dm_contract::{
    AgentManifest, LogLevel, MAX_RESULT_BYTES, MethodResponse, OperationId, OperationState,
    OperationStatus, ProviderStatus, RebootResult, Section, error_code,
};
use futures::future::BoxFuture;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::{Notify, watch};
use tokio::task::AbortHandle;

use crate::error::{DmError, DmResult};
use crate::leases::Leases;
use crate::providers::{LinuxOptions, Providers, RebootHook, SandboxOptions};
use crate::runner::Runner;
use crate::state::StateDir;
use crate::transport::Transport;

pub use payload::{MAX_PAYLOAD_BYTES, MAX_PAYLOAD_DEPTH};

/// Applies a new log level to the agent's logging (e.g. a `tracing-subscriber` reload handle).
pub type LogLevelHook = Arc<dyn Fn(LogLevel) + Send + Sync>;

/// Timeouts and limits of the client.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a method answered with 200 may take (the hub waits at most 300 s anyway).
    pub method_timeout: Duration,
    /// How long a long (202) operation may run once started.
    pub operation_timeout: Duration,
    /// How long applying one desired section may take.
    pub apply_timeout: Duration,
    /// The largest artefact `dm.apps.install` / `dm.certificates.install` downloads.
    pub download_limit: u64,
    /// How often the agent checks whether automatic updates are due (policy other than
    /// `manual`, inside the maintenance window).
    pub maintenance_interval: Duration,
    /// How downloaded artefacts are checked: transport, publisher keys, preflight user.
    pub artifacts: crate::artifacts::ArtifactPolicy,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            method_timeout: Duration::from_secs(60),
            operation_timeout: Duration::from_secs(30 * 60),
            apply_timeout: Duration::from_secs(5 * 60),
            download_limit: 512 * 1024 * 1024,
            maintenance_interval: Duration::from_secs(15 * 60),
            artifacts: crate::artifacts::ArtifactPolicy::default(),
        }
    }
}

/// Which providers the client drives.
enum BackendChoice {
    /// Act inside a directory (demos, simulation, tests).
    Sandbox(PathBuf),
    /// Act on the host through a command runner.
    Linux(Arc<dyn Runner>),
    /// Providers built by the caller.
    Custom(Providers),
}

/// Builds a [`Agent`].
pub struct AgentBuilder {
    transport: Arc<dyn Transport>,
    device_id: Option<String>,
    state_dir: Option<PathBuf>,
    backend: Option<BackendChoice>,
    leases: Option<Leases>,
    settings: Settings,
    linux_options: LinuxOptions,
    reboot_hook: Option<RebootHook>,
    log_level: LogLevel,
    log_hook: Option<LogLevelHook>,
    storage_ca_pem: Option<Vec<u8>>,
    failure_hook: Option<inject::FailureHook>,
}

impl AgentBuilder {
    /// The device's own id (factory reset confirms against it).
    #[must_use]
    pub fn device_id(mut self, id: impl Into<String>) -> Self {
        self.device_id = Some(id.into());
        self
    }

    /// The directory where the client keeps its state (operations, schedule, leases).
    #[must_use]
    pub fn state_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.state_dir = Some(dir.into());
        self
    }

    /// Use the sandbox providers, acting inside `dir`.
    #[must_use]
    pub fn sandbox(mut self, dir: impl Into<PathBuf>) -> Self {
        self.backend = Some(BackendChoice::Sandbox(dir.into()));
        self
    }

    /// Use the Linux providers, running system commands through `runner`.
    #[must_use]
    pub fn linux(mut self, runner: Arc<dyn Runner>) -> Self {
        self.backend = Some(BackendChoice::Linux(runner));
        self
    }

    /// Settings of the Linux providers (root, hooks, log directories).
    #[must_use]
    pub fn linux_options(mut self, options: LinuxOptions) -> Self {
        self.linux_options = options;
        self
    }

    /// Use providers built by the caller (another OS, or fakes).
    #[must_use]
    pub fn providers(mut self, providers: Providers) -> Self {
        self.backend = Some(BackendChoice::Custom(providers));
        self
    }

    /// Called after each sandbox reboot (the simulator drops and restores the connection).
    #[must_use]
    pub fn reboot_hook(mut self, hook: RebootHook) -> Self {
        self.reboot_hook = Some(hook);
        self
    }

    /// Share a lease set (e.g. one also served on the local socket). Default: a set persisted
    /// in the state directory.
    #[must_use]
    pub fn leases(mut self, leases: Leases) -> Self {
        self.leases = Some(leases);
        self
    }

    /// Timeouts and limits.
    #[must_use]
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// The configured log level, and how `dm.diagnostics.setLogLevel` changes it.
    #[must_use]
    pub fn log_level(mut self, level: LogLevel, hook: LogLevelHook) -> Self {
        self.log_level = level;
        self.log_hook = Some(hook);
        self
    }

    /// An extra CA (PEM) to trust for the agent's HTTPS (log bundles put to the hub's storage,
    /// artefact downloads, its own updates), besides the system's: a local hub serves its
    /// blobs with its own CA, so pass the same CA the connection trusts.
    #[must_use]
    pub fn storage_ca_pem(mut self, pem: Option<Vec<u8>>) -> Self {
        self.storage_ca_pem = pem;
        self
    }

    /// Fails chosen methods on purpose (simulated devices: `dmctl simulate --fail`).
    #[must_use]
    pub fn inject_failures(mut self, hook: inject::FailureHook) -> Self {
        self.failure_hook = Some(hook);
        self
    }

    /// Builds the client and starts its background work (schedules, lease reports, desired
    /// state workers). Must be called inside a tokio runtime.
    pub fn build(self) -> DmResult<Agent> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| {
            DmError::Config("the DM client must be built inside a tokio runtime".into())
        })?;
        let device_id = self
            .device_id
            .ok_or_else(|| DmError::Config("the DM client needs a device id".into()))?;
        dm_contract::check::device_id("deviceId", &device_id)?;
        let state_dir = self
            .state_dir
            .ok_or_else(|| DmError::Config("the DM client needs a state directory".into()))?;
        let state = StateDir::open(state_dir)?;
        let _ = std::fs::remove_dir_all(state.file(DOWNLOADS_DIR));
        // Bundles a previous run did not get to delete.
        let _ = std::fs::remove_dir_all(state.file(upload::UPLOADS_DIR));
        let https = https::client(
            self.storage_ca_pem.as_deref(),
            self.settings.artifacts.allow_http,
        )?;
        let providers = match self.backend {
            Some(BackendChoice::Sandbox(dir)) => Providers::sandbox(
                &dir,
                &SandboxOptions {
                    reboot_hook: self.reboot_hook,
                    hostname: Some(device_id.clone()),
                },
            )?,
            Some(BackendChoice::Linux(runner)) => Providers::linux(runner, &self.linux_options),
            Some(BackendChoice::Custom(providers)) => providers,
            None => {
                return Err(DmError::Config(
                    "the DM client needs providers: a sandbox directory or a Linux runner".into(),
                ));
            }
        };
        let statuses = providers.statuses();
        for (section, status) in &statuses {
            match &status.reason {
                None => {
                    tracing::info!(provider = section.name(), backend = ?status.backend, "provider active");
                }
                Some(reason) => {
                    tracing::info!(provider = section.name(), backend = ?status.backend, %reason, "provider inactive");
                }
            }
        }
        let leases = self.leases.unwrap_or_else(|| Leases::persistent(&state));
        let mem: Persisted = state.load_or_default(CLIENT_FILE);
        let (shutdown_tx, _) = watch::channel(false);
        let mut desired_tx = BTreeMap::new();
        let mut desired_rx = Vec::new();
        for section in Section::ALL.into_iter().filter(|s| s.is_desired()) {
            let (tx, rx) = watch::channel(None);
            desired_tx.insert(section, tx);
            desired_rx.push((section, rx));
        }
        let inner = Arc::new(Inner {
            transport: self.transport,
            device_id,
            ops: ops::OperationBook::load(&state),
            state,
            providers,
            statuses,
            leases,
            settings: self.settings,
            mem: Mutex::new(mem),
            desired_tx,
            wake: Arc::new(Notify::new()),
            log: Mutex::new(LogState {
                configured: self.log_level,
                current: self.log_level,
                reverts_at: None,
            }),
            log_hook: self.log_hook,
            tasks: Mutex::new(Vec::new()),
            shutdown: shutdown_tx,
            desired_lock: tokio::sync::Mutex::new(()),
            https,
            failure_hook: self.failure_hook,
            recovered: watch::channel(false).0,
        });
        // What is left from the last stop is read now, before the first method can be handled:
        // read later by the recovery task (which may run after a method arrived, e.g. under
        // load), a reboot accepted a moment ago was taken for a leftover, failed as
        // `interrupted`, and never ran.
        let leftovers = inner.ops.unfinished();
        let recover = runtime.spawn({
            let inner = inner.clone();
            async move {
                inner.clone().recover(leftovers).await;
                inner.recovered.send_replace(true);
            }
        });
        inner.track(&recover.abort_handle());
        let bg = runtime.spawn(background::run(
            Arc::downgrade(&inner),
            inner.shutdown.subscribe(),
        ));
        inner.track(&bg.abort_handle());
        for (section, rx) in desired_rx {
            let worker = runtime.spawn(desired::worker(Arc::downgrade(&inner), section, rx));
            inner.track(&worker.abort_handle());
        }
        Ok(Agent { inner })
    }
}

/// The agent proper: the dispatcher that answers `dm.*` methods, applies desired sections,
/// runs long operations and reports their state, over any [`Transport`].
///
/// It was called `DmClient`, which read like a service-side client; `Agent` is what an
/// application embeds (see `examples/integrated.rs`) and what the daemon runs behind its own
/// MQTT connection ([`crate::daemon`]). Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Agent {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Agent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("device_id", &self.inner.device_id)
            .field("state_dir", &self.inner.state.path())
            .field("providers", &self.inner.providers)
            .finish_non_exhaustive()
    }
}

tokio::task_local! {
    /// Set while [`Agent::handle_method`] computes an answer: turns `true` once the answer
    /// has been handed to the transport.
    static ANSWER_GATE: tokio::sync::watch::Receiver<bool>;
}

/// The longest an operation waits for its 202 to be handed to the transport.
const ANSWER_WAIT: Duration = Duration::from_secs(10);

/// Whether a method name belongs to the dm namespace (the rest is the application's).
pub fn is_dm_method(name: &str) -> bool {
    name == dm_contract::NAMESPACE || name.starts_with("dm.")
}

impl Agent {
    /// Starts building an agent over `transport`.
    pub fn builder(transport: Arc<dyn Transport>) -> AgentBuilder {
        AgentBuilder {
            transport,
            device_id: None,
            state_dir: None,
            backend: None,
            leases: None,
            settings: Settings::default(),
            linux_options: LinuxOptions::default(),
            reboot_hook: None,
            log_level: LogLevel::Info,
            log_hook: None,
            storage_ca_pem: None,
            failure_hook: None,
        }
    }

    /// A direct method arrived. Returns false (and does nothing) when `name` is not a `dm.*`
    /// method, so the application can handle its own methods; otherwise the client answers via
    /// the transport.
    ///
    /// The work runs in its own task: this returns at once, and the answer reaches
    /// [`Transport::respond_method`] when ready (long operations answer 202 right away).
    #[allow(clippy::unused_async)] // the seam is async so callers need not change if it ever awaits
    pub async fn handle_method(&self, request_id: &str, name: &str, payload: &[u8]) -> bool {
        if !is_dm_method(name) {
            return false;
        }
        let inner = self.inner.clone();
        let (rid, name, payload) = (request_id.to_owned(), name.to_owned(), payload.to_vec());
        let task = tokio::spawn(async move {
            let (answered, gate) = tokio::sync::watch::channel(false);
            let response = ANSWER_GATE.scope(gate, inner.call(&name, &payload)).await;
            if let Err(err) = inner
                .transport
                .respond_method(&rid, response.status, response.payload)
                .await
            {
                tracing::warn!(method = %name, error = %err, "could not answer a method call");
            }
            let _ = answered.send(true);
        });
        self.inner.track(&task.abort_handle());
        true
    }

    /// Runs a `dm.*` method and returns its answer instead of sending it (for applications that
    /// route answers themselves, and for tests).
    pub async fn call_method(&self, name: &str, payload: &[u8]) -> MethodResponse {
        self.inner.call(name, payload).await
    }

    /// A desired-properties patch arrived (with `"$version"`); only the `dm` key is looked at.
    pub async fn handle_desired_patch(&self, patch: &Value) {
        self.inner.desired_patch(patch).await;
    }

    /// (Re)connected: the full twin was fetched; converge on its desired `dm` state and
    /// re-report state.
    pub async fn handle_full_twin(&self, twin: &Value) {
        self.inner.converge(twin).await;
        self.inner.report_all().await;
    }

    /// The busy leases API (acquire/renew/release/list).
    pub fn leases(&self) -> &Leases {
        &self.inner.leases
    }

    /// The device id.
    pub fn device_id(&self) -> &str {
        &self.inner.device_id
    }

    /// The capability manifest (`reported.dm.agent`).
    pub fn manifest(&self) -> AgentManifest {
        crate::manifest::build_manifest(&self.inner.statuses, &self.inner.agent_version())
    }

    /// Re-reports every section; returns their names.
    pub async fn report_all(&self) -> Vec<String> {
        self.inner.report_all().await
    }

    /// Stops background work and running operations. Their envelopes stay as they are and are
    /// reported `interrupted` at the next start (or completed, for a reboot).
    pub async fn shutdown(&self) {
        let _ = self.inner.shutdown.send(true);
        let handles = std::mem::take(
            &mut *self
                .inner
                .tasks
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for handle in handles {
            handle.abort();
        }
        tokio::task::yield_now().await;
    }
}

/// The state document of the client.
const CLIENT_FILE: &str = "client.json";
/// Where downloads land while they are checked and installed (emptied at start: a download cut
/// short by a crash is never used).
pub(crate) const DOWNLOADS_DIR: &str = "downloads";

/// A reboot the agent started and has not seen finish.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PendingReboot {
    /// The operation waiting for it.
    pub op_id: OperationId,
    /// Where that operation's envelope lives (`reboot` or `factoryReset`).
    #[serde(with = "section_name")]
    pub section: Section,
    /// Why.
    pub reason: String,
    /// The boot time before the reboot; a later one proves it happened.
    pub boot_before: Timestamp,
}

/// Sections are stored by their twin name.
mod section_name {
    use dm_contract::Section;
    use serde::{Deserialize as _, Deserializer, Serializer};

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` passes a reference
    pub(crate) fn serialize<S: Serializer>(section: &Section, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(section.name())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Section, D::Error> {
        let name = String::deserialize(d)?;
        Section::from_name(&name).map_err(serde::de::Error::custom)
    }
}

/// An app installed through dm.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ManagedApp {
    pub name: String,
    pub sha256: String,
    pub installed_at: Timestamp,
}

/// What the client remembers across restarts (`client.json`): each part owned by the code of
/// its section, flattened so the file keeps one flat object (files written before the split
/// read the same).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Persisted {
    /// Desired-state bookkeeping ([`desired`]).
    #[serde(flatten)]
    pub desired: desired::DesiredMemory,
    /// The reboot section ([`schedule`] and the power actions).
    #[serde(flatten)]
    pub reboots: schedule::RebootMemory,
    /// The factory-reset section.
    #[serde(flatten)]
    pub reset: methods::ResetMemory,
    /// The updates section.
    #[serde(flatten)]
    pub updates: methods::UpdatesMemory,
    /// The apps section.
    #[serde(flatten)]
    pub apps: methods::AppsMemory,
    /// The agent's own updates ([`self_update`]).
    #[serde(flatten)]
    pub agent_update: self_update::AgentUpdateMemory,
}

/// The agent's log level (not persisted: a temporary level ends with the process).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LogState {
    pub configured: LogLevel,
    pub current: LogLevel,
    pub reverts_at: Option<Timestamp>,
}

/// A long operation to run.
pub(crate) struct OpSpec {
    /// The envelope's `op`.
    pub op: String,
    /// The section holding the envelope.
    pub section: Section,
    /// A lock key: one operation per target at a time.
    pub target: Option<String>,
    /// Subject to busy leases.
    pub disruptive: bool,
    /// Run despite leases.
    pub force: bool,
    /// Wait for leases instead of a 409.
    pub postpone: bool,
    /// Wait this long (cancellable, state `pending`) before starting.
    pub delay: Option<Duration>,
    /// The desired version being applied.
    pub desired_version: Option<u64>,
    /// A fixed id (desired applies); otherwise a fresh one.
    pub id: Option<OperationId>,
    /// How long the work may take.
    pub timeout: Duration,
}

impl OpSpec {
    /// A non-disruptive operation.
    pub(crate) fn new(op: impl Into<String>, section: Section, timeout: Duration) -> Self {
        Self {
            op: op.into(),
            section,
            target: None,
            disruptive: false,
            force: false,
            postpone: false,
            delay: None,
            desired_version: None,
            id: None,
            timeout,
        }
    }
}

/// How a long operation's work ended.
pub(crate) enum Outcome {
    /// Done, with an optional envelope result.
    Done(Option<Value>),
    /// The device is going down; the envelope is completed after the boot.
    AwaitingReboot,
}

/// What a power operation does before the device comes back.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PowerAction {
    /// A plain reboot.
    Reboot,
    /// A factory reset (which reboots).
    FactoryReset(crate::providers::factory_reset::ResetOptions),
}

/// The work of a long operation.
pub(crate) type Work =
    Box<dyn FnOnce(Arc<Inner>, OperationId) -> BoxFuture<'static, DmResult<Outcome>> + Send>;

/// Everything the client's tasks share.
pub(crate) struct Inner {
    /// Where answers and reported patches go.
    pub transport: Arc<dyn Transport>,
    /// This device's id.
    pub device_id: String,
    /// Where state is persisted.
    pub state: StateDir,
    /// The providers.
    pub providers: Providers,
    /// Provider statuses, probed once at build.
    pub statuses: BTreeMap<Section, ProviderStatus>,
    /// Busy leases.
    pub leases: Leases,
    /// Timeouts and limits.
    pub settings: Settings,
    /// Operation envelopes.
    pub ops: ops::OperationBook,
    /// What is remembered across restarts.
    pub mem: Mutex<Persisted>,
    /// One channel per desired section, read by its worker (latest value wins).
    pub desired_tx: BTreeMap<Section, watch::Sender<Option<desired::Job>>>,
    /// Wakes the background loop (schedule or policy changed). Shared on its own so the loop
    /// can wait on it without keeping the client alive.
    pub wake: Arc<Notify>,
    /// Log level.
    pub log: Mutex<LogState>,
    /// Applies log levels.
    pub log_hook: Option<LogLevelHook>,
    /// Tasks to stop at shutdown.
    pub tasks: Mutex<Vec<AbortHandle>>,
    /// Set at shutdown.
    pub shutdown: watch::Sender<bool>,
    /// Serializes desired-state handling (patches and full twins).
    pub desired_lock: tokio::sync::Mutex<()>,
    /// The one HTTPS client of uploads and downloads ([`https`]).
    pub https: reqwest::Client,
    /// Failures injected on purpose (simulated devices only).
    pub failure_hook: Option<inject::FailureHook>,
    /// `true` once the operations cut short by the last stop are settled ([`Inner::recover`]);
    /// operations accepted meanwhile wait for it before they act.
    pub recovered: watch::Sender<bool>,
}

impl Inner {
    /// Remembers a task so shutdown can stop it (finished ones are dropped as we go).
    pub(crate) fn track(&self, handle: &AbortHandle) {
        let mut tasks = self.tasks.lock().unwrap_or_else(PoisonError::into_inner);
        tasks.retain(|h| !h.is_finished());
        tasks.push(handle.clone());
    }

    /// Reads the persisted state.
    pub(crate) fn mem<T>(&self, read: impl FnOnce(&Persisted) -> T) -> T {
        read(&self.mem.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Changes the persisted state and writes it.
    pub(crate) fn mem_update<T>(&self, change: impl FnOnce(&mut Persisted) -> T) -> T {
        let mut mem = self.mem.lock().unwrap_or_else(PoisonError::into_inner);
        let out = change(&mut mem);
        if let Err(err) = self.state.store(CLIENT_FILE, &*mem) {
            tracing::warn!(error = %err, "could not persist the client state");
        }
        out
    }

    /// Whether the provider of `section` is active, and if not, the 501 to answer.
    pub(crate) fn require(&self, section: Section) -> Result<(), MethodResponse> {
        match self.statuses.get(&section) {
            Some(status) if !status.active => Err(MethodResponse::not_supported(format!(
                "the {section} provider is inactive: {}",
                status
                    .reason
                    .as_deref()
                    .unwrap_or("not available on this device")
            ))),
            _ => Ok(()),
        }
    }

    /// Runs a method in its own task, with the method timeout; a panic becomes a 500.
    async fn call(self: &Arc<Self>, name: &str, payload: &[u8]) -> MethodResponse {
        let this = self.clone();
        let (owned_name, owned_payload) = (name.to_owned(), payload.to_vec());
        // Task-locals stay with their task: hand the answer gate to the dispatch task.
        let gate = ANSWER_GATE.try_with(Clone::clone).ok();
        let task = tokio::spawn(async move {
            let dispatch = this.dispatch(&owned_name, &owned_payload);
            match gate {
                Some(gate) => ANSWER_GATE.scope(gate, dispatch).await,
                None => dispatch.await,
            }
        });
        let abort = task.abort_handle();
        match tokio::time::timeout(self.settings.method_timeout, task).await {
            Ok(Ok(response)) => response,
            Ok(Err(err)) => {
                tracing::error!(method = %name, panicked = err.is_panic(), "a method handler died");
                MethodResponse::failed(
                    error_code::INTERNAL,
                    format!(
                        "the agent hit an internal error while handling `{name}`; it keeps serving"
                    ),
                )
            }
            Err(_) => {
                abort.abort();
                MethodResponse::failed(
                    "timeout",
                    format!(
                        "`{name}` did not finish within {} s",
                        self.settings.method_timeout.as_secs()
                    ),
                )
            }
        }
    }

    /// Accepts a long operation: checks busy leases and the target lock, records the envelope
    /// and starts the work in its own task. Returns the 202 (or the 409).
    pub(crate) fn accept(self: &Arc<Self>, spec: OpSpec, work: Work) -> MethodResponse {
        match self.begin(spec, work) {
            Ok((status, _)) => {
                if status.state == OperationState::Postponed {
                    MethodResponse::postponed(status.id)
                } else {
                    MethodResponse::accepted(status.id)
                }
            }
            Err(response) => response,
        }
    }

    /// Like [`Inner::accept`], also returning the task (desired applies wait for it).
    ///
    /// An operation started by a method call handed to [`Agent::handle_method`] begins its
    /// work only once the 202 has been given to the transport: a reboot that dropped the
    /// connection first would leave the caller with "device disconnected" instead of its
    /// operation id.
    pub(crate) fn begin(
        self: &Arc<Self>,
        spec: OpSpec,
        work: Work,
    ) -> Result<(OperationStatus, tokio::task::JoinHandle<()>), MethodResponse> {
        let now = Timestamp::now();
        let busy = spec.disruptive && !spec.force && self.leases.retry_after().is_some();
        if busy && !spec.postpone {
            let retry = self.leases.retry_after().unwrap_or(1);
            let message = self
                .leases
                .busy_message()
                .unwrap_or_else(|| "the device is busy".into());
            return Err(MethodResponse::busy(retry, message));
        }
        let id = spec
            .id
            .clone()
            .unwrap_or_else(|| ops::OperationBook::new_id(now));
        let mut status = OperationStatus::pending(id, spec.op.clone(), now);
        status.desired_version = spec.desired_version;
        if busy {
            status.postpone();
        }
        let created = self
            .ops
            .create(spec.section, status, spec.target.as_deref())
            .map_err(|e| e.to_response())?;
        let status = created.status.clone();
        let answered = ANSWER_GATE.try_with(Clone::clone).ok();
        let task = tokio::spawn(self.clone().run_operation(spec, created, work, answered));
        self.track(&task.abort_handle());
        Ok((status, task))
    }

    /// The life of one operation: report, wait (leases, delay), run with a timeout, report.
    async fn run_operation(
        self: Arc<Self>,
        spec: OpSpec,
        created: ops::Created,
        work: Work,
        answered: Option<tokio::sync::watch::Receiver<bool>>,
    ) {
        let ops::Created {
            status,
            mut cancelled,
        } = created;
        let (section, id) = (spec.section, status.id.clone());
        if let Some(mut answered) = answered {
            // Bounded: a transport that never returns must not hold the operation forever.
            let _ = tokio::time::timeout(ANSWER_WAIT, answered.wait_for(|sent| *sent)).await;
        }
        // Not before the last stop's leftovers are settled (an error means the agent is gone).
        let _ = self.recovered.subscribe().wait_for(|done| *done).await;
        self.report_envelope(section, &status).await;
        if spec.disruptive && spec.force && self.leases.retry_after().is_some() {
            tracing::warn!(target: "audit", op = %spec.op, operation = %id, leases = ?self.leases.list(), "forced despite busy leases");
        }
        let mut delay = spec.delay;
        loop {
            if *cancelled.borrow() {
                return;
            }
            if spec.disruptive && !spec.force && self.leases.retry_after().is_some() {
                if let Some(postponed) = self
                    .ops
                    .get(section, &id)
                    .filter(|s| s.state != OperationState::Postponed)
                    && let Some(postponed) = self.ops.postpone(section, &postponed.id)
                {
                    self.report_envelope(section, &postponed).await;
                }
                tokio::select! {
                    () = self.leases.wait_until_free() => {}
                    _ = cancelled.changed() => {}
                }
                continue;
            }
            if let Some(wait) = delay.take() {
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    _ = cancelled.changed() => {}
                }
                continue;
            }
            break;
        }
        let Some(mut status) = self.ops.start(section, &id, Timestamp::now()) else {
            return;
        };
        self.report_envelope(section, &status).await;
        let this = self.clone();
        let work_id = id.clone();
        let task = tokio::spawn(async move { work(this, work_id).await });
        let abort = task.abort_handle();
        let outcome = match tokio::time::timeout(spec.timeout, task).await {
            Ok(Ok(result)) => result,
            Ok(Err(err)) => {
                tracing::error!(op = %spec.op, operation = %id, panicked = err.is_panic(), "an operation's work died");
                Err(DmError::failed(
                    error_code::INTERNAL,
                    "the agent hit an internal error while running this operation",
                ))
            }
            Err(_) => {
                abort.abort();
                Err(DmError::Timeout {
                    what: spec.op.clone(),
                    seconds: spec.timeout.as_secs(),
                })
            }
        };
        let now = Timestamp::now();
        match outcome {
            Ok(Outcome::AwaitingReboot) => {
                // The envelope stays `running`; the next start completes it from the boot time.
                self.ops.release_target(&id);
                return;
            }
            Ok(Outcome::Done(result)) => {
                status.succeed(now, result.filter(|r| fits_in_twin(&spec.op, r)));
            }
            Err(err) => {
                tracing::warn!(op = %spec.op, operation = %id, error = %err, "operation failed");
                status.fail(now, err.code(), err.to_string());
            }
        }
        self.finish_envelope(section, &status).await;
    }

    /// Reports an envelope.
    pub(crate) async fn report_envelope(&self, section: Section, status: &OperationStatus) {
        match dm_contract::operation_patch(section, status) {
            Ok(patch) => self.send(patch).await,
            Err(err) => tracing::warn!(error = %err, "could not build an operation patch"),
        }
    }

    /// Records and reports a final envelope, pruning old history from the twin.
    pub(crate) async fn finish_envelope(&self, section: Section, status: &OperationStatus) {
        let prune = self.ops.finish(section, status);
        self.report_envelope(section, status).await;
        if !prune.is_empty() {
            self.send(dm_contract::prune_patch(section, &prune)).await;
        }
    }

    /// Sends a reported patch; the transport queues it while offline.
    pub(crate) async fn send(&self, patch: Value) {
        if let Err(err) = self.transport.send_reported(patch).await {
            tracing::warn!(error = %err, "could not send a reported patch");
        }
    }

    /// Reboots (or factory-resets) for operation `op_id` in `section`, and completes it when the
    /// boot time moves.
    pub(crate) async fn power_cycle(
        &self,
        section: Section,
        op_id: OperationId,
        reason: String,
        action: PowerAction,
    ) -> DmResult<Outcome> {
        let before = self.providers.reboot.boot_time().await?;
        self.mem_update(|m| {
            m.reboots.pending_reboot = Some(PendingReboot {
                op_id,
                section,
                reason: reason.clone(),
                boot_before: before,
            });
        });
        let result = match action {
            PowerAction::Reboot => self.providers.reboot.reboot(&reason).await,
            PowerAction::FactoryReset(options) => {
                tracing::warn!(target: "audit", ?options, "factory reset starting");
                self.providers.factory_reset.reset(options).await
            }
        };
        if let Err(err) = result {
            self.mem_update(|m| m.reboots.pending_reboot = None);
            return Err(err);
        }
        self.complete_reboot().await
    }

    /// If the reboot in flight has happened (the boot time moved), records it and returns its
    /// result; otherwise the operation keeps waiting.
    pub(crate) async fn complete_reboot(&self) -> DmResult<Outcome> {
        let Some(pending) = self.mem(|m| m.reboots.pending_reboot.clone()) else {
            return Ok(Outcome::AwaitingReboot);
        };
        let now_boot = self.providers.reboot.boot_time().await?;
        if now_boot <= pending.boot_before {
            return Ok(Outcome::AwaitingReboot);
        }
        self.mem_update(|m| {
            m.reboots.pending_reboot = None;
            m.reboots.last_reboot_reason = Some(pending.reason.clone());
            if pending.section == Section::FactoryReset {
                m.reset.last_reset_at = Some(now_boot);
                // Factory state has none of what dm applied: the next full twin re-applies the
                // desired state, and nothing installed through dm is managed any more.
                m.desired.applied.clear();
                m.apps.managed_apps.clear();
            }
        });
        self.report_section(Section::Reboot).await;
        if pending.section == Section::FactoryReset {
            self.report_section(Section::FactoryReset).await;
        }
        self.report_section(Section::Info).await;
        Ok(Outcome::Done(
            serde_json::to_value(RebootResult {
                boot_time: now_boot,
            })
            .ok(),
        ))
    }

    /// Settles operations cut short by the last stop: a reboot that happened succeeds, a
    /// self-update succeeds or fails by the version now running, everything else is reported
    /// `failed` with `interrupted`.
    ///
    /// `leftovers` are the unfinished operations found at start. Operations accepted since wait
    /// for this to end ([`Inner::recovered`]) before they act, so that a reboot accepted now
    /// cannot be confused with the one in flight at the last stop.
    async fn recover(self: Arc<Self>, leftovers: Vec<(Section, OperationStatus)>) {
        self.recover_agent_update().await;
        let pending = self.mem(|m| m.reboots.pending_reboot.clone());
        for (section, leftover) in leftovers {
            // Settled above already (a self-update): its envelope is final now.
            let Some(mut status) = self
                .ops
                .get(section, &leftover.id)
                .filter(|s| !s.is_final())
            else {
                continue;
            };
            let now = Timestamp::now();
            if pending.as_ref().is_some_and(|p| p.op_id == status.id) {
                match self.complete_reboot().await {
                    Ok(Outcome::Done(result)) => status.succeed(now, result),
                    Ok(Outcome::AwaitingReboot) => {
                        self.mem_update(|m| m.reboots.pending_reboot = None);
                        status.fail(
                            now,
                            error_code::INTERRUPTED,
                            "the agent restarted but the device did not reboot",
                        );
                    }
                    Err(err) => status.fail(now, err.code(), err.to_string()),
                }
            } else {
                let was = serde_json::to_value(status.state).ok();
                status.fail(
                    now,
                    error_code::INTERRUPTED,
                    format!(
                        "the agent stopped while this operation was {}",
                        was.as_ref().and_then(Value::as_str).unwrap_or("unfinished")
                    ),
                );
            }
            tracing::info!(operation = %status.id, state = ?status.state, "settled an operation from before the restart");
            self.finish_envelope(section, &status).await;
        }
        if pending.is_some() && self.mem(|m| m.reboots.pending_reboot.is_some()) {
            // A pending reboot without its envelope (history pruned): settle the record alone.
            let _ = self.complete_reboot().await;
            self.mem_update(|m| m.reboots.pending_reboot = None);
        }
    }
}

/// Whether an envelope result fits the twin's budget; a larger one is dropped (it is in the
/// method answer or the section anyway).
fn fits_in_twin(op: &str, result: &Value) -> bool {
    let size = serde_json::to_vec(result).map_or(usize::MAX, |v| v.len());
    if size > MAX_RESULT_BYTES {
        tracing::warn!(%op, size, "dropping an envelope result too large for the twin");
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A transport that takes everything and answers nothing.
    struct Quiet;

    impl Transport for Quiet {
        fn send_reported(&self, _patch: Value) -> BoxFuture<'_, DmResult<()>> {
            Box::pin(async { Ok(()) })
        }

        fn respond_method(
            &self,
            _request_id: &str,
            _status: u16,
            _payload: Value,
        ) -> BoxFuture<'_, DmResult<()>> {
            Box::pin(async { Ok(()) })
        }

        fn get_twin(&self) -> BoxFuture<'_, DmResult<Value>> {
            Box::pin(async { Err(DmError::NotConnected) })
        }
    }

    /// A reboot accepted before the start-up recovery ran is not taken for a leftover of the
    /// last stop. The recovery used to read the unfinished operations when it got to run: under
    /// load that was after the first method, and the new reboot was failed as `interrupted`
    /// and never ran. On one thread the recovery task cannot run before the method below is
    /// accepted, so this is the bad order every time.
    #[tokio::test(flavor = "current_thread")]
    async fn an_operation_accepted_before_recovery_runs_is_not_a_leftover() {
        let dir = tempfile::tempdir().unwrap();
        let rebooted = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let hook = Arc::clone(&rebooted);
        let agent = Agent::builder(Arc::new(Quiet))
            .device_id("dev")
            .state_dir(dir.path().join("state"))
            .sandbox(dir.path().join("sandbox"))
            .reboot_hook(Arc::new(move || {
                hook.store(true, std::sync::atomic::Ordering::SeqCst);
            }))
            .build()
            .unwrap();
        // No await between the build and the acceptance: the recovery task has not run.
        let (status, task) = agent
            .inner
            .begin(
                OpSpec::new("dm.reboot", Section::Reboot, Duration::from_secs(30)),
                background::reboot_work("test".into()),
            )
            .unwrap_or_else(|r| panic!("refused: {}", r.status));
        task.await.unwrap();
        let envelope = agent.inner.ops.get(Section::Reboot, &status.id).unwrap();
        assert!(
            rebooted.load(std::sync::atomic::Ordering::SeqCst),
            "the reboot never ran; its envelope: {envelope:?}"
        );
        assert_ne!(envelope.state, OperationState::Failed, "{envelope:?}");
    }

    /// `client.json` stays one flat object: a file written before the sections owned their
    /// parts reads into the right parts and is written back key for key.
    #[test]
    fn the_persisted_state_keeps_its_flat_file_format() {
        let before = serde_json::json!({
            "desiredVersion": 7,
            "desiredDm": {"time": {"timezone": "UTC"}},
            "applied": {"time": {"timezone": "UTC"}},
            "failed": ["updates"],
            "reboot": null,
            "pendingReboot": null,
            "lastRebootReason": "requested by dm.reboot",
            "lastScheduledReboot": null,
            "lastResetAt": "2025-03-01T10:00:00Z",
            "updatePolicy": null,
            "approved": ["openssl"],
            "lastScanTime": null,
            "lastInstallTime": null,
            "available": [],
            "managedApps": [{"name": "web", "sha256": "ab", "installedAt": "2025-03-01T10:00:00Z"}],
            "pendingAgentUpdate": null,
            "lastAgentUpdate": null,
        });
        let read: Persisted = serde_json::from_value(before.clone()).unwrap();
        assert_eq!(read.desired.desired_version, Some(7));
        assert!(read.desired.failed.contains("updates"));
        assert_eq!(
            read.reboots.last_reboot_reason.as_deref(),
            Some("requested by dm.reboot")
        );
        assert!(read.reset.last_reset_at.is_some());
        assert_eq!(read.updates.approved, ["openssl"]);
        assert_eq!(read.apps.managed_apps[0].name, "web");
        assert_eq!(serde_json::to_value(&read).unwrap(), before);
        // An empty or partial file is the state of an agent that never ran.
        let empty: Persisted = serde_json::from_str("{}").unwrap();
        assert_eq!(empty.desired.desired_version, None);
    }
}
