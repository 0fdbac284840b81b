//! Plain twins of the fast paths, written the obvious way (the `csv` crate, a `HashMap`, one
//! loop over the rows), for the property tests to hold the fast code to. Slow, and only
//! built for tests.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::fold::{Folded, Order};
use super::scan::{CustomerTotals, LogColumns, RowProblem, Unclosed};
use crate::model::messages::read::ReadMsg;
use crate::model::value::{parse_amount, parse_date, trim};
use crate::model::{ActivityKind, ChangeRow, Customer, Enumeration, RowKey, later};

/// A record as its fields' bytes, and whether it is UTF-8 (else the index of its first
/// field that is not).
pub type RecordRead = (Vec<Vec<u8>>, Result<(), usize>);

/// The records of `text`, as the `csv` crate reads them (no header, any number of fields).
pub fn records(text: &[u8], delimiter: u8) -> Vec<RecordRead> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text);
    let mut out = Vec::new();
    for r in rdr.byte_records() {
        let r = r.expect("byte records never fail");
        let fields = r.iter().map(<[u8]>::to_vec).collect();
        let text = csv::StringRecord::from_byte_record(r)
            .map(|_| ())
            .map_err(|e| e.utf8_error().field());
        out.push((fields, text));
    }
    out
}

/// Where the quote is that opened a field the end of `text` leaves open (a `"` missing),
/// byte by byte through the states of a CSV field as the `csv` crate reads it.
pub fn unclosed_quote(text: &[u8], delimiter: u8) -> Option<usize> {
    #[derive(Clone, Copy)]
    enum In {
        FieldStart,
        Unquoted,
        Quoted(usize),
        /// Just after a quote inside a quoted field: its end, or the first of two quotes.
        AfterQuote(usize),
    }
    let mut state = In::FieldStart;
    for (i, &b) in text.iter().enumerate() {
        let ends_field = b == delimiter || b == b'\n' || b == b'\r';
        state = match state {
            In::FieldStart if b == b'"' => In::Quoted(i),
            In::Quoted(open) if b == b'"' => In::AfterQuote(open),
            In::Quoted(open) => In::Quoted(open),
            In::AfterQuote(open) if b == b'"' => In::Quoted(open),
            _ if ends_field => In::FieldStart,
            _ => In::Unquoted,
        };
    }
    match state {
        In::Quoted(open) => Some(open),
        _ => None,
    }
}

/// Each id's first position, and every later position of an id seen before with that
/// first position: what [`super::IdTable::build`] gives.
pub fn first_positions(ids: &[&str]) -> (HashMap<String, usize>, Vec<(usize, usize)>) {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut duplicates = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        match first.get(*id) {
            Some(&f) => duplicates.push((i, f)),
            None => {
                first.insert(id.to_string(), i);
            }
        }
    }
    (first, duplicates)
}

/// The log `text` (its bytes after any byte-order mark, its data from `data_start` on)
/// folded into the totals of `customers`, one row at a time: what [`super::fold`] gives.
pub fn fold(
    text: &[u8],
    data_start: usize,
    cols: &LogColumns,
    customers: &[Customer],
    (today, since): (NaiveDate, Option<NaiveDate>),
) -> Folded {
    let ids: Vec<&str> = customers.iter().map(|c| c.id.as_str()).collect();
    let (first, _) = first_positions(&ids);
    let mut folded = Folded {
        totals: vec![CustomerTotals::default(); customers.len()],
        ..Folded::default()
    };
    // A quote left open makes the last record run from it to the end.
    let unclosed = unclosed_quote(&text[data_start..], b',').map(|q| data_start + q);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&text[data_start..]);
    let mut record = csv::ByteRecord::new();
    while rdr
        .read_byte_record(&mut record)
        .expect("byte records never fail")
    {
        let end = data_start + rdr.position().byte() as usize;
        // The csv crate gives a record's position after a CR line end, which is the LF still
        // belonging to the line before.
        let mut offset = data_start + record.position().map_or(0, |p| p.byte() as usize);
        while matches!(text.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        if let Some(quote) = unclosed.filter(|&q| q < end) {
            folded.rows += 1;
            folded.unclosed = Some(Unclosed {
                offset,
                field: record.len() - 1,
                quote,
            });
            break;
        }
        if record.iter().all(<[u8]>::is_empty) {
            continue;
        }
        folded.rows += 1;
        let record = match csv::StringRecord::from_byte_record(record.clone()) {
            Ok(r) => r,
            Err(e) => {
                let message = ReadMsg::LogNotUtf8.to_string();
                keep(
                    &mut folded,
                    problem(offset, e.utf8_error().field(), &message),
                );
                continue;
            }
        };
        let cell = |i: usize| trim(record.get(i).unwrap_or(""));
        fold_row(&mut folded, offset, cell, cols, &first, (today, since));
    }
    folded.orders.sort_unstable();
    folded
}

