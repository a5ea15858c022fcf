//! Every environment variable `dmctl` reads, in one place.
//!
//! Scattering `std::env::var("...")` across commands makes the set of knobs impossible to
//! document or audit; clap's `env = ...` attributes and the few direct reads all name these
//! constants instead, so `grep env_vars::` finds every one.

/// The hub connection string (the `--hub` flag). Never echoed: `--help` hides its value.
pub const IOTHUB_CONNECTION_STRING: &str = "IOTHUB_CONNECTION_STRING";

/// An extra CA certificate (PEM) to trust, for a local hub (the `--ca-file` flag).
pub const DMCTL_CA_FILE: &str = "DMCTL_CA_FILE";

/// The profile to use from the config file (the `--profile` flag).
pub const DMCTL_PROFILE: &str = "DMCTL_PROFILE";

/// Sends service requests to this URL instead of `https://{HostName}` (a reverse proxy, or a
/// test server); tokens stay scoped to the connection string's `HostName`.
pub const DMCTL_HUB_ENDPOINT: &str = "DMCTL_HUB_ENDPOINT";

/// The default output format (the `--output` flag).
pub const DMCTL_OUTPUT: &str = "DMCTL_OUTPUT";

/// A `tracing` filter (`info`, `dmctl=debug,iothub_client=trace`) overriding `-q`/`-v`.
pub const DMCTL_LOG: &str = "DMCTL_LOG";

/// Where the config directory lives (`$XDG_CONFIG_HOME/dmctl/config.toml`).
pub const XDG_CONFIG_HOME: &str = "XDG_CONFIG_HOME";

/// Overrides the config file path entirely (tests and unusual setups).
pub const DMCTL_CONFIG: &str = "DMCTL_CONFIG";

/// Where `dmctl hub serve` keeps the local hub by default (`$XDG_DATA_HOME/dmctl/hub`).
pub const XDG_DATA_HOME: &str = "XDG_DATA_HOME";

/// Where dmctl keeps local state: rollout plans (`$XDG_STATE_HOME/dmctl/rollouts`), fleet
/// run journals for `--resume` (`$XDG_STATE_HOME/dmctl/journal`) and the audit trail
/// (`$XDG_STATE_HOME/dmctl/audit.jsonl`).
pub const XDG_STATE_HOME: &str = "XDG_STATE_HOME";

/// Who is running dmctl, as the audit trail records it (default: user@host).
pub const DMCTL_OPERATOR: &str = "DMCTL_OPERATOR";

/// Turns colour off when set to anything non-empty (<https://no-color.org>).
pub const NO_COLOR: &str = "NO_COLOR";
