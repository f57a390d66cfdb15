//! The `joy` binary: parse arguments and hand over to the library.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = joy_kiosk::cli::Cli::parse();
    match joy_kiosk::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            // Errors can quote file contents: shown safely, like all text.
            eprintln!(
                "joy: {}",
                joy_kiosk::text::safe_for_terminal(&format!("{e:#}"))
            );
            ExitCode::from(2)
        }
    }
}
