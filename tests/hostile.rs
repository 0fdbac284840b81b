//! Hostile input: every reader of the user's files, fed a valid file spoiled byte by byte.
//! Each reader starts from a valid seed (a CSV book with Chinese headers, a GBK one out of
//! Excel, a workbook, a TOML book file, a folder of TOML files, the activity log in UTF-8
//! and in GBK, `clientele.toml`, and each shipped rule file) and takes one to three
//! mutations: cut at a random point; a NUL, a 0xFF, a lone continuation byte, a multi-byte
//! character cut short, a lone CR or random bytes put in; a byte overwritten; a line
//! repeated up to 5,000 times; a 1 MB field; 10,000 more columns on a line; 5,000 nested
//! parentheses, brackets, braces, inline tables or dotted keys.
//!
//! Whatever the bytes, a reader ends (within 20 s, a bound for hangs, not a timing) with
//! what it read or with errors, each naming the file and a position in it (a line, a line
//! and column, or a cell), never with a panic or a stack overflow; a problem's snippet
//! stays a window of its line however long the line. Through the library the reader runs on
//! a thread of its own (the stack the binary's main thread has) and each diagnostic is also
//! rendered; `clientele.toml` sets the run's language, so it is read by the real binary
//! (`check`), killed if it outlives the bound, whose exit must be 0, 1 or 2.
//!
//! The runs are deterministic (a fixed seed); 64 cases per reader. Fixed cases below pin
//! the inputs that used to hang or go wrong.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::LazyLock;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::RngSeed;

use clientele::error::{Diagnostic, Error, SNIPPET_CONTEXT, Severity};
use clientele::model::messages::read::ReadMsg;
use clientele::rules::Rules;
use clientele::store::{self, ReadOptions};

use crate::util::Workspace;

/// Cases per reader.
const CASES: u32 = 64;

/// How long a reader may take on one input before it counts as hung: far beyond what any
/// case takes, even in a debug build on a busy machine.
const HANG: Duration = Duration::from_secs(20);

/// The stack a reader runs on: the binary's main thread's.
const STACK: usize = 8 << 20;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        rng_seed: RngSeed::Fixed(23),
        // A failing case is shrunk, but not for ever: each run of a big case takes a while.
        max_shrink_iters: 256,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// The seeds.

/// A CSV book with Chinese headers, UTF-8, LF.
const BOOK_ZH: &str = "客户编号,客户名称,负责人,阶段,等级,最后联系日期,销售额,备注\n\
C001,华东机械,王芳,正式客户,A,2025-11-02,\"￥1,258,400.00\",年度框架合同，月底下单\n\
C002,金石化工,李明,意向客户,B,2025-10-20,3200,\"说：\"\"下月再谈\"\"\"\n\
C003,远大建材,王芳,潜在客户,C,2025-09-30,,\n\
C004,新世纪贸易,李明,试用客户,B,2025-11-01,880.5,样品已寄\n";

/// A book as Excel on Chinese Windows saves it: GBK, CRLF.
const BOOK_GBK: &[u8] = include_bytes!("../examples/excel-gbk/customers.csv");

/// Its activity log, GBK too.
const LOG_GBK: &[u8] = include_bytes!("../examples/excel-gbk/activities.csv");

/// A workbook.
const WORKBOOK: &[u8] = include_bytes!("../examples/excel-xlsx/客户台账.xlsx");

/// A UTF-8 activity log, and the folder book it goes with.
const LOG_UTF8: &[u8] = include_bytes!("../examples/toml-folder/activities.csv");

/// A TOML book file.
const BOOK_TOML: &str = r#"# The team's customers.
[[customer]]
id = "C001"
name = "华东机械"
owner = "王芳"
stage = "formal"
grade = "A"
traits = ["principled", "detail_oriented"]
revenue = 1_258_400.00
first_order = 2023-03-06
contract_signed = true
payment = 5

[[customer]]
id = "C002"
name = "Beta \"Trading\""
grade = "B"
last_contact = "2025-10-20"
note = """
two lines
of notes"""
"#;

/// The configuration files of the examples.
const CONFIGS: [&str; 3] = [
    include_str!("../examples/excel-gbk/clientele.toml"),
    include_str!("../examples/toml-folder/clientele.toml"),
    include_str!("../examples/excel-xlsx/clientele.toml"),
];

