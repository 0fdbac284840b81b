//! The customer book as a CSV file (Excel's exports included): reading with exact positions,
//! keeping what a minimal write-back needs (the text, encoding, delimiter, line ending and
//! each record's bytes).

use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;

use super::encoding::TextEncoding;
use super::fast::{Splitter, Step, TextRecord, blank_run};
use super::fast::{Window, fill_windows};
use super::{
    Book, Fingerprint, Form, Origin, ReadOptions, duplicate_ids, read_text_fingerprinted, sheet,
};
use crate::error::{Diagnostic, Error, Locator, Result};
use crate::lines::line_ends;
use crate::model::messages::read::ReadMsg;
use crate::model::{Customer, Field};
use crate::rules::Rules;

/// What the CSV book looked like on disk.
#[derive(Debug)]
pub struct CsvSource {
    pub text: String,
    pub encoding: TextEncoding,
    /// The bytes as read, to detect a change on disk before writing back.
    pub fingerprint: Fingerprint,
    pub delimiter: u8,
    /// `"\r\n"` or `"\n"`, as the file's first line ends.
    pub line_ending: &'static str,
    /// The header's fields as written.
    pub header: Vec<String>,
    /// The field each column holds (None for extra columns).
    pub fields: Vec<Option<Field>>,
    /// The byte range of the header record.
    pub header_span: Range<usize>,
    /// The byte range of each customer's record, line ending excluded.
    pub spans: Vec<Range<usize>>,
}

/// The most common of `,` `;` tab outside quotes on the first line.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in first.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
            c.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}

