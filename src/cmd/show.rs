//! `clientele show ID`: one customer whole, before a call. The book's cells under the
//! sheet's own headers, what the log adds (last contact, orders, open complaint, the last
//! note), the stage with how to move it on, the type with how to recognise and handle it,
//! the grade's cadence, the tier of every scheme, the next follow-ups, and the latest log rows.

use std::io::Write;

use chrono::{Days, NaiveDate};
use serde_json::{Map, Value, json};

use super::Context;
use super::context::with_stdout;
use super::due::engine::{self, Calendar};
use super::due::{Say, reason};
use crate::error::{Result, display_path};
use crate::model::value::{Span, parse_date_cell};
use crate::model::{
    ActivityKind, Customer, Enumeration, Field, FieldType, Grade, Intent, Lang, ProfileField,
};
use crate::render::{Cell, Column, Format, Table};
use crate::rules::Rules;
use crate::rules::cadence::{GradeCadence, NewCustomers, scaled};
use crate::rules::expr::{Env, Val, field_value};
use crate::rules::traits::TraitVocab;
use crate::store::{Book, Form};
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The customer's id
    pub id: String,
    /// How many of the latest log rows to list
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub log: usize,
}

/// How values are worded: for people in their language, or for machines (ids, ISO dates,
/// plain numbers).
#[derive(Clone, Copy)]
struct Words {
    lang: Lang,
    machine: bool,
}

impl Words {
    fn zh(self) -> bool {
        self.lang == Lang::Zh
    }

    /// An id for machines, a name for people.
    fn name<'a>(self, id: &'a str, en: &'a str, zh: &'a str) -> &'a str {
        match (self.machine, self.lang) {
            (true, _) => id,
            (false, Lang::En) => en,
            (false, Lang::Zh) => zh,
        }
    }

    fn cell(self, cell: &Cell<'_>) -> String {
        if self.machine {
            cell.plain()
        } else {
            cell.human(self.lang)
        }
    }
}

/// One line of a section: a machine key, the label people read, and the value.
struct Line {
    key: String,
    label: String,
    value: String,
}

/// A part of the page: a machine key, its title, and its lines.
struct Section {
    key: &'static str,
    title: &'static str,
    lines: Vec<Line>,
}

