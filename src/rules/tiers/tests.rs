//! Unit tests of the parent module, with hand-worked expectations.

use chrono::NaiveDate;

use super::*;
use crate::model::{Customer, Flag};
use crate::rules::expr::Env;
use crate::rules::test_files::{embedded, file, vocab};

fn load_text(text: &str) -> Result<Vec<TierScheme>, Vec<Diagnostic>> {
    load(&file("tiers", text), &vocab())
}

fn problems(text: &str) -> Vec<String> {
    load_text(text)
        .expect_err("the file has problems")
        .iter()
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect()
}

/// (id, limit) of each tier.
fn limits(s: &TierScheme) -> Vec<(&str, f64)> {
    s.tiers.iter().map(|t| (t.id.as_str(), t.limit)).collect()
}

fn ids(s: &TierScheme) -> Vec<&str> {
    s.tiers.iter().map(|t| t.id.as_str()).collect()
}

mod systems;

#[test]
fn the_shipped_schemes_have_the_documented_tiers() {
    let schemes = load_text(embedded("tiers")).unwrap();
    // By name, as a sorted map lists them.
    let names: Vec<&str> = schemes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "abc",
            "abc_profit",
            "grade",
            "key",
            "pyramid",
            "relationship",
            "repeat",
            "rfm",
            "service_need",
            "stars",
            "tenure",
            "value3"
        ]
    );
    let get = |name: &str| schemes.iter().find(|s| s.name == name).unwrap();

    let abc = get("abc");
    assert!(matches!(abc.kind, SchemeKind::Pareto { .. }));
    assert_eq!(
        (abc.en.as_str(), abc.zh.as_str()),
        ("ABC (Pareto)", "ABC分类")
    );
    // Pareto 80/20: A up to 80 % of the cumulative share, B to 95 %, C the rest.
    assert_eq!(limits(abc), [("A", 80.0), ("B", 95.0), ("C", 100.0)]);
    assert_eq!(abc.tiers[0].en, "A: the vital few");

    // The pyramid: key top 1 %, secondary the next 19 % (top 20 %), then 50 %, 100 %.
    let pyramid = get("pyramid");
    assert!(matches!(pyramid.kind, SchemeKind::Rank { .. }));
    assert_eq!(
        limits(pyramid),
        [
            ("key", 1.0),
            ("secondary", 20.0),
            ("ordinary", 50.0),
            ("small", 100.0)
        ]
    );

    // The A–E grade: six ordered rules, default E (the fifth tier).
    let grade = get("grade");
    assert_eq!(ids(grade), ["A", "B", "C", "D", "E"]);
    let SchemeKind::Rules {
        rules,
        default,
        target: None,
    } = &grade.kind
    else {
        panic!("grade is a rules scheme")
    };
    assert_eq!(*default, 4);
    let rules: Vec<(usize, &str)> = rules.iter().map(|r| (r.tier, r.label.as_str())).collect();
    assert_eq!(
        rules,
        [
            (4, "black list"),
            (0, "orders"),
            (1, "open sample"),
            (2, "important potential"),
            (4, "tight-fisted"),
            (3, "ordinary potential"),
        ]
    );

    // The key-customer score: ten criteria whose weights sum to 100.
    let key = get("key");
    let SchemeKind::Score { criteria } = &key.kind else {
        panic!("key is a score scheme")
    };
    let weights: Vec<(&str, f64)> = criteria.iter().map(|c| (c.id.as_str(), c.weight)).collect();
    assert_eq!(
        weights,
        [
            ("margin", 15.0),
            ("continuity", 15.0),
            ("payment", 10.0),
            ("fit", 10.0),
            ("growth", 10.0),
            ("loyalty", 10.0),
            ("culture", 5.0),
            ("strength", 10.0),
            ("influence", 5.0),
            ("long_term", 10.0),
        ]
    );
    // 15 + 15 + 10 × 6 + 5 + 5 = 100.
    assert_eq!(criteria.iter().map(|c| c.weight).sum::<f64>(), 100.0);
    assert_eq!(
        limits(key),
        [("key", 75.0), ("potential_key", 55.0), ("regular", 0.0)]
    );

    // Service tiers: loyalty 34, spending 33, credit 33 (= 100); high ≥ 70, mid ≥ 40.
    let value3 = get("value3");
    let SchemeKind::Score { criteria } = &value3.kind else {
        panic!("value3 is a score scheme")
    };
    let weights: Vec<f64> = criteria.iter().map(|c| c.weight).collect();
    assert_eq!(weights, [34.0, 33.0, 33.0]);
    assert_eq!(
        limits(value3),
        [("high", 70.0), ("mid", 40.0), ("general", 0.0)]
    );

    // RFM: eleven segments, each its own tier, champions first and the catch-all last; then
    // the prospects, who never ordered.
    let rfm = get("rfm");
    let SchemeKind::Rfm { segments, .. } = &rfm.kind else {
        panic!("rfm is an rfm scheme")
    };
    assert_eq!(segments.len(), 11);
    assert_eq!(
        ids(rfm),
        [
            "champions",
            "loyal",
            "cant_lose_them",
            "at_risk",
            "new",
            "need_attention",
            "potential_loyalist",
            "promising",
            "about_to_sleep",
            "lost",
            "hibernating",
            "prospect"
        ]
    );
    assert_eq!(
        segments[0],
        Segment {
            tier: 0,
            r: (4, 5),
            f: (4, 5),
            m: (4, 5)
        }
    );
    assert_eq!(
        segments[10],
        Segment {
            tier: 10,
            r: (1, 5),
            f: (1, 5),
            m: (1, 5)
        }
    );
    assert_eq!(rfm.tiers[0].zh, "重要价值客户");

    // Star levels by points, descending.
    let stars = get("stars");
    assert!(matches!(stars.kind, SchemeKind::Thresholds { .. }));
    assert_eq!(
        limits(stars),
        [
            ("7-star", 80000.0),
            ("6-star", 10000.0),
            ("5-star", 2000.0),
            ("4-star", 500.0),
            ("3-star", 50.0),
            ("quasi-star", 0.0)
        ]
    );
    assert_eq!(stars.tier_index("5-star"), Some(2));
    assert_eq!(stars.tier_index("8-star"), None);
}

