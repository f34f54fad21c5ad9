#!/usr/bin/env python3
"""Author overrides on real data (ingest --authors FILE): NeurIPS lists Michael I. Jordan
under two spellings and has several people named Yang Liu. With

    merge: Michael I. Jordan | Michael Jordan
    split: Yang Liu @ Tsinghua University

the two spellings become one author whose co-authors are the union of both spellings'
co-authors (counted here independently from the JSON), and the Yang Liu of Tsinghua becomes an
author of their own. A bad override file is an error naming the file and line.

usage: author_overrides_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import glob
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata

from testlib import run


def key(name):
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", folded))


def authors(record):
    text = record.get("author") or ""
    pieces = text.split(";") if ";" in text else text.split(",")
    return [key(p.strip().rstrip(",")) for p in pieces if key(p.strip().rstrip(","))]


def degrees(binary, db):
    d = json.loads(run([binary, "centrality", db, "--graph", "author", "--metric", "degree",
                        "--json", "--top", "0"]))
    out = {}
    for r in d["results"]:
        out.setdefault(r["name"], []).append(round(r["value"] * (d["nodes"] - 1)))
    return out


def main():
    binary, data_dir, work = sys.argv[1:4]
    files = sorted(glob.glob(os.path.join(data_dir, "paperlists", "nips", "nips*.json.gz")))
    if not files:
        print(f"no NeurIPS paper lists under {data_dir}; skipping")
        sys.exit(77)
    root = os.path.join(work, "author_overrides")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    overrides = os.path.join(root, "authors.txt")
    with open(overrides, "w") as f:
        f.write("# one person, two spellings\nmerge: Michael I. Jordan | Michael Jordan\n\n"
                "split: Yang Liu @ Tsinghua University\n")
    plain, with_overrides = os.path.join(root, "plain.db"), os.path.join(root, "overrides.db")
    run([binary, "ingest", plain, *files, "--no-resolve"])
    out = run([binary, "ingest", with_overrides, *files, "--no-resolve", "--authors", overrides])
    failures = []
    if not re.search(r"author overrides of .*: \d+ authorship\(s\) re-identified", out):
        failures.append(f"no override summary: {out[-300:]}")

    # Independent co-author sets of the two spellings (counted papers: not rejected).
    coauthors = {"michael i jordan": set(), "michael jordan": set()}
    for path in files:
        seen = set()
        for r in json.load(gzip.open(path, "rt", encoding="utf-8")):
            rid = str(r.get("id") or "").strip()
            if rid in seen:
                continue
            seen.add(rid)
            status = (r.get("status") or "").lower()
            if "reject" in status or "withdr" in status:
                continue
            names = authors(r)
            for who in coauthors:
                if who in names:
                    coauthors[who].update(n for n in names if n not in coauthors)
    union = coauthors["michael i jordan"] | coauthors["michael jordan"]

    before, after = degrees(binary, plain), degrees(binary, with_overrides)
    if "Michael Jordan" not in before or "Michael I. Jordan" not in before:
        failures.append("the plain database lacks one of the two spellings")
    if "Michael Jordan" in after:
        failures.append("Michael Jordan is still an author of their own after the merge")
    if after.get("Michael I. Jordan") != [len(union)]:
        failures.append(f"merged co-authors {after.get('Michael I. Jordan')} != independent "
                        f"{len(union)}")
    if len(after.get("Yang Liu (Tsinghua University)", [])) != 1:
        failures.append("no Yang Liu (Tsinghua University) after the split")
    if len(after.get("Yang Liu", [])) != 1 or after["Yang Liu"][0] >= before["Yang Liu"][0]:
        failures.append(f"Yang Liu kept {after.get('Yang Liu')} co-authors, had "
                        f"{before.get('Yang Liu')}")
    n_before = json.loads(run([binary, "info", plain, "--json"]))["nodes"]["Author"]
    n_after = json.loads(run([binary, "info", with_overrides, "--json"]))["nodes"]["Author"]
    if n_after != n_before:  # one merge (-1), one split (+1)
        failures.append(f"authors {n_after} with overrides, {n_before} without")
    check = subprocess.run([binary, "check", with_overrides], capture_output=True, text=True)
    if check.returncode != 0:
        failures.append(f"check: {check.stdout[-300:]}")

    with open(overrides, "w") as f:
        f.write("merge: A | B\nmerge: C | b\n")
    p = subprocess.run([binary, "ingest", os.path.join(root, "bad.db"), files[0], "--authors",
                        overrides], capture_output=True, text=True)
    if p.returncode != 2 or "authors.txt: line 2" not in p.stderr:
        failures.append(f"bad override file: exit {p.returncode}, {p.stderr.strip()}")
    if failures:
        print("\n".join(failures))
        sys.exit(f"{len(failures)} failure(s)")
    print(f"merge: Michael I. Jordan has {len(union)} co-authors (independent union of both "
          f"spellings); split: Yang Liu {before['Yang Liu'][0]} -> {after['Yang Liu'][0]} + "
          f"Tsinghua {after['Yang Liu (Tsinghua University)'][0]} co-authors")


if __name__ == "__main__":
    main()
