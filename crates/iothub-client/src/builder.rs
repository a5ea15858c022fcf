//! Configuring and building a [`ServiceClient`].
//!
//! Every knob a deployment may need lives here, so the client itself stays immutable and cheap to
//! clone: where the hub is (and an override for local hubs and tests), which extra CA to trust,
//! how to authenticate, timeouts, retries, proxies and the api-version.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use iothub_auth::{ConnectionString, ConnectionStringKind, SasToken, SharedAccessKey, Signer};
use reqwest::Url;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;

use crate::client::{Inner, ServiceClient};
use crate::credential::Credential;
use crate::error::{Error, Result};
use crate::observe::WriteObserver;
use crate::retry::RetryPolicy;

/// The REST api-version sent by default (the one the current official SDKs send).
pub const DEFAULT_API_VERSION: &str = "2021-04-12";
/// Default lifetime of the SAS tokens the client signs.
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(3600);
/// Default time limit of one HTTP exchange (except direct methods, see
/// [`ClientBuilder::method_timeout_margin`]).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Default time limit for opening a connection (TCP, TLS and proxy).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time added to a direct method's own timeouts to get the HTTP timeout.
pub const DEFAULT_METHOD_TIMEOUT_MARGIN: Duration = Duration::from_secs(10);

/// The `User-Agent` product token: this crate's name and version.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Builds a [`ServiceClient`]. Start from a connection string, a [`Signer`] or a SAS token.
///
/// ```no_run
/// # async fn run() -> iothub_client::Result<()> {
/// use std::time::Duration;
/// use iothub_client::{ClientBuilder, RetryPolicy};
///
/// let ca = std::fs::read("/var/lib/iothub-emulator/ca.pem").expect("CA file");
/// let client = ClientBuilder::from_connection_string(
///     "HostName=localhost:8443;SharedAccessKeyName=iothubowner;SharedAccessKey=cGFzc3dvcmQ=",
/// )?
/// .add_root_ca_pem(&ca)
/// .request_timeout(Duration::from_secs(30))
/// .retry_policy(RetryPolicy::new().max_attempts(3))
/// .user_agent_suffix("dmctl/0.1.0")
/// .build()?;
/// # Ok(()) }
/// ```
pub struct ClientBuilder {
    host_name: String,
    auth: AuthSource,
    endpoint: Option<Url>,
    root_cas: Vec<Vec<u8>>,
    only_added_roots: bool,
    request_timeout: Duration,
    connect_timeout: Duration,
    method_timeout_margin: Duration,
    token_ttl: Duration,
    retry: RetryPolicy,
    api_version: String,
    user_agent_suffix: Option<String>,
    proxy: ProxyConfig,
    observer: Option<Arc<dyn WriteObserver>>,
}

enum AuthSource {
    Signer {
        signer: Arc<dyn Signer>,
        key_name: Option<String>,
    },
    Token(SasToken),
}

