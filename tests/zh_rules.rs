//! The rule files' problems under `--lang zh`: the checks of `rules/*.toml` and the condition
//! language speak Chinese, through the real binary, with the same positions and carets as in
//! English; ids, keys, quoted values and code stay as written.

use crate::util::Workspace;

const BOOK: &str = "id,name\nC001,Acme\n";

/// A stages file whose second stage (trial) has the gate `gate`, on line 14.
fn stages(gate: &str) -> String {
    let stage = |id: &str, en: &str, zh: &str, extra: &str| {
        format!(
            "[[stage]]\nid = \"{id}\"\nen = \"{en}\"\nzh = \"{zh}\"\n\
             definition = {{ en = \"Text.\", zh = \"说明。\" }}\n\
             advice = {{ en = \"Text.\", zh = \"建议。\" }}\n{extra}"
        )
    };
    [
        stage("potential", "Potential", "潜在客户", ""),
        stage("trial", "Trial", "试用客户", &format!("{gate}\n")),
        stage("intent", "Intent", "意向客户", ""),
        stage("quasi", "Quasi", "准客户", ""),
        stage("formal", "Formal", "正式客户", ""),
    ]
    .join("\n")
}

/// A good cadence file; tests change a line of it.
const CADENCE: &str = r#"[grade.A]
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
every = "2m"

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

/// `CADENCE` with `from` replaced by `to` (which must be there).
fn cadence(from: &str, to: &str) -> String {
    assert!(CADENCE.contains(from), "{from}");
    CADENCE.replacen(from, to, 1)
}

fn workspace(rule: &str, text: &str) -> Workspace {
    Workspace::new()
        .file("customers.csv", BOOK)
        .file(format!("rules/{rule}.toml"), text)
}

