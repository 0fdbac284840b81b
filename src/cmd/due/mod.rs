//! `clientele due`: who needs a follow-up today (or within a window), why, and how to handle
//! them. Prints nothing at all when nothing is due, so cron mails nothing.

pub mod engine;
mod ics;

use std::collections::BTreeSet;

use chrono::{Datelike, Days, Months, NaiveDate};
use rayon::prelude::*;

use super::context::{Context, with_stdout};
use crate::error::{Error, Result, display_path};
use crate::model::value::{Span, parse_duration};
use crate::model::{Customer, Enumeration, Field, Grade, Lang};
use crate::render::{Cell, Column, Format};
use crate::rules::Rules;
use crate::rules::expr::Env;
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

/// Which follow-ups a listing shows: due on or before `until`, of these owners and grades
/// (all when empty), only the overdue ones.
pub struct Filter {
    pub until: NaiveDate,
    pub owners: Vec<String>,
    pub grades: BTreeSet<Grade>,
    pub overdue: bool,
}

impl Filter {
    /// The filter `due`'s options ask for.
    fn of(args: &DueArgs, today: NaiveDate) -> Result<Filter> {
        let until = match &args.within {
            None => today,
            Some(w) => match parse_duration(w)
                .map_err(|e| Error::Usage(format!("cannot read --within \"{w}\": {e}")))?
            {
                Span::Days(d) => today + Days::new(u64::from(d)),
                Span::Months(m) => today.checked_add_months(Months::new(m)).unwrap_or(today),
            },
        };
        let grades = args
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
        Ok(Filter {
            until,
            owners: args.owner.clone(),
            grades,
            overdue: args.overdue,
        })
    }

    fn owner_matches(&self, c: &Customer) -> bool {
        self.owners.is_empty()
            || self
                .owners
                .iter()
                .any(|o| o.trim().eq_ignore_ascii_case(c.owner.trim()))
    }
}

/// The follow-ups of the book that `filter` shows, by grade, then date, then id: pure, from
/// the customers, the rules, the calendar and today (in `env`).
pub fn entries(
    customers: &[Customer],
    rules: &Rules,
    cal: Calendar<'_>,
    env: &Env<'_>,
    filter: &Filter,
) -> Vec<DueEntry> {
    let today = env.today;
    let entries: Vec<DueEntry> = customers
        .par_iter()
        .enumerate()
        .filter(|(_, c)| filter.owner_matches(c))
        .filter_map(|(i, c)| engine::entry(c, i, rules, cal, env, filter.until))
        .filter(|e| filter.grades.is_empty() || filter.grades.contains(&e.grade))
        .filter(|e| !filter.overdue || e.due < today)
        .collect();
    crate::model::sorted_by_key_then_id(customers, entries, |e| ((e.grade, e.due), e.customer))
}

pub fn run(args: &DueArgs, ctx: &Context) -> Result<u8> {
    let today = ctx.ws.today;
    let filter = Filter::of(args, today)?;
    let loaded = ctx.load(crate::cmd::Purpose::Read)?;
    let (rules, book) = (&loaded.rules, &loaded.book);
    super::needs::last_contact(book);
    let cal = Calendar {
        holidays: &rules.holidays,
        weekend: &ctx.ws.weekend,
    };
    let env = Env {
        today,
        extra_columns: &book.extra_columns,
    };
    let started = std::time::Instant::now();
    let mut entries = entries(&book.customers, rules, cal, &env, &filter);
    if let Some(n) = args.limit {
        entries.truncate(n);
    }
    crate::timing::phase("due entries", started);
    warn_of_years_without_holidays(&entries, rules);
    if entries.is_empty() {
        return Ok(if args.exit_code { 1 } else { 0 });
    }
    if ctx.format == Format::Ics {
        let text = ics::calendar(&entries, book, rules, ctx.lang, today);
        with_stdout(|out| out.write_all(text.as_bytes()))?;
        return Ok(0);
    }
    let started = std::time::Instant::now();
    print(&entries, &book.customers, rules, ctx)?;
    crate::timing::phase("print", started);
    Ok(0)
}

/// One warning on stderr for the years of due dates the holidays file does not cover.
fn warn_of_years_without_holidays(entries: &[DueEntry], rules: &Rules) {
    let uncovered: BTreeSet<i32> = entries
        .iter()
        .map(|e| e.due.year())
        .filter(|y| !rules.holidays.years.contains_key(y))
        .collect();
    if uncovered.is_empty() {
        return;
    }
    let file = rules.files.iter().find(|f| f.name == "holidays");
    let name = file.map_or("holidays.toml".to_string(), |f| {
        if f.builtin {
            "the built-in holidays.toml".to_string()
        } else {
            display_path(&f.path)
        }
    });
    let years: Vec<String> = uncovered.iter().map(i32::to_string).collect();
    crate::error::warn(format!(
        "{name} has no holidays for {}; due dates there skip only weekends",
        years.join(", ")
    ));
}

