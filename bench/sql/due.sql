-- due.sql: what `clientele --today 2026-11-22 --format tsv due` computes, in DuckDB SQL: the
-- same rows, in the same order, with the same sixteen columns.
--
-- Run it in the folder holding customers.csv and activities.csv (the tsv goes to stdout):
--     cd bench/data/1000000-10000000 && ../../.venv/bin/python ../../duck.py due .
--     cd bench/data/1000000-10000000 && cat ../../sql/book.sql ../../sql/common.sql ../../sql/due.sql | duckdb
--
-- It is written for the books bench/compare.sh generates (bench/gen.py) and the shipped rules
-- (rules/cadence.toml, rules/holidays.toml, rules/types.toml), whose figures are written out
-- below and in common.sql. Like clientele, it reads both files once, typed (dates as DATE,
-- money as DECIMAL; the log into a temp table, whose rowids give each row's position), and
-- aggregates the log per customer in one pass: the latest touch and the latest complaint (of
-- two rows of one day, the one further down the log), the latest sample events and the order
-- dates; the notes of the last touch and of the complaint are read back by rowid for the
-- rows listed, as clientele reads back only those. It joins the aggregate to the
-- customers taking the later date, computes every candidate follow-up of every customer
-- (the grade's cadence, replaced by a date agreed with the customer (next_contact) until a
-- touch meets it; an unanswered complaint; a named purchase date; the birthday greeting; the
-- next festival's greeting), moves each to a working day, keeps those due on or before
-- today, and writes a row per customer: the earliest date, every reason earliest first
-- joined by "; ", late when any of them is, and the note of the customer's last touch. Rows
-- are sorted with complaints first, then by grade, date and id.
--
-- The new rules, as src/cmd/due/engine.rs and src/store/log/mod.rs apply them:
--   * grade A's order interval is the median gap between ordering occasions: an order day 7
--     days or more (order_cluster_days) after the order day before it starts a new occasion,
--     dated by that day;
--   * the customer's latest complaint is open unless a touch row comes after it (a later day,
--     or the same day further down the log) or the book's last_contact is a later day; it is
--     due 1 day (response_days) after it, then on the next working day, whatever the snooze,
--     and late after one day more; a row with a complaint sorts first;
--   * a birthday or festival greeting (lead 0 days) on a day off is due on the last working
--     day before it, a festival that is a day off itself on the last working day before its
--     day; the festival is the one whose greeting day is the first on or after today (the same
--     for every customer), greeted for the red list and grades A and B (on 2026-11-22 that is
--     New Year's Day, greeted on 2026-12-31: not due yet);
--   * a date agreed with the customer (next_contact) replaces the cadence until a touch on or
--     after it, and is not snoozed either;
--   * a new customer (first order, the book's or the log's earliest, within 180 days) of grade
--     A or B is followed at half the gaps (cadence.toml's new_customers), rounded half away
--     from zero, at least a day: A's first call round((interval - lead) / 2) days after the
--     anchor and then every 4 days, B's steps 2-4-2-4 and 1-1-1-2-4-4-8, after them C's two
--     months as half their days; the reason ends "(new customer: gaps × 0.5)";
--   * a purchase intent (an `intent` column, by id) has a follow-up of its own after the last
--     contact: interested 3 days, considering 7 days, not_now 1 month; replaced by a date
--     agreed, like the cadence.

-- Where it is simpler than clientele (none of this changes a row or a cell on a generated
-- book):
--   * columns are matched by their English names only (clientele also knows aliases such as
--     客户编号 and a [columns] mapping), values are ISO dates and plain decimals (clientele
--     also reads 2025/4/11, ¥1,234.50, 万 ...), activity kinds and types are compared as
--     written (clientele accepts any case and the Chinese names), and ids are not trimmed;
--   * a customer without a grade counts as E (clientele asks the `grade` tier scheme; every
--     generated customer has a grade);
--   * tabs and line breaks inside a value are written as they are (clientele's tsv turns them
--     to spaces; a generated book has none), and notes are trimmed of spaces only;
--   * the cadence, calendar, festival, greeting and strategy figures are constants here,
--     where clientele reads them from the rule files.
-- What is *not* simplified: the weekend and holiday shifts (common.sql's calendar table,
-- built from rules/holidays.toml), the black list, snooze_until, expected_purchase,
-- next_contact/next_step and the phone, email and contact columns (read when the book has
-- them, NULL otherwise), the late flag, the reason texts and the notes read back from the
-- log.

-- prelude: common.sql (today, the book and log views, the working-day calendar, the
-- birthday macros)

-- The log rows up to today (later rows are left out, as clientele does), read once into a
-- table: the load runs in parallel and keeps the file's order (preserve_insertion_order, on by
-- default), so a row's rowid is its position in the log, as clientele's RowKey has the row's
-- offset. (A row_number() over the scan would do too, but it reads the file on one core.)
-- Keep this load a plain scan, filter and projection: its plan must stay a "Batch Create
-- Table As". Anything that plans as a join (an IN list of six strings is a MARK join) makes
-- it an unordered parallel insert, and the rowids no longer follow the file.
CREATE TEMP TABLE log AS
SELECT customer_id, date, kind, trim(note) AS note
FROM activities
WHERE date <= getvariable('today');

COPY (
WITH
-- One pass over the log: per customer, the latest touch (call, visit, email, message, order)
-- and the latest complaint, each as a key that orders rows as clientele's RowKey does (by
-- date, then by position in the log) and holds the rowid in its low 40 bits; the latest
-- order, sample request and receipt; the order dates (for the order interval; made distinct
-- and sorted after the aggregation, which is much faster in DuckDB than list(DISTINCT
-- date)). The notes are not carried through the aggregation: those shown are fetched by
-- rowid at the end, as clientele reads back only the rows it lists.
agg AS (
    SELECT customer_id AS id,
           max(date) FILTER (WHERE kind IN ('call', 'visit', 'email', 'message', 'order')) AS last_touch,
           max(row_key) FILTER (WHERE kind IN ('call', 'visit', 'email', 'message', 'order')) AS touch_key,
           max(date) FILTER (WHERE kind = 'complaint') AS complaint_on,
           max(row_key) FILTER (WHERE kind = 'complaint') AS complaint_key,
           max(date) FILTER (WHERE kind = 'order') AS last_order,
           min(date) FILTER (WHERE kind = 'order') AS first_order,
           max(date) FILTER (WHERE kind = 'sample_request') AS sample_requested,
           max(date) FILTER (WHERE kind = 'sample_received') AS sample_received,
           list(date) FILTER (WHERE kind = 'order') AS order_dates
    FROM (SELECT customer_id, date, kind,
                 (date - DATE '0001-01-01') * 1099511627776 + rowid AS row_key
          FROM log)
    GROUP BY customer_id),
-- The book with the optional columns only due reads, NULL when the file does not have them.
customers_due AS (
    SELECT * FROM customers
    UNION ALL BY NAME
    SELECT NULL::VARCHAR AS phone, NULL::VARCHAR AS email, NULL::VARCHAR AS contact,
           NULL::DATE AS next_contact, NULL::VARCHAR AS next_step,
           NULL::DATE AS first_order, NULL::VARCHAR AS intent
    WHERE false),
-- The book joined to its log: dates by the later of the two; the complaint stays open unless
-- a touch row comes after it or the book's last_contact is a later day; the rowids of the
-- last touch and of the complaint (for their notes).
book AS (
    SELECT c.id, c.name, c.owner, c.stage, c.type, c.list,
           coalesce(upper(c.grade), 'E') AS grade,
           c.phone, c.email, c.contact, c.next_step,
           greatest(c.last_contact, a.last_touch) AS last_contact,
           greatest(c.last_order, a.last_order) AS last_order,
           least(c.first_order::DATE, a.first_order) AS first_order,
           c.intent,
           greatest(c.sample_requested, a.sample_requested) AS sample_requested,
           greatest(c.sample_received, a.sample_received) AS sample_received,
           CASE WHEN a.complaint_key IS NOT NULL
                     AND NOT coalesce(a.touch_key > a.complaint_key, false)
                     AND NOT coalesce(c.last_contact > a.complaint_on, false)
                THEN a.complaint_on END AS complaint_on,
           a.complaint_key % 1099511627776 AS complaint_row,
           a.touch_key % 1099511627776 AS touch_row,
           list_sort(list_distinct(a.order_dates)) AS order_dates,
           c.birthday, c.snooze_until::DATE AS snooze_until,
           c.expected_purchase::DATE AS expected_purchase,
           c.next_contact::DATE AS next_contact
    FROM customers_due c
    LEFT JOIN agg a ON a.id = c.id
    WHERE c.list IS DISTINCT FROM 'black'),
-- Ordering occasions: an order day 7 days or more (order_cluster_days) after the order day
-- before it starts a new occasion, dated by that day.
occasions AS (
    SELECT * EXCLUDE (order_dates),
           list_filter(order_dates,
                       lambda d, i: i = 1 OR d - order_dates[i - 1] >= 7) AS occasions
    FROM book),
-- The order interval: the median gap between occasions (an even count: the mean of the
-- middle two, rounded down), when there are at least two.
with_interval AS (
    SELECT * EXCLUDE (occasions),
           CASE WHEN len(occasions) >= 2 THEN floor(list_aggregate(
               list_transform(range(1, len(occasions)),
                              lambda i: (occasions[i + 1] - occasions[i])::INTEGER),
               'median'))::INTEGER END AS order_interval_days
    FROM occasions),
-- Grade A (rules/cadence.toml: default interval 30 days, lead 25% of it clamped to 3..21
-- days, then every 7 days, lapsing after 2 intervals): inputs.
a1 AS (
    SELECT *,
           coalesce(last_order, last_contact) AS a_anchor,
           greatest(coalesce(order_interval_days, 30), 1) AS a_interval,
           -- a new customer of grade A or B: at half the gaps
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
           -- (cumulative 1,2,4,7,14,21,36); a new customer's halved: 2,4,2,4 (2,6,8,12) and
           -- 1,1,1,2,4,4,8 (1,2,3,5,9,13,21). Steps met = how many step dates the last touch
           -- reached.
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
                ELSE len(list_filter(b_offsets, lambda o: b_anchor + o <= last_contact)) END AS b_met,
           -- A date agreed with the customer, until a touch on or after it: it replaces the
           -- cadence.
           CASE WHEN next_contact IS NOT NULL
                     AND NOT coalesce(last_contact >= next_contact, false)
                THEN next_contact END AS planned
    FROM a3),
-- The grade's cadence: one candidate per customer without a plan.
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
             -- a new customer: half the days of the months, rounded, at least one
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
           -- the purchase intent's own follow-up, after the last contact, unless a date is
           -- agreed
           CASE WHEN next_contact IS NULL OR coalesce(last_contact >= next_contact, false)
                THEN CASE intent
                       WHEN 'interested' THEN last_contact + 3
                       WHEN 'considering' THEN last_contact + 7
                       WHEN 'not_now' THEN (last_contact + INTERVAL 1 MONTH)::DATE
                     END END AS i_due,
           -- the birthday's occurrence from 14 days back (lead 0: greeted on the day)
           CASE WHEN birthday IS NOT NULL
                THEN next_bday(birthday, getvariable('today') - 14) END AS bd_on1
    FROM cand),
-- The festivals of rules/holidays.toml: a day every year (month, day) or a date per year.
festivals(en, md, dates, day_off) AS (VALUES
    ('New Year''s Day', DATE '2000-01-01', NULL, true),
    ('Spring Festival', NULL, [DATE '2025-01-29', DATE '2026-02-17', DATE '2027-02-06'], true),
    ('Lantern Festival', NULL, [DATE '2025-02-12', DATE '2026-03-03', DATE '2027-02-20'], false),
    ('Qingming Festival', NULL, [DATE '2025-04-04', DATE '2026-04-05', DATE '2027-04-05'], true),
    ('Labour Day', DATE '2000-05-01', NULL, true),
    ('Dragon Boat Festival', NULL, [DATE '2025-05-31', DATE '2026-06-19', DATE '2027-06-09'], true),
    ('Mid-Autumn Festival', NULL, [DATE '2025-10-06', DATE '2026-09-25', DATE '2027-09-15'], true),
    ('National Day', DATE '2000-10-01', NULL, true)),
-- Each festival's first day on or after today, and its greeting day (lead 0: the day itself,
-- the day before for a day off; then the last working day on or before that).
fest1 AS (
    SELECT f.*, on1, p.pwd AS greet1
    FROM (SELECT *,
                 CASE WHEN md IS NOT NULL THEN next_bday(md, getvariable('today'))
                      ELSE list_filter(dates, lambda d: d >= getvariable('today'))[1] END AS on1
          FROM festivals) f
    JOIN cal p ON p.d = CASE WHEN f.day_off THEN on1 - 1 ELSE on1 END),
