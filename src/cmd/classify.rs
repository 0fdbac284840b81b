//! `clientele classify`: scores each type of a type set by the customer's matched signals;
//! the best wins when it clears the minimum score and margin, otherwise the set's fallback
//! (`composite`: mixed or too little evidence).

use super::context::{Context, with_stdout};
use crate::error::Result;
use crate::model::{Customer, Lang};
use crate::render::{Cell, Column, Table};
use crate::rules::expr::Env;
use crate::rules::types::{Signal, Test, TypeSet};

#[derive(Debug, clap::Args)]
pub struct ClassifyArgs {
    /// Only these customers
    pub ids: Vec<String>,
    /// The type set: nine (default), personality, buying, or one of your own
    #[arg(long, value_name = "NAME")]
    pub set: Option<String>,
    /// List every type's score and the signals behind it
    #[arg(long)]
    pub explain: bool,
    /// Store the result in the book (in the `type` field, or --field)
    #[arg(long)]
    pub write: bool,
    /// The column --write stores the type in (not the id, nor a field holding another kind of value)
    #[arg(long, value_name = "NAME", default_value = "type", requires = "write")]
    pub field: String,
    /// With --write: show the changes instead of making them
    #[arg(long, requires = "write")]
    pub dry_run: bool,
}

/// One type's score for a customer, and the signals that gave it.
#[derive(Clone, Debug)]
pub struct Score<'r> {
    pub kind: usize,
    pub score: f64,
    pub evidence: Vec<&'r Signal>,
}

/// The answer for one customer.
#[derive(Clone, Debug)]
pub struct Classification<'r> {
    /// Index of the chosen type in the set.
    pub kind: usize,
    /// Every type with a positive score, best first (ties in the set's order).
    pub scores: Vec<Score<'r>>,
    /// (best − runner-up) / best: 0 with no or tied evidence, 1 when only one type scored.
    pub confidence: f64,
}

/// Classifies one customer. Allocates only for the evidence lists.
pub fn classify<'r>(set: &'r TypeSet, c: &Customer, env: &Env<'_>) -> Classification<'r> {
    let mut scores: Vec<Score<'r>> = set
        .types
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let evidence: Vec<&Signal> = t
                .signals
                .iter()
                .filter(|s| match &s.test {
                    Test::Trait(i) => c.traits.contains(*i),
                    Test::When(cond) => cond.holds(c, env),
                })
                .collect();
            Score {
                kind: k,
                score: evidence.iter().map(|s| s.weight).sum(),
                evidence,
            }
        })
        .filter(|s| s.score > 0.0)
        .collect();
    scores.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.kind.cmp(&b.kind)));
    let best = scores.first().map_or(0.0, |s| s.score);
    let runner_up = scores.get(1).map_or(0.0, |s| s.score);
    // No evidence never wins, even where the set asks for no minimum.
    let wins = !scores.is_empty() && best >= set.min_score && best - runner_up >= set.min_margin;
    Classification {
        kind: if wins { scores[0].kind } else { set.fallback },
        confidence: if best > 0.0 {
            (best - runner_up) / best
        } else {
            0.0
        },
        scores,
    }
}

fn evidence_text(signals: &[&Signal], lang: Lang) -> String {
    signals
        .iter()
        .map(|s| {
            let label = if lang == Lang::Zh {
                &s.label_zh
            } else {
                &s.label
            };
            format!("{label} (+{})", s.weight)
        })
        .collect::<Vec<_>>()
        .join(if lang == Lang::Zh { "；" } else { "; " })
}

pub fn run(args: &ClassifyArgs, ctx: &Context) -> Result<u8> {
    let lock = super::change::lock(ctx, !args.write || args.dry_run)?;
    let purpose = if args.write {
        super::Purpose::Write
    } else {
        super::Purpose::Read
    };
    let loaded = ctx.load(purpose)?;
    let (rules, book) = (&loaded.rules, &loaded.book);
    let set = rules.type_set(args.set.as_deref())?;
    let only = book.select(&args.ids)?;
    let env = Env {
        today: ctx.ws.today,
        extra_columns: &book.extra_columns,
    };
    let indices: Vec<usize> = if only.is_empty() {
        (0..book.customers.len()).collect()
    } else {
        only
    };
    let results: Vec<(usize, Classification<'_>)> = indices
        .iter()
        .map(|&i| (i, classify(set, &book.customers[i], &env)))
        .collect();
    let listing = Listing {
        set,
        customers: &book.customers,
        lang: ctx.lang,
        machine: ctx.format.is_machine(),
    };
    let table = if args.explain {
        listing.explained(&results)
    } else {
        listing.chosen(&results)
    };
    if args.write {
        let accepts = |v: &str| rules.type_id(v).is_some();
        let written = super::change::Written {
            writer: "classify".to_string(),
            values: set.types.iter().map(|t| t.id.clone()).collect(),
            accepts: &accepts,
            default: "type",
        };
        super::change::check_destination(&args.field, &written, book, rules, &ctx.ws.columns)?;
        let values = results
            .iter()
            .map(|(i, r)| (*i, set.types[r.kind].id.clone()));
        let chinese = chinese_type_names(book, rules, &args.field, &ctx.ws.columns);
        let spell = |id: &str| match set.types.iter().find(|t| t.id == id) {
            Some(t) if chinese => t.zh.clone(),
            _ => id.to_string(),
        };
        let to = super::change::Destination {
            name: &args.field,
            zh: None,
            spell: &spell,
            columns: &ctx.ws.columns,
        };
        let proposed = super::change::propose_values(book, &to, values, "classify");
        super::change::apply(
            ctx,
            loaded,
            &proposed,
            lock,
            args.dry_run,
            false,
            !args.dry_run,
        )?;
        if args.dry_run {
            return Ok(0);
        }
    }
    with_stdout(|out| ctx.printer(out).table(&table))?;
    Ok(0)
}

/// How `classify` lists its answers.
struct Listing<'a> {
    set: &'a TypeSet,
    customers: &'a [Customer],
    lang: Lang,
    machine: bool,
}