/// The byte range of each raw field in a record's text (quotes included).
pub fn raw_fields(raw: &str, delimiter: u8) -> Vec<Range<usize>> {
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b if b == delimiter && !quoted => {
                out.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
    }
    let mut end = bytes.len();
    while end > start && matches!(bytes[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    out.push(start..end);
    out
}

/// Reads a CSV book (a large one on every core).
pub fn read(path: &Path, rules: &Rules, opts: ReadOptions<'_>) -> Result<(Book, Vec<Diagnostic>)> {
    read_in(path, rules, opts, crate::parallel::threads(), PARALLEL_FROM)
}

/// [`read`] with the number of chunks and the size from which to use them given.
fn read_in(
    path: &Path,
    rules: &Rules,
    opts: ReadOptions<'_>,
    threads: usize,
    parallel_from: usize,
) -> Result<(Book, Vec<Diagnostic>)> {
    let started = std::time::Instant::now();
    let (decoded, fingerprint) = read_text_fingerprinted(path, opts.encoding)?;
    crate::timing::phase("read book: text", started);
    let text = decoded.text;
    let delimiter = sniff_delimiter(&text);
    let line_ending = if text
        .find('\n')
        .is_some_and(|i| i > 0 && text.as_bytes()[i - 1] == b'\r')
    {
        "\r\n"
    } else {
        "\n"
    };
    let (header, header_span, above) = read_header(path, &text, delimiter, &opts)?;
    let header_at = (&header[..], &header_span);
    let mut columns = map_columns(path, &text, header_at, delimiter, opts.columns)?;
    // Which encoding the text was read in, when not UTF-8, comes first.
    let mut problems: Vec<Diagnostic> = super::encoding_note(path, decoded.encoding)
        .into_iter()
        .collect();
    problems.extend(above);
    problems.append(&mut columns.problems);
    let reader = RowReader {
        path,
        text: &text,
        delimiter,
        header: &header,
        row: sheet::RowFields {
            columns: &columns,
            rules,
            dates: opts.dates,
        },
    };
    let started = std::time::Instant::now();
    let (customers, mut rows) = reader.read_all(header_span.end, threads, parallel_from)?;
    problems.append(&mut rows.problems);
    crate::timing::phase("read book: records", started);
    let Rows { origins, spans, .. } = rows;

    let id_column = columns.fields.iter().position(|f| *f == Some(Field::Id));
    // Duplicates come in the order of the rows: each is placed counting on from the last.
    let locator = Locator::new(path, &text);
    let ids = duplicate_ids(&customers, &origins, &mut |i, message| {
        let raw = raw_fields(&text[spans[i].clone()], delimiter);
        let span = raw.get(id_column.unwrap_or(0)).cloned().unwrap_or(0..0);
        let start = spans[i].start + span.start;
        problems.push(locator.at(start, span.len(), message));
    });

    let book = Book {
        path: path.to_path_buf(),
        customers,
        extra_columns: columns.extra_columns,
        columns: columns.fields.iter().flatten().copied().collect(),
        origins,
        ids,
        form: Form::Csv(CsvSource {
            encoding: decoded.encoding,
            fingerprint,
            delimiter,
            line_ending,
            header,
            fields: columns.fields,
            header_span,
            spans,
            text,
        }),
    };
    Ok((book, problems))
}

/// The header: the record on line `header_row` when given, else the first record within the
/// first [`sheet::HEADER_WITHIN`] that names an id column (titles and notes above it are
/// skipped); its fields trimmed, and its span.
fn read_header(
    path: &Path,
    text: &str,
    delimiter: u8,
    opts: &ReadOptions<'_>,
) -> Result<(Vec<String>, Range<usize>, Vec<Diagnostic>)> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let err = |e: csv::Error| {
        let offset = e.position().map_or(0, |p| p.byte() as usize);
        let message = ReadMsg::Csv {
            error: &e.to_string(),
        };
        Error::from(Diagnostic::at(path, text, offset, 0, message.to_string()))
    };
    let mut seen = 0;
    let mut first: Option<Range<usize>> = None;
    let mut above = Vec::new();
    while rdr.read_byte_record(&mut record).map_err(err)? {
        let start = record_start(text, record.position().map_or(0, |p| p.byte() as usize));
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let end = record_end(text, start, rdr.position().byte() as usize);
        let cells: Vec<String> = record
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect();
        let line = 1 + line_ends(text.as_bytes(), 0..start);
        seen += 1;
        first.get_or_insert(start..end);
        let chosen = match opts.header_row {
            Some(n) => line == n,
            None => sheet::names_an_id(cells.iter().map(String::as_str), opts.columns),
        };
        if chosen {
            return Ok((cells, start..end, above));
        }
        let message = ReadMsg::RowAboveHeader.to_string();
        above.push(Diagnostic::at(path, text, start, 0, message).note());
        if opts.header_row.is_some_and(|n| line > n)
            || (opts.header_row.is_none() && seen == sheet::HEADER_WITHIN)
        {
            break;
        }
    }
    let Some(first) = first else {
        return Err(Diagnostic::file(path, 0, ReadMsg::BookEmpty.to_string()).into());
    };
    if let Some(n) = opts.header_row {
        let message = ReadMsg::HeaderRowEmpty { n, sheet: None };
        return Err(Diagnostic::file(path, 0, message.to_string()).into());
    }
    let message = ReadMsg::NoIdColumnWithin {
        rows: sheet::HEADER_WITHIN,
        sheet: None,
    };
    let hint = ReadMsg::IdColumnHint { further_down: true };
    Err(
        Diagnostic::at(path, text, first.start, first.len(), message.to_string())
            .with_hint(hint.to_string())
            .into(),
    )
}

/// Maps the header's columns to fields (see [`sheet::map_columns`]); a header without an id
/// column is an error.
fn map_columns(
    path: &Path,
    text: &str,
    (header, span): (&[String], &Range<usize>),
    delimiter: u8,
    mapping: &[(Field, String)],
) -> Result<sheet::Columns> {
    let header_raw = raw_fields(&text[span.clone()], delimiter);
    let locator = Locator::new(path, text);
    let at = |i: usize, message: String| {
        let raw = header_raw.get(i).cloned().unwrap_or(0..0);
        locator.at(span.start + raw.start, raw.len(), message)
    };
    let columns = sheet::map_columns(header, mapping, at);
    if !columns.fields.contains(&Some(Field::Id)) {
        let hint = ReadMsg::IdColumnHint {
            further_down: false,
        };
        let d = Diagnostic::at(
            path,
            text,
            span.start,
            span.len(),
            ReadMsg::NoIdColumn.to_string(),
        )
        .with_hint(hint.to_string());
        return Err(d.into());
    }
    Ok(columns)
}

/// Where a record really starts: the csv crate reports the position after a `\r` line end,
/// which is the `\n` still belonging to the line before.
pub fn record_start(text: &str, reported: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = reported.min(bytes.len());
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    start
}

/// The end of a record starting at `start`, given where the next one starts: without its
/// line ending.
fn record_end(text: &str, start: usize, next: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = next.min(bytes.len());
    while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    end
}

/// Books larger than this are parsed on every core.
const PARALLEL_FROM: usize = 8 << 20;

/// Offsets that split the records from `start` to the end of `bytes` into `n` chunks: each
/// is the start of a line outside any quoted field.
pub fn record_bounds(bytes: &[u8], start: usize, n: usize) -> Vec<usize> {
    let len = bytes.len();
    let mut bounds = vec![start];
    let (mut at, mut quoted) = (start, false);
    for k in 1..n {
        let target = (start + (len - start) * k / n).max(at);
        // Only the parity of the quotes before the target matters; counting vectorises.
        quoted ^= memchr::memchr_iter(b'"', &bytes[at..target]).count() % 2 == 1;
        at = target;
        while at < len && (quoted || bytes[at] != b'\n') {
            quoted ^= bytes[at] == b'"';
            at += 1;
        }
        if at + 1 >= len {
            break;
        }
        at += 1;
        bounds.push(at);
    }
    bounds.push(len);
    bounds
}

/// What reading a range of records gives besides the customers.
#[derive(Default)]
struct Rows {
    origins: Vec<Origin>,
    spans: Vec<Range<usize>>,
    problems: Vec<Diagnostic>,
}

impl Rows {
    fn with_capacity(n: usize) -> Rows {
        Rows {
            origins: Vec::with_capacity(n),
            spans: Vec::with_capacity(n),
            problems: Vec::new(),
        }
    }

    fn append(&mut self, mut other: Rows) {
        self.origins.append(&mut other.origins);
        self.spans.append(&mut other.spans);
        self.problems.append(&mut other.problems);
    }
}

/// Everything needed to read data records once the header is known.
struct RowReader<'a> {
    path: &'a Path,
    text: &'a str,
    delimiter: u8,
    header: &'a [String],
    row: sheet::RowFields<'a>,
}

