//! Write-back byte by byte: after a change exactly the changed line differs — with quoted
//! fields, multi-line cells, CRLF, a BOM, GBK, UTF-16 and semicolons; a column is added only
//! when needed; TOML keeps comments, spacing and dates; a run that changes nothing leaves
//! every byte and mtime alone; a value the encoding cannot hold writes nothing.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use crate::util::Workspace;

/// Every file of the workspace but clientele's own (the lock), with its bytes and mtime.
pub fn data_files(ws: &Workspace) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    ws.snapshot()
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".clientele"))
        .map(|(p, bytes)| {
            let mtime = std::fs::metadata(ws.path().join(&p))
                .and_then(|m| m.modified())
                .expect("read an mtime");
            (p, (bytes, mtime))
        })
        .collect()
}

/// Fails, naming each file, if a file (clientele's own aside) was added, removed, or changed in
/// its bytes or its mtime since `before`.
pub fn unchanged_data(ws: &Workspace, before: &BTreeMap<PathBuf, (Vec<u8>, SystemTime)>) {
    let after = data_files(ws);
    let mut problems = Vec::new();
    for (path, (bytes, mtime)) in before {
        match after.get(path) {
            None => problems.push(format!("removed: {}", path.display())),
            Some((b, _)) if b != bytes => problems.push(format!("changed: {}", path.display())),
            Some((_, m)) if m != mtime => problems.push(format!("touched: {}", path.display())),
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        problems.push(format!("added: {}", path.display()));
    }
    assert!(problems.is_empty(), "the workspace changed: {problems:?}");
}

/// Sets every file's mtime a year back, so that any rewrite shows in the mtime.
pub fn age(ws: &Workspace) {
    let past = SystemTime::now() - Duration::from_secs(365 * 86_400);
    for path in ws.snapshot().keys() {
        std::fs::File::options()
            .write(true)
            .open(ws.path().join(path))
            .and_then(|f| f.set_modified(past))
            .expect("set an mtime");
    }
}

/// A workspace file as UTF-8 text.
pub fn read(ws: &Workspace, path: &str) -> String {
    std::fs::read_to_string(ws.path().join(path)).expect("read a workspace file")
}

pub fn bytes(ws: &Workspace, path: &str) -> Vec<u8> {
    std::fs::read(ws.path().join(path)).expect("read a workspace file")
}

pub fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, lossy) = encoding_rs::GBK.encode(text);
    assert!(!lossy, "the fixture must be GBK-safe");
    bytes.into_owned()
}

fn utf16le_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// Asserts `new` is `old` with exactly one line (split after each `\n`) replaced, by `line`.
pub fn one_line_changed(old: &[u8], new: &[u8], line: &[u8]) {
    let a: Vec<&[u8]> = old.split_inclusive(|&b| b == b'\n').collect();
    let b: Vec<&[u8]> = new.split_inclusive(|&b| b == b'\n').collect();
    assert_eq!(a.len(), b.len(), "the number of lines changed");
    let differ: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    assert_eq!(differ.len(), 1, "lines {differ:?} differ, expected one");
    assert_eq!(
        String::from_utf8_lossy(b[differ[0]]),
        String::from_utf8_lossy(line)
    );
}

/// Runs `args` on a workspace holding `file` = `old`, expects success, and checks the file is
/// then exactly `new`, with exactly `line` changed.
fn changes_one_line(file: &str, old: &[u8], args: &[&str], new: &[u8], line: &[u8]) {
    let ws = Workspace::new().file(file, old);
    ws.run(args).stderr("").code(0);
    let after = bytes(&ws, file);
    assert_eq!(
        String::from_utf8_lossy(&after),
        String::from_utf8_lossy(new),
        "{args:?}"
    );
    assert_eq!(after, new, "{args:?}: the bytes");
    one_line_changed(old, &after, line);
}

