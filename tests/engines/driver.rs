//! The engines, through `tests/engines/run.py`: one call loads an export folder into an engine
//! and runs a batch of scripts, each in a session of its own, leaving beside each script its
//! rows (`NAME.csv`) or the engine's error (`NAME.err`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// An engine the compiled SQL runs on, named as `run.py` and `--dialect` name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Duckdb,
    Postgres,
    Spark,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Duckdb => "duckdb",
            Engine::Postgres => "postgres",
            Engine::Spark => "spark",
        }
    }
}

fn engines_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/engines")
}

/// The Python that runs `run.py`: `CLIENTELE_PYTHON`, else the virtual environment
/// `bench/.venv` that `.ci/run` (DuckDB) and `.ci/spark` (pyspark) install into.
fn python() -> PathBuf {
    match std::env::var_os("CLIENTELE_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/.venv/bin/python"),
    }
}

/// What one script gave: the CSV text of its rows, or the engine's error.
pub type ScriptResult = Result<String, String>;

/// Loads `export` into `engine` and runs `scripts` (paths ending in `.sql`); one result per
/// script, in order. `Err` when the tables could not be loaded (or the driver not started),
/// with the driver's reason.
pub fn run(
    engine: Engine,
    export: &Path,
    scripts: &[PathBuf],
) -> Result<Vec<ScriptResult>, String> {
    let python = python();
    let out = Command::new(&python)
        .arg(engines_dir().join("run.py"))
        .arg(engine.name())
        .arg(export)
        .args(scripts)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if !out.status.success() {
        return Err(format!(
            "run.py {} exited {:?}: {}",
            engine.name(),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(scripts
        .iter()
        .map(|script| {
            let csv = script.with_extension("csv");
            let err = script.with_extension("err");
            match (std::fs::read_to_string(&csv), std::fs::read_to_string(&err)) {
                (Ok(rows), _) => Ok(rows),
                (_, Ok(error)) => Err(error.trim_end().to_string()),
                _ => Err(format!(
                    "run.py left neither {} nor {}",
                    csv.display(),
                    err.display()
                )),
            }
        })
        .collect())
}

/// The driver alone, on `tests/engines/stand_in/`: a hand-written export (quoted commas,
/// doubled quotes, a line break in a cell, Chinese text, empty cells, a negative decimal, a
/// text that Excel would take for a formula) and the engine's script: a temporary table
/// made by one statement, read by the last, a `;` in a string and in a comment. The rows
/// expected are worked by hand from the two files, in `expected.csv`:
/// C001 has two log rows, orders of 100.25 and 200.00 (total 300.25); C002 one call
/// without an amount (one row, total NULL); C003 none (0 rows, total NULL); C009's row
/// names no customer of the book and shows nowhere.
pub fn stand_in(engine: Engine) {
    let source = engines_dir().join("stand_in");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let export = dir.path();
    let copy = |from: &str, to: &str| {
        std::fs::copy(source.join(from), export.join(to)).expect("copy a stand-in file");
    };
    copy("customers.csv", "customers.csv");
    copy("activities.csv", "activities.csv");
    copy(&format!("schema.{}.sql", engine.name()), "schema.sql");
    let script = format!("script.{}.sql", engine.name());
    // The same script twice: the second meets no temporary table left by the first.
    copy(&script, "first.sql");
    copy(&script, "again.sql");
    std::fs::write(export.join("broken.sql"), "SELEC nonsense;\n").expect("write a script");
    let scripts: Vec<PathBuf> = ["first.sql", "again.sql", "broken.sql"]
        .iter()
        .map(|s| export.join(s))
        .collect();
    let results = run(engine, export, &scripts).unwrap_or_else(|e| panic!("{e}"));
    let expected = std::fs::read_to_string(source.join("expected.csv")).expect("read expected.csv");
    assert_eq!(
        results[0].as_deref(),
        Ok(expected.as_str()),
        "the first run"
    );
    assert_eq!(
        results[1].as_deref(),
        Ok(expected.as_str()),
        "the second run"
    );
    let error = results[2]
        .as_ref()
        .expect_err("a script that does not parse fails");
    assert!(
        error.contains("SELEC"),
        "the error names the bad word: {error}"
    );

    // A file whose header is not the table's columns in order does not load (by position,
    // its cells would land in the wrong columns).
    std::fs::write(
        export.join("activities.csv"),
        "seq,customer_id,date,kind,amount,note\n1,C001,2026-01-31,order,100.25,\n",
    )
    .expect("write activities.csv");
    let refused = run(engine, export, &scripts[..1]).expect_err("a header out of order");
    assert!(
        refused.contains("the header seq,customer_id,date,kind,amount,note is not the columns of table activities in schema.sql (seq,date,customer_id,kind,amount,note)"),
        "{refused}"
    );
}
