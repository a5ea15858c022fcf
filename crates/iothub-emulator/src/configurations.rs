//! Automatic device management: configurations and the evaluation that applies them.
//!
//! A configuration names a target condition and desired-property content; the real service
//! evaluates every configuration soon after a change and then every five minutes, writes the
//! content into the desired properties of each targeted twin, marks the twin
//! (`configurations.{id}.status`) and counts `targetedCount`/`appliedCount` and the custom
//! metric queries (protocol reference §H.1). The local hub runs the same evaluation on a short
//! interval ([`crate::HubConfig::configuration_interval`]), as soon as a configuration changes,
//! and on demand ([`Hub::evaluate_configurations`]) so tests need not wait.
//!
//! Rules of one pass, per device twin:
//! - Every configuration whose target condition matches targets the twin. Overlaps resolve per
//!   content path: the higher `priority` wins, ties go to the newer configuration. A targeting
//!   configuration with at least one path not covered by a winner is `Applied`; one whose every
//!   path lost is `Targeted`.
//! - Content is written when a configuration becomes `Applied` on a twin (first targeting, or
//!   the winner above it left): the merged content of every applied configuration, winners last,
//!   is patched into desired. A twin whose configuration is already applied is not rewritten on
//!   every pass, so a desired value an operator changed by hand stays until the configuration
//!   is applied to that twin again (as on the real service, which applies a configuration once
//!   per targeting).
//! - A twin that leaves the target loses the mark, not the values: the real service never
//!   removes desired properties a configuration wrote. A lower-priority configuration that still
//!   targets the twin becomes `Applied` and its content is written over them.
//! - Only device configurations (`deviceContent`) are evaluated. Module configurations and edge
//!   deployments are stored, validated, listed and counted as targeting nothing; edge content
//!   reaches a device through `applyConfigurationContent`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use iothub_model::configuration::{
    MAX_CONFIGURATIONS, MAX_CUSTOM_METRICS, STATUS_APPLIED, STATUS_TARGETED, applied_count_query,
    check_device_content, device_content_patch, targeted_count_query,
};
use iothub_model::{
    Configuration, ConfigurationContent, ConfigurationMetrics, ConfigurationQueriesTestInput,
    ConfigurationQueriesTestResponse, ErrorCode, Module, TwinSection, merge_patch,
    validate_configuration_id, validate_patch,
};
use serde_json::{Map, Value, json};
use tokio_util::sync::CancellationToken;

use crate::error::EmulatorError;
use crate::hub::Hub;
use crate::identity::Identity;
use crate::registry::{self, Effects, IfMatch, Now};
use crate::store::{StoredConfiguration, Tx};
use crate::twins::ServiceTwinWrite;

/// The prefix of a module configuration's target condition.
const MODULES_TARGET_PREFIX: &str = "from devices.modules where";

fn invalid(message: impl Into<String>) -> EmulatorError {
    EmulatorError::hub(ErrorCode::ArgumentInvalid, message)
}

fn corrupt(e: impl std::fmt::Display) -> EmulatorError {
    EmulatorError::Corrupt(e.to_string())
}

fn not_found(id: &str) -> EmulatorError {
    EmulatorError::hub(
        ErrorCode::ConfigurationNotFound,
        format!("Configuration '{id}' does not exist."),
    )
}

/// The wire etag of a configuration version: base64 of its decimal text, as the hub's `MQ==`.
pub(crate) fn etag(version: u64) -> String {
    base64::engine::general_purpose::STANDARD.encode(version.to_string())
}

fn unix_ms(now: &Now) -> i64 {
    i64::try_from(now.unix_nanos / 1_000_000).unwrap_or(i64::MAX)
}

fn parse_stored(stored: &StoredConfiguration) -> Result<Configuration, EmulatorError> {
    let mut c: Configuration = serde_json::from_value(stored.doc.clone()).map_err(corrupt)?;
    c.etag = Some(etag(stored.version));
    Ok(c)
}

/// Which kind of configuration a content makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Device,
    Module,
    Edge,
}

