//! `clientele export DIR`: the book and the log as two canonical typed tables
//! (`customers.csv`, `activities.csv`: UTF-8, English field names, ISO dates, plain decimal
//! amounts, enumerations by id, an empty cell for no value) and `schema.sql`, their
//! `CREATE TABLE` statements in a SQL dialect, so that any engine can load them and run what
//! `clientele sql` prints.
//!
//! The customers are the book's own values, before the log is folded in: the log is the
//! other table, and `clientele sql` derives from it what clientele derives.

use std::path::{Path, PathBuf};

use super::context::Context;
use super::sql::dialect::Dialect;
use super::sql::tables::{self, SEQ};
use crate::error::{Error, Result};
use crate::model::messages::commands::guard::{GuardMsg, Protected};
use crate::model::{Customer, Enumeration, Field};
use crate::rules::Rules;
use crate::rules::expr::{Val, field_value};

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The folder to write customers.csv, activities.csv and schema.sql into (made when missing)
    pub dir: PathBuf,
    /// The SQL dialect of schema.sql
    #[arg(long, value_enum, default_value = "duckdb")]
    pub dialect: Dialect,
    /// Write every text exactly, for loading into an engine; without it a text cell that
    /// Excel would run as a formula (=, +, -, @) gets a leading ' as with --excel
    #[arg(long)]
    pub raw: bool,
}

pub fn run(args: &ExportArgs, ctx: &Context) -> Result<u8> {
    let loaded = ctx.load(super::Purpose::Read)?;
    refuse_data_folder(&args.dir, ctx, &loaded.rules)?;
    // The book's own values, the log not folded in. The load above stopped on any error in
    // either and said what it skips, so the problems found again here are left unsaid.
    let (book, _) =
        crate::store::read_book(&ctx.ws.customers, &loaded.rules, ctx.read_options(false))?;
    let log = crate::store::log::rows(&ctx.ws.activities, ctx.ws.encoding)?;
    let protect = !args.raw;
    let customers = customers_csv(&book.customers, &loaded.rules, protect)?;
    let activities = activities_csv(&log, protect)?;
    std::fs::create_dir_all(&args.dir).map_err(|e| Error::io(&args.dir, e))?;
    for (name, bytes) in [
        ("customers.csv", customers),
        ("activities.csv", activities),
        ("schema.sql", tables::schema(args.dialect).into_bytes()),
    ] {
        let path = args.dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
    }
    Ok(0)
}

/// Refuses a folder that is, or holds, the book, the log, a rule file or clientele.toml:
/// the files written there would replace them.
fn refuse_data_folder(dir: &Path, ctx: &Context, rules: &Rules) -> Result<()> {
    use crate::store::write::{inside, same_file};
    let ws = &ctx.ws;
    let mut own: Vec<(&Path, Protected)> = vec![
        (ws.customers.as_path(), Protected::Book),
        (ws.activities.as_path(), Protected::Log),
    ];
    own.extend(
        rules
            .files
            .iter()
            .filter(|f| !f.builtin)
            .map(|f| (f.path.as_path(), Protected::RuleFile)),
    );
    if let Some(config) = ws.config.as_deref() {
        own.push((config, Protected::Config));
    }
    for (file, what) in own {
        if same_file(dir, file) || inside(file, dir) {
            return Err(Error::Usage(
                GuardMsg::ExportOverData {
                    dir: &crate::error::display_path(dir),
                    file: &crate::error::display_path(file),
                    what,
                }
                .to_string(),
            ));
        }
    }
    Ok(())
}

fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>> {
    w.into_inner()
        .map_err(|e| Error::io(Path::new("<export>"), e.into_error()))
}

fn csv_io(e: csv::Error) -> Error {
    Error::io(Path::new("<export>"), std::io::Error::other(e))
}

/// A text as written: exactly (`--raw`), or made safe for Excel.
fn text(s: &str, protect: bool) -> String {
    if protect {
        crate::render::excel::protect(s).into_owned()
    } else {
        s.to_string()
    }
}

/// One field of a customer as its cell: typed values as the machine formats write them,
/// texts exactly or protected; "" for no value.
fn cell(c: &Customer, f: Field, rules: &Rules, protect: bool) -> String {
    if f == Field::Traits {
        let ids: Vec<&str> = c
            .traits
            .iter()
            .filter_map(|i| rules.traits.traits.get(usize::from(i)))
            .map(|(id, _)| id.as_str())
            .collect();
        return ids.join(";");
    }
    let mut out = String::new();
    match field_value(c, f) {
        Val::Null => {}
        Val::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        Val::Int(n) => crate::model::value::push_int(&mut out, n),
        Val::Money(cents) => crate::model::value::push_amount(&mut out, cents),
        Val::Dec(d) => out.push_str(&d.to_string()),
        Val::Date(d) => crate::model::value::push_iso(&mut out, d),
        Val::MonthDay(m) => out.push_str(&format!("{:02}-{:02}", m.month, m.day)),
        Val::Str(s) => out.push_str(&text(s, protect)),
        Val::Stage(s) => out.push_str(s.id()),
        Val::Grade(g) => out.push_str(g.id()),
        Val::List(l) => out.push_str(l.id()),
    }
    out
}

fn customers_csv(customers: &[Customer], rules: &Rules, protect: bool) -> Result<Vec<u8>> {
    let fields = tables::customer_fields();
    let mut w = csv_writer();
    let header: Vec<&str> = std::iter::once(SEQ)
        .chain(fields.iter().map(|f| f.name()))
        .collect();
    w.write_record(&header).map_err(csv_io)?;
    for (i, c) in customers.iter().enumerate() {
        let mut row = vec![(i + 1).to_string()];
        row.extend(fields.iter().map(|&f| cell(c, f, rules, protect)));
        w.write_record(&row).map_err(csv_io)?;
    }
    finish(w)
}

fn activities_csv(rows: &[crate::store::log::LogRow], protect: bool) -> Result<Vec<u8>> {
    let mut w = csv_writer();
    let header: Vec<&str> = std::iter::once(SEQ)
        .chain(tables::ACTIVITY_COLUMNS.iter().map(|(n, _)| *n))
        .collect();
    w.write_record(&header).map_err(csv_io)?;
    for (i, r) in rows.iter().enumerate() {
        let mut amount = String::new();
        if let Some(cents) = r.amount {
            crate::model::value::push_amount(&mut amount, cents);
        }
        let mut date = String::new();
        crate::model::value::push_iso(&mut date, r.date);
        let row = [
            (i + 1).to_string(),
            date,
            text(&r.customer_id, protect),
            r.kind.id().to_string(),
            amount,
            text(&r.note, protect),
        ];
        w.write_record(&row).map_err(csv_io)?;
    }
    finish(w)
}
