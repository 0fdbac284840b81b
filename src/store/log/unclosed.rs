//! A quote never closed in the activity log: the csv format reads every line after it as
//! part of that field, so it is an error at the quote (with how much it swallows) that stops
//! a reading command, and that `log` looks for before it appends.

use std::path::Path;

use super::{Streamed, file_at, open_utf8, read_error, readable};
use crate::error::{Diagnostic, Result};
use crate::model::messages::read::ReadMsg;
use crate::store::fast;

/// A quote the end of the log at `path` leaves open, as the error `log` refuses to append
/// on: a row written after it would be read as part of that field. None when every quoted
/// field is closed (or there is no log).
pub fn unclosed_quote(
    path: &Path,
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<Option<Diagnostic>> {
    if !file_at(path)? {
        return Ok(None);
    }
    let path = &*readable(path)?;
    let (stream, enc) = open_utf8(path, forced)?;
    let Some(quote) =
        fast::unclosed_quote(stream, b',').map_err(|e| read_error(e, path, forced))?
    else {
        return Ok(None);
    };
    // Rare: the column is found the plain way, from the csv crate's last record.
    let streamed = Streamed::read(path, enc)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(streamed.text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut field = 0;
    while rdr.read_byte_record(&mut record).unwrap_or(false) {
        field = record.len().saturating_sub(1);
    }
    Ok(Some(unclosed_diagnostic(
        path,
        &streamed,
        (quote, field),
        true,
    )))
}

/// The error for a quote left open at `quote` (an offset in what the fold read), in the
/// `field`-th column, with how much of the log it swallows; `append`: said to `log`, which
/// writes nothing after it.
pub(super) fn unclosed_diagnostic(
    path: &Path,
    streamed: &Streamed,
    (quote, field): (usize, usize),
    append: bool,
) -> Diagnostic {
    let text = &streamed.text;
    let quote = streamed.at(quote);
    let rest = &text.as_bytes()[quote..];
    let ended = rest.ends_with(b"\n") || rest.ends_with(b"\r");
    let lines = crate::lines::line_ends(text.as_bytes(), quote..text.len()) - usize::from(ended);
    let message = ReadMsg::QuoteNeverClosed.to_string();
    let d = Diagnostic::at(path, text, quote, 1, message);
    let d = match super::header_cells(text).get(field) {
        Some(h) => d.in_column(field, h),
        None => d,
    };
    d.with_hint(ReadMsg::LogQuoteHint { lines, append }.to_string())
}