const QUOTED: &str = "id,name,stage,trial_started,note\r\n\
c1,\"Acme, Inc.\",potential,yes,\"said \"\"call back\"\"\nafter the fair\"\r\n\
c2,  Spaced Name  ,potential,yes,plain\r\n\
\"c3\",\"Three\",\"potential\",\"yes\",\"\"\r\n\
c4,Four,trial,,\"multi\nline\nnote\"\r\n";

#[test]
fn only_the_changed_cell_changes_in_a_crlf_book_with_quotes_and_newlines() {
    let new = QUOTED.replace("c2,  Spaced Name  ,potential,", "c2,  Spaced Name  ,trial,");
    changes_one_line(
        "customers.csv",
        QUOTED.as_bytes(),
        &["promote", "c2"],
        new.as_bytes(),
        b"c2,  Spaced Name  ,trial,yes,plain\r\n",
    );
    // A fully quoted row keeps the quotes of its other cells.
    let new = QUOTED.replace("\"Three\",\"potential\",", "\"Three\",trial,");
    changes_one_line(
        "customers.csv",
        QUOTED.as_bytes(),
        &["promote", "c3"],
        new.as_bytes(),
        b"\"c3\",\"Three\",trial,\"yes\",\"\"\r\n",
    );
    // The record spanning two lines: its first line changes, its quoted note stays.
    let new = QUOTED.replace("Inc.\",potential,", "Inc.\",trial,");
    changes_one_line(
        "customers.csv",
        QUOTED.as_bytes(),
        &["promote", "c1"],
        new.as_bytes(),
        b"c1,\"Acme, Inc.\",trial,yes,\"said \"\"call back\"\"\n",
    );
}

#[test]
fn a_bom_gbk_utf16_and_semicolons_are_kept() {
    // Excel's "CSV UTF-8": a BOM and CRLF.
    let text = "id,name,stage,trial_started\r\nc1,Acme,potential,yes\r\nc2,Bee,potential,yes\r\n";
    let bom = |t: &str| [b"\xEF\xBB\xBF".as_slice(), t.as_bytes()].concat();
    changes_one_line(
        "customers.csv",
        &bom(text),
        &["promote", "c2"],
        &bom(&text.replace("c2,Bee,potential", "c2,Bee,trial")),
        b"c2,Bee,trial,yes\r\n",
    );

    // Excel's Chinese CSV: GBK, Chinese headers and values; the stage in Chinese.
    let text = "客户编号,客户名称,阶段,开始试用,备注\r\n\
                c1,北京华联商贸有限公司,潜在客户,是,老客户介绍\r\n\
                c2,上海东方明珠有限公司,潜在客户,是,\"价格敏感，需要报价\"\r\n";
    changes_one_line(
        "customers.csv",
        &gbk(text),
        &["promote", "c2"],
        &gbk(&text.replace("有限公司,潜在客户,是,\"", "有限公司,试用客户,是,\"")),
        &gbk("c2,上海东方明珠有限公司,试用客户,是,\"价格敏感，需要报价\"\r\n"),
    );

    // Excel's "Unicode text": UTF-16LE with a BOM, tab-separated.
    let text = "id\tname\tstage\ttrial_started\r\nc1\t北京\tpotential\tyes\r\nc2\t上海\tpotential\tyes\r\n";
    let ws = Workspace::new().file("customers.csv", utf16le_bom(text));
    ws.run(["promote", "c1"]).stderr("").code(0);
    assert_eq!(
        bytes(&ws, "customers.csv"),
        utf16le_bom(&text.replace("北京\tpotential", "北京\ttrial"))
    );

    // European Excel: semicolons, so a comma needs no quotes; a semicolon does.
    let text =
        "id;name;stage;trial_started\nc1;Acme, Inc.;potential;yes\nc2;\"Bee; Co\";potential;yes\n";
    changes_one_line(
        "customers.csv",
        text.as_bytes(),
        &["promote", "c2"],
        text.replace("Co\";potential;", "Co\";trial;").as_bytes(),
        b"c2;\"Bee; Co\";trial;yes\n",
    );
}

