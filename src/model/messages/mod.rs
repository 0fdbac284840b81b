//! What the tool says to a person, in both languages, in one place: each message is a
//! variant of a catalogue enum, and its `texts` gives the English and the Chinese side by
//! side, as `[en, zh]` (a message without its Chinese does not compile). The language is
//! the run's (`--lang`, `lang` in clientele.toml, or the locale), set once by the command
//! line ([`set_lang`]); `Display` speaks it.
//!
//! The catalogues: [`Msg`] here (summaries, warnings, the command line's days and ids),
//! and one per part of the tool beside this file.

pub use crate::lang::{lang, set_lang};

/// Gives a catalogue enum `text(lang)` and a `Display` in the run's language, from its
/// `texts() -> [String; 2]` (English, Chinese).
macro_rules! speaks {
    ($t:ty) => {
        impl $t {
            /// The message in `lang`.
            pub fn text(&self, lang: $crate::model::Lang) -> String {
                let [en, zh] = self.texts();
                if lang == $crate::model::Lang::Zh {
                    zh
                } else {
                    en
                }
            }
        }

        impl std::fmt::Display for $t {
            /// The message in the run's language.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.text($crate::model::messages::lang()))
            }
        }
    };
}

/// Asserts that a message speaks both languages: English in ASCII (but for Chinese the
/// user may type, named in `allowed`), Chinese with Chinese characters, the two different.
#[cfg(test)]
pub(crate) fn assert_speaks_both(texts: [String; 2], allowed: &str) {
    let [en, zh] = texts;
    assert!(
        en.chars().all(|c| c.is_ascii() || allowed.contains(c)),
        "English: {en}"
    );
    assert!(
        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "Chinese: {zh}"
    );
    assert_ne!(en, zh);
}

/// A message to a person.
#[derive(Clone, Debug)]
pub enum Msg<'a> {
    /// `check` found nothing wrong.
    CheckOk {
        customers: usize,
        activities: u64,
        rule_files: usize,
        from_workspace: usize,
    },
    /// `check` found problems.
    CheckFound {
        errors: usize,
        warnings: usize,
    },
    /// Log rows a reading command skipped.
    UnreadableRows {
        file: &'a str,
        rows: u64,
    },
    /// Years of due dates the holidays file does not cover.
    NoHolidays {
        /// None: the built-in file.
        file: Option<&'a str>,
        years: &'a str,
    },
    /// A day on the command line that cannot be read.
    DayUnreadable {
        text: &'a str,
    },
    /// A day on the command line before today.
    DayPast {
        said: &'a str,
        today: &'a str,
    },
    /// An id on the command line the book does not have.
    UnknownCustomer {
        id: &'a str,
        book: &'a str,
    },
    /// A write to a book or log read from standard input.
    StdinNotWritten,
    /// Why a change is made, as the commands write it in English (and log it): shown in
    /// Chinese where the tool wrote the words (`gate of intent holds; skipped trial`,
    /// `forced: …`, `plan`, `snooze cleared`); a rule file's label as it is.
    Reason(&'a str),
    /// `init`'s summary: the folder it made a workspace in, what it kept, what to try.
    InitCreated {
        dir: &'a str,
    },
    InitKept,
    InitTry {
        dir: &'a str,
    },
    /// Warnings a command found beyond those it lists.
    MoreWarnings {
        warnings: usize,
    },
    /// A move refused at a stage's gate, with what is missing (the rule file's labels).
    CannotEnter {
        stage: super::Stage,
        missing: &'a str,
    },
}

