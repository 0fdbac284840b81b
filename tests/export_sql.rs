//! `clientele export` and `clientele sql`: the exact bytes of the exported tables (the book's
//! own values before the log is folded in, typed; texts Excel would run made safe unless
//! `--raw`), schema.sql, and the shape of the SQL `sql` prints ("today" a literal). Their
//! refusals are in the error catalogue (`tests/errors/export_cmd_*`, `sql_cmd_*`); the rows
//! the SQL gives on real engines are the engine suite's.

use crate::util::Workspace;

/// A book with Chinese headers and values in the forms people type (`意向客户`, `A级`,
/// `￥1,234.50`, `2026/9/21`, `4月11日`, traits by Chinese name split on `、`, `是`), a name
/// Excel would run, and a log with a row that does not read (an unknown kind: skipped, as
/// every reading command skips it), notes Excel would run, and a row after today (kept: the
/// SQL leaves it out as clientele does).
fn book() -> Workspace {
    Workspace::new()
        .file(
            "customers.csv",
            "客户编号,客户名称,阶段,等级,销售额,最后联系,生日,特征,价格谈妥,利润率\n\
             KH1,=HYPERLINK(\"x\"),意向客户,A级,\"￥1,234.50\",2026/9/21,4月11日,压价、比较考核,是,4\n\
             KH2,Beta,,,,,,,,\n",
        )
        .file(
            "activities.csv",
            "date,customer_id,kind,amount,note\n\
             2026-11-02,KH1,order,\"1,000\",-2+3\n\
             2026-11-03,KH1,电话咨询,,unknown kind: skipped\n\
             2026-11-05,KH2,call,,@SUM(1+1)\n\
             2026-12-01,KH1,call,,after today: kept\n",
        )
}

const CUSTOMERS_HEADER: &str = "seq,id,name,owner,phone,email,contact,address,stage,grade,\
type,traits,revenue,profit,last_contact,last_order,first_order,sample_requested,\
sample_received,expected_purchase,snooze_until,next_contact,next_step,birthday,list,intent,\
trial_started,needs_confirmed,price_confirmed,price_agreed,scope_agreed,contract_sent,\
contract_returned,payment_started,contract_signed,margin,continuity,payment,fit,growth,\
loyalty,culture,strength,influence,long_term,spending,credit,points,decision_maker,gender,\
personality,needs,open_matters,family,education,background,interests,lifestyle,intent_reason\n";

/// KH1: the stage and grade by id, traits by id in the vocabulary's (id) order joined by
/// `;`, ¥1,234.50 as 1234.50, the book's own last contact (2026-09-21, not the log's
/// 2026-11-02 order: the log is its own table), the birthday as `MM-DD`, every gate flag
/// true/false (price_agreed, the 4th, true), the margin rating 4, an empty cell for every
/// value the book does not give (no intent, none of the ten profile fields and no intent
/// reason: eleven empty cells at the end). The name starts with `=`: by default it gets a `'`, and
/// the csv crate quotes it for its quotes.
fn customers(name: &str) -> String {
    format!(
        "{CUSTOMERS_HEADER}\
         1,KH1,{name},,,,,,intent,A,,compares_suppliers;presses_price,1234.50,,2026-09-21,\
         ,,,,,,,,04-11,normal,,false,false,false,true,false,false,false,false,false,4,,,,,,,,,,,,\
         ,,,,,,,,,,,\n\
         2,KH2,Beta,,,,,,,,,,,,,,,,,,,,,,normal,,false,false,false,false,false,false,false,false,\
         false,,,,,,,,,,,,,,,,,,,,,,,,\n"
    )
}

#[test]
fn export_writes_typed_tables_with_texts_made_safe_for_excel() {
    let ws = book();
    ws.run(["export", "out"])
        .stdout("")
        .stderr(
            "clientele: warning: activities.csv: 1 unreadable row skipped, see `clientele check`\n",
        )
        .code(0);
    let read = |name: &str| std::fs::read_to_string(ws.path().join("out").join(name)).unwrap();
    assert_eq!(
        read("customers.csv"),
        customers("\"'=HYPERLINK(\"\"x\"\")\"")
    );
    // The unreadable row has no number: seq counts the rows written. "1,000" is 1000.00.
    assert_eq!(
        read("activities.csv"),
        "seq,date,customer_id,kind,amount,note\n\
         1,2026-11-02,KH1,order,1000.00,'-2+3\n\
         2,2026-11-05,KH2,call,,'@SUM(1+1)\n\
         3,2026-12-01,KH1,call,,after today: kept\n"
    );
}

