//! Tests of the parent module.

use proptest::prelude::*;

use super::*;
use crate::model::ActivityKind;
use crate::rules::Rules;
use crate::store::{ReadOptions, read_book};

/// A log whose notes hold commas, quotes and line breaks, so a naive split at a line
/// break would cut a record in two.
fn workspace(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let customers = dir.join("customers.csv");
    let mut book = String::from("id,name\n");
    for i in 1..=50 {
        book.push_str(&format!("K{i:03},Customer {i}\n"));
    }
    std::fs::write(&customers, book).unwrap();
    let log = dir.join("activities.csv");
    let mut text = String::from("\u{feff}date,customer_id,kind,amount,note\n");
    let kinds = [
        "call",
        "order",
        "visit",
        "sample_request",
        "complaint",
        "order",
    ];
    for r in 0..3000 {
        let day = 1 + r % 28;
        let month = 1 + (r / 28) % 11;
        let kind = kinds[r % kinds.len()];
        let amount = if kind == "order" {
            format!("{}.{:02}", 100 + r, r % 100)
        } else {
            String::new()
        };
        let note = if r % 7 == 0 {
            "\"line one\nline \"\"two\"\", end\"".to_string()
        } else {
            format!("note {r}")
        };
        let id = if r % 500 == 499 {
            "X999".to_string()
        } else {
            format!("K{:03}", 1 + (r * 37) % 50)
        };
        text.push_str(&format!(
            "2026-{month:02}-{day:02},{id},{kind},{amount},{note}\n"
        ));
    }
    std::fs::write(&log, text).unwrap();
    (customers, log)
}

/// What a fold gave: the customers, the problems (paths blanked), the rows read.
type Fold = (Vec<crate::model::Customer>, Vec<Diagnostic>, u64);

fn folded(threads: usize) -> Fold {
    let dir = tempfile::tempdir().unwrap();
    let (customers, log) = workspace(dir.path());
    folded_in(&customers, &log, threads, fast::BLOCK)
}

fn folded_in(customers: &Path, log: &Path, threads: usize, block: usize) -> Fold {
    folded_split(customers, log, split_in(threads, block))
}

/// Chunks for `threads` however short the log, read `block` bytes at a time, the quick
/// path on.
fn split_in(threads: usize, block: usize) -> Split {
    Split {
        threads,
        parallel_from: 0,
        block,
        quick: true,
    }
}

fn folded_split(customers: &Path, log: &Path, split: Split) -> Fold {
    try_folded_split(customers, log, split).unwrap()
}

/// [`folded_split`], or the error that stopped the fold.
fn try_folded_split(customers: &Path, log: &Path, split: Split) -> Result<Fold> {
    let (book, problems, summary) = fold_summary(customers, log, split, None)?;
    Ok((book.customers, problems, summary.rows))
}

/// The book at `customers` with the log folded in as `split` says, keeping the changes since
/// `since` if given, on 2026-11-22; the problems with their paths blanked (they differ
/// between runs, in temporary folders), and the summary.
fn fold_summary(
    customers: &Path,
    log: &Path,
    split: Split,
    since: Option<NaiveDate>,
) -> Result<(crate::store::Book, Vec<Diagnostic>, LogSummary)> {
    let rules = Rules::load(None, None).unwrap();
    let opts = ReadOptions {
        columns: &[],
        encoding: None,
        keep_source: true,
        ..ReadOptions::default()
    };
    let (mut book, _) = read_book(customers, &rules, opts).unwrap();
    let mut problems = Vec::new();
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let cluster = crate::rules::cadence::DEFAULT_ORDER_CLUSTER_DAYS;
    let summary = fold_in(
        log,
        &mut book,
        (today, since, cluster),
        None,
        &mut problems,
        split,
    )?;
    for p in &mut problems {
        p.path = String::new();
    }
    Ok((book, problems, summary))
}

/// Two folds of the same log found the same rows, problems and customers.
fn assert_same_fold(
    (one, one_problems, one_rows): &Fold,
    (many, many_problems, many_rows): &Fold,
    what: &str,
) {
    assert_eq!(many_rows, one_rows, "{what}");
    assert_eq!(many_problems, one_problems, "{what}");
    assert_eq!(many.len(), one.len(), "{what}");
    for (a, b) in one.iter().zip(many) {
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "{what}");
    }
}

