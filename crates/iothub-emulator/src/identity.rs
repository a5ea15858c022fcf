//! The identity a device-side connection or a device-scoped call acts as.
//!
//! Shared by the MQTT endpoint, the live-session registry and the REST layer, so that a module
//! identity can never be confused with its parent device.

use std::fmt;

/// A device, or a module on a device.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identity {
    /// The device id, as registered.
    pub device_id: String,
    /// The module id when the identity is a module.
    pub module_id: Option<String>,
}

impl Identity {
    /// A device identity.
    pub fn device(device_id: impl Into<String>) -> Self {
        Self {
            device_id: device_id.into(),
            module_id: None,
        }
    }

    /// A module identity.
    pub fn module(device_id: impl Into<String>, module_id: impl Into<String>) -> Self {
        Self {
            device_id: device_id.into(),
            module_id: Some(module_id.into()),
        }
    }

    /// The MQTT client id this identity must use: `{device}` or `{device}/{module}`.
    pub fn client_id(&self) -> String {
        match &self.module_id {
            Some(m) => format!("{}/{m}", self.device_id),
            None => self.device_id.clone(),
        }
    }
}

/// The client id, with control characters escaped: identities come from the network and are
/// logged (see the `logsafe` module).
impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&crate::logsafe::Escaped(&self.client_id()), f)
    }
}
