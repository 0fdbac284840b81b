//! `clientele completions SHELL`: a completion script generated from the clap definitions.

use clap::CommandFactory;

use super::with_stdout;
use crate::cli::{Cli, CompletionsArgs};
use crate::error::Result;

pub fn run(args: &CompletionsArgs) -> Result<u8> {
    with_stdout(|out| {
        clap_complete::generate(args.shell, &mut Cli::command(), "clientele", out);
        Ok(())
    })?;
    Ok(0)
}
