//! What the readers say about the user's files: the customer book (CSV, TOML, a folder,
//! a workbook), the activity log, clientele.toml, and their encodings.
//! English and Chinese side by side (see the module above).

/// What a value was expected to be, when a cell (or an argument) cannot be read as one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    Date,
    MonthDay,
    Bool,
    Duration,
    Amount,
    Decimals,
    UnitDecimals,
    AmountRange,
    AmbiguousDate,
    Weekday,
    /// A day as a rep says it (`plan`, `snooze`).
    Day,
    Rating,
    WholeNumber,
}

impl Why {
    /// Every reason, for the test that each speaks both languages.
    pub const ALL: [Why; 13] = [
        Why::Date,
        Why::MonthDay,
        Why::Bool,
        Why::Duration,
        Why::Amount,
        Why::Decimals,
        Why::UnitDecimals,
        Why::AmountRange,
        Why::AmbiguousDate,
        Why::Weekday,
        Why::Day,
        Why::Rating,
        Why::WholeNumber,
    ];

    /// The reason in English and in Chinese.
    pub fn texts(&self) -> [String; 2] {
        let [en, zh] = match self {
            Why::Date => [
                "expected a date like 2025-04-11",
                "应为 2025-04-11 这样的日期",
            ],
            Why::MonthDay => [
                "expected a month-day like 04-11 or a date",
                "应为 04-11 这样的月-日，或一个日期",
            ],
            Why::Bool => [
                "expected yes/no (true/false, 是/否, 1/0)",
                "应为 是/否（yes/no、true/false、1/0）",
            ],
            Why::Duration => [
                "expected a duration like 7d, 2w or 3m",
                "应为 7d、2w、3m 这样的时长",
            ],
            Why::Amount => [
                "expected an amount like 1,234.50",
                "应为 1,234.50 这样的金额",
            ],
            Why::Decimals => ["more than two decimals", "小数超过两位"],
            Why::UnitDecimals => [
                "more decimals than the unit (万, 亿, 千) leaves in whole cents",
                "小数位数太多：按单位（万、亿、千）换算后不是整分",
            ],
            Why::AmountRange => ["amount too large", "金额太大"],
            Why::AmbiguousDate => [
                "day and month could be either way round: set date_order = \"mdy\" or \"dmy\" in clientele.toml",
                "日和月的先后无法判断：请在 clientele.toml 中设置 date_order = \"mdy\" 或 \"dmy\"",
            ],
            Why::Weekday => [
                "the weekday written after it is not that date's",
                "后面写的星期几与这个日期不符",
            ],
            Why::Day => [
                "expected a date (2026-12-08), a weekday (tue, 周二), tomorrow (明天), or a span from today (+3d, 2w, 1m)",
                "可写 2026-12-08、周二（tue）、明天（tomorrow），或从今天算起的 +3d、2w、1m",
            ],
            Why::Rating => ["expected a rating from 1 to 5", "应为 1 到 5 的评分"],
            Why::WholeNumber => ["expected a whole number", "应为整数"],
        };
        [en.to_string(), zh.to_string()]
    }
}

speaks!(Why);

