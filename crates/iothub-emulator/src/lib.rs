//! A local Azure IoT Hub: the service REST API and the device MQTT endpoint on an embedded SQLite store.
//!
//! Where things live (each module documents its own contract):
//! - `query`: the IoT Hub query language (parser + evaluator over twin JSON).
//! - `tls`: the generated CA and server certificate.
//! - `store`, `hub`, `rest`, `jobs`, `auth`, `config`: registry, twins, REST handlers, jobs v2.
//! - `mqtt`, `connections`: the device MQTT endpoint (TCP/TLS and WebSocket) and live-session registry.
//! - `c2d`: cloud-to-device queues that devices receive from over HTTPS (lock, complete,
//!   reject, abandon).
//! - `files`: the file-upload flow, with the emulator serving the blob storage the SAS URIs
//!   point at (`{data_dir}/blobs`).
//! - `configurations`: automatic device management (configurations and their evaluation).

#![warn(missing_docs, unreachable_pub, clippy::print_stdout)]

mod auth;
pub mod bulkio;
pub mod c2d;
pub mod config;
mod configurations;
pub mod connections;
pub mod datadir;
mod error;
pub mod files;
pub mod hub;
pub mod identity;
mod jobs;
mod listen;
mod logsafe;
pub mod mqtt;
pub mod query;
pub mod query_pages;
pub mod registry;
pub mod rest;
mod server;
pub mod store;
mod throttle;
pub mod tls;
pub mod twins;

pub use config::{ConnectionLimits, HubConfig};
pub use configurations::EvaluationReport;
pub use connections::{Connections, MethodInvokeError};
pub use datadir::Endpoint;
pub use error::EmulatorError;
pub use identity::Identity;
pub use server::{
    Listeners, RunningHub, connection_string_for_device, connection_string_for_policy, run, start,
};
