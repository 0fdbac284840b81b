//! Reading (and, for the commands that change them, writing) the user's files: the customer
//! book in its three forms, the activity log, and their encodings.

pub mod csv_book;
pub mod encoding;
pub mod fast;
pub mod journal;
pub mod log;
pub mod pause;
pub mod sheet;
pub mod style;
pub mod toml_book;
pub mod workbook;
pub mod write;
pub mod writeback;

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::model::messages::read::{ReadMsg, Why};
use crate::model::value::{
    DateStyle, MonthDay, parse_amount, parse_amount_in, parse_bool, parse_date_cell,
    parse_month_day, split_traits,
};
use crate::model::{Customer, Enumeration, Field, Grade, Intent, ListKind, Stage};
use crate::rules::Rules;

/// Where one customer was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The file (the book itself, or one file of a folder book), shared: a million
    /// customers of one file hold one path.
    pub path: std::sync::Arc<Path>,
    /// 1-based line of the record's start.
    pub line: u32,
}

/// The form the book is kept in, with what a write-back needs to change it minimally.
#[derive(Debug)]
pub enum Form {
    Csv(csv_book::CsvSource),
    Toml(toml_book::TomlSource),
    Folder(toml_book::FolderSource),
    /// A sheet of a workbook: read, never written.
    Workbook(workbook::WorkbookSource),
    /// Let go of once read, by a command that only reads ([`Book::release_source`]): the
    /// book cannot be written back.
    Released,
}

/// The customer book as read.
#[derive(Debug)]
pub struct Book {
    pub path: PathBuf,
    pub customers: Vec<Customer>,
    /// Names of the columns or keys the tool does not know, as written.
    pub extra_columns: Vec<String>,
    /// The fields the book's columns (or keys) hold.
    pub columns: Vec<Field>,
    pub origins: Vec<Origin>,
    pub form: Form,
    /// The id index's table, kept from the check for duplicate ids (see
    /// [`duplicate_ids`]): a customer's id never changes once read.
    pub(crate) ids: fast::IdTable,
}

impl Book {
    /// Lets go of the text the book was read from and what a write-back needs of it, for a
    /// command that only reads: a large book's text is a hundred megabytes, which the log
    /// fold's totals then reuse instead of fresh memory.
    pub(crate) fn release_source(&mut self) {
        self.form = Form::Released;
    }

    /// An index from customer id to position.
    pub fn index(&self) -> fast::IdIndex<'_> {
        self.ids.index(&self.customers)
    }

    /// The indices of the customers named on the command line, in the order given;
    /// an unknown id is a usage error (exit 2).
    pub fn select(&self, ids: &[String]) -> Result<Vec<usize>> {
        let index = self.index();
        ids.iter()
            .map(|id| {
                index.get(id.as_str()).ok_or_else(|| {
                    let book = crate::error::display_path(&self.path);
                    Error::Usage(
                        crate::model::messages::Msg::UnknownCustomer { id, book: &book }
                            .to_string(),
                    )
                })
            })
            .collect()
    }
}

/// Options for reading the user's files.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions<'a> {
    pub columns: &'a [(Field, String)],
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Whether to keep what a write-back needs (the source text, its spans): a command that
    /// only reads lets it go once read, and the log fold's tables reuse that memory.
    pub keep_source: bool,
    /// The line of the header, when the workspace names it (`header_row`); else the first row
    /// within [`sheet::HEADER_WITHIN`] that names an id column.
    pub header_row: Option<usize>,
    /// The sheet of a workbook to read (`sheet`); else its first.
    pub sheet: Option<&'a str>,
    /// How the book writes dates (`date_order`, `date_system`).
    pub dates: DateStyle,
}

impl Default for ReadOptions<'_> {
    fn default() -> Self {
        ReadOptions {
            columns: &[],
            encoding: None,
            keep_source: true,
            header_row: None,
            sheet: None,
            dates: DateStyle::default(),
        }
    }
}

