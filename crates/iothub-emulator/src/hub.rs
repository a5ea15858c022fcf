//! The hub's shared state, and the registry as the device MQTT endpoint sees it.
//!
//! [`Hub`] ties the SQLite store (the source of truth, read afresh on every request) to the
//! live-session registry: every write runs in one transaction and only after it commits are its
//! side effects applied (sessions dropped, desired notifications sent). The same type implements
//! [`DeviceBackend`], so the MQTT layer authenticates devices and reads and writes twins through
//! exactly the rules the REST API uses.

use std::sync::Arc;
use std::time::Duration;

use iothub_model::{
    AuthenticationType, CloudToDeviceMethod, CloudToDeviceMethodResult, ConnectionState, ErrorCode,
    validate_method,
};
use serde_json::{Value, json};
use tokio::sync::Notify;

use crate::auth::{self, Audiences, Clock};
use crate::config::HubConfig;
use crate::connections::{Connections, MethodInvokeError};
use crate::error::EmulatorError;
use crate::identity::Identity;
use crate::mqtt::{ConnectAuth, ConnectRefusal, DeviceBackend, DeviceOpError};
use crate::query;
use crate::registry::{self, Effects, Now};
use crate::store::{IdentityRecord, Policy, Store, Tx};
use crate::twins;

/// The largest query page (`x-ms-max-item-count`).
pub const MAX_PAGE_SIZE: usize = 1000;

/// One page of a query result.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryPage {
    /// The rows of this page.
    pub items: Vec<Value>,
    /// The `x-ms-continuation` token for the next page; `None` on the last page.
    pub continuation: Option<String>,
    /// The `x-ms-item-type` of the rows.
    pub item_type: &'static str,
}

/// The emulator's shared state.
pub struct Hub {
    /// The configuration the hub was started with.
    config: HubConfig,
    /// The durable registry, twins, jobs and telemetry.
    store: Store,
    /// Live device sessions, for methods, notifications and forced disconnects.
    connections: Arc<Connections>,
    /// The host names tokens may be scoped to.
    audiences: Audiences,
    /// Wakes the jobs scheduler when a job is created or cancelled.
    pub(crate) jobs_changed: Notify,
    /// Wakes the configuration evaluation when a configuration is written or deleted.
    pub(crate) configurations_changed: Notify,
    /// Set when twins may carry marks of configurations that no longer exist (at start, and
    /// after a delete): with no configurations left, a pass is needed only then.
    pub(crate) configuration_marks_stale: std::sync::atomic::AtomicBool,
    /// The port HTTPS is served on (the storage host of file uploads).
    https_port: u16,
    /// The shared access policies, read once: they are written only when the store is created
    /// (no API changes them), and every REST call and CONNECT checks a token against them.
    policies: Vec<Policy>,
    /// Cloud-to-device messages queued for devices (received over device HTTPS).
    c2d: crate::c2d::CloudToDevice,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("hub_name", &self.config.hub_name)
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

fn op_error(e: &EmulatorError) -> DeviceOpError {
    let code = e.code();
    let message = match e {
        EmulatorError::Hub { message, .. } | EmulatorError::Method { message, .. } => {
            message.clone()
        }
        other => {
            tracing::error!(error = %other, "device operation failed");
            "internal error".to_string()
        }
    };
    DeviceOpError::new(code.http_status(), code.code(), message)
}

fn time_span(secs: u32) -> String {
    iothub_model::time::format_time_span(secs)
}

/// Maps a failed delivery to the hub's direct-method errors (envelope 2).
fn method_error(e: MethodInvokeError, connect_timeout_secs: u32) -> EmulatorError {
    let (code, message, info) = match e {
        MethodInvokeError::NotConnected => (
            ErrorCode::DeviceNotOnline,
            "Timed out waiting for device to connect.",
            json!({"timeout": time_span(connect_timeout_secs)}),
        ),
        MethodInvokeError::NotSubscribed => (
            ErrorCode::DeviceNotOnline,
            "Timed out waiting for device to subscribe.",
            json!({}),
        ),
        MethodInvokeError::Timeout => (
            ErrorCode::GatewayTimeout,
            "Timed out waiting for the response from device.",
            json!({}),
        ),
        MethodInvokeError::Disconnected => (
            ErrorCode::DeviceNotOnline,
            "The device disconnected before answering.",
            json!({}),
        ),
    };
    EmulatorError::Method {
        code,
        message: message.to_string(),
        info,
    }
}

/// An opaque continuation token: the next row's offset, bound to the query text so a token
/// cannot be replayed against another query.
fn continuation_token(query: &str, offset: usize) -> String {
    use base64::Engine;
    let token = format!("{offset}:{:016x}", fingerprint(query));
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token)
}

