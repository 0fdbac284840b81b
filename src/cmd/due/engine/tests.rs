//! Unit tests of the parent module, with hand-worked expectations.
//!
//! Every date below is worked by hand from the shipped rules (`rules/cadence.toml`: A order
//! rhythm 30 d / 0.25 / 3–21 / 7 / ×2, B 3-7-3-7 and 1-1-2-3-7-7-15 then C, C 2m, D 3m, E 6m,
//! late ×2, purchase 7 d ahead, birthday 0 d ahead) and `rules/holidays.toml` (China 2025–2026).
//! The 2026 days used: 01-01..03 off, Sun 01-04 worked; 02-15..23 off, Sat 02-14 and Sat 02-28
//! worked; 09-25..27 off; 10-01..07 off, Sat 10-10 worked. 2027 is not in the file: weekends only.

use std::sync::LazyLock;

use chrono::{NaiveDate, Weekday};

use super::*;
use crate::model::value::Span;
use crate::model::{Customer, Field, Grade, ListKind, MonthDay, RowKey, Stage};
use crate::rules::Rules;
use crate::rules::expr::Env;

static RULES: LazyLock<Rules> = LazyLock::new(|| Rules::load(None, None).unwrap());

const WEEKEND: [Weekday; 2] = [Weekday::Sat, Weekday::Sun];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cal() -> Calendar<'static> {
    // No festival: the festival greetings have tests of their own, and the hand-worked
    // cadences below stay free of them.
    Calendar {
        holidays: &RULES.holidays,
        weekend: &WEEKEND,
        festival: None,
    }
}

fn customer(grade: Option<Grade>) -> Customer {
    Customer {
        id: "K1".into(),
        grade,
        ..Customer::default()
    }
}

/// A customer of `grade` last contacted on `last`.
fn contacted(grade: Grade, last: NaiveDate) -> Customer {
    Customer {
        last_contact: Some(last),
        ..customer(Some(grade))
    }
}

fn entry_until(c: &Customer, today: NaiveDate, until: NaiveDate) -> Option<DueEntry> {
    let env = Env {
        today,
        extra_columns: &[],
    };
    entry(c, 0, &RULES, cal(), &env, until)
}

/// The customer's next follow-up seen from `today`, however far ahead it is.
fn next(c: &Customer, today: NaiveDate) -> DueEntry {
    entry_until(c, today, NaiveDate::MAX).expect("every customer off the black list has one")
}

fn every(grade: Grade, span: Span) -> Why {
    Why::Every {
        grade,
        span,
        new: false,
    }
}

// ------------------------------------------------------------------ C, D, E

#[test]
fn c_d_e_add_calendar_months_clamped_to_the_month_end() {
    // D: 2026-08-31 + 3 months = 2026-11-31, clamped to 2026-11-30, a Monday: due that day.
    let e = next(&contacted(Grade::D, d(2026, 8, 31)), d(2026, 11, 30));
    assert_eq!(e.due, d(2026, 11, 30));
    assert_eq!(e.why, every(Grade::D, Span::Months(3)));
    assert_eq!(e.grade, Grade::D);
    assert_eq!(e.customer, 0);
    assert!(!e.late);

    // C: 2025-12-31 + 2 months = 2026-02-31, clamped to 2026-02-28: a Saturday, but the
    // second Spring Festival make-up working day (调休), so due on the Saturday itself.
    let e = next(&contacted(Grade::C, d(2025, 12, 31)), d(2026, 2, 27));
    assert_eq!(e.due, d(2026, 2, 28));
    assert_eq!(e.why, every(Grade::C, Span::Months(2)));

    // E: 2026-03-31 + 6 months = 2026-09-31, clamped to 2026-09-30, a Wednesday.
    let e = next(&contacted(Grade::E, d(2026, 3, 31)), d(2026, 4, 1));
    assert_eq!(e.due, d(2026, 9, 30));
    assert_eq!(e.why, every(Grade::E, Span::Months(6)));

    // C: 2026-01-31 + 2 months = 2026-03-31: March has 31 days, nothing to clamp; a Tuesday.
    let e = next(&contacted(Grade::C, d(2026, 1, 31)), d(2026, 2, 2));
    assert_eq!(e.due, d(2026, 3, 31));
}

#[test]
fn a_due_date_on_a_weekend_moves_to_the_next_working_day_of_the_configured_week() {
    // C: 2026-09-07 + 2 months = 2026-11-07, a Saturday.
    let c = contacted(Grade::C, d(2026, 9, 7));
    let today = d(2026, 9, 8);
    // Weekend Sat+Sun: Saturday 11-07 → Monday 11-09.
    assert_eq!(next(&c, today).due, d(2026, 11, 9));
    let with_weekend = |weekend: &[Weekday]| {
        let cal = Calendar {
            holidays: &RULES.holidays,
            weekend,
            festival: None,
        };
        let env = Env {
            today,
            extra_columns: &[],
        };
        graded_entry(&c, 0, Grade::C, &RULES, cal, &env, NaiveDate::MAX)
            .unwrap()
            .due
    };
    // No weekend at all: Saturday 11-07 is a working day.
    assert_eq!(with_weekend(&[]), d(2026, 11, 7));
    // A Friday+Saturday weekend: Saturday 11-07 → Sunday 11-08.
    assert_eq!(with_weekend(&[Weekday::Fri, Weekday::Sat]), d(2026, 11, 8));
}

#[test]
fn holidays_move_past_the_whole_break_and_make_up_days_are_worked() {
    let cases = [
        // D: 2025-11-15 + 3 months = 2026-02-15, a Sunday and the first day of the Spring
        // Festival break 02-15..02-23 → the next working day is Tuesday 02-24.
        (Grade::D, d(2025, 11, 15), d(2026, 2, 24)),
        // C: 2025-12-14 + 2 months = 2026-02-14, a Saturday but a make-up working day.
        (Grade::C, d(2025, 12, 14), d(2026, 2, 14)),
        // C: 2025-11-01 + 2 months = 2026-01-01 (Thursday, New Year off 01-01..01-03) → Sunday
        // 01-04, a make-up working day: the weekend does not push it on to Monday.
        (Grade::C, d(2025, 11, 1), d(2026, 1, 4)),
        // C: 2026-07-25 + 2 months = 2026-09-25, Friday, Mid-Autumn off 09-25..09-27 → Mon 09-28.
        (Grade::C, d(2026, 7, 25), d(2026, 9, 28)),
        // E: 2026-04-02 + 6 months = 2026-10-02, Friday, National Day off 10-01..10-07 → Thu 10-08.
        (Grade::E, d(2026, 4, 2), d(2026, 10, 8)),
        // C: 2026-08-10 + 2 months = 2026-10-10, a Saturday but a make-up working day.
        (Grade::C, d(2026, 8, 10), d(2026, 10, 10)),
    ];
    for (grade, last, due) in cases {
        let e = next(&contacted(grade, last), last);
        assert_eq!(e.due, due, "{grade:?} last contacted {last}");
        assert!(!e.late);
    }
    // C: 2026-11-01 + 2 months = 2027-01-01, a Friday. 2027 is not in holidays.toml, so New
    // Year's Day counts as a working day (`due` warns about the missing year).
    let e = next(&contacted(Grade::C, d(2026, 11, 1)), d(2026, 11, 2));
    assert_eq!(e.due, d(2027, 1, 1));
}

