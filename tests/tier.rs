//! `clientele tier`: every shipped value scheme (abc, pyramid, grade, key, value3, rfm, stars)
//! on small hand-made books, the Pareto and percentile edges, a scheme of the user's own, and
//! `--write`; ABC on a generated book of 10 000 customers is in `tier/generated.rs`.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::util::Workspace;

mod generated;

const HEADER: &str = "id\tname\tscheme\ttier\tmetric\tshare\tcumulative_share\trank\n";

/// ABC: ties (e/r at 100.00, ordered by id), the customer who crosses 80 % (e: 75 % before it,
/// 85 % with it, still A), a metric from the log when there is no revenue (s), and zero,
/// missing and negative metrics (u, v, w), always C. Book order is not rank order.
const ABC_BOOK: &str = "\
id,name,revenue
w,Refund,-25.00
t,Tiny,20.00
r,Reed,100.00
q,Quill,300.00
u,Zero,0
s,Small,
e,Elm,100.00
v,Void,
p,Pine,450.00
";

#[test]
fn abc_ranks_by_metric_and_the_customer_crossing_80_percent_is_still_a() {
    let ws = Workspace::new().file("customers.csv", ABC_BOOK).file(
        "activities.csv",
        "date,customer_id,kind,amount,note\n\
         2026-03-01,s,order,20.00,PO 1\n\
         2026-06-01,s,order,10.00,PO 2\n",
    );
    let expected = format!(
        "{HEADER}\
         p\tPine\tabc\tA\t450.00\t45.00\t45.00\t1\n\
         q\tQuill\tabc\tA\t300.00\t30.00\t75.00\t2\n\
         e\tElm\tabc\tA\t100.00\t10.00\t85.00\t3\n\
         r\tReed\tabc\tB\t100.00\t10.00\t95.00\t4\n\
         s\tSmall\tabc\tC\t30.00\t3.00\t98.00\t5\n\
         t\tTiny\tabc\tC\t20.00\t2.00\t100.00\t6\n\
         u\tZero\tabc\tC\t0.00\t0.00\t100.00\t7\n\
         v\tVoid\tabc\tC\t0.00\t0.00\t100.00\t8\n\
         w\tRefund\tabc\tC\t-25.00\t0.00\t100.00\t9\n"
    );
    ws.run(["tier"]).stdout(&expected).stderr("").code(0);
    ws.run(["tier", "--scheme", "abc"])
        .stdout(&expected)
        .code(0);
    // Asking for some customers prints only those, tiered over the whole book.
    ws.run(["tier", "e", "r", "u"])
        .stdout(&format!(
            "{HEADER}\
             e\tElm\tabc\tA\t100.00\t10.00\t85.00\t3\n\
             r\tReed\tabc\tB\t100.00\t10.00\t95.00\t4\n\
             u\tZero\tabc\tC\t0.00\t0.00\t100.00\t7\n"
        ))
        .stderr("")
        .code(0);
}

#[test]
fn abc_a_customer_whose_predecessors_hold_exactly_80_percent_is_b() {
    Workspace::new()
        .file(
            "customers.csv",
            "id,name,revenue\nd,D,50.00\nc,C,150.00\nb,B,200.00\na,A,600.00\n",
        )
        .run(["tier"])
        .stdout(&format!(
            "{HEADER}\
             a\tA\tabc\tA\t600.00\t60.00\t60.00\t1\n\
             b\tB\tabc\tA\t200.00\t20.00\t80.00\t2\n\
             c\tC\tabc\tB\t150.00\t15.00\t95.00\t3\n\
             d\tD\tabc\tC\t50.00\t5.00\t100.00\t4\n"
        ))
        .code(0);
    // The same edge in odd cents, with amounts as spreadsheets write them: x and w hold
    // 6 666.68, exactly 80 % of 8 333.35, so y is B; z comes after 99.9999 %, so C.
    Workspace::new()
        .file(
            "customers.csv",
            "id,name,revenue\n\
             z,Z,0.01\n\
             y,Y,\"1,666.66\"\n\
             x,X,¥3333.35\n\
             w,W,3333.33\n",
        )
        .run(["tier"])
        .stdout(&format!(
            "{HEADER}\
             x\tX\tabc\tA\t3333.35\t40.00\t40.00\t1\n\
             w\tW\tabc\tA\t3333.33\t40.00\t80.00\t2\n\
             y\tY\tabc\tB\t1666.66\t20.00\t100.00\t3\n\
             z\tZ\tabc\tC\t0.01\t0.00\t100.00\t4\n"
        ))
        .code(0);
}

