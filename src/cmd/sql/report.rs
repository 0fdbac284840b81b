//! `clientele sql report --section S`: each section of `cmd/report` as SQL over the view
//! `c`, with the rows and columns of `clientele report --section S --format csv`.
//!
//! The figures are counted as `report::figures` counts them: the revenue a customer counts
//! for is the book's, else the log's order total, never below zero; a share is a count or
//! an amount in cents times 100 over the whole, as doubles, printed with two decimals (0
//! for an empty whole). The grades are the effective ones and the workload comes from the
//! follow-ups of `due` with no last day (`due.rs`); the ABC classes and the key customers
//! from the tier schemes `abc` and `key` (`tier.rs`).

use chrono::NaiveDate;

use super::dialect::Dialect;
use super::due;
use super::expr::Compiler;
use super::tier::{self, Shape};
use crate::error::{Error, Result};
use crate::model::messages::commands::{CmdMsg, What};
use crate::model::{ActivityKind, Enumeration, Grade, Stage};

use crate::cmd::report::SECTIONS;

/// The last part of the query of `section` (after the view `c`). `due` is the listing of
/// every follow-up (no owner, grade or date bound), for the workload and the lapsing
/// customers; `since`, the first day of the changes listed (none without it).
pub fn query(
    section: &str,
    compiler: &Compiler<'_>,
    due: &due::Job<'_>,
    since: Option<NaiveDate>,
) -> Result<String> {
    let d = compiler.dialect;
    let rules = due.rules;
    let q = |name: &str| format!("c.{}", d.ident(name));
    let today = d.date(compiler.today);
    Ok(match section {
        "stages" => stages(d),
        "grades" => {
            let keys: Vec<String> = Grade::ALL.iter().map(|g| g.id().to_string()).collect();
            let arms: String = keys
                .iter()
                .enumerate()
                .map(|(i, k)| format!(" WHEN {} THEN {i}", d.string(k)))
                .collect();
            groups(
                d,
                &format!("{},\n", due::ctes(due, compiler)?),
                &format!(
                    "SELECT c.seq, (CASE c.eff_grade{arms} END) AS k, \
                     CAST(NULL AS {}) AS other, r.rev
    FROM due_graded c JOIN report_revenue r ON r.seq = c.seq",
                    d.text_type()
                ),
                &keys,
                "grade",
            )
        }
        "types" => {
            let set = &rules.type_sets[0];
            let mut keys: Vec<String> = set.types.iter().map(|t| t.id.clone()).collect();
            keys.push(String::new());
            let kind = format!("coalesce({}, '')", q("type"));
            let arms: String = keys
                .iter()
                .enumerate()
                .map(|(i, k)| format!(" WHEN {} THEN {i}", d.string(k)))
                .collect();
            groups(
                d,
                "",
                &format!(
                    "SELECT c.seq, (CASE {kind}{arms} END) AS k, {kind} AS other, r.rev
    FROM c JOIN report_revenue r ON r.seq = c.seq"
                ),
                &keys,
                "type",
            )
        }
        "abc" => {
            let scheme = rules.scheme("abc")?;
            let keys: Vec<String> = scheme.tiers.iter().map(|t| t.id.clone()).collect();
            let ranked = tier::shaped(scheme, compiler, Shape::Views)?;
            groups(
                d,
                &format!("{},\n", ranked.trim_end()),
                &format!(
                    "SELECT c.seq, t.t AS k, CAST(NULL AS {}) AS other, r.rev
    FROM c JOIN ranked t ON t.seq = c.seq JOIN report_revenue r ON r.seq = c.seq",
                    d.text_type()
                ),
                &keys,
                "class",
            )
        }
        "owners" => owners(compiler, due)?,
        "key_customers" => match rules.scheme("key") {
            Ok(scheme) => tier::shaped(scheme, compiler, Shape::FirstTier)?,
            Err(_) => {
                let text = d.text_type();
                format!(
                    "report_none AS (SELECT 1 AS one)
SELECT CAST(NULL AS {text}) AS id, CAST(NULL AS {text}) AS name,
    CAST(NULL AS {text}) AS owner, CAST(NULL AS {text}) AS score
FROM report_none WHERE FALSE"
                )
            }
        },
        "lapsing" => format!(
            "{ctes}
SELECT {id} AS id, {name} AS name, {owner} AS owner, {expected} AS expected_order
FROM due_4 c
WHERE c.s_step IS NULL AND c.o_anchor IS NOT NULL AND c.o_lapsing AND {order_grade}
ORDER BY c.seq",
            ctes = due::ctes(due, compiler)?,
            id = q("id"),
            name = q("name"),
            owner = q("owner"),
            expected = d.date_text("c.o_expected"),
            order_grade = due::follows_orders(due, d),
        ),
        "complaints" => complaints(d, &today, due.activities),
        "relationship" => relationship(compiler, rules)?,
        "lost_reasons" => lost_reasons(d),
        "changes" => changes(d, &today, due, since),
        other => {
            return Err(Error::Usage(
                CmdMsg::UnknownName {
                    what: What::Section,
                    text: other,
                    known: &SECTIONS.join(", "),
                }
                .to_string(),
            ));
        }
    })
}

