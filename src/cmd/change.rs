//! What the commands that change the book share: a proposed change with its reason, shown
//! (`--dry-run`, `--diff`) or applied — the book's files and the activity log's rows
//! together, through the journal.

mod destination;

pub use destination::{Written, check as check_destination};

use super::context::{Context, Loaded, with_stdout};
use crate::error::{Result, display_path};
use crate::model::{ActivityKind, Enumeration, Field};
use crate::render::{Cell, Column, Table};
use crate::store::writeback::{self, Change, Target};
use crate::store::{Book, Form, journal, style, write};

/// A change to one cell, why, and the log row it leaves when applied.
#[derive(Clone, Debug)]
pub struct Proposed {
    pub change: Change,
    /// The old and new values as the tool names them (ids), whatever the file spells.
    pub from: String,
    pub to: String,
    pub reason: String,
    /// The reason in Chinese where a rule file gives it (`label_zh`); else the English one
    /// is told in Chinese as [`Msg::Reason`](crate::model::messages::Msg::Reason) can.
    pub reason_zh: Option<String>,
    /// `stage_change` / `grade_change` rows go to the log; other changes leave none.
    pub log: Option<ActivityKind>,
}

impl Proposed {
    /// Why, in `lang`: the rule file's Chinese, else the tool's words told in Chinese.
    pub fn reason_in(&self, lang: crate::model::Lang) -> String {
        match (&self.reason_zh, lang) {
            (Some(zh), crate::model::Lang::Zh) => zh.clone(),
            _ => crate::model::messages::Msg::Reason(&self.reason).text(lang),
        }
    }
}

/// Locks the workspace for a read-modify-write of the book, unless nothing will be written,
/// and finishes a change an interrupted run left before the book is read. A workbook is
/// never written: a write to one is refused here, before anything is read.
pub fn lock(ctx: &Context, dry_run: bool) -> Result<Option<write::Lock>> {
    if dry_run {
        Ok(None)
    } else if crate::store::workbook::is_workbook(&ctx.ws.customers) {
        Err(writeback::workbook_refusal(&ctx.ws.customers))
    } else {
        let lock = write::lock(&journal::dir(&ctx.ws.root), &ctx.ws.customers)?;
        journal::recover_locked(&ctx.ws.root)?;
        Ok(Some(lock))
    }
}

