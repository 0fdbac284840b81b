//! What the rule files' checks and the condition language say: problems in
//! `rules/*.toml` (stages, types, traits, cadence, tiers, holidays), syntax and type
//! errors of conditions, and the names of rule sets a command line asks for.
//! English and Chinese side by side (see the module above). Rule ids, key and field names,
//! file names, quoted values and code in backticks are the same in both.

/// What a name the rules or the command line give was meant to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Thing {
    Stage,
    Grade,
    /// The red / normal / black list a customer is on.
    List,
    TypeSet,
    TierScheme,
    /// A class of purchase intent.
    Intent,
}

impl Thing {
    fn texts(self) -> [&'static str; 2] {
        match self {
            Thing::Stage => ["stage", "阶段"],
            Thing::Grade => ["grade", "等级"],
            Thing::List => ["list", "名单"],
            Thing::TypeSet => ["type set", "类型集"],
            Thing::TierScheme => ["tier scheme", "分层方案"],
            Thing::Intent => ["purchase intent", "购买意向"],
        }
    }
}

/// The type of a condition's value, as messages name it (the rule language's `Ty` gives
/// its own: the catalogue sits below the rules and does not see them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeName {
    Null,
    Bool,
    Int,
    Money,
    Dec,
    Date,
    MonthDay,
    Str,
    Stage,
    Grade,
    List,
    Traits,
}

/// A type's name in English and in Chinese.
fn ty_texts(ty: TypeName) -> [&'static str; 2] {
    match ty {
        TypeName::Null => ["null", "空值"],
        TypeName::Bool => ["bool", "布尔值"],
        TypeName::Int => ["int", "整数"],
        TypeName::Money => ["money", "金额"],
        TypeName::Dec => ["decimal", "小数"],
        TypeName::Date => ["date", "日期"],
        TypeName::MonthDay => ["month-day", "月-日"],
        TypeName::Str => ["string", "字符串"],
        TypeName::Stage => ["stage", "阶段"],
        TypeName::Grade => ["grade", "等级"],
        // The customer's red / normal / black list, not a list literal.
        TypeName::List => ["list", "名单"],
        TypeName::Traits => ["traits", "特征"],
    }
}

fn ty_en(ty: TypeName) -> &'static str {
    ty_texts(ty)[0]
}

fn ty_zh(ty: TypeName) -> &'static str {
    ty_texts(ty)[1]
}

/// A token of a condition where it does not belong, as a syntax error names it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Token<'a> {
    Int(i64),
    Dec(f64),
    /// A string literal's value (shown quoted and escaped).
    Str(&'a str),
    /// A name or a punctuation mark, shown as code.
    Code(&'a str),
    End,
}

impl Token<'_> {
    fn texts(&self) -> [String; 2] {
        match *self {
            Token::Int(n) => [format!("number `{n}`"), format!("数字 `{n}`")],
            Token::Dec(n) => [format!("number `{n:?}`"), format!("数字 `{n:?}`")],
            Token::Str(s) => [format!("string {s:?}"), format!("字符串 {s:?}")],
            Token::Code(c) => [format!("`{c}`"), format!("`{c}`")],
            Token::End => ["end of expression".into(), "表达式结尾".into()],
        }
    }
}

/// What an operator or function needs and did not get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    Bool,
    /// Both sides of `&&` / `||`.
    Bools,
    Number,
    Date,
}

/// What two values of the wrong types could not be made to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Compare,
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
}

