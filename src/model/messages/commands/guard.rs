//! What the guards on writes say: an output that would overwrite the workspace's own files,
//! a `--field` that would write over another kind of column, a book or log that cannot be
//! written safely, and a `log` row that would be wrong. Every one ends "nothing written".
//! English and Chinese side by side (see the module above).

use crate::model::{ActivityKind, Enumeration, FieldType};

/// What an output path turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protected {
    /// The book's file, or a folder book itself.
    Book,
    /// A file in a folder book.
    InBookFolder,
    Log,
    RuleFile,
    Config,
}

impl Protected {
    /// What the file is, as the end of a sentence about it, in English and in Chinese.
    fn predicate(self) -> [&'static str; 2] {
        match self {
            Protected::Book => ["is the customer book", "是客户台账"],
            Protected::InBookFolder => {
                ["is in the customer book's folder", "位于客户台账的文件夹中"]
            }
            Protected::Log => ["is the activity log", "是活动记录"],
            Protected::RuleFile => ["is a rule file", "是规则文件"],
            Protected::Config => ["is the workspace's configuration", "是工作区的配置文件"],
        }
    }
}

/// What a value given on the `log` command line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    Id,
    Note,
}

/// A kind of field, in English and in Chinese.
fn kind_names(ty: FieldType) -> [&'static str; 2] {
    match ty {
        FieldType::Str => ["text", "文本"],
        FieldType::Stage => ["stage", "阶段"],
        FieldType::Grade => ["grade", "等级"],
        FieldType::List => ["list", "名单"],
        FieldType::Traits => ["traits", "特征"],
        FieldType::Money => ["money", "金额"],
        FieldType::Date => ["date", "日期"],
        FieldType::MonthDay => ["month-day", "月日"],
        FieldType::Bool => ["yes/no", "是/否"],
        FieldType::Int => ["number", "数字"],
    }
}

