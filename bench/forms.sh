#!/usr/bin/env bash
# bench/forms.sh: every form of the book (one CSV file, one TOML file, a folder of one TOML
# file per customer) at two sizes, to show that each reads and writes in linear time.
#
#   bench/forms.sh [--small N] [--large N] [--runs K]
#
# Defaults: 10 000 and 100 000 customers (ten log rows each), 3 runs. The books are made by
# bench/gen.py and bench/totoml.py into bench/data/forms-N/ (skipped when there). Jobs:
#   due                       read the book and the log, print the morning list;
#   promote --auto --dry-run  read, decide every promotion, plan the writes (nothing written);
#   snooze ONE                a one-cell change: read, write one customer back, append a row;
#   promote --auto            the same changes as the dry run, written (thousands of files
#                             in a folder book).
# A writing job runs on a fresh copy of the book made before the clock starts. Each run is
# the whole process (wall clock, peak RSS from /usr/bin/time), stdout to /dev/null.
# Targets (issue "Under load, faults and hostile input"): due and promote --auto --dry-run
# under 3 s at 100 000 customers in every form, and 100k / 10k at most 12x for every job.

set -euo pipefail

SMALL=10000
LARGE=100000
RUNS=3
TODAY=2026-11-22
while [ $# -gt 0 ]; do
    case "$1" in
        --small) SMALL="$2"; shift 2 ;;
        --large) LARGE="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
        *) echo "forms.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
BIN="$ROOT/target/release/clientele"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/clientele-forms.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
say() { echo "forms.sh: $*" >&2; }

(cd "$ROOT" && cargo build --release --quiet)

books() { # N
    local dir="$BENCH/data/forms-$1"
    if [ -d "$dir/folder" ] && [ -f "$dir/customers.toml" ]; then
        return
    fi
    say "making the $1-customer book in three forms into $dir"
    rm -rf "$dir.partial"
    python3 "$BENCH/gen.py" --customers "$1" --activities "$(($1 * 10))" --out "$dir.partial"
    python3 "$BENCH/totoml.py" "$dir.partial/customers.csv" "$dir.partial/customers.toml"
    python3 "$BENCH/totoml.py" "$dir.partial/customers.csv" "$dir.partial/folder" --folder
    rm -rf "$dir"
    mv "$dir.partial" "$dir"
}
books "$SMALL"
books "$LARGE"

TIMES="$WORK/times.tsv"
: > "$TIMES"
# One run of a job on a form of the N-customer book; a writing job on a fresh copy.
run() { # N FORM JOB RUN
    local n="$1" form="$2" job="$3" k="$4" src="$BENCH/data/forms-$1" dir book
    case "$form" in
        csv) book=customers.csv ;;
        toml) book=customers.toml ;;
        folder) book=folder ;;
    esac
    case "$job" in
        due|dry) dir="$src" ;;
        *)
            dir="$WORK/copy"
            rm -rf "$dir"
            mkdir "$dir"
            cp -r "$src/$book" "$dir/"
            cp "$src/activities.csv" "$dir/"
            ;;
    esac
    local args
    case "$job" in
        due) args=(due) ;;
        dry) args=(promote --auto --dry-run) ;;
        snooze) args=(snooze C0000007 2026-12-14) ;;
        write) args=(promote --auto) ;;
    esac
    local out
    out=$(cd "$dir" && /usr/bin/time -f "%e %M" "$BIN" --customers "$book" --today "$TODAY" \
        "${args[@]}" 2>&1 >/dev/null | tail -1)
    printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$form" "$job" "$k" "$out" >> "$TIMES"
}

for k in $(seq "$RUNS"); do
    for n in "$SMALL" "$LARGE"; do
        for form in csv toml folder; do
            for job in due dry snooze write; do
                say "run $k: $n $form $job"
                run "$n" "$form" "$job" "$k"
            done
        done
    done
done

python3 - "$TIMES" "$SMALL" "$LARGE" "$RUNS" "$(git -C "$ROOT" rev-parse --short HEAD)" \
    "$(nproc)" <<'PY'
import statistics, sys
from collections import defaultdict
times, small, large, runs, rev, cpus = sys.argv[1:]
secs, peak = defaultdict(list), defaultdict(int)
for line in open(times):
    n, form, job, _, out = line.rstrip("\n").split("\t")
    e, kb = out.split()
    secs[n, form, job].append(float(e))
    peak[n, form, job] = max(peak[n, form, job], int(kb))
names = {"due": "due", "dry": "promote --auto --dry-run", "snooze": "snooze (one cell)",
         "write": "promote --auto (written)"}
forms = {"csv": "CSV file", "toml": "TOML file", "folder": "TOML folder"}
print(f"## Book forms: {int(small):,} and {int(large):,} customers (ten log rows each)")
print()
print(f"clientele {rev}, {cpus} cores; median of {runs} runs, whole processes, warm page cache.")
print()
print(f"| form | job | {int(small)//1000}k s | {int(large)//1000}k s | ratio | "
      f"{int(large)//1000}k peak MB | target |")
print("|---|---|---:|---:|---:|---:|---|")
for form, fname in forms.items():
    for job, jname in names.items():
        a = statistics.median(secs[small, form, job])
        b = statistics.median(secs[large, form, job])
        ratio = b / a if a else float("inf")
        ok = ratio <= 12 and (job not in ("due", "dry") or b < 3)
        print(f"| {fname} | {jname} | {a:.2f} | {b:.2f} | {ratio:.1f} | "
              f"{peak[large, form, job] / 1024:.0f} | {'met' if ok else '**not met**'} |")
print()
print("Target: 100k/10k at most 12x for every job; due and the dry run under 3 s at 100k.")
PY
