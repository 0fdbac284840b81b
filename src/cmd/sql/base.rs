//! The customers as the rules see them, in SQL: the view `c`, one row per customer of the
//! customers table with every field the native evaluator reads. The fields the log derives
//! come from one `GROUP BY` over the activities table (and the order rhythm from one more
//! over the ordering occasions), combined with the book's own as `store::log::apply`
//! combines them: dates by the later (the first order by the earlier), counts and totals
//! from the log alone.

use chrono::{Datelike, NaiveDate};

use super::dialect::Dialect;
use super::tables::{self, SEQ};
use crate::model::{ActivityKind, Enumeration, Field};

/// Where the two tables are, and what "today" is.
pub struct Source<'a> {
    pub dialect: Dialect,
    pub customers: &'a str,
    pub activities: &'a str,
    pub today: NaiveDate,
    /// Orders closer together than this many days are one ordering occasion.
    pub cluster_days: u32,
}

/// The later of two dates, either of which may be NULL (written out: `greatest` skips
/// NULLs in PostgreSQL and Spark, and not in every engine).
pub(super) fn later(a: &str, b: &str) -> String {
    format!("(CASE WHEN {a} IS NULL THEN {b} WHEN {b} IS NULL OR {a} >= {b} THEN {a} ELSE {b} END)")
}

fn earlier(a: &str, b: &str) -> String {
    format!("(CASE WHEN {a} IS NULL THEN {b} WHEN {b} IS NULL OR {a} <= {b} THEN {a} ELSE {b} END)")
}

impl Source<'_> {
    /// The common table expressions that end in `c` (without the leading `WITH`), each
    /// followed by a comma.
    pub fn ctes(&self) -> String {
        let d = self.dialect;
        let q = |s: &str| d.ident(s);
        let today = d.date(self.today);
        let kinds = |ks: &[ActivityKind]| {
            let ids: Vec<String> = ks.iter().map(|k| d.string(k.id())).collect();
            format!("kind IN ({})", ids.join(", "))
        };
        let touch = kinds(&super::due::touch_kinds());
        let order = kinds(&[ActivityKind::Order]);
        let year_ago = d.date(self.today - chrono::Days::new(365));
        // The months with orders are counted from the first of the month eleven months back.
        let months_from = self
            .today
            .with_day(1)
            .and_then(|x| x.checked_sub_months(chrono::Months::new(11)))
            .map_or_else(|| "DATE '0001-01-01'".to_string(), |x| d.date(x));
        let f = |agg: &str, arg: &str, cond: &str| d.filtered(agg, arg, cond);
        let month = "(EXTRACT(YEAR FROM date) * 12 + EXTRACT(MONTH FROM date))";
        let agg = [
            format!("{} AS touch_on", f("max", "date", &touch)),
            format!("{} AS contact_count", f("count", "1", &touch)),
            format!(
                "{} AS sample_requested",
                f("max", "date", &kinds(&[ActivityKind::SampleRequest]))
            ),
            format!(
                "{} AS sample_received",
                f("max", "date", &kinds(&[ActivityKind::SampleReceived]))
            ),
            format!(
                "{} AS complaint_count",
                f("count", "1", &kinds(&[ActivityKind::Complaint]))
            ),
            format!(
                "{} AS last_complaint",
                f("max", "date", &kinds(&[ActivityKind::Complaint]))
            ),
            format!("{} AS order_count", f("count", "1", &order)),
            format!("{} AS order_total", f("sum", "amount", &order)),
            format!(
                "{} AS order_total_12m",
                f("sum", "amount", &format!("{order} AND date > {year_ago}"))
            ),
            format!(
                "{} AS months_with_orders",
                f(
                    "count",
                    &format!("DISTINCT {month}"),
                    &format!("{order} AND date >= {months_from}")
                )
            ),
            format!("{} AS first_order", f("min", "date", &order)),
            format!("{} AS last_order", f("max", "date", &order)),
        ];
        let gap = d.days_between("date", "before");
        let next = d.days_between("next_on", "date");
        let book_columns: Vec<String> = tables::customer_fields()
            .into_iter()
            .map(|field| {
                let name = q(field.name());
                let own = format!("b.{name}");
                let log = |col: &str| format!("a.{}", q(col));
                match field {
                    Field::LastContact => format!("{} AS {name}", later(&own, &log("touch_on"))),
                    Field::LastOrder => format!("{} AS {name}", later(&own, &log("last_order"))),
                    Field::FirstOrder => {
                        format!("{} AS {name}", earlier(&own, &log("first_order")))
                    }
                    Field::SampleRequested | Field::SampleReceived => {
                        format!("{} AS {name}", later(&own, &log(field.name())))
                    }
                    _ => own,
                }
            })
            .collect();
        let zero = |col: &str| format!("coalesce(a.{0}, 0) AS {0}", q(col));
        let money_zero = |col: &str| {
            format!(
                "CAST(coalesce(a.{0}, 0) AS {1}) AS {0}",
                q(col),
                Dialect::MONEY
            )
        };
        let activities = self.activities;
        let customers = self.customers;
        let seq = q(SEQ);
        let cluster = self.cluster_days;
        let median = d.median("gap");
        format!(
            "log_rows AS (
    SELECT customer_id, date, kind, coalesce(amount, 0) AS amount, {seq} AS seq
    FROM {activities}
    WHERE date <= {today}),
log_totals AS (
    SELECT customer_id,
        {agg}
    FROM log_rows
    GROUP BY customer_id),
order_days AS (
    SELECT DISTINCT customer_id, date FROM log_rows WHERE {order}),
order_steps AS (
    SELECT customer_id, date,
        lag(date) OVER (PARTITION BY customer_id ORDER BY date) AS before
    FROM order_days),
occasions AS (
    SELECT customer_id, date,
        lead(date) OVER (PARTITION BY customer_id ORDER BY date) AS next_on
    FROM order_steps
    WHERE before IS NULL OR {gap} >= {cluster}),
rhythm AS (
    SELECT customer_id, CAST(floor({median}) AS BIGINT) AS order_interval_days
    FROM (SELECT customer_id, {next} AS gap FROM occasions WHERE next_on IS NOT NULL) gaps
    GROUP BY customer_id),
c AS (
    SELECT b.{seq} AS seq,
        {book},
        {order_count}, {complaint_count}, {contact_count},
        {order_total}, {order_total_12m}, {months},
        r.order_interval_days AS order_interval_days,
        a.last_complaint AS last_complaint
    FROM {customers} b
    LEFT JOIN log_totals a ON a.customer_id = b.{id}
    LEFT JOIN rhythm r ON r.customer_id = b.{id}),
",
            agg = agg.join(",\n        "),
            book = book_columns.join(",\n        "),
            order_count = zero("order_count"),
            complaint_count = zero("complaint_count"),
            contact_count = zero("contact_count"),
            order_total = money_zero("order_total"),
            order_total_12m = money_zero("order_total_12m"),
            months = zero("months_with_orders"),
            id = q("id"),
        )
    }
}
