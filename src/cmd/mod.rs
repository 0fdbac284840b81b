//! The subcommands, one file each, and what they share: the resolved options and the loading
//! of rules, book and log.

mod change;
mod check;
pub mod classify;
mod completions;
pub mod due;
mod init;
pub mod log;
pub mod promote;
pub mod report;
mod rules;
pub mod snooze;
pub mod tier;

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::cli::{Cli, ColorChoice, Command, LangArg};
use crate::error::{Diagnostic, Error, Result, Severity};
use crate::model::Lang;
use crate::render::{Format, Printer};
use crate::rules::Rules;
use crate::store::log::LogSummary;
use crate::store::{Book, ReadOptions};
use crate::workspace::{Overrides, Workspace};

/// Everything a command needs besides its own arguments.
#[derive(Clone)]
pub struct Ctx {
    pub ws: Workspace,
    pub format: Format,
    /// Whether --format was given, or the format is the default for where stdout goes.
    pub format_explicit: bool,
    pub lang: Lang,
    pub color: bool,
}

/// The rules, the book and what the log added to it.
pub struct Loaded {
    pub rules: Rules,
    pub book: Book,
    pub log: LogSummary,
}

impl Ctx {
    pub fn rules(&self) -> Result<Rules> {
        Rules::load(self.ws.rules.as_deref(), self.ws.holidays.as_deref())
    }

    /// Loads rules, book and log, to write the book back. Data errors stop the command
    /// (exit 2); warnings are printed to stderr and the command goes on.
    pub fn load(&self) -> Result<Loaded> {
        self.load_as(Purpose::Write)
    }

    /// [`Ctx::load`] for `purpose`: to read only, the book cannot be written back.
    pub fn load_as(&self, purpose: Purpose) -> Result<Loaded> {
        let rules = self.rules()?;
        let (loaded, problems) = self.load_with(rules, purpose)?;
        stop_on_errors(problems)?;
        Ok(loaded)
    }

    /// Loads book and log with `rules`, returning every problem found beside the result.
    pub fn load_with(&self, rules: Rules, purpose: Purpose) -> Result<(Loaded, Vec<Diagnostic>)> {
        let opts = ReadOptions {
            columns: &self.ws.columns,
            encoding: self.ws.encoding,
        };
        let started = std::time::Instant::now();
        let (mut book, mut problems) = crate::store::read_book(&self.ws.customers, &rules, opts)?;
        if purpose != Purpose::Write {
            book.release_source();
        }
        timing("read book", started);
        let started = std::time::Instant::now();
        let since = match purpose {
            Purpose::ReadWithChanges(since) => Some(since),
            Purpose::Read | Purpose::Write => None,
        };
        let log = crate::store::log::fold_with_changes(
            &self.ws.activities,
            &mut book,
            (self.ws.today, since),
            self.ws.encoding,
            &mut problems,
        )?;
        timing("fold log", started);
        Ok((Loaded { rules, book, log }, problems))
    }

    /// A printer on stdout.
    pub fn printer<'w>(&self, out: &'w mut dyn Write) -> Printer<'w> {
        Printer {
            out,
            format: self.format,
            lang: self.lang,
            color: self.color,
        }
    }
}

/// What a command loads the book for: a command that only reads lets go of its source text
/// once read (see [`crate::store::Book::release_source`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Read,
    /// To read, keeping the log's stage and grade changes since this date (`report --since`)
    /// in [`Loaded::log`].
    ReadWithChanges(chrono::NaiveDate),
    Write,
}

/// Keeps a value until the process exits instead of freeing it: freeing a million
/// customers' strings one by one takes a tenth of a second at the end of a run, for nothing,
/// as the process is about to end. For what a command loads once.
pub fn until_exit<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

