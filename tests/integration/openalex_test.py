#!/usr/bin/env python3
"""OpenAlex works (JSON Lines, gzip) in: papers, papers with a country, international papers,
papers per country code and CITES edges equal counts computed here from the JSONL with
independent code; ingesting the file again changes nothing (same content hash).

usage: openalex_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import collections
import gzip
import json
import os
import shutil
import subprocess
import sys

from testlib import run


def main():
    binary, data_dir, work = sys.argv[1:4]
    path = os.path.join(data_dir, "openalex", "works_sample.jsonl.gz")
    if not os.path.exists(path):
        print(f"no {path}; skipping")
        sys.exit(77)
    works = [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8") if line.strip()]
    ids = {w["id"].rsplit("/", 1)[-1] for w in works}
    per_country = collections.Counter()
    with_country = international = 0
    cites = set()
    for w in works:
        codes = {i["country_code"] for a in w.get("authorships") or []
                 for i in a.get("institutions") or [] if i.get("country_code")}
        per_country.update(codes)
        with_country += bool(codes)
        international += len(codes) >= 2
        me = w["id"].rsplit("/", 1)[-1]
        for r in w.get("referenced_works") or []:
            r = r.rsplit("/", 1)[-1]
            if r in ids and r != me:
                cites.add((me, r))

    db = os.path.join(work, "openalex.db")
    shutil.rmtree(db, ignore_errors=True)
    run([binary, "ingest", db, path])
    stats = json.loads(run([binary, "stats", db, "--json"]))
    info = json.loads(run([binary, "info", db, "--hash", "--json"]))
    run([binary, "check", db])
    got_countries = {c["code"]: c["papers"] for c in stats["countries"]}
    failures = []
    for name, a, b in [("papers", stats["papers"], len(works)),
                       ("papers_with_country", stats["papers_with_country"], with_country),
                       ("international_papers", stats["international_papers"], international),
                       ("papers per country", got_countries, dict(per_country)),
                       ("CITES edges", info["edges"]["CITES"], len(cites))]:
        if a != b:
            failures.append(f"{name}: collabgraph {a}, independent {b}")
    run([binary, "ingest", db, path])
    again = json.loads(run([binary, "info", db, "--hash", "--json"]))
    if again["content_hash"] != info["content_hash"]:
        failures.append("a second ingest of the same file changed the database")
    if failures:
        sys.exit("\n".join(failures))
    print(f"{len(works)} works: {with_country} with a country, {international} international, "
          f"{len(per_country)} countries, {len(cites)} citations inside the sample: all match")


if __name__ == "__main__":
    main()