-- A greeting day already past: the festival's next day after that one.
fest2 AS (
    SELECT en, day_off,
           CASE WHEN greet1 >= getvariable('today') THEN on1
                WHEN md IS NOT NULL THEN next_bday(md, on1 + 1)
                ELSE list_filter(dates, lambda d: d > on1)[1] END AS on_day
    FROM fest1),
-- The festival greeted next: the first greeting day (then the first festival day).
festival AS (
    SELECT en, on_day, p.pwd AS greet
    FROM fest2
    JOIN cal p ON p.d = CASE WHEN fest2.day_off THEN on_day - 1 ELSE on_day END
    ORDER BY greet, on_day
    LIMIT 1),
-- Candidates as rows: ord (0 cadence, 1 plan, 2 complaint, 3 purchase, 4 birthday,
-- 5 festival, 6 intent) orders two of one day, as the engine lists them; gap (cadence, complaint) is
-- what lateness runs from; snoozable: all but a plan and a complaint.
cands AS (
    SELECT id, snooze_until, 0 AS ord, c_soft AS soft, c_gap AS gap, true AS snoozable,
           NULL::DATE AS on_day
    FROM cand2 WHERE planned IS NULL
    UNION ALL
    SELECT id, snooze_until, 1, planned, NULL, false, planned FROM cand2 WHERE planned IS NOT NULL
    UNION ALL
    -- a complaint: due 1 day after it (response_days)
    SELECT id, snooze_until, 2, complaint_on + 1, 1, false, complaint_on
    FROM cand2 WHERE complaint_on IS NOT NULL
    UNION ALL
    SELECT id, snooze_until, 3, p_due, NULL, true, NULL FROM cand2 WHERE p_due IS NOT NULL
    UNION ALL
    -- a birthday: greeted on its day, or the last working day before it; a greeting day
    -- already past: next year's
    SELECT id, snooze_until, 4, greet, NULL, true, on_day
    FROM (SELECT b.id, b.snooze_until, b.last_contact, b.on_day,
                 coalesce(g.pwd, b.on_day) AS greet
          FROM (SELECT cand2.id, cand2.snooze_until, cand2.last_contact,
                       CASE WHEN coalesce(g1.pwd, cand2.bd_on1) < getvariable('today')
                            THEN next_bday(cand2.birthday, cand2.bd_on1 + 1)
                            ELSE cand2.bd_on1 END AS on_day
                FROM cand2 LEFT JOIN cal g1 ON g1.d = cand2.bd_on1
                WHERE cand2.bd_on1 IS NOT NULL) b
          LEFT JOIN cal g ON g.d = b.on_day)
    WHERE NOT coalesce(last_contact >= greet, false)
    UNION ALL
    -- the festival, when its greeting day is by today (the list reaches no further), for the
    -- red list and grades A and B (cadence.toml holidays_for)
    SELECT c.id, c.snooze_until, 5, f.greet, NULL, true, f.on_day
    FROM cand2 c, festival f
    WHERE f.greet <= getvariable('today')
      AND (c.list = 'red' OR c.grade IN ('A', 'B'))
      AND NOT coalesce(c.last_contact >= f.greet, false)
    UNION ALL
    SELECT id, snooze_until, 6, i_due, i_due - last_contact, true, NULL
    FROM cand2 WHERE i_due IS NOT NULL),
