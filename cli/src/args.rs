//! The whole command line: global options in one place, then every command's arguments.
//!
//! Keeping the tree in one module (the typed device-management commands' argument structs live
//! in `dm::args` and are referenced from here) makes `--help`, the generated shell completions
//! and the README describe the same thing, and keeps parsing free of I/O: nothing here reads a
//! file or the network, so `dmctl --help` is instant.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::dm;
use crate::env_vars;
use crate::exit::Exit;
use crate::fleet::TargetArgs;
use crate::printer::OutputFormat;
use crate::rollout;

/// Device management for Azure IoT Hub: registry, twins, direct methods, jobs and typed
/// device-management operations, against a real hub or the local one.
#[derive(Debug, Parser)]
#[command(
    name = "dmctl",
    version,
    about = "Device management for Azure IoT Hub",
    long_about = "Device management for Azure IoT Hub: registry, twins, direct methods, jobs and typed \
device-management operations, against a real hub or the local one (`dmctl hub serve`).\n\n\
The hub connection string comes from --hub, IOTHUB_CONNECTION_STRING, or a profile \
(`dmctl profile add`). It is never echoed.",
    after_long_help = Exit::help_table(),
    max_term_width = 100
)]
pub struct Cli {
    /// Options every command accepts.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts (`global = true`, so they may follow the subcommand).
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Hub connection string (a shared access policy of the hub)
    #[arg(
        long,
        global = true,
        env = env_vars::IOTHUB_CONNECTION_STRING,
        hide_env_values = true,
        value_name = "CONNECTION_STRING"
    )]
    pub hub: Option<Secret>,

    /// Profile from the config file to use
    #[arg(long, global = true, env = env_vars::DMCTL_PROFILE, value_name = "NAME")]
    pub profile: Option<String>,

    /// Extra CA certificate (PEM) to trust, e.g. the local hub's ca.pem
    #[arg(long, global = true, env = env_vars::DMCTL_CA_FILE, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,

    /// Output format
    #[arg(
        long,
        short = 'o',
        global = true,
        env = env_vars::DMCTL_OUTPUT,
        value_enum,
        default_value_t = OutputFormat::Table
    )]
    pub output: OutputFormat,

    /// More detail on stderr (hub tracking ids, causes); repeat for debug logs
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,

    /// Only errors on stderr
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,

    /// Never draw progress spinners or bars
    #[arg(long, global = true)]
    pub no_progress: bool,

    /// Do not ask for confirmation (needed for destructive operations on several devices)
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,
}

/// A secret command-line value (a connection string). `Debug` never shows it, and clap never
/// echoes it because parsing cannot fail: the content is validated later, by code whose errors
/// name fields, not values.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The secret text. Named so that every use is easy to find.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

/// Every command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Device identities: list, show, create, delete, enable, disable, keys
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Device twins: show, patch, replace, diff desired vs reported, watch
    #[command(subcommand)]
    Twin(TwinCommand),
    /// Direct methods: invoke on one device or a fleet
    #[command(subcommand)]
    Method(MethodCommand),
    /// Run an IoT Hub query (all pages, or --top)
    Query(QueryArgs),
    /// Scheduled jobs: create, show, list, cancel, wait
    #[command(subcommand)]
    Job(JobCommand),
    /// Automatic device management: configurations the hub keeps applied to matching devices
    #[command(subcommand)]
    Config(ConfigCommand),
    /// The fleet at a glance: connection, agent, operations, leases, compliance (exit 10 if any
    /// device is not connected and in sync)
    Status(crate::cmd::status::StatusArgs),
    /// A full-screen fleet dashboard in the terminal: browse, filter, inspect, act
    Dashboard(crate::dashboard::DashboardArgs),
    /// Print a SAS token signed locally with the connection string's key (no network)
    Token(TokenArgs),

    /// Reboot now, later, or on a schedule
    #[command(
        after_help = "Examples:\n  dmctl reboot sensor-1 --wait\n  dmctl reboot --device sensor-1 --in 5m --reason maintenance\n  dmctl reboot schedule --device sensor-1 --daily 03:00"
    )]
    Reboot(dm::args::RebootArgs),
    /// Reset a device to factory state (asks for the device id)
    #[command(
        after_help = "Examples:\n  dmctl factory-reset sensor-1\n  dmctl factory-reset sensor-1 --confirm sensor-1 --yes --wait"
    )]
    FactoryReset(dm::args::FactoryResetArgs),
    /// Applications: list, install, remove, start, stop, restart, enable, disable
    Apps(dm::args::AppsArgs),
    /// OS updates: show, policy, approve, scan, install
    Updates(dm::args::UpdatesArgs),
    /// Certificates: list, install, remove, show
    Certs(dm::args::CertsArgs),
    /// Device time: show, set time zone and NTP
    Time(dm::args::TimeArgs),
    /// Wi-Fi profiles: list, add, remove
    Wifi(dm::args::WifiArgs),
    /// Device logs: collect
    Logs(dm::args::LogsArgs),
    /// Device information and health
    Info(dm::args::InfoArgs),
    /// Ask the agent to report every section again
    #[command(
        after_help = "Examples:\n  dmctl report-all sensor-1\n  dmctl report-all --query '*' --yes"
    )]
    ReportAll(dm::args::ReportAllArgs),
    /// Busy leases held by applications on the device
    Busy(dm::args::BusyArgs),
    /// The dm agent itself: update
    Agent(dm::args::AgentArgs),
    /// Operations on devices: list, show, wait for, cancel (resume after Ctrl-C or --timeout)
    #[command(subcommand)]
    Ops(dm::args::OpsCommand),

    /// Staged rollouts of a typed command: canary, waves, automatic stop, pause/resume
    #[command(subcommand)]
    Rollout(RolloutCommand),
    /// Show what a desired-state file would change on each device's twin (nothing is written)
    Plan(crate::desired::PlanArgs),
    /// Apply a desired-state file: patch only what differs, guarded by each twin's etag
    Apply(crate::desired::ApplyArgs),
    /// Wait until every device of a target satisfies a query condition
    Wait(crate::desired::wait::WaitArgs),
    /// The audit trail of every call that changed something: show it, or verify its chain
    Audit(crate::audit::AuditArgs),

    /// The local IoT Hub: serve, connection-string
    #[command(subcommand)]
    Hub(HubCommand),
    /// Run simulated devices with the dm agent against a hub
    Simulate(dm::args::SimulateArgs),
    /// A tour of dmctl on a local hub with simulated devices (no Azure account needed)
    Demo(dm::args::DemoArgs),
    /// Saved hub connections: add, list, use, remove
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

