//! `clientele log ID KIND`: appends one touch to the activity log, under the workspace's lock
//! and through the journal, in its encoding and line endings; the next `due` reflects it at
//! once.

use std::io::Read;

use super::Context;
use crate::error::{Error, Result, display_path};
use crate::model::messages::Msg;
use crate::model::messages::commands::guard::{Arg, GuardMsg};
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
    /// The day of the touch, not after today [default: today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// The order's amount: an order needs one (--amount 0 for a free one), other kinds take none
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
    printable(Arg::Id, &args.id)?;
    if let Some(note) = &args.note {
        printable(Arg::Note, note)?;
    }
    let date = match &args.date {
        None => ctx.ws.today,
        Some(d) => parse_date(d).map_err(|e| cannot_read("--date", d, &e))?,
    };
    if date > ctx.ws.today {
        let text = args.date.as_deref().unwrap_or_default();
        let today = iso(ctx.ws.today);
        return Err(Error::Usage(
            GuardMsg::DateAfterToday {
                date: text.trim(),
                today: &today,
            }
            .to_string(),
        ));
    }
    // An amount only an order has; an order without one would count as nothing.
    let amount = match (&args.amount, kind) {
        (Some(_), kind) if kind != ActivityKind::Order => {
            return Err(Error::Usage(GuardMsg::AmountNotOrder { kind }.to_string()));
        }
        (None, ActivityKind::Order) => {
            return Err(Error::Usage(GuardMsg::OrderNeedsAmount.to_string()));
        }
        (None, _) => String::new(),
        (Some(a), _) => format_amount(parse_amount(a).map_err(|e| cannot_read("--amount", a, &e))?),
    };
    let rules = ctx.rules()?;
    // The book's text is kept: a new log is written as the book is.
    let opts = ctx.read_options(true);
    let (mut book, problems) = read_book(&ctx.ws.customers, &rules, opts)?;
    super::context::stop_on_errors(problems)?;
    let id = args.id.trim();
    if !book.customers.iter().any(|c| &*c.id == id) {
        let book = display_path(&book.path);
        return Err(Error::Usage(
            Msg::UnknownCustomer { id, book: &book }.to_string(),
        ));
    }
    // The log is looked at under its lock, held to the write: another run's rows are never
    // seen half-written. It must read back with the row: what stops the readers (a header
    // that names no columns, bytes that are not text) stops the append. Its rows' own
    // problems do not: the readers skip those.
    let _lock = write::lock(&journal::dir(&ctx.ws.root), &ctx.ws.activities)?;
    journal::recover_locked(&ctx.ws.root)?;
    if LogState::of(&ctx.ws.activities, ctx.ws.encoding)? == LogState::Rows {
        let mut skipped = Vec::new();
        crate::store::log::fold(
            &ctx.ws.activities,
            &mut book,
            ctx.ws.today,
            ctx.ws.encoding,
            &mut skipped,
        )?;
    }
    let row = [
        id.to_string(),
        kind.id().to_string(),
        amount,
        args.note.clone().unwrap_or_default(),
    ];
    // A row after a quote left open would be read as part of that field.
    if let Some(d) = crate::store::log::unclosed_quote(&ctx.ws.activities, ctx.ws.encoding)? {
        return Err(d.into());
    }
    // A test's person may save the book or type into the log here (`failpoints` builds).
    crate::store::pause::pause("after-read");
    let new_log = NewLog::beside(&book);
    prepare_rows(&ctx.ws.activities, &[(date, row)], ctx.ws.encoding, new_log)?
        .write(&ctx.ws.root)?;
    Ok(0)
}

