//! `clientele sql due`: `cmd/due` as SQL over the view `c`, with the rows, columns and
//! order of `clientele due --format csv` and the same options (`--within`, `--owner`,
//! `--grade`, `--overdue`, `--limit`, `--columns`).
//!
//! The plan follows `cmd/due/engine.rs` step by step. Each customer not on the black list
//! gets its effective grade (the book's, else the `grade` scheme's first rule that holds)
//! and the inputs of each candidate follow-up, in a chain of views that each add a few
//! columns (`due_0` … `due_4`); the candidates then become rows (`due_candidates`: the
//! grade's cadence or the agreed date, a complaint, a purchase date, the birthday, the
//! festival), are settled (snooze, the move to a working day, lateness) and kept when due by
//! the listing's last day; a customer's rows are numbered earliest first (on one day in the
//! engine's order) and folded into one entry whose reasons are joined in that order.
//!
//! The working days are a table of the non-working days of the years the holiday calendar
//! covers and of the years either side, each with the next and the last working day as
//! `Holidays` finds them; outside those years a day off is a weekend day, and the move is
//! a few days by the day of the week, also found by `Holidays`. Both come from the native
//! calendar, so the two cannot disagree. The next festival and its greeting day are the same
//! for every customer (`Calendar::festival`): constants here. The reasons' phrases are
//! taken from `cmd::due::reason` (machine formats say why in English), with the dates
//! filled in by the query.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::base::later;
use super::dialect::Dialect;
use super::expr::{Compiler, EnumKind, ordinal};
use crate::cmd::due::engine::{Calendar, Why};
use crate::cmd::due::{Col, Filter, Say, reason};
use crate::error::Result;
use crate::model::value::{Span, push_iso};
use crate::model::{ActivityKind, Customer, Enumeration, Field, Grade, Intent, Lang};
use crate::rules::cadence::{GradeCadence, NewCustomers, OrderRhythm, Sequence, scaled};
use crate::rules::tiers::SchemeKind;
use crate::rules::{Holidays, Rules};

/// What the listing asks for besides the rules.
pub struct Job<'a> {
    pub rules: &'a Rules,
    pub filter: &'a Filter,
    pub columns: &'a [Col],
    pub limit: Option<usize>,
    pub weekend: &'a [Weekday],
    pub activities: &'a str,
    /// The language of the strategy column (as `clientele due` prints it).
    pub lang: Lang,
}

/// The last step of the query, after the view `c`.
pub fn query(job: &Job<'_>, compiler: &Compiler<'_>) -> Result<String> {
    let d = compiler.dialect;
    let q = |name: &str| format!("c.{}", d.ident(name));
    let mut wheres = Vec::new();
    if !job.filter.grades.is_empty() {
        let ids: Vec<String> = job.filter.grades.iter().map(|g| d.string(g.id())).collect();
        wheres.push(format!("c.eff_grade IN ({})", ids.join(", ")));
    }
    if job.filter.overdue {
        wheres.push(format!("e.due < {}", d.date(compiler.today)));
    }
    let wheres = if wheres.is_empty() {
        String::new()
    } else {
        format!("\nWHERE {}", wheres.join(" AND "))
    };
    let limit = job.limit.map_or(String::new(), |n| format!("\nLIMIT {n}"));
    let select: Vec<String> = job
        .columns
        .iter()
        .map(|col| {
            format!(
                "{} AS {}",
                column(*col, job, (d, compiler.today), &q),
                d.ident(col.names().0)
            )
        })
        .collect();
    Ok(format!(
        "{ctes}
SELECT {select}
FROM due_entries e
JOIN due_0 c ON c.seq = e.seq{wheres}
ORDER BY e.urgent DESC, {grade_order}, e.due, {id}, c.seq{limit}",
        ctes = ctes(job, compiler)?,
        select = select.join(",\n    "),
        grade_order = ordinal(d, EnumKind::Grade, "c.eff_grade"),
        id = d.bytewise(&q("id")),
    ))
}

/// The views of the listing, each followed by a comma but the last, `due_entries`: one row
/// per customer listed (`seq`, `due`, `reasons`, `codes`, `late` and `urgent` as 0 or 1),
/// beside `due_graded` (every customer with its effective grade `eff_grade`) and `due_4`
/// (every customer listed with the inputs of its candidates).
pub fn ctes(job: &Job<'_>, compiler: &Compiler<'_>) -> Result<String> {
    let plan = Plan::new(job, compiler);
    let candidates = plan.candidates()?;
    Ok(format!(
        "due_days AS (
    {days}),
due_touch AS (
    {touch}),
due_complaint AS (
    {complaint}),
{step0},
{step1},
{step2},
{step3},
{step4},
{settle}
{entries}",
        days = plan.cal.table(plan.d),
        touch = plan.latest(&touch_kinds()),
        complaint = plan.latest(&[ActivityKind::Complaint]),
        step0 = plan.step0()?,
        step1 = plan.step1(),
        step2 = plan.step2(),
        step3 = plan.step3(),
        step4 = plan.step4(),
        settle = plan.settle(&candidates),
        entries = plan.entries(candidates.len()),
    ))
}

/// What the views are written from: the listing, the compiler, and what several views
/// read (the cadence's sample sequences, numbered across grades, its order rhythms and
/// fixed intervals, the working days).
struct Plan<'a> {
    job: &'a Job<'a>,
    compiler: &'a Compiler<'a>,
    d: Dialect,
    today: NaiveDate,
    /// Today as a literal.
    t: String,
    /// The customer's last contact, a column of `c`.
    lc: String,
    null_date: String,
    null_int: String,
    null_text: String,
    sequences: Vec<(usize, Grade, &'a Sequence)>,
    orders: Vec<(Grade, &'a OrderRhythm)>,
    everies: Vec<(Grade, Span)>,
    cal: WorkingDays,
}

/// A candidate of `due_candidates`: its place on one day, its date before snooze and move,
/// reason code and text, the gap lateness counts from, whether a snooze puts it off and
/// whether it is a greeting, and when the customer has it.
struct Row {
    slot: u8,
    due: String,
    code: String,
    reason: String,
    gap: String,
    snoozable: bool,
    greeting: bool,
    when: String,
}

/// A date the native phrases are made for, to take the phrase before the date.
const SAMPLE_DAY: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 2).expect("a date");
const PURCHASE: Why = Why::Purchase {
    expected: SAMPLE_DAY,
};
const BIRTHDAY: Why = Why::Birthday { on: SAMPLE_DAY };

fn complaint() -> Why {
    Why::Complaint {
        on: SAMPLE_DAY,
        row: crate::model::RowKey::default(),
    }
}

