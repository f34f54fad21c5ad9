#!/usr/bin/env python3
"""Integration test: every centrality metric that `collabgraph centrality` computes on the
NeurIPS country graph equals NetworkX's default (betweenness, degree, pagerank, harmonic,
closeness, core number, clustering) on a country graph this script builds itself from the
JSON (countries joined when they share a paper), to 1e-9 relative. Needs python3-networkx.

usage: centrality_networkx_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import glob
import gzip
import itertools
import json
import os
import shutil
import subprocess
import sys

from testlib import run

try:
    import networkx as nx
except ImportError:
    sys.exit("python3-networkx is missing: run scripts/install-deps.sh")

# The country names of the stored graph for the labels whose spelling differs.
SAME_COUNTRY = {"Czech Republic": "Czechia", "Russian Federation": "Russia"}


def main():
    binary, data_dir, work = sys.argv[1:4]
    files = sorted(glob.glob(os.path.join(data_dir, "paperlists", "nips", "nips*.json.gz")))
    if not files:
        print(f"no NeurIPS files under {data_dir}; skipping")
        sys.exit(77)
    db = os.path.join(work, "centrality.db")
    shutil.rmtree(db, ignore_errors=True)
    run([binary, "ingest", db, *files, "--no-resolve"])
    g = nx.Graph()
    for path in files:
        seen = set()
        for r in json.load(gzip.open(path, "rt", encoding="utf-8")):
            if r["id"] in seen or "reject" in (r.get("status") or "").lower():
                continue
            seen.add(r["id"])
            s = {SAME_COUNTRY.get(x.strip(), x.strip())
                 for x in (r.get("aff_country_unique") or "").split(";")} - {"", "Unknown"}
            g.add_nodes_from(s)
            g.add_edges_from(itertools.combinations(sorted(s), 2))
    expected_by_metric = {
        "betweenness": nx.betweenness_centrality(g, normalized=True),
        "degree": nx.degree_centrality(g),
        "pagerank": nx.pagerank(g, alpha=0.85, tol=1e-14, max_iter=100000),
        "harmonic": nx.harmonic_centrality(g),
        "closeness": nx.closeness_centrality(g),
        "core": nx.core_number(g),
        "clustering": nx.clustering(g),
    }
    for metric, expected in expected_by_metric.items():
        got = json.loads(run([binary, "centrality", db, "--graph", "country", "--metric",
                              metric, "--top", "0", "--json"]))
        assert got["normalized"] is True
        assert got["nodes"] == g.number_of_nodes(), (got["nodes"], g.number_of_nodes())
        assert got["edges"] == g.number_of_edges(), (got["edges"], g.number_of_edges())
        by_name = {r["name"]: r["value"] for r in got["results"]}
        assert set(by_name) == set(expected), set(by_name) ^ set(expected)
        worst = max(abs(by_name[k] - v) / max(1.0, abs(v)) for k, v in expected.items())
        top = [r["name"] for r in got["results"][:3]]
        print(f"{metric:12s} {g.number_of_nodes()} countries, {g.number_of_edges()} edges; "
              f"largest relative difference from NetworkX {worst:.1e}; top: {', '.join(top)}")
        if worst > 1e-9:
            sys.exit(f"{metric}: largest relative difference from NetworkX {worst}")


if __name__ == "__main__":
    main()
