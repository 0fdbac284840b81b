-- A stand-in for what `clientele sql` prints: a temporary table (a view in Spark) made in
-- one statement, read by the last; a ';' inside a string and a comment; every column text.
CREATE TEMP TABLE totals AS
SELECT customer_id, count(*) AS n, sum(amount) AS total
FROM activities
WHERE kind <> 'not;a kind' -- never true; the ';' must not split the statement
GROUP BY customer_id;
SELECT CAST(c.id AS VARCHAR) AS id,
       c.name,
       CAST(c.grade AS VARCHAR) AS grade,
       CAST(c.revenue AS VARCHAR) AS revenue,
       CAST(c.last_contact AS VARCHAR) AS last_contact,
       CAST(c.price_agreed AS VARCHAR) AS price_agreed,
       c.note,
       CAST(coalesce(t.n, 0) AS VARCHAR) AS log_rows,
       CAST(t.total AS VARCHAR) AS total
FROM customers c
LEFT JOIN totals t ON t.customer_id = c.id
ORDER BY c.seq;
