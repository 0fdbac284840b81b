//! The commands that need no customer data to speak of — init, check, rules, completions —
//! and what every command shares: workspace discovery, global options, output formats,
//! colour and a closed pipe.

use std::process::Stdio;

use crate::util::Workspace;

/// The embedded rule files as shipped, by name.
const SHIPPED: [(&str, &str); 9] = [
    ("traits", include_str!("../rules/traits.toml")),
    ("types", include_str!("../rules/types.toml")),
    (
        "types-personality",
        include_str!("../rules/types-personality.toml"),
    ),
    ("types-buying", include_str!("../rules/types-buying.toml")),
    ("stages", include_str!("../rules/stages.toml")),
    ("cadence", include_str!("../rules/cadence.toml")),
    ("tiers", include_str!("../rules/tiers.toml")),
    ("holidays", include_str!("../rules/holidays.toml")),
    ("handling", include_str!("../rules/handling.toml")),
];

/// A complete cadence that differs from the shipped one (C every month).
const MY_CADENCE: &str = r#"# Our own cadence: C customers every month.
[grade.A]
rhythm = "order"
default_interval_days = 30
lead_ratio = 0.25
lead_min_days = 3
lead_max_days = 21
repeat_days = 7
lapse_factor = 2

[grade.B]
sequences = [{ anchor = "sample_requested", gaps = [1, 1, 2] }]
then = "C"

[grade.C]
every = "1m"

[grade.D]
every = "3m"

[grade.E]
every = "6m"

[late]
factor = 2

[purchase_intent]
lead_days = 7

[greetings]
birthday_lead_days = 0
"#;

const TWO_CUSTOMERS: &str = "id,name\nC001,Acme\nC002,Beta\n";

// --- init ---

const INIT_FILES: [&str; 14] = [
    ".gitattributes",
    ".gitignore",
    "activities.csv",
    "clientele.toml",
    "customers.csv",
    "rules/cadence.toml",
    "rules/handling.toml",
    "rules/holidays.toml",
    "rules/stages.toml",
    "rules/tiers.toml",
    "rules/traits.toml",
    "rules/types-buying.toml",
    "rules/types-personality.toml",
    "rules/types.toml",
];

#[test]
fn init_creates_exactly_the_listed_files() {
    let ws = Workspace::new();
    ws.run(["init"])
        .stdout(
            "\
created a clientele workspace in .:
  ./clientele.toml
  ./rules/traits.toml
  ./rules/types.toml
  ./rules/types-personality.toml
  ./rules/types-buying.toml
  ./rules/stages.toml
  ./rules/cadence.toml
  ./rules/tiers.toml
  ./rules/holidays.toml
  ./rules/handling.toml
  ./.gitignore
  ./.gitattributes
  ./customers.csv
  ./activities.csv
try: clientele -C . due
",
        )
        .stderr("")
        .code(0);
    let files = ws.snapshot();
    let names: Vec<String> = files.keys().map(|p| p.display().to_string()).collect();
    assert_eq!(names, INIT_FILES);
    for (name, text) in SHIPPED {
        let written = &files[&std::path::PathBuf::from(format!("rules/{name}.toml"))];
        assert!(
            written == text.as_bytes(),
            "rules/{name}.toml is not the shipped file"
        );
    }
}

#[test]
fn init_into_a_folder_then_check() {
    let ws = Workspace::new();
    ws.run(["init", "book"]).stderr("").code(0);
    ws.run(["-C", "book", "check"])
        .stdout("ok: 10 customers, 26 activities, 9 rule files (9 from the workspace)\n")
        .stderr("")
        .code(0);
}

#[test]
fn init_then_check() {
    let ws = Workspace::new();
    ws.run(["init"]).code(0);
    ws.run(["check"])
        .stdout("ok: 10 customers, 26 activities, 9 rule files (9 from the workspace)\n")
        .stderr("")
        .code(0);
}