#[test]
fn export_raw_writes_every_text_exactly() {
    let ws = book();
    ws.run(["export", "out", "--raw", "-q"])
        .stdout("")
        .stderr("")
        .code(0);
    let read = |name: &str| std::fs::read_to_string(ws.path().join("out").join(name)).unwrap();
    assert_eq!(
        read("customers.csv"),
        customers("\"=HYPERLINK(\"\"x\"\")\"")
    );
    assert_eq!(
        read("activities.csv"),
        "seq,date,customer_id,kind,amount,note\n\
         1,2026-11-02,KH1,order,1000.00,-2+3\n\
         2,2026-11-05,KH2,call,,@SUM(1+1)\n\
         3,2026-12-01,KH1,call,,after today: kept\n"
    );
}

/// schema.sql's columns are the CSV headers' in order, typed; each dialect its own text
/// type and identifier quotes.
#[test]
fn schema_lists_the_columns_of_the_csv_files_in_order() {
    let ws = book();
    for (dialect, text, first) in [
        ("duckdb", "VARCHAR", "\"seq\" BIGINT"),
        ("postgres", "TEXT", "\"seq\" BIGINT"),
        ("spark", "STRING", "`seq` BIGINT"),
    ] {
        ws.run(["export", "out", "--dialect", dialect, "-q"])
            .code(0);
        let schema = std::fs::read_to_string(ws.path().join("out/schema.sql")).unwrap();
        let unquote = |s: &str| s.trim().trim_matches(['"', '`']).to_string();
        let columns = |table: &str| -> Vec<String> {
            let start = schema.find(&format!("CREATE TABLE {table} (\n")).unwrap();
            schema[start..]
                .lines()
                .skip(1)
                .take_while(|l| *l != ");")
                .map(|l| unquote(l.trim_end_matches(',').rsplit_once(' ').unwrap().0.trim()))
                .collect()
        };
        assert_eq!(
            columns("customers").join(",") + "\n",
            CUSTOMERS_HEADER.replace(['\n'], "") + "\n",
            "{dialect}"
        );
        assert_eq!(
            columns("activities").join(","),
            "seq,date,customer_id,kind,amount,note",
            "{dialect}"
        );
        assert!(
            schema.contains(&format!("    {first},\n")),
            "{dialect}: {schema}"
        );
        assert!(
            schema.contains(&format!("name {text},\n").replace(
                "name",
                &if dialect == "spark" {
                    "`name`".to_string()
                } else {
                    "\"name\"".to_string()
                }
            )),
            "{dialect}"
        );
        assert!(schema.contains("\"revenue\" DECIMAL(18,2),\n") || dialect == "spark");
        assert!(schema.contains("\"date\" DATE,\n") || dialect == "spark");
    }
}

/// One query, today a literal (the harness's 2026-11-22), never CURRENT_DATE; the tables
/// named as asked.
#[test]
fn sql_prints_one_query_with_today_as_a_literal() {
    let ws = book();
    let out = ws.run([
        "sql",
        "tier",
        "--scheme",
        "abc",
        "--customers-table",
        "crm.book",
        "--activities-table",
        "crm.log",
    ]);
    out.code(0).stderr("");
    let text = out.stdout_text();
    assert!(text.starts_with("WITH\nlog_rows AS (\n"), "{text}");
    assert!(text.ends_with("ORDER BY rnk;\n"), "{text}");
    assert_eq!(text.matches(";\n").count(), 1, "{text}");
    assert!(text.contains("WHERE date <= DATE '2026-11-22'"), "{text}");
    assert!(text.contains("FROM crm.log\n") && text.contains("FROM crm.book b\n"));
    assert!(!text.to_uppercase().contains("CURRENT_DATE"));
}

