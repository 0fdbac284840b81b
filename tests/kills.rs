//! Real runs killed: `promote --auto`, `tier --write`, `classify --write`, `snooze`, `plan` and
//! `log` are SIGKILLed at seeded random moments on a generated book in each form (a CSV file,
//! a TOML file, a folder of TOML files) with its activity log. After each kill the next run
//! (`check`) must leave the workspace exactly as it was before the killed run or exactly as an
//! unkilled run leaves it — every file, together, with no temporary file — and the run after
//! that must work. Half the kills are aimed at the write itself: the moment the journal
//! appears, and a random delay within the write's own duration after it.
//!
//! `cargo test kills` runs a short version; `cargo test -- --ignored kills::many` runs many
//! more kills on larger books and prints its figures (CONTRIBUTING.md).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::Workspace;

/// A workspace's files by path, without clientele's lock and the `.gitignore` beside it.
type Files = BTreeMap<PathBuf, Vec<u8>>;

#[derive(Clone, Copy, Debug)]
enum Form {
    Csv,
    TomlFile,
    TomlFolder,
}

/// The commands killed: each writes the book, the log, or both.
const COMMANDS: [&[&str]; 6] = [
    &["promote", "--auto"],
    &["tier", "--scheme", "grade", "--write", "--field", "grade"],
    &["classify", "--write"],
    &["snooze", "C0000002", "2026-12-14"],
    &["plan", "C0000003", "2026-12-08", "--note", "call back"],
    &["log", "C0000004", "call", "--note", "killed, or not"],
];

/// Deterministic random numbers (xorshift64*), so that a failing trial can be run again.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A duration between zero and `max`.
    fn within(&mut self, max: Duration) -> Duration {
        max.mul_f64((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

/// What the trials found, to assert on (and for the long version to print).
#[derive(Debug, Default)]
struct Tally {
    trials: usize,
    /// Killed with the journal on disk: in the middle of the write.
    mid_write: usize,
    /// The next run said it finished a change, or undid one.
    finished: usize,
    undone: usize,
    /// Left as before the killed run, or as after it.
    old: usize,
    new: usize,
}

/// The generated book in `form`, with its log: the workspace's files.
fn book(form: Form, customers: usize) -> Files {
    let generated = crate::util::generated_book(customers, customers * 5);
    let read =
        |name: &str| std::fs::read(generated.path().join(name)).expect("read gen.py's output");
    let mut files = Files::new();
    files.insert("activities.csv".into(), read("activities.csv"));
    let csv = read("customers.csv");
    match form {
        Form::Csv => {
            files.insert("customers.csv".into(), csv);
        }
        Form::TomlFile => {
            let text: String = tables(&csv)
                .into_iter()
                .map(|(_, keys)| format!("[[customer]]\n{keys}\n"))
                .collect();
            files.insert("customers.toml".into(), text.into_bytes());
        }
        Form::TomlFolder => {
            for (id, keys) in tables(&csv) {
                files.insert(
                    Path::new("customers").join(format!("{id}.toml")),
                    keys.into_bytes(),
                );
            }
        }
    }
    files
}

/// Each customer of a CSV book as TOML keys (its cells that are not empty, as strings).
fn tables(csv: &[u8]) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_reader(csv);
    let header = reader.headers().expect("a header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a record");
            let keys: String = header
                .iter()
                .zip(r.iter())
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| {
                    format!(
                        "{k} = \"{}\"\n",
                        v.replace('\\', "\\\\").replace('"', "\\\"")
                    )
                })
                .collect();
            (r[0].to_string(), keys)
        })
        .collect()
}

/// A fresh workspace holding `files`.
fn workspace(files: &Files) -> Workspace {
    files
        .iter()
        .fold(Workspace::new(), |ws, (path, bytes)| ws.file(path, bytes))
}

/// The workspace's files now, clientele's lock and its `.gitignore` aside: a journal or a
/// temporary file left behind is in it.
fn files(ws: &Workspace) -> Files {
    let mut files = ws.snapshot();
    files.remove(Path::new(".clientele/lock"));
    files.remove(Path::new(".clientele/.gitignore"));
    files
}

