//! The command line (clap derive): global options usable before or after the subcommand,
//! and one variant per subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::render::Format;

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
    /// The customer book: a CSV file, a TOML file, or a folder of TOML files
    #[arg(long, value_name = "PATH", global = true)]
    pub customers: Option<PathBuf>,
    /// The activity log (CSV)
    #[arg(long, value_name = "PATH", global = true)]
    pub activities: Option<PathBuf>,
    /// The rules folder (files missing there fall back to the built-in defaults)
    #[arg(long, value_name = "DIR", global = true)]
    pub rules: Option<PathBuf>,
    /// What "today" is, for reproducible runs
    #[arg(long, value_name = "DATE", env = "CLIENTELE_TODAY", global = true)]
    pub today: Option<String>,
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
    /// Write clientele.toml, rules/, a sample customers.csv and activities.csv
    Init(InitArgs),
    /// Validate config, rules, customers and log; list every problem; exit 1 if any
    Check,
    /// Follow-ups due today (or --within a span): who, why, and how to handle them
    Due(crate::cmd::due::DueArgs),
    /// Record a touch in the activity log
    Log(crate::cmd::log::LogArgs),
    /// Type each customer (the nine types, or --set personality / buying) from traits and data
    Classify(crate::cmd::classify::ClassifyArgs),
    /// Put customers into the tiers of a value scheme (ABC, pyramid, grade, key, value3, RFM, stars)
    Tier(crate::cmd::tier::TierArgs),
    /// Move stages through their gates (next stage, or --to); --auto applies every justified change
    Promote(crate::cmd::promote::PromoteArgs),
    /// The whole book at a glance: funnel, grades, types, ABC, workload, key customers; --html FILE
    Report(crate::cmd::report::ReportArgs),
    /// No follow-up before DATE (writes snooze_until)
    Snooze(crate::cmd::snooze::SnoozeArgs),
    /// Print the effective rules (a rule file by name, or the list of them)
    Rules(RulesArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the workspace
    #[arg(value_name = "DIR", default_value = ".")]
    pub target: PathBuf,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// traits, types, types-personality, types-buying, stages, cadence, tiers or holidays
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
