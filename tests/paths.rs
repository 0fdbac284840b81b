//! What is at the paths clientele reads, where the error catalogue cannot put it (a fixture
//! holds files only): a pipe is read like a file (bash's `<(cmd)`, `/dev/stdin`).

use std::io::Write as _;
use std::process::Stdio;

use crate::util::{TODAY, Workspace};

const BOOK: &str = "id,name,grade,last_contact\nc1,Acme,C,2026-09-01\nc2,Beta,C,2026-11-20\n";

/// c1's call on 18 September is later than the book's 1 September: C every 2 months, due
/// Wednesday 18 November, four days overdue. c2's order on the 21st puts it off to January.
const LOG: &str = "date,customer_id,kind,amount,note\n\
                   2026-09-18,c1,call,,\"asked for the catalogue, again\"\n\
                   2026-11-21,c2,order,500,\n";

/// The listing both runs below must print: c1 only, with the log's note.
const DUE: &str = "id\tlast_contact\tlast_note\tdue\nc1\t2026-09-18\tasked for the catalogue, again\t2026-11-18\n";

/// Runs clientele through bash, so that `<(cat FILE)` gives it a pipe as `/dev/fd/N`.
#[cfg(target_os = "linux")]
fn through_bash(ws: &Workspace, args: &str) -> std::process::Output {
    std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("exec \"$0\" {args}"))
        .arg(env!("CARGO_BIN_EXE_clientele"))
        .current_dir(ws.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("CLIENTELE_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .output()
        .expect("run bash")
}

/// Runs `args` with `input` on standard input (read as `/dev/stdin`, a pipe).
fn with_stdin(ws: &Workspace, args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = ws
        .command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run clientele");
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin.write_all(input).expect("write stdin");
    drop(stdin);
    child.wait_with_output().expect("wait for clientele")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(target_os = "linux")]
#[test]
fn a_book_and_a_log_given_as_pipes_are_read_whole() {
    let ws = Workspace::new()
        .file("customers.csv", BOOK)
        .file("activities.csv", LOG);
    let columns = "due --columns id,last_contact,last_note,due";
    // The files themselves, then the same files through pipes: the same answer, the note
    // of the last touch too (read again, by its offset, after the fold).
    ws.run(columns.split(' ')).stdout(DUE).stderr("").code(0);
    let piped = through_bash(
        &ws,
        &format!("--customers <(cat customers.csv) --activities <(cat activities.csv) {columns}"),
    );
    assert_eq!(text(&piped.stderr), "");
    assert_eq!(text(&piped.stdout), DUE);
    assert_eq!(piped.status.code(), Some(0));
    let checked = through_bash(&ws, "--activities <(cat activities.csv) check");
    assert_eq!(
        text(&checked.stdout),
        "ok: 2 customers, 2 activities, 8 rule files (0 from the workspace)\n"
    );
    assert_eq!(checked.status.code(), Some(0));
}

#[cfg(target_os = "linux")]
#[test]
fn a_pipe_is_named_by_its_path_in_messages() {
    let ws = Workspace::new().file("customers.csv", BOOK);
    let log = "date,customer_id,kind\n2026-11-02,c1,call\n2026-11-31,c2,visit\n";
    let out = with_stdin(
        &ws,
        &["--activities", "/dev/stdin", "check"],
        log.as_bytes(),
    );
    assert_eq!(
        text(&out.stderr),
        "clientele: error: /dev/stdin:3:1: column A (date): cannot read \"2026-11-31\": \
         expected a date like 2025-04-11\n  \
         |\n\
         3 | 2026-11-31,c2,visit\n  \
         | ^^^^^^^^^^\n\
         clientele: check found 1 error and 0 warnings\n"
    );
    assert_eq!(out.status.code(), Some(1));
    // A book through a pipe: every row of it.
    let out = with_stdin(
        &ws,
        &["--customers", "/dev/stdin", "check"],
        BOOK.as_bytes(),
    );
    assert_eq!(
        text(&out.stdout),
        "ok: 2 customers, 0 activities, 8 rule files (0 from the workspace)\n"
    );
    assert_eq!(out.status.code(), Some(0));
}
