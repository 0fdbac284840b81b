//! The rule files: embedded defaults, overrides from the workspace's rules folder, and their
//! validation with every problem reported at its `path:line:col`.

pub mod cadence;
pub mod expr;
pub mod handling;
pub mod holidays;
pub mod stages;
pub mod tiers;
pub mod traits;
pub mod types;

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Error, Result};
use crate::model::Lang;
use crate::model::messages::rules::{RuleMsg, Thing};

pub use cadence::Cadence;
pub use handling::Handling;
pub use holidays::Holidays;
pub use stages::StageRule;
pub use tiers::TierScheme;
pub use traits::TraitVocab;
pub use types::TypeSet;

/// The default rule files, embedded in the binary: (name, contents).
pub const EMBEDDED: [(&str, &str); 9] = [
    ("traits", include_str!("../../rules/traits.toml")),
    ("types", include_str!("../../rules/types.toml")),
    (
        "types-personality",
        include_str!("../../rules/types-personality.toml"),
    ),
    (
        "types-buying",
        include_str!("../../rules/types-buying.toml"),
    ),
    ("stages", include_str!("../../rules/stages.toml")),
    ("cadence", include_str!("../../rules/cadence.toml")),
    ("tiers", include_str!("../../rules/tiers.toml")),
    ("holidays", include_str!("../../rules/holidays.toml")),
    ("handling", include_str!("../../rules/handling.toml")),
];

/// A text in English and Chinese.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// One rule file as loaded: where it came from and its text.
#[derive(Clone, Debug)]
pub struct RuleFile {
    pub name: String,
    /// The file in the workspace, or where it would be for an embedded default.
    pub path: PathBuf,
    pub builtin: bool,
    pub text: String,
}

impl RuleFile {
    /// A problem at a byte range of this file.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(&self.path, &self.text, span.start, span.len(), message)
    }

    /// Deserialises the whole file; a syntax or schema error points at its span.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        toml::from_str(&self.text).map_err(|e| {
            let text = e.message().trim_end().replace('\n', "; ");
            let span = toml_error_span(&self.text, &text, e.span());
            self.error(span, RuleMsg::Toml { text: &text }.to_string())
        })
    }

    /// Parses and type-checks a condition written as the TOML string at `span`.
    pub fn expression(
        &self,
        value: &toml::Spanned<String>,
        scope: &dyn expr::Scope,
    ) -> Result<expr::Compiled, Diagnostic> {
        let source = value.get_ref();
        let at = |e: expr::ExprError| {
            let raw = &self.text[value.span()];
            let start = value.span().start + raw_offset(raw, e.span.start);
            let end = value.span().start + raw_offset(raw, e.span.end);
            self.error(start..end.max(start), e.message)
        };
        let parsed = expr::parse(source).map_err(at)?;
        let mut compiled = expr::compile(&parsed, scope).map_err(at)?;
        compiled.text = source.trim().to_string();
        if let Some(no_sql) = compiled.no_sql.as_deref_mut() {
            let code = source.get(no_sql.span.clone()).unwrap_or_default();
            let message = RuleMsg::NoSql { code }.to_string();
            no_sql.at = Some(at(expr::ExprError::new(no_sql.span.clone(), message)));
        }
        Ok(compiled)
    }

    /// A condition that must be a bool.
    pub fn condition(
        &self,
        value: &toml::Spanned<String>,
        scope: &dyn expr::Scope,
    ) -> Result<expr::Compiled, Diagnostic> {
        let c = self.expression(value, scope)?;
        if c.ty != expr::Ty::Bool {
            return Err(self.error(
                value.span(),
                RuleMsg::NotACondition { ty: c.ty.name() }.to_string(),
            ));
        }
        Ok(c)
    }

    /// An expression that must be a number (a metric, a criterion's rating).
    pub fn number(
        &self,
        value: &toml::Spanned<String>,
        scope: &dyn expr::Scope,
    ) -> Result<expr::Compiled, Diagnostic> {
        let c = self.expression(value, scope)?;
        if !c.ty.is_numeric() && c.ty != expr::Ty::Null {
            return Err(self.error(
                value.span(),
                RuleMsg::NotANumber { ty: c.ty.name() }.to_string(),
            ));
        }
        Ok(c)
    }
}

/// Where a TOML parser's error is in `text`: its own span, or, for a dotted key nested
/// deeper than the parsers allow (which they report without one), the first key of so many
/// parts at the start of a line or in a table's header; else the file's start.
pub fn toml_error_span(text: &str, message: &str, span: Option<Range<usize>>) -> Range<usize> {
    let span = span.unwrap_or(0..0);
    if message != "recursion limit" || !span.is_empty() {
        return span;
    }
    deep_dotted_key(text).unwrap_or(span)
}

