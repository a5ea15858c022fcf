//! The hub-plumbing and local commands, one module per command group.
//!
//! Each module turns parsed arguments into library calls (`iothub-client`, `iothub-auth`,
//! `iothub-emulator`) and hands the results to the [`Printer`](crate::printer::Printer); the
//! libraries do the work, these modules decide what the user sees.

pub mod completions;
pub mod device;
pub mod hub;
pub mod input;
pub mod job;
pub mod method;
pub mod query;
pub mod status;
pub mod token;
pub mod twin;
