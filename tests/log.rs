//! `clientele log`: appending one row to the activity log in its own encoding and line
//! endings, refusing bad input without touching a byte, concurrent runs, and `due` after it.

use std::process::Stdio;

use crate::util::Workspace;
use crate::writeback::{data_files, unchanged_data};

const HEADER: &str = "date,customer_id,kind,amount,note\n";
const CUSTOMERS: &str = "id,name,grade,last_contact\nc1,Alpha,C,2026-09-20\nc2,Beta,D,\n";

fn with_log(log: &[u8]) -> Workspace {
    Workspace::new()
        .file("customers.csv", CUSTOMERS)
        .file("activities.csv", log)
}

fn log_bytes(ws: &Workspace) -> Vec<u8> {
    std::fs::read(ws.path().join("activities.csv")).expect("read the log")
}

/// GBK for 客户说下周再联系 ("will call back next week").
const GBK_CALL_BACK: &[u8] = b"\xbf\xcd\xbb\xa7\xcb\xb5\xcf\xc2\xd6\xdc\xd4\xd9\xc1\xaa\xcf\xb5";
/// GBK for 面谈报价 ("met, quoted a price").
const GBK_QUOTED: &[u8] = b"\xc3\xe6\xcc\xb8\xb1\xa8\xbc\xdb";

#[test]
fn log_creates_the_log_and_appends_normalised_rows() {
    let ws = Workspace::new().file("customers.csv", CUSTOMERS);
    ws.run(["log", "c1", "call"]).stdout("").stderr("").code(0);
    assert_eq!(
        String::from_utf8(log_bytes(&ws)).unwrap(),
        format!("{HEADER}2026-11-22,c1,call,,\n")
    );
    ws.run([
        "log",
        "c1",
        "order",
        "--date",
        "2026/11/5",
        "--amount",
        "¥1,234.5",
        "--note",
        "said \"yes\", then left",
    ])
    .stdout("")
    .stderr("")
    .code(0);
    ws.run([
        "log",
        "c2",
        "电话",
        "--date",
        "2026年11月6日",
        "--note",
        "a\nb",
    ])
    .stdout("")
    .code(0);
    ws.run(["log", "c2", "order", "--amount", "3万"]).code(0);
    assert_eq!(
        String::from_utf8(log_bytes(&ws)).unwrap(),
        format!(
            "{HEADER}2026-11-22,c1,call,,\n\
             2026-11-05,c1,order,1234.50,\"said \"\"yes\"\", then left\"\n\
             2026-11-06,c2,call,,\"a\nb\"\n\
             2026-11-22,c2,order,30000.00,\n"
        )
    );
}

#[test]
fn log_refuses_bad_input_and_changes_nothing() {
    for log in [Some(format!("{HEADER}2026-11-01,c1,call,,\n")), None] {
        let mut ws = Workspace::new().file("customers.csv", CUSTOMERS);
        if let Some(log) = &log {
            ws = ws.file("activities.csv", log);
        }
        let before = ws.snapshot();
        let refusals: [(&[&str], &str); 4] = [
            (
                &["c9", "call"],
                "clientele: error: unknown customer id \"c9\" in customers.csv\n",
            ),
            (
                &["c1", "dance"],
                "clientele: error: unknown kind \"dance\" (expected one of call, visit, email, \
                 message, order, sample_request, sample_received, complaint, stage_change, \
                 grade_change)\n",
            ),
            (
                &["c1", "call", "--date", "2026-13-01"],
                "clientele: error: cannot read --date \"2026-13-01\": expected a date like \
                 2025-04-11\n",
            ),
            (
                &["c1", "order", "--amount", "abc"],
                "clientele: error: cannot read --amount \"abc\": expected an amount like \
                 1,234.50\n",
            ),
        ];
        for (args, message) in refusals {
            ws.run(["log"].iter().chain(args))
                .stdout("")
                .stderr(message)
                .code(2);
            ws.assert_unchanged(&before);
        }
    }
}

#[test]
fn a_crlf_gbk_log_gets_a_crlf_gbk_row() {
    let before = [
        b"date,customer_id,kind,amount,note\r\n2026-11-01,c1,call,,".as_slice(),
        GBK_CALL_BACK,
        b"\r\n",
    ]
    .concat();
    let ws = with_log(&before);
    ws.run([
        "log",
        "c1",
        "visit",
        "--date",
        "2026-11-20",
        "--note",
        "面谈报价",
    ])
    .stdout("")
    .stderr("")
    .code(0);
    let expected = [
        before.as_slice(),
        b"2026-11-20,c1,visit,,",
        GBK_QUOTED,
        b"\r\n",
    ]
    .concat();
    assert_eq!(log_bytes(&ws), expected);
}

