//! The command line: its clap definition (global options usable before or after the
//! subcommand, one variant per subcommand, each command's own options in its file under
//! `cmd/`), and the dispatch of a parsed command line to its command.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::cmd::context::{Context, with_stdout};
use crate::cmd::{
    check, classify, due, export, init, log, plan, promote, report, rules, show, snooze, sql, tier,
};
use crate::error::{Error, Result};
use crate::model::Lang;
use crate::model::messages::commands::CmdMsg;
use crate::render::Format;
use crate::workspace::{Overrides, Workspace};

#[derive(Debug, Parser)]
#[command(
    name = "clientele",
    version,
    about = "Keeps a sales team's customer book honest: types, tiers, follow-ups, stages, reports.",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Run as if started in DIR
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub chdir: Option<PathBuf>,
    /// The customer book: a CSV file, a workbook (.xlsx, .xls, .ods), a TOML file, or a folder of TOML files
    #[arg(long, value_name = "PATH", global = true)]
    pub customers: Option<PathBuf>,
    /// The activity log (CSV)
    #[arg(long, value_name = "PATH", global = true)]
    pub activities: Option<PathBuf>,
    /// The rules folder (files missing there fall back to the built-in defaults)
    #[arg(long, value_name = "DIR", global = true)]
    pub rules: Option<PathBuf>,
    /// What "today" is, for reproducible runs
    #[arg(long, value_name = "DATE", env = "CLIENTELE_TODAY", global = true, value_parser = parse_today)]
    pub today: Option<NaiveDate>,
    /// Output format [default: table on a terminal, tsv otherwise]
    #[arg(long, value_enum, global = true)]
    pub format: Option<Format>,
    /// Language of labels in tables
    #[arg(long, value_enum, global = true)]
    pub lang: Option<LangArg>,
    /// When to colour tables
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Read the user's files in this encoding instead of detecting it (e.g. gbk, utf-8)
    #[arg(long, value_name = "NAME", global = true)]
    pub encoding: Option<String>,
    /// Print no warnings, only errors (for cron: a run with nothing to say mails nothing)
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// When csv and tsv print their header line (auto: above rows, nothing when there are none)
    #[arg(long, value_enum, value_name = "WHEN", global = true)]
    pub header: Option<crate::render::HeaderWhen>,
    /// No header line in csv and tsv (--header never)
    #[arg(long, global = true, conflicts_with = "header")]
    pub no_header: bool,
    /// The columns to show, in order, by their keys (the header line of --format csv),
    /// for every format; e.g. id,name,phone,reason
    #[arg(long, value_name = "LIST", value_delimiter = ',', global = true)]
    pub columns: Vec<String>,
    /// Show every column of a table and never cut a cell (the terminal may wrap it)
    #[arg(long, global = true)]
    pub wide: bool,
    /// CSV (or --format tsv) for Excel: a cell starting with = + - @ (a formula) gets a
    /// leading ', numbers stay numbers; UTF-8 with a byte-order mark, CRLF line ends
    #[arg(long, global = true)]
    pub excel: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Zh,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a workspace: clientele.toml, rules/, git files, and a sample book unless one is there
    #[command(
        after_help = "Examples:\n  clientele init sales          a new workspace with a sample book\n  cd 客户台账 && clientele init  around the book already there"
    )]
    Init(init::InitArgs),
    /// Validate config, rules, customers and log; list every problem; exit 1 if any
    #[command(after_help = "Examples:\n  clientele check\n  clientele check --lang zh")]
    Check,
    /// Follow-ups due today (or --within a span): who, why, and how to handle them
    #[command(
        after_help = "Examples:\n  clientele due                          today's list\n  clientele due --within 7d --owner 王芳   her week\n  clientele due --format ics > due.ics   calendar to-dos\n  clientele due --columns id,name,phone,reason"
    )]
    Due(due::DueArgs),
    /// Record a touch in the activity log
    #[command(
        after_help = "Examples:\n  clientele log KH001 call --note \"确认12月排产\"\n  clientele log KH002 order --amount 48900 --date 2026-11-12"
    )]
    Log(log::LogArgs),
    /// Type each customer (the nine types, or --set personality / buying) from traits and data
    #[command(
        after_help = "Examples:\n  clientele classify\n  clientele classify KH005 --explain\n  clientele classify --write --dry-run"
    )]
    Classify(classify::ClassifyArgs),
    /// Put customers into the tiers of a scheme (ABC, pyramid, grade, key, RFM, stars, relationship, …)
    #[command(
        after_help = "Examples:\n  clientele tier --scheme abc\n  clientele tier --scheme key KH001\n  clientele tier --scheme grade --write --field grade --dry-run"
    )]
    Tier(tier::TierArgs),
    /// Move stages through their gates (next stage, or --to); --auto applies every justified change
    #[command(
        after_help = "Examples:\n  clientele promote KH006 --dry-run --diff\n  clientele promote KH009 --to formal\n  clientele promote --auto"
    )]
    Promote(promote::PromoteArgs),
    /// The whole book at a glance: funnel, grades, types, ABC, workload, key customers, complaints; --html FILE
    #[command(
        after_help = "Examples:\n  clientele report\n  clientele report --section owners --format csv\n  clientele report --html report.html\n  clientele report --html - > report.html"
    )]
    Report(report::ReportArgs),
    /// One customer whole: the book's cells, the log, stage, type, intent and complaint advice, tiers, follow-ups
    #[command(
        after_help = "Examples:\n  clientele show KH005\n  clientele show KH005 --log 3 --format json"
    )]
    Show(show::ShowArgs),
    /// Agree a follow-up for a day, "call back on Tuesday" (writes next_contact, next_step)
    #[command(
        after_help = "Examples:\n  clientele plan KH012 周五 --note \"发新报价\"\n  clientele plan KH012 2026-12-08\n  clientele plan KH012 +2w\n  clientele plan KH012 --clear"
    )]
    Plan(plan::PlanArgs),
    /// No follow-up before DATE (writes snooze_until); --clear ends it
    #[command(
        after_help = "Examples:\n  clientele snooze KH009 2026-12-14\n  clientele snooze KH009 2w\n  clientele snooze KH009 --clear"
    )]
    Snooze(snooze::SnoozeArgs),
    /// Write the book and the log as typed tables (customers.csv, activities.csv) and schema.sql
    #[command(
        after_help = "Examples:\n  clientele export out                       UTF-8 CSV and DuckDB's CREATE TABLE\n  clientele export out --raw --dialect postgres"
    )]
    Export(export::ExportArgs),
    /// Print a job (tier, classify, due, report) compiled to SQL over the exported tables
    #[command(
        after_help = "Examples:\n  clientele sql tier --scheme abc\n  clientele sql tier --scheme rfm --dialect postgres --customers-table crm.customers\n  clientele sql due --within 1w --owner \"Li Wei\"\n  clientele sql report --section owners --dialect spark"
    )]
    Sql(sql::SqlArgs),
    /// Print the effective rules (a rule file by name, or the list of them)
    #[command(
        after_help = "Examples:\n  clientele rules\n  clientele rules cadence > cadence.new && mv cadence.new rules/cadence.toml"
    )]
    Rules(rules::RulesArgs),
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  clientele completions bash > ~/.local/share/bash-completion/completions/clientele"
    )]
    Completions(CompletionsArgs),
    /// Print the manual page (roff): clientele man > clientele.1
    #[command(
        after_help = "Examples:\n  clientele man > /usr/local/share/man/man1/clientele.1\n  clientele man | man -l -"
    )]
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The width a table fits: `COLUMNS` when set (also when the output is piped), else the
/// terminal's that stdout (or stderr, when stdout is piped) is; None when there is neither.
fn table_width() -> Option<u16> {
    let columns = std::env::var("COLUMNS").ok();
    if let Some(n) = columns
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|n| *n > 0)
    {
        return Some(n);
    }
    terminal_size::terminal_size_of(std::io::stdout())
        .or_else(|| terminal_size::terminal_size_of(std::io::stderr()))
        .map(|(terminal_size::Width(w), _)| w)
}