/// The funnel: customers per stage, those who reached it or went further, and the
/// conversion from the stage before (as `figures::funnel`).
fn stages(d: Dialect) -> String {
    let q = |name: &str| format!("c.{}", d.ident(name));
    let fixed = |x: &str| d.fixed(x, 2);
    let ids: Vec<Vec<String>> = Stage::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| vec![i.to_string(), d.string(s.id())])
        .collect();
    format!(
        "report_stage_ids AS (
    {ids}),
report_stage_counts AS (
    SELECT s.k, s.id, count(c.seq) AS count_
    FROM report_stage_ids s LEFT JOIN c ON {stage} = s.id
    GROUP BY s.k, s.id),
report_reached AS (
    SELECT s.*, sum(count_) OVER (ORDER BY k DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS reached
    FROM report_stage_counts s),
report_funnel AS (
    SELECT s.*, lag(reached) OVER (ORDER BY k) AS before FROM report_reached s)
SELECT id AS stage, {count} AS count, {reached} AS reached,
    CASE WHEN before > 0 THEN {conversion} END AS conversion
FROM report_funnel
ORDER BY k",
        ids = d.inline_table(&["k", "id"], &["BIGINT", d.text_type()], &ids),
        stage = q("stage"),
        count = d.int_text("count_"),
        reached = d.int_text("reached"),
        conversion = fixed(&percent(d, "reached", "before")),
    )
}

/// Each owner's customers and follow-ups: due today, overdue, late, in the next 7 days
/// (from `due`'s entries with no last day), by owner.
fn owners(compiler: &Compiler<'_>, due: &due::Job<'_>) -> Result<String> {
    let d = compiler.dialect;
    let q = |name: &str| format!("c.{}", d.ident(name));
    let today = d.date(compiler.today);
    let week = d.date(compiler.today + chrono::Days::new(7));
    Ok(format!(
        "{ctes},
report_owners AS (
    SELECT coalesce({owner}, '') AS owner, count(*) AS customers,
        sum(CASE WHEN e.due = {today} THEN 1 ELSE 0 END) AS due_today,
        sum(CASE WHEN e.due < {today} THEN 1 ELSE 0 END) AS overdue,
        sum(CASE WHEN e.late = 1 THEN 1 ELSE 0 END) AS late,
        sum(CASE WHEN e.due > {today} AND e.due <= {week} THEN 1 ELSE 0 END) AS next_7_days
    FROM c LEFT JOIN due_entries e ON e.seq = c.seq
    GROUP BY coalesce({owner}, ''))
SELECT owner AS owner, {customers} AS customers, {due_today} AS due_today,
    {overdue} AS overdue, {late} AS late, {next} AS next_7_days
FROM report_owners
ORDER BY {by_owner}",
        ctes = due::ctes(due, compiler)?,
        owner = q("owner"),
        customers = d.int_text("customers"),
        due_today = d.int_text("due_today"),
        overdue = d.int_text("overdue"),
        late = d.int_text("late"),
        next = d.int_text("next_7_days"),
        by_owner = d.bytewise("owner"),
    ))
}