#[test]
fn a_column_is_added_only_when_a_value_needs_one() {
    let book = "id,name,note\r\nc1,Acme,\"two\nlines\"\r\nc2,Bee,\r\n";
    let ws = Workspace::new().file("customers.csv", book);
    ws.run(["snooze", "c2", "2026/12/24"])
        .stdout(
            "id\tfield\tfrom\tto\treason\tapplied\nc2\tsnooze_until\t\t2026-12-24\tsnooze\ttrue\n",
        )
        .stderr("")
        .code(0);
    let added = "id,name,note,snooze_until\r\nc1,Acme,\"two\nlines\",\r\nc2,Bee,,2026-12-24\r\n";
    assert_eq!(read(&ws, "customers.csv"), added);
    // The column is there now: the next value goes into it, on one line.
    ws.run(["snooze", "c1", "20270105"])
        .stdout(
            "id\tfield\tfrom\tto\treason\tapplied\nc1\tsnooze_until\t\t2027-01-05\tsnooze\ttrue\n",
        )
        .stderr("")
        .code(0);
    let after = read(&ws, "customers.csv");
    assert_eq!(
        after,
        "id,name,note,snooze_until\r\nc1,Acme,\"two\nlines\",2027-01-05\r\nc2,Bee,,2026-12-24\r\n"
    );
    one_line_changed(
        added.as_bytes(),
        after.as_bytes(),
        b"lines\",2027-01-05\r\n",
    );
    // Snoozing is no touch: nothing logged.
    assert!(!ws.path().join("activities.csv").exists());
}

#[test]
fn the_last_line_keeps_its_missing_line_ending() {
    let book = "id,stage,trial_started\nc1,potential,yes\nc2,potential,yes";
    changes_one_line(
        "customers.csv",
        book.as_bytes(),
        &["promote", "c2"],
        b"id,stage,trial_started\nc1,potential,yes\nc2,trial,yes",
        b"c2,trial,yes",
    );
    let ws = Workspace::new().file("customers.csv", book);
    ws.run(["snooze", "c1", "2026-12-24"]).code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,stage,trial_started,snooze_until\nc1,potential,yes,2026-12-24\nc2,potential,yes,"
    );
}

/// Excel pads rows with empty cells past the header ("c1,potential,yes,,"): the reader
/// accepts them, and the write-back must keep them, as every other byte of the row.
#[test]
fn trailing_empty_cells_of_the_changed_row_are_kept() {
    let book = "id,stage,trial_started\r\nc1,potential,yes,,\r\nc2,potential,yes,,\r\n";
    changes_one_line(
        "customers.csv",
        book.as_bytes(),
        &["promote", "c1"],
        book.replacen("c1,potential", "c1,trial", 1).as_bytes(),
        b"c1,trial,yes,,\r\n",
    );
    // A new column goes right after the header's last one: every row gains one cell there,
    // before its padding, which it keeps.
    let ws = Workspace::new().file("customers.csv", book);
    ws.run(["snooze", "c1", "2026-12-24"]).stderr("").code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,stage,trial_started,snooze_until\r\nc1,potential,yes,2026-12-24,,\r\nc2,potential,yes,,,\r\n"
    );
    // A header with empty columns at its end (Excel's) gets the new one before them.
    let padded = "id,stage,trial_started,,\r\nc1,potential,yes,,\r\nc2,potential,yes,,\r\n";
    let ws = Workspace::new().file("customers.csv", padded);
    ws.run(["snooze", "c1", "2026-12-24"]).stderr("").code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,stage,trial_started,snooze_until,,\r\nc1,potential,yes,2026-12-24,,\r\nc2,potential,yes,,,\r\n"
    );
}

