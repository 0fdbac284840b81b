//! `clientele report`: the whole book at a glance — the stage funnel, grades, types and ABC
//! classes, the 80/20 check, follow-up workload per owner, key and lapsing customers, and
//! recent stage and grade changes; as tables, markdown, JSON, or one HTML page.

mod html;

use chrono::{Days, NaiveDate};
use rayon::prelude::*;

use super::context::{Context, with_stdout};
use super::due::engine::{self, Calendar};
use super::tier::{assign_with, ranks_as};
use crate::error::{Error, Result};
use crate::model::ChangeRow;
use crate::model::{Customer, Enumeration, Grade, Lang, Stage};
use crate::render::{Cell, Column, Format, Table};
use crate::rules::Rules;
use crate::rules::expr::Env;

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Also list stage and grade changes logged on or after this date
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// With --format csv or tsv: the one table to print (stages, grades, types, abc, owners, key_customers, lapsing, changes)
    #[arg(long, value_name = "NAME")]
    pub section: Option<String>,
    /// Write the report as one self-contained HTML page with SVG charts
    #[arg(long, value_name = "FILE")]
    pub html: Option<std::path::PathBuf>,
}

/// A funnel step: customers at the stage, those who reached it or went further, and the
/// conversion from the step before (percent).
#[derive(Clone, Debug, PartialEq)]
pub struct StageRow {
    pub stage: Stage,
    pub count: usize,
    pub reached: usize,
    pub conversion: Option<f64>,
}

/// Customers and revenue of one group (a grade, a type, an ABC class).
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRow {
    pub key: String,
    pub en: String,
    pub zh: String,
    pub count: usize,
    /// Percent of customers.
    pub share: f64,
    /// Integer cents.
    pub revenue: i64,
    /// Percent of revenue.
    pub revenue_share: f64,
}

/// One owner's follow-up workload.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnerRow {
    pub owner: String,
    pub customers: usize,
    pub due_today: usize,
    pub overdue: usize,
    pub late: usize,
    pub next_7_days: usize,
}

/// A customer listed by name in the report.
#[derive(Clone, Debug, PartialEq)]
pub struct Named {
    pub id: String,
    pub name: String,
    pub owner: String,
    /// The key score, or the expected order date of a lapsing customer.
    pub detail: Cell<'static>,
}

/// Everything the report shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub customers: usize,
    pub stages: Vec<StageRow>,
    pub grades: Vec<GroupRow>,
    pub types: Vec<GroupRow>,
    pub abc: Vec<GroupRow>,
    /// Percent of revenue held by the first floor(N/5) customers by revenue (ties by id).
    pub top20_share: f64,
    /// (share of customers, cumulative share of revenue), percent, best customers first.
    pub pareto: Vec<(f64, f64)>,
    pub owners: Vec<OwnerRow>,
    pub key_customers: Vec<Named>,
    pub lapsing: Vec<Named>,
    pub changes: Vec<ChangeRow>,
}

fn percent(part: f64, whole: f64) -> f64 {
    if whole == 0.0 {
        0.0
    } else {
        part * 100.0 / whole
    }
}

/// The revenue the report counts: the book's revenue, else the log's order total.
fn revenue(c: &Customer) -> i64 {
    c.revenue.unwrap_or(c.order_total).max(0)
}

/// Customers and revenue per group of one table, counted over a part of the book: the known
/// keys by position, then any other key met, in the order first met.
struct Counts<'a> {
    known: Vec<(usize, i64)>,
    others: Vec<(&'a str, (usize, i64))>,
}

impl<'a> Counts<'a> {
    fn new(known: usize) -> Self {
        Counts {
            known: vec![(0, 0); known],
            others: Vec::new(),
        }
    }

    /// The counts of the known key at a position, or of another key.
    fn slot(&mut self, key: std::result::Result<usize, &'a str>) -> &mut (usize, i64) {
        match key {
            Ok(k) => &mut self.known[k],
            Err(name) => match self.others.iter().position(|(o, _)| *o == name) {
                Some(p) => &mut self.others[p].1,
                None => {
                    self.others.push((name, (0, 0)));
                    &mut self.others.last_mut().expect("just pushed").1
                }
            },
        }
    }

    /// Counts a customer of `revenue` under a key (see [`Counts::slot`]).
    fn add(&mut self, key: std::result::Result<usize, &'a str>, revenue: i64) {
        let slot = self.slot(key);
        slot.0 += 1;
        slot.1 += revenue;
    }

