//! Log bundles through the local hub's file-upload flow: a real agent (simulation mode, sandbox
//! providers) asked by the service for `dm.diagnostics.collect` uploads a `.tar.gz` that the
//! hub's storage then holds, and the hub hears that the upload completed.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::PathBuf;
use std::time::Duration;

use crate::common::{DaemonDevice, TestHub, eventually};
use serde_json::{Value, json};

const WITHIN: Duration = Duration::from_secs(30);

async fn one_device(hub: &TestHub, id: &str, root: &std::path::Path) -> DaemonDevice {
    DaemonDevice::start(hub, id, root, Duration::from_secs(3)).await
}

/// A file in the device's sandbox.
fn sandbox_file(root: &std::path::Path, id: &str, rel: &str) -> PathBuf {
    root.join(id).join("sandbox").join(rel)
}

fn write_log(path: &std::path::Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Invokes the collection, expects 202 and waits for the envelope to succeed.
async fn upload(hub: &TestHub, id: &str, payload: Value) -> Value {
    let (status, accepted) = hub.call(id, "dm.diagnostics.collect", payload).await;
    assert_eq!(status, 202, "{accepted}");
    let op = accepted["operationId"].as_str().unwrap().to_owned();
    eventually(WITHIN, "the upload envelope to finish", || async {
        let envelope = hub.reported(id).await["dm"]["diagnostics"]["operations"][&op].clone();
        match envelope["state"].as_str() {
            Some("succeeded") => Some(envelope),
            Some("failed") => panic!("the upload failed: {envelope}"),
            _ => None,
        }
    })
    .await
}

/// `logs.txt` of the bundle the hub's storage holds as `blob_name`.
fn stored_logs(hub: &TestHub, blob_name: &str) -> String {
    let bundle = std::fs::read(hub.hub.hub().blob_path(blob_name)).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bundle.as_slice()));
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.path().unwrap().to_str() == Some("logs.txt") {
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            return text;
        }
    }
    panic!("no logs.txt in {blob_name}");
}

fn lines(count: usize) -> String {
    (0..count).fold(String::new(), |mut s, i| {
        let _ = writeln!(s, "{i:06} gateway: polled 12 sensors");
        s
    })
}

#[tokio::test]
async fn logs_are_uploaded_through_the_hub_and_the_hub_hears_it_finished() {
    let hub = TestHub::start().await;
    let root = tempfile::tempdir().unwrap();
    let sim = one_device(&hub, "upl-1", root.path()).await;
    let logs = lines(300);
    write_log(
        &sandbox_file(root.path(), "upl-1", "var/log/gateway/gw.log"),
        &logs,
    );

    let envelope = upload(
        &hub,
        "upl-1",
        json!({"delivery": "upload", "journal": false, "paths": ["/var/log/gateway"]}),
    )
    .await;

    let result = &envelope["result"];
    let blob_name = result["upload"]["blobName"].as_str().unwrap();
    assert!(
        blob_name.starts_with("upl-1/logs-") && blob_name.ends_with(".tar.gz"),
        "{blob_name}"
    );
    let url = result["upload"]["url"].as_str().unwrap();
    assert_eq!(
        url,
        format!("https://{}/fileupload/{blob_name}", hub.hub.host_name())
    );
    let text = stored_logs(&hub, blob_name);
    assert!(text.ends_with(&logs), "{text}");
    assert_eq!(result["bytes"].as_u64(), Some(text.len() as u64));

    // The hub got the completion, as a success with the storage's status.
    let uploads = hub.hub.hub().file_uploads().unwrap();
    assert_eq!(uploads.len(), 1);
    let completion = uploads[0].completion.clone().expect("no completion notice");
    assert!(completion.is_success, "{completion:?}");
    assert_eq!(completion.status_code, Some(201));
    // The twin holds no SAS.
    let reported = hub.reported("upl-1").await.to_string();
    assert!(!reported.contains("sig="), "{reported}");
    sim.stop().await;
}

