//! The service API's authorization matrix and the hub's answers to malformed requests.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{TestHub, start};

fn policy_key(t: &crate::common::TestHub, policy: &str) -> String {
    let cs = t.hub.service_connection_string(policy).unwrap();
    let text = cs.expose_secret();
    text.split(';')
        .find_map(|p| p.strip_prefix("SharedAccessKey="))
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn tokens_are_checked_for_key_expiry_audience_kind_and_permission() {
    let t = start().await;
    t.create_device("d").await;
    let now = iothub_auth::unix_now();
    let owner = policy_key(&t, "iothubowner");
    let read_only = policy_key(&t, "registryRead");
    let service = policy_key(&t, "service");
    let device_key = t.get("/devices/d").await.body["authentication"]["symmetricKey"]["primaryKey"]
        .as_str()
        .unwrap()
        .to_string();
    let other_key = iothub_auth::SharedAccessKey::generate().to_base64();
    let host = t.host();

    let refused = [
        (
            "wrong key",
            TestHub::sign(&other_key, &host, now + 600, Some("iothubowner")),
            "/devices/d",
            Method::GET,
        ),
        (
            "expired",
            TestHub::sign(&owner, &host, now - 600, Some("iothubowner")),
            "/devices/d",
            Method::GET,
        ),
        (
            "wrong audience",
            TestHub::sign(
                &owner,
                "otherhub.azure-devices.net",
                now + 600,
                Some("iothubowner"),
            ),
            "/devices/d",
            Method::GET,
        ),
        (
            "device token",
            TestHub::sign(&device_key, &format!("{host}/devices/d"), now + 600, None),
            "/twins/d",
            Method::GET,
        ),
        (
            "unknown policy",
            TestHub::sign(&owner, &host, now + 600, Some("nobody")),
            "/devices/d",
            Method::GET,
        ),
        (
            "read-only policy writing",
            TestHub::sign(&read_only, &host, now + 600, Some("registryRead")),
            "/devices/new",
            Method::PUT,
        ),
        (
            "service policy reading the registry",
            TestHub::sign(&service, &host, now + 600, Some("service")),
            "/devices/d",
            Method::GET,
        ),
        (
            "registry policy reading twins",
            TestHub::sign(&read_only, &host, now + 600, Some("registryRead")),
            "/twins/d",
            Method::GET,
        ),
        (
            "garbage",
            "SharedAccessSignature nonsense".to_string(),
            "/devices/d",
            Method::GET,
        ),
    ];
    for (case, token, path, method) in refused {
        let body = (method == Method::PUT).then(|| json!({}));
        let answer = t
            .call_with(method, path, body, &[("authorization", &token)])
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{case}");
        assert_eq!(
            answer.header("iothub-errorcode"),
            Some("IotHubUnauthorizedAccess"),
            "{case}"
        );
        assert_eq!(answer.error_name(), "IotHubUnauthorizedAccess", "{case}");
        assert!(
            !answer.message().contains(&owner),
            "{case}: no key in errors"
        );
    }
    let missing = t.call_with(Method::GET, "/devices/d", None, &[]).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        t.get("/devices/new").await.status,
        StatusCode::NOT_FOUND,
        "nothing was created"
    );

    let allowed = [
        (
            "read-only policy reading",
            TestHub::sign(&read_only, &host, now + 600, Some("registryRead")),
            "/devices/d",
        ),
        (
            "service policy on twins",
            TestHub::sign(&service, &host, now + 600, Some("service")),
            "/twins/d",
        ),
        (
            "hub name with port, any case",
            TestHub::sign(&owner, &host.to_uppercase(), now + 600, Some("iothubowner")),
            "/devices/d",
        ),
        (
            "bare localhost",
            TestHub::sign(&owner, "localhost", now + 600, Some("iothubowner")),
            "/devices/d",
        ),
        (
            "within the clock skew",
            TestHub::sign(&owner, &host, now - 120, Some("iothubowner")),
            "/devices/d",
        ),
    ];
    for (case, token, path) in allowed {
        let answer = t
            .call_with(Method::GET, path, None, &[("authorization", &token)])
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{case}: {}", answer.body);
    }
}