#[test]
fn chunks_on_several_threads_give_what_one_pass_gives() {
    let first = folded(1);
    for threads in 2..12 {
        assert_same_fold(&first, &folded(threads), &format!("threads = {threads}"));
    }
    let (one, one_problems, one_rows) = first;
    assert_eq!(one_rows, 3000);
    // Six rows name X999: each a warning with its line.
    assert_eq!(one_problems.len(), 6);
    assert!(
        one_problems
            .iter()
            .all(|p| p.message == "unknown customer \"X999\"")
    );
    assert!(
        one.iter()
            .any(|c| c.order_count > 0 && c.order_interval_days.is_some())
    );
}

/// Chunk bounds are guesses: line starts, some of them inside a quoted note. The fold must
/// notice those (the test above compares its results on these thread counts).
#[test]
fn chunk_bounds_are_line_starts_some_inside_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let (_, log) = workspace(dir.path());
    let bytes = std::fs::read(&log).unwrap();
    let start = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    let mut inside_quotes = 0;
    for n in 2..12 {
        let bounds = fast::chunk_bounds(&log, start, bytes.len(), n).unwrap();
        assert_eq!(bounds.first(), Some(&start));
        assert_eq!(bounds.last(), Some(&bytes.len()));
        assert!(bounds.windows(2).all(|w| w[0] < w[1]), "{bounds:?}");
        for &b in &bounds[1..bounds.len() - 1] {
            assert_eq!(bytes[b - 1], b'\n');
            assert!(!matches!(bytes[b], b'\n' | b'\r'));
            let quotes = bytes[..b].iter().filter(|&&c| c == b'"').count();
            inside_quotes += quotes % 2;
        }
    }
    assert!(
        inside_quotes > 0,
        "no guess fell inside quotes: the check goes untested"
    );
}

/// Blocks of a few bytes put every kind of record across a refill: CRLF and LF lines, blank
/// lines, quoted notes with line breaks and doubled quotes, notes longer than the block,
/// bytes that are not UTF-8, rows after today. Whatever the block and the chunks, the fold
/// finds what one pass with the usual block finds.
#[test]
fn small_blocks_and_chunks_give_what_one_pass_gives() {
    let dir = tempfile::tempdir().unwrap();
    let (customers, _) = workspace(dir.path());
    let log = dir.path().join("mixed.csv");
    let mut text = b"date,customer_id,kind,amount,note\r\n".to_vec();
    for r in 0..3000usize {
        let id = format!("K{:03}", 1 + (r * 13) % 50);
        let day = 1 + r % 28;
        let note: Vec<u8> = match r % 9 {
            0 => b"\"a, \"\"b\"\"\nc\"".to_vec(),
            // Past the first 64 KiB, where the encoding was settled as UTF-8.
            1 if r > 2000 => b"caf\xe9 meeting".to_vec(),
            2 => "a long note ".repeat(40).into_bytes(),
            3 => b"\"quoted, simply\"".to_vec(),
            _ => format!("n{r}").into_bytes(),
        };
        let date = if r % 50 == 7 {
            "2027-01-05".to_string()
        } else {
            format!("2026-03-{day:02}")
        };
        let kind = ["order", "call", "visit", "sample_request"][r % 4];
        let amount = if kind == "order" {
            format!("{r}.5")
        } else {
            String::new()
        };
        text.extend_from_slice(format!("{date},{id},{kind},{amount},").as_bytes());
        text.extend_from_slice(&note);
        text.extend_from_slice(if r % 3 == 0 { b"\r\n" } else { b"\n" });
        if r % 40 == 0 {
            text.extend_from_slice(b"\n\r\n,,,,\n");
        }
    }
    std::fs::write(&log, &text).unwrap();
    let first = folded_in(&customers, &log, 1, fast::BLOCK);
    let (one, one_problems, one_rows) = &first;
    assert_eq!(*one_rows, 3000);
    let not_utf8 = one_problems
        .iter()
        .filter(|p| p.message.contains("not valid UTF-8"))
        .count();
    assert_eq!((not_utf8, one_problems.len()), (111, 111));
    assert!(one.iter().any(|c| c.order_count > 0));
    for (threads, block) in [(1, 1), (1, 7), (2, 3), (3, 64), (5, 4096)] {
        assert_same_fold(
            &first,
            &folded_in(&customers, &log, threads, block),
            &format!("threads {threads}, block {block}"),
        );
    }
}