pub(crate) fn fingerprint(text: &str) -> u64 {
    // FNV-1a: stable across runs and releases, unlike std's hasher, so tokens survive restarts.
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The answer to a continuation token this hub did not issue for the query it comes with.
pub(crate) fn bad_continuation() -> EmulatorError {
    EmulatorError::hub(
        ErrorCode::ArgumentInvalid,
        "x-ms-continuation is not a continuation token issued for this query",
    )
}

fn parse_continuation(query: &str, token: &str) -> Result<usize, EmulatorError> {
    use base64::Engine;
    let bad = bad_continuation;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.trim())
        .map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    let (offset, print) = text.split_once(':').ok_or_else(bad)?;
    if print != format!("{:016x}", fingerprint(query)) {
        return Err(bad());
    }
    offset.parse().map_err(|_| bad())
}

/// Cuts one page out of a full result set.
pub fn page(
    key: &str,
    rows: Vec<Value>,
    continuation: Option<&str>,
    page_size: usize,
    item_type: &'static str,
) -> Result<QueryPage, EmulatorError> {
    let start = continuation
        .map(|t| parse_continuation(key, t))
        .transpose()?
        .unwrap_or(0);
    let end = start.saturating_add(page_size).min(rows.len());
    let more = end < rows.len();
    let items = rows
        .into_iter()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect();
    Ok(QueryPage {
        items,
        continuation: more.then(|| continuation_token(key, end)),
        item_type,
    })
}

impl Hub {
    /// Opens the store in `config.data_dir` and builds the hub around `connections`. `ports`
    /// are the ports the hub actually listens on, HTTPS first (accepted in token audiences as
    /// `localhost:{port}`).
    pub fn open(
        config: HubConfig,
        connections: Arc<Connections>,
        ports: &[u16],
    ) -> Result<Self, EmulatorError> {
        crate::files::validate_container_name(&config.upload_container)
            .map_err(EmulatorError::Config)?;
        let store = Store::open(&config.data_dir)?;
        let policies = store.policies()?;
        let audiences = Audiences::new(&config.hub_name, ports);
        let https_port = ports.first().copied().unwrap_or(443);
        Ok(Self {
            config,
            store,
            connections,
            audiences,
            jobs_changed: Notify::new(),
            configurations_changed: Notify::new(),
            configuration_marks_stale: std::sync::atomic::AtomicBool::new(true),
            https_port,
            policies,
            c2d: crate::c2d::CloudToDevice::default(),
        })
    }

    /// The cloud-to-device queues devices receive from.
    pub fn cloud_to_device(&self) -> &crate::c2d::CloudToDevice {
        &self.c2d
    }

    /// Queues a cloud-to-device message for `device_id` (the service side of C2D, which the
    /// real hub serves over AMQP only); returns its message id. The device must be registered.
    pub fn send_cloud_to_device(
        &self,
        device_id: &str,
        message: crate::c2d::OutgoingMessage,
    ) -> Result<String, EmulatorError> {
        if self.read(|tx| tx.identity(device_id, None))?.is_none() {
            return Err(EmulatorError::hub(
                ErrorCode::DeviceNotFound,
                format!("Device {device_id} is not registered."),
            ));
        }
        self.c2d.enqueue(device_id, message)
    }

