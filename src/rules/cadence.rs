//! Follow-up cadences per grade (`rules/cadence.toml`): the order rhythm of A,
//! the sample sequences of B, the fixed intervals of C/D/E, late limits, greetings.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::expr::Compiled;
use super::{RuleFile, TraitVocab};
use crate::error::Diagnostic;
use crate::model::messages::rules::{RuleMsg, Thing};
use crate::model::value::{Span, parse_duration};
use crate::model::{Enumeration, Field, FieldType, Grade, Intent};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CadenceFile {
    order_cluster_days: Option<u32>,
    grade: BTreeMap<toml::Spanned<String>, toml::Spanned<GradeFile>>,
    late: LateFile,
    purchase_intent: IntentFile,
    greetings: GreetingsFile,
    complaint: Option<ComplaintFile>,
    new_customers: Option<NewCustomersFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GradeFile {
    rhythm: Option<toml::Spanned<String>>,
    default_interval_days: Option<u32>,
    lead_ratio: Option<f64>,
    lead_min_days: Option<u32>,
    lead_max_days: Option<u32>,
    repeat_days: Option<u32>,
    lapse_factor: Option<f64>,
    sequences: Option<Vec<SequenceFile>>,
    then: Option<toml::Spanned<String>>,
    every: Option<toml::Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SequenceFile {
    anchor: toml::Spanned<String>,
    gaps: Vec<toml::Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LateFile {
    factor: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentFile {
    lead_days: u32,
    every: Option<BTreeMap<toml::Spanned<String>, toml::Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewCustomersFile {
    when: Option<toml::Spanned<String>>,
    grades: Vec<toml::Spanned<String>>,
    factor: toml::Spanned<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GreetingsFile {
    birthday_lead_days: u32,
    holiday_lead_days: Option<u32>,
    holidays_for: Option<toml::Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComplaintFile {
    response_days: u32,
}

/// Grade A: follow the customer's own ordering rhythm.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderRhythm {
    /// The interval assumed when the log has fewer than two orders.
    pub default_interval_days: u32,
    /// Due this share of the interval before the expected order ...
    pub lead_ratio: f64,
    /// ... but at least / at most this many days.
    pub lead_min_days: u32,
    pub lead_max_days: u32,
    /// Then again every this many days until an order comes.
    pub repeat_days: u32,
    /// No order for this many intervals: lapsing.
    pub lapse_factor: f64,
}

/// A sequence of follow-up gaps anchored at a date field.
#[derive(Clone, Debug, PartialEq)]
pub struct Sequence {
    pub anchor: Field,
    pub gaps: Vec<u32>,
}

impl OrderRhythm {
    /// How many days before the expected order the first follow-up is due, for a customer
    /// ordering every `interval` days.
    pub fn lead_days(&self, interval: u32) -> u32 {
        ((f64::from(interval) * self.lead_ratio).round() as u32).clamp(
            self.lead_min_days,
            self.lead_max_days.max(self.lead_min_days),
        )
    }
}

/// How one grade is followed up.
#[derive(Clone, Debug, PartialEq)]
pub enum GradeCadence {
    Order(OrderRhythm),
    /// The sequence whose anchor is the latest date applies (on a tie, the one listed first);
    /// when it ends, grade `then`'s cadence.
    Sequence {
        sequences: Vec<Sequence>,
        then: Grade,
    },
    Every(Span),
}

/// New customers are followed up more often: for the grades named, a customer for whom
/// `when` holds has each gap of its grade's cadence multiplied by `factor`.
#[derive(Clone, Debug, PartialEq)]
pub struct NewCustomers {
    pub when: Compiled,
    pub grades: Vec<Grade>,
    pub factor: f64,
}

impl NewCustomers {
    /// A gap of `days` for a new customer: `days × factor`, rounded half away from zero,
    /// at least a day.
    pub fn scale(&self, days: u32) -> u32 {
        ((f64::from(days) * self.factor).round() as u32).max(1)
    }
}

/// `days` at a new customer's gaps when `new` is the rule that applies to the customer, else
/// as they are.
pub fn scaled(days: u32, new: Option<&NewCustomers>) -> u32 {
    new.map_or(days, |n| n.scale(days))
}

/// Who is a new customer when a cadence file does not say (one written before the key
/// existed): a first order within 180 days, as the `tenure` scheme of the shipped tiers.toml.
pub const DEFAULT_NEW_WHEN: &str = "has(first_order) && days_since(first_order) <= 180";
/// The grades and factor of new customers when a cadence file does not say: A and B, at
/// half the gap.
pub const DEFAULT_NEW_GRADES: [Grade; 2] = [Grade::A, Grade::B];
pub const DEFAULT_NEW_FACTOR: f64 = 0.5;
/// Each purchase intent's follow-up when a cadence file does not say: interested every 3
/// days, considering every week, not now every month, will not buy none of its own.
pub const DEFAULT_INTENT_EVERY: [Option<Span>; 4] = [
    Some(Span::Days(3)),
    Some(Span::Days(7)),
    Some(Span::Months(1)),
    None,
];

/// Orders closer together than this many days are one ordering occasion, when a cadence file
/// does not say (one written before the key existed).
pub const DEFAULT_ORDER_CLUSTER_DAYS: u32 = 7;

/// The whole cadence table.
#[derive(Clone, Debug, PartialEq)]
pub struct Cadence {
    /// Orders closer together than this many days are one occasion of the order rhythm.
    pub order_cluster_days: u32,
    pub grades: BTreeMap<Grade, GradeCadence>,
    /// Past this many cadence gaps, a follow-up is late.
    pub late_factor: f64,
    pub intent_lead_days: u32,
    pub birthday_lead_days: u32,
    /// Holiday greetings are due this many days before the festival.
    pub holiday_lead_days: u32,
    /// Who gets holiday greetings (none when the file names no one).
    pub holidays_for: Option<Compiled>,
    /// A complaint is due this many days after it is logged (then the next working day).
    pub complaint_response_days: u32,
    /// New customers' shorter gaps (None: no one is followed up as new).
    pub new_customers: Option<NewCustomers>,
    /// The follow-up of each purchase intent, every so often after the last contact, by
    /// [`Intent`] in order (None: none of its own).
    pub intent_every: [Option<Span>; 4],
}

impl Cadence {
    /// The follow-up of purchase intent `intent`, if it has one.
    pub fn intent_span(&self, intent: Intent) -> Option<Span> {
        self.intent_every[intent as usize]
    }
}

/// Who is greeted on festivals when a cadence file does not say (one written before the key
/// existed): the red list and grades A and B, as the shipped file says.
pub const DEFAULT_HOLIDAYS_FOR: &str = r#"list == "red" || grade == "A" || grade == "B""#;

impl Cadence {
    pub fn load(file: &RuleFile, vocab: &TraitVocab) -> Result<Cadence, Vec<Diagnostic>> {
        let parsed: CadenceFile = file.parse().map_err(|d| vec![d])?;
        let mut problems = Vec::new();
        let default_for = toml::Spanned::new(0..0, DEFAULT_HOLIDAYS_FOR.to_string());
        let holidays_for = match &parsed.greetings.holidays_for {
            Some(v) if v.get_ref().trim().is_empty() => None,
            v => match file.condition(v.as_ref().unwrap_or(&default_for), vocab) {
                Ok(c) => Some(c),
                Err(d) => {
                    problems.push(d);
                    None
                }
            },
        };
        let new_customers = new_customers(file, parsed.new_customers.as_ref(), vocab)
            .unwrap_or_else(|d| {
                problems.push(d);
                None
            });
        let intent_every = match &parsed.purchase_intent.every {
            None => DEFAULT_INTENT_EVERY,
            Some(table) => intent_every(file, table).unwrap_or_else(|d| {
                problems.push(d);
                [None; 4]
            }),
        };
        let mut grades = BTreeMap::new();
        let mut named = Vec::new();
        for (key, g) in &parsed.grade {
            let grade = match named_value::<Grade>(file, key, Thing::Grade) {
                Ok(grade) => grade,
                Err(d) => {
                    problems.push(d);
                    continue;
                }
            };
            named.push(grade);
            match grade_cadence(file, g) {
                Ok(c) => {
                    grades.insert(grade, c);
                }
                Err(d) => problems.push(d),
            }
        }
        // A grade the file does not name at all (one named with a problem was reported).
        for g in Grade::ALL {
            if !named.contains(g) {
                let message = RuleMsg::NoCadence { grade: g.id() };
                problems.push(file.error(0..0, message.to_string()));
            }
        }
        for (key, g) in &parsed.grade {
            if let Some(then) = &g.get_ref().then
                && let Some(GradeCadence::Sequence { .. }) =
                    Grade::parse(then.get_ref()).and_then(|t| grades.get(&t))
            {
                let message = RuleMsg::HandOverToSequence {
                    grade: key.get_ref(),
                };
                problems.push(file.error(then.span(), message.to_string()));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Cadence {
            order_cluster_days: parsed
                .order_cluster_days
                .unwrap_or(DEFAULT_ORDER_CLUSTER_DAYS),
            grades,
            late_factor: parsed.late.factor,
            intent_lead_days: parsed.purchase_intent.lead_days,
            birthday_lead_days: parsed.greetings.birthday_lead_days,
            holiday_lead_days: parsed.greetings.holiday_lead_days.unwrap_or(0),
            holidays_for,
            complaint_response_days: parsed.complaint.map_or(1, |c| c.response_days),
            new_customers,
            intent_every,
        })
    }
}

/// The `[new_customers]` table, or the shipped default when the file has none.
fn new_customers(
    file: &RuleFile,
    parsed: Option<&NewCustomersFile>,
    vocab: &TraitVocab,
) -> Result<Option<NewCustomers>, Diagnostic> {
    let default_when = toml::Spanned::new(0..0, DEFAULT_NEW_WHEN.to_string());
    let Some(parsed) = parsed else {
        return Ok(Some(NewCustomers {
            when: file.condition(&default_when, vocab)?,
            grades: DEFAULT_NEW_GRADES.to_vec(),
            factor: DEFAULT_NEW_FACTOR,
        }));
    };
    let factor = *parsed.factor.get_ref();
    if !(factor > 0.0 && factor.is_finite()) {
        let message = RuleMsg::NotPositive {
            key: "factor",
            text: &factor.to_string(),
        };
        return Err(file.error(parsed.factor.span(), message.to_string()));
    }
    let grades = parsed
        .grades
        .iter()
        .map(|g| named_value::<Grade>(file, g, Thing::Grade))
        .collect::<Result<Vec<_>, _>>()?;
    let when = parsed.when.as_ref().unwrap_or(&default_when);
    if when.get_ref().trim().is_empty() || grades.is_empty() {
        return Ok(None);
    }
    Ok(Some(NewCustomers {
        when: file.condition(when, vocab)?,
        grades,
        factor,
    }))
}

/// The `[purchase_intent.every]` table: a span per intent, `""` for none; an intent the
/// table leaves out has none.
fn intent_every(
    file: &RuleFile,
    table: &BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
) -> Result<[Option<Span>; 4], Diagnostic> {
    let mut out = [None; 4];
    for (key, value) in table {
        let intent = named_value::<Intent>(file, key, Thing::Intent)?;
        if value.get_ref().trim().is_empty() {
            continue;
        }
        out[intent as usize] = Some(every_span(file, value)?);
    }
    Ok(out)
}

/// The value `text` names (by id, English or Chinese name), or an error at it naming the
/// values expected.
fn named_value<T: Enumeration>(
    file: &RuleFile,
    text: &toml::Spanned<String>,
    what: Thing,
) -> Result<T, Diagnostic> {
    T::parse(text.get_ref()).ok_or_else(|| {
        let message = RuleMsg::Unknown {
            what,
            text: text.get_ref(),
            expected: &T::expected(),
        };
        file.error(text.span(), message.to_string())
    })
}

/// An `every` of the file: a duration of more than nothing ("7d", "2m"), or an error at it.
fn every_span(file: &RuleFile, every: &toml::Spanned<String>) -> Result<Span, Diagnostic> {
    let span = parse_duration(every.get_ref()).map_err(|e| {
        let message = RuleMsg::CannotRead {
            text: every.get_ref(),
            reason: &e.to_string(),
        };
        file.error(every.span(), message.to_string())
    })?;
    if matches!(span, Span::Days(0) | Span::Months(0)) {
        let message = RuleMsg::NotPositive {
            key: "every",
            text: every.get_ref(),
        };
        return Err(file.error(every.span(), message.to_string()));
    }
    Ok(span)
}

fn grade_cadence(
    file: &RuleFile,
    g: &toml::Spanned<GradeFile>,
) -> Result<GradeCadence, Diagnostic> {
    let span = g.span();
    let g = g.get_ref();
    let kinds = [g.rhythm.is_some(), g.sequences.is_some(), g.every.is_some()];
    if kinds.iter().filter(|k| **k).count() != 1 {
        return Err(file.error(span, RuleMsg::CadenceKinds.to_string()));
    }
    if let Some(rhythm) = &g.rhythm {
        if rhythm.get_ref() != "order" {
            let message = RuleMsg::UnknownRhythm {
                text: rhythm.get_ref(),
            };
            return Err(file.error(rhythm.span(), message.to_string()));
        }
        let needs = |key: &str| file.error(span.clone(), RuleMsg::RhythmNeeds { key }.to_string());
        let need = |v: Option<u32>, key: &str| v.ok_or_else(|| needs(key));
        // A rhythm of 0 days, or a factor of 0, would list the customer every day.
        let positive = |key: &'static str, v: f64| {
            (v > 0.0).then_some(()).ok_or_else(|| {
                let message = RuleMsg::NotPositive {
                    key,
                    text: &v.to_string(),
                };
                file.error(span.clone(), message.to_string())
            })
        };
        positive(
            "default_interval_days",
            g.default_interval_days.map_or(1.0, f64::from),
        )?;
        positive("lapse_factor", g.lapse_factor.unwrap_or(1.0))?;
        if g.lead_ratio.is_some_and(|r| r < 0.0) {
            let message = RuleMsg::Negative {
                key: "lead_ratio",
                text: &g.lead_ratio.unwrap_or_default().to_string(),
            };
            return Err(file.error(span.clone(), message.to_string()));
        }
        let rhythm = OrderRhythm {
            default_interval_days: need(g.default_interval_days, "default_interval_days")?,
            lead_ratio: g.lead_ratio.ok_or_else(|| needs("lead_ratio"))?,
            lead_min_days: need(g.lead_min_days, "lead_min_days")?,
            lead_max_days: need(g.lead_max_days, "lead_max_days")?,
            repeat_days: need(g.repeat_days, "repeat_days")?.max(1),
            lapse_factor: g.lapse_factor.ok_or_else(|| needs("lapse_factor"))?,
        };
        return Ok(GradeCadence::Order(rhythm));
    }
    if let Some(every) = &g.every {
        return Ok(GradeCadence::Every(every_span(file, every)?));
    }
    let mut sequences = Vec::new();
    for s in g.sequences.as_deref().unwrap_or_default() {
        let anchor = Field::by_name(s.anchor.get_ref())
            .filter(|f| f.ty() == FieldType::Date)
            .ok_or_else(|| {
                let message = RuleMsg::AnchorNotDate {
                    anchor: s.anchor.get_ref(),
                };
                file.error(s.anchor.span(), message.to_string())
            })?;
        if s.gaps.is_empty() {
            let message = RuleMsg::SequenceNeedsGap;
            return Err(file.error(s.anchor.span(), message.to_string()));
        }
        if let Some(zero) = s.gaps.iter().find(|g| *g.get_ref() == 0) {
            let message = RuleMsg::NotPositive {
                key: "gaps",
                text: "0",
            };
            return Err(file.error(zero.span(), message.to_string()));
        }
        sequences.push(Sequence {
            anchor,
            gaps: s.gaps.iter().map(|g| *g.get_ref()).collect(),
        });
    }
    let then = g
        .then
        .as_ref()
        .ok_or_else(|| file.error(span.clone(), RuleMsg::SequenceNeedsThen.to_string()))?;
    let then_grade = Grade::parse(then.get_ref()).ok_or_else(|| {
        let message = RuleMsg::UnknownThenGrade {
            text: then.get_ref(),
        };
        file.error(then.span(), message.to_string())
    })?;
    Ok(GradeCadence::Sequence {
        sequences,
        then: then_grade,
    })
}

#[cfg(test)]
mod tests;
