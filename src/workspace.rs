//! The workspace: `clientele.toml` found like git finds `.git`, the paths it names, the column
//! mapping, the calendar, the language and what "today" means.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{FixedOffset, NaiveDate, Weekday};
use serde::Deserialize;

use crate::error::{Diagnostic, Error, Result};
use crate::model::messages::read::ReadMsg;
use crate::model::value::{DateOrder, DateStyle};
use crate::model::{Field, Lang};

/// The name of the configuration file.
pub const CONFIG_FILE: &str = "clientele.toml";

/// `clientele.toml` as written; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    customers: Option<String>,
    activities: Option<String>,
    rules: Option<toml::Spanned<String>>,
    lang: Option<toml::Spanned<String>>,
    utc_offset: Option<toml::Spanned<String>>,
    encoding: Option<toml::Spanned<String>>,
    header_row: Option<toml::Spanned<i64>>,
    sheet: Option<String>,
    date_order: Option<toml::Spanned<String>>,
    date_system: Option<toml::Spanned<i64>>,
    #[serde(default)]
    columns: BTreeMap<toml::Spanned<String>, String>,
    #[serde(default)]
    calendar: CalendarFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    weekend: Option<Vec<toml::Spanned<String>>>,
    holidays: Option<String>,
}

/// What the command line says about the workspace (each overrides the config file).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub customers: Option<PathBuf>,
    pub activities: Option<PathBuf>,
    pub rules: Option<PathBuf>,
    pub today: Option<NaiveDate>,
    pub lang: Option<Lang>,
    pub encoding: Option<String>,
}

/// Everything a command needs to know about where the files are and how to read them.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The folder holding `clientele.toml`, or the current folder when there is none.
    pub root: PathBuf,
    pub config: Option<PathBuf>,
    pub customers: PathBuf,
    pub activities: PathBuf,
    /// The rules folder; files missing there fall back to the embedded defaults.
    pub rules: Option<PathBuf>,
    pub lang: Lang,
    pub today: NaiveDate,
    /// Header names the user mapped to fields in `[columns]`.
    pub columns: Vec<(Field, String)>,
    pub weekend: Vec<Weekday>,
    /// A holidays file named in `[calendar]`, instead of `rules/holidays.toml`.
    pub holidays: Option<PathBuf>,
    /// The encoding to read the user's files in, instead of detecting it.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The line of the book's header (`header_row`), when it is not found by itself.
    pub header_row: Option<usize>,
    /// The sheet of a workbook book (`sheet`); its first when not given.
    pub sheet: Option<String>,
    /// How the book writes dates (`date_order`, `date_system`).
    pub dates: DateStyle,
}

