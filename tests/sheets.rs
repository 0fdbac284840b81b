//! Sheets as Excel users keep them, read right or refused loudly: Chinese headers with units
//! in brackets, a title row above the header, a totals row below the customers, and cells
//! as Excel writes them (serial-number dates, a weekday after a date, accounting forms,
//! 亿, currency codes), saved in GBK by Excel on Chinese Windows, or as UTF-8 with a BOM.

use crate::util::Workspace;

/// The sheet of the report that found these faults: a title row, headers only the wider
/// aliases know (销售员, 最近联系时间, 销售额（元）), and a totals row.
const SHEET: &str = "\
2025年客户台账,,,,,
客户编号,客户名称,销售员,等级,最近联系时间,销售额（元）
KH001,华东精密,王芳,A级,2025/11/02,\"￥120,000.00\"
KH002,苏州恒通,李强,C级,45758,-
KH003,杭州佳禾,陈静,D级,2025年04月11日 星期五,\"(4,900.00)\"
KH004,宁波甬兴,王芳,B级,2025-04-11T00:00:00,1.2亿
KH005,厦门鹭岛,赵磊,E级,,\"RMB 1,234\"
合计,,,,,\"￥392,534.50\"
";

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "the sheet fits GBK");
    bytes.into_owned()
}

/// The same sheet as GBK with CRLF (Excel's 另存为 CSV on Chinese Windows), and as UTF-8
/// with a BOM and CRLF (Excel's "CSV UTF-8").
fn books() -> Vec<(&'static str, Vec<u8>)> {
    let crlf = SHEET.replace('\n', "\r\n");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(crlf.as_bytes());
    vec![("GBK", gbk(&crlf)), ("UTF-8 BOM", bom)]
}

#[test]
fn check_reads_the_sheet_and_says_what_it_skipped() {
    for (form, bytes) in books() {
        // The encoding check took is said when it is not UTF-8.
        let encoding = match form {
            "GBK" => "clientele: note: customers.csv: read as GBK\n",
            _ => "",
        };
        Workspace::new()
            .file("customers.csv", bytes)
            .run(["check"])
            .stderr(&format!(
                "{encoding}\
                 clientele: note: customers.csv:1:1: a row above the header (a title or a note): skipped\n\
                 clientele: note: customers.csv:8:1: a totals row (合计), not a customer: skipped\n",
            ))
            .stdout("ok: 5 customers, 0 activities, 9 rule files (0 from the workspace)\n")
            .code(0);
    }
}

/// The ABC classes by the revenue the cells hold. Hand-worked: KH004 1.2亿 = 120,000,000.00;
/// KH001 ￥120,000.00; KH005 RMB 1,234 = 1,234.00; KH002 `-` = 0; KH003 (4,900.00) =
/// -4,900.00. The positive total is 120,121,234.00: KH004 holds 99.899% (A: nothing before
/// it), KH001 0.0999% (cumulative 99.999%, C: 99.899% before it is past B's 95%), KH005
/// 0.001%; the zero and the negative share the last class, ranked by id. The totals row is
/// no customer (its ￥392,534.50 would have been A).
#[test]
fn tier_ranks_the_revenue_the_cells_hold() {
    for (form, bytes) in books() {
        let out = Workspace::new()
            .file("customers.csv", bytes)
            .run(["tier", "--format", "tsv"]);
        out.stdout(
            "id\tname\tscheme\ttier\tmetric\tshare\tcumulative_share\trank\n\
             KH004\t宁波甬兴\tabc\tA\t120000000.00\t99.90\t99.90\t1\n\
             KH001\t华东精密\tabc\tC\t120000.00\t0.10\t100.00\t2\n\
             KH005\t厦门鹭岛\tabc\tC\t1234.00\t0.00\t100.00\t3\n\
             KH002\t苏州恒通\tabc\tC\t0.00\t0.00\t100.00\t4\n\
             KH003\t杭州佳禾\tabc\tC\t-4900.00\t0.00\t100.00\t5\n",
        )
        .stderr("")
        .code(0);
        let _ = form;
    }
}

/// Owners and last contacts read through the wider aliases, each date form: today Monday
/// 2026-11-23. KH002 C, 45758 = 2025-04-11, + 2 months = Wed 2025-06-11. KH003 D, 2025-04-11
/// (a Friday, as written), + 3 months = Fri 2025-07-11. KH004 B with no sample: C's cadence,
/// 2025-04-11 + 2 months = 2025-06-11. KH005 E, never contacted: due today. KH001 A with no
/// orders: the expected order 30 days after its last contact 2025-11-02 is 2025-12-02, due
/// 8 days before (a quarter of 30, rounded): Mon 2025-11-24.
#[test]
fn due_uses_the_owners_and_dates_the_cells_hold() {
    for (form, bytes) in books() {
        let out = Workspace::new()
            .file("customers.csv", bytes)
            .env("CLIENTELE_TODAY", "2026-11-23")
            .run(["due", "--format", "tsv"]);
        let rows: Vec<String> = out
            .stdout_text()
            .lines()
            .skip(1)
            .map(|line| {
                let f: Vec<&str> = line.split('\t').collect();
                [f[0], f[2], f[4], f[5], f[8]].join(" ")
            })
            .collect();
        assert_eq!(
            rows,
            [
                "2025-11-24 KH001 王芳 A A expected order 2025-12-02",
                "2025-06-11 KH004 王芳 B C every 2 months",
                "2025-06-11 KH002 李强 C C every 2 months",
                "2025-07-11 KH003 陈静 D D every 3 months",
                "2026-11-23 KH005 赵磊 E never contacted",
            ],
            "{form}"
        );
        out.stderr("").code(0);
    }
}

