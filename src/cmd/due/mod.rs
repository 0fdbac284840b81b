//! `clientele due`: who needs a follow-up today (or within a window), why, and how to handle
//! them. Prints nothing at all when nothing is due, so cron mails nothing.

pub mod engine;
mod ics;

use std::collections::BTreeSet;

use chrono::{Datelike, Days, Months, NaiveDate};
use rayon::prelude::*;

use super::context::{Context, with_stdout};
use crate::error::{Error, Result, display_path};
use crate::model::messages::commands::{CmdMsg, What};
use crate::model::value::{Span, parse_duration};
use crate::model::{Customer, Enumeration, Field, Grade, Lang, RowKey};
use crate::render::{Alerted, Cell, Column, Format};
use crate::rules::Rules;
use crate::rules::expr::Env;
use crate::store::log::Notes;
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
    /// Every follow-up of every customer, whenever due (the report's workload).
    pub fn everything() -> Filter {
        Filter {
            until: NaiveDate::MAX,
            owners: Vec::new(),
            grades: BTreeSet::new(),
            overdue: false,
        }
    }

    /// The filter `due`'s options ask for.
    pub(crate) fn of(args: &DueArgs, today: NaiveDate) -> Result<Filter> {
        let until = match &args.within {
            None => today,
            Some(w) => match parse_duration(w).map_err(|e| {
                let error = e.to_string();
                Error::Usage(
                    CmdMsg::CannotRead {
                        option: "--within",
                        text: w,
                        error: &error,
                    }
                    .to_string(),
                )
            })? {
                Span::Days(d) => today + Days::new(u64::from(d)),
                Span::Months(m) => today.checked_add_months(Months::new(m)).unwrap_or(today),
            },
        };
        let grades = args
            .grade
            .iter()
            .map(|g| {
                Grade::parse(g).ok_or_else(|| {
                    Error::Usage(
                        CmdMsg::Unknown {
                            what: What::Grade,
                            text: g,
                            expected: &Grade::expected(),
                        }
                        .to_string(),
                    )
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
    // Complaints first (solve problems promptly), then by grade and date.
    crate::model::sorted_by_key_then_id(customers, entries, |e| {
        ((!e.is_urgent(), e.grade, e.due), e.customer)
    })
}

pub fn run(args: &DueArgs, ctx: &Context) -> Result<u8> {
    let today = ctx.ws.today;
    let filter = Filter::of(args, today)?;
    let columns = chosen_columns(&ctx.columns, ctx.format.is_machine(), ctx.width)?;
    let loaded = ctx.load(crate::cmd::Purpose::Read)?;
    let (rules, book) = (&loaded.rules, &loaded.book);
    super::needs::last_contact(book);
    let cal = Calendar::new(rules, &ctx.ws.weekend, today);
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
    // Nothing due: nothing at all on a terminal or in a table (cron mails nothing); the
    // machine formats and a calendar still say "nothing" in their own terms (`[]`, an empty
    // VCALENDAR, a header line only when asked for).
    let code = if entries.is_empty() && args.exit_code {
        1
    } else {
        0
    };
    if entries.is_empty() && matches!(ctx.format, Format::Table | Format::Markdown) {
        return Ok(code);
    }
    let started = std::time::Instant::now();
    let (last_notes, notes) = read_notes(&entries, &book.customers, &columns, ctx)?;
    crate::timing::phase("read notes", started);
    // Machine formats say why in English whatever the language (an awk filter must not
    // break with the locale), beside the stable reason_code.
    let say = Say {
        lang: if ctx.format.is_machine() {
            Lang::En
        } else {
            ctx.lang
        },
        rules,
        notes: &notes,
    };
    if ctx.format == Format::Ics {
        let text = ics::calendar(&entries, book, &say, today);
        with_stdout(|out| out.write_all(text.as_bytes()))?;
        return Ok(code);
    }
    let started = std::time::Instant::now();
    print(
        &entries,
        &book.customers,
        &columns,
        (&say, &last_notes),
        ctx,
    )?;
    crate::timing::phase("print", started);
    Ok(code)
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
    let file = rules
        .files
        .iter()
        .find(|f| f.name == "holidays" && !f.builtin)
        .map(|f| display_path(&f.path));
    let years: Vec<String> = uncovered.iter().map(i32::to_string).collect();
    crate::error::warn(
        crate::model::messages::Msg::NoHolidays {
            file: file.as_deref(),
            years: &years.join(", "),
        }
        .to_string(),
    );
}

/// A column `due` can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Col {
    Due,
    OverdueDays,
    Id,
    Name,
    Owner,
    Grade,
    Stage,
    Type,
    Reason,
    ReasonCode,
    Strategy,
    Late,
    Phone,
    Email,
    Contact,
    LastContact,
    LastNote,
    /// The phone, else the e-mail: how to reach the customer, in one column.
    Reach,
}

impl Col {
    /// Every column, in the order machine formats list them.
    const ALL: [Col; 18] = [
        Col::Due,
        Col::OverdueDays,
        Col::Id,
        Col::Name,
        Col::Owner,
        Col::Grade,
        Col::Stage,
        Col::Type,
        Col::Reason,
        Col::ReasonCode,
        Col::Strategy,
        Col::Late,
        Col::Phone,
        Col::Email,
        Col::Contact,
        Col::LastContact,
        Col::LastNote,
        Col::Reach,
    ];

    /// What a table shows unless `--columns` says: when, who, how to reach them, why, and
    /// what was said last time. Machine formats show every column but `reach` (phone and
    /// e-mail are there apart).
    const TABLE: [Col; 7] = [
        Col::Due,
        Col::OverdueDays,
        Col::Id,
        Col::Name,
        Col::Reach,
        Col::Reason,
        Col::LastNote,
    ];

    /// The table's columns on a terminal narrower than [`WIDE`]: five leave the name and the
    /// reason room to be read at 80 columns (the due date says how late it is).
    const NARROW: [Col; 5] = [Col::Due, Col::Id, Col::Name, Col::Reach, Col::Reason];

    /// From this many display columns the table shows every one of [`TABLE`].
    const WIDE: u16 = 120;

    /// Its id (in `--columns` and machine formats), English and Chinese headers.
    pub(crate) fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Col::Due => ("due", "Due", "应跟进"),
            Col::OverdueDays => ("overdue_days", "Overdue", "逾期天数"),
            Col::Id => ("id", "ID", "编号"),
            Col::Name => ("name", "Name", "客户名称"),
            Col::Owner => ("owner", "Owner", "负责人"),
            Col::Grade => ("grade", "Grade", "等级"),
            Col::Stage => ("stage", "Stage", "阶段"),
            Col::Type => ("type", "Type", "类型"),
            Col::Reason => ("reason", "Reason", "原因"),
            Col::ReasonCode => ("reason_code", "Reason code", "原因代码"),
            Col::Strategy => ("strategy", "Strategy", "策略"),
            Col::Late => ("late", "Late", "严重逾期"),
            Col::Phone => ("phone", "Phone", "电话"),
            Col::Email => ("email", "E-mail", "邮箱"),
            Col::Contact => ("contact", "Contact", "联系人"),
            Col::LastContact => ("last_contact", "Last contact", "最近联系"),
            Col::LastNote => ("last_note", "Last note", "上次备注"),
            Col::Reach => ("reach", "Reach", "联系方式"),
        }
    }
}

/// The columns to show: `--columns`, else the format's default.
pub(crate) fn chosen_columns(
    asked: &[String],
    machine: bool,
    width: Option<u16>,
) -> Result<Vec<Col>> {
    if asked.is_empty() {
        return Ok(if machine {
            Col::ALL.into_iter().filter(|c| *c != Col::Reach).collect()
        } else if width.is_some_and(|w| w < Col::WIDE) {
            Col::NARROW.to_vec()
        } else {
            Col::TABLE.to_vec()
        });
    }
    asked
        .iter()
        .map(|name| {
            let name = name.trim();
            Col::ALL
                .into_iter()
                .find(|c| c.names().0 == name)
                .ok_or_else(|| {
                    let ids: Vec<&str> = Col::ALL.iter().map(|c| c.names().0).collect();
                    Error::Usage(
                        CmdMsg::UnknownColumn {
                            text: name,
                            expected: &ids.join(", "),
                        }
                        .to_string(),
                    )
                })
        })
        .collect()
}

/// Notes read back from the log, by the row that holds them.
pub type NotesByRow = rustc_hash::FxHashMap<RowKey, String>;

/// What the reason lines say besides the follow-ups themselves: the language, the rules
/// (festival names) and the notes read back from the log.
pub struct Say<'a> {
    pub lang: Lang,
    pub rules: &'a Rules,
    pub notes: &'a NotesByRow,
}

