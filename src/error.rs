//! One error type for the whole tool; problems found in a user's file carry their position
//! and render rustc-style: `path:line:col: message`, the line, a caret under the value.

use std::fmt;
use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthStr;

/// How bad a diagnostic is: errors stop a command, warnings are printed and it goes on;
/// notes are what `check` tells about a book read as meant (a column no rule uses, a totals
/// row skipped), shown by `check` only and never a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// The offending line of a file and where on it the problem sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    /// The whole line, without its line ending.
    pub line_text: String,
    /// Byte offset of the problem within `line_text`.
    pub start: usize,
    /// Byte length of the problem (at least one caret is drawn).
    pub len: usize,
}

/// A problem in one of the user's files (or in the configuration), with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based, in characters; 0 when unknown.
    pub col: usize,
    pub message: String,
    /// Boxed: diagnostics travel in `Result`s, which should stay small.
    pub snippet: Option<Box<Snippet>>,
    pub hint: Option<String>,
    /// The cell of a workbook (`Sheet1!C7`), which stands for line and column there (boxed,
    /// like the snippet, to keep the diagnostic small).
    pub cell: Option<Box<String>>,
    /// The column of a cell's problem: its index (from 0; None in a TOML book, whose keys
    /// are not lettered) and the header (key) the user wrote over it.
    pub column: Option<Box<(Option<u32>, String)>>,
}

impl Diagnostic {
    /// A problem at a byte range of `text`, the decoded contents of the file at `path`.
    /// Its line is counted from the start of the text: a reader placing many problems in
    /// one text places them with a [`Locator`], which counts on from the one before.
    pub fn at(
        path: &Path,
        text: &str,
        start: usize,
        len: usize,
        message: impl Into<String>,
    ) -> Self {
        Locator::new(path, text).at(start, len, message)
    }

    /// A problem with a whole file, or one whose position is known only by line.
    pub fn file(path: &Path, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: display_path(path),
            line,
            col: 0,
            message: message.into(),
            snippet: None,
            hint: None,
            cell: None,
            column: None,
        }
    }

    /// A problem at a cell of a workbook's sheet: `row` and `col` from 0, as the sheet counts
    /// them (`Sheet1!C7` is row 6, column 2).
    pub fn cell(
        path: &Path,
        sheet: &str,
        (row, col): (u32, u32),
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            cell: Some(Box::new(format!(
                "{sheet}!{}{}",
                column_letters(col),
                row + 1
            ))),
            ..Diagnostic::file(path, 0, message)
        }
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// The diagnostic as a note: one line, without the snippet (a note is read in passing).
    pub fn note(mut self) -> Self {
        self.severity = Severity::Note;
        self.snippet = None;
        self
    }

    /// Names the spreadsheet column of the problem: its index (from 0) and its header.
    pub fn in_column(mut self, index: usize, header: &str) -> Self {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        self.column = Some(Box::new((Some(index), header.to_string())));
        self
    }

    /// Names the key (a TOML book's field, as the user wrote it) of the problem.
    pub fn in_field(mut self, key: &str) -> Self {
        self.column = Some(Box::new((None, key.to_string())));
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `path:line:col` as far as it is known (`path:Sheet1!C7` in a workbook).
    pub fn location(&self) -> String {
        if let Some(cell) = &self.cell {
            return format!("{}:{cell}", self.path);
        }
        match (self.line, self.col) {
            (0, _) => self.path.clone(),
            (l, 0) => format!("{}:{l}", self.path),
            (l, c) => format!("{}:{l}:{c}", self.path),
        }
    }
}

/// Where a byte offset of a text is: the line it is on (from 1), where that line starts,
/// and its column (from 1, in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Mark {
    offset: usize,
    line_start: usize,
    line: usize,
    col: usize,
}

impl Mark {
    const START: Mark = Mark {
        offset: 0,
        line_start: 0,
        line: 1,
        col: 1,
    };
}

/// Places problems in one text: each is found from the one before, so a reader that places
/// its problems in the order of the text (a book's bad cells, a row of 10,000 columns)
/// counts every line end and character once, not once per problem from the text's start.
/// An offset before the last one is counted afresh, from the base the locator was made at
/// when it lies past it. Not shared between threads: each chunk of a text read on its own
/// thread has its own, made at the chunk's start with [`Locator::at_line`].
pub struct Locator<'t> {
    path: &'t Path,
    text: &'t str,
    base: Mark,
    last: std::cell::Cell<Mark>,
}

impl<'t> Locator<'t> {
    /// A locator counting from the start of `text`, the decoded contents of `path`.
    pub fn new(path: &'t Path, text: &'t str) -> Self {
        Locator {
            path,
            text,
            base: Mark::START,
            last: std::cell::Cell::new(Mark::START),
        }
    }

