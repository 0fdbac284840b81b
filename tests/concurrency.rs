//! Fifty real runs at once on one workspace: `log`, `snooze`, `plan`, `promote` (of one
//! customer each, or `--auto`), `tier --write` and `classify --write` started together (every
//! process spawned before any is waited for) on a generated book of 300 customers with its
//! activity log, once as a CSV book and once as a folder of one TOML file per customer. The
//! workspace's lock makes them take turns; whatever the turns, nothing may be lost: every run
//! succeeds, every row any run wrote is in the log exactly once and whole, every change is in
//! the book, the book ends exactly as the same runs leave it one after another, and nothing
//! of the runs' own (a temporary file, a journal) is left.
//!
//! The book is made so that the runs commute (the order of the turns does not change the
//! end): each `snooze`, `plan` and `promote ID` has a customer of its own, every customer's
//! grade follows from its last order (which no run changes) or the black list, its type from
//! its traits (which no run changes), and `promote --auto` and `promote ID` are never mixed.
//! The one thing the order decides is whose reason a grade change's row gives, `tier`'s or
//! `promote --auto`'s: rows are compared without it. The test checks that premise itself:
//! the runs one after another, forwards and backwards, end the same.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};

use crate::util::Workspace;

const TODAY: &str = "2026-11-22";
const CUSTOMERS: usize = 300;
const LOG_ROWS: usize = 600;
const LOG_HEADER: &str = "date,customer_id,kind,amount,note\n";

/// A workspace's files by path.
type Files = BTreeMap<PathBuf, Vec<u8>>;

#[derive(Clone, Copy, Debug)]
enum Form {
    Csv,
    TomlFolder,
}

fn id(i: usize) -> String {
    format!("C{i:03}")
}

fn today() -> NaiveDate {
    TODAY.parse().expect("a date")
}

fn days_before(days: usize) -> String {
    (today() - Days::new(days as u64)).to_string()
}

/// Traits that make `classify` pick a type (the nine types' strong and weak signals), and
/// that type; the last has none, which is the fallback.
const TRAITS: [(&str, &str); 5] = [
    ("not_swayed_by_relationship;compares_suppliers", "rational"),
    ("delegated_task;good_enough", "task"),
    ("business_owner;upright", "owner"),
    ("friend;referral;asks_favours", "relationship"),
    ("", "composite"),
];

/// Customer `i` (from 1) as (column, value) pairs, empty values left out.
fn customer(i: usize) -> Vec<(&'static str, String)> {
    let name = match i {
        _ if i.is_multiple_of(7) => format!("Lin, Trading {i}"),
        _ if i.is_multiple_of(11) => format!("客户{i}"),
        _ => format!("Customer {i}"),
    };
    // Every tenth customer is a potential one whose trial has started: `promote` moves it on.
    let (stage, trial_started) = match i % 10 {
        1 => ("potential", "yes"),
        _ => (["trial", "intent", "quasi", "formal"][i % 4], ""),
    };
    let fields = [
        ("id", id(i)),
        ("name", name),
        ("owner", ["Wang", "Li", "Zhang"][i % 3].to_string()),
        ("stage", stage.to_string()),
        // Never what `tier` gives (A from the last order, E on the black list): it writes all.
        ("grade", ["B", "C", "D"][i % 3].to_string()),
        ("type", "composite".to_string()),
        ("traits", TRAITS[i % 5].0.to_string()),
        ("last_contact", days_before(3 + i % 40)),
        ("last_order", days_before(30 + i % 200)),
        ("trial_started", trial_started.to_string()),
        (
            "list",
            if i.is_multiple_of(37) { "black" } else { "" }.to_string(),
        ),
    ];
    fields.into_iter().filter(|(_, v)| !v.is_empty()).collect()
}

const COLUMNS: [&str; 11] = [
    "id",
    "name",
    "owner",
    "stage",
    "grade",
    "type",
    "traits",
    "last_contact",
    "last_order",
    "trial_started",
    "list",
];

