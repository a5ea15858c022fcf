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

/// Reads every page of `query` at `size`, returning the device ids of the rows in order, and
/// runs `between` after the first page (to change the registry while the query is paged).
async fn ids_paged<F, Fut>(t: &TestHub, query: &str, size: &str, between: F) -> Vec<String>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut between = Some(between);
    let mut ids = Vec::new();
    let mut continuation: Option<String> = None;
    loop {
        let page = query_page(t, query, size, continuation.as_deref()).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let rows = page.body.as_array().unwrap();
        assert!(rows.len() <= size.parse().unwrap());
        ids.extend(
            rows.iter()
                .map(|r| r["deviceId"].as_str().unwrap().to_string()),
        );
        if let Some(f) = between.take() {
            f().await;
        }
        match page.header("x-ms-continuation") {
            Some(next) => continuation = Some(next.to_string()),
            None => return ids,
        }
    }
}

#[tokio::test]
async fn pages_cover_the_result_set_exactly_once() {
    let t = start().await;
    let mut want = Vec::new();
    for i in 0..23 {
        let id = format!("cover-{i:02}");
        t.create_device(&id).await;
        t.patch(
            &format!("/twins/{id}"),
            json!({"tags": {"odd": i % 2 == 1}}),
        )
        .await;
        if i % 2 == 1 {
            want.push(id);
        }
    }
    for size in ["1", "2", "5", "11", "12", "100"] {
        for query in [
            "SELECT * FROM devices WHERE tags.odd = true",
            "SELECT deviceId, properties.reported FROM devices WHERE tags.odd = true",
            "SELECT deviceId FROM devices WHERE STARTSWITH(deviceId, 'cover-') AND tags.odd = true",
        ] {
            let ids = ids_paged(&t, query, size, || async {}).await;
            assert_eq!(ids, want, "{query} in pages of {size}");
        }
    }
    // TOP counts across pages.
    let top = ids_paged(&t, "SELECT TOP 7 deviceId FROM devices", "3", || async {}).await;
    assert_eq!(top.len(), 7);
    assert_eq!(top[0], "cover-00");
    assert_eq!(top[6], "cover-06");
}

#[tokio::test]
async fn a_query_paged_while_twins_change_returns_each_device_at_most_once() {
    let t = start().await;
    for i in 0..10 {
        let id = format!("live-{i}");
        t.create_device(&id).await;
        t.patch(&format!("/twins/{id}"), json!({"tags": {"grp": "a"}}))
            .await;
    }
    let query = "SELECT * FROM devices WHERE tags.grp = 'a'";
    let ids = ids_paged(&t, query, "3", || async {
        // live-0..2 were returned. Change one of them (it must not come back), make one
        // ahead stop matching, delete one ahead, create one ahead and one behind the cursor.
        t.patch("/twins/live-1", json!({"tags": {"grp": "a", "seen": true}}))
            .await;
        t.patch("/twins/live-5", json!({"tags": {"grp": "b"}}))
            .await;
        assert_eq!(
            t.delete("/devices/live-7").await.status,
            StatusCode::NO_CONTENT
        );
        for id in ["live-8a", "live-0a"] {
            t.create_device(id).await;
            t.patch(&format!("/twins/{id}"), json!({"tags": {"grp": "a"}}))
                .await;
        }
    })
    .await;
    assert_eq!(
        ids,
        [
            "live-0", "live-1", "live-2", "live-3", "live-4", "live-6", "live-8", "live-8a",
            "live-9"
        ]
    );
}

#[tokio::test]
async fn an_unknown_or_foreign_continuation_is_refused() {
    let t = start().await;
    for i in 0..4 {
        t.create_device(&format!("tok-{i}")).await;
    }
    let first = query_page(&t, "SELECT * FROM devices", "2", None).await;
    let token = first.header("x-ms-continuation").unwrap().to_string();
    for (query, token) in [
        ("SELECT * FROM devices", "bm90IGEgdG9rZW4"),
        ("SELECT * FROM devices", "%%%"),
        (
            "SELECT * FROM devices WHERE deviceId = 'tok-1'",
            token.as_str(),
        ),
        // An aggregate pages by offset: a row cursor is not its token either.
        ("SELECT COUNT() FROM devices", token.as_str()),
    ] {
        let answer = query_page(&t, query, "2", Some(token)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query} {token}");
        assert_eq!(answer.error_name(), "ArgumentInvalid");
        assert!(
            answer.message().contains("x-ms-continuation"),
            "{}",
            answer.body
        );
    }
    // The token still works for its own query, and across a restart it would too: it
    // holds the position, not server state.
    let second = query_page(&t, "SELECT * FROM devices", "2", Some(&token)).await;
    let ids: Vec<&str> = second
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["deviceId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["tok-2", "tok-3"]);
    assert_eq!(second.header("x-ms-continuation"), None);
}
