-- book.sql: today and the two files as typed views, what every job but check.sql (which
-- loads the book into a table to test it) starts from. duck.py runs it before a job whose
-- SQL names it in a `-- prelude:` line.

SET VARIABLE today = DATE '2026-11-22';

-- The book. gen.py's columns, typed; the optional columns clientele understands are added
-- as NULL when the file does not have them (UNION ALL BY NAME with an empty row).
CREATE TEMP VIEW customers AS
SELECT * FROM read_csv('customers.csv', header = true,
    types = {'id': 'VARCHAR', 'name': 'VARCHAR', 'owner': 'VARCHAR', 'stage': 'VARCHAR',
             'grade': 'VARCHAR', 'type': 'VARCHAR', 'traits': 'VARCHAR',
             'revenue': 'DECIMAL(18,2)', 'profit': 'DECIMAL(18,2)',
             'last_contact': 'DATE', 'last_order': 'DATE', 'sample_requested': 'DATE',
             'sample_received': 'DATE', 'birthday': 'DATE'})
UNION ALL BY NAME
SELECT NULL::VARCHAR AS list, NULL::DATE AS snooze_until, NULL::DATE AS expected_purchase
WHERE false;

-- The log: date,customer_id,kind,amount,note.
CREATE TEMP VIEW activities AS
SELECT * FROM read_csv('activities.csv', header = true,
    columns = {'date': 'DATE', 'customer_id': 'VARCHAR', 'kind': 'VARCHAR',
               'amount': 'DECIMAL(18,2)', 'note': 'VARCHAR'});
