//! `clientele check`: every problem in config, rules, customers and log, each with its
//! position; exit 1 if there is any.

use super::context::{Context, with_stdout};
use crate::error::{Diagnostic, Error, Result, Severity};

pub fn run(ctx: &Context) -> Result<u8> {
    // Broken rules stop the reading: what was found so far is the answer.
    let (loaded, problems) = match ctx.rules().and_then(|rules| ctx.load_all_problems(rules)) {
        Ok(found) => found,
        Err(Error::Data(problems)) => return report(&problems, None),
        Err(e) => return Err(e),
    };
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let summary = format!(
        "{}, {}, {} ({} from the workspace)",
        plural(loaded.book.customers.len(), "customer", "customers"),
        plural(loaded.log.rows as usize, "activity", "activities"),
        plural(loaded.rules.files.len(), "rule file", "rule files"),
        loaded.rules.files.iter().filter(|f| !f.builtin).count()
    );
    report(&problems, Some(summary))
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
        with_stdout(|out| writeln!(out, "ok: {summary}"))?;
        return Ok(0);
    }
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    eprintln!(
        "clientele: check found {} and {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    Ok(1)
}
