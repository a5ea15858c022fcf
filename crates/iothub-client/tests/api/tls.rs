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

// Trust stores from the environment. Each case runs a client in a child process (this process's
// environment cannot be changed safely), with `SSL_CERT_FILE`, `SSL_CERT_DIR` and the proxy
// variables cleared unless the case sets them.

const CHILD_ENDPOINT: &str = "IOTHUB_CLIENT_TLS_TEST_ENDPOINT";
const CHILD_ADDED_CA: &str = "IOTHUB_CLIENT_TLS_TEST_ADDED_CA";
const CHILD_ONLY_ADDED: &str = "IOTHUB_CLIENT_TLS_TEST_ONLY_ADDED";
const CHILD_EXPECT: &str = "IOTHUB_CLIENT_TLS_TEST_EXPECT";

/// How a child's client is set up and what it must see.
struct Case<'a> {
    added_ca: Option<&'a std::path::Path>,
    only_added: bool,
    trusted: bool,
    env: &'a [(&'a str, &'a std::ffi::OsStr)],
}

async fn run_case(hub: &TestHub, case: &Case<'_>) {
    let mut command = tokio::process::Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "tls::trust_child",
            "--exact",
            "--ignored",
            "--test-threads=1",
        ])
        .env(
            CHILD_ENDPOINT,
            format!("https://localhost:{}/", hub.addr.port()),
        )
        .env(
            CHILD_EXPECT,
            if case.trusted { "trusted" } else { "refused" },
        );
    for name in [
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        CHILD_ADDED_CA,
        CHILD_ONLY_ADDED,
    ] {
        command.env_remove(name);
    }
    if let Some(path) = case.added_ca {
        command.env(CHILD_ADDED_CA, path);
    }
    if case.only_added {
        command.env(CHILD_ONLY_ADDED, "1");
    }
    for (name, value) in case.env {
        command.env(name, value);
    }
    let output = command.output().await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Helper for the trust-store tests: one call to the hub named by the environment, which must
/// succeed or be refused for an untrusted certificate as the parent expects.
#[tokio::test]
#[ignore = "run in a child process by the trust-store tests"]
async fn trust_child() {
    let endpoint = std::env::var(CHILD_ENDPOINT).expect("run by a parent test");
    let mut builder = ClientBuilder::from_connection_string(&connection_string())
        .unwrap()
        .endpoint(endpoint.parse().unwrap());
    if let Some(path) = std::env::var_os(CHILD_ADDED_CA) {
        builder = builder.add_root_ca_pem(&std::fs::read(path).unwrap());
    }
    if std::env::var_os(CHILD_ONLY_ADDED).is_some() {
        builder = builder.only_added_root_cas(true);
    }
    let result = builder.build().unwrap().service_statistics().await;
    if std::env::var(CHILD_EXPECT).as_deref() == Ok("trusted") {
        result.unwrap();
    } else {
        let err = result.unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Transport), "{err:?}");
        let mut chain = err.to_string();
        let mut source = std::error::Error::source(&err);
        while let Some(cause) = source {
            chain = format!("{chain}: {cause}");
            source = cause.source();
        }
        assert!(chain.contains("UnknownIssuer"), "{chain}");
    }
}

/// A hub with its own CA, that CA in a file of its own and in a directory of its own, and
/// another CA's file.
struct Stores {
    hub: TestHub,
    dir: tempfile::TempDir,
}

impl Stores {
    async fn new() -> Self {
        let pki = TestPki::generate();
        let hub = TestHub::start_tls(pki.server.clone(), |_, _| stats()).await;
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("certs")).unwrap();
        std::fs::write(dir.path().join("certs/hub-ca.pem"), &pki.ca_pem).unwrap();
        std::fs::write(dir.path().join("hub-ca.pem"), &pki.ca_pem).unwrap();
        std::fs::write(
            dir.path().join("other-ca.pem"),
            TestPki::generate_named("another test CA").ca_pem,
        )
        .unwrap();
        Self { hub, dir }
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }
}

#[tokio::test]
async fn ssl_cert_file_roots_are_trusted_and_the_system_store_is_the_default() {
    let stores = Stores::new().await;
    // No CA added, nothing in the environment: the system's store, which does not know the
    // test CA.
    let case = Case {
        added_ca: None,
        only_added: false,
        trusted: false,
        env: &[],
    };
    run_case(&stores.hub, &case).await;
    assert_eq!(stores.hub.count(), 0);
    // SSL_CERT_FILE replaces the system's store (a corporate bundle).
    let bundle = stores.path("hub-ca.pem");
    let case = Case {
        trusted: true,
        env: &[("SSL_CERT_FILE", bundle.as_os_str())],
        ..case
    };
    run_case(&stores.hub, &case).await;
    assert_eq!(stores.hub.count(), 1);
}

#[tokio::test]
async fn ssl_cert_dir_roots_are_trusted() {
    let stores = Stores::new().await;
    let dir = stores.path("certs");
    let case = Case {
        added_ca: None,
        only_added: false,
        trusted: true,
        env: &[("SSL_CERT_DIR", dir.as_os_str())],
    };
    run_case(&stores.hub, &case).await;
    assert_eq!(stores.hub.count(), 1);
}

#[tokio::test]
async fn the_platform_store_still_counts_when_an_added_ca_does_not_match() {
    let stores = Stores::new().await;
    let other = stores.path("other-ca.pem");
    let bundle = stores.path("hub-ca.pem");
    // The added CA is tried first; the server's chain ends in the platform's store instead.
    let case = Case {
        added_ca: Some(&other),
        only_added: false,
        trusted: true,
        env: &[("SSL_CERT_FILE", bundle.as_os_str())],
    };
    run_case(&stores.hub, &case).await;
    assert_eq!(stores.hub.count(), 1);
    // Unless only the added CAs are to be trusted.
    let case = Case {
        only_added: true,
        trusted: false,
        ..case
    };
    run_case(&stores.hub, &case).await;
    assert_eq!(stores.hub.count(), 1);
}

#[tokio::test]
async fn a_proxys_root_from_ssl_cert_file_is_trusted_through_the_tunnel() {
    let stores = Stores::new().await;
    let (proxy, targets) = crate::proxy::connect_proxy().await;
    let bundle = stores.path("hub-ca.pem");
    let proxy_url = std::ffi::OsString::from(format!("http://{proxy}"));
    let case = Case {
        added_ca: None,
        only_added: false,
        trusted: true,
        env: &[
            ("HTTPS_PROXY", proxy_url.as_os_str()),
            ("SSL_CERT_FILE", bundle.as_os_str()),
        ],
    };
    run_case(&stores.hub, &case).await;
    assert_eq!(
        *targets.lock().unwrap(),
        [format!("localhost:{}", stores.hub.addr.port())]
    );
    assert_eq!(stores.hub.count(), 1);
}