/// Complaints per owner: logged, still open, resolved (as `figures`' `OwnerRow` counts
/// them); the owners whose customers never complained left out. A customer's latest
/// complaint is open until a touch after it: a later day (in the log or the book's last
/// contact), or the same day further down the log (as `store::log` decides it).
fn complaints(d: Dialect, today: &str, activities: &str) -> String {
    let q = |name: &str| format!("c.{}", d.ident(name));
    format!(
        "report_touch AS (
    {touch}),
report_complaint AS (
    {complaint}),
report_complaints AS (
    SELECT coalesce({owner}, '') AS owner, sum(c.complaint_count) AS complaints,
        sum(CASE WHEN {open} THEN 1 ELSE 0 END) AS open_
    FROM c
    LEFT JOIN report_touch tl ON tl.customer_id = {id}
    LEFT JOIN report_complaint k ON k.customer_id = {id}
    GROUP BY coalesce({owner}, ''))
SELECT owner AS owner, {complaints} AS complaints, {open_count} AS {open_name},
    {resolved} AS resolved
FROM report_complaints
WHERE complaints > 0
ORDER BY {by_owner}",
        touch = due::latest(d, activities, today, &due::touch_kinds()),
        complaint = due::latest(d, activities, today, &[ActivityKind::Complaint]),
        owner = q("owner"),
        open = due::complaint_open(&q("last_contact")),
        id = q("id"),
        complaints = d.int_text("complaints"),
        open_count = d.int_text("open_"),
        open_name = d.ident("open"),
        resolved = d.int_text("complaints - open_"),
        by_owner = d.bytewise("owner"),
    )
}

/// The customers whose relationship level (the `relationship` scheme's rules) is below
/// their target (its `target` number against `target_levels`: the first level whose
/// minimum it reaches, else the last level's), in book order, as `figures::below_target`;
/// none without the scheme or its target. A tier below is one further down the list.
fn relationship(compiler: &Compiler<'_>, rules: &crate::rules::Rules) -> Result<String> {
    let d = compiler.dialect;
    let q = |name: &str| format!("c.{}", d.ident(name));
    let text = d.text_type();
    let none = format!(
        "report_none AS (SELECT 1 AS one)
SELECT CAST(NULL AS {text}) AS id, CAST(NULL AS {text}) AS name,
    CAST(NULL AS {text}) AS owner, CAST(NULL AS {text}) AS level,
    CAST(NULL AS {text}) AS target
FROM report_none WHERE FALSE"
    );
    let Ok(scheme) = rules.scheme("relationship") else {
        return Ok(none);
    };
    let crate::rules::tiers::SchemeKind::Rules {
        rules: holding,
        default,
        target: Some(target),
    } = &scheme.kind
    else {
        return Ok(none);
    };
    let Some(&(last, _)) = target.levels.last() else {
        return Ok(none);
    };
    let mut level = String::new();
    for r in holding {
        level.push_str(&format!(
            "\n            WHEN {} THEN {}",
            compiler.condition(&r.condition)?,
            r.tier
        ));
    }
    let value = if target.metric.ty.is_numeric() {
        d.to_double(&compiler.compile(&target.metric)?)
    } else {
        "NULL".to_string()
    };
    let aims: String = target
        .levels
        .iter()
        .map(|(tier, min)| format!(" WHEN v >= {} THEN {tier}", d.double(*min)))
        .collect();
    let tier_id = |index: &str| {
        let arms: String = scheme
            .tiers
            .iter()
            .enumerate()
            .map(|(i, t)| format!(" WHEN {i} THEN {}", d.string(&t.id)))
            .collect();
        format!("(CASE {index}{arms} END)")
    };
    Ok(format!(
        "report_levels AS (
    SELECT c.seq, {id} AS id, {name} AS name, {owner} AS owner,
        CASE{level}
            ELSE {default} END AS lv,
        {value} AS v
    FROM c),
report_targets AS (
    SELECT x.*, CASE WHEN v IS NULL THEN {last}{aims} ELSE {last} END AS aim
    FROM report_levels x)
SELECT id AS id, name AS name, owner AS owner, {lv} AS level, {aim} AS target
FROM report_targets
WHERE lv > aim
ORDER BY seq",
        id = q("id"),
        name = q("name"),
        owner = q("owner"),
        lv = tier_id("lv"),
        aim = tier_id("aim"),
    ))
}

