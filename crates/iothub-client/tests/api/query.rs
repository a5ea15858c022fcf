//! Continuation paging of twin and job queries.

use axum::http::Method;
use futures::TryStreamExt;
use iothub_client::model::{JobStatus, JobType, QueryItemType};
use iothub_client::{ErrorKind, QueryPage};
use serde_json::{Value, json};

use crate::support::{Recorded, Reply, TestHub};

/// Three pages of twins keyed by the continuation token; the last page has no token.
fn twin_pages(request: &Recorded, _: usize) -> Reply {
    let (ids, next) = match request.header("x-ms-continuation") {
        None => (vec!["d1", "d2"], Some("c1")),
        Some("c1") => (vec!["d3", "d4"], Some("c2")),
        Some("c2") => (vec!["d5"], None),
        Some(other) => return Reply::hub_error(400, "ArgumentInvalid", other, "t"),
    };
    let rows: Vec<Value> = ids
        .into_iter()
        .map(|id| json!({"deviceId": id, "etag": "AAAAAAAAAAE=", "version": 2}))
        .collect();
    let reply = Reply::json(200, &json!(rows)).header("x-ms-item-type", "twin");
    match next {
        Some(token) => reply.header("x-ms-continuation", token),
        None => reply,
    }
}

const QUERY: &str = "SELECT * FROM devices WHERE tags.site = 'lyon'";

#[tokio::test]
async fn pages_follow_the_continuation_until_it_is_absent() {
    let hub = TestHub::start(twin_pages).await;
    let mut query = hub.client().query(QUERY).page_size(2);

    let mut pages: Vec<QueryPage<Value>> = Vec::new();
    while let Some(page) = query.next_page().await.unwrap() {
        pages.push(page);
    }
    assert!(query.is_done());
    assert!(query.next_page().await.unwrap().is_none());

    let ids: Vec<Vec<&str>> = pages
        .iter()
        .map(|p| {
            p.items
                .iter()
                .map(|t| t["deviceId"].as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(ids, [vec!["d1", "d2"], vec!["d3", "d4"], vec!["d5"]]);
    let tokens: Vec<_> = pages.iter().map(|p| p.continuation.as_deref()).collect();
    assert_eq!(tokens, [Some("c1"), Some("c2"), None]);
    assert!(
        pages
            .iter()
            .all(|p| p.item_type == Some(QueryItemType::Twin))
    );

    let requests = hub.requests();
    assert_eq!(requests.len(), 3, "no request after the last page");
    let sent: Vec<_> = requests
        .iter()
        .map(|r| r.header("x-ms-continuation"))
        .collect();
    assert_eq!(sent, [None, Some("c1"), Some("c2")]);
    for request in &requests {
        assert_eq!(request.method, Method::POST);
        assert_eq!(request.path, "/devices/query");
        assert_eq!(request.header("x-ms-max-item-count"), Some("2"));
        assert_eq!(request.json(), json!({"query": QUERY}));
    }
}

#[tokio::test]
async fn typed_twin_stream_and_collect() {
    let hub = TestHub::start(twin_pages).await;
    let client = hub.client();

    let mut stream = client.query_twins(QUERY).into_stream();
    let mut ids = Vec::new();
    while let Some(twin) = stream.try_next().await.unwrap() {
        ids.push(twin.device_id.unwrap());
        assert_eq!(twin.version, Some(2));
    }
    assert_eq!(ids, ["d1", "d2", "d3", "d4", "d5"]);

    let all = client.query_twins(QUERY).collect_all().await.unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(hub.count(), 6);
    assert_eq!(hub.requests()[0].header("x-ms-max-item-count"), None);
}

#[tokio::test]
async fn pages_stream_and_resuming_from_a_token() {
    let hub = TestHub::start(twin_pages).await;
    let client = hub.client();
    let counts: Vec<usize> = client
        .query(QUERY)
        .pages()
        .map_ok(|page| page.items.len())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(counts, [2, 2, 1]);

    let rest = client
        .query(QUERY)
        .continue_from("c2")
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        rest,
        [json!({"deviceId": "d5", "etag": "AAAAAAAAAAE=", "version": 2})]
    );
    assert_eq!(
        hub.requests().last().unwrap().header("x-ms-continuation"),
        Some("c2")
    );
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_rows_before_it() {
    let hub = TestHub::start(|request, index| {
        if index == 0 {
            twin_pages(request, index)
        } else {
            Reply::hub_error(400, "ArgumentInvalid", "bad continuation", "t")
        }
    })
    .await;
    let mut stream = hub.client().query(QUERY).into_stream();
    assert!(stream.try_next().await.unwrap().is_some());
    assert!(stream.try_next().await.unwrap().is_some());
    let err = stream.try_next().await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(stream.try_next().await.unwrap().is_none());
    assert_eq!(hub.count(), 2);
}

#[tokio::test]
async fn empty_continuation_header_means_last_page() {
    let hub = TestHub::start(|_, _| {
        Reply::json(200, &json!([{"n": 1}]))
            .header("x-ms-item-type", "raw")
            .header("x-ms-continuation", "")
    })
    .await;
    let rows = hub
        .client()
        .query("SELECT COUNT() AS n FROM devices")
        .collect_all()
        .await
        .unwrap();
    assert_eq!(rows, [json!({"n": 1})]);
    assert_eq!(hub.count(), 1);
}

#[tokio::test]
async fn bad_page_size_and_empty_query_are_refused() {
    let hub = TestHub::start(twin_pages).await;
    let client = hub.client();
    for size in [0, 1001] {
        let err = client
            .query(QUERY)
            .page_size(size)
            .next_page()
            .await
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::InvalidInput(_)), "{size}");
    }
    let err = client.query("  ").next_page().await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidInput(_)));
    assert_eq!(hub.count(), 0);
}