#[derive(Debug)]
enum ProxyConfig {
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` from the environment.
    System,
    /// Connect directly, whatever the environment says.
    Disabled,
    /// This proxy for every request, with `NO_PROXY`-style exclusions.
    Explicit { url: Url, no_proxy: Option<String> },
}

impl ClientBuilder {
    /// Authenticates with tokens signed by `signer` for the hub `host_name`
    /// (e.g. `myhub.azure-devices.net`, or `localhost:8443`).
    ///
    /// `key_name` is the shared access policy (`iothubowner`, `service`, ...) the key belongs to.
    pub fn new(
        host_name: impl Into<String>,
        signer: Arc<dyn Signer>,
        key_name: Option<&str>,
    ) -> Self {
        Self::with_auth(
            host_name.into(),
            AuthSource::Signer {
                signer,
                key_name: key_name.map(str::to_owned),
            },
        )
    }

    /// Authenticates with a ready-made SAS token (from a token service, say). It is used as is,
    /// so calls fail with [`ErrorKind::Credential`](crate::ErrorKind::Credential) once it expires.
    pub fn with_sas_token(host_name: impl Into<String>, token: SasToken) -> Self {
        Self::with_auth(host_name.into(), AuthSource::Token(token))
    }

    /// Parses a hub policy connection string
    /// (`HostName=…;SharedAccessKeyName=…;SharedAccessKey=…`). See [`Self::from_parsed`].
    pub fn from_connection_string(connection_string: &str) -> Result<Self> {
        let parsed = ConnectionString::parse(connection_string)
            .map_err(|e| Error::config("the connection string is not valid").with_source(e))?;
        Self::from_parsed(&parsed)
    }

    /// Uses a parsed hub policy connection string. A `GatewayHostName` in it becomes the host
    /// the client connects to, while tokens stay scoped to `HostName`.
    ///
    /// Device and module strings are refused: their keys cannot call the service API.
    pub fn from_parsed(connection_string: &ConnectionString) -> Result<Self> {
        if connection_string.kind() != ConnectionStringKind::HubPolicy {
            return Err(Error::config(
                "the connection string is for a device or module; the service client needs a hub \
                 policy string (HostName=…;SharedAccessKeyName=…;SharedAccessKey=…)",
            ));
        }
        let host = connection_string.host_name.clone();
        let mut builder = match connection_string.credential() {
            iothub_auth::Credential::Key(key) => {
                let signer: Arc<dyn Signer> = Arc::new(SharedAccessKey::clone(key));
                Self::with_auth(
                    host,
                    AuthSource::Signer {
                        signer,
                        key_name: connection_string.shared_access_key_name.clone(),
                    },
                )
            }
            iothub_auth::Credential::Token(token) => Self::with_sas_token(host, token.clone()),
            iothub_auth::Credential::X509 => {
                return Err(Error::config(
                    "the connection string has no SharedAccessKey; the service API needs one",
                ));
            }
        };
        if let Some(gateway) = &connection_string.gateway_host_name {
            builder.endpoint = Some(https_url(gateway)?);
        }
        Ok(builder)
    }

    fn with_auth(host_name: String, auth: AuthSource) -> Self {
        Self {
            host_name,
            auth,
            endpoint: None,
            root_cas: Vec::new(),
            only_added_roots: false,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            method_timeout_margin: DEFAULT_METHOD_TIMEOUT_MARGIN,
            token_ttl: DEFAULT_TOKEN_TTL,
            retry: RetryPolicy::default(),
            api_version: DEFAULT_API_VERSION.to_owned(),
            user_agent_suffix: None,
            proxy: ProxyConfig::System,
            observer: None,
        }
    }

    /// Shows every call that changes something to `observer` before it is sent (it may refuse
    /// it) and after its outcome; reads are not shown. The CLI's audit trail is one.
    #[must_use]
    pub fn write_observer(mut self, observer: Arc<dyn WriteObserver>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Sends requests to `endpoint` instead of `https://{HostName}` — a local hub, a reverse
    /// proxy, a test server. This is the only way to use plain `http://`. A path in the URL is
    /// kept as a prefix of every request path.
    #[must_use]
    pub fn endpoint(mut self, endpoint: Url) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// Trusts the certificate authorities in `pem` (one or more PEM certificates) in addition to
    /// the system's, e.g. the CA a local hub generated. Checked by [`Self::build`].
    #[must_use]
    pub fn add_root_ca_pem(mut self, pem: &[u8]) -> Self {
        self.root_cas.push(pem.to_vec());
        self
    }

    /// Trusts only the CAs added with [`Self::add_root_ca_pem`], not the system's.
    #[must_use]
    pub fn only_added_root_cas(mut self, only: bool) -> Self {
        self.only_added_roots = only;
        self
    }

    /// Time limit of one HTTP exchange, from sending to the end of the body (default 60 s).
    /// Direct methods use their own timeouts plus [`Self::method_timeout_margin`] instead.
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Time limit for opening a connection (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Added to a method call's `connectTimeoutInSeconds + responseTimeoutInSeconds` to get
    /// its HTTP timeout, so the hub's own timeout answer (404103, 504101) arrives before the
    /// client gives up (default 10 s).
    #[must_use]
    pub fn method_timeout_margin(mut self, margin: Duration) -> Self {
        self.method_timeout_margin = margin;
        self
    }

    /// Lifetime of the SAS tokens the client signs (default 1 h, at least 1 s).
    #[must_use]
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// How transient failures are retried (see [`RetryPolicy`]).
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `api-version` query parameter (default [`DEFAULT_API_VERSION`]).
    #[must_use]
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
        self
    }

    /// Appended to the `User-Agent` after [`USER_AGENT`], e.g. `dmctl/0.1.0`.
    #[must_use]
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Sends every request through the HTTP proxy `proxy`, except to hosts matched by
    /// `no_proxy` (same syntax as `NO_PROXY`: comma-separated domains, IPs, CIDRs or `*`).
    ///
    /// Without this call the environment is used: `HTTPS_PROXY`/`https_proxy` for `https://`
    /// endpoints, `HTTP_PROXY` for `http://`, `ALL_PROXY`, and `NO_PROXY`.
    #[must_use]
    pub fn proxy(mut self, proxy: Url, no_proxy: Option<&str>) -> Self {
        self.proxy = ProxyConfig::Explicit {
            url: proxy,
            no_proxy: no_proxy.map(str::to_owned),
        };
        self
    }