impl Msg<'_> {
    /// The message in English and in Chinese.
    pub fn texts(&self) -> [String; 2] {
        let plural =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        match *self {
            Msg::CheckOk {
                customers,
                activities,
                rule_files,
                from_workspace,
            } => [
                format!(
                    "ok: {}, {}, {} ({from_workspace} from the workspace)",
                    plural(customers as u64, "customer", "customers"),
                    plural(activities, "activity", "activities"),
                    plural(rule_files as u64, "rule file", "rule files"),
                ),
                format!(
                    "正常：{customers} 位客户，{activities} 条活动记录，{rule_files} 个规则文件（工作区 {from_workspace} 个）"
                ),
            ],
            Msg::CheckFound { errors, warnings } => [
                format!(
                    "check found {} and {}",
                    plural(errors as u64, "error", "errors"),
                    plural(warnings as u64, "warning", "warnings")
                ),
                format!("检查发现 {errors} 个错误、{warnings} 个警告"),
            ],
            Msg::UnreadableRows { file, rows } => [
                format!(
                    "{file}: {} skipped, see `clientele check`",
                    plural(rows, "unreadable row", "unreadable rows")
                ),
                format!("{file}：跳过 {rows} 行无法读取的记录，详见 `clientele check`"),
            ],
            Msg::NoHolidays { file, years } => [
                format!(
                    "{} has no holidays for {years}; due dates there skip only weekends",
                    file.unwrap_or("the built-in holidays.toml")
                ),
                format!(
                    "{}没有 {years} 年的节假日；这些年的跟进日期只避开周末",
                    file.map_or("内置的 holidays.toml ".to_string(), |f| format!("{f} "))
                ),
            ],
            Msg::DayUnreadable { text } => [
                format!(
                    "cannot read the date \"{text}\": expected a date (2026-12-08), a weekday (tue, 周二), tomorrow (明天), or a span from today (+3d, 2w, 1m)"
                ),
                format!(
                    "无法识别日期 \"{text}\"：可写 2026-12-08、周二（tue）、明天（tomorrow），或从今天算起的 +3d、2w、1m"
                ),
            ],
            Msg::DayPast { said, today } => [
                format!("{said} is before today ({today})"),
                format!("{said} 早于今天（{today}）"),
            ],
            Msg::UnknownCustomer { id, book } => [
                format!("unknown customer id \"{id}\" in {book}"),
                format!("{book} 中没有客户编号 \"{id}\""),
            ],
            Msg::StdinNotWritten => [
                "<stdin> was read from standard input and cannot be written back: give the file's path, or add --dry-run to see the change".into(),
                "<stdin> 读自标准输入，无法写回：请给出文件路径，或加 --dry-run 查看改动".into(),
            ],
            Msg::CannotEnter { stage, missing } => {
                use super::Enumeration;
                [
                    format!("cannot enter {}: {missing}", stage.id()),
                    format!("无法进入{}：{missing}", stage.zh()),
                ]
            }
            Msg::Reason(reason) => [reason.to_string(), reason_zh(reason)],
            Msg::InitCreated { dir } => [
                format!("created a clientele workspace in {dir}:"),
                format!("已在 {dir} 建好 clientele 工作区："),
            ],
            Msg::InitKept => ["kept what was there:".into(), "保留了原有的文件：".into()],
            Msg::InitTry { dir } => [
                format!("try: clientele -C {dir} due"),
                format!("试试：clientele -C {dir} due"),
            ],
            Msg::MoreWarnings { warnings } => [
                format!("{warnings} more warnings; `clientele check` lists them all"),
                format!("另有 {warnings} 个警告；`clientele check` 会全部列出"),
            ],
        }
    }
}