/// A refusal of a guarded write.
#[derive(Clone, Debug)]
pub enum GuardMsg<'a> {
    /// An output option (`--html`) naming one of the workspace's own files.
    OutputIsInput {
        option: &'a str,
        file: &'a str,
        what: Protected,
    },
    /// `export DIR` where DIR is, or holds, one of the workspace's own files.
    ExportOverData {
        dir: &'a str,
        file: &'a str,
        what: Protected,
    },
    /// `--field ""` (or only spaces).
    EmptyField { given: &'a str },
    /// `--field` naming a field of the book that holds something else than what is written:
    /// the id, money, dates, another enumeration. `header` is the column as the book (or the
    /// user) names it, `writer` the command that writes (`tier --scheme abc`), `values` what
    /// it writes, `suggest` a column that would take them.
    WrongField {
        given: &'a str,
        header: &'a str,
        field: &'a str,
        /// None for the id, which is named as such.
        kind: Option<FieldType>,
        writer: &'a str,
        values: &'a [String],
        suggest: &'a str,
    },
    /// `--field` naming a column the rule files read (`field("...")`) that holds values of
    /// another kind than those written.
    RuleColumn {
        given: &'a str,
        header: &'a str,
        writer: &'a str,
        suggest: &'a str,
    },
    /// A file without write permission.
    ReadOnlyFile { file: &'a str },
    /// A UTF-8 file with non-ASCII text, read in a forced other encoding, to be written.
    Utf8ReadAs { file: &'a str, encoding: &'a str },
    /// The log's last line has no line end.
    LogIncompleteLine { file: &'a str },
    /// `log ID KIND --amount` for a kind that is not an order.
    AmountNotOrder { kind: ActivityKind },
    /// `log ID order` without `--amount`.
    OrderNeedsAmount,
    /// `log --date` after today.
    DateAfterToday { date: &'a str, today: &'a str },
    /// A control character in a value given on the command line.
    ControlChar { what: Arg, ch: char },
}

impl GuardMsg<'_> {
    /// The message in English and in Chinese.
    pub fn texts(&self) -> [String; 2] {
        match *self {
            GuardMsg::OutputIsInput { option, file, what } => {
                let [en, zh] = what.predicate();
                [
                    format!(
                        "{file} {en}: {option} will not write there; nothing written. Name another file for {option}"
                    ),
                    format!(
                        "{file} {zh}：{option} 不会写入那里；未写入任何内容。请为 {option} 另选一个文件"
                    ),
                ]
            }
            GuardMsg::ExportOverData { dir, file, what } => {
                let [en, zh] = what.predicate();
                [
                    format!(
                        "{file} {en}: export will not write into {dir}; nothing written. Name a folder that holds none of the workspace's files"
                    ),
                    format!(
                        "{file} {zh}：export 不会写入 {dir}；未写入任何内容。请另选一个不含工作区文件的文件夹"
                    ),
                ]
            }
            GuardMsg::EmptyField { given } => [
                format!(
                    "--field \"{given}\" names no column; nothing written. Name the column to store the values in"
                ),
                format!("--field \"{given}\" 没有指明任何列；未写入任何内容。请指明存放结果的列"),
            ],
            GuardMsg::WrongField {
                given,
                header,
                field,
                kind,
                writer,
                values,
                suggest,
            } => {
                let holds = match kind {
                    None => ["the customers' ids".to_string(), "客户编号".to_string()],
                    // A stage is of the kind stage: the kind is said when it tells more.
                    Some(ty) if ty.name() == field => [
                        format!("the customers' {field}"),
                        format!("客户的 {field}"),
                    ],
                    Some(ty) => {
                        let [en, zh] = kind_names(ty);
                        [
                            format!("the customers' {field} ({en})"),
                            format!("客户的 {field}（{zh}）"),
                        ]
                    }
                };
                // "…" stands for values left out, and is not one.
                let quoted: Vec<String> = values
                    .iter()
                    .map(|v| match v.as_str() {
                        "…" => v.clone(),
                        v => format!("\"{v}\""),
                    })
                    .collect();
                let [holds_en, holds_zh] = holds;
                [
                    format!(
                        "--field {given}: column \"{header}\" holds {holds_en}; {writer} would write {} over it; nothing written. Name a column of its own, e.g. --field {suggest}",
                        quoted.join(", ")
                    ),
                    format!(
                        "--field {given}：列 \"{header}\" 存放{holds_zh}；{writer} 会用 {} 覆盖它；未写入任何内容。请另用一列，例如 --field {suggest}",
                        quoted.join("、")
                    ),
                ]
            }
            GuardMsg::RuleColumn {
                given,
                header,
                writer,
                suggest,
            } => [
                format!(
                    "--field {given}: the rule files read column \"{header}\" (field(\"{header}\")), and it holds other values than {writer} writes; writing there would change what the rules decide; nothing written. Name a column of its own, e.g. --field {suggest}"
                ),
                format!(
                    "--field {given}：规则文件会读取列 \"{header}\"（field(\"{header}\")），而其中的值不是 {writer} 写入的那种；写入会改变规则的判断；未写入任何内容。请另用一列，例如 --field {suggest}"
                ),
            ],
            GuardMsg::ReadOnlyFile { file } => [
                format!("{file} is read-only: nothing written"),
                format!("{file} 是只读文件：未写入任何内容"),
            ],
            GuardMsg::Utf8ReadAs { file, encoding } => [
                format!(
                    "{file} is UTF-8 text but was read as {encoding} (--encoding, or encoding in clientele.toml): writing to it would mix {encoding} into its UTF-8 text; nothing written. Leave the encoding out to read it as UTF-8"
                ),
                format!(
                    "{file} 是 UTF-8 文本，却按 {encoding} 读取（--encoding 或 clientele.toml 中的 encoding）：写入会把 {encoding} 混入其 UTF-8 文本；未写入任何内容。请去掉该编码设置，按 UTF-8 读取"
                ),
            ],
            GuardMsg::LogIncompleteLine { file } => [
                format!(
                    "{file}: the last line does not end with a line break, so it may have been cut short; nothing written. Check that line, end it with a line break, and run again"
                ),
                format!(
                    "{file}：最后一行没有以换行结尾，可能不完整；未写入任何内容。请检查该行，在行尾换行后重新运行"
                ),
            ],
            GuardMsg::AmountNotOrder { kind } => [
                format!("--amount is for orders only, and a {} has no amount; nothing written", kind.id()),
                format!("--amount 只用于订单，{}没有金额；未写入任何内容", kind.zh()),
            ],
            GuardMsg::OrderNeedsAmount => [
                "an order needs --amount: without one it would count as 0 in the revenue; nothing written. Give --amount 0 if it really was 0"
                    .into(),
                "订单需要 --amount：不给金额会按 0 计入营收；未写入任何内容。如果金额确实为 0，请写 --amount 0"
                    .into(),
            ],
            GuardMsg::DateAfterToday { date, today } => [
                format!(
                    "--date {date} is after today ({today}): log a touch once it has happened (a call-back is planned with `clientele plan`); nothing written"
                ),
                format!(
                    "--date {date} 晚于今天（{today}）：请在联系发生后再记录（约定回访请用 `clientele plan`）；未写入任何内容"
                ),
            ],
            GuardMsg::ControlChar { what, ch } => {
                let code = format!("U+{:04X}", u32::from(ch));
                let [en, zh] = match what {
                    Arg::Id => ["customer id", "客户编号"],
                    Arg::Note => ["note", "备注"],
                };
                [
                    format!(
                        "the {en} holds the control character {code}, which has no place in the activity log; nothing written"
                    ),
                    format!("{zh}中含有控制字符 {code}，不能写入活动记录；未写入任何内容"),
                ]
            }
        }
    }
}

speaks!(GuardMsg<'_>);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::messages::assert_speaks_both;

    /// One of each message (and of each protected file and argument).
    fn every_message() -> Vec<GuardMsg<'static>> {
        let values: &'static [String] = vec!["A".to_string(), "B".to_string()].leak();
        let output = |what| GuardMsg::OutputIsInput {
            option: "--html",
            file: "customers.csv",
            what,
        };
        vec![
            output(Protected::Book),
            output(Protected::InBookFolder),
            output(Protected::Log),
            output(Protected::RuleFile),
            output(Protected::Config),
            GuardMsg::ExportOverData {
                dir: "out",
                file: "out/customers.csv",
                what: Protected::Book,
            },
            GuardMsg::EmptyField { given: "" },
            GuardMsg::WrongField {
                given: "revenue",
                header: "revenue",
                field: "revenue",
                kind: Some(FieldType::Money),
                writer: "tier --scheme abc",
                values,
                suggest: "abc",
            },
            GuardMsg::WrongField {
                given: "id",
                header: "id",
                field: "id",
                kind: None,
                writer: "classify",
                values,
                suggest: "type",
            },
            GuardMsg::RuleColumn {
                given: "region",
                header: "region",
                writer: "tier --scheme abc",
                suggest: "abc",
            },
            GuardMsg::ReadOnlyFile {
                file: "customers.csv",
            },
            GuardMsg::Utf8ReadAs {
                file: "customers.csv",
                encoding: "GBK",
            },
            GuardMsg::LogIncompleteLine {
                file: "activities.csv",
            },
            GuardMsg::AmountNotOrder {
                kind: ActivityKind::Call,
            },
            GuardMsg::OrderNeedsAmount,
            GuardMsg::DateAfterToday {
                date: "2099-01-01",
                today: "2026-11-22",
            },
            GuardMsg::ControlChar {
                what: Arg::Id,
                ch: '\u{1}',
            },
            GuardMsg::ControlChar {
                what: Arg::Note,
                ch: '\u{1b}',
            },
        ]
    }

    /// Names every variant: a new one does not compile until it is added here, and so to
    /// the list above.
    fn listed(m: &GuardMsg<'_>) -> usize {
        match m {
            GuardMsg::OutputIsInput { .. } => 0,
            GuardMsg::EmptyField { .. } => 1,
            GuardMsg::WrongField { .. } => 2,
            GuardMsg::RuleColumn { .. } => 3,
            GuardMsg::ReadOnlyFile { .. } => 4,
            GuardMsg::Utf8ReadAs { .. } => 5,
            GuardMsg::LogIncompleteLine { .. } => 6,
            GuardMsg::AmountNotOrder { .. } => 7,
            GuardMsg::OrderNeedsAmount => 8,
            GuardMsg::DateAfterToday { .. } => 9,
            GuardMsg::ControlChar { .. } => 10,
            GuardMsg::ExportOverData { .. } => 11,
        }
    }

    #[test]
    fn every_message_is_listed() {
        let mut seen: Vec<usize> = every_message().iter().map(listed).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen, (0..12).collect::<Vec<_>>());
    }

    #[test]
    fn every_message_speaks_both_languages() {
        for m in every_message() {
            assert_speaks_both(m.texts(), "");
        }
    }

    #[test]
    fn messages_read_exactly() {
        let values = ["A".to_string(), "B".to_string(), "C".to_string()];
        assert_eq!(
            GuardMsg::WrongField {
                given: "revenue",
                header: "销售额",
                field: "revenue",
                kind: Some(FieldType::Money),
                writer: "tier --scheme abc",
                values: &values,
                suggest: "abc",
            }
            .texts(),
            [
                "--field revenue: column \"销售额\" holds the customers' revenue (money); tier --scheme abc would write \"A\", \"B\", \"C\" over it; nothing written. Name a column of its own, e.g. --field abc",
                "--field revenue：列 \"销售额\" 存放客户的 revenue（金额）；tier --scheme abc 会用 \"A\"、\"B\"、\"C\" 覆盖它；未写入任何内容。请另用一列，例如 --field abc",
            ]
        );
        assert_eq!(
            GuardMsg::ReadOnlyFile {
                file: "customers.csv"
            }
            .texts(),
            [
                "customers.csv is read-only: nothing written",
                "customers.csv 是只读文件：未写入任何内容",
            ]
        );
        assert_eq!(
            GuardMsg::ControlChar {
                what: Arg::Note,
                ch: '\u{1b}',
            }
            .texts(),
            [
                "the note holds the control character U+001B, which has no place in the activity log; nothing written",
                "备注中含有控制字符 U+001B，不能写入活动记录；未写入任何内容",
            ]
        );
    }
}
