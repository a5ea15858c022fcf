//! Ctrl-C as an event commands can react to, instead of a process that just stops.
//!
//! An operator who presses Ctrl-C during `--wait` or a fleet run must learn what was already
//! sent, so that re-running never re-sends by accident. Dropping the command's future at the
//! first signal (what a bare `select!` on `ctrl_c()` does) loses exactly that knowledge. So the
//! signal is turned into a process-wide flag: [`listen`] starts one listener, commands that
//! know how to report their progress await [`requested`] next to their work and return an error
//! that says what happened, and the entry point falls back to a plain "interrupted" for the
//! others (see `lib.rs`).

use std::sync::OnceLock;

use tokio::sync::watch;

fn channel() -> &'static watch::Sender<bool> {
    static FLAG: OnceLock<watch::Sender<bool>> = OnceLock::new();
    FLAG.get_or_init(|| watch::channel(false).0)
}

/// Starts listening for Ctrl-C (SIGINT). Call once, inside the runtime.
pub fn listen() {
    tokio::spawn(async {
        if tokio::signal::ctrl_c().await.is_ok() {
            trigger();
        }
    });
}

/// Marks the process as interrupted (what Ctrl-C does).
pub fn trigger() {
    channel().send_replace(true);
}

/// Completes once the process has been interrupted (immediately if it already was).
pub async fn requested() {
    let mut rx = channel().subscribe();
    // The sender lives in a static, so the channel never closes.
    let _ = rx.wait_for(|interrupted| *interrupted).await;
}
