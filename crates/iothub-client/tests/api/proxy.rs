//! Proxies: explicit configuration and `HTTPS_PROXY`/`NO_PROXY` from the environment.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use iothub_client::ClientBuilder;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::{Reply, TestHub, TestPki, connection_string, fast_retries};

fn stats() -> Reply {
    Reply::json(200, &json!({"connectedDeviceCount": 1}))
}

/// An HTTP CONNECT proxy that records each tunnel's target.
pub(crate) async fn connect_proxy() -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let targets = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&targets);
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let mut words = head.split_whitespace();
                let (Some("CONNECT"), Some(target)) = (words.next(), words.next()) else {
                    let _ = client
                        .write_all(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
                        .await;
                    return;
                };
                seen.lock().unwrap().push(target.to_owned());
                let Ok(mut upstream) = TcpStream::connect(target).await else {
                    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
                    return;
                };
                let _ = client
                    .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                    .await;
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    });
    (addr, targets)
}

#[tokio::test]
async fn explicit_http_proxy_for_plain_http() {
    // The proxy is itself the test hub: a request for an unresolvable host can only succeed
    // through it.
    let hub = TestHub::start(|_, _| stats()).await;
    let client = ClientBuilder::from_connection_string(&connection_string())
        .unwrap()
        .endpoint("http://hub.invalid/".parse().unwrap())
        .proxy(format!("http://{}", hub.addr).parse().unwrap(), None)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    client.service_statistics().await.unwrap();
    let request = hub.single();
    assert_eq!(request.authority.as_deref(), Some("hub.invalid"));
    assert_eq!(request.path, "/statistics/service");
}

#[tokio::test]
async fn explicit_proxy_honours_no_proxy() {
    let direct = TestHub::start(|_, _| stats()).await;
    let proxy = TestHub::start(|_, _| stats()).await;
    let client = direct
        .builder()
        .proxy(
            format!("http://{}", proxy.addr).parse().unwrap(),
            Some("127.0.0.1"),
        )
        .build()
        .unwrap();
    client.service_statistics().await.unwrap();
    assert_eq!(direct.count(), 1);
    assert_eq!(proxy.count(), 0);
}

#[tokio::test]
async fn explicit_proxy_tunnels_https() {
    let pki = TestPki::generate();
    let hub = TestHub::start_tls(pki.server.clone(), |_, _| stats()).await;
    let (proxy, targets) = connect_proxy().await;
    let client = ClientBuilder::from_connection_string(&connection_string())
        .unwrap()
        .endpoint(
            format!("https://localhost:{}/", hub.addr.port())
                .parse()
                .unwrap(),
        )
        .add_root_ca_pem(pki.ca_pem.as_bytes())
        .proxy(format!("http://{proxy}").parse().unwrap(), None)
        .build()
        .unwrap();
    client.service_statistics().await.unwrap();
    assert_eq!(
        *targets.lock().unwrap(),
        [format!("localhost:{}", hub.addr.port())]
    );
    assert_eq!(hub.count(), 1);
}

const CHILD_ENDPOINT: &str = "IOTHUB_CLIENT_TEST_ENDPOINT";
const CHILD_CA: &str = "IOTHUB_CLIENT_TEST_CA";

/// Runs [`env_proxy_child`] in a fresh process with `env` set (the environment of this process
/// cannot be changed safely) and returns whether it passed.
async fn run_child(endpoint: &str, ca_path: &std::path::Path, env: &[(&str, &str)]) {
    let mut command = tokio::process::Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "proxy::env_proxy_child",
            "--exact",
            "--ignored",
            "--test-threads=1",
        ])
        .env(CHILD_ENDPOINT, endpoint)
        .env(CHILD_CA, ca_path);
    for name in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        command.env_remove(name);
    }
    for (name, value) in env {
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

#[tokio::test]
async fn https_proxy_and_no_proxy_from_the_environment() {
    let pki = TestPki::generate();
    let hub = TestHub::start_tls(pki.server.clone(), |_, _| stats()).await;
    let (proxy, targets) = connect_proxy().await;
    let dir = tempfile::tempdir().unwrap();
    let ca_path = dir.path().join("ca.pem");
    std::fs::write(&ca_path, &pki.ca_pem).unwrap();
    let endpoint = format!("https://localhost:{}/", hub.addr.port());
    let proxy_url = format!("http://{proxy}");

    run_child(&endpoint, &ca_path, &[("HTTPS_PROXY", &proxy_url)]).await;
    assert_eq!(
        *targets.lock().unwrap(),
        [format!("localhost:{}", hub.addr.port())]
    );
    assert_eq!(hub.count(), 1);

    run_child(
        &endpoint,
        &ca_path,
        &[("HTTPS_PROXY", &proxy_url), ("NO_PROXY", "localhost")],
    )
    .await;
    assert_eq!(
        targets.lock().unwrap().len(),
        1,
        "NO_PROXY bypassed the proxy"
    );
    assert_eq!(hub.count(), 2);
}

/// Helper for [`https_proxy_and_no_proxy_from_the_environment`]: a client with default proxy
/// settings calls the hub named by the environment.
#[tokio::test]
#[ignore = "run in a child process by https_proxy_and_no_proxy_from_the_environment"]
async fn env_proxy_child() {
    let endpoint = std::env::var(CHILD_ENDPOINT).expect("run by the parent test");
    let ca = std::fs::read(std::env::var(CHILD_CA).expect("run by the parent test")).unwrap();
    let client = ClientBuilder::from_connection_string(&connection_string())
        .unwrap()
        .endpoint(endpoint.parse().unwrap())
        .add_root_ca_pem(&ca)
        .build()
        .unwrap();
    client.service_statistics().await.unwrap();
}
