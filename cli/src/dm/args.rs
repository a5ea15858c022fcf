//! Argument structs of the typed device-management commands, `simulate` and `demo`.
//!
//! Each struct mirrors one dm-contract request or desired section, with the contract's wire
//! names in the help text, so `--help` documents what will be sent. No value here is checked
//! beyond its syntax: the contract's own `validate()` runs on the built request, so `dmctl` and
//! the agent refuse exactly the same things with the same words.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};

use crate::args::{parse_connect_timeout, parse_duration, parse_response_timeout, parse_time};
use crate::fleet::TargetArgs;

/// Longest wait for `--wait` unless `--timeout` says otherwise: long enough for a reboot or a
/// package install, short enough that a script does not hang for good.
pub const DEFAULT_WAIT_TIMEOUT: &str = "10m";

/// Options every typed command takes: the target and `--dry-run`.
#[derive(Debug, Clone, Args)]
pub struct DmTarget {
    /// Which devices
    #[command(flatten)]
    pub target: TargetArgs,
    /// Print the exact request for each device and send nothing (the twin is still read to
    /// check the device's manifest)
    #[arg(long)]
    pub dry_run: bool,
    /// Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the
    /// fan-out, and each device's result is read from the job's devices.jobs rows
    #[arg(long, conflicts_with = "resume")]
    pub via_job: bool,
    /// With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z);
    /// dmctl returns once it is scheduled unless --wait is given
    #[arg(long, value_name = "TIME", requires = "via_job", value_parser = crate::args::parse_time)]
    pub start: Option<jiff::Timestamp>,
}

/// The hub's direct-method timeouts.
#[derive(Debug, Clone, Args)]
pub struct CallTimeouts {
    /// Seconds the hub waits for the device's answer (5-300)
    #[arg(long, value_name = "SECONDS", value_parser = parse_response_timeout, default_value = "30")]
    pub response_timeout: u32,
    /// Seconds the hub waits for the device to connect (0-300; 0: it must be online)
    #[arg(long, value_name = "SECONDS", value_parser = parse_connect_timeout, default_value = "0")]
    pub connect_timeout: u32,
}

/// `--wait` and its deadline.
#[derive(Debug, Clone, Args)]
pub struct WaitOptions {
    /// Follow the operation in the reported twin until it succeeds or fails
    #[arg(long)]
    pub wait: bool,
    /// Give up waiting after this long (exit 6)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration,
          default_value = DEFAULT_WAIT_TIMEOUT, requires = "wait")]
    pub timeout: Duration,
}

/// `--force` / `--postpone` of disruptive operations.
#[derive(Debug, Clone, Args)]
pub struct Disruption {
    /// Go ahead even if an application on the device holds a busy lease
    #[arg(long, conflicts_with = "postpone")]
    pub force: bool,
    /// If a busy lease is held, run when it ends instead of failing with "busy"
    #[arg(long)]
    pub postpone: bool,
}

// ---------------------------------------------------------------------------------------------
// reboot

/// `dmctl reboot`
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct RebootArgs {
    /// `reboot schedule`
    #[command(subcommand)]
    pub command: Option<RebootCommand>,
    /// Reboot now (or after --in / at --at)
    #[command(flatten)]
    pub now: RebootNowArgs,
}

/// `dmctl reboot schedule`
#[derive(Debug, Subcommand)]
pub enum RebootCommand {
    /// Set or clear scheduled reboots (desired.dm.reboot.schedule)
    #[command(
        after_help = "Examples:\n  dmctl reboot schedule sensor-1 --daily 03:00 --tz Europe/Paris\n  dmctl reboot schedule sensor-1 --single 2026-03-01T02:00:00Z\n  dmctl reboot schedule sensor-1 --clear"
    )]
    Schedule(RebootScheduleArgs),
}