impl Command {
    /// Whether the command is one of the typed device-management commands (engineer B's
    /// `dm` module runs them).
    pub fn is_dm(&self) -> bool {
        matches!(
            self,
            Command::Reboot(_)
                | Command::FactoryReset(_)
                | Command::Apps(_)
                | Command::Updates(_)
                | Command::Certs(_)
                | Command::Time(_)
                | Command::Wifi(_)
                | Command::Logs(_)
                | Command::Info(_)
                | Command::ReportAll(_)
                | Command::Busy(_)
                | Command::Agent(_)
                | Command::Ops(_)
                | Command::Simulate(_)
                | Command::Demo(_)
        )
    }
}

// ---------------------------------------------------------------------------------------------
// device

/// `dmctl device ...`
#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// List devices (all pages of the registry query)
    List(DeviceListArgs),
    /// Show one device identity (keys are not shown; see `device keys`)
    Show(DeviceIdArg),
    /// Register a device
    #[command(
        after_help = "Examples:\n  dmctl device create sensor-1\n  dmctl device create cam-1 --x509 AB12...,CD34... --disabled"
    )]
    Create(DeviceCreateArgs),
    /// Delete devices
    #[command(
        after_help = "Examples:\n  dmctl device delete sensor-1\n  dmctl device delete sensor-1 sensor-2 --yes"
    )]
    Delete(DeviceDeleteArgs),
    /// Allow a device to connect
    #[command(
        after_help = "Examples:\n  dmctl device enable sensor-1\n  dmctl device enable --device sensor-1 --reason 'repaired'"
    )]
    Enable(DeviceStatusArgs),
    /// Refuse a device's connections
    #[command(after_help = "Examples:\n  dmctl device disable sensor-1 --reason 'stolen'")]
    Disable(DeviceStatusArgs),
    /// Print a device's symmetric keys, or regenerate one
    #[command(
        after_help = "Examples:\n  dmctl device keys sensor-1\n  dmctl device keys sensor-1 --regenerate secondary"
    )]
    Keys(DeviceKeysArgs),
    /// Print a device's connection string
    ConnectionString(DeviceConnectionStringArgs),
}

/// One device id, given as the positional `DEVICE` or as `--device ID` (the form every
/// fleet command takes), but not both.
#[derive(Debug, Clone, Args)]
#[group(required = true, multiple = false)]
pub struct DeviceIdArg {
    /// Device id
    #[arg(value_name = "DEVICE")]
    pub positional: Option<String>,
    /// Device id (the same as the positional DEVICE)
    #[arg(long = "device", short = 'd', value_name = "ID", id = "device_flag")]
    pub flag: Option<String>,
}

impl DeviceIdArg {
    /// The device id, whichever way it was given (clap requires exactly one).
    pub fn id(&self) -> &str {
        self.positional
            .as_deref()
            .or(self.flag.as_deref())
            .unwrap_or_default()
    }
}

/// `dmctl device list`
#[derive(Debug, Args)]
pub struct DeviceListArgs {
    /// Stop after this many devices
    #[arg(long, value_name = "N", value_parser = whole::<usize>)]
    pub top: Option<usize>,
    /// Only devices matching this query condition, e.g. "status = 'disabled'"
    #[arg(long = "where", value_name = "CONDITION")]
    pub condition: Option<String>,
}

/// `dmctl device create`
#[derive(Debug, Args)]
pub struct DeviceCreateArgs {
    /// Device id
    #[arg(value_name = "DEVICE")]
    pub device: String,
    /// Authenticate with self-signed X.509 certificates of these thumbprints instead of keys
    #[arg(long, value_name = "THUMBPRINT", num_args = 1..=2, value_delimiter = ',')]
    pub x509: Vec<String>,
    /// Register the device as disabled
    #[arg(long)]
    pub disabled: bool,
    /// Mark the device as an IoT Edge device
    #[arg(long)]
    pub edge: bool,
}

/// `dmctl device delete`
#[derive(Debug, Args)]
pub struct DeviceDeleteArgs {
    /// Device ids (more than one needs --yes)
    #[arg(value_name = "DEVICE", required = true)]
    pub devices: Vec<String>,
    /// Delete only if the identity's etag still matches
    #[arg(long)]
    pub etag: Option<String>,
}

/// `dmctl device enable|disable`
#[derive(Debug, Args)]
pub struct DeviceStatusArgs {
    /// The device: DEVICE or --device ID
    #[command(flatten)]
    pub device: DeviceIdArg,
    /// Why (stored as the device's status reason)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

/// Which key `device keys --regenerate` replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeySlot {
    /// The primary key.
    Primary,
    /// The secondary key.
    Secondary,
}

/// `dmctl device keys`
#[derive(Debug, Args)]
pub struct DeviceKeysArgs {
    /// The device: DEVICE or --device ID
    #[command(flatten)]
    pub device: DeviceIdArg,
    /// Replace this key with a new random one first
    #[arg(long, value_enum, value_name = "KEY")]
    pub regenerate: Option<KeySlot>,
}

