-- check.sql: what `clientele check` does with the data, in DuckDB SQL: read both files in
-- full with their types (dates as DATE, money as DECIMAL), keep every value that cannot be
-- read as a problem instead of stopping (store_rejects), check the enumerations (stage,
-- grade, type, activity kind), find duplicate customer ids and log rows that name unknown
-- customers, and print a summary and the problems (plain SELECTs: duck.py prints each
-- result as a CSV section; a few rows, unless the data is full of problems).
--
-- Run it in the folder holding customers.csv and activities.csv:
--     cd bench/data/1000000-10000000 && ../../.venv/bin/python ../../duck.py check .
--
-- Simpler than clientele: the rule files are not validated (clientele parses and type-checks
-- eight TOML files and every condition in them, a few milliseconds); problems are named by
-- value, and by line only where DuckDB's reject table gives one (clientele gives
-- path:line:col and the line with a caret for each); the unknown-customer rows are counted
-- in full but, like clientele's first 1000 kept problems, only 1000 are listed. Columns by
-- their English names, ISO dates and plain decimals only (see due.sql).

CREATE TEMP TABLE customers AS
SELECT * FROM read_csv('customers.csv', header = true, store_rejects = true,
    rejects_table = 'customer_rejects', rejects_scan = 'customer_scans',
    types = {'id': 'VARCHAR', 'name': 'VARCHAR', 'owner': 'VARCHAR', 'stage': 'VARCHAR',
             'grade': 'VARCHAR', 'type': 'VARCHAR', 'traits': 'VARCHAR',
             'revenue': 'DECIMAL(18,2)', 'profit': 'DECIMAL(18,2)',
             'last_contact': 'DATE', 'last_order': 'DATE', 'sample_requested': 'DATE',
             'sample_received': 'DATE', 'birthday': 'DATE'});

-- The distinct ids, for the duplicate count and the log's lookups.
CREATE TEMP TABLE ids AS SELECT DISTINCT id FROM customers WHERE id IS NOT NULL;

-- The log is streamed, not kept: one pass counts its rows, checks the kinds and finds the
-- rows whose customer is not in the book (all counted, the problem rows kept in a list).
CREATE TEMP TABLE log_check AS
SELECT count(*) AS n,
       count(*) FILTER (WHERE bad_kind) AS bad_kinds,
       count(*) FILTER (WHERE unknown_customer) AS unknown_customers,
       list(struct_pack(date, customer_id, kind, bad_kind))
           FILTER (WHERE bad_kind OR unknown_customer) AS problems
FROM (
    SELECT a.date, a.customer_id, a.kind,
           a.kind NOT IN ('call', 'visit', 'email', 'message', 'order', 'sample_request',
                          'sample_received', 'complaint', 'stage_change', 'grade_change') AS bad_kind,
           c.id IS NULL AS unknown_customer
    FROM read_csv('activities.csv', header = true, store_rejects = true,
             rejects_table = 'log_rejects', rejects_scan = 'log_scans',
             columns = {'date': 'DATE', 'customer_id': 'VARCHAR', 'kind': 'VARCHAR',
                        'amount': 'DECIMAL(18,2)', 'note': 'VARCHAR'}) a
    LEFT JOIN ids c ON c.id = a.customer_id);

-- Summary.
SELECT (SELECT count(*) FROM customers) AS customers,
       (SELECT n FROM log_check) + (SELECT count(*) FROM log_rejects) AS activities,
       (SELECT count(*) FROM customer_rejects) + (SELECT count(*) FROM log_rejects) AS unreadable_values,
       (SELECT count(*) FROM customers
         WHERE coalesce(lower(stage) NOT IN ('potential', 'trial', 'intent', 'quasi', 'formal'), false)
            OR coalesce(upper(grade) NOT IN ('A', 'B', 'C', 'D', 'E'), false)
            OR coalesce(type NOT IN ('rational', 'task', 'greedy', 'owner', 'credit_seeker',
                                     'stingy', 'difficult', 'relationship', 'composite'), false)
       ) AS bad_enumerations,
       (SELECT count(id) FROM customers) - (SELECT count(*) FROM ids) AS duplicate_ids,
       (SELECT count(*) FROM customers WHERE id IS NULL) AS missing_ids,
       (SELECT bad_kinds FROM log_check) AS bad_kinds,
       (SELECT unknown_customers FROM log_check) AS unknown_customers;

-- Values that could not be read, with their line and column.
SELECT 'customers.csv' AS file, line, column_name, csv_line, error_message FROM customer_rejects
UNION ALL
SELECT 'activities.csv', line, column_name, csv_line, error_message FROM log_rejects
ORDER BY file, line;

-- Duplicate ids.
SELECT id, count(*) AS times FROM customers GROUP BY id HAVING count(*) > 1 ORDER BY id;

-- Unknown kinds and unknown customers in the log (the first 1000 kept).
SELECT p.date, p.customer_id, p.kind,
       CASE WHEN p.bad_kind THEN 'unknown kind' ELSE 'unknown customer' END AS problem
FROM (SELECT unnest(problems[1:1000]) AS p FROM log_check);