-- Snooze (when snoozable), then the working-day shift; late = past the hard limit (2 x the
-- gap after the date moved to a working day) and, when snoozable, not snoozed.
moved AS (
    SELECT k.id, k.ord, k.on_day,
           coalesce(ds.nwd, k.due_snoozed) AS due,
           k.gap IS NOT NULL
               AND getvariable('today') > coalesce(ms.nwd, k.soft) + round(k.gap * (2 - 1))::INTEGER
               AND (NOT k.snoozable OR k.snooze_until IS NULL
                    OR k.snooze_until <= getvariable('today')) AS late
    FROM (SELECT *,
                 CASE WHEN snoozable AND snooze_until > soft THEN snooze_until
                      ELSE soft END AS due_snoozed
          FROM cands) k
    LEFT JOIN cal ds ON ds.d = k.due_snoozed
    LEFT JOIN cal ms ON ms.d = k.soft),
-- The follow-ups due on or before today, each with its reason text (a complaint's with its
-- note, read back from the log by rowid).
listed AS (
    SELECT m.id, m.due, m.ord, m.late,
           CASE m.ord
             WHEN 1 THEN 'planned ' || strftime(m.on_day, '%Y-%m-%d')
                         || coalesce(': ' || nullif(c.next_step, ''), '')
             WHEN 2 THEN 'complaint of ' || strftime(m.on_day, '%Y-%m-%d')
                         || coalesce(': ' || nullif(cn.note, ''), '')
             WHEN 3 THEN 'purchase expected ' || strftime(c.expected_purchase, '%Y-%m-%d')
             WHEN 4 THEN 'birthday ' || strftime(m.on_day, '%m-%d')
             WHEN 5 THEN 'greeting: ' || f.en || ' ' || strftime(m.on_day, '%Y-%m-%d')
             WHEN 6 THEN 'intent: ' || replace(c.intent, '_', ' ') || ', every '
                         || CASE c.intent WHEN 'interested' THEN '3 days'
                                          WHEN 'considering' THEN '7 days'
                                          ELSE '1 month' END
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
             END || CASE WHEN c.is_new AND c.c_kind <> 'never'
                         THEN ' (new customer: gaps × 0.5)' ELSE '' END
           END AS reason,
           -- the stable code of the reason (reason_code)
           CASE m.ord
             WHEN 1 THEN 'plan' WHEN 2 THEN 'complaint' WHEN 3 THEN 'purchase'
             WHEN 4 THEN 'birthday' WHEN 5 THEN 'festival' WHEN 6 THEN 'intent'
             ELSE CASE c.c_kind
               WHEN 'never' THEN 'first'
               WHEN 'order' THEN
                 CASE WHEN c.last_order IS NOT NULL
                           AND getvariable('today') >= c.last_order + round(c.a_interval * 2)::INTEGER
                      THEN 'lapsing' ELSE 'order' END
               WHEN 'step' THEN c.b_seq
               ELSE 'every'
             END
           END AS code
    FROM moved m
    JOIN cand2 c USING (id)
    LEFT JOIN festival f ON m.ord = 5
    LEFT JOIN log cn ON m.ord = 2 AND cn.rowid = c.complaint_row
    WHERE m.due <= getvariable('today')),
