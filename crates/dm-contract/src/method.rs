//! Direct-method names and their fixed properties.
//!
//! Every method the agent answers is listed here once, with the section it affects, whether it
//! is disruptive (and so subject to busy leases), and how it answers on success. `dmctl` uses the
//! same table to decide whether to `--wait` and which section to watch.

use std::fmt;

use crate::{ContractError, Section};

/// `dm.reboot`: reboot now or after a delay.
pub const METHOD_REBOOT: &str = "dm.reboot";
/// `dm.factoryReset`: restore factory state; needs the device id as confirmation.
pub const METHOD_FACTORY_RESET: &str = "dm.factoryReset";
/// `dm.apps.install`: install an app package from a URL checked by SHA-256.
pub const METHOD_APPS_INSTALL: &str = "dm.apps.install";
/// `dm.apps.remove`: remove an app.
pub const METHOD_APPS_REMOVE: &str = "dm.apps.remove";
/// `dm.apps.start`: start an app's unit.
pub const METHOD_APPS_START: &str = "dm.apps.start";
/// `dm.apps.stop`: stop an app's unit.
pub const METHOD_APPS_STOP: &str = "dm.apps.stop";
/// `dm.apps.restart`: restart an app's unit.
pub const METHOD_APPS_RESTART: &str = "dm.apps.restart";
/// `dm.apps.enable`: start an app at boot.
pub const METHOD_APPS_ENABLE: &str = "dm.apps.enable";
/// `dm.apps.disable`: do not start an app at boot.
pub const METHOD_APPS_DISABLE: &str = "dm.apps.disable";
/// `dm.apps.list`: inventory of systemd units and packages.
pub const METHOD_APPS_LIST: &str = "dm.apps.list";
/// `dm.updates.scan`: refresh the list of available OS updates.
pub const METHOD_UPDATES_SCAN: &str = "dm.updates.scan";
/// `dm.updates.install`: install OS updates.
pub const METHOD_UPDATES_INSTALL: &str = "dm.updates.install";
/// `dm.certificates.install`: add a trust anchor or client certificate.
pub const METHOD_CERTIFICATES_INSTALL: &str = "dm.certificates.install";
/// `dm.certificates.remove`: remove a certificate by thumbprint.
pub const METHOD_CERTIFICATES_REMOVE: &str = "dm.certificates.remove";
/// `dm.certificates.list`: list certificates of a store.
pub const METHOD_CERTIFICATES_LIST: &str = "dm.certificates.list";
/// `dm.certificates.show`: one certificate's details and PEM.
pub const METHOD_CERTIFICATES_SHOW: &str = "dm.certificates.show";
/// `dm.time.get`: live time settings and clock.
pub const METHOD_TIME_GET: &str = "dm.time.get";
/// `dm.wifi.list`: Wi-Fi profiles.
pub const METHOD_WIFI_LIST: &str = "dm.wifi.list";
/// `dm.wifi.add`: add or update a Wi-Fi profile (the only place a passphrase travels).
pub const METHOD_WIFI_ADD: &str = "dm.wifi.add";
/// `dm.wifi.remove`: remove Wi-Fi profiles.
pub const METHOD_WIFI_REMOVE: &str = "dm.wifi.remove";
/// `dm.diagnostics.collect`: collect journal and file logs.
pub const METHOD_DIAGNOSTICS_COLLECT: &str = "dm.diagnostics.collect";
/// `dm.diagnostics.setLogLevel`: change the agent's own log level.
pub const METHOD_DIAGNOSTICS_SET_LOG_LEVEL: &str = "dm.diagnostics.setLogLevel";
/// `dm.info.get`: device inventory, live.
pub const METHOD_INFO_GET: &str = "dm.info.get";
/// `dm.reportAll`: re-report every section.
pub const METHOD_REPORT_ALL: &str = "dm.reportAll";
/// `dm.operations.cancel`: cancel a pending or postponed operation.
pub const METHOD_OPERATIONS_CANCEL: &str = "dm.operations.cancel";
/// `dm.agent.update`: replace the agent's own binary and restart it (since v2).
pub const METHOD_AGENT_UPDATE: &str = "dm.agent.update";