// ------------------------------------------------------------------ never contacted, black list

#[test]
fn never_contacted_is_due_today_for_every_grade_and_never_late() {
    // Monday 2026-11-23, a working day: due that day, whatever the grade (A without an order
    // or a touch has no anchor; B without a sample falls to C, which has no last contact).
    let monday = d(2026, 11, 23);
    for grade in [Grade::A, Grade::B, Grade::C, Grade::D, Grade::E] {
        let e = next(&customer(Some(grade)), monday);
        assert_eq!(e.due, monday, "{grade:?}");
        assert_eq!(e.why, Why::NeverContacted, "{grade:?}");
        assert_eq!(e.grade, grade);
        assert!(!e.late, "{grade:?}");
    }
    // Seen on Sunday 2026-11-22: today is not a working day, so the entry is for Monday,
    // and a list of what is due by Sunday does not hold it.
    let sunday = d(2026, 11, 22);
    let c = customer(Some(Grade::C));
    assert_eq!(next(&c, sunday).due, monday);
    assert_eq!(entry_until(&c, sunday, sunday), None);
    // Seen on 2026-10-01, inside the National Day break 10-01..10-07: due Thursday 10-08.
    assert_eq!(next(&c, d(2026, 10, 1)).due, d(2026, 10, 8));
}

#[test]
fn the_black_list_is_never_due() {
    let today = d(2026, 11, 23);
    let c = Customer {
        list: ListKind::Black,
        // Never contacted, a birthday today and a purchase date a week ahead: each alone
        // would make an entry due today.
        birthday: Some(MonthDay { month: 11, day: 23 }),
        expected_purchase: Some(d(2026, 11, 30)),
        ..customer(Some(Grade::A))
    };
    assert_eq!(entry_until(&c, today, NaiveDate::MAX), None);
    // Also with no grade in the book (the grade scheme gives E, "black list").
    let c = Customer { grade: None, ..c };
    assert_eq!(entry_until(&c, today, NaiveDate::MAX), None);
    // The red list is followed up as usual: never contacted → due today.
    let red = Customer {
        list: ListKind::Red,
        ..customer(Some(Grade::C))
    };
    assert_eq!(next(&red, today).due, today);
}

// ------------------------------------------------------------------ late, snooze, until

#[test]
fn late_counts_twice_the_gap_from_the_due_date_as_moved() {
    // C: 2026-06-01 + 2 months = 2026-08-01, a Saturday → due Monday 08-03. The gap is
    // 06-01 → 08-01 = 30 + 31 = 61 days; late past 08-03 + 61 × (2 − 1) = 10-03
    // (08-03 + 28 = 08-31, + 30 = 09-30, + 3 = 10-03).
    let c = contacted(Grade::C, d(2026, 6, 1));
    let late_on = |today| next(&c, today).late;
    // From the Saturday it would be 08-01 + 61 = 10-01: 10-02 is late only if the limit
    // ran from the unmoved date.
    assert!(!late_on(d(2026, 10, 2)));
    assert!(!late_on(d(2026, 10, 3)));
    assert!(late_on(d(2026, 10, 4)));
    assert_eq!(next(&c, d(2026, 10, 4)).due, d(2026, 8, 3));

    // D: 2026-08-31 + 3 months = 2026-11-30 (a Monday); gap 08-31 → 11-30 = 30 + 31 + 30
    // = 91 days; late past 11-30 + 91 = 2027-03-01 (+31 = 12-31, +31 = 01-31, +28 = 02-28,
    // +1 = 03-01).
    let c = contacted(Grade::D, d(2026, 8, 31));
    assert!(!next(&c, d(2027, 3, 1)).late);
    assert!(next(&c, d(2027, 3, 2)).late);
}

#[test]
fn a_snooze_postpones_the_follow_up_and_suspends_lateness() {
    // C: 2026-06-01 → soft date Saturday 2026-08-01, due Monday 08-03, late past 10-03
    // (worked in the test above).
    let snoozed = |until: NaiveDate| Customer {
        snooze_until: Some(until),
        ..contacted(Grade::C, d(2026, 6, 1))
    };
    // A snooze that ends before the follow-up falls due changes nothing.
    let e = next(&snoozed(d(2026, 7, 15)), d(2026, 7, 20));
    assert_eq!((e.due, e.late), (d(2026, 8, 3), false));
    // Snoozed to Thursday 08-20: due then.
    assert_eq!(
        next(&snoozed(d(2026, 8, 20)), d(2026, 7, 20)).due,
        d(2026, 8, 20)
    );
    // Snoozed to Saturday 08-22: due on the next working day, Monday 08-24.
    assert_eq!(
        next(&snoozed(d(2026, 8, 22)), d(2026, 7, 20)).due,
        d(2026, 8, 24)
    );
    // Seen on 10-05, past the hard limit (10-03), snoozed to Friday 10-09: due 10-09, and
    // not late while the snooze runs.
    let e = next(&snoozed(d(2026, 10, 9)), d(2026, 10, 5));
    assert_eq!((e.due, e.late), (d(2026, 10, 9), false));
    // Snoozed to today, 10-05 (inside the National Day break 10-01..10-07): due Thursday
    // 10-08, and late again: the snooze is over, and the limit still runs from 08-03.
    let e = next(&snoozed(d(2026, 10, 5)), d(2026, 10, 5));
    assert_eq!((e.due, e.late), (d(2026, 10, 8), true));
    // A snooze that ended in the past, but after the soft date: due on Tuesday 09-01 where
    // the snooze left it, late since 10-03.
    let e = next(&snoozed(d(2026, 9, 1)), d(2026, 10, 12));
    assert_eq!((e.due, e.late), (d(2026, 9, 1), true));
}