/// Shows or applies the proposed changes; prints the change table unless `quiet`. The
/// workspace's `lock` (taken by [`lock`]) is released once the files are written, before
/// anything is printed: a reader slow to take the output never holds other writers up.
pub fn apply(
    ctx: &Context,
    loaded: &Loaded,
    proposed: &[Proposed],
    lock: Option<write::Lock>,
    dry_run: bool,
    diff: bool,
    quiet: bool,
) -> Result<()> {
    let changes: Vec<Change> = proposed.iter().map(|p| p.change.clone()).collect();
    // Everything is validated (and encoded) before anything is written. A workbook's changes
    // are only shown (a write was refused before loading).
    let workbook = matches!(loaded.book.form, Form::Workbook(_));
    if workbook && (diff || !dry_run) {
        return Err(writeback::workbook_refusal(&loaded.book.path));
    }
    let planned = if workbook {
        Vec::new()
    } else {
        writeback::plan(&loaded.book, &changes, &ctx.ws.columns)?
    };
    if dry_run && diff {
        return with_stdout(|out| {
            for p in &planned {
                let name = display_path(&p.path);
                let text = similar::TextDiff::from_lines(&p.old_text, &p.new_text)
                    .unified_diff()
                    .context_radius(1)
                    .header(&format!("a/{name}"), &format!("b/{name}"))
                    .to_string();
                // The book's own control characters and escapes shown, not obeyed.
                out.write_all(crate::visible::visible_text(&text).as_bytes())?;
            }
            Ok(())
        });
    }
    if !dry_run {
        // A test's person may save the book or type into the log here (`failpoints` builds).
        crate::store::pause::pause("after-read");
        // The log rows are encoded before the book is touched: a reason the log's encoding
        // cannot hold stops the run with nothing written.
        let rows: Vec<(chrono::NaiveDate, [String; 4])> = proposed
            .iter()
            .filter_map(|p| {
                let kind = p.log?;
                let id = loaded.book.customers[p.change.customer].id.to_string();
                // In the run's language, as the user reads the log (their own words, a
                // rule file's labels and `--reason`, stay as written).
                // A stage by its name in the run's language (grades are letters in both).
                let word = |v: &str| match (kind, ctx.lang) {
                    (ActivityKind::StageChange, crate::model::Lang::Zh) => {
                        crate::model::Stage::parse(v).map_or(v.to_string(), |s| s.zh().into())
                    }
                    _ => v.to_string(),
                };
                let note = format!(
                    "{} -> {}; {}",
                    word(&p.from),
                    word(&p.to),
                    p.reason_in(ctx.lang)
                );
                Some((
                    ctx.ws.today,
                    [id, kind.id().to_string(), String::new(), note],
                ))
            })
            .collect();
        let append = if rows.is_empty() {
            None
        } else {
            let new_log = super::log::NewLog::beside(&loaded.book);
            let path = &ctx.ws.activities;
            Some(super::log::prepare_rows(
                path,
                &rows,
                ctx.ws.encoding,
                new_log,
            )?)
        };
        // The book's files and the log's rows go together, all or nothing across a kill.
        let log = match &append {
            Some(append) => Some(append.staged()?),
            None => None,
        };
        writeback::commit(&ctx.ws.root, &loaded.book.path, &planned, log.as_ref())?;
    }
    drop(lock);
    if quiet || proposed.is_empty() {
        return Ok(());
    }
    let mut t = Table::new(vec![
        Column::new("id", "ID", "编号"),
        Column::new("field", "Field", "字段"),
        Column::new("from", "From", "原值"),
        Column::new("to", "To", "新值"),
        Column::new("reason", "Reason", "原因"),
        Column::new("applied", "Applied", "已应用"),
    ]);
    // For people, a field by the sheet's own header (else its Chinese name, in Chinese) and
    // a stage or grade by its name; machines get ids.
    let people = !ctx.format.is_machine();
    let zh = ctx.lang == crate::model::Lang::Zh;
    let field_name = |p: &Proposed| -> String {
        match &p.change.target {
            writeback::Target::Field(f) if people => header_of(&loaded.book, *f, &ctx.ws.columns)
                .or_else(|| {
                    zh.then(|| style::chinese_header(*f).map(str::to_string))
                        .flatten()
                })
                .unwrap_or_else(|| f.name().to_string()),
            target => target.name().to_string(),
        }
    };
    let value = |p: &Proposed, v: &str| -> String {
        use crate::model::{Grade, Stage};
        match &p.change.target {
            writeback::Target::Field(Field::Stage) if people => {
                Stage::parse(v).map_or(v.to_string(), |s| s.label(ctx.lang).to_string())
            }
            writeback::Target::Field(Field::Grade) if people && zh => {
                Grade::parse(v).map_or(v.to_string(), |g| g.label(ctx.lang).to_string())
            }
            _ => v.to_string(),
        }
    };
    for p in proposed {
        t.rows.push(vec![
            Cell::text(&*loaded.book.customers[p.change.customer].id),
            Cell::text(field_name(p)),
            Cell::text(value(p, &p.from)),
            Cell::text(value(p, &p.to)),
            Cell::text(if people {
                p.reason_in(ctx.lang)
            } else {
                p.reason.clone()
            }),
            Cell::Bool(!dry_run),
        ]);
    }
    with_stdout(|out| ctx.printer(out).table(&t))
}

