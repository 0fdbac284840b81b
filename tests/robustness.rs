//! Robustness: every read-only command, in every format it prints, over small random
//! workspaces (a random subset of the book's columns, valid, odd and garbage values, 0 to 8
//! customers, a 0-byte or header-only book, an absent, empty or random activity log), and
//! over the fixed edge cases a team's first book is made of (a 0-byte book, a header-only
//! book, one customer, no log, every metric zero).
//!
//! Whatever the input, a run exits 0, 1 or 2 and never panics; an exit 2 says why on stderr
//! as `clientele: error: …`; and what a successful run prints is valid for its format: JSON
//! that parses (`[]` when the list is empty), JSON lines that each parse, CSV and TSV whose
//! records all have the header's width, an iCalendar text that opens and closes a VCALENDAR
//! with CRLF line ends, UTF-8 tables. Read-only commands write no file.

use std::fmt;
use std::os::unix::process::ExitStatusExt;
use std::process::Output as Ran;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;

use crate::util::Workspace;

/// The tier schemes of the shipped `tiers.toml`.
const SCHEMES: [&str; 7] = ["abc", "pyramid", "grade", "key", "value3", "rfm", "stars"];

/// Every format of a listing (`ics` is for `due` only).
const FORMATS: [&str; 6] = ["table", "csv", "tsv", "json", "jsonl", "markdown"];

/// What a command prints on success: rows (a JSON array), one object (`report` and `show`
/// in JSON), or nothing to check beyond UTF-8 (`check`: a one-line summary).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Rows,
    Object,
    Free,
}

/// One command line to run and how to judge its output.
#[derive(Clone, Debug)]
struct Run {
    args: Vec<String>,
    format: &'static str,
    shape: Shape,
}

impl Run {
    fn new(args: &[&str], format: &'static str, shape: Shape) -> Run {
        let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        if format != "default" {
            args.extend(["--format".to_string(), format.to_string()]);
        }
        Run {
            args,
            format,
            shape,
        }
    }

    fn line(&self) -> String {
        format!("clientele {}", self.args.join(" "))
    }
}

/// Every read-only command in every format it supports; `show` for `first_id` if any.
fn every_read_only_run(first_id: Option<&str>) -> Vec<Run> {
    let mut runs = vec![Run::new(&["check"], "default", Shape::Free)];
    for within in [&[][..], &["--within", "3m"][..]] {
        for format in FORMATS.iter().chain(&["ics"]) {
            let args: Vec<&str> = ["due"].iter().chain(within).copied().collect();
            runs.push(Run::new(&args, format, Shape::Rows));
        }
    }
    for explain in [&[][..], &["--explain"][..]] {
        for format in FORMATS {
            let args: Vec<&str> = ["classify"].iter().chain(explain).copied().collect();
            runs.push(Run::new(&args, format, Shape::Rows));
        }
    }
    for scheme in SCHEMES {
        for format in FORMATS {
            runs.push(Run::new(&["tier", "--scheme", scheme], format, Shape::Rows));
        }
    }
    for format in ["json", "markdown", "table"] {
        runs.push(Run::new(&["report"], format, Shape::Object));
    }
    for format in ["csv", "tsv", "jsonl"] {
        runs.push(Run::new(
            &["report", "--section", "owners"],
            format,
            Shape::Rows,
        ));
    }
    if let Some(id) = first_id {
        for format in FORMATS {
            runs.push(Run::new(&["show", id], format, Shape::Object));
        }
    }
    runs
}

/// Runs `runs` in the workspace on a few threads; the outputs in the order of `runs`.
fn run_all(ws: &Workspace, runs: &[Run]) -> Vec<Ran> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Ran>>> = Mutex::new(runs.iter().map(|_| None).collect());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(run) = runs.get(i) else { break };
                    let out = ws.command(&run.args).output().expect("run clientele");
                    results.lock().expect("no poisoned lock")[i] = Some(out);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("no poisoned lock")
        .into_iter()
        .map(|r| r.expect("every run ran"))
        .collect()
}

/// What is wrong with one run's exit and output, if anything.
fn verify(run: &Run, out: &Ran) -> Result<(), String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let Some(code) = out.status.code() else {
        return Err(format!(
            "killed by signal {:?}\n--- stderr:\n{stderr}",
            out.status.signal()
        ));
    };
    if !(0..=2).contains(&code) {
        return Err(format!("exit code {code}\n--- stderr:\n{stderr}"));
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        return Err(format!("panicked (exit {code})\n--- stderr:\n{stderr}"));
    }
    if code == 2 && !error_after_warnings(&stderr) {
        return Err(format!(
            "exit 2 without a `clientele: error:` after only warnings on stderr\n--- stderr:\n{stderr}"
        ));
    }
    if code == 0 {
        valid_output(run.format, run.shape, &out.stdout)
            .map_err(|e| format!("exit 0 with invalid {} output: {e}", run.format))?;
    }
    Ok(())
}

