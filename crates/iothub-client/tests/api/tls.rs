//! HTTPS against a hub whose certificate comes from a private CA.

use iothub_client::{ClientBuilder, ErrorKind};
use serde_json::json;

use crate::support::{HOST, KEY, KEY_NAME, Reply, TestHub, TestPki, connection_string};

fn stats() -> Reply {
    Reply::json(200, &json!({"connectedDeviceCount": 2}))
}

fn https_builder(hub: &TestHub) -> ClientBuilder {
    ClientBuilder::from_connection_string(&connection_string())
        .unwrap()
        .endpoint(
            format!("https://localhost:{}/", hub.addr.port())
                .parse()
                .unwrap(),
        )
        .no_proxy()
}

#[tokio::test]
async fn added_ca_is_trusted() {
    let pki = TestPki::generate();
    let hub = TestHub::start_tls(pki.server.clone(), |_, _| stats()).await;

    let client = https_builder(&hub)
        .add_root_ca_pem(pki.ca_pem.as_bytes())
        .build()
        .unwrap();
    assert_eq!(
        client
            .service_statistics()
            .await
            .unwrap()
            .connected_device_count,
        2
    );

    let strict = https_builder(&hub)
        .add_root_ca_pem(pki.ca_pem.as_bytes())
        .only_added_root_cas(true)
        .build()
        .unwrap();
    strict.service_statistics().await.unwrap();
    assert_eq!(hub.count(), 2);
}

#[tokio::test]
async fn unknown_ca_is_refused() {
    let pki = TestPki::generate();
    let hub = TestHub::start_tls(pki.server.clone(), |_, _| stats()).await;
    let other = TestPki::generate();
    let client = https_builder(&hub)
        .add_root_ca_pem(other.ca_pem.as_bytes())
        .build()
        .unwrap();
    let err = client.service_statistics().await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Transport), "{err:?}");
    assert_eq!(hub.count(), 0);
}

#[tokio::test]
async fn gateway_host_name_reaches_a_local_hub_with_hub_scoped_tokens() {
    let pki = TestPki::generate();
    let hub = TestHub::start_tls(pki.server.clone(), |_, _| stats()).await;
    let cs = format!(
        "HostName={HOST};SharedAccessKeyName={KEY_NAME};SharedAccessKey={KEY};GatewayHostName=localhost:{}",
        hub.addr.port()
    );
    let client = ClientBuilder::from_connection_string(&cs)
        .unwrap()
        .add_root_ca_pem(pki.ca_pem.as_bytes())
        .no_proxy()
        .build()
        .unwrap();
    assert_eq!(client.host_name(), HOST);
    client.service_statistics().await.unwrap();
    // The test hub verified the token against HOST.
    assert_eq!(hub.count(), 1);
}
