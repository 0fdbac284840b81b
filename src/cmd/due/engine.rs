//! The follow-up engine: for each customer, every follow-up it has coming: by its grade's
//! cadence (or the date agreed with it, which replaces the cadence until it is met), an
//! unanswered complaint, the purchase-intent date, birthday and festival greetings. Pure:
//! customers, rules and today in, entries out.

use chrono::{Days, Months, NaiveDate, Weekday};

use crate::model::value::Span;
use crate::model::{Customer, Field, Grade, Intent, ListKind, RowKey, next_birthday};
use crate::rules::cadence::{GradeCadence, NewCustomers, OrderRhythm, Sequence, scaled};
use crate::rules::expr::Env;
use crate::rules::{Holidays, Rules};

/// Which rule produced a follow-up, with what the reason line needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// No touch on record at all.
    NeverContacted,
    /// Grade A: the expected next order, and whether the customer is lapsing; `new`: at a
    /// new customer's shorter gaps (cadence.toml's `new_customers`), as with the two below.
    Order {
        expected: NaiveDate,
        lapsing: bool,
        new: bool,
    },
    /// Grade B: step `step` (1-based) of `of` in the sequence anchored at `anchor`.
    Sample {
        anchor: Field,
        step: usize,
        of: usize,
        new: bool,
    },
    /// A fixed interval (C, D, E, or after a B sequence).
    Every { grade: Grade, span: Span, new: bool },
    /// The customer named a date for buying.
    Purchase { expected: NaiveDate },
    /// A birthday greeting.
    Birthday { on: NaiveDate },
    /// A follow-up agreed for this date (`plan`); what it is for is the customer's
    /// `next_step`.
    Planned { on: NaiveDate },
    /// A complaint logged on `on` and not answered since; its note is at `row`.
    Complaint { on: NaiveDate, row: RowKey },
    /// A festival greeting: the festival (an index into the holidays' festivals) and its day.
    Festival { festival: usize, on: NaiveDate },
    /// The follow-up of the customer's purchase intent, every `span` after the last contact.
    Intent { intent: Intent, span: Span },
}

impl Why {
    /// A short slug for stable calendar ids.
    pub fn slug(&self) -> &'static str {
        match self {
            Why::NeverContacted => "first",
            Why::Order { .. } => "order",
            Why::Sample {
                anchor: Field::SampleReceived,
                ..
            } => "received",
            Why::Sample { .. } => "sample",
            Why::Every { .. } => "every",
            Why::Purchase { .. } => "purchase",
            Why::Birthday { .. } => "birthday",
            Why::Planned { .. } => "plan",
            Why::Complaint { .. } => "complaint",
            Why::Festival { .. } => "festival",
            Why::Intent { .. } => "intent",
        }
    }

    /// The stable code of the reason, for scripts (`reason_code`): the slug, with a lapsing
    /// order customer told apart.
    pub fn code(&self) -> &'static str {
        match self {
            Why::Order { lapsing: true, .. } => "lapsing",
            why => why.slug(),
        }
    }

    /// Whether the follow-up comes at a new customer's shorter gaps.
    pub fn is_new(&self) -> bool {
        matches!(
            self,
            Why::Order { new: true, .. }
                | Why::Sample { new: true, .. }
                | Why::Every { new: true, .. }
        )
    }

    /// A complaint comes first: solve problems promptly.
    pub fn is_urgent(&self) -> bool {
        matches!(self, Why::Complaint { .. })
    }
}

/// One customer's follow-ups: the earliest, and any others due by the same date limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueEntry {
    /// Index into the book's customers.
    pub customer: usize,
    /// The grade the cadence came from (the book's, or the `grade` scheme's when empty).
    pub grade: Grade,
    /// The date the earliest follow-up is due, moved to a working day.
    pub due: NaiveDate,
    pub why: Why,
    /// Past the hard limit (twice the cadence gap), for any of the follow-ups.
    pub late: bool,
    /// The other follow-ups due, earliest first, each with its date (empty for most
    /// customers, and then no allocation).
    pub more: Vec<(NaiveDate, Why)>,
}

impl DueEntry {
    /// Every follow-up of the entry, earliest first.
    pub fn reasons(&self) -> impl Iterator<Item = (NaiveDate, &Why)> {
        std::iter::once((self.due, &self.why)).chain(self.more.iter().map(|(d, w)| (*d, w)))
    }

