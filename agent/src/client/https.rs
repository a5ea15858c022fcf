//! The agent's one HTTPS client, for everything it fetches or sends over plain HTTPS:
//! artefact downloads (apps, certificates, its own updates) and log bundles put to the hub's
//! storage.
//!
//! Built once with the agent, so the uploads and downloads share one connection pool and one
//! trust set: the configured extra CA (a local hub serves its blobs and artefacts with its own
//! CA) plus the platform's store, read at the first handshake the extra CA does not verify
//! rather than when the client is built (see `connection::tls`): reqwest's own TLS set-up
//! would read and keep the whole store at start, on a device that may never download anything. A redirect from https to plain http is refused unless the
//! artefact policy allows http. Each request sets its own time limit. The hub's HTTPS device
//! API (file-upload notifications) is not here: it goes over the MQTT session's TLS set-up,
//! which also carries the device's client certificate.

use std::time::Duration;

use crate::error::{DmError, DmResult};

/// How long TCP + TLS to a server may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// The most redirects a request follows.
const MAX_REDIRECTS: usize = 10;

/// The client: the system's roots and `extra_ca_pem` trusted, redirects to plain http refused
/// unless `allow_http` (`artifacts.allow_http`).
pub(crate) fn client(extra_ca_pem: Option<&[u8]>, allow_http: bool) -> DmResult<reqwest::Client> {
    // An https URL must not be steered to http by a redirect the policy would have refused.
    let redirects = reqwest::redirect::Policy::custom(move |attempt| {
        if !allow_http && attempt.url().scheme().eq_ignore_ascii_case("http") {
            attempt.error("redirected to plain http, which this device does not allow (`artifacts.allow_http`)")
        } else if attempt.previous().len() >= MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    });
    let tls = crate::connection::tls::https_config(extra_ca_pem, "the extra CA")?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(redirects)
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
        .map_err(|e| {
            DmError::Config(format!(
                "cannot build the HTTPS client: {}",
                crate::connection::error_chain(&e.without_url())
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_extra_ca_is_refused_at_build() {
        assert!(client(None, false).is_ok());
        let err = client(Some(b"not a pem"), false).unwrap_err();
        assert!(err.to_string().contains("extra CA"), "{err}");
    }
}
