//! `dmctl`, the operator CLI for device management through Azure IoT Hub.
//!
//! The binary is a thin `main.rs` calling [`main`]; everything else is this library, so tests
//! and other tools can reuse the pieces: [`args`] (the clap tree), [`printer`] (all output),
//! [`exit`] (exit codes and the error type), [`config`] (connection resolution and profiles),
//! [`fleet`] (running an operation on many devices) and the commands in `cmd` and `dm`.
//!
//! Start-up does no I/O beyond parsing the command line: the config file, the CA file and the
//! network are touched only by the commands that need them.

// Only `printer` writes to stdout; everything else goes through it.
#![warn(missing_docs, unreachable_pub, clippy::print_stdout)]

pub mod args;
pub mod audit;
pub mod cmd;
pub mod config;
pub mod context;
pub mod dashboard;
pub mod desired;
pub mod dm;
pub mod env_vars;
pub mod exit;
pub mod fleet;
pub mod interrupt;
pub mod journal;
pub mod parse;
pub mod printer;
pub mod rollout;

use std::io::Write as _;
use std::process::ExitCode;

use clap::CommandFactory as _;
use clap::parser::ValueSource;

use crate::args::{Cli, Command, HubCommand, TwinCommand};
use crate::config::{ConnectionInputs, Origin};
use crate::context::Context;
use crate::exit::{CliError, Exit};
use crate::printer::{Printer, Terminal, Verbosity};

pub use crate::cmd::completions::script as completion_script;

/// Entry point of the `dmctl` binary.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if parse::is_version_request(&args) {
        // clap's text, without building a command: as clap does, a closed stdout is ignored.
        let _ = std::io::stdout().write_all(parse::VERSION_TEXT.as_bytes());
        return Exit::Ok.into();
    }
    // A bug's panic message may carry what the failing code was handling: print it without
    // credentials (and not before `--version`, which has nothing to protect).
    iothub_auth::install_panic_hook("dmctl");
    let (cli, matches) = match parse::parse(args) {
        parse::Parsed::Run(cli, matches) => (*cli, matches),
        parse::Parsed::Clap(err) => return clap_exit(&err),
    };
    let origin = |id: &str| match matches.value_source(id) {
        Some(ValueSource::EnvVariable) => Origin::Env,
        _ => Origin::Flag,
    };
    let global = &cli.global;
    let inputs = ConnectionInputs {
        hub: global.hub.clone().map(|hub| (hub, origin("hub"))),
        profile: global.profile.clone().map(|p| (p, origin("profile"))),
        ca_file: global.ca_file.clone(),
        config_path: config::default_config_path(),
    };
    let verbosity = match (global.quiet, global.verbose) {
        (true, _) => Verbosity::Quiet,
        (false, 0) => Verbosity::Normal,
        (false, n) => Verbosity::Verbose(n),
    };
    init_logging(verbosity, &cli.command);
    let printer = Printer::new(
        global.output,
        verbosity,
        global.no_progress,
        Terminal::detect(),
    );
    let ctx = Context::new(printer, inputs, global.yes);

    let result = run(&ctx, cli.command);
    match result {
        Ok(exit) => exit.into(),
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => {
            ctx.printer.error(&err);
            err.exit().into()
        }
    }
}

/// Prints clap's own message (help, version or a usage error) and picks the exit code.
fn clap_exit(err: &clap::Error) -> ExitCode {
    if let Some((var, value, valid)) = bad_env_value(err) {
        // clap names the flag, but the user never typed it: the value came from the environment.
        let _ = writeln!(
            std::io::stderr(),
            "dmctl: environment variable {var}: invalid value '{value}'\nhint: use one of {valid}, or unset {var}"
        );
        return Exit::Usage.into();
    }
    if err.use_stderr() && json_requested() {
        // One JSON object, as for every other error with -o json.
        let text = err.render().to_string();
        // clap's message runs until the usage line; the last line says where to read more.
        let message = text
            .lines()
            .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let message = message.trim_start_matches("error: ").to_owned();
        let mut error = CliError::usage(message);
        if let Some(more) = text.lines().find(|l| l.starts_with("For more information")) {
            error = error.with_hint(more.to_owned());
        }
        let _ = writeln!(std::io::stderr(), "{}", error.to_json());
        return Exit::Usage.into();
    }
    // A closed stdout while printing help is not worth reporting.
    let _ = err.print();
    if err.use_stderr() {
        Exit::Usage.into()
    } else {
        Exit::Ok.into()
    }
}

/// Whether the command line (or `DMCTL_OUTPUT`) asked for JSON, for errors found before the
/// command line could be parsed.
fn json_requested() -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let is_json = |v: &str| matches!(v, "json" | "jsonl");
    let mut explicit = None;
    for (i, arg) in args.iter().enumerate() {
        if arg == "--" {
            break;
        }
        if let Some(v) = arg
            .strip_prefix("--output=")
            .or_else(|| arg.strip_prefix("-o="))
        {
            explicit = Some(is_json(v));
        } else if arg == "-o" || arg == "--output" {
            explicit = Some(args.get(i + 1).is_some_and(|v| is_json(v)));
        } else if let Some(v) = arg.strip_prefix("-o").filter(|v| !v.is_empty()) {
            explicit = Some(is_json(v));
        }
    }
    explicit.unwrap_or_else(|| std::env::var(env_vars::DMCTL_OUTPUT).is_ok_and(|v| is_json(&v)))
}