fn kind_of(content: &ConfigurationContent) -> Result<Kind, EmulatorError> {
    let set = [
        content.device_content.as_ref().map(|_| Kind::Device),
        content.module_content.as_ref().map(|_| Kind::Module),
        content.modules_content.as_ref().map(|_| Kind::Edge),
    ];
    let kinds: Vec<Kind> = set.into_iter().flatten().collect();
    match kinds.as_slice() {
        [one] => Ok(*one),
        [] => Err(invalid(
            "content must set one of deviceContent, moduleContent or modulesContent",
        )),
        _ => Err(invalid(
            "content sets more than one of deviceContent, moduleContent and modulesContent; a configuration carries one kind",
        )),
    }
}

fn check_desired_content(what: &str, content: &Map<String, Value>) -> Result<(), EmulatorError> {
    check_device_content(content).map_err(|m| invalid(m.replacen("deviceContent", what, 1)))?;
    for (key, value) in content {
        if key == iothub_model::configuration::DEVICE_CONTENT_PREFIX && !value.is_object() {
            return Err(invalid(format!(
                "{what} key '{key}' must hold a JSON object (the desired properties to merge)"
            )));
        }
    }
    let patch = Value::Object(device_content_patch(content));
    validate_patch(TwinSection::Desired, &patch).map_err(|e| invalid(format!("{what}: {e}")))?;
    Ok(())
}

fn check_target(kind: Kind, condition: &str) -> Result<(), EmulatorError> {
    let trimmed = condition.trim();
    if trimmed.is_empty() {
        return Ok(());
    }
    let expr = if kind == Kind::Module {
        let lower = trimmed.to_ascii_lowercase();
        if !lower.starts_with(MODULES_TARGET_PREFIX) {
            return Err(invalid(format!(
                "targetCondition of a module configuration must start with '{MODULES_TARGET_PREFIX}'"
            )));
        }
        let rest = trimmed[MODULES_TARGET_PREFIX.len()..].trim();
        if rest == "*" {
            return Err(invalid(
                "targetCondition of a module configuration cannot be '*'",
            ));
        }
        rest
    } else {
        trimmed
    };
    crate::query::parse_condition(expr)
        .map(drop)
        .map_err(|e| invalid(format!("targetCondition: {e}")))
}

fn check_metrics(metrics: Option<&ConfigurationMetrics>) -> Result<(), EmulatorError> {
    let Some(metrics) = metrics else {
        return Ok(());
    };
    if metrics.queries.len() > MAX_CUSTOM_METRICS {
        return Err(invalid(format!(
            "metrics has {} queries; a configuration may define at most {MAX_CUSTOM_METRICS}",
            metrics.queries.len()
        )));
    }
    for (name, query) in &metrics.queries {
        if name.trim().is_empty() {
            return Err(invalid("metrics.queries has an empty metric name"));
        }
        crate::query::parse(query).map_err(|e| invalid(format!("metric '{name}': {e}")))?;
    }
    Ok(())
}

fn system_metrics(id: &str, kind: Kind, target: &str) -> ConfigurationMetrics {
    let mut queries = BTreeMap::new();
    if kind == Kind::Device {
        let targeted = if target.trim().is_empty() {
            String::new()
        } else if target.trim() == "*" {
            "SELECT deviceId FROM devices".to_owned()
        } else {
            targeted_count_query(target)
        };
        queries.insert("targetedCount".to_owned(), targeted);
        queries.insert("appliedCount".to_owned(), applied_count_query(id));
    }
    ConfigurationMetrics {
        results: BTreeMap::new(),
        queries,
    }
}

/// What a `PUT /configurations/{id}` did.
#[derive(Debug, Clone)]
pub(crate) struct Written {
    /// The configuration as stored, with its new etag.
    pub(crate) configuration: Configuration,
}