/// Reads the book in whichever form `path` is. Problems in the data are returned all
/// together next to what could be read, so `check` can list every one.
pub fn read_book(
    path: &Path,
    rules: &Rules,
    opts: ReadOptions<'_>,
) -> Result<(Book, Vec<Diagnostic>)> {
    let path = &*readable(path, "customers.csv")?;
    if path.is_dir() {
        if named_as_file(path) {
            let path = crate::error::display_path(path);
            let message = ReadMsg::BookFolderNamedAsFile { path: &path };
            return Err(Error::Usage(message.to_string()));
        }
        let (mut book, problems) = toml_book::read_folder(path, rules, opts)?;
        if !opts.keep_source {
            book.release_source();
        }
        return Ok((book, problems));
    }
    if !file_at(path)? {
        let path = crate::error::display_path(path);
        return Err(Error::Usage(ReadMsg::NoBook { path: &path }.to_string()));
    }
    let is_toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let (mut book, problems) = if is_toml {
        toml_book::read_file(path, rules, opts)?
    } else if workbook::is_workbook(path) {
        workbook::read(path, rules, opts)?
    } else {
        csv_book::read(path, rules, opts)?
    };
    if !opts.keep_source {
        book.release_source();
    }
    Ok((book, problems))
}

/// Whether `path` is named as a book's file is (`customers.csv`, `book.toml`, `客户.xlsx`):
/// a folder so named is a mistake, not a folder book.
fn named_as_file(path: &Path) -> bool {
    let text = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["csv", "tsv", "txt", "toml"]
            .iter()
            .any(|t| e.eq_ignore_ascii_case(t))
    });
    text || workbook::is_workbook(path)
}

/// Whether there is a file to read at `path` (a regular file, or a stream such as a pipe);
/// false when nothing at all is there. Anything else where a file is expected is an error
/// naming it, never taken for "no file": a folder, a link to nothing, an entry that cannot
/// be looked at.
pub fn file_at(path: &Path) -> Result<bool> {
    let entry = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io(path, e)),
    };
    let shown = crate::error::display_path(path);
    let meta = if entry.file_type().is_symlink() {
        match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let target = std::fs::read_link(path)
                    .map(|t| t.display().to_string())
                    .unwrap_or_default();
                let message = ReadMsg::DanglingLink {
                    path: &shown,
                    target: &target,
                };
                return Err(Error::Usage(message.to_string()));
            }
            Err(e) => return Err(Error::io(path, e)),
        }
    } else {
        entry
    };
    if meta.is_dir() {
        return Err(Error::Usage(
            ReadMsg::FolderNotFile { path: &shown }.to_string(),
        ));
    }
    Ok(true)
}

/// The path to read the file at `path` from: itself, unless it is a pipe or another stream
/// (bash's `<(cmd)` is `/dev/fd/N`). A stream can be read once, from its start, and tells no
/// length, while the readers open a file more than once (the log's header, its rows, their
/// notes) and at offsets: its text is copied the first time to a private file named
/// `name` (or the stream's own name when that has an extension, which tells a book's form),
/// shown under the stream's path in every message (see `crate::stdin`). A regular file
/// costs one `stat`.
pub fn readable<'a>(path: &'a Path, name: &str) -> Result<std::borrow::Cow<'a, Path>> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            let own = path.file_name().and_then(|n| n.to_str());
            let name = own.filter(|_| path.extension().is_some()).unwrap_or(name);
            let shown = crate::error::display_path(path);
            let copy =
                crate::stdin::copy_stream(path, name, shown).map_err(|e| Error::io(path, e))?;
            Ok(std::borrow::Cow::Owned(copy))
        }
        _ => Ok(std::borrow::Cow::Borrowed(path)),
    }
}

/// The note `check` shows for a file read in another encoding than UTF-8 (detected, or as
/// `--encoding` says): a reader must never take an encoding in silence.
pub fn encoding_note(path: &Path, encoding: encoding::TextEncoding) -> Option<Diagnostic> {
    (encoding.encoding != encoding_rs::UTF_8).then(|| {
        let name = encoding.encoding.name();
        Diagnostic::file(path, 0, ReadMsg::ReadAs { name }.to_string()).note()
    })
}

/// Asks for the cache line of a value without waiting for it (a listing that reads
/// customers in an order of its own reads them at random).
pub use fast::prefetch;
pub use sheet::field_for_header;

/// What reading a cell needs beyond its text: the rules (type names, traits), how the book
/// writes dates, and the column's money unit.
#[derive(Clone, Copy)]
pub struct CellRead<'a> {
    pub rules: &'a Rules,
    pub dates: DateStyle,
    /// How many yuan one of the column's unit is worth (see [`sheet::Column::scale`]).
    pub scale: i64,
}

