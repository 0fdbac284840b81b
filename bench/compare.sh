#!/usr/bin/env bash
# bench/compare.sh: clientele against DuckDB (running bench/sql/*.sql) and against a plain
# csv-crate pass over the same files, on a generated book; then every read-only command on a
# 1 000-customer book.
#
#   bench/compare.sh [--customers N] [--activities M] [--runs K] [--small-runs K2] [--ids SHAPE]
#                    [--no-forms]
#
# Defaults: 1 000 000 customers, 10 000 000 log rows, 3 runs (10 on the small book), ids as
# gen.py writes them (C0000123). --ids unpadded|suffixed|email times a copy of the book whose
# ids are C123, C0000123-K or buyer.0000123@example.com instead (clientele's id index takes
# another form for each; DuckDB joins on the text either way).
# What it does, each step skipped when already done:
#   1. generates the book into bench/data/N-M/ with bench/gen.py (minutes at the default
#      size) and the small book into bench/data/1000-10000/;
#   2. creates bench/.venv (python3 -m venv) and installs DuckDB into it from PyPI;
#   3. builds clientele (cargo build --release) and the baseline bench/csvpass;
#   4. runs each job K times, round-robin: the csv pass, clientele, then DuckDB, back to back,
#      each process timed whole (wall clock) with its peak RSS from /usr/bin/time, stdout to
#      /dev/null;
#   5. checks that clientele and DuckDB agree on the number of rows of `due` and `tier`;
#   6. prints markdown tables: medians of K, ratios, peak memory (max of K); every run's
#      figures are kept in bench/data/compare-N-M-DATE.tsv;
#   7. runs bench/forms.sh (every book form at 10k and 100k customers; --no-forms skips it).
# A ratio is the median of K ratios, each between runs made back to back in one round: this
# VM's speed drifts from minute to minute, and a ratio of medians taken minutes apart would
# measure the drift along with the tools.
# Both tools see the same warm page cache (the files are read once before timing) and the
# same cores (both use all of them: DuckDB by default, clientele one chunk per core).

set -euo pipefail

N=1000000
M=10000000
RUNS=3
SMALL_RUNS=10
IDS=fixed
FORMS=yes
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
        --small-runs) SMALL_RUNS="$2"; shift 2 ;;
        --ids) IDS="$2"; shift 2 ;;
        --no-forms) FORMS=no; shift ;;
        -h|--help) usage ;;
        *) echo "compare.sh: unknown argument $1" >&2; usage ;;
    esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
GEN="$BENCH/gen.py"
DATA="$BENCH/data/$N-$M"
SMALL="$BENCH/data/1000-10000"
VENV="$BENCH/.venv"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/clientele-compare.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

say() { echo "compare.sh: $*" >&2; }

# --- 1. the books -------------------------------------------------------------------------
generate() { # N M DIR
    local dir="$3"
    if [ -f "$dir/customers.csv" ] && [ -f "$dir/activities.csv" ]; then
        return
    fi
    if [ ! -f "$GEN" ]; then
        say "no generator at $GEN"
        exit 2
    fi
    say "generating $1 customers / $2 log rows into $dir (this can take minutes)"
    rm -rf "$dir.partial"
    python3 "$GEN" --customers "$1" --activities "$2" --out "$dir.partial"
    rm -rf "$dir"
    mv "$dir.partial" "$dir"
}
mkdir -p "$BENCH/data"
generate "$N" "$M" "$DATA"
generate 1000 10000 "$SMALL"

# The ids reshaped, in both files: the first field of a customer, the second of a log row
# (the row's date is the log pattern's first group, the id's number its second).
case "$IDS" in
    fixed) ;;
    unpadded) ID_FROM='C0*([0-9]+)'; ID_TO='C\1'; LOG_TO='C\2' ;;
    suffixed) ID_FROM='(C[0-9]+)'; ID_TO='\1-K'; LOG_TO='\2-K' ;;
    email) ID_FROM='C([0-9]+)'; ID_TO='buyer.\1@example.com'; LOG_TO='buyer.\2@example.com' ;;
    *) echo "compare.sh: --ids takes fixed, unpadded, suffixed or email" >&2; usage ;;
