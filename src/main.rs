//! The `joy` binary: parse arguments and hand over to the library.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = joy_kiosk::cli::Cli::parse();
    match joy_kiosk::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("joy: {e:#}");
            ExitCode::from(2)
        }
    }
}
