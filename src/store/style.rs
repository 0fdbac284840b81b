//! How a book writes its values, so that a value written back looks like its neighbours: an
//! enumeration by id, by its Chinese name or as `A级`; a date as `2025/3/1`, `2025-03-01`,
//! `2025年3月1日` or an Excel serial number, with the time Excel appends; the language of the
//! headers, for a new column's.

use chrono::{Datelike, NaiveDate};

use super::csv_book::raw_fields;
use super::{Book, Form};
use crate::model::value::{DateStyle, parse_date_cell};
use crate::model::{Enumeration, Field};

/// How many of a column's cells are looked at to tell its style.
const SAMPLE: usize = 200;

/// The texts of the first non-empty cells of the column (or key) whose header `is_it`
/// names, unquoted: a sample to tell the column's style by.
pub fn column_cells(book: &Book, is_it: impl Fn(&str) -> bool) -> Vec<String> {
    let mut buckets = columns_cells(book, 1, |h| is_it(h).then_some(0));
    buckets.pop().unwrap_or_default()
}

/// [`column_cells`] for `n` samples at once, each header sorted by `which` into one of them
/// (or none), from one pass over the book: a TOML book is parsed once, not once a sample
/// (eleven parses made a one-cell `snooze` of a 100,000-customer TOML file take 12 s).
pub fn columns_cells(
    book: &Book,
    n: usize,
    which: impl Fn(&str) -> Option<usize>,
) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); n];
    let full = |out: &[Vec<String>]| out.iter().all(|cells| cells.len() >= SAMPLE);
    match &book.form {
        Form::Csv(src) => {
            let columns: Vec<(usize, usize)> = src
                .header
                .iter()
                .enumerate()
                .filter_map(|(col, h)| Some((col, which(h).filter(|&b| b < n)?)))
                .collect();
            if columns.is_empty() {
                return out;
            }
            for span in &src.spans {
                let raw = &src.text[span.clone()];
                let fields = raw_fields(raw, src.delimiter);
                for &(col, bucket) in &columns {
                    let cell = fields
                        .get(col)
                        .map(|r| unquote(&raw[r.clone()]))
                        .unwrap_or_default();
                    if !cell.trim().is_empty() && out[bucket].len() < SAMPLE {
                        out[bucket].push(cell);
                    }
                }
                if full(&out) {
                    break;
                }
            }
        }
        Form::Toml(src) => {
            for i in 0..src.tables.len() {
                toml_cells(src, i, &which, &mut out);
                if full(&out) {
                    break;
                }
            }
        }
        Form::Folder(f) => {
            for (_, src) in &f.files {
                toml_cells(src, 0, &which, &mut out);
                if full(&out) {
                    break;
                }
            }
        }
        Form::Workbook(_) | Form::Released => {}
    }
    out
}

/// A CSV cell's text without its quotes.
fn unquote(raw: &str) -> String {
    let t = raw.trim();
    match t.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => t.to_string(),
    }
}

/// The values of the keys `which` names in customer `i`'s table of a TOML source, as a
/// cell would hold them.
fn toml_cells(
    src: &super::toml_book::TomlSource,
    i: usize,
    which: &impl Fn(&str) -> Option<usize>,
    out: &mut [Vec<String>],
) {
    let Some(table) = super::toml_book::part(src, i).and_then(|p| p.table()) else {
        return;
    };
    for entry in table.entries {
        if let Some(cells) = which(&entry.name).and_then(|b| out.get_mut(b))
            && let Ok(text) = entry.cell
            && !text.is_empty()
            && cells.len() < SAMPLE
        {
            cells.push(text);
        }
    }
}

/// How a column spells an enumeration's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spelling {
    /// `formal`, `A`.
    Id,
    /// The id and a suffix: `A级`.
    IdWith(&'static str),
    /// The Chinese name: `正式客户`, `订单客户`.
    Chinese,
}

/// How most of `cells` that name a value of `E` spell it (on a tie, the Chinese name before
/// `A级` before the id); None when none does.
pub fn spelling<E: Enumeration>(cells: &[String]) -> Option<Spelling> {
    let mut counts = [0usize; 3];
    for cell in cells {
        let t = cell.trim();
        let Some(v) = E::parse(t) else {
            continue;
        };
        let k = if t == v.zh() || (!t.is_ascii() && t.trim_end_matches('级') != v.id()) {
            2
        } else if t.strip_suffix('级') == Some(v.id()) {
            1
        } else {
            0
        };
        counts[k] += 1;
    }
    let best = (0..3).max_by_key(|&k| (counts[k], k))?;
    (counts[best] > 0).then_some(match best {
        0 => Spelling::Id,
        1 => Spelling::IdWith("级"),
        _ => Spelling::Chinese,
    })
}

/// A value spelled as `s` says.
pub fn spell<E: Enumeration>(value: E, s: Spelling) -> String {
    match s {
        Spelling::Id => value.id().to_string(),
        Spelling::IdWith(suffix) => format!("{}{suffix}", value.id()),
        Spelling::Chinese => value.zh().to_string(),
    }
}

/// Whether a book's headers (or keys) are mostly Chinese: a new column of it gets a
/// Chinese header.
pub fn chinese_headers(book: &Book) -> bool {
    match &book.form {
        Form::Csv(src) => chinese(&src.header),
        _ => false,
    }
}

/// Whether most of the headers that are not empty are Chinese (not ASCII).
pub fn chinese(headers: &[String]) -> bool {
    let named = headers.iter().filter(|h| !h.trim().is_empty()).count();
    let chinese = headers.iter().filter(|h| !h.is_ascii()).count();
    chinese * 2 > named
}