/// The first dotted key of more than [`crate::model::messages::rules::TOML_DEPTH`] parts:
/// one that starts a line (`a.b.c = 1`, `[a.b.c]`, `[[a.b.c]]`) or a key of an inline table
/// (`x = { a.b.c = 1 }`): its span.
fn deep_dotted_key(text: &str) -> Option<Range<usize>> {
    let depth = crate::model::messages::rules::TOML_DEPTH as usize;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let body = line[indent..].trim_start_matches('[');
        let base = start + (line.len() - body.len());
        // A key starts the line and after each `{` or `,` (outside quotes); its parts are
        // cut at dots, and it ends at its `=` (or a header's `]`).
        let (mut key_start, mut dots, mut quote) = (0, 0, None);
        for (i, c) in body.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '.') => dots += 1,
                (None, '{' | ',') => (key_start, dots) = (i + 1, 0),
                (None, '=' | ']') if dots >= depth => {
                    let key = &body[key_start..i];
                    let lead = key.len() - key.trim_start().len();
                    let from = base + key_start + lead;
                    return Some(from..from + key.trim().len());
                }
                (None, '=' | ']') => dots = 0,
                (None, '#' | '\n') => break,
                (None, _) => {}
            }
        }
        start += line.len();
    }
    None
}

/// The byte offset in a raw TOML string token (quotes and escapes included) of the
/// `decoded`-th byte of its value. In a multi-line string the newline right after the opening
/// quotes is not part of the value, nor is a line-ending backslash with the whitespace after it.
fn raw_offset(raw: &str, decoded: usize) -> usize {
    let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else if raw.starts_with('"') || raw.starts_with('\'') {
        1
    } else {
        return decoded.min(raw.len());
    };
    let literal = raw.starts_with('\'');
    let multi_line = quote == 3;
    let mut body = &raw[quote..];
    let mut base = quote;
    if multi_line {
        let newline = if body.starts_with("\r\n") {
            2
        } else {
            usize::from(body.starts_with('\n'))
        };
        body = &body[newline..];
        base += newline;
    }
    let (mut r, mut d) = (0, 0);
    let bytes = body.as_bytes();
    loop {
        if multi_line
            && !literal
            && let Some(n) = line_continuation(&body[r..])
        {
            r += n;
            continue;
        }
        if d >= decoded || r >= body.len() {
            break;
        }
        if !literal && bytes[r] == b'\\' && r + 1 < body.len() {
            let (raw_len, value_len) = match bytes[r + 1] {
                b'u' => (6, char_len_of_escape(&body[r + 2..], 4)),
                b'U' => (10, char_len_of_escape(&body[r + 2..], 8)),
                _ => (2, 1),
            };
            r += raw_len;
            d += value_len;
        } else {
            let len = body[r..].chars().next().map_or(1, char::len_utf8);
            r += len;
            d += len;
        }
    }
    base + r.min(body.len())
}

/// The length of a line-ending backslash at the start of `text`: the backslash, spaces or tabs,
/// a line end, and every space, tab and line end after it (none of which is in the value).
fn line_continuation(text: &str) -> Option<usize> {
    let after = text.strip_prefix('\\')?;
    let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
    let rest = &after[spaces..];
    if !(rest.starts_with('\n') || rest.starts_with("\r\n")) {
        return None;
    }
    let blank = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
    Some(1 + spaces + blank)
}

fn char_len_of_escape(hex: &str, digits: usize) -> usize {
    hex.get(..digits)
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .and_then(char::from_u32)
        .map_or(1, char::len_utf8)
}

/// Every rule the tool applies, loaded and checked.
#[derive(Debug)]
pub struct Rules {
    pub files: Vec<RuleFile>,
    pub traits: TraitVocab,
    /// The default set (`types.toml`) first, then the alternatives by name.
    pub type_sets: Vec<TypeSet>,
    pub stages: Vec<StageRule>,
    /// Whether a move may skip stages whose gates do not hold (see [`stages::Stages`]).
    pub stage_skip: bool,
    pub cadence: Cadence,
    pub tiers: Vec<TierScheme>,
    pub holidays: Holidays,
    pub handling: Handling,
    /// Every type's id, lower-case English name and Chinese name → its id (the first set
    /// that names it wins): the book's `type` column is read once per customer.
    type_names: rustc_hash::FxHashMap<String, String>,
    /// Type id → (set, type) positions, the first set that defines it winning: the strategy
    /// and name of a customer's type are looked up once per printed row.
    type_by_id: rustc_hash::FxHashMap<String, (usize, usize)>,
}

