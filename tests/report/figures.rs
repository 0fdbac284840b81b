//! The whole report of the small book (`super::BOOK`, figures worked out there) as JSON and
//! as markdown, written out in full.

use super::book;

/// `report --format json --since 2026-11-02`: one object, one line, keys in the order of
/// the report; money and percentages as numbers with two decimals.
const JSON: &str = concat!(
    "{",
    r#""stages":["#,
    r#"{"stage":"potential","count":4,"conversion":null},"#,
    r#"{"stage":"trial","count":2,"conversion":63.64},"#,
    r#"{"stage":"intent","count":2,"conversion":71.43},"#,
    r#"{"stage":"quasi","count":1,"conversion":60.00},"#,
    r#"{"stage":"formal","count":2,"conversion":66.67}],"#,
    r#""grades":["#,
    r#"{"grade":"A","count":2,"share":18.18,"revenue":586000.00,"revenue_share":60.16},"#,
    r#"{"grade":"B","count":1,"share":9.09,"revenue":0.00,"revenue_share":0.00},"#,
    r#"{"grade":"C","count":3,"share":27.27,"revenue":377946.17,"revenue_share":38.80},"#,
    r#"{"grade":"D","count":3,"share":27.27,"revenue":10000.00,"revenue_share":1.03},"#,
    r#"{"grade":"E","count":2,"share":18.18,"revenue":150.00,"revenue_share":0.02}],"#,
    r#""types":["#,
    r#"{"type":"rational","count":2,"share":18.18,"revenue":500000.00,"revenue_share":51.33},"#,
    r#"{"type":"task","count":1,"share":9.09,"revenue":320000.00,"revenue_share":32.85},"#,
    r#"{"type":"greedy","count":0,"share":0.00,"revenue":0.00,"revenue_share":0.00},"#,
    r#"{"type":"owner","count":1,"share":9.09,"revenue":86000.00,"revenue_share":8.83},"#,
    r#"{"type":"credit_seeker","count":1,"share":9.09,"revenue":0.00,"revenue_share":0.00},"#,
    r#"{"type":"stingy","count":1,"share":9.09,"revenue":150.00,"revenue_share":0.02},"#,
    r#"{"type":"difficult","count":1,"share":9.09,"revenue":8000.00,"revenue_share":0.82},"#,
    r#"{"type":"relationship","count":2,"share":18.18,"revenue":57946.17,"revenue_share":5.95},"#,
    r#"{"type":"composite","count":1,"share":9.09,"revenue":2000.00,"revenue_share":0.21},"#,
    r#"{"type":null,"count":1,"share":9.09,"revenue":0.00,"revenue_share":0.00}],"#,
    r#""abc":["#,
    r#"{"class":"A","count":2,"share":18.18,"revenue":820000.00,"revenue_share":84.18},"#,
    r#"{"class":"B","count":2,"share":18.18,"revenue":131600.50,"revenue_share":13.51},"#,
    r#"{"class":"C","count":7,"share":63.64,"revenue":22495.67,"revenue_share":2.31}],"#,
    r#""top20_share":93.01,"#,
    r#""top20_profit_share":100.00,"#,
    r#""owners":["#,
    r#"{"owner":"Li Wei","customers":4,"due_today":1,"overdue":2,"late":1,"next_7_days":0},"#,
    r#"{"owner":"王芳","customers":3,"due_today":1,"overdue":2,"late":1,"next_7_days":0},"#,
    r#"{"owner":"赵强","customers":4,"due_today":0,"overdue":2,"late":1,"next_7_days":1}],"#,
    r#""key_customers":["#,
    r#"{"id":"c04","name":"Summit Electronics","owner":"Li Wei","score":83.30},"#,
    r#"{"id":"c01","name":"华星贸易","owner":"王芳","score":79.20}],"#,
    r#""lapsing":["#,
    r#"{"id":"c02","name":"Blue River Foods & Co","owner":"Li Wei","expected_order":"2026-08-31"}],"#,
    r#""complaints":[],"#,
    r#""relationship":[{"id":"c01","name":"华星贸易","owner":"王芳","level":"basic","target":"accountable"}],"#,
    r#""lost_reasons":[],"#,
    r#""changes":["#,
    r#"{"date":"2026-11-02","id":"c04","kind":"stage_change","note":"intent -> quasi; gate of quasi holds"},"#,
    r#"{"date":"2026-11-02","id":"c04","kind":"grade_change","note":"D -> C; important potential"},"#,
    r#"{"date":"2026-11-10","id":"c03","kind":"stage_change","note":"trial -> intent; forced: asked for a quote, \"urgent\""}]"#,
    "}\n",
);

