//! `cargo dynaschema ...`: cargo runs this with `dynaschema` as the first argument.

fn main() -> std::process::ExitCode {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "dynaschema") {
        args.remove(1);
    }
    dynaschema_cli::run(args)
}
