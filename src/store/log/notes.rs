//! The notes of chosen log rows, read back for what a listing shows ("what did we talk
//! about last time?", what a complaint said). The fold keeps only where each customer's
//! latest touch and complaint are ([`RowKey`]); the notes themselves are read here, for the
//! rows shown: a morning list of twenty customers reads twenty rows, not the whole log.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{Streamed, bom_length, columns, csv_error, open_utf8, read_header};
use crate::error::{Error, Result};
use crate::model::RowKey;
use crate::model::value::trim;
use crate::store::fast::{Splitter, Step};

/// How many bytes are read at a time around the rows asked for: at most a megabyte (rows
/// close together are read in one go), at least enough for a row or two (rows far apart are
/// read one by one, not the megabytes between them).
const BLOCK: usize = 1 << 20;
const WINDOW: usize = 8 << 10;
/// How far one read reaches over rows close together: small enough to stay in the cache
/// (a megabyte at a time measured twice as slow on the 1M book's half million notes).
const SPAN: usize = 64 << 10;

/// The note of each row of `rows`, in their order (None for no row, or a row without a
/// note): a listing takes its notes by position, not from a map of half a million. A log
/// without a note column has no notes.
pub fn notes(
    path: &Path,
    forced: Option<&'static encoding_rs::Encoding>,
    rows: &[RowKey],
) -> Result<Vec<Option<String>>> {
    let mut out = vec![None; rows.len()];
    // The rows' positions, in the order of the rows in the log.
    let mut order: Vec<(usize, usize)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((r.offset()?, i)))
        .collect();
    if order.is_empty() || !path.exists() {
        return Ok(out);
    }
    let path = &*super::readable(path)?;
    order.par_sort_unstable();
    let (enc, header) = read_header(path, forced)?;
    let Some(note) = header.and_then(|(cols, _)| cols.note) else {
        return Ok(out);
    };
    let found: Vec<(usize, String)> = if enc.encoding != encoding_rs::UTF_8 {
        // A log in another encoding is read whole, decoded as the fold decoded it: such logs
        // are the ones people keep by hand, small.
        let text = Streamed::read(path, enc)?.text;
        let mut splitter = Splitter::new(b',');
        order
            .iter()
            .filter_map(|&(offset, i)| {
                let rest = text.as_bytes().get(offset..)?;
                Some((i, note_of(&mut splitter, rest, true, note)??))
            })
            .collect()
    } else {
        let bom = if enc.bom { bom_length(enc.encoding) } else { 0 };
        // A part of the rows per thread, each reading its stretch of the file.
        let size = order.len().div_ceil(crate::parallel::threads()).max(1);
        let parts: Vec<Vec<(usize, String)>> = order
            .par_chunks(size)
            .map(|part| read_part(path, bom, part, note))
            .collect::<Result<_>>()?;
        parts.into_iter().flatten().collect()
    };
    for (i, text) in found {
        out[i] = Some(text);
    }
    Ok(out)
}

/// [`notes`] as a map from row to note, for the few rows a listing names (its complaints).
pub fn notes_by_row(
    path: &Path,
    forced: Option<&'static encoding_rs::Encoding>,
    rows: &[RowKey],
) -> Result<FxHashMap<RowKey, String>> {
    let found = notes(path, forced, rows)?;
    Ok(rows
        .iter()
        .zip(found)
        .filter_map(|(r, n)| Some((*r, n?)))
        .collect())
}

