//! What people read (tables, markdown, `show`, messages on stderr) shows control
//! characters, escape sequences and bidirectional overrides by visible stand-ins and keeps a
//! row on one line; TSV keeps one line per row; CSV and JSON keep the data exact.

use super::csv_cell;
use crate::util::Workspace;

/// A name holding what a terminal would obey: colour escapes, a bell, a backspace, SOH,
/// DEL, the C1 controls NEL and CSI, a right-to-left override, a tab and line breaks.
const NAME: &str =
    "Acme\u{1b}[31mRED\u{1b}[0m\u{7}\u{8}\u{1}\u{7f}\u{85}\u{9b}31m\u{202e}txet\ttab\nline\r\nend";

/// The same name as a table shows it: each of those by its stand-in, on one line.
const NAME_SHOWN: &str = "Acme␛[31mRED␛[0m␇␈␁␡<U+0085><U+009B>31m<U+202E>txet␉tab␊line␍␊end";

/// A note of the last call that would set the terminal's clipboard (OSC 52), and an owner
/// wrapped in a bidirectional isolate.
const NOTE: &str = "said\u{1b}]52;c;ZXZpbA==\u{7} ok\nnext";
const OWNER: &str = "\u{2066}iso\u{2069}";

fn terminal_book() -> Workspace {
    Workspace::new()
        .file(
            "customers.csv",
            format!(
                "id,name,owner,grade,last_contact\n\
                 C1,{},Li,C,2026-09-01\n\
                 C2,Plain,{OWNER},C,2026-09-01\n",
                csv_cell(NAME)
            ),
        )
        .file(
            "activities.csv",
            format!(
                "date,customer_id,kind,amount,note\n2026-09-01,C1,call,,{}\n",
                csv_cell(NOTE)
            ),
        )
}

/// Whether `text` holds a character that acts, other than the line ends of its own lines.
fn acts_anywhere(text: &str) -> bool {
    text.lines()
        .any(|line| line.chars().any(clientele::visible::acts))
}

const COLUMNS: [&str; 2] = ["--columns", "id,name,owner,last_note"];

/// A table shows every such character by its stand-in, one row a line; the columns line
/// up because every row is as wide as the header.
#[test]
fn a_table_shows_control_characters_and_never_passes_them_on() {
    let ws = terminal_book();
    let out = ws.run([&["due", "--format", "table"][..], &COLUMNS].concat());
    out.stderr("").code(0).stdout(
        "┌────┬───────────────────────────────────────────────────────────────────┬─────────────────────┬──────────────────────────────┐\n\
         │ ID ┆ Name                                                              ┆ Owner               ┆ Last note                    │\n\
         ╞════╪═══════════════════════════════════════════════════════════════════╪═════════════════════╪══════════════════════════════╡\n\
         │ C1 ┆ Acme␛[31mRED␛[0m␇␈␁␡<U+0085><U+009B>31m<U+202E>txet␉tab␊line␍␊end ┆ Li                  ┆ said␛]52;c;ZXZpbA==␇ ok␊next │\n\
         │ C2 ┆ Plain                                                             ┆ <U+2066>iso<U+2069> ┆                              │\n\
         └────┴───────────────────────────────────────────────────────────────────┴─────────────────────┴──────────────────────────────┘\n",
    );
    // Fitted to a narrow terminal, cut cells still show their stand-ins, never half of
    // an escape sequence.
    let narrow = terminal_book()
        .env("COLUMNS", "60")
        .run([&["due", "--format", "table"][..], &COLUMNS].concat());
    let text = narrow.code(0).stdout_text();
    assert!(!acts_anywhere(&text), "{text}");
    assert_eq!(text.lines().count(), 6, "{text}");
}