/// The log's columns in another order (the note first, the date last) fold as in the usual
/// order: the quick path reads the cells where the header puts them.
#[test]
fn a_log_with_its_columns_in_another_order_folds_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (customers, log) = workspace(dir.path());
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(&log)
        .unwrap();
    let other = dir.path().join("reordered.csv");
    let mut wtr = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_path(&other)
        .unwrap();
    for record in rdr.records() {
        let r = record.unwrap();
        // date,customer_id,kind,amount,note -> note,kind,customer_id,amount,date
        let cell = |i: usize| r.get(i).unwrap_or("").trim_start_matches('\u{feff}');
        wtr.write_record([cell(4), cell(2), cell(1), cell(3), cell(0)])
            .unwrap();
    }
    wtr.flush().unwrap();
    drop(wtr);
    let (one, one_problems, one_rows) = folded_in(&customers, &log, 1, fast::BLOCK);
    let (two, two_problems, two_rows) = folded_in(&customers, &other, 1, fast::BLOCK);
    assert_eq!(two_rows, one_rows);
    assert_eq!(
        format!("{two:?}"),
        format!("{one:?}"),
        "the same totals whatever the column order"
    );
    let messages = |p: &[Diagnostic]| p.iter().map(|d| d.message.clone()).collect::<Vec<_>>();
    assert_eq!(messages(&two_problems), messages(&one_problems));
    assert!(
        one.iter()
            .any(|c| c.order_count > 0 && c.order_interval_days.is_some())
    );
}

/// More problems than are shown: the ones shown are the first in the file and the rest are
/// counted, however many threads read the log and whichever chunks each took.
#[test]
fn the_problems_shown_are_the_files_first_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (customers, _) = workspace(dir.path());
    let log = dir.path().join("bad.csv");
    let mut text = String::from("date,customer_id,kind,amount,note\n");
    for r in 0..2500 {
        let date = if r % 2 == 0 {
            "2026-02-30"
        } else {
            "2026-02-03"
        };
        text.push_str(&format!("{date},K{:03},call,,n{r}\n", 1 + r % 50));
    }
    std::fs::write(&log, &text).unwrap();
    let one = folded_in(&customers, &log, 1, fast::BLOCK);
    let (_, problems, rows) = &one;
    assert_eq!(*rows, 2500);
    assert_eq!(problems.len(), fast::MAX_KEPT + 1);
    assert_eq!(problems[0].line, 2);
    assert_eq!(problems[fast::MAX_KEPT - 1].line, 2 * fast::MAX_KEPT);
    assert_eq!(
        problems[fast::MAX_KEPT].message,
        "250 more rows with errors not shown"
    );
    for threads in [2, 3, 5] {
        let many = folded_in(&customers, &log, threads, 512);
        assert_same_fold(&one, &many, &format!("threads {threads}"));
    }
}

/// Two orders on one day make one day of the rhythm: the interval is the median gap between
/// days with orders, and a customer who ordered on one day only has none.
#[test]
fn order_intervals_count_days_not_orders() {
    let dir = tempfile::tempdir().unwrap();
    let (customers, _) = workspace(dir.path());
    let log = dir.path().join("orders.csv");
    std::fs::write(
        &log,
        "date,customer_id,kind,amount,note\n\
         2026-03-31,K001,order,1,\n2026-03-01,K001,order,1,\n2026-03-11,K001,order,1,\n\
         2026-03-01,K001,order,1,\n2026-05-05,K002,order,1,\n2026-05-05,K002,order,1,\n",
    )
    .unwrap();
    let (book, problems, rows) = folded_in(&customers, &log, 1, fast::BLOCK);
    assert_eq!((problems.len(), rows), (0, 6));
    let of = |id: &str| book.iter().find(|c| &*c.id == id).unwrap();
    assert_eq!(
        (of("K001").order_count, of("K001").order_interval_days),
        (4, Some(15))
    );
    assert_eq!(
        (of("K002").order_count, of("K002").order_interval_days),
        (2, None)
    );
    assert_eq!(of("K003").order_interval_days, None);
}

