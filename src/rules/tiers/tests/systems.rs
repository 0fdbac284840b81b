//! The schemes of the seeds' other systems as shipped (relationship levels and their
//! target, long-term or temporary, new or old, consultation or complaint, star points), on
//! customers made by hand; today is Sunday 2026-11-22.

use chrono::NaiveDate;

use super::super::*;
use crate::model::{Customer, Rating};
use crate::rules::expr::{Env, Val};
use crate::rules::test_files::{embedded, file, vocab};

fn shipped(name: &str) -> TierScheme {
    load(&file("tiers", embedded("tiers")), &vocab())
        .unwrap()
        .into_iter()
        .find(|s| s.name == name)
        .unwrap()
}

fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day)
}

fn env() -> Env<'static> {
    Env {
        today: d(2026, 11, 22).unwrap(),
        extra_columns: &[],
    }
}

/// The tier id the rules give, and the target's when the scheme has one.
fn tier_of(s: &TierScheme, c: &Customer) -> (String, Option<String>) {
    let id = |k: usize| s.tiers[k].id.clone();
    (
        id(s.rule_tier(c, &env()).unwrap()),
        s.target_tier(c, &env()).map(id),
    )
}

/// A customer who last ordered on 2026-10-01 (an order is a touch: last contact that day).
fn sold() -> Customer {
    Customer {
        id: "K".into(),
        last_order: d(2026, 10, 1),
        first_order: d(2025, 3, 1),
        last_contact: d(2026, 10, 1),
        order_count: 2,
        contact_count: 2,
        ..Customer::default()
    }
}

fn yuan(y: i64) -> Option<i64> {
    Some(y * 100)
}

#[test]
fn the_relationship_level_is_read_from_the_contact_after_the_sale() {
    let s = shipped("relationship");
    let level = |c: &Customer| tier_of(&s, c).0;
    // Never ordered: no level yet.
    assert_eq!(level(&Customer::default()), "none");
    // Ordered, and nothing after the order: basic.
    assert_eq!(level(&sold()), "basic");
    // A complaint after the sale, and no touch of ours since: only the customer got in touch.
    let complained = Customer {
        last_complaint: d(2026, 10, 20),
        ..sold()
    };
    assert_eq!(level(&complained), "reactive");
    // A sample asked for after the sale: the customer got in touch too.
    let asked = Customer {
        sample_requested: d(2026, 10, 5),
        ..sold()
    };
    assert_eq!(level(&asked), "reactive");
    // A call of ours after the sale: accountable.
    let called = Customer {
        last_contact: d(2026, 10, 15),
        contact_count: 3,
        ..sold()
    };
    assert_eq!(level(&called), "accountable");
    // 7 touches, 3 of them orders: 4 of ours, the latest 21 days ago (within 90): proactive.
    let regular = Customer {
        last_contact: d(2026, 11, 1),
        contact_count: 7,
        order_count: 3,
        ..sold()
    };
    assert_eq!(level(&regular), "proactive");
    // The same 4 touches, the latest 2026-08-24, 90 days ago: still proactive; a day
    // earlier (91 days) only accountable.
    let (lapsed, just) = (
        Customer {
            last_order: d(2026, 7, 1),
            last_contact: d(2026, 8, 23),
            ..regular.clone()
        },
        Customer {
            last_order: d(2026, 7, 1),
            last_contact: d(2026, 8, 24),
            ..regular.clone()
        },
    );
    assert_eq!(
        (level(&lapsed), level(&just)),
        ("accountable".into(), "proactive".into())
    );
    // The same, and an order yesterday after them: still in regular contact.
    let ordered_since = Customer {
        last_order: d(2026, 11, 21),
        last_contact: d(2026, 11, 21),
        ..regular.clone()
    };
    assert_eq!(level(&ordered_since), "proactive");
    // Three touches of ours are not yet regular.
    let three = Customer {
        contact_count: 6,
        ..regular.clone()
    };
    assert_eq!(level(&three), "accountable");
    // Joint work recorded: partner, whatever the touches.
    let mut partner = sold();
    partner.traits.insert(vocab().index("partner").unwrap());
    assert_eq!(level(&partner), "partner");
}