/// Markdown shows them as a table does, and escapes what would end a cell or make a link,
/// an image, HTML or code when the markdown is rendered (emphasis only styles the text).
#[test]
fn markdown_shows_control_characters_and_escapes_markup() {
    terminal_book()
        .run([&["due", "--format", "markdown"][..], &COLUMNS].concat())
        .stderr("")
        .code(0)
        .stdout(
            "| ID | Name | Owner | Last note |\n\
             | --- | --- | --- | --- |\n\
             | C1 | Acme␛\\[31mRED␛\\[0m␇␈␁␡<U+0085><U+009B>31m<U+202E>txet␉tab␊line␍␊end | Li | \
             said␛\\]52;c;ZXZpbA==␇ ok␊next |\n\
             | C2 | Plain | <U+2066>iso<U+2069> |  |\n",
        );
    let markup = "a|b ![x](http://t.example/p.png) [y](javascript:alert(1)) <img src=x> \
                  &lt; &#60; `c` *d* _e_ ~f~ \\ AT&T & Co";
    Workspace::new()
        .file(
            "customers.csv",
            format!("id,name,grade,last_contact\nC1,{},C,2026-09-01\n", csv_cell(markup)),
        )
        .run(["due", "--format", "markdown", "--columns", "id,name"])
        .stderr("")
        .code(0)
        .stdout(
            "| ID | Name |\n| --- | --- |\n\
             | C1 | a\\|b !\\[x\\](http://t.example/p.png) \\[y\\](javascript:alert(1)) \\<img src=x> \
             \\&lt; \\&#60; \\`c\\` *d* _e_ ~f~ \\\\ AT\\&T & Co |\n",
        );
}

/// TSV keeps a row on one line and its cells one tab apart: a tab or a line break inside a
/// value is a space; any other acting character is shown by its stand-in, as TSV is what a
/// pipe (`| grep`, `| head`) shows on a terminal.
#[test]
fn tsv_keeps_one_row_a_line_and_passes_no_control_character_on() {
    terminal_book()
        .run([&["due", "--format", "tsv"][..], &COLUMNS].concat())
        .stderr("")
        .code(0)
        .stdout(
            "id\tname\towner\tlast_note\n\
             C1\tAcme␛[31mRED␛[0m␇␈␁␡<U+0085><U+009B>31m<U+202E>txet tab line  end\tLi\t\
             said␛]52;c;ZXZpbA==␇ ok next\n\
             C2\tPlain\t<U+2066>iso<U+2069>\t\n",
        );
}

