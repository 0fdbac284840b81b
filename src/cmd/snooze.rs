//! `clientele snooze ID DATE`: no follow-up is due for the customer before DATE
//! (writes `snooze_until`).

use super::Context;
use super::change::{self, Proposed};
use crate::error::{Error, Result};
use crate::model::Field;
use crate::model::value::parse_date;

#[derive(Debug, clap::Args)]
pub struct SnoozeArgs {
    /// The customer's id
    pub id: String,
    /// No follow-up before this date
    pub date: String,
    /// Show the change instead of making it
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: show a unified diff of the file instead of the table
    #[arg(long, requires = "dry_run")]
    pub diff: bool,
}

pub fn run(args: &SnoozeArgs, ctx: &Context) -> Result<u8> {
    let until = parse_date(&args.date)
        .map_err(|e| Error::Usage(format!("cannot read the date \"{}\": {e}", args.date)))?;
    let _lock = change::lock(ctx, args.dry_run)?;
    let loaded = ctx.load(super::Purpose::Write)?;
    let i = loaded.book.select(std::slice::from_ref(&args.id))?[0];
    let c = &loaded.book.customers[i];
    let iso = crate::model::value::iso(until);
    let from = c
        .snooze_until
        .map(crate::model::value::iso)
        .unwrap_or_default();
    let proposed = if c.snooze_until == Some(until) {
        Vec::new()
    } else {
        vec![Proposed {
            to: iso.clone(),
            change: change::field_change(
                i,
                Field::SnoozeUntil,
                change::date_text(until, Field::SnoozeUntil, &loaded.book, &ctx.ws),
            ),
            from,
            reason: "snooze".into(),
            log: None,
        }]
    };
    change::apply(ctx, loaded, &proposed, args.dry_run, args.diff, false)?;
    Ok(0)
}
