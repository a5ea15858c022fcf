//! The agent's integration tests, in one test binary.
//!
//! One binary instead of thirteen (ripgrep's layout): each was an ~80 MB link on a 2-core
//! machine. The `core_*` modules drive the [`dm_agent::Agent`] over a fake transport
//! (`core_common`); the `e2e_*` modules run real connections against the local hub (`common`).

mod common;
mod core_common;

mod core_answer_first;
mod core_desired;
mod core_leases;
mod core_linux;
mod core_malformed;
mod core_methods;
mod core_self_update;
mod core_state;
mod core_upload;
mod crash;
mod e2e_agent;
mod e2e_cli;
mod e2e_connection;
mod e2e_upload;
mod netfault;
mod netproxy;