/// `dmctl reboot [--in D | --at TIME]`
#[derive(Debug, Args)]
pub struct RebootNowArgs {
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Reboot after this delay (at most 1 day), e.g. 5m
    #[arg(long = "in", value_name = "DURATION", value_parser = parse_duration, conflicts_with = "at")]
    pub delay: Option<Duration>,
    /// Reboot at this time: RFC 3339 (2025-03-01T02:00:00Z) or HH:MM, the next such local time
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Why (audited, reported as reboot.lastRebootReason)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// --force / --postpone
    #[command(flatten)]
    pub disruption: Disruption,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
    /// --wait
    #[command(flatten)]
    pub wait: WaitOptions,
}

/// `dmctl reboot schedule`
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("schedule").required(true).multiple(true).args(["single", "daily", "clear"])))]
pub struct RebootScheduleArgs {
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Reboot once at this instant (RFC 3339, e.g. 2025-03-01T02:00:00Z)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub single: Option<jiff::Timestamp>,
    /// Reboot every day at this local time (HH:MM)
    #[arg(long, value_name = "HH:MM")]
    pub daily: Option<String>,
    /// Time zone of --daily (IANA name, e.g. Europe/Paris; default: the device's)
    #[arg(long = "tz", value_name = "ZONE", requires = "daily")]
    pub time_zone: Option<String>,
    /// Remove every scheduled reboot
    #[arg(long, conflicts_with_all = ["single", "daily"])]
    pub clear: bool,
    /// --wait
    #[command(flatten)]
    pub wait: WaitOptions,
}

// ---------------------------------------------------------------------------------------------
// factory-reset

/// `dmctl factory-reset`
#[derive(Debug, Args)]
pub struct FactoryResetArgs {
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// The device id again, to confirm without a prompt (with --yes; one device only)
    #[arg(long, value_name = "ID")]
    pub confirm: Option<String>,
    /// Also clear the TPM (identity keys held there are lost)
    #[arg(long)]
    pub clear_tpm: bool,
    /// Also erase application data
    #[arg(long)]
    pub wipe_data: bool,
    /// --force / --postpone
    #[command(flatten)]
    pub disruption: Disruption,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
    /// --wait
    #[command(flatten)]
    pub wait: WaitOptions,
}

// ---------------------------------------------------------------------------------------------
// apps

/// `dmctl apps`
#[derive(Debug, Args)]
pub struct AppsArgs {
    /// The apps command
    #[command(subcommand)]
    pub command: AppsCommand,
}

/// `dmctl apps ...`
#[derive(Debug, Subcommand)]
pub enum AppsCommand {
    /// List systemd units and OS packages (dm.apps.list)
    List(AppsListArgs),
    /// Install a package from a URL, checked by its SHA-256 (dm.apps.install)
    #[command(
        after_help = "Examples:\n  dmctl apps install hello sensor-1 --url https://example.com/hello_1.0_arm64.deb --sha256 HEX"
    )]
    Install(AppsInstallArgs),
    /// Stop and remove an app (dm.apps.remove)
    #[command(after_help = "Examples:\n  dmctl apps remove hello sensor-1 --wait")]
    Remove(AppsRemoveArgs),
    /// Start an app's unit (dm.apps.start)
    #[command(after_help = "Examples:\n  dmctl apps start hello sensor-1")]
    Start(AppArgs),
    /// Stop an app's unit (dm.apps.stop)
    #[command(after_help = "Examples:\n  dmctl apps stop hello sensor-1 --force")]
    Stop(AppDisruptArgs),
    /// Restart an app's unit (dm.apps.restart)
    #[command(
        after_help = "Examples:\n  dmctl apps restart hello --query \"tags.site = 'lab'\" --yes"
    )]
    Restart(AppDisruptArgs),
    /// Start an app at boot (dm.apps.enable)
    #[command(after_help = "Examples:\n  dmctl apps enable hello sensor-1")]
    Enable(AppArgs),
    /// Do not start an app at boot (dm.apps.disable)
    #[command(after_help = "Examples:\n  dmctl apps disable hello sensor-1")]
    Disable(AppArgs),
}

/// What `apps list --kind` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AppKindArg {
    /// systemd units
    Unit,
    /// OS packages
    Package,
}

