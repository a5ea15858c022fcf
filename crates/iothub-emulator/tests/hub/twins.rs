//! Twins over HTTPS: versions, etags, `$metadata`, null deletes, replace, limits, If-Match.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::start;

#[tokio::test]
async fn a_new_twin_and_its_counters_through_patches() {
    let t = start().await;
    t.create_device("d").await;
    let twin = t.get("/twins/d").await;
    assert_eq!(twin.status, StatusCode::OK);
    assert_eq!(twin.header("etag"), Some("\"AAAAAAAAAAE=\""));
    let body = &twin.body;
    assert_eq!(body["deviceId"], "d");
    assert_eq!(body["etag"], "AAAAAAAAAAE=");
    assert_eq!(body["deviceEtag"], "MA==");
    assert_eq!(body["version"], 2);
    assert_eq!(body["status"], "enabled");
    assert_eq!(body["authenticationType"], "sas");
    assert_eq!(body["tags"], json!({}));
    assert_eq!(body["properties"]["desired"]["$version"], 1);
    assert_eq!(body["properties"]["reported"]["$version"], 1);
    assert!(body["properties"]["desired"]["$metadata"]["$lastUpdated"].is_string());

    let patched = t
        .patch(
            "/twins/d",
            json!({"tags": {"site": {"city": "Oslo"}}, "properties": {"desired": {"fw": "1.0", "cfg": {"a": 1, "b": 2}}}}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    assert_eq!(patched.header("etag"), Some("\"AAAAAAAAAAI=\""));
    let p = &patched.body;
    assert_eq!(p["version"], 3);
    assert_eq!(p["tags"]["site"]["city"], "Oslo");
    assert_eq!(p["properties"]["desired"]["fw"], "1.0");
    assert_eq!(p["properties"]["desired"]["$version"], 2);
    let meta = &p["properties"]["desired"]["$metadata"];
    assert_eq!(meta["$lastUpdatedVersion"], 2);
    assert_eq!(meta["fw"]["$lastUpdatedVersion"], 2);
    assert_eq!(meta["cfg"]["a"]["$lastUpdatedVersion"], 2);

    // Null deletes; other keys are untouched.
    let deleted = t
        .patch(
            "/twins/d",
            json!({"properties": {"desired": {"cfg": {"a": null}, "fw": null}}}),
        )
        .await;
    let d = &deleted.body["properties"]["desired"];
    assert_eq!(d["cfg"], json!({"b": 2}));
    assert!(d.get("fw").is_none());
    assert_eq!(d["$version"], 3);
    assert!(d["$metadata"].get("fw").is_none());
    assert_eq!(d["$metadata"]["cfg"]["b"]["$lastUpdatedVersion"], 2);
    assert_eq!(d["$metadata"]["cfg"]["$lastUpdatedVersion"], 3);
    assert_eq!(deleted.body["tags"]["site"]["city"], "Oslo");

    // A tags-only patch moves the etag and version but not desired.$version.
    let tags = t.patch("/twins/d", json!({"tags": {"site": null}})).await;
    assert_eq!(tags.body["properties"]["desired"]["$version"], 3);
    assert_eq!(tags.body["etag"], "AAAAAAAAAAQ=");
    assert_eq!(tags.body["tags"], json!({}));
}

#[tokio::test]
async fn replace_if_match_and_modules() {
    let t = start().await;
    t.create_device("d").await;
    t.patch(
        "/twins/d",
        json!({"tags": {"x": 1}, "properties": {"desired": {"a": 1}}}),
    )
    .await;

    let stale = t
        .call_with(
            Method::PUT,
            "/twins/d",
            Some(json!({"properties": {"desired": {"b": 2}}})),
            &[
                ("authorization", &t.owner_token()),
                ("if-match", "\"AAAAAAAAAAE=\""),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.header("iothub-errorcode"), Some("PreconditionFailed"));

    let current = t.get("/twins/d").await.body["etag"]
        .as_str()
        .unwrap()
        .to_string();
    let replaced = t
        .call_with(
            Method::PUT,
            "/twins/d",
            Some(json!({"properties": {"desired": {"b": 2}}})),
            &[
                ("authorization", &t.owner_token()),
                ("if-match", &format!("\"{current}\"")),
            ],
        )
        .await;
    assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.body);
    let desired = &replaced.body["properties"]["desired"];
    assert_eq!(desired["b"], 2);
    assert!(desired.get("a").is_none());
    assert_eq!(
        replaced.body["tags"],
        json!({}),
        "replace swaps tags wholesale"
    );
    assert_eq!(desired["$version"], 3);

    let wildcard = t
        .call_with(
            Method::PATCH,
            "/twins/d",
            Some(json!({"properties": {"desired": {"c": 3}}})),
            &[("authorization", &t.owner_token()), ("if-match", "\"*\"")],
        )
        .await;
    assert_eq!(wildcard.status, StatusCode::OK);

    assert_eq!(t.get("/twins/ghost").await.status, StatusCode::NOT_FOUND);

    t.put("/devices/d/modules/m", json!({})).await;
    let module = t
        .patch(
            "/twins/d/modules/m",
            json!({"properties": {"desired": {"k": true}}}),
        )
        .await;
    assert_eq!(module.status, StatusCode::OK, "{}", module.body);
    assert_eq!(module.body["moduleId"], "m");
    assert_eq!(module.body["properties"]["desired"]["k"], true);
    assert_eq!(
        t.get("/twins/d/modules/m").await.body["properties"]["desired"]["$version"],
        2
    );
    assert_eq!(
        t.get("/twins/d/modules/nope")
            .await
            .header("iothub-errorcode"),
        Some("ModuleNotFound")
    );
}

#[tokio::test]
async fn limits_are_refused_with_the_offending_path() {
    let t = start().await;
    t.create_device("d").await;
    let before = t.get("/twins/d").await.body;
    let cases = [
        (
            json!({"properties": {"desired": {"a": {"bad.key": 1}}}}),
            "properties.desired.a",
        ),
        (json!({"tags": {"$x": 1}}), "tags"),
        (
            json!({"properties": {"desired": {"n": 9_007_199_254_740_991_i64}}}),
            "properties.desired.n",
        ),
        (
            json!({"properties": {"desired": {"s": "x".repeat(5000)}}}),
            "properties.desired.s",
        ),
    ];
    for (body, path) in cases {
        let answer = t.patch("/twins/d", body.clone()).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(answer.header("iothub-errorcode"), Some("ArgumentInvalid"));
        assert!(
            answer.message().contains(path),
            "{} should name {path}",
            answer.message()
        );
    }
    let mut deep = json!(1);
    for i in 0..12 {
        deep = json!({ format!("l{i}"): deep });
    }
    let too_deep = t
        .patch("/twins/d", json!({"properties": {"desired": deep}}))
        .await;
    assert_eq!(too_deep.status, StatusCode::BAD_REQUEST);
    let big: serde_json::Map<String, Value> = (0..10)
        .map(|i| (format!("k{i}"), json!("v".repeat(4000))))
        .collect();
    let too_big = t
        .patch("/twins/d", json!({"properties": {"desired": big}}))
        .await;
    assert_eq!(too_big.status, StatusCode::BAD_REQUEST);
    assert!(
        too_big.message().contains("properties.desired"),
        "{}",
        too_big.message()
    );
    assert_eq!(
        t.get("/twins/d").await.body,
        before,
        "refused patches change nothing"
    );
}