/// A message about the rules.
#[derive(Clone, Debug)]
pub enum RuleMsg<'a> {
    // --- Any rule file.
    /// A syntax or schema error as the `toml` crate words it.
    Toml {
        text: &'a str,
    },
    /// A `when` that is not a bool.
    NotACondition {
        ty: TypeName,
    },
    /// A metric or rating that is not a number.
    NotANumber {
        ty: TypeName,
    },
    /// A name the command line gives that the rules do not define.
    UnknownNamed {
        what: Thing,
        name: &'a str,
        known: &'a str,
    },
    /// A value not among those expected (`expected`: the ids, comma-separated).
    Unknown {
        what: Thing,
        text: &'a str,
        expected: &'a str,
    },
    /// A value that cannot be read, with why (the reader's words).
    CannotRead {
        text: &'a str,
        reason: &'a str,
    },

    // --- stages.toml.
    UnknownSkip {
        text: &'a str,
    },
    /// A stage out of the model's order; `want`: the stage due there, None past the last.
    StageOutOfPlace {
        id: &'a str,
        stages: &'a str,
        want: Option<&'a str>,
    },
    StageCount {
        count: usize,
        stages: &'a str,
        found: usize,
    },

    // --- cadence.toml.
    NoCadence {
        grade: &'a str,
    },
    HandOverToSequence {
        grade: &'a str,
    },
    CadenceKinds,
    UnknownRhythm {
        text: &'a str,
    },
    RhythmNeeds {
        key: &'a str,
    },
    AnchorNotDate {
        anchor: &'a str,
    },
    SequenceNeedsGap,
    SequenceNeedsThen,
    /// `then` names no grade.
    UnknownThenGrade {
        text: &'a str,
    },

    // --- types*.toml and traits.toml.
    TypeTwice {
        id: &'a str,
    },
    FallbackNotAType {
        id: &'a str,
    },
    UnknownTrait {
        text: &'a str,
    },
    SignalNeedsOne {
        id: &'a str,
    },
    TooManyTraits {
        max: usize,
        found: usize,
    },
    ChineseNameTaken {
        name: &'a str,
        other: &'a str,
    },

    // --- tiers.toml.
    SchemeNeeds {
        scheme: &'a str,
        kind: &'a str,
        key: &'a str,
    },
    EntryNeedsLimit {
        key: &'a str,
    },
    LimitsOrder {
        key: &'a str,
        ascending: bool,
    },
    UnknownSchemeKind {
        text: &'a str,
    },
    NotATier {
        id: &'a str,
    },
    RecencyNotDate {
        ty: TypeName,
    },
    QuintileRanges,

    // --- holidays.toml.
    /// What the file holds, for a serde "expected ..." (after the crate's English).
    HolidaysTables,
    NotAYear {
        text: &'a str,
    },
    DateNotInYear {
        text: &'a str,
        year: i32,
    },
    NotADayOrRange {
        text: &'a str,
        year: i32,
    },
    FestivalOn {
        id: &'a str,
        text: &'a str,
        reason: &'a str,
    },
    FestivalDate {
        id: &'a str,
        text: &'a str,
        reason: &'a str,
    },
    FestivalNeedsOnOrDates {
        id: &'a str,
    },

    // --- The condition language's syntax.
    UnexpectedChar {
        c: char,
    },
    CannotReadNumber {
        text: &'a str,
    },
    NumberTooLarge {
        text: &'a str,
    },
    UnknownEscape {
        c: char,
    },
    UnterminatedString,
    EmptyExpression,
    /// A cadence, gap or interval of zero (or less): the customer would be due every day.
    NotPositive {
        key: &'a str,
        text: &'a str,
    },
    /// A ratio below zero.
    Negative {
        key: &'a str,
        text: &'a str,
    },
    /// A condition nested deeper than the parser takes.
    TooDeep {
        max: usize,
    },
    Unexpected {
        found: Token<'a>,
    },
    ExpectedPunct {
        punct: &'a str,
        found: Token<'a>,
    },
    ExpectedValue {
        found: Token<'a>,
    },

    // --- The condition language's types.
    ListOnlyAfterIn,
    UnknownField {
        name: &'a str,
    },
    /// An operator or function (`code`) given a value of the wrong type.
    Needs {
        code: &'a str,
        need: Need,
        found: TypeName,
    },
    CondNotBool {
        found: TypeName,
    },
    BranchesDiffer {
        then: TypeName,
        other: TypeName,
    },
    Arity {
        function: &'a str,
        takes: usize,
        found: usize,
    },
    NeedsStringLiteral {
        function: &'a str,
    },
    HasNeedsField,
    BucketNeedsList,
    ThresholdNotNumber,
    ThresholdsAscending,
    UnknownFunction {
        name: &'a str,
        known: &'a str,
    },
    /// `clientele sql`: a construct of a condition with no SQL translation (`field("...")`:
    /// the exported tables hold only the fields clientele knows).
    NoSql {
        code: &'a str,
    },
    CannotCombine {
        operation: Operation,
        left: TypeName,
        right: TypeName,
    },
    InNeedsList,
    InCannotTest {
        ty: TypeName,
    },
    ListHolds {
        ty: TypeName,
    },
    /// A string literal compared with a date or month-day that is not one.
    CannotReadLiteral {
        ty: TypeName,
        text: &'a str,
        reason: &'a str,
    },
    StringCannotStand {
        ty: TypeName,
    },
}