/// A message of the readers.
#[derive(Clone, Debug)]
pub enum ReadMsg<'a> {
    /// A cell (or a log field) whose text is not the value its column holds.
    CannotRead {
        text: &'a str,
        why: Why,
    },
    /// A row without an id.
    MissingId,
    /// A value that is none of an enumeration's (`what`: "stage", "grade", "list", "kind").
    Unknown {
        what: &'a str,
        text: &'a str,
        /// The ids, and the Chinese names.
        expected: &'a str,
        expected_zh: &'a str,
    },
    /// A type no type set has.
    UnknownType {
        text: &'a str,
        known: &'a str,
    },
    /// An id seen before: `first` is the line (`path` when another file).
    DuplicateId {
        id: &'a str,
        first_path: Option<&'a str>,
        first_line: u32,
    },
    /// The CSV reader's own error.
    Csv {
        error: &'a str,
    },
    /// A title or note above the header: a note.
    RowAboveHeader,
    BookEmpty,
    /// `header_row = N` names a line (row) that holds nothing; `sheet` in a workbook.
    HeaderRowEmpty {
        n: usize,
        sheet: Option<&'a str>,
    },
    SheetEmpty {
        sheet: &'a str,
    },
    /// No header within the first `rows`; `sheet` in a workbook.
    NoIdColumnWithin {
        rows: usize,
        sheet: Option<&'a str>,
    },
    NoIdColumn,
    /// How to name the id column; `further_down`: and how to say where the header is.
    IdColumnHint {
        further_down: bool,
    },
    NotUtf8,
    QuoteNeverClosed,
    /// What a quote never closed in the activity log does: the `lines` after its own are
    /// read as part of the field (0: the log ends on the quote's line); `append`: said to
    /// `log`, which refuses to write a row that would be read the same way.
    LogQuoteHint {
        lines: usize,
        append: bool,
    },
    /// The encoding a file was read in, when not UTF-8 (a note of `check`).
    ReadAs {
        name: &'a str,
    },
    /// A log row in UTF-8 in a log read in another encoding: what it reads as, what it
    /// meant.
    Utf8Row {
        name: &'a str,
        read: &'a str,
        meant: &'a str,
    },
    RowWidth {
        fields: usize,
        header: usize,
    },
    /// A key of a TOML book holding a table.
    TomlNotPlain {
        key: &'a str,
    },
    /// A key of a TOML book holding a list of lists or tables.
    TomlNotList {
        key: &'a str,
    },
    TomlNoId,
    TomlNotTables,
    WorkbookPassword,
    WorkbookUnreadable {
        error: &'a str,
    },
    NoSuchSheet {
        name: &'a str,
        file: &'a str,
        sheets: &'a str,
    },
    NoSheet,
    ExcelError {
        error: &'a str,
    },
    UnknownUnit {
        unit: &'a str,
        header: &'a str,
    },
    /// A column no field takes (a note), with the field its header is like.
    UnusedColumn {
        header: &'a str,
        like: Option<&'a str>,
    },
    /// Two columns holding one field (by its id, and its Chinese header).
    TwoColumns {
        a: &'a str,
        b: &'a str,
        field: &'a str,
        field_zh: &'a str,
    },
    TotalsRow {
        word: &'a str,
    },
    NoBook {
        path: &'a str,
    },
    /// Bytes no encoding reads: `guess` is the legacy encoding detection settled on.
    Undecodable {
        guess: Option<&'a str>,
        name: &'a str,
        byte: u8,
    },
    EncodingHint,
    /// A TOML file (`clientele.toml`, a rule file) is UTF-8 by the format's definition.
    TomlUtf8Hint,
    LogNotUtf8,
    LogHeader {
        columns: &'a str,
    },
    MoreRowErrors {
        rows: u64,
    },
    MoreUnknownCustomers {
        rows: u64,
    },
    UnknownCustomer {
        id: &'a str,
    },
    // clientele.toml
    UnknownLang {
        text: &'a str,
    },
    BadUtcOffset {
        text: &'a str,
    },
    HeaderRowNumber,
    UnknownDateOrder {
        text: &'a str,
    },
    UnknownDateSystem {
        text: &'a str,
    },
    UnknownColumnField {
        key: &'a str,
    },
    UnknownWeekday {
        text: &'a str,
    },
    UnknownEncoding {
        label: &'a str,
    },
    // What is at a path where a file or a folder is expected.
    /// A folder where a file is expected.
    FolderNotFile {
        path: &'a str,
    },
    /// A folder named like a file of a book (`customers.csv`), where a book is expected.
    BookFolderNamedAsFile {
        path: &'a str,
    },
    /// A symbolic link whose target does not exist.
    DanglingLink {
        path: &'a str,
        target: &'a str,
    },
    /// A file (or other entry) where a folder is expected.
    NotAFolder {
        path: &'a str,
    },
    /// The rules folder named by `--rules` (`flag`) or by `rules` in clientele.toml, missing.
    NoRulesFolder {
        path: &'a str,
        flag: bool,
    },
}

/// What an enumeration is called in Chinese, from its English `WHAT`.
fn what_zh(what: &str) -> &str {
    match what {
        "stage" => "阶段",
        "grade" => "等级",
        "list" => "名单",
        "kind" => "活动类型",
        "intent" => "购买意向",
        other => other,
    }
}