/// The folder book of the toml-folder example: (file name, text).
fn folder_seed() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/toml-folder/customers");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("list the example's folder book")
        .map(|e| {
            let path = e.expect("an entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).expect("read a customer's file"))
        })
        .collect();
    files.sort();
    files
}

/// The built-in rules, loaded once: the books are read with them.
static RULES: LazyLock<Rules> =
    LazyLock::new(|| Rules::load(None, None).expect("the built-in rules load"));

// ---------------------------------------------------------------------------------------
// The mutations.

/// Where in the file a mutation strikes: anywhere, or (as often) in its first bytes, where
/// a book's header and a file's first keys are.
#[derive(Clone, Copy, Debug)]
struct Pos {
    at: Index,
    near_start: bool,
}

impl Pos {
    /// The position in bytes `0..=len` (`0..len` with `within`).
    fn of(self, len: usize, within: bool) -> usize {
        let n = if within { len } else { len + 1 };
        let n = if self.near_start { n.min(96) } else { n };
        self.at.index(n.max(1)).min(n.saturating_sub(1))
    }
}

fn pos() -> impl Strategy<Value = Pos> {
    (any::<Index>(), any::<bool>()).prop_map(|(at, near_start)| Pos { at, near_start })
}

/// One way to spoil a file's bytes.
#[derive(Clone, Debug)]
enum Mutation {
    /// Cut the file there.
    Truncate(Pos),
    /// Put these bytes there.
    Insert(Pos, Vec<u8>),
    /// Overwrite the byte there.
    Overwrite(Pos, u8),
    /// Drop the first byte of the next multi-byte character (or the byte there): a
    /// character cut in two.
    CutCharacter(Pos),
    /// Repeat the line there so many times.
    RepeatLine(Pos, usize),
    /// Put a 1 MB run of this text there.
    HugeField(Pos, &'static str),
    /// End the line there with 10,000 more cells.
    ManyColumns(Pos, Cells),
    /// Put this text, opened and maybe closed 5,000 times over, at the start of the line
    /// there (a whole line of its own when it ends with a line end).
    Nest(Pos, Nesting),
}

/// What 10,000 more cells hold.
#[derive(Clone, Copy, Debug)]
enum Cells {
    /// The same word: 10,000 columns of one header.
    Same,
    /// A different word each: 10,000 headers of their own.
    Numbered,
    /// A date that does not exist (on a data row: 10,000 bad cells when their header
    /// names a date).
    BadDate,
}

impl Cells {
    fn text(self) -> String {
        let mut out = String::new();
        for i in 0..10_000 {
            match self {
                Cells::Same => out.push_str(",c"),
                Cells::Numbered => out.push_str(&format!(",c{i}")),
                Cells::BadDate => out.push_str(",2025-13-45"),
            }
        }
        out
    }
}

/// What to nest 5,000 deep.
#[derive(Clone, Copy, Debug)]
enum Nesting {
    Parens,
    ParensInCondition,
    Brackets,
    TomlArrays,
    InlineTables,
    DottedKey,
    TableHeader,
}

const DEEP: usize = 5_000;

impl Nesting {
    fn text(self) -> String {
        match self {
            Nesting::Parens => "(".repeat(DEEP),
            Nesting::ParensInCondition => format!(
                "when = \"{}stage = 'formal'{}\"\n",
                "(".repeat(DEEP),
                ")".repeat(DEEP)
            ),
            Nesting::Brackets => "[".repeat(DEEP),
            Nesting::TomlArrays => format!("deep = {}{}\n", "[".repeat(DEEP), "]".repeat(DEEP)),
            Nesting::InlineTables => {
                format!("deep = {}1{}\n", "{ a = ".repeat(DEEP), " }".repeat(DEEP))
            }
            Nesting::DottedKey => format!("{}a = 1\n", "a.".repeat(DEEP)),
            Nesting::TableHeader => format!("[{}a]\n", "a.".repeat(DEEP)),
        }
    }
}

fn nesting() -> impl Strategy<Value = Nesting> {
    prop_oneof![
        Just(Nesting::Parens),
        Just(Nesting::ParensInCondition),
        Just(Nesting::Brackets),
        Just(Nesting::TomlArrays),
        Just(Nesting::InlineTables),
        Just(Nesting::DottedKey),
        Just(Nesting::TableHeader),
    ]
}

/// Bytes no reader should choke on.
fn bad_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(vec![0]),
        Just(vec![0xFF]),
        Just(vec![0x80]),
        // 客 (E5 AE A2) cut after two bytes.
        Just(vec![0xE5, 0xAE]),
        Just(vec![b'\r']),
        Just(vec![b'"']),
        Just(b",\"".to_vec()),
        Just(vec![0xEF, 0xBB, 0xBF]),
        prop::collection::vec(any::<u8>(), 1..24),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let cells = prop_oneof![
        Just(Cells::Same),
        Just(Cells::Numbered),
        Just(Cells::BadDate)
    ];
    prop_oneof![
        4 => pos().prop_map(Mutation::Truncate),
        6 => (pos(), bad_bytes()).prop_map(|(p, b)| Mutation::Insert(p, b)),
        3 => (pos(), any::<u8>()).prop_map(|(p, b)| Mutation::Overwrite(p, b)),
        2 => pos().prop_map(Mutation::CutCharacter),
        2 => (pos(), prop_oneof![Just(2usize), Just(300), Just(5_000)])
            .prop_map(|(p, n)| Mutation::RepeatLine(p, n)),
        2 => (pos(), prop_oneof![Just("x"), Just("客"), Just("\""), Just(" ")])
            .prop_map(|(p, t)| Mutation::HugeField(p, t)),
        2 => (pos(), cells).prop_map(|(p, c)| Mutation::ManyColumns(p, c)),
        2 => (pos(), nesting()).prop_map(|(p, n)| Mutation::Nest(p, n)),
    ]
}