impl RowReader<'_> {
    /// Reads every record after the header (which ends at `header_end`), on `threads`
    /// threads when the data is larger than `parallel_from`: the customers, and where each
    /// was read and the problems found.
    fn read_all(
        &self,
        header_end: usize,
        threads: usize,
        parallel_from: usize,
    ) -> Result<(Vec<Customer>, Rows)> {
        let bytes = self.text.as_bytes();
        // The data starts after the header's line end (and any blank lines after it).
        let data_start = header_end + blank_run(&bytes[header_end..]);
        let bounds = if threads > 1 && bytes.len() - data_start > parallel_from {
            record_bounds(bytes, data_start, threads)
        } else {
            vec![data_start, bytes.len()]
        };
        // Line ends before the first chunk and in each (counted on each chunk's thread):
        // line numbers. Each chunk's line ends bound its records: every record but the
        // file's last ends with one of its own, and a chunk before the last ends just after
        // a LF. The bound is exact for a chunk of plain lines, so its window leaves no gap
        // to close.
        let chunks: Vec<Range<usize>> = bounds.windows(2).map(|w| w[0]..w[1]).collect();
        let counts: Vec<usize> = chunks
            .into_par_iter()
            .map(|chunk| line_ends(bytes, chunk))
            .collect();
        let mut line = 1 + line_ends(bytes, 0..bounds[0]);
        let mut starts = Vec::with_capacity(counts.len());
        let mut sizes = Vec::with_capacity(counts.len());
        for (k, &n) in counts.iter().enumerate() {
            let last = k + 1 == counts.len();
            starts.push(line);
            sizes.push(n + usize::from(last));
            line += n;
        }
        let mut customers = Vec::new();
        // The first chunk's rows have room for all: the others are appended to them, not
        // all copied into new memory.
        let total = sizes.iter().sum();
        let parts = fill_windows(&mut customers, &sizes, |k, window| {
            let mut rest = Rows::with_capacity(if k == 0 { total } else { sizes[k] });
            self.read(bounds[k], bounds[k + 1], starts[k], window, &mut rest)
                .map(|()| rest)
        });
        let mut parts = parts.into_iter();
        let mut all = parts.next().transpose()?.unwrap_or_default();
        for part in parts {
            all.append(part?);
        }
        Ok((customers, all))
    }

    /// Reads the records between byte offsets `from` and `to` (record boundaries) of the
    /// text; `line` is the line number at `from`.
    fn read(
        &self,
        from: usize,
        to: usize,
        mut line: usize,
        customers: &mut Window<'_, Customer>,
        out: &mut Rows,
    ) -> Result<()> {
        let (path, text, delimiter) = (self.path, self.text, self.delimiter);
        // One path per chunk: threads sharing one would contend for its reference count.
        let shared_path: std::sync::Arc<Path> = std::sync::Arc::from(path);
        let bytes = &text.as_bytes()[..to];
        // Problems are placed counting on from the chunk's start, whose line is known.
        let locator = Locator::at_line(path, text, from, line);
        let mut splitter = Splitter::new(delimiter);
        // `counted`: where the line ends counted into `line` stop.
        let (mut at, mut counted) = (from, from);
        loop {
            // Blank lines are skipped here, so `start` is where the record's text starts.
            at += blank_run(&bytes[at..]);
            let start = at;
            let (raw, used) = match splitter.next(&bytes[at..], true) {
                Step::Record(record, used) => (record, used),
                Step::NeedMore(_) | Step::End => break,
            };
            at += used;
            let end = record_end(text, start, at);
            // The line ends since the record before (its own and blank lines), then the
            // record's own, which only a quoted field holds: most records need no count.
            line += line_ends(bytes, counted..start);
            let record_line = line;
            let quoted = memchr::memchr(b'"', &bytes[start..end]).is_some();
            if quoted {
                line += line_ends(bytes, start..end);
            }
            counted = end;
            // The book's text is UTF-8 already: only a quoted record's unquoted copy is
            // checked again (and passes: its fields were cut at ASCII bytes).
            let Ok(record) = raw.text_within(&text[start..to]) else {
                let message = ReadMsg::NotUtf8.to_string();
                out.problems.push(locator.at(start, 0, message));
                continue;
            };
            if record
                .iter()
                .all(|f| f.bytes().all(|b| b.is_ascii_whitespace()))
            {
                continue;
            }
            if quoted && memchr::memchr_iter(b'"', &bytes[start..end]).count() % 2 == 1 {
                let quote = text[start..end].rfind('"').unwrap_or(0);
                out.problems.push(locator.at(
                    start + quote,
                    1,
                    ReadMsg::QuoteNeverClosed.to_string(),
                ));
                continue;
            }
            let span = start..end;
            if let Some(c) = self.customer(&record, span.clone(), &locator, &mut out.problems) {
                customers.push(c);
                out.origins.push(Origin {
                    path: shared_path.clone(),
                    line: record_line as u32,
                });
                out.spans.push(span);
            }
        }
        Ok(())
    }

    /// The customer a record (at `span` of the text) holds; None when the row is unusable: a
    /// wrong number of fields, or a bad value and no id. Each problem is pushed onto
    /// `problems`, at its field, placed by `locator`.
    fn customer(
        &self,
        record: &TextRecord<'_>,
        span: Range<usize>,
        locator: &Locator<'_>,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Customer> {
        let (text, header) = (self.text, self.header);
        // The fields' ranges are found once, for the first problem: a row of 10,000 bad
        // cells is not cut into fields 10,000 times.
        let raw = std::cell::OnceCell::new();
        let at_field = |i: usize, message: String| {
            let raw = raw.get_or_init(|| raw_fields(&text[span.clone()], self.delimiter));
            let field = raw.get(i).cloned().unwrap_or(0..0);
            locator.at(span.start + field.start, field.len(), message)
        };
        let n = record.len();
        let trailing_empty = (header.len()..n).all(|i| record.get(i).is_some_and(str::is_empty));
        if n < header.len() || (n > header.len() && !trailing_empty) {
            // Too long: point at the first field past the header; too short: at the last one.
            let at = if n > header.len() {
                header.len()
            } else {
                n.saturating_sub(1)
            };
            let message = ReadMsg::RowWidth {
                fields: n,
                header: header.len(),
            }
            .to_string();
            problems.push(at_field(at, message));
            return None;
        }
        let row_at = |message: String| locator.at(span.start, 0, message);
        let cells = (0..header.len()).map(|i| record.get(i).unwrap_or(""));
        self.row.customer(cells, at_field, row_at, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A book with quoted fields holding commas, quotes and line breaks, CRLF line ends,
    /// blank lines and a few bad rows, read whole and in chunks.
    #[test]
    fn chunks_on_several_threads_give_what_one_pass_gives() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("customers.csv");
        let mut text = String::from("id,name,stage,revenue,note\r\n");
        for i in 0..400 {
            let stage = ["potential", "trial", "意向客户", "formal", "bogus"][i % 5];
            let note = if i % 3 == 0 {
                "\"two\r\nlines, \"\"quoted\"\"\"".to_string()
            } else {
                format!("n{i}")
            };
            let id = if i == 250 {
                "K0007".to_string()
            } else {
                format!("K{i:04}")
            };
            text.push_str(&format!("{id},\"Name, {i}\",{stage},{i}.50,{note}\r\n"));
            if i % 50 == 0 {
                text.push_str("\r\n");
            }
        }
        std::fs::write(&path, &text).unwrap();
        let rules = Rules::load(None, None).unwrap();
        let opts = ReadOptions {
            columns: &[],
            encoding: None,
            keep_source: true,
            ..ReadOptions::default()
        };
        let (one, one_problems) = read_in(&path, &rules, opts, 1, 0).unwrap();
        assert_eq!(one.customers.len(), 400);
        assert_eq!(
            one_problems.len(),
            80 + 1 + 1,
            "80 bogus stages, one duplicate id, a note on the unused column `note`"
        );
        for threads in [2, 3, 8] {
            let (many, many_problems) = read_in(&path, &rules, opts, threads, 0).unwrap();
            assert_eq!(many_problems, one_problems, "threads = {threads}");
            assert_eq!(
                format!("{:?}", many.customers),
                format!("{:?}", one.customers)
            );
            assert_eq!(many.origins, one.origins);
            let (Form::Csv(a), Form::Csv(b)) = (&many.form, &one.form) else {
                panic!("csv")
            };
            assert_eq!(a.spans, b.spans);
        }
    }

    /// A CR alone ends a record too (old Mac exports): a chunk holding such records has more
    /// records than LFs, and its window must still hold them all.
    #[test]
    fn records_ended_by_a_lone_cr_fit_their_chunk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("customers.csv");
        let rules = Rules::load(None, None).unwrap();
        let opts = ReadOptions {
            columns: &[],
            encoding: None,
            keep_source: true,
            ..ReadOptions::default()
        };
        let mut mixed = String::from("id,name\n");
        for i in 0..300 {
            let end = if i % 3 == 0 { "\n" } else { "\r" };
            mixed.push_str(&format!("K{i:04},n{i}{end}"));
        }
        let cr_only = "id,name\rK1,a\rK2,b\r\rK3,c".to_string();
        for (text, n) in [(mixed, 300), (cr_only, 3)] {
            std::fs::write(&path, &text).unwrap();
            let (one, one_problems) = read_in(&path, &rules, opts, 1, 0).unwrap();
            assert_eq!(one.customers.len(), n);
            assert!(one_problems.is_empty(), "{one_problems:?}");
            for threads in [2, 3, 8] {
                let (many, _) = read_in(&path, &rules, opts, threads, 0).unwrap();
                assert_eq!(
                    format!("{:?}", many.customers),
                    format!("{:?}", one.customers)
                );
            }
        }
    }

    #[test]
    fn record_bounds_start_lines_outside_quotes() {
        let text = "h\na,\"x\ny\"\nb,c\n\"\"\"\n\"\nd\n";
        for n in 2..6 {
            let bounds = record_bounds(text.as_bytes(), 2, n);
            assert_eq!(bounds.first(), Some(&2));
            assert_eq!(bounds.last(), Some(&text.len()));
            for &b in &bounds[1..bounds.len() - 1] {
                assert_eq!(text.as_bytes()[b - 1], b'\n');
                assert_eq!(text[..b].matches('"').count() % 2, 0, "bound {b}");
            }
        }
    }
}
