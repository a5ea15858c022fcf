//! Jobs v1: bulk export and import of the registry through the hub's own blob storage, as
//! `RegistryManager.ExportDevicesAsync`/`ImportDevicesAsync` and `az iot hub device-identity
//! export|import` drive them.

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{Answer, TestHub, eventually, send, start};

/// Jobs over 1,000 devices on a loaded machine take a while.
const JOB_WITHIN: Duration = Duration::from_secs(120);

fn sas(t: &TestHub, container: &str, permissions: &str) -> String {
    t.hub
        .hub()
        .container_sas_uri(container, permissions, Duration::from_secs(3600))
        .unwrap()
}

/// The URL of `blob` inside a container SAS URI.
fn blob_url(container_uri: &str, blob: &str) -> String {
    let (base, query) = container_uri.split_once('?').unwrap();
    format!("{base}/{blob}?{query}")
}

async fn put_blob(t: &TestHub, container_uri: &str, blob: &str, body: String) -> Answer {
    send(
        t.client
            .put(blob_url(container_uri, blob))
            .header("x-ms-blob-type", "BlockBlob")
            .body(body),
    )
    .await
}

async fn get_blob(t: &TestHub, container_uri: &str, blob: &str) -> (StatusCode, String) {
    let response = t
        .client
        .get(blob_url(container_uri, blob))
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn wait_done(t: &TestHub, job_id: &str) -> Value {
    eventually(JOB_WITHIN, &format!("job {job_id} to end"), async || {
        let body = t.get(&format!("/jobs/{job_id}")).await.body;
        matches!(
            body["status"].as_str(),
            Some("completed" | "failed" | "cancelled")
        )
        .then_some(body)
    })
    .await
}

async fn run_job(t: &TestHub, request: Value) -> Value {
    let created = t.post("/jobs/create", request).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert_eq!(created.body["status"], "enqueued", "{}", created.body);
    let id = created.body["jobId"].as_str().unwrap().to_string();
    let done = wait_done(t, &id).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["progress"], 100, "{done}");
    done
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// What an import must bring back of an exported line: identity, keys, status, tags and
/// desired properties (without the hub's `$metadata`/`$version`).
fn essence(line: &Value) -> Value {
    let mut desired = line["properties"]["desired"].clone();
    if let Some(d) = desired.as_object_mut() {
        d.retain(|k, _| !k.starts_with('$'));
    }
    json!({
        "status": line["status"],
        "keys": line["authentication"]["symmetricKey"],
        "type": line["authentication"]["type"],
        "tags": line["tags"],
        "desired": desired,
    })
}

async fn bulk(t: &TestHub, entries: Vec<Value>) {
    for chunk in entries.chunks(100) {
        let answer = t.post("/devices", Value::from(chunk.to_vec())).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    }
}

#[tokio::test]
async fn a_registry_of_1000_devices_round_trips_through_export_and_import() {
    let t = start().await;
    let entries: Vec<Value> = (0..1000)
        .map(|i| {
            json!({
                "id": format!("bulk-{i:04}"),
                "importMode": "create",
                "status": if i % 10 == 0 { "disabled" } else { "enabled" },
                "tags": {"site": format!("s{}", i % 7), "n": i},
                "properties": {"desired": {"interval": i, "cfg": {"mode": "eco"}}},
            })
        })
        .collect();
    bulk(&t, entries).await;

    let container = sas(&t, "backup", "rwdl");
    run_job(
        &t,
        json!({"type": "export", "outputBlobContainerUri": container,
               "excludeKeysInExport": false, "storageAuthenticationType": "keyBased"}),
    )
    .await;
    let (status, exported) = get_blob(&t, &container, "devices.txt").await;
    assert_eq!(status, StatusCode::OK);
    let before: BTreeMap<String, Value> = lines(&exported)
        .iter()
        .map(|l| (l["id"].as_str().unwrap().to_string(), l.clone()))
        .collect();
    assert_eq!(before.len(), 1000);
    let sample = &before["bulk-0042"];
    assert_eq!(sample["tags"], json!({"site": "s0", "n": 42}));
    assert_eq!(sample["properties"]["desired"]["interval"], 42);
    assert!(
        sample["properties"]["desired"]["$version"].is_number(),
        "{sample}"
    );
    assert!(sample["authentication"]["symmetricKey"]["primaryKey"].is_string());
    assert!(sample["eTag"].is_string() && sample["twinETag"].is_string());
    assert_eq!(before["bulk-0010"]["status"], "disabled");

    // Empty the registry, then import the export back.
    bulk(
        &t,
        before
            .keys()
            .map(|id| json!({"id": id, "importMode": "delete"}))
            .collect(),
    )
    .await;
    assert_eq!(
        t.get("/devices/bulk-0042").await.status,
        StatusCode::NOT_FOUND
    );
    run_job(
        &t,
        json!({"type": "import", "inputBlobContainerUri": container,
               "outputBlobContainerUri": container}),
    )
    .await;
    let (status, _) = get_blob(&t, &container, "importErrors.log").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "an import without failures logs none"
    );

    // What the hub now holds, read directly and through a second export.
    let device = t.get("/devices/bulk-0042").await;
    assert_eq!(device.status, StatusCode::OK);
    assert_eq!(
        device.body["authentication"]["symmetricKey"],
        sample["authentication"]["symmetricKey"]
    );
    let twin = t.get("/twins/bulk-0042").await.body;
    assert_eq!(twin["tags"], json!({"site": "s0", "n": 42}));
    assert_eq!(twin["properties"]["desired"]["cfg"], json!({"mode": "eco"}));

    let again = sas(&t, "backup-2", "rw");
    run_job(
        &t,
        json!({"type": "export", "outputBlobContainerUri": again}),
    )
    .await;
    let (_, reexported) = get_blob(&t, &again, "devices.txt").await;
    let after: BTreeMap<String, Value> = lines(&reexported)
        .iter()
        .map(|l| (l["id"].as_str().unwrap().to_string(), essence(l)))
        .collect();
    let expected: BTreeMap<String, Value> = before
        .iter()
        .map(|(k, v)| (k.clone(), essence(v)))
        .collect();
    assert_eq!(after.len(), 1000);
    assert!(
        after == expected,
        "the re-imported registry differs from the export"
    );
}

