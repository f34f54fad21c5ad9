#!/usr/bin/env python3
"""Country resolution for affiliations without countries.

1. nips2021 (raw affiliations and e-mail domains, no country fields): with the world
   universities list, ingest resolves a country for at least 90% of authorships.
2. Accuracy: the labelled NeurIPS 2010-2016 files are copied with every country and
   normalised-institution field removed (only raw "aff" and "aff_domain" left), ingested with
   resolution, and the papers per country are compared with the counts from the original
   labels (HK, MO, TW merged into CN, as the labels do). The share of papers whose country
   the resolution gets right must be at least 85%.

usage: resolution_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import collections
import glob
import gzip
import json
import os
import shutil
import subprocess
import sys

from testlib import run

SAME = {"Czech Republic": "Czechia", "Russian Federation": "Russia"}
DROP = ("aff_unique_norm", "aff_unique_index", "aff_unique_dep", "aff_unique_url",
        "aff_unique_abbr", "aff_country_unique", "aff_country_unique_index",
        "aff_campus_unique", "aff_campus_unique_index")


def main():
    binary, data_dir, work = sys.argv[1:4]
    universities = os.path.join(data_dir, "reference", "world_universities_and_domains.json.gz")
    nips2021 = os.path.join(data_dir, "paperlists", "nips", "nips2021.json.gz")
    if not (os.path.exists(universities) and os.path.exists(nips2021)):
        print("data missing; skipping")
        sys.exit(77)
    root = os.path.join(work, "resolution")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    failures = []

    report = json.loads(run([binary, "ingest", os.path.join(root, "2021.db"), nips2021,
                             "--universities", universities, "--json"]))
    f = report["files"][0]
    share = f["authorships_with_country"] / f["authorships"]
    print(f"nips2021: {f['authorships_with_country']} of {f['authorships']} authorships "
          f"resolved ({100 * share:.1f}%)")
    if share < 0.90:
        failures.append(f"nips2021: only {100 * share:.1f}% of authorships resolved")

    stripped, truth = [], collections.Counter()
    papers = 0
    for path in sorted(glob.glob(os.path.join(data_dir, "paperlists", "nips", "nips201*.json.gz"))):
        records = json.load(gzip.open(path, "rt", encoding="utf-8"))
        seen = set()
        for r in records:
            if r["id"] in seen:
                continue
            seen.add(r["id"])
            labels = {SAME.get(x.strip(), x.strip())
                      for x in (r.get("aff_country_unique") or "").split(";")} - {"", "Unknown"}
            truth.update(labels)
            papers += 1
        out = os.path.join(root, os.path.basename(path).replace(".gz", ""))
        with open(out, "w", encoding="utf-8") as fh:
            json.dump([{k: v for k, v in r.items() if k not in DROP} for r in records], fh)
        stripped.append(out)
    db = os.path.join(root, "stripped.db")
    run([binary, "ingest", db, *stripped, "--universities", universities])
    stats = json.loads(run([binary, "stats", db, "--regions", "merge", "--json"]))
    got = collections.Counter({c["name"]: c["papers"] for c in stats["countries"]})
    agree = sum(min(got[c], truth[c]) for c in truth)
    total = sum(truth.values())
    print(f"NeurIPS 2010-2016 without labels: resolved papers per country agree with the labels "
          f"on {agree} of {total} paper-country pairs ({100 * agree / total:.1f}%); "
          f"top differences: "
          + ", ".join(f"{c} {got[c]} vs {truth[c]}" for c, _ in
                      sorted(((c, abs(got[c] - truth[c])) for c in set(got) | set(truth)),
                             key=lambda x: -x[1])[:5]))
    if agree / total < 0.85:
        failures.append(f"resolution agrees with the labels on only {100 * agree / total:.1f}%")
    if failures:
        sys.exit("\n".join(failures))


if __name__ == "__main__":
    main()
