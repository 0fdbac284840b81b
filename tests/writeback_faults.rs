//! Write-back under faults and company: a write killed at any step is finished or undone by
//! the next run; the workspace's lock serialises runs (dry runs take none); a file saved by
//! another program between read and write is detected; twenty runs at once lose nothing.

use std::fs::File;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use clientele::error::Error;
use clientele::store::Fingerprint;
use clientele::store::writeback::{Planned, commit};

use crate::util::{Workspace, names};
use crate::writeback::{bytes, read};

const OLD: &str = "id,name,stage,trial_started,note\r\n\
c1,\"Acme, Inc.\",potential,yes,\"two\nlines\"\r\n\
c2,Bee,potential,yes,\r\n";
const NEW: &str = "id,name,stage,trial_started,note\r\n\
c1,\"Acme, Inc.\",trial,yes,\"two\nlines\"\r\n\
c2,Bee,potential,yes,\r\n";
const CHANGE_TABLE: &str = "id\tfield\tfrom\tto\treason\tapplied\n\
c1\tstage\tpotential\ttrial\tgate of trial holds\ttrue\n";
/// A new log beside a CRLF book is written with CRLF.
const LOG: &str = "date,customer_id,kind,amount,note\r\n\
2026-11-22,c1,stage_change,,potential -> trial; gate of trial holds\r\n";

/// Waits for `child` at most `secs` seconds; kills it and fails when it takes longer.
fn finish(mut child: Child, secs: u64, what: &str) -> std::process::Output {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while child.try_wait().expect("poll a child").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{what} did not finish within {secs} s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().expect("collect a child's output")
}

/// The workspace's lock, as another run would hold it.
fn hold_lock(ws: &Workspace) -> File {
    std::fs::create_dir_all(ws.path().join(".clientele")).expect("make .clientele");
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(ws.path().join(".clientele/lock"))
        .expect("open the lock file");
    lock.lock().expect("take the lock");
    lock
}

/// A promote killed at each step of its write: the book and the log are found old or new,
/// and the next run finishes the change (or undoes it, before anything was renamed), says
/// so, and leaves no temporary file and no journal.
#[cfg(unix)]
#[test]
fn a_write_killed_at_any_step_is_finished_or_undone_by_the_next_run() {
    use std::os::unix::process::ExitStatusExt;
    const HEAD: &str = "date,customer_id,kind,amount,note\r\n";
    const ROW: &str = "2026-11-22,c1,stage_change,,potential -> trial; gate of trial holds\r\n";
    const UNDONE: &str = "clientele: warning: a change to customers.csv was interrupted before \
                          it wrote anything: undone, nothing written\n";
    const FINISHED: &str = "clientele: warning: finished a change to customers.csv that was \
                            interrupted: 1 file, 1 log row\n";
    // (step, the book after it, the log after it (None: no log yet), the temporary file
    // holds the new book) for a log that exists, then for one promote creates.
    let half = format!("{HEAD}{}", &ROW[..ROW.len() / 2]);
    let whole = format!("{HEAD}{ROW}");
    let steps: [(&str, &str, Option<&str>, bool); 6] = [
        ("after-journal", OLD, Some(HEAD), false),
        ("after-temps", OLD, Some(HEAD), true),
        ("after-first-rename", NEW, Some(HEAD), false),
        ("after-renames", NEW, Some(HEAD), false),
        ("mid-append", NEW, Some(&half), false),
        ("after-append", NEW, Some(&whole), false),
    ];
    let new_log: [(&str, &str, Option<&str>, bool); 4] = [
        ("after-journal", OLD, None, false),
        ("after-temps", OLD, None, true),
        ("after-first-rename", NEW, None, false),
        ("after-renames", NEW, Some(LOG), false),
    ];
    let cases = steps
        .iter()
        .map(|s| (true, s))
        .chain(new_log.iter().map(|s| (false, s)));
    for (log_there, &(step, book, log, temp_ready)) in cases {
        let what = format!("{step}, log there: {log_there}");
        let mut ws = Workspace::new().file("customers.csv", OLD);
        if log_there {
            ws = ws.file("activities.csv", HEAD);
        }
        let child = ws
            .command(["promote", "c1", "--to", "trial"])
            .env("CLIENTELE_FAILPOINT", step)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start clientele");
        let pid = child.id();
        let out = finish(child, 20, step);
        assert_eq!(out.status.signal(), Some(6), "{what}: killed by SIGABRT");
        assert!(out.stdout.is_empty(), "{what}: nothing printed");
        assert_eq!(read(&ws, "customers.csv"), book, "{what}");
        let log_now = std::fs::read_to_string(ws.path().join("activities.csv")).ok();
        assert_eq!(log_now.as_deref(), log, "{what}");
        let temp = format!(".customers.csv.clientele-{pid}.tmp");
        let mut listed = vec![".clientele", "customers.csv"];
        if log.is_some() {
            listed.push("activities.csv");
        }
        if temp_ready {
            // The temporary file is whole: the new bytes, never a part of them.
            assert_eq!(read(&ws, &temp), NEW, "{what}: the temporary file");
            listed.push(&temp);
        }
        // So is the new log's, until it is renamed into place.
        let log_temp = format!(".activities.csv.clientele-{pid}.tmp");
        if !log_there && log.is_none() && step != "after-journal" {
            assert_eq!(read(&ws, &log_temp), LOG, "{what}: the new log");
            listed.push(&log_temp);
        }
        listed.sort();
        assert_eq!(names(ws.path()), listed, "{what}");
        assert_eq!(
            names(&ws.path().join(".clientele")),
            [".gitignore", "journal", "lock"],
            "{what}"
        );

        // The next run finishes the job, or undoes it and does it itself.
        let again = ws.run(["promote", "c1", "--to", "trial"]);
        again.code(0);
        if step == "after-journal" {
            again.stderr(UNDONE).stdout(CHANGE_TABLE);
        } else {
            again.stderr(FINISHED).stdout("");
        }
        assert_eq!(read(&ws, "customers.csv"), NEW, "{what}: after the rerun");
        let log = if log_there { whole.as_str() } else { LOG };
        assert_eq!(read(&ws, "activities.csv"), log, "{what}: after the rerun");
        assert_eq!(
            names(ws.path()),
            [".clientele", "activities.csv", "customers.csv"],
            "{what}"
        );
        assert_eq!(
            names(&ws.path().join(".clientele")),
            [".gitignore", "lock"],
            "{what}"
        );
    }
}