/// `--today`, read as every date is.
fn parse_today(text: &str) -> std::result::Result<NaiveDate, String> {
    crate::model::value::parse_date(text).map_err(|e| e.to_string())
}

/// Runs the command line; returns the exit code (0 success, 1 a negative answer).
pub fn run(cli: Cli) -> Result<u8> {
    let g = cli.global;
    crate::error::set_quiet(g.quiet);
    // The command line's language, else the locale's, until the configuration is read (and
    // for its own errors, and for the commands that need no workspace).
    let lang = g.lang.map(|l| match l {
        LangArg::En => Lang::En,
        LangArg::Zh => Lang::Zh,
    });
    crate::model::messages::set_lang(lang.unwrap_or_else(crate::workspace::lang_from_env));
    if let Some(dir) = &g.chdir {
        std::env::set_current_dir(dir).map_err(|e| Error::io(dir, e))?;
    }
    // Commands that need no workspace.
    match &cli.command {
        Command::Completions(args) => return completions(args),
        Command::Man => return man(),
        Command::Init(args) => return init::run(args, g.today),
        _ => {}
    }
    // `-`: standard input, copied once (only one of them can be).
    let dash = |p: &Option<PathBuf>| p.as_ref().is_some_and(|p| p.as_os_str() == "-");
    if dash(&g.customers) && dash(&g.activities) {
        return Err(Error::Usage(CmdMsg::BothStdin.to_string()));
    }
    let from_stdin = |p: &Option<PathBuf>, name: &str| -> Result<Option<PathBuf>> {
        if dash(p) {
            crate::stdin::copy(name)
                .map(Some)
                .map_err(|e| Error::io(Path::new("<stdin>"), e))
        } else {
            Ok(p.clone())
        }
    };
    let overrides = Overrides {
        customers: from_stdin(&g.customers, "customers.csv")?,
        activities: from_stdin(&g.activities, "activities.csv")?,
        rules: g.rules.clone(),
        today: g.today,
        lang,
        encoding: g.encoding.clone(),
    };
    let terminal = std::io::stdout().is_terminal();
    // `--excel` alone asks for csv.
    let format_explicit = g.format.is_some() || g.excel;
    let format = g.format.unwrap_or(if g.excel {
        Format::Csv
    } else if terminal {
        Format::Table
    } else {
        Format::Tsv
    });
    let color = match g.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        // NO_COLOR (no-color.org) wins; CLICOLOR_FORCE (bixense.com/clicolors) colours even
        // a pipe.
        ColorChoice::Auto => {
            let set =
                |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            !no_color && (terminal || set("CLICOLOR_FORCE"))
        }
    };
    let header = if g.no_header {
        crate::render::HeaderWhen::Never
    } else {
        g.header.unwrap_or_default()
    };
    let ctx = Workspace::discover(&overrides).map(|ws| {
        let mut ctx = Context::new(ws, format, format_explicit, color);
        ctx.header = header;
        ctx.width = if g.wide { None } else { table_width() };
        ctx.columns = g.columns.clone();
        ctx.excel = g.excel;
        crate::model::messages::set_lang(ctx.lang);
        ctx
    });
    let ctx = match ctx {
        // `check` lists a broken configuration as its problems; the others stop on it.
        Err(Error::Data(problems)) if matches!(cli.command, Command::Check) => {
            return check::report(&problems, None);
        }
        ctx => ctx?,
    };
    // A change an interrupted run left is finished (or undone) before anything reads the
    // book or the log, and said on stderr.
    crate::store::journal::recover(&ctx.ws.root)?;
    // After the configuration, to be said in its language.
    if format == Format::Ics && !matches!(cli.command, Command::Due(_)) {
        return Err(Error::Usage(CmdMsg::IcsOnlyForDue.to_string()));
    }
    if g.excel && !matches!(format, Format::Csv | Format::Tsv) {
        let format = format
            .to_possible_value()
            .map_or(String::new(), |v| v.get_name().to_string());
        return Err(Error::Usage(
            CmdMsg::ExcelOnlyCsv { format: &format }.to_string(),
        ));
    }
    let code = match cli.command {
        Command::Check => check::run(&ctx),
        Command::Due(args) => due::run(&args, &ctx),
        Command::Log(args) => log::run(&args, &ctx),
        Command::Tier(args) => tier::run(&args, &ctx),
        Command::Classify(args) => classify::run(&args, &ctx),
        Command::Promote(args) => promote::run(&args, &ctx),
        Command::Plan(args) => plan::run(&args, &ctx),
        Command::Show(args) => show::run(&args, &ctx),
        Command::Snooze(args) => snooze::run(&args, &ctx),
        Command::Report(args) => report::run(&args, &ctx),
        Command::Rules(args) => rules::run(&args, &ctx),
        Command::Export(args) => export::run(&args, &ctx),
        Command::Sql(args) => sql::run(&args, &ctx),
        Command::Completions(_) | Command::Init(_) | Command::Man => {
            unreachable!("handled above")
        }
    };
    // The process ends right after: freeing what the command loaded (a million customers'
    // strings, one by one) would take a tenth of a second for nothing.
    std::mem::forget(ctx);
    code
}

/// `clientele completions SHELL`: a completion script generated from the definition above.
/// The manual page, from the same definition as `--help`.
fn man() -> Result<u8> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| {
            let error = e.to_string();
            Error::Usage(CmdMsg::ManPage { error: &error }.to_string())
        })?;
    with_stdout(|out| out.write_all(&page))?;
    Ok(0)
}

fn completions(args: &CompletionsArgs) -> Result<u8> {
    // clap_complete panics when its writer fails; generate into memory, then write, so a
    // closed pipe is handled like anywhere else.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "clientele", &mut script);
    with_stdout(|out| out.write_all(&script))?;
    Ok(0)
}
