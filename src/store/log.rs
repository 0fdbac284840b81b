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
    let today_month = today.year() * 12 + today.month0() as i32;
    let year_ago = today - chrono::Days::new(365);
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(io_err(e).unwrap_or_else(|| undecodable(path, forced))),
        }
        let offset = record.position().map_or(0, |p| p.byte() as usize);
        if record.iter().all(<[u8]>::is_empty) {
            continue;
        }
        summary.rows += 1;
        let cell = |i: usize| {
            record
                .get(i)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or("")
                .trim()
        };
        let date = match parse_date(cell(cols.date)) {
            Ok(d) => d,
            Err(e) => {
                keep(
                    Pending {
                        offset,
                        field: cols.date,
                        message: format!("cannot read date \"{}\": {e}", cell(cols.date)),
                        warning: false,
                    },
                    &mut pending,
                );
                continue;
            }
        };
        let kind = match ActivityKind::parse(cell(cols.kind)) {
            Some(k) => k,
            None => {
                keep(
                    Pending {
                        offset,
                        field: cols.kind,
                        message: format!(
                            "unknown kind \"{}\" (expected one of {})",
                            cell(cols.kind),
                            ActivityKind::expected()
                        ),
                        warning: false,
                    },
                    &mut pending,
                );
                continue;
            }
        };
        let amount = match cols.amount.map(cell).filter(|a| !a.is_empty()) {
            None => None,
            Some(a) => match parse_amount(a) {
                Ok(v) => Some(v),
                Err(e) => {
                    keep(
                        Pending {
                            offset,
                            field: cols.amount.unwrap_or(0),
                            message: format!("cannot read amount \"{a}\": {e}"),
                            warning: false,
                        },
                        &mut pending,
                    );
                    continue;
                }
            },
        };
        let Some(i) = index.get(cell(cols.id)) else {
            keep(
                Pending {
                    offset,
                    field: cols.id,
                    message: format!("unknown customer \"{}\"", cell(cols.id)),
                    warning: true,
                },
                &mut pending,
            );
            continue;
        };
        if date > today {
            summary.future_rows += 1;
            continue;
        }
        let a = &mut accs[i];
        if kind.is_touch() {
            a.last_touch = later(a.last_touch, Some(date));
            a.contact_count += 1;
        }
        match kind {
            ActivityKind::Order => {
                a.last_order = later(a.last_order, Some(date));
                a.first_order = Some(a.first_order.map_or(date, |f| f.min(date)));
                a.order_count += 1;
                let amount = amount.unwrap_or(0);
                a.order_total = a.order_total.saturating_add(amount);
                if date > year_ago {
                    a.order_total_12m = a.order_total_12m.saturating_add(amount);
                }
                let back = today_month - (date.year() * 12 + date.month0() as i32);
                if (0..12).contains(&back) {
                    a.months |= 1 << back;
                }
                orders.push((i as u32, date.num_days_from_ce()));
            }
            ActivityKind::SampleRequest => {
                a.sample_requested = later(a.sample_requested, Some(date))
            }
            ActivityKind::SampleReceived => {
                a.sample_received = later(a.sample_received, Some(date))
            }
            ActivityKind::Complaint => a.complaint_count += 1,
            _ => {}
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
