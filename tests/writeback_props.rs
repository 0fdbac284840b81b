//! Write-back properties over random CSV books (random extra columns; values with commas,
//! quotes, newlines and CJK; random quoting of plain values; LF or CRLF; `,` `;` or tab;
//! UTF-8, UTF-8 with a BOM, or GBK): reading then planning no change plans no file, and one
//! change gives exactly the old bytes with that one cell (or one new column) replaced.

use std::path::Path;
use std::sync::OnceLock;

use clientele::model::{Enumeration, Field, Stage};
use clientele::rules::Rules;
use clientele::store::writeback::{Change, Target, commit, plan};
use clientele::store::{Book, ReadOptions, read_book};
use proptest::prelude::*;

#[derive(Clone, Copy, Debug)]
enum Enc {
    Utf8,
    Utf8Bom,
    Gbk,
}

/// A cell's value and whether a plain value is written in quotes anyway.
#[derive(Clone, Debug)]
struct Cell {
    value: String,
    quoted: bool,
}

#[derive(Clone, Debug)]
struct Spec {
    enc: Enc,
    delimiter: char,
    crlf: bool,
    final_newline: bool,
    /// Header cells: id, 客户名称 (name), stage, then the extra columns.
    header: Vec<Cell>,
    /// Per customer: id, name, stage, extras.
    rows: Vec<Vec<Cell>>,
}

const PLAIN: &[&str] = &[
    "a", "Z", "0", "9", "-", ".", " ", "中", "文", "客户", "，", "、",
];
const SPECIAL: &[&str] = &[",", ";", "\t", "\"", "\n", "\r\n", "\"\""];
const UTF8_ONLY: &[&str] = &["é", "ß", "😀", "¥"];
/// Words of company names: enough Chinese text for a GBK book to be recognised as one.
const CJK: &[&str] = &[
    "北京",
    "上海",
    "深圳",
    "商贸",
    "科技",
    "贸易",
    "集团",
    "有限公司",
];
const STAGES: &[&str] = &["", "potential", "Trial", "intent", "准客户", "正式客户"];

fn text_from(pieces: Vec<&'static str>) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..7).prop_map(|p| p.concat())
}

/// Any value the encoding can hold.
fn value(enc: Enc) -> impl Strategy<Value = String> {
    let mut pieces: Vec<&'static str> = PLAIN.iter().chain(SPECIAL).copied().collect();
    if !matches!(enc, Enc::Gbk) {
        pieces.extend(UTF8_ONLY);
    }
    text_from(pieces)
}

fn cell(value: impl Strategy<Value = String>) -> impl Strategy<Value = Cell> {
    (value, any::<bool>()).prop_map(|(value, quoted)| Cell { value, quoted })
}

fn spec() -> impl Strategy<Value = Spec> {
    let enc = prop_oneof![Just(Enc::Utf8), Just(Enc::Utf8Bom), Just(Enc::Gbk)];
    (
        enc,
        prop::sample::select(vec![',', ';', '\t']),
        any::<bool>(),
        any::<bool>(),
        0usize..4,
        1usize..7,
    )
        .prop_flat_map(|(enc, delimiter, crlf, final_newline, extras, n)| {
            let names = ["id", "客户名称", "stage", "x0", "其他", "x2", "备注x"];
            let header = prop::collection::vec(any::<bool>(), 3 + extras).prop_map(move |q| {
                q.iter()
                    .enumerate()
                    .map(|(i, &quoted)| Cell {
                        value: names[i].to_string(),
                        quoted,
                    })
                    .collect::<Vec<_>>()
            });
            let row = (
                any::<bool>(),
                // A Chinese name on every row, so a GBK book is recognised as one.
                cell(
                    prop::collection::vec(prop::sample::select(CJK), 3..6).prop_map(|p| p.concat()),
                ),
                cell(prop::sample::select(STAGES).prop_map(str::to_string)),
                prop::collection::vec(cell(value(enc)), extras),
            );
            (
                Just(enc),
                Just(delimiter),
                Just(crlf),
                Just(final_newline),
                header,
                prop::collection::vec(row, n),
            )
        })
        .prop_map(|(enc, delimiter, crlf, final_newline, header, rows)| Spec {
            enc,
            delimiter,
            crlf,
            final_newline,
            header,
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(i, (quote_id, name, stage, extras))| {
                    let id = Cell {
                        value: format!("c{i}"),
                        quoted: quote_id,
                    };
                    [id, name, stage].into_iter().chain(extras).collect()
                })
                .collect(),
        })
}