#[test]
fn a_hand_written_rules_scheme_picks_the_first_rule_that_holds() {
    let text = r#"
[scheme.size]
kind = "thresholds"
metric = "has(points) ? points : 0"
levels = [{ id = "big", min = 100, en = "Big", zh = "大" }, { id = "small", min = 0 }]

[scheme.deal]
kind = "rules"
en = "Deal"
rules = [
  { tier = "hot", when = "contract_signed", label = "signed" },
  { tier = "warm", when = "price_agreed" },
]
default = "cold"
tiers = [{ id = "hot" }, { id = "warm" }, { id = "cold", zh = "冷" }]
"#;
    let schemes = load_text(text).unwrap();
    let (deal, size) = (&schemes[0], &schemes[1]);
    // Names and labels default to the id; a scheme's to its name.
    assert_eq!(
        (deal.name.as_str(), deal.en.as_str(), deal.zh.as_str()),
        ("deal", "Deal", "deal")
    );
    assert_eq!(
        deal.tiers[2],
        Tier {
            id: "cold".into(),
            en: "cold".into(),
            zh: "冷".into(),
            limit: 0.0
        }
    );
    assert_eq!(
        size.tiers,
        [
            Tier {
                id: "big".into(),
                en: "Big".into(),
                zh: "大".into(),
                limit: 100.0
            },
            Tier {
                id: "small".into(),
                en: "small".into(),
                zh: "small".into(),
                limit: 0.0
            },
        ]
    );
    let SchemeKind::Rules {
        rules,
        default,
        target: None,
    } = &deal.kind
    else {
        panic!("deal is a rules scheme")
    };
    // An unlabelled rule is labelled with its condition.
    let labels: Vec<&str> = rules.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["signed", "price_agreed"]);
    assert_eq!(*default, 2);
    let env = Env {
        today: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        extra_columns: &[],
    };
    let mut c = Customer::default();
    // Nothing set → the default, cold (2).
    assert_eq!(deal.rule_tier(&c, &env), Some(2));
    // Price agreed → warm (1).
    c.set_flag(Flag::PriceAgreed, true);
    assert_eq!(deal.rule_tier(&c, &env), Some(1));
    // Signed as well → hot (0): the first rule that holds wins.
    c.set_flag(Flag::ContractSigned, true);
    assert_eq!(deal.rule_tier(&c, &env), Some(0));
    // Only rules schemes have rule tiers.
    assert_eq!(size.rule_tier(&c, &env), None);
}

