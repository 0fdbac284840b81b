//! `report --html FILE`: one self-contained page (no script, nothing fetched) whose SVG
//! charts — the funnel, the Pareto curve, the bars for grades and types — are well-formed
//! XML, say what the report says, and are kept as snapshots in `tests/snapshots/`.

use super::book;
use crate::util::Workspace;

/// Writes the page of the small book with `--lang LANG` and returns it.
pub fn page(ws: &Workspace, lang: &str) -> String {
    ws.run([
        "--lang",
        lang,
        "report",
        "--html",
        "report.html",
        "--since",
        "2026-11-02",
    ])
    .stdout("")
    .stderr("")
    .code(0);
    std::fs::read_to_string(ws.path().join("report.html")).expect("read report.html")
}

/// Every `<svg ...>...</svg>` of the page, in order.
pub fn svgs(page: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<svg") {
        let len = rest[start..].find("</svg>").expect("a closed svg") + "</svg>".len();
        out.push(&rest[start..start + len]);
        rest = &rest[start + len..];
    }
    out
}

/// The texts of an SVG's `<text>` elements, in order; parsing fails the test unless the
/// SVG is well-formed XML in the SVG namespace.
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    root.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

/// The values of `attribute` of every `tag` element of `svg`.
fn attributes(svg: &str, tag: &str, attribute: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed");
    doc.descendants()
        .filter(|n| n.has_tag_name(tag))
        .filter_map(|n| n.attribute(attribute).map(str::to_string))
        .collect()
}

/// Every text of `svg` lies inside its box, measured as a browser would at most draw it at
/// 13 px: 7 px a column, a Chinese character two (the browser test checks the drawing).
pub fn no_text_outside_the_box(svg: &str) {
    use unicode_width::UnicodeWidthStr;
    let doc = roxmltree::Document::parse(svg).expect("well-formed");
    let root = doc.root_element();
    let width: f64 = root
        .attribute("viewBox")
        .and_then(|v| v.split(' ').nth(2))
        .and_then(|w| w.parse().ok())
        .expect("a viewBox");
    for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let x: f64 = n.attribute("x").and_then(|x| x.parse().ok()).expect("an x");
        let w = n.text().unwrap_or_default().width() as f64 * 7.0;
        let (left, right) = match n.attribute("text-anchor") {
            Some("end") => (x - w, x),
            Some("middle") => (x - w / 2.0, x + w / 2.0),
            _ => (x, x + w),
        };
        assert!(
            left >= 0.0 && right <= width,
            "{:?} at x {x} spans {left:.0}..{right:.0}, outside 0..{width}",
            n.text()
        );
    }
}

/// One element a line, so a snapshot reads (and diffs) element by element.
fn snapshot(name: &str, svg: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, svg.replace("><", ">\n<")));
}

#[test]
fn the_charts_are_well_formed_and_say_what_the_report_says() {
    let ws = book();
    let page = page(&ws, "en");
    let charts = svgs(&page);
    assert_eq!(charts.len(), 4, "funnel, Pareto, grades, types");

    // The funnel: per stage its name, and what its numbers are: those who reached it, the
    // customers at it, and the conversion from the stage before.
    assert_eq!(
        texts(charts[0]),
        [
            "Potential",
            "reached 11 · at it 4",
            "Trial",
            "reached 7 · at it 2 · 63.6% of the stage before",
            "Intent",
            "reached 5 · at it 2 · 71.4% of the stage before",
            "Quasi",
            "reached 3 · at it 1 · 60.0% of the stage before",
            "Formal",
            "reached 2 · at it 2 · 66.7% of the stage before"
        ]
    );
    // Its bars in proportion to those who reached the stage: 340 px for all 11, 340 × 7/11
    // = 216.4, 340 × 5/11 = 154.5, 340 × 3/11 = 92.7, 340 × 2/11 = 61.8.
    assert_eq!(
        attributes(charts[0], "rect", "width"),
        ["340.0", "216.4", "154.5", "92.7", "61.8"]
    );
    for chart in &charts {
        no_text_outside_the_box(chart);
    }
    // The Pareto curve: axis ticks, titles and the 80/20 figure; the curve through every
    // customer (11, best first) from the origin to (100 %, 100 %).
    let pareto = texts(charts[1]);
    assert_eq!(
        pareto[pareto.len() - 3..],
        [
            "share of customers",
            "cumulative share of revenue",
            "top 20%: 93.0%"
        ]
    );
    let doc = roxmltree::Document::parse(charts[1]).expect("well-formed");
    let points: Vec<&str> = doc
        .descendants()
        .find(|n| n.has_tag_name("polyline"))
        .and_then(|n| n.attribute("points"))
        .expect("a polyline with points")
        .split(' ')
        .collect();
    // x = 52 + 388 × k/11, y = 280 − 240 × cumulative share: c01 holds 51.33 %, with c04
    // 84.18 %.
    assert_eq!(points.len(), 12);
    assert_eq!(points[..3], ["52.0,280.0", "87.3,156.8", "122.5,78.0"]);
    assert_eq!(points[11], "440.0,40.0");
    // The 20 % line (x = 52 + 388 × 0.2) and the 80 % line (y = 280 − 240 × 0.8).
    let lines: Vec<[&str; 4]> = doc
        .descendants()
        .filter(|n| n.has_tag_name("line"))
        .map(|n| ["x1", "y1", "x2", "y2"].map(|a| n.attribute(a).expect("a coordinate")))
        .collect();
    assert_eq!(
        lines,
        [
            ["129.6", "40", "129.6", "280.0"],
            ["52", "88.0", "440.0", "88.0"]
        ]
    );
    // Bars: per group its name, customers · share, and revenue · share (the figures of
    // figures.rs's JSON: A 586,000.00 of the book's 974,096.17 is 60.16 %).
    assert_eq!(
        texts(charts[2]),
        [
            "Order customer",
            "2 · 18.2% · revenue 586,000.00 · 60.2%",
            "Sample customer",
            "1 · 9.1% · revenue 0.00 · 0.0%",
            "Important potential",
            "3 · 27.3% · revenue 377,946.17 · 38.8%",
            "Ordinary potential",
            "3 · 27.3% · revenue 10,000.00 · 1.0%",
            "No potential",
            "2 · 18.2% · revenue 150.00 · 0.0%"
        ]
    );
    let types = texts(charts[3]);
    assert_eq!(
        types.len(),
        20,
        "nine types and the unclassified: {types:?}"
    );
    assert_eq!(
        types[..6],
        [
            "Rational",
            "2 · 18.2% · revenue 500,000.00 · 51.3%",
            "Task-driven",
            "1 · 9.1% · revenue 320,000.00 · 32.9%",
            "Self-interested",
            "0 · 0.0% · revenue 0.00 · 0.0%"
        ]
    );
    assert_eq!(types[18], "(unclassified)");
    assert!(
        types[19].starts_with("1 · 9.1% · revenue "),
        "{}",
        types[19]
    );

    snapshot("report_funnel_en", charts[0]);
    snapshot("report_pareto_en", charts[1]);
    snapshot("report_grades_en", charts[2]);
    snapshot("report_types_en", charts[3]);
}

