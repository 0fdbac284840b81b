//! `clientele report`: the whole book at a glance — the stage funnel, grades, types and ABC
//! classes, the 80/20 check, follow-up workload per owner, key and lapsing customers, and
//! recent stage and grade changes; as tables, markdown, JSON, or one HTML page.

mod figures;
mod html;
mod tables;

use super::context::{Context, with_stdout};
use super::due::engine::Calendar;
use crate::error::{Error, Result};
use crate::model::messages::commands::{CmdMsg, What};
use crate::render::Format;
use crate::rules::expr::Env;

pub use figures::{BelowTarget, GroupRow, LostReason, Named, OwnerRow, Report, StageRow, build};
pub use tables::{json, tables};

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Also list stage and grade changes logged on or after this date
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// With --format csv or tsv: the one table to print (stages, grades, types, abc, owners, key_customers, lapsing, complaints, relationship, lost_reasons, changes)
    #[arg(long, value_name = "NAME")]
    pub section: Option<String>,
    /// Write the report as one self-contained HTML page with SVG charts (`-`: to stdout)
    #[arg(long, value_name = "FILE")]
    pub html: Option<std::path::PathBuf>,
}

/// The report's sections, in its order (`report --section`, `sql report --section`).
pub const SECTIONS: [&str; 11] = [
    "stages",
    "grades",
    "types",
    "abc",
    "owners",
    "key_customers",
    "lapsing",
    "complaints",
    "relationship",
    "lost_reasons",
    "changes",
];

/// The sections the whole report leaves out when they have no row.
pub const OMITTED_WHEN_EMPTY: [&str; 3] = ["complaints", "relationship", "lost_reasons"];

/// The date `--since` gives.
pub fn since(text: Option<&str>) -> Result<Option<chrono::NaiveDate>> {
    text.map(|s| {
        crate::model::value::parse_date(s).map_err(|e| {
            let error = e.to_string();
            Error::Usage(
                CmdMsg::CannotRead {
                    option: "--since",
                    text: s,
                    error: &error,
                }
                .to_string(),
            )
        })
    })
    .transpose()
}

pub fn run(args: &ReportArgs, ctx: &Context) -> Result<u8> {
    let since = since(args.since.as_deref())?;
    // Piped without --format (the default there is tsv), the whole report is markdown, as
    // documented; asked for csv or tsv, it is one section.
    let format = match ctx.format {
        Format::Csv | Format::Tsv if !ctx.format_explicit && args.section.is_none() => {
            Format::Markdown
        }
        f => f,
    };
    if matches!(format, Format::Csv | Format::Tsv) && args.section.is_none() && args.html.is_none()
    {
        return Err(Error::Usage(CmdMsg::OneTable.to_string()));
    }
    // The changes come with the log's fold, in the same pass.
    let purpose = since.map_or(
        crate::cmd::Purpose::Read,
        crate::cmd::Purpose::ReadWithChanges,
    );
    let loaded = ctx.load(purpose)?;
    if let Some(path) = args.html.as_deref().filter(|p| p.as_os_str() != "-") {
        refuse_own_file("--html", path, ctx, &loaded.rules)?;
    }
    let changes = loaded.log.changes.clone();
    let (rules, book) = (&loaded.rules, &loaded.book);
    // Revenue is in the grades, types and ABC tables only.
    if args
        .section
        .as_deref()
        .is_none_or(|s| matches!(s, "grades" | "types" | "abc"))
    {
        super::needs::revenue(book);
    }
    let env = Env {
        today: ctx.ws.today,
        extra_columns: &book.extra_columns,
    };
    let cal = Calendar::new(rules, &ctx.ws.weekend, ctx.ws.today);
    let started = std::time::Instant::now();
    let report = build(&book.customers, rules, cal, &env, changes)?;
    crate::timing::phase("report: figures", started);
    let started = std::time::Instant::now();

    if let Some(path) = &args.html {
        let page = html::page(&report, ctx.lang, ctx.ws.today);
        // `--html -` writes the page to standard output, as tools take `-` for it.
        if path.as_os_str() == "-" {
            with_stdout(|out| out.write_all(page.as_bytes()))?;
        } else {
            crate::store::write::replace(path, page.as_bytes())?;
        }
        return Ok(0);
    }
    let machine = format.is_machine();
    let mut tables = tables(&report, ctx.lang, machine);
    if let Some(section) = &args.section {
        let Some(pos) = tables.iter().position(|(n, _)| n == section) else {
            let names: Vec<&str> = tables.iter().map(|(n, _)| *n).collect();
            return Err(Error::Usage(
                CmdMsg::UnknownName {
                    what: What::Section,
                    text: section,
                    known: &names.join(", "),
                }
                .to_string(),
            ));
        };
        tables = vec![tables.swap_remove(pos)];
    }
    if format == Format::Json && args.section.is_none() {
        let text = json(&report);
        with_stdout(|out| out.write_all(text.as_bytes()))?;
        crate::timing::phase("print", started);
        return Ok(0);
    }
    if since.is_none() {
        tables.retain(|(n, _)| *n != "changes" || args.section.is_some());
    }
    // The tables of what a book may not record (complaints, the relationship target, the
    // reasons for not buying) are left out of the whole report when they have no row.
    if args.section.is_none() {
        tables.retain(|(n, t)| !OMITTED_WHEN_EMPTY.contains(n) || !t.rows.is_empty());
    }
    with_stdout(|out| {
        let mut p = ctx.printer(out);
        p.format = format;
        for (k, (_, t)) in tables.iter().enumerate() {
            if k > 0 && !machine {
                writeln!(p.out)?;
            }
            p.table(t)?;
        }
        Ok(())
    })?;
    crate::timing::phase("print", started);
    Ok(0)
}

/// Refuses an output file that is one of the workspace's own: the book (a file of a folder
/// book, or the folder), the log, a rule file, clientele.toml. Compared as files, not as
/// spellings: `./customers.csv`, a symlink to it or a hard link are the book too.
fn refuse_own_file(
    option: &str,
    path: &std::path::Path,
    ctx: &Context,
    rules: &crate::rules::Rules,
) -> Result<()> {
    use crate::model::messages::commands::guard::{GuardMsg, Protected};
    use crate::store::write::{inside, same_file};
    let ws = &ctx.ws;
    let book = &ws.customers;
    let what = if same_file(path, book) {
        Some(Protected::Book)
    } else if book.is_dir() && inside(path, book) {
        Some(Protected::InBookFolder)
    } else if same_file(path, &ws.activities) {
        Some(Protected::Log)
    } else if rules
        .files
        .iter()
        .any(|f| !f.builtin && same_file(path, &f.path))
    {
        Some(Protected::RuleFile)
    } else if ws.config.as_deref().is_some_and(|c| same_file(path, c)) {
        Some(Protected::Config)
    } else {
        None
    };
    match what {
        Some(what) => Err(Error::Usage(
            GuardMsg::OutputIsInput {
                option,
                file: &crate::error::display_path(path),
                what,
            }
            .to_string(),
        )),
        None => Ok(()),
    }
}