    /// Adds the counts of the part of the book that follows this one.
    fn merge(&mut self, later: Counts<'a>) {
        let known = later.known.into_iter().enumerate().map(|(k, c)| (Ok(k), c));
        let others = later.others.into_iter().map(|(name, c)| (Err(name), c));
        for (key, (count, revenue)) in known.chain(others) {
            let slot = self.slot(key);
            slot.0 += count;
            slot.1 += revenue;
        }
    }

    /// The table: `keys` first, in order, then the other keys met, with shares of the book's
    /// `n` customers and of `total`, its revenue.
    fn rows(self, keys: &[(String, String, String)], n: usize, total: i64) -> Vec<GroupRow> {
        let row = |key: &str, en: &str, zh: &str, (count, revenue): (usize, i64)| GroupRow {
            key: key.to_string(),
            en: en.to_string(),
            zh: zh.to_string(),
            count,
            share: percent(count as f64, n as f64),
            revenue,
            revenue_share: percent(revenue as f64, total as f64),
        };
        keys.iter()
            .zip(self.known)
            .map(|((k, en, zh), counts)| row(k, en, zh, counts))
            .chain(
                self.others
                    .into_iter()
                    .map(|(k, counts)| row(k, k, k, counts)),
            )
            .collect()
    }
}

impl OwnerRow {
    fn add(&mut self, other: &OwnerRow) {
        self.customers += other.customers;
        self.due_today += other.due_today;
        self.overdue += other.overdue;
        self.late += other.late;
        self.next_7_days += other.next_7_days;
    }
}

/// What the report counts, over a part of the book.
struct Tally<'a> {
    stages: [usize; Stage::ALL.len()],
    grades: Counts<'a>,
    types: Counts<'a>,
    abc: Counts<'a>,
    /// Follow-up workload by owner (the rows' `owner` left empty until the end).
    owners: rustc_hash::FxHashMap<&'a str, OwnerRow>,
    /// Lapsing customers and the dates of their expected orders, in book order.
    lapsing: Vec<(usize, NaiveDate)>,
}

impl<'a> Tally<'a> {
    /// Adds the tally of the part of the book that follows this one.
    fn merge(&mut self, later: Tally<'a>) {
        for (n, m) in self.stages.iter_mut().zip(later.stages) {
            *n += m;
        }
        self.grades.merge(later.grades);
        self.types.merge(later.types);
        self.abc.merge(later.abc);
        for (owner, row) in &later.owners {
            self.owners.entry(owner).or_default().add(row);
        }
        self.lapsing.extend(later.lapsing);
    }
}

