-- report.sql: what `clientele --today 2026-11-22 --format json report` computes, in DuckDB
-- SQL: the stage funnel; customers and revenue by grade, by type and by ABC class (Pareto by
-- a window function); the share of revenue held by the top 20 %; the follow-up workload per
-- owner (due today, overdue, late, next 7 days: the whole follow-up engine of due.sql, every
-- customer's earliest follow-up whatever its date); the key customers (the `key` score
-- scheme); the lapsing order customers.
--
-- Run it in the folder holding customers.csv and activities.csv. The sections are plain
-- SELECTs of a few rows each (a few hundred for the lapsing list); duck.py prints each as a CSV
-- section on stdout, where clientele writes one JSON object:
--     cd bench/data/1000000-10000000 && ../../.venv/bin/python ../../duck.py report .
--
-- The book, log and calendar are common.sql's, as for due.sql; the follow-up part is
-- due.sql's with the report's extra columns (keep the two in step); due.sql's notes on what
-- is simplified apply here too. Also simpler than clientele here:
--   * the Pareto curve (200 points, used by `report --html` only) is not computed;
--   * the key score uses the two criteria a generated book can rate (margin from profit /
--     revenue, continuity from months with orders); the eight rating columns (payment, fit,
--     growth, ...) are not in such a book, so, as in clientele, less than half of the weight
--     is known and no customer is scored or listed;
--   * no `changes` section (clientele prints it only with --since);
--   * the lapsing list is sorted by id (clientele keeps book order, which is id order in a
--     generated book).

-- prelude: common.sql (today, the book and log views, the working-day calendar, the
-- birthday macros)

-- The book joined to its log, with every customer's earliest follow-up.
CREATE TEMP TABLE report_book AS
WITH
-- One pass over the log: per customer, the latest touch (call, visit, email, message,
-- order), the latest order, sample request and receipt, and the order dates (for the
-- median gap; made distinct and sorted after the aggregation, which is much faster in DuckDB
-- than list(DISTINCT date)). Rows dated after today are left out, as clientele does.
agg AS (
    SELECT customer_id AS id,
           max(date) FILTER (WHERE kind IN ('call', 'visit', 'email', 'message', 'order')) AS last_touch,
           max(date) FILTER (WHERE kind = 'order') AS last_order,
           min(date) FILTER (WHERE kind = 'order') AS first_order,
           count(*) FILTER (WHERE kind = 'order') AS order_count,
           max(date) FILTER (WHERE kind = 'sample_request') AS sample_requested,
           max(date) FILTER (WHERE kind = 'sample_received') AS sample_received,
           list(date) FILTER (WHERE kind = 'order') AS order_dates,
           -- for the revenue fallback and the key-customer score
           sum(amount) FILTER (WHERE kind = 'order') AS order_total,
           bit_or(1::INTEGER << (12 * (year(getvariable('today')) - year(date))
                                 + month(getvariable('today')) - month(date)))
               FILTER (WHERE kind = 'order'
                       AND 12 * (year(getvariable('today')) - year(date))
                           + month(getvariable('today')) - month(date) < 12) AS order_months
    FROM activities
    WHERE date <= getvariable('today')
    GROUP BY customer_id),
-- The book joined to its log: dates by the later of the two; the order interval is the
-- median gap between distinct order dates (an even count: the mean of the middle two,
-- rounded down), when there are at least two.
book AS (
    SELECT c.id, c.name, c.owner, c.stage, c.type,
           coalesce(upper(c.grade), 'E') AS grade,
           greatest(c.last_contact, a.last_touch) AS last_contact,
           greatest(c.last_order, a.last_order) AS last_order,
           a.first_order,
           greatest(c.sample_requested, a.sample_requested) AS sample_requested,
           greatest(c.sample_received, a.sample_received) AS sample_received,
           list_sort(list_distinct(a.order_dates)) AS order_dates,
           coalesce(a.order_total, 0) AS order_total,
           coalesce(bit_count(a.order_months), 0) AS months_with_orders,
           c.revenue, c.profit,
           c.birthday, c.snooze_until::DATE AS snooze_until,
           c.expected_purchase::DATE AS expected_purchase, c.list
    FROM customers c
    LEFT JOIN agg a ON a.id = c.id),
-- The median gap, from the sorted distinct order dates.
with_interval AS (
    SELECT * EXCLUDE (order_dates),
           CASE WHEN len(order_dates) >= 2 THEN floor(list_aggregate(
               list_transform(range(1, len(order_dates)),
                              lambda i: (order_dates[i + 1] - order_dates[i])::INTEGER),
               'median'))::INTEGER END AS order_interval_days
    FROM book),