/// One row of the log, its cells given by `cell`, folded in (see [`fold`]).
fn fold_row<'a>(
    folded: &mut Folded,
    offset: usize,
    cell: impl Fn(usize) -> &'a str,
    cols: &LogColumns,
    first: &HashMap<String, usize>,
    (today, since): (NaiveDate, Option<NaiveDate>),
) {
    let (date, id, kind) = (cell(cols.date), cell(cols.id), cell(cols.kind));
    let amount = cols.amount.map(&cell).filter(|a| !a.is_empty());
    // A stage or grade change since the date asked, an unknown customer's too.
    if let (Some(since), Some(k), Ok(d)) = (since, ActivityKind::parse(kind), parse_date(date))
        && matches!(k, ActivityKind::StageChange | ActivityKind::GradeChange)
        && since <= d
        && d <= today
    {
        let note = cols.note.map(&cell).unwrap_or("").to_string();
        let change = ChangeRow {
            date: d,
            customer_id: id.to_string(),
            kind: k,
            note,
        };
        folded.changes.push((offset, change));
    }
    let date = match parse_date(date) {
        Ok(d) => d,
        Err(e) => {
            let message = ReadMsg::CannotRead {
                text: date,
                why: e.0,
            }
            .to_string();
            return keep(folded, problem(offset, cols.date, &message));
        }
    };
    let Some(kind) = ActivityKind::parse(kind) else {
        let expected = ActivityKind::expected();
        let message = ReadMsg::Unknown {
            what: ActivityKind::WHAT,
            text: kind,
            expected: &expected,
            expected_zh: &ActivityKind::expected_zh(),
        }
        .to_string();
        return keep(folded, problem(offset, cols.kind, &message));
    };
    let amount = match amount.map(parse_amount) {
        None => 0,
        Some(Ok(a)) => a,
        Some(Err(e)) => {
            let text = amount.unwrap_or_default();
            let message = ReadMsg::CannotRead { text, why: e.0 }.to_string();
            return keep(folded, problem(offset, cols.amount.unwrap_or(0), &message));
        }
    };
    let Some(&customer) = first.get(id) else {
        let message = ReadMsg::UnknownCustomer { id }.to_string();
        let warning = RowProblem {
            warning: true,
            ..problem(offset, cols.id, &message)
        };
        return keep(folded, warning);
    };
    if date > today {
        folded.future_rows += 1;
        return;
    }
    let t = &mut folded.totals[customer];
    if kind.is_touch() {
        t.last_touch = t.last_touch.max(RowKey::new(date, offset));
        t.contact_count += 1;
    }
    match kind {
        ActivityKind::Order => folded.orders.push(Order {
            customer,
            day: i64::from(chrono::Datelike::num_days_from_ce(&date)),
            amount,
        }),
        ActivityKind::SampleRequest => t.sample_requested = later(t.sample_requested, Some(date)),
        ActivityKind::SampleReceived => t.sample_received = later(t.sample_received, Some(date)),
        ActivityKind::Complaint => {
            t.complaint_count += 1;
            t.last_complaint = t.last_complaint.max(RowKey::new(date, offset));
        }
        _ => {}
    }
}

fn problem(offset: usize, field: usize, message: &str) -> RowProblem {
    RowProblem {
        offset,
        field,
        message: message.to_string(),
        warning: false,
    }
}

/// Keeps a problem, the first [`super::MAX_KEPT`] of them; the rest are counted.
fn keep(folded: &mut Folded, p: RowProblem) {
    if folded.problems.len() < super::MAX_KEPT {
        folded.problems.push(p);
    } else if p.warning {
        folded.dropped.1 += 1;
    } else {
        folded.dropped.0 += 1;
    }
}