/// One to three mutations, applied in turn.
fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..=3)
}

/// The start of the line holding byte `at`.
fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1)
}

/// The end of the line holding byte `at` (before its line end).
fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |i| at + i)
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len();
    match m {
        Mutation::Truncate(p) => bytes.truncate(p.of(len, false)),
        Mutation::Insert(p, b) => {
            let n = p.of(len, false);
            bytes.splice(n..n, b.iter().copied());
        }
        Mutation::Overwrite(p, b) => {
            if len > 0 {
                bytes[p.of(len, true)] = *b;
            }
        }
        Mutation::CutCharacter(p) => {
            if len > 0 {
                let n = p.of(len, true);
                let n = bytes[n..]
                    .iter()
                    .position(|&b| b >= 0xC0)
                    .map_or(n, |k| n + k);
                bytes.remove(n);
            }
        }
        Mutation::RepeatLine(p, times) => {
            let n = p.of(len, false);
            let (start, end) = (line_start(bytes, n), line_end(bytes, n));
            let mut line = bytes[start..end].to_vec();
            line.push(b'\n');
            bytes.splice(start..start, line.repeat(*times));
        }
        Mutation::HugeField(p, text) => {
            let n = p.of(len, false);
            let huge = text.repeat((1 << 20) / text.len());
            bytes.splice(n..n, huge.into_bytes());
        }
        Mutation::ManyColumns(p, cells) => {
            let end = line_end(bytes, p.of(len, false));
            bytes.splice(end..end, cells.text().into_bytes());
        }
        Mutation::Nest(p, nesting) => {
            let start = line_start(bytes, p.of(len, false));
            bytes.splice(start..start, nesting.text().into_bytes());
        }
    }
}

fn mutated(seed: &[u8], ms: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for m in ms {
        apply(&mut bytes, m);
    }
    bytes
}

// ---------------------------------------------------------------------------------------
// Running a reader and judging what it gives.

/// Runs `read` on a thread of its own with the binary's stack: its answer, or a failure
/// when it panics (a stack overflow aborts the whole test binary, which fails too) or runs
/// past [`HANG`].
fn bounded<T: Send + 'static>(
    what: &str,
    read: impl FnOnce() -> T + Send + 'static,
) -> Result<T, TestCaseError> {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let _ = tx.send(read());
        })
        .expect("start a reader's thread");
    match rx.recv_timeout(HANG) {
        Ok(answer) => {
            handle.join().expect("the reader's thread ends");
            Ok(answer)
        }
        // The thread is left behind: nothing can stop it, and the case has failed.
        Err(mpsc::RecvTimeoutError::Timeout) => Err(TestCaseError::fail(format!(
            "{what}: still reading after {HANG:?}"
        ))),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let payload = handle
                .join()
                .expect_err("a thread that sent nothing panicked");
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(TestCaseError::fail(format!("{what}: panicked: {message}")))
        }
    }
}

