//! The `dm-agent` binary: everything is in the library (`dm_agent::cli`).

fn main() -> std::process::ExitCode {
    dm_agent::cli::main()
}
