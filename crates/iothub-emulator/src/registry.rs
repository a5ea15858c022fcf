//! The identity registry: devices and modules, their credentials, and the wire documents the
//! service API returns for them and their twins.
//!
//! Every function works inside one store transaction and returns the side effects the caller
//! must apply after the commit (dropping live sessions, sending desired notifications), so a
//! refused request never disconnects anyone and a notification never announces a change that
//! was rolled back. Nothing here needs a running server: `dmctl hub connection-string --create`
//! registers devices through the same code.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use iothub_model::{
    Authentication, AuthenticationType, BulkRegistryOperationResult, ConnectionState, Device,
    DeviceRegistryOperationError, DeviceStatus, ErrorCode, ExportImportDevice, ImportMode, Module,
    RegistryStatistics, SymmetricKey, X509Thumbprint, ZERO_TIME, device_etag_from_version,
    validate_device_id, validate_module_id,
};
use serde_json::{Map, Value};

use crate::error::EmulatorError;
use crate::identity::Identity;
use crate::store::{IdentityRecord, Tx};
use crate::twins::{self, ServiceTwinWrite};

/// Shortest and longest decoded symmetric key the hub accepts, in bytes.
const KEY_BYTES: std::ops::RangeInclusive<usize> = 16..=64;
/// Longest `statusReason`.
const MAX_STATUS_REASON: usize = 128;
/// `GET /devices?top=` bounds; out-of-range values mean the maximum.
pub const MAX_LIST_TOP: usize = 1000;

/// The moment an operation happens, in the two forms the hub uses.
#[derive(Debug, Clone)]
pub struct Now {
    /// Nanoseconds since the Unix epoch.
    pub unix_nanos: i128,
    /// The hub's timestamp format (`2026-01-01T00:00:00.0000000Z`).
    pub timestamp: String,
}

impl Now {
    /// The current wall-clock time.
    pub fn current() -> Self {
        Self::at(iothub_model::time::unix_nanos(std::time::SystemTime::now()))
    }

    /// A given instant.
    pub fn at(unix_nanos: i128) -> Self {
        Self {
            unix_nanos,
            timestamp: iothub_model::format_timestamp(unix_nanos),
        }
    }

    /// A generation id in the style of the hub's (.NET ticks), distinct for identities created
    /// at different instants.
    fn generation_id(&self) -> String {
        const TICKS_AT_UNIX_EPOCH: i128 = 621_355_968_000_000_000;
        (self.unix_nanos / 100 + TICKS_AT_UNIX_EPOCH).to_string()
    }
}

/// What must happen once the transaction has committed.
#[derive(Debug, Default)]
#[must_use]
pub struct Effects {
    /// Identities whose live session must be dropped (keys changed, module deleted).
    pub disconnect: Vec<Identity>,
    /// Devices whose sessions, including their modules', must be dropped (deleted, disabled).
    pub disconnect_devices: Vec<String>,
    /// Desired-property notifications: identity, new `$version`, body.
    pub notify: Vec<(Identity, u64, Value)>,
}

impl Effects {
    pub(crate) fn merge(&mut self, other: Effects) {
        self.disconnect.extend(other.disconnect);
        self.disconnect_devices.extend(other.disconnect_devices);
        self.notify.extend(other.notify);
    }
}

/// An `If-Match` precondition, with the quotes clients send stripped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    /// `*` or `"*"`: unconditional.
    Any,
    /// A specific etag.
    Etag(String),
}

impl IfMatch {
    /// Parses a header value; an empty value is treated as absent.
    pub fn parse(header: &str) -> Option<Self> {
        let trimmed = header.trim();
        let unquoted = trimmed
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(trimmed);
        match unquoted {
            "" => None,
            "*" => Some(Self::Any),
            etag => Some(Self::Etag(etag.to_string())),
        }
    }

    pub(crate) fn check(&self, what: &str, current: &str) -> Result<(), EmulatorError> {
        match self {
            Self::Etag(given) if given != current => Err(EmulatorError::hub(
                ErrorCode::PreconditionFailed,
                format!(
                    "Precondition failed: {what} etag \"{given}\" does not match the current etag \"{current}\""
                ),
            )),
            _ => Ok(()),
        }
    }
}

fn corrupt(e: impl std::fmt::Display) -> EmulatorError {
    EmulatorError::Corrupt(e.to_string())
}

fn invalid(message: impl Into<String>) -> EmulatorError {
    EmulatorError::hub(ErrorCode::ArgumentInvalid, message)
}

fn id_error(e: &iothub_model::ModelError) -> EmulatorError {
    EmulatorError::hub(e.error_code(), e.to_string())
}

/// The registry document of a device record.
pub fn device_of(record: &IdentityRecord) -> Result<Device, EmulatorError> {
    serde_json::from_value(record.registry.clone()).map_err(corrupt)
}

/// The registry document of a module record.
pub fn module_of(record: &IdentityRecord) -> Result<Module, EmulatorError> {
    serde_json::from_value(record.registry.clone()).map_err(corrupt)
}

fn to_registry(doc: &impl serde::Serialize) -> Result<Value, EmulatorError> {
    serde_json::to_value(doc).map_err(corrupt)
}

/// Fills in the members the hub always sends, even as `null`, that the model types omit.
fn complete_wire(doc: &mut Value) {
    if let Some(auth) = doc.get_mut("authentication").and_then(Value::as_object_mut) {
        let thumbs = auth
            .entry("x509Thumbprint")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(thumbs) = thumbs.as_object_mut() {
            thumbs.entry("primaryThumbprint").or_insert(Value::Null);
            thumbs.entry("secondaryThumbprint").or_insert(Value::Null);
        }
        if let Some(keys) = auth.get_mut("symmetricKey").and_then(Value::as_object_mut) {
            keys.entry("primaryKey").or_insert(Value::Null);
            keys.entry("secondaryKey").or_insert(Value::Null);
        }
    }
}