/// The header a book uses for a field, if it has one.
pub fn header_of(book: &Book, field: Field, columns: &[(Field, String)]) -> Option<String> {
    let matches = |h: &str| crate::store::field_for_header(h, columns) == Some(field);
    match &book.form {
        Form::Csv(src) => src.header.iter().find(|h| matches(h)).cloned(),
        Form::Toml(src) => src
            .text
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, _)| k.trim().to_string())
            .find(|k| matches(k)),
        Form::Folder(f) => f
            .files
            .iter()
            .flat_map(|(_, src)| src.text.lines())
            .filter_map(|l| l.split_once('='))
            .map(|(k, _)| k.trim().to_string())
            .find(|k| matches(k)),
        Form::Released | Form::Workbook(_) => None,
    }
}

/// How to write an enumeration's values in this book: as its column spells the values it
/// holds (`A级`, `准客户`, `quasi`); in an empty column, its Chinese name where the header is
/// Chinese (a sheet with 阶段 says 准客户; a grade stays a letter), else its id. The column
/// is read once, for all the values to write (a TOML book's column is found by parsing its
/// text: once per value, a thousand values took minutes).
pub fn enum_speller<E: Enumeration>(
    field: Field,
    book: &Book,
    columns: &[(Field, String)],
) -> impl Fn(E) -> String + use<E> {
    let cells = style::column_cells(book, |h| {
        crate::store::field_for_header(h, columns) == Some(field)
    });
    let spelling = style::spelling::<E>(&cells);
    let chinese = header_of(book, field, columns).is_some_and(|h| !h.is_ascii());
    move |value: E| match spelling {
        Some(spelling) => style::spell(value, spelling),
        None if chinese && field != Field::Grade => value.zh().to_string(),
        None => value.id().to_string(),
    }
}

/// How to write a date into `field` of this book: as its column writes dates, or, in an
/// empty column, as the book's other date columns do; ISO when none says.
pub fn date_text(
    date: chrono::NaiveDate,
    field: Field,
    book: &Book,
    ws: &crate::workspace::Workspace,
) -> String {
    // The field's own column, else any date column: both sampled in one pass.
    let mut samples = style::columns_cells(book, 2, |h| {
        let f = crate::store::field_for_header(h, &ws.columns)?;
        if f == field {
            Some(0)
        } else {
            (f.ty() == crate::model::FieldType::Date).then_some(1)
        }
    });
    let others = samples.pop().unwrap_or_default();
    let own = samples.pop().unwrap_or_default();
    let cells = if own.is_empty() { others } else { own };
    style::date_format(&cells, ws.dates).map_or_else(
        || crate::model::value::iso(date),
        |format| style::format_date(date, &format),
    )
}

/// Reads a day given on the command line (`2026-12-08`, `tue`, `+3d`: `parse_day`), as a
/// usage error when it cannot be read or is before today.
pub fn day_arg(text: &str, today: chrono::NaiveDate) -> Result<chrono::NaiveDate> {
    use crate::error::Error;
    use crate::model::messages::Msg;
    use crate::model::value::iso;
    let day = crate::model::value::parse_day(text, today)
        .map_err(|_| Error::Usage(Msg::DayUnreadable { text }.to_string()))?;
    if day < today {
        let (day, today) = (iso(day), iso(today));
        let said = if text.trim() == day {
            day
        } else {
            format!("\"{text}\" ({day})")
        };
        return Err(Error::Usage(
            Msg::DayPast {
                said: &said,
                today: &today,
            }
            .to_string(),
        ));
    }
    Ok(day)
}

/// The proposal to set a customer's date field (`None`: empty it), written as the book
/// writes dates; nothing when it already holds that.
pub fn set_date(
    loaded: &Loaded,
    ws: &crate::workspace::Workspace,
    (customer, field): (usize, Field),
    (from, to): (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>),
    reason: &str,
) -> Option<Proposed> {
    use crate::model::value::iso;
    (from != to).then(|| Proposed {
        change: field_change(
            customer,
            field,
            to.map(|d| date_text(d, field, &loaded.book, ws))
                .unwrap_or_default(),
        ),
        from: from.map(iso).unwrap_or_default(),
        to: to.map(iso).unwrap_or_default(),
        reason: reason.to_string(),
        reason_zh: None,
        log: None,
    })
}

