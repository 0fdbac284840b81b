//! The activity log (`date,customer_id,kind,amount,note`): streamed once and folded into
//! per-customer derived fields, so memory grows with customers, not with log rows.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::csv_book::{raw_fields, record_start};
use super::encoding::{self, TextEncoding};
use super::{Book, read_text};

mod scan;

use crate::error::{Diagnostic, Error, Result};
use crate::model::value::Cents;
use crate::model::{ActivityKind, Customer, earlier, later};
use scan::{Acc, Columns, Pending, order_of};

/// The log's columns, in the order a new log is written.
pub const HEADER: [&str; 5] = ["date", "customer_id", "kind", "amount", "note"];

/// What folding the log found besides the derived fields.
#[derive(Debug, Default)]
pub struct LogSummary {
    /// Data rows read (rows after today included).
    pub rows: u64,
    /// Rows dated after today, left out of the derived fields.
    pub future_rows: u64,
    pub encoding: Option<TextEncoding>,
    /// The stage and grade changes asked for (see [`fold_with_changes`]), by date, then
    /// customer id, then line.
    pub changes: Vec<ChangeRow>,
}

/// Reads the first bytes to decide the encoding, then hands out the whole stream as UTF-8.
fn open_utf8(
    path: &Path,
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<(Box<dyn Read>, TextEncoding)> {
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut head = vec![0u8; 64 * 1024];
    let mut filled = 0;
    while filled < head.len() {
        let n = file
            .read(&mut head[filled..])
            .map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    head.truncate(filled);
    let enc = encoding::sniff(&head, forced);
    let bom_len = if enc.bom { bom_length(enc.encoding) } else { 0 };
    let utf8 = enc.encoding == encoding_rs::UTF_8;
    let head = io::Cursor::new(head[bom_len.min(filled)..].to_vec());
    let stream: Box<dyn Read> = if utf8 {
        Box::new(head.chain(file))
    } else {
        Box::new(Decoding::new(head.chain(file), enc.encoding))
    };
    Ok((stream, enc))
}

fn bom_length(enc: &'static encoding_rs::Encoding) -> usize {
    if enc == encoding_rs::UTF_8 { 3 } else { 2 }
}

/// A reader that decodes another encoding to UTF-8, failing on malformed input.
struct Decoding<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    out_pos: usize,
    done: bool,
}

impl<R: Read> Decoding<R> {
    fn new(inner: R, enc: &'static encoding_rs::Encoding) -> Self {
        Decoding {
            inner,
            decoder: enc.new_decoder_without_bom_handling(),
            input: Vec::new(),
            output: Vec::new(),
            out_pos: 0,
            done: false,
        }
    }
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.output.len() && !self.done {
            let mut chunk = [0u8; 64 * 1024];
            let n = self.inner.read(&mut chunk)?;
            self.input.extend_from_slice(&chunk[..n]);
            let last = n == 0;
            self.output.clear();
            self.out_pos = 0;
            self.output.resize(
                self.decoder
                    .max_utf8_buffer_length_without_replacement(self.input.len())
                    .unwrap_or(self.input.len() * 3 + 16),
                0,
            );
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input,
                &mut self.output,
                last,
            );
            self.output.truncate(written);
            self.input.drain(..read);
            if let encoding_rs::DecoderResult::Malformed(..) = result {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("not valid {}", self.decoder.encoding().name()),
                ));
            }
            self.done = last;
        }
        let n = buf.len().min(self.output.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.output[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

fn columns(header: &csv::ByteRecord) -> Option<Columns> {
    let find = |names: &[&str]| {
        header.iter().position(|h| {
            let h = String::from_utf8_lossy(h).trim().to_lowercase();
            names.iter().any(|n| *n == h)
        })
    };
    Some(Columns {
        date: find(&["date", "日期", "时间"])?,
        id: find(&[
            "customer_id",
            "id",
            "customer",
            "客户编号",
            "编号",
            "客户id",
        ])?,
        kind: find(&["kind", "type", "类型", "动作", "活动"])?,
        amount: find(&["amount", "金额"]),
        note: find(&["note", "备注", "说明"]),
    })
}

/// Streams the log at `path` into `book`'s derived fields. A missing log is an empty one.
/// Errors (bad dates, kinds, amounts) and warnings (unknown customers) go to `problems`.
/// A plain UTF-8 log is read in one chunk per core.
pub fn fold(
    path: &Path,
    book: &mut Book,
    today: NaiveDate,
    forced: Option<&'static encoding_rs::Encoding>,
    problems: &mut Vec<Diagnostic>,
) -> Result<LogSummary> {
    fold_with_changes(path, book, (today, None), forced, problems)
}

/// [`fold`], which also keeps the stage and grade changes from `since` (when given) to
/// `today` in the summary's `changes`, in the same pass.
pub fn fold_with_changes(
    path: &Path,
    book: &mut Book,
    (today, since): (NaiveDate, Option<NaiveDate>),
    forced: Option<&'static encoding_rs::Encoding>,
    problems: &mut Vec<Diagnostic>,
) -> Result<LogSummary> {
    let threads = super::threads();
    let split = Split {
        threads,
        parallel_from: PARALLEL_FROM,
        block: scan::BLOCK,
        quick: true,
    };
    fold_in(path, book, (today, since), forced, problems, split)
}

/// How a fold reads the log: in how many chunks, from what size on, how many bytes at a
/// time (tests make these small to reach every boundary).
#[derive(Clone, Copy, Debug)]
struct Split {
    threads: usize,
    parallel_from: usize,
    block: usize,
    /// Whether plain lines take the quick path (tests compare it with the splitter's).
    quick: bool,
}

/// [`fold`], split as given.
fn fold_in(
    path: &Path,
    book: &mut Book,
    (today, since): (NaiveDate, Option<NaiveDate>),
    forced: Option<&'static encoding_rs::Encoding>,
    problems: &mut Vec<Diagnostic>,
    split: Split,
) -> Result<LogSummary> {
    let Split {
        threads,
        parallel_from,
        block,
        quick,
    } = split;
    if !path.exists() {
        return Ok(LogSummary::default());
    }
    let (stream, enc) = open_utf8(path, forced)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(stream);
    let mut record = csv::ByteRecord::new();
    let header = loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) if record.iter().all(<[u8]>::is_empty) => continue,
            Ok(true) => break record.clone(),
            Ok(false) => {
                return Ok(LogSummary {
                    encoding: Some(enc),
                    ..LogSummary::default()
                });
            }
            Err(e) => return Err(csv_error(e, path, forced)),
        }
    };
    let Some(cols) = columns(&header) else {
        return Err(Diagnostic::file(
            path,
            1,
            format!(
                "the activity log's header must name the columns {}",
                HEADER.join(",")
            ),
        )
        .into());
    };
    // Where the data starts, in the log's text (after any BOM).
    let data_start = rdr.position().byte() as usize;
    let bom = if enc.bom { bom_length(enc.encoding) } else { 0 };
    let len = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len() as usize;

    let started = std::time::Instant::now();
    let index = book.index();
    let customers = book.customers.len();
    let sequential = || -> Result<scan::Part> {
        let (mut stream, _) = open_utf8(path, forced)?;
        io::copy(&mut (&mut stream).take(data_start as u64), &mut io::sink())
            .map_err(|e| read_error(e, path, forced))?;
        let (part, _) = scan::scan(
            stream,
            &cols,
            &index,
            (customers, today, since),
            (data_start, usize::MAX),
            (block, quick),
        )
        .map_err(|e| read_error(e, path, forced))?;
        Ok(part)
    };
    let mut part = if enc.encoding == encoding_rs::UTF_8 && threads > 1 && len > parallel_from {
        // Chunks start at line starts guessed to be outside quotes; the guess holds when
        // each chunk's reader, which starts right, stops exactly at the next chunk's start.
        let bounds = chunk_bounds(path, bom + data_start, len, threads)?;
        let chunks: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
        let parts =
            crate::parallel::on_threads(chunks, |(from, to)| -> Result<(scan::Part, bool)> {
                let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
                io::Seek::seek(&mut file, io::SeekFrom::Start(from as u64))
                    .map_err(|e| Error::io(path, e))?;
                let last = to == len;
                let stop = if last { usize::MAX } else { to - bom };
                let (part, end) = scan::scan(
                    file,
                    &cols,
                    &index,
                    (customers, today, since),
                    (from - bom, stop),
                    (block, quick),
                )
                .map_err(|e| read_error(e, path, forced))?;
                Ok((part, last || end == to - bom))
            });
        let mut merged: Option<scan::Part> = None;
        let mut fits = true;
        for p in parts {
            let (part, fit) = p?;
            fits &= fit;
            match merged.as_mut() {
                None => merged = Some(part),
                Some(m) => m.merge(part),
            }
        }
        match merged {
            Some(part) if fits => part,
            // A quoted note spans a chunk start: read the log in one pass.
            _ => sequential()?,
        }
    } else {
        sequential()?
    };

    // By date, then customer id, then where in the log.
    let mut changes = std::mem::take(&mut part.changes);
    changes.sort_by(|(a, x), (b, y)| (x.date, &x.customer_id, a).cmp(&(y.date, &y.customer_id, b)));
    let summary = LogSummary {
        rows: part.rows,
        future_rows: part.future_rows,
        encoding: Some(enc),
        changes: changes.into_iter().map(|(_, c)| c).collect(),
    };
    let (mut pending, dropped) = (std::mem::take(&mut { part.pending }), part.dropped);
    // In line order: within a batch, unknown ids are found after the batch's other problems,
    // and chunks finish in any order.
    pending.sort_by_key(|p| p.offset);
    crate::cmd::timing("fold log: scan and merge", started);
    let started = std::time::Instant::now();
    apply(book, &part.totals, &part.orders, today);
    crate::cmd::timing("fold log: apply", started);
    if !pending.is_empty() {
        locate(path, enc, &pending, problems)?;
        if dropped.0 > 0 {
            problems.push(Diagnostic::file(
                path,
                0,
                format!("{} more rows with errors not shown", dropped.0),
            ));
        }
        if dropped.1 > 0 {
            problems.push(
                Diagnostic::file(
                    path,
                    0,
                    format!("{} more rows name unknown customers", dropped.1),
                )
                .warning(),
            );
        }
    }
    Ok(summary)
}

