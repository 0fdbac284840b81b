//! The customer book as TOML: one file of `[[customer]]` tables, or a folder of one file
//! per customer. Values are read with their spans; the text is kept for a write-back that
//! changes only the values it sets ([`edits`]), so comments, spacing and key order stay.
//!
//! The text is parsed by the `toml` crate's span-keeping tree (`DeTable`, values borrowed
//! from the text), not `toml_edit`'s document: on a 24 MB file of 100,000 customers it took
//! 0.56 s and 554 MB at its peak, against 3.1 s and 942 MB (most of it the kernel handing
//! over memory) for `toml_edit::Document`. `toml_edit` is kept to spell a new value or key.

use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::encoding::TextEncoding;
use super::{
    Book, CellRead, Fingerprint, Form, Origin, ReadOptions, duplicate_ids, field_for_header,
    read_text_fingerprinted, set_field, sheet,
};
use crate::error::{Diagnostic, Error, Locator, Result};
use crate::model::messages::read::ReadMsg;
use crate::model::{Customer, Field};
use crate::rules::Rules;

/// A TOML file of `[[customer]]` tables as read.
#[derive(Debug)]
pub struct TomlSource {
    pub text: String,
    pub encoding: TextEncoding,
    /// The bytes as read, to detect a change on disk before writing back.
    pub fingerprint: Fingerprint,
    /// Where each customer's `[[customer]]` header starts, in customer order (empty for a
    /// file of a folder book, which is one table): a write-back or `show` parses that
    /// customer's part of the text again, not the whole file.
    pub tables: Vec<usize>,
}

/// A folder of one TOML file per customer, each as read (in customer order).
#[derive(Debug)]
pub struct FolderSource {
    pub files: Vec<(PathBuf, TomlSource)>,
}

/// One key of a table as written: its name, where it and its value stand, and the value as
/// a book cell would hold it.
#[derive(Debug)]
pub struct Entry<'i> {
    pub name: Cow<'i, str>,
    pub key_at: Range<usize>,
    pub value_at: Range<usize>,
    pub cell: std::result::Result<String, Shape>,
    /// A native TOML date or time, which a write-back keeps one.
    pub datetime: bool,
}

/// A value no cell can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A table (a sub-table, an inline table, a dotted key).
    Table,
    /// An array holding arrays or tables.
    NestedList,
}

impl Shape {
    fn message(self, key: &str) -> ReadMsg<'_> {
        match self {
            Shape::Table => ReadMsg::TomlNotPlain { key },
            Shape::NestedList => ReadMsg::TomlNotList { key },
        }
    }
}

impl Entry<'_> {
    /// The entry with nothing borrowed from the text (a folder's files are parsed on other
    /// threads than the one that reads their entries).
    fn into_owned(self) -> Entry<'static> {
        Entry {
            name: Cow::Owned(self.name.into_owned()),
            key_at: self.key_at,
            value_at: self.value_at,
            cell: self.cell,
            datetime: self.datetime,
        }
    }
}

/// The entries of a table in the order they are written (the parsed table keeps its keys
/// sorted).
pub fn entries<'i>(table: &DeTable<'i>) -> Vec<Entry<'i>> {
    let mut out: Vec<Entry<'i>> = table
        .iter()
        .map(|(key, value)| Entry {
            name: key.get_ref().clone(),
            key_at: key.span(),
            value_at: value.span(),
            cell: cell_text(value.get_ref()),
            datetime: matches!(value.get_ref(), DeValue::Datetime(_)),
        })
        .collect();
    out.sort_unstable_by_key(|e| e.key_at.start);
    out
}

/// The text a TOML value stands for, as a book cell would hold it.
fn cell_text(value: &DeValue<'_>) -> std::result::Result<String, Shape> {
    Ok(match value {
        DeValue::String(s) => s.to_string(),
        // In decimal, whatever base it is written in; digits beyond an i128 as written.
        DeValue::Integer(i) => match i128::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => n.to_string(),
            Err(_) => i.to_string(),
        },
        DeValue::Float(f) => f.as_str().to_string(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        DeValue::Array(items) => {
            let mut parts = Vec::new();
            for item in items.iter() {
                match item.get_ref() {
                    DeValue::Array(_) | DeValue::Table(_) => return Err(Shape::NestedList),
                    v => parts.push(cell_text(v)?),
                }
            }
            parts.join(";")
        }
        DeValue::Table(_) => return Err(Shape::Table),
    })
}