#[test]
fn pyramid_edges_at_1_and_20_percent_of_100_customers() {
    // Revenue falls with the number, with ties across both edges (p001/p002 and p020/p021,
    // decided by id) and five customers without revenue at the end. Written in reverse.
    let mut book = String::from("id,name,revenue\n");
    for i in (1..=100).rev() {
        let revenue = match i {
            2 => 10_000,
            21 => 8_100,
            96.. => 0,
            _ => (101 - i) * 100,
        };
        writeln!(book, "p{i:03},Customer {i},{revenue}.00").expect("write to a string");
    }
    let ws = Workspace::new().file("customers.csv", book);
    ws.run([
        "tier", "--scheme", "pyramid", "p001", "p002", "p020", "p021", "p050", "p051", "p100",
    ])
    .stdout(&format!(
        "{HEADER}\
         p001\tCustomer 1\tpyramid\tkey\t10000.00\t\t\t1\n\
         p002\tCustomer 2\tpyramid\tsecondary\t10000.00\t\t\t2\n\
         p020\tCustomer 20\tpyramid\tsecondary\t8100.00\t\t\t20\n\
         p021\tCustomer 21\tpyramid\tordinary\t8100.00\t\t\t21\n\
         p050\tCustomer 50\tpyramid\tordinary\t5100.00\t\t\t50\n\
         p051\tCustomer 51\tpyramid\tsmall\t5000.00\t\t\t51\n\
         p100\tCustomer 100\tpyramid\tsmall\t0.00\t\t\t100\n"
    ))
    .stderr("")
    .code(0);

    // The whole book: in rank order, and 1 / 19 / 30 / 50 customers per band.
    let out = ws.run(["tier", "--scheme", "pyramid"]);
    out.stderr("").code(0);
    let text = out.stdout_text();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    let ids: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    let want: Vec<String> = (1..=100).map(|i| format!("p{i:03}")).collect();
    assert_eq!(ids, want, "rows in rank order");
    for band in ["key", "secondary", "ordinary", "small"] {
        let count = rows.iter().filter(|r| r[3] == band).count();
        let want = match band {
            "key" => 1,
            "secondary" => 19,
            "ordinary" => 30,
            _ => 50,
        };
        assert_eq!(count, want, "customers in band {band}");
    }
}

#[test]
fn pyramid_of_7_customers_and_zero_metrics() {
    // N = 7: rank 1 is within the top 1 % (0 of 7 before it), rank 2 within the top 20 %
    // (1/7 = 14 %), ranks 3–4 within the top 50 % (2/7, 3/7), ranks 5–7 the rest.
    Workspace::new()
        .file(
            "customers.csv",
            "id,name,revenue\ng,G,10\nf,F,20\ne,E,30\nd,D,40\nc,C,50\nb,B,60\na,A,70\n",
        )
        .run(["tier", "--scheme", "pyramid"])
        .stdout(&format!(
            "{HEADER}\
             a\tA\tpyramid\tkey\t70.00\t\t\t1\n\
             b\tB\tpyramid\tsecondary\t60.00\t\t\t2\n\
             c\tC\tpyramid\tordinary\t50.00\t\t\t3\n\
             d\tD\tpyramid\tordinary\t40.00\t\t\t4\n\
             e\tE\tpyramid\tsmall\t30.00\t\t\t5\n\
             f\tF\tpyramid\tsmall\t20.00\t\t\t6\n\
             g\tG\tpyramid\tsmall\t10.00\t\t\t7\n"
        ))
        .stderr("")
        .code(0);
    // N = 3: rank 2 would be ordinary (1/3 < 50 %), but a zero or missing metric is small.
    Workspace::new()
        .file("customers.csv", "id,name,revenue\nz,Z,\ny,Y,0\nx,X,5\n")
        .run(["tier", "--scheme", "pyramid"])
        .stdout(&format!(
            "{HEADER}\
             x\tX\tpyramid\tkey\t5.00\t\t\t1\n\
             y\tY\tpyramid\tsmall\t0.00\t\t\t2\n\
             z\tZ\tpyramid\tsmall\t0.00\t\t\t3\n"
        ))
        .stderr("")
        .code(0);
}

