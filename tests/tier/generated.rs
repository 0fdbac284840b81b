//! ABC on a generated book of 10 000 customers (`../shared/bench/gen.py`), checked row by row
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

#[test]
fn abc_on_a_generated_book_matches_an_independent_computation() {
    let ws = Workspace::new();
    let generated = Command::new("python3")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["../shared/bench/gen.py", "--customers", "10000"])
        .args(["--activities", "100000", "--out"])
        .arg(ws.path())
        .output()
        .expect("run python3 ../shared/bench/gen.py");
    assert!(
        generated.status.success(),
        "gen.py failed: {}",
        String::from_utf8_lossy(&generated.stderr)
    );

    // The book, read with the csv crate: every generated customer has a revenue.
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
            (r[id].to_string(), cents(&r[revenue]))
        })
        .collect();
    assert_eq!(book.len(), 10_000);

    // Rank: positive metrics by value descending, then the rest; ties by id.
    book.sort_by(|a, b| {
        (b.1 > 0)
            .cmp(&(a.1 > 0))
            .then(if a.1 > 0 && b.1 > 0 {
                b.1.cmp(&a.1)
            } else {
                std::cmp::Ordering::Equal
            })
            .then(a.0.cmp(&b.0))
    });
    // Class: the first whose limit is above the share held by the customers before it.
    let total: i128 = book.iter().map(|c| c.1).filter(|&v| v > 0).sum();
    let mut before: i128 = 0;
    let mut expected: Vec<(&str, &str, i128, i128)> = Vec::new(); // id, class, cents, held
    for (id, value) in &book {
        let class = if *value <= 0 {
            "C"
        } else if before * 100 < 80 * total {
            "A"
        } else if before * 100 < 95 * total {
            "B"
        } else {
            "C"
        };
        before += (*value).max(0);
        expected.push((id, class, *value, before));
    }

    let out = ws.run(["tier", "--scheme", "abc", "--format", "csv"]);
    out.stderr("").code(0);
    let text = out.stdout_text();
    let mut printed = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = printed
        .records()
        .map(|r| r.expect("a record of clientele's csv"))
        .collect();
    assert_eq!(rows.len(), expected.len(), "one row per customer");
    let percent = |cents: i128| cents as f64 * 100.0 / total as f64;
    let mut share_sum = 0.0f64;
    let (mut a_total, mut last_a) = (0i128, 0i128);
    for (rank, (row, (id, class, value, held))) in rows.iter().zip(&expected).enumerate() {
        let at = format!("row {} ({id})", rank + 1);
        assert_eq!((&row[0], &row[3]), (*id, *class), "{at}: id and class");
        assert_eq!(cents(&row[4]), *value, "{at}: metric");
        assert_eq!(row[7], (rank + 1).to_string(), "{at}: rank");
        let share: f64 = row[5].parse().expect("a share");
        let cumulative: f64 = row[6].parse().expect("a cumulative share");
        assert!(
            (share - percent(*value)).abs() <= 0.0051,
            "{at}: share {share}"
        );
        assert!(
            (cumulative - percent(*held)).abs() <= 0.0051,
            "{at}: cumulative share {cumulative}"
        );
        share_sum += share;
        if *class == "A" {
            a_total += value;
            last_a = *value;
        }
    }
    // Each printed share is rounded to 0.005 at most.
    assert!(
        (share_sum - 100.0).abs() <= 0.005 * rows.len() as f64,
        "the shares add up to {share_sum}"
    );
    assert_eq!(&rows[rows.len() - 1][6], "100.00");
    // A holds at least 80 %, and without its last customer (the one crossing 80 %) less.
    assert!(a_total * 100 >= 80 * total, "A holds {}", percent(a_total));
    assert!(
        (a_total - last_a) * 100 < 80 * total,
        "A without its last customer holds {}",
        percent(a_total - last_a)
    );
}