/// In a folder that already holds a book (and a rule file of its own), init writes the
/// workspace around them and keeps them: the config names the book, and says lang = "zh" for
/// a book of Chinese headers; no sample book or log is written.
#[test]
fn init_around_an_existing_book_keeps_it() {
    let book = "\u{feff}客户编号,客户名称\r\nKH1,华东精密\r\n";
    let ws = Workspace::new()
        .file("rules/cadence.toml", MY_CADENCE)
        .file("customers.csv", book);
    ws.run(["init"])
        .stdout(
            "\
created a clientele workspace in .:
  ./clientele.toml
  ./rules/traits.toml
  ./rules/types.toml
  ./rules/types-personality.toml
  ./rules/types-buying.toml
  ./rules/stages.toml
  ./rules/tiers.toml
  ./rules/holidays.toml
  ./rules/handling.toml
  ./.gitignore
  ./.gitattributes
kept what was there:
  ./rules/cadence.toml
  ./customers.csv
try: clientele -C . due
",
        )
        .stderr("")
        .code(0);
    let read = |name: &str| std::fs::read_to_string(ws.path().join(name)).expect(name);
    assert_eq!(read("customers.csv"), book);
    assert_eq!(read("rules/cadence.toml"), MY_CADENCE);
    assert!(!ws.path().join("activities.csv").exists());
    let config = read("clientele.toml");
    assert!(
        config.contains("\ncustomers  = \"customers.csv\"   # a CSV file"),
        "{config}"
    );
    assert!(
        config.contains("\nlang       = \"zh\"              # labels"),
        "{config}"
    );
    assert_eq!(
        read(".gitattributes"),
        "# the activity log is append-only and in no particular order: two clones that both logged\n\
         # merge by keeping both sides' rows, without a conflict\n\
         activities.csv merge=union\n"
    );
    ws.run(["check"])
        // The book's headers are Chinese, so init set lang = "zh": check speaks Chinese.
        .stdout("正常：1 位客户，0 条活动记录，9 个规则文件（工作区 9 个）\n")
        .code(0);

    // A workbook book is named as it is; a second init keeps everything.
    let ws = Workspace::new().file("customers.xlsx", b"not read by init");
    ws.run(["init"]).stderr("").code(0);
    assert!(
        std::fs::read_to_string(ws.path().join("clientele.toml"))
            .unwrap()
            .contains("\ncustomers  = \"customers.xlsx\"  # a CSV file")
    );
    let before = ws.snapshot();
    let again = ws.run(["init"]);
    again.stderr("").code(0);
    assert!(again.stdout_text().starts_with(
        "created a clientele workspace in .:\nkept what was there:\n  ./clientele.toml\n"
    ));
    ws.assert_unchanged(&before);
}

// --- check and the workspace ---

#[test]
fn check_summary_counts_in_singular() {
    Workspace::new()
        .file("customers.csv", "id,name\nC001,Acme\n")
        .file(
            "activities.csv",
            "date,customer_id,kind,amount,note\n2026-11-01,C001,call,,\n",
        )
        .file("rules/cadence.toml", MY_CADENCE)
        .run(["check"])
        .stdout("ok: 1 customer, 1 activity, 9 rule files (1 from the workspace)\n")
        .stderr("")
        .code(0);
}

#[test]
fn check_without_a_book() {
    Workspace::new()
        .run(["check"])
        .stdout("")
        .stderr(
            "clientele: error: no customer book at customers.csv (create one with `clientele init`, or point to it with --customers or `customers` in clientele.toml)\n",
        )
        .code(2);
}

#[test]
fn workspace_found_from_a_subfolder() {
    let ws = Workspace::new()
        .file("clientele.toml", "customers = \"book/customers.csv\"\n")
        .file("book/customers.csv", TWO_CUSTOMERS)
        .file("rules/cadence.toml", MY_CADENCE)
        .file("notes/2026/11/visit.txt", "met the buyer");
    ws.run_in("notes/2026/11", ["check"])
        .stdout("ok: 2 customers, 0 activities, 9 rule files (1 from the workspace)\n")
        .stderr("")
        .code(0);
    // The same config also rules in the folder holding it.
    ws.run_in("book", ["rules", "cadence"])
        .stdout(MY_CADENCE)
        .code(0);
}

