//! Automatic device management: the `/configurations` API (validation, etags, limits) and the
//! evaluation that writes configuration content into targeted twins (priority, withdrawal,
//! metrics).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{TestHub, start};

fn device_config(target: &str, priority: i32, content: Value) -> Value {
    let mut body = json!({
        "id": "",
        "schemaVersion": "2.0",
        "content": {},
        "targetCondition": target,
        "priority": priority,
        "labels": {"team": "fw"},
        "metrics": {},
        "etag": "*"
    });
    body["content"]["deviceContent"] = content;
    body
}

async fn tag(t: &TestHub, id: &str, tags: Value) {
    let answer = t
        .patch(&format!("/twins/{id}"), json!({"tags": tags}))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

async fn twin(t: &TestHub, id: &str) -> Value {
    t.get(&format!("/twins/{id}")).await.body
}

fn evaluate(t: &TestHub) {
    t.hub.hub().evaluate_configurations().unwrap();
}

async fn put_if_match(t: &TestHub, path: &str, body: Value, etag: &str) -> crate::common::Answer {
    t.call_with(
        Method::PUT,
        path,
        Some(body),
        &[("authorization", &t.owner_token()), ("if-match", etag)],
    )
    .await
}

#[tokio::test]
async fn create_show_list_update_delete_with_etags() {
    let t = start().await;
    let created = t
        .put(
            "/configurations/fw-2",
            device_config(
                "tags.env = 'lab'",
                5,
                json!({"properties.desired.fw": {"version": "2.0"}}),
            ),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert_eq!(created.body["id"], "fw-2");
    assert_eq!(created.body["etag"], "MQ==");
    assert_eq!(created.header("etag"), Some("\"MQ==\""));
    assert_eq!(created.body["priority"], 5);
    assert_eq!(created.body["labels"], json!({"team": "fw"}));
    // Only the content kind that was set comes back.
    assert_eq!(
        created.body["content"],
        json!({"deviceContent": {"properties.desired.fw": {"version": "2.0"}}})
    );
    assert_eq!(
        created.body["systemMetrics"]["queries"]["appliedCount"],
        "SELECT deviceId FROM devices WHERE configurations.[[fw-2]].status = 'Applied'"
    );
    assert!(created.body["createdTimeUtc"].is_string());

    // Creating the same id again without If-Match is a conflict.
    let again = t
        .put(
            "/configurations/fw-2",
            device_config("*", 1, json!({"properties.desired.x": 1})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(again.error_name(), "ConfigurationAlreadyExists");

    // Update with a stale etag fails; with the current one it moves the etag.
    let mut update = created.body.clone();
    update["priority"] = json!(9);
    update["targetCondition"] = json!("tags.env = 'prod'");
    let stale = put_if_match(&t, "/configurations/fw-2", update.clone(), "\"Mg==\"").await;
    assert_eq!(
        stale.status,
        StatusCode::PRECONDITION_FAILED,
        "{}",
        stale.body
    );
    let updated = put_if_match(&t, "/configurations/fw-2", update.clone(), "\"MQ==\"").await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.body["etag"], "Mg==");
    assert_eq!(updated.body["priority"], 9);
    assert_eq!(
        updated.body["createdTimeUtc"],
        created.body["createdTimeUtc"]
    );

    // Content is immutable.
    let mut changed = update.clone();
    changed["content"] = json!({"deviceContent": {"properties.desired.fw": {"version": "3.0"}}});
    let refused = put_if_match(&t, "/configurations/fw-2", changed, "\"*\"").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(
        refused.message().contains("cannot change"),
        "{}",
        refused.message()
    );

    let shown = t.get("/configurations/fw-2").await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.body["targetCondition"], "tags.env = 'prod'");

    t.put(
        "/configurations/a-second",
        device_config("*", 0, json!({"properties.desired.y": 1})),
    )
    .await;
    let listed = t.get("/configurations").await;
    let ids: Vec<&str> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["fw-2", "a-second"]);
    let top = t.get("/configurations?top=1").await;
    assert_eq!(top.body.as_array().unwrap().len(), 1);

    let gone = t.delete("/configurations/fw-2").await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let missing = t.get("/configurations/fw-2").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.error_name(), "ConfigurationNotFound");
    assert_eq!(
        t.delete("/configurations/fw-2").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn invalid_configurations_are_refused_naming_what_is_wrong() {
    let t = start().await;
    let ok_content = json!({"properties.desired.a": 1});
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "Upper",
            device_config("*", 0, ok_content.clone()),
            "configuration id",
        ),
        (
            "dot.id",
            device_config("*", 0, ok_content.clone()),
            "configuration id",
        ),
        (
            "neg",
            device_config("*", -1, ok_content.clone()),
            "priority",
        ),
        (
            "tags",
            device_config("*", 0, json!({"tags.a": 1})),
            "tags.a",
        ),
        (
            "reported",
            device_config("*", 0, json!({"properties.reported.a": 1})),
            "properties.reported.a",
        ),
        (
            "badcond",
            device_config("tags.a = ", 0, ok_content.clone()),
            "targetCondition",
        ),
        (
            "nocontent",
            json!({"targetCondition": "*", "content": {}}),
            "content must set",
        ),
        (
            "two",
            json!({"targetCondition": "*", "content": {"deviceContent": {}, "moduleContent": {}}}),
            "more than one",
        ),
        (
            "modtarget",
            json!({"targetCondition": "tags.a = 1", "content": {"moduleContent": {"properties.desired.a": 1}}}),
            "from devices.modules where",
        ),
        (
            "metrics",
            json!({"targetCondition": "*", "content": {"deviceContent": ok_content.clone()},
                   "metrics": {"queries": {"m1": "SELECT deviceId FROM devices", "m2": "SELECT deviceId FROM devices",
                                           "m3": "SELECT deviceId FROM devices", "m4": "SELECT deviceId FROM devices",
                                           "m5": "SELECT deviceId FROM devices", "m6": "SELECT deviceId FROM devices"}}}),
            "at most 5",
        ),
        (
            "badmetric",
            json!({"targetCondition": "*", "content": {"deviceContent": ok_content.clone()},
                   "metrics": {"queries": {"broken": "SELECT FROM"}}}),
            "metric 'broken'",
        ),
        (
            "mismatch",
            json!({"id": "other", "targetCondition": "*", "content": {"deviceContent": ok_content.clone()}}),
            "does not match",
        ),
    ];
    for (id, body, needle) in cases {
        let answer = t.put(&format!("/configurations/{id}"), body).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{id}: {}",
            answer.body
        );
        assert!(
            answer.message().contains(needle),
            "{id}: {}",
            answer.message()
        );
    }
    assert_eq!(t.get("/configurations").await.body, json!([]));
    // A priority written as a string is read as the number, as the real service's parser does.
    let lenient = t
        .put(
            "/configurations/lenient",
            json!({"targetCondition": "*", "priority": "3", "content": {"deviceContent": ok_content}}),
        )
        .await;
    assert_eq!(lenient.status, StatusCode::OK, "{}", lenient.body);
    assert_eq!(lenient.body["priority"], 3);
}