const FOLDER_C1: &str = "# Acme: met at the Canton fair
id = \"c1\"
name = \"Acme\"   # the trading name
# where we are with them
stage   = \"potential\"    # moved by promote
trial_started = true
snooze_until = 2026-12-01  # back from holiday
";
const FOLDER_C2: &str = "id = \"c2\"\nname = \"Bee\"\nstage = \"trial\"\n";

#[test]
fn a_folder_book_changes_one_key_of_one_file() {
    let ws = Workspace::new()
        .file("customers/c1.toml", FOLDER_C1)
        .file("customers/c2.toml", FOLDER_C2);
    age(&ws);
    let before = data_files(&ws);
    ws.run(["promote", "c1"]).stderr("").code(0);
    let promoted = FOLDER_C1.replace("stage   = \"potential\"    #", "stage   = \"trial\"    #");
    assert_eq!(read(&ws, "customers/c1.toml"), promoted);
    // c2.toml is not rewritten at all.
    let mut now = data_files(&ws);
    now.retain(|p, _| p.ends_with("c2.toml"));
    let mut then = before.clone();
    then.retain(|p, _| p.ends_with("c2.toml"));
    assert_eq!(now, then);

    // A native TOML date stays a date, its spacing and comment kept.
    ws.run(["snooze", "c1", "2027-01-15"]).stderr("").code(0);
    assert_eq!(
        read(&ws, "customers/c1.toml"),
        promoted.replace(
            "snooze_until = 2026-12-01  #",
            "snooze_until = 2027-01-15  #"
        )
    );
    // A key the file lacks is added at its end.
    ws.run(["snooze", "c2", "2026-12-24"]).stderr("").code(0);
    assert_eq!(
        read(&ws, "customers/c2.toml"),
        "id = \"c2\"\nname = \"Bee\"\nstage = \"trial\"\nsnooze_until = \"2026-12-24\"\n"
    );
}

const TOML_BOOK: &str = "# customers.toml: the book
[[customer]]
id = \"c1\"   # first
name = \"Acme\"
# before stage
stage = \"potential\"  # where
trial_started = true

[[customer]]
id = \"c2\"
name = \"Bee\"
snooze_until = 2026-12-01 # until
";

#[test]
fn a_customer_table_file_changes_one_key() {
    let ws = Workspace::new().file("customers.toml", TOML_BOOK);
    ws.run(["promote", "c1"]).stderr("").code(0);
    let promoted = TOML_BOOK.replace("stage = \"potential\"  #", "stage = \"trial\"  #");
    assert_eq!(read(&ws, "customers.toml"), promoted);
    one_line_changed(
        TOML_BOOK.as_bytes(),
        promoted.as_bytes(),
        b"stage = \"trial\"  # where\n",
    );
    ws.run(["snooze", "c2", "2027-01-15"]).stderr("").code(0);
    let snoozed = promoted.replace("2026-12-01 # until", "2027-01-15 # until");
    assert_eq!(read(&ws, "customers.toml"), snoozed);
    ws.run(["snooze", "c1", "2026-12-24"]).stderr("").code(0);
    assert_eq!(
        read(&ws, "customers.toml"),
        snoozed.replace(
            "trial_started = true\n",
            "trial_started = true\nsnooze_until = \"2026-12-24\"\n"
        )
    );
}

/// Runs `args` and expects success with no file written: bytes and mtimes unchanged.
fn no_op(ws: &Workspace, args: &[&str], stdout: &str) {
    age(ws);
    let before = data_files(ws);
    ws.run(args).stdout(stdout).stderr("").code(0);
    unchanged_data(ws, &before);
}