#[test]
fn only_entries_due_by_until_are_returned() {
    // C: 2026-10-01 + 2 months = 2026-12-01, a Tuesday.
    let c = contacted(Grade::C, d(2026, 10, 1));
    let today = d(2026, 11, 23);
    assert_eq!(entry_until(&c, today, today), None);
    assert_eq!(entry_until(&c, today, d(2026, 11, 30)), None);
    let e = entry_until(&c, today, d(2026, 12, 1)).unwrap();
    assert_eq!(e.due, d(2026, 12, 1));
}

// ------------------------------------------------------------------ A: the order rhythm

/// An A customer who last ordered on `order` (also a touch) every `interval` days.
fn orderer(order: NaiveDate, interval: Option<u32>) -> Customer {
    Customer {
        last_order: Some(order),
        last_contact: Some(order),
        order_interval_days: interval,
        ..customer(Some(Grade::A))
    }
}

#[test]
fn a_is_due_a_lead_time_before_the_expected_order_then_weekly() {
    // Ordered 2026-10-01 every 28 days: expected 10-29; lead 28 × 0.25 = 7 days → due
    // Thursday 10-22.
    let mut c = orderer(d(2026, 10, 1), Some(28));
    let expected = d(2026, 10, 29);
    let e = next(&c, d(2026, 10, 20));
    assert_eq!(e.due, d(2026, 10, 22));
    assert_eq!(
        e.why,
        Why::Order {
            expected,
            lapsing: false,
            new: false,
        }
    );
    assert!(!e.late);
    // A touch on 10-22 meets it: then weekly, 10-22 + 7 = 10-29.
    c.last_contact = Some(d(2026, 10, 22));
    assert_eq!(next(&c, d(2026, 10, 23)).due, d(2026, 10, 29));
    // A touch on 10-30 meets 10-22 and 10-29 ((30 − 22) / 7 = 1 step, + 1): due 10-22 + 2 × 7
    // = Thursday 11-05.
    c.last_contact = Some(d(2026, 10, 30));
    let e = next(&c, d(2026, 11, 1));
    assert_eq!(e.due, d(2026, 11, 5));
    // The weekly gap is 7: late past 11-05 + 7 = 11-12.
    assert!(!next(&c, d(2026, 11, 12)).late);
    assert!(next(&c, d(2026, 11, 13)).late);
    // Lapsing from 10-01 + 28 × 2 = 56 days = 11-26 (10-01 + 30 = 10-31, + 26 = 11-26).
    assert_eq!(
        next(&c, d(2026, 11, 25)).why,
        Why::Order {
            expected,
            lapsing: false,
            new: false,
        }
    );
    assert_eq!(
        next(&c, d(2026, 11, 26)).why,
        Why::Order {
            expected,
            lapsing: true,
            new: false,
        }
    );
}

#[test]
fn a_lead_is_a_rounded_share_of_the_interval_within_3_to_21_days() {
    // No interval known: 30 days. Ordered 2026-09-01: expected 10-01; lead 30 × 0.25 = 7.5,
    // rounded half away from zero to 8 → due Wednesday 09-23.
    let e = next(&orderer(d(2026, 9, 1), None), d(2026, 9, 2));
    assert_eq!(e.due, d(2026, 9, 23));
    assert_eq!(
        e.why,
        Why::Order {
            expected: d(2026, 10, 1),
            lapsing: false,
            new: false,
        }
    );
    // A yearly orderer: ordered 2025-12-01 every 365 days → expected 2026-12-01; lead
    // 365 × 0.25 = 91.25 → 91, capped at 21 → due Tuesday 2026-11-10.
    let e = next(&orderer(d(2025, 12, 1), Some(365)), d(2026, 11, 1));
    assert_eq!(e.due, d(2026, 11, 10));
    // Every 8 days: ordered 2026-11-02 → expected 11-10; lead 8 × 0.25 = 2, raised to 3 →
    // Saturday 11-07 → due Monday 11-09.
    let e = next(&orderer(d(2026, 11, 2), Some(8)), d(2026, 11, 3));
    assert_eq!(e.due, d(2026, 11, 9));
    // Late past the lead after the moved date: 11-09 + 3 = 11-12.
    assert!(!next(&orderer(d(2026, 11, 2), Some(8)), d(2026, 11, 12)).late);
    assert!(next(&orderer(d(2026, 11, 2), Some(8)), d(2026, 11, 13)).late);
}

#[test]
fn a_without_an_order_anchors_at_the_last_contact_and_never_lapses() {
    // Last contact Monday 2026-11-02, no order: expected 11-02 + 30 = 12-02; lead 8 →
    // due Tuesday 11-24.
    let c = contacted(Grade::A, d(2026, 11, 2));
    let e = next(&c, d(2026, 11, 3));
    assert_eq!(e.due, d(2026, 11, 24));
    assert_eq!(
        e.why,
        Why::Order {
            expected: d(2026, 12, 2),
            lapsing: false,
            new: false,
        }
    );
    // Months later it is late (past 11-24 + 8 = 12-02), but with no order nothing lapses.
    let today = d(2027, 3, 1);
    let e = next(&c, today);
    assert!(e.late);
    assert_eq!(
        e.why,
        Why::Order {
            expected: d(2026, 12, 2),
            lapsing: false,
            new: false,
        }
    );
    assert_eq!(lapsing(&c, Grade::A, &RULES, today), None);
}

#[test]
fn lapsing_belongs_to_the_rhythm_not_to_the_first_follow_up() {
    // Ordered 2026-08-01 every 30 days: expected 08-31, lead 8 → Sunday 08-23 → 08-24.
    // A purchase named for 08-20 is due a week before, Thursday 08-13: that comes first.
    let c = Customer {
        expected_purchase: Some(d(2026, 8, 20)),
        ..orderer(d(2026, 8, 1), Some(30))
    };
    let today = d(2026, 10, 12);
    let e = next(&c, today);
    assert_eq!(e.due, d(2026, 8, 13));
    assert_eq!(
        e.why,
        Why::Purchase {
            expected: d(2026, 8, 20)
        }
    );
    // Lapsing since 08-01 + 30 × 2 = 60 days = 09-30 (08-01 + 30 = 08-31, + 30 = 09-30):
    // the expected order is reported all the same.
    assert_eq!(lapsing(&c, Grade::A, &RULES, today), Some(d(2026, 8, 31)));
    assert_eq!(
        lapsing(&c, Grade::A, &RULES, d(2026, 9, 30)),
        Some(d(2026, 8, 31))
    );
    assert_eq!(lapsing(&c, Grade::A, &RULES, d(2026, 9, 29)), None);
    // Only the order rhythm lapses: at grade C the same customer never does.
    assert_eq!(lapsing(&c, Grade::C, &RULES, today), None);
}

