//! One handler per `dm.*` method: parse and validate, check the provider, then either answer
//! 200 with the result or accept a long operation (202) whose envelope reports the outcome.

use std::sync::Arc;

use dm_contract::{
    AppInstallRequest, AppInventory, AppKind, AppListRequest, AppStatus, CertInstallRequest,
    CertList, DEFAULT_APPS_LIST_LIMIT, DEFAULT_COLLECT_MAX_BYTES, Delivery,
    DiagnosticsCollectRequest, DiagnosticsResult, LogLevelResult, MAX_INLINE_LOG_BYTES, Method,
    MethodResponse, OperationId, ReportAllResult, Request, Section, TimeInfo, UpdatePolicy,
    UpdatesInstallResult, UpdatesScanResult, WifiList, WifiRemoved,
};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::background::reboot_work;
use super::{DOWNLOADS_DIR, Inner, ManagedApp, OpSpec, Outcome, PowerAction, Work};
use crate::error::{DmError, DmResult};
use crate::providers::apps::{InstallSpec, UnitAction, package_name};
use crate::providers::factory_reset::ResetOptions;

/// What the factory-reset section remembers across restarts (part of `client.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct ResetMemory {
    /// When the device last came up from a factory reset.
    pub last_reset_at: Option<Timestamp>,
}

/// What the updates section remembers across restarts (part of `client.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct UpdatesMemory {
    /// The update policy in effect.
    pub update_policy: Option<dm_contract::UpdatePolicy>,
    /// The approved updates in effect.
    pub approved: Vec<String>,
    /// The last scan.
    pub last_scan_time: Option<Timestamp>,
    /// The last install.
    pub last_install_time: Option<Timestamp>,
    /// Available updates from the last scan.
    pub available: Vec<dm_contract::UpdateItem>,
}

/// What the apps section remembers across restarts (part of `client.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct AppsMemory {
    /// Apps installed through dm.
    pub managed_apps: Vec<ManagedApp>,
}

/// The most a JSON-escaped inline log may take in an answer (the hub's limit is 128 KB).
const MAX_INLINE_ESCAPED_BYTES: usize = 100 * 1024;

/// Builds a work closure from an async block over the client.
macro_rules! work {
    (|$inner:ident, $id:ident| $body:expr) => {
        Box::new(move |$inner: Arc<Inner>, $id: OperationId| {
            let work: futures::future::BoxFuture<'static, DmResult<Outcome>> =
                Box::pin(async move { $body });
            work
        }) as Work
    };
}

/// The answer for a provider result.
fn answer<T: serde::Serialize>(result: DmResult<T>) -> MethodResponse {
    match result {
        Ok(value) => MethodResponse::ok(&value),
        Err(err) => err.to_response(),
    }
}

