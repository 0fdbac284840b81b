//! `clientele log ID KIND`: appends one touch to the activity log, under the workspace's lock
//! and through the journal, in its encoding and line endings; the next `due` reflects it at
//! once.

use std::io::Read;

use super::Context;
use crate::error::{Error, Result, display_path};
use crate::model::messages::Msg;
use crate::model::messages::commands::{CmdMsg, What};
use chrono::NaiveDate;

use crate::model::value::{format_amount, iso, parse_amount, parse_date};
use crate::model::{ActivityKind, Enumeration};
use crate::store::encoding::{self, TextEncoding};
use crate::store::journal::{self, LogWrite};
use crate::store::log::{HEADER, HEADER_ZH, LogSpelling, spelling};
use crate::store::{Book, Form, read_book, style, write};

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
        Error::Usage(
            CmdMsg::Unknown {
                what: What::Kind,
                text: &args.kind,
                expected: &ActivityKind::expected(),
            }
            .to_string(),
        )
    })?;
    let date = match &args.date {
        None => ctx.ws.today,
        Some(d) => parse_date(d).map_err(|e| cannot_read("--date", d, &e))?,
    };
    let amount = match &args.amount {
        None => String::new(),
        Some(a) => format_amount(parse_amount(a).map_err(|e| cannot_read("--amount", a, &e))?),
    };
    let rules = ctx.rules()?;
    // The book's text is kept: a new log is written as the book is.
    let opts = ctx.read_options(true);
    let (book, problems) = read_book(&ctx.ws.customers, &rules, opts)?;
    super::context::stop_on_errors(problems)?;
    let id = args.id.trim();
    if !book.customers.iter().any(|c| &*c.id == id) {
        let book = display_path(&book.path);
        return Err(Error::Usage(
            Msg::UnknownCustomer { id, book: &book }.to_string(),
        ));
    }
    let row = [
        id.to_string(),
        kind.id().to_string(),
        amount,
        args.note.clone().unwrap_or_default(),
    ];
    let new_log = NewLog::beside(&book);
    prepare_rows(&ctx.ws.activities, &[(date, row)], ctx.ws.encoding, new_log)?
        .write(&ctx.ws.root)?;
    Ok(0)
}

/// An option's value that cannot be read, and why.
fn cannot_read(option: &str, text: &str, error: &dyn std::fmt::Display) -> Error {
    let error = error.to_string();
    Error::Usage(
        CmdMsg::CannotRead {
            option,
            text,
            error: &error,
        }
        .to_string(),
    )
}

/// The log's encoding cannot hold a row's character.
fn cannot_write_note(path: &std::path::Path, e: &encoding::EncodeError) -> Error {
    let file = display_path(path);
    Error::Usage(
        CmdMsg::CannotWriteNote {
            file: &file,
            encoding: e.name,
            ch: e.ch,
        }
        .to_string(),
    )
}

/// How a new activity log is written: as the book beside it is (its encoding and byte-order
/// mark, its line ends), with Chinese headers and kind names beside a book of Chinese
/// headers.
#[derive(Clone, Copy, Debug)]
pub struct NewLog {
    pub encoding: TextEncoding,
    pub line_ending: &'static str,
    pub chinese: bool,
}

impl NewLog {
    /// A new log as the book it sits beside is written (UTF-8 and LF beside a TOML book;
    /// beside a workbook, as Excel writes a "CSV UTF-8": with a byte-order mark, which Excel
    /// needs to open UTF-8, and CRLF).
    pub fn beside(book: &Book) -> NewLog {
        match &book.form {
            Form::Csv(src) => NewLog {
                encoding: src.encoding,
                line_ending: src.line_ending,
                chinese: style::chinese(&src.header),
            },
            Form::Workbook(src) => NewLog {
                encoding: TextEncoding {
                    encoding: encoding_rs::UTF_8,
                    bom: true,
                },
                line_ending: "\r\n",
                chinese: style::chinese(&src.header),
            },
            _ => NewLog {
                encoding: TextEncoding {
                    encoding: encoding_rs::UTF_8,
                    bom: false,
                },
                line_ending: "\n",
                chinese: false,
            },
        }
    }
}