/// The header a new column for `field` gets in a book of Chinese headers: its first Chinese
/// alias.
pub fn chinese_header(field: Field) -> Option<&'static str> {
    field.aliases().iter().copied().find(|a| !a.is_ascii())
}

/// How a column writes dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateFormat {
    /// Year, month, day with this separator; months and days padded to two digits or not;
    /// and what follows the date (Excel's ` 0:00`).
    YearFirst {
        sep: char,
        padded: bool,
        time: String,
    },
    /// `2025年3月1日` (padded or not).
    Chinese { padded: bool },
    /// Excel's serial number of the day.
    Serial,
}

/// The format of the first of `cells` that reads as a date, if it is one of those written
/// back (a date with the year last is written year first: its order is the workspace's,
/// not the cell's to say). Months and days are padded to two digits unless a cell of the
/// same form has one of one digit.
pub fn date_format(cells: &[String], dates: DateStyle) -> Option<DateFormat> {
    let dated: Vec<&str> = cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| parse_date_cell(c, dates).is_ok())
        .collect();
    let cell = *dated.first()?;
    // An Excel day number: digits, perhaps with a fraction (a time of day).
    let (days, fraction) = cell.split_once('.').unwrap_or((cell, ""));
    if (5..=7).contains(&days.len())
        && days.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(DateFormat::Serial);
    }
    let date_of = |c: &str| -> String {
        match c.split_once(' ') {
            Some((d, t)) if t.contains(':') => d.to_string(),
            _ => c.to_string(),
        }
    };
    let time = match cell.split_once(' ') {
        Some((_, t)) if t.contains(':') => format!(" {t}"),
        _ => String::new(),
    };
    let date = date_of(cell);
    let seps: &[char] = if date.contains('年') {
        &['年', '月', '日']
    } else {
        &[date.chars().find(|c| matches!(c, '-' | '/' | '.'))?]
    };
    // Padded unless a cell of this form writes a month or day with one digit.
    let padded = !dated.iter().any(|c| {
        let d = date_of(c);
        let parts: Vec<&str> = d.split(seps).filter(|p| !p.is_empty()).collect();
        parts.len() == 3 && parts[0].len() == 4 && parts[1..].iter().any(|p| p.len() == 1)
    });
    if date.contains('年') {
        return Some(DateFormat::Chinese { padded });
    }
    let sep = seps[0];
    let parts: Vec<&str> = date.split(sep).collect();
    (parts.len() == 3 && parts[0].len() == 4).then_some(DateFormat::YearFirst { sep, padded, time })
}

/// A date written as `format` says.
pub fn format_date(d: NaiveDate, format: &DateFormat) -> String {
    let two = |n: u32, padded: bool| {
        if padded {
            format!("{n:02}")
        } else {
            n.to_string()
        }
    };
    match format {
        DateFormat::YearFirst { sep, padded, time } => format!(
            "{}{sep}{}{sep}{}{time}",
            d.year(),
            two(d.month(), *padded),
            two(d.day(), *padded)
        ),
        DateFormat::Chinese { padded } => format!(
            "{}年{}月{}日",
            d.year(),
            two(d.month(), *padded),
            two(d.day(), *padded)
        ),
        DateFormat::Serial => {
            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or(d);
            (d - epoch).num_days().to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Grade, Stage};

    fn cells(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn a_column_spells_as_most_of_its_cells() {
        assert_eq!(
            spelling::<Grade>(&cells(&["A级", "B级", "C"])),
            Some(Spelling::IdWith("级"))
        );
        assert_eq!(
            spelling::<Grade>(&cells(&["订单客户", "样单客户"])),
            Some(Spelling::Chinese)
        );
        assert_eq!(spelling::<Grade>(&cells(&["A", "b"])), Some(Spelling::Id));
        assert_eq!(
            spelling::<Stage>(&cells(&["正式客户", "意向", "formal"])),
            Some(Spelling::Chinese)
        );
        assert_eq!(spelling::<Stage>(&cells(&["bogus"])), None);
        assert_eq!(spell(Grade::B, Spelling::IdWith("级")), "B级");
        assert_eq!(spell(Stage::Quasi, Spelling::Chinese), "准客户");
    }

    /// Dates take the look of the column: 2026-12-07 beside 2025/3/1 is 2026/12/7.
    #[test]
    fn a_date_is_written_as_its_column_writes_them() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let style = DateStyle::default();
        let write =
            |cells_: &[&str]| date_format(&cells(cells_), style).map(|f| format_date(d, &f));
        assert_eq!(write(&["2025/3/1"]).as_deref(), Some("2026/12/7"));
        assert_eq!(write(&["2025/03/01"]).as_deref(), Some("2026/12/07"));
        // Two-digit months and days say nothing until a one-digit one does.
        assert_eq!(write(&["2025-12-24"]).as_deref(), Some("2026-12-07"));
        assert_eq!(
            write(&["2025/12/24", "2025/3/1"]).as_deref(),
            Some("2026/12/7")
        );
        assert_eq!(write(&["2025-03-01"]).as_deref(), Some("2026-12-07"));
        assert_eq!(write(&["2025.3.1"]).as_deref(), Some("2026.12.7"));
        assert_eq!(write(&["2025/3/1 0:00"]).as_deref(), Some("2026/12/7 0:00"));
        assert_eq!(write(&["2025年3月1日"]).as_deref(), Some("2026年12月7日"));
        // 2026-12-07 is day 46363: 2025-01-01 is 45658, 2026-01-01 45658 + 365 = 46023, and
        // 7 December is 340 days on (Jan 31 + Feb 28 + ... + Nov 30 = 334, + 6).
        assert_eq!(write(&["45758"]).as_deref(), Some("46363"));
        assert_eq!(write(&["someday", "soon"]), None);
    }
}