/// Whether `stdout` is valid for its format.
fn valid_output(format: &str, shape: Shape, stdout: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(stdout).map_err(|e| format!("not UTF-8: {e}"))?;
    let show = || format!("\n--- stdout:\n{text}");
    match format {
        "json" => {
            let value: serde_json::Value =
                serde_json::from_str(text).map_err(|e| format!("{e}{}", show()))?;
            match (shape, &value) {
                (Shape::Rows, serde_json::Value::Array(rows)) => {
                    if rows.is_empty() && text != "[]\n" {
                        return Err(format!("an empty list that is not `[]\\n`{}", show()));
                    }
                }
                (Shape::Object, serde_json::Value::Object(_)) => {}
                _ => return Err(format!("expected {shape:?}{}", show())),
            }
            if !text.ends_with('\n') {
                return Err(format!("no final newline{}", show()));
            }
        }
        "jsonl" => {
            if !text.is_empty() && !text.ends_with('\n') {
                return Err(format!("no final newline{}", show()));
            }
            for (n, line) in text.lines().enumerate() {
                let value: serde_json::Value = serde_json::from_str(line)
                    .map_err(|e| format!("line {}: {e}{}", n + 1, show()))?;
                if !value.is_object() {
                    return Err(format!("line {} is not an object{}", n + 1, show()));
                }
            }
        }
        "csv" | "tsv" => {
            if !text.is_empty() && !text.ends_with('\n') {
                return Err(format!("no final newline{}", show()));
            }
            let mut reader = csv::ReaderBuilder::new();
            reader.has_headers(false).flexible(true);
            if format == "tsv" {
                // TSV is not quoted: tabs and line breaks in values become spaces.
                reader.delimiter(b'\t').quoting(false);
            }
            let mut width = None;
            for (n, record) in reader.from_reader(text.as_bytes()).records().enumerate() {
                let record = record.map_err(|e| format!("record {}: {e}{}", n + 1, show()))?;
                let width = *width.get_or_insert(record.len());
                if record.len() != width {
                    return Err(format!(
                        "record {} has {} fields, the header {width}{}",
                        n + 1,
                        record.len(),
                        show()
                    ));
                }
            }
        }
        "ics" if !text.is_empty() => {
            ics_lines(text)?;
        }
        // Tables, markdown and `check`: UTF-8 is all there is to check.
        _ => {}
    }
    Ok(())
}

/// The content lines of a calendar, after checking it opens and closes a VCALENDAR, ends
/// every line with CRLF, folds lines at 75 octets and parses as iCalendar.
fn ics_lines(text: &str) -> Result<Vec<&str>, String> {
    let show = || format!("\n--- stdout:\n{text}");
    if !text.starts_with("BEGIN:VCALENDAR\r\n") || !text.ends_with("END:VCALENDAR\r\n") {
        return Err(format!("not one VCALENDAR with CRLF line ends{}", show()));
    }
    let lines: Vec<&str> = text[..text.len() - 2].split("\r\n").collect();
    for line in &lines {
        if line.contains(['\r', '\n']) {
            return Err(format!("a bare line end in {line:?}{}", show()));
        }
        if line.len() > 75 {
            return Err(format!("{} octets in {line:?}{}", line.len(), show()));
        }
    }
    let unfolded = icalendar::parser::unfold(text);
    icalendar::parser::read_calendar(&unfolded).map_err(|e| format!("{e}{}", show()))?;
    Ok(lines)
}

/// Runs every read-only command on the workspace's files; every problem found, one
/// paragraph per failing command.
fn problems(files: &Files) -> Vec<String> {
    let mut ws = Workspace::new().file("customers.csv", &files.customers);
    if let Some(log) = &files.activities {
        ws = ws.file("activities.csv", log);
    }
    let before = ws.snapshot();
    let runs = every_read_only_run(files.first_id.as_deref());
    let outs = run_all(&ws, &runs);
    let mut found: Vec<String> = runs
        .iter()
        .zip(&outs)
        .filter_map(|(run, out)| {
            verify(run, out)
                .err()
                .map(|e| format!("`{}`: {e}", run.line()))
        })
        .collect();
    if ws.snapshot() != before {
        found.push("a read-only command changed the workspace".to_string());
    }
    found
}

// ---------------------------------------------------------------------------------------
// Random workspaces.

/// The workspace's files, printed as Rust literals so a failing case pastes into a test.
#[derive(Clone)]
struct Files {
    customers: String,
    activities: Option<String>,
    /// The id of the first customer, for `show` (none when the book has no customer, or the
    /// first has an empty id).
    first_id: Option<String>,
}

impl fmt::Debug for Files {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "customers.csv: {:?}", self.customers)?;
        match &self.activities {
            None => writeln!(f, "activities.csv: absent"),
            Some(log) => writeln!(f, "activities.csv: {log:?}"),
        }
    }
}

/// The book's columns besides `id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Name,
    Owner,
    Stage,
    Grade,
    Type,
    Traits,
    Revenue,
    LastContact,
    LastOrder,
    SampleRequested,
    SampleReceived,
    ExpectedPurchase,
    SnoozeUntil,
    NextContact,
    Birthday,
    List,
    Phone,
    Email,
    /// A column no field takes.
    Remark,
}

const COLUMNS: [Col; 19] = [
    Col::Name,
    Col::Owner,
    Col::Stage,
    Col::Grade,
    Col::Type,
    Col::Traits,
    Col::Revenue,
    Col::LastContact,
    Col::LastOrder,
    Col::SampleRequested,
    Col::SampleReceived,
    Col::ExpectedPurchase,
    Col::SnoozeUntil,
    Col::NextContact,
    Col::Birthday,
    Col::List,
    Col::Phone,
    Col::Email,
    Col::Remark,
];

impl Col {
    /// The header: the field's name, or one of its Chinese aliases.
    fn header(self, zh: bool) -> &'static str {
        let (en, cn) = match self {
            Col::Name => ("name", "客户名称"),
            Col::Owner => ("owner", "负责人"),
            Col::Stage => ("stage", "阶段"),
            Col::Grade => ("grade", "等级"),
            Col::Type => ("type", "客户类型"),
            Col::Traits => ("traits", "客户标签"),
            Col::Revenue => ("revenue", "销售额"),
            Col::LastContact => ("last_contact", "最后联系"),
            Col::LastOrder => ("last_order", "最近下单"),
            Col::SampleRequested => ("sample_requested", "索样日期"),
            Col::SampleReceived => ("sample_received", "收样日期"),
            Col::ExpectedPurchase => ("expected_purchase", "预计采购日期"),
            Col::SnoozeUntil => ("snooze_until", "暂停至"),
            Col::NextContact => ("next_contact", "下次联系"),
            Col::Birthday => ("birthday", "生日"),
            Col::List => ("list", "名单"),
            Col::Phone => ("phone", "电话"),
            Col::Email => ("email", "邮箱"),
            Col::Remark => ("remark", "备注"),
        };
        if zh { cn } else { en }
    }
}

