//! The compiler's SQL, exactly, for small conditions in each dialect: the evaluator's null
//! logic made explicit, each dialect's own spelling of a date, a list or a literal.

use chrono::NaiveDate;

use super::dialect::Dialect;
use super::expr::Compiler;
use crate::rules::Rules;
use crate::rules::expr::{Compiled, compile, parse};

fn compiled(rules: &Rules, src: &str) -> Compiled {
    compile(&parse(src).unwrap(), &rules.traits).unwrap()
}

fn sql(dialect: Dialect, src: &str) -> String {
    let rules = Rules::load(None, None).unwrap();
    let compiler = Compiler {
        dialect,
        today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        traits: &rules.traits.traits,
        effective_grade: false,
    };
    compiler.compile(&compiled(&rules, src)).unwrap()
}

/// A comparison with a missing value is false, never NULL, and `!` of it is true: each
/// comparison is wrapped in `coalesce(…, false)` before `NOT` sees it.
#[test]
fn comparisons_are_never_null() {
    assert_eq!(
        sql(Dialect::Duckdb, "revenue > 0"),
        r#"coalesce((c."revenue" > CAST(0 AS BIGINT)), FALSE)"#
    );
    assert_eq!(
        sql(Dialect::Duckdb, "!(revenue > 0) && has(profit)"),
        r#"((NOT coalesce((c."revenue" > CAST(0 AS BIGINT)), FALSE)) AND (c."profit" IS NOT NULL))"#
    );
    // A gate flag is a boolean that is never NULL: has() of it is the flag itself.
    assert_eq!(sql(Dialect::Spark, "has(price_agreed)"), "c.`price_agreed`");
}

/// A division is a double, and NULL (the evaluator's missing value) for a zero divisor.
#[test]
fn division_by_zero_is_null() {
    assert_eq!(
        sql(Dialect::Postgres, "revenue / order_count"),
        r#"(CAST(c."revenue" AS DOUBLE PRECISION) / NULLIF(CAST(c."order_count" AS DOUBLE PRECISION), 0))"#
    );
}

