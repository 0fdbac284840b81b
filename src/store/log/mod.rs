//! The activity log (`date,customer_id,kind,amount,note`): streamed once and folded into
//! per-customer derived fields, so memory grows with customers, not with log rows.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use super::csv_book::{raw_fields, record_start};
use super::encoding::{self, TextEncoding};
use super::fast::{self, CustomerTotals, Folded, LogColumns, LogFile, Order, RowProblem, Split};
use super::{Book, file_at, read_text};

use crate::error::{Diagnostic, Error, Result};
use crate::model::messages::read::ReadMsg;
use crate::model::value::{Cents, parse_amount, parse_date};
use crate::model::{ActivityKind, ChangeRow, Customer, Enumeration, earlier, later};

/// The log's columns, in the order a new log is written.
pub const HEADER: [&str; 5] = ["date", "customer_id", "kind", "amount", "note"];

/// The same columns as a new log beside a book of Chinese headers names them.
pub const HEADER_ZH: [&str; 5] = ["日期", "客户编号", "类型", "金额", "备注"];

/// How an existing log writes its rows, for rows appended to it to look the same.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogSpelling {
    /// Kinds by their Chinese names (电话, 订单) rather than their ids.
    pub chinese_kinds: bool,
    /// How its dates are written, when it holds any.
    pub dates: Option<crate::store::style::DateFormat>,
}