/// A change to a known field.
pub fn field_change(customer: usize, field: Field, value: String) -> Change {
    Change {
        customer,
        target: Target::Field(field),
        value,
    }
}

/// Where `tier --write` and `classify --write` store their answers: a field or column by
/// name, the Chinese header a new column gets in a book of Chinese headers, and how a value
/// is spelled in the cell (by the column's own spelling, for a grade or stage).
pub struct Destination<'a> {
    pub name: &'a str,
    pub zh: Option<&'a str>,
    pub spell: &'a dyn Fn(&str) -> String,
    /// The workspace's `[columns]`: a header mapped there names its field.
    pub columns: &'a [(Field, String)],
}

/// How a value written to the field or column `name` is spelled: a grade or stage as its
/// column spells them (`A级`, `准客户`), anything else as it is.
pub fn spelling_of<'b>(
    book: &'b Book,
    name: &str,
    columns: &'b [(Field, String)],
) -> Box<dyn Fn(&str) -> String + 'b> {
    use crate::model::{Grade, Stage};
    match crate::store::field_for_header(name, columns) {
        Some(Field::Grade) => {
            let spell = enum_speller(Field::Grade, book, columns);
            Box::new(move |v: &str| match Grade::parse(v) {
                Some(g) => spell(g),
                None => v.to_string(),
            })
        }
        Some(Field::Stage) => {
            let spell = enum_speller(Field::Stage, book, columns);
            Box::new(move |v: &str| match Stage::parse(v) {
                Some(s) => spell(s),
                None => v.to_string(),
            })
        }
        _ => Box::new(|v: &str| v.to_string()),
    }
}

/// Proposes storing `values` (customer, value) in `to`, for the customers whose current
/// value differs. Grade and stage values are compared as values, so `A级` already holding A
/// is left alone.
pub fn propose_values(
    book: &Book,
    to: &Destination<'_>,
    values: impl Iterator<Item = (usize, String)>,
    reason: &str,
) -> Vec<Proposed> {
    let name = to.name;
    let field = crate::store::field_for_header(name, to.columns);
    let target = match field {
        Some(f) => Target::Field(f),
        None => Target::Column {
            name: name.to_string(),
            zh: to.zh.map(str::to_string),
        },
    };
    let extra = book
        .extra_columns
        .iter()
        .position(|c| c.trim().eq_ignore_ascii_case(name) || Some(c.trim()) == to.zh);
    let mut out = Vec::new();
    for (i, value) in values {
        let c = &book.customers[i];
        let current: String = match field {
            Some(Field::Grade) => c.grade.map(|g| g.id().to_string()).unwrap_or_default(),
            Some(Field::Stage) => c.stage.map(|s| s.id().to_string()).unwrap_or_default(),
            Some(Field::Type) => c.kind.to_string(),
            _ => extra
                .and_then(|x| c.extra(x))
                .unwrap_or_default()
                .to_string(),
        };
        let written = (to.spell)(&value);
        let same = match field {
            Some(Field::Grade) => {
                crate::model::Grade::parse(&value).map(|g| g.id().to_string())
                    == Some(current.clone())
            }
            Some(Field::Stage) => {
                crate::model::Stage::parse(&value).map(|s| s.id().to_string())
                    == Some(current.clone())
            }
            Some(Field::Type) => value == current,
            _ => written == current,
        };
        if !same {
            // A grade or stage set this way is a grade or stage change like any other: logged.
            let log = match field {
                Some(Field::Grade) => Some(ActivityKind::GradeChange),
                Some(Field::Stage) => Some(ActivityKind::StageChange),
                _ => None,
            };
            out.push(Proposed {
                to: value.clone(),
                change: Change {
                    customer: i,
                    target: target.clone(),
                    value: written,
                },
                from: current,
                reason: reason.to_string(),
                reason_zh: None,
                log,
            });
        }
    }
    out
}