impl ReadMsg<'_> {
    /// The message in English and in Chinese.
    pub fn texts(&self) -> [String; 2] {
        match *self {
            ReadMsg::CannotRead { text, why } => {
                let [en, zh] = why.texts();
                [
                    format!("cannot read \"{text}\": {en}"),
                    format!("无法识别 \"{text}\"：{zh}"),
                ]
            }
            ReadMsg::MissingId => ["missing id".into(), "缺少客户编号".into()],
            ReadMsg::Unknown {
                what,
                text,
                expected,
                expected_zh,
            } => [
                format!("unknown {what} \"{text}\" (expected one of {expected})"),
                format!(
                    "未知的{} \"{text}\"（应为 {expected_zh} 之一，或 {expected}）",
                    what_zh(what)
                ),
            ],
            ReadMsg::UnknownType { text, known } => [
                format!(
                    "unknown type \"{text}\" (expected one of {known}, or a type of another set)"
                ),
                format!("未知的客户类型 \"{text}\"（应为 {known} 之一，或其他类型集中的类型）"),
            ],
            ReadMsg::DuplicateId {
                id,
                first_path,
                first_line,
            } => match first_path {
                None => [
                    format!("duplicate id \"{id}\" (first on line {first_line})"),
                    format!("客户编号 \"{id}\" 重复（第一次在第 {first_line} 行）"),
                ],
                Some(p) => [
                    format!("duplicate id \"{id}\" (first on {p}:{first_line})"),
                    format!("客户编号 \"{id}\" 重复（第一次在 {p}:{first_line}）"),
                ],
            },
            ReadMsg::Csv { error } => [
                format!("cannot read CSV: {error}"),
                format!("无法按 CSV 读取：{error}"),
            ],
            ReadMsg::RowAboveHeader => [
                "a row above the header (a title or a note): skipped".into(),
                "表头上方的一行（标题或说明）：已跳过".into(),
            ],
            ReadMsg::BookEmpty => [
                "the customer book is empty: expected a header line with an id column".into(),
                "客户台账是空的：应有一行含客户编号列的表头".into(),
            ],
            ReadMsg::HeaderRowEmpty { n, sheet: None } => [
                format!("header_row = {n} in clientele.toml, but line {n} holds no row of the book"),
                format!("clientele.toml 中 header_row = {n}，但第 {n} 行不是台账的一行"),
            ],
            ReadMsg::HeaderRowEmpty { n, sheet: Some(s) } => [
                format!("header_row = {n} in clientele.toml, but row {n} of sheet \"{s}\" is empty"),
                format!("clientele.toml 中 header_row = {n}，但工作表 \"{s}\" 的第 {n} 行是空的"),
            ],
            ReadMsg::SheetEmpty { sheet } => [
                format!("sheet \"{sheet}\" is empty: expected a header row with an id column"),
                format!("工作表 \"{sheet}\" 是空的：应有一行含客户编号列的表头"),
            ],
            ReadMsg::NoIdColumnWithin { rows, sheet: None } => [
                format!("no id column: none of the first {rows} rows names one"),
                format!("没有客户编号列：前 {rows} 行都没有"),
            ],
            ReadMsg::NoIdColumnWithin {
                rows,
                sheet: Some(s),
            } => [
                format!("no id column: none of the first {rows} rows of sheet \"{s}\" names one"),
                format!("没有客户编号列：工作表 \"{s}\" 的前 {rows} 行都没有"),
            ],
            ReadMsg::NoIdColumn => ["no id column".into(), "没有客户编号列".into()],
            ReadMsg::IdColumnHint { further_down } => {
                let [mut en, mut zh] = [
                    "name one column id (or 客户编号 / 编号), or map yours with `[columns] id = \"...\"` in clientele.toml".to_string(),
                    "把一列命名为 客户编号（或 编号 / id），或在 clientele.toml 中用 `[columns] id = \"...\"` 指明你的列".to_string(),
                ];
                if further_down {
                    en.push_str("; if the header is further down, say where with `header_row = N`");
                    zh.push_str("；如果表头在更下面，用 `header_row = N` 说明在第几行");
                }
                [en, zh]
            }
            ReadMsg::NotUtf8 => ["not valid UTF-8".into(), "不是有效的 UTF-8".into()],
            ReadMsg::QuoteNeverClosed => [
                "this quoted field is never closed: a `\"` is missing".into(),
                "这个带引号的字段没有结束：缺少一个 `\"`".into(),
            ],
            ReadMsg::LogQuoteHint { lines, append } => {
                let (s, are) = if lines == 1 { ("", "is") } else { ("s", "are") };
                let fix = "(a `\"` inside a field is written `\"\"`)";
                let fix_zh = "（字段内的 `\"` 要写成 `\"\"`）";
                match (lines, append) {
                    (0, false) => [
                        format!("the log ends inside this field: add the missing `\"` where the field ends {fix}"),
                        format!("活动记录在这个字段里结束：请在字段结束处补上缺少的 `\"`{fix_zh}"),
                    ],
                    (_, false) => [
                        format!(
                            "the {lines} line{s} after it {are} read as part of this field, not as rows: add the missing `\"` where the field ends {fix}"
                        ),
                        format!(
                            "它后面的 {lines} 行都被读成这个字段的一部分，而不是记录：请在字段结束处补上缺少的 `\"`{fix_zh}"
                        ),
                    ],
                    (0, true) => [
                        format!(
                            "a row appended now would be read as part of this field: nothing written; add the missing `\"` first {fix}"
                        ),
                        format!(
                            "现在追加的记录会被读成这个字段的一部分：未写入任何内容；请先补上缺少的 `\"`{fix_zh}"
                        ),
                    ],
                    (_, true) => [
                        format!(
                            "the {lines} line{s} after it {are} read as part of this field, not as rows, and a row appended now would be too: nothing written; add the missing `\"` first {fix}"
                        ),
                        format!(
                            "它后面的 {lines} 行都被读成这个字段的一部分，而不是记录，现在追加的记录也会如此：未写入任何内容；请先补上缺少的 `\"`{fix_zh}"
                        ),
                    ],
                }
            }
            ReadMsg::ReadAs { name } => [format!("read as {name}"), format!("按 {name} 编码读取")],
            ReadMsg::Utf8Row { name, read, meant } => [
                format!(
                    "this row is UTF-8 in a {name} log: it reads \"{read}\", meant \"{meant}\"; \
                     save it in {name} again, or add rows with `clientele log`"
                ),
                format!(
                    "这一行是 UTF-8 编码，日志却是 {name}：读作\"{read}\"，原为\"{meant}\"；\
                     请按 {name} 重新保存这一行，或用 `clientele log` 添加记录"
                ),
            ],
            ReadMsg::RowWidth { fields, header } => [
                format!("this row has {fields} fields, the header has {header}"),
                format!("这一行有 {fields} 个字段，表头有 {header} 个"),
            ],
            ReadMsg::TomlNotPlain { key } => [
                format!("\"{key}\" must be a plain value, not a table"),
                format!("\"{key}\" 应为单个值，不能是表"),
            ],
            ReadMsg::TomlNotList { key } => [
                format!("\"{key}\" must be a list of plain values"),
                format!("\"{key}\" 应为由单个值组成的列表"),
            ],
            ReadMsg::TomlNoId => ["this customer has no id".into(), "这位客户没有编号".into()],
            ReadMsg::TomlNotTables => [
                "`customer` must be an array of tables: [[customer]]".into(),
                "`customer` 应为表数组：[[customer]]".into(),
            ],
            ReadMsg::WorkbookPassword => [
                "the workbook is protected by a password: save it without one, or save the sheet as CSV".into(),
                "工作簿有密码保护：请去掉密码另存，或把工作表另存为 CSV".into(),
            ],
            ReadMsg::WorkbookUnreadable { error } => [
                format!(
                    "cannot read the workbook ({error}): is it a whole, unencrypted .xlsx, .xls or .ods file?"
                ),
                format!("无法读取工作簿（{error}）：它是完整、未加密的 .xlsx、.xls 或 .ods 文件吗？"),
            ],
            ReadMsg::NoSuchSheet { name, file, sheets } => [
                format!("no sheet \"{name}\" in {file} (its sheets: {sheets})"),
                format!("{file} 中没有工作表 \"{name}\"（它的工作表：{sheets}）"),
            ],
            ReadMsg::NoSheet => ["the workbook has no sheet".into(), "工作簿中没有工作表".into()],
            ReadMsg::ExcelError { error } => [
                format!("the cell holds an Excel error ({error})"),
                format!("单元格里是 Excel 的错误值（{error}）"),
            ],
            ReadMsg::UnknownUnit { unit, header } => [
                format!(
                    "unknown unit \"{unit}\" in the header \"{header}\" of a money column (expected 元, 千元, 万元, 百万, 亿 or a currency such as RMB or USD)"
                ),
                format!(
                    "金额列的表头 \"{header}\" 中有未知的单位 \"{unit}\"（应为 元、千元、万元、百万、亿，或 RMB、USD 这样的币种）"
                ),
            ],
            ReadMsg::UnusedColumn { header, like: None } => [
                format!("column \"{header}\" is not used by any rule; it is kept as it is"),
                format!("列 \"{header}\" 没有规则用到；原样保留"),
            ],
            ReadMsg::UnusedColumn {
                header,
                like: Some(f),
            } => [
                format!(
                    "column \"{header}\" is not used; did you mean {f}? map it with `[columns] {f} = \"{header}\"` in clientele.toml"
                ),
                format!(
                    "列 \"{header}\" 没有用到；是指 {f} 吗？可在 clientele.toml 中用 `[columns] {f} = \"{header}\"` 指明"
                ),
            ],
            ReadMsg::TwoColumns {
                a,
                b,
                field,
                field_zh,
            } => [
                format!("column \"{a}\" and column \"{b}\" both hold {field}"),
                format!("列 \"{a}\" 和列 \"{b}\" 都是{field_zh}"),
            ],
            ReadMsg::TotalsRow { word } => [
                format!("a totals row ({word}), not a customer: skipped"),
                format!("合计行（{word}），不是客户：已跳过"),
            ],
            ReadMsg::NoBook { path } => [
                format!(
                    "no customer book at {path} (create one with `clientele init`, or point to it with --customers or `customers` in clientele.toml)"
                ),
                format!(
                    "{path} 没有客户台账（用 `clientele init` 新建一个，或用 --customers 或 clientele.toml 中的 `customers` 指明位置）"
                ),
            ],
            ReadMsg::Undecodable {
                guess: Some(guess),
                byte,
                ..
            } => [
                format!(
                    "cannot decode the file: not valid UTF-8, and not valid {guess} either (byte 0x{byte:02X})"
                ),
                format!(
                    "无法解码文件：不是有效的 UTF-8，也不是有效的 {guess}（字节 0x{byte:02X}）"
                ),
            ],
            ReadMsg::Undecodable {
                guess: None,
                name,
                byte,
            } => [
                format!("cannot decode the file: not valid {name} (byte 0x{byte:02X})"),
                format!("无法解码文件：不是有效的 {name}（字节 0x{byte:02X}）"),
            ],
            ReadMsg::EncodingHint => [
                "pass --encoding NAME (e.g. gbk, utf-8, big5) if the file is in another encoding"
                    .into(),
                "如果文件是别的编码，请加 --encoding 编码名（如 gbk、utf-8、big5）".into(),
            ],
            ReadMsg::TomlUtf8Hint => [
                "a TOML file must be UTF-8: save it as UTF-8 (in Notepad: Save as, Encoding UTF-8)"
                    .into(),
                "TOML 文件必须是 UTF-8 编码：请另存为 UTF-8（记事本：另存为，编码选 UTF-8）".into(),
            ],
            ReadMsg::LogNotUtf8 => [
                "not valid UTF-8 (pass --encoding if the log is in another encoding)".into(),
                "不是有效的 UTF-8（如果活动记录是别的编码，请加 --encoding）".into(),
            ],
            ReadMsg::LogHeader { columns } => [
                format!("the activity log's header must name the columns {columns}"),
                format!("活动记录的表头应含这些列：{columns}"),
            ],
            ReadMsg::MoreRowErrors { rows } => [
                format!("{rows} more rows with errors not shown"),
                format!("另有 {rows} 行有错误，未列出"),
            ],
            ReadMsg::MoreUnknownCustomers { rows } => [
                format!("{rows} more rows name unknown customers"),
                format!("另有 {rows} 行记的是台账里没有的客户"),
            ],
            ReadMsg::UnknownCustomer { id } => [
                format!("unknown customer \"{id}\""),
                format!("台账里没有客户 \"{id}\""),
            ],
            ReadMsg::UnknownLang { text } => [
                format!("unknown lang \"{text}\" (expected en or zh)"),
                format!("未知的语言 \"{text}\"（应为 en 或 zh）"),
            ],
            ReadMsg::BadUtcOffset { text } => [
                format!("cannot read utc_offset \"{text}\" (expected like +08:00)"),
                format!("无法识别 utc_offset \"{text}\"（应为 +08:00 这样的时差）"),
            ],
            ReadMsg::HeaderRowNumber => [
                "header_row is a line number, 1 or more".into(),
                "header_row 是行号，应为 1 或更大".into(),
            ],
            ReadMsg::UnknownDateOrder { text } => [
                format!("unknown date_order \"{text}\" (expected \"mdy\" or \"dmy\")"),
                format!("未知的 date_order \"{text}\"（应为 \"mdy\" 或 \"dmy\"）"),
            ],
            ReadMsg::UnknownDateSystem { text } => [
                format!("unknown date_system {text} (expected 1900, Excel's usual, or 1904)"),
                format!("未知的 date_system {text}（应为 Excel 常用的 1900，或 1904）"),
            ],
            ReadMsg::UnknownColumnField { key } => [
                format!("unknown field \"{key}\" in [columns]"),
                format!("[columns] 中有未知的字段 \"{key}\""),
            ],
            ReadMsg::UnknownWeekday { text } => [
                format!("unknown weekday \"{text}\" (expected mon … sun)"),
                format!("未知的星期 \"{text}\"（应为 mon … sun，或 周一 … 周日）"),
            ],
            ReadMsg::UnknownEncoding { label } => [
                format!("unknown encoding \"{label}\""),
                format!("未知的编码 \"{label}\""),
            ],
            ReadMsg::FolderNotFile { path } => [
                format!("{path} is a folder, not a file"),
                format!("{path} 是文件夹，不是文件"),
            ],
            ReadMsg::BookFolderNamedAsFile { path } => [
                format!(
                    "{path} is a folder, not a file (a book kept as a folder of TOML files is named without an extension, such as customers/)"
                ),
                format!(
                    "{path} 是文件夹，不是文件（按文件夹保存的 TOML 客户台账，文件夹名不带扩展名，如 customers/）"
                ),
            ],
            ReadMsg::DanglingLink { path, target } => [
                format!("{path} is a link to {target}, which does not exist"),
                format!("{path} 是指向 {target} 的链接，但链接的目标不存在"),
            ],
            ReadMsg::NotAFolder { path } => [
                format!("{path} is not a folder"),
                format!("{path} 不是文件夹"),
            ],
            ReadMsg::NoRulesFolder { path, flag } => {
                let by = if flag { "--rules" } else { "`rules`" };
                [
                    format!(
                        "the rules folder {path} does not exist (leave out {by} to use the rules/ folder beside the book, or else the built-in rules)"
                    ),
                    format!(
                        "规则文件夹 {path} 不存在（去掉 {by}，即使用台账旁的 rules/ 文件夹，没有则用内置规则）"
                    ),
                ]
            }
        }
    }
}

