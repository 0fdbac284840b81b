//! The comparison itself: a book exported for an engine, every job's script generated and run
//! there in one batch, each result compared with the native command's records. Every failure
//! of a book is collected (engine, book, day, job, what differed) and the test fails once with
//! all of them.

use std::path::{Path, PathBuf};

use super::compare::first_difference;
use super::driver::{self, Engine};
use crate::util::{self, Workspace};

/// The type sets of `classify`: the default (nine types) and the two others shipped.
const TYPE_SETS: [Option<&str>; 3] = [None, Some("personality"), Some("buying")];

/// One job: its arguments after the global ones, and what `clientele sql` gets besides.
struct Job {
    args: Vec<String>,
    sql_only: Vec<String>,
}

/// Every job run on a book: `due` alone and with each of its filters (`owner` is an owner of
/// the book), `classify` for each type set, `tier` for each scheme of the book's effective
/// `tiers.toml`, `report` for each section; and `due` once more over the tables under other
/// names (`run.py` makes the views `crm.book` and `crm.log`), as a warehouse names them.
fn jobs(ws: &Workspace, today: &str, owner: &str) -> Vec<Job> {
    let mut jobs: Vec<Vec<&str>> = vec![
        vec!["due"],
        vec!["due", "--within", "30d"],
        vec!["due", "--overdue"],
        vec!["due", "--grade", "A,B"],
        vec!["due", "--owner", owner],
        vec!["due", "--limit", "3"],
    ];
    for set in TYPE_SETS {
        jobs.push(match set {
            None => vec!["classify"],
            Some(set) => vec!["classify", "--set", set],
        });
    }
    let schemes = schemes(ws, today);
    for scheme in &schemes {
        jobs.push(vec!["tier", "--scheme", scheme]);
    }
    // Every section of the report; `changes` with `--since`, below.
    for section in clientele::cmd::report::SECTIONS
        .iter()
        .filter(|&&s| s != "changes")
    {
        jobs.push(vec!["report", "--section", section]);
    }
    jobs.push(vec![
        "report",
        "--section",
        "changes",
        "--since",
        "2026-01-01",
    ]);
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    let mut jobs: Vec<Job> = jobs
        .iter()
        .map(|j| Job {
            args: strings(j),
            sql_only: Vec::new(),
        })
        .collect();
    jobs.push(Job {
        args: strings(&["due"]),
        sql_only: strings(&[
            "--customers-table",
            "crm.book",
            "--activities-table",
            "crm.log",
        ]),
    });
    jobs
}

/// The schemes of the book's effective `tiers.toml`: its `[scheme.NAME]` tables, as
/// `clientele rules tiers` prints the file.
fn schemes(ws: &Workspace, today: &str) -> Vec<String> {
    let out = ws.run(["--today", today, "rules", "tiers"]);
    assert_eq!(
        out.exit_code(),
        Some(0),
        "clientele rules tiers: {}",
        out.stderr_text()
    );
    out.stdout_text()
        .lines()
        .filter_map(|line| line.trim().strip_prefix("[scheme.")?.strip_suffix(']'))
        .map(str::to_string)
        .collect()
}