/// What a reader gave, reduced to what is judged: its diagnostics, each rendered, or an
/// error that is not about the data.
#[derive(Debug)]
enum Outcome {
    /// Read (maybe with problems, notes and warnings among them), or stopped by problems
    /// in the data: the diagnostics with their renderings.
    Diagnostics(Vec<(Diagnostic, String)>),
    /// Any other error: the input's bytes must never give one.
    Other(String),
}

impl Outcome {
    fn of(result: Result<Vec<Diagnostic>, Error>) -> Outcome {
        match result {
            Ok(ds) | Err(Error::Data(ds)) => Outcome::Diagnostics(
                ds.into_iter()
                    .map(|d| {
                        let shown = d.to_string();
                        (d, shown)
                    })
                    .collect(),
            ),
            Err(other) => Outcome::Other(other.render()),
        }
    }
}

/// Stands for a message's argument in [`whole_file_messages`].
const ARG: &str = "\u{1}";

/// The beginnings of the messages about a whole file, which have no line or cell to name:
/// an empty book, a workbook that is no workbook, the log's counts of rows left unshown
/// (after those shown); each up to its first argument.
fn whole_file_messages() -> Vec<String> {
    [
        ReadMsg::BookEmpty,
        ReadMsg::MoreRowErrors { rows: 1 },
        ReadMsg::MoreUnknownCustomers { rows: 1 },
        ReadMsg::WorkbookPassword,
        ReadMsg::WorkbookUnreadable { error: ARG },
        ReadMsg::NoSheet,
        ReadMsg::SheetEmpty { sheet: ARG },
        ReadMsg::NoIdColumnWithin {
            rows: 1,
            sheet: Some(ARG),
        },
    ]
    .iter()
    .map(|m| {
        let text = m.to_string();
        let end = text
            .find([ARG.chars().next().unwrap(), '1'])
            .unwrap_or(text.len());
        text[..end].to_string()
    })
    .collect()
}

/// Whether the diagnostics name a file `names` accepts, and (errors and warnings) a line or
/// a cell in it, with a snippet that is a window of its line.
fn judge(what: &str, outcome: Outcome, names: impl Fn(&Path) -> bool) -> Result<(), TestCaseError> {
    let ds = match outcome {
        Outcome::Diagnostics(ds) => ds,
        Outcome::Other(text) => {
            return Err(TestCaseError::fail(format!(
                "{what}: an error that is not about the data: {text}"
            )));
        }
    };
    let whole = whole_file_messages();
    for (d, shown) in &ds {
        prop_assert!(
            names(Path::new(&d.path)),
            "{what}: a diagnostic names another file: {}",
            first_line(shown)
        );
        let placed = d.line >= 1 || d.cell.is_some();
        let whole_file = whole.iter().any(|w| d.message.starts_with(w.as_str()));
        prop_assert!(
            placed || d.severity == Severity::Note || whole_file,
            "{what}: a diagnostic without a position: {}",
            first_line(shown)
        );
        if let Some(s) = &d.snippet {
            prop_assert!(
                s.line_text.len() <= 3 * SNIPPET_CONTEXT + 8,
                "{what}: a snippet of {} bytes",
                s.line_text.len()
            );
        }
    }
    Ok(())
}

fn first_line(text: &str) -> &str {
    let line = text.lines().next().unwrap_or("");
    let mut end = line.len().min(300);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    &line[..end]
}

/// The file name of `path` is `name`.
fn named(path: &Path, name: &str) -> bool {
    path.file_name().is_some_and(|n| n == name)
}

/// A temporary folder holding one file, for the library's readers.
fn folder_with(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("its folder");
    }
    std::fs::write(&path, bytes).expect("write the file");
    (dir, path)
}

/// Reads a book file at `path` with the built-in rules.
fn read_book_at(path: PathBuf) -> Outcome {
    Outcome::of(store::read_book(&path, &RULES, ReadOptions::default()).map(|(_, ds)| ds))
}