/// The reasons of the customers who will not buy, each with how many gave it and their ids
/// in book order: the most given first, then by the reason (bytewise); no reason recorded
/// is a reason of its own, shown empty and sorted as "" (as `figures::lost_reasons`).
fn lost_reasons(d: Dialect) -> String {
    let q = |name: &str| format!("c.{}", d.ident(name));
    format!(
        "report_lost AS (
    SELECT coalesce({reason}, '') AS reason, c.seq, {id} AS id
    FROM c
    WHERE {intent} = {will_not_buy}),
report_reasons AS (
    SELECT reason, count(*) AS n, {ids} AS ids
    FROM report_lost
    GROUP BY reason)
SELECT CASE WHEN g.reason <> '' THEN g.reason END AS reason, {n} AS customers, g.ids AS ids
FROM report_reasons g
ORDER BY g.n DESC, {by_reason}",
        reason = q("intent_reason"),
        id = q("id"),
        intent = q("intent"),
        will_not_buy = d.string(crate::model::Intent::WillNotBuy.id()),
        ids = d.joined("id", ", ", "seq"),
        n = d.int_text("g.n"),
        // Of the groups' reasons, not the column shown (NULL for none).
        by_reason = d.bytewise("g.reason"),
    )
}

/// The stage and grade changes the log holds from `since` to today (none without it), by
/// date, id and place in the log, as `store::log` keeps them.
fn changes(d: Dialect, today: &str, due: &due::Job<'_>, since: Option<NaiveDate>) -> String {
    let kinds = [ActivityKind::StageChange, ActivityKind::GradeChange];
    let ids: Vec<String> = kinds.iter().map(|k| d.string(k.id())).collect();
    let since = since.map_or("FALSE".to_string(), |s| format!("date >= {}", d.date(s)));
    format!(
        "report_changes AS (
    SELECT date, customer_id, kind, note, {seq} AS seq
    FROM {activities}
    WHERE kind IN ({ids}) AND {since} AND date <= {today})
SELECT {date} AS date, customer_id AS id, kind AS kind, note AS note
FROM report_changes
ORDER BY date, {by_id}, seq",
        seq = d.ident(super::tables::SEQ),
        activities = due.activities,
        ids = ids.join(", "),
        date = d.date_text("date"),
        by_id = d.bytewise("customer_id"),
    )
}