pub fn run(args: &ShowArgs, ctx: &Context) -> Result<u8> {
    // Loaded as for a write, so the book's cells can be shown as the sheet writes them.
    let loaded = ctx.load(super::Purpose::Write)?;
    let (rules, book) = (&loaded.rules, &loaded.book);
    let i = book.select(std::slice::from_ref(&args.id))?[0];
    let c = &book.customers[i];
    let machine = ctx.format.is_machine();
    let lang = if machine { Lang::En } else { ctx.lang };
    let words = Words { lang, machine };
    let zh = lang == Lang::Zh;
    let t = |en: &'static str, zh_text: &'static str| if zh { zh_text } else { en };
    let env = Env {
        today: ctx.ws.today,
        extra_columns: &book.extra_columns,
    };
    let log = crate::store::log::rows_of(&ctx.ws.activities, ctx.ws.encoding, &c.id)?;
    let notes = crate::store::log::notes_by_row(
        &ctx.ws.activities,
        ctx.ws.encoding,
        &[c.last_touch_row, c.open_complaint],
    )?;
    let say = Say {
        lang,
        rules,
        notes: &notes,
    };
    let place = book.origins.get(i).map(|o| {
        format!(
            "{}{}{}",
            display_path(&o.path),
            t(", line ", "，第"),
            o.line
        ) + t("", "行")
    });

    let mut sections = vec![
        Section {
            key: "book",
            title: t("In the book", "表中字段"),
            lines: book_lines(book, i, (&rules.traits, &ctx.ws), words),
        },
        Section {
            key: "profile",
            title: t("What we know of them", "客户档案"),
            lines: profile_lines(c, words),
        },
        Section {
            key: "log",
            title: t("From the activity log", "活动记录所得"),
            lines: log_lines(c, &notes, words),
        },
        Section {
            key: "handling",
            title: t("How to handle", "处理建议"),
            lines: handling_lines(c, rules, (&env, &notes), words),
        },
        Section {
            key: "tiers",
            title: t("Tiers", "分层"),
            lines: tier_lines(&book.customers, i, rules, &env, words),
        },
        Section {
            key: "next",
            title: t("Next follow-ups", "接下来的跟进"),
            lines: next_lines(c, i, rules, ctx, &env, &say),
        },
        Section {
            key: "activity",
            title: t("Latest activity", "最近活动"),
            lines: activity_lines(&log, args.log, words),
        },
    ];
    // What to record about a customer is left out whole where the book records none of it.
    sections.retain(|s| s.key != "profile" || !s.lines.is_empty());
    let head = (c.id.to_string(), c.name.to_string(), place);
    match ctx.format {
        Format::Json => {
            let text = json_page(&head, &sections, (&log, args.log))?;
            with_stdout(|out| writeln!(out, "{text}"))
        }
        Format::Table => {
            with_stdout(|out| text_page(out, &head, &sections, (log.len(), ctx.width), lang))
        }
        _ => {
            let columns = [
                Column::new("section", "Section", "部分"),
                Column::new("field", "Field", "字段"),
                Column::new("value", "Value", "值"),
            ];
            if ctx.format == Format::Markdown {
                return with_stdout(|out| {
                    let mut p = ctx.printer(out);
                    // A page in markdown: a heading, then a table per section.
                    writeln!(p.out, "# {} {}\n", head.0, head.1)?;
                    for s in sections.iter().filter(|s| !s.lines.is_empty()) {
                        let mut table = Table::new(columns[1..].to_vec()).titled(s.title, s.title);
                        table.rows = s
                            .lines
                            .iter()
                            .map(|l| vec![Cell::text(&l.label), Cell::text(&l.value)])
                            .collect();
                        p.table(&table)?;
                        writeln!(p.out)?;
                    }
                    Ok(())
                })
                .map(|()| 0);
            }
            let rows = sections.iter().flat_map(|s| {
                s.lines
                    .iter()
                    .map(|l| [Cell::text(s.key), Cell::text(&l.key), Cell::text(&l.value)])
            });
            with_stdout(|out| ctx.printer(out).rows(&columns, rows))
        }
    }?;
    Ok(0)
}

/// The book's cells for customer `i`, under the book's own headers, in its column order. A
/// CSV book's cells are shown as written; other books' as read.
fn book_lines(
    book: &Book,
    i: usize,
    (vocab, ws): (&TraitVocab, &Workspace),
    words: Words,
) -> Vec<Line> {
    let c = &book.customers[i];
    // A field as read: a date cell by itself (the customer's date may be the log's later
    // one), traits by their names.
    let read = |f: Field, written: &str| match f {
        Field::Traits => {
            let names: Vec<&str> = c
                .traits
                .iter()
                .map(|t| {
                    let (id, zh) = &vocab.traits[usize::from(t)];
                    words.name(id, id, zh)
                })
                .collect();
            names.join(", ")
        }
        f if f.ty() == FieldType::Date => parse_date_cell(written, ws.dates)
            .map_or_else(|_| written.to_string(), crate::model::value::iso),
        f => value_text(c, f, words),
    };
    // The cells as written, each under its header with the field it holds.
    let written: Option<Vec<(String, Option<Field>, String)>> = match &book.form {
        Form::Csv(src) => src.spans.get(i).and_then(|span| {
            let record = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(src.delimiter)
                .from_reader(src.text[span.clone()].as_bytes())
                .records()
                .next()?
                .ok()?;
            Some(
                src.header
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| !h.trim().is_empty())
                    .map(|(k, h)| {
                        let cell = record.get(k).unwrap_or("").trim().to_string();
                        (h.trim().to_string(), src.fields[k], cell)
                    })
                    .collect(),
            )
        }),
        _ => crate::store::toml_book::cells_as_written(book, i).map(|cells| {
            cells
                .into_iter()
                .map(|(k, v)| {
                    let field = crate::store::field_for_header(&k, &ws.columns);
                    (k, field, v)
                })
                .collect()
        }),
    };
    if let Some(cells) = written {
        return cells
            .into_iter()
            .map(|(header, field, cell)| {
                // People see the cell as the sheet writes it; machines the value as read.
                let (key, value) = match field {
                    Some(f) if words.machine => (f.name().into(), read(f, &cell)),
                    Some(f) => (f.name().into(), cell),
                    None => (header.clone(), cell),
                };
                Line {
                    key,
                    label: header,
                    value,
                }
            })
            .collect();
    }
    // A workbook's cells are not kept: its values as read, the dates the log may have
    // moved (last contact, first and last order) left to the log's section.
    let header = |f: Field| super::change::header_of(book, f, &ws.columns);
    let mut lines: Vec<Line> = book
        .columns
        .iter()
        .filter(|f| !matches!(f, Field::LastContact | Field::LastOrder | Field::FirstOrder))
        .map(|&f| Line {
            key: f.name().into(),
            label: header(f).unwrap_or_else(|| f.name().into()),
            value: match f {
                Field::Traits => read(f, ""),
                f => value_text(c, f, words),
            },
        })
        .collect();
    lines.extend(book.extra_columns.iter().enumerate().map(|(k, name)| {
        Line {
            key: name.clone(),
            label: name.clone(),
            value: c
                .extras
                .iter()
                .find(|(j, _)| *j == k)
                .map_or(String::new(), |(_, v)| v.to_string()),
        }
    }));
    lines
}