/// One small book for every shipped scheme: ratings for the scores, stages, lists, types and
/// traits for the grades, points for the stars, and an activity log for orders and contacts.
const BOOK: &str = "\
id,name,stage,list,type,traits,revenue,profit,payment,fit,growth,loyalty,culture,strength,influence,long_term,credit,points
k1,Kite,formal,normal,,,60000.00,15000.00,5,4,4,5,3,4,4,5,,
m2,Maple,quasi,normal,,,30000.00,1200.00,4,4,4,4,,4,,5,,
s3,Sprout,trial,normal,,,,,,3,,,,,,,,85000
r4,Reed,potential,red,,,,,,,,,,,,,,
d5,Dune,potential,normal,,presses_price,0,,1,2,2,2,,1,,1,5,500
e6,Echo,potential,normal,stingy,,,,1,1,1,1,1,1,1,1,,49
";

/// k1 orders monthly, 3 000.00 each, March to November 2026 (9 months); m2 twice in 2026;
/// r4 twice in 2024; s3 asked for a sample; d5 and e6 were called.
const LOG: &str = "\
date,customer_id,kind,amount,note
2026-03-10,k1,order,3000.00,
2026-04-10,k1,order,3000.00,
2026-05-10,k1,order,3000.00,
2026-06-10,k1,order,3000.00,
2026-07-10,k1,order,3000.00,
2026-08-10,k1,order,3000.00,
2026-09-10,k1,order,3000.00,
2026-10-10,k1,order,3000.00,
2026-11-10,k1,order,3000.00,
2026-06-01,m2,order,5000.00,
2026-08-20,m2,order,7000.00,
2026-11-01,s3,sample_request,,
2024-03-10,r4,order,5000.00,
2024-05-10,r4,order,5000.00,
2026-10-01,d5,call,,
2026-10-15,e6,call,,
";

fn book() -> Workspace {
    Workspace::new()
        .file("customers.csv", BOOK)
        .file("activities.csv", LOG)
}

fn scheme_prints(scheme: &str, rows: &str) {
    book()
        .run(["tier", "--scheme", scheme, "--format", "tsv"])
        .stdout(&format!("{HEADER}{rows}"))
        .stderr("")
        .code(0);
}

#[test]
fn scheme_abc() {
    // Metric: revenue, else the log's order total (r4: 10 000.00). Total 100 000.00.
    scheme_prints(
        "abc",
        "k1\tKite\tabc\tA\t60000.00\t60.00\t60.00\t1\n\
         m2\tMaple\tabc\tA\t30000.00\t30.00\t90.00\t2\n\
         r4\tReed\tabc\tB\t10000.00\t10.00\t100.00\t3\n\
         d5\tDune\tabc\tC\t0.00\t0.00\t100.00\t4\n\
         e6\tEcho\tabc\tC\t0.00\t0.00\t100.00\t5\n\
         s3\tSprout\tabc\tC\t0.00\t0.00\t100.00\t6\n",
    );
}