/// `dmctl apps list`
#[derive(Debug, Args)]
pub struct AppsListArgs {
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Only units or only packages
    #[arg(long, value_enum)]
    pub kind: Option<AppKindArg>,
    /// Only names containing this text (case-insensitive)
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// At most this many entries (1-2000; default 500)
    #[arg(long, value_name = "N", value_parser = crate::args::whole::<u32>)]
    pub limit: Option<u32>,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
}

/// `dmctl apps install`
#[derive(Debug, Args)]
pub struct AppsInstallArgs {
    /// The app's name once installed (package and/or unit name)
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Where to download the package (https; http only where the device allows it; a signed
    /// URL's query is never printed)
    #[arg(long, value_name = "URL")]
    pub url: String,
    /// SHA-256 of the package file (64 hex digits)
    #[arg(long, value_name = "HEX")]
    pub sha256: String,
    /// Fail unless the installed package reports this version
    #[arg(long = "expect-version", value_name = "VERSION")]
    pub version: Option<String>,
    /// Do not enable the app's unit at boot
    #[arg(long)]
    pub no_enable: bool,
    /// Do not start the app's unit after installing
    #[arg(long)]
    pub no_start: bool,
    /// Install even when --expect-version is lower than the installed version (or cannot be
    /// compared with it)
    #[arg(long)]
    pub allow_downgrade: bool,
    /// The publisher's minisign signature of the package: a .minisig file, or its text (needed
    /// by devices that trust publisher keys)
    #[arg(long, value_name = "FILE|STRING")]
    pub signature: Option<String>,
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
    /// --wait
    #[command(flatten)]
    pub wait: WaitOptions,
}

/// `dmctl apps remove`
#[derive(Debug, Args)]
pub struct AppsRemoveArgs {
    /// The app to remove
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Also delete its configuration and data
    #[arg(long)]
    pub purge: bool,
    /// --force / --postpone
    #[command(flatten)]
    pub disruption: Disruption,
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
    /// --wait
    #[command(flatten)]
    pub wait: WaitOptions,
}

/// `dmctl apps start|enable|disable`
#[derive(Debug, Args)]
pub struct AppArgs {
    /// The app (package or unit name)
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
    /// --wait (start only: enable and disable answer at once)
    #[command(flatten)]
    pub wait: WaitOptions,
}

/// `dmctl apps stop|restart`
#[derive(Debug, Args)]
pub struct AppDisruptArgs {
    /// The app (package or unit name)
    #[arg(value_name = "NAME")]
    pub name: String,
    /// --force / --postpone
    #[command(flatten)]
    pub disruption: Disruption,
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
    /// --wait
    #[command(flatten)]
    pub wait: WaitOptions,
}

// ---------------------------------------------------------------------------------------------
// updates

/// `dmctl updates`
#[derive(Debug, Args)]
pub struct UpdatesArgs {
    /// The updates command
    #[command(subcommand)]
    pub command: UpdatesCommand,
}

/// `dmctl updates ...`
#[derive(Debug, Subcommand)]
pub enum UpdatesCommand {
    /// Show the update policy, the last scan and available updates (reported.dm.updates)
    Show(ShowArgs),
    /// Set the update policy (desired.dm.updates.policy)
    #[command(after_help = "Examples:\n  dmctl updates policy approved-only sensor-1")]
    Policy(UpdatesPolicyArgs),
    /// Approve packages for automatic install (desired.dm.updates.approved)
    #[command(
        after_help = "Examples:\n  dmctl updates approve openssl curl=8.5.0 --device sensor-1"
    )]
    Approve(UpdatesApproveArgs),
    /// Refresh the list of available updates (dm.updates.scan)
    #[command(after_help = "Examples:\n  dmctl updates scan sensor-1 --wait")]
    Scan(CallWaitArgs),
    /// Install updates now (dm.updates.install)
    #[command(
        after_help = "Examples:\n  dmctl updates install --device sensor-1 --reboot-if-required --wait\n  dmctl updates install openssl --device sensor-1"
    )]
    Install(UpdatesInstallArgs),
}

