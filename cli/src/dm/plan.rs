//! What a typed command sends to each device, decided before any network traffic.
//!
//! Every typed command becomes one [`Action`]: a direct method call with a dm-contract request,
//! a desired-state patch of one `dm` section, or a read of one reported section. Building it
//! first, from the arguments alone, is what lets `dmctl` validate with the same rules the agent
//! applies (`Validate`), print the exact call for `--dry-run`, and refuse a command the device's
//! manifest does not list before sending anything.

use dm_contract::{ContractError, Method, NAMESPACE, Request, Section, Validate, desired_patch};
use iothub_model::CloudToDeviceMethod;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::{Value, json};

/// The hub's method timeouts for one call, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// `responseTimeoutInSeconds` (5 to 300).
    pub response_secs: u32,
    /// `connectTimeoutInSeconds` (0 to 300): how long the hub waits for the device to connect.
    pub connect_secs: u32,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            response_secs: iothub_model::method::DEFAULT_RESPONSE_TIMEOUT_SECS,
            connect_secs: iothub_model::method::DEFAULT_CONNECT_TIMEOUT_SECS,
        }
    }
}

/// A direct method call of the dm contract.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The request. For `dm.factoryReset` its `confirmDeviceId` is replaced by each target's own
    /// id when sent ([`Call::request_for`]).
    pub request: Request,
    /// The hub's timeouts.
    pub timeouts: Timeouts,
}

impl Call {
    /// A call with the hub's default timeouts, validated.
    pub fn new(request: Request, timeouts: Timeouts) -> Result<Self, ContractError> {
        request.validate()?;
        Ok(Self { request, timeouts })
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.request.method()
    }

    /// The request as sent to `device_id`.
    pub fn request_for(&self, device_id: &str) -> Request {
        match &self.request {
            Request::FactoryReset(reset) => {
                let mut reset = reset.clone();
                device_id.clone_into(&mut reset.confirm_device_id);
                Request::FactoryReset(reset)
            }
            other => other.clone(),
        }
    }

    /// The hub's method body for `device_id`.
    pub fn body_for(&self, device_id: &str) -> Result<CloudToDeviceMethod, ContractError> {
        let payload = self.request_for(device_id).to_payload()?;
        Ok(CloudToDeviceMethod {
            method_name: self.method().name().to_owned(),
            payload,
            response_timeout_in_seconds: Some(self.timeouts.response_secs),
            connect_timeout_in_seconds: Some(self.timeouts.connect_secs),
        })
    }
}

/// A change to one desired section.
#[derive(Debug, Clone, PartialEq)]
pub enum DesiredChange {
    /// Merge `value` into `desired.dm.<section>` (a `null` deletes a key).
    Merge {
        /// The desired section.
        section: Section,
        /// The merge patch of the section.
        value: Value,
    },
    /// Add packages to `desired.dm.updates.approved` (or replace the list): the new list depends
    /// on the device's current one, so it is computed per device.
    Approve {
        /// Package specs to approve.
        packages: Vec<String>,
        /// Replace the list instead of adding to it.
        replace: bool,
    },
}

impl DesiredChange {
    /// The section it changes.
    pub fn section(&self) -> Section {
        match self {
            DesiredChange::Merge { section, .. } => *section,
            DesiredChange::Approve { .. } => Section::Updates,
        }
    }

    /// The section value to merge for a device whose twin is `twin` (used for `Approve`).
    pub fn value_for(&self, twin: &Value) -> Value {
        match self {
            DesiredChange::Merge { value, .. } => value.clone(),
            DesiredChange::Approve { packages, replace } => {
                let mut approved: Vec<String> = if *replace {
                    Vec::new()
                } else {
                    current_approved(twin)
                };
                for package in packages {
                    if !approved.contains(package) {
                        approved.push(package.clone());
                    }
                }
                json!({ "approved": approved })
            }
        }
    }

    /// The service twin patch for a device whose twin is `twin`.
    pub fn patch_for(&self, twin: &Value) -> Value {
        desired_patch(self.section(), self.value_for(twin))
    }
}

fn current_approved(twin: &Value) -> Vec<String> {
    dm_contract::desired_properties(twin)
        .and_then(|d| d.get(NAMESPACE))
        .and_then(|dm| dm.get(Section::Updates.name()))
        .and_then(|u| u.get("approved"))
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// What one typed command does to each target device.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Call a dm method.
    Call(Call),
    /// Change desired state.
    Desired(DesiredChange),
    /// Show a reported section.
    Read(Section),
}

impl Action {
    /// Whether this method needs `--yes` for a fleet: the disruptive ones, and
    /// `dm.agent.update`, which busy leases do not hold but which replaces the software that
    /// manages the device.
    pub fn is_disruptive(&self) -> bool {
        matches!(self, Action::Call(call)
            if call.method().is_disruptive() || call.method() == Method::AgentUpdate)
    }

