//! The notes of chosen log rows, read back for what a listing shows ("what did we talk
//! about last time?", what a complaint said). The fold keeps only where each customer's
//! latest touch and complaint are ([`RowKey`]); the notes themselves are read here, for the
//! rows shown: a morning list of twenty customers reads twenty rows, not the whole log.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{Streamed, read_header};
use crate::error::{Error, Result};
use crate::model::RowKey;
use crate::model::value::trim;
use crate::store::fast::{Record, Splitter, Step, for_each_record};

/// How many bytes are read at a time around the rows asked for: at most a megabyte (rows
/// close together are read in one go), at least enough for a row or two (rows far apart are
/// read one by one, not the megabytes between them).
const BLOCK: usize = 1 << 20;
const WINDOW: usize = 8 << 10;
/// How far one read reaches over rows close together: small enough to stay in the cache
/// (a megabyte at a time measured twice as slow on the 1M book's half million notes).
const SPAN: usize = 64 << 10;

/// The notes of a list of rows, in a few texts (one per part of the log read): half a million
/// notes of a listing are not half a million allocations.
#[derive(Debug, Default)]
pub struct Notes {
    texts: Vec<String>,
    /// Where each text starts in the texts laid end to end.
    starts: Vec<usize>,
    /// Where each row's note lies in the texts laid end to end (an empty range: no note).
    spans: Vec<Range<usize>>,
}

impl Notes {
    /// The note of row `i` of the rows asked for (None for no row, a row without a note, or
    /// past the rows asked for).
    pub fn get(&self, i: usize) -> Option<&str> {
        let (text, range) = self.place(i)?;
        text.get(range)
    }

    /// The notes of `rows[range]` (the rows asked for, or some of them), by row: for the
    /// few rows a listing names rather than numbers (its complaints).
    pub fn by_row(&self, rows: &[RowKey], range: Range<usize>) -> FxHashMap<RowKey, String> {
        range
            .filter_map(|k| Some((*rows.get(k)?, self.get(k)?.to_string())))
            .collect()
    }

    /// Asks for the first bytes of row `i`'s note without waiting for them: a listing takes
    /// its notes in its own order, not the log's, so each is a read at random (the profile
    /// put a listing's wait for them on the first byte of every note).
    pub fn prefetch(&self, i: usize) {
        if let Some((text, range)) = self.place(i)
            && let Some(first) = text.as_bytes().get(range.start)
        {
            crate::store::prefetch(first);
        }
    }

    /// The text holding row `i`'s note and where the note lies in it; None for no note.
    fn place(&self, i: usize) -> Option<(&str, Range<usize>)> {
        let span = self.spans.get(i)?.clone();
        if span.is_empty() {
            return None;
        }
        let k = self
            .starts
            .partition_point(|&s| s <= span.start)
            .checked_sub(1)?;
        let start = self.starts[k];
        Some((&self.texts[k], span.start - start..span.end - start))
    }

    /// The notes found by parts, for `rows` rows. Each part's text is kept as it is (not
    /// copied into one), its spans moved past the texts before it.
    fn of_parts(parts: Vec<Found>, rows: usize) -> Notes {
        let mut out = Notes {
            texts: Vec::with_capacity(parts.len()),
            starts: Vec::with_capacity(parts.len()),
            spans: vec![0..0; rows],
        };
        let mut base = 0;
        for part in parts {
            for (i, span) in part.notes {
                out.spans[i] = base + span.start..base + span.end;
            }
            out.starts.push(base);
            base += part.text.len();
            out.texts.push(part.text);
        }
        out
    }
}

/// Notes as they are found: the text of each, after one another, with the position of its
/// row among the rows asked for.
#[derive(Default)]
struct Found {
    text: String,
    notes: Vec<(usize, Range<usize>)>,
}

impl Found {
    fn push(&mut self, i: usize, note: &str) {
        let start = self.text.len();
        self.text.push_str(note);
        self.notes.push((i, start..self.text.len()));
    }
}