/// `dmctl device connection-string`
#[derive(Debug, Args)]
pub struct DeviceConnectionStringArgs {
    /// The device: DEVICE or --device ID
    #[command(flatten)]
    pub device: DeviceIdArg,
    /// Use the secondary key
    #[arg(long)]
    pub secondary: bool,
    /// Add the gateway host devices open MQTT to (e.g. localhost:8883 for a local hub)
    #[arg(long, value_name = "HOST[:PORT]")]
    pub gateway: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// twin

/// `dmctl twin ...`
#[derive(Debug, Subcommand)]
pub enum TwinCommand {
    /// Show a device or module twin
    Show(TwinShowArgs),
    /// Patch desired properties and/or tags (one device or a fleet)
    #[command(
        after_help = "Examples:\n  dmctl twin patch sensor-1 --desired '{\"rate\": 10}'\n  dmctl twin patch --query \"tags.site = 'lab'\" --tags '{\"owner\": \"ops\"}' --yes\n  dmctl twin patch sensor-1 --desired '{\"old\": null}'   # null deletes a key"
    )]
    Patch(TwinPatchArgs),
    /// Replace a twin's desired properties and tags as a whole
    #[command(
        after_help = "Examples:\n  dmctl twin replace sensor-1 --twin @twin.json\n  dmctl twin replace sensor-1 --twin '{\"tags\": {}, \"properties\": {\"desired\": {\"rate\": 1}}}' --yes"
    )]
    Replace(TwinReplaceArgs),
    /// Compare desired with reported properties
    Diff(TwinDiffArgs),
    /// Print changes to a twin as they happen, until Ctrl-C
    Watch(TwinWatchArgs),
}

/// `dmctl twin show`
#[derive(Debug, Args)]
pub struct TwinShowArgs {
    /// The device: DEVICE or --device ID
    #[command(flatten)]
    pub device: DeviceIdArg,
    /// Module id (for a module twin)
    #[arg(long, value_name = "ID")]
    pub module: Option<String>,
}

/// `dmctl twin patch`
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("patch").required(true).multiple(true).args(["desired", "tags"])))]
pub struct TwinPatchArgs {
    /// Which devices
    #[command(flatten)]
    pub target: TargetArgs,
    /// Desired-properties patch: JSON, @FILE, or - for stdin (null deletes a key)
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub desired: Option<String>,
    /// Tags patch: JSON, @FILE, or - for stdin
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub tags: Option<String>,
    /// Apply only if the twin's etag still matches (one device only)
    #[arg(long)]
    pub etag: Option<String>,
}

/// `dmctl twin replace`
#[derive(Debug, Args)]
pub struct TwinReplaceArgs {
    /// The device: DEVICE or --device ID
    #[command(flatten)]
    pub device: DeviceIdArg,
    /// The new twin `{"tags": {...}, "properties": {"desired": {...}}}`: JSON, @FILE, or -
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub twin: String,
    /// Replace only if the twin's etag still matches
    #[arg(long)]
    pub etag: Option<String>,
}

/// `dmctl twin diff`
#[derive(Debug, Args)]
pub struct TwinDiffArgs {
    /// The device: DEVICE or --device ID
    #[command(flatten)]
    pub device: DeviceIdArg,
    /// Module id (for a module twin)
    #[arg(long, value_name = "ID")]
    pub module: Option<String>,
    /// Only properties under this dotted path, e.g. dm.reboot
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,
    /// Also list properties that are in sync
    #[arg(long)]
    pub all: bool,
    /// Exit 1 when a desired property differs from (or is not yet) reported, 0 when in sync
    #[arg(long)]
    pub exit_code: bool,
}

/// `dmctl twin watch`
#[derive(Debug, Args)]
pub struct TwinWatchArgs {
    /// The device: DEVICE or --device ID
    #[command(flatten)]
    pub device: DeviceIdArg,
    /// Module id (for a module twin)
    #[arg(long, value_name = "ID")]
    pub module: Option<String>,
    /// How often to read the twin
    #[arg(long, default_value = "2s", value_parser = parse_duration, value_name = "DURATION")]
    pub interval: Duration,
}

// ---------------------------------------------------------------------------------------------
// method

/// `dmctl method ...`
#[derive(Debug, Subcommand)]
pub enum MethodCommand {
    /// Invoke a direct method and print `{"status": ..., "payload": ...}`
    #[command(
        after_help = "Examples:\n  dmctl method invoke sensor-1 --name ping\n  dmctl method invoke sensor-1 --name setRate --payload '{\"rate\": 5}' --connect-timeout 60\n  dmctl method invoke --query \"tags.site = 'lab'\" --name ping --yes"
    )]
    Invoke(MethodInvokeArgs),
}

/// `dmctl method invoke`
#[derive(Debug, Args)]
pub struct MethodInvokeArgs {
    /// Which devices
    #[command(flatten)]
    pub target: TargetArgs,
    /// Method name
    #[arg(long, short = 'n', value_name = "NAME")]
    pub name: String,
    /// Payload: JSON, @FILE, or - for stdin (default: null)
    #[arg(long, short = 'p', value_name = "JSON|@FILE|-")]
    pub payload: Option<String>,
    /// Call a module's method instead of the device's
    #[arg(long, value_name = "ID")]
    pub module: Option<String>,
    /// Seconds the hub waits for the device's answer (5-300; default 30)
    #[arg(long, value_name = "SECONDS", value_parser = parse_response_timeout)]
    pub response_timeout: Option<u32>,
    /// Seconds the hub waits for the device to connect (0-300; default 0: must be online)
    #[arg(long, value_name = "SECONDS", value_parser = parse_connect_timeout)]
    pub connect_timeout: Option<u32>,
}

// ---------------------------------------------------------------------------------------------
// query

/// `dmctl query`
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query, e.g. "SELECT * FROM devices WHERE status = 'enabled'"
    #[arg(value_name = "QUERY")]
    pub query: String,
    /// Stop after this many items
    #[arg(long, value_name = "N", value_parser = whole::<usize>)]
    pub top: Option<usize>,
    /// Items per request (the hub caps it at 1000)
    #[arg(long, value_name = "N", value_parser = whole::<u32>)]
    pub page_size: Option<u32>,
}

// ---------------------------------------------------------------------------------------------
// rollout

