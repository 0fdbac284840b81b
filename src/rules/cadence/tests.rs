//! Unit tests of the parent module, with hand-worked expectations.

use std::collections::BTreeMap;

use super::*;
use crate::model::value::Span;
use crate::model::{Grade, Intent};
use crate::rules::EMBEDDED;
use crate::rules::test_files;

/// Each problem as `path:line:col: message`.
fn problems(text: &str) -> Vec<String> {
    Cadence::load(&file(text), &crate::rules::TraitVocab::default())
        .expect_err("the file has problems")
        .iter()
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect()
}

/// Everything after the `[grade]` table, the same in every text below.
const TAIL: &str =
    "[late]\nfactor = 2\n[purchase_intent]\nlead_days = 7\n[greetings]\nbirthday_lead_days = 0\n";

/// A cadence file whose grades are the given lines, starting on line 2 under `[grade]`.
fn with_grades(lines: &[&str]) -> String {
    format!("[grade]\n{}\n{TAIL}", lines.join("\n"))
}

const A: &str = r#"A = { rhythm = "order", default_interval_days = 30, lead_ratio = 0.25, lead_min_days = 3, lead_max_days = 21, repeat_days = 7, lapse_factor = 2 }"#;
const B: &str =
    r#"B = { sequences = [{ anchor = "sample_requested", gaps = [1, 2] }], then = "C" }"#;
const C: &str = r#"C = { every = "2m" }"#;
const D: &str = r#"D = { every = "3m" }"#;
const E: &str = r#"E = { every = "6m" }"#;

