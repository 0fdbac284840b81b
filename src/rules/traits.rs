//! The trait vocabulary (`rules/traits.toml`): trait ids and their Chinese names.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::RuleFile;
use super::expr::Scope;
use crate::error::Diagnostic;
use crate::model::TraitSet;
use crate::model::messages::rules::RuleMsg;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TraitsFile {
    traits: toml::Spanned<BTreeMap<String, toml::Spanned<String>>>,
}

/// Every trait the rules may name, in file order of ids.
#[derive(Clone, Debug, Default)]
pub struct TraitVocab {
    /// (id, Chinese name), sorted by id; a trait's index is its position here.
    pub traits: Vec<(String, String)>,
    /// Lower-case id and Chinese name → index: traits are looked up once per cell of a
    /// million-row book.
    by_name: rustc_hash::FxHashMap<String, u16>,
}

impl TraitVocab {
    pub fn load(file: &RuleFile) -> Result<TraitVocab, Diagnostic> {
        let parsed: TraitsFile = file.parse()?;
        let span = parsed.traits.span();
        let map = parsed.traits.into_inner();
        if map.len() > TraitSet::CAPACITY {
            let message = RuleMsg::TooManyTraits {
                max: TraitSet::CAPACITY,
                found: map.len(),
            };
            return Err(file.error(span, message.to_string()));
        }
        // A Chinese name used twice is reported at its second use in the file.
        let mut in_file_order: Vec<(&String, &toml::Spanned<String>)> = map.iter().collect();
        in_file_order.sort_by_key(|(_, zh)| zh.span().start);
        for (k, (_, zh)) in in_file_order.iter().enumerate() {
            if let Some((other, _)) = in_file_order[..k]
                .iter()
                .find(|(_, z)| z.get_ref() == zh.get_ref())
            {
                let message = RuleMsg::ChineseNameTaken {
                    name: zh.get_ref(),
                    other,
                };
                return Err(file.error(zh.span(), message.to_string()));
            }
        }
        let traits: Vec<(String, String)> = map
            .into_iter()
            .map(|(id, zh)| (id, zh.into_inner()))
            .collect();
        let mut by_name = rustc_hash::FxHashMap::default();
        for (i, (id, zh)) in traits.iter().enumerate() {
            by_name.insert(id.to_ascii_lowercase(), i as u16);
            by_name.insert(zh.clone(), i as u16);
        }
        Ok(TraitVocab { traits, by_name })
    }

    /// The index of a trait named by id (any case) or Chinese name.
    pub fn index(&self, name: &str) -> Option<u16> {
        let name = name.trim();
        if let Some(&i) = self.by_name.get(name) {
            return Some(i);
        }
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            return self.by_name.get(&name.to_ascii_lowercase()).copied();
        }
        None
    }

    pub fn id(&self, index: u16) -> &str {
        &self.traits[usize::from(index)].0
    }
}

impl Scope for TraitVocab {
    fn trait_index(&self, name: &str) -> Option<u16> {
        self.index(name)
    }
}

#[cfg(test)]
mod tests;
