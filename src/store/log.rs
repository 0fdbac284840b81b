//! The activity log (`date,customer_id,kind,amount,note`): streamed once and folded into
//! per-customer derived fields, so memory grows with customers, not with log rows.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::csv_book::{raw_fields, record_start};
use super::encoding::{self, TextEncoding};
use super::{Book, read_text};
use crate::error::{Diagnostic, Error, Result};
use crate::model::value::{parse_amount, parse_date};
use crate::model::{ActivityKind, Cents, Enumeration, later};

/// The log's columns, in the order a new log is written.
pub const HEADER: [&str; 5] = ["date", "customer_id", "kind", "amount", "note"];

/// How many problems are kept with their positions; the rest are counted.
const MAX_KEPT: usize = 1000;

/// What folding the log found besides the derived fields.
#[derive(Debug, Default)]
pub struct LogSummary {
    /// Data rows read (rows after today included).
    pub rows: u64,
    /// Rows dated after today, left out of the derived fields.
    pub future_rows: u64,
    pub encoding: Option<TextEncoding>,
}

/// Per-customer running totals while the log streams by.
#[derive(Clone, Copy, Debug, Default)]
struct Acc {
    last_touch: Option<NaiveDate>,
    last_order: Option<NaiveDate>,
    first_order: Option<NaiveDate>,
    sample_requested: Option<NaiveDate>,
    sample_received: Option<NaiveDate>,
    order_count: u32,
    complaint_count: u32,
    contact_count: u32,
    order_total: Cents,
    order_total_12m: Cents,
    /// Bit k: an order in the month k months before today's month.
    months: u16,
}

/// How many parsed rows wait for their customers' totals to be fetched together.
const BATCH: usize = 64;

/// A log row parsed, waiting in a batch.
#[derive(Clone, Copy, Debug)]
struct Row {
    offset: usize,
    /// The id's key in the index, then the customer's position (usize::MAX: unknown).
    slot: usize,
    date: NaiveDate,
    kind: ActivityKind,
    amount: Cents,
    /// The id, kept (short ids only) to name it if it turns out unknown.
    id: IdBytes,
}

/// Up to 24 bytes of an id, inline: no allocation per row.
#[derive(Clone, Copy, Debug)]
struct IdBytes {
    len: u8,
    bytes: [u8; 24],
}

impl IdBytes {
    fn new(id: &[u8]) -> IdBytes {
        let len = id.len().min(24);
        let mut bytes = [0u8; 24];
        bytes[..len].copy_from_slice(&id[..len]);
        IdBytes {
            len: len as u8,
            bytes,
        }
    }

