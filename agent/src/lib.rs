//! The on-device device-management agent for Azure IoT Hub.

use std::process::ExitCode;

/// Entry point of the `dm-agent` binary.
pub fn main() -> ExitCode {
    eprintln!("dm-agent: not built yet");
    ExitCode::from(1)
}

pub mod transport;