/// A command that only reads the twin.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Which devices
    #[command(flatten)]
    pub target: TargetArgs,
}

/// The update policies of `desired.dm.updates.policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyArg {
    /// Nothing automatic; only `updates install` installs
    Manual,
    /// Install approved packages automatically, in the maintenance window
    #[value(name = "approved-only", alias = "approvedOnly")]
    ApprovedOnly,
    /// Approved packages and all security updates
    Security,
    /// Everything available
    Automatic,
}

/// `dmctl updates policy`
#[derive(Debug, Args)]
pub struct UpdatesPolicyArgs {
    /// The policy
    #[arg(value_enum, value_name = "POLICY")]
    pub policy: PolicyArg,
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// --wait
    #[command(flatten)]
    pub wait: WaitOptions,
}

/// `dmctl updates approve`
#[derive(Debug, Args)]
// A positional DEVICE cannot follow any number of PACKAGEs: here the device is `--device`.
#[command(mut_arg("device", |a| a.hide(true).last(true)))]
pub struct UpdatesApproveArgs {
    /// Packages to approve: NAME or NAME=VERSION
    #[arg(value_name = "PACKAGE", required = true)]
    pub packages: Vec<String>,
    /// Make these the whole approved list instead of adding them
    #[arg(long)]
    pub replace: bool,
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// --wait
    #[command(flatten)]
    pub wait: WaitOptions,
}

/// A method with no arguments that may be waited on.
#[derive(Debug, Args)]
pub struct CallWaitArgs {
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
    /// --wait
    #[command(flatten)]
    pub wait: WaitOptions,
}

/// `dmctl updates install`
#[derive(Debug, Args)]
// A positional DEVICE cannot follow any number of PACKAGEs: here the device is `--device`.
#[command(mut_arg("device", |a| a.hide(true).last(true)))]
pub struct UpdatesInstallArgs {
    /// Packages (NAME or NAME=VERSION); none: what the policy allows
    #[arg(value_name = "PACKAGE")]
    pub packages: Vec<String>,
    /// Reboot afterwards when an update needs it
    #[arg(long)]
    pub reboot_if_required: bool,
    /// --force / --postpone
    #[command(flatten)]
    pub disruption: Disruption,
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
    /// --wait
    #[command(flatten)]
    pub wait: WaitOptions,
}

// ---------------------------------------------------------------------------------------------
// certs

/// `dmctl certs`
#[derive(Debug, Args)]
pub struct CertsArgs {
    /// The certs command
    #[command(subcommand)]
    pub command: CertsCommand,
}

/// `dmctl certs ...`
#[derive(Debug, Subcommand)]
pub enum CertsCommand {
    /// List certificates, including the OS's own CA bundle (dm.certificates.list)
    List(CertsListArgs),
    /// Install a CA or client certificate (dm.certificates.install)
    #[command(
        after_help = "Examples:\n  dmctl certs install sensor-1 --store trust --pem root-ca.pem"
    )]
    Install(CertsInstallArgs),
    /// Remove a certificate by thumbprint (dm.certificates.remove)
    #[command(after_help = "Examples:\n  dmctl certs remove AB:CD:...:EF sensor-1 --store trust")]
    Remove(CertRefArgs),
    /// Show one certificate with its PEM (dm.certificates.show)
    Show(CertRefArgs),
}

/// Certificate stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreArg {
    /// CA certificates the device trusts
    Trust,
    /// The device's own certificates, with their keys
    Client,
}

/// `dmctl certs list`
#[derive(Debug, Args)]
pub struct CertsListArgs {
    /// Only this store
    #[arg(long, value_enum)]
    pub store: Option<StoreArg>,
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
}

