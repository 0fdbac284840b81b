//! Forgiving parsers for the values in customer-book cells (dates, birthdays, money,
//! yes/no, traits, durations), all giving exact results.
//!
//! Cells come from hand-typed spreadsheets, often exported by Excel on Chinese Windows, so
//! every parser accepts the common Chinese and full-width spellings. None of them ever rounds
//! or guesses: text that could mean two things is rejected with a message saying what was
//! expected.

mod amount;
pub(crate) mod date_cell;

use chrono::NaiveDate;

#[cfg(test)]
use amount::{
    AMOUNT_ERR, AMOUNT_RANGE_ERR, DECIMALS_ERR, UNIT_DECIMALS_ERR, parse_amount_general,
    parse_amount_plain,
};
pub use amount::{parse_amount, parse_amount_in};
pub use date_cell::{DateOrder, DateStyle, parse_date_cell, parse_weekday};

/// Money as integer cents (never floating point).
pub type Cents = i64;

/// A month and day without a year (birthdays).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDay {
    /// 1 to 12.
    pub month: u8,
    /// 1 to the month's length (February allows 29).
    pub day: u8,
}

impl MonthDay {
    /// The month and day of a date.
    pub fn of(d: NaiveDate) -> MonthDay {
        use chrono::Datelike;
        MonthDay {
            month: d.month() as u8,
            day: d.day() as u8,
        }
    }
}

/// Why a value could not be read: what was expected, for the error message (in the run's
/// language).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(pub Why);

pub use crate::model::messages::read::Why;

/// A length of time: whole days, or calendar months (which vary in length, so are kept apart).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    /// A number of days (weeks are stored as 7 days each).
    Days(u32),
    /// A number of calendar months (years are stored as 12 months each).
    Months(u32),
}

const DATE_ERR: ValueError = ValueError(Why::Date);
const MONTH_DAY_ERR: ValueError = ValueError(Why::MonthDay);
const BOOL_ERR: ValueError = ValueError(Why::Bool);
const DURATION_ERR: ValueError = ValueError(Why::Duration);

/// `s` without surrounding ASCII and Unicode spaces (the full-width space U+3000 that Chinese
/// input methods type included). Most cells have none, and this says so without walking the
/// string as characters.
pub fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        (None, _) => s,
        _ => s.trim(),
    }
}

/// Maps an ASCII or full-width (U+FF10..U+FF19) digit to its value.
fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

/// Value of an all-ASCII-digit byte slice; the caller bounds its length so it cannot overflow.
fn ascii_number(b: &[u8]) -> Option<u32> {
    if b.is_empty() {
        return None;
    }
    b.iter().try_fold(0u32, |acc, &d| {
        d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
    })
}

fn make_date(year: u32, month: u32, day: u32) -> Result<NaiveDate, ValueError> {
    let year = i32::try_from(year).map_err(|_| DATE_ERR)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DATE_ERR)
}

/// The exact `YYYY-MM-DD` shape, checked on bytes: log files call this millions of times,
/// so it must not allocate or go through the general tokenizer.
fn parse_iso_fast(b: &[u8]) -> Option<Result<NaiveDate, ValueError>> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = ascii_number(&b[0..4])?;
    let month = ascii_number(&b[5..7])?;
    let day = ascii_number(&b[8..10])?;
    Some(make_date(year, month, day))
}

/// Longest normalized date text we accept: `YYYY-MM-DD HH:MM:SS` is 19 bytes; the slack
/// allows a few extra spaces. Longer input is not a date, and a fixed buffer keeps the
/// slow path allocation-free too.
const NORM_CAP: usize = 32;

/// Rewrites date-ish text into a small ASCII alphabet so one grammar covers the ASCII,
/// full-width and Chinese spellings: digits, `-` `/` `.` `:` and space, plus `Y` `M` `D`
/// for 年 月 日.
fn normalize_date(s: &str) -> Option<([u8; NORM_CAP], usize)> {
    let mut buf = [0u8; NORM_CAP];
    let mut len = 0;
    for c in s.chars() {
        let b = match c {
            '-' | '－' => b'-',
            '/' | '／' => b'/',
            '.' | '．' => b'.',
            ':' | '：' => b':',
            '年' => b'Y',
            '月' => b'M',
            '日' => b'D',
            c if c.is_whitespace() => b' ',
            c => b'0' + digit_value(c)?,
        };
        *buf.get_mut(len)? = b;
        len += 1;
    }
    Some((buf, len))
}