    /// A short name for messages and JSON: the method name, `desired.dm.<section>` or
    /// `reported.dm.<section>`.
    pub fn name(&self) -> String {
        match self {
            Action::Call(call) => call.method().name().to_owned(),
            Action::Desired(change) => format!("desired.{NAMESPACE}.{}", change.section()),
            Action::Read(section) => format!("reported.{NAMESPACE}.{section}"),
        }
    }
}

/// One HTTP request as `--dry-run` prints it, with secrets redacted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DryRequest {
    /// The device.
    pub device_id: String,
    /// `POST`, `PATCH` or `GET`.
    pub method: &'static str,
    /// The REST path on the hub.
    pub path: String,
    /// The JSON body, if any, with secrets replaced by a placeholder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

impl DryRequest {
    /// One line for people: `POST /twins/dev1/methods {...}`.
    pub fn line(&self) -> String {
        match &self.body {
            Some(body) => format!("{} {} {body}", self.method, self.path),
            None => format!("{} {}", self.method, self.path),
        }
    }
}

/// Placeholder for a secret in printed requests.
pub const REDACTED: &str = "<redacted>";

/// The request `action` sends to `device_id`, for `--dry-run`. `twin` is the device's twin
/// (needed by changes that depend on current state).
pub fn dry_request(
    action: &Action,
    device_id: &str,
    twin: &Value,
) -> Result<DryRequest, ContractError> {
    let path_id = percent_path(device_id);
    Ok(match action {
        Action::Call(call) => {
            let body = call.body_for(device_id)?;
            let mut body = serde_json::to_value(&body)
                .map_err(|e| ContractError::from_json("method body", &e))?;
            redact(&call.request_for(device_id), &mut body["payload"]);
            DryRequest {
                device_id: device_id.to_owned(),
                method: "POST",
                path: format!("/twins/{path_id}/methods"),
                body: Some(body),
            }
        }
        Action::Desired(change) => DryRequest {
            device_id: device_id.to_owned(),
            method: "PATCH",
            path: format!("/twins/{path_id}"),
            body: Some(change.patch_for(twin)),
        },
        Action::Read(_) => DryRequest {
            device_id: device_id.to_owned(),
            method: "GET",
            path: format!("/twins/{path_id}"),
            body: None,
        },
    })
}

/// Replaces secrets in a serialized payload: Wi-Fi passphrases, private keys in a PEM, and the
/// query (a signature, for a signed URL) of download URLs.
pub fn redact(request: &Request, payload: &mut Value) {
    let Some(map) = payload.as_object_mut() else {
        return;
    };
    match request {
        Request::WifiAdd(add) if add.passphrase.is_some() => {
            map.insert("passphrase".into(), Value::String(REDACTED.into()));
        }
        Request::CertificatesInstall(install) => {
            if let Some(pem) = &install.pem
                && pem.expose().contains("PRIVATE KEY")
            {
                map.insert("pem".into(), Value::String(REDACTED.into()));
            }
            if let Some(url) = &install.url {
                map.insert("url".into(), Value::String(url.redacted()));
            }
        }
        Request::AppsInstall(install) => {
            map.insert("url".into(), Value::String(install.url.redacted()));
        }
        Request::AgentUpdate(update) => {
            map.insert("url".into(), Value::String(update.url.redacted()));
        }
        _ => {}
    }
}