#[test]
fn a_one_row_gbk_log_still_takes_a_chinese_note() {
    // A fresh log from Excel with one short Chinese note (面谈, GBK): GBK is the common case.
    let before = b"date,customer_id,kind,amount,note\r\n2026-11-01,c1,call,,\xc3\xe6\xcc\xb8\r\n";
    let ws = with_log(before);
    ws.run(["log", "c1", "visit", "--note", "面谈报价"])
        .stderr("")
        .code(0);
    let expected = [
        before.as_slice(),
        b"2026-11-22,c1,visit,,",
        GBK_QUOTED,
        b"\r\n",
    ]
    .concat();
    assert_eq!(log_bytes(&ws), expected);
}

#[test]
fn a_bom_is_not_repeated_and_a_last_line_without_its_end_is_refused() {
    let bom = format!("\u{feff}{HEADER}2026-11-01,c1,call,,首次\n");
    let ws = with_log(bom.as_bytes());
    ws.run(["log", "c1", "email", "--note", "报价"]).code(0);
    assert_eq!(
        String::from_utf8(log_bytes(&ws)).unwrap(),
        format!("{bom}2026-11-22,c1,email,,报价\n")
    );

    // A last row without its line end may be one a write cut short: the user looks at it
    // before anything is added after it.
    for log in [
        format!("{HEADER}2026-11-01,c1,call,,").into_bytes(),
        b"date,customer_id,kind,amount,note\r\n2026-11-01,c1,call,,".to_vec(),
    ] {
        let ws = with_log(&log);
        let before = data_files(&ws);
        ws.run(["log", "c2", "message"])
            .stdout("")
            .stderr(
                "clientele: error: activities.csv: the last line does not end with a line \
                 break, so it may have been cut short; nothing written. Check that line, end it \
                 with a line break, and run again\n",
            )
            .code(2);
        // The log's lock file aside: the log is looked at under its lock.
        unchanged_data(&ws, &before);
    }

    // The header alone without its line end is whole: the row goes on the next line.
    let ws = with_log(b"date,customer_id,kind,amount,note");
    ws.run(["log", "c2", "message"]).stderr("").code(0);
    assert_eq!(
        log_bytes(&ws),
        b"date,customer_id,kind,amount,note\n2026-11-22,c2,message,,\n"
    );
}

#[test]
fn twenty_concurrent_logs_each_land_whole() {
    let ws = Workspace::new().file("customers.csv", CUSTOMERS);
    let note = |i: usize| format!("writer {i:02}, {}", "x".repeat(2000 + i));
    let children: Vec<_> = (0..20)
        .map(|i| {
            let id = if i % 2 == 0 { "c1" } else { "c2" };
            ws.command(["log", id, "call", "--note", &note(i)])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start clientele")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait for clientele");
        assert!(out.status.success(), "a concurrent log failed: {out:?}");
        assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");
    }
    let text = String::from_utf8(log_bytes(&ws)).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    assert!(text.ends_with('\n'));
    assert_eq!(
        lines.remove(0),
        HEADER.trim_end(),
        "the header comes first, once"
    );
    let mut expected: Vec<String> = (0..20)
        .map(|i| {
            let id = if i % 2 == 0 { "c1" } else { "c2" };
            format!("2026-11-22,{id},call,,\"{}\"", note(i))
        })
        .collect();
    let mut got: Vec<String> = lines.into_iter().map(str::to_string).collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
}

#[test]
fn due_reflects_a_logged_touch_at_once() {
    // Sample requested Mon Oct 26: steps Oct 27, 28, 30, Nov 2, 9, 16, Dec 1.
    let ws = Workspace::new().file(
        "customers.csv",
        "id,grade,sample_requested,last_contact\nb1,B,2026-10-26,2026-11-05\n",
    );
    let head = "due\toverdue_days\tid\tname\towner\tgrade\tstage\ttype\treason\treason_code\tstrategy\tlate\t\
                phone\temail\tcontact\tlast_contact\tlast_note\n";
    let due = || ws.run(["due", "--format", "tsv"]);
    due().stdout(&format!(
        "{head}2026-11-09\t13\tb1\t\t\tB\t\t\tB sample step 5/7\tsample\t\ttrue\t\t\t\t2026-11-05\t\n"
    ));
    // Received Thu Nov 12 (not a touch): steps Sun Nov 15 → Mon Nov 16, Nov 22, 25, Dec 2.
    ws.run(["log", "b1", "sample_received", "--date", "2026-11-12"])
        .code(0);
    due().stdout(&format!(
        "{head}2026-11-16\t6\tb1\t\t\tB\t\t\tB received step 1/4\treceived\t\ttrue\t\t\t\t2026-11-05\t\n"
    ));
    // A call today meets steps 1 and 2; step 3 (Wed Nov 25) is not due yet. Its note is the
    // last note.
    ws.run(["log", "b1", "call", "--note", "samples arrived intact"])
        .code(0);
    due().stdout("").code(0);
    ws.run(["due", "--format", "tsv", "--within", "3d"])
        .stdout(&format!(
            "{head}2026-11-25\t-3\tb1\t\t\tB\t\t\tB received step 3/4\treceived\t\tfalse\t\t\t\t2026-11-22\tsamples arrived intact\n"
        ));
}