    /// Records a device-to-cloud message `device_id` sent over HTTPS, as MQTT telemetry is
    /// recorded (same store, same activity bookkeeping).
    pub fn record_device_telemetry(
        &self,
        device_id: &str,
        properties: Vec<(String, Option<String>)>,
        body: &[u8],
    ) -> Result<(), EmulatorError> {
        let identity = Identity::device(device_id.to_string());
        self.store_telemetry(&identity, properties, body)
    }

    /// Keeps a device-to-cloud message (MQTT or HTTPS) and the sender's last activity.
    fn store_telemetry(
        &self,
        identity: &Identity,
        properties: Vec<(String, Option<String>)>,
        body: &[u8],
    ) -> Result<(), EmulatorError> {
        let props = Value::Array(properties.into_iter().map(|(k, v)| json!([k, v])).collect());
        self.record_activity(|tx, now| {
            tx.add_telemetry(
                &identity.device_id,
                identity.module_id.as_deref(),
                &now.timestamp,
                &props,
                body,
            )?;
            if let Some(mut record) =
                tx.identity(&identity.device_id, identity.module_id.as_deref())?
            {
                if let Some(doc) = record.registry.as_object_mut() {
                    doc.insert(
                        "lastActivityTime".into(),
                        Value::from(now.timestamp.clone()),
                    );
                }
                tx.put_identity(&identity.device_id, identity.module_id.as_deref(), &record)?;
            }
            Ok(())
        })
    }

    /// The configuration.
    pub fn config(&self) -> &HubConfig {
        &self.config
    }

    /// The port HTTPS (REST, WebSocket, blob storage) is served on.
    pub fn https_port(&self) -> u16 {
        self.https_port
    }