    /// Whether one of its follow-ups comes before the rest of the list (a complaint).
    pub fn is_urgent(&self) -> bool {
        self.reasons().any(|(_, w)| w.is_urgent())
    }
}

/// Weekends and holidays, to move due dates onto working days, and the next festival
/// greeting.
#[derive(Clone, Copy, Debug)]
pub struct Calendar<'a> {
    pub holidays: &'a Holidays,
    pub weekend: &'a [Weekday],
    /// The next festival whose greeting day is not past: (festival, its day, the day the
    /// greeting is due). The same for every customer, so found once.
    pub festival: Option<(usize, NaiveDate, NaiveDate)>,
}

impl<'a> Calendar<'a> {
    pub fn new(rules: &'a Rules, weekend: &'a [Weekday], today: NaiveDate) -> Calendar<'a> {
        let mut cal = Calendar {
            holidays: &rules.holidays,
            weekend,
            festival: None,
        };
        cal.festival = cal.next_festival(rules, today);
        cal
    }

    /// The day a greeting for `on` is due, `lead` days before it: on a working day, the last
    /// one before it when it falls on a day off (a greeting after the day is too late). A
    /// festival that is a day off itself is greeted before it.
    pub fn greeting_day(&self, on: NaiveDate, lead: u32, day_off: bool) -> NaiveDate {
        let mut day = plus_days(on, -i64::from(lead));
        if day_off && day >= on {
            day = plus_days(on, -1);
        }
        self.holidays.previous_working_day(day, self.weekend)
    }

    /// The festival whose greeting day is the first on or after `today`.
    fn next_festival(
        &self,
        rules: &Rules,
        today: NaiveDate,
    ) -> Option<(usize, NaiveDate, NaiveDate)> {
        rules.cadence.holidays_for.as_ref()?;
        let lead = rules.cadence.holiday_lead_days;
        let greeted = |on: NaiveDate, day_off: bool| self.greeting_day(on, lead, day_off);
        self.holidays
            .festivals
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let mut on = f.next_on_or_after(today)?;
                if greeted(on, f.day_off) < today {
                    on = f.next_on_or_after(on.succ_opt()?)?;
                }
                Some((i, on, greeted(on, f.day_off)))
            })
            .min_by_key(|&(_, on, greet)| (greet, on))
    }
}

/// A candidate follow-up before the calendar and snooze are applied.
struct Candidate {
    due: NaiveDate,
    why: Why,
    /// The cadence gap in days that led to `due`; past `due + gap × (factor − 1)` it is late.
    gap: Option<u32>,
}

fn add_span(date: NaiveDate, span: Span) -> NaiveDate {
    match span {
        Span::Days(d) => date.checked_add_days(Days::new(u64::from(d))),
        // chrono clamps to the month's end: Aug 31 + 3 months = Nov 30.
        Span::Months(m) => date.checked_add_months(Months::new(m)),
    }
    .unwrap_or(NaiveDate::MAX)
}

fn plus_days(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(chrono::TimeDelta::days(days))
        .unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// Whether a touch on `last_contact` meets a follow-up due on `date`.
fn met(last_contact: Option<NaiveDate>, date: NaiveDate) -> bool {
    last_contact.is_some_and(|t| t >= date)
}

/// The effective grade: the book's, else the first matching rule of the `grade` scheme.
pub fn grade_of(c: &Customer, rules: &Rules, env: &Env<'_>) -> Grade {
    if let Some(g) = c.grade {
        return g;
    }
    rules
        .scheme("grade")
        .ok()
        .and_then(|s| s.rule_tier(c, env).map(|i| &s.tiers[i].id))
        .and_then(|id| <Grade as crate::model::Enumeration>::parse(id))
        .unwrap_or(Grade::E)
}

/// The follow-up a grade's cadence asks for; `new`: a new customer's shorter gaps, when the
/// customer is one ([`new_customer`]).
fn cadence_candidate(
    c: &Customer,
    grade: Grade,
    rules: &Rules,
    today: NaiveDate,
    new: Option<&NewCustomers>,
) -> Option<Candidate> {
    let cadence = rules.cadence.grades.get(&grade)?;
    match cadence {
        GradeCadence::Every(span) => Some(every(c, grade, *span, new)),
        GradeCadence::Order(rhythm) => Some(order(c, rhythm, today, new)),
        GradeCadence::Sequence { sequences, then } => {
            sample(c, sequences, new).or_else(|| match rules.cadence.grades.get(then) {
                Some(GradeCadence::Every(span)) => Some(every(c, *then, *span, new)),
                Some(GradeCadence::Order(rhythm)) => Some(order(c, rhythm, today, new)),
                _ => None,
            })
        }
    }
}

/// The new-customer rule, when it applies to `c` followed up at `grade`: the grade is one
/// it names and its condition holds.
pub(crate) fn new_customer<'r>(
    c: &Customer,
    grade: Grade,
    rules: &'r Rules,
    env: &Env<'_>,
) -> Option<&'r NewCustomers> {
    let new = rules.cadence.new_customers.as_ref()?;
    (new.grades.contains(&grade) && holds_at(&new.when, c, grade, env)).then_some(new)
}

