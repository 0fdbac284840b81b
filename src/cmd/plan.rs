//! `clientele plan ID DATE [--note TEXT]`: a follow-up agreed for a day ("call me back on
//! Tuesday"). Writes `next_contact` and, with `--note`, `next_step` (what it is for). The
//! customer is due that day whatever the cadence says, with the note as the reason, until a
//! touch is logged on or after it; `--clear` removes the plan.

use super::Context;
use super::change::{self, Proposed};
use crate::error::Result;
use crate::model::Field;

#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// The customer's id
    pub id: String,
    /// The day: 2026-12-08, tue/周二, tomorrow/明天, +3d, 2w, 1m
    #[arg(required_unless_present = "clear")]
    pub date: Option<String>,
    /// What the follow-up is for (shown as its reason). Without it, a plan moved to another
    /// day keeps its note; a new plan has none
    #[arg(long)]
    pub note: Option<String>,
    /// Remove the plan (empties next_contact and next_step)
    #[arg(long, conflicts_with_all = ["date", "note"])]
    pub clear: bool,
    /// Show the change instead of making it
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: show a unified diff of the file instead of the table
    #[arg(long, requires = "dry_run")]
    pub diff: bool,
}

pub fn run(args: &PlanArgs, ctx: &Context) -> Result<u8> {
    let today = ctx.ws.today;
    let on = match &args.date {
        Some(text) => Some(change::day_arg(text, today)?),
        None => None,
    };
    let lock = change::lock(ctx, args.dry_run)?;
    let loaded = ctx.load(super::Purpose::Write)?;
    let i = loaded.book.select(std::slice::from_ref(&args.id))?[0];
    let c = &loaded.book.customers[i];
    let old_step = c.detail(|d| &d.next_step).to_string();
    // A plan still open (no touch on or after its day) is being moved: its note goes with
    // it unless a new one is given. A plan done, or none, leaves no note behind.
    let open = c
        .next_contact
        .is_some_and(|d| c.last_contact.is_none_or(|t| t < d));
    let step = match (&args.note, on) {
        (Some(note), _) => note.trim().to_string(),
        (None, Some(_)) if open => old_step.clone(),
        (None, _) => String::new(),
    };
    let reason = if on.is_some() { "plan" } else { "plan cleared" };
    let mut proposed: Vec<Proposed> = change::set_date(
        loaded,
        &ctx.ws,
        (i, Field::NextContact),
        (c.next_contact, on),
        reason,
    )
    .into_iter()
    .collect();
    if step != old_step {
        proposed.push(Proposed {
            change: change::field_change(i, Field::NextStep, step.clone()),
            from: old_step,
            to: step,
            reason: reason.to_string(),
            reason_zh: None,
            log: None,
        });
    }
    change::apply(ctx, loaded, &proposed, lock, args.dry_run, args.diff, false)?;
    Ok(0)
}
