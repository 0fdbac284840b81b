-- tier_abc.sql: what `clientele --today 2026-11-22 --format tsv tier --scheme abc` computes,
-- in DuckDB SQL: ABC (Pareto) classes by a window function.
--
-- Run it in the folder holding customers.csv and activities.csv (the tsv goes to stdout):
--     cd bench/data/1000000-10000000 && ../../.venv/bin/python ../../duck.py tier_abc .
--
-- The shipped scheme (rules/tiers.toml, [scheme.abc]): metric = revenue when the book has
-- one, else the log's order total; classes A / B / C up to 80 / 95 / 100 % of the cumulative
-- share. A customer belongs to the class in which the cumulative share *before* it lies (the
-- one who crosses 80 % is still A); customers with no positive metric go last, in class C;
-- ties are broken by id.
--
-- Like clientele, it reads both files (the order total comes from the log), typed, once.
-- Simpler than clientele: columns by their English names, ISO dates and plain decimals
-- only, kinds compared as written (see due.sql); the class limits are constants here.

-- prelude: book.sql (today, the book and log views)

COPY (
WITH
orders AS (
    SELECT customer_id AS id, sum(amount) AS order_total
    FROM activities
    WHERE kind = 'order' AND date <= getvariable('today')
    GROUP BY customer_id),
metric AS (
    SELECT c.id, c.name,
           CASE WHEN c.revenue IS NOT NULL THEN c.revenue
                ELSE coalesce(o.order_total, 0) END AS metric
    FROM customers c
    LEFT JOIN orders o ON o.id = c.id),
ranked AS (
    SELECT *,
           metric > 0 AS positive,
           sum(CASE WHEN metric > 0 THEN metric ELSE 0 END) OVER () AS total,
           coalesce(sum(CASE WHEN metric > 0 THEN metric ELSE 0 END) OVER w, 0) AS before,
           row_number() OVER (ORDER BY metric > 0 DESC,
                                       CASE WHEN metric > 0 THEN metric END DESC, id) AS rank
    FROM metric
    WINDOW w AS (ORDER BY metric > 0 DESC, CASE WHEN metric > 0 THEN metric END DESC, id
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
SELECT id, name, 'abc' AS scheme,
       CASE WHEN NOT positive THEN 'C'
            WHEN before * 100 < 80 * total THEN 'A'
            WHEN before * 100 < 95 * total THEN 'B'
            ELSE 'C' END AS tier,
       metric,
       printf('%.2f', CASE WHEN positive THEN metric * 100.0 / total ELSE 0 END) AS share,
       printf('%.2f', CASE WHEN positive THEN (before + metric) * 100.0 / total
                           WHEN total > 0 THEN 100 ELSE 0 END) AS cumulative_share,
       rank
FROM ranked
ORDER BY rank
) TO '/dev/stdout' (FORMAT csv, DELIMITER '\t', HEADER);
