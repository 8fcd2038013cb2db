fn main() -> std::process::ExitCode {
    pipectl::main()
}