/// How the log at `path` writes kinds and dates, from its first rows.
pub fn spelling(
    path: &Path,
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<LogSpelling> {
    const SAMPLE: usize = 200;
    let path = &*readable(path)?;
    let (stream, _) = open_utf8(path, forced)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(stream.take(1 << 20));
    let mut records = rdr.records().filter_map(|r| r.ok());
    let Some(header) = records.find(|r| r.iter().any(|c| !c.trim().is_empty())) else {
        return Ok(LogSpelling::default());
    };
    let Some(cols) = columns(&header.as_byte_record().clone()) else {
        return Ok(LogSpelling::default());
    };
    let (mut kinds, mut dates) = (Vec::new(), Vec::new());
    for r in records.take(SAMPLE) {
        if let Some(k) = r.get(cols.kind).filter(|k| !k.trim().is_empty()) {
            kinds.push(k.trim().to_string());
        }
        if let Some(d) = r.get(cols.date).filter(|d| !d.trim().is_empty()) {
            dates.push(d.trim().to_string());
        }
    }
    let chinese = kinds.iter().filter(|k| !k.is_ascii()).count();
    Ok(LogSpelling {
        chinese_kinds: chinese * 2 > kinds.len(),
        dates: crate::store::style::date_format(&dates, Default::default()),
    })
}

/// What folding the log found besides the derived fields.
#[derive(Debug, Default)]
pub struct LogSummary {
    /// Data rows read (rows after today included).
    pub rows: u64,
    /// Rows dated after today, left out of the derived fields.
    pub future_rows: u64,
    /// Rows that could not be read (a bad date, kind or amount; bytes that are not text),
    /// left out of the derived fields; `check` lists them.
    pub unreadable: u64,
    pub encoding: Option<TextEncoding>,
    /// The stage and grade changes asked for (see [`fold_with_changes`]), by date, then
    /// customer id, then line.
    pub changes: Vec<ChangeRow>,
    /// A problem the log cannot be read past (a quote never closed, which makes the rest of
    /// the log one note): `check` lists it with the others, and a reading command stops on
    /// it rather than answer from part of the log.
    pub stops_at: Option<Diagnostic>,
}

/// The path to read the log at `path` from: a copy when it is a pipe (see
/// [`super::readable`]).
fn readable(path: &Path) -> Result<std::borrow::Cow<'_, Path>> {
    super::readable(path, "activities.csv")
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
    let enc = encoding::sniff_log(&head, forced);
    let bom_len = enc.bom_len();
    let utf8 = enc.encoding == encoding_rs::UTF_8;
    let head = io::Cursor::new(head[bom_len.min(filled)..].to_vec());
    let stream: Box<dyn Read> = if utf8 {
        Box::new(head.chain(file))
    } else {
        Box::new(Decoding::new(head.chain(file), enc.encoding))
    };
    Ok((stream, enc))
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

fn columns(header: &csv::ByteRecord) -> Option<LogColumns> {
    let find = |names: &[&str]| {
        header.iter().position(|h| {
            let h = String::from_utf8_lossy(h).trim().to_lowercase();
            names.iter().any(|n| *n == h)
        })
    };
    Some(LogColumns {
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
    let cluster_days = crate::rules::cadence::DEFAULT_ORDER_CLUSTER_DAYS;
    fold_with_changes(path, book, (today, None), cluster_days, forced, problems)
}

/// [`fold`], which also keeps the stage and grade changes from `since` (when given) to
/// `today` in the summary's `changes`, in the same pass.
///
/// Orders closer together than `cluster_days` are one ordering occasion for the rhythm
/// (`order_interval_days`): a monthly order that arrives split over the 5th and the 6th is
/// monthly, not daily.
pub fn fold_with_changes(
    path: &Path,
    book: &mut Book,
    (today, since): (NaiveDate, Option<NaiveDate>),
    cluster_days: u32,
    forced: Option<&'static encoding_rs::Encoding>,
    problems: &mut Vec<Diagnostic>,
) -> Result<LogSummary> {
    fold_in(
        path,
        book,
        (today, since, cluster_days),
        forced,
        problems,
        Split::for_this_machine(),
    )
}

/// The log's encoding, and its columns and where its data starts (in the text after any
/// byte-order mark), or None for a log without a header (an empty one).
fn read_header(
    path: &Path,
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<(TextEncoding, Option<(LogColumns, usize)>)> {
    let (stream, enc) = open_utf8(path, forced)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(stream);
    let mut record = csv::ByteRecord::new();
    let header = loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) if record.iter().all(<[u8]>::is_empty) => continue,
            Ok(true) => break record.clone(),
            Ok(false) => return Ok((enc, None)),
            Err(e) => return Err(csv_error(e, path, forced)),
        }
    };
    let Some(cols) = columns(&header) else {
        let message = ReadMsg::LogHeader {
            columns: &HEADER.join(","),
        };
        return Err(Diagnostic::file(path, 1, message.to_string()).into());
    };
    Ok((enc, Some((cols, rdr.position().byte() as usize))))
}

/// [`fold`], split as given.
pub(crate) fn fold_in(
    path: &Path,
    book: &mut Book,
    (today, since, cluster_days): (NaiveDate, Option<NaiveDate>, u32),
    forced: Option<&'static encoding_rs::Encoding>,
    problems: &mut Vec<Diagnostic>,
    split: Split,
) -> Result<LogSummary> {
    // Nothing there is an empty log; a folder or a link to nothing is an error.
    if !file_at(path)? {
        return Ok(LogSummary::default());
    }
    let path = &*readable(path)?;
    let (enc, header) = read_header(path, forced)?;
    problems.extend(super::encoding_note(path, enc));
    let Some((cols, data_start)) = header else {
        return Ok(LogSummary {
            encoding: Some(enc),
            ..LogSummary::default()
        });
    };
    let bom = enc.bom_len();
    let len = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len() as usize;
    let started = std::time::Instant::now();
    let file = LogFile {
        path,
        utf8: enc.encoding == encoding_rs::UTF_8,
        bom,
        data_start,
        len,
    };
    let sequential = || -> io::Result<Box<dyn Read>> {
        let (mut stream, _) = open_utf8(path, forced).map_err(io::Error::other)?;
        io::copy(&mut (&mut stream).take(data_start as u64), &mut io::sink())?;
        Ok(stream)
    };
    let customers = book.customers.len();
    let folded = fast::fold(
        file,
        &sequential,
        &cols,
        &book.index(),
        (customers, today, since),
        split,
    )
    .map_err(|e| read_error(e, path, forced))?;
    crate::timing::phase("fold log: scan", started);
    let started = std::time::Instant::now();
    let Folded {
        totals,
        orders,
        problems: found,
        dropped,
        rows,
        future_rows,
        mut changes,
        unclosed,
    } = folded;
    // By date, then customer id, then where in the log.
    changes.sort_by(|(a, x), (b, y)| (x.date, &x.customer_id, a).cmp(&(y.date, &y.customer_id, b)));
    apply(book, &totals, &orders, (today, cluster_days));
    crate::timing::phase("fold log: apply", started);
    let mut stops_at = None;
    if !found.is_empty() || unclosed.is_some() {
        let streamed = Streamed::read(path, enc)?;
        locate(path, &streamed, &found, problems);
        if let Some(u) = unclosed {
            let d = unclosed_diagnostic(path, &streamed, (u.quote, u.field), false);
            problems.push(d.clone());
            stops_at = Some(d);
        }
        problems.extend(dropped_problems(path, dropped));
    }
    let unreadable = found.iter().filter(|p| !p.warning).count() as u64 + dropped.0;
    Ok(LogSummary {
        rows,
        future_rows,
        unreadable,
        encoding: Some(enc),
        changes: changes.into_iter().map(|(_, c)| c).collect(),
        stops_at,
    })
}

/// The warnings of [`utf8_rows`] for the log at `path`, read in `enc` (none for a log read
/// as UTF-8, or in an encoding not a superset of ASCII). Only `check` asks: reading commands
/// drop the log's warnings, and the log is read again whole.
pub fn utf8_rows_in(path: &Path, enc: TextEncoding) -> Result<Vec<Diagnostic>> {
    if enc.encoding == encoding_rs::UTF_8 || !enc.encoding.is_ascii_compatible() {
        return Ok(Vec::new());
    }
    let path = &*readable(path)?;
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(utf8_rows(path, &bytes, enc.encoding))
}

/// A warning for each line of a log read in `encoding` (GBK, say) that is UTF-8 text with
/// characters of three bytes (Chinese): typed by a tool that saves UTF-8, it reads as
/// mojibake (客户 as 瀹㈡埛). Its date, id and kind are ASCII, so the row still counts; only
/// its text is garbled, which nothing else would say. Two such characters and not one byte
/// that is not UTF-8: text in GBK or Big5 is never that by chance (see the encoding's
/// detection).
fn utf8_rows(
    path: &Path,
    bytes: &[u8],
    encoding: &'static encoding_rs::Encoding,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (k, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.is_ascii() {
            continue;
        }
        let Ok(meant) = std::str::from_utf8(line) else {
            continue;
        };
        if meant.chars().filter(|c| c.len_utf8() >= 3).count() < 2 {
            continue;
        }
        let (read, _) = encoding.decode_without_bom_handling(line);
        let message = ReadMsg::Utf8Row {
            name: encoding.name(),
            read: read.trim_end(),
            meant: meant.trim_end(),
        };
        out.push(Diagnostic::file(path, k + 1, message.to_string()).warning());
    }
    out
}

