//! clientele: parse the command line, run the command, print the error, map it to an exit code.

use std::process::ExitCode;

use clap::Parser;
use clientele::{cli, cmd, error};

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", e.render());
            ExitCode::from(2)
        }
    }
}
