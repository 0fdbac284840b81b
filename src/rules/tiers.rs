//! Value schemes (`rules/tiers.toml`): Pareto, percentile ranks, ordered rules, weighted
//! scores, RFM and point thresholds, each a named scheme a user can add without code.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::expr::{Compiled, Ty};
use super::{RuleFile, TraitVocab};
use crate::error::Diagnostic;

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
    tiers: Option<Vec<BandFile>>,
    criteria: Option<Vec<CriterionFile>>,
    recency: Option<toml::Spanned<String>>,
    frequency: Option<toml::Spanned<String>>,
    money: Option<toml::Spanned<String>>,
    segments: Option<Vec<SegmentFile>>,
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
    },
    /// Weighted ratings → 0–100; tier limits are the `min` scores.
    Score { criteria: Vec<Criterion> },
    /// Recency / frequency / money quintiles and named segments.
    Rfm {
        recency: Compiled,
        frequency: Compiled,
        money: Compiled,
        segments: Vec<Segment>,
    },
    /// The metric against minimum points; tier limits are the `min` values.
    Thresholds { metric: Compiled },
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

fn scheme(
    file: &RuleFile,
    vocab: &TraitVocab,
    name: &str,
    spanned: &toml::Spanned<SchemeFile>,
) -> Result<TierScheme, Vec<Diagnostic>> {
    let s = spanned.get_ref();
    let whole = spanned.span();
    let one = |d: Diagnostic| vec![d];
    let missing = |key: &str| {
        vec![file.error(
            whole.clone(),
            format!(
                "scheme \"{name}\" of kind \"{}\" needs `{key}`",
                s.kind.get_ref()
            ),
        )]
    };
    let metric = || -> Result<Compiled, Vec<Diagnostic>> {
        let m = s.metric.as_ref().ok_or_else(|| missing("metric"))?;
        file.number(m, vocab).map_err(one)
    };
    let bands = |list: &Option<Vec<BandFile>>,
                 key: &str,
                 edge: fn(&BandFile) -> Option<f64>,
                 ascending: bool|
     -> Result<Vec<Tier>, Vec<Diagnostic>> {
        let list = list.as_ref().ok_or_else(|| missing(key))?;
        let mut tiers: Vec<Tier> = Vec::new();
        for b in list {
            let limit = edge(b).ok_or_else(|| {
                one(file.error(
                    b.id.span(),
                    format!("this entry of `{key}` needs its limit"),
                ))
            })?;
            if let Some(prev) = tiers.last()
                && (if ascending {
                    limit <= prev.limit
                } else {
                    limit >= prev.limit
                })
            {
                let order = if ascending { "ascending" } else { "descending" };
                return Err(one(file.error(
                    b.id.span(),
                    format!("the limits of `{key}` must be {order}"),
                )));
            }
            tiers.push(tier(b, limit));
        }
        if tiers.is_empty() {
            return Err(missing(key));
        }
        Ok(tiers)
    };
    let (kind, tiers) = match s.kind.get_ref().as_str() {
        "pareto" => {
            let tiers = bands(&s.classes, "classes", |b| b.upto, true)?;
            (SchemeKind::Pareto { metric: metric()? }, tiers)
        }
        "rank" => {
            let tiers = bands(&s.bands, "bands", |b| b.top, true)?;
            (SchemeKind::Rank { metric: metric()? }, tiers)
        }
        "thresholds" => {
            let tiers = bands(&s.levels, "levels", |b| b.min, false)?;
            (SchemeKind::Thresholds { metric: metric()? }, tiers)
        }
        "score" => {
            let tiers = bands(&s.bands, "bands", |b| b.min, false)?;
            let mut criteria = Vec::new();
            let mut problems = Vec::new();
            for c in s.criteria.as_ref().ok_or_else(|| missing("criteria"))? {
                match file.number(&c.value, vocab) {
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
            (SchemeKind::Score { criteria }, tiers)
        }
        "rules" => {
            let tiers: Vec<Tier> = s
                .tiers
                .as_ref()
                .ok_or_else(|| missing("tiers"))?
                .iter()
                .map(|b| tier(b, 0.0))
                .collect();
            let find = |id: &toml::Spanned<String>| {
                tiers
                    .iter()
                    .position(|t| t.id == *id.get_ref())
                    .ok_or_else(|| {
                        file.error(
                            id.span(),
                            format!("\"{}\" is not one of the scheme's tiers", id.get_ref()),
                        )
                    })
            };
            let mut rules = Vec::new();
            let mut problems = Vec::new();
            for r in s.rules.as_ref().ok_or_else(|| missing("rules"))? {
                match (find(&r.tier), file.condition(&r.when, vocab)) {
                    (Ok(tier), Ok(condition)) => rules.push(TierRule {
                        tier,
                        condition,
                        label: r.label.clone().unwrap_or_else(|| r.when.get_ref().clone()),
                    }),
                    (a, b) => problems.extend(a.err().into_iter().chain(b.err())),
                }
            }
            let default = s.default.as_ref().ok_or_else(|| missing("default"))?;
            match find(default) {
                Ok(d) if problems.is_empty() => (SchemeKind::Rules { rules, default: d }, tiers),
                Ok(_) => return Err(problems),
                Err(e) => {
                    problems.push(e);
                    return Err(problems);
                }
            }
        }
        "rfm" => {
            let expr_of = |key: &str,
                           v: &Option<toml::Spanned<String>>,
                           want_date: bool|
             -> Result<Compiled, Vec<Diagnostic>> {
                let v = v.as_ref().ok_or_else(|| missing(key))?;
                if want_date {
                    let c = file.expression(v, vocab).map_err(one)?;
                    if c.ty != Ty::Date {
                        return Err(one(file.error(
                            v.span(),
                            format!("`{key}` must be a date, this is a {}", c.ty.name()),
                        )));
                    }
                    Ok(c)
                } else {
                    file.number(v, vocab).map_err(one)
                }
            };
            let recency = expr_of("recency", &s.recency, true)?;
            let frequency = expr_of("frequency", &s.frequency, false)?;
            let money = expr_of("money", &s.money, false)?;
            let mut tiers = Vec::new();
            let mut segments = Vec::new();
            for seg in s.segments.as_ref().ok_or_else(|| missing("segments"))? {
                for range in [seg.r, seg.f, seg.m] {
                    if !(1..=5).contains(&range[0]) || !(range[0]..=5).contains(&range[1]) {
                        return Err(one(file.error(
                            seg.id.span(),
                            "quintile ranges are [low, high] within 1–5",
                        )));
                    }
                }
                let index = match tiers.iter().position(|t: &Tier| t.id == *seg.id.get_ref()) {
                    Some(i) => i,
                    None => {
                        tiers.push(Tier {
                            id: seg.id.get_ref().clone(),
                            en: seg.en.clone().unwrap_or_else(|| seg.id.get_ref().clone()),
                            zh: seg.zh.clone().unwrap_or_else(|| seg.id.get_ref().clone()),
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
            (
                SchemeKind::Rfm {
                    recency,
                    frequency,
                    money,
                    segments,
                },
                tiers,
            )
        }
        other => {
            return Err(one(file.error(s.kind.span(), format!("unknown scheme kind \"{other}\" (expected pareto, rank, rules, score, rfm or thresholds)"))));
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
            SchemeKind::Rules { rules, default } => Some(
                rules
                    .iter()
                    .find(|r| r.condition.holds(c, env))
                    .map_or(*default, |r| r.tier),
            ),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
