//! Who may do what: service SAS tokens on the REST API, and device credentials on MQTT.
//!
//! The rules follow the real hub (protocol reference §A): a service request needs a token signed
//! with a shared access policy (`skn`) whose permissions cover the operation; a device connects
//! with a token signed by its own key (no `skn`) or by a policy with `DeviceConnect`, scoped to
//! its own resource path, so a device can never act as another. Signatures are checked against
//! `sr` exactly as sent (see `iothub-auth`), with the configured clock skew.
//!
//! Refusals name what was wrong (unknown policy, expired, wrong audience, missing permission) but
//! never echo the token, the signature or a key.

use iothub_auth::{AuthError, SasToken, SharedAccessKey};
use iothub_model::ErrorCode;

use crate::error::EmulatorError;
use crate::identity::Identity;
use crate::mqtt::ConnectRefusal;
use crate::store::Policy;

/// A permission a shared access policy can grant (§A.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Permission {
    /// Read the identity registry.
    RegistryRead,
    /// Create, update and delete identities.
    RegistryWrite,
    /// Service-facing endpoints: twins, methods, queries, jobs.
    ServiceConnect,
    /// Device-facing endpoints: connect on behalf of any device.
    DeviceConnect,
}

impl Permission {
    /// The permission's name as stored with a policy.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Permission::RegistryRead => "RegistryRead",
            Permission::RegistryWrite => "RegistryWrite",
            Permission::ServiceConnect => "ServiceConnect",
            Permission::DeviceConnect => "DeviceConnect",
        }
    }
}

/// The host names a token may be scoped to: the configured hub name and `localhost`, bare and
/// with the ports the hub listens on. Compared without regard to ASCII case.
#[derive(Debug, Clone)]
pub(crate) struct Audiences {
    hosts: Vec<String>,
}

impl Audiences {
    /// Hosts for a hub named `hub_name` listening on `ports`.
    pub(crate) fn new(hub_name: &str, ports: &[u16]) -> Self {
        let mut hosts = vec![hub_name.to_string(), "localhost".to_string()];
        for port in ports {
            hosts.push(format!("localhost:{port}"));
            if !hub_name.contains(':') {
                hosts.push(format!("{hub_name}:{port}"));
            }
        }
        hosts.sort_unstable();
        hosts.dedup();
        Self { hosts }
    }

    /// Whether `host` (e.g. the host part of an MQTT username) names this hub.
    pub(crate) fn accepts_host(&self, host: &str) -> bool {
        self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
    }

    /// Whether `token`'s audience covers `path` (which starts with `/`, or is empty) on any of
    /// the hub's host names.
    pub(crate) fn covers(&self, token: &SasToken, path: &str) -> bool {
        self.hosts
            .iter()
            .any(|h| token.audience_matches(&format!("{h}{path}")))
    }
}

/// What the service-side check needs besides the request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    /// Current time, seconds since the Unix epoch.
    pub(crate) now_unix: u64,
    /// Accepted clock skew for expiry, seconds.
    pub(crate) skew_secs: u64,
}

fn unauthorized(reason: impl std::fmt::Display) -> EmulatorError {
    EmulatorError::hub(
        ErrorCode::IotHubUnauthorizedAccess,
        format!("Unauthorized: {reason}"),
    )
}

/// Describes a token failure without any secret material (the auth crate's errors carry none).
fn token_problem(e: &AuthError) -> String {
    match e {
        AuthError::SignatureMismatch => "the token signature does not match the key".to_string(),
        AuthError::Expired { .. } => format!("the token has expired ({e})"),
        other => format!("malformed token ({other})"),
    }
}

/// Verifies `token` against the policy's primary key, then its secondary key.
fn verify_with_keys(token: &SasToken, keys: [&str; 2], clock: Clock) -> Result<(), AuthError> {
    let mut outcome = Err(AuthError::SignatureMismatch);
    for text in keys {
        let Ok(key) = SharedAccessKey::from_base64(text) else {
            continue;
        };
        outcome = token.verify(&key, clock.now_unix, clock.skew_secs);
        // Expired means the signature matched: the other key cannot do better.
        if !matches!(outcome, Err(AuthError::SignatureMismatch)) {
            return outcome;
        }
    }
    outcome
}