/// Builds the report: pure, from the loaded book, rules and today.
pub fn build(
    customers: &[Customer],
    rules: &Rules,
    cal: Calendar<'_>,
    env: &Env<'_>,
    changes: Vec<ChangeRow>,
) -> Result<Report> {
    let today = env.today;
    let n = customers.len();
    let started = std::time::Instant::now();
    let rev: Vec<i64> = customers.par_iter().map(revenue).collect();
    let total: i64 = rev.iter().sum();

    // Each customer's ABC class, and the ranking by revenue (best first, ties by id) for the
    // 80/20 check and the Pareto curve: the ABC ranking when it ranks the book by that revenue
    // (as shipped), else the book sorted again.
    let abc_scheme = rules.scheme("abc")?;
    let placed = assign_with(abc_scheme, customers, env, |p| {
        let by_revenue = p.rank.is_some() && ranks_as(p.metric, rev[p.customer]);
        (p.customer, p.tier as u32, by_revenue)
    });
    let mut class_of = vec![0u32; n];
    for &(i, tier, _) in &placed {
        class_of[i] = tier;
    }
    let order: Vec<usize> = if placed.iter().all(|p| p.2) {
        placed.iter().map(|p| p.0).collect()
    } else {
        crate::model::sort_by_key_then_id(
            customers,
            rev.iter()
                .enumerate()
                .map(|(i, r)| (std::cmp::Reverse(*r), i)),
        )
    };
    drop(placed);
    let top: i64 = order.iter().take(n / 5).map(|&i| rev[i]).sum();
    let top20_share = percent(top as f64, total as f64);
    let step = (n / 200).max(1);
    let mut pareto = vec![(0.0, 0.0)];
    let mut running = 0i64;
    for (k, &i) in order.iter().enumerate() {
        running += rev[i];
        if (k + 1) % step == 0 || k + 1 == n {
            pareto.push((
                percent((k + 1) as f64, n as f64),
                percent(running as f64, total as f64),
            ));
        }
    }
    crate::timing::phase("report: abc, pareto", started);

    // Stages, grades, types, ABC classes, workload per owner (from the follow-up engine) and
    // lapsing customers: one pass over the book, a part per core, the parts' tallies added.
    let started = std::time::Instant::now();
    let set = &rules.type_sets[0];
    let type_index: rustc_hash::FxHashMap<&str, usize> = set
        .types
        .iter()
        .enumerate()
        .map(|(k, t)| (t.id.as_str(), k))
        .chain([("", set.types.len())])
        .collect();
    let week = today + Days::new(7);
    let tallies = crate::parallel::map_parts(n, |part| {
        let mut t = Tally {
            stages: [0; Stage::ALL.len()],
            grades: Counts::new(Grade::ALL.len()),
            types: Counts::new(set.types.len() + 1),
            abc: Counts::new(abc_scheme.tiers.len()),
            owners: Default::default(),
            lapsing: Vec::new(),
        };
        for i in part {
            let c = &customers[i];
            let revenue = rev[i];
            if let Some(s) = c.stage {
                t.stages[s as usize] += 1;
            }
            let grade = engine::grade_of(c, rules, env);
            t.grades.add(Ok(grade as usize), revenue);
            let kind: &str = &c.kind;
            t.types
                .add(type_index.get(kind).copied().ok_or(kind), revenue);
            t.abc.add(Ok(class_of[i] as usize), revenue);
            let row = t.owners.entry(&c.owner).or_default();
            row.customers += 1;
            let Some(e) = engine::graded_entry(c, i, grade, rules, cal, today, NaiveDate::MAX)
            else {
                continue;
            };
            if let Some(expected) = engine::lapsing(c, grade, rules, today) {
                t.lapsing.push((i, expected));
            }
            match e.due {
                d if d < today => row.overdue += 1,
                d if d == today => row.due_today += 1,
                d if d <= week => row.next_7_days += 1,
                _ => {}
            }
            if e.late {
                row.late += 1;
            }
        }
        t
    });
    let mut tallies = tallies.into_iter();
    let mut tally = tallies.next().expect("one part at least");
    for later in tallies {
        tally.merge(later);
    }

    let mut stages: Vec<StageRow> = Stage::ALL
        .iter()
        .map(|&s| StageRow {
            stage: s,
            count: tally.stages[s as usize],
            reached: 0,
            conversion: None,
        })
        .collect();
    for k in 0..stages.len() {
        stages[k].reached = stages[k..].iter().map(|r| r.count).sum();
        if k > 0 {
            let before = stages[k - 1].reached;
            stages[k].conversion =
                (before > 0).then(|| percent(stages[k].reached as f64, before as f64));
        }
    }
    let grade_keys: Vec<(String, String, String)> = Grade::ALL
        .iter()
        .map(|g| (g.id().to_string(), g.en().to_string(), g.zh().to_string()))
        .collect();
    let grades = tally.grades.rows(&grade_keys, n, total);
    let mut type_keys: Vec<(String, String, String)> = set
        .types
        .iter()
        .map(|t| (t.id.clone(), t.en.clone(), t.zh.clone()))
        .collect();
    type_keys.push((String::new(), "(unclassified)".into(), "（未分类）".into()));
    let mut types = tally.types.rows(&type_keys, n, total);
    types.retain(|t| t.count > 0 || !t.key.is_empty());
    let abc_keys: Vec<(String, String, String)> = abc_scheme
        .tiers
        .iter()
        .map(|t| (t.id.clone(), t.en.clone(), t.zh.clone()))
        .collect();
    let abc = tally.abc.rows(&abc_keys, n, total);
    let mut owners: Vec<OwnerRow> = tally
        .owners
        .into_iter()
        .map(|(owner, row)| OwnerRow {
            owner: owner.to_string(),
            ..row
        })
        .collect();
    owners.sort_by(|a, b| a.owner.cmp(&b.owner));
    let named = |i: usize, detail: Cell<'static>| {
        let c = &customers[i];
        Named {
            id: c.id.as_str().into(),
            name: c.name.as_str().into(),
            owner: c.owner.as_str().into(),
            detail,
        }
    };
    let lapsing = tally
        .lapsing
        .into_iter()
        .map(|(i, expected)| named(i, Cell::Date(expected)))
        .collect();
    crate::timing::phase("report: counts, owners, lapsing", started);

    let started = std::time::Instant::now();
    let key_customers = match rules.scheme("key") {
        Ok(scheme) => crate::cmd::tier::first_tier(scheme, customers, env)
            .into_iter()
            .map(|(i, metric)| named(i, metric.cell()))
            .collect(),
        Err(_) => Vec::new(),
    };
    crate::timing::phase("report: key customers", started);

    Ok(Report {
        customers: n,
        stages,
        grades,
        types,
        abc,
        top20_share,
        pareto,
        owners,
        key_customers,
        lapsing,
        changes,
    })
}