/// A table of groups of customers (`report_revenue` gives each its revenue): `keyed` gives
/// each customer's group `k` (its place among the known keys) or `other`, and the table
/// (its first column `key`) lists `keys` then the others in the order the book first has
/// them, as `figures::Counts`; a known key of no customers is listed, but for the types'
/// unclassified row (""). `views` come first.
fn groups(d: Dialect, views: &str, keyed: &str, keys: &[String], key: &str) -> String {
    let q = |name: &str| format!("c.{}", d.ident(name));
    let fixed = |x: &str| d.fixed(x, 2);
    // The revenue the report counts: the book's, else the log's order total, never below 0.
    let revenue = format!(
        "report_revenue AS (
    SELECT c.seq,
        CASE WHEN coalesce({own}, {total}) > 0 THEN coalesce({own}, {total})
        ELSE CAST(0 AS {money}) END AS rev
    FROM c)",
        own = q("revenue"),
        total = q("order_total"),
        money = Dialect::MONEY,
    );
    let known: Vec<Vec<String>> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| vec![i.to_string(), d.string(k)])
        .collect();
    let known_table = d.inline_table(&["k", "key_text"], &["BIGINT", d.text_type()], &known);
    format!(
        "{views}{revenue},
report_keyed AS (
    {keyed}),
report_wholes AS (
    SELECT count(*) AS n, coalesce(sum(r.rev), 0) AS total
    FROM c JOIN report_revenue r ON r.seq = c.seq),
report_counts AS (
    SELECT k, other, min(seq) AS first_seq, count(*) AS count_, sum(rev) AS rev
    FROM report_keyed GROUP BY k, other),
report_known AS (
    {known_table}),
report_groups AS (
    SELECT g.k, g.key_text, CAST(NULL AS BIGINT) AS first_seq, coalesce(n.count_, 0) AS count_,
        coalesce(n.rev, 0) AS rev
    FROM report_known g LEFT JOIN report_counts n ON n.k = g.k
    UNION ALL
    SELECT NULL, other, first_seq, count_, rev FROM report_counts WHERE k IS NULL)
SELECT g.key_text AS {key}, {count} AS count, {share} AS share, {rev} AS revenue,
    {rev_share} AS revenue_share
FROM report_groups g CROSS JOIN report_wholes w
WHERE g.key_text <> '' OR g.count_ > 0
ORDER BY CASE WHEN g.k IS NULL THEN 1 ELSE 0 END, g.k, g.first_seq",
        count = d.int_text("g.count_"),
        share = fixed(&percent(d, "g.count_", "w.n")),
        rev = d.money_text("g.rev"),
        rev_share = fixed(&percent(d, "g.rev * 100", "w.total * 100")),
        key = d.ident(key),
    )
}

