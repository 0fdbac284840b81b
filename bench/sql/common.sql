-- common.sql: what due.sql and report.sql both start from: book.sql's today and typed views
-- of the book and the log, then the working-day calendar and the birthday macros. duck.py
-- runs it before a job whose SQL names it in a `-- prelude:` line; by hand:
--     cd bench/data/1000000-10000000 && cat ../../sql/book.sql ../../sql/common.sql ../../sql/due.sql | duckdb
-- Its figures are the shipped rules' (rules/holidays.toml); its simplifications are listed
-- in due.sql.

-- prelude: book.sql

-- The working-day calendar: weekends (Saturday, Sunday) and rules/holidays.toml's days off
-- are not working days, its make-up days are; nwd = the date itself or the next working day
-- (where a follow-up moves), pwd = the date itself or the last working day before it (where
-- a greeting moves).
CREATE TEMP TABLE cal AS
WITH off(a, b) AS (VALUES
    (DATE '2025-01-01', DATE '2025-01-01'), (DATE '2025-01-28', DATE '2025-02-04'),
    (DATE '2025-04-04', DATE '2025-04-06'), (DATE '2025-05-01', DATE '2025-05-05'),
    (DATE '2025-05-31', DATE '2025-06-02'), (DATE '2025-10-01', DATE '2025-10-08'),
    (DATE '2026-01-01', DATE '2026-01-03'), (DATE '2026-02-15', DATE '2026-02-23'),
    (DATE '2026-04-04', DATE '2026-04-06'), (DATE '2026-05-01', DATE '2026-05-05'),
    (DATE '2026-06-19', DATE '2026-06-21'), (DATE '2026-09-25', DATE '2026-09-27'),
    (DATE '2026-10-01', DATE '2026-10-07')),
off_days AS (
    SELECT DISTINCT unnest(generate_series(a::TIMESTAMP, b::TIMESTAMP, INTERVAL 1 DAY))::DATE AS d
    FROM off),
work_days(d) AS (VALUES
    (DATE '2025-01-26'), (DATE '2025-02-08'), (DATE '2025-04-27'), (DATE '2025-09-28'),
    (DATE '2025-10-11'), (DATE '2026-01-04'), (DATE '2026-02-14'), (DATE '2026-02-28'),
    (DATE '2026-05-09'), (DATE '2026-09-20'), (DATE '2026-10-10')),
days AS (
    SELECT range::DATE AS d
    FROM range(TIMESTAMP '1990-01-01', TIMESTAMP '2101-01-01', INTERVAL 1 DAY)),
flagged AS (
    SELECT days.d,
           w.d IS NOT NULL OR (o.d IS NULL AND isodow(days.d) < 6) AS working
    FROM days
    LEFT JOIN work_days w ON w.d = days.d
    LEFT JOIN off_days o ON o.d = days.d)
SELECT d,
       first_value(CASE WHEN working THEN d END IGNORE NULLS)
           OVER (ORDER BY d ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS nwd,
       last_value(CASE WHEN working THEN d END IGNORE NULLS)
           OVER (ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS pwd
FROM flagged;

-- A birthday's occurrence in a year (29 February falls on the 28th in other years).
CREATE TEMP MACRO bday_in(b, y) AS make_date(y::BIGINT, month(b),
    CASE WHEN month(b) = 2 AND day(b) = 29
              AND NOT ((y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0) THEN 28
         ELSE day(b) END);
-- The next occurrence on or after `from` (model::next_birthday).
CREATE TEMP MACRO next_bday(b, frm) AS
    CASE WHEN bday_in(b, year(frm)) >= frm THEN bday_in(b, year(frm))
         ELSE bday_in(b, year(frm) + 1) END;
