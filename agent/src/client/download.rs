//! Downloading artefacts (packages, certificates) by URL, proven by their SHA-256.
//!
//! The digest in the request, not TLS, is what proves the file, so it is checked on the bytes
//! as they arrive and the file is deleted on a mismatch. URLs may carry a blob SAS: they are
//! only ever shown redacted, and `reqwest` errors are stripped of the URL before they reach a
//! message.

use std::path::{Path, PathBuf};
use std::time::Duration;

use dm_contract::ArtifactUrl;
use sha2::{Digest as _, Sha256};
use tokio::io::AsyncWriteExt as _;

use crate::artifacts::ArtifactPolicy;
use crate::error::{DmError, DmResult};
use crate::providers::certificates::hex;

/// Downloads `url` into a new file in `dir` (named with `extension`, which package tools look
/// at), checking its size against `limit` and its SHA-256 against `sha256`. A plain `http` URL,
/// or a redirect to one, is refused unless `policy` allows http. The caller removes the file
/// when done with it. `http` is the agent's one HTTPS client ([`super::https`]).
#[allow(
    clippy::too_many_arguments,
    reason = "each caller passes its own artefact's facts; a struct would only rename them"
)]
pub(crate) async fn download(
    http: &reqwest::Client,
    url: &ArtifactUrl,
    sha256: &str,
    dir: &Path,
    extension: &str,
    limit: u64,
    timeout: Duration,
    policy: &ArtifactPolicy,
) -> DmResult<PathBuf> {
    policy.check_url(url)?;
    crate::providers::ensure_dir(dir)?;
    let path = dir.join(format!("dl-{}.{extension}", uuid::Uuid::new_v4()));
    let result = fetch(http, url, sha256, &path, limit, timeout).await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(&path).await;
    }
    result.map(|()| path)
}

async fn fetch(
    http: &reqwest::Client,
    url: &ArtifactUrl,
    sha256: &str,
    path: &Path,
    limit: u64,
    timeout: Duration,
) -> DmResult<()> {
    let shown = url.redacted();
    let mut response = http
        .get(url.expose())
        .timeout(timeout)
        .send()
        .await
        .map_err(|e| send_error(&shown, e))?;
    if !response.status().is_success() {
        return Err(DmError::Download(format!(
            "{shown} answered HTTP {}",
            response.status()
        )));
    }
    if response.content_length().is_some_and(|len| len > limit) {
        return Err(DmError::Download(format!(
            "{shown} is larger than the {limit}-byte limit"
        )));
    }
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .await
        .map_err(|e| DmError::io("cannot create", path, e))?;
    let mut hasher = Sha256::new();
    let mut received = 0_u64;
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| DmError::Download(format!("{shown}: {}", e.without_url())))?
    {
        received += chunk.len() as u64;
        if received > limit {
            return Err(DmError::Download(format!(
                "{shown} is larger than the {limit}-byte limit"
            )));
        }
        hasher.update(&chunk);
        file.write_all(&chunk)
            .await
            .map_err(|e| DmError::io("cannot write", path, e))?;
    }
    file.sync_all()
        .await
        .map_err(|e| DmError::io("cannot flush", path, e))?;
    let actual = hex(&hasher.finalize());
    if !actual.eq_ignore_ascii_case(sha256) {
        return Err(DmError::ChecksumMismatch {
            expected: sha256.to_ascii_lowercase(),
            actual,
        });
    }
    Ok(())
}

/// A failed request as an error: a redirect to plain http is the policy's refusal
/// (`insecureUrl`); anything else a download failure. URLs are stripped: they may be signed.
fn send_error(shown: &str, err: reqwest::Error) -> DmError {
    if err.is_redirect() {
        let mut reason = String::new();
        let mut source = std::error::Error::source(&err);
        while let Some(inner) = source {
            reason = inner.to_string();
            source = inner.source();
        }
        if reason.contains("plain http") {
            return DmError::failed(
                dm_contract::error_code::INSECURE_URL,
                format!("{shown} {reason}"),
            );
        }
        return DmError::Download(format!("{shown}: {reason}"));
    }
    DmError::Download(format!("{shown}: {}", err.without_url()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use tokio::io::AsyncReadExt as _;

    /// A one-route HTTP server for tests: answers every request with `status` and `body`.
    pub(crate) async fn serve_once(status: u16, body: Vec<u8>) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let body = body.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0_u8; 4096];
                    let _ = stream.read(&mut buf).await;
                    let head = format!(
                        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes()).await;
                    let _ = stream.write_all(&body).await;
                });
            }
        });
        addr
    }

    fn allow_http() -> ArtifactPolicy {
        ArtifactPolicy {
            allow_http: true,
            ..ArtifactPolicy::default()
        }
    }

    pub(crate) fn digest(bytes: &[u8]) -> String {
        hex(&Sha256::digest(bytes))
    }

    #[tokio::test]
    async fn downloads_are_checked_and_bad_ones_leave_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let addr = serve_once(200, b"package".to_vec()).await;
        let url = ArtifactUrl::new(format!("http://{addr}/p.deb?sig=SECRET"));
        let http = crate::client::https::client(None, true).unwrap();
        let path = download(
            &http,
            &url,
            &digest(b"package"),
            dir.path(),
            "deb",
            1024,
            Duration::from_secs(5),
            &allow_http(),
        )
        .await
        .unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"package");
        assert_eq!(
            path.extension().unwrap(),
            "deb",
            "apt-get installs local files by extension"
        );
        std::fs::remove_file(path).unwrap();

        let err = download(
            &http,
            &url,
            &digest(b"other"),
            dir.path(),
            "deb",
            1024,
            Duration::from_secs(5),
            &allow_http(),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code(), "checksumMismatch");
        let err = download(
            &http,
            &url,
            &digest(b"package"),
            dir.path(),
            "deb",
            3,
            Duration::from_secs(5),
            &allow_http(),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code(), "downloadFailed");
        assert!(!err.to_string().contains("SECRET"), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

        // Without `artifacts.allow_http`, a plain http URL is refused before any request.
        let err = download(
            &http,
            &url,
            &digest(b"package"),
            dir.path(),
            "deb",
            1024,
            Duration::from_secs(5),
            &ArtifactPolicy::default(),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code(), "insecureUrl");
        assert!(err.to_string().contains("artifacts.allow_http"), "{err}");
        assert!(!err.to_string().contains("SECRET"), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

        let missing = serve_once(404, Vec::new()).await;
        let url = ArtifactUrl::new(format!("http://{missing}/p.deb?sig=SECRET"));
        let err = download(
            &http,
            &url,
            &digest(b""),
            dir.path(),
            "deb",
            1024,
            Duration::from_secs(5),
            &allow_http(),
        )
        .await
        .unwrap_err();
        assert!(
            err.to_string().contains("404") && !err.to_string().contains("SECRET"),
            "{err}"
        );
    }
}