/// An id of the book's shape that no customer has is found late (its slot is empty), and
/// still named as written.
#[test]
fn unknown_ids_of_the_books_shape_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let (customers, _) = workspace(dir.path());
    let log = dir.path().join("unknown.csv");
    std::fs::write(
        &log,
        "date,customer_id,kind,amount,note\n2026-03-01,K055,call,,\n2026-03-02,K0055,call,,\n",
    )
    .unwrap();
    let (_, problems, rows) = folded_in(&customers, &log, 1, fast::BLOCK);
    let messages: Vec<(usize, &str)> = problems
        .iter()
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    assert_eq!(rows, 2);
    assert_eq!(
        messages,
        [
            (2, "unknown customer \"K055\""),
            (3, "unknown customer \"K0055\"")
        ]
    );
}

/// A long id that the fold first takes for another customer's (same length, same half
/// hash) is no customer's once its text is compared: its rows are warnings, and the other
/// customer's totals hold only their own rows, on one thread or several.
#[test]
fn a_long_id_alike_another_is_no_customers() {
    let (known, alike) = crate::store::fast::long_ids_alike();
    let dir = tempfile::tempdir().unwrap();
    let customers = dir.path().join("customers.csv");
    std::fs::write(&customers, format!("id,name\n{known},Known\nshort,Short\n")).unwrap();
    let log = dir.path().join("activities.csv");
    let mut text = String::from("date,customer_id,kind,amount,note\n");
    // Enough rows for several batches, the two ids interleaved.
    for r in 0..300 {
        let id = [&known, &alike, "short"][r % 3];
        text.push_str(&format!("2026-03-{:02},{id},call,,\n", 1 + r % 28));
    }
    std::fs::write(&log, text).unwrap();
    for threads in [1, 2] {
        let (book, problems, rows) = folded_in(&customers, &log, threads, 64);
        assert_eq!(rows, 300);
        assert_eq!(
            (book[0].contact_count, book[1].contact_count),
            (100, 100),
            "{threads}"
        );
        assert_eq!(problems.len(), 100);
        for (k, p) in problems.iter().enumerate() {
            assert_eq!(p.line, 3 + 3 * k);
            assert_eq!(p.message, format!("unknown customer \"{alike}\""));
        }
    }
}

/// The stage and grade changes from a date to today come with the fold: in order of date,
/// customer id and line, notes unquoted (one holding a line break, which the quick path
/// leaves to the splitter), an unknown customer's too, none after today or before the
/// date; the same on one thread or several, in blocks of any size.
#[test]
fn changes_since_a_date_come_with_the_fold() {
    let dir = tempfile::tempdir().unwrap();
    let (customers, _) = workspace(dir.path());
    let log = dir.path().join("changes.csv");
    let mut text = String::from("date,customer_id,kind,amount,note\n");
    let since = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let mut want = Vec::new();
    for r in 0..3000usize {
        let date = NaiveDate::from_ymd_opt(2026, 1 + (r % 12) as u32, 1 + (r % 27) as u32).unwrap();
        let id = if r % 401 == 400 {
            "X9".to_string()
        } else {
            format!("K{:03}", 1 + r % 50)
        };
        let (kind, kind_id, note) = match r % 5 {
            0 => (
                ActivityKind::StageChange,
                "stage_change",
                format!("\"a -> b, \"\"{r}\"\"\""),
            ),
            1 => (
                ActivityKind::GradeChange,
                "grade_change",
                format!("\"C -> B\nline two {r}\""),
            ),
            2 => (
                ActivityKind::GradeChange,
                "grade_change",
                format!("plain {r}"),
            ),
            _ => (ActivityKind::Call, "call", format!("call {r}")),
        };
        text.push_str(&format!("{date},{id},{kind_id},,{note}\n"));
        if kind != ActivityKind::Call && since <= date && date <= today {
            // A quoted note unquoted.
            let note = match note.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
                Some(quoted) => quoted.replace("\"\"", "\""),
                None => note,
            };
            want.push((date, id, r, kind, note));
        }
    }
    std::fs::write(&log, text).unwrap();
    want.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    let want: Vec<ChangeRow> = want
        .into_iter()
        .map(|(date, customer_id, _, kind, note)| ChangeRow {
            date,
            customer_id,
            kind,
            note,
        })
        .collect();
    assert!(want.len() > 500);
    for (threads, block) in [(1, fast::BLOCK), (2, fast::BLOCK), (2, 97), (3, 4096)] {
        let split = split_in(threads, block);
        let (_, _, summary) = fold_summary(&customers, &log, split, Some(since)).unwrap();
        assert_eq!(
            summary.changes, want,
            "{threads} threads, blocks of {block}"
        );
    }
}