#[test]
fn a_syntax_error_in_a_condition() {
    let ws = workspace("stages", &stages(r#"gate = [{ when = "stage >" }]"#));
    ws.run(["--lang", "zh", "check"])
        .stderr(
            "clientele: 错误: rules/stages.toml:14:26: 应为一个值，实际为表达式结尾\n   \
             |\n\
             14 | gate = [{ when = \"stage >\" }]\n   \
             |                          ^\n\
             clientele: 检查发现 1 个错误、0 个警告\n",
        )
        .code(1);
    // The same problem in English, as it always read.
    ws.run(["check"])
        .stderr(
            "clientele: error: rules/stages.toml:14:26: expected a value, found end of expression\n   \
             |\n\
             14 | gate = [{ when = \"stage >\" }]\n   \
             |                          ^\n\
             clientele: check found 1 error and 0 warnings\n",
        )
        .code(1);

    // A bracket left open: the punctuation it wants is code, with a space after Chinese.
    let ws = workspace(
        "stages",
        &stages(r#"gate = [{ when = "has_trait(\"压价\") && (stage == \"trial\"" }]"#),
    );
    ws.run(["--lang", "zh", "check"])
        .stderr(
            "clientele: 错误: rules/stages.toml:14:59: 应为 `)`，实际为表达式结尾\n   \
             |\n\
             14 | gate = [{ when = \"has_trait(\\\"压价\\\") && (stage == \\\"trial\\\"\" }]\n   \
             |                                                             ^\n\
             clientele: 检查发现 1 个错误、0 个警告\n",
        )
        .code(1);
}

#[test]
fn a_type_error_in_a_condition() {
    let ws = workspace("stages", &stages(r#"gate = [{ when = "stage > 5" }]"#));
    ws.run(["--lang", "zh", "check"])
        .stderr(
            "clientele: 错误: rules/stages.toml:14:19: 无法比较阶段和整数\n   \
             |\n\
             14 | gate = [{ when = \"stage > 5\" }]\n   \
             |                   ^^^^^^^^^\n\
             clientele: 检查发现 1 个错误、0 个警告\n",
        )
        .code(1);

    // A function given the wrong type, and a gate that is not true or false.
    let ws = workspace(
        "stages",
        &stages(r#"gate = [{ when = "days_since(name) > 3" }, { when = "revenue" }]"#),
    );
    ws.run(["--lang", "zh", "check"])
        .stderr(
            "clientele: 错误: rules/stages.toml:14:30: `days_since` 需要日期，实际为字符串\n   \
             |\n\
             14 | gate = [{ when = \"days_since(name) > 3\" }, { when = \"revenue\" }]\n   \
             |                              ^^^^\n\
             clientele: 错误: rules/stages.toml:14:53: 条件必须为 true 或 false，此处是金额\n   \
             |\n\
             14 | gate = [{ when = \"days_since(name) > 3\" }, { when = \"revenue\" }]\n   \
             |                                                     ^^^^^^^^^\n\
             clientele: 检查发现 2 个错误、0 个警告\n",
        )
        .code(1);
}

#[test]
fn an_unknown_key_in_cadence_toml() {
    let ws = workspace(
        "cadence",
        &cadence("every = \"2m\"\n", "every = \"2m\"\nevry = \"3m\"\n"),
    );
    ws.run(["--lang", "zh", "check"])
        .stderr(
            "clientele: 错误: rules/cadence.toml:16:1: 未知的键 `evry`（应为 `rhythm`, \
             `default_interval_days`, `lead_ratio`, `lead_min_days`, `lead_max_days`, \
             `repeat_days`, `lapse_factor`, `sequences`, `then`, `every` 之一）\n   \
             |\n\
             16 | evry = \"3m\"\n   \
             | ^^^^\n\
             clientele: 检查发现 1 个错误、0 个警告\n",
        )
        .code(1);
}

#[test]
fn unknown_values_in_cadence_toml() {
    let text = cadence("rhythm = \"order\"", "rhythm = \"weekly\"")
        .replacen("then = \"C\"", "then = \"F\"", 1)
        .replacen("[grade.E]", "[grade.Z]", 1);
    workspace("cadence", &text)
        .run(["--lang", "zh", "check"])
        .stderr(
            "clientele: 错误: rules/cadence.toml:2:10: 未知的节奏 \"weekly\"（应为 \"order\"）\n  \
             |\n\
             2 | rhythm = \"weekly\"\n  \
             |          ^^^^^^^^\n\
             clientele: 错误: rules/cadence.toml:12:8: 未知的等级 \"F\"\n   \
             |\n\
             12 | then = \"F\"\n   \
             |        ^^^\n\
             clientele: 错误: rules/cadence.toml:20:8: 未知的等级 \"Z\"（应为 A, B, C, D, E 之一）\n   \
             |\n\
             20 | [grade.Z]\n   \
             |        ^\n\
             clientele: 错误: rules/cadence.toml:1:1: 等级 E 没有跟进节奏\n  \
             |\n\
             1 | [grade.A]\n  \
             | ^\n\
             clientele: 检查发现 4 个错误、0 个警告\n",
        )
        .code(1);
}

#[test]
fn a_toml_syntax_error_keeps_the_crates_words_after_a_chinese_lead_in() {
    workspace("cadence", &cadence("every = \"2m\"", "every = \"2m"))
        .run(["--lang", "zh", "check"])
        .stderr(
            "clientele: 错误: rules/cadence.toml:15:12: TOML 语法错误：invalid basic string, \
             expected `\"`\n   \
             |\n\
             15 | every = \"2m\n   \
             |            ^\n\
             clientele: 检查发现 1 个错误、0 个警告\n",
        )
        .code(1);
}

#[test]
fn bad_holiday_dates() {
    let holidays = "[2026]\n\
                    off = [\"2026-10-01..2026-10-07\", \"2026-13-01\"]\n\
                    work = [\"2027-01-04\"]\n\
                    \n\
                    [festivals]\n\
                    labour = { zh = \"劳动节\", en = \"Labour Day\" }\n";
    workspace("holidays", holidays)
        .run(["--lang", "zh", "check"])
        .stderr(
            "clientele: 错误: rules/holidays.toml:6:1: 节日 labour 需要 `on`（每年的同一天，\
             如 \"10-01\"）或 `dates`（每年一个日期）二者之一\n  \
             |\n\
             6 | labour = { zh = \"劳动节\", en = \"Labour Day\" }\n  \
             | ^^^^^^\n\
             clientele: 错误: rules/holidays.toml:2:34: 应为日期（如 2026-10-01）或日期范围\
             （如 2026-10-01..2026-10-07），实际为 \"2026-13-01\"\n  \
             |\n\
             2 | off = [\"2026-10-01..2026-10-07\", \"2026-13-01\"]\n  \
             |                                  ^^^^^^^^^^^^\n\
             clientele: 错误: rules/holidays.toml:3:9: \"2027-01-04\" 不在 2026 年内\n  \
             |\n\
             3 | work = [\"2027-01-04\"]\n  \
             |         ^^^^^^^^^^^^\n\
             clientele: 检查发现 3 个错误、0 个警告\n",
        )
        .code(1);
}

#[test]
fn an_unknown_type_set_or_scheme_on_the_command_line() {
    let ws = Workspace::new().file("customers.csv", BOOK);
    ws.run(["--lang", "zh", "classify", "--set", "ten"])
        .stderr("clientele: 错误: 未知的类型集 \"ten\"（可选：nine, personality, buying）\n")
        .code(2);
    ws.run(["--lang", "zh", "tier", "--scheme", "gold"])
        .stderr(
            "clientele: 错误: 未知的分层方案 \"gold\"\
             （可选：abc, abc_profit, grade, key, pyramid, relationship, repeat, rfm, service_need, stars, tenure, value3）\n",
        )
        .code(2);
    ws.run(["tier", "--scheme", "gold"])
        .stderr(
            "clientele: error: unknown tier scheme \"gold\" \
             (known: abc, abc_profit, grade, key, pyramid, relationship, repeat, rfm, service_need, stars, tenure, value3)\n",
        )
        .code(2);
}