#[tokio::test]
async fn rows_that_do_not_fit_the_type_name_the_row() {
    let hub =
        TestHub::start(|_, _| Reply::json(200, &json!([{"deviceId": "a"}, {"deviceId": 7}]))).await;
    let err = hub
        .client()
        .query_twins(QUERY)
        .collect_all()
        .await
        .unwrap_err();
    let ErrorKind::Deserialize(message) = err.kind() else {
        panic!("unexpected {err:?}");
    };
    assert!(
        message.contains("row 1") && message.contains("deviceId"),
        "{message}"
    );
}

#[tokio::test]
async fn jobs_query_pages_over_arrays() {
    let hub = TestHub::start(|request, _| {
        let job =
            |id: &str| json!({"jobId": id, "type": "scheduleDeviceMethod", "status": "completed"});
        match request.header("x-ms-continuation") {
            None => Reply::json(200, &json!([job("j1"), job("j2")]))
                .header("x-ms-item-type", "jobResponse")
                .header("x-ms-continuation", "next"),
            Some(_) => {
                Reply::json(200, &json!([job("j3")])).header("x-ms-item-type", "jobResponse")
            }
        }
    })
    .await;
    let mut query = hub
        .client()
        .query_jobs(
            Some(JobType::ScheduleDeviceMethod),
            Some(JobStatus::Completed),
        )
        .page_size(2);
    let first = query.next_page().await.unwrap().unwrap();
    assert_eq!(first.item_type, Some(QueryItemType::JobResponse));
    assert_eq!(first.items[1].job_id, "j2");
    assert_eq!(first.items[0].status, JobStatus::Completed);
    let second = query.next_page().await.unwrap().unwrap();
    assert_eq!(second.items[0].job_id, "j3");
    assert!(query.next_page().await.unwrap().is_none());

    let requests = hub.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.method, Method::GET);
        assert_eq!(request.path, "/jobs/v2/query");
        assert_eq!(request.query["jobType"], "scheduleDeviceMethod");
        assert_eq!(request.query["jobStatus"], "completed");
        assert_eq!(request.header("x-ms-max-item-count"), Some("2"));
    }
    assert_eq!(requests[1].header("x-ms-continuation"), Some("next"));
}
