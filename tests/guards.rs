//! Guards on writes, through the real binary: an output file that is one of the workspace's
//! own, a `--field` that would write over another kind of column, a read-only or symlinked
//! book, the temporary file's permissions and the sweep of a killed run's leftovers, errors
//! that name the user's file, `log`'s checks on the log and on its row, and a UTF-8 file read
//! in a forced encoding. Kinds of bad input a fixture can hold are in the error catalogue too.

use std::path::Path;

use crate::util::{Workspace, names};
use crate::writeback::{data_files, read, unchanged_data};

const BOOK: &str = "id,name,stage,trial_started,revenue\n\
c1,Acme,potential,yes,1200\n\
c2,Bee,potential,,300\n";
/// c1 has trial_started: the gate of trial holds; c2 stays.
const PROMOTED: &str = "id,name,stage,trial_started,revenue\n\
c1,Acme,trial,yes,1200\n\
c2,Bee,potential,,300\n";
const PROMOTE_TABLE: &str = "id\tfield\tfrom\tto\treason\tapplied\n\
c1\tstage\tpotential\ttrial\tgate of trial holds\ttrue\n";
const PROMOTE_LOG: &str = "date,customer_id,kind,amount,note\n\
2026-11-22,c1,stage_change,,potential -> trial; gate of trial holds\n";
const HEADER: &str = "date,customer_id,kind,amount,note\n";

/// The pid of a process that has exited and been waited for: no process has it now (barring
/// reuse, which would only make a sweep leave a file).
#[cfg(target_os = "linux")]
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true")
        .spawn()
        .expect("run true");
    let pid = child.id();
    child.wait().expect("wait for true");
    pid
}

fn refused(what: &str) -> String {
    format!("clientele: error: {what}\n")
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("a file")
        .permissions()
        .mode()
        & 0o7777
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// A read-only book is refused, not replaced through the rename (which a folder's write
/// permission would allow); so is a read-only log, and a read-only report page.
#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused_not_replaced() {
    let ws = Workspace::new()
        .file("customers.csv", BOOK)
        .file("activities.csv", HEADER)
        .file("report.html", "mine\n");
    chmod(&ws.path().join("customers.csv"), 0o444);
    ws.run(["promote", "c1"])
        .stdout("")
        .stderr(&refused("customers.csv is read-only: nothing written"))
        .code(2);
    assert_eq!(read(&ws, "customers.csv"), BOOK);
    assert_eq!(read(&ws, "activities.csv"), HEADER);
    assert_eq!(mode(&ws.path().join("customers.csv")), 0o444);
    assert_eq!(
        names(ws.path()),
        [
            ".clientele",
            "activities.csv",
            "customers.csv",
            "report.html"
        ]
    );

    chmod(&ws.path().join("activities.csv"), 0o444);
    ws.run(["log", "c1", "call"])
        .stderr(&refused("activities.csv is read-only: nothing written"))
        .code(2);
    assert_eq!(read(&ws, "activities.csv"), HEADER);

    chmod(&ws.path().join("report.html"), 0o444);
    ws.run(["report", "--html", "report.html"])
        .stderr(&refused("report.html is read-only: nothing written"))
        .code(2);
    assert_eq!(read(&ws, "report.html"), "mine\n");
}

/// A symlinked book is written where it points, in that folder; the link stays a link. Its
/// mode (0600) is kept, and no temporary file is left on either side.
#[cfg(unix)]
#[test]
fn a_symlinked_book_is_written_through_to_its_target() {
    let ws = Workspace::new().file("real/book.csv", BOOK);
    chmod(&ws.path().join("real/book.csv"), 0o600);
    std::os::unix::fs::symlink("real/book.csv", ws.path().join("customers.csv")).unwrap();
    ws.run(["promote", "c1"])
        .stdout(PROMOTE_TABLE)
        .stderr("")
        .code(0);
    let link = std::fs::symlink_metadata(ws.path().join("customers.csv")).unwrap();
    assert!(link.file_type().is_symlink(), "the link stays a link");
    assert_eq!(
        std::fs::read_link(ws.path().join("customers.csv")).unwrap(),
        Path::new("real/book.csv")
    );
    assert_eq!(read(&ws, "real/book.csv"), PROMOTED);
    assert_eq!(mode(&ws.path().join("real/book.csv")), 0o600);
    assert_eq!(read(&ws, "activities.csv"), PROMOTE_LOG);
    assert_eq!(
        names(ws.path()),
        [".clientele", "activities.csv", "customers.csv", "real"]
    );
    assert_eq!(names(&ws.path().join("real")), ["book.csv"]);
}