/// Logs smaller than this are read on one core: threads would cost more than they save.
const PARALLEL_FROM: usize = 16 << 20;

/// Byte offsets in the file that split the records from `start` to `len` into up to `n`
/// chunks, each the start of a line (after any blank lines). A line start may still lie
/// inside a quoted field (a note may hold line breaks); the fold checks each guess.
fn chunk_bounds(path: &Path, start: usize, len: usize, n: usize) -> Result<Vec<usize>> {
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bounds = vec![start];
    let mut buf = vec![0u8; 64 * 1024];
    for k in 1..n {
        let mut at = (start + (len - start) * k / n).max(*bounds.last().unwrap_or(&start));
        io::Seek::seek(&mut file, io::SeekFrom::Start(at as u64))
            .map_err(|e| Error::io(path, e))?;
        // Past the next line end, then past any blank lines.
        let mut seen_line_end = false;
        let found = loop {
            let got = file.read(&mut buf).map_err(|e| Error::io(path, e))?;
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

/// An error while streaming: bytes the decoder refused are located in the whole file.
fn read_error(e: io::Error, path: &Path, forced: Option<&'static encoding_rs::Encoding>) -> Error {
    if e.kind() == io::ErrorKind::InvalidData {
        undecodable(path, forced)
    } else {
        Error::io(path, e)
    }
}

/// A csv error while streaming: bytes the decoder refused are located in the whole file.
fn csv_error(e: csv::Error, path: &Path, forced: Option<&'static encoding_rs::Encoding>) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::InvalidData => {
            undecodable(path, forced)
        }
        csv::ErrorKind::Io(io) => Error::io(path, io),
        other => Error::Usage(format!(
            "{}: cannot read CSV: {other:?}",
            crate::error::display_path(path)
        )),
    }
}

fn undecodable(path: &Path, forced: Option<&'static encoding_rs::Encoding>) -> Error {
    // Decode the whole file once more to name the bad byte's position.
    match read_text(path, forced) {
        Err(e) => e,
        Ok(_) => Diagnostic::file(path, 0, "cannot decode the file").into(),
    }
}

/// Turns pending problems into diagnostics with line, column and snippet, in the text the
/// fold read (see [`Streamed`]).
fn locate(
    path: &Path,
    enc: TextEncoding,
    pending: &[Pending],
    problems: &mut Vec<Diagnostic>,
) -> Result<()> {
    let streamed = Streamed::read(path, enc)?;
    let text = &streamed.text;
    for p in pending {
        let start = record_start(text, streamed.at(p.offset));
        let end = text[start..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| start + i);
        let raw = raw_fields(&text[start..end], b',');
        let span = raw.get(p.field).cloned().unwrap_or(0..0);
        let d = Diagnostic::at(
            path,
            text,
            start + span.start,
            span.len(),
            p.message.clone(),
        );
        problems.push(if p.warning { d.warning() } else { d });
    }
    Ok(())
}

/// The log's text as the fold streamed it: the bytes after any BOM, decoded as the fold
/// decoded them (decoding the file afresh could guess another encoding for the whole of it,
/// whose text the fold's offsets do not fit).
struct Streamed {
    text: String,
    /// Where the bytes that are not UTF-8 were, in a log read as UTF-8 (their rows are
    /// problems), ascending: each reads as U+FFFD, two bytes longer than itself.
    invalid: Vec<usize>,
}

impl Streamed {
    fn read(path: &Path, enc: TextEncoding) -> Result<Streamed> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let bom = if enc.bom { bom_length(enc.encoding) } else { 0 };
        let bytes = &bytes[bom.min(bytes.len())..];
        if enc.encoding != encoding_rs::UTF_8 {
            // The fold decoded all of it without an error, or it would have stopped.
            let text = enc
                .encoding
                .decode_without_bom_handling(bytes)
                .0
                .into_owned();
            return Ok(Streamed {
                text,
                invalid: Vec::new(),
            });
        }
        let (mut text, mut invalid) = (String::with_capacity(bytes.len()), Vec::new());
        let mut at = 0;
        for chunk in bytes.utf8_chunks() {
            text.push_str(chunk.valid());
            at += chunk.valid().len();
            for _ in chunk.invalid() {
                text.push(char::REPLACEMENT_CHARACTER);
                invalid.push(at);
                at += 1;
            }
        }
        Ok(Streamed { text, invalid })
    }

    /// Where the byte at `offset` of what the fold read is in the text.
    fn at(&self, offset: usize) -> usize {
        offset + 2 * self.invalid.partition_point(|&i| i < offset)
    }
}