impl<'a> Plan<'a> {
    fn new(job: &'a Job<'a>, compiler: &'a Compiler<'a>) -> Plan<'a> {
        let d = compiler.dialect;
        let grades = &job.rules.cadence.grades;
        let mut sequences = Vec::new();
        for (g, cadence) in grades {
            if let GradeCadence::Sequence {
                sequences: seqs, ..
            } = cadence
            {
                for s in seqs {
                    sequences.push((sequences.len(), *g, s));
                }
            }
        }
        Plan {
            job,
            compiler,
            d,
            today: compiler.today,
            t: d.date(compiler.today),
            lc: format!("c.{}", d.ident("last_contact")),
            null_date: "CAST(NULL AS DATE)".to_string(),
            null_int: "CAST(NULL AS BIGINT)".to_string(),
            null_text: format!("CAST(NULL AS {})", d.text_type()),
            sequences,
            orders: grades
                .iter()
                .filter_map(|(g, c)| match c {
                    GradeCadence::Order(r) => Some((*g, r)),
                    _ => None,
                })
                .collect(),
            everies: grades
                .iter()
                .filter_map(|(g, c)| match c {
                    GradeCadence::Every(span) => Some((*g, *span)),
                    _ => None,
                })
                .collect(),
            cal: working_days(&job.rules.holidays, job.weekend),
        }
    }

    /// A column of the view `c`.
    fn q(&self, name: &str) -> String {
        format!("c.{}", self.d.ident(name))
    }

    fn text(&self, s: &str) -> String {
        self.d.string(s)
    }

    fn grade_id(&self, g: Grade) -> String {
        self.text(g.id())
    }

    fn double(&self, x: &str) -> String {
        self.d.to_double(x)
    }

    /// `CASE x WHEN k THEN v … END`, or `none` when there are no arms.
    fn case(&self, x: &str, arms: &[(String, String)], none: &str) -> String {
        if arms.is_empty() {
            return none.to_string();
        }
        let arms: String = arms
            .iter()
            .map(|(k, v)| format!(" WHEN {k} THEN {v}"))
            .collect();
        format!("(CASE {x}{arms} END)")
    }

    /// No touch met the follow-up due on `date`.
    fn unmet(&self, date: &str) -> String {
        format!("NOT coalesce({} >= {date}, FALSE)", self.lc)
    }

    fn english(&self, why: &Why, g: Grade) -> String {
        phrase(self.job.rules, why, g)
    }

    /// [`latest`] in the listing's log, up to today.
    fn latest(&self, kinds: &[ActivityKind]) -> String {
        latest(self.d, self.job.activities, &self.t, kinds)
    }

    /// The new-customer rule of the cadence, if any.
    fn new_customers(&self) -> Option<&'a NewCustomers> {
        self.job.rules.cadence.new_customers.as_ref()
    }

    /// Whether the customer is followed up as new: its effective grade is one the rule names
    /// and the rule's condition holds (with `grade` the effective grade, as the engine's).
    fn is_new(&self) -> Result<String> {
        let Some(new) = self.new_customers() else {
            return Ok("FALSE".to_string());
        };
        let graded = Compiler {
            effective_grade: true,
            ..*self.compiler
        };
        let ids: Vec<String> = new.grades.iter().map(|g| self.grade_id(*g)).collect();
        Ok(format!(
            "(c.eff_grade IN ({}) AND coalesce({}, FALSE))",
            ids.join(", "),
            graded.condition(&new.when)?
        ))
    }

    /// `new` for a customer followed up as new, else `plain` (`plain` alone when no one is).
    fn if_new(&self, new: &str, plain: &str) -> String {
        if self.new_customers().is_none() || new == plain {
            plain.to_string()
        } else {
            format!("(CASE WHEN c.is_new THEN {new} ELSE {plain} END)")
        }
    }

    /// A sequence's gaps at a new customer's.
    fn new_gaps(&self, s: &Sequence) -> Vec<u32> {
        s.gaps
            .iter()
            .map(|g| scaled(*g, self.new_customers()))
            .collect()
    }

    /// Days `x` (an integer expression) at a new customer's gaps: `x × factor` rounded half
    /// away from zero, at least 1, as `NewCustomers::scale`.
    fn scale(&self, x: &str) -> String {
        let factor = self.new_customers().map_or(1.0, |n| n.factor);
        let d = self.d;
        let r = format!(
            "CAST({} AS BIGINT)",
            half_away(d, &format!("{} * {}", self.double(x), d.double(factor)))
        );
        format!("(CASE WHEN {r} < 1 THEN 1 ELSE {r} END)")
    }

    fn step0(&self) -> Result<String> {
        // Each step computed once on PostgreSQL (`Dialect::fence`).
        let fence = self.d.fence();
        let d = self.d;
        let today = self.today;
        let lc = &self.lc;
        let rules = self.job.rules;
        // Step 0: who is listed, at which grade; the last note, the open complaint, the
        // agreed date, the birthday's two next occurrences.
        let grade = effective_grade(rules, self.compiler)?;
        let owners = if self.job.filter.owners.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = self
                .job
                .filter
                .owners
                .iter()
                .map(|o| self.text(&o.trim().to_ascii_lowercase()))
                .collect();
            format!(
                "\n        AND translate(trim(coalesce({}, '')), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', \
             'abcdefghijklmnopqrstuvwxyz') IN ({})",
                self.q("owner"),
                names.join(", ")
            )
        };
        // A complaint is open until a touch after it: a later day (in the log or the book), or
        // the same day further down the log.
        let open = format!("CASE WHEN {} THEN k.date END", complaint_open(lc));
        let planned = format!(
            "CASE WHEN {next} IS NOT NULL AND {unmet} THEN {next} END",
            next = self.q("next_contact"),
            unmet = self.unmet(&self.q("next_contact")),
        );
        let from = today - Days::new(14);
        let occurrence = |year: i32| {
            let md = self.q("birthday");
            let leap = NaiveDate::from_ymd_opt(year, 2, 29).is_some();
            let md = if leap {
                md
            } else {
                format!("(CASE WHEN {md} = '02-29' THEN '02-28' ELSE {md} END)")
            };
            format!("CAST('{year}-' || {md} AS DATE)")
        };
        let y0 = from.year();
        let first_this = format!("{} >= {}", occurrence(y0), d.date(from));
        let step0 = format!(
            "due_graded AS{fence} (
    SELECT c.*, {grade} AS eff_grade FROM c),
