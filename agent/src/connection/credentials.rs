//! Who the device is and how it proves it: the identity behind the MQTT CONNECT.
//!
//! Credentials come from a device connection string (from the environment or a file), from a
//! key file next to a host name and device id, or from an X.509 certificate and key. Files that
//! hold a secret are refused when group or others can read them: a key that any local user can
//! copy is a key the device no longer owns. Nothing here prints a secret; `Debug` redacts.

use std::fmt;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;

use iothub_auth::{ConnectionString, ConnectionStringKind, Credential, SasToken, SharedAccessKey};

use crate::error::DmError;

/// How the device authenticates to the hub.
#[derive(Clone)]
pub enum DeviceAuth {
    /// A device (or device-scoped policy) key: tokens are signed locally and renewed before
    /// they expire. The connection string carries the key and, for a policy, its name.
    SasKey(ConnectionString),
    /// A ready-made token (a `SharedAccessSignature` connection string): used until it
    /// expires, never renewed.
    SasToken(SasToken),
    /// A client certificate presented during the TLS handshake; the MQTT password is empty.
    X509 {
        /// The certificate chain, PEM.
        cert_pem: Vec<u8>,
        /// The private key, PEM.
        key_pem: Vec<u8>,
    },
}

impl fmt::Debug for DeviceAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SasKey(_) => "SasKey(<redacted>)",
            Self::SasToken(_) => "SasToken(<redacted>)",
            Self::X509 { .. } => "X509(<redacted>)",
        })
    }
}

/// The device identity: the logical hub name, the device id, where to dial and the credential.
#[derive(Debug, Clone)]
pub struct DeviceIdentity {
    /// The hub's `HostName`: put in the MQTT user name and the token audience, and dialled
    /// when there is no gateway.
    pub host_name: String,
    /// The device id (also the MQTT client id).
    pub device_id: String,
    /// `GatewayHostName`: where the TCP connection goes when it is not `host_name` (a local
    /// hub, IoT Edge). May carry a port (`localhost:18883`).
    pub gateway_host_name: Option<String>,
    /// The credential.
    pub auth: DeviceAuth,
}

impl DeviceIdentity {
    /// The identity of a device connection string. Module and service (policy) strings are
    /// refused; an `x509=true` string needs the certificate and key in `x509`.
    pub fn from_connection_string(
        cs: ConnectionString,
        x509: Option<(Vec<u8>, Vec<u8>)>,
    ) -> Result<Self, DmError> {
        match cs.kind() {
            ConnectionStringKind::Device => {}
            ConnectionStringKind::Module => {
                return Err(DmError::invalid_setting(
                    "connection string",
                    "is a module connection string; the agent runs as a device identity",
                ));
            }
            ConnectionStringKind::HubPolicy => {
                return Err(DmError::invalid_setting(
                    "connection string",
                    "is a service (shared access policy) connection string; the agent needs a device connection string with `DeviceId`",
                ));
            }
        }
        let host_name = cs.host_name.clone();
        let device_id = cs.device_id.clone().unwrap_or_default();
        let gateway_host_name = cs.gateway_host_name.clone();
        let token = match cs.credential() {
            Credential::Key(_) => None,
            Credential::Token(token) => Some(Some(token.clone())),
            Credential::X509 => Some(None),
        };
        let auth = match token {
            None => DeviceAuth::SasKey(cs),
            Some(Some(token)) => DeviceAuth::SasToken(token),
            Some(None) => {
                let (cert_pem, key_pem) = x509.ok_or_else(|| {
                    DmError::Config(
                        "the connection string says `x509=true`: set `hub.x509_cert_file` and `hub.x509_key_file`".to_owned(),
                    )
                })?;
                DeviceAuth::X509 { cert_pem, key_pem }
            }
        };
        Ok(Self {
            host_name,
            device_id,
            gateway_host_name,
            auth,
        })
    }

    /// An identity signing its tokens with `key`.
    pub fn with_key(host_name: &str, device_id: &str, key: SharedAccessKey) -> Self {
        Self {
            host_name: host_name.to_owned(),
            device_id: device_id.to_owned(),
            gateway_host_name: None,
            auth: DeviceAuth::SasKey(ConnectionString::for_device(host_name, device_id, key)),
        }
    }

