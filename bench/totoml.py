#!/usr/bin/env python3
"""Writes a CSV customer book (as bench/gen.py makes it) as TOML: one file of [[customer]]
tables, or with --folder a folder of one file per customer named by its id.

    python3 bench/totoml.py customers.csv customers.toml
    python3 bench/totoml.py customers.csv folder --folder
"""
import argparse
import csv
import os


def table(row):
    lines = []
    for key, value in row.items():
        if value == "":
            continue
        value = value.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'{key} = "{value}"')
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv")
    ap.add_argument("out")
    ap.add_argument("--folder", action="store_true")
    args = ap.parse_args()
    with open(args.csv, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if args.folder:
        os.makedirs(args.out, exist_ok=True)
        for row in rows:
            with open(os.path.join(args.out, row["id"] + ".toml"), "w", encoding="utf-8") as f:
                f.write(table(row))
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            for row in rows:
                f.write("[[customer]]\n" + table(row) + "\n")


if __name__ == "__main__":
    main()