/// Runs `args` to the end, asserting it succeeds, and says how long its write took (how long
/// its journal was there; zero when it was not seen).
fn run_whole(ws: &Workspace, args: &[&str]) -> Duration {
    let journal = ws.path().join(".clientele/journal");
    let mut child = ws
        .command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start clientele");
    let (mut seen, mut gone) = (None, None);
    let status = loop {
        if let Some(status) = child.try_wait().expect("poll") {
            break status;
        }
        match (seen, journal.exists()) {
            (None, true) => seen = Some(Instant::now()),
            (Some(at), false) if gone.is_none() => gone = Some(at.elapsed()),
            _ => {}
        }
        if gone.is_some() {
            std::thread::sleep(Duration::from_micros(250));
        } else {
            // A write of one file lasts a millisecond: watch its journal without pause.
            std::thread::yield_now();
        }
    };
    let out = child.wait_with_output().expect("collect the output");
    assert!(
        status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    gone.or(seen.map(|t| t.elapsed())).unwrap_or(Duration::ZERO)
}

/// Kills one run of `args` on a fresh copy of `before`, after `delay` (counted from the start,
/// or from the journal's appearing when `aimed`); then checks what the next runs find.
fn trial(
    before: &Files,
    (once, twice): (&Files, &Files),
    args: &[&str],
    delay: Duration,
    aimed: bool,
    tally: &mut Tally,
    what: &str,
) {
    let ws = workspace(before);
    let journal = ws.path().join(".clientele/journal");
    let mut child = ws
        .command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start clientele");
    let mut start = Instant::now();
    let mut waiting = aimed;
    while child.try_wait().expect("poll").is_none() {
        if waiting && journal.exists() {
            waiting = false;
            start = Instant::now();
        }
        if !waiting && start.elapsed() >= delay {
            let _ = child.kill();
            break;
        }
        if waiting {
            std::thread::yield_now();
        } else {
            std::thread::sleep(Duration::from_micros(50));
        }
    }
    let _ = child.wait();
    tally.trials += 1;
    let pending = journal.exists();
    tally.mid_write += usize::from(pending);

    // The next run finishes or undoes what the killed one left, and says so.
    let check = ws.run(["check"]);
    check.code(0);
    let said = check.stderr_text();
    let now = files(&ws);
    if now == *before {
        tally.old += 1;
    } else if now == *once {
        tally.new += 1;
    } else {
        panic!(
            "{what}: a mix after the kill: {}",
            difference(&now, before, once)
        );
    }
    if said.contains("finished a change") {
        tally.finished += 1;
    } else if said.contains("undone") {
        assert!(now == *before, "{what}: undone, and yet not as before");
        tally.undone += 1;
    } else {
        assert!(
            !pending,
            "{what}: a journal was left, and check said nothing of it"
        );
    }

    // And the run after works, from where the kill left things.
    ws.run(args).code(0);
    let expected = if now == *before { once } else { twice };
    let after = files(&ws);
    assert!(
        after == *expected,
        "{what}: the run after the kill: {}",
        difference(&after, expected, expected)
    );
}

/// The files that differ from both `a` and `b`, for a failure's message.
fn difference(now: &Files, a: &Files, b: &Files) -> String {
    let mut out = Vec::new();
    for (path, bytes) in now {
        if a.get(path) != Some(bytes) && b.get(path) != Some(bytes) {
            out.push(format!("{} is neither", path.display()));
        }
    }
    for path in a.keys().chain(b.keys()) {
        if !now.contains_key(path) {
            out.push(format!("{} is missing", path.display()));
        }
    }
    out.sort();
    out.dedup();
    out.truncate(10);
    out.join(", ")
}

/// Runs `per_command` kills of each command on a book of `customers` in each form (a third of
/// them in a TOML file, whose reading takes time that grows with the square of its length).
fn kills(customers: usize, per_command: usize, seed: u64) -> Vec<(String, Tally)> {
    let mut rng = Seeded(seed);
    let mut out = Vec::new();
    for form in [Form::Csv, Form::TomlFile, Form::TomlFolder] {
        let n = match form {
            Form::TomlFile => customers / 3,
            Form::Csv | Form::TomlFolder => customers,
        };
        let before = book(form, n);
        for args in COMMANDS {
            // The unkilled runs: once, and again after that, and how long each part takes.
            let reference = workspace(&before);
            let started = Instant::now();
            let write = run_whole(&reference, args);
            let whole = started.elapsed();
            let once = files(&reference);
            assert_ne!(once, before, "{form:?} {args:?} changes something");
            run_whole(&reference, args);
            let twice = files(&reference);

            let mut tally = Tally::default();
            for i in 0..per_command {
                let aimed = i % 2 == 1;
                let span = if aimed { write } else { whole };
                let delay = rng.within(span.mul_f64(1.2));
                let what =
                    format!("{form:?} {args:?} trial {i} (kill after {delay:?}, aimed {aimed})");
                trial(
                    &before,
                    (&once, &twice),
                    args,
                    delay,
                    aimed,
                    &mut tally,
                    &what,
                );
            }
            out.push((format!("{form:?} {}", args.join(" ")), tally));
        }
    }
    out
}

/// The short version: every command on every form, killed twice (once at a random moment
/// of the run, once in its write).
#[cfg(unix)]
#[test]
fn a_killed_run_leaves_the_old_files_or_the_new() {
    let found = kills(300, 2, 0x5eed_0001);
    let total: usize = found.iter().map(|(_, t)| t.trials).sum();
    let mid_write: usize = found.iter().map(|(_, t)| t.mid_write).sum();
    assert_eq!(total, 3 * 6 * 2);
    // Kills aimed at the write land in it: the test tests what it says.
    assert!(
        mid_write > 0,
        "no kill landed in the middle of a write: {found:?}"
    );
}

/// The long version, with its figures: `cargo test -- --ignored kills::many --nocapture`.
#[cfg(unix)]
#[test]
#[ignore = "a few minutes: run by hand, figures in CONTRIBUTING.md"]
fn many_killed_runs_leave_the_old_files_or_the_new() {
    let found = kills(3000, 20, 0x5eed_0002);
    let mut sum = Tally::default();
    for (what, t) in &found {
        eprintln!(
            "{what}: {} kills, {} mid-write, next run finished {} and undid {}; old {}, new {}",
            t.trials, t.mid_write, t.finished, t.undone, t.old, t.new
        );
        sum.trials += t.trials;
        sum.mid_write += t.mid_write;
        sum.finished += t.finished;
        sum.undone += t.undone;
        sum.old += t.old;
        sum.new += t.new;
    }
    eprintln!("all: {sum:?}; corrupt 0, left over 0");
    assert!(sum.mid_write > 0);
}
