//! Twin state transitions: service patch and replace, device reported patches, and the
//! documents the service and the device see.
//!
//! Kept apart from storage and transport so the version, etag and `$metadata` rules of the
//! protocol reference §D.1 can be tested on plain values. The merge, limits and metadata
//! algorithms themselves come from `iothub-model`; this module decides *when* each counter moves:
//!
//! | counter | starts | moves on |
//! |---|---|---|
//! | `properties.desired.$version` | 1 | each desired change |
//! | `properties.reported.$version` | 1 | each reported change |
//! | `etag` | 1 (`AAAAAAAAAAE=`) | each service-side change (tags or desired) |
//! | `version` | 2 | every change |

use iothub_model::twin::{LAST_UPDATED_KEY, METADATA_KEY, VERSION_KEY};
use iothub_model::{
    ErrorCode, TwinSection, apply_metadata, etag_from_version, merge_patch, validate_document,
    validate_patch,
};
use serde_json::{Map, Value};

use crate::error::EmulatorError;
use crate::store::TwinState;

/// A fresh twin created at `timestamp`.
pub fn new_twin(timestamp: &str) -> TwinState {
    let mut root = Map::new();
    root.insert(LAST_UPDATED_KEY.to_string(), Value::from(timestamp));
    TwinState {
        desired_metadata: root.clone(),
        reported_metadata: root,
        desired_version: 1,
        reported_version: 1,
        version: 2,
        etag_version: 1,
        ..TwinState::default()
    }
}

/// The twin's `etag` as sent on the wire (unquoted).
pub fn etag(twin: &TwinState) -> String {
    etag_from_version(twin.etag_version)
}

fn to_u64(v: u64) -> Value {
    Value::from(v)
}

fn i64_version(v: u64) -> Option<i64> {
    i64::try_from(v).ok()
}

/// `properties.desired` or `properties.reported` with `$metadata` and `$version`.
fn section(body: &Map<String, Value>, metadata: &Map<String, Value>, version: u64) -> Value {
    let mut out = body.clone();
    out.insert(METADATA_KEY.to_string(), Value::Object(metadata.clone()));
    out.insert(VERSION_KEY.to_string(), to_u64(version));
    Value::Object(out)
}

/// The `tags`, `properties` and counters of the service view of a twin; the caller adds the
/// identity fields (`deviceId`, `status`, ...).
pub fn service_parts(twin: &TwinState) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("etag".into(), Value::from(etag(twin)));
    out.insert("version".into(), to_u64(twin.version));
    out.insert("tags".into(), Value::Object(twin.tags.clone()));
    let mut properties = Map::new();
    properties.insert(
        "desired".into(),
        section(&twin.desired, &twin.desired_metadata, twin.desired_version),
    );
    properties.insert(
        "reported".into(),
        section(
            &twin.reported,
            &twin.reported_metadata,
            twin.reported_version,
        ),
    );
    out.insert("properties".into(), Value::Object(properties));
    out
}

/// The device's view (MQTT twin GET): desired and reported with `$version`, without tags and
/// without `$metadata`.
pub fn device_view(twin: &TwinState) -> Value {
    let with_version = |body: &Map<String, Value>, version: u64| {
        let mut out = body.clone();
        out.insert(VERSION_KEY.to_string(), to_u64(version));
        Value::Object(out)
    };
    let mut view = Map::new();
    view.insert(
        "desired".into(),
        with_version(&twin.desired, twin.desired_version),
    );
    view.insert(
        "reported".into(),
        with_version(&twin.reported, twin.reported_version),
    );
    Value::Object(view)
}

fn invalid(e: &iothub_model::ModelError) -> EmulatorError {
    EmulatorError::hub(e.error_code(), e.to_string())
}

/// Read-modify-write clients send back `$version` and `$metadata` they got from a GET; the
/// hub owns those, so they are dropped rather than rejected as `$` keys.
fn without_read_only(section: &Map<String, Value>) -> Map<String, Value> {
    let mut out = section.clone();
    out.shift_remove(VERSION_KEY);
    out.shift_remove(METADATA_KEY);
    out
}

/// Extracts a section (`tags` or `properties.desired`) from a request body. `Null` or absent
/// means "not given"; anything other than an object is refused naming the path.
fn object_section(
    value: Option<&Value>,
    which: TwinSection,
) -> Result<Option<Map<String, Value>>, EmulatorError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(without_read_only(map))),
        Some(other) => Err(EmulatorError::hub(
            ErrorCode::ArgumentInvalid,
            format!(
                "{} must be a JSON object, found {}",
                which.path(),
                iothub_model::json_kind(other)
            ),
        )),
    }
}

