//! `clientele log ID KIND`: appends one touch to the activity log, under the log's lock, in
//! its encoding and line endings; the next `due` reflects it at once.

use std::io::Read;

use super::Context;
use crate::error::{Error, Result, display_path};
use crate::model::value::{format_amount, parse_amount, parse_date};
use crate::model::{ActivityKind, Enumeration};
use crate::store::encoding::{self, TextEncoding};
use crate::store::{log::HEADER, read_book, write};

#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// The customer's id
    pub id: String,
    /// call, visit, email, message, order, sample_request, sample_received, complaint, ...
    pub kind: String,
    /// The day of the touch [default: today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// The order's amount
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub amount: Option<String>,
    /// A note
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

pub fn run(args: &LogArgs, ctx: &Context) -> Result<u8> {
    let kind = ActivityKind::parse(&args.kind).ok_or_else(|| {
        Error::Usage(format!(
            "unknown kind \"{}\" (expected one of {})",
            args.kind,
            ActivityKind::expected()
        ))
    })?;
    let date = match &args.date {
        None => ctx.ws.today,
        Some(d) => {
            parse_date(d).map_err(|e| Error::Usage(format!("cannot read --date \"{d}\": {e}")))?
        }
    };
    let amount = match &args.amount {
        None => String::new(),
        Some(a) => format_amount(
            parse_amount(a)
                .map_err(|e| Error::Usage(format!("cannot read --amount \"{a}\": {e}")))?,
        ),
    };
    let rules = ctx.rules()?;
    let opts = ctx.read_options(false);
    let (book, problems) = read_book(&ctx.ws.customers, &rules, opts)?;
    super::context::stop_on_errors(problems)?;
    let id = args.id.trim();
    if !book.customers.iter().any(|c| &*c.id == id) {
        return Err(Error::Usage(format!(
            "unknown customer id \"{id}\" in {}",
            display_path(&book.path)
        )));
    }
    let row = [
        crate::model::value::iso(date),
        id.to_string(),
        kind.id().to_string(),
        amount,
        args.note.clone().unwrap_or_default(),
    ];
    append_rows(&ctx.ws.activities, &[row], ctx.ws.encoding)?;
    Ok(0)
}

/// Rows checked to fit the activity log's encoding, ready to append.
#[derive(Debug)]
pub struct Append {
    path: std::path::PathBuf,
    rows: Vec<[String; 5]>,
    forced: Option<&'static encoding_rs::Encoding>,
}

/// Checks that the log's encoding can hold the rows, writing nothing. Whether to create the
/// log or append to it is decided again under its lock, in [`Append::write`].
pub fn prepare_rows(
    path: &std::path::Path,
    rows: &[[String; 5]],
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<Append> {
    let append = Append {
        path: path.to_path_buf(),
        rows: rows.to_vec(),
        forced,
    };
    append.bytes()?;
    Ok(append)
}

impl Append {
    /// The bytes to write now: the whole new log (header included) when there is none, else
    /// the rows in the log's encoding and line ending, after a line end if the last line
    /// lacks one.
    fn bytes(&self) -> Result<(bool, Vec<u8>)> {
        if !self.path.exists() {
            let mut text = format!("{}\n", HEADER.join(","));
            for row in &self.rows {
                text.push_str(&csv_row(row, "\n"));
            }
            return Ok((true, text.into_bytes()));
        }
        let (enc, line_ending) = sniff(&self.path, self.forced)?;
        let mut text = String::new();
        if write::last_byte(&self.path)?.is_some_and(|b| b != b'\n') {
            text.push_str(line_ending);
        }
        for row in &self.rows {
            text.push_str(&csv_row(row, line_ending));
        }
        // Appended bytes never carry a BOM: only the file's start does.
        let bytes = encoding::encode(&text, TextEncoding { bom: false, ..enc }).map_err(|e| {
            Error::Usage(format!(
                "{}: cannot write the note: {e}",
                display_path(&self.path)
            ))
        })?;
        Ok((false, bytes))
    }

    /// Creates or appends under the log's lock.
    pub fn write(self) -> Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let _lock = write::lock(&self.path)?;
        match self.bytes()? {
            (true, bytes) => write::create(&self.path, &bytes),
            (false, bytes) => write::append(&self.path, &bytes),
        }
    }
}

/// Appends rows to the activity log: encoded first, then written under the log's lock.
pub fn append_rows(
    path: &std::path::Path,
    rows: &[[String; 5]],
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    prepare_rows(path, rows, forced)?.write()
}

/// One CSV row, quoted where needed, ended with `line_ending`.
fn csv_row(fields: &[String], line_ending: &str) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect();
    format!("{}{line_ending}", quoted.join(","))
}

/// The log's encoding and line ending, from its first bytes.
fn sniff(
    path: &std::path::Path,
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<(TextEncoding, &'static str)> {
    let mut head = Vec::with_capacity(64 * 1024);
    std::fs::File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
        .map_err(|e| Error::io(path, e))?;
    let enc = encoding::sniff(&head, forced);
    // UTF-16 puts a zero byte between '\r' and '\n'; look for either form.
    let crlf = head.windows(2).any(|w| w == b"\r\n")
        || head
            .windows(4)
            .any(|w| w == b"\r\0\n\0" || w == b"\0\r\0\n");
    Ok((enc, if crlf { "\r\n" } else { "\n" }))
}
