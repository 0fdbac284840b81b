//! The report's figures: every count, share and list the report shows, built in one pass
//! over the book from the customers, the rules and today. Pure: no file, no clock, no
//! output.

use chrono::{Days, NaiveDate};
use rayon::prelude::*;

use crate::cmd::due::engine::{self, Calendar};
use crate::cmd::tier::{assign_with, ranks_as};
use crate::error::{Error, Result};
use crate::model::{ChangeRow, Customer, Enumeration, Grade, Stage};
use crate::render::Cell;
use crate::rules::expr::Env;
use crate::rules::tiers::Tier;
use crate::rules::{Rules, TierScheme};

/// A funnel step: customers at the stage, those who reached it or went further, and the
/// conversion from the step before (percent).
#[derive(Clone, Debug, PartialEq)]
pub struct StageRow {
    pub stage: Stage,
    pub count: usize,
    pub reached: usize,
    pub conversion: Option<f64>,
}

/// Customers and revenue of one group (a grade, a type, an ABC class).
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRow {
    pub key: String,
    pub en: String,
    pub zh: String,
    pub count: usize,
    /// Percent of customers.
    pub share: f64,
    /// Integer cents.
    pub revenue: i64,
    /// Percent of revenue.
    pub revenue_share: f64,
}

/// One owner's follow-up workload, and the complaints of its customers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnerRow {
    pub owner: String,
    pub customers: usize,
    pub due_today: usize,
    pub overdue: usize,
    pub late: usize,
    pub next_7_days: usize,
    /// Complaints logged, all time.
    pub complaints: usize,
    /// Of them, those no touch has answered yet (a customer's latest, at most one each).
    pub open_complaints: usize,
}

/// A customer whose relationship level is below the one its value calls for.
#[derive(Clone, Debug, PartialEq)]
pub struct BelowTarget {
    pub id: String,
    pub name: String,
    pub owner: String,
    /// The scheme's tiers, by position: the level reached and the target.
    pub level: usize,
    pub target: usize,
}

/// One reason customers gave for not buying, and who gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LostReason {
    /// The reason as written; empty when none was recorded.
    pub reason: String,
    pub ids: Vec<String>,
}

/// A customer listed by name in the report.
#[derive(Clone, Debug, PartialEq)]
pub struct Named {
    pub id: String,
    pub name: String,
    pub owner: String,
    /// The key score, or the expected order date of a lapsing customer.
    pub detail: Cell<'static>,
}

/// Everything the report shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub customers: usize,
    pub stages: Vec<StageRow>,
    pub grades: Vec<GroupRow>,
    pub types: Vec<GroupRow>,
    pub abc: Vec<GroupRow>,
    /// Percent of revenue held by the first floor(N/5) customers by revenue (ties by id).
    pub top20_share: f64,
    /// The same for profit, when any customer has a profit figure.
    pub top20_profit_share: Option<f64>,
    /// (share of customers, cumulative share of revenue), percent, best customers first.
    pub pareto: Vec<(f64, f64)>,
    pub owners: Vec<OwnerRow>,
    pub key_customers: Vec<Named>,
    pub lapsing: Vec<Named>,
    /// The relationship scheme's tiers (best first) and the customers below their target.
    pub relationship: Option<(Vec<Tier>, Vec<BelowTarget>)>,
    /// The reasons of the customers who will not buy, most given first.
    pub lost_reasons: Vec<LostReason>,
    pub changes: Vec<ChangeRow>,
}

fn percent(part: f64, whole: f64) -> f64 {
    if whole == 0.0 {
        0.0
    } else {
        part * 100.0 / whole
    }
}

/// The revenue the report counts: the book's revenue, else the log's order total.
fn revenue(c: &Customer) -> i64 {
    c.revenue.unwrap_or(c.order_total).max(0)
}

/// Customers and revenue per group of one table, counted over a part of the book: the known
/// keys by position, then any other key met, in the order first met.
struct Counts<'a> {
    known: Vec<(usize, i64)>,
    others: Vec<(&'a str, (usize, i64))>,
}

