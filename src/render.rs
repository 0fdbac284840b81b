//! One output layer for every command: table (CJK-aware, localized labels), csv, tsv, json,
//! jsonl and markdown. Machine formats always use English snake_case keys and ISO dates.

use std::borrow::Cow;
use std::io::{self, Write};

use chrono::NaiveDate;
use comfy_table::{
    Attribute, Cell as TableCell, CellAlignment, Color, ContentArrangement, Table as Comfy, presets,
};

use crate::model::Lang;
use crate::model::value::format_amount;

/// How output is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Tsv,
    Json,
    Jsonl,
    Markdown,
    /// iCalendar (`due` only).
    Ics,
}

impl Format {
    /// Machine formats use English keys and plain numbers whatever the language.
    pub fn is_machine(self) -> bool {
        matches!(
            self,
            Format::Csv | Format::Tsv | Format::Json | Format::Jsonl
        )
    }
}

/// A column: its machine key and its labels for people.
#[derive(Clone, Debug)]
pub struct Column {
    pub key: String,
    pub en: String,
    pub zh: String,
}

impl Column {
    pub fn new(key: &str, en: &str, zh: &str) -> Self {
        Column {
            key: key.into(),
            en: en.into(),
            zh: zh.into(),
        }
    }

    fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// One value in a table; text borrows from the book where it can (a million-row table
/// would otherwise copy every name).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    Int(i64),
    /// Integer cents.
    Money(i64),
    /// A decimal with this many places.
    Dec(f64, usize),
    Date(NaiveDate),
    Bool(bool),
    /// Text highlighted in a table when colour is on (e.g. overdue days).
    Alert(Box<Cell<'a>>),
}

impl<'a> Cell<'a> {
    pub fn text(s: impl Into<Cow<'a, str>>) -> Cell<'a> {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    /// The value as machine formats write it, borrowed where it can be, else formatted into
    /// `scratch`.
    pub fn plain_in<'s>(&'s self, scratch: &'s mut String) -> &'s str {
        use std::fmt::Write as _;
        scratch.clear();
        match self {
            Cell::Empty => "",
            Cell::Text(s) => s,
            Cell::Alert(inner) => inner.plain_in(scratch),
            Cell::Int(n) => {
                let _ = write!(scratch, "{n}");
                scratch
            }
            Cell::Date(d) => {
                crate::model::value::push_iso(scratch, *d);
                scratch
            }
            Cell::Dec(d, places) => {
                let _ = write!(scratch, "{d:.places$}");
                scratch
            }
            Cell::Money(c) => {
                let sign = if *c < 0 { "-" } else { "" };
                let a = c.unsigned_abs();
                let _ = write!(scratch, "{sign}{}.{:02}", a / 100, a % 100);
                scratch
            }
            other => {
                scratch.push_str(&other.plain());
                scratch
            }
        }
    }

    /// The value as machine formats write it.
    pub fn plain(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.to_string(),
            Cell::Int(n) => n.to_string(),
            Cell::Money(c) => format_amount(*c),
            Cell::Dec(d, places) => format!("{d:.places$}"),
            Cell::Date(d) => crate::model::value::iso(*d),
            Cell::Bool(b) => b.to_string(),
            Cell::Alert(inner) => inner.plain(),
        }
    }

    /// The value as people read it in a table.
    fn human(&self, lang: Lang) -> String {
        match self {
            Cell::Money(c) => group_thousands(&format_amount(*c)),
            Cell::Bool(b) => match (lang, b) {
                (Lang::En, true) => "yes".into(),
                (Lang::En, false) => "no".into(),
                (Lang::Zh, true) => "是".into(),
                (Lang::Zh, false) => "否".into(),
            },
            Cell::Alert(inner) => inner.human(lang),
            other => other.plain(),
        }
    }

    fn is_number(&self) -> bool {
        match self {
            Cell::Int(_) | Cell::Money(_) | Cell::Dec(..) => true,
            Cell::Alert(inner) => inner.is_number(),
            _ => false,
        }
    }

    fn json(&self) -> String {
        match self {
            Cell::Empty => "null".into(),
            Cell::Int(_) | Cell::Money(_) | Cell::Dec(..) => self.plain(),
            Cell::Bool(b) => b.to_string(),
            Cell::Alert(inner) => inner.json(),
            other => serde_json::to_string(&other.plain()).unwrap_or_default(),
        }
    }
}

/// `1234567.50` → `1,234,567.50`.
fn group_thousands(plain: &str) -> String {
    let (sign, rest) = plain.strip_prefix('-').map_or(("", plain), |r| ("-", r));
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let mut out = String::with_capacity(plain.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if frac.is_empty() {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}.{frac}")
    }
}

/// Rows under named columns, with an optional title.
#[derive(Clone, Debug, Default)]
pub struct Table<'a> {
    pub title: Option<(String, String)>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell<'a>>>,
}

impl<'a> Table<'a> {
    pub fn new(columns: Vec<Column>) -> Self {
        Table {
            title: None,
            columns,
            rows: Vec::new(),
        }
    }

    pub fn titled(mut self, en: &str, zh: &str) -> Self {
        self.title = Some((en.into(), zh.into()));
        self
    }
}

/// Where and how a command prints.
pub struct Printer<'w> {
    pub out: &'w mut dyn Write,
    pub format: Format,
    pub lang: Lang,
    pub color: bool,
}