impl Inner {
    /// Parses, validates and runs one method.
    pub(crate) async fn dispatch(self: &Arc<Self>, name: &str, payload: &[u8]) -> MethodResponse {
        let request = match super::payload::decode(payload)
            .and_then(|value| Request::parse_call(name, &value))
        {
            Ok(request) => request,
            Err(err) => {
                tracing::info!(method = %name, error = %err, "refusing a method call");
                return MethodResponse::from_error(&err);
            }
        };
        let method = request.method();
        if let Some(section) = method.section()
            && let Err(response) = self.require(section)
        {
            return response;
        }
        if let Some(response) = self.injected(method).await {
            return response;
        }
        tracing::info!(method = %method, "method call");
        match request {
            Request::Reboot(r) => {
                let mut spec = self.power_spec(Method::Reboot, r.force, r.postpone);
                spec.delay = r
                    .delay_seconds
                    .filter(|d| *d > 0)
                    .map(|d| std::time::Duration::from_secs(u64::from(d)));
                let reason = r
                    .reason
                    .unwrap_or_else(|| "requested by dm.reboot".to_owned());
                tracing::warn!(target: "audit", %reason, delay = ?r.delay_seconds, force = r.force, "reboot requested");
                self.accept(spec, reboot_work(reason))
            }
            Request::FactoryReset(r) => {
                if let Err(err) = r.confirm(&self.device_id) {
                    return MethodResponse::bad_request(&err);
                }
                tracing::warn!(target: "audit", clear_tpm = r.clear_tpm, wipe_data = r.wipe_data, force = r.force, "factory reset requested");
                let spec = self.power_spec(Method::FactoryReset, r.force, r.postpone);
                let options = ResetOptions {
                    clear_tpm: r.clear_tpm,
                    wipe_data: r.wipe_data,
                };
                self.accept(
                    spec,
                    work!(|inner, id| {
                        inner
                            .power_cycle(
                                Section::FactoryReset,
                                id,
                                "factory reset".into(),
                                PowerAction::FactoryReset(options),
                            )
                            .await
                    }),
                )
            }
            Request::AppsInstall(r) => {
                let spec = self.app_spec(Method::AppsInstall, &r.name, false, false);
                self.accept(spec, work!(|inner, _id| inner.install_app(r).await))
            }
            Request::AppsRemove(r) => {
                let spec = self.app_spec(Method::AppsRemove, &r.name, r.force, r.postpone);
                self.accept(
                    spec,
                    work!(|inner, _id| {
                        inner.providers.apps.remove(&r.name, r.purge).await?;
                        inner.mem_update(|m| {
                            m.apps
                                .managed_apps
                                .retain(|a| package_name(&a.name) != package_name(&r.name));
                        });
                        inner.report_section(Section::Apps).await;
                        Ok(Outcome::Done(None))
                    }),
                )
            }
            Request::AppsStart(r) => {
                self.control_app(Method::AppsStart, r.name, UnitAction::Start, false, false)
            }
            Request::AppsStop(r) => self.control_app(
                Method::AppsStop,
                r.name,
                UnitAction::Stop,
                r.force,
                r.postpone,
            ),
            Request::AppsRestart(r) => self.control_app(
                Method::AppsRestart,
                r.name,
                UnitAction::Restart,
                r.force,
                r.postpone,
            ),
            Request::AppsEnable(r) | Request::AppsDisable(r) => {
                let enable = method == Method::AppsEnable;
                let result = self.providers.apps.set_enabled(&r.name, enable).await;
                if result.is_ok() {
                    self.report_managed_app(&r.name).await;
                }
                answer(result)
            }
            Request::AppsList(r) => answer(self.list_apps(&r).await),
            Request::UpdatesScan(_) => {
                let mut spec = OpSpec::new(
                    method.name(),
                    Section::Updates,
                    self.settings.operation_timeout,
                );
                spec.target = Some("updates".into());
                self.accept(
                    spec,
                    work!(|inner, _id| {
                        let result = inner.scan_updates().await?;
                        Ok(Outcome::Done(serde_json::to_value(result).ok()))
                    }),
                )
            }
            Request::UpdatesInstall(r) => {
                let mut spec = OpSpec::new(
                    method.name(),
                    Section::Updates,
                    self.settings.operation_timeout,
                );
                spec.target = Some("updates".into());
                spec.disruptive = true;
                spec.force = r.force;
                spec.postpone = r.postpone;
                let specs = self.eligible_updates(&r.packages);
                self.accept(spec, install_updates_work(specs, r.reboot_if_required))
            }
            Request::CertificatesInstall(r) => {
                let spec = OpSpec::new(
                    method.name(),
                    Section::Certificates,
                    self.settings.operation_timeout,
                );
                self.accept(spec, work!(|inner, _id| inner.install_certificate(r).await))
            }
            Request::CertificatesRemove(r) => {
                let result = self
                    .providers
                    .certificates
                    .remove(r.store, &r.thumbprint)
                    .await;
                if result.is_ok() {
                    self.report_section(Section::Certificates).await;
                }
                answer(result)
            }
            Request::CertificatesList(r) => answer(
                self.providers
                    .certificates
                    .list(r.store)
                    .await
                    .map(|certificates| CertList { certificates }),
            ),
            Request::CertificatesShow(r) => answer(
                self.providers
                    .certificates
                    .show(r.store, &r.thumbprint)
                    .await,
            ),
            Request::TimeGet(_) => answer(self.time_info().await),
            Request::WifiList(_) => answer(
                self.providers
                    .network
                    .list()
                    .await
                    .map(|profiles| WifiList { profiles }),
            ),
            Request::WifiAdd(r) => {
                let result = self.providers.network.add(&r).await;
                if result.is_ok() {
                    self.report_section(Section::Network).await;
                }
                answer(result)
            }
            Request::WifiRemove(r) => {
                let result = self
                    .providers
                    .network
                    .remove(r.id.as_deref(), r.ssid.as_deref())
                    .await;
                if result.as_ref().is_ok_and(|removed| !removed.is_empty()) {
                    self.report_section(Section::Network).await;
                }
                answer(result.map(|removed| WifiRemoved { removed }))
            }
            Request::DiagnosticsCollect(r) => self.collect_logs(&r).await,
            Request::DiagnosticsSetLogLevel(r) => {
                let now = Timestamp::now();
                let result = {
                    let mut log = self
                        .log
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    let previous = log.current;
                    log.current = r.level;
                    log.reverts_at = r
                        .duration_seconds
                        .map(|d| now + SignedDuration::from_secs(i64::from(d)));
                    LogLevelResult {
                        level: r.level,
                        previous,
                        reverts_at: log.reverts_at,
                    }
                };
                if let Some(hook) = &self.log_hook {
                    hook(r.level);
                }
                tracing::info!(level = ?r.level, until = ?result.reverts_at, "log level changed");
                self.wake.notify_one();
                self.report_section(Section::Diagnostics).await;
                MethodResponse::ok(&result)
            }
            Request::InfoGet(_) => {
                let result = self.device_info().await;
                if let Ok(info) = &result
                    && let Ok(value) = serde_json::to_value(info)
                {
                    self.send(dm_contract::reported_patch(Section::Info, value))
                        .await;
                }
                answer(result)
            }
            Request::ReportAll(_) => {
                let sections = self.report_all().await;
                MethodResponse::ok(&ReportAllResult { sections })
            }
            Request::AgentUpdate(r) => self.accept_agent_update(r),
            Request::OperationsCancel(r) => {
                match self.ops.cancel(&r.operation_id, Timestamp::now()) {
                    Ok((section, status)) => {
                        tracing::info!(operation = %status.id, "operation cancelled");
                        self.finish_envelope(section, &status).await;
                        MethodResponse::ok(&status)
                    }
                    Err(err) => err.to_response(),
                }
            }
        }
    }