// ------------------------------------------------------------------ B: sample sequences

/// A B customer who asked for a sample on `requested`.
fn requested(on: NaiveDate, last: Option<NaiveDate>) -> Customer {
    Customer {
        sample_requested: Some(on),
        last_contact: last,
        ..customer(Some(Grade::B))
    }
}

fn sample(anchor: Field, step: usize, of: usize) -> Why {
    Why::Sample {
        anchor,
        step,
        of,
        new: false,
    }
}

#[test]
fn b_follows_the_request_sequence_a_touch_on_the_day_meets_a_step_weekends_move_it() {
    // Requested Monday 2026-11-02; gaps 1, 1, 2, 3, 7, 7, 15 → steps on 11-03, 11-04, 11-06,
    // 11-09, 11-16, 11-23, 12-08.
    let req = d(2026, 11, 2);
    let e = next(&requested(req, None), req);
    assert_eq!(e.due, d(2026, 11, 3));
    assert_eq!(e.why, sample(Field::SampleRequested, 1, 7));
    // Touched on 11-05, the day before step 3: step 3 (11-06) is still open.
    let e = next(&requested(req, Some(d(2026, 11, 5))), d(2026, 11, 6));
    assert_eq!(
        (e.due, e.why),
        (d(2026, 11, 6), sample(Field::SampleRequested, 3, 7))
    );
    // Touched on 11-06, the day of step 3: steps 1–3 are met, step 4 is due 11-09.
    let c = requested(req, Some(d(2026, 11, 6)));
    let e = next(&c, d(2026, 11, 9));
    assert_eq!(
        (e.due, e.why),
        (d(2026, 11, 9), sample(Field::SampleRequested, 4, 7))
    );
    // Step 4's gap is 3 days: late past 11-09 + 3 = 11-12.
    assert!(!next(&c, d(2026, 11, 12)).late);
    assert!(next(&c, d(2026, 11, 13)).late);
    // Touched on 11-23 (step 6): the last step, 11-23 + 15 = Tuesday 12-08.
    let e = next(&requested(req, Some(d(2026, 11, 23))), d(2026, 11, 24));
    assert_eq!(
        (e.due, e.why),
        (d(2026, 12, 8), sample(Field::SampleRequested, 7, 7))
    );

    // Requested Thursday 2026-11-05, touched on 11-06 (step 1): step 2 is 11-06 + 1 =
    // Saturday 11-07 → due Monday 11-09. Its gap is 1 day: late past 11-09 + 1 = 11-10.
    let c = requested(d(2026, 11, 5), Some(d(2026, 11, 6)));
    let e = next(&c, d(2026, 11, 10));
    assert_eq!(e.due, d(2026, 11, 9));
    assert_eq!(e.why, sample(Field::SampleRequested, 2, 7));
    assert!(!e.late);
    assert!(next(&c, d(2026, 11, 11)).late);
}

#[test]
fn b_the_latest_sample_event_picks_the_sequence() {
    // Requested 11-02, received Tuesday 11-10: gaps 3, 7, 3, 7 from 11-10 → 11-13, 11-20,
    // 11-23, 11-30. Touched on 11-13: step 2, Friday 11-20.
    let c = Customer {
        sample_received: Some(d(2026, 11, 10)),
        ..requested(d(2026, 11, 2), Some(d(2026, 11, 13)))
    };
    let e = next(&c, d(2026, 11, 16));
    assert_eq!(
        (e.due, e.why),
        (d(2026, 11, 20), sample(Field::SampleReceived, 2, 4))
    );
    // Requested and received the same day (11-10): the sequence listed first, received,
    // applies: step 1 is 11-10 + 3 = Friday 11-13.
    let c = Customer {
        sample_received: Some(d(2026, 11, 10)),
        ..requested(d(2026, 11, 10), Some(d(2026, 11, 10)))
    };
    let e = next(&c, d(2026, 11, 10));
    assert_eq!(
        (e.due, e.why),
        (d(2026, 11, 13), sample(Field::SampleReceived, 1, 4))
    );
    // A new sample requested (11-10) after an earlier one was received (10-01): the latest
    // event wins, so the request sequence starts again, step 1 is 11-10 + 1 = Wednesday 11-11.
    let c = Customer {
        sample_received: Some(d(2026, 10, 1)),
        ..requested(d(2026, 11, 10), Some(d(2026, 11, 10)))
    };
    let e = next(&c, d(2026, 11, 10));
    assert_eq!(
        (e.due, e.why),
        (d(2026, 11, 11), sample(Field::SampleRequested, 1, 7))
    );
}

#[test]
fn b_with_every_step_met_or_no_sample_follows_c() {
    // Received Monday 2026-08-03: steps 08-06, 08-13, 08-16, 08-23 (a Sunday).
    let received = |last: NaiveDate| Customer {
        sample_received: Some(d(2026, 8, 3)),
        last_contact: Some(last),
        ..customer(Some(Grade::B))
    };
    // Touched on Sunday 08-23, the last step's own date: every step is met, so C applies:
    // 08-23 + 2 months = Friday 10-23. The entry keeps the customer's grade, B.
    let e = next(&received(d(2026, 8, 23)), d(2026, 8, 24));
    assert_eq!(e.due, d(2026, 10, 23));
    assert_eq!(e.why, every(Grade::C, Span::Months(2)));
    assert_eq!(e.grade, Grade::B);
    // Touched on 08-24: 08-24 + 2 months = Saturday 10-24 → Monday 10-26.
    assert_eq!(
        next(&received(d(2026, 8, 24)), d(2026, 8, 25)).due,
        d(2026, 10, 26)
    );
    // Touched on 08-22, before the last step: step 4 of 4 is due Sunday 08-23 → Monday 08-24.
    let e = next(&received(d(2026, 8, 22)), d(2026, 8, 22));
    assert_eq!(
        (e.due, e.why),
        (d(2026, 8, 24), sample(Field::SampleReceived, 4, 4))
    );
    // No sample at all: C from the last contact, Wednesday 09-16 + 2 months = Monday 11-16.
    let e = next(&contacted(Grade::B, d(2026, 9, 16)), d(2026, 9, 17));
    assert_eq!(
        (e.due, e.why),
        (d(2026, 11, 16), every(Grade::C, Span::Months(2)))
    );
}

