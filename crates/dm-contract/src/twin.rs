//! Building twin patches and reading `dm` sections and operations out of twin documents.
//!
//! Twins reach the two sides in different wrappings: the service's `GET /twins/{id}` has
//! `properties.desired/reported`, the device's MQTT GET has top-level `desired`/`reported`, and
//! patches carry the bare properties object. The readers here accept all three so neither side
//! has to unwrap by hand (and get it subtly wrong).

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::sections::strip_dollar_keys;
use crate::{ContractError, NAMESPACE, OperationId, OperationStatus, Section};

/// The reported patch `{"dm": {section: value}}`, as the agent sends it.
pub fn reported_patch(section: Section, value: Value) -> Value {
    nest([NAMESPACE, section.name()], value)
}

/// The service twin patch `{"properties": {"desired": {"dm": {section: value}}}}`, as `dmctl`
/// sends it with `PATCH /twins/{id}`. A `null` value deletes the section.
pub fn desired_patch(section: Section, value: Value) -> Value {
    nest(["properties", "desired", NAMESPACE, section.name()], value)
}

/// Wraps `value` in one single-key object per path element, innermost last.
fn nest<const N: usize>(path: [&str; N], value: Value) -> Value {
    path.iter().rev().fold(value, |inner, key| {
        let mut map = Map::with_capacity(1);
        map.insert((*key).to_owned(), inner);
        Value::Object(map)
    })
}

/// The reported patch that writes one operation envelope under its section.
pub fn operation_patch(
    section: Section,
    operation: &OperationStatus,
) -> Result<Value, ContractError> {
    let envelope = to_value(operation, "operation envelope")?;
    Ok(reported_patch(
        section,
        json!({ "operations": { operation.id.as_str(): envelope } }),
    ))
}

/// The reported patch deleting operation envelopes (each id set to `null`), for pruning.
pub fn prune_patch(section: Section, ids: &[OperationId]) -> Value {
    let deletions: Map<String, Value> = ids
        .iter()
        .map(|id| (id.as_str().to_owned(), Value::Null))
        .collect();
    reported_patch(section, json!({ "operations": deletions }))
}

/// The reported patch for a whole typed section.
pub fn section_patch<T: Serialize>(section: Section, value: &T) -> Result<Value, ContractError> {
    Ok(reported_patch(section, to_value(value, section.name())?))
}

fn to_value<T: Serialize>(value: &T, what: &str) -> Result<Value, ContractError> {
    serde_json::to_value(value).map_err(|e| ContractError::from_json(what, &e))
}

fn properties<'a>(twin: &'a Value, side: &str) -> Option<&'a Value> {
    if let Some(props) = twin.get("properties") {
        return props.get(side);
    }
    if let Some(props) = twin.get(side) {
        return Some(props);
    }
    twin.get(NAMESPACE).map(|_| twin)
}

/// The reported properties of a service twin (`properties.reported`), a device twin
/// (`reported`), or the reported object itself (anything with a top-level `dm`).
pub fn reported_properties(twin: &Value) -> Option<&Value> {
    properties(twin, "reported")
}

/// The desired properties, accepting the same wrappings as [`reported_properties`].
pub fn desired_properties(twin: &Value) -> Option<&Value> {
    properties(twin, "desired")
}

/// The desired `$version`, from any wrapping.
pub fn desired_version(twin: &Value) -> Option<u64> {
    desired_properties(twin)?.get("$version")?.as_u64()
}

/// The raw value of `dm.<section>` in a desired or reported properties object.
pub fn section_value(properties: &Value, section: Section) -> Option<&Value> {
    properties.get(NAMESPACE)?.get(section.name())
}

/// Reads `dm.<section>` of a properties object as `T`, ignoring unknown fields and hub
/// metadata; `Ok(None)` when the section is absent.
pub fn read_section<T: DeserializeOwned>(
    properties: &Value,
    section: Section,
) -> Result<Option<T>, ContractError> {
    let Some(value) = section_value(properties, section) else {
        return Ok(None);
    };
    if value.is_null() {
        return Ok(None);
    }
    crate::error::from_value(format!("{NAMESPACE}.{section}"), &strip_dollar_keys(value)).map(Some)
}

/// Where an operation's envelope lives, relative to the reported properties:
/// `["dm", section, "operations", id]`.
pub fn operation_path(section: Section, id: &str) -> Vec<&str> {
    vec![NAMESPACE, section.name(), "operations", id]
}

/// The envelope of operation `id` under `section` in a twin (any wrapping), if present.
pub fn find_operation(
    twin: &Value,
    section: Section,
    id: &str,
) -> Result<Option<OperationStatus>, ContractError> {
    let Some(reported) = reported_properties(twin) else {
        return Ok(None);
    };
    let mut node = reported;
    for key in operation_path(section, id) {
        match node.get(key) {
            Some(next) => node = next,
            None => return Ok(None),
        }
    }
    if node.is_null() {
        return Ok(None);
    }
    serde_json::from_value(strip_dollar_keys(node))
        .map(Some)
        .map_err(|e| {
            ContractError::from_json(format!("operation `{id}` in {NAMESPACE}.{section}"), &e)
        })
}

