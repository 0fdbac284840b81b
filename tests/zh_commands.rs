//! The commands' own messages in Chinese, through the real binary: usage errors, a refusal
//! to write, the warning that the book lacks what a command needs, and `promote`'s
//! refusals; in the language `--lang zh`, `lang = "zh"` in clientele.toml or a zh locale
//! asks for. Each run that stops leaves every file as it was.

use crate::util::Workspace;
use crate::writeback::{data_files, unchanged_data};

const BOOK: &str = "id,name,stage,grade,last_contact\nc1,Acme,intent,B,2026-11-01\n";

/// A workspace with a one-customer book.
fn book() -> Workspace {
    Workspace::new().file("customers.csv", BOOK)
}

/// Runs `args` under `--lang zh`; expects exactly `stderr`, exit 2 and nothing written (a
/// write takes its lock file before it reads).
fn refused(ws: &Workspace, args: &[&str], stderr: &str) {
    let before = data_files(ws);
    let mut all = vec!["--lang", "zh"];
    all.extend_from_slice(args);
    ws.run(&all).stdout("").stderr(stderr).code(2);
    unchanged_data(ws, &before);
}

#[test]
fn a_move_back_without_a_reason_is_refused_in_chinese() {
    refused(
        &book(),
        &["promote", "c1", "--to", "trial"],
        "clientele: 错误: c1：退回试用客户阶段需要 --reason TEXT\n",
    );
    refused(
        &book(),
        &["promote", "c1", "--force"],
        "clientele: 错误: --force 需要 --reason TEXT：强制变更会连同原因记入活动记录\n",
    );
    refused(
        &book(),
        &["promote", "c1", "--to", "vip"],
        "clientele: 错误: 未知的阶段 \"vip\"（应为以下之一：potential, trial, intent, quasi, formal）\n",
    );
}

#[test]
fn promote_refusals_at_a_gate_and_at_the_last_stage_are_in_chinese() {
    // c1 has nothing toward intent's gate; c2 is formal already. Each is said on its own
    // line, and the run exits 1 with nothing written.
    let ws = Workspace::new().file("customers.csv", "id,stage\nc1,trial\nc2,formal\n");
    let before = data_files(&ws);
    ws.run(["--lang", "zh", "promote", "c1", "c2"])
        .stdout("")
        .stderr(
            "clientele: c1：无法进入意向客户：需求确认、价格确认\n\
             clientele: c2：已是正式客户，即最后一个阶段\n",
        )
        .code(1);
    unchanged_data(&ws, &before);
}

#[test]
fn an_unknown_report_section_lists_the_known_ones_in_chinese() {
    refused(
        &book(),
        &["report", "--format", "tsv", "--section", "nope"],
        "clientele: 错误: 未知的部分 \"nope\"（可选：stages, grades, types, abc, owners, \
         key_customers, lapsing, complaints, relationship, lost_reasons, changes）\n",
    );
}

#[test]
fn an_unknown_log_kind_is_refused_in_chinese() {
    refused(
        &book(),
        &["log", "c1", "nope"],
        "clientele: 错误: 未知的活动类型 \"nope\"（应为以下之一：call, visit, email, message, \
         order, sample_request, sample_received, complaint, stage_change, grade_change）\n",
    );
}

#[test]
fn an_unknown_due_column_is_refused_in_chinese() {
    refused(
        &book(),
        &["due", "--columns", "id,nope"],
        "clientele: 错误: --columns 中未知的列 \"nope\"（可选其中若干：due, overdue_days, id, \
         name, owner, grade, stage, type, reason, reason_code, strategy, late, phone, email, \
         contact, last_contact, last_note, reach）\n",
    );
    refused(
        &book(),
        &["due", "--grade", "Z"],
        "clientele: 错误: 未知的等级 \"Z\"（应为以下之一：A, B, C, D, E）\n",
    );
}

/// A workbook is refused before it is read: its bytes need not even be a workbook.
#[test]
fn a_write_to_a_workbook_is_refused_in_chinese() {
    let ws = Workspace::new().file("customers.xlsx", b"PK\x03\x04 not read");
    refused(
        &ws,
        &[
            "--customers",
            "customers.xlsx",
            "snooze",
            "c1",
            "2026-12-14",
        ],
        "clientele: 错误: customers.xlsx 是工作簿：clientele 只读取工作簿，从不写回。\
         请把表格另存为 CSV（Excel：另存为 → CSV UTF-8），并在 clientele.toml 中把 \
         `customers` 指向它；或加 --dry-run 只查看改动而不修改\n",
    );
}

