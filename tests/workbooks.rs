//! The customer book as an Excel workbook, made here with rust_xlsxwriter as Excel would
//! save it: typed cells (real dates, numbers), a title row, a totals row, a sheet picked by
//! name; problems placed at their cell; a workbook never written.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::util::Workspace;

/// A cell as a spreadsheet holds it.
enum Cell {
    Text(&'static str),
    Number(f64),
    Date(u16, u8, u8),
    Formula(&'static str, f64),
    Empty,
}

use Cell::{Date, Empty, Formula, Number, Text};

/// A workbook of these sheets, each a name and its rows, as bytes.
fn workbook(sheets: &[(&str, Vec<Vec<Cell>>)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy/m/d");
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).expect("a sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Text(t) => {
                        sheet.write_string(r, c, *t).expect("write");
                    }
                    Number(n) => {
                        sheet.write_number(r, c, *n).expect("write");
                    }
                    Date(y, m, d) => {
                        let when = ExcelDateTime::from_ymd(*y, *m, *d).expect("a date");
                        sheet
                            .write_datetime_with_format(r, c, &when, &date)
                            .expect("write");
                    }
                    Formula(f, value) => {
                        sheet
                            .write_formula(r, c, *f)
                            .expect("write")
                            .set_formula_result(r, c, value.to_string());
                    }
                    Empty => {}
                }
            }
        }
    }
    book.save_to_buffer().expect("an xlsx")
}

/// The 客户 sheet: a title, the header, three customers (dates and amounts as typed cells),
/// and a totals row with a formula.
fn customers_sheet() -> Vec<Vec<Cell>> {
    vec![
        vec![Text("2025年客户台账")],
        vec![
            Text("客户编号"),
            Text("客户名称"),
            Text("销售员"),
            Text("等级"),
            Text("最近联系时间"),
            Text("销售额（万元）"),
        ],
        vec![
            Text("KH001"),
            Text("华东精密"),
            Text("王芳"),
            Text("C级"),
            Date(2026, 9, 21),
            Number(12.5),
        ],
        vec![
            Text("KH002"),
            Text("苏州恒通"),
            Text("李强"),
            Text("D级"),
            Date(2026, 8, 31),
            Number(3.25),
        ],
        vec![
            Text("KH003"),
            Text("杭州佳禾"),
            Text("陈静"),
            Text("E级"),
            Empty,
            Number(0.1 + 0.2),
        ],
        vec![
            Text("合计"),
            Empty,
            Empty,
            Empty,
            Empty,
            Formula("=SUM(F3:F5)", 16.05),
        ],
    ]
}

fn book() -> Workspace {
    let bytes = workbook(&[
        ("说明", vec![vec![Text("这张表说明填写方法")]]),
        ("客户", customers_sheet()),
    ]);
    Workspace::new().file("customers.xlsx", bytes).file(
        "clientele.toml",
        "customers = \"customers.xlsx\"\nsheet = \"客户\"\n",
    )
}

#[test]
fn check_reads_the_named_sheet() {
    book()
        .run(["check"])
        .stderr(
            "clientele: note: customers.xlsx:客户!A1: a row above the header (a title or a note): skipped\n\
             clientele: note: customers.xlsx:客户!A6: a totals row (合计), not a customer: skipped\n",
        )
        .stdout("ok: 3 customers, 0 activities, 9 rule files (0 from the workspace)\n")
        .code(0);
}

/// Amounts in 万元 as typed numbers: 12.5 = 125,000.00, 3.25 = 32,500.00, 0.1 + 0.2 (as a
/// float, 0.30000000000000004) = 0.3 = 3,000.00. Total 160,500.00. KH001 holds 77.88%: A.
/// KH002 holds 20.25%, with 77.88% before it, under A's 80%: A (cumulative 98.13%). KH003
/// holds 1.87%, with 98.13% before it, past B's 95%: C.
#[test]
fn typed_cells_come_through_as_what_they_are() {
    book()
        .run(["tier", "--format", "tsv"])
        .stdout(
            "id\tname\tscheme\ttier\tmetric\tshare\tcumulative_share\trank\n\
             KH001\t华东精密\tabc\tA\t125000.00\t77.88\t77.88\t1\n\
             KH002\t苏州恒通\tabc\tA\t32500.00\t20.25\t98.13\t2\n\
             KH003\t杭州佳禾\tabc\tC\t3000.00\t1.87\t100.00\t3\n",
        )
        .stderr("")
        .code(0);
    // Dates as date cells: KH001 C, 2026-09-21 + 2 months = Sat 2026-11-21, moved to Monday
    // 2026-11-23; KH002 D, 2026-08-31 + 3 months = 2026-11-30 (clamped from 11-31).
    let out = book()
        .env("CLIENTELE_TODAY", "2026-11-30")
        .run(["due", "--format", "tsv"]);
    let rows: Vec<String> = out
        .stdout_text()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            [f[0], f[2], f[4], f[8]].join(" ")
        })
        .collect();
    assert_eq!(
        rows,
        [
            "2026-11-23 KH001 王芳 C every 2 months",
            "2026-11-30 KH002 李强 D every 3 months",
            "2026-11-30 KH003 陈静 never contacted",
        ]
    );
}