/// For Spark, the script sets one option of its session first (its optimizer's constraint
/// propagation, which otherwise never finishes planning `due`), then the one query; DuckDB
/// and PostgreSQL get the query alone.
#[test]
fn sql_for_spark_turns_off_constraint_propagation_first() {
    let ws = book();
    for job in [&["due"][..], &["tier", "--scheme", "abc"][..]] {
        let mut args = vec!["sql", "--dialect", "spark"];
        args.extend(job);
        let out = ws.run(&args);
        out.code(0).stderr("");
        let text = out.stdout_text();
        assert!(
            text.starts_with(
                "SET spark.sql.constraintPropagation.enabled = false;\nWITH\nlog_rows AS (\n"
            ),
            "{text}"
        );
        assert_eq!(text.matches(";\n").count(), 2, "{text}");
        for dialect in ["duckdb", "postgres"] {
            let mut args = vec!["sql", "--dialect", dialect];
            args.extend(job);
            let text = ws.run(&args).stdout_text();
            assert!(text.starts_with("WITH\nlog_rows AS (\n"), "{text}");
            assert_eq!(text.matches(";\n").count(), 1, "{text}");
        }
    }
}

/// `sql due` reads the activities table as named in each of its parts (the derived fields,
/// the last touch, the last complaint) and takes `due`'s own options: `--within 2w` from
/// 2026-11-22 lists what is due by 2026-12-06 (22 + 14). An option `due` refuses, `sql due`
/// refuses with the same words.
#[test]
fn sql_due_names_the_tables_and_takes_dues_options() {
    let ws = book();
    let out = ws.run([
        "sql",
        "due",
        "--within",
        "2w",
        "--activities-table",
        "crm.log",
    ]);
    out.code(0).stderr("");
    let text = out.stdout_text();
    assert_eq!(text.matches("FROM crm.log\n").count(), 3, "{text}");
    assert!(text.contains("WHERE s.due <= DATE '2026-12-06'"), "{text}");
    assert_eq!(text.matches(";\n").count(), 1, "{text}");
    let native = ws.run(["due", "--grade", "Z"]);
    native.code(2);
    ws.run(["sql", "due", "--grade", "Z"])
        .code(2)
        .stdout("")
        .stderr(&native.stderr_text());
}

/// `sql report` takes the report's `--section` and `--since`, and reads the activities
/// table as named: the changes from 2026-10-01 to today (2026-11-22).
#[test]
fn sql_report_takes_the_section_and_since() {
    let ws = book();
    let out = ws.run([
        "sql",
        "report",
        "--section",
        "changes",
        "--since",
        "2026-10-01",
        "--activities-table",
        "crm.log",
    ]);
    out.code(0).stderr("");
    let text = out.stdout_text();
    assert!(text.contains("FROM crm.log\n"), "{text}");
    assert!(
        text.contains("AND date >= DATE '2026-10-01' AND date <= DATE '2026-11-22')"),
        "{text}"
    );
    assert!(
        text.ends_with("ORDER BY date, customer_id, seq;\n"),
        "{text}"
    );
}

/// The report's complaints, relationships below target and reasons for not buying are
/// sections of `sql report` too, each one query ending in the report's order: owners
/// (bytewise), the book's order, the most given reason first.
#[test]
fn sql_report_compiles_complaints_relationship_and_lost_reasons() {
    let ws = book();
    for (section, end) in [
        ("complaints", "WHERE complaints > 0\nORDER BY owner;\n"),
        ("relationship", "WHERE lv > aim\nORDER BY seq;\n"),
        ("lost_reasons", "ORDER BY g.n DESC, g.reason;\n"),
    ] {
        let out = ws.run([
            "sql",
            "report",
            "--section",
            section,
            "--activities-table",
            "crm.log",
        ]);
        out.code(0).stderr("");
        let text = out.stdout_text();
        assert!(text.ends_with(end), "{section}: {text}");
        assert_eq!(text.matches(";\n").count(), 1, "{text}");
    }
    // The complaints read the log as named: the derived fields, the last touch, the last
    // complaint.
    let text = ws
        .run([
            "sql",
            "report",
            "--section",
            "complaints",
            "--activities-table",
            "crm.log",
        ])
        .stdout_text();
    assert_eq!(text.matches("FROM crm.log\n").count(), 3, "{text}");
    assert!(
        text.contains("CAST(CAST(open_ AS BIGINT) AS VARCHAR) AS \"open\""),
        "{text}"
    );
}
