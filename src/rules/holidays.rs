//! Public holidays and make-up working days (调休) per year (`rules/holidays.toml`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};

use super::RuleFile;
use crate::error::Diagnostic;
use crate::model::value::parse_date;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    #[serde(default)]
    off: Vec<toml::Spanned<String>>,
    #[serde(default)]
    work: Vec<toml::Spanned<String>>,
}

/// The days off and make-up working days of one year.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Year {
    pub off: BTreeSet<NaiveDate>,
    pub work: BTreeSet<NaiveDate>,
    /// The same days as bits by day of the year (`due` asks millions of times).
    off_bits: DayBits,
    work_bits: DayBits,
}

/// One bit per day of a year, by `ordinal0`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct DayBits([u64; 6]);

impl DayBits {
    fn of<'a>(days: impl Iterator<Item = &'a NaiveDate>) -> DayBits {
        let mut bits = [0u64; 6];
        for d in days {
            let i = d.ordinal0() as usize;
            bits[i / 64] |= 1 << (i % 64);
        }
        DayBits(bits)
    }

    fn contains(&self, date: NaiveDate) -> bool {
        let i = date.ordinal0() as usize;
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
}

/// The holiday calendar.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Holidays {
    pub years: BTreeMap<i32, Year>,
}

impl Holidays {
    pub fn load(file: &RuleFile) -> Result<Holidays, Vec<Diagnostic>> {
        let parsed: BTreeMap<toml::Spanned<String>, YearFile> =
            file.parse().map_err(|d| vec![d])?;
        let mut problems = Vec::new();
        let mut years = BTreeMap::new();
        for (key, y) in parsed {
            let Ok(year) = key.get_ref().parse::<i32>() else {
                problems.push(file.error(
                    key.span(),
                    format!("expected a year like [2026], found [{}]", key.get_ref()),
                ));
                continue;
            };
            let mut entry = Year::default();
            for (list, into) in [(&y.off, &mut entry.off), (&y.work, &mut entry.work)] {
                for item in list {
                    match days(item.get_ref()) {
                        Some(ds) if ds.iter().all(|d| d.year() == year) => into.extend(ds),
                        Some(_) => problems.push(file.error(item.span(), format!("\"{}\" is not in {year}", item.get_ref()))),
                        None => problems.push(file.error(item.span(), format!("expected a date like {year}-10-01 or a range {year}-10-01..{year}-10-07, found \"{}\"", item.get_ref()))),
                    }
                }
            }
            entry.off_bits = DayBits::of(entry.off.iter());
            entry.work_bits = DayBits::of(entry.work.iter());
            years.insert(year, entry);
        }
        if problems.is_empty() {
            Ok(Holidays { years })
        } else {
            Err(problems)
        }
    }

    /// Whether the calendar knows the year of `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.years.contains_key(&date.year())
    }

    /// Whether `date` is a working day: not a weekend day unless a make-up working day,
    /// and not a holiday.
    pub fn is_working_day(&self, date: NaiveDate, weekend: &[Weekday]) -> bool {
        if let Some(y) = self.years.get(&date.year()) {
            if y.work_bits.contains(date) {
                return true;
            }
            if y.off_bits.contains(date) {
                return false;
            }
        }
        !weekend.contains(&date.weekday())
    }

    /// `date` itself if it is a working day, else the next working day.
    pub fn next_working_day(&self, date: NaiveDate, weekend: &[Weekday]) -> NaiveDate {
        let mut d = date;
        // A year has fewer than 366 days off; the bound only guards a calendar of all days off.
        for _ in 0..400 {
            if self.is_working_day(d, weekend) {
                return d;
            }
            d = d.succ_opt().unwrap_or(d);
        }
        date
    }
}

/// A date or an inclusive range `A..B`.
fn days(text: &str) -> Option<Vec<NaiveDate>> {
    match text.split_once("..") {
        Some((a, b)) => {
            let (a, b) = (parse_date(a.trim()).ok()?, parse_date(b.trim()).ok()?);
            if b < a || (b - a).num_days() > 366 {
                return None;
            }
            Some(a.iter_days().take_while(|d| *d <= b).collect())
        }
        None => Some(vec![parse_date(text.trim()).ok()?]),
    }
}

#[cfg(test)]
mod tests;
