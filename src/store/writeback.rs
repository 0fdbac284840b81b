//! Write-back: changes to customers applied to the book's own text so that only what changed
//! changes — untouched CSV rows keep their bytes, TOML keeps comments and key order — then
//! committed all-or-nothing through the journal (`journal/`): temporary files, fsync, a
//! check that nobody changed a file since it was read, renames, fsync of the folder.

use std::path::{Path, PathBuf};

use std::ops::Range;

use toml_edit::Value;

use super::csv_book::{CsvSource, raw_fields};
use super::encoding::{self, TextEncoding};
use super::toml_book::{self, TomlSource};
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
            if src.tables.is_empty() {
                return Err(Error::Refused(
                    CmdMsg::NoCustomerTables {
                        file: &display_path(&book.path),
                    }
                    .to_string(),
                ));
            }
            let mut edits = Vec::new();
            for group in by_customer(changes) {
                let i = group[0].customer;
                edits.extend(toml_edits(&book.path, src, i, &group, columns)?);
            }
            crate::timing::phase("plan: set the keys", started);
            let text = spliced(&src.text, edits);
            let planned = finish(&book.path, &src.text, text, src.encoding, src.fingerprint)?;
            crate::timing::phase("plan: encode", started);
            Ok(vec![planned])
        }
        Form::Folder(folder) => {
            let mut out = Vec::new();
            for group in by_customer(changes) {
                let i = group[0].customer;
                let (path, src) = folder.files.get(i).ok_or_else(|| {
                    Error::Refused(
                        CmdMsg::CustomerNotInFile {
                            file: &display_path(&book.path),
                            n: i + 1,
                        }
                        .to_string(),
                    )
                })?;
                let edits = toml_edits(path, src, 0, &group, columns)?;
                let text = spliced(&src.text, edits);
                out.push(finish(
                    path,
                    &src.text,
                    text,
                    src.encoding,
                    src.fingerprint,
                )?);
            }
            Ok(out)
        }
    }
}

/// The changes grouped by customer, customers in order, each one's changes in the order
/// given (filtering all the changes for each touched file made 60,000 changes take 15 s).
fn by_customer(changes: &[Change]) -> Vec<Vec<&Change>> {
    let mut order: Vec<&Change> = changes.iter().collect();
    order.sort_by_key(|c| c.customer);
    order
        .chunk_by(|a, b| a.customer == b.customer)
        .map(<[&Change]>::to_vec)
        .collect()
}