#[test]
fn the_page_is_self_contained_and_holds_the_tables() {
    let ws = book();
    let page = page(&ws, "en");
    assert!(
        page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
    );
    assert!(page.contains("<title>Customer book report 2026-11-22</title>"));
    assert!(page.ends_with("</body>\n</html>\n"));
    let lower = page.to_lowercase();
    for forbidden in [
        "<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import",
    ] {
        assert!(!lower.contains(forbidden), "the page has {forbidden}");
    }
    // The only address is the SVG namespace, once per chart.
    let addresses: Vec<&str> = lower
        .match_indices("http")
        .map(|(i, _)| &page[i..i + page[i..].find('"').expect("a quoted attribute")])
        .collect();
    assert_eq!(addresses, ["http://www.w3.org/2000/svg"; 4]);

    assert!(page.contains(
        "<p>11 customers; the top 20% hold 93.01% of revenue, and the top 20% by profit \
         100.00% of profit.</p>"
    ));
    let headings: Vec<&str> = page
        .split("<h2>")
        .skip(1)
        .map(|s| &s[..s.find("</h2>").expect("a closed heading")])
        .collect();
    assert_eq!(
        headings,
        [
            "Stage funnel",
            "Pareto curve",
            "Grades",
            "Types",
            "ABC classes (top 20% hold 93.01% of revenue; by profit, 100.00% of profit)",
            "Follow-up workload",
            "Key customers",
            "Lapsing order customers",
            "Relationship below its target",
            "Stage and grade changes"
        ]
    );
    for row in [
        "<tr><td>王芳</td><td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\">2</td>\
         <td class=\"num\">1</td><td class=\"num\">0</td></tr>",
        "<tr><td>c02</td><td>Blue River Foods &amp; Co</td><td>Li Wei</td><td>2026-08-31</td></tr>",
        "<tr><td>2026-11-10</td><td>c03</td><td>Stage change</td>\
         <td>trial -&gt; intent; forced: asked for a quote, &quot;urgent&quot;</td></tr>",
    ] {
        assert!(page.contains(row), "the page lacks {row}");
    }
}

#[test]
fn the_chinese_page_names_the_stages_in_chinese_with_a_cjk_font_list() {
    let ws = book();
    let page = page(&ws, "zh");
    assert!(
        page.starts_with("<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n")
    );
    assert!(page.contains(
        "<p>共11位客户；前20%的客户占销售额的93.01%，按利润前20%的客户占利润的100.00%。</p>"
    ));
    let charts = svgs(&page);
    let funnel = texts(charts[0]);
    let names: Vec<&str> = funnel.iter().step_by(2).map(String::as_str).collect();
    assert_eq!(
        names,
        ["潜在客户", "试用客户", "意向客户", "准客户", "正式客户"]
    );
    let pareto = texts(charts[1]);
    assert_eq!(
        pareto[pareto.len() - 3..],
        ["客户占比", "累计销售额占比", "前20%：93.0%"]
    );
    let grades: Vec<String> = texts(charts[2]).into_iter().step_by(2).collect();
    assert_eq!(
        grades,
        ["订单客户", "样单客户", "重潜客户", "普潜客户", "无潜客户"]
    );
    assert!(texts(charts[3]).contains(&"（未分类）".to_string()));
    assert_eq!(funnel[3], "到达 7 · 现处 2 · 上一阶段的63.6%");
    for chart in &charts {
        no_text_outside_the_box(chart);
    }
    // The charts' text and the body fall back through fonts that hold Chinese on Linux,
    // macOS and Windows before the generic family.
    for rule in ["body { font-family: ", "svg text { font-family: "] {
        let start = page.find(rule).unwrap_or_else(|| panic!("no `{rule}`")) + rule.len();
        let fonts: Vec<&str> = page[start..start + page[start..].find(';').expect("a ;")]
            .split(", ")
            .collect();
        for cjk in [
            "'Noto Sans CJK SC'",
            "'Source Han Sans SC'",
            "'PingFang SC'",
            "'Microsoft YaHei'",
        ] {
            assert!(fonts.contains(&cjk), "{rule}: no {cjk} in {fonts:?}");
        }
        assert_eq!(fonts.last(), Some(&"sans-serif"));
    }
    snapshot("report_funnel_zh", charts[0]);
}