/// Runs every job of one book on one day on `engine`; the failures, each described in full.
fn compare_book(
    engine: Engine,
    ws: &Workspace,
    book: &str,
    today: &str,
    owner: &str,
) -> Vec<String> {
    let tag = format!("[{}] book {book}, today {today}", engine.name());
    let dir = tempfile::tempdir().expect("a temporary folder");
    let export = dir.path().join("export");
    let out = ws.run([
        "--today",
        today,
        "export",
        path_str(&export),
        "--raw",
        "--dialect",
        engine.name(),
    ]);
    if out.exit_code() != Some(0) {
        return vec![format!(
            "{tag}: `clientele export --raw --dialect {}` exited {:?}:\n{}",
            engine.name(),
            out.exit_code(),
            out.stderr_text()
        )];
    }
    let mut failures = Vec::new();
    // (job, clientele's csv, the script's path)
    let mut runs: Vec<(String, String, PathBuf)> = Vec::new();
    for (
        k,
        Job {
            args: job,
            sql_only,
        },
    ) in jobs(ws, today, owner).into_iter().enumerate()
    {
        let shown = [job.as_slice(), sql_only.as_slice()].concat().join(" ");
        let mut native_args = vec!["--today", today];
        native_args.extend(job.iter().map(String::as_str));
        native_args.extend(["--format", "csv", "--header", "always"]);
        let native = ws.run(&native_args);
        if native.exit_code() != Some(0) {
            failures.push(format!(
                "{tag}, `{shown}`: clientele itself exited {:?}:\n{}",
                native.exit_code(),
                native.stderr_text()
            ));
            continue;
        }
        let mut sql_args = vec!["--today", today, "sql", job[0].as_str(), "--dialect"];
        sql_args.push(engine.name());
        sql_args.extend(job[1..].iter().chain(&sql_only).map(String::as_str));
        let sql = ws.run(&sql_args);
        if sql.exit_code() != Some(0) {
            failures.push(format!(
                "{tag}, `{shown}`: `clientele sql {shown} --dialect {}` exited {:?}:\n{}",
                engine.name(),
                sql.exit_code(),
                sql.stderr_text()
            ));
            continue;
        }
        let script = dir.path().join(format!("{k:02}.sql"));
        std::fs::write(&script, sql.stdout_text()).expect("write a script");
        runs.push((shown, native.stdout_text(), script));
    }
    if runs.is_empty() {
        return failures;
    }
    let scripts: Vec<PathBuf> = runs.iter().map(|(_, _, s)| s.clone()).collect();
    let results = match driver::run(engine, &export, &scripts) {
        Ok(r) => r,
        Err(e) => {
            failures.push(format!("{tag}: loading the export failed: {e}"));
            keep_on_failure(dir, &tag, &mut failures);
            return failures;
        }
    };
    for ((shown, native, script), result) in runs.iter().zip(results) {
        let name = script
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into());
        match result {
            Err(e) => failures.push(format!("{tag}, `{shown}` ({name}): the engine failed: {e}")),
            Ok(rows) => {
                if let Some(diff) = first_difference(native, &rows) {
                    failures.push(format!("{tag}, `{shown}` ({name}): {diff}"));
                }
            }
        }
    }
    keep_on_failure(dir, &tag, &mut failures);
    failures
}

/// With `CLIENTELE_ENGINES_KEEP` set, a book's folder of a failed comparison (the export,
/// each job's script `NN.sql` and the engine's `NN.csv` or `NN.err`) is kept, and named.
fn keep_on_failure(dir: tempfile::TempDir, tag: &str, failures: &mut Vec<String>) {
    if !failures.is_empty() && std::env::var_os("CLIENTELE_ENGINES_KEEP").is_some() {
        let kept = dir.keep();
        failures.push(format!(
            "{tag}: the export and the scripts are kept in {}",
            kept.display()
        ));
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("a temporary path is UTF-8")
}

/// Fails with every failure listed, when there is one.
fn report(engine: Engine, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} comparison(s) failed on {}:\n\n{}",
        failures.len(),
        engine.name(),
        failures.join("\n\n")
    );
}

/// Copies a folder's files into a fresh workspace, subfolders too.
fn workspace_from(dir: &Path) -> Workspace {
    let mut ws = Workspace::new();
    for name in util::names(dir) {
        let from = dir.join(&name);
        if from.is_dir() {
            for inner in util::names(&from) {
                let bytes = std::fs::read(from.join(&inner)).expect("read a book file");
                ws = ws.file(Path::new(&name).join(inner), bytes);
            }
        } else {
            ws = ws.file(&name, std::fs::read(&from).expect("read a book file"));
        }
    }
    ws
}

/// The small books: each folder of tests/engines/books/, on each day of its `today` file
/// (one date a line), with 王芳 as the owner `due --owner` asks for. `CLIENTELE_ENGINES_BOOKS`
/// (names, comma-separated) runs only those: on Spark a book takes minutes.
pub fn small_books(engine: Engine) {
    let books = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/engines/books");
    let only: Option<Vec<String>> = std::env::var("CLIENTELE_ENGINES_BOOKS")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let names: Vec<String> = util::names(&books)
        .into_iter()
        .filter(|book| only.as_ref().is_none_or(|o| o.contains(book)))
        .collect();
    assert!(
        !names.is_empty(),
        "CLIENTELE_ENGINES_BOOKS names no book of tests/engines/books"
    );
    let mut failures = Vec::new();
    for book in names {
        let ws = workspace_from(&books.join(&book));
        let days = std::fs::read_to_string(books.join(&book).join("today"))
            .unwrap_or_else(|e| panic!("{book}/today: {e}"));
        for today in days.lines().map(str::trim).filter(|l| !l.is_empty()) {
            failures.extend(compare_book(engine, &ws, &book, today, "王芳"));
        }
    }
    report(engine, &failures);
}

/// A book from bench/gen.py, 10,000 customers and 100,000 log rows, on the harness's day.
pub fn generated_book(engine: Engine) {
    let ws = util::generated_book(10_000, 100_000);
    let failures = compare_book(engine, &ws, "generated 10k/100k", util::TODAY, "Alice Wang");
    report(engine, &failures);
}
