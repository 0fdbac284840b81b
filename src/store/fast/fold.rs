//! The log fold's driver: a plain UTF-8 log large enough is cut into one chunk per core,
//! each chunk scanned on a thread of its own ([`super::scan`]), and the chunks' findings
//! joined into one [`Folded`]; any other log is scanned in one pass.

use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::Path;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::index::IdIndex;
use super::scan::{self, CustomerTotals, Findings, LogColumns, RowProblem, Unclosed, order_of};
use crate::model::Cents;
use crate::model::ChangeRow;

/// How a fold reads the log: in how many chunks, from what size on, how many bytes at a
/// time, and whether plain lines take the quick path (tests vary each to reach every
/// boundary, and compare the quick path with the splitter's).
#[derive(Clone, Copy, Debug)]
pub struct Split {
    pub threads: usize,
    pub parallel_from: usize,
    pub block: usize,
    pub quick: bool,
}

/// Logs smaller than this are read on one core: threads would cost more than they save.
const PARALLEL_FROM: usize = 16 << 20;

impl Split {
    /// One chunk per thread from 16 MB on, a megabyte read at a time, the quick path on.
    pub fn for_this_machine() -> Split {
        Split {
            threads: crate::parallel::threads(),
            parallel_from: PARALLEL_FROM,
            block: scan::BLOCK,
            quick: true,
        }
    }
}

/// Where a log's data lies in its file.
#[derive(Clone, Copy, Debug)]
pub struct LogFile<'a> {
    pub path: &'a Path,
    /// Whether the file is UTF-8 as it stands (no decoding): only then can a chunk start at
    /// any byte of it.
    pub utf8: bool,
    /// The length of its byte-order mark (0 without one).
    pub bom: usize,
    /// Where the data starts after the header, in the text after the mark.
    pub data_start: usize,
    /// The file's length in bytes.
    pub len: usize,
}

/// One order as the fold found it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Order {
    /// The customer's position in the book.
    pub customer: usize,
    /// The order's date as days from the common era (`NaiveDate::num_days_from_ce`).
    pub day: i64,
    pub amount: Cents,
}

/// What folding a log found.
#[derive(Debug, Default, PartialEq)]
pub struct Folded {
    /// Each customer's totals, by position in the book.
    pub totals: Vec<CustomerTotals>,
    /// Every order, by customer, then day, then amount.
    pub orders: Vec<Order>,
    /// Problems with their rows' offsets in the log's text, in log order: at most
    /// [`scan::MAX_KEPT`], the rest counted in `dropped`.
    pub problems: Vec<RowProblem>,
    /// Errors and warnings past those kept, only counted.
    pub dropped: (u64, u64),
    /// Data rows read (rows after today included).
    pub rows: u64,
    /// Rows dated after today, left out of the totals.
    pub future_rows: u64,
    /// The stage and grade changes asked for, with their rows' offsets, in log order.
    pub changes: Vec<(usize, ChangeRow)>,
    /// A quote the end of the log leaves open: its row is not folded.
    pub unclosed: Option<Unclosed>,
}

/// Folds the log into the totals of `customers` customers found through `index`:
/// `sequential` hands out the log's text (decoded, after its mark) from the start of its
/// data, for a log read in one pass. An error is the reader's (an `InvalidData` one: bytes
/// the decoder refused).
pub fn fold(
    log: LogFile<'_>,
    sequential: &dyn Fn() -> io::Result<Box<dyn Read>>,
    cols: &LogColumns,
    index: &IdIndex<'_>,
    (customers, today, since): (usize, NaiveDate, Option<NaiveDate>),
    split: Split,
) -> io::Result<Folded> {
    let scan_one_pass = || -> io::Result<Findings> {
        let (findings, _) = scan::scan(
            sequential()?,
            cols,
            index,
            (customers, today, since),
            (log.data_start, usize::MAX),
            (split.block, split.quick),
        )?;
        Ok(findings)
    };
    let findings = if log.utf8 && split.threads > 1 && log.len > split.parallel_from {
        match in_chunks(log, cols, index, (customers, today, since), split)? {
            Some(findings) => findings,
            // A quoted note spans a chunk's start: read the log in one pass.
            None => scan_one_pass()?,
        }
    } else {
        scan_one_pass()?
    };
    Ok(join(findings, customers))
}

