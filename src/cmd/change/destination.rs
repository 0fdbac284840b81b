//! The column `tier --write` and `classify --write` store their answers in, checked before
//! anything is written: not nameless, not the id, not a field the book reads as another kind
//! (money, dates, a stage, flags, ratings, …) unless what is written is of that kind (grade
//! letters in `grade`, type ids in `type`), and not a column the rule files read unless it
//! already holds only what is written.

use crate::error::{Error, Result};
use crate::model::messages::commands::guard::GuardMsg;
use crate::model::{Enumeration, Field, FieldType, Grade, ListKind, Stage};
use crate::rules::Rules;
use crate::rules::expr::{Compiled, Expr, ExprKind};
use crate::rules::tiers::SchemeKind;
use crate::rules::types::Test;
use crate::store::Book;

/// What a `--write` command stores.
pub struct Written<'a> {
    /// The command as the user would type it: `tier --scheme abc`, `classify`.
    pub writer: String,
    /// Every value it may write, by id.
    pub values: Vec<String>,
    /// Whether a cell already holds one of them (by id, or as a column spells it).
    pub accepts: &'a dyn Fn(&str) -> bool,
    /// The column it writes to without `--field`.
    pub default: &'a str,
}

/// Refuses (exit 2, nothing written) a destination that would overwrite what the book or
/// the rules need; `name` is `--field` (or the default column).
pub fn check(
    name: &str,
    written: &Written<'_>,
    book: &Book,
    rules: &Rules,
    columns: &[(Field, String)],
) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::Usage(
            GuardMsg::EmptyField { given: name }.to_string(),
        ));
    }
    let suggest = |written: &Written<'_>| {
        if field_of(written.default, columns).is_none_or(|f| holds(f, &written.values, rules)) {
            written.default.to_string()
        } else {
            format!("{}_tier", written.default)
        }
    };
    if let Some(field) = field_of(name, columns) {
        if holds(field, &written.values, rules) {
            return Ok(());
        }
        let header = super::header_of(book, field, columns).unwrap_or_else(|| name.to_string());
        let mut values: Vec<String> = written.values.iter().take(4).cloned().collect();
        if written.values.len() > 4 {
            values.push("…".to_string());
        }
        return Err(Error::Usage(
            GuardMsg::WrongField {
                given: name.trim(),
                header: header.trim(),
                field: field.name(),
                kind: (field != Field::Id).then(|| field.ty()),
                writer: &written.writer,
                values: &values,
                suggest: &suggest(written),
            }
            .to_string(),
        ));
    }
    let same = |column: &str| column.trim().eq_ignore_ascii_case(name.trim());
    let read = columns_read(rules);
    if let Some(column) = read.iter().find(|c| same(c)) {
        let other = book
            .extra_columns
            .iter()
            .position(|c| same(c))
            .is_some_and(|x| {
                book.customers.iter().any(|c| {
                    c.extra(x)
                        .is_some_and(|v| !v.trim().is_empty() && !(written.accepts)(v.trim()))
                })
            });
        if other {
            return Err(Error::Usage(
                GuardMsg::RuleColumn {
                    given: name.trim(),
                    header: column,
                    writer: &written.writer,
                    suggest: &suggest(written),
                }
                .to_string(),
            ));
        }
    }
    Ok(())
}

/// The field a destination names: a column of the book's (by `[columns]`, name or alias),
/// or one of the figures the log gives (`order_count`), which a column would not set.
fn field_of(name: &str, columns: &[(Field, String)]) -> Option<Field> {
    crate::store::field_for_header(name, columns)
        .or_else(|| Field::by_name(name.trim()).filter(|f| !f.is_stored()))
}