/// A shared log with one row of an unknown kind (a typo, 电话咨询) and one row of a customer
/// deleted from the book: `due` skips the bad row (the rest still count: c1's call on
/// 2026-09-20 makes its C cadence due 2026-11-20, today) and says so in one line; the deleted
/// customer's row is `check`'s business only; `--quiet` leaves stderr empty; `check` lists
/// both rows and exits 1.
#[test]
fn a_bad_log_row_does_not_stop_the_morning_list() {
    let log = format!(
        "{HEADER}2026-09-20,c1,call,,quoted\n2026-11-02,c1,电话咨询,,asked again\n2026-10-01,gone,call,,\n"
    );
    let ws = with_log(log.as_bytes());
    let today = ["--today", "2026-11-20", "--format", "csv"];
    // The due date, id and reason of each row.
    let listed = |csv: String| -> Vec<String> {
        csv.lines()
            .skip(1)
            .map(|l| {
                let cells: Vec<&str> = l.split(',').collect();
                format!("{} {} {}", cells[0], cells[2], cells[8])
            })
            .collect()
    };
    let want = [
        "2026-11-20 c1 C every 2 months",
        "2026-11-20 c2 never contacted",
    ];
    let due = ws.run(["due"].iter().chain(&today).copied());
    due.stderr(
        "clientele: warning: activities.csv: 1 unreadable row skipped, see `clientele check`\n",
    )
    .code(0);
    assert_eq!(listed(due.stdout_text()), want);
    let quiet = ws.run(["due", "--quiet"].iter().chain(&today).copied());
    quiet.stderr("").code(0);
    assert_eq!(listed(quiet.stdout_text()), want);
    let check = ws.run(["check"]);
    check.code(1);
    let stderr = check.stderr_text();
    assert!(
        stderr.contains("activities.csv:3:15: column C (kind): unknown kind \"电话咨询\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("activities.csv:4:12: column B (customer_id): unknown customer \"gone\""),
        "{stderr}"
    );
}

/// An English team's log, ASCII but for one stray byte (0xFF, a byte of no encoding's
/// text here): it is read as UTF-8, the row holding the byte is skipped with one warning
/// (c1's call on 2026-09-20 still makes its C cadence due 2026-11-20), `check` names the
/// row and the column (line 3, the note: `2026-11-02,c1,call,,` is 20 bytes, so column
/// 21) and exits 1, and `log` appends after it as UTF-8.
#[test]
fn a_stray_byte_in_an_ascii_log_does_not_stop_the_morning_list() {
    let mut log = format!("{HEADER}2026-09-20,c1,call,,quoted\n").into_bytes();
    log.extend_from_slice(b"2026-11-02,c1,call,,asked \xFF again\n");
    let ws = with_log(&log);
    let due = ws.run([
        "due",
        "--today",
        "2026-11-20",
        "--format",
        "tsv",
        "--columns",
        "id,reason",
    ]);
    due.stdout("id\treason\nc1\tC every 2 months\nc2\tnever contacted\n")
        .stderr(
            "clientele: warning: activities.csv: 1 unreadable row skipped, see `clientele check`\n",
        )
        .code(0);
    let check = ws.run(["check"]);
    check.code(1);
    let stderr = check.stderr_text();
    assert!(
        stderr.contains("activities.csv:3:21: column E (note): not valid UTF-8"),
        "{stderr}"
    );
    ws.run([
        "log",
        "c2",
        "call",
        "--date",
        "2026-11-20",
        "--note",
        "回访",
    ])
    .code(0);
    let mut want = log.clone();
    want.extend_from_slice("2026-11-20,c2,call,,回访\n".as_bytes());
    assert_eq!(log_bytes(&ws), want);
}
