//! `clientele due`: who needs a follow-up today (or within a window), why, and how to handle
//! them. Prints nothing at all when nothing is due, so cron mails nothing.

pub mod engine;
mod ics;

use std::collections::BTreeSet;

use chrono::{Datelike, Days, Months, NaiveDate};

use super::{Ctx, with_stdout};
use crate::error::{Error, Result, display_path};
use crate::model::value::{Span, parse_duration};
use crate::model::{Customer, Enumeration, Field, Grade, Lang};
use crate::render::{Cell, Column, Format};
use engine::{Calendar, DueEntry, Why};

/// `due`'s own options.
#[derive(Debug, clap::Args)]
pub struct DueArgs {
    /// Also list follow-ups due within this span after today (e.g. 7d, 2w, 1m)
    #[arg(long, value_name = "SPAN")]
    pub within: Option<String>,
    /// Only these owners' customers (repeatable)
    #[arg(long, value_name = "NAME")]
    pub owner: Vec<String>,
    /// Only these grades (e.g. A,B)
    #[arg(long, value_name = "GRADES", value_delimiter = ',')]
    pub grade: Vec<String>,
    /// Only follow-ups past their due date
    #[arg(long)]
    pub overdue: bool,
    /// At most this many entries
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Exit 1 when nothing is due
    #[arg(long)]
    pub exit_code: bool,
}

pub fn run(args: &DueArgs, ctx: &Ctx) -> Result<u8> {
    let today = ctx.ws.today;
    let until = match &args.within {
        None => today,
        Some(w) => match parse_duration(w)
            .map_err(|e| Error::Usage(format!("cannot read --within \"{w}\": {e}")))?
        {
            Span::Days(d) => today + Days::new(u64::from(d)),
            Span::Months(m) => today.checked_add_months(Months::new(m)).unwrap_or(today),
        },
    };
    let grades: BTreeSet<Grade> = args
        .grade
        .iter()
        .map(|g| {
            Grade::parse(g).ok_or_else(|| {
                Error::Usage(format!(
                    "unknown grade \"{g}\" (expected one of {})",
                    Grade::expected()
                ))
            })
        })
        .collect::<Result<_>>()?;
    let loaded = crate::cmd::until_exit(ctx.load()?);
    let (rules, book) = (&loaded.rules, &loaded.book);
    let cal = Calendar {
        holidays: &rules.holidays,
        weekend: &ctx.ws.weekend,
    };

    let started = std::time::Instant::now();
    let owner_matches = |c: &Customer| {
        args.owner.is_empty()
            || args
                .owner
                .iter()
                .any(|o| o.trim().eq_ignore_ascii_case(c.owner.trim()))
    };
    let entries: Vec<DueEntry> = crate::parallel::map_chunks(&book.customers, |start, chunk| {
        chunk
            .iter()
            .enumerate()
            .filter(|(_, c)| owner_matches(c))
            .filter_map(|(i, c)| engine::entry(c, start + i, rules, cal, today, until))
            .filter(|e| grades.is_empty() || grades.contains(&e.grade))
            .filter(|e| !args.overdue || e.due < today)
            .collect()
    });
    let order = crate::model::sort_by_key_then_id(
        &book.customers,
        entries.iter().map(|e| ((e.grade, e.due), e.customer)),
    );
    let mut slots: Vec<Option<DueEntry>> = entries.into_iter().map(Some).collect();
    let mut entries: Vec<DueEntry> = order.into_iter().filter_map(|i| slots[i].take()).collect();
    if let Some(n) = args.limit {
        entries.truncate(n);
    }
    super::timing("due entries", started);

    let uncovered: BTreeSet<i32> = entries
        .iter()
        .map(|e| e.due.year())
        .filter(|y| !rules.holidays.years.contains_key(y))
        .collect();
    if !uncovered.is_empty() {
        let file = rules.files.iter().find(|f| f.name == "holidays");
        let name = file.map_or("holidays.toml".to_string(), |f| {
            if f.builtin {
                "the built-in holidays.toml".to_string()
            } else {
                display_path(&f.path)
            }
        });
        let years: Vec<String> = uncovered.iter().map(i32::to_string).collect();
        eprintln!(
            "clientele: warning: {name} has no holidays for {}; due dates there skip only weekends",
            years.join(", ")
        );
    }
    if entries.is_empty() {
        return Ok(if args.exit_code { 1 } else { 0 });
    }
    let lang = ctx.lang;
    if ctx.format == Format::Ics {
        let text = ics::calendar(&entries, book, rules, lang, today);
        with_stdout(|out| out.write_all(text.as_bytes()))?;
        return Ok(0);
    }
    let columns = vec![
        Column::new("due", "Due", "应跟进"),
        Column::new("overdue_days", "Overdue", "逾期天数"),
        Column::new("id", "ID", "编号"),
        Column::new("name", "Name", "客户名称"),
        Column::new("owner", "Owner", "负责人"),
        Column::new("grade", "Grade", "等级"),
        Column::new("stage", "Stage", "阶段"),
        Column::new("type", "Type", "类型"),
        Column::new("reason", "Reason", "原因"),
        Column::new("strategy", "Strategy", "策略"),
        Column::new("late", "Late", "严重逾期"),
    ];
    let machine = ctx.format.is_machine();
    let row = |e: &DueEntry| {
        let c = &book.customers[e.customer];
        let overdue = (today - e.due).num_days();
        let overdue_cell = if overdue > 0 {
            Cell::Alert(Box::new(Cell::Int(overdue)))
        } else {
            Cell::Int(overdue)
        };
        let stage = c
            .stage
            .map(|s| if machine { s.id() } else { s.label(lang) })
            .unwrap_or_default();
        let type_name = if machine {
            &*c.kind
        } else {
            rules.type_label(&c.kind, lang).unwrap_or(&c.kind)
        };
        vec![
            Cell::Date(e.due),
            overdue_cell,
            Cell::text(&*c.id),
            Cell::text(&*c.name),
            Cell::text(&*c.owner),
            Cell::text(e.grade.id()),
            Cell::text(stage),
            Cell::text(type_name),
            Cell::text(reason(&e.why, e.grade, lang)),
            Cell::text(rules.strategy(&c.kind, lang).unwrap_or_default()),
            if e.late {
                Cell::Alert(Box::new(Cell::Bool(true)))
            } else {
                Cell::Bool(false)
            },
        ]
    };
    with_stdout(|out| {
        ctx.printer(out).rows_indexed(&columns, entries.len(), |i| {
            crate::model::warm_batch_at(&book.customers, &entries, i, |e| e.customer);
            row(&entries[i])
        })
    })?;
    Ok(0)
}

