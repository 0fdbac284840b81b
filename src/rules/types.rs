//! Type sets (`rules/types*.toml`): the customer types, the signals that recognise each,
//! and how to handle them.

use serde::Deserialize;

use super::expr::Compiled;
use super::{RuleFile, Text, TraitVocab};
use crate::error::Diagnostic;
use crate::model::messages::rules::RuleMsg;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypesFile {
    name: String,
    en: String,
    zh: String,
    min_score: f64,
    min_margin: f64,
    fallback: toml::Spanned<String>,
    #[serde(rename = "type")]
    types: Vec<TypeFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypeFile {
    id: toml::Spanned<String>,
    en: String,
    zh: String,
    recognise: Option<Text>,
    strategy: Text,
    advice: Option<Text>,
    #[serde(default)]
    signals: Vec<SignalFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalFile {
    #[serde(rename = "trait")]
    trait_name: Option<toml::Spanned<String>>,
    when: Option<toml::Spanned<String>>,
    weight: f64,
    label: Option<String>,
    label_zh: Option<String>,
}

/// What a signal looks at.
#[derive(Clone, Debug)]
pub enum Test {
    /// The customer has this trait (index into the vocabulary).
    Trait(u16),
    /// A condition on the customer's fields holds.
    When(Compiled),
}

/// One piece of evidence for a type, and what it is worth.
#[derive(Clone, Debug)]
pub struct Signal {
    pub test: Test,
    pub weight: f64,
    /// How the evidence is named in `--explain` (the trait id, or the label / condition).
    pub label: String,
    /// The same in Chinese (the trait's Chinese name, or `label_zh`, else the label).
    pub label_zh: String,
}

/// One customer type.
#[derive(Clone, Debug)]
pub struct TypeDef {
    pub id: String,
    pub en: String,
    pub zh: String,
    pub recognise: Option<Text>,
    pub strategy: Text,
    pub advice: Option<Text>,
    pub signals: Vec<Signal>,
}

/// A set of types that `classify` chooses among.
#[derive(Clone, Debug)]
pub struct TypeSet {
    pub name: String,
    pub en: String,
    pub zh: String,
    pub min_score: f64,
    pub min_margin: f64,
    /// Index of the type given when the evidence is weak or mixed.
    pub fallback: usize,
    pub types: Vec<TypeDef>,
}

impl TypeSet {
    pub fn load(file: &RuleFile, vocab: &TraitVocab) -> Result<TypeSet, Vec<Diagnostic>> {
        let parsed: TypesFile = file.parse().map_err(|d| vec![d])?;
        let mut problems = Vec::new();
        let mut types: Vec<TypeDef> = Vec::new();
        for t in parsed.types {
            if types.iter().any(|other| other.id == *t.id.get_ref()) {
                let message = RuleMsg::TypeTwice { id: t.id.get_ref() };
                problems.push(file.error(t.id.span(), message.to_string()));
            }
            let mut signals = Vec::new();
            for s in &t.signals {
                match signal(file, vocab, &t.id, s) {
                    Ok(signal) => signals.push(signal),
                    Err(d) => problems.push(d),
                }
            }
            types.push(TypeDef {
                id: t.id.into_inner(),
                en: t.en,
                zh: t.zh,
                recognise: t.recognise,
                strategy: t.strategy,
                advice: t.advice,
                signals,
            });
        }
        let fallback = types
            .iter()
            .position(|t| t.id == *parsed.fallback.get_ref());
        if fallback.is_none() {
            let message = RuleMsg::FallbackNotAType {
                id: parsed.fallback.get_ref(),
            };
            problems.push(file.error(parsed.fallback.span(), message.to_string()));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(TypeSet {
            name: parsed.name,
            en: parsed.en,
            zh: parsed.zh,
            min_score: parsed.min_score,
            min_margin: parsed.min_margin,
            fallback: fallback.unwrap_or(0),
            types,
        })
    }
}

/// One signal of type `id`: a trait from the vocabulary, or a condition.
fn signal(
    file: &RuleFile,
    vocab: &TraitVocab,
    id: &toml::Spanned<String>,
    s: &SignalFile,
) -> Result<Signal, Diagnostic> {
    match (&s.trait_name, &s.when) {
        (Some(name), None) => {
            let i = vocab.index(name.get_ref()).ok_or_else(|| {
                let message = RuleMsg::UnknownTrait {
                    text: name.get_ref(),
                };
                file.error(name.span(), message.to_string())
            })?;
            let label = s.label.clone().unwrap_or_else(|| vocab.id(i).to_string());
            let zh = vocab.traits.get(usize::from(i)).map(|(_, zh)| zh.clone());
            Ok(Signal {
                test: Test::Trait(i),
                weight: s.weight,
                label_zh: s.label_zh.clone().or(zh).unwrap_or_else(|| label.clone()),
                label,
            })
        }
        (None, Some(when)) => {
            let label = s.label.clone().unwrap_or_else(|| when.get_ref().clone());
            Ok(Signal {
                test: Test::When(file.condition(when, vocab)?),
                weight: s.weight,
                label_zh: s.label_zh.clone().unwrap_or_else(|| label.clone()),
                label,
            })
        }
        _ => {
            let message = RuleMsg::SignalNeedsOne { id: id.get_ref() };
            Err(file.error(id.span(), message.to_string()))
        }
    }
}

#[cfg(test)]
mod tests;