#[tokio::test]
async fn an_export_without_keys_writes_them_as_null_and_an_import_of_it_generates_new_ones() {
    let t = start().await;
    let original = t.create_device("nokeys").await;
    let container = sas(&t, "nokeys", "rwl");
    run_job(
        &t,
        json!({"type": "exportDevices", "outputBlobContainerUri": container,
               "excludeKeysInExport": "true"}),
    )
    .await;
    let (_, text) = get_blob(&t, &container, "devices.txt").await;
    let line = &lines(&text)[0];
    assert_eq!(
        line["authentication"]["symmetricKey"],
        json!({"primaryKey": null, "secondaryKey": null})
    );
    assert_eq!(
        t.delete("/devices/nokeys").await.status,
        StatusCode::NO_CONTENT
    );
    run_job(
        &t,
        json!({"type": "import", "inputBlobContainerUri": container,
               "outputBlobContainerUri": container}),
    )
    .await;
    let back = t.get("/devices/nokeys").await.body;
    let key = back["authentication"]["symmetricKey"]["primaryKey"].as_str();
    assert!(key.is_some_and(|k| !k.is_empty()), "{back}");
    assert_ne!(
        back["authentication"]["symmetricKey"],
        original["authentication"]["symmetricKey"]
    );
}

#[tokio::test]
async fn an_import_applies_each_mode_and_logs_the_lines_it_could_not() {
    let t = start().await;
    let kept = t.create_device("exists").await;
    t.create_device("doomed").await;
    t.create_device("twinned").await;
    let container = sas(&t, "modes", "rw");
    let text = [
        json!({"id": "fresh", "importMode": "create", "tags": {"a": 1}}).to_string(),
        json!({"id": "exists", "importMode": "create"}).to_string(),
        "{this is not json".to_string(),
        json!({"id": "doomed", "importMode": "deleteIfMatchETag", "eTag": "\"bm9wZQ==\""})
            .to_string(),
        json!({"id": "twinned", "importMode": "UPDATETWIN",
               "properties": {"desired": {"fw": "2.0"}}})
        .to_string(),
        json!({"id": "upserted", "tags": {"b": 2}}).to_string(),
        json!({"id": "x", "importMode": "teleport"}).to_string(),
    ]
    .join("\n");
    assert_eq!(
        put_blob(&t, &container, "devices.txt", text).await.status,
        StatusCode::CREATED
    );
    run_job(
        &t,
        json!({"type": "import", "inputBlobContainerUri": container,
               "outputBlobContainerUri": container}),
    )
    .await;
    assert_eq!(t.get("/twins/fresh").await.body["tags"], json!({"a": 1}));
    assert_eq!(t.get("/twins/upserted").await.body["tags"], json!({"b": 2}));
    assert_eq!(
        t.get("/twins/twinned").await.body["properties"]["desired"]["fw"],
        "2.0"
    );
    assert_eq!(t.get("/devices/doomed").await.status, StatusCode::OK);
    assert_eq!(
        t.get("/devices/exists").await.body["authentication"],
        kept["authentication"]
    );

    let (status, log) = get_blob(&t, &container, "importErrors.log").await;
    assert_eq!(status, StatusCode::OK);
    let errors = lines(&log);
    assert_eq!(errors.len(), 4, "{log}");
    let format_errors: Vec<&Value> = errors
        .iter()
        .filter(|e| e["errorCode"] == 400_012)
        .collect();
    assert_eq!(format_errors.len(), 2, "{log}");
    assert!(
        format_errors.iter().any(|e| e["errorStatus"]
            .as_str()
            .unwrap()
            .starts_with("Invalid device format in line: {this is not json")),
        "{log}"
    );
    assert!(log.contains("teleport"), "{log}");
    let by_device = |id: &str| {
        errors
            .iter()
            .find(|e| e["deviceId"] == id)
            .unwrap_or_else(|| panic!("no error for {id} in {log}"))
    };
    assert_eq!(by_device("exists")["errorCode"], "DeviceAlreadyExists");
    assert_eq!(by_device("doomed")["errorCode"], "PreconditionFailed");
}

