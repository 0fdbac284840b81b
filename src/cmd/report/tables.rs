//! The report's figures as tables (for people and for machines) and as one JSON object.

use super::figures::{GroupRow, Named, Report};
use crate::model::{Enumeration, Lang};
use crate::render::{Cell, Column, Table};

/// The report's tables, in order, with their section names.
pub fn tables(r: &Report, lang: Lang, machine: bool) -> Vec<(&'static str, Table<'_>)> {
    let names = Names { lang, machine };
    let mut abc = group_table(
        names,
        &r.abc,
        ("class", "Class", "类别"),
        ("ABC classes", "ABC分类"),
    );
    if !machine {
        let title = match lang {
            Lang::En => format!(
                "ABC classes (top 20% hold {:.2}% of revenue)",
                r.top20_share
            ),
            Lang::Zh => format!("ABC分类（前20%客户占销售额{:.2}%）", r.top20_share),
        };
        abc.title = Some((title.clone(), title));
        if let Some(profit) = r.top20_profit_share {
            let title = match lang {
                Lang::En => format!(
                    "ABC classes (top 20% hold {:.2}% of revenue; by profit, {profit:.2}% of profit)",
                    r.top20_share
                ),
                Lang::Zh => format!(
                    "ABC分类（前20%客户占销售额{:.2}%；按利润，前20%客户占利润{profit:.2}%）",
                    r.top20_share
                ),
            };
            abc.title = Some((title.clone(), title));
        }
    }
    let key = named_table(
        &r.key_customers,
        Column::new("score", "Score", "得分"),
        ("Key customers", "关键客户"),
    );
    let lapsing = named_table(
        &r.lapsing,
        Column::new("expected_order", "Expected order", "预计下单"),
        ("Lapsing order customers", "流失预警订单客户"),
    );
    vec![
        ("stages", stage_table(names, r)),
        (
            "grades",
            group_table(
                names,
                &r.grades,
                ("grade", "Grade", "等级"),
                ("Grades", "等级"),
            ),
        ),
        (
            "types",
            group_table(names, &r.types, ("type", "Type", "类型"), ("Types", "类型")),
        ),
        ("abc", abc),
        ("owners", owner_table(r)),
        ("key_customers", key),
        ("lapsing", lapsing),
        ("complaints", complaint_table(r)),
        ("relationship", relationship_table(names, r)),
        ("lost_reasons", lost_reason_table(r)),
        ("changes", change_table(names, r)),
    ]
}

/// Complaints per owner: logged, still open (no touch since), and resolved; the owners
/// whose customers never complained left out.
fn complaint_table(r: &Report) -> Table<'_> {
    let mut t = Table::new(vec![
        Column::new("owner", "Owner", "负责人"),
        Column::new("complaints", "Complaints", "投诉数"),
        Column::new("open", "Open", "未处理"),
        Column::new("resolved", "Resolved", "已处理"),
    ])
    .titled("Complaints per owner", "各负责人投诉处理");
    for o in r.owners.iter().filter(|o| o.complaints > 0) {
        t.rows.push(vec![
            Cell::text(&o.owner),
            Cell::Int(o.complaints as i64),
            Cell::Int(o.open_complaints as i64),
            Cell::Int(o.complaints.saturating_sub(o.open_complaints) as i64),
        ]);
    }
    t
}

/// The customers whose relationship level is below the one their value calls for.
fn relationship_table(names: Names, r: &Report) -> Table<'_> {
    let mut t = Table::new(vec![
        Column::new("id", "ID", "编号"),
        Column::new("name", "Name", "客户名称"),
        Column::new("owner", "Owner", "负责人"),
        Column::new("level", "Level", "当前层级"),
        Column::new("target", "Target", "目标层级"),
    ])
    .titled("Relationship below its target", "关系层级低于目标的客户");
    if let Some((tiers, below)) = &r.relationship {
        let tier = |k: usize| {
            let tier = &tiers[k];
            Cell::text(names.of(&tier.en, &tier.zh, &tier.id))
        };
        for b in below {
            t.rows.push(vec![
                Cell::text(&b.id),
                Cell::text(&b.name),
                Cell::text(&b.owner),
                tier(b.level),
                tier(b.target),
            ]);
        }
    }
    t
}