// ------------------------------------------------------------------ purchase intent, birthdays

#[test]
fn a_purchase_date_is_due_a_week_before_and_never_late() {
    // C last contacted 2026-11-20 → 2027-01-20. Purchase expected Thursday 12-10: due
    // 12-10 − 7 = Thursday 12-03, which comes first.
    let c = Customer {
        expected_purchase: Some(d(2026, 12, 10)),
        ..contacted(Grade::C, d(2026, 11, 20))
    };
    let e = next(&c, d(2026, 11, 23));
    assert_eq!(e.due, d(2026, 12, 3));
    assert_eq!(
        e.why,
        Why::Purchase {
            expected: d(2026, 12, 10)
        }
    );
    // Expected Saturday 12-12: 12-05 is a Saturday too → Monday 12-07.
    let c = Customer {
        expected_purchase: Some(d(2026, 12, 12)),
        ..contacted(Grade::C, d(2026, 11, 20))
    };
    assert_eq!(next(&c, d(2026, 11, 23)).due, d(2026, 12, 7));
    // A touch on 12-03 meets it: the C cadence follows, 12-03 + 2 months = Wednesday 2027-02-03.
    let c = Customer {
        expected_purchase: Some(d(2026, 12, 10)),
        ..contacted(Grade::C, d(2026, 12, 3))
    };
    let e = next(&c, d(2026, 12, 4));
    assert_eq!(
        (e.due, e.why),
        (d(2027, 2, 3), every(Grade::C, Span::Months(2)))
    );
    // Expected 06-10, last touched 05-04: purchase due Wednesday 06-03, before the C date
    // (05-04 + 2 months = Saturday 07-04 → 07-06). Both are listed, earliest first. Months
    // past them, the purchase date alone is never late (a named date has no cadence gap);
    // the C follow-up is, past 07-06 + 61 days = 09-05, so the customer's entry is late.
    let c = Customer {
        expected_purchase: Some(d(2026, 6, 10)),
        ..contacted(Grade::C, d(2026, 5, 4))
    };
    let e = next(&c, d(2026, 11, 23));
    assert_eq!(e.due, d(2026, 6, 3));
    assert_eq!(e.more, [(d(2026, 7, 6), every(Grade::C, Span::Months(2)))]);
    assert!(e.late);
    let purchase_only = Customer {
        expected_purchase: Some(d(2026, 6, 10)),
        ..contacted(Grade::C, d(2026, 11, 20))
    };
    assert!(!next(&purchase_only, d(2026, 11, 23)).late);
}

/// An E customer (next cadence date half a year away) born on `month`-`day`.
fn born(month: u8, day: u8, last: NaiveDate) -> Customer {
    Customer {
        birthday: Some(MonthDay { month, day }),
        ..contacted(Grade::E, last)
    }
}

#[test]
fn a_birthday_is_due_on_the_day_and_a_weekend_one_on_the_working_day_before() {
    // Last contact 11-01 → the E date is 2027-05-01. Birthday Monday 2026-11-23: due that day.
    let today = d(2026, 11, 23);
    let e = next(&born(11, 23, d(2026, 11, 1)), today);
    assert_eq!(e.due, today);
    assert_eq!(e.why, Why::Birthday { on: today });
    assert!(!e.late);
    // Birthday Sunday 11-22: greeted on Friday 11-20, seen from the Thursday and the Friday
    // (a greeting after the day would be too late).
    for seen in [d(2026, 11, 19), d(2026, 11, 20)] {
        let e = next(&born(11, 22, d(2026, 11, 1)), seen);
        assert_eq!(e.due, d(2026, 11, 20), "seen on {seen}");
        assert_eq!(
            e.why,
            Why::Birthday {
                on: d(2026, 11, 22)
            }
        );
    }
    // Seen on Monday 11-23 that greeting day is past; next year's (a Monday, 2027-11-22)
    // comes after the E date, 11-01 + 6 months = Saturday 2027-05-01
    // → Monday 2027-05-03, and is listed after it.
    let e = next(&born(11, 22, d(2026, 11, 1)), today);
    assert_eq!(
        (e.due, e.why),
        (d(2027, 5, 3), every(Grade::E, Span::Months(6)))
    );
    assert_eq!(
        e.more,
        [(
            d(2027, 11, 22),
            Why::Birthday {
                on: d(2027, 11, 22)
            }
        )]
    );
    // Touched on the birthday itself: the greeting is met, the E date follows (11-23 +
    // 6 months = Sunday 2027-05-23 → Monday 2027-05-24).
    let e = next(&born(11, 23, d(2026, 11, 23)), today);
    assert_eq!(
        (e.due, e.why),
        (d(2027, 5, 24), every(Grade::E, Span::Months(6)))
    );
}

#[test]
fn a_birthday_in_a_holiday_is_greeted_before_it() {
    // Birthday 10-01, inside the National Day break 10-01..10-07: greeted on the last
    // working day before it, Wednesday 09-30, still due when seen on 09-30.
    let e = next(&born(10, 1, d(2026, 9, 1)), d(2026, 9, 30));
    assert_eq!(e.due, d(2026, 9, 30));
    assert_eq!(e.why, Why::Birthday { on: d(2026, 10, 1) });
    // Seen on 10-08 that greeting day is past: next is 2027-10-01, after the E date
    // (09-01 + 6 months = Monday 2027-03-01).
    let e = next(&born(10, 1, d(2026, 9, 1)), d(2026, 10, 8));
    assert_eq!(
        (e.due, e.why),
        (d(2027, 3, 1), every(Grade::E, Span::Months(6)))
    );
}

#[test]
fn a_feb_29_birthday_falls_on_feb_28_in_common_years() {
    // 2026 is a common year: 02-28, a Saturday but a make-up working day → due 02-28.
    let e = next(&born(2, 29, d(2026, 2, 2)), d(2026, 2, 24));
    assert_eq!(e.due, d(2026, 2, 28));
    assert_eq!(e.why, Why::Birthday { on: d(2026, 2, 28) });
    // 2027: 02-28 is a Sunday (no holidays listed for 2027) → Friday 02-26.
    let e = next(&born(2, 29, d(2027, 2, 1)), d(2027, 2, 22));
    assert_eq!(e.due, d(2027, 2, 26));
    assert_eq!(e.why, Why::Birthday { on: d(2027, 2, 28) });
    // 2028 is a leap year: Tuesday 02-29 itself.
    let e = next(&born(2, 29, d(2028, 2, 1)), d(2028, 2, 21));
    assert_eq!(e.due, d(2028, 2, 29));
    assert_eq!(e.why, Why::Birthday { on: d(2028, 2, 29) });
}