/// `dmctl certs install`
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["url", "pem"])))]
pub struct CertsInstallArgs {
    /// The store
    #[arg(long, value_enum)]
    pub store: StoreArg,
    /// Download the certificate from this URL (with --sha256)
    #[arg(long, value_name = "URL", requires = "sha256")]
    pub url: Option<String>,
    /// SHA-256 of the downloaded file
    #[arg(long, value_name = "HEX", requires = "url")]
    pub sha256: Option<String>,
    /// A PEM file to send inline ('-' reads stdin); for a client certificate, with its key
    #[arg(long, value_name = "FILE|-")]
    pub pem: Option<PathBuf>,
    /// The publisher's minisign signature of the certificate file (--url's file or the --pem
    /// file): a .minisig file, or its text (needed when the device trusts publisher keys)
    #[arg(long, value_name = "FILE|TEXT")]
    pub signature: Option<String>,
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
    /// --wait
    #[command(flatten)]
    pub wait: WaitOptions,
}

/// `dmctl certs remove|show`
#[derive(Debug, Args)]
pub struct CertRefArgs {
    /// SHA-256 thumbprint (64 hex digits, `AB:CD:…` accepted)
    #[arg(value_name = "THUMBPRINT")]
    pub thumbprint: String,
    /// The store
    #[arg(long, value_enum)]
    pub store: StoreArg,
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
}

// ---------------------------------------------------------------------------------------------
// time

/// `dmctl time`
#[derive(Debug, Args)]
pub struct TimeArgs {
    /// The time command
    #[command(subcommand)]
    pub command: TimeCommand,
}

/// `dmctl time ...`
#[derive(Debug, Subcommand)]
pub enum TimeCommand {
    /// The device's clock, time zone and NTP servers (dm.time.get)
    Show(CallArgs),
    /// Set the time zone and/or NTP servers (desired.dm.time)
    #[command(
        after_help = "Examples:\n  dmctl time set sensor-1 --tz Europe/Paris --wait\n  dmctl time set --query '*' --ntp pool.ntp.org --yes"
    )]
    Set(TimeSetArgs),
}

/// A method with no arguments.
#[derive(Debug, Args)]
pub struct CallArgs {
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
}

/// `dmctl time set`
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("settings").required(true).multiple(true).args(["time_zone", "ntp"])))]
pub struct TimeSetArgs {
    /// IANA time zone, e.g. Europe/Paris
    #[arg(long = "tz", value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// NTP server (repeat for several, in order of preference; replaces the list)
    #[arg(long, value_name = "HOST")]
    pub ntp: Vec<String>,
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// --wait
    #[command(flatten)]
    pub wait: WaitOptions,
}

// ---------------------------------------------------------------------------------------------
// wifi

/// `dmctl wifi`
#[derive(Debug, Args)]
pub struct WifiArgs {
    /// The wifi command
    #[command(subcommand)]
    pub command: WifiCommand,
}

/// `dmctl wifi ...`
#[derive(Debug, Subcommand)]
pub enum WifiCommand {
    /// List Wi-Fi profiles (dm.wifi.list)
    List(CallArgs),
    /// Add a profile, or replace the one with the same SSID (dm.wifi.add)
    #[command(
        after_help = "Examples:\n  dmctl wifi add office sensor-1 --passphrase-file office.psk"
    )]
    Add(WifiAddArgs),
    /// Remove profiles by id or SSID (dm.wifi.remove)
    #[command(after_help = "Examples:\n  dmctl wifi remove sensor-1 --ssid office")]
    Remove(WifiRemoveArgs),
}

/// Wi-Fi security modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SecurityArg {
    /// No encryption
    Open,
    /// WPA2 personal
    #[value(name = "wpa2-psk", alias = "wpa2Psk")]
    Wpa2Psk,
    /// WPA3 personal
    #[value(name = "wpa3-sae", alias = "wpa3Sae")]
    Wpa3Sae,
}

/// `dmctl wifi add`
#[derive(Debug, Args)]
pub struct WifiAddArgs {
    /// The network name
    #[arg(value_name = "SSID")]
    pub ssid: String,
    /// Security mode
    #[arg(long, value_enum, default_value = "wpa2-psk")]
    pub security: SecurityArg,
    /// Read the passphrase from FILE ('-': stdin); without it dmctl prompts on a terminal.
    /// It is never taken from the command line and never printed
    #[arg(long, value_name = "FILE|-")]
    pub passphrase_file: Option<PathBuf>,
    /// The network does not broadcast its SSID
    #[arg(long)]
    pub hidden: bool,
    /// Do not connect automatically
    #[arg(long)]
    pub no_auto_connect: bool,
    /// Preference among profiles (-999 to 999; higher wins)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::args::whole::<i32>)]
    pub priority: Option<i32>,
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
}

