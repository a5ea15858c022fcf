//! The capability manifest, `reported.dm.agent`, and the compatibility rule built on it.
//!
//! `dmctl` reads the manifest before sending anything so it can say "not supported on this
//! device" instead of waiting for a timeout, and so a newer `dmctl` can talk to an older agent:
//! it only uses methods the agent lists and fields the agent's `contractVersion` knows.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{CONTRACT_VERSION, MIN_AGENT_CONTRACT_VERSION, Method, Section};

/// Which implementation a provider uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Backend {
    /// The real OS (systemd, timedatectl, `NetworkManager`, apt…).
    Linux,
    /// State changes inside a directory, for demos, simulations and tests.
    Sandbox,
    /// A backend added by a newer agent.
    #[serde(other)]
    Other,
}

/// One provider's state in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderStatus {
    /// Which implementation.
    pub backend: Backend,
    /// Whether it can serve requests now.
    pub active: bool,
    /// Why it is inactive (e.g. `NetworkManager is not running`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `reported.dm.agent`: what this agent can do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentManifest {
    /// The agent's own version (semver).
    pub version: String,
    /// The contract version the agent implements ([`CONTRACT_VERSION`] of its build).
    pub contract_version: u32,
    /// Method names the agent answers. Strings, not [`Method`], so an older `dmctl` can read a
    /// newer agent's list.
    pub methods: Vec<String>,
    /// Section names the agent reports or reconciles.
    pub sections: Vec<String>,
    /// Providers by section name.
    #[serde(default)]
    pub providers: BTreeMap<String, ProviderStatus>,
}

/// Whether one method can be used on a device, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Support {
    /// Send it.
    Supported,
    /// The agent does not list the method (older agent, or built without it).
    NotListed {
        /// The agent's contract version.
        agent_contract: u32,
    },
    /// The method's provider is present but inactive.
    ProviderInactive {
        /// The provider (section) name.
        provider: String,
        /// The agent's explanation.
        reason: Option<String>,
    },
    /// The agent's contract is older than this `dmctl` can talk to.
    AgentTooOld {
        /// The agent's contract version.
        agent_contract: u32,
    },
}

impl Support {
    /// Whether the method can be sent.
    pub fn is_supported(&self) -> bool {
        matches!(self, Support::Supported)
    }
}

impl fmt::Display for Support {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Support::Supported => f.write_str("supported"),
            Support::NotListed { agent_contract } => write!(
                f,
                "not supported on this device (its agent implements dm contract v{agent_contract} without this method)"
            ),
            Support::ProviderInactive { provider, reason } => {
                write!(
                    f,
                    "not supported on this device: the {provider} provider is inactive"
                )?;
                if let Some(reason) = reason {
                    write!(f, " ({reason})")?;
                }
                Ok(())
            }
            Support::AgentTooOld { agent_contract } => write!(
                f,
                "the device's agent implements dm contract v{agent_contract}; this dmctl needs at least v{MIN_AGENT_CONTRACT_VERSION}"
            ),
        }
    }
}

/// How an agent's contract relates to this build's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compatibility {
    /// Same version.
    Same,
    /// The agent is older: use only methods it lists and fields it knows
    /// ([`AgentManifest::knows_contract`]).
    AgentOlder(u32),
    /// The agent is newer: everything this build sends is understood (agents stay backward
    /// compatible within the `dm` namespace); unknown reported fields are ignored.
    AgentNewer(u32),
    /// The agent is older than [`MIN_AGENT_CONTRACT_VERSION`].
    TooOld(u32),
}

impl AgentManifest {
    /// A manifest listing every method and section of this build, with no providers yet.
    pub fn new(version: impl Into<String>) -> Self {
        Self {
            version: version.into(),
            contract_version: CONTRACT_VERSION,
            methods: Method::ALL.iter().map(|m| m.name().to_owned()).collect(),
            sections: Section::ALL.iter().map(|s| s.name().to_owned()).collect(),
            providers: BTreeMap::new(),
        }
    }

    /// How the agent's contract relates to this build's.
    pub fn compatibility(&self) -> Compatibility {
        let agent = self.contract_version;
        if agent < MIN_AGENT_CONTRACT_VERSION {
            Compatibility::TooOld(agent)
        } else if agent < CONTRACT_VERSION {
            Compatibility::AgentOlder(agent)
        } else if agent > CONTRACT_VERSION {
            Compatibility::AgentNewer(agent)
        } else {
            Compatibility::Same
        }
    }

    /// Whether the agent knows features introduced in contract version `since`: `dmctl` sends
    /// an optional field documented "since vN" only when this is true for N.
    pub fn knows_contract(&self, since: u32) -> bool {
        self.contract_version >= since
    }

    /// Whether `method` can be sent, and why not.
    pub fn support(&self, method: Method) -> Support {
        if self.contract_version < MIN_AGENT_CONTRACT_VERSION {
            return Support::AgentTooOld {
                agent_contract: self.contract_version,
            };
        }
        if !self.methods.iter().any(|m| m == method.name()) {
            return Support::NotListed {
                agent_contract: self.contract_version,
            };
        }
        if let Some(section) = method.section()
            && let Some(provider) = self.providers.get(section.name())
            && !provider.active
        {
            return Support::ProviderInactive {
                provider: section.name().to_owned(),
                reason: provider.reason.clone(),
            };
        }
        Support::Supported
    }

