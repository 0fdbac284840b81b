//! `report --html`: one self-contained page (no script, no network) with SVG charts drawn
//! here — the stage funnel, the Pareto curve, and bars for grades and types.

use std::fmt::Write;

use chrono::NaiveDate;

use super::{GroupRow, Report, tables};
use crate::model::{Enumeration, Lang};
use crate::render::Cell;

/// Fonts that render Chinese labels on the common systems, then a generic fallback.
const FONTS: &str = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif";

/// Escapes text for XML and HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn t(lang: Lang, en: &str, zh: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Zh => zh.to_string(),
    }
}

/// How wide `text` is drawn at the charts' 13 px, with room to spare: 7.2 px a column, a
/// Chinese character two columns (the SVG's box is sized by it, so no label is clipped).
fn text_width(text: &str) -> f64 {
    use unicode_width::UnicodeWidthStr;
    text.width() as f64 * 7.2
}

/// The stage funnel: one centred bar per stage, its width in proportion to the customers who
/// reached the stage; to its right, in a column of its own (a bar never runs into it), what
/// the numbers are: those who reached it, those at it, and the conversion from the stage
/// before. The box is as wide as its longest label.
pub fn funnel_svg(r: &Report, lang: Lang) -> String {
    let (bars, row, top) = (340.0, 44.0, 10.0);
    let h = top * 2.0 + row * r.stages.len() as f64;
    let max = r.stages.iter().map(|s| s.reached).max().unwrap_or(0).max(1) as f64;
    let labels: Vec<String> = r
        .stages
        .iter()
        .map(|s| {
            let conversion = s.conversion.map_or(String::new(), |c| match lang {
                Lang::En => format!(" · {c:.1}% of the stage before"),
                Lang::Zh => format!(" · 上一阶段的{c:.1}%"),
            });
            match lang {
                Lang::En => format!("reached {} · at it {}{conversion}", s.reached, s.count),
                Lang::Zh => format!("到达 {} · 现处 {}{conversion}", s.reached, s.count),
            }
        })
        .collect();
    let names: Vec<&str> = r.stages.iter().map(|s| s.stage.label(lang)).collect();
    let name_w = names.iter().map(|n| text_width(n)).fold(0.0, f64::max) + 20.0;
    let label_x = name_w + bars + 20.0;
    let w = (label_x + labels.iter().map(|l| text_width(l)).fold(0.0, f64::max) + 10.0).ceil();
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}">"#,
        esc(&t(lang, "Stage funnel", "阶段漏斗"))
    );
    for (k, s) in r.stages.iter().enumerate() {
        let bw = bars * s.reached as f64 / max;
        let x = name_w + 10.0 + (bars - bw) / 2.0;
        let y = top + row * k as f64;
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="{:.1}" rx="3" fill="#3b7dd8" fill-opacity="{:.2}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text><text x="{label_x:.1}" y="{:.1}" class="muted">{}</text>"##,
            row - 8.0,
            1.0 - 0.12 * k as f64,
            name_w,
            y + row / 2.0,
            esc(names[k]),
            y + row / 2.0,
            esc(&labels[k]),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The Pareto curve: cumulative share of revenue against share of customers, with the
/// 20% and 80% lines. The axis title and the 80/20 figure sit in the top margin, where the
/// curve cannot run through them.
pub fn pareto_svg(r: &Report, lang: Lang) -> String {
    // A wider left margin, so the "100%" tick label is not cut at the edge.
    let (w, h, m, ml) = (480.0, 320.0, 40.0, 52.0);
    let (pw, ph) = (w - ml - m, h - 2.0 * m);
    let px = |x: f64| ml + pw * x / 100.0;
    let py = |y: f64| h - m - ph * y / 100.0;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}">"#,
        esc(&t(lang, "Pareto curve", "帕累托曲线"))
    );
    let _ = write!(
        svg,
        r##"<rect x="{ml}" y="{m}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>"##
    );
    let _ = write!(
        svg,
        r##"<line x1="{:.1}" y1="{m}" x2="{:.1}" y2="{:.1}" stroke="#d55" stroke-dasharray="4 3"/>"##,
        px(20.0),
        px(20.0),
        h - m
    );
    let _ = write!(
        svg,
        r##"<line x1="{ml}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#d55" stroke-dasharray="4 3"/>"##,
        py(80.0),
        w - m,
        py(80.0)
    );
    let points: Vec<String> = r
        .pareto
        .iter()
        .map(|(x, y)| format!("{:.1},{:.1}", px(*x), py(*y)))
        .collect();
    let _ = write!(
        svg,
        r##"<polyline points="{}" fill="none" stroke="#3b7dd8" stroke-width="2"/>"##,
        points.join(" ")
    );
    for v in [0, 20, 40, 60, 80, 100] {
        let f = f64::from(v);
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="muted">{v}%</text><text x="{:.1}" y="{:.1}" text-anchor="end" class="muted">{v}%</text>"#,
            px(f),
            h - m + 16.0,
            ml - 6.0,
            py(f) + 4.0
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        px(50.0),
        h - 6.0,
        esc(&t(lang, "share of customers", "客户占比"))
    );
    let _ = write!(
        svg,
        r#"<text x="{ml}" y="{:.1}">{}</text>"#,
        m - 12.0,
        esc(&t(lang, "cumulative share of revenue", "累计销售额占比"))
    );
    let _ = write!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
        w - m,
        m - 12.0,
        // The full-width colon carries its own space; the English one needs one.
        esc(&format!(
            "{}{:.1}%",
            t(lang, "top 20%: ", "前20%："),
            r.top20_share
        ))
    );
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars of customers per group, each labelled with its customers, their share,
/// and the group's revenue with its share. The box is as wide as its longest label.
pub fn bars_svg(rows: &[GroupRow], title: &str, lang: Lang) -> String {
    let (bars, row) = (300.0, 26.0);
    let h = row * rows.len() as f64 + 10.0;
    let max = rows.iter().map(|g| g.count).max().unwrap_or(0).max(1) as f64;
    let names: Vec<&str> = rows
        .iter()
        .map(|g| {
            if lang == Lang::Zh {
                g.zh.as_str()
            } else {
                g.en.as_str()
            }
        })
        .collect();
    let labels: Vec<String> = rows
        .iter()
        .map(|g| {
            let money = Cell::Money(g.revenue).human(lang);
            match lang {
                Lang::En => format!(
                    "{} · {:.1}% · revenue {money} · {:.1}%",
                    g.count, g.share, g.revenue_share
                ),
                Lang::Zh => format!(
                    "{} · {:.1}% · 销售额 {money} · {:.1}%",
                    g.count, g.share, g.revenue_share
                ),
            }
        })
        .collect();
    let name_w = names.iter().map(|n| text_width(n)).fold(0.0, f64::max) + 20.0;
    let w =
        (name_w + 16.0 + bars + labels.iter().map(|l| text_width(l)).fold(0.0, f64::max) + 10.0)
            .ceil();
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}">"#,
        esc(title)
    );
    for (k, g) in rows.iter().enumerate() {
        let y = 5.0 + row * k as f64;
        let bw = bars * g.count as f64 / max;
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect x="{:.1}" y="{y:.1}" width="{bw:.1}" height="{:.1}" fill="#3b7dd8"/><text x="{:.1}" y="{:.1}" class="muted">{}</text>"##,
            name_w,
            y + row / 2.0 + 4.0,
            esc(names[k]),
            name_w + 10.0,
            row - 6.0,
            name_w + 16.0 + bw,
            y + row / 2.0 + 4.0,
            esc(&labels[k]),
        );
    }
    svg.push_str("</svg>");
    svg
}