/// Everything but RFC 3986 "unreserved" characters is escaped in a path segment, as the
/// service client does, so the printed path is the one sent.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A device id as a URL path segment (ids may hold characters such as `'` or `$`).
fn percent_path(device_id: &str) -> String {
    utf8_percent_encode(device_id, PATH_SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use dm_contract::{
        AgentUpdateRequest, AppInstallRequest, ArtifactUrl, CertInstallRequest, CertStore,
        FactoryResetRequest, RebootRequest, Secret, WifiAddRequest, WifiSecurity,
    };

    use super::*;

    const DIGEST: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn a_method_call_prints_the_hub_body() {
        let call = Call::new(
            Request::Reboot(RebootRequest {
                delay_seconds: Some(60),
                ..RebootRequest::default()
            }),
            Timeouts::default(),
        )
        .unwrap();
        let dry = dry_request(&Action::Call(call), "dev 1", &Value::Null).unwrap();
        assert_eq!(
            dry.line(),
            r#"POST /twins/dev%201/methods {"methodName":"dm.reboot","payload":{"delaySeconds":60},"responseTimeoutInSeconds":30,"connectTimeoutInSeconds":0}"#
        );
    }

    #[test]
    fn invalid_requests_are_refused_before_anything_is_built() {
        let err = Call::new(
            Request::Reboot(RebootRequest {
                force: true,
                postpone: true,
                ..RebootRequest::default()
            }),
            Timeouts::default(),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("postpone"));
    }

    #[test]
    fn factory_reset_confirms_each_device_by_its_own_id() {
        let call = Call::new(
            Request::FactoryReset(FactoryResetRequest::new("placeholder")),
            Timeouts::default(),
        )
        .unwrap();
        let body = call.body_for("sensor-7").unwrap();
        assert_eq!(body.payload["confirmDeviceId"], "sensor-7");
    }

    #[test]
    fn secrets_never_reach_a_dry_run() {
        let wifi = Call::new(
            Request::WifiAdd(WifiAddRequest {
                ssid: "Plant 4".into(),
                security: WifiSecurity::Wpa2Psk,
                passphrase: Some(Secret::new("correct horse battery")),
                hidden: false,
                auto_connect: true,
                priority: None,
            }),
            Timeouts::default(),
        )
        .unwrap();
        let line = dry_request(&Action::Call(wifi), "d", &Value::Null)
            .unwrap()
            .line();
        assert!(!line.contains("correct horse"), "{line}");
        assert!(line.contains(r#""passphrase":"<redacted>""#), "{line}");

        let app = Call::new(
            Request::AppsInstall(AppInstallRequest {
                name: "plc".into(),
                url: ArtifactUrl::new("https://a.example/p.deb?sv=1&sig=SECRETSIG"),
                sha256: DIGEST.into(),
                version: None,
                enable: true,
                start: true,
                allow_downgrade: false,
                signature: None,
            }),
            Timeouts::default(),
        )
        .unwrap();
        let line = dry_request(&Action::Call(app), "d", &Value::Null)
            .unwrap()
            .line();
        assert!(!line.contains("SECRETSIG"), "{line}");
        assert!(
            line.contains("https://a.example/p.deb?<redacted>"),
            "{line}"
        );

        let agent = Call::new(
            Request::AgentUpdate(AgentUpdateRequest {
                url: ArtifactUrl::new("https://a.example/dm-agent?sv=1&sig=SECRETSIG"),
                sha256: DIGEST.into(),
                version: "0.2.0".into(),
                allow_downgrade: false,
                signature: None,
            }),
            Timeouts::default(),
        )
        .unwrap();
        assert!(
            Action::Call(agent.clone()).is_disruptive(),
            "a fleet needs --yes"
        );
        let line = dry_request(&Action::Call(agent), "d", &Value::Null)
            .unwrap()
            .line();
        assert!(!line.contains("SECRETSIG"), "{line}");
        assert!(
            line.contains("https://a.example/dm-agent?<redacted>"),
            "{line}"
        );

        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nKEYDATA\n-----END PRIVATE KEY-----\n";
        let cert = Call::new(
            Request::CertificatesInstall(CertInstallRequest {
                store: CertStore::Client,
                url: None,
                sha256: None,
                pem: Some(Secret::new(pem)),
                signature: None,
            }),
            Timeouts::default(),
        )
        .unwrap();
        let line = dry_request(&Action::Call(cert), "d", &Value::Null)
            .unwrap()
            .line();
        assert!(!line.contains("KEYDATA"), "{line}");
    }

    #[test]
    fn approve_adds_to_the_devices_current_list_once() {
        let twin = json!({"properties": {"desired": {"dm": {"updates": {
            "policy": "approvedOnly", "approved": ["openssl", "curl=8.5"]}}}}});
        let add = DesiredChange::Approve {
            packages: vec!["curl=8.5".into(), "plc-bridge".into()],
            replace: false,
        };
        assert_eq!(
            add.patch_for(&twin),
            json!({"properties": {"desired": {"dm": {"updates": {
                "approved": ["openssl", "curl=8.5", "plc-bridge"]}}}}})
        );
        let replace = DesiredChange::Approve {
            packages: vec!["plc-bridge".into()],
            replace: true,
        };
        assert_eq!(
            replace.value_for(&twin),
            json!({"approved": ["plc-bridge"]})
        );
        assert_eq!(
            add.value_for(&json!({})),
            json!({"approved": ["curl=8.5", "plc-bridge"]})
        );
    }

    #[test]
    fn desired_changes_print_the_twin_patch() {
        let action = Action::Desired(DesiredChange::Merge {
            section: Section::Time,
            value: json!({"timeZone": "Europe/Paris"}),
        });
        assert_eq!(action.name(), "desired.dm.time");
        let dry = dry_request(&action, "d1", &Value::Null).unwrap();
        assert_eq!(
            dry.line(),
            r#"PATCH /twins/d1 {"properties":{"desired":{"dm":{"time":{"timeZone":"Europe/Paris"}}}}}"#
        );
    }

    #[test]
    fn only_disruptive_methods_count_as_disruptive() {
        let reboot = Action::Call(
            Call::new(
                Request::Reboot(RebootRequest::default()),
                Timeouts::default(),
            )
            .unwrap(),
        );
        assert!(reboot.is_disruptive());
        assert!(!Action::Read(Section::Busy).is_disruptive());
        let info = Action::Call(
            Call::new(
                Request::InfoGet(dm_contract::EmptyRequest {}),
                Timeouts::default(),
            )
            .unwrap(),
        );
        assert!(!info.is_disruptive());
    }
}