#[test]
fn the_shipped_cadence_has_the_documented_figures() {
    let text = EMBEDDED.iter().find(|(n, _)| *n == "cadence").unwrap().1;
    let cadence = Cadence::load(&file(text), &crate::rules::TraitVocab::default()).unwrap();
    let want = Cadence {
        order_cluster_days: 7,
        grades: BTreeMap::from([
            (
                Grade::A,
                GradeCadence::Order(OrderRhythm {
                    default_interval_days: 30,
                    lead_ratio: 0.25,
                    lead_min_days: 3,
                    lead_max_days: 21,
                    repeat_days: 7,
                    lapse_factor: 2.0,
                }),
            ),
            (
                Grade::B,
                GradeCadence::Sequence {
                    // Received first: it is listed first in the file.
                    sequences: vec![
                        Sequence {
                            anchor: Field::SampleReceived,
                            gaps: vec![3, 7, 3, 7],
                        },
                        Sequence {
                            anchor: Field::SampleRequested,
                            gaps: vec![1, 1, 2, 3, 7, 7, 15],
                        },
                    ],
                    then: Grade::C,
                },
            ),
            (Grade::C, GradeCadence::Every(Span::Months(2))),
            (Grade::D, GradeCadence::Every(Span::Months(3))),
            (Grade::E, GradeCadence::Every(Span::Months(6))),
        ]),
        late_factor: 2.0,
        intent_lead_days: 7,
        birthday_lead_days: 0,
        holiday_lead_days: 0,
        // Compared by its text below.
        holidays_for: cadence.holidays_for.clone(),
        complaint_response_days: 1,
        new_customers: Some(NewCustomers {
            // Compared by its text below.
            when: cadence.new_customers.as_ref().unwrap().when.clone(),
            grades: vec![Grade::A, Grade::B],
            factor: 0.5,
        }),
        intent_every: [
            Some(Span::Days(3)),
            Some(Span::Days(7)),
            Some(Span::Months(1)),
            None,
        ],
    };
    assert_eq!(cadence, want);
    assert_eq!(
        cadence.holidays_for.map(|c| c.text).as_deref(),
        Some(r#"list == "red" || grade == "A" || grade == "B""#)
    );
    assert_eq!(
        cadence.new_customers.map(|n| n.when.text).as_deref(),
        Some("has(first_order) && days_since(first_order) <= 180")
    );
}

/// A cadence file written before `[new_customers]` and `[purchase_intent.every]` existed
/// gets the shipped rules: A and B new customers at half the gap, and the intents' spans.
#[test]
fn a_file_without_the_new_tables_gets_the_shipped_ones() {
    let cadence = Cadence::load(
        &file(&with_grades(&[A, B, C, D, E])),
        &crate::rules::TraitVocab::default(),
    )
    .unwrap();
    let new = cadence.new_customers.as_ref().unwrap();
    assert_eq!(new.grades, [Grade::A, Grade::B]);
    assert_eq!(new.factor, 0.5);
    assert_eq!(
        new.when.text,
        "has(first_order) && days_since(first_order) <= 180"
    );
    assert_eq!(cadence.intent_span(Intent::Interested), Some(Span::Days(3)));
    assert_eq!(cadence.intent_span(Intent::WillNotBuy), None);
}

/// Scaling a gap: × factor, rounded half away from zero, at least a day.
#[test]
fn a_new_customers_gap_is_scaled_and_rounded() {
    let new = |factor| NewCustomers {
        when: file("")
            .condition(
                &toml::Spanned::new(0..0, "true".to_string()),
                &crate::rules::TraitVocab::default(),
            )
            .unwrap(),
        grades: vec![Grade::A],
        factor,
    };
    // 7 × 0.5 = 3.5 → 4; 15 × 0.5 = 7.5 → 8; 1 × 0.5 = 0.5 → 1; 59 × 0.5 = 29.5 → 30.
    let half = new(0.5);
    let got: Vec<u32> = [7, 15, 1, 2, 59].iter().map(|d| half.scale(*d)).collect();
    assert_eq!(got, [4, 8, 1, 1, 30]);
    // 10 × 0.04 = 0.4 → 0, raised to the one-day floor; 3 × 1.5 = 4.5 → 5.
    assert_eq!(new(0.04).scale(10), 1);
    assert_eq!(new(1.5).scale(3), 5);
}

/// `[new_customers]` and `[purchase_intent.every]` as a team writes them, and their
/// mistakes at the line and column of the value.
#[test]
fn the_new_tables_read_and_their_mistakes_are_placed() {
    let text = format!(
        "{}[purchase_intent.every]\ninterested = \"2d\"\nconsidering = \"\"\n\
         [new_customers]\ngrades = [\"C\"]\nfactor = 0.25\nwhen = \"true\"\n",
        with_grades(&[A, B, C, D, E])
    );
    let cadence = Cadence::load(&file(&text), &crate::rules::TraitVocab::default()).unwrap();
    assert_eq!(
        cadence.intent_every,
        [Some(Span::Days(2)), None, None, None]
    );
    let new = cadence.new_customers.unwrap();
    assert_eq!((new.grades, new.factor), (vec![Grade::C], 0.25));
    // No grades: no one is followed up as new.
    let none = text.replace("grades = [\"C\"]", "grades = []");
    let cadence = Cadence::load(&file(&none), &crate::rules::TraitVocab::default()).unwrap();
    assert_eq!(cadence.new_customers, None);
    // Lines: 1 [grade], 2–6 the grades, 7 [late], 8 factor, 9 [purchase_intent], 10
    // lead_days, 11 [greetings], 12 birthday_lead_days, 13 [purchase_intent.every], 14
    // interested, 15 considering, 16 [new_customers], 17 grades, 18 factor, 19 when.
    assert_eq!(
        problems(&text.replace("\"2d\"", "\"soon\"")),
        ["rules/cadence.toml:14:14: cannot read \"soon\": expected a duration like 7d, 2w or 3m"]
    );
    assert_eq!(
        problems(&text.replace("interested =", "keen =")),
        [
            "rules/cadence.toml:14:1: unknown purchase intent \"keen\" (expected one of interested, considering, not_now, will_not_buy)"
        ]
    );
    assert_eq!(
        problems(&text.replace("factor = 0.25", "factor = 0")),
        [
            "rules/cadence.toml:18:10: factor must be more than 0, found 0: a follow-up every 0 days would list the customer every day"
        ]
    );
    assert_eq!(
        problems(&text.replace("[\"C\"]", "[\"F\"]")),
        ["rules/cadence.toml:17:11: unknown grade \"F\" (expected one of A, B, C, D, E)"]
    );
}

#[test]
fn a_hand_written_cadence_loads_days_weeks_years_and_any_date_anchor() {
    let text = r#"
[grade.A]
rhythm = "order"
default_interval_days = 20
lead_ratio = 0.5
lead_min_days = 2
lead_max_days = 5
repeat_days = 0
lapse_factor = 1.5

[grade.B]
sequences = [{ anchor = "last_order", gaps = [2] }]
then = "A"

[grade.C]
every = "10d"

[grade.D]
every = "2w"

[grade.E]
every = "1y"

[late]
factor = 3

[purchase_intent]
lead_days = 14

[greetings]
birthday_lead_days = 1
"#;
    let c = Cadence::load(&file(text), &crate::rules::TraitVocab::default()).unwrap();
    assert_eq!(
        c.grades[&Grade::A],
        GradeCadence::Order(OrderRhythm {
            default_interval_days: 20,
            lead_ratio: 0.5,
            lead_min_days: 2,
            lead_max_days: 5,
            // 0 would repeat the same day forever: raised to 1.
            repeat_days: 1,
            lapse_factor: 1.5,
        })
    );
    // B may hand over to an order rhythm.
    assert_eq!(
        c.grades[&Grade::B],
        GradeCadence::Sequence {
            sequences: vec![Sequence {
                anchor: Field::LastOrder,
                gaps: vec![2],
            }],
            then: Grade::A,
        }
    );
    // 10 days; 2 weeks = 14 days; 1 year = 12 months.
    assert_eq!(c.grades[&Grade::C], GradeCadence::Every(Span::Days(10)));
    assert_eq!(c.grades[&Grade::D], GradeCadence::Every(Span::Days(14)));
    assert_eq!(c.grades[&Grade::E], GradeCadence::Every(Span::Months(12)));
    assert_eq!(
        (c.late_factor, c.intent_lead_days, c.birthday_lead_days),
        (3.0, 14, 1)
    );
    // The inline-table form of the same grades loads too.
    let c = Cadence::load(
        &file(&with_grades(&[A, B, C, D, E])),
        &crate::rules::TraitVocab::default(),
    )
    .unwrap();
    assert_eq!(c.grades.len(), 5);
}

#[test]
fn grade_keys_and_the_cadence_kind_are_checked() {
    // Line 7: a sixth grade "F", its key in column 1. No "no cadence" problem is added
    // on top of another one.
    assert_eq!(
        problems(&with_grades(&[A, B, C, D, E, r#"F = { every = "1m" }"#])),
        ["rules/cadence.toml:7:1: unknown grade \"F\" (expected one of A, B, C, D, E)"]
    );
    // Line 4: C with two kinds, then with none: the inline table `{` is column 5
    // (after "C = ").
    let both = r#"C = { every = "2m", rhythm = "order" }"#;
    let kinds = "a grade's cadence needs exactly one of `rhythm`, `sequences` or `every`";
    assert_eq!(
        problems(&with_grades(&[A, B, both, D, E])),
        [format!("rules/cadence.toml:4:5: {kinds}")]
    );
    assert_eq!(
        problems(&with_grades(&[A, B, "C = {}", D, E])),
        [format!("rules/cadence.toml:4:5: {kinds}")]
    );
    // A standard table is pointed at by its header: `[grade.C]` on line 1, column 1. The
    // file names no other grade, and each missing one is reported too (at the whole file).
    let text = format!("[grade.C]\nevery = \"2m\"\nrhythm = \"order\"\n{TAIL}");
    let mut want = vec![format!("rules/cadence.toml:1:1: {kinds}")];
    for g in ["A", "B", "D", "E"] {
        want.push(format!("rules/cadence.toml:1:1: no cadence for grade {g}"));
    }
    assert_eq!(problems(&text), want);
    // Grade E left out: the whole file (line 1, column 1).
    assert_eq!(
        problems(&with_grades(&[A, B, C, D])),
        ["rules/cadence.toml:1:1: no cadence for grade E"]
    );
}

#[test]
fn every_missing_grade_is_reported() {
    // D and E both left out: both are missing, and the module reports every problem at once.
    assert_eq!(
        problems(&with_grades(&[A, B, C])),
        [
            "rules/cadence.toml:1:1: no cadence for grade D",
            "rules/cadence.toml:1:1: no cadence for grade E",
        ]
    );
}

#[test]
fn an_order_rhythm_and_an_interval_are_checked() {
    // Line 2: "A = { rhythm = " is 15 characters, the value starts in column 16.
    assert_eq!(
        problems(&with_grades(&[r#"A = { rhythm = "weekly" }"#, B, C, D, E])),
        ["rules/cadence.toml:2:16: unknown rhythm \"weekly\" (expected \"order\")"]
    );
    // Line 2, A without lead_ratio: the first missing key is named, at the table (column 5).
    let no_ratio = r#"A = { rhythm = "order", default_interval_days = 30, lead_min_days = 3, lead_max_days = 21, repeat_days = 7, lapse_factor = 2 }"#;
    assert_eq!(
        problems(&with_grades(&[no_ratio, B, C, D, E])),
        ["rules/cadence.toml:2:5: an order rhythm needs `lead_ratio`"]
    );
    let only_rhythm = r#"A = { rhythm = "order" }"#;
    assert_eq!(
        problems(&with_grades(&[only_rhythm, B, C, D, E])),
        ["rules/cadence.toml:2:5: an order rhythm needs `default_interval_days`"]
    );
    // Line 5: "D = { every = " is 14 characters, the value starts in column 15.
    assert_eq!(
        problems(&with_grades(&[A, B, C, r#"D = { every = "3x" }"#, E])),
        ["rules/cadence.toml:5:15: cannot read \"3x\": expected a duration like 7d, 2w or 3m"]
    );
}

#[test]
fn sample_sequences_are_checked() {
    // Line 3: "B = { sequences = [{ anchor = " is 30 characters, the anchor starts in column 31.
    let birthday = r#"B = { sequences = [{ anchor = "birthday", gaps = [1] }], then = "C" }"#;
    assert_eq!(
        problems(&with_grades(&[A, birthday, C, D, E])),
        ["rules/cadence.toml:3:31: the anchor \"birthday\" is not a date field"]
    );
    let no_gaps = r#"B = { sequences = [{ anchor = "sample_requested", gaps = [] }], then = "C" }"#;
    assert_eq!(
        problems(&with_grades(&[A, no_gaps, C, D, E])),
        ["rules/cadence.toml:3:31: a sequence needs at least one gap"]
    );
    let no_then = r#"B = { sequences = [{ anchor = "sample_requested", gaps = [1] }] }"#;
    assert_eq!(
        problems(&with_grades(&[A, no_then, C, D, E])),
        ["rules/cadence.toml:3:5: a sequence needs `then`: the grade whose cadence follows it"]
    );
    // `then` first, so its value starts after "B = { then = " (13 characters): column 14.
    let then_z = r#"B = { then = "Z", sequences = [{ anchor = "sample_requested", gaps = [1] }] }"#;
    assert_eq!(
        problems(&with_grades(&[A, then_z, C, D, E])),
        ["rules/cadence.toml:3:14: unknown grade \"Z\""]
    );
    // B hands over to C, which is itself a sequence: reported at B's `then` (column 14);
    // C's own `then` (D) is fine.
    let then_c = r#"B = { then = "C", sequences = [{ anchor = "sample_requested", gaps = [1] }] }"#;
    let c_seq = r#"C = { then = "D", sequences = [{ anchor = "sample_received", gaps = [1] }] }"#;
    assert_eq!(
        problems(&with_grades(&[A, then_c, c_seq, D, E])),
        ["rules/cadence.toml:3:14: grade B cannot hand over to another sequence grade"]
    );
    // Nor to itself.
    let then_b = r#"B = { then = "B", sequences = [{ anchor = "sample_requested", gaps = [1] }] }"#;
    assert_eq!(
        problems(&with_grades(&[A, then_b, C, D, E])),
        ["rules/cadence.toml:3:14: grade B cannot hand over to another sequence grade"]
    );
}

#[test]
fn problems_in_several_grades_are_reported_together_in_grade_order() {
    // Line 4 (C, two kinds, column 5) and line 2 (A, bad rhythm, column 16): listed by
    // grade, A first.
    let bad_a = r#"A = { rhythm = "weekly" }"#;
    let bad_c = r#"C = { every = "2m", rhythm = "order" }"#;
    assert_eq!(
        problems(&with_grades(&[bad_a, B, bad_c, D, E])),
        [
            "rules/cadence.toml:2:16: unknown rhythm \"weekly\" (expected \"order\")",
            "rules/cadence.toml:4:5: a grade's cadence needs exactly one of `rhythm`, `sequences` or `every`",
        ]
    );
}

#[test]
fn schema_errors_point_at_the_key_or_value() {
    // Line 8 is `factor = 2` in the tail; replace it with a string: the value starts in
    // column 10 (after "factor = ").
    let text = with_grades(&[A, B, C, D, E]).replace("\nfactor = 2", "\nfactor = \"two\"");
    assert_eq!(
        problems(&text),
        ["rules/cadence.toml:8:10: invalid type: string \"two\", expected f64"]
    );
    // An unknown key added to [greetings] as line 13 (the tail ends on line 12), at the key.
    let text = format!("{}birthday_leaddays = 3\n", with_grades(&[A, B, C, D, E]));
    assert_eq!(
        problems(&text),
        [
            "rules/cadence.toml:13:1: unknown field `birthday_leaddays`, expected one of `birthday_lead_days`, `holiday_lead_days`, `holidays_for`"
        ]
    );
    // An empty file misses its first table; reported at the start of the file.
    assert_eq!(
        problems(""),
        ["rules/cadence.toml:1:1: missing field `grade`"]
    );
}

fn file(text: &str) -> RuleFile {
    test_files::file("cadence", text)
}