/// `dmctl rollout ...`
#[derive(Debug, Subcommand)]
pub enum RolloutCommand {
    /// Plan and run a rollout of a typed command (after `--`) in waves
    #[command(after_long_help = ROLLOUT_EXAMPLE)]
    Start(RolloutStartArgs),
    /// Waves, counts per outcome, failures and what is next (from the devices' twin tags)
    Status(RolloutStatusArgs),
    /// The rollouts kept on this machine
    List,
    /// Hold the running rollout before its next wave
    Pause(RolloutNameArgs),
    /// Continue a paused rollout, or run an interrupted one from where its devices' tags say
    Resume(RolloutNameArgs),
    /// Start nothing more: devices not reached stay untouched
    Abort(RolloutNameArgs),
}

const ROLLOUT_EXAMPLE: &str = "Example:\n  dmctl rollout start web_2_1 --target \"WHERE tags.site = 'plant-4'\" \\\n      --canary 2 --waves 10%,50%,100% --bake 10m --max-failures 5% \\\n      --success \"properties.reported.dm.apps.web.version = '2.1.0'\" --yes \\\n      -- apps install web --url https://example.com/web.deb --sha256 HEX\n\n\
Each device's state is kept in its twin tags (tags.dmRollouts.NAME); the plan is kept in \
$XDG_STATE_HOME/dmctl/rollouts. Running the same start command again resumes the rollout; a \
different plan under the same name is refused.";

/// `dmctl rollout start`
#[derive(Debug, Args)]
pub struct RolloutStartArgs {
    /// Rollout name: letters, digits and '_' (it names the twin tag tags.dmRollouts.NAME)
    pub name: String,
    /// The devices: a query condition, e.g. "WHERE tags.site = 'plant-4'" ('*' for all)
    #[arg(long, value_name = "WHERE ...")]
    pub target: String,
    /// A first wave of this many devices (or share of them)
    #[arg(long, value_name = "N|P%")]
    pub canary: Option<rollout::spec::Amount>,
    /// Waves as cumulative shares of the target, e.g. 10%,25%,50%,100%
    #[arg(
        long,
        value_name = "P%,...",
        value_delimiter = ',',
        conflicts_with = "batch"
    )]
    pub waves: Vec<rollout::spec::Amount>,
    /// Waves of this many devices (or share of them) each
    #[arg(long, value_name = "N|P%")]
    pub batch: Option<rollout::spec::Amount>,
    /// Wait this long between waves, then check the finished waves' --success again
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", default_value = "0s")]
    pub bake: Duration,
    /// Stop when more devices than this have failed (a count, or a share of those started)
    #[arg(long, value_name = "N|P%", default_value = "0")]
    pub max_failures: rollout::spec::Amount,
    /// A device counts as succeeded only if it also matches this query condition, e.g.
    /// "properties.reported.dm.apps.web.version = '2.1.0'"
    #[arg(long, value_name = "CONDITION")]
    pub success: Option<String>,
    /// Start waves only in this window, e.g. "Sat 02:00-04:00 Europe/Paris"
    #[arg(long, value_name = "[DAYS] HH:MM-HH:MM [TZ]")]
    pub window: Option<String>,
    /// How many devices to work on at once
    #[arg(long, default_value_t = crate::fleet::DEFAULT_CONCURRENCY, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub concurrency: u16,
    /// How long one wave may take, waiting and busy retries included
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", default_value = "30m")]
    pub timeout: Duration,
    /// Print the waves, their devices and the exact call; send nothing
    #[arg(long)]
    pub dry_run: bool,
    /// The typed command to roll out, without a target, e.g. `-- reboot` or
    /// `-- apps install web --url URL --sha256 HEX`
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub operation: Vec<String>,
}

/// `dmctl rollout status`
#[derive(Debug, Args)]
pub struct RolloutStatusArgs {
    /// The rollout
    pub name: String,
    /// Refresh until the rollout ends
    #[arg(long)]
    pub watch: bool,
    /// Refresh interval with --watch
    #[arg(long, default_value = "2s", value_parser = parse_duration, value_name = "DURATION", requires = "watch")]
    pub interval: Duration,
}

/// A rollout by name.
#[derive(Debug, Args)]
pub struct RolloutNameArgs {
    /// The rollout
    pub name: String,
}

// ---------------------------------------------------------------------------------------------
// job

/// `dmctl job ...`
#[derive(Debug, Subcommand)]
pub enum JobCommand {
    /// Schedule a direct method or a twin update on the devices matching a condition
    #[command(
        after_help = "Examples:\n  dmctl job create --query \"tags.site = 'lab'\" --method reboot --wait --yes\n  dmctl job create --query \"deviceId = 'sensor-1'\" --desired '{\"rate\": 10}'\n  dmctl job create --query '*' --method ping --start 2026-03-01T02:00:00Z --yes"
    )]
    Create(JobCreateArgs),
    /// Show a job
    Show(JobIdArgs),
    /// List jobs
    List(JobListArgs),
    /// Cancel a job
    #[command(after_help = "Examples:\n  dmctl job cancel nightly-reboot")]
    Cancel(JobIdArgs),
    /// Wait until a job has finished
    Wait(JobWaitArgs),
}

/// `dmctl job create`
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("kind").required(true).args(["method", "desired", "tags"]).multiple(true)))]
pub struct JobCreateArgs {
    /// Job id (default: a new random id)
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// Devices: a query condition, e.g. "tags.site = 'lab'", or * for all
    #[arg(long = "query", value_name = "CONDITION")]
    pub condition: String,
    /// Invoke this direct method
    #[arg(long, value_name = "NAME", conflicts_with_all = ["desired", "tags"])]
    pub method: Option<String>,
    /// Method payload: JSON, @FILE, or -
    #[arg(long, value_name = "JSON|@FILE|-", requires = "method")]
    pub payload: Option<String>,
    /// Seconds each device has to answer the method (5-300)
    #[arg(long, value_name = "SECONDS", value_parser = parse_response_timeout, requires = "method")]
    pub response_timeout: Option<u32>,
    /// Seconds to wait for each device to connect (0-300)
    #[arg(long, value_name = "SECONDS", value_parser = parse_connect_timeout, requires = "method")]
    pub connect_timeout: Option<u32>,
    /// Patch desired properties: JSON, @FILE, or -
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub desired: Option<String>,
    /// Patch tags: JSON, @FILE, or -
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub tags: Option<String>,
    /// Start at this time (RFC 3339, e.g. 2026-03-01T02:00:00Z) instead of now
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub start: Option<jiff::Timestamp>,
    /// How long the job may run
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub max_execution_time: Option<Duration>,
    /// Wait until the job has finished
    #[arg(long)]
    pub wait: bool,
    /// Give up waiting after this long (with --wait)
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", requires = "wait")]
    pub timeout: Option<Duration>,
}

