//! A book of 20 000 customers made here, deterministically, for the report page's charts at
//! the size a team's book reaches: Chinese and English names and owners, stages and types
//! written either way, every grade, revenues from nothing to 12,345,678.90 (so the groups'
//! totals run to ten digits before the point), and an activity log of orders, touches,
//! sample requests and stage changes.

use std::fmt::Write as _;

use super::page::{no_text_outside_the_box, svgs};
use crate::util::Workspace;

/// Customers in the book.
pub const CUSTOMERS: usize = 20_000;

/// A small, fixed pseudo-random sequence (SplitMix64): the same book on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in 0..n.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// One of `items`.
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// One of `items`, each as often as its weight says.
    fn weighted<'a>(&mut self, items: &[(&'a str, u64)]) -> &'a str {
        let mut roll = self.below(items.iter().map(|i| i.1).sum());
        for &(item, weight) in items {
            if roll < weight {
                return item;
            }
            roll -= weight;
        }
        unreachable!("the roll is below the total weight")
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const OWNERS: &[&str] = &[
    "王芳",
    "赵强",
    "Li Wei",
    "欧阳明月",
    "Alexandra Montgomery",
    "陈静",
    "Zhang Wei",
    "司马相如",
    "María Fernández-López",
    "刘洋",
    "Chen Jie",
    "上官婉儿",
];

const ZH_PLACES: &[&str] = &[
    "华星",
    "东风",
    "金莲",
    "宁波海港",
    "深圳前海",
    "长江",
    "北方",
    "天山",
    "蓝海",
    "鸿运",
    "苏州工业园区",
    "成都",
    "青岛",
    "厦门",
];
const ZH_TRADES: &[&str] = &[
    "贸易",
    "物流",
    "电子",
    "纺织",
    "食品",
    "传媒",
    "科技",
    "酒店",
    "机械制造",
    "医疗器械",
];
const ZH_FORMS: &[&str] = &["有限公司", "集团", "股份有限公司", "", "商行"];
const EN_PLACES: &[&str] = &[
    "Blue River",
    "Summit",
    "Orchid",
    "Pinecrest",
    "Harbor",
    "Maple",
    "Northwind",
    "Silver Lake",
    "Golden Gate",
    "Evergreen",
];
const EN_TRADES: &[&str] = &[
    "Foods",
    "Electronics",
    "Textiles",
    "Labs",
    "Freight",
    "Trading",
    "Hospitality",
    "Precision Machinery",
];
const EN_FORMS: &[&str] = &["& Co", "Ltd", "Inc.", "Group", "", "Holdings"];

/// Stages as the sheets write them: mostly ids, some the Chinese name, some the English.
const STAGES: &[(&str, u64)] = &[
    ("potential", 30),
    ("潜在客户", 8),
    ("trial", 18),
    ("试用客户", 4),
    ("intent", 14),
    ("Intent", 2),
    ("quasi", 9),
    ("准客户", 2),
    ("formal", 10),
    ("正式客户", 3),
];
const GRADES: &[(&str, u64)] = &[
    ("A", 10),
    ("B", 20),
    ("C", 30),
    ("D", 25),
    ("E", 10),
    ("", 5),
];
const TYPES: &[(&str, u64)] = &[
    ("rational", 12),
    ("理智型", 3),
    ("task", 10),
    ("greedy", 6),
    ("owner", 8),
    ("credit_seeker", 5),
    ("stingy", 7),
    ("difficult", 6),
    ("relationship", 10),
    ("关系型", 4),
    ("composite", 9),
    ("", 10),
];

/// A date `days` after 2024-01-01, as `YYYY-MM-DD`.
fn date(days: u64) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date");
    (start + chrono::Days::new(days)).to_string()
}

