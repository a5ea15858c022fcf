//! SAS tokens on the wire: format, audience, reuse and renewal.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use iothub_auth::{AuthError, SasToken, Signer, unix_now};
use iothub_client::{ClientBuilder, ErrorKind};
use serde_json::json;

use crate::support::{HOST, KEY_NAME, Reply, TestHub, key};

fn stats() -> Reply {
    Reply::json(
        200,
        &json!({"totalDeviceCount": 3, "enabledDeviceCount": 2, "disabledDeviceCount": 1}),
    )
}

/// Counts signatures, to see how often the client signs.
struct CountingSigner(AtomicUsize);

impl Signer for CountingSigner {
    fn sign(&self, message: &[u8]) -> Result<[u8; 32], AuthError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        key().sign(message)
    }
}

struct FailingSigner;

impl Signer for FailingSigner {
    fn sign(&self, _: &[u8]) -> Result<[u8; 32], AuthError> {
        Err(AuthError::Signer("HSM unavailable".into()))
    }
}

#[tokio::test]
async fn authorization_header_is_a_hub_scoped_policy_token() {
    let hub = TestHub::start(|_, _| stats()).await;
    let stats = hub.client().registry_statistics().await.unwrap();
    assert_eq!(stats.total_device_count, 3);

    let request = hub.single();
    let header = request.header("authorization").unwrap();
    assert!(
        header.starts_with(&format!("SharedAccessSignature sr={HOST}&sig=")),
        "{header}"
    );
    assert!(header.ends_with(&format!("&skn={KEY_NAME}")), "{header}");
    let token = SasToken::parse(header).unwrap();
    assert_eq!(token.resource(), HOST);
    assert_eq!(token.key_name(), Some(KEY_NAME));
    token.verify(&key(), unix_now(), 0).unwrap();
    // Default lifetime: one hour.
    let now = unix_now();
    assert!(token.expiry() > now + 3500 && token.expiry() <= now + 3600);
}

#[tokio::test]
async fn concurrent_requests_share_one_token() {
    let hub = TestHub::start(|_, _| stats()).await;
    let signer = Arc::new(CountingSigner(AtomicUsize::new(0)));
    let client = ClientBuilder::new(HOST, signer.clone(), Some(KEY_NAME))
        .endpoint(format!("http://{}/", hub.addr).parse().unwrap())
        .no_proxy()
        .build()
        .unwrap();

    let calls = (0..16).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.registry_statistics().await })
    });
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(signer.0.load(Ordering::SeqCst), 1);
    let requests = hub.requests();
    assert_eq!(requests.len(), 16);
    let first = requests[0].header("authorization").unwrap();
    assert!(
        requests
            .iter()
            .all(|r| r.header("authorization") == Some(first))
    );
}

#[tokio::test]
async fn token_is_renewed_before_it_expires() {
    let hub = TestHub::start(|_, _| stats()).await;
    // A 2 s token is renewed once a fifth of it (0.4 s) is left.
    let client = hub
        .builder()
        .token_ttl(Duration::from_secs(2))
        .build()
        .unwrap();

    client.registry_statistics().await.unwrap();
    client.registry_statistics().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1700)).await;
    client.registry_statistics().await.unwrap();

    let tokens: Vec<SasToken> = hub
        .requests()
        .iter()
        .map(|r| SasToken::parse(r.header("authorization").unwrap()).unwrap())
        .collect();
    assert_eq!(tokens[0].expose(), tokens[1].expose(), "reused while fresh");
    assert_ne!(
        tokens[1].expose(),
        tokens[2].expose(),
        "renewed near expiry"
    );
    assert!(tokens[2].expiry() > tokens[1].expiry());
    for token in &tokens {
        token.verify(&key(), unix_now(), 0).unwrap();
    }
}

#[tokio::test]
async fn fixed_sas_token_is_sent_verbatim() {
    let hub = TestHub::start(|_, _| stats()).await;
    let token = SasToken::sign(&key(), HOST, unix_now() + 600, Some(KEY_NAME)).unwrap();
    let expected = token.expose().to_owned();
    let client = ClientBuilder::with_sas_token(HOST, token)
        .endpoint(format!("http://{}/", hub.addr).parse().unwrap())
        .no_proxy()
        .build()
        .unwrap();
    client.registry_statistics().await.unwrap();
    assert_eq!(
        hub.single().header("authorization"),
        Some(expected.as_str())
    );
}

#[tokio::test]
async fn signer_failure_is_a_credential_error_and_nothing_is_sent() {
    let hub = TestHub::start(|_, _| stats()).await;
    let client = ClientBuilder::new(HOST, Arc::new(FailingSigner), Some(KEY_NAME))
        .endpoint(format!("http://{}/", hub.addr).parse().unwrap())
        .no_proxy()
        .build()
        .unwrap();
    let err = client.registry_statistics().await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Credential(_)), "{err:?}");
    assert_eq!(hub.count(), 0);
}

#[tokio::test]
async fn wrong_key_is_refused_by_the_hub() {
    let hub = TestHub::start(|_, _| stats()).await;
    let client = ClientBuilder::from_connection_string(&format!(
        "HostName={HOST};SharedAccessKeyName={KEY_NAME};SharedAccessKey=cGFzc3dvcmQ="
    ))
    .unwrap()
    .endpoint(format!("http://{}/", hub.addr).parse().unwrap())
    .no_proxy()
    .build()
    .unwrap();
    let err = client.registry_statistics().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert_eq!(hub.count(), 1, "401 is not retried");
}
