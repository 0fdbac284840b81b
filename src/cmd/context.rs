//! What every command shares besides its own arguments: the workspace, how output is
//! written, and the loading of rules, book and log.

use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::{Diagnostic, Error, Result, Severity};
use crate::model::Lang;
use crate::render::{Format, Printer};
use crate::rules::Rules;
use crate::store::log::LogSummary;
use crate::store::{Book, ReadOptions};
use crate::workspace::Workspace;

/// Everything a command needs besides its own arguments.
pub struct Context {
    pub ws: Workspace,
    pub format: Format,
    /// Whether --format was given (rather than defaulted from where stdout goes).
    pub format_explicit: bool,
    pub lang: Lang,
    pub color: bool,
    /// When CSV and TSV print their header line (`--header`, `--no-header`).
    pub header: crate::render::HeaderWhen,
    /// The width tables fit (see `cli::table_width`); None with `--wide`.
    pub width: Option<u16>,
    /// The columns `--columns` names (empty: each command's own).
    pub columns: Vec<String>,
    /// CSV and TSV for Excel (`--excel`, see `render::excel`).
    pub excel: bool,
    /// What [`Context::load`] read, kept for the rest of the run.
    loaded: OnceLock<Loaded>,
}

/// The rules, the book and what the log added to it.
pub struct Loaded {
    pub rules: Rules,
    pub book: Book,
    pub log: LogSummary,
}

/// What a command loads the book for: to read only (the book's source text is not kept),
/// to read with the log's stage and grade changes since a date (`report --since`), or to
/// write the book back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Read,
    ReadWithChanges(chrono::NaiveDate),
    Write,
}

impl Context {
    pub fn new(ws: Workspace, format: Format, format_explicit: bool, color: bool) -> Context {
        Context {
            lang: ws.lang,
            ws,
            format,
            format_explicit,
            color,
            header: crate::render::HeaderWhen::Auto,
            width: None,
            columns: Vec::new(),
            excel: false,
            loaded: OnceLock::new(),
        }
    }

    pub fn rules(&self) -> Result<Rules> {
        Rules::load(self.ws.rules.as_deref(), self.ws.holidays.as_deref())
    }

    /// Loads rules, book and log for `purpose`, once per run. Data errors stop the command
    /// (exit 2); warnings are printed on stderr and the command goes on.
    ///
    /// The log is shared by the team: one bad row must not stop everyone's morning list. Its
    /// rows that cannot be read are skipped, said in one line; rows of customers the book
    /// does not have (deleted ones, typically) are left to `check`.
    pub fn load(&self, purpose: Purpose) -> Result<&Loaded> {
        let (loaded, mut problems, _) = self.load_with(self.rules()?, purpose)?;
        // A log that cannot be read past a point is never answered from in part.
        problems.extend(loaded.log.stops_at.clone());
        stop_on_errors(problems)?;
        if loaded.log.unreadable > 0 {
            let n = loaded.log.unreadable;
            let file = crate::error::display_path(&self.ws.activities);
            crate::error::warn(
                crate::model::messages::Msg::UnreadableRows {
                    file: &file,
                    rows: n,
                }
                .to_string(),
            );
        }
        Ok(self.keep(loaded))
    }

    /// Loads book and log with `rules` to read them, returning every problem found beside
    /// them (for `check`).
    pub fn load_all_problems(&self, rules: Rules) -> Result<(&Loaded, Vec<Diagnostic>)> {
        let (loaded, mut problems, log_problems) = self.load_with(rules, Purpose::Read)?;
        problems.extend(log_problems);
        Ok((self.keep(loaded), problems))
    }

    fn keep(&self, loaded: Loaded) -> &Loaded {
        if self.loaded.set(loaded).is_err() {
            unreachable!("a command loads the workspace once");
        }
        self.loaded.get().expect("just set")
    }

    /// The rules, book and log, with the book's problems and the log's rows' problems apart.
    fn load_with(
        &self,
        rules: Rules,
        purpose: Purpose,
    ) -> Result<(Loaded, Vec<Diagnostic>, Vec<Diagnostic>)> {
        let opts = self.read_options(purpose == Purpose::Write);
        let started = std::time::Instant::now();
        let (mut book, problems) = crate::store::read_book(&self.ws.customers, &rules, opts)?;
        crate::timing::phase("read book", started);
        let started = std::time::Instant::now();
        let since = match purpose {
            Purpose::ReadWithChanges(since) => Some(since),
            Purpose::Read | Purpose::Write => None,
        };
        let mut log_problems = Vec::new();
        let log = crate::store::log::fold_with_changes(
            &self.ws.activities,
            &mut book,
            (self.ws.today, since),
            rules.cadence.order_cluster_days,
            self.ws.encoding,
            &mut log_problems,
        )?;
        crate::timing::phase("fold log", started);
        Ok((Loaded { rules, book, log }, problems, log_problems))
    }

    /// How the workspace says its book is read; `keep_source` to write it back.
    pub fn read_options(&self, keep_source: bool) -> ReadOptions<'_> {
        ReadOptions {
            columns: &self.ws.columns,
            encoding: self.ws.encoding,
            keep_source,
            header_row: self.ws.header_row,
            sheet: self.ws.sheet.as_deref(),
            dates: self.ws.dates,
        }
    }

    /// A printer on stdout.
    pub fn printer<'w>(&self, out: &'w mut dyn Write) -> Printer<'w> {
        Printer {
            out,
            format: self.format,
            lang: self.lang,
            color: self.color,
            header: self.header,
            width: self.width,
            pick: self.columns.clone(),
            excel: self.excel,
        }
    }
}

/// Data errors stop a command (exit 2); warnings are printed and it goes on; notes are for
/// `check` only.
pub fn stop_on_errors(problems: Vec<Diagnostic>) -> Result<()> {
    let (errors, warnings): (Vec<_>, Vec<_>) = problems
        .into_iter()
        .filter(|d| d.severity != Severity::Note)
        .partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(Error::Data(errors));
    }
    print_warnings(&warnings);
    Ok(())
}

/// Prints warnings on stderr: the first few in full, then how many more.
fn print_warnings(warnings: &[Diagnostic]) {
    const SHOWN: usize = 3;
    if crate::error::quiet() {
        return;
    }
    for w in warnings.iter().take(SHOWN) {
        eprintln!("{w}");
    }
    if warnings.len() > SHOWN {
        crate::error::warn(crate::model::messages::Msg::MoreWarnings {
            warnings: warnings.len() - SHOWN,
        });
    }
}

/// Locks stdout behind a buffer; a closed pipe surfaces as an I/O error the caller maps to 0.
pub fn with_stdout(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    f(&mut out).and_then(|()| out.flush()).map_err(|e| {
        match e
            .get_ref()
            .and_then(|e| e.downcast_ref::<crate::render::UnknownColumn>())
        {
            Some(unknown) => Error::Usage(unknown.0.clone()),
            None => Error::io(Path::new("<stdout>"), e),
        }
    })
}