/// The report's tables, in order, with their section names.
pub fn tables(r: &Report, lang: Lang, machine: bool) -> Vec<(&'static str, Table<'_>)> {
    let label = |en: &str, zh: &str, key: &str| {
        if machine {
            key.to_string()
        } else if lang == Lang::Zh {
            zh.to_string()
        } else {
            en.to_string()
        }
    };
    let mut stages = Table::new(vec![
        Column::new("stage", "Stage", "阶段"),
        Column::new("count", "Customers", "客户数"),
        Column::new("reached", "Reached", "到达"),
        Column::new("conversion", "Conversion %", "转化率%"),
    ])
    .titled("Stage funnel", "阶段漏斗");
    for s in &r.stages {
        stages.rows.push(vec![
            Cell::text(label(s.stage.en(), s.stage.zh(), s.stage.id())),
            Cell::Int(s.count as i64),
            Cell::Int(s.reached as i64),
            s.conversion.map_or(Cell::Empty, |c| Cell::Dec(c, 2)),
        ]);
    }
    let group_table = |rows: &[GroupRow], key: &str, en: &str, zh: &str, title: (&str, &str)| {
        let mut t = Table::new(vec![
            Column::new(key, en, zh),
            Column::new("count", "Customers", "客户数"),
            Column::new("share", "Share %", "占比%"),
            Column::new("revenue", "Revenue", "销售额"),
            Column::new("revenue_share", "Revenue %", "销售额占比%"),
        ])
        .titled(title.0, title.1);
        for g in rows {
            t.rows.push(vec![
                Cell::text(label(&g.en, &g.zh, &g.key)),
                Cell::Int(g.count as i64),
                Cell::Dec(g.share, 2),
                Cell::Money(g.revenue),
                Cell::Dec(g.revenue_share, 2),
            ]);
        }
        t
    };
    let grades = group_table(&r.grades, "grade", "Grade", "等级", ("Grades", "等级"));
    let types = group_table(&r.types, "type", "Type", "类型", ("Types", "类型"));
    let mut abc = group_table(&r.abc, "class", "Class", "类别", ("ABC classes", "ABC分类"));
    if !machine {
        let title = match lang {
            Lang::En => format!(
                "ABC classes (top 20% hold {:.2}% of revenue)",
                r.top20_share
            ),
            Lang::Zh => format!("ABC分类（前20%客户占销售额{:.2}%）", r.top20_share),
        };
        abc.title = Some((title.clone(), title));
    }
    let mut owners = Table::new(vec![
        Column::new("owner", "Owner", "负责人"),
        Column::new("customers", "Customers", "客户数"),
        Column::new("due_today", "Due today", "今日应跟进"),
        Column::new("overdue", "Overdue", "逾期"),
        Column::new("late", "Late", "严重逾期"),
        Column::new("next_7_days", "Next 7 days", "未来7天"),
    ])
    .titled("Follow-up workload", "跟进工作量");
    for o in &r.owners {
        owners.rows.push(vec![
            Cell::text(&o.owner),
            Cell::Int(o.customers as i64),
            Cell::Int(o.due_today as i64),
            Cell::Int(o.overdue as i64),
            Cell::Int(o.late as i64),
            Cell::Int(o.next_7_days as i64),
        ]);
    }
    let named = |rows: &[Named], detail: Column, title: (&str, &str)| {
        let mut t = Table::new(vec![
            Column::new("id", "ID", "编号"),
            Column::new("name", "Name", "客户名称"),
            Column::new("owner", "Owner", "负责人"),
            detail,
        ])
        .titled(title.0, title.1);
        for k in rows {
            t.rows.push(vec![
                Cell::text(k.id.clone()),
                Cell::text(k.name.clone()),
                Cell::text(k.owner.clone()),
                k.detail.clone(),
            ]);
        }
        t
    };
    let key = named(
        &r.key_customers,
        Column::new("score", "Score", "得分"),
        ("Key customers", "关键客户"),
    );
    let lapsing = named(
        &r.lapsing,
        Column::new("expected_order", "Expected order", "预计下单"),
        ("Lapsing order customers", "流失预警订单客户"),
    );
    let mut changes = Table::new(vec![
        Column::new("date", "Date", "日期"),
        Column::new("id", "ID", "编号"),
        Column::new("kind", "Change", "变更"),
        Column::new("note", "Note", "备注"),
    ])
    .titled("Stage and grade changes", "阶段与等级变更");
    for c in &r.changes {
        changes.rows.push(vec![
            Cell::Date(c.date),
            Cell::text(&c.customer_id),
            Cell::text(label(c.kind.en(), c.kind.zh(), c.kind.id())),
            Cell::text(&c.note),
        ]);
    }
    vec![
        ("stages", stages),
        ("grades", grades),
        ("types", types),
        ("abc", abc),
        ("owners", owners),
        ("key_customers", key),
        ("lapsing", lapsing),
        ("changes", changes),
    ]
}

