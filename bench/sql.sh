#!/usr/bin/env bash
# bench/sql.sh: the rules compiled to SQL (`clientele sql JOB`) timed on DuckDB and on Spark SQL
# in local mode, on a generated book, beside clientele's own run of the job; and a check that
# every engine returns exactly clientele's rows.
#
#   bench/sql.sh [--customers N] [--activities M] [--runs K] [--engines LIST] [--job 'JOB ARGS']
#
# Defaults: 1 000 000 customers, 10 000 000 log rows (bench/data/N-M, shared with
# bench/compare.sh), 3 runs, engines duckdb,spark (postgres too when PGHOST names a server:
# tests/engines/postgres.sh starts one), job `due`.
# What it does:
#   1. generates the book with bench/gen.py when bench/data/N-M does not hold it;
#   2. installs what is missing: DuckDB (and pyspark, for spark) into bench/.venv, a Java
#      runtime with apt-get (for spark), and builds clientele (release);
#   3. times clientele's own run, `clientele JOB --format csv`, K times (its output kept);
#   4. per engine: `clientele export --raw --dialect E` and `clientele sql JOB --dialect E`
#      (timed once), then tests/engines/run.py loads the export once and runs the script K
#      times, each time fetching every row (the times are run.py's: the load, and each run of
#      the script, rows written out included);
#   5. compares each engine's rows with clientele's, record by record;
#   6. prints a markdown table: medians of K, and whether the rows are identical.
# Exits 1 when an engine's rows differ from clientele's. CLIENTELE=PATH runs that binary instead
# of building one (a check of the script itself; its times say nothing of a release build).
set -euo pipefail

N=1000000
M=10000000
RUNS=3
ENGINES=duckdb,spark
JOB=due
TODAY=2026-11-22

usage() {
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
}
while [ $# -gt 0 ]; do
    case "$1" in
        --customers) N="$2"; shift 2 ;;
        --activities) M="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --engines) ENGINES="$2"; shift 2 ;;
        --job) JOB="$2"; shift 2 ;;
        -h|--help) usage ;;
        *) echo "sql.sh: unknown argument $1" >&2; usage ;;
    esac
done
if [ -n "${PGHOST:-}" ] && [ "$ENGINES" = duckdb,spark ]; then
    ENGINES=duckdb,spark,postgres
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
DATA="$BENCH/data/$N-$M"
VENV="$BENCH/.venv"
PYSPARK_VERSION=4.3.0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/clientele-sql.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
say() { echo "sql.sh: $*" >&2; }
if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
read -r -a JOB_ARGS <<<"$JOB"

# --- 1. the book --------------------------------------------------------------------------
if [ ! -f "$DATA/customers.csv" ] || [ ! -f "$DATA/activities.csv" ]; then
    say "generating $N customers / $M log rows into $DATA (this can take minutes)"
    rm -rf "$DATA.partial"
    python3 "$BENCH/gen.py" --customers "$N" --activities "$M" --out "$DATA.partial"
    rm -rf "$DATA"
    mv "$DATA.partial" "$DATA"
fi

# --- 2. the tools --------------------------------------------------------------------------
if ! "$VENV/bin/python" -c 'import duckdb' 2>/dev/null; then
    say "creating $VENV with DuckDB from PyPI"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet duckdb
fi
case ",$ENGINES," in *,spark,*)
    if ! command -v java >/dev/null; then
        say "installing a Java runtime (default-jre-headless)"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq default-jre-headless >/dev/null
    fi
    if ! "$VENV/bin/python" -c 'import pyspark' 2>/dev/null; then
        say "installing pyspark $PYSPARK_VERSION into $VENV"
        "$VENV/bin/python" -m pip install --quiet "pyspark==$PYSPARK_VERSION"
    fi
    ;;
esac
if [ -z "${CLIENTELE:-}" ]; then
    TARGET=$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
    say "building clientele (release) into $TARGET"
    (cd "$ROOT" && cargo build --release --quiet --bin clientele)
    CLIENTELE="$TARGET/release/clientele"
fi
CLIENTELE=("$CLIENTELE" -C "$DATA" --today "$TODAY")

# Wall time in seconds of a command, its stdout to a file: "seconds" on stdout.
timed() { # OUT CMD...
    local out="$1" start end
    shift
    start=$EPOCHREALTIME
    "$@" >"$out"
    end=$EPOCHREALTIME
    python3 -c "print(f'{$end - $start:.3f}')"
}