    fn power_spec(&self, method: Method, force: bool, postpone: bool) -> OpSpec {
        let section = method.section().unwrap_or(Section::Reboot);
        let mut spec = OpSpec::new(method.name(), section, self.settings.operation_timeout);
        spec.target = Some("power".into());
        spec.disruptive = method.is_disruptive();
        spec.force = force;
        spec.postpone = postpone;
        spec
    }

    fn app_spec(&self, method: Method, name: &str, force: bool, postpone: bool) -> OpSpec {
        let mut spec = OpSpec::new(
            method.name(),
            Section::Apps,
            self.settings.operation_timeout,
        );
        spec.target = Some(format!("app:{}", package_name(name)));
        spec.disruptive = method.is_disruptive();
        spec.force = force;
        spec.postpone = postpone;
        spec
    }

    fn control_app(
        self: &Arc<Self>,
        method: Method,
        name: String,
        action: UnitAction,
        force: bool,
        postpone: bool,
    ) -> MethodResponse {
        let spec = self.app_spec(method, &name, force, postpone);
        self.accept(
            spec,
            work!(|inner, _id| {
                let status = inner.providers.apps.control(&name, action).await?;
                inner.report_managed_app(&name).await;
                Ok(Outcome::Done(serde_json::to_value(status).ok()))
            }),
        )
    }

    async fn report_managed_app(&self, name: &str) {
        if self.mem(|m| {
            m.apps
                .managed_apps
                .iter()
                .any(|a| package_name(&a.name) == package_name(name))
        }) {
            self.report_section(Section::Apps).await;
        }
    }

    async fn install_app(&self, request: AppInstallRequest) -> DmResult<Outcome> {
        let policy = &self.settings.artifacts;
        policy.check_url(&request.url)?;
        // An installed app of a known version is not replaced by an older one unasked. A
        // request without a version cannot be compared, so it is refused rather than let
        // through unchecked: the operator names the version or allows the downgrade.
        match self.providers.apps.inspect(&request.name).await {
            Ok(AppStatus {
                version: Some(installed),
                ..
            }) => crate::artifacts::check_unversioned_or_downgrade(
                &format!("the installed app `{}`", request.name),
                &installed,
                request.version.as_deref(),
                request.allow_downgrade,
            )?,
            Ok(_) | Err(DmError::NotFound(_)) => {}
            Err(err) => return Err(err),
        }
        let path = super::download::download(
            &self.https,
            &request.url,
            &request.sha256,
            &self.state.file(DOWNLOADS_DIR),
            "deb",
            self.settings.download_limit,
            self.settings.operation_timeout,
            policy,
        )
        .await?;
        let spec = InstallSpec {
            name: request.name.clone(),
            package: path.clone(),
            expected_version: request.version.clone(),
            enable: request.enable,
            start: request.start,
        };
        let result =
            match super::self_update::verify_signature(policy, &path, request.signature.clone())
                .await
            {
                Ok(()) => self.providers.apps.install(&spec).await,
                Err(err) => Err(err),
            };
        let _ = tokio::fs::remove_file(&path).await;
        let mut status = result?;
        let now = Timestamp::now();
        let sha256 = request.sha256.to_ascii_lowercase();
        self.mem_update(|m| {
            m.apps.managed_apps.retain(|a| a.name != request.name);
            m.apps.managed_apps.push(ManagedApp {
                name: request.name.clone(),
                sha256: sha256.clone(),
                installed_at: now,
            });
        });
        tracing::info!(app = %request.name, url = %request.url, %sha256, "app installed");
        self.report_section(Section::Apps).await;
        status.sha256 = Some(sha256);
        Ok(Outcome::Done(serde_json::to_value(status).ok()))
    }

