//! The hub-plumbing and local commands, one module per command group.
//!
//! Each module turns parsed arguments into library calls (`iothub-client`, `iothub-auth`,
//! `iothub-emulator`) and hands the results to the [`Printer`](crate::printer::Printer); the
//! libraries do the work, these modules decide what the user sees.

pub mod completions;
pub mod config;
pub mod device;
pub mod hub;
pub mod input;
pub mod job;
pub mod method;
pub mod profile;
pub mod query;
pub mod status;
pub mod token;
pub mod twin;

use crate::exit::CliError;

/// Registers for Ctrl-C and SIGTERM now (so a signal that arrives while the hub starts is not
/// lost to the default action) and returns a future that resolves on either.
pub fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, CliError> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let register = |kind: SignalKind| {
            signal(kind).map_err(|e| {
                CliError::failure(format!("cannot install signal handlers: {e}")).with_source(e)
            })
        };
        let mut interrupt = register(SignalKind::interrupt())?;
        let mut terminate = register(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