#[test]
fn dash_c_starts_the_search_elsewhere() {
    let ws = Workspace::new()
        .file("customers.csv", "id,name,stage\nC001,Acme,nope\n")
        .file("books/clientele.toml", "customers = \"book.csv\"\n")
        .file("books/book.csv", TWO_CUSTOMERS);
    let ok = "ok: 2 customers, 0 activities, 9 rule files (0 from the workspace)\n";
    ws.run(["-C", "books", "check"]).stdout(ok).code(0);
    ws.run(["check", "-C", "books"]).stdout(ok).code(0);
    // Without -C the broken book next to it is the one read.
    ws.run(["check"]).code(1);
    ws.run(["-C", "nowhere", "check"])
        .stdout("")
        .stderr("clientele: error: nowhere: No such file or directory (os error 2)\n")
        .code(2);
}

#[test]
fn global_options_after_the_subcommand() {
    let ws = Workspace::new()
        .file("customers.csv", "id,name,stage\nC001,Acme,nope\n")
        .file("other.csv", TWO_CUSTOMERS)
        .file(
            "log/touches.csv",
            "date,customer_id,kind,amount,note\n2026-11-01,C002,visit,,\n2026-11-02,C001,call,,\n",
        )
        .file("my-rules/cadence.toml", MY_CADENCE);
    ws.run(["check"]).code(1);
    ws.run([
        "check",
        "--customers",
        "other.csv",
        "--activities",
        "log/touches.csv",
        "--rules",
        "my-rules",
        "--today",
        "2026年11月22日",
    ])
    .stdout("ok: 2 customers, 2 activities, 9 rule files (1 from the workspace)\n")
    .stderr("")
    .code(0);
}

/// `--today` is read by the command line's parser, once: its error reads as every other
/// usage error does.
#[test]
fn bad_today_is_a_usage_error() {
    let ws = Workspace::new().file("customers.csv", TWO_CUSTOMERS);
    ws.run(["check", "--today", "2026-02-30"])
        .stdout("")
        .stderr("clientele: error: invalid value '2026-02-30' for '--today <DATE>': expected a date like 2025-04-11\n\nFor more information, try '--help'.\n")
        .code(2);
    Workspace::new()
        .file("customers.csv", TWO_CUSTOMERS)
        .env("CLIENTELE_TODAY", "someday")
        .run(["rules"])
        .stdout("")
        .stderr(
            "clientele: error: invalid value 'someday' for '--today <DATE>': expected a date like 2025-04-11\n\nFor more information, try '--help'.\n",
        )
        .code(2);
}

#[test]
fn unknown_encoding_is_a_usage_error() {
    Workspace::new()
        .file("customers.csv", TWO_CUSTOMERS)
        .run(["check", "--encoding", "klingon"])
        .stdout("")
        .stderr("clientele: error: unknown encoding \"klingon\"\n")
        .code(2);
}

// --- rules ---

#[test]
fn rules_prints_each_shipped_file_byte_for_byte() {
    let ws = Workspace::new();
    for (name, text) in SHIPPED {
        ws.run(["rules", name]).stdout(text).stderr("").code(0);
    }
    ws.run(["rules", "types.toml"]).stdout(SHIPPED[1].1).code(0);
}

#[test]
fn rules_prints_the_workspace_override() {
    let ws = Workspace::new().file("rules/cadence.toml", MY_CADENCE);
    ws.run(["rules", "cadence"])
        .stdout(MY_CADENCE)
        .stderr("")
        .code(0);
    // The other files still come from the defaults.
    ws.run(["rules", "stages"]).stdout(SHIPPED[4].1).code(0);
}

