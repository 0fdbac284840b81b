//! The hot loop of the log fold: rows parsed in batches and added to per-customer running
//! totals, over a whole log or one chunk of it (the fold runs one chunk per core).

use std::io::Read;

use chrono::{Datelike, NaiveDate};

use super::index::{IdIndex, Key};
use super::memory::{huge_pages, prefetch};
use super::records::{Splitter, Step, TextRecord, blank_run, plain_prefix, refill};
use crate::model::ChangeRow;
use crate::model::messages::read::ReadMsg;
use crate::model::value::{parse_amount, parse_date, trim};
use crate::model::{ActivityKind, Cents, Enumeration, RowKey, later};

/// Column positions of the log's fields.
pub struct LogColumns {
    pub date: usize,
    pub id: usize,
    pub kind: usize,
    pub amount: Option<usize>,
    pub note: Option<usize>,
}

/// Per-customer running totals while the log streams by: the touches, samples and
/// complaints. A customer's orders are kept in a list instead (see [`OrderKey`]), which gives
/// their dates, count and amounts: one order row in eight, they need not make every
/// customer's totals larger. Half a cache line each: rows come in date order, so every
/// row's customer is a cache miss, and a smaller table misses less.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(align(32))]
pub struct CustomerTotals {
    /// The latest touch: its date and row (the row's note is shown as the last note).
    pub last_touch: RowKey,
    /// The latest complaint, answered when a touch comes after it.
    pub last_complaint: RowKey,
    pub sample_requested: Option<NaiveDate>,
    pub sample_received: Option<NaiveDate>,
    pub complaint_count: u32,
    pub contact_count: u32,
}

// Half a cache line, as the comment above says: a field more must fit in it.
const _: () = assert!(std::mem::size_of::<CustomerTotals>() == 32);

/// An order as the fold keeps it: its [`order_key`] (customer, then day) and amount.
pub(super) type OrderKey = (u64, Cents);

/// How many parsed rows wait for their customers' totals to be fetched together.
const BATCH: usize = 64;

/// A log row parsed, waiting in a batch.
#[derive(Clone, Copy, Debug)]
pub(super) struct Row {
    offset: usize,
    date: NaiveDate,
    kind: ActivityKind,
    amount: Cents,
    /// The id's key in the index: resolved to the customer a batch at a time.
    key: Key,
}

/// The date and kind of the stage or grade change a row's cells record, when `since` is
/// given and the change is from then to today (a row of an unknown customer's too).
#[inline]
fn change_in(
    cells: &Cells<'_>,
    (since, today): (Option<NaiveDate>, NaiveDate),
    dates: &mut DateCache,
) -> Option<(NaiveDate, ActivityKind)> {
    let since = since?;
    let kind = ActivityKind::parse_log(cells.kind)
        .filter(|k| matches!(k, ActivityKind::StageChange | ActivityKind::GradeChange))?;
    let date = dates.parse(cells.date).ok()?;
    (since <= date && date <= today).then_some((date, kind))
}

/// The change of `record`, of this date and kind.
fn change_row(
    record: &TextRecord<'_>,
    cols: &LogColumns,
    (date, kind): (NaiveDate, ActivityKind),
) -> ChangeRow {
    let cell = |i: usize| trim(record.get(i).unwrap_or("")).to_string();
    ChangeRow {
        date,
        customer_id: cell(cols.id),
        kind,
        note: cols.note.map(cell).unwrap_or_default(),
    }
}

impl CustomerTotals {
    /// Folds one row into the customer's totals; an order is kept in `orders`.
    fn add(&mut self, row: &Row, customer: usize, orders: &mut Vec<OrderKey>) {
        let date = row.date;
        if row.kind.is_touch() {
            self.last_touch = self.last_touch.max(RowKey::new(date, row.offset));
            self.contact_count += 1;
        }
        match row.kind {
            ActivityKind::Order => orders.push((order_key(customer, date), row.amount)),
            ActivityKind::SampleRequest => {
                self.sample_requested = later(self.sample_requested, Some(date))
            }
            ActivityKind::SampleReceived => {
                self.sample_received = later(self.sample_received, Some(date))
            }
            ActivityKind::Complaint => {
                self.complaint_count += 1;
                self.last_complaint = self.last_complaint.max(RowKey::new(date, row.offset));
            }
            _ => {}
        }
    }
}

/// The last date text read and its date: a log is mostly in date order, so most rows repeat
/// the row before's date.
#[derive(Default)]
pub(super) struct DateCache {
    text: [u8; 10],
    date: Option<NaiveDate>,
}