due_0 AS{fence} (
    SELECT c.*,
        {is_new} AS is_new,
        tl.note AS last_note,
        {open} AS complaint_on,
        k.note AS complaint_note,
        {planned} AS planned_on,
        CASE WHEN {first_this} THEN {a} ELSE {b} END AS bd_on1,
        CASE WHEN {first_this} THEN {b} ELSE {c} END AS bd_on2
    FROM due_graded c
    LEFT JOIN due_touch tl ON tl.customer_id = c.{id}
    LEFT JOIN due_complaint k ON k.customer_id = c.{id}
    WHERE coalesce({list} <> 'black', TRUE){owners})",
            is_new = self.is_new()?,
            a = occurrence(y0),
            b = occurrence(y0 + 1),
            c = occurrence(y0 + 2),
            id = d.ident("id"),
            list = self.q("list"),
        );
        Ok(step0)
    }

    fn step1(&self) -> String {
        // Each step computed once on PostgreSQL (`Dialect::fence`).
        let fence = self.d.fence();
        let d = self.d;
        let cadence = &self.job.rules.cadence;
        // Step 1: the sample sequence that applies (the latest anchor; on a tie the one listed
        // first), the grade whose cadence applies when no step of it is due, the birthday's
        // greeting days before the move.
        let eff = "c.eff_grade";
        // The first sequence of each grade's, numbered across grades as `self.sequences`.
        let mut first = 0;
        let mut picks = Vec::new();
        let mut fall = Vec::new();
        for (g, cad) in &cadence.grades {
            match cad {
                GradeCadence::Every(_) | GradeCadence::Order(_) => {
                    fall.push((self.grade_id(*g), self.grade_id(*g)));
                }
                GradeCadence::Sequence {
                    sequences: seqs,
                    then,
                } => {
                    fall.push((self.grade_id(*g), self.grade_id(*then)));
                    let anchors: Vec<String> = seqs
                        .iter()
                        .map(|s| anchor(s.anchor, &|n: &str| self.q(n)))
                        .collect();
                    let newest = anchors.iter().skip(1).fold(
                        anchors.first().cloned().unwrap_or(self.null_date.clone()),
                        |a, b| later(&a, b),
                    );
                    let arms: Vec<(String, String)> = anchors
                        .iter()
                        .enumerate()
                        .map(|(i, a)| (format!("{a} = {newest}"), (first + i).to_string()))
                        .collect();
                    let pick = format!(
                        "(CASE{} END)",
                        arms.iter()
                            .map(|(w, v)| format!(" WHEN {w} THEN {v}"))
                            .collect::<String>()
                    );
                    picks.push((self.grade_id(*g), pick));
                    first += seqs.len();
                }
            }
        }
        let lead = i64::from(cadence.birthday_lead_days);
        let step1 = format!(
            "due_1 AS{fence} (
    SELECT c.*,
        {pick} AS s_pick,
        {fall} AS fall,
        {t1} AS bd_t1,
        {t2} AS bd_t2
    FROM due_0 c)",
            pick = self.case(eff, &picks, &self.null_int),
            fall = self.case(eff, &fall, &self.null_text),
            t1 = d.add_days("c.bd_on1", &(-lead).to_string()),
            t2 = d.add_days("c.bd_on2", &(-lead).to_string()),
        );
        step1
    }

    fn step2(&self) -> String {
        // Each step computed once on PostgreSQL (`Dialect::fence`).
        let fence = self.d.fence();
        let d = self.d;
        // Step 2: the sequence's anchor; the birthday's greeting days on working days; the
        // order rhythm's interval.
        let anchor_of: Vec<(String, String)> = self
            .sequences
            .iter()
            .map(|(i, _, s)| (i.to_string(), anchor(s.anchor, &|n: &str| self.q(n))))
            .collect();
        let interval: Vec<(String, String)> = self
            .orders
            .iter()
            .map(|(g, r)| {
                let i = format!(
                    "coalesce({}, {})",
                    self.q("order_interval_days"),
                    r.default_interval_days
                );
                (
                    self.grade_id(*g),
                    format!("(CASE WHEN {i} >= 1 THEN {i} ELSE 1 END)"),
                )
            })
            .collect();
        let step2 = format!(
            "due_2 AS{fence} (
    SELECT c.*,
        {anchor} AS s_anchor,
        {g1} AS bd_g1,
        {g2} AS bd_g2,
        {interval} AS o_interval
    FROM due_1 c
    LEFT JOIN due_days w1 ON w1.d = c.bd_t1
    LEFT JOIN due_days w2 ON w2.d = c.bd_t2)",
            anchor = self.case("c.s_pick", &anchor_of, &self.null_date),
            g1 = self.cal.previous(d, "c.bd_t1", "w1"),
            g2 = self.cal.previous(d, "c.bd_t2", "w2"),
            interval = self.case("c.fall", &interval, &self.null_int),
        );
        step2
    }

    fn step3(&self) -> String {
        // Each step computed once on PostgreSQL (`Dialect::fence`).
        let fence = self.d.fence();
        let d = self.d;
        let t = &self.t;
        let lc = &self.lc;
        // Step 3: the step of the sequence due (the first a touch has not met); the birthday
        // greeted (the next one when this year's greeting day is past); the expected order,
        // the lead before it, whether the customer is lapsing.
        let step_of = |gaps: &[u32]| {
            let mut arms = String::new();
            let mut at = 0i64;
            for (k, gap) in gaps.iter().enumerate() {
                at += i64::from(*gap);
                let on = d.add_days("c.s_anchor", &at.to_string());
                let unmet = if k == 0 {
                    format!("{lc} IS NULL OR {lc} < {on}")
                } else {
                    format!("{lc} < {on}")
                };
                arms.push_str(&format!(" WHEN {unmet} THEN {}", k + 1));
            }
            format!("(CASE{arms} END)")
        };
        let steps: Vec<(String, String)> = self
            .sequences
            .iter()
            .map(|(i, _, s)| {
                (
                    i.to_string(),
                    self.if_new(&step_of(&self.new_gaps(s)), &step_of(&s.gaps)),
                )
            })
            .collect();
        let lead_days: Vec<(String, String)> = self.orders
            .iter()
            .map(|(g, r)| {
                let raw = format!(
                    "CAST({} AS BIGINT)",
                    d.round_half_up(&format!(
                        "{} * {}",
                        self.double("c.o_interval"),
                        d.double(r.lead_ratio)
                    ))
                );
                let (lo, hi) = (r.lead_min_days, r.lead_max_days.max(r.lead_min_days));
                (
                    self.grade_id(*g),
                    format!(
                        "(CASE WHEN {raw} < {lo} THEN {lo} WHEN {raw} > {hi} THEN {hi} ELSE {raw} END)"
                    ),
                )
            })
            .collect();
        let lapse_days: Vec<(String, String)> = self
            .orders
            .iter()
            .map(|(g, r)| {
                (
                    self.grade_id(*g),
                    format!(
                        "CAST({} AS BIGINT)",
                        d.round_half_up(&format!(
                            "{} * {}",
                            self.double("c.o_interval"),
                            d.double(r.lapse_factor)
                        ))
                    ),
                )
            })
            .collect();
        let last_order = self.q("last_order");
        let o_anchor = format!("coalesce({last_order}, {lc})");
        let step3 = format!(
            "due_3 AS{fence} (
    SELECT c.*,
        {step} AS s_step,
        CASE WHEN c.bd_g1 < {t} THEN c.bd_on2 ELSE c.bd_on1 END AS bd_on,
        CASE WHEN c.bd_g1 < {t} THEN c.bd_g2 ELSE c.bd_g1 END AS bd_due,
        {o_anchor} AS o_anchor,
        {expected} AS o_expected,
        {lead} AS o_lead,
        coalesce({t} >= {lapse}, FALSE) AS o_lapsing
    FROM due_2 c)",
            step = self.case("c.s_pick", &steps, &self.null_int),
            expected = d.add_days(&o_anchor, "c.o_interval"),
            lead = self.case("c.fall", &lead_days, &self.null_int),
            lapse = d.add_days(
                &last_order,
                &self.case("c.fall", &lapse_days, &self.null_int)
            ),
        );
        step3
    }

    /// The sample sequence's step due: its date, gap, reason and code.
    fn sequence_columns(&self) -> [String; 4] {
        let per_step =
            |value: &dyn Fn(usize, &crate::rules::cadence::Sequence, Grade) -> String| {
                let arms: Vec<(String, String)> = self
                    .sequences
                    .iter()
                    .map(|(i, g, s)| {
                        let inner: Vec<(String, String)> = (0..s.gaps.len())
                            .map(|k| ((k + 1).to_string(), value(k, s, *g)))
                            .collect();
                        (i.to_string(), self.case("c.s_step", &inner, "NULL"))
                    })
                    .collect();
                arms
            };
        let offset = |k: usize, gaps: &[u32]| gaps[..=k].iter().map(|g| i64::from(*g)).sum::<i64>();
        let s_offset = per_step(&|k, s, _| {
            self.if_new(
                &offset(k, &self.new_gaps(s)).to_string(),
                &offset(k, &s.gaps).to_string(),
            )
        });
        let s_gap = per_step(&|k, s, _| {
            self.if_new(&self.new_gaps(s)[k].to_string(), &s.gaps[k].to_string())
        });
        let s_text = per_step(&|k, s, g| {
            let why = Why::Sample {
                anchor: s.anchor,
                step: k + 1,
                of: s.gaps.len(),
                new: false,
            };
            self.text(&self.english(&why, g))
        });
        let s_code = per_step(&|k, s, _| {
            let why = Why::Sample {
                anchor: s.anchor,
                step: k + 1,
                of: s.gaps.len(),
                new: false,
            };
            self.text(why.code())
        });
        [
            self.d.add_days(
                "c.s_anchor",
                &self.case("c.s_pick", &s_offset, &self.null_int),
            ),
            self.case("c.s_pick", &s_gap, &self.null_int),
            self.case("c.s_pick", &s_text, &self.null_text),
            self.case("c.s_pick", &s_code, &self.null_text),
        ]
    }

    fn step4(&self) -> String {
        // Each step computed once on PostgreSQL (`Dialect::fence`).
        let fence = self.d.fence();
        let d = self.d;
        let lc = &self.lc;
        // Step 4: the candidates of the cadence: the sequence's step, the order rhythm's date,
        // the fixed interval's.
        let [s_due, s_gap, s_text, s_code] = self.sequence_columns();
        let e_due: Vec<(String, String)> = self
            .everies
            .iter()
            .map(|(g, span)| {
                let due = match span {
                    Span::Days(n) => d.add_days(lc, &n.to_string()),
                    Span::Months(n) => d.add_months(lc, &n.to_string()),
                };
                // A new customer's: the days of the span from the last contact, scaled.
                let new = d.add_days(lc, &self.scale(&d.days_between(&due, lc)));
                (self.grade_id(*g), self.if_new(&new, &due))
            })
            .collect();
        let e_text: Vec<(String, String)> = self
            .everies
            .iter()
            .map(|(g, span)| {
                let why = Why::Every {
                    grade: *g,
                    span: *span,
                    new: false,
                };
                (self.grade_id(*g), self.text(&self.english(&why, *g)))
            })
            .collect();
        let repeat: Vec<(String, String)> = self
            .orders
            .iter()
            .map(|(g, r)| {
                let repeat = r.repeat_days.max(1);
                let new = scaled(repeat, self.new_customers());
                (
                    self.grade_id(*g),
                    self.if_new(&new.to_string(), &repeat.to_string()),
                )
            })
            .collect();
        let in_list = |gs: &[Grade]| {
            let ids: Vec<String> = gs.iter().map(|g| self.grade_id(*g)).collect();
            if ids.is_empty() {
                "FALSE".to_string()
            } else {
                format!("c.fall IN ({})", ids.join(", "))
            }
        };
        // A new customer's first follow-up: the scaled days from the anchor to it, when it is
        // after the anchor.
        let first = format!(
            "CASE WHEN c.is_new AND c.o_interval > c.o_lead THEN {} ELSE {} END",
            d.add_days("c.o_anchor", &self.scale("c.o_interval - c.o_lead")),
            d.add_days("c.o_expected", "- c.o_lead"),
        );
        let order_grades: Vec<Grade> = self.orders.iter().map(|(g, _)| *g).collect();
        let every_grades: Vec<Grade> = self.everies.iter().map(|(g, _)| *g).collect();
        let step4 = format!(
            "due_4 AS{fence} (
    SELECT c.*,
        {s_due} AS s_due,
        {s_gap} AS s_gap,
        {s_text} AS s_text,
        {s_code} AS s_code,
        {first} AS o_first,
        {repeat} AS o_repeat,
        {e_due} AS e_due,
        {e_text} AS e_text,
        CASE WHEN c.planned_on IS NOT NULL THEN NULL
            WHEN c.s_step IS NOT NULL THEN 'sample'
            WHEN {is_order} THEN (CASE WHEN c.o_anchor IS NULL THEN 'first' ELSE 'order' END)
            WHEN {is_every} THEN (CASE WHEN {lc} IS NULL THEN 'first' ELSE 'every' END)
        END AS cad
    FROM due_3 c)",
            first = first,
            repeat = self.case("c.fall", &repeat, &self.null_int),
            e_due = self.case("c.fall", &e_due, &self.null_date),
            e_text = self.case("c.fall", &e_text, &self.null_text),
            is_order = in_list(&order_grades),
            is_every = in_list(&every_grades),
        );
        step4
    }

    /// The candidates as rows of `due_candidates`, in the engine's order on one day (its
    /// `slot`): the cadence (or never contacted), the agreed date, the complaint, the
    /// purchase date, the birthday, the festival.
    fn candidates(&self) -> Result<Vec<String>> {
        let d = self.d;
        let cadence = &self.job.rules.cadence;
        let with_text = |x: &str| format!("coalesce(': ' || nullif({x}, ''), '')");
        let (due, gap, reason, code) = self.cadence_columns();
        let complaint_days = cadence.complaint_response_days;
        let purchase_on = d.add_days(
            &self.q("expected_purchase"),
            &(-i64::from(cadence.intent_lead_days)).to_string(),
        );
        let rows = [
            Row {
                slot: 0,
                due,
                code,
                reason,
                gap,
                snoozable: true,
                greeting: false,
                when: "c.cad IS NOT NULL".to_string(),
            },
            Row {
                slot: 1,
                due: "c.planned_on".to_string(),
                code: self.text(Why::Planned { on: SAMPLE_DAY }.code()),
                reason: format!(
                    "{} || {} || {}",
                    self.before_date(Why::Planned { on: SAMPLE_DAY }),
                    d.date_text("c.planned_on"),
                    with_text(&self.q("next_step")),
                ),
                gap: self.null_int.clone(),
                snoozable: false,
                greeting: false,
                when: "c.planned_on IS NOT NULL".to_string(),
            },
            Row {
                slot: 2,
                due: d.add_days("c.complaint_on", &complaint_days.to_string()),
                code: self.text(complaint().code()),
                reason: format!(
                    "{} || {} || {}",
                    self.before_date(complaint()),
                    d.date_text("c.complaint_on"),
                    with_text("c.complaint_note"),
                ),
                gap: format!("CAST({} AS BIGINT)", complaint_days.max(1)),
                snoozable: false,
                greeting: false,
                when: "c.complaint_on IS NOT NULL".to_string(),
            },
            Row {
                slot: 3,
                due: purchase_on.clone(),
                code: self.text(PURCHASE.code()),
                reason: format!(
                    "{} || {}",
                    self.before_date(PURCHASE),
                    d.date_text(&self.q("expected_purchase")),
                ),
                gap: self.null_int.clone(),
                snoozable: true,
                greeting: false,
                when: format!(
                    "{} IS NOT NULL AND {}",
                    self.q("expected_purchase"),
                    self.unmet(&purchase_on)
                ),
            },
            Row {
                slot: 4,
                due: "c.bd_due".to_string(),
                code: self.text(BIRTHDAY.code()),
                reason: format!(
                    "{} || substr({}, 6, 5)",
                    self.before_date(BIRTHDAY),
                    d.date_text("c.bd_on"),
                ),
                gap: self.null_int.clone(),
                snoozable: true,
                greeting: true,
                when: format!("c.bd_due IS NOT NULL AND {}", self.unmet("c.bd_due")),
            },
        ];
        let mut candidates: Vec<String> = rows.iter().map(|r| self.row(r)).collect();
        candidates.extend(self.festival()?.map(|r| self.row(&r)));
        candidates.extend(self.intent().map(|r| self.row(&r)));
        Ok(candidates)
    }

    /// The purchase intent's row: its span after the last contact, unless a date is agreed
    /// (which replaces the cadences) or the customer was never contacted.
    fn intent(&self) -> Option<Row> {
        let (d, lc) = (self.d, &self.lc);
        let spans: Vec<(Intent, Span)> = Intent::ALL
            .iter()
            .filter_map(|i| Some((*i, self.job.rules.cadence.intent_span(*i)?)))
            .collect();
        if spans.is_empty() {
            return None;
        }
        let column = self.q("intent");
        let arms = |value: &dyn Fn(Intent, Span) -> String| -> Vec<(String, String)> {
            spans
                .iter()
                .map(|(i, span)| (self.text(i.id()), value(*i, *span)))
                .collect()
        };
        let due = self.case(
            &column,
            &arms(&|_, span| match span {
                Span::Days(n) => d.add_days(lc, &n.to_string()),
                Span::Months(n) => d.add_months(lc, &n.to_string()),
            }),
            &self.null_date,
        );
        let reason = self.case(
            &column,
            &arms(&|intent, span| {
                self.text(&self.english(&Why::Intent { intent, span }, Grade::A))
            }),
            &self.null_text,
        );
        let ids: Vec<String> = spans.iter().map(|(i, _)| self.text(i.id())).collect();
        let why = Why::Intent {
            intent: Intent::Interested,
            span: Span::Days(1),
        };
        Some(Row {
            slot: 6,
            gap: d.days_between(&due, lc),
            due,
            code: self.text(why.code()),
            reason,
            snoozable: true,
            greeting: false,
            when: format!(
                "c.planned_on IS NULL AND {lc} IS NOT NULL AND {column} IN ({})",
                ids.join(", ")
            ),
        })
    }

    /// The festival's row: the next festival's greeting (the same day for everyone), when
    /// it falls in the listing, for those `holidays_for` names at their effective grade.
    fn festival(&self) -> Result<Option<Row>> {
        let d = self.d;
        // Compiled whether or not a festival falls in the listing: a rule without SQL is an
        // error on every day, not only in the weeks before a festival.
        let graded = Compiler {
            effective_grade: true,
            ..*self.compiler
        };
        let greeted = match &self.job.rules.cadence.holidays_for {
            Some(who) => Some(graded.condition(who)?),
            None => None,
        };
        let calendar = Calendar::new(self.job.rules, self.job.weekend, self.today);
        let (Some((festival, on, greet)), Some(who)) = (calendar.festival, greeted) else {
            return Ok(None);
        };
        if greet > self.job.filter.until {
            return Ok(None);
        }
        let why = Why::Festival { festival, on };
        Ok(Some(Row {
            slot: 5,
            due: d.date(greet),
            code: self.text(why.code()),
            reason: self.text(&self.english(&why, Grade::A)),
            gap: self.null_int.clone(),
            snoozable: true,
            greeting: true,
            when: format!("{} AND {who}", self.unmet(&d.date(greet))),
        }))
    }

    /// The cadence's candidate (never contacted, the sequence's step, the order rhythm's
    /// date, the fixed interval's): its date, gap, reason and code.
    fn cadence_columns(&self) -> (String, String, String, String) {
        let (d, t, lc) = (self.d, &self.t, &self.lc);
        let met = format!("coalesce({lc} >= c.o_first, FALSE)");
        // The earliest of first, first + repeat, … that no touch has met.
        let steps = d.int_div(&d.days_between(lc, "c.o_first"), "c.o_repeat");
        let after = d.add_days("c.o_first", &format!("({steps} + 1) * c.o_repeat"));
        let order_due = format!("CASE WHEN {met} THEN {after} ELSE c.o_first END");
        let order_gap = format!("CASE WHEN {met} THEN c.o_repeat ELSE c.o_lead END");
        let order = |lapsing| Why::Order {
            expected: SAMPLE_DAY,
            lapsing,
            new: false,
        };
        let order_text = format!(
            "(CASE WHEN c.o_lapsing THEN {} ELSE {} END) || {}",
            self.before_date(order(true)),
            self.before_date(order(false)),
            d.date_text("c.o_expected"),
        );
        let every_gap = d.days_between("c.e_due", lc);
        let never = Why::NeverContacted;
        let every = Why::Every {
            grade: Grade::A,
            span: Span::Days(1),
            new: false,
        };
        let due = format!(
            "CASE c.cad WHEN 'first' THEN {t} WHEN 'sample' THEN c.s_due \
             WHEN 'order' THEN {order_due} ELSE c.e_due END"
        );
        let gap = format!(
            "CASE c.cad WHEN 'first' THEN NULL WHEN 'sample' THEN c.s_gap WHEN 'order' THEN \
             {order_gap} ELSE (CASE WHEN {every_gap} > 0 THEN {every_gap} ELSE 0 END) END"
        );
        // A new customer's gaps are said after the reason.
        let new_note = self.new_customers().map_or(String::new(), |_| {
            let note = crate::cmd::due::new_customer_note(self.job.rules, false);
            format!(
                " || (CASE WHEN c.is_new AND c.cad <> 'first' THEN {} ELSE '' END)",
                self.text(&note)
            )
        });
        let reason = format!(
            "(CASE c.cad WHEN 'first' THEN {} WHEN 'sample' THEN c.s_text \
             WHEN 'order' THEN {order_text} ELSE c.e_text END){new_note}",
            self.text(&self.english(&never, Grade::A)),
        );
        let code = format!(
            "CASE c.cad WHEN 'first' THEN {} WHEN 'sample' THEN c.s_code \
             WHEN 'order' THEN (CASE WHEN c.o_lapsing THEN {} ELSE {} END) ELSE {} END",
            self.text(never.code()),
            self.text(order(true).code()),
            self.text(order(false).code()),
            self.text(every.code()),
        );
        (due, gap, reason, code)
    }

    /// The phrase of a reason before its date (the native phrase for [`SAMPLE_DAY`], less
    /// the date).
    fn before_date(&self, why: Why) -> String {
        let whole = self.english(&why, Grade::A);
        let mut date = String::new();
        if matches!(why, Why::Birthday { .. }) {
            date.push_str(&SAMPLE_DAY.format("%m-%d").to_string());
        } else {
            push_iso(&mut date, SAMPLE_DAY);
        }
        self.text(whole.strip_suffix(&date).unwrap_or(&whole))
    }

    /// A candidate as a `SELECT` of `due_candidates`.
    fn row(&self, r: &Row) -> String {
        let flag = |b: bool| if b { "TRUE" } else { "FALSE" };
        format!(
            "    SELECT c.seq, {slot} AS slot, {due} AS soft, {code} AS code, {reason} AS reason,
        {gap} AS gap, {snoozable} AS snoozable, {greeting} AS greeting, {snooze} AS snooze
    FROM due_4 c WHERE {when}",
            slot = r.slot,
            due = r.due,
            code = r.code,
            reason = r.reason,
            gap = r.gap,
            snoozable = flag(r.snoozable),
            greeting = flag(r.greeting),
            snooze = self.q("snooze_until"),
            when = r.when,
        )
    }

    fn settle(&self, candidates: &[String]) -> String {
        let d = self.d;
        let t = &self.t;
        let cadence = &self.job.rules.cadence;
        // Settled: a snooze puts off what it may (and drops a greeting whose day it covers);
        // the date moves to a working day; past the hard limit (from the moved cadence date)
        // it is late, unless a snooze still runs.
        let late_by = format!(
            "CAST({} AS BIGINT)",
            half_away(
                d,
                &format!(
                    "{} * {}",
                    self.double("x.gap"),
                    d.double(cadence.late_factor - 1.0)
                )
            )
        );
        let settle = format!(
            "due_candidates AS (
{candidates}),
due_snoozed AS (
    SELECT k.*,
        CASE WHEN k.snoozable AND k.snooze > k.soft THEN k.snooze ELSE k.soft END AS snoozed
    FROM due_candidates k),
due_settled AS (
    SELECT x.seq, x.slot, x.code, x.reason,
        {due} AS due,
        coalesce(x.gap IS NOT NULL AND {t} > {hard}
            AND (NOT x.snoozable OR x.snooze IS NULL OR x.snooze <= {t}), FALSE) AS late
    FROM due_snoozed x
    LEFT JOIN due_days m1 ON m1.d = x.soft
    LEFT JOIN due_days m2 ON m2.d = x.snoozed
    WHERE NOT (x.greeting AND x.snoozed > x.soft)),
due_ranked AS (
    SELECT s.*, row_number() OVER (PARTITION BY s.seq ORDER BY s.due, s.slot) AS pos
    FROM due_settled s
    WHERE {until}),",
            candidates = candidates.join("\n    UNION ALL\n"),
            due = self.cal.next(d, "x.snoozed", "m2"),
            hard = d.add_days(&self.cal.next(d, "x.soft", "m1"), &late_by),
            // No last day (the report's workload): every follow-up, whenever due.
            until = if self.job.filter.until.year() > 9999 {
                "TRUE".to_string()
            } else {
                format!("s.due <= {}", d.date(self.job.filter.until))
            },
        );
        settle
    }

    fn entries(&self, most: usize) -> String {
        // One entry per customer: the earliest date, every reason earliest first.
        let nth = |col: &str, k: usize| format!("max(CASE WHEN pos = {k} THEN {col} END)");
        let joined = |col: &str, sep: &str| {
            let mut s = nth(col, 1);
            for k in 2..=most {
                s.push_str(&format!(
                    "\n            || coalesce({} || {}, '')",
                    self.text(sep),
                    nth(col, k)
                ));
            }
            s
        };
        let entries = format!(
            "due_entries AS (
    SELECT seq,
        {first} AS due,
        {reasons} AS reasons,
        {codes} AS codes,
        max(CASE WHEN late THEN 1 ELSE 0 END) AS late,
        max(CASE WHEN slot = 2 THEN 1 ELSE 0 END) AS urgent
    FROM due_ranked
    GROUP BY seq)",
            first = nth("due", 1),
            reasons = joined("reason", "; "),
            codes = joined("code", ";"),
        );
        entries
    }
}

