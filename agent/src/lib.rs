//! The on-device device-management agent for Azure IoT Hub.

pub mod artifacts;
pub mod cli;
pub mod client;
pub mod config;
pub mod connection;
pub mod error;
pub mod leases;
pub mod manifest;
pub mod providers;
pub mod runner;
pub mod simulate;
pub mod state;
pub mod status;
pub mod transport;

pub use client::{DmClient, DmClientBuilder};
pub use error::{DmError, DmResult};
pub use leases::Leases;
