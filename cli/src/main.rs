fn main() -> std::process::ExitCode {
    dmctl::main()
}