#[tokio::test]
async fn jobs_are_listed_shown_and_cancelled_as_v1_jobs() {
    let t = start().await;
    t.create_device("one").await;
    let container = sas(&t, "listing", "rw");
    let done = run_job(
        &t,
        json!({"type": "export", "outputBlobContainerUri": container}),
    )
    .await;
    let id = done["jobId"].as_str().unwrap();
    assert_eq!(done["type"], "export");
    assert!(done["startTimeUtc"].is_string() && done["endTimeUtc"].is_string());

    let listed = t.get("/jobs").await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    assert_eq!(listed.body[0]["jobId"], id);

    // The CLI reads a job as v2 first and falls back to v1 on status `unknown`.
    let as_v2 = t.get(&format!("/jobs/v2/{id}")).await;
    assert_eq!(as_v2.status, StatusCode::OK);
    assert_eq!(as_v2.body["status"], "unknown");
    let v2_query = t.get("/jobs/v2/query").await;
    assert_eq!(v2_query.body, json!([]), "v1 jobs are not in the v2 query");

    let cancelled = t.call(Method::DELETE, &format!("/jobs/{id}"), None).await;
    assert_eq!(cancelled.status, StatusCode::OK);
    assert_eq!(
        cancelled.body["status"], "completed",
        "a finished job stays finished"
    );
    let missing = t.get("/jobs/no-such-job").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.error_name(), "JobNotFound");
}

