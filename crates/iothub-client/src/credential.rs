//! The `Authorization` header: SAS tokens for the hub, cached and renewed before they expire.
//!
//! Signing on every request would be wasteful with an HSM-backed [`Signer`] and makes every
//! request carry a different token; instead one token scoped to the hub (`sr = HostName`) is
//! shared by all concurrent requests and replaced when less than a fifth of its lifetime, at most
//! five minutes, is left. The margin keeps a token from expiring between signing and the hub
//! checking it, and covers modest clock skew.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use iothub_auth::{DEFAULT_CLOCK_SKEW_SECS, SasToken, Signer, unix_now};
use reqwest::header::HeaderValue;
use tokio::sync::Mutex;

use crate::error::{Error, ErrorKind, Result};

/// The most a token is renewed ahead of its expiry.
const MAX_RENEW_MARGIN: Duration = Duration::from_secs(5 * 60);

/// Where tokens come from.
pub(crate) enum Credential {
    /// Tokens are signed here, for `sr = audience`.
    Signer {
        signer: Arc<dyn Signer>,
        key_name: Option<String>,
        audience: String,
        ttl: Duration,
        cache: Mutex<Option<CachedToken>>,
    },
    /// A ready-made token, used as is until it expires.
    Fixed {
        token: SasToken,
        header: HeaderValue,
    },
}

pub(crate) struct CachedToken {
    header: HeaderValue,
    renew_at: Instant,
}

impl Credential {
    pub(crate) fn signer(
        signer: Arc<dyn Signer>,
        key_name: Option<String>,
        audience: String,
        ttl: Duration,
    ) -> Self {
        Self::Signer {
            signer,
            key_name,
            audience,
            ttl,
            cache: Mutex::new(None),
        }
    }

    pub(crate) fn fixed(token: SasToken) -> Result<Self> {
        let header = sensitive_header(&token)?;
        Ok(Self::Fixed { token, header })
    }

    /// The header value for the next request, signing a fresh token when needed.
    pub(crate) async fn authorization(&self) -> Result<HeaderValue> {
        match self {
            Self::Fixed { token, header } => {
                let now = unix_now();
                if now > token.expiry().saturating_add(DEFAULT_CLOCK_SKEW_SECS) {
                    return Err(Error::new(ErrorKind::Credential(format!(
                        "the configured SAS token expired (se={}, now={now})",
                        token.expiry()
                    ))));
                }
                Ok(header.clone())
            }
            Self::Signer {
                signer,
                key_name,
                audience,
                ttl,
                cache,
            } => {
                // Holding the lock while signing makes concurrent requests wait for one token
                // instead of each signing their own.
                let mut cached = cache.lock().await;
                if let Some(token) = cached.as_ref()
                    && Instant::now() < token.renew_at
                {
                    return Ok(token.header.clone());
                }
                let issued = Instant::now();
                let ttl_secs = ttl.as_secs().max(1);
                let token = SasToken::sign(
                    signer.as_ref(),
                    audience,
                    unix_now().saturating_add(ttl_secs),
                    key_name.as_deref(),
                )
                .map_err(|e| {
                    Error::new(ErrorKind::Credential("could not sign a SAS token".into()))
                        .with_source(e)
                })?;
                let header = sensitive_header(&token)?;
                let lifetime = Duration::from_secs(ttl_secs);
                let margin = (lifetime / 5).min(MAX_RENEW_MARGIN);
                tracing::debug!(
                    audience = %audience,
                    expiry = token.expiry(),
                    "signed a new SAS token"
                );
                *cached = Some(CachedToken {
                    header: header.clone(),
                    renew_at: issued + lifetime.saturating_sub(margin),
                });
                Ok(header)
            }
        }
    }
}

fn sensitive_header(token: &SasToken) -> Result<HeaderValue> {
    let mut header = HeaderValue::from_str(token.expose()).map_err(|_| {
        Error::new(ErrorKind::Credential(
            "the SAS token contains characters not allowed in an HTTP header".into(),
        ))
    })?;
    // Keeps the token out of reqwest's and hyper's Debug output.
    header.set_sensitive(true);
    Ok(header)
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Signer {
                key_name,
                audience,
                ttl,
                ..
            } => f
                .debug_struct("Signer")
                .field("audience", audience)
                .field("key_name", key_name)
                .field("ttl", ttl)
                .field("signer", &format_args!("<redacted>"))
                .finish_non_exhaustive(),
            Self::Fixed { token, .. } => f.debug_tuple("Fixed").field(token).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iothub_auth::SharedAccessKey;

    fn key() -> Arc<dyn Signer> {
        Arc::new(SharedAccessKey::from_base64("cGFzc3dvcmQ=").unwrap())
    }

    #[tokio::test]
    async fn token_is_reused_and_verifies() {
        let cred = Credential::signer(
            key(),
            Some("iothubowner".into()),
            "myhub.azure-devices.net".into(),
            Duration::from_secs(3600),
        );
        let first = cred.authorization().await.unwrap();
        let second = cred.authorization().await.unwrap();
        assert_eq!(first, second);
        assert!(first.is_sensitive());
        let token = SasToken::parse(first.to_str().unwrap()).unwrap();
        assert_eq!(token.resource(), "myhub.azure-devices.net");
        assert_eq!(token.key_name(), Some("iothubowner"));
        let now = unix_now();
        assert!(token.expiry() >= now + 3590 && token.expiry() <= now + 3600);
        token.verify(key().as_ref(), now, 0).unwrap();
    }

    #[tokio::test]
    async fn expired_fixed_token_is_refused_before_sending() {
        let token = SasToken::sign(key().as_ref(), "myhub", 1_000, None).unwrap();
        let cred = Credential::fixed(token).unwrap();
        let err = cred.authorization().await.unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Credential(_)));
        assert!(err.to_string().contains("se=1000"), "{err}");
    }

    #[test]
    fn debug_hides_the_token() {
        let token = SasToken::sign(key().as_ref(), "myhub", 4_000_000_000, None).unwrap();
        let raw = token.expose().to_owned();
        let sig = raw.split("sig=").nth(1).unwrap().split('&').next().unwrap();
        let cred = Credential::fixed(token).unwrap();
        let dbg = format!("{cred:?}");
        assert!(!dbg.contains(sig), "{dbg}");
        let cred = Credential::signer(key(), None, "h".into(), Duration::from_secs(60));
        assert!(format!("{cred:?}").contains("<redacted>"));
    }
}