#[test]
fn rules_needs_no_customer_book() {
    Workspace::new()
        .file("customers.csv", "id,name,stage\nC001,Acme,nope\n")
        .file(
            "activities.csv",
            "date,customer_id,kind\nnever,C001,lunch\n",
        )
        .run(["rules", "stages"])
        .stdout(SHIPPED[4].1)
        .stderr("")
        .code(0);
}

#[test]
fn rules_unknown_name() {
    Workspace::new()
        .run(["rules", "nope"])
        .stdout("")
        .stderr("clientele: error: unknown rule file \"nope\" (known: traits, types, types-personality, types-buying, stages, cadence, tiers, holidays, handling)\n")
        .code(2);
}

/// A workspace whose rules list has one override, so both sources and a path show.
fn one_override() -> Workspace {
    Workspace::new().file("rules/cadence.toml", MY_CADENCE)
}

#[test]
fn rules_list_as_csv() {
    one_override()
        .run(["rules", "--format", "csv"])
        .stdout(
            r#"name,source,path,content
traits,built-in,,72 traits
types,built-in,,"nine: rational, task, greedy, owner, credit_seeker, stingy, difficult, relationship, composite"
types-personality,built-in,,"personality: analytical, relational, dominant, friendly, picky, mixed"
types-buying,built-in,,"buying: hesitant, complaining, arrogant_picky, haggling, never_says_no, show_off, seasoned, comparison_shopper, next_time, mixed"
stages,built-in,,potential → trial → intent → quasi → formal
cadence,workspace,rules/cadence.toml,grades 5
tiers,built-in,,"abc, abc_profit, grade, key, pyramid, relationship, repeat, rfm, service_need, stars, tenure, value3"
holidays,built-in,,"2025, 2026"
handling,built-in,,"4 intents; complaints seek vent, respect, compensation"
"#,
        )
        .stderr("")
        .code(0);
}

const RULES_TSV: &str = "\
name\tsource\tpath\tcontent
traits\tbuilt-in\t\t72 traits
types\tbuilt-in\t\tnine: rational, task, greedy, owner, credit_seeker, stingy, difficult, relationship, composite
types-personality\tbuilt-in\t\tpersonality: analytical, relational, dominant, friendly, picky, mixed
types-buying\tbuilt-in\t\tbuying: hesitant, complaining, arrogant_picky, haggling, never_says_no, show_off, seasoned, comparison_shopper, next_time, mixed
stages\tbuilt-in\t\tpotential → trial → intent → quasi → formal
cadence\tworkspace\trules/cadence.toml\tgrades 5
tiers\tbuilt-in\t\tabc, abc_profit, grade, key, pyramid, relationship, repeat, rfm, service_need, stars, tenure, value3
holidays\tbuilt-in\t\t2025, 2026
handling\tbuilt-in\t\t4 intents; complaints seek vent, respect, compensation
";

#[test]
fn rules_list_as_tsv_and_by_default_into_a_pipe() {
    let ws = one_override();
    ws.run(["rules", "--format", "tsv"])
        .stdout(RULES_TSV)
        .code(0);
    ws.run(["rules"]).stdout(RULES_TSV).code(0);
    // Machine formats keep English keys whatever the language.
    ws.run(["rules", "--lang", "zh", "--format", "tsv"])
        .stdout(RULES_TSV)
        .code(0);
}

const RULES_JSONL: &str = r#"{"name":"traits","source":"built-in","path":null,"content":"72 traits"}
{"name":"types","source":"built-in","path":null,"content":"nine: rational, task, greedy, owner, credit_seeker, stingy, difficult, relationship, composite"}
{"name":"types-personality","source":"built-in","path":null,"content":"personality: analytical, relational, dominant, friendly, picky, mixed"}
{"name":"types-buying","source":"built-in","path":null,"content":"buying: hesitant, complaining, arrogant_picky, haggling, never_says_no, show_off, seasoned, comparison_shopper, next_time, mixed"}
{"name":"stages","source":"built-in","path":null,"content":"potential → trial → intent → quasi → formal"}
{"name":"cadence","source":"workspace","path":"rules/cadence.toml","content":"grades 5"}
{"name":"tiers","source":"built-in","path":null,"content":"abc, abc_profit, grade, key, pyramid, relationship, repeat, rfm, service_need, stars, tenure, value3"}
{"name":"holidays","source":"built-in","path":null,"content":"2025, 2026"}
{"name":"handling","source":"built-in","path":null,"content":"4 intents; complaints seek vent, respect, compensation"}
"#;

