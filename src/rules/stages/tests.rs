//! Unit tests of the parent module, with hand-worked expectations.
//!
//! The hand-written files below put one stage per line in a `stage = [...]` array, line 1
//! being `stage = [`: the stage listed `n`-th is on line `n + 1`. A line starts with
//! "  { " (4 characters), so an `id` written first has its value in column 10
//! ("  { id = " is 9 characters) and a gate condition written first in column 22
//! ("  { gate = [{ when = " is 21 characters).

use chrono::NaiveDate;

use super::*;
use crate::error::Diagnostic;
use crate::model::{Customer, Flag, Stage};
use crate::rules::expr::Env;
use crate::rules::test_files::{self, embedded, vocab};

/// One stage line; `head` (e.g. a gate) is written before the id.
fn stage(head: &str, id: &str) -> String {
    format!(
        r#"  {{ {head}id = "{id}", en = "{id}", zh = "{id}", definition = {{ en = "d", zh = "d" }}, advice = {{ en = "a", zh = "a" }} }},"#
    )
}

/// A stages file of the given stage lines.
fn stages_text(lines: &[String]) -> String {
    format!("stage = [\n{}\n]\n", lines.join("\n"))
}

fn five(ids: &[&str]) -> String {
    stages_text(&ids.iter().map(|id| stage("", id)).collect::<Vec<_>>())
}

fn show(ds: Vec<Diagnostic>) -> Vec<String> {
    ds.iter()
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect()
}

fn problems(text: &str) -> Vec<String> {
    show(load(&file(text), &vocab()).expect_err("the file has problems"))
}

const ORDER: &str = "the stages are potential, trial, intent, quasi, formal in this order";

#[test]
fn the_shipped_stages_are_the_five_in_order_with_their_gate_labels() {
    let stages = load(&file(embedded("stages")), &vocab()).unwrap().list;
    let summary: Vec<(Stage, &str, &str, Vec<&str>)> = stages
        .iter()
        .map(|s| {
            let labels = s.gate.iter().map(|g| g.label.as_str()).collect();
            (s.stage, s.en.as_str(), s.zh.as_str(), labels)
        })
        .collect();
    assert_eq!(
        summary,
        [
            (Stage::Potential, "Potential", "潜在客户", vec![]),
            (
                Stage::Trial,
                "Trial",
                "试用客户",
                vec!["trial_started or a sample requested"]
            ),
            (
                Stage::Intent,
                "Intent",
                "意向客户",
                vec!["needs_confirmed", "price_confirmed"]
            ),
            (
                Stage::Quasi,
                "Quasi",
                "准客户",
                vec![
                    "price_agreed",
                    "scope_agreed",
                    "contract_sent or contract_returned",
                    "payment_started"
                ]
            ),
            (
                Stage::Formal,
                "Formal",
                "正式客户",
                vec!["contract_signed", "payment_started or first_order"]
            ),
        ]
    );
    assert_eq!(stages[4].stage_id(), "formal");
    assert_eq!(
        stages[1].definition.zh,
        "正在试用我们的产品或服务，或已索要样品。"
    );
}

#[test]
fn a_hand_written_gate_is_compiled_and_unlabelled_conditions_name_themselves() {
    let text = stages_text(&[
        stage("", "potential"),
        stage(
            r#"gate = [{ when = "trial_started && has(sample_received)" }], "#,
            "trial",
        ),
        stage(
            r#"gate = [{ when = "has_trait(\"压价\")", label = "presses on price" }], "#,
            "intent",
        ),
        stage("", "quasi"),
        stage("", "formal"),
    ]);
    let stages = load(&file(&text), &vocab()).unwrap().list;
    assert_eq!(stages.len(), 5);
    assert!(stages[0].gate.is_empty());
    let trial = &stages[1].gate[0];
    assert_eq!(trial.label, "trial_started && has(sample_received)");
    let intent = &stages[2].gate[0];
    assert_eq!(intent.label, "presses on price");
    // The conditions evaluate: trial needs both the flag and the date.
    let env = Env {
        today: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        extra_columns: &[],
    };
    let mut c = Customer::default();
    c.set_flag(Flag::TrialStarted, true);
    assert!(!trial.condition.holds(&c, &env));
    c.sample_received = NaiveDate::from_ymd_opt(2026, 11, 2);
    assert!(trial.condition.holds(&c, &env));
    // The trait named in Chinese (压价) is presses_price.
    assert!(!intent.condition.holds(&c, &env));
    c.traits.insert(vocab().index("presses_price").unwrap());
    assert!(intent.condition.holds(&c, &env));
}

