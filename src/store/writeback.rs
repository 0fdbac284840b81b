//! Write-back: changes to customers applied to the book's own text so that only what changed
//! changes — untouched CSV rows keep their bytes, TOML keeps comments and key order — then
//! committed all-or-nothing through the journal (`journal/`): temporary files, fsync, a
//! check that nobody changed a file since it was read, renames, fsync of the folder.

use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Value};

use super::csv_book::{CsvSource, raw_fields};
use super::encoding::{self, TextEncoding};
use super::toml_book::TomlSource;
use super::{Book, Fingerprint, Form, field_for_header, journal};
use crate::error::{Diagnostic, Error, Result, display_path};
use crate::model::Field;
use crate::model::messages::commands::CmdMsg;
use crate::model::messages::commands::guard::GuardMsg;

/// Which cell a change writes: a known field, or a column by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Field(Field),
    /// A column no field takes: its name, and the Chinese header a book of Chinese headers
    /// gives it when it is new (a column under either is this one).
    Column {
        name: String,
        zh: Option<String>,
    },
}

impl Target {
    pub fn name(&self) -> &str {
        match self {
            Target::Field(f) => f.name(),
            Target::Column { name, .. } => name,
        }
    }

    /// The header of a new column for this target, in a book of Chinese headers or not.
    fn new_header(&self, chinese: bool) -> String {
        let zh = match self {
            Target::Field(f) => super::style::chinese_header(*f),
            Target::Column { zh, .. } => zh.as_deref(),
        };
        match zh {
            Some(zh) if chinese => zh.to_string(),
            _ => self.name().to_string(),
        }
    }

    /// Whether a header or key names this target.
    fn matches(&self, header: &str, columns: &[(Field, String)]) -> bool {
        match self {
            Target::Field(f) => field_for_header(header, columns) == Some(*f),
            Target::Column { name, zh } => {
                header.trim().eq_ignore_ascii_case(name)
                    || zh.as_deref().is_some_and(|zh| header.trim() == zh)
                    || field_for_header(name, columns)
                        .is_some_and(|f| field_for_header(header, columns) == Some(f))
            }
        }
    }
}

/// One cell to set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub customer: usize,
    pub target: Target,
    /// The text to store, as the cell will hold it.
    pub value: String,
}

/// A file's new contents, ready to commit.
#[derive(Debug)]
pub struct Planned {
    pub path: PathBuf,
    /// The file as it was read: the commit refuses if it is not so any more.
    pub before: Fingerprint,
    pub old_text: String,
    pub new_text: String,
    pub bytes: Vec<u8>,
}

/// Computes the new contents of every file the changes touch. Nothing is written.
pub fn plan(book: &Book, changes: &[Change], columns: &[(Field, String)]) -> Result<Vec<Planned>> {
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    match &book.form {
        Form::Workbook(_) => Err(workbook_refusal(&book.path)),
        Form::Released => Err(Error::Refused(
            CmdMsg::ReadOnly {
                file: &display_path(&book.path),
            }
            .to_string(),
        )),
        Form::Csv(src) => {
            let new_text = csv_text(src, changes, columns);
            Ok(vec![finish(
                &book.path,
                &src.text,
                new_text,
                src.encoding,
                src.fingerprint,
            )?])
        }
        Form::Toml(src) => {
            let started = std::time::Instant::now();
            let mut doc = editable(&book.path, src)?;
            crate::timing::phase("plan: parse the TOML book again", started);
            let Some(Item::ArrayOfTables(tables)) = doc.get_mut("customer") else {
                return Err(Error::Refused(
                    CmdMsg::NoCustomerTables {
                        file: &display_path(&book.path),
                    }
                    .to_string(),
                ));
            };
            for ch in changes {
                let table = tables.get_mut(ch.customer).ok_or_else(|| {
                    Error::Refused(
                        CmdMsg::CustomerNotInFile {
                            file: &display_path(&book.path),
                            n: ch.customer + 1,
                        }
                        .to_string(),
                    )
                })?;
                set_key(table, ch, columns);
            }
            crate::timing::phase("plan: set the keys", started);
            let text = doc.to_string();
            crate::timing::phase("plan: write the TOML text", started);
            let planned = finish(&book.path, &src.text, text, src.encoding, src.fingerprint)?;
            crate::timing::phase("plan: encode", started);
            Ok(vec![planned])
        }
        Form::Folder(folder) => {
            // The changes by customer, each customer's in their order (filtering all the
            // changes for each touched file made 60,000 changes take 15 s).
            let mut order: Vec<usize> = (0..changes.len()).collect();
            order.sort_by_key(|&k| changes[k].customer);
            let mut out = Vec::new();
            for group in order.chunk_by(|&a, &b| changes[a].customer == changes[b].customer) {
                let i = changes[group[0]].customer;
                let (path, src) = folder.files.get(i).ok_or_else(|| {
                    Error::Refused(
                        CmdMsg::CustomerNotInFile {
                            file: &display_path(&book.path),
                            n: i + 1,
                        }
                        .to_string(),
                    )
                })?;
                let mut doc = editable(path, src)?;
                for &k in group {
                    set_key(doc.as_table_mut(), &changes[k], columns);
                }
                out.push(finish(
                    path,
                    &src.text,
                    doc.to_string(),
                    src.encoding,
                    src.fingerprint,
                )?);
            }
            Ok(out)
        }
    }
}

