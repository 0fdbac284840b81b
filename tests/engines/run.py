#!/usr/bin/env python3
"""Runs SQL scripts on a real engine over a folder written by `clientele export --raw`.

    run.py [--timing] ENGINE EXPORT_DIR SCRIPT.sql...

ENGINE is duckdb (the Python package), postgres (the server the PGHOST, PGPORT and PGUSER
variables point at, through psql) or spark (pyspark in local mode). The driver creates the
tables of EXPORT_DIR/schema.sql, loads customers.csv and activities.csv into them once
(their header rows must name the tables' columns in order: the files load by position), then
runs each script in a session of its own, inside a transaction that is rolled back where the
engine has them, so that one script's temporary tables never meet the next's. The tables are
also reachable as crm.book and crm.log (views in a schema of that name), as a warehouse would
name them, for `clientele sql --customers-table crm.book --activities-table crm.log`. The rows of a
script's last statement go to the script's path with .csv for .sql: a header row, then one
record per row, every cell the text the engine returned and NULL as an empty cell. A script
that fails, or whose last statement returns no rows or a column that is not text, gets a
.err file instead, saying why. The exit status is 0 when the tables loaded (whatever the
scripts did: the .csv and .err files say), 2 when they did not (the reason on stderr).

--timing prints on stderr the seconds taken by the load and by each script.

The Rust suite in tests/engines.rs calls it; bench/sql.sh times the engines with it.
"""

import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time

TABLES = ("customers", "activities")

# The other names of the tables: a schema, and a view per table.
OTHER_NAMES = "CREATE SCHEMA crm; " \
    "CREATE VIEW crm.book AS SELECT * FROM customers; " \
    "CREATE VIEW crm.log AS SELECT * FROM activities;"


class LoadError(Exception):
    """The export folder could not be loaded: the run stops."""


class ScriptError(Exception):
    """One script failed: its .err file says why and the next script runs."""


def header_of(path):
    with open(path, newline="", encoding="utf-8") as f:
        return next(csv.reader(f), [])


def check_header(table, path, columns):
    """The CSV file loads by position: its header must be the table's columns, in order."""
    header = header_of(path)
    if header != list(columns):
        raise LoadError(
            f"{path}: the header {','.join(header)} is not the columns of table {table} "
            f"in schema.sql ({','.join(columns)})")