/// With `CLIENTELE_TIMINGS` set, prints how long a phase took on stderr (for profiling).
pub fn timing(phase: &str, started: std::time::Instant) {
    if std::env::var_os("CLIENTELE_TIMINGS").is_some() {
        // Resident memory where /proc tells it (the second field of statm, in pages).
        let rss = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map_or(String::new(), |pages| {
                format!(", resident {} MB", (pages * 4096) >> 20)
            });
        // Since the start: CPU time and minor page faults (fields 10, 14 and 15 of stat).
        let cpu = std::fs::read_to_string("/proc/self/stat")
            .ok()
            .and_then(|s| {
                let f: Vec<&str> = s.rsplit_once(')')?.1.split_whitespace().collect();
                let n = |i: usize| f.get(i)?.parse::<u64>().ok();
                Some(format!(
                    ", cpu {:.2} s, faults {}",
                    (n(11)? + n(12)?) as f64 / 100.0,
                    n(7)?
                ))
            })
            .unwrap_or_default();
        eprintln!(
            "clientele: timing: {phase}: {:.3} s{rss}{cpu}",
            started.elapsed().as_secs_f64()
        );
    }
}

/// Data errors stop a command (exit 2); warnings are printed and it goes on.
pub fn stop_on_errors(problems: Vec<Diagnostic>) -> Result<()> {
    let (errors, warnings): (Vec<_>, Vec<_>) = problems
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(Error::Data(errors));
    }
    print_warnings(&warnings);
    Ok(())
}

/// Prints warnings on stderr: the first few in full, then how many more.
fn print_warnings(warnings: &[Diagnostic]) {
    const SHOWN: usize = 3;
    for w in warnings.iter().take(SHOWN) {
        eprintln!("{w}");
    }
    if warnings.len() > SHOWN {
        eprintln!(
            "clientele: warning: {} more warnings; `clientele check` lists them all",
            warnings.len() - SHOWN
        );
    }
}

/// Runs the command line; returns the exit code (0 success, 1 a negative answer).
pub fn run(cli: Cli) -> Result<u8> {
    let g = cli.global;
    if let Some(dir) = &g.chdir {
        std::env::set_current_dir(dir).map_err(|e| Error::io(dir, e))?;
    }
    // Commands that need no workspace.
    match &cli.command {
        Command::Completions(args) => return completions::run(args),
        Command::Init(args) => return init::run(args, g.today.as_deref()),
        _ => {}
    }
    let overrides = Overrides {
        customers: g.customers.clone(),
        activities: g.activities.clone(),
        rules: g.rules.clone(),
        today: g.today.clone(),
        lang: g.lang.map(|l| match l {
            LangArg::En => Lang::En,
            LangArg::Zh => Lang::Zh,
        }),
        encoding: g.encoding.clone(),
    };
    let ws = Workspace::discover(&overrides);
    let terminal = std::io::stdout().is_terminal();
    let format_explicit = g.format.is_some();
    let format = g
        .format
        .unwrap_or(if terminal { Format::Table } else { Format::Tsv });
    let color = match g.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    if format == Format::Ics && !matches!(cli.command, Command::Due(_)) {
        return Err(Error::Usage("--format ics is only for `due`".into()));
    }
    // `check` lists a broken configuration as one of its problems; the others stop on it.
    let ws = match cli.command {
        Command::Check => return check::run(ws, format, color),
        _ => ws?,
    };
    let ctx = Ctx {
        lang: ws.lang,
        ws,
        format,
        format_explicit,
        color,
    };
    match cli.command {
        Command::Due(args) => due::run(&args, &ctx),
        Command::Log(args) => log::run(&args, &ctx),
        Command::Tier(args) => tier::run(&args, &ctx),
        Command::Classify(args) => classify::run(&args, &ctx),
        Command::Promote(args) => promote::run(&args, &ctx),
        Command::Snooze(args) => snooze::run(&args, &ctx),
        Command::Report(args) => report::run(&args, &ctx),
        Command::Rules(args) => rules::run(&args, &ctx),
        Command::Check | Command::Completions(_) | Command::Init(_) => {
            unreachable!("handled above")
        }
    }
}

/// Locks stdout behind a buffer; a closed pipe surfaces as an I/O error the caller maps to 0.
pub fn with_stdout(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    f(&mut out)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(Path::new("<stdout>"), e))
}
