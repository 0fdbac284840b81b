//! `clientele check`: every problem in config, rules, customers and log, each with its
//! position; exit 1 if there is any.

use crate::error::{Error, Result, Severity};
use crate::render::Format;
use crate::workspace::Workspace;

use super::{Ctx, with_stdout};

pub fn run(ws: Result<Workspace>, format: Format, color: bool) -> Result<u8> {
    let mut problems = Vec::new();
    let ws = match ws {
        Ok(ws) => ws,
        Err(Error::Data(d)) => {
            problems.extend(d);
            return report(&problems, None);
        }
        Err(e) => return Err(e),
    };
    let ctx = Ctx {
        lang: ws.lang,
        ws,
        format,
        format_explicit: true,
        color,
    };
    let rules = match ctx.rules() {
        Ok(r) => r,
        Err(Error::Data(d)) => {
            problems.extend(d);
            return report(&problems, None);
        }
        Err(e) => return Err(e),
    };
    let (loaded, found) = match ctx.load_with(rules) {
        Ok(x) => x,
        Err(Error::Data(d)) => {
            problems.extend(d);
            return report(&problems, None);
        }
        Err(e) => return Err(e),
    };
    problems.extend(found);
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

/// Prints every problem on stderr and a summary; exit 1 if there were any.
fn report(problems: &[crate::error::Diagnostic], summary: Option<String>) -> Result<u8> {
    for p in problems {
        eprintln!("{p}");
    }
    if problems.is_empty() {
        let summary = summary.unwrap_or_default();
        with_stdout(|out| writeln!(out, "ok: {summary}"))?;
        return Ok(0);
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    eprintln!(
        "clientele: check found {} and {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    Ok(1)
}
