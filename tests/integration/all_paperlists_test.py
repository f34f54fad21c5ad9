#!/usr/bin/env python3
"""Integration test over every paper list in the data directory (23 venues, 142 files): after
one ingest, the statistics per venue and year equal counts computed here straight from the JSON
with independent code: papers, papers with a country, international papers and the number of
papers per country. This checks that the affiliation-to-country resolution keeps every
paper's country set exactly as the source lists it, whatever the quirks of its index fields.

usage: all_paperlists_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import collections
import glob
import gzip
import json
import os
import re
import shutil
import subprocess
import sys

from testlib import run

SAME_COUNTRY = {"Czech Republic": "Czechia", "Russian Federation": "Russia"}


def norm_title(title):
    return " ".join(re.findall(r"[0-9a-z]+", (title or "").lower()))


def expected(path):
    records = json.load(gzip.open(path, "rt", encoding="utf-8"))
    first = {}
    for r in records:
        rid = str(r.get("id") or "").strip()
        if not rid:
            rid = "title:" + norm_title(r.get("title"))
        first.setdefault(rid, r)
    out = {"papers": 0, "with_country": 0, "international": 0, "countries": collections.Counter()}
    for r in first.values():
        status = (r.get("status") or "").lower()
        if "reject" in status or "withdr" in status:
            continue
        out["papers"] += 1
        s = {SAME_COUNTRY.get(x.strip(), x.strip())
             for x in (r.get("aff_country_unique") or "").split(";")}
        s -= {"", "Unknown"}
        if s:
            out["with_country"] += 1
        if len(s) >= 2:
            out["international"] += 1
        out["countries"].update(s)
    return out


def main():
    binary, data_dir, work = sys.argv[1], sys.argv[2], sys.argv[3]
    if not os.path.isdir(os.path.join(data_dir, "paperlists")):
        print(f"no paper lists under {data_dir}; skipping (set COLLABGRAPH_DATA)")
        sys.exit(77)
    files = sorted(glob.glob(os.path.join(data_dir, "paperlists", "*", "*.json.gz")))
    if len(files) < 100:
        sys.exit(f"expected the paper lists under {data_dir}/paperlists, found {len(files)} files")
    db = os.path.join(work, "all.db")
    shutil.rmtree(db, ignore_errors=True)
    run([binary, "ingest", db, *files, "--no-resolve"])

    failures = []
    venues = sorted({os.path.basename(os.path.dirname(f)) for f in files})
    for venue in venues:
        stats = json.loads(run([binary, "stats", db, "--venue", venue, "--by", "year", "--json"]))
        groups = {g["key"]: g for g in stats["groups"]}
        for path in [f for f in files if os.path.basename(os.path.dirname(f)) == venue]:
            year = re.search(r"((?:19|20)\d\d)\.json", os.path.basename(path)).group(1)
            exp = expected(path)
            got = groups.get(year)
            if got is None:
                failures.append(f"{venue}{year}: missing from stats")
                continue
            got_countries = collections.Counter({c["name"]: c["papers"] for c in got["countries"]})
            for name, a, b in [("papers", got["papers"], exp["papers"]),
                               ("papers_with_country", got["papers_with_country"], exp["with_country"]),
                               ("international_papers", got["international_papers"], exp["international"]),
                               ("papers per country", dict(got_countries), dict(exp["countries"]))]:
                if a != b:
                    failures.append(f"{venue}{year}: {name}: collabgraph {a}, independent {b}")
    if failures:
        print("\n".join(failures[:50]))
        sys.exit(f"{len(failures)} mismatch(es)")
    print(f"{len(files)} files of {len(venues)} venues: every per-file count matches")


if __name__ == "__main__":
    main()