    async fn install_certificate(&self, request: CertInstallRequest) -> DmResult<Outcome> {
        // A certificate decides whom the device trusts: with publisher keys configured it
        // needs their signature like any artefact, downloaded or sent inline.
        let policy = &self.settings.artifacts;
        let material = match (&request.url, &request.sha256, &request.pem) {
            (_, _, Some(pem)) => {
                policy.verify_bytes(
                    "pem",
                    pem.expose().as_bytes(),
                    request.signature.as_deref(),
                )?;
                pem.expose().as_bytes().to_vec()
            }
            (Some(url), Some(sha256), None) => {
                let path = super::download::download(
                    &self.https,
                    url,
                    sha256,
                    &self.state.file(DOWNLOADS_DIR),
                    "pem",
                    dm_contract::MAX_PEM_BYTES as u64 * 4,
                    self.settings.operation_timeout,
                    policy,
                )
                .await?;
                let verified =
                    super::self_update::verify_signature(policy, &path, request.signature.clone())
                        .await;
                let bytes = match verified {
                    Ok(()) => tokio::fs::read(&path)
                        .await
                        .map_err(|e| DmError::io("cannot read", &path, e)),
                    Err(err) => Err(err),
                };
                let _ = tokio::fs::remove_file(&path).await;
                bytes?
            }
            _ => {
                return Err(DmError::Invalid(dm_contract::ContractError::invalid(
                    "url",
                    "give either `url` with `sha256`, or `pem`",
                )));
            }
        };
        let result = self
            .providers
            .certificates
            .install(request.store, &material)
            .await?;
        self.report_section(Section::Certificates).await;
        Ok(Outcome::Done(serde_json::to_value(result).ok()))
    }

    async fn list_apps(&self, request: &AppListRequest) -> DmResult<AppInventory> {
        let mut apps = self.providers.apps.list(request.kind).await?;
        if let Some(filter) = &request.filter {
            let filter = filter.to_lowercase();
            apps.retain(|a| a.name.to_lowercase().contains(&filter));
        }
        apps.sort_by(|a, b| {
            a.name
                .cmp(&b.name)
                .then_with(|| (a.kind == AppKind::Unit).cmp(&(b.kind == AppKind::Unit)))
        });
        let total = apps.len();
        let limit = request.limit.unwrap_or(DEFAULT_APPS_LIST_LIMIT) as usize;
        apps.truncate(limit);
        Ok(AppInventory {
            truncated: total > apps.len(),
            total: u32::try_from(total).unwrap_or(u32::MAX),
            apps,
        })
    }