/// One of the detail fields: an empty cell makes no [`Details`](crate::model::Details).
fn set_detail(c: &mut Customer, field: Field, text: &str) {
    if text.is_empty() && c.details.is_none() {
        return;
    }
    let r = c.details_mut();
    let slot = match field {
        Field::Phone => &mut r.phone,
        Field::Email => &mut r.email,
        Field::Contact => &mut r.contact,
        Field::NextStep => &mut r.next_step,
        Field::Profile(p) => &mut r.profile.get_or_insert_default()[p as usize],
        _ => &mut r.address,
    };
    *slot = text.into();
}

/// Reads one cell's text into a field of `c`; the error says what was expected.
pub fn set_field(
    c: &mut Customer,
    field: Field,
    text: &str,
    cell: &CellRead<'_>,
) -> Result<(), String> {
    let rules = cell.rules;
    let date = |text: &str| parse_date_cell(text, cell.dates);
    // A column's unit is a power of ten (万元: 10^4), read as places of the amount.
    let money = |text: &str| parse_amount_in(text, cell.scale.max(1).ilog10());
    let text = crate::model::value::trim(text);
    // The column (its letter and header) is named by the caller.
    let bad =
        |e: crate::model::value::ValueError| ReadMsg::CannotRead { text, why: e.0 }.to_string();
    if text.is_empty() {
        if field == Field::Id {
            return Err(ReadMsg::MissingId.to_string());
        }
        return Ok(());
    }
    match field {
        Field::Id => c.id = text.into(),
        Field::Name => c.name = text.into(),
        Field::Owner => c.owner = text.into(),
        Field::Phone
        | Field::Email
        | Field::Contact
        | Field::Address
        | Field::NextStep
        | Field::Profile(_) => set_detail(c, field, text),
        Field::Intent => c.intent = Some(enumeration::<Intent>(text)?),
        Field::Stage => c.stage = Some(enumeration::<Stage>(text)?),
        Field::Grade => c.grade = Some(enumeration::<Grade>(text)?),
        Field::List => c.list = enumeration::<ListKind>(text)?,
        Field::Type => {
            let id = rules.type_id(text).ok_or_else(|| {
                let known: Vec<&str> = rules.type_sets[0]
                    .types
                    .iter()
                    .map(|t| t.id.as_str())
                    .collect();
                ReadMsg::UnknownType {
                    text,
                    known: &known.join(", "),
                }
                .to_string()
            })?;
            c.kind = id.into();
        }
        Field::Traits => {
            for t in split_traits(text) {
                if let Some(i) = rules.traits.index(t) {
                    c.traits.insert(i);
                }
            }
        }
        Field::Revenue => c.revenue = Some(money(text).map_err(bad)?),
        Field::Profit => c.profit = Some(money(text).map_err(bad)?),
        Field::LastContact => c.last_contact = Some(date(text).map_err(bad)?),
        Field::LastOrder => c.last_order = Some(date(text).map_err(bad)?),
        Field::FirstOrder => c.first_order = Some(date(text).map_err(bad)?),
        Field::SampleRequested => c.sample_requested = Some(date(text).map_err(bad)?),
        Field::SampleReceived => c.sample_received = Some(date(text).map_err(bad)?),
        Field::ExpectedPurchase => c.expected_purchase = Some(date(text).map_err(bad)?),
        Field::SnoozeUntil => c.snooze_until = Some(date(text).map_err(bad)?),
        Field::NextContact => c.next_contact = Some(date(text).map_err(bad)?),
        Field::Birthday => {
            // A birthday cell may be a month and day, or a whole date (a serial number too).
            let md = parse_month_day(text).or_else(|e| date(text).map(MonthDay::of).map_err(|_| e));
            c.birthday = Some(md.map_err(bad)?);
        }
        Field::Flag(flag) => c.set_flag(flag, parse_bool(text).map_err(bad)?),
        Field::Rating(r) => {
            let v: u8 = text
                .trim_end_matches(".0")
                .parse()
                .ok()
                .filter(|v| (1..=5).contains(v))
                .ok_or_else(|| bad(crate::model::value::ValueError(Why::Rating)))?;
            c.ratings[r as usize] = v;
        }
        Field::Points => {
            let cents = parse_amount(text).map_err(bad)?;
            if cents % 100 != 0 {
                return Err(bad(crate::model::value::ValueError(Why::WholeNumber)));
            }
            c.points = Some(cents / 100);
        }
        Field::OrderCount
        | Field::ComplaintCount
        | Field::ContactCount
        | Field::OrderTotal
        | Field::OrderTotal12m
        | Field::OrderIntervalDays
        | Field::MonthsWithOrders
        | Field::LastComplaint => {}
    }
    Ok(())
}