/// CSV and JSON are for programs: they keep every character of the data exactly (CSV
/// quoted, JSON escaped as its specification says), so that what is read back is what the
/// book holds.
#[test]
fn csv_and_json_keep_the_data_exact() {
    let ws = terminal_book();
    let csv_out = ws.run([&["due", "--format", "csv"][..], &COLUMNS].concat());
    let text = csv_out.stderr("").code(0).stdout_text();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| {
            r.expect("a CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    assert_eq!(
        rows,
        [["C1", NAME, "Li", NOTE], ["C2", "Plain", OWNER, ""]].map(|r| r.map(str::to_string))
    );

    for format in ["json", "jsonl"] {
        let out = ws.run([&["due", "--format", format][..], &COLUMNS].concat());
        let text = out.stderr("").code(0).stdout_text();
        // JSON escapes C0 controls; what it leaves raw (DEL, C1, bidi) is valid in a string.
        assert!(!text.contains(['\u{1b}', '\u{7}', '\u{8}', '\u{1}', '\t', '\r']));
        let values: Vec<serde_json::Value> = if format == "json" {
            serde_json::from_str::<Vec<serde_json::Value>>(&text).expect("JSON")
        } else {
            text.lines()
                .map(|l| serde_json::from_str(l).expect("a JSON line"))
                .collect()
        };
        assert_eq!(values[0]["name"], NAME, "{format}");
        assert_eq!(values[0]["last_note"], NOTE, "{format}");
        assert_eq!(values[1]["owner"], OWNER, "{format}");
    }
}

/// `show` prints one customer's page for a person: every value, and the book's own
/// headers, shown as a table shows them.
#[test]
fn show_shows_control_characters_in_values_and_headers() {
    let ws = Workspace::new().file(
        "customers.csv",
        format!(
            "id,name,{},grade,last_contact\nC1,{},{},C,2026-09-01\n",
            csv_cell("Re\u{1b}[8mgion"),
            csv_cell(NAME),
            csv_cell(NOTE)
        ),
    );
    let out = ws.run(["show", "C1", "--format", "table"]);
    let text = out.stderr("").code(0).stdout_text();
    assert!(!acts_anywhere(&text), "{text}");
    assert!(
        text.starts_with(&format!("C1  {NAME_SHOWN}\ncustomers.csv, line 2\n")),
        "{text}"
    );
    assert!(
        text.contains(&format!("\n  name          {NAME_SHOWN}\n")),
        "{text}"
    );
    assert!(
        text.contains("\n  Re␛[8mgion    said␛]52;c;ZXZpbA==␇ ok␊next\n"),
        "{text}"
    );
}

/// An error quotes the book's line and value: shown with stand-ins, the caret under the
/// value as shown. (A stage no one knows, after a cell that would set the terminal's
/// title.)
#[test]
fn an_error_shows_the_line_it_quotes_and_never_passes_it_on() {
    let ws = Workspace::new().file(
        "customers.csv",
        "id,name,stage\nC1,\"x\u{1b}]0;owned\u{7}y\",\u{1b}[2Jbogus\n",
    );
    let expected = "clientele: error: customers.csv:2:19: column C (stage): unknown stage \
                    \"␛[2Jbogus\" (expected one of potential, trial, intent, quasi, formal)\n  \
                    |\n2 | C1,\"x␛]0;owned␇y\",␛[2Jbogus\n  |                   ^^^^^^^^^\n";
    ws.run(["due"]).stdout("").stderr(expected).code(2);
    ws.run(["check"])
        .stdout("")
        .stderr(&format!(
            "{expected}clientele: check found 1 error and 0 warnings\n"
        ))
        .code(1);
}

/// The diff of `--dry-run --diff` shows the book's control characters by their stand-ins
/// too; its own line ends stay (the name's line feed and CRLF, inside its quotes, are
/// lines of the file), and so does a tab.
#[test]
fn a_diff_shows_control_characters_and_keeps_its_lines() {
    let ws = Workspace::new().file(
        "customers.csv",
        format!(
            "id,name,owner,grade,last_contact\nC1,{},Li,C,2026-09-01\nC2,Plain,x,C,2026-09-01\n",
            csv_cell(NAME)
        ),
    );
    let before = ws.snapshot();
    ws.run(["snooze", "C2", "2026-12-01", "--dry-run", "--diff"])
        .stderr("")
        .code(0)
        .stdout(
            "--- a/customers.csv\n\
             +++ b/customers.csv\n\
             @@ -1,5 +1,5 @@\n\
             -id,name,owner,grade,last_contact\n\
             +id,name,owner,grade,last_contact,snooze_until\n \
             C1,\"Acme␛[31mRED␛[0m␇␈␁␡<U+0085><U+009B>31m<U+202E>txet\ttab\n \
             line\r\n\
             -end\",Li,C,2026-09-01\n\
             -C2,Plain,x,C,2026-09-01\n\
             +end\",Li,C,2026-09-01,\n\
             +C2,Plain,x,C,2026-09-01,2026-12-01\n",
        );
    ws.assert_unchanged(&before);
}

/// A usage error quotes the argument it could not take with its control characters shown
/// (clap itself drops escape sequences and a bell; an override it would pass on).
#[test]
fn a_usage_error_shows_the_control_characters_of_an_argument() {
    Workspace::new()
        .run(["due", "--format", "\u{7}\u{202e}table\u{1b}[2J"])
        .stdout("")
        .code(2)
        .stderr(
            "clientele: error: invalid value '<U+202E>table' for '--format <FORMAT>'\n  \
             [possible values: table, csv, tsv, json, jsonl, markdown, ics]\n\n  \
             tip: a similar value exists: 'table'\n\n\
             For more information, try '--help'.\n",
        );
}