/// Why a workbook is not written, and what to do instead.
pub fn workbook_refusal(path: &Path) -> Error {
    Error::Refused(
        CmdMsg::Workbook {
            file: &display_path(path),
        }
        .to_string(),
    )
}

/// The new file contents encoded, after checking the old text re-encodes to the bytes read.
fn finish(
    path: &Path,
    old: &str,
    new_text: String,
    enc: TextEncoding,
    before: Fingerprint,
) -> Result<Planned> {
    let original = encoding::encode(old, enc).ok();
    if original.as_deref().map(Fingerprint::of) != Some(before) {
        return Err(Error::Refused(
            CmdMsg::NotByteForByte {
                file: &display_path(path),
                encoding: enc.encoding.name(),
            }
            .to_string(),
        ));
    }
    // Bytes that are UTF-8 with more than ASCII, read in another encoding (only a forced
    // one reads them so): the new cells would go in as that encoding inside UTF-8 text.
    if let Some(bytes) = &original
        && enc.encoding != encoding_rs::UTF_8
        && !bytes.is_ascii()
        && std::str::from_utf8(bytes).is_ok()
    {
        return Err(Error::Refused(
            GuardMsg::Utf8ReadAs {
                file: &display_path(path),
                encoding: enc.encoding.name(),
            }
            .to_string(),
        ));
    }
    let bytes = encoding::encode(&new_text, enc).map_err(|e| {
        let line = 1 + new_text[..e.offset.min(new_text.len())]
            .bytes()
            .filter(|&b| b == b'\n')
            .count();
        Error::from(Diagnostic::file(
            path,
            line,
            CmdMsg::CannotHold {
                encoding: enc.encoding.name(),
                ch: e.ch,
            }
            .to_string(),
        ))
    })?;
    Ok(Planned {
        path: path.to_path_buf(),
        before,
        old_text: old.to_string(),
        new_text,
        bytes,
    })
}

