//! Busy leases over the real Unix socket, and what they do to disruptive operations: 409 with
//! `retryAfter`, postponed until the lease ends, overridden by `force`; expired leases never
//! block.

use std::os::unix::fs::PermissionsExt as _;
use std::time::Duration;

use crate::core_common::Device;
use dm_agent::leases::cli::{BusyCommand, run_busy};
use dm_agent::leases::client::LeaseClient;
use dm_agent::leases::server;
use serde_json::json;

/// Serves the device's leases on a socket in its directory; returns the client side.
fn serve(device: &Device) -> (LeaseClient, tokio::sync::oneshot::Sender<()>) {
    let path = device.state.join("busy.sock");
    let listener = server::bind(&path, None).unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server::serve(
        listener,
        device.client.leases().clone(),
        async {
            let _ = stopped.await;
        },
    ));
    (LeaseClient::new(path), stop)
}

#[tokio::test]
async fn the_socket_is_group_only_and_speaks_line_json() {
    let device = Device::new();
    let (client, _stop) = serve(&device);
    let mode = std::fs::metadata(client.path())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o660);
    let lease = client
        .acquire(
            Some("flash-fw"),
            "plc-bridge",
            "firmware flash in progress",
            300,
        )
        .await
        .unwrap();
    assert_eq!(lease.id, "flash-fw");
    let renewed = client.renew("flash-fw", 600).await.unwrap();
    assert!(renewed.expires_at > lease.expires_at);
    assert_eq!(client.list().await.unwrap().len(), 1);
    // Errors come back as sentences, and the server keeps serving.
    let err = client
        .acquire(None, "plc-bridge", "x", 0)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("ttlSeconds"), "{err}");
    let err = client
        .acquire(Some("flash-fw"), "intruder", "x", 10)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("held by `plc-bridge`"), "{err}");
    // The CLI functions print an id for scripts, and a table for people.
    let mut out = Vec::new();
    run_busy(
        &client,
        BusyCommand::Acquire {
            id: None,
            holder: "ui".into(),
            reason: "operator session".into(),
            ttl_seconds: 60,
        },
        false,
        &mut out,
    )
    .await
    .unwrap();
    let id = String::from_utf8(out).unwrap().trim().to_owned();
    assert!(id.starts_with("ui-"), "{id}");
    let mut out = Vec::new();
    run_busy(&client, BusyCommand::List, false, &mut out)
        .await
        .unwrap();
    let table = String::from_utf8(out).unwrap();
    assert!(
        table.starts_with("ID") && table.contains("flash-fw") && table.contains("operator session"),
        "{table}"
    );
    run_busy(
        &client,
        BusyCommand::Release { id: id.clone() },
        false,
        &mut Vec::new(),
    )
    .await
    .unwrap();
    let err = run_busy(&client, BusyCommand::Release { id }, false, &mut Vec::new())
        .await
        .unwrap_err();
    assert_eq!(err.status(), 404);
    // The twin shows who holds the device.
    device
        .transport
        .reported_until("the lease in reported.dm.busy", |d| {
            d["dm"]["busy"]["leases"][0]["id"] == "flash-fw"
        })
        .await;
    assert!(client.release("flash-fw").await.unwrap());
    device
        .transport
        .reported_until("no leases", |d| d["dm"]["busy"]["leases"] == json!([]))
        .await;
}

#[tokio::test]
async fn raw_garbage_on_the_socket_gets_an_error_line() {
    use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
    let device = Device::new();
    let (client, _stop) = serve(&device);
    let stream = tokio::net::UnixStream::connect(client.path())
        .await
        .unwrap();
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write
        .write_all(b"not json\n{\"op\":\"list\"}\n")
        .await
        .unwrap();
    let first: serde_json::Value =
        serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
    assert_eq!(first["ok"], false);
    let second: serde_json::Value =
        serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
    assert_eq!(second, json!({"ok": true, "leases": []}));
    // A line longer than the limit is refused and the connection closed.
    write.write_all(&vec![b'x'; 10_000]).await.unwrap();
    write.write_all(b"\n").await.unwrap();
    let refused: serde_json::Value =
        serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
    assert!(refused["error"].as_str().unwrap().contains("longer than"));
    assert!(
        client.list().await.is_ok(),
        "the server still serves others"
    );
}