/// The book in `form`, its log and (for a folder) the `clientele.toml` naming it.
fn book(form: Form) -> Files {
    let mut files = Files::new();
    let mut log = String::from(LOG_HEADER);
    for k in 0..LOG_ROWS {
        let kind = if k % 4 == 0 { "visit" } else { "call" };
        log.push_str(&format!(
            "{},{},{kind},,\"note {k}, from the past\"\n",
            days_before(200 - k / 3),
            id(k % CUSTOMERS + 1)
        ));
    }
    files.insert("activities.csv".into(), log.into_bytes());
    match form {
        Form::Csv => {
            let mut csv = COLUMNS.join(",") + ",snooze_until,next_contact,next_step\n";
            for i in 1..=CUSTOMERS {
                let fields = customer(i);
                let cells: Vec<String> = COLUMNS
                    .iter()
                    .map(|c| {
                        let v = fields
                            .iter()
                            .find(|(k, _)| k == c)
                            .map_or("", |(_, v)| v.as_str());
                        if v.contains(',') {
                            format!("\"{v}\"")
                        } else {
                            v.to_string()
                        }
                    })
                    .collect();
                csv.push_str(&cells.join(","));
                csv.push_str(",,,\n");
            }
            files.insert("customers.csv".into(), csv.into_bytes());
        }
        Form::TomlFolder => {
            files.insert(
                "clientele.toml".into(),
                b"customers = \"customers\"\n".to_vec(),
            );
            for i in 1..=CUSTOMERS {
                let text: String = customer(i)
                    .into_iter()
                    .map(|(k, v)| format!("{k} = \"{v}\"\n"))
                    .collect();
                files.insert(
                    Path::new("customers").join(format!("{}.toml", id(i))),
                    text.into_bytes(),
                );
            }
        }
    }
    files
}

/// What one run is, for the checks afterwards.
#[derive(Clone, Debug)]
enum Run {
    Log {
        id: String,
        note: String,
    },
    Snooze {
        id: String,
        until: String,
    },
    Plan {
        id: String,
        on: String,
        note: String,
    },
    Promote {
        id: String,
    },
    /// `promote --auto`: every customer to the highest stage its gates allow (the potential
    /// ones whose trial started: to trial), and its grade as the rules give it.
    PromoteAuto,
    Tier,
    Classify,
}

impl Run {
    fn args(&self) -> Vec<String> {
        let mut args: Vec<String> = match self {
            Run::Log { id, note } => vec!["log", id, "call", "--note", note],
            Run::Snooze { id, until } => vec!["snooze", id, until],
            Run::Plan { id, on, note } => vec!["plan", id, on, "--note", note],
            Run::Promote { id } => vec!["promote", id],
            Run::PromoteAuto => vec!["promote", "--auto"],
            Run::Tier => vec!["tier", "--scheme", "grade", "--write", "--field", "grade"],
            Run::Classify => vec!["classify", "--write"],
        }
        .into_iter()
        .map(str::to_string)
        .collect();
        args.extend(["--today".to_string(), TODAY.to_string()]);
        args
    }
}

/// The fifty runs, mixed: thirty `log`s (two customers logged twice), six `snooze`s, six
/// `plan`s, and `writers`.
fn runs(writers: Vec<Run>) -> Vec<Run> {
    let mut runs = Vec::new();
    for k in 0..30 {
        let note = if k % 3 == 0 {
            format!("回访 {k}，说好下周再谈")
        } else {
            format!("call {k}, said \"soon\"")
        };
        runs.push(Run::Log {
            id: id(k % 24 * 11 + 2),
            note,
        });
    }
    for j in 0..6 {
        runs.push(Run::Snooze {
            id: id(10 * j + 5),
            until: format!("2026-12-{:02}", 10 + j),
        });
        runs.push(Run::Plan {
            id: id(10 * j + 6),
            on: format!("2026-12-{:02}", 1 + j),
            note: format!("plan {j}: send the quote"),
        });
    }
    runs.extend(writers);
    assert_eq!(runs.len(), 50);
    // Mixed, so that the book's writers are spread among the logs.
    (0..runs.len())
        .map(|i| runs[i * 17 % runs.len()].clone())
        .collect()
}