/// The keys met in a book: the fields they hold, and the names of those no field takes
/// (with each one's index, as a book of 10,000 keys looks a key up 10,000 times).
#[derive(Default)]
struct Keys {
    fields: Vec<Field>,
    extra: Vec<String>,
    extra_index: rustc_hash::FxHashMap<String, usize>,
}

/// Reads one table's entries into a customer, each problem placed by `locator`.
fn read_table(
    table: &[Entry<'_>],
    locator: &Locator<'_>,
    rules: &Rules,
    opts: ReadOptions<'_>,
    keys: &mut Keys,
    problems: &mut Vec<Diagnostic>,
) -> Customer {
    let mut c = Customer::default();
    // The fields no key of the table holds, found once for the table's first unknown key.
    let free = std::cell::OnceCell::new();
    for entry in table {
        let key: &str = &entry.name;
        let span = &entry.value_at;
        let at = |message: String| locator.at(span.start, span.len(), message);
        let cell = match &entry.cell {
            Ok(t) => t,
            Err(shape) => {
                problems.push(at(shape.message(key).to_string()));
                continue;
            }
        };
        let column = match sheet::column(key, opts.columns) {
            Ok(column) => column,
            Err(message) => {
                problems.push(at(message));
                continue;
            }
        };
        match column.field {
            Some(f) => {
                if !keys.fields.contains(&f) {
                    keys.fields.push(f);
                }
                let read = CellRead {
                    rules,
                    dates: opts.dates,
                    scale: column.scale,
                };
                if let Err(message) = set_field(&mut c, f, cell, &read) {
                    problems.push(at(message).in_field(key));
                }
            }
            None => {
                let x = match keys.extra_index.get(key) {
                    Some(&x) => x,
                    None => {
                        // Said once per book, where the key first stands.
                        let free = free.get_or_init(|| {
                            let mut taken: Vec<Field> = table
                                .iter()
                                .filter_map(|e| field_for_header(&e.name, opts.columns))
                                .collect();
                            taken.sort_unstable_by_key(|f| f.name());
                            taken.dedup();
                            sheet::free_fields(&taken)
                        });
                        let note = sheet::unused_column_note_among(key, free);
                        let at = &entry.key_at;
                        problems.push(locator.at(at.start, at.len(), note).note());
                        let x = keys.extra.len();
                        keys.extra.push(key.to_string());
                        keys.extra_index.insert(key.to_string(), x);
                        x
                    }
                };
                if !cell.is_empty() {
                    c.extras.push((x, cell.as_str().into()));
                }
            }
        }
    }
    c
}

/// Parses a TOML text, a syntax error placed in `path`.
pub fn parse<'i>(path: &Path, text: &'i str) -> Result<Spanned<DeTable<'i>>> {
    DeTable::parse(text).map_err(|e| {
        let message = e.message().trim_end().replace('\n', "; ");
        let span: Range<usize> = crate::rules::toml_error_span(text, &message, e.span());
        Error::from(Diagnostic::at(
            path,
            text,
            span.start,
            span.len(),
            crate::model::messages::rules::RuleMsg::Toml { text: &message }.to_string(),
        ))
    })
}

/// Line numbers of offsets met in ascending order, each counted from the one before (counting
/// from the start of the file for every table made a file of 20,000 customers take 24 s).
struct Lines<'t> {
    text: &'t str,
    at: usize,
    line: u32,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Lines {
            text,
            at: 0,
            line: 1,
        }
    }

    /// The line of `offset` (from 1); an offset before the last one counts afresh.
    fn of(&mut self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        if offset < self.at {
            *self = Lines::new(self.text);
        }
        let ends = crate::lines::line_ends(self.text.as_bytes(), self.at..offset);
        self.line += ends as u32;
        self.at = offset;
        self.line
    }
}