/// Why the customers who will not buy said so, for product development.
fn lost_reason_table(r: &Report) -> Table<'_> {
    let mut t = Table::new(vec![
        Column::new("reason", "Reason", "原因"),
        Column::new("customers", "Customers", "客户数"),
        Column::new("ids", "IDs", "客户编号"),
    ])
    .titled("Why customers will not buy", "客户不购买的原因");
    for l in &r.lost_reasons {
        t.rows.push(vec![
            if l.reason.is_empty() {
                Cell::Empty
            } else {
                Cell::text(&l.reason)
            },
            Cell::Int(l.ids.len() as i64),
            Cell::text(l.ids.join(", ")),
        ]);
    }
    t
}

/// How a table names a value: its id for machines, else its name in the language.
#[derive(Clone, Copy)]
struct Names {
    lang: Lang,
    machine: bool,
}

impl Names {
    fn of(self, en: &str, zh: &str, key: &str) -> String {
        if self.machine {
            key.to_string()
        } else if self.lang == Lang::Zh {
            zh.to_string()
        } else {
            en.to_string()
        }
    }
}

fn stage_table(names: Names, r: &Report) -> Table<'_> {
    let mut t = Table::new(vec![
        Column::new("stage", "Stage", "阶段"),
        Column::new("count", "Customers", "客户数"),
        Column::new("reached", "Reached", "到达"),
        Column::new("conversion", "Conversion %", "转化率%"),
    ])
    .titled("Stage funnel", "阶段漏斗");
    for s in &r.stages {
        t.rows.push(vec![
            Cell::text(names.of(s.stage.en(), s.stage.zh(), s.stage.id())),
            Cell::Int(s.count as i64),
            Cell::Int(s.reached as i64),
            s.conversion.map_or(Cell::Empty, |c| Cell::Dec(c, 2)),
        ]);
    }
    t
}

/// Customers and revenue per group; `column` is the group's (key, English, Chinese) header.
fn group_table<'r>(
    names: Names,
    rows: &'r [GroupRow],
    (key, en, zh): (&str, &str, &str),
    title: (&str, &str),
) -> Table<'r> {
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
            Cell::text(names.of(&g.en, &g.zh, &g.key)),
            Cell::Int(g.count as i64),
            Cell::Dec(g.share, 2),
            Cell::Money(g.revenue),
            Cell::Dec(g.revenue_share, 2),
        ]);
    }
    t
}

fn owner_table(r: &Report) -> Table<'_> {
    let mut t = Table::new(vec![
        Column::new("owner", "Owner", "负责人"),
        Column::new("customers", "Customers", "客户数"),
        Column::new("due_today", "Due today", "今日应跟进"),
        Column::new("overdue", "Overdue", "逾期"),
        Column::new("late", "Late", "严重逾期"),
        Column::new("next_7_days", "Next 7 days", "未来7天"),
    ])
    .titled("Follow-up workload", "跟进工作量");
    for o in &r.owners {
        t.rows.push(vec![
            Cell::text(&o.owner),
            Cell::Int(o.customers as i64),
            Cell::Int(o.due_today as i64),
            Cell::Int(o.overdue as i64),
            Cell::Int(o.late as i64),
            Cell::Int(o.next_7_days as i64),
        ]);
    }
    t
}

/// Customers listed by name, with the `detail` column.
fn named_table<'r>(rows: &'r [Named], detail: Column, title: (&str, &str)) -> Table<'r> {
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
}

fn change_table(names: Names, r: &Report) -> Table<'_> {
    let mut t = Table::new(vec![
        Column::new("date", "Date", "日期"),
        Column::new("id", "ID", "编号"),
        Column::new("kind", "Change", "变更"),
        Column::new("note", "Note", "备注"),
    ])
    .titled("Stage and grade changes", "阶段与等级变更");
    for c in &r.changes {
        t.rows.push(vec![
            Cell::Date(c.date),
            Cell::text(&c.customer_id),
            Cell::text(names.of(c.kind.en(), c.kind.zh(), c.kind.id())),
            Cell::text(&c.note),
        ]);
    }
    t
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
            if let Some(profit) = r.top20_profit_share {
                parts.push(format!("\"top20_profit_share\":{profit:.2}"));
            }
        }
    }
    format!("{{{}}}\n", parts.join(","))
}