#[test]
fn json_holds_every_figure_of_the_small_book() {
    let ws = book();
    let before = ws.snapshot();
    let out = ws.run(["report", "--format", "json", "--since", "2026-11-02"]);
    out.stdout(JSON).stderr("").code(0);
    // Valid JSON, and the keys the issue names, in its order (plus the lapsing list).
    let value: serde_json::Value = serde_json::from_str(&out.stdout_text()).expect("valid JSON");
    let keys: Vec<&str> = value
        .as_object()
        .expect("one object")
        .keys()
        .map(String::as_str)
        .collect();
    let expected = [
        "stages",
        "grades",
        "types",
        "abc",
        "top20_share",
        "top20_profit_share",
        "owners",
        "key_customers",
        "lapsing",
        "complaints",
        "relationship",
        "lost_reasons",
        "changes",
    ];
    assert_eq!(keys, expected, "the keys as the report writes them");
    assert!(value["top20_share"].is_number());
    // A report only reads.
    ws.assert_unchanged(&before);
}

#[test]
fn json_without_since_has_an_empty_change_list() {
    let out = book().run(["report", "--format", "json"]);
    out.stderr("").code(0);
    let text = out.stdout_text();
    let since = JSON.find(r#""changes":["#).expect("changes in JSON") + r#""changes":["#.len();
    assert_eq!(text, format!("{}]}}\n", &JSON[..since]));
}

/// `report --format markdown`: every table but the changes (no `--since`), titled, numbers
/// right-aligned and money grouped as people read it.
const MARKDOWN: &str = "\
## Stage funnel

| Stage | Customers | Reached | Conversion % |
| --- | ---: | ---: | ---: |
| Potential | 4 | 11 |  |
| Trial | 2 | 7 | 63.64 |
| Intent | 2 | 5 | 71.43 |
| Quasi | 1 | 3 | 60.00 |
| Formal | 2 | 2 | 66.67 |

## Grades

| Grade | Customers | Share % | Revenue | Revenue % |
| --- | ---: | ---: | ---: | ---: |
| Order customer | 2 | 18.18 | 586,000.00 | 60.16 |
| Sample customer | 1 | 9.09 | 0.00 | 0.00 |
| Important potential | 3 | 27.27 | 377,946.17 | 38.80 |
| Ordinary potential | 3 | 27.27 | 10,000.00 | 1.03 |
| No potential | 2 | 18.18 | 150.00 | 0.02 |

## Types

| Type | Customers | Share % | Revenue | Revenue % |
| --- | ---: | ---: | ---: | ---: |
| Rational | 2 | 18.18 | 500,000.00 | 51.33 |
| Task-driven | 1 | 9.09 | 320,000.00 | 32.85 |
| Self-interested | 0 | 0.00 | 0.00 | 0.00 |
| Owner-minded | 1 | 9.09 | 86,000.00 | 8.83 |
| Credit-seeking | 1 | 9.09 | 0.00 | 0.00 |
| Tight-fisted | 1 | 9.09 | 150.00 | 0.02 |
| Difficult | 1 | 9.09 | 8,000.00 | 0.82 |
| Relationship | 2 | 18.18 | 57,946.17 | 5.95 |
| Composite | 1 | 9.09 | 2,000.00 | 0.21 |
| (unclassified) | 1 | 9.09 | 0.00 | 0.00 |

## ABC classes (top 20% hold 93.01% of revenue; by profit, 100.00% of profit)

| Class | Customers | Share % | Revenue | Revenue % |
| --- | ---: | ---: | ---: | ---: |
| A: the vital few | 2 | 18.18 | 820,000.00 | 84.18 |
| B: potential, focus of follow-up | 2 | 18.18 | 131,600.50 | 13.51 |
| C: the trivial many | 7 | 63.64 | 22,495.67 | 2.31 |

## Follow-up workload

| Owner | Customers | Due today | Overdue | Late | Next 7 days |
| --- | ---: | ---: | ---: | ---: | ---: |
| Li Wei | 4 | 1 | 2 | 1 | 0 |
| 王芳 | 3 | 1 | 2 | 1 | 0 |
| 赵强 | 4 | 0 | 2 | 1 | 1 |

## Key customers

| ID | Name | Owner | Score |
| --- | --- | --- | ---: |
| c04 | Summit Electronics | Li Wei | 83.30 |
| c01 | 华星贸易 | 王芳 | 79.20 |

## Lapsing order customers

| ID | Name | Owner | Expected order |
| --- | --- | --- | --- |
| c02 | Blue River Foods & Co | Li Wei | 2026-08-31 |

## Relationship below its target

| ID | Name | Owner | Level | Target |
| --- | --- | --- | --- | --- |
| c01 | 华星贸易 | 王芳 | Basic | Accountable |
";

#[test]
fn markdown_holds_every_table_of_the_small_book() {
    book()
        .run(["report", "--format", "markdown"])
        .stdout(MARKDOWN)
        .stderr("")
        .code(0);
}

#[test]
fn markdown_with_since_ends_with_the_changes() {
    book()
        .run(["report", "--format", "markdown", "--since", "2026-11-02"])
        .stdout(&format!(
            "{MARKDOWN}
## Stage and grade changes

| Date | ID | Change | Note |
| --- | --- | --- | --- |
| 2026-11-02 | c04 | Stage change | intent -> quasi; gate of quasi holds |
| 2026-11-02 | c04 | Grade change | D -> C; important potential |
| 2026-11-10 | c03 | Stage change | trial -> intent; forced: asked for a quote, \"urgent\" |
"
        ))
        .stderr("")
        .code(0);
}
