#!/usr/bin/env python3
"""`collabgraph query` on real data (NeurIPS 2010-2016 and 2021) against independent answers:
the collaboration graphs come from `export --format json` (built by the analytics layer from a
full table scan, not by the query layer's index and adjacency reads) and NetworkX computes
neighbourhoods and shortest-path lengths on them; country counts come from `stats`.

Checked: co-authors with shared-paper counts, 2-hop neighbourhoods with distances, shortest
author and institution paths (length, every step an edge, the linking paper holds both ends),
US-CN and per-country paper counts per year under the three regions views, name lookups
(exact and normalised), most prolific authors, and the errors for bad arguments.

usage: query_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import glob
import json
import os
import random
import shutil
import subprocess
import sys

import networkx as nx

from testlib import run


def main():
    binary, data_dir, work = sys.argv[1:4]
    files = sorted(glob.glob(os.path.join(data_dir, "paperlists", "nips", "nips201[0-6].json.gz")))
    files += glob.glob(os.path.join(data_dir, "paperlists", "nips", "nips2021.json.gz"))
    if len(files) < 8:
        print(f"no NeurIPS 2010-2016/2021 paper lists under {data_dir}; skipping")
        sys.exit(77)
    root = os.path.join(work, "query")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    db = os.path.join(root, "db")
    run([binary, "ingest", db, *files])
    failures = []
    rng = random.Random(7)

    def query(*args):
        return json.loads(run([binary, "query", db, *args, "--json", "--limit", "0"]))

    def graph(kind):
        out = os.path.join(root, kind + ".json")
        run([binary, "export", db, "--graph", kind, "--format", "json", "-o", out,
             "--max-members", "0", "--include-rejected"])
        with open(out) as f:
            data = json.load(f)
        g = nx.Graph()
        for n in data["nodes"]:
            g.add_node(n["id"], name=n["name"])
        for e in data["edges"]:
            g.add_edge(e["source"], e["target"], papers=e["papers"])
        return g

    authors = graph("author")
    institutions = graph("institution")
    print(f"author graph {authors.number_of_nodes()} nodes {authors.number_of_edges()} edges; "
          f"institution graph {institutions.number_of_nodes()} nodes")
    author_ids = sorted(authors.nodes)

    # Co-authors and shared-paper counts.
    for a in rng.sample(author_ids, 40):
        got = {r["author"]["id"]: r["papers"] for r in query("coauthors", str(a))["results"]}
        want = {b: authors[a][b]["papers"] for b in authors[a]}
        if got != want:
            failures.append(f"coauthors of {a}: {len(got)} vs {len(want)} from the export")

    # k-hop neighbourhoods with distances.
    for kind, g, hops, n in (("author", authors, 2, 15), ("institution", institutions, 1, 10)):
        for s in rng.sample(sorted(g.nodes), n):
            got = {r["id"]: r["distance"]
                   for r in query("neighborhood", str(s), "--graph", kind, "--hops", str(hops))["results"]}
            want = nx.single_source_shortest_path_length(g, s, cutoff=hops)
            want.pop(s)
            if got != want:
                failures.append(f"{kind} {s}: {hops}-hop {len(got)} nodes vs NetworkX {len(want)}")

    # A neighbourhood that covers much of the graph takes the parallel sequential-pass path.
    top_author = json.loads(run([binary, "query", db, "prolific", "--limit", "1", "--json"]))
    s = top_author["results"][0]["author"]["id"]
    got = {r["id"]: r["distance"] for r in query("neighborhood", str(s), "--hops", "4")["results"]}
    want = nx.single_source_shortest_path_length(authors, s, cutoff=4)
    want.pop(s)
    print(f"4-hop neighbourhood of author {s}: {len(got)} authors")
    if got != want:
        failures.append(f"author {s}: 4-hop {len(got)} nodes vs NetworkX {len(want)}")

    # Shortest paths: length equals NetworkX, each step is an edge, the linking paper has both.
    checked_papers = 0
    for kind, g, n in (("author", authors, 25), ("institution", institutions, 15)):
        nodes = sorted(g.nodes)
        giant = sorted(max(nx.connected_components(g), key=len))
        for i in range(n):
            pool = giant if i % 5 else nodes  # mostly connected pairs, some arbitrary ones
            s, t = rng.sample(pool, 2)
            steps = query("path", str(s), str(t), "--graph", kind)["results"]
            try:
                want = nx.shortest_path_length(g, s, t)
            except nx.NetworkXNoPath:
                want = None
            if want is None or want > 12:
                if steps:
                    failures.append(f"{kind} path {s}-{t}: found one where NetworkX has none <= 12")
                continue
            ids = [st["id"] for st in steps]
            if len(ids) - 1 != want or ids[0] != s or ids[-1] != t:
                failures.append(f"{kind} path {s}-{t}: {len(ids) - 1} hops vs NetworkX {want}")
                continue
            for x, y in zip(ids, ids[1:]):
                if not g.has_edge(x, y):
                    failures.append(f"{kind} path {s}-{t}: step {x}-{y} is not an edge")
            if kind == "author" and checked_papers < 10 and len(steps) > 1:
                via = steps[1]["via_paper"]
                paper = json.loads(run([binary, "query", db, "paper", str(via), "--json"]))
                on_paper = {a["author"]["id"] for a in paper["authorships"]}
                if not {ids[0], ids[1]} <= on_paper:
                    failures.append(f"paper {via} does not have both {ids[0]} and {ids[1]}")
                checked_papers += 1

    # Country counts per year equal stats, under every regions view.
    for regions in ("source", "split", "merge"):
        stats = json.loads(run([binary, "stats", db, "--by", "year", "--regions", regions, "--json"]))
        for group in stats["groups"]:
            year = group["key"]
            pairs = {(p["a"], p["b"]): p["papers"] for p in group["pairs"]}
            countries = {c["code"]: c["papers"] for c in group["countries"]}
            got = query("papers", "--all-countries", "US", "--all-countries", "China",
                        "--years", f"{year}:{year}", "--regions", regions)["count"]
            if got != pairs.get(("CN", "US"), 0):
                failures.append(f"{regions} {year}: US-CN {got} vs stats {pairs.get(('CN', 'US'), 0)}")
            for code in ("DE", "HK", "TW", "GB"):
                got = query("papers", "--country", code, "--years", f"{year}:{year}",
                            "--regions", regions)["count"]
                if got != countries.get(code, 0):
                    failures.append(f"{regions} {year} {code}: {got} vs stats {countries.get(code, 0)}")

    # Country pairs: the query layer's pass equals stats, with and without filters.
    for regions in ("source", "split"):
        for extra in ([], ["--years", "2014:2016"], ["--include-rejected"]):
            stats = json.loads(run([binary, "stats", db, "--regions", regions, "--json", *extra]))
            want = {(p["a"], p["b"]): p["papers"] for p in stats["pairs"]}
            got = {(p["a"], p["b"]): p["papers"]
                   for p in query("pairs", "--regions", regions, *extra)["results"]}
            if got != want:
                failures.append(f"pairs {regions} {extra}: {len(got)} pairs vs stats {len(want)}")

    # Lookups by exact and normalised name.
    for a in rng.sample(author_ids, 30):
        name = authors.nodes[a]["name"]
        if a not in {r["id"] for r in query("author", "--name", name)["results"]}:
            failures.append(f"author {a} not found by exact name {name!r}")
        if a not in {r["id"] for r in query("author", "--name", name.upper(), "--normalized")["results"]}:
            failures.append(f"author {a} not found by normalised name {name.upper()!r}")

    # Most prolific authors: each count equals the papers the author query yields.
    top = json.loads(run([binary, "query", db, "prolific", "--limit", "5", "--json"]))["results"]
    if len(top) != 5 or any(top[i]["papers"] < top[i + 1]["papers"] for i in range(4)):
        failures.append("prolific: not 5 results in descending order")
    for r in top:
        got = query("papers", "--author", str(r["author"]["id"]), "--include-rejected")["count"]
        if got != r["papers"]:
            failures.append(f"prolific {r['author']['name']}: {r['papers']} vs {got} papers")

    # Errors: a missing id is a data error naming it; bad arguments are usage errors.
    for args, code, text in ((["author", "999999999"], 2, "does not exist"),
                             (["papers", "--country", "Atlantis"], 2, "Atlantis"),
                             (["bogus"], 1, "unknown query"),
                             (["path", "1"], 1, "FROM and TO")):
        p = subprocess.run([binary, "query", db, *args], capture_output=True, text=True)
        if p.returncode != code or text not in p.stderr:
            failures.append(f"query {' '.join(args)}: exit {p.returncode}, stderr {p.stderr!r}")

    if failures:
        print("\n".join(failures[:40]))
        sys.exit(f"FAILED: {len(failures)} mismatches")
    print("query answers equal the export graph, NetworkX and stats")


if __name__ == "__main__":
    main()