/// The note of each row of `rows`, by position (see [`Notes::get`]): a listing takes its
/// notes by position, not from a map of half a million. A log without a note column has no
/// notes.
pub fn notes(
    path: &Path,
    forced: Option<&'static encoding_rs::Encoding>,
    rows: &[RowKey],
) -> Result<Notes> {
    // The rows' positions, in the order of the rows in the log.
    let mut order: Vec<(usize, usize)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((r.offset()?, i)))
        .collect();
    if order.is_empty() || !path.exists() {
        return Ok(Notes::default());
    }
    let path = &*super::readable(path)?;
    order.par_sort_unstable();
    let (enc, header) = read_header(path, forced)?;
    let Some(note) = header.and_then(|(cols, _)| cols.note) else {
        return Ok(Notes::default());
    };
    let parts: Vec<Found> = if enc.encoding != encoding_rs::UTF_8 {
        // A log in another encoding is read whole, decoded as the fold decoded it: such logs
        // are the ones people keep by hand, small.
        let text = Streamed::read(path, enc)?.text;
        let mut splitter = Splitter::new(b',');
        let mut found = Found::default();
        for &(offset, i) in &order {
            let rest = text.as_bytes().get(offset..).unwrap_or_default();
            note_of(&mut splitter, rest, true, (note, i), &mut found);
        }
        vec![found]
    } else {
        let bom = enc.bom_len();
        // A part of the rows per thread, each reading its stretch of the file.
        balanced_parts(&order, crate::parallel::threads())
            .into_par_iter()
            .map(|part| read_part(path, bom, part, note))
            .collect::<Result<_>>()?
    };
    Ok(Notes::of_parts(parts, rows.len()))
}

/// [`notes`] as a map from row to note, for the few rows a listing names (its complaints).
pub fn notes_by_row(
    path: &Path,
    forced: Option<&'static encoding_rs::Encoding>,
    rows: &[RowKey],
) -> Result<FxHashMap<RowKey, String>> {
    Ok(notes(path, forced, rows)?.by_row(rows, 0..rows.len()))
}

/// What cutting out a row's note costs, in bytes of the log read: about half a kilobyte
/// (timed per row on the 1M book: 84 ns a row, 0.16 ns a byte read).
const ROW_COST: usize = 512;

/// `order` (sorted by offset) cut into up to `n` parts of about the same work, each part
/// reading the stretch of the log from its first row to its last and cutting out each row's
/// note. The rows are not spread evenly: a listing's customers are those not touched for a
/// while, so their latest rows crowd the older part of the log. Parts of as many rows each
/// left one of two threads reading three quarters of the 1M book's log (55 ms of reads
/// against the other's 17).
fn balanced_parts(order: &[(usize, usize)], n: usize) -> Vec<&[(usize, usize)]> {
    let Some(&(first, _)) = order.first() else {
        return Vec::new();
    };
    // The work up to row j, growing with j.
    let work = |j: usize, offset: usize| offset - first + j * ROW_COST;
    let last = order.len() - 1;
    let share = work(last, order[last].0) / n.max(1);
    let mut parts = Vec::with_capacity(n);
    let (mut from, mut k) = (0, 1);
    for (j, &(offset, _)) in order.iter().enumerate() {
        if k < n && work(j, offset) >= share * k {
            if j > from {
                parts.push(&order[from..j]);
                from = j;
            }
            k += 1;
        }
    }
    parts.push(&order[from..]);
    parts
}

