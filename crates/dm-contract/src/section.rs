//! The twin sections under `dm`: their wire names and what each one is for.
//!
//! A section is one key under `properties.desired.dm` and/or `properties.reported.dm`. Naming
//! them in one enum lets both sides agree on which are desired state (reconciled by the agent),
//! which carry operation envelopes, and which are reported only.

use std::fmt;

use crate::ContractError;

/// `reported.dm.agent`: the capability manifest.
pub const SECTION_AGENT: &str = "agent";
/// `reported.dm.busy`: the busy leases currently held on the device.
pub const SECTION_BUSY: &str = "busy";
/// `desired.dm.reboot` / `reported.dm.reboot`: schedules, maintenance window, last boot.
pub const SECTION_REBOOT: &str = "reboot";
/// `reported.dm.factoryReset`: the last reset and its operations.
pub const SECTION_FACTORY_RESET: &str = "factoryReset";
/// `reported.dm.apps`: apps installed through dm, and app operations.
pub const SECTION_APPS: &str = "apps";
/// `desired.dm.updates` / `reported.dm.updates`: OS update policy, approvals, scan results.
pub const SECTION_UPDATES: &str = "updates";
/// `reported.dm.certificates`: dm-managed trust anchors and client certificates.
pub const SECTION_CERTIFICATES: &str = "certificates";
/// `desired.dm.time` / `reported.dm.time`: time zone and NTP servers.
pub const SECTION_TIME: &str = "time";
/// `reported.dm.network`: Wi-Fi profiles (ids and SSIDs only, never secrets).
pub const SECTION_NETWORK: &str = "network";
/// `reported.dm.diagnostics`: agent log level and log-collection operations.
pub const SECTION_DIAGNOSTICS: &str = "diagnostics";
/// `reported.dm.info`: device inventory (OS, kernel, CPU, memory, disks, uptime).
pub const SECTION_INFO: &str = "info";
/// `reported.dm.agentUpdate`: the agent's self-updates and their operations (since v2).
pub const SECTION_AGENT_UPDATE: &str = "agentUpdate";

/// A twin section under the `dm` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// See [`SECTION_AGENT`].
    Agent,
    /// See [`SECTION_BUSY`].
    Busy,
    /// See [`SECTION_REBOOT`].
    Reboot,
    /// See [`SECTION_FACTORY_RESET`].
    FactoryReset,
    /// See [`SECTION_APPS`].
    Apps,
    /// See [`SECTION_UPDATES`].
    Updates,
    /// See [`SECTION_CERTIFICATES`].
    Certificates,
    /// See [`SECTION_TIME`].
    Time,
    /// See [`SECTION_NETWORK`].
    Network,
    /// See [`SECTION_DIAGNOSTICS`].
    Diagnostics,
    /// See [`SECTION_INFO`].
    Info,
    /// See [`SECTION_AGENT_UPDATE`] (since v2).
    AgentUpdate,
}

impl Section {
    /// Every section of this contract version, in documentation order.
    pub const ALL: [Section; 12] = [
        Section::Agent,
        Section::Busy,
        Section::Reboot,
        Section::FactoryReset,
        Section::Apps,
        Section::Updates,
        Section::Certificates,
        Section::Time,
        Section::Network,
        Section::Diagnostics,
        Section::Info,
        Section::AgentUpdate,
    ];

    /// The key under `dm` in the twin.
    pub fn name(self) -> &'static str {
        match self {
            Section::Agent => SECTION_AGENT,
            Section::Busy => SECTION_BUSY,
            Section::Reboot => SECTION_REBOOT,
            Section::FactoryReset => SECTION_FACTORY_RESET,
            Section::Apps => SECTION_APPS,
            Section::Updates => SECTION_UPDATES,
            Section::Certificates => SECTION_CERTIFICATES,
            Section::Time => SECTION_TIME,
            Section::Network => SECTION_NETWORK,
            Section::Diagnostics => SECTION_DIAGNOSTICS,
            Section::Info => SECTION_INFO,
            Section::AgentUpdate => SECTION_AGENT_UPDATE,
        }
    }

    /// The section with this twin key.
    pub fn from_name(name: &str) -> Result<Self, ContractError> {
        Self::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| ContractError::UnknownSection(name.to_owned()))
    }

    /// Whether operators write this section in `desired.dm` (the agent reconciles it); the
    /// others exist only in `reported.dm` and change through methods.
    pub fn is_desired(self) -> bool {
        matches!(self, Section::Reboot | Section::Updates | Section::Time)
    }

    /// Whether the reported section carries an `operations` map of status envelopes.
    pub fn has_operations(self) -> bool {
        !matches!(self, Section::Agent | Section::Busy | Section::Info)
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Section {
    type Err = ContractError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_twin_keys() {
        for s in Section::ALL {
            assert_eq!(Section::from_name(s.name()).unwrap(), s);
            assert!(
                !s.name().contains(['.', '$', ' ']),
                "{s} is not a legal twin key"
            );
        }
        assert!(matches!(
            Section::from_name("Reboot"),
            Err(ContractError::UnknownSection(_))
        ));
    }

    #[test]
    fn desired_sections_all_have_operations() {
        for s in Section::ALL.into_iter().filter(|s| s.is_desired()) {
            assert!(
                s.has_operations(),
                "{s}: applying desired state is an operation"
            );
        }
    }
}
