//! Plans computed against twins in memory, conditions evaluated by the local hub's own query
//! engine (so they mean what they mean on the hub).

use std::sync::Mutex;

use iothub_model::CloudToDeviceMethod;
use serde_json::{Value, json};

use super::*;
use crate::dm::hub::DeviceAnswer;

struct Twins(Mutex<Vec<Value>>);

impl Hub for Twins {
    async fn twin(&self, device_id: &str) -> Result<Value, CliError> {
        let twins = self.0.lock().unwrap();
        Ok(twins
            .iter()
            .find(|t| t["deviceId"] == device_id)
            .cloned()
            .unwrap())
    }

    async fn invoke(
        &self,
        _device_id: &str,
        _call: &CloudToDeviceMethod,
    ) -> Result<DeviceAnswer, CliError> {
        Err(CliError::failure("plan never calls methods"))
    }

    async fn patch_twin(
        &self,
        _device_id: &str,
        _patch: &Value,
        _etag: Option<&str>,
    ) -> Result<Value, CliError> {
        Err(CliError::failure("plan never writes"))
    }

    async fn query_device_ids(&self, query: &str) -> Result<Vec<String>, CliError> {
        Ok(self
            .query(query)
            .await?
            .iter()
            .filter_map(|r| r["deviceId"].as_str().map(str::to_owned))
            .collect())
    }

    async fn query(&self, query: &str) -> Result<Vec<Value>, CliError> {
        let parsed = iothub_emulator::query::parse(query)
            .map_err(|e| CliError::usage(format!("{query}: {e}")))?;
        let twins = self.0.lock().unwrap().clone();
        parsed
            .execute(twins)
            .map_err(|e| CliError::usage(e.to_string()))
    }

    async fn uploaded_blob(&self, _url: &str) -> Result<Option<Vec<u8>>, CliError> {
        Ok(None)
    }
}

fn twin(id: &str, tags: &Value, desired: &Value) -> Value {
    json!({
        "deviceId": id,
        "etag": format!("etag-{id}"),
        "tags": tags,
        "properties": {"desired": desired, "reported": {}},
    })
}

fn hub() -> Twins {
    Twins(Mutex::new(vec![
        twin(
            "a",
            &json!({"site": "p4", "ring": "canary"}),
            &json!({"telemetry": {"interval": 30}, "$version": 3}),
        ),
        twin(
            "b",
            &json!({"site": "p4"}),
            &json!({"old": 1, "$version": 1}),
        ),
        twin("c", &json!({"site": "p5"}), &json!({"$version": 1})),
    ]))
}

fn file(toml_text: &str) -> DesiredFile {
    let file: DesiredFile = toml::from_str(toml_text).unwrap();
    check_file(&file).unwrap();
    file
}

#[tokio::test]
async fn only_what_differs_is_planned_and_patched() {
    let file = file(
        r#"
        [[targets]]
        where = "tags.site = 'p4'"
        tags = { ring = "canary" }
        [targets.desired]
        telemetry = { interval = 30 }
        "#,
    );
    let plan = compute(&hub(), &file, None).await.unwrap();
    assert_eq!(plan.unchanged, 1, "a already matches");
    assert_eq!(plan.devices.len(), 1);
    let b = &plan.devices[0];
    assert_eq!(b.device_id, "b");
    assert_eq!(b.etag.as_deref(), Some("etag-b"));
    let paths: Vec<(&str, ChangeKind)> = b
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.change))
        .collect();
    assert_eq!(
        paths,
        [
            ("desired.telemetry.interval", ChangeKind::Add),
            ("tags.ring", ChangeKind::Add)
        ]
    );
    assert_eq!(
        b.patch(),
        json!({"tags": {"ring": "canary"}, "properties": {"desired": {"telemetry": {"interval": 30}}}}),
        "only the changed paths, nothing of `old`"
    );
}

#[tokio::test]
async fn null_removes_and_target_narrows() {
    let file: DesiredFile = serde_json::from_value(json!({
        "targets": [{"where": "*", "desired": {"old": null, "telemetry": {"interval": 60}}}]
    }))
    .unwrap();
    check_file(&file).unwrap();
    let plan = compute(&hub(), &file, Some("WHERE tags.site = 'p4'"))
        .await
        .unwrap();
    let ids: Vec<&str> = plan.devices.iter().map(|d| d.device_id.as_str()).collect();
    assert_eq!(ids, ["a", "b"], "c is outside --target");
    let a = &plan.devices[0];
    assert_eq!(a.changes[0].change, ChangeKind::Change);
    assert_eq!(a.changes[0].live, json!(30));
    let b = &plan.devices[1];
    let old = b.changes.iter().find(|c| c.path == "desired.old").unwrap();
    assert_eq!(old.change, ChangeKind::Remove);
    assert_eq!(b.patch()["properties"]["desired"]["old"], Value::Null);
}

#[tokio::test]
async fn overlapping_entries_merge_and_contradictions_are_refused() {
    let agreeing = file(
        r#"
        [[targets]]
        where = "tags.site = 'p4'"
        tags = { ring = "canary" }
        [[targets]]
        name = "b only"
        where = "deviceId = 'b'"
        tags = { ring = "canary", extra = true }
        "#,
    );
    let plan = compute(&hub(), &agreeing, None).await.unwrap();
    let b = plan.devices.iter().find(|d| d.device_id == "b").unwrap();
    assert_eq!(b.changes.len(), 2, "{b:?}");

    let contradicting = file(
        r#"
        [[targets]]
        name = "site"
        where = "tags.site = 'p4'"
        tags = { ring = "canary" }
        [[targets]]
        name = "b only"
        where = "deviceId = 'b'"
        tags = { ring = "stable" }
        "#,
    );
    let err = compute(&hub(), &contradicting, None).await.unwrap_err();
    assert_eq!(err.exit(), Exit::Usage);
    assert!(err.message().contains("device 'b'"), "{}", err.message());
    assert!(
        err.message().contains("site") && err.message().contains("b only"),
        "{}",
        err.message()
    );

    let nested = file(
        r#"
        [[targets]]
        where = "*"
        desired = { telemetry = 1 }
        [[targets]]
        where = "deviceId = 'a'"
        desired = { telemetry = { interval = 5 } }
        "#,
    );
    assert!(compute(&hub(), &nested, None).await.is_err());
}

#[test]
fn bad_files_are_refused_with_the_entry_named() {
    let empty: DesiredFile = toml::from_str("[[targets]]\nwhere = \"*\"\n").unwrap();
    assert!(check_file(&empty).unwrap_err().contains("targets[0]"));
    let bad_where: DesiredFile =
        toml::from_str("[[targets]]\nname = \"x\"\nwhere = \"tags.a = \"\ntags = { a = 1 }\n")
            .unwrap();
    assert!(check_file(&bad_where).unwrap_err().starts_with("x: where"));
    let dollar: DesiredFile =
        toml::from_str("[[targets]]\nwhere = \"*\"\ndesired = { \"$x\" = 1 }\n").unwrap();
    assert!(check_file(&dollar).is_err());
    assert!(toml::from_str::<DesiredFile>("[[targets]]\nwhere = \"*\"\ntag = {}\n").is_err());
}

#[test]
fn conditions_are_combined() {
    assert_eq!(conjunction([None, None]), "");
    assert_eq!(
        conjunction([bare_condition("WHERE a = 1"), bare_condition("*")]),
        " WHERE (a = 1)"
    );
    assert_eq!(
        conjunction([Some("a = 1"), Some("b = 2 OR c = 3")]),
        " WHERE (a = 1) AND (b = 2 OR c = 3)"
    );
}
