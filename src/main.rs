fn main() -> std::process::ExitCode {
    lbplan::cli::main().into()
}
