//! ABC on a generated book of 60 000 customers (`bench/gen.py`), checked row by row
//! against a second computation made here from customers.csv alone, in integer cents; and
//! every listing of such a book the same on one thread as on several. 60 000 is past the
//! size from which per-customer work, sorts and the book's reading are split across threads.

use crate::util::{cents, generated_book, revenues_by_hand};

#[test]
fn abc_on_a_generated_book_matches_an_independent_computation() {
    let ws = generated_book(60_000, 100_000);
    let mut book: Vec<(String, i128)> = revenues_by_hand(&ws);
    assert_eq!(book.len(), 60_000);

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

/// A Pareto scheme on a float metric: its running sums are floating point, summed in rank
/// order across the threads' parts.
const FLOAT_PARETO: &str = "
[scheme.float_abc]
kind = \"pareto\"
en = \"ABC by revenue per order\"
zh = \"按单均ABC\"
metric = \"order_count > 0 ? revenue / order_count * 1.0 : 0\"
classes = [
  { id = \"A\", upto = 80, en = \"A\", zh = \"A\" },
  { id = \"B\", upto = 95, en = \"B\", zh = \"B\" },
  { id = \"C\", upto = 100, en = \"C\", zh = \"C\" },
]
";

#[test]
fn listings_are_the_same_on_one_thread_and_on_several() {
    let shipped = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/tiers.toml"))
        .expect("read the shipped rules/tiers.toml");
    let ws = generated_book(60_000, 100_000).file("rules/tiers.toml", shipped + FLOAT_PARETO);
    // The listings whose work is split: ranking schemes of every kind of running total,
    // the follow-up engine, the report.
    let commands: &[&[&str]] = &[
        &["--format", "csv", "tier", "--scheme", "abc"],
        &["--format", "csv", "tier", "--scheme", "float_abc"],
        &["--format", "csv", "tier", "--scheme", "key"],
        &["--format", "csv", "due"],
        &["--format", "json", "report"],
    ];
    for args in commands {
        let run = |threads: &str| {
            let mut full = vec!["--today", "2026-11-22"];
            full.extend_from_slice(args);
            let out = ws
                .command(&full)
                .env("CLIENTELE_THREADS", threads)
                .output()
                .expect("run");
            assert_eq!(
                out.status.code(),
                Some(0),
                "{args:?} on {threads} threads: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        let one = run("1");
        assert!(one.len() > 60_000, "{args:?}: {} bytes", one.len());
        // Three parts: an uneven split, two merges.
        assert!(run("3") == one, "{args:?}: three threads differ from one");
    }
}
