//! `clientele completions SHELL`: a completion script generated from the clap definitions.

use clap::CommandFactory;

use super::with_stdout;
use crate::cli::{Cli, CompletionsArgs};
use crate::error::Result;

pub fn run(args: &CompletionsArgs) -> Result<u8> {
    // clap_complete panics when its writer fails; generate into memory, then write, so a
    // closed pipe is handled like anywhere else.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "clientele", &mut script);
    with_stdout(|out| out.write_all(&script))?;
    Ok(0)
}