/// A device or module as `GET /devices/{id}[/modules/{mid}]` returns it, and its etag.
pub fn identity_wire(record: &IdentityRecord) -> (Value, String) {
    let etag = device_etag_from_version(record.registry_version);
    let mut doc = record.registry.clone();
    if let Some(map) = doc.as_object_mut() {
        // `etag` goes where the hub puts it: after the ids.
        let mut out = Map::new();
        for (k, v) in std::mem::take(map) {
            let after = k == "generationId";
            out.insert(k, v);
            if after {
                out.insert("etag".into(), Value::from(etag.clone()));
            }
        }
        out.entry("etag")
            .or_insert_with(|| Value::from(etag.clone()));
        out.entry("statusReason").or_insert(Value::Null);
        if out.contains_key("moduleId") {
            out.shift_remove("statusReason");
        }
        *map = out;
    }
    complete_wire(&mut doc);
    (doc, etag)
}

/// The service view of a device or module twin (`GET /twins/...`, query rows).
pub fn twin_wire(identity: &Identity, record: &IdentityRecord) -> Result<Value, EmulatorError> {
    let mut out = Map::new();
    out.insert("deviceId".into(), Value::from(identity.device_id.clone()));
    let parts = twins::service_parts(&record.twin);
    let get = |k: &str| parts.get(k).cloned().unwrap_or(Value::Null);
    let device = match identity.module_id {
        Some(_) => None,
        None => Some(device_of(record)?),
    };
    let (auth, connection, last_activity, c2d) = if let Some(m) = &identity.module_id {
        out.insert("moduleId".into(), Value::from(m.clone()));
        let module = module_of(record)?;
        out.insert("etag".into(), get("etag"));
        out.insert(
            "deviceEtag".into(),
            Value::from(device_etag_from_version(record.registry_version)),
        );
        out.insert("status".into(), Value::from("enabled"));
        out.insert("statusUpdateTime".into(), Value::from(ZERO_TIME));
        (
            module.authentication,
            module.connection_state,
            module.last_activity_time,
            module.cloud_to_device_message_count,
        )
    } else if let Some(device) = &device {
        out.insert("etag".into(), get("etag"));
        out.insert(
            "deviceEtag".into(),
            Value::from(device_etag_from_version(record.registry_version)),
        );
        out.insert(
            "status".into(),
            to_registry(&device.status.unwrap_or(DeviceStatus::Enabled))?,
        );
        if let Some(reason) = &device.status_reason {
            out.insert("statusReason".into(), Value::from(reason.clone()));
        }
        out.insert(
            "statusUpdateTime".into(),
            Value::from(
                device
                    .status_updated_time
                    .clone()
                    .unwrap_or_else(|| ZERO_TIME.into()),
            ),
        );
        (
            device.authentication.clone(),
            device.connection_state,
            device.last_activity_time.clone(),
            device.cloud_to_device_message_count,
        )
    } else {
        (None, None, None, None)
    };
    out.insert(
        "connectionState".into(),
        to_registry(&connection.unwrap_or(ConnectionState::Disconnected))?,
    );
    out.insert(
        "lastActivityTime".into(),
        Value::from(last_activity.unwrap_or_else(|| ZERO_TIME.into())),
    );
    out.insert(
        "cloudToDeviceMessageCount".into(),
        Value::from(c2d.unwrap_or(0)),
    );
    let auth = auth.unwrap_or_default();
    out.insert(
        "authenticationType".into(),
        to_registry(&auth.type_.unwrap_or(AuthenticationType::Sas))?,
    );
    let thumbs = auth.x509_thumbprint.unwrap_or_default();
    let mut t = Map::new();
    t.insert(
        "primaryThumbprint".into(),
        thumbs.primary_thumbprint.map_or(Value::Null, Value::from),
    );
    t.insert(
        "secondaryThumbprint".into(),
        thumbs.secondary_thumbprint.map_or(Value::Null, Value::from),
    );
    out.insert("x509Thumbprint".into(), Value::Object(t));
    out.insert("modelId".into(), Value::from(""));
    out.insert("version".into(), get("version"));
    out.insert("tags".into(), get("tags"));
    out.insert("properties".into(), get("properties"));
    if !record.twin.configurations.is_empty() {
        out.insert(
            "configurations".into(),
            Value::Object(record.twin.configurations.clone()),
        );
    }
    if let Some(device) = device {
        out.insert(
            "capabilities".into(),
            to_registry(&device.capabilities.unwrap_or_default())?,
        );
        if let Some(scope) = device.device_scope {
            out.insert("deviceScope".into(), Value::from(scope));
        }
        if let Some(parents) = device.parent_scopes {
            out.insert("parentScopes".into(), to_registry(&parents)?);
        }
    }
    Ok(Value::Object(out))
}

fn check_key(field: &str, key: &str) -> Result<(), EmulatorError> {
    let bytes = STANDARD
        .decode(key)
        .map_err(|_| invalid(format!("{field} is not valid base64")))?;
    if !KEY_BYTES.contains(&bytes.len()) {
        return Err(invalid(format!(
            "{field} decodes to {} bytes; keys must be {} to {} bytes long",
            bytes.len(),
            KEY_BYTES.start(),
            KEY_BYTES.end()
        )));
    }
    Ok(())
}