/// `dmctl wifi remove`
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["id", "ssid"])))]
pub struct WifiRemoveArgs {
    /// The profile id (see `wifi list`)
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// Every profile of this SSID
    #[arg(long, value_name = "SSID")]
    pub ssid: Option<String>,
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
}

// ---------------------------------------------------------------------------------------------
// logs

/// `dmctl logs`
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The logs command
    #[command(subcommand)]
    pub command: LogsCommand,
}

/// `dmctl logs ...`
#[derive(Debug, Subcommand)]
pub enum LogsCommand {
    /// Collect journal entries and log files (dm.diagnostics.collect)
    #[command(
        after_help = "Examples:\n  dmctl logs collect sensor-1 --since 1h --out sensor-1.log\n  dmctl logs collect sensor-1 --upload --wait"
    )]
    Collect(LogsCollectArgs),
}

/// `dmctl logs collect`
#[derive(Debug, Args)]
pub struct LogsCollectArgs {
    /// Only entries from this long ago on, e.g. 1h
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub since: Option<Duration>,
    /// Only this systemd unit's journal (repeat for several)
    #[arg(long = "unit", value_name = "UNIT")]
    pub units: Vec<String>,
    /// Also this log file or directory on the device (absolute; repeat for several)
    #[arg(long = "path", value_name = "PATH")]
    pub paths: Vec<String>,
    /// Leave the journal out (only --path files)
    #[arg(long, conflicts_with = "units")]
    pub no_journal: bool,
    /// Stop after this many bytes, newest kept (1024 to 67108864)
    #[arg(long, value_name = "BYTES", value_parser = crate::args::whole::<u32>)]
    pub max_bytes: Option<u32>,
    /// Always upload through the hub's file upload instead of answering inline
    #[arg(long)]
    pub upload: bool,
    /// Write the logs to FILE (one device) or to DIR/DEVICE.log (several); an upload is
    /// followed to its end and fetched from the local hub (DIR/DEVICE.tar.gz)
    #[arg(long, value_name = "FILE|DIR")]
    pub out: Option<PathBuf>,
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
    /// --wait (for uploads)
    #[command(flatten)]
    pub wait: WaitOptions,
}

// ---------------------------------------------------------------------------------------------
// agent

/// `dmctl agent`
#[derive(Debug, Args)]
pub struct AgentArgs {
    /// The agent command
    #[command(subcommand)]
    pub command: AgentCommand,
}

/// `dmctl agent ...`
#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// Replace the dm agent on the device with another version and restart it (dm.agent.update)
    #[command(
        after_help = "Examples:\n  dmctl agent update sensor-1 --url https://example.com/dm-agent --sha256 HEX --version 1.4.0 --wait"
    )]
    Update(AgentUpdateArgs),
}

/// `dmctl agent update`
#[derive(Debug, Args)]
pub struct AgentUpdateArgs {
    /// Where to download the new agent binary (https; http only where the device allows it; a
    /// signed URL's query is never printed)
    #[arg(long, value_name = "URL")]
    pub url: String,
    /// SHA-256 of the binary (64 hex digits)
    #[arg(long, value_name = "HEX")]
    pub sha256: String,
    /// The version the new binary reports for --version; the agent refuses any other, and
    /// --wait checks the device's manifest shows it
    #[arg(long, value_name = "VERSION")]
    pub version: String,
    /// Install even when --version is lower than the running agent's (or cannot be compared
    /// with it)
    #[arg(long)]
    pub allow_downgrade: bool,
    /// The publisher's minisign signature of the binary: a .minisig file, or its text (needed
    /// by devices that trust publisher keys)
    #[arg(long, value_name = "FILE|STRING")]
    pub signature: Option<String>,
    /// Target and --dry-run
    #[command(flatten)]
    pub dm: DmTarget,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
    /// --wait
    #[command(flatten)]
    pub wait: WaitOptions,
}