/// Whether condition `cond` holds for `c`, with `grade` in the condition the grade the
/// customer is followed up at: the book's, or the grade scheme's when the book gives none
/// (a copy then, for those few customers).
fn holds_at(
    cond: &crate::rules::expr::Compiled,
    c: &Customer,
    grade: Grade,
    env: &Env<'_>,
) -> bool {
    if c.grade.is_some() {
        cond.holds(c, env)
    } else {
        let graded = Customer {
            grade: Some(grade),
            ..c.clone()
        };
        cond.holds(&graded, env)
    }
}

fn every(c: &Customer, grade: Grade, span: Span, new: Option<&NewCustomers>) -> Candidate {
    match c.last_contact {
        None => Candidate {
            due: NaiveDate::MIN,
            why: Why::NeverContacted,
            gap: None,
        },
        Some(last) => {
            let mut due = add_span(last, span);
            if let Some(n) = new {
                // The days of the span from this contact (months vary), scaled.
                let days = (due - last).num_days().clamp(0, i64::from(u32::MAX)) as u32;
                due = plus_days(last, i64::from(n.scale(days)));
            }
            Candidate {
                due,
                why: Why::Every {
                    grade,
                    span,
                    new: new.is_some(),
                },
                gap: Some((due - last).num_days().max(0) as u32),
            }
        }
    }
}

/// Grade A: due a lead time before the expected order, then every `repeat_days` until it
/// comes. A new customer's first follow-up comes after the scaled days from the anchor to
/// it (when it is after the anchor), its repeats at the scaled repeat.
fn order(c: &Customer, r: &OrderRhythm, today: NaiveDate, new: Option<&NewCustomers>) -> Candidate {
    let Some(anchor) = c.last_order.or(c.last_contact) else {
        return Candidate {
            due: NaiveDate::MIN,
            why: Why::NeverContacted,
            gap: None,
        };
    };
    let interval = c
        .order_interval_days
        .unwrap_or(r.default_interval_days)
        .max(1);
    let expected = plus_days(anchor, i64::from(interval));
    let lead = r.lead_days(interval);
    let mut first = plus_days(expected, -i64::from(lead));
    if let Some(n) = new
        && interval > lead
    {
        first = plus_days(anchor, i64::from(n.scale(interval - lead)));
    }
    let repeat_days = scaled(r.repeat_days.max(1), new);
    let repeat = i64::from(repeat_days);
    // The earliest date of the series first, first + repeat, ... that no touch has met yet.
    let (due, gap) = match c.last_contact {
        Some(t) if t >= first => {
            let steps = (t - first).num_days() / repeat + 1;
            (plus_days(first, steps * repeat), repeat_days)
        }
        _ => (first, lead),
    };
    let lapse_days = (f64::from(interval) * r.lapse_factor).round() as i64;
    let lapsing = c
        .last_order
        .is_some_and(|o| today >= plus_days(o, lapse_days));
    Candidate {
        due,
        why: Why::Order {
            expected,
            lapsing,
            new: new.is_some(),
        },
        gap: Some(gap),
    }
}

/// Grade B: the earliest unmet step of the sequence anchored at the latest sample event
/// (each gap scaled for a new customer). None when there is no sample or every step is met.
fn sample(c: &Customer, sequences: &[Sequence], new: Option<&NewCustomers>) -> Option<Candidate> {
    let date_of = |f: Field| match f {
        Field::SampleRequested => c.sample_requested,
        Field::SampleReceived => c.sample_received,
        Field::LastContact => c.last_contact,
        Field::LastOrder => c.last_order,
        Field::FirstOrder => c.first_order,
        Field::ExpectedPurchase => c.expected_purchase,
        Field::SnoozeUntil => c.snooze_until,
        Field::NextContact => c.next_contact,
        _ => None,
    };
    // The latest anchor wins; on a tie, the sequence listed first.
    let (seq, anchor) = sequences
        .iter()
        .filter_map(|s| date_of(s.anchor).map(|d| (s, d)))
        .fold(
            None,
            |best: Option<(&Sequence, NaiveDate)>, (s, d)| match best {
                Some((_, bd)) if bd >= d => best,
                _ => Some((s, d)),
            },
        )?;
    let mut date = anchor;
    for (i, gap) in seq.gaps.iter().enumerate() {
        let gap = scaled(*gap, new);
        date = plus_days(date, i64::from(gap));
        if !met(c.last_contact, date) {
            return Some(Candidate {
                due: date,
                why: Why::Sample {
                    anchor: seq.anchor,
                    step: i + 1,
                    of: seq.gaps.len(),
                    new: new.is_some(),
                },
                gap: Some(gap),
            });
        }
    }
    None
}

