//! IoT Hub connection strings: parsing, validation, building and redacted printing.
//!
//! Connection strings carry keys, so this module is where "never print a secret" is enforced for
//! them: `Debug` and `Display` redact, and the only way to get the full text back is the
//! deliberately named [`ConnectionString::expose_secret`].

use std::fmt;
use std::str::FromStr;

use crate::redact::REDACTED;
use crate::{AuthError, SasToken, SharedAccessKey};

const HOST_NAME: &str = "HostName";
const DEVICE_ID: &str = "DeviceId";
const MODULE_ID: &str = "ModuleId";
const SHARED_ACCESS_KEY_NAME: &str = "SharedAccessKeyName";
const SHARED_ACCESS_KEY: &str = "SharedAccessKey";
const SHARED_ACCESS_SIGNATURE: &str = "SharedAccessSignature";
const GATEWAY_HOST_NAME: &str = "GatewayHostName";
const X509: &str = "x509";

/// Parsed connection string. `Debug` and `Display` redact `SharedAccessKey` and the signature.
///
/// Built either by [`ConnectionString::parse`] (validated) or by the `for_*` builders, which
/// trust their arguments: a value containing `;` yields a string that does not parse back.
#[derive(Clone, Debug)]
pub struct ConnectionString {
    /// `HostName`: the hub's host name (also used in `sr` and the MQTT user name), maybe with a port.
    pub host_name: String,
    /// `DeviceId`; absent for hub policy strings.
    pub device_id: Option<String>,
    /// `ModuleId`; only with a `DeviceId`.
    pub module_id: Option<String>,
    /// `GatewayHostName`: where to open the connection when it differs from `HostName`
    /// (IoT Edge, a local emulator).
    pub gateway_host_name: Option<String>,
    /// `SharedAccessKeyName`: the policy the key belongs to.
    pub shared_access_key_name: Option<String>,
    /// `x509=true`: the device authenticates with a client certificate.
    pub x509: bool,
    // Debug of both types redacts the secret parts.
    key: Option<SharedAccessKey>,
    token: Option<SasToken>,
}

/// Which identity a connection string authenticates as, derived from the keys present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectionStringKind {
    /// No `DeviceId`: a shared access policy of the hub (service side).
    HubPolicy,
    /// `DeviceId` without `ModuleId`.
    Device,
    /// `DeviceId` and `ModuleId`.
    Module,
}