/// CSV quoting for a new cell: only when the value needs it.
fn quote(value: &str, delimiter: u8) -> String {
    let needs = value
        .bytes()
        .any(|b| b == delimiter || b == b'"' || b == b'\n' || b == b'\r')
        || value.starts_with(' ')
        || value.ends_with(' ');
    if needs {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// The CSV text with the changed cells replaced in place and, only if a value needs one,
/// new columns after the last named one (before any empty columns Excel left at the end),
/// under headers in the book's language.
fn csv_text(src: &CsvSource, changes: &[Change], columns: &[(Field, String)]) -> String {
    let delimiter = char::from(src.delimiter);
    let chinese = super::style::chinese(&src.header);
    // Where new columns go: after the last header that is not empty.
    let insert_at = src
        .header
        .iter()
        .rposition(|h| !h.trim().is_empty())
        .map_or(0, |i| i + 1);
    let mut new_columns: Vec<(String, String)> = Vec::new();
    let mut column_of = |target: &Target| -> Column {
        if let Some(i) = src.header.iter().position(|h| target.matches(h, columns)) {
            return Column::Old(i);
        }
        let k = new_columns
            .iter()
            .position(|(name, _)| name == target.name())
            .unwrap_or_else(|| {
                new_columns.push((target.name().to_string(), target.new_header(chinese)));
                new_columns.len() - 1
            });
        Column::New(k)
    };
    let mut cells: Vec<(usize, Column, &str)> = Vec::new();
    for c in changes {
        let col = column_of(&c.target);
        cells.push((c.customer, col, c.value.as_str()));
    }
    cells.sort_by_key(|(i, col, _)| (*i, *col));
    let added = new_columns.len();
    // A row's cell at old column `i` stands at this position of the new row.
    let position = |col: Column| match col {
        Column::Old(i) if i < insert_at => i,
        Column::Old(i) => i + added,
        Column::New(k) => insert_at + k,
    };

    // (byte range in the old text, replacement), in order.
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    if added > 0 {
        let raw = &src.text[src.header_span.clone()];
        let fields = raw_fields(raw, src.delimiter);
        let cut = fields
            .get(insert_at)
            .map_or(raw.len(), |r| r.start.saturating_sub(1));
        let names: String = new_columns
            .iter()
            .map(|(_, header)| format!("{delimiter}{}", quote(header, src.delimiter)))
            .collect();
        let at = src.header_span.start + cut;
        edits.push((at..at, names));
    }
    for (i, span) in src.spans.iter().enumerate() {
        let mine = &cells
            [cells.partition_point(|(c, _, _)| *c < i)..cells.partition_point(|(c, _, _)| *c <= i)];
        let raw = &src.text[span.clone()];
        if mine.is_empty() {
            if added > 0 {
                // Empty cells for the new columns, where they go in this row.
                let fields = raw_fields(raw, src.delimiter);
                let cut = fields
                    .get(insert_at)
                    .map_or(raw.len(), |r| r.start.saturating_sub(1));
                let at = span.start + cut;
                edits.push((at..at, delimiter.to_string().repeat(added)));
            }
            continue;
        }
        let fields = raw_fields(raw, src.delimiter);
        // Every cell the row had (trailing empty ones Excel writes too), the new columns'.
        let written = mine.iter().map(|&(_, col, _)| position(col) + 1).max();
        let len = (fields.len().max(insert_at) + added).max(written.unwrap_or(0));
        let mut record: Vec<String> = vec![String::new(); len];
        for (k, r) in fields.iter().enumerate() {
            record[position(Column::Old(k))] = raw[r.clone()].to_string();
        }
        for &(_, col, value) in mine {
            record[position(col)] = quote(value, src.delimiter);
        }
        edits.push((span.clone(), record.join(&delimiter.to_string())));
    }
    let mut out = String::with_capacity(src.text.len() + 64);
    let mut at = 0;
    for (range, replacement) in edits {
        out.push_str(&src.text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&src.text[at..]);
    out
}

/// A column of a change: one the book has, by position, or a new one, by its order among
/// the new ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Column {
    Old(usize),
    New(usize),
}

/// The TOML document, if printing it unedited gives back exactly the text read.
fn editable(path: &Path, src: &TomlSource) -> Result<DocumentMut> {
    let doc: DocumentMut = src.text.parse().map_err(|e: toml_edit::TomlError| {
        Error::Refused(format!("{}: {}", display_path(path), e.message()))
    })?;
    if doc.to_string() != src.text {
        return Err(Error::Refused(
            CmdMsg::WouldReformat {
                file: &display_path(path),
            }
            .to_string(),
        ));
    }
    Ok(doc)
}

/// Sets one key, keeping its decoration (spacing, trailing comment) and its kind (a native
/// TOML date stays a date).
fn set_key(table: &mut toml_edit::Table, ch: &Change, columns: &[(Field, String)]) {
    let key = table
        .iter()
        .map(|(k, _)| k.to_string())
        .find(|k| ch.target.matches(k, columns))
        .unwrap_or_else(|| ch.target.name().to_string());
    let mut value = Value::from(ch.value.as_str());
    if let Some(Item::Value(old)) = table.get(&key) {
        if matches!(old, Value::Datetime(_))
            && let Ok(d) = ch.value.parse::<toml_edit::Datetime>()
        {
            value = Value::from(d);
        }
        *value.decor_mut() = old.decor().clone();
    }
    // Replace the value in place: the key keeps its own decoration (a comment line above it,
    // the spacing before `=`).
    match table.get_mut(&key) {
        Some(item) => *item = Item::Value(value),
        None => {
            table.insert(&key, Item::Value(value));
        }
    }
}

/// Writes every planned file that changes, and the log's part of the change, all or nothing
/// across a kill, through the journal ([`journal::commit`]): every file is checked to be still
/// the one read before the first is renamed. The caller holds the workspace's lock (at `root`).
pub fn commit(
    root: &Path,
    book: &Path,
    planned: &[Planned],
    log: Option<&journal::LogWrite>,
) -> Result<()> {
    let files: Vec<journal::FileWrite<'_>> = planned
        .iter()
        .filter(|p| p.new_text != p.old_text)
        .map(|p| journal::FileWrite {
            path: &p.path,
            before: Some(p.before),
            bytes: &p.bytes,
        })
        .collect();
    journal::commit(root, book, &files, log)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;
    use crate::store::{ReadOptions, read_book};

    /// A command that only reads lets go of the book's text; should anything then try to
    /// write the book back, it is refused, not written from nothing.
    #[test]
    fn a_book_read_to_read_only_is_not_written_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("customers.csv");
        std::fs::write(&path, "id,name,grade\nK1,Acme,B\n").unwrap();
        let rules = Rules::load(None, None).unwrap();
        let opts = ReadOptions {
            columns: &[],
            encoding: None,
            keep_source: true,
            ..ReadOptions::default()
        };
        let (mut book, _) = read_book(&path, &rules, opts).unwrap();
        let change = Change {
            customer: 0,
            target: Target::Field(Field::Grade),
            value: "A".into(),
        };
        assert_eq!(
            plan(&book, std::slice::from_ref(&change), &[])
                .unwrap()
                .len(),
            1
        );
        book.release_source();
        let refused = plan(&book, &[change], &[]).unwrap_err();
        assert!(matches!(refused, Error::Refused(_)), "{refused:?}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "id,name,grade\nK1,Acme,B\n"
        );
    }
}