/// The temporary file has the book's mode from the start: a run killed after writing it
/// leaves a 0600 file beside a 0600 book, never a world-readable copy. The next writer
/// finishes the change through the journal (the temporary file becomes the book) and the
/// book keeps its mode; another run's temporary file is left alone while that run lives.
#[cfg(unix)]
#[test]
fn the_temporary_file_has_the_books_mode_and_a_killed_runs_is_swept() {
    use std::os::unix::process::ExitStatusExt;
    let ws = Workspace::new().file("customers.csv", BOOK);
    chmod(&ws.path().join("customers.csv"), 0o600);
    let child = ws
        .command(["promote", "c1"])
        .env("CLIENTELE_FAILPOINT", "after-temps")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start clientele");
    let pid = child.id();
    let out = child.wait_with_output().expect("wait for clientele");
    assert_eq!(out.status.signal(), Some(6), "killed by SIGABRT");
    let temp = format!(".customers.csv.clientele-{pid}.tmp");
    assert_eq!(read(&ws, &temp), PROMOTED);
    assert_eq!(mode(&ws.path().join(&temp)), 0o600);
    assert_eq!(read(&ws, "customers.csv"), BOOK);

    // A leftover of a run that still lives (this test) is not touched.
    let live = format!(".customers.csv.clientele-{}.tmp", std::process::id());
    std::fs::write(ws.path().join(&live), "in use").unwrap();
    ws.run(["promote", "c1"])
        .stdout("")
        .stderr(
            "clientele: warning: finished a change to customers.csv that was interrupted: 1 \
             file, 1 log row\nclientele: c1: cannot enter intent: needs_confirmed, \
             price_confirmed\n",
        )
        .code(1);
    assert_eq!(read(&ws, "customers.csv"), PROMOTED);
    assert_eq!(mode(&ws.path().join("customers.csv")), 0o600);
    assert_eq!(
        names(ws.path()),
        [
            ".clientele".to_string(),
            live,
            "activities.csv".to_string(),
            "customers.csv".to_string(),
        ]
    );
}

/// A folder book's leftovers are in the folder; the log's beside the log. Each is swept by
/// the next run that takes that file's lock.
#[cfg(target_os = "linux")]
#[test]
fn leftovers_in_a_folder_book_and_beside_the_log_are_swept() {
    let dead = dead_pid();
    let ws = Workspace::new()
        .file("clientele.toml", "customers = \"customers\"\n")
        .file(
            "customers/c1.toml",
            "name = \"Acme\"\nstage = \"potential\"\ntrial_started = true\n",
        )
        .file(format!("customers/.c1.toml.clientele-{dead}.tmp"), "old")
        .file(format!("customers/.c9.toml.clientele-{dead}.tmp"), "old")
        .file("activities.csv", HEADER)
        .file(format!(".activities.csv.clientele-{dead}.tmp"), "old")
        .file(format!(".clientele.toml.clientele-{dead}.tmp"), "not ours");
    ws.run(["promote", "c1"]).stderr("").code(0);
    assert_eq!(names(&ws.path().join("customers")), ["c1.toml"]);
    assert_eq!(
        read(&ws, "customers/c1.toml"),
        "name = \"Acme\"\nstage = \"trial\"\ntrial_started = true\n"
    );
    ws.run(["log", "c1", "call"]).stderr("").code(0);
    assert_eq!(
        names(ws.path()),
        [
            ".clientele".to_string(),
            format!(".clientele.toml.clientele-{dead}.tmp"),
            "activities.csv".to_string(),
            "clientele.toml".to_string(),
            "customers".to_string(),
        ]
    );
}