fn check_thumbprint(field: &str, thumb: &str) -> Result<(), EmulatorError> {
    let ok = matches!(thumb.len(), 40 | 64) && thumb.chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "{field} must be a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint"
        )))
    }
}

fn non_empty(s: Option<&String>) -> Option<String> {
    s.filter(|k| !k.trim().is_empty()).cloned()
}

/// Resolves the credentials of a create (`existing = None`) or update: missing or empty keys
/// are generated on create and kept on update; given keys and thumbprints are validated.
pub fn resolve_authentication(
    given: Option<&Authentication>,
    existing: Option<&Authentication>,
) -> Result<Authentication, EmulatorError> {
    let given_thumbs = given.and_then(|a| a.x509_thumbprint.as_ref());
    let kind = given
        .and_then(|a| a.type_)
        .or_else(|| {
            given_thumbs
                .and_then(|t| non_empty(t.primary_thumbprint.as_ref()))
                .map(|_| AuthenticationType::SelfSigned)
        })
        .or_else(|| given.and(existing).and_then(|a| a.type_))
        .or_else(|| existing.and_then(|a| a.type_))
        .unwrap_or(AuthenticationType::Sas);
    match kind {
        AuthenticationType::Sas => {
            let given_keys = given.and_then(|a| a.symmetric_key.as_ref());
            let old_keys = existing
                .filter(|a| a.type_ == Some(AuthenticationType::Sas))
                .and_then(|a| a.symmetric_key.as_ref());
            let pick = |field: &str,
                        new: Option<&String>,
                        old: Option<&String>|
             -> Result<String, EmulatorError> {
                if let Some(key) = non_empty(new) {
                    check_key(field, &key)?;
                    return Ok(key);
                }
                Ok(non_empty(old)
                    .unwrap_or_else(|| iothub_auth::SharedAccessKey::generate().to_base64()))
            };
            let primary = pick(
                "authentication.symmetricKey.primaryKey",
                given_keys.and_then(|k| k.primary_key.as_ref()),
                old_keys.and_then(|k| k.primary_key.as_ref()),
            )?;
            let secondary = pick(
                "authentication.symmetricKey.secondaryKey",
                given_keys.and_then(|k| k.secondary_key.as_ref()),
                old_keys.and_then(|k| k.secondary_key.as_ref()),
            )?;
            Ok(Authentication {
                symmetric_key: Some(SymmetricKey {
                    primary_key: Some(primary),
                    secondary_key: Some(secondary),
                }),
                x509_thumbprint: Some(X509Thumbprint::default()),
                type_: Some(AuthenticationType::Sas),
            })
        }
        AuthenticationType::SelfSigned => {
            let thumbs = given_thumbs
                .cloned()
                .filter(|t| non_empty(t.primary_thumbprint.as_ref()).is_some())
                .or_else(|| existing.and_then(|a| a.x509_thumbprint.clone()))
                .unwrap_or_default();
            let primary = non_empty(thumbs.primary_thumbprint.as_ref()).ok_or_else(|| {
                EmulatorError::hub(
                    ErrorCode::ArgumentNull,
                    "authentication.x509Thumbprint.primaryThumbprint is required for selfSigned authentication",
                )
            })?;
            check_thumbprint("authentication.x509Thumbprint.primaryThumbprint", &primary)?;
            let secondary = non_empty(thumbs.secondary_thumbprint.as_ref());
            if let Some(s) = &secondary {
                check_thumbprint("authentication.x509Thumbprint.secondaryThumbprint", s)?;
            }
            Ok(Authentication {
                symmetric_key: Some(SymmetricKey::default()),
                x509_thumbprint: Some(X509Thumbprint {
                    primary_thumbprint: Some(primary),
                    secondary_thumbprint: secondary,
                }),
                type_: Some(AuthenticationType::SelfSigned),
            })
        }
        other => Ok(Authentication {
            symmetric_key: Some(SymmetricKey::default()),
            x509_thumbprint: Some(X509Thumbprint::default()),
            type_: Some(other),
        }),
    }
}

fn check_status_reason(reason: Option<&String>) -> Result<(), EmulatorError> {
    match reason {
        Some(r) if r.chars().count() > MAX_STATUS_REASON => Err(invalid(format!(
            "statusReason is {} characters long (limit {MAX_STATUS_REASON})",
            r.chars().count()
        ))),
        _ => Ok(()),
    }
}

fn check_body_id(field: &str, in_body: &str, in_path: &str) -> Result<(), EmulatorError> {
    if in_body.is_empty() || in_body == in_path {
        Ok(())
    } else {
        Err(invalid(format!(
            "{field} '{in_body}' in the body does not match '{in_path}' in the request path"
        )))
    }
}

fn device_not_found(id: &str) -> EmulatorError {
    EmulatorError::hub(ErrorCode::DeviceNotFound, id.to_string())
}

fn module_not_found(device_id: &str, module_id: &str) -> EmulatorError {
    EmulatorError::hub(
        ErrorCode::ModuleNotFound,
        format!("Module '{module_id}' is not registered on device '{device_id}'."),
    )
}

/// Loads an identity or fails with `DeviceNotFound` / `ModuleNotFound`.
pub fn load(tx: &Tx<'_>, identity: &Identity) -> Result<IdentityRecord, EmulatorError> {
    match &identity.module_id {
        None => tx
            .identity(&identity.device_id, None)?
            .ok_or_else(|| device_not_found(&identity.device_id)),
        Some(m) => {
            if tx.identity(&identity.device_id, None)?.is_none() {
                return Err(device_not_found(&identity.device_id));
            }
            tx.identity(&identity.device_id, Some(m))?
                .ok_or_else(|| module_not_found(&identity.device_id, m))
        }
    }
}