/// Combines the log's totals (one run per chunk of the log, merged here) with the book:
/// dates by the later (first order by the earlier), counters from the log alone; the order
/// figures from the orders, 12-month ones counted back from `today`. A part of the book per
/// thread.
fn apply(book: &mut Book, totals: &[Vec<Acc>], orders: &[Vec<scan::Order>], today: NaiveDate) {
    crate::parallel::for_chunks_mut(&mut book.customers, |start, customers| {
        apply_part(start, customers, totals, orders, today)
    });
}

/// One customer's orders, added up as the merged runs pass by.
#[derive(Default)]
struct OrderFigures {
    count: u32,
    total: Cents,
    total_12m: Cents,
    /// Bit k: an order in the month k months before today's month.
    months: u16,
    /// The distinct days, ascending: the first, the last, and the gaps between them.
    days: Vec<i64>,
}

/// The days (as [`order_of`] gives them) the 12-month figures are counted from.
struct Window {
    /// An order counts towards the 12-month total after this day.
    year_ago: i64,
    /// ... and towards the months with orders from this day, the first of the month eleven
    /// months back.
    months_from: i64,
    today_month: i32,
}

impl Window {
    fn new(today: NaiveDate) -> Window {
        let day = |d: NaiveDate| i64::from(d.num_days_from_ce());
        Window {
            year_ago: day(today - chrono::Days::new(365)),
            months_from: today
                .with_day(1)
                .and_then(|d| d.checked_sub_months(chrono::Months::new(11)))
                .map_or(i64::MIN, day),
            today_month: today.year() * 12 + today.month0() as i32,
        }
    }
}

