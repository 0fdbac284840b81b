//! `clientele check`: every problem in config, rules, customers and log, each with its
//! position; exit 1 if there is any.

use super::context::{Context, with_stdout};
use crate::error::{Diagnostic, Error, Result, Severity};
use crate::model::messages::Msg;
use crate::model::messages::commands::CmdMsg;

pub fn run(ctx: &Context) -> Result<u8> {
    // Broken rules stop the reading: what was found so far is the answer.
    let (loaded, mut problems) = match ctx.rules().and_then(|rules| ctx.load_all_problems(rules)) {
        Ok(found) => found,
        Err(Error::Data(problems)) => return report(&problems, None),
        Err(e) => return Err(e),
    };
    // Rows saved in UTF-8 into a log read in another encoding: mojibake that still counts.
    if let Some(enc) = loaded.log.encoding {
        problems.extend(crate::store::log::utf8_rows_in(&ctx.ws.activities, enc)?);
    }
    // A change an interrupted run could not finish, set aside for a person (the run that
    // found it said why).
    for kept in crate::store::journal::set_aside_journals(&ctx.ws.root) {
        problems.push(Diagnostic::file(&kept, 0, CmdMsg::JournalKept.to_string()));
    }
    let summary = Msg::CheckOk {
        customers: loaded.book.customers.len(),
        activities: loaded.log.rows,
        rule_files: loaded.rules.files.len(),
        from_workspace: loaded.rules.files.iter().filter(|f| !f.builtin).count(),
    };
    report(&problems, Some(summary.to_string()))
}

/// Prints every problem and note on stderr and a summary; exit 1 if there was a problem
/// (notes are none).
pub fn report(found: &[Diagnostic], summary: Option<String>) -> Result<u8> {
    for p in found {
        eprintln!("{p}");
    }
    let count = |s: Severity| found.iter().filter(|p| p.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    if errors + warnings == 0 {
        let summary = summary.unwrap_or_default();
        with_stdout(|out| writeln!(out, "{summary}"))?;
        return Ok(0);
    }
    eprintln!("clientele: {}", Msg::CheckFound { errors, warnings });
    Ok(1)
}
