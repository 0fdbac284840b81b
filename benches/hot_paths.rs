//! Criterion benchmarks of the hot paths of a big book, through the library:
//!
//! - `decode/customers`: reading customers.csv into customers (`store::read_book`);
//! - `decode/activities_csv_floor`: a plain csv-crate pass over activities.csv;
//! - `decode/activities_records`: the same pass with the library's record splitter
//!   (`store::records`), which the log fold and the book reader stand on;
//! - `log/fold`: streaming activities.csv into the per-customer derived fields
//!   (`store::log::fold`: decode, typed parse, aggregation);
//! - `log/fold_ids_unpadded`, `_suffixed`, `_email`: the same with the ids reshaped
//!   (`C123`, `C0000123-K`, `buyer.0000123@example.com`, in a copy of the book beside it),
//!   the id index's other forms;
//! - `conditions/parse_compile`: parsing and type-checking the `grade` scheme's conditions;
//! - `conditions/grade_rules`: those conditions, first match wins, over every customer;
//! - `cadence/due_today` and `cadence/any_date`: the follow-up engine
//!   (`cmd::due::engine::entry`) over every customer, as `due` and `report` run it;
//! - `render/tsv`: a listing of every customer in `due`'s columns, reason phrases made by
//!   `cmd::due::reason`, written as TSV (`render::Printer::rows_indexed`), on one core (the
//!   book is under the size split across cores).
//!
//! The book: the folder named by `CLIENTELE_BENCH_DATA` (customers.csv, activities.csv), else
//! 10 000 customers / 100 000 log rows generated once with bench/gen.py into the
//! system's temporary folder. `cargo bench --bench hot_paths [-- FILTER]`.
//! bench/compare.sh times whole commands at 1M / 10M against DuckDB.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{NaiveDate, Weekday};
use clientele::cmd::due::engine::{Calendar, Why, entry};
use clientele::cmd::due::{Say, reason};
use clientele::model::value::Span;
use clientele::model::{Enumeration, Grade, Lang};
use clientele::render::{Alerted, Cell, Column, Format, Printer};
use clientele::rules::Rules;
use clientele::rules::expr::{Compiled, Env, compile, parse};
use clientele::store::fast::{Splitter, Step};
use clientele::store::{Book, ReadOptions, log, read_book};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

const CUSTOMERS: u32 = 10_000;
const ACTIVITIES: u32 = 100_000;
const WEEKEND: [Weekday; 2] = [Weekday::Sat, Weekday::Sun];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("a valid date")
}

/// The folder with customers.csv and activities.csv, generated on first use.
fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CLIENTELE_BENCH_DATA") {
        return PathBuf::from(dir);
    }
    let dir = std::env::temp_dir().join(format!("clientele-bench-{CUSTOMERS}-{ACTIVITIES}"));
    if dir.join("customers.csv").is_file() && dir.join("activities.csv").is_file() {
        return dir;
    }
    let gen_py = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen.py");
    assert!(
        gen_py.is_file(),
        "no book to benchmark: set CLIENTELE_BENCH_DATA to a folder with customers.csv and \
         activities.csv, or provide {}",
        gen_py.display()
    );
    // Generate beside the final folder, then rename: a run stopped half-way leaves no
    // half-written book behind to be picked up next time.
    let partial = dir.with_extension(format!("partial-{}", std::process::id()));
    let status = Command::new("python3")
        .arg(&gen_py)
        .args(["--customers", &CUSTOMERS.to_string()])
        .args(["--activities", &ACTIVITIES.to_string()])
        .arg("--out")
        .arg(&partial)
        .status()
        .expect("run python3 gen.py");
    assert!(status.success(), "gen.py failed: {status}");
    if std::fs::rename(&partial, &dir).is_err() {
        // Another run got there first.
        let _ = std::fs::remove_dir_all(&partial);
    }
    dir
}

fn opts() -> ReadOptions<'static> {
    ReadOptions {
        columns: &[],
        encoding: None,
        keep_source: true,
        ..ReadOptions::default()
    }
}

fn read(dir: &Path, rules: &Rules) -> Book {
    read_book(&dir.join("customers.csv"), rules, opts())
        .expect("read customers.csv")
        .0
}

/// The book with the log folded in, as every command sees it.
fn folded(dir: &Path, rules: &Rules) -> Book {
    let mut book = read(dir, rules);
    let mut problems = Vec::new();
    log::fold(
        &dir.join("activities.csv"),
        &mut book,
        today(),
        None,
        &mut problems,
    )
    .expect("fold activities.csv");
    book
}

