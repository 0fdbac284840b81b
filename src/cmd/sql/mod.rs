//! `clientele sql JOB`: the workspace's effective rules and configuration compiled to one SQL
//! query whose rows are those of `clientele JOB --format csv` (same columns, same order,
//! every cell the text clientele prints), over the two tables `clientele export` writes.
//! For Spark, a setting its planner needs comes first ([`Dialect::preamble`]).
//!
//! The parts: `dialect.rs` holds every difference between the engines; `tables.rs` the
//! tables' columns; `expr.rs` compiles a condition of the rule language; `base.rs` writes
//! the view `c` of the customers with the fields the log derives; one file per job writes
//! the rest. "Today" is a literal (`--today`, `CLIENTELE_TODAY`, or the clock), never
//! `CURRENT_DATE`, so that a query run tomorrow answers for the day it was made.

pub mod base;
mod classify;
pub mod dialect;
mod due;
pub mod expr;
mod report;
pub mod tables;
mod tier;

use super::context::{Context, with_stdout};
use crate::error::{Error, Result};
use crate::model::messages::commands::CmdMsg;
use dialect::Dialect;

#[derive(Debug, clap::Args)]
pub struct SqlArgs {
    #[command(subcommand)]
    pub job: SqlJob,
    /// The SQL dialect
    #[arg(long, value_enum, default_value = "duckdb", global = true)]
    pub dialect: Dialect,
    /// The table that holds the customers, as `clientele export` writes them
    #[arg(long, value_name = "T", default_value = "customers", global = true)]
    pub customers_table: String,
    /// The table that holds the activity log, as `clientele export` writes it
    #[arg(long, value_name = "T", default_value = "activities", global = true)]
    pub activities_table: String,
}

/// The jobs compiled to SQL.
#[derive(Debug, clap::Subcommand)]
pub enum SqlJob {
    /// `clientele tier --scheme S`
    Tier {
        /// The scheme: abc, pyramid, grade, key, value3, rfm, stars, or one of your own
        #[arg(long, default_value = "abc")]
        scheme: String,
    },
    /// `clientele classify [--set S]` (its listing, not --explain)
    Classify {
        /// The type set: nine (default), personality, buying, or one of your own
        #[arg(long, value_name = "NAME")]
        set: Option<String>,
    },
    /// `clientele due` with its filters (`--columns` chooses the columns)
    Due {
        #[command(flatten)]
        args: crate::cmd::due::DueArgs,
    },
    /// `clientele report --section S [--since DATE]`
    Report {
        /// The one table: stages, grades, types, abc, owners, key_customers, lapsing,
        /// complaints, relationship, lost_reasons, changes
        #[arg(long, value_name = "NAME")]
        section: Option<String>,
        /// With --section changes: the stage and grade changes logged on or after this date
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
    },
}

pub fn run(args: &SqlArgs, ctx: &Context) -> Result<u8> {
    let rules = ctx.rules()?;
    let compiler = expr::Compiler {
        dialect: args.dialect,
        today: ctx.ws.today,
        traits: &rules.traits.traits,
        effective_grade: false,
    };
    let source = base::Source {
        dialect: args.dialect,
        customers: &args.customers_table,
        activities: &args.activities_table,
        today: ctx.ws.today,
        cluster_days: rules.cadence.order_cluster_days,
    };
    let rest = match &args.job {
        SqlJob::Tier { scheme } => tier::query(rules.scheme(scheme)?, &compiler)?,
        SqlJob::Classify { set } => {
            classify::query(rules.type_set(set.as_deref())?, &compiler, ctx.lang)?
        }
        SqlJob::Due { args: due_args } => {
            let filter = crate::cmd::due::Filter::of(due_args, ctx.ws.today)?;
            let columns = crate::cmd::due::chosen_columns(&ctx.columns, true, None)?;
            let job = due::Job {
                rules: &rules,
                filter: &filter,
                columns: &columns,
                limit: due_args.limit,
                weekend: &ctx.ws.weekend,
                activities: &args.activities_table,
                lang: ctx.lang,
            };
            due::query(&job, &compiler)?
        }
        SqlJob::Report { section, since } => {
            let since = crate::cmd::report::since(since.as_deref())?;
            let Some(section) = section else {
                return Err(Error::Usage(CmdMsg::SqlOneSection.to_string()));
            };
            // The workload counts every follow-up, whenever due, of every owner.
            let filter = crate::cmd::due::Filter::everything();
            let job = due::Job {
                rules: &rules,
                filter: &filter,
                columns: &[],
                limit: None,
                weekend: &ctx.ws.weekend,
                activities: &args.activities_table,
                lang: ctx.lang,
            };
            report::query(section, &compiler, &job, since)?
        }
    };
    let query = format!(
        "{}WITH\n{}{rest};\n",
        args.dialect.preamble(),
        source.ctes()
    );
    with_stdout(|out| out.write_all(query.as_bytes()))?;
    Ok(0)
}

#[cfg(test)]
mod tests;
