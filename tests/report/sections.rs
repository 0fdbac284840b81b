//! One table at a time (`--section` with csv, tsv, json and table), the Chinese tables, the
//! usage errors, and the edges: empty stages, a tiny book, a Sunday, and lapsing customers
//! whose next follow-up is a greeting or a purchase date.

use super::book;
use crate::util::Workspace;

fn tsv(section: &str, extra: &[&str], expected: &str) {
    let mut args = vec!["report", "--format", "tsv", "--section", section];
    args.extend_from_slice(extra);
    book().run(args).stdout(expected).stderr("").code(0);
}

#[test]
fn tsv_stages() {
    tsv(
        "stages",
        &[],
        "stage\tcount\treached\tconversion\n\
         potential\t4\t11\t\n\
         trial\t2\t7\t63.64\n\
         intent\t2\t5\t71.43\n\
         quasi\t1\t3\t60.00\n\
         formal\t2\t2\t66.67\n",
    );
}

#[test]
fn tsv_grades() {
    tsv(
        "grades",
        &[],
        "grade\tcount\tshare\trevenue\trevenue_share\n\
         A\t2\t18.18\t586000.00\t60.16\n\
         B\t1\t9.09\t0.00\t0.00\n\
         C\t3\t27.27\t377946.17\t38.80\n\
         D\t3\t27.27\t10000.00\t1.03\n\
         E\t2\t18.18\t150.00\t0.02\n",
    );
}

#[test]
fn tsv_types() {
    // Every type of the set, the empty ones too; the unclassified last, with an empty key.
    tsv(
        "types",
        &[],
        "type\tcount\tshare\trevenue\trevenue_share\n\
         rational\t2\t18.18\t500000.00\t51.33\n\
         task\t1\t9.09\t320000.00\t32.85\n\
         greedy\t0\t0.00\t0.00\t0.00\n\
         owner\t1\t9.09\t86000.00\t8.83\n\
         credit_seeker\t1\t9.09\t0.00\t0.00\n\
         stingy\t1\t9.09\t150.00\t0.02\n\
         difficult\t1\t9.09\t8000.00\t0.82\n\
         relationship\t2\t18.18\t57946.17\t5.95\n\
         composite\t1\t9.09\t2000.00\t0.21\n\
         \t1\t9.09\t0.00\t0.00\n",
    );
}

#[test]
fn tsv_abc() {
    tsv(
        "abc",
        &[],
        "class\tcount\tshare\trevenue\trevenue_share\n\
         A\t2\t18.18\t820000.00\t84.18\n\
         B\t2\t18.18\t131600.50\t13.51\n\
         C\t7\t63.64\t22495.67\t2.31\n",
    );
}

#[test]
fn tsv_owners() {
    tsv(
        "owners",
        &[],
        "owner\tcustomers\tdue_today\toverdue\tlate\tnext_7_days\n\
         Li Wei\t4\t1\t2\t1\t0\n\
         王芳\t3\t1\t2\t1\t0\n\
         赵强\t4\t0\t2\t1\t1\n",
    );
}

#[test]
fn tsv_key_customers() {
    tsv(
        "key_customers",
        &[],
        "id\tname\towner\tscore\n\
         c04\tSummit Electronics\tLi Wei\t83.30\n\
         c01\t华星贸易\t王芳\t79.20\n",
    );
}

#[test]
fn tsv_lapsing() {
    tsv(
        "lapsing",
        &[],
        "id\tname\towner\texpected_order\n\
         c02\tBlue River Foods & Co\tLi Wei\t2026-08-31\n",
    );
}

