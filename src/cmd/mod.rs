//! The subcommands, one file each (its options, its `run`), and the [`context`] they share.
//! Each `run(args, ctx)` returns the exit code: 0 success, 1 a negative answer.

mod change;
pub mod check;
pub mod classify;
pub mod context;
pub mod due;
pub mod export;
pub mod init;
pub mod log;
mod needs;
pub mod plan;
pub mod promote;
pub mod report;
pub mod rules;
pub mod show;
pub mod snooze;
pub mod sql;
pub mod tier;

pub use context::{Context, Loaded, Purpose};