/// Whether a device record is enabled.
pub fn is_enabled(record: &IdentityRecord) -> Result<bool, EmulatorError> {
    Ok(device_of(record)?.status != Some(DeviceStatus::Disabled))
}

/// Creates (`if_match = None`) or updates a device, as `PUT /devices/{id}` does.
pub fn put_device(
    tx: &Tx<'_>,
    id: &str,
    body: &Device,
    if_match: Option<&IfMatch>,
    now: &Now,
) -> Result<(IdentityRecord, Effects), EmulatorError> {
    validate_device_id(id).map_err(|e| id_error(&e))?;
    check_body_id("deviceId", &body.device_id, id)?;
    check_status_reason(body.status_reason.as_ref())?;
    let existing = tx.identity(id, None)?;
    let mut effects = Effects::default();
    let record = match (existing, if_match) {
        (Some(_), None) => {
            return Err(EmulatorError::hub(
                ErrorCode::DeviceAlreadyExists,
                format!("A device with ID '{id}' is already registered."),
            ));
        }
        (None, Some(_)) => return Err(device_not_found(id)),
        (None, None) => {
            let mut device = Device {
                device_id: id.to_string(),
                generation_id: Some(now.generation_id()),
                etag: None,
                connection_state: Some(ConnectionState::Disconnected),
                status: Some(body.status.unwrap_or(DeviceStatus::Enabled)),
                status_reason: body.status_reason.clone(),
                connection_state_updated_time: Some(ZERO_TIME.into()),
                status_updated_time: Some(ZERO_TIME.into()),
                last_activity_time: Some(ZERO_TIME.into()),
                cloud_to_device_message_count: Some(0),
                authentication: Some(resolve_authentication(body.authentication.as_ref(), None)?),
                capabilities: Some(body.capabilities.unwrap_or_default()),
                device_scope: None,
                parent_scopes: None,
                model_id: Some(body.model_id.clone().unwrap_or_default()),
            };
            apply_scopes(&mut device, body);
            IdentityRecord {
                registry: to_registry(&device)?,
                registry_version: 0,
                twin: twins::new_twin(&now.timestamp),
            }
        }
        (Some(mut record), Some(precondition)) => {
            let current = device_etag_from_version(record.registry_version);
            precondition.check("device", &current)?;
            let mut device = device_of(&record)?;
            let auth = resolve_authentication(
                body.authentication.as_ref(),
                device.authentication.as_ref(),
            )?;
            if Some(&auth) != device.authentication.as_ref() {
                effects.disconnect.push(Identity::device(id));
            }
            let status = body
                .status
                .or(device.status)
                .unwrap_or(DeviceStatus::Enabled);
            if Some(status) != device.status {
                device.status_updated_time = Some(now.timestamp.clone());
                if status == DeviceStatus::Disabled {
                    effects.disconnect_devices.push(id.to_string());
                }
            }
            device.status = Some(status);
            device.status_reason.clone_from(&body.status_reason);
            device.authentication = Some(auth);
            if let Some(c) = body.capabilities {
                device.capabilities = Some(c);
            }
            apply_scopes(&mut device, body);
            record.registry = to_registry(&device)?;
            record.registry_version = record.registry_version.saturating_add(1);
            record
        }
    };
    tx.put_identity(id, None, &record)?;
    if device_of(&record)?.capabilities.is_some_and(|c| c.iot_edge) {
        add_edge_system_modules(tx, id, now)?;
    }
    Ok((record, effects))
}

/// The modules every IoT Edge device has from the start; the edge runtime connects as them.
pub const EDGE_SYSTEM_MODULES: [&str; 2] = ["$edgeAgent", "$edgeHub"];

/// Registers `$edgeAgent` and `$edgeHub` on an edge device that lacks them. Their ids start
/// with `$`, which clients may not use, so they bypass [`put_module`]'s id check.
fn add_edge_system_modules(tx: &Tx<'_>, device_id: &str, now: &Now) -> Result<(), EmulatorError> {
    for module_id in EDGE_SYSTEM_MODULES {
        if tx.identity(device_id, Some(module_id))?.is_some() {
            continue;
        }
        let module = Module {
            module_id: module_id.to_string(),
            managed_by: None,
            device_id: device_id.to_string(),
            generation_id: Some(now.generation_id()),
            etag: None,
            connection_state: Some(ConnectionState::Disconnected),
            connection_state_updated_time: Some(ZERO_TIME.into()),
            last_activity_time: Some(ZERO_TIME.into()),
            cloud_to_device_message_count: Some(0),
            authentication: Some(resolve_authentication(None, None)?),
        };
        let record = IdentityRecord {
            registry: to_registry(&module)?,
            registry_version: 0,
            twin: twins::new_twin(&now.timestamp),
        };
        tx.put_identity(device_id, Some(module_id), &record)?;
    }
    Ok(())
}

/// The scope the hub gives an edge device: `ms-azure-iot-edge://{deviceId}-{generationId}`.
fn edge_scope(device: &Device) -> String {
    format!(
        "ms-azure-iot-edge://{}-{}",
        device.device_id,
        device.generation_id.as_deref().unwrap_or_default()
    )
}

