//! The `dm-agent` command line: parse, then call the library.
//!
//! `run` is the daemon; `busy` talks to a running daemon's lease socket; `status` reads the
//! state directory (it works whether or not the daemon runs, and needs no credentials);
//! `config print-default` prints a configuration to start from.
//!
//! Exit codes: 0 success, 1 failure, 2 usage or configuration error, 4 no such lease,
//! 8 conflict (a lease held by another holder, or too many leases).

#![allow(
    clippy::print_stdout,
    reason = "the binary's command line is where the agent prints its answers"
)]

pub mod logging;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use dm_contract::LogLevel;

use crate::client::LogLevelHook;
use crate::config::{self, AgentConfig, BackendKind, Config, Overrides};
use crate::daemon::{Backend, Daemon, DaemonConfig, LeaseSocket};
use crate::error::DmError;
use crate::leases::cli::{BusyCommand, run_busy};
use crate::leases::client::LeaseClient;
use crate::providers::LinuxOptions;

/// Exit code: the command failed.
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: bad usage or configuration.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: no such lease.
pub const EXIT_NOT_FOUND: u8 = 4;
/// Exit code: conflict.
pub const EXIT_CONFLICT: u8 = 8;

/// The device-management agent for Azure IoT Hub.
#[derive(Debug, Parser)]
#[command(name = "dm-agent", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the agent: connect to the hub and serve device-management requests.
    Run(Box<RunArgs>),
    /// Take, renew, release or list busy leases on the running agent.
    Busy(BusyArgs),
    /// Show the agent's connection, queued reports and operations (from its state directory).
    Status(StatusArgs),
    /// Configuration helpers.
    Config {
        /// What to do with the configuration.
        #[command(subcommand)]
        command: ConfigCommand,
    },
}

/// `dm-agent run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The configuration file (default: /etc/dm-agent/config.toml, if it exists).
    #[arg(long, short = 'c', env = "DM_AGENT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Options that override the file.
    #[command(flatten)]
    pub overrides: Overrides,
}

/// `dm-agent busy`.
#[derive(Debug, Args)]
pub struct BusyArgs {
    /// The lease socket (default: `leases.socket` of the configuration).
    #[arg(
        long,
        env = "DM_AGENT_LEASE_SOCKET",
        value_name = "PATH",
        global = true
    )]
    pub socket: Option<PathBuf>,
    /// The configuration file to read `leases.socket` from.
    #[arg(
        long,
        short = 'c',
        env = "DM_AGENT_CONFIG",
        value_name = "FILE",
        global = true
    )]
    pub config: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// The lease operation.
    #[command(subcommand)]
    pub command: BusySub,
}

/// `dm-agent busy ...`.
#[derive(Debug, Subcommand)]
pub enum BusySub {
    /// Hold the device busy; prints the lease id.
    Acquire {
        /// Who holds the lease (your application's name).
        #[arg(long)]
        holder: String,
        /// Why, shown to operators.
        #[arg(long)]
        reason: String,
        /// How long until the lease expires unless renewed (e.g. `10m`).
        #[arg(long, value_parser = parse_ttl, default_value = "10m")]
        ttl: u32,
        /// A lease id of your choosing (re-acquiring it renews it).
        #[arg(long)]
        id: Option<String>,
    },
    /// Extend a lease.
    Renew {
        /// The lease id.
        id: String,
        /// The new time to live, from now.
        #[arg(long, value_parser = parse_ttl, default_value = "10m")]
        ttl: u32,
    },
    /// Release a lease.
    Release {
        /// The lease id.
        id: String,
    },
    /// List the active leases.
    List,
}

fn parse_ttl(text: &str) -> Result<u32, String> {
    let d = humantime::parse_duration(text).map_err(|e| e.to_string())?;
    u32::try_from(d.as_secs()).map_err(|_| "too long".to_owned())
}

/// `dm-agent status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The configuration file to read `agent.state_dir` from.
    #[arg(long, short = 'c', env = "DM_AGENT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The state directory (overrides the configuration).
    #[arg(long, env = "DM_AGENT_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Print one JSON document.
    #[arg(long)]
    pub json: bool,
}

/// `dm-agent config ...`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print a commented default configuration.
    PrintDefault,
    /// Check a configuration file (and the flags and environment) without running.
    Check {
        /// The configuration file.
        #[arg(long, short = 'c', env = "DM_AGENT_CONFIG", value_name = "FILE")]
        config: Option<PathBuf>,
        /// Options that override the file.
        #[command(flatten)]
        overrides: Box<Overrides>,
    },
}

/// Runs the binary: parses `std::env::args` and returns the exit code.
pub fn main() -> ExitCode {
    // A bug's panic message may carry what the failing code was handling (a connection string
    // from the configuration): it reaches the journal without credentials.
    iothub_auth::install_panic_hook("dm-agent");
    let cli = Cli::parse();
    match cli.command {
        Command::Config { command } => config_command(command),
        Command::Run(args) => with_runtime(|| run(*args)),
        Command::Busy(args) => with_runtime(|| busy(args)),
        Command::Status(args) => status(&args),
    }
}