/// The cells of the log's header, trimmed, to name a problem's column as the user wrote it.
fn header_cells(text: &str) -> Vec<String> {
    let first = text.trim_start_matches(['\n', '\r']);
    let header_line = &first[..first.find(['\n', '\r']).unwrap_or(first.len())];
    raw_fields(header_line, b',')
        .into_iter()
        .map(|r| header_line[r].trim().trim_matches('"').to_string())
        .collect()
}

/// The problems past those shown: (errors, warnings) only counted.
fn dropped_problems(path: &Path, (errors, warnings): (u64, u64)) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if errors > 0 {
        let message = ReadMsg::MoreRowErrors { rows: errors };
        out.push(Diagnostic::file(path, 0, message.to_string()));
    }
    if warnings > 0 {
        let message = ReadMsg::MoreUnknownCustomers { rows: warnings };
        out.push(Diagnostic::file(path, 0, message.to_string()).warning());
    }
    out
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
            "{}: {}",
            crate::error::display_path(path),
            ReadMsg::Csv {
                error: &format!("{other:?}")
            }
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
    streamed: &Streamed,
    pending: &[RowProblem],
    problems: &mut Vec<Diagnostic>,
) {
    let text = &streamed.text;
    let header = header_cells(text);
    // The problems come in the log's order: each is placed counting on from the one before.
    let locator = crate::error::Locator::new(path, text);
    for p in pending {
        let start = record_start(text, streamed.at(p.offset));
        let end = text[start..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| start + i);
        let raw = raw_fields(&text[start..end], b',');
        let span = raw.get(p.field).cloned().unwrap_or(0..0);
        let d = locator.at(start + span.start, span.len(), p.message.clone());
        let d = match header.get(p.field) {
            Some(h) => d.in_column(p.field, h),
            None => d,
        };
        problems.push(if p.warning { d.warning() } else { d });
    }
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
        let bom = enc.bom_len();
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

/// Combines what the log gave with the book: dates by the later (first order by the
/// earlier), counters from the log alone; the order figures from the orders, 12-month ones
/// counted back from `today`. A part of the book per thread.
fn apply(
    book: &mut Book,
    totals: &[CustomerTotals],
    orders: &[Order],
    (today, cluster_days): (NaiveDate, u32),
) {
    let size = crate::parallel::parts(book.customers.len())[0].len().max(1);
    book.customers
        .par_chunks_mut(size)
        .enumerate()
        .for_each(|(k, customers)| {
            apply_part(k * size, customers, totals, orders, (today, cluster_days))
        });
}

/// One customer's orders, added up one by one.
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

/// The days (as [`Order::day`] counts them) the 12-month figures are counted from.
struct TwelveMonths {
    /// An order counts towards the 12-month total after this day.
    year_ago: i64,
    /// ... and towards the months with orders from this day, the first of the month eleven
    /// months back.
    months_from: i64,
    today_month: i32,
}

impl TwelveMonths {
    fn new(today: NaiveDate) -> TwelveMonths {
        let day = |d: NaiveDate| i64::from(d.num_days_from_ce());
        TwelveMonths {
            year_ago: day(today - chrono::Days::new(365)),
            months_from: today
                .with_day(1)
                .and_then(|d| d.checked_sub_months(chrono::Months::new(11)))
                .map_or(i64::MIN, day),
            today_month: today.year() * 12 + today.month0() as i32,
        }
    }
}

/// The date of a day as [`Order::day`] counts it.
fn date_of(day: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(day).ok()?)
}