esac
if [ "$IDS" != fixed ]; then
    SHAPED="$DATA-ids-$IDS"
    if [ ! -f "$SHAPED/customers.csv" ] || [ ! -f "$SHAPED/activities.csv" ]; then
        say "reshaping the ids ($IDS) into $SHAPED"
        rm -rf "$SHAPED.partial"
        mkdir -p "$SHAPED.partial"
        sed -E "2,\$ s/^$ID_FROM,/$ID_TO,/" "$DATA/customers.csv" >"$SHAPED.partial/customers.csv"
        sed -E "2,\$ s/^([^,]*),$ID_FROM,/\1,$LOG_TO,/" "$DATA/activities.csv" \
            >"$SHAPED.partial/activities.csv"
        rm -rf "$SHAPED"
        mv "$SHAPED.partial" "$SHAPED"
    fi
    DATA="$SHAPED"
fi

# A clientele.toml above the data would change what clientele reads; there must be none
# (looked for above the folders as named and as resolved, when they are symbolic links).
for start in "$DATA" "$(cd "$DATA" && pwd -P)" "$SMALL" "$(cd "$SMALL" && pwd -P)"; do
    d="$start"
    while :; do
        if [ -f "$d/clientele.toml" ]; then
            say "found $d/clientele.toml above the benchmark data; move it away first"
            exit 2
        fi
        [ "$d" = / ] && break
        d=$(dirname "$d")
    done
done

# --- 2. DuckDB in its own virtual environment ----------------------------------------------
if ! "$VENV/bin/python" -c 'import duckdb' 2>/dev/null; then
    say "creating $VENV with DuckDB from PyPI"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet duckdb
fi
DUCK_VERSION=$("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)')

# --- 3. the binaries ------------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
    say "installing GNU time (/usr/bin/time) for peak memory"
    if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time >/dev/null
fi
TARGET=$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
say "building clientele (release) into $TARGET"
(cd "$ROOT" && cargo build --release --quiet --bin clientele)
CLIENTELE="$TARGET/release/clientele"
say "building the csv-pass baseline"
cargo build --release --quiet --manifest-path "$BENCH/csvpass/Cargo.toml" \
    --target-dir "$TARGET/csvpass"
CSVPASS="$TARGET/csvpass/release/csvpass"

# --- timing ---------------------------------------------------------------------------------
# Wall time from bash's EPOCHREALTIME (seconds.microseconds; no process started to read it).
us() { echo "${1/[.,]/}"; }

# timed LABEL RUN CMD...: runs CMD with stdout to /dev/null; appends "LABEL RUN wall_s rss_kb"
# to $WORK/results. Exit status 0 and 1 (`check` found problems) are answers; others fail.
timed() {
    local label="$1" run="$2"
    shift 2
    local start end rc=0
    start=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$WORK/rss" "$@" >/dev/null 2>"$WORK/stderr" || rc=$?
    end=$EPOCHREALTIME
    if [ "$rc" -gt 1 ]; then
        say "$label failed (exit $rc):"
        tail -n 20 "$WORK/stderr" >&2
        exit 2
    fi
    # The last line of -o is the RSS (GNU time writes "Command exited ..." before it).
    printf '%s\t%s\t%s\t%s\n' "$label" "$run" "$(($(us "$end") - $(us "$start")))" "$(tail -n 1 "$WORK/rss")" \
        >>"$WORK/results"
}

# job_args JOB DIR: sets ARGS to clientele's arguments for JOB. Every job reads both files.
job_args() {
    ARGS=(-C "$2" --today "$TODAY")
    case "$1" in
        due) ARGS+=(--format tsv due) ;;
        tier_abc) ARGS+=(--format tsv tier --scheme abc) ;;
        report) ARGS+=(--format json report) ;;
        check) ARGS+=(check) ;;
    esac
}
JOBS=(due tier_abc report check)

say "warming the page cache"
"$CSVPASS" "$DATA/customers.csv" "$DATA/activities.csv" >/dev/null
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