/// A book file `name` holding `bytes`, read: it must end with its customers or positioned
/// errors in it.
fn check_book_file(name: &'static str, bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let (_dir, path) = folder_with(name, &bytes);
    let outcome = bounded(name, move || read_book_at(path))?;
    judge(name, outcome, |p| named(p, name))
}

/// The log `bytes` folded into the book `book` (a file, or a folder of files).
fn check_log(book: Vec<(String, Vec<u8>)>, bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, text) in &book {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
    let book_path = dir.path().join(book[0].0.split('/').next().unwrap());
    let log = dir.path().join("activities.csv");
    std::fs::write(&log, &bytes).unwrap();
    let outcome = bounded("activities.csv", move || {
        let (mut book, _) = match store::read_book(&book_path, &RULES, ReadOptions::default()) {
            Ok(read) => read,
            Err(e) => return Outcome::Other(format!("the seed book: {}", e.render())),
        };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let mut problems = Vec::new();
        let result = store::log::fold(&log, &mut book, today, None, &mut problems);
        Outcome::of(result.map(|_| problems))
    })?;
    judge("activities.csv", outcome, |p| named(p, "activities.csv"))
}

/// The rule file `name` of a workspace's rules folder holding `bytes`, loaded with the
/// built-in others.
fn check_rule_file(name: &'static str, bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let (dir, _) = folder_with(&format!("rules/{name}.toml"), &bytes);
    let rules = dir.path().join("rules");
    let outcome = bounded(name, move || {
        Outcome::of(Rules::load(Some(&rules), None).map(|_| Vec::new()))
    })?;
    drop(dir);
    let shipped: Vec<String> = clientele::rules::EMBEDDED
        .iter()
        .map(|(n, _)| format!("{n}.toml"))
        .collect();
    judge(name, outcome, |p| shipped.iter().any(|n| named(p, n)))
}

/// The shipped text of rule file `name`.
fn shipped_rule(name: &str) -> &'static str {
    clientele::rules::EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .expect("a shipped rule file")
}

/// Runs `clientele check` in `ws`, killed after [`HANG`]: its exit code and stderr. A
/// signal (a stack overflow aborts) or a panic's exit code 101 fails.
fn check_run(ws: &Workspace, what: &str) -> Result<(i32, String), TestCaseError> {
    let out = tempfile::tempdir().expect("a folder for the output");
    let stderr_path = out.path().join("stderr");
    let mut child = ws
        .command(["check"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr_path).expect("a file for stderr"))
        .spawn()
        .expect("start clientele");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for clientele") {
            break status;
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            return Err(TestCaseError::fail(format!(
                "{what}: `check` still running after {HANG:?}"
            )));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stderr = String::from_utf8_lossy(&std::fs::read(&stderr_path).unwrap()).into_owned();
    let Some(code) = status.code() else {
        use std::os::unix::process::ExitStatusExt;
        return Err(TestCaseError::fail(format!(
            "{what}: `check` killed by signal {:?}: {}",
            status.signal(),
            first_line(&stderr)
        )));
    };
    prop_assert!(
        [0, 1, 2].contains(&code),
        "{what}: `check` exited {code}: {}",
        first_line(&stderr)
    );
    prop_assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    Ok((code, stderr))
}

