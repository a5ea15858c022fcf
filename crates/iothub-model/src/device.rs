//! Identity registry types: devices, modules, their credentials and registry statistics.
//!
//! Shared by the service client (which sends and reads them) and the emulator (which stores and
//! serves them). Field names follow the REST wire exactly; timestamps stay strings so values from
//! a real hub round-trip unchanged. Symmetric keys are secrets, so `Debug` never prints them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A device identity (`GET/PUT /devices/{id}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    /// Case-sensitive device id; see [`crate::validate_device_id`].
    #[serde(default)]
    pub device_id: String,
    /// Hub-generated id telling apart devices re-created with the same id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation_id: Option<String>,
    /// Identity etag (base64 of a decimal version; see [`crate::device_etag_from_version`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// Whether the device currently has an MQTT/AMQP connection.
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub connection_state: Option<ConnectionState>,
    /// Whether the device may connect.
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<DeviceStatus>,
    /// Free text (≤ 128 characters) saying why the status was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// When `connectionState` last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_state_updated_time: Option<String>,
    /// When `status` last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_updated_time: Option<String>,
    /// When the device last connected, sent or received anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_activity_time: Option<String>,
    /// Cloud-to-device messages waiting for the device.
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_to_device_message_count: Option<i64>,
    /// Credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Authentication>,
    /// Device capabilities (IoT Edge or not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<DeviceCapabilities>,
    /// Edge scope of this device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_scope: Option<String>,
    /// Scopes of the parent edge device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_scopes: Option<Vec<String>>,
    /// IoT Plug and Play model id (newer api-versions; `""` when none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_id: Option<String>,
}

/// A module identity (`GET/PUT /devices/{id}/modules/{mid}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Module {
    /// Module id; see [`crate::validate_module_id`].
    #[serde(default)]
    pub module_id: String,
    /// Who manages the module (`IoT Edge` for edge modules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_by: Option<String>,
    /// The device the module belongs to.
    #[serde(default)]
    pub device_id: String,
    /// Hub-generated id telling apart modules re-created with the same id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation_id: Option<String>,
    /// Identity etag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// Whether the module currently has a connection.
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub connection_state: Option<ConnectionState>,
    /// When `connectionState` last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_state_updated_time: Option<String>,
    /// When the module last connected, sent or received anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_activity_time: Option<String>,
    /// Cloud-to-module messages waiting.
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_to_device_message_count: Option<i64>,
    /// Credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Authentication>,
}

/// How an identity authenticates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Authentication {
    /// Keys for SAS authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symmetric_key: Option<SymmetricKey>,
    /// Thumbprints for self-signed X.509 authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x509_thumbprint: Option<X509Thumbprint>,
    /// The mechanism in use (`type` on the wire).
    #[serde(
        rename = "type",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub type_: Option<AuthenticationType>,
}

/// A pair of base64 device keys. Secret: `Debug` shows only whether each key is set.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SymmetricKey {
    /// Primary key (base64). Empty or absent on create asks the hub to generate one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<String>,
    /// Secondary key (base64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_key: Option<String>,
}

impl fmt::Debug for SymmetricKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn redacted(key: Option<&String>) -> Option<&'static str> {
            key.map(|k| if k.is_empty() { "" } else { "<redacted>" })
        }
        f.debug_struct("SymmetricKey")
            .field("primary_key", &redacted(self.primary_key.as_ref()))
            .field("secondary_key", &redacted(self.secondary_key.as_ref()))
            .finish()
    }
}

/// X.509 certificate thumbprints (SHA-1 or SHA-256, hex). Not secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct X509Thumbprint {
    /// Primary certificate thumbprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_thumbprint: Option<String>,
    /// Secondary certificate thumbprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_thumbprint: Option<String>,
}

/// Authentication mechanism of an identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AuthenticationType {
    /// Shared access signatures signed with the symmetric keys.
    Sas,
    /// A self-signed certificate matched by thumbprint.
    SelfSigned,
    /// A certificate chaining to a CA registered on the hub.
    CertificateAuthority,
    /// No credentials (the device cannot connect).
    None,
}

/// Whether a device may connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DeviceStatus {
    /// The device may connect.
    Enabled,
    /// The device is refused on every device-facing endpoint.
    Disabled,
}

/// The hub's view of an identity's connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConnectionState {
    /// Connected over MQTT or AMQP.
    Connected,
    /// Not connected.
    Disconnected,
}

/// Device capabilities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceCapabilities {
    /// Whether the device is an IoT Edge device.
    #[serde(default, deserialize_with = "crate::lenient::boolean")]
    pub iot_edge: bool,
}

/// `GET /statistics/devices`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryStatistics {
    /// All registered devices.
    #[serde(default)]
    pub total_device_count: u64,
    /// Devices with status `enabled`.
    #[serde(default)]
    pub enabled_device_count: u64,
    /// Devices with status `disabled`.
    #[serde(default)]
    pub disabled_device_count: u64,
}