/// The notes of the rows at `order` (offset, position; sorted) of a UTF-8 log, read a block
/// at a time.
fn read_part(
    path: &Path,
    bom: usize,
    order: &[(usize, usize)],
    note: usize,
) -> Result<Vec<(usize, String)>> {
    let io = |e| Error::io(path, e);
    let mut file = File::open(path).map_err(io)?;
    let len = file
        .metadata()
        .map_err(io)?
        .len()
        .saturating_sub(bom as u64);
    let mut buf: Vec<u8> = Vec::new();
    // The text offset of buf[0].
    let mut at: u64 = 0;
    let mut out = Vec::with_capacity(order.len());
    let mut splitter = Splitter::new(b',');
    for (j, &(offset, i)) in order.iter().enumerate() {
        let offset = offset as u64;
        // Enough to hold this row and those close after it (each within a window of the
        // one before), within the bounds above: close rows are read in one go, rows far
        // apart one by one.
        let mut ahead = offset;
        for &(next, _) in &order[j + 1..] {
            if next as u64 - ahead > WINDOW as u64 || next as u64 - offset > SPAN as u64 {
                break;
            }
            ahead = next as u64;
        }
        let mut want = ((ahead - offset) as usize + WINDOW).clamp(WINDOW, BLOCK);
        let mut grown = false;
        loop {
            let covered = at <= offset && offset < at + buf.len() as u64;
            if !covered || grown {
                if offset >= len {
                    break;
                }
                let n = (want as u64).min(len - offset) as usize;
                buf.resize(n, 0);
                file.seek(SeekFrom::Start(bom as u64 + offset))
                    .and_then(|_| file.read_exact(&mut buf))
                    .map_err(io)?;
                at = offset;
            }
            let rest = &buf[(offset - at) as usize..];
            let eof = at + buf.len() as u64 == len;
            match note_of(&mut splitter, rest, eof, note) {
                Some(text) => {
                    out.extend(text.map(|t| (i, t)));
                    break;
                }
                // A record longer than what was read: read more of it.
                None if !eof => {
                    want = rest.len() * 2;
                    grown = true;
                }
                None => break,
            }
        }
    }
    Ok(out)
}

/// The note cell of the record `bytes` starts with, trimmed (None when the record has no
/// such cell, an empty one, or is not text); None when the record does not end within
/// `bytes` (and `bytes` is not the end of the log). `splitter` is between records, and is
/// left so.
fn note_of(
    splitter: &mut Splitter,
    bytes: &[u8],
    eof: bool,
    note: usize,
) -> Option<Option<String>> {
    match splitter.next(bytes, eof) {
        Step::Record(record, _) => Some(
            record
                .text()
                .ok()
                .and_then(|text| text.get(note).map(trim))
                .filter(|cell| !cell.is_empty())
                .map(str::to_string),
        ),
        Step::NeedMore(_) => {
            // It holds part of a record now: a fresh one for the next try.
            *splitter = Splitter::new(b',');
            None
        }
        Step::End => Some(None),
    }
}

/// One customer's rows of the log as written (date, kind, amount, note; trimmed), in log
/// order: what `show` lists. The whole log is read (one customer's rows are anywhere in it);
/// a missing log has none, and a row too short to name a customer is skipped, as the fold
/// reports it.
pub fn rows_of(
    path: &Path,
    forced: Option<&'static encoding_rs::Encoding>,
    id: &str,
) -> Result<Vec<[String; 4]>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let path = &*super::readable(path)?;
    let (stream, _) = open_utf8(path, forced)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(stream);
    let mut record = csv::StringRecord::new();
    let mut cols = None;
    let mut out = Vec::new();
    let id = trim(id);
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) if record.iter().all(|c| trim(c).is_empty()) => {}
            Ok(true) => match &cols {
                None => cols = columns(record.as_byte_record()),
                Some(c) => {
                    let cell = |i: Option<usize>| {
                        i.and_then(|i| record.get(i)).map_or("", trim).to_string()
                    };
                    if record.get(c.id).map(trim) == Some(id) {
                        out.push([
                            cell(Some(c.date)),
                            cell(Some(c.kind)),
                            cell(c.amount),
                            cell(c.note),
                        ]);
                    }
                }
            },
            Err(e) => return Err(csv_error(e, path, forced)),
        }
    }
    Ok(out)
}