#[test]
fn each_kind_of_problem_is_reported_at_its_place() {
    // One scheme per line, from line 2 under `[scheme]`; the schemes are checked by name,
    // a to k, which is also their line order. Columns are worked from the characters before
    // the marked token.
    let lines = [
        // Line 2: "a = { kind = " is 13 characters → column 14.
        r#"a = { kind = "ladder" }"#,
        // Line 3: no metric; the scheme's inline table `{` is column 5.
        r#"b = { kind = "pareto", classes = [{ id = "A", upto = 80 }] }"#,
        // Line 4: "c = { bands = [{ id = \"x\", top = 50 }, { id = " is 46 characters →
        // column 47, the id of the band whose limit goes down.
        r#"c = { bands = [{ id = "x", top = 50 }, { id = "y", top = 20 }], kind = "rank", metric = "revenue" }"#,
        // Line 5: "d = { levels = [{ id = " is 23 characters → column 24.
        r#"d = { levels = [{ id = "x" }], kind = "thresholds", metric = "points" }"#,
        // Line 6: "e = { metric = " is 15 characters → column 16.
        r#"e = { metric = "name", kind = "thresholds", levels = [{ id = "x", min = 1 }] }"#,
        // Line 7: "f = { rules = [{ tier = " is 24 characters → column 25.
        r#"f = { rules = [{ tier = "Z", when = "true" }], kind = "rules", default = "x", tiers = [{ id = "x" }] }"#,
        // Line 8: "g = { recency = " is 16 characters → column 17.
        r#"g = { recency = "order_count", kind = "rfm", frequency = "order_count", money = "order_total", segments = [] }"#,
        // Line 9: "h = { segments = [{ id = " is 25 characters → column 26.
        r#"h = { segments = [{ id = "s", r = [0, 5], f = [1, 5], m = [1, 5] }], kind = "rfm", recency = "last_order", frequency = "order_count", money = "order_total" }"#,
        // Line 10: "i = { default = " is 16 characters → column 17.
        r#"i = { default = "y", kind = "rules", tiers = [{ id = "x" }], rules = [] }"#,
        // Line 11: a score scheme without criteria, at its table (column 5).
        r#"j = { kind = "score", bands = [{ id = "x", min = 0 }] }"#,
        // Line 12: "k = { levels = [{ id = \"x\", min = 0 }, { id = " is 46 characters → column
        // 47: threshold limits must go down.
        r#"k = { levels = [{ id = "x", min = 0 }, { id = "y", min = 10 }], kind = "thresholds", metric = "points" }"#,
    ];
    let text = format!("[scheme]\n{}\n", lines.join("\n"));
    assert_eq!(
        problems(&text),
        [
            "rules/tiers.toml:2:14: unknown scheme kind \"ladder\" (expected pareto, rank, rules, score, rfm or thresholds)",
            "rules/tiers.toml:3:5: scheme \"b\" of kind \"pareto\" needs `metric`",
            "rules/tiers.toml:4:47: the limits of `bands` must be ascending",
            "rules/tiers.toml:5:24: this entry of `levels` needs its limit",
            "rules/tiers.toml:6:16: expected a number here, this is a string",
            "rules/tiers.toml:7:25: \"Z\" is not one of the scheme's tiers",
            "rules/tiers.toml:8:17: `recency` must be a date, this is a int",
            "rules/tiers.toml:9:26: quintile ranges are [low, high] within 1–5",
            "rules/tiers.toml:10:17: \"y\" is not one of the scheme's tiers",
            "rules/tiers.toml:11:5: scheme \"j\" of kind \"score\" needs `criteria`",
            "rules/tiers.toml:12:47: the limits of `levels` must be descending",
        ]
    );
}

#[test]
fn every_problem_of_a_rules_scheme_is_reported() {
    // Line 3: "  { tier = " is 11 characters → the unknown tier in column 12.
    // Line 4: "  { tier = \"x\", when = " is 23 characters → the condition in column 24.
    // Line 6: "default = " is 10 characters → column 11.
    let text = r#"[scheme.r]
rules = [
  { tier = "Z", when = "true" },
  { tier = "x", when = "order_count + 1" },
]
default = "nope"
kind = "rules"
tiers = [{ id = "x" }]
"#;
    assert_eq!(
        problems(text),
        [
            "rules/tiers.toml:3:12: \"Z\" is not one of the scheme's tiers",
            "rules/tiers.toml:4:24: a condition must be true or false, this is a int",
            "rules/tiers.toml:6:11: \"nope\" is not one of the scheme's tiers",
        ]
    );
    // An empty file has no `scheme` table.
    assert_eq!(
        problems(""),
        ["rules/tiers.toml:1:1: missing field `scheme`"]
    );
}

#[test]
fn a_problem_in_a_multi_line_condition_is_placed_on_its_own_line() {
    // TOML drops the newline right after the opening `"""`, so the condition is
    // `has(last_order) && bogs`, written on line 4: `bogs` is 19 characters in → column 20.
    let text = "[scheme.r]\nkind = \"rules\"\nrules = [{ tier = \"x\", when = \"\"\"\nhas(last_order) && bogs\"\"\" }]\ndefault = \"x\"\ntiers = [{ id = \"x\" }]\n";
    assert_eq!(
        problems(text),
        ["rules/tiers.toml:4:20: unknown field `bogs`"]
    );
    // A line-ending backslash joins the lines: `has(last_order) && bogs` again, with `bogs`
    // on line 4 after four spaces → column 5.
    let text = "[scheme.r]\nkind = \"rules\"\nrules = [{ tier = \"x\", when = \"\"\"has(last_order) && \\\n    bogs\"\"\" }]\ndefault = \"x\"\ntiers = [{ id = \"x\" }]\n";
    assert_eq!(
        problems(text),
        ["rules/tiers.toml:4:5: unknown field `bogs`"]
    );
}