/// `GET /statistics/service`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceStatistics {
    /// Devices connected right now.
    #[serde(default)]
    pub connected_device_count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// The create-device response from the protocol notes (§B.2), with real-looking keys.
    const CREATE_RESPONSE: &str = r#"{"deviceId":"edison1","generationId":"635944482332920305","etag":"MA==","connectionState":"Disconnected","status":"enabled","statusReason":null,"connectionStateUpdatedTime":"0001-01-01T00:00:00","statusUpdatedTime":"0001-01-01T00:00:00","lastActivityTime":"0001-01-01T00:00:00","cloudToDeviceMessageCount":0,"authentication":{"symmetricKey":{"primaryKey":"c2VjcmV0LXByaW1hcnkta2V5LTAxMjM0NTY3","secondaryKey":"c2VjcmV0LXNlY29uZGFyeS1rZXktMDEyMzQ1"},"x509Thumbprint":{"primaryThumbprint":null,"secondaryThumbprint":null}}}"#;

    /// Removes `null` members, which this crate omits on output.
    fn without_nulls(value: Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k, without_nulls(v)))
                    .collect(),
            ),
            other => other,
        }
    }

    #[test]
    fn create_response_round_trips() {
        let device: Device = serde_json::from_str(CREATE_RESPONSE).unwrap();
        assert_eq!(device.device_id, "edison1");
        assert_eq!(device.etag.as_deref(), Some("MA=="));
        assert_eq!(device.status, Some(DeviceStatus::Enabled));
        assert_eq!(device.connection_state, Some(ConnectionState::Disconnected));
        assert_eq!(device.status_reason, None);
        assert_eq!(
            device.connection_state_updated_time.as_deref(),
            Some("0001-01-01T00:00:00")
        );
        let keys = device
            .authentication
            .as_ref()
            .and_then(|a| a.symmetric_key.as_ref())
            .unwrap();
        assert_eq!(
            keys.primary_key.as_deref(),
            Some("c2VjcmV0LXByaW1hcnkta2V5LTAxMjM0NTY3")
        );

        let original: Value = serde_json::from_str(CREATE_RESPONSE).unwrap();
        assert_eq!(
            serde_json::to_value(&device).unwrap(),
            without_nulls(original)
        );
    }

    #[test]
    fn tolerates_unknown_fields_and_reads_newer_fields() {
        let device: Device = serde_json::from_value(json!({
            "deviceId": "d1",
            "someFutureField": {"x": 1},
            "authentication": {"type": "selfSigned", "futureAuth": true},
            "capabilities": {"iotEdge": true},
            "modelId": "",
            "parentScopes": []
        }))
        .unwrap();
        let auth = device.authentication.unwrap();
        assert_eq!(auth.type_, Some(AuthenticationType::SelfSigned));
        assert_eq!(
            device.capabilities,
            Some(DeviceCapabilities { iot_edge: true })
        );
        assert_eq!(device.model_id.as_deref(), Some(""));
    }

    #[test]
    fn enum_and_rename_casing_on_the_wire() {
        let auth = Authentication {
            type_: Some(AuthenticationType::CertificateAuthority),
            ..Authentication::default()
        };
        assert_eq!(
            serde_json::to_value(&auth).unwrap(),
            json!({"type": "certificateAuthority"})
        );
        for (t, s) in [
            (AuthenticationType::Sas, "sas"),
            (AuthenticationType::SelfSigned, "selfSigned"),
            (AuthenticationType::None, "none"),
        ] {
            assert_eq!(serde_json::to_value(t).unwrap(), json!(s));
        }
        assert_eq!(
            serde_json::to_value(DeviceStatus::Disabled).unwrap(),
            json!("disabled")
        );
        assert_eq!(
            serde_json::to_value(ConnectionState::Connected).unwrap(),
            json!("Connected")
        );
        assert!(serde_json::from_value::<DeviceStatus>(json!("paused")).is_err());
    }

    #[test]
    fn symmetric_key_debug_never_shows_keys() {
        let device: Device = serde_json::from_str(CREATE_RESPONSE).unwrap();
        let debug = format!("{device:?}");
        assert!(!debug.contains("c2VjcmV0"), "{debug}");
        assert!(debug.contains("<redacted>"));
        let pretty = format!("{device:#?}");
        assert!(!pretty.contains("c2VjcmV0"));
    }

    #[test]
    fn module_and_statistics_shapes() {
        let module: Module = serde_json::from_value(json!({
            "moduleId": "m1", "deviceId": "d1", "managedBy": "IoT Edge", "etag": "MQ=="
        }))
        .unwrap();
        assert_eq!(module.module_id, "m1");
        assert_eq!(module.managed_by.as_deref(), Some("IoT Edge"));

        let stats: RegistryStatistics = serde_json::from_value(json!({
            "totalDeviceCount": 3, "enabledDeviceCount": 2, "disabledDeviceCount": 1
        }))
        .unwrap();
        assert_eq!(stats.total_device_count, 3);
        assert_eq!(
            serde_json::to_value(ServiceStatistics {
                connected_device_count: 4
            })
            .unwrap(),
            json!({"connectedDeviceCount": 4})
        );
    }
}
