//! The 80/20 check on a generated book of 2 000 customers (`../shared/bench/gen.py`),
//! against a second computation made here from customers.csv alone, in integer cents.

use std::process::Command;

use crate::util::Workspace;

/// Integer cents from a plain decimal as gen.py writes it (`1282.82`, `1000.0`, `-5`).
fn cents(text: &str) -> i128 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    assert!(
        !whole.is_empty()
            && fraction.len() <= 2
            && whole
                .bytes()
                .chain(fraction.bytes())
                .all(|b| b.is_ascii_digit()),
        "not a plain amount: {text:?}"
    );
    let whole: i128 = whole.parse().expect("digits");
    let fraction: i128 = format!("{fraction:0<2}").parse().expect("digits");
    let value = whole * 100 + fraction;
    if negative { -value } else { value }
}

/// `part / whole` as a percentage with two decimals, rounded half up, in integers.
fn percent_2(part: i128, whole: i128) -> String {
    let hundredths = (2 * part * 10_000 + whole) / (2 * whole);
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

#[test]
fn top20_share_of_a_generated_book_matches_an_independent_computation() {
    let ws = Workspace::new();
    let generated = Command::new("python3")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["../shared/bench/gen.py", "--customers", "2000"])
        .args(["--activities", "20000", "--out"])
        .arg(ws.path())
        .output()
        .expect("run python3 ../shared/bench/gen.py");
    assert!(
        generated.status.success(),
        "gen.py failed: {}",
        String::from_utf8_lossy(&generated.stderr)
    );

    // The book, read with the csv crate: every generated customer has a revenue, so the
    // log's order totals never stand in for one. A negative revenue would count as zero.
    let mut reader =
        csv::Reader::from_path(ws.path().join("customers.csv")).expect("open customers.csv");
    let headers = reader.headers().expect("a header row").clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (id, revenue) = (column("id"), column("revenue"));
    let mut book: Vec<(String, i128)> = reader
        .records()
        .map(|r| {
            let r = r.expect("a customers.csv record");
            (r[id].to_string(), cents(&r[revenue]).max(0))
        })
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
