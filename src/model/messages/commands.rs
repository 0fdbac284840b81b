//! What the commands say: usage errors on the command line, refusals to write, and
//! warnings about what the book lacks.
//! English and Chinese side by side (see the module above).

use super::Msg;
use crate::model::{Enumeration, Stage};

pub mod guard;

/// What an unknown word on the command line was meant to name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// An activity's kind (`log ID KIND`).
    Kind,
    Grade,
    Stage,
    /// A section of `report`.
    Section,
    /// A rule file (`rules NAME`).
    RuleFile,
}

impl What {
    /// Its name in English and in Chinese.
    fn names(self) -> [&'static str; 2] {
        match self {
            What::Kind => ["kind", "活动类型"],
            What::Grade => ["grade", "等级"],
            What::Stage => ["stage", "阶段"],
            What::Section => ["section", "部分"],
            What::RuleFile => ["rule file", "规则文件"],
        }
    }
}

/// The tables `report --section` names, for the message that asks for one.
const SECTIONS: &str = "stages|grades|types|abc|owners|key_customers|lapsing|complaints|relationship|lost_reasons|changes";

/// A message of a command.
#[derive(Clone, Debug)]
pub enum CmdMsg<'a> {
    // The command line.
    /// `--customers -` with `--activities -`.
    BothStdin,
    /// `--format ics` for another command than `due`.
    IcsOnlyForDue,
    /// `--excel` with a format Excel does not open as a sheet.
    ExcelOnlyCsv { format: &'a str },
    /// `clientele man` could not render its page.
    ManPage { error: &'a str },
    /// An option's value that cannot be read (`--date`, `--since`, `--within`, `--amount`),
    /// with why (the reader's words).
    CannotRead {
        option: &'a str,
        text: &'a str,
        error: &'a str,
    },
    /// A word that names none of a fixed list (`expected one of …`).
    Unknown {
        what: What,
        text: &'a str,
        expected: &'a str,
    },
    /// A name that is none of those the workspace has (`known: …`): report sections, rule
    /// files.
    UnknownName {
        what: What,
        text: &'a str,
        known: &'a str,
    },
    /// A column `due --columns` cannot show.
    UnknownColumn { text: &'a str, expected: &'a str },
    /// `promote --force` without `--reason`.
    ForceNeedsReason,
    /// `promote` with neither ids nor `--auto`.
    NameCustomers,
    /// `promote --to` an earlier stage without `--reason`.
    BackNeedsReason { id: &'a str, stage: Stage },
    /// `report --format csv/tsv` without `--section`.
    OneTable,
    /// `clientele sql report` without `--section`: a query returns one table.
    SqlOneSection,
    /// Revenues whose sum does not fit.
    RevenueOverflow,
    /// A log row the log's encoding cannot hold.
    CannotWriteNote {
        file: &'a str,
        encoding: &'a str,
        ch: char,
    },

    // `promote`'s refusals (exit 1, nothing else stops).
    /// A customer already at the last stage, asked for the next one.
    AlreadyLast { id: &'a str, stage: Stage },
    /// A move refused at gates: each stage and what it misses (the rule file's labels, in
    /// the run's language).
    Blocked {
        id: &'a str,
        gates: &'a [(Stage, Vec<String>)],
    },

    // What the book lacks (src/cmd/needs.rs): warnings.
    /// `due`: no last contact anywhere; `known` lists the headers it is read from.
    NoLastContact { known: &'a str },
    /// `report`: no revenue anywhere.
    NoRevenue { known: &'a str },
    /// `tier`: no customer has the scheme's metric.
    NoMetric { scheme: &'a str, metric: &'a str },

    // Refusals to write the book.
    /// A book loaded to read only, asked to write.
    ReadOnly { file: &'a str },
    /// A TOML book without `[[customer]]` tables.
    NoCustomerTables { file: &'a str },
    /// The `n`th customer (from 1) is not in the TOML file.
    CustomerNotInFile { file: &'a str, n: usize },
    /// A workbook is read, never written.
    Workbook { file: &'a str },
    /// The file's text does not encode back to the bytes read.
    NotByteForByte { file: &'a str, encoding: &'a str },
    /// A new value the file's encoding cannot hold.
    CannotHold { encoding: &'a str, ch: char },
    /// A TOML file that would not print back as it was read.
    WouldReformat { file: &'a str },
    /// The file changed between the read and the write.
    ChangedOnDisk { file: &'a str },
    // An interrupted change, found by the next run.
    /// Finished: how many of the book's files it changed, how many log rows it wrote.
    JournalFinished {
        target: &'a str,
        files: usize,
        rows: usize,
    },
    /// Cut short before its first rename: undone.
    JournalUndone { target: &'a str },
    /// Cannot be finished: `file` (and `more` others) changed since; the journal set aside.
    JournalStuck {
        target: &'a str,
        file: &'a str,
        more: usize,
        kept: &'a str,
    },
    /// A journal that cannot be read, set aside.
    JournalUnreadable {
        file: &'a str,
        error: &'a str,
        kept: &'a str,
    },
    /// A set-aside journal, as `check` lists it.
    JournalKept,
}

impl CmdMsg<'_> {
    /// The message in English and in Chinese.
    pub fn texts(&self) -> [String; 2] {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        match *self {
            CmdMsg::BothStdin => [
                "--customers - and --activities - cannot both read standard input".into(),
                "--customers - 和 --activities - 不能同时读取标准输入".into(),
            ],
            CmdMsg::IcsOnlyForDue => [
                "--format ics is only for `due`".into(),
                "--format ics 仅用于 `due`".into(),
            ],
            CmdMsg::ExcelOnlyCsv { format } => [
                format!("--excel is for --format csv or tsv, not {format}"),
                format!("--excel 只用于 --format csv 或 tsv，不能用于 {format}"),
            ],
            CmdMsg::ManPage { error } => [
                format!("cannot render the manual page: {error}"),
                format!("无法生成手册页：{error}"),
            ],
            CmdMsg::CannotRead {
                option,
                text,
                error,
            } => [
                format!("cannot read {option} \"{text}\": {error}"),
                format!("无法识别 {option} 的值 \"{text}\"：{error}"),
            ],
            CmdMsg::Unknown {
                what,
                text,
                expected,
            } => {
                let [en, zh] = what.names();
                [
                    format!("unknown {en} \"{text}\" (expected one of {expected})"),
                    format!("未知的{zh} \"{text}\"（应为以下之一：{expected}）"),
                ]
            }
            CmdMsg::UnknownName { what, text, known } => {
                let [en, zh] = what.names();
                [
                    format!("unknown {en} \"{text}\" (known: {known})"),
                    format!("未知的{zh} \"{text}\"（可选：{known}）"),
                ]
            }
            CmdMsg::UnknownColumn { text, expected } => [
                format!("unknown column \"{text}\" for --columns (expected some of {expected})"),
                format!("--columns 中未知的列 \"{text}\"（可选其中若干：{expected}）"),
            ],
            CmdMsg::ForceNeedsReason => [
                "--force needs --reason TEXT: a forced move is logged with why".into(),
                "--force 需要 --reason TEXT：强制变更会连同原因记入活动记录".into(),
            ],
            CmdMsg::NameCustomers => [
                "name the customers to promote, or use --auto".into(),
                "请给出要推进阶段的客户编号，或使用 --auto".into(),
            ],
            CmdMsg::BackNeedsReason { id, stage } => [
                format!("{id}: moving back to {} needs --reason TEXT", stage.id()),
                format!("{id}：退回{}阶段需要 --reason TEXT", stage.zh()),
            ],
            CmdMsg::OneTable => [
                format!("--format csv/tsv prints one table: add --section {SECTIONS}"),
                format!("--format csv/tsv 只输出一张表：请加 --section {SECTIONS}"),
            ],
            CmdMsg::SqlOneSection => [
                format!("`clientele sql report` returns one table: add --section {SECTIONS}"),
                format!("`clientele sql report` 只返回一张表：请加 --section {SECTIONS}"),
            ],
            CmdMsg::RevenueOverflow => [
                "the book's revenues add up to more than clientele can count \
                 (92,233,720,368,547,758.07): check the revenue column and the log's amounts \
                 for a misplaced decimal point"
                    .into(),
                "客户台账的营收合计超出了 clientele 能计算的上限（92,233,720,368,547,758.07）：\
                 请检查营收列和活动记录中的金额是否放错了小数点"
                    .into(),
            ],
            CmdMsg::CannotWriteNote { file, encoding, ch } => [
                format!(
                    "{file}: cannot write the note: {encoding} cannot hold the character {ch:?}"
                ),
                format!("{file}：无法写入备注：{encoding} 无法表示字符 {ch:?}"),
            ],
            CmdMsg::AlreadyLast { id, stage } => [
                format!("{id}: already {}, the last stage", stage.id()),
                format!("{id}：已是{}，即最后一个阶段", stage.zh()),
            ],
            CmdMsg::Blocked { id, gates } => {
                let (mut en, mut zh) = (Vec::new(), Vec::new());
                for (stage, missing) in gates {
                    let stage = *stage;
                    let [e, _] = Msg::CannotEnter {
                        stage,
                        missing: &missing.join(", "),
                    }
                    .texts();
                    let [_, z] = Msg::CannotEnter {
                        stage,
                        missing: &missing.join("、"),
                    }
                    .texts();
                    en.push(e);
                    zh.push(z);
                }
                [
                    format!("{id}: {}", en.join("; ")),
                    format!("{id}：{}", zh.join("；")),
                ]
            }
            CmdMsg::NoLastContact { known } => [
                format!(
                    "no customer has a last contact: no column holds last_contact ({known}) and the log records no touch, so every customer is due as never contacted"
                ),
                format!(
                    "没有任何客户有最后联系日期：没有列存放 last_contact（{known}），活动记录中也没有联系记录，因此每位客户都按从未联系过算作到期"
                ),
            ],
            CmdMsg::NoRevenue { known } => [
                format!(
                    "no customer has revenue: no column holds revenue ({known}) and the log records no order, so every revenue figure is 0"
                ),
                format!(
                    "没有任何客户有营收：没有列存放 revenue（{known}），活动记录中也没有订单，因此所有营收数字都是 0"
                ),
            ],
            CmdMsg::NoMetric { scheme, metric } => [
                format!(
                    "no customer has a value above zero for the {scheme} scheme's metric `{metric}`: no column holds it or its cells are empty or zero, and the log does not provide it; every customer falls in the last tier"
                ),
                format!(
                    "没有任何客户在 {scheme} 方案的指标 `{metric}` 上大于零：没有列存放它，或其单元格为空或为零，活动记录中也没有；每位客户都落入最后一个分层"
                ),
            ],
            CmdMsg::ReadOnly { file } => [
                format!("{file}: the book was read for reading only, and is not written"),
                format!("{file}：客户台账仅为读取而载入，不会写回"),
            ],
            CmdMsg::NoCustomerTables { file } => [
                format!("{file}: no [[customer]] tables to write to"),
                format!("{file}：没有可写入的 [[customer]] 表"),
            ],
            CmdMsg::CustomerNotInFile { file, n } => [
                format!("{file}: customer {n} not found in the file"),
                format!("{file}：文件中找不到第 {n} 位客户"),
            ],
            CmdMsg::Workbook { file } => [
                format!(
                    "{file} is a workbook: clientele reads it but never writes it. Save the sheet as CSV (Excel: 另存为 → CSV UTF-8) and point `customers` in clientele.toml to it, or add --dry-run to see the change without making it"
                ),
                format!(
                    "{file} 是工作簿：clientele 只读取工作簿，从不写回。请把表格另存为 CSV（Excel：另存为 → CSV UTF-8），并在 clientele.toml 中把 `customers` 指向它；或加 --dry-run 只查看改动而不修改"
                ),
            ],
            CmdMsg::NotByteForByte { file, encoding } => [
                format!(
                    "{file}: cannot write this file back byte-for-byte in {encoding}; nothing written"
                ),
                format!("{file}：无法以 {encoding} 逐字节原样写回此文件；未写入任何内容"),
            ],
            CmdMsg::CannotHold { encoding, ch } => [
                format!(
                    "{encoding} cannot hold the character {ch:?} of the new value; nothing written"
                ),
                format!("{encoding} 无法表示新值中的字符 {ch:?}；未写入任何内容"),
            ],
            CmdMsg::WouldReformat { file } => [
                format!("{file}: cannot edit this file without reformatting it; nothing written"),
                format!("{file}：无法在不改变其格式的情况下编辑此文件；未写入任何内容"),
            ],
            CmdMsg::ChangedOnDisk { file } => [
                format!(
                    "{file} changed on disk since it was read (saved in another program?); nothing written, run again"
                ),
                format!(
                    "{file} 读取后已在磁盘上被修改（是否在其他程序中保存过？）；未写入任何内容，请重新运行"
                ),
            ],
            CmdMsg::JournalFinished {
                target,
                files,
                rows,
            } => {
                // Only what the change had: a `log` has rows and no file.
                let mut en = Vec::new();
                let mut zh = Vec::new();
                if files > 0 {
                    en.push(plural(files, "file", "files"));
                    zh.push(format!("{files} 个文件"));
                }
                if rows > 0 || files == 0 {
                    en.push(plural(rows, "log row", "log rows"));
                    zh.push(format!("{rows} 行活动记录"));
                }
                [
                    format!(
                        "finished a change to {target} that was interrupted: {}",
                        en.join(", ")
                    ),
                    format!(
                        "已完成上次中断的对 {target} 的修改：{}",
                        zh.join("，")
                    ),
                ]
            }
            CmdMsg::JournalUndone { target } => [
                format!(
                    "a change to {target} was interrupted before it wrote anything: undone, nothing written"
                ),
                format!(
                    "上次对 {target} 的修改在写入任何内容之前中断：已撤销，未写入任何内容"
                ),
            ],
            CmdMsg::JournalStuck {
                target,
                file,
                more,
                kept,
            } => {
                let (others, others_zh) = if more == 0 {
                    (String::new(), String::new())
                } else {
                    (
                        format!(" (and {})", plural(more, "other file", "other files")),
                        format!("（另有 {more} 个文件）"),
                    )
                };
                [
                    format!(
                        "a change to {target} was interrupted and cannot be finished: {file}{others} changed since (edited meanwhile?) and is left as it is, the rest is written; the change's record is kept in {kept}: check the book and the activity log, then remove it"
                    ),
                    format!(
                        "上次对 {target} 的修改中断后无法完成：{file}{others_zh}此后已被修改（期间有人编辑过？），保持原样，其余部分已写入；修改记录保存在 {kept}：请核对客户台账和活动记录，然后删除该记录"
                    ),
                ]
            }
            CmdMsg::JournalUnreadable { file, error, kept } => [
                format!(
                    "{file}: the record of an interrupted change cannot be read ({error}); set aside as {kept}, nothing of it finished: check the book and the activity log"
                ),
                format!(
                    "{file}：无法读取一次中断修改的记录（{error}）；已移至 {kept}，其中的修改均未完成：请核对客户台账和活动记录"
                ),
            ],
            CmdMsg::JournalKept => [
                "the record of an interrupted change that could not be finished; remove it once the book and the activity log are right".into(),
                "一次中断后无法完成的修改的记录；核对客户台账和活动记录无误后请删除".into(),
            ],
        }
    }
}

speaks!(CmdMsg<'_>);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;
    use crate::model::messages::assert_speaks_both;

    /// One of each message (and of each thing an unknown word may name).
    fn every_message() -> Vec<CmdMsg<'static>> {
        let gates = vec![
            (Stage::Intent, vec!["price_confirmed".to_string()]),
            (Stage::Quasi, vec!["payment_started".to_string()]),
        ];
        let unknown = |what| CmdMsg::Unknown {
            what,
            text: "x",
            expected: "a, b",
        };
        vec![
            CmdMsg::BothStdin,
            CmdMsg::IcsOnlyForDue,
            CmdMsg::ExcelOnlyCsv { format: "json" },
            CmdMsg::ManPage { error: "disk full" },
            CmdMsg::CannotRead {
                option: "--date",
                text: "soon",
                error: "expected a date",
            },
            unknown(What::Kind),
            unknown(What::Grade),
            unknown(What::Stage),
            CmdMsg::UnknownName {
                what: What::Section,
                text: "x",
                known: "stages, grades",
            },
            CmdMsg::UnknownName {
                what: What::RuleFile,
                text: "x",
                known: "traits, stages",
            },
            CmdMsg::UnknownColumn {
                text: "x",
                expected: "due, id",
            },
            CmdMsg::ForceNeedsReason,
            CmdMsg::NameCustomers,
            CmdMsg::BackNeedsReason {
                id: "K1",
                stage: Stage::Trial,
            },
            CmdMsg::OneTable,
            CmdMsg::SqlOneSection,
            CmdMsg::RevenueOverflow,
            CmdMsg::CannotWriteNote {
                file: "activities.csv",
                encoding: "GBK",
                ch: '¥',
            },
            CmdMsg::AlreadyLast {
                id: "K3",
                stage: Stage::Formal,
            },
            CmdMsg::Blocked {
                id: "K1",
                gates: gates.leak(),
            },
            CmdMsg::NoLastContact {
                known: "last_contact, 最后联系, …",
            },
            CmdMsg::NoRevenue {
                known: "revenue, 销售额, …",
            },
            CmdMsg::NoMetric {
                scheme: "abc",
                metric: "revenue",
            },
            CmdMsg::ReadOnly {
                file: "customers.csv",
            },
            CmdMsg::NoCustomerTables {
                file: "customers.toml",
            },
            CmdMsg::CustomerNotInFile {
                file: "customers.toml",
                n: 3,
            },
            CmdMsg::Workbook {
                file: "customers.xlsx",
            },
            CmdMsg::NotByteForByte {
                file: "customers.csv",
                encoding: "GBK",
            },
            CmdMsg::CannotHold {
                encoding: "GBK",
                ch: '¥',
            },
            CmdMsg::WouldReformat {
                file: "customers.toml",
            },
            CmdMsg::ChangedOnDisk {
                file: "customers.csv",
            },
            CmdMsg::JournalFinished {
                target: "customers",
                files: 2,
                rows: 1,
            },
            CmdMsg::JournalUndone {
                target: "customers.csv",
            },
            CmdMsg::JournalStuck {
                target: "customers",
                file: "customers/c1.toml",
                more: 1,
                kept: ".clientele/journal.failed-20261122-093000",
            },
            CmdMsg::JournalUnreadable {
                file: ".clientele/journal",
                error: "EOF while parsing",
                kept: ".clientele/journal.failed-20261122-093000",
            },
            CmdMsg::JournalKept,
        ]
    }

    /// Names every variant: a new one does not compile until it is added here, and so to
    /// the list above.
    fn listed(m: &CmdMsg<'_>) -> usize {
        match m {
            CmdMsg::BothStdin => 0,
            CmdMsg::IcsOnlyForDue => 1,
            CmdMsg::ManPage { .. } => 2,
            CmdMsg::CannotRead { .. } => 3,
            CmdMsg::Unknown { .. } => 4,
            CmdMsg::UnknownName { .. } => 5,
            CmdMsg::UnknownColumn { .. } => 6,
            CmdMsg::ForceNeedsReason => 7,
            CmdMsg::NameCustomers => 8,
            CmdMsg::BackNeedsReason { .. } => 9,
            CmdMsg::OneTable => 10,
            CmdMsg::RevenueOverflow => 11,
            CmdMsg::CannotWriteNote { .. } => 12,
            CmdMsg::AlreadyLast { .. } => 13,
            CmdMsg::Blocked { .. } => 14,
            CmdMsg::NoLastContact { .. } => 15,
            CmdMsg::NoRevenue { .. } => 16,
            CmdMsg::NoMetric { .. } => 17,
            CmdMsg::ReadOnly { .. } => 18,
            CmdMsg::NoCustomerTables { .. } => 19,
            CmdMsg::CustomerNotInFile { .. } => 20,
            CmdMsg::Workbook { .. } => 21,
            CmdMsg::NotByteForByte { .. } => 22,
            CmdMsg::CannotHold { .. } => 23,
            CmdMsg::WouldReformat { .. } => 24,
            CmdMsg::ChangedOnDisk { .. } => 25,
            CmdMsg::JournalFinished { .. } => 26,
            CmdMsg::JournalUndone { .. } => 27,
            CmdMsg::JournalStuck { .. } => 28,
            CmdMsg::JournalUnreadable { .. } => 29,
            CmdMsg::JournalKept => 30,
            CmdMsg::ExcelOnlyCsv { .. } => 31,
            CmdMsg::SqlOneSection => 32,
        }
    }

    #[test]
    fn every_message_is_listed() {
        let mut seen: Vec<usize> = every_message().iter().map(listed).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen, (0..33).collect::<Vec<_>>());
    }

    #[test]
    fn every_message_speaks_both_languages() {
        for m in every_message() {
            // The Chinese allowed in English: what Excel's menu says, the headers a field is
            // known by, and the character a test encoding cannot hold.
            assert_speaks_both(m.texts(), "另存为→最后联系销售额¥…");
        }
    }

    #[test]
    fn messages_read_exactly() {
        let text = |m: CmdMsg<'_>| m.texts();
        // An interrupted change says only what it had: files, rows, or both.
        let finished = |files, rows| {
            text(CmdMsg::JournalFinished {
                target: "customers",
                files,
                rows,
            })
        };
        assert_eq!(
            finished(2, 1),
            [
                "finished a change to customers that was interrupted: 2 files, 1 log row",
                "已完成上次中断的对 customers 的修改：2 个文件，1 行活动记录",
            ]
        );
        assert_eq!(
            finished(1, 0),
            [
                "finished a change to customers that was interrupted: 1 file",
                "已完成上次中断的对 customers 的修改：1 个文件",
            ]
        );
        assert_eq!(
            finished(0, 3),
            [
                "finished a change to customers that was interrupted: 3 log rows",
                "已完成上次中断的对 customers 的修改：3 行活动记录",
            ]
        );
        assert_eq!(
            text(CmdMsg::UnknownName {
                what: What::Section,
                text: "x",
                known: "stages, grades",
            }),
            [
                "unknown section \"x\" (known: stages, grades)",
                "未知的部分 \"x\"（可选：stages, grades）",
            ]
        );
        assert_eq!(
            text(CmdMsg::Unknown {
                what: What::Kind,
                text: "dance",
                expected: "call, visit",
            }),
            [
                "unknown kind \"dance\" (expected one of call, visit)",
                "未知的活动类型 \"dance\"（应为以下之一：call, visit）",
            ]
        );
        assert_eq!(
            text(CmdMsg::BackNeedsReason {
                id: "c1",
                stage: Stage::Trial,
            }),
            [
                "c1: moving back to trial needs --reason TEXT",
                "c1：退回试用客户阶段需要 --reason TEXT",
            ]
        );
        // Gates by a semicolon, what each misses by a comma; in Chinese, full-width.
        let gates = |intent: [&str; 2], quasi: &str| {
            vec![
                (Stage::Intent, intent.map(str::to_string).to_vec()),
                (Stage::Quasi, vec![quasi.to_string()]),
            ]
        };
        let en = gates(["needs_confirmed", "price_confirmed"], "payment_started");
        let zh = gates(["需求确认", "价格确认"], "开始付款");
        assert_eq!(
            CmdMsg::Blocked {
                id: "K1",
                gates: &en,
            }
            .text(Lang::En),
            "K1: cannot enter intent: needs_confirmed, price_confirmed; cannot enter quasi: payment_started",
        );
        assert_eq!(
            CmdMsg::Blocked {
                id: "K1",
                gates: &zh,
            }
            .text(Lang::Zh),
            "K1：无法进入意向客户：需求确认、价格确认；无法进入准客户：开始付款",
        );
        assert_eq!(
            text(CmdMsg::AlreadyLast {
                id: "K3",
                stage: Stage::Formal,
            }),
            [
                "K3: already formal, the last stage",
                "K3：已是正式客户，即最后一个阶段",
            ]
        );
        assert_eq!(
            text(CmdMsg::ChangedOnDisk {
                file: "customers.csv",
            }),
            [
                "customers.csv changed on disk since it was read (saved in another program?); nothing written, run again",
                "customers.csv 读取后已在磁盘上被修改（是否在其他程序中保存过？）；未写入任何内容，请重新运行",
            ]
        );
        assert_eq!(
            text(CmdMsg::CannotHold {
                encoding: "GBK",
                ch: '¥',
            }),
            [
                "GBK cannot hold the character '¥' of the new value; nothing written",
                "GBK 无法表示新值中的字符 '¥'；未写入任何内容",
            ]
        );
        assert_eq!(
            text(CmdMsg::NoRevenue {
                known: "revenue, 销售额, 营业额, 金额, …",
            }),
            [
                "no customer has revenue: no column holds revenue (revenue, 销售额, 营业额, 金额, …) and the log records no order, so every revenue figure is 0",
                "没有任何客户有营收：没有列存放 revenue（revenue, 销售额, 营业额, 金额, …），活动记录中也没有订单，因此所有营收数字都是 0",
            ]
        );
        assert_eq!(
            text(CmdMsg::OneTable),
            [
                "--format csv/tsv prints one table: add --section stages|grades|types|abc|owners|key_customers|lapsing|complaints|relationship|lost_reasons|changes",
                "--format csv/tsv 只输出一张表：请加 --section stages|grades|types|abc|owners|key_customers|lapsing|complaints|relationship|lost_reasons|changes",
            ]
        );
        // `text` and `Display` pick the language.
        let m = CmdMsg::IcsOnlyForDue;
        assert_eq!(m.text(Lang::En), "--format ics is only for `due`");
        assert_eq!(m.text(Lang::Zh), "--format ics 仅用于 `due`");
    }
}