/// The notes the listing shows, read back from the log: each entry's last note (its
/// customer's last touch), by position, when the `last_note` column is shown; the open
/// complaints' notes, by row, when the reasons are.
fn read_notes(
    entries: &[DueEntry],
    customers: &[Customer],
    columns: &[Col],
    ctx: &Context,
) -> Result<(Notes, NotesByRow)> {
    // Both kinds of rows in one list: the log is read once, in one pass over its rows.
    let mut rows: Vec<RowKey> = if columns.contains(&Col::LastNote) {
        // On every core: each entry's customer is a read at random.
        entries
            .par_iter()
            .map(|e| customers[e.customer].last_touch_row)
            .collect()
    } else {
        Vec::new()
    };
    let lasts = rows.len();
    if columns.contains(&Col::Reason) || ctx.format == Format::Ics {
        rows.extend(
            entries
                .iter()
                .flat_map(|e| e.reasons())
                .filter_map(|(_, w)| match w {
                    Why::Complaint { row, .. } => Some(*row),
                    _ => None,
                }),
        );
    }
    // The entries' last notes come first, by entry (none without the column: then only
    // the complaints' notes are read, and nothing shows a last note).
    let found = crate::store::log::notes(&ctx.ws.activities, ctx.ws.encoding, &rows)?;
    let complaints = found.by_row(&rows, lasts..rows.len());
    Ok((found, complaints))
}