impl RuleMsg<'_> {
    /// The message in English and in Chinese.
    pub fn texts(&self) -> [String; 2] {
        match *self {
            RuleMsg::Toml { text } if too_deep(text) => [
                format!(
                    "nested too deeply: arrays, inline tables and dotted keys nest at most {TOML_DEPTH} levels"
                ),
                format!("嵌套太深：数组、内联表和点号键最多嵌套 {TOML_DEPTH} 层"),
            ],
            RuleMsg::Toml { text } => [text.to_string(), toml_zh(text)],
            RuleMsg::NotACondition { ty } => [
                format!("a condition must be true or false, this is a {}", ty_en(ty)),
                format!("条件必须为 true 或 false，此处是{}", ty_zh(ty)),
            ],
            RuleMsg::NotANumber { ty } => [
                format!("expected a number here, this is a {}", ty_en(ty)),
                format!("此处应为数字，实际为{}", ty_zh(ty)),
            ],
            RuleMsg::UnknownNamed { what, name, known } => {
                let [en, zh] = what.texts();
                [
                    format!("unknown {en} \"{name}\" (known: {known})"),
                    format!("未知的{zh} \"{name}\"（可选：{known}）"),
                ]
            }
            RuleMsg::Unknown {
                what,
                text,
                expected,
            } => {
                let [en, zh] = what.texts();
                [
                    format!("unknown {en} \"{text}\" (expected one of {expected})"),
                    format!("未知的{zh} \"{text}\"（应为 {expected} 之一）"),
                ]
            }
            RuleMsg::CannotRead { text, reason } => [
                format!("cannot read \"{text}\": {reason}"),
                format!("无法识别 \"{text}\"：{reason}"),
            ],
            RuleMsg::UnknownSkip { text } => [
                format!("unknown skip \"{text}\" (expected \"allowed\" or \"never\")"),
                format!("未知的 skip 值 \"{text}\"（应为 \"allowed\" 或 \"never\"）"),
            ],
            RuleMsg::StageOutOfPlace { id, stages, want } => [
                format!(
                    "stage \"{id}\" is out of place: the stages are {stages} in this order; expected {}",
                    want.map_or("no further stage".to_string(), |w| format!("\"{w}\""))
                ),
                format!(
                    "阶段 \"{id}\" 的位置不对：阶段依次为 {stages}；{}",
                    want.map_or("此处不应再有阶段".to_string(), |w| format!(
                        "此处应为 \"{w}\""
                    ))
                ),
            ],
            RuleMsg::StageCount {
                count,
                stages,
                found,
            } => [
                format!("expected the {count} stages {stages}, found {found}"),
                format!("应有 {count} 个阶段 {stages}，实际为 {found} 个"),
            ],
            RuleMsg::NoCadence { grade } => [
                format!("no cadence for grade {grade}"),
                format!("等级 {grade} 没有跟进节奏"),
            ],
            RuleMsg::HandOverToSequence { grade } => [
                format!("grade {grade} cannot hand over to another sequence grade"),
                format!("等级 {grade} 不能转交给另一个按跟进序列跟进的等级"),
            ],
            RuleMsg::CadenceKinds => [
                "a grade's cadence needs exactly one of `rhythm`, `sequences` or `every`".into(),
                "等级的跟进节奏需要 `rhythm`、`sequences`、`every` 三者之一，且只能有一个".into(),
            ],
            RuleMsg::UnknownRhythm { text } => [
                format!("unknown rhythm \"{text}\" (expected \"order\")"),
                format!("未知的节奏 \"{text}\"（应为 \"order\"）"),
            ],
            RuleMsg::RhythmNeeds { key } => [
                format!("an order rhythm needs `{key}`"),
                format!("订单节奏需要 `{key}`"),
            ],
            RuleMsg::AnchorNotDate { anchor } => [
                format!("the anchor \"{anchor}\" is not a date field"),
                format!("起点 \"{anchor}\" 不是日期字段"),
            ],
            RuleMsg::SequenceNeedsGap => [
                "a sequence needs at least one gap".into(),
                "跟进序列至少需要一个间隔".into(),
            ],
            RuleMsg::SequenceNeedsThen => [
                "a sequence needs `then`: the grade whose cadence follows it".into(),
                "跟进序列需要 `then`：序列结束后沿用其跟进节奏的等级".into(),
            ],
            RuleMsg::UnknownThenGrade { text } => [
                format!("unknown grade \"{text}\""),
                format!("未知的等级 \"{text}\""),
            ],
            RuleMsg::TypeTwice { id } => [
                format!("type \"{id}\" is defined twice"),
                format!("客户类型 \"{id}\" 定义了两次"),
            ],
            RuleMsg::FallbackNotAType { id } => [
                format!("the fallback \"{id}\" is not one of the types"),
                format!("兜底类型 \"{id}\" 不在本类型集的客户类型之中"),
            ],
            RuleMsg::UnknownTrait { text } => [
                format!("unknown trait \"{text}\" (traits are declared in rules/traits.toml)"),
                format!("未知的特征 \"{text}\"（特征在 rules/traits.toml 中声明）"),
            ],
            RuleMsg::SignalNeedsOne { id } => [
                format!("a signal of type \"{id}\" needs exactly one of `trait` or `when`"),
                format!("客户类型 \"{id}\" 的信号需要 `trait` 或 `when` 二者之一，且只能有一个"),
            ],
            RuleMsg::TooManyTraits { max, found } => [
                format!("at most {max} traits can be declared, found {found}"),
                format!("最多可声明 {max} 个特征，实际为 {found} 个"),
            ],
            RuleMsg::ChineseNameTaken { name, other } => [
                format!("the Chinese name \"{name}\" is already used by trait \"{other}\""),
                format!("中文名 \"{name}\" 已被特征 \"{other}\" 使用"),
            ],
            RuleMsg::SchemeNeeds { scheme, kind, key } => [
                format!("scheme \"{scheme}\" of kind \"{kind}\" needs `{key}`"),
                format!("方案 \"{scheme}\"（kind 为 \"{kind}\"）需要 `{key}`"),
            ],
            RuleMsg::EntryNeedsLimit { key } => [
                format!("this entry of `{key}` needs its limit"),
                format!("`{key}` 的这一项需要给出界限值"),
            ],
            RuleMsg::LimitsOrder { key, ascending } => [
                format!(
                    "the limits of `{key}` must be {}",
                    if ascending { "ascending" } else { "descending" }
                ),
                format!(
                    "`{key}` 的界限值必须{}",
                    if ascending { "递增" } else { "递减" }
                ),
            ],
            RuleMsg::UnknownSchemeKind { text } => [
                format!(
                    "unknown scheme kind \"{text}\" (expected pareto, rank, rules, score, rfm or thresholds)"
                ),
                format!(
                    "未知的方案种类 \"{text}\"（应为 pareto、rank、rules、score、rfm 或 thresholds）"
                ),
            ],
            RuleMsg::NotATier { id } => [
                format!("\"{id}\" is not one of the scheme's tiers"),
                format!("\"{id}\" 不是本方案的分层"),
            ],
            RuleMsg::RecencyNotDate { ty } => [
                format!("`recency` must be a date, this is a {}", ty_en(ty)),
                format!("`recency` 必须是日期，此处是{}", ty_zh(ty)),
            ],
            RuleMsg::QuintileRanges => [
                "quintile ranges are [low, high] within 1–5".into(),
                "五分位区间应写作 [低, 高]，取值在 1–5 之间".into(),
            ],
            RuleMsg::HolidaysTables => [
                "tables of years like [2026], and [festivals]".into(),
                "按年份的表（如 [2026]）和 [festivals]".into(),
            ],
            RuleMsg::NotAYear { text } => [
                format!("expected a year like [2026], found [{text}]"),
                format!("应为年份，如 [2026]，实际为 [{text}]"),
            ],
            RuleMsg::DateNotInYear { text, year } => [
                format!("\"{text}\" is not in {year}"),
                format!("\"{text}\" 不在 {year} 年内"),
            ],
            RuleMsg::NotADayOrRange { text, year } => [
                format!(
                    "expected a date like {year}-10-01 or a range {year}-10-01..{year}-10-07, found \"{text}\""
                ),
                format!(
                    "应为日期（如 {year}-10-01）或日期范围（如 {year}-10-01..{year}-10-07），实际为 \"{text}\""
                ),
            ],
            RuleMsg::FestivalOn { id, text, reason } => [
                format!("festival {id}: cannot read on = \"{text}\": {reason}"),
                format!("节日 {id}：无法识别 on = \"{text}\"：{reason}"),
            ],
            RuleMsg::FestivalDate { id, text, reason } => [
                format!("festival {id}: cannot read the date \"{text}\": {reason}"),
                format!("节日 {id}：无法识别日期 \"{text}\"：{reason}"),
            ],
            RuleMsg::FestivalNeedsOnOrDates { id } => [
                format!(
                    "festival {id} needs either `on` (a day every year, such as \"10-01\") or `dates` (one per year)"
                ),
                format!(
                    "节日 {id} 需要 `on`（每年的同一天，如 \"10-01\"）或 `dates`（每年一个日期）二者之一"
                ),
            ],
            RuleMsg::UnexpectedChar { c } => [
                format!("unexpected character `{c}`"),
                format!("不应出现的字符 `{c}`"),
            ],
            RuleMsg::CannotReadNumber { text } => [
                format!("cannot read the number `{text}`"),
                format!("无法识别数字 `{text}`"),
            ],
            RuleMsg::NumberTooLarge { text } => [
                format!("the number `{text}` is too large"),
                format!("数字 `{text}` 太大"),
            ],
            RuleMsg::UnknownEscape { c } => [
                format!("unknown escape `\\{c}`"),
                format!("未知的转义 `\\{c}`"),
            ],
            RuleMsg::UnterminatedString => {
                ["unterminated string".into(), "字符串缺少结尾的引号".into()]
            }
            RuleMsg::EmptyExpression => ["empty expression".into(), "表达式为空".into()],
            RuleMsg::NotPositive { key, text } => [
                format!(
                    "{key} must be more than 0, found {text}: a follow-up every 0 days would list the customer every day"
                ),
                format!(
                    "{key} 必须大于 0，实际为 {text}：间隔 0 天会让这位客户天天出现在跟进名单上"
                ),
            ],
            RuleMsg::Negative { key, text } => [
                format!("{key} cannot be below 0, found {text}"),
                format!("{key} 不能小于 0，实际为 {text}"),
            ],
            RuleMsg::TooDeep { max } => [
                format!("the condition nests more than {max} levels deep: split it up"),
                format!("条件嵌套超过 {max} 层：请拆开来写"),
            ],
            RuleMsg::Unexpected { found } => {
                let [en, zh] = found.texts();
                [
                    format!("unexpected {en}"),
                    format!("不应出现{}", spaced(&zh)),
                ]
            }
            RuleMsg::ExpectedPunct { punct, found } => {
                let [en, zh] = found.texts();
                [
                    format!("expected `{punct}`, found {en}"),
                    format!("应为 `{punct}`，实际为{}", spaced(&zh)),
                ]
            }
            RuleMsg::ExpectedValue { found } => {
                let [en, zh] = found.texts();
                [
                    format!("expected a value, found {en}"),
                    format!("应为一个值，实际为{}", spaced(&zh)),
                ]
            }
            RuleMsg::ListOnlyAfterIn => [
                "a list can only stand after `in`".into(),
                "列表只能写在 `in` 之后".into(),
            ],
            RuleMsg::UnknownField { name } => [
                format!("unknown field `{name}`"),
                format!("未知的字段 `{name}`"),
            ],
            RuleMsg::Needs { code, need, found } => {
                let (en, zh) = match need {
                    Need::Bool => ("a bool", "需要布尔值"),
                    Need::Bools => ("bools", "两边需要布尔值"),
                    Need::Number => ("a number", "需要数字"),
                    Need::Date => ("a date", "需要日期"),
                };
                [
                    format!("`{code}` needs {en}, found {}", ty_en(found)),
                    format!("`{code}` {zh}，实际为{}", ty_zh(found)),
                ]
            }
            RuleMsg::CondNotBool { found } => [
                format!(
                    "the condition of `?:` must be a bool, found {}",
                    ty_en(found)
                ),
                format!("`?:` 的条件必须是布尔值，实际为{}", ty_zh(found)),
            ],
            RuleMsg::BranchesDiffer { then, other } => [
                format!(
                    "the branches of `?:` differ: {} and {}",
                    ty_en(then),
                    ty_en(other)
                ),
                format!("`?:` 两个分支的类型不同：{}和{}", ty_zh(then), ty_zh(other)),
            ],
            RuleMsg::Arity {
                function,
                takes,
                found,
            } => [
                format!(
                    "`{function}` takes {takes} argument{}, found {found}",
                    if takes == 1 { "" } else { "s" }
                ),
                format!("`{function}` 需要 {takes} 个参数，实际为 {found} 个"),
            ],
            RuleMsg::NeedsStringLiteral { function } => [
                format!("`{function}` needs a string literal"),
                format!("`{function}` 需要一个字符串字面量"),
            ],
            RuleMsg::HasNeedsField => [
                "`has` needs a field name".into(),
                "`has` 需要一个字段名".into(),
            ],
            RuleMsg::BucketNeedsList => [
                "`bucket` needs a list of thresholds".into(),
                "`bucket` 需要一个阈值列表".into(),
            ],
            RuleMsg::ThresholdNotNumber => [
                "a threshold must be a number".into(),
                "阈值必须是数字".into(),
            ],
            RuleMsg::ThresholdsAscending => {
                ["thresholds must be ascending".into(), "阈值必须递增".into()]
            }
            RuleMsg::UnknownFunction { name, known } => [
                format!("unknown function `{name}` (known: {known})"),
                format!("未知的函数 `{name}`（可用：{known}）"),
            ],
            RuleMsg::NoSql { code } => [
                format!(
                    "`{code}` has no SQL translation: `clientele export` writes only the fields clientele knows, not the book's other columns; map the column to a field in [columns], or leave this rule out of `clientele sql`"
                ),
                format!(
                    "`{code}` 无法译成 SQL：`clientele export` 只导出 clientele 认识的字段，不导出台账的其他列；请在 [columns] 中把该列对应到一个字段，或不用 `clientele sql` 运行这条规则"
                ),
            ],
            RuleMsg::CannotCombine {
                operation,
                left,
                right,
            } => {
                let (l, r) = (ty_zh(left), ty_zh(right));
                let (en, zh) = match operation {
                    Operation::Compare => ("compare", format!("无法比较{l}和{r}")),
                    Operation::Add => ("add", format!("无法将{l}与{r}相加")),
                    Operation::Subtract => ("subtract", format!("无法将{l}与{r}相减")),
                    Operation::Multiply => ("multiply", format!("无法将{l}与{r}相乘")),
                    Operation::Divide => ("divide", format!("无法将{l}与{r}相除")),
                    Operation::Remainder => {
                        ("take the remainder of", format!("无法对{l}和{r}取余"))
                    }
                };
                [
                    format!("cannot {en} {} and {}", ty_en(left), ty_en(right)),
                    zh,
                ]
            }
            RuleMsg::InNeedsList => [
                "`in` needs a list literal like [\"a\", \"b\"]".into(),
                "`in` 需要列表字面量，如 [\"a\", \"b\"]".into(),
            ],
            RuleMsg::InCannotTest { ty } => [
                format!("`in` cannot test a {}", ty_en(ty)),
                format!("`in` 不能用于{}", ty_zh(ty)),
            ],
            RuleMsg::ListHolds { ty } => [
                format!("this list holds {} values", ty_en(ty)),
                format!("此列表的值应为{}", ty_zh(ty)),
            ],
            RuleMsg::CannotReadLiteral { ty, text, reason } => [
                format!("cannot read {} \"{text}\": {reason}", ty_en(ty)),
                format!("无法识别{} \"{text}\"：{reason}", ty_zh(ty)),
            ],
            RuleMsg::StringCannotStand { ty } => [
                format!("a string cannot stand for a {}", ty_en(ty)),
                format!("字符串不能表示{}", ty_zh(ty)),
            ],
        }
    }
}

