#!/usr/bin/env python3
"""Integration test of the command line's error contract: usage errors exit 1, data errors
exit 2 with a message naming the file and record, and a failed ingest writes nothing.

usage: cli_errors_test.py COLLABGRAPH_BINARY WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def main():
    binary, work = sys.argv[1:3]
    root = os.path.join(work, "cli_errors")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    good = os.path.join(root, "conf2020.json")
    with open(good, "w") as f:
        json.dump([{"id": "a", "title": "T", "author": "Ann; Bo",
                    "aff_unique_index": "0;1", "aff_unique_norm": "MIT;PKU",
                    "aff_country_unique_index": "0;1",
                    "aff_country_unique": "United States;China"}], f)
    bad = os.path.join(root, "conf2021.json")
    with open(bad, "w") as f:
        f.write('[{"id": "a"}, {"id": "b", "author": 17}]')
    db = os.path.join(root, "db")
    failures = []

    def expect(cmd, code, needles=()):
        p = run(cmd)
        if p.returncode != code:
            failures.append(f"{cmd[1:]}: exit {p.returncode}, expected {code}; stderr: {p.stderr}")
        for n in needles:
            if n not in p.stderr and n not in p.stdout:
                failures.append(f"{cmd[1:]}: output lacks {n!r}: {p.stderr}")
        return p

    expect([binary], 1)
    expect([binary, "frobnicate"], 1, ["unknown command"])
    expect([binary, "stats", db, "--by", "month"], 1, ["--by must be year, venue or tag"])
    # stats, pairs and report share one option parser; an option another of them takes is a
    # usage error, never silently ignored.
    expect([binary, "stats", db, "--top", "5"], 1, ["--top is not an option of stats"])
    expect([binary, "stats", db, "--detail", "US,CN"], 1, ["--detail is not an option of stats"])
    expect([binary, "pairs", db, "--pair", "US,CN"], 1, ["--pair is not an option of pairs"])
    expect([binary, "report", db, "-o", os.path.join(root, "r.html"), "--by", "year"], 1,
           ["--by is not an option of report"])
    expect([binary, "ingest", db, good, bad], 2,
           ["conf2021.json: record 1 (id \"b\"): field \"author\" must be a string"])
    if os.path.exists(db):
        failures.append("a failed ingest into a new path left a database behind")
    expect([binary, "ingest", db, good], 0)
    expect([binary, "ingest", db, good, bad], 2, ["conf2021.json: record 1"])
    info = json.loads(run([binary, "info", db, "--json"]).stdout)
    if info["nodes"]["Paper"] != 1:
        failures.append("a failed ingest into an existing database changed it")
    expect([binary, "ingest", db, good], 0)
    expect([binary, "stats", os.path.join(root, "missing")], 2, ["no database at"])
    expect([binary, "stats", root], 2, ["not a CollabGraph database"])
    expect([binary, "centrality", db, "--graph", "country", "--metric", "nope"], 1,
           ["unknown metric"])
    expect([binary, "stats", db, "--pair", "US,Atlantis"], 1, ["unknown country"])
    expect([binary, "centrality", db, "--graph", "author", "--metric", "degree",
            "--max-members", "1"], 0,
           ["warning: 1 paper(s) with more than 1 members add no edges to the author graph"])
    # compact: usage errors, a database that is not there, and a compaction that keeps the
    # content (same info and content hash) and leaves one sorted run per column family (6).
    expect([binary, "compact"], 1, ["compact needs DB"])
    expect([binary, "compact", db, "--top", "5"], 1, ["--top"])
    expect([binary, "compact", os.path.join(root, "missing")], 2, ["no database at"])
    before = run([binary, "info", db, "--hash", "--json"]).stdout
    p = expect([binary, "compact", db, "--json"], 0)
    try:
        report = json.loads(p.stdout)
        if report["sorted_runs_after"] != 6 or report["sorted_runs_before"] < 6:
            failures.append(f"compact: unexpected sorted runs {report}")
    except (ValueError, KeyError) as e:
        failures.append(f"compact --json printed {p.stdout!r}: {e}")
    after = run([binary, "info", db, "--hash", "--json"]).stdout
    strip = lambda s: {k: v for k, v in json.loads(s).items() if k != "approximate_bytes"}
    if strip(before) != strip(after):
        failures.append(f"compact changed info --hash: {before} -> {after}")
    expect([binary, "compact", db], 0, ["sorted runs -> 6"])
    for sub in ["ingest", "info", "stats", "pairs", "centrality", "compact"]:
        expect([binary, sub, "--help"], 0, ["usage: collabgraph " + sub])
    p = expect([binary, "stats", db, "--pair", "United States,china"], 0, ["US-CN"])
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print("CLI error contract holds")


if __name__ == "__main__":
    main()