/// How a method answers when it works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Success {
    /// 200 with the result in the payload.
    Done,
    /// 202 with an [`Accepted`](crate::Accepted) body; the outcome arrives in the section's
    /// operation envelope.
    Accepted,
    /// 200 when the result is small enough to return inline, 202 otherwise
    /// (`dm.diagnostics.collect`).
    DoneOrAccepted,
}

macro_rules! methods {
    ($( $(#[$doc:meta])* $variant:ident => $const:ident, $section:expr, $disruptive:expr, $success:ident; )*) => {
        /// A direct method of the dm contract.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Method {
            $( $(#[$doc])* $variant, )*
        }

        impl Method {
            /// Every method of this contract version.
            pub const ALL: &'static [Method] = &[ $( Method::$variant, )* ];

            /// The wire name, e.g. `dm.apps.install`.
            pub fn name(self) -> &'static str {
                match self { $( Method::$variant => $const, )* }
            }

            /// The section whose `operations` map receives this method's envelopes, or whose
            /// data it reads; `None` for methods that span sections.
            pub fn section(self) -> Option<Section> {
                match self { $( Method::$variant => $section, )* }
            }

            /// Whether the method disrupts the device's work: busy leases can refuse (409) or
            /// postpone it, and it accepts the `force` and `postpone` flags.
            pub fn is_disruptive(self) -> bool {
                match self { $( Method::$variant => $disruptive, )* }
            }

            /// How the method answers on success.
            pub fn success(self) -> Success {
                match self { $( Method::$variant => Success::$success, )* }
            }
        }
    };
}

methods! {
    /// [`METHOD_REBOOT`]
    Reboot => METHOD_REBOOT, Some(Section::Reboot), true, Accepted;
    /// [`METHOD_FACTORY_RESET`]
    FactoryReset => METHOD_FACTORY_RESET, Some(Section::FactoryReset), true, Accepted;
    /// [`METHOD_APPS_INSTALL`]
    AppsInstall => METHOD_APPS_INSTALL, Some(Section::Apps), false, Accepted;
    /// [`METHOD_APPS_REMOVE`]
    AppsRemove => METHOD_APPS_REMOVE, Some(Section::Apps), true, Accepted;
    /// [`METHOD_APPS_START`]
    AppsStart => METHOD_APPS_START, Some(Section::Apps), false, Accepted;
    /// [`METHOD_APPS_STOP`]
    AppsStop => METHOD_APPS_STOP, Some(Section::Apps), true, Accepted;
    /// [`METHOD_APPS_RESTART`]
    AppsRestart => METHOD_APPS_RESTART, Some(Section::Apps), true, Accepted;
    /// [`METHOD_APPS_ENABLE`]
    AppsEnable => METHOD_APPS_ENABLE, Some(Section::Apps), false, Done;
    /// [`METHOD_APPS_DISABLE`]
    AppsDisable => METHOD_APPS_DISABLE, Some(Section::Apps), false, Done;
    /// [`METHOD_APPS_LIST`]
    AppsList => METHOD_APPS_LIST, Some(Section::Apps), false, Done;
    /// [`METHOD_UPDATES_SCAN`]
    UpdatesScan => METHOD_UPDATES_SCAN, Some(Section::Updates), false, Accepted;
    /// [`METHOD_UPDATES_INSTALL`]
    UpdatesInstall => METHOD_UPDATES_INSTALL, Some(Section::Updates), true, Accepted;
    /// [`METHOD_CERTIFICATES_INSTALL`]
    CertificatesInstall => METHOD_CERTIFICATES_INSTALL, Some(Section::Certificates), false, Accepted;
    /// [`METHOD_CERTIFICATES_REMOVE`]
    CertificatesRemove => METHOD_CERTIFICATES_REMOVE, Some(Section::Certificates), false, Done;
    /// [`METHOD_CERTIFICATES_LIST`]
    CertificatesList => METHOD_CERTIFICATES_LIST, Some(Section::Certificates), false, Done;
    /// [`METHOD_CERTIFICATES_SHOW`]
    CertificatesShow => METHOD_CERTIFICATES_SHOW, Some(Section::Certificates), false, Done;
    /// [`METHOD_TIME_GET`]
    TimeGet => METHOD_TIME_GET, Some(Section::Time), false, Done;
    /// [`METHOD_WIFI_LIST`]
    WifiList => METHOD_WIFI_LIST, Some(Section::Network), false, Done;
    /// [`METHOD_WIFI_ADD`]
    WifiAdd => METHOD_WIFI_ADD, Some(Section::Network), false, Done;
    /// [`METHOD_WIFI_REMOVE`]
    WifiRemove => METHOD_WIFI_REMOVE, Some(Section::Network), false, Done;
    /// [`METHOD_DIAGNOSTICS_COLLECT`]
    DiagnosticsCollect => METHOD_DIAGNOSTICS_COLLECT, Some(Section::Diagnostics), false, DoneOrAccepted;
    /// [`METHOD_DIAGNOSTICS_SET_LOG_LEVEL`]
    DiagnosticsSetLogLevel => METHOD_DIAGNOSTICS_SET_LOG_LEVEL, Some(Section::Diagnostics), false, Done;
    /// [`METHOD_INFO_GET`]
    InfoGet => METHOD_INFO_GET, Some(Section::Info), false, Done;
    /// [`METHOD_REPORT_ALL`]
    ReportAll => METHOD_REPORT_ALL, None, false, Done;
    /// [`METHOD_OPERATIONS_CANCEL`]
    OperationsCancel => METHOD_OPERATIONS_CANCEL, None, false, Done;
    /// [`METHOD_AGENT_UPDATE`] (since v2). Not disruptive: it restarts the agent, not the
    /// device or its applications, so busy leases do not hold it.
    AgentUpdate => METHOD_AGENT_UPDATE, Some(Section::AgentUpdate), false, Accepted;
}

impl Method {
    /// The method with this wire name.
    pub fn from_name(name: &str) -> Result<Self, ContractError> {
        Self::ALL
            .iter()
            .copied()
            .find(|m| m.name() == name)
            .ok_or_else(|| ContractError::UnknownMethod(name.to_owned()))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Method {
    type Err = ContractError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips_and_is_unique() {
        let mut seen = std::collections::HashSet::new();
        for &m in Method::ALL {
            assert_eq!(Method::from_name(m.name()).unwrap(), m);
            assert_eq!(m.name().parse::<Method>().unwrap(), m);
            assert!(seen.insert(m.name()), "duplicate name {m}");
        }
        assert_eq!(seen.len(), Method::ALL.len());
    }

    #[test]
    fn names_follow_the_namespace_and_hub_rules() {
        for &m in Method::ALL {
            let name = m.name();
            assert!(name.starts_with("dm."), "{name}");
            // IoT Hub method names: printable US-ASCII minus separators.
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_graphic() && !"$()<>@,;:\\\"/[]?={}".contains(c)),
                "{name}"
            );
        }
    }

    #[test]
    fn unknown_names_are_errors() {
        for bad in ["", "dm", "dm.Reboot", "windows.rebootAsync", "dm.reboot "] {
            assert!(matches!(
                Method::from_name(bad),
                Err(ContractError::UnknownMethod(n)) if n == bad
            ));
        }
    }

    #[test]
    fn disruptive_set_matches_design() {
        let disruptive: Vec<_> = Method::ALL
            .iter()
            .filter(|m| m.is_disruptive())
            .map(|m| m.name())
            .collect();
        assert_eq!(
            disruptive,
            [
                METHOD_REBOOT,
                METHOD_FACTORY_RESET,
                METHOD_APPS_REMOVE,
                METHOD_APPS_STOP,
                METHOD_APPS_RESTART,
                METHOD_UPDATES_INSTALL
            ]
        );
        // A disruptive method may be postponed, which needs an operation id: never answer 200.
        for m in Method::ALL.iter().filter(|m| m.is_disruptive()) {
            assert_eq!(m.success(), Success::Accepted, "{m}");
        }
    }

    #[test]
    fn methods_with_envelopes_point_at_sections_that_hold_them() {
        for m in Method::ALL {
            if m.success() != Success::Done {
                let section = m.section().expect("a 202 method reports under a section");
                assert!(section.has_operations(), "{m} -> {section}");
            }
        }
    }
}