impl Workspace {
    /// Finds the workspace from the current folder upwards and applies the command line.
    pub fn discover(o: &Overrides) -> Result<Workspace> {
        let cwd = std::env::current_dir().map_err(|e| Error::io(Path::new("."), e))?;
        // Whatever is there by that name: a folder or a link to nothing is an error, never
        // passed over for a parent's configuration or none.
        let config = cwd
            .ancestors()
            .map(|dir| dir.join(CONFIG_FILE))
            .find(|p| p.symlink_metadata().is_ok());
        if let Some(path) = &config {
            crate::store::file_at(path)?;
        }
        // The text is kept: later checks point into it.
        let text = match &config {
            Some(path) => crate::rules::read_toml_text(path)?,
            None => String::new(),
        };
        let (root, file) = match &config {
            Some(path) => (
                path.parent().unwrap_or(&cwd).to_path_buf(),
                parse_config(path, &text)?,
            ),
            None => (cwd.clone(), ConfigFile::default()),
        };
        let at_root = |p: &str| root.join(p);
        let src = ConfigText {
            path: config.clone().unwrap_or_else(|| root.join(CONFIG_FILE)),
            text: &text,
        };
        let customers = match (&o.customers, &file.customers) {
            (Some(p), _) => p.clone(),
            (None, Some(p)) => at_root(p),
            (None, None) => default_customers(&root),
        };
        let activities = match (&o.activities, &file.activities) {
            (Some(p), _) => p.clone(),
            (None, Some(p)) => at_root(p),
            (None, None) => at_root("activities.csv"),
        };
        let lang = match (o.lang, &file.lang) {
            (Some(l), _) => l,
            (None, Some(l)) => parse_lang(l.get_ref()).ok_or_else(|| {
                let message = ReadMsg::UnknownLang { text: l.get_ref() };
                src.error(l.span(), message.to_string())
            })?,
            (None, None) => lang_from_env(),
        };
        // The rest of the configuration's problems are told in it.
        crate::lang::set_lang(lang);
        // A rules folder named (by --rules or in clientele.toml) must be there; the default
        // one beside the book may be missing (the built-in rules then apply).
        let rules = match (&o.rules, &file.rules) {
            (Some(p), _) => {
                if !folder_at(p)? {
                    let path = crate::error::display_path(p);
                    let message = ReadMsg::NoRulesFolder {
                        path: &path,
                        flag: true,
                    };
                    return Err(Error::Usage(message.to_string()));
                }
                Some(p.clone())
            }
            (None, Some(p)) => {
                let dir = at_root(p.get_ref());
                if !folder_at(&dir)? {
                    let path = crate::error::display_path(&dir);
                    let message = ReadMsg::NoRulesFolder {
                        path: &path,
                        flag: false,
                    };
                    return Err(src.error(p.span(), message.to_string()));
                }
                Some(dir)
            }
            (None, None) => {
                let dir = at_root("rules");
                folder_at(&dir)?.then_some(dir)
            }
        };
        let offset = match &file.utc_offset {
            Some(s) => Some(parse_offset(s.get_ref()).ok_or_else(|| {
                let message = ReadMsg::BadUtcOffset { text: s.get_ref() };
                src.error(s.span(), message.to_string())
            })?),
            None => None,
        };
        let today = o.today.unwrap_or_else(|| today_at(offset));
        let header_row = match &file.header_row {
            Some(n) => Some(
                usize::try_from(*n.get_ref())
                    .ok()
                    .filter(|&n| n >= 1)
                    .ok_or_else(|| src.error(n.span(), ReadMsg::HeaderRowNumber.to_string()))?,
            ),
            None => None,
        };
        let dates = DateStyle {
            order: match &file.date_order {
                Some(o) => Some(match o.get_ref().trim().to_ascii_lowercase().as_str() {
                    "mdy" | "m/d/y" => DateOrder::Mdy,
                    "dmy" | "d/m/y" => DateOrder::Dmy,
                    other => {
                        let message = ReadMsg::UnknownDateOrder { text: other };
                        return Err(src.error(o.span(), message.to_string()));
                    }
                }),
                None => None,
            },
            system_1904: match &file.date_system {
                None => false,
                Some(n) if *n.get_ref() == 1900 => false,
                Some(n) if *n.get_ref() == 1904 => true,
                Some(n) => {
                    let message = ReadMsg::UnknownDateSystem {
                        text: &n.get_ref().to_string(),
                    };
                    return Err(src.error(n.span(), message.to_string()));
                }
            },
        };
        Ok(Workspace {
            holidays: file.calendar.holidays.as_deref().map(at_root),
            header_row,
            sheet: file.sheet.clone(),
            dates,
            columns: src.columns(&file.columns)?,
            weekend: src.weekend(&file.calendar.weekend)?,
            encoding: src.encoding(o.encoding.as_deref(), &file.encoding)?,
            root,
            config,
            customers,
            activities,
            rules,
            lang,
            today,
        })
    }
}

/// The configuration file's text, for errors that point into it.
struct ConfigText<'a> {
    path: PathBuf,
    text: &'a str,
}