/// Splits `b` at the first byte that is not an ASCII digit.
fn take_digits(b: &[u8]) -> (&[u8], &[u8]) {
    let n = b.iter().take_while(|d| d.is_ascii_digit()).count();
    b.split_at(n)
}

/// Accepts `H:MM` or `H:MM:SS` with a real time of day; Excel appends one to dates that
/// were typed as date-times, and the time carries no meaning for us.
fn valid_time(b: &[u8]) -> bool {
    let (h, rest) = take_digits(b);
    let Some(hour) = (1..=2)
        .contains(&h.len())
        .then(|| ascii_number(h))
        .flatten()
    else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(b":") else {
        return false;
    };
    let (m, rest) = take_digits(rest);
    if m.len() != 2 || ascii_number(m).is_none_or(|m| m > 59) || hour > 23 {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    let Some(rest) = rest.strip_prefix(b":") else {
        return false;
    };
    let (sec, rest) = take_digits(rest);
    rest.is_empty() && sec.len() == 2 && ascii_number(sec).is_some_and(|s| s <= 59)
}

/// Year, month and day of a normalized date part (no time), as numbers still unchecked
/// against the calendar.
fn date_parts(b: &[u8]) -> Option<(u32, u32, u32)> {
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        // Compact YYYYMMDD.
        return Some((
            ascii_number(&b[0..4])?,
            ascii_number(&b[4..6])?,
            ascii_number(&b[6..8])?,
        ));
    }
    let (y, rest) = take_digits(b);
    if y.len() != 4 {
        // Two-digit years are refused on purpose: 25 could be 1925 or 2025.
        return None;
    }
    let (&sep, rest) = rest.split_first()?;
    let (m, rest) = take_digits(rest);
    if !(1..=2).contains(&m.len()) {
        return None;
    }
    let (&sep2, rest) = rest.split_first()?;
    let (d, rest) = take_digits(rest);
    if !(1..=2).contains(&d.len()) {
        return None;
    }
    let ok = match (sep, sep2) {
        (b'Y', b'M') => rest.is_empty() || rest == b"D",
        // A mixed form like 2025-4/11 is more likely a typo than a date.
        (b'-' | b'/' | b'.', s2) => s2 == sep && rest.is_empty(),
        _ => false,
    };
    ok.then_some(())?;
    Some((ascii_number(y)?, ascii_number(m)?, ascii_number(d)?))
}

fn parse_date_general(s: &str) -> Option<(u32, u32, u32)> {
    let (buf, len) = normalize_date(trim(s))?;
    let b = &buf[..len];
    let (date, time) = match b.iter().position(|&c| c == b' ') {
        Some(i) => (&b[..i], b[i..].trim_ascii_start()),
        None => (b, &b[..0]),
    };
    if !time.is_empty() && !valid_time(time) {
        return None;
    }
    date_parts(date)
}

/// Reads a calendar date from any of the spellings spreadsheets use.
///
/// Accepts `2025-04-11`, `2025/4/11`, `2025.4.11`, `20250411`, `2025年4月11日` (with or
/// without 日), full-width digits and separators, and a trailing time of day as Excel
/// writes it (`2025/4/11 0:00`), which is dropped. Rejects two-digit years and dates that
/// do not exist.
pub fn parse_date(s: &str) -> Result<NaiveDate, ValueError> {
    if let Some(fast) = parse_iso_fast(s.as_bytes()) {
        return fast;
    }
    let (y, m, d) = parse_date_general(s).ok_or(DATE_ERR)?;
    make_date(y, m, d)
}

/// Days in `month` for a birthday, where February 29 must be allowed.
fn month_len_any_year(month: u32) -> u32 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Month and day of a normalized month-day text, unchecked against the calendar.
fn month_day_parts(s: &str) -> Option<(u32, u32)> {
    let (buf, len) = normalize_date(trim(s))?;
    let b = &buf[..len];
    if b.len() == 4 && b.iter().all(u8::is_ascii_digit) {
        // Compact MMDD.
        return Some((ascii_number(&b[0..2])?, ascii_number(&b[2..4])?));
    }
    let (m, rest) = take_digits(b);
    if !(1..=2).contains(&m.len()) {
        return None;
    }
    let (&sep, rest) = rest.split_first()?;
    let (d, rest) = take_digits(rest);
    if !(1..=2).contains(&d.len()) {
        return None;
    }
    let ok = match sep {
        b'M' => rest.is_empty() || rest == b"D",
        b'-' | b'/' | b'.' => rest.is_empty(),
        _ => false,
    };
    ok.then_some(())?;
    Some((ascii_number(m)?, ascii_number(d)?))
}

