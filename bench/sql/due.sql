-- due.sql: what `clientele --today 2026-11-22 --format tsv due` computes, in DuckDB SQL.
--
-- Run it in the folder holding customers.csv and activities.csv (the tsv goes to stdout):
--     cd bench/data/1000000-10000000 && ../../.venv/bin/python ../../duck.py due .
--     cd bench/data/1000000-10000000 && cat ../../sql/book.sql ../../sql/common.sql ../../sql/due.sql | duckdb
--
-- It is written for the books bench/compare.sh generates (bench/gen.py) and the
-- shipped rules (rules/cadence.toml, rules/holidays.toml), whose figures are written out
-- below and in common.sql. Like clientele, it reads both files once, typed (dates as DATE,
-- money as DECIMAL), aggregates the log per customer in one pass, joins it to the customers
-- taking the later date, computes every candidate follow-up of every customer (the grade's
-- cadence, a named purchase date, a birthday greeting), moves it to a working day, keeps the
-- earliest one due on or before today, and writes every row out sorted by grade, date and id.
--
-- Where it is simpler than clientele (none of this changes a row count on a generated book):
--   * columns are matched by their English names only (clientele also knows aliases such as
--     客户编号 and a [columns] mapping), values are ISO dates and plain decimals (clientele
--     also reads 2025/4/11, ¥1,234.50, 万 ...), activity kinds are compared as written
--     (clientele accepts any case and the Chinese names), and ids are not trimmed;
--   * a customer without a grade counts as E (clientele asks the `grade` tier scheme; every
--     generated customer has a grade);
--   * the `strategy` column (one line of text per type from rules/types.toml) is left out;
--   * the cadence, calendar and greeting figures are constants here, where clientele reads
--     them from the rule files.
-- What is *not* simplified: the weekend and holiday shift (common.sql's calendar table, built
-- from rules/holidays.toml), the black list, snooze_until and expected_purchase (read when
-- the book has those columns, NULL otherwise), the birthday greetings, the late flag and the
-- reason text.

-- prelude: common.sql (today, the book and log views, the working-day calendar, the
-- birthday macros)

COPY (
WITH
-- One pass over the log: per customer, the latest touch (call, visit, email, message,
-- order), the latest order, sample request and receipt, and the order dates (for the
-- median gap; made distinct and sorted after the aggregation, which is much faster in DuckDB
-- than list(DISTINCT date)). Rows dated after today are left out, as clientele does.
agg AS (
    SELECT customer_id AS id,
           max(date) FILTER (WHERE kind IN ('call', 'visit', 'email', 'message', 'order')) AS last_touch,
           max(date) FILTER (WHERE kind = 'order') AS last_order,
           count(*) FILTER (WHERE kind = 'order') AS order_count,
           max(date) FILTER (WHERE kind = 'sample_request') AS sample_requested,
           max(date) FILTER (WHERE kind = 'sample_received') AS sample_received,
           list(date) FILTER (WHERE kind = 'order') AS order_dates
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
           greatest(c.sample_requested, a.sample_requested) AS sample_requested,
           greatest(c.sample_received, a.sample_received) AS sample_received,
           list_sort(list_distinct(a.order_dates)) AS order_dates,
           c.birthday, c.snooze_until::DATE AS snooze_until,
           c.expected_purchase::DATE AS expected_purchase
    FROM customers c
    LEFT JOIN agg a ON a.id = c.id
    WHERE c.list IS DISTINCT FROM 'black'),
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
           greatest(coalesce(order_interval_days, 30), 1) AS a_interval
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
           a_anchor + a_interval - a_lead AS a_first,
           CASE b_seq WHEN 'received' THEN sample_received ELSE sample_requested END AS b_anchor,
           -- Step dates: received 3,7,3,7 (cumulative 3,10,13,20); requested 1,1,2,3,7,7,15
           -- (cumulative 1,2,4,7,14,21,36). Steps met = how many step dates the last touch
           -- reached.
           CASE WHEN b_seq = 'received' THEN [3, 10, 13, 20]
                ELSE [1, 2, 4, 7, 14, 21, 36] END AS b_offsets,
           CASE WHEN b_seq = 'received' THEN [3, 7, 3, 7]
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
               THEN a_first + (((last_contact - a_first) // 7 + 1) * 7)::INTEGER
             WHEN grade = 'A' THEN a_first
             WHEN every_months IS NULL THEN b_anchor + b_offsets[b_met + 1]
             WHEN last_contact IS NULL THEN NULL                       -- never contacted
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
             WHEN 'order' THEN CASE WHEN last_contact >= a_first THEN 7 ELSE a_lead END
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
    FROM cand2
    UNION ALL
    SELECT id, snooze_until, 1, p_due, NULL, NULL FROM cand2 WHERE p_due IS NOT NULL
    UNION ALL
    SELECT id, snooze_until, 2, on_day, NULL, on_day
    FROM (SELECT cand2.id, cand2.snooze_until, cand2.last_contact,
                 -- a greeting day already past (moved to a working day): next year's
                 CASE WHEN coalesce(g.nwd, cand2.bd_on1) < getvariable('today')
                      THEN next_bday(cand2.birthday, cand2.bd_on1 + 1)
                      ELSE cand2.bd_on1 END AS on_day
          FROM cand2 LEFT JOIN cal g ON g.d = cand2.bd_on1
          WHERE cand2.bd_on1 IS NOT NULL)
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
-- The earliest candidate due on or before today.
chosen AS (
    SELECT id,
           arg_min(struct_pack(due, ord, on_day, late :=
               gap IS NOT NULL
               AND getvariable('today') > moved_soft + round(gap * (2 - 1))::INTEGER
               AND (snooze_until IS NULL OR snooze_until <= getvariable('today'))),
               struct_pack(due, ord)) AS e
    FROM moved
    WHERE due <= getvariable('today')
    GROUP BY id)
SELECT ch.e.due AS due,
       getvariable('today') - ch.e.due AS overdue_days,
       c.id, c.name, c.owner, c.grade, c.stage, c.type,
       CASE ch.e.ord
         WHEN 1 THEN 'purchase expected ' || strftime(c.expected_purchase, '%Y-%m-%d')
         WHEN 2 THEN 'birthday ' || strftime(ch.e.on_day, '%m-%d')
         ELSE CASE c.c_kind
           WHEN 'never' THEN 'never contacted'
           WHEN 'order' THEN
             CASE WHEN c.last_order IS NOT NULL
                       AND getvariable('today') >= c.last_order + round(c.a_interval * 2)::INTEGER
                  THEN 'A lapsing, order expected '
                  ELSE 'A expected order ' END
             || strftime(c.a_anchor + c.a_interval, '%Y-%m-%d')
           WHEN 'step' THEN c.grade || ' ' || c.b_seq || ' step ' || (c.b_met + 1) || '/'
                            || len(c.b_offsets)
           ELSE CASE WHEN c.grade = 'B' THEN 'C' ELSE c.grade END || ' every '
                || c.every_months || ' months'
         END
       END AS reason,
       ch.e.late AS late
FROM chosen ch
JOIN cand2 c USING (id)
ORDER BY c.grade, due, c.id
) TO '/dev/stdout' (FORMAT csv, DELIMITER '\t', HEADER);
