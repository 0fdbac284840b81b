//! Reading the customer book and folding the activity log, through the library: every form,
//! encoding, delimiter and line ending must give exactly the customers written down here.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clientele::error::{Diagnostic, Error, Severity, Snippet};
use clientele::model::{Customer, Enumeration, Field, Flag, Rating};
use clientele::rules::Rules;
use clientele::store::{self, Book, Form, ReadOptions};

use crate::util::{Workspace, diff};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("a real date")
}

const PLAIN: ReadOptions<'static> = ReadOptions {
    columns: &[],
    encoding: None,
    keep_source: true,
    header_row: None,
    sheet: None,
    dates: clientele::model::value::DateStyle {
        order: None,
        system_1904: false,
    },
};

/// Reads a book with the default rules; the test fails on any problem.
fn read_clean(path: &Path, opts: ReadOptions<'_>) -> (Book, Rules) {
    let rules = Rules::load(None, None).expect("the embedded rules load");
    let (book, found) = store::read_book(path, &rules, opts).expect("the book reads");
    // Notes (a column no rule uses) are not problems.
    let problems: Vec<_> = found
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .collect();
    assert!(problems.is_empty(), "unexpected problems: {problems:#?}");
    (book, rules)
}

/// Every field a customer has that is not empty or zero, one per line, so a field read
/// wrongly, or read where nothing was written, shows up in the diff.
fn describe(book: &Book, rules: &Rules) -> String {
    let mut out = String::new();
    for c in &book.customers {
        writeln!(out, "{}", c.id).expect("write to a string");
        for (key, value) in fields(c, book, rules) {
            writeln!(out, "  {key}: {value}").expect("write to a string");
        }
    }
    out
}

/// A value as text; nothing for None (dates print as ISO dates).
fn show<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn fields(c: &Customer, book: &Book, rules: &Rules) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = Vec::new();
    let mut put = |key: &str, value: String| {
        if !value.is_empty() {
            f.push((key.to_string(), value));
        }
    };
    let num = |n: i64| show(Some(n).filter(|n| *n != 0));
    put("name", c.name.to_string());
    put("owner", c.owner.to_string());
    put("phone", c.detail(|r| &r.phone).to_string());
    put("email", c.detail(|r| &r.email).to_string());
    put("stage", show(c.stage.map(|s| s.id())));
    put("grade", show(c.grade.map(|g| g.id())));
    put("type", c.kind.to_string());
    // A set: listed by id, whatever order the vocabulary keeps.
    let mut traits: Vec<&str> = c.traits.iter().map(|i| rules.traits.id(i)).collect();
    traits.sort_unstable();
    put("traits", traits.join(", "));
    put("revenue", show(c.revenue));
    put("profit", show(c.profit));
    put("last_contact", show(c.last_contact));
    put("last_order", show(c.last_order));
    put("first_order", show(c.first_order));
    put("sample_requested", show(c.sample_requested));
    put("sample_received", show(c.sample_received));
    put("expected_purchase", show(c.expected_purchase));
    put("snooze_until", show(c.snooze_until));
    let birthday = c.birthday.map(|b| format!("{:02}-{:02}", b.month, b.day));
    put("birthday", show(birthday));
    if c.list != Default::default() {
        put("list", c.list.id().to_string());
    }
    for flag in Flag::ALL.into_iter().filter(|&fl| c.flag(fl)) {
        put(flag.name(), "yes".to_string());
    }
    for rating in Rating::ALL {
        put(rating.name(), show(c.rating(rating)));
    }
    put("points", show(c.points));
    put("order_count", num(c.order_count.into()));
    put("complaint_count", num(c.complaint_count.into()));
    put("contact_count", num(c.contact_count.into()));
    put("order_total", num(c.order_total));
    put("order_total_12m", num(c.order_total_12m));
    put("order_interval_days", show(c.order_interval_days));
    put("months_with_orders", num(c.months_with_orders.into()));
    for (column, value) in &c.extras {
        put(&book.extra_columns[*column], value.to_string());
    }
    f
}