/// Reads a TOML file of `[[customer]]` tables.
pub fn read_file(
    path: &Path,
    rules: &Rules,
    opts: ReadOptions<'_>,
) -> Result<(Book, Vec<Diagnostic>)> {
    let (decoded, fingerprint) = read_text_fingerprinted(path, opts.encoding)?;
    let text = decoded.text;
    let doc = parse(path, &text)?;
    let mut problems = Vec::new();
    let mut customers = Vec::new();
    let mut origins = Vec::new();
    let mut tables = Vec::new();
    let mut keys = Keys::default();
    let mut lines = Lines::new(&text);
    let shared_path: std::sync::Arc<Path> = std::sync::Arc::from(path);
    match doc.get_ref().get("customer") {
        Some(item) if is_array_of_tables(&text, item) => {
            let DeValue::Array(elements) = item.get_ref() else {
                unreachable!("is_array_of_tables checked it")
            };
            for element in elements {
                let DeValue::Table(table) = element.get_ref() else {
                    unreachable!("is_array_of_tables checked it")
                };
                let start = element.span().start;
                let line = lines.of(start);
                // Each table's problems are placed counting on from its start.
                let locator = Locator::at_line(path, &text, start, line as usize);
                let c = read_table(
                    &entries(table),
                    &locator,
                    rules,
                    opts,
                    &mut keys,
                    &mut problems,
                );
                if c.id.is_empty() {
                    problems.push(locator.at(start, 0, ReadMsg::TomlNoId.to_string()));
                }
                customers.push(c);
                tables.push(start);
                origins.push(Origin {
                    path: shared_path.clone(),
                    line,
                });
            }
        }
        Some(other) => {
            let span = other.span();
            return Err(Diagnostic::at(
                path,
                &text,
                span.start,
                span.len(),
                ReadMsg::TomlNotTables.to_string(),
            )
            .into());
        }
        None => {}
    }
    drop(doc);
    let ids = duplicate_ids(&customers, &origins, &mut |i, message| {
        problems.push(Diagnostic::file(path, origins[i].line as usize, message));
    });
    let book = Book {
        path: path.to_path_buf(),
        customers,
        extra_columns: keys.extra,
        columns: keys.fields,
        origins,
        ids,
        form: Form::Toml(TomlSource {
            text,
            encoding: decoded.encoding,
            fingerprint,
            tables,
        }),
    };
    Ok((book, problems))
}

/// Whether `customer` is an array of tables written as `[[customer]]` headers, each
/// element's span its header (an inline array of tables, `customer = [{ .. }]`, is not:
/// its tables have no header to find them by again).
fn is_array_of_tables(text: &str, item: &Spanned<DeValue<'_>>) -> bool {
    let DeValue::Array(elements) = item.get_ref() else {
        return false;
    };
    !elements.is_empty()
        && elements.iter().all(|e| {
            matches!(e.get_ref(), DeValue::Table(_))
                && text.get(e.span()).is_some_and(|h| h.starts_with("[["))
        })
}

/// One file of a folder book, read and parsed into its entries.
type Parsed = (
    super::encoding::Decoded,
    Fingerprint,
    Result<Vec<Entry<'static>>>,
);