impl<'a> Counts<'a> {
    fn new(known: usize) -> Self {
        Counts {
            known: vec![(0, 0); known],
            others: Vec::new(),
        }
    }

    /// The counts of the known key at a position, or of another key.
    fn slot(&mut self, key: std::result::Result<usize, &'a str>) -> &mut (usize, i64) {
        match key {
            Ok(k) => &mut self.known[k],
            Err(name) => match self.others.iter().position(|(o, _)| *o == name) {
                Some(p) => &mut self.others[p].1,
                None => {
                    self.others.push((name, (0, 0)));
                    &mut self.others.last_mut().expect("just pushed").1
                }
            },
        }
    }

    /// Counts a customer of `revenue` under a key (see [`Counts::slot`]).
    fn add(&mut self, key: std::result::Result<usize, &'a str>, revenue: i64) {
        let slot = self.slot(key);
        slot.0 += 1;
        slot.1 += revenue;
    }

    /// Adds the counts of the part of the book that follows this one.
    fn merge(&mut self, later: Counts<'a>) {
        let known = later.known.into_iter().enumerate().map(|(k, c)| (Ok(k), c));
        let others = later.others.into_iter().map(|(name, c)| (Err(name), c));
        for (key, (count, revenue)) in known.chain(others) {
            let slot = self.slot(key);
            slot.0 += count;
            slot.1 += revenue;
        }
    }

    /// The table: `keys` first, in order, then the other keys met, with shares of the book's
    /// `n` customers and of `total`, its revenue.
    fn rows(self, keys: &[(String, String, String)], n: usize, total: i64) -> Vec<GroupRow> {
        let row = |key: &str, en: &str, zh: &str, (count, revenue): (usize, i64)| GroupRow {
            key: key.to_string(),
            en: en.to_string(),
            zh: zh.to_string(),
            count,
            share: percent(count as f64, n as f64),
            revenue,
            revenue_share: percent(revenue as f64, total as f64),
        };
        keys.iter()
            .zip(self.known)
            .map(|((k, en, zh), counts)| row(k, en, zh, counts))
            .chain(
                self.others
                    .into_iter()
                    .map(|(k, counts)| row(k, k, k, counts)),
            )
            .collect()
    }
}

impl OwnerRow {
    fn add(&mut self, other: &OwnerRow) {
        self.customers += other.customers;
        self.due_today += other.due_today;
        self.overdue += other.overdue;
        self.late += other.late;
        self.next_7_days += other.next_7_days;
        self.complaints += other.complaints;
        self.open_complaints += other.open_complaints;
    }
}

/// What the report counts, over a part of the book.
struct Tally<'a> {
    stages: [usize; Stage::ALL.len()],
    grades: Counts<'a>,
    types: Counts<'a>,
    abc: Counts<'a>,
    /// Follow-up workload by owner (the rows' `owner` left empty until the end).
    owners: rustc_hash::FxHashMap<&'a str, OwnerRow>,
    /// Lapsing customers and the dates of their expected orders, in book order.
    lapsing: Vec<(usize, NaiveDate)>,
}

impl<'a> Tally<'a> {
    fn new(types: usize, classes: usize) -> Self {
        Tally {
            stages: [0; Stage::ALL.len()],
            grades: Counts::new(Grade::ALL.len()),
            types: Counts::new(types),
            abc: Counts::new(classes),
            owners: Default::default(),
            lapsing: Vec::new(),
        }
    }