fn assert_text(expected: &str, actual: &str) {
    assert!(
        expected == actual,
        "differs (- expected, + actual):\n{}",
        diff(expected, actual)
    );
}

fn origins(book: &Book) -> Vec<(PathBuf, u32)> {
    book.origins
        .iter()
        .map(|o| (o.path.to_path_buf(), o.line))
        .collect()
}

// --- One Chinese export in every encoding and line ending Excel produces ---

const CHINESE: &str = "\
客户编号,客户名称,负责人,阶段,等级,类型,特征,销售额,最后联系日期,备注
C001,华星贸易有限公司,王芳,意向客户,C级,理智型,有原则、比较考核,\"￥1,234.50\",2025年4月11日,老客户介绍
C002,宁波海港物流,张伟,正式客户,订单客户,主人翁型,老板,12.5万,2025/4/11 0:00,
";

const CHINESE_READ: &str = "\
C001
  name: 华星贸易有限公司
  owner: 王芳
  stage: intent
  grade: C
  type: rational
  traits: compares_suppliers, principled
  revenue: 123450
  last_contact: 2025-04-11
  备注: 老客户介绍
C002
  name: 宁波海港物流
  owner: 张伟
  stage: formal
  grade: A
  type: owner
  traits: business_owner
  revenue: 12500000
  last_contact: 2025-04-11
";

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, lossy) = encoding_rs::GBK.encode(text);
    assert!(!lossy, "the fixture must fit in GBK");
    bytes.into_owned()
}

/// Reads `CHINESE` as `encode` writes it with `line_ending`, forcing `forced` if given.
fn read_chinese(
    encode: fn(&str) -> Vec<u8>,
    line_ending: &str,
    forced: Option<&'static encoding_rs::Encoding>,
    want_encoding: (&str, bool),
) {
    let text = CHINESE.replace('\n', line_ending);
    let ws = Workspace::new().file("customers.csv", encode(&text));
    let path = ws.path().join("customers.csv");
    let opts = ReadOptions {
        columns: &[],
        encoding: forced,
        keep_source: true,
        ..ReadOptions::default()
    };
    let (book, rules) = read_clean(&path, opts);
    assert_text(CHINESE_READ, &describe(&book, &rules));
    assert_eq!(book.extra_columns, ["备注"]);
    let Form::Csv(source) = &book.form else {
        panic!("a CSV book reads as CSV");
    };
    assert_eq!(
        (
            source.encoding.encoding.name(),
            source.encoding.bom,
            source.line_ending,
            source.delimiter
        ),
        (want_encoding.0, want_encoding.1, line_ending, b','),
    );
    // Each record's own text, line ending excluded: what a minimal write-back keeps.
    let records: Vec<&str> = source
        .spans
        .iter()
        .map(|s| &source.text[s.clone()])
        .collect();
    assert_eq!(records, CHINESE.lines().skip(1).collect::<Vec<_>>());
    assert_eq!(origins(&book), [(path.clone(), 2), (path, 3)]);
}