/// The date of the expected order of a customer whose grade follows the order rhythm and who
/// is lapsing (late with it by the rhythm's lapse factor). Lapsing belongs to the rhythm, not
/// to whichever follow-up comes first: a birthday greeting or a named purchase date due
/// sooner does not hide it.
pub fn lapsing(c: &Customer, grade: Grade, rules: &Rules, today: NaiveDate) -> Option<NaiveDate> {
    // Lapsing and the expected order do not depend on a new customer's shorter gaps.
    match cadence_candidate(c, grade, rules, today, None)?.why {
        Why::Order {
            expected,
            lapsing: true,
            ..
        } => Some(expected),
        _ => None,
    }
}

/// The customer's follow-up entry, if one is due on or before `until`. `env` is the book's
/// (today, and its extra columns for grade rules that read them).
pub fn entry(
    c: &Customer,
    index: usize,
    rules: &Rules,
    cal: Calendar<'_>,
    env: &Env<'_>,
    until: NaiveDate,
) -> Option<DueEntry> {
    graded_entry(c, index, grade_of(c, rules, env), rules, cal, env, until)
}

/// [`entry`] for a customer whose effective grade ([`grade_of`]) is known: every follow-up
/// due on or before `until`, earliest first.
pub fn graded_entry(
    c: &Customer,
    index: usize,
    grade: Grade,
    rules: &Rules,
    cal: Calendar<'_>,
    env: &Env<'_>,
    until: NaiveDate,
) -> Option<DueEntry> {
    if c.list == ListKind::Black {
        return None;
    }
    let today = env.today;
    // A date agreed with the customer replaces the cadence until a touch meets it.
    let planned = planned(c);
    // The date agreed replaces the grade's cadence and the intent's.
    let (cadence, intent) = if planned.is_some() {
        (None, None)
    } else {
        let new = new_customer(c, grade, rules, env);
        (
            cadence_candidate(c, grade, rules, today, new),
            intent(c, rules),
        )
    };
    // A fixed array, not a Vec: this runs once per customer of a million-row book.
    let candidates = [
        cadence,
        planned,
        complaint(c, rules),
        purchase(c, rules),
        birthday(c, rules, cal, today),
        festival(c, grade, rules, cal, env, until),
        intent,
    ];
    let mut due: [Option<Settled>; 7] = [None; 7];
    let mut n = 0;
    for cand in candidates.into_iter().flatten() {
        let Some(s) = settle(cand, c, rules, cal, today) else {
            continue;
        };
        if s.due <= until {
            due[n] = Some(s);
            n += 1;
        }
    }
    let due = &mut due[..n];
    // Earliest first; on one day, in the order above.
    due.sort_by_key(|s| s.as_ref().map(|s| s.due));
    let mut settled = due.iter_mut().filter_map(Option::take);
    let first = settled.next()?;
    let mut late = first.late;
    let more = settled
        .map(|s| {
            late |= s.late;
            (s.due, s.why)
        })
        .collect();
    Some(DueEntry {
        customer: index,
        grade,
        due: first.due,
        why: first.why,
        late,
        more,
    })
}

/// The follow-up agreed for a date (`plan`), until a touch on or after it.
fn planned(c: &Customer) -> Option<Candidate> {
    let on = c.next_contact?;
    (!met(c.last_contact, on)).then_some(Candidate {
        due: on,
        why: Why::Planned { on },
        gap: None,
    })
}

/// An unanswered complaint: due `response_days` after it (then on a working day).
fn complaint(c: &Customer, rules: &Rules) -> Option<Candidate> {
    let on = c.open_complaint.date()?;
    let days = rules.cadence.complaint_response_days;
    Some(Candidate {
        due: plus_days(on, i64::from(days)),
        why: Why::Complaint {
            on,
            row: c.open_complaint,
        },
        gap: Some(days.max(1)),
    })
}

