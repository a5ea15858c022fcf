//! `POST /devices/query`: results, item types and header-driven paging.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{TestHub, start};

async fn query_page(
    t: &TestHub,
    query: &str,
    size: &str,
    continuation: Option<&str>,
) -> crate::common::Answer {
    let token = t.owner_token();
    let mut headers = vec![
        ("authorization", token.as_str()),
        ("x-ms-max-item-count", size),
    ];
    if let Some(c) = continuation {
        headers.push(("x-ms-continuation", c));
    }
    t.call_with(
        Method::POST,
        "/devices/query",
        Some(json!({"query": query})),
        &headers,
    )
    .await
}

#[tokio::test]
async fn paging_stops_by_omitting_the_continuation() {
    let t = start().await;
    for i in 0..5 {
        let id = format!("q{i}");
        t.create_device(&id).await;
        t.patch(
            &format!("/twins/{id}"),
            json!({"tags": {"n": i, "even": i % 2 == 0}}),
        )
        .await;
    }
    let mut seen = Vec::new();
    let mut continuation: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = query_page(&t, "SELECT * FROM devices", "2", continuation.as_deref()).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.header("x-ms-item-type"), Some("twin"));
        pages += 1;
        for row in page.body.as_array().unwrap() {
            assert!(row["properties"]["desired"]["$version"].is_number());
            seen.push(row["deviceId"].as_str().unwrap().to_string());
        }
        match page.header("x-ms-continuation") {
            Some(next) => {
                assert!(!next.is_empty(), "never an empty continuation");
                continuation = Some(next.to_string());
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ["q0", "q1", "q2", "q3", "q4"]);

    let single = query_page(&t, "SELECT * FROM devices", "10", None).await;
    assert_eq!(single.body.as_array().unwrap().len(), 5);
    assert_eq!(single.header("x-ms-continuation"), None);

    let replay = query_page(
        &t,
        "SELECT deviceId FROM devices",
        "2",
        continuation.as_deref(),
    )
    .await;
    assert_eq!(
        replay.status,
        StatusCode::BAD_REQUEST,
        "a token belongs to its query"
    );
}

#[tokio::test]
async fn filters_projections_aggregates_and_modules() {
    let t = start().await;
    for i in 0..4 {
        let id = format!("f{i}");
        t.create_device(&id).await;
        t.patch(&format!("/twins/{id}"), json!({"tags": {"floor": i % 2}}))
            .await;
    }
    t.put("/devices/f0/modules/m", json!({})).await;

    let filtered = t
        .post(
            "/devices/query",
            json!({"query": "SELECT deviceId FROM devices WHERE tags.floor = 1"}),
        )
        .await;
    assert_eq!(filtered.header("x-ms-item-type"), Some("raw"));
    assert_eq!(
        filtered.body,
        json!([{"deviceId": "f1"}, {"deviceId": "f3"}])
    );

    let counted = t
        .post(
            "/devices/query",
            json!({"query": "SELECT tags.floor, COUNT() AS n FROM devices GROUP BY tags.floor"}),
        )
        .await;
    let rows: Vec<Value> = counted.body.as_array().unwrap().clone();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|r| r["n"] == 2), "{rows:?}");

    // `az iot hub query -q "select count() from devices"`: no alias, the row is named `$1`.
    let unnamed = t
        .post(
            "/devices/query",
            json!({"query": "select count() from devices"}),
        )
        .await;
    assert_eq!(unnamed.status, StatusCode::OK, "{}", unnamed.body);
    assert_eq!(unnamed.body, json!([{"$1": 4}]));

    let modules = t
        .post(
            "/devices/query",
            json!({"query": "SELECT * FROM devices.modules"}),
        )
        .await;
    assert_eq!(modules.body.as_array().unwrap().len(), 1);
    assert_eq!(modules.body[0]["moduleId"], "m");

    let status = t
        .post("/devices/query", json!({"query": "SELECT * FROM devices WHERE status = 'enabled' AND connectionState = 'Disconnected'"}))
        .await;
    assert_eq!(status.body.as_array().unwrap().len(), 4);
}