impl OrderFigures {
    /// Empty figures for the next customer, keeping the memory of the days (a million
    /// customers' orders are not a million allocations).
    fn restart(&mut self) {
        let mut days = std::mem::take(&mut self.days);
        days.clear();
        *self = OrderFigures {
            days,
            ..OrderFigures::default()
        };
    }

    /// Adds one order (a day with two is one day of the rhythm).
    fn add(&mut self, day: i64, amount: Cents, w: &TwelveMonths) {
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
    /// first and last order (against the book's dates), the rhythm: the median gap between
    /// ordering occasions, days less than `cluster_days` apart being one occasion (dated by
    /// its first day). `gaps` is room for the gaps, its contents left behind.
    fn set(&self, c: &mut Customer, cluster_days: u32, gaps: &mut Vec<u32>) {
        c.order_count = self.count;
        c.order_total = self.total;
        c.order_total_12m = self.total_12m;
        c.months_with_orders = self.months.count_ones() as u8;
        c.first_order = earlier(c.first_order, self.days.first().and_then(|&d| date_of(d)));
        c.last_order = later(c.last_order, self.days.last().and_then(|&d| date_of(d)));
        gaps.clear();
        let mut occasion = self.days.first().copied();
        for w in self.days.windows(2) {
            if w[1] - w[0] >= i64::from(cluster_days)
                && let Some(start) = occasion
            {
                gaps.push((w[1] - start) as u32);
                occasion = Some(w[1]);
            }
        }
        if !gaps.is_empty() {
            c.order_interval_days = Some(median(gaps));
        }
    }
}

/// [`apply`] to the customers from position `start` on.
fn apply_part(
    start: usize,
    customers: &mut [Customer],
    totals: &[CustomerTotals],
    orders: &[Order],
    (today, cluster_days): (NaiveDate, u32),
) {
    for (c, t) in customers.iter_mut().zip(&totals[start..]) {
        // A complaint is open until a touch after it: logged after it, or on a later day in
        // the book's own last-contact column.
        let answered = t.last_touch > t.last_complaint
            || c.last_contact
                .zip(t.last_complaint.date())
                .is_some_and(|(touch, complaint)| touch > complaint);
        if !answered {
            c.open_complaint = t.last_complaint;
        }
        c.last_touch_row = t.last_touch;
        c.last_contact = later(c.last_contact, t.last_touch.date());
        c.sample_requested = later(c.sample_requested, t.sample_requested);
        c.sample_received = later(c.sample_received, t.sample_received);
        c.complaint_count = t.complaint_count;
        c.contact_count = t.contact_count;
        c.last_complaint = t.last_complaint.date();
    }
    // The orders come sorted by customer: this part's are a slice of them. The order
    // fields are the log's alone (a book never holds them), so a customer without orders
    // keeps its zeros.
    let window = TwelveMonths::new(today);
    let end = start + customers.len();
    let from = orders.partition_point(|o| o.customer < start);
    let to = orders.partition_point(|o| o.customer < end);
    let (mut figures, mut gaps) = (OrderFigures::default(), Vec::new());
    for theirs in orders[from..to].chunk_by(|a, b| a.customer == b.customer) {
        figures.restart();
        for o in theirs {
            figures.add(o.day, o.amount, &window);
        }
        let c = &mut customers[theirs[0].customer - start];
        figures.set(c, cluster_days, &mut gaps);
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

mod notes;
mod unclosed;
pub use notes::{Notes, notes, notes_by_row, rows_of};
use unclosed::unclosed_diagnostic;
pub use unclosed::unclosed_quote;

#[cfg(test)]
mod tests;

/// One readable row of the log, typed: what `clientele export` writes.
#[derive(Clone, Debug, PartialEq)]
pub struct LogRow {
    pub date: NaiveDate,
    pub customer_id: String,
    pub kind: ActivityKind,
    /// Integer cents; None when the cell is empty.
    pub amount: Option<Cents>,
    pub note: String,
}

/// Every row of the log that reads (a date, a kind, an amount if any), in the log's order,
/// rows after today and of customers the book does not have included; the rows that do not
/// read are skipped, as the fold skips them (`check` lists them). A missing log has none.
/// The cells are trimmed as the fold trims them.
pub fn rows(path: &Path, forced: Option<&'static encoding_rs::Encoding>) -> Result<Vec<LogRow>> {
    if !file_at(path)? {
        return Ok(Vec::new());
    }
    let path = &*readable(path)?;
    let (_, header) = read_header(path, forced)?;
    let Some((cols, data_start)) = header else {
        return Ok(Vec::new());
    };
    let (mut stream, _) = open_utf8(path, forced)?;
    io::copy(&mut (&mut stream).take(data_start as u64), &mut io::sink())
        .map_err(|e| read_error(e, path, forced))?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(stream);
    let mut out = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(e, path, forced)),
        }
        let Ok(record) = csv::StringRecord::from_byte_record(record.clone()) else {
            continue;
        };
        let cell = |i: usize| crate::model::value::trim(record.get(i).unwrap_or(""));
        let (Ok(date), Some(kind)) = (
            parse_date(cell(cols.date)),
            ActivityKind::parse(cell(cols.kind)),
        ) else {
            continue;
        };
        let amount = match cols.amount.map(cell).filter(|a| !a.is_empty()) {
            None => None,
            Some(text) => match parse_amount(text) {
                Ok(a) => Some(a),
                Err(_) => continue,
            },
        };
        out.push(LogRow {
            date,
            customer_id: cell(cols.id).to_string(),
            kind,
            amount,
            note: cols.note.map(cell).unwrap_or("").to_string(),
        });
    }
    Ok(out)
}