/// The `when` conditions of the shipped `grade` scheme, in order, with their tiers.
fn grade_conditions() -> Vec<(String, String)> {
    let text = clientele::rules::EMBEDDED
        .iter()
        .find(|(name, _)| *name == "tiers")
        .expect("embedded tiers.toml")
        .1;
    let tiers: toml::Value = toml::from_str(text).expect("tiers.toml parses");
    tiers["scheme"]["grade"]["rules"]
        .as_array()
        .expect("grade rules")
        .iter()
        .map(|r| {
            (
                r["tier"].as_str().expect("tier").to_string(),
                r["when"].as_str().expect("when").to_string(),
            )
        })
        .collect()
}

fn compile_all(conditions: &[(String, String)], rules: &Rules) -> Vec<Compiled> {
    conditions
        .iter()
        .map(|(_, when)| compile(&parse(when).expect("parses"), &rules.traits).expect("compiles"))
        .collect()
}

fn decode(c: &mut Criterion) {
    let dir = data_dir();
    let rules = Rules::load(None, None).expect("embedded rules");
    let customers = read(&dir, &rules).customers.len() as u64;
    let mut g = c.benchmark_group("decode");
    g.sample_size(10);
    g.throughput(Throughput::Elements(customers));
    g.bench_function("customers", |b| b.iter(|| black_box(read(&dir, &rules))));
    let path = dir.join("activities.csv");
    let rows = csv::Reader::from_path(&path)
        .expect("open activities.csv")
        .byte_records()
        .count() as u64;
    g.throughput(Throughput::Elements(rows));
    g.bench_function("activities_csv_floor", |b| {
        b.iter(|| {
            let mut rdr = csv::ReaderBuilder::new()
                .buffer_capacity(1 << 20)
                .from_path(&path)
                .expect("open activities.csv");
            let mut record = csv::ByteRecord::new();
            let mut n = 0u64;
            while rdr.read_byte_record(&mut record).expect("read") {
                n += record.len() as u64;
            }
            black_box(n)
        })
    });
    let bytes = std::fs::read(&path).expect("read activities.csv");
    g.bench_function("activities_records", |b| {
        b.iter(|| {
            let mut splitter = Splitter::new(b',');
            let (mut at, mut n) = (0, 0u64);
            while let Step::Record(record, used) = splitter.next(&bytes[at..], true) {
                n += record.len() as u64;
                at += used;
            }
            black_box(n)
        })
    });
    g.finish();
}