/// Whether the customer of the view `c` (from `due_1` on) falls back on a grade that follows
/// the order rhythm (its own, or the one its sample sequences hand over to).
pub fn follows_orders(job: &Job<'_>, d: Dialect) -> String {
    let ids: Vec<String> = job
        .rules
        .cadence
        .grades
        .iter()
        .filter(|(_, c)| matches!(c, GradeCadence::Order(_)))
        .map(|(g, _)| d.string(g.id()))
        .collect();
    if ids.is_empty() {
        "FALSE".to_string()
    } else {
        format!("c.fall IN ({})", ids.join(", "))
    }
}

/// A cell of the listing, as text.
fn column(
    col: Col,
    job: &Job<'_>,
    (d, today): (Dialect, NaiveDate),
    q: &dyn Fn(&str) -> String,
) -> String {
    match col {
        Col::Due => d.date_text("e.due"),
        Col::OverdueDays => d.int_text(&d.days_between(&d.date(today), "e.due")),
        Col::Id => q("id"),
        Col::Name => q("name"),
        Col::Owner => q("owner"),
        Col::Grade => "c.eff_grade".to_string(),
        Col::Stage => q("stage"),
        Col::Type => q("type"),
        Col::Reason => "e.reasons".to_string(),
        Col::ReasonCode => "e.codes".to_string(),
        Col::Strategy => {
            let mut arms = String::new();
            let mut seen = std::collections::BTreeSet::new();
            for set in &job.rules.type_sets {
                for t in &set.types {
                    if seen.insert(t.id.as_str()) {
                        let strategy = job.rules.strategy(&t.id, job.lang).unwrap_or_default();
                        arms.push_str(&format!(
                            " WHEN {} THEN {}",
                            d.string(&t.id),
                            d.string(strategy)
                        ));
                    }
                }
            }
            if arms.is_empty() {
                format!("CAST(NULL AS {})", d.text_type())
            } else {
                format!("(CASE {}{arms} END)", q("type"))
            }
        }
        Col::Late => d.bool_text("e.late = 1"),
        Col::Phone => q("phone"),
        Col::Email => q("email"),
        Col::Contact => q("contact"),
        Col::LastContact => d.date_text(&q("last_contact")),
        Col::LastNote => "c.last_note".to_string(),
        Col::Reach => format!(
            "(CASE WHEN coalesce({phone}, '') = '' THEN {email} ELSE {phone} END)",
            phone = q("phone"),
            email = q("email")
        ),
    }
}