/// A field's value as read, as a person reads it.
fn value_text(c: &Customer, f: Field, words: Words) -> String {
    if let (Field::Intent, Some(i)) = (f, c.intent) {
        return words.name(i.id(), i.en(), i.zh()).into();
    }
    let cell = match field_value(c, f) {
        Val::Null => Cell::Empty,
        Val::Bool(b) => Cell::Bool(b),
        Val::Int(n) => Cell::Int(n),
        Val::Money(m) => Cell::Money(m),
        Val::Dec(d) => Cell::Dec(d, 2),
        Val::Date(d) => Cell::Date(d),
        Val::MonthDay(md) => Cell::text(format!("{:02}-{:02}", md.month, md.day)),
        Val::Str(s) => Cell::text(s),
        Val::Stage(s) => Cell::text(words.name(s.id(), s.en(), s.zh())),
        Val::Grade(g) => Cell::text(g.id()),
        Val::List(l) => Cell::text(words.name(l.id(), l.en(), l.zh())),
    };
    words.cell(&cell)
}

/// A section's lines as they are gathered: each labelled in the page's language, the empty
/// ones left out.
struct Lines {
    zh: bool,
    lines: Vec<Line>,
}

impl Lines {
    fn push(&mut self, key: &str, (en, zh): (&str, &str), value: String) {
        if !value.is_empty() {
            self.lines.push(Line {
                key: key.into(),
                label: if self.zh { zh } else { en }.into(),
                value,
            });
        }
    }
}

/// What the book records of the customer as a person and a business, each under its own
/// heading; the empty ones left out.
fn profile_lines(c: &Customer, words: Words) -> Vec<Line> {
    let mut lines = Lines {
        zh: words.zh(),
        lines: Vec::new(),
    };
    for p in ProfileField::ALL {
        if p != ProfileField::IntentReason {
            lines.push(p.name(), p.label(), c.profile(p).to_string());
        }
    }
    lines.lines
}