/// A job id.
#[derive(Debug, Args)]
pub struct JobIdArgs {
    /// Job id
    #[arg(value_name = "JOB")]
    pub job: String,
}

/// Job types `job list --type` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum JobKind {
    /// Direct-method jobs.
    Method,
    /// Twin-update jobs.
    Twin,
}

/// Job statuses `job list --status` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum JobStatusFilter {
    /// Waiting to run.
    Queued,
    /// Waiting for their start time.
    Scheduled,
    /// Running.
    Running,
    /// Finished.
    Completed,
    /// Failed.
    Failed,
    /// Cancelled.
    Cancelled,
}

/// `dmctl job list`
#[derive(Debug, Args)]
pub struct JobListArgs {
    /// Only jobs of this type
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub kind: Option<JobKind>,
    /// Only jobs in this state
    #[arg(long, value_enum)]
    pub status: Option<JobStatusFilter>,
}

/// `dmctl job wait`
#[derive(Debug, Args)]
pub struct JobWaitArgs {
    /// Job id
    #[arg(value_name = "JOB")]
    pub job: String,
    /// Give up after this long (exit 6)
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Option<Duration>,
}

// ---------------------------------------------------------------------------------------------
// config

/// `dmctl config ...`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Create a configuration: desired properties the hub writes to every matching device
    #[command(
        after_help = "Examples:\n  dmctl config create tz-paris --target-condition \"tags.site = 'paris'\" --desired dm.time.timeZone=Europe/Paris --wait\n  dmctl config create fw-2 --target-condition \"tags.ring = 0\" --priority 10 --content @content.json --metric updated=\"SELECT deviceId FROM devices WHERE properties.reported.fw.version = '2.0'\""
    )]
    Create(ConfigCreateArgs),
    /// List configurations with their targeted and applied counts
    List(ConfigListArgs),
    /// Show a configuration
    Show(ConfigIdArgs),
    /// Change a configuration's target condition, priority, labels or metrics (its content
    /// cannot change)
    Update(ConfigUpdateArgs),
    /// Delete a configuration (devices keep the desired values it wrote)
    Delete(ConfigIdArgs),
    /// Show a configuration's metrics: targeted, applied and custom counts
    Metrics(ConfigIdArgs),
    /// Show which devices the configuration in FILE would target and what their desired
    /// properties become, without writing anything
    #[command(after_help = "Examples:\n  dmctl config plan -f tz-paris.json")]
    Plan(ConfigFileArgs),
    /// Create or update the configuration in FILE, after showing its plan
    #[command(after_help = "Examples:\n  dmctl config apply -f tz-paris.json --yes --wait")]
    Apply(ConfigApplyArgs),
}

/// Waiting until a configuration is applied.
#[derive(Debug, Args)]
pub struct ConfigWaitArgs {
    /// Wait until every targeted device has the configuration applied
    #[arg(long)]
    pub wait: bool,
    /// Give up waiting after this long (exit 6; default 10m, a real hub evaluates every 5m)
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", requires = "wait")]
    pub timeout: Option<Duration>,
}

/// `dmctl config create`
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["desired", "content"])))]
pub struct ConfigCreateArgs {
    /// Configuration id: up to 128 lowercase letters, digits and -+%_*!'
    #[arg(value_name = "ID")]
    pub id: String,
    /// The devices: a query condition, e.g. "tags.site = 'lab'", or * for all
    #[arg(long, value_name = "CONDITION")]
    pub target_condition: String,
    /// Higher wins where configurations overlap (ties go to the newer one)
    #[arg(long, default_value_t = 0, value_name = "N", value_parser = clap::value_parser!(i32).range(0..))]
    pub priority: i32,
    /// A desired property to set: PATH=VALUE, PATH under properties.desired, VALUE as JSON
    /// or else as text (repeatable)
    #[arg(long, value_name = "PATH=VALUE", conflicts_with = "content")]
    pub desired: Vec<String>,
    /// The whole content: {"deviceContent": {"properties.desired.x": ...}} as JSON, @FILE or -
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub content: Option<String>,
    /// A label KEY=VALUE (repeatable)
    #[arg(long = "label", value_name = "KEY=VALUE")]
    pub labels: Vec<String>,
    /// A custom metric NAME=QUERY, e.g. done="SELECT deviceId FROM devices WHERE ..."
    /// (repeatable, at most 5)
    #[arg(long = "metric", value_name = "NAME=QUERY")]
    pub metrics: Vec<String>,
    /// Waiting
    #[command(flatten)]
    pub wait: ConfigWaitArgs,
}

/// `dmctl config list`
#[derive(Debug, Args)]
pub struct ConfigListArgs {
    /// At most this many
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub top: Option<u32>,
}

/// A configuration id.
#[derive(Debug, Args)]
pub struct ConfigIdArgs {
    /// Configuration id
    #[arg(value_name = "ID")]
    pub id: String,
}