/// A new value for a cell: minimal quoting, as the write-back promises.
fn minimal(value: &str, delimiter: char) -> String {
    let needs = value.contains([delimiter, '"', '\n', '\r'])
        || value.starts_with(' ')
        || value.ends_with(' ');
    if needs {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn raw(c: &Cell, delimiter: char) -> String {
    if c.quoted || minimal(&c.value, delimiter) != c.value {
        format!("\"{}\"", c.value.replace('"', "\"\""))
    } else {
        c.value.clone()
    }
}

/// The edit a change makes: `(row, column, value)`; a column past the header is a new one,
/// named `new_column`.
struct Edit<'a> {
    row: usize,
    column: usize,
    value: &'a str,
    new_column: Option<&'a str>,
}

/// The file's text, with `edit` applied by hand.
fn render(spec: &Spec, edit: Option<&Edit<'_>>) -> String {
    let d = spec.delimiter;
    let eol = if spec.crlf { "\r\n" } else { "\n" };
    let join = |cells: Vec<String>| cells.join(&d.to_string());
    let mut header: Vec<String> = spec.header.iter().map(|c| raw(c, d)).collect();
    if let Some(name) = edit.and_then(|e| e.new_column) {
        header.push(minimal(name, d));
    }
    let mut lines = vec![join(header)];
    for (i, row) in spec.rows.iter().enumerate() {
        let mut cells: Vec<String> = row.iter().map(|c| raw(c, d)).collect();
        if let Some(e) = edit {
            if e.new_column.is_some() {
                cells.push(String::new());
            }
            if e.row == i {
                cells[e.column] = minimal(e.value, d);
            }
        }
        lines.push(join(cells));
    }
    let mut text = lines.join(eol);
    if spec.final_newline {
        text.push_str(eol);
    }
    text
}

fn encode(spec: &Spec, text: &str) -> Vec<u8> {
    match spec.enc {
        Enc::Utf8 => text.as_bytes().to_vec(),
        Enc::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Enc::Gbk => {
            let (bytes, _, lossy) = encoding_rs::GBK.encode(text);
            assert!(!lossy, "GBK-safe text");
            bytes.into_owned()
        }
    }
}

fn load(path: &Path) -> Book {
    static RULES: OnceLock<Rules> = OnceLock::new();
    let rules = RULES.get_or_init(|| Rules::load(None, None).expect("the default rules"));
    let opts = ReadOptions {
        columns: &[],
        encoding: None,
        keep_source: true,
        ..ReadOptions::default()
    };
    let (book, found) = read_book(path, rules, opts).expect("read the book");
    // Notes (a column no rule uses) are not problems.
    let problems: Vec<_> = found
        .iter()
        .filter(|d| d.severity != clientele::error::Severity::Note)
        .collect();
    assert!(problems.is_empty(), "problems: {problems:?}");
    book
}

/// Writes the book, reads it, and checks what was read against the spec.
fn written(spec: &Spec, dir: &Path) -> (std::path::PathBuf, Vec<u8>, Book) {
    let path = dir.join("customers.csv");
    let bytes = encode(spec, &render(spec, None));
    std::fs::write(&path, &bytes).expect("write the book");
    let book = load(&path);
    assert_eq!(book.customers.len(), spec.rows.len());
    for (c, row) in book.customers.iter().zip(&spec.rows) {
        assert_eq!(&*c.id, row[0].value);
        assert_eq!(&*c.name, row[1].value);
        assert_eq!(c.stage, Stage::parse(&row[2].value));
        for (x, cell) in row[3..].iter().enumerate() {
            let read = c.extra(x).unwrap_or_default();
            assert_eq!(read, cell.value, "extra column {x} of {}", c.id);
        }
    }
    (path, bytes, book)
}

/// Which change to make: the stage, an extra column, or a column the book lacks.
#[derive(Clone, Debug)]
enum Which {
    Stage(&'static str),
    Extra(usize, String),
    New(String),
}

fn which() -> impl Strategy<Value = Which> {
    prop_oneof![
        prop::sample::select(vec!["potential", "trial", "intent", "quasi", "formal"])
            .prop_map(Which::Stage),
        (0usize..4, value(Enc::Gbk)).prop_map(|(x, v)| Which::Extra(x, v)),
        value(Enc::Gbk).prop_map(Which::New),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_change_plans_no_write(spec in spec()) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (path, bytes, book) = written(&spec, dir.path());
        let planned = plan(&book, &[], &[]).expect("plan");
        prop_assert_eq!(planned.len(), 0);
        commit(dir.path(), &path, &planned, None).expect("commit");
        prop_assert_eq!(std::fs::read(&path).expect("read"), bytes);
    }

    #[test]
    fn one_change_changes_one_cell(spec in spec(), pick in any::<prop::sample::Index>(), which in which()) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (path, _, book) = written(&spec, dir.path());
        let row = pick.index(spec.rows.len());
        let extras = spec.header.len() - 3;
        let (target, edit) = match &which {
            Which::Stage(s) => (
                Target::Field(Field::Stage),
                Edit { row, column: 2, value: s, new_column: None },
            ),
            Which::Extra(x, v) if *x < extras => (
                Target::Column {
                    name: spec.header[3 + x].value.clone(),
                    zh: None,
                },
                Edit { row, column: 3 + x, value: v, new_column: None },
            ),
            Which::Extra(_, v) | Which::New(v) => (
                Target::Column {
                    name: "follow_up".into(),
                    zh: None,
                },
                Edit { row, column: spec.header.len(), value: v, new_column: Some("follow_up") },
            ),
        };
        let change = Change { customer: row, target, value: edit.value.to_string() };
        let planned = plan(&book, &[change], &[]).expect("plan");
        prop_assert_eq!(planned.len(), 1);
        let expected = encode(&spec, &render(&spec, Some(&edit)));
        prop_assert_eq!(
            String::from_utf8_lossy(&planned[0].bytes),
            String::from_utf8_lossy(&expected)
        );
        prop_assert_eq!(&planned[0].bytes, &expected);
        commit(dir.path(), &path, &planned, None).expect("commit");
        prop_assert_eq!(std::fs::read(&path).expect("read"), expected);

        // And it reads back: the new value in place, every other customer as before.
        let again = load(&path);
        prop_assert_eq!(again.customers.len(), spec.rows.len());
        let c = &again.customers[row];
        match &which {
            Which::Stage(s) => prop_assert_eq!(c.stage, Stage::parse(s)),
            _ => {
                let x = again
                    .extra_columns
                    .iter()
                    .position(|n| *n == if edit.new_column.is_some() { "follow_up" } else { spec.header[edit.column].value.as_str() })
                    .expect("the column");
                prop_assert_eq!(c.extra(x).unwrap_or_default(), edit.value);
            }
        }
    }
}