impl DateCache {
    fn parse(&mut self, s: &str) -> Result<NaiveDate, crate::model::value::ValueError> {
        if let Some(date) = self.date
            && s.as_bytes() == self.text
        {
            return Ok(date);
        }
        let date = parse_date(s)?;
        if s.len() == 10 {
            self.text.copy_from_slice(s.as_bytes());
            self.date = Some(date);
        }
        Ok(date)
    }
}

/// The cells a fold reads from one row, trimmed.
pub(super) struct Cells<'a> {
    date: &'a str,
    id: &'a str,
    kind: &'a str,
    /// None when the log has no amount column or the cell is empty.
    amount: Option<&'a str>,
}

/// The cells the fold reads from a record, trimmed.
fn cells_of<'a>(record: &TextRecord<'a>, cols: &LogColumns) -> Cells<'a> {
    let cell = |i: usize| trim(record.get(i).unwrap_or(""));
    Cells {
        date: cell(cols.date),
        id: cell(cols.id),
        kind: cell(cols.kind),
        amount: cols.amount.map(cell).filter(|a| !a.is_empty()),
    }
}

/// Reads the date, kind, amount and id key of a row's cells, the record at `offset` (an id
/// too long for the key kept in `ids`, see [`IdIndex::key`]); a problem is returned with
/// its field. Inlined: returned through memory,
/// the row was read back before the writes had landed, a stall on every row.
#[inline(always)]
fn parse_cells(
    cells: &Cells<'_>,
    offset: usize,
    cols: &LogColumns,
    (index, ids): (&IdIndex<'_>, &mut Vec<u8>),
    dates: &mut DateCache,
) -> Result<Row, RowProblem> {
    let problem = |field: usize, message: String| RowProblem {
        offset,
        field,
        message,
        warning: false,
    };
    let date = dates.parse(cells.date).map_err(|e| {
        let message = ReadMsg::CannotRead {
            text: cells.date,
            why: e.0,
        };
        problem(cols.date, message.to_string())
    })?;
    let kind = ActivityKind::parse_log(cells.kind).ok_or_else(|| {
        let message = ReadMsg::Unknown {
            what: ActivityKind::WHAT,
            text: cells.kind,
            expected: &ActivityKind::expected(),
            expected_zh: &ActivityKind::expected_zh(),
        };
        problem(cols.kind, message.to_string())
    })?;
    let amount = match cells.amount {
        None => 0,
        Some(a) => parse_amount(a).map_err(|e| {
            let message = ReadMsg::CannotRead { text: a, why: e.0 };
            problem(cols.amount.unwrap_or(0), message.to_string())
        })?,
    };
    let key = index
        .key(cells.id, ids)
        .ok_or_else(|| RowProblem::unknown_customer(offset, cols.id, cells.id))?;
    Ok(Row {
        offset,
        date,
        kind,
        amount,
        key,
    })
}

/// The most fields a row is cut into on the quick path.
const QUICK_FIELDS: usize = 8;

/// The cells of a line of plain fields (see [`plain_prefix`]) read without the general
/// splitter, when every cell the fold reads is there and needs no trimming (so they are
/// the cells [`cells_of`] would read); None sends the line the general way. `line` is the
/// line, LF excluded, and `ends` where its first fields end.
#[inline(always)]
fn quick_cells<'a>(line: &'a str, ends: &[usize], cols: &LogColumns) -> Option<Cells<'a>> {
    let cell = |i: usize| {
        let start = if i == 0 { 0 } else { ends.get(i - 1)? + 1 };
        line.get(start..*ends.get(i)?)
    };
    let bare = |s: &str| {
        let b = s.as_bytes();
        b.first().is_some_and(u8::is_ascii_graphic) && b.last().is_some_and(u8::is_ascii_graphic)
    };
    let amount = match cols.amount.map(cell) {
        None => None,
        Some(a) => {
            let a = a?;
            if a.is_empty() {
                None
            } else if bare(a) {
                Some(a)
            } else {
                return None;
            }
        }
    };
    let cells = Cells {
        date: cell(cols.date)?,
        id: cell(cols.id)?,
        kind: cell(cols.kind)?,
        amount,
    };
    (bare(cells.date) && bare(cells.id) && bare(cells.kind)).then_some(cells)
}

/// A problem found while streaming: where (byte offset of the record in the text the CSV
/// reader saw, field index) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub offset: usize,
    pub field: usize,
    pub message: String,
    pub warning: bool,
}