/// A column no field takes is listed by `check`, with the field it is most like.
#[test]
fn check_names_the_field_an_unused_column_is_like() {
    Workspace::new()
        .file(
            "customers.csv",
            "客户编号,客户名称,最后一次联系,备注\nKH001,华东精密,2025/11/02,月底下单\n",
        )
        .run(["check"])
        .stderr(
            "clientele: note: customers.csv:1:11: column \"最后一次联系\" is not used; did you mean last_contact? map it with `[columns] last_contact = \"最后一次联系\"` in clientele.toml\n\
             clientele: note: customers.csv:1:18: column \"备注\" is not used by any rule; it is kept as it is\n",
        )
        .stdout("ok: 1 customer, 0 activities, 9 rule files (0 from the workspace)\n")
        .code(0);
}

/// A unit in a money column's header scales every amount of it: 12.5 in 金额(万元) is
/// 125,000.00.
#[test]
fn a_unit_in_the_header_scales_the_column() {
    Workspace::new()
        .file(
            "customers.csv",
            "编号,名称,金额(万元)\nK1,甲,12.5\nK2,乙,0.0001\n",
        )
        .run(["tier", "--format", "tsv"])
        .stdout(
            "id\tname\tscheme\ttier\tmetric\tshare\tcumulative_share\trank\n\
             K1\t甲\tabc\tA\t125000.00\t100.00\t100.00\t1\n\
             K2\t乙\tabc\tC\t1.00\t0.00\t100.00\t2\n",
        )
        .code(0);
}

/// When no column gives what a command needs, and the log does not either, the command says
/// so once instead of answering as if every value were empty.
#[test]
fn a_command_says_when_no_column_gives_what_it_needs() {
    let ws = Workspace::new().file("customers.csv", "id,name,grade\nK1,Acme,C\n");
    ws.run(["due", "--format", "tsv"])
        .stderr("clientele: warning: no customer has a last contact: no column holds last_contact (last_contact, 最后联系, 上次联系, 最后联系日期, …) and the log records no touch, so every customer is due as never contacted\n")
        .code(0);
    ws.run(["tier", "--format", "tsv"])
        .stderr("clientele: warning: no customer has a value above zero for the abc scheme's metric `has(revenue) ? revenue : order_total`: no column holds it or its cells are empty or zero, and the log does not provide it; every customer falls in the last tier\n")
        .code(0);
    ws.run(["report", "--format", "json"])
        .stderr("clientele: warning: no customer has revenue: no column holds revenue (revenue, 销售额, 营业额, 金额, …) and the log records no order, so every revenue figure is 0\n")
        .code(0);
    // With a last contact in the log, due is quiet.
    Workspace::new()
        .file("customers.csv", "id,name,grade\nK1,Acme,C\n")
        .file(
            "activities.csv",
            "date,customer_id,kind,amount,note\n2026-09-01,K1,call,,\n",
        )
        .run(["due", "--format", "tsv"])
        .stderr("")
        .code(0);
}

/// A log made beside a GBK sheet with Chinese headers is a GBK, CRLF log with Chinese
/// headers and kind names; rows appended to a log follow the log's own spelling (Chinese
/// kinds, dates as `2026/11/2`).
#[test]
fn a_log_is_written_as_its_book_and_its_own_rows_are() {
    let ws = Workspace::new().file("customers.csv", books().remove(0).1);
    ws.run(["log", "KH001", "call", "--note", "报价"])
        .stderr("")
        .code(0);
    let want = gbk("日期,客户编号,类型,金额,备注\r\n2026-11-22,KH001,电话,,报价\r\n");
    assert_eq!(
        std::fs::read(ws.path().join("activities.csv")).unwrap(),
        want
    );

    let ws = Workspace::new()
        .file("customers.csv", "id,name\nK1,Acme\n")
        .file(
            "activities.csv",
            "date,customer_id,kind,amount,note\n2026/11/2,K1,订单,\"1,200.00\",\n",
        );
    ws.run(["log", "K1", "visit", "--date", "2026-11-09"])
        .stderr("")
        .code(0);
    assert_eq!(
        std::fs::read_to_string(ws.path().join("activities.csv")).unwrap(),
        "date,customer_id,kind,amount,note\n2026/11/2,K1,订单,\"1,200.00\",\n2026/11/9,K1,拜访,,\n"
    );
}