/// The book split into parts at any customer gives each customer the rhythm and order
/// figures one pass gives: a part takes exactly its customers' orders.
#[test]
fn order_figures_are_the_same_for_any_split_of_the_book() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let day = |d: i64| today - chrono::Days::new(d as u64);
    // Orders by customer, then day, as the fold gives them. Amounts in cents; days counted
    // back from today.
    let order = |customer: usize, back: i64, amount: i64| Order {
        customer,
        day: i64::from(day(back).num_days_from_ce()),
        amount,
    };
    let mut orders = vec![
        order(2, 400, 100),
        order(2, 390, 250),
        order(3, 40, 1),
        order(4, 6, 7),
        order(2, 370, 5),
        order(3, 33, 10),
        order(3, 33, 20),
        order(3, 19, 300),
        order(4, 5, -2),
        order(5, 0, 9),
        order(6, 365, 4),
        order(6, 356, 8),
    ];
    orders.sort_unstable();
    let totals = vec![CustomerTotals::default(); 7];
    let figures = |splits: &[usize]| {
        let mut customers = vec![Customer::default(); 7];
        let mut start = 0;
        for &end in splits.iter().chain([&7]) {
            apply_part(
                start,
                &mut customers[start..end],
                &totals,
                &orders,
                (today, 7),
            );
            start = end;
        }
        customers
            .iter()
            .map(|c| {
                (
                    c.order_interval_days,
                    c.order_count,
                    c.order_total,
                    c.order_total_12m,
                    c.months_with_orders,
                    c.first_order,
                    c.last_order,
                )
            })
            .collect::<Vec<_>>()
    };
    // Customer 2: days 400, 390, 370 back (gaps 10, 20: median 15), none in the last
    // year; 3: 40, 33, 33, 19 back (distinct days 40, 33, 19: gaps 7, 14, mean 10), in
    // October and November (a gap of 7 is not under the 7 days that make one occasion);
    // 4: 6 and 5 back (gap 1: one occasion, so no interval), in November; 5: one order, today;
    // 6: one a year back to the day (before the 12 months), one on 1 December 2025 (the
    // first day of the eleventh month back, which counts).
    let none = (None, 0, 0, 0, 0, None, None);
    let want = vec![
        none,
        none,
        (Some(15), 3, 355, 0, 0, Some(day(400)), Some(day(370))),
        (Some(10), 4, 331, 331, 2, Some(day(40)), Some(day(19))),
        (None, 2, 5, 5, 1, Some(day(6)), Some(day(5))),
        (None, 1, 9, 9, 1, Some(day(0)), Some(day(0))),
        (Some(9), 2, 12, 8, 1, Some(day(365)), Some(day(356))),
    ];
    assert_eq!(figures(&[]), want);
    for splits in [&[1][..], &[2], &[3], &[4], &[5], &[3, 4], &[2, 3, 4, 5]] {
        assert_eq!(figures(splits), want, "split at {splits:?}");
    }
}

/// A monthly customer whose orders arrive split over two days (the 5th and 6th of each month,
/// and once the 5th, 6th and 11th: each gap under 7 days chains into one occasion) orders
/// monthly: occasions on 5 Jul, 5 Aug, 5 Sep, 5 Oct are 31, 31, 30 days apart, median 31.
/// Counted day by day, the median gap would be 3 (gaps 1, 30, 1, 30, 1, 5, 24, 1: the middle
/// two are 1 and 5), and the customer lapsing every week.
#[test]
fn split_orders_are_one_occasion_of_the_rhythm() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let on = |m: u32, d: u32| Order {
        customer: 0,
        day: i64::from(
            NaiveDate::from_ymd_opt(2026, m, d)
                .unwrap()
                .num_days_from_ce(),
        ),
        amount: 100,
    };
    let orders = vec![
        on(7, 5),
        on(7, 6),
        on(8, 5),
        on(8, 6),
        on(9, 5),
        on(9, 6),
        on(9, 11),
        on(10, 5),
        on(10, 6),
    ];
    let totals = vec![CustomerTotals::default()];
    let interval = |cluster: u32| {
        let mut customers = vec![Customer::default()];
        apply_part(0, &mut customers, &totals, &orders, (today, cluster));
        customers[0].order_interval_days
    };
    assert_eq!(interval(7), Some(31));
    // Without clustering (0 or 1 day): every distinct day is an occasion.
    assert_eq!(interval(1), Some(3));
    assert_eq!(interval(0), Some(3));
}