/// `PUT /configurations/{id}`: creates (no `If-Match`) or updates (`If-Match` `*` or the etag).
/// Only labels, priority, targetCondition and metrics change on update; content is immutable.
pub(crate) fn put(
    hub: &Hub,
    id: &str,
    body: &Configuration,
    if_match: Option<&IfMatch>,
) -> Result<Written, EmulatorError> {
    validate_configuration_id(id).map_err(|e| EmulatorError::hub(e.error_code(), e.to_string()))?;
    if !body.id.is_empty() && body.id != id {
        return Err(invalid(format!(
            "id '{}' in the body does not match '{id}' in the request path",
            body.id
        )));
    }
    let priority = body.priority.unwrap_or(0);
    if priority < 0 {
        return Err(invalid(format!(
            "priority is {priority}; it must be 0 or more"
        )));
    }
    check_metrics(body.metrics.as_ref())?;
    let written = hub.transact(|tx, now| {
        let stamp = now.timestamp.clone();
        let existing = tx.configuration(id)?;
        let written = match existing {
            None => {
                if let Some(IfMatch::Etag(_)) = if_match {
                    return Err(not_found(id));
                }
                let kind = kind_of(&body.content)?;
                match kind {
                    Kind::Device => {
                        check_desired_content("deviceContent", body.content.device_content.as_ref().unwrap_or(&Map::new()))?;
                    }
                    Kind::Module => {
                        check_desired_content("moduleContent", body.content.module_content.as_ref().unwrap_or(&Map::new()))?;
                    }
                    Kind::Edge => {
                        for (module, content) in body.content.modules_content.iter().flatten() {
                            if !content.is_object() {
                                return Err(invalid(format!(
                                    "modulesContent.{module} must be a JSON object"
                                )));
                            }
                        }
                    }
                }
                check_target(kind, &body.target_condition)?;
                if tx.configurations()?.len() >= MAX_CONFIGURATIONS {
                    return Err(EmulatorError::hub(
                        ErrorCode::TooManyConfigurationsOnHub,
                        format!(
                            "The hub already holds {MAX_CONFIGURATIONS} configurations, the most it allows; delete one first."
                        ),
                    ));
                }
                let configuration = Configuration {
                    id: id.to_owned(),
                    schema_version: body.schema_version.clone().or(Some("1.0".to_owned())),
                    labels: body.labels.clone(),
                    content: body.content.clone(),
                    content_type: body.content_type.clone(),
                    target_condition: body.target_condition.clone(),
                    created_time_utc: Some(stamp.clone()),
                    last_updated_time_utc: Some(stamp),
                    priority: Some(priority),
                    system_metrics: Some(system_metrics(id, kind, &body.target_condition)),
                    metrics: Some(ConfigurationMetrics {
                        results: BTreeMap::new(),
                        queries: body.metrics.clone().unwrap_or_default().queries,
                    }),
                    etag: None,
                };
                store(tx, id, unix_ms(now), 1, &configuration)?;
                Written {
                    configuration: Configuration {
                        etag: Some(etag(1)),
                        ..configuration
                    },
                }
            }
            Some(stored) => {
                let Some(precondition) = if_match else {
                    return Err(EmulatorError::hub(
                        ErrorCode::ConfigurationAlreadyExists,
                        format!(
                            "Configuration '{id}' already exists; send If-Match (\"*\" or its etag) to update it."
                        ),
                    ));
                };
                let current = parse_stored(&stored)?;
                precondition.check("configuration", &etag(stored.version))?;
                if !body.content.is_empty() && body.content != current.content {
                    return Err(invalid(format!(
                        "the content of configuration '{id}' cannot change after it was created; only labels, priority, targetCondition and metrics can be updated (create a new configuration for new content)"
                    )));
                }
                let kind = kind_of(&current.content)?;
                check_target(kind, &body.target_condition)?;
                let old_results = current.metrics.clone().unwrap_or_default().results;
                let queries = body.metrics.clone().unwrap_or_default().queries;
                let results = old_results
                    .into_iter()
                    .filter(|(name, _)| queries.contains_key(name))
                    .collect();
                let mut system = current.system_metrics.clone().unwrap_or_default();
                system.queries = system_metrics(id, kind, &body.target_condition).queries;
                let version = stored.version.saturating_add(1);
                let configuration = Configuration {
                    labels: body.labels.clone(),
                    target_condition: body.target_condition.clone(),
                    last_updated_time_utc: Some(stamp),
                    priority: Some(priority),
                    system_metrics: Some(system),
                    metrics: Some(ConfigurationMetrics { results, queries }),
                    etag: None,
                    ..current
                };
                store(tx, id, stored.created_ms, version, &configuration)?;
                Written {
                    configuration: Configuration {
                        etag: Some(etag(version)),
                        ..configuration
                    },
                }
            }
        };
        Ok((written, Effects::default()))
    })?;
    hub.configurations_changed.notify_one();
    Ok(written)
}

