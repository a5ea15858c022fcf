//! Automatic device management: configurations (`/configurations`) and their content.
//!
//! A configuration tells the hub to keep desired properties set on every twin matching a target
//! condition; the hub re-evaluates the condition on an interval, resolves overlapping
//! configurations by priority and counts targeted and applied twins. The emulator stores and
//! evaluates these types, the client sends them and the CLI builds them, so the field names and
//! the rules (id charset, content paths, metric count) live here once.
//!
//! Only the content kinds that were set are sent and returned: the Azure CLI keeps a
//! configuration in `list` output by which content kind is non-null, so an empty placeholder
//! would list a device configuration as an edge deployment too (protocol reference §H.1).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use crate::id::validate_configuration_id;

/// How many custom metric queries one configuration may carry (IoT Hub quotas).
pub const MAX_CUSTOM_METRICS: usize = 5;

/// How many configurations (ADM and edge deployments together) a standard hub holds.
pub const MAX_CONFIGURATIONS: usize = 100;

/// The prefix every key of `deviceContent` must have: configurations only write desired
/// properties.
pub const DEVICE_CONTENT_PREFIX: &str = "properties.desired";

/// A configuration as `PUT`/`GET /configurations/{id}` carries it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Configuration {
    /// The id (≤ 128 lowercase letters, digits and `-+%_*!'`); must match the URL.
    #[serde(default)]
    pub id: String,
    /// Schema version (the CLI sends `"2.0"`, the .NET and Node SDKs `"1.0"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    /// Free-form labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
    /// What the configuration writes; immutable after creation.
    #[serde(default)]
    pub content: ConfigurationContent,
    /// `"assignment"` from the .NET v1 SDK; null otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The twins it targets: a query WHERE condition over `devices` (empty targets nothing).
    #[serde(default)]
    pub target_condition: String,
    /// When it was created (hub-written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time_utc: Option<String>,
    /// When it last changed (hub-written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_time_utc: Option<String>,
    /// Higher wins where configurations overlap; ties go to the newer one.
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub priority: Option<i32>,
    /// The hub's own metrics (`targetedCount`, `appliedCount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_metrics: Option<ConfigurationMetrics>,
    /// Custom metrics: named queries, and their latest counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<ConfigurationMetrics>,
    /// Entity tag for optimistic concurrency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
}

/// What a configuration writes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationContent {
    /// Device twin paths (`properties.desired.a.b`) to JSON values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_content: Option<Map<String, Value>>,
    /// Edge deployments: module id to `{path: value}` for that module's twin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modules_content: Option<Map<String, Value>>,
    /// Module configurations: module twin paths to JSON values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module_content: Option<Map<String, Value>>,
}

impl ConfigurationContent {
    /// Whether no content kind is set.
    pub fn is_empty(&self) -> bool {
        self.device_content.is_none()
            && self.modules_content.is_none()
            && self.module_content.is_none()
    }
}

/// Metric queries and their results.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationMetrics {
    /// The latest count per metric (empty before the first evaluation).
    #[serde(default)]
    pub results: BTreeMap<String, i64>,
    /// The query behind each metric.
    #[serde(default)]
    pub queries: BTreeMap<String, String>,
}

/// `POST /configurations/testQueries` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationQueriesTestInput {
    /// A target condition to check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_condition: Option<String>,
    /// Metric queries to check, by name.
    #[serde(default)]
    pub custom_metric_queries: BTreeMap<String, String>,
}

/// `POST /configurations/testQueries` response: what is wrong with each query (empty when
/// nothing is).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationQueriesTestResponse {
    /// Why the target condition is invalid, if it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_condition_error: Option<String>,
    /// Why each invalid metric query is invalid.
    #[serde(default)]
    pub custom_metric_query_errors: BTreeMap<String, String>,
}