speaks!(ReadMsg<'_>);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;
    use crate::model::messages::assert_speaks_both;

    /// One of each message (both forms of those with two).
    fn every_message() -> Vec<ReadMsg<'static>> {
        use ReadMsg::*;
        vec![
            CannotRead {
                text: "2025年13月11日",
                why: Why::Date,
            },
            MissingId,
            Unknown {
                what: "stage",
                text: "bogus",
                expected: "potential, trial",
                expected_zh: "潜在客户、试用客户",
            },
            UnknownType {
                text: "x",
                known: "a, b",
            },
            DuplicateId {
                id: "C1",
                first_path: None,
                first_line: 2,
            },
            DuplicateId {
                id: "C1",
                first_path: Some("customers/a.toml"),
                first_line: 2,
            },
            Csv { error: "x" },
            RowAboveHeader,
            BookEmpty,
            HeaderRowEmpty { n: 3, sheet: None },
            HeaderRowEmpty {
                n: 3,
                sheet: Some("Sheet1"),
            },
            SheetEmpty { sheet: "Sheet1" },
            NoIdColumnWithin {
                rows: 20,
                sheet: None,
            },
            NoIdColumnWithin {
                rows: 20,
                sheet: Some("Sheet1"),
            },
            NoIdColumn,
            IdColumnHint {
                further_down: false,
            },
            IdColumnHint { further_down: true },
            NotUtf8,
            QuoteNeverClosed,
            LogQuoteHint {
                lines: 0,
                append: false,
            },
            LogQuoteHint {
                lines: 1,
                append: false,
            },
            LogQuoteHint {
                lines: 0,
                append: true,
            },
            LogQuoteHint {
                lines: 3,
                append: true,
            },
            ReadAs { name: "GBK" },
            Utf8Row {
                name: "GBK",
                read: "call,,??",
                meant: "call,,ok",
            },
            RowWidth {
                fields: 4,
                header: 3,
            },
            TomlNotPlain { key: "k" },
            TomlNotList { key: "k" },
            TomlNoId,
            TomlNotTables,
            WorkbookPassword,
            WorkbookUnreadable { error: "zip" },
            NoSuchSheet {
                name: "x",
                file: "a.xlsx",
                sheets: "Sheet1",
            },
            NoSheet,
            ExcelError { error: "#N/A" },
            UnknownUnit {
                unit: "件",
                header: "销售额（件）",
            },
            UnusedColumn {
                header: "note",
                like: None,
            },
            UnusedColumn {
                header: "note",
                like: Some("name"),
            },
            TwoColumns {
                a: "a",
                b: "b",
                field: "name",
                field_zh: "客户名称",
            },
            TotalsRow { word: "total" },
            NoBook {
                path: "customers.csv",
            },
            Undecodable {
                guess: Some("GBK"),
                name: "GBK",
                byte: 0xFF,
            },
            Undecodable {
                guess: None,
                name: "UTF-8",
                byte: 0xFF,
            },
            EncodingHint,
            TomlUtf8Hint,
            LogNotUtf8,
            LogHeader { columns: "date" },
            MoreRowErrors { rows: 2 },
            MoreUnknownCustomers { rows: 2 },
            UnknownCustomer { id: "C9" },
            UnknownLang { text: "fr" },
            BadUtcOffset { text: "8" },
            HeaderRowNumber,
            UnknownDateOrder { text: "ymd" },
            UnknownDateSystem { text: "1901" },
            UnknownColumnField { key: "k" },
            UnknownWeekday { text: "x" },
            UnknownEncoding { label: "x" },
            FolderNotFile {
                path: "activities.csv",
            },
            BookFolderNamedAsFile {
                path: "customers.csv",
            },
            DanglingLink {
                path: "rules/cadence.toml",
                target: "../team-rules/cadence.toml",
            },
            NotAFolder { path: "rules" },
            NoRulesFolder {
                path: "rules",
                flag: true,
            },
            NoRulesFolder {
                path: "rules",
                flag: false,
            },
        ]
    }

    #[test]
    fn every_message_speaks_both_languages() {
        // English may quote the Chinese a user writes or reads in their sheets.
        let allowed = "年月日客户编号元千万百亿件销售额（）是否周二明天…";
        for m in every_message() {
            assert_speaks_both(m.texts(), allowed);
        }
        for why in Why::ALL {
            assert_speaks_both(why.texts(), allowed);
        }
    }

    #[test]
    fn messages_read_exactly() {
        let bad_date = ReadMsg::CannotRead {
            text: "2025年13月11日",
            why: Why::Date,
        };
        assert_eq!(
            bad_date.text(Lang::En),
            "cannot read \"2025年13月11日\": expected a date like 2025-04-11"
        );
        assert_eq!(
            bad_date.text(Lang::Zh),
            "无法识别 \"2025年13月11日\"：应为 2025-04-11 这样的日期"
        );
        let stage = ReadMsg::Unknown {
            what: "stage",
            text: "bogus",
            expected: "potential, trial",
            expected_zh: "潜在客户、试用客户",
        };
        assert_eq!(
            stage.text(Lang::Zh),
            "未知的阶段 \"bogus\"（应为 潜在客户、试用客户 之一，或 potential, trial）"
        );
        assert_eq!(
            ReadMsg::DuplicateId {
                id: "C1",
                first_path: None,
                first_line: 2
            }
            .text(Lang::Zh),
            "客户编号 \"C1\" 重复（第一次在第 2 行）"
        );
        assert_eq!(
            ReadMsg::RowWidth {
                fields: 4,
                header: 3
            }
            .text(Lang::En),
            "this row has 4 fields, the header has 3"
        );
    }
}