-- Grade A (rules/cadence.toml: default interval 30 days, lead 25% of it clamped to 3..21
-- days, then every 7 days, lapsing after 2 intervals): inputs.
a1 AS (
    SELECT *,
           coalesce(last_order, last_contact) AS a_anchor,
           greatest(coalesce(order_interval_days, 30), 1) AS a_interval,
           -- a new customer of grade A or B: at half the gaps (due.sql)
           coalesce(grade IN ('A', 'B') AND getvariable('today') - first_order <= 180, false)
               AS is_new
    FROM with_interval),
a2 AS (
    SELECT *,
           least(greatest(round(a_interval * 0.25)::INTEGER, 3), 21) AS a_lead,
           -- B: the sequence whose anchor is latest (a tie: sample_received, listed first).
           CASE WHEN sample_received IS NOT NULL
                     AND (sample_requested IS NULL OR sample_received >= sample_requested)
                THEN 'received'
                WHEN sample_requested IS NOT NULL THEN 'sample' END AS b_seq
    FROM a1),
a3 AS (
    SELECT *,
           CASE WHEN is_new AND a_interval > a_lead
                THEN a_anchor + greatest(round((a_interval - a_lead) * 0.5)::INTEGER, 1)
                ELSE a_anchor + a_interval - a_lead END AS a_first,
           CASE WHEN is_new THEN 4 ELSE 7 END AS a_repeat,
           CASE b_seq WHEN 'received' THEN sample_received ELSE sample_requested END AS b_anchor,
           -- Step dates: received 3,7,3,7 (cumulative 3,10,13,20); requested 1,1,2,3,7,7,15
           -- (cumulative 1,2,4,7,14,21,36); a new customer's halved (due.sql). Steps met = how
           -- many step dates the last touch reached.
           CASE WHEN b_seq = 'received' AND is_new THEN [2, 6, 8, 12]
                WHEN b_seq = 'received' THEN [3, 10, 13, 20]
                WHEN is_new THEN [1, 2, 3, 5, 9, 13, 21]
                ELSE [1, 2, 4, 7, 14, 21, 36] END AS b_offsets,
           CASE WHEN b_seq = 'received' AND is_new THEN [2, 4, 2, 4]
                WHEN b_seq = 'received' THEN [3, 7, 3, 7]
                WHEN is_new THEN [1, 1, 1, 2, 4, 4, 8]
                ELSE [1, 1, 2, 3, 7, 7, 15] END AS b_gaps
    FROM a2),
a4 AS (
    SELECT *,
           CASE WHEN last_contact IS NULL OR b_anchor IS NULL THEN 0
                ELSE len(list_filter(b_offsets, lambda o: b_anchor + o <= last_contact)) END AS b_met
    FROM a3),
-- The grade's cadence: one candidate per customer.
cadence AS (
    SELECT *,
           -- after a B sequence (or without a sample): the C cadence, every 2 months
           CASE WHEN grade = 'A' THEN NULL
                WHEN grade = 'B' AND b_seq IS NOT NULL AND b_met < len(b_offsets) THEN NULL
                WHEN grade IN ('B', 'C') THEN 2
                WHEN grade = 'D' THEN 3
                ELSE 6 END AS every_months
    FROM a4),