/// `part` in percent of `whole` as doubles, 0 for a whole of 0 (`figures::percent`).
fn percent(d: Dialect, part: &str, whole: &str) -> String {
    format!(
        "CASE WHEN {whole} = 0 THEN {zero} ELSE {} * {} / {} END",
        d.to_double(part),
        d.double(100.0),
        d.to_double(whole),
        zero = d.double(0.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::due::Filter;
    use crate::rules::Rules;

    fn sql(section: &str, since: Option<NaiveDate>) -> Result<String> {
        let rules = Rules::load(None, None).unwrap();
        let compiler = Compiler {
            dialect: Dialect::Duckdb,
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            traits: &rules.traits.traits,
            effective_grade: false,
        };
        let filter = Filter::everything();
        let job = due::Job {
            rules: &rules,
            filter: &filter,
            columns: &[],
            limit: None,
            weekend: &[],
            activities: "log",
            lang: crate::model::Lang::En,
        };
        query(section, &compiler, &job, since)
    }

    /// A share is `part * 100 / whole` in doubles, in that order (as `figures::percent`
    /// computes it), and 0 for a whole of 0 rather than a division by zero.
    #[test]
    fn a_share_is_computed_as_the_report_computes_it() {
        assert_eq!(
            percent(Dialect::Duckdb, "n", "w"),
            "CASE WHEN w = 0 THEN CAST(0.0 AS DOUBLE) \
             ELSE CAST(n AS DOUBLE) * CAST(100.0 AS DOUBLE) / CAST(w AS DOUBLE) END"
        );
    }

    /// The changes are the stage and grade rows of the log from `--since` to today, by
    /// date, id (bytewise) and place in the log; without `--since`, none.
    #[test]
    fn the_changes_run_from_since_to_today() {
        let since = NaiveDate::from_ymd_opt(2026, 10, 1);
        assert_eq!(
            sql("changes", since).unwrap(),
            "report_changes AS (
    SELECT date, customer_id, kind, note, \"seq\" AS seq
    FROM log
    WHERE kind IN ('stage_change', 'grade_change') AND date >= DATE '2026-10-01' AND date <= DATE '2026-11-22')
SELECT CAST(date AS VARCHAR) AS date, customer_id AS id, kind AS kind, note AS note
FROM report_changes
ORDER BY date, customer_id, seq"
        );
        assert!(
            sql("changes", None)
                .unwrap()
                .contains("AND FALSE AND date <=")
        );
    }

    /// A section the report does not have is refused with the report's own words.
    #[test]
    fn an_unknown_section_is_refused() {
        let Err(Error::Usage(message)) = sql("funnel", None) else {
            panic!("funnel is not a section")
        };
        assert_eq!(
            message,
            "unknown section \"funnel\" (known: stages, grades, types, abc, owners, \
             key_customers, lapsing, complaints, relationship, lost_reasons, changes)"
        );
    }

    /// A customer's latest complaint is open unless a touch came after it: a later last
    /// contact (the book's or the log's), or a touch of the same day further down the log;
    /// an owner is listed only with complaints, resolved being those not open.
    #[test]
    fn a_complaint_is_open_until_a_touch_after_it() {
        let text = sql("complaints", None).unwrap();
        assert!(
            text.contains(
                "sum(CASE WHEN k.date IS NOT NULL AND NOT coalesce(c.\"last_contact\" > k.date, FALSE)
            AND NOT coalesce(tl.date = k.date AND tl.seq > k.seq, FALSE) THEN 1 ELSE 0 END) AS open_"
            ),
            "{text}"
        );
        assert!(text.contains("WHERE date <= DATE '2026-11-22' AND kind IN ('complaint')) x"));
        assert!(
            text.ends_with(
                "CAST(CAST(complaints - open_ AS BIGINT) AS VARCHAR) AS resolved
FROM report_complaints
WHERE complaints > 0
ORDER BY owner"
            ),
            "{text}"
        );
    }

    /// The reasons of the customers who will not buy: their ids in book order, the most
    /// given reason first, then by the reason itself (no reason counting as "").
    #[test]
    fn lost_reasons_are_grouped_most_given_first() {
        let text = sql("lost_reasons", None).unwrap();
        assert!(
            text.contains("WHERE c.\"intent\" = 'will_not_buy'),"),
            "{text}"
        );
        assert!(
            text.contains("string_agg(id, ', ' ORDER BY seq) AS ids"),
            "{text}"
        );
        assert!(text.ends_with("ORDER BY g.n DESC, g.reason"), "{text}");
    }

    /// The shipped relationship scheme's target: from 6 partner (tier 0), 5 proactive, 4
    /// accountable, 3 reactive, 2 basic, 0 no sale yet (tier 5, also for no number); a
    /// customer is listed when its level's tier comes after (is below) its target's.
    #[test]
    fn the_relationship_target_is_the_first_level_its_number_reaches() {
        let text = sql("relationship", None).unwrap();
        let double = |x: &str| format!("CAST({x} AS DOUBLE)");
        let want = format!(
            "CASE WHEN v IS NULL THEN 5 WHEN v >= {} THEN 0 WHEN v >= {} THEN 1 \
             WHEN v >= {} THEN 2 WHEN v >= {} THEN 3 WHEN v >= {} THEN 4 \
             WHEN v >= {} THEN 5 ELSE 5 END AS aim",
            double("6.0"),
            double("5.0"),
            double("4.0"),
            double("3.0"),
            double("2.0"),
            double("0.0"),
        );
        assert!(text.contains(&want), "{text}");
        assert!(text.contains("ELSE 4 END AS lv"), "{text}");
        assert!(text.ends_with("WHERE lv > aim\nORDER BY seq"), "{text}");
    }

    /// Spark has no ordered `string_agg`: it sorts the collected pairs by the order key.
    #[test]
    fn texts_are_joined_in_order_in_every_dialect() {
        assert_eq!(
            Dialect::Postgres.joined("id", ", ", "seq"),
            "string_agg(id, ', ' ORDER BY seq)"
        );
        assert_eq!(
            Dialect::Spark.joined("id", ", ", "seq"),
            "concat_ws(', ', transform(array_sort(collect_list(named_struct('k', seq, 'v', id))), p -> p.v))"
        );
    }
}