impl Rules {
    /// Loads every rule file, from `dir` where present there, else the embedded default.
    /// All problems in all files are returned together.
    pub fn load(dir: Option<&Path>, holidays: Option<&Path>) -> Result<Rules> {
        let mut files = Vec::new();
        for (name, text) in EMBEDDED {
            files.push(read_rule_file(dir, name, text, None)?);
        }
        if let Some(dir) = dir {
            files.extend(extra_type_sets(dir)?);
        }
        if let Some(path) = holidays {
            let text = read_toml_text(path)?;
            let slot = files
                .iter_mut()
                .find(|f| f.name == "holidays")
                .expect("embedded holidays");
            *slot = RuleFile {
                name: "holidays".into(),
                path: path.to_path_buf(),
                builtin: false,
                text,
            };
        }
        Rules::from_files(files)
    }

    /// Checks the given rule files and builds the rules from them.
    pub fn from_files(files: Vec<RuleFile>) -> Result<Rules> {
        let mut problems = Vec::new();
        let file = |name: &str| {
            files
                .iter()
                .find(|f| f.name == name)
                .expect("every rule file is present")
        };
        let traits = TraitVocab::load(file("traits")).map_err(|d| Error::Data(vec![d]))?;
        let type_sets: Vec<TypeSet> = files
            .iter()
            .filter(|f| f.name == "types" || f.name.starts_with("types-"))
            .filter_map(|f| keep(TypeSet::load(f, &traits), &mut problems))
            .collect();
        let stages = keep(stages::load(file("stages"), &traits), &mut problems);
        let cadence = keep(Cadence::load(file("cadence"), &traits), &mut problems);
        let tiers = keep(tiers::load(file("tiers"), &traits), &mut problems);
        let holidays = keep(Holidays::load(file("holidays")), &mut problems);
        let handling = keep(handling::load(file("handling")), &mut problems);
        if !problems.is_empty() {
            return Err(Error::Data(problems));
        }
        let mut type_by_id = rustc_hash::FxHashMap::default();
        for (k, set) in type_sets.iter().enumerate() {
            for (j, t) in set.types.iter().enumerate() {
                type_by_id.entry(t.id.clone()).or_insert((k, j));
            }
        }
        let mut type_names = rustc_hash::FxHashMap::default();
        for t in type_sets.iter().flat_map(|s| &s.types) {
            for name in [t.id.to_lowercase(), t.en.to_lowercase(), t.zh.clone()] {
                type_names.entry(name).or_insert_with(|| t.id.clone());
            }
        }
        Ok(Rules {
            traits,
            type_sets,
            type_names,
            type_by_id,
            stage_skip: stages.as_ref().is_some_and(|s| s.skip),
            stages: stages.expect("no problems").list,
            cadence: cadence.expect("no problems"),
            tiers: tiers.expect("no problems"),
            holidays: holidays.expect("no problems"),
            handling: handling.expect("no problems"),
            files,
        })
    }

    /// A type set by name (`nine` or empty for the default).
    pub fn type_set(&self, name: Option<&str>) -> Result<&TypeSet> {
        match name {
            None => Ok(&self.type_sets[0]),
            Some(n) => self.type_sets.iter().find(|s| s.name == n).ok_or_else(|| {
                let known: Vec<_> = self.type_sets.iter().map(|s| s.name.as_str()).collect();
                let message = RuleMsg::UnknownNamed {
                    what: Thing::TypeSet,
                    name: n,
                    known: &known.join(", "),
                };
                Error::Usage(message.to_string())
            }),
        }
    }

    /// The tier scheme by name.
    pub fn scheme(&self, name: &str) -> Result<&TierScheme> {
        self.tiers.iter().find(|s| s.name == name).ok_or_else(|| {
            let known: Vec<_> = self.tiers.iter().map(|s| s.name.as_str()).collect();
            let message = RuleMsg::UnknownNamed {
                what: Thing::TierScheme,
                name,
                known: &known.join(", "),
            };
            Error::Usage(message.to_string())
        })
    }

    /// A type by id, looked up in every type set (the first that defines it).
    pub fn type_def(&self, type_id: &str) -> Option<&types::TypeDef> {
        self.type_by_id
            .get(type_id)
            .map(|&(k, j)| &self.type_sets[k].types[j])
    }

    /// The strategy line of a customer type id.
    pub fn strategy(&self, type_id: &str, lang: Lang) -> Option<&str> {
        self.type_def(type_id).map(|t| t.strategy.get(lang))
    }