    /// The TCP host and port for MQTT over TLS: the gateway (or the hub), with `port` or the
    /// gateway's own port or 8883.
    pub fn mqtt_endpoint(&self, port: Option<u16>) -> Result<(String, u16), DmError> {
        let target = self.gateway_host_name.as_deref().unwrap_or(&self.host_name);
        let (host, own_port) = split_host_port(target)?;
        Ok((host, port.or(own_port).unwrap_or(8883)))
    }

    /// The WebSocket URL: `wss://{gateway or hub}:{port or 443}/$iothub/websocket`. A port in
    /// `GatewayHostName` is the MQTT port, so it is not used here.
    pub fn websocket_url(&self, port: Option<u16>) -> Result<String, DmError> {
        let target = self.gateway_host_name.as_deref().unwrap_or(&self.host_name);
        let (host, _) = split_host_port(target)?;
        let port = port.unwrap_or(443);
        Ok(format!("wss://{host}:{port}/$iothub/websocket"))
    }

    /// Where the hub's HTTPS device API (file upload) is: a `HostName` that carries a port is a
    /// local hub's own listener and is used as is; otherwise the gateway's host (its port, if
    /// any, is the MQTT port, so it is dropped: HTTPS is on 443), or else the hub.
    pub fn https_host(&self) -> Result<String, DmError> {
        let (hub_host, hub_port) = split_host_port(&self.host_name)?;
        if let Some(port) = hub_port {
            return Ok(format!("{hub_host}:{port}"));
        }
        match &self.gateway_host_name {
            Some(gateway) => Ok(split_host_port(gateway)?.0),
            None => Ok(hub_host),
        }
    }
}

/// Splits `host[:port]`.
fn split_host_port(target: &str) -> Result<(String, Option<u16>), DmError> {
    match target.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && !host.contains(':') => {
            let port = port
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| {
                    DmError::invalid_setting(
                        "hub host",
                        format!("`{target}` has an invalid port (expected `host` or `host:port`)"),
                    )
                })?;
            Ok((host.to_owned(), Some(port)))
        }
        _ if target.is_empty() => Err(DmError::invalid_setting("hub host", "is empty")),
        _ => Ok((target.to_owned(), None)),
    }
}

/// Reads a file holding a secret, refusing it when group or others may read it (or write it).
pub fn read_secret_file(path: &Path, what: &str) -> Result<Vec<u8>, DmError> {
    let meta = std::fs::metadata(path).map_err(|source| DmError::Io {
        action: "cannot read",
        path: path.to_owned(),
        error: source,
    })?;
    let mode = meta.mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(DmError::InsecureFile {
            what: what.to_owned(),
            path: path.to_owned(),
            mode,
        });
    }
    std::fs::read(path).map_err(|source| DmError::Io {
        action: "cannot read",
        path: path.to_owned(),
        error: source,
    })
}

/// Reads a file holding a secret as trimmed UTF-8 text.
pub fn read_secret_text(path: &Path, what: &str) -> Result<String, DmError> {
    let bytes = read_secret_file(path, what)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        DmError::invalid_setting(what, format!("`{}` is not UTF-8 text", path.display()))
    })?;
    Ok(text.trim().to_owned())
}

/// Parses a device connection string, naming where it came from on error (never its text).
pub fn parse_connection_string(text: &str, origin: &str) -> Result<ConnectionString, DmError> {
    ConnectionString::parse(text).map_err(|source| DmError::Credential {
        what: origin.to_owned(),
        error: source,
    })
}

/// Reads a device key file: the base64 key as the portal shows it, alone in the file.
pub fn read_key_file(path: &Path) -> Result<SharedAccessKey, DmError> {
    let text = read_secret_text(path, "key file")?;
    SharedAccessKey::from_base64(&text).map_err(|source| DmError::Credential {
        what: format!("key file `{}`", path.display()),
        error: source,
    })
}

