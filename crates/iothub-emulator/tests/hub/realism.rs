//! The optional S1 throttling of the service API, end to end.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::{config, start_with};

#[tokio::test]
async fn queries_beyond_the_s1_budget_are_queued_then_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.throttling = true;
    let t = std::sync::Arc::new(start_with(cfg).await);
    // S1 allows 20 queries a minute with a burst of 5: the sixth waits about 3 s in the queue,
    // and a request that would wait longer than 5 s is refused at once.
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let t = std::sync::Arc::clone(&t);
            tokio::spawn(async move {
                t.post("/devices/query", json!({"query": "SELECT * FROM devices"}))
                    .await
            })
        })
        .collect();
    let mut ok = 0;
    let mut throttled = 0;
    for call in calls {
        let answer = call.await.unwrap();
        match answer.status {
            StatusCode::OK => ok += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert_eq!(
                    answer.header("iothub-errorcode"),
                    Some("ThrottlingException")
                );
                throttled += 1;
            }
            other => panic!("unexpected {other}: {}", answer.body),
        }
    }
    assert!(ok >= 6, "the burst and the queue are served ({ok} ok)");
    assert!(throttled >= 1, "the overflow is refused");
    // Other categories have their own budget.
    assert_eq!(t.get("/devices").await.status, StatusCode::OK);
}