#[test]
fn a_birthday_lead_moves_the_greeting_ahead() {
    let mut rules = Rules::load(None, None).unwrap();
    rules.cadence.birthday_lead_days = 3;
    let cal = Calendar {
        holidays: &rules.holidays,
        weekend: &WEEKEND,
        festival: None,
    };
    let today = d(2026, 11, 23);
    let env = Env {
        today,
        extra_columns: &[],
    };
    let at =
        |c: &Customer| graded_entry(c, 0, Grade::E, &rules, cal, &env, NaiveDate::MAX).unwrap();
    // Birthday Thursday 11-26, 3 days ahead: Monday 11-23.
    let e = at(&born(11, 26, d(2026, 11, 1)));
    assert_eq!(
        (e.due, e.why),
        (
            today,
            Why::Birthday {
                on: d(2026, 11, 26)
            }
        )
    );
    // Birthday Tuesday 11-24: 3 days ahead is Saturday 11-21 → Friday 11-20, seen then.
    let friday = Env {
        today: d(2026, 11, 20),
        extra_columns: &[],
    };
    let e = graded_entry(
        &born(11, 24, d(2026, 11, 1)),
        0,
        Grade::E,
        &rules,
        cal,
        &friday,
        NaiveDate::MAX,
    )
    .unwrap();
    assert_eq!(
        (e.due, e.why),
        (
            d(2026, 11, 20),
            Why::Birthday {
                on: d(2026, 11, 24)
            }
        )
    );
}

// ------------------------------------------------------------------ plans, complaints, festivals

#[test]
fn a_planned_date_replaces_the_cadence_until_a_touch_meets_it() {
    // C, last contact 11-02: the cadence says Saturday 2027-01-02 → Monday 01-04. The
    // customer asked to be called back on Friday 11-27: due then, and only then.
    let planned = |on: NaiveDate, last: NaiveDate| Customer {
        next_contact: Some(on),
        ..contacted(Grade::C, last)
    };
    let today = d(2026, 11, 23);
    let e = next(&planned(d(2026, 11, 27), d(2026, 11, 2)), today);
    assert_eq!(
        (e.due, e.why),
        (
            d(2026, 11, 27),
            Why::Planned {
                on: d(2026, 11, 27)
            }
        )
    );
    assert!(e.more.is_empty(), "the cadence is replaced: {:?}", e.more);
    assert!(!e.late);
    // Called on the day: met; the cadence resumes from that touch (11-27 + 2 months =
    // Wednesday 2027-01-27).
    let e = next(&planned(d(2026, 11, 27), d(2026, 11, 27)), d(2026, 11, 30));
    assert_eq!(
        (e.due, e.why),
        (d(2027, 1, 27), every(Grade::C, Span::Months(2)))
    );
    // A plan on Saturday 11-28 is due that Saturday's next working day, Monday 11-30; a
    // plan not kept stays due, overdue, and a snooze does not hide it.
    let mut c = planned(d(2026, 11, 28), d(2026, 11, 2));
    assert_eq!(next(&c, today).due, d(2026, 11, 30));
    c.snooze_until = Some(d(2026, 12, 15));
    assert_eq!(next(&c, d(2026, 12, 3)).due, d(2026, 11, 30));
}

#[test]
fn an_open_complaint_is_due_the_next_working_day_whatever_the_snooze() {
    // A complaint logged on Friday 11-20 (its row at offset 400), response_days = 1:
    // Saturday 11-21 → Monday 11-23. The E cadence (last contact 11-02) is months away.
    let row = RowKey::new(d(2026, 11, 20), 400);
    let c = Customer {
        open_complaint: row,
        snooze_until: Some(d(2026, 12, 31)),
        ..contacted(Grade::E, d(2026, 11, 2))
    };
    let e = next(&c, d(2026, 11, 23));
    assert_eq!(
        (e.due, e.why),
        (
            d(2026, 11, 23),
            Why::Complaint {
                on: d(2026, 11, 20),
                row
            }
        )
    );
    assert!(e.is_urgent());
    // Late once the gap (1 day) has passed twice over: after Tuesday 11-24.
    assert!(!next(&c, d(2026, 11, 24)).late);
    assert!(next(&c, d(2026, 11, 25)).late);
}

#[test]
fn every_follow_up_due_is_listed_earliest_first() {
    // C, last contact 09-01 → 11-01 (Sunday) → Monday 11-02; purchase expected 11-27 →
    // due 11-20; birthday Wednesday 11-25; a complaint of Thursday 11-19 → Friday 11-20.
    // Seen on 11-23 with a week ahead: all four, the complaint and the purchase (both
    // 11-20) in the order the engine weighs them, the complaint first.
    let row = RowKey::new(d(2026, 11, 19), 7);
    let c = Customer {
        expected_purchase: Some(d(2026, 11, 27)),
        birthday: Some(MonthDay { month: 11, day: 25 }),
        open_complaint: row,
        ..contacted(Grade::C, d(2026, 9, 1))
    };
    let e = entry_until(&c, d(2026, 11, 23), d(2026, 11, 30)).unwrap();
    let listed: Vec<(NaiveDate, Why)> = e.reasons().map(|(d, w)| (d, *w)).collect();
    assert_eq!(
        listed,
        [
            (d(2026, 11, 2), every(Grade::C, Span::Months(2))),
            (
                d(2026, 11, 20),
                Why::Complaint {
                    on: d(2026, 11, 19),
                    row
                }
            ),
            (
                d(2026, 11, 20),
                Why::Purchase {
                    expected: d(2026, 11, 27)
                }
            ),
            (
                d(2026, 11, 25),
                Why::Birthday {
                    on: d(2026, 11, 25)
                }
            ),
        ]
    );
    // Only today's: the birthday is not yet due.
    let e = entry_until(&c, d(2026, 11, 23), d(2026, 11, 23)).unwrap();
    assert_eq!(e.reasons().count(), 3);
}

/// The shipped festivals (holidays.toml) and who is greeted (cadence.toml: the red list,
/// grades A and B), seen from `today`.
fn festival_entry(c: &Customer, today: NaiveDate, until: NaiveDate) -> Option<DueEntry> {
    let cal = Calendar::new(&RULES, &WEEKEND, today);
    let env = Env {
        today,
        extra_columns: &[],
    };
    entry(c, 0, &RULES, cal, &env, until)
}