fn workspace(files: &Files) -> Workspace {
    files
        .iter()
        .fold(Workspace::new(), |ws, (path, bytes)| ws.file(path, bytes))
}

/// Every file of the workspace, clientele's own included.
fn files(ws: &Workspace) -> Files {
    ws.snapshot().into_iter().collect()
}

/// The book's files (the folder's, or the CSV file).
fn book_files(files: &Files) -> Files {
    files
        .iter()
        .filter(|(p, _)| p.starts_with("customers") || p.as_path() == Path::new("customers.csv"))
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect()
}

/// The rows the runs added to the log (parsed, sorted), after asserting that the log still
/// begins with every byte it had. A grade change's reason is left out: `tier` and
/// `promote --auto` give the same grade, each with its own reason, and which of them makes
/// the change depends on who goes first.
fn added_rows(before: &[u8], log: &[u8]) -> Vec<[String; 5]> {
    assert!(
        log.starts_with(before),
        "the log's old rows are not all there, byte for byte"
    );
    assert!(log.ends_with(b"\n"), "the log ends with a whole line");
    let mut text = LOG_HEADER.as_bytes().to_vec();
    text.extend_from_slice(&log[before.len()..]);
    let mut rows: Vec<[String; 5]> = csv::Reader::from_reader(text.as_slice())
        .records()
        .map(|r| {
            let r = r.expect("an added row reads as CSV");
            assert_eq!(r.len(), 5, "a whole row: {r:?}");
            let mut row: [String; 5] = std::array::from_fn(|i| r[i].to_string());
            if row[2] == "grade_change" {
                row[4] = row[4].split("; ").next().unwrap_or_default().to_string();
            }
            row
        })
        .collect();
    rows.sort();
    rows
}

/// Each customer's values by column, read back with the csv and toml crates.
fn records(form: Form, files: &Files) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    match form {
        Form::Csv => {
            let csv = &files[Path::new("customers.csv")];
            let mut reader = csv::Reader::from_reader(csv.as_slice());
            let header = reader.headers().expect("a header").clone();
            for r in reader.records() {
                let r = r.expect("a record");
                let values: BTreeMap<String, String> = header
                    .iter()
                    .zip(r.iter())
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                out.insert(r[0].to_string(), values);
            }
        }
        Form::TomlFolder => {
            for (path, bytes) in files {
                if !path.starts_with("customers") {
                    continue;
                }
                let text = std::str::from_utf8(bytes).expect("UTF-8");
                let table: toml::Table = toml::from_str(text)
                    .unwrap_or_else(|e| panic!("{} reads as TOML: {e}", path.display()));
                let values: BTreeMap<String, String> = table
                    .iter()
                    .map(|(k, v)| {
                        let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                        (k.clone(), v)
                    })
                    .collect();
                out.insert(values["id"].clone(), values);
            }
        }
    }
    out
}

