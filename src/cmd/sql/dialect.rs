//! The SQL dialects `clientele sql` and `clientele export` write: every difference between
//! DuckDB, PostgreSQL and Spark SQL is a method here, so that the compiler above prints the
//! same plan for all three.
//!
//! Hand-written rather than built with the `sqlparser` crate: its AST's `Display` prints one
//! generic syntax (its dialects are for *parsing*), so the differences below (date and month
//! arithmetic, string escapes, identifier quotes, `FILTER`, collation, median) would still
//! have to be written by hand, around an AST far larger than the few shapes a query here
//! takes.

use chrono::NaiveDate;

/// A SQL engine the output is meant for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    Duckdb,
    Postgres,
    Spark,
}

impl Dialect {
    /// A quoted identifier (`type`, `list` and `name` are keywords somewhere).
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A string literal. Spark reads a backslash in a literal as an escape; the others
    /// (PostgreSQL with its default standard_conforming_strings) take it as it is.
    pub fn string(self, text: &str) -> String {
        let quoted = text.replace('\'', "''");
        match self {
            Dialect::Spark => format!("'{}'", quoted.replace('\\', "\\\\")),
            _ => format!("'{quoted}'"),
        }
    }

    pub fn date(self, d: NaiveDate) -> String {
        format!("DATE '{}'", d.format("%Y-%m-%d"))
    }

    /// A double-precision literal, exactly the f64 given (Rust prints the shortest text
    /// that reads back as it).
    pub fn double(self, x: f64) -> String {
        format!("CAST({x:?} AS {})", self.double_type())
    }

    /// An amount of money in currency units, from integer cents.
    pub fn money(self, cents: i64) -> String {
        let mut text = String::new();
        crate::model::value::push_amount(&mut text, cents);
        format!("CAST({text} AS {})", Self::MONEY)
    }

    pub const MONEY: &str = "DECIMAL(18,2)";