/// Rows checked to fit the activity log's encoding, ready to append. Each row holds a date,
/// an id, a kind by its id, an amount and a note; they are written as the log writes its
/// rows (a new log: as [`NewLog`] says).
#[derive(Debug)]
pub struct Append {
    path: std::path::PathBuf,
    rows: Vec<[String; 5]>,
    dates: Vec<NaiveDate>,
    forced: Option<&'static encoding_rs::Encoding>,
    new_log: NewLog,
}

/// Checks that the log's encoding can hold the rows, writing nothing. Whether to create the
/// log or append to it is decided again under the lock, in [`Append::staged`].
pub fn prepare_rows(
    path: &std::path::Path,
    rows: &[(NaiveDate, [String; 4])],
    forced: Option<&'static encoding_rs::Encoding>,
    new_log: NewLog,
) -> Result<Append> {
    let append = Append {
        path: path.to_path_buf(),
        rows: rows
            .iter()
            .map(|(date, [id, kind, amount, note])| {
                [
                    iso(*date),
                    id.clone(),
                    kind.clone(),
                    amount.clone(),
                    note.clone(),
                ]
            })
            .collect(),
        dates: rows.iter().map(|(d, _)| *d).collect(),
        forced,
        new_log,
    };
    append.bytes()?;
    Ok(append)
}

impl Append {
    /// The rows spelled as a log spells them: kinds by Chinese name or id, dates in its form.
    fn spelled(&self, spelling: &LogSpelling) -> Vec<[String; 5]> {
        self.rows
            .iter()
            .zip(&self.dates)
            .map(|(row, date)| {
                let mut row = row.clone();
                if spelling.chinese_kinds
                    && let Some(kind) = ActivityKind::parse(&row[2])
                {
                    row[2] = kind.zh().to_string();
                }
                if let Some(format) = &spelling.dates {
                    row[0] = style::format_date(*date, format);
                }
                row
            })
            .collect()
    }

    /// The bytes to write now: the whole new log (header included) when there is none, else
    /// the rows in the log's encoding, line ending and spelling, after a line end if the last
    /// line lacks one.
    fn bytes(&self) -> Result<(bool, Vec<u8>)> {
        if !self.path.exists() {
            let new = self.new_log;
            let header = if new.chinese { HEADER_ZH } else { HEADER };
            let mut text = format!("{}{}", header.join(","), new.line_ending);
            let spelling = LogSpelling {
                chinese_kinds: new.chinese,
                dates: None,
            };
            for row in self.spelled(&spelling) {
                text.push_str(&csv_row(&row, new.line_ending));
            }
            let bytes = encoding::encode(&text, new.encoding)
                .map_err(|e| cannot_write_note(&self.path, &e))?;
            return Ok((true, bytes));
        }
        let (enc, line_ending) = sniff(&self.path, self.forced)?;
        let spelling = spelling(&self.path, self.forced)?;
        let mut text = String::new();
        if write::last_byte(&self.path)?.is_some_and(|b| b != b'\n') {
            text.push_str(line_ending);
        }
        for row in self.spelled(&spelling) {
            text.push_str(&csv_row(&row, line_ending));
        }
        // Appended bytes never carry a BOM: only the file's start does.
        let bytes = encoding::encode(&text, TextEncoding { bom: false, ..enc })
            .map_err(|e| cannot_write_note(&self.path, &e))?;
        Ok((false, bytes))
    }

    /// Creates the log or appends to it, through the journal, under the lock of the
    /// workspace at `root` (a change an interrupted run left is finished first).
    pub fn write(self, root: &std::path::Path) -> Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let _lock = write::lock(&journal::dir(root), &self.path)?;
        journal::recover_locked(root)?;
        let staged = self.staged()?;
        journal::commit(root, &self.path, &[], staged.as_ref())
    }

    /// The log's part of a change, made now for the log as it is: the whole new log when
    /// there is none, else the rows to append at its end. The caller holds the workspace's
    /// lock.
    pub fn staged(&self) -> Result<Option<LogWrite>> {
        if self.rows.is_empty() {
            return Ok(None);
        }
        let (new, bytes) = self.bytes()?;
        let at = if new {
            None
        } else {
            let meta = std::fs::metadata(&self.path).map_err(|e| Error::io(&self.path, e))?;
            Some(meta.len())
        };
        Ok(Some(LogWrite {
            path: self.path.clone(),
            at,
            bytes,
            rows: self.rows.len(),
        }))
    }
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