/// The effective grade: the book's, else the first rule of the `grade` scheme that holds
/// (its tier read as a grade), else E, as `engine::grade_of`.
fn effective_grade(rules: &Rules, compiler: &Compiler<'_>) -> Result<String> {
    let d = compiler.dialect;
    let as_grade = |tier: &str| d.string(Grade::parse(tier).unwrap_or(Grade::E).id());
    let scheme = match rules.scheme("grade") {
        Ok(s) => match &s.kind {
            SchemeKind::Rules {
                rules: by_rule,
                default,
                target: _,
            } => {
                let mut arms = String::new();
                for r in by_rule {
                    arms.push_str(&format!(
                        " WHEN {} THEN {}",
                        compiler.condition(&r.condition)?,
                        as_grade(&s.tiers[r.tier].id)
                    ));
                }
                format!("(CASE{arms} ELSE {} END)", as_grade(&s.tiers[*default].id))
            }
            _ => d.string(Grade::E.id()),
        },
        Err(_) => d.string(Grade::E.id()),
    };
    Ok(format!("coalesce(c.{}, {scheme})", d.ident("grade")))
}

/// The column of `c` a sequence's anchor reads (the date fields `engine::sample` reads),
/// NULL for another.
fn anchor(f: Field, q: &dyn Fn(&str) -> String) -> String {
    match f {
        Field::SampleRequested
        | Field::SampleReceived
        | Field::LastContact
        | Field::LastOrder
        | Field::FirstOrder
        | Field::ExpectedPurchase
        | Field::SnoozeUntil
        | Field::NextContact => q(f.name()),
        _ => "CAST(NULL AS DATE)".to_string(),
    }
}