#[test]
fn the_target_level_is_kotlers_matrix_of_value_against_margin() {
    let s = shipped("relationship");
    let target = |c: &Customer| tier_of(&s, c).1.unwrap();
    let worth = |revenue: i64, profit: i64| Customer {
        revenue: yuan(revenue),
        profit: yuan(profit),
        ..sold()
    };
    // V: under ¥100,000 1, to ¥1m 2, from ¥1m 3. M: profit / revenue under 15% 1, to 30% 2,
    // from 30% 3. V + M: 6 partner, 5 proactive, 4 accountable, 3 reactive, 2 basic.
    assert_eq!(target(&worth(2_000_000, 700_000)), "partner"); // 3 + 3 (35%)
    assert_eq!(target(&worth(1_000_000, 200_000)), "proactive"); // 3 + 2 (20%)
    assert_eq!(target(&worth(500_000, 150_000)), "proactive"); // 2 + 3 (30%)
    assert_eq!(target(&worth(999_999, 150_000)), "accountable"); // 2 + 2 (15.0%)
    assert_eq!(target(&worth(999_999, 149_999)), "reactive"); // 2 + 1 (15% less a little)
    assert_eq!(target(&worth(99_999, 40_000)), "accountable"); // 1 + 3
    assert_eq!(target(&worth(100_000, 10_000)), "reactive"); // 2 + 1 (10%)
    assert_eq!(target(&worth(50_000, 5_000)), "basic"); // 1 + 1
    // A margin rating wins over profit / revenue: 4 is high (3), 3 medium (2), 2 low (1).
    let mut rated = worth(50_000, 5_000);
    rated.ratings[Rating::Margin as usize] = 4;
    assert_eq!(target(&rated), "accountable"); // 1 + 3
    rated.ratings[Rating::Margin as usize] = 3;
    assert_eq!(target(&rated), "reactive"); // 1 + 2
    // No margin known: medium. No revenue: the 12 months' orders, ¥120,000: V = 2.
    let orders = Customer {
        order_total_12m: 120_000 * 100,
        ..sold()
    };
    assert_eq!(target(&orders), "accountable"); // 2 + 2
    // Never ordered: no target either.
    assert_eq!(target(&Customer::default()), "none");
}

#[test]
fn long_term_customers_ordered_on_two_occasions_or_more() {
    let s = shipped("repeat");
    let tier = |c: &Customer| tier_of(&s, c).0;
    assert_eq!(tier(&Customer::default()), "none");
    // The log found a median gap between ordering occasions: two occasions at least.
    let rhythm = Customer {
        order_interval_days: Some(30),
        ..sold()
    };
    assert_eq!(tier(&rhythm), "long_term");
    // One occasion: orders 4 days apart (closer than 7 count as one).
    let once = Customer {
        first_order: d(2026, 9, 27),
        ..sold()
    };
    assert_eq!(tier(&once), "temporary");
    // A book's own dates, 7 days apart, with no log: two occasions.
    let book = Customer {
        first_order: d(2026, 9, 24),
        ..sold()
    };
    assert_eq!(tier(&book), "long_term");
    // A last order alone: one occasion known.
    let last = Customer {
        first_order: None,
        ..sold()
    };
    assert_eq!(tier(&last), "temporary");
}

#[test]
fn a_new_customer_first_ordered_within_180_days() {
    let s = shipped("tenure");
    let tier = |first: Option<NaiveDate>| {
        let c = Customer {
            first_order: first,
            ..sold()
        };
        tier_of(&s, &c).0
    };
    // 2026-05-26 to 2026-11-22: 5 + 30 + 31 + 31 + 30 + 31 + 22 = 180 days.
    assert_eq!(tier(d(2026, 5, 26)), "new");
    assert_eq!(tier(d(2026, 5, 25)), "old");
    // A last order with no first: ordered, since when unknown: old.
    assert_eq!(tier(None), "old");
    assert_eq!(tier_of(&s, &Customer::default()).0, "none");
}

