//! Scheduled jobs: create, get, cancel and the convenience constructors.

use axum::http::Method;
use iothub_client::ErrorKind;
use iothub_client::model::{CloudToDeviceMethod, JobStatus, JobType, Twin};
use serde_json::json;

use crate::support::{Reply, TestHub};

#[tokio::test]
async fn create_get_and_cancel() {
    let hub = TestHub::start(|request, _| {
        let status = match (&request.method, request.path.as_str()) {
            (&Method::PUT, _) => "queued",
            (&Method::POST, _) => "cancelled",
            _ => "running",
        };
        Reply::json(
            200,
            &json!({"jobId": "job-1", "type": "scheduleDeviceMethod", "status": status,
                    "deviceJobStatistics": {"deviceCount": 3, "failedCount": 0, "succeededCount": 1,
                                            "runningCount": 1, "pendingCount": 1}}),
        )
    })
    .await;
    let client = hub.client();
    let call = CloudToDeviceMethod::new("dm.reboot", json!({}));

    let created = client
        .schedule_device_method("job-1", "deviceId IN ['a','b','c']", &call)
        .await
        .unwrap();
    assert_eq!(created.status, JobStatus::Queued);
    let job = client.get_job("job-1").await.unwrap();
    assert_eq!(job.status, JobStatus::Running);
    assert_eq!(job.device_job_statistics.unwrap().device_count, 3);
    let cancelled = client.cancel_job("job-1").await.unwrap();
    assert_eq!(cancelled.status, JobStatus::Cancelled);

    let requests = hub.requests();
    assert_eq!(requests[0].method, Method::PUT);
    assert_eq!(requests[0].path, "/jobs/v2/job-1");
    assert_eq!(
        requests[0].json(),
        json!({"jobId": "job-1", "type": "scheduleDeviceMethod",
               "cloudToDeviceMethod": {"methodName": "dm.reboot", "payload": {}},
               "queryCondition": "deviceId IN ['a','b','c']"})
    );
    assert_eq!(
        (requests[1].method.clone(), requests[1].path.as_str()),
        (Method::GET, "/jobs/v2/job-1")
    );
    assert_eq!(
        (requests[2].method.clone(), requests[2].path.as_str()),
        (Method::POST, "/jobs/v2/job-1/cancel")
    );
}

#[tokio::test]
async fn twin_update_job_gets_a_wildcard_etag() {
    let hub = TestHub::start(|_, _| {
        Reply::json(
            200,
            &json!({"jobId": "j2", "type": "scheduleUpdateTwin", "status": "queued"}),
        )
    })
    .await;
    let mut patch = Twin::default();
    patch.properties.desired = json!({"dm": {"timezone": "UTC"}});
    let job = hub
        .client()
        .schedule_twin_update("j2", "*", &patch)
        .await
        .unwrap();
    assert_eq!(job.type_, JobType::ScheduleUpdateTwin);
    assert_eq!(
        hub.single().json()["updateTwin"],
        json!({"properties": {"desired": {"dm": {"timezone": "UTC"}}}, "etag": "*"})
    );
}

#[tokio::test]
async fn bad_jobs_are_refused_before_sending() {
    let hub = TestHub::start(|_, _| Reply::json(200, &json!({}))).await;
    let client = hub.client();
    let call = CloudToDeviceMethod::new("m", json!(null));
    for (id, condition, call) in [
        ("job 1", "*", call.clone()),
        ("j", "", call.clone()),
        ("j", "*", CloudToDeviceMethod::new("bad name", json!(null))),
    ] {
        let err = client
            .schedule_device_method(id, condition, &call)
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidInput(_)),
            "{id} {condition}: {err:?}"
        );
    }
    assert!(client.get_job(&"j".repeat(65)).await.is_err());
    assert_eq!(hub.count(), 0);
}

#[tokio::test]
async fn job_creation_is_not_retried_on_throttling() {
    let hub = TestHub::start(|_, _| {
        Reply::hub_error(429, "ThrottlingException", "slow down", "t").header("retry-after", "0")
    })
    .await;
    let err = hub
        .client()
        .schedule_device_method("j", "*", &CloudToDeviceMethod::new("m", json!(null)))
        .await
        .unwrap_err();
    assert!(err.is_throttled());
    assert_eq!(hub.count(), 1);
}
