//! A person saves a file while a run is changing it: the window between the tool's read and
//! its write, made to happen every time with the `failpoints` build's pause
//! (`CLIENTELE_PAUSE=STEP:FLAG`, `src/store/pause.rs`): the run stops at the step, the test
//! makes the person's edit, then lets the run go on.
//!
//! What must come of it, on every form of the book: the person's bytes are on disk exactly as
//! they saved them. A file the change would write is refused (exit 2, the refusal naming the
//! file, nothing written, no temporary file or journal left). Another file of a folder book,
//! one the change does not write, is the person's business: the change goes ahead and their
//! file is left as they saved it, as if they had saved it a moment after the run. A workbook
//! is never written at all. Rows typed into the activity log meanwhile are kept, and the
//! run's rows follow them, whole; a log cut or left in the middle of a line is refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::{Workspace, diff};

/// A workspace's files by path.
type Files = BTreeMap<PathBuf, Vec<u8>>;

const BOOK: &str = "id,name,stage,grade,trial_started,snooze_until\n\
                    c1,Ann,potential,C,yes,\n\
                    c2,Bee,trial,B,,\n";
/// The book as Excel saves it after the person renamed Bee: CRLF, the new name.
const SAVED: &str = "id,name,stage,grade,trial_started,snooze_until\r\n\
                     c1,Ann,potential,C,yes,\r\n\
                     c2,Bee (saved in Excel),trial,B,,\r\n";
const LOG: &str = "date,customer_id,kind,amount,note\n2026-11-01,c1,call,,hello\n";
/// A row the person types at the end of the log.
const TYPED: &str = "2026-11-21,c2,visit,,typed by hand\n";

/// The refusal of a write to `file`, which the person saved meanwhile.
fn refusal(file: &str) -> String {
    format!(
        "clientele: error: {file} changed on disk since it was read (saved in another \
         program?); nothing written, run again\n"
    )
}

/// How a paused run ended.
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Whether it reached the pause (and the person's edit was made).
    paused: bool,
}

/// Runs `args` in `ws`, pausing it at `step`; while it waits there, `edit` (the person) acts
/// on the workspace. A run that ends without reaching the step is let be.
fn paused(ws: &Workspace, step: &str, args: &[&str], edit: impl FnOnce(&Path)) -> Ran {
    let flags = tempfile::tempdir().expect("a folder for the flags");
    let flag = flags.path().join("flag");
    let ready = flags.path().join("flag.ready");
    let mut child = ws
        .command(args)
        .env("CLIENTELE_PAUSE", format!("{step}:{}", flag.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start clientele");
    // A safety net against a hang, not a timing assertion.
    let deadline = Instant::now() + Duration::from_secs(60);
    let paused = loop {
        if ready.exists() {
            break true;
        }
        if child.try_wait().expect("poll the run").is_some() {
            break false;
        }
        assert!(Instant::now() < deadline, "{args:?} never reached {step}");
        std::thread::sleep(Duration::from_millis(5));
    };
    if paused {
        edit(ws.path());
        std::fs::write(flags.path().join("flag.go"), "").expect("say go");
    }
    let out = child.wait_with_output().expect("wait for the run");
    Ran {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
        paused,
    }
}

impl Ran {
    /// Asserts the run paused, then exited with `code` and printed `stderr` exactly.
    fn ended(&self, code: i32, stderr: &str) -> &Ran {
        assert!(
            self.paused,
            "the run never reached its pause: {}",
            self.stderr
        );
        assert!(
            self.stderr == stderr,
            "stderr differs (- expected, + actual):\n{}",
            diff(stderr, &self.stderr)
        );
        assert_eq!(self.code, Some(code), "exit code; stderr: {}", self.stderr);
        self
    }
}

fn workspace(files: &[(&str, &[u8])]) -> Workspace {
    files
        .iter()
        .fold(Workspace::new(), |ws, (path, bytes)| ws.file(path, bytes))
}

/// Writes `bytes` to the workspace's `path`, as an editor saving in place does.
fn save(root: &Path, path: &str, bytes: &[u8]) {
    std::fs::write(root.join(path), bytes).expect("the person saves");
}

/// Appends `bytes` to the workspace's `path`, as `echo >>` or an editor's append does.
fn append(root: &Path, path: &str, bytes: &[u8]) {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .append(true)
        .open(root.join(path))
        .and_then(|mut f| f.write_all(bytes))
        .expect("the person appends");
}

/// Asserts the workspace holds exactly `expected` (by path and bytes), besides clientele's
/// lock and the `.gitignore` beside it: no temporary file, no journal, nothing else written.
fn assert_files(ws: &Workspace, expected: &[(&str, &[u8])]) {
    let mut now: Files = ws.snapshot();
    assert!(
        now.remove(Path::new(".clientele/lock")).is_some(),
        "no lock"
    );
    now.remove(Path::new(".clientele/.gitignore"));
    let expected: Files = expected
        .iter()
        .map(|(p, b)| (PathBuf::from(p), b.to_vec()))
        .collect();
    let names = |f: &Files| f.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&now), names(&expected), "the workspace's files");
    for (path, bytes) in &expected {
        assert!(
            now[path] == *bytes,
            "{} (- expected, + on disk):\n{}",
            path.display(),
            diff(
                &String::from_utf8_lossy(bytes),
                &String::from_utf8_lossy(&now[path])
            )
        );
    }
}

