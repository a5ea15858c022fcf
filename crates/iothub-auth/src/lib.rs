//! Azure IoT Hub shared access signatures and connection strings: sign, parse, verify.
//!
//! This crate is the one place in dmctl that handles IoT Hub credentials, so the rules that the
//! hub, the SDKs and the emulator must agree on (what exactly is hashed, how fields are encoded,
//! when a token is expired or in scope) live here once. Secrets never leak through `Debug`,
//! `Display` or errors; getting them out takes an explicitly named call (`expose`,
//! `expose_secret`, `to_base64`).
//!
//! ```
//! use iothub_auth::{ConnectionString, DEFAULT_CLOCK_SKEW_SECS};
//!
//! let cs: ConnectionString =
//!     "HostName=myhub.azure-devices.net;DeviceId=dev1;SharedAccessKey=cGFzc3dvcmQ=".parse()?;
//! let token = cs.generate_token(1_700_000_000, 3600)?;
//! assert_eq!(token.resource(), "myhub.azure-devices.net/devices/dev1");
//! let key = cs.key().expect("the string has a key");
//! token.verify(key, 1_700_000_100, DEFAULT_CLOCK_SKEW_SECS)?;
//! assert!(token.audience_matches("myhub.azure-devices.net/devices/dev1/messages/events"));
//! # Ok::<(), iothub_auth::AuthError>(())
//! ```

#![warn(missing_docs, unreachable_pub, clippy::print_stdout)]

mod connection_string;
mod encoding;
mod error;
mod key;
mod redact;
mod token;

pub use connection_string::{ConnectionString, ConnectionStringKind, Credential};
pub use encoding::encode_resource_uri;
pub use error::AuthError;
pub use key::{SharedAccessKey, Signer};
pub use redact::{install_panic_hook, redact};
pub use token::{DEFAULT_CLOCK_SKEW_SECS, SasToken};

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch from the system clock; 0 if the clock is set before 1970.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