#[test]
fn scheme_pyramid() {
    // N = 6: rank 1 key (0 < 1 % of 6), rank 2 secondary, rank 3 ordinary, zeros small.
    scheme_prints(
        "pyramid",
        "k1\tKite\tpyramid\tkey\t60000.00\t\t\t1\n\
         m2\tMaple\tpyramid\tsecondary\t30000.00\t\t\t2\n\
         r4\tReed\tpyramid\tordinary\t10000.00\t\t\t3\n\
         d5\tDune\tpyramid\tsmall\t0.00\t\t\t4\n\
         e6\tEcho\tpyramid\tsmall\t0.00\t\t\t5\n\
         s3\tSprout\tpyramid\tsmall\t0.00\t\t\t6\n",
    );
}

#[test]
fn scheme_grade() {
    // k1, m2 ordered this year → A; s3 an open sample → B; r4 last ordered in 2024 but on the
    // red list → C; d5 contacted → D; e6 contacted but tight-fisted → E. Book order.
    scheme_prints(
        "grade",
        "k1\tKite\tgrade\tA\t\t\t\t\n\
         m2\tMaple\tgrade\tA\t\t\t\t\n\
         s3\tSprout\tgrade\tB\t\t\t\t\n\
         r4\tReed\tgrade\tC\t\t\t\t\n\
         d5\tDune\tgrade\tD\t\t\t\t\n\
         e6\tEcho\tgrade\tE\t\t\t\t\n",
    );
}

#[test]
fn scheme_key() {
    // k1: margin 25 % → 4, continuity 9 months → 5, ratings 5 4 4 5 3 4 4 5:
    //     15·¾ + 15 + 10 + 7.5 + 7.5 + 10 + 5·½ + 7.5 + 5·¾ + 10 = 85.0 of 100 → key.
    // m2: margin 4 % → 1, continuity 2 months → 2, six ratings (no culture, influence):
    //     (0 + 3.75 + 7.5·5 + 10) / 90 = 56.94 → 56.9 → potential key.
    // d5: no margin (revenue 0), continuity 1, six ratings: 7.5 / 75 = 10.0.
    // e6: every rating 1 → 0.0, a score all the same. r4, s3: under half the weight rated,
    // no score → regular. Ranked by score, then by id.
    scheme_prints(
        "key",
        "k1\tKite\tkey\tkey\t85.00\t\t\t1\n\
         m2\tMaple\tkey\tpotential_key\t56.90\t\t\t2\n\
         d5\tDune\tkey\tregular\t10.00\t\t\t3\n\
         e6\tEcho\tkey\tregular\t0.00\t\t\t4\n\
         r4\tReed\tkey\tregular\t\t\t\t5\n\
         s3\tSprout\tkey\tregular\t\t\t\t6\n",
    );
}

#[test]
fn scheme_value3() {
    // k1: loyalty 5 → 34, spending 27 000 in 12 months → 3 → 16.5, credit = payment 5 → 33.
    // m2: loyalty 4 → 25.5, spending 12 000 → 2 → 8.25, payment 4 → 24.75 = 58.5.
    // d5: loyalty 2 → 8.5, nothing spent, credit 5 → 33 = 41.5.
    scheme_prints(
        "value3",
        "k1\tKite\tvalue3\thigh\t83.50\t\t\t1\n\
         m2\tMaple\tvalue3\tmid\t58.50\t\t\t2\n\
         d5\tDune\tvalue3\tmid\t41.50\t\t\t3\n\
         e6\tEcho\tvalue3\tgeneral\t0.00\t\t\t4\n\
         r4\tReed\tvalue3\tgeneral\t0.00\t\t\t5\n\
         s3\tSprout\tvalue3\tgeneral\t0.00\t\t\t6\n",
    );
}