fn store(
    tx: &Tx<'_>,
    id: &str,
    created_ms: i64,
    version: u64,
    configuration: &Configuration,
) -> Result<(), EmulatorError> {
    let doc = serde_json::to_value(configuration).map_err(corrupt)?;
    tx.put_configuration(id, created_ms, version, &doc)
}

/// `GET /configurations/{id}`.
pub(crate) fn get(hub: &Hub, id: &str) -> Result<Configuration, EmulatorError> {
    hub.read(|tx| {
        tx.configuration(id)?
            .as_ref()
            .map(parse_stored)
            .transpose()?
            .ok_or_else(|| not_found(id))
    })
}

/// `GET /configurations?top=N`: oldest first, at most `top` (and at most the hub's limit).
pub(crate) fn list(hub: &Hub, top: Option<usize>) -> Result<Vec<Configuration>, EmulatorError> {
    let top = top.unwrap_or(MAX_CONFIGURATIONS).min(MAX_CONFIGURATIONS);
    hub.read(|tx| {
        tx.configurations()?
            .iter()
            .take(top)
            .map(parse_stored)
            .collect()
    })
}

/// `DELETE /configurations/{id}`. Twins keep the desired values it wrote; their mark goes at
/// the next evaluation.
pub(crate) fn delete(hub: &Hub, id: &str, if_match: Option<&IfMatch>) -> Result<(), EmulatorError> {
    hub.transact(|tx, _| {
        let stored = tx.configuration(id)?.ok_or_else(|| not_found(id))?;
        if let Some(p) = if_match {
            p.check("configuration", &etag(stored.version))?;
        }
        tx.delete_configuration(id)?;
        Ok(((), Effects::default()))
    })?;
    hub.configuration_marks_stale
        .store(true, std::sync::atomic::Ordering::SeqCst);
    hub.configurations_changed.notify_one();
    Ok(())
}

/// `POST /configurations/testQueries`: parses a target condition and metric queries without
/// storing anything; an empty error means the query is valid.
pub(crate) fn test_queries(
    input: &ConfigurationQueriesTestInput,
) -> ConfigurationQueriesTestResponse {
    let target_condition_error = input.target_condition.as_deref().map(|condition| {
        let kind = if condition
            .trim()
            .to_ascii_lowercase()
            .starts_with(MODULES_TARGET_PREFIX)
        {
            Kind::Module
        } else {
            Kind::Device
        };
        match check_target(kind, condition) {
            Ok(()) => String::new(),
            Err(e) => hub_message(&e),
        }
    });
    let custom_metric_query_errors = input
        .custom_metric_queries
        .iter()
        .filter_map(|(name, query)| {
            crate::query::parse(query)
                .err()
                .map(|e| (name.clone(), e.to_string()))
        })
        .collect();
    ConfigurationQueriesTestResponse {
        target_condition_error,
        custom_metric_query_errors,
    }
}

fn hub_message(e: &EmulatorError) -> String {
    match e {
        EmulatorError::Hub { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// A configuration as one evaluation pass sees it.
struct Active {
    id: String,
    /// `(priority, created_ms)`: larger wins.
    rank: (i32, i64),
    /// `None` for a condition that targets nothing (empty, or a kind not evaluated here).
    condition: Option<crate::query::Condition>,
    /// The content keys (paths) and the desired patch they make.
    keys: Vec<String>,
    patch: Map<String, Value>,
}

/// What one evaluation pass did, for logs and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvaluationReport {
    /// Configurations evaluated.
    pub configurations: usize,
    /// Twins whose desired properties were written.
    pub twins_written: usize,
}

/// Whether path `a` is `b` or lies below it (dotted paths).
fn covers(b: &str, a: &str) -> bool {
    a == b || a.strip_prefix(b).is_some_and(|rest| rest.starts_with('.'))
}

/// The statuses of the configurations targeting one twin, given in winning order (highest
/// rank first): `Applied` when some path is not covered by an earlier (winning) one.
fn statuses<'a>(targeting: &[&'a Active]) -> Vec<(&'a Active, &'static str)> {
    let mut claimed: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for active in targeting {
        let free = active
            .keys
            .iter()
            .any(|k| !claimed.iter().any(|c| covers(c, k)));
        out.push((
            *active,
            if free {
                STATUS_APPLIED
            } else {
                STATUS_TARGETED
            },
        ));
        claimed.extend(active.keys.iter().map(String::as_str));
    }
    out
}