#[test]
fn a_run_that_changes_nothing_writes_nothing() {
    let ws = Workspace::new().file(
        "customers.csv",
        "id,stage,snooze_until,revenue\r\nc1,trial,2026/12/1,600\r\nc2,potential,,300\r\nc3,formal,,100\r\n",
    );
    no_op(&ws, &["promote", "c1", "--to", "trial"], "");
    no_op(&ws, &["promote", "c3", "--to", "formal"], "");
    // The same day, written another way: no change.
    no_op(&ws, &["snooze", "c1", "2026-12-01"], "");
    assert!(!ws.path().join("activities.csv").exists());

    // tier --write adds its column once; the second run finds every value in place.
    let table = ws.run(["tier", "--scheme", "abc"]).stdout_text();
    ws.run(["tier", "--scheme", "abc", "--write"])
        .stdout(&table)
        .stderr("")
        .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,stage,snooze_until,revenue,abc\r\nc1,trial,2026/12/1,600,A\r\nc2,potential,,300,A\r\nc3,formal,,100,B\r\n"
    );
    no_op(&ws, &["tier", "--scheme", "abc", "--write"], &table);
    let classified = ws.run(["classify"]).stdout_text();
    ws.run(["classify", "--write"]).code(0);
    no_op(&ws, &["classify", "--write"], &classified);

    let folder = Workspace::new()
        .file("customers/c1.toml", FOLDER_C1)
        .file("customers/c2.toml", FOLDER_C2);
    no_op(&folder, &["promote", "c2", "--to", "trial"], "");
    no_op(&folder, &["snooze", "c1", "2026-12-01"], "");
}

/// Grades are compared as values: `C级` already holds C. A grade written by `tier --write`
/// is a grade change like any other, logged.
#[test]
fn tier_grade_write_leaves_equal_values_and_logs_the_rest() {
    let ws = Workspace::new().file(
        "customers.csv",
        "编号,阶段,等级,最后联系\nc1,准客户,C级,2026-10-01\nc2,潜在客户,A,2026-10-01\n",
    );
    let table = ws.run(["tier", "--scheme", "grade"]).stdout_text();
    ws.run(["tier", "--scheme", "grade", "--write"])
        .stdout(&table)
        .stderr("")
        .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "编号,阶段,等级,最后联系\nc1,准客户,C级,2026-10-01\nc2,潜在客户,D级,2026-10-01\n"
    );
    assert_eq!(
        read(&ws, "activities.csv"),
        "日期,客户编号,类型,金额,备注\n2026-11-22,c2,等级变更,,A -> D; tier grade\n"
    );
    no_op(&ws, &["tier", "--scheme", "grade", "--write"], &table);
}

const GBK_BOOK: &str = "客户编号,客户名称,阶段,销售额\r\n\
    c1,北京华联商贸有限公司,潜在客户,600\r\n\
    c2,上海东方明珠有限公司,试用客户,300\r\n";

#[test]
fn a_value_gbk_cannot_hold_writes_nothing() {
    let ws = Workspace::new().file("customers.csv", gbk(GBK_BOOK));
    let before = data_files(&ws);
    ws.run(["tier", "--scheme", "abc", "--write", "--field", "价位¥"])
        .stdout("")
        .stderr(
            "clientele: error: customers.csv:1: GBK cannot hold the character '¥' \
             of the new value; nothing written\n",
        )
        .code(2);
    unchanged_data(&ws, &before);
}

/// A `¥` in GB18030's four-byte form reads as GBK but cannot be written back as it was.
#[test]
fn a_file_that_does_not_re_encode_identically_is_refused() {
    let mut book = gbk("id,name,stage,trial_started\nc1,北京华联商贸有限公司");
    book.extend_from_slice(b"\x81\x30\x84\x36");
    book.extend_from_slice(&gbk(
        ",potential,yes\nc2,上海东方明珠有限公司,potential,no\n",
    ));
    let ws = Workspace::new().file("customers.csv", book);
    let before = data_files(&ws);
    ws.run(["promote", "c1"])
        .stdout("")
        .stderr(
            "clientele: error: customers.csv: cannot write this file back byte-for-byte \
             in GBK; nothing written\n",
        )
        .code(2);
    unchanged_data(&ws, &before);
}