/// What the log adds to the book: the merged dates, the counts and sums, the open
/// complaint and the last note.
fn log_lines(c: &Customer, notes: &super::due::NotesByRow, words: Words) -> Vec<Line> {
    let zh = words.zh();
    let mut lines = Lines {
        zh,
        lines: Vec::new(),
    };
    let mut push = |key: &str, en: &str, zh_label: &str, value: String| {
        lines.push(key, (en, zh_label), value);
    };
    let v = |f: Field| value_text(c, f, words);
    push(
        "last_contact",
        "last contact",
        "最后联系",
        v(Field::LastContact),
    );
    push(
        "last_note",
        "what was said",
        "上次谈到",
        notes.get(&c.last_touch_row).cloned().unwrap_or_default(),
    );
    push(
        "first_order",
        "first order",
        "首次下单",
        v(Field::FirstOrder),
    );
    push("last_order", "last order", "最近下单", v(Field::LastOrder));
    push("order_count", "orders", "订单数", c.order_count.to_string());
    push(
        "order_interval_days",
        "orders every (days)",
        "下单间隔（天）",
        v(Field::OrderIntervalDays),
    );
    push(
        "order_total",
        "order total",
        "订单总额",
        v(Field::OrderTotal),
    );
    push(
        "order_total_12m",
        "last 12 months",
        "近12个月",
        v(Field::OrderTotal12m),
    );
    push(
        "contact_count",
        "touches",
        "联系次数",
        c.contact_count.to_string(),
    );
    push(
        "complaint_count",
        "complaints",
        "投诉次数",
        c.complaint_count.to_string(),
    );
    if let Some(on) = c.open_complaint.date() {
        let mut text = crate::model::value::iso(on);
        if let Some(note) = notes.get(&c.open_complaint) {
            text.push_str(if zh { "：" } else { ": " });
            text.push_str(note);
        }
        push("open_complaint", "open complaint", "未处理投诉", text);
    }
    lines.lines
}

