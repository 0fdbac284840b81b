//! Unit tests of the parent module, with hand-worked expectations.

use chrono::{NaiveDate, Weekday};

use super::*;
use crate::rules::EMBEDDED;
use crate::rules::test_files;

const WEEKEND: [Weekday; 2] = [Weekday::Sat, Weekday::Sun];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn shipped() -> Holidays {
    let text = EMBEDDED.iter().find(|(n, _)| *n == "holidays").unwrap().1;
    Holidays::load(&file(text)).unwrap()
}

fn problems(text: &str) -> Vec<String> {
    Holidays::load(&file(text))
        .expect_err("the file has problems")
        .iter()
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect()
}

#[test]
fn the_shipped_calendar_holds_china_2025_and_2026() {
    let h = shipped();
    assert_eq!(h.years.keys().copied().collect::<Vec<_>>(), [2025, 2026]);
    let y2025 = &h.years[&2025];
    // 2025 days off: 1 (01-01) + 8 (01-28..02-04: 28, 29, 30, 31, 1, 2, 3, 4) + 3 (04-04..06)
    // + 5 (05-01..05) + 3 (05-31..06-02) + 8 (10-01..08) = 28; 5 make-up days.
    assert_eq!((y2025.off.len(), y2025.work.len()), (28, 5));
    assert!(y2025.off.contains(&d(2025, 2, 4)));
    assert!(y2025.off.contains(&d(2025, 5, 31)));
    assert!(!y2025.off.contains(&d(2025, 2, 5)));
    let y2026 = &h.years[&2026];
    // 2026: 3 + 9 (02-15..23) + 3 + 5 + 3 + 3 + 7 = 33 days off; 6 make-up days.
    assert_eq!((y2026.off.len(), y2026.work.len()), (33, 6));
    let work: Vec<NaiveDate> = y2026.work.iter().copied().collect();
    assert_eq!(
        work,
        [
            d(2026, 1, 4),
            d(2026, 2, 14),
            d(2026, 2, 28),
            d(2026, 5, 9),
            d(2026, 9, 20),
            d(2026, 10, 10)
        ]
    );
    assert!(h.covers(d(2026, 12, 31)));
    assert!(!h.covers(d(2027, 1, 1)));
}

#[test]
fn working_days_are_weekdays_that_are_not_off_and_make_up_weekend_days() {
    let h = shipped();
    let working = |date| h.is_working_day(date, &WEEKEND);
    // Thursday 2026-10-01, National Day: off.
    assert!(!working(d(2026, 10, 1)));
    // Saturday 2026-10-10: a make-up working day.
    assert!(working(d(2026, 10, 10)));
    // Sunday 2026-10-11: an ordinary weekend day.
    assert!(!working(d(2026, 10, 11)));
    // Monday 2026-10-12: an ordinary working day.
    assert!(working(d(2026, 10, 12)));
    // Sunday 2025-09-28: a make-up working day of 2025.
    assert!(working(d(2025, 9, 28)));
    // Friday 2027-01-01: 2027 is not in the file, so only the weekend counts.
    assert!(working(d(2027, 1, 1)));
    assert!(!working(d(2027, 1, 2)));
    // Without a weekend, Sunday 2026-10-11 works, and holidays are still off.
    assert!(h.is_working_day(d(2026, 10, 11), &[]));
    assert!(!h.is_working_day(d(2026, 10, 1), &[]));
}