/// The next festival's greeting, for the customers `holidays_for` names, when its day is
/// by `until` and no touch has met it.
fn festival(
    c: &Customer,
    grade: Grade,
    rules: &Rules,
    cal: Calendar<'_>,
    env: &Env<'_>,
    until: NaiveDate,
) -> Option<Candidate> {
    let (festival, on, greet) = cal.festival?;
    if greet > until || met(c.last_contact, greet) {
        return None;
    }
    let who = rules.cadence.holidays_for.as_ref()?;
    holds_at(who, c, grade, env).then_some(Candidate {
        due: greet,
        why: Why::Festival { festival, on },
        gap: None,
    })
}

/// The follow-up of the customer's purchase intent, its span after the last contact (a
/// customer never contacted is due at once by the cadence already).
fn intent(c: &Customer, rules: &Rules) -> Option<Candidate> {
    let intent = c.intent?;
    let span = rules.cadence.intent_span(intent)?;
    let last = c.last_contact?;
    let due = add_span(last, span);
    Some(Candidate {
        due,
        why: Why::Intent { intent, span },
        gap: Some((due - last).num_days().max(0) as u32),
    })
}

/// The follow-up before a purchase date the customer named, a lead time before it.
fn purchase(c: &Customer, rules: &Rules) -> Option<Candidate> {
    let expected = c.expected_purchase?;
    let due = plus_days(expected, -i64::from(rules.cadence.intent_lead_days));
    (!met(c.last_contact, due)).then_some(Candidate {
        due,
        why: Why::Purchase { expected },
        gap: None,
    })
}

/// The birthday greeting, a lead time before the birthday, on the last working day before
/// it when that falls on a day off (a Sunday birthday is greeted on Friday, not Monday): the
/// occurrence whose greeting day is not yet past.
fn birthday(c: &Customer, rules: &Rules, cal: Calendar<'_>, today: NaiveDate) -> Option<Candidate> {
    let md = c.birthday?;
    let lead = rules.cadence.birthday_lead_days;
    let greeting = |on: NaiveDate| cal.greeting_day(on, lead, false);
    let mut on = next_birthday(md, plus_days(today, -14));
    if greeting(on) < today {
        on = next_birthday(md, on.succ_opt().unwrap_or(on));
    }
    let due = greeting(on);
    (!met(c.last_contact, due)).then_some(Candidate {
        due,
        why: Why::Birthday { on },
        gap: None,
    })
}

/// A follow-up as it is listed: its date and whether it is late.
#[derive(Clone, Copy, Debug)]
struct Settled {
    due: NaiveDate,
    why: Why,
    late: bool,
}

/// A candidate as it is listed: never contacted is due today; a snooze puts it off (not a
/// date agreed with the customer, nor a complaint), and drops a greeting whose day it
/// covers (a greeting after the day is too late, and the customer asked for quiet); the
/// date moves to a working day; past the hard limit it is late.
fn settle(
    cand: Candidate,
    c: &Customer,
    rules: &Rules,
    cal: Calendar<'_>,
    today: NaiveDate,
) -> Option<Settled> {
    let soft = if cand.due == NaiveDate::MIN {
        today
    } else {
        cand.due
    };
    let snoozable = !matches!(cand.why, Why::Planned { .. } | Why::Complaint { .. });
    let snoozed = match c.snooze_until {
        Some(s) if s > soft && snoozable => s,
        _ => soft,
    };
    if snoozed > soft && matches!(cand.why, Why::Birthday { .. } | Why::Festival { .. }) {
        return None;
    }
    // The hard limit runs from the cadence date as moved to a working day (a Monday
    // follow-up is not late on Monday); a snooze suspends lateness, it does not reset it.
    let moved = cal.holidays.next_working_day(soft, cal.weekend);
    let due = if snoozed == soft {
        moved
    } else {
        cal.holidays.next_working_day(snoozed, cal.weekend)
    };
    let late_factor = rules.cadence.late_factor;
    let late = cand.gap.is_some_and(|g| {
        let hard = plus_days(moved, (f64::from(g) * (late_factor - 1.0)).round() as i64);
        today > hard && (!snoozable || c.snooze_until.is_none_or(|s| s <= today))
    });
    Some(Settled {
        due,
        why: cand.why,
        late,
    })
}

#[cfg(test)]
mod tests;