#[test]
fn rules_list_as_jsonl() {
    one_override()
        .run(["rules", "--format", "jsonl"])
        .stdout(RULES_JSONL)
        .code(0);
}

#[test]
fn rules_list_as_json() {
    let rows: Vec<String> = RULES_JSONL.lines().map(|l| format!("  {l}")).collect();
    let expected = format!("[\n{}\n]\n", rows.join(",\n"));
    one_override()
        .run(["rules", "--format", "json"])
        .stdout(&expected)
        .code(0);
}

#[test]
fn rules_list_as_markdown() {
    one_override()
        .run(["rules", "--format", "markdown"])
        .stdout(
            "\
| Rules | Source | Path | Content |
| --- | --- | --- | --- |
| traits | built-in |  | 72 traits |
| types | built-in |  | nine: rational, task, greedy, owner, credit_seeker, stingy, difficult, relationship, composite |
| types-personality | built-in |  | personality: analytical, relational, dominant, friendly, picky, mixed |
| types-buying | built-in |  | buying: hesitant, complaining, arrogant_picky, haggling, never_says_no, show_off, seasoned, comparison_shopper, next_time, mixed |
| stages | built-in |  | potential → trial → intent → quasi → formal |
| cadence | workspace | rules/cadence.toml | grades 5 |
| tiers | built-in |  | abc, abc_profit, grade, key, pyramid, relationship, repeat, rfm, service_need, stars, tenure, value3 |
| holidays | built-in |  | 2025, 2026 |
| handling | built-in |  | 4 intents; complaints seek vent, respect, compensation |
",
        )
        .code(0);
    one_override()
        .run(["rules", "--format", "markdown", "--lang", "zh"])
        .stdout(
            "\
| 规则 | 来源 | 路径 | 内容 |
| --- | --- | --- | --- |
| traits | 内置 |  | 72 个特征 |
| types | 内置 |  | 九种客户类型：理智型、任务型、贪婪型、主人翁型、抢功型、吝啬型、刁蛮型、关系型、综合型 |
| types-personality | 内置 |  | 五种性格类型：分析型、关系型、主导型、友善型、挑剔型、未定型 |
| types-buying | 内置 |  | 九种购买风格：犹豫不决型、牢骚抱怨型、傲慢挑剔型、斤斤计较型、不直接拒绝型、自我炫耀型、沉着老练型、善于比较型、等下次型、未定型 |
| stages | 内置 |  | 潜在客户 → 试用客户 → 意向客户 → 准客户 → 正式客户 |
| cadence | 工作区 | rules/cadence.toml | 5 个等级 |
| tiers | 内置 |  | ABC分类、ABC分类（利润）、客户分级、重点客户评分、客户金字塔、客户关系层级、长期/临时客户、RFM客户分群、咨询/投诉客户、星级、新/老客户、服务分层 |
| holidays | 内置 |  | 2025、2026 年 |
| handling | 内置 |  | 4 类购买意向；投诉诉求：求发泄、求尊重、求补偿 |
",
        )
        .code(0);
}

