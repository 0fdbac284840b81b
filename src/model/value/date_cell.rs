//! Dates as spreadsheets leave them in a date column, beyond what [`super::parse_date`]
//! reads: Excel's serial numbers (a date cell exported as a number), a weekday after the date
//! (`2025年04月11日 星期五`), an ISO date-time (`2025-04-11T00:00:00`), and slash dates with
//! the year last (`4/11/2025`), whose day and month order the workspace must name when both
//! are 12 or less: never a guess.

use chrono::{Datelike, NaiveDate, Weekday};

use super::{DATE_ERR, ValueError, Why, parse_date, trim};

/// The order of day and month in a date written with the year last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    /// Month, day, year: `4/11/2025` is 11 April (the US order).
    Mdy,
    /// Day, month, year: `4/11/2025` is 4 November (most of the rest of the world).
    Dmy,
}

/// How a book's date cells are read: the order of day and month in dates with the year last
/// (None: such a date is an error unless its order is plain), and Excel's date system.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateStyle {
    pub order: Option<DateOrder>,
    /// Excel's 1904 date system (old Mac workbooks): day 0 is 1904-01-01, not 1899-12-31.
    pub system_1904: bool,
}

pub(crate) const AMBIGUOUS_ERR: ValueError = ValueError(Why::AmbiguousDate);
const WEEKDAY_ERR: ValueError = ValueError(Why::Weekday);
/// The serial numbers read as dates: from 10000 (1927-05-18) to the last day Excel shows
/// (9999-12-31). A smaller number in a date column is more likely a year or a typo than a
/// date of the 1900s' first decades, and is refused.
const SERIALS: std::ops::RangeInclusive<u32> = 10_000..=2_958_465;

/// Reads a date cell: every form [`parse_date`] reads, then the forms spreadsheets add.
pub fn parse_date_cell(s: &str, style: DateStyle) -> Result<NaiveDate, ValueError> {
    let s = trim(s);
    if let Ok(d) = parse_date(s) {
        return Ok(d);
    }
    if let Some(serial) = excel_serial(s) {
        return serial_date(serial, style.system_1904);
    }
    if let Some(date) = s
        .split_once('T')
        .and_then(|(d, time)| iso_time(time).then_some(d))
    {
        return parse_date(date);
    }
    if let Some((date, weekday)) = split_weekday(s) {
        let d = parse_date_cell(date, style)?;
        return if d.weekday() == weekday {
            Ok(d)
        } else {
            Err(WEEKDAY_ERR)
        };
    }
    year_last(s, style.order).unwrap_or(Err(DATE_ERR))
}

/// The whole days of a number as Excel writes a date cell: digits, perhaps with a fraction
/// (the time of day, dropped), within [`SERIALS`].
fn excel_serial(s: &str) -> Option<u32> {
    let (days, fraction) = s.split_once('.').unwrap_or((s, "0"));
    if days.is_empty()
        || days.len() > 7
        || !days.bytes().all(|b| b.is_ascii_digit())
        || fraction.is_empty()
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let n: u32 = days.parse().ok()?;
    SERIALS.contains(&n).then_some(n)
}

/// The date of Excel serial number `n` (in [`SERIALS`]). In the 1900 system day 1 is
/// 1900-01-01, and Excel counts a 29 February 1900 that never was (day 60), so from day 61
/// on a day is one fewer than the count says: day `n` is 1899-12-30 + `n`. In the 1904
/// system day 0 is 1904-01-01.
fn serial_date(n: u32, system_1904: bool) -> Result<NaiveDate, ValueError> {
    let epoch = if system_1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)
    };
    epoch
        .and_then(|e| e.checked_add_days(chrono::Days::new(u64::from(n))))
        .ok_or(DATE_ERR)
}

/// Whether `time` is the time of an ISO date-time: `00:00:00`, perhaps with a fraction of a
/// second and a `Z` or an offset.
fn iso_time(time: &str) -> bool {
    let time = time.trim_end_matches('Z');
    let time = match time.rfind(['+', '-']) {
        Some(at) if at >= 5 => &time[..at],
        _ => time,
    };
    let (hms, fraction) = time.split_once('.').unwrap_or((time, "0"));
    let parts: Vec<&str> = hms.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// A date and the weekday written after it: `星期五`, `周五`, `礼拜五`, `Fri`, `Friday`, in
/// brackets or not.
fn split_weekday(s: &str) -> Option<(&str, Weekday)> {
    let s = s.trim_end_matches([')', '）']);
    let (date, word) = s.rsplit_once([' ', '\u{3000}', '(', '（'])?;
    Some((trim(date), parse_weekday(word)?))
}

/// A weekday's name: `星期五`, `周五`, `礼拜五`, `fri`, `Friday` (three letters or more of
/// the English name, any case).
pub fn parse_weekday(word: &str) -> Option<Weekday> {
    let word = trim(word);
    let zh = ["一", "二", "三", "四", "五", "六", "日"];
    let days = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    let chinese = ["星期", "周", "礼拜"]
        .iter()
        .find_map(|p| word.strip_prefix(p))
        .and_then(|d| match d {
            "天" => Some(Weekday::Sun),
            d => zh.iter().position(|z| *z == d).map(|k| days[k]),
        });
    chinese.or_else(|| {
        let w = word.trim_end_matches('.').to_ascii_lowercase();
        days.iter().copied().find(|d| {
            let name = format!("{d:?}").to_ascii_lowercase();
            w == name || (w.len() >= 3 && long_name(*d).starts_with(&w))
        })
    })
}

fn long_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

/// A date with the year last (`4/11/2025`, `13-4-2025`, `4.13.2025`), or None when the text
/// is not of that shape. Day and month are told apart by a part over 12, else by `order`.
fn year_last(s: &str, order: Option<DateOrder>) -> Option<Result<NaiveDate, ValueError>> {
    let sep = s.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let parts: Vec<&str> = s.split(sep).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let number = |p: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let (a, b, y) = (number(a, 1..=2)?, number(b, 1..=2)?, number(y, 4..=4)?);
    let order = match (a > 12, b > 12) {
        (true, true) => return Some(Err(DATE_ERR)),
        (true, false) => DateOrder::Dmy,
        (false, true) => DateOrder::Mdy,
        (false, false) if a == b => DateOrder::Dmy,
        (false, false) => match order {
            Some(o) => o,
            None => return Some(Err(AMBIGUOUS_ERR)),
        },
    };
    let (month, day) = match order {
        DateOrder::Mdy => (a, b),
        DateOrder::Dmy => (b, a),
    };
    let date = i32::try_from(y)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, month, day));
    Some(date.ok_or(DATE_ERR))
}
