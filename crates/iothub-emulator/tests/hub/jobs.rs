//! Jobs v2: scheduled direct methods and twin updates, per-device rows, statistics, cancel,
//! the concurrency limit and the jobs query.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{TestHub, WITHIN, eventually, start, start_with};
use crate::device::device;

fn in_seconds(secs: i64) -> String {
    let t = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(secs);
    t.to_string()
}

async fn wait_for_status(t: &TestHub, job: &str, status: &str) -> Value {
    eventually(WITHIN, &format!("job {job} to be {status}"), async || {
        let body = t.get(&format!("/jobs/v2/{job}")).await.body;
        (body["status"] == status).then_some(body)
    })
    .await
}

#[tokio::test]
async fn a_method_job_reaches_matching_devices() {
    let t = start().await;
    let mut d1 = device(&t, "j1").await;
    t.create_device("j2").await; // offline: its row fails
    t.create_device("other").await;
    for id in ["j1", "j2"] {
        t.patch(&format!("/twins/{id}"), json!({"tags": {"fleet": "a"}}))
            .await;
    }
    d1.twin_request("$iothub/twin/GET/?$rid=0", " ").await;

    let created = t
        .put(
            "/jobs/v2/job-m1",
            json!({"jobId": "job-m1", "type": "scheduleDeviceMethod",
                   "cloudToDeviceMethod": {"methodName": "ping", "payload": {"n": 1}, "responseTimeoutInSeconds": 30, "connectTimeoutInSeconds": 0},
                   "queryCondition": "tags.fleet = 'a'", "startTime": in_seconds(0), "maxExecutionTimeInSeconds": 120}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert_eq!(created.body["jobId"], "job-m1");
    assert_eq!(created.body["type"], "scheduleDeviceMethod");
    assert_eq!(created.body["status"], "queued");

    let request = d1.next().await;
    let rid = request.topic.rsplit("$rid=").next().unwrap().to_string();
    assert!(
        request.topic.starts_with("$iothub/methods/POST/ping/"),
        "{}",
        request.topic
    );
    d1.publish(
        &format!("$iothub/methods/res/200/?$rid={rid}"),
        br#"{"pong":1}"#.to_vec(),
    )
    .await;

    let done = wait_for_status(&t, "job-m1", "completed").await;
    assert_eq!(
        done["deviceJobStatistics"],
        json!({"deviceCount": 2, "failedCount": 1, "succeededCount": 1, "runningCount": 0, "pendingCount": 0})
    );
    assert!(done["endTime"].is_string());

    let rows = t
        .post(
            "/devices/query",
            json!({"query": "SELECT * FROM devices.jobs WHERE jobId = 'job-m1'"}),
        )
        .await;
    assert_eq!(rows.header("x-ms-item-type"), Some("deviceJob"));
    let rows = rows.body.as_array().unwrap().clone();
    assert_eq!(rows.len(), 2);
    let ok = rows.iter().find(|r| r["deviceId"] == "j1").unwrap();
    assert_eq!(ok["status"], "completed");
    assert_eq!(
        ok["outcome"]["deviceMethodResponse"],
        json!({"status": 200, "payload": {"pong": 1}})
    );
    let failed = rows.iter().find(|r| r["deviceId"] == "j2").unwrap();
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["error"]["code"], "DeviceNotOnline");
}

#[tokio::test]
async fn a_twin_job_updates_and_notifies() {
    let t = start().await;
    let mut d = device(&t, "t1").await;
    t.create_device("t2").await;
    d.twin_request("$iothub/twin/GET/?$rid=0", " ").await;
    let created = t
        .put(
            "/jobs/v2/job-t1",
            json!({"type": "scheduleUpdateTwin", "queryCondition": "deviceId IN ['t1', 't2']",
                   // A start time in the past (as in the documented sample) means "now".
                   "startTime": "2019-05-04T15:53:00.077Z", "maxExecutionTimeInSeconds": 20,
                   "updateTwin": {"etag": "*", "tags": {"batch": 7}, "properties": {"desired": {"rate": 2}}}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let note = d.next().await;
    assert_eq!(
        note.topic,
        "$iothub/twin/PATCH/properties/desired/?$version=2"
    );
    let done = wait_for_status(&t, "job-t1", "completed").await;
    assert_eq!(done["deviceJobStatistics"]["succeededCount"], 2);
    for id in ["t1", "t2"] {
        let twin = t.get(&format!("/twins/{id}")).await.body;
        assert_eq!(twin["tags"]["batch"], 7);
        assert_eq!(twin["properties"]["desired"]["rate"], 2);
    }
}

#[tokio::test]
async fn scheduling_cancel_limits_and_queries() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::common::config(dir.path());
    config.max_concurrent_jobs = 1;
    let t = start_with(config).await;
    t.create_device("s1").await;
    let later = json!({"type": "scheduleUpdateTwin", "queryCondition": "*", "startTime": in_seconds(3600),
                       "updateTwin": {"etag": "*", "tags": {"x": 1}}});
    assert_eq!(
        t.put("/jobs/v2/later", later.clone()).await.status,
        StatusCode::OK
    );
    let scheduled = wait_for_status(&t, "later", "scheduled").await;
    assert_eq!(scheduled["deviceJobStatistics"]["deviceCount"], 0);

    let over = t.put("/jobs/v2/second", later.clone()).await;
    assert_eq!(over.status, StatusCode::FORBIDDEN);
    assert_eq!(over.header("iothub-errorcode"), Some("JobQuotaExceeded"));
    let again = t.put("/jobs/v2/later", later.clone()).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.header("iothub-errorcode"), Some("JobAlreadyExists"));

    let cancelled = t.post("/jobs/v2/later/cancel", json!({})).await;
    assert_eq!(cancelled.status, StatusCode::OK);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(
        t.get("/twins/s1").await.body["tags"],
        json!({}),
        "never ran"
    );
    assert_eq!(
        t.put("/jobs/v2/second", later).await.status,
        StatusCode::OK,
        "the slot is free again"
    );

    let all = t.get("/jobs/v2/query").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.header("x-ms-item-type"), Some("jobResponse"));
    assert_eq!(all.body.as_array().unwrap().len(), 2);
    let only_cancelled = t.get("/jobs/v2/query?jobStatus=cancelled").await;
    let ids: Vec<&str> = only_cancelled
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["jobId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["later"]);
    let none = t.get("/jobs/v2/query?jobType=scheduleDeviceMethod").await;
    assert_eq!(none.body, json!([]));

    let missing = t.get("/jobs/v2/nope").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.header("iothub-errorcode"), Some("JobNotFound"));
    let bad_condition = t
        .put("/jobs/v2/bad", json!({"type": "scheduleUpdateTwin", "queryCondition": "tags.x = ", "updateTwin": {"tags": {"a": 1}}}))
        .await;
    assert_eq!(bad_condition.status, StatusCode::BAD_REQUEST);
    assert!(
        bad_condition.message().contains("position"),
        "{}",
        bad_condition.message()
    );
    let bad_method = t
        .put("/jobs/v2/bad", json!({"type": "scheduleDeviceMethod", "queryCondition": "*",
                                    "cloudToDeviceMethod": {"methodName": "m", "responseTimeoutInSeconds": 1}}))
        .await;
    assert_eq!(
        bad_method.header("iothub-errorcode"),
        Some("ArgumentInvalid")
    );
}

#[tokio::test]
async fn a_job_out_of_time_fails_its_unfinished_devices() {
    let t = start().await;
    let _d = device(&t, "slow").await;
    let created = t
        .put(
            "/jobs/v2/short",
            json!({"type": "scheduleDeviceMethod", "queryCondition": "*", "maxExecutionTimeInSeconds": 1,
                   "cloudToDeviceMethod": {"methodName": "hang", "responseTimeoutInSeconds": 30, "connectTimeoutInSeconds": 30}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let failed = wait_for_status(&t, "short", "failed").await;
    assert!(
        failed["failureReason"]
            .as_str()
            .unwrap()
            .contains("maxExecutionTimeInSeconds")
    );
    assert_eq!(failed["deviceJobStatistics"]["failedCount"], 1);
}

/// `az iot hub job list` reads `GET /jobs` (v1 jobs) as well as the v2 query: it must answer an
/// array, and v2 jobs do not appear in it.
#[tokio::test]
async fn the_v1_job_list_is_an_array_and_v2_jobs_take_strings_for_numbers() {
    let t = start().await;
    t.create_device("s1").await;
    let empty = t.get("/jobs").await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    assert_eq!(empty.body, json!([]));

    // Numbers as strings and an enum in another case, as Newtonsoft-based hubs accept.
    let created = t
        .put(
            "/jobs/v2/job-s1",
            json!({"type": "ScheduleUpdateTwin", "queryCondition": "deviceId = 's1'",
                   "maxExecutionTimeInSeconds": "20",
                   "updateTwin": {"etag": "*", "tags": {"batch": 8}}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert_eq!(created.body["type"], "scheduleUpdateTwin");
    assert_eq!(created.body["maxExecutionTimeInSeconds"], 20);
    wait_for_status(&t, "job-s1", "completed").await;
    assert_eq!(t.get("/jobs").await.body, json!([]));
}