/// Prints the listing, a row per follow-up.
fn print(entries: &[DueEntry], customers: &[Customer], rules: &Rules, ctx: &Context) -> Result<()> {
    let (today, lang) = (ctx.ws.today, ctx.lang);
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
        let c = &customers[e.customer];
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
        [
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
        ctx.printer(out)
            .rows_indexed(&columns, entries.len(), |i| row(&entries[i]))
    })
}

/// The short phrase that says why a follow-up is due.
pub fn reason(why: &Why, grade: Grade, lang: Lang) -> String {
    use crate::model::value::{push_int, push_iso};
    // Built piece by piece, without the formatting machinery: a listing writes one per row.
    let zh = lang == Lang::Zh;
    let mut s = String::with_capacity(40);
    match why {
        Why::NeverContacted => s.push_str(if zh {
            "从未联系"
        } else {
            "never contacted"
        }),
        Why::Order { expected, lapsing } => {
            s.push_str(match (lapsing, zh) {
                (false, false) => "A expected order ",
                (false, true) => "A 预计下单 ",
                (true, false) => "A lapsing, order expected ",
                (true, true) => "A 流失预警，预计下单 ",
            });
            push_iso(&mut s, *expected);
        }
        Why::Sample { anchor, step, of } => {
            s.push_str(grade.id());
            s.push_str(match (*anchor == Field::SampleReceived, zh) {
                (true, false) => " received step ",
                (false, false) => " sample step ",
                (true, true) => " 收样第",
                (false, true) => " 索样第",
            });
            push_int(&mut s, *step as i64);
            s.push('/');
            push_int(&mut s, *of as i64);
            if zh {
                s.push('步');
            }
        }
        Why::Every { grade, span } => {
            s.push_str(grade.id());
            s.push_str(if zh { " 每" } else { " every " });
            let (n, unit) = match (*span, zh) {
                (Span::Days(d), false) => (d, " days"),
                (Span::Days(d), true) => (d, "天"),
                (Span::Months(m), false) => (m, if m == 1 { " month" } else { " months" }),
                (Span::Months(m), true) => (m, "个月"),
            };
            push_int(&mut s, i64::from(n));
            s.push_str(unit);
        }
        Why::Purchase { expected } => {
            s.push_str(if zh {
                "预计采购 "
            } else {
                "purchase expected "
            });
            push_iso(&mut s, *expected);
        }
        Why::Birthday { on } => {
            s.push_str(if zh { "生日 " } else { "birthday " });
            s.push_str(&on.format("%m-%d").to_string());
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// Every phrase in both languages, written out: the listing's `reason` column.
    #[test]
    fn reasons_read_exactly() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        let cases = [
            (Why::NeverContacted, "never contacted", "从未联系"),
            (
                Why::Order {
                    expected: d,
                    lapsing: false,
                },
                "A expected order 2026-03-09",
                "A 预计下单 2026-03-09",
            ),
            (
                Why::Order {
                    expected: d,
                    lapsing: true,
                },
                "A lapsing, order expected 2026-03-09",
                "A 流失预警，预计下单 2026-03-09",
            ),
            (
                Why::Sample {
                    anchor: Field::SampleRequested,
                    step: 3,
                    of: 7,
                },
                "B sample step 3/7",
                "B 索样第3/7步",
            ),
            (
                Why::Sample {
                    anchor: Field::SampleReceived,
                    step: 12,
                    of: 4,
                },
                "B received step 12/4",
                "B 收样第12/4步",
            ),
            (
                Why::Every {
                    grade: Grade::C,
                    span: Span::Months(1),
                },
                "C every 1 month",
                "C 每1个月",
            ),
            (
                Why::Every {
                    grade: Grade::E,
                    span: Span::Months(6),
                },
                "E every 6 months",
                "E 每6个月",
            ),
            (
                Why::Every {
                    grade: Grade::D,
                    span: Span::Days(15),
                },
                "D every 15 days",
                "D 每15天",
            ),
            (
                Why::Purchase { expected: d },
                "purchase expected 2026-03-09",
                "预计采购 2026-03-09",
            ),
            (Why::Birthday { on: d }, "birthday 03-09", "生日 03-09"),
        ];
        for (why, en, zh) in cases {
            assert_eq!(reason(&why, Grade::B, Lang::En), en);
            assert_eq!(reason(&why, Grade::B, Lang::Zh), zh);
        }
    }
}
