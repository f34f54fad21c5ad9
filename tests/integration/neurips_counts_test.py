#!/usr/bin/env python3
"""Integration test: every NeurIPS paper list goes into a fresh database through the CLI, and
the per-year statistics that a second process reads back equal counts this script computes
straight from the JSON with its own simple code (it shares nothing with the library).

usage: neurips_counts_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import glob
import gzip
import json
import os
import re
import shutil
import subprocess
import sys

from testlib import run

# The only spelling pairs in the NeurIPS files that name one country twice.
SAME_COUNTRY = {"Czech Republic": "Czechia", "Russian Federation": "Russia"}


def country_set(record):
    labels = (record.get("aff_country_unique") or "").split(";")
    out = set()
    for label in labels:
        label = label.strip()
        if label and label != "Unknown":
            out.add(SAME_COUNTRY.get(label, label))
    return out


def is_rejected(record):
    status = (record.get("status") or "").lower()
    return "reject" in status or "withdr" in status


def expected_for_file(path):
    records = json.load(gzip.open(path, "rt", encoding="utf-8"))
    first = {}
    for r in records:
        rid = str(r.get("id") or "").strip()
        assert rid, f"{path}: a NeurIPS record without id; extend this test's identity rule"
        first.setdefault(rid, r)
    kept = [r for r in first.values() if not is_rejected(r)]
    sets = [country_set(r) for r in kept]
    return {
        "records": len(records),
        "distinct": len(first),
        "papers": len(kept),
        "excluded": len(first) - len(kept),
        "with_country": sum(1 for s in sets if s),
        "international": sum(1 for s in sets if len(s) >= 2),
        "us_cn": sum(1 for s in sets if {"United States", "China"} <= s),
        "us_cn_bilateral": sum(1 for s in sets if s == {"United States", "China"}),
        "us": sum(1 for s in sets if "United States" in s),
        "cn": sum(1 for s in sets if "China" in s),
    }


def main():
    binary, data_dir, work = sys.argv[1], sys.argv[2], sys.argv[3]
    if not os.path.isdir(os.path.join(data_dir, "paperlists")):
        print(f"no paper lists under {data_dir}; skipping (set COLLABGRAPH_DATA)")
        sys.exit(77)
    files = sorted(glob.glob(os.path.join(data_dir, "paperlists", "nips", "nips*.json.gz")))
    if len(files) < 31:
        sys.exit(f"expected the 31 NeurIPS files under {data_dir}/paperlists/nips, found {len(files)}")
    db = os.path.join(work, "neurips.db")
    shutil.rmtree(db, ignore_errors=True)

    report = json.loads(run([binary, "ingest", db, *files, "--json", "--no-resolve"]))
    stats = json.loads(run([binary, "stats", db, "--by", "year", "--json"]))
    groups = {g["key"]: g for g in stats["groups"]}
    bilateral = json.loads(run([binary, "stats", db, "--by", "year", "--pair-rule", "bilateral",
                                "--json"]))
    bilateral_groups = {g["key"]: g for g in bilateral["groups"]}
    assert bilateral["rules"]["pair_rule"] == "bilateral"
    detail = json.loads(run([binary, "pairs", db, "--detail", "United States,China", "--json"]))
    series = {str(p["year"]): p for p in detail["series"]}
    assert stats["rules"]["country_set"], "stats must say which rules produced it"

    failures = []
    by_file = {os.path.basename(f["path"]): f for f in report["files"]}
    for path in files:
        year = re.search(r"(\d{4})", os.path.basename(path)).group(1)
        exp = expected_for_file(path)
        fr = by_file[os.path.basename(path)]
        got = groups.get(year)
        checks = [
            ("records", fr["records"], exp["records"]),
            ("papers after merging duplicate ids", fr["papers"], exp["distinct"]),
            ("merged duplicates", fr["merged_duplicates"], exp["records"] - exp["distinct"]),
            ("added", fr["added"], exp["distinct"]),
        ]
        if got is None:
            failures.append(f"{year}: no group in stats")
            continue
        checks += [
            ("papers", got["papers"], exp["papers"]),
            ("excluded (rejected)", got["excluded_papers"], exp["excluded"]),
            ("papers_with_country", got["papers_with_country"], exp["with_country"]),
            ("unknown_country_papers", got["unknown_country_papers"], exp["papers"] - exp["with_country"]),
            ("international_papers", got["international_papers"], exp["international"]),
        ]
        pair = next((p for p in got["pairs"] if {p["a"], p["b"]} == {"US", "CN"}), None)
        us_cn = pair["papers"] if pair else 0
        checks.append(("US-CN papers", us_cn, exp["us_cn"]))
        bi = next((p["papers"] for p in bilateral_groups[year]["pairs"]
                   if {p["a"], p["b"]} == {"US", "CN"}), 0)
        checks.append(("US-CN papers, bilateral rule", bi, exp["us_cn_bilateral"]))
        checks.append(("US-CN series (pairs --detail)", series[year]["pair_papers"], exp["us_cn"]))
        checks.append(("papers in the series", series[year]["papers"], exp["papers"]))
        if pair:
            c, a, b, n = exp["us_cn"], exp["us"], exp["cn"], exp["with_country"]
            for name, value in [("salton", c / (a * b) ** 0.5), ("jaccard", c / (a + b - c)),
                                ("association_strength", c * n / (a * b))]:
                if abs(pair[name] - value) > 1e-12 * max(1.0, value):
                    failures.append(f"{year}: US-CN {name}: collabgraph {pair[name]}, "
                                    f"independent {value}")
        for name, actual, expected in checks:
            if actual != expected:
                failures.append(f"{year}: {name}: collabgraph {actual}, independent count {expected}")
        print(f"{year}: papers {exp['papers']:5d}  with country {exp['with_country']:5d}  "
              f"international {exp['international']:4d}  US-CN {exp['us_cn']:3d}")

    # Ingesting the same files again changes nothing.
    again = json.loads(run([binary, "ingest", db, *files, "--json", "--no-resolve"]))
    if any(f["added"] != 0 for f in again["files"]):
        failures.append("second ingest of the same files added papers")
    if json.loads(run([binary, "stats", db, "--by", "year", "--json"])) != stats:
        failures.append("second ingest of the same files changed the statistics")

    if failures:
        print("\n".join(failures))
        sys.exit(f"{len(failures)} mismatch(es)")
    print(f"{len(files)} files, {sum(g['papers'] for g in groups.values())} papers: all counts match")


if __name__ == "__main__":
    main()