    pub fn text_type(self) -> &'static str {
        match self {
            Dialect::Duckdb => "VARCHAR",
            Dialect::Postgres => "TEXT",
            Dialect::Spark => "STRING",
        }
    }

    pub fn double_type(self) -> &'static str {
        match self {
            Dialect::Postgres => "DOUBLE PRECISION",
            _ => "DOUBLE",
        }
    }

    pub fn to_double(self, x: &str) -> String {
        format!("CAST({x} AS {})", self.double_type())
    }

    pub fn to_text(self, x: &str) -> String {
        format!("CAST({x} AS {})", self.text_type())
    }

    /// Days from `earlier` to `later` (negative when before), as an integer.
    pub fn days_between(self, later: &str, earlier: &str) -> String {
        match self {
            Dialect::Spark => format!("datediff({later}, {earlier})"),
            Dialect::Duckdb => format!("CAST(({later} - {earlier}) AS BIGINT)"),
            Dialect::Postgres => format!("({later} - {earlier})"),
        }
    }

    /// `d` plus `n` days (n an integer expression).
    pub fn add_days(self, d: &str, n: &str) -> String {
        match self {
            Dialect::Spark => format!("date_add({d}, CAST({n} AS INT))"),
            Dialect::Duckdb => format!("CAST({d} + CAST({n} AS INTEGER) AS DATE)"),
            Dialect::Postgres => format!("({d} + CAST({n} AS INTEGER))"),
        }
    }

    /// `d` plus `n` months, a day past the month's end clamped to its last day (31 January
    /// plus one month is 28 or 29 February), as chrono's `checked_add_months` does.
    pub fn add_months(self, d: &str, n: &str) -> String {
        match self {
            Dialect::Spark => format!("add_months({d}, CAST({n} AS INT))"),
            Dialect::Duckdb => format!("CAST({d} + to_months(CAST({n} AS INTEGER)) AS DATE)"),
            Dialect::Postgres => {
                format!("CAST({d} + make_interval(months => CAST({n} AS INTEGER)) AS DATE)")
            }
        }
    }

    /// Whether the `;`-separated list of ids `list` holds `item` (NULL when `list` is).
    pub fn list_has(self, list: &str, item: &str) -> String {
        match self {
            Dialect::Duckdb => format!("list_contains(string_split({list}, ';'), {item})"),
            Dialect::Postgres => format!("({item} = ANY(string_to_array({list}, ';')))"),
            Dialect::Spark => format!("array_contains(split({list}, ';'), {item})"),
        }
    }

    /// An aggregate over the rows where `condition` holds: `FILTER (WHERE …)` where the
    /// engine has it, a `CASE` inside the aggregate in Spark. `arg` may start with
    /// `DISTINCT `.
    pub fn filtered(self, aggregate: &str, arg: &str, condition: &str) -> String {
        match self {
            Dialect::Spark => {
                let (distinct, arg) = match arg.strip_prefix("DISTINCT ") {
                    Some(rest) => ("DISTINCT ", rest),
                    None => ("", arg),
                };
                format!("{aggregate}({distinct}CASE WHEN {condition} THEN {arg} END)")
            }
            _ => format!("{aggregate}({arg}) FILTER (WHERE {condition})"),
        }
    }

    /// The median of `x` over a group: the mean of the two middle values for an even count.
    pub fn median(self, x: &str) -> String {
        match self {
            Dialect::Duckdb => format!("quantile_cont({x}, 0.5)"),
            Dialect::Postgres => format!("percentile_cont(0.5) WITHIN GROUP (ORDER BY {x})"),
            Dialect::Spark => format!("percentile({x}, 0.5)"),
        }
    }

    /// `x` as a sort key that orders text by its bytes (UTF-8 code points), as Rust's `str`
    /// does: PostgreSQL otherwise sorts by the database's locale.
    pub fn bytewise(self, x: &str) -> String {
        match self {
            Dialect::Postgres => format!("{x} COLLATE \"C\""),
            _ => x.to_string(),
        }
    }

    /// The texts `x` of a group joined by `sep` in the order of `by` (an aggregate). Spark
    /// has no ordered `string_agg`: it sorts the collected (`by`, `x`) pairs.
    pub fn joined(self, x: &str, sep: &str, by: &str) -> String {
        let sep = self.string(sep);
        match self {
            Dialect::Spark => format!(
                "concat_ws({sep}, transform(array_sort(collect_list(named_struct('k', {by}, 'v', {x}))), p -> p.v))"
            ),
            _ => format!("string_agg({x}, {sep} ORDER BY {by})"),
        }
    }

    /// Integer division rounding towards zero.
    pub fn int_div(self, a: &str, b: &str) -> String {
        match self {
            Dialect::Duckdb => format!("({a} // {b})"),
            Dialect::Postgres => format!("(CAST({a} AS BIGINT) / CAST({b} AS BIGINT))"),
            Dialect::Spark => format!("({a} div {b})"),
        }
    }

    /// A double as clientele prints a decimal: fixed, `places` after the point, rounded as
    /// Rust's `{:.N}` rounds: the double's exact binary value, a tie to even (0.125 is
    /// "0.12", and 1.005, a double a little below it, "1.00"). DuckDB's `printf` does the
    /// same. PostgreSQL's `round(numeric)` rounds the double's 15-digit decimal half away
    /// from zero, and Java's `%.2f` (Spark) its shortest decimal half up, so for them
    /// [`Dialect::fixed_exact`] does the rounding in doubles.
    pub fn fixed(self, x: &str, places: usize) -> String {
        match self {
            Dialect::Duckdb => format!("printf('%.{places}f', {x})"),
            Dialect::Spark | Dialect::Postgres => self.fixed_exact(x, places),
        }
    }

    /// [`Dialect::fixed`] in plain double arithmetic, for values below 2^53 / 10^places.
    /// With `s` = 10^places (a double exactly), `y` = |x|·s as a double and `e` its rounding
    /// error, exactly (Dekker's product: |x| split into two halves of 26 bits, each times
    /// `s` exact), the nearest integer to |x|·s is `floor(y)` or one more, by the fraction
    /// of `y` and, when that is exactly a half, by the sign of `e` (none: a true tie, to
    /// the even one). The integer is printed with the point put back.
    pub fn fixed_exact(self, x: &str, places: usize) -> String {
        let double = |v: f64| self.double(v);
        let scale = 10f64.powi(places as i32);
        let s = double(scale);
        let a = format!("abs({})", self.to_double(x));
        let y = format!("({a} * {s})");
        let t = format!("({a} * {})", double(134_217_729.0));
        let high = format!("({t} - ({t} - {a}))");
        let low = format!("({a} - {high})");
        let e = format!("((({high} * {s}) - {y}) + ({low} * {s}))");
        let f = format!("floor({y})");
        let frac = format!("({y} - {f})");
        let half = double(0.5);
        let zero = double(0.0);
        let n = format!(
            "CAST((CASE WHEN {frac} > {half} OR ({frac} = {half} AND ({e} > {zero} \
             OR ({e} = {zero} AND CAST({f} AS BIGINT) % 2 = 1))) THEN {f} + 1 ELSE {f} END) AS BIGINT)"
        );
        let sign = format!("(CASE WHEN {} < 0 THEN '-' ELSE '' END)", self.to_double(x));
        if places == 0 {
            return format!("({sign} || {})", self.to_text(&n));
        }
        let unit = scale as i64;
        format!(
            "({sign} || {} || '.' || lpad({}, {places}, '0'))",
            self.to_text(&self.int_div(&n, &unit.to_string())),
            self.to_text(&format!("({n} % {unit})")),
        )
    }

    /// A decimal of money as clientele prints it: `1234.50`, `-0.50`.
    pub fn money_text(self, x: &str) -> String {
        self.to_text(&format!("CAST({x} AS {})", Self::MONEY))
    }

    /// A date as ISO text.
    pub fn date_text(self, x: &str) -> String {
        self.to_text(x)
    }

    /// A non-null boolean as `true` / `false`.
    pub fn bool_text(self, x: &str) -> String {
        format!("CASE WHEN {x} THEN 'true' ELSE 'false' END")
    }

    /// The text of an integer.
    pub fn int_text(self, x: &str) -> String {
        self.to_text(&format!("CAST({x} AS BIGINT)"))
    }

    /// Half away from zero, as Rust's `f64::round`, for a value at least zero (PostgreSQL's
    /// `round` of a double rounds half to even).
    pub fn round_half_up(self, x: &str) -> String {
        format!("floor({x} + 0.5)")
    }

    /// A query of the rows given, each a list of SQL literals, under the column names given
    /// (`types`, their SQL types, for a table of no rows: `VALUES` needs one).
    pub fn inline_table(self, columns: &[&str], types: &[&str], rows: &[Vec<String>]) -> String {
        if rows.is_empty() {
            let nulls: Vec<String> = columns
                .iter()
                .zip(types)
                .map(|(c, t)| format!("CAST(NULL AS {t}) AS {c}"))
                .collect();
            return format!("SELECT {} WHERE FALSE", nulls.join(", "));
        }
        let rows: Vec<String> = rows.iter().map(|r| format!("({})", r.join(", "))).collect();
        let (rows, columns) = (
            rows.join(
                ",
        ",
            ),
            columns.join(", "),
        );
        match self {
            Dialect::Spark => format!(
                "SELECT * FROM VALUES
        {rows} AS v({columns})"
            ),
            _ => format!(
                "SELECT * FROM (VALUES
        {rows}) AS v({columns})"
            ),
        }
    }

    /// The day of the week of the date `x`, 0 for Monday to 6 for Sunday.
    pub fn weekday(self, x: &str) -> String {
        let days = self.days_between(x, "DATE '2000-01-03'");
        format!("((({days}) % 7 + 7) % 7)")
    }

    /// The statements a script runs before its query: none, except in Spark, whose
    /// optimizer would otherwise not finish planning `due` (and the report sections built on
    /// it). Its constraint propagation (inferring `IS NOT NULL` and equalities through every
    /// alias of every projection) grows combinatorially along the chain of views that each
    /// add columns to `c.*`: on a book of 25 customers, `sql due` was still being optimized
    /// after five minutes and then ran out of a 2 GB heap. Turning it off for the session
    /// changes the plan's inferred filters only, never the rows.
    pub fn preamble(self) -> &'static str {
        match self {
            Dialect::Spark => "SET spark.sql.constraintPropagation.enabled = false;\n",
            _ => "",
        }
    }

    /// What follows `AS` in the head of a view of the query computed once, as written, not
    /// folded into the views that read it: ` MATERIALIZED` for PostgreSQL, whose planner,
    /// given `due`'s chain of per-customer views folded into one query, chose plans that ran
    /// `report --section lapsing` on the generated 10k book for over 11 minutes (0.9 s
    /// fenced) and `due` in 3.4 s (1.9 s fenced). DuckDB and Spark plan the chain well as it
    /// is (and Spark has no such keyword).
    pub fn fence(self) -> &'static str {
        match self {
            Dialect::Postgres => " MATERIALIZED",
            Dialect::Duckdb | Dialect::Spark => "",
        }
    }
}
