//! Value schemes (`rules/tiers.toml`): Pareto, percentile ranks, ordered rules, weighted
//! scores, RFM and point thresholds, each a named scheme a user can add without code.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::expr::{Compiled, Ty};
use super::{RuleFile, TraitVocab};
use crate::error::Diagnostic;
use crate::model::messages::rules::RuleMsg;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TiersFile {
    scheme: BTreeMap<String, toml::Spanned<SchemeFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemeFile {
    kind: toml::Spanned<String>,
    en: Option<String>,
    zh: Option<String>,
    metric: Option<toml::Spanned<String>>,
    classes: Option<Vec<BandFile>>,
    bands: Option<Vec<BandFile>>,
    levels: Option<Vec<BandFile>>,
    rules: Option<Vec<RuleFileEntry>>,
    default: Option<toml::Spanned<String>>,
    target: Option<toml::Spanned<String>>,
    target_levels: Option<Vec<TargetLevelFile>>,
    tiers: Option<Vec<BandFile>>,
    criteria: Option<Vec<CriterionFile>>,
    recency: Option<toml::Spanned<String>>,
    frequency: Option<toml::Spanned<String>>,
    money: Option<toml::Spanned<String>>,
    segments: Option<Vec<SegmentFile>>,
    none: Option<BandFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BandFile {
    id: toml::Spanned<String>,
    upto: Option<f64>,
    top: Option<f64>,
    min: Option<f64>,
    en: Option<String>,
    zh: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFileEntry {
    tier: toml::Spanned<String>,
    when: toml::Spanned<String>,
    label: Option<String>,
    label_zh: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetLevelFile {
    tier: toml::Spanned<String>,
    min: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CriterionFile {
    id: String,
    weight: f64,
    value: toml::Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentFile {
    id: toml::Spanned<String>,
    r: [u8; 2],
    f: [u8; 2],
    m: [u8; 2],
    en: Option<String>,
    zh: Option<String>,
}

/// A class, band, level or segment a customer can be put in.
#[derive(Clone, Debug, PartialEq)]
pub struct Tier {
    pub id: String,
    pub en: String,
    pub zh: String,
    /// The band edge: Pareto `upto` %, rank `top` %, score / threshold `min`; 0 otherwise.
    pub limit: f64,
}

/// One of the ordered conditions of a `rules` scheme.
#[derive(Clone, Debug)]
pub struct TierRule {
    pub tier: usize,
    pub condition: Compiled,
    pub label: String,
    /// The label in Chinese, for `--lang zh` (the English one when not given).
    pub label_zh: Option<String>,
}

/// One weighted criterion of a `score` scheme; its value is a rating 1–5.
#[derive(Clone, Debug)]
pub struct Criterion {
    pub id: String,
    pub weight: f64,
    pub value: Compiled,
}

/// An RFM segment: inclusive quintile ranges (5 = best).
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub tier: usize,
    pub r: (u8, u8),
    pub f: (u8, u8),
    pub m: (u8, u8),
}

/// How a scheme puts customers into tiers.
#[derive(Clone, Debug)]
pub enum SchemeKind {
    /// Cumulative share of the metric; tier limits are the `upto` percentages.
    Pareto { metric: Compiled },
    /// Rank percentile bands; tier limits are the `top` percentages.
    Rank { metric: Compiled },
    /// Ordered conditions, first match wins.
    Rules {
        rules: Vec<TierRule>,
        default: usize,
        /// The tier the customer should be in: a number (`target`), and the tier from which
        /// each minimum on (`target_levels`, descending; below the last, or no number, the
        /// last level's tier). `relationship` has the level reached and the level the
        /// customer's value calls for. One number, evaluated once, so that the report's
        /// look at a million customers costs one expression each.
        target: Option<Target>,
    },
    /// Weighted ratings → 0–100; tier limits are the `min` scores.
    Score { criteria: Vec<Criterion> },
    /// Recency / frequency / money quintiles and named segments.
    Rfm {
        recency: Compiled,
        frequency: Compiled,
        money: Compiled,
        segments: Vec<Segment>,
        /// The tier of the customers with no recency date (who never ordered): no quintile
        /// says anything of them, and "lost" would be false.
        none: usize,
    },
    /// The metric against minimum points; tier limits are the `min` values.
    Thresholds { metric: Compiled },
}

/// What a `rules` scheme's customer should be in: a number against descending minimums.
#[derive(Clone, Debug)]
pub struct Target {
    pub metric: Compiled,
    /// (tier, minimum), the minimums descending.
    pub levels: Vec<(usize, f64)>,
}

/// A named value scheme.
#[derive(Clone, Debug)]
pub struct TierScheme {
    pub name: String,
    pub en: String,
    pub zh: String,
    pub kind: SchemeKind,
    /// Every tier of the scheme, best first.
    pub tiers: Vec<Tier>,
}

impl TierScheme {
    pub fn tier_index(&self, id: &str) -> Option<usize> {
        self.tiers.iter().position(|t| t.id == id)
    }

    /// The metric a Pareto, rank or thresholds scheme ranks by.
    pub fn metric(&self) -> Option<&Compiled> {
        match &self.kind {
            SchemeKind::Pareto { metric }
            | SchemeKind::Rank { metric }
            | SchemeKind::Thresholds { metric } => Some(metric),
            _ => None,
        }
    }
}

/// Loads every scheme; all problems are reported together.
pub fn load(file: &RuleFile, vocab: &TraitVocab) -> Result<Vec<TierScheme>, Vec<Diagnostic>> {
    let parsed: TiersFile = file.parse().map_err(|d| vec![d])?;
    let mut problems = Vec::new();
    let mut schemes = Vec::new();
    for (name, s) in parsed.scheme {
        match scheme(file, vocab, &name, &s) {
            Ok(scheme) => schemes.push(scheme),
            Err(d) => problems.extend(d),
        }
    }
    if problems.is_empty() {
        Ok(schemes)
    } else {
        Err(problems)
    }
}

type Problems = Vec<Diagnostic>;

/// What loading one scheme needs: the file, its trait vocabulary, the scheme as written.
struct SchemeSource<'a> {
    file: &'a RuleFile,
    vocab: &'a TraitVocab,
    name: &'a str,
    spanned: &'a toml::Spanned<SchemeFile>,
}

impl SchemeSource<'_> {
    fn s(&self) -> &SchemeFile {
        self.spanned.get_ref()
    }

    /// "scheme X of kind Y needs `key`", at the whole scheme.
    fn missing(&self, key: &str) -> Problems {
        let kind = self.s().kind.get_ref();
        let message = RuleMsg::SchemeNeeds {
            scheme: self.name,
            kind,
            key,
        };
        vec![self.file.error(self.spanned.span(), message.to_string())]
    }

    /// The scheme's `metric`, a number.
    fn metric(&self) -> Result<Compiled, Problems> {
        let m = self
            .s()
            .metric
            .as_ref()
            .ok_or_else(|| self.missing("metric"))?;
        self.file.number(m, self.vocab).map_err(|d| vec![d])
    }

    /// The tiers listed under `key`, each with the edge `edge` reads, the edges ascending
    /// or descending as `ascending` says.
    fn bands(
        &self,
        list: &Option<Vec<BandFile>>,
        key: &str,
        edge: fn(&BandFile) -> Option<f64>,
        ascending: bool,
    ) -> Result<Vec<Tier>, Problems> {
        let list = list.as_ref().ok_or_else(|| self.missing(key))?;
        let mut tiers: Vec<Tier> = Vec::new();
        for b in list {
            let limit = edge(b).ok_or_else(|| {
                let message = RuleMsg::EntryNeedsLimit { key };
                vec![self.file.error(b.id.span(), message.to_string())]
            })?;
            if let Some(prev) = tiers.last()
                && (if ascending {
                    limit <= prev.limit
                } else {
                    limit >= prev.limit
                })
            {
                let message = RuleMsg::LimitsOrder { key, ascending };
                return Err(vec![self.file.error(b.id.span(), message.to_string())]);
            }
            tiers.push(tier(b, limit));
        }
        if tiers.is_empty() {
            return Err(self.missing(key));
        }
        Ok(tiers)
    }
}

fn scheme(
    file: &RuleFile,
    vocab: &TraitVocab,
    name: &str,
    spanned: &toml::Spanned<SchemeFile>,
) -> Result<TierScheme, Problems> {
    let src = SchemeSource {
        file,
        vocab,
        name,
        spanned,
    };
    let s = spanned.get_ref();
    let (kind, tiers) = match s.kind.get_ref().as_str() {
        "pareto" => {
            let tiers = src.bands(&s.classes, "classes", |b| b.upto, true)?;
            (
                SchemeKind::Pareto {
                    metric: src.metric()?,
                },
                tiers,
            )
        }
        "rank" => {
            let tiers = src.bands(&s.bands, "bands", |b| b.top, true)?;
            (
                SchemeKind::Rank {
                    metric: src.metric()?,
                },
                tiers,
            )
        }
        "thresholds" => {
            let tiers = src.bands(&s.levels, "levels", |b| b.min, false)?;
            (
                SchemeKind::Thresholds {
                    metric: src.metric()?,
                },
                tiers,
            )
        }
        "score" => score_scheme(&src)?,
        "rules" => rules_scheme(&src)?,
        "rfm" => rfm_scheme(&src)?,
        other => {
            let message = RuleMsg::UnknownSchemeKind { text: other };
            return Err(vec![file.error(s.kind.span(), message.to_string())]);
        }
    };
    Ok(TierScheme {
        name: name.to_string(),
        en: s.en.clone().unwrap_or_else(|| name.to_string()),
        zh: s.zh.clone().unwrap_or_else(|| name.to_string()),
        kind,
        tiers,
    })
}

/// A `score` scheme: weighted criteria, each a rating, and bands of minimum scores.
fn score_scheme(src: &SchemeSource<'_>) -> Result<(SchemeKind, Vec<Tier>), Problems> {
    let s = src.s();
    let tiers = src.bands(&s.bands, "bands", |b| b.min, false)?;
    let mut criteria = Vec::new();
    let mut problems = Vec::new();
    for c in s.criteria.as_ref().ok_or_else(|| src.missing("criteria"))? {
        match src.file.number(&c.value, src.vocab) {
            Ok(value) => criteria.push(Criterion {
                id: c.id.clone(),
                weight: c.weight,
                value,
            }),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((SchemeKind::Score { criteria }, tiers))
}

/// A `rules` scheme: ordered conditions naming tiers, the first that holds winning, and a
/// default tier.
fn rules_scheme(src: &SchemeSource<'_>) -> Result<(SchemeKind, Vec<Tier>), Problems> {
    let (s, file) = (src.s(), src.file);
    let tiers: Vec<Tier> = s
        .tiers
        .as_ref()
        .ok_or_else(|| src.missing("tiers"))?
        .iter()
        .map(|b| tier(b, 0.0))
        .collect();
    let find = |id: &toml::Spanned<String>| {
        tiers
            .iter()
            .position(|t| t.id == *id.get_ref())
            .ok_or_else(|| {
                let message = RuleMsg::NotATier { id: id.get_ref() };
                file.error(id.span(), message.to_string())
            })
    };
    let mut problems = Vec::new();
    let mut ordered = |list: &[RuleFileEntry]| {
        let mut rules = Vec::new();
        for r in list {
            match (find(&r.tier), file.condition(&r.when, src.vocab)) {
                (Ok(tier), Ok(condition)) => rules.push(TierRule {
                    tier,
                    condition,
                    label: r.label.clone().unwrap_or_else(|| r.when.get_ref().clone()),
                    label_zh: r.label_zh.clone(),
                }),
                (a, b) => problems.extend(a.err().into_iter().chain(b.err())),
            }
        }
        rules
    };
    let rules = ordered(s.rules.as_ref().ok_or_else(|| src.missing("rules"))?);
    let default = s.default.as_ref().ok_or_else(|| src.missing("default"))?;
    let default = find(default).map_err(|e| problems.push(e));
    let target = match &s.target {
        None => None,
        Some(metric) => {
            let list = s
                .target_levels
                .as_ref()
                .filter(|l| !l.is_empty())
                .ok_or_else(|| src.missing("target_levels"))?;
            let metric = file.number(metric, src.vocab).map_err(|d| problems.push(d));
            let mut levels: Vec<(usize, f64)> = Vec::new();
            for l in list {
                if levels.last().is_some_and(|&(_, before)| l.min >= before) {
                    let message = RuleMsg::LimitsOrder {
                        key: "target_levels",
                        ascending: false,
                    };
                    problems.push(file.error(l.tier.span(), message.to_string()));
                }
                match find(&l.tier) {
                    Ok(tier) => levels.push((tier, l.min)),
                    Err(e) => problems.push(e),
                }
            }
            metric.ok().map(|metric| Target { metric, levels })
        }
    };
    match default {
        Ok(default) if problems.is_empty() => Ok((
            SchemeKind::Rules {
                rules,
                default,
                target,
            },
            tiers,
        )),
        _ => Err(problems),
    }
}

/// An `rfm` scheme: recency (a date), frequency and money (numbers), and segments of
/// quintile ranges, each naming a tier (several segments may name one).
fn rfm_scheme(src: &SchemeSource<'_>) -> Result<(SchemeKind, Vec<Tier>), Problems> {
    let (s, file) = (src.s(), src.file);
    let one = |d: Diagnostic| vec![d];
    let recency = {
        let v = s.recency.as_ref().ok_or_else(|| src.missing("recency"))?;
        let c = file.expression(v, src.vocab).map_err(one)?;
        if c.ty != Ty::Date {
            let message = RuleMsg::RecencyNotDate { ty: c.ty.name() };
            return Err(one(file.error(v.span(), message.to_string())));
        }
        c
    };
    let number = |key: &str, v: &Option<toml::Spanned<String>>| {
        let v = v.as_ref().ok_or_else(|| src.missing(key))?;
        file.number(v, src.vocab).map_err(one)
    };
    let frequency = number("frequency", &s.frequency)?;
    let money = number("money", &s.money)?;
    let mut tiers: Vec<Tier> = Vec::new();
    let mut segments = Vec::new();
    for seg in s.segments.as_ref().ok_or_else(|| src.missing("segments"))? {
        for range in [seg.r, seg.f, seg.m] {
            if !(1..=5).contains(&range[0]) || !(range[0]..=5).contains(&range[1]) {
                let message = RuleMsg::QuintileRanges;
                return Err(one(file.error(seg.id.span(), message.to_string())));
            }
        }
        let id = seg.id.get_ref();
        let index = match tiers.iter().position(|t| t.id == *id) {
            Some(i) => i,
            None => {
                tiers.push(Tier {
                    id: id.clone(),
                    en: seg.en.clone().unwrap_or_else(|| id.clone()),
                    zh: seg.zh.clone().unwrap_or_else(|| id.clone()),
                    limit: 0.0,
                });
                tiers.len() - 1
            }
        };
        segments.push(Segment {
            tier: index,
            r: (seg.r[0], seg.r[1]),
            f: (seg.f[0], seg.f[1]),
            m: (seg.m[0], seg.m[1]),
        });
    }
    // Customers without a recency date: a tier of their own, `none`, else "prospect".
    let none_tier = match &s.none {
        Some(b) => tier(b, 0.0),
        None => Tier {
            id: "prospect".into(),
            en: "Prospect (no order yet)".into(),
            zh: "潜在客户（尚未下单）".into(),
            limit: 0.0,
        },
    };
    let none = match tiers.iter().position(|t| t.id == none_tier.id) {
        Some(i) => i,
        None => {
            tiers.push(none_tier);
            tiers.len() - 1
        }
    };
    let kind = SchemeKind::Rfm {
        recency,
        frequency,
        money,
        segments,
        none,
    };
    Ok((kind, tiers))
}

fn tier(b: &BandFile, limit: f64) -> Tier {
    let id = b.id.get_ref().clone();
    Tier {
        en: b.en.clone().unwrap_or_else(|| id.clone()),
        zh: b.zh.clone().unwrap_or_else(|| id.clone()),
        id,
        limit,
    }
}

impl TierScheme {
    /// For a `rules` scheme: the tier of the first rule that holds, else the default.
    /// None for schemes of other kinds.
    pub fn rule_tier(
        &self,
        c: &crate::model::Customer,
        env: &super::expr::Env<'_>,
    ) -> Option<usize> {
        match &self.kind {
            SchemeKind::Rules { rules, default, .. } => {
                Some(first_holding(rules, *default, c, env))
            }
            _ => None,
        }
    }

    /// For a `rules` scheme with a `target`: the tier the customer should be in, that of
    /// the first level whose minimum the target's number reaches, else the last level's.
    pub fn target_tier(
        &self,
        c: &crate::model::Customer,
        env: &super::expr::Env<'_>,
    ) -> Option<usize> {
        let SchemeKind::Rules {
            target: Some(t), ..
        } = &self.kind
        else {
            return None;
        };
        let value = t.metric.eval(c, env).as_f64();
        let last = t.levels.last()?.0;
        Some(value.map_or(last, |v| {
            t.levels
                .iter()
                .find(|(_, min)| v >= *min)
                .map_or(last, |&(tier, _)| tier)
        }))
    }
}

/// The tier of the first rule that holds, else `default`.
fn first_holding(
    rules: &[TierRule],
    default: usize,
    c: &crate::model::Customer,
    env: &super::expr::Env<'_>,
) -> usize {
    rules
        .iter()
        .find(|r| r.condition.holds(c, env))
        .map_or(default, |r| r.tier)
}

#[cfg(test)]
mod tests;