/// Sets `deviceScope`/`parentScopes` from a create or update body as the hub does (§H.3).
///
/// An edge device owns a hub-generated scope that never changes (a body's value is ignored, as
/// clients such as az send back the whole device they read) and lists its parent in
/// `parentScopes` (`[]` when it has none). A leaf device has no scope of its own: setting its
/// `deviceScope` to an edge device's scope makes that device its parent, so `parentScopes`
/// becomes `[deviceScope]`; `""` removes the parent and both fields disappear.
fn apply_scopes(device: &mut Device, body: &Device) {
    let is_edge = device.capabilities.is_some_and(|c| c.iot_edge);
    if is_edge {
        let own = match &device.device_scope {
            Some(scope) if scope.starts_with("ms-azure-iot-edge://") => scope.clone(),
            _ => edge_scope(device),
        };
        device.device_scope = Some(own);
        if let Some(parents) = &body.parent_scopes {
            device.parent_scopes = Some(
                parents
                    .iter()
                    .filter(|scope| !scope.is_empty())
                    .cloned()
                    .collect(),
            );
        } else if device.parent_scopes.is_none() {
            device.parent_scopes = Some(Vec::new());
        }
        return;
    }
    if device
        .device_scope
        .as_deref()
        .is_some_and(|scope| scope == edge_scope(device))
    {
        // The device stopped being an edge device: its own edge scope goes with it.
        device.device_scope = None;
        device.parent_scopes = None;
    }
    match body.device_scope.as_deref() {
        Some("") => {
            device.device_scope = None;
            device.parent_scopes = None;
        }
        Some(scope) => {
            device.device_scope = Some(scope.to_string());
            device.parent_scopes = Some(vec![scope.to_string()]);
        }
        None => {}
    }
}

/// Deletes a device and its modules (`DELETE /devices/{id}`).
pub fn delete_device(
    tx: &Tx<'_>,
    id: &str,
    if_match: Option<&IfMatch>,
) -> Result<Effects, EmulatorError> {
    let record = tx.identity(id, None)?.ok_or_else(|| device_not_found(id))?;
    if let Some(p) = if_match {
        p.check("device", &device_etag_from_version(record.registry_version))?;
    }
    tx.delete_identity(id, None)?;
    Ok(Effects {
        disconnect_devices: vec![id.to_string()],
        ..Effects::default()
    })
}

/// Creates (`if_match = None`) or updates a module (`PUT /devices/{id}/modules/{mid}`).
pub fn put_module(
    tx: &Tx<'_>,
    device_id: &str,
    module_id: &str,
    body: &Module,
    if_match: Option<&IfMatch>,
    now: &Now,
) -> Result<(IdentityRecord, bool, Effects), EmulatorError> {
    validate_device_id(device_id).map_err(|e| id_error(&e))?;
    validate_module_id(module_id).map_err(|e| id_error(&e))?;
    check_body_id("deviceId", &body.device_id, device_id)?;
    check_body_id("moduleId", &body.module_id, module_id)?;
    if tx.identity(device_id, None)?.is_none() {
        return Err(device_not_found(device_id));
    }
    let identity = Identity::module(device_id, module_id);
    let mut effects = Effects::default();
    let existing = tx.identity(device_id, Some(module_id))?;
    let created = existing.is_none();
    let record = match (existing, if_match) {
        (Some(_), None) => {
            return Err(EmulatorError::hub(
                ErrorCode::ModuleAlreadyExistsOnDevice,
                format!(
                    "A module with ID '{module_id}' is already registered on device '{device_id}'."
                ),
            ));
        }
        (None, Some(_)) => return Err(module_not_found(device_id, module_id)),
        (None, None) => {
            let module = Module {
                module_id: module_id.to_string(),
                managed_by: body.managed_by.clone(),
                device_id: device_id.to_string(),
                generation_id: Some(now.generation_id()),
                etag: None,
                connection_state: Some(ConnectionState::Disconnected),
                connection_state_updated_time: Some(ZERO_TIME.into()),
                last_activity_time: Some(ZERO_TIME.into()),
                cloud_to_device_message_count: Some(0),
                authentication: Some(resolve_authentication(body.authentication.as_ref(), None)?),
            };
            IdentityRecord {
                registry: to_registry(&module)?,
                registry_version: 0,
                twin: twins::new_twin(&now.timestamp),
            }
        }
        (Some(mut record), Some(precondition)) => {
            precondition.check("module", &device_etag_from_version(record.registry_version))?;
            let mut module = module_of(&record)?;
            let auth = resolve_authentication(
                body.authentication.as_ref(),
                module.authentication.as_ref(),
            )?;
            if Some(&auth) != module.authentication.as_ref() {
                effects.disconnect.push(identity.clone());
            }
            module.authentication = Some(auth);
            module.managed_by.clone_from(&body.managed_by);
            record.registry = to_registry(&module)?;
            record.registry_version = record.registry_version.saturating_add(1);
            record
        }
    };
    tx.put_identity(device_id, Some(module_id), &record)?;
    Ok((record, created, effects))
}

/// Deletes a module (`DELETE /devices/{id}/modules/{mid}`).
pub fn delete_module(
    tx: &Tx<'_>,
    device_id: &str,
    module_id: &str,
    if_match: Option<&IfMatch>,
) -> Result<Effects, EmulatorError> {
    let identity = Identity::module(device_id, module_id);
    let record = load(tx, &identity)?;
    if let Some(p) = if_match {
        p.check("module", &device_etag_from_version(record.registry_version))?;
    }
    tx.delete_identity(device_id, Some(module_id))?;
    Ok(Effects {
        disconnect: vec![identity],
        ..Effects::default()
    })
}

/// Up to `top` devices (`GET /devices?top=`), ordered by id.
pub fn list_devices(tx: &Tx<'_>, top: Option<usize>) -> Result<Vec<Value>, EmulatorError> {
    let top = top
        .filter(|t| (1..=MAX_LIST_TOP).contains(t))
        .unwrap_or(MAX_LIST_TOP);
    Ok(tx
        .identities(false)?
        .iter()
        .take(top)
        .map(|(_, _, record)| identity_wire(record).0)
        .collect())
}