: >"$WORK/results"
for run in $(seq 1 "$RUNS"); do
    for job in "${JOBS[@]}"; do
        say "run $run/$RUNS: $job"
        job_args "$job" "$DATA"
        timed "csv:$job" "$run" "$CSVPASS" "$DATA/customers.csv" "$DATA/activities.csv"
        timed "clientele:$job" "$run" "$CLIENTELE" "${ARGS[@]}"
        timed "duckdb:$job" "$run" "$VENV/bin/python" "$BENCH/duck.py" "$job" "$DATA"
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 5. do they agree? ----------------------------------------------------------------------
say "counting rows of due and tier (untimed)"
rows() { "$@" 2>/dev/null | tail -n +2 | wc -l; }
job_args due "$DATA"
DUE_CL=$(rows "$CLIENTELE" "${ARGS[@]}")
DUE_DK=$(rows "$VENV/bin/python" "$BENCH/duck.py" due "$DATA")
job_args tier_abc "$DATA"
TIER_CL=$(rows "$CLIENTELE" "${ARGS[@]}")
TIER_DK=$(rows "$VENV/bin/python" "$BENCH/duck.py" tier_abc "$DATA")

# --- the small book: every read-only command --------------------------------------------
SMALL_CMDS=(
    "check"
    "--format tsv due"
    "--format tsv due --within 7d"
    "--format ics due"
    "--format tsv classify"
    "--format tsv classify --explain"
    "--format tsv tier --scheme abc"
    "--format tsv tier --scheme pyramid"
    "--format tsv tier --scheme grade"
    "--format tsv tier --scheme key"
    "--format tsv tier --scheme value3"
    "--format tsv tier --scheme rfm"
    "--format tsv tier --scheme stars"
    "--format json report"
    "--format tsv report --section owners"
    "rules"
)
say "small book: ${#SMALL_CMDS[@]} commands x $SMALL_RUNS runs"
: >"$WORK/small"
for cmd in "${SMALL_CMDS[@]}"; do
    read -r -a args <<<"$cmd"
    full=("$CLIENTELE" -C "$SMALL" --today "$TODAY" "${args[@]}")
    "${full[@]}" >/dev/null 2>&1 || true # warm-up
    for run in $(seq 1 "$SMALL_RUNS"); do
        rc=0
        start=$EPOCHREALTIME
        "${full[@]}" >/dev/null 2>"$WORK/stderr" || rc=$?
        end=$EPOCHREALTIME
        if [ "$rc" -gt 1 ]; then
            say "clientele $cmd failed (exit $rc):"
            tail -n 20 "$WORK/stderr" >&2
            exit 2
        fi
        printf '%s\t%s\t%s\n' "$cmd" "$run" "$(($(us "$end") - $(us "$start")))" >>"$WORK/small"
    done
    /usr/bin/time -f '%M' -o "$WORK/rss" "${full[@]}" >/dev/null 2>&1 || true
    printf '%s\trss\t%s\n' "$cmd" "$(tail -n 1 "$WORK/rss")" >>"$WORK/small"
done

# --- 6. the tables --------------------------------------------------------------------------
RAW="$BENCH/data/compare-$N-$M-$IDS-$(date +%Y%m%dT%H%M%S).tsv"
{
    printf 'label\trun\twall_us\tpeak_rss_kb\n'
    cat "$WORK/results"
} >"$RAW"
say "every run's figures: $RAW"
MACHINE=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
CPUS=$(nproc)
RAM=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
RUSTC=$(rustc --version)
REVISION=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
export N M IDS RUNS SMALL_RUNS TODAY MACHINE CPUS RAM RUSTC DUCK_VERSION LOAD_BEFORE LOAD_AFTER REVISION \
    DUE_CL DUE_DK TIER_CL TIER_DK
python3 - "$WORK/results" "$WORK/small" <<'EOF'
import os, statistics, sys
from collections import defaultdict

e = os.environ
wall, rss, by_run = defaultdict(list), defaultdict(list), {}
for line in open(sys.argv[1]):
    label, run, w, r = line.rstrip("\n").split("\t")
    wall[label].append(int(w) / 1e6)
    rss[label].append(int(r))
    by_run[label, run] = int(w) / 1e6