/// The service-writable parts of a twin request body (`PATCH`/`PUT /twins/{id}`, a job's
/// `updateTwin`, a bulk `updateTwin`). Reported properties and identity fields in the body are
/// ignored: the service cannot write them, and clients echo whole twins back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceTwinWrite {
    /// `tags`, when given.
    pub tags: Option<Map<String, Value>>,
    /// `properties.desired`, when given.
    pub desired: Option<Map<String, Value>>,
}

impl ServiceTwinWrite {
    /// Reads the writable sections from a twin body.
    pub fn from_body(body: &Value) -> Result<Self, EmulatorError> {
        let Value::Object(root) = body else {
            return Err(EmulatorError::hub(
                ErrorCode::ArgumentInvalid,
                format!(
                    "the twin must be a JSON object, found {}",
                    iothub_model::json_kind(body)
                ),
            ));
        };
        let desired = match root.get("properties") {
            None | Some(Value::Null) => None,
            Some(Value::Object(p)) => p.get("desired"),
            Some(other) => {
                return Err(EmulatorError::hub(
                    ErrorCode::ArgumentInvalid,
                    format!(
                        "properties must be a JSON object, found {}",
                        iothub_model::json_kind(other)
                    ),
                ));
            }
        };
        Ok(Self {
            tags: object_section(root.get("tags"), TwinSection::Tags)?,
            desired: object_section(desired, TwinSection::Desired)?,
        })
    }
}

/// What a service write changed, for the caller to act on after the commit.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceWriteOutcome {
    /// The desired notification to send (`patch` or whole document, with `$version`), when
    /// desired properties changed.
    pub notification: Option<(u64, Value)>,
}

fn bump(v: &mut u64) {
    *v = v.saturating_add(1);
}

/// Applies a service `PATCH`: deep merge with null deletes for tags and desired. Validates the
/// patch and the merged result (400004 naming the path) before changing anything.
pub fn patch(
    twin: &mut TwinState,
    write: &ServiceTwinWrite,
    timestamp: &str,
) -> Result<ServiceWriteOutcome, EmulatorError> {
    let mut tags = twin.tags.clone();
    let tags_changed = match &write.tags {
        Some(p) if !p.is_empty() => {
            let p = Value::Object(p.clone());
            validate_patch(TwinSection::Tags, &p).map_err(|e| invalid(&e))?;
            if let Value::Object(p) = &p {
                merge_patch(&mut tags, p);
            }
            validate_document(TwinSection::Tags, &Value::Object(tags.clone()))
                .map_err(|e| invalid(&e))?;
            true
        }
        _ => false,
    };
    let mut desired = twin.desired.clone();
    let desired_patch = match &write.desired {
        Some(p) if !p.is_empty() => {
            let as_value = Value::Object(p.clone());
            validate_patch(TwinSection::Desired, &as_value).map_err(|e| invalid(&e))?;
            merge_patch(&mut desired, p);
            validate_document(TwinSection::Desired, &Value::Object(desired.clone()))
                .map_err(|e| invalid(&e))?;
            Some(p)
        }
        _ => None,
    };
    let mut outcome = ServiceWriteOutcome { notification: None };
    if tags_changed {
        twin.tags = tags;
    }
    if let Some(p) = desired_patch {
        twin.desired = desired;
        bump(&mut twin.desired_version);
        apply_metadata(
            &mut twin.desired_metadata,
            p,
            timestamp,
            i64_version(twin.desired_version),
        );
        let mut note = p.clone();
        note.insert(VERSION_KEY.to_string(), to_u64(twin.desired_version));
        outcome.notification = Some((twin.desired_version, Value::Object(note)));
    }
    if tags_changed || outcome.notification.is_some() {
        bump(&mut twin.etag_version);
        bump(&mut twin.version);
    }
    Ok(outcome)
}

