//! The fast log fold held to its plain twin: random books and logs, folded both ways.

use std::io::{Read, Seek};

use chrono::NaiveDate;
use proptest::prelude::*;

use super::{IdTable, LogColumns, LogFile, Split, fold, plain};
use crate::model::Customer;

/// A book's ids, in one of the shapes the id index takes a form for.
fn ids() -> impl Strategy<Value = Vec<String>> {
    let n = 1..30usize;
    prop_oneof![
        n.clone()
            .prop_map(|n| (0..n).map(|i| format!("C{i:04}")).collect()),
        n.clone()
            .prop_map(|n| (0..n).map(|i| format!("C{i}")).collect()),
        n.clone().prop_map(|n| (0..n)
            .map(|i| format!("buyer.{i:07}@example.com"))
            .collect()),
        proptest::collection::vec("[A-C0-9京]{1,14}", 1..30),
    ]
}

/// One log row's cells: plain values and padded, quoted, wrong, empty and future ones.
fn row(ids: Vec<String>) -> impl Strategy<Value = [String; 5]> {
    let id = prop_oneof![
        4 => proptest::sample::select(ids),
        1 => proptest::sample::select(vec!["X9".to_string(), "nobody@example.com".into(), "".into(), " C0001 ".into()]),
    ];
    let date = proptest::sample::select(vec![
        "2026-01-05",
        "2026-11-22",
        "2026-11-23",
        "2025/3/1",
        "2025-02-30",
        " 2026-02-03 ",
        "",
        "someday",
    ]);
    let kind = proptest::sample::select(vec![
        "call",
        "order",
        "order",
        "visit",
        "sample_request",
        "sample_received",
        "complaint",
        "stage_change",
        "grade_change",
        "电话",
        " email ",
        "bogus",
    ]);
    let amount = proptest::sample::select(vec!["", "100.50", "\"1,000\"", "x", "-5", " 7 "]);
    let note = proptest::sample::select(vec![
        "",
        "plain",
        "\"quoted, with a comma\"",
        "\"two\nlines\"",
        "\"doubled \"\"quotes\"\"\"",
        "bad\u{fffd}byte",
    ]);
    (date, id, kind, amount, note).prop_map(|(d, i, k, a, n)| {
        [
            d.to_string(),
            i,
            k.to_string(),
            a.to_string(),
            n.to_string(),
        ]
    })
}

/// A book and a log of rows for it: (ids, rows, CRLF line ends, a blank line every n rows).
fn book_and_log() -> impl Strategy<Value = (Vec<String>, Vec<[String; 5]>, bool, usize)> {
    ids().prop_flat_map(|ids| {
        let rows = proptest::collection::vec(row(ids.clone()), 0..120);
        (Just(ids), rows, any::<bool>(), 2..40usize)
    })
}

/// The log's text: a header naming the columns in `order`, then the rows. A note's U+FFFD
/// becomes a byte that is not UTF-8.
fn log_text(rows: &[[String; 5]], order: [usize; 5], crlf: bool, blank_every: usize) -> Vec<u8> {
    const NAMES: [&str; 5] = ["date", "customer_id", "kind", "amount", "note"];
    let end = if crlf { "\r\n" } else { "\n" };
    let mut text = order.map(|k| NAMES[k]).join(",");
    text.push_str(end);
    for (r, cells) in rows.iter().enumerate() {
        text.push_str(&order.map(|k| cells[k].as_str()).join(","));
        text.push_str(end);
        if r % blank_every == 0 {
            text.push_str(end);
        }
    }
    let mut bytes = Vec::new();
    for piece in text.split('\u{fffd}') {
        bytes.extend_from_slice(piece.as_bytes());
        bytes.push(0xff);
    }
    bytes.pop();
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the book's ids, the rows, the columns' order, the line ends, and however the
    /// fold cuts and reads the log (chunks, block size, quick path or not), it finds what
    /// one plain pass over the rows finds: the same totals, orders, problems (at the same
    /// places), counts and changes.
    #[test]
    fn the_fold_finds_what_a_plain_pass_finds(
        (ids, rows, crlf, blank_every) in book_and_log(),
        order in Just([0usize, 1, 2, 3, 4]).prop_shuffle(),
        threads in 1..4usize,
        block in prop_oneof![1..64usize, Just(super::BLOCK)],
        quick in any::<bool>(),
        open_tail in proptest::option::weighted(0.25, (0..4usize, any::<bool>())),
    ) {
        let customers: Vec<Customer> = ids
            .iter()
            .map(|id| Customer { id: id.as_str().into(), ..Customer::default() })
            .collect();
        let mut text = log_text(&rows, order, crlf, blank_every);
        if let Some((lines, line_end)) = open_tail {
            // A note whose quote is never closed, and lines after it without a quote: the
            // rest of the log is that note.
            let cells = ["2026-01-05", ids[0].as_str(), "call", "", "\"never closed"];
            text.extend_from_slice(order.map(|k| cells[k]).join(",").as_bytes());
            for _ in 0..lines {
                text.extend_from_slice(format!("\n2026-01-06,{},visit,,swallowed", ids[0]).as_bytes());
            }
            if line_end {
                text.push(b'\n');
            }
        }
        let at = |name: usize| order.iter().position(|&k| k == name).expect("every column");
        let cols = LogColumns {
            date: at(0),
            id: at(1),
            kind: at(2),
            amount: Some(at(3)),
            note: Some(at(4)),
        };
        let data_start = text.iter().position(|&b| b == b'\n').map_or(text.len(), |n| n + 1);
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("activities.csv");
        std::fs::write(&path, &text).expect("write the log");
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("a date");
        let since = NaiveDate::from_ymd_opt(2025, 1, 1);

        let file = LogFile { path: &path, utf8: true, bom: 0, data_start, len: text.len() };
        let sequential = || -> std::io::Result<Box<dyn Read>> {
            let mut f = std::fs::File::open(&path)?;
            f.seek(std::io::SeekFrom::Start(data_start as u64))?;
            Ok(Box::new(f))
        };
        let (table, _) = IdTable::build(&customers);
        let split = Split { threads, parallel_from: 0, block, quick };
        let fast = fold(
            file,
            &sequential,
            &cols,
            &table.index(&customers),
            (customers.len(), today, since),
            split,
        )
        .expect("a log in a file reads");
        let plain = plain::fold(&text, data_start, &cols, &customers, (today, since));
        prop_assert_eq!(fast, plain);
    }

    /// Whatever the ids, the table finds each id's first customer, and names every later
    /// customer of an id as a duplicate of its first.
    #[test]
    fn the_id_table_finds_what_a_map_finds(
        ids in proptest::collection::vec("[A-C0-9京]{0,14}|C[0-9]{1,3}", 1..60),
        probes in proptest::collection::vec("[A-C0-9京]{0,14}|C[0-9]{1,3}", 0..20),
    ) {
        let customers: Vec<Customer> = ids
            .iter()
            .map(|id| Customer { id: id.as_str().into(), ..Customer::default() })
            .collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let (first, duplicates) = plain::first_positions(&refs);
        let (table, found) = IdTable::build(&customers);
        prop_assert_eq!(found, duplicates);
        let index = table.index(&customers);
        for id in ids.iter().chain(&probes) {
            prop_assert_eq!(index.get(id), first.get(id.as_str()).copied(), "{}", id);
        }
    }
}