fn html_table(t: &crate::render::Table, lang: Lang) -> String {
    let mut out = String::from("<table><thead><tr>");
    for c in &t.columns {
        let _ = write!(
            out,
            "<th>{}</th>",
            esc(if lang == Lang::Zh { &c.zh } else { &c.en })
        );
    }
    out.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        out.push_str("<tr>");
        for cell in row {
            let class = if matches!(cell, Cell::Int(_) | Cell::Money(_) | Cell::Dec(..)) {
                " class=\"num\""
            } else {
                ""
            };
            let _ = write!(out, "<td{class}>{}</td>", esc(&cell.human(lang)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// The whole page.
pub fn page(r: &Report, lang: Lang, today: NaiveDate) -> String {
    let title = t(lang, "Customer book report", "客户报告");
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} {today}</title>\n<style>\nbody {{ font-family: {FONTS}; margin: 2em auto; max-width: 60em; color: #222; }}\nsvg text {{ font-family: {FONTS}; font-size: 13px; }}\nsvg.chart {{ max-width: 100%; height: auto; }}\n.muted {{ fill: #666; color: #666; }}\ntable {{ border-collapse: collapse; margin: 0.5em 0 1.5em; }}\nth, td {{ border-bottom: 1px solid #ddd; padding: 0.25em 0.75em; text-align: left; }}\ntd.num {{ text-align: right; font-variant-numeric: tabular-nums; }}\n</style>\n</head>\n<body>\n",
        if lang == Lang::Zh { "zh" } else { "en" },
        esc(&title)
    );
    let _ = write!(
        html,
        "<h1>{} <span class=\"muted\">{today}</span></h1>\n<p>{}</p>\n",
        esc(&title),
        esc(&match (lang, r.top20_profit_share) {
            (Lang::En, None) => format!(
                "{} customers; the top 20% hold {:.2}% of revenue.",
                r.customers, r.top20_share
            ),
            (Lang::En, Some(profit)) => format!(
                "{} customers; the top 20% hold {:.2}% of revenue, and the top 20% by profit \
                 {profit:.2}% of profit.",
                r.customers, r.top20_share
            ),
            (Lang::Zh, None) => format!(
                "共{}位客户；前20%的客户占销售额的{:.2}%。",
                r.customers, r.top20_share
            ),
            (Lang::Zh, Some(profit)) => format!(
                "共{}位客户；前20%的客户占销售额的{:.2}%，按利润前20%的客户占利润的{profit:.2}%。",
                r.customers, r.top20_share
            ),
        })
    );
    let _ = write!(
        html,
        "<h2>{}</h2>\n{}\n",
        esc(&t(lang, "Stage funnel", "阶段漏斗")),
        funnel_svg(r, lang)
    );
    let _ = write!(
        html,
        "<h2>{}</h2>\n{}\n",
        esc(&t(lang, "Pareto curve", "帕累托曲线")),
        pareto_svg(r, lang)
    );
    let grades = t(lang, "Grades", "等级");
    let _ = write!(
        html,
        "<h2>{}</h2>\n{}\n",
        esc(&grades),
        bars_svg(&r.grades, &grades, lang)
    );
    let types = t(lang, "Types", "类型");
    let _ = write!(
        html,
        "<h2>{}</h2>\n{}\n",
        esc(&types),
        bars_svg(&r.types, &types, lang)
    );
    for (name, table) in tables(r, lang, false) {
        if matches!(name, "owners" | "key_customers" | "lapsing" | "abc")
            || (name == "changes" && !r.changes.is_empty())
            || (super::OMITTED_WHEN_EMPTY.contains(&name) && !table.rows.is_empty())
        {
            let heading = table
                .title
                .as_ref()
                .map(|(en, zh)| {
                    if lang == Lang::Zh {
                        zh.clone()
                    } else {
                        en.clone()
                    }
                })
                .unwrap_or_default();
            let _ = write!(
                html,
                "<h2>{}</h2>\n{}\n",
                esc(&heading),
                html_table(&table, lang)
            );
        }
    }
    html.push_str("</body>\n</html>\n");
    html
}
