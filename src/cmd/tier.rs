//! `clientele tier`: puts every customer into a tier of a named scheme — Pareto classes,
//! percentile bands, ordered rules, weighted scores, RFM segments or point thresholds.
//! Deterministic: ties are broken by id.

use std::cmp::Ordering;

use compact_str::CompactString;
use rayon::prelude::*;

use super::context::{Context, with_stdout};
use crate::error::Result;
use crate::model::{Customer, Lang};
use crate::render::{Cell, Column};
use crate::rules::TierScheme;
use crate::rules::expr::{Compiled, Env, Ty, Val};
use crate::rules::tiers::{SchemeKind, Segment};

#[derive(Debug, clap::Args)]
pub struct TierArgs {
    /// Only these customers (the tiers are still computed over the whole book)
    pub ids: Vec<String>,
    /// The scheme: abc, abc_profit, pyramid, grade, key, value3, rfm, stars, relationship, repeat, tenure, service_need, or one of your own
    #[arg(long, default_value = "abc")]
    pub scheme: String,
    /// Store each customer's tier in the book (in a field named after the scheme, or --field)
    #[arg(long)]
    pub write: bool,
    /// The column --write stores the tier in (not the id, nor a field holding another kind of value)
    #[arg(long, value_name = "NAME", requires = "write")]
    pub field: Option<String>,
    /// With --write: show the changes instead of making them
    #[arg(long, requires = "write")]
    pub dry_run: bool,
}

/// What a scheme measured for one customer.
#[derive(Clone, Debug, PartialEq)]
pub enum Metric {
    None,
    /// Integer cents or a count, summed exactly.
    Exact(i64, Ty),
    Float(f64),
    /// RFM quintile scores.
    Rfm(u8, u8, u8),
}

/// One customer's place in a scheme.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub customer: usize,
    /// Index into the scheme's tiers.
    pub tier: usize,
    pub metric: Metric,
    /// Percent of the metric's total (Pareto only).
    pub share: Option<f64>,
    /// Percent of the total held by this customer and all ranked before it (Pareto only).
    pub cumulative_share: Option<f64>,
    /// 1-based position by the metric, ties by id (ranking schemes only).
    pub rank: Option<usize>,
}

fn metric_of(expr: &Compiled, c: &Customer, env: &Env<'_>) -> Metric {
    match expr.eval(c, env) {
        Val::Int(n) => Metric::Exact(n, Ty::Int),
        Val::Money(n) => Metric::Exact(n, Ty::Money),
        Val::Dec(d) if d.is_finite() => Metric::Float(d),
        _ => Metric::None,
    }
}

impl Metric {
    /// Positive values only take part in shares and ranks.
    pub fn positive(&self) -> bool {
        match self {
            Metric::Exact(n, _) => *n > 0,
            Metric::Float(f) => *f > 0.0,
            _ => false,
        }
    }

    fn as_f64(&self) -> f64 {
        match self {
            Metric::Exact(n, _) => *n as f64,
            Metric::Float(f) => *f,
            _ => 0.0,
        }
    }

    pub fn cell(&self) -> Cell<'static> {
        match self {
            Metric::None => Cell::Empty,
            Metric::Exact(n, Ty::Money) => Cell::Money(*n),
            Metric::Exact(n, _) => Cell::Int(*n),
            Metric::Float(f) => Cell::Dec(*f, 2),
            Metric::Rfm(r, f, m) => Cell::text(format!("{r}{f}{m}")),
        }
    }
}

/// A key that sorts a metric best first: positive values by size, descending, then all
/// the others (zero, negative, missing) together, last. One word, so that a million of them
/// sort as short tuples.
fn rank_key(m: &Metric) -> u64 {
    let positive = match m {
        Metric::Exact(n, _) if *n > 0 => *n,
        // A positive finite f64's bits order like its value (and fit in 63 bits).
        Metric::Float(f) if *f > 0.0 => f.to_bits() as i64,
        _ => return u64::MAX,
    };
    // 1..=i64::MAX, largest first: 0..i64::MAX - 1, all below the others' key.
    (i64::MAX - positive) as u64
}

