//! Bulk registry operations (`POST /devices`, up to 100 identities per call) and their result.
//!
//! The CLI uses them for fleet provisioning; the emulator applies them one device at a time and
//! reports per-device errors in the same result shape as the hub.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::device::{Authentication, DeviceCapabilities, DeviceStatus};
use crate::error::ErrorCode;
use crate::twin::TwinProperties;

/// Most identities one bulk call may carry.
pub const MAX_BULK_DEVICES: usize = 100;

/// One identity in a bulk request (or in an import/export blob).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportImportDevice {
    /// The device id.
    #[serde(default)]
    pub id: String,
    /// The module id, for module operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module_id: Option<String>,
    /// Identity etag, for the `…IfMatchETag` modes.
    #[serde(rename = "eTag", default, skip_serializing_if = "Option::is_none")]
    pub e_tag: Option<String>,
    /// What to do with this identity.
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub import_mode: Option<ImportMode>,
    /// Identity status.
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<DeviceStatus>,
    /// Why the status was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// Credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Authentication>,
    /// Twin etag, for `updateTwinIfMatchETag`.
    #[serde(rename = "twinETag", default, skip_serializing_if = "Option::is_none")]
    pub twin_e_tag: Option<String>,
    /// Twin tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Map<String, Value>>,
    /// Twin properties.
    #[serde(default, skip_serializing_if = "TwinProperties::is_empty")]
    pub properties: TwinProperties,
    /// Device capabilities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<DeviceCapabilities>,
    /// Edge scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_scope: Option<String>,
    /// Parent edge scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_scopes: Option<Vec<String>>,
}

/// What a bulk entry does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ImportMode {
    /// Create; fails if it exists.
    Create,
    /// Create or update, unconditionally.
    Update,
    /// Update only if `eTag` matches.
    #[serde(rename = "updateIfMatchETag")]
    UpdateIfMatchETag,
    /// Delete, unconditionally.
    Delete,
    /// Delete only if `eTag` matches.
    #[serde(rename = "deleteIfMatchETag")]
    DeleteIfMatchETag,
    /// Update the twin only.
    UpdateTwin,
    /// Update the twin only if `twinETag` matches.
    #[serde(rename = "updateTwinIfMatchETag")]
    UpdateTwinIfMatchETag,
}

/// Result of a bulk call (HTTP 200 on full success, 400 otherwise).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkRegistryOperationResult {
    /// True when every entry succeeded.
    #[serde(default)]
    pub is_successful: bool,
    /// Entries that failed.
    #[serde(default)]
    pub errors: Vec<DeviceRegistryOperationError>,
    /// Entries that succeeded with a caveat.
    #[serde(default)]
    pub warnings: Vec<DeviceRegistryOperationWarning>,
}

/// A failed bulk entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceRegistryOperationError {
    /// The device.
    #[serde(default)]
    pub device_id: String,
    /// Error name, such as `DeviceAlreadyExists` (see [`Self::code`]).
    #[serde(default)]
    pub error_code: String,
    /// Human-readable reason.
    #[serde(default)]
    pub error_status: String,
    /// The module, for module entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module_id: Option<String>,
    /// The operation that failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

impl DeviceRegistryOperationError {
    /// The error code, when `errorCode` names (or numbers) one this crate knows.
    pub fn code(&self) -> Option<ErrorCode> {
        let text = self.error_code.trim();
        ErrorCode::from_name(text).or_else(|| text.parse().ok().and_then(ErrorCode::from_code))
    }
}

/// A bulk entry that succeeded with a caveat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceRegistryOperationWarning {
    /// The device.
    #[serde(default)]
    pub device_id: String,
    /// Warning name (`DeviceRegisteredWithoutTwin`).
    #[serde(default)]
    pub warning_code: String,
    /// Human-readable detail.
    #[serde(default)]
    pub warning_status: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn import_modes_use_wire_names() {
        for (mode, text) in [
            (ImportMode::Create, "create"),
            (ImportMode::Update, "update"),
            (ImportMode::UpdateIfMatchETag, "updateIfMatchETag"),
            (ImportMode::Delete, "delete"),
            (ImportMode::DeleteIfMatchETag, "deleteIfMatchETag"),
            (ImportMode::UpdateTwin, "updateTwin"),
            (ImportMode::UpdateTwinIfMatchETag, "updateTwinIfMatchETag"),
        ] {
            assert_eq!(serde_json::to_value(mode).unwrap(), json!(text));
            assert_eq!(
                serde_json::from_value::<ImportMode>(json!(text)).unwrap(),
                mode
            );
        }
    }

    #[test]
    fn export_import_device_round_trips() {
        let entry = json!({
            "id": "d1", "eTag": "MA==", "importMode": "updateTwinIfMatchETag", "status": "enabled",
            "twinETag": "AAAAAAAAAAE=", "tags": {"site": "a"},
            "properties": {"desired": {"x": 1}},
            "authentication": {"symmetricKey": {"primaryKey": "", "secondaryKey": ""}, "type": "sas"}
        });
        let device: ExportImportDevice = serde_json::from_value(entry.clone()).unwrap();
        assert_eq!(device.import_mode, Some(ImportMode::UpdateTwinIfMatchETag));
        assert_eq!(device.twin_e_tag.as_deref(), Some("AAAAAAAAAAE="));
        assert_eq!(serde_json::to_value(&device).unwrap(), entry);
    }

    #[test]
    fn bulk_result() {
        let result: BulkRegistryOperationResult = serde_json::from_value(json!({
            "isSuccessful": false,
            "errors": [{"deviceId": "d1", "errorCode": "DeviceAlreadyExists",
                        "errorStatus": "A device with ID 'd1' is already registered.", "operation": "create"}],
            "warnings": [{"deviceId": "d2", "warningCode": "DeviceRegisteredWithoutTwin", "warningStatus": ""}]
        }))
        .unwrap();
        assert!(!result.is_successful);
        assert_eq!(
            result.errors[0].code(),
            Some(ErrorCode::DeviceAlreadyExists)
        );
        assert_eq!(
            result.warnings[0].warning_code,
            "DeviceRegisteredWithoutTwin"
        );
        let numeric = DeviceRegistryOperationError {
            error_code: "409001".into(),
            ..DeviceRegistryOperationError::default()
        };
        assert_eq!(numeric.code(), Some(ErrorCode::DeviceAlreadyExists));
    }
}