fn one_of(values: &'static [&'static str]) -> BoxedStrategy<String> {
    prop::sample::select(values)
        .prop_map(str::to_string)
        .boxed()
}

/// A valid value, or now and then (in a workspace that allows it) garbage.
fn valid_or(
    valid: BoxedStrategy<String>,
    garbage: &'static [&'static str],
    dirty: bool,
) -> BoxedStrategy<String> {
    if dirty {
        prop_oneof![24 => valid, 1 => one_of(garbage)].boxed()
    } else {
        valid
    }
}

/// A date as the book may write it, from early 2024 to early 2028 (today is 2026-11-22),
/// with today and the days around it often.
fn date() -> BoxedStrategy<String> {
    let any_day =
        (2024i32..=2027, 1u32..=12, 1u32..=28, 0u8..3).prop_map(|(y, m, d, style)| match style {
            0 => format!("{y}-{m:02}-{d:02}"),
            1 => format!("{y}/{m}/{d}"),
            _ => format!("{y}年{m}月{d}日"),
        });
    prop_oneof![
        6 => any_day,
        2 => one_of(&["2026-11-22", "2026-11-21", "2026-11-23", "2026-11-20", "2026-12-31", "2027-01-01"]),
        2 => Just(String::new()),
    ]
    .boxed()
}

const BAD_DATES: &[&str] = &[
    "yesterday",
    "2026-02-30",
    "4/11/2025",
    "26-1-1",
    "2026-13-01",
    "N/A",
];

/// An amount: plain, grouped, with currency signs and units, negative, zero, empty; with
/// `huge`, also as large as a cell holds (i64::MAX and i64::MIN cents, and near them: two of
/// them overflow a sum).
fn amount(huge: bool) -> BoxedStrategy<String> {
    let plain = prop_oneof![
        4 => (0u64..10_000_000).prop_map(|n| n.to_string()),
        4 => one_of(&[
            "0", "-5", "1234", "1,234.50", "￥1,234.50", "¥12", "$12", "12.5万", "3千",
            "1.2亿", "(4,900.00)", "-", "-￥4,900.00", "0.01", "99,999,999,999.99", "",
        ]),
    ];
    if huge {
        prop_oneof![
            8 => plain,
            1 => one_of(&["90000000000000000", "92233720368547758.07", "-92233720368547758.08"]),
        ]
        .boxed()
    } else {
        plain.boxed()
    }
}

const BAD_AMOUNTS: &[&str] = &["abc", "1.234", "1,23", "999999999999999999999999", "12..5"];

fn cell(col: Col, dirty: bool, huge: bool) -> BoxedStrategy<String> {
    match col {
        Col::Name => one_of(&[
            "Alpha",
            "Acme, Inc.",
            "北京某某贸易有限公司",
            "\"Quoted\" Co",
            "Two\nLines Ltd",
            "",
            " padded ",
            "Tab\there",
        ]),
        Col::Owner => one_of(&["Li Wei", "王芳", "", "Anna Schmidt", "a,b"]),
        Col::Stage => valid_or(
            one_of(&[
                "potential",
                "trial",
                "intent",
                "quasi",
                "formal",
                "潜在客户",
                "试用客户",
                "意向客户",
                "准客户",
                "正式客户",
                "意向",
                "Trial",
                "",
            ]),
            &["trail", "lead", "???"],
            dirty,
        ),
        Col::Grade => valid_or(
            one_of(&[
                "A",
                "B",
                "C",
                "D",
                "E",
                "A级",
                "b",
                "订单客户",
                "无潜客户",
                "",
            ]),
            &["F", "优", "AA"],
            dirty,
        ),
        Col::Type => valid_or(
            one_of(&[
                "rational",
                "task",
                "greedy",
                "owner",
                "credit_seeker",
                "stingy",
                "difficult",
                "relationship",
                "composite",
                "理智型",
                "",
            ]),
            &["weird", "rationa"],
            dirty,
        ),
        Col::Traits => valid_or(
            one_of(&[
                "",
                "presses_price",
                "friend;referral",
                "压价、比较考核",
                "compares_suppliers, presses_price",
            ]),
            &["not_a_trait", "friend;;nope"],
            dirty,
        ),
        Col::Revenue => valid_or(amount(huge), BAD_AMOUNTS, dirty),
        Col::LastContact
        | Col::LastOrder
        | Col::SampleRequested
        | Col::SampleReceived
        | Col::ExpectedPurchase
        | Col::SnoozeUntil
        | Col::NextContact => valid_or(date(), BAD_DATES, dirty),
        Col::Birthday => valid_or(
            prop_oneof![
                one_of(&[
                    "04-11",
                    "4/11",
                    "2000-02-29",
                    "02-29",
                    "12-31",
                    "1月1日",
                    "11-22",
                    "11-23",
                    ""
                ]),
                date(),
            ]
            .boxed(),
            &["13-45", "2/30", "someday"],
            dirty,
        ),
        Col::List => valid_or(
            one_of(&["red", "normal", "black", "红名单", "黑", ""]),
            &["grey"],
            dirty,
        ),
        Col::Phone => one_of(&["13800138000", "", "+86 10 8888 0000", "010-12345678"]),
        Col::Email => one_of(&["a@b.example", "", "王芳@例子.中国"]),
        Col::Remark => one_of(&["", "call before 10", "备注, with a comma", "line\nbreak"]),
    }
}

/// A customer's id: `c0`…, `客0`…, or `C-0`…; in a dirty workspace now and then empty or a
/// duplicate of the first.
fn id(dirty: bool) -> BoxedStrategy<u8> {
    if dirty {
        prop_oneof![30 => 0u8..3, 1 => Just(3u8), 1 => Just(4u8)].boxed()
    } else {
        (0u8..3).boxed()
    }
}