/// One cell of a log row as the property test below writes it: plain values, padded ones,
/// quoted ones, wrong ones, empty ones, non-ASCII ones.
fn cell(choices: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(choices)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A plain line is read the quick way, without the general splitter; whatever the line,
    /// the fold finds what the splitter's way finds: the same totals, rows and problems,
    /// at the same places.
    #[test]
    fn the_quick_path_reads_every_line_as_the_splitter_does(
        rows in proptest::collection::vec(
            (
                cell(&["2026-03-05", "2026-03-06", " 2026-03-05", "2026-03-05 ", "2026-13-01", "",
                       "2026-3-5", "2027-01-01", "\"2026-03-07\"", "２０２６-03-05"]),
                cell(&["K001", "K002", "K050", " K003", "K004 ", "X999", "", "K01", "\"K005\"",
                       "K00６", "k001"]),
                cell(&["call", "order", "visit", "Order", " call", "sample_request", "bogus", "",
                       "订单", "\"order\"", "order\t"]),
                cell(&["", "12.50", " 3", "4 ", "abc", "¥5", "\"7\"", "-2", " "]),
                cell(&["", "n", "note, with a comma", "\"a,\nb\"", "x\"y", "\"q\"\"q\"", "\u{3000}",
                       "caf\u{e9}", "\"q\"x", "\"a\rb\"", "\"\"", "\"open", "\"PO 7, caf\u{e9}\"",
                       "\"q\"\"\nq\""]),
                0usize..6,
                cell(&["\n", "\r\n", "\r", "\n\n"]),
            ),
            0..40,
        ),
        block in 1usize..80,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (customers, _) = workspace(dir.path());
        let log = dir.path().join("log.csv");
        let mut text = String::from("date,customer_id,kind,amount,note\n").into_bytes();
        // A first note past the 64 KiB that settle the encoding, so that bytes which are not
        // UTF-8 after it are problems of their rows.
        text.extend_from_slice(format!("2026-03-01,K001,call,,{}\n", "a".repeat(66_000)).as_bytes());
        for (date, id, kind, amount, note, fields, end) in rows {
            let cells = [date, id, kind, amount, note];
            // Rows with fewer fields than the header, or one more.
            let mut line = cells[..fields.min(5)].join(",");
            if fields == 0 {
                line = cells.join(",") + ",extra";
            }
            // U+00E9 stands for a byte that is not UTF-8.
            text.extend(line.replace('\u{e9}', "\u{1}").bytes().map(|b| if b == 1 { 0xe9 } else { b }));
            text.extend_from_slice(end.as_bytes());
        }
        std::fs::write(&log, &text).unwrap();
        let split = |quick| Split { threads: 1, parallel_from: 0, block, quick };
        let general = try_folded_split(&customers, &log, split(false));
        let quick = try_folded_split(&customers, &log, split(true));
        let what = String::from_utf8_lossy(&text);
        match (general, quick) {
            (Ok(general), Ok(quick)) => assert_same_fold(&general, &quick, &what),
            // Bytes that are not UTF-8 in a log the whole of which reads as no encoding.
            (general, quick) => prop_assert_eq!(format!("{general:?}"), format!("{quick:?}"), "{}", what),
        }
    }
}