/// The English phrase of a reason (machine formats say why in English), with no note.
fn phrase(rules: &Rules, why: &Why, grade: Grade) -> String {
    let notes = Default::default();
    let say = Say {
        lang: Lang::En,
        rules,
        notes: &notes,
    };
    reason(why, grade, &Customer::default(), &say)
}

/// Half away from zero, as Rust's `f64::round`, for a value of either sign.
fn half_away(d: Dialect, x: &str) -> String {
    format!(
        "(CASE WHEN {x} < 0 THEN - {} ELSE {} END)",
        d.round_half_up(&format!("- ({x})")),
        d.round_half_up(x)
    )
}

/// The working days as the query reads them: the non-working days of the calendar's years
/// and the years either side (`span`), each with the next and the last working day; outside
/// them, the days to move by the day of the week.
struct WorkingDays {
    rows: Vec<(NaiveDate, NaiveDate, NaiveDate)>,
    span: Option<(NaiveDate, NaiveDate)>,
    next_by_weekday: [i64; 7],
    previous_by_weekday: [i64; 7],
}

fn working_days(holidays: &Holidays, weekend: &[Weekday]) -> WorkingDays {
    let years = holidays.years.keys();
    let span = years.clone().min().zip(years.max()).and_then(|(lo, hi)| {
        Some((
            NaiveDate::from_ymd_opt(lo - 1, 1, 1)?,
            NaiveDate::from_ymd_opt(hi + 1, 12, 31)?,
        ))
    });
    let rows = span.map_or_else(Vec::new, |(lo, hi)| {
        lo.iter_days()
            .take_while(|x| *x <= hi)
            .filter(|x| !holidays.is_working_day(*x, weekend))
            .map(|x| {
                (
                    x,
                    holidays.next_working_day(x, weekend),
                    holidays.previous_working_day(x, weekend),
                )
            })
            .collect()
    });
    // A week of a year the calendar does not reach (three before its first): only the
    // weekend moves a day there.
    let year = span.map_or(2001, |(lo, _)| lo.year() - 2);
    let monday = NaiveDate::from_isoywd_opt(year, 10, Weekday::Mon).unwrap_or_default();
    let mut next_by_weekday = [0; 7];
    let mut previous_by_weekday = [0; 7];
    for (k, x) in monday.iter_days().take(7).enumerate() {
        next_by_weekday[k] = (holidays.next_working_day(x, weekend) - x).num_days();
        previous_by_weekday[k] = (holidays.previous_working_day(x, weekend) - x).num_days();
    }
    WorkingDays {
        rows,
        span,
        next_by_weekday,
        previous_by_weekday,
    }
}