const PROMOTE: &[&str] = &["promote", "c1"];
const SNOOZE: &[&str] = &["snooze", "c2", "2026-12-10"];
const TIER: &[&str] = &["tier", "--scheme", "grade", "--write", "--field", "grade"];

/// A CSV book saved from Excel while `promote`, `snooze` and `tier --write` were about to
/// write it: each is refused, and the saved book and the log are as they were left.
#[test]
fn a_csv_book_saved_meanwhile_is_refused_and_kept() {
    for args in [PROMOTE, SNOOZE, TIER] {
        let ws = workspace(&[
            ("customers.csv", BOOK.as_bytes()),
            ("activities.csv", LOG.as_bytes()),
        ]);
        let ran = paused(&ws, "after-read", args, |root| {
            save(root, "customers.csv", SAVED.as_bytes())
        });
        ran.ended(2, &refusal("customers.csv"));
        assert_eq!(ran.stdout, "", "{args:?}");
        assert_files(
            &ws,
            &[
                ("activities.csv", LOG.as_bytes()),
                ("customers.csv", SAVED.as_bytes()),
            ],
        );
        // The next run makes the change on what the person saved.
        ws.run(args).code(0);
    }
}

/// The refusal in the run's language: Chinese under a Chinese locale.
#[test]
fn the_refusal_speaks_chinese_under_a_chinese_locale() {
    let ws = workspace(&[
        ("customers.csv", BOOK.as_bytes()),
        ("activities.csv", LOG.as_bytes()),
    ])
    .env("LANG", "zh_CN.UTF-8");
    let ran = paused(&ws, "after-read", SNOOZE, |root| {
        save(root, "customers.csv", SAVED.as_bytes())
    });
    ran.ended(
        2,
        "clientele: 错误: customers.csv 读取后已在磁盘上被修改（是否在其他程序中保存过？）；\
         未写入任何内容，请重新运行\n",
    );
    assert_files(
        &ws,
        &[
            ("activities.csv", LOG.as_bytes()),
            ("customers.csv", SAVED.as_bytes()),
        ],
    );
}

const TOML_BOOK: &str = "[[customer]]\nid = \"c1\"\nname = \"Ann\"\nstage = \"potential\"\n\
                         trial_started = \"yes\"\n\n\
                         [[customer]]\nid = \"c2\"\nname = \"Bee\"\nstage = \"trial\"\n";

/// A TOML book saved in an editor meanwhile (a comment added, a name changed).
#[test]
fn a_toml_book_saved_meanwhile_is_refused_and_kept() {
    let saved = TOML_BOOK.replace("name = \"Bee\"", "name = \"Bee\" # renamed in vim");
    for args in [PROMOTE, SNOOZE] {
        let ws = workspace(&[
            ("customers.toml", TOML_BOOK.as_bytes()),
            ("activities.csv", LOG.as_bytes()),
        ]);
        let ran = paused(&ws, "after-read", args, |root| {
            save(root, "customers.toml", saved.as_bytes())
        });
        ran.ended(2, &refusal("customers.toml"));
        assert_files(
            &ws,
            &[
                ("activities.csv", LOG.as_bytes()),
                ("customers.toml", saved.as_bytes()),
            ],
        );
    }
}

const C1: &str = "id = \"c1\"\nname = \"Ann\"\nstage = \"potential\"\ngrade = \"C\"\n";
const C2: &str = "id = \"c2\"\nname = \"Bee\"\nstage = \"trial\"\ngrade = \"B\"\n";
const FOLDER_TOML: &str = "customers = \"customers\"\n";