-- A row per customer: the earliest date, the reasons earliest first (one day: by ord), late
-- when any is, urgent when one is a complaint.
entry AS (
    SELECT id, min(due) AS due,
           string_agg(reason, '; ' ORDER BY due, ord) AS reason,
           string_agg(code, ';' ORDER BY due, ord) AS reason_code,
           bool_or(late) AS late,
           bool_or(ord = 2) AS urgent
    FROM listed
    GROUP BY id),
-- The strategy line of each type (rules/types.toml, English).
strategies(type, strategy) AS (VALUES
    ('rational', 'Talk candidly with no pressure or flattery; show strengths and limits plainly; keep every promise.'),
    ('task', 'Serve attentively, analyse for them, commit firmly; standard price and terms, no special deals.'),
    ('greedy', 'Be discreet and reliable; guarantee quality, price and service; hold concessions within set limits.'),
    ('owner', 'Open with a competitive price, match quality to their expectations, then visit and call back often.'),
    ('credit_seeker', 'See it from their side and protect their pride; hold quality strictly; help them succeed at work.'),
    ('stingy', 'Spend little time; quote only where we are strong, at a price that keeps our margin; never a key account.'),
    ('difficult', 'Contract first: price and quality as they are, customer signs off before work starts, no rash deadlines.'),
    ('relationship', 'Keep favours and business apart: agree the price up front; small jobs as favours, big ones formally.'),
    ('composite', 'Do not pigeonhole; stay calm and observe, then respond to their mood of the moment.'))
SELECT e.due,
       getvariable('today') - e.due AS overdue_days,
       c.id, c.name, c.owner, c.grade, c.stage, c.type,
       e.reason, e.reason_code, s.strategy, e.late,
       c.phone, c.email, c.contact, c.last_contact,
       nullif(n.note, '') AS last_note
FROM entry e
JOIN cand2 c USING (id)
LEFT JOIN log n ON n.rowid = c.touch_row   -- the last note, read back from the log
LEFT JOIN strategies s ON s.type = c.type
ORDER BY e.urgent DESC, c.grade, e.due, c.id
) TO '/dev/stdout' (FORMAT csv, DELIMITER '\t', QUOTE '', HEADER);