    /// A locator counting from `offset`, which the caller knows to be on line `line`: one
    /// more than the line ends ([`crate::lines::line_ends`]) before it.
    pub fn at_line(path: &'t Path, text: &'t str, offset: usize, line: usize) -> Self {
        let offset = floor_char(text, offset);
        let line_start = last_line_end(&text.as_bytes()[..offset]).map_or(0, |i| i + 1);
        let base = Mark {
            offset,
            line_start,
            line,
            col: text[line_start..offset].chars().count() + 1,
        };
        Locator {
            path,
            text,
            base,
            last: std::cell::Cell::new(base),
        }
    }

    /// The file the locator places problems in.
    pub fn path(&self) -> &'t Path {
        self.path
    }

    /// The text the locator places problems in.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// Where `offset` is, counted on from the last offset placed.
    fn mark(&self, offset: usize) -> Mark {
        let text = self.text;
        let offset = floor_char(text, offset.min(text.len()));
        let mut from = self.last.get();
        if offset < from.offset {
            from = if offset >= from.line_start {
                // Back on the same line: its start is known.
                Mark {
                    offset: from.line_start,
                    col: 1,
                    ..from
                }
            } else if offset >= self.base.offset {
                self.base
            } else {
                Mark::START
            };
        }
        let bytes = text.as_bytes();
        let mark = match last_line_end(&bytes[from.offset..offset]) {
            Some(i) => {
                let line_start = from.offset + i + 1;
                Mark {
                    offset,
                    line_start,
                    line: from.line + crate::lines::line_ends(bytes, from.line_start..line_start),
                    col: text[line_start..offset].chars().count() + 1,
                }
            }
            None => Mark {
                offset,
                col: from.col + text[from.offset..offset].chars().count(),
                ..from
            },
        };
        self.last.set(mark);
        mark
    }

    /// A problem at the byte range `start..start + len` of the text.
    pub fn at(&self, start: usize, len: usize, message: impl Into<String>) -> Diagnostic {
        let mark = self.mark(start);
        Diagnostic {
            severity: Severity::Error,
            path: display_path(self.path),
            line: mark.line,
            col: mark.col,
            message: message.into(),
            snippet: Some(Box::new(Snippet::around(
                self.text,
                mark.line_start,
                mark.offset,
                len,
            ))),
            hint: None,
            cell: None,
            column: None,
        }
    }
}

/// The position of the last line end (LF or CR) in `bytes`.
fn last_line_end(bytes: &[u8]) -> Option<usize> {
    memchr::memrchr2(b'\n', b'\r', bytes)
}

/// `offset`, or the start of the character it falls in.
fn floor_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// `offset`, or the end of the character it falls in.
fn ceil_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// How much of a line a snippet shows on each side of the problem, and of the problem
/// itself, in bytes: a line of 10,000 columns or a megabyte field is shown around the
/// problem, with `…` where it is cut, and a line this short or shorter whole.
pub const SNIPPET_CONTEXT: usize = 500;

impl Snippet {
    /// The snippet of the line starting at `line_start` of `text` for a problem of `len`
    /// bytes at `start`: the whole line, or as much of it around the problem as
    /// [`SNIPPET_CONTEXT`] allows. Costs the bytes shown, not the line's length.
    pub fn around(text: &str, line_start: usize, start: usize, len: usize) -> Snippet {
        let bytes = text.as_bytes();
        // The problem stops at the end of its line.
        let wanted_end = ceil_char(text, start.saturating_add(len).min(text.len()));
        let end = memchr::memchr2(b'\n', b'\r', &bytes[start..wanted_end])
            .map_or(wanted_end, |i| start + i);
        let (left, mut line_text) = if start - line_start > SNIPPET_CONTEXT {
            (floor_char(text, start - SNIPPET_CONTEXT), String::from("…"))
        } else {
            (line_start, String::new())
        };
        let shown_end = if end - start > SNIPPET_CONTEXT {
            floor_char(text, start + SNIPPET_CONTEXT)
        } else {
            end
        };
        let limit = ceil_char(
            text,
            shown_end.saturating_add(SNIPPET_CONTEXT).min(text.len()),
        );
        let line_end =
            memchr::memchr2(b'\n', b'\r', &bytes[shown_end..limit]).map(|i| shown_end + i);
        line_text.push_str(&text[left..start]);
        let snippet_start = line_text.len();
        line_text.push_str(&text[start..shown_end]);
        let marked = line_text.len() - snippet_start;
        if shown_end < end {
            line_text.push('…');
        } else {
            line_text.push_str(&text[shown_end..line_end.unwrap_or(limit)]);
            if line_end.is_none() && limit < text.len() {
                line_text.push('…');
            }
        }
        Snippet {
            line_text,
            start: snippet_start,
            len: marked,
        }
    }
}