    async fn time_info(&self) -> DmResult<TimeInfo> {
        let settings = self.providers.time.get().await?;
        let now = Timestamp::now();
        let zone = super::schedule::zone(&settings.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        Ok(TimeInfo {
            local_time: now
                .to_zoned(zone)
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
            time_zone: settings.time_zone,
            ntp_servers: settings.ntp_servers,
            ntp_synchronized: settings.ntp_synchronized,
            utc_time: Timestamp::from_second(now.as_second()).unwrap_or(now),
        })
    }

    async fn collect_logs(self: &Arc<Self>, request: &DiagnosticsCollectRequest) -> MethodResponse {
        const NO_UPLOAD: &str = "uploading log bundles through IoT Hub file upload is not supported by this agent's hub connection";
        let inline_cap = MAX_INLINE_LOG_BYTES as usize;
        let max = request.max_bytes.unwrap_or(DEFAULT_COLLECT_MAX_BYTES) as usize;
        let can_upload = self.transport.supports_file_upload();
        let cap = match request.delivery {
            Delivery::Upload if can_upload => return self.accept_upload(request.clone()),
            Delivery::Upload => {
                return MethodResponse::not_supported(format!(
                    "{NO_UPLOAD}; ask for `delivery: inline`"
                ));
            }
            Delivery::Inline => max.min(inline_cap),
            // Collect one byte past the inline limit to know whether it fits.
            Delivery::Auto => max.min(inline_cap + 1),
        };
        let collected = match crate::providers::diagnostics::collect(
            self.providers.diagnostics.as_ref(),
            request,
            cap,
        )
        .await
        {
            Ok(collected) => collected,
            Err(err) => return err.to_response(),
        };
        // Collected up to one byte past the inline limit: truncation means it did not fit.
        let probing = request.delivery == Delivery::Auto && max > inline_cap;
        if probing && (collected.truncated || collected.text.len() > inline_cap) {
            if can_upload {
                // Collected again up to `maxBytes` by the operation: the probe stopped early.
                return self.accept_upload(request.clone());
            }
            return MethodResponse::not_supported(format!(
                "the logs are larger than the {inline_cap} bytes that fit in an answer, and {NO_UPLOAD}; \
                 ask for `delivery: inline` to get the newest {inline_cap} bytes, or narrow `since`, `units` or `paths`"
            ));
        }
        let mut content = String::from_utf8_lossy(&collected.text).into_owned();
        let mut truncated = collected.truncated;
        // Control characters escape to six bytes each in JSON: keep the answer under the hub's
        // limit whatever the logs contain.
        while serde_json::to_string(&content).map_or(0, |s| s.len()) > MAX_INLINE_ESCAPED_BYTES {
            let cut = content.len() / 4;
            let cut = (cut..content.len())
                .find(|i| content.is_char_boundary(*i))
                .unwrap_or(content.len());
            content.drain(..cut);
            truncated = true;
        }
        MethodResponse::ok(&DiagnosticsResult {
            bytes: content.len() as u64,
            truncated,
            content: Some(content),
            upload: None,
        })
    }

    /// Scans for updates, stores and reports the result.
    pub(crate) async fn scan_updates(&self) -> DmResult<UpdatesScanResult> {
        let mut available = self.providers.updates.scan().await?;
        available.sort_by(|a, b| {
            b.security
                .cmp(&a.security)
                .then_with(|| a.name.cmp(&b.name))
        });
        let result = UpdatesScanResult {
            available_count: u32::try_from(available.len()).unwrap_or(u32::MAX),
            security_count: u32::try_from(available.iter().filter(|u| u.security).count())
                .unwrap_or(u32::MAX),
        };
        self.mem_update(|m| {
            m.updates.available = available;
            m.updates.last_scan_time = Some(Timestamp::now());
        });
        self.report_section(Section::Updates).await;
        Ok(result)
    }

    /// What to install: the request's packages, or else what the policy allows (the approved
    /// list, plus security updates under `security`, plus everything under `automatic`).
    pub(crate) fn eligible_updates(&self, packages: &[String]) -> Vec<String> {
        if !packages.is_empty() {
            return packages.to_vec();
        }
        self.mem(|m| {
            let mut specs: Vec<String> = Vec::new();
            let mut add = |spec: String| {
                let name = spec.split('=').next().unwrap_or_default().to_owned();
                if !specs
                    .iter()
                    .any(|s| s.split('=').next() == Some(name.as_str()))
                {
                    specs.push(spec);
                }
            };
            for spec in &m.updates.approved {
                add(spec.clone());
            }
            for update in &m.updates.available {
                let wanted = match m.updates.update_policy {
                    Some(UpdatePolicy::Automatic) => true,
                    Some(UpdatePolicy::Security) => update.security,
                    _ => false,
                };
                if wanted {
                    add(update.name.clone());
                }
            }
            specs
        })
    }
}

/// The work of `dm.updates.install` (and of automatic updates).
pub(crate) fn install_updates_work(specs: Vec<String>, reboot_if_required: bool) -> Work {
    work!(|inner, _id| {
        let outcome = inner.providers.updates.install(&specs).await?;
        inner.mem_update(|m| {
            m.updates.last_install_time = Some(Timestamp::now());
            let done: Vec<&str> = specs.iter().filter_map(|s| s.split('=').next()).collect();
            m.updates
                .available
                .retain(|u| !done.contains(&u.name.as_str()));
        });
        inner.report_section(Section::Updates).await;
        if outcome.reboot_required && reboot_if_required {
            let mut spec = OpSpec::new(
                dm_contract::METHOD_REBOOT,
                Section::Reboot,
                inner.settings.operation_timeout,
            );
            spec.target = Some("power".into());
            spec.disruptive = true;
            spec.postpone = true;
            let response = inner.accept(spec, reboot_work("complete OS updates".into()));
            if response.status >= 400 {
                tracing::warn!(answer = %response.payload, "could not schedule the reboot the updates need");
            }
        }
        let result = UpdatesInstallResult {
            installed_count: outcome.installed,
            reboot_required: outcome.reboot_required && !reboot_if_required,
        };
        Ok(Outcome::Done(serde_json::to_value(result).ok()))
    })
}
