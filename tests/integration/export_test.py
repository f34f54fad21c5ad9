#!/usr/bin/env python3
"""Exports of real projections (NeurIPS 2012-2016): GraphML and GEXF load with NetworkX with
the projection's node and edge counts, and every node's weighted degree under both weights
equals CollabGraph's own `strength` metric; the CSV edge list, the VOSviewer map and network
files and the JSON carry the same edges and weights. Names with XML and CSV special characters
(Texas A&M, commas) survive.

usage: export_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import csv
import glob
import json
import os
import shutil
import subprocess
import sys

import networkx as nx

from testlib import run


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def main():
    binary, data_dir, work = sys.argv[1:4]
    files = sorted(glob.glob(os.path.join(data_dir, "paperlists", "nips", "nips201[2-6].json.gz")))
    if len(files) < 5:
        print(f"no NeurIPS 2012-2016 paper lists under {data_dir}; skipping")
        sys.exit(77)
    root = os.path.join(work, "export")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    db = os.path.join(root, "db")
    run([binary, "ingest", db, *files])
    failures = []
    special = 0
    for graph in ("country", "institution"):
        degree = json.loads(run([binary, "centrality", db, "--graph", graph, "--metric", "degree",
                                 "--json", "--top", "0"]))
        label = lambda r: (r["name"], r.get("code", ""))
        strength = {}
        for w in ("full", "fractional"):
            d = json.loads(run([binary, "centrality", db, "--graph", graph, "--metric",
                                "strength", "--weights", w, "--json", "--top", "0"]))
            strength[w] = {label(r): r["value"] for r in d["results"]}
        base = os.path.join(root, graph)
        for fmt in ("graphml", "gexf", "csv", "json", "vosviewer"):
            said = json.loads(run([binary, "export", db, "--graph", graph, "--format", fmt,
                                   "-o", f"{base}.{fmt}", "--json"]))
            if (said["nodes"], said["edges"]) != (degree["nodes"], degree["edges"]) or \
                    not all(os.path.exists(f) for f in said["files"]):
                failures.append(f"{graph} {fmt}: --json says {said['nodes']} nodes, "
                                f"{said['edges']} edges, files {said['files']}")

        def check_graph(name, g, name_of, code_of, weight_key, frac_key):
            if g.number_of_nodes() != degree["nodes"] or g.number_of_edges() != degree["edges"]:
                failures.append(f"{graph} {name}: {g.number_of_nodes()} nodes, "
                                f"{g.number_of_edges()} edges; projection {degree['nodes']}, "
                                f"{degree['edges']}")
                return
            for v in g.nodes:
                key = (name_of(v), code_of(v))
                for w, attr in (("full", weight_key), ("fractional", frac_key)):
                    got = sum(float(d[attr]) for _, _, d in g.edges(v, data=True))
                    if not close(got, strength[w][key]):
                        failures.append(f"{graph} {name} {key} {w}: {got} != {strength[w][key]}")
                        return

        gm = nx.read_graphml(f"{base}.graphml")
        check_graph("graphml", gm, lambda v: gm.nodes[v]["name"],
                    lambda v: gm.nodes[v].get("code", ""), "weight", "fractional")
        gx = nx.read_gexf(f"{base}.gexf")
        check_graph("gexf", gx, lambda v: gx.nodes[v]["label"],
                    lambda v: gx.nodes[v].get("code", "") or "", "weight", "fractional")
        special += sum(1 for v in gm.nodes if set(gm.nodes[v]["name"]) & set("&<>\",'"))

        rows = list(csv.DictReader(open(f"{base}.csv", newline="", encoding="utf-8")))
        papers = sum(float(r["papers"]) for r in rows)
        if len(rows) != degree["edges"] or not close(papers, sum(strength["full"].values()) / 2):
            failures.append(f"{graph} csv: {len(rows)} rows, {papers} papers")
        data = json.load(open(f"{base}.json"))
        if len(data["nodes"]) != degree["nodes"] or len(data["edges"]) != degree["edges"]:
            failures.append(f"{graph} json: {len(data['nodes'])} nodes, {len(data['edges'])} edges")
        vos_map = open(f"{base}.vosviewer_map.txt", encoding="utf-8").read().splitlines()
        vos_net = open(f"{base}.vosviewer_network.txt").read().splitlines()
        total = sum(float(line.split("\t")[3]) for line in vos_map[1:])
        if (len(vos_map) - 1 != degree["nodes"] or len(vos_net) != degree["edges"]
                or not close(total, sum(strength["full"].values()))):
            failures.append(f"{graph} vosviewer: {len(vos_map) - 1} map lines, {len(vos_net)} "
                            f"network lines, total link strength {total}")
        print(f"{graph}: {degree['nodes']} nodes, {degree['edges']} edges in every format; "
              "weighted degrees equal strength (full and fractional)")
    if special == 0:
        failures.append("no node name with XML/CSV special characters was exercised")
    run([binary, "export", db, "--graph", "country", "--format", "png", "-o", "x"],
        ok_codes=(1,))
    bad = os.path.join(root, "missing", "dir", "g.graphml")
    p = subprocess.run([binary, "export", db, "--graph", "country", "--format", "graphml",
                        "-o", bad], capture_output=True, text=True)
    if p.returncode != 2 or "cannot write " + bad not in p.stderr or os.path.exists(bad):
        failures.append(f"unwritable path: exit {p.returncode}, {p.stderr.strip()}")
    if failures:
        print("\n".join(failures[:20]))
        sys.exit(f"{len(failures)} failure(s)")
    print(f"{special} node names with special characters survived")


if __name__ == "__main__":
    main()