speaks!(RuleMsg<'_>);

/// `text` after Chinese: a space first when it starts with a Latin letter, a digit or code.
fn spaced(text: &str) -> String {
    if text.starts_with(|c: char| c.is_ascii()) {
        format!(" {text}")
    } else {
        text.to_string()
    }
}

/// A `toml` crate message in Chinese: serde's unknown and missing keys in full; anything
/// else (the crate's syntax and value errors) in the crate's English after a Chinese lead-in.
/// How deep the `toml` and `toml_edit` parsers let arrays, inline tables and dotted keys
/// nest (their `LIMIT`): deeper is an error there, never a stack overflow.
pub const TOML_DEPTH: u32 = 80;

/// Whether a TOML parser's message is its depth limit, which it words for programmers.
fn too_deep(text: &str) -> bool {
    text == "recursion limit" || text.starts_with("cannot recurse further")
}

fn toml_zh(text: &str) -> String {
    if let Some(rest) = text.strip_prefix("unknown field `")
        && let Some((name, after)) = rest.split_once('`')
    {
        if let Some(expected) = after.strip_prefix(", expected ") {
            // serde: "`a`", "`a` or `b`", "one of `a`, `b`, `c`".
            let expected = match expected.strip_prefix("one of ") {
                Some(list) => format!("{list} 之一"),
                None => expected.replacen("` or `", "` 或 `", 1),
            };
            return format!("未知的键 `{name}`（应为 {expected}）");
        }
        if after == ", there are no fields" {
            return format!("未知的键 `{name}`（此处不应有键）");
        }
    }
    if let Some(name) = text
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        return format!("缺少键 `{name}`");
    }
    let value_error = ["invalid type: ", "invalid value: ", "invalid length "]
        .iter()
        .any(|p| text.starts_with(p));
    if value_error {
        format!("TOML 取值有误：{text}")
    } else {
        format!("TOML 语法错误：{text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;
    use crate::model::messages::assert_speaks_both;

    /// One of each message.
    fn every_message() -> Vec<RuleMsg<'static>> {
        vec![
            RuleMsg::Toml {
                text: "invalid basic string, expected `\"`",
            },
            RuleMsg::NotACondition { ty: TypeName::Int },
            RuleMsg::NotANumber { ty: TypeName::Date },
            RuleMsg::UnknownNamed {
                what: Thing::TypeSet,
                name: "ten",
                known: "default, nine",
            },
            RuleMsg::Unknown {
                what: Thing::Grade,
                text: "Z",
                expected: "A, B, C, D, E",
            },
            RuleMsg::CannotRead {
                text: "3x",
                reason: "expected a duration like 7d, 2w or 3m",
            },
            RuleMsg::UnknownSkip { text: "sometimes" },
            RuleMsg::StageOutOfPlace {
                id: "trial",
                stages: "potential, trial, intent, quasi, formal",
                want: Some("potential"),
            },
            RuleMsg::StageCount {
                count: 5,
                stages: "potential, trial, intent, quasi, formal",
                found: 4,
            },
            RuleMsg::NoCadence { grade: "E" },
            RuleMsg::HandOverToSequence { grade: "B" },
            RuleMsg::CadenceKinds,
            RuleMsg::UnknownRhythm { text: "weekly" },
            RuleMsg::RhythmNeeds { key: "lead_ratio" },
            RuleMsg::AnchorNotDate { anchor: "name" },
            RuleMsg::SequenceNeedsGap,
            RuleMsg::SequenceNeedsThen,
            RuleMsg::UnknownThenGrade { text: "F" },
            RuleMsg::TypeTwice { id: "wolf" },
            RuleMsg::FallbackNotAType { id: "owl" },
            RuleMsg::UnknownTrait { text: "flying" },
            RuleMsg::SignalNeedsOne { id: "wolf" },
            RuleMsg::TooManyTraits {
                max: 256,
                found: 257,
            },
            RuleMsg::ChineseNameTaken {
                name: "x",
                other: "presses_price",
            },
            RuleMsg::SchemeNeeds {
                scheme: "abc",
                kind: "pareto",
                key: "metric",
            },
            RuleMsg::EntryNeedsLimit { key: "classes" },
            RuleMsg::LimitsOrder {
                key: "levels",
                ascending: false,
            },
            RuleMsg::UnknownSchemeKind { text: "magic" },
            RuleMsg::NotATier { id: "gold" },
            RuleMsg::RecencyNotDate {
                ty: TypeName::Money,
            },
            RuleMsg::QuintileRanges,
            RuleMsg::HolidaysTables,
            RuleMsg::NotAYear { text: "next" },
            RuleMsg::DateNotInYear {
                text: "2027-01-01",
                year: 2026,
            },
            RuleMsg::NotADayOrRange {
                text: "10-01",
                year: 2026,
            },
            RuleMsg::FestivalOn {
                id: "national_day",
                text: "13-01",
                reason: "expected a month-day like 04-11 or a date",
            },
            RuleMsg::FestivalDate {
                id: "spring",
                text: "2026-02-30",
                reason: "expected a date like 2025-04-11",
            },
            RuleMsg::FestivalNeedsOnOrDates { id: "spring" },
            RuleMsg::UnexpectedChar { c: '#' },
            RuleMsg::CannotReadNumber { text: "1e999" },
            RuleMsg::NumberTooLarge {
                text: "99999999999999999999",
            },
            RuleMsg::UnknownEscape { c: 'q' },
            RuleMsg::UnterminatedString,
            RuleMsg::EmptyExpression,
            RuleMsg::Unexpected {
                found: Token::Int(5),
            },
            RuleMsg::ExpectedPunct {
                punct: ")",
                found: Token::End,
            },
            RuleMsg::ExpectedValue {
                found: Token::Code("in"),
            },
            RuleMsg::ListOnlyAfterIn,
            RuleMsg::UnknownField {
                name: "sample_requestd",
            },
            RuleMsg::Needs {
                code: "&&",
                need: Need::Bools,
                found: TypeName::Str,
            },
            RuleMsg::CondNotBool {
                found: TypeName::Int,
            },
            RuleMsg::BranchesDiffer {
                then: TypeName::Str,
                other: TypeName::Int,
            },
            RuleMsg::Arity {
                function: "bucket",
                takes: 2,
                found: 1,
            },
            RuleMsg::NeedsStringLiteral {
                function: "has_trait",
            },
            RuleMsg::HasNeedsField,
            RuleMsg::BucketNeedsList,
            RuleMsg::ThresholdNotNumber,
            RuleMsg::ThresholdsAscending,
            RuleMsg::UnknownFunction {
                name: "len",
                known: "has, has_trait, days_since, days_until, bucket, field",
            },
            RuleMsg::CannotCombine {
                operation: Operation::Compare,
                left: TypeName::Stage,
                right: TypeName::Int,
            },
            RuleMsg::InNeedsList,
            RuleMsg::InCannotTest {
                ty: TypeName::Traits,
            },
            RuleMsg::ListHolds {
                ty: TypeName::Grade,
            },
            RuleMsg::CannotReadLiteral {
                ty: TypeName::MonthDay,
                text: "13-40",
                reason: "expected a month-day like 04-11 or a date",
            },
            RuleMsg::StringCannotStand { ty: TypeName::Bool },
            RuleMsg::TooDeep { max: 64 },
            RuleMsg::NotPositive {
                key: "every",
                text: "0d",
            },
            RuleMsg::Negative {
                key: "lead_ratio",
                text: "-0.5",
            },
            RuleMsg::NoSql {
                code: "field(\"industry\")",
            },
        ]
    }

    /// Each variant's place in the enum: a new variant does not compile until it is
    /// numbered here, and then fails the test until `every_message` shows it.
    fn place(m: &RuleMsg<'_>) -> usize {
        match m {
            RuleMsg::Toml { .. } => 0,
            RuleMsg::NotACondition { .. } => 1,
            RuleMsg::NotANumber { .. } => 2,
            RuleMsg::UnknownNamed { .. } => 3,
            RuleMsg::Unknown { .. } => 4,
            RuleMsg::CannotRead { .. } => 5,
            RuleMsg::UnknownSkip { .. } => 6,
            RuleMsg::StageOutOfPlace { .. } => 7,
            RuleMsg::StageCount { .. } => 8,
            RuleMsg::NoCadence { .. } => 9,
            RuleMsg::HandOverToSequence { .. } => 10,
            RuleMsg::CadenceKinds { .. } => 11,
            RuleMsg::UnknownRhythm { .. } => 12,
            RuleMsg::RhythmNeeds { .. } => 13,
            RuleMsg::AnchorNotDate { .. } => 14,
            RuleMsg::SequenceNeedsGap { .. } => 15,
            RuleMsg::SequenceNeedsThen { .. } => 16,
            RuleMsg::UnknownThenGrade { .. } => 17,
            RuleMsg::TypeTwice { .. } => 18,
            RuleMsg::FallbackNotAType { .. } => 19,
            RuleMsg::UnknownTrait { .. } => 20,
            RuleMsg::SignalNeedsOne { .. } => 21,
            RuleMsg::TooManyTraits { .. } => 22,
            RuleMsg::ChineseNameTaken { .. } => 23,
            RuleMsg::SchemeNeeds { .. } => 24,
            RuleMsg::EntryNeedsLimit { .. } => 25,
            RuleMsg::LimitsOrder { .. } => 26,
            RuleMsg::UnknownSchemeKind { .. } => 27,
            RuleMsg::NotATier { .. } => 28,
            RuleMsg::RecencyNotDate { .. } => 29,
            RuleMsg::QuintileRanges { .. } => 30,
            RuleMsg::HolidaysTables { .. } => 31,
            RuleMsg::NotAYear { .. } => 32,
            RuleMsg::DateNotInYear { .. } => 33,
            RuleMsg::NotADayOrRange { .. } => 34,
            RuleMsg::FestivalOn { .. } => 35,
            RuleMsg::FestivalDate { .. } => 36,
            RuleMsg::FestivalNeedsOnOrDates { .. } => 37,
            RuleMsg::UnexpectedChar { .. } => 38,
            RuleMsg::CannotReadNumber { .. } => 39,
            RuleMsg::NumberTooLarge { .. } => 40,
            RuleMsg::UnknownEscape { .. } => 41,
            RuleMsg::UnterminatedString { .. } => 42,
            RuleMsg::EmptyExpression { .. } => 43,
            RuleMsg::Unexpected { .. } => 44,
            RuleMsg::ExpectedPunct { .. } => 45,
            RuleMsg::ExpectedValue { .. } => 46,
            RuleMsg::ListOnlyAfterIn { .. } => 47,
            RuleMsg::UnknownField { .. } => 48,
            RuleMsg::Needs { .. } => 49,
            RuleMsg::CondNotBool { .. } => 50,
            RuleMsg::BranchesDiffer { .. } => 51,
            RuleMsg::Arity { .. } => 52,
            RuleMsg::NeedsStringLiteral { .. } => 53,
            RuleMsg::HasNeedsField { .. } => 54,
            RuleMsg::BucketNeedsList { .. } => 55,
            RuleMsg::ThresholdNotNumber { .. } => 56,
            RuleMsg::ThresholdsAscending { .. } => 57,
            RuleMsg::UnknownFunction { .. } => 58,
            RuleMsg::CannotCombine { .. } => 59,
            RuleMsg::InNeedsList { .. } => 60,
            RuleMsg::InCannotTest { .. } => 61,
            RuleMsg::ListHolds { .. } => 62,
            RuleMsg::CannotReadLiteral { .. } => 63,
            RuleMsg::StringCannotStand { .. } => 64,
            RuleMsg::TooDeep { .. } => 65,
            RuleMsg::NotPositive { .. } => 66,
            RuleMsg::Negative { .. } => 67,
            RuleMsg::NoSql { .. } => 68,
        }
    }

    #[test]
    fn every_message_lists_each_variant_once() {
        let places: Vec<usize> = every_message().iter().map(place).collect();
        assert_eq!(places, (0..69).collect::<Vec<_>>());
    }

    #[test]
    fn every_message_speaks_both_languages() {
        for m in every_message() {
            assert_speaks_both(m.texts(), "–");
        }
    }

    /// The TOML parsers word their depth limit for programmers, each its own way: both are
    /// told as nesting too deep, in either language.
    #[test]
    fn the_toml_depth_limit_is_told_in_both_languages() {
        let deep = |text| RuleMsg::Toml { text }.texts();
        let arrays = deep("cannot recurse further; max recursion depth met");
        assert_eq!(arrays, deep("recursion limit"));
        assert_speaks_both(arrays.clone(), "");
        assert!(arrays[0].starts_with("nested too deeply"), "{}", arrays[0]);
        assert!(arrays[1].starts_with("嵌套太深"), "{}", arrays[1]);
    }

    #[test]
    fn every_type_and_token_has_both_names() {
        let all = [
            TypeName::Null,
            TypeName::Bool,
            TypeName::Int,
            TypeName::Money,
            TypeName::Dec,
            TypeName::Date,
            TypeName::MonthDay,
            TypeName::Str,
            TypeName::Stage,
            TypeName::Grade,
            TypeName::List,
            TypeName::Traits,
        ];
        for ty in all {
            assert_speaks_both(RuleMsg::NotANumber { ty }.texts(), "");
            let [en, zh] = ty_texts(ty);
            assert!(en.is_ascii() && !zh.is_ascii(), "{en} / {zh}");
        }
        for found in [
            Token::Int(5),
            Token::Dec(1.5),
            Token::Str("x"),
            Token::Code("("),
            Token::End,
        ] {
            assert_speaks_both(RuleMsg::Unexpected { found }.texts(), "");
        }
        for operation in [
            Operation::Compare,
            Operation::Add,
            Operation::Subtract,
            Operation::Multiply,
            Operation::Divide,
            Operation::Remainder,
        ] {
            let m = RuleMsg::CannotCombine {
                operation,
                left: TypeName::Str,
                right: TypeName::Money,
            };
            assert_speaks_both(m.texts(), "");
        }
    }

    #[test]
    fn messages_read_exactly() {
        let both = |m: RuleMsg<'_>| m.texts();
        assert_eq!(
            both(RuleMsg::Unknown {
                what: Thing::Grade,
                text: "Z",
                expected: "A, B, C, D, E",
            }),
            [
                "unknown grade \"Z\" (expected one of A, B, C, D, E)",
                "未知的等级 \"Z\"（应为 A, B, C, D, E 之一）",
            ]
        );
        assert_eq!(
            both(RuleMsg::CannotCombine {
                operation: Operation::Compare,
                left: TypeName::Stage,
                right: TypeName::Int,
            }),
            ["cannot compare stage and int", "无法比较阶段和整数"]
        );
        assert_eq!(
            both(RuleMsg::CannotCombine {
                operation: Operation::Remainder,
                left: TypeName::Money,
                right: TypeName::Int,
            }),
            [
                "cannot take the remainder of money and int",
                "无法对金额和整数取余"
            ]
        );
        assert_eq!(
            both(RuleMsg::ExpectedPunct {
                punct: ")",
                found: Token::End,
            }),
            [
                "expected `)`, found end of expression",
                "应为 `)`，实际为表达式结尾"
            ]
        );
        // Code after Chinese gets a space; a Chinese word does not.
        assert_eq!(
            both(RuleMsg::ExpectedValue {
                found: Token::Code("in"),
            }),
            ["expected a value, found `in`", "应为一个值，实际为 `in`"]
        );
        assert_eq!(
            both(RuleMsg::Unexpected {
                found: Token::Str("x"),
            }),
            ["unexpected string \"x\"", "不应出现字符串 \"x\""]
        );
        assert_eq!(
            both(RuleMsg::Arity {
                function: "has",
                takes: 1,
                found: 2,
            }),
            [
                "`has` takes 1 argument, found 2",
                "`has` 需要 1 个参数，实际为 2 个"
            ]
        );
        assert_eq!(
            both(RuleMsg::Needs {
                code: "days_since",
                need: Need::Date,
                found: TypeName::Str,
            }),
            [
                "`days_since` needs a date, found string",
                "`days_since` 需要日期，实际为字符串"
            ]
        );
        assert_eq!(
            both(RuleMsg::NotACondition {
                ty: TypeName::Money
            }),
            [
                "a condition must be true or false, this is a money",
                "条件必须为 true 或 false，此处是金额"
            ]
        );
        assert_eq!(
            both(RuleMsg::NotADayOrRange {
                text: "10-01",
                year: 2026,
            }),
            [
                "expected a date like 2026-10-01 or a range 2026-10-01..2026-10-07, found \"10-01\"",
                "应为日期（如 2026-10-01）或日期范围（如 2026-10-01..2026-10-07），实际为 \"10-01\"",
            ]
        );
        assert_eq!(
            both(RuleMsg::StageOutOfPlace {
                id: "trial",
                stages: "potential, trial",
                want: None,
            }),
            [
                "stage \"trial\" is out of place: the stages are potential, trial in this order; expected no further stage",
                "阶段 \"trial\" 的位置不对：阶段依次为 potential, trial；此处不应再有阶段",
            ]
        );
        assert_eq!(
            both(RuleMsg::UnknownNamed {
                what: Thing::TierScheme,
                name: "gold",
                known: "abc, rfm",
            }),
            [
                "unknown tier scheme \"gold\" (known: abc, rfm)",
                "未知的分层方案 \"gold\"（可选：abc, rfm）",
            ]
        );
    }

    #[test]
    fn toml_messages_get_chinese_around_the_crate_words() {
        let zh = |text: &str| RuleMsg::Toml { text }.text(Lang::Zh);
        assert_eq!(
            zh("unknown field `evry`, expected one of `rhythm`, `every`"),
            "未知的键 `evry`（应为 `rhythm`, `every` 之一）"
        );
        assert_eq!(
            zh("unknown field `x`, expected `en` or `zh`"),
            "未知的键 `x`（应为 `en` 或 `zh`）"
        );
        assert_eq!(
            zh("unknown field `x`, expected `factor`"),
            "未知的键 `x`（应为 `factor`）"
        );
        assert_eq!(
            zh("unknown field `x`, there are no fields"),
            "未知的键 `x`（此处不应有键）"
        );
        assert_eq!(zh("missing field `stage`"), "缺少键 `stage`");
        assert_eq!(
            zh("invalid type: string \"x\", expected u32"),
            "TOML 取值有误：invalid type: string \"x\", expected u32"
        );
        assert_eq!(
            zh("invalid basic string, expected `\"`"),
            "TOML 语法错误：invalid basic string, expected `\"`"
        );
        // English is the crate's, untouched.
        let text = "unknown field `evry`, expected `every`";
        assert_eq!(RuleMsg::Toml { text }.text(Lang::En), text);
    }
}