/// The log scanned a chunk per thread; None when a chunk's start turned out to lie inside a
/// quoted field. Chunks start at line starts guessed to be outside quotes; the guess holds
/// when each chunk's scan, which starts right, stops exactly at the next chunk's start.
fn in_chunks(
    log: LogFile<'_>,
    cols: &LogColumns,
    index: &IdIndex<'_>,
    figures: (usize, NaiveDate, Option<NaiveDate>),
    split: Split,
) -> io::Result<Option<Findings>> {
    let bom = log.bom;
    let bounds = chunk_bounds(log.path, bom + log.data_start, log.len, split.threads)?;
    let chunks: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    let scanned: Vec<io::Result<(Findings, bool)>> = chunks
        .into_par_iter()
        .map(|(from, to)| {
            let mut file = File::open(log.path)?;
            file.seek(io::SeekFrom::Start(from as u64))?;
            let last = to == log.len;
            let stop = if last { usize::MAX } else { to - bom };
            let (findings, end) = scan::scan(
                file,
                cols,
                index,
                figures,
                (from - bom, stop),
                (split.block, split.quick),
            )?;
            Ok((findings, last || end == to - bom))
        })
        .collect();
    let mut joined: Option<Findings> = None;
    for result in scanned {
        let (findings, fits) = result?;
        if !fits {
            return Ok(None);
        }
        match joined.as_mut() {
            None => joined = Some(findings),
            Some(j) => j.merge(findings),
        }
    }
    Ok(joined)
}

/// Byte offsets in the file that split the records from `start` to `len` into up to `n`
/// chunks, each the start of a line (after any blank lines). A line start may still lie
/// inside a quoted field (a note may hold line breaks); [`in_chunks`] checks each guess.
pub(crate) fn chunk_bounds(
    path: &Path,
    start: usize,
    len: usize,
    n: usize,
) -> io::Result<Vec<usize>> {
    let mut file = File::open(path)?;
    let mut bounds = vec![start];
    let mut buf = vec![0u8; 64 * 1024];
    for k in 1..n {
        let mut at = (start + (len - start) * k / n).max(*bounds.last().unwrap_or(&start));
        file.seek(io::SeekFrom::Start(at as u64))?;
        // Past the next line end, then past any blank lines.
        let mut seen_line_end = false;
        let found = loop {
            let got = file.read(&mut buf)?;
            if got == 0 {
                break None;
            }
            let mut i = 0;
            if !seen_line_end {
                match memchr::memchr(b'\n', &buf[..got]) {
                    Some(nl) => {
                        seen_line_end = true;
                        i = nl + 1;
                    }
                    None => {
                        at += got;
                        continue;
                    }
                }
            }
            let blank = super::records::blank_run(&buf[i..got]);
            if i + blank < got {
                break Some(at + i + blank);
            }
            at += got;
        };
        match found {
            Some(b) if b < len && b > *bounds.last().unwrap_or(&start) => bounds.push(b),
            _ => break,
        }
    }
    bounds.push(len);
    Ok(bounds)
}

/// The findings of every chunk as one: each customer's totals merged over the chunks (a
/// part of the book per thread), the orders of every chunk in one sorted list, the problems
/// and changes in log order.
fn join(mut f: Findings, customers: usize) -> Folded {
    // Merged into the first chunk's run, in place.
    let mut runs = std::mem::take(&mut f.totals).into_iter();
    let mut totals = runs
        .next()
        .unwrap_or_else(|| vec![CustomerTotals::default(); customers]);
    let others: Vec<Vec<CustomerTotals>> = runs.collect();
    if !others.is_empty() {
        totals.par_iter_mut().enumerate().for_each(|(i, t)| {
            for run in &others {
                t.merge(&run[i]);
            }
        });
    }
    drop(others);
    let mut orders: Vec<Order> = std::mem::take(&mut f.orders)
        .into_iter()
        .flatten()
        .map(|(key, amount)| {
            let (customer, day) = order_of(key);
            Order {
                customer,
                day,
                amount,
            }
        })
        .collect();
    // Each chunk's orders came sorted: a sort of a few sorted runs is a merge.
    orders.par_sort();
    let mut problems = std::mem::take(&mut f.problems);
    // Chunks finish in any order, and within a batch unknown ids are found after the
    // batch's other problems.
    problems.sort_by_key(|p| p.offset);
    let mut changes = std::mem::take(&mut f.changes);
    changes.sort_by_key(|(offset, _)| *offset);
    Folded {
        totals,
        orders,
        problems,
        dropped: f.dropped,
        rows: f.rows,
        future_rows: f.future_rows,
        changes,
        unclosed: f.unclosed,
    }
}