/// `dmctl config update`
#[derive(Debug, Args)]
pub struct ConfigUpdateArgs {
    /// Configuration id
    #[arg(value_name = "ID")]
    pub id: String,
    /// A new target condition
    #[arg(long, value_name = "CONDITION")]
    pub target_condition: Option<String>,
    /// A new priority
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i32).range(0..))]
    pub priority: Option<i32>,
    /// Set a label KEY=VALUE (repeatable)
    #[arg(long = "label", value_name = "KEY=VALUE")]
    pub labels: Vec<String>,
    /// Remove a label (repeatable)
    #[arg(long = "remove-label", value_name = "KEY")]
    pub remove_labels: Vec<String>,
    /// Set a custom metric NAME=QUERY (repeatable)
    #[arg(long = "metric", value_name = "NAME=QUERY")]
    pub metrics: Vec<String>,
    /// Remove a custom metric (repeatable)
    #[arg(long = "remove-metric", value_name = "NAME")]
    pub remove_metrics: Vec<String>,
    /// Only if the configuration's etag is still this one
    #[arg(long, value_name = "ETAG")]
    pub etag: Option<String>,
    /// Waiting
    #[command(flatten)]
    pub wait: ConfigWaitArgs,
}

/// A configuration file.
#[derive(Debug, Args)]
pub struct ConfigFileArgs {
    /// The configuration as JSON: {"id", "targetCondition", "priority", "content", "labels",
    /// "metrics"} (- reads stdin)
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: String,
}

/// `dmctl config apply`
#[derive(Debug, Args)]
pub struct ConfigApplyArgs {
    /// The file
    #[command(flatten)]
    pub file: ConfigFileArgs,
    /// Waiting
    #[command(flatten)]
    pub wait: ConfigWaitArgs,
}

// ---------------------------------------------------------------------------------------------
// token

/// `dmctl token`
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Scope the token to this device (`{host}/devices/{id}`); the policy needs device-connect permission
    #[arg(long, short = 'd', value_name = "ID")]
    pub device: Option<String>,
    /// Scope the token to this module of the device
    #[arg(long, value_name = "ID", requires = "device")]
    pub module: Option<String>,
    /// How long the token is valid
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", default_value = "1h", conflicts_with = "expiry")]
    pub ttl: Duration,
    /// Expiry as Unix seconds instead of --ttl
    #[arg(long, value_name = "UNIX", value_parser = whole::<u64>)]
    pub expiry: Option<u64>,
}

// ---------------------------------------------------------------------------------------------
// hub

/// `dmctl hub ...`
#[derive(Debug, Subcommand)]
pub enum HubCommand {
    /// Run the local IoT Hub (HTTPS REST + MQTT) until Ctrl-C or SIGTERM
    Serve(HubServeArgs),
    /// Print a connection string for the local hub in a data directory (no server needed)
    ConnectionString(HubConnectionStringArgs),
    /// Print a SAS URI for a blob container of the local hub's own storage, for import/export
    /// jobs (`az iot hub device-identity export --bcu URI`) and storage clients
    #[command(
        after_help = "Examples:\n  az iot hub device-identity export --bcu \"$(dmctl hub container-sas backup)\" --login \"$CS\"\n  curl --cacert ca.pem -X PUT -H 'x-ms-blob-type: BlockBlob' --data-binary @devices.txt \"$(dmctl hub container-sas in --blob devices.txt)\""
    )]
    ContainerSas(HubContainerSasArgs),
}

/// `dmctl hub container-sas`
#[derive(Debug, Args)]
pub struct HubContainerSasArgs {
    /// Where and how
    #[command(flatten)]
    pub location: HubLocation,
    /// Container name (3-63 lowercase letters, digits and single hyphens)
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// Permissions the SAS grants, letters of `racwdl` (an export needs w, an import's input r)
    #[arg(long, default_value = "rwdl", value_name = "LETTERS")]
    pub permissions: String,
    /// How long the SAS stays valid
    #[arg(long, default_value = "24h", value_name = "DURATION", value_parser = parse_positive_duration)]
    pub ttl: Duration,
    /// Print the URI of this blob in the container instead of the container's
    #[arg(long, value_name = "NAME")]
    pub blob: Option<String>,
}

/// Where the local hub lives and how clients reach it (shared by `serve` and
/// `connection-string`).
#[derive(Debug, Args)]
pub struct HubLocation {
    /// Data directory (hub.db, ca.pem); default: the user's data dir, dmctl/hub (under sudo:
    /// the invoking user's)
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Host name clients use (in tokens and the server certificate) [default: the one the hub
    /// last served, else localhost]
    #[arg(long, value_name = "NAME")]
    pub hostname: Option<String>,
    /// HTTPS port (REST API and MQTT over WebSocket) [default: the one the hub last served,
    /// else 443]
    #[arg(long, value_name = "PORT", value_parser = whole::<u16>)]
    pub https_port: Option<u16>,
    /// MQTT over TLS port [default: the one the hub last served, else 8883]
    #[arg(long, value_name = "PORT", value_parser = whole::<u16>)]
    pub mqtt_port: Option<u16>,
}

/// `dmctl hub serve`
#[derive(Debug, Args)]
pub struct HubServeArgs {
    /// Where and how
    #[command(flatten)]
    pub location: HubLocation,
    /// Address to listen on (127.0.0.1 keeps the hub private to this machine)
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// Simulate the S1 tier's throttling (429 after a backlog)
    #[arg(long)]
    pub throttling: bool,
    /// Connections each listener holds at once; more wait until one closes
    #[arg(long, default_value_t = 16_384, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Start even if other users can enter the data directory (it holds every key)
    #[arg(long)]
    pub allow_insecure_permissions: bool,
    /// How often automatic device management configurations are evaluated (a real hub takes
    /// up to 5 minutes); a configuration change also starts a pass at once
    #[arg(long, default_value = "5s", value_name = "DURATION", value_parser = parse_positive_duration)]
    pub configuration_interval: Duration,
}

/// `dmctl hub connection-string`
#[derive(Debug, Args)]
pub struct HubConnectionStringArgs {
    /// Where and how
    #[command(flatten)]
    pub location: HubLocation,
    /// Shared access policy for a service connection string
    #[arg(
        long,
        default_value = "iothubowner",
        value_name = "NAME",
        conflicts_with = "device"
    )]
    pub policy: String,
    /// A device connection string instead (with the gateway host for MQTT)
    #[arg(long, value_name = "ID")]
    pub device: Option<String>,
    /// Register the device first if it does not exist
    #[arg(long, requires = "device")]
    pub create: bool,
}