/// When the temporary file cannot be made, the error names the book, not the temporary file.
#[test]
fn a_failed_write_names_the_users_file() {
    use clientele::error::Error;
    use clientele::store::Fingerprint;
    use clientele::store::writeback::{Planned, commit};
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("gone/customers.csv");
    let planned = Planned {
        path: path.clone(),
        before: Fingerprint::of(b"id\n"),
        old_text: "id\n".into(),
        new_text: "id\nc1\n".into(),
        bytes: b"id\nc1\n".to_vec(),
    };
    match commit(dir.path(), &path, &[planned], None) {
        Err(e @ Error::Io { .. }) => {
            let Error::Io { path: named, .. } = &e else {
                unreachable!()
            };
            assert_eq!(named, &path);
            assert!(!e.to_string().contains(".clientele-"), "{e}");
        }
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

#[test]
fn report_html_refuses_the_workspaces_own_files_by_any_path() {
    let tiers = clientele::rules::EMBEDDED
        .iter()
        .find(|(name, _)| *name == "tiers")
        .expect("the embedded tiers")
        .1;
    let ws = Workspace::new()
        .file("customers.csv", BOOK)
        .file("activities.csv", HEADER)
        .file("clientele.toml", "customers = \"customers.csv\"\n")
        .file("rules/tiers.toml", tiers)
        .file("sub/keep", "");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("customers.csv", ws.path().join("link.csv")).unwrap();
        std::fs::hard_link(
            ws.path().join("customers.csv"),
            ws.path().join("sub/hard.csv"),
        )
        .unwrap();
    }
    let book = |file: &str| {
        refused(&format!(
            "{file} is the customer book: --html will not write there; nothing written. \
             Name another file for --html"
        ))
    };
    let mut cases = vec![
        ("customers.csv", book("customers.csv")),
        ("./customers.csv", book("./customers.csv")),
        ("sub/../customers.csv", book("sub/../customers.csv")),
        (
            "activities.csv",
            refused(
                "activities.csv is the activity log: --html will not write there; nothing \
                 written. Name another file for --html",
            ),
        ),
        (
            "rules/tiers.toml",
            refused(
                "rules/tiers.toml is a rule file: --html will not write there; nothing \
                 written. Name another file for --html",
            ),
        ),
        (
            "clientele.toml",
            refused(
                "clientele.toml is the workspace's configuration: --html will not write \
                 there; nothing written. Name another file for --html",
            ),
        ),
    ];
    if cfg!(unix) {
        cases.push(("link.csv", book("link.csv")));
        cases.push(("sub/hard.csv", book("sub/hard.csv")));
    }
    let before = ws.snapshot();
    for (file, message) in &cases {
        ws.run(["report", "--html", file])
            .stdout("")
            .stderr(message)
            .code(2);
        ws.assert_unchanged(&before);
    }
    // From a folder below, the book by its relative path is still the book.
    ws.run_in("sub", ["report", "--html", "../customers.csv"])
        .stderr(&book("../customers.csv"))
        .code(2);
    ws.assert_unchanged(&before);
    // Any other file is written.
    ws.run(["report", "--html", "report.html"])
        .stdout("")
        .code(0);
    assert!(read(&ws, "report.html").starts_with("<!DOCTYPE html>"));
    assert_eq!(read(&ws, "customers.csv"), BOOK);
}

#[test]
fn report_html_refuses_a_folder_book_and_its_files() {
    let ws = Workspace::new()
        .file("clientele.toml", "customers = \"customers\"\n")
        .file("customers/c1.toml", "name = \"Acme\"\nrevenue = 1200\n");
    let before = ws.snapshot();
    ws.run(["report", "--html", "customers"])
        .stderr(&refused(
            "customers is the customer book: --html will not write there; nothing written. \
             Name another file for --html",
        ))
        .code(2);
    for file in ["customers/c1.toml", "customers/report.html"] {
        ws.run(["report", "--html", file])
            .stderr(&refused(&format!(
                "{file} is in the customer book's folder: --html will not write there; \
                 nothing written. Name another file for --html"
            )))
            .code(2);
    }
    ws.assert_unchanged(&before);
}

/// What `tier --write` (scheme abc: "A", "B", "C") says of a field of another kind.
fn wrong_field(given: &str, header: &str, holds: &str) -> String {
    refused(&format!(
        "--field {given}: column \"{header}\" holds {holds}; tier --scheme abc would write \
         \"A\", \"B\", \"C\" over it; nothing written. Name a column of its own, e.g. --field abc"
    ))
}

#[test]
fn tier_and_classify_write_into_no_column_of_another_kind() {
    let book = "id,name,grade,type,revenue,last_contact,traits\n\
                c1,Acme,B,,1200,2026-11-01,principled\n\
                c2,Bee,C,,300,,\n";
    let ws = Workspace::new().file("customers.csv", book);
    let before = data_files(&ws);
    fn tier(field: &str) -> Vec<&str> {
        vec!["tier", "--write", "--field", field]
    }
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            tier(""),
            refused(
                "--field \"\" names no column; nothing written. Name the column to store the \
                 values in",
            ),
        ),
        (
            tier("  "),
            refused(
                "--field \"  \" names no column; nothing written. Name the column to store the \
                 values in",
            ),
        ),
        (tier("id"), wrong_field("id", "id", "the customers' ids")),
        // By an alias, the column as the book names it.
        (
            tier("客户编号"),
            wrong_field("客户编号", "id", "the customers' ids"),
        ),
        (
            tier("revenue"),
            wrong_field("revenue", "revenue", "the customers' revenue (money)"),
        ),
        (
            tier("last_contact"),
            wrong_field(
                "last_contact",
                "last_contact",
                "the customers' last_contact (date)",
            ),
        ),
        (
            tier("type"),
            wrong_field("type", "type", "the customers' type (text)"),
        ),
        (
            tier("traits"),
            wrong_field("traits", "traits", "the customers' traits"),
        ),
        // Not in the book yet: a new column the book would then read as a stage, a flag, a
        // rating; or one the log gives, which no column sets.
        (
            tier("stage"),
            wrong_field("stage", "stage", "the customers' stage"),
        ),
        (
            tier("price_agreed"),
            wrong_field(
                "price_agreed",
                "price_agreed",
                "the customers' price_agreed (yes/no)",
            ),
        ),
        (
            tier("loyalty"),
            wrong_field("loyalty", "loyalty", "the customers' loyalty (number)"),
        ),
        (
            tier("order_count"),
            wrong_field(
                "order_count",
                "order_count",
                "the customers' order_count (number)",
            ),
        ),
        // Grades hold grades: a pyramid's tiers are none.
        (
            vec!["tier", "--scheme", "pyramid", "--write", "--field", "grade"],
            refused(
                "--field grade: column \"grade\" holds the customers' grade; tier --scheme \
                 pyramid would write \"key\", \"secondary\", \"ordinary\", \"small\" over it; \
                 nothing written. Name a column of its own, e.g. --field pyramid",
            ),
        ),
        // A dry run of a write that would be refused is refused.
        (
            vec!["tier", "--write", "--dry-run", "--field", "id"],
            wrong_field("id", "id", "the customers' ids"),
        ),
        (
            vec!["classify", "--write", "--field", "grade"],
            refused(
                "--field grade: column \"grade\" holds the customers' grade; classify would \
                 write \"rational\", \"task\", \"greedy\", \"owner\", … over it; nothing \
                 written. Name a column of its own, e.g. --field type",
            ),
        ),
        (
            vec!["classify", "--write", "--field", "revenue"],
            refused(
                "--field revenue: column \"revenue\" holds the customers' revenue (money); \
                 classify would write \"rational\", \"task\", \"greedy\", \"owner\", … over it; \
                 nothing written. Name a column of its own, e.g. --field type",
            ),
        ),
    ];
    for (args, message) in &cases {
        ws.run(args).stdout("").stderr(message).code(2);
        unchanged_data(&ws, &before);
    }
    assert!(!ws.path().join("activities.csv").exists());

    // The grade scheme's tiers are grades: it writes the grade column, and logs the changes.
    // c1 has a last contact: ordinary potential, D; c2 nothing known, E.
    ws.run(["tier", "--scheme", "grade", "--write", "--field", "grade"])
        .stderr("")
        .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,name,grade,type,revenue,last_contact,traits\n\
         c1,Acme,D,,1200,2026-11-01,principled\n\
         c2,Bee,E,,300,,\n"
    );
    assert_eq!(
        read(&ws, "activities.csv"),
        format!(
            "{HEADER}2026-11-22,c1,grade_change,,B -> D; tier grade\n\
             2026-11-22,c2,grade_change,,C -> E; tier grade\n"
        )
    );
}

