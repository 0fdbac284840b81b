//! The lifecycle stages (`rules/stages.toml`): names, advice, and the gate of each.

use serde::Deserialize;

use super::expr::Compiled;
use super::{RuleFile, Text, TraitVocab};
use crate::error::Diagnostic;
use crate::model::messages::rules::RuleMsg;
use crate::model::{Enumeration, Stage};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StagesFile {
    skip: Option<toml::Spanned<String>>,
    stage: Vec<StageFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StageFile {
    id: toml::Spanned<String>,
    en: String,
    zh: String,
    definition: Text,
    advice: Text,
    #[serde(default)]
    gate: Vec<GateFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GateFile {
    when: toml::Spanned<String>,
    label: Option<String>,
    label_zh: Option<String>,
}

/// One condition of a stage's gate.
#[derive(Clone, Debug)]
pub struct GateCondition {
    /// What a refusal names when the condition does not hold.
    pub label: String,
    /// The same in Chinese (`label_zh`; the label when the file gives none).
    pub label_zh: String,
    pub condition: Compiled,
}

/// A lifecycle stage as the rules describe it.
#[derive(Clone, Debug)]
pub struct StageRule {
    pub stage: Stage,
    pub en: String,
    pub zh: String,
    pub definition: Text,
    pub advice: Text,
    /// Conditions that must all hold to enter the stage.
    pub gate: Vec<GateCondition>,
}

/// The stages as the rules file gives them, and whether a stage may be skipped.
#[derive(Clone, Debug)]
pub struct Stages {
    pub list: Vec<StageRule>,
    /// `skip = "allowed"` (the default): a move checks the target stage's gate only, and the
    /// stages before it are skipped; `skip = "never"`: every gate on the way must hold.
    pub skip: bool,
}

/// Loads the stages; they must be the five of the model, in order.
pub fn load(file: &RuleFile, vocab: &TraitVocab) -> Result<Stages, Vec<Diagnostic>> {
    let parsed: StagesFile = file.parse().map_err(|d| vec![d])?;
    let mut problems = Vec::new();
    let skip = match &parsed.skip {
        None => true,
        Some(s) => match s.get_ref().as_str() {
            "allowed" => true,
            "never" => false,
            other => {
                let message = RuleMsg::UnknownSkip { text: other };
                problems.push(file.error(s.span(), message.to_string()));
                true
            }
        },
    };
    let mut stages = Vec::new();
    for (i, s) in parsed.stage.into_iter().enumerate() {
        let expected = Stage::ALL.get(i);
        let stage = match Stage::parse(s.id.get_ref()) {
            Some(stage) if Some(&stage) == expected => stage,
            _ => {
                let message = RuleMsg::StageOutOfPlace {
                    id: s.id.get_ref(),
                    stages: &Stage::expected(),
                    want: expected.map(|e| e.id()),
                };
                problems.push(file.error(s.id.span(), message.to_string()));
                continue;
            }
        };
        let mut gate = Vec::new();
        for g in s.gate {
            match file.condition(&g.when, vocab) {
                Ok(condition) => {
                    let label = g.label.unwrap_or_else(|| g.when.get_ref().clone());
                    gate.push(GateCondition {
                        label_zh: g.label_zh.unwrap_or_else(|| label.clone()),
                        label,
                        condition,
                    })
                }
                Err(d) => problems.push(d),
            }
        }
        stages.push(StageRule {
            stage,
            en: s.en,
            zh: s.zh,
            definition: s.definition,
            advice: s.advice,
            gate,
        });
    }
    if problems.is_empty() && stages.len() != Stage::ALL.len() {
        let message = RuleMsg::StageCount {
            count: Stage::ALL.len(),
            stages: &Stage::expected(),
            found: stages.len(),
        };
        problems.push(file.error(0..0, message.to_string()));
    }
    if problems.is_empty() {
        Ok(Stages { list: stages, skip })
    } else {
        Err(problems)
    }
}

impl StageRule {
    pub fn stage_id(&self) -> &'static str {
        self.stage.id()
    }
}

#[cfg(test)]
mod tests;