// ---------------------------------------------------------------------------------------------
// profile

/// `dmctl profile ...`
#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Save a hub connection: the --hub string, or a local hub's data directory
    #[command(
        after_help = "Examples:\n  dmctl profile add prod --from-stdin --use < hub.txt\n  dmctl profile add local --data-dir ~/.local/share/dmctl/hub --host localhost:8443"
    )]
    Add(ProfileAddArgs),
    /// List saved profiles
    List,
    /// Make a profile the default
    #[command(after_help = "Examples:\n  dmctl profile use prod")]
    Use(ProfileNameArgs),
    /// Delete a profile
    #[command(after_help = "Examples:\n  dmctl profile remove old-lab")]
    Remove(ProfileNameArgs),
}

/// `dmctl profile add`
#[derive(Debug, Args)]
pub struct ProfileAddArgs {
    /// Profile name
    #[arg(value_name = "NAME")]
    pub name: String,
    /// A local hub's data directory: its CA is trusted and its connection string read at use
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Host name and port of the local hub (with --data-dir)
    #[arg(
        long,
        default_value = "localhost",
        value_name = "HOST[:PORT]",
        requires = "data_dir"
    )]
    pub host: String,
    /// Shared access policy of the local hub (with --data-dir)
    #[arg(
        long,
        default_value = "iothubowner",
        value_name = "NAME",
        requires = "data_dir"
    )]
    pub policy: String,
    /// Read the connection string from stdin (keeps it out of shell history)
    #[arg(long, conflicts_with = "data_dir")]
    pub from_stdin: bool,
    /// Make it the default profile
    #[arg(long = "use")]
    pub make_default: bool,
    /// Replace an existing profile of that name
    #[arg(long)]
    pub force: bool,
}

/// A profile name.
#[derive(Debug, Args)]
pub struct ProfileNameArgs {
    /// Profile name
    #[arg(value_name = "NAME")]
    pub name: String,
}

// ---------------------------------------------------------------------------------------------
// completions

/// `dmctl completions`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

// ---------------------------------------------------------------------------------------------
// value parsers

/// A duration that is not zero (an interval).
pub fn parse_positive_duration(text: &str) -> Result<Duration, String> {
    let d = parse_duration(text)?;
    if d.is_zero() {
        return Err("must be longer than zero".to_owned());
    }
    Ok(d)
}

/// A duration like `30s`, `5m`, `1h30m`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    humantime::parse_duration(text).map_err(|_| {
        format!(
            "'{text}' is not a duration: use seconds (90) or a duration such as 30s, 5m or 1h30m"
        )
    })
}

/// A whole number of type `T`, refused in words ("'ten' is not a whole number") rather than
/// with Rust's "invalid digit found in string".
pub fn whole<T: FromStr>(text: &str) -> Result<T, String> {
    text.trim()
        .parse::<T>()
        .map_err(|_| format!("'{text}' is not a whole number in the accepted range"))
}

/// A count between `min` and `max`, refused in words ("between 1 and 1000") rather than as a
/// Rust range.
pub fn count_between(text: &str, min: u32, max: u32) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!(
            "'{text}' is not a whole number between {min} and {max}"
        )),
    }
}

/// `--concurrency`: devices worked on at once (1 to 1000).
pub fn parse_concurrency(text: &str) -> Result<u16, String> {
    count_between(text, 1, 1000).map(|n| u16::try_from(n).unwrap_or(u16::MAX))
}

/// `simulate --count`: 1 to 1000 devices.
pub fn parse_simulated_count(text: &str) -> Result<u32, String> {
    count_between(text, 1, 1000)
}

/// `demo --devices`: 1 to 20 devices.
pub fn parse_demo_devices(text: &str) -> Result<u32, String> {
    count_between(text, 1, 20)
}

/// A point in time for `--start` and the like: RFC 3339 with a zone (`Z` or an offset).
pub fn parse_time(text: &str) -> Result<jiff::Timestamp, String> {
    text.trim().parse::<jiff::Timestamp>().map_err(|_| {
        format!(
            "'{text}' is not a time: use RFC 3339 with a zone, such as 2026-03-01T02:00:00Z \
             or 2026-03-01T03:00:00+01:00"
        )
    })
}

/// `--response-timeout`: whole seconds the hub allows a device to answer (5 to 300).
pub fn parse_response_timeout(text: &str) -> Result<u32, String> {
    seconds_between(text, 5, 300)
}

/// `--connect-timeout`: whole seconds the hub waits for a device to connect (0 to 300).
pub fn parse_connect_timeout(text: &str) -> Result<u32, String> {
    seconds_between(text, 0, 300)
}

fn seconds_between(text: &str, min: u32, max: u32) -> Result<u32, String> {
    let seconds = parse_seconds(text)?;
    if (min..=max).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(format!("must be between {min} and {max} seconds"))
    }
}