// ---------------------------------------------------------------------------------------------
// info, report-all, busy

/// `dmctl info`
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Target, --dry-run, timeouts
    #[command(flatten)]
    pub call: CallArgs,
}

/// `dmctl report-all`
#[derive(Debug, Args)]
pub struct ReportAllArgs {
    /// Target, --dry-run, timeouts
    #[command(flatten)]
    pub call: CallArgs,
}

/// `dmctl busy`
#[derive(Debug, Args)]
pub struct BusyArgs {
    /// The busy command
    #[command(subcommand)]
    pub command: BusyCommand,
}

/// `dmctl busy ...`
#[derive(Debug, Subcommand)]
pub enum BusyCommand {
    /// Busy leases held on the device now (reported.dm.busy)
    Show(ShowArgs),
}

// ---------------------------------------------------------------------------------------------
// simulate, demo

/// `dmctl simulate`
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// How many devices
    #[arg(long, short = 'n', default_value_t = 3, value_name = "N",
          value_parser = crate::args::parse_simulated_count)]
    pub count: u32,
    /// Device ids are PREFIX1, PREFIX2, ...
    #[arg(long, default_value = "sim-", value_name = "PREFIX")]
    pub prefix: String,
    /// Register devices that do not exist yet
    #[arg(long)]
    pub create: bool,
    /// Where the devices open MQTT when it is not the hub's host, e.g. localhost:8883 for a
    /// local hub whose HTTPS port is not 443
    #[arg(long, value_name = "HOST[:PORT]")]
    pub gateway: Option<String>,
    /// Where the simulated devices keep their sandboxes (default: a temporary directory)
    #[arg(long, value_name = "DIR")]
    pub sandbox_dir: Option<PathBuf>,
    /// Make PERCENT of the devices (the same ones every run, by a hash of their id) fail
    /// METHOD: the operation ends failed, or =409 answers busy, or =timeout never answers
    /// (repeatable), e.g. --fail dm.apps.install:10 --fail dm.reboot=409:5
    #[arg(long = "fail", value_name = "METHOD[=409|timeout]:PERCENT", value_parser = parse_fail_rule)]
    pub fail: Vec<crate::dm::simulation::FailRule>,
    /// Let the devices download artefacts over plain http (like `artifacts.allow_http` in
    /// dm-agent's configuration; default: https only)
    #[arg(long)]
    pub allow_http_artifacts: bool,
    /// A publisher key the devices trust (minisign public key `RW…` or raw Ed25519 key in
    /// base64; repeatable): artefacts then need a signature by one of them
    #[arg(long = "trusted-key", value_name = "KEY")]
    pub trusted_keys: Vec<String>,
}

/// Parses `--fail METHOD[=CODE]:PERCENT`.
pub fn parse_fail_rule(text: &str) -> Result<crate::dm::simulation::FailRule, String> {
    use crate::dm::simulation::{FailRule, InjectedFailure};
    let usage = || {
        format!(
            "'{text}': expected METHOD[=409|timeout]:PERCENT, e.g. dm.apps.install:10 or dm.reboot=409:5"
        )
    };
    let (head, percent) = text.rsplit_once(':').ok_or_else(usage)?;
    let percent: f64 = percent
        .trim()
        .trim_end_matches('%')
        .parse()
        .map_err(|_| usage())?;
    if !(0.0..=100.0).contains(&percent) {
        return Err(format!(
            "'{text}': the percentage must be between 0 and 100"
        ));
    }
    let (method, failure) = match head.split_once('=') {
        None => (head, InjectedFailure::Failed),
        Some((method, "409")) => (method, InjectedFailure::Busy),
        Some((method, "timeout")) => (method, InjectedFailure::Timeout),
        Some((_, other)) => {
            return Err(format!(
                "'{text}': unknown failure '{other}' (use =409 for busy or =timeout; without it the operation ends failed)"
            ));
        }
    };
    let name = if method.starts_with("dm.") {
        method.to_owned()
    } else {
        format!("dm.{method}")
    };
    let method = dm_contract::Method::from_name(&name)
        .map_err(|_| format!("'{text}': '{name}' is not a dm method"))?;
    Ok(FailRule {
        method: method.name().to_owned(),
        failure,
        percent,
    })
}