/// The twin-side mark of a configuration (`configurations.{id}.status` on a twin): `Applied`
/// when its content was merged into the twin, `Targeted` when the twin matched but a
/// higher-priority configuration won every path.
pub const STATUS_APPLIED: &str = "Applied";
/// See [`STATUS_APPLIED`].
pub const STATUS_TARGETED: &str = "Targeted";

/// The `targetedCount` system query of a device configuration.
pub fn targeted_count_query(target_condition: &str) -> String {
    format!("SELECT deviceId FROM devices WHERE {target_condition}")
}

/// The `appliedCount` system query of a device configuration.
pub fn applied_count_query(id: &str) -> String {
    format!(
        "SELECT deviceId FROM devices WHERE configurations.[[{id}]].status = '{STATUS_APPLIED}'"
    )
}

/// Checks `deviceContent` keys: each must be `properties.desired` or a path below it, with
/// non-empty segments. Returns the offending key's message.
pub fn check_device_content(content: &Map<String, Value>) -> Result<(), String> {
    for key in content.keys() {
        let rest = key.strip_prefix(DEVICE_CONTENT_PREFIX);
        let ok = match rest {
            Some("") => true,
            Some(rest) => rest
                .strip_prefix('.')
                .is_some_and(|r| r.split('.').all(|s| !s.is_empty())),
            None => false,
        };
        if !ok {
            return Err(format!(
                "deviceContent key '{key}' is not a desired-property path; keys must be '{DEVICE_CONTENT_PREFIX}' or start with '{DEVICE_CONTENT_PREFIX}.'"
            ));
        }
    }
    Ok(())
}

/// The desired-properties patch a `deviceContent` stands for: `properties.desired.a.b: v`
/// becomes `{"a": {"b": v}}`; a bare `properties.desired` key must hold an object, merged at the
/// root. Keys are assumed checked by [`check_device_content`].
pub fn device_content_patch(content: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in content {
        let rest = key
            .strip_prefix(DEVICE_CONTENT_PREFIX)
            .map(|r| r.trim_start_matches('.'))
            .unwrap_or_default();
        if rest.is_empty() {
            if let Value::Object(map) = value {
                crate::twin::merge_patch(&mut out, map);
            }
            continue;
        }
        let mut nested = value.clone();
        for segment in rest.rsplit('.') {
            let mut m = Map::new();
            m.insert(segment.to_owned(), nested);
            nested = Value::Object(m);
        }
        if let Value::Object(map) = nested {
            crate::twin::merge_patch(&mut out, &map);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn content_keys_must_be_desired_paths() {
        let ok = json!({"properties.desired.fw": {"v": 1}, "properties.desired": {"a": 1}});
        assert_eq!(check_device_content(ok.as_object().unwrap()), Ok(()));
        for bad in [
            "tags.x",
            "properties.reported.x",
            "properties.desiredx",
            "properties.desired..a",
        ] {
            let mut m = Map::new();
            m.insert(bad.to_owned(), json!(1));
            let err = check_device_content(&m).unwrap_err();
            assert!(err.contains(bad), "{err}");
        }
    }

    #[test]
    fn content_becomes_a_nested_patch() {
        let content = json!({
            "properties.desired.fw.version": "2.0",
            "properties.desired.fw.url": "https://x",
            "properties.desired": {"mode": "eco"},
        });
        let patch = device_content_patch(content.as_object().unwrap());
        assert_eq!(
            Value::Object(patch),
            json!({"fw": {"version": "2.0", "url": "https://x"}, "mode": "eco"})
        );
    }

    #[test]
    fn priority_accepts_numeric_strings_and_only_set_content_is_sent() {
        let c: Configuration = serde_json::from_value(json!({
            "id": "a", "priority": "7", "content": {"deviceContent": {}}, "targetCondition": "*"
        }))
        .unwrap();
        assert_eq!(c.priority, Some(7));
        let back = serde_json::to_value(&c).unwrap();
        assert_eq!(back["content"], json!({"deviceContent": {}}));
    }
}