/// Reads a birthday: a month and day such as `04-11`, `4/11`, `0411` or `4月11日`, or a
/// full date, whose year is dropped. February 29 is accepted.
pub fn parse_month_day(s: &str) -> Result<MonthDay, ValueError> {
    if let Ok(date) = parse_date(s) {
        use chrono::Datelike;
        // Month and day of a real date always fit in u8.
        return Ok(MonthDay {
            month: date.month() as u8,
            day: date.day() as u8,
        });
    }
    let (month, day) = month_day_parts(s).ok_or(MONTH_DAY_ERR)?;
    if !(1..=12).contains(&month) || day == 0 || day > month_len_any_year(month) {
        return Err(MONTH_DAY_ERR);
    }
    Ok(MonthDay {
        month: month as u8,
        day: day as u8,
    })
}

/// Appends a date as `YYYY-MM-DD`, without going through a format string (a million-row
/// listing writes one or two per row).
pub fn push_iso(out: &mut String, d: NaiveDate) {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        out.push_str(&d.format("%Y-%m-%d").to_string());
        return;
    }
    // The ten bytes at once: a listing writes a million dates or two.
    let (y, m, day) = (y as u32, m as u8, day as u8);
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let text = [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        b'0' + m / 10,
        b'0' + m % 10,
        b'-',
        b'0' + day / 10,
        b'0' + day % 10,
    ];
    out.push_str(std::str::from_utf8(&text).unwrap_or_default());
}

/// A date as `YYYY-MM-DD`.
pub fn iso(d: NaiveDate) -> String {
    let mut s = String::with_capacity(10);
    push_iso(&mut s, d);
    s
}

/// Writes cents as plain text that [`parse_amount`] reads back: no separators, no symbol,
/// always two decimals (`123450` → `1234.50`, `-5` → `-0.05`).
pub fn format_amount(c: Cents) -> String {
    let mut s = String::new();
    push_amount(&mut s, c);
    s
}

/// Appends cents as [`format_amount`] writes them.
pub fn push_amount(out: &mut String, c: Cents) {
    // unsigned_abs so i64::MIN does not overflow.
    let abs = c.unsigned_abs();
    if c < 0 {
        out.push('-');
    }
    push_digits(out, abs / 100, 1);
    out.push('.');
    push_digits(out, abs % 100, 2);
}

/// Appends `n` in decimal, without the formatting machinery (a listing writes one or two
/// per row).
pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_digits(out, n.unsigned_abs(), 1);
}

/// Appends `n` in decimal, zero-padded to at least `width` digits.
fn push_digits(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut i = digits.len();
    while n > 0 || i > digits.len() - width.max(1) {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend(digits[i..].iter().map(|&d| char::from(d)));
}

/// Appends `x` with `places` decimals: the same text as `format!("{x:.places$}")`. A
/// million shares in a listing go through integer arithmetic when they can; the formatter
/// takes the rest (more than 4 places, huge values, and products that land on a tie).
pub fn push_fixed(out: &mut String, x: f64, places: usize) {
    const SCALES: [u64; 5] = [1, 10, 100, 1000, 10_000];
    if let Some(&scale) = SCALES.get(places)
        && x.is_finite()
    {
        let y = x.abs() * scale as f64;
        let frac = y - y.floor();
        // Below 2^52 every k + 0.5 is a double, and rounding to the nearest double keeps
        // order: the product lies on the same side of every tie as the exact one, or on
        // the tie itself, which the formatter settles from the exact value.
        if y < 1e15 && frac != 0.5 {
            let r = y.round() as u64;
            if x.is_sign_negative() {
                out.push('-');
            }
            push_digits(out, r / scale, 1);
            if places > 0 {
                out.push('.');
                push_digits(out, r % scale, places);
            }
            return;
        }
    }
    use std::fmt::Write as _;
    let _ = write!(out, "{x:.places$}");
}

/// Reads a yes/no cell: `true yes y 1 是 对 ✓ ✔ √ x on` are yes, `false no n 0 否 不 ✗ ✘
/// off` and an empty cell are no (case does not matter).
pub fn parse_bool(s: &str) -> Result<bool, ValueError> {
    const YES: &[&str] = &[
        "true", "yes", "y", "1", "１", "是", "对", "對", "✓", "✔", "√", "x", "on",
    ];
    const NO: &[&str] = &[
        "false", "no", "n", "0", "０", "否", "不", "✗", "✘", "off", "",
    ];
    let s = trim(s);
    if YES.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        Ok(true)
    } else if NO.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        Ok(false)
    } else {
        Err(BOOL_ERR)
    }
}