fn folder() -> Workspace {
    workspace(&[
        ("clientele.toml", FOLDER_TOML.as_bytes()),
        ("customers/c1.toml", C1.as_bytes()),
        ("customers/c2.toml", C2.as_bytes()),
        ("activities.csv", LOG.as_bytes()),
    ])
}

/// In a folder book, the file of the customer being changed, saved meanwhile: refused, and
/// for a change to several files (`tier --write` changes both customers' grades) none of
/// them is written.
#[test]
fn a_folder_books_file_being_changed_saved_meanwhile_is_refused_and_kept() {
    let saved = C2.replace("name = \"Bee\"", "name = \"Bee Ltd\"");
    for args in [SNOOZE, TIER] {
        let ws = folder();
        let ran = paused(&ws, "after-read", args, |root| {
            save(root, "customers/c2.toml", saved.as_bytes())
        });
        ran.ended(2, &refusal("customers/c2.toml"));
        assert_eq!(ran.stdout, "", "{args:?}");
        assert_files(
            &ws,
            &[
                ("activities.csv", LOG.as_bytes()),
                ("clientele.toml", FOLDER_TOML.as_bytes()),
                ("customers/c1.toml", C1.as_bytes()),
                ("customers/c2.toml", saved.as_bytes()),
            ],
        );
    }
}

/// Another file of the folder, one the change does not write, saved meanwhile (and a new
/// customer's file added): that is the person's business, as if they had saved a moment
/// after the run. The change goes ahead; their files are left exactly as they saved them.
#[test]
fn another_file_of_a_folder_book_saved_meanwhile_is_kept_and_the_change_made() {
    let saved = C1.replace("name = \"Ann\"", "name = \"Ann Co\" # renamed");
    let added = "id = \"c3\"\nname = \"Cyd\"\n";
    let ws = folder();
    let ran = paused(&ws, "after-read", SNOOZE, |root| {
        save(root, "customers/c1.toml", saved.as_bytes());
        save(root, "customers/c3.toml", added.as_bytes());
    });
    ran.ended(0, "");
    let snoozed = format!("{C2}snooze_until = \"2026-12-10\"\n");
    assert_files(
        &ws,
        &[
            ("activities.csv", LOG.as_bytes()),
            ("clientele.toml", FOLDER_TOML.as_bytes()),
            ("customers/c1.toml", saved.as_bytes()),
            ("customers/c2.toml", snoozed.as_bytes()),
            ("customers/c3.toml", added.as_bytes()),
        ],
    );
}

/// A workbook of two customers, with `name` for the second.
fn xlsx(name: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["id", "name", "stage", "trial_started"],
        ["c1", "Ann", "potential", "yes"],
        ["c2", name, "trial", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet
                .write_string(r as u32, c as u16, *cell)
                .expect("write a cell");
        }
    }
    book.save_to_buffer().expect("an xlsx")
}

/// A workbook is never written: a change to it is refused before anything is read (the
/// pause is never reached), and `log`, which writes only the log beside it, keeps the
/// workbook the person saved meanwhile.
#[test]
fn a_workbook_saved_meanwhile_is_never_written() {
    let (book, saved) = (xlsx("Bee"), xlsx("Bee (saved in Excel)"));
    let toml = b"customers = \"customers.xlsx\"\n";
    let ws = workspace(&[
        ("clientele.toml", toml),
        ("customers.xlsx", &book),
        ("activities.csv", LOG.as_bytes()),
    ]);
    let before = ws.snapshot();
    for args in [PROMOTE, SNOOZE, TIER] {
        let ran = paused(&ws, "after-read", args, |_| unreachable!("never paused"));
        assert!(!ran.paused, "{args:?} read a workbook it would write");
        assert_eq!(ran.code, Some(2));
        assert_eq!(
            ran.stderr,
            "clientele: error: customers.xlsx is a workbook: clientele reads it but never \
             writes it. Save the sheet as CSV (Excel: 另存为 → CSV UTF-8) and point \
             `customers` in clientele.toml to it, or add --dry-run to see the change \
             without making it\n"
        );
    }
    ws.assert_unchanged(&before);
    let ran = paused(&ws, "after-read", &["log", "c2", "call"], |root| {
        save(root, "customers.xlsx", &saved)
    });
    ran.ended(0, "");
    let log = format!("{LOG}2026-11-22,c2,call,,\n");
    assert_files(
        &ws,
        &[
            ("activities.csv", log.as_bytes()),
            ("clientele.toml", toml),
            ("customers.xlsx", &saved),
        ],
    );
}