/// The date of a day as [`order_of`] gives it.
fn date_of(day: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(day).ok()?)
}

impl OrderFigures {
    /// Adds one order (a day with two is one day of the rhythm).
    fn add(&mut self, day: i64, amount: Cents, w: &Window) {
        self.count += 1;
        self.total = self.total.saturating_add(amount);
        if day > w.year_ago {
            self.total_12m = self.total_12m.saturating_add(amount);
        }
        if day >= w.months_from
            && let Some(d) = date_of(day)
        {
            let back = w.today_month - (d.year() * 12 + d.month0() as i32);
            if (0..12).contains(&back) {
                self.months |= 1 << back;
            }
        }
        if self.days.last() != Some(&day) {
            self.days.push(day);
        }
    }

    /// Sets the customer's order fields from these figures: the counts and totals, the
    /// first and last order (against the book's dates), the rhythm. `gaps` is room to work
    /// in.
    fn set(&self, c: &mut Customer, gaps: &mut Vec<u32>) {
        c.order_count = self.count;
        c.order_total = self.total;
        c.order_total_12m = self.total_12m;
        c.months_with_orders = self.months.count_ones() as u8;
        c.first_order = earlier(c.first_order, self.days.first().and_then(|&d| date_of(d)));
        c.last_order = later(c.last_order, self.days.last().and_then(|&d| date_of(d)));
        if self.days.len() > 1 {
            gaps.clear();
            gaps.extend(self.days.windows(2).map(|w| (w[1] - w[0]) as u32));
            c.order_interval_days = Some(median(gaps));
        }
    }