def write_rows(script, columns, rows):
    """Writes a script's result as CSV; every value must already be text (or NULL)."""
    for row in rows:
        for name, value in zip(columns, row):
            if value is not None and not isinstance(value, str):
                raise ScriptError(
                    f"column {name} is not text: the engine returned {type(value).__name__} "
                    f"{value!r} (clientele sql casts every column to text)")
    with open(out_path(script, ".csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for row in rows:
            w.writerow(["" if v is None else v for v in row])


def out_path(script, ext):
    base = script[:-4] if script.endswith(".sql") else script
    return base + ext


def sql_string(text):
    return "'" + text.replace("'", "''") + "'"


def statements(sql, backslash_escapes=False):
    """The statements of a script: split at each `;` outside quotes and comments, those
    holding only comments and space left out. (For Spark, whose `sql()` takes one statement
    at a time; written by hand: it needs only quotes and comments, not a SQL parser.)"""
    out, start, i, n, content = [], 0, 0, len(sql), False
    while i < n:
        c = sql[i]
        if c in "'\"`":
            j = i + 1
            while j < n:
                if backslash_escapes and c == "'" and sql[j] == "\\":
                    j += 2
                    continue
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            i, content = j + 1, True
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif c == ";":
            if content:
                out.append(sql[start:i].strip())
            start, i, content = i + 1, i + 1, False
        else:
            content = content or not c.isspace()
            i += 1
    if content:
        out.append(sql[start:].strip())
    return out


# --- DuckDB -------------------------------------------------------------------------------

def run_duckdb(export, scripts, timing):
    import duckdb

    con = duckdb.connect()  # in memory: gone with the process
    with open(os.path.join(export, "schema.sql"), encoding="utf-8") as f:
        con.execute(f.read())
    for table in TABLES:
        path = os.path.join(export, f"{table}.csv")
        columns = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position", [table]).fetchall()]
        check_header(table, path, columns)
        # Positional, empty cell (quoted or not) as NULL: COPY's defaults.
        con.execute(f"COPY {table} FROM {sql_string(path)} (FORMAT csv, HEADER true)")
    con.execute(OTHER_NAMES)
    timing("load")
    for script in scripts:
        with open(script, encoding="utf-8") as f:
            text = f.read()
        # A cursor is a connection of its own to the same database: its temporary tables
        # are its own.
        cur = con.cursor()
        try:
            cur.begin()
            try:
                cur.execute(text)  # every statement; the result is the last one's
                if cur.description is None:
                    raise ScriptError("the last statement returns no rows")
                columns = [d[0] for d in cur.description]
                rows = cur.fetchall()
            except duckdb.Error as e:
                raise ScriptError(str(e)) from None
            finally:
                cur.rollback()
            write_rows(script, columns, rows)
        except ScriptError as e:
            fail(script, e)
        finally:
            cur.close()
        timing(script)


# --- PostgreSQL ---------------------------------------------------------------------------

def psql(database, args, what):
    """Runs psql on the server of PGHOST/PGPORT/PGUSER; its stdout, or ScriptError."""
    env = dict(os.environ, PGCLIENTENCODING="UTF8", PGDATABASE=database)
    done = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", *args],
                          env=env, capture_output=True)
    if done.returncode != 0:
        raise ScriptError(f"{what}: psql exited {done.returncode}: "
                          + done.stderr.decode("utf-8", "replace").strip())
    return done.stdout.decode("utf-8")


def run_postgres(export, scripts, timing):
    if not shutil.which("psql"):
        raise LoadError("no psql on PATH (apt-get install postgresql-client)")
    if not os.environ.get("PGHOST"):
        raise LoadError("PGHOST is not set: start a server first "
                        "(tests/engines/postgres.sh start DIR prints the variables)")
    database = f"clientele_{os.getpid()}_{int(time.time() * 1000)}"
    try:
        psql("postgres", ["-c", f'CREATE DATABASE "{database}"'], "create the database")
    except ScriptError as e:
        raise LoadError(str(e)) from None
    try:
        try:
            psql(database, ["-f", os.path.join(export, "schema.sql")], "schema.sql")
            for table in TABLES:
                path = os.path.join(export, f"{table}.csv")
                columns = psql(database, ["-At", "-c",
                                          "SELECT column_name FROM information_schema.columns "
                                          f"WHERE table_name = '{table}' "
                                          "ORDER BY ordinal_position"], "columns").split()
                check_header(table, path, columns)
                # Unquoted empty cell = NULL (the csv format's default); positional.
                psql(database, ["-c", f"\\copy {table} FROM {sql_string(path)} "
                                      "WITH (FORMAT csv, HEADER true)"], f"load {path}")
            psql(database, ["-c", OTHER_NAMES], "crm.book and crm.log")
        except ScriptError as e:
            raise LoadError(str(e)) from None
        timing("load")
        with tempfile.TemporaryDirectory(prefix="clientele-pg") as tmp:
            for k, script in enumerate(scripts):
                with open(script, encoding="utf-8") as f:
                    text = f.read().rstrip()
                wrapped = os.path.join(tmp, f"{k}.sql")
                with open(wrapped, "w", encoding="utf-8") as f:
                    # A session of its own (one psql), and nothing it creates outlives it.
                    # BEGIN on the script's first line keeps psql's line numbers its own.
                    f.write("BEGIN; " + text + ("" if text.endswith(";") else ";")
                            + "\nROLLBACK;\n")
                try:
                    out = psql(database, ["--csv", "-f", wrapped], script)
                    records = list(csv.reader(out.splitlines(keepends=True)))
                    if not records:
                        raise ScriptError("the last statement returns no rows")
                    # psql prints NULL as an empty cell, and every value as text.
                    write_rows(script, records[0], records[1:])
                except ScriptError as e:
                    fail(script, str(e).replace(wrapped, script))
                timing(script)
    finally:
        try:
            psql("postgres", ["-c", f'DROP DATABASE IF EXISTS "{database}"'], "drop")
        except ScriptError as e:
            print(f"run.py: {e}", file=sys.stderr)


# --- Spark SQL ----------------------------------------------------------------------------

def run_spark(export, scripts, timing):
    from pyspark.sql import SparkSession
    from pyspark.errors import PySparkException

    warehouse = tempfile.mkdtemp(prefix="clientele-spark")
    spark = (SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[2]"))
             .appName("clientele-engines")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "2g"))
             .config("spark.sql.shuffle.partitions", os.environ.get("SPARK_PARTITIONS", "4"))
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.warehouse.dir", os.path.join(warehouse, "warehouse"))
             .config("spark.driver.extraJavaOptions",
                     f"-Dderby.system.home={warehouse} -Duser.timezone=UTC")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    timing("spark start")
    try:
        with open(os.path.join(export, "schema.sql"), encoding="utf-8") as f:
            for stmt in statements(f.read(), backslash_escapes=True):
                spark.sql(stmt)
        for table in TABLES:
            path = os.path.join(export, f"{table}.csv")
            schema = spark.table(table).schema
            check_header(table, path, schema.fieldNames())
            # RFC 4180: a quote inside a quoted cell is doubled (Spark's default escape is
            # a backslash); quoted cells may hold line breaks; an empty cell is NULL.
            frame = spark.read.csv(path, schema=schema, header=True, multiLine=True,
                                   escape='"', encoding="UTF-8", mode="FAILFAST",
                                   dateFormat="yyyy-MM-dd")
            frame.write.insertInto(table)
        for stmt in statements(OTHER_NAMES.replace("SCHEMA", "DATABASE")):
            spark.sql(stmt)
        timing("load")
        for script in scripts:
            with open(script, encoding="utf-8") as f:
                stmts = statements(f.read(), backslash_escapes=True)
            # A session of its own: its temporary views and settings are its own (Spark has
            # no transactions to roll back).
            session = spark.newSession()
            try:
                if not stmts:
                    raise ScriptError("the script holds no statement")
                try:
                    for stmt in stmts[:-1]:
                        session.sql(stmt)
                    frame = session.sql(stmts[-1])
                    columns = frame.columns
                    rows = [tuple(r) for r in frame.collect()]
                except PySparkException as e:
                    raise ScriptError(str(e)) from None
                if not columns:
                    raise ScriptError("the last statement returns no rows")
                write_rows(script, columns, rows)
            except ScriptError as e:
                fail(script, e)
            timing(script)
    finally:
        spark.stop()
        shutil.rmtree(warehouse, ignore_errors=True)


def fail(script, error):
    with open(out_path(script, ".err"), "w", encoding="utf-8") as f:
        f.write(str(error).strip() + "\n")


ENGINES = {"duckdb": run_duckdb, "postgres": run_postgres, "spark": run_spark}


def main(argv):
    timed = "--timing" in argv
    argv = [a for a in argv if a != "--timing"]
    if len(argv) < 2 or argv[0] not in ENGINES:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    engine, export, scripts = argv[0], argv[1], argv[2:]
    for script in scripts:
        for ext in (".csv", ".err"):
            if os.path.exists(out_path(script, ext)):
                os.remove(out_path(script, ext))
    last = [time.perf_counter()]

    def timing(what):
        now = time.perf_counter()
        if timed:
            print(f"{engine}\t{what}\t{now - last[0]:.3f}", file=sys.stderr)
        last[0] = now

    try:
        ENGINES[engine](export, scripts, timing)
    except LoadError as e:
        print(f"run.py: {engine}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