impl WorkingDays {
    /// The table `due_days (d, next_d, prev_d)`.
    fn table(&self, d: Dialect) -> String {
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|(x, n, p)| vec![d.date(*x), d.date(*n), d.date(*p)])
            .collect();
        d.inline_table(&["d", "next_d", "prev_d"], &["DATE"; 3], &rows)
    }

    /// `x` itself if a working day, else the next; `joined` is `due_days` joined on `x`.
    fn next(&self, d: Dialect, x: &str, joined: &str) -> String {
        self.moved(d, x, &format!("{joined}.next_d"), &self.next_by_weekday)
    }

    /// `x` itself if a working day, else the last before it.
    fn previous(&self, d: Dialect, x: &str, joined: &str) -> String {
        self.moved(d, x, &format!("{joined}.prev_d"), &self.previous_by_weekday)
    }

    fn moved(&self, d: Dialect, x: &str, listed: &str, by_weekday: &[i64; 7]) -> String {
        let arms: String = by_weekday
            .iter()
            .enumerate()
            .filter(|(_, n)| **n != 0)
            .map(|(k, n)| format!(" WHEN {k} THEN {n}"))
            .collect();
        let outside = if arms.is_empty() {
            x.to_string()
        } else {
            d.add_days(x, &format!("(CASE {}{arms} ELSE 0 END)", d.weekday(x)))
        };
        match self.span {
            Some((lo, hi)) => format!(
                "(CASE WHEN {x} >= {} AND {x} <= {} THEN coalesce({listed}, {x}) ELSE {outside} END)",
                d.date(lo),
                d.date(hi)
            ),
            None => outside,
        }
    }
}