fn festival_named(id: &str) -> usize {
    RULES
        .holidays
        .festivals
        .iter()
        .position(|f| f.id == id)
        .unwrap()
}

#[test]
fn festivals_are_greeted_on_the_last_working_day_before_a_day_off() {
    let greeting = |today: NaiveDate| {
        let cal = Calendar::new(&RULES, &WEEKEND, today);
        cal.festival
            .map(|(i, on, greet)| (RULES.holidays.festivals[i].id.as_str(), on, greet))
    };
    // Mid-Autumn, Friday 2026-09-25, a day off (09-25..27): greeted Thursday 09-24.
    assert_eq!(
        greeting(d(2026, 9, 20)),
        Some(("mid_autumn", d(2026, 9, 25), d(2026, 9, 24)))
    );
    // Seen on 09-25 that greeting is past: National Day, 10-01 (off) → Wednesday 09-30.
    assert_eq!(
        greeting(d(2026, 9, 25)),
        Some(("national_day", d(2026, 10, 1), d(2026, 9, 30)))
    );
    // Spring Festival, Tuesday 2026-02-17, inside the break 02-15..23: the day before,
    // 02-16, is off, so is Sunday 02-15; Saturday 02-14 is a make-up working day.
    assert_eq!(
        greeting(d(2026, 2, 10)),
        Some(("spring_festival", d(2026, 2, 17), d(2026, 2, 14)))
    );
    // New Year's Day 2027, a Friday in a year the calendar does not list: a day off all the
    // same (day_off = true), so greeted on Thursday 2026-12-31.
    assert_eq!(
        greeting(d(2026, 12, 3)),
        Some(("new_year", d(2027, 1, 1), d(2026, 12, 31)))
    );
    // The Lantern Festival 2027-02-20 is no day off but a Saturday: Friday 02-19. Seen
    // after the Spring Festival greeting (Friday 2027-02-05, the day before Saturday 02-06).
    assert_eq!(
        greeting(d(2027, 2, 8)),
        Some(("lantern", d(2027, 2, 20), d(2027, 2, 19)))
    );
}

#[test]
fn festival_greetings_go_to_the_red_list_and_grades_a_and_b() {
    // Seen on 12-28 with a week ahead: the New Year greeting, Thursday 12-31.
    let (today, until) = (d(2026, 12, 28), d(2027, 1, 4));
    let greeting = Why::Festival {
        festival: festival_named("new_year"),
        on: d(2027, 1, 1),
    };
    // An A customer whose order is far off, a red-listed D customer: greeted.
    let a = Customer {
        last_order: Some(d(2026, 12, 20)),
        ..contacted(Grade::A, d(2026, 12, 20))
    };
    let red = Customer {
        list: ListKind::Red,
        ..contacted(Grade::D, d(2026, 12, 1))
    };
    for c in [&a, &red] {
        let e = festival_entry(c, today, until).unwrap();
        assert_eq!((e.due, e.why), (d(2026, 12, 31), greeting));
    }
    // A D customer on the normal list: nothing due this week.
    assert!(festival_entry(&contacted(Grade::D, d(2026, 12, 1)), today, until).is_none());
    // A touch on the greeting day meets it.
    assert!(
        festival_entry(
            &contacted(Grade::B, d(2026, 12, 31)),
            d(2026, 12, 31),
            until
        )
        .is_none_or(|e| e.reasons().all(|(_, w)| !matches!(w, Why::Festival { .. })))
    );
}

// ------------------------------------------------------------------ the effective grade

#[test]
fn the_grade_comes_from_the_book_else_from_the_grade_scheme_and_sets_the_entry() {
    let today = d(2026, 11, 23);
    let env = Env {
        today,
        extra_columns: &[],
    };
    let grade = |c: Customer| grade_of(&c, &RULES, &env);
    let none = || customer(None);
    // The book's grade wins over anything the scheme would say.
    assert_eq!(
        grade(Customer {
            last_order: Some(d(2026, 11, 20)),
            ..customer(Some(Grade::D))
        }),
        Grade::D
    );
    // Ordered 2026-10-01: 53 days ago, within 365 → A ("orders").
    assert_eq!(
        grade(Customer {
            last_order: Some(d(2026, 10, 1)),
            ..none()
        }),
        Grade::A
    );
    // Ordered 2025-06-01: 540 days ago (365 + 175), over 365 but within 2 × 300 → A.
    let slow = Customer {
        last_order: Some(d(2025, 6, 1)),
        order_interval_days: Some(300),
        ..none()
    };
    assert_eq!(grade(slow.clone()), Grade::A);
    // Every 250 days instead: 2 × 250 = 500 < 540, no longer A; a past customer with no
    // stage, list or contact falls to the default, E.
    assert_eq!(
        grade(Customer {
            order_interval_days: Some(250),
            ..slow
        }),
        Grade::E
    );
    // A sample requested 22 days ago (11-01), no order since → B.
    assert_eq!(
        grade(Customer {
            sample_requested: Some(d(2026, 11, 1)),
            ..none()
        }),
        Grade::B
    );
    // The same with an order after it → A (orders come first).
    assert_eq!(
        grade(Customer {
            sample_requested: Some(d(2026, 11, 1)),
            last_order: Some(d(2026, 11, 5)),
            ..none()
        }),
        Grade::A
    );
    // The black list before everything, even a recent order → E.
    assert_eq!(
        grade(Customer {
            list: ListKind::Black,
            last_order: Some(d(2026, 11, 5)),
            ..none()
        }),
        Grade::E
    );
    // At the trial stage → C (important potential).
    assert_eq!(
        grade(Customer {
            stage: Some(Stage::Trial),
            ..none()
        }),
        Grade::C
    );
    // Contacted once → D; tight-fisted (type stingy) and contacted → E, which comes first.
    let touched = Customer {
        last_contact: Some(d(2026, 1, 5)),
        ..none()
    };
    assert_eq!(grade(touched.clone()), Grade::D);
    assert_eq!(
        grade(Customer {
            kind: "stingy".into(),
            ..touched
        }),
        Grade::E
    );
    // Nothing known → the default, E.
    assert_eq!(grade(none()), Grade::E);

    // An entry for a customer without a grade in the book: sample requested 2026-11-16,
    // no touch, so the scheme says B; step 1 is 11-17 with a 1-day gap, so late past 11-18.
    let c = Customer {
        sample_requested: Some(d(2026, 11, 16)),
        ..customer(None)
    };
    let e = next(&c, d(2026, 11, 23));
    assert_eq!(e.grade, Grade::B);
    assert_eq!(e.due, d(2026, 11, 17));
    assert_eq!(e.why, sample(Field::SampleRequested, 1, 7));
    assert!(e.late);
}