/// Prints the listing, a row per customer.
fn print(
    entries: &[DueEntry],
    customers: &[Customer],
    columns: &[Col],
    (say, last_notes): (&Say<'_>, &Notes),
    ctx: &Context,
) -> Result<()> {
    let (today, lang, rules) = (ctx.ws.today, ctx.lang, say.rules);
    let headers: Vec<Column> = columns
        .iter()
        .map(|&c| {
            let (id, en, zh) = c.names();
            match c {
                // Why the customer is due is what a rep reads first; the last note and how
                // to reach them are a `show` away when a terminal has no room for them.
                Col::Reason => Column::new(id, en, zh).read_first(),
                Col::Reach | Col::LastNote if ctx.columns.is_empty() => {
                    Column::new(id, en, zh).optional()
                }
                _ => Column::new(id, en, zh),
            }
        })
        .collect();
    let machine = ctx.format.is_machine();
    let json = matches!(ctx.format, Format::Json | Format::Jsonl);
    let cell = |i: usize, col: Col| -> Cell<'_> {
        let e = &entries[i];
        let c = &customers[e.customer];
        match col {
            Col::Due => Cell::Date(e.due),
            Col::OverdueDays => {
                let overdue = (today - e.due).num_days();
                if overdue > 0 {
                    Cell::Alert(Alerted::Int(overdue))
                } else {
                    Cell::Int(overdue)
                }
            }
            Col::Id => Cell::text(&*c.id),
            Col::Name => Cell::text(&*c.name),
            Col::Owner => Cell::text(&*c.owner),
            Col::Grade => Cell::text(e.grade.id()),
            Col::Stage => Cell::text(
                c.stage
                    .map(|s| if machine { s.id() } else { s.label(lang) })
                    .unwrap_or_default(),
            ),
            Col::Type => Cell::text(if machine {
                &*c.kind
            } else {
                rules.type_label(&c.kind, lang).unwrap_or(&c.kind)
            }),
            Col::ReasonCode if json => {
                Cell::Texts(e.reasons().map(|(_, why)| why.code().to_string()).collect())
            }
            // One reason (the common row): its code as it is, without a joined copy.
            Col::ReasonCode if e.more.is_empty() => Cell::text(e.why.code()),
            Col::ReasonCode => {
                let codes: Vec<&str> = e.reasons().map(|(_, why)| why.code()).collect();
                Cell::text(codes.join(";"))
            }
            Col::Reason if json => Cell::Texts(
                e.reasons()
                    .map(|(_, why)| reason(why, e.grade, c, say))
                    .collect(),
            ),
            Col::Reason => {
                let mut text = reason(&e.why, e.grade, c, say);
                for (_, why) in &e.more {
                    text.push_str(if say.lang == Lang::Zh { "；" } else { "; " });
                    text.push_str(&reason(why, e.grade, c, say));
                }
                Cell::text(text)
            }
            Col::Strategy => Cell::text(rules.strategy(&c.kind, lang).unwrap_or_default()),
            Col::Late => {
                if e.late {
                    Cell::Alert(Alerted::Bool(true))
                } else {
                    Cell::Bool(false)
                }
            }
            Col::Phone => Cell::text(c.detail(|d| &d.phone)),
            Col::Email => Cell::text(c.detail(|d| &d.email)),
            Col::Contact => Cell::text(c.detail(|d| &d.contact)),
            Col::Reach => {
                let phone = c.detail(|d| &d.phone);
                Cell::text(if phone.is_empty() {
                    c.detail(|d| &d.email)
                } else {
                    phone
                })
            }
            Col::LastContact => c.last_contact.map_or(Cell::Empty, Cell::Date),
            Col::LastNote => Cell::text(last_notes.get(i).unwrap_or_default()),
        }
    };
    let row = |i: usize| {
        // Rows are listed in due order, so their customers are read at random: ask for a
        // customer a few rows ahead while this one is printed.
        if let Some(ahead) = entries.get(i + 8) {
            // The fields a row reads lie on several cache lines of the customer.
            let c = &customers[ahead.customer];
            crate::store::prefetch(&c.id);
            crate::store::prefetch(&c.name);
            crate::store::prefetch(&c.owner);
            crate::store::prefetch(&c.kind);
            crate::store::prefetch(&c.stage);
            crate::store::prefetch(&c.last_contact);
            crate::store::prefetch(&c.details);
            last_notes.prefetch(i + 8);
        }
        columns.iter().map(|&col| cell(i, col)).collect::<Row<'_>>()
    };
    with_stdout(|out| ctx.printer(out).rows_indexed(&headers, entries.len(), row))
}

