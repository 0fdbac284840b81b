//! `clientele promote`: moves customers through the lifecycle stages, only when the target
//! stage's gate holds (and those of any stage skipped); `--auto` applies every stage and
//! grade change the rules justify. Every applied change is logged with its reason.

use super::Context;
use super::change::{self, Proposed};
use crate::error::{Error, Result};
use crate::model::messages::commands::{CmdMsg, What};
use crate::model::{ActivityKind, Customer, Enumeration, Field, Grade, Stage};
use crate::rules::Rules;
use crate::rules::expr::Env;

#[derive(Debug, clap::Args)]
pub struct PromoteArgs {
    /// The customers to move (all of them with --auto and no ids)
    pub ids: Vec<String>,
    /// Move to this stage instead of the next one
    #[arg(long, value_name = "STAGE")]
    pub to: Option<String>,
    /// Apply every stage and grade change the rules justify
    #[arg(long, conflicts_with_all = ["to", "force"])]
    pub auto: bool,
    /// Move even where a gate does not hold (needs --reason)
    #[arg(long)]
    pub force: bool,
    /// Why: logged with the change (needed with --force and for a move backwards)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Show the changes instead of making them
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: show a unified diff of the file instead of the table
    #[arg(long, requires = "dry_run")]
    pub diff: bool,
}

/// The gate conditions of `stage` that do not hold for `c`.
pub fn unmet(rules: &Rules, stage: Stage, c: &Customer, env: &Env<'_>) -> Vec<String> {
    rules
        .stages
        .iter()
        .find(|s| s.stage == stage)
        .map_or_else(Vec::new, |s| {
            s.gate
                .iter()
                .filter(|g| !g.condition.holds(c, env))
                .map(|g| match crate::model::messages::lang() {
                    crate::model::Lang::Zh => g.label_zh.clone(),
                    crate::model::Lang::En => g.label.clone(),
                })
                .collect()
        })
}

/// The stages entered on the way from `from` (none: before the first) up to `to`.
fn entered(from: Option<Stage>, to: Stage) -> impl Iterator<Item = Stage> {
    Stage::ALL
        .iter()
        .copied()
        .filter(move |s| from.is_none_or(|f| *s > f) && *s <= to)
}

/// The stages a move from `from` to `to` passes over without entering: those strictly
/// between them (a customer without a stage is a potential one).
fn skipped(from: Option<Stage>, to: Stage) -> Vec<Stage> {
    let from = from.unwrap_or(Stage::Potential);
    Stage::ALL
        .iter()
        .copied()
        .filter(|s| from < *s && *s < to)
        .collect()
}

/// Why a move forward is made: the target's gate holds, and the stages it skips.
fn gate_reason(from: Option<Stage>, to: Stage) -> String {
    let mut reason = format!("gate of {} holds", to.id());
    let passed = skipped(from, to);
    if !passed.is_empty() {
        let ids: Vec<&str> = passed.iter().map(|s| s.id()).collect();
        reason.push_str(&format!("; skipped {}", ids.join(", ")));
    }
    reason
}

/// Every stage gate that blocks a forward move, with what it misses (in the run's
/// language): the target's alone when stages may be skipped (`skip = "allowed"` in
/// stages.toml, DOMAIN §2: a stage may be skipped when the later gate already holds), else
/// every gate on the way.
fn blocked(rules: &Rules, c: &Customer, to: Stage, env: &Env<'_>) -> Vec<(Stage, Vec<String>)> {
    entered(c.stage, to)
        .filter(|s| !rules.stage_skip || *s == to)
        .filter_map(|s| {
            let missing = unmet(rules, s, c, env);
            (!missing.is_empty()).then_some((s, missing))
        })
        .collect()
}

/// Every stage gate that blocks a forward move, as `cannot enter X: a, b` (`无法进入X：
/// a、b`; see [`blocked`]).
pub fn refusals(rules: &Rules, c: &Customer, to: Stage, env: &Env<'_>) -> Vec<String> {
    blocked(rules, c, to, env)
        .iter()
        .map(|(stage, missing)| {
            crate::model::messages::Msg::CannotEnter {
                stage: *stage,
                missing: &missing.join(crate::lang::pick(", ", "、")),
            }
            .to_string()
        })
        .collect()
}

