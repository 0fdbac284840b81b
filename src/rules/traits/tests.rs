//! Unit tests of the parent module, with hand-worked expectations.

use super::*;
use crate::rules::EMBEDDED;
use crate::rules::test_files;

fn problem(text: &str) -> String {
    let d = TraitVocab::load(&file(text)).expect_err("the file has a problem");
    format!("{}: {}", d.location(), d.message)
}

#[test]
fn the_shipped_vocabulary_reads_ids_in_any_case_and_chinese_names() {
    let text = EMBEDDED.iter().find(|(n, _)| *n == "traits").unwrap().1;
    let v = TraitVocab::load(&file(text)).unwrap();
    // 35 traits of the nine types (5 + 4 × 6 + 3 + 3), 19 of the five personalities
    // (4 × 4 + 3), 17 of the buying styles (2 + 2 + 3 + 3 + 2 + 2 + 1 + 1 + 1), and the
    // partner of the relationship levels: 72.
    assert_eq!(v.traits.len(), 72);
    let i = v.index("presses_price").unwrap();
    assert_eq!(v.id(i), "presses_price");
    assert_eq!(v.traits[usize::from(i)].1, "压价");
    for name in [
        "压价",
        "PRESSES_PRICE",
        "Presses_Price",
        " presses_price ",
        "\u{3000}压价",
    ] {
        assert_eq!(v.index(name), Some(i), "{name:?}");
    }
    assert_eq!(v.index("presses price"), None);
    assert_eq!(v.index("flying"), None);
    // As the condition language's scope, the same lookup.
    assert_eq!(v.trait_index("压价"), Some(i));
    // The ids are held sorted: "arrogant" first, "word_of_mouth" last.
    assert_eq!(v.traits[0], ("arrogant".to_string(), "傲慢".to_string()));
    assert_eq!(
        v.traits[71],
        ("word_of_mouth".to_string(), "乐于推荐".to_string())
    );
}

#[test]
fn a_hand_written_vocabulary_is_indexed_by_sorted_id() {
    let v = TraitVocab::load(&file("[traits]\nzeta = \"乙\"\nalpha = \"甲\"\n")).unwrap();
    assert_eq!(
        v.traits,
        [
            ("alpha".to_string(), "甲".to_string()),
            ("zeta".to_string(), "乙".to_string())
        ]
    );
    assert_eq!(v.index("乙"), Some(1));
    assert_eq!(v.index("ALPHA"), Some(0));
    // An empty table is an empty vocabulary.
    assert!(
        TraitVocab::load(&file("[traits]\n"))
            .unwrap()
            .traits
            .is_empty()
    );
}

#[test]
fn a_chinese_name_used_twice_is_reported_at_the_second_use() {
    // Line 3: `zeta = ` is 7 characters → the value in column 8.
    assert_eq!(
        problem("[traits]\nalpha = \"甲\"\nzeta = \"甲\"\n"),
        "rules/traits.toml:3:8: the Chinese name \"甲\" is already used by trait \"alpha\""
    );
}

#[test]
fn a_chinese_name_used_twice_is_reported_at_the_later_line_whatever_the_ids() {
    // zeta (line 2) uses 甲 first, alpha (line 3) repeats it: line 3, column 9 (after
    // `alpha = `, 8 characters), already used by zeta.
    assert_eq!(
        problem("[traits]\nzeta = \"甲\"\nalpha = \"甲\"\n"),
        "rules/traits.toml:3:9: the Chinese name \"甲\" is already used by trait \"zeta\""
    );
}

#[test]
fn more_traits_than_a_set_can_hold_are_refused_at_the_table() {
    // 257 traits; the `[traits]` header is line 1, column 1.
    let mut text = String::from("[traits]\n");
    for i in 0..257 {
        text.push_str(&format!("t{i:03} = \"特征{i}\"\n"));
    }
    assert_eq!(
        problem(&text),
        "rules/traits.toml:1:1: at most 256 traits can be declared, found 257"
    );
    // 256 fit.
    let fits: String = text.lines().take(257).map(|l| format!("{l}\n")).collect();
    assert_eq!(TraitVocab::load(&file(&fits)).unwrap().traits.len(), 256);
}

#[test]
fn schema_errors_and_an_empty_file() {
    // Line 2: `a = ` is 4 characters → the value in column 5.
    assert_eq!(
        problem("[traits]\na = 1\n"),
        "rules/traits.toml:2:5: invalid type: integer `1`, expected a string"
    );
    assert_eq!(problem(""), "rules/traits.toml:1:1: missing field `traits`");
}

fn file(text: &str) -> RuleFile {
    test_files::file("traits", text)
}