/// The report as one JSON object.
pub fn json(r: &Report) -> String {
    let list = |t: &Table| {
        format!(
            "[{}]",
            t.rows
                .iter()
                .map(|row| crate::render::json_object(&t.columns, row))
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    let tables = tables(r, Lang::En, true);
    let mut parts: Vec<String> = Vec::new();
    for (name, t) in &tables {
        if *name == "stages" {
            let rows: Vec<String> = r
                .stages
                .iter()
                .map(|s| {
                    format!(
                        "{{\"stage\":\"{}\",\"count\":{},\"conversion\":{}}}",
                        s.stage.id(),
                        s.count,
                        s.conversion
                            .map_or("null".to_string(), |c| format!("{c:.2}"))
                    )
                })
                .collect();
            parts.push(format!("\"stages\":[{}]", rows.join(",")));
        } else {
            parts.push(format!("\"{name}\":{}", list(t)));
        }
        if *name == "abc" {
            parts.push(format!("\"top20_share\":{:.2}", r.top20_share));
        }
    }
    format!("{{{}}}\n", parts.join(","))
}

pub fn run(args: &ReportArgs, ctx: &Context) -> Result<u8> {
    let since = args
        .since
        .as_deref()
        .map(|s| {
            crate::model::value::parse_date(s)
                .map_err(|e| Error::Usage(format!("cannot read --since \"{s}\": {e}")))
        })
        .transpose()?;
    if matches!(ctx.format, Format::Csv | Format::Tsv)
        && args.section.is_none()
        && args.html.is_none()
    {
        return Err(Error::Usage("--format csv/tsv prints one table: add --section stages|grades|types|abc|owners|key_customers|lapsing|changes".into()));
    }
    // The changes come with the log's fold, in the same pass.
    let purpose = since.map_or(
        crate::cmd::Purpose::Read,
        crate::cmd::Purpose::ReadWithChanges,
    );
    let loaded = ctx.load(purpose)?;
    let changes = loaded.log.changes.clone();
    let (rules, book) = (&loaded.rules, &loaded.book);
    let env = Env {
        today: ctx.ws.today,
        extra_columns: &book.extra_columns,
    };
    let cal = Calendar {
        holidays: &rules.holidays,
        weekend: &ctx.ws.weekend,
    };
    let report = build(&book.customers, rules, cal, &env, changes)?;
    let started = std::time::Instant::now();

    if let Some(path) = &args.html {
        let page = html::page(&report, ctx.lang, ctx.ws.today);
        crate::store::write::replace(path, page.as_bytes())?;
        return Ok(0);
    }
    let machine = ctx.format.is_machine();
    let mut tables = tables(&report, ctx.lang, machine);
    if let Some(section) = &args.section {
        let Some(pos) = tables.iter().position(|(n, _)| n == section) else {
            let names: Vec<&str> = tables.iter().map(|(n, _)| *n).collect();
            return Err(Error::Usage(format!(
                "unknown section \"{section}\" (known: {})",
                names.join(", ")
            )));
        };
        tables = vec![tables.swap_remove(pos)];
    }
    if ctx.format == Format::Json && args.section.is_none() {
        let text = json(&report);
        with_stdout(|out| out.write_all(text.as_bytes()))?;
        crate::timing::phase("print", started);
        return Ok(0);
    }
    if since.is_none() {
        tables.retain(|(n, _)| *n != "changes" || args.section.is_some());
    }
    with_stdout(|out| {
        let mut p = ctx.printer(out);
        for (k, (_, t)) in tables.iter().enumerate() {
            if k > 0 && !machine {
                writeln!(p.out)?;
            }
            p.table(t)?;
        }
        Ok(())
    })?;
    crate::timing::phase("print", started);
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table counted in two parts and added up: the known keys in their order, then the
    /// others in the order the book first meets them, whichever part met them.
    #[test]
    fn counts_in_parts_add_up_in_the_books_order() {
        let keys = [("a".to_string(), "A".to_string(), "甲".to_string())];
        let (mut first, mut second) = (Counts::new(1), Counts::new(1));
        first.add(Err("x"), 5);
        first.add(Ok(0), 7);
        second.add(Err("y"), 1);
        second.add(Err("x"), 2);
        second.add(Ok(0), 3);
        second.add(Err("z"), 4);
        first.merge(second);
        let rows: Vec<(String, String, usize, i64)> = first
            .rows(&keys, 8, 40)
            .into_iter()
            .map(|r| (r.key, r.zh, r.count, r.revenue))
            .collect();
        let want = [
            ("a", "甲", 2, 10),
            ("x", "x", 2, 7),
            ("y", "y", 1, 1),
            ("z", "z", 1, 4),
        ];
        assert_eq!(
            rows,
            want.map(|(k, zh, n, r)| (k.to_string(), zh.to_string(), n, r))
        );
    }

    /// The Pareto curve and the 80/20 share follow revenue whatever the ABC scheme ranks by:
    /// the ABC ranking is reused only when it ranks by the same revenue.
    #[test]
    fn the_pareto_curve_follows_revenue_whichever_ranking_abc_uses() {
        let revenues = [5, 50, 0, 20, 10, 40, 30, 0, 15, 25];
        let customers: Vec<Customer> = revenues
            .iter()
            .enumerate()
            .map(|(i, &r)| Customer {
                id: format!("K{i}").into(),
                revenue: Some(r * 100),
                points: Some(100 - i as i64),
                ..Customer::default()
            })
            .collect();
        // Best first, ties (the two zeros) by id: 50 40 30 25 20 15 10 5 0 0 of 195.
        let mut want = vec![(0.0, 0.0)];
        let mut running = 0.0;
        for (k, r) in [50.0, 40.0, 30.0, 25.0, 20.0, 15.0, 10.0, 5.0, 0.0, 0.0]
            .iter()
            .enumerate()
        {
            running += r;
            want.push(((k + 1) as f64 * 10.0, running * 100.0 / 195.0));
        }
        let shipped = Rules::load(None, None).unwrap();
        let mut by_points = Rules::load(None, None).unwrap();
        let stars = shipped.scheme("stars").unwrap().kind.clone();
        let crate::rules::tiers::SchemeKind::Thresholds { metric } = stars else {
            panic!("stars ranks points against thresholds")
        };
        let abc = by_points
            .tiers
            .iter_mut()
            .find(|s| s.name == "abc")
            .unwrap();
        abc.kind = crate::rules::tiers::SchemeKind::Pareto { metric };
        let ctx = Env {
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            extra_columns: &[],
        };
        for (rules, reused) in [(&shipped, true), (&by_points, false)] {
            let scheme = rules.scheme("abc").unwrap();
            // Whether `build` takes the ABC ranking as it is (the shipped scheme ranks by
            // revenue) or sorts the book again (this one ranks by points).
            let same = crate::cmd::tier::assign(scheme, &customers, &ctx)
                .iter()
                .all(|a| a.rank.is_some() && ranks_as(&a.metric, revenue(&customers[a.customer])));
            assert_eq!(same, reused);
            let cal = Calendar {
                holidays: &rules.holidays,
                weekend: &[],
            };
            let report = build(&customers, rules, cal, &ctx, Vec::new()).unwrap();
            assert_eq!(report.pareto, want, "reused: {reused}");
            assert_eq!(report.top20_share, 90.0 * 100.0 / 195.0);
        }
    }
}