/// A row of the listing: the cells of the columns chosen, on the stack (half a million rows:
/// each would be an allocation in a Vec).
type Row<'a> = smallvec::SmallVec<[Cell<'a>; Col::ALL.len()]>;

/// The short phrase that says why a follow-up is due, for customer `c`.
pub fn reason(why: &Why, grade: Grade, c: &Customer, say: &Say<'_>) -> String {
    use crate::model::value::{push_int, push_iso};
    // Built piece by piece, without the formatting machinery: a listing writes one per row.
    let zh = say.lang == Lang::Zh;
    // ": text" after a reason, when there is a text.
    let with_text = |s: &mut String, text: &str| {
        if !text.is_empty() {
            s.push_str(if zh { "：" } else { ": " });
            s.push_str(text);
        }
    };
    let mut s = String::with_capacity(40);
    match why {
        Why::NeverContacted => s.push_str(if zh {
            "从未联系"
        } else {
            "never contacted"
        }),
        Why::Order {
            expected, lapsing, ..
        } => {
            s.push_str(match (lapsing, zh) {
                (false, false) => "A expected order ",
                (false, true) => "A 预计下单 ",
                (true, false) => "A lapsing, order expected ",
                (true, true) => "A 流失预警，预计下单 ",
            });
            push_iso(&mut s, *expected);
        }
        Why::Sample {
            anchor, step, of, ..
        } => {
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
        Why::Every { grade, span, .. } => {
            s.push_str(grade.id());
            s.push_str(if zh { " 每" } else { " every " });
            push_span(&mut s, *span, zh);
        }
        Why::Intent { intent, span } => {
            s.push_str(if zh { "购买意向：" } else { "intent: " });
            if zh {
                s.push_str(intent.zh());
            } else {
                s.push_str(&intent.en().to_lowercase());
            }
            s.push_str(if zh { "，每" } else { ", every " });
            push_span(&mut s, *span, zh);
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
        Why::Planned { on } => {
            s.push_str(if zh { "约定联系 " } else { "planned " });
            push_iso(&mut s, *on);
            with_text(&mut s, c.detail(|d| &d.next_step));
        }
        Why::Complaint { on, row } => {
            s.push_str(if zh { "投诉 " } else { "complaint of " });
            push_iso(&mut s, *on);
            with_text(&mut s, say.notes.get(row).map_or("", String::as_str));
        }
        Why::Festival { festival, on } => {
            let f = &say.rules.holidays.festivals[*festival];
            s.push_str(if zh { "节日问候 " } else { "greeting: " });
            s.push_str(if zh { &f.zh } else { &f.en });
            s.push(' ');
            push_iso(&mut s, *on);
        }
    }
    if why.is_new() {
        s.push_str(&new_customer_note(say.rules, zh));
    }
    s
}

/// What a reason says after its words when it comes at a new customer's shorter gaps:
/// ` (new customer: gaps × 0.5)`.
pub fn new_customer_note(rules: &Rules, zh: bool) -> String {
    let factor = rules
        .cadence
        .new_customers
        .as_ref()
        .map_or(1.0, |n| n.factor);
    if zh {
        format!("（新客户：间隔×{factor}）")
    } else {
        format!(" (new customer: gaps × {factor})")
    }
}

/// A span as a reason says it: `3 days`, `1 month`, `2 months`; `3天`, `2个月`.
pub(crate) fn push_span(s: &mut String, span: Span, zh: bool) {
    let (n, unit) = match (span, zh) {
        (Span::Days(d), false) => (d, " days"),
        (Span::Days(d), true) => (d, "天"),
        (Span::Months(m), false) => (m, if m == 1 { " month" } else { " months" }),
        (Span::Months(m), true) => (m, "个月"),
    };
    crate::model::value::push_int(s, i64::from(n));
    s.push_str(unit);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// Every phrase in both languages, written out: the listing's `reason` column.
    #[test]
    fn reasons_read_exactly() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        let rules = Rules::load(None, None).unwrap();
        let spring = rules
            .holidays
            .festivals
            .iter()
            .position(|f| f.id == "spring_festival")
            .unwrap();
        let row = RowKey::new(d, 120);
        let notes = rustc_hash::FxHashMap::from_iter([(row, "包装破损".to_string())]);
        let cases = [
            (Why::NeverContacted, "never contacted", "从未联系"),
            (
                Why::Order {
                    expected: d,
                    lapsing: false,
                    new: false,
                },
                "A expected order 2026-03-09",
                "A 预计下单 2026-03-09",
            ),
            (
                Why::Order {
                    expected: d,
                    lapsing: true,
                    new: false,
                },
                "A lapsing, order expected 2026-03-09",
                "A 流失预警，预计下单 2026-03-09",
            ),
            (
                Why::Sample {
                    anchor: Field::SampleRequested,
                    step: 3,
                    of: 7,
                    new: false,
                },
                "B sample step 3/7",
                "B 索样第3/7步",
            ),
            (
                Why::Sample {
                    anchor: Field::SampleReceived,
                    step: 12,
                    of: 4,
                    new: false,
                },
                "B received step 12/4",
                "B 收样第12/4步",
            ),
            (
                Why::Every {
                    grade: Grade::C,
                    span: Span::Months(1),
                    new: false,
                },
                "C every 1 month",
                "C 每1个月",
            ),
            (
                Why::Every {
                    grade: Grade::E,
                    span: Span::Months(6),
                    new: false,
                },
                "E every 6 months",
                "E 每6个月",
            ),
            (
                Why::Every {
                    grade: Grade::D,
                    span: Span::Days(15),
                    new: false,
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
            (
                Why::Planned { on: d },
                "planned 2026-03-09: send the revised quote",
                "约定联系 2026-03-09：send the revised quote",
            ),
            (
                Why::Complaint { on: d, row },
                "complaint of 2026-03-09: 包装破损",
                "投诉 2026-03-09：包装破损",
            ),
            (
                Why::Festival {
                    festival: spring,
                    on: d,
                },
                "greeting: Spring Festival 2026-03-09",
                "节日问候 春节 2026-03-09",
            ),
            (
                Why::Intent {
                    intent: crate::model::Intent::NotNow,
                    span: Span::Months(1),
                },
                "intent: not now, every 1 month",
                "购买意向：暂不购买，每1个月",
            ),
            (
                Why::Intent {
                    intent: crate::model::Intent::Interested,
                    span: Span::Days(3),
                },
                "intent: interested, every 3 days",
                "购买意向：有购买意向，每3天",
            ),
            // At a new customer's gaps (the shipped factor, 0.5), said after the reason.
            (
                Why::Every {
                    grade: Grade::C,
                    span: Span::Months(2),
                    new: true,
                },
                "C every 2 months (new customer: gaps × 0.5)",
                "C 每2个月（新客户：间隔×0.5）",
            ),
            (
                Why::Order {
                    expected: d,
                    lapsing: false,
                    new: true,
                },
                "A expected order 2026-03-09 (new customer: gaps × 0.5)",
                "A 预计下单 2026-03-09（新客户：间隔×0.5）",
            ),
        ];
        let c = Customer {
            details: Some(Box::new(crate::model::Details {
                next_step: "send the revised quote".into(),
                ..Default::default()
            })),
            ..Customer::default()
        };
        for (why, en, zh) in cases {
            for (lang, want) in [(Lang::En, en), (Lang::Zh, zh)] {
                let say = Say {
                    lang,
                    rules: &rules,
                    notes: &notes,
                };
                assert_eq!(reason(&why, Grade::B, &c, &say), want);
            }
        }
        // Without a next step or a note: the date alone.
        let say = Say {
            lang: Lang::En,
            rules: &rules,
            notes: &Default::default(),
        };
        let bare = Customer::default();
        assert_eq!(
            reason(&Why::Planned { on: d }, Grade::B, &bare, &say),
            "planned 2026-03-09"
        );
        assert_eq!(
            reason(&Why::Complaint { on: d, row }, Grade::B, &bare, &say),
            "complaint of 2026-03-09"
        );
    }
}