fn enumeration<E: Enumeration>(text: &str) -> Result<E, String> {
    E::parse(text).ok_or_else(|| {
        ReadMsg::Unknown {
            what: E::WHAT,
            text,
            expected: &E::expected(),
            expected_zh: &E::expected_zh(),
        }
        .to_string()
    })
}

/// Reports ids seen twice, at the second occurrence, and returns the id table the log fold
/// and id lookups then use: its first-wins slots say where each id first stood.
pub fn duplicate_ids(
    customers: &[Customer],
    origins: &[Origin],
    problem: &mut dyn FnMut(usize, String),
) -> fast::IdTable {
    let (table, duplicates) = fast::IdTable::build(customers);
    for (i, first) in duplicates {
        let c = &customers[i];
        if c.id.is_empty() {
            continue;
        }
        let o = &origins[first];
        let other_file = (o.path != origins[i].path).then(|| crate::error::display_path(&o.path));
        let message = ReadMsg::DuplicateId {
            id: &c.id,
            first_path: other_file.as_deref(),
            first_line: o.line,
        };
        problem(i, message.to_string());
    }
    table
}

/// Reads a file's bytes and decodes them, reporting an undecodable byte at its position.
pub fn read_text(
    path: &Path,
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<encoding::Decoded> {
    read_text_fingerprinted(path, forced).map(|(d, _)| d)
}

/// Like [`read_text`], with the fingerprint of the bytes as read, so a later write can tell
/// whether someone else changed the file in between.
pub fn read_text_fingerprinted(
    path: &Path,
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<(encoding::Decoded, Fingerprint)> {
    let (bytes, fingerprint) = read_whole(path).map_err(|e| Error::io(path, e))?;
    Ok((decode_at(path, bytes, forced)?, fingerprint))
}

/// Files larger than this are read and fingerprinted a part per thread.
const PARALLEL_READ_FROM: usize = 8 << 20;

/// A file's bytes and their fingerprint; a large file read a part per thread, each part
/// whole fingerprint blocks, so the fingerprint does not depend on how it was read.
fn read_whole(path: &Path) -> std::io::Result<(Vec<u8>, Fingerprint)> {
    read_whole_in(path, crate::parallel::threads(), PARALLEL_READ_FROM)
}

/// [`read_whole`] in `threads` parts from `parallel_from` bytes on.
fn read_whole_in(
    path: &Path,
    threads: usize,
    parallel_from: usize,
) -> std::io::Result<(Vec<u8>, Fingerprint)> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len() as usize;
    #[cfg(not(unix))]
    let _ = (threads, parallel_from);
    #[cfg(unix)]
    if threads >= 2 && len >= parallel_from {
        use std::os::unix::fs::FileExt;
        let mut bytes = vec![0u8; len];
        let size = len.div_ceil(FINGERPRINT_BLOCK).div_ceil(threads).max(1) * FINGERPRINT_BLOCK;
        let file = &file;
        use rayon::prelude::*;
        let hashes: std::io::Result<Vec<Vec<u64>>> = bytes
            .par_chunks_mut(size)
            .enumerate()
            .map(|(k, part)| {
                file.read_exact_at(part, (k * size) as u64)?;
                Ok(part.chunks(FINGERPRINT_BLOCK).map(block_hash).collect())
            })
            .collect();
        // A file that shrank (an error above) or grew while it was read is read again, whole.
        if let Ok(hashes) = hashes
            && file.read_at(&mut [0u8], len as u64)? == 0
        {
            let fingerprint = Fingerprint::from_blocks(len, hashes.into_iter().flatten());
            return Ok((bytes, fingerprint));
        }
    }
    // Whole, from the start: only positioned reads came before. Into a buffer of the size
    // just found and one byte more (so that the end is seen without growing it), not by
    // `read_to_end`, which asks the kernel for the size again and where the file is: two
    // calls more for each of a folder book's 100,000 files.
    let mut bytes = vec![0u8; len + 1];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            // The file grew while it was read: room for more.
            bytes.resize(2 * filled, 0);
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    let fingerprint = Fingerprint::of(&bytes);
    Ok((bytes, fingerprint))
}

/// The size of the blocks a fingerprint hashes one by one.
const FINGERPRINT_BLOCK: usize = 1 << 20;

fn block_hash(block: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(block);
    h.finish()
}

/// The length and a hash of a file's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    pub len: u64,
    pub hash: u64,
}

