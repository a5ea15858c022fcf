//! Operator CLI for device management through Azure IoT Hub.

use std::process::ExitCode;

/// Entry point of the `dmctl` binary.
pub fn main() -> ExitCode {
    eprintln!("dmctl: no commands are built yet");
    ExitCode::from(1)
}