    fn as_slice(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// The dates the 12-month figures are counted from.
struct Window {
    year_ago: NaiveDate,
    today_month: i32,
}

impl Window {
    fn new(today: NaiveDate) -> Window {
        Window {
            year_ago: today - chrono::Days::new(365),
            today_month: today.year() * 12 + today.month0() as i32,
        }
    }
}

impl Acc {
    /// Folds one row into the customer's totals.
    fn add(&mut self, row: &Row, w: &Window, orders: &mut Vec<(u32, i32)>) {
        let date = row.date;
        if row.kind.is_touch() {
            self.last_touch = later(self.last_touch, Some(date));
            self.contact_count += 1;
        }
        match row.kind {
            ActivityKind::Order => {
                self.last_order = later(self.last_order, Some(date));
                self.first_order = Some(self.first_order.map_or(date, |f| f.min(date)));
                self.order_count += 1;
                self.order_total = self.order_total.saturating_add(row.amount);
                if date > w.year_ago {
                    self.order_total_12m = self.order_total_12m.saturating_add(row.amount);
                }
                let back = w.today_month - (date.year() * 12 + date.month0() as i32);
                if (0..12).contains(&back) {
                    self.months |= 1 << back;
                }
                orders.push((row.slot as u32, date.num_days_from_ce()));
            }
            ActivityKind::SampleRequest => {
                self.sample_requested = later(self.sample_requested, Some(date))
            }
            ActivityKind::SampleReceived => {
                self.sample_received = later(self.sample_received, Some(date))
            }
            ActivityKind::Complaint => self.complaint_count += 1,
            _ => {}
        }
    }
}

/// Reads one record's date, kind, amount and id key; a problem is returned with its field.
fn parse_row(
    record: &csv::ByteRecord,
    cols: &Columns,
    index: &super::index::IdIndex<'_>,
) -> Result<Row, Pending> {
    let cell = |i: usize| {
        record
            .get(i)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
            .trim()
    };
    let problem = |field: usize, message: String| Pending {
        offset: 0,
        field,
        message,
        warning: false,
    };
    let date = parse_date(cell(cols.date)).map_err(|e| {
        problem(
            cols.date,
            format!("cannot read date \"{}\": {e}", cell(cols.date)),
        )
    })?;
    let kind = ActivityKind::parse(cell(cols.kind)).ok_or_else(|| {
        problem(
            cols.kind,
            format!(
                "unknown kind \"{}\" (expected one of {})",
                cell(cols.kind),
                ActivityKind::expected()
            ),
        )
    })?;
    let amount = match cols.amount.map(cell).filter(|a| !a.is_empty()) {
        None => 0,
        Some(a) => parse_amount(a).map_err(|e| {
            problem(
                cols.amount.unwrap_or(0),
                format!("cannot read amount \"{a}\": {e}"),
            )
        })?,
    };
    let id = cell(cols.id);
    let slot = index.key(id).ok_or_else(|| Pending {
        offset: 0,
        field: cols.id,
        message: format!("unknown customer \"{id}\""),
        warning: true,
    })?;
    Ok(Row {
        offset: 0,
        slot,
        date,
        kind,
        amount,
        id: IdBytes::new(id.as_bytes()),
    })
}

/// A problem found while streaming: where (byte offset of the record in the text the CSV
/// reader saw, field index) and what.
struct Pending {
    offset: usize,
    field: usize,
    message: String,
    warning: bool,
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

/// Column positions of the log's fields.
struct Columns {
    date: usize,
    id: usize,
    kind: usize,
    amount: Option<usize>,
    note: Option<usize>,
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
pub fn fold(
    path: &Path,
    book: &mut Book,
    today: NaiveDate,
    forced: Option<&'static encoding_rs::Encoding>,
    problems: &mut Vec<Diagnostic>,
) -> Result<LogSummary> {
    if !path.exists() {
        return Ok(LogSummary::default());
    }
    let (stream, enc) = open_utf8(path, forced)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(stream);
    let io_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::InvalidData => None,
        csv::ErrorKind::Io(io) => Some(Error::io(path, io)),
        other => Some(Error::Usage(format!(
            "{}: cannot read CSV: {other:?}",
            crate::error::display_path(path)
        ))),
    };
    let mut record = csv::ByteRecord::new();
    let mut summary = LogSummary {
        encoding: Some(enc),
        ..LogSummary::default()
    };
    let mut pending: Vec<Pending> = Vec::new();
    let mut dropped = (0u64, 0u64);
    let mut keep = |p: Pending, pending: &mut Vec<Pending>| {
        if pending.len() < MAX_KEPT {
            pending.push(p);
        } else if p.warning {
            dropped.1 += 1;
        } else {
            dropped.0 += 1;
        }
    };

    let header = loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) if record.iter().all(<[u8]>::is_empty) => continue,
            Ok(true) => break record.clone(),
            Ok(false) => return Ok(summary),
            Err(e) => return Err(io_err(e).unwrap_or_else(|| undecodable(path, forced))),
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

    let index = book.index();
    let mut accs = vec![Acc::default(); book.customers.len()];
    let mut orders: Vec<(u32, i32)> = Vec::new();
    let window = Window::new(today);
    let mut batch: Vec<Row> = Vec::with_capacity(BATCH);
    let mut done = false;
    while !done {
        // 1. Parse a batch of rows; only the id's slot number is computed, no table is read.
        batch.clear();
        while batch.len() < BATCH {
            match rdr.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => {
                    done = true;
                    break;
                }
                Err(e) => return Err(io_err(e).unwrap_or_else(|| undecodable(path, forced))),
            }
            let offset = record.position().map_or(0, |p| p.byte() as usize);
            if record.iter().all(<[u8]>::is_empty) {
                continue;
            }
            summary.rows += 1;
            match parse_row(&record, &cols, &index) {
                Ok(row) if row.date > today => summary.future_rows += 1,
                Ok(row) => batch.push(Row { offset, ..row }),
                Err(p) => keep(Pending { offset, ..p }, &mut pending),
            }
        }
        // 2. Resolve every key, then touch every customer's totals: the reads are
        //    independent, so their cache misses overlap instead of queueing one per row.
        for row in &mut batch {
            row.slot = index.resolve(row.slot).unwrap_or(usize::MAX);
        }
        let mut touched = 0u32;
        for row in &batch {
            if let Some(a) = accs.get(row.slot) {
                touched = touched.wrapping_add(a.order_count);
            }
        }
        std::hint::black_box(touched);
        // 3. Apply.
        for row in &batch {
            match accs.get_mut(row.slot) {
                Some(a) => a.add(row, &window, &mut orders),
                None => {
                    let id = String::from_utf8_lossy(row.id.as_slice()).into_owned();
                    keep(
                        Pending {
                            offset: row.offset,
                            field: cols.id,
                            message: format!("unknown customer \"{id}\""),
                            warning: true,
                        },
                        &mut pending,
                    );
                }
            }
        }
    }
    drop(index);

    apply(book, &accs, orders);
    if !pending.is_empty() {
        locate(path, forced, &pending, problems)?;
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

fn undecodable(path: &Path, forced: Option<&'static encoding_rs::Encoding>) -> Error {
    // Decode the whole file once more to name the bad byte's position.
    match read_text(path, forced) {
        Err(e) => e,
        Ok(_) => Diagnostic::file(path, 0, "cannot decode the file").into(),
    }
}

/// Turns pending problems into diagnostics with line, column and snippet.
fn locate(
    path: &Path,
    forced: Option<&'static encoding_rs::Encoding>,
    pending: &[Pending],
    problems: &mut Vec<Diagnostic>,
) -> Result<()> {
    let text = read_text(path, forced)?.text;
    for p in pending {
        let start = record_start(&text, p.offset);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let raw = raw_fields(&text[start..end], b',');
        let span = raw.get(p.field).cloned().unwrap_or(0..0);
        let d = Diagnostic::at(
            path,
            &text,
            start + span.start,
            span.len(),
            p.message.clone(),
        );
        problems.push(if p.warning { d.warning() } else { d });
    }
    Ok(())
}

/// Combines the log's totals with the book: dates by the later (first order by the earlier),
/// counters from the log alone.
fn apply(book: &mut Book, accs: &[Acc], mut orders: Vec<(u32, i32)>) {
    for (c, a) in book.customers.iter_mut().zip(accs) {
        c.last_contact = later(c.last_contact, a.last_touch);
        c.last_order = later(c.last_order, a.last_order);
        c.first_order = match (c.first_order, a.first_order) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
        c.sample_requested = later(c.sample_requested, a.sample_requested);
        c.sample_received = later(c.sample_received, a.sample_received);
        c.order_count = a.order_count;
        c.complaint_count = a.complaint_count;
        c.contact_count = a.contact_count;
        c.order_total = a.order_total;
        c.order_total_12m = a.order_total_12m;
        c.months_with_orders = a.months.count_ones() as u8;
    }
    orders.sort_unstable();
    orders.dedup();
    let mut gaps = Vec::new();
    for run in orders.chunk_by(|a, b| a.0 == b.0) {
        if run.len() < 2 {
            continue;
        }
        gaps.clear();
        gaps.extend(run.windows(2).map(|w| (w[1].1 - w[0].1) as u32));
        book.customers[run[0].0 as usize].order_interval_days = Some(median(&mut gaps));
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

/// Streams the log once more for the stage and grade changes from `since` to `today`, sorted
/// by date then customer id. Rows that cannot be read were reported by [`fold`] already.
pub fn changes_since(
    path: &Path,
    since: NaiveDate,
    today: NaiveDate,
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<Vec<ChangeRow>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let (stream, _) = open_utf8(path, forced)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(stream);
    let mut record = csv::ByteRecord::new();
    let read_err = |e: csv::Error| {
        Error::Usage(format!(
            "{}: cannot read CSV: {e}",
            crate::error::display_path(path)
        ))
    };
    let mut cols = None;
    let mut out = Vec::new();
    while rdr.read_byte_record(&mut record).map_err(read_err)? {
        if record.iter().all(<[u8]>::is_empty) {
            continue;
        }
        let Some(c) = &cols else {
            cols = columns(&record);
            if cols.is_none() {
                return Ok(out);
            }
            continue;
        };
        let cell = |i: usize| {
            record
                .get(i)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or("")
                .trim()
        };
        let Some(kind) = ActivityKind::parse(cell(c.kind))
            .filter(|k| matches!(k, ActivityKind::StageChange | ActivityKind::GradeChange))
        else {
            continue;
        };
        let Ok(date) = parse_date(cell(c.date)) else {
            continue;
        };
        if date >= since && date <= today {
            out.push(ChangeRow {
                date,
                customer_id: cell(c.id).to_string(),
                kind,
                note: c.note.map(cell).unwrap_or_default().to_string(),
            });
        }
    }
    out.sort_by(|a, b| (a.date, &a.customer_id).cmp(&(b.date, &b.customer_id)));
    Ok(out)
}