/// The text with each range replaced, the ranges in order and apart.
fn spliced(text: &str, edits: Vec<(Range<usize>, String)>) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (range, replacement) in edits {
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The edits of customer `i`'s table (in a TOML file, or the file of a folder book) that
/// make the changes: a key the table has gets its new value in place of the old (the key's
/// comment above it, the spacing around `=` and a comment after the value stay; a native
/// TOML date stays a date); a key it lacks goes on a line of its own after the table's last
/// value, in the order of the changes, with the file's line break. A later change of one
/// key wins. Ranges are in the source's text, in order.
fn toml_edits(
    path: &Path,
    src: &TomlSource,
    i: usize,
    changes: &[&Change],
    columns: &[(Field, String)],
) -> Result<Vec<(Range<usize>, String)>> {
    let not_found = || {
        Error::Refused(
            CmdMsg::CustomerNotInFile {
                file: &display_path(path),
                n: i + 1,
            }
            .to_string(),
        )
    };
    let part = toml_book::part(src, i).ok_or_else(not_found)?;
    let table = part.table().ok_or_else(not_found)?;
    let text = part.text;
    // The last change of each key, keyed by the entry it sets or the name of a new key.
    let mut set: Vec<(Option<usize>, &str, &Change)> = Vec::new();
    for ch in changes {
        let entry = table
            .entries
            .iter()
            .position(|e| ch.target.matches(&e.name, columns));
        let name = ch.target.name();
        set.retain(|(e, n, _)| {
            if entry.is_some() {
                *e != entry
            } else {
                *n != name
            }
        });
        set.push((entry, name, ch));
    }
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut new_lines = String::new();
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    for (entry, name, ch) in set {
        match entry {
            Some(e) => {
                let entry = &table.entries[e];
                let value = match ch.value.parse::<toml_edit::Datetime>() {
                    Ok(d) if entry.datetime => Value::from(d),
                    _ => Value::from(ch.value.as_str()),
                };
                let at = entry.value_at.clone();
                edits.push((part.at + at.start..part.at + at.end, value.to_string()));
            }
            None => {
                let key = toml_edit::Key::new(name);
                new_lines.push_str(&format!(
                    "{} = {}{eol}",
                    key.display_repr(),
                    Value::from(ch.value.as_str())
                ));
            }
        }
    }
    if !new_lines.is_empty() {
        // After the line of the last value, else of the header, else at the file's end.
        let last = table
            .entries
            .iter()
            .filter(|e| e.cell != Err(toml_book::Shape::Table))
            .map(|e| e.value_at.end)
            .max()
            .or(table.header_end);
        let at = match last {
            Some(end) => text[end..].find('\n').map_or(text.len(), |n| end + n + 1),
            None => text.len(),
        };
        if at > 0 && !text[..at].ends_with('\n') {
            new_lines.insert_str(0, eol);
        }
        edits.push((part.at + at..part.at + at, new_lines));
    }
    edits.sort_by_key(|(r, _)| r.start);
    Ok(edits)
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
    spliced(&src.text, edits)
}

/// A column of a change: one the book has, by position, or a new one, by its order among
/// the new ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Column {
    Old(usize),
    New(usize),
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

    /// The text a TOML book of `text` becomes when `changes` (customer, field, value) are
    /// planned on it.
    fn toml_planned(name: &str, text: &str, changes: &[(usize, Field, &str)]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let rules = Rules::load(None, None).unwrap();
        let opts = ReadOptions {
            keep_source: true,
            ..ReadOptions::default()
        };
        let (book, _) = read_book(&path, &rules, opts).unwrap();
        let changes: Vec<Change> = changes
            .iter()
            .map(|&(customer, field, value)| Change {
                customer,
                target: Target::Field(field),
                value: value.into(),
            })
            .collect();
        let planned = plan(&book, &changes, &[]).unwrap();
        assert_eq!(planned.len(), 1);
        planned.into_iter().next().unwrap().new_text
    }

    /// A value set in place keeps the spacing and comment around it; a new key goes on a
    /// line of its own after the table's last value (after that line's comment), before the
    /// comment that opens the next table; a later change of one key wins.
    #[test]
    fn a_toml_table_changes_only_where_a_value_is_set() {
        let text = "# book\n[[customer]]\nid = \"C1\"\ngrade   =  'B'   # was C\n\n# the next one\n[[customer]]\nid = \"C2\" # new\n";
        assert_eq!(
            toml_planned(
                "customers.toml",
                text,
                &[
                    (0, Field::Grade, "C"),
                    (0, Field::Grade, "A"),
                    (1, Field::SnoozeUntil, "2026-12-01"),
                    (1, Field::Grade, "D"),
                ],
            ),
            "# book\n[[customer]]\nid = \"C1\"\ngrade   =  \"A\"   # was C\n\n# the next one\n[[customer]]\nid = \"C2\" # new\nsnooze_until = \"2026-12-01\"\ngrade = \"D\"\n"
        );
    }

    /// A file of CRLF lines gets CRLF lines; a last line without a line break gets one
    /// before the new key; a native TOML date stays a date; a quoted key is the key it
    /// names (a Chinese header is not written a second time).
    #[test]
    fn a_toml_file_keeps_its_line_breaks_dates_and_quoted_keys() {
        assert_eq!(
            toml_planned(
                "customers.toml",
                "[[customer]]\r\nid = \"C1\"\r\nlast_contact = 2026-01-05\r\n\"等级\" = \"B\"",
                &[
                    (0, Field::LastContact, "2026-11-20"),
                    (0, Field::Grade, "A"),
                    (0, Field::SnoozeUntil, "2026-12-01"),
                ],
            ),
            "[[customer]]\r\nid = \"C1\"\r\nlast_contact = 2026-11-20\r\n\"等级\" = \"A\"\r\nsnooze_until = \"2026-12-01\"\r\n"
        );
    }

    /// A table with no value yet gets the key after its header's line.
    #[test]
    fn an_empty_toml_table_gets_its_key_under_the_header() {
        assert_eq!(
            toml_planned(
                "customers.toml",
                "[[customer]] # first\n\n[[customer]]\nid = \"C2\"\n",
                &[(0, Field::Grade, "A")],
            ),
            "[[customer]] # first\ngrade = \"A\"\n\n[[customer]]\nid = \"C2\"\n"
        );
    }

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
