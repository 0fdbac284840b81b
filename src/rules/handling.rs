//! How to handle a customer by what they say (`rules/handling.toml`): the advice for each
//! purchase intent, and what a complaint seeks, read off the start of its note.

use serde::Deserialize;

use super::{RuleFile, Text};
use crate::error::Diagnostic;
use crate::model::Intent;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HandlingFile {
    intent: IntentsFile,
    #[serde(default)]
    seek: Vec<Seek>,
}

/// One advice per intent: serde names a missing or unknown one at its place.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentsFile {
    interested: AdviceFile,
    considering: AdviceFile,
    not_now: AdviceFile,
    will_not_buy: AdviceFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdviceFile {
    advice: Text,
}

/// What a complaint may seek, and how to handle it.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Seek {
    pub id: String,
    pub en: String,
    pub zh: String,
    /// The words that name it at the start of a complaint's note (besides id and name).
    #[serde(default)]
    pub prefixes: Vec<String>,
    pub advice: Text,
}

/// The handling rules, loaded.
#[derive(Clone, Debug)]
pub struct Handling {
    /// The advice of each intent, by [`Intent`] in order.
    intent: [Text; 4],
    pub seeks: Vec<Seek>,
}

pub fn load(file: &RuleFile) -> Result<Handling, Vec<Diagnostic>> {
    let parsed: HandlingFile = file.parse().map_err(|d| vec![d])?;
    let i = parsed.intent;
    Ok(Handling {
        intent: [
            i.interested.advice,
            i.considering.advice,
            i.not_now.advice,
            i.will_not_buy.advice,
        ],
        seeks: parsed.seek,
    })
}

impl Handling {
    /// The advice for a purchase intent.
    pub fn intent_advice(&self, intent: Intent) -> &Text {
        &self.intent[intent as usize]
    }

    /// What a complaint's note says it seeks: a seek named at its start (by id, Chinese
    /// name or one of its prefixes, in any case), followed by a colon, a space or nothing.
    /// The longest name that fits wins, so `求补偿` is not read as a shorter `补偿` would be.
    pub fn seek_of(&self, note: &str) -> Option<&Seek> {
        let note = note.trim_start();
        let mut best: Option<(&Seek, usize)> = None;
        for s in &self.seeks {
            let names = [s.id.as_str(), s.zh.as_str()]
                .into_iter()
                .chain(s.prefixes.iter().map(String::as_str));
            for name in names.filter(|n| !n.is_empty()) {
                let fits =
                    note.get(..name.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(name))
                        && note[name.len()..].chars().next().is_none_or(|c| {
                            matches!(c, ':' | '：' | ' ' | '\u{3000}' | ',' | '，')
                        });
                if fits && best.is_none_or(|(_, len)| name.len() > len) {
                    best = Some((s, name.len()));
                }
            }
        }
        best.map(|(s, _)| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;
    use crate::rules::test_files::{embedded, file};

    fn shipped() -> Handling {
        load(&file("handling", embedded("handling"))).unwrap()
    }

    #[test]
    fn every_intent_has_its_advice_in_both_languages() {
        let h = shipped();
        let advice = h.intent_advice(Intent::Considering);
        assert!(
            advice
                .get(Lang::En)
                .starts_with("Keep talking, do not push")
        );
        assert!(advice.get(Lang::Zh).starts_with("多沟通，不推销"));
        assert!(
            h.intent_advice(Intent::WillNotBuy)
                .en
                .contains("record the reason")
        );
    }

    #[test]
    fn a_complaint_names_what_it_seeks_at_the_start_of_its_note() {
        let h = shipped();
        let id = |note: &str| h.seek_of(note).map(|s| s.id.as_str());
        assert_eq!(id("求补偿：上批货包装破损"), Some("compensation"));
        assert_eq!(id("补偿:少发两箱"), Some("compensation"));
        assert_eq!(
            id("  Compensation: damaged packaging"),
            Some("compensation")
        );
        assert_eq!(id("求尊重 前台态度差"), Some("respect"));
        assert_eq!(id("vent"), Some("vent"));
        assert_eq!(id("求发泄，等了三天没人回"), Some("vent"));
        // Not at the start, or run on into a word: no seek.
        assert_eq!(id("发票抬头开错，要求重开"), None);
        assert_eq!(id("ventilation broken"), None);
        assert_eq!(id("要求补偿3%"), None);
        assert_eq!(id(""), None);
    }

    #[test]
    fn a_missing_intent_is_named_at_its_place() {
        let text = "[intent.interested]\nadvice = { en = \"a\", zh = \"甲\" }\n";
        let problems = load(&file("handling", text)).err().unwrap();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .to_string()
                .contains("missing field `considering`"),
            "{}",
            problems[0]
        );
    }
}
