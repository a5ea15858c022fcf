fn main() -> std::process::ExitCode {
    dm_agent::main()
}