#[test]
fn tsv_changes_since_a_date_and_without_one() {
    tsv(
        "changes",
        &["--since", "2026-11-02"],
        "date\tid\tkind\tnote\n\
         2026-11-02\tc04\tstage_change\tintent -> quasi; gate of quasi holds\n\
         2026-11-02\tc04\tgrade_change\tD -> C; important potential\n\
         2026-11-10\tc03\tstage_change\ttrial -> intent; forced: asked for a quote, \"urgent\"\n",
    );
    // Any date form the book accepts; a later date keeps only what is on or after it.
    tsv(
        "changes",
        &["--since", "2026年11月3日"],
        "date\tid\tkind\tnote\n\
         2026-11-10\tc03\tstage_change\ttrial -> intent; forced: asked for a quote, \"urgent\"\n",
    );
    tsv(
        "changes",
        &["--since", "2026-10-01"],
        "date\tid\tkind\tnote\n\
         2026-10-02\tc06\tstage_change\tpotential -> trial; gate of trial holds\n\
         2026-11-02\tc04\tstage_change\tintent -> quasi; gate of quasi holds\n\
         2026-11-02\tc04\tgrade_change\tD -> C; important potential\n\
         2026-11-10\tc03\tstage_change\ttrial -> intent; forced: asked for a quote, \"urgent\"\n",
    );
    // Without --since there are no changes to list: nothing at all, the header line when
    // asked for.
    tsv("changes", &[], "");
    tsv("changes", &["--header", "always"], "date\tid\tkind\tnote\n");
}

#[test]
fn csv_quotes_what_needs_quoting() {
    book()
        .run([
            "report",
            "--format",
            "csv",
            "--section",
            "changes",
            "--since",
            "2026-11-10",
        ])
        .stdout(
            "date,id,kind,note\n\
             2026-11-10,c03,stage_change,\"trial -> intent; forced: asked for a quote, \"\"urgent\"\"\"\n",
        )
        .stderr("")
        .code(0);
}

#[test]
fn json_with_a_section_prints_that_table_as_a_list() {
    book()
        .run(["report", "--format", "json", "--section", "owners"])
        .stdout(
            "[\n  \
             {\"owner\":\"Li Wei\",\"customers\":4,\"due_today\":1,\"overdue\":2,\"late\":1,\"next_7_days\":0},\n  \
             {\"owner\":\"王芳\",\"customers\":3,\"due_today\":1,\"overdue\":2,\"late\":1,\"next_7_days\":0},\n  \
             {\"owner\":\"赵强\",\"customers\":4,\"due_today\":0,\"overdue\":2,\"late\":1,\"next_7_days\":1}\n\
             ]\n",
        )
        .stderr("")
        .code(0);
}

#[test]
fn chinese_tables() {
    let ws = book();
    ws.run([
        "--lang",
        "zh",
        "report",
        "--format",
        "table",
        "--section",
        "stages",
    ])
    .stdout(
        "阶段漏斗
┌──────────┬────────┬──────┬─────────┐
│ 阶段     ┆ 客户数 ┆ 到达 ┆ 转化率% │
╞══════════╪════════╪══════╪═════════╡
│ 潜在客户 ┆      4 ┆   11 ┆         │
│ 试用客户 ┆      2 ┆    7 ┆   63.64 │
│ 意向客户 ┆      2 ┆    5 ┆   71.43 │
│ 准客户   ┆      1 ┆    3 ┆   60.00 │
│ 正式客户 ┆      2 ┆    2 ┆   66.67 │
└──────────┴────────┴──────┴─────────┘
",
    )
    .stderr("")
    .code(0);
    ws.run([
        "--lang",
        "zh",
        "report",
        "--format",
        "table",
        "--section",
        "abc",
    ])
    .stdout(
        "ABC分类（前20%客户占销售额93.01%；按利润，前20%客户占利润100.00%）
┌───────────────────────┬────────┬───────┬────────────┬─────────────┐
│ 类别                  ┆ 客户数 ┆ 占比% ┆ 销售额     ┆ 销售额占比% │
╞═══════════════════════╪════════╪═══════╪════════════╪═════════════╡
│ A类：关键少数         ┆      2 ┆ 18.18 ┆ 820,000.00 ┆       84.18 │
│ B类：有潜力，跟进重点 ┆      2 ┆ 18.18 ┆ 131,600.50 ┆       13.51 │
│ C类：琐碎多数         ┆      7 ┆ 63.64 ┆  22,495.67 ┆        2.31 │
└───────────────────────┴────────┴───────┴────────────┴─────────────┘
",
    )
    .stderr("")
    .code(0);
    // Machine formats keep English keys whatever the language.
    ws.run([
        "--lang",
        "zh",
        "report",
        "--format",
        "tsv",
        "--section",
        "stages",
    ])
    .stdout(
        "stage\tcount\treached\tconversion\n\
             potential\t4\t11\t\n\
             trial\t2\t7\t63.64\n\
             intent\t2\t5\t71.43\n\
             quasi\t1\t3\t60.00\n\
             formal\t2\t2\t66.67\n",
    )
    .code(0);
}