fn id_text(style: u8, row: usize) -> String {
    match style {
        0 => format!("c{row}"),
        1 => format!("客{row}"),
        2 => format!("C-{row}"),
        3 => String::new(),
        _ => "c0".to_string(),
    }
}

/// One log row: date, customer id, kind, amount, note.
fn log_row(dirty: bool, huge: bool) -> BoxedStrategy<[String; 5]> {
    let day = (2025i32..=2026, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))
        .boxed();
    let day = valid_or(
        prop_oneof![5 => day, 1 => one_of(&["2026-11-22", "2026-11-21", "2026-11-23", "2026/11/1"])].boxed(),
        &["someday", "", "2026-02-30"],
        dirty,
    );
    let who = prop_oneof![
        6 => (0usize..8).prop_map(|i| format!("c{i}")),
        1 => (0usize..3).prop_map(|i| format!("客{i}")),
        1 => one_of(&["c9", "ghost", "C-0"]),
    ];
    let kind = valid_or(
        one_of(&[
            "call",
            "visit",
            "email",
            "message",
            "order",
            "order",
            "sample_request",
            "sample_received",
            "complaint",
            "电话",
            "订单",
            "投诉",
        ]),
        &["telepathy", "电话咨询", ""],
        dirty,
    );
    let amount = valid_or(amount(huge), BAD_AMOUNTS, dirty);
    let note = one_of(&["", "hello", "a, b", "引号\"x\"", "two\nlines"]);
    (day, who, kind, amount, note)
        .prop_map(|(a, b, c, d, e)| [a, b, c, d, e])
        .boxed()
}

/// A CSV field, quoted when it must be.
fn field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ') {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn lines(rows: impl IntoIterator<Item = Vec<String>>, crlf: bool) -> String {
    let eol = if crlf { "\r\n" } else { "\n" };
    rows.into_iter()
        .map(|cells| {
            let cells: Vec<String> = cells.iter().map(|c| field(c)).collect();
            cells.join(",") + eol
        })
        .collect()
}