#[test]
fn the_next_working_day_skips_breaks_and_stops_on_make_up_days() {
    let h = shipped();
    let next = |date| h.next_working_day(date, &WEEKEND);
    // A working day is its own next working day: Wednesday 2026-09-30.
    assert_eq!(next(d(2026, 9, 30)), d(2026, 9, 30));
    // Friday 2026-09-25, Mid-Autumn off 09-25..09-27 → Monday 09-28.
    assert_eq!(next(d(2026, 9, 25)), d(2026, 9, 28));
    // Thursday 2026-10-01, National Day off 10-01..10-07 → Thursday 10-08.
    assert_eq!(next(d(2026, 10, 1)), d(2026, 10, 8));
    // Thursday 2026-01-01, New Year off 01-01..01-03 → Sunday 01-04, a make-up day.
    assert_eq!(next(d(2026, 1, 1)), d(2026, 1, 4));
    // Sunday 2026-02-15, Spring Festival off 02-15..02-23 → Tuesday 02-24.
    assert_eq!(next(d(2026, 2, 15)), d(2026, 2, 24));
    // 2025: National Day and Mid-Autumn off 10-01..10-08 (Wednesday) → Thursday 10-09.
    assert_eq!(next(d(2025, 10, 1)), d(2025, 10, 9));
    // Across the turn of the year: Saturday 2026-12-26 → Monday 12-28; Saturday 2025-12-27
    // → Monday 2025-12-29.
    assert_eq!(next(d(2026, 12, 26)), d(2026, 12, 28));
    assert_eq!(next(d(2025, 12, 27)), d(2025, 12, 29));
    // A week that is all weekend: only make-up days work. From Tuesday 2026-03-03 the next
    // one is Saturday 05-09; in 2028, a year the file does not list, there is none within
    // the search, and the date itself comes back.
    let all = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    assert_eq!(h.next_working_day(d(2026, 3, 3), &all), d(2026, 5, 9));
    assert_eq!(h.next_working_day(d(2028, 3, 7), &all), d(2028, 3, 7));
}

#[test]
fn a_hand_written_year_takes_single_days_and_ranges() {
    let text = "[2030]\noff = [\"2030-10-01..2030-10-03\", \" 2030-12-25 \"]\nwork = [\"2030-09-29\"]\n\n[2031]\n";
    let h = Holidays::load(&file(text)).unwrap();
    let y = &h.years[&2030];
    assert_eq!(
        y.off.iter().copied().collect::<Vec<_>>(),
        [
            d(2030, 10, 1),
            d(2030, 10, 2),
            d(2030, 10, 3),
            d(2030, 12, 25)
        ]
    );
    assert_eq!(y.work.iter().copied().collect::<Vec<_>>(), [d(2030, 9, 29)]);
    // A year with neither list: known, with nothing in it.
    assert_eq!(h.years[&2031], Year::default());
    // Sunday 2030-09-29 works; Tuesday 2030-10-01 is off → Friday 10-04.
    assert!(h.is_working_day(d(2030, 9, 29), &WEEKEND));
    assert_eq!(h.next_working_day(d(2030, 10, 1), &WEEKEND), d(2030, 10, 4));
    // An empty file: no years at all.
    assert_eq!(Holidays::load(&file("")).unwrap(), Holidays::default());
}

#[test]
fn bad_years_and_dates_are_reported_at_each_entry() {
    // Line 2: `off = [` is 7 characters and each entry is followed by ", ", so the entries
    // start in columns 8, 8 + 24 + 2 = 34, 34 + 12 + 2 = 48 and 48 + 12 + 2 = 62.
    let text = "[2026]\noff = [\"2026-10-01..2026-10-07\", \"2026-13-01\", \"2025-12-31\", \"2026-10-07..2026-10-01\"]\nwork = [\"2026-10-10\"]\n[20x6]\noff = []\n";
    let like = "expected a date like 2026-10-01 or a range 2026-10-01..2026-10-07";
    assert_eq!(
        problems(text),
        [
            // No 13th month.
            format!("rules/holidays.toml:2:34: {like}, found \"2026-13-01\""),
            // A day of another year.
            "rules/holidays.toml:2:48: \"2025-12-31\" is not in 2026".to_string(),
            // A range that ends before it starts.
            format!("rules/holidays.toml:2:62: {like}, found \"2026-10-07..2026-10-01\""),
            // Line 4: the header `[20x6]`, its key from column 2.
            "rules/holidays.toml:4:2: expected a year like [2026], found [20x6]".to_string(),
        ]
    );
    // A range reaching into the next year, and an unknown key (line 2, column 1).
    assert_eq!(
        problems("[2026]\noff = [\"2026-12-31..2027-01-01\"]\n"),
        ["rules/holidays.toml:2:8: \"2026-12-31..2027-01-01\" is not in 2026"]
    );
    assert_eq!(
        problems("[2026]\nholiday = [\"2026-10-01\"]\n"),
        ["rules/holidays.toml:2:1: unknown field `holiday`, expected `off` or `work`"]
    );
}

fn file(text: &str) -> RuleFile {
    test_files::file("holidays", text)
}