/// The credential a connection string carries.
#[derive(Debug, Clone, Copy)]
pub enum Credential<'a> {
    /// `SharedAccessKey`: sign tokens with it.
    Key(&'a SharedAccessKey),
    /// `SharedAccessSignature`: a ready-made token, used until it expires.
    Token(&'a SasToken),
    /// `x509=true`: a client certificate presented during TLS.
    X509,
}

impl ConnectionString {
    /// Parses `Key=Value` pairs separated by `;`.
    ///
    /// Each pair is split on its first `=` (keys and tokens contain `=`). Keys are case-sensitive
    /// as in the SDKs: `HostName`, `DeviceId`, `ModuleId`, `SharedAccessKeyName`,
    /// `SharedAccessKey`, `SharedAccessSignature`, `GatewayHostName`, `x509`. Unknown or duplicate
    /// keys are errors; empty parts (a trailing `;`) and surrounding whitespace of the whole string
    /// (a pasted newline) are ignored.
    ///
    /// Rules: `HostName` is required; without `DeviceId` the string is a hub policy and needs
    /// `SharedAccessKeyName` and `SharedAccessKey`; with `DeviceId` exactly one of
    /// `SharedAccessKey`, `SharedAccessSignature` or `x509=true` is required; `ModuleId` requires
    /// `DeviceId`; `SharedAccessKeyName` requires `SharedAccessKey`.
    pub fn parse(s: &str) -> Result<Self, AuthError> {
        let mut host = None;
        let mut device = None;
        let mut module = None;
        let mut key_name = None;
        let mut key = None;
        let mut token = None;
        let mut gateway = None;
        let mut x509 = None;

        for (index, part) in s.trim().split(';').enumerate() {
            if part.is_empty() {
                continue;
            }
            let (name, value) =
                part.split_once('=')
                    .ok_or(AuthError::MalformedConnectionStringPart {
                        position: index + 1,
                    })?;
            let (slot, name) = match name {
                HOST_NAME => (&mut host, HOST_NAME),
                DEVICE_ID => (&mut device, DEVICE_ID),
                MODULE_ID => (&mut module, MODULE_ID),
                SHARED_ACCESS_KEY_NAME => (&mut key_name, SHARED_ACCESS_KEY_NAME),
                SHARED_ACCESS_KEY => (&mut key, SHARED_ACCESS_KEY),
                SHARED_ACCESS_SIGNATURE => (&mut token, SHARED_ACCESS_SIGNATURE),
                GATEWAY_HOST_NAME => (&mut gateway, GATEWAY_HOST_NAME),
                X509 => (&mut x509, X509),
                other => {
                    return Err(AuthError::UnknownKey {
                        key: describe_unknown_key(other),
                    });
                }
            };
            if slot.replace(value).is_some() {
                return Err(AuthError::DuplicateKey { key: name });
            }
        }

        let host_name =
            non_empty(HOST_NAME, host)?.ok_or(AuthError::MissingKey { key: HOST_NAME })?;
        let device_id = non_empty(DEVICE_ID, device)?;
        let module_id = non_empty(MODULE_ID, module)?;
        let shared_access_key_name = non_empty(SHARED_ACCESS_KEY_NAME, key_name)?;
        let gateway_host_name = non_empty(GATEWAY_HOST_NAME, gateway)?;
        let x509 = match x509 {
            None => false,
            Some(v) if v.eq_ignore_ascii_case("true") => true,
            Some(v) if v.eq_ignore_ascii_case("false") => false,
            Some(_) => {
                return Err(AuthError::InvalidValue {
                    key: X509,
                    reason: "must be `true` or `false`".to_owned(),
                });
            }
        };
        // Error texts of the inner parsers never contain the value, so they are safe to embed.
        let key = key
            .map(SharedAccessKey::from_base64)
            .transpose()
            .map_err(|e| AuthError::InvalidValue {
                key: SHARED_ACCESS_KEY,
                reason: e.to_string(),
            })?;
        let token =
            token
                .map(SasToken::parse)
                .transpose()
                .map_err(|e| AuthError::InvalidValue {
                    key: SHARED_ACCESS_SIGNATURE,
                    reason: e.to_string(),
                })?;

        if module_id.is_some() && device_id.is_none() {
            return Err(AuthError::KeyRequires {
                key: MODULE_ID,
                requires: DEVICE_ID,
            });
        }
        if shared_access_key_name.is_some() && key.is_none() {
            return Err(AuthError::KeyRequires {
                key: SHARED_ACCESS_KEY_NAME,
                requires: SHARED_ACCESS_KEY,
            });
        }
        let credentials =
            usize::from(key.is_some()) + usize::from(token.is_some()) + usize::from(x509);
        if credentials > 1 {
            return Err(AuthError::ConflictingCredentials);
        }
        if device_id.is_none() {
            if shared_access_key_name.is_none() {
                return Err(AuthError::MissingKey {
                    key: SHARED_ACCESS_KEY_NAME,
                });
            }
            if key.is_none() {
                return Err(AuthError::MissingKey {
                    key: SHARED_ACCESS_KEY,
                });
            }
        } else if credentials == 0 {
            return Err(AuthError::MissingCredential);
        }

        Ok(Self {
            host_name,
            device_id,
            module_id,
            gateway_host_name,
            shared_access_key_name,
            x509,
            key,
            token,
        })
    }

    /// Which identity this string authenticates as.
    pub fn kind(&self) -> ConnectionStringKind {
        match (&self.device_id, &self.module_id) {
            (None, _) => ConnectionStringKind::HubPolicy,
            (Some(_), None) => ConnectionStringKind::Device,
            (Some(_), Some(_)) => ConnectionStringKind::Module,
        }
    }

    /// The credential to authenticate with.
    pub fn credential(&self) -> Credential<'_> {
        match (&self.key, &self.token) {
            (Some(key), _) => Credential::Key(key),
            (None, Some(token)) => Credential::Token(token),
            (None, None) => Credential::X509,
        }
    }

    /// The shared access key, when the string has one.
    pub fn key(&self) -> Option<&SharedAccessKey> {
        self.key.as_ref()
    }

    /// A hub policy string: `HostName=..;SharedAccessKeyName=..;SharedAccessKey=..`.
    pub fn for_hub_policy(host: &str, key_name: &str, key: SharedAccessKey) -> Self {
        Self {
            shared_access_key_name: Some(key_name.to_owned()),
            ..Self::with_key(host, None, None, key)
        }
    }

    /// A device string: `HostName=..;DeviceId=..;SharedAccessKey=..`.
    pub fn for_device(host: &str, device_id: &str, key: SharedAccessKey) -> Self {
        Self::with_key(host, Some(device_id), None, key)
    }

    /// A module string: `HostName=..;DeviceId=..;ModuleId=..;SharedAccessKey=..`.
    pub fn for_module(host: &str, device_id: &str, module_id: &str, key: SharedAccessKey) -> Self {
        Self::with_key(host, Some(device_id), Some(module_id), key)
    }

    /// Adds (or replaces) `GatewayHostName`.
    #[must_use]
    pub fn with_gateway(mut self, gateway: &str) -> Self {
        self.gateway_host_name = Some(gateway.to_owned());
        self
    }

    fn with_key(
        host: &str,
        device_id: Option<&str>,
        module_id: Option<&str>,
        key: SharedAccessKey,
    ) -> Self {
        Self {
            host_name: host.to_owned(),
            device_id: device_id.map(str::to_owned),
            module_id: module_id.map(str::to_owned),
            gateway_host_name: None,
            shared_access_key_name: None,
            x509: false,
            key: Some(key),
            token: None,
        }
    }

    /// The full string including secrets, in canonical key order. Named so call sites are greppable.
    pub fn expose_secret(&self) -> String {
        self.render(true)
    }

    /// The resource URI a token from this string should be scoped to: host, or host/devices/{id}[/modules/{m}]
    /// (ids percent-encoded as path segments are NOT needed — ids are raw here; `SasToken::sign` encodes the whole uri).
    pub fn resource_uri(&self) -> String {
        let mut uri = self.host_name.clone();
        if let Some(device) = &self.device_id {
            uri.push_str("/devices/");
            uri.push_str(device);
            if let Some(module) = &self.module_id {
                uri.push_str("/modules/");
                uri.push_str(module);
            }
        }
        uri
    }

    /// Convenience: sign a token for `resource_uri()` valid for `ttl_secs` from `now_unix`,
    /// with `skn` = `SharedAccessKeyName` when present. Error if the string holds no key.
    pub fn generate_token(&self, now_unix: u64, ttl_secs: u64) -> Result<SasToken, AuthError> {
        let key = self.key.as_ref().ok_or(AuthError::NoKey)?;
        SasToken::sign(
            key,
            &self.resource_uri(),
            now_unix.saturating_add(ttl_secs),
            self.shared_access_key_name.as_deref(),
        )
    }

    /// Canonical order, as the portal and the SDKs print them; `GatewayHostName` last as in IoT Edge.
    fn render(&self, reveal: bool) -> String {
        let mut parts = vec![format!("{HOST_NAME}={}", self.host_name)];
        if let Some(device) = &self.device_id {
            parts.push(format!("{DEVICE_ID}={device}"));
        }
        if let Some(module) = &self.module_id {
            parts.push(format!("{MODULE_ID}={module}"));
        }
        if let Some(name) = &self.shared_access_key_name {
            parts.push(format!("{SHARED_ACCESS_KEY_NAME}={name}"));
        }
        if let Some(key) = &self.key {
            let value = if reveal {
                key.to_base64()
            } else {
                REDACTED.to_owned()
            };
            parts.push(format!("{SHARED_ACCESS_KEY}={value}"));
        }
        if let Some(token) = &self.token {
            let value = if reveal { token.expose() } else { REDACTED };
            parts.push(format!("{SHARED_ACCESS_SIGNATURE}={value}"));
        }
        if self.x509 {
            parts.push(format!("{X509}=true"));
        }
        if let Some(gateway) = &self.gateway_host_name {
            parts.push(format!("{GATEWAY_HOST_NAME}={gateway}"));
        }
        parts.join(";")
    }
}

impl fmt::Display for ConnectionString {
    /// The connection string with `SharedAccessKey` and `SharedAccessSignature` values redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl FromStr for ConnectionString {
    type Err = AuthError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

fn non_empty(key: &'static str, value: Option<&str>) -> Result<Option<String>, AuthError> {
    match value {
        Some("") => Err(AuthError::InvalidValue {
            key,
            reason: "is empty".to_owned(),
        }),
        other => Ok(other.map(str::to_owned)),
    }
}

/// A mangled string (a missing `;`, a key pasted on its own) can put secret material where a key
/// name should be, so only short identifier-like names are echoed back.
fn describe_unknown_key(key: &str) -> String {
    let looks_like_a_name = key.len() <= 32
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if looks_like_a_name && !key.is_empty() {
        format!("`{key}`")
    } else {
        format!("of {} characters (not shown)", key.chars().count())
    }
}