    /// The name of a type id in the requested language.
    pub fn type_label(&self, type_id: &str, lang: Lang) -> Option<&str> {
        self.type_def(type_id).map(|t| match lang {
            Lang::En => t.en.as_str(),
            Lang::Zh => t.zh.as_str(),
        })
    }

    /// The type id a book's value names (by id, English or Chinese name), in any set.
    pub fn type_id(&self, value: &str) -> Option<&str> {
        let value = value.trim();
        match self.type_names.get(value) {
            Some(id) => Some(id),
            None if value.chars().any(char::is_uppercase) => self
                .type_names
                .get(&value.to_lowercase())
                .map(String::as_str),
            None => None,
        }
    }
}

/// The value, or None with its problems moved to `problems`.
fn keep<T>(r: Result<T, Vec<Diagnostic>>, problems: &mut Vec<Diagnostic>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(d) => {
            problems.extend(d);
            None
        }
    }
}

fn read_rule_file(
    dir: Option<&Path>,
    name: &str,
    embedded: &str,
    path: Option<PathBuf>,
) -> Result<RuleFile> {
    let path = path.unwrap_or_else(|| {
        dir.unwrap_or(Path::new("rules"))
            .join(format!("{name}.toml"))
    });
    if dir.is_some() && rule_file_at(&path)? {
        let text = read_toml_text(&path)?;
        return Ok(RuleFile {
            name: name.to_string(),
            path,
            builtin: false,
            text,
        });
    }
    Ok(RuleFile {
        name: name.to_string(),
        path,
        builtin: true,
        text: embedded.to_string(),
    })
}

/// The text of a TOML file the user wrote (a rule file, `clientele.toml`): UTF-8, as the
/// format says, or an error at its first byte that is not, with the line it is on.
pub fn read_toml_text(path: &Path) -> Result<String> {
    use crate::model::messages::read::ReadMsg;
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let byte = bytes[at];
        // The line as it reads with the bad bytes as U+FFFD: the same up to the first.
        let text = String::from_utf8_lossy(&bytes);
        let message = ReadMsg::Undecodable {
            guess: None,
            name: "UTF-8",
            byte,
        };
        let d = Diagnostic::at(
            path,
            &text,
            at,
            char::REPLACEMENT_CHARACTER.len_utf8(),
            message.to_string(),
        );
        Error::from(d.with_hint(ReadMsg::TomlUtf8Hint.to_string()))
    })
}

/// Whether the workspace has its own rule file at `path`; false when nothing is there (the
/// built-in one applies). A folder or a link to nothing there is an error naming it, never
/// passed over for the built-in file.
fn rule_file_at(path: &Path) -> Result<bool> {
    use crate::model::messages::read::ReadMsg;
    let shown = || crate::error::display_path(path);
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if path.symlink_metadata().is_err() {
                return Ok(false);
            }
            let target = std::fs::read_link(path)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            let message = ReadMsg::DanglingLink {
                path: &shown(),
                target: &target,
            };
            return Err(Error::Usage(message.to_string()));
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    if meta.is_dir() {
        let message = ReadMsg::FolderNotFile { path: &shown() };
        return Err(Error::Usage(message.to_string()));
    }
    Ok(true)
}

/// Type sets the user added as `types-NAME.toml` beyond the shipped ones.
fn extra_type_sets(dir: &Path) -> Result<Vec<RuleFile>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        // The workspace makes sure a folder it names is there.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let shipped = EMBEDDED.iter().any(|(n, _)| *n == stem);
        if stem.starts_with("types-") && !shipped && path.extension().is_some_and(|e| e == "toml") {
            found.push(read_rule_file(Some(dir), stem, "", Some(path.clone()))?);
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// What the rule modules' unit tests share: a rule file made from text, the shipped files.
#[cfg(test)]
pub(crate) mod test_files {
    use super::{EMBEDDED, RuleFile, TraitVocab};

    /// The shipped text of the rule file `name`.
    pub fn embedded(name: &str) -> &'static str {
        EMBEDDED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| *text)
            .expect("a shipped rule file")
    }

    /// The rule file `name` of a workspace (`rules/NAME.toml`) holding `text`.
    pub fn file(name: &str, text: &str) -> RuleFile {
        RuleFile {
            name: name.into(),
            path: format!("rules/{name}.toml").into(),
            builtin: false,
            text: text.into(),
        }
    }

    /// The shipped trait vocabulary.
    pub fn vocab() -> TraitVocab {
        TraitVocab::load(&file("traits", embedded("traits"))).expect("the shipped traits load")
    }
}