#[test]
fn stages_out_of_order_are_reported_at_each_misplaced_id() {
    // Trial and intent swapped: line 3 (second stage) holds intent, line 4 holds trial.
    assert_eq!(
        problems(&five(&["potential", "intent", "trial", "quasi", "formal"])),
        [
            format!(
                "rules/stages.toml:3:10: stage \"intent\" is out of place: {ORDER}; expected \"trial\""
            ),
            format!(
                "rules/stages.toml:4:10: stage \"trial\" is out of place: {ORDER}; expected \"intent\""
            ),
        ]
    );
    // An unknown id in first place (line 2).
    assert_eq!(
        problems(&five(&["prospect2", "trial", "intent", "quasi", "formal"])),
        [format!(
            "rules/stages.toml:2:10: stage \"prospect2\" is out of place: {ORDER}; expected \"potential\""
        )]
    );
    // A sixth stage (line 7).
    assert_eq!(
        problems(&five(&[
            "potential",
            "trial",
            "intent",
            "quasi",
            "formal",
            "formal"
        ])),
        [format!(
            "rules/stages.toml:7:10: stage \"formal\" is out of place: {ORDER}; expected no further stage"
        )]
    );
}

#[test]
fn a_missing_stage_is_reported_for_the_whole_file() {
    assert_eq!(
        problems(&five(&["potential", "trial", "intent", "quasi"])),
        [
            "rules/stages.toml:1:1: expected the 5 stages potential, trial, intent, quasi, formal, found 4"
        ]
    );
    // An empty file has no `stage` at all.
    assert_eq!(
        problems(""),
        ["rules/stages.toml:1:1: missing field `stage`"]
    );
    // An empty list: found 0.
    assert_eq!(
        problems("stage = []\n"),
        [
            "rules/stages.toml:1:1: expected the 5 stages potential, trial, intent, quasi, formal, found 0"
        ]
    );
}

#[test]
fn gate_conditions_are_checked_where_they_are_written() {
    let gate = |when: &str| format!("gate = [{{ when = {when} }}], ");
    let text = stages_text(&[
        stage("", "potential"),
        // Line 3: not a bool; the whole string token from column 22 is marked.
        stage(&gate(r#""order_count""#), "trial"),
        // Line 4: an unknown field 16 characters into the condition ("price_agreed && "):
        // column 22 + 1 (the quote) + 16 = 39.
        stage(&gate(r#""price_agreed && contract_sgned""#), "intent"),
        // Line 5: escapes count as written: `name == \"a\" && ` is 15 characters decoded but
        // 17 written, so `bogs` starts in column 22 + 1 + 17 = 40.
        stage(&gate(r#""name == \"a\" && bogs""#), "quasi"),
        // Line 6: a literal string with Chinese: `has_trait("压价") && ` is 19 characters,
        // so `bogs` starts in column 22 + 1 + 19 = 42.
        stage(&gate(r#"'has_trait("压价") && bogs'"#), "formal"),
    ]);
    let ds = load(&file(&text), &vocab()).expect_err("four problems");
    assert_eq!(
        show(ds.clone()),
        [
            "rules/stages.toml:3:22: a condition must be true or false, this is a int",
            "rules/stages.toml:4:39: unknown field `contract_sgned`",
            "rules/stages.toml:5:40: unknown field `bogs`",
            "rules/stages.toml:6:42: unknown field `bogs`",
        ]
    );
    // The carets: the whole token `"order_count"` (13 bytes); the field name alone.
    let caret = |d: &Diagnostic| {
        let s = d.snippet.as_ref().unwrap();
        s.line_text[s.start..s.start + s.len].to_string()
    };
    assert_eq!(caret(&ds[0]), "\"order_count\"");
    assert_eq!(caret(&ds[1]), "contract_sgned");
    assert_eq!(caret(&ds[2]), "bogs");
    assert_eq!(caret(&ds[3]), "bogs");
}

fn file(text: &str) -> RuleFile {
    test_files::file("stages", text)
}