/// The highest stage above the current one that a move may reach: whose gate holds (and,
/// when stages may not be skipped, every gate below it).
pub fn highest_reachable(rules: &Rules, c: &Customer, env: &Env<'_>) -> Option<Stage> {
    let open = |s: &Stage| unmet(rules, *s, c, env).is_empty();
    if rules.stage_skip {
        entered(c.stage, Stage::Formal).filter(open).last()
    } else {
        entered(c.stage, Stage::Formal).take_while(open).last()
    }
}

fn stage_text(s: Option<Stage>) -> String {
    s.map(|s| s.id().to_string()).unwrap_or_default()
}

/// What the user asked `promote` for.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The stage to move to (else the next one).
    pub to: Option<Stage>,
    /// Every stage and grade change the rules justify.
    pub auto: bool,
    /// Move even where a gate does not hold.
    pub force: bool,
    pub reason: Option<String>,
}

/// One change `promote` makes: a customer's stage or grade, from what to what, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Move {
    Stage {
        customer: usize,
        from: Option<Stage>,
        to: Stage,
        reason: String,
    },
    Grade {
        customer: usize,
        from: Option<Grade>,
        to: Grade,
        reason: String,
    },
}

/// The moves to make and the ones refused at their gates (`ID: cannot enter ...`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub moves: Vec<Move>,
    pub refused: Vec<String>,
}

/// Decides every move for the customers at `selected`: pure, from the customers, the rules
/// and today (in `env`). A move backwards without a reason is a usage error, found before
/// any move is planned.
pub fn plan(
    customers: &[Customer],
    selected: &[usize],
    rules: &Rules,
    env: &Env<'_>,
    request: &Request,
) -> Result<Plan> {
    if let Some(to) = request.to
        && request.reason.is_none()
        && let Some(&i) = selected
            .iter()
            .find(|&&i| customers[i].stage.is_some_and(|s| s > to))
    {
        return Err(Error::Usage(
            CmdMsg::BackNeedsReason {
                id: &customers[i].id,
                stage: to,
            }
            .to_string(),
        ));
    }
    let mut plan = Plan::default();
    for &i in selected {
        if request.auto {
            plan.moves
                .extend(justified_moves(i, &customers[i], rules, env));
        } else {
            asked_move(i, &customers[i], rules, env, request, &mut plan);
        }
    }
    Ok(plan)
}

/// The stage and grade changes the rules justify for one customer: the highest stage whose
/// gates hold, then the grade the `grade` scheme gives at that stage.
fn justified_moves(i: usize, c: &Customer, rules: &Rules, env: &Env<'_>) -> Vec<Move> {
    let mut moves = Vec::new();
    let mut after = c.clone();
    if let Some(to) = highest_reachable(rules, c, env) {
        moves.push(Move::Stage {
            customer: i,
            from: c.stage,
            to,
            reason: gate_reason(c.stage, to),
        });
        after.stage = Some(to);
    }
    if let Some((grade, label)) = justified_grade(rules, &after, env)
        && c.grade != Some(grade)
    {
        moves.push(Move::Grade {
            customer: i,
            from: c.grade,
            to: grade,
            reason: label,
        });
    }
    moves
}

/// The move asked for one customer (to `request.to`, else the next stage), or its refusal.
fn asked_move(
    i: usize,
    c: &Customer,
    rules: &Rules,
    env: &Env<'_>,
    request: &Request,
    plan: &mut Plan,
) {
    let Some(to) = request.to.or_else(|| next(c.stage)) else {
        // With no stage, the next is the first: only a stage can be the last.
        if let Some(stage) = c.stage {
            plan.refused
                .push(CmdMsg::AlreadyLast { id: &c.id, stage }.to_string());
        }
        return;
    };
    let stage_move = |reason: String| Move::Stage {
        customer: i,
        from: c.stage,
        to,
        reason,
    };
    if c.stage == Some(to) {
        return;
    }
    if c.stage.is_some_and(|s| s > to) {
        let reason = request.reason.clone().unwrap_or_default();
        plan.moves.push(stage_move(reason));
        return;
    }
    let gates = blocked(rules, c, to, env);
    if gates.is_empty() {
        let reason = match &request.reason {
            Some(r) => r.clone(),
            None => gate_reason(c.stage, to),
        };
        plan.moves.push(stage_move(reason));
    } else if request.force {
        let reason = format!("forced: {}", request.reason.as_deref().unwrap_or_default());
        plan.moves.push(stage_move(reason));
    } else {
        plan.refused.push(
            CmdMsg::Blocked {
                id: &c.id,
                gates: &gates,
            }
            .to_string(),
        );
    }
}