/// Splits a traits cell into its items: separators are `;` `,` `|` and their full-width
/// forms, and the Chinese enumeration comma `、`. Items are trimmed; empty ones skipped.
pub fn split_traits(s: &str) -> impl Iterator<Item = &str> {
    s.split([';', ',', '|', '；', '，', '｜', '、'])
        .map(trim)
        .filter(|t| !t.is_empty())
}

/// Reads a duration: a whole number with an optional unit, `7`/`7d`/`7天` days, `2w`/`2周`
/// weeks (as 14 days), `3m`/`3个月`/`3月` months, `1y`/`1年` years (as 12 months).
pub fn parse_duration(s: &str) -> Result<Span, ValueError> {
    let s = trim(s);
    let unit_at = s
        .char_indices()
        .find(|&(_, c)| digit_value(c).is_none())
        .map_or(s.len(), |(i, _)| i);
    let (num, unit) = s.split_at(unit_at);
    if num.is_empty() {
        return Err(DURATION_ERR);
    }
    let n = num.chars().try_fold(0u32, |acc, c| {
        let d = digit_value(c)?;
        acc.checked_mul(10)?.checked_add(u32::from(d))
    });
    let n = n.ok_or(DURATION_ERR)?;
    let unit = trim(unit).to_ascii_lowercase();
    let (per, months) = match unit.as_str() {
        "" | "d" | "day" | "days" | "天" | "日" => (1, false),
        "w" | "wk" | "week" | "weeks" | "周" | "週" | "星期" | "个星期" => (7, false),
        "m" | "mo" | "month" | "months" | "月" | "个月" | "個月" => (1, true),
        "y" | "yr" | "year" | "years" | "年" => (12, true),
        _ => return Err(DURATION_ERR),
    };
    let n = n.checked_mul(per).ok_or(DURATION_ERR)?;
    Ok(if months {
        Span::Months(n)
    } else {
        Span::Days(n)
    })
}

const DAY_ERR: ValueError = ValueError(Why::Day);

/// Reads a day as a rep says it, counted from `today`: a date (`2026-12-08`, `2026/12/8`);
/// `today`/`今天`, `tomorrow`/`明天`, `后天`; a weekday (`tue`, `周二`, `星期二`: the next
/// one after today, so `tue` said on a Tuesday is a week on); or a span from today (`+3d`,
/// `3d`, `2w`, `1m`; a bare number is refused, as it reads as much like a day of the month).
pub fn parse_day(s: &str, today: NaiveDate) -> Result<NaiveDate, ValueError> {
    let s = trim(s);
    let after = |span: Span| match span {
        Span::Days(d) => today.checked_add_days(chrono::Days::new(u64::from(d))),
        Span::Months(m) => today.checked_add_months(chrono::Months::new(m)),
    };
    let relative = match s.to_ascii_lowercase().as_str() {
        "today" | "今天" | "今日" => Some(0),
        "tomorrow" | "明天" | "明日" => Some(1),
        "后天" | "後天" => Some(2),
        _ => None,
    };
    if let Some(days) = relative {
        return today
            .checked_add_days(chrono::Days::new(days))
            .ok_or(DAY_ERR);
    }
    if let Some(day) = parse_weekday(s) {
        use chrono::Datelike;
        let ahead = (7 + day.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
        let ahead = if ahead == 0 { 7 } else { ahead };
        return today
            .checked_add_days(chrono::Days::new(u64::from(ahead)))
            .ok_or(DAY_ERR);
    }
    let span = s.strip_prefix('+').unwrap_or(s);
    let has_unit = span.chars().any(|c| digit_value(c).is_none());
    if (has_unit || span.len() < s.len())
        && !span.is_empty()
        && let Ok(span) = parse_duration(span)
    {
        return after(span).ok_or(DAY_ERR);
    }
    parse_date(s).map_err(|_| DAY_ERR)
}

#[cfg(test)]
mod tests;