#[tokio::test]
async fn auto_delivery_uploads_logs_larger_than_an_answer() {
    let hub = TestHub::start().await;
    let root = tempfile::tempdir().unwrap();
    let sim = one_device(&hub, "upl-2", root.path()).await;
    // About 110 KiB: more than the 64 KiB a method answer carries.
    let logs = lines(3_500);
    assert!(logs.len() > 64 * 1024);
    write_log(
        &sandbox_file(root.path(), "upl-2", "var/log/big.log"),
        &logs,
    );

    let envelope = upload(
        &hub,
        "upl-2",
        json!({"journal": false, "paths": ["/var/log/big.log"]}),
    )
    .await;

    let blob_name = envelope["result"]["upload"]["blobName"].as_str().unwrap();
    let text = stored_logs(&hub, blob_name);
    assert!(text.ends_with(&logs), "the bundle lost lines");
    assert_eq!(envelope["result"].get("truncated"), None, "{envelope}");
    sim.stop().await;
}

#[tokio::test]
async fn the_connection_speaks_the_hubs_file_upload_api_and_reports_its_refusals() {
    use dm_agent::DmError;
    use dm_agent::connection::MqttConnection;
    use dm_agent::transport::Transport;

    let hub = TestHub::start().await;
    let state = tempfile::tempdir().unwrap();
    // The HTTPS calls do not need the MQTT session up.
    let connection = MqttConnection::open(hub.settings("upl-3", state.path())).unwrap();
    assert!(connection.supports_file_upload());

    let target = connection
        .create_file_upload("diag/a b #1.txt")
        .await
        .unwrap();
    assert_eq!(target.blob_name, "upl-3/diag/a b #1.txt");
    assert_eq!(target.host_name, hub.hub.host_name());
    assert!(!format!("{target:?}").contains("sig="), "{target:?}");
    connection
        .complete_file_upload(&target.correlation_id, false, 500, "nothing written")
        .await
        .unwrap();
    let completion = hub.hub.hub().file_uploads().unwrap()[0]
        .completion
        .clone()
        .unwrap();
    assert_eq!(
        (completion.is_success, completion.status_code),
        (false, Some(500))
    );

    // A name the hub refuses: its status and error name come back.
    match connection.create_file_upload("../x").await {
        Err(DmError::Hub { status, message }) => {
            assert_eq!(status, 400, "{message}");
            assert!(message.contains("blobName"), "{message}");
        }
        other => panic!("expected a 400 from the hub, got {other:?}"),
    }
    // The eleventh open upload is refused with the hub's reason.
    for i in 0..10 {
        connection
            .create_file_upload(&format!("open-{i}.txt"))
            .await
            .unwrap();
    }
    match connection.create_file_upload("one-too-many.txt").await {
        Err(DmError::Hub { status, message }) => {
            assert_eq!(status, 403, "{message}");
            assert!(
                message.contains("DeviceMaximumActiveFileUploadLimitExceeded"),
                "{message}"
            );
        }
        other => panic!("expected a 403 from the hub, got {other:?}"),
    }
}

#[tokio::test]
async fn an_x509_device_uploads_with_its_client_certificate() {
    use crate::common::Agent;
    use dm_agent::transport::Transport as _;
    let hub = TestHub::start().await;
    let state = tempfile::tempdir().unwrap();
    let settings = hub.x509_settings("upl-x509", state.path()).await;
    let agent = Agent::start(settings);
    agent.wait_connected().await;

    // The HTTPS calls carry no SAS: the certificate in the handshake is the credential.
    let target = agent
        .connection
        .create_file_upload("by-cert.txt")
        .await
        .unwrap();
    assert_eq!(target.blob_name, "upl-x509/by-cert.txt");
    let ca = reqwest::Certificate::from_pem(hub.hub.ca_pem().as_bytes()).unwrap();
    let storage = reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .unwrap();
    let put = storage
        .put(target.signed_url())
        .header("x-ms-blob-type", "BlockBlob")
        .body("uploaded by certificate")
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 201);
    agent
        .connection
        .complete_file_upload(&target.correlation_id, true, 201, "ok")
        .await
        .unwrap();
    let uploads = hub.hub.hub().file_uploads().unwrap();
    let upload = uploads.iter().find(|u| u.device_id == "upl-x509").unwrap();
    assert!(upload.completion.as_ref().unwrap().is_success);
    assert_eq!(
        std::fs::read_to_string(hub.hub.hub().blob_path(&upload.blob_name)).unwrap(),
        "uploaded by certificate"
    );
    agent.stop().await;
}