/// Applies a service `PUT`: tags and desired are replaced wholesale (an absent section becomes
/// empty). Desired metadata is rebuilt for the new document; the device is notified with the
/// whole desired document only when it actually changed.
pub fn replace(
    twin: &mut TwinState,
    write: &ServiceTwinWrite,
    timestamp: &str,
) -> Result<ServiceWriteOutcome, EmulatorError> {
    let tags = write.tags.clone().unwrap_or_default();
    let desired = write.desired.clone().unwrap_or_default();
    validate_document(TwinSection::Tags, &Value::Object(tags.clone())).map_err(|e| invalid(&e))?;
    validate_document(TwinSection::Desired, &Value::Object(desired.clone()))
        .map_err(|e| invalid(&e))?;
    let tags_changed = tags != twin.tags;
    let desired_changed = desired != twin.desired;
    let mut outcome = ServiceWriteOutcome { notification: None };
    twin.tags = tags;
    if desired_changed {
        bump(&mut twin.desired_version);
        let mut metadata = Map::new();
        apply_metadata(
            &mut metadata,
            &desired,
            timestamp,
            i64_version(twin.desired_version),
        );
        twin.desired_metadata = metadata;
        twin.desired = desired;
        let mut note = twin.desired.clone();
        note.insert(VERSION_KEY.to_string(), to_u64(twin.desired_version));
        outcome.notification = Some((twin.desired_version, Value::Object(note)));
    }
    if tags_changed || desired_changed {
        bump(&mut twin.etag_version);
        bump(&mut twin.version);
    }
    Ok(outcome)
}