/// Cents as a plain amount, or grouped and quoted (`"12,345,678.90"`) as sheets export it.
fn amount(cents: u64, grouped: bool) -> String {
    let whole = (cents / 100).to_string();
    if !grouped {
        return format!("{whole}.{:02}", cents % 100);
    }
    let mut out = String::new();
    for (k, d) in whole.chars().enumerate() {
        if k > 0 && (whole.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    format!("\"{out}.{:02}\"", cents % 100)
}

/// `customers.csv` and `activities.csv` of the book.
pub fn files() -> (String, String) {
    let mut rng = Rng(20_261_122);
    let mut book = String::from("id,name,owner,stage,grade,type,revenue,last_contact,list\n");
    let mut log = String::from("date,customer_id,kind,amount,note\n");
    // Days from 2024-01-01 to the day before 2026-11-22.
    let span = 1056;
    for k in 1..=CUSTOMERS {
        let id = format!("k{k:05}");
        let name = if rng.below(2) == 0 {
            format!(
                "{}{}{}",
                rng.pick(ZH_PLACES),
                rng.pick(ZH_TRADES),
                rng.pick(ZH_FORMS)
            )
        } else {
            let form = rng.pick(EN_FORMS);
            format!(
                "{} {}{}{form}",
                rng.pick(EN_PLACES),
                rng.pick(EN_TRADES),
                if form.is_empty() { "" } else { " " }
            )
        };
        // Names with a comma are quoted, as a sheet exports them.
        let name = if k % 7 == 0 {
            format!(
                "\"{name}, {}\"",
                rng.pick(&["Shanghai", "北京", "Hong Kong"])
            )
        } else {
            name
        };
        let owner = rng.pick(OWNERS);
        let stage = rng.weighted(STAGES);
        let grade = rng.weighted(GRADES);
        let kind = rng.weighted(TYPES);
        // Revenue: a long tail (Pareto, alpha 1.16, from 500.00), a few very large
        // accounts, some empty (then the log's orders count).
        let revenue = match k {
            _ if k % 2_003 == 0 => amount(1_234_567_890, true),
            _ if k % 4_999 == 0 => amount(9_876_543_210, true),
            _ if rng.below(10) == 0 => String::new(),
            _ => {
                let pareto = 500.0 * (1.0 - rng.unit()).powf(-1.0 / 1.16);
                let cents = (pareto.min(5_000_000.0) * 100.0) as u64;
                amount(cents, rng.below(5) == 0)
            }
        };
        let last_contact = if rng.below(8) == 0 {
            String::new()
        } else {
            date(300 + rng.below(span - 300))
        };
        let list = if rng.below(50) == 0 {
            "black"
        } else {
            "normal"
        };
        let _ = writeln!(
            book,
            "{id},{name},{owner},{stage},{grade},{kind},{revenue},{last_contact},{list}"
        );
        // Two log rows a customer on average: orders, touches, samples, a stage change.
        for _ in 0..rng.below(5) {
            let day = date(rng.below(span));
            let row = match rng.below(10) {
                0..=2 => format!(
                    "{day},{id},order,{},PO {}",
                    amount(10_000 + rng.below(20_000_000), false),
                    rng.below(100_000)
                ),
                3 => format!("{day},{id},call,,问了下一单的交期"),
                4 => format!("{day},{id},visit,,\"visited the plant, met the buyer\""),
                5 => format!("{day},{id},email,,sent the price list"),
                6 => format!("{day},{id},sample_request,,sample of the 40 ft service"),
                7 => format!("{day},{id},stage_change,,potential -> trial; gate of trial holds"),
                _ => format!("{day},{id},call,,"),
            };
            log.push_str(&row);
            log.push('\n');
        }
    }
    (book, log)
}

/// The book in a workspace of its own.
pub fn big_book() -> Workspace {
    let (book, log) = files();
    Workspace::new()
        .file("customers.csv", book)
        .file("activities.csv", log)
}

/// The book is what its description says, and the report reads all of it without a word
/// on standard error.
#[test]
fn the_big_book_has_twenty_thousand_customers_and_reads_cleanly() {
    let (book, log) = files();
    assert_eq!(files(), (book.clone(), log.clone()), "deterministic");
    assert_eq!(book.lines().count(), CUSTOMERS + 1);
    assert!(book.contains("\"12,345,678.90\""));
    assert!(book.contains("\"98,765,432.10\""));
    assert!(log.lines().count() > CUSTOMERS);
    let ws = big_book();
    let out = ws.run(["report", "--format", "json", "--today", "2026-11-22"]);
    out.stderr("").code(0);
    let value: serde_json::Value = serde_json::from_str(&out.stdout_text()).expect("JSON");
    let counted: u64 = value["grades"]
        .as_array()
        .expect("grades")
        .iter()
        .map(|g| g["count"].as_u64().expect("a count"))
        .sum();
    assert_eq!(counted, CUSTOMERS as u64);
}

/// The page of the big book, in each language, sizes every chart for its longest label as
/// the page tests measure it (the browser test, `report::browser`, measures the drawing).
#[test]
fn the_big_books_charts_are_as_wide_as_their_labels() {
    let ws = big_book();
    for lang in ["en", "zh"] {
        ws.run([
            "--lang",
            lang,
            "report",
            "--html",
            "page.html",
            "--today",
            "2026-11-22",
        ])
        .stdout("")
        .stderr("")
        .code(0);
        let html = std::fs::read_to_string(ws.path().join("page.html")).expect("read page.html");
        let charts = svgs(&html);
        assert_eq!(charts.len(), 4, "{lang}");
        for chart in &charts {
            no_text_outside_the_box(chart);
        }
        // The grades hold totals of nine digits before the point.
        let grouped = match lang {
            "en" => "· revenue 343,059,350.34 · ",
            _ => "· 销售额 343,059,350.34 · ",
        };
        assert!(html.contains(grouped), "{lang}: no {grouped}");
    }
}