/// The kinds of log row that touch a customer (their latest is the last contact).
pub(super) fn touch_kinds() -> Vec<ActivityKind> {
    ActivityKind::ALL
        .iter()
        .copied()
        .filter(|k| k.is_touch())
        .collect()
}

/// Whether the customer's latest complaint (`k`, a [`latest`] row) is still open, as
/// `store::log` decides it: no touch after it, neither a later day (`last_contact`, the log's
/// or the book's) nor the same day further down the log (`tl`, the latest touch).
pub(super) fn complaint_open(last_contact: &str) -> String {
    format!(
        "k.date IS NOT NULL AND NOT coalesce({last_contact} > k.date, FALSE)
            AND NOT coalesce(tl.date = k.date AND tl.seq > k.seq, FALSE)"
    )
}

/// The log's latest row of one of `kinds` per customer up to `today` (the latest touch: its
/// note is the last note; the latest complaint), of two rows of one day the later in the log.
pub(super) fn latest(d: Dialect, activities: &str, today: &str, kinds: &[ActivityKind]) -> String {
    let ids: Vec<String> = kinds.iter().map(|k| d.string(k.id())).collect();
    format!(
        "SELECT customer_id, date, seq, note FROM (
        SELECT customer_id, date, {seq} AS seq, note,
            row_number() OVER (PARTITION BY customer_id ORDER BY date DESC, {seq} DESC) AS pos
        FROM {activities}
        WHERE date <= {today} AND kind IN ({kinds})) x
    WHERE pos = 1",
        seq = d.ident(super::tables::SEQ),
        kinds = ids.join(", "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The shipped calendar (2025 and 2026) with a Saturday–Sunday weekend: its table spans
    /// 2024 to 2027. National Day is off 1–7 October 2026 (a Thursday to a Wednesday): the
    /// 1st moves on to Thursday the 8th, or back to Wednesday 30 September. Saturday 26
    /// September is in the Mid-Autumn holiday (Friday 25th to Sunday 27th): on to Monday
    /// the 28th, back to Thursday the 24th. The make-up working Saturdays (28 February, 10
    /// October) are working days, so not in the table. Outside the table, a Saturday moves
    /// on 2 days or back 1, a Sunday on 1 or back 2.
    #[test]
    fn the_calendar_lists_its_days_off_with_their_moves() {
        let rules = Rules::load(None, None).unwrap();
        let cal = working_days(&rules.holidays, &[Weekday::Sat, Weekday::Sun]);
        assert_eq!(cal.span, Some((day(2024, 1, 1), day(2027, 12, 31))));
        let row = |x: NaiveDate| cal.rows.iter().find(|r| r.0 == x).copied();
        assert_eq!(
            row(day(2026, 10, 1)),
            Some((day(2026, 10, 1), day(2026, 10, 8), day(2026, 9, 30)))
        );
        assert_eq!(
            row(day(2026, 9, 26)),
            Some((day(2026, 9, 26), day(2026, 9, 28), day(2026, 9, 24)))
        );
        assert_eq!(row(day(2026, 2, 28)), None);
        assert_eq!(row(day(2026, 10, 10)), None);
        assert_eq!(cal.next_by_weekday, [0, 0, 0, 0, 0, 2, 1]);
        assert_eq!(cal.previous_by_weekday, [0, 0, 0, 0, 0, -1, -2]);
    }

    /// A date inside the table's years takes its listed move (or stays, a working day);
    /// outside, it moves by its day of the week (0 Monday, counted from Monday 2000-01-03).
    #[test]
    fn a_date_moves_by_the_table_or_by_its_weekday() {
        let rules = Rules::load(None, None).unwrap();
        let cal = working_days(&rules.holidays, &[Weekday::Sat, Weekday::Sun]);
        assert_eq!(
            cal.next(Dialect::Duckdb, "x", "w"),
            "(CASE WHEN x >= DATE '2024-01-01' AND x <= DATE '2027-12-31' THEN coalesce(w.next_d, x) \
             ELSE CAST(x + CAST((CASE (((CAST((x - DATE '2000-01-03') AS BIGINT)) % 7 + 7) % 7) \
             WHEN 5 THEN 2 WHEN 6 THEN 1 ELSE 0 END) AS INTEGER) AS DATE) END)"
        );
        assert_eq!(
            cal.previous(Dialect::Spark, "x", "w"),
            "(CASE WHEN x >= DATE '2024-01-01' AND x <= DATE '2027-12-31' THEN coalesce(w.prev_d, x) \
             ELSE date_add(x, CAST((CASE (((datediff(x, DATE '2000-01-03')) % 7 + 7) % 7) \
             WHEN 5 THEN -1 WHEN 6 THEN -2 ELSE 0 END) AS INT)) END)"
        );
        // No years and no weekend: every day is a working day.
        let none = working_days(&Holidays::default(), &[]);
        assert_eq!(none.next(Dialect::Postgres, "x", "w"), "x");
        assert_eq!(
            none.table(Dialect::Postgres),
            "SELECT CAST(NULL AS DATE) AS d, CAST(NULL AS DATE) AS next_d, \
             CAST(NULL AS DATE) AS prev_d WHERE FALSE"
        );
    }

    /// A table of rows: `VALUES` in parentheses with the alias's columns; Spark's without.
    #[test]
    fn inline_tables_per_dialect() {
        let rows = vec![vec!["1".to_string(), "'a'".to_string()]];
        assert_eq!(
            Dialect::Duckdb.inline_table(&["n", "s"], &["INT", "TEXT"], &rows),
            "SELECT * FROM (VALUES\n        (1, 'a')) AS v(n, s)"
        );
        assert_eq!(
            Dialect::Spark.inline_table(&["n", "s"], &["INT", "STRING"], &rows),
            "SELECT * FROM VALUES\n        (1, 'a') AS v(n, s)"
        );
    }

    /// Rust's `f64::round` rounds half away from zero: 2.5 to 3 and -2.5 to -3, where
    /// floor(x + 0.5) alone would give -2.
    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(
            half_away(Dialect::Duckdb, "g"),
            "(CASE WHEN g < 0 THEN - floor(- (g) + 0.5) ELSE floor(g + 0.5) END)"
        );
    }

    /// The phrases come from the native reasons: "A expected order " before the date.
    #[test]
    fn phrases_are_the_native_ones_in_english() {
        let rules = Rules::load(None, None).unwrap();
        let why = Why::Every {
            grade: Grade::D,
            span: Span::Months(3),
            new: false,
        };
        assert_eq!(phrase(&rules, &why, Grade::D), "D every 3 months");
        assert_eq!(
            phrase(&rules, &Why::NeverContacted, Grade::A),
            "never contacted"
        );
    }
}
