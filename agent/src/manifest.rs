//! The capability manifest, `reported.dm.agent`, built from the providers actually active.
//!
//! `dmctl` reads it before sending anything, so it must say exactly what works on this
//! device: every method this agent implements, and for each provider whether it is active and,
//! if not, why (the reason each backend gave when it probed for its tools).

use std::collections::BTreeMap;

use dm_contract::{AgentManifest, ProviderStatus, Section};

/// The manifest for these provider statuses, for an agent running as `version` (this build's
/// version, or the sandbox's simulated one).
pub fn build_manifest(
    statuses: &BTreeMap<Section, ProviderStatus>,
    version: &str,
) -> AgentManifest {
    let mut manifest = AgentManifest::new(version);
    manifest.providers = statuses
        .iter()
        .map(|(s, p)| (s.name().to_owned(), p.clone()))
        .collect();
    manifest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::info::AGENT_VERSION;
    use dm_contract::{Backend, Method, Support};

    #[test]
    fn inactive_providers_make_their_methods_unsupported() {
        let statuses = BTreeMap::from([
            (
                Section::Reboot,
                ProviderStatus {
                    backend: Backend::Linux,
                    active: true,
                    reason: None,
                },
            ),
            (
                Section::Network,
                ProviderStatus {
                    backend: Backend::Linux,
                    active: false,
                    reason: Some("NetworkManager (nmcli) was not found".into()),
                },
            ),
        ]);
        let manifest = build_manifest(&statuses, AGENT_VERSION);
        assert_eq!(manifest.version, AGENT_VERSION);
        assert!(manifest.supports(Method::Reboot));
        assert!(manifest.supports(Method::ReportAll));
        assert!(matches!(
            manifest.support(Method::WifiAdd),
            Support::ProviderInactive { .. }
        ));
        let wire = serde_json::to_value(&manifest).unwrap();
        assert_eq!(
            wire["providers"]["network"]["reason"],
            "NetworkManager (nmcli) was not found"
        );
        assert_eq!(wire["methods"].as_array().unwrap().len(), Method::ALL.len());
    }
}
