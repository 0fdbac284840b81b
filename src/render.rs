//! One output layer for every command: table (CJK-aware, localized labels), csv, tsv, json,
//! jsonl and markdown. Machine formats always use English snake_case keys and ISO dates.
//!
//! What the data holds never acts on the reader: tables and markdown show control
//! characters visibly (`crate::visible`), markdown escapes what would make a link or HTML,
//! CSV and JSON keep the text exact (quoted, escaped), a TSV row is always one line, and
//! `--excel` makes a cell Excel would run as a formula text (`excel`).

pub mod excel;

use std::borrow::Cow;
use std::io::{self, Write};

use chrono::NaiveDate;
use comfy_table::{
    Attribute, Cell as TableCell, CellAlignment, Color, ContentArrangement, Table as Comfy, presets,
};

use crate::model::Lang;
use crate::model::value::format_amount;

/// When CSV and TSV output starts with its header line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum HeaderWhen {
    /// When there is a row to print: nothing at all when there is none (cron mails nothing)
    #[default]
    Auto,
    /// Always, also above no rows
    Always,
    /// Never
    Never,
}

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
    /// Left out of a table on a terminal narrower than [`WIDE`] (unless `--wide` or
    /// `--columns` says otherwise): detail that would squeeze the columns a person reads.
    pub wide_only: bool,
    /// The text a person reads first in each row (`due`'s reason): when the table must fit
    /// a terminal, the other texts give way before it does.
    pub read_first: bool,
    /// Left out of a table fitted to a terminal when keeping it would leave the read-first
    /// text fewer than [`READABLE`] columns, the rightmost such column first (`due`'s last
    /// note, then its way to reach the customer, when no `--columns` asked for them: an
    /// e-mail address is never cut, and takes thirty).
    pub optional: bool,
}

/// How narrow a read-first column may be cut before an optional column is left out for it:
/// enough for the short reasons whole (`B received step 2/4`, `A 预计下单 2026-11-09`) and
/// the start of the long ones.
pub const READABLE: usize = 20;

/// From this many display columns a table shows every column; below it, the compact set.
pub const WIDE: u16 = 120;

impl Column {
    pub fn new(key: &str, en: &str, zh: &str) -> Self {
        Column {
            key: key.into(),
            en: en.into(),
            zh: zh.into(),
            wide_only: false,
            read_first: false,
            optional: false,
        }
    }

    /// The column, as the text a person reads first (the field `read_first`).
    pub fn read_first(mut self) -> Self {
        self.read_first = true;
        self
    }

    /// The column, left out of a fitted table before the read-first text is cut too far
    /// (the field `optional`).
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    /// The column, shown on a terminal of [`WIDE`] columns or more only.
    pub fn wide_only(mut self) -> Self {
        self.wide_only = true;
        self
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
    /// A number or a flag highlighted in a table when colour is on (e.g. overdue days).
    Alert(Alerted),
    /// Several texts: a JSON array; joined by "; " in every other format.
    Texts(Vec<String>),
}

/// What an alert cell holds (a value of its own, not a boxed cell: a listing has one or two
/// per row).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Alerted {
    Int(i64),
    Bool(bool),
}

impl Alerted {
    /// The value as a cell of its own.
    fn cell(self) -> Cell<'static> {
        match self {
            Alerted::Int(n) => Cell::Int(n),
            Alerted::Bool(b) => Cell::Bool(b),
        }
    }
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
        scratch.clear();
        match self {
            Cell::Empty => "",
            Cell::Text(s) => s,
            Cell::Int(n) | Cell::Alert(Alerted::Int(n)) => {
                crate::model::value::push_int(scratch, *n);
                scratch
            }
            Cell::Bool(b) | Cell::Alert(Alerted::Bool(b)) => {
                if *b {
                    "true"
                } else {
                    "false"
                }
            }
            Cell::Date(d) => {
                crate::model::value::push_iso(scratch, *d);
                scratch
            }
            Cell::Dec(d, places) => {
                crate::model::value::push_fixed(scratch, *d, *places);
                scratch
            }
            Cell::Money(c) => {
                crate::model::value::push_amount(scratch, *c);
                scratch
            }
            Cell::Texts(texts) => {
                for (i, t) in texts.iter().enumerate() {
                    if i > 0 {
                        scratch.push_str("; ");
                    }
                    scratch.push_str(t);
                }
                scratch
            }
        }
    }

    /// The value as machine formats write it.
    pub fn plain(&self) -> String {
        self.plain_in(&mut String::new()).to_string()
    }

    /// The value as people read it in a table.
    pub fn human(&self, lang: Lang) -> String {
        match self {
            Cell::Money(c) => group_thousands(&format_amount(*c)),
            Cell::Bool(b) => match (lang, b) {
                (Lang::En, true) => "yes".into(),
                (Lang::En, false) => "no".into(),
                (Lang::Zh, true) => "是".into(),
                (Lang::Zh, false) => "否".into(),
            },
            Cell::Alert(a) => a.cell().human(lang),
            other => other.plain(),
        }
    }

    fn is_number(&self) -> bool {
        matches!(
            self,
            Cell::Int(_) | Cell::Money(_) | Cell::Dec(..) | Cell::Alert(Alerted::Int(_))
        )
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
    /// When CSV and TSV print their header line.
    pub header: HeaderWhen,
    /// The width a table must fit (the terminal's, or `COLUMNS`); None: as wide as it is
    /// (piped, or `--wide`).
    pub width: Option<u16>,
    /// The columns `--columns` names, by key, in order (every format); empty: the
    /// command's own.
    pub pick: Vec<String>,
    /// CSV and TSV for Excel (`--excel`): formulas made text, a byte-order mark first, CRLF
    /// line ends (see [`excel`]). One table per printer then: the mark opens each.
    pub excel: bool,
}

