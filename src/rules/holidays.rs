//! Public holidays and make-up working days (调休) per year, and the festivals customers are
//! greeted on (`rules/holidays.toml`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};

use super::RuleFile;
use crate::error::Diagnostic;
use crate::model::messages::rules::RuleMsg;
use crate::model::next_birthday;
use crate::model::value::{MonthDay, parse_date, parse_month_day};

/// The file: a table per year, and the festivals under `[festivals]`. Read key by key, so
/// that each value keeps the positions its problems are reported at.
struct HolidaysFile {
    years: Vec<(toml::Spanned<String>, YearFile)>,
    festivals: Vec<(toml::Spanned<String>, FestivalFile)>,
}

impl<'de> serde::Deserialize<'de> for HolidaysFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> serde::de::Visitor<'de> for Entries {
            type Value = HolidaysFile;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "{}", RuleMsg::HolidaysTables)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<HolidaysFile, A::Error> {
                let mut file = HolidaysFile {
                    years: Vec::new(),
                    festivals: Vec::new(),
                };
                while let Some(key) = map.next_key::<toml::Spanned<String>>()? {
                    if key.get_ref() == "festivals" {
                        let festivals: BTreeMap<toml::Spanned<String>, FestivalFile> =
                            map.next_value()?;
                        file.festivals.extend(festivals);
                    } else {
                        file.years.push((key, map.next_value()?));
                    }
                }
                Ok(file)
            }
        }
        d.deserialize_map(Entries)
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FestivalFile {
    zh: String,
    en: String,
    on: Option<toml::Spanned<String>>,
    dates: Option<Vec<toml::Spanned<String>>>,
    #[serde(default)]
    day_off: bool,
}

/// A festival customers are greeted on.
#[derive(Clone, Debug, PartialEq)]
pub struct Festival {
    pub id: String,
    pub zh: String,
    pub en: String,
    /// Every year on this day (New Year's Day, National Day) ...
    pub every_year: Option<MonthDay>,
    /// ... or on these dates, one per year (a festival of the lunar calendar), ascending.
    pub dates: Vec<NaiveDate>,
    /// A public holiday: its greeting is due the working day before it, even in a year whose
    /// days off the file does not list.
    pub day_off: bool,
}

impl Festival {
    /// Its first day on or after `from`, if the file knows one.
    pub fn next_on_or_after(&self, from: NaiveDate) -> Option<NaiveDate> {
        match self.every_year {
            Some(md) => Some(next_birthday(md, from)),
            None => self.dates.iter().copied().find(|d| *d >= from),
        }
    }
}

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
    pub festivals: Vec<Festival>,
}

impl Holidays {
    pub fn load(file: &RuleFile) -> Result<Holidays, Vec<Diagnostic>> {
        let parsed: HolidaysFile = file.parse().map_err(|d| vec![d])?;
        let mut problems = Vec::new();
        let mut years = BTreeMap::new();
        let festivals = parsed
            .festivals
            .iter()
            .filter_map(|(id, f)| match festival(id, f) {
                Ok(f) => Some(f),
                Err(message) => {
                    problems.push(file.error(id.span(), message));
                    None
                }
            })
            .collect();
        for (key, y) in parsed.years {
            let Ok(year) = key.get_ref().parse::<i32>() else {
                let message = RuleMsg::NotAYear {
                    text: key.get_ref(),
                };
                problems.push(file.error(key.span(), message.to_string()));
                continue;
            };
            let mut entry = Year::default();
            for (list, into) in [(&y.off, &mut entry.off), (&y.work, &mut entry.work)] {
                for item in list {
                    let text = item.get_ref();
                    let message = match days(text) {
                        Some(ds) if ds.iter().all(|d| d.year() == year) => {
                            into.extend(ds);
                            continue;
                        }
                        Some(_) => RuleMsg::DateNotInYear { text, year },
                        None => RuleMsg::NotADayOrRange { text, year },
                    };
                    problems.push(file.error(item.span(), message.to_string()));
                }
            }
            entry.off_bits = DayBits::of(entry.off.iter());
            entry.work_bits = DayBits::of(entry.work.iter());
            years.insert(year, entry);
        }
        if problems.is_empty() {
            Ok(Holidays { years, festivals })
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
        self.working_day_from(date, weekend, NaiveDate::succ_opt)
    }

    /// `date` itself if it is a working day, else the last working day before it: where a
    /// greeting for a day off goes (after the day would be too late).
    pub fn previous_working_day(&self, date: NaiveDate, weekend: &[Weekday]) -> NaiveDate {
        self.working_day_from(date, weekend, NaiveDate::pred_opt)
    }

    fn working_day_from(
        &self,
        date: NaiveDate,
        weekend: &[Weekday],
        step: fn(&NaiveDate) -> Option<NaiveDate>,
    ) -> NaiveDate {
        let mut d = date;
        // A year has fewer than 366 days off; the bound only guards a calendar of all days off.
        for _ in 0..400 {
            if self.is_working_day(d, weekend) {
                return d;
            }
            d = step(&d).unwrap_or(d);
        }
        date
    }
}

/// A festival as the file gives it, checked: a name, and `on` (a month and day) or `dates`.
fn festival(id: &toml::Spanned<String>, f: &FestivalFile) -> Result<Festival, String> {
    let every_year = match &f.on {
        Some(on) => Some(parse_month_day(on.get_ref()).map_err(|e| {
            let message = RuleMsg::FestivalOn {
                id: id.get_ref(),
                text: on.get_ref(),
                reason: &e.to_string(),
            };
            message.to_string()
        })?),
        None => None,
    };
    let mut dates = Vec::new();
    for d in f.dates.iter().flatten() {
        dates.push(parse_date(d.get_ref()).map_err(|e| {
            let message = RuleMsg::FestivalDate {
                id: id.get_ref(),
                text: d.get_ref(),
                reason: &e.to_string(),
            };
            message.to_string()
        })?);
    }
    dates.sort_unstable();
    if every_year.is_some() != dates.is_empty() {
        let message = RuleMsg::FestivalNeedsOnOrDates { id: id.get_ref() };
        return Err(message.to_string());
    }
    Ok(Festival {
        id: id.get_ref().clone(),
        zh: f.zh.clone(),
        en: f.en.clone(),
        every_year,
        dates,
        day_off: f.day_off,
    })
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
