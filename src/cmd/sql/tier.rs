//! `clientele sql tier --scheme S`: each scheme kind of `cmd/tier.rs` as SQL over the view
//! `c`, with the same rows, columns, order and figures as `clientele tier --format csv`.

use super::dialect::Dialect;
use super::expr::Compiler;
use crate::error::Result;
use crate::rules::TierScheme;
use crate::rules::expr::{Compiled, Ty};
use crate::rules::tiers::SchemeKind;

/// What the query of a scheme ends in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// The listing of `clientele tier`.
    Listing,
    /// The report's key customers: the first tier's id, name, owner and metric (`score`),
    /// in the listing's order.
    FirstTier,
    /// No `SELECT`: the views alone, the last `ranked` (`seq` and the tier's index `t`).
    Views,
}

/// The final part of the query (after the view `c`): the CTEs of the scheme and the
/// `SELECT` of its rows.
pub fn query(scheme: &TierScheme, compiler: &Compiler<'_>) -> Result<String> {
    shaped(scheme, compiler, Shape::Listing)
}

/// [`query`], ending as `shape` asks.
pub fn shaped(scheme: &TierScheme, compiler: &Compiler<'_>, shape: Shape) -> Result<String> {
    let d = compiler.dialect;
    let last = scheme.tiers.len() - 1;
    let tier_id = |index: &str| {
        let arms: Vec<String> = scheme
            .tiers
            .iter()
            .enumerate()
            .map(|(i, t)| format!(" WHEN {i} THEN {}", d.string(&t.id)))
            .collect();
        format!("(CASE {index}{} END)", arms.concat())
    };
    let scheme_name = d.string(&scheme.name);
    let select = |metric: &str, share: &str, cumulative: &str, rank: &str, order: &str| match shape
    {
        Shape::Views => String::new(),
        // The owner comes from `c` under names `ranked` has not, so that `order` reads on.
        Shape::FirstTier => format!(
            "SELECT id AS id, name AS name, o.owner_text AS owner, {metric} AS score
FROM ranked
JOIN (SELECT c.seq AS owner_seq, c.{} AS owner_text FROM c) o ON o.owner_seq = ranked.seq
WHERE t = 0
ORDER BY {order}",
            d.ident("owner"),
        ),
        Shape::Listing => format!(
            "SELECT id AS id, name AS name, {scheme_name} AS scheme, {} AS tier,
    {metric} AS metric, {share} AS share, {cumulative} AS cumulative_share, {rank} AS {}
FROM ranked
ORDER BY {order}",
            tier_id("t"),
            d.ident("rank"),
        ),
    };
    let null = "CAST(NULL AS ".to_string() + d.text_type() + ")";
    Ok(match &scheme.kind {
        SchemeKind::Pareto { metric } => {
            let (m, ty) = (compiler.compile(metric)?, metric.ty);
            let exact = ty != Ty::Dec;
            // The value summed: integer cents (money), the count, or the double.
            let value = match ty {
                Ty::Money => "CAST(metric * 100 AS DECIMAL(38,0))".to_string(),
                Ty::Dec => "metric".to_string(),
                _ => "CAST(metric AS DECIMAL(38,0))".to_string(),
            };
            let zero = if exact {
                "CAST(0 AS DECIMAL(38,0))".to_string()
            } else {
                d.double(0.0)
            };
            let arms: Vec<String> = scheme
                .tiers
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    if exact {
                        let basis_points = (t.limit * 100.0).round() as i128;
                        format!(" WHEN before * 10000 < {basis_points} * total THEN {i}")
                    } else {
                        format!(
                            " WHEN before * {} < {} * total THEN {i}",
                            d.double(100.0),
                            d.double(t.limit)
                        )
                    }
                })
                .collect();
            let pct = |x: &str| {
                d.fixed(
                    &format!(
                        "{} * {} / {}",
                        d.to_double(x),
                        d.double(100.0),
                        d.to_double("total")
                    ),
                    2,
                )
            };
            format!(
                "{metrics},
ranked0 AS (
    SELECT m.*, CASE WHEN positive THEN {value} ELSE {zero} END AS v
    FROM metrics m),
ranked1 AS (
    SELECT r.*,
        coalesce(sum(v) OVER (ORDER BY rnk ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), {zero}) AS before,
        sum(v) OVER () AS total
    FROM ranked0 r),
ranked AS (
    SELECT r.*, CASE WHEN NOT positive THEN {last}{arms} ELSE {last} END AS t
    FROM ranked1 r)
{select}",
                metrics = metrics(compiler, &m, ty),
                arms = arms.concat(),
                select = select(
                    &metric_text(d, ty),
                    &format!("CASE WHEN positive THEN {} ELSE '0.00' END", pct("v")),
                    &format!(
                        "CASE WHEN positive THEN {} WHEN total > 0 THEN '100.00' ELSE '0.00' END",
                        pct("before + v")
                    ),
                    &d.int_text("rnk"),
                    "rnk"
                ),
            )
        }
        SchemeKind::Rank { metric } => {
            let (m, ty) = (compiler.compile(metric)?, metric.ty);
            let arms: Vec<String> = scheme
                .tiers
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let basis_points = (t.limit * 100.0).round() as i128;
                    format!(" WHEN (rnk - 1) * 10000 < {basis_points} * n THEN {i}")
                })
                .collect();
            format!(
                "{metrics},
ranked AS (
    SELECT m.*, CASE WHEN NOT positive THEN {last}{arms} ELSE {last} END AS t
    FROM (SELECT m.*, count(*) OVER () AS n FROM metrics m) m)
{select}",
                metrics = metrics(compiler, &m, ty),
                arms = arms.concat(),
                select = select(&metric_text(d, ty), &null, &null, &d.int_text("rnk"), "rnk"),
            )
        }
        SchemeKind::Thresholds { metric } => {
            let (m, ty) = (compiler.compile(metric)?, metric.ty);
            let arms: Vec<String> = scheme
                .tiers
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    format!(
                        " WHEN {} >= {} THEN {i}",
                        d.to_double("metric"),
                        d.double(t.limit)
                    )
                })
                .collect();
            format!(
                "{metrics},
ranked AS (
    SELECT m.*, CASE WHEN metric IS NULL THEN {last}{arms} ELSE {last} END AS t
    FROM metrics m)
{select}",
                metrics = metrics(compiler, &m, ty),
                arms = arms.concat(),
                select = select(&metric_text(d, ty), &null, &null, &d.int_text("rnk"), "rnk"),
            )
        }
        SchemeKind::Score { criteria } => {
            let total_weight: f64 = criteria.iter().map(|c| c.weight).sum();
            let mut sum = d.double(0.0);
            let mut weight = d.double(0.0);
            for k in criteria {
                let rating = d.to_double(&compiler.compile(&k.value)?);
                let clamped = format!(
                    "(CASE WHEN {rating} < 1 THEN {one} WHEN {rating} > 5 THEN {five} ELSE {rating} END)",
                    one = d.double(1.0),
                    five = d.double(5.0)
                );
                let part = format!(
                    "{} * ({clamped} - {}) / {}",
                    d.double(k.weight),
                    d.double(1.0),
                    d.double(4.0)
                );
                sum = format!(
                    "({sum} + (CASE WHEN {rating} IS NULL THEN {} ELSE {part} END))",
                    d.double(0.0)
                );
                weight = format!(
                    "({weight} + (CASE WHEN {rating} IS NULL THEN {} ELSE {} END))",
                    d.double(0.0),
                    d.double(k.weight)
                );
            }
            // Too little known to score: less than half the weight has a rating.
            let score = format!(
                "(CASE WHEN w * {two} < {total} OR w = 0 THEN NULL ELSE {rounded} / {ten} END)",
                two = d.double(2.0),
                total = d.double(total_weight),
                rounded = d.round_half_up(&format!("s / w * {}", d.double(1000.0))),
                ten = d.double(10.0),
            );
            let arms: Vec<String> = scheme
                .tiers
                .iter()
                .enumerate()
                .map(|(i, t)| format!(" WHEN metric >= {} THEN {i}", d.double(t.limit)))
                .collect();
            let scored = format!("(SELECT c.*, {sum} AS s, {weight} AS w FROM c) c");
            format!(
                "{metrics},
ranked AS (
    SELECT m.*, CASE WHEN metric IS NULL THEN {last}{arms} ELSE {last} END AS t
    FROM metrics m)
{select}",
                metrics = metrics_from(compiler, &score, Ty::Dec, &scored),
                arms = arms.concat(),
                select = select(
                    &metric_text(d, Ty::Dec),
                    &null,
                    &null,
                    &d.int_text("rnk"),
                    "rnk"
                ),
            )
        }
        SchemeKind::Rules {
            rules,
            default,
            target: _,
        } => {
            let mut arms = String::new();
            for r in rules {
                arms.push_str(&format!(
                    "\n        WHEN {} THEN {}",
                    compiler.condition(&r.condition)?,
                    r.tier
                ));
            }
            format!(
                "ranked AS (
    SELECT c.seq, c.id, c.name,
        CASE{arms}
        ELSE {default} END AS t
    FROM c)
{select}",
                select = select(&null, &null, &null, &null, "seq"),
            )
        }
        SchemeKind::Rfm {
            recency,
            frequency,
            money,
            segments,
            none,
        } => {
            let r = if recency.ty == Ty::Date {
                format!(
                    "(- {})",
                    d.days_between(&d.date(compiler.today), &compiler.compile(recency)?)
                )
            } else {
                "NULL".to_string()
            };
            let among_active = |e: &Compiled| -> Result<String> {
                let x = if e.ty.is_numeric() {
                    d.to_double(&compiler.compile(e)?)
                } else {
                    "NULL".to_string()
                };
                Ok(format!("CASE WHEN r IS NOT NULL THEN {x} END"))
            };
            // Quintile scores 1–5 by the share of the other customers strictly worse.
            let quintile = |x: &str| {
                format!(
                    "CASE WHEN {x} IS NULL THEN 1 WHEN count({x}) OVER () = 1 THEN 5 ELSE least(1 + {}, 5) END",
                    d.int_div(
                        &format!("(rank() OVER (ORDER BY {x} ASC NULLS LAST) - 1) * 5"),
                        &format!("(count({x}) OVER () - 1)")
                    )
                )
            };
            let last_segment = segments.iter().map(|s| s.tier).max().unwrap_or(0);
            let arms: Vec<String> = segments
                .iter()
                .map(|s| {
                    format!(
                        "\n        WHEN rq BETWEEN {} AND {} AND fq BETWEEN {} AND {} AND mq BETWEEN {} AND {} THEN {}",
                        s.r.0, s.r.1, s.f.0, s.f.1, s.m.0, s.m.1, s.tier
                    )
                })
                .collect();
            format!(
                "rfm0 AS (
    SELECT c.seq, c.id, c.name, {r} AS r FROM c),
rfm1 AS (
    SELECT x.*, {f} AS f, {m} AS mo
    FROM rfm0 x JOIN c ON c.seq = x.seq),
rfm2 AS (
    SELECT x.*, {rq} AS rq, {fq} AS fq, {mq} AS mq FROM rfm1 x),
ranked AS (
    SELECT x.*,
        CASE WHEN r IS NULL THEN {none}{arms}
        ELSE {last_segment} END AS t
    FROM rfm2 x)
{select}",
                f = among_active(frequency)?,
                m = among_active(money)?,
                rq = quintile("r"),
                fq = quintile("f"),
                mq = quintile("mo"),
                arms = arms.concat(),
                select = select(
                    &format!(
                        "CASE WHEN r IS NOT NULL THEN concat({}, {}, {}) END",
                        d.int_text("rq"),
                        d.int_text("fq"),
                        d.int_text("mq")
                    ),
                    &null,
                    &null,
                    &null,
                    "seq"
                ),
            )
        }
    })
}