/// Whether `field` holds values of the kind written: every value a grade for `grade`, a
/// stage for `stage`, a list for `list`, a type for `type`. Nothing else holds tiers or types.
fn holds(field: Field, values: &[String], rules: &Rules) -> bool {
    let all = |ok: &dyn Fn(&str) -> bool| values.iter().all(|v| ok(v));
    match (field, field.ty()) {
        (_, FieldType::Grade) => all(&|v| Grade::parse(v).is_some()),
        (_, FieldType::Stage) => all(&|v| Stage::parse(v).is_some()),
        (_, FieldType::List) => all(&|v| ListKind::parse(v).is_some()),
        (Field::Type, _) => all(&|v| rules.type_id(v).is_some()),
        _ => false,
    }
}

/// The columns the rule files' conditions read with `field("...")`.
pub fn columns_read(rules: &Rules) -> Vec<String> {
    let mut conditions: Vec<&Compiled> = Vec::new();
    for stage in &rules.stages {
        conditions.extend(stage.gate.iter().map(|g| &g.condition));
    }
    for scheme in &rules.tiers {
        match &scheme.kind {
            SchemeKind::Pareto { metric }
            | SchemeKind::Rank { metric }
            | SchemeKind::Thresholds { metric } => conditions.push(metric),
            SchemeKind::Rules { rules, .. } => {
                conditions.extend(rules.iter().map(|r| &r.condition));
            }
            SchemeKind::Score { criteria } => conditions.extend(criteria.iter().map(|c| &c.value)),
            SchemeKind::Rfm {
                recency,
                frequency,
                money,
                ..
            } => conditions.extend([recency, frequency, money]),
        }
    }
    for set in &rules.type_sets {
        for t in &set.types {
            for signal in &t.signals {
                if let Test::When(c) = &signal.test {
                    conditions.push(c);
                }
            }
        }
    }
    conditions.extend(&rules.cadence.holidays_for);
    let mut out = Vec::new();
    for c in conditions {
        // The condition as written parses: it was checked when the rules loaded.
        if let Ok(expr) = crate::rules::expr::parse(&c.text) {
            extra_columns(&expr, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

fn extra_columns(e: &Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Call(name, args) => {
            if name == "field"
                && let [
                    Expr {
                        kind: ExprKind::Str(column),
                        ..
                    },
                ] = args.as_slice()
            {
                out.push(column.clone());
            }
            args.iter().for_each(|a| extra_columns(a, out));
        }
        ExprKind::List(items) => items.iter().for_each(|a| extra_columns(a, out)),
        ExprKind::Unary(_, a) => extra_columns(a, out),
        ExprKind::Binary(_, a, b) => {
            extra_columns(a, out);
            extra_columns(b, out);
        }
        ExprKind::Cond(a, b, c) => {
            extra_columns(a, out);
            extra_columns(b, out);
            extra_columns(c, out);
        }
        ExprKind::Null
        | ExprKind::Bool(_)
        | ExprKind::Int(_)
        | ExprKind::Dec(_)
        | ExprKind::Str(_)
        | ExprKind::Ident(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded rules read no column by name; a workspace's condition that does is found
    /// wherever the column's name sits in it.
    #[test]
    fn the_columns_the_rules_read_are_found() {
        let rules = Rules::load(None, None).unwrap();
        assert!(columns_read(&rules).is_empty());
        let dir = tempfile::tempdir().unwrap();
        let tiers = crate::rules::EMBEDDED
            .iter()
            .find(|(name, _)| *name == "tiers")
            .unwrap()
            .1
            .replace(
                "{ tier = \"E\", when = \"list == \\\"black\\\"\"",
                "{ tier = \"E\", when = \"!(field(\\\"region\\\") == \\\"north\\\") && (has(revenue) ? field(\\\"Zone\\\") == \\\"x\\\" : false) || list == \\\"black\\\"\"",
            );
        assert!(tiers.contains("region"), "the rule was edited");
        std::fs::write(dir.path().join("tiers.toml"), tiers).unwrap();
        let rules = Rules::load(Some(dir.path()), None).unwrap();
        assert_eq!(columns_read(&rules), ["Zone", "region"]);
    }
}