cand AS (
    SELECT *,
           CASE
             WHEN grade = 'A' AND a_anchor IS NULL THEN NULL          -- never contacted
             WHEN grade = 'A' AND last_contact >= a_first
               THEN a_first + (((last_contact - a_first) // a_repeat + 1) * a_repeat)::INTEGER
             WHEN grade = 'A' THEN a_first
             WHEN every_months IS NULL THEN b_anchor + b_offsets[b_met + 1]
             WHEN last_contact IS NULL THEN NULL                       -- never contacted
             WHEN is_new THEN last_contact + greatest(round(
                 ((last_contact + to_months(every_months))::DATE - last_contact) * 0.5)::INTEGER, 1)
             ELSE (last_contact + to_months(every_months))::DATE
           END AS c_due,
           CASE
             WHEN grade = 'A' AND a_anchor IS NULL THEN 'never'
             WHEN grade = 'A' THEN 'order'
             WHEN every_months IS NULL THEN 'step'
             WHEN last_contact IS NULL THEN 'never'
             ELSE 'every'
           END AS c_kind
    FROM cadence),
cand2 AS (
    SELECT *,
           CASE c_kind
             WHEN 'order' THEN CASE WHEN last_contact >= a_first THEN a_repeat ELSE a_lead END
             WHEN 'step' THEN b_gaps[b_met + 1]
             WHEN 'every' THEN c_due - last_contact
           END AS c_gap,
           -- never contacted: due today
           coalesce(c_due, getvariable('today')) AS c_soft,
           -- purchase intent (7 days before the named date), unless a touch already met it
           CASE WHEN expected_purchase IS NOT NULL
                     AND NOT coalesce(last_contact >= expected_purchase - 7, false)
                THEN expected_purchase - 7 END AS p_due,
           -- the birthday's occurrence from 14 days back (lead 0: due on the day)
           CASE WHEN birthday IS NOT NULL
                THEN next_bday(birthday, getvariable('today') - 14) END AS bd_on1
    FROM cand),
-- Candidates as rows (0 cadence, 1 purchase, 2 birthday: the order breaks ties).
cands AS (
    SELECT id, snooze_until, 0 AS ord, c_soft AS soft, c_gap AS gap, NULL::DATE AS on_day
    FROM cand2 WHERE list IS DISTINCT FROM 'black'
    UNION ALL
    SELECT id, snooze_until, 1, p_due, NULL, NULL FROM cand2
    WHERE p_due IS NOT NULL AND list IS DISTINCT FROM 'black'
    UNION ALL
    SELECT id, snooze_until, 2, on_day, NULL, on_day
    FROM (SELECT cand2.id, cand2.snooze_until, cand2.last_contact,
                 -- a greeting day already past (moved to a working day): next year's
                 CASE WHEN coalesce(g.nwd, cand2.bd_on1) < getvariable('today')
                      THEN next_bday(cand2.birthday, cand2.bd_on1 + 1)
                      ELSE cand2.bd_on1 END AS on_day
          FROM cand2 LEFT JOIN cal g ON g.d = cand2.bd_on1
          WHERE cand2.bd_on1 IS NOT NULL AND cand2.list IS DISTINCT FROM 'black')
    WHERE NOT coalesce(last_contact >= on_day, false)),
-- Snooze, then the working-day shift; late = past the hard limit (2 x the gap after the
-- moved cadence date) and not snoozed.
moved AS (
    SELECT k.*,
           coalesce(ds.nwd, greatest(k.soft, k.snooze_until)) AS due,
           coalesce(ms.nwd, k.soft) AS moved_soft
    FROM cands k
    LEFT JOIN cal ds ON ds.d = greatest(k.soft, k.snooze_until)
    LEFT JOIN cal ms ON ms.d = k.soft),
-- Every customer's earliest follow-up, whatever its date (the report's `until` is open).
chosen AS (
    SELECT id,
           arg_min(struct_pack(due, ord,
               late := gap IS NOT NULL
                   AND getvariable('today') > moved_soft + round(gap * (2 - 1))::INTEGER
                   AND (snooze_until IS NULL OR snooze_until <= getvariable('today'))),
               struct_pack(due, ord)) AS e
    FROM moved
    GROUP BY id)
SELECT c.id, c.name, c.owner, c.stage, c.grade, c.type, c.list, c.revenue, c.profit,
       c.order_total, c.months_with_orders, c.last_order, c.a_anchor, c.a_interval, c.c_kind,
       ch.e.due AS due, ch.e.late AS late,
       greatest(coalesce(c.revenue, c.order_total), 0) AS rev
FROM cand2 c
LEFT JOIN chosen ch USING (id);

-- The stage funnel: customers at each stage, those who reached it or went further, and the
-- conversion from the step before.
WITH stages(stage, pos) AS (VALUES ('potential', 1), ('trial', 2), ('intent', 3),
                                   ('quasi', 4), ('formal', 5)),
counts AS (
    SELECT s.stage, s.pos, count(r.id) AS count
    FROM stages s LEFT JOIN report_book r ON lower(r.stage) = s.stage
    GROUP BY s.stage, s.pos),
reached AS (
    SELECT *, sum(count) OVER (ORDER BY pos DESC) AS reached FROM counts)
SELECT stage, count, reached,
       round(reached * 100.0 / nullif(lag(reached) OVER (ORDER BY pos), 0), 2) AS conversion
FROM reached ORDER BY pos;

-- Customers and revenue by grade (revenue: the book's, else the log's order total; never
-- below zero).
WITH grades(grade) AS (VALUES ('A'), ('B'), ('C'), ('D'), ('E')),
g AS (
    SELECT coalesce(k.grade, r.grade) AS grade, count(r.id) AS count, coalesce(sum(r.rev), 0) AS revenue
    FROM grades k FULL JOIN report_book r ON r.grade = k.grade
    GROUP BY ALL)
SELECT grade, count, round(count * 100.0 / sum(count) OVER (), 2) AS share, revenue,
       round(revenue * 100.0 / sum(revenue) OVER (), 2) AS revenue_share
FROM g ORDER BY grade;

-- By type: the nine types of rules/types.toml in their order, then any other value.
WITH types(type, pos) AS (VALUES ('rational', 1), ('task', 2), ('greedy', 3), ('owner', 4),
                                 ('credit_seeker', 5), ('stingy', 6), ('difficult', 7),
                                 ('relationship', 8), ('composite', 9)),
t AS (
    SELECT coalesce(k.type, coalesce(r.type, '')) AS type, coalesce(k.pos, 10) AS pos,
           count(r.id) AS count, coalesce(sum(r.rev), 0) AS revenue
    FROM types k FULL JOIN report_book r ON r.type = k.type
    GROUP BY ALL)
SELECT type, count, round(count * 100.0 / sum(count) OVER (), 2) AS share, revenue,
       round(revenue * 100.0 / sum(revenue) OVER (), 2) AS revenue_share
FROM t ORDER BY pos, type;

-- ABC classes (as tier_abc.sql: metric = revenue, else order total; class by the cumulative
-- share before the customer; ties by id), then customers and revenue per class.
WITH m AS (
    SELECT id, rev,
           CASE WHEN revenue IS NOT NULL THEN revenue ELSE order_total END AS metric
    FROM report_book),
ranked AS (
    SELECT *,
           sum(CASE WHEN metric > 0 THEN metric ELSE 0 END) OVER () AS total,
           coalesce(sum(CASE WHEN metric > 0 THEN metric ELSE 0 END) OVER (
               ORDER BY metric > 0 DESC, CASE WHEN metric > 0 THEN metric END DESC, id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
    FROM m),
classes(class) AS (VALUES ('A'), ('B'), ('C')),
c AS (
    SELECT CASE WHEN metric <= 0 THEN 'C'
                WHEN before * 100 < 80 * total THEN 'A'
                WHEN before * 100 < 95 * total THEN 'B'
                ELSE 'C' END AS class,
           rev
    FROM ranked),
g AS (
    SELECT k.class, count(c.class) AS count, coalesce(sum(c.rev), 0) AS revenue
    FROM classes k LEFT JOIN c USING (class)
    GROUP BY k.class)
SELECT class, count, round(count * 100.0 / sum(count) OVER (), 2) AS share, revenue,
       round(revenue * 100.0 / sum(revenue) OVER (), 2) AS revenue_share
FROM g ORDER BY class;

-- The 80/20 check: the share of revenue held by the first floor(N/5) customers by revenue.
WITH r AS (
    SELECT rev, row_number() OVER (ORDER BY rev DESC, id) AS k, count(*) OVER () AS n
    FROM report_book)
SELECT round(sum(rev) FILTER (WHERE k <= n // 5) * 100.0 / nullif(sum(rev), 0), 2) AS top20_share
FROM r;

-- Follow-up workload per owner, from every customer's earliest follow-up.
SELECT owner, count(*) AS customers,
       count(*) FILTER (WHERE due = getvariable('today')) AS due_today,
       count(*) FILTER (WHERE due < getvariable('today')) AS overdue,
       count(*) FILTER (WHERE late) AS late,
       count(*) FILTER (WHERE due > getvariable('today')
                          AND due <= getvariable('today') + 7) AS next_7_days
FROM report_book
GROUP BY owner ORDER BY owner;

-- Key customers (rules/tiers.toml [scheme.key]): ratings 1-5 weighted, scored only when at
-- least half of the weight (100) is rated; key from 75.
WITH k AS (
    SELECT id, name, owner,
           CASE WHEN revenue > 0 AND profit IS NOT NULL
                THEN 1 + (profit / revenue >= 0.05)::INTEGER + (profit / revenue >= 0.1)::INTEGER
                       + (profit / revenue >= 0.2)::INTEGER + (profit / revenue >= 0.3)::INTEGER
           END AS margin,
           1 + (months_with_orders >= 1)::INTEGER + (months_with_orders >= 3)::INTEGER
             + (months_with_orders >= 6)::INTEGER + (months_with_orders >= 9)::INTEGER AS continuity
    FROM report_book),
s AS (
    SELECT *,
           coalesce(15 * (margin - 1) / 4.0, 0) + 15 * (continuity - 1) / 4.0 AS points,
           CASE WHEN margin IS NULL THEN 0 ELSE 15 END + 15 AS weight
    FROM k)
SELECT id, name, owner, round(points / weight * 1000) / 10 AS score
FROM s
WHERE weight * 2 >= 100 AND round(points / weight * 1000) / 10 >= 75
ORDER BY score DESC, id;

-- Lapsing order customers: grade A's rhythm, no order for twice the interval.
SELECT id, name, owner, a_anchor + a_interval AS expected_order
FROM report_book
WHERE c_kind = 'order' AND list IS DISTINCT FROM 'black'
  AND last_order IS NOT NULL
  AND getvariable('today') >= last_order + round(a_interval * 2)::INTEGER
ORDER BY id;