#[test]
fn usage_errors_exit_2() {
    let ws = book();
    let one_table = "clientele: error: --format csv/tsv prints one table: add --section \
                     stages|grades|types|abc|owners|key_customers|lapsing|complaints|relationship|lost_reasons|changes\n";
    for format in ["csv", "tsv"] {
        ws.run(["report", "--format", format])
            .stdout("")
            .stderr(one_table)
            .code(2);
    }
    ws.run(["report", "--format", "tsv", "--section", "funnel"])
        .stdout("")
        .stderr(
            "clientele: error: unknown section \"funnel\" (known: stages, grades, types, abc, \
             owners, key_customers, lapsing, complaints, relationship, lost_reasons, changes)\n",
        )
        .code(2);
    ws.run(["report", "--format", "json", "--since", "2026-13-01"])
        .stdout("")
        .stderr(
            "clientele: error: cannot read --since \"2026-13-01\": expected a date like \
             2025-04-11\n",
        )
        .code(2);
}

#[test]
fn empty_stages_and_a_book_of_fewer_than_five() {
    // Two prospects and nobody further: trial converts 0 of 2, and the stages after a stage
    // nobody reached have no conversion at all. A negative revenue counts as nothing.
    // floor(2/5) = 0 customers make the top 20 %: they hold 0 %.
    let ws = Workspace::new().file(
        "customers.csv",
        "id,name,owner,stage,revenue\n\
         n1,New Lead,Li Wei,potential,-25.00\n\
         n2,Old Lead,Li Wei,potential,300.00\n",
    );
    ws.run(["report", "--format", "tsv", "--section", "stages"])
        .stdout(
            "stage\tcount\treached\tconversion\n\
             potential\t2\t2\t\n\
             trial\t0\t0\t0.00\n\
             intent\t0\t0\t\n\
             quasi\t0\t0\t\n\
             formal\t0\t0\t\n",
        )
        .stderr("")
        .code(0);
    ws.run(["report", "--format", "tsv", "--section", "abc"])
        .stdout(
            "class\tcount\tshare\trevenue\trevenue_share\n\
             A\t1\t50.00\t300.00\t100.00\n\
             B\t0\t0.00\t0.00\t0.00\n\
             C\t1\t50.00\t0.00\t0.00\n",
        )
        .stderr("")
        .code(0);
    let json = ws.run(["report", "--format", "json"]).stdout_text();
    // ceil(2/5) = 1: the top customer of two holds all 300.00 of revenue.
    assert!(
        json.contains(r#""top20_share":100.00,"#),
        "top20_share of a book of two: {json}"
    );
    // Five customers: ceil(5/5) = 1, the best by revenue (not the first of the book),
    // holds 50.00 of 100.00.
    let five = Workspace::new().file(
        "customers.csv",
        "id,name,revenue\na1,A,5.00\na2,B,10.00\na3,C,50.00\na4,D,15.00\na5,E,20.00\n",
    );
    let json = five.run(["report", "--format", "json"]).stdout_text();
    assert!(
        json.contains(r#""top20_share":50.00,"#),
        "top20_share of a book of five: {json}"
    );
}

#[test]
fn on_a_sunday_a_follow_up_due_now_counts_for_monday_as_due_does() {
    // The default calendar: Sunday 2026-11-22 is no working day, so a customer never
    // contacted (its last_contact cell empty) is due on Monday, in the next 7 days and not
    // today; `due` agrees.
    let ws = Workspace::new().file(
        "customers.csv",
        "id,name,owner,stage,last_contact\nn1,New Lead,Li Wei,potential,\n",
    );
    ws.run(["report", "--format", "tsv", "--section", "owners"])
        .stdout(
            "owner\tcustomers\tdue_today\toverdue\tlate\tnext_7_days\n\
             Li Wei\t1\t0\t0\t0\t1\n",
        )
        .stderr("")
        .code(0);
    ws.run(["due", "--format", "tsv"])
        .stdout("")
        .stderr("")
        .code(0);
    ws.run(["due", "--within", "7d", "--format", "tsv"])
        .stdout(
            "due\toverdue_days\tid\tname\towner\tgrade\tstage\ttype\treason\treason_code\tstrategy\tlate\t\
             phone\temail\tcontact\tlast_contact\tlast_note\n\
             2026-11-23\t-1\tn1\tNew Lead\tLi Wei\tE\tpotential\t\tnever contacted\tfirst\t\tfalse\t\t\t\t\t\n",
        )
        .code(0);
}

#[test]
fn a_lapsing_customer_stays_listed_when_a_greeting_or_purchase_date_comes_first() {
    // Three A customers, each with one order on 08-01 (default interval 30 days: order
    // expected 08-31, lapsing from 09-30) and a call today. All three are new customers
    // (first order 113 days ago), so their order calls come every round(7 × 0.5) = 4 days
    // from the first, 08-12 (round(22 × 0.5) = 11 days after the order): the call of today
    // (102 days on) met the step of 11-20 (100 days on), so the next is 11-24. Birch's
    // birthday greeting is 11-25; Cedar's the week before the purchase it named for 12-01,
    // 11-24. All three are lapsing: which follow-up comes first does not change that.
    let mut log = String::from("date,customer_id,kind,amount,note\n");
    for id in ["a1", "a2", "a3"] {
        log.push_str(&format!(
            "2026-08-01,{id},order,100.00,\n2026-11-22,{id},call,,\n"
        ));
    }
    let ws = Workspace::new()
        .file(
            "customers.csv",
            "id,name,owner,grade,birthday,expected_purchase\n\
             a1,Alder,Li Wei,A,,\n\
             a2,Birch,Li Wei,A,11-25,\n\
             a3,Cedar,Li Wei,A,,2026-12-01\n",
        )
        .file("activities.csv", log);
    ws.run(["report", "--format", "tsv", "--section", "lapsing"])
        .stdout(
            "id\tname\towner\texpected_order\n\
             a1\tAlder\tLi Wei\t2026-08-31\n\
             a2\tBirch\tLi Wei\t2026-08-31\n\
             a3\tCedar\tLi Wei\t2026-08-31\n",
        )
        .stderr("")
        .code(0);
    // The workload still counts each customer once, at its earliest follow-up.
    ws.run(["report", "--format", "tsv", "--section", "owners"])
        .stdout(
            "owner\tcustomers\tdue_today\toverdue\tlate\tnext_7_days\n\
             Li Wei\t3\t0\t0\t0\t3\n",
        )
        .code(0);
}

#[test]
fn piped_without_a_format_the_report_is_markdown() {
    // `clientele report | less`: stdout is not a terminal, the default format there is tsv,
    // and the whole report is several tables: markdown, as documented, not an error.
    let out = book().run(["report"]);
    out.stderr("").code(0);
    let text = out.stdout_text();
    assert!(text.starts_with("## Stage funnel\n\n| Stage |"), "{text}");
    assert_eq!(
        text.matches("\n## ").count() + 1,
        book()
            .run(["report", "--format", "markdown"])
            .stdout_text()
            .matches("## ")
            .count()
    );
    // Asked for tsv, it is still one section at a time.
    book().run(["report", "--format", "tsv"]).stdout("").code(2);
}

#[test]
fn no_header_drops_the_header_line() {
    tsv(
        "abc",
        &["--no-header"],
        "A\t2\t18.18\t820000.00\t84.18\nB\t2\t18.18\t131600.50\t13.51\nC\t7\t63.64\t22495.67\t2.31\n",
    );
}

#[test]
fn html_to_standard_output_with_a_dash() {
    let ws = book();
    let before = ws.snapshot();
    let out = ws.run(["report", "--html", "-"]);
    out.stderr("").code(0);
    let page = out.stdout_text();
    assert!(page.starts_with("<!DOCTYPE html>\n"), "{}", &page[..80]);
    assert!(page.trim_end().ends_with("</html>"));
    // No file named "-" is written, nor anything else.
    ws.assert_unchanged(&before);
}
