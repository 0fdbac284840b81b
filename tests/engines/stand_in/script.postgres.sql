-- A stand-in for what `clientele sql` prints: a temporary table (a view in Spark) made in
-- one statement, read by the last; a ';' inside a string and a comment; every column text.
CREATE TEMP TABLE totals AS
SELECT customer_id, count(*) AS n, sum(amount) AS total
FROM activities
WHERE kind <> 'not;a kind' -- never true; the ';' must not split the statement
GROUP BY customer_id;
SELECT CAST(c.id AS TEXT) AS id,
       c.name,
       CAST(c.grade AS TEXT) AS grade,
       CAST(c.revenue AS TEXT) AS revenue,
       CAST(c.last_contact AS TEXT) AS last_contact,
       CAST(c.price_agreed AS TEXT) AS price_agreed,
       c.note,
       CAST(coalesce(t.n, 0) AS TEXT) AS log_rows,
       CAST(t.total AS TEXT) AS total
FROM customers c
LEFT JOIN totals t ON t.customer_id = c.id
ORDER BY c.seq;
