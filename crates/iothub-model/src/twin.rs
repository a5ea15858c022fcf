//! The twin document and its semantics: merge patches, limits, metadata and etags.
//!
//! The emulator applies these rules to every twin write, the agent applies the same merge to its
//! local copy of desired properties, and the client can check a patch before sending it. Keeping
//! the rules in one place is what makes the emulator and a real hub interchangeable for the
//! rest of the project.
//!
//! # Limits enforced ([`validate_patch`], [`validate_document`])
//!
//! * **Keys**: non-empty, ≤ [`MAX_KEY_BYTES`] bytes of UTF-8, no `.`, `$`, space or Unicode
//!   control character (C0, DEL, C1). In a patch every `$` key is rejected (they are read-only);
//!   in a stored document the root-level `$version` and `$metadata` are skipped.
//! * **Depth**: the section root is depth 0; an object or array that is the value of a root
//!   property is at depth 1, and each further object or array nested inside adds one. Containers
//!   may sit at depth ≤ [`MAX_DEPTH`]: the documented example `{"one":{…{"ten":{"property":1}}}}`
//!   (ten nested objects) is accepted, one more level is rejected. Arrays count as a level, like
//!   objects, because they nest values in the same way.
//! * **Values**: integers in [`MIN_INTEGER`]..=[`MAX_INTEGER`]; strings ≤ [`MAX_STRING_BYTES`]
//!   bytes of UTF-8; every leaf property (one whose value is not an object; arrays are leaves)
//!   ≤ [`MAX_PROPERTY_SIZE`] as counted by [`section_size`].
//! * **Section size** (see [`section_size`]): tags ≤ 8 KB, desired ≤ 32 KB, reported ≤ 32 KB.
//!
//! Every violation maps to 400004 `ArgumentInvalid`, as the hub documents.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use crate::device::{
    AuthenticationType, ConnectionState, DeviceCapabilities, DeviceStatus, X509Thumbprint,
};
use crate::model_error::ModelError;

/// `$version` key of desired and reported.
pub const VERSION_KEY: &str = "$version";
/// `$metadata` key of desired and reported.
pub const METADATA_KEY: &str = "$metadata";
/// Timestamp of the last change, in every metadata node.
pub const LAST_UPDATED_KEY: &str = "$lastUpdated";
/// Desired `$version` of the last change, in every desired metadata node.
pub const LAST_UPDATED_VERSION_KEY: &str = "$lastUpdatedVersion";

/// Longest key, in UTF-8 bytes.
pub const MAX_KEY_BYTES: usize = 1024;
/// Deepest allowed container (see the module documentation for how depth is counted).
pub const MAX_DEPTH: usize = 10;
/// Longest string value, in UTF-8 bytes.
pub const MAX_STRING_BYTES: usize = 4096;
/// Largest leaf property (key plus value, as counted by [`section_size`]).
pub const MAX_PROPERTY_SIZE: usize = 4096;
/// Largest `tags` section.
pub const MAX_TAGS_SIZE: usize = 8 * 1024;
/// Largest `properties.desired` section.
pub const MAX_DESIRED_SIZE: usize = 32 * 1024;
/// Largest `properties.reported` section.
pub const MAX_REPORTED_SIZE: usize = 32 * 1024;
/// Smallest integer a twin may hold (−2^52).
pub const MIN_INTEGER: i64 = -4_503_599_627_370_496;
/// Largest integer a twin may hold (2^52 − 1).
pub const MAX_INTEGER: i64 = 4_503_599_627_370_495;

/// A device or module twin as the service API returns it (`GET /twins/{id}`).
///
/// Also the body of `PATCH`/`PUT /twins/{id}` and of a job's `updateTwin`, where most fields are
/// absent; every field is therefore optional on input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Twin {
    /// The device id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// The module id, for module twins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module_id: Option<String>,
    /// Service-only tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Map<String, Value>>,
    /// Desired and reported properties.
    #[serde(default, skip_serializing_if = "TwinProperties::is_empty")]
    pub properties: TwinProperties,
    /// Twin etag for `If-Match` (see [`etag_from_version`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// Twin version, bumped by every change.
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub version: Option<i64>,
    /// The device identity's etag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_etag: Option<String>,
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
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_update_time: Option<String>,
    /// Connection state.
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub connection_state: Option<ConnectionState>,
    /// Last activity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_activity_time: Option<String>,
    /// Pending cloud-to-device messages.
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_to_device_message_count: Option<i64>,
    /// The identity's authentication mechanism.
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub authentication_type: Option<AuthenticationType>,
    /// The identity's certificate thumbprints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x509_thumbprint: Option<X509Thumbprint>,
    /// Device capabilities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<DeviceCapabilities>,
    /// Edge scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_scope: Option<String>,
    /// Parent edge scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_scopes: Option<Vec<String>>,
    /// IoT Plug and Play model id (`""` if none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_id: Option<String>,
}