impl Fingerprint {
    pub fn of(bytes: &[u8]) -> Fingerprint {
        Fingerprint::from_blocks(bytes.len(), bytes.chunks(FINGERPRINT_BLOCK).map(block_hash))
    }

    /// The fingerprint of `len` bytes from the hashes of their blocks, in order.
    fn from_blocks(len: usize, hashes: impl Iterator<Item = u64>) -> Fingerprint {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        for hash in hashes {
            h.write_u64(hash);
        }
        Fingerprint {
            len: len as u64,
            hash: h.finish(),
        }
    }

    /// The fingerprint of the file at `path` now; None when it is gone.
    pub fn of_file(path: &Path) -> Result<Option<Fingerprint>> {
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(Fingerprint::of(&bytes))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(path, e)),
        }
    }
}

/// Decodes bytes read from `path`, naming the first bad byte's line and column.
pub fn decode_at(
    path: &Path,
    bytes: Vec<u8>,
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<encoding::Decoded> {
    // Plain UTF-8 (the common case, and the 100 MB one) is taken over without a copy.
    let bytes = if forced.is_none() && encoding_rs::Encoding::for_bom(&bytes).is_none() {
        match String::from_utf8(bytes) {
            Ok(text) => {
                return Ok(encoding::Decoded {
                    text,
                    encoding: encoding::TextEncoding {
                        encoding: encoding_rs::UTF_8,
                        bom: false,
                    },
                });
            }
            Err(e) => e.into_bytes(),
        }
    } else {
        bytes
    };
    encoding::decode(&bytes, forced).map_err(|e| {
        let (offset, name, message) = match &e {
            encoding::DecodeError::Undecodable {
                offset,
                guess,
                byte,
            } => (
                *offset,
                *guess,
                ReadMsg::Undecodable {
                    guess: Some(guess),
                    name: guess,
                    byte: *byte,
                },
            ),
            encoding::DecodeError::Invalid { offset, name, byte } => (
                *offset,
                *name,
                ReadMsg::Undecodable {
                    guess: None,
                    name,
                    byte: *byte,
                },
            ),
        };
        // Show the line as the encoding that nearly fitted reads it, the bad byte as �.
        let enc = encoding_rs::Encoding::for_label(name.as_bytes()).unwrap_or(encoding_rs::UTF_8);
        // Lines end as records do: at a LF, a CRLF or a CR alone.
        let line_end_byte = |b: &u8| matches!(b, b'\n' | b'\r');
        let line_start = bytes[..offset]
            .iter()
            .rposition(line_end_byte)
            .map_or(0, |i| i + 1);
        let line_end = bytes[offset..]
            .iter()
            .position(line_end_byte)
            .map_or(bytes.len(), |i| offset + i);
        let line = crate::lines::line_ends(&bytes, 0..line_start) + 1;
        let (before, _) = enc.decode_without_bom_handling(&bytes[line_start..offset]);
        let (whole, _) = enc.decode_without_bom_handling(&bytes[line_start..line_end]);
        let mut d = Diagnostic::file(path, line, message.to_string());
        d.col = before.chars().count() + 1;
        d.snippet = Some(Box::new(crate::error::Snippet::around(
            &whole,
            0,
            before.len(),
            '\u{FFFD}'.len_utf8(),
        )));
        Error::from(d.with_hint(ReadMsg::EncodingHint.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read in parts on several threads, a file gives the bytes and the fingerprint a plain
    /// read gives, whatever the number of parts and however its length falls on the blocks.
    #[test]
    fn a_file_read_in_parts_is_the_file_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.csv");
        for len in [0, 1, FINGERPRINT_BLOCK - 1, 3 * FINGERPRINT_BLOCK + 17] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + i / 251) as u8).collect();
            std::fs::write(&path, &bytes).unwrap();
            let whole = Fingerprint::of(&bytes);
            for threads in [1, 2, 3, 5] {
                let (read, fingerprint) = read_whole_in(&path, threads, 0).unwrap();
                assert!(read == bytes, "len {len}, {threads} threads");
                assert_eq!(fingerprint, whole, "len {len}, {threads} threads");
            }
        }
        // One byte changed in the last block changes the fingerprint.
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert_ne!(
            Fingerprint::of(&bytes),
            read_whole_in(&path, 2, 0).unwrap().1
        );
    }
}