#[tokio::test]
async fn a_lease_blocks_disruptive_methods_with_409_and_retry_after() {
    let device = Device::new();
    let (client, _stop) = serve(&device);
    client
        .acquire(
            Some("flash-fw"),
            "plc-bridge",
            "firmware flash in progress",
            240,
        )
        .await
        .unwrap();
    for (name, payload) in [
        ("dm.reboot", json!({})),
        (
            "dm.factoryReset",
            json!({"confirmDeviceId": crate::core_common::DEVICE_ID}),
        ),
        ("dm.apps.stop", json!({"name": "plc"})),
        ("dm.apps.restart", json!({"name": "plc"})),
        ("dm.apps.remove", json!({"name": "plc"})),
        ("dm.updates.install", json!({})),
    ] {
        let (status, body) = device.call(name, payload).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("busy")),
            "{name}: {body}"
        );
        let retry = body["retryAfter"].as_u64().unwrap();
        assert!((239..=240).contains(&retry), "{name}: {retry}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("firmware flash in progress")
        );
    }
    // Non-disruptive methods are not held back.
    let (status, _) = device.call("dm.apps.start", json!({"name": "plc"})).await;
    assert_eq!(status, 202);
    // force overrides.
    let envelope = device
        .run("dm.reboot", "reboot", json!({"force": true}))
        .await;
    assert_eq!(envelope["state"], "succeeded");
}

#[tokio::test]
async fn a_postponed_operation_runs_when_the_lease_is_released_or_can_be_cancelled() {
    let device = Device::new();
    let (client, _stop) = serve(&device);
    client
        .acquire(Some("flash-fw"), "plc-bridge", "firmware flash", 3600)
        .await
        .unwrap();
    let (status, body) = device
        .call(
            "dm.reboot",
            json!({"postpone": true, "reason": "after the flash"}),
        )
        .await;
    assert_eq!((status, body["state"].as_str()), (202, Some("postponed")));
    let id = body["operationId"].as_str().unwrap().to_owned();
    device
        .transport
        .reported_until("the postponed envelope", |d| {
            d["dm"]["reboot"]["operations"][&id]["state"] == "postponed"
        })
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        device.transport.reported()["dm"]["reboot"]["operations"][&id]["state"],
        "postponed",
        "still held"
    );
    client.release("flash-fw").await.unwrap();
    let envelope = device.transport.final_envelope("reboot", &id).await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");

    // Postponed again, then cancelled: it never runs.
    client
        .acquire(Some("flash-fw"), "plc-bridge", "firmware flash", 3600)
        .await
        .unwrap();
    let (_, body) = device
        .call("dm.apps.restart", json!({"name": "plc", "postpone": true}))
        .await;
    let id = body["operationId"].as_str().unwrap().to_owned();
    let (status, cancelled) = device
        .call("dm.operations.cancel", json!({"operationId": id}))
        .await;
    assert_eq!(
        (status, cancelled["state"].as_str()),
        (200, Some("rejected"))
    );
    client.release("flash-fw").await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let envelope = &device.transport.reported()["dm"]["apps"]["operations"][&id];
    assert_eq!(
        (
            envelope["state"].as_str(),
            envelope["error"]["code"].as_str()
        ),
        (Some("rejected"), Some("cancelled"))
    );
    assert!(
        envelope.get("startedAt").is_none(),
        "it never started: {envelope}"
    );
}

#[tokio::test]
async fn an_expired_lease_never_blocks_and_a_postponed_operation_runs_at_expiry() {
    let device = Device::new();
    let (client, _stop) = serve(&device);
    client
        .acquire(Some("short"), "plc-bridge", "brief hold", 1)
        .await
        .unwrap();
    let (status, body) = device.call("dm.reboot", json!({"postpone": true})).await;
    assert_eq!((status, body["state"].as_str()), (202, Some("postponed")));
    let id = body["operationId"].as_str().unwrap().to_owned();
    // Nobody releases it: expiry alone lets the reboot run.
    let envelope = device.transport.final_envelope("reboot", &id).await;
    assert_eq!(envelope["state"], "succeeded");
    let (status, _) = device.call("dm.reboot", json!({})).await;
    assert_eq!(status, 202, "an expired lease does not block");
    device
        .transport
        .reported_until("the expired lease gone", |d| {
            d["dm"]["busy"]["leases"] == json!([])
        })
        .await;
}

#[tokio::test]
async fn force_and_postpone_together_are_refused() {
    let device = Device::new();
    let (status, body) = device
        .call("dm.reboot", json!({"force": true, "postpone": true}))
        .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("postpone")));
}
