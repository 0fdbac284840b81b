//! The journal and the workspace's own folder: the lock lives in `.clientele/`, which git
//! ignores; a change to a folder book killed between its renames is finished by the next
//! command of any kind, and a `log` killed in the middle of its row too; a folder write refused
//! for one file renames none; a file edited by a person meanwhile is left as it is and the
//! change set aside, loudly, and `check` lists it; a journal that cannot be read is set aside.

use std::fs::File;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::Workspace;

/// A folder book of three customers, each ready to enter trial.
fn folder() -> Workspace {
    (1..=3).fold(Workspace::new(), |ws, i| {
        ws.file(format!("customers/c{i}.toml"), old(i))
    })
}

fn old(i: u32) -> String {
    format!("id = \"c{i}\"\nname = \"Firm {i}\"\nstage = \"potential\"\ntrial_started = \"yes\"\n")
}

fn new(i: u32) -> String {
    old(i).replace("potential", "trial")
}

fn row(i: u32) -> String {
    format!("2026-11-22,c{i},stage_change,,potential -> trial; gate of trial holds\n")
}

const HEAD: &str = "date,customer_id,kind,amount,note\n";

fn read(ws: &Workspace, path: &str) -> String {
    std::fs::read_to_string(ws.path().join(path)).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

/// The names in a folder of the workspace, hidden ones too, sorted.
fn names(ws: &Workspace, dir: &str) -> Vec<String> {
    crate::util::names(&ws.path().join(dir))
}

/// Runs `args` with `CLIENTELE_FAILPOINT=step`, which must abort it.
#[cfg(unix)]
fn abort_at(ws: &Workspace, step: &str, args: &[&str]) {
    use std::os::unix::process::ExitStatusExt;
    let out = ws
        .command(args)
        .env("CLIENTELE_FAILPOINT", step)
        .output()
        .expect("run clientele");
    assert_eq!(out.status.signal(), Some(6), "{step}: killed by SIGABRT");
}

#[test]
fn the_lock_lives_in_the_workspaces_own_folder_which_git_ignores() {
    let ws = folder();
    ws.run(["promote", "c1"]).code(0);
    // Nothing beside the book: the lock is in `.clientele/`, which ignores itself.
    assert_eq!(
        names(&ws, "."),
        [".clientele", "activities.csv", "customers"]
    );
    assert_eq!(names(&ws, "customers"), ["c1.toml", "c2.toml", "c3.toml"]);
    assert_eq!(names(&ws, ".clientele"), [".gitignore", "lock"]);
    assert_eq!(
        read(&ws, ".clientele/.gitignore"),
        "# clientele's lock and journal\n*\n"
    );
    // And `init` ignores it too.
    let ws = Workspace::new();
    ws.run(["init", "book"]).code(0);
    assert_eq!(
        read(&ws, "book/.gitignore"),
        "# clientele's own folder: its lock, and the journal of a change being written\n\
         .clientele/\n"
    );
}

/// Killed between its renames, the change is finished by the next command, whatever it is;
/// it says so, and leaves no temporary file.
#[cfg(unix)]
#[test]
fn a_folder_change_killed_between_renames_is_finished_by_any_command() {
    let ws = folder();
    abort_at(&ws, "after-first-rename", &["promote", "c1", "c2", "c3"]);
    assert_eq!(read(&ws, "customers/c1.toml"), new(1));
    assert_eq!(read(&ws, "customers/c2.toml"), old(2));
    assert_eq!(names(&ws, "customers").len(), 5, "two temporary files");
    ws.run(["check"])
        .stderr(
            "clientele: warning: finished a change to customers that was interrupted: \
             3 files, 3 log rows\n",
        )
        .stdout("ok: 3 customers, 3 activities, 9 rule files (0 from the workspace)\n")
        .code(0);
    for i in 1..=3 {
        assert_eq!(read(&ws, &format!("customers/c{i}.toml")), new(i));
    }
    assert_eq!(
        read(&ws, "activities.csv"),
        format!("{HEAD}{}{}{}", row(1), row(2), row(3))
    );
    assert_eq!(names(&ws, "customers"), ["c1.toml", "c2.toml", "c3.toml"]);
    assert_eq!(names(&ws, ".clientele"), [".gitignore", "lock"]);
}

/// A `log` killed with half its row written: the next run writes the rest, once, in the
/// run's language.
#[cfg(unix)]
#[test]
fn a_log_killed_in_the_middle_of_its_row_is_finished_by_the_next_run() {
    let ws = folder().file("activities.csv", HEAD);
    abort_at(
        &ws,
        "mid-append",
        &["log", "c1", "call", "--note", "price list sent"],
    );
    let whole = "2026-11-22,c1,call,,price list sent\n";
    assert_eq!(
        read(&ws, "activities.csv"),
        format!("{HEAD}{}", &whole[..whole.len() / 2])
    );
    ws.run(["check", "--lang", "zh"])
        .stderr("clientele: 警告: 已完成上次中断的对 activities.csv 的修改：1 行活动记录\n")
        .code(0);
    assert_eq!(read(&ws, "activities.csv"), format!("{HEAD}{whole}"));
    // Once: the next run finds nothing to finish.
    ws.run(["check"]).stderr("").code(0);
    assert_eq!(read(&ws, "activities.csv"), format!("{HEAD}{whole}"));
}

/// A file a person changed after the kill is not touched: the rest is finished, the change
/// set aside with an error, `check` lists it until it is removed, and the runs after work.
#[cfg(unix)]
#[test]
fn a_file_edited_after_the_kill_is_left_and_the_change_set_aside() {
    let ws = folder();
    abort_at(&ws, "after-first-rename", &["promote", "c1", "c2", "c3"]);
    let edited = old(3).replace("Firm 3", "Firm 3 (edited)");
    std::fs::write(ws.path().join("customers/c3.toml"), &edited).expect("edit c3");
    let out = ws.run(["check"]);
    let kept: Vec<String> = names(&ws, ".clientele")
        .into_iter()
        .filter(|n| n.starts_with("journal.failed-"))
        .collect();
    assert_eq!(kept.len(), 1, "the journal is set aside");
    let kept = format!(".clientele/{}", kept[0]);
    out.stderr(&format!(
        "clientele: error: a change to customers was interrupted and cannot be finished: \
         customers/c3.toml changed since (edited meanwhile?) and is left as it is, the rest \
         is written; the change's record is kept in {kept}: check the book and the activity \
         log, then remove it\n"
    ))
    .stdout("")
    .code(2);
    assert_eq!(read(&ws, "customers/c1.toml"), new(1));
    assert_eq!(read(&ws, "customers/c2.toml"), new(2));
    assert_eq!(read(&ws, "customers/c3.toml"), edited);
    assert_eq!(names(&ws, "customers"), ["c1.toml", "c2.toml", "c3.toml"]);
    // The rows of the change are in the log: said, not lost.
    assert_eq!(
        read(&ws, "activities.csv"),
        format!("{HEAD}{}{}{}", row(1), row(2), row(3))
    );

    ws.run(["check"])
        .stderr(&format!(
            "clientele: error: {kept}: the record of an interrupted change that could not be \
             finished; remove it once the book and the activity log are right\n\
             clientele: check found 1 error and 0 warnings\n"
        ))
        .code(1);
    ws.run(["promote", "c3", "--dry-run"]).code(0);
    std::fs::remove_file(ws.path().join(&kept)).expect("remove the journal");
    ws.run(["check"]).stderr("").code(0);
}

#[test]
fn a_journal_that_cannot_be_read_is_set_aside() {
    let ws = folder().file(".clientele/journal", "{\"version\":1,\"tar");
    let out = ws.run(["promote", "c1"]);
    let kept: Vec<String> = names(&ws, ".clientele")
        .into_iter()
        .filter(|n| n.starts_with("journal.failed-"))
        .collect();
    assert_eq!(kept.len(), 1, "the journal is set aside");
    out.stderr(&format!(
        "clientele: error: .clientele/journal: the record of an interrupted change cannot be \
         read (EOF while parsing a string at line 1 column 17); set aside as \
         .clientele/{}, nothing of it finished: check the book and the activity log\n",
        kept[0]
    ))
    .code(2);
    assert_eq!(read(&ws, "customers/c1.toml"), old(1));
    // The next run works, and `check` lists what was set aside.
    ws.run(["promote", "c1"]).code(0);
    assert_eq!(read(&ws, "customers/c1.toml"), new(1));
    ws.run(["check"]).code(1);
}

/// One file of a folder book saved by another program between the read and the write: the
/// write is refused before anything is renamed, so "nothing written" is true of every file.
/// Deterministic as in `writeback_faults`: the log is a named pipe that holds promote after
/// its read until this test has saved the last file.
#[cfg(target_os = "linux")]
#[test]
fn a_folder_write_refused_for_one_file_renames_none() {
    use std::os::unix::fs::OpenOptionsExt;
    const O_NONBLOCK: i32 = 0o4000;
    const ENXIO: i32 = 6;

    let ws = folder();
    let fifo = ws.path().join("activities.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success());
    let mut child = ws
        .command(["promote", "c1", "c2", "c3"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start clientele");
    let saved = old(3).replace("Firm 3", "Firm 3 (saved elsewhere)");
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut fed = 0;
    while child.try_wait().expect("poll").is_none() {
        assert!(Instant::now() < deadline, "promote did not finish");
        match File::options()
            .write(true)
            .custom_flags(O_NONBLOCK)
            .open(&fifo)
        {
            Ok(log) => {
                if fed == 0 {
                    std::fs::write(ws.path().join("customers/c3.toml"), &saved).expect("save c3");
                }
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
    let out = child.wait_with_output().expect("collect promote");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "clientele: error: customers/c3.toml changed on disk since it was read \
         (saved in another program?); nothing written, run again\n"
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(read(&ws, "customers/c1.toml"), old(1));
    assert_eq!(read(&ws, "customers/c2.toml"), old(2));
    assert_eq!(read(&ws, "customers/c3.toml"), saved);
    assert_eq!(names(&ws, "customers"), ["c1.toml", "c2.toml", "c3.toml"]);
    assert_eq!(names(&ws, ".clientele"), [".gitignore", "lock"]);
    assert!(Path::new(&fifo).exists());
}

/// The workspace's lock is released once the files are written, before the output: a
/// `tier --write` whose reader does not take its 2,000-row table (more than a pipe holds)
/// does not keep a `log` waiting. The `log` runs to its end while the tier run is still
/// blocked on its output; then the tier run's output is read and it ends too.
#[test]
fn the_lock_is_released_before_the_output_is_printed() {
    let ws = crate::util::generated_book(2000, 0);
    let mut tier = ws
        .command([
            "--today",
            "2026-11-22",
            "tier",
            "--scheme",
            "abc",
            "--write",
            "--field",
            "abc_class",
            "--format",
            "tsv",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start tier");
    // The tier run has written the book once its change rows are in the log.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !read(&ws, "customers.csv").contains("abc_class") {
        assert!(
            Instant::now() < deadline,
            "tier --write never wrote the book"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        tier.try_wait().expect("poll tier"),
        None,
        "tier waits on its output"
    );
    let mut log = ws
        .command(["--today", "2026-11-22", "log", "C0000001", "call"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start log");
    let status = loop {
        if let Some(status) = log.try_wait().expect("poll log") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "log waited for the tier run's lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "log exits 0");
    assert_eq!(
        tier.try_wait().expect("poll tier"),
        None,
        "tier still waits"
    );
    let out = tier.wait_with_output().expect("read tier's output");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2001);
    assert!(read(&ws, "activities.csv").ends_with("2026-11-22,C0000001,call,,\n"));
}
