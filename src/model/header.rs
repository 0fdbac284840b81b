//! Headers as people write them: `销售额（元）`, ` Last Contact `, `ＩＤ`, `金额(万元)` all match
//! a field. A header is matched by its key (full-width forms folded, case and spaces ignored, a
//! unit in brackets at its end taken off), and a unit on a money column is applied to every
//! amount in it.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::Field;

/// Every field's name and aliases by key (the first field to claim a key keeps it), made
/// once: a folder book looks up every key of every file.
static BY_KEY: LazyLock<HashMap<String, Field>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for f in Field::all() {
        for name in std::iter::once(f.name()).chain(f.aliases().iter().copied()) {
            map.entry(key(name)).or_insert(f);
        }
    }
    map
});

/// A field's name or alias as a key, with the key's length in characters.
type NameKey = (String, usize);

/// Every field's name and aliases as keys, with each key's length in characters, made once:
/// a header that matches no field is compared with all of them.
static NAMES: LazyLock<Vec<(Field, Vec<NameKey>)>> = LazyLock::new(|| {
    Field::all()
        .map(|f| {
            let keys = std::iter::once(f.name())
                .chain(f.aliases().iter().copied())
                .map(|name| {
                    let k = key(name);
                    let len = k.chars().count();
                    (k, len)
                })
                .collect();
            (f, keys)
        })
        .collect()
});

/// The field whose name or alias has this key.
pub fn field_of_key(key: &str) -> Option<Field> {
    BY_KEY.get(key).copied()
}

/// The bracket pairs a unit may stand in at a header's end.
const BRACKETS: [(char, char); 5] = [
    ('(', ')'),
    ('（', '）'),
    ('[', ']'),
    ('【', '】'),
    ('〔', '〕'),
];

/// A full-width ASCII form (`Ｉ`, `（`, the ideographic space) as its ASCII character.
fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        c => c,
    }
}

/// The header folded as matching sees it: full-width forms as ASCII, lower-case, runs of
/// white space as one space, none at either end.
fn folded(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for c in header.chars().map(half_width) {
        if c.is_whitespace() || c == '_' {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A header split into its key and the unit in brackets at its end, if any: `销售额（元）` is
/// `销售额` in 元; `Revenue (USD)` is `revenue` in usd.
pub fn split(header: &str) -> (String, Option<String>) {
    let text = folded(header);
    for (open, close) in BRACKETS {
        let (open, close) = (half_width(open), half_width(close));
        if let Some(inner) = text.strip_suffix(close)
            && let Some(at) = inner.rfind(open)
            && at > 0
        {
            let unit = inner[at + open.len_utf8()..].trim().to_string();
            let key = inner[..at].trim_end().to_string();
            return (key, (!unit.is_empty()).then_some(unit));
        }
    }
    (text, None)
}

/// The key a header is matched by (see [`split`]); `last_contact` and `Last Contact` are
/// one key.
pub fn key(header: &str) -> String {
    split(header).0
}

/// How many yuan (or dollars: an amount's currency is the book's, whatever it is) one of
/// `unit` is worth, for a unit in a money column's header: 元, 千元, 万元, 百万, 亿 and
/// currency names. None for a unit that is not money.
pub fn money_unit(unit: &str) -> Option<i64> {
    let unit = unit.trim();
    let factor = match unit {
        "元" | "人民币" | "rmb" | "cny" | "¥" | "￥" | "usd" | "$" | "美元" | "eur" | "€"
        | "欧元" | "hkd" | "港币" | "港元" | "gbp" | "£" | "jpy" | "日元" | "currency" => {
            1
        }
        "千元" | "千" | "k" | "千人民币" => 1_000,
        "万元" | "万" | "万人民币" | "w" => 10_000,
        "十万元" | "十万" => 100_000,
        "百万元" | "百万" | "m" | "million" | "mn" => 1_000_000,
        "千万元" | "千万" => 10_000_000,
        "亿元" | "亿" => 100_000_000,
        _ => return None,
    };
    Some(factor)
}

/// The fields a header that matches none is most like, for a hint: those whose name or an
/// alias is within a few edits of it or holds all of it, best first.
pub fn nearest(header: &str, candidates: impl Iterator<Item = Field>) -> Vec<Field> {
    let h = key(header);
    let h_len = h.chars().count();
    if h_len < 2 {
        return Vec::new();
    }
    let mut scored: Vec<(f64, Field)> = candidates
        .filter_map(|f| {
            let (_, names) = NAMES.iter().find(|(g, _)| *g == f)?;
            let best = names
                .iter()
                .map(|(alias, a_len)| {
                    // Two keys are at least as many edits apart as their lengths differ:
                    // a header far longer than every name (a megabyte cell) is compared
                    // with none, as none could be alike enough.
                    let bound = 1.0 - h_len.abs_diff(*a_len) as f64 / h_len.max(*a_len) as f64;
                    if bound < ALIKE {
                        return 0.0;
                    }
                    likeness(&h, alias)
                })
                .fold(0.0, f64::max);
            (best >= ALIKE).then_some((best, f))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().map(|(_, f)| f).take(2).collect()
}

/// How alike a header and a field's name must be for the name to be suggested.
const ALIKE: f64 = 0.6;

/// How alike two keys are, 0 to 1: the share of characters the longer keeps through the
/// fewest edits (insertions, deletions, substitutions, transpositions).
fn likeness(a: &str, b: &str) -> f64 {
    strsim::normalized_damerau_levenshtein(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_matched_by_their_key() {
        for (header, want) in [
            ("销售额（元）", ("销售额", Some("元"))),
            ("金额(万元)", ("金额", Some("万元"))),
            ("Revenue (USD)", ("revenue", Some("usd"))),
            ("  Last Contact ", ("last contact", None)),
            ("last_contact", ("last contact", None)),
            ("ＩＤ", ("id", None)),
            ("客户　名称", ("客户 名称", None)),
            ("备注【内部】", ("备注", Some("内部"))),
            ("(元)", ("(元)", None)),
            ("电话()", ("电话", None)),
        ] {
            let (key, unit) = split(header);
            assert_eq!((key.as_str(), unit.as_deref()), want, "{header:?}");
        }
    }

    #[test]
    fn money_units_are_worth_yuan() {
        assert_eq!(money_unit("元"), Some(1));
        assert_eq!(money_unit("万元"), Some(10_000));
        assert_eq!(money_unit("千元"), Some(1_000));
        assert_eq!(money_unit("亿"), Some(100_000_000));
        assert_eq!(money_unit("usd"), Some(1));
        assert_eq!(money_unit("件"), None);
        assert_eq!(money_unit("%"), None);
    }

    /// Headers one or two characters away from an alias suggest its field; an unrelated one
    /// suggests nothing.
    #[test]
    fn a_header_close_to_an_alias_suggests_its_field() {
        assert_eq!(nearest("最后一次联系", Field::all()), [Field::LastContact]);
        // "next contact" is near too, but further: the note names the nearest.
        assert_eq!(
            nearest("Last Contct", Field::all()),
            [Field::LastContact, Field::NextContact]
        );
        assert_eq!(nearest("备注", Field::all()), []);
        assert_eq!(nearest("x", Field::all()), []);
    }
}