/// Refuses a value with a control character (a NUL, an escape, …): the log would hold it as
/// it is, and no reader or table shows it. A tab is text; a note may also have line breaks,
/// which the log keeps inside quotes.
fn printable(what: Arg, text: &str) -> Result<()> {
    let allowed = |c: char| c == '\t' || (what == Arg::Note && matches!(c, '\n' | '\r'));
    match text.chars().find(|&c| c.is_control() && !allowed(c)) {
        Some(ch) => Err(Error::Usage(GuardMsg::ControlChar { what, ch }.to_string())),
        None => Ok(()),
    }
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

/// Rows checked to be added to the activity log, ready to write: checked and written under
/// the workspace's lock, which the caller holds from the check to the write.
#[derive(Debug)]
pub struct Append {
    path: std::path::PathBuf,
    landing: Landing,
    rows: usize,
}

/// Checks that the rows (at least one) can be added to the log and read back: its encoding
/// holds them, its last line is whole. Nothing is written until [`Append::staged`] goes to
/// the journal. The caller holds the workspace's lock, so what was checked is what is
/// written to.
pub fn prepare_rows(
    path: &std::path::Path,
    rows: &[(NaiveDate, [String; 4])],
    forced: Option<&'static encoding_rs::Encoding>,
    new_log: NewLog,
) -> Result<Append> {
    let new = NewRows {
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
    let landing = new.landing()?;
    Ok(Append {
        path: new.path,
        landing,
        rows: rows.len(),
    })
}

impl Append {
    /// Creates, fills or appends to the log through the journal, the workspace at `root`
    /// locked by the caller.
    pub fn write(self, root: &std::path::Path) -> Result<()> {
        let staged = self.staged()?;
        journal::commit(root, &self.path, &[], Some(&staged))
    }

    /// The log's part of a change: the whole new log when there is none (or it held nothing
    /// but white space), else the rows to append at its end as it is now.
    pub fn staged(&self) -> Result<LogWrite> {
        let (at, replaces, bytes) = match &self.landing {
            Landing::Create(bytes) => (None, None, bytes.clone()),
            Landing::Fill(bytes) => {
                let before = crate::store::Fingerprint::of_file(&self.path)?;
                (None, before, bytes.clone())
            }
            Landing::Append(bytes) => {
                let meta = std::fs::metadata(&self.path).map_err(|e| Error::io(&self.path, e))?;
                (Some(meta.len()), None, bytes.clone())
            }
        };
        Ok(LogWrite {
            path: self.path.clone(),
            at,
            replaces,
            bytes,
            rows: self.rows,
        })
    }
}

/// Rows for the activity log, each a date, an id, a kind by its id, an amount and a note;
/// written as the log writes its rows (a new log: as [`NewLog`] says).
#[derive(Debug)]
struct NewRows {
    path: std::path::PathBuf,
    rows: Vec<[String; 5]>,
    dates: Vec<NaiveDate>,
    forced: Option<&'static encoding_rs::Encoding>,
    new_log: NewLog,
}

/// What an activity log holds, as far as adding rows to it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LogState {
    Missing,
    /// Nothing but white space (and perhaps a byte-order mark, this encoding's).
    Blank(Option<TextEncoding>),
    Rows,
}

impl LogState {
    fn of(
        path: &std::path::Path,
        forced: Option<&'static encoding_rs::Encoding>,
    ) -> Result<LogState> {
        if !path.exists() {
            return Ok(LogState::Missing);
        }
        const HEAD: u64 = 64 * 1024;
        let mut head = Vec::new();
        let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        (&mut file)
            .take(HEAD + 1)
            .read_to_end(&mut head)
            .map_err(|e| Error::io(path, e))?;
        if head.len() as u64 > HEAD {
            return Ok(LogState::Rows);
        }
        let enc = encoding::sniff_log(&head, forced);
        let bom = enc.bom_len();
        let blank = enc
            .encoding
            .decode_without_bom_handling_and_without_replacement(&head[bom..])
            .is_some_and(|text| text.trim().is_empty());
        Ok(match blank {
            true => LogState::Blank(enc.bom.then_some(enc)),
            false => LogState::Rows,
        })
    }
}

/// How rows reach the log: a new log, an empty one filled, or rows appended.
#[derive(Debug)]
enum Landing {
    Create(Vec<u8>),
    Fill(Vec<u8>),
    Append(Vec<u8>),
}

impl NewRows {
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

    /// A whole new log, header included, as [`NewLog`] says (in `encoding` when given: an
    /// empty log's own, shown by its byte-order mark).
    fn whole(&self, encoding: Option<TextEncoding>) -> Result<Vec<u8>> {
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
        encoding::encode(&text, encoding.unwrap_or(new.encoding))
            .map_err(|e| cannot_write_note(&self.path, &e))
    }

    /// The bytes to write now and how: the whole new log (header included) when there is
    /// none or it holds nothing, else the rows in the log's encoding, line ending and
    /// spelling. A last line without its line end is refused: it may be a row cut short.
    fn landing(&self) -> Result<Landing> {
        match LogState::of(&self.path, self.forced)? {
            LogState::Missing => return Ok(Landing::Create(self.whole(None)?)),
            LogState::Blank(enc) => return Ok(Landing::Fill(self.whole(enc)?)),
            LogState::Rows => {}
        }
        let (enc, line_ending, utf8) = sniff(&self.path, self.forced)?;
        if utf8 && enc.encoding != encoding_rs::UTF_8 {
            return Err(Error::Refused(
                GuardMsg::Utf8ReadAs {
                    file: &display_path(&self.path),
                    encoding: enc.encoding.name(),
                }
                .to_string(),
            ));
        }
        let plain = TextEncoding { bom: false, ..enc };
        let tail = write::tail(&self.path, 4)?;
        let ends = |s: &str| encoding::encode(s, plain).is_ok_and(|b| tail.ends_with(&b));
        let mut text = String::new();
        if !ends("\n") && !ends("\r") {
            // The header alone, as `echo -n` leaves it, is whole: the readers found it
            // naming the columns. A row may have been cut short.
            if !header_only(&self.path, plain)? {
                return Err(Error::Refused(
                    GuardMsg::LogIncompleteLine {
                        file: &display_path(&self.path),
                    }
                    .to_string(),
                ));
            }
            text.push_str(line_ending);
        }
        let spelling = spelling(&self.path, self.forced)?;
        for row in self.spelled(&spelling) {
            text.push_str(&csv_row(&row, line_ending));
        }
        // Appended bytes never carry a BOM: only the file's start does.
        let bytes =
            encoding::encode(&text, plain).map_err(|e| cannot_write_note(&self.path, &e))?;
        Ok(Landing::Append(bytes))
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

/// The log's encoding and line ending, from its first bytes, and whether those bytes are
/// UTF-8 with more than ASCII (which only a forced encoding reads as another).
fn sniff(
    path: &std::path::Path,
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<(TextEncoding, &'static str, bool)> {
    let mut head = Vec::with_capacity(64 * 1024);
    std::fs::File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
        .map_err(|e| Error::io(path, e))?;
    let enc = encoding::sniff_log(&head, forced);
    // UTF-16 puts a zero byte between '\r' and '\n'; look for either form.
    let crlf = head.windows(2).any(|w| w == b"\r\n")
        || head
            .windows(4)
            .any(|w| w == b"\r\0\n\0" || w == b"\0\r\0\n");
    // The head may end inside a character.
    let utf8 = !head.is_ascii()
        && std::str::from_utf8(&head).map_or_else(|e| e.error_len().is_none(), |_| true);
    Ok((enc, if crlf { "\r\n" } else { "\n" }, utf8))
}

/// Whether the log is one line (its header): no line end in it anywhere.
fn header_only(path: &std::path::Path, enc: TextEncoding) -> Result<bool> {
    const HEAD: usize = 64 * 1024;
    let bytes = write::tail(path, HEAD as u64 + 1)?;
    if bytes.len() > HEAD {
        return Ok(false);
    }
    let (text, _) = enc.encoding.decode_with_bom_removal(&bytes);
    Ok(!text.contains(['\n', '\r']))
}