/// Applies a device's reported-properties patch and returns the new reported `$version`.
/// Does not move the etag: only service-side changes do.
pub fn patch_reported(
    twin: &mut TwinState,
    patch: &Value,
    timestamp: &str,
) -> Result<u64, EmulatorError> {
    validate_patch(TwinSection::Reported, patch).map_err(|e| invalid(&e))?;
    let Value::Object(p) = patch else {
        // validate_patch only accepts objects; this keeps the types honest without a panic.
        return Err(EmulatorError::hub(
            ErrorCode::ArgumentInvalid,
            "the reported patch must be a JSON object",
        ));
    };
    let mut reported = twin.reported.clone();
    merge_patch(&mut reported, p);
    validate_document(TwinSection::Reported, &Value::Object(reported.clone()))
        .map_err(|e| invalid(&e))?;
    twin.reported = reported;
    bump(&mut twin.reported_version);
    bump(&mut twin.version);
    apply_metadata(&mut twin.reported_metadata, p, timestamp, None);
    Ok(twin.reported_version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const T0: &str = "2026-01-01T00:00:00.0000000Z";
    const T1: &str = "2026-01-01T00:00:01.0000000Z";

    fn write(body: &Value) -> ServiceTwinWrite {
        ServiceTwinWrite::from_body(body).unwrap()
    }

    #[test]
    fn a_new_twin_has_the_documented_counters() {
        let twin = new_twin(T0);
        let parts = service_parts(&twin);
        assert_eq!(parts["etag"], "AAAAAAAAAAE=");
        assert_eq!(parts["version"], 2);
        assert_eq!(parts["properties"]["desired"]["$version"], 1);
        assert_eq!(parts["properties"]["reported"]["$version"], 1);
        assert_eq!(
            parts["properties"]["desired"]["$metadata"],
            json!({"$lastUpdated": T0})
        );
        assert_eq!(
            device_view(&twin),
            json!({"desired": {"$version": 1}, "reported": {"$version": 1}})
        );
    }

    #[test]
    fn desired_patch_merges_deletes_and_notifies_with_the_patch() {
        let mut twin = new_twin(T0);
        let first = patch(
            &mut twin,
            &write(&json!({"properties": {"desired": {"a": {"b": 1, "c": 2}, "x": 1}}})),
            T0,
        )
        .unwrap();
        assert_eq!(first.notification.unwrap().0, 2);
        let out = patch(
            &mut twin,
            &write(&json!({"properties": {"desired": {"a": {"b": null}, "x": null}}})),
            T1,
        )
        .unwrap();
        assert_eq!(
            twin.desired,
            json!({"a": {"c": 2}}).as_object().unwrap().clone()
        );
        assert_eq!(
            out.notification,
            Some((3, json!({"a": {"b": null}, "x": null, "$version": 3})))
        );
        assert_eq!(twin.etag_version, 3);
        assert_eq!(twin.version, 4);
        let meta = Value::Object(twin.desired_metadata.clone());
        assert_eq!(meta["$lastUpdated"], T1);
        assert_eq!(meta["$lastUpdatedVersion"], 3);
        assert_eq!(meta["a"]["$lastUpdated"], T1);
        assert_eq!(
            meta["a"]["c"]["$lastUpdatedVersion"], 2,
            "untouched leaves keep their stamp"
        );
        assert!(meta.get("x").is_none(), "deleted keys lose their metadata");
    }

    #[test]
    fn tags_only_changes_move_the_etag_without_notifying() {
        let mut twin = new_twin(T0);
        let out = patch(&mut twin, &write(&json!({"tags": {"site": "a"}})), T1).unwrap();
        assert_eq!(out.notification, None);
        assert_eq!(
            (twin.etag_version, twin.version, twin.desired_version),
            (2, 3, 1)
        );
        let unchanged = patch(&mut twin, &write(&json!({})), T1).unwrap();
        assert_eq!(unchanged.notification, None);
        assert_eq!(twin.etag_version, 2, "an empty patch changes nothing");
    }

    #[test]
    fn read_only_members_echoed_back_are_ignored() {
        let mut twin = new_twin(T0);
        let body = json!({"deviceId": "d", "etag": "x", "properties": {
            "desired": {"k": 1, "$version": 7, "$metadata": {}},
            "reported": {"r": 1}}});
        patch(&mut twin, &write(&body), T1).unwrap();
        assert_eq!(Value::Object(twin.desired.clone()), json!({"k": 1}));
        assert!(
            twin.reported.is_empty(),
            "the service cannot write reported properties"
        );
    }

    #[test]
    fn invalid_patches_change_nothing_and_name_the_path() {
        let mut twin = new_twin(T0);
        let before = twin.clone();
        let err = patch(
            &mut twin,
            &write(&json!({"tags": {"ok": 1}, "properties": {"desired": {"a": {"bad key": 1}}}})),
            T1,
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::ArgumentInvalid);
        assert!(err.to_string().contains("properties.desired.a"), "{err}");
        assert_eq!(twin, before);
        let big = "x".repeat(4000);
        let many: Map<String, Value> = (0..10)
            .map(|i| (format!("k{i}"), Value::from(big.clone())))
            .collect();
        let err = patch(
            &mut twin,
            &ServiceTwinWrite {
                tags: None,
                desired: Some(many),
            },
            T1,
        )
        .unwrap_err();
        assert!(err.to_string().contains("properties.desired"), "{err}");
        let err = ServiceTwinWrite::from_body(&json!({"tags": [1]})).unwrap_err();
        assert!(
            err.to_string().contains("tags must be a JSON object"),
            "{err}"
        );
    }

    #[test]
    fn replace_swaps_sections_and_notifies_only_on_desired_change() {
        let mut twin = new_twin(T0);
        patch(
            &mut twin,
            &write(&json!({"tags": {"a": 1}, "properties": {"desired": {"x": 1, "y": 2}}})),
            T0,
        )
        .unwrap();
        let out = replace(
            &mut twin,
            &write(&json!({"properties": {"desired": {"z": 3}}})),
            T1,
        )
        .unwrap();
        assert!(
            twin.tags.is_empty(),
            "an absent section is replaced by an empty one"
        );
        assert_eq!(out.notification, Some((3, json!({"z": 3, "$version": 3}))));
        assert_eq!(
            Value::Object(twin.desired_metadata.clone()),
            json!({"$lastUpdated": T1, "$lastUpdatedVersion": 3, "z": {"$lastUpdated": T1, "$lastUpdatedVersion": 3}})
        );
        let same = replace(
            &mut twin,
            &write(&json!({"tags": {"b": 1}, "properties": {"desired": {"z": 3}}})),
            T1,
        )
        .unwrap();
        assert_eq!(same.notification, None);
        assert_eq!(twin.desired_version, 3);
    }

    #[test]
    fn reported_patches_move_versions_but_not_the_etag() {
        let mut twin = new_twin(T0);
        assert_eq!(
            patch_reported(&mut twin, &json!({"fw": "1.0", "x": {"y": 1}}), T1).unwrap(),
            2
        );
        assert_eq!(
            patch_reported(&mut twin, &json!({"x": null}), T1).unwrap(),
            3
        );
        assert_eq!(Value::Object(twin.reported.clone()), json!({"fw": "1.0"}));
        assert_eq!((twin.etag_version, twin.version), (1, 4));
        assert_eq!(
            Value::Object(twin.reported_metadata.clone()),
            json!({"$lastUpdated": T1, "fw": {"$lastUpdated": T1}})
        );
        let err = patch_reported(&mut twin, &json!({"$version": 5}), T1).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ArgumentInvalid);
        assert_eq!(twin.reported_version, 3);
    }
}