/// The stage (what it is, how to move it on), the type (how to recognise and handle it),
/// the purchase intent and what an open complaint seeks (with their advice), and the
/// grade's cadence.
fn handling_lines(
    c: &Customer,
    rules: &Rules,
    (env, notes): (&Env<'_>, &super::due::NotesByRow),
    words: Words,
) -> Vec<Line> {
    let (zh, lang) = (words.zh(), words.lang);
    let mut lines = Lines {
        zh,
        lines: Vec::new(),
    };
    let mut push = |key: &str, en: &str, zh_label: &str, value: String| {
        lines.push(key, (en, zh_label), value);
    };
    if let Some(stage) = c.stage
        && let Some(rule) = rules.stages.iter().find(|s| s.stage == stage)
    {
        push(
            "stage",
            "stage",
            "阶段",
            words.name(stage.id(), &rule.en, &rule.zh).into(),
        );
        push(
            "stage_definition",
            "what it is",
            "阶段说明",
            rule.definition.get(lang).into(),
        );
        push(
            "stage_advice",
            "how to move it on",
            "如何推进",
            rule.advice.get(lang).into(),
        );
    }
    if let Some(def) = rules.type_def(&c.kind) {
        push(
            "type",
            "type",
            "类型",
            words.name(&def.id, &def.en, &def.zh).into(),
        );
        if let Some(r) = &def.recognise {
            push(
                "type_recognise",
                "how to recognise",
                "如何识别",
                r.get(lang).into(),
            );
        }
        push(
            "type_strategy",
            "how to handle",
            "应对策略",
            def.strategy.get(lang).into(),
        );
        if let Some(a) = &def.advice {
            push("type_advice", "advice", "建议", a.get(lang).into());
        }
    } else if !c.kind.is_empty() {
        push("type", "type", "类型", c.kind.to_string());
    }
    if let Some(intent) = c.intent {
        push(
            "intent",
            "purchase intent",
            "购买意向",
            words.name(intent.id(), intent.en(), intent.zh()).into(),
        );
        let reason = c.profile(ProfileField::IntentReason).to_string();
        match intent {
            Intent::NotNow => push(
                "expected_purchase",
                "expects to buy",
                "预计采购",
                value_text(c, Field::ExpectedPurchase, words),
            ),
            Intent::WillNotBuy => push("intent_reason", "why not", "不购买原因", reason),
            _ => {}
        }
        push(
            "intent_advice",
            "how to follow up",
            "跟进建议",
            rules.handling.intent_advice(intent).get(lang).into(),
        );
        if let Some(span) = rules.cadence.intent_span(intent) {
            let mut every = String::new();
            crate::cmd::due::push_span(&mut every, span, zh);
            push(
                "intent_cadence",
                "intent's follow-up",
                "意向跟进",
                if zh {
                    format!("距上次联系每{every}")
                } else {
                    format!("every {every} after the last contact")
                },
            );
        }
    }
    if let Some(seek) = notes
        .get(&c.open_complaint)
        .and_then(|note| rules.handling.seek_of(note))
    {
        push(
            "complaint_seeks",
            "the complaint seeks",
            "投诉诉求",
            words.name(&seek.id, &seek.en, &seek.zh).into(),
        );
        push(
            "complaint_advice",
            "how to handle it",
            "处理方法",
            seek.advice.get(lang).into(),
        );
    }
    let grade = engine::grade_of(c, rules, env);
    let from_scheme = c.grade.is_none();
    let new = engine::new_customer(c, grade, rules, env);
    let mut cadence = cadence_text(c, grade, rules, lang, new);
    if new.is_some() {
        cadence.push_str(&crate::cmd::due::new_customer_note(rules, zh));
    }
    if from_scheme {
        cadence.push_str(if zh {
            "（等级为空，由 grade 分层规则得出）"
        } else {
            " (the book gives no grade: the grade scheme's)"
        });
    }
    push("grade", "grade", "等级", grade.id().to_string());
    push("cadence", "follow-up cadence", "跟进节奏", cadence);
    lines.lines
}

/// How the grade is followed up, in words, with this customer's figures (a new customer's
/// gaps as they are scaled, where the figures are fixed; the caller says that they are).
fn cadence_text(
    c: &Customer,
    grade: Grade,
    rules: &Rules,
    lang: Lang,
    new: Option<&NewCustomers>,
) -> String {
    let zh = lang == Lang::Zh;
    let span = |s: Span| match (s, zh) {
        (Span::Days(d), false) => format!("every {d} days"),
        (Span::Days(d), true) => format!("每{d}天"),
        (Span::Months(1), false) => "every month".into(),
        (Span::Months(m), false) => format!("every {m} months"),
        (Span::Months(m), true) => format!("每{m}个月"),
    };
    match rules.cadence.grades.get(&grade) {
        None => String::new(),
        Some(GradeCadence::Order(r)) => {
            let (interval, whose) = match c.order_interval_days {
                Some(d) => (
                    d.max(1),
                    if zh {
                        "按其下单间隔"
                    } else {
                        "its own order rhythm"
                    },
                ),
                None => (
                    r.default_interval_days,
                    if zh {
                        "订单不足两笔，取默认"
                    } else {
                        "the default, fewer than two orders"
                    },
                ),
            };
            let lead = r.lead_days(interval);
            let repeat = scaled(r.repeat_days.max(1), new);
            // A new customer's first follow-up counts from the last order (as the engine's).
            let after = (new.is_some() && interval > lead).then(|| scaled(interval - lead, new));
            let first = match (after, zh) {
                (Some(after), false) => format!("{after} days after the last order"),
                (Some(after), true) => format!("上次下单后{after}天"),
                (None, false) => format!("{lead} days before the expected order"),
                (None, true) => format!("预计下单前{lead}天"),
            };
            if zh {
                format!(
                    "按下单节奏：每{interval}天下单（{whose}），{first}跟进，之后每{repeat}天一次，直到下单"
                )
            } else {
                format!(
                    "at the ordering rhythm: an order every {interval} days ({whose}), followed up {first}, then every {repeat} days until it comes"
                )
            }
        }
        Some(GradeCadence::Sequence { sequences, then }) => {
            let seqs: Vec<String> = sequences
                .iter()
                .map(|s| {
                    let gaps: Vec<String> =
                        s.gaps.iter().map(|g| scaled(*g, new).to_string()).collect();
                    let from = match (s.anchor, zh) {
                        (Field::SampleReceived, false) => "after the sample arrives",
                        (Field::SampleReceived, true) => "收样后",
                        (_, false) => "after the sample request",
                        (_, true) => "索样后",
                    };
                    if zh {
                        format!("{from}间隔{}天", gaps.join("-"))
                    } else {
                        format!("{} days apart {from}", gaps.join("-"))
                    }
                })
                .collect();
            let after = rules
                .cadence
                .grades
                .get(then)
                .and_then(|g| match g {
                    GradeCadence::Every(s) => Some(span(*s)),
                    _ => None,
                })
                .unwrap_or_default();
            if zh {
                format!(
                    "样单序列：{}；之后按{}级，{after}",
                    seqs.join("；"),
                    then.id()
                )
            } else {
                format!(
                    "sample sequences: {}; then as grade {}, {after}",
                    seqs.join("; "),
                    then.id()
                )
            }
        }
        Some(GradeCadence::Every(s)) => span(*s),
    }
}

/// The customer's tier in every scheme (each placed among the whole book).
fn tier_lines(
    customers: &[Customer],
    i: usize,
    rules: &Rules,
    env: &Env<'_>,
    words: Words,
) -> Vec<Line> {
    let zh = words.zh();
    rules
        .tiers
        .iter()
        .filter_map(|scheme| {
            let tiers = super::tier::assign_with(scheme, customers, env, |p| (p.customer, p.tier));
            let &(_, k) = tiers.iter().find(|(c, _)| *c == i)?;
            let tier = &scheme.tiers[k];
            let mut value = words.name(&tier.id, &tier.en, &tier.zh).to_string();
            // A scheme with a target (relationship) names the level the customer should be
            // at, when it is another: below it, the customer is under-served; above it,
            // served at more cost than its value asks.
            if let Some(target) = scheme.target_tier(&customers[i], env).filter(|&t| t != k) {
                let target = &scheme.tiers[target];
                let name = words.name(&target.id, &target.en, &target.zh);
                value = match (words.machine, zh) {
                    (true, _) => format!("{value}; target {name}"),
                    (false, true) => format!("{value}（目标：{name}）"),
                    (false, false) => format!("{value} (target: {name})"),
                };
            }
            Some(Line {
                key: scheme.name.clone(),
                label: if zh { &scheme.zh } else { &scheme.en }.clone(),
                value,
            })
        })
        .collect()
}

/// Every follow-up due within a year, earliest first, as `due` words them.
fn next_lines(
    c: &Customer,
    i: usize,
    rules: &Rules,
    ctx: &Context,
    env: &Env<'_>,
    say: &Say<'_>,
) -> Vec<Line> {
    let today = ctx.ws.today;
    let cal = Calendar::new(rules, &ctx.ws.weekend, today);
    let until = today
        .checked_add_days(Days::new(366))
        .unwrap_or(NaiveDate::MAX);
    let Some(entry) = engine::entry(c, i, rules, cal, env, until) else {
        return Vec::new();
    };
    entry
        .reasons()
        .map(|(due, why)| Line {
            key: crate::model::value::iso(due),
            label: crate::model::value::iso(due),
            value: reason(why, entry.grade, c, say),
        })
        .collect()
}

/// The latest `n` of the customer's log rows, newest last, as written (the kind by its name).
fn activity_lines(rows: &[[String; 4]], n: usize, words: Words) -> Vec<Line> {
    rows[rows.len().saturating_sub(n)..]
        .iter()
        .map(|[date, kind, amount, note]| {
            // Dates and kinds as the tool reads them; a cell it cannot read, as written.
            let date = crate::model::value::parse_date(date)
                .map_or(date.clone(), crate::model::value::iso);
            let kind = ActivityKind::parse(kind)
                .map_or(kind.clone(), |k| words.name(k.id(), k.en(), k.zh()).into());
            let text = [kind.as_str(), amount, note]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("  ");
            Line {
                key: date.clone(),
                label: date,
                value: text,
            }
        })
        .collect()
}

/// The page as one JSON object: a key per section; the follow-ups and activity as arrays.
fn json_page(
    head: &(String, String, Option<String>),
    sections: &[Section],
    (log, shown): (&[[String; 4]], usize),
) -> Result<String> {
    let mut page = Map::new();
    page.insert("id".into(), json!(head.0));
    page.insert("name".into(), json!(head.1));
    for s in sections {
        let value = match s.key {
            "next" => Value::Array(
                s.lines
                    .iter()
                    .map(|l| json!({"due": l.key, "reason": l.value}))
                    .collect(),
            ),
            "activity" => Value::Array(
                log[log.len().saturating_sub(shown)..]
                    .iter()
                    .map(|[date, kind, amount, note]| {
                        let date = crate::model::value::parse_date(date)
                            .map_or(date.clone(), crate::model::value::iso);
                        let kind = ActivityKind::parse(kind).map_or(kind.as_str(), |k| k.id());
                        json!({"date": date, "kind": kind, "amount": amount, "note": note})
                    })
                    .collect(),
            ),
            _ => Value::Object(
                s.lines
                    .iter()
                    .map(|l| (l.key.clone(), json!(l.value)))
                    .collect(),
            ),
        };
        page.insert(s.key.into(), value);
    }
    Ok(serde_json::to_string_pretty(&Value::Object(page)).unwrap_or_default())
}

/// The page for a terminal: a heading, then each section's lines with their labels aligned.
fn text_page(
    out: &mut dyn Write,
    head: &(String, String, Option<String>),
    sections: &[Section],
    (log_rows, fit): (usize, Option<u16>),
    lang: Lang,
) -> std::io::Result<()> {
    use crate::visible::visible;
    use unicode_width::UnicodeWidthStr;
    // What the book holds is shown, never obeyed: an escape sequence or a line break in a
    // cell (or in a header, or the file's name) is shown by its stand-in.
    writeln!(out, "{}  {}", visible(&head.0), visible(&head.1))?;
    if let Some(place) = &head.2 {
        writeln!(out, "{}", visible(place))?;
    }
    for s in sections {
        writeln!(out)?;
        let shown = s.lines.len();
        if s.key == "activity" && log_rows > shown {
            let more = if lang == Lang::Zh {
                format!("（共{log_rows}条，列出最后{shown}条）")
            } else {
                format!(" (the last {shown} of {log_rows})")
            };
            writeln!(out, "{}{more}", s.title)?;
        } else {
            writeln!(out, "{}", s.title)?;
        }
        if s.lines.is_empty() {
            writeln!(
                out,
                "  {}",
                if lang == Lang::Zh {
                    "（无）"
                } else {
                    "(none)"
                }
            )?;
            continue;
        }
        let labels: Vec<_> = s.lines.iter().map(|l| visible(&l.label)).collect();
        let width = labels.iter().map(|l| l.width()).max().unwrap_or(0);
        for (l, label) in s.lines.iter().zip(&labels) {
            if l.value.is_empty() {
                writeln!(out, "  {label}")?;
            } else {
                // A value too long for the terminal goes on over lines under itself.
                let indent = 2 + width + 2;
                let room = fit.map_or(usize::MAX, |w| {
                    usize::from(w).saturating_sub(indent).max(20)
                });
                let pad = width - label.width();
                for (k, line) in wrap(&visible(&l.value), room).iter().enumerate() {
                    if k == 0 {
                        writeln!(out, "  {label}{}  {line}", " ".repeat(pad))?;
                    } else {
                        writeln!(out, "{}{line}", " ".repeat(indent))?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// `text` in lines of at most `width` display columns: broken at the last space that fits
/// (English), else anywhere (Chinese has no spaces).
fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return vec![text.to_string()];
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            match line.rfind(' ').filter(|&at| at > 0) {
                Some(at) => {
                    let rest = line[at + 1..].to_string();
                    line.truncate(at);
                    lines.push(std::mem::take(&mut line));
                    used = rest.width();
                    line = rest;
                }
                None => {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
            }
        }
        if !(line.is_empty() && c == ' ') {
            line.push(c);
            used += w;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn long_values_wrap_at_spaces_or_anywhere_in_chinese() {
        assert_eq!(wrap("short", 10), ["short"]);
        assert_eq!(
            wrap("Talk candidly with no pressure", 12),
            ["Talk", "candidly", "with no", "pressure"]
        );
        // Two columns a character: five characters in ten.
        assert_eq!(
            wrap("坦诚直接地沟通，不施压", 10),
            ["坦诚直接地", "沟通，不施", "压"]
        );
    }
}