#[test]
fn scheme_rfm() {
    // Three customers have ordered (n = 3): score = 1 + ⌊5 · (strictly worse) / (n − 1)⌋,
    // at most 5. R: r4 (2024) 1, m2 (August) 3, k1 (November) 5. F: m2 and r4 tie at 2
    // orders → 1 each, k1 (9) 5. M: r4 10 000 → 1, m2 12 000 → 3, k1 27 000 → 5.
    // No order: no quintile, the prospects' own segment.
    scheme_prints(
        "rfm",
        "k1\tKite\trfm\tchampions\t555\t\t\t\n\
         m2\tMaple\trfm\tpromising\t313\t\t\t\n\
         s3\tSprout\trfm\tprospect\t\t\t\t\n\
         r4\tReed\trfm\tlost\t111\t\t\t\n\
         d5\tDune\trfm\tprospect\t\t\t\t\n\
         e6\tEcho\trfm\tprospect\t\t\t\t\n",
    );
}

#[test]
fn scheme_stars() {
    // Points when given, else one a ¥10 of revenue (else of the last 12 months' orders):
    // s3 85 000 points → 7-star; k1 ¥60 000 of revenue, 6 000 points, and m2 ¥30 000, 3 000
    // → 5-star (from 2 000); d5 exactly 500 → 4-star, e6 49 (< 50) and r4 (no revenue,
    // nothing this year) → quasi-star. Ranked by the metric.
    scheme_prints(
        "stars",
        "s3\tSprout\tstars\t7-star\t85000.00\t\t\t1\n\
         k1\tKite\tstars\t5-star\t6000.00\t\t\t2\n\
         m2\tMaple\tstars\t5-star\t3000.00\t\t\t3\n\
         d5\tDune\tstars\t4-star\t500.00\t\t\t4\n\
         e6\tEcho\tstars\tquasi-star\t49.00\t\t\t5\n\
         r4\tReed\tstars\tquasi-star\t0.00\t\t\t6\n",
    );
}

#[test]
fn rfm_quintiles_with_five_buyers() {
    // Five buyers, each strictly ordered on all three measures, so the scores run 1–5, and
    // one prospect who never ordered: no quintile, and the segment of its own (not "lost").
    Workspace::new()
        .file(
            "customers.csv",
            "id,name\nba,Best\nbb,Gone Quiet\nbc,Newcomer\nbd,Regular\nbe,Middling\nbf,Prospect\n",
        )
        .file(
            "activities.csv",
            "date,customer_id,kind,amount,note\n\
             2026-07-20,ba,order,1000.00,\n\
             2026-08-20,ba,order,1000.00,\n\
             2026-09-20,ba,order,1000.00,\n\
             2026-10-20,ba,order,1000.00,\n\
             2026-11-20,ba,order,1000.00,\n\
             2025-03-01,bb,order,900.00,\n\
             2025-04-01,bb,order,900.00,\n\
             2025-05-01,bb,order,900.00,\n\
             2025-06-01,bb,order,900.00,\n\
             2026-11-01,bc,order,500.00,\n\
             2026-07-01,bd,order,800.00,\n\
             2026-08-01,bd,order,800.00,\n\
             2026-09-01,bd,order,800.00,\n\
             2026-03-01,be,order,700.00,\n\
             2026-05-01,be,order,700.00,\n\
             2026-10-01,bf,call,,\n",
        )
        .run(["tier", "--scheme", "rfm"])
        .stdout(&format!(
            "{HEADER}\
             ba\tBest\trfm\tchampions\t555\t\t\t\n\
             bb\tGone Quiet\trfm\tcant_lose_them\t144\t\t\t\n\
             bc\tNewcomer\trfm\tnew\t411\t\t\t\n\
             bd\tRegular\trfm\tloyal\t333\t\t\t\n\
             be\tMiddling\trfm\tneed_attention\t222\t\t\t\n\
             bf\tProspect\trfm\tprospect\t\t\t\t\n"
        ))
        .stderr("")
        .code(0);
}