/// `metrics`: each customer's metric `m` (of type `ty`), whether it is positive, and its
/// place `rnk` in the ranking: positive metrics largest first, then all the others, each
/// group by id (bytewise).
fn metrics(compiler: &Compiler<'_>, m: &str, ty: Ty) -> String {
    metrics_from(compiler, m, ty, "c")
}

fn metrics_from(compiler: &Compiler<'_>, m: &str, ty: Ty, from: &str) -> String {
    let d = compiler.dialect;
    let metric = match ty {
        Ty::Int | Ty::Money | Ty::Dec => m.to_string(),
        _ => "NULL".to_string(),
    };
    let id = d.bytewise("id");
    format!(
        "metrics0 AS (
    SELECT c.seq, c.id, c.name, {metric} AS metric FROM {from}),
metrics AS (
    SELECT m.*, coalesce(metric > 0, FALSE) AS positive,
        row_number() OVER (ORDER BY CASE WHEN coalesce(metric > 0, FALSE) THEN 0 ELSE 1 END,
            CASE WHEN coalesce(metric > 0, FALSE) THEN metric END DESC, {id}) AS rnk
    FROM metrics0 m)"
    )
}

/// A metric of type `ty` as clientele prints it.
fn metric_text(d: Dialect, ty: Ty) -> String {
    match ty {
        Ty::Money => d.money_text("metric"),
        Ty::Int => d.int_text("metric"),
        Ty::Dec => format!(
            "CASE WHEN metric IS NOT NULL THEN {} END",
            d.fixed("metric", 2)
        ),
        _ => format!("CAST(NULL AS {})", d.text_type()),
    }
}
