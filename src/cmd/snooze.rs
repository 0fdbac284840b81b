//! `clientele snooze ID DATE`: no follow-up is due for the customer before DATE
//! (writes `snooze_until`); `--clear` ends a snooze.

use super::Context;
use super::change;
use crate::error::Result;
use crate::model::Field;

#[derive(Debug, clap::Args)]
pub struct SnoozeArgs {
    /// The customer's id
    pub id: String,
    /// No follow-up before this day: 2026-12-08, tue/周二, tomorrow/明天, +3d, 2w, 1m
    #[arg(required_unless_present = "clear")]
    pub date: Option<String>,
    /// End the snooze (empties snooze_until)
    #[arg(long, conflicts_with = "date")]
    pub clear: bool,
    /// Show the change instead of making it
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: show a unified diff of the file instead of the table
    #[arg(long, requires = "dry_run")]
    pub diff: bool,
}

pub fn run(args: &SnoozeArgs, ctx: &Context) -> Result<u8> {
    let until = match &args.date {
        Some(text) => Some(change::day_arg(text, ctx.ws.today)?),
        None => None,
    };
    let lock = change::lock(ctx, args.dry_run)?;
    let loaded = ctx.load(super::Purpose::Write)?;
    let i = loaded.book.select(std::slice::from_ref(&args.id))?[0];
    let from = loaded.book.customers[i].snooze_until;
    let reason = if until.is_some() {
        "snooze"
    } else {
        "snooze cleared"
    };
    let proposed: Vec<_> = change::set_date(
        loaded,
        &ctx.ws,
        (i, Field::SnoozeUntil),
        (from, until),
        reason,
    )
    .into_iter()
    .collect();
    change::apply(ctx, loaded, &proposed, lock, args.dry_run, args.diff, false)?;
    Ok(0)
}