/// A small random workspace; with `huge`, amounts as large as a cell holds.
fn files(huge: bool) -> impl Strategy<Value = Files> {
    (
        // A 0-byte book now and then.
        prop::bool::weighted(0.06),
        prop::sample::subsequence(COLUMNS.to_vec(), 0..=COLUMNS.len()).prop_shuffle(),
        0usize..=8,
        // A third of the workspaces may hold garbage (most of those fail with exit 2).
        prop::bool::weighted(0.33),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_flat_map(move |(empty, columns, n, dirty, zh, crlf)| {
            let cells: Vec<BoxedStrategy<String>> =
                columns.iter().map(|&c| cell(c, dirty, huge)).collect();
            let log = prop_oneof![
                1 => Just(None),
                4 => prop::collection::vec(log_row(dirty, huge), 0..=20).prop_map(Some),
            ];
            (
                Just(empty),
                Just(columns),
                Just(zh),
                Just(crlf),
                prop::collection::vec((id(dirty), cells), n),
                log,
            )
        })
        .prop_map(|(empty, columns, zh, crlf, rows, log)| {
            let header: Vec<String> = std::iter::once(if zh { "客户编号" } else { "id" })
                .chain(columns.iter().map(|c| c.header(zh)))
                .map(str::to_string)
                .collect();
            let ids: Vec<String> = rows
                .iter()
                .enumerate()
                .map(|(i, (style, _))| id_text(*style, i))
                .collect();
            let body = rows.into_iter().zip(&ids).map(|((_, cells), id)| {
                std::iter::once(id.clone()).chain(cells).collect::<Vec<_>>()
            });
            let customers = if empty {
                String::new()
            } else {
                lines(std::iter::once(header).chain(body), crlf)
            };
            let first_id = ids.first().filter(|id| !empty && !id.is_empty()).cloned();
            let activities = log.map(|rows| {
                let header = ["date", "customer_id", "kind", "amount", "note"].map(str::to_string);
                lines(
                    std::iter::once(header.to_vec()).chain(rows.into_iter().map(|r| r.to_vec())),
                    crlf,
                )
            });
            Files {
                customers,
                activities,
                first_id,
            }
        })
}

fn env_or(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    // Each case runs about 80 commands; PROPTEST_CASES and PROPTEST_MAX_SHRINK_ITERS
    // override the defaults for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: env_or("PROPTEST_CASES", 24),
        max_shrink_iters: env_or("PROPTEST_MAX_SHRINK_ITERS", 24),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_read_only_command_survives_small_random_workspaces(files in files(false)) {
        let found = problems(&files);
        prop_assert!(found.is_empty(), "{} runs failed:\n\n{}", found.len(), found.join("\n\n"));
    }

    /// The same with amounts up to the largest a cell holds (about ±9.2e16 yuan), which
    /// `report` refuses to add up, after the warnings of loading.
    #[test]
    fn every_read_only_command_survives_amounts_at_the_limit(files in files(true)) {
        let found = problems(&files);
        prop_assert!(found.is_empty(), "{} runs failed:\n\n{}", found.len(), found.join("\n\n"));
    }
}

/// The format checks themselves: each rejects the mistake it is there to catch.
#[test]
fn the_format_checks_catch_invalid_output() {
    let bad = [
        ("json", Shape::Rows, "[\n]\n", "an empty list that is not"),
        ("json", Shape::Rows, "[{\"a\":1},]\n", "trailing comma"),
        ("json", Shape::Rows, "{}\n", "expected Rows"),
        ("json", Shape::Object, "[]\n", "expected Object"),
        ("json", Shape::Rows, "[1]", "no final newline"),
        ("jsonl", Shape::Rows, "{\"a\":1}\n{\"a\":\n", "line 2"),
        ("jsonl", Shape::Rows, "[1]\n", "not an object"),
        ("csv", Shape::Rows, "a,b\n1,2,3\n", "record 2 has 3 fields"),
        ("csv", Shape::Rows, "a,b\n\"1,2\n", "record 2 has 1 fields"),
        (
            "tsv",
            Shape::Rows,
            "a\tb\n\"1\t2\"\t3\n",
            "record 2 has 3 fields",
        ),
        (
            "ics",
            Shape::Rows,
            "BEGIN:VCALENDAR\nEND:VCALENDAR\n",
            "CRLF",
        ),
        (
            "ics",
            Shape::Rows,
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR",
            "CRLF",
        ),
        ("table", Shape::Rows, "\u{fffd}", ""),
    ];
    for (format, shape, text, why) in bad {
        match valid_output(format, shape, text.as_bytes()) {
            Ok(()) if format == "table" => {}
            Ok(()) => panic!("{format} {text:?} passed"),
            Err(e) => assert!(e.contains(why), "{format} {text:?}: {e}"),
        }
    }
    assert!(valid_output("table", Shape::Rows, b"\xff").is_err());
    let long = format!(
        "BEGIN:VCALENDAR\r\nX-LONG:{}\r\nEND:VCALENDAR\r\n",
        "x".repeat(70)
    );
    assert!(
        valid_output("ics", Shape::Rows, long.as_bytes())
            .unwrap_err()
            .contains("octets")
    );
    for (format, shape, text) in [
        ("json", Shape::Rows, "[]\n"),
        ("json", Shape::Object, "{\"a\":[]}\n"),
        ("jsonl", Shape::Rows, ""),
        ("csv", Shape::Rows, ""),
        ("csv", Shape::Rows, "a,b\n\"1,\"\"x\"\"\n2\",3\n"),
        ("tsv", Shape::Rows, "a\tb\n\"1\t2\n"),
        ("ics", Shape::Rows, EMPTY_CALENDAR),
    ] {
        if let Err(e) = valid_output(format, shape, text.as_bytes()) {
            panic!("{format} {text:?}: {e}");
        }
    }
    // A panic and an exit 2 without its message are caught too.
    let ran = |code: i32, stderr: &str| {
        std::process::Command::new("sh")
            .args([
                "-c",
                &format!("printf '%s' \"$0\" >&2; exit {code}"),
                stderr,
            ])
            .output()
            .expect("run sh")
    };
    let run = judged(&["due", "--format", "json"]);
    assert!(verify(&run, &ran(2, "oops")).is_err());
    assert!(verify(&run, &ran(3, "clientele: error: x")).is_err());
    assert!(verify(&run, &ran(1, "thread 'main' panicked at src/x.rs:1:1")).is_err());
    assert!(
        verify(&run, &ran(0, "")).is_err(),
        "an empty stdout is not JSON"
    );
    assert!(verify(&run, &ran(2, "clientele: error: bad data")).is_ok());
}

// ---------------------------------------------------------------------------------------
// The fixed edge cases.

/// What `due --format ics` prints when nothing is due: the calendar around no VTODO.
const EMPTY_CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//clientele//due//EN\r\n\
                              CALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n";

const LOG_HEADER: &str = "date,customer_id,kind,amount,note\n";

/// A workspace with these files (no log when `activities` is `None`).
fn workspace(customers: &str, activities: Option<&str>) -> Workspace {
    let ws = Workspace::new().file("customers.csv", customers);
    match activities {
        Some(log) => ws.file("activities.csv", log),
        None => ws,
    }
}

/// How to judge a command line's output: its `--format` (TSV when piped without one), and
/// one object for `report` and `show` in JSON, rows for the rest.
fn judged(args: &[&str]) -> Run {
    let format = args
        .iter()
        .position(|a| *a == "--format")
        .map_or("tsv", |i| {
            ["table", "csv", "tsv", "json", "jsonl", "markdown", "ics"]
                .into_iter()
                .find(|f| *f == args[i + 1])
                .expect("a known format")
        });
    let shape = match args[0] {
        "check" => Shape::Free,
        "report" if !args.contains(&"--section") => Shape::Object,
        "show" => Shape::Object,
        _ => Shape::Rows,
    };
    Run {
        args: args.iter().map(|a| a.to_string()).collect(),
        format,
        shape,
    }
}

/// Runs `args`, asserts the exit code and that the run is sound (no panic, a valid output
/// for its format, an error message with exit 2); the output.
fn expect(ws: &Workspace, args: &[&str], code: i32) -> Ran {
    let run = judged(args);
    let out = ws.command(args).output().expect("run clientele");
    if let Err(e) = verify(&run, &out) {
        panic!("`{}`: {e}", run.line());
    }
    assert_eq!(
        out.status.code(),
        Some(code),
        "`{}`\n--- stderr:\n{}",
        run.line(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The stdout of a run that must exit 0 with a valid output.
fn stdout(ws: &Workspace, args: &[&str]) -> String {
    String::from_utf8(expect(ws, args, 0).stdout).expect("UTF-8, checked")
}

fn stderr(out: &Ran) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_text(what: &str, expected: &str, actual: &str) {
    assert!(
        expected == actual,
        "{what} differs (- expected, + actual):\n{}",
        crate::util::diff(expected, actual)
    );
}

/// Every command listing `args` prints nothing to list in each format as the machine
/// formats say "nothing": `[]`, no line, no header (unless asked for), an empty calendar.
fn assert_lists_nothing(ws: &Workspace, args: &[&str], header: &str) {
    let with = |extra: &[&'static str]| -> Vec<&str> { [args, extra].concat() };
    let line = args.join(" ");
    assert_text(
        &format!("{line} --format json"),
        "[]\n",
        &stdout(ws, &with(&["--format", "json"])),
    );
    for format in ["jsonl", "csv", "tsv"] {
        assert_text(
            &format!("{line} --format {format}"),
            "",
            &stdout(ws, &with(&["--format", format])),
        );
    }
    let always = |format, sep: &str| {
        let text = stdout(ws, &with(&["--format", format, "--header", "always"]));
        assert_text(
            &format!("{line} --format {format} --header always"),
            &format!("{}\n", header.replace(',', sep)),
            &text,
        );
    };
    always("csv", ",");
    always("tsv", "\t");
    if args[0] == "due" {
        assert_text(
            &format!("{line} --format ics"),
            EMPTY_CALENDAR,
            &stdout(ws, &with(&["--format", "ics"])),
        );
        for format in ["table", "markdown"] {
            assert_text(
                &format!("{line} --format {format}"),
                "",
                &stdout(ws, &with(&["--format", format])),
            );
        }
    }
}

const DUE_HEADER: &str = "due,overdue_days,id,name,owner,grade,stage,type,reason,reason_code,strategy,late,\
                          phone,email,contact,last_contact,last_note";
const TIER_HEADER: &str = "id,name,scheme,tier,metric,share,cumulative_share,rank";
const OWNERS_HEADER: &str = "owner,customers,due_today,overdue,late,next_7_days";

/// The calendar without its VTODO components.
fn without_todos(ics: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in ics.split_inclusive("\r\n") {
        match line {
            "BEGIN:VTODO\r\n" => inside = true,
            "END:VTODO\r\n" => inside = false,
            _ if !inside => out.push_str(line),
            _ => {}
        }
    }
    out
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("valid JSON, checked")
}

/// A 0-byte customers.csv (a sheet saved empty) is an error every command names, not an
/// empty book and never a panic: `check` lists it (exit 1), the others stop on it (exit 2).
#[test]
fn a_zero_byte_book_is_an_error_every_command_names() {
    let ws = workspace("", Some(LOG_HEADER));
    let out = expect(&ws, &["check"], 1);
    assert_text("check stdout", "", &String::from_utf8_lossy(&out.stdout));
    assert!(
        stderr(&out).starts_with("clientele: error: customers.csv: the customer book is empty"),
        "{}",
        stderr(&out)
    );
    for run in every_read_only_run(Some("c1")).iter().skip(1) {
        let args: Vec<&str> = run.args.iter().map(String::as_str).collect();
        let out = expect(&ws, &args, 2);
        assert_text(
            &format!("stdout of {}", run.line()),
            "",
            &String::from_utf8_lossy(&out.stdout),
        );
        assert!(
            stderr(&out).starts_with("clientele: error: customers.csv: the customer book is empty"),
            "`{}`: {}",
            run.line(),
            stderr(&out)
        );
    }
    // And without a log at all.
    let ws = workspace("", None);
    expect(&ws, &["due", "--format", "json"], 2);
    expect(&ws, &["check"], 1);
}

/// A header-only book: every command succeeds and lists nothing, each format in its own
/// way; `show` of any id is an error.
#[test]
fn a_header_only_book_lists_nothing_in_every_format() {
    let ws = workspace(
        "id,name,owner,grade,revenue,last_contact\n",
        Some(LOG_HEADER),
    );
    let before = ws.snapshot();
    for run in every_read_only_run(None) {
        let args: Vec<&str> = run.args.iter().map(String::as_str).collect();
        expect(&ws, &args, 0);
    }
    assert_text(
        "check",
        "ok: 0 customers, 0 activities, 9 rule files (0 from the workspace)\n",
        &stdout(&ws, &["check"]),
    );
    assert_lists_nothing(&ws, &["due"], DUE_HEADER);
    assert_lists_nothing(&ws, &["due", "--within", "3m"], DUE_HEADER);
    for scheme in SCHEMES {
        assert_lists_nothing(&ws, &["tier", "--scheme", scheme], TIER_HEADER);
    }
    assert_lists_nothing(&ws, &["report", "--section", "owners"], OWNERS_HEADER);
    // classify's columns, as it prints them above a customer.
    let one = workspace(
        "id,name,owner,grade,revenue,last_contact\nc1,A,,C,1,\n",
        None,
    );
    for explain in [&[][..], &["--explain"][..]] {
        let args: Vec<&str> = ["classify"].iter().chain(explain).copied().collect();
        let listed = stdout(&one, &[&args[..], &["--format", "csv"]].concat());
        let header = listed.lines().next().expect("a header line");
        assert_lists_nothing(&ws, &args, header);
    }
    // Nothing due is success, and a failure with --exit-code.
    let out = expect(&ws, &["due", "--exit-code"], 1);
    assert!(out.stdout.is_empty());

    let report = json(&stdout(&ws, &["report", "--format", "json"]));
    for stage in report["stages"].as_array().expect("stages") {
        assert_eq!(stage["count"], 0, "{stage}");
    }
    assert_eq!(report["owners"], serde_json::json!([]));
    assert_eq!(report["key_customers"], serde_json::json!([]));

    let out = expect(&ws, &["show", "c1", "--format", "json"], 2);
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("\"c1\""), "{}", stderr(&out));
    ws.assert_unchanged(&before);
}

/// One customer, touched once: nothing due today, the C cadence two months on, a 100% ABC
/// class A, one owner with one customer.
#[test]
fn one_customer() {
    let ws = workspace(
        "id,name,owner,grade,revenue,last_contact\nc1,Alpha,Li Wei,C,1000,2026-11-02\n",
        Some("date,customer_id,kind,amount,note\n2026-11-02,c1,call,,first call\n"),
    );
    let before = ws.snapshot();
    for run in every_read_only_run(Some("c1")) {
        let args: Vec<&str> = run.args.iter().map(String::as_str).collect();
        expect(&ws, &args, 0);
    }
    ws.assert_unchanged(&before);
    assert_text(
        "check",
        "ok: 1 customer, 1 activity, 9 rule files (0 from the workspace)\n",
        &stdout(&ws, &["check"]),
    );
    // C every 2 months from Monday Nov 2: Saturday Jan 2, moved to Monday Jan 4 (2027 has
    // no holidays file: weekends only).
    assert_lists_nothing(&ws, &["due"], DUE_HEADER);
    let columns = [
        "--columns",
        "due,overdue_days,id,name,owner,grade,reason,last_note",
    ];
    assert_text(
        "due --within 2m",
        "due\toverdue_days\tid\tname\towner\tgrade\treason\tlast_note\n\
         2027-01-04\t-43\tc1\tAlpha\tLi Wei\tC\tC every 2 months\tfirst call\n",
        &stdout(
            &ws,
            &[&["due", "--within", "2m", "--format", "tsv"][..], &columns].concat(),
        ),
    );
    let listed = json(&stdout(&ws, &["due", "--within", "2m", "--format", "json"]));
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["id"], "c1");
    assert_eq!(listed[0]["reason"], serde_json::json!(["C every 2 months"]));
    // The calendar of one to-do is the empty calendar around it.
    let ics = stdout(&ws, &["due", "--within", "2m", "--format", "ics"]);
    let lines = ics_lines(&ics).expect("a valid calendar");
    assert_eq!(lines.iter().filter(|l| **l == "BEGIN:VTODO").count(), 1);
    assert!(lines.contains(&"UID:c1-every-20270104@clientele"), "{ics}");
    assert_text(
        "the calendar without its to-do",
        EMPTY_CALENDAR,
        &without_todos(&ics),
    );

    assert_text(
        "tier --scheme abc",
        "id\tname\tscheme\ttier\tmetric\tshare\tcumulative_share\trank\n\
         c1\tAlpha\tabc\tA\t1000.00\t100.00\t100.00\t1\n",
        &stdout(&ws, &["tier", "--scheme", "abc", "--format", "tsv"]),
    );
    assert_text(
        "report --section owners",
        "owner\tcustomers\tdue_today\toverdue\tlate\tnext_7_days\nLi Wei\t1\t0\t0\t0\t0\n",
        &stdout(&ws, &["report", "--section", "owners", "--format", "tsv"]),
    );
    let report = json(&stdout(&ws, &["report", "--format", "json"]));
    let grades = report["grades"].as_array().expect("grades");
    let c = grades.iter().find(|g| g["grade"] == "C").expect("grade C");
    assert_eq!(
        (c["count"].as_u64(), c["revenue"].as_f64()),
        (Some(1), Some(1000.0))
    );
    assert_eq!(report["abc"][0]["count"], 1);
    assert_eq!(report["top20_share"].as_f64(), Some(100.0));

    let classified = json(&stdout(&ws, &["classify", "--format", "json"]));
    assert_eq!(classified.as_array().map(Vec::len), Some(1), "{classified}");
    assert_eq!(classified[0]["id"], "c1");
    for scheme in SCHEMES {
        let tiers = json(&stdout(
            &ws,
            &["tier", "--scheme", scheme, "--format", "json"],
        ));
        assert_eq!(tiers.as_array().map(Vec::len), Some(1), "{scheme}: {tiers}");
        assert_eq!(tiers[0]["id"], "c1", "{scheme}");
    }
    let shown = json(&stdout(&ws, &["show", "c1", "--format", "json"]));
    assert_eq!(
        (&shown["id"], &shown["name"]),
        (&"c1".into(), &"Alpha".into())
    );
    assert_eq!(shown["log"]["contact_count"], "1");
}

/// A book without an activity log reads as one with an empty log, and no command creates
/// the log.
#[test]
fn a_book_without_a_log() {
    let ws = workspace(
        "id,name,owner,grade,last_contact\n\
         n1,North,王芳,D,2026-08-20\n\
         n2,New,王芳,E,\n\
         n3,Calm,Li Wei,C,2026-11-02\n",
        None,
    );
    let before = ws.snapshot();
    for run in every_read_only_run(Some("n1")) {
        let args: Vec<&str> = run.args.iter().map(String::as_str).collect();
        expect(&ws, &args, 0);
    }
    ws.assert_unchanged(&before);
    assert_text(
        "check",
        "ok: 3 customers, 0 activities, 9 rule files (0 from the workspace)\n",
        &stdout(&ws, &["check"]),
    );
    // D every 3 months from Aug 20: Friday Nov 20, two days overdue. Never contacted: due at
    // once, on the next working day (Monday). C: two months on, Monday Jan 4.
    let columns = [
        "--format",
        "tsv",
        "--columns",
        "due,overdue_days,id,grade,reason",
    ];
    assert_text(
        "due",
        "due\toverdue_days\tid\tgrade\treason\n2026-11-20\t2\tn1\tD\tD every 3 months\n",
        &stdout(&ws, &[&["due"][..], &columns].concat()),
    );
    assert_text(
        "due --within 7d",
        "due\toverdue_days\tid\tgrade\treason\n\
         2026-11-20\t2\tn1\tD\tD every 3 months\n\
         2026-11-23\t-1\tn2\tE\tnever contacted\n",
        &stdout(&ws, &[&["due", "--within", "7d"][..], &columns].concat()),
    );
    assert_text(
        "report --section owners",
        "owner\tcustomers\tdue_today\toverdue\tlate\tnext_7_days\n\
         Li Wei\t1\t0\t0\t0\t0\n\
         王芳\t2\t0\t1\t0\t1\n",
        &stdout(&ws, &["report", "--section", "owners", "--format", "tsv"]),
    );
    let shown = json(&stdout(&ws, &["show", "n2", "--format", "json"]));
    assert_eq!(shown["log"]["order_count"], "0");
    assert_eq!(shown["activity"], serde_json::json!([]));
    ws.assert_unchanged(&before);
}

/// Every metric zero (revenue, profit, points, no orders): no division by zero shows as NaN
/// or a bogus share; every ranked scheme puts everyone in its last tier, with a warning.
#[test]
fn a_book_whose_every_metric_is_zero() {
    let ws = workspace(
        "id,name,owner,grade,revenue,profit,points,last_contact\n\
         z1,Zero,Li Wei,C,0,0,0,2026-11-02\n\
         z2,Nil,Li Wei,D,0.00,￥0.00,0,2026-09-20\n",
        Some(LOG_HEADER),
    );
    let before = ws.snapshot();
    for run in every_read_only_run(Some("z1")) {
        let args: Vec<&str> = run.args.iter().map(String::as_str).collect();
        expect(&ws, &args, 0);
    }
    ws.assert_unchanged(&before);
    // C from Nov 2: Jan 4; D from Sep 20: Sunday Dec 20, moved to Monday Dec 21.
    assert_lists_nothing(&ws, &["due"], DUE_HEADER);
    let out = expect(&ws, &["tier", "--scheme", "abc", "--format", "tsv"], 0);
    assert_text(
        "tier --scheme abc",
        "id\tname\tscheme\ttier\tmetric\tshare\tcumulative_share\trank\n\
         z1\tZero\tabc\tC\t0.00\t0.00\t0.00\t1\n\
         z2\tNil\tabc\tC\t0.00\t0.00\t0.00\t2\n",
        &String::from_utf8_lossy(&out.stdout),
    );
    assert!(
        stderr(&out).contains("no customer has a value above zero"),
        "{}",
        stderr(&out)
    );
    for (scheme, last) in [("abc", "C"), ("pyramid", "small"), ("stars", "quasi-star")] {
        let tiers = json(&stdout(
            &ws,
            &["tier", "--scheme", scheme, "--format", "json"],
        ));
        let tiers = tiers.as_array().expect("rows");
        assert_eq!(tiers.len(), 2, "{scheme}");
        for row in tiers {
            assert_eq!(row["tier"], last, "{scheme}: {row}");
        }
    }
    let report = json(&stdout(&ws, &["report", "--format", "json"]));
    assert_eq!(report["top20_share"].as_f64(), Some(0.0));
    let classes: Vec<_> = report["abc"]
        .as_array()
        .expect("abc")
        .iter()
        .map(|c| {
            (
                c["class"].as_str(),
                c["count"].as_u64(),
                c["revenue_share"].as_f64(),
            )
        })
        .collect();
    assert_eq!(
        classes,
        [
            (Some("A"), Some(0), Some(0.0)),
            (Some("B"), Some(0), Some(0.0)),
            (Some("C"), Some(2), Some(0.0))
        ]
    );
    let shown = json(&stdout(&ws, &["show", "z2", "--format", "json"]));
    assert_eq!(shown["book"]["revenue"], "0.00");
}

/// Amounts as large as a cell holds, two of which together pass i64::MAX cents: the report
/// either adds them right or says it cannot, and never panics. (Found by
/// every_read_only_command_survives_amounts_at_the_limit: `report` added the revenues in i64
/// and panicked, "attempt to add with overflow", in every format; the first case below.)
#[test]
fn report_of_revenues_at_the_limit() {
    let books = [
        (
            "id,revenue\nc0,92233720368547758.07\nc1,0.01\n",
            LOG_HEADER.to_string(),
        ),
        (
            "id,revenue\nc0,90000000000000000\nc1,90000000000000000\n",
            LOG_HEADER.to_string(),
        ),
        (
            "id\nc0\nc1\n",
            format!(
                "{LOG_HEADER}2026-01-01,c0,order,90000000000000000,\n\
                 2026-02-01,c1,order,90000000000000000,\n"
            ),
        ),
    ];
    for (customers, log) in books {
        let files = Files {
            customers: customers.to_string(),
            activities: Some(log),
            first_id: Some("c0".to_string()),
        };
        let found = problems(&files);
        assert!(found.is_empty(), "{files:?}\n{}", found.join("\n\n"));
    }
}

/// Whether stderr holds a `clientele: error:` line with only warnings and notes before it
/// (loading the files warns as it reads, before the command finds its error).
fn error_after_warnings(stderr: &str) -> bool {
    stderr.lines().any(|l| l.starts_with("clientele: error:"))
        && stderr
            .lines()
            .take_while(|l| !l.starts_with("clientele: error:"))
            .all(|l| l.starts_with("clientele: warning:") || l.starts_with("clientele: note:"))
}

/// An exit 2 says its error after the warnings that loading printed, each on its own line.
// Shrunk from every_read_only_command_survives_amounts_at_the_limit (by hand from its
// 18-row log): customers.csv "id,revenue\nc0,92233720368547758.07\nc1,0.01\n", activities.csv
// "date,customer_id,kind,amount,note\nsomeday,c0,call,,\n"; `clientele report --format json`
// (and every report run) exits 2 with stderr
//   clientele: warning: activities.csv: 1 unreadable row skipped, see `clientele check`
//   clientele: error: the book's revenues add up to more than clientele can count (…)
// The same order, found by hand, for every error raised after loading: `show ghost`,
// `classify ghost`, `tier --scheme nope`.
#[test]
fn an_error_after_warnings_is_said_after_them() {
    let log = format!("{LOG_HEADER}someday,c0,call,,\n");
    let overflow = workspace("id,revenue\nc0,92233720368547758.07\nc1,0.01\n", Some(&log));
    let plain = workspace("id,revenue\nc0,1\n", Some(&log));
    let cases: [(&Workspace, &[&str]); 4] = [
        (&overflow, &["report", "--format", "json"]),
        (&plain, &["show", "ghost", "--format", "json"]),
        (&plain, &["classify", "ghost", "--format", "json"]),
        (&plain, &["tier", "--scheme", "nope", "--format", "json"]),
    ];
    let mut wrong = Vec::new();
    for (ws, args) in cases {
        let out = ws.command(args).output().expect("run clientele");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = stderr(&out);
        if !error_after_warnings(&stderr) || !stderr.starts_with("clientele: warning:") {
            wrong.push(format!("`clientele {}`:\n{stderr}", args.join(" ")));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
