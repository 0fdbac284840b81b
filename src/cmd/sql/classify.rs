//! `clientele sql classify [--set S]`: `cmd/classify.rs::classify` as SQL over the view `c`,
//! with the rows and columns of `clientele classify --format csv` (without `--explain`).
//!
//! Each type's score is the sum of the weights of its signals that hold, added in the
//! signals' order as the native sum adds them; the types that scored are ranked per customer
//! (best first, ties in the set's order), and the best wins when it clears the set's minimum
//! score and margin, else the set's fallback.

use super::expr::Compiler;
use crate::error::Result;
use crate::model::Lang;
use crate::rules::types::{Test, TypeSet};

pub fn query(set: &TypeSet, compiler: &Compiler<'_>, lang: Lang) -> Result<String> {
    let d = compiler.dialect;
    let zero = d.double(0.0);
    let separator = if lang == Lang::Zh { "；" } else { "; " };
    let mut per_type = Vec::new();
    for (k, t) in set.types.iter().enumerate() {
        let mut score = zero.clone();
        let mut evidence = Vec::new();
        for s in &t.signals {
            let holds = match &s.test {
                Test::Trait(i) => compiler.has_trait(*i),
                Test::When(cond) => compiler.condition(cond)?,
            };
            let label = if lang == Lang::Zh {
                &s.label_zh
            } else {
                &s.label
            };
            score = format!(
                "({score} + (CASE WHEN {holds} THEN {} ELSE {zero} END))",
                d.double(s.weight)
            );
            evidence.push(format!(
                "CASE WHEN {holds} THEN {} END",
                d.string(&format!("{label} (+{})", s.weight))
            ));
        }
        let evidence = if evidence.is_empty() {
            format!("CAST(NULL AS {})", d.text_type())
        } else {
            format!(
                "concat_ws({}, {})",
                d.string(separator),
                evidence.join(", ")
            )
        };
        per_type.push(format!(
            "    SELECT c.seq, {k} AS k, {score} AS score, {evidence} AS evidence FROM c"
        ));
    }
    let name = |index: &str| {
        let arms: Vec<String> = set
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| format!(" WHEN {i} THEN {}", d.string(&t.id)))
            .collect();
        format!("(CASE {index}{} END)", arms.concat())
    };
    let strategy = {
        let arms: Vec<String> = set
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| format!(" WHEN {i} THEN {}", d.string(t.strategy.get(lang))))
            .collect();
        format!("(CASE kind{} END)", arms.concat())
    };
    let (no_evidence, too_weak) = match lang {
        Lang::En => ("no evidence", "evidence too weak or mixed"),
        Lang::Zh => ("无依据", "依据不足或相互矛盾"),
    };
    let runner = format!(
        "CASE WHEN runner_k IS NOT NULL THEN {} END",
        name("runner_k")
    );
    Ok(format!(
        "type_scores AS (
{types}),
scored AS (
    SELECT s.*, row_number() OVER (PARTITION BY seq ORDER BY score DESC, k) AS pos
    FROM type_scores s
    WHERE score > 0),
best AS (
    SELECT c.seq, c.id, c.name,
        count(s.k) AS scored,
        max(CASE WHEN s.pos = 1 THEN s.score END) AS best,
        max(CASE WHEN s.pos = 1 THEN s.k END) AS best_k,
        coalesce(max(CASE WHEN s.pos = 2 THEN s.score END), {zero}) AS second
    FROM c LEFT JOIN scored s ON s.seq = c.seq
    GROUP BY c.seq, c.id, c.name),
chosen AS (
    SELECT b.*,
        CASE WHEN scored > 0 AND best >= {min_score} AND best - second >= {min_margin}
             THEN best_k ELSE {fallback} END AS kind
    FROM best b),
answered AS (
    SELECT ch.*, own.score AS own_score, own.evidence AS own_evidence,
        (SELECT min(s.pos) FROM scored s WHERE s.seq = ch.seq AND s.k <> ch.kind) AS runner_pos
    FROM chosen ch
    LEFT JOIN scored own ON own.seq = ch.seq AND own.k = ch.kind),
listed AS (
    SELECT a.*, r.k AS runner_k
    FROM answered a
    LEFT JOIN scored r ON r.seq = a.seq AND r.pos = a.runner_pos)
SELECT id AS id, name AS name, {type_name} AS type,
    {score} AS score,
    {runner} AS runner_up,
    {confidence} AS confidence,
    CASE WHEN own_score IS NOT NULL THEN own_evidence
         WHEN scored = 0 THEN {no_evidence} ELSE {too_weak} END AS evidence,
    {strategy} AS strategy
FROM listed
ORDER BY seq",
        types = per_type.join("\n    UNION ALL\n"),
        min_score = d.double(set.min_score),
        min_margin = d.double(set.min_margin),
        fallback = set.fallback,
        type_name = name("kind"),
        score = d.fixed(&format!("coalesce(own_score, {zero})"), 1),
        confidence = d.fixed(
            &format!("CASE WHEN best > 0 THEN (best - second) / best ELSE {zero} END"),
            2
        ),
        no_evidence = d.string(no_evidence),
        too_weak = d.string(too_weak),
    ))
}
