//! `clientele promote`: moves customers through the lifecycle stages, only when the target
//! stage's gate holds (and those of any stage skipped); `--auto` applies every stage and
//! grade change the rules justify. Every applied change is logged with its reason.

use super::Context;
use super::change::{self, Proposed};
use crate::error::{Error, Result};
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
                .map(|g| g.label.clone())
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

/// Every stage gate that blocks a forward move, as `cannot enter X: a, b`.
pub fn refusals(rules: &Rules, c: &Customer, to: Stage, env: &Env<'_>) -> Vec<String> {
    entered(c.stage, to)
        .filter_map(|s| {
            let missing = unmet(rules, s, c, env);
            (!missing.is_empty())
                .then(|| format!("cannot enter {}: {}", s.id(), missing.join(", ")))
        })
        .collect()
}

/// The highest stage above the current one whose gate, and every gate below it, holds.
pub fn highest_reachable(rules: &Rules, c: &Customer, env: &Env<'_>) -> Option<Stage> {
    entered(c.stage, Stage::Formal)
        .take_while(|s| unmet(rules, *s, c, env).is_empty())
        .last()
}

fn stage_text(s: Option<Stage>) -> String {
    s.map(|s| s.id().to_string()).unwrap_or_default()
}

pub fn run(args: &PromoteArgs, ctx: &Context) -> Result<u8> {
    if args.force && args.reason.is_none() {
        return Err(Error::Usage(
            "--force needs --reason TEXT: a forced move is logged with why".into(),
        ));
    }
    if args.ids.is_empty() && !args.auto {
        return Err(Error::Usage(
            "name the customers to promote, or use --auto".into(),
        ));
    }
    let target = args
        .to
        .as_deref()
        .map(|t| {
            Stage::parse(t).ok_or_else(|| {
                Error::Usage(format!(
                    "unknown stage \"{t}\" (expected one of {})",
                    Stage::expected()
                ))
            })
        })
        .transpose()?;
    let _lock = change::lock(ctx, args.dry_run)?;
    let loaded = ctx.load(super::Purpose::Write)?;
    let (rules, book) = (&loaded.rules, &loaded.book);
    let selected = if args.ids.is_empty() {
        (0..book.customers.len()).collect()
    } else {
        book.select(&args.ids)?
    };
    let env = Env {
        today: ctx.ws.today,
        extra_columns: &book.extra_columns,
    };
    let columns = &ctx.ws.columns;

    // Validate every requested move before proposing any.
    if let Some(to) = target
        && args.reason.is_none()
        && let Some(&i) = selected
            .iter()
            .find(|&&i| book.customers[i].stage.is_some_and(|s| s > to))
    {
        return Err(Error::Usage(format!(
            "{}: moving back to {} needs --reason TEXT",
            book.customers[i].id,
            to.id()
        )));
    }

    let mut proposed = Vec::new();
    let mut refused = Vec::new();
    for &i in &selected {
        let c = &book.customers[i];
        let stage_change = |to: Stage, reason: String| Proposed {
            change: change::field_change(
                i,
                Field::Stage,
                change::enum_text(to, Field::Stage, book, columns),
            ),
            from: stage_text(c.stage),
            to: to.id().to_string(),
            reason,
            log: Some(ActivityKind::StageChange),
        };
        if args.auto {
            let mut after = c.clone();
            if let Some(to) = highest_reachable(rules, c, &env) {
                proposed.push(stage_change(to, format!("gate of {} holds", to.id())));
                after.stage = Some(to);
            }
            if let Some((grade, label)) = justified_grade(rules, &after, &env)
                && c.grade != Some(grade)
            {
                proposed.push(Proposed {
                    change: change::field_change(i, Field::Grade, grade.id().to_string()),
                    from: c.grade.map(|g| g.id().to_string()).unwrap_or_default(),
                    to: grade.id().to_string(),
                    reason: label,
                    log: Some(ActivityKind::GradeChange),
                });
            }
            continue;
        }
        let to = match target.or_else(|| next(c.stage)) {
            Some(to) => to,
            None => {
                refused.push(format!(
                    "{}: already {}, the last stage",
                    c.id,
                    stage_text(c.stage)
                ));
                continue;
            }
        };
        if c.stage == Some(to) {
            continue;
        }
        if c.stage.is_some_and(|s| s > to) {
            proposed.push(stage_change(to, args.reason.clone().unwrap_or_default()));
            continue;
        }
        let blocked = refusals(rules, c, to, &env);
        match (blocked.is_empty(), args.force) {
            (true, _) => proposed.push(stage_change(
                to,
                args.reason
                    .clone()
                    .unwrap_or_else(|| format!("gate of {} holds", to.id())),
            )),
            (false, true) => proposed.push(stage_change(
                to,
                format!("forced: {}", args.reason.as_deref().unwrap_or_default()),
            )),
            (false, false) => refused.push(format!("{}: {}", c.id, blocked.join("; "))),
        }
    }
    change::apply(ctx, loaded, &proposed, args.dry_run, args.diff, false)?;
    for r in &refused {
        eprintln!("clientele: {r}");
    }
    Ok(if refused.is_empty() { 0 } else { 1 })
}

fn next(stage: Option<Stage>) -> Option<Stage> {
    match stage {
        None => Some(Stage::Potential),
        Some(s) => Stage::ALL.iter().copied().find(|t| *t > s),
    }
}

/// The grade the `grade` scheme gives, and the label of the rule that gave it.
fn justified_grade(rules: &Rules, c: &Customer, env: &Env<'_>) -> Option<(Grade, String)> {
    let scheme = rules.scheme("grade").ok()?;
    let crate::rules::tiers::SchemeKind::Rules {
        rules: list,
        default,
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
