//! The customer book as a CSV file (Excel's exports included): reading with exact positions,
//! keeping what a minimal write-back needs (the text, encoding, delimiter, line ending and
//! each record's bytes).

use std::ops::Range;
use std::path::Path;

use super::encoding::TextEncoding;
use super::{
    Book, Fingerprint, Form, Origin, ReadOptions, duplicate_ids, field_for_header,
    read_text_fingerprinted, set_field,
};
use crate::error::{Diagnostic, Error, Result};
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

/// Reads a CSV book.
pub fn read(path: &Path, rules: &Rules, opts: ReadOptions<'_>) -> Result<(Book, Vec<Diagnostic>)> {
    let (decoded, fingerprint) = read_text_fingerprinted(path, opts.encoding)?;
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
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut problems = Vec::new();
    let mut record = csv::ByteRecord::new();
    let err = |e: csv::Error| {
        let offset = e.position().map_or(0, |p| p.byte() as usize);
        Error::from(Diagnostic::at(
            path,
            &text,
            offset,
            0,
            format!("cannot read CSV: {e}"),
        ))
    };

    // The header: the first non-empty record.
    let mut header_span = 0..0;
    let mut header: Vec<String> = Vec::new();
    while rdr.read_byte_record(&mut record).map_err(err)? {
        let start = record_start(&text, record.position().map_or(0, |p| p.byte() as usize));
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        header = record
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect();
        header_span = start..record_end(&text, start, rdr.position().byte() as usize);
        break;
    }
    if header.is_empty() {
        return Err(Diagnostic::file(
            path,
            0,
            "the customer book is empty: expected a header line with an id column",
        )
        .into());
    }

    let header_raw = raw_fields(&text[header_span.clone()], delimiter);
    let mut fields: Vec<Option<Field>> = Vec::with_capacity(header.len());
    let mut extra_columns = Vec::new();
    let mut extra_of_column = vec![None; header.len()];
    for (i, h) in header.iter().enumerate() {
        let f = field_for_header(h, opts.columns);
        if let Some(f) = f
            && let Some(j) = fields.iter().position(|g| *g == Some(f))
        {
            let span = header_raw.get(i).cloned().unwrap_or(0..0);
            problems.push(Diagnostic::at(
                path,
                &text,
                header_span.start + span.start,
                span.len(),
                format!(
                    "column \"{h}\" and column \"{}\" both hold {}",
                    header[j],
                    f.name()
                ),
            ));
        }
        if f.is_none() && !h.is_empty() {
            extra_of_column[i] = Some(extra_columns.len() as u16);
            extra_columns.push(h.clone());
        }
        fields.push(f);
    }
    if !fields.contains(&Some(Field::Id)) {
        let d = Diagnostic::at(path, &text, header_span.start, header_span.len(), "no id column")
            .with_hint("name one column id (or 客户编号 / 编号), or map yours with `[columns] id = \"...\"` in clientele.toml");
        return Err(d.into());
    }

    // Sized from the line count so a million-row book is not copied while it grows.
    let rows = text.bytes().filter(|&b| b == b'\n').count() + 1;
    let mut customers = Vec::with_capacity(rows);
    let mut origins = Vec::with_capacity(rows);
    let mut spans = Vec::with_capacity(rows);
    let shared_path: std::sync::Arc<Path> = std::sync::Arc::from(path);
    let (mut counted_to, mut line) = (
        header_span.start,
        1 + text[..header_span.start]
            .bytes()
            .filter(|&b| b == b'\n')
            .count(),
    );
    while rdr.read_byte_record(&mut record).map_err(err)? {
        let start = record_start(&text, record.position().map_or(0, |p| p.byte() as usize));
        let end = record_end(&text, start, rdr.position().byte() as usize);
        line += text.as_bytes()[counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted_to = start;
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        if text.as_bytes()[start..end]
            .iter()
            .filter(|&&b| b == b'"')
            .count()
            % 2
            == 1
        {
            let quote = text[start..end].rfind('"').unwrap_or(0);
            problems.push(Diagnostic::at(
                path,
                &text,
                start + quote,
                1,
                "this quoted field is never closed: a `\"` is missing",
            ));
            continue;
        }
        let at_field = |i: usize, message: String| {
            let raw = raw_fields(&text[start..end], delimiter);
            let span = raw.get(i).cloned().unwrap_or(0..0);
            Diagnostic::at(path, &text, start + span.start, span.len(), message)
        };
        let n = record.len();
        let trailing_empty = (header.len()..n).all(|i| record.get(i).is_some_and(<[u8]>::is_empty));
        if n < header.len() || (n > header.len() && !trailing_empty) {
            // Too long: point at the first field past the header; too short: at the last one.
            let at = if n > header.len() {
                header.len()
            } else {
                n.saturating_sub(1)
            };
            problems.push(at_field(
                at,
                format!("this row has {n} fields, the header has {}", header.len()),
            ));
            continue;
        }
        let mut c = Customer::default();
        let mut ok = true;
        for (i, cell) in record.iter().enumerate().take(header.len()) {
            let cell = std::str::from_utf8(cell).unwrap_or_default();
            match fields[i] {
                Some(f) => {
                    if let Err(message) = set_field(&mut c, f, cell, rules) {
                        problems.push(at_field(i, message));
                        ok = false;
                    }
                }
                None => {
                    if let Some(x) = extra_of_column[i]
                        && !cell.is_empty()
                    {
                        c.extras.push((x, cell.into()));
                    }
                }
            }
        }
        if ok || !c.id.is_empty() {
            customers.push(c);
            origins.push(Origin {
                path: shared_path.clone(),
                line: line as u32,
            });
            spans.push(start..end);
        }
    }

    duplicate_ids(&customers, &origins, &mut |i, message| {
        let raw = raw_fields(&text[spans[i].clone()], delimiter);
        let col = fields
            .iter()
            .position(|f| *f == Some(Field::Id))
            .unwrap_or(0);
        let span = raw.get(col).cloned().unwrap_or(0..0);
        problems.push(Diagnostic::at(
            path,
            &text,
            spans[i].start + span.start,
            span.len(),
            message,
        ));
    });

    let book = Book {
        path: path.to_path_buf(),
        customers,
        extra_columns,
        origins,
        form: Form::Csv(CsvSource {
            encoding: decoded.encoding,
            fingerprint,
            delimiter,
            line_ending,
            header,
            fields,
            header_span,
            spans,
            text,
        }),
    };
    Ok((book, problems))
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