fn with_runtime<F, Fut>(f: F) -> ExitCode
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ExitCode>,
{
    // One thread runs every task: the agent waits on the network nearly all the time, and
    // each worker thread of a multi-threaded runtime costs its stack and a malloc arena of
    // resident memory on a small device (agent/BENCHMARKS.md). Blocking file work (log
    // bundles, the report queue) still goes to tokio's blocking pool, and a panicking task
    // is still caught by its `JoinHandle`, so a provider panic stays a 500 answer.
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(f()),
        Err(e) => fail(
            EXIT_FAILURE,
            &format!("cannot start the async runtime: {e}"),
        ),
    }
}

fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("dm-agent: {message}");
    ExitCode::from(code)
}

fn config_command(command: ConfigCommand) -> ExitCode {
    match command {
        ConfigCommand::PrintDefault => {
            let mut out = std::io::stdout().lock();
            match out.write_all(config::DEFAULT_CONFIG_TOML.as_bytes()) {
                Ok(()) => ExitCode::SUCCESS,
                // A closed pipe (`| head`) is not a failure.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => fail(EXIT_FAILURE, &e.to_string()),
            }
        }
        ConfigCommand::Check { config, overrides } => {
            match AgentConfig::load(config.as_deref(), &overrides)
                .and_then(|c| c.connection_settings().map(|s| (c, s)))
            {
                Ok((_, settings)) => {
                    println!(
                        "configuration ok: device `{}` via {}",
                        settings.identity.device_id, settings.endpoint
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(EXIT_USAGE, &e.to_string()),
            }
        }
    }
}

/// The `dm.diagnostics.setLogLevel` levels as filters.
fn level_name(level: LogLevel) -> &'static str {
    match level {
        LogLevel::Error => "error",
        LogLevel::Warn => "warn",
        LogLevel::Info => "info",
        LogLevel::Debug => "debug",
        LogLevel::Trace => "trace",
    }
}

fn parse_level(filter: &str) -> Option<LogLevel> {
    [
        LogLevel::Error,
        LogLevel::Warn,
        LogLevel::Info,
        LogLevel::Debug,
        LogLevel::Trace,
    ]
    .into_iter()
    .find(|l| filter.trim().eq_ignore_ascii_case(level_name(*l)))
}

/// Builds the Linux provider options from the configuration.
fn linux_options(config: &Config) -> LinuxOptions {
    let a = &config.agent;
    LinuxOptions {
        factory_reset_hook: a.factory_reset_hook.clone(),
        update_hook: a.update_hook.clone(),
        log_roots: a.log_roots.clone(),
        disk_mounts: a.disk_mounts.clone(),
        agent_binary: a.binary_path.clone(),
        agent_unit: a.service_unit.clone(),
        ..LinuxOptions::default()
    }
}

async fn run(args: RunArgs) -> ExitCode {
    let agent = match AgentConfig::load(args.config.as_deref(), &args.overrides) {
        Ok(agent) => agent,
        Err(e) => return fail(EXIT_USAGE, &e.to_string()),
    };
    let style = logging::detect();
    let log = logging::init(&agent.config.log.level, style);
    let failed = |code: u8, message: String| {
        // Under systemd the line needs its priority like every other log line.
        let prefix = if style == logging::Style::Journal {
            "<3>"
        } else {
            ""
        };
        eprintln!("{prefix}dm-agent: {message}");
        ExitCode::from(code)
    };
    match serve(&agent, log).await {
        Ok(()) => ExitCode::SUCCESS,
        // Who can fix it decides the exit code: a setting the operator gave (usage) or the
        // device itself (an unwritable state directory: failure).
        Err(e) if e.is_setting() => failed(EXIT_USAGE, e.to_string()),
        Err(e) => failed(EXIT_FAILURE, e.to_string()),
    }
}

/// The daemon's configuration from the agent's configuration file and flags.
fn daemon_config(agent: &AgentConfig, log: logging::LogControl) -> Result<DaemonConfig, DmError> {
    let config = &agent.config;
    let settings = agent.connection_settings()?;
    let configured_filter = config.log.level.clone();
    let configured_level = parse_level(&configured_filter).unwrap_or(LogLevel::Info);
    let log_hook: LogLevelHook = Arc::new(move |level: LogLevel| {
        // Going back to the configured level restores the configured filter, which may be
        // finer than a single level.
        let filter = if level == configured_level {
            configured_filter.as_str()
        } else {
            level_name(level)
        };
        if let Err(e) = log.set(filter) {
            tracing::warn!(error = %e, "cannot change the log level");
        }
    });
    let artifacts = config.artifact_policy()?;
    if !artifacts.trusted_keys.is_empty() {
        tracing::info!(
            keys = artifacts.trusted_keys.len(),
            "artefacts need a signature by a trusted publisher key"
        );
    }
    let backend = match (config.agent.backend, &config.agent.sandbox_dir) {
        (BackendKind::Sandbox, Some(dir)) => Backend::Sandbox {
            dir: dir.clone(),
            reboot_downtime: None,
        },
        _ => Backend::Linux(linux_options(config)),
    };
    let mut daemon = DaemonConfig::new(settings, backend);
    daemon.lease_socket = Some(LeaseSocket {
        path: config.leases.socket.clone(),
        group: config.leases.group.clone(),
    });
    daemon.log_level = Some((configured_level, log_hook));
    daemon.settings = crate::client::Settings {
        artifacts,
        ..crate::client::Settings::default()
    };
    Ok(daemon)
}

async fn serve(agent: &AgentConfig, log: logging::LogControl) -> Result<(), DmError> {
    let config = daemon_config(agent, log)?;
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        device = %config.connection.identity.device_id,
        hub = %config.connection.identity.host_name,
        endpoint = %config.connection.endpoint,
        backend = ?agent.config.agent.backend,
        "dm-agent starting"
    );
    let daemon = Daemon::start(config)?;
    sd_notify("READY=1");
    daemon.run(shutdown_signal()).await;
    sd_notify("STOPPING=1");
    tracing::info!("dm-agent stopped");
    Ok(())
}