fn log_fold(c: &mut Criterion) {
    let dir = data_dir();
    let rules = Rules::load(None, None).expect("embedded rules");
    let path = dir.join("activities.csv");
    let rows = {
        let mut book = read(&dir, &rules);
        log::fold(&path, &mut book, today(), None, &mut Vec::new())
            .expect("fold")
            .rows
    };
    let mut g = c.benchmark_group("log");
    g.sample_size(10);
    g.throughput(Throughput::Elements(rows));
    // The book as generated, then with the ids in other shapes (see `reshaped`): the id
    // index takes another form for each. Each fold gets a freshly read book (not timed):
    // folding changes the book.
    let books = std::iter::once(("fold".to_string(), dir.clone())).chain(
        ID_SHAPES
            .iter()
            .map(|&(name, shape)| (format!("fold_ids_{name}"), reshaped(&dir, name, shape))),
    );
    for (name, dir) in books {
        let path = dir.join("activities.csv");
        g.bench_function(name, |b| {
            b.iter_batched(
                || read(&dir, &rules),
                |mut book| {
                    let mut problems = Vec::new();
                    let summary = log::fold(&path, &mut book, today(), None, &mut problems)
                        .expect("fold activities.csv");
                    black_box((summary.rows, book))
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

/// Makes another id of a generated one.
type Reshape = fn(&str) -> String;

/// Other shapes of the generated ids (`C0000123`): numbers without leading zeros (the
/// dense index, unpadded), a suffix (hashed, short enough for a slot), an e-mail address
/// (hashed, longer than a slot).
const ID_SHAPES: [(&str, Reshape); 3] = [
    ("unpadded", |id| {
        format!("C{}", id[1..].trim_start_matches('0'))
    }),
    ("suffixed", |id| format!("{id}-K")),
    ("email", |id| format!("buyer.{}@example.com", &id[1..])),
];

/// A copy of the book in `dir` with every id, in both files, reshaped by `shape`, in a
/// folder beside it named after the shape (made on first use).
fn reshaped(dir: &Path, name: &str, shape: Reshape) -> PathBuf {
    let out = dir.with_file_name(format!(
        "{}-ids-{name}",
        dir.file_name().and_then(|n| n.to_str()).unwrap_or("book")
    ));
    if out.join("customers.csv").is_file() && out.join("activities.csv").is_file() {
        return out;
    }
    let partial = out.with_extension(format!("partial-{}", std::process::id()));
    std::fs::create_dir_all(&partial).expect("make the reshaped book's folder");
    // The id is the first field of a customer, the second of a log row; gen.py never quotes
    // either.
    for (file, field) in [("customers.csv", 0), ("activities.csv", 1)] {
        let text = std::fs::read_to_string(dir.join(file)).expect("read the generated book");
        let mut lines = text.lines();
        let mut new = format!("{}\n", lines.next().unwrap_or(""));
        for line in lines {
            let mut cells: Vec<&str> = line.splitn(field + 2, ',').collect();
            let id = shape(cells[field]);
            cells[field] = &id;
            new.push_str(&cells.join(","));
            new.push('\n');
        }
        std::fs::write(partial.join(file), new).expect("write the reshaped book");
    }
    if std::fs::rename(&partial, &out).is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    out
}

fn conditions(c: &mut Criterion) {
    let dir = data_dir();
    let rules = Rules::load(None, None).expect("embedded rules");
    let book = folded(&dir, &rules);
    let env = Env {
        today: today(),
        extra_columns: &book.extra_columns,
    };
    let conditions = grade_conditions();
    let mut g = c.benchmark_group("conditions");
    g.throughput(Throughput::Elements(conditions.len() as u64));
    g.bench_function("parse_compile", |b| {
        b.iter(|| black_box(compile_all(black_box(&conditions), &rules)))
    });
    let compiled = compile_all(&conditions, &rules);
    g.throughput(Throughput::Elements(book.customers.len() as u64));
    g.bench_function("grade_rules", |b| {
        b.iter(|| {
            // First match wins, as the `grade` scheme assigns; the count per rule (and of
            // the default) keeps the work from being optimised away.
            let mut counts = vec![0u32; compiled.len() + 1];
            for customer in &book.customers {
                let i = compiled
                    .iter()
                    .position(|cond| cond.holds(customer, &env))
                    .unwrap_or(compiled.len());
                counts[i] += 1;
            }
            black_box(counts)
        })
    });
    g.finish();
}

fn cadence(c: &mut Criterion) {
    let dir = data_dir();
    let rules = Rules::load(None, None).expect("embedded rules");
    let book = folded(&dir, &rules);
    let cal = Calendar::new(&rules, &WEEKEND, today());
    let env = Env {
        today: today(),
        extra_columns: &book.extra_columns,
    };
    let mut g = c.benchmark_group("cadence");
    g.throughput(Throughput::Elements(book.customers.len() as u64));
    for (name, until) in [("due_today", today()), ("any_date", NaiveDate::MAX)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                book.customers
                    .iter()
                    .enumerate()
                    .filter_map(|(i, customer)| entry(customer, i, &rules, cal, &env, until))
                    .filter(|e| e.late)
                    .count()
            })
        });
    }
    g.finish();
}

fn render(c: &mut Criterion) {
    let dir = data_dir();
    let rules = Rules::load(None, None).expect("embedded rules");
    let book = folded(&dir, &rules);
    let notes = Default::default();
    let say = Say {
        lang: Lang::En,
        rules: &rules,
        notes: &notes,
    };
    let columns: Vec<Column> = [
        "due",
        "overdue_days",
        "id",
        "name",
        "owner",
        "grade",
        "stage",
        "type",
        "reason",
        "strategy",
        "late",
    ]
    .into_iter()
    .map(|key| Column::new(key, key, key))
    .collect();
    let row = |i: usize| {
        let c = &book.customers[i];
        let due = c.last_contact.unwrap_or(today());
        let grade = c.grade.unwrap_or(Grade::E);
        [
            Cell::Date(due),
            Cell::Alert(Alerted::Int((today() - due).num_days())),
            Cell::text(&*c.id),
            Cell::text(&*c.name),
            Cell::text(&*c.owner),
            Cell::text(c.grade.map_or("", |g| g.id())),
            Cell::text(c.stage.map_or("", |s| s.id())),
            Cell::text(&*c.kind),
            Cell::text(reason(
                &Why::Every {
                    grade,
                    span: Span::Months(3),
                    new: false,
                },
                grade,
                c,
                &say,
            )),
            Cell::text(rules.strategy(&c.kind, Lang::En).unwrap_or_default()),
            Cell::Bool(i.is_multiple_of(3)),
        ]
    };
    let mut g = c.benchmark_group("render");
    g.throughput(Throughput::Elements(book.customers.len() as u64));
    g.bench_function("tsv", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            let mut printer = Printer {
                out: &mut out,
                format: Format::Tsv,
                lang: Lang::En,
                color: false,
                header: clientele::render::HeaderWhen::Auto,
                width: None,
                pick: Vec::new(),
                excel: false,
            };
            printer
                .rows_indexed(&columns, book.customers.len(), row)
                .expect("written to memory");
            black_box(out.len())
        })
    });
    g.finish();
}

criterion_group!(hot_paths, decode, log_fold, conditions, cadence, render);
criterion_main!(hot_paths);