#[test]
fn a_field_refused_is_named_as_the_users_header_in_both_languages() {
    let ws = Workspace::new()
        .file(
            "customers.csv",
            "Kunde,客户名称,销售额\nK1,华星贸易,1200\nK2,远山包装,300\n",
        )
        .file("clientele.toml", "[columns]\nid = \"Kunde\"\n");
    let before = data_files(&ws);
    ws.run(["tier", "--write", "--field", "kunde"])
        .stderr(&wrong_field("kunde", "Kunde", "the customers' ids"))
        .code(2);
    ws.run(["tier", "--write", "--field", "revenue"])
        .stderr(&wrong_field(
            "revenue",
            "销售额",
            "the customers' revenue (money)",
        ))
        .code(2);
    ws.run(["--lang", "zh", "tier", "--write", "--field", "revenue"])
        .stderr(
            "clientele: 错误: --field revenue：列 \"销售额\" 存放客户的 revenue（金额）；tier \
             --scheme abc 会用 \"A\"、\"B\"、\"C\" 覆盖它；未写入任何内容。请另用一列，例如 --field abc\n",
        )
        .code(2);
    unchanged_data(&ws, &before);
}

/// A tiers file with a scheme that reads the column `region`.
const REGION_TIERS: &str = "[scheme.abc]
kind = \"pareto\"
en = \"ABC (Pareto)\"
zh = \"ABC分类\"
metric = \"has(revenue) ? revenue : order_total\"
classes = [
  { id = \"A\", upto = 80, en = \"A\", zh = \"A类\" },
  { id = \"B\", upto = 95, en = \"B\", zh = \"B类\" },
  { id = \"C\", upto = 100, en = \"C\", zh = \"C类\" },
]

[scheme.north]
kind = \"rules\"
en = \"North first\"
zh = \"北方优先\"
rules = [
  { tier = \"first\", when = \"field(\\\"region\\\") == \\\"north\\\"\", label = \"north\", label_zh = \"北方\" },
]
default = \"later\"
tiers = [
  { id = \"first\", en = \"First\", zh = \"优先\" },
  { id = \"later\", en = \"Later\", zh = \"其后\" },
]
";

#[test]
fn a_column_the_rules_read_is_written_only_when_it_holds_what_is_written() {
    let ws = Workspace::new()
        .file("rules/tiers.toml", REGION_TIERS)
        .file(
            "customers.csv",
            "id,name,revenue,region\nc1,Acme,100,north\nc2,Bee,50,south\n",
        );
    let before = data_files(&ws);
    ws.run(["tier", "--write", "--field", "Region"])
        .stderr(&refused(
            "--field Region: the rule files read column \"region\" (field(\"region\")), and it \
             holds other values than tier --scheme abc writes; writing there would change what \
             the rules decide; nothing written. Name a column of its own, e.g. --field abc",
        ))
        .code(2);
    unchanged_data(&ws, &before);

    // Empty, or holding the scheme's own tiers (a rule reading back a stored tier): written.
    // By revenue, c1 holds 2/3 and c2 is reached before 80%: both A.
    let ws = Workspace::new()
        .file("rules/tiers.toml", REGION_TIERS)
        .file(
            "customers.csv",
            "id,name,revenue,region\nc1,Acme,100,\nc2,Bee,50,B\n",
        );
    ws.run(["tier", "--write", "--field", "region"])
        .stderr("")
        .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,name,revenue,region\nc1,Acme,100,A\nc2,Bee,50,A\n"
    );
}

#[test]
fn an_empty_log_gets_its_header_before_the_row() {
    let book = "id,name\nc1,Acme\n";
    for (log, expected) in [
        ("", format!("{HEADER}2026-11-22,c1,call,,\n")),
        ("  \n\n", format!("{HEADER}2026-11-22,c1,call,,\n")),
        (
            "\u{feff}",
            format!("\u{feff}{HEADER}2026-11-22,c1,call,,\n"),
        ),
    ] {
        let ws = Workspace::new()
            .file("customers.csv", book)
            .file("activities.csv", log);
        ws.run(["log", "c1", "call"]).stdout("").stderr("").code(0);
        assert_eq!(read(&ws, "activities.csv"), expected, "{log:?}");
        ws.run(["due", "--format", "tsv", "--columns", "id,reason"])
            .stderr("")
            .code(0);
    }
    // Beside a book of Chinese headers, the header an empty log gets is Chinese, as a new
    // log's is.
    let ws = Workspace::new()
        .file("customers.csv", "客户编号,客户名称\nc1,华星\n")
        .file("activities.csv", "");
    ws.run(["log", "c1", "call"]).code(0);
    assert_eq!(
        read(&ws, "activities.csv"),
        "日期,客户编号,类型,金额,备注\n2026-11-22,c1,电话,,\n"
    );
}

#[test]
fn log_keeps_a_tab_and_a_free_order_but_refuses_what_it_could_not_read_back() {
    let ws = Workspace::new()
        .file("customers.csv", "id,name\nc1,Acme\n")
        .file("activities.csv", HEADER);
    ws.run(["log", "c1", "call", "--note", "a\tb"]).code(0);
    ws.run([
        "log",
        "c1",
        "order",
        "--amount",
        "0",
        "--date",
        "2026-11-22",
    ])
    .code(0);
    let log = format!("{HEADER}2026-11-22,c1,call,,a\tb\n2026-11-22,c1,order,0.00,\n");
    assert_eq!(read(&ws, "activities.csv"), log);
    let before = ws.snapshot();
    for (args, message) in [
        (
            vec!["c1\u{1b}", "call"],
            "the customer id holds the control character U+001B, which has no place in the \
             activity log; nothing written",
        ),
        (
            vec!["c1", "visit", "--amount", "-5"],
            "--amount is for orders only, and a visit has no amount; nothing written",
        ),
        (
            vec!["c1", "order", "--date", "2026-11-23", "--amount", "5"],
            "--date 2026-11-23 is after today (2026-11-22): log a touch once it has happened \
             (a call-back is planned with `clientele plan`); nothing written",
        ),
    ] {
        ws.run(["log"].iter().copied().chain(args.iter().copied()))
            .stdout("")
            .stderr(&refused(message))
            .code(2);
        ws.assert_unchanged(&before);
    }
}

/// A log whose end sits inside a quoted cell would swallow the rows appended to it: refused,
/// naming the line the cell opens on, for `log` and for `promote` (before the book changes).
#[test]
fn a_log_ending_inside_a_quoted_cell_is_refused() {
    let log =
        format!("{HEADER}2026-11-01,c1,call,,\"asked, then\n2026-11-02,c1,visit,,\"\"met\"\"\n");
    let ws = Workspace::new()
        .file("customers.csv", BOOK)
        .file("activities.csv", &log);
    let message = "clientele: error: activities.csv:2:21: column E (note): this quoted field is \
                   never closed: a `\"` is missing\n  |\n2 | 2026-11-01,c1,call,,\"asked, then\n  \
                   |                     ^\n  = hint: the 1 line after it is read as part of this \
                   field, not as rows, and a row appended now would be too: nothing written; add \
                   the missing `\"` first (a `\"` inside a field is written `\"\"`)\n";
    let before = data_files(&ws);
    ws.run(["log", "c1", "call"]).stderr(message).code(2);
    let promote = ws.run(["promote", "c1"]);
    promote.stdout("").code(2);
    let first = message.lines().next().unwrap();
    assert!(
        promote.stderr_text().starts_with(first),
        "{}",
        promote.stderr_text()
    );
    unchanged_data(&ws, &before);
}

/// A UTF-8 book or log read as GBK is not written; a GBK one read as GBK is.
#[test]
fn a_forced_encoding_writes_only_a_file_in_that_encoding() {
    let chinese = "id,name,stage,trial_started\nc1,华星,potential,yes\n";
    let ws = Workspace::new().file("customers.csv", chinese);
    let before = data_files(&ws);
    ws.run(["--encoding", "gbk", "promote", "c1"])
        .stdout("")
        .stderr(&refused(
            "customers.csv is UTF-8 text but was read as GBK (--encoding, or encoding in \
             clientele.toml): writing to it would mix GBK into its UTF-8 text; nothing \
             written. Leave the encoding out to read it as UTF-8",
        ))
        .code(2);
    unchanged_data(&ws, &before);

    let gbk = crate::writeback::gbk;
    let ws = Workspace::new().file("customers.csv", gbk(chinese));
    ws.run(["--encoding", "gbk", "promote", "c1"])
        .stderr("")
        .code(0);
    assert_eq!(
        crate::writeback::bytes(&ws, "customers.csv"),
        gbk("id,name,stage,trial_started\nc1,华星,trial,yes\n")
    );
}