    /// Empties the figures for the next customer, keeping the room the days took.
    fn clear(&mut self) {
        self.count = 0;
        self.total = 0;
        self.total_12m = 0;
        self.months = 0;
        self.days.clear();
    }
}

/// [`apply`] to the customers from position `start` on.
fn apply_part(
    start: usize,
    customers: &mut [Customer],
    totals: &[Vec<Acc>],
    orders: &[Vec<scan::Order>],
    today: NaiveDate,
) {
    for (i, c) in customers.iter_mut().enumerate() {
        let mut a = Acc::default();
        for run in totals {
            a.merge(&run[start + i]);
        }
        c.last_contact = later(c.last_contact, a.last_touch);
        c.sample_requested = later(c.sample_requested, a.sample_requested);
        c.sample_received = later(c.sample_received, a.sample_received);
        c.complaint_count = a.complaint_count;
        c.contact_count = a.contact_count;
    }
    let window = Window::new(today);
    // Each scan's orders come sorted by customer and day: the part's customers' orders are
    // a slice of each run, and the slices are merged here, a customer at a time.
    let end = start + customers.len();
    let orders: Vec<&[scan::Order]> = orders
        .iter()
        .map(|run| {
            let from = run.partition_point(|&(key, _)| order_of(key).0 < start);
            let to = run.partition_point(|&(key, _)| order_of(key).0 < end);
            &run[from..to]
        })
        .collect();
    let mut heads = vec![0usize; orders.len()];
    let next = |heads: &[usize]| {
        (0..orders.len())
            .filter_map(|k| orders[k].get(heads[k]).map(|&order| (order, k)))
            .min()
    };
    // The order fields are the log's alone: a book never holds them (`set_field` leaves
    // them), so a customer without orders keeps its zeros.
    let (mut figures, mut gaps, mut current) = (OrderFigures::default(), Vec::new(), None);
    loop {
        let head = next(&heads);
        let customer = head.map(|((key, _), _)| order_of(key).0);
        if customer != current {
            if let Some(i) = current {
                figures.set(&mut customers[i - start], &mut gaps);
            }
            figures.clear();
            current = customer;
        }
        let Some(((key, amount), k)) = head else {
            break;
        };
        heads[k] += 1;
        figures.add(order_of(key).1, amount, &window);
    }
}

/// The median of the gaps; for an even count, the mean of the two middle ones, rounded down.
pub fn median(values: &mut [u32]) -> u32 {
    values.sort_unstable();
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2
    }
}

/// One stage or grade change recorded in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeRow {
    pub date: NaiveDate,
    pub customer_id: String,
    pub kind: ActivityKind,
    pub note: String,
}

#[cfg(test)]
mod tests;