med = {k: statistics.median(v) for k, v in wall.items()}
peak = {k: max(v) / 1024 for k, v in rss.items()}
runs = sorted({run for _label, run in by_run})


def ratio(a, b):
    """The median of a's time over b's, run by run (the two ran back to back)."""
    return statistics.median(by_run[a, run] / by_run[b, run] for run in runs)


ids = "" if e["IDS"] == "fixed" else f", ids reshaped ({e['IDS']})"
print(f"## clientele vs DuckDB: {int(e['N']):,} customers, {int(e['M']):,} log rows{ids}")
print()
print(f"clientele {e['REVISION']}. "
      f"Machine: {e['MACHINE']}, {e['CPUS']} cores, {e['RAM']} RAM; {e['RUSTC']}; "
      f"DuckDB {e['DUCK_VERSION']} (Python, all cores). Median of {e['RUNS']} runs, whole "
      f"processes, warm page cache, --today {e['TODAY']}. Load average before / after: "
      f"{e['LOAD_BEFORE']} / {e['LOAD_AFTER']}.")
print()
print("| job | clientele median s | DuckDB median s | csv pass s | clientele/DuckDB "
      "| clientele/csv | clientele peak MB | DuckDB peak MB |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
targets = []
jobs = ("due", "tier_abc", "report", "check")
for job in jobs:
    cl, dk, cs = f"clientele:{job}", f"duckdb:{job}", f"csv:{job}"
    to_duck, to_csv = ratio(cl, dk), ratio(cl, cs)
    print(f"| {job} | {med[cl]:.3f} | {med[dk]:.3f} | {med[cs]:.3f} | {to_duck:.2f} "
          f"| {to_csv:.2f} | {peak[cl]:.0f} | {peak[dk]:.0f} |")
    limit = 0.5 if job == "due" else 1.0
    verdict = lambda ok: "met" if ok else "**not met**"  # noqa: E731
    worst = max(by_run[cl, run] / by_run[cs, run] for run in runs)
    targets.append(f"- {job}: clientele/DuckDB <= {limit}: {verdict(to_duck <= limit)}; "
                   f"clientele/csv <= 1.5: {verdict(to_csv <= 1.5)} "
                   f"(the worst round: {worst:.2f}); "
                   f"peak < 1 GB: {verdict(peak[cl] < 1024)}")
print()
print("Ratios: the median of the rounds' ratios. In a round, each job's csv pass, clientele and "
      "DuckDB run back to back.")
print(f"csv pass: one plain csv-crate pass over customers.csv and activities.csv (bench/csvpass), "
      f"run before each job, peak {max(peak[f'csv:{j}'] for j in jobs):.0f} MB.")
print(f"Rows: due {e['DUE_CL']} (clientele) / {e['DUE_DK']} (DuckDB); "
      f"tier abc {e['TIER_CL']} / {e['TIER_DK']}"
      + ("" if (e['DUE_CL'], e['TIER_CL']) == (e['DUE_DK'], e['TIER_DK']) else "  **DIFFERENT**"))
print()
print("Targets (the issue's):")
print("\n".join(targets))
print()

small = defaultdict(list)
small_rss = {}
for line in open(sys.argv[2]):
    cmd, run, v = line.rstrip("\n").split("\t")
    if run == "rss":
        small_rss[cmd] = int(v) / 1024
    else:
        small[cmd].append(int(v) / 1e3)
print(f"## 1 000-customer book (10 000 log rows): every read-only command, "
      f"median of {e['SMALL_RUNS']} runs")
print()
print("| command | median ms | max ms | peak MB | under 20 ms |")
print("|---|---:|---:|---:|---|")
for cmd, v in small.items():
    m = statistics.median(v)
    print(f"| `clientele {cmd}` | {m:.1f} | {max(v):.1f} | {small_rss.get(cmd, 0):.1f} "
          f"| {'yes' if m < 20 else '**no**'} |")
EOF

# --- 7. the book forms -------------------------------------------------------------------
if [ "$FORMS" = yes ]; then
    echo
    "$BENCH/forms.sh" --runs "$RUNS"
fi
