//! End-to-end tests of the typed device-management commands against an in-process local hub:
//! with scripted devices that play the agent's part exactly (`fake`), with real simulated dm
//! agents (`agent`), and the `demo` and `simulate` commands themselves (`local`).

#[path = "support/mod.rs"]
mod support;

#[path = "dm/fake.rs"]
mod fake;

#[path = "dm/agent.rs"]
mod agent;

#[path = "dm/local.rs"]
mod local;

#[path = "dm/config.rs"]
mod config;

#[path = "dm/self_update.rs"]
mod self_update;

#[path = "dm/rollout.rs"]
mod rollout;

#[path = "dm/ops.rs"]
mod ops;

#[path = "dm/status.rs"]
mod status;

#[path = "dm/dashboard.rs"]
mod dashboard;

#[path = "dm/fleet_job.rs"]
mod fleet_job;

/// Filters for what real agents make up on every run, on top of [`support::filters`].
pub fn agent_filters() -> Vec<(&'static str, &'static str)> {
    vec![
        // Operation ids: `20250301T100000Z-7f3a`.
        (r"\b\d{8}T\d{6}Z-[0-9a-f]{4}\b", "[OPID]"),
        // Thumbprints and digests of generated certificates.
        (r"\b[0-9a-f]{64}\b", "[SHA256]"),
        (r"\b[0-9a-f]{16}…", "[THUMB]…"),
        (r"\b[0-9a-f]{32,40}\b", "[HEX]"),
        (r"in \d+d\b", "in [DAYS]"),
        // A lease's remaining time depends on how fast the test got there.
        (r"for about \d+s more", "for about [N]s more"),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
    ]
}

/// Like `snap!`, with [`agent_filters`] first.
#[macro_export]
macro_rules! dm_snap {
    ($name:expr, $text:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        for (from, to) in $crate::agent_filters() {
            settings.add_filter(from, to);
        }
        for (from, to) in $crate::support::filters() {
            settings.add_filter(from, to);
        }
        settings.bind(|| insta::assert_snapshot!($name, $text));
    }};
}