impl Printer<'_> {
    /// Writes one table in the printer's format.
    pub fn table(&mut self, t: &Table) -> io::Result<()> {
        match self.format {
            Format::Table => self.comfy(t),
            Format::Markdown => self.markdown(t),
            _ => self.stream(&t.columns, t.rows.iter()),
        }
    }

    /// Writes rows as they come: machine formats never hold the whole table (a million
    /// rows of `tier` would cost hundreds of megabytes); table and markdown collect them
    /// first, as they must to size their columns.
    pub fn rows<'c, R: AsRef<[Cell<'c>]>>(
        &mut self,
        columns: &[Column],
        rows: impl Iterator<Item = R>,
    ) -> io::Result<()> {
        match self.format {
            Format::Table | Format::Markdown => {
                let mut t = Table::new(columns.to_vec());
                t.rows = rows.map(|r| r.as_ref().to_vec()).collect();
                self.table(&t)
            }
            _ => self.stream(columns, rows),
        }
    }

    fn stream<'c, R: AsRef<[Cell<'c>]>>(
        &mut self,
        columns: &[Column],
        rows: impl Iterator<Item = R>,
    ) -> io::Result<()> {
        let mut scratch = String::new();
        match self.format {
            Format::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::Any(b'\n'))
                    .from_writer(&mut *self.out);
                w.write_record(columns.iter().map(|c| c.key.as_str()))
                    .map_err(csv_io)?;
                for row in rows {
                    for cell in row.as_ref() {
                        w.write_field(cell.plain_in(&mut scratch)).map_err(csv_io)?;
                    }
                    w.write_record(None::<&[u8]>).map_err(csv_io)?;
                }
                w.flush()
            }
            Format::Tsv => {
                let keys: Vec<&str> = columns.iter().map(|c| c.key.as_str()).collect();
                writeln!(self.out, "{}", keys.join("\t"))?;
                let mut line = Vec::with_capacity(256);
                for row in rows {
                    line.clear();
                    for (i, cell) in row.as_ref().iter().enumerate() {
                        if i > 0 {
                            line.push(b'\t');
                        }
                        // Tabs and line breaks inside a value would break the row apart.
                        let text = cell.plain_in(&mut scratch).bytes();
                        line.extend(text.map(|b| match b {
                            b'\t' | b'\n' | b'\r' => b' ',
                            b => b,
                        }));
                    }
                    line.push(b'\n');
                    self.out.write_all(&line)?;
                }
                Ok(())
            }
            Format::Json => {
                let mut first = true;
                for row in rows {
                    self.out
                        .write_all(if first { b"[\n  " } else { b",\n  " })?;
                    first = false;
                    self.out
                        .write_all(json_object(columns, row.as_ref()).as_bytes())?;
                }
                self.out.write_all(if first { b"[]\n" } else { b"\n]\n" })
            }
            Format::Jsonl => {
                for row in rows {
                    writeln!(self.out, "{}", json_object(columns, row.as_ref()))?;
                }
                Ok(())
            }
            Format::Table | Format::Markdown | Format::Ics => {
                Err(io::Error::other("not a streaming format"))
            }
        }
    }

    fn comfy(&mut self, t: &Table) -> io::Result<()> {
        if let Some((en, zh)) = &t.title {
            let title = if self.lang == Lang::Zh { zh } else { en };
            writeln!(self.out, "{title}")?;
        }
        let mut table = Comfy::new();
        table.load_preset(presets::UTF8_FULL_CONDENSED);
        table.set_content_arrangement(ContentArrangement::Disabled);
        if !self.color {
            table.force_no_tty();
        } else {
            table.enforce_styling();
        }
        table.set_header(
            t.columns
                .iter()
                .map(|c| TableCell::new(c.label(self.lang)).add_attribute(Attribute::Bold)),
        );
        for row in &t.rows {
            table.add_row(row.iter().map(|cell| {
                let mut tc = TableCell::new(cell.human(self.lang));
                if cell.is_number() {
                    tc = tc.set_alignment(CellAlignment::Right);
                }
                if matches!(cell, Cell::Alert(_)) && self.color {
                    tc = tc.fg(Color::Red).add_attribute(Attribute::Bold);
                }
                tc
            }));
        }
        writeln!(self.out, "{table}")
    }

    fn markdown(&mut self, t: &Table) -> io::Result<()> {
        if let Some((en, zh)) = &t.title {
            let title = if self.lang == Lang::Zh { zh } else { en };
            writeln!(self.out, "## {title}\n")?;
        }
        let esc = |s: &str| s.replace('|', "\\|").replace(['\n', '\r'], " ");
        let labels: Vec<String> = t.columns.iter().map(|c| esc(c.label(self.lang))).collect();
        writeln!(self.out, "| {} |", labels.join(" | "))?;
        let rules: Vec<&str> = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, _)| {
                if t.rows.iter().any(|r| r.get(i).is_some_and(Cell::is_number)) {
                    "---:"
                } else {
                    "---"
                }
            })
            .collect();
        writeln!(self.out, "| {} |", rules.join(" | "))?;
        for row in &t.rows {
            let cells: Vec<String> = row.iter().map(|c| esc(&c.human(self.lang))).collect();
            writeln!(self.out, "| {} |", cells.join(" | "))?;
        }
        Ok(())
    }
}

/// The I/O error inside a csv error, so a closed pipe stays recognisable as one.
fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// One row as a JSON object, keys in column order.
pub fn json_object(columns: &[Column], row: &[Cell<'_>]) -> String {
    let fields: Vec<String> = columns
        .iter()
        .zip(row)
        .map(|(c, v)| {
            format!(
                "{}:{}",
                serde_json::to_string(&c.key).unwrap_or_default(),
                v.json()
            )
        })
        .collect();
    format!("{{{}}}", fields.join(","))
}