/// A quote never closed: the record at `offset` runs from the quote at `quote` to the end
/// of the log as one field, its `field`-th (offsets in the log's text). The csv crate reads
/// the log that way, every row after the quote lost in one note, so the fold keeps where it
/// is apart from the row problems: never dropped, and a reason for a reading command to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unclosed {
    pub offset: usize,
    pub field: usize,
    pub quote: usize,
}

impl RowProblem {
    /// A row naming `id`, which no customer has: a warning at the id's field.
    fn unknown_customer(offset: usize, field: usize, id: &str) -> RowProblem {
        RowProblem {
            offset,
            field,
            message: ReadMsg::UnknownCustomer { id }.to_string(),
            warning: true,
        }
    }
}

impl CustomerTotals {
    /// Combines the totals of two chunks of the log: every figure is a max, min, sum or
    /// union, so the order of the rows does not matter.
    pub fn merge(&mut self, o: &CustomerTotals) {
        self.last_touch = self.last_touch.max(o.last_touch);
        self.last_complaint = self.last_complaint.max(o.last_complaint);
        self.sample_requested = later(self.sample_requested, o.sample_requested);
        self.sample_received = later(self.sample_received, o.sample_received);
        self.complaint_count += o.complaint_count;
        self.contact_count += o.contact_count;
    }
}

/// An order as one number that sorts by customer, then day.
pub(super) fn order_key(customer: usize, date: NaiveDate) -> u64 {
    // Days are biased so that the few before the common era sort first too.
    let day = (i64::from(date.num_days_from_ce()) + (1 << 31)) as u64;
    ((customer as u64) << 32) | day
}

/// The customer and day of an order key.
pub(super) fn order_of(key: u64) -> (usize, i64) {
    ((key >> 32) as usize, (key & 0xffff_ffff) as i64 - (1 << 31))
}

/// What one scan (of a whole log, or of one chunk) found.
#[derive(Debug, Default)]
pub(super) struct Findings {
    /// The customers' totals of each scan merged in (a run per scan, by customer position),
    /// merged themselves where they are applied, on every core.
    pub totals: Vec<Vec<CustomerTotals>>,
    /// The orders of each scan merged in, each run sorted when its scan ends (the threads
    /// sort their own): the order figures and the median interval come from them.
    pub orders: Vec<Vec<OrderKey>>,
    /// Problems kept with their positions (offsets in the log's text), at most MAX_KEPT.
    pub problems: Vec<RowProblem>,
    /// Errors and warnings past MAX_KEPT, only counted.
    pub dropped: (u64, u64),
    pub rows: u64,
    pub future_rows: u64,
    /// The stage and grade changes asked for, with their offsets.
    pub changes: Vec<(usize, ChangeRow)>,
    /// The quote left open at the end of the log, if the scan reached it.
    pub unclosed: Option<Unclosed>,
}

/// How many problems are kept with their positions; the rest are counted.
pub const MAX_KEPT: usize = 1000;

impl Findings {
    fn keep(&mut self, p: RowProblem) {
        if self.problems.len() < MAX_KEPT {
            self.problems.push(p);
        } else if p.warning {
            self.dropped.1 += 1;
        } else {
            self.dropped.0 += 1;
        }
    }

    /// Folds another chunk's findings into this one.
    pub fn merge(&mut self, other: Findings) {
        self.totals.extend(other.totals);
        self.orders.extend(other.orders);
        self.changes.extend(other.changes);
        self.rows += other.rows;
        self.future_rows += other.future_rows;
        self.dropped.0 += other.dropped.0;
        self.dropped.1 += other.dropped.1;
        self.unclosed = self.unclosed.or(other.unclosed);
        for p in other.problems {
            self.keep(p);
        }
    }
}

/// How many bytes a scan reads at a time.
pub const BLOCK: usize = 1 << 20;

