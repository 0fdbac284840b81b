//! Unit tests of the parent module, with hand-worked expectations.

use super::*;
use crate::rules::test_files::{embedded, file, vocab};

fn load_text(text: &str) -> Result<TypeSet, Vec<Diagnostic>> {
    TypeSet::load(&file("types-test", text), &vocab())
}

fn problems(text: &str) -> Vec<String> {
    load_text(text)
        .expect_err("the file has problems")
        .iter()
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect()
}

/// (trait id or condition, weight, label) of each signal.
fn signals(t: &TypeDef, vocab: &TraitVocab) -> Vec<(String, f64, String)> {
    t.signals
        .iter()
        .map(|s| {
            let test = match &s.test {
                Test::Trait(i) => vocab.id(*i).to_string(),
                Test::When(_) => "when".to_string(),
            };
            (test, s.weight, s.label.clone())
        })
        .collect()
}

fn sig(test: &str, weight: f64, label: &str) -> (String, f64, String) {
    (test.into(), weight, label.into())
}

/// The head of a hand-written set, lines 1–7; the types follow from line 8, one per line.
const HEAD: &str = "name = \"t\"\nen = \"T\"\nzh = \"测\"\nmin_score = 2\nmin_margin = 1\nfallback = \"b\"\ntype = [\n";

#[test]
fn the_shipped_sets_load_with_their_documented_figures() {
    let vocab = vocab();
    let nine = TypeSet::load(&file("types", embedded("types")), &vocab).unwrap();
    assert_eq!(
        (nine.name.as_str(), nine.zh.as_str()),
        ("nine", "九种客户类型")
    );
    assert_eq!((nine.min_score, nine.min_margin), (2.0, 1.0));
    let ids: Vec<&str> = nine.types.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "rational",
            "task",
            "greedy",
            "owner",
            "credit_seeker",
            "stingy",
            "difficult",
            "relationship",
            "composite"
        ]
    );
    // The fallback is composite, the ninth type.
    assert_eq!(nine.fallback, 8);
    // Strong traits weigh 2, weak ones 1; a trait signal is labelled with its id.
    assert_eq!(
        signals(&nine.types[0], &vocab),
        [
            sig(
                "not_swayed_by_relationship",
                2.0,
                "not_swayed_by_relationship"
            ),
            sig("compares_suppliers", 2.0, "compares_suppliers"),
            sig("principled", 1.0, "principled"),
            sig("methodical", 1.0, "methodical"),
            sig("detail_oriented", 1.0, "detail_oriented"),
        ]
    );
    // Task's last signal is a condition with its own label.
    assert_eq!(
        signals(&nine.types[1], &vocab).last().unwrap(),
        &sig("when", 1.0, "a single order, over 180 days ago")
    );
    assert_eq!(nine.types[0].zh, "理智型");
    assert_eq!(
        nine.types[0].strategy.en,
        "Talk candidly with no pressure or flattery; show strengths and limits plainly; keep every promise."
    );
    // The alternative sets fall back to their own `mixed` type, listed last.
    let personality = TypeSet::load(
        &file("types-personality", embedded("types-personality")),
        &vocab,
    )
    .unwrap();
    assert_eq!(personality.name, "personality");
    assert_eq!(personality.types.len(), 6);
    assert_eq!(personality.types[personality.fallback].id, "mixed");
    assert_eq!(personality.fallback, 5);
    let buying = TypeSet::load(&file("types-buying", embedded("types-buying")), &vocab).unwrap();
    assert_eq!(buying.name, "buying");
    assert_eq!((buying.types.len(), buying.fallback), (10, 9));
}

#[test]
fn a_hand_written_set_reads_traits_by_either_name_and_labels_its_signals() {
    let text = format!(
        "{HEAD}{}\n{}\n]\n",
        r#"  { id = "a", en = "A", zh = "甲", strategy = { en = "s", zh = "s" }, signals = [{ trait = "压价", weight = 2 }, { trait = "FRIEND", weight = 0.5, label = "a friend" }, { when = "complaint_count >= 2", weight = 1 }] },"#,
        r#"  { id = "b", en = "B", zh = "乙", strategy = { en = "s", zh = "s" }, recognise = { en = "r", zh = "r" } },"#,
    );
    let vocab = vocab();
    let set = load_text(&text).unwrap();
    assert_eq!((set.name.as_str(), set.en.as_str()), ("t", "T"));
    assert_eq!(set.fallback, 1);
    // 压价 is presses_price, labelled with its id; FRIEND (any case) is friend with the
    // label given; an unlabelled condition is labelled with its text.
    assert_eq!(
        signals(&set.types[0], &vocab),
        [
            sig("presses_price", 2.0, "presses_price"),
            sig("friend", 0.5, "a friend"),
            sig("when", 1.0, "complaint_count >= 2"),
        ]
    );
    assert!(set.types[1].signals.is_empty());
    assert_eq!(set.types[1].recognise.as_ref().unwrap().en, "r");
    assert_eq!(set.types[0].advice, None);
}

#[test]
fn each_kind_of_problem_is_reported_at_its_place_all_together() {
    let lines = [
        // Line 8: "  { signals = [{ trait = " is 25 characters: the trait in column 26.
        r#"  { signals = [{ trait = "flying", weight = 1 }], id = "a", en = "A", zh = "甲", strategy = { en = "s", zh = "s" } },"#,
        // Line 9: id "a" again, in column 10 ("  { id = " is 9 characters).
        r#"  { id = "a", en = "A2", zh = "乙", strategy = { en = "s", zh = "s" } },"#,
        // Line 10: a signal with both `trait` and `when`, one with neither: both reported at
        // the type's id.
        r#"  { id = "c", en = "C", zh = "丙", strategy = { en = "s", zh = "s" }, signals = [{ trait = "friend", when = "true", weight = 1 }, { weight = 1 }] },"#,
        // Line 11: "  { signals = [{ when = " is 24 characters: the condition in column 25.
        r#"  { signals = [{ when = "order_count", weight = 1 }], id = "d", en = "D", zh = "丁", strategy = { en = "s", zh = "s" } },"#,
    ];
    let text = format!("{HEAD}{}\n]\n", lines.join("\n"));
    assert_eq!(
        problems(&text),
        [
            "rules/types-test.toml:8:26: unknown trait \"flying\" (traits are declared in rules/traits.toml)",
            "rules/types-test.toml:9:10: type \"a\" is defined twice",
            "rules/types-test.toml:10:10: a signal of type \"c\" needs exactly one of `trait` or `when`",
            "rules/types-test.toml:10:10: a signal of type \"c\" needs exactly one of `trait` or `when`",
            "rules/types-test.toml:11:25: a condition must be true or false, this is a int",
            // Line 6: `fallback = "b"`, the value in column 12; there is no type "b".
            "rules/types-test.toml:6:12: the fallback \"b\" is not one of the types",
        ]
    );
}

#[test]
fn an_empty_or_incomplete_file_names_the_first_missing_key() {
    assert_eq!(
        problems(""),
        ["rules/types-test.toml:1:1: missing field `name`"]
    );
    // A set with no types at all: `type` is required.
    let text =
        "name = \"t\"\nen = \"T\"\nzh = \"测\"\nmin_score = 2\nmin_margin = 1\nfallback = \"b\"\n";
    assert_eq!(
        problems(text),
        ["rules/types-test.toml:1:1: missing field `type`"]
    );
    // An empty list of types parses, but then the fallback names no type (line 6, column 12).
    assert_eq!(
        problems(&format!("{HEAD}]\n")),
        ["rules/types-test.toml:6:12: the fallback \"b\" is not one of the types"]
    );
}