/// The rules list as a table; `header` is the line of column labels.
fn rules_table(header: &str) -> String {
    format!(
        "\
┌───────────────────┬───────────┬────────────────────┬──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┐
{header}
╞═══════════════════╪═══════════╪════════════════════╪══════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════╡
│ traits            ┆ built-in  ┆                    ┆ 72 traits                                                                                                                        │
│ types             ┆ built-in  ┆                    ┆ nine: rational, task, greedy, owner, credit_seeker, stingy, difficult, relationship, composite                                   │
│ types-personality ┆ built-in  ┆                    ┆ personality: analytical, relational, dominant, friendly, picky, mixed                                                            │
│ types-buying      ┆ built-in  ┆                    ┆ buying: hesitant, complaining, arrogant_picky, haggling, never_says_no, show_off, seasoned, comparison_shopper, next_time, mixed │
│ stages            ┆ built-in  ┆                    ┆ potential → trial → intent → quasi → formal                                                                                      │
│ cadence           ┆ workspace ┆ rules/cadence.toml ┆ grades 5                                                                                                                         │
│ tiers             ┆ built-in  ┆                    ┆ abc, abc_profit, grade, key, pyramid, relationship, repeat, rfm, service_need, stars, tenure, value3                             │
│ holidays          ┆ built-in  ┆                    ┆ 2025, 2026                                                                                                                       │
│ handling          ┆ built-in  ┆                    ┆ 4 intents; complaints seek vent, respect, compensation                                                                           │
└───────────────────┴───────────┴────────────────────┴──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘
"
    )
}

const PLAIN_HEADER: &str = "│ Rules             ┆ Source    ┆ Path               ┆ Content                                                                                                                          │";

#[test]
fn rules_list_as_a_table_with_and_without_colour() {
    let plain = rules_table(PLAIN_HEADER);
    let bold = rules_table(
        "│\x1b[1m Rules             \x1b[0m┆\x1b[1m Source    \x1b[0m┆\x1b[1m Path               \x1b[0m┆\x1b[1m Content                                                                                                                          \x1b[0m│",
    );
    let ws = one_override();
    ws.run(["rules", "--format", "table", "--color", "never"])
        .stdout(&plain)
        .code(0);
    // NO_COLOR (set by the harness) turns off `auto`, but an explicit --color always wins.
    ws.run(["rules", "--format", "table"])
        .stdout(&plain)
        .code(0);
    ws.run(["rules", "--format", "table", "--color", "always"])
        .stdout(&bold)
        .code(0);
    // --color never holds without NO_COLOR too.
    one_override()
        .env_remove("NO_COLOR")
        .run(["rules", "--format", "table", "--color", "never"])
        .stdout(&plain)
        .code(0);
}

#[test]
fn clicolor_force_colours_a_pipe_and_no_color_still_wins() {
    let plain = rules_table(PLAIN_HEADER);
    let bold = rules_table(
        "│\x1b[1m Rules             \x1b[0m┆\x1b[1m Source    \x1b[0m┆\x1b[1m Path               \x1b[0m┆\x1b[1m Content                                                                                                                          \x1b[0m│",
    );
    one_override()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .run(["rules", "--format", "table"])
        .stdout(&bold)
        .code(0);
    // NO_COLOR (set by the harness) is stronger; CLICOLOR_FORCE=0 forces nothing.
    one_override()
        .env("CLICOLOR_FORCE", "1")
        .run(["rules", "--format", "table"])
        .stdout(&plain)
        .code(0);
    one_override()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "0")
        .run(["rules", "--format", "table"])
        .stdout(&plain)
        .code(0);
}

#[test]
fn rules_table_in_chinese_keeps_columns_aligned() {
    use unicode_width::UnicodeWidthStr;
    let out = one_override().run(["rules", "--format", "table", "--lang", "zh"]);
    out.code(0);
    let text = out.stdout_text();
    // Every line as wide as the first, Chinese counted two columns a character.
    let widths: Vec<usize> = text.lines().map(|l| l.width()).collect();
    assert!(widths.iter().all(|w| *w == widths[0]), "{widths:?}\n{text}");
    assert!(
        text.contains("│ stages            ┆ 内置   ┆                    ┆ 潜在客户 → 试用客户"),
        "{text}"
    );
}

// --- completions and pipes ---