    /// Counts customer `i`, of this revenue, type (a known one's position, else its id) and
    /// ABC class: its stage, grade, type and class, and its owner's follow-ups.
    fn add(
        &mut self,
        c: &'a Customer,
        i: usize,
        (revenue, kind, class): (i64, std::result::Result<usize, &'a str>, usize),
        rules: &Rules,
        cal: Calendar<'_>,
        env: &Env<'_>,
    ) {
        let today = env.today;
        if let Some(s) = c.stage {
            self.stages[s as usize] += 1;
        }
        let grade = engine::grade_of(c, rules, env);
        self.grades.add(Ok(grade as usize), revenue);
        self.types.add(kind, revenue);
        self.abc.add(Ok(class), revenue);
        let row = self.owners.entry(&c.owner).or_default();
        row.customers += 1;
        row.complaints += c.complaint_count as usize;
        row.open_complaints += usize::from(!c.open_complaint.is_none());
        let Some(e) = engine::graded_entry(c, i, grade, rules, cal, env, NaiveDate::MAX) else {
            return;
        };
        if let Some(expected) = engine::lapsing(c, grade, rules, today) {
            self.lapsing.push((i, expected));
        }
        match e.due {
            d if d < today => row.overdue += 1,
            d if d == today => row.due_today += 1,
            d if d <= today + Days::new(7) => row.next_7_days += 1,
            _ => {}
        }
        if e.late {
            row.late += 1;
        }
    }

    /// Adds the tally of the part of the book that follows this one.
    fn merge(&mut self, later: Tally<'a>) {
        for (n, m) in self.stages.iter_mut().zip(later.stages) {
            *n += m;
        }
        self.grades.merge(later.grades);
        self.types.merge(later.types);
        self.abc.merge(later.abc);
        for (owner, row) in &later.owners {
            self.owners.entry(owner).or_default().add(row);
        }
        self.lapsing.extend(later.lapsing);
    }
}

/// Builds the report: pure, from the loaded book, rules and today.
pub fn build(
    customers: &[Customer],
    rules: &Rules,
    cal: Calendar<'_>,
    env: &Env<'_>,
    changes: Vec<ChangeRow>,
) -> Result<Report> {
    let n = customers.len();
    let rev: Vec<i64> = customers.par_iter().map(revenue).collect();
    // Every sum below (by grade, type, class, the running Pareto share) is at most the sum of
    // the amounts' sizes: when that fits, none can overflow.
    let sizes = rev
        .iter()
        .try_fold(0i64, |sum, r| sum.checked_add(r.checked_abs()?));
    if sizes.is_none() {
        return Err(Error::Usage(
            crate::model::messages::commands::CmdMsg::RevenueOverflow.to_string(),
        ));
    }
    let total: i64 = rev.iter().sum();
    let top20_profit_share = profit_share(customers);
    let abc_scheme = rules.scheme("abc")?;
    let (class_of, order) = abc_and_revenue_ranking(customers, abc_scheme, env, &rev);
    let (top20_share, pareto) = pareto_curve(&order, &rev, total);
    drop(order);
    let set = &rules.type_sets[0];
    let tally = tally(customers, rules, cal, env, (&rev, &class_of));

    let grade_keys: Vec<Key> = Grade::ALL
        .iter()
        .map(|g| (g.id().to_string(), g.en().to_string(), g.zh().to_string()))
        .collect();
    let mut type_keys: Vec<Key> = set
        .types
        .iter()
        .map(|t| (t.id.clone(), t.en.clone(), t.zh.clone()))
        .collect();
    type_keys.push((String::new(), "(unclassified)".into(), "（未分类）".into()));
    let abc_keys: Vec<Key> = abc_scheme
        .tiers
        .iter()
        .map(|t| (t.id.clone(), t.en.clone(), t.zh.clone()))
        .collect();
    let mut types = tally.types.rows(&type_keys, n, total);
    types.retain(|t| t.count > 0 || !t.key.is_empty());
    let mut owners: Vec<OwnerRow> = tally
        .owners
        .into_iter()
        .map(|(owner, row)| OwnerRow {
            owner: owner.to_string(),
            ..row
        })
        .collect();
    owners.sort_by(|a, b| a.owner.cmp(&b.owner));
    let lapsing = tally
        .lapsing
        .into_iter()
        .map(|(i, expected)| named(&customers[i], Cell::Date(expected)))
        .collect();
    let key_customers = match rules.scheme("key") {
        Ok(scheme) => crate::cmd::tier::first_tier(scheme, customers, env)
            .into_iter()
            .map(|(i, metric)| named(&customers[i], metric.cell()))
            .collect(),
        Err(_) => Vec::new(),
    };
    Ok(Report {
        customers: n,
        stages: funnel(&tally.stages),
        grades: tally.grades.rows(&grade_keys, n, total),
        types,
        abc: tally.abc.rows(&abc_keys, n, total),
        top20_share,
        top20_profit_share,
        pareto,
        owners,
        key_customers,
        lapsing,
        relationship: below_target(customers, rules, env),
        lost_reasons: lost_reasons(customers),
        changes,
    })
}

/// The share of the book's profit held by the first ceil(N/5) customers by profit, as
/// [`pareto_curve`] counts revenue: losses count as nothing. None when no customer has a
/// profit figure, or none made one. The sum of the largest values is the same whoever wins
/// a tie, so the largest are picked out (linear) rather than the book sorted.
fn profit_share(customers: &[Customer]) -> Option<f64> {
    if !customers.par_iter().any(|c| c.profit.is_some()) {
        return None;
    }
    let mut profit: Vec<i64> = customers
        .par_iter()
        .map(|c| c.profit.unwrap_or(0).max(0))
        .collect();
    let total = profit.iter().try_fold(0i64, |sum, p| sum.checked_add(*p))?;
    let top = profit.len().div_ceil(5);
    if top < profit.len() {
        profit.select_nth_unstable_by(top, |a, b| b.cmp(a));
    }
    let held: i64 = profit[..top].iter().sum();
    (total > 0).then(|| percent(held as f64, total as f64))
}

/// The customers whose relationship level is below their target (the `relationship`
/// scheme's tiers are listed best first), in book order; None without such a scheme.
fn below_target(
    customers: &[Customer],
    rules: &Rules,
    env: &Env<'_>,
) -> Option<(Vec<Tier>, Vec<BelowTarget>)> {
    let scheme = rules.scheme("relationship").ok()?;
    let below = customers
        .par_iter()
        .filter_map(|c| {
            let target = scheme.target_tier(c, env)?;
            let level = scheme.rule_tier(c, env)?;
            (level > target).then(|| BelowTarget {
                id: c.id.to_string(),
                name: c.name.to_string(),
                owner: c.owner.to_string(),
                level,
                target,
            })
        })
        .collect();
    Some((scheme.tiers.clone(), below))
}

/// The reasons of the customers who will not buy, each with the customers who gave it:
/// the most given first, then by the reason; no reason recorded is a reason of its own.
fn lost_reasons(customers: &[Customer]) -> Vec<LostReason> {
    use crate::model::{Intent, ProfileField};
    let mut by_reason: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for c in customers
        .iter()
        .filter(|c| c.intent == Some(Intent::WillNotBuy))
    {
        by_reason
            .entry(c.profile(ProfileField::IntentReason))
            .or_default()
            .push(c.id.to_string());
    }
    let mut reasons: Vec<LostReason> = by_reason
        .into_iter()
        .map(|(reason, ids)| LostReason {
            reason: reason.to_string(),
            ids,
        })
        .collect();
    reasons.sort_by(|a, b| b.ids.len().cmp(&a.ids.len()).then(a.reason.cmp(&b.reason)));
    reasons
}

/// A group's key and its English and Chinese names.
type Key = (String, String, String);

/// Each customer's ABC class, and the ranking by revenue (best first, ties by id) for the
/// 80/20 check and the Pareto curve: the ABC ranking when it ranks the book by that revenue
/// (as shipped), else the book sorted again.
fn abc_and_revenue_ranking(
    customers: &[Customer],
    abc: &TierScheme,
    env: &Env<'_>,
    rev: &[i64],
) -> (Vec<u32>, Vec<usize>) {
    let placed = assign_with(abc, customers, env, |p| {
        let by_revenue = p.rank.is_some() && ranks_as(p.metric, rev[p.customer]);
        (p.customer, p.tier as u32, by_revenue)
    });
    let mut class_of = vec![0u32; customers.len()];
    for &(i, tier, _) in &placed {
        class_of[i] = tier;
    }
    let order: Vec<usize> = if placed.iter().all(|p| p.2) {
        placed.iter().map(|p| p.0).collect()
    } else {
        let by_revenue = rev
            .iter()
            .enumerate()
            .map(|(i, r)| (std::cmp::Reverse(*r), i));
        crate::model::sort_by_key_then_id(customers, by_revenue)
    };
    (class_of, order)
}

/// The share of revenue held by the first ceil(N/5) customers of `order` (a book of three
/// has a top customer; floor would give none, and a share of 0), and the Pareto
/// curve: (share of customers, cumulative share of revenue) at about 200 points.
fn pareto_curve(order: &[usize], rev: &[i64], total: i64) -> (f64, Vec<(f64, f64)>) {
    let n = order.len();
    let top: i64 = order.iter().take(n.div_ceil(5)).map(|&i| rev[i]).sum();
    let step = (n / 200).max(1);
    let mut pareto = vec![(0.0, 0.0)];
    let mut running = 0i64;
    for (k, &i) in order.iter().enumerate() {
        running += rev[i];
        if (k + 1) % step == 0 || k + 1 == n {
            pareto.push((
                percent((k + 1) as f64, n as f64),
                percent(running as f64, total as f64),
            ));
        }
    }
    (percent(top as f64, total as f64), pareto)
}

/// Stages, grades, types, ABC classes, workload per owner (from the follow-up engine) and
/// lapsing customers: one pass over the book, a part per core, the parts' tallies added.
fn tally<'a>(
    customers: &'a [Customer],
    rules: &'a Rules,
    cal: Calendar<'_>,
    env: &Env<'_>,
    (rev, class_of): (&[i64], &[u32]),
) -> Tally<'a> {
    let set = &rules.type_sets[0];
    let classes = rules.scheme("abc").map_or(0, |s| s.tiers.len());
    let type_index: rustc_hash::FxHashMap<&str, usize> = set
        .types
        .iter()
        .enumerate()
        .map(|(k, t)| (t.id.as_str(), k))
        .chain([("", set.types.len())])
        .collect();
    let tallies = crate::parallel::map_parts(customers.len(), |part| {
        let mut t = Tally::new(set.types.len() + 1, classes);
        for i in part {
            let c = &customers[i];
            let kind: &str = &c.kind;
            let kind = type_index.get(kind).copied().ok_or(kind);
            t.add(c, i, (rev[i], kind, class_of[i] as usize), rules, cal, env);
        }
        t
    });
    let mut tallies = tallies.into_iter();
    let mut tally = tallies.next().expect("one part at least");
    for later in tallies {
        tally.merge(later);
    }
    tally
}

