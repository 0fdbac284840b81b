//! clientele: parse the command line, run the command, print the error, map it to an exit code.

use std::process::ExitCode;

use clap::Parser as _;
use clientele::{cli, error};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e)
            if !e.use_stderr()
                || e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
        {
            e.exit()
        }
        // Usage errors read like every other message: `clientele: error: ...`, exit 2; an
        // argument it quotes shows its control characters, never passes them on.
        Err(e) => {
            let text = e.render().to_string();
            eprint!("clientele: {}", clientele::visible::visible_lines(&text));
            return ExitCode::from(2);
        }
    };
    clientele::parallel::init();
    let result = cli::run(cli);
    clientele::stdin::remove_copies();
    match result {
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
