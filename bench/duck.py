#!/usr/bin/env python3
"""Runs one job's SQL (bench/sql/JOB.sql, after the files its `-- prelude:` lines name) with
DuckDB in DATA_DIR, the folder holding customers.csv and activities.csv, and prints its
results on stdout.

The big results (due: every due row; tier_abc: every customer) are written by DuckDB itself
(COPY ... TO '/dev/stdout'), so their rows never pass through Python. The small ones (the
sections of report and check, a few rows each) are plain SELECTs; this script prints each as
a CSV section. bench/compare.sh times this whole process, interpreter start-up included, as
it times the whole clientele process.

Usage: duck.py JOB DATA_DIR        (JOB: due, tier_abc, report, check)
"""

import csv
import os
import sys
import time

import duckdb


def read_with_preludes(sql_dir: str, name: str) -> str:
    """The SQL of `name`, after that of every file it names in a `-- prelude: FILE` line
    (book.sql holds the views every job reads, common.sql what due.sql and report.sql add)."""
    with open(os.path.join(sql_dir, name), encoding="utf-8") as f:
        sql = f.read()
    preludes = [line.split()[2] for line in sql.splitlines() if line.startswith("-- prelude: ")]
    return "".join(read_with_preludes(sql_dir, p) for p in preludes) + sql


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    job, data = sys.argv[1], sys.argv[2]
    sql_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sql")
    sql = read_with_preludes(sql_dir, job + ".sql")
    os.chdir(data)
    con = duckdb.connect()  # in memory; default threads (one per core) and memory limit
    timings = os.environ.get("CLIENTELE_TIMINGS")
    out = csv.writer(sys.stdout, lineterminator="\n")
    for stmt in con.extract_statements(sql):
        started = time.perf_counter()
        result = con.execute(stmt)
        if stmt.type == duckdb.StatementType.SELECT:
            out.writerow([d[0] for d in result.description])
            out.writerows(result.fetchall())
            sys.stdout.flush()
        if timings:
            print(f"duck.py: {job}: {time.perf_counter() - started:.3f} s: "
                  f"{str(stmt.query).strip().splitlines()[0][:60]}", file=sys.stderr)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        # A closed pipe (`| head`) is not an error, as for clientele.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