/// Checks the `Authorization` header of a service request for `path` (e.g. `/devices/d1`) and
/// returns the name of the policy that authorized it.
///
/// Refuses with 401 `IotHubUnauthorizedAccess` when the header is missing or malformed, the
/// token has no `skn` (a device or module token never reaches service endpoints), names an
/// unknown policy, has a bad signature, has expired, is scoped to another hub, or its policy
/// lacks `needed`.
pub(crate) fn authorize_service(
    policies: &[Policy],
    authorization: Option<&str>,
    path: &str,
    needed: Permission,
    audiences: &Audiences,
    clock: Clock,
) -> Result<String, EmulatorError> {
    let header = authorization.ok_or_else(|| unauthorized("no Authorization header"))?;
    let token = SasToken::parse(header.trim()).map_err(|e| unauthorized(token_problem(&e)))?;
    let name = token.key_name().ok_or_else(|| {
        unauthorized("the token has no skn: device and module tokens cannot call the service API")
    })?;
    let policy = policies
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| unauthorized(format!("no shared access policy is named '{name}'")))?;
    verify_with_keys(&token, [&policy.primary_key, &policy.secondary_key], clock)
        .map_err(|e| unauthorized(token_problem(&e)))?;
    if !audiences.covers(&token, path) {
        return Err(unauthorized(format!(
            "the token audience '{}' does not cover this hub",
            token.resource()
        )));
    }
    if !policy.has(needed.as_str()) {
        return Err(unauthorized(format!(
            "policy '{name}' does not grant {}",
            needed.as_str()
        )));
    }
    Ok(policy.name.clone())
}

/// The resource path a device-side token must cover for `identity`.
pub(crate) fn device_resource_path(identity: &Identity) -> String {
    match &identity.module_id {
        Some(m) => format!("/devices/{}/modules/{m}", identity.device_id),
        None => format!("/devices/{}", identity.device_id),
    }
}

