//! Unit tests of the parent module, with hand-worked expectations.
//!
//! The default set (`rules/types.toml`, "nine"): min_score 2, min_margin 1, fallback
//! `composite`; the types in order rational 0, task 1, greedy 2, owner 3, credit_seeker 4,
//! stingy 5, difficult 6, relationship 7, composite 8. The weights used below:
//!   rational: not_swayed_by_relationship 2, compares_suppliers 2, principled 1, methodical 1
//!   task: delegated_task 2, "a single order, over 180 days ago" 1
//!   greedy: asks_personal_benefit 2, internal_politics 1, presses_price 1, demands_quality 1
//!   difficult: unprepared 1, "3 or more complaints logged" 1
//!   composite: unpredictable 2

use std::sync::LazyLock;

use chrono::NaiveDate;

use super::*;
use crate::model::Customer;
use crate::rules::expr::Env;
use crate::rules::types::TypeSet;
use crate::rules::{RuleFile, Rules};

static RULES: LazyLock<Rules> = LazyLock::new(|| Rules::load(None, None).unwrap());

const RATIONAL: usize = 0;
const TASK: usize = 1;
const GREEDY: usize = 2;
const DIFFICULT: usize = 6;
const COMPOSITE: usize = 8;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Monday 2026-11-23.
fn env() -> Env<'static> {
    Env {
        today: d(2026, 11, 23),
        extra_columns: &[],
    }
}

fn nine() -> &'static TypeSet {
    RULES.type_set(None).unwrap()
}

/// A customer with these traits (by id).
fn with(traits: &[&str]) -> Customer {
    let mut c = Customer {
        id: "K1".into(),
        ..Customer::default()
    };
    for t in traits {
        c.traits.insert(RULES.traits.index(t).expect(t));
    }
    c
}

/// (type, score, evidence labels) of every type that scored, best first.
fn scores(r: &Classification<'_>) -> Vec<(usize, f64, Vec<String>)> {
    r.scores
        .iter()
        .map(|s| {
            let labels = s.evidence.iter().map(|e| e.label.clone()).collect();
            (s.kind, s.score, labels)
        })
        .collect()
}