/// A change's reason in Chinese, where the tool wrote its words (see [`Msg::Reason`]).
fn reason_zh(reason: &str) -> String {
    use super::{Enumeration, Stage};
    let stage = |id: &str| Stage::parse(id).map_or(id.to_string(), |s| s.zh().to_string());
    match reason {
        "plan" => return "约定联系".into(),
        "plan cleared" => return "取消约定联系".into(),
        "snooze" => return "暂缓联系".into(),
        "snooze cleared" => return "取消暂缓".into(),
        "classify" => return "客户类型判定".into(),
        "no rule matched" => return "没有规则匹配".into(),
        _ => {}
    }
    if let Some(scheme) = reason.strip_prefix("tier ") {
        return format!("分层方案 {scheme}");
    }
    if let Some(text) = reason.strip_prefix("forced: ") {
        return format!("强制：{text}");
    }
    if let Some(rest) = reason.strip_prefix("gate of ") {
        let (gate, skipped) = rest.split_once("; skipped ").unwrap_or((rest, ""));
        if let Some(id) = gate.strip_suffix(" holds") {
            let mut out = format!("已满足{}的门槛", stage(id));
            if !skipped.is_empty() {
                let names: Vec<String> = skipped.split(", ").map(stage).collect();
                out.push_str(&format!("；跳过{}", names.join("、")));
            }
            return out;
        }
    }
    reason.to_string()
}

speaks!(Msg<'_>);

pub mod commands;
pub mod read;
pub mod rules;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    /// One of each message.
    fn every_message() -> Vec<Msg<'static>> {
        vec![
            Msg::CheckOk {
                customers: 18,
                activities: 76,
                rule_files: 8,
                from_workspace: 0,
            },
            Msg::CheckFound {
                errors: 1,
                warnings: 2,
            },
            Msg::UnreadableRows {
                file: "activities.csv",
                rows: 1,
            },
            Msg::NoHolidays {
                file: None,
                years: "2027",
            },
            Msg::DayUnreadable { text: "someday" },
            Msg::DayPast {
                said: "2026-11-01",
                today: "2026-11-22",
            },
            Msg::UnknownCustomer {
                id: "X",
                book: "customers.csv",
            },
            Msg::StdinNotWritten,
            Msg::Reason("gate of formal holds; skipped trial, intent, quasi"),
            Msg::CannotEnter {
                stage: crate::model::Stage::Trial,
                missing: "trial_started",
            },
            Msg::MoreWarnings { warnings: 2 },
            Msg::InitCreated { dir: "sales" },
            Msg::InitKept,
            Msg::InitTry { dir: "sales" },
        ]
    }

    #[test]
    fn every_message_speaks_both_languages() {
        for m in every_message() {
            assert_speaks_both(m.texts(), "周二明天");
        }
    }

    #[test]
    fn messages_read_exactly() {
        let m = every_message();
        assert_eq!(
            m[0].text(Lang::En),
            "ok: 18 customers, 76 activities, 8 rule files (0 from the workspace)"
        );
        assert_eq!(
            m[0].text(Lang::Zh),
            "正常：18 位客户，76 条活动记录，8 个规则文件（工作区 0 个）"
        );
        assert_eq!(
            m[8].text(Lang::Zh),
            "已满足正式客户的门槛；跳过试用客户、意向客户、准客户"
        );
        assert_eq!(
            Msg::Reason("forced: 客户坚持").text(Lang::Zh),
            "强制：客户坚持"
        );
        assert_eq!(Msg::Reason("snooze cleared").text(Lang::Zh), "取消暂缓");
        assert_eq!(Msg::Reason("tier abc").text(Lang::Zh), "分层方案 abc");
        assert_eq!(
            Msg::Reason("no rule matched").text(Lang::Zh),
            "没有规则匹配"
        );
        // A rule file's label stays as written.
        assert_eq!(
            Msg::Reason("important potential").text(Lang::Zh),
            "important potential"
        );
        assert_eq!(m[1].text(Lang::En), "check found 1 error and 2 warnings");
        assert_eq!(m[1].text(Lang::Zh), "检查发现 1 个错误、2 个警告");
        assert_eq!(
            m[2].text(Lang::En),
            "activities.csv: 1 unreadable row skipped, see `clientele check`"
        );
        assert_eq!(
            m[3].text(Lang::Zh),
            "内置的 holidays.toml 没有 2027 年的节假日；这些年的跟进日期只避开周末"
        );
    }
}