/// `GET /statistics/devices`.
pub fn statistics(tx: &Tx<'_>) -> Result<RegistryStatistics, EmulatorError> {
    let mut stats = RegistryStatistics::default();
    for (_, _, record) in tx.identities(false)? {
        stats.total_device_count += 1;
        if is_enabled(&record)? {
            stats.enabled_device_count += 1;
        } else {
            stats.disabled_device_count += 1;
        }
    }
    Ok(stats)
}

/// Applies a service twin write (`PATCH` when `replace` is false, `PUT` otherwise).
pub fn write_twin(
    tx: &Tx<'_>,
    identity: &Identity,
    write: &ServiceTwinWrite,
    replace: bool,
    if_match: Option<&IfMatch>,
    now: &Now,
) -> Result<(IdentityRecord, Effects), EmulatorError> {
    let mut record = load(tx, identity)?;
    if let Some(p) = if_match {
        p.check("twin", &twins::etag(&record.twin))?;
    }
    let outcome = if replace {
        twins::replace(&mut record.twin, write, &now.timestamp)?
    } else {
        twins::patch(&mut record.twin, write, &now.timestamp)?
    };
    tx.put_identity(&identity.device_id, identity.module_id.as_deref(), &record)?;
    let mut effects = Effects::default();
    if let Some((version, body)) = outcome.notification {
        effects.notify.push((identity.clone(), version, body));
    }
    Ok((record, effects))
}

fn bulk_error(
    entry: &ExportImportDevice,
    operation: &str,
    error: &EmulatorError,
) -> DeviceRegistryOperationError {
    let message = match error {
        EmulatorError::Hub { message, .. } => message.clone(),
        other => other.to_string(),
    };
    DeviceRegistryOperationError {
        device_id: entry.id.clone(),
        error_code: error.code().name().to_string(),
        error_status: message,
        module_id: entry.module_id.clone(),
        operation: Some(operation.to_string()),
    }
}

fn mode_name(mode: ImportMode) -> &'static str {
    match mode {
        ImportMode::Create => "create",
        ImportMode::Update => "update",
        ImportMode::UpdateIfMatchETag => "updateIfMatchETag",
        ImportMode::Delete => "delete",
        ImportMode::DeleteIfMatchETag => "deleteIfMatchETag",
        ImportMode::UpdateTwin => "updateTwin",
        ImportMode::UpdateTwinIfMatchETag => "updateTwinIfMatchETag",
    }
}

fn etag_of(entry: &ExportImportDevice, twin: bool) -> Result<IfMatch, EmulatorError> {
    let (field, value) = if twin {
        ("twinETag", entry.twin_e_tag.as_deref())
    } else {
        ("eTag", entry.e_tag.as_deref())
    };
    value.and_then(IfMatch::parse).ok_or_else(|| {
        EmulatorError::hub(
            ErrorCode::ArgumentNull,
            format!("{field} is required with this importMode"),
        )
    })
}

/// Applies one bulk entry.
fn bulk_entry(
    tx: &Tx<'_>,
    entry: &ExportImportDevice,
    mode: ImportMode,
    now: &Now,
) -> Result<Effects, EmulatorError> {
    let identity = match &entry.module_id {
        Some(m) => Identity::module(entry.id.clone(), m.clone()),
        None => Identity::device(entry.id.clone()),
    };
    let twin_write = ServiceTwinWrite::from_body(&serde_json::json!({
        "tags": entry.tags,
        "properties": {"desired": entry.properties.desired},
    }))?;
    let has_twin = twin_write.tags.is_some() || twin_write.desired.is_some();
    match mode {
        ImportMode::Create | ImportMode::Update | ImportMode::UpdateIfMatchETag => {
            let precondition = match mode {
                ImportMode::Create => None,
                ImportMode::Update => Some(IfMatch::Any),
                _ => Some(etag_of(entry, false)?),
            };
            let mut effects = match &entry.module_id {
                None => {
                    let device = Device {
                        device_id: entry.id.clone(),
                        status: entry.status,
                        status_reason: entry.status_reason.clone(),
                        authentication: entry.authentication.clone(),
                        capabilities: entry.capabilities,
                        device_scope: entry.device_scope.clone(),
                        parent_scopes: entry.parent_scopes.clone(),
                        ..Device::default()
                    };
                    put_device(tx, &entry.id, &device, precondition.as_ref(), now)?.1
                }
                Some(m) => {
                    let module = Module {
                        module_id: m.clone(),
                        device_id: entry.id.clone(),
                        authentication: entry.authentication.clone(),
                        ..Module::default()
                    };
                    put_module(tx, &entry.id, m, &module, precondition.as_ref(), now)?.2
                }
            };
            if has_twin {
                let (_, twin_effects) = write_twin(tx, &identity, &twin_write, false, None, now)?;
                effects.merge(twin_effects);
            }
            Ok(effects)
        }
        ImportMode::Delete | ImportMode::DeleteIfMatchETag => {
            let precondition = match mode {
                ImportMode::Delete => None,
                _ => Some(etag_of(entry, false)?),
            };
            match &entry.module_id {
                None => delete_device(tx, &entry.id, precondition.as_ref()),
                Some(m) => delete_module(tx, &entry.id, m, precondition.as_ref()),
            }
        }
        ImportMode::UpdateTwin | ImportMode::UpdateTwinIfMatchETag => {
            let precondition = match mode {
                ImportMode::UpdateTwin => None,
                _ => Some(etag_of(entry, true)?),
            };
            Ok(write_twin(
                tx,
                &identity,
                &twin_write,
                false,
                precondition.as_ref(),
                now,
            )?
            .1)
        }
    }
}