/// Reads an X.509 certificate (public, any mode) and its key (private, owner only).
pub fn read_x509(cert: &Path, key: &Path) -> Result<(Vec<u8>, Vec<u8>), DmError> {
    let cert_pem = std::fs::read(cert).map_err(|source| DmError::Io {
        action: "cannot read",
        path: cert.to_owned(),
        error: source,
    })?;
    let key_pem = read_secret_file(key, "X.509 key file")?;
    Ok((cert_pem, key_pem))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;
    use std::path::PathBuf;

    const KEY: &str = "cGFzc3dvcmQ=";

    fn write(dir: &Path, name: &str, text: &str, mode: u32) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    #[test]
    fn a_key_file_readable_by_others_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let open = write(dir.path(), "open.key", KEY, 0o644);
        let err = read_key_file(&open).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("open.key") && text.contains("644"), "{text}");
        let group = write(dir.path(), "group.key", KEY, 0o640);
        assert!(matches!(
            read_key_file(&group),
            Err(DmError::InsecureFile { .. })
        ));
        let private = write(dir.path(), "private.key", &format!("{KEY}\n"), 0o600);
        assert_eq!(read_key_file(&private).unwrap().to_base64(), KEY);
    }

    #[test]
    fn a_bad_key_is_named_without_its_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "bad.key", "not base64 !!", 0o600);
        let text = read_key_file(&path).unwrap_err().to_string();
        assert!(text.contains("bad.key"), "{text}");
        assert!(!text.contains("not base64"), "{text}");
    }

    #[test]
    fn service_and_module_strings_are_refused() {
        let service = parse_connection_string(
            &format!("HostName=h;SharedAccessKeyName=iothubowner;SharedAccessKey={KEY}"),
            "test",
        )
        .unwrap();
        let err = DeviceIdentity::from_connection_string(service, None).unwrap_err();
        assert!(err.to_string().contains("service"), "{err}");
        let module = parse_connection_string(
            &format!("HostName=h;DeviceId=d;ModuleId=m;SharedAccessKey={KEY}"),
            "test",
        )
        .unwrap();
        let err = DeviceIdentity::from_connection_string(module, None).unwrap_err();
        assert!(err.to_string().contains("module"), "{err}");
    }

    #[test]
    fn x509_strings_need_the_files() {
        let cs = parse_connection_string("HostName=h;DeviceId=d;x509=true", "test").unwrap();
        assert!(DeviceIdentity::from_connection_string(cs.clone(), None).is_err());
        let id = DeviceIdentity::from_connection_string(cs, Some((b"c".to_vec(), b"k".to_vec())))
            .unwrap();
        assert!(matches!(id.auth, DeviceAuth::X509 { .. }));
        assert_eq!(format!("{:?}", id.auth), "X509(<redacted>)");
    }

    #[test]
    fn endpoints_follow_the_gateway() {
        let cs = parse_connection_string(
            &format!("HostName=myhub.azure-devices.net;DeviceId=d;SharedAccessKey={KEY};GatewayHostName=localhost:18883"),
            "test",
        )
        .unwrap();
        let id = DeviceIdentity::from_connection_string(cs, None).unwrap();
        assert_eq!(id.host_name, "myhub.azure-devices.net");
        assert_eq!(
            id.mqtt_endpoint(None).unwrap(),
            ("localhost".to_owned(), 18883)
        );
        assert_eq!(
            id.mqtt_endpoint(Some(8884)).unwrap(),
            ("localhost".to_owned(), 8884)
        );
        assert_eq!(
            id.websocket_url(None).unwrap(),
            "wss://localhost:443/$iothub/websocket"
        );
        let plain = DeviceIdentity::with_key(
            "myhub.azure-devices.net",
            "d",
            SharedAccessKey::from_base64(KEY).unwrap(),
        );
        assert_eq!(
            plain.mqtt_endpoint(None).unwrap(),
            ("myhub.azure-devices.net".to_owned(), 8883)
        );
        assert!(!format!("{plain:?}").contains(KEY));
    }

    #[test]
    fn the_https_host_is_the_local_hub_or_the_gateway_on_443() {
        let key = SharedAccessKey::from_base64(KEY).unwrap();
        let mut id = DeviceIdentity::with_key("myhub.azure-devices.net", "d", key.clone());
        assert_eq!(id.https_host().unwrap(), "myhub.azure-devices.net");
        id.gateway_host_name = Some("edge.local:8883".to_owned());
        assert_eq!(id.https_host().unwrap(), "edge.local");
        // The local hub: HostName is its HTTPS listener, GatewayHostName its MQTT one.
        let mut local = DeviceIdentity::with_key("localhost:18443", "d", key);
        local.gateway_host_name = Some("localhost:18883".to_owned());
        assert_eq!(local.https_host().unwrap(), "localhost:18443");
    }

    #[test]
    fn bad_ports_are_refused() {
        let mut id = DeviceIdentity::with_key("h", "d", SharedAccessKey::from_base64(KEY).unwrap());
        id.gateway_host_name = Some("localhost:http".to_owned());
        assert!(id.mqtt_endpoint(None).is_err());
        id.gateway_host_name = Some("localhost:0".to_owned());
        assert!(id.mqtt_endpoint(None).is_err());
    }
}