/// Reads a folder of one TOML file per customer (sorted by file name); a file without an
/// `id` key takes its file name's stem as the id.
pub fn read_folder(
    dir: &Path,
    rules: &Rules,
    opts: ReadOptions<'_>,
) -> Result<(Book, Vec<Diagnostic>)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok())
        .filter(|e| {
            // The entry's own type comes with the folder's listing; only a link is followed
            // (asking each of 100,000 files for its type took a call each).
            let file = match e.file_type() {
                Ok(t) if t.is_symlink() => e.path().is_file(),
                Ok(t) => t.is_file(),
                Err(_) => false,
            };
            file && Path::new(&e.file_name())
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("toml"))
        })
        .map(|e| e.path())
        .collect();
    paths.sort();
    let mut problems = Vec::new();
    let mut customers = Vec::new();
    let mut origins = Vec::new();
    let mut keys = Keys::default();
    let mut files = Vec::new();
    // The files are read and parsed on every core, a chunk at a time (so that no more than a
    // chunk's entries are held at once); their tables are then read in file order, which
    // fixes the order of the book's columns and of its messages.
    const CHUNK: usize = 4096;
    for chunk in paths.chunks(CHUNK) {
        let parsed: Vec<Result<Parsed>> = chunk
            .par_iter()
            .map(|path| {
                let (decoded, fingerprint) = read_text_fingerprinted(path, opts.encoding)?;
                let table = parse(path, &decoded.text).map(|doc| {
                    entries(doc.get_ref())
                        .into_iter()
                        .map(Entry::into_owned)
                        .collect()
                });
                Ok((decoded, fingerprint, table))
            })
            .collect();
        for (path, read) in chunk.iter().zip(parsed) {
            let (decoded, fingerprint, table) = read?;
            let path = path.clone();
            let text = decoded.text;
            let table = match table {
                Ok(t) => t,
                Err(Error::Data(d)) => {
                    problems.extend(d);
                    continue;
                }
                Err(e) => return Err(e),
            };
            let locator = Locator::new(&path, &text);
            let mut c = read_table(&table, &locator, rules, opts, &mut keys, &mut problems);
            if !table
                .iter()
                .any(|e| field_for_header(&e.name, opts.columns) == Some(Field::Id))
            {
                c.id = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default()
                    .into();
            }
            customers.push(c);
            origins.push(Origin {
                path: std::sync::Arc::from(path.as_path()),
                line: 1,
            });
            files.push((
                path,
                TomlSource {
                    text,
                    encoding: decoded.encoding,
                    fingerprint,
                    tables: Vec::new(),
                },
            ));
        }
    }
    let ids = duplicate_ids(&customers, &origins, &mut |i, message| {
        problems.push(Diagnostic::file(&origins[i].path, 1, message));
    });
    let book = Book {
        path: dir.to_path_buf(),
        customers,
        extra_columns: keys.extra,
        columns: keys.fields,
        origins,
        ids,
        form: Form::Folder(FolderSource { files }),
    };
    Ok((book, problems))
}

/// Customer `i`'s part of a TOML source: its table's text (from its `[[customer]]` header
/// to the next customer's), or the whole file of a folder book.
pub struct Part<'s> {
    /// Where the part starts in the source's text.
    pub at: usize,
    pub text: &'s str,
    /// Whether the part starts with the table's header (else it is a folder book's file).
    headed: bool,
}

/// A part's table, parsed again: its entries, spans within the part, and where its header
/// ends (None for a folder book's file, which has none).
pub struct Table<'s> {
    pub entries: Vec<Entry<'s>>,
    pub header_end: Option<usize>,
}

/// Customer `i`'s part of a TOML source (`i` is 0 for a folder book's file).
pub fn part(src: &TomlSource, i: usize) -> Option<Part<'_>> {
    if src.tables.is_empty() {
        return (i == 0).then_some(Part {
            at: 0,
            text: &src.text,
            headed: false,
        });
    }
    let start = *src.tables.get(i)?;
    let end = src.tables.get(i + 1).copied().unwrap_or(src.text.len());
    Some(Part {
        at: start,
        text: src.text.get(start..end)?,
        headed: true,
    })
}

impl<'s> Part<'s> {
    /// The part's table; None when the part no longer parses as one.
    pub fn table(&self) -> Option<Table<'s>> {
        let doc = DeTable::parse(self.text).ok()?.into_inner();
        if !self.headed {
            return Some(Table {
                entries: entries(&doc),
                header_end: None,
            });
        }
        let (_, item) = doc.into_iter().find(|(k, _)| k.get_ref() == "customer")?;
        let DeValue::Array(elements) = item.into_inner() else {
            return None;
        };
        let first = elements.into_iter().next()?;
        let header_end = first.span().end;
        match first.into_inner() {
            DeValue::Table(t) => Some(Table {
                entries: entries(&t),
                header_end: Some(header_end),
            }),
            _ => None,
        }
    }
}

/// The keys and values of customer `i`'s table as written (values as a cell would hold
/// them), in file order: what `show` lists of a TOML book. None for a book of another form,
/// or a customer whose table cannot be found again.
pub fn cells_as_written(book: &Book, i: usize) -> Option<Vec<(String, String)>> {
    let src = match &book.form {
        Form::Toml(src) => src,
        Form::Folder(folder) => &folder.files.get(i)?.1,
        _ => return None,
    };
    let i = if src.tables.is_empty() { 0 } else { i };
    let table = part(src, i)?.table()?;
    Some(
        table
            .entries
            .into_iter()
            .filter_map(|e| Some((e.name.into_owned(), e.cell.ok()?)))
            .collect(),
    )
}
