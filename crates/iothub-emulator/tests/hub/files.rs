//! File upload: the hub's device endpoints and the storage endpoint behind the SAS URI, over
//! real HTTPS, as a device SDK plus a storage SDK drive them.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{Answer, TestHub, send, start, start_with};

fn device_key(device: &Value) -> String {
    device["authentication"]["symmetricKey"]["primaryKey"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A device token for `id`, signed with its own key, as the device SDKs make it.
fn device_token(t: &TestHub, id: &str, key: &str) -> String {
    TestHub::sign(
        key,
        &format!("{}/devices/{id}", t.host()),
        iothub_auth::unix_now() + 600,
        None,
    )
}

async fn create_upload(t: &TestHub, id: &str, token: &str, blob: &str) -> Answer {
    t.call_with(
        Method::POST,
        &format!("/devices/{id}/files"),
        Some(json!({"blobName": blob})),
        &[("authorization", token)],
    )
    .await
}

async fn notify(t: &TestHub, id: &str, token: &str, body: Value) -> Answer {
    t.call_with(
        Method::POST,
        &format!("/devices/{id}/files/notifications"),
        Some(body),
        &[("authorization", token)],
    )
    .await
}

/// The blob URL with the SAS, built exactly as the SDK samples build it.
fn blob_url(info: &Value) -> String {
    format!(
        "https://{}/{}/{}{}",
        info["hostName"].as_str().unwrap(),
        info["containerName"].as_str().unwrap(),
        info["blobName"]
            .as_str()
            .unwrap()
            .split('/')
            .map(
                |s| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
                    .to_string()
            )
            .collect::<Vec<_>>()
            .join("/"),
        info["sasToken"].as_str().unwrap(),
    )
}

async fn put_blob(t: &TestHub, url: &str, bytes: Vec<u8>) -> reqwest::Response {
    t.client
        .put(url)
        .header("x-ms-blob-type", "BlockBlob")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_device_uploads_a_blob_and_notifies_the_hub() {
    let t = start().await;
    let device = t.create_device("cam-1").await;
    let token = device_token(&t, "cam-1", &device_key(&device));

    let answer = create_upload(&t, "cam-1", &token, "logs/today #1.tar.gz").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let info = answer.body;
    assert_eq!(info["blobName"], "cam-1/logs/today #1.tar.gz");
    assert_eq!(info["containerName"], "fileupload");
    assert_eq!(info["hostName"], t.host());
    let sas = info["sasToken"].as_str().unwrap();
    assert!(sas.starts_with("?sv=") && sas.contains("&sr=b&") && sas.contains("&sp=rw"));
    let correlation = info["correlationId"].as_str().unwrap().to_string();
    assert!(!correlation.is_empty());

    let content: Vec<u8> = (0..300_000_u32).map(|i| (i % 251) as u8).collect();
    let url = blob_url(&info);
    let put = put_blob(&t, &url, content.clone()).await;
    assert_eq!(put.status(), StatusCode::CREATED);
    assert!(put.headers().contains_key("etag"));
    assert!(put.headers().contains_key("last-modified"));

    // The bytes are in the data directory, where the hub said they would be.
    let stored = std::fs::read(t.hub.hub().blob_path("cam-1/logs/today #1.tar.gz")).unwrap();
    assert_eq!(stored, content);
    // And can be read back with the same SAS (sp=rw), as Azure Storage allows.
    let got = t.client.get(&url).send().await.unwrap();
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(got.bytes().await.unwrap().as_ref(), content.as_slice());

    let done = notify(
        &t,
        "cam-1",
        &token,
        json!({"correlationId": correlation, "isSuccess": true, "statusCode": 201, "statusDescription": "uploaded"}),
    )
    .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);

    let uploads = t.hub.hub().file_uploads().unwrap();
    assert_eq!(uploads.len(), 1);
    let upload = &uploads[0];
    assert_eq!(upload.device_id, "cam-1");
    assert_eq!(upload.size, Some(content.len() as u64));
    let completion = upload.completion.as_ref().unwrap();
    assert!(completion.is_success);
    assert_eq!(completion.status_code, Some(201));
    assert_eq!(completion.status_description.as_deref(), Some("uploaded"));

    // A retried notification is accepted and changes nothing.
    let again = notify(
        &t,
        "cam-1",
        &token,
        json!({"correlationId": correlation, "isSuccess": false, "statusCode": 500}),
    )
    .await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
    assert!(
        t.hub.hub().file_uploads().unwrap()[0]
            .completion
            .as_ref()
            .unwrap()
            .is_success
    );
}

#[tokio::test]
async fn only_the_device_itself_may_start_or_finish_its_uploads() {
    let t = start().await;
    let a = t.create_device("a").await;
    let b = t.create_device("b").await;
    let token_a = device_token(&t, "a", &device_key(&a));
    let token_b = device_token(&t, "b", &device_key(&b));

    // A policy without DeviceConnect cannot act for a device (iothubowner can, as on a real hub).
    let service_cs = t.hub.service_connection_string("service").unwrap();
    let service = TestHub::token_for(&service_cs);
    for (what, id, token) in [
        ("service policy token", "a", service.as_str()),
        ("b's token for a", "a", token_b.as_str()),
        ("garbage", "a", "SharedAccessSignature sr=x&sig=y&se=1"),
        ("unknown device", "ghost", token_a.as_str()),
    ] {
        let answer = create_upload(&t, id, token, "x.txt").await;
        assert_eq!(
            answer.status,
            StatusCode::UNAUTHORIZED,
            "{what}: {}",
            answer.body
        );
        assert_eq!(answer.error_name(), "IotHubUnauthorizedAccess", "{what}");
        assert!(!answer.message().contains("sig="), "{what}: token echoed");
    }
    let missing = t
        .call_with(
            Method::POST,
            "/devices/a/files",
            Some(json!({"blobName": "x"})),
            &[],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);

    // b cannot finish a's upload, even knowing the correlation id.
    let info = create_upload(&t, "a", &token_a, "x.txt").await.body;
    let correlation = info["correlationId"].clone();
    let foreign = notify(
        &t,
        "b",
        &token_b,
        json!({"correlationId": correlation, "isSuccess": true}),
    )
    .await;
    assert_eq!(foreign.status, StatusCode::BAD_REQUEST, "{}", foreign.body);
    assert!(t.hub.hub().file_uploads().unwrap()[0].completion.is_none());

    // a's SAS does not open b's blobs.
    let info_b = create_upload(&t, "b", &token_b, "y.txt").await.body;
    let mut crossed = info_b.clone();
    crossed["sasToken"] = info["sasToken"].clone();
    let put = put_blob(&t, &blob_url(&crossed), b"nope".to_vec()).await;
    assert_eq!(put.status(), StatusCode::FORBIDDEN);
    assert_eq!(put.headers()["x-ms-error-code"], "AuthenticationFailed");
    assert!(!t.hub.hub().blob_path("b/y.txt").exists());

    // A disabled device may not start uploads.
    let mut disabled = t.get("/devices/a").await.body;
    disabled["status"] = json!("disabled");
    let owner = t.owner_token();
    let updated = t
        .call_with(
            Method::PUT,
            "/devices/a",
            Some(disabled),
            &[("authorization", &owner), ("if-match", "\"*\"")],
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    let answer = create_upload(&t, "a", &token_a, "x.txt").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.body);
}

#[tokio::test]
async fn bad_names_bad_bodies_and_bad_sas_are_refused_without_storing_anything() {
    let t = start().await;
    let d = t.create_device("d").await;
    let token = device_token(&t, "d", &device_key(&d));

    for name in ["../escape", "/abs", "a//b", "", &"n".repeat(1100)] {
        let answer = create_upload(&t, "d", &token, name).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{name:?}: {}",
            answer.body
        );
    }
    let no_name = t
        .call_with(
            Method::POST,
            "/devices/d/files",
            Some(json!({})),
            &[("authorization", &token)],
        )
        .await;
    assert_eq!(no_name.status, StatusCode::BAD_REQUEST);
    let bad_notification = notify(&t, "d", &token, json!({"isSuccess": true})).await;
    assert_eq!(bad_notification.status, StatusCode::BAD_REQUEST);
    let unknown = notify(
        &t,
        "d",
        &token,
        json!({"correlationId": "nope", "isSuccess": true}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);

    let info = create_upload(&t, "d", &token, "f.bin").await.body;
    let url = blob_url(&info);
    // Missing blob type header.
    let put = t.client.put(&url).body("x").send().await.unwrap();
    assert_eq!(put.status(), StatusCode::BAD_REQUEST);
    assert_eq!(put.headers()["x-ms-error-code"], "MissingRequiredHeader");
    // A flipped signature.
    let sig_start = url.find("sig=").unwrap() + 4;
    let mut tampered = url.clone();
    let flipped = if &url[sig_start..=sig_start] == "A" {
        "B"
    } else {
        "A"
    };
    tampered.replace_range(sig_start..=sig_start, flipped);
    let put = put_blob(&t, &tampered, b"x".to_vec()).await;
    assert_eq!(put.status(), StatusCode::FORBIDDEN);
    // No SAS at all.
    let bare = url.split('?').next().unwrap();
    let put = put_blob(&t, bare, b"x".to_vec()).await;
    assert_eq!(put.status(), StatusCode::NOT_FOUND);
    // The SAS of f.bin does not cover a traversal out of the container.
    let sas = info["sasToken"].as_str().unwrap();
    let escape = format!("{}/fileupload/d/..%2F..%2Fhub.db{sas}", t.base);
    let put = put_blob(&t, &escape, b"x".to_vec()).await;
    assert!(put.status().is_client_error(), "{}", put.status());
    assert!(!t.hub.hub().blob_path("d/f.bin").exists());
}

#[tokio::test]
async fn blobs_over_the_cap_are_refused_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::common::config(dir.path());
    config.max_blob_bytes = 64 * 1024;
    let t = start_with(config).await;
    let d = t.create_device("d").await;
    let token = device_token(&t, "d", &device_key(&d));
    let info = create_upload(&t, "d", &token, "big.bin").await.body;
    let put = put_blob(&t, &blob_url(&info), vec![7; 64 * 1024 + 1]).await;
    assert_eq!(put.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(put.headers()["x-ms-error-code"], "RequestBodyTooLarge");
    assert!(!t.hub.hub().blob_path("d/big.bin").exists());
    let leftovers: Vec<_> = walk(&t.hub.hub().blobs_dir());
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    let exact = put_blob(&t, &blob_url(&info), vec![7; 64 * 1024]).await;
    assert_eq!(exact.status(), StatusCode::CREATED);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

#[tokio::test]
async fn staged_blocks_are_committed_in_the_order_of_the_block_list() {
    let t = start().await;
    let d = t.create_device("d").await;
    let token = device_token(&t, "d", &device_key(&d));
    let info = create_upload(&t, "d", &token, "blocks.bin").await.body;
    let url = blob_url(&info);
    let ids = ["YmxvY2stMDAx", "YmxvY2stMDAy", "YmxvY2stMDAz"];
    let parts = [b"first,".to_vec(), b"second,".to_vec(), b"third".to_vec()];
    // Staged out of order: the list decides.
    for i in [2, 0, 1] {
        let staged = t
            .client
            .put(format!("{url}&comp=block&blockid={}", ids[i]))
            .body(parts[i].clone())
            .send()
            .await
            .unwrap();
        assert_eq!(staged.status(), StatusCode::CREATED, "block {i}");
    }
    assert!(
        !t.hub.hub().blob_path("d/blocks.bin").exists(),
        "staged blocks are not the blob"
    );
    // An entity reference is never a block id: refused, and nothing is committed (it used to
    // be skipped, committing an empty blob).
    for list in [
        "<BlockList><Latest>&amp;</Latest></BlockList>",
        "<BlockList><Latest>YmxvY2stMDAx</Latest><Latest>&#65;</Latest></BlockList>",
    ] {
        let refused = t
            .client
            .put(format!("{url}&comp=blocklist"))
            .body(list)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{list}");
        assert_eq!(refused.headers()["x-ms-error-code"], "InvalidBlockList");
        assert!(
            !t.hub.hub().blob_path("d/blocks.bin").exists(),
            "{list}: nothing may be committed"
        );
    }
    let list = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>{}</BlockList>",
        ids.map(|id| ["<Latest>", id, "</Latest>"].concat())
            .concat()
    );
    let committed = t
        .client
        .put(format!("{url}&comp=blocklist"))
        .body(list)
        .send()
        .await
        .unwrap();
    assert_eq!(committed.status(), StatusCode::CREATED);
    assert_eq!(
        std::fs::read(t.hub.hub().blob_path("d/blocks.bin")).unwrap(),
        b"first,second,third"
    );
    // A list naming a block that was never staged is refused.
    let bad = t
        .client
        .put(format!("{url}&comp=blocklist"))
        .body("<BlockList><Latest>bm9wZQ==</Latest></BlockList>")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(bad.headers()["x-ms-error-code"], "InvalidBlockList");
}

#[tokio::test]
async fn a_device_may_have_ten_uploads_in_progress_and_finishing_one_frees_a_slot() {
    let t = start().await;
    let d = t.create_device("d").await;
    let token = device_token(&t, "d", &device_key(&d));
    let mut first = None;
    for i in 0..10 {
        let answer = create_upload(&t, "d", &token, &format!("f{i}")).await;
        assert_eq!(answer.status, StatusCode::OK);
        first.get_or_insert(answer.body["correlationId"].clone());
    }
    let eleventh = create_upload(&t, "d", &token, "f10").await;
    assert_eq!(eleventh.status, StatusCode::FORBIDDEN, "{}", eleventh.body);
    assert_eq!(
        eleventh.error_name(),
        "DeviceMaximumActiveFileUploadLimitExceeded"
    );
    let done = notify(
        &t,
        "d",
        &token,
        json!({"correlationId": first, "isSuccess": false}),
    )
    .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT);
    assert_eq!(
        create_upload(&t, "d", &token, "f10").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn operators_read_blobs_with_a_service_token_and_uploads_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let t = start_with(crate::common::config(dir.path())).await;
    let d = t.create_device("d").await;
    let token = device_token(&t, "d", &device_key(&d));
    let info = create_upload(&t, "d", &token, "report.txt").await.body;
    assert_eq!(
        put_blob(&t, &blob_url(&info), b"hello".to_vec())
            .await
            .status(),
        StatusCode::CREATED
    );
    let bare = format!("{}/fileupload/d/report.txt", t.base);
    let read = t
        .client
        .get(&bare)
        .header("authorization", t.owner_token())
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(read.text().await.unwrap(), "hello");
    let as_device = t
        .client
        .get(&bare)
        .header("authorization", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(as_device.status(), StatusCode::FORBIDDEN);
    let missing = send(
        t.client
            .get(format!("{}/fileupload/d/none.txt", t.base))
            .header("authorization", t.owner_token()),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let correlation = info["correlationId"].clone();
    t.hub.shutdown().await.unwrap();
    // The ports change across the restart, and with them the token's audience: sign anew.
    let t = start_with(crate::common::config(dir.path())).await;
    let done = notify(
        &t,
        "d",
        &device_token(&t, "d", &device_key(&d)),
        json!({"correlationId": correlation, "isSuccess": true}),
    )
    .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);
    let uploads = t.hub.hub().file_uploads().unwrap();
    assert_eq!(uploads[0].size, Some(5));
    assert!(uploads[0].completion.as_ref().unwrap().is_success);
}

#[tokio::test]
async fn ranged_reads_answer_206_with_content_range_as_storage_sdks_expect() {
    let t = start().await;
    let d = t.create_device("r").await;
    let token = device_token(&t, "r", &device_key(&d));
    let info = create_upload(&t, "r", &token, "range.bin").await.body;
    let url = blob_url(&info);
    let content: Vec<u8> = (0..1000_u32).map(|i| (i % 253) as u8).collect();
    assert_eq!(
        put_blob(&t, &url, content.clone()).await.status(),
        StatusCode::CREATED
    );
    let get = |headers: &'static [(&'static str, &'static str)]| {
        let mut request = t.client.get(&url);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        request.send()
    };

    // azure-storage-blob's first read: a 32 MiB window from 0, clamped to the blob.
    let whole = get(&[("x-ms-range", "bytes=0-33554431")]).await.unwrap();
    assert_eq!(whole.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(whole.headers()["content-range"], "bytes 0-999/1000");
    assert_eq!(whole.headers()["content-length"], "1000");
    assert_eq!(whole.bytes().await.unwrap().as_ref(), content.as_slice());

    // A slice in the middle, with the standard header.
    let slice = get(&[("range", "bytes=10-19")]).await.unwrap();
    assert_eq!(slice.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(slice.headers()["content-range"], "bytes 10-19/1000");
    assert_eq!(slice.bytes().await.unwrap().as_ref(), &content[10..20]);

    // An open end, and x-ms-range taking precedence over Range.
    let tail = get(&[("range", "bytes=0-0"), ("x-ms-range", "bytes=990-")])
        .await
        .unwrap();
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail.headers()["content-range"], "bytes 990-999/1000");
    assert_eq!(tail.bytes().await.unwrap().as_ref(), &content[990..]);

    // Past the end: 416 InvalidRange (the SDKs fall back to a plain GET for empty blobs).
    let past = get(&[("x-ms-range", "bytes=1000-")]).await.unwrap();
    assert_eq!(past.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(past.headers()["x-ms-error-code"], "InvalidRange");

    for bad in ["bytes=5-2", "bytes=x-", "lines=0-1"] {
        let answer = t
            .client
            .get(&url)
            .header("x-ms-range", bad)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(answer.headers()["x-ms-error-code"], "InvalidHeaderValue");
    }

    // Without a range: the whole blob, 200.
    let plain = get(&[]).await.unwrap();
    assert_eq!(plain.status(), StatusCode::OK);
    assert!(!plain.headers().contains_key("content-range"));
    assert_eq!(plain.bytes().await.unwrap().as_ref(), content.as_slice());
}

#[tokio::test]
async fn the_notification_may_carry_its_correlation_id_in_the_path() {
    let t = start().await;
    let a = t.create_device("pa").await;
    let b = t.create_device("pb").await;
    let token_a = device_token(&t, "pa", &device_key(&a));
    let token_b = device_token(&t, "pb", &device_key(&b));
    let info = create_upload(&t, "pa", &token_a, "n.bin").await.body;
    let correlation = info["correlationId"].as_str().unwrap().to_string();
    // As the Node device SDK sends it: id percent-encoded in the path, none in the body.
    let path = format!(
        "/devices/pa/files/notifications/{}",
        percent_encoding::utf8_percent_encode(&correlation, percent_encoding::NON_ALPHANUMERIC)
    );
    let body = json!({"isSuccess": true, "statusCode": 201, "statusDescription": "ok"});

    // Still device-authenticated: no token, or another device's, is refused.
    let anonymous = t
        .call_with(Method::POST, &path, Some(body.clone()), &[])
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let foreign_path = path.replacen("/devices/pa/", "/devices/pb/", 1);
    let foreign = t
        .call_with(
            Method::POST,
            &foreign_path,
            Some(body.clone()),
            &[("authorization", &token_b)],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::BAD_REQUEST, "{}", foreign.body);
    // A body naming another upload contradicts the path.
    let mismatch = t
        .call_with(
            Method::POST,
            &path,
            Some(json!({"correlationId": "other", "isSuccess": true})),
            &[("authorization", &token_a)],
        )
        .await;
    assert_eq!(
        mismatch.status,
        StatusCode::BAD_REQUEST,
        "{}",
        mismatch.body
    );
    assert!(t.hub.hub().file_uploads().unwrap()[0].completion.is_none());

    let done = t
        .call_with(
            Method::POST,
            &path,
            Some(body),
            &[("authorization", &token_a)],
        )
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);
    let uploads = t.hub.hub().file_uploads().unwrap();
    let completion = uploads[0].completion.as_ref().unwrap();
    assert!(completion.is_success);
    assert_eq!(completion.status_code, Some(201));
    assert_eq!(completion.status_description.as_deref(), Some("ok"));
}

#[tokio::test]
async fn abandoned_blocks_and_crash_leftovers_are_swept() {
    let dir = tempfile::tempdir().unwrap();
    let t = start_with(crate::common::config(dir.path())).await;
    let d = t.create_device("d").await;
    let token = device_token(&t, "d", &device_key(&d));
    let info = create_upload(&t, "d", &token, "half.bin").await.body;
    let staged = t
        .client
        .put(format!("{}&comp=block&blockid=QUFB", blob_url(&info)))
        .body(vec![1_u8; 1000])
        .send()
        .await
        .unwrap();
    assert_eq!(staged.status(), StatusCode::CREATED);
    let blocks = t.hub.hub().blobs_dir().join(".blocks");
    assert_eq!(walk(&blocks).len(), 1);
    // The device gives up: its staged block is garbage once the hub hears so.
    let gave_up = notify(
        &t,
        "d",
        &token,
        json!({"correlationId": info["correlationId"], "isSuccess": false, "statusCode": 499}),
    )
    .await;
    assert_eq!(gave_up.status, StatusCode::NO_CONTENT);
    // The sweep runs when an upload is created.
    assert_eq!(
        create_upload(&t, "d", &token, "next.bin").await.status,
        StatusCode::OK
    );
    assert!(walk(&blocks).is_empty(), "{:?}", walk(&blocks));

    // A crash mid-PUT leaves a temporary file; the next start removes it, keeping real blobs.
    let info = create_upload(&t, "d", &token, "kept.bin").await.body;
    assert_eq!(
        put_blob(&t, &blob_url(&info), b"kept".to_vec())
            .await
            .status(),
        StatusCode::CREATED
    );
    let leftover = t.hub.hub().blob_path("d/.tmp-crashed");
    std::fs::write(&leftover, b"partial").unwrap();
    let kept = t.hub.hub().blob_path("d/kept.bin");
    t.hub.shutdown().await.unwrap();
    let t = start_with(crate::common::config(dir.path())).await;
    assert!(!leftover.exists());
    assert_eq!(std::fs::read(&kept).unwrap(), b"kept");
    drop(t);
}

#[tokio::test]
async fn an_x509_device_starts_and_finishes_uploads_with_its_client_certificate() {
    let t = start().await;
    let cert = rcgen::generate_simple_self_signed(vec!["x509-up".to_owned()]).unwrap();
    let thumbprint = iothub_emulator::tls::thumbprint_sha256(cert.cert.der());
    let created = t
        .put(
            "/devices/x509-up",
            json!({"authentication": {"type": "selfSigned",
                   "x509Thumbprint": {"primaryThumbprint": thumbprint}}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let with_identity = |pem: String| {
        let ca = reqwest::Certificate::from_pem(t.hub.ca_pem().as_bytes()).unwrap();
        reqwest::Client::builder()
            .tls_certs_only([ca])
            .identity(reqwest::Identity::from_pem(pem.as_bytes()).unwrap())
            .resolve("localhost", t.hub.https_addr())
            .no_proxy()
            .build()
            .unwrap()
    };
    let device = with_identity(format!(
        "{}{}",
        cert.cert.pem(),
        cert.signing_key.serialize_pem()
    ));
    let url = format!("{}/devices/x509-up/files?{}", t.base, crate::common::API);
    let answer = send(device.post(&url).json(&json!({"blobName": "cert.txt"}))).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let info = answer.body;
    assert_eq!(
        put_blob(&t, &blob_url(&info), b"by certificate".to_vec())
            .await
            .status(),
        StatusCode::CREATED
    );
    let done = send(
        device
            .post(format!(
                "{}/devices/x509-up/files/notifications?{}",
                t.base,
                crate::common::API
            ))
            .json(&json!({"correlationId": info["correlationId"], "isSuccess": true, "statusCode": 201})),
    )
    .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);
    assert!(
        t.hub.hub().file_uploads().unwrap()[0]
            .completion
            .as_ref()
            .unwrap()
            .is_success
    );

    // A certificate the registry does not know is refused, as is no credential at all.
    let stranger = rcgen::generate_simple_self_signed(vec!["x509-up".to_owned()]).unwrap();
    let other = with_identity(format!(
        "{}{}",
        stranger.cert.pem(),
        stranger.signing_key.serialize_pem()
    ));
    let refused = send(other.post(&url).json(&json!({"blobName": "x"}))).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let bare = send(t.client.post(&url).json(&json!({"blobName": "x"}))).await;
    assert_eq!(bare.status, StatusCode::UNAUTHORIZED);
}