#[tokio::test]
async fn malformed_requests_get_the_hub_errors() {
    let t = start().await;
    t.create_device("d").await;
    let token = t.owner_token();

    let no_version = t
        .client
        .get(format!("{}/devices/d", t.base))
        .header("authorization", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(no_version.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        no_version.headers()["iothub-errorcode"].to_str().unwrap(),
        "InvalidProtocolVersion"
    );

    let invalid_json = crate::common::send(
        t.client
            .patch(format!("{}/twins/d?{}", t.base, crate::common::API))
            .header("authorization", &token)
            .body("{\"tags\": "),
    )
    .await;
    assert_eq!(invalid_json.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        invalid_json.header("iothub-errorcode"),
        Some("IotHubFormatError")
    );

    let wrong_shape = t.put("/devices/x", json!({"status": 5})).await;
    assert_eq!(wrong_shape.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        wrong_shape.header("iothub-errorcode"),
        Some("ArgumentInvalid"),
        "{}",
        wrong_shape.message()
    );

    let huge = json!({"properties": {"desired": {"blob": "x".repeat(600 * 1024)}}});
    let oversize = t.patch("/twins/d", huge).await;
    assert_eq!(oversize.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(oversize.header("iothub-errorcode"), Some("MessageTooLarge"));

    let bad_query = t
        .post(
            "/devices/query",
            json!({"query": "SELECT * FROM devices WHERE"}),
        )
        .await;
    assert_eq!(bad_query.status, StatusCode::BAD_REQUEST);
    assert!(
        bad_query.message().contains("position"),
        "{}",
        bad_query.message()
    );

    let unknown = t.get("/nowhere").await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.header("iothub-errorcode"), Some("InvalidOperation"));
    let wrong_method = t.patch("/devices/d", json!({})).await;
    assert_eq!(
        wrong_method.header("iothub-errorcode"),
        Some("InvalidOperation")
    );
}

/// The fixed segments of the service API's routes (the rest are ids).
const LITERALS: [&str; 11] = [
    "devices",
    "twins",
    "modules",
    "methods",
    "statistics",
    "service",
    "jobs",
    "v2",
    "cancel",
    "files",
    "notifications",
];

/// Every byte of `segment` as `%XX`.
fn encode_all(segment: &str) -> String {
    use std::fmt::Write as _;
    segment.bytes().fold(String::new(), |mut out, b| {
        let _ = write!(out, "%{b:02X}");
        out
    })
}

/// The permission check and the router must read the same decoded path: a policy that may not
/// run an operation cannot reach it by percent-encoding a segment of its path
/// (`POST /devices/%71uery` is the twin query, which needs `ServiceConnect`).
#[tokio::test]
async fn encoded_paths_need_the_permission_of_the_route_they_reach() {
    let t = start().await;
    t.create_device("d").await;
    let module = t
        .put("/devices/d/modules/m", json!({"moduleId": "m"}))
        .await;
    assert_eq!(module.status, StatusCode::OK, "{}", module.body);
    let now = iothub_auth::unix_now();
    let host = t.host();
    let policies = ["registryRead", "registryReadWrite", "service", "device"];
    let tokens: Vec<(&str, String)> = policies
        .iter()
        .map(|p| {
            let key = policy_key(&t, p);
            (*p, TestHub::sign(&key, &host, now + 600, Some(p)))
        })
        .collect();

    // One request per route and method of the service API (the storage and WebSocket routes
    // authenticate on their own). Bodies do not matter: only whether the SAS check passed.
    let routes: [(Method, &str); 27] = [
        (Method::GET, "/devices"),
        (Method::POST, "/devices"),
        (Method::GET, "/devices/d"),
        (Method::PUT, "/devices/d"),
        (Method::DELETE, "/devices/zz"),
        (Method::POST, "/devices/query"),
        (Method::GET, "/devices/d/modules"),
        (Method::GET, "/devices/d/modules/m"),
        (Method::PUT, "/devices/d/modules/m"),
        (Method::DELETE, "/devices/d/modules/zz"),
        (Method::GET, "/twins/d"),
        (Method::PATCH, "/twins/d"),
        (Method::PUT, "/twins/d"),
        (Method::POST, "/twins/d/methods"),
        (Method::GET, "/twins/d/modules/m"),
        (Method::PATCH, "/twins/d/modules/m"),
        (Method::PUT, "/twins/d/modules/m"),
        (Method::POST, "/twins/d/modules/m/methods"),
        (Method::GET, "/statistics/devices"),
        (Method::GET, "/statistics/service"),
        (Method::PUT, "/jobs/v2/j1"),
        (Method::GET, "/jobs/v2/j1"),
        (Method::GET, "/jobs/v2/query"),
        (Method::POST, "/jobs/v2/j1/cancel"),
        (Method::POST, "/devices/d/files"),
        (Method::POST, "/devices/d/files/notifications"),
        (Method::POST, "/devices/d/files/notifications/c1"),
    ];
    let refused = |a: &crate::common::Answer| a.status == StatusCode::UNAUTHORIZED;
    let mut checked = 0;
    for (method, path) in routes {
        for (policy, token) in &tokens {
            let call = |p: String| {
                let method = method.clone();
                let body = (method != Method::GET && method != Method::DELETE).then(|| json!({}));
                let token = token.clone();
                let t = &t;
                async move {
                    t.call_with(method, &p, body, &[("authorization", &token)])
                        .await
                }
            };
            let plain = call(path.to_string()).await;
            let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
            for i in 0..segments.len() {
                let mut variant = segments.clone();
                let encoded = encode_all(segments[i]);
                variant[i] = &encoded;
                let encoded_path = format!("/{}", variant.join("/"));
                let answer = call(encoded_path.clone()).await;
                // An encoded parameter reaches the same route and must be authorized the same
                // way. An encoded literal segment reaches no route at all: refused, or answered
                // "no such operation" — never run where the plain path was refused.
                let no_route = answer.status == StatusCode::BAD_REQUEST
                    && answer.header("iothub-errorcode") == Some("InvalidOperation")
                    && answer.message().contains("has no operation");
                let literal = LITERALS.contains(&segments[i]);
                let consistent = if literal {
                    refused(&answer) || no_route || !refused(&plain)
                } else {
                    refused(&answer) == refused(&plain)
                };
                assert!(
                    consistent,
                    "{policy}: {method} {encoded_path} answered {} but {path} answered {}: {}",
                    answer.status, plain.status, answer.body
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "only {checked} requests were checked");

    // The reported hole itself: registryReadWrite may not run a twin query, however spelled.
    let (_, read_write) = &tokens[1];
    for path in [
        "/devices/query",
        "/devices/%71uery",
        "/devices/%71%75%65%72%79",
    ] {
        let answer = t
            .call_with(
                Method::POST,
                path,
                Some(json!({"query": "SELECT * FROM devices"})),
                &[("authorization", read_write)],
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNAUTHORIZED,
            "{path}: {}",
            answer.body
        );
    }
}

/// Audiences fold the host's case but not the path's: device ids are case-sensitive.
#[tokio::test]
async fn a_token_scoped_to_one_device_does_not_reach_another_spelled_in_another_case() {
    let t = start().await;
    t.create_device("dev1").await;
    t.create_device("DEV1").await;
    let now = iothub_auth::unix_now();
    let service = policy_key(&t, "service");
    let host = t.host();
    let scoped = TestHub::sign(
        &service,
        &format!("{}/twins/dev1", host.to_uppercase()),
        now + 600,
        Some("service"),
    );
    let auth = [("authorization", scoped.as_str())];
    let own = t.call_with(Method::GET, "/twins/dev1", None, &auth).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    let other = t.call_with(Method::GET, "/twins/DEV1", None, &auth).await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED, "{}", other.body);
}

/// Reads from `stream` until the server closes it (or answers), failing if it stays open.
async fn closed_within(
    stream: &mut (impl tokio::io::AsyncRead + Unpin),
    limit: std::time::Duration,
) {
    use tokio::io::AsyncReadExt as _;
    let mut buf = [0_u8; 1024];
    let read = tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await;
    assert!(
        read.is_ok(),
        "the hub kept the connection open for {limit:?}"
    );
}

/// Idle sockets and stalled requests cannot pile up: each listener holds a bounded number of
/// connections, handshakes and bodies time out in seconds, and a connected device keeps being
/// served while the HTTPS listener is full.
#[tokio::test]
async fn half_open_connections_and_stalled_bodies_are_cut_off_and_capped() {
    use rustls::pki_types::pem::PemObject as _;
    use std::time::Duration;
    use tokio::io::AsyncWriteExt as _;
    use tokio::net::TcpStream;

    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::common::config(dir.path());
    config.limits.max_connections = 3;
    config.limits.handshake_timeout = Duration::from_secs(1);
    config.limits.body_idle_timeout = Duration::from_secs(1);
    let t = crate::common::start_with(config).await;
    let mut device = crate::device::device(&t, "d").await;

    // Sockets that never start TLS are dropped after the handshake timeout (it was 10 s on
    // HTTPS and 30 s on MQTT).
    for addr in [t.hub.https_addr(), t.hub.mqtt_addr()] {
        let mut silent = TcpStream::connect(addr).await.unwrap();
        closed_within(&mut silent, Duration::from_secs(4)).await;
    }

    // Fill the MQTT listener with silent sockets: the connected device is still served, and a
    // new device gets in once the silent ones time out.
    let mut silent = Vec::new();
    for _ in 0..5 {
        silent.push(TcpStream::connect(t.hub.mqtt_addr()).await.unwrap());
    }
    let (topic, _) = device.twin_request("$iothub/twin/GET/?$rid=1", "").await;
    assert!(topic.starts_with("$iothub/twin/res/200/"), "{topic}");
    t.create_device("late").await;
    let token = crate::device::device_token(&t, "late");
    crate::device::connect_as(&t, "late", &token, false)
        .await
        .expect("a new device gets in once the silent sockets time out");
    drop(silent);

    // A request whose body stalls ends within the body idle timeout (it was held for minutes).
    let ca = {
        let mut roots = rustls::RootCertStore::empty();
        for cert in rustls::pki_types::CertificateDer::pem_slice_iter(t.hub.ca_pem().as_bytes()) {
            roots.add(cert.unwrap()).unwrap();
        }
        roots
    };
    let client = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(ca)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(client));
    let tcp = TcpStream::connect(t.hub.https_addr()).await.unwrap();
    let mut tls = connector
        .connect("localhost".try_into().unwrap(), tcp)
        .await
        .unwrap();
    let head = format!(
        "PUT /devices/slow?{} HTTP/1.1\r\nhost: localhost\r\nauthorization: {}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"deviceId\":",
        crate::common::API,
        t.owner_token()
    );
    tls.write_all(head.as_bytes()).await.unwrap();
    tls.flush().await.unwrap();
    closed_within(&mut tls, Duration::from_secs(6)).await;
    assert_eq!(t.get("/devices/slow").await.status, StatusCode::NOT_FOUND);
}

/// `hub.db` holds every key: the data directory is the owner's alone, its secret files too, and
/// a server refuses a directory others can enter unless told to accept it.
#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_and_its_keys_are_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;

    let root = tempfile::tempdir().unwrap();
    let fresh = root.path().join("fresh");
    let t = crate::common::start_with(crate::common::config(&fresh)).await;
    t.create_device("d").await;
    assert_eq!(mode(&fresh), 0o700);
    for name in [
        "hub.db",
        "hub.db-wal",
        "hub.db-shm",
        "ca-key.pem",
        "server-key.pem",
    ] {
        let path = fresh.join(name);
        assert!(path.exists(), "{name}");
        assert_eq!(mode(&path), 0o600, "{name}");
    }
    t.hub.shutdown().await.unwrap();

    // A hub's directory that other users can enter (keys may have been read) is refused.
    std::fs::set_permissions(&fresh, std::fs::Permissions::from_mode(0o755)).unwrap();
    let refused = iothub_emulator::start(crate::common::config(&fresh))
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains(&fresh.display().to_string()), "{refused}");
    assert!(refused.contains("chmod 700"), "{refused}");
    std::fs::set_permissions(&fresh, std::fs::Permissions::from_mode(0o700)).unwrap();

    // An empty directory made with `mkdir` under the usual umask has nothing to protect yet:
    // it is made private. Told to, the hub also starts in a loose directory that holds files.
    let loose = root.path().join("loose");
    std::fs::create_dir(&loose).unwrap();
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o755)).unwrap();
    let hub = iothub_emulator::start(crate::common::config(&loose))
        .await
        .unwrap();
    assert_eq!(mode(&loose), 0o700);
    hub.shutdown().await.unwrap();
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(loose.join("hub.db"), std::fs::Permissions::from_mode(0o644)).unwrap();

    let mut allowed = crate::common::config(&loose);
    allowed.allow_insecure_permissions = true;
    let hub = iothub_emulator::start(allowed).await.unwrap();
    assert_eq!(
        mode(&loose.join("hub.db")),
        0o600,
        "secret files are tightened anyway"
    );
    hub.shutdown().await.unwrap();
}