/// `properties` of a twin. Each section is kept as the raw JSON object, including `$version`
/// and `$metadata` when the hub sent them; `Value::Null` means the section is absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TwinProperties {
    /// Desired properties (written by the service).
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub desired: Value,
    /// Reported properties (written by the device).
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub reported: Value,
}

impl TwinProperties {
    /// True when neither section is present.
    pub fn is_empty(&self) -> bool {
        self.desired.is_null() && self.reported.is_null()
    }

    /// `desired.$version`, if present.
    pub fn desired_version(&self) -> Option<i64> {
        section_version(&self.desired)
    }

    /// `reported.$version`, if present.
    pub fn reported_version(&self) -> Option<i64> {
        section_version(&self.reported)
    }

    /// The document a device receives for an MQTT twin GET: `{"desired":…,"reported":…}` with
    /// every `$metadata` removed and `$version` kept. Absent sections become `{}`.
    pub fn device_view(&self) -> Value {
        let mut view = Map::new();
        for (name, section) in [("desired", &self.desired), ("reported", &self.reported)] {
            let mut section = if section.is_null() {
                Value::Object(Map::new())
            } else {
                section.clone()
            };
            strip_metadata(&mut section);
            view.insert(name.to_owned(), section);
        }
        Value::Object(view)
    }
}

/// The `$version` of a desired or reported section.
pub fn section_version(section: &Value) -> Option<i64> {
    section.get(VERSION_KEY).and_then(Value::as_i64)
}

/// Which part of a twin a document or patch belongs to; selects limits and error paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TwinSection {
    /// `tags` (service only, 8 KB).
    Tags,
    /// `properties.desired` (written by the service, 32 KB).
    Desired,
    /// `properties.reported` (written by the device, 32 KB).
    Reported,
}

impl TwinSection {
    /// The section's JSON path in the service view of a twin, used as the prefix of error paths.
    pub fn path(self) -> &'static str {
        match self {
            TwinSection::Tags => "tags",
            TwinSection::Desired => "properties.desired",
            TwinSection::Reported => "properties.reported",
        }
    }

    /// The section's size limit as counted by [`section_size`].
    pub fn max_size(self) -> usize {
        match self {
            TwinSection::Tags => MAX_TAGS_SIZE,
            TwinSection::Desired => MAX_DESIRED_SIZE,
            TwinSection::Reported => MAX_REPORTED_SIZE,
        }
    }
}

impl fmt::Display for TwinSection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path())
    }
}

/// What is wrong with a property name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyProblem {
    /// The name is the empty string.
    Empty,
    /// The name contains `.`.
    Dot,
    /// The name contains `$` (read-only system keys and reserved names).
    Dollar,
    /// The name contains a space.
    Space,
    /// The name contains this control character.
    Control(char),
    /// The name is longer than [`MAX_KEY_BYTES`] UTF-8 bytes.
    TooLong {
        /// Its length in bytes.
        bytes: usize,
    },
}

impl fmt::Display for KeyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyProblem::Empty => f.write_str("is empty"),
            KeyProblem::Dot => f.write_str("contains '.'"),
            KeyProblem::Dollar => f.write_str("contains '$'"),
            KeyProblem::Space => f.write_str("contains a space"),
            KeyProblem::Control(c) => {
                write!(f, "contains control character U+{:04X}", u32::from(*c))
            }
            KeyProblem::TooLong { bytes } => {
                write!(f, "is {bytes} bytes long (limit {MAX_KEY_BYTES})")
            }
        }
    }
}