/// The notes of the rows at `order` (offset, position; sorted) of a UTF-8 log, read a block
/// at a time.
fn read_part(path: &Path, bom: usize, order: &[(usize, usize)], note: usize) -> Result<Found> {
    let io = |e| Error::io(path, e);
    let mut file = File::open(path).map_err(io)?;
    let len = file
        .metadata()
        .map_err(io)?
        .len()
        .saturating_sub(bom as u64);
    // Read into a buffer that only grows (zeroed once, not on every read); `filled` bytes
    // of it hold the log's text from `at` on.
    let mut buf: Vec<u8> = Vec::new();
    let (mut at, mut filled): (u64, usize) = (0, 0);
    let mut out = Found {
        notes: Vec::with_capacity(order.len()),
        ..Found::default()
    };
    let mut splitter = Splitter::new(b',');
    for (j, &(offset, i)) in order.iter().enumerate() {
        let offset = offset as u64;
        let mut want = 0;
        let mut grown = false;
        loop {
            let covered = at <= offset && offset < at + filled as u64;
            if !covered || grown {
                if offset >= len {
                    break;
                }
                if !grown {
                    want = reach(&order[j..]);
                }
                let n = (want as u64).min(len - offset) as usize;
                if buf.len() < n {
                    buf.resize(n, 0);
                }
                file.seek(SeekFrom::Start(bom as u64 + offset))
                    .and_then(|_| file.read_exact(&mut buf[..n]))
                    .map_err(io)?;
                (at, filled) = (offset, n);
            }
            let rest = &buf[(offset - at) as usize..filled];
            let eof = at + filled as u64 == len;
            match note_of(&mut splitter, rest, eof, (note, i), &mut out) {
                Some(()) => break,
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

/// How many bytes to read from the first row of `order` on: enough to hold it and the rows
/// close after it (each within a window of the one before), within the bounds above. Close
/// rows are read in one go, rows far apart one by one.
fn reach(order: &[(usize, usize)]) -> usize {
    let Some(&(offset, _)) = order.first() else {
        return WINDOW;
    };
    let mut ahead = offset;
    for &(next, _) in &order[1..] {
        if next - ahead > WINDOW || next - offset > SPAN {
            break;
        }
        ahead = next;
    }
    (ahead - offset + WINDOW).clamp(WINDOW, BLOCK)
}

/// Adds to `found` the note cell of the record `bytes` starts with, trimmed, as row `i`'s
/// (nothing when the record has no such cell, an empty one, or it is not text); None when
/// the record does not end within `bytes` (and `bytes` is not the end of the log).
/// `splitter` is between records, and is left so.
fn note_of(
    splitter: &mut Splitter,
    bytes: &[u8],
    eof: bool,
    (note, i): (usize, usize),
    found: &mut Found,
) -> Option<()> {
    match splitter.next(bytes, eof) {
        // Only the note cell is checked for UTF-8: a row the fold could not read is no
        // customer's latest, so its other cells were checked already.
        Step::Record(record, _) => {
            let cell = record.field(note).and_then(|c| std::str::from_utf8(c).ok());
            match cell.map(trim) {
                Some(text) if !text.is_empty() => found.push(i, text),
                _ => {}
            }
            Some(())
        }
        Step::NeedMore(_) => {
            // Inside a quoted record it holds part of it now: a fresh one for the next
            // try (building one costs more than a row, so only then).
            if splitter.in_record() {
                *splitter = Splitter::new(b',');
            }
            None
        }
        Step::End => Some(()),
    }
}

/// One customer's rows of the log as written (date, kind, amount, note; trimmed), in log
/// order: what `show` lists. The whole log is read (one customer's rows are anywhere in it),
/// a megabyte at a time and only the id of each row looked at before it is taken; a missing
/// log has none. A row too short to name a customer is skipped, as the fold reports it, and
/// so is one that is not text (the fold skipped it, and `check` lists it): another
/// customer's bad byte does not stop the page.
pub fn rows_of(
    path: &Path,
    forced: Option<&'static encoding_rs::Encoding>,
    id: &str,
) -> Result<Vec<[String; 4]>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let path = &*super::readable(path)?;
    let (enc, header) = read_header(path, forced)?;
    let Some((cols, data_start)) = header else {
        return Ok(Vec::new());
    };
    let id = trim(id);
    let mut out = Vec::new();
    let take = |record: &Record<'_>| {
        let named = record
            .field(cols.id)
            .and_then(|c| std::str::from_utf8(c).ok());
        if named.map(trim) != Some(id) {
            return;
        }
        let Ok(text) = record.text() else {
            return;
        };
        let cell = |i: Option<usize>| i.and_then(|i| text.get(i)).map_or("", trim).to_string();
        out.push([
            cell(Some(cols.date)),
            cell(Some(cols.kind)),
            cell(cols.amount),
            cell(cols.note),
        ]);
    };
    let io = |e| Error::io(path, e);
    if enc.encoding == encoding_rs::UTF_8 {
        let bom = enc.bom_len();
        let mut file = File::open(path).map_err(io)?;
        file.seek(SeekFrom::Start((bom + data_start) as u64))
            .map_err(io)?;
        for_each_record(file, b',', BLOCK, take).map_err(io)?;
    } else {
        // Another encoding is decoded whole, as the fold decoded it (such logs are kept by
        // hand, small).
        let text = Streamed::read(path, enc)?.text;
        let data = text.as_bytes().get(data_start..).unwrap_or_default();
        for_each_record(data, b',', BLOCK, take).map_err(io)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// Each row's note from the part that found it, whatever the order of the parts and
    /// with an empty part between them; no note for a row no part found.
    #[test]
    fn notes_of_parts_keep_their_rows() {
        let part = |found: &[(usize, &str)]| {
            let mut part = Found::default();
            for &(i, note) in found {
                part.push(i, note);
            }
            part
        };
        let notes = Notes::of_parts(
            vec![
                part(&[(3, "报价"), (0, "call back")]),
                part(&[]),
                part(&[(1, "x")]),
                part(&[(4, "sent catalogue")]),
            ],
            6,
        );
        let got: Vec<Option<&str>> = (0..7).map(|i| notes.get(i)).collect();
        assert_eq!(
            got,
            [
                Some("call back"),
                Some("x"),
                None,
                Some("报价"),
                Some("sent catalogue"),
                None,
                None
            ]
        );
        assert_eq!(Notes::default().get(0), None);
    }

    /// Parts of equal work: a row costs `ROW_COST` (512) bytes of reading. Four rows close
    /// together and one 100 kB on: the work up to each row is 0, 10 + 512 = 522, 1044, 1566
    /// and 100 000 + 4 × 512 = 102 048; half of it, 51 024, is first reached at the fifth
    /// row, so the four close rows are one part and the far row the other (as many rows
    /// each would have cut after the third). Ten rows 1000 bytes apart: row j's work is
    /// 1512 j, half of 13 608 is 6804, first reached at j = 5: five and five. One row, or
    /// more threads than rows, gives no empty part.
    #[test]
    fn parts_share_the_reading_and_the_rows() {
        let rows = |offsets: &[usize]| -> Vec<(usize, usize)> {
            offsets.iter().enumerate().map(|(i, &o)| (o, i)).collect()
        };
        let lens = |order: &[(usize, usize)], n: usize| -> Vec<usize> {
            balanced_parts(order, n).iter().map(|p| p.len()).collect()
        };
        assert_eq!(lens(&rows(&[0, 10, 20, 30, 100_000]), 2), [4, 1]);
        let even: Vec<usize> = (0..10).map(|j| j * 1000).collect();
        assert_eq!(lens(&rows(&even), 2), [5, 5]);
        assert_eq!(lens(&rows(&even), 1), [10]);
        assert_eq!(lens(&rows(&[7]), 2), [1]);
        assert_eq!(lens(&rows(&[7, 8]), 4), [1, 1]);
        assert_eq!(lens(&[], 2), Vec::<usize>::new());
        // The parts are the rows in order, each once.
        let order = rows(&even);
        assert_eq!(balanced_parts(&order, 3).concat(), order);
    }

    /// One customer's rows as written, trimmed, in log order: after a byte-order mark, a
    /// quoted note with a comma and a line break, a blank line and a row too short to name
    /// anyone; another customer's rows and a row of its own that is not text left out. The
    /// same log in GBK gives the same rows.
    #[test]
    fn a_customers_rows_as_written() {
        let log = "date,customer_id,kind,amount,note\n\
                   2026-11-01, c1 ,call,,  first  \n\
                   2026-11-02,c2,call,,other\n\
                   \n\
                   2026-11-03\n\
                   2026-11-04,c1,order,12.50,\"报价, 第二次\n已确认\"\n\
                   2026-11-05,c1,visit\n";
        let want = vec![
            ["2026-11-01", "call", "", "first"].map(String::from),
            ["2026-11-04", "order", "12.50", "报价, 第二次\n已确认"].map(String::from),
            ["2026-11-05", "visit", "", ""].map(String::from),
        ];
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("activities.csv");
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(log.as_bytes());
        bytes.extend_from_slice(b"2026-11-06,c1,call,,\xff\n");
        std::fs::write(&path, &bytes).expect("write");
        assert_eq!(rows_of(&path, None, "c1").expect("rows"), want);
        let gbk = encoding_rs::GBK.encode(log).0;
        std::fs::write(&path, &gbk).expect("write");
        assert_eq!(
            rows_of(&path, Some(encoding_rs::GBK), "c1").expect("rows"),
            want
        );
        assert_eq!(
            rows_of(&path, Some(encoding_rs::GBK), "c9")
                .expect("rows")
                .len(),
            0
        );
    }

    /// Rows longer than a read (a plain note and a quoted one with line breaks, each longer
    /// than the window read around a row) are read whole; rows around them keep their own
    /// notes. The rows are asked for out of log order, one twice, with a row of no note.
    #[test]
    fn rows_longer_than_a_read_are_read_whole() {
        let plain = "p".repeat(3 * WINDOW);
        let quoted = format!("line one, \"said\"\n{}\nend", "q".repeat(3 * WINDOW));
        let rows = [
            "2026-11-01,c1,call,,first\n".to_string(),
            format!("2026-11-02,c2,call,,{plain}\n"),
            format!("2026-11-03,c3,call,,\"{}\"\n", quoted.replace('"', "\"\"")),
            "2026-11-04,c4,call,,\n".to_string(),
            "2026-11-05,c5,call,,  last  ".to_string(),
        ];
        let header = "date,customer_id,kind,amount,note\n";
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("activities.csv");
        std::fs::write(&path, format!("{header}{}", rows.concat())).expect("write");
        // Each row's offset in the text.
        let mut offsets = Vec::new();
        let mut at = header.len();
        for row in &rows {
            offsets.push(at);
            at += row.len();
        }
        let day = NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
        let key = |k: usize| RowKey::new(day, offsets[k]);
        let asked = [
            key(4),
            key(2),
            RowKey::default(),
            key(1),
            key(0),
            key(3),
            key(2),
        ];
        let notes = notes(&path, None, &asked).expect("notes");
        let got: Vec<Option<&str>> = (0..asked.len()).map(|i| notes.get(i)).collect();
        assert_eq!(
            got,
            [
                Some("last"),
                Some(quoted.as_str()),
                None,
                Some(plain.as_str()),
                Some("first"),
                None,
                Some(quoted.as_str()),
            ]
        );
    }
}