/// Resolves on SIGTERM (systemd) or SIGINT (Ctrl-C).
async fn shutdown_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = term => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

/// Tells systemd about start-up and shutdown (`Type=notify`); a no-op outside systemd.
fn sd_notify(message: &str) {
    let Some(path) = std::env::var_os("NOTIFY_SOCKET") else {
        return;
    };
    let Ok(socket) = std::os::unix::net::UnixDatagram::unbound() else {
        return;
    };
    let path = PathBuf::from(path);
    let sent = match path.to_str().and_then(|p| p.strip_prefix('@')) {
        Some(abstract_name) => {
            use std::os::linux::net::SocketAddrExt as _;
            std::os::unix::net::SocketAddr::from_abstract_name(abstract_name.as_bytes())
                .and_then(|addr| socket.send_to_addr(message.as_bytes(), &addr))
        }
        None => socket.send_to(message.as_bytes(), &path),
    };
    if let Err(e) = sent {
        tracing::debug!(error = %e, "cannot notify systemd");
    }
}

async fn busy(args: BusyArgs) -> ExitCode {
    let socket = match (&args.socket, &args.config) {
        (Some(socket), _) => socket.clone(),
        (None, Some(path)) => match Config::load(path) {
            Ok(c) => c.leases.socket,
            Err(e) => return fail(EXIT_USAGE, &e.to_string()),
        },
        (None, None) => match load_default_config() {
            Ok(c) => c.leases.socket,
            Err(e) => return fail(EXIT_USAGE, &e.to_string()),
        },
    };
    let command = match args.command {
        BusySub::Acquire {
            holder,
            reason,
            ttl,
            id,
        } => BusyCommand::Acquire {
            id,
            holder,
            reason,
            ttl_seconds: ttl,
        },
        BusySub::Renew { id, ttl } => BusyCommand::Renew {
            id,
            ttl_seconds: ttl,
        },
        BusySub::Release { id } => BusyCommand::Release { id },
        BusySub::List => BusyCommand::List,
    };
    let client = LeaseClient::new(socket);
    let mut out = std::io::stdout().lock();
    match run_busy(&client, command, args.json, &mut out).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = match e.status() {
                404 => EXIT_NOT_FOUND,
                409 => EXIT_CONFLICT,
                400 => EXIT_USAGE,
                _ => EXIT_FAILURE,
            };
            fail(code, &e.to_string())
        }
    }
}

/// The default configuration file if it exists, else the defaults.
fn load_default_config() -> Result<Config, DmError> {
    let path = Path::new(config::DEFAULT_CONFIG_PATH);
    if path.exists() {
        Config::load(path)
    } else {
        Ok(Config::default())
    }
}

fn status(args: &StatusArgs) -> ExitCode {
    let state_dir = match (&args.state_dir, &args.config) {
        (Some(dir), _) => dir.clone(),
        (None, Some(path)) => match Config::load(path) {
            Ok(c) => c.agent.state_dir,
            Err(e) => return fail(EXIT_USAGE, &e.to_string()),
        },
        (None, None) => match load_default_config() {
            Ok(c) => c.agent.state_dir,
            Err(e) => return fail(EXIT_USAGE, &e.to_string()),
        },
    };
    // A daemon creates its state directory as it starts; until then (or where it never ran)
    // the status says that no daemon has written anything, rather than failing.
    let never_ran = matches!(state_dir.try_exists(), Ok(false));
    let report = if never_ran {
        crate::status::AgentStatus::default()
    } else {
        match crate::status::read_status(&state_dir) {
            Ok(report) => report,
            Err(e) => return fail(EXIT_FAILURE, &e.to_string()),
        }
    };
    let mut out = std::io::stdout().lock();
    match crate::status::write_status(&report, args.json, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(EXIT_FAILURE, &e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn levels_round_trip_and_filters_are_not_levels() {
        for level in ["error", "warn", "info", "debug", "trace"] {
            assert_eq!(parse_level(level).map(level_name), Some(level));
        }
        assert_eq!(parse_level("info,dm_agent=debug"), None);
    }
}
