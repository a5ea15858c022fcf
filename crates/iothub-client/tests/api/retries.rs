//! Which failures are retried, how often, and how long the client waits.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use iothub_client::model::{CloudToDeviceMethod, Device};
use iothub_client::{ErrorKind, IfMatch, RetryPolicy};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::support::{Reply, TestHub, builder_for};

fn throttled() -> Reply {
    Reply::hub_error(429, "ThrottlingException", "Throttled", "t")
}

fn unavailable() -> Reply {
    Reply::hub_error(503, "ServiceUnavailable", "try later", "t")
}

fn twin() -> Reply {
    Reply::json(200, &json!({"deviceId": "dev1", "etag": "AAAAAAAAAAE="}))
}

#[tokio::test]
async fn throttled_read_waits_for_retry_after() {
    let hub = TestHub::start(|_, index| {
        if index == 0 {
            throttled().header("retry-after", "1")
        } else {
            twin()
        }
    })
    .await;
    let twin = hub.client().get_twin("dev1").await.unwrap();
    assert_eq!(twin.device_id.as_deref(), Some("dev1"));

    let requests = hub.requests();
    assert_eq!(requests.len(), 2);
    let waited = requests[1].at - requests[0].at;
    assert!(waited >= Duration::from_secs(1), "waited only {waited:?}");
    // Both attempts belong to one logical call.
    assert_eq!(
        requests[0].header("x-ms-client-request-id"),
        requests[1].header("x-ms-client-request-id")
    );
}

#[tokio::test]
async fn retry_after_is_capped() {
    let hub = TestHub::start(|_, index| {
        if index == 0 {
            throttled().header("retry-after", "3600")
        } else {
            twin()
        }
    })
    .await;
    let client = hub
        .builder()
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(2)
                .max_retry_after(Duration::from_millis(50)),
        )
        .build()
        .unwrap();
    // The guard only keeps a regression from hanging the suite for an hour.
    tokio::time::timeout(Duration::from_secs(30), client.get_twin("dev1"))
        .await
        .expect("Retry-After was not capped")
        .unwrap();
    assert_eq!(hub.count(), 2);
}

#[tokio::test]
async fn unavailable_is_retried_until_it_succeeds() {
    let hub = TestHub::start(|_, index| if index < 2 { unavailable() } else { twin() }).await;
    hub.client().get_twin("dev1").await.unwrap();
    assert_eq!(hub.count(), 3);
}

#[tokio::test]
async fn retries_stop_at_max_attempts() {
    let hub = TestHub::start(|_, _| unavailable()).await;
    let client = hub
        .builder()
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(4)
                .base_delay(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let err = client.get_twin("dev1").await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.is_retryable());
    assert_eq!(hub.count(), 4);

    let hub = TestHub::start(|_, _| unavailable()).await;
    let client = hub
        .builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    client.get_twin("dev1").await.unwrap_err();
    assert_eq!(hub.count(), 1);
}

#[tokio::test]
async fn a_caller_with_its_own_throttle_layer_gets_the_429_at_once() {
    let hub = TestHub::start(|_, _| throttled()).await;
    let plain = hub.client();
    let client = plain.with_retry_policy(plain.retry_policy().clone().retry_throttled(false));
    let err = client.get_twin("dev1").await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(
        hub.count(),
        1,
        "the 429 was retried under the caller's layer"
    );

    // 503 is still this layer's to retry, and the original handle still retries 429s.
    let hub = TestHub::start(|_, index| if index < 2 { unavailable() } else { twin() }).await;
    let plain = hub.client();
    let fleet = plain.with_retry_policy(plain.retry_policy().clone().retry_throttled(false));
    fleet.get_twin("dev1").await.unwrap();
    assert_eq!(hub.count(), 3);
    assert!(plain.retry_policy().retries_throttled());
    assert!(!fleet.retry_policy().retries_throttled());
}

#[tokio::test]
async fn semantic_errors_are_never_retried() {
    for (status, name) in [
        (400, "ArgumentInvalid"),
        (404, "DeviceNotFound"),
        (412, "PreconditionFailed"),
        (500, "ServerError"),
    ] {
        let hub = TestHub::start(move |_, _| Reply::hub_error(status, name, "no", "t")).await;
        let err = hub
            .client()
            .delete_device("dev1", IfMatch::etag("MQ=="))
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(hub.count(), 1, "{status} must not be retried");
    }
}

#[tokio::test]
async fn idempotency_decides_what_is_retried() {
    // Creating a device is not repeated: a lost response would turn into a 409.
    let hub = TestHub::start(|_, _| throttled()).await;
    let err = hub
        .client()
        .create_device(&Device {
            device_id: "dev1".into(),
            ..Device::default()
        })
        .await
        .unwrap_err();
    assert!(err.is_throttled());
    assert_eq!(hub.count(), 1);

    // Deleting, conditional updates and queries are.
    let hub = TestHub::start(|_, index| {
        if index % 2 == 0 {
            throttled()
        } else if index == 5 {
            Reply::json(200, &json!([]))
        } else if index == 1 {
            Reply::empty(204)
        } else {
            Reply::json(200, &json!({"deviceId": "dev1"}))
        }
    })
    .await;
    let client = hub.client();
    client.delete_device("dev1", IfMatch::Any).await.unwrap();
    client
        .update_device(
            &Device {
                device_id: "dev1".into(),
                ..Device::default()
            },
            IfMatch::Any,
        )
        .await
        .unwrap();
    client
        .query("SELECT * FROM devices")
        .collect_all()
        .await
        .unwrap();
    assert_eq!(hub.count(), 6);
}

/// A server that closes the first `failures` connections right after reading the request, then
/// answers `body` with 200. Returns its address and the number of requests it read.
async fn flaky_server(failures: usize, body: &'static str) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 4096];
            while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                }
            }
            let n = counter.fetch_add(1, Ordering::SeqCst);
            if n < failures {
                drop(socket);
                continue;
            }
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (addr, seen)
}

#[tokio::test]
async fn reads_are_retried_after_a_connection_is_dropped() {
    let (addr, seen) = flaky_server(2, r#"{"deviceId":"dev1"}"#).await;
    let client = builder_for(addr).build().unwrap();
    let twin = client.get_twin("dev1").await.unwrap();
    assert_eq!(twin.device_id.as_deref(), Some("dev1"));
    assert_eq!(seen.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn method_calls_are_not_repeated_after_a_connection_is_dropped() {
    let (addr, seen) = flaky_server(usize::MAX, "{}").await;
    let client = builder_for(addr).build().unwrap();
    let err = client
        .invoke_device_method("dev1", &CloudToDeviceMethod::new("m", json!(null)))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Transport), "{err:?}");
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn refused_connections_are_retried_even_for_creations() {
    // Reserve a port, free it, and only start listening on it after a while.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let late_hub = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let listener = TcpListener::bind(addr).await.unwrap();
        TestHub::start_on(listener, |_, _| {
            Reply::json(200, &json!({"deviceId": "dev1", "etag": "MA=="}))
        })
    });
    let client = builder_for(addr)
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(50)
                .base_delay(Duration::from_millis(100))
                .max_delay(Duration::from_millis(200)),
        )
        .build()
        .unwrap();
    let device = client
        .create_device(&Device {
            device_id: "dev1".into(),
            ..Device::default()
        })
        .await
        .unwrap();
    assert_eq!(device.etag.as_deref(), Some("MA=="));
    let hub = late_hub.await.unwrap();
    assert_eq!(hub.count(), 1, "the create reached the hub exactly once");
}