#[test]
fn the_lock_makes_a_second_run_wait_and_read_the_new_file() {
    let ws = Workspace::new().file("customers.csv", OLD);
    let lock = hold_lock(&ws);
    let child = ws
        .command(["promote", "c1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start clientele");
    std::thread::sleep(Duration::from_millis(300));
    // Someone saves the sheet while we hold the lock: c2 renamed, a customer added.
    let saved = OLD.replace("c2,Bee,", "c2,Bee Ltd,") + "c3,Cee,trial,,\r\n";
    std::fs::write(ws.path().join("customers.csv"), &saved).expect("save the sheet");
    let mut child = child;
    assert!(
        child.try_wait().expect("poll").is_none(),
        "promote went on while the book was locked"
    );
    lock.unlock().expect("release the lock");
    let out = finish(child, 20, "promote after the lock");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(String::from_utf8_lossy(&out.stdout), CHANGE_TABLE);
    assert_eq!(out.status.code(), Some(0));
    // The change went into the file as saved, not into the one there before.
    assert_eq!(
        read(&ws, "customers.csv"),
        saved.replace("Inc.\",potential,", "Inc.\",trial,")
    );
}

#[test]
fn log_waits_for_the_workspaces_lock_and_dry_runs_take_none() {
    let ws = Workspace::new()
        .file("customers.csv", OLD)
        .file("activities.csv", "date,customer_id,kind,amount,note\n");
    let lock = hold_lock(&ws);
    // A dry run reads without the lock: it does not wait.
    let dry = ws
        .command(["promote", "c1", "--dry-run"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start clientele");
    let out = finish(dry, 20, "a dry run while the workspace is locked");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        CHANGE_TABLE.replace("true", "false")
    );
    assert_eq!(out.status.code(), Some(0));

    let mut child = ws
        .command(["log", "c2", "visit", "--note", "at their office"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start clientele");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().expect("poll").is_none(),
        "log did not wait"
    );
    assert_eq!(
        read(&ws, "activities.csv"),
        "date,customer_id,kind,amount,note\n"
    );
    // Meanwhile another run logs a call (as a person might add a row by hand).
    let other = "date,customer_id,kind,amount,note\n2026-11-21,c1,call,,from another run\n";
    std::fs::write(ws.path().join("activities.csv"), other).expect("add a row");
    lock.unlock().expect("release the lock");
    let out = finish(child, 20, "log after the lock");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(out.status.code(), Some(0));
    // The row goes after the log as it is when the lock is had.
    assert_eq!(
        read(&ws, "activities.csv"),
        format!("{other}2026-11-22,c2,visit,,at their office\n")
    );
    assert_eq!(read(&ws, "customers.csv"), OLD);
}

/// The log is missing when promote starts, and another run creates it while promote waits
/// for the workspace's lock: promote must append its rows to that log, not a second header.
#[test]
fn a_log_created_meanwhile_gets_rows_not_a_second_header() {
    let ws = Workspace::new().file("customers.csv", OLD);
    let lock = hold_lock(&ws);
    let child = ws
        .command(["promote", "c1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start clientele");
    std::thread::sleep(Duration::from_millis(300));
    // Meanwhile `log` (holding the lock, as we do) creates the log.
    let other = "date,customer_id,kind,amount,note\n2026-11-21,c2,call,,from another run\n";
    std::fs::write(ws.path().join("activities.csv"), other).expect("create the log");
    lock.unlock().expect("release the lock");
    let out = finish(child, 20, "promote");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(String::from_utf8_lossy(&out.stdout), CHANGE_TABLE);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(read(&ws, "customers.csv"), NEW);
    assert_eq!(
        read(&ws, "activities.csv"),
        format!("{other}2026-11-22,c1,stage_change,,potential -> trial; gate of trial holds\n")
    );
}

/// Deterministic through the binary: the log is a named pipe, so `promote` has read the book
/// and waits in the log's open until this test connects to the pipe. Then "Excel" saves the
/// book, and the test serves an empty log (as often as promote opens it) until promote is done:
/// its write must notice the book changed since it was read.
#[cfg(target_os = "linux")]
#[test]
fn a_book_saved_elsewhere_between_read_and_write_is_not_overwritten() {
    use std::os::unix::fs::OpenOptionsExt;
    const O_NONBLOCK: i32 = 0o4000;
    const ENXIO: i32 = 6;

    let ws = Workspace::new().file("customers.csv", OLD);
    let fifo = ws.path().join("activities.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success());
    let mut child = ws
        .command(["promote", "c1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start clientele");
    let excel = OLD.replace("c2,Bee,", "c2,Bee (saved in Excel),");
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut fed = 0;
    while child.try_wait().expect("poll").is_none() {
        assert!(Instant::now() < deadline, "promote did not finish");
        // Opening the pipe for writing succeeds only while promote has it open for reading.
        match File::options()
            .write(true)
            .custom_flags(O_NONBLOCK)
            .open(&fifo)
        {
            Ok(log) => {
                if fed == 0 {
                    std::fs::write(ws.path().join("customers.csv"), &excel)
                        .expect("save the sheet");
                }
                // An empty log: closing the pipe is all promote needs to read on.
                drop(log);
                fed += 1;
            }
            Err(e) if e.raw_os_error() == Some(ENXIO) => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(e) => panic!("open the pipe: {e}"),
        }
    }
    assert!(fed > 0, "promote never read the log");
    let out = finish(child, 20, "promote");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "clientele: error: customers.csv changed on disk since it was read \
         (saved in another program?); nothing written, run again\n"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(read(&ws, "customers.csv"), excel);
    // No temporary file left behind, and no journal.
    assert_eq!(
        names(ws.path()),
        [".clientele", "activities.csv", "customers.csv"]
    );
    assert_eq!(names(&ws.path().join(".clientele")), [".gitignore", "lock"]);
}

/// The same check at the library's level: a plan made from bytes that are no longer on disk
/// (or a file since removed) is refused, and the file is left as it is.
#[test]
fn commit_refuses_a_stale_plan() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("customers.csv");
    let planned = |before: &[u8]| Planned {
        path: path.clone(),
        before: Fingerprint::of(before),
        old_text: "id,stage\nc1,potential\n".into(),
        new_text: "id,stage\nc1,trial\n".into(),
        bytes: b"id,stage\nc1,trial\n".to_vec(),
    };
    let refused = |result: clientele::error::Result<()>| match result {
        Err(Error::Refused(message)) => assert!(
            message.ends_with(
                "customers.csv changed on disk since it was read (saved in another program?); \
                 nothing written, run again"
            ),
            "{message}"
        ),
        other => panic!("expected a refusal, got {other:?}"),
    };
    let root = dir.path();
    let commit = |plan: Planned| commit(root, &path, &[plan], None);
    // Nothing left of a refused commit: no temporary file, no journal.
    let clean = |book: bool| {
        let mut expected = vec![".clientele"];
        expected.extend(book.then_some("customers.csv"));
        assert_eq!(names(root), expected);
        assert_eq!(names(&root.join(".clientele")), [".gitignore"]);
    };
    std::fs::write(&path, "id,stage\nc1,potential,saved elsewhere\n").expect("write");
    refused(commit(planned(b"id,stage\nc1,potential\n")));
    assert_eq!(
        std::fs::read(&path).expect("read"),
        b"id,stage\nc1,potential,saved elsewhere\n"
    );
    clean(true);

    std::fs::remove_file(&path).expect("remove");
    refused(commit(planned(b"id,stage\nc1,potential\n")));
    clean(false);

    std::fs::write(&path, "id,stage\nc1,potential\n").expect("write");
    commit(planned(b"id,stage\nc1,potential\n")).expect("a fresh plan commits");
    assert_eq!(std::fs::read(&path).expect("read"), b"id,stage\nc1,trial\n");
    clean(true);
}

#[test]
fn twenty_runs_at_once_lose_nothing() {
    let mut book = String::from("id,name,stage,trial_started,snooze_until\n");
    let mut expected = book.clone();
    for i in 1..=7 {
        book.push_str(&format!("p{i},Promote {i},potential,yes,\n"));
        expected.push_str(&format!("p{i},Promote {i},trial,yes,\n"));
    }
    for i in 1..=7 {
        book.push_str(&format!("s{i},Snooze {i},trial,,\n"));
        expected.push_str(&format!("s{i},Snooze {i},trial,,2026-12-{:02}\n", 10 + i));
    }
    for i in 1..=6 {
        book.push_str(&format!("l{i},\"Log, {i}\",formal,,\n"));
        expected.push_str(&format!("l{i},\"Log, {i}\",formal,,\n"));
    }
    let ws = Workspace::new().file("customers.csv", &book);
    let mut runs: Vec<Vec<String>> = Vec::new();
    let mut rows = Vec::new();
    for i in 1..=7 {
        runs.push(vec!["promote".into(), format!("p{i}")]);
        rows.push(format!(
            "2026-11-22,p{i},stage_change,,potential -> trial; gate of trial holds"
        ));
        runs.push(vec![
            "snooze".into(),
            format!("s{i}"),
            format!("2026-12-{:02}", 10 + i),
        ]);
        if i <= 6 {
            runs.push(vec![
                "log".into(),
                format!("l{i}"),
                "call".into(),
                "--note".into(),
                format!("call {i}, \"long\""),
            ]);
            rows.push(format!("2026-11-22,l{i},call,,\"call {i}, \"\"long\"\"\""));
        }
    }
    assert_eq!(runs.len(), 20);
    let children: Vec<(String, Child)> = runs
        .iter()
        .map(|args| {
            let child = ws
                .command(args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start clientele");
            (args.join(" "), child)
        })
        .collect();
    for (what, child) in children {
        let out = finish(child, 60, &what);
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{what}");
        assert_eq!(out.status.code(), Some(0), "{what}");
    }
    assert_eq!(read(&ws, "customers.csv"), expected);
    let log = bytes(&ws, "activities.csv");
    let log = String::from_utf8(log).expect("a UTF-8 log");
    assert!(log.ends_with('\n'), "the log ends with a whole line");
    let mut lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.remove(0), "date,customer_id,kind,amount,note");
    lines.sort_unstable();
    rows.sort_unstable();
    assert_eq!(lines, rows, "every row exactly once, none torn");
}
