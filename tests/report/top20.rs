//! The 80/20 check on a generated book of 2 000 customers (`bench/gen.py`),
//! against a second computation made here from customers.csv alone, in integer cents.

use crate::util::{generated_book, revenues_by_hand};

/// `part / whole` as a percentage with two decimals, rounded half up, in integers.
fn percent_2(part: i128, whole: i128) -> String {
    let hundredths = (2 * part * 10_000 + whole) / (2 * whole);
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

#[test]
fn top20_share_of_a_generated_book_matches_an_independent_computation() {
    let ws = generated_book(2000, 20000);
    let mut book: Vec<(String, i128)> = revenues_by_hand(&ws)
        .into_iter()
        // A negative revenue counts as zero.
        .map(|(id, cents)| (id, cents.max(0)))
        .collect();
    assert_eq!(book.len(), 2_000);

    // Best first, ties by id; the top 20 % are the first floor(N / 5).
    book.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let total: i128 = book.iter().map(|c| c.1).sum();
    let top = |n: usize| book.iter().take(n).map(|c| c.1).sum::<i128>();
    let expected = percent_2(top(book.len() / 5), total);
    // The data is sharp enough to tell floor(N/5) customers from one more or one fewer.
    assert_ne!(expected, percent_2(top(book.len() / 5 + 1), total));
    assert_ne!(expected, percent_2(top(book.len() / 5 - 1), total));

    let out = ws.run(["report", "--format", "json"]);
    out.stderr("").code(0);
    let text = out.stdout_text();
    let start = text
        .find(r#""top20_share":"#)
        .unwrap_or_else(|| panic!("no top20_share in {text}"))
        + r#""top20_share":"#.len();
    let printed = &text[start..start + text[start..].find(',').expect("a key after it")];
    assert_eq!(printed, expected, "top20_share: clientele vs this test");
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert!(value["top20_share"].is_number());
}