#[test]
fn a_bad_cell_is_named_by_its_sheet_and_cell() {
    let bytes = workbook(&[(
        "Sheet1",
        vec![
            vec![
                Text("id"),
                Text("name"),
                Text("stage"),
                Text("last_contact"),
            ],
            vec![Text("K1"), Text("Acme"), Text("formal"), Text("2026/13/01")],
            vec![Text("K2"), Text("Beta"), Text("bogus"), Date(2026, 1, 5)],
        ],
    )]);
    Workspace::new()
        .file("customers.xlsx", bytes)
        .run(["check", "--customers", "customers.xlsx"])
        .stderr(
            "clientele: error: customers.xlsx:Sheet1!D2: last_contact: cannot read \"2026/13/01\": expected a date like 2025-04-11\n\
             clientele: error: customers.xlsx:Sheet1!C3: stage: unknown stage \"bogus\" (expected one of potential, trial, intent, quasi, formal)\n\
             clientele: check found 2 errors and 0 warnings\n",
        )
        .code(1);
}

#[test]
fn a_missing_sheet_names_the_sheets_there_are() {
    book()
        .file("clientele.toml", "customers = \"customers.xlsx\"\nsheet = \"客户台账\"\n")
        .run(["check"])
        .stderr(
            "clientele: error: customers.xlsx: no sheet \"客户台账\" in customers.xlsx (its sheets: 说明, 客户)\n\
             clientele: check found 1 error and 0 warnings\n",
        )
        .code(1);
}

#[test]
fn a_corrupt_workbook_is_an_error() {
    Workspace::new()
        .file("customers.xlsx", b"PK\x03\x04 not a zip at all")
        .run(["check", "--customers", "customers.xlsx"])
        .stderr("clientele: error: customers.xlsx: cannot read the workbook (Xlsx error: Zip error: invalid Zip archive: Could not find EOCD): is it a whole, unencrypted .xlsx, .xls or .ods file?\nclientele: check found 1 error and 0 warnings\n")
        .code(1);
}

/// A workbook is read, never written: a write is refused before anything is read, and says
/// what to do; --dry-run shows the change; the activity log, a CSV, is written as ever.
#[test]
fn a_workbook_is_never_written() {
    let ws = book();
    let before = ws.snapshot();
    let refusal = "clientele: error: customers.xlsx is a workbook: clientele reads it but never writes it. Save the sheet as CSV (Excel: 另存为 → CSV UTF-8) and point `customers` in clientele.toml to it, or add --dry-run to see the change without making it\n";
    ws.run(["snooze", "KH001", "2026-12-14"])
        .stderr(refusal)
        .stdout("")
        .code(2);
    ws.run(["promote", "KH001", "--to", "potential", "--reason", "test"])
        .stderr(refusal)
        .code(2);
    ws.run(["tier", "--write"]).stderr(refusal).code(2);
    ws.assert_unchanged(&before);
    ws.run([
        "snooze",
        "KH001",
        "2026-12-14",
        "--dry-run",
        "--format",
        "tsv",
    ])
    .stdout(
        "id\tfield\tfrom\tto\treason\tapplied\n\
             KH001\tsnooze_until\t\t2026-12-14\tsnooze\tfalse\n",
    )
    .stderr("")
    .code(0);
    ws.assert_unchanged(&before);
    ws.run(["log", "KH001", "call", "--note", "回访"])
        .stderr("")
        .code(0);
    // Beside a workbook of Chinese headers: Chinese headers and kinds, in UTF-8 with the
    // byte-order mark Excel needs to open it, and CRLF.
    assert_eq!(
        std::fs::read(ws.path().join("activities.csv")).expect("the log"),
        "\u{feff}日期,客户编号,类型,金额,备注\r\n2026-11-22,KH001,电话,,回访\r\n".as_bytes()
    );
}

/// The two forms rust_xlsxwriter cannot write, as LibreOffice (.ods) and old Excel (.xls)
/// save them (`tests/files/workbooks/make.py`): a notes sheet first, a title row, date cells,
/// 万元 numbers (12.5 = 125,000.00; 3.25 = 32,500.00), a totals row. Both read alike.
#[test]
fn ods_and_xls_books_read_as_xlsx_does() {
    for name in ["book.ods", "book.xls"] {
        let bytes = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/files/workbooks")
                .join(name),
        )
        .expect(name);
        let ws = Workspace::new().file(name, bytes).file(
            "clientele.toml",
            format!("customers = \"{name}\"\nsheet = \"客户\"\n"),
        );
        ws.run(["check"])
            .stderr(&format!(
                "clientele: note: {name}:客户!A1: a row above the header (a title or a note): skipped\n\
                 clientele: note: {name}:客户!A5: a totals row (合计), not a customer: skipped\n"
            ))
            .stdout("ok: 2 customers, 0 activities, 9 rule files (0 from the workspace)\n")
            .code(0);
        ws.run(["tier", "--format", "csv"])
            .stdout(
                "id,name,scheme,tier,metric,share,cumulative_share,rank\n\
                 K1,甲公司,abc,A,125000.00,79.37,79.37,1\n\
                 K2,乙公司,abc,A,32500.00,20.63,100.00,2\n",
            )
            .code(0);
        ws.run(["due", "--today", "2026-12-01", "--format", "csv"])
            .stdout(
                "due,overdue_days,id,name,owner,grade,stage,type,reason,reason_code,strategy,late,\
                 phone,email,contact,last_contact,last_note\n\
                 2026-10-23,39,K1,甲公司,,A,,,A expected order 2026-10-31,order,,true,,,,2026-10-01,\n\
                 2026-11-02,29,K2,乙公司,,C,,,C every 2 months,every,,false,,,,2026-09-01,\n",
            )
            .code(0);
    }
}