#[tokio::test]
async fn a_hub_holds_at_most_one_hundred_configurations() {
    let t = start().await;
    for i in 0..100 {
        let answer = t
            .put(
                &format!("/configurations/c{i}"),
                device_config("", 0, json!({"properties.desired.a": i})),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{i}: {}", answer.body);
    }
    let over = t
        .put(
            "/configurations/c100",
            device_config("", 0, json!({"properties.desired.a": 1})),
        )
        .await;
    assert_eq!(over.status, StatusCode::FORBIDDEN, "{}", over.body);
    assert_eq!(over.error_name(), "TooManyConfigurationsOnHub");
    assert_eq!(
        t.get("/configurations")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        100
    );
}

#[tokio::test]
async fn test_queries_checks_without_storing() {
    let t = start().await;
    let answer = t
        .post(
            "/configurations/testQueries",
            json!({"targetCondition": "tags.env = 'x'",
                   "customMetricQueries": {"good": "SELECT deviceId FROM devices", "bad": "SELECT deviceId FROM"}}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["targetConditionError"], "");
    assert!(
        answer.body["customMetricQueryErrors"]["bad"]
            .as_str()
            .is_some_and(|e| !e.is_empty())
    );
    assert!(answer.body["customMetricQueryErrors"].get("good").is_none());
}

#[tokio::test]
async fn configurations_need_registry_permissions() {
    let t = start().await;
    let service = t.hub.service_connection_string("service").unwrap();
    let token = TestHub::token_for(&service);
    let answer = t
        .call_with(
            Method::GET,
            "/configurations",
            None,
            &[("authorization", &token)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    let read = t.hub.service_connection_string("registryRead").unwrap();
    let token = TestHub::token_for(&read);
    assert_eq!(
        t.call_with(
            Method::GET,
            "/configurations",
            None,
            &[("authorization", &token)]
        )
        .await
        .status,
        StatusCode::OK
    );
    let write = t
        .call_with(
            Method::PUT,
            "/configurations/x",
            Some(device_config("*", 0, json!({"properties.desired.a": 1}))),
            &[("authorization", &token)],
        )
        .await;
    assert_eq!(write.status, StatusCode::UNAUTHORIZED, "{}", write.body);
}

#[tokio::test]
async fn evaluation_applies_by_priority_withdraws_and_counts() {
    let t = start().await;
    for id in ["d1", "d2", "d3"] {
        t.create_device(id).await;
    }
    tag(&t, "d1", json!({"env": "lab"})).await;
    tag(&t, "d2", json!({"env": "lab", "ring": 0})).await;
    // d3 is not targeted.
    let low = t
        .put(
            "/configurations/low",
            json!({"targetCondition": "tags.env = 'lab'", "priority": 1,
                   "content": {"deviceContent": {"properties.desired.fw": {"version": "1.0", "channel": "stable"}}},
                   "metrics": {"queries": {"reportedV2": "SELECT deviceId FROM devices WHERE properties.reported.fw.version = '2.0'"}}}),
        )
        .await;
    assert_eq!(low.status, StatusCode::OK, "{}", low.body);
    let high = t
        .put(
            "/configurations/high",
            json!({"targetCondition": "tags.ring = 0", "priority": 10,
                   "content": {"deviceContent": {"properties.desired.fw.version": "2.0"}}}),
        )
        .await;
    assert_eq!(high.status, StatusCode::OK, "{}", high.body);
    evaluate(&t);

    let d1 = twin(&t, "d1").await;
    assert_eq!(
        d1["properties"]["desired"]["fw"],
        json!({"version": "1.0", "channel": "stable"})
    );
    assert_eq!(d1["configurations"], json!({"low": {"status": "Applied"}}));
    // d2: the higher priority wins fw.version; low still applies fw.channel.
    let d2 = twin(&t, "d2").await;
    assert_eq!(
        d2["properties"]["desired"]["fw"],
        json!({"version": "2.0", "channel": "stable"})
    );
    assert_eq!(
        d2["configurations"],
        json!({"high": {"status": "Applied"}, "low": {"status": "Applied"}})
    );
    let d3 = twin(&t, "d3").await;
    assert!(d3["properties"]["desired"].get("fw").is_none());
    assert!(d3.get("configurations").is_none());

    let low = t.get("/configurations/low").await.body;
    assert_eq!(
        low["systemMetrics"]["results"],
        json!({"targetedCount": 2, "appliedCount": 2})
    );
    assert_eq!(low["metrics"]["results"], json!({"reportedV2": 0}));
    // Metrics are the hub's bookkeeping: the etag stays.
    assert_eq!(low["etag"], "MQ==");
    let high = t.get("/configurations/high").await.body;
    assert_eq!(
        high["systemMetrics"]["results"],
        json!({"targetedCount": 1, "appliedCount": 1})
    );
    // The hub's own appliedCount query answers the same.
    let q = t
        .post(
            "/devices/query",
            json!({"query": high["systemMetrics"]["queries"]["appliedCount"]}),
        )
        .await;
    assert_eq!(q.body, json!([{"deviceId": "d2"}]));

    // A second pass writes nothing new: desired $version stays.
    let version = twin(&t, "d2").await["properties"]["desired"]["$version"].clone();
    evaluate(&t);
    assert_eq!(
        twin(&t, "d2").await["properties"]["desired"]["$version"],
        version
    );

    // d2 leaves high's target: the mark goes, the value stays (the real service never removes
    // desired properties), and low, still targeting, is not re-applied since it was applied.
    tag(&t, "d2", json!({"ring": 1})).await;
    evaluate(&t);
    let d2 = twin(&t, "d2").await;
    assert_eq!(d2["configurations"], json!({"low": {"status": "Applied"}}));
    assert_eq!(d2["properties"]["desired"]["fw"]["version"], "2.0");
    let high = t.get("/configurations/high").await.body;
    assert_eq!(
        high["systemMetrics"]["results"],
        json!({"targetedCount": 0, "appliedCount": 0})
    );
}

#[tokio::test]
async fn a_configuration_that_loses_every_path_is_targeted_and_takes_over_when_the_winner_goes() {
    let t = start().await;
    t.create_device("d1").await;
    tag(&t, "d1", json!({"env": "lab"})).await;
    let content = |v: &str| json!({"properties.desired.fw.version": v});
    t.put(
        "/configurations/winner",
        device_config("tags.env = 'lab'", 5, content("2.0")),
    )
    .await;
    t.put(
        "/configurations/loser",
        device_config("tags.env = 'lab'", 5, content("1.0")),
    )
    .await;
    evaluate(&t);
    // Same priority: the newer (loser, created second) wins.
    let d1 = twin(&t, "d1").await;
    assert_eq!(d1["properties"]["desired"]["fw"]["version"], "1.0");
    assert_eq!(
        d1["configurations"],
        json!({"loser": {"status": "Applied"}, "winner": {"status": "Targeted"}})
    );
    assert_eq!(
        t.get("/configurations/winner").await.body["systemMetrics"]["results"],
        json!({"targetedCount": 1, "appliedCount": 0})
    );
    // The newer one is deleted: the other takes over and writes its value.
    t.delete("/configurations/loser").await;
    evaluate(&t);
    let d1 = twin(&t, "d1").await;
    assert_eq!(d1["properties"]["desired"]["fw"]["version"], "2.0");
    assert_eq!(
        d1["configurations"],
        json!({"winner": {"status": "Applied"}})
    );
}

#[tokio::test]
async fn the_interval_task_applies_a_new_configuration_without_a_trigger() {
    let t = start().await;
    t.create_device("d1").await;
    t.put(
        "/configurations/all",
        device_config("*", 0, json!({"properties.desired.mode": "eco"})),
    )
    .await;
    let d1 = crate::common::eventually(
        crate::common::WITHIN,
        "the configuration to reach d1",
        async || {
            let d1 = twin(&t, "d1").await;
            (d1["properties"]["desired"]["mode"] == "eco").then_some(d1)
        },
    )
    .await;
    assert_eq!(d1["configurations"]["all"]["status"], "Applied");
}

#[tokio::test]
async fn apply_configuration_content_sets_edge_module_twins() {
    let t = start().await;
    let answer = t
        .put(
            "/devices/edge1",
            json!({"deviceId": "edge1", "capabilities": {"iotEdge": true}}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let applied = t
        .post(
            "/devices/edge1/applyConfigurationContent",
            json!({"modulesContent": {
                "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {"sim": {"type": "docker"}}}},
                "sim": {"properties.desired": {"rate": 5}}
            }}),
        )
        .await;
    assert_eq!(applied.status, StatusCode::NO_CONTENT, "{}", applied.body);
    let agent = t.get("/twins/edge1/modules/$edgeAgent").await;
    assert_eq!(agent.status, StatusCode::OK, "{}", agent.body);
    assert_eq!(
        agent.body["properties"]["desired"]["modules"]["sim"]["type"],
        "docker"
    );
    let sim = t.get("/twins/edge1/modules/sim").await;
    assert_eq!(sim.body["properties"]["desired"]["rate"], 5);
    let missing = t
        .post(
            "/devices/nope/applyConfigurationContent",
            json!({"modulesContent": {}}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.body);
}

#[tokio::test]
async fn deleting_the_last_configuration_clears_its_marks_and_keeps_the_values() {
    let t = start().await;
    t.create_device("d1").await;
    t.put(
        "/configurations/only",
        device_config("*", 0, json!({"properties.desired.mode": "eco"})),
    )
    .await;
    evaluate(&t);
    assert_eq!(
        twin(&t, "d1").await["configurations"]["only"]["status"],
        "Applied"
    );
    t.delete("/configurations/only").await;
    evaluate(&t);
    let d1 = twin(&t, "d1").await;
    assert!(d1.get("configurations").is_none(), "{d1}");
    assert_eq!(d1["properties"]["desired"]["mode"], "eco");
}