#[tokio::test]
async fn bad_job_requests_are_refused_with_what_was_wrong() {
    let t = start().await;
    let good = sas(&t, "good", "rw");
    let read_only = sas(&t, "good", "r");
    let (base, query) = good.split_once('?').unwrap();
    let other_container = format!("{}/other?{query}", base.rsplit_once('/').unwrap().0);
    let tampered = good.replace("sig=", "sig=AA");
    let cases = [
        (
            json!({"outputBlobContainerUri": good}),
            "ArgumentNull",
            "type",
        ),
        (
            json!({"type": "scheduleUpdateTwin", "outputBlobContainerUri": good}),
            "ArgumentInvalid",
            "/jobs/v2",
        ),
        (
            json!({"type": "export"}),
            "ArgumentNull",
            "outputBlobContainerUri",
        ),
        (
            json!({"type": "import", "outputBlobContainerUri": good}),
            "ArgumentNull",
            "inputBlobContainerUri",
        ),
        (
            json!({"type": "export", "outputBlobContainerUri": "https://acct.blob.core.windows.net/c?sv=1&sig=x"}),
            "ArgumentInvalid",
            "dmctl hub container-sas",
        ),
        (
            json!({"type": "export", "outputBlobContainerUri": read_only}),
            "ArgumentInvalid",
            "does not grant 'w'",
        ),
        (
            json!({"type": "export", "outputBlobContainerUri": tampered}),
            "ArgumentInvalid",
            "signature does not match",
        ),
        (
            json!({"type": "export", "outputBlobContainerUri": other_container}),
            "ArgumentInvalid",
            "signature does not match",
        ),
        (
            json!({"type": "export", "outputBlobContainerUri": good,
                   "storageAuthenticationType": "identityBased"}),
            "ArgumentInvalid",
            "managed identity",
        ),
        (
            json!({"type": "export", "outputBlobContainerUri": good, "excludeKeysInExport": "maybe"}),
            "ArgumentInvalid",
            "excludeKeysInExport",
        ),
    ];
    for (body, code, needle) in cases {
        let answer = t.post("/jobs/create", body.clone()).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            answer.body
        );
        assert_eq!(answer.error_name(), code, "{body}: {}", answer.body);
        assert!(
            answer.message().contains(needle),
            "{body}: {}",
            answer.message()
        );
        assert!(
            !answer.message().contains("sig="),
            "no SAS signature in errors: {}",
            answer.message()
        );
    }
    assert_eq!(t.get("/jobs").await.body, json!([]), "nothing was recorded");

    // An import whose input blob is missing fails as a job, saying which blob.
    let created = t
        .post(
            "/jobs/create",
            json!({"type": "import", "inputBlobContainerUri": good, "outputBlobContainerUri": good}),
        )
        .await;
    let done = wait_done(&t, created.body["jobId"].as_str().unwrap()).await;
    assert_eq!(done["status"], "failed", "{done}");
    assert!(
        done["failureReason"]
            .as_str()
            .unwrap()
            .contains("devices.txt"),
        "{done}"
    );
}

#[tokio::test]
async fn job_containers_answer_only_a_valid_container_sas() {
    let t = start().await;
    let rw = sas(&t, "guarded", "rw");
    let read_only = sas(&t, "guarded", "r");
    assert_eq!(
        put_blob(&t, &rw, "a.txt", "hello".into()).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        get_blob(&t, &read_only, "a.txt").await,
        (StatusCode::OK, "hello".into())
    );
    let refused = put_blob(&t, &read_only, "b.txt", "x".into()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        refused.header("x-ms-error-code"),
        Some("AuthorizationPermissionMismatch")
    );
    // The SAS of one container opens no other.
    let (base, query) = rw.split_once('?').unwrap();
    let elsewhere = format!("{}/guarded-2?{query}", base.rsplit_once('/').unwrap().0);
    let (status, _) = get_blob(&t, &elsewhere, "a.txt").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let bare = t.client.get(format!("{base}/a.txt")).send().await.unwrap();
    assert_eq!(bare.status(), StatusCode::FORBIDDEN, "no SAS, no access");
}