/// The book and its log are one change: a reason the GBK log cannot hold must stop the
/// command before the book is written, not leave a stage change without its log row.
#[test]
fn a_reason_the_log_cannot_hold_writes_nothing() {
    let ws = Workspace::new().file("customers.csv", gbk(GBK_BOOK)).file(
        "activities.csv",
        gbk(
            "date,customer_id,kind,amount,note\r\n2026-11-01,c1,call,,客户说下周再联系北京华联\r\n",
        ),
    );
    let before = data_files(&ws);
    ws.run(["promote", "c1", "--force", "--reason", "让利¥500"])
        .stdout("")
        .stderr("clientele: error: activities.csv: cannot write the note: GBK cannot hold the character '¥'\n")
        .code(2);
    unchanged_data(&ws, &before);
}

/// `--diff` means "show a diff instead": without --dry-run it is refused as for `promote`,
/// never a silent write.
#[test]
fn snooze_diff_without_dry_run_writes_nothing() {
    let ws = Workspace::new().file("customers.csv", "id,snooze_until\nc1,\n");
    let before = data_files(&ws);
    let out = ws.run(["snooze", "c1", "2026-12-24", "--diff"]);
    out.stdout("").code(2);
    // clap's own message; its usage line is clap's business.
    assert!(
        out.stderr_text().starts_with(
            "clientele: error: the following required arguments were not provided:\n  --dry-run\n"
        ),
        "{}",
        out.stderr_text()
    );
    unchanged_data(&ws, &before);
    ws.run(["snooze", "c1", "2026-12-24", "--dry-run", "--diff"])
        .stdout("--- a/customers.csv\n+++ b/customers.csv\n@@ -1,2 +1,2 @@\n id,snooze_until\n-c1,\n+c1,2026-12-24\n")
        .stderr("")
        .code(0);
    unchanged_data(&ws, &before);
}

#[test]
fn classify_and_tier_write_in_the_columns_spelling_after_a_dry_run() {
    let book = "id,traits,revenue,type\r\n\
                c1,presses_price;internal_politics;demands_quality,600,贪婪型\r\n\
                c2,,300,\r\n\
                c3,friend;referral,100,\r\n";
    let ws = Workspace::new().file("customers.csv", book);
    let before = ws.snapshot();
    // c1's type, written by its Chinese name, is already the one found: not rewritten. The
    // column spells types by their Chinese names, so c2's and c3's are written so too.
    ws.run(["classify", "--write", "--dry-run"])
        .stdout(
            "id\tfield\tfrom\tto\treason\tapplied\n\
             c2\ttype\t\tcomposite\tclassify\tfalse\n\
             c3\ttype\t\trelationship\tclassify\tfalse\n",
        )
        .stderr("")
        .code(0);
    ws.run([
        "tier",
        "--scheme",
        "abc",
        "--write",
        "--field",
        "class",
        "--dry-run",
    ])
    .stdout(
        "id\tfield\tfrom\tto\treason\tapplied\n\
             c1\tclass\t\tA\ttier abc\tfalse\n\
             c2\tclass\t\tA\ttier abc\tfalse\n\
             c3\tclass\t\tB\ttier abc\tfalse\n",
    )
    .stderr("")
    .code(0);
    // Dry runs take no lock and write nothing.
    ws.assert_unchanged(&before);

    ws.run(["classify", "--write"]).stderr("").code(0);
    ws.run(["tier", "--scheme", "abc", "--write", "--field", "class"])
        .stderr("")
        .code(0);
    assert_eq!(
        read(&ws, "customers.csv"),
        "id,traits,revenue,type,class\r\n\
         c1,presses_price;internal_politics;demands_quality,600,贪婪型,A\r\n\
         c2,,300,综合型,A\r\n\
         c3,friend;referral,100,关系型,B\r\n"
    );
    // Neither leaves a log row: they are no stage or grade changes.
    assert!(!ws.path().join("activities.csv").exists());
}