fn span_text(span: Span, lang: Lang) -> String {
    match (span, lang) {
        (Span::Days(d), Lang::En) => format!("{d} days"),
        (Span::Days(d), Lang::Zh) => format!("{d}天"),
        (Span::Months(m), Lang::En) => format!("{m} month{}", if m == 1 { "" } else { "s" }),
        (Span::Months(m), Lang::Zh) => format!("{m}个月"),
    }
}

/// The short phrase that says why a follow-up is due.
pub fn reason(why: &Why, grade: Grade, lang: Lang) -> String {
    let iso = |d: &NaiveDate| crate::model::value::iso(*d);
    match (why, lang) {
        (Why::NeverContacted, Lang::En) => "never contacted".into(),
        (Why::NeverContacted, Lang::Zh) => "从未联系".into(),
        (
            Why::Order {
                expected,
                lapsing: false,
            },
            Lang::En,
        ) => format!("A expected order {}", iso(expected)),
        (
            Why::Order {
                expected,
                lapsing: false,
            },
            Lang::Zh,
        ) => format!("A 预计下单 {}", iso(expected)),
        (
            Why::Order {
                expected,
                lapsing: true,
            },
            Lang::En,
        ) => format!("A lapsing, order expected {}", iso(expected)),
        (
            Why::Order {
                expected,
                lapsing: true,
            },
            Lang::Zh,
        ) => format!("A 流失预警，预计下单 {}", iso(expected)),
        (Why::Sample { anchor, step, of }, Lang::En) => {
            let what = if *anchor == Field::SampleReceived {
                "received"
            } else {
                "sample"
            };
            format!("{} {what} step {step}/{of}", grade.id())
        }
        (Why::Sample { anchor, step, of }, Lang::Zh) => {
            let what = if *anchor == Field::SampleReceived {
                "收样"
            } else {
                "索样"
            };
            format!("{} {what}第{step}/{of}步", grade.id())
        }
        (Why::Every { grade, span }, Lang::En) => {
            format!("{} every {}", grade.id(), span_text(*span, lang))
        }
        (Why::Every { grade, span }, Lang::Zh) => {
            format!("{} 每{}", grade.id(), span_text(*span, lang))
        }
        (Why::Purchase { expected }, Lang::En) => format!("purchase expected {}", iso(expected)),
        (Why::Purchase { expected }, Lang::Zh) => format!("预计采购 {}", iso(expected)),
        (Why::Birthday { on }, Lang::En) => format!("birthday {}", on.format("%m-%d")),
        (Why::Birthday { on }, Lang::Zh) => format!("生日 {}", on.format("%m-%d")),
    }
}
