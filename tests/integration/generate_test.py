#!/usr/bin/env python3
"""`collabgraph generate`: the same seed writes the same files, another seed other files; the
tables load with `ingest`; and the data have the documented shape, counted here from the CSV
files themselves: about a fifth of papers international (and `stats` agrees exactly), mean
team size near 4, heavy-tailed author productivity, institutions clustered by country, the
United States the largest country.

usage: generate_test.py COLLABGRAPH_BINARY WORK_DIR
"""
import collections
import csv
import hashlib
import json
import os
import shutil
import statistics
import sys

from testlib import run


def digest(directory):
    h = hashlib.sha256()
    for name in sorted(os.listdir(directory)):
        h.update(name.encode())
        with open(os.path.join(directory, name), "rb") as f:
            h.update(f.read())
    return h.hexdigest()


def rows(directory, table):
    with open(os.path.join(directory, table + ".csv"), newline="") as f:
        return list(csv.DictReader(f))


def main():
    binary, work = sys.argv[1:3]
    root = os.path.join(work, "generate")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    a, b, c = (os.path.join(root, x) for x in ("a", "b", "c"))
    summary = json.loads(run([binary, "generate", a, "--papers", "20000", "--seed", "7",
                              "--json"]))
    run([binary, "generate", b, "--papers", "20000", "--seed", "7"])
    run([binary, "generate", c, "--papers", "20000", "--seed", "8"])
    failures = []
    if digest(a) != digest(b):
        failures.append("the same seed wrote different files")
    if digest(a) == digest(c):
        failures.append("another seed wrote the same files")

    located = {r["institution"]: r["country"] for r in rows(a, "located_in")}
    countries = {r["id"]: r["name"] for r in rows(a, "countries")}
    paper_countries = collections.defaultdict(set)
    for r in rows(a, "affiliated"):
        paper_countries[r["paper"]].add(located[r["institution"]])
    authored = rows(a, "authored")
    team = collections.Counter(r["paper"] for r in authored)
    per_author = collections.Counter(r["author"] for r in authored)
    n_papers = len(rows(a, "papers"))
    international = sum(1 for s in paper_countries.values() if len(s) >= 2)
    share = international / n_papers
    mean_team = len(authored) / n_papers
    median_author = statistics.median(per_author.values())
    by_country = collections.Counter(countries[c] for s in paper_countries.values() for c in s)
    checks = [
        ("papers", n_papers == 20000),
        ("international share 0.17-0.23", 0.17 <= share <= 0.23),
        ("mean team 3-5", 3.0 <= mean_team <= 5.0),
        ("largest team <= 30", max(team.values()) <= 30),
        ("heavy tail: top author >= 10x the median", max(per_author.values()) >= 10 * median_author),
        ("United States largest", by_country.most_common(1)[0][0] == "United States"),
        ("summary agrees", summary["authorships"] == len(authored) and
         abs(summary["intl_share"] - share) < 1e-4),
    ]
    failures += [f"{name}: failed (share {share:.3f}, mean team {mean_team:.2f}, top author "
                 f"{max(per_author.values())}, median {median_author})"
                 for name, ok in checks if not ok]

    db = os.path.join(root, "db")
    run([binary, "ingest", db, a])
    stats = json.loads(run([binary, "stats", db, "--json"]))
    if stats["papers"] != n_papers or stats["international_papers"] != international:
        failures.append(f"stats: {stats['papers']} papers, {stats['international_papers']} "
                        f"international; the CSV files have {n_papers}, {international}")
    info = json.loads(run([binary, "info", db, "--json"]))
    if info["edges"]["AUTHORED"] != len(authored):
        failures.append(f"AUTHORED edges {info['edges']['AUTHORED']} != {len(authored)} rows")
    if failures:
        print("\n".join(failures))
        sys.exit(f"{len(failures)} failure(s)")
    print(f"20000 papers: {share:.1%} international, mean team {mean_team:.2f}, top author "
          f"{max(per_author.values())} papers (median {median_author}); deterministic; ingested")


if __name__ == "__main__":
    main()