#[test]
fn completions_bash() {
    let out = Workspace::new().run(["completions", "bash"]);
    out.stderr("").code(0);
    let script = out.stdout_text();
    assert!(script.starts_with("_clientele() {\n"), "{script}");
    assert!(
        script.contains("complete -F _clientele -o bashdefault -o default clientele\n"),
        "{script}"
    );
}

#[test]
fn man_page_and_examples_in_help() {
    let out = Workspace::new().run(["man"]);
    out.stderr("").code(0);
    let page = out.stdout_text();
    assert!(page.contains(".TH clientele 1"), "{page}");
    assert!(page.contains(".SH SYNOPSIS"), "{page}");
    // Every subcommand, as in --help.
    for command in [
        "init",
        "check",
        "due",
        "log",
        "classify",
        "tier",
        "promote",
        "report",
        "show",
        "plan",
        "snooze",
        "rules",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!("clientele\\-{command}")),
            "{command} in\n{page}"
        );
        let help = Workspace::new().run([command, "--help"]).stdout_text();
        assert!(
            help.contains("\nExamples:\n  clientele "),
            "clientele {command} --help shows examples:\n{help}"
        );
    }
}

/// Runs `args` with stdout closed before the command writes: like `| head -0`.
fn into_closed_pipe(args: &[&str]) -> (Option<i32>, String) {
    let ws = Workspace::new();
    let mut child = ws
        .command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start clientele");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait for clientele");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn closed_pipe_is_not_an_error_for_completions() {
    // The script (about 14 kB) is more than one buffer, so the write meets the closed pipe.
    assert_eq!(
        into_closed_pipe(&["completions", "bash"]),
        (Some(0), String::new())
    );
}

#[test]
fn closed_pipe_is_not_an_error_for_rules() {
    assert_eq!(
        into_closed_pipe(&["rules", "types"]),
        (Some(0), String::new())
    );
    assert_eq!(
        into_closed_pipe(&["rules", "--format", "json"]),
        (Some(0), String::new())
    );
}

/// Runs `args` in `ws` with `input` on standard input.
fn with_stdin(ws: &Workspace, args: &[&str], input: &[u8]) -> std::process::Output {
    use std::io::Write as _;
    let mut child = ws
        .command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run clientele");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("wait for clientele")
}

#[test]
fn a_dash_reads_the_book_from_standard_input_and_never_writes_it() {
    let ws = Workspace::new();
    let book = b"id,grade,last_contact\nc1,C,2026-09-18\nc2,D,2026-11-20\n";
    // c1: C every 2 months from Sep 18: Nov 18, due.
    let out = with_stdin(
        &ws,
        &["--customers", "-", "due", "--columns", "id,reason"],
        book,
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "id\treason\nc1\tC every 2 months\n"
    );
    assert_eq!(out.status.code(), Some(0));
    // Errors name it <stdin>.
    let out = with_stdin(
        &ws,
        &["--customers", "-", "due"],
        b"id,last_contact\nc1,2026-02-30\n",
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with(
            "clientele: error: <stdin>:2:4: column B (last_contact): cannot read \"2026-02-30\""
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(2));
    // A change is shown with --dry-run, and refused without.
    let out = with_stdin(&ws, &["--customers", "-", "snooze", "c1", "2w"], book);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "clientele: error: <stdin> was read from standard input and cannot be written back: \
         give the file's path, or add --dry-run to see the change\n"
    );
    assert_eq!(out.status.code(), Some(2));
    let out = with_stdin(
        &ws,
        &[
            "--customers",
            "-",
            "snooze",
            "c1",
            "2026-12-06",
            "--dry-run",
        ],
        book,
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "id\tfield\tfrom\tto\treason\tapplied\nc1\tsnooze_until\t\t2026-12-06\tsnooze\tfalse\n"
    );
    // Nothing was written in the workspace.
    assert_eq!(std::fs::read_dir(ws.path()).expect("list").count(), 0);
}