/// Applies a bulk registry request (`POST /devices`) entry by entry. Entries that fail are
/// reported in the result and leave no trace; the others are applied. Refuses the whole request
/// up front (nothing applied) when it is too large or names an identity twice.
pub fn bulk(
    tx: &Tx<'_>,
    entries: &[ExportImportDevice],
    now: &Now,
) -> Result<(BulkRegistryOperationResult, Effects), EmulatorError> {
    if entries.len() > iothub_model::bulk::MAX_BULK_DEVICES {
        return Err(EmulatorError::hub(
            ErrorCode::TooManyDevices,
            format!(
                "The request names {} devices; at most {} are allowed in one bulk operation.",
                entries.len(),
                iothub_model::bulk::MAX_BULK_DEVICES
            ),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for entry in entries {
        if !seen.insert((entry.id.as_str(), entry.module_id.as_deref())) {
            return Err(EmulatorError::hub(
                ErrorCode::DeviceDefinedMultipleTimes,
                format!(
                    "Device '{}' is defined more than once in the request.",
                    entry.id
                ),
            ));
        }
    }
    let mut result = BulkRegistryOperationResult {
        is_successful: true,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let mut effects = Effects::default();
    for entry in entries {
        let mode = entry.import_mode.unwrap_or(ImportMode::Create);
        // Each entry runs in a savepoint so a failing one leaves nothing half-applied.
        match tx.savepoint(|tx| bulk_entry(tx, entry, mode, now)) {
            Ok(e) => effects.merge(e),
            Err(error @ (EmulatorError::Hub { .. } | EmulatorError::Method { .. })) => {
                result.is_successful = false;
                result
                    .errors
                    .push(bulk_error(entry, mode_name(mode), &error));
            }
            Err(internal) => return Err(internal),
        }
    }
    Ok((result, effects))
}

/// Which keys `POST /devices/keys/regenerate` renews (`policyKey`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegenerateKey {
    /// `primaryKey`.
    Primary,
    /// `secondaryKey`.
    Secondary,
    /// `both`.
    Both,
}

impl RegenerateKey {
    /// Parses the `policyKey` of the request (case-insensitive, as the hub's JSON reader).
    pub fn parse(policy_key: &str) -> Option<Self> {
        match policy_key.to_ascii_lowercase().as_str() {
            "primarykey" => Some(Self::Primary),
            "secondarykey" => Some(Self::Secondary),
            "both" => Some(Self::Both),
            _ => None,
        }
    }
}

/// What a bulk key regeneration did: the `rotatedKeys` entries and the `errors` entries.
pub type RegeneratedKeys = (Vec<Value>, Vec<Value>);

/// `POST /devices/keys/regenerate` (api-version 2024-03-31, what `az iot hub device-identity
/// renew-key` calls): new hub-generated keys for each listed SAS device or module. Returns
/// `(rotated, errors)`: per identity its new keys, or why it was skipped (not found, not SAS).
/// Sessions of identities whose keys changed are dropped, as on any key change.
pub fn regenerate_keys(
    tx: &Tx<'_>,
    which: RegenerateKey,
    items: &[Identity],
) -> Result<(RegeneratedKeys, Effects), EmulatorError> {
    let mut rotated = Vec::new();
    let mut errors = Vec::new();
    let mut effects = Effects::default();
    for identity in items {
        let module = identity.module_id.as_deref();
        let error = |code: ErrorCode, status: String| {
            serde_json::json!({
                "id": identity.device_id,
                "moduleId": module,
                "errorCode": code.name(),
                "errorStatus": status,
            })
        };
        let Some(mut record) = tx.identity(&identity.device_id, module)? else {
            let code = if module.is_some() {
                ErrorCode::ModuleNotFound
            } else {
                ErrorCode::DeviceNotFound
            };
            errors.push(error(code, format!("{identity} is not registered.")));
            continue;
        };
        let is_sas = record
            .registry
            .pointer("/authentication/type")
            .and_then(Value::as_str)
            .is_none_or(|t| t.eq_ignore_ascii_case("sas"));
        let Some(keys) = record
            .registry
            .pointer_mut("/authentication/symmetricKey")
            .and_then(Value::as_object_mut)
            .filter(|_| is_sas)
        else {
            errors.push(error(
                ErrorCode::ArgumentInvalid,
                format!("{identity} does not authenticate with symmetric keys."),
            ));
            continue;
        };
        if matches!(which, RegenerateKey::Primary | RegenerateKey::Both) {
            keys.insert(
                "primaryKey".into(),
                Value::from(iothub_auth::SharedAccessKey::generate().to_base64()),
            );
        }
        if matches!(which, RegenerateKey::Secondary | RegenerateKey::Both) {
            keys.insert(
                "secondaryKey".into(),
                Value::from(iothub_auth::SharedAccessKey::generate().to_base64()),
            );
        }
        rotated.push(serde_json::json!({
            "id": identity.device_id,
            "moduleId": module,
            "primaryKey": keys.get("primaryKey"),
            "secondaryKey": keys.get("secondaryKey"),
        }));
        record.registry_version = record.registry_version.saturating_add(1);
        tx.put_identity(&identity.device_id, module, &record)?;
        effects.disconnect.push(identity.clone());
    }
    Ok(((rotated, errors), effects))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        (dir, store)
    }

    fn now() -> Now {
        Now::at(1_800_000_000_000_000_000)
    }

    #[test]
    fn if_match_accepts_quoted_and_bare_forms() {
        assert_eq!(IfMatch::parse("\"*\""), Some(IfMatch::Any));
        assert_eq!(IfMatch::parse("*"), Some(IfMatch::Any));
        assert_eq!(
            IfMatch::parse("\"MA==\""),
            Some(IfMatch::Etag("MA==".into()))
        );
        assert_eq!(IfMatch::parse("  "), None);
    }

    #[test]
    fn keys_are_generated_kept_and_validated() {
        let generated = resolve_authentication(None, None).unwrap();
        let keys = generated.symmetric_key.clone().unwrap();
        assert_eq!(keys.primary_key.as_ref().unwrap().len(), 44);
        assert_ne!(keys.primary_key, keys.secondary_key);
        let empty = Authentication {
            symmetric_key: Some(SymmetricKey {
                primary_key: Some(String::new()),
                secondary_key: Some(String::new()),
            }),
            ..Authentication::default()
        };
        let kept = resolve_authentication(Some(&empty), Some(&generated)).unwrap();
        assert_eq!(kept, generated, "empty keys on update keep the old ones");
        let short = Authentication {
            symmetric_key: Some(SymmetricKey {
                primary_key: Some("cGFzc3dvcmQ=".into()),
                secondary_key: None,
            }),
            ..Authentication::default()
        };
        let err = resolve_authentication(Some(&short), None).unwrap_err();
        assert!(
            err.to_string().contains("primaryKey decodes to 8 bytes"),
            "{err}"
        );
        assert!(
            !err.to_string().contains("cGFzc3dvcmQ="),
            "keys never appear in errors"
        );
        let thumb = Authentication {
            x509_thumbprint: Some(X509Thumbprint {
                primary_thumbprint: Some("AB".repeat(20)),
                secondary_thumbprint: None,
            }),
            ..Authentication::default()
        };
        let x509 = resolve_authentication(Some(&thumb), None).unwrap();
        assert_eq!(x509.type_, Some(AuthenticationType::SelfSigned));
    }

    #[test]
    fn create_update_conflict_and_preconditions() {
        let (_dir, store) = store();
        store
            .with_tx(|tx| {
                let (record, _) = put_device(tx, "d1", &Device::default(), None, &now())?;
                let (wire, etag) = identity_wire(&record);
                assert_eq!(etag, "MA==");
                assert_eq!(wire["deviceId"], "d1");
                assert_eq!(wire["status"], "enabled");
                assert_eq!(
                    wire["authentication"]["x509Thumbprint"]["primaryThumbprint"],
                    Value::Null
                );
                let err = put_device(tx, "d1", &Device::default(), None, &now()).unwrap_err();
                assert_eq!(err.code(), ErrorCode::DeviceAlreadyExists);
                let stale = IfMatch::Etag("MQ==".into());
                let err =
                    put_device(tx, "d1", &Device::default(), Some(&stale), &now()).unwrap_err();
                assert_eq!(err.code(), ErrorCode::PreconditionFailed);
                let disable = Device {
                    status: Some(DeviceStatus::Disabled),
                    ..Device::default()
                };
                let (record, effects) =
                    put_device(tx, "d1", &disable, Some(&IfMatch::Etag(etag)), &now())?;
                assert_eq!(identity_wire(&record).1, "MQ==");
                assert_eq!(effects.disconnect_devices, vec!["d1".to_string()]);
                assert!(effects.disconnect.is_empty(), "keys were kept");
                let err = put_device(tx, "d 1", &Device::default(), None, &now()).unwrap_err();
                assert_eq!(err.code(), ErrorCode::ArgumentInvalid);
                let mismatch = Device {
                    device_id: "other".into(),
                    ..Device::default()
                };
                let err = put_device(tx, "d2", &mismatch, None, &now()).unwrap_err();
                assert!(err.to_string().contains("does not match"), "{err}");
                Ok::<_, EmulatorError>(())
            })
            .unwrap();
    }

    #[test]
    fn bulk_applies_good_entries_and_reports_bad_ones() {
        let (_dir, store) = store();
        let entries: Vec<ExportImportDevice> = serde_json::from_value(serde_json::json!([
            {"id": "a", "importMode": "create", "tags": {"site": "x"}},
            {"id": "b", "importMode": "create"},
            {"id": "a", "moduleId": "m", "importMode": "create"},
            {"id": "ghost", "importMode": "update"},
            {"id": "b", "moduleId": "m2", "importMode": "updateTwin", "properties": {"desired": {"x": 1}}},
        ]))
        .unwrap();
        let (result, _) = store.with_tx(|tx| bulk(tx, &entries, &now())).unwrap();
        assert!(!result.is_successful);
        let failed: Vec<(&str, &str)> = result
            .errors
            .iter()
            .map(|e| (e.device_id.as_str(), e.error_code.as_str()))
            .collect();
        assert_eq!(
            failed,
            vec![("ghost", "DeviceNotFound"), ("b", "ModuleNotFound")]
        );
        store
            .with_tx(|tx| {
                let a = tx.identity("a", None)?.unwrap();
                assert_eq!(a.twin.tags["site"], "x");
                assert!(tx.identity("a", Some("m"))?.is_some());
                assert!(tx.identity("ghost", None)?.is_none());
                Ok::<_, EmulatorError>(())
            })
            .unwrap();
        let dup: Vec<ExportImportDevice> =
            serde_json::from_value(serde_json::json!([{"id": "z"}, {"id": "z"}])).unwrap();
        let err = store.with_tx(|tx| bulk(tx, &dup, &now())).unwrap_err();
        assert_eq!(err.code(), ErrorCode::DeviceDefinedMultipleTimes);
    }
}