/// When a usage error is about a value that came from an environment variable (the flag was
/// not on the command line), the variable, its value and the accepted values.
fn bad_env_value(err: &clap::Error) -> Option<(&'static str, String, String)> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if err.kind() != ErrorKind::InvalidValue {
        return None;
    }
    let text = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg)?;
    let value = text(ContextKind::InvalidValue)?;
    let command = Cli::command();
    let (var, flag) = command
        .get_arguments()
        .filter_map(|a| Some((a.get_env()?.to_str()?, a.get_long()?)))
        .find(|(_, long)| arg.starts_with(&format!("--{long} ")) || arg == format!("--{long}"))?;
    let var: &'static str = [env_vars::DMCTL_OUTPUT]
        .into_iter()
        .find(|known| *known == var)?;
    if std::env::var(var).ok().as_deref() != Some(value.as_str()) {
        return None;
    }
    let valid = match err.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(values)) => values.join(", "),
        _ => format!("the values `dmctl --help` lists for --{flag}"),
    };
    Some((var, value, valid))
}

/// `tracing` to stderr: `DMCTL_LOG` if set, else by verbosity.
///
/// By default only dmctl's own messages reach stderr (through the printer): libraries (TLS
/// verification errors the printer explains better) and the in-process agents of `demo` and
/// `simulate` log only from `-v` on. The local hub's log is `hub serve`'s output, so it keeps
/// its info lines.
fn init_logging(verbosity: Verbosity, command: &Command) {
    let serve = matches!(command, Command::Hub(HubCommand::Serve(_)));
    let default = match verbosity {
        Verbosity::Quiet if serve => "error",
        Verbosity::Quiet => "off",
        Verbosity::Normal | Verbosity::Verbose(1) if serve => "warn,iothub_emulator=info",
        Verbosity::Normal => "dmctl=warn",
        Verbosity::Verbose(1) => "warn",
        Verbosity::Verbose(2) => "info,dmctl=debug,iothub_client=debug,iothub_tls=debug",
        Verbosity::Verbose(_) => "debug,dmctl=trace,iothub_client=trace,iothub_tls=trace",
    };
    let filter = match std::env::var(env_vars::DMCTL_LOG) {
        Ok(text) => tracing_subscriber::EnvFilter::try_new(&text).unwrap_or_else(|e| {
            let _ = writeln!(
                std::io::stderr(),
                "dmctl: warning: {}={text:?} is not a log filter ({e}); using the default",
                env_vars::DMCTL_LOG
            );
            tracing_subscriber::EnvFilter::new(default)
        }),
        Err(_) => tracing_subscriber::EnvFilter::new(default),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(Terminal::detect().stderr_tty)
        .try_init();
}

/// Runs a parsed command. Commands with no I/O to wait on run without a tokio runtime.
pub fn run(ctx: &Context, command: Command) -> Result<Exit, CliError> {
    match &command {
        Command::Token(args) => return cmd::token::run(args, ctx),
        Command::Completions(args) => return cmd::completions::run(args, &ctx.printer),
        Command::Profile(args) => return cmd::profile::run(args, &ctx.inputs, &ctx.printer),
        Command::Audit(args) => return audit::run(ctx, args),
        Command::Hub(HubCommand::ConnectionString(args)) => {
            return cmd::hub::connection_string(args, &ctx.printer);
        }
        Command::Hub(HubCommand::ContainerSas(args)) => {
            return cmd::hub::container_sas(args, &ctx.printer);
        }
        _ => {}
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failure(format!("cannot start the async runtime: {e}")))?;
    // These commands end on Ctrl-C by design and shut down cleanly themselves.
    let handles_interrupt = matches!(
        command,
        Command::Hub(HubCommand::Serve(_))
            | Command::Twin(TwinCommand::Watch(_))
            | Command::Simulate(_)
    );
    let result = runtime.block_on(async {
        // Boxed: the command futures together are large (clippy::large_futures); one
        // allocation per run.
        if handles_interrupt {
            Box::pin(run_async(ctx, command)).await
        } else {
            interrupt::listen();
            // Commands that follow operations or run on a fleet see the interrupt themselves
            // and say what was sent and how to resume; they are polled first and given a
            // moment, and any other command just stops.
            tokio::select! {
                biased;
                result = Box::pin(run_async(ctx, command)) => result,
                () = async {
                    interrupt::requested().await;
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                } => Err(CliError::new(Exit::Interrupted, "interrupted")),
            }
        }
    });
    // Do not wait for blocking reads (stdin) that will never finish.
    runtime.shutdown_background();
    result
}

async fn run_async(ctx: &Context, command: Command) -> Result<Exit, CliError> {
    match command {
        Command::Hub(HubCommand::Serve(args)) => cmd::hub::serve(&args, &ctx.printer).await,
        Command::Device(command) => cmd::device::run(ctx, &command).await,
        Command::Twin(command) => cmd::twin::run(ctx, &command).await,
        Command::Method(command) => cmd::method::run(ctx, &command).await,
        Command::Query(args) => cmd::query::run(ctx, &args).await,
        Command::Job(command) => cmd::job::run(ctx, &command).await,
        Command::Config(command) => cmd::config::run(ctx, &command).await,
        Command::Rollout(command) => rollout::command::run(ctx, command).await,

        Command::Status(args) => cmd::status::run(ctx, &args).await,
        Command::Dashboard(args) => dashboard::run(ctx, &args).await,
        Command::Plan(args) => desired::plan(ctx, &args).await,
        Command::Apply(args) => desired::apply(ctx, &args).await,
        Command::Wait(args) => desired::wait::run(ctx, &args).await,
        // Run before the runtime starts; never reach here.
        Command::Token(_)
        | Command::Completions(_)
        | Command::Profile(_)
        | Command::Audit(_)
        | Command::Hub(HubCommand::ConnectionString(_) | HubCommand::ContainerSas(_)) => {
            Ok(Exit::Ok)
        }
        // Everything else is a typed device-management command, `simulate` or `demo`.
        command => Box::pin(dm::run(ctx, command)).await,
    }
}