#[test]
fn a_complaint_customer_complained_within_a_year() {
    let s = shipped("service_need");
    let tier = |last: Option<NaiveDate>| {
        let c = Customer {
            last_complaint: last,
            ..Customer::default()
        };
        tier_of(&s, &c).0
    };
    // 2025-11-22 is 365 days before 2026-11-22.
    assert_eq!(tier(d(2025, 11, 22)), "complaint");
    assert_eq!(tier(d(2025, 11, 21)), "consultation");
    assert_eq!(tier(None), "consultation");
}

#[test]
fn star_points_are_the_book_s_or_one_a_ten_yuan() {
    let s = shipped("stars");
    let metric = s.metric().unwrap();
    let points = |c: &Customer| match metric.eval(c, &env()) {
        Val::Int(n) => n as f64,
        Val::Dec(x) => x,
        other => panic!("{other:?}"),
    };
    // The book's points as they are.
    let given = Customer {
        points: Some(80_000),
        revenue: yuan(5),
        ..Customer::default()
    };
    assert_eq!(points(&given), 80_000.0);
    // ¥20,000 of revenue: 2,000 points, the 5-star threshold; no revenue: the 12 months'
    // orders, ¥5,000: 500 points, 4-star.
    let revenue = Customer {
        revenue: yuan(20_000),
        order_total_12m: 999 * 100,
        ..Customer::default()
    };
    assert_eq!(points(&revenue), 2000.0);
    let orders = Customer {
        order_total_12m: 5_000 * 100,
        ..Customer::default()
    };
    assert_eq!(points(&orders), 500.0);
    // 5-star and above are named quality customers, 4-star not.
    let names: Vec<(&str, &str)> = s
        .tiers
        .iter()
        .map(|t| (t.id.as_str(), t.zh.as_str()))
        .collect();
    assert_eq!(names[2], ("5-star", "五星级（优质客户）"));
    assert_eq!(names[3], ("4-star", "四星级"));
    assert_eq!(s.tiers[0].en, "7-star (quality customer)");
}

#[test]
fn a_target_s_problems_are_each_reported_at_their_place() {
    let scheme = |target: &str| {
        format!(
            "[scheme.r]\nkind = \"rules\"\nrules = []\ndefault = \"low\"\n\
             tiers = [{{ id = \"high\" }}, {{ id = \"low\" }}]\n{target}"
        )
    };
    let problems = |text: &str| -> Vec<String> {
        load(&file("tiers", text), &vocab())
            .expect_err("the file has problems")
            .iter()
            .map(|d| format!("{}: {}", d.location(), d.message))
            .collect()
    };
    // Levels not descending, and a level naming no tier: both, at their places.
    let text = scheme(
        "target = \"order_count\"\ntarget_levels = [{ tier = \"low\", min = 1 }, \
         { tier = \"high\", min = 2 }, { tier = \"gold\", min = 0 }]\n",
    );
    assert_eq!(
        problems(&text),
        [
            "rules/tiers.toml:7:54: the limits of `target_levels` must be descending",
            "rules/tiers.toml:7:82: \"gold\" is not one of the scheme's tiers",
        ]
    );
    // A target without its levels.
    assert_eq!(
        problems(&scheme("target = \"order_count\"\n")),
        ["rules/tiers.toml:1:1: scheme \"r\" of kind \"rules\" needs `target_levels`"]
    );
    // Levels that hold: 2 orders or more high, else low; no number at all, the last level.
    let schemes = load(
        &file(
            "tiers",
            &scheme(
                "target = \"order_count > 0 ? order_count : null\"\n\
                 target_levels = [{ tier = \"high\", min = 2 }, { tier = \"low\", min = 1 }]\n",
            ),
        ),
        &vocab(),
    )
    .unwrap();
    let s = &schemes[0];
    let target = |orders: u32| {
        let c = Customer {
            order_count: orders,
            ..Customer::default()
        };
        s.tiers[s.target_tier(&c, &env()).unwrap()].id.clone()
    };
    assert_eq!(
        (target(3), target(2), target(1), target(0)),
        ("high".into(), "high".into(), "low".into(), "low".into())
    );
}