// ------------------------------------------------------------------ new customers, intent

/// A customer of `grade` whose first order was on `first`.
fn new_customer(grade: Grade, first: NaiveDate) -> Customer {
    Customer {
        first_order: Some(first),
        last_order: Some(first),
        ..customer(Some(grade))
    }
}

#[test]
fn a_new_a_customer_is_followed_at_half_the_gaps() {
    // First (and last) order 2026-10-01, seen 2026-10-02: 1 day ≤ 180, new. One order: the
    // default interval, 30 days: expected order 10-31; lead round(30 × 0.25 = 7.5) = 8.
    // An old customer is due 8 days before, on day 22 (10-23). A new one after
    // round(22 × 0.5) = 11 days: 10-12, a Monday.
    let c = new_customer(Grade::A, d(2026, 10, 1));
    let e = next(&c, d(2026, 10, 2));
    assert_eq!(e.due, d(2026, 10, 12));
    let order = |new| Why::Order {
        expected: d(2026, 10, 31),
        lapsing: false,
        new,
    };
    assert_eq!(e.why, order(true));
    // Met on 10-12: then every round(7 × 0.5 = 3.5) = 4 days: 10-16, a Friday.
    let touched = Customer {
        last_contact: Some(d(2026, 10, 12)),
        ..c.clone()
    };
    assert_eq!(next(&touched, d(2026, 10, 13)).due, d(2026, 10, 16));
    // The same customer seen 181 days after the first order is old: 181 > 180. Its last
    // order 2027-03-01 (a Monday), expected 03-31, first follow-up 8 days before: 03-23.
    let old = Customer {
        last_order: Some(d(2027, 3, 1)),
        ..c
    };
    let e = next(&old, d(2027, 3, 31));
    assert_eq!(e.due, d(2027, 3, 23));
    assert_eq!(
        e.why,
        Why::Order {
            expected: d(2027, 3, 31),
            lapsing: false,
            new: false,
        }
    );
}

#[test]
fn a_new_b_customers_sample_steps_are_halved() {
    // Sample requested 2026-11-02; gaps 1-1-2-3-7-7-15 halved and rounded: 1-1-1-2-4-4-8,
    // so the steps fall on 11-03, 11-04, 11-05, 11-07, … A touch on 11-05 meets step 3; step
    // 4 (11-07) is a Saturday: due Monday 11-09, at a gap of 2.
    let c = Customer {
        sample_requested: Some(d(2026, 11, 2)),
        last_contact: Some(d(2026, 11, 5)),
        ..new_customer(Grade::B, d(2026, 10, 1))
    };
    let e = next(&c, d(2026, 11, 6));
    assert_eq!(e.due, d(2026, 11, 9));
    assert_eq!(
        e.why,
        Why::Sample {
            anchor: Field::SampleRequested,
            step: 4,
            of: 7,
            new: true,
        }
    );
    // An old customer: steps on 11-03, 11-04, 11-06: the touch on 11-05 leaves step 3, 11-06.
    let old = Customer {
        first_order: None,
        last_order: None,
        ..c
    };
    assert_eq!(next(&old, d(2026, 11, 6)).due, d(2026, 11, 6));
}

#[test]
fn a_new_b_customer_past_its_sequence_gets_half_of_cs_days() {
    // Every step of the request of 2025-12-01 is met by the touch of 2026-01-31; then C's
    // 2 months: 01-31 → 03-31 is 59 days; round(59 × 0.5 = 29.5) = 30: 2026-03-02, Monday.
    // First order 2026-01-15, seen 2026-02-01: new.
    let c = Customer {
        sample_requested: Some(d(2025, 12, 1)),
        last_contact: Some(d(2026, 1, 31)),
        ..new_customer(Grade::B, d(2026, 1, 15))
    };
    let e = next(&c, d(2026, 2, 1));
    assert_eq!(e.due, d(2026, 3, 2));
    assert_eq!(
        e.why,
        Why::Every {
            grade: Grade::C,
            span: Span::Months(2),
            new: true,
        }
    );
    // A grade the rule does not name is not shortened: C itself, the full 2 months.
    let c = Customer {
        last_contact: Some(d(2026, 1, 31)),
        ..new_customer(Grade::C, d(2026, 1, 15))
    };
    assert_eq!(next(&c, d(2026, 2, 1)).due, d(2026, 3, 31));
}

#[test]
fn purchase_intent_has_a_follow_up_of_its_own() {
    use crate::model::Intent;
    // D, last contact 2026-11-02 (Monday): D's 3 months fall on 2027-02-02 (Tuesday); an
    // interested customer is due 3 days on, 11-05 (Thursday), listed first.
    let c = Customer {
        intent: Some(Intent::Interested),
        ..contacted(Grade::D, d(2026, 11, 2))
    };
    let e = next(&c, d(2026, 11, 3));
    assert_eq!(e.due, d(2026, 11, 5));
    assert_eq!(
        e.why,
        Why::Intent {
            intent: Intent::Interested,
            span: Span::Days(3),
        }
    );
    assert_eq!(e.why.code(), "intent");
    assert_eq!(e.more, [(d(2027, 2, 2), every(Grade::D, Span::Months(3)))]);
    // Not now: a month, 12-02 (Wednesday).
    let not_now = Customer {
        intent: Some(Intent::NotNow),
        ..c.clone()
    };
    assert_eq!(next(&not_now, d(2026, 11, 3)).due, d(2026, 12, 2));
    // Will not buy: none of its own; D's cadence alone.
    let lost = Customer {
        intent: Some(Intent::WillNotBuy),
        ..c.clone()
    };
    let e = next(&lost, d(2026, 11, 3));
    assert_eq!((e.due, e.more.len()), (d(2027, 2, 2), 0));
    // A date agreed (2026-11-20, a Friday) replaces the intent's follow-up too.
    let planned = Customer {
        next_contact: Some(d(2026, 11, 20)),
        ..c
    };
    let e = next(&planned, d(2026, 11, 3));
    assert_eq!(e.due, d(2026, 11, 20));
    assert!(e.more.is_empty());
}
