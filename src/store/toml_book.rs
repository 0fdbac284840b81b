//! The customer book as TOML: one file of `[[customer]]` tables, or a folder of one file
//! per customer. Values are read with their spans; the text is kept for a write-back that
//! preserves comments and key order.

use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use toml_edit::{Item, Table, Value};

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
}

/// A folder of one TOML file per customer, each as read (in customer order).
#[derive(Debug)]
pub struct FolderSource {
    pub files: Vec<(PathBuf, TomlSource)>,
}

/// The text a TOML value stands for, as a book cell would hold it (the value of `key`, for
/// the message when it cannot).
fn cell_text<'k>(key: &'k str, value: &Value) -> Result<String, ReadMsg<'k>> {
    Ok(match value {
        Value::String(s) => s.value().clone(),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => f.display_repr().trim().to_string(),
        Value::Boolean(b) => b.value().to_string(),
        Value::Datetime(d) => d.value().to_string(),
        Value::Array(items) => {
            let mut parts = Vec::new();
            for item in items.iter() {
                match item {
                    Value::Array(_) | Value::InlineTable(_) => {
                        return Err(ReadMsg::TomlNotList { key });
                    }
                    v => parts.push(cell_text(key, v)?),
                }
            }
            parts.join(";")
        }
        Value::InlineTable(_) => return Err(ReadMsg::TomlNotPlain { key }),
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

/// Reads one table's keys into a customer, each problem placed by `locator`.
fn read_table(
    table: &Table,
    locator: &Locator<'_>,
    rules: &Rules,
    opts: ReadOptions<'_>,
    keys: &mut Keys,
    problems: &mut Vec<Diagnostic>,
) -> Customer {
    let mut c = Customer::default();
    // The fields no key of the table holds, found once for the table's first unknown key.
    let free = std::cell::OnceCell::new();
    for (key, item) in table.iter() {
        let span = item.span().unwrap_or(0..0);
        let at = |message: String| locator.at(span.start, span.len(), message);
        let value = match item {
            Item::Value(v) => v,
            _ => {
                problems.push(at(ReadMsg::TomlNotPlain { key }.to_string()));
                continue;
            }
        };
        let cell = match cell_text(key, value) {
            Ok(t) => t,
            Err(message) => {
                problems.push(at(message.to_string()));
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
                if let Err(message) = set_field(&mut c, f, &cell, &read) {
                    problems.push(at(message).in_field(key));
                }
            }
            None => {
                let x = match keys.extra_index.get(key) {
                    Some(&x) => x,
                    None => {
                        // Said once per book, where the key first stands.
                        let span = table
                            .key(key)
                            .and_then(|k| k.span())
                            .unwrap_or(span.clone());
                        let free = free.get_or_init(|| {
                            let mut taken: Vec<Field> = table
                                .iter()
                                .filter_map(|(k, _)| field_for_header(k, opts.columns))
                                .collect();
                            taken.sort_unstable_by_key(|f| f.name());
                            taken.dedup();
                            sheet::free_fields(&taken)
                        });
                        let note = sheet::unused_column_note_among(key, free);
                        problems.push(locator.at(span.start, span.len(), note).note());
                        let x = keys.extra.len();
                        keys.extra.push(key.to_string());
                        keys.extra_index.insert(key.to_string(), x);
                        x
                    }
                };
                if !cell.is_empty() {
                    c.extras.push((x, cell.into()));
                }
            }
        }
    }
    c
}

fn parse_document(path: &Path, text: &str) -> Result<toml_edit::Document<String>> {
    toml_edit::Document::parse(text.to_string()).map_err(|e| {
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
    let doc = parse_document(path, &text)?;
    let mut problems = Vec::new();
    let mut customers = Vec::new();
    let mut origins = Vec::new();
    let mut keys = Keys::default();
    let mut lines = Lines::new(&text);
    let shared_path: std::sync::Arc<Path> = std::sync::Arc::from(path);
    match doc.as_table().get("customer") {
        Some(Item::ArrayOfTables(tables)) => {
            for table in tables.iter() {
                let start = table.span().map_or(0, |s| s.start);
                let line = lines.of(start);
                // Each table's problems are placed counting on from its start.
                let locator = Locator::at_line(path, &text, start, line as usize);
                let c = read_table(table, &locator, rules, opts, &mut keys, &mut problems);
                if c.id.is_empty() {
                    problems.push(locator.at(start, 0, ReadMsg::TomlNoId.to_string()));
                }
                customers.push(c);
                origins.push(Origin {
                    path: shared_path.clone(),
                    line,
                });
            }
        }
        Some(other) => {
            let span = other.span().unwrap_or(0..0);
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
    let ids = duplicate_ids(&customers, &origins, &mut |i, message| {
        problems.push(Diagnostic::file(path, origins[i].line as usize, message));
    });
    drop(doc);
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
        }),
    };
    Ok((book, problems))
}

/// One file of a folder book, read and parsed.
type Parsed = (
    super::encoding::Decoded,
    Fingerprint,
    Result<toml_edit::Document<String>>,
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
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
        })
        .collect();
    paths.sort();
    let mut problems = Vec::new();
    let mut customers = Vec::new();
    let mut origins = Vec::new();
    let mut keys = Keys::default();
    let mut files = Vec::new();
    // The files are read and parsed on every core, a chunk at a time (so that no more than a
    // chunk's documents are held at once); their tables are then read in file order, which
    // fixes the order of the book's columns and of its messages.
    const CHUNK: usize = 4096;
    for chunk in paths.chunks(CHUNK) {
        let parsed: Vec<Result<Parsed>> = chunk
            .par_iter()
            .map(|path| {
                let (decoded, fingerprint) = read_text_fingerprinted(path, opts.encoding)?;
                let doc = parse_document(path, &decoded.text);
                Ok((decoded, fingerprint, doc))
            })
            .collect();
        for (path, read) in chunk.iter().zip(parsed) {
            let (decoded, fingerprint, doc) = read?;
            let path = path.clone();
            let text = decoded.text;
            let doc = match doc {
                Ok(d) => d,
                Err(Error::Data(d)) => {
                    problems.extend(d);
                    continue;
                }
                Err(e) => return Err(e),
            };
            let locator = Locator::new(&path, &text);
            let mut c = read_table(
                doc.as_table(),
                &locator,
                rules,
                opts,
                &mut keys,
                &mut problems,
            );
            if !doc
                .as_table()
                .iter()
                .any(|(k, _)| field_for_header(k, opts.columns) == Some(Field::Id))
            {
                c.id = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default()
                    .into();
            }
            drop(doc);
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

/// The keys and values of customer `i`'s table as written (values as a cell would hold
/// them), in file order: what `show` lists of a TOML book. None for a book of another form,
/// or a customer whose table cannot be found again.
pub fn cells_as_written(book: &Book, i: usize) -> Option<Vec<(String, String)>> {
    let cells = |table: &Table| {
        table
            .iter()
            .filter_map(|(k, item)| Some((k.to_string(), cell_text(k, item.as_value()?).ok()?)))
            .collect()
    };
    match &book.form {
        Form::Toml(src) => {
            let doc: toml_edit::DocumentMut = src.text.parse().ok()?;
            let tables = doc.as_table().get("customer")?.as_array_of_tables()?;
            tables.get(i).map(cells)
        }
        Form::Folder(folder) => {
            let (_, src) = folder.files.get(i)?;
            let doc: toml_edit::DocumentMut = src.text.parse().ok()?;
            Some(cells(doc.as_table()))
        }
        _ => None,
    }
}