fn utf8(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

fn utf8_with_bom(text: &str) -> Vec<u8> {
    [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()
}

#[test]
fn chinese_utf8_lf() {
    read_chinese(utf8, "\n", None, ("UTF-8", false));
}

#[test]
fn chinese_utf8_crlf() {
    read_chinese(utf8, "\r\n", None, ("UTF-8", false));
}

#[test]
fn chinese_utf8_bom_lf() {
    read_chinese(utf8_with_bom, "\n", None, ("UTF-8", true));
}

#[test]
fn chinese_utf8_bom_crlf() {
    read_chinese(utf8_with_bom, "\r\n", None, ("UTF-8", true));
}

#[test]
fn chinese_utf16le_bom_lf() {
    read_chinese(utf16le_with_bom, "\n", None, ("UTF-16LE", true));
}

#[test]
fn chinese_utf16le_bom_crlf() {
    read_chinese(utf16le_with_bom, "\r\n", None, ("UTF-16LE", true));
}

#[test]
fn chinese_gbk_lf() {
    read_chinese(gbk, "\n", None, ("GBK", false));
}

#[test]
fn chinese_gbk_crlf() {
    read_chinese(gbk, "\r\n", None, ("GBK", false));
}

#[test]
fn forced_encoding_reads_gbk_as_gbk() {
    let gbk_label = store::encoding::lookup("cp936");
    read_chinese(gbk, "\n", gbk_label, ("GBK", false));
}

#[test]
fn forced_encoding_is_not_second_guessed() {
    // GBK bytes forced as UTF-8: the first byte of 客 (0xBF 0xCD) is not UTF-8.
    let ws = Workspace::new().file("customers.csv", gbk(CHINESE));
    let rules = Rules::load(None, None).expect("the embedded rules load");
    let opts = ReadOptions {
        columns: &[],
        encoding: store::encoding::lookup("utf-8"),
        keep_source: true,
        ..ReadOptions::default()
    };
    let err = store::read_book(&ws.path().join("customers.csv"), &rules, opts)
        .expect_err("GBK bytes are not UTF-8");
    let Error::Data(diags) = err else {
        panic!("a decoding problem is a data error: {err}");
    };
    let got: Vec<(String, String)> = diags
        .iter()
        .map(|d| (d.location(), d.message.clone()))
        .collect();
    let path = ws.path().join("customers.csv").display().to_string();
    assert_eq!(
        got,
        [(
            format!("{path}:1:1"),
            "cannot decode the file: not valid UTF-8 (byte 0xBF)".to_string()
        )]
    );
}

// --- Other delimiters and forms ---

#[test]
fn semicolon_delimited() {
    let ws = Workspace::new().file(
        "customers.csv",
        "id;name;revenue;last_contact\nC001;Acme, Inc.;1,234.50;2025.4.11\nC002;Beta;$12;20250411\n",
    );
    let (book, rules) = read_clean(&ws.path().join("customers.csv"), PLAIN);
    assert_text(
        "\
C001
  name: Acme, Inc.
  revenue: 123450
  last_contact: 2025-04-11
C002
  name: Beta
  revenue: 1200
  last_contact: 2025-04-11
",
        &describe(&book, &rules),
    );
}

#[test]
fn tab_delimited() {
    let ws = Workspace::new().file(
        "customers.tsv",
        "id\tname\ttraits\tprofit\tbirthday\nC001\tAcme; Inc\t有原则，比较考核\t-12.30\t4月11日\n",
    );
    let (book, rules) = read_clean(&ws.path().join("customers.tsv"), PLAIN);
    assert_text(
        "\
C001
  name: Acme; Inc
  traits: compares_suppliers, principled
  profit: -1230
  birthday: 04-11
",
        &describe(&book, &rules),
    );
}

/// Old Mac spreadsheets save CSV with a CR alone after each line: every record is read,
/// and the commands answer on it (this book crashed the reader once).
#[test]
fn cr_line_ends_of_old_mac_exports() {
    let ws = Workspace::new().file(
        "customers.csv",
        "id,name,revenue\rC001,Acme,100\rC002,\"Beta\rTwo\",300\r\rC003,Gamma,200\r",
    );
    let (book, rules) = read_clean(&ws.path().join("customers.csv"), PLAIN);
    assert_text(
        "\
C001
  name: Acme
  revenue: 10000
C002
  name: Beta\rTwo
  revenue: 30000
C003
  name: Gamma
  revenue: 20000
",
        &describe(&book, &rules),
    );
    ws.run([
        "--today",
        "2026-11-22",
        "--format",
        "tsv",
        "tier",
        "--scheme",
        "abc",
    ])
    .code(0)
    .stdout(
        "id\tname\tscheme\ttier\tmetric\tshare\tcumulative_share\trank\n\
             C002\tBeta Two\tabc\tA\t300.00\t50.00\t50.00\t1\n\
             C003\tGamma\tabc\tA\t200.00\t33.33\t83.33\t2\n\
             C001\tAcme\tabc\tB\t100.00\t16.67\t100.00\t3\n",
    );
}

#[test]
fn toml_file_of_customer_tables() {
    let ws = Workspace::new().file(
        "customers.toml",
        r#"# Our key accounts.
[[customer]]
id = "C001"
name = "华星贸易"
owner = "王芳"
stage = "意向"
grade = "c"
type = "理智型"
traits = ["principled", "比较考核"]
revenue = 1234.5
profit = 200
last_contact = 2025-04-11
birthday = "4月11日"
list = "red"
contract_signed = true
price_agreed = "是"
loyalty = 4
points = 120
region = "华东"

[[customer]]
id = "C002"
name = "Blue River Foods"
revenue = "¥1,234.50"
snooze_until = "2026/12/1"
"#,
    );
    let path = ws.path().join("customers.toml");
    let (book, rules) = read_clean(&path, PLAIN);
    assert_text(
        "\
C001
  name: 华星贸易
  owner: 王芳
  stage: intent
  grade: C
  type: rational
  traits: compares_suppliers, principled
  revenue: 123450
  profit: 20000
  last_contact: 2025-04-11
  birthday: 04-11
  list: red
  price_agreed: yes
  contract_signed: yes
  loyalty: 4
  points: 120
  region: 华东
C002
  name: Blue River Foods
  revenue: 123450
  snooze_until: 2026-12-01
",
        &describe(&book, &rules),
    );
    assert_eq!(book.extra_columns, ["region"]);
    assert_eq!(origins(&book), [(path.clone(), 2), (path, 21)]);
}

#[test]
fn folder_of_customer_files() {
    let ws = Workspace::new()
        .file(
            "customers/C001.toml",
            "id = \"C001\"\nname = \"Acme\"\ngrade = \"B\"\nsample_requested = 2026-11-02\n",
        )
        .file(
            "customers/zeta.toml",
            "# no id: the file name is the id\nname = \"Zeta Trading\"\nlast_contact = \"2026年11月1日\"\nwechat = \"zeta_trade\"\n",
        )
        .file("customers/notes.txt", "not a customer");
    let dir = ws.path().join("customers");
    let (book, rules) = read_clean(&dir, PLAIN);
    assert_text(
        "\
C001
  name: Acme
  grade: B
  sample_requested: 2026-11-02
zeta
  name: Zeta Trading
  last_contact: 2026-11-01
  wechat: zeta_trade
",
        &describe(&book, &rules),
    );
    assert_eq!(
        origins(&book),
        [(dir.join("C001.toml"), 1), (dir.join("zeta.toml"), 1)]
    );
}

#[test]
fn columns_mapping_names_the_id_column() {
    let text = "识别码,客户名称,上次拜访\nK-7,远山包装,2026/11/3\n";
    let ws = Workspace::new().file("customers.csv", text);
    let path = ws.path().join("customers.csv");

    // 识别码 is no built-in alias: without the mapping there is no id column.
    let rules = Rules::load(None, None).expect("the embedded rules load");
    let err = store::read_book(&path, &rules, PLAIN).expect_err("no id column without the mapping");
    assert!(
        matches!(&err, Error::Data(d) if d.len() == 1 && d[0].message == "no id column: none of the first 10 rows names one"),
        "{err}"
    );

    let columns = [(Field::Id, "识别码".to_string())];
    let opts = ReadOptions {
        columns: &columns,
        encoding: None,
        keep_source: true,
        ..ReadOptions::default()
    };
    let (book, rules) = read_clean(&path, opts);
    assert_text(
        "\
K-7
  name: 远山包装
  last_contact: 2026-11-03
",
        &describe(&book, &rules),
    );
    assert!(book.extra_columns.is_empty());
}

// --- The activity log folded into the book ---

const LOG_BOOK: &str = "\
id,name,grade,last_contact,last_order
C001,Acme,A,2026-10-01,
C002,Beta,A,,
C003,Gamma,C,2026-11-20,2026-08-01
";

/// Rows in no particular order, as the log is kept; line numbers matter for the warning.
const LOG: &str = "\
date,customer_id,kind,amount,note
2026-07-09,C001,order,12.5万,big one
2025-11-20,C001,order,\"1,000.00\",first
2026-10-01,C002,order,100,
2026-03-10,C001,order,2000,
2026-11-05,C009,call,,who?
2026-05-09,C001,order,¥500.50,
2026-10-15,C001,call,,
2026-10-11,C002,order,100,
2026-11-01,C001,complaint,,late delivery
2026-06-01,C003,order,50,
2026-11-10,C001,sample_request,,
2026-10-26,C002,order,100.01,
2026-11-12,C001,sample_received,,
2026-12-01,C001,order,9999,next month
2026-11-22,C002,call,,
";

// By hand, with today 2026-11-22 (a year back is 2025-11-22, so 2025-11-20 is outside 12m):
// C001 orders 2025-11-20, 2026-03-10, 2026-05-09, 2026-07-09 (2026-12-01 is after today);
//   gaps 110, 60, 61 → median 61; total 1000 + 2000 + 500.50 + 125000 = 128500.50, of which
//   127500.50 in the last 12 months, in 3 months (Mar, May, Jul); touches: 4 orders + 1 call,
//   the latest 2026-10-15, later than the book's 2026-10-01.
// C002 orders 2026-10-01, -10-11, -10-26: gaps 10, 15 → median 12 (12.5 rounded down);
//   a call today counts.
// C003 one order (no interval); the book's dates are later than the log's and win,
//   except first_order, which takes the earlier.
const LOG_READ: &str = "\
C001
  name: Acme
  grade: A
  last_contact: 2026-10-15
  last_order: 2026-07-09
  first_order: 2025-11-20
  sample_requested: 2026-11-10
  sample_received: 2026-11-12
  order_count: 4
  complaint_count: 1
  contact_count: 5
  order_total: 12850050
  order_total_12m: 12750050
  order_interval_days: 61
  months_with_orders: 3
C002
  name: Beta
  grade: A
  last_contact: 2026-11-22
  last_order: 2026-10-26
  first_order: 2026-10-01
  order_count: 3
  contact_count: 4
  order_total: 30001
  order_total_12m: 30001
  order_interval_days: 12
  months_with_orders: 1
C003
  name: Gamma
  grade: C
  last_contact: 2026-11-20
  last_order: 2026-08-01
  first_order: 2026-06-01
  order_count: 1
  contact_count: 1
  order_total: 5000
  order_total_12m: 5000
  months_with_orders: 1
";

#[test]
fn log_folds_into_derived_fields() {
    let ws = Workspace::new()
        .file("customers.csv", LOG_BOOK)
        .file("activities.csv", LOG);
    let log = ws.path().join("activities.csv");
    let (mut book, rules) = read_clean(&ws.path().join("customers.csv"), PLAIN);
    let mut problems = Vec::new();
    let summary =
        store::log::fold(&log, &mut book, today(), None, &mut problems).expect("the log reads");
    assert_text(LOG_READ, &describe(&book, &rules));
    assert_eq!((summary.rows, summary.future_rows), (15, 1));
    assert_eq!(
        problems,
        [Diagnostic {
            severity: Severity::Warning,
            path: log.display().to_string(),
            line: 6,
            col: 12,
            message: "unknown customer \"C009\"".to_string(),
            snippet: Some(Box::new(Snippet {
                line_text: "2026-11-05,C009,call,,who?".to_string(),
                start: 11,
                len: 4,
            })),
            hint: None,
            cell: None,
            column: Some(Box::new((Some(1), "customer_id".to_string()))),
        }]
    );
}

#[test]
fn log_in_gbk_with_chinese_header_and_crlf() {
    let ws = Workspace::new()
        .file("customers.csv", "id,name\nC001,Acme\n")
        .file(
            "activities.csv",
            gbk("日期,客户编号,类型,金额,备注\r\n2026年11月1日,C001,订单,\"￥1,200.00\",首单\r\n2026/11/5 0:00,C001,电话,,回访\r\n"),
        );
    let (mut book, rules) = read_clean(&ws.path().join("customers.csv"), PLAIN);
    let mut problems = Vec::new();
    let summary = store::log::fold(
        &ws.path().join("activities.csv"),
        &mut book,
        today(),
        None,
        &mut problems,
    )
    .expect("the log reads");
    // Only the note `check` shows: the encoding it took.
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    let path = ws.path().join("activities.csv");
    assert_eq!(
        shown,
        [format!("clientele: note: {}: read as GBK", path.display())]
    );
    assert_eq!(summary.rows, 2);
    assert_text(
        "\
C001
  name: Acme
  last_contact: 2026-11-05
  last_order: 2026-11-01
  first_order: 2026-11-01
  order_count: 1
  contact_count: 2
  order_total: 120000
  order_total_12m: 120000
  months_with_orders: 1
",
        &describe(&book, &rules),
    );
}

#[test]
fn missing_log_is_an_empty_log() {
    let ws = Workspace::new().file(
        "customers.csv",
        "id,name,last_contact\nC001,Acme,2026-11-01\n",
    );
    let (mut book, rules) = read_clean(&ws.path().join("customers.csv"), PLAIN);
    let mut problems = Vec::new();
    let summary = store::log::fold(
        &ws.path().join("activities.csv"),
        &mut book,
        today(),
        None,
        &mut problems,
    )
    .expect("no log is fine");
    assert!(problems.is_empty(), "unexpected problems: {problems:#?}");
    assert_eq!((summary.rows, summary.future_rows), (0, 0));
    assert_text(
        "C001\n  name: Acme\n  last_contact: 2026-11-01\n",
        &describe(&book, &rules),
    );
}

/// The log finds its customers whatever shape the ids have: fixed-width numbers, numbers
/// without leading zeros (as a spreadsheet leaves them), other short ids, ids longer than
/// the id table holds in its slots. Ids near a customer's (one zero more or less, another
/// number, another case, one byte short) are no customer's, and are named as written.
#[test]
fn the_log_finds_customers_by_id_of_every_shape() {
    for [c1, c22, c3, near, other] in [
        ["C0000001", "C0000022", "C0000003", "C000001", "C0000004"],
        ["C1", "C22", "C3", "C01", "C4"],
        ["K-1a", "K-22a", "K-3a", "k-1a", "K-4a"],
        [
            "buyer.1@example.com",
            "buyer.22@example.com",
            "buyer.3@example.com",
            "buyer.1@example.co",
            "buyer.4@example.com",
        ],
    ] {
        let ws = Workspace::new()
            .file(
                "customers.csv",
                format!("id,name\n{c1},Acme\n{c22},Beta\n{c3},Gamma\n"),
            )
            .file(
                "activities.csv",
                format!(
                    "date,customer_id,kind,amount,note\n\
                     2026-11-01,{c22},order,100,\n\
                     2026-11-02,{near},call,,\n\
                     2026-11-03,{other},call,,\n\
                     2026-11-04,{c3},order,7.5,\n\
                     2026-11-05,{c22},order,50,\n"
                ),
            );
        ws.run([
            "--today",
            "2026-11-22",
            "--format",
            "tsv",
            "tier",
            "--scheme",
            "abc",
        ])
        .code(0)
        .stdout(&format!(
            "id\tname\tscheme\ttier\tmetric\tshare\tcumulative_share\trank\n\
                 {c22}\tBeta\tabc\tA\t150.00\t95.24\t95.24\t1\n\
                 {c3}\tGamma\tabc\tC\t7.50\t4.76\t100.00\t2\n\
                 {c1}\tAcme\tabc\tC\t0.00\t0.00\t100.00\t3\n"
        ));
        let warning = |line: usize, id: &str| {
            let text = format!("2026-11-0{},{id},call,,", line - 1);
            let carets = "^".repeat(id.len());
            format!(
                "clientele: warning: activities.csv:{line}:12: column B (customer_id): unknown customer \"{id}\"\n  \
                 |\n{line} | {text}\n  |            {carets}\n"
            )
        };
        ws.run(["--today", "2026-11-22", "check"])
            .code(1)
            .stderr(&format!(
                "{}{}clientele: check found 0 errors and 2 warnings\n",
                warning(3, near),
                warning(4, other)
            ));
    }
}