/// Scans the log's records from `input` into a new Findings, reading `block` bytes at a time
/// (more when a record is longer), plain lines the quick way if `quick` (see
/// [`quick_cells`]), with the book's number of customers and today. `start`
/// is where `input` begins in the log's text (so problems keep their offsets in the whole
/// text); records that start at or after `stop` are left alone. Returns the findings and where the scan stopped: the
/// start of the first record left alone, or the end of the text.
pub(super) fn scan<R: Read>(
    mut input: R,
    cols: &LogColumns,
    index: &IdIndex<'_>,
    (customers, today, since): (usize, NaiveDate, Option<NaiveDate>),
    (start, stop): (usize, usize),
    (block, quick): (usize, bool),
) -> std::io::Result<(Findings, usize)> {
    let mut part = Findings::default();
    let mut totals = Vec::with_capacity(customers);
    huge_pages(totals.spare_capacity_mut());
    totals.resize(customers, CustomerTotals::default());
    let mut splitter = Splitter::new(b',');
    let mut dates = DateCache::default();
    let mut orders: Vec<OrderKey> = Vec::new();
    let mut buf = vec![0u8; block.max(1)];
    // The quick path cuts as many fields as the last one the fold reads, when they are few.
    let last = [cols.date, cols.id, cols.kind, cols.amount.unwrap_or(0)]
        .into_iter()
        .max()
        .unwrap_or(0);
    let quick = Some(last + 1).filter(|&need| quick && need <= QUICK_FIELDS);
    let mut ends = [0usize; QUICK_FIELDS];
    let mut batches = Batches::new();
    let mut to = Sink {
        part: &mut part,
        totals: &mut totals,
        orders: &mut orders,
        cols,
        index,
        today,
    };
    // Reads a row's cells, counts the row, and sends it on to its customer's totals, or
    // keeps its problem.
    let take = |cells: &Cells<'_>,
                offset: usize,
                to: &mut Sink<'_, '_>,
                batches: &mut Batches,
                dates: &mut DateCache| {
        let ids = &mut batches.filling.ids;
        let row = parse_cells(cells, offset, cols, (index, ids), dates);
        to.part.rows += 1;
        match row {
            Ok(row) => batches.push(row, to),
            Err(p) => to.part.keep(p),
        }
    };
    // buf[lo..hi] is unread; `at` is the offset of buf[lo] in the log's text.
    let (mut lo, mut hi, mut at, mut eof) = (0, 0, start, false);
    let mut record_start = at;
    'fill: loop {
        // The whole lines read so far are checked as UTF-8 once, not record by record.
        let lines_end = if eof {
            hi
        } else {
            memchr::memrchr(b'\n', &buf[lo..hi]).map_or(lo, |n| lo + n + 1)
        };
        let checked = match std::str::from_utf8(&buf[lo..lines_end]) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&buf[lo..lo + e.valid_up_to()]).unwrap_or(""),
        };
        let checked_from = lo;
        loop {
            if !splitter.in_record() {
                // Blank lines are skipped here, so `stop` is compared with where a record
                // starts.
                let blank = blank_run(&buf[lo..hi]);
                lo += blank;
                at += blank;
                if lo == hi {
                    if eof {
                        break 'fill;
                    }
                    break;
                }
                if at >= stop {
                    break 'fill;
                }
                record_start = at;
                // The usual line, cut and read without the general splitter. Its cells are
                // read from the checked text, so the line and its LF must lie inside it.
                let from = lo - checked_from;
                if let Some(need) = quick
                    && let Some(len) = plain_prefix(&buf[lo..hi], b',', &mut ends[..need])
                    && from + len < checked.len()
                    && let Some(cells) =
                        quick_cells(&checked[from..from + len], &ends[..need], cols)
                {
                    lo += len + 1;
                    at += len + 1;
                    if let Some(change) = change_in(&cells, (since, today), &mut dates) {
                        // Rare rows: the line is cut again, all of it, for the note.
                        let line = &checked[from..from + len];
                        let mut whole = Splitter::new(b',');
                        if let Step::Record(record, _) = whole.next(line.as_bytes(), true)
                            && let Ok(record) = record.text_within(line)
                        {
                            let change = change_row(&record, cols, change);
                            to.part.changes.push((record_start, change));
                        }
                    }
                    take(&cells, record_start, &mut to, &mut batches, &mut dates);
                    continue;
                }
            }
            let rest_checked = checked.get(lo - checked_from..).unwrap_or("");
            match splitter.next(&buf[lo..hi], eof) {
                Step::Record(record, used) => {
                    lo += used;
                    at += used;
                    let offset = record_start;
                    if let Some(quote) = record.unclosed() {
                        // The rest of the log is this row's last field: not a row to fold.
                        to.part.rows += 1;
                        to.part.unclosed = Some(Unclosed {
                            offset,
                            field: record.len().saturating_sub(1),
                            quote: offset + quote,
                        });
                        continue;
                    }
                    if record.all_empty() {
                        continue;
                    }
                    let text = match record.text_within(rest_checked) {
                        Ok(text) => text,
                        Err(field) => {
                            to.part.rows += 1;
                            to.part.keep(RowProblem {
                                offset,
                                field,
                                message: ReadMsg::LogNotUtf8.to_string(),
                                warning: false,
                            });
                            continue;
                        }
                    };
                    let cells = cells_of(&text, cols);
                    if let Some(change) = change_in(&cells, (since, today), &mut dates) {
                        to.part
                            .changes
                            .push((offset, change_row(&text, cols, change)));
                    }
                    take(&cells, offset, &mut to, &mut batches, &mut dates);
                }
                Step::NeedMore(used) => {
                    lo += used;
                    at += used;
                    break;
                }
                Step::End => break 'fill,
            }
        }
        refill(&mut input, &mut buf, &mut lo, &mut hi, &mut eof)?;
    }
    batches.finish(&mut to);
    orders.sort_unstable();
    part.totals = vec![totals];
    part.orders = vec![orders];
    Ok((part, at))
}