/// Whether a metric takes the place in a ranking that a value of at least zero takes: the
/// same positive value, or both not positive (ranked together, by id). Places that all have
/// a rank come in rank order: if every metric ranks as its customer's value, they are the
/// customers ranked by that value.
pub fn ranks_as(metric: &Metric, value: i64) -> bool {
    if value > 0 {
        matches!(metric, Metric::Exact(n, _) if *n == value)
    } else {
        !metric.positive()
    }
}

/// Customers with a positive metric, best first (ties by id), then the rest by id.
fn ranked(customers: &[Customer], metrics: &[Metric]) -> Vec<usize> {
    crate::model::sort_by_key_then_id(
        customers,
        metrics.iter().enumerate().map(|(i, m)| (rank_key(m), i)),
    )
}

/// Every customer's metric, on every core.
fn metrics_of(metric: &Compiled, customers: &[Customer], env: &Env<'_>) -> Vec<Metric> {
    customers
        .par_iter()
        .map(|c| metric_of(metric, c, env))
        .collect()
}

/// One customer's place in a scheme as [`assign_with`] finds it, the metric borrowed.
pub struct Placed<'m> {
    pub customer: usize,
    pub tier: usize,
    pub metric: &'m Metric,
    pub share: Option<f64>,
    pub cumulative_share: Option<f64>,
    pub rank: Option<usize>,
}

impl<'m> Placed<'m> {
    /// A place with no share or rank.
    fn plain(customer: usize, tier: usize, metric: &'m Metric) -> Self {
        Placed {
            customer,
            tier,
            metric,
            share: None,
            cumulative_share: None,
            rank: None,
        }
    }

    fn assignment(&self) -> Assignment {
        Assignment {
            customer: self.customer,
            tier: self.tier,
            metric: self.metric.clone(),
            share: self.share,
            cumulative_share: self.cumulative_share,
            rank: self.rank,
        }
    }
}

/// Assigns every customer of the book a tier of `scheme`, in the scheme's natural order
/// (by rank for ranking schemes, else book order).
pub fn assign(scheme: &TierScheme, customers: &[Customer], env: &Env<'_>) -> Vec<Assignment> {
    assign_with(scheme, customers, env, |p| p.assignment())
}

/// [`assign`], keeping of each customer's place only what `keep` makes of it: a caller that
/// needs the tiers alone does not build a million assignments.
pub fn assign_with<R: Send>(
    scheme: &TierScheme,
    customers: &[Customer],
    env: &Env<'_>,
    keep: impl Fn(Placed<'_>) -> R + Sync,
) -> Vec<R> {
    let last = scheme.tiers.len() - 1;
    match &scheme.kind {
        SchemeKind::Pareto { metric } => {
            pareto(scheme, &metrics_of(metric, customers, env), customers, keep)
        }
        SchemeKind::Rank { metric } => {
            rank_bands(scheme, &metrics_of(metric, customers, env), customers, keep)
        }
        SchemeKind::Thresholds { .. } | SchemeKind::Score { .. } => {
            let metrics = unranked_metrics(scheme, customers, env)
                .expect("threshold and score schemes are unranked");
            let order = ranked(customers, &metrics);
            in_rank_order(&order, |r, i| {
                keep(Placed {
                    rank: Some(r + 1),
                    ..Placed::plain(i, unranked_tier(scheme, &metrics[i]), &metrics[i])
                })
            })
        }
        SchemeKind::Rules { .. } => customers
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let tier = scheme.rule_tier(c, env).unwrap_or(last);
                keep(Placed::plain(i, tier, &Metric::None))
            })
            .collect(),
        SchemeKind::Rfm {
            recency,
            frequency,
            money,
            segments,
            none,
        } => rfm(
            (segments, *none),
            [recency, frequency, money],
            customers,
            env,
        )
        .iter()
        .map(|a| keep(Placed::plain(a.customer, a.tier, &a.metric)))
        .collect(),
    }
}