/// A quote never closed near the end of a large log: found however the log is cut and
/// read, at its place, with the rows after it counted in the hint; the rows before it are
/// folded, and the summary says a reading command must stop.
#[test]
fn a_quote_left_open_is_found_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (customers, log) = workspace(dir.path());
    let mut text = std::fs::read_to_string(&log).unwrap();
    let line = 1 + text.lines().count();
    text.push_str("2026-11-02,K001,call,,\"asked for a quote\n2026-11-03,K002,visit,,x\n");
    text.push_str("2026-11-04,K002,order,10,y\n");
    std::fs::write(&log, &text).unwrap();
    let want = format!(
        "clientele: error: :{line}:23: column E (note): this quoted field is never closed: a `\"` is missing\n\
         {pad} |\n\
         {line} | 2026-11-02,K001,call,,\"asked for a quote\n\
         {pad} |                       ^\n  \
         = hint: the 2 lines after it are read as part of this field, not as rows: add the missing `\"` where the field ends (a `\"` inside a field is written `\"\"`)",
        pad = " ".repeat(line.to_string().len()),
    );
    let mut first: Option<Fold> = None;
    for threads in [1, 2, 3, 7] {
        for block in [fast::BLOCK, 97] {
            let (book, problems, summary) =
                fold_summary(&customers, &log, split_in(threads, block), None).unwrap();
            let stops_at = summary.stops_at.as_ref().map(|d| {
                let mut d = d.clone();
                d.path = String::new();
                d.to_string()
            });
            assert_eq!(
                stops_at.as_deref(),
                Some(want.as_str()),
                "{threads} threads"
            );
            assert_eq!(problems.last().map(ToString::to_string), stops_at);
            let fold = (book.customers, problems, summary.rows);
            match &first {
                None => first = Some(fold),
                Some(f) => assert_same_fold(f, &fold, &format!("{threads} threads, {block}")),
            }
        }
    }
    // 3000 rows, and the one whose note runs to the end.
    assert_eq!(first.map(|f| f.2), Some(3001));
}

/// `log` is told of a quote left open before it appends, in a log of any encoding, at the
/// quote's place (bytes that are not UTF-8 before it and all).
#[test]
fn a_quote_left_open_is_found_before_an_append() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("activities.csv");
    let check = |bytes: &[u8]| {
        std::fs::write(&log, bytes).unwrap();
        unclosed_quote(&log, None)
            .unwrap()
            .map(|d| (d.line, d.col, d.column.map(|c| c.1)))
    };
    let closed = "date,customer_id,kind,amount,note\n2026-11-02,K1,call,,\"a, b\"\n";
    assert_eq!(check(closed.as_bytes()), None);
    assert_eq!(check(b""), None);
    let open = "日期,客户编号,类型,金额,备注\r\n2026-11-02,K1,电话,,\"报价\r\n明天再打\r\n";
    assert_eq!(check(open.as_bytes()), Some((2, 19, Some("备注".into()))));
    let gbk = encoding_rs::GBK.encode(open).0;
    assert_eq!(check(&gbk), Some((2, 19, Some("备注".into()))));
    // A byte that is not UTF-8 on the line before (a row problem of its own).
    let (header, rows) = open.split_at(open.find("2026").unwrap());
    let bad = [
        header.as_bytes(),
        b"2026-11-01,K1,call,,\xFF\r\n",
        rows.as_bytes(),
    ]
    .concat();
    assert_eq!(check(&bad), Some((3, 19, Some("备注".into()))));
    // No log at all: nothing to be told.
    std::fs::remove_file(&log).unwrap();
    assert_eq!(unclosed_quote(&log, None).unwrap(), None);
}

/// Only a line that is UTF-8 with two characters of three bytes is taken for UTF-8 in a
/// GBK log: not a GBK line, not ASCII, not one UTF-8 character (é, or 客 alone, can be
/// chance), not a line with a byte that is not UTF-8. Lines count from 1.
#[test]
fn utf8_rows_in_a_gbk_log_are_named_by_line() {
    let gbk = encoding_rs::GBK
        .encode("2026-11-02,c1,call,,客户说下周再联系\n")
        .0;
    let mut bytes = b"date,customer_id,kind,amount,note\n".to_vec();
    bytes.extend_from_slice(&gbk);
    bytes.extend_from_slice("2026-11-03,c1,call,,café 客\n".as_bytes());
    bytes.extend_from_slice("2026-11-04,c1,call,,客户\n".as_bytes());
    bytes.extend_from_slice(b"2026-11-05,c1,call,,\xe5\xae\xa2\xe6\x88\xb7\xff\n");
    let path = Path::new("activities.csv");
    let found = utf8_rows(path, &bytes, encoding_rs::GBK);
    let lines: Vec<usize> = found.iter().map(|d| d.line).collect();
    assert_eq!(lines, [4]);
    assert!(
        found[0]
            .message
            .contains("meant \"2026-11-04,c1,call,,客户\"")
    );
}