impl fmt::Display for Diagnostic {
    /// The diagnostic as printed, with what came from the user's files shown, never obeyed:
    /// a control character in a value, a header or the line is shown by its stand-in
    /// (`crate::visible`), and the caret measured on the line as shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::visible::{visible, visible_lines};
        let zh = crate::lang::lang() == crate::lang::Lang::Zh;
        let level = level(self.severity);
        let mut head = format!("clientele: {level}: {}: ", self.location());
        if let Some(column) = &self.column {
            use fmt::Write;
            // A workbook's cell (`Sheet1!C7`) has the letter already.
            match (&**column, &self.cell) {
                ((Some(i), header), None) if zh => {
                    write!(head, "列{} {header}：", column_letters(*i))?
                }
                ((Some(i), header), None) => {
                    write!(head, "column {} ({header}): ", column_letters(*i))?
                }
                ((_, header), _) if zh => write!(head, "{header}：")?,
                ((_, header), _) => write!(head, "{header}: ")?,
            }
        }
        head.push_str(&self.message);
        f.write_str(&visible_lines(&head))?;
        if let Some(s) = &self.snippet {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            let end = (s.start + s.len).min(s.line_text.len());
            let (before, marked) = match (s.line_text.get(..s.start), s.line_text.get(s.start..end))
            {
                (Some(before), Some(marked)) => (before, marked),
                _ => (s.line_text.as_str(), ""),
            };
            let before = visible(before).width();
            let marked = visible(marked).width().max(1);
            write!(
                f,
                "\n{pad} |\n{number} | {}\n{pad} | {}{}",
                visible(&s.line_text),
                " ".repeat(before),
                "^".repeat(marked)
            )?;
        }
        if let Some(h) = &self.hint {
            let label = if zh { "提示" } else { "hint" };
            write!(f, "\n  = {label}: {}", visible_lines(h))?;
        }
        Ok(())
    }
}

/// How a severity is named in the run's language (`clientele: error: …`).
pub fn level(severity: Severity) -> &'static str {
    let zh = crate::lang::lang() == crate::lang::Lang::Zh;
    match (severity, zh) {
        (Severity::Error, false) => "error",
        (Severity::Warning, false) => "warning",
        (Severity::Note, false) => "note",
        (Severity::Error, true) => "错误",
        (Severity::Warning, true) => "警告",
        (Severity::Note, true) => "说明",
    }
}

/// A spreadsheet's letters for a column counted from 0: A … Z, AA, AB, …
pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A path as the user would recognise it: relative to the current folder when below it.
/// Whether warnings are silenced (`--quiet`, for cron: a run whose only output would be a
/// warning mails nothing).
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Silences (or not) every later [`warn`].
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, std::sync::atomic::Ordering::Relaxed);
}

/// Whether `--quiet` was given.
pub fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

/// Prints a warning on stderr (`clientele: warning: …`), unless `--quiet`.
pub fn warn(message: impl std::fmt::Display) {
    if !quiet() {
        let message = message.to_string();
        let message = crate::visible::visible_lines(&message);
        eprintln!("clientele: {}: {message}", level(Severity::Warning));
    }
}

pub fn display_path(path: &Path) -> String {
    if let Some(shown) = crate::stdin::shown_as(path) {
        return shown;
    }
    if let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = path.strip_prefix(&cwd)
    {
        return rel.display().to_string();
    }
    path.display().to_string()
}

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the user's files or rules: each printed with its position.
    #[error("{}", render_all(.0))]
    Data(Vec<Diagnostic>),
    /// The command line asked for something impossible.
    #[error("{0}")]
    Usage(String),
    /// A file could not be read or written.
    #[error("{}: {}", display_path(.path), io_text(.source))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A write was refused to protect the user's data (the file changed on disk, a lock is held).
    #[error("{0}")]
    Refused(String),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The message lines as printed on stderr (each already prefixed `clientele: ...`),
    /// a control character in a value or a file's name shown by its stand-in
    /// (`crate::visible`), never obeyed.
    pub fn render(&self) -> String {
        match self {
            Error::Data(_) => self.to_string(),
            other => {
                let text = format!("clientele: {}: {other}", level(Severity::Error));
                crate::visible::visible_lines(&text).into_owned()
            }
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Data(vec![d])
    }
}

/// Commands stop listing data errors after this many; `check` lists them all.
pub const MAX_SHOWN: usize = 20;

fn render_all(diags: &[Diagnostic]) -> String {
    let mut out: Vec<String> = diags
        .iter()
        .take(MAX_SHOWN)
        .map(|d| d.to_string())
        .collect();
    if diags.len() > MAX_SHOWN {
        out.push(format!(
            "clientele: {}: {}",
            level(Severity::Error),
            crate::lang::pick(
                format!(
                    "{} more problems not shown; `clientele check` lists them all",
                    diags.len() - MAX_SHOWN
                ),
                format!(
                    "另有 {} 个问题未列出；`clientele check` 会全部列出",
                    diags.len() - MAX_SHOWN
                ),
            )
        ));
    }
    out.join("\n")
}

