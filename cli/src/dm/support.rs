//! Checking the agent's capability manifest before sending anything.
//!
//! A method the device's agent does not implement would otherwise cost the operator a 30-second
//! method timeout and a confusing hub error. The agent reports what it can do under
//! `reported.dm.agent`, so `dmctl` reads the twin first and refuses locally, in one line, with
//! "not supported on this device". Reading the twin is also how `--wait` learns the state before
//! the request (factory reset) and how `updates approve` learns the current list.

use dm_contract::{AgentManifest, Method, Section, Support, read_section, reported_properties};
use serde_json::Value;

/// Why a device cannot take an operation, found before anything was sent: a verdict the
/// caller turns into a [`CliError`](crate::exit::CliError) (the crate's error type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `reported.dm.agent` is absent: no dm agent has ever reported on this device.
    NoAgent,
    /// `reported.dm.agent` does not follow the contract.
    BadManifest(String),
    /// The manifest says no to this method.
    Method {
        /// The method.
        method: Method,
        /// The manifest's answer.
        support: Support,
    },
    /// The manifest does not list the section (or its provider is inactive).
    Section {
        /// The section.
        section: Section,
    },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoAgent => f.write_str(
                "no dm-agent has reported on this device (reported.dm.agent is absent); nothing was sent",
            ),
            Self::BadManifest(why) => write!(
                f,
                "not supported on this device: its capability manifest is unreadable ({why})"
            ),
            Self::Method { method, support } => write!(f, "`{method}` is {support}"),
            Self::Section { section } => write!(
                f,
                "`desired.dm.{section}` is not supported on this device (its agent does not manage it)"
            ),
        }
    }
}

impl Refusal {
    /// A hint for the user, when one helps.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Refusal::NoAgent => Some(
                "install and start dm-agent on the device (or try `dmctl simulate` / `dmctl demo` locally)",
            ),
            Refusal::Method {
                method: Method::AgentUpdate,
                support: Support::NotListed { .. },
            } => Some(
                "this agent predates self-update (dm contract v2): update dm-agent on the device once by other means",
            ),
            Refusal::Method {
                support: Support::NotListed { .. } | Support::AgentTooOld { .. },
                ..
            } => Some(
                "update dm-agent on the device to a version that implements it (`dmctl agent update`)",
            ),
            Refusal::Method {
                support: Support::ProviderInactive { .. },
                ..
            } => Some("`dmctl info --device ID` and the agent's log on the device say more"),
            _ => None,
        }
    }
}

/// Reads the manifest from a twin (any wrapping).
pub fn manifest(twin: &Value) -> Result<AgentManifest, Refusal> {
    let reported = reported_properties(twin).ok_or(Refusal::NoAgent)?;
    match read_section::<AgentManifest>(reported, Section::Agent) {
        Ok(Some(manifest)) => Ok(manifest),
        Ok(None) => Err(Refusal::NoAgent),
        Err(e) => Err(Refusal::BadManifest(e.to_string())),
    }
}

/// Whether the device's agent takes `method`.
pub fn check_method(twin: &Value, method: Method) -> Result<AgentManifest, Refusal> {
    let manifest = manifest(twin)?;
    match manifest.support(method) {
        Support::Supported => Ok(manifest),
        support => Err(Refusal::Method { method, support }),
    }
}

/// Whether the device's agent reconciles `desired.dm.<section>`.
pub fn check_section(twin: &Value, section: Section) -> Result<AgentManifest, Refusal> {
    let manifest = manifest(twin)?;
    if manifest.supports_section(section) {
        Ok(manifest)
    } else {
        Err(Refusal::Section { section })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn twin(agent: &Value) -> Value {
        json!({"deviceId": "d1", "properties": {"reported": {"dm": {"agent": agent}}}})
    }

    fn agent() -> Value {
        json!({
            "version": "0.1.0", "contractVersion": 1,
            "methods": ["dm.reboot", "dm.wifi.add", "dm.info.get"],
            "sections": ["agent", "reboot", "network", "info"],
            "providers": {"reboot": {"backend": "sandbox", "active": true},
                          "network": {"backend": "linux", "active": false, "reason": "NetworkManager is not running"}}
        })
    }

    #[test]
    fn listed_methods_pass() {
        let m = check_method(&twin(&agent()), Method::Reboot).unwrap();
        assert_eq!(m.version, "0.1.0");
        check_method(&twin(&agent()), Method::InfoGet).unwrap();
    }

    #[test]
    fn unlisted_methods_are_refused_in_the_users_words() {
        let err = check_method(&twin(&agent()), Method::AppsInstall).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("not supported on this device"), "{text}");
        assert!(text.starts_with("`dm.apps.install`"), "{text}");
        assert!(err.hint().is_some());
    }

    #[test]
    fn a_v1_agent_is_refused_a_self_update() {
        let err = check_method(&twin(&agent()), Method::AgentUpdate).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("`dm.agent.update`"), "{text}");
        assert!(text.contains("not supported on this device"), "{text}");
        assert!(text.contains("contract v1"), "{text}");
        assert!(err.hint().unwrap().contains("predates self-update"));
    }

    #[test]
    fn inactive_providers_are_refused_with_their_reason() {
        let err = check_method(&twin(&agent()), Method::WifiAdd).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("not supported on this device"), "{text}");
        assert!(text.contains("NetworkManager is not running"), "{text}");
    }

    #[test]
    fn no_agent_and_a_broken_manifest_are_refusals() {
        let bare = json!({"deviceId": "d1", "properties": {"reported": {"$version": 1}}});
        assert_eq!(
            check_method(&bare, Method::Reboot).unwrap_err(),
            Refusal::NoAgent
        );
        let broken = twin(&json!({"version": 1}));
        let err = check_method(&broken, Method::Reboot).unwrap_err();
        assert!(matches!(err, Refusal::BadManifest(_)), "{err}");
        assert!(err.to_string().contains("not supported on this device"));
    }

    #[test]
    fn sections_need_listing_and_an_active_provider() {
        check_section(&twin(&agent()), Section::Reboot).unwrap();
        assert_eq!(
            check_section(&twin(&agent()), Section::Time).unwrap_err(),
            Refusal::Section {
                section: Section::Time
            }
        );
        assert!(check_section(&twin(&agent()), Section::Network).is_err());
    }
}