/// Checks a device-side SAS token (the MQTT password) for `identity`, whose own keys are
/// `identity_keys` (primary, secondary).
///
/// A token without `skn` must verify with one of the identity's keys; a token with `skn` must
/// verify with a policy that grants `DeviceConnect`. Either way its audience must cover the
/// identity's own path. A token that does not parse is `BadUsernameOrPassword` (CONNACK 4);
/// every other failure is `NotAuthorized` (CONNACK 5).
///
/// Returns when the session it opens must end: the token's expiry plus the accepted clock
/// skew, in seconds since the Unix epoch (the hub disconnects a device at that moment).
pub(crate) fn authenticate_device_token(
    password: &str,
    identity: &Identity,
    identity_keys: Option<[&str; 2]>,
    policies: &[Policy],
    audiences: &Audiences,
    clock: Clock,
) -> Result<u64, ConnectRefusal> {
    let token = SasToken::parse(password.trim()).map_err(|e| {
        tracing::debug!(%identity, reason = %token_problem(&e), "device token refused");
        ConnectRefusal::BadUsernameOrPassword
    })?;
    let keys = match token.key_name() {
        None => identity_keys,
        Some(name) => policies
            .iter()
            .find(|p| p.name == name && p.has(Permission::DeviceConnect.as_str()))
            .map(|p| [p.primary_key.as_str(), p.secondary_key.as_str()]),
    };
    let Some(keys) = keys else {
        tracing::debug!(%identity, "device token refused: no key to verify it with");
        return Err(ConnectRefusal::NotAuthorized);
    };
    if let Err(e) = verify_with_keys(&token, keys, clock) {
        tracing::debug!(%identity, reason = %token_problem(&e), "device token refused");
        return Err(ConnectRefusal::NotAuthorized);
    }
    if !audiences.covers(&token, &device_resource_path(identity)) {
        tracing::debug!(
            %identity,
            audience = %crate::logsafe::Escaped(token.resource()),
            "device token refused: wrong audience"
        );
        return Err(ConnectRefusal::NotAuthorized);
    }
    Ok(token.expiry().saturating_add(clock.skew_secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_800_000_000;
    const CLOCK: Clock = Clock {
        now_unix: NOW,
        skew_secs: 300,
    };

    fn key() -> SharedAccessKey {
        SharedAccessKey::generate()
    }

    fn policy(name: &str, k: &SharedAccessKey, rights: &[&str]) -> Policy {
        Policy {
            name: name.into(),
            primary_key: k.to_base64(),
            secondary_key: key().to_base64(),
            rights: rights.iter().map(|r| (*r).to_string()).collect(),
        }
    }

    fn header(k: &SharedAccessKey, sr: &str, expiry: u64, skn: Option<&str>) -> String {
        SasToken::sign(k, sr, expiry, skn)
            .unwrap()
            .expose()
            .to_string()
    }

    fn audiences() -> Audiences {
        Audiences::new("myhub.azure-devices.net", &[8443])
    }

    #[test]
    fn service_token_matrix() {
        let owner_key = key();
        let read_key = key();
        let policies = vec![
            policy(
                "iothubowner",
                &owner_key,
                &["RegistryRead", "RegistryWrite", "ServiceConnect"],
            ),
            policy("registryRead", &read_key, &["RegistryRead"]),
        ];
        let check = |h: &str, needed| {
            authorize_service(
                &policies,
                Some(h),
                "/devices/d1",
                needed,
                &audiences(),
                CLOCK,
            )
        };
        let good = header(&owner_key, "localhost:8443", NOW + 60, Some("iothubowner"));
        assert_eq!(
            check(&good, Permission::RegistryWrite).unwrap(),
            "iothubowner"
        );
        let other_host = header(
            &owner_key,
            "MyHub.Azure-Devices.net",
            NOW + 60,
            Some("iothubowner"),
        );
        assert!(
            check(&other_host, Permission::ServiceConnect).is_ok(),
            "case-insensitive hub name"
        );

        let cases = [
            (
                header(&key(), "localhost", NOW + 60, Some("iothubowner")),
                "signature",
            ),
            (
                header(&owner_key, "localhost", NOW - 301, Some("iothubowner")),
                "expired",
            ),
            (
                header(
                    &owner_key,
                    "otherhub.azure-devices.net",
                    NOW + 60,
                    Some("iothubowner"),
                ),
                "audience",
            ),
            (header(&owner_key, "localhost", NOW + 60, None), "skn"),
            (
                header(&owner_key, "localhost", NOW + 60, Some("nobody")),
                "nobody",
            ),
            (
                header(&read_key, "localhost", NOW + 60, Some("registryRead")),
                "RegistryWrite",
            ),
            ("Bearer abc".to_string(), "malformed"),
        ];
        for (h, expected) in cases {
            let err = check(&h, Permission::RegistryWrite).unwrap_err();
            assert_eq!(err.code(), ErrorCode::IotHubUnauthorizedAccess);
            let text = err.to_string();
            assert!(text.contains(expected), "{text} should mention {expected}");
            assert!(!text.contains(&owner_key.to_base64()));
        }
        let expired_within_skew = header(&owner_key, "localhost", NOW - 299, Some("iothubowner"));
        assert!(check(&expired_within_skew, Permission::RegistryRead).is_ok());
        let secondary = Policy {
            secondary_key: owner_key.to_base64(),
            primary_key: key().to_base64(),
            ..policies[0].clone()
        };
        assert!(
            authorize_service(
                &[secondary],
                Some(&good),
                "/x",
                Permission::RegistryRead,
                &audiences(),
                CLOCK
            )
            .is_ok(),
            "the secondary key signs too"
        );
        let missing = authorize_service(
            &policies,
            None,
            "/x",
            Permission::RegistryRead,
            &audiences(),
            CLOCK,
        );
        assert!(
            missing
                .unwrap_err()
                .to_string()
                .contains("no Authorization header")
        );
    }

    #[test]
    fn device_token_matrix() {
        let dev_key = key();
        let other_key = key();
        let dev_keys = dev_key.to_base64();
        let spare = key().to_base64();
        let gateway_key = key();
        let policies = vec![
            policy("device", &gateway_key, &["DeviceConnect"]),
            policy("service", &other_key, &["ServiceConnect"]),
        ];
        let dev1 = Identity::device("dev1");
        let auth = |token: &str, identity: &Identity| {
            authenticate_device_token(
                token,
                identity,
                Some([dev_keys.as_str(), spare.as_str()]),
                &policies,
                &audiences(),
                CLOCK,
            )
        };
        let own = header(&dev_key, "localhost/devices/dev1", NOW + 60, None);
        assert_eq!(auth(&own, &dev1), Ok(NOW + 60 + CLOCK.skew_secs));
        let hub_named = header(
            &dev_key,
            "myhub.azure-devices.net/devices/dev1",
            NOW + 60,
            None,
        );
        assert!(auth(&hub_named, &dev1).is_ok());
        let via_policy = header(&gateway_key, "localhost/devices", NOW + 60, Some("device"));
        assert!(auth(&via_policy, &dev1).is_ok());

        let refused = [
            (
                header(&dev_key, "localhost/devices/dev2", NOW + 60, None),
                ConnectRefusal::NotAuthorized,
            ),
            (
                header(&dev_key, "localhost/devices/dev10", NOW + 60, None),
                ConnectRefusal::NotAuthorized,
            ),
            (
                header(&other_key, "localhost/devices/dev1", NOW + 60, None),
                ConnectRefusal::NotAuthorized,
            ),
            (
                header(&dev_key, "localhost/devices/dev1", NOW - 400, None),
                ConnectRefusal::NotAuthorized,
            ),
            (
                header(
                    &other_key,
                    "localhost/devices/dev1",
                    NOW + 60,
                    Some("service"),
                ),
                ConnectRefusal::NotAuthorized,
            ),
            (
                "not a token".to_string(),
                ConnectRefusal::BadUsernameOrPassword,
            ),
        ];
        for (token, expected) in refused {
            assert_eq!(auth(&token, &dev1), Err(expected));
        }
        // A token scoped to dev1 cannot open a session as dev2, even were the keys shared.
        let scoped = header(&dev_key, "localhost/devices/dev1", NOW + 60, None);
        assert_eq!(
            auth(&scoped, &Identity::device("dev2")),
            Err(ConnectRefusal::NotAuthorized)
        );
    }
}