pub fn run(args: &PromoteArgs, ctx: &Context) -> Result<u8> {
    if args.force && args.reason.is_none() {
        return Err(Error::Usage(CmdMsg::ForceNeedsReason.to_string()));
    }
    if args.ids.is_empty() && !args.auto {
        return Err(Error::Usage(CmdMsg::NameCustomers.to_string()));
    }
    let to = args
        .to
        .as_deref()
        .map(|t| {
            Stage::parse(t).ok_or_else(|| {
                Error::Usage(
                    CmdMsg::Unknown {
                        what: What::Stage,
                        text: t,
                        expected: &Stage::expected(),
                    }
                    .to_string(),
                )
            })
        })
        .transpose()?;
    let request = Request {
        to,
        auto: args.auto,
        force: args.force,
        reason: args.reason.clone(),
    };
    let lock = change::lock(ctx, args.dry_run)?;
    let loaded = ctx.load(super::Purpose::Write)?;
    let book = &loaded.book;
    let selected = if args.ids.is_empty() {
        (0..book.customers.len()).collect()
    } else {
        book.select(&args.ids)?
    };
    let env = Env {
        today: ctx.ws.today,
        extra_columns: &book.extra_columns,
    };
    let plan = plan(&book.customers, &selected, &loaded.rules, &env, &request)?;
    // How the book's stage column spells a stage, read once for every move.
    let stage_text_in_book = change::enum_speller::<Stage>(Field::Stage, book, &ctx.ws.columns);
    let proposed: Vec<Proposed> = plan
        .moves
        .iter()
        .map(|m| proposed(m, &stage_text_in_book, &loaded.rules))
        .collect();
    change::apply(ctx, loaded, &proposed, lock, args.dry_run, args.diff, false)?;
    for r in &plan.refused {
        // The id is the book's: shown, never obeyed.
        eprintln!(
            "clientele: {}",
            crate::visible::visible_lines(&r.to_string())
        );
    }
    Ok(if plan.refused.is_empty() { 0 } else { 1 })
}

/// A move as a change to the book, in the book's own words (a Chinese sheet's stage column
/// gets the stage's Chinese name), with its log row.
fn proposed(m: &Move, stage_text_in_book: &dyn Fn(Stage) -> String, rules: &Rules) -> Proposed {
    match m {
        Move::Stage {
            customer,
            from,
            to,
            reason,
        } => Proposed {
            change: change::field_change(*customer, Field::Stage, stage_text_in_book(*to)),
            from: stage_text(*from),
            to: to.id().to_string(),
            reason: reason.clone(),
            reason_zh: None,
            log: Some(ActivityKind::StageChange),
        },
        Move::Grade {
            customer,
            from,
            to,
            reason,
        } => Proposed {
            change: change::field_change(*customer, Field::Grade, to.id().to_string()),
            from: from.map(|g| g.id().to_string()).unwrap_or_default(),
            to: to.id().to_string(),
            reason: reason.clone(),
            reason_zh: grade_label_zh(rules, reason),
            log: Some(ActivityKind::GradeChange),
        },
    }
}

fn next(stage: Option<Stage>) -> Option<Stage> {
    match stage {
        None => Some(Stage::Potential),
        Some(s) => Stage::ALL.iter().copied().find(|t| *t > s),
    }
}

/// The grade the `grade` scheme gives, and the label of the rule that gave it.
/// The Chinese of the `grade` scheme's rule labelled `label` (see [`justified_grade`]).
fn grade_label_zh(rules: &Rules, label: &str) -> Option<String> {
    let scheme = rules.scheme("grade").ok()?;
    let crate::rules::tiers::SchemeKind::Rules { rules: list, .. } = &scheme.kind else {
        return None;
    };
    list.iter()
        .find(|r| r.label == label)
        .and_then(|r| r.label_zh.clone())
}

fn justified_grade(rules: &Rules, c: &Customer, env: &Env<'_>) -> Option<(Grade, String)> {
    let scheme = rules.scheme("grade").ok()?;
    let crate::rules::tiers::SchemeKind::Rules {
        rules: list,
        default,
        ..
    } = &scheme.kind
    else {
        return None;
    };
    let (tier, label) = list
        .iter()
        .find(|r| r.condition.holds(c, env))
        .map_or((*default, "no rule matched".to_string()), |r| {
            (r.tier, r.label.clone())
        });
    Grade::parse(&scheme.tiers[tier].id).map(|g| (g, label))
}

#[cfg(test)]
mod tests;