/// An I/O error as the system says it, in Chinese for the kinds a user meets.
fn io_text(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let zh = match e.kind() {
        NotFound => "找不到该文件或文件夹",
        PermissionDenied => "没有权限",
        AlreadyExists => "已经存在",
        IsADirectory => "这是一个文件夹，不是文件",
        NotADirectory => "这不是文件夹",
        ReadOnlyFilesystem => "文件系统是只读的",
        StorageFull => "磁盘已满",
        BrokenPipe => "管道已关闭",
        _ => return e.to_string(),
    };
    crate::lang::pick(e.to_string(), format!("{zh}（{e}）"))
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Where a problem at `start` is, as `Diagnostic::at` placed it before the locator (the
    /// plain twin): the line counted from the text's start, the whole line as the snippet.
    fn placed_plainly(text: &str, start: usize, len: usize) -> (usize, usize, Snippet) {
        let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let line_end = text[start..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| start + i);
        let line_text = &text[line_start..line_end];
        let line = crate::lines::line_ends(text.as_bytes(), 0..line_start) + 1;
        let col = text[line_start..start].chars().count() + 1;
        let in_line = start - line_start;
        let snippet = Snippet {
            line_text: line_text.to_string(),
            start: in_line,
            len: len.min(line_text.len() - in_line),
        };
        (line, col, snippet)
    }

    fn placed(d: &Diagnostic) -> (usize, usize, Snippet) {
        (d.line, d.col, *d.snippet.clone().unwrap())
    }

    /// Short texts of LF, CRLF and lone CR line ends, commas and a character of three bytes.
    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just("a"),
                Just("客"),
                Just(","),
                Just("\n"),
                Just("\r"),
                Just("\r\n")
            ],
            0..60,
        )
        .prop_map(|parts| parts.concat())
    }

    /// A character boundary of `text` from a random number.
    fn boundary(text: &str, n: usize) -> usize {
        let mut at = n % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    proptest! {
        /// Counting on from the problem before, or from a known line, places every problem
        /// where counting from the start does, in any order.
        #[test]
        fn the_locator_places_problems_as_counting_from_the_start_does(
            text in text(),
            base in any::<usize>(),
            offsets in prop::collection::vec((any::<usize>(), 0usize..8), 1..12),
        ) {
            let path = Path::new("book.csv");
            let base = boundary(&text, base);
            let line = crate::lines::line_ends(text.as_bytes(), 0..base) + 1;
            let from_start = Locator::new(path, &text);
            let from_base = Locator::at_line(path, &text, base, line);
            for (n, len) in offsets {
                let start = boundary(&text, n);
                let len = boundary(&text[start..], len);
                let want = placed_plainly(&text, start, len);
                prop_assert_eq!(placed(&from_start.at(start, len, "")), want.clone());
                prop_assert_eq!(placed(&from_base.at(start, len, "")), want.clone());
                prop_assert_eq!(placed(&Diagnostic::at(path, &text, start, len, "")), want);
            }
        }
    }

    /// A problem on a line longer than a snippet shows is shown with the line around it,
    /// cut at characters with `…`, its caret still under it.
    #[test]
    fn a_snippet_of_a_long_line_is_a_window_around_the_problem() {
        let text = format!("{},BAD,{}\nnext", "客".repeat(1000), "x".repeat(1000));
        let start = text.find("BAD").unwrap();
        let d = Diagnostic::at(Path::new("book.csv"), &text, start, 3, "");
        assert_eq!((d.line, d.col), (1, 1002));
        let s = d.snippet.unwrap();
        assert_eq!(&s.line_text[s.start..s.start + s.len], "BAD");
        assert!(s.line_text.starts_with('…') && s.line_text.ends_with('…'));
        // 500 bytes either side, widened to the whole of a character cut (客 is 3 bytes).
        assert_eq!(
            s.line_text,
            format!("…{},BAD,{}…", "客".repeat(167), "x".repeat(499))
        );
        // A problem as long as the line is marked up to the window's end.
        let d = Diagnostic::at(Path::new("book.csv"), &text, 0, text.len(), "");
        let s = d.snippet.unwrap();
        assert_eq!(s.line_text, format!("{}…", "客".repeat(166)));
        assert_eq!((s.start, s.len), (0, 498));
    }
    #[test]
    fn columns_are_lettered_as_spreadsheets_letter_them() {
        let letters: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(super::column_letters)
            .collect();
        assert_eq!(
            letters,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
        );
    }
}