impl ConfigText<'_> {
    fn error(&self, span: std::ops::Range<usize>, message: String) -> Error {
        Diagnostic::at(
            &self.path,
            self.text,
            span.start,
            span.end - span.start,
            message,
        )
        .into()
    }

    /// The `[columns]` mapping: each key a field a column can hold.
    fn columns(
        &self,
        mapping: &BTreeMap<toml::Spanned<String>, String>,
    ) -> Result<Vec<(Field, String)>> {
        let mut columns = Vec::new();
        for (key, header) in mapping {
            let field = Field::by_name(key.get_ref())
                .filter(|f| {
                    f.is_stored() || matches!(f, Field::Flag(_) | Field::Rating(_) | Field::Points)
                })
                .ok_or_else(|| {
                    let message = ReadMsg::UnknownColumnField { key: key.get_ref() };
                    self.error(key.span(), message.to_string())
                })?;
            columns.push((field, header.clone()));
        }
        Ok(columns)
    }

    /// `[calendar] weekend`, Saturday and Sunday when not given.
    fn weekend(&self, days: &Option<Vec<toml::Spanned<String>>>) -> Result<Vec<Weekday>> {
        let Some(days) = days else {
            return Ok(vec![Weekday::Sat, Weekday::Sun]);
        };
        days.iter()
            .map(|d| {
                parse_weekday(d.get_ref()).ok_or_else(|| {
                    let message = ReadMsg::UnknownWeekday { text: d.get_ref() };
                    self.error(d.span(), message.to_string())
                })
            })
            .collect()
    }

    /// The encoding `--encoding` names, else the configuration's `encoding`.
    fn encoding(
        &self,
        flag: Option<&str>,
        key: &Option<toml::Spanned<String>>,
    ) -> Result<Option<&'static encoding_rs::Encoding>> {
        Ok(match (flag, key) {
            (Some(label), _) => Some(
                crate::store::encoding::lookup(label)
                    .ok_or_else(|| Error::Usage(ReadMsg::UnknownEncoding { label }.to_string()))?,
            ),
            (None, Some(label)) => Some(
                crate::store::encoding::lookup(label.get_ref()).ok_or_else(|| {
                    let message = ReadMsg::UnknownEncoding {
                        label: label.get_ref(),
                    };
                    self.error(label.span(), message.to_string())
                })?,
            ),
            (None, None) => None,
        })
    }
}

fn parse_config(path: &Path, text: &str) -> Result<ConfigFile> {
    toml::from_str(text).map_err(|e| {
        let message = e.message().trim_end();
        let span = crate::rules::toml_error_span(text, message, e.span());
        Diagnostic::at(
            path,
            text,
            span.start,
            span.len(),
            crate::model::messages::rules::RuleMsg::Toml { text: message }.to_string(),
        )
        .into()
    })
}

/// `customers.csv`, else `customers.toml`, else `customers/`; the CSV name when none exists.
/// Whatever is there by a name counts (a folder named `customers.csv`, a link to nothing),
/// so that reading it says what is wrong instead of passing it over for the next.
fn default_customers(root: &Path) -> PathBuf {
    ["customers.csv", "customers.toml", "customers"]
        .iter()
        .map(|n| root.join(n))
        .find(|p| p.symlink_metadata().is_ok())
        .unwrap_or_else(|| root.join("customers.csv"))
}

/// Whether a folder is at `path`; false when nothing is there. Anything else where a folder
/// is expected is an error naming it: a file, a link to nothing.
fn folder_at(path: &Path) -> Result<bool> {
    if path.is_dir() {
        return Ok(true);
    }
    // Not a folder: nothing there, or the file (or dangling link) `file_at` names.
    if !crate::store::file_at(path)? {
        return Ok(false);
    }
    let path = crate::error::display_path(path);
    Err(Error::Usage(
        ReadMsg::NotAFolder { path: &path }.to_string(),
    ))
}

pub fn parse_lang(s: &str) -> Option<Lang> {
    match s.trim().to_lowercase().as_str() {
        "en" | "english" => Some(Lang::En),
        "zh" | "cn" | "chinese" | "中文" => Some(Lang::Zh),
        _ => None,
    }
}

/// The locale's language (`LC_ALL`, `LC_MESSAGES`, `LANG`): Chinese for `zh*`.
pub fn lang_from_env() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .map_or(Lang::En, |v| {
            if v.starts_with("zh") {
                Lang::Zh
            } else {
                Lang::En
            }
        })
}

fn parse_offset(s: &str) -> Option<FixedOffset> {
    let s = s.trim();
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

fn today_at(offset: Option<FixedOffset>) -> NaiveDate {
    match offset {
        Some(o) => chrono::Utc::now().with_timezone(&o).date_naive(),
        None => chrono::Local::now().date_naive(),
    }
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    Some(match s.trim().to_lowercase().as_str() {
        "mon" | "monday" | "周一" | "星期一" => Weekday::Mon,
        "tue" | "tuesday" | "周二" | "星期二" => Weekday::Tue,
        "wed" | "wednesday" | "周三" | "星期三" => Weekday::Wed,
        "thu" | "thursday" | "周四" | "星期四" => Weekday::Thu,
        "fri" | "friday" | "周五" | "星期五" => Weekday::Fri,
        "sat" | "saturday" | "周六" | "星期六" => Weekday::Sat,
        "sun" | "sunday" | "周日" | "星期日" | "星期天" => Weekday::Sun,
        _ => return None,
    })
}