/// The book after `promote c1`, and its log row.
const PROMOTED: &str = "id,name,stage,grade,trial_started,snooze_until\n\
                        c1,Ann,trial,C,yes,\n\
                        c2,Bee,trial,B,,\n";
const PROMOTE_ROW: &str = "2026-11-22,c1,stage_change,,potential -> trial; gate of trial holds\n";
const LOG_ROW: &str = "2026-11-22,c2,call,,after the visit\n";
const LOG_ARGS: &[&str] = &["log", "c2", "call", "--note", "after the visit"];

/// A row typed into the activity log by hand while `promote` or `log` was on its way, before
/// it measured the log (`after-read`) or after (`before-journal`, its rows made for the
/// log's old end): the typed row is kept, and the run's rows follow it, whole.
#[test]
fn a_row_typed_into_the_log_meanwhile_is_kept_and_the_runs_rows_follow() {
    for step in ["after-read", "before-journal"] {
        for (args, book, row) in [(PROMOTE, PROMOTED, PROMOTE_ROW), (LOG_ARGS, BOOK, LOG_ROW)] {
            let ws = workspace(&[
                ("customers.csv", BOOK.as_bytes()),
                ("activities.csv", LOG.as_bytes()),
            ]);
            let ran = paused(&ws, step, args, |root| {
                append(root, "activities.csv", TYPED.as_bytes())
            });
            ran.ended(0, "");
            let log = format!("{LOG}{TYPED}{row}");
            assert_files(
                &ws,
                &[
                    ("activities.csv", log.as_bytes()),
                    ("customers.csv", book.as_bytes()),
                ],
            );
            ws.run(["check"]).code(0).stderr("");
        }
    }
}

/// A log the person left in the middle of a line, or cut (a row deleted), after the run made
/// its rows for it: refused like a book saved meanwhile, before anything is written, the
/// book too. Half a line typed before the run measured the log is refused as any log whose
/// last line has no end is.
#[test]
fn a_log_cut_or_left_mid_line_meanwhile_is_refused_and_kept() {
    let half = format!("{LOG}2026-11-21,c2,vis");
    let cut = "date,customer_id,kind,amount,note\n".to_string();
    let no_end = "clientele: error: activities.csv: the last line does not end with a line \
                  break, so it may have been cut short; nothing written. Check that line, end \
                  it with a line break, and run again\n";
    let cases = [
        ("before-journal", &half, refusal("activities.csv")),
        ("before-journal", &cut, refusal("activities.csv")),
        ("after-read", &half, no_end.to_string()),
    ];
    for (step, edited, stderr) in cases {
        for args in [PROMOTE, LOG_ARGS] {
            let ws = workspace(&[
                ("customers.csv", BOOK.as_bytes()),
                ("activities.csv", LOG.as_bytes()),
            ]);
            let ran = paused(&ws, step, args, |root| {
                save(root, "activities.csv", edited.as_bytes())
            });
            ran.ended(2, &stderr);
            assert_eq!(ran.stdout, "", "{args:?} at {step}");
            assert_files(
                &ws,
                &[
                    ("activities.csv", edited.as_bytes()),
                    ("customers.csv", BOOK.as_bytes()),
                ],
            );
        }
    }
}

/// A run killed after the renames, its rows not appended yet, when a row was typed into the
/// log before its write: the journal says where the rows go now, so the next run finishes
/// the change after the typed row.
#[test]
fn a_run_killed_after_a_row_was_typed_in_is_finished_after_that_row() {
    let ws = workspace(&[
        ("customers.csv", BOOK.as_bytes()),
        ("activities.csv", LOG.as_bytes()),
    ])
    .env("CLIENTELE_FAILPOINT", "after-renames");
    let ran = paused(&ws, "before-journal", PROMOTE, |root| {
        append(root, "activities.csv", TYPED.as_bytes())
    });
    assert!(ran.paused);
    assert_eq!(ran.code, None, "killed: {}", ran.stderr);
    let ws = ws.env_remove("CLIENTELE_FAILPOINT");
    ws.run(["check"])
        .stderr(
            "clientele: warning: finished a change to customers.csv that was interrupted: \
             1 file, 1 log row\n",
        )
        .code(0);
    let log = format!("{LOG}{TYPED}{PROMOTE_ROW}");
    assert_files(
        &ws,
        &[
            ("activities.csv", log.as_bytes()),
            ("customers.csv", PROMOTED.as_bytes()),
        ],
    );
}