/// The funnel: each stage's customers, those who reached it or went further, and the
/// conversion from the stage before.
fn funnel(counts: &[usize; Stage::ALL.len()]) -> Vec<StageRow> {
    let mut stages: Vec<StageRow> = Stage::ALL
        .iter()
        .map(|&s| StageRow {
            stage: s,
            count: counts[s as usize],
            reached: 0,
            conversion: None,
        })
        .collect();
    for k in 0..stages.len() {
        stages[k].reached = stages[k..].iter().map(|r| r.count).sum();
        if k > 0 {
            let before = stages[k - 1].reached;
            stages[k].conversion =
                (before > 0).then(|| percent(stages[k].reached as f64, before as f64));
        }
    }
    stages
}

/// A customer listed by name, with a detail.
fn named(c: &Customer, detail: Cell<'static>) -> Named {
    Named {
        id: c.id.as_str().into(),
        name: c.name.as_str().into(),
        owner: c.owner.as_str().into(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table counted in two parts and added up: the known keys in their order, then the
    /// others in the order the book first meets them, whichever part met them.
    #[test]
    fn counts_in_parts_add_up_in_the_books_order() {
        let keys = [("a".to_string(), "A".to_string(), "甲".to_string())];
        let (mut first, mut second) = (Counts::new(1), Counts::new(1));
        first.add(Err("x"), 5);
        first.add(Ok(0), 7);
        second.add(Err("y"), 1);
        second.add(Err("x"), 2);
        second.add(Ok(0), 3);
        second.add(Err("z"), 4);
        first.merge(second);
        let rows: Vec<(String, String, usize, i64)> = first
            .rows(&keys, 8, 40)
            .into_iter()
            .map(|r| (r.key, r.zh, r.count, r.revenue))
            .collect();
        let want = [
            ("a", "甲", 2, 10),
            ("x", "x", 2, 7),
            ("y", "y", 1, 1),
            ("z", "z", 1, 4),
        ];
        assert_eq!(
            rows,
            want.map(|(k, zh, n, r)| (k.to_string(), zh.to_string(), n, r))
        );
    }

    /// The top fifth's share of profit: of 10 customers the 2 best, 50 + 40 = 90, of the
    /// profits made, 50 + 40 + 30 + 20 + 15 + 10 + 5 = 170 (a loss and none count as 0):
    /// 52.94 %. No profit figure at all: no share.
    #[test]
    fn the_top_fifth_s_share_of_profit_counts_losses_as_nothing() {
        let profits = [
            Some(5),
            Some(50),
            Some(-10),
            None,
            Some(20),
            Some(40),
            Some(30),
            Some(0),
            Some(15),
            Some(10),
        ];
        let customers: Vec<Customer> = profits
            .iter()
            .enumerate()
            .map(|(i, p)| Customer {
                id: format!("K{i}").into(),
                profit: p.map(|p| p * 100),
                ..Customer::default()
            })
            .collect();
        assert_eq!(profit_share(&customers), Some(90.0 * 100.0 / 170.0));
        let none: Vec<Customer> = (0..3).map(|_| Customer::default()).collect();
        assert_eq!(profit_share(&none), None);
    }

    /// The Pareto curve and the 80/20 share follow revenue whatever the ABC scheme ranks by:
    /// the ABC ranking is reused only when it ranks by the same revenue.
    #[test]
    fn the_pareto_curve_follows_revenue_whichever_ranking_abc_uses() {
        let revenues = [5, 50, 0, 20, 10, 40, 30, 0, 15, 25];
        let customers: Vec<Customer> = revenues
            .iter()
            .enumerate()
            .map(|(i, &r)| Customer {
                id: format!("K{i}").into(),
                revenue: Some(r * 100),
                points: Some(100 - i as i64),
                ..Customer::default()
            })
            .collect();
        // Best first, ties (the two zeros) by id: 50 40 30 25 20 15 10 5 0 0 of 195.
        let mut want = vec![(0.0, 0.0)];
        let mut running = 0.0;
        for (k, r) in [50.0, 40.0, 30.0, 25.0, 20.0, 15.0, 10.0, 5.0, 0.0, 0.0]
            .iter()
            .enumerate()
        {
            running += r;
            want.push(((k + 1) as f64 * 10.0, running * 100.0 / 195.0));
        }
        let shipped = Rules::load(None, None).unwrap();
        let mut by_points = Rules::load(None, None).unwrap();
        let stars = shipped.scheme("stars").unwrap().kind.clone();
        let crate::rules::tiers::SchemeKind::Thresholds { metric } = stars else {
            panic!("stars ranks points against thresholds")
        };
        let abc = by_points
            .tiers
            .iter_mut()
            .find(|s| s.name == "abc")
            .unwrap();
        abc.kind = crate::rules::tiers::SchemeKind::Pareto { metric };
        let ctx = Env {
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            extra_columns: &[],
        };
        for (rules, reused) in [(&shipped, true), (&by_points, false)] {
            let scheme = rules.scheme("abc").unwrap();
            // Whether `build` takes the ABC ranking as it is (the shipped scheme ranks by
            // revenue) or sorts the book again (this one ranks by points).
            let same = crate::cmd::tier::assign(scheme, &customers, &ctx)
                .iter()
                .all(|a| a.rank.is_some() && ranks_as(&a.metric, revenue(&customers[a.customer])));
            assert_eq!(same, reused);
            let cal = Calendar {
                holidays: &rules.holidays,
                weekend: &[],
                festival: None,
            };
            let report = build(&customers, rules, cal, &ctx, Vec::new()).unwrap();
            assert_eq!(report.pareto, want, "reused: {reused}");
            assert_eq!(report.top20_share, 90.0 * 100.0 / 195.0);
        }
    }
}