/// Looks for operation `id` under every section, for callers that do not know where it went.
pub fn find_operation_anywhere(
    twin: &Value,
    id: &str,
) -> Result<Option<(Section, OperationStatus)>, ContractError> {
    for section in Section::ALL.into_iter().filter(|s| s.has_operations()) {
        if let Some(op) = find_operation(twin, section, id)? {
            return Ok(Some((section, op)));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{OperationState, TimeDesired};

    fn reported_twin() -> Value {
        json!({
            "deviceId": "sensor-042",
            "properties": {
                "desired": {"dm": {"time": {"timeZone": "Europe/Paris"}}, "$version": 7},
                "reported": {
                    "dm": {
                        "apps": {
                            "managed": [],
                            "operations": {
                                "op-1": {"id": "op-1", "op": "dm.apps.install", "state": "running",
                                         "requestedAt": "2025-03-01T10:00:00Z",
                                         "startedAt": "2025-03-01T10:00:01Z", "progress": 40}
                            }
                        },
                        "reboot": {"operations": {"op-2": {"id": "op-2", "op": "dm.reboot",
                            "state": "bogus", "requestedAt": "2025-03-01T10:00:00Z"}}}
                    },
                    "appTemperature": 21.5,
                    "$metadata": {"$lastUpdated": "2025-03-01T10:00:02Z"},
                    "$version": 12
                }
            }
        })
    }

    #[test]
    fn patches_have_the_documented_shape() {
        assert_eq!(
            reported_patch(Section::Time, json!({"timeZone": "UTC"})),
            json!({"dm": {"time": {"timeZone": "UTC"}}})
        );
        assert_eq!(
            desired_patch(Section::Reboot, Value::Null),
            json!({"properties": {"desired": {"dm": {"reboot": null}}}})
        );
        let ids = [
            OperationId::new("a").unwrap(),
            OperationId::new("b").unwrap(),
        ];
        assert_eq!(
            prune_patch(Section::Apps, &ids),
            json!({"dm": {"apps": {"operations": {"a": null, "b": null}}}})
        );
        let op = OperationStatus::pending(
            OperationId::new("x1").unwrap(),
            "dm.reboot",
            "2025-03-01T10:00:00Z".parse().unwrap(),
        );
        let patch = operation_patch(Section::Reboot, &op).unwrap();
        assert_eq!(
            patch["dm"]["reboot"]["operations"]["x1"]["state"],
            "pending"
        );
    }

    #[test]
    fn finds_an_operation_in_every_twin_wrapping() {
        let service = reported_twin();
        let reported = service["properties"]["reported"].clone();
        let device = json!({"desired": {}, "reported": reported.clone()});
        for twin in [&service, &device, &reported] {
            let op = find_operation(twin, Section::Apps, "op-1")
                .unwrap()
                .unwrap();
            assert_eq!(op.state, OperationState::Running);
            assert_eq!(op.progress, Some(40));
            assert!(
                find_operation(twin, Section::Apps, "op-9")
                    .unwrap()
                    .is_none()
            );
            assert!(
                find_operation(twin, Section::Time, "op-1")
                    .unwrap()
                    .is_none()
            );
        }
        let (section, op) = find_operation_anywhere(&service, "op-1").unwrap().unwrap();
        assert_eq!(
            (section, op.op.as_str()),
            (Section::Apps, "dm.apps.install")
        );
        assert!(find_operation_anywhere(&service, "nope").unwrap().is_none());
    }

    #[test]
    fn a_broken_envelope_is_an_error_not_a_miss() {
        let err = find_operation(&reported_twin(), Section::Reboot, "op-2").unwrap_err();
        assert!(err.to_string().contains("op-2"), "{err}");
    }

    #[test]
    fn reads_sections_and_versions() {
        let twin = reported_twin();
        assert_eq!(desired_version(&twin), Some(7));
        let desired = desired_properties(&twin).unwrap();
        let time: TimeDesired = read_section(desired, Section::Time).unwrap().unwrap();
        assert_eq!(time.time_zone.as_deref(), Some("Europe/Paris"));
        assert!(
            read_section::<TimeDesired>(desired, Section::Updates)
                .unwrap()
                .is_none()
        );
        assert!(reported_properties(&json!({"deviceId": "x"})).is_none());
    }

    #[test]
    fn operation_path_is_relative_to_reported() {
        assert_eq!(
            operation_path(Section::Diagnostics, "op-7"),
            ["dm", "diagnostics", "operations", "op-7"]
        );
    }
}