impl Hub {
    /// Runs one evaluation pass over every configuration and device twin now (the interval
    /// task calls this too), and returns what it did.
    ///
    /// A hub without configurations skips the pass (it would hold the write lock over a scan
    /// of every twin for nothing), unless twins may still carry marks of deleted ones.
    pub fn evaluate_configurations(&self) -> Result<EvaluationReport, EmulatorError> {
        use std::sync::atomic::Ordering;
        let stale = self.configuration_marks_stale.swap(false, Ordering::SeqCst);
        if !stale && self.read(|tx| Ok(tx.configurations()?.is_empty()))? {
            return Ok(EvaluationReport::default());
        }
        let report = self.transact(evaluate);
        if report.is_err() {
            self.configuration_marks_stale
                .store(stale, Ordering::SeqCst);
        }
        report
    }
}

fn evaluate(tx: &Tx<'_>, now: &Now) -> Result<(EvaluationReport, Effects), EmulatorError> {
    let stored = tx.configurations()?;
    let mut configurations = Vec::with_capacity(stored.len());
    let mut actives = Vec::new();
    for s in &stored {
        let c = parse_stored(s)?;
        let rank = (c.priority.unwrap_or(0), s.created_ms);
        if let Some(content) = &c.content.device_content {
            let target = c.target_condition.trim();
            // A stored condition was checked when written; one that no longer parses (a newer
            // hub's syntax) targets nothing rather than failing every pass.
            let condition = if target.is_empty() {
                None
            } else {
                crate::query::parse_condition(target).ok()
            };
            actives.push(Active {
                id: c.id.clone(),
                rank,
                condition,
                keys: content.keys().cloned().collect(),
                patch: device_content_patch(content),
            });
        }
        configurations.push((s.clone(), c));
    }
    // Winners first: higher priority, then newer.
    actives.sort_by_key(|a| std::cmp::Reverse(a.rank));
    let mut effects = Effects::default();
    let mut report = EvaluationReport {
        configurations: configurations.len(),
        twins_written: 0,
    };
    let mut targeted: HashMap<&str, i64> = HashMap::new();
    let mut applied: HashMap<&str, i64> = HashMap::new();
    for (device_id, _, mut record) in tx.identities(false)? {
        let identity = Identity::device(device_id.clone());
        let doc = registry::twin_wire(&identity, &record)?;
        let targeting: Vec<&Active> = actives
            .iter()
            .filter(|a| a.condition.as_ref().is_some_and(|c| c.matches(&doc)))
            .collect();
        let statuses = statuses(&targeting);
        let mut marks = Map::new();
        let mut newly_applied = false;
        for (active, status) in &statuses {
            *targeted.entry(active.id.as_str()).or_default() += 1;
            if *status == STATUS_APPLIED {
                *applied.entry(active.id.as_str()).or_default() += 1;
                let before = record
                    .twin
                    .configurations
                    .get(&active.id)
                    .and_then(|m| m.get("status"))
                    .and_then(Value::as_str);
                if before != Some(STATUS_APPLIED) {
                    newly_applied = true;
                }
            }
            marks.insert(active.id.clone(), json!({"status": status}));
        }
        let marks_changed = marks != record.twin.configurations;
        if newly_applied {
            // Losers first, winners last: each path ends with the winner's value.
            let mut patch = Map::new();
            for (active, status) in statuses.iter().rev() {
                if *status == STATUS_APPLIED {
                    merge_patch(&mut patch, &active.patch);
                }
            }
            let mut merged = record.twin.desired.clone();
            merge_patch(&mut merged, &patch);
            if merged != record.twin.desired {
                let write = ServiceTwinWrite {
                    tags: None,
                    desired: Some(patch),
                };
                let (written, twin_effects) =
                    registry::write_twin(tx, &identity, &write, false, None, now)?;
                record = written;
                effects.merge(twin_effects);
                report.twins_written += 1;
            }
        }
        if marks_changed || newly_applied {
            record.twin.configurations = marks;
            tx.put_identity(&device_id, None, &record)?;
        }
    }
    // Metrics, over the twins as this pass left them.
    let metric_docs: Vec<Value> = if configurations
        .iter()
        .any(|(_, c)| c.metrics.as_ref().is_some_and(|m| !m.queries.is_empty()))
    {
        tx.identities(false)?
            .into_iter()
            .map(|(d, _, record)| registry::twin_wire(&Identity::device(d), &record))
            .collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    let module_docs = std::cell::OnceCell::new();
    for (s, mut c) in configurations {
        let kind = kind_of(&c.content).ok();
        let mut system = c.system_metrics.clone().unwrap_or_default();
        if kind == Some(Kind::Device) {
            system.results.insert(
                "targetedCount".to_owned(),
                targeted.get(c.id.as_str()).copied().unwrap_or(0),
            );
            system.results.insert(
                "appliedCount".to_owned(),
                applied.get(c.id.as_str()).copied().unwrap_or(0),
            );
        }
        let mut metrics = c.metrics.clone().unwrap_or_default();
        let mut results = BTreeMap::new();
        for (name, text) in &metrics.queries {
            let Ok(query) = crate::query::parse(text) else {
                continue;
            };
            let docs = match query.source() {
                crate::query::Source::Devices => metric_docs.clone(),
                crate::query::Source::Modules => module_docs
                    .get_or_init(|| module_twins(tx).unwrap_or_default())
                    .clone(),
                crate::query::Source::Jobs => tx.device_jobs()?,
            };
            if let Ok(rows) = query.execute(docs) {
                results.insert(name.clone(), i64::try_from(rows.len()).unwrap_or(i64::MAX));
            }
        }
        metrics.results = results;
        let changed =
            c.system_metrics.as_ref() != Some(&system) || c.metrics.as_ref() != Some(&metrics);
        if changed {
            c.system_metrics = Some(system);
            c.metrics = Some(metrics);
            c.etag = None;
            // Metrics are the hub's own bookkeeping: they do not move the etag.
            store(tx, &s.id, s.created_ms, s.version, &c)?;
        }
    }
    Ok((report, effects))
}

fn module_twins(tx: &Tx<'_>) -> Result<Vec<Value>, EmulatorError> {
    tx.identities(true)?
        .into_iter()
        .map(|(d, m, record)| {
            registry::twin_wire(
                &Identity {
                    device_id: d,
                    module_id: m,
                },
                &record,
            )
        })
        .collect()
}

/// `POST /devices/{id}/applyConfigurationContent`: sets the desired properties of the device's
/// modules from `modulesContent` (creating modules that do not exist yet) and, for
/// `deviceContent`, patches the device twin's desired properties.
pub(crate) fn apply_content(
    hub: &Hub,
    device_id: &str,
    content: &ConfigurationContent,
) -> Result<(), EmulatorError> {
    if content.is_empty() {
        return Err(invalid("the body must set modulesContent or deviceContent"));
    }
    if let Some(device) = &content.device_content {
        check_desired_content("deviceContent", device)?;
    }
    let mut modules: Vec<(String, Map<String, Value>)> = Vec::new();
    for (module, value) in content.modules_content.iter().flatten() {
        let Some(map) = value.as_object() else {
            return Err(invalid(format!(
                "modulesContent.{module} must be a JSON object"
            )));
        };
        check_desired_content(&format!("modulesContent.{module}"), map)?;
        modules.push((module.clone(), device_content_patch(map)));
    }
    hub.transact(|tx, now| {
        let device = Identity::device(device_id.to_owned());
        registry::load(tx, &device)?;
        let mut effects = Effects::default();
        for (module, desired) in &modules {
            if tx.identity(device_id, Some(module))?.is_none() {
                let body = Module {
                    module_id: module.clone(),
                    device_id: device_id.to_owned(),
                    ..Module::default()
                };
                let (_, _, e) = registry::put_module(tx, device_id, module, &body, None, now)?;
                effects.merge(e);
            }
            let identity = Identity::module(device_id.to_owned(), module.clone());
            // The content replaces the module's desired properties; its tags stay.
            let write = ServiceTwinWrite {
                tags: Some(registry::load(tx, &identity)?.twin.tags),
                desired: Some(desired.clone()),
            };
            let (_, e) = registry::write_twin(tx, &identity, &write, true, None, now)?;
            effects.merge(e);
        }
        if let Some(device_content) = &content.device_content {
            let write = ServiceTwinWrite {
                tags: None,
                desired: Some(device_content_patch(device_content)),
            };
            let (_, e) = registry::write_twin(tx, &device, &write, false, None, now)?;
            effects.merge(e);
        }
        Ok(((), effects))
    })
}

/// Evaluates configurations every `interval`, and soon after any configuration changes, until
/// `shutdown`.
pub(crate) async fn run(hub: Arc<Hub>, shutdown: CancellationToken) {
    let interval = hub.config().configuration_interval;
    loop {
        let pass = crate::rest::blocking(&hub, Hub::evaluate_configurations).await;
        match pass {
            Ok(report) if report.twins_written > 0 => {
                tracing::debug!(
                    configurations = report.configurations,
                    twins_written = report.twins_written,
                    "configurations evaluated"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "configuration evaluation failed"),
        }
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(interval) => {}
            () = hub.configurations_changed.notified() => {
                // Let a burst of changes (create, then update) settle into one pass.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn active(id: &str, priority: i32, created: i64, keys: &[&str]) -> Active {
        Active {
            id: id.to_owned(),
            rank: (priority, created),
            condition: None,
            keys: keys.iter().map(|k| (*k).to_owned()).collect(),
            patch: Map::new(),
        }
    }

    #[test]
    fn a_configuration_whose_every_path_lost_is_only_targeted() {
        let high = active("high", 10, 1, &["properties.desired.fw"]);
        let low = active("low", 1, 2, &["properties.desired.fw.version"]);
        let other = active(
            "other",
            1,
            3,
            &["properties.desired.fw", "properties.desired.mode"],
        );
        let got: Vec<(String, &str)> = statuses(&[&high, &other, &low])
            .into_iter()
            .map(|(a, s)| (a.id.clone(), s))
            .collect();
        assert_eq!(
            got,
            [
                ("high".to_owned(), STATUS_APPLIED),
                ("other".to_owned(), STATUS_APPLIED),
                ("low".to_owned(), STATUS_TARGETED),
            ]
        );
    }

    #[test]
    fn covers_is_by_whole_segments() {
        assert!(covers("properties.desired.fw", "properties.desired.fw.v"));
        assert!(covers("properties.desired.fw", "properties.desired.fw"));
        assert!(!covers("properties.desired.fw", "properties.desired.fwx"));
    }

    #[test]
    fn etags_are_base64_of_the_version() {
        assert_eq!(etag(1), "MQ==");
        assert_eq!(etag(12), "MTI=");
    }

    #[test]
    fn test_queries_reports_each_broken_query() {
        let mut metrics = BTreeMap::new();
        metrics.insert("ok".to_owned(), "SELECT deviceId FROM devices".to_owned());
        metrics.insert("bad".to_owned(), "SELECT FROM".to_owned());
        let out = test_queries(&ConfigurationQueriesTestInput {
            target_condition: Some("tags.env = ".to_owned()),
            custom_metric_queries: metrics,
        });
        assert!(out.target_condition_error.is_some_and(|e| !e.is_empty()));
        assert_eq!(
            out.custom_metric_query_errors.keys().collect::<Vec<_>>(),
            ["bad"]
        );
    }
}