/// `--columns` named a column the command does not print: the message, carried through
/// the printer's `io::Error` to the command line as a usage error.
#[derive(Debug)]
pub struct UnknownColumn(pub String);

impl std::fmt::Display for UnknownColumn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UnknownColumn {}

/// The columns shown, as indices into `columns`: those `pick` names, in its order; else, on
/// a terminal narrower than [`WIDE`], those not `wide_only`; None: every one.
fn shown(columns: &[Column], pick: &[String], narrow: bool) -> io::Result<Option<Vec<usize>>> {
    if pick.is_empty() {
        let compact: Vec<usize> = (0..columns.len())
            .filter(|&k| !(narrow && columns[k].wide_only))
            .collect();
        return Ok((compact.len() < columns.len()).then_some(compact));
    }
    pick.iter()
        .map(|name| {
            let name = name.trim();
            columns.iter().position(|c| c.key == name).ok_or_else(|| {
                let keys: Vec<&str> = columns.iter().map(|c| c.key.as_str()).collect();
                let message = crate::model::messages::commands::CmdMsg::UnknownColumn {
                    text: name,
                    expected: &keys.join(", "),
                };
                io::Error::other(UnknownColumn(message.to_string()))
            })
        })
        .collect::<io::Result<Vec<usize>>>()
        .map(Some)
}

/// `row`'s cells at `keep`.
fn select<'c>(row: &[Cell<'c>], keep: &[usize]) -> Vec<Cell<'c>> {
    keep.iter()
        .map(|&k| row.get(k).cloned().unwrap_or(Cell::Empty))
        .collect()
}

