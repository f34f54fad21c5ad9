#!/usr/bin/env python3
"""Runs the program built from docs/api.md's examples on NeurIPS 2010-2016 and 2021 and checks
every line it prints against `collabgraph query`, `stats` and `centrality` on the same
database: the documented examples compile, run, and say what the CLI says.

usage: api_doc_test.py API_DOC_EXAMPLES COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import glob
import json
import os
import shutil
import sys
from collections import Counter

from testlib import run


def main():
    program, binary, data_dir, work = sys.argv[1:5]
    files = sorted(glob.glob(os.path.join(data_dir, "paperlists", "nips", "nips201[0-6].json.gz")))
    files += glob.glob(os.path.join(data_dir, "paperlists", "nips", "nips2021.json.gz"))
    if len(files) < 8:
        print(f"no NeurIPS 2010-2016/2021 paper lists under {data_dir}; skipping")
        sys.exit(77)
    root = os.path.join(work, "api_doc")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    db = os.path.join(root, "db")
    run([binary, "ingest", db, *files])
    out = run([program, db]).splitlines()
    print("\n".join(out))

    def q(*args):
        return json.loads(run([binary, "query", db, *args, "--json", "--limit", "0"]))

    lines = {}
    for line in out:
        lines.setdefault(line.split()[0], []).append(line.split())
    failures = []

    def expect(what, got, want):
        if got != want:
            failures.append(f"{what}: docs program says {got}, the CLI {want}")

    jordan = q("author", "--name", "michael i jordan", "--normalized")["results"][0]
    expect("author", lines["author"][0][1:3], [str(jordan["id"]), "Michael"])
    paper = json.loads(run([binary, "query", db, "paper", "--source", "nips/2016/7007", "--json"]))
    expect("paper", lines["paper"][0][1:3], [str(paper["paper"]["id"]), "2016"])
    expect("missing", lines["missing"][0][1], "NotFound")

    stats = json.loads(run([binary, "stats", db, "--by", "year", "--json"]))
    want = {}
    for g in stats["groups"]:
        n = sum(p["papers"] for p in g["pairs"] if (p["a"], p["b"]) == ("CN", "US"))
        if n:
            want[g["key"]] = n
    expect("us-cn per year", {y: int(n) for _, y, n in lines["us-cn"]}, want)

    inst_id = lines["institution"][0][1]
    expect("institution papers", int(lines["institution"][0][3]),
           q("papers", "--institution", inst_id, "--years", "2014:2016")["count"])

    expect("authorships", [(int(l[1]), int(l[2])) for l in lines["authorship"]],
           [(a["position"], a["author"]["id"]) for a in paper["authorships"]])
    split = json.loads(run([binary, "query", db, "paper", "--source", "nips/2016/7007",
                            "--regions", "split", "--json"]))
    expect("countries", [l[1] for l in lines["country"]], [c["code"] for c in split["countries"]])

    co = q("coauthors", str(jordan["id"]))["results"][:3]
    expect("coauthors", [(int(l[1]), int(l[2])) for l in lines["coauthor"]],
           [(c["author"]["id"], c["papers"]) for c in co])
    hood = Counter(r["distance"] for r in q("neighborhood", str(jordan["id"]), "--hops", "2")["results"])
    expect("neighborhood", (int(lines["within"][0][2]), int(lines["within"][0][5])), (hood[1], hood[2]))
    hinton = q("author", "--name", "Geoffrey E. Hinton")["results"][0]
    path = [r["id"] for r in q("path", str(jordan["id"]), str(hinton["id"]))["results"]]
    expect("path", [int(x) for x in lines["path"][0][3:]], path)

    pairs = q("pairs", "--include-rejected")["results"][:3]
    expect("pairs", [(l[1], int(l[2])) for l in lines["pair"]],
           [(f"{p['a']}-{p['b']}", p["papers"]) for p in pairs])
    top = json.loads(run([binary, "query", db, "prolific", "--limit", "3", "--json"]))["results"]
    expect("prolific", [(int(l[1]), int(l[2])) for l in lines["prolific"]],
           [(a["author"]["id"], a["papers"]) for a in top])

    merged = json.loads(run([binary, "stats", db, "--by", "year", "--regions", "merge", "--json"]))
    expect("stats groups", int(lines["stats"][0][2]), len(merged["groups"]))
    expect("rules", int(lines["stats"][0][4]), len(merged["rules"]))
    central = json.loads(run([binary, "centrality", db, "--graph", "country", "--metric", "degree",
                              "--top", "1", "--json"]))
    expect("centrality", lines["most"][0][2], central["results"][0]["code"])

    if failures:
        print("\n".join(failures))
        sys.exit(f"FAILED: {len(failures)} differences")
    print(f"docs/api.md: {len(out)} lines printed, all equal the CLI")


if __name__ == "__main__":
    main()