fn labels(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn two_weak_traits_or_one_strong_one_pick_a_type() {
    // principled 1 + methodical 1 = 2 ≥ min_score 2; nobody else scores, margin 2 ≥ 1.
    // Confidence (2 − 0) / 2 = 1.
    let r = classify(nine(), &with(&["principled", "methodical"]), &env());
    assert_eq!(r.kind, RATIONAL);
    assert_eq!(
        scores(&r),
        [(RATIONAL, 2.0, labels(&["principled", "methodical"]))]
    );
    assert_eq!(r.confidence, 1.0);
    // compares_suppliers alone weighs 2.
    let r = classify(nine(), &with(&["compares_suppliers"]), &env());
    assert_eq!(r.kind, RATIONAL);
    assert_eq!(
        scores(&r),
        [(RATIONAL, 2.0, labels(&["compares_suppliers"]))]
    );
}

#[test]
fn one_weak_trait_is_not_enough() {
    // principled alone: 1 < min_score 2 → composite. Only one type scored, so the
    // confidence is (1 − 0) / 1 = 1 even though the fallback was chosen.
    let r = classify(nine(), &with(&["principled"]), &env());
    assert_eq!(r.kind, COMPOSITE);
    assert_eq!(scores(&r), [(RATIONAL, 1.0, labels(&["principled"]))]);
    assert_eq!(r.confidence, 1.0);
}

#[test]
fn no_evidence_is_composite_with_no_confidence() {
    let r = classify(nine(), &with(&[]), &env());
    assert_eq!(r.kind, COMPOSITE);
    assert!(r.scores.is_empty());
    assert_eq!(r.confidence, 0.0);
}

#[test]
fn a_tie_falls_back_to_composite_and_lists_the_tied_types_in_set_order() {
    // Traits given greedy-first: asks_personal_benefit (greedy 2), compares_suppliers
    // (rational 2). Margin 2 − 2 = 0 < 1 → composite; confidence (2 − 2) / 2 = 0; the tie is
    // listed in the set's order, rational (0) before greedy (2).
    let r = classify(
        nine(),
        &with(&["asks_personal_benefit", "compares_suppliers"]),
        &env(),
    );
    assert_eq!(r.kind, COMPOSITE);
    assert_eq!(
        scores(&r),
        [
            (RATIONAL, 2.0, labels(&["compares_suppliers"])),
            (GREEDY, 2.0, labels(&["asks_personal_benefit"])),
        ]
    );
    assert_eq!(r.confidence, 0.0);
}

#[test]
fn a_margin_of_exactly_min_margin_is_enough() {
    // rational 2 (compares_suppliers) against greedy 1 (presses_price): margin 1 ≥ 1 →
    // rational; confidence (2 − 1) / 2 = 0.5.
    let r = classify(
        nine(),
        &with(&["compares_suppliers", "presses_price"]),
        &env(),
    );
    assert_eq!(r.kind, RATIONAL);
    assert_eq!(r.confidence, 0.5);
    // rational 2 + 1 = 3 (compares_suppliers, principled) against greedy 1 + 1 = 2
    // (presses_price, demands_quality): margin 1 → rational; confidence 1 / 3.
    let r = classify(
        nine(),
        &with(&[
            "compares_suppliers",
            "principled",
            "presses_price",
            "demands_quality",
        ]),
        &env(),
    );
    assert_eq!(r.kind, RATIONAL);
    assert_eq!(
        scores(&r),
        [
            (RATIONAL, 3.0, labels(&["compares_suppliers", "principled"])),
            (GREEDY, 2.0, labels(&["presses_price", "demands_quality"])),
        ]
    );
    assert_eq!(r.confidence, 1.0 / 3.0);
}

#[test]
fn composite_also_wins_on_its_own_signals() {
    // unpredictable weighs 2 for composite itself: chosen with evidence, confidence 1.
    let r = classify(nine(), &with(&["unpredictable"]), &env());
    assert_eq!(r.kind, COMPOSITE);
    assert_eq!(scores(&r), [(COMPOSITE, 2.0, labels(&["unpredictable"]))]);
    assert_eq!(r.confidence, 1.0);
}

#[test]
fn conditions_on_the_customers_fields_are_signals_too() {
    // One order, last on 2026-05-01: 206 days before 11-23 (31 + 30 + 31 + 31 + 30 + 31 to
    // 11-01, + 22) > 180 → task's condition (1) with delegated_task (2) = 3.
    let once = |last_order: NaiveDate, traits: &[&str]| Customer {
        order_count: 1,
        last_order: Some(last_order),
        ..with(traits)
    };
    let r = classify(nine(), &once(d(2026, 5, 1), &["delegated_task"]), &env());
    assert_eq!(r.kind, TASK);
    assert_eq!(
        scores(&r),
        [(
            TASK,
            3.0,
            labels(&["delegated_task", "a single order, over 180 days ago"])
        )]
    );
    // The condition alone weighs 1: composite.
    let r = classify(nine(), &once(d(2026, 5, 1), &[]), &env());
    assert_eq!(r.kind, COMPOSITE);
    assert_eq!(
        scores(&r),
        [(TASK, 1.0, labels(&["a single order, over 180 days ago"]))]
    );
    // Last order 2026-06-01: 175 days (30 + 31 + 31 + 30 + 31 + 22), not over 180.
    let r = classify(nine(), &once(d(2026, 6, 1), &["delegated_task"]), &env());
    assert_eq!(scores(&r), [(TASK, 2.0, labels(&["delegated_task"]))]);
    // Complaints are not evidence of a type by default (they may be about our failures):
    // three of them and unprepared weigh 1 for difficult, too weak.
    let c = Customer {
        complaint_count: 3,
        ..with(&["unprepared"])
    };
    let r = classify(nine(), &c, &env());
    assert_eq!(r.kind, COMPOSITE);
    assert_eq!(scores(&r), [(DIFFICULT, 1.0, labels(&["unprepared"]))]);
}

#[test]
fn another_set_weighs_the_same_traits_its_own_way() {
    // compares_suppliers and detail_oriented: in "nine", rational 2 + 1 = 3; in
    // "personality", analytical (its first type) 1 + 1 = 2, still ≥ min_score 2.
    let c = with(&["compares_suppliers", "detail_oriented"]);
    let r = classify(nine(), &c, &env());
    assert_eq!(
        scores(&r),
        [(
            RATIONAL,
            3.0,
            labels(&["compares_suppliers", "detail_oriented"])
        )]
    );
    let personality = RULES.type_set(Some("personality")).unwrap();
    let r = classify(personality, &c, &env());
    assert_eq!(personality.types[r.kind].id, "analytical");
    assert_eq!(r.scores.len(), 1);
    assert_eq!(r.scores[0].score, 2.0);
}

/// A small set of two types: `warm` (friend weighs 0, referral 1.5) and the fallback `other`.
fn tiny(min_score: f64, min_margin: f64) -> TypeSet {
    let text = format!(
        r#"
name = "tiny"
en = "Tiny"
zh = "小"
min_score = {min_score:?}
min_margin = {min_margin:?}
fallback = "other"

[[type]]
id = "warm"
en = "Warm"
zh = "热情"
strategy = {{ en = "Keep in touch.", zh = "保持联系。" }}
signals = [
  {{ trait = "friend", weight = 0 }},
  {{ trait = "referral", weight = 1.5 }},
]

[[type]]
id = "other"
en = "Other"
zh = "其他"
strategy = {{ en = "Observe.", zh = "观察。" }}
"#
    );
    let file = RuleFile {
        name: "types-tiny".into(),
        path: "rules/types-tiny.toml".into(),
        builtin: false,
        text,
    };
    TypeSet::load(&file, &RULES.traits).unwrap()
}

#[test]
fn a_zero_weight_signal_is_evidence_but_no_score() {
    let set = tiny(1.0, 0.5);
    // friend alone: warm scores 0, which is not a positive score → no scores, the fallback
    // `other` (index 1), confidence 0.
    let r = classify(&set, &with(&["friend"]), &env());
    assert_eq!((r.kind, r.scores.len(), r.confidence), (1, 0, 0.0));
    // friend and referral: 0 + 1.5 = 1.5 ≥ 1, margin 1.5 ≥ 0.5 → warm; both matched
    // signals are listed as evidence.
    let r = classify(&set, &with(&["friend", "referral"]), &env());
    assert_eq!(r.kind, 0);
    assert_eq!(scores(&r), [(0, 1.5, labels(&["friend", "referral"]))]);
    assert_eq!(r.confidence, 1.0);
}

#[test]
fn no_evidence_with_no_minimums_is_the_fallback() {
    // Nothing scored: best 0 ≥ 0 and margin 0 ≥ 0 "win", but there is no best type; the
    // answer must be the fallback `other` (index 1) with no confidence.
    let set = tiny(0.0, 0.0);
    let r = classify(&set, &with(&[]), &env());
    assert_eq!((r.kind, r.scores.len(), r.confidence), (1, 0, 0.0));
}
