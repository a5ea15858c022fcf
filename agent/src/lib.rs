//! The on-device device-management agent for Azure IoT Hub.
//!
//! The agent answers the `dm.*` direct methods and applies the `dm` section of the desired
//! properties (reboots and schedules, applications, updates, certificates, time, network,
//! diagnostics, factory reset, agent self-update), running long work as operations whose state
//! it reports in the twin. The wire contract is the `dm-contract` crate; this crate is the device
//! side of it. It runs in one of two modes.
//!
//! # Daemon mode
//!
//! The agent owns the device's hub connection: [`daemon::run`] opens it (MQTT over TLS or a
//! secure WebSocket, SAS or X.509), keeps it up, hands the hub's traffic to the [`Agent`] and
//! serves the busy-lease socket applications on the device use. The `dm-agent` binary is this
//! plus a command line; `dmctl simulate` runs one per simulated device.
//!
//! ```no_run
//! use dm_agent::connection::{ConnectionSettings, DeviceIdentity};
//! use dm_agent::daemon::{self, Backend, DaemonConfig};
//!
//! # async fn example() -> dm_agent::DmResult<()> {
//! let cs: iothub_auth::ConnectionString = "HostName=myhub.azure-devices.net;DeviceId=dev1;SharedAccessKey=…"
//!     .parse()
//!     .map_err(|e| dm_agent::DmError::Config(format!("connection string: {e}")))?;
//! let identity = DeviceIdentity::from_connection_string(cs, None)?;
//! let settings = ConnectionSettings::new(identity, "/var/lib/dm-agent".as_ref())?;
//! let config = DaemonConfig::new(settings, Backend::Linux(Default::default()));
//! // Runs until the future completes: here Ctrl-C; the binary also stops on SIGTERM.
//! daemon::run(config, async {
//!     let _ = tokio::signal::ctrl_c().await;
//! })
//! .await
//! # }
//! ```
//!
//! # Library mode
//!
//! An application that already owns the device's connection (IoT Hub allows one per device)
//! embeds the [`Agent`] instead: it implements the small [`transport::Transport`] trait over
//! its own MQTT session, hands every direct method to [`Agent::handle_method`] (which takes only
//! `dm.*` and returns `false` for the rest) and every desired patch to
//! [`Agent::handle_desired_patch`] (which looks only at the `dm` key). Everything else stays
//! the application's. `examples/integrated.rs` is a complete application doing this:
//!
//! ```text
//! cargo run -p dm-agent --example integrated
//! ```
//!
//! ```no_run
//! use std::sync::Arc;
//! use dm_agent::Agent;
//! # async fn example(transport: Arc<dyn dm_agent::transport::Transport>,
//! #                  request_id: &str, name: &str, payload: &[u8]) -> dm_agent::DmResult<()> {
//! let agent = Agent::builder(transport)
//!     .device_id("dev1")
//!     .state_dir("/var/lib/my-app/dm")
//!     .sandbox("/var/lib/my-app/dm-sandbox")
//!     .build()?;
//! // For each direct method the application receives:
//! if !agent.handle_method(request_id, name, payload).await {
//!     // Not a dm method: the application's own.
//! }
//! # Ok(()) }
//! ```
//!
//! Without default features (`default-features = false`) the crate compiles no command-line
//! code (clap, the `tracing-subscriber` set-up): the `cli` feature is the `dm-agent` binary's.

// Only the binary's command line (`cli`) prints; the library never writes to stdout.
#![warn(missing_docs, unreachable_pub, clippy::print_stdout)]

pub mod artifacts;
#[cfg(feature = "cli")]
pub mod cli;
pub mod client;
pub mod config;
pub mod connection;
pub mod daemon;
pub mod error;
pub mod leases;
pub mod manifest;
pub mod providers;
pub mod runner;
pub mod state;
pub mod status;
pub mod transport;

pub use client::{Agent, AgentBuilder};
pub use error::{DmError, DmResult};
pub use leases::Leases;
