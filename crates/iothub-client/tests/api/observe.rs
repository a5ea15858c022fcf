//! The write observer: every write is shown before it is sent and with its outcome, reads are
//! not, retries are one call, and a refusal keeps the call from being sent.

use std::sync::{Arc, Mutex};

use iothub_client::model::{CloudToDeviceMethod, Twin};
use iothub_client::{ErrorKind, IfMatch, WriteCall, WriteObserver, WriteOutcome};
use serde_json::json;

use crate::support::{Reply, TestHub, fast_retries};

#[derive(Default)]
struct Seen {
    /// `before` lines: `METHOD path if-match request-id`.
    before: Mutex<Vec<String>>,
    /// `after` lines: `token status error`.
    after: Mutex<Vec<String>>,
    refuse: bool,
}

impl WriteObserver for Seen {
    fn before(&self, call: &WriteCall<'_>) -> Result<u64, String> {
        if self.refuse {
            return Err("the log is full".to_owned());
        }
        let mut before = self.before.lock().unwrap();
        before.push(format!(
            "{} {} {} {}",
            call.method,
            call.path,
            call.if_match.unwrap_or("-"),
            call.request_id
        ));
        Ok(before.len() as u64)
    }

    fn after(&self, token: u64, _call: &WriteCall<'_>, outcome: &WriteOutcome<'_>) {
        self.after.lock().unwrap().push(format!(
            "{token} {} {}",
            outcome.status.map_or("-".to_owned(), |s| s.to_string()),
            outcome.error_code.unwrap_or("-")
        ));
    }
}

#[tokio::test]
async fn writes_are_observed_once_with_their_outcome_and_reads_are_not() {
    let hub = TestHub::start(|request, index| match (request.method.as_str(), index) {
        ("GET", _) => Reply::json(200, &json!({"deviceId": "dev:1", "etag": "e1"})),
        ("POST", _) if request.path.ends_with("/query") => Reply::json(200, &json!([])),
        // The patch is throttled once, then accepted: one logical call.
        ("PATCH", 2) => Reply::hub_error(429, "ThrottlingException", "slow down", "t0"),
        ("PATCH", _) => Reply::json(200, &json!({"deviceId": "dev:1", "etag": "e2"})),
        _ => Reply::hub_error(404, "DeviceNotFound", "no such device", "t1"),
    })
    .await;
    let seen = Arc::new(Seen::default());
    let client = hub
        .builder()
        .retry_policy(fast_retries())
        .write_observer(seen.clone())
        .build()
        .unwrap();
    client.get_twin("dev:1").await.unwrap();
    client
        .query("SELECT * FROM devices")
        .collect_all()
        .await
        .unwrap();
    let patch: Twin = serde_json::from_value(json!({"tags": {"a": 1}})).unwrap();
    client
        .update_twin("dev:1", &patch, IfMatch::Etag("e1".into()))
        .await
        .unwrap();
    let err = client
        .invoke_device_method("gone", &CloudToDeviceMethod::new("reboot", json!({})))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Hub(_)));

    let before = seen.before.lock().unwrap().clone();
    assert_eq!(before.len(), 2, "{before:?}");
    assert!(
        before[0].starts_with("PATCH /twins/dev%3A1 \"e1\" "),
        "{before:?}"
    );
    assert!(
        before[1].starts_with("POST /twins/gone/methods - "),
        "{before:?}"
    );
    // The request id observed is the one the hub saw, on every attempt.
    let requests = hub.requests();
    let patches: Vec<_> = requests.iter().filter(|r| r.method == "PATCH").collect();
    assert_eq!(patches.len(), 2);
    for patch in patches {
        assert!(before[0].ends_with(patch.header("request-id").unwrap()));
    }
    assert_eq!(
        seen.after.lock().unwrap().clone(),
        ["1 200 -", "2 404 DeviceNotFound"]
    );
}

#[tokio::test]
async fn a_refused_write_is_not_sent() {
    let hub = TestHub::start(|_, _| Reply::json(200, &json!({}))).await;
    let seen = Arc::new(Seen {
        refuse: true,
        ..Seen::default()
    });
    let client = hub.builder().write_observer(seen).build().unwrap();
    let err = client
        .invoke_device_method("d", &CloudToDeviceMethod::new("reboot", json!({})))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::NotRecorded(reason) if reason == "the log is full"),
        "{err}"
    );
    assert_eq!(hub.count(), 0, "nothing reached the hub");
}