/// `f(rank, customer)` for each customer of a ranking (`order[rank]`), on every core.
fn in_rank_order<R: Send>(order: &[usize], f: impl Fn(usize, usize) -> R + Sync) -> Vec<R> {
    order
        .par_iter()
        .enumerate()
        .map(|(r, &i)| f(r, i))
        .collect()
}

/// A Pareto scheme: customers ranked by the metric, each in the class in which the
/// cumulative share of the total *before* it lies (the customer who crosses 80% is still A).
/// Only positive metrics count towards the totals; the rest share the last class. Sums are
/// exact (i128) when every metric is, else floating point.
fn pareto<R>(
    scheme: &TierScheme,
    metrics: &[Metric],
    customers: &[Customer],
    keep: impl Fn(Placed<'_>) -> R,
) -> Vec<R> {
    let last = scheme.tiers.len() - 1;
    let order = ranked(customers, metrics);
    let exact = metrics.iter().all(|m| !matches!(m, Metric::Float(_)));
    let value = |m: &Metric| match m {
        Metric::Exact(n, _) if m.positive() => i128::from(*n),
        _ => 0,
    };
    let float = |m: &Metric| if m.positive() { m.as_f64() } else { 0.0 };
    let total_exact: i128 = metrics.iter().map(value).sum();
    let total_float: f64 = metrics.iter().map(float).sum();
    // Each class's limit as the sums are compared with it, worked out once.
    let limits: Vec<(i128, f64)> = scheme
        .tiers
        .iter()
        .map(|t| {
            let basis_points = (t.limit * 100.0).round() as i128;
            (basis_points * total_exact, t.limit * total_float)
        })
        .collect();
    // The metrics in rank order, gathered on every core: the pass below then reads memory
    // in order instead of at random.
    let in_rank: Vec<Metric> = order.par_iter().map(|&i| metrics[i].clone()).collect();
    let mut before = (0i128, 0.0f64);
    let mut out = Vec::with_capacity(order.len());
    for (r, (&i, m)) in order.iter().zip(&in_rank).enumerate() {
        if !m.positive() {
            out.push(keep(Placed {
                rank: Some(r + 1),
                share: Some(0.0),
                cumulative_share: Some(if total_float > 0.0 { 100.0 } else { 0.0 }),
                ..Placed::plain(i, last, m)
            }));
            continue;
        }
        let tier = limits
            .iter()
            .position(|&(exact_limit, float_limit)| {
                if exact {
                    before.0 * 10_000 < exact_limit
                } else {
                    before.1 * 100.0 < float_limit
                }
            })
            .unwrap_or(last);
        before = (before.0 + value(m), before.1 + float(m));
        let (share, cumulative) = if exact {
            (
                value(m) as f64 * 100.0 / total_exact as f64,
                before.0 as f64 * 100.0 / total_exact as f64,
            )
        } else {
            (
                float(m) * 100.0 / total_float,
                before.1 * 100.0 / total_float,
            )
        };
        out.push(keep(Placed {
            rank: Some(r + 1),
            share: Some(share),
            cumulative_share: Some(cumulative),
            ..Placed::plain(i, tier, m)
        }));
    }
    out
}

/// A rank scheme: customers ranked by the metric, each in the band in which the share of
/// customers ranked before it lies; customers with no positive metric in the last band.
fn rank_bands<R: Send>(
    scheme: &TierScheme,
    metrics: &[Metric],
    customers: &[Customer],
    keep: impl Fn(Placed<'_>) -> R + Sync,
) -> Vec<R> {
    let last = scheme.tiers.len() - 1;
    let order = ranked(customers, metrics);
    let n = customers.len() as i128;
    let limits: Vec<i128> = scheme
        .tiers
        .iter()
        .map(|t| (t.limit * 100.0).round() as i128 * n)
        .collect();
    in_rank_order(&order, |r, i| {
        let tier = if metrics[i].positive() {
            limits
                .iter()
                .position(|&limit| (r as i128) * 10_000 < limit)
                .unwrap_or(last)
        } else {
            last
        };
        keep(Placed {
            rank: Some(r + 1),
            ..Placed::plain(i, tier, &metrics[i])
        })
    })
}

/// The metric of every customer for a scheme whose tiers do not depend on the ranking (a
/// value against thresholds, or a weighted score of ratings); None for other schemes.
fn unranked_metrics(
    scheme: &TierScheme,
    customers: &[Customer],
    env: &Env<'_>,
) -> Option<Vec<Metric>> {
    Some(match &scheme.kind {
        SchemeKind::Thresholds { metric } => metrics_of(metric, customers, env),
        SchemeKind::Score { criteria } => {
            let total_weight: f64 = criteria.iter().map(|c| c.weight).sum();
            customers
                .par_iter()
                .map(|c| {
                    let (mut sum, mut weight) = (0.0, 0.0);
                    for k in criteria {
                        if let Some(rating) = k.value.eval(c, env).as_f64() {
                            sum += k.weight * (rating.clamp(1.0, 5.0) - 1.0) / 4.0;
                            weight += k.weight;
                        }
                    }
                    // Too little known to score: less than half the weight has a rating.
                    if weight * 2.0 < total_weight || weight == 0.0 {
                        Metric::None
                    } else {
                        Metric::Float((sum / weight * 1000.0).round() / 10.0)
                    }
                })
                .collect()
        }
        _ => return None,
    })
}

/// The tier a metric of [`unranked_metrics`] falls in: the first whose limit it reaches.
fn unranked_tier(scheme: &TierScheme, m: &Metric) -> usize {
    let last = scheme.tiers.len() - 1;
    let value = match (&scheme.kind, m) {
        (SchemeKind::Score { .. }, Metric::Float(s)) => Some(*s),
        (SchemeKind::Score { .. }, _) | (_, Metric::None) => None,
        (_, Metric::Exact(n, Ty::Money)) => Some(*n as f64 / 100.0),
        (_, other) => Some(other.as_f64()),
    };
    value
        .and_then(|v| scheme.tiers.iter().position(|t| v >= t.limit))
        .unwrap_or(last)
}

/// The customers in the scheme's first tier and their metrics, in the scheme's order: what
/// [`assign`] gives filtered to that tier (ranks aside). A scheme whose tiers do not depend
/// on the ranking sorts only those customers, not the whole book: the order of a subset
/// under a total order is its order in the whole.
pub fn first_tier(
    scheme: &TierScheme,
    customers: &[Customer],
    env: &Env<'_>,
) -> Vec<(usize, Metric)> {
    match unranked_metrics(scheme, customers, env) {
        Some(metrics) => {
            let first: Vec<(usize, Metric)> = metrics
                .into_iter()
                .enumerate()
                .filter(|(_, m)| unranked_tier(scheme, m) == 0)
                .collect();
            crate::model::sorted_by_key_then_id(customers, first, |(i, m)| (rank_key(m), *i))
        }
        None => assign(scheme, customers, env)
            .into_iter()
            .filter(|a| a.tier == 0)
            .map(|a| (a.customer, a.metric))
            .collect(),
    }
}

/// Quintile scores 1–5 by the share of the other customers that are strictly worse (ties
/// share a score; the best of any group scores 5, a lone customer too).
fn quintiles(values: &[Option<f64>]) -> Vec<u8> {
    let mut sorted: Vec<f64> = values.iter().flatten().copied().collect();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
    let others = sorted.len().saturating_sub(1);
    values
        .iter()
        .map(|v| match v {
            None => 1,
            Some(_) if others == 0 => 5,
            Some(x) => {
                let below = sorted.partition_point(|y| y < x);
                (1 + below * 5 / others).min(5) as u8
            }
        })
        .collect()
}

fn rfm(
    (segments, none): (&[Segment], usize),
    [recency, frequency, money]: [&Compiled; 3],
    customers: &[Customer],
    env: &Env<'_>,
) -> Vec<Assignment> {
    // A customer no segment takes falls in the segments' last tier.
    let last = segments.iter().map(|s| s.tier).max().unwrap_or(0);
    // Recency: fewer days since is better, so rank the negated day count.
    let r: Vec<Option<f64>> = customers
        .iter()
        .map(|c| match recency.eval(c, env) {
            Val::Date(d) => Some(-((env.today - d).num_days() as f64)),
            _ => None,
        })
        .collect();
    let active: Vec<bool> = r.iter().map(Option::is_some).collect();
    let among_active = |e: &Compiled| -> Vec<Option<f64>> {
        customers
            .iter()
            .zip(&active)
            .map(|(c, a)| if *a { e.eval(c, env).as_f64() } else { None })
            .collect()
    };
    let (rq, fq, mq) = (
        quintiles(&r),
        quintiles(&among_active(frequency)),
        quintiles(&among_active(money)),
    );
    (0..customers.len())
        .map(|i| {
            if !active[i] {
                return Assignment {
                    customer: i,
                    tier: none,
                    metric: Metric::None,
                    share: None,
                    cumulative_share: None,
                    rank: None,
                };
            }
            let (r, f, m) = (rq[i], fq[i], mq[i]);
            let inside = |x: u8, (lo, hi): (u8, u8)| lo <= x && x <= hi;
            let tier = segments
                .iter()
                .find(|s| inside(r, s.r) && inside(f, s.f) && inside(m, s.m))
                .map_or(last, |s| s.tier);
            Assignment {
                customer: i,
                tier,
                metric: Metric::Rfm(r, f, m),
                share: None,
                cumulative_share: None,
                rank: None,
            }
        })
        .collect()
}

pub fn run(args: &TierArgs, ctx: &Context) -> Result<u8> {
    let lock = super::change::lock(ctx, !args.write || args.dry_run)?;
    // Only --write (with or without --dry-run) needs the book's text, to plan the changes.
    let purpose = if args.write {
        super::Purpose::Write
    } else {
        super::Purpose::Read
    };
    let loaded = ctx.load(purpose)?;
    let (rules, book) = (&loaded.rules, &loaded.book);
    let scheme = rules.scheme(&args.scheme)?;
    let only = book.select(&args.ids)?;
    let env = Env {
        today: ctx.ws.today,
        extra_columns: &book.extra_columns,
    };
    let started = std::time::Instant::now();
    let assignments = assign(scheme, &book.customers, &env);
    crate::timing::phase("assign tiers", started);
    if let Some(metric) = scheme.metric() {
        super::needs::metric(&scheme.name, &metric.text, &book.customers, |i| {
            assignments[i].metric.positive()
        });
    }
    if args.write {
        // A new column is named after the scheme (its Chinese name in a Chinese book), or
        // --field.
        let field = args.field.clone().unwrap_or_else(|| scheme.name.clone());
        let accepts = |v: &str| scheme.tiers.iter().any(|t| t.id == v || t.zh == v);
        let written = super::change::Written {
            writer: format!("tier --scheme {}", scheme.name),
            values: scheme.tiers.iter().map(|t| t.id.clone()).collect(),
            accepts: &accepts,
            default: &scheme.name,
        };
        super::change::check_destination(&field, &written, book, rules, &ctx.ws.columns)?;
        let spell = super::change::spelling_of(book, &field, &ctx.ws.columns);
        let to = super::change::Destination {
            name: &field,
            zh: args.field.is_none().then_some(scheme.zh.as_str()),
            spell: &*spell,
            columns: &ctx.ws.columns,
        };
        let results = assignments
            .iter()
            .filter(|a| only.is_empty() || only.contains(&a.customer))
            .map(|a| (a.customer, scheme.tiers[a.tier].id.clone()));
        let reason = format!("tier {}", scheme.name);
        let proposed = super::change::propose_values(book, &to, results, &reason);
        super::change::apply(
            ctx,
            loaded,
            &proposed,
            lock,
            args.dry_run,
            false,
            !args.dry_run,
        )?;
        if args.dry_run {
            return Ok(0);
        }
    }
    let started = std::time::Instant::now();
    print(scheme, &assignments, &book.customers, &only, ctx)?;
    crate::timing::phase("print", started);
    Ok(0)
}

/// Prints the assignments (of the customers in `only`, or all), row by row.
fn print(
    scheme: &TierScheme,
    assignments: &[Assignment],
    customers: &[Customer],
    only: &[usize],
    ctx: &Context,
) -> Result<()> {
    let columns = [
        Column::new("id", "ID", "编号"),
        Column::new("name", "Name", "客户名称"),
        // Below 120 columns: who, which tier, by what figure, and how far down the book.
        Column::new("scheme", "Scheme", "方案").wide_only(),
        Column::new("tier", "Tier", "层级"),
        Column::new("metric", "Metric", "指标"),
        Column::new("share", "Share %", "占比%").wide_only(),
        Column::new("cumulative_share", "Cumulative %", "累计占比%"),
        Column::new("rank", "Rank", "排名").wide_only(),
    ];
    let machine = ctx.format.is_machine();
    // The assignments themselves when every customer is shown (a million pointers to them
    // would be 8 MB gathered on one core), else those of the customers asked for.
    let wanted: rustc_hash::FxHashSet<usize> = only.iter().copied().collect();
    let picked: Vec<Assignment>;
    let shown: &[Assignment] = if wanted.is_empty() {
        assignments
    } else {
        picked = assignments
            .iter()
            .filter(|a| wanted.contains(&a.customer))
            .cloned()
            .collect();
        &picked
    };
    // The ids and names in the listing's order, copied on every core: a listing in rank
    // order reads the book at random, and a copy that does nothing else overlaps those
    // reads (printing straight from the book cost a ranking of 1M customers 0.13 s more).
    let names: Vec<(CompactString, CompactString)> = shown
        .par_iter()
        .map(|a| {
            let c = &customers[a.customer];
            (c.id.clone(), c.name.clone())
        })
        .collect();
    let row = |k: usize| {
        let a = &shown[k];
        let (id, name) = (names[k].0.as_str(), names[k].1.as_str());
        let tier = &scheme.tiers[a.tier];
        let label = if machine {
            &tier.id
        } else if ctx.lang == Lang::Zh {
            &tier.zh
        } else {
            &tier.en
        };
        [
            Cell::text(id),
            Cell::text(name),
            Cell::text(&scheme.name),
            Cell::text(label.as_str()),
            a.metric.cell(),
            a.share.map_or(Cell::Empty, |s| Cell::Dec(s, 2)),
            a.cumulative_share.map_or(Cell::Empty, |s| Cell::Dec(s, 2)),
            a.rank.map_or(Cell::Empty, |r| Cell::Int(r as i64)),
        ]
    };
    with_stdout(|out| ctx.printer(out).rows_indexed(&columns, shown.len(), row))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    /// Larger positive metrics first, exact or float; every other metric after them, tied.
    #[test]
    fn rank_keys_put_the_largest_first_and_the_rest_last_together() {
        let exact = [i64::MAX, 1_000_000, 1_000, 2, 1].map(|n| Metric::Exact(n, Ty::Money));
        let float = [f64::MAX, 1e300, 2.5, 1.0, 1e-300, 5e-324].map(Metric::Float);
        for ranked in [&exact[..], &float[..]] {
            let keys: Vec<u64> = ranked.iter().map(rank_key).collect();
            assert!(keys.windows(2).all(|w| w[0] < w[1]), "{ranked:?}: {keys:?}");
        }
        let others = [
            Metric::None,
            Metric::Exact(0, Ty::Int),
            Metric::Exact(i64::MIN, Ty::Int),
            Metric::Float(0.0),
            Metric::Float(-1.0),
            Metric::Float(f64::NAN),
            Metric::Rfm(5, 5, 5),
        ];
        let last = rank_key(&Metric::Exact(1, Ty::Int)).max(rank_key(&Metric::Float(5e-324)));
        for m in &others {
            assert_eq!(rank_key(m), u64::MAX, "{m:?}");
            assert!(rank_key(m) > last);
        }
    }

    /// A metric ranks as a value when it is the same positive amount, or when neither is
    /// positive; a float whose bits happen to equal the amount is not the amount.
    #[test]
    fn a_metric_ranks_as_the_same_amount_only() {
        assert!(ranks_as(&Metric::Exact(500, Ty::Money), 500));
        assert!(ranks_as(&Metric::Exact(500, Ty::Int), 500));
        assert!(!ranks_as(&Metric::Exact(499, Ty::Money), 500));
        assert!(!ranks_as(&Metric::Float(f64::from_bits(500)), 500));
        assert!(!ranks_as(&Metric::Float(500.0), 500));
        assert!(!ranks_as(&Metric::None, 500));
        for unranked in [
            Metric::None,
            Metric::Exact(0, Ty::Money),
            Metric::Exact(-3, Ty::Int),
            Metric::Float(-0.5),
            Metric::Float(f64::NAN),
        ] {
            assert!(ranks_as(&unranked, 0), "{unranked:?}");
        }
        assert!(!ranks_as(&Metric::Exact(1, Ty::Int), 0));
        assert!(!ranks_as(&Metric::Float(0.25), 0));
    }

    /// Customers with ratings, points and orders spread so that scores and values tie,
    /// some are missing, and ids are out of book order.
    fn book() -> Vec<Customer> {
        (0..400u32)
            .map(|i| {
                let mut c = Customer {
                    id: format!("K{:03}", (i * 7919) % 400).into(),
                    points: (i % 5 != 0).then_some(i64::from(i % 9) * 10_000),
                    order_total_12m: i64::from(i % 4) * 50_000,
                    revenue: (i % 3 != 0).then_some(i64::from(i % 11) * 100_000),
                    ..Customer::default()
                };
                for (k, r) in c.ratings.iter_mut().enumerate() {
                    *r = match (i as usize + k) % 6 {
                        0 => 0,
                        _ if i % 7 == 0 => 5 - (i % 2) as u8,
                        _ => ((i as usize * 3 + k) % 5 + 1) as u8,
                    };
                }
                c
            })
            .collect()
    }

    /// The first tier, computed on its own, is `assign` filtered to it: for score and
    /// threshold schemes as shipped, and with a first band open to zero and below (whose
    /// customers are not a prefix of the ranking).
    #[test]
    fn the_first_tier_alone_is_the_first_tier_of_all() {
        let rules = Rules::load(None, None).unwrap();
        let customers = book();
        let ctx = Env {
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            extra_columns: &[],
        };
        let mut schemes = Vec::new();
        for name in ["key", "value3", "stars", "abc", "pyramid"] {
            schemes.push(rules.scheme(name).unwrap().clone());
        }
        for name in ["key", "value3", "stars"] {
            let mut open = rules.scheme(name).unwrap().clone();
            open.tiers[0].limit = if name == "stars" { -1.0 } else { 0.0 };
            schemes.push(open);
        }
        for scheme in &schemes {
            let all: Vec<(usize, Metric)> = assign(scheme, &customers, &ctx)
                .into_iter()
                .filter(|a| a.tier == 0)
                .map(|a| (a.customer, a.metric))
                .collect();
            assert!(!all.is_empty(), "{} has a first tier", scheme.name);
            assert_eq!(first_tier(scheme, &customers, &ctx), all, "{}", scheme.name);
        }
    }
}
