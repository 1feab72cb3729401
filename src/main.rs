fn main() -> std::process::ExitCode {
    lbplan::main().into()
}