/// Stages compare in their order (potential 0, trial 1, …), not by their ids' spelling
/// ("formal" < "trial" alphabetically).
#[test]
fn stages_compare_in_their_order() {
    assert_eq!(
        sql(Dialect::Duckdb, r#"stage >= "trial""#),
        "coalesce(((CASE c.\"stage\" WHEN 'potential' THEN 0 WHEN 'trial' THEN 1 \
         WHEN 'intent' THEN 2 WHEN 'quasi' THEN 3 WHEN 'formal' THEN 4 END) >= \
         (CASE 'trial' WHEN 'potential' THEN 0 WHEN 'trial' THEN 1 WHEN 'intent' THEN 2 \
         WHEN 'quasi' THEN 3 WHEN 'formal' THEN 4 END)), FALSE)"
    );
    assert_eq!(
        sql(Dialect::Duckdb, r#"stage in ["quasi", "formal"]"#),
        r#"coalesce(c."stage" IN ('quasi', 'formal'), FALSE)"#
    );
}

/// A trait is an element of the `;`-separated list: each dialect's list function.
#[test]
fn traits_are_looked_up_with_each_dialects_list_function() {
    let src = r#"has_trait("presses_price")"#;
    assert_eq!(
        sql(Dialect::Duckdb, src),
        r#"coalesce(list_contains(string_split(c."traits", ';'), 'presses_price'), FALSE)"#
    );
    assert_eq!(
        sql(Dialect::Postgres, src),
        r#"coalesce(('presses_price' = ANY(string_to_array(c."traits", ';'))), FALSE)"#
    );
    assert_eq!(
        sql(Dialect::Spark, src),
        "coalesce(array_contains(split(c.`traits`, ';'), 'presses_price'), FALSE)"
    );
}

/// Today is a literal; days between dates in each dialect.
#[test]
fn days_since_counts_from_the_literal_today() {
    let src = "days_since(last_contact)";
    assert_eq!(
        sql(Dialect::Duckdb, src),
        r#"CAST((DATE '2026-11-22' - c."last_contact") AS BIGINT)"#
    );
    assert_eq!(
        sql(Dialect::Postgres, src),
        r#"(DATE '2026-11-22' - c."last_contact")"#
    );
    assert_eq!(
        sql(Dialect::Spark, src),
        "datediff(DATE '2026-11-22', c.`last_contact`)"
    );
}

/// A birthday's next day on or after 2026-11-22: this year's from 11-22 on, else next
/// year's; 2026 and 2027 have no 29 February, so it falls on the 28th.
#[test]
fn a_birthday_falls_on_its_next_occurrence() {
    let md = r#"c."birthday""#;
    let on = |y: i32| {
        format!(
            "CAST(concat('{y}-', (CASE WHEN {md} = '02-29' THEN '02-28' ELSE {md} END)) AS DATE)"
        )
    };
    assert_eq!(
        sql(Dialect::Duckdb, "days_until(birthday)"),
        format!(
            "CAST(((CASE WHEN {md} >= '11-22' THEN {} ELSE {} END) - DATE '2026-11-22') AS BIGINT)",
            on(2026),
            on(2027)
        )
    );
}

/// bucket(x, [a, b]) is 1 plus how many thresholds x reaches, NULL for a missing x.
#[test]
fn buckets_count_the_thresholds_reached() {
    assert_eq!(
        sql(Dialect::Duckdb, "bucket(months_with_orders, [1, 3.5])"),
        "(CASE WHEN CAST(c.\"months_with_orders\" AS DOUBLE) IS NULL THEN NULL ELSE 1 \
         + (CASE WHEN CAST(c.\"months_with_orders\" AS DOUBLE) >= CAST(1.0 AS DOUBLE) THEN 1 ELSE 0 END) \
         + (CASE WHEN CAST(c.\"months_with_orders\" AS DOUBLE) >= CAST(3.5 AS DOUBLE) THEN 1 ELSE 0 END) END)"
    );
}

/// Spark reads a backslash in a string literal as an escape; the others do not. A quote
/// is doubled everywhere.
#[test]
fn string_literals_are_escaped_per_dialect() {
    assert_eq!(Dialect::Duckdb.string(r"O'Neil\x"), r"'O''Neil\x'");
    assert_eq!(Dialect::Postgres.string(r"O'Neil\x"), r"'O''Neil\x'");
    assert_eq!(Dialect::Spark.string(r"O'Neil\x"), r"'O''Neil\\x'");
    assert_eq!(Dialect::Spark.ident("a`b"), "`a``b`");
    assert_eq!(Dialect::Postgres.ident("a\"b"), "\"a\"\"b\"");
}

/// Month arithmetic clamps to the month's end in each dialect's own way (DuckDB's
/// `to_months` and PostgreSQL's interval clamp, as Spark's `add_months` does: 31 January
/// plus a month is the last day of February).
#[test]
fn month_arithmetic_is_one_expression_per_dialect() {
    assert_eq!(
        Dialect::Duckdb.add_months("d", "2"),
        "CAST(d + to_months(CAST(2 AS INTEGER)) AS DATE)"
    );
    assert_eq!(
        Dialect::Postgres.add_months("d", "2"),
        "CAST(d + make_interval(months => CAST(2 AS INTEGER)) AS DATE)"
    );
    assert_eq!(
        Dialect::Spark.add_months("d", "2"),
        "add_months(d, CAST(2 AS INT))"
    );
}

/// FILTER where the engine has it; a CASE inside the aggregate in Spark, DISTINCT kept.
#[test]
fn filtered_aggregates_per_dialect() {
    assert_eq!(
        Dialect::Postgres.filtered("count", "DISTINCT m", "k = 1"),
        "count(DISTINCT m) FILTER (WHERE k = 1)"
    );
    assert_eq!(
        Dialect::Spark.filtered("count", "DISTINCT m", "k = 1"),
        "count(DISTINCT CASE WHEN k = 1 THEN m END)"
    );
}

/// A decimal printed as Rust prints it: DuckDB's `printf` rounds the double's exact value
/// to even on a tie, as Rust does; PostgreSQL and Spark round in doubles (checked on DuckDB
/// against Rust's `{:.0}`, `{:.1}`, `{:.2}` over 105,172 values, ties such as 0.125 and
/// near-ties such as 1.005 among them, while this was written).
#[test]
fn decimals_round_as_rust_prints_them() {
    assert_eq!(Dialect::Duckdb.fixed("v", 2), "printf('%.2f', v)");
    assert_eq!(
        Dialect::Postgres.fixed("v", 2),
        Dialect::Postgres.fixed_exact("v", 2)
    );
    let spark = Dialect::Spark.fixed("v", 0);
    assert!(
        spark.starts_with(
            "((CASE WHEN CAST(v AS DOUBLE) < 0 THEN '-' ELSE '' END) || CAST(CAST((CASE WHEN"
        ),
        "{spark}"
    );
    assert!(
        Dialect::Spark
            .fixed("v", 2)
            .ends_with(" % 100) AS STRING), 2, '0'))")
    );
}