impl Printer<'_> {
    /// Whether a table is shown on a terminal too narrow for every column.
    fn narrow(&self) -> bool {
        self.format == Format::Table && self.width.is_some_and(|w| w < WIDE)
    }

    /// Writes one table in the printer's format.
    pub fn table(&mut self, t: &Table) -> io::Result<()> {
        if let Some(keep) = shown(&t.columns, &self.pick, self.narrow())? {
            let picked = Table {
                title: t.title.clone(),
                columns: keep.iter().map(|&k| t.columns[k].clone()).collect(),
                rows: t.rows.iter().map(|r| select(r, &keep)).collect(),
            };
            return self.table_as_is(&picked);
        }
        self.table_as_is(t)
    }

    fn table_as_is(&mut self, t: &Table) -> io::Result<()> {
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
        if let Some(keep) = shown(columns, &self.pick, self.narrow())? {
            let picked: Vec<Column> = keep.iter().map(|&k| columns[k].clone()).collect();
            let rows = rows.map(|r| select(r.as_ref(), &keep));
            return self.rows_as_is(&picked, rows);
        }
        self.rows_as_is(columns, rows)
    }

    fn rows_as_is<'c, R: AsRef<[Cell<'c>]>>(
        &mut self,
        columns: &[Column],
        rows: impl Iterator<Item = R>,
    ) -> io::Result<()> {
        match self.format {
            Format::Table | Format::Markdown => {
                let mut t = Table::new(columns.to_vec());
                t.rows = rows.map(|r| r.as_ref().to_vec()).collect();
                self.table_as_is(&t)
            }
            _ => self.stream(columns, rows),
        }
    }

    /// Writes `n` rows made by `row(i)`. Machine formats are encoded a block at a time,
    /// the block split across cores (`row` is called on several threads), and written in
    /// order; table and markdown collect the rows first, as they must to size columns.
    pub fn rows_indexed<'c, R: AsRef<[Cell<'c>]>>(
        &mut self,
        columns: &[Column],
        n: usize,
        row: impl Fn(usize) -> R + Sync,
    ) -> io::Result<()> {
        if !self.format.is_machine() {
            return self.rows(columns, (0..n).map(&row));
        }
        if let Some(keep) = shown(columns, &self.pick, false)? {
            let picked: Vec<Column> = keep.iter().map(|&k| columns[k].clone()).collect();
            return self.encode_indexed(&picked, n, |i| select(row(i).as_ref(), &keep));
        }
        self.encode_indexed(columns, n, row)
    }

    /// [`Printer::rows_indexed`] in a machine format, every column as given.
    fn encode_indexed<'c, R: AsRef<[Cell<'c>]>>(
        &mut self,
        columns: &[Column],
        n: usize,
        row: impl Fn(usize) -> R + Sync,
    ) -> io::Result<()> {
        let (format, excel) = (self.format, self.excel);
        let header_line = self.wants_header(n > 0);
        if excel && (header_line || n > 0) {
            self.out.write_all(excel::BOM)?;
        }
        if header_line {
            self.out.write_all(&header(format, excel, columns))?;
        }
        // Enough rows per thread to pay for it, few enough to stream.
        let block = crate::parallel::PARALLEL_FROM * rayon::current_num_threads();
        let mut start = 0;
        while start < n {
            let end = n.min(start + block);
            let blocks = crate::parallel::map_parts(end - start, |rows| {
                let mut out = Vec::new();
                let mut scratch = String::new();
                for i in (start + rows.start)..(start + rows.end) {
                    let cells = row(i);
                    let line = Line {
                        format,
                        excel,
                        index: i,
                    };
                    line.encode(columns, cells.as_ref(), &mut out, &mut scratch);
                    if i == start + rows.start {
                        // Room for the rest, sized on the first row (a little over), so that
                        // the block is not copied as it grows.
                        out.reserve(out.len() * 5 / 4 * (rows.len() - 1));
                    }
                }
                out
            });
            for block in blocks {
                self.out.write_all(&block)?;
            }
            start = end;
        }
        self.out.write_all(footer(format, n))
    }

    fn stream<'c, R: AsRef<[Cell<'c>]>>(
        &mut self,
        columns: &[Column],
        rows: impl Iterator<Item = R>,
    ) -> io::Result<()> {
        let (format, excel) = (self.format, self.excel);
        let mut rows = rows.peekable();
        let any_rows = rows.peek().is_some();
        let header_line = self.wants_header(any_rows);
        if excel && (header_line || any_rows) {
            self.out.write_all(excel::BOM)?;
        }
        if header_line {
            self.out.write_all(&header(format, excel, columns))?;
        }
        let (mut bytes, mut scratch, mut n) = (Vec::with_capacity(256), String::new(), 0);
        for row in rows {
            bytes.clear();
            let line = Line {
                format,
                excel,
                index: n,
            };
            line.encode(columns, row.as_ref(), &mut bytes, &mut scratch);
            self.out.write_all(&bytes)?;
            n += 1;
        }
        self.out.write_all(footer(format, n))
    }

    /// Whether a CSV or TSV header line is printed, above rows or none.
    fn wants_header(&self, any_rows: bool) -> bool {
        match self.header {
            HeaderWhen::Auto => any_rows,
            HeaderWhen::Always => true,
            HeaderWhen::Never => false,
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
        let compact;
        let (t, texts, limits) = match self.width {
            Some(width) if !t.rows.is_empty() => {
                let (fitted, texts, limits) = fitted(t, self.lang, usize::from(width));
                compact = fitted;
                (&compact, texts, limits)
            }
            _ => (t, shown_texts(t, self.lang), vec![None; t.columns.len()]),
        };
        let headers: Vec<&str> = t.columns.iter().map(|c| c.label(self.lang)).collect();
        let cut = |k: usize, s: &str| match limits.get(k).copied().flatten() {
            Some(w) => truncate(s, w),
            None => s.to_string(),
        };
        if !self.color {
            table.force_no_tty();
        } else {
            table.enforce_styling();
        }
        table.set_header(
            headers
                .iter()
                .enumerate()
                .map(|(k, h)| TableCell::new(cut(k, h)).add_attribute(Attribute::Bold)),
        );
        for (row, text) in t.rows.iter().zip(&texts) {
            table.add_row(row.iter().zip(text).enumerate().map(|(k, (cell, text))| {
                let mut tc = TableCell::new(cut(k, text));
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
        let esc = markdown_text;
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

/// A cell's text in a markdown table: control characters shown (`crate::visible`), and a
/// backslash before each character that would end the cell (`|`), make a link or an image
/// (`[`, `]`), HTML or an autolink (`<`, and `&` before what could be a character
/// reference; a `>` alone makes nothing, as `->` in a change's note shows) or code
/// (`` ` ``), and before a backslash: rendered, the cell shows the data's text and links,
/// loads and runs nothing. Emphasis (`*`, `_`, `~`) is left alone: it can only style the
/// text, and escaping it would fill every `credit_seeker` with backslashes.
fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let reference = c == '&'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#');
        if matches!(c, '\\' | '|' | '[' | ']' | '<' | '`') || reference {
            out.push('\\');
        }
        crate::visible::push(&mut out, c);
    }
    out
}

/// What a machine format writes before the rows.
fn header(format: Format, excel: bool, columns: &[Column]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut scratch = String::new();
    match format {
        Format::Csv | Format::Tsv => {
            let keys: Vec<Cell<'_>> = columns.iter().map(|c| Cell::text(c.key.as_str())).collect();
            let line = Line {
                format,
                excel,
                index: 0,
            };
            line.encode(&[], &keys, &mut out, &mut scratch);
        }
        _ => {}
    }
    out
}

/// The widest each column of `t` may be for the table to fit `width` display columns (None:
/// as wide as its text). Only text columns give way, the widest first, down to a few
/// characters, a read-first column after the others; ids, phone numbers, e-mail addresses,
/// dates and numbers are never cut. A table that cannot fit even so is printed as narrow
/// as it gets.
fn fit(t: &Table, headers: &[&str], texts: &[Vec<String>], width: usize) -> Vec<Option<usize>> {
    use unicode_width::UnicodeWidthStr;
    let n = t.columns.len();
    // The widest cell of each column, headers apart.
    let cells: Vec<usize> = (0..n)
        .map(|k| {
            texts
                .iter()
                .map(|row| row.get(k).map_or(0, |s| s.width()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let natural: Vec<usize> = (0..n).map(|k| cells[k].max(headers[k].width())).collect();
    let text: Vec<bool> = (0..n)
        .map(|k| {
            // A cut id, phone or e-mail is no use to anyone.
            !matches!(
                t.columns[k].key.as_str(),
                "id" | "phone" | "email" | "reach"
            ) && t.rows.iter().any(|row| {
                row.get(k)
                    .is_some_and(|c| matches!(c, Cell::Text(_) | Cell::Texts(_)))
            })
        })
        .collect();
    // Each column has a space either side and a border after it; one border starts the row.
    let total = |w: &[usize]| w.iter().sum::<usize>() + 3 * n + 1;
    let mut widths = natural.clone();
    // Give way in turn, the widest first each time, until the table fits: texts down to a
    // few characters (the read-first text last); then the headers of ids, dates and
    // numbers down to their values; then texts down to two characters and their "…".
    let first = |k: usize| t.columns[k].read_first;
    let floors: [&dyn Fn(usize) -> Option<usize>; 5] = [
        // The other texts to a dozen columns (five Chinese characters and "…") before the
        // text read first gives way, then it to about a reason's length.
        &|k| (text[k] && !first(k)).then_some(12),
        &|k| (text[k] && first(k)).then_some(24),
        &|k| text[k].then_some(6),
        &|k| (!text[k]).then(|| cells[k].max(3)),
        &|k| text[k].then_some(3),
    ];
    for floor in floors {
        while total(&widths) > width {
            let widest = (0..n)
                .filter(|&k| floor(k).is_some_and(|f| widths[k] > f))
                .max_by_key(|&k| (widths[k], std::cmp::Reverse(k)));
            let Some(k) = widest else { break };
            widths[k] -= 1;
        }
    }
    (0..n)
        .map(|k| (widths[k] < natural[k]).then_some(widths[k]))
        .collect()
}

/// `t` fitted to `width` display columns: without the columns no row fills (a tier scheme
/// without shares), then without its optional columns, the rightmost first, while keeping
/// them would cut a read-first text below [`READABLE`]; with its cells as shown and the
/// widest each column may be (see [`fit`]).
fn fitted<'a>(
    t: &Table<'a>,
    lang: Lang,
    width: usize,
) -> (Table<'a>, Vec<Vec<String>>, Vec<Option<usize>>) {
    let mut t = without_columns(t, |t, k| {
        !t.rows
            .iter()
            .any(|row| row.get(k).is_some_and(|c| !matches!(c, Cell::Empty)))
    });
    loop {
        let texts = shown_texts(&t, lang);
        let headers: Vec<&str> = t.columns.iter().map(|c| c.label(lang)).collect();
        let limits = fit(&t, &headers, &texts, width);
        let optional = t.columns.iter().rposition(|c| c.optional);
        match optional {
            Some(k) if squeezed(&t, &texts, &limits) => t = without_columns(&t, |_, j| j == k),
            _ => return (t, texts, limits),
        }
    }
}

/// The cells of `t` as a table shows them: a control character in the data shown, never
/// obeyed (a row is one line).
fn shown_texts(t: &Table<'_>, lang: Lang) -> Vec<Vec<String>> {
    t.rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| crate::visible::visible(&c.human(lang)).into_owned())
                .collect()
        })
        .collect()
}

/// Whether fitting `t` (its cells `texts`, cut to `limits`) leaves a read-first column
/// narrower than [`READABLE`] (or than its text).
fn squeezed(t: &Table<'_>, texts: &[Vec<String>], limits: &[Option<usize>]) -> bool {
    use unicode_width::UnicodeWidthStr;
    let cut = |k: usize| {
        let Some(limit) = limits.get(k).copied().flatten() else {
            return false;
        };
        let widest = texts
            .iter()
            .map(|row| row.get(k).map_or(0, |s| s.width()))
            .max()
            .unwrap_or(0);
        limit < widest.min(READABLE)
    };
    (0..t.columns.len()).any(|k| t.columns[k].read_first && cut(k))
}

/// `t` without the columns `drop` names (by the table and the column's index).
fn without_columns<'a>(t: &Table<'a>, drop: impl Fn(&Table<'a>, usize) -> bool) -> Table<'a> {
    let keep: Vec<bool> = (0..t.columns.len()).map(|k| !drop(t, k)).collect();
    let pick = |k: &usize| keep.get(*k).copied().unwrap_or(true);
    Table {
        title: t.title.clone(),
        columns: (0..t.columns.len())
            .filter(pick)
            .map(|k| t.columns[k].clone())
            .collect(),
        rows: t
            .rows
            .iter()
            .map(|row| {
                (0..row.len())
                    .filter(pick)
                    .map(|k| row[k].clone())
                    .collect()
            })
            .collect(),
    }
}

/// `s` cut to `width` display columns, ending in "…" when cut.
fn truncate(s: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// What a machine format writes after `n` rows.
fn footer(format: Format, n: usize) -> &'static [u8] {
    match (format, n) {
        (Format::Json, 0) => b"[]\n",
        (Format::Json, _) => b"\n]\n",
        _ => b"",
    }
}

/// Whether `text` holds any of `bytes`.
fn holds_any<const N: usize>(text: &[u8], bytes: [u8; N]) -> bool {
    text.iter().any(|b| bytes.contains(b))
}

/// How one row of a machine format is written: the format, for Excel or not, and the
/// row's number (from 0; JSON puts its `[` before the first).
#[derive(Clone, Copy)]
struct Line {
    format: Format,
    excel: bool,
    index: usize,
}

impl Line {
    /// Appends the row: CSV quoted as the csv crate quotes (a field holding a comma, a
    /// quote, a CR or a LF), TSV as [`push_tsv_cell`] writes cells (TSV has no quoting: a
    /// row is one line, one tab between cells), JSON as array elements, JSON lines. For
    /// Excel, a cell Excel would run is made text (and quoted in CSV), and the line ends in
    /// CRLF.
    fn encode(
        self,
        columns: &[Column],
        cells: &[Cell<'_>],
        out: &mut Vec<u8>,
        scratch: &mut String,
    ) {
        let end: &[u8] = if self.excel { excel::LINE_END } else { b"\n" };
        match self.format {
            Format::Csv => {
                for (i, cell) in cells.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    let plain = cell.plain_in(scratch);
                    let text = if self.excel {
                        excel::protect(plain)
                    } else {
                        Cow::Borrowed(plain)
                    };
                    let protected = matches!(text, Cow::Owned(_));
                    let text = text.as_bytes();
                    // A lone empty field would read back as no record at all.
                    let lone_empty = cells.len() == 1 && text.is_empty();
                    if lone_empty || protected || holds_any(text, *b",\"\n\r") {
                        out.push(b'"');
                        for &b in text {
                            if b == b'"' {
                                out.push(b'"');
                            }
                            out.push(b);
                        }
                        out.push(b'"');
                    } else {
                        out.extend_from_slice(text);
                    }
                }
                out.extend_from_slice(end);
            }
            Format::Tsv => {
                // The common row has no character that acts (see [`push_tsv_cell`]): its
                // cells are copied as they are and the row is checked whole, in one pass
                // the compiler vectorizes (a check byte by byte, cell by cell, was a fifth
                // of `due`'s printing, counted in instructions on a 100k book). Only the
                // tabs between cells may act; a row with more is written again, cell by
                // cell.
                let start = out.len();
                self.tsv_cells(cells, out, scratch, |text, out| {
                    out.extend_from_slice(text.as_bytes());
                });
                if acting_bytes(&out[start..]) > cells.len().saturating_sub(1) {
                    out.truncate(start);
                    self.tsv_cells(cells, out, scratch, push_tsv_cell);
                }
                out.extend_from_slice(end);
            }
            Format::Json => {
                out.extend_from_slice(if self.index == 0 { b"[\n  " } else { b",\n  " });
                push_json_object(columns, cells, out, scratch);
            }
            Format::Jsonl => {
                push_json_object(columns, cells, out, scratch);
                out.push(b'\n');
            }
            Format::Table | Format::Markdown | Format::Ics => {}
        }
    }

    /// Appends the cells of a TSV row, a tab between them, each written by `push` (after
    /// [`excel::protect`] for Excel).
    fn tsv_cells(
        self,
        cells: &[Cell<'_>],
        out: &mut Vec<u8>,
        scratch: &mut String,
        push: impl Fn(&str, &mut Vec<u8>),
    ) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(b'\t');
            }
            let plain = cell.plain_in(scratch);
            if self.excel {
                push(&excel::protect(plain), out);
            } else {
                push(plain, out);
            }
        }
    }
}

/// How many bytes of `bytes` start a character that acts on a terminal or breaks a TSV
/// row ([`push_tsv_cell`]). Counted 32 bytes at a time without stopping, in bytes, so that
/// the compiler checks a whole block in a few vector instructions.
fn acting_bytes(bytes: &[u8]) -> usize {
    let mut blocks = bytes.chunks_exact(32);
    let mut n = 0;
    for block in &mut blocks {
        n += usize::from(block.iter().map(|&b| u8::from(acts(b))).sum::<u8>());
    }
    n + blocks.remainder().iter().filter(|&&b| acts(b)).count()
}

/// Whether a byte starts a character that acts: every one starts with a byte below 0x20,
/// 0x7f, or 0xc2 (C1 controls) or 0xe2 (the bidirectional controls and separators).
fn acts(b: u8) -> bool {
    (b < 0x20) | (b == 0x7f) | (b == 0xc2) | (b == 0xe2)
}

/// Appends a TSV cell: a tab or a line break inside it (which would break the row apart)
/// as a space, any other control character, escape sequence or bidirectional override by
/// its stand-in (`crate::visible`: TSV is what a pipe shows on a terminal; csv and json
/// keep the exact text).
fn push_tsv_cell(text: &str, out: &mut Vec<u8>) {
    // The common cell has no byte that [`acts`] and is copied as it is.
    if !text.bytes().any(acts) {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' | '\n' | '\r' => shown.push(' '),
            c => crate::visible::push(&mut shown, c),
        }
    }
    out.extend_from_slice(shown.as_bytes());
}

/// Appends row number `index` (from 0) in a machine format, as it is written without
/// `--excel` (see [`Line::encode`]).
#[cfg(test)]
fn encode_row(
    format: Format,
    columns: &[Column],
    index: usize,
    cells: &[Cell<'_>],
    out: &mut Vec<u8>,
    scratch: &mut String,
) {
    let line = Line {
        format,
        excel: false,
        index,
    };
    line.encode(columns, cells, out, scratch);
}

/// One row as a JSON object, keys in column order.
pub fn json_object(columns: &[Column], row: &[Cell<'_>]) -> String {
    let mut out = Vec::new();
    push_json_object(columns, row, &mut out, &mut String::new());
    String::from_utf8(out).unwrap_or_default()
}

/// Appends one row as a JSON object, keys in column order, straight into `out`.
fn push_json_object(columns: &[Column], row: &[Cell<'_>], out: &mut Vec<u8>, scratch: &mut String) {
    out.push(b'{');
    for (k, (c, v)) in columns.iter().zip(row).enumerate() {
        if k > 0 {
            out.push(b',');
        }
        push_json_string(out, &c.key);
        out.push(b':');
        push_json_value(v, out, scratch);
    }
    out.push(b'}');
}

/// Appends a cell as a JSON value: numbers bare, text and dates as strings, empty as null.
fn push_json_value(cell: &Cell<'_>, out: &mut Vec<u8>, scratch: &mut String) {
    match cell {
        Cell::Empty => out.extend_from_slice(b"null"),
        Cell::Int(_) | Cell::Money(_) | Cell::Dec(..) | Cell::Bool(_) => {
            out.extend_from_slice(cell.plain_in(scratch).as_bytes());
        }
        Cell::Alert(a) => push_json_value(&a.cell(), out, scratch),
        Cell::Text(_) | Cell::Date(_) => push_json_string(out, cell.plain_in(scratch)),
        Cell::Texts(texts) => {
            out.push(b'[');
            for (i, t) in texts.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                push_json_string(out, t);
            }
            out.push(b']');
        }
    }
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it.
fn push_json_string(out: &mut Vec<u8>, s: &str) {
    // Writing into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name of 24 columns and a reason of 30 in a table 47 wide: 7 go to borders and
    /// padding (three a column, one to start), 40 to the texts, 14 less than their 54. The
    /// name gives way first, to 12; then the reason, 30 − 28 = 2 → 28. Were the reason an
    /// ordinary text, the widest would give way in turn: 20 and 20.
    #[test]
    fn the_read_first_text_gives_way_after_the_others() {
        let texts = vec![vec!["n".repeat(24), "r".repeat(30)]];
        let table = |reason: Column| Table {
            title: None,
            columns: vec![Column::new("name", "Name", "名称"), reason],
            rows: vec![vec![Cell::text("n"), Cell::text("r")]],
        };
        let headers = ["Name", "Reason"];
        let first = table(Column::new("reason", "Reason", "原因").read_first());
        assert_eq!(fit(&first, &headers, &texts, 47), [Some(12), Some(28)]);
        let plain = table(Column::new("reason", "Reason", "原因"));
        assert_eq!(fit(&plain, &headers, &texts, 47), [Some(20), Some(20)]);
    }

    fn printed(format: Format, write: impl FnOnce(&mut Printer<'_>) -> io::Result<()>) -> String {
        printed_for(format, false, write)
    }

    /// What a printer of `format` prints, made for Excel or not.
    fn printed_for(
        format: Format,
        excel: bool,
        write: impl FnOnce(&mut Printer<'_>) -> io::Result<()>,
    ) -> String {
        let mut out = Vec::new();
        let mut p = Printer {
            out: &mut out,
            format,
            lang: Lang::En,
            color: false,
            header: HeaderWhen::Auto,
            width: None,
            pick: Vec::new(),
            excel,
        };
        write(&mut p).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn columns() -> Vec<Column> {
        vec![
            Column::new("id", "ID", "编号"),
            Column::new("note", "Note", "备注"),
        ]
    }

    fn row(i: usize) -> Vec<Cell<'static>> {
        let note = match i % 5 {
            0 => "plain".to_string(),
            1 => format!("a, \"quoted\" {i}"),
            2 => "two\nlines\tand\ra tab".to_string(),
            3 => String::new(),
            _ => "客户".to_string(),
        };
        vec![Cell::Int(i as i64), Cell::text(note)]
    }

    /// Rows encoded a block at a time on several threads come out as one stream would write
    /// them, in order, in every machine format.
    #[test]
    fn indexed_rows_print_what_streamed_rows_print() {
        let n = 3 * crate::parallel::PARALLEL_FROM + 17;
        for format in [Format::Csv, Format::Tsv, Format::Json, Format::Jsonl] {
            let streamed = printed(format, |p| p.rows(&columns(), (0..n).map(row)));
            let indexed = printed(format, |p| p.rows_indexed(&columns(), n, row));
            assert!(streamed == indexed, "{format:?}");
        }
        let tsv = printed(Format::Tsv, |p| p.rows_indexed(&columns(), 3, row));
        assert_eq!(
            tsv,
            "id\tnote\n0\tplain\n1\ta, \"quoted\" 1\n2\ttwo lines and a tab\n"
        );
        let json = printed(Format::Json, |p| p.rows_indexed(&columns(), 0, row));
        assert_eq!(json, "[]\n");
        let jsonl = printed(Format::Jsonl, |p| p.rows_indexed(&columns(), 5, row));
        assert_eq!(
            jsonl,
            "{\"id\":0,\"note\":\"plain\"}\n\
             {\"id\":1,\"note\":\"a, \\\"quoted\\\" 1\"}\n\
             {\"id\":2,\"note\":\"two\\nlines\\tand\\ra tab\"}\n\
             {\"id\":3,\"note\":null}\n\
             {\"id\":4,\"note\":\"客户\"}\n"
        );
        let json = printed(Format::Json, |p| p.rows_indexed(&columns(), 2, row));
        assert_eq!(
            json,
            "[\n  {\"id\":0,\"note\":\"plain\"},\n  {\"id\":1,\"note\":\"a, \\\"quoted\\\" 1\"}\n]\n"
        );
    }

    /// A CSV field is quoted when it holds any one of a comma, a quote, a CR or a LF (a
    /// quote doubled), and a lone empty field too; TSV turns tabs and line breaks to spaces.
    #[test]
    fn each_special_byte_alone_quotes_a_csv_field() {
        let cells = |text: &'static str| vec![Cell::text("x"), Cell::text(text)];
        let mut out = Vec::new();
        let mut scratch = String::new();
        for text in ["a,b", "a\"b", "a\nb", "a\rb", "a\tb", "ab"] {
            encode_row(
                Format::Csv,
                &columns(),
                0,
                &cells(text),
                &mut out,
                &mut scratch,
            );
            encode_row(
                Format::Tsv,
                &columns(),
                0,
                &cells(text),
                &mut out,
                &mut scratch,
            );
        }
        encode_row(
            Format::Csv,
            &columns()[..1],
            0,
            &[Cell::Empty],
            &mut out,
            &mut scratch,
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "x,\"a,b\"\nx\ta,b\n\
             x,\"a\"\"b\"\nx\ta\"b\n\
             x,\"a\nb\"\nx\ta b\n\
             x,\"a\rb\"\nx\ta b\n\
             x,a\tb\nx\ta b\n\
             x,ab\nx\tab\n\
             \"\"\n"
        );
    }

    /// A sought byte is found at any place of a text of any length, and nothing in a text of
    /// near misses (the bytes beside each sought one, and bytes above 0x7f).
    #[test]
    fn holds_any_finds_a_sought_byte_anywhere() {
        let near = [
            0x08, 0x0b, 0x0c, 0x0e, 0x2b, 0x2d, 0x21, 0x23, 0x80, 0xff, 0x01, b'a',
        ];
        for len in 0..40 {
            let plain: Vec<u8> = (0..len).map(|i| near[i % near.len()]).collect();
            assert!(!holds_any(&plain, *b"\t\n\r"), "{plain:?}");
            assert!(!holds_any(&plain, *b",\"\n\r"), "{plain:?}");
            for at in 0..len {
                for sought in [b'\t', b'\n', b'\r', b',', b'"'] {
                    let mut text = plain.clone();
                    text[at] = sought;
                    let tsv = matches!(sought, b'\t' | b'\n' | b'\r');
                    let csv = sought != b'\t';
                    assert_eq!(holds_any(&text, *b"\t\n\r"), tsv, "{text:?}");
                    assert_eq!(holds_any(&text, *b",\"\n\r"), csv, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn integers_and_booleans_in_machine_formats() {
        let mut scratch = String::new();
        for (n, want) in [
            (0, "0"),
            (7, "7"),
            (-7, "-7"),
            (1027, "1027"),
            (i64::MIN, "-9223372036854775808"),
            (i64::MAX, "9223372036854775807"),
        ] {
            assert_eq!(Cell::Int(n).plain_in(&mut scratch), want);
            assert_eq!(Cell::Int(n).plain(), want);
        }
        assert_eq!(Cell::Bool(true).plain_in(&mut scratch), "true");
        assert_eq!(
            Cell::Alert(Alerted::Bool(false)).plain_in(&mut scratch),
            "false"
        );
    }

    /// CSV fields are quoted exactly where the csv crate quotes them.
    #[test]
    fn csv_quoting_is_the_csv_crates() {
        let values = [
            "",
            "plain",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\ronly",
            " padded ",
            "#",
        ];
        let cols = [Column::new("a", "A", "A"), Column::new("b", "B", "B")];
        let ours = printed(Format::Csv, |p| {
            p.rows(
                &cols,
                values.iter().map(|v| vec![Cell::text(*v), Cell::text("x")]),
            )
        });
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        w.write_record(["a", "b"]).unwrap();
        for v in values {
            w.write_record([v, "x"]).unwrap();
        }
        assert_eq!(ours, String::from_utf8(w.into_inner().unwrap()).unwrap());
        // A record of one empty field is quoted, or it would read back as no record.
        let one = [Column::new("a", "A", "A")];
        let lone = printed(Format::Csv, |p| {
            p.rows(&one, std::iter::once(vec![Cell::Empty]))
        });
        assert_eq!(lone, "a\n\"\"\n");
    }

    /// For Excel, a cell Excel would run is made text and quoted, numbers are left alone,
    /// the mark opens the output (once, before the header) and lines end in CRLF; rows
    /// encoded a block at a time write the same bytes.
    #[test]
    fn excel_output_makes_formulas_text_with_a_mark_and_crlf() {
        let cols = [Column::new("a", "A", "A"), Column::new("b", "B", "B")];
        let row = |i: usize| match i {
            0 => vec![Cell::text("=1+1"), Cell::Money(-1250)],
            1 => vec![Cell::text("@x"), Cell::Int(-3)],
            _ => vec![Cell::text("a,b"), Cell::text("-")],
        };
        let excel = |format, write: &dyn Fn(&mut Printer<'_>) -> io::Result<()>| {
            printed_for(format, true, write)
        };
        let csv = "\u{feff}a,b\r\n\"'=1+1\",-12.50\r\n\"'@x\",-3\r\n\"a,b\",\"'-\"\r\n";
        assert_eq!(excel(Format::Csv, &|p| p.rows(&cols, (0..3).map(row))), csv);
        assert_eq!(excel(Format::Csv, &|p| p.rows_indexed(&cols, 3, row)), csv);
        let tsv = "\u{feff}a\tb\r\n'=1+1\t-12.50\r\n'@x\t-3\r\na,b\t'-\r\n";
        assert_eq!(excel(Format::Tsv, &|p| p.rows(&cols, (0..3).map(row))), tsv);
        assert_eq!(excel(Format::Tsv, &|p| p.rows_indexed(&cols, 3, row)), tsv);
        // Nothing to print: no mark either.
        assert_eq!(excel(Format::Csv, &|p| p.rows_indexed(&cols, 0, row)), "");
    }

    /// A TSV row is written as it is when no cell acts, and cell by cell when one does,
    /// wherever in the row (within the first 32 bytes checked at once, or past them).
    #[test]
    fn tsv_rows_with_an_acting_character_anywhere_are_written_cell_by_cell() {
        let cols = [Column::new("a", "A", "A"), Column::new("b", "B", "B")];
        let line = |cells: [Cell<'_>; 2]| {
            let mut out = Vec::new();
            encode_row(Format::Tsv, &cols, 0, &cells, &mut out, &mut String::new());
            String::from_utf8(out).unwrap()
        };
        let long = "x".repeat(40);
        assert_eq!(
            line([Cell::text(long.as_str()), Cell::Int(-5)]),
            format!("{long}\t-5\n")
        );
        assert_eq!(
            line([Cell::text(format!("{long}\tz")), Cell::text("b")]),
            format!("{long} z\tb\n")
        );
        assert_eq!(
            line([Cell::text("a"), Cell::text(format!("{long}\u{202e}b"))]),
            format!("a\t{long}<U+202E>b\n")
        );
        assert_eq!(
            line([Cell::text("\u{1b}x"), Cell::text("c\r\nd")]),
            "␛x\tc  d\n"
        );
        assert_eq!(line([Cell::Empty, Cell::Empty]), "\t\n");
    }

    /// The count of acting bytes, 32 at a time, is the count byte by byte, at every length
    /// around the block size and wherever the acting byte lies.
    #[test]
    fn acting_bytes_are_counted_as_one_by_one() {
        for len in 0..100 {
            for at in 0..=len {
                for b in [b'\t', 0x7f, 0xc2, 0xe2, b'a', 0xe4] {
                    let mut bytes = vec![b'x'; len];
                    if at < len {
                        bytes[at] = b;
                    }
                    // The bytes that act, spelled out: below 0x20, 0x7f, 0xc2, 0xe2.
                    let one_by_one = bytes
                        .iter()
                        .filter(|&&b| b < 0x20 || matches!(b, 0x7f | 0xc2 | 0xe2))
                        .count();
                    assert_eq!(acting_bytes(&bytes), one_by_one, "{len} {at} {b}");
                }
            }
        }
    }

    /// A TSV cell: tabs and line breaks as spaces, every other acting character by its
    /// stand-in; a cell without any copied as it is.
    #[test]
    fn tsv_cells_stay_on_their_line_and_show_control_characters() {
        let cell = |text: &str| {
            let mut out = Vec::new();
            push_tsv_cell(text, &mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(cell("a\tb\r\nc\rd\ne"), "a b  c d e");
        assert_eq!(
            cell("\u{1b}[1m\u{7f}\u{9b}\u{202e}x"),
            "␛[1m␡<U+009B><U+202E>x"
        );
        assert_eq!(cell("华星 … — €"), "华星 … — €");
    }

    /// Markdown: a backslash before what would end the cell or make a link, an image, HTML
    /// or code; control characters shown; emphasis, `>` and a bare `&` left alone.
    #[test]
    fn markdown_cells_make_no_markup() {
        assert_eq!(
            markdown_text("a|b [x](y) ![i](u) <b> `c` \\ &amp; &#60; & -> *e* _f_"),
            "a\\|b \\[x\\](y) !\\[i\\](u) \\<b> \\`c\\` \\\\ \\&amp; \\&#60; & -> *e* _f_"
        );
        assert_eq!(markdown_text("x\u{1b}[0m\ny"), "x␛\\[0m␊y");
    }
}
