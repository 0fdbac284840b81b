//! What is at the paths clientele reads, where the error catalogue cannot put it (a fixture
//! holds files only): a pipe is read like a file (bash's `<(cmd)`, `/dev/stdin`), and a link
//! to nothing or a file where a folder is expected is an error naming it, never passed over
//! for a default.

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
        "ok: 2 customers, 2 activities, 9 rule files (0 from the workspace)\n"
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
        "ok: 2 customers, 0 activities, 9 rule files (0 from the workspace)\n"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[cfg(unix)]
fn link(ws: &Workspace, target: &str, name: &str) {
    std::os::unix::fs::symlink(target, ws.path().join(name)).expect("make a link");
}

/// A default book that is a link to nothing is that error, not passed over for the
/// `customers/` folder beside it.
#[cfg(unix)]
#[test]
fn a_link_to_nothing_where_a_file_is_read_is_named() {
    let ws = Workspace::new().file("customers/acme.toml", "id = \"c1\"\nname = \"Acme\"\n");
    link(&ws, "exported/customers.csv", "customers.csv");
    ws.run(["check"])
        .stderr(
            "clientele: error: customers.csv is a link to exported/customers.csv, which does not exist\n",
        )
        .code(2);

    let ws = Workspace::new().file("customers.csv", BOOK);
    link(&ws, "shared/activities.csv", "activities.csv");
    for args in [&["check"][..], &["due"]] {
        ws.run(args)
            .stdout("")
            .stderr(
                "clientele: error: activities.csv is a link to shared/activities.csv, which does not exist\n",
            )
            .code(2);
    }

    let ws = Workspace::new().file("customers.csv", BOOK);
    std::fs::create_dir(ws.path().join("rules")).expect("make rules/");
    link(&ws, "../team/cadence.toml", "rules/cadence.toml");
    ws.run(["due"])
        .stdout("")
        .stderr(
            "clientele: error: rules/cadence.toml is a link to ../team/cadence.toml, which does not exist\n",
        )
        .code(2);

    let ws = Workspace::new().file("customers.csv", BOOK);
    link(&ws, "../clientele.toml", "clientele.toml");
    ws.run(["check"])
        .stderr("clientele: error: clientele.toml is a link to ../clientele.toml, which does not exist\n")
        .code(2);
}

#[test]
fn a_file_where_the_rules_folder_is_expected_is_named() {
    let ws = Workspace::new()
        .file("customers.csv", BOOK)
        .file("rules", "cadence = 'monthly'\n");
    ws.run(["check"])
        .stderr("clientele: error: rules is not a folder\n")
        .code(2);
    // No rules folder beside the book: the built-in rules, as ever.
    Workspace::new()
        .file("customers.csv", BOOK)
        .run(["check"])
        .stdout("ok: 2 customers, 0 activities, 9 rule files (0 from the workspace)\n")
        .code(0);
}

#[test]
fn a_workbook_named_folder_is_not_read_as_a_folder_book() {
    let ws = Workspace::new().file("book.xlsx/acme.toml", "id = \"c1\"\n");
    ws.run(["--customers", "book.xlsx", "due"])
        .stdout("")
        .stderr(
            "clientele: error: book.xlsx is a folder, not a file (a book kept as a folder of TOML \
             files is named without an extension, such as customers/)\n",
        )
        .code(2);
}