/// What kind of JSON value `value` is, with its article, for messages: "a string",
/// "an object", "null". The one helper every crate uses, so messages read the same.
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Applies a twin patch: objects merge recursively, `null` deletes (deleting a missing key is a
/// no-op), any other value replaces. An object patching a non-object replaces it, with the
/// patch's own `null`s dropped (there is nothing to delete in a fresh object). Arrays are values:
/// they replace wholesale and keep their `null` elements.
pub fn merge_patch(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (key, value) in patch {
        match value {
            Value::Null => {
                // Shift (not swap) so the remaining properties keep their order on the wire.
                target.shift_remove(key);
            }
            Value::Object(inner) => {
                if let Some(Value::Object(existing)) = target.get_mut(key) {
                    merge_patch(existing, inner);
                } else {
                    let mut fresh = Map::new();
                    merge_patch(&mut fresh, inner);
                    target.insert(key.clone(), Value::Object(fresh));
                }
            }
            other => {
                target.insert(key.clone(), other.clone());
            }
        }
    }
}

/// Checks a patch for one section (`PATCH /twins`, a reported patch over MQTT, a job's
/// `updateTwin`): it must be an object, every `$` key is rejected, `null`s (deletions) are
/// allowed, and the patch itself must fit the section limit. The merged result must still be
/// checked with [`validate_document`], since a patch can grow a document past its limit.
pub fn validate_patch(section: TwinSection, patch: &Value) -> Result<(), ModelError> {
    validate(section, patch, false)
}

/// Checks a whole section as it will be stored (after a merge, or the body of a replace). The
/// root-level `$version` and `$metadata` are ignored; every other rule applies.
pub fn validate_document(section: TwinSection, doc: &Value) -> Result<(), ModelError> {
    validate(section, doc, true)
}

/// `skip_system_keys`: ignore the root-level `$version`/`$metadata` (stored documents) instead
/// of rejecting them like any other `$` key (patches).
fn validate(section: TwinSection, value: &Value, skip_system_keys: bool) -> Result<(), ModelError> {
    let Value::Object(map) = value else {
        return Err(ModelError::NotAnObject {
            path: section.path().to_owned(),
            found: json_kind(value),
        });
    };
    let size = check_object(map, section.path(), 0, skip_system_keys)?;
    if size > section.max_size() {
        return Err(ModelError::SectionTooLarge {
            path: section.path().to_owned(),
            size,
            max: section.max_size(),
        });
    }
    Ok(())
}

/// True for the read-only members a stored section carries at its root.
fn is_system_key(key: &str) -> bool {
    key == VERSION_KEY || key == METADATA_KEY
}

fn check_key(key: &str, path: &str) -> Result<(), ModelError> {
    let problem = if key.is_empty() {
        Some(KeyProblem::Empty)
    } else if key.len() > MAX_KEY_BYTES {
        Some(KeyProblem::TooLong { bytes: key.len() })
    } else {
        key.chars().find_map(|c| match c {
            '.' => Some(KeyProblem::Dot),
            '$' => Some(KeyProblem::Dollar),
            ' ' => Some(KeyProblem::Space),
            c if c.is_control() => Some(KeyProblem::Control(c)),
            _ => None,
        })
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(ModelError::InvalidKey {
            path: path.to_owned(),
            key: key.to_owned(),
            problem,
        }),
    }
}

fn child_path(path: &str, key: &str) -> String {
    format!("{path}.{key}")
}

/// Validates the members of an object at `depth` and returns its size.
fn check_object(
    map: &Map<String, Value>,
    path: &str,
    depth: usize,
    skip_system_keys: bool,
) -> Result<usize, ModelError> {
    let mut total = 0usize;
    for (key, value) in map {
        if skip_system_keys && is_system_key(key) {
            continue;
        }
        check_key(key, path)?;
        let path = child_path(path, key);
        let value_size = check_value(value, &path, depth)?;
        let size = property_size(key, value, value_size);
        if !value.is_object() && size > MAX_PROPERTY_SIZE {
            return Err(ModelError::PropertyTooLarge {
                path,
                size,
                max: MAX_PROPERTY_SIZE,
            });
        }
        total = total.saturating_add(size);
    }
    Ok(total)
}

/// Validates a value that sits inside a container at `depth` and returns its size.
fn check_value(value: &Value, path: &str, depth: usize) -> Result<usize, ModelError> {
    match value {
        Value::Null => Ok(0),
        Value::Bool(_) => Ok(BOOL_SIZE),
        Value::Number(n) => {
            check_number(n, path)?;
            Ok(NUMBER_SIZE)
        }
        Value::String(s) => {
            if s.len() > MAX_STRING_BYTES {
                return Err(ModelError::StringTooLong {
                    path: path.to_owned(),
                    bytes: s.len(),
                    max: MAX_STRING_BYTES,
                });
            }
            Ok(string_size(s))
        }
        Value::Array(items) => {
            let depth = enter(path, depth)?;
            let mut total = 0usize;
            for (i, item) in items.iter().enumerate() {
                let path = format!("{path}[{i}]");
                total = total.saturating_add(check_value(item, &path, depth)?);
            }
            Ok(total)
        }
        Value::Object(map) => {
            let depth = enter(path, depth)?;
            check_object(map, path, depth, false)
        }
    }
}

fn enter(path: &str, depth: usize) -> Result<usize, ModelError> {
    let depth = depth + 1;
    if depth > MAX_DEPTH {
        return Err(ModelError::TooDeep {
            path: path.to_owned(),
            depth,
            max: MAX_DEPTH,
        });
    }
    Ok(depth)
}

fn check_number(n: &Number, path: &str) -> Result<(), ModelError> {
    let in_range = if let Some(i) = n.as_i64() {
        (MIN_INTEGER..=MAX_INTEGER).contains(&i)
    } else {
        // A u64 above i64::MAX is necessarily out of range; floats are not integers and are not
        // range-checked (serde_json cannot tell `1e20` from an integer literal that overflowed).
        n.as_u64().is_none()
    };
    if in_range {
        Ok(())
    } else {
        Err(ModelError::IntegerOutOfRange {
            path: path.to_owned(),
            value: n.to_string(),
            min: MIN_INTEGER,
            max: MAX_INTEGER,
        })
    }
}

const NUMBER_SIZE: usize = 8;
const BOOL_SIZE: usize = 4;

/// Characters excluding control characters, per the hub's accounting rule.
fn string_size(s: &str) -> usize {
    s.chars().filter(|c| !c.is_control()).count()
}

/// A property's contribution: key plus value, except that a `null` property contributes nothing
/// (it is a deletion in a patch and never stored in a document).
fn property_size(key: &str, value: &Value, value_size: usize) -> usize {
    if value.is_null() {
        0
    } else {
        string_size(key).saturating_add(value_size)
    }
}

fn value_size(value: &Value) -> usize {
    match value {
        Value::Null => 0,
        Value::Bool(_) => BOOL_SIZE,
        Value::Number(_) => NUMBER_SIZE,
        Value::String(s) => string_size(s),
        Value::Array(items) => items.iter().map(value_size).fold(0, usize::saturating_add),
        Value::Object(map) => object_size(map, false),
    }
}

fn object_size(map: &Map<String, Value>, is_root: bool) -> usize {
    map.iter()
        .filter(|(k, _)| !(is_root && is_system_key(k)))
        .map(|(k, v)| property_size(k, v, value_size(v)))
        .fold(0, usize::saturating_add)
}

/// The size of a section (or patch) by the hub's accounting rule, compared with the 8 KB /
/// 32 KB limits.
///
/// * A property counts its key plus its value.
/// * Keys and strings count their characters, excluding control characters (C0, DEL, C1).
/// * Numbers count 8, booleans 4.
/// * Objects count the sum of their properties; arrays the sum of their elements.
/// * `null` counts 0, and a property whose value is `null` counts 0 including its key: it is a
///   deletion in a patch, and a stored document never holds one.
/// * The root-level `$version` and `$metadata` are excluded.
///
/// A non-object `doc` counts as a bare value.
pub fn section_size(doc: &Value) -> usize {
    match doc {
        Value::Object(map) => object_size(map, true),
        other => value_size(other),
    }
}

fn metadata_node(timestamp: &str, version: Option<i64>) -> Map<String, Value> {
    let mut node = Map::new();
    stamp(&mut node, timestamp, version);
    node
}

fn stamp(node: &mut Map<String, Value>, timestamp: &str, version: Option<i64>) {
    node.insert(LAST_UPDATED_KEY.to_owned(), Value::from(timestamp));
    if let Some(version) = version {
        node.insert(LAST_UPDATED_VERSION_KEY.to_owned(), Value::from(version));
    }
}

/// Updates a section's `$metadata` for a patch that was just merged into it.
///
/// Every object level the patch touches gets `$lastUpdated = timestamp` (and
/// `$lastUpdatedVersion = version` when given: pass the new desired `$version` for desired and
/// `None` for reported). The root node is always stamped; a deleted key loses its metadata while
/// its parent is stamped, which is how the hub records deletions; a non-object value gets a fresh
/// leaf node (dropping metadata of any object it replaced). Keys starting with `$` are ignored.
pub fn apply_metadata(
    metadata: &mut Map<String, Value>,
    patch: &Map<String, Value>,
    timestamp: &str,
    version: Option<i64>,
) {
    stamp(metadata, timestamp, version);
    for (key, value) in patch {
        if key.starts_with('$') {
            continue;
        }
        match value {
            Value::Null => {
                metadata.shift_remove(key);
            }
            Value::Object(inner) => {
                let node = metadata
                    .entry(key.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !node.is_object() {
                    *node = Value::Object(Map::new());
                }
                if let Value::Object(node) = node {
                    apply_metadata(node, inner, timestamp, version);
                }
            }
            _ => {
                metadata.insert(
                    key.clone(),
                    Value::Object(metadata_node(timestamp, version)),
                );
            }
        }
    }
}

/// Removes every `$metadata` member, at any depth, leaving `$version`: the device's view of a
/// section.
pub fn strip_metadata(doc: &mut Value) {
    match doc {
        Value::Object(map) => {
            map.shift_remove(METADATA_KEY);
            for value in map.values_mut() {
                strip_metadata(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_metadata),
        _ => {}
    }
}

/// The twin etag for a version: base64 of the version as 8 big-endian bytes
/// (1 → `AAAAAAAAAAE=`).
pub fn etag_from_version(version: u64) -> String {
    BASE64.encode(version.to_be_bytes())
}

/// The device identity etag (`deviceEtag`, a device's `etag`) for a version: base64 of its
/// decimal text (0 → `MA==`).
pub fn device_etag_from_version(version: u64) -> String {
    BASE64.encode(version.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use serde_json::json;

    fn obj(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            other => panic!("not an object: {other}"),
        }
    }

    /// `{"k1":{"k2":…{"k<levels>": leaf}}}`: the innermost object sits at depth `levels`.
    fn nested(levels: usize, leaf: Value) -> Value {
        (1..=levels)
            .rev()
            .fold(leaf, |inner, i| json!({ format!("k{i}"): inner }))
    }

    // --- wire shapes ---------------------------------------------------------------------

    const TWIN_SAMPLE: &str = r#"{"deviceId":"d","etag":"AAAAAAAAAAc=","deviceEtag":"NTk0ODUyODgx","status":"enabled","statusUpdateTime":"0001-01-01T00:00:00Z","connectionState":"Disconnected","lastActivityTime":"2020-07-17T06:12:26.8402249Z","cloudToDeviceMessageCount":0,"authenticationType":"sas","x509Thumbprint":{"primaryThumbprint":null,"secondaryThumbprint":null},"modelId":"","version":15,"tags":{"location":{"region":"US"}},"properties":{"desired":{"fw":"1.2","$metadata":{"$lastUpdated":"2020-07-17T06:12:26.8402249Z","$lastUpdatedVersion":5,"fw":{"$lastUpdated":"2020-07-17T06:12:26.8402249Z","$lastUpdatedVersion":5}},"$version":5},"reported":{"fw":"1.1","$metadata":{"$lastUpdated":"2020-07-17T06:12:26.8402249Z","fw":{"$lastUpdated":"2020-07-17T06:12:26.8402249Z"}},"$version":9}},"capabilities":{"iotEdge":false}}"#;

    #[test]
    fn twin_sample_round_trips() {
        let twin: Twin = serde_json::from_str(TWIN_SAMPLE).unwrap();
        assert_eq!(twin.device_id.as_deref(), Some("d"));
        assert_eq!(twin.etag.as_deref(), Some("AAAAAAAAAAc="));
        assert_eq!(twin.device_etag.as_deref(), Some("NTk0ODUyODgx"));
        assert_eq!(twin.version, Some(15));
        assert_eq!(twin.model_id.as_deref(), Some(""));
        assert_eq!(twin.authentication_type, Some(AuthenticationType::Sas));
        assert_eq!(twin.properties.desired_version(), Some(5));
        assert_eq!(twin.properties.reported_version(), Some(9));
        assert_eq!(
            twin.last_activity_time.as_deref(),
            Some("2020-07-17T06:12:26.8402249Z")
        );

        let mut expected: Value = serde_json::from_str(TWIN_SAMPLE).unwrap();
        // This crate omits null members; the sample's only nulls are the thumbprints.
        expected["x509Thumbprint"] = json!({});
        assert_eq!(serde_json::to_value(&twin).unwrap(), expected);
    }

    #[test]
    fn partial_twin_for_patch_and_job_bodies() {
        let twin: Twin = serde_json::from_value(json!({
            "properties": {"desired": {"x": 1}}, "tags": {"t": "v"}, "etag": "*", "future": 1
        }))
        .unwrap();
        assert!(twin.properties.reported.is_null());
        assert_eq!(
            serde_json::to_value(&twin).unwrap(),
            json!({"tags": {"t": "v"}, "properties": {"desired": {"x": 1}}, "etag": "*"})
        );
        assert_eq!(serde_json::to_value(Twin::default()).unwrap(), json!({}));
    }

    #[test]
    fn device_view_strips_metadata_and_keeps_versions() {
        let twin: Twin = serde_json::from_str(TWIN_SAMPLE).unwrap();
        assert_eq!(
            twin.properties.device_view(),
            json!({"desired": {"fw": "1.2", "$version": 5}, "reported": {"fw": "1.1", "$version": 9}})
        );
        assert_eq!(
            TwinProperties::default().device_view(),
            json!({"desired": {}, "reported": {}})
        );
    }

    #[test]
    fn etags() {
        assert_eq!(etag_from_version(1), "AAAAAAAAAAE=");
        assert_eq!(etag_from_version(7), "AAAAAAAAAAc=");
        assert_eq!(device_etag_from_version(0), "MA==");
        assert_eq!(device_etag_from_version(733_117_103), "NzMzMTE3MTAz");
        assert_eq!(device_etag_from_version(594_852_881), "NTk0ODUyODgx");
    }

    // --- merge_patch ---------------------------------------------------------------------

    #[test]
    fn merge_nested_objects_and_leave_others_alone() {
        let mut doc = obj(json!({"a": {"b": 1, "c": 2}, "keep": true}));
        merge_patch(&mut doc, &obj(json!({"a": {"c": 3, "d": {"e": 4}}})));
        assert_eq!(
            Value::Object(doc),
            json!({"a": {"b": 1, "c": 3, "d": {"e": 4}}, "keep": true})
        );
    }

    #[test]
    fn merge_null_deletes_and_missing_delete_is_a_no_op() {
        let mut doc = obj(json!({"a": {"b": 1, "c": 2}, "x": 1, "y": 2}));
        merge_patch(
            &mut doc,
            &obj(json!({"a": {"b": null}, "x": null, "nope": null})),
        );
        assert_eq!(Value::Object(doc.clone()), json!({"a": {"c": 2}, "y": 2}));
        // Order of the remaining members is preserved.
        merge_patch(&mut doc, &obj(json!({"a": null})));
        assert_eq!(doc.keys().collect::<Vec<_>>(), ["y"]);
    }

    #[test]
    fn merge_object_over_scalar_and_scalar_over_object() {
        let mut doc = obj(json!({"a": 5, "b": {"deep": {"x": 1}}}));
        merge_patch(
            &mut doc,
            &obj(json!({"a": {"n": 1, "gone": null}, "b": "flat"})),
        );
        assert_eq!(Value::Object(doc), json!({"a": {"n": 1}, "b": "flat"}));
    }

    #[test]
    fn merge_replaces_arrays_wholesale() {
        let mut doc = obj(json!({"list": [1, 2, 3], "objs": [{"a": 1}]}));
        merge_patch(
            &mut doc,
            &obj(json!({"list": [9], "objs": [{"b": null}, null]})),
        );
        assert_eq!(
            Value::Object(doc),
            json!({"list": [9], "objs": [{"b": null}, null]})
        );
    }

    // --- validation ----------------------------------------------------------------------

    #[test]
    fn depth_ten_is_accepted_and_eleven_rejected() {
        // The documented example: ten nested objects under the section root.
        let ten = nested(10, json!({"property": "value"}));
        assert_eq!(validate_patch(TwinSection::Tags, &ten), Ok(()));
        assert_eq!(validate_document(TwinSection::Desired, &ten), Ok(()));

        let eleven = nested(11, json!({"property": "value"}));
        let err = validate_patch(TwinSection::Desired, &eleven).unwrap_err();
        assert_eq!(
            err,
            ModelError::TooDeep {
                path: "properties.desired.k1.k2.k3.k4.k5.k6.k7.k8.k9.k10.k11".into(),
                depth: 11,
                max: 10
            }
        );
        assert_eq!(err.error_code(), ErrorCode::ArgumentInvalid);

        // Arrays count as a level.
        let with_array = nested(9, json!({"list": [{"x": 1}]}));
        assert!(matches!(
            validate_patch(TwinSection::Reported, &with_array),
            Err(ModelError::TooDeep { depth: 11, .. })
        ));
        let array_at_ten = nested(9, json!({"list": [1, 2]}));
        assert_eq!(validate_patch(TwinSection::Reported, &array_at_ten), Ok(()));
    }

    #[test]
    fn key_rules_name_the_key_and_the_path() {
        let cases = [
            ("a.b", KeyProblem::Dot),
            ("$x", KeyProblem::Dollar),
            ("a$", KeyProblem::Dollar),
            ("a b", KeyProblem::Space),
            ("a\u{1}", KeyProblem::Control('\u{1}')),
            ("a\u{85}", KeyProblem::Control('\u{85}')),
            ("", KeyProblem::Empty),
        ];
        for (key, problem) in cases {
            let patch = json!({"a": {"b": { key: 1 }}});
            assert_eq!(
                validate_patch(TwinSection::Desired, &patch),
                Err(ModelError::InvalidKey {
                    path: "properties.desired.a.b".into(),
                    key: key.into(),
                    problem
                }),
                "key {key:?}"
            );
        }
        let err = validate_patch(TwinSection::Desired, &json!({"a.b": 1})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "property name 'a.b' at properties.desired contains '.'"
        );
        let err = validate_patch(TwinSection::Tags, &json!({"x": [{"bad key": 1}]})).unwrap_err();
        assert_eq!(err.path(), Some("tags.x[0]"));
        assert!(
            validate_patch(TwinSection::Tags, &json!({"a\u{1}": 1}))
                .unwrap_err()
                .to_string()
                .contains("'a\\u{1}'")
        );
    }

    #[test]
    fn key_length_boundary_in_utf8_bytes() {
        let ok = "k".repeat(1024);
        assert_eq!(
            validate_patch(TwinSection::Reported, &json!({ ok: 1 })),
            Ok(())
        );
        let long = "k".repeat(1025);
        let err = validate_patch(TwinSection::Reported, &json!({ long.clone(): 1 })).unwrap_err();
        assert_eq!(
            err,
            ModelError::InvalidKey {
                path: "properties.reported".into(),
                key: long,
                problem: KeyProblem::TooLong { bytes: 1025 }
            }
        );
        // Display shortens the key.
        assert!(err.to_string().len() < 200, "{err}");
        // 342 three-byte characters are 1026 bytes.
        let wide = "€".repeat(342);
        assert!(matches!(
            validate_patch(TwinSection::Reported, &json!({ wide: 1 })),
            Err(ModelError::InvalidKey {
                problem: KeyProblem::TooLong { bytes: 1026 },
                ..
            })
        ));
    }

    #[test]
    fn system_keys_rejected_in_patches_but_skipped_at_document_root() {
        let doc = json!({"a": 1, "$version": 4, "$metadata": {"$lastUpdated": "x"}});
        assert_eq!(validate_document(TwinSection::Desired, &doc), Ok(()));
        assert!(matches!(
            validate_patch(TwinSection::Desired, &doc),
            Err(ModelError::InvalidKey {
                problem: KeyProblem::Dollar,
                ..
            })
        ));
        let nested_version = json!({"a": {"$version": 1}});
        assert!(validate_document(TwinSection::Desired, &nested_version).is_err());
    }

    #[test]
    fn integer_range() {
        for ok in [MAX_INTEGER, MIN_INTEGER, 0] {
            assert_eq!(
                validate_patch(TwinSection::Tags, &json!({ "n": ok })),
                Ok(())
            );
        }
        for bad in [
            json!(MAX_INTEGER + 1),
            json!(MIN_INTEGER - 1),
            json!(u64::MAX),
        ] {
            let err =
                validate_patch(TwinSection::Tags, &json!({"a": {"n": bad.clone()}})).unwrap_err();
            assert_eq!(
                err,
                ModelError::IntegerOutOfRange {
                    path: "tags.a.n".into(),
                    value: bad.to_string(),
                    min: MIN_INTEGER,
                    max: MAX_INTEGER
                }
            );
        }
        assert_eq!(
            validate_patch(TwinSection::Tags, &json!({"f": 1.5e300})),
            Ok(())
        );
    }

    #[test]
    fn string_and_property_limits() {
        let s4096 = "s".repeat(4096);
        assert!(matches!(
            validate_patch(TwinSection::Desired, &json!({"k": s4096})),
            Err(ModelError::PropertyTooLarge { size: 4097, .. })
        ));
        // 4095 characters plus a one-character key is exactly 4096.
        assert_eq!(
            validate_patch(TwinSection::Desired, &json!({"k": "s".repeat(4095)})),
            Ok(())
        );
        assert_eq!(
            validate_patch(TwinSection::Desired, &json!({"k": "s".repeat(4097)})),
            Err(ModelError::StringTooLong {
                path: "properties.desired.k".into(),
                bytes: 4097,
                max: 4096
            })
        );
        // Arrays are one leaf property.
        let arr: Vec<Value> = (0..600).map(|_| json!(1)).collect();
        assert!(matches!(
            validate_patch(TwinSection::Desired, &json!({"list": arr})),
            Err(ModelError::PropertyTooLarge { size: 4804, .. })
        ));
    }

    /// A section of `n` properties `kNNNN: "<value>"` totalling exactly `target` bytes.
    fn doc_of_size(target: usize) -> Value {
        let mut map = Map::new();
        let mut remaining = target;
        let mut i = 0;
        while remaining > 0 {
            let key = format!("k{i:04}"); // 5 characters
            let value_len = remaining.saturating_sub(key.len()).min(1000);
            let take = key.len() + value_len;
            assert!(take <= remaining, "target not reachable");
            map.insert(key, Value::from("v".repeat(value_len)));
            remaining -= take;
            i += 1;
        }
        let doc = Value::Object(map);
        assert_eq!(section_size(&doc), target);
        doc
    }

    #[test]
    fn tags_eight_kb_boundary() {
        assert_eq!(
            validate_document(TwinSection::Tags, &doc_of_size(8192)),
            Ok(())
        );
        assert_eq!(
            validate_document(TwinSection::Tags, &doc_of_size(8197)),
            Err(ModelError::SectionTooLarge {
                path: "tags".into(),
                size: 8197,
                max: 8192
            })
        );
    }

    #[test]
    fn desired_and_reported_thirty_two_kb_boundary() {
        let at_limit = doc_of_size(32 * 1024);
        let over = doc_of_size(32 * 1024 + 5);
        for section in [TwinSection::Desired, TwinSection::Reported] {
            assert_eq!(validate_document(section, &at_limit), Ok(()));
            assert_eq!(validate_patch(section, &at_limit), Ok(()));
            let err = validate_document(section, &over).unwrap_err();
            assert_eq!(
                err,
                ModelError::SectionTooLarge {
                    path: section.path().into(),
                    size: 32 * 1024 + 5,
                    max: 32 * 1024
                }
            );
        }
        // The system members are not counted.
        let mut with_system = at_limit.clone();
        with_system[VERSION_KEY] = json!(3);
        with_system[METADATA_KEY] = json!({"$lastUpdated": "2024-01-02T03:04:05.1234567Z"});
        assert_eq!(
            validate_document(TwinSection::Desired, &with_system),
            Ok(())
        );
    }

    #[test]
    fn size_accounting_rules() {
        assert_eq!(section_size(&json!({})), 0);
        assert_eq!(section_size(&json!({"ab": "xyz"})), 5);
        assert_eq!(section_size(&json!({"n": 1, "f": 2.5})), 2 + 16);
        assert_eq!(section_size(&json!({"b": true})), 5);
        assert_eq!(section_size(&json!({"gone": null})), 0);
        assert_eq!(section_size(&json!({"o": {"ab": "c"}})), 1 + 3);
        assert_eq!(
            section_size(&json!({"l": [1, "ab", null, {"k": false}]})),
            1 + 8 + 2 + 5
        );
        // Characters, not bytes; control characters do not count.
        assert_eq!(section_size(&json!({"é": "日本\n"})), 3);
        assert_eq!(
            section_size(&json!({"$version": 3, "$metadata": {"a": 1}, "x": 1})),
            9
        );
        assert_eq!(section_size(&json!("abc")), 3);
    }

    #[test]
    fn non_objects_are_rejected() {
        assert_eq!(
            validate_patch(TwinSection::Desired, &json!([1])),
            Err(ModelError::NotAnObject {
                path: "properties.desired".into(),
                found: "an array"
            })
        );
        assert!(validate_document(TwinSection::Tags, &Value::Null).is_err());
    }

    #[test]
    fn patches_may_delete() {
        assert_eq!(
            validate_patch(TwinSection::Reported, &json!({"a": null, "b": {"c": null}})),
            Ok(())
        );
    }

    // --- metadata ------------------------------------------------------------------------

    const T1: &str = "2024-01-02T03:04:05.0000001Z";
    const T2: &str = "2024-01-02T03:04:06.0000002Z";

    #[test]
    fn metadata_stamps_every_level_touched_with_version() {
        let mut meta = Map::new();
        apply_metadata(
            &mut meta,
            &obj(json!({"a": {"b": {"c": 1}}, "x": "y"})),
            T1,
            Some(2),
        );
        let leaf = json!({"$lastUpdated": T1, "$lastUpdatedVersion": 2});
        assert_eq!(
            Value::Object(meta.clone()),
            json!({
                "$lastUpdated": T1, "$lastUpdatedVersion": 2,
                "a": {"$lastUpdated": T1, "$lastUpdatedVersion": 2,
                      "b": {"$lastUpdated": T1, "$lastUpdatedVersion": 2, "c": leaf}},
                "x": leaf
            })
        );

        // A second patch touching only a.b.d leaves x alone and re-stamps a, a.b.
        apply_metadata(
            &mut meta,
            &obj(json!({"a": {"b": {"d": true}}})),
            T2,
            Some(3),
        );
        let v = Value::Object(meta);
        assert_eq!(v["$lastUpdatedVersion"], json!(3));
        assert_eq!(v["a"]["$lastUpdated"], json!(T2));
        assert_eq!(v["a"]["b"]["$lastUpdatedVersion"], json!(3));
        assert_eq!(v["a"]["b"]["c"]["$lastUpdated"], json!(T1));
        assert_eq!(v["a"]["b"]["d"]["$lastUpdated"], json!(T2));
        assert_eq!(v["x"]["$lastUpdatedVersion"], json!(2));
    }

    #[test]
    fn metadata_delete_updates_parents_and_drops_the_node() {
        let mut meta = Map::new();
        apply_metadata(&mut meta, &obj(json!({"a": {"b": 1, "c": 2}})), T1, None);
        apply_metadata(&mut meta, &obj(json!({"a": {"b": null}})), T2, None);
        assert_eq!(
            Value::Object(meta),
            json!({
                "$lastUpdated": T2,
                "a": {"$lastUpdated": T2, "c": {"$lastUpdated": T1}}
            })
        );
    }

    #[test]
    fn metadata_scalar_over_object_drops_child_metadata() {
        let mut meta = Map::new();
        apply_metadata(&mut meta, &obj(json!({"a": {"b": 1}})), T1, None);
        apply_metadata(&mut meta, &obj(json!({"a": 5})), T2, None);
        assert_eq!(
            Value::Object(meta),
            json!({"$lastUpdated": T2, "a": {"$lastUpdated": T2}})
        );
    }

    #[test]
    fn strip_metadata_everywhere_keeps_versions() {
        let mut doc = json!({
            "a": {"$metadata": {"x": 1}, "b": [{"$metadata": 1, "c": 2}]},
            "$metadata": {"$lastUpdated": T1},
            "$version": 7
        });
        strip_metadata(&mut doc);
        assert_eq!(doc, json!({"a": {"b": [{"c": 2}]}, "$version": 7}));
    }
}