/// Whole seconds: a bare number or a duration like `30s`/`2m`.
pub fn parse_seconds(text: &str) -> Result<u32, String> {
    let duration = parse_duration(text)?;
    if duration.subsec_nanos() != 0 {
        return Err("must be whole seconds".to_owned());
    }
    u32::try_from(duration.as_secs()).map_err(|_| "is too large".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations_and_seconds_parse() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert!(parse_duration("soon").is_err());
        assert_eq!(parse_seconds("45"), Ok(45));
        assert_eq!(parse_seconds("2m"), Ok(120));
        assert!(parse_seconds("1500ms").is_err());
    }

    #[test]
    fn bad_values_are_explained_in_the_users_terms() {
        let err = parse_time("yesterday").unwrap_err();
        assert!(err.contains("'yesterday' is not a time"), "{err}");
        assert!(err.contains("2026-03-01T02:00:00Z"), "{err}");
        assert!(parse_time("2026-03-01T02:00:00Z").is_ok());
        assert_eq!(
            parse_response_timeout("1").unwrap_err(),
            "must be between 5 and 300 seconds"
        );
        assert_eq!(parse_response_timeout("1m"), Ok(60));
        assert_eq!(
            parse_connect_timeout("301").unwrap_err(),
            "must be between 0 and 300 seconds"
        );
        assert_eq!(parse_connect_timeout("0"), Ok(0));
        assert_eq!(
            parse_duration("soon").unwrap_err(),
            "'soon' is not a duration: use seconds (90) or a duration such as 30s, 5m or 1h30m"
        );
        assert_eq!(
            parse_concurrency("0").unwrap_err(),
            "'0' is not a whole number between 1 and 1000"
        );
        assert_eq!(parse_concurrency("32"), Ok(32));
        assert_eq!(
            whole::<usize>("ten").unwrap_err(),
            "'ten' is not a whole number in the accepted range"
        );
        assert_eq!(whole::<u16>("8883"), Ok(8883));
    }

    /// Every command that changes something, by its path under `dmctl`.
    const CHANGING: &[&str] = &[
        "device create",
        "device delete",
        "device enable",
        "device disable",
        "device keys",
        "twin patch",
        "twin replace",
        "method invoke",
        "job create",
        "job cancel",
        "reboot",
        "reboot schedule",
        "factory-reset",
        "apps install",
        "apps remove",
        "apps start",
        "apps stop",
        "apps restart",
        "apps enable",
        "apps disable",
        "updates policy",
        "updates approve",
        "updates scan",
        "updates install",
        "certs install",
        "certs remove",
        "time set",
        "wifi add",
        "wifi remove",
        "logs collect",
        "report-all",
        "agent update",
        "profile add",
        "profile use",
        "profile remove",
    ];

    fn find<'a>(root: &'a clap::Command, path: &str) -> &'a clap::Command {
        path.split(' ').fold(root, |cmd, name| {
            cmd.find_subcommand(name)
                .unwrap_or_else(|| panic!("no command {path}"))
        })
    }

    #[test]
    fn every_changing_command_has_examples_that_parse() {
        let root = Cli::command();
        for path in CHANGING {
            let cmd = find(&root, path);
            let help = cmd
                .get_after_help()
                .unwrap_or_else(|| panic!("`dmctl {path}` has no examples"))
                .to_string();
            assert!(help.starts_with("Examples:"), "{path}: {help}");
            for line in help.lines().skip(1) {
                // Shell redirections and comments are not arguments.
                let line = line.split(" #").next().unwrap_or(line);
                let line = line.split(" <").next().unwrap_or(line).trim();
                let words = shell_words(line);
                assert_eq!(words[0], "dmctl", "{path}: {line}");
                assert!(
                    words[1..].join(" ").starts_with(path),
                    "`dmctl {path}` shows an example of another command: {line}"
                );
                if let Err(e) = Cli::try_parse_from(&words) {
                    panic!("example of `dmctl {path}` does not parse: {line}\n{e}");
                }
            }
        }
    }

    /// Splits an example like a POSIX shell would (single and double quotes, `\"`).
    fn shell_words(line: &str) -> Vec<String> {
        let (mut words, mut word, mut quote, mut in_word) =
            (Vec::new(), String::new(), None, false);
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match (quote, c) {
                (None, ' ') => {
                    if in_word {
                        words.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                }
                (None, '\'' | '"') => {
                    quote = Some(c);
                    in_word = true;
                }
                (Some(q), c) if c == q => quote = None,
                (Some('"'), '\\') => word.extend(chars.next()),
                (_, c) => {
                    word.push(c);
                    in_word = true;
                }
            }
        }
        if in_word {
            words.push(word);
        }
        words
    }

    #[test]
    fn one_device_is_positional_or_device_but_not_both() {
        for args in [
            &["dmctl", "twin", "show", "sim-1"][..],
            &["dmctl", "twin", "show", "--device", "sim-1"],
            &["dmctl", "device", "show", "-d", "sim-1"],
            &["dmctl", "method", "invoke", "sim-1", "--name", "ping"],
            &["dmctl", "reboot", "sim-1"],
            &["dmctl", "apps", "start", "hello", "sim-1"],
        ] {
            Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        }
        for args in [
            &["dmctl", "twin", "show", "sim-1", "--device", "sim-2"][..],
            &[
                "dmctl", "method", "invoke", "sim-1", "-d", "sim-2", "--name", "ping",
            ],
            &["dmctl", "twin", "show"],
        ] {
            let err = Cli::try_parse_from(args).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{args:?}");
        }
        let cli = Cli::try_parse_from(["dmctl", "info", "sim-1"]).unwrap();
        let Command::Info(info) = cli.command else {
            panic!("not info")
        };
        assert_eq!(info.call.dm.target.single(), Some("sim-1"));
    }

    #[test]
    fn global_options_have_their_own_heading_in_every_commands_help() {
        for path in [
            "twin show",
            "twin patch",
            "reboot",
            "apps install",
            "job create",
        ] {
            // The help exactly as `dmctl PATH --help` prints it.
            let args = std::iter::once("dmctl")
                .chain(path.split(' '))
                .chain(["--help"]);
            let help = Cli::try_parse_from(args).unwrap_err().to_string();
            let global = help.find("Global options:").expect(path);
            let own = help.find("Options:").expect(path);
            assert!(own < global, "{path}:\n{help}");
            for flag in ["--hub", "--output", "--yes", "--quiet"] {
                let at = help.find(flag).unwrap_or_else(|| panic!("{path}: {flag}"));
                assert!(
                    at > global,
                    "`{path}` lists {flag} as its own option:\n{help}"
                );
            }
        }
    }

    #[test]
    fn secrets_do_not_debug_print() {
        let secret: Secret = "HostName=h;SharedAccessKeyName=p;SharedAccessKey=c2VjcmV0"
            .parse()
            .unwrap();
        assert!(!format!("{secret:?}").contains("c2VjcmV0"));
    }

    #[test]
    fn global_options_go_after_the_subcommand() {
        let cli =
            Cli::try_parse_from(["dmctl", "query", "SELECT * FROM devices", "-o", "json"]).unwrap();
        assert_eq!(cli.global.output, OutputFormat::Json);
    }
}