/// `clientele.toml` holding `bytes` beside a valid book, checked by the binary: every
/// problem it names in `clientele.toml` is placed at a line.
fn check_config(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let ws = Workspace::new()
        .file("customers.csv", BOOK_ZH)
        .file("clientele.toml", &bytes);
    let (_, stderr) = check_run(&ws, "clientele.toml")?;
    for line in stderr.lines() {
        if let Some(rest) = line.split_once(": ").map(|(_, r)| r)
            && let Some(after) = rest.split_once(": ").map(|(_, r)| r)
            && let Some(place) = after.strip_prefix("clientele.toml")
        {
            prop_assert!(
                place.starts_with(':') && place[1..].starts_with(|c: char| c.is_ascii_digit()),
                "clientele.toml: a problem without a line: {}",
                first_line(line)
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// One property per reader.

proptest! {
    #![proptest_config(config())]

    #[test]
    fn csv_book_with_chinese_headers(ms in mutations()) {
        check_book_file("customers.csv", mutated(BOOK_ZH.as_bytes(), &ms))?;
    }

    #[test]
    fn csv_book_in_gbk(ms in mutations()) {
        check_book_file("customers.csv", mutated(BOOK_GBK, &ms))?;
    }

    #[test]
    fn workbook(ms in mutations()) {
        check_book_file("customers.xlsx", mutated(WORKBOOK, &ms))?;
    }

    #[test]
    fn toml_book_file(ms in mutations()) {
        check_book_file("customers.toml", mutated(BOOK_TOML.as_bytes(), &ms))?;
    }

    #[test]
    fn toml_folder_book(file in any::<Index>(), ms in mutations()) {
        let mut files = folder_seed();
        let k = file.index(files.len());
        files[k].1 = mutated(&files[k].1, &ms);
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("customers");
        std::fs::create_dir(&book).unwrap();
        for (name, bytes) in &files {
            std::fs::write(book.join(name), bytes).unwrap();
        }
        let shown = book.clone();
        let outcome = bounded("customers/", move || read_book_at(shown))?;
        judge("customers/", outcome, |p| p.parent().is_some_and(|d| d.ends_with("customers")))?;
    }

    #[test]
    fn activity_log_in_utf8(ms in mutations()) {
        let book = folder_seed()
            .into_iter()
            .map(|(name, bytes)| (format!("customers/{name}"), bytes))
            .collect();
        check_log(book, mutated(LOG_UTF8, &ms))?;
    }

    #[test]
    fn activity_log_in_gbk(ms in mutations()) {
        check_log(vec![("customers.csv".into(), BOOK_GBK.to_vec())], mutated(LOG_GBK, &ms))?;
    }

    #[test]
    fn config_file(seed in 0..CONFIGS.len(), ms in mutations()) {
        check_config(mutated(CONFIGS[seed].as_bytes(), &ms))?;
    }

    #[test]
    fn rule_file_traits(ms in mutations()) {
        check_rule_file("traits", mutated(shipped_rule("traits").as_bytes(), &ms))?;
    }

    #[test]
    fn rule_file_types(ms in mutations()) {
        check_rule_file("types", mutated(shipped_rule("types").as_bytes(), &ms))?;
    }

    #[test]
    fn rule_file_types_personality(ms in mutations()) {
        let seed = shipped_rule("types-personality");
        check_rule_file("types-personality", mutated(seed.as_bytes(), &ms))?;
    }

    #[test]
    fn rule_file_types_buying(ms in mutations()) {
        check_rule_file("types-buying", mutated(shipped_rule("types-buying").as_bytes(), &ms))?;
    }

    #[test]
    fn rule_file_stages(ms in mutations()) {
        check_rule_file("stages", mutated(shipped_rule("stages").as_bytes(), &ms))?;
    }

    #[test]
    fn rule_file_cadence(ms in mutations()) {
        check_rule_file("cadence", mutated(shipped_rule("cadence").as_bytes(), &ms))?;
    }

    #[test]
    fn rule_file_tiers(ms in mutations()) {
        check_rule_file("tiers", mutated(shipped_rule("tiers").as_bytes(), &ms))?;
    }

    #[test]
    fn rule_file_holidays(ms in mutations()) {
        check_rule_file("holidays", mutated(shipped_rule("holidays").as_bytes(), &ms))?;
    }

    #[test]
    fn rule_file_handling(ms in mutations()) {
        check_rule_file("handling", mutated(shipped_rule("handling").as_bytes(), &ms))?;
    }
}

// ---------------------------------------------------------------------------------------
// The inputs that hung or went wrong before, pinned. Each used to take minutes in a debug
// build (a problem's line counted from the file's start, a header compared with every
// field's name letter by letter however long, a TOML key looked up among all before it),
// or gave a column's value to another column.

/// Runs `read` within [`HANG`], panicking (the test fails) on a hang or a panic.
fn within_bound<T: Send + 'static>(what: &str, read: impl FnOnce() -> T + Send + 'static) -> T {
    bounded(what, read).unwrap_or_else(|e| panic!("{e}"))
}

/// Each customer's extra cells, as `(column, its name, value)`, and the problems, of the
/// book file `name` holding `text`.
type Read = (Vec<Vec<(usize, String, String)>>, Vec<Diagnostic>);

fn read_book_text(name: &str, text: String) -> Read {
    let (dir, path) = folder_with(name, text.as_bytes());
    let read = within_bound(name, move || {
        let (book, problems) =
            store::read_book(&path, &RULES, ReadOptions::default()).expect("the book reads");
        let extras = book
            .customers
            .iter()
            .map(|c| {
                c.extras
                    .iter()
                    .map(|(x, v)| (*x, book.extra_columns[*x].clone(), v.to_string()))
                    .collect()
            })
            .collect();
        (extras, problems)
    });
    drop(dir);
    read
}

/// The column (from 1, in characters) where `needle` starts on `line`.
fn col_of(line: &str, needle: &str) -> usize {
    line[..line.find(needle).expect("the needle is there")]
        .chars()
        .count()
        + 1
}

#[test]
fn a_header_of_10_000_columns_no_field_takes_is_read_with_each_note_placed() {
    let names: Vec<String> = (0..10_000).map(|i| format!("备注{i}")).collect();
    let header = format!("id,name,{}", names.join(","));
    let row: Vec<String> = (0..10_000).map(|i| format!("v{i}")).collect();
    let text = format!("{header}\nC1,Acme,{}\n", row.join(","));
    let (extras, problems) = read_book_text("customers.csv", text);
    assert_eq!(problems.len(), 10_000, "a note per column");
    let last = &problems[9_999];
    assert_eq!(last.severity, Severity::Note);
    assert_eq!((last.line, last.col), (1, col_of(&header, ",备注9999") + 1));
    assert!(last.message.contains("备注9999"), "{}", last.message);
    assert_eq!(extras[0].len(), 10_000);
    assert_eq!(extras[0][9_999], (9_999, "备注9999".into(), "v9999".into()));
}

#[test]
fn a_megabyte_header_cell_is_a_column_like_no_field() {
    let huge = "客".repeat(350_000);
    let text = format!("id,name,{huge}\nC1,Acme,b\n");
    let (extras, problems) = read_book_text("customers.csv", text);
    assert_eq!(problems.len(), 1, "the note on the huge column");
    let note = &problems[0];
    assert_eq!((note.severity, note.line, note.col), (Severity::Note, 1, 9));
    assert_eq!(extras[0][0].2, "b");
}

#[test]
fn a_row_of_10_000_bad_dates_places_each_at_its_cell() {
    let header = format!("id,name{}", ",last_contact".repeat(10_000));
    let row = format!("C1,Acme,2025-11-01{}", ",2025-13-45".repeat(9_999));
    let text = format!("{header}\n{row}\n");
    let (_, problems) = read_book_text("customers.csv", text);
    let bad: Vec<&Diagnostic> = problems.iter().filter(|d| d.line == 2).collect();
    assert_eq!(bad.len(), 9_999, "a problem per bad cell");
    // The last cell starts 11 characters before the row's end.
    assert_eq!(bad[9_998].col, row.chars().count() - 9);
    let twice = problems.iter().filter(|d| d.line == 1).count();
    assert_eq!(
        twice, 9_999,
        "each column after the first names last_contact again"
    );
}

#[test]
fn fifty_thousand_bad_rows_of_one_id_place_each_at_its_line() {
    let mut text = String::from("id,name,last_contact\n");
    for _ in 0..50_000 {
        text.push_str("C1,Acme,2025-13-45\n");
    }
    let (_, problems) = read_book_text("customers.csv", text);
    assert_eq!(
        problems.len(),
        50_000 + 49_999,
        "a bad date per row, a duplicate per row"
    );
    let last = problems.iter().max_by_key(|d| d.line).unwrap();
    assert_eq!(last.line, 50_001);
}

#[test]
fn a_toml_table_of_10_000_keys_no_field_takes_is_read_with_each_note_placed() {
    let mut text = String::from("[[customer]]\nid = \"C1\"\n");
    for i in 0..10_000 {
        text.push_str(&format!("key{i} = \"v{i}\"\n"));
    }
    let (extras, problems) = read_book_text("customers.toml", text);
    assert_eq!(problems.len(), 10_000, "a note per key");
    assert_eq!((problems[9_999].line, problems[9_999].col), (10_002, 1));
    assert_eq!(extras[0][9_999], (9_999, "key9999".into(), "v9999".into()));
}

/// Extra columns were counted in 16 bits: the 65,537th took the first's place.
#[test]
fn seventy_thousand_extra_columns_each_keep_their_own_value() {
    let row: Vec<String> = (0..70_000).map(|i| format!("v{i}")).collect();
    let text = format!("id{}\nC1,{}\n", ",memo".repeat(70_000), row.join(","));
    let (extras, _) = read_book_text("customers.csv", text);
    let extras = &extras[0];
    assert_eq!(extras.len(), 70_000);
    for i in [0, 65_535, 65_536, 69_999] {
        assert_eq!(extras[i], (i, "memo".into(), format!("v{i}")));
    }
}

/// The message the TOML readers give for nesting past their depth.
fn too_deep() -> String {
    clientele::model::messages::rules::RuleMsg::Toml {
        text: "recursion limit",
    }
    .to_string()
}

#[test]
fn toml_nested_5_000_deep_is_an_error_at_its_place_in_every_toml_reader() {
    let arrays = format!("deep = {}{}\n", "[".repeat(DEEP), "]".repeat(DEEP));
    let tables = format!("deep = {}1{}\n", "{ a = ".repeat(DEEP), " }".repeat(DEEP));
    let dotted = format!("{}a = 1\n", "a.".repeat(DEEP));
    // The 81st bracket, the 81st `{`, the key's start.
    for (deep, col) in [(&arrays, 8 + 80), (&tables, 8 + 6 * 80), (&dotted, 1)] {
        // A book file: the line after two of the customer's keys.
        let book = format!("[[customer]]\nid = \"C1\"\n{deep}");
        let (dir, path) = folder_with("customers.toml", book.as_bytes());
        let d = within_bound("customers.toml", move || {
            match store::read_book(&path, &RULES, ReadOptions::default()) {
                Err(Error::Data(ds)) => ds,
                other => panic!("not an error in the data: {other:?}"),
            }
        });
        drop(dir);
        assert_eq!((d.len(), d[0].line, d[0].col), (1, 3, col), "{}", d[0]);
        assert_eq!(d[0].message, too_deep());
        // A rule file: the first line.
        let (dir, _) = folder_with("rules/cadence.toml", deep.as_bytes());
        let rules = dir.path().join("rules");
        let d = within_bound("cadence", move || match Rules::load(Some(&rules), None) {
            Err(Error::Data(ds)) => ds,
            other => panic!("not an error in the data: {other:?}"),
        });
        assert_eq!((d.len(), d[0].line, d[0].col), (1, 1, col), "{}", d[0]);
        assert_eq!(d[0].message, too_deep());
        assert!(d[0].path.ends_with("cadence.toml"), "{}", d[0].path);
    }
}

/// The depth the message names is the parsers' own: 80 levels are read, 81 are not.
#[test]
fn toml_nests_80_levels_deep_and_no_deeper() {
    use clientele::model::messages::rules::TOML_DEPTH;
    let depth = TOML_DEPTH as usize;
    for (levels, refused) in [(depth, false), (depth + 1, true)] {
        let arrays = format!("x = {}{}\n", "[".repeat(levels), "]".repeat(levels));
        let tables = format!("x = {}1{}\n", "{ a = ".repeat(levels), " }".repeat(levels));
        let dotted = format!("{}a = 1\n", "a.".repeat(levels - 1));
        for deep in [arrays, tables, dotted] {
            let book = format!("[[customer]]\nid = \"C1\"\n{deep}");
            let (dir, path) = folder_with("customers.toml", book.as_bytes());
            let said = within_bound("customers.toml", move || {
                match store::read_book(&path, &RULES, ReadOptions::default()) {
                    Err(Error::Data(ds)) => ds.iter().any(|d| d.message == too_deep()),
                    _ => false,
                }
            });
            drop(dir);
            assert_eq!(said, refused, "{levels} levels: {}", &deep[..12]);
        }
    }
}

#[test]
fn clientele_toml_nested_5_000_deep_is_an_error_at_its_place() {
    let deep = format!("lang = \"en\"\n[columns]\n{}a = \"x\"\n", "a.".repeat(DEEP));
    let ws = Workspace::new()
        .file("customers.csv", BOOK_ZH)
        .file("clientele.toml", deep);
    let out = ws.run(["check"]);
    out.code(1);
    let stderr = out.stderr_text();
    assert!(
        stderr.starts_with(&format!(
            "clientele: error: clientele.toml:3:1: {}\n",
            too_deep()
        )),
        "{}",
        first_line(&stderr)
    );
}