# --- 3. clientele's own run ---------------------------------------------------------------
: >"$WORK/times"
for run in $(seq 1 "$RUNS"); do
    say "clientele $JOB, run $run/$RUNS"
    t=$(timed "$WORK/native.csv" "${CLIENTELE[@]}" "${JOB_ARGS[@]}" --format csv --header always)
    printf 'clientele\tquery\t%s\n' "$t" >>"$WORK/times"
done

# --- 4. the engines -----------------------------------------------------------------------
IFS=, read -r -a ENGINE_LIST <<<"$ENGINES"
for engine in "${ENGINE_LIST[@]}"; do
    say "$engine: export and sql"
    t=$(timed /dev/null "${CLIENTELE[@]}" export "$WORK/export-$engine" --raw --dialect "$engine")
    printf '%s\texport\t%s\n' "$engine" "$t" >>"$WORK/times"
    t=$(timed "$WORK/$engine.sql" "${CLIENTELE[@]}" sql "${JOB_ARGS[0]}" --dialect "$engine" \
        "${JOB_ARGS[@]:1}")
    printf '%s\tsql\t%s\n' "$engine" "$t" >>"$WORK/times"
    scripts=()
    for run in $(seq 1 "$RUNS"); do
        cp "$WORK/$engine.sql" "$WORK/$engine-$run.sql"
        scripts+=("$WORK/$engine-$run.sql")
    done
    say "$engine: load, then the script $RUNS times"
    "$VENV/bin/python" "$ROOT/tests/engines/run.py" --timing "$engine" "$WORK/export-$engine" \
        "${scripts[@]}" 2>"$WORK/$engine.stderr" || { cat "$WORK/$engine.stderr" >&2; exit 2; }
    # run.py's timing lines: ENGINE, what (the load, or a script's path), seconds.
    grep -P "^$engine\t" "$WORK/$engine.stderr" |
        sed -E "s#\t$WORK/$engine-[0-9]+\.sql\t#\tquery\t#" >>"$WORK/times"
    for run in $(seq 1 "$RUNS"); do
        if [ -f "$WORK/$engine-$run.err" ]; then
            say "$engine failed:"
            cat "$WORK/$engine-$run.err" >&2
            exit 2
        fi
    done
done

# --- 5 and 6. identical rows? the table -----------------------------------------------------
export N M RUNS JOB TODAY ENGINES WORK
python3 - <<'EOF'
import csv, os, statistics, subprocess, sys
from collections import defaultdict

e = os.environ
work = e["WORK"]
times = defaultdict(list)
for line in open(os.path.join(work, "times")):
    who, what, seconds = line.rstrip("\n").split("\t")
    times[who, what].append(float(seconds))


def records(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


native = records(os.path.join(work, "native.csv"))
rows = len(native) - 1
verdicts, failed = {}, False
for engine in e["ENGINES"].split(","):
    got = records(os.path.join(work, f"{engine}-1.csv"))
    if got == native:
        verdicts[engine] = "yes"
        continue
    failed = True
    k = next((i for i, (a, b) in enumerate(zip(native, got)) if a != b), min(len(native), len(got)))
    verdicts[engine] = f"**no**: {len(got) - 1} rows, first difference at row {k}"
    print(f"{engine}: row {k}\n  clientele: {native[k] if k < len(native) else None}\n"
          f"  {engine}: {got[k] if k < len(got) else None}", file=sys.stderr)


def med(who, what):
    v = times.get((who, what))
    return f"{statistics.median(v):.2f}" if v else ""


machine = subprocess.run(["sh", "-c", "lscpu | sed -n 's/^Model name: *//p' | head -n 1"],
                         capture_output=True, text=True).stdout.strip()
print(f"## `clientele sql {e['JOB']}` on {int(e['N']):,} customers, {int(e['M']):,} log rows")
print()
print(f"{machine}, {os.cpu_count()} cores; --today {e['TODAY']}; median of {e['RUNS']} runs; "
      f"{rows:,} rows. Load: the two CSV files into the engine's tables; query: the script, "
      "every row fetched and written out.")
print()
print("| engine | export s | load s | query s | same rows as clientele |")
print("|---|---:|---:|---:|---|")
print(f"| clientele (native) | | | {med('clientele', 'query')} | |")
for engine in e["ENGINES"].split(","):
    start = med(engine, "spark start")
    load = med(engine, "load") + (f" (+{start} JVM start)" if start else "")
    print(f"| {engine} | {med(engine, 'export')} | {load} | {med(engine, 'query')} "
          f"| {verdicts[engine]} |")
sys.exit(1 if failed else 0)
EOF