/// `dmctl demo`
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many simulated devices
    #[arg(long, default_value_t = 3, value_name = "N",
          value_parser = crate::args::parse_demo_devices)]
    pub devices: u32,
}

// ---------------------------------------------------------------------------------------------
// ops

/// `dmctl ops`
#[derive(Debug, Subcommand)]
pub enum OpsCommand {
    /// Every operation the agent reports, in every section (id, op, section, state, times, error)
    List(OpsListArgs),
    /// One operation's whole envelope
    Show(OpsShowArgs),
    /// Follow operations to their final state, sending nothing (exit codes as --wait)
    #[command(after_help = "Examples:\n  \
        dmctl ops wait --device sensor-1 20250301T100000Z-7f3b\n  \
        dmctl ops wait --devices-from not-finished.txt --timeout 30m\n  \
        dmctl ops wait --device sensor-1 --section time --desired-version 12")]
    Wait(OpsWaitArgs),
    /// Ask the agent to cancel a pending or postponed operation
    #[command(after_help = "Examples:\n  \
        dmctl ops cancel --device sensor-1 20250301T100000Z-7f3b\n\n\
        Only `pending` and `postponed` operations can be cancelled; one that is running or has \
        finished is reported as such (exit 8) and nothing is sent.")]
    Cancel(OpsCancelArgs),
}

impl OpsCommand {
    /// The devices the command works on.
    pub fn target(&self) -> &TargetArgs {
        match self {
            Self::List(args) => &args.target,
            Self::Show(args) => &args.target,
            Self::Wait(args) => &args.target,
            Self::Cancel(args) => &args.target,
        }
    }
}

/// `dmctl ops list`
#[derive(Debug, Args)]
pub struct OpsListArgs {
    /// Which devices
    #[command(flatten)]
    pub target: TargetArgs,
    /// Only this section's operations (e.g. reboot, apps, time)
    #[arg(long, value_name = "SECTION")]
    pub section: Option<String>,
    /// Only operations that have not finished (pending, running, postponed)
    #[arg(long)]
    pub unfinished: bool,
}

/// `dmctl ops show`
#[derive(Debug, Args)]
pub struct OpsShowArgs {
    /// The operation id (from the 202 answer, `--wait`'s messages or `ops list`)
    #[arg(value_name = "OP_ID")]
    pub operation: String,
    /// Which devices
    #[command(flatten)]
    pub target: TargetArgs,
}

/// `dmctl ops wait`
#[derive(Debug, Args)]
pub struct OpsWaitArgs {
    /// The operation id; without it, every operation not finished yet on each device
    #[arg(value_name = "OP_ID", conflicts_with = "desired_version")]
    pub operation: Option<String>,
    /// Which devices
    #[command(flatten)]
    pub target: TargetArgs,
    /// With --desired-version: the desired section whose change to follow
    #[arg(long, value_name = "SECTION", requires = "desired_version")]
    pub section: Option<String>,
    /// Follow the agent applying this desired $version of --section (what `--wait` follows
    /// after a desired-state change)
    #[arg(long, value_name = "VERSION", requires = "section")]
    pub desired_version: Option<u64>,
    /// Give up waiting after this long (exit 6)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration,
          default_value = DEFAULT_WAIT_TIMEOUT)]
    pub timeout: Duration,
}

/// `dmctl ops cancel`
#[derive(Debug, Args)]
pub struct OpsCancelArgs {
    /// The operation id
    #[arg(value_name = "OP_ID")]
    pub operation: String,
    /// Which devices
    #[command(flatten)]
    pub target: TargetArgs,
    /// Method timeouts
    #[command(flatten)]
    pub timeouts: CallTimeouts,
}