#[test]
fn what_the_book_lacks_is_warned_of_in_chinese() {
    let ws = Workspace::new().file("customers.csv", "id,name,grade\nK1,Acme,C\n");
    // Never contacted, K1 is due on the next working day (today is a Sunday).
    ws.run([
        "--lang",
        "zh",
        "due",
        "--within",
        "1d",
        "--format",
        "tsv",
        "--columns",
        "id",
    ])
    .stdout("id\nK1\n")
    .stderr(
        "clientele: 警告: 没有任何客户有最后联系日期：没有列存放 last_contact（last_contact, \
             最后联系, 上次联系, 最后联系日期, …），活动记录中也没有联系记录，因此每位客户都按\
             从未联系过算作到期\n",
    )
    .code(0);
    ws.run(["--lang", "zh", "report", "--format", "json"])
        .stderr(
            "clientele: 警告: 没有任何客户有营收：没有列存放 revenue（revenue, 销售额, 营业额, \
             金额, …），活动记录中也没有订单，因此所有营收数字都是 0\n",
        )
        .code(0);
    // --quiet says nothing.
    ws.run(["--lang", "zh", "--quiet", "due", "--format", "tsv"])
        .stderr("")
        .code(0);
}

/// The language of the workspace's configuration, and of the locale, speak as --lang does;
/// --lang wins over both.
#[test]
fn the_configuration_and_the_locale_choose_the_language_too() {
    let ws = book().file("clientele.toml", "lang = \"zh\"\n");
    let before = ws.snapshot();
    let one_table = "clientele: 错误: --format csv/tsv 只输出一张表：请加 --section \
                     stages|grades|types|abc|owners|key_customers|lapsing|complaints|relationship|lost_reasons|changes\n";
    ws.run(["report", "--format", "csv"])
        .stderr(one_table)
        .code(2);
    ws.run(["report", "--format", "ics"])
        .stderr("clientele: 错误: --format ics 仅用于 `due`\n")
        .code(2);
    ws.run(["--lang", "en", "report", "--format", "ics"])
        .stderr("clientele: error: --format ics is only for `due`\n")
        .code(2);
    ws.assert_unchanged(&before);

    let ws = book().env("LANG", "zh_CN.UTF-8");
    ws.run(["rules", "nope"])
        .stdout("")
        .stderr(
            "clientele: 错误: 未知的规则文件 \"nope\"（可选：traits, types, types-personality, \
             types-buying, stages, cadence, tiers, holidays, handling）\n",
        )
        .code(2);
    ws.run(["--customers", "-", "--activities", "-", "due"])
        .stderr("clientele: 错误: --customers - 和 --activities - 不能同时读取标准输入\n")
        .code(2);
}

/// Under `--lang zh` the change table and the notes written to the log speak Chinese: stages
/// by their names, the gate's reason in the tool's words, a grade rule's `label_zh`; the
/// machine columns of the log (kind, dates) stay as the log writes them.
#[test]
fn promote_writes_its_log_notes_in_chinese() {
    let ws = Workspace::new()
        .file(
            "customers.csv",
            "id,name,stage,grade,trial_started,list\n\
             c1,Acme,potential,E,yes,black\n\
             c2,Beta,potential,A,,red\n",
        )
        .file("activities.csv", "date,customer_id,kind,amount,note\n");
    let out = ws.run([
        "--lang",
        "zh",
        "--today",
        "2026-11-23",
        "promote",
        "--auto",
        "--format",
        "markdown",
    ]);
    out.code(0).stderr("").stdout(
        "| 编号 | 字段 | 原值 | 新值 | 原因 | 已应用 |\n\
         | --- | --- | --- | --- | --- | --- |\n\
         | c1 | stage | 潜在客户 | 试用客户 | 已满足试用客户的门槛 | 是 |\n\
         | c2 | grade | 订单客户 | 重潜客户 | 重要潜在 | 是 |\n",
    );
    assert_eq!(
        std::fs::read_to_string(ws.path().join("activities.csv")).expect("the log"),
        "date,customer_id,kind,amount,note\n\
         2026-11-23,c1,stage_change,,潜在客户 -> 试用客户; 已满足试用客户的门槛\n\
         2026-11-23,c2,grade_change,,A -> C; 重要潜在\n"
    );
}

#[test]
fn init_tells_what_it_made_in_chinese() {
    let ws = Workspace::new();
    let out = ws.run(["--lang", "zh", "init", "sales"]);
    out.code(0).stderr("");
    let text = out.stdout_text();
    assert!(
        text.starts_with("已在 sales 建好 clientele 工作区：\n  sales/clientele.toml\n"),
        "{text}"
    );
    assert!(text.ends_with("\n试试：clientele -C sales due\n"), "{text}");
}
