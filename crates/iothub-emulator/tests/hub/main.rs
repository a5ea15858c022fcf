//! End-to-end tests of the emulator over real HTTPS (and MQTT), one area per module, in one
//! test binary so the suite links once.

mod bulkio;
mod common;
mod configurations;
mod crash;
mod device;
mod device_http;
mod fidelity;
mod files;
mod jobs;
mod query;
mod realism;
mod registry;
mod restart;
mod security;
mod twins;
