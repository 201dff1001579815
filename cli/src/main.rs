//! `dynaschema`: see the crate documentation.

fn main() -> std::process::ExitCode {
    dynaschema_cli::run(std::env::args_os())
}