/// Parsed rows on their way to their customers' totals, a batch at a time, in three
/// stages, each a batch apart, so that the memory each needs has come by the time it does:
/// a full batch has its keys' slots in the id index fetched; then its customers found and
/// their totals fetched; then it is added to them. Each fetch is a prefetch: the reads are
/// independent, so their cache misses overlap, and the parsing of the next batch goes on
/// meanwhile.
struct Batches {
    filling: Batch,
    /// Its slots in the index fetched.
    keyed: Batch,
    /// Its totals fetched.
    found: Batch,
    /// The customer of each found row (usize::MAX: none).
    slots: [usize; BATCH],
}

/// A batch of rows, and the long ids their keys hold (see [`IdIndex::key`]).
#[derive(Default)]
struct Batch {
    rows: Vec<Row>,
    ids: Vec<u8>,
}

impl Batches {
    fn new() -> Batches {
        let stage = || Batch {
            rows: Vec::with_capacity(BATCH),
            ids: Vec::new(),
        };
        Batches {
            filling: stage(),
            keyed: stage(),
            found: stage(),
            slots: [usize::MAX; BATCH],
        }
    }

    /// Adds a row; a full batch is sent on (see [`Batches::turn`]).
    fn push(&mut self, row: Row, to: &mut Sink<'_, '_>) {
        self.filling.rows.push(row);
        if self.filling.rows.len() == BATCH {
            self.turn(to);
        }
    }

    /// Moves every batch a stage on: the found rows are added to their totals.
    fn turn(&mut self, to: &mut Sink<'_, '_>) {
        to.add(&self.found, &self.slots);
        self.found.rows.clear();
        self.found.ids.clear();
        std::mem::swap(&mut self.found, &mut self.keyed);
        std::mem::swap(&mut self.keyed, &mut self.filling);
        let found = &self.found;
        for (slot, row) in self.slots.iter_mut().zip(&found.rows) {
            *slot = to
                .index
                .resolve_early(&row.key, &found.ids)
                .unwrap_or(usize::MAX);
            if let Some(a) = to.totals.get(*slot) {
                prefetch(a);
            }
        }
        for row in &self.keyed.rows {
            to.index.prefetch(&row.key);
        }
    }

    /// Adds every row still here.
    fn finish(&mut self, to: &mut Sink<'_, '_>) {
        for _ in 0..3 {
            self.turn(to);
        }
    }
}

/// Where the rows' totals go, with what adding them needs.
struct Sink<'p, 'i> {
    /// For the counts and problems.
    part: &'p mut Findings,
    totals: &'p mut [CustomerTotals],
    orders: &'p mut Vec<OrderKey>,
    cols: &'p LogColumns,
    index: &'p IdIndex<'i>,
    /// Rows after it are counted, not added (a row of no customer is a warning whatever
    /// its date).
    today: NaiveDate,
}

impl Sink<'_, '_> {
    /// Adds a batch's rows, whose customers are `slots`, to their totals; a row of no
    /// customer is a warning.
    fn add(&mut self, batch: &Batch, slots: &[usize]) {
        for (row, &slot) in batch.rows.iter().zip(slots) {
            // A long id's text has come since its customer was guessed (see
            // `IdIndex::resolve_early`): now it is compared.
            let slot = if row.key.is_long() {
                self.index
                    .resolve(&row.key, &batch.ids)
                    .unwrap_or(usize::MAX)
            } else {
                slot
            };
            match self.totals.get_mut(slot) {
                Some(_) if row.date > self.today => self.part.future_rows += 1,
                Some(a) => a.add(row, slot, self.orders),
                None => {
                    let id = self.index.id_of_key(&row.key, &batch.ids);
                    let p = RowProblem::unknown_customer(row.offset, self.cols.id, &id);
                    self.part.keep(p);
                }
            }
        }
    }
}