    /// The shared access policies.
    pub fn policies(&self) -> &[Policy] {
        &self.policies
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The live-session registry.
    pub fn connections(&self) -> &Arc<Connections> {
        &self.connections
    }

    /// The accepted token audiences.
    pub(crate) fn audiences(&self) -> &Audiences {
        &self.audiences
    }

    /// The clock used for token expiry.
    pub(crate) fn clock(&self) -> Clock {
        Clock {
            now_unix: iothub_auth::unix_now(),
            skew_secs: self.config.clock_skew_secs,
        }
    }

    /// Runs `f` in one transaction and applies its effects once it has committed.
    pub fn transact<T>(
        &self,
        f: impl FnOnce(&Tx<'_>, &Now) -> Result<(T, Effects), EmulatorError>,
    ) -> Result<T, EmulatorError> {
        let now = Now::current();
        let (value, effects) = self.store.with_tx(|tx| f(tx, &now))?;
        self.apply(&effects);
        Ok(value)
    }

    /// Runs a read-only `f` in one transaction.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, EmulatorError>,
    ) -> Result<T, EmulatorError> {
        self.store.with_read_tx(f)
    }

    fn apply(&self, effects: &Effects) {
        for device in &effects.disconnect_devices {
            self.connections.disconnect_device(device);
        }
        for identity in &effects.disconnect {
            self.connections.disconnect(identity);
        }
        for (identity, version, body) in &effects.notify {
            self.connections.notify_desired(identity, *version, body);
        }
    }

    /// Checks that a method target exists and is enabled (a disabled device is "not found" for
    /// methods, as on the real hub).
    pub fn check_method_target(&self, identity: &Identity) -> Result<(), EmulatorError> {
        self.read(|tx| {
            let device = registry::load(tx, &Identity::device(identity.device_id.clone()))?;
            if !registry::is_enabled(&device)? {
                return Err(EmulatorError::hub(
                    ErrorCode::DeviceNotFound,
                    format!("The device {} is disabled.", identity.device_id),
                ));
            }
            match identity.module_id {
                Some(_) => registry::load(tx, identity).map(|_| ()),
                None => Ok(()),
            }
        })
    }

    /// Whether a method call to `identity` may skip [`Hub::check_method_target`]: a live
    /// session proves the identity exists and is enabled (deleting or disabling a device ends
    /// its sessions and its modules' first).
    pub fn method_target_is_live(&self, identity: &Identity) -> bool {
        self.connections.is_connected(identity)
    }

    /// Invokes a direct method (`POST /twins/{id}[/modules/{mid}]/methods`). The target must
    /// have been checked with [`Hub::check_method_target`] (that part touches the store, so the
    /// REST layer runs it off the async runtime).
    pub async fn invoke_method(
        &self,
        identity: &Identity,
        method: &CloudToDeviceMethod,
    ) -> Result<CloudToDeviceMethodResult, EmulatorError> {
        validate_method(method).map_err(|e| EmulatorError::hub(e.error_code(), e.to_string()))?;
        let connect = method.connect_timeout_secs();
        let response = method.response_timeout_secs();
        let (status, payload) = self
            .connections
            .invoke_method(
                identity,
                &method.method_name,
                &method.payload,
                Duration::from_secs(u64::from(connect)),
                Duration::from_secs(u64::from(response)),
            )
            .await
            .map_err(|e| method_error(e, connect))?;
        Ok(CloudToDeviceMethodResult { status, payload })
    }

    /// Runs a query (`POST /devices/query`) and returns the page after `continuation`.
    pub fn query(
        &self,
        text: &str,
        continuation: Option<&str>,
        page_size: usize,
    ) -> Result<QueryPage, EmulatorError> {
        let parsed = query::parse(text)
            .map_err(|e| EmulatorError::hub(ErrorCode::ArgumentInvalid, e.to_string()))?;
        self.read(|tx| crate::query_pages::run(tx, text, &parsed, continuation, page_size))
    }

    /// The number of connected devices (modules not counted), for `/statistics/service`.
    pub fn connected_device_count(&self) -> Result<u64, EmulatorError> {
        let devices = self.read(|tx| tx.identities(false))?;
        Ok(devices
            .iter()
            .filter(|(d, _, _)| self.connections.is_connected(&Identity::device(d.clone())))
            .count() as u64)
    }

    /// Runs an activity write (see [`Store::with_relaxed_tx`]); such writes have no effects to
    /// apply.
    fn record_activity(
        &self,
        f: impl FnOnce(&Tx<'_>, &Now) -> Result<(), EmulatorError>,
    ) -> Result<(), EmulatorError> {
        let now = Now::current();
        self.store.with_relaxed_tx(|tx| f(tx, &now))
    }

    fn update_activity(
        &self,
        identity: &Identity,
        f: impl FnOnce(&mut serde_json::Map<String, Value>, &Now),
    ) -> Result<(), EmulatorError> {
        self.record_activity(|tx, now| {
            if let Some(mut record) =
                tx.identity(&identity.device_id, identity.module_id.as_deref())?
            {
                if let Some(doc) = record.registry.as_object_mut() {
                    f(doc, now);
                }
                tx.put_identity(&identity.device_id, identity.module_id.as_deref(), &record)?;
            }
            Ok(())
        })
    }

    fn x509_matches(record: &IdentityRecord, cert_der: &[u8], module: bool) -> bool {
        let auth = if module {
            registry::module_of(record)
                .ok()
                .and_then(|m| m.authentication)
        } else {
            registry::device_of(record)
                .ok()
                .and_then(|d| d.authentication)
        };
        let Some(auth) = auth else { return false };
        if auth.type_ != Some(AuthenticationType::SelfSigned) {
            return false;
        }
        let thumbs = auth.x509_thumbprint.unwrap_or_default();
        let sha1 = crate::tls::thumbprint_sha1(cert_der);
        let sha256 = crate::tls::thumbprint_sha256(cert_der);
        [thumbs.primary_thumbprint, thumbs.secondary_thumbprint]
            .into_iter()
            .flatten()
            .any(|t| t.eq_ignore_ascii_case(&sha1) || t.eq_ignore_ascii_case(&sha256))
    }
}

/// An identity's symmetric keys (primary, secondary), when it authenticates with SAS.
fn sas_keys(record: &IdentityRecord, module: bool) -> Option<(String, String)> {
    let authentication = if module {
        registry::module_of(record)
            .ok()
            .and_then(|m| m.authentication)
    } else {
        registry::device_of(record)
            .ok()
            .and_then(|d| d.authentication)
    };
    authentication
        .filter(|a| a.type_.is_none_or(|t| t == AuthenticationType::Sas))
        .and_then(|a| a.symmetric_key)
        .map(|k| {
            (
                k.primary_key.unwrap_or_default(),
                k.secondary_key.unwrap_or_default(),
            )
        })
}

impl Hub {
    /// Checks the credential of a device-facing REST request (file upload) made by
    /// `device_id`: the `Authorization` SAS token under the same rules as an MQTT CONNECT, or,
    /// without one, the client certificate of the TLS handshake against the device's X.509
    /// thumbprints. Refusals are answered as the hub answers HTTPS devices (401
    /// `IotHubUnauthorizedAccess`, without saying which check failed, so a caller cannot probe
    /// for registered ids).
    pub fn authorize_device_request(
        &self,
        device_id: &str,
        authorization: Option<&str>,
        client_certificate: Option<&[u8]>,
    ) -> Result<(), EmulatorError> {
        let refused = || {
            EmulatorError::hub(
                ErrorCode::IotHubUnauthorizedAccess,
                format!(
                    "Unauthorized: the request needs a valid, unexpired SAS token of device {device_id} (signed with its key, or by a policy granting DeviceConnect)."
                ),
            )
        };
        let identity = Identity::device(device_id.to_string());
        let record = self.read(|tx| tx.identity(device_id, None))?;
        let Some(record) = record else {
            tracing::debug!(%identity, "device request refused: identity not registered");
            return Err(refused());
        };
        let Some(header) = authorization else {
            return match client_certificate {
                Some(cert) if Self::x509_matches(&record, cert, false) => Ok(()),
                _ => Err(refused()),
            };
        };
        let keys = sas_keys(&record, false);
        let key_refs = keys.as_ref().map(|(p, s)| [p.as_str(), s.as_str()]);
        auth::authenticate_device_token(
            header,
            &identity,
            key_refs,
            &self.policies,
            &self.audiences,
            self.clock(),
        )
        .map(drop)
        .map_err(|_| refused())
    }
}

impl DeviceBackend for Hub {
    fn authenticate(
        &self,
        identity: &Identity,
        auth: &ConnectAuth,
    ) -> Result<Option<u64>, ConnectRefusal> {
        if !self.audiences.accepts_host(&auth.hub_host) {
            tracing::debug!(
                %identity,
                host = %crate::logsafe::Escaped(&auth.hub_host),
                "CONNECT refused: unknown hub host"
            );
            return Err(ConnectRefusal::NotAuthorized);
        }
        let loaded = self.read(|tx| {
            let device = tx.identity(&identity.device_id, None)?;
            let record = match &identity.module_id {
                None => device.clone(),
                Some(m) => tx.identity(&identity.device_id, Some(m))?,
            };
            Ok((device, record))
        });
        let policies = &self.policies;
        let (device, record) = match loaded {
            Ok((Some(device), Some(record))) => (device, record),
            Ok(_) => {
                tracing::debug!(%identity, "CONNECT refused: identity not registered");
                return Err(ConnectRefusal::NotAuthorized);
            }
            Err(e) => {
                tracing::error!(%identity, error = %e, "CONNECT failed: store error");
                return Err(ConnectRefusal::ServerUnavailable);
            }
        };
        let module = identity.module_id.is_some();
        let password = auth.password.as_deref().filter(|p| !p.is_empty());
        let expires = match (password, &auth.client_cert_der) {
            (Some(password), _) => {
                let keys = sas_keys(&record, module);
                let key_refs = keys.as_ref().map(|(p, s)| [p.as_str(), s.as_str()]);
                Some(auth::authenticate_device_token(
                    password,
                    identity,
                    key_refs,
                    policies,
                    &self.audiences,
                    self.clock(),
                )?)
            }
            (None, Some(cert)) => {
                if !Self::x509_matches(&record, cert, module) {
                    tracing::debug!(%identity, "CONNECT refused: certificate thumbprint does not match");
                    return Err(ConnectRefusal::NotAuthorized);
                }
                None
            }
            (None, None) => return Err(ConnectRefusal::BadUsernameOrPassword),
        };
        match registry::is_enabled(&device) {
            Ok(true) => Ok(expires),
            Ok(false) => Err(ConnectRefusal::ServerUnavailable),
            Err(e) => {
                tracing::error!(%identity, error = %e, "CONNECT failed: unreadable device record");
                Err(ConnectRefusal::ServerUnavailable)
            }
        }
    }

    fn get_twin(&self, identity: &Identity) -> Result<Value, DeviceOpError> {
        self.read(|tx| registry::load(tx, identity))
            .map(|record| twins::device_view(&record.twin))
            .map_err(|e| op_error(&e))
    }

    fn patch_reported(&self, identity: &Identity, patch: &Value) -> Result<u64, DeviceOpError> {
        self.transact(|tx, now| {
            let mut record = registry::load(tx, identity)?;
            let version = twins::patch_reported(&mut record.twin, patch, &now.timestamp)?;
            if let Some(doc) = record.registry.as_object_mut() {
                doc.insert(
                    "lastActivityTime".into(),
                    Value::from(now.timestamp.clone()),
                );
            }
            tx.put_identity(&identity.device_id, identity.module_id.as_deref(), &record)?;
            Ok((version, Effects::default()))
        })
        .map_err(|e| op_error(&e))
    }

    fn connection_changed(&self, identity: &Identity, connected: bool) {
        let state = if connected {
            ConnectionState::Connected
        } else {
            ConnectionState::Disconnected
        };
        let result = self.update_activity(identity, |doc, now| {
            doc.insert(
                "connectionState".into(),
                serde_json::to_value(state).unwrap_or(Value::Null),
            );
            doc.insert(
                "connectionStateUpdatedTime".into(),
                Value::from(now.timestamp.clone()),
            );
            doc.insert(
                "lastActivityTime".into(),
                Value::from(now.timestamp.clone()),
            );
        });
        if let Err(e) = result {
            tracing::error!(%identity, connected, error = %e, "could not record connection state");
        }
    }

    fn telemetry(
        &self,
        identity: &Identity,
        properties: Vec<(String, Option<String>)>,
        body: &[u8],
    ) -> Result<(), DeviceOpError> {
        self.store_telemetry(identity, properties, body)
            .map_err(|e| op_error(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_carry_a_token_until_the_last_one() {
        let rows: Vec<Value> = (0..5).map(Value::from).collect();
        let first = page("q", rows.clone(), None, 2, "twin").unwrap();
        assert_eq!(first.items, vec![json!(0), json!(1)]);
        let token = first.continuation.unwrap();
        let second = page("q", rows.clone(), Some(&token), 2, "twin").unwrap();
        assert_eq!(second.items, vec![json!(2), json!(3)]);
        let last = page("q", rows.clone(), second.continuation.as_deref(), 2, "twin").unwrap();
        assert_eq!(last.items, vec![json!(4)]);
        assert_eq!(last.continuation, None);
        let err = page("another query", rows, Some(&token), 2, "twin").unwrap_err();
        assert_eq!(err.code(), ErrorCode::ArgumentInvalid);
    }

    #[test]
    fn method_failures_use_the_hub_messages() {
        let err = method_error(MethodInvokeError::NotConnected, 10);
        let EmulatorError::Method {
            code,
            message,
            info,
        } = err
        else {
            panic!("not a method error");
        };
        assert_eq!(code, ErrorCode::DeviceNotOnline);
        assert_eq!(message, "Timed out waiting for device to connect.");
        assert_eq!(info, json!({"timeout": "00:00:10"}));
        assert_eq!(
            method_error(MethodInvokeError::Timeout, 0).code(),
            ErrorCode::GatewayTimeout
        );
    }
}