    /// Shorthand for `support(method).is_supported()`.
    pub fn supports(&self, method: Method) -> bool {
        self.support(method).is_supported()
    }

    /// Whether the agent lists `section`, and its provider (if any) is active.
    pub fn supports_section(&self, section: Section) -> bool {
        self.sections.iter().any(|s| s == section.name())
            && self.providers.get(section.name()).is_none_or(|p| p.active)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn manifest(contract: u32, methods: &[&str]) -> AgentManifest {
        AgentManifest {
            version: "0.1.0".into(),
            contract_version: contract,
            methods: methods.iter().map(|m| (*m).to_owned()).collect(),
            sections: vec!["reboot".into(), "network".into()],
            providers: BTreeMap::new(),
        }
    }

    #[test]
    fn new_lists_everything_of_this_build() {
        let m = AgentManifest::new("1.2.3");
        assert_eq!(m.compatibility(), Compatibility::Same);
        for &method in Method::ALL {
            assert!(m.supports(method), "{method}");
        }
        for section in Section::ALL {
            assert!(m.supports_section(section), "{section}");
        }
    }

    #[test]
    fn unlisted_methods_are_unsupported() {
        let m = manifest(CONTRACT_VERSION, &["dm.reboot"]);
        assert!(m.supports(Method::Reboot));
        let support = m.support(Method::WifiAdd);
        assert!(matches!(support, Support::NotListed { .. }));
        assert!(support.to_string().contains("not supported on this device"));
    }

    #[test]
    fn inactive_provider_blocks_its_methods_only() {
        let mut m = manifest(
            CONTRACT_VERSION,
            &["dm.reboot", "dm.wifi.add", "dm.reportAll"],
        );
        m.providers.insert(
            "network".into(),
            ProviderStatus {
                backend: Backend::Linux,
                active: false,
                reason: Some("NetworkManager is not running".into()),
            },
        );
        m.providers.insert(
            "reboot".into(),
            ProviderStatus {
                backend: Backend::Sandbox,
                active: true,
                reason: None,
            },
        );
        let support = m.support(Method::WifiAdd);
        assert!(
            support
                .to_string()
                .contains("NetworkManager is not running"),
            "{support}"
        );
        assert!(m.supports(Method::Reboot));
        assert!(
            m.supports(Method::ReportAll),
            "no provider: listed is enough"
        );
        assert!(!m.supports_section(Section::Network));
        assert!(m.supports_section(Section::Reboot));
        assert!(!m.supports_section(Section::Apps), "not listed");
    }

    #[test]
    fn compatibility_rule() {
        assert_eq!(
            manifest(CONTRACT_VERSION, &[]).compatibility(),
            Compatibility::Same
        );
        assert_eq!(
            manifest(CONTRACT_VERSION + 1, &[]).compatibility(),
            Compatibility::AgentNewer(CONTRACT_VERSION + 1)
        );
        let ancient = manifest(MIN_AGENT_CONTRACT_VERSION - 1, &["dm.reboot"]);
        assert_eq!(
            ancient.compatibility(),
            Compatibility::TooOld(MIN_AGENT_CONTRACT_VERSION - 1)
        );
        assert!(matches!(
            ancient.support(Method::Reboot),
            Support::AgentTooOld { .. }
        ));
        let m = manifest(CONTRACT_VERSION, &[]);
        assert!(m.knows_contract(CONTRACT_VERSION));
        assert!(!m.knows_contract(CONTRACT_VERSION + 1));
    }

    #[test]
    fn a_v1_agent_cannot_self_update() {
        // A v1 manifest lists every method of v1 and nothing newer.
        let v1: Vec<&str> = Method::ALL
            .iter()
            .filter(|m| **m != Method::AgentUpdate)
            .map(|m| m.name())
            .collect();
        let old = manifest(1, &v1);
        assert_eq!(old.compatibility(), Compatibility::AgentOlder(1));
        assert!(old.supports(Method::Reboot));
        let support = old.support(Method::AgentUpdate);
        assert_eq!(support, Support::NotListed { agent_contract: 1 });
        assert!(
            support.to_string().contains("not supported on this device"),
            "{support}"
        );
        assert!(AgentManifest::new("0.2.0").supports(Method::AgentUpdate));
    }

    #[test]
    fn newer_manifests_still_parse() {
        let m: AgentManifest = serde_json::from_value(json!({
            "version": "9.0.0",
            "contractVersion": 7,
            "methods": ["dm.reboot", "dm.teleport"],
            "sections": ["reboot", "gps"],
            "providers": {"gps": {"backend": "zephyr", "active": true}},
            "buildInfo": {"commit": "abc"}
        }))
        .unwrap();
        assert_eq!(m.providers["gps"].backend, Backend::Other);
        assert!(m.supports(Method::Reboot));
        assert!(!m.supports(Method::WifiAdd));
        assert_eq!(m.compatibility(), Compatibility::AgentNewer(7));
    }
}