impl<'a> Listing<'a> {
    /// A type's name: its id for machines, else its name in the language.
    fn name_of(&self, k: usize) -> &'a str {
        let t = &self.set.types[k];
        if self.machine {
            t.id.as_str()
        } else if self.lang == Lang::Zh {
            t.zh.as_str()
        } else {
            t.en.as_str()
        }
    }

    /// A row per customer: the type chosen, its score, the runner-up, the confidence, the
    /// evidence and the strategy.
    fn chosen(&self, results: &[(usize, Classification<'_>)]) -> Table<'a> {
        let mut t = Table::new(vec![
            Column::new("id", "ID", "编号"),
            Column::new("name", "Name", "客户名称"),
            Column::new("type", "Type", "类型"),
            // Below 120 columns: who, what type, why, and how to handle them.
            Column::new("score", "Score", "得分").wide_only(),
            Column::new("runner_up", "Runner-up", "次选").wide_only(),
            Column::new("confidence", "Confidence", "置信度").wide_only(),
            Column::new("evidence", "Evidence", "依据"),
            Column::new("strategy", "Strategy", "策略"),
        ]);
        for (i, result) in results {
            let c = &self.customers[*i];
            let chosen = result.scores.iter().find(|s| s.kind == result.kind);
            let runner_up = result.scores.iter().find(|s| s.kind != result.kind);
            let evidence = chosen.map_or_else(
                || fallback_reason(result, self.lang),
                |s| evidence_text(&s.evidence, self.lang),
            );
            t.rows.push(vec![
                Cell::text(&*c.id),
                Cell::text(&*c.name),
                Cell::text(self.name_of(result.kind)),
                Cell::Dec(chosen.map_or(0.0, |s| s.score), 1),
                runner_up.map_or(Cell::Empty, |s| Cell::text(self.name_of(s.kind))),
                Cell::Dec(result.confidence, 2),
                Cell::text(evidence),
                Cell::text(self.set.types[result.kind].strategy.get(self.lang)),
            ]);
        }
        t
    }

    /// A row per type that scored for a customer (and the fallback when it was chosen):
    /// the score, whether it was chosen, and the signals behind it.
    fn explained(&self, results: &[(usize, Classification<'_>)]) -> Table<'a> {
        let mut t = Table::new(vec![
            Column::new("id", "ID", "编号"),
            Column::new("name", "Name", "客户名称"),
            Column::new("type", "Type", "类型"),
            Column::new("score", "Score", "得分"),
            Column::new("chosen", "Chosen", "选中"),
            Column::new("evidence", "Evidence", "依据"),
        ]);
        for (i, result) in results {
            let c = &self.customers[*i];
            let mut row = |kind: usize, score: f64, evidence: String| {
                t.rows.push(vec![
                    Cell::text(&*c.id),
                    Cell::text(&*c.name),
                    Cell::text(self.name_of(kind)),
                    Cell::Dec(score, 1),
                    Cell::Bool(kind == result.kind),
                    Cell::text(evidence),
                ]);
            };
            for s in &result.scores {
                row(s.kind, s.score, evidence_text(&s.evidence, self.lang));
            }
            if !result.scores.iter().any(|s| s.kind == result.kind) {
                row(result.kind, 0.0, fallback_reason(result, self.lang));
            }
        }
        t
    }
}

/// Whether the column classify writes to holds mostly Chinese type names (理智型): its
/// answers are then written so too.
fn chinese_type_names(
    book: &crate::store::Book,
    rules: &crate::rules::Rules,
    name: &str,
    columns: &[(crate::model::Field, String)],
) -> bool {
    let field = crate::store::field_for_header(name, columns);
    let cells = crate::store::style::column_cells(book, |h| {
        h.trim() == name || (field.is_some() && crate::store::field_for_header(h, columns) == field)
    });
    let named: Vec<&String> = cells
        .iter()
        .filter(|c| rules.type_id(c).is_some())
        .collect();
    let chinese = named.iter().filter(|c| !c.is_ascii()).count();
    chinese * 2 > named.len()
}

/// Why the fallback was chosen: no evidence, or evidence too weak or too mixed.
fn fallback_reason(result: &Classification<'_>, lang: Lang) -> String {
    match (result.scores.is_empty(), lang) {
        (true, Lang::En) => "no evidence".into(),
        (true, Lang::Zh) => "无依据".into(),
        (false, Lang::En) => "evidence too weak or mixed".into(),
        (false, Lang::Zh) => "依据不足或相互矛盾".into(),
    }
}

#[cfg(test)]
mod tests;
