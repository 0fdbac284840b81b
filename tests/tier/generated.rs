//! ABC on a generated book of 10 000 customers (`../shared/bench/gen.py`), checked row by row
//! against a second computation made here from customers.csv alone, in integer cents.

use crate::util::{cents, generated_book, revenues_by_hand};

#[test]
fn abc_on_a_generated_book_matches_an_independent_computation() {
    let ws = generated_book(10000, 100000);
    let mut book: Vec<(String, i128)> = revenues_by_hand(&ws);
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