/// Runs `runs` one after another in a fresh copy of `before`, each to succeed.
fn one_after_another(before: &Files, runs: &[Run]) -> Files {
    let ws = workspace(before);
    for run in runs {
        let out = ws.command(run.args()).output().expect("run clientele");
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{:?}: {:?}\n{}",
            run.args(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    files(&ws)
}

/// How one of the runs at once ended.
struct Ended {
    args: Vec<String>,
    code: Option<i32>,
    stderr: String,
}

/// Starts every run in `ws` (all of them before waiting for any), then waits for them all.
/// Their output goes to files outside the workspace, so that no run waits on a full pipe
/// while holding the lock. A run still going after five minutes is a deadlock: all are
/// killed and the test fails.
fn all_at_once(ws: &Workspace, runs: &[Run]) -> Vec<Ended> {
    let out = tempfile::tempdir().expect("a folder for the output");
    let mut children: Vec<(Vec<String>, Child, PathBuf)> = runs
        .iter()
        .enumerate()
        .map(|(n, run)| {
            let err = out.path().join(format!("{n}.stderr"));
            let child = ws
                .command(run.args())
                .stdout(Stdio::from(
                    std::fs::File::create(out.path().join(format!("{n}.stdout")))
                        .expect("create a file"),
                ))
                .stderr(Stdio::from(
                    std::fs::File::create(&err).expect("create a file"),
                ))
                .spawn()
                .expect("start clientele");
            (run.args(), child, err)
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut codes: Vec<Option<Option<i32>>> = vec![None; children.len()];
    while codes.iter().any(Option::is_none) {
        if Instant::now() > deadline {
            for (_, child, _) in &mut children {
                let _ = child.kill();
                let _ = child.wait();
            }
            panic!("runs still going after five minutes: a deadlock?");
        }
        for (n, (_, child, _)) in children.iter_mut().enumerate() {
            if codes[n].is_none()
                && let Some(status) = child.try_wait().expect("poll a run")
            {
                codes[n] = Some(status.code());
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    children
        .into_iter()
        .zip(codes)
        .map(|((args, _, err), code)| Ended {
            args,
            code: code.expect("ended"),
            stderr: std::fs::read_to_string(err).expect("read a run's stderr"),
        })
        .collect()
}

fn fifty_at_once(form: Form, writers: Vec<Run>) {
    let before = book(form);
    let runs = runs(writers);

    // The premise: one after another, in either order, the runs end the same.
    let reference = one_after_another(&before, &runs);
    let reversed: Vec<Run> = runs.iter().rev().cloned().collect();
    let backwards = one_after_another(&before, &reversed);
    assert_eq!(
        book_files(&reference),
        book_files(&backwards),
        "{form:?}: the runs do not commute on this book"
    );
    let old_log = &before[Path::new("activities.csv")];
    let reference_rows = added_rows(old_log, &reference[Path::new("activities.csv")]);
    assert_eq!(
        reference_rows,
        added_rows(old_log, &backwards[Path::new("activities.csv")]),
        "{form:?}: the runs do not commute on this book"
    );

    // All at once.
    let ws = workspace(&before);
    let ended = all_at_once(&ws, &runs);
    let failed: Vec<String> = ended
        .iter()
        .filter(|e| e.code != Some(0) || !e.stderr.is_empty())
        .map(|e| format!("{:?} exited {:?}: {}", e.args, e.code, e.stderr))
        .collect();
    assert!(
        failed.is_empty(),
        "{form:?}: runs failed:\n{}",
        failed.join("\n")
    );
    let after = files(&ws);

    // Nothing left behind: no temporary file, no journal; clientele's lock and the
    // .gitignore beside it are all that is new.
    let mut expected_names: Vec<PathBuf> = before.keys().cloned().collect();
    expected_names.extend([".clientele/.gitignore".into(), ".clientele/lock".into()]);
    expected_names.sort();
    let names: Vec<PathBuf> = after.keys().cloned().collect();
    assert_eq!(names, expected_names, "{form:?}: the workspace's files");

    // The book as the runs one after another leave it, byte for byte.
    let book = book_files(&after);
    for (path, bytes) in book_files(&reference) {
        assert!(
            book.get(&path) == Some(&bytes),
            "{form:?}: {} is not as the runs one after another leave it:\n{}",
            path.display(),
            crate::util::diff(
                &String::from_utf8_lossy(&bytes),
                &String::from_utf8_lossy(book.get(&path).map_or(&[][..], |b| b))
            )
        );
    }

    // The log: its old bytes, then the same rows as one after another, each whole.
    let rows = added_rows(old_log, &after[Path::new("activities.csv")]);
    assert_eq!(rows, reference_rows, "{form:?}: the rows added to the log");
    // And each run's own part, read back on its own: the rows it wrote, each once, and its
    // changes in the book.
    let customers = records(form, &after);
    let value = |id: &str, column: &str| customers[id].get(column).cloned().unwrap_or_default();
    let row = |id: &str, kind: &str, note: &str| -> [String; 5] {
        [TODAY, id, kind, "", note].map(str::to_string)
    };
    let promoted = "potential -> trial; gate of trial holds";
    let mut expected = Vec::new();
    for run in &runs {
        match run {
            Run::Log { id, note } => expected.push(row(id, "call", note)),
            Run::Snooze { id, until } => assert_eq!(&value(id, "snooze_until"), until),
            Run::Plan { id, on, note } => {
                assert_eq!(&value(id, "next_contact"), on, "{run:?}");
                assert_eq!(&value(id, "next_step"), note, "{run:?}");
            }
            Run::Promote { id } => {
                assert_eq!(value(id, "stage"), "trial", "{run:?}");
                expected.push(row(id, "stage_change", promoted));
            }
            Run::PromoteAuto | Run::Tier | Run::Classify => {}
        }
    }
    // `promote --auto` (whichever ran first): every potential customer whose trial started
    // is at trial, with its one row.
    if runs.iter().any(|r| matches!(r, Run::PromoteAuto)) {
        for i in (1..=CUSTOMERS).filter(|i| i % 10 == 1) {
            assert_eq!(value(&id(i), "stage"), "trial", "{}", id(i));
            expected.push(row(&id(i), "stage_change", promoted));
        }
    }
    // `tier` or `promote --auto` and `classify` (whichever ran first of each): every grade
    // and type as the rules give them, and one grade_change row per customer.
    for i in 1..=CUSTOMERS {
        let grade = if i.is_multiple_of(37) { "E" } else { "A" };
        assert_eq!(value(&id(i), "grade"), grade, "{}", id(i));
        assert_eq!(value(&id(i), "type"), TRAITS[i % 5].1, "{}", id(i));
        let old = ["B", "C", "D"][i % 3];
        expected.push(row(&id(i), "grade_change", &format!("{old} -> {grade}")));
    }
    expected.sort();
    assert!(
        rows == expected,
        "{form:?}: the rows added to the log are not those the runs wrote, each once:\n{}",
        crate::util::diff(&format!("{expected:#?}"), &format!("{rows:#?}"))
    );

    // The book and the log read back cleanly.
    let check = ws.run(["check", "--today", TODAY]);
    check.code(0).stderr("").stdout(&format!(
        "ok: {CUSTOMERS} customers, {} activities, 9 rule files (0 from the workspace)\n",
        LOG_ROWS + rows.len()
    ));
}

/// Five `promote ID`, two `tier --write` and a `classify --write` among the fifty.
fn promote_each() -> Vec<Run> {
    let mut writers: Vec<Run> = (0..5)
        .map(|j| Run::Promote { id: id(10 * j + 1) })
        .collect();
    writers.extend([Run::Tier, Run::Tier, Run::Classify]);
    writers
}

/// Four `promote --auto`, two `tier --write` and two `classify --write` among the fifty.
fn promote_auto() -> Vec<Run> {
    let mut writers = vec![Run::PromoteAuto; 4];
    writers.extend([Run::Tier, Run::Tier, Run::Classify, Run::Classify]);
    writers
}

#[cfg(unix)]
#[test]
fn fifty_runs_at_once_on_a_csv_book_lose_nothing() {
    fifty_at_once(Form::Csv, promote_each());
    fifty_at_once(Form::Csv, promote_auto());
}

#[cfg(unix)]
#[test]
fn fifty_runs_at_once_on_a_toml_folder_lose_nothing() {
    fifty_at_once(Form::TomlFolder, promote_each());
    fifty_at_once(Form::TomlFolder, promote_auto());
}