    /// Ignores proxy settings in the environment and connects directly.
    #[must_use]
    pub fn no_proxy(mut self) -> Self {
        self.proxy = ProxyConfig::Disabled;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<ServiceClient> {
        let host = self.host_name.trim();
        if host.is_empty() {
            return Err(Error::config("the hub host name is empty"));
        }
        // Validates the host (and optional port) the same way the default endpoint will use it.
        let default_endpoint = https_url(host)?;
        let endpoint = match self.endpoint {
            Some(url) => check_endpoint(url)?,
            None => default_endpoint,
        };
        if self.api_version.is_empty()
            || !self
                .api_version
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        {
            return Err(Error::config(format!(
                "api-version '{}' is not of the form 2021-04-12",
                self.api_version.escape_debug()
            )));
        }

        let user_agent = match &self.user_agent_suffix {
            Some(suffix) if !suffix.trim().is_empty() => format!("{USER_AGENT} {}", suffix.trim()),
            _ => USER_AGENT.to_owned(),
        };
        if !user_agent.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
            return Err(Error::config(
                "the user agent suffix must be printable ASCII",
            ));
        }

        let mut http = reqwest::Client::builder()
            .user_agent(user_agent)
            .connect_timeout(self.connect_timeout);

        // Decoded here so that a bad CA file is reported by `build`, not by the first request.
        let mut certs = Vec::new();
        for (index, pem) in self.root_cas.iter().enumerate() {
            let before = certs.len();
            for cert in CertificateDer::pem_slice_iter(pem) {
                certs.push(cert.map_err(|e| {
                    Error::config(format!("CA certificate #{} is not valid PEM", index + 1))
                        .with_source(e)
                })?);
            }
            if certs.len() == before {
                return Err(Error::config(format!(
                    "CA certificate #{} contains no PEM certificate",
                    index + 1
                )));
            }
        }
        if self.only_added_roots && certs.is_empty() {
            return Err(Error::config(
                "only_added_root_cas is set but no CA certificate was added",
            ));
        }
        // Our own TLS configuration rather than reqwest's: reqwest reads the whole platform
        // trust store while the client is built, which costs more than the rest of a short
        // `dmctl` call; `LazyRoots` reads it only if a handshake needs it (see `iothub-tls`).
        let mut tls = iothub_tls::config_builder(certs, !self.only_added_roots)
            .map_err(|e| {
                let message = e.to_string();
                match e {
                    iothub_tls::TrustError::UnusableCa { source, .. }
                    | iothub_tls::TrustError::Protocol(source) => {
                        Error::config(message).with_source(source)
                    }
                }
            })?
            .with_no_client_auth();
        // HTTP/2 and HTTP/1.1 by ALPN: what reqwest offers with its own TLS set-up.
        tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        http = http.tls_backend_preconfigured(tls);

        http = match self.proxy {
            ProxyConfig::System => http,
            ProxyConfig::Disabled => http.no_proxy(),
            ProxyConfig::Explicit { url, no_proxy } => {
                let proxy = reqwest::Proxy::all(url.as_str())
                    .map_err(|e| Error::config("the proxy URL is not usable").with_source(e))?
                    .no_proxy(no_proxy.as_deref().and_then(reqwest::NoProxy::from_string));
                http.proxy(proxy)
            }
        };

        let http = http
            .build()
            .map_err(|e| Error::config("could not set up the HTTP client").with_source(e))?;

        let credential = match self.auth {
            AuthSource::Signer { signer, key_name } => {
                Credential::signer(signer, key_name, host.to_owned(), self.token_ttl)
            }
            AuthSource::Token(token) => Credential::fixed(token)?,
        };

        Ok(ServiceClient::from_inner(Inner {
            http,
            host_name: host.to_owned(),
            endpoint,
            api_version: self.api_version,
            credential,
            request_timeout: self.request_timeout,
            method_timeout_margin: self.method_timeout_margin,
            observer: self.observer,
        })
        .with_retry_policy(self.retry))
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match &self.auth {
            AuthSource::Signer { key_name, .. } => {
                format!("signer <redacted>, key name {key_name:?}")
            }
            AuthSource::Token(token) => format!("fixed SAS token, se={}", token.expiry()),
        };
        f.debug_struct("ClientBuilder")
            .field("host_name", &self.host_name)
            .field("auth", &auth)
            .field("endpoint", &self.endpoint.as_ref().map(Url::as_str))
            .field("root_cas", &self.root_cas.len())
            .field("only_added_roots", &self.only_added_roots)
            .field("request_timeout", &self.request_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("method_timeout_margin", &self.method_timeout_margin)
            .field("token_ttl", &self.token_ttl)
            .field("retry", &self.retry)
            .field("api_version", &self.api_version)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("proxy", &self.proxy)
            .field("write_observer", &self.observer.is_some())
            .finish()
    }
}

/// `https://{host}/`, refusing anything that is not a bare host with an optional port.
fn https_url(host: &str) -> Result<Url> {
    let bad = || {
        Error::config(format!(
            "'{}' is not a host name (expected e.g. myhub.azure-devices.net or localhost:8443)",
            host.escape_debug()
        ))
    };
    if host.is_empty() || host.contains(['/', '?', '#', '@', ' ']) {
        return Err(bad());
    }
    let url = Url::parse(&format!("https://{host}/")).map_err(|_| bad())?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad());
    }
    Ok(url)
}