#[test]
fn a_scheme_of_the_users_own_works_without_code() {
    let shipped = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/tiers.toml"))
        .expect("read the shipped rules/tiers.toml");
    let ours = "
# Ours: revenue bands.
[scheme.revenue_band]
kind = \"thresholds\"
en = \"Revenue band\"
zh = \"营业额档次\"
metric = \"revenue\"
levels = [
  { id = \"gold\", min = 50000, en = \"Gold\", zh = \"金牌\" },
  { id = \"silver\", min = 30000, en = \"Silver\", zh = \"银牌\" },
  { id = \"bronze\", min = 0, en = \"Bronze\", zh = \"铜牌\" },
]
";
    let ws = book().file("rules/tiers.toml", shipped + ours);
    // m2 has exactly the silver minimum; no revenue at all → the last level, no metric.
    ws.run(["tier", "--scheme", "revenue_band"])
        .stdout(&format!(
            "{HEADER}\
             k1\tKite\trevenue_band\tgold\t60000.00\t\t\t1\n\
             m2\tMaple\trevenue_band\tsilver\t30000.00\t\t\t2\n\
             d5\tDune\trevenue_band\tbronze\t0.00\t\t\t3\n\
             e6\tEcho\trevenue_band\tbronze\t\t\t\t4\n\
             r4\tReed\trevenue_band\tbronze\t\t\t\t5\n\
             s3\tSprout\trevenue_band\tbronze\t\t\t\t6\n"
        ))
        .stderr("")
        .code(0);
    // Its labels in a table for people.
    ws.run([
        "--lang",
        "zh",
        "--format",
        "markdown",
        "tier",
        "--scheme",
        "revenue_band",
        "k1",
        "m2",
    ])
    .stdout(
        "| 编号 | 客户名称 | 方案 | 层级 | 指标 | 占比% | 累计占比% | 排名 |\n\
         | --- | --- | --- | --- | ---: | --- | --- | ---: |\n\
         | k1 | Kite | revenue_band | 金牌 | 60,000.00 |  |  | 1 |\n\
         | m2 | Maple | revenue_band | 银牌 | 30,000.00 |  |  | 2 |\n",
    )
    .stderr("")
    .code(0);
}

#[test]
fn tables_show_localized_labels_and_machine_formats_the_ids() {
    let ws = book();
    ws.run([
        "--lang", "zh", "--format", "table", "tier", "--scheme", "grade",
    ])
    .stdout(
        "┌──────┬──────────┬───────┬──────────┬──────┬───────┬───────────┬──────┐\n\
             │ 编号 ┆ 客户名称 ┆ 方案  ┆ 层级     ┆ 指标 ┆ 占比% ┆ 累计占比% ┆ 排名 │\n\
             ╞══════╪══════════╪═══════╪══════════╪══════╪═══════╪═══════════╪══════╡\n\
             │ k1   ┆ Kite     ┆ grade ┆ 订单客户 ┆      ┆       ┆           ┆      │\n\
             │ m2   ┆ Maple    ┆ grade ┆ 订单客户 ┆      ┆       ┆           ┆      │\n\
             │ s3   ┆ Sprout   ┆ grade ┆ 样单客户 ┆      ┆       ┆           ┆      │\n\
             │ r4   ┆ Reed     ┆ grade ┆ 重潜客户 ┆      ┆       ┆           ┆      │\n\
             │ d5   ┆ Dune     ┆ grade ┆ 普潜客户 ┆      ┆       ┆           ┆      │\n\
             │ e6   ┆ Echo     ┆ grade ┆ 无潜客户 ┆      ┆       ┆           ┆      │\n\
             └──────┴──────────┴───────┴──────────┴──────┴───────┴───────────┴──────┘\n",
    )
    .stderr("")
    .code(0);
    ws.run(["--format", "table", "tier", "k1", "d5"])
        .stdout(
            "┌────┬──────┬────────┬─────────────────────┬───────────┬─────────┬──────────────┬──────┐\n\
             │ ID ┆ Name ┆ Scheme ┆ Tier                ┆ Metric    ┆ Share % ┆ Cumulative % ┆ Rank │\n\
             ╞════╪══════╪════════╪═════════════════════╪═══════════╪═════════╪══════════════╪══════╡\n\
             │ k1 ┆ Kite ┆ abc    ┆ A: the vital few    ┆ 60,000.00 ┆   60.00 ┆        60.00 ┆    1 │\n\
             │ d5 ┆ Dune ┆ abc    ┆ C: the trivial many ┆      0.00 ┆    0.00 ┆       100.00 ┆    4 │\n\
             └────┴──────┴────────┴─────────────────────┴───────────┴─────────┴──────────────┴──────┘\n",
        )
        .stderr("")
        .code(0);
    ws.run([
        "--lang", "zh", "--format", "csv", "tier", "--scheme", "grade", "s3",
    ])
    .stdout("id,name,scheme,tier,metric,share,cumulative_share,rank\ns3,Sprout,grade,B,,,,\n")
    .stderr("")
    .code(0);
}

#[test]
fn an_unknown_scheme_or_id_is_a_usage_error() {
    let ws = book();
    ws.run(["tier", "--scheme", "platinum"])
        .stdout("")
        .stderr(
            "clientele: error: unknown tier scheme \"platinum\" \
             (known: abc, abc_profit, grade, key, pyramid, relationship, repeat, rfm, service_need, stars, tenure, value3)\n",
        )
        .code(2);
    ws.run(["tier", "k1", "x9"])
        .stdout("")
        .stderr("clientele: error: unknown customer id \"x9\" in customers.csv\n")
        .code(2);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // `clientele tier --format csv | head -1`: far more output than a pipe holds, and the
    // reader goes away after the first line. A closed pipe is not an error: exit 0, nothing on stderr.
    let mut book = String::from("id,name,revenue\n");
    for i in 1..=5000 {
        writeln!(book, "c{i:05},Customer number {i},{i}.00").expect("write to a string");
    }
    let ws = Workspace::new().file("customers.csv", book);
    for format in ["tsv", "csv"] {
        let mut child = ws
            .command(["tier", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start clientele");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut first)
            .expect("read the first line");
        let out = child.wait_with_output().expect("wait for clientele");
        assert!(first.starts_with("id"), "first line: {first:?}");
        assert_eq!(
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).as_ref()
            ),
            (Some(0), ""),
            "`tier --format {format}` with its reader gone"
        );
    }
}

#[test]
fn write_stores_the_tier_in_a_column_named_after_the_scheme() {
    let ws = Workspace::new().file(
        "customers.csv",
        "id,name,revenue\r\nb,\"Beta, Inc\",50.00\r\na,Alpha,100.00\r\nc,Gamma,\r\n",
    );
    let before = ws.snapshot();
    ws.run(["tier", "--write", "--dry-run"])
        .stdout(
            "id\tfield\tfrom\tto\treason\tapplied\n\
             a\tabc\t\tA\ttier abc\tfalse\n\
             b\tabc\t\tA\ttier abc\tfalse\n\
             c\tabc\t\tC\ttier abc\tfalse\n",
        )
        .stderr("")
        .code(0);
    ws.assert_unchanged(&before);
    ws.run(["tier", "--write"])
        .stdout(&format!(
            "{HEADER}\
             a\tAlpha\tabc\tA\t100.00\t66.67\t66.67\t1\n\
             b\tBeta, Inc\tabc\tA\t50.00\t33.33\t100.00\t2\n\
             c\tGamma\tabc\tC\t0.00\t0.00\t100.00\t3\n"
        ))
        .stderr("")
        .code(0);
    assert_eq!(
        std::fs::read_to_string(ws.path().join("customers.csv")).expect("read customers.csv"),
        "id,name,revenue,abc\r\nb,\"Beta, Inc\",50.00,A\r\na,Alpha,100.00,A\r\nc,Gamma,,C\r\n"
    );
    let after = ws.snapshot();
    ws.run(["tier", "--write", "--dry-run"])
        .stdout("")
        .stderr("")
        .code(0);
    ws.run(["tier", "--write"]).stderr("").code(0);
    ws.assert_unchanged(&after);
}