fn check_endpoint(url: Url) -> Result<Url> {
    if !matches!(url.scheme(), "https" | "http") {
        return Err(Error::config(format!(
            "endpoint scheme '{}' is not supported; use https (or http for a local test hub)",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::config("the endpoint URL has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(
            "the endpoint URL must not have a query or fragment",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config("the endpoint URL must not carry credentials"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CS: &str = "HostName=myhub.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=cGFzc3dvcmQ=";

    #[test]
    fn connection_string_sets_host_and_default_endpoint() {
        let client = ClientBuilder::from_connection_string(CS)
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(client.host_name(), "myhub.azure-devices.net");
        assert_eq!(
            client.endpoint().as_str(),
            "https://myhub.azure-devices.net/"
        );
        assert_eq!(client.api_version(), DEFAULT_API_VERSION);
    }

    #[test]
    fn gateway_host_name_becomes_the_endpoint() {
        let cs = format!("{CS};GatewayHostName=localhost:8443");
        let client = ClientBuilder::from_connection_string(&cs)
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(client.host_name(), "myhub.azure-devices.net");
        assert_eq!(client.endpoint().as_str(), "https://localhost:8443/");
    }

    #[test]
    fn device_strings_are_refused_without_echoing_the_key() {
        let err = ClientBuilder::from_connection_string(
            "HostName=h;DeviceId=d;SharedAccessKey=c2VjcmV0a2V5",
        )
        .unwrap_err();
        assert!(err.to_string().contains("hub policy"), "{err}");
        assert!(!format!("{err} {err:?}").contains("c2VjcmV0a2V5"));

        let err = ClientBuilder::from_connection_string("HostName=h;SharedAccessKey=c2VjcmV0a2V5")
            .unwrap_err();
        assert!(!format!("{err} {err:?}").contains("c2VjcmV0a2V5"));
    }

    #[test]
    fn bad_hosts_and_endpoints_are_config_errors() {
        let key: Arc<dyn Signer> = Arc::new(SharedAccessKey::from_base64("cGFzc3dvcmQ=").unwrap());
        for host in ["", "https://myhub", "myhub/path", "a b"] {
            let err = ClientBuilder::new(host, key.clone(), None)
                .build()
                .unwrap_err();
            assert!(matches!(err.kind(), crate::ErrorKind::Config(_)), "{host}");
        }
        for endpoint in ["ftp://h/", "http://h/?x=1", "https://user:pw@h/"] {
            let err = ClientBuilder::new("h", key.clone(), None)
                .endpoint(Url::parse(endpoint).unwrap())
                .build()
                .unwrap_err();
            assert!(
                matches!(err.kind(), crate::ErrorKind::Config(_)),
                "{endpoint}"
            );
            assert!(!err.to_string().contains("pw"));
        }
    }

    #[test]
    fn bad_ca_pem_and_options_are_reported() {
        let builder = || ClientBuilder::from_connection_string(CS).unwrap();
        let err = builder().add_root_ca_pem(b"not a pem").build().unwrap_err();
        assert!(err.to_string().contains("CA certificate #1"), "{err}");
        let err = builder().only_added_root_cas(true).build().unwrap_err();
        assert!(err.to_string().contains("no CA certificate"), "{err}");
        let err = builder().api_version("2021/04").build().unwrap_err();
        assert!(err.to_string().contains("api-version"), "{err}");
        let err = builder().user_agent_suffix("dmctl\n").build();
        assert!(err.is_ok(), "surrounding whitespace is trimmed");
        let err = builder().user_agent_suffix("dm\tctl").build().unwrap_err();
        assert!(err.to_string().contains("user agent"), "{err}");
    }

    #[test]
    fn debug_redacts_the_signer() {
        let builder = ClientBuilder::from_connection_string(CS).unwrap();
        let dbg = format!("{builder:?}");
        assert!(dbg.contains("<redacted>"));
        assert!(!dbg.contains("cGFzc3dvcmQ="));
        let client = builder.build().unwrap();
        let dbg = format!("{client:?}");
        assert!(!dbg.contains("cGFzc3dvcmQ="));
        assert!(dbg.contains("myhub.azure-devices.net"));
    }
}
